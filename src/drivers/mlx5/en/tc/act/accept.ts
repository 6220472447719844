// core/en/tc/act/accept.c: forward to where the packet would go anyway
// (NIC: the VLAN table; FDB: the chains end table).
import { hop } from '../../../../../trace/hop';
import { MLX5_FLOW_CONTEXT_ACTION_FWD_DEST } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import { MLX5_ATTR_FLAG_ACCEPT, type Mlx5eTcActParseState, type Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/accept.c';

const tc_act_parse_accept = hop(FILE, function tc_act_parse_accept(_ps: Mlx5eTcActParseState, _act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 {
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
  attr.flags |= MLX5_ATTR_FLAG_ACCEPT;
  return 0;
});

export const mlx5e_tc_act_accept: Mlx5eTcAct = {
  parse_action: tc_act_parse_accept,
  is_terminating_action: true,
};
