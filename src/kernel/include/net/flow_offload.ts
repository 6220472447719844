// include/net/flow_offload.h: what drivers see of a classifier rule
// (struct flow_rule) and of a block bind (struct flow_block_offload).
import type { NegErrno } from '../uapi/asm-generic/errno';
import type { NetlinkExtAck } from '../linux/netlink';
import type { NetDevice, TcSetupType } from '../linux/netdevice';
import type {
  FlowDissector, FlowDissectorKeyId, FlowKeys, FlowDissectorKeyBasic, FlowDissectorKeyControl,
  FlowDissectorKeyEthAddrs, FlowDissectorKeyIpv4Addrs, FlowDissectorKeyIpv6Addrs, FlowDissectorKeyPorts,
  FlowDissectorKeyIp, FlowDissectorKeyVlan, FlowDissectorKeyTcp, FlowDissectorKeyIcmp, FlowDissectorKeyArp,
  FlowDissectorKeyMeta,
} from './flow_dissector';

export interface FlowMatch {
  dissector: FlowDissector;
  mask: FlowKeys;
  key: FlowKeys;
}

export type FlowActionId =
  | 'FLOW_ACTION_ACCEPT'
  | 'FLOW_ACTION_DROP'
  | 'FLOW_ACTION_TRAP'
  | 'FLOW_ACTION_GOTO'
  | 'FLOW_ACTION_REDIRECT'
  | 'FLOW_ACTION_MIRRED'
  | 'FLOW_ACTION_REDIRECT_INGRESS'
  | 'FLOW_ACTION_MIRRED_INGRESS'
  | 'FLOW_ACTION_VLAN_PUSH'
  | 'FLOW_ACTION_VLAN_POP'
  | 'FLOW_ACTION_VLAN_MANGLE'
  | 'FLOW_ACTION_TUNNEL_ENCAP'
  | 'FLOW_ACTION_TUNNEL_DECAP'
  | 'FLOW_ACTION_MANGLE'
  | 'FLOW_ACTION_ADD'
  | 'FLOW_ACTION_CSUM'
  | 'FLOW_ACTION_MARK'
  | 'FLOW_ACTION_PTYPE'
  | 'FLOW_ACTION_PRIORITY'
  | 'FLOW_ACTION_CT'
  | 'FLOW_ACTION_POLICE'
  | 'FLOW_ACTION_SAMPLE'
  // appended: ids act_vlan / act_skbedit / act_police can produce
  | 'FLOW_ACTION_VLAN_PUSH_ETH'
  | 'FLOW_ACTION_VLAN_POP_ETH'
  | 'FLOW_ACTION_RX_QUEUE_MAPPING'
  | 'FLOW_ACTION_PIPE'
  | 'FLOW_ACTION_JUMP'
  // appended: ids act_mpls produces
  | 'FLOW_ACTION_MPLS_PUSH'
  | 'FLOW_ACTION_MPLS_POP'
  | 'FLOW_ACTION_MPLS_MANGLE'
  // appended: act_police's "continue" verdict
  | 'FLOW_ACTION_CONTINUE';

/** enum flow_action_hw_stats */
export const FLOW_ACTION_HW_STATS_IMMEDIATE = 1 << 0;
export const FLOW_ACTION_HW_STATS_DELAYED = 1 << 1;
export const FLOW_ACTION_HW_STATS_ANY = FLOW_ACTION_HW_STATS_IMMEDIATE | FLOW_ACTION_HW_STATS_DELAYED;
export const FLOW_ACTION_HW_STATS_DISABLED = 1 << 2;
export const FLOW_ACTION_HW_STATS_DONT_CARE = (1 << 3) - 1;

export interface FlowActionEntry {
  id: FlowActionId;
  hw_stats: number;
  hw_index: number;
  /** User cookie (TCA_ACT_COOKIE), OVS puts its ufid here. */
  user_cookie?: Uint8Array;
  /** REDIRECT / MIRRED targets. */
  dev?: NetDevice | null;
  /** GOTO */
  chain_index?: number;
  /** VLAN_PUSH / VLAN_MANGLE */
  vlan?: { vid: number; proto: number; prio: number };
  /** MARK */
  mark?: number;
}

export interface FlowAction {
  entries: FlowActionEntry[];
}

export interface FlowRule {
  match: FlowMatch;
  action: FlowAction;
}

