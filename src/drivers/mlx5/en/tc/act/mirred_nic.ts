// core/en/tc/act/mirred_nic.c: NIC-mode redirect = hairpin to another mlx5e
// netdev of the same hardware.
import { hop } from '../../../../../trace/hop';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import { netdev_printk } from '../../../../../kernel/include/linux/netdevice';
import { MLX5_FLOW_CONTEXT_ACTION_FWD_DEST } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import { mlx5e_same_hw_devs } from '../../../en_rep';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mirred_nic.c';

const tc_act_can_offload_mirred_nic = hop(FILE, function tc_act_can_offload_mirred_nic(ps: Mlx5eTcActParseState, act: FlowActionEntry): boolean {
  const priv = ps.flow.priv;
  const out_dev = act.dev;
  if (act.id !== 'FLOW_ACTION_REDIRECT') return false;
  if (!out_dev || priv.netdev.netdev_ops !== out_dev.netdev_ops || !mlx5e_same_hw_devs(priv, out_dev.priv as Mlx5ePriv)) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', "devices are not on same switch HW, can't offload forwarding");
    netdev_printk('warn', priv.netdev, `devices ${priv.netdev.name} ${out_dev?.name ?? ''} not on same switch HW, can't offload forwarding`);
    return false;
  }
  return true;
}, { input: (_ps, act) => act.dev?.name ?? 'NULL' });

const tc_act_parse_mirred_nic = hop(FILE, function tc_act_parse_mirred_nic(ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 {
  attr.parse_attr.mirred_ifindex[0] = act.dev!.ifindex;
  ps.flow.flags.add('HAIRPIN');
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
  return 0;
});

export const mlx5e_tc_act_mirred_nic: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_mirred_nic,
  parse_action: tc_act_parse_mirred_nic,
  is_terminating_action: true,
};
