import type { FlowOffloadAction } from '../../../../../kernel/include/net/flow_offload';
// core/en/tc/act/act.c: the per-namespace action tables. An action id with no
// entry is refused by parse_tc_actions ("Not implemented offload action").
import type { NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import type { NetlinkExtAck } from '../../../../../kernel/include/linux/netlink';
import type { FlowAction, FlowActionEntry, FlowActionId } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5FlowNamespaceType } from '../../../../../kernel/include/linux/mlx5/fs';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5eTcFlow, Mlx5FlowAttr } from '../../tc_priv';
import { mlx5e_tc_act_accept } from './accept';
import { mlx5e_tc_act_drop } from './drop';
import { mlx5e_tc_act_trap } from './trap';
import { mlx5e_tc_act_goto } from './goto';
import { mlx5e_tc_act_mirred, mlx5e_tc_act_redirect } from './mirred';
import { mlx5e_tc_act_mirred_nic } from './mirred_nic';
import { mlx5e_tc_act_mark } from './mark';
import { unmodelled } from './unmodelled';
import { mlx5e_tc_act_tun_decap, mlx5e_tc_act_tun_encap } from './tun';
import { mlx5e_tc_act_vlan } from './vlan';
import { mlx5e_tc_act_vlan_mangle } from './vlan_mangle';
import { mlx5e_tc_act_pedit } from './pedit';
import { mlx5e_tc_act_csum } from './csum';
import { mlx5e_tc_act_ptype } from './ptype';
import { mlx5e_tc_act_ct } from './ct';
import { mlx5e_tc_act_police } from './police';
import { mlx5e_tc_act_sample } from './sample';
import { mlx5e_tc_act_redirect_ingress } from './redirect_ingress';
import { mlx5e_tc_act_mpls_pop, mlx5e_tc_act_mpls_push } from './mpls';

/** struct mlx5e_tc_act (core/en/tc/act/act.h) */
export interface Mlx5eTcAct {
  can_offload?: (parse_state: Mlx5eTcActParseState, act: FlowActionEntry, act_index: number, attr: Mlx5FlowAttr) => boolean;
  parse_action: (parse_state: Mlx5eTcActParseState, act: FlowActionEntry, priv: Mlx5ePriv, attr: Mlx5FlowAttr) => 0 | NegErrno;
  post_parse?: (parse_state: Mlx5eTcActParseState, priv: Mlx5ePriv, attr: Mlx5FlowAttr) => 0 | NegErrno;
  is_terminating_action: boolean;
  /** The action needs a table of its own: when not last, the rule is split after it. */
  is_multi_table_act?: (priv: Mlx5ePriv, act: FlowActionEntry, attr: Mlx5FlowAttr) => boolean;
  /** A hardware miss after this action must resume in software at the next action. */
  is_missable?: (act: FlowActionEntry) => boolean;
  /** appended: a standalone action (TC_SETUP_ACT) replaced, destroyed, or its counters read. */
  offload_action?: (priv: Mlx5ePriv, fl_act: FlowOffloadAction, act: FlowActionEntry) => 0 | NegErrno;
  destroy_action?: (priv: Mlx5ePriv, fl_act: FlowOffloadAction) => 0 | NegErrno;
  stats_action?: (priv: Mlx5ePriv, fl_act: FlowOffloadAction) => 0 | NegErrno;
}

