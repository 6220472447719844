// The TC flow objects of the mlx5e driver: struct mlx5e_tc_flow
// (core/en/tc_priv.h), struct mlx5_flow_attr (core/en_tc.h),
// struct mlx5_esw_flow_attr (core/eswitch.h), struct mlx5e_tc_flow_parse_attr
// and the action parse state (core/en/tc/act/act.h). Types only.
import type { NetDevice } from '../../../kernel/include/linux/netdevice';
import type { NetlinkExtAck } from '../../../kernel/include/linux/netlink';
import type { FlowAction, FlowActionTunnel } from '../../../kernel/include/net/flow_offload';
import type { Mlx5eEncapFlowItem } from './tc_tun_encap';
import type { Mlx5PktReformat } from '../fs_core';
import type { Mlx5FlowSpec } from '../../../kernel/include/linux/mlx5/fs';
import type { Mlx5CoreDev } from '../mlx5_core';
import type { Mlx5FlowHandle, Mlx5FlowTable } from '../fs_core';
import type { Mlx5Fc } from '../fs_counters';
import type { Mlx5EswitchRep } from '../eswitch';
import type { Mlx5ePriv } from '../en';
import type { Mlx5ModifyHdr } from '../../../kernel/include/linux/mlx5/fs';
import type { Mlx5eModHdrHandle } from './mod_hdr';
import type { Mlx5eFlowMeterHandle, Mlx5eFlowMeterParams } from './tc/meter';
import type { Mlx5CtFt, Mlx5TcCtPriv } from './tc_ct';
import type { Mlx5ePostActHandle } from './tc/post_act';

/** enum mlx5e_tc_flow_flags (core/en/tc_priv.h) */
export type Mlx5eTcFlowFlag =
  | 'INGRESS' | 'EGRESS' | 'ESWITCH' | 'FT' | 'NIC' | 'OFFLOADED' | 'HAIRPIN' | 'HAIRPIN_RSS'
  | 'SLOW' | 'DUP' | 'NOT_READY' | 'DELETED' | 'L3_TO_L2_DECAP' | 'TUN_RX' | 'FAILED' | 'SAMPLE'
  | 'USE_ACT_STATS' | 'CT';

/** MLX5_ATTR_FLAG_* (core/en_tc.h) */
export const MLX5_ATTR_FLAG_VLAN_HANDLED = 1 << 0;
export const MLX5_ATTR_FLAG_SLOW_PATH = 1 << 1;
export const MLX5_ATTR_FLAG_NO_IN_PORT = 1 << 2;
export const MLX5_ATTR_FLAG_SRC_REWRITE = 1 << 3;
export const MLX5_ATTR_FLAG_SAMPLE = 1 << 4;
export const MLX5_ATTR_FLAG_ACCEPT = 1 << 5;
export const MLX5_ATTR_FLAG_CT = 1 << 6;
export const MLX5_ATTR_FLAG_TERMINATING = 1 << 7;
export const MLX5_ATTR_FLAG_MTU = 1 << 8;

/** match levels (enum mlx5_flow_match_level) */
export const MLX5_MATCH_NONE = 0;
export const MLX5_MATCH_L2 = 1;
export const MLX5_MATCH_L3 = 2;
export const MLX5_MATCH_L4 = 3;

/** struct mlx5e_tc_flow_parse_attr */
export interface Mlx5eTcFlowParseAttr {
  spec: Mlx5FlowSpec;
  filter_dev: NetDevice;
  mirred_ifindex: number[];
  /** tun_info[out]: the tunnel key of an encap output (parse_mirred_encap). */
  tun_info?: Array<FlowActionTunnel | undefined>;
  /** mod_hdr_acts: the header rewrites offload_pedit_fields produced (set/add, field, value). */
  mod_hdr_acts?: Mlx5ModHdrAction[];
  /** hdrs: this attr's pedit headers when the rule was split (set, add). */
  hdrs?: [PeditHeaders, PeditHeaders];
}

/** One modify-header action (mlx5_ifc set_action_in / add_action_in). */
export interface Mlx5ModHdrAction {
  action_type: 'SET' | 'ADD';
  field: string;
  data: number;
  /** Register writes (mlx5e_tc_match_to_reg_set): bit offset and length. */
  offset?: number;
  length?: number;
}

/** struct pedit_headers (one per command: set, add): per header type, the rewrite mask and value bytes. */
export interface PeditHeaders {
  masks: Map<number, Uint8Array>;
  vals: Map<number, Uint8Array>;
  pedits: number;
}

/** One output of an eswitch rule (struct mlx5_esw_flow_attr.dests[]). */
export interface Mlx5EswFlowDest {
  vport: number;
  vport_valid: boolean;
  mdev: Mlx5CoreDev;
  flags: number;
  /** The encap header of an MLX5_ESW_DEST_ENCAP_VALID output. */
  pkt_reformat?: Mlx5PktReformat;
}

