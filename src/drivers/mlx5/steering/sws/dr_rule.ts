// steering/sws/dr_rule.c: a rule is a chain of STEs, one per STE builder of
// its matcher, on each side (RX, TX) of the FDB it applies to; the last STE
// carries the actions. The STEs are written through the send ring. Hash
// placement (collisions, rehash growth) is not modelled: each side's chain
// takes its own ICM chunk.
import { hop } from '../../../../trace/hop';
import { ENOENT, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import { MLX5_VPORT_UPLINK } from '../../../../kernel/include/linux/mlx5/device';
import { MLX5_GET, type FteMatchParam } from '../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { SteRuleContent } from '../../../../hw/mlx5/icm';
import type { Mlx5drMatcher, Mlx5drMatcherRxTx, Mlx5drNicType, Mlx5drRule, Mlx5drRuleRxTx } from './dr_types';
import { mlx5dr_icm_alloc_chunk, mlx5dr_icm_free_chunk } from './dr_icm_pool';
import { mlx5dr_send_postsend_ste } from './dr_send';
import { mlx5dr_matcher_add_to_tbl_nic, mlx5dr_matcher_remove_from_tbl_nic } from './dr_matcher';
import { mlx5dr_err } from './dr_dbg';
import { declareBranch } from '../../../../trace/branch';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c';

/** enum mlx5_flow_context_flow_source (mlx5_ifc.h) */
const MLX5_FLOW_CONTEXT_FLOW_SOURCE_UPLINK = 1;
const MLX5_FLOW_CONTEXT_FLOW_SOURCE_LOCAL_VPORT = 2;

/**
 * dr_rule_skip (steering/sws/dr_rule.c, v6.18): an FDB rule matching a
 * source port is written on RX only for the uplink and on TX only for
 * other vports; a flow_source hint skips the other side as well.
 */
export function dr_rule_skip(nic_type: Mlx5drNicType, mask: FteMatchParam, value: FteMatchParam, flow_source: number): boolean {
  const rx = nic_type === 'rx';
  if (MLX5_GET(mask, 'misc_parameters.source_port') !== 0n) {
    const port = Number(MLX5_GET(value, 'misc_parameters.source_port'));
    if (rx && port !== MLX5_VPORT_UPLINK) return true;
    if (!rx && port === MLX5_VPORT_UPLINK) return true;
  }
  if (rx && flow_source === MLX5_FLOW_CONTEXT_FLOW_SOURCE_LOCAL_VPORT) return true;
  if (!rx && flow_source === MLX5_FLOW_CONTEXT_FLOW_SOURCE_UPLINK) return true;
  return false;
}

// Counted by the coverage report: a side skipped by dr_rule_skip; no ICM for the STE chain.
const dr_rule_create_rule_nic_skipped = declareBranch(FILE, 'dr_rule_create_rule_nic', 'side_skipped');
const dr_rule_create_rule_nic_no_icm = declareBranch(FILE, 'dr_rule_create_rule_nic', 'icm_exhausted');

/**
 * dr_rule_create_rule_nic (steering/sws/dr_rule.c, v6.18): join the table's
 * matcher chain, take the STEs, write them (the last with the actions).
 * No ICM for the chain → "Failed creating next branch", -ENOENT.
 */
export const dr_rule_create_rule_nic = hop(FILE, function dr_rule_create_rule_nic(rule: Mlx5drRule, nic_rule: Mlx5drRuleRxTx, param: FteMatchParam): 0 | NegErrno {
  const matcher = rule.matcher;
  const nic_matcher = nic_rule.nic_matcher;
  const nic = nic_matcher.nic_tbl.nic_dmn.type;
  const dmn = matcher.tbl.dmn;
  if (dr_rule_create_rule_nic_skipped(dr_rule_skip(nic, matcher.mask, param, rule.flow_source))) return 0;
  let ret = mlx5dr_matcher_add_to_tbl_nic(matcher, nic_matcher);
  if (ret) return ret;
  const n = nic_matcher.num_of_builders;
  const chain = mlx5dr_icm_alloc_chunk(dmn, n);
  if (dr_rule_create_rule_nic_no_icm(!chain)) {
    mlx5dr_err(dmn, 'dr_rule_create_rule_nic', 1197, 'Failed creating next branch');
    ret = -ENOENT;
    if (!nic_matcher.rules) mlx5dr_matcher_remove_from_tbl_nic(matcher, nic_matcher);
    return ret;
  }
  // dr_rule_send_update_list: the chain's STEs in order, actions on the last.
  for (let i = 0; i < n; i++) {
    mlx5dr_send_postsend_ste(dmn, chain!, i, {
      table_id: matcher.tbl.table_id, nic, kind: 'match', owner_index: rule.content.index, ...(i === n - 1 ? { rule: rule.content } : {}),
    });
  }
  nic_rule.chain = chain!;
  nic_matcher.rules++;
  return 0;
}, { input: (_r, n) => n.nic_matcher.nic_tbl.nic_dmn.type });

/** dr_rule_destroy_rule_nic (steering/sws/dr_rule.c, v6.18): a side that was skipped has nothing to free. */
function dr_rule_destroy_rule_nic(rule: Mlx5drRule, nic_rule: Mlx5drRuleRxTx): void {
  if (!nic_rule.chain) return;
  mlx5dr_icm_free_chunk(rule.matcher.tbl.dmn, nic_rule.chain);
  nic_rule.chain = null;
  nic_rule.nic_matcher.rules--;
  if (!nic_rule.nic_matcher.rules) mlx5dr_matcher_remove_from_tbl_nic(rule.matcher, nic_rule.nic_matcher);
}

/** dr_rule_create_rule_fdb (steering/sws/dr_rule.c, v6.18): RX, then TX; a TX failure undoes RX. */
export const dr_rule_create_rule_fdb = hop(FILE, function dr_rule_create_rule_fdb(rule: Mlx5drRule, param: FteMatchParam): 0 | NegErrno {
  let ret = dr_rule_create_rule_nic(rule, rule.rx, param);
  if (ret) return ret;
  ret = dr_rule_create_rule_nic(rule, rule.tx, { ...param });
  if (ret) dr_rule_destroy_rule_nic(rule, rule.rx);
  return ret;
});

/**
 * mlx5dr_rule_create (steering/sws/dr_rule.c, v6.18) via dr_rule_create_rule:
 * NULL ("Failed creating rule") when a side could not be written.
 */
export const mlx5dr_rule_create = hop(FILE, function mlx5dr_rule_create(matcher: Mlx5drMatcher, value: FteMatchParam, content: SteRuleContent, flow_source: number): Mlx5drRule | null {
  const nic = (m: Mlx5drMatcherRxTx): Mlx5drRuleRxTx => ({ nic_matcher: m, chain: null });
  const rule: Mlx5drRule = { matcher, flow_source, rx: nic(matcher.rx), tx: nic(matcher.tx), content };
  const ret = dr_rule_create_rule_fdb(rule, value);
  if (ret) {
    mlx5dr_err(matcher.tbl.dmn, 'dr_rule_create_rule', 1346, 'Failed creating rule');
    return null;
  }
  matcher.rules++;
  matcher.tbl.dmn.rules.add(rule);
  return rule;
}, { input: (m) => `table_id ${m.tbl.table_id} priority ${m.prio}`, result: (r) => (r ? `${[r.rx, r.tx].filter((s) => s.chain).map((s) => `${s.nic_matcher.nic_tbl.nic_dmn.type} ${s.chain!.num_of_entries} STE(s)`).join(', ')}` : 'NULL') });

/** mlx5dr_rule_destroy (steering/sws/dr_rule.c, v6.18): both sides' STEs are freed. */
export const mlx5dr_rule_destroy = hop(FILE, function mlx5dr_rule_destroy(rule: Mlx5drRule): 0 | NegErrno {
  dr_rule_destroy_rule_nic(rule, rule.rx);
  dr_rule_destroy_rule_nic(rule, rule.tx);
  rule.matcher.rules--;
  rule.matcher.tbl.dmn.rules.delete(rule);
  return 0;
}, { input: (r) => `table_id ${r.matcher.tbl.table_id} priority ${r.matcher.prio}` });
