// core/en/tc_ct.c: conntrack matches. Only the "no ct match" case is
// emulated; a rule that matches ct_state/zone/mark/labels is an emulator gap.
import { hop } from '../../../trace/hop';
import type { NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { flow_rule_match_key, type FlowClsOffload } from '../../../kernel/include/net/flow_offload';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.c';

/** mlx5_tc_ct_match_add (core/en/tc_ct.c, v6.18) */
export const mlx5_tc_ct_match_add = hop(FILE, function mlx5_tc_ct_match_add(f: FlowClsOffload): 0 | NegErrno {
  const rule = f.rule!;
  if (!flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_CT')) return 0;
  const m = rule.match.ext?.mask.ct;
  if (!m || (!m.ct_state && !m.ct_zone && !m.ct_mark && !m.ct_labels.some((b) => b !== 0))) return 0;
  throw new Error('mlx5_tc_ct_match_add: conntrack matching is not emulated yet');
});