export interface FlowStats {
  pkts: number;
  bytes: number;
  drops: number;
  lastused: number;
  used_hw_stats: number;
  used_hw_stats_valid: boolean;
}

/** enum flow_cls_command */
export const FLOW_CLS_REPLACE = 0;
export const FLOW_CLS_DESTROY = 1;
export const FLOW_CLS_STATS = 2;
export const FLOW_CLS_TMPLT_CREATE = 3;
export const FLOW_CLS_TMPLT_DESTROY = 4;
export type FlowClsCommand = 0 | 1 | 2 | 3 | 4;

export interface FlowClsCommonOffload {
  chain_index: number;
  /** Filter protocol (ethertype value; __be16 upstream). */
  protocol: number;
  /** User-visible pref (tp->prio >> 16). */
  prio: number;
  skip_sw: boolean;
  /** Only non-null when the filter has skip_sw or verbose (fl_hw_replace_filter). */
  extack: NetlinkExtAck | null;
}

/** struct flow_cls_offload */
export interface FlowClsOffload {
  common: FlowClsCommonOffload;
  command: FlowClsCommand;
  use_act_stats: boolean;
  /** Identity of the filter instance (a pointer upstream; a replace gets a new one). */
  cookie: number;
  rule: FlowRule | null;
  stats: FlowStats;
  classid: number;
}

export function flow_stats_zero(): FlowStats {
  return { pkts: 0, bytes: 0, drops: 0, lastused: 0, used_hw_stats: 0, used_hw_stats_valid: false };
}

/** flow_stats_update() */
export function flow_stats_update(s: FlowStats, bytes: number, pkts: number, drops: number, lastused: number, used_hw_stats: number): void {
  s.bytes += bytes;
  s.pkts += pkts;
  s.drops += drops;
  s.lastused = Math.max(s.lastused, lastused);
  s.used_hw_stats = used_hw_stats;
  s.used_hw_stats_valid = true;
}

// Block binding (struct flow_block_offload)
export const FLOW_BLOCK_BIND = 0;
export const FLOW_BLOCK_UNBIND = 1;
export const FLOW_BLOCK_BINDER_TYPE_UNSPEC = 0;
export const FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS = 1;
export const FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS = 2;

export type FlowSetupCb = (type: TcSetupType, type_data: unknown, cb_priv: unknown) => 0 | NegErrno;

export interface FlowBlockCb {
  cb: FlowSetupCb;
  cb_ident: unknown;
  cb_priv: unknown;
  /** The block it was bound to (for unbind lookups). */
  block: FlowBlock | null;
}

/** struct flow_block: the callbacks bound to one tcf_block. */
export interface FlowBlock {
  cb_list: FlowBlockCb[];
}

export interface FlowBlockOffload {
  command: typeof FLOW_BLOCK_BIND | typeof FLOW_BLOCK_UNBIND;
  binder_type: number;
  block_shared: boolean;
  unlocked_driver_cb: boolean;
  block: FlowBlock;
  /** Callbacks the driver adds during this bind/unbind. */
  cb_list: FlowBlockCb[];
  /** The driver's own list (set by flow_block_cb_setup_simple). */
  driver_block_list: FlowBlockCb[] | null;
  extack: NetlinkExtAck | null;
}

// flow_rule_match_*: static inline accessors drivers use
export interface FlowMatchPair<T> { key: T; mask: T }

