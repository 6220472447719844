// net/ipv4/route.c: output route lookups (what a tunnel encapsulation asks
// to find the egress device and next hop).
import type { Net } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import { EINVAL, ENETUNREACH, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { fib_lookup } from './fib_trie';
import { __ip_dev_find } from './devinet';
import { __neigh_create, neigh_lookup, ipv4_str, type Neighbour } from '../core/neighbour';
import { hop } from '../../../trace/hop';

/** struct flowi4, the fields modelled (host-order addresses). */
export interface Flowi4 {
  daddr: number;
  saddr: number;
  flowi4_tos: number;
}

/** struct rtable, the fields drivers read. */
export interface Rtable {
  dev: NetDevice;
  rt_type: number;
  /** Gateway, 0 for a directly connected destination. */
  rt_gw4: number;
}

/** The default hop limit (sysctl ip_default_ttl). */
export const IPDEFTTL = 64;

function ipv4_is_multicast(a: number): boolean {
  return (a >>> 28) === 0xe;
}

/**
 * ip_route_output_key → ip_route_output_key_hash_rcu (v6.18): a source
 * address must be local (-ENETUNREACH otherwise; multicast or zeronet
 * -EINVAL); then the FIB; no route is -ENETUNREACH. Fills saddr if unset.
 */
export const ip_route_output_key = hop('net/ipv4/route.c', function ip_route_output_key(net: Net, fl4: Flowi4): Rtable | NegErrno {
  if (fl4.saddr) {
    if (ipv4_is_multicast(fl4.saddr) || (fl4.saddr >>> 24) === 0) return -EINVAL;
    if (!__ip_dev_find(net, fl4.saddr)) return -ENETUNREACH;
  }
  const res = fib_lookup(net, fl4.daddr);
  if (typeof res === 'number') return res;
  if (!fl4.saddr) fl4.saddr = res.entry.prefsrc;
  return { dev: res.entry.dev, rt_type: res.entry.type, rt_gw4: res.entry.gw4 };
}, { input: (_n, fl4) => `daddr ${ipv4_str(fl4.daddr)} saddr ${ipv4_str(fl4.saddr)}`, result: (r) => (typeof r === 'number' ? undefined : `dev ${r.dev.name}${r.rt_gw4 ? ` via ${ipv4_str(r.rt_gw4)}` : ''}`) });

/** ip4_dst_hoplimit(): the route's hop limit (no per-route metric modelled). */
export function ip4_dst_hoplimit(_rt: Rtable): number {
  return IPDEFTTL;
}

/**
 * dst_neigh_lookup (include/net/dst.h → ipv4_neigh_lookup, v6.18): the next
 * hop's neighbour on the route's device, created (NUD_NONE) if absent.
 */
export const dst_neigh_lookup = hop('net/ipv4/route.c', function ipv4_neigh_lookup(rt: Rtable, daddr: number): Neighbour {
  const key = rt.rt_gw4 || daddr;
  return neigh_lookup(rt.dev, key) ?? __neigh_create(rt.dev, key);
}, { input: (rt, daddr) => `${ipv4_str(rt.rt_gw4 || daddr)} dev ${rt.dev.name}`, result: (n) => `nud_state 0x${n.nud_state.toString(16)}` });
