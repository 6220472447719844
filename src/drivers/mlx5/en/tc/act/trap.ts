// core/en/tc/act/trap.c: forward to the slow-path FDB (the CPU).
import { hop } from '../../../../../trace/hop';
import { MLX5_FLOW_CONTEXT_ACTION_FWD_DEST } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import { mlx5_eswitch_get_slow_fdb } from '../../../eswitch_offloads';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/trap.c';

const tc_act_parse_trap = hop(FILE, function tc_act_parse_trap(_ps: Mlx5eTcActParseState, _act: FlowActionEntry, priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 {
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
  attr.dest_ft = mlx5_eswitch_get_slow_fdb(priv.mdev.priv.eswitch!);
  return 0;
});

export const mlx5e_tc_act_trap: Mlx5eTcAct = {
  parse_action: tc_act_parse_trap,
  is_terminating_action: false,
};
