// lib/coverage.c (v3.6.3): `ovs-appctl coverage/show`. The counters are the
// COVERAGE_DEFINEs of the modules this emulation models; totals are exact,
// the per-second averages are not (coverage_run's 5 s sampling never runs on
// the emulated clock, so every rate prints as 0).
import type { OvsProcess } from './ovs-process';

/** COVERAGE_DEFINE names, per upstream file. */
export const COVERAGE_COUNTERS: readonly string[] = [
  // lib/dpif.c
  'dpif_destroy', 'dpif_execute', 'dpif_execute_error', 'dpif_execute_with_help', 'dpif_flow_del', 'dpif_flow_del_error',
  'dpif_flow_flush', 'dpif_flow_get', 'dpif_flow_get_error', 'dpif_flow_put', 'dpif_flow_put_error', 'dpif_meter_del',
  'dpif_meter_get', 'dpif_meter_set', 'dpif_port_add', 'dpif_port_del',
  // lib/netlink-socket.c
  'netlink_overflow', 'netlink_received', 'netlink_recv_jumbo', 'netlink_sent',
  // lib/tc.c
  'tc_netlink_malformed_reply',
  // ofproto/ofproto-dpif-upcall.c
  'dumped_duplicate_flow', 'dumped_inconsistent_flow', 'dumped_new_flow', 'handler_duplicate_upcall', 'revalidate_missed_dp_flow',
  'ukey_dp_change', 'ukey_invalid_stat_reset', 'ukey_replace_contention', 'upcall_flow_limit_grew', 'upcall_flow_limit_hit',
  'upcall_flow_limit_kill', 'upcall_flow_limit_reduced', 'upcall_flow_limit_scaled', 'upcall_ukey_contention', 'upcall_ukey_replace',
];

/** hash_string / hash_int stand-in (FNV-1a): stable, not bit-exact with lib/hash.c. */
function hash_mix(s: string, basis: number): number {
  let h = (basis ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * coverage_hash: the names of the counters with equal totals, by rank, so
 * two runs with the same counts print the same hash.
 */
function coverage_hash(totals: readonly (readonly [string, number])[]): number {
  const c = [...totals].sort((a, b) => (a[1] !== b[1] ? b[1] - a[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let hash = 0;
  let n_groups = 0;
  for (let i = 0; i < c.length && c[i]![1]; ) {
    n_groups++;
    hash = hash_mix(String(i), hash);
    let j = i;
    for (; j < c.length && c[j]![1] === c[i]![1]; j++) hash = hash_mix(c[j]![0], hash);
    i = j;
  }
  return hash_mix(String(n_groups), hash);
}

/** coverage_read: the header, one line per counter hit, then the never-hit count. */
export function coverage_read(p: OvsProcess): string[] {
  const names = [...COVERAGE_COUNTERS, ...[...p.coverage.keys()].filter((k) => !COVERAGE_COUNTERS.includes(k))];
  const totals = names.map((n) => [n, p.coverage.get(n) ?? 0] as const);
  const lines = [`Event coverage, avg rate over last: 5 seconds, last minute, last hour,  hash=${coverage_hash(totals).toString(16).padStart(8, '0')}:`];
  let never = 0;
  for (const [name, total] of totals) {
    if (!total) {
      never++;
      continue;
    }
    lines.push(`${name.padEnd(24)} ${(0).toFixed(1).padStart(5)}/sec ${(0).toFixed(3).padStart(9)}/sec ${(0).toFixed(4).padStart(13)}/sec   total: ${total}`);
  }
  lines.push(`${never} events never hit`);
  return lines;
}
