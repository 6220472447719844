// core/en/tc/act/vlan.c: FDB vlan push/pop (and the pop+push → VID rewrite).
import { hop } from '../../../../../trace/hop';
import { declareBranch } from '../../../../../trace/branch';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../../../kernel/include/linux/netlink';
import {
  MLX5_FLOW_CONTEXT_ACTION_VLAN_POP, MLX5_FLOW_CONTEXT_ACTION_VLAN_POP_2, MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH,
  MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH_2,
} from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5CoreDev } from '../../../mlx5_core';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5EswFlowAttr, Mlx5FlowAttr } from '../../tc_priv';
import { mlx5e_tc_act_vlan_add_rewrite_action } from './vlan_mangle';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/vlan.c';

/** include/linux/mlx5/fs.h (v6.18) */
export const MLX5_FS_VLAN_DEPTH = 2;
const ETH_P_8021Q = 0x8100;

/**
 * mlx5_eswitch_vlan_actions_supported (core/eswitch.h, v6.18): the FDB
 * pop_vlan/push_vlan caps (and _2 for depth 2). Every ConnectX-5 and later
 * device has them, so the emulated device does.
 */
function mlx5_eswitch_vlan_actions_supported(_dev: Mlx5CoreDev, _vlan_depth: number): boolean {
  return true;
}

// Counted by the coverage report: the rule already has MLX5_FS_VLAN_DEPTH vlan actions.
const parse_tc_vlan_action_too_deep = declareBranch(FILE, 'parse_tc_vlan_action', 'vlan_depth_exceeded');
// pop then push becomes a VID rewrite (modify header).
const tc_act_parse_vlan_pop_push = declareBranch(FILE, 'tc_act_parse_vlan', 'pop_push_to_rewrite');

/** parse_tc_vlan_action (core/en/tc/act/vlan.c, v6.18) */
const parse_tc_vlan_action = hop(FILE, function parse_tc_vlan_action(priv: Mlx5ePriv, act: FlowActionEntry, attr: Mlx5EswFlowAttr, action: { bits: number }, extack: NetlinkExtAck | null): 0 | NegErrno {
  const vlan_idx = attr.total_vlan ?? 0;
  if (parse_tc_vlan_action_too_deep(vlan_idx >= MLX5_FS_VLAN_DEPTH)) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Total vlans used is greater than supported');
    return -EOPNOTSUPP;
  }
  switch (act.id) {
    case 'FLOW_ACTION_VLAN_POP':
      if (vlan_idx) {
        if (!mlx5_eswitch_vlan_actions_supported(priv.mdev, MLX5_FS_VLAN_DEPTH)) {
          NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'vlan pop action is not supported');
          return -EOPNOTSUPP;
        }
        action.bits |= MLX5_FLOW_CONTEXT_ACTION_VLAN_POP_2;
      } else {
        action.bits |= MLX5_FLOW_CONTEXT_ACTION_VLAN_POP;
      }
      break;
    case 'FLOW_ACTION_VLAN_PUSH': {
      const v = act.vlan ?? { vid: 0, prio: 0, proto: 0 };
      (attr.vlan_vid ??= [])[vlan_idx] = v.vid;
      (attr.vlan_prio ??= [])[vlan_idx] = v.prio;
      (attr.vlan_proto ??= [])[vlan_idx] = v.proto || ETH_P_8021Q;
      if (vlan_idx) {
        if (!mlx5_eswitch_vlan_actions_supported(priv.mdev, MLX5_FS_VLAN_DEPTH)) {
          NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'vlan push action is not supported for vlan depth > 1');
          return -EOPNOTSUPP;
        }
        action.bits |= MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH_2;
      } else {
        if (!mlx5_eswitch_vlan_actions_supported(priv.mdev, 1) && (attr.vlan_proto[vlan_idx] !== ETH_P_8021Q || v.prio)) {
          NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'vlan push action is not supported');
          return -EOPNOTSUPP;
        }
        action.bits |= MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH;
      }
      break;
    }
    default:
      NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Unexpected action id for VLAN');
      return -EINVAL;
  }
  attr.total_vlan = vlan_idx + 1;
  return 0;
}, { input: (_p, act, attr) => `${act.id.replace('FLOW_ACTION_', '')} depth ${attr.total_vlan ?? 0}` });

/**
 * tc_act_parse_vlan (core/en/tc/act/vlan.c, v6.18). VLAN_PUSH_ETH needs an
 * L3-to-L2 decap (tunnel devices, not emulated), so it is refused here.
 */
const tc_act_parse_vlan = hop(FILE, function tc_act_parse_vlan(ps: Mlx5eTcActParseState, act: FlowActionEntry, priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const esw_attr = attr.esw_attr!;
  let err: 0 | NegErrno = 0;
  if (tc_act_parse_vlan_pop_push(act.id === 'FLOW_ACTION_VLAN_PUSH' && (attr.action & MLX5_FLOW_CONTEXT_ACTION_VLAN_POP) !== 0)) {
    // Replace vlan pop+push with vlan modify.
    attr.action &= ~MLX5_FLOW_CONTEXT_ACTION_VLAN_POP;
    err = mlx5e_tc_act_vlan_add_rewrite_action(priv, 'MLX5_FLOW_NAMESPACE_FDB', act, attr, ps, ps.extack);
  } else if (act.id === 'FLOW_ACTION_VLAN_POP_ETH') {
    ps.eth_pop = true;
  } else if (act.id === 'FLOW_ACTION_VLAN_PUSH_ETH') {
    if (!ps.flow.flags.has('L3_TO_L2_DECAP')) return -EOPNOTSUPP;
    ps.eth_push = true;
  } else {
    const a = { bits: attr.action };
    err = parse_tc_vlan_action(priv, act, esw_attr, a, ps.extack);
    attr.action = a.bits;
  }
  if (err) return err;
  // Outputs before the vlan action see the packet unchanged: a split rule.
  esw_attr.split_count = esw_attr.out_count;
  return 0;
}, { input: (_ps, act) => act.id.replace('FLOW_ACTION_', '') });

export const mlx5e_tc_act_vlan: Mlx5eTcAct = {
  can_offload: () => true,
  parse_action: tc_act_parse_vlan,
  is_terminating_action: false,
};