/** struct mlx5_esw_flow_attr */
export interface Mlx5EswFlowAttr {
  in_rep: Mlx5EswitchRep;
  in_mdev: Mlx5CoreDev;
  out_count: number;
  split_count: number;
  dests: Mlx5EswFlowDest[];
  /** rx_tun_attr: the outer addresses of a decap match (mlx5e_tc_set_attr_rx_tun). */
  rx_tun_attr?: { dst_ip: number; src_ip: number };
  /** VLAN push/pop bookkeeping (parse_tc_vlan_action). */
  total_vlan?: number;
  vlan_vid?: number[];
  vlan_prio?: number[];
  vlan_proto?: number[];
}

/** struct mlx5_nic_flow_attr */
export interface Mlx5NicFlowAttr {
  flow_tag: number;
  hairpin_tirn: number;
}

/** struct mlx5_flow_attr */
export interface Mlx5FlowAttr {
  action: number;
  chain: number;
  prio: number;
  dest_chain: number;
  dest_ft: Mlx5FlowTable | null;
  ft: Mlx5FlowTable | null;
  counter: Mlx5Fc | null;
  flags: number;
  inner_match_level: number;
  outer_match_level: number;
  parse_attr: Mlx5eTcFlowParseAttr;
  esw_attr: Mlx5EswFlowAttr | null;
  nic_attr: Mlx5NicFlowAttr | null;
  /** tun_ip_version: 4 once a decap match has both outer addresses. */
  tun_ip_version?: number;
  /** tunnel_id: (tunnel id << ENC_OPTS_BITS) | enc_opts id a chain-mapped tunnel rule holds (mlx5e_get_flow_tunnel_id). */
  tunnel_id?: number;
  /** attr->modify_hdr / attr->mh: the shared modify-header context the rule applies. */
  modify_hdr?: Mlx5ModifyHdr | null;
  mh?: Mlx5eModHdrHandle | null;
  /** exe_aso_type (with EXECUTE_ASO) */
  exe_aso_type?: 'MLX5_EXE_ASO_FLOW_METER';
  /** struct mlx5_meter_attr: the police action's parameters and its meter once offloaded. */
  meter_attr?: { params: Mlx5eFlowMeterParams; meter: Mlx5eFlowMeterHandle | null };
  /** struct mlx5e_sample_attr */
  sample_attr?: { rate: number; group_num: number; trunc_size: number };
  /** struct mlx5_ct_attr (core/en/tc_ct.h) */
  ct_attr?: Mlx5CtAttr;
  /** post_act_handle: this attr's rule in the post-action table (a split rule's later parts). */
  post_act_handle?: Mlx5ePostActHandle | null;
}

/** struct mlx5_ct_attr (core/en/tc_ct.h, v6.18) */
export interface Mlx5CtAttr {
  zone: number;
  ct_action: number;
  /** The zone's nf_flowtable from act_ct; null for clear only. */
  nf_ft: { zone: number } | null;
  ct_labels_id: number;
  act_miss_mapping: number;
  act_miss_cookie: number;
  /** The per-zone pre-ct tables this attr registered with. */
  ft: Mlx5CtFt | null;
  offloaded: boolean;
}

/** struct mlx5e_tc_flow */
export interface Mlx5eTcFlow {
  priv: Mlx5ePriv;
  cookie: number;
  flags: Set<Mlx5eTcFlowFlag>;
  attr: Mlx5FlowAttr;
  rule: Mlx5FlowHandle | null;
  orig_dev: NetDevice | null;
  /** encaps[out]: the encap entry of each encap output. */
  encaps?: Array<Mlx5eEncapFlowItem | undefined>;
  /** The attr of the slow-path rule while the flow waits for a neighbour (SLOW). */
  slow_attr?: Mlx5FlowAttr;
  /** flow->rule[1]: the forward rule of a mirror split (mlx5_eswitch_add_fwd_rule). */
  rule1?: Mlx5FlowHandle | null;
  /** flow->attrs: every attr of a split rule in parse order (attr first); absent = just attr. */
  attrs?: Mlx5FlowAttr[];
}

/** struct mlx5e_tc_act_parse_state (core/en/tc/act/act.h) */
export interface Mlx5eTcActParseState {
  flow_action: FlowAction;
  flow: Mlx5eTcFlow;
  extack: NetlinkExtAck | null;
  /** Actions accumulated over all attrs. */
  actions: number;
  encap: boolean;
  decap: boolean;
  mpls_push: boolean;
  eth_push: boolean;
  eth_pop: boolean;
  ifindexes: number[];
  if_count: number;
  /** tun_info: the tunnel key of the last tunnel_key set (tc_act_parse_tun_encap). */
  tun_info?: FlowActionTunnel;
  /** hdrs[0] = set, hdrs[1] = add (struct pedit_headers_action). */
  hdrs?: [PeditHeaders, PeditHeaders];
  /** A non-clear ct action was seen (tc_act_can_offload_ct). */
  ct?: boolean;
  ct_clear?: boolean;
  ptype_host?: boolean;
  /** parse_state->ct_priv: the CT offload state (null when CT offload is not available). */
  ct_priv?: Mlx5TcCtPriv | null;
}
