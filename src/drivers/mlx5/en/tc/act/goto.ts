// core/en/tc/act/goto.c
import { hop } from '../../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../../../kernel/include/linux/netlink';
import {
  MLX5_FLOW_CONTEXT_ACTION_DECAP, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT,
} from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import { netdev_printk, type NetDevice } from '../../../../../kernel/include/linux/netdevice';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5eTcFlow, Mlx5FlowAttr } from '../../tc_priv';
import { mlx5_chains_backwards_supported, mlx5_chains_get_chain_range } from '../../../lib/fs_chains';
import { esw_chains } from '../../../eswitch_offloads';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/goto.c';

/**
 * validate_goto_chain (core/en/tc/act/goto.c, v6.18). The emulated device
 * has reformat_and_fwd_to_table, so the reformat/decap rule never fires.
 */
const validate_goto_chain = hop(FILE, function validate_goto_chain(priv: Mlx5ePriv, flow: Mlx5eTcFlow, attr: Mlx5FlowAttr, act: FlowActionEntry, extack: NetlinkExtAck | null): 0 | NegErrno {
  const is_esw = flow.flags.has('ESWITCH');
  const chains = is_esw ? esw_chains(priv.mdev.priv.eswitch!) : priv.fs.tc.chains!;
  const dest_chain = act.chain_index ?? 0;
  const max_chain = mlx5_chains_get_chain_range(chains);
  if (flow.flags.has('FT')) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Goto action is not supported');
    return -EOPNOTSUPP;
  }
  if (!mlx5_chains_backwards_supported(chains) && dest_chain <= attr.chain) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "Goto lower numbered chain isn't supported");
    return -EOPNOTSUPP;
  }
  if (dest_chain > max_chain) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Requested destination chain is out of supported range');
    return -EOPNOTSUPP;
  }
  const reformat_and_fwd = true;
  if (attr.action & (MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT | MLX5_FLOW_CONTEXT_ACTION_DECAP) && !reformat_and_fwd) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Goto chain is not allowed if action has reformat or decap');
    return -EOPNOTSUPP;
  }
  return 0;
}, { input: (_p, _f, attr, act) => `chain ${attr.chain} → ${act.chain_index}` });

const tc_act_can_offload_goto = hop(FILE, function tc_act_can_offload_goto(ps: Mlx5eTcActParseState, act: FlowActionEntry, _i: number, attr: Mlx5FlowAttr): boolean {
  return validate_goto_chain(ps.flow.priv, ps.flow, attr, act, ps.extack) === 0;
});

const tc_act_parse_goto = hop(FILE, function tc_act_parse_goto(_ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 {
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
  attr.dest_chain = act.chain_index ?? 0;
  return 0;
});

const tc_act_post_parse_goto = hop(FILE, function tc_act_post_parse_goto(ps: Mlx5eTcActParseState, priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  if (!attr.dest_chain) return 0;
  if (ps.decap) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', "Decap with goto isn't supported");
    netdev_printk('warn', priv.netdev as NetDevice, "Decap with goto isn't supported");
    return -EOPNOTSUPP;
  }
  if (!ps.flow.flags.has('ESWITCH') && attr.parse_attr.mirred_ifindex[0]) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', "Mirroring goto chain rules isn't supported");
    return -EOPNOTSUPP;
  }
  return 0;
});

export const mlx5e_tc_act_goto: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_goto,
  parse_action: tc_act_parse_goto,
  post_parse: tc_act_post_parse_goto,
  is_terminating_action: true,
};