export function flow_rule_match_key(rule: FlowRule, key: FlowDissectorKeyId): boolean {
  return rule.match.dissector.used_keys.has(key);
}
function pair<K extends keyof FlowKeys>(rule: FlowRule, k: K): FlowMatchPair<FlowKeys[K]> {
  return { key: rule.match.key[k], mask: rule.match.mask[k] };
}
export function flow_rule_match_meta(r: FlowRule): FlowMatchPair<FlowDissectorKeyMeta> { return pair(r, 'meta'); }
export function flow_rule_match_control(r: FlowRule): FlowMatchPair<FlowDissectorKeyControl> { return pair(r, 'control'); }
export function flow_rule_match_basic(r: FlowRule): FlowMatchPair<FlowDissectorKeyBasic> { return pair(r, 'basic'); }
export function flow_rule_match_eth_addrs(r: FlowRule): FlowMatchPair<FlowDissectorKeyEthAddrs> { return pair(r, 'eth'); }
export function flow_rule_match_vlan(r: FlowRule): FlowMatchPair<FlowDissectorKeyVlan> { return pair(r, 'vlan'); }
export function flow_rule_match_cvlan(r: FlowRule): FlowMatchPair<FlowDissectorKeyVlan> { return pair(r, 'cvlan'); }
export function flow_rule_match_ipv4_addrs(r: FlowRule): FlowMatchPair<FlowDissectorKeyIpv4Addrs> { return pair(r, 'ipv4'); }
export function flow_rule_match_ipv6_addrs(r: FlowRule): FlowMatchPair<FlowDissectorKeyIpv6Addrs> { return pair(r, 'ipv6'); }
export function flow_rule_match_ports(r: FlowRule): FlowMatchPair<FlowDissectorKeyPorts> { return pair(r, 'tp'); }
export function flow_rule_match_ip(r: FlowRule): FlowMatchPair<FlowDissectorKeyIp> { return pair(r, 'ip'); }
export function flow_rule_match_tcp(r: FlowRule): FlowMatchPair<FlowDissectorKeyTcp> { return pair(r, 'tcp'); }
export function flow_rule_match_icmp(r: FlowRule): FlowMatchPair<FlowDissectorKeyIcmp> { return pair(r, 'icmp'); }
export function flow_rule_match_arp(r: FlowRule): FlowMatchPair<FlowDissectorKeyArp> { return pair(r, 'arp'); }

// Appended: the tunnel/conntrack part of a flower match (same key/mask
// convention as FlowMatch), present when the classifier filled it.
import type { FlowKeysExt, FlowDissectorKeyKeyid, FlowDissectorKeyEncControl, FlowDissectorKeyCt } from './flow_dissector';

export interface FlowMatchExt {
  key: FlowKeysExt;
  mask: FlowKeysExt;
}

// Declaration merging: optional members added without touching the originals.
export interface FlowMatch {
  /** Tunnel/conntrack keys (flower always sets it). */
  ext?: FlowMatchExt;
}
export interface FlowActionEntry {
  /** TUNNEL_ENCAP */
  tunnel?: FlowActionTunnel;
  /** CT: zone and ct action flags (TCA_CT_ACT_*) */
  ct?: { zone: number; action: number; /** the zone's nf_flowtable (act_ct); absent for clear */ flow_table?: { zone: number } | null };
  /** MANGLE / ADD: one pedit key */
  mangle?: { htype: number; offset: number; mask: number; val: number };
  /** CSUM: TCA_CSUM_UPDATE_FLAG_* */
  csum_flags?: number;
  /** PRIORITY */
  priority?: number;
  /** SAMPLE */
  sample?: { rate: number; group: number; trunc_size: number };
  /** POLICE */
  police?: { index: number; rate_bytes_ps: number; burst: number; exceed: number; notexceed: number };
}

/** The extended match of a rule, if its classifier set one (flower always does). */
export function flow_rule_match_ext(rule: FlowRule): FlowMatchExt | undefined {
  return rule.match.ext;
}
function pairExt<K extends keyof FlowKeysExt>(rule: FlowRule, k: K): FlowMatchPair<FlowKeysExt[K]> | undefined {
  const e = flow_rule_match_ext(rule);
  return e ? { key: e.key[k], mask: e.mask[k] } : undefined;
}
export function flow_rule_match_enc_keyid(r: FlowRule): FlowMatchPair<FlowDissectorKeyKeyid> | undefined { return pairExt(r, 'enc_key_id'); }
export function flow_rule_match_enc_control(r: FlowRule): FlowMatchPair<FlowDissectorKeyEncControl> | undefined { return pairExt(r, 'enc_control'); }
export function flow_rule_match_enc_ipv4_addrs(r: FlowRule): FlowMatchPair<FlowDissectorKeyIpv4Addrs> | undefined { return pairExt(r, 'enc_ipv4'); }
export function flow_rule_match_enc_ipv6_addrs(r: FlowRule): FlowMatchPair<FlowDissectorKeyIpv6Addrs> | undefined { return pairExt(r, 'enc_ipv6'); }
export function flow_rule_match_enc_ports(r: FlowRule): FlowMatchPair<FlowDissectorKeyPorts> | undefined { return pairExt(r, 'enc_tp'); }
export function flow_rule_match_enc_ip(r: FlowRule): FlowMatchPair<FlowDissectorKeyIp> | undefined { return pairExt(r, 'enc_ip'); }
export function flow_rule_match_ct(r: FlowRule): FlowMatchPair<FlowDissectorKeyCt> | undefined { return pairExt(r, 'ct'); }

