// core/en/tc/act/ct.c: conntrack. One non-clear ct per rule; the parse
// records zone and action in the attr (tc_ct.c), and post_parse points the
// attr at the CT tables. A non-clear ct that is not the last action splits
// the rule (is_multi_table_act) and a hardware miss after it resumes in
// software at the next action (is_missable).
import { hop } from '../../../../../trace/hop';
import { declareBranch } from '../../../../../trace/branch';
import type { NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import { TCA_CT_ACT_CLEAR } from '../../../../../kernel/include/uapi/linux/tc_act/tc_ct';
import type { Mlx5ePriv } from '../../../en';
import { MLX5_ATTR_FLAG_CT, type Mlx5eTcActParseState, type Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';
import { mlx5_tc_ct_flow_offload, mlx5_tc_ct_parse_action } from '../../tc_ct';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/ct.c';

// Counted by the coverage report: a second non-clear ct in one rule.
const tc_act_can_offload_ct_multiple = declareBranch(FILE, 'tc_act_can_offload_ct', 'multiple_ct');

/** tc_act_can_offload_ct (core/en/tc/act/ct.c, v6.18) */
const tc_act_can_offload_ct = hop(FILE, function tc_act_can_offload_ct(ps: Mlx5eTcActParseState, act: FlowActionEntry, _i: number, _attr: Mlx5FlowAttr): boolean {
  const clear_action = ((act.ct?.action ?? 0) & TCA_CT_ACT_CLEAR) !== 0;
  if (tc_act_can_offload_ct_multiple(!!ps.ct && !clear_action)) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'Multiple CT actions are not supported');
    return false;
  }
  return true;
}, { input: (_ps, act) => `zone ${act.ct?.zone ?? 0} action 0x${(act.ct?.action ?? 0).toString(16)}` });

/**
 * tc_act_parse_ct (core/en/tc/act/ct.c, v6.18): outputs parsed before the
 * ct belong to the split part (split_count). The action-miss cookie is the
 * flow's cookie here (one non-clear ct per rule).
 */
const tc_act_parse_ct = hop(FILE, function tc_act_parse_ct(ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const err = mlx5_tc_ct_parse_action(ps.ct_priv ?? null, attr, act, ps.flow.cookie, ps.extack);
  if (err) return err;
  if (ps.flow.flags.has('ESWITCH')) attr.esw_attr!.split_count = attr.esw_attr!.out_count;
  attr.flags |= MLX5_ATTR_FLAG_CT;
  if (((act.ct?.action ?? 0) & TCA_CT_ACT_CLEAR) === 0) {
    ps.flow.flags.add('CT');
    ps.ct = true;
  } else {
    ps.ct_clear = true;
  }
  return 0;
});

/** tc_act_post_parse_ct (core/en/tc/act/ct.c, v6.18) */
const tc_act_post_parse_ct = hop(FILE, function tc_act_post_parse_ct(ps: Mlx5eTcActParseState, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  if (!(attr.flags & MLX5_ATTR_FLAG_CT)) return 0;
  return mlx5_tc_ct_flow_offload(ps.ct_priv ?? null, attr);
});

/** tc_act_is_multi_table_act_ct (core/en/tc/act/ct.c, v6.18): ct clear stays in its table. */
function tc_act_is_multi_table_act_ct(_priv: Mlx5ePriv, act: FlowActionEntry, _attr: Mlx5FlowAttr): boolean {
  return ((act.ct?.action ?? 0) & TCA_CT_ACT_CLEAR) === 0;
}

/** tc_act_is_missable_ct (core/en/tc/act/ct.c, v6.18) */
function tc_act_is_missable_ct(act: FlowActionEntry): boolean {
  return ((act.ct?.action ?? 0) & TCA_CT_ACT_CLEAR) === 0;
}

export const mlx5e_tc_act_ct: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_ct,
  parse_action: tc_act_parse_ct,
  post_parse: tc_act_post_parse_ct,
  is_multi_table_act: tc_act_is_multi_table_act_ct,
  is_missable: tc_act_is_missable_ct,
  is_terminating_action: false,
};
