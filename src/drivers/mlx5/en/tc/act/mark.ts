// core/en/tc/act/mark.c: skbedit mark → NIC flow_tag (16 bits).
import { hop } from '../../../../../trace/hop';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import { MLX5_FLOW_CONTEXT_ACTION_FWD_DEST } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mark.c';

/** core/en_tc.h (v6.18) */
const MLX5E_TC_FLOW_ID_MASK = 0x0000ffff;

const tc_act_can_offload_mark = hop(FILE, function tc_act_can_offload_mark(ps: Mlx5eTcActParseState, act: FlowActionEntry): boolean {
  if ((act.mark ?? 0) & ~MLX5E_TC_FLOW_ID_MASK) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'Bad flow mark, only 16 bit supported');
    return false;
  }
  return true;
});

const tc_act_parse_mark = hop(FILE, function tc_act_parse_mark(_ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 {
  attr.nic_attr!.flow_tag = act.mark ?? 0;
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
  return 0;
});

export const mlx5e_tc_act_mark: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_mark,
  parse_action: tc_act_parse_mark,
  is_terminating_action: false,
};
