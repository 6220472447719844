// lib/dpif.c + lib/dpif.h + lib/dpif-provider.h (v3.6.3): the datapath
// interface every dpif class implements, batch operations, and the per-op
// result log line.
import { EEXIST, EINVAL, ENOENT, EOPNOTSUPP, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { hop } from '../../trace/hop';
import { errno_text, type OvsProcess } from './ovs-process';
import type { VlogModule } from './vlog';
import { format_odp_actions, odp_flow_format, odp_format_ufid, type Ufid } from './odp-util';
import { netdev_is_flow_api_enabled } from './netdev-offload';

// enum dpif_flow_put_flags
export const DPIF_FP_CREATE = 1 << 0;
export const DPIF_FP_MODIFY = 1 << 1;
export const DPIF_FP_ZERO_STATS = 1 << 2;
export const DPIF_FP_PROBE = 1 << 3;

/** enum dpif_offload_type */
export type DpifOffloadType = 'DPIF_OFFLOAD_AUTO' | 'DPIF_OFFLOAD_NEVER' | 'DPIF_OFFLOAD_ALWAYS';

/** struct dpif_flow_put */
export interface DpifFlowPut {
  flags: number;
  key: Uint8Array;
  /** Absent: an exact-match flow. */
  mask?: Uint8Array;
  actions: Uint8Array;
  /** Absent: the flow has no UFID (it cannot be offloaded). */
  ufid?: Ufid;
}

/** struct dpif_flow_stats */
export interface DpifFlowStats {
  n_packets: number;
  n_bytes: number;
  /** time_msec() of the last use; 0 = never. */
  used: number;
  tcp_flags: number;
}

export function dpif_flow_stats_zero(): DpifFlowStats {
  return { n_packets: 0, n_bytes: 0, used: 0, tcp_flags: 0 };
}

/** struct dpif_flow_attrs */
export interface DpifFlowAttrs {
  offloaded: boolean;
  /** "ovs" (kernel datapath), "tc", "dpdk". */
  dp_layer: string;
}

/** struct dpif_flow: one flow of a dump or get. */
export interface DpifFlow {
  key: Uint8Array;
  mask: Uint8Array;
  actions: Uint8Array;
  ufid_present: boolean;
  ufid: Ufid;
  stats: DpifFlowStats;
  attrs: DpifFlowAttrs;
}

/** struct dpif_dp_stats, the counters modelled. */
export interface DpifDpStats {
  n_hit: number;
  n_missed: number;
  n_lost: number;
  n_flows: number;
}

/** struct dpif_flow_dump_types */
export interface DpifFlowDumpTypes {
  ovs_flows: boolean;
  netdev_flows: boolean;
}

/** struct dpif_flow_del */
export interface DpifFlowDel {
  key: Uint8Array;
  ufid?: Ufid;
  /** Out, when wanted: the flow's final stats. */
  stats?: DpifFlowStats;
}

/** struct dpif_flow_get */
export interface DpifFlowGet {
  key: Uint8Array;
  ufid?: Ufid;
  /** Out: the flow found. */
  flow?: DpifFlow;
}

/** struct dpif_execute */
export interface DpifExecute {
  packet: Uint8Array;
  /** The packet's metadata key (in_port, priority, mark, ...). */
  key: Uint8Array;
  actions: Uint8Array;
}

/** struct dpif_op */
export type DpifOp =
  | { type: 'DPIF_OP_FLOW_PUT'; flow_put: DpifFlowPut; error: number }
  | { type: 'DPIF_OP_FLOW_DEL'; flow_del: DpifFlowDel; error: number }
  | { type: 'DPIF_OP_FLOW_GET'; flow_get: DpifFlowGet; error: number }
  | { type: 'DPIF_OP_EXECUTE'; execute: DpifExecute; error: number };

/** An open flow dump (struct dpif_flow_dump + its one thread). */
export interface DpifFlowDump {
  readonly dpif: Dpif;
  /** The next flow, or null at the end. */
  next(p: OvsProcess): DpifFlow | null;
  /** dpif_flow_dump_destroy: 0 or the dump's error. */
  destroy(p: OvsProcess): number;
}

/** struct dpif_class, the members this emulation uses. */
export interface DpifClass<D extends Dpif = Dpif> {
  readonly type: string;
  operate(p: OvsProcess, dpif: D, ops: DpifOp[], offload_type: DpifOffloadType): void;
  flow_flush(p: OvsProcess, dpif: D): number;
  flow_dump_create(p: OvsProcess, dpif: D, terse: boolean, types: DpifFlowDumpTypes | undefined): DpifFlowDump;
  get_stats(p: OvsProcess, dpif: D): { error: number; stats?: DpifDpStats };
  /** Flows the offload providers hold (upcall/show); EOPNOTSUPP without any. */
  get_n_offloaded_flows?(p: OvsProcess, dpif: D): { error: number; n?: number };
}

/** struct dpif */
export interface Dpif {
  /** dpif_name(): `<type>@<name>`, e.g. `system@ovs-system`. */
  readonly full_name: string;
  readonly base_name: string;
  readonly dpif_class: DpifClass<never>;
}

/** dpif_normalize_type */
export function dpif_normalize_type(type: string): string {
  return type === '' ? 'system' : type;
}

/**
 * log_flow_put_message: `<dp>: [failed to ]put[create] [(<err>) ]ufid:...
 * <flow>, actions:<actions>`; WARN on an error other than EEXIST, else DBG.
 */
export function log_flow_put_message(p: OvsProcess, dpif: Dpif, module: VlogModule, put: DpifFlowPut, error: number): void {
  if (put.flags & DPIF_FP_PROBE) return;
  const level = error && error !== EEXIST ? 'WARN' : 'DBG';
  if (!p.vlog.is_enabled(module, level)) return;
  let op = 'put';
  if (put.flags & DPIF_FP_CREATE) op += '[create]';
  if (put.flags & DPIF_FP_MODIFY) op += '[modify]';
  if (put.flags & DPIF_FP_ZERO_STATS) op += '[zero]';
  let s = `${dpif.full_name}: ${error ? 'failed to ' : ''}${op} `;
  if (error) s += `(${strerror(error)}) `;
  if (put.ufid) s += `${odp_format_ufid(put.ufid)} `;
  s += odp_flow_format(put.key, put.mask, undefined, true);
  s += `, actions:${format_odp_actions(put.actions)}`;
  p.vlog.log(module, level, s);
}

/**
 * dpif_operate: ALWAYS without a flow API fails every op with EINVAL;
 * otherwise the class operates the batch (no execute here needs help), then
 * each op's final result is counted and logged.
 */
export const dpif_operate = hop('lib/dpif.c', function dpif_operate(
  p: OvsProcess, dpif: Dpif, ops: DpifOp[], offload_type: DpifOffloadType,
): void {
  if (offload_type === 'DPIF_OFFLOAD_ALWAYS' && !netdev_is_flow_api_enabled(p)) {
    for (const op of ops) op.error = EINVAL;
    return;
  }
  if (ops.length === 0) return;
  (dpif.dpif_class as DpifClass).operate(p, dpif, ops, offload_type);
  for (const op of ops) {
    if (op.type === 'DPIF_OP_FLOW_PUT') {
      p.coverage_inc('dpif_flow_put');
      log_flow_put_message(p, dpif, 'dpif', op.flow_put, op.error);
      if (op.error) p.coverage_inc('dpif_flow_put_error');
    } else if (op.type === 'DPIF_OP_FLOW_DEL') {
      p.coverage_inc('dpif_flow_del');
      log_flow_del_message(p, dpif, 'dpif', op.flow_del, op.error);
      if (op.error) p.coverage_inc('dpif_flow_del_error');
    } else if (op.type === 'DPIF_OP_FLOW_GET') {
      p.coverage_inc('dpif_flow_get');
      if (op.error) p.coverage_inc('dpif_flow_get_error');
    } else {
      p.coverage_inc('dpif_execute');
      if (op.error) {
        p.coverage_inc('dpif_execute_error');
        p.vlog.warn('dpif', `${dpif.full_name}: failed to execute on packet (${strerror(op.error)})`);
      }
    }
  }
}, {
  input: (_p, _d, ops, t) => `${ops.map((o) => o.type.replace('DPIF_OP_', '')).join(',')} ${t}`,
  result: (_r) => undefined,
});

/** dpif_flow_put: one FLOW_PUT op through dpif_operate(AUTO). */
export const dpif_flow_put = hop('lib/dpif.c', function dpif_flow_put(p: OvsProcess, dpif: Dpif, put: DpifFlowPut): number {
  const op: DpifOp = { type: 'DPIF_OP_FLOW_PUT', flow_put: put, error: 0 };
  dpif_operate(p, dpif, [op], 'DPIF_OFFLOAD_AUTO');
  return op.error;
}, { errno: (e) => -e, result: errno_text });

/**
 * log_flow_del_message (log_flow_message): `<dp>: [failed to ]flow_del
 * [(<err>) ]ufid:... <key>`; WARN on error (ENOENT too), else DBG.
 */
function log_flow_del_message(p: OvsProcess, dpif: Dpif, module: VlogModule, del: DpifFlowDel, error: number): void {
  const level = error ? 'WARN' : 'DBG';
  if (!p.vlog.is_enabled(module, level)) return;
  let s = `${dpif.full_name}: ${error ? 'failed to ' : ''}flow_del `;
  if (error) s += `(${strerror(error)}) `;
  if (del.ufid) s += `${odp_format_ufid(del.ufid)} `;
  s += odp_flow_format(del.key, undefined, undefined, true);
  p.vlog.log(module, level, s);
}

/** dpif_flow_del: one FLOW_DEL op through dpif_operate(AUTO). */
export const dpif_flow_del = hop('lib/dpif.c', function dpif_flow_del(
  p: OvsProcess, dpif: Dpif, key: Uint8Array, ufid: Ufid | undefined, stats: DpifFlowStats | undefined,
): number {
  const del: DpifFlowDel = { key };
  if (ufid) del.ufid = ufid;
  if (stats) del.stats = stats;
  const op: DpifOp = { type: 'DPIF_OP_FLOW_DEL', flow_del: del, error: 0 };
  dpif_operate(p, dpif, [op], 'DPIF_OFFLOAD_AUTO');
  return op.error;
}, { input: (_p, _d, _k, ufid) => (ufid ? odp_format_ufid(ufid) : 'no ufid'), errno: (e) => -e, result: errno_text });

/** dpif_flow_get: one FLOW_GET op through dpif_operate(AUTO). */
export const dpif_flow_get = hop('lib/dpif.c', function dpif_flow_get(
  p: OvsProcess, dpif: Dpif, key: Uint8Array, ufid: Ufid | undefined,
): { error: number; flow?: DpifFlow } {
  const get: DpifFlowGet = { key };
  if (ufid) get.ufid = ufid;
  const op: DpifOp = { type: 'DPIF_OP_FLOW_GET', flow_get: get, error: 0 };
  dpif_operate(p, dpif, [op], 'DPIF_OFFLOAD_AUTO');
  return op.error || !get.flow ? { error: op.error || ENOENT } : { error: 0, flow: get.flow };
}, { input: (_p, _d, _k, ufid) => (ufid ? odp_format_ufid(ufid) : 'no ufid'), errno: (r) => -r.error, result: (r) => (r.flow ? `dp:${r.flow.attrs.dp_layer}` : errno_text(r.error)) });

/** dpif_flow_flush: the class's flush; logged as the "flow_flush" operation. */
export const dpif_flow_flush = hop('lib/dpif.c', function dpif_flow_flush(p: OvsProcess, dpif: Dpif): number {
  const error = (dpif.dpif_class as DpifClass).flow_flush(p, dpif);
  p.coverage_inc('dpif_flow_flush');
  // log_operation: DBG on success, WARN "%s: %s failed (%s)" on error.
  if (error) p.vlog.warn('dpif', `${dpif.full_name}: flow_flush failed (${strerror(error)})`);
  else p.vlog.dbg('dpif', `${dpif.full_name}: flow_flush success`);
  return error;
}, { errno: (e) => -e, result: errno_text });

/** dpif_flow_dump_create (+ _thread_create): the class's dump. */
export const dpif_flow_dump_create = hop('lib/dpif.c', function dpif_flow_dump_create(
  p: OvsProcess, dpif: Dpif, terse: boolean, types?: DpifFlowDumpTypes,
): DpifFlowDump {
  return (dpif.dpif_class as DpifClass).flow_dump_create(p, dpif, terse, types);
}, { input: (_p, _d, terse, types) => `${terse ? 'terse ' : ''}ovs=${types?.ovs_flows ?? true} netdev=${types?.netdev_flows ?? true}`, result: () => undefined });

/** dpif_flow_dump_next: one flow at a time (max_flows 1, as dpctl asks). */
export const dpif_flow_dump_next = hop('lib/dpif.c', function dpif_flow_dump_next(p: OvsProcess, dump: DpifFlowDump): DpifFlow | null {
  return dump.next(p);
}, { result: (f) => (f ? `dp:${f.attrs.dp_layer}` : 'end') });

/** dpif_flow_dump_destroy */
export const dpif_flow_dump_destroy = hop('lib/dpif.c', function dpif_flow_dump_destroy(p: OvsProcess, dump: DpifFlowDump): number {
  return dump.destroy(p);
}, { errno: (e) => -e, result: errno_text });

/** dpif_get_n_offloaded_flows: EOPNOTSUPP when the class cannot tell. */
export function dpif_get_n_offloaded_flows(p: OvsProcess, dpif: Dpif): { error: number; n?: number } {
  const c = dpif.dpif_class as DpifClass;
  return c.get_n_offloaded_flows ? c.get_n_offloaded_flows(p, dpif) : { error: EOPNOTSUPP };
}

/**
 * dpif_flow_stats_format: `packets:N, bytes:N, used:X.XXXs|never`, then
 * `, flags:...` only when TCP flags were seen.
 */
export function dpif_flow_stats_format(p: OvsProcess, stats: DpifFlowStats): string {
  let s = `packets:${stats.n_packets}, bytes:${stats.n_bytes}, used:`;
  s += stats.used ? `${((p.time_msec() - stats.used) / 1000).toFixed(3)}s` : 'never';
  if (stats.tcp_flags) s += `, flags:${packet_format_tcp_flags(stats.tcp_flags)}`;
  return s;
}

/** packet_format_tcp_flags (lib/packets.c): names joined by '|'. */
function packet_format_tcp_flags(flags: number): string {
  const names: [number, string][] = [
    [0x001, 'fin'], [0x002, 'syn'], [0x004, 'rst'], [0x008, 'psh'], [0x010, 'ack'], [0x020, 'urg'], [0x040, 'ece'], [0x080, 'cwr'], [0x100, 'ns'],
  ];
  const out = names.filter(([b]) => flags & b).map(([, n]) => n);
  if (flags & 0xe00) out.push(`[${flags & 0xe00}]`);
  return out.join('|');
}

/** dpif_get_dp_stats: the class's counters; zeros on error, as upstream. */
export function dpif_get_dp_stats(p: OvsProcess, dpif: Dpif): DpifDpStats {
  const r = (dpif.dpif_class as DpifClass).get_stats(p, dpif);
  return r.stats ?? { n_hit: 0, n_missed: 0, n_lost: 0, n_flows: 0 };
}