// core/en/tc/act/act.c (v6.18) tc_acts_fdb
const tc_acts_fdb: Partial<Record<FlowActionId, Mlx5eTcAct>> = {
  FLOW_ACTION_ACCEPT: mlx5e_tc_act_accept,
  FLOW_ACTION_DROP: mlx5e_tc_act_drop,
  FLOW_ACTION_TRAP: mlx5e_tc_act_trap,
  FLOW_ACTION_GOTO: mlx5e_tc_act_goto,
  FLOW_ACTION_REDIRECT: mlx5e_tc_act_redirect,
  FLOW_ACTION_MIRRED: mlx5e_tc_act_mirred,
  FLOW_ACTION_REDIRECT_INGRESS: mlx5e_tc_act_redirect_ingress,
  FLOW_ACTION_VLAN_PUSH: mlx5e_tc_act_vlan,
  FLOW_ACTION_VLAN_POP: mlx5e_tc_act_vlan,
  FLOW_ACTION_VLAN_MANGLE: mlx5e_tc_act_vlan_mangle,
  FLOW_ACTION_TUNNEL_ENCAP: mlx5e_tc_act_tun_encap,
  FLOW_ACTION_TUNNEL_DECAP: mlx5e_tc_act_tun_decap,
  FLOW_ACTION_MANGLE: mlx5e_tc_act_pedit,
  FLOW_ACTION_ADD: mlx5e_tc_act_pedit,
  FLOW_ACTION_CSUM: mlx5e_tc_act_csum,
  FLOW_ACTION_PTYPE: mlx5e_tc_act_ptype,
  FLOW_ACTION_SAMPLE: mlx5e_tc_act_sample,
  FLOW_ACTION_POLICE: mlx5e_tc_act_police,
  FLOW_ACTION_CT: mlx5e_tc_act_ct,
  FLOW_ACTION_VLAN_PUSH_ETH: mlx5e_tc_act_vlan,
  FLOW_ACTION_VLAN_POP_ETH: mlx5e_tc_act_vlan,
  FLOW_ACTION_MPLS_PUSH: mlx5e_tc_act_mpls_push,
  FLOW_ACTION_MPLS_POP: mlx5e_tc_act_mpls_pop,
};

// core/en/tc/act/act.c (v6.18) tc_acts_nic
const tc_acts_nic: Partial<Record<FlowActionId, Mlx5eTcAct>> = {
  FLOW_ACTION_ACCEPT: mlx5e_tc_act_accept,
  FLOW_ACTION_DROP: mlx5e_tc_act_drop,
  FLOW_ACTION_GOTO: mlx5e_tc_act_goto,
  FLOW_ACTION_REDIRECT: mlx5e_tc_act_mirred_nic,
  FLOW_ACTION_MANGLE: mlx5e_tc_act_pedit,
  FLOW_ACTION_ADD: mlx5e_tc_act_pedit,
  FLOW_ACTION_CSUM: mlx5e_tc_act_csum,
  FLOW_ACTION_MARK: mlx5e_tc_act_mark,
  FLOW_ACTION_CT: mlx5e_tc_act_ct,
};

/** mlx5e_tc_act_get (core/en/tc/act/act.c) */
export function mlx5e_tc_act_get(act_id: FlowActionId, ns_type: Mlx5FlowNamespaceType): Mlx5eTcAct | undefined {
  return (ns_type === 'MLX5_FLOW_NAMESPACE_FDB' ? tc_acts_fdb : tc_acts_nic)[act_id];
}

/** mlx5e_tc_act_init_parse_state (core/en/tc/act/act.c) */
export function mlx5e_tc_act_init_parse_state(flow: Mlx5eTcFlow, flow_action: FlowAction, extack: NetlinkExtAck | null): Mlx5eTcActParseState {
  return {
    flow, flow_action, extack, actions: 0, encap: false, decap: false, mpls_push: false, eth_push: false, eth_pop: false,
    ifindexes: [], if_count: 0,
  };
}

/** mlx5e_tc_act_post_parse (core/en/tc/act/act.c): each handler's post_parse over [from, to]. */
export function mlx5e_tc_act_post_parse(parse_state: Mlx5eTcActParseState, flow_action: FlowAction, from: number, to: number, attr: Mlx5FlowAttr, ns_type: Mlx5FlowNamespaceType): 0 | NegErrno {
  const priv = parse_state.flow.priv;
  for (let i = from; i <= to && i < flow_action.entries.length; i++) {
    const tc_act = mlx5e_tc_act_get(flow_action.entries[i]!.id, ns_type);
    if (!tc_act?.post_parse) continue;
    const err = tc_act.post_parse(parse_state, priv, attr);
    if (err) return err;
  }
  return 0;
}
