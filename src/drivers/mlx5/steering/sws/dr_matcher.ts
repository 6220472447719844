// steering/sws/dr_matcher.c: a matcher (one fs_core flow group): its mask,
// the STE builders that mask needs, and per side a start hash table and an
// end anchor. It joins its table's chain of matchers, by priority, when its
// first rule arrives, and leaves it with its last rule.
import { hop } from '../../../../trace/hop';
import { EBUSY, ENOMEM, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import type { FteMatchParam } from '../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5drMatcher, Mlx5drMatcherRxTx, Mlx5drTable, Mlx5drTableRxTx } from './dr_types';
import { mlx5dr_ste_htbl_alloc, mlx5dr_ste_htbl_free } from './dr_icm_pool';
import { mlx5dr_ste_htbl_init_and_postsend } from './dr_table';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_matcher.c';

/**
 * How many STEs a rule of this mask takes: one per STE builder
 * dr_matcher_set_ste_builders (steering/sws/dr_matcher.c, v6.18) would
 * pick. Approximation by field group: L2 source (smac, ethertype, VLANs),
 * L2 destination (dmac), L3/L4 (IPv4 5-tuple; IPv6 needs three), source
 * gvmi (source_port), tunnel and metadata sections, and the same for the
 * inner headers; an empty mask takes the always-hit builder.
 */
export function dr_matcher_num_of_builders(mask: FteMatchParam): number {
  const kinds = new Set<string>();
  const ipv6 = Object.keys(mask).some((k) => /ipv6|src_ipv4_src_ipv6\.ipv6|_127_96/.test(k));
  for (const path of Object.keys(mask)) {
    const [section, field = ''] = path.split('.');
    const side = section === 'inner_headers' ? 'inner' : 'outer';
    if (section === 'outer_headers' || section === 'inner_headers') {
      if (/^dmac/.test(field)) kinds.add(`${side}:l2_dst`);
      else if (/^smac|ethertype|vlan|vid|first_prio|first_cfi|ip_version/.test(field)) kinds.add(`${side}:l2_src`);
      else if (ipv6 && /src_ip/.test(field)) kinds.add(`${side}:l3_ipv6_src`);
      else if (ipv6 && /dst_ip/.test(field)) kinds.add(`${side}:l3_ipv6_dst`);
      else if (ipv6) kinds.add(`${side}:l4`);
      else kinds.add(`${side}:ipv4_5_tuple`);
    } else if (section === 'misc_parameters') {
      kinds.add(/source_port|source_eswitch_owner_vhca_id/.test(field) ? 'src_gvmi_qpn' : 'misc');
    } else {
      kinds.add(section ?? 'misc');
    }
  }
  return Math.max(1, kinds.size);
}

/** dr_matcher_init_nic (steering/sws/dr_matcher.c, v6.18): an end anchor and a start table, one entry each. */
function dr_matcher_init_nic(matcher: Mlx5drMatcher, nic_matcher: Mlx5drMatcherRxTx): 0 | NegErrno {
  const dmn = matcher.tbl.dmn;
  nic_matcher.num_of_builders = dr_matcher_num_of_builders(matcher.mask);
  nic_matcher.e_anchor = mlx5dr_ste_htbl_alloc(dmn, 1);
  if (!nic_matcher.e_anchor) return -ENOMEM;
  nic_matcher.s_htbl = mlx5dr_ste_htbl_alloc(dmn, 1);
  if (!nic_matcher.s_htbl) {
    mlx5dr_ste_htbl_free(dmn, nic_matcher.e_anchor);
    nic_matcher.e_anchor = null;
    return -ENOMEM;
  }
  return 0;
}

function dr_matcher_uninit_nic(matcher: Mlx5drMatcher, nic_matcher: Mlx5drMatcherRxTx): void {
  const dmn = matcher.tbl.dmn;
  if (nic_matcher.s_htbl) mlx5dr_ste_htbl_free(dmn, nic_matcher.s_htbl);
  if (nic_matcher.e_anchor) mlx5dr_ste_htbl_free(dmn, nic_matcher.e_anchor);
  nic_matcher.s_htbl = null;
  nic_matcher.e_anchor = null;
}

/** mlx5dr_matcher_create (steering/sws/dr_matcher.c, v6.18): NULL when ICM for its tables is short. */
export const mlx5dr_matcher_create = hop(FILE, function mlx5dr_matcher_create(tbl: Mlx5drTable, priority: number, match_criteria_enable: number, mask: FteMatchParam): Mlx5drMatcher | null {
  const nic = (n: Mlx5drTableRxTx): Mlx5drMatcherRxTx => ({ nic_tbl: n, prio: priority, s_htbl: null, e_anchor: null, num_of_builders: 0, rules: 0 });
  const matcher: Mlx5drMatcher = { tbl, prio: priority, match_criteria: match_criteria_enable, mask: { ...mask }, rx: nic(tbl.rx), tx: nic(tbl.tx), rules: 0 };
  // dr_matcher_init_fdb: RX then TX.
  if (dr_matcher_init_nic(matcher, matcher.rx)) return null;
  if (dr_matcher_init_nic(matcher, matcher.tx)) {
    dr_matcher_uninit_nic(matcher, matcher.rx);
    return null;
  }
  tbl.matchers.add(matcher);
  return matcher;
}, { input: (t, p, e) => `table_id ${t.table_id} priority ${p} criteria_enable 0x${e.toString(16)}`, result: (m) => (m ? `${m.rx.num_of_builders} STE builder(s)` : 'NULL') });

/** mlx5dr_matcher_destroy (steering/sws/dr_matcher.c, v6.18): -EBUSY while rules use it. */
export const mlx5dr_matcher_destroy = hop(FILE, function mlx5dr_matcher_destroy(matcher: Mlx5drMatcher): 0 | NegErrno {
  if (matcher.rules > 0) return -EBUSY;
  dr_matcher_uninit_nic(matcher, matcher.rx);
  dr_matcher_uninit_nic(matcher, matcher.tx);
  matcher.tbl.matchers.delete(matcher);
  return 0;
}, { input: (m) => `table_id ${m.tbl.table_id} priority ${m.prio}` });

/**
 * mlx5dr_matcher_add_to_tbl_nic (steering/sws/dr_matcher.c, v6.18): on the
 * first rule of a side, the matcher's end anchor and start table are
 * written and the previous matcher's end anchor (or the table's start
 * anchor) is rewritten to lead into it, in priority order.
 */
export const mlx5dr_matcher_add_to_tbl_nic = hop(FILE, function mlx5dr_matcher_add_to_tbl_nic(matcher: Mlx5drMatcher, nic_matcher: Mlx5drMatcherRxTx): 0 | NegErrno {
  const list = nic_matcher.nic_tbl.nic_matcher_list;
  if (list.includes(nic_matcher)) return 0;
  let at = list.findIndex((m) => m.prio > nic_matcher.prio);
  if (at < 0) at = list.length;
  list.splice(at, 0, nic_matcher);
  const tbl = matcher.tbl;
  mlx5dr_ste_htbl_init_and_postsend(tbl, nic_matcher.nic_tbl, nic_matcher.e_anchor!);
  mlx5dr_ste_htbl_init_and_postsend(tbl, nic_matcher.nic_tbl, nic_matcher.s_htbl!);
  const prev = at > 0 ? list[at - 1]!.e_anchor! : nic_matcher.nic_tbl.s_anchor!;
  return mlx5dr_ste_htbl_init_and_postsend(tbl, nic_matcher.nic_tbl, prev);
}, { input: (m, n) => `table_id ${m.tbl.table_id} priority ${m.prio} ${n.nic_tbl.nic_dmn.type}` });

/**
 * mlx5dr_matcher_remove_from_tbl_nic (steering/sws/dr_matcher.c, v6.18):
 * after the last rule of a side, the previous anchor is rewritten to skip it.
 */
export const mlx5dr_matcher_remove_from_tbl_nic = hop(FILE, function mlx5dr_matcher_remove_from_tbl_nic(matcher: Mlx5drMatcher, nic_matcher: Mlx5drMatcherRxTx): 0 | NegErrno {
  const list = nic_matcher.nic_tbl.nic_matcher_list;
  const at = list.indexOf(nic_matcher);
  if (at < 0) return 0;
  list.splice(at, 1);
  const prev = at > 0 ? list[at - 1]!.e_anchor! : nic_matcher.nic_tbl.s_anchor!;
  return mlx5dr_ste_htbl_init_and_postsend(matcher.tbl, nic_matcher.nic_tbl, prev);
}, { input: (m, n) => `table_id ${m.tbl.table_id} priority ${m.prio} ${n.nic_tbl.nic_dmn.type}` });
