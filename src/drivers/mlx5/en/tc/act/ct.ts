// core/en/tc/act/ct.c: conntrack. Only one non-clear ct per rule; the
// parse then asks tc_ct.c, whose ct_priv this model never creates, so a ct
// action is refused there ("offload of ct action isn't available").
import { hop } from '../../../../../trace/hop';
import { declareBranch } from '../../../../../trace/branch';
import type { NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import { TCA_CT_ACT_CLEAR } from '../../../../../kernel/include/uapi/linux/tc_act/tc_ct';
import type { Mlx5ePriv } from '../../../en';
import { MLX5_ATTR_FLAG_CT, type Mlx5eTcActParseState, type Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';
import { mlx5_tc_ct_parse_action } from '../../tc_ct';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/ct.c';

// Counted by the coverage report: a second non-clear ct in one rule.
const tc_act_can_offload_ct_multiple = declareBranch(FILE, 'tc_act_can_offload_ct', 'multiple_ct');

const tc_act_can_offload_ct = hop(FILE, function tc_act_can_offload_ct(ps: Mlx5eTcActParseState, act: FlowActionEntry, _i: number, _attr: Mlx5FlowAttr): boolean {
  const clear_action = ((act.ct?.action ?? 0) & TCA_CT_ACT_CLEAR) !== 0;
  if (tc_act_can_offload_ct_multiple(!!ps.ct && !clear_action)) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'Multiple CT actions are not supported');
    return false;
  }
  return true;
}, { input: (_ps, act) => `zone ${act.ct?.zone ?? 0} action 0x${(act.ct?.action ?? 0).toString(16)}` });

const tc_act_parse_ct = hop(FILE, function tc_act_parse_ct(ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const clear_action = ((act.ct?.action ?? 0) & TCA_CT_ACT_CLEAR) !== 0;
  // It's redundant to do ct clear more than once.
  if (clear_action && ps.ct_clear) return 0;
  // parse_state->ct_priv: NULL in this model (en/tc_ct.ts).
  const err = mlx5_tc_ct_parse_action(null, attr, act, ps.extack);
  if (err) return err;
  if (clear_action) {
    ps.ct_clear = true;
  } else {
    attr.flags |= MLX5_ATTR_FLAG_CT;
    ps.flow.flags.add('CT');
    ps.ct = true;
  }
  return 0;
});

export const mlx5e_tc_act_ct: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_ct,
  parse_action: tc_act_parse_ct,
  is_terminating_action: false,
};
