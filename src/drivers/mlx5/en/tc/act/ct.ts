// core/en/tc/act/ct.c: conntrack. Only one non-clear ct per rule; the
// multi-table CT offload behind it (tc_ct.c pre/post-ct tables) is not
// emulated: a rule that gets that far stops at install with an emulator gap.
import { hop } from '../../../../../trace/hop';
import { declareBranch } from '../../../../../trace/branch';
import type { NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import { TCA_CT_ACT_CLEAR } from '../../../../../kernel/include/uapi/linux/tc_act/tc_ct';
import type { Mlx5ePriv } from '../../../en';
import { MLX5_ATTR_FLAG_CT, type Mlx5eTcActParseState, type Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

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
