// core/en/tc/act/drop.c
import { hop } from '../../../../../trace/hop';
import { MLX5_FLOW_CONTEXT_ACTION_DROP } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/drop.c';

const tc_act_parse_drop = hop(FILE, function tc_act_parse_drop(_ps: Mlx5eTcActParseState, _act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 {
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_DROP;
  return 0;
});

export const mlx5e_tc_act_drop: Mlx5eTcAct = {
  parse_action: tc_act_parse_drop,
  is_terminating_action: true,
};
