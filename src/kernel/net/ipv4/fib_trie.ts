// net/ipv4/fib_trie.c: the IPv4 routing tables (local and main) as plain
// prefix lists; lookups take the longest matching prefix, as the trie does.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import { EEXIST, ENETUNREACH, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../../include/uapi/linux/rtnetlink';
import { hop } from '../../../trace/hop';

/** struct fib_alias + fib_info + fib_nh, flattened: one route. */
export interface FibEntry {
  table: number;
  dst: number;
  dst_len: number;
  type: number;
  scope: number;
  protocol: number;
  /** Gateway (0 = directly connected). */
  gw4: number;
  dev: NetDevice;
  prefsrc: number;
}

/** struct fib_result, the parts route lookups read. */
export interface FibResult {
  entry: FibEntry;
}

export function fib_tables(net: Net): FibEntry[] {
  return net_generic(net, 'fib_tables', () => [] as FibEntry[]);
}

export function inet_mask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** fib_table_insert (v6.18): the same (table, prefix) twice with NLM_F_EXCL is -EEXIST. */
export const fib_table_insert = hop('net/ipv4/fib_trie.c', function fib_table_insert(net: Net, e: FibEntry, excl: boolean): 0 | NegErrno {
  const t = fib_tables(net);
  const i = t.findIndex((x) => x.table === e.table && x.dst === e.dst && x.dst_len === e.dst_len);
  if (i >= 0) {
    if (excl) return -EEXIST;
    t[i] = e;
    return 0;
  }
  t.push(e);
  return 0;
}, { input: (_n, e) => `table ${e.table} ${e.dst >>> 24}.${(e.dst >>> 16) & 0xff}.${(e.dst >>> 8) & 0xff}.${e.dst & 0xff}/${e.dst_len} dev ${e.dev.name}` });

/**
 * fib_lookup (include/net/ip_fib.h, no policy rules): local table first,
 * then main; the longest prefix wins; nothing is -ENETUNREACH.
 */
export function fib_lookup(net: Net, daddr: number, min_scope = 0): FibResult | NegErrno {
  for (const table of [RT_TABLE_LOCAL, RT_TABLE_MAIN]) {
    let best: FibEntry | null = null;
    for (const e of fib_tables(net)) {
      if (e.table !== table || e.scope < min_scope) continue;
      if (((daddr & inet_mask(e.dst_len)) >>> 0) !== e.dst) continue;
      if (!best || e.dst_len > best.dst_len) best = e;
    }
    if (best) return { entry: best };
  }
  return -ENETUNREACH;
}