/** FLOW_ACTION_TUNNEL_ENCAP parameters (struct ip_tunnel_info, the parts we model). */
export interface FlowActionTunnel {
  key_id: number;
  ipv4_src: number;
  ipv4_dst: number;
  ipv6_src?: Uint8Array;
  ipv6_dst?: Uint8Array;
  tp_dst: number;
  tos: number;
  ttl: number;
  no_csum: boolean;
  /** ip_tunnel_info options with IP_TUNNEL_VXLAN_OPT_BIT: struct vxlan_metadata (gbp, masked by VXLAN_GBP_MASK) */
  vxlan_opt?: { gbp: number };
  /** ip_tunnel_info options with IP_TUNNEL_ERSPAN_OPT_BIT: struct erspan_metadata */
  erspan_opt?: { version: number; index: number; dir: number; hwid: number };
}

// Appended by the tc actions: fields of flow_action_entry they fill.
export interface FlowActionEntry {
  /** VLAN_PUSH_ETH */
  vlan_push_eth?: { dst: Uint8Array; src: Uint8Array };
  /** MPLS_PUSH (proto, label, tc, ttl, bos), MPLS_POP (proto), MPLS_MANGLE (label, tc, ttl, bos). */
  mpls_push?: { proto: number; label: number; tc: number; ttl: number; bos: number };
  mpls_pop?: { proto: number };
  mpls_mangle?: { label: number; tc: number; ttl: number; bos: number };
  /** PTYPE */
  ptype?: number;
  /** RX_QUEUE_MAPPING */
  rx_queue?: number;
  /** POLICE: the conform/exceed verdicts as flow actions, with their goto/jump value. */
  police_act?: {
    exceed: FlowActionId; exceed_extval: number; notexceed: FlowActionId; notexceed_extval: number;
    peakrate_bytes_ps: number; avrate: number; overhead: number; mtu: number; burst_pkt: number; rate_pkt_ps: number;
  };
  /** TUNNEL_ENCAP: geneve options as carried in ip_tunnel_info (class/type/data). */
  tunnel_opts?: Array<{ opt_class: number; type: number; data: Uint8Array }>;
}

import type { FlowDissectorKeyMpls } from './flow_dissector';
/** flow_rule_match_mpls() */
export function flow_rule_match_mpls(r: FlowRule): FlowMatchPair<FlowDissectorKeyMpls> | undefined {
  const e = flow_rule_match_ext(r);
  return e?.key.mpls && e.mask.mpls ? { key: e.key.mpls, mask: e.mask.mpls } : undefined;
}

/** flow_rule_match_enc_opts (appended): the tunnel options flower put in FLOW_DISSECTOR_KEY_ENC_OPTS. */
export function flow_rule_match_enc_opts(r: FlowRule): FlowMatchPair<NonNullable<FlowKeysExt['enc_opts']>> | undefined {
  const e = flow_rule_match_ext(r);
  return e?.key.enc_opts && e.mask.enc_opts ? { key: e.key.enc_opts, mask: e.mask.enc_opts } : undefined;
}

// ---------------------------------------------------------------- standalone actions
// appended: what a driver sees of a `tc actions add` action (TC_SETUP_ACT).

/** enum offload_act_command */
export const FLOW_ACT_REPLACE = 0;
export const FLOW_ACT_DESTROY = 1;
export const FLOW_ACT_STATS = 2;
export type OffloadActCommand = 0 | 1 | 2;

/** struct flow_offload_action */
export interface FlowOffloadAction {
  /** NULL for FLOW_ACT_STATS and FLOW_ACT_DESTROY. */
  extack: NetlinkExtAck | null;
  command: OffloadActCommand;
  /** The kind's flow action id, set by its offload_act_setup (bind = false). */
  id: FlowActionId | null;
  index: number;
  /** Identity of the action instance (a pointer upstream). */
  cookie: unknown;
  stats: FlowStats;
  /** Filled only for FLOW_ACT_REPLACE (tc_setup_action). */
  action: FlowAction;
}

/** flow_offload_has_one_action() */
export function flow_offload_has_one_action(action: FlowAction): boolean {
  return action.entries.length === 1;
}
