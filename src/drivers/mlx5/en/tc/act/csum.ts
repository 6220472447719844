// core/en/tc/act/csum.c: the hardware recomputes checksums only after a rewrite.
import { hop } from '../../../../../trace/hop';
import { declareBranch } from '../../../../../trace/branch';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import { netdev_printk } from '../../../../../kernel/include/linux/netdevice';
import { MLX5_FLOW_CONTEXT_ACTION_MOD_HDR } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import {
  TCA_CSUM_UPDATE_FLAG_IPV4HDR, TCA_CSUM_UPDATE_FLAG_TCP, TCA_CSUM_UPDATE_FLAG_UDP,
} from '../../../../../kernel/include/uapi/linux/tc_act/tc_csum';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/csum.c';

// Counted by the coverage report: csum without a header rewrite before it.
const csum_without_pedit = declareBranch(FILE, 'tc_act_can_offload_csum', 'no_pedit');

/** csum_offload_supported (core/en/tc/act/csum.c, v6.18) */
const tc_act_can_offload_csum = hop(FILE, function tc_act_can_offload_csum(ps: Mlx5eTcActParseState, act: FlowActionEntry, _i: number, _attr: Mlx5FlowAttr): boolean {
  const flow = ps.flow;
  const prot_flags = TCA_CSUM_UPDATE_FLAG_IPV4HDR | TCA_CSUM_UPDATE_FLAG_TCP | TCA_CSUM_UPDATE_FLAG_UDP;
  const update_flags = act.csum_flags ?? 0;
  // The HW recalcs checksums only if re-writing headers.
  if (csum_without_pedit(!(flow.attr.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR))) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'TC csum action is only offloaded with pedit');
    netdev_printk('warn', flow.priv.netdev, 'TC csum action is only offloaded with pedit');
    return false;
  }
  if (update_flags & ~prot_flags) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', "can't offload TC csum action for some header/s");
    netdev_printk('warn', flow.priv.netdev, `can't offload TC csum action for some header/s - flags 0x${update_flags.toString(16)}`);
    return false;
  }
  return true;
}, { input: (_ps, act) => `flags 0x${(act.csum_flags ?? 0).toString(16)}` });

export const mlx5e_tc_act_csum: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_csum,
  parse_action: () => 0,
  is_terminating_action: false,
};
