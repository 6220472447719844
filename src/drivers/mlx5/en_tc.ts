// core/en_tc.c: TC flower offload for mlx5e netdevs. A flower REPLACE is
// translated into an mlx5 flow spec (parse_cls_flower) and actions
// (parse_tc_*_actions), then installed in the NIC TC tables (legacy) or the
// eswitch FDB (switchdev). Flows are kept per netdev by tc cookie.
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import {
  EEXIST, EINVAL, EBUSY, ENOENT, ENOSPC, EOPNOTSUPP, type NegErrno,
} from '../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../kernel/include/linux/netlink';
import { TC_SETUP_CLSFLOWER, netdev_printk, type NetDevice, type TcSetupType } from '../../kernel/include/linux/netdevice';
import {
  FLOW_ACTION_HW_STATS_DELAYED, FLOW_CLS_DESTROY, FLOW_CLS_REPLACE, FLOW_CLS_STATS,
  flow_rule_match_basic, flow_rule_match_control, flow_rule_match_cvlan, flow_rule_match_eth_addrs,
  flow_rule_match_icmp, flow_rule_match_ip, flow_rule_match_ipv4_addrs, flow_rule_match_ipv6_addrs,
  flow_rule_match_key, flow_rule_match_meta, flow_rule_match_ports, flow_rule_match_tcp, flow_rule_match_vlan,
  flow_stats_update,
  type FlowAction, type FlowClsOffload, type FlowRule,
} from '../../kernel/include/net/flow_offload';
import {
  FLOW_DIS_IS_FRAGMENT, FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID, FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID,
  type FlowDissectorKeyId,
} from '../../kernel/include/net/flow_dissector';
import { tc_can_offload_extack, tc_cls_can_offload_and_chain0 } from '../../kernel/include/net/pkt_cls';
import { dev_get_by_index } from '../../kernel/net/core/dev';
import {
  MLX5_FLEX_PROTO_ICMP, MLX5_FLEX_PROTO_ICMPV6, MLX5_MATCH_MISC_PARAMETERS, MLX5_MATCH_MISC_PARAMETERS_3,
  MLX5_MATCH_OUTER_HEADERS, MLX5_VPORT_UPLINK,
} from '../../kernel/include/linux/mlx5/device';
import {
  MLX5_FLOW_CONTEXT_ACTION_COUNT, MLX5_FLOW_CONTEXT_ACTION_DROP, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST,
  MLX5_FLOW_CONTEXT_ACTION_MOD_HDR, MLX5_FLOW_CONTEXT_ACTION_VLAN_POP, MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH,
  MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO,
  MLX5_GET, MLX5_SET, MLX5_SET_TO_ONES, fte_field_from_bits,
  type FteMatchParam,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, FLOW_ACT_NO_APPEND, FLOW_CONTEXT_HAS_TAG, MLX5_FS_DEFAULT_FLOW_TAG,
  mlx5_flow_spec_zero,
  type Mlx5FlowAct, type Mlx5FlowDestination, type Mlx5FlowNamespaceType, type Mlx5FlowSpec,
} from '../../kernel/include/linux/mlx5/fs';
import type { Mlx5ePriv } from './en';
import {
  MLX5_MATCH_L2, MLX5_MATCH_L3, MLX5_MATCH_L4, MLX5_MATCH_NONE,
  MLX5_ATTR_FLAG_MTU, MLX5_ATTR_FLAG_SAMPLE, MLX5_ATTR_FLAG_TERMINATING,
  type Mlx5eTcActParseState, type Mlx5eTcFlow, type Mlx5eTcFlowFlag, type Mlx5FlowAttr, type Mlx5ModHdrAction,
} from './en/tc_priv';
import { mlx5e_tc_act_get, mlx5e_tc_act_init_parse_state, mlx5e_tc_act_post_parse } from './en/tc/act/act';
import { PEDIT_CMD_ADD, PEDIT_CMD_SET, mlx5e_mod_hdr_max_actions } from './en/tc/act/pedit';
import {
  TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, TCA_PEDIT_KEY_EX_HDR_TYPE_IP6,
  TCA_PEDIT_KEY_EX_HDR_TYPE_TCP, TCA_PEDIT_KEY_EX_HDR_TYPE_UDP,
} from '../../kernel/include/uapi/linux/tc_act/tc_pedit';
import {
  mlx5_ct_attr_zero, mlx5_tc_ct_clean, mlx5_tc_ct_delete_flow, mlx5_tc_ct_init, mlx5_tc_ct_match_add, mlx5_tc_ct_match_del,
  type Mlx5TcCtPriv,
} from './en/tc_ct';
import {
  mlx5e_tc_post_act_add, mlx5e_tc_post_act_del, mlx5e_tc_post_act_destroy, mlx5e_tc_post_act_init, mlx5e_tc_post_act_offload,
  mlx5e_tc_post_act_set_handle, type Mlx5ePostAct,
} from './en/tc/post_act';
import { mapping_add, mapping_create_for_id, mapping_remove, type MappingCtx } from './en/mapping';
import { mlx5e_esw_uplink_priv } from './en/rep/neigh';
import type { Mlx5eRepUplinkPriv } from './en/rep/neigh';
import { mlx5e_mod_hdr_attach, mlx5e_mod_hdr_detach, mlx5e_mod_hdr_get, mlx5e_mod_hdr_tbl_init, type ModHdrTbl } from './en/mod_hdr';
import { mlx5e_tc_meter_put, mlx5e_tc_meter_replace } from './en/tc/meter';
import { mlx5e_tc_sample_offload } from './en/tc/sample';
import {
  mlx5_add_flow_rules, mlx5_create_auto_grouped_flow_table, mlx5_del_flow_rules, mlx5_flow_table_attr,
  mlx5_get_flow_namespace, type Mlx5FlowHandle,
} from './fs_core';
import { mlx5_fc_create, mlx5_fc_destroy, mlx5_fc_query_cached, type Mlx5Fc } from './fs_counters';
import {
  MLX5_CHAINS_AND_PRIOS_SUPPORTED, MLX5_CHAINS_IGNORE_FLOW_LEVEL_SUPPORTED, mlx5_chains_create,
  mlx5_chains_get_chain_range, mlx5_chains_get_prio_range, mlx5_chains_get_table, mlx5_chains_put_table,
} from './lib/fs_chains';
import { mlx5_esw_get, mlx5_esw_hold, mlx5_esw_put, mlx5_esw_release, MLX5_INLINE_MODE_NONE } from './eswitch';
import {
  esw_chains, mlx5_eswitch_add_fwd_rule, mlx5_eswitch_add_offloaded_rule, mlx5_eswitch_del_fwd_rule, mlx5_eswitch_del_offloaded_rule,
} from './eswitch_offloads';
import { mlx5e_eswitch_vf_rep, mlx5e_is_uplink_rep } from './en_rep';

import { mlx5e_filter_dev_is_tunnel, mlx5e_put_flow_tunnel_id, mlx5e_tc_offload_to_slow_path, mlx5e_tc_unoffload_from_slow_path, parse_tunnel_attr } from './en_tc_tunnel';
import { mlx5e_detach_encaps, mlx5e_tc_tun_encap_dests_set } from './en/tc_tun_encap';
import { mlx5e_tc_tun_route_lookup } from './en/tc_tun';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en_tc.c';
const MOD = 'mlx5_core';

/** MLX5_TC_FLAG(x) (core/en_tc.h, v6.18) */
export const MLX5_TC_FLAG_INGRESS = 1 << 0;
export const MLX5_TC_FLAG_EGRESS = 1 << 1;
export const MLX5_TC_FLAG_NIC_OFFLOAD = 1 << 2;
export const MLX5_TC_FLAG_ESW_OFFLOAD = 1 << 3;
export const MLX5_TC_FLAG_FT_OFFLOAD = 1 << 4;

/** core/en/fs.h */
const MLX5E_TC_FT_LEVEL = 0;
/** core/en_tc.c (v6.18): max_grp_num of the NIC chains. */
const MLX5E_TC_TABLE_NUM_GROUPS = 4;

const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ICMPV6 = 58;
const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
const ETH_P_8021AD = 0x88a8;

/** enum flow_dissector_key_id values (include/net/flow_dissector.h, v6.18), for the debug log. */
const KEY_BIT: Record<FlowDissectorKeyId, number> = {
  FLOW_DISSECTOR_KEY_CONTROL: 0, FLOW_DISSECTOR_KEY_BASIC: 1, FLOW_DISSECTOR_KEY_IPV4_ADDRS: 2,
  FLOW_DISSECTOR_KEY_IPV6_ADDRS: 3, FLOW_DISSECTOR_KEY_PORTS: 4, FLOW_DISSECTOR_KEY_PORTS_RANGE: 5,
  FLOW_DISSECTOR_KEY_ICMP: 6, FLOW_DISSECTOR_KEY_ETH_ADDRS: 7, FLOW_DISSECTOR_KEY_ARP: 9,
  FLOW_DISSECTOR_KEY_VLAN: 10, FLOW_DISSECTOR_KEY_ENC_KEYID: 14, FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS: 15,
  FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS: 16, FLOW_DISSECTOR_KEY_ENC_CONTROL: 17, FLOW_DISSECTOR_KEY_ENC_PORTS: 18,
  FLOW_DISSECTOR_KEY_MPLS: 19, FLOW_DISSECTOR_KEY_TCP: 20, FLOW_DISSECTOR_KEY_IP: 21, FLOW_DISSECTOR_KEY_CVLAN: 22,
  FLOW_DISSECTOR_KEY_ENC_IP: 23, FLOW_DISSECTOR_KEY_ENC_OPTS: 24, FLOW_DISSECTOR_KEY_META: 25,
  FLOW_DISSECTOR_KEY_CT: 26, FLOW_DISSECTOR_KEY_HASH: 27, FLOW_DISSECTOR_KEY_NUM_OF_VLANS: 28,
  FLOW_DISSECTOR_KEY_PPPOE: 29, FLOW_DISSECTOR_KEY_L2TPV3: 30, FLOW_DISSECTOR_KEY_CFM: 31, FLOW_DISSECTOR_KEY_IPSEC: 32,
};

// __parse_cls_flower (en_tc.c, v6.18): the dissector keys the driver accepts.
const SUPPORTED_KEYS: ReadonlySet<FlowDissectorKeyId> = new Set<FlowDissectorKeyId>([
  'FLOW_DISSECTOR_KEY_META', 'FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_ETH_ADDRS',
  'FLOW_DISSECTOR_KEY_VLAN', 'FLOW_DISSECTOR_KEY_CVLAN', 'FLOW_DISSECTOR_KEY_IPV4_ADDRS', 'FLOW_DISSECTOR_KEY_IPV6_ADDRS',
  'FLOW_DISSECTOR_KEY_PORTS', 'FLOW_DISSECTOR_KEY_ENC_KEYID', 'FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS',
  'FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS', 'FLOW_DISSECTOR_KEY_ENC_PORTS', 'FLOW_DISSECTOR_KEY_ENC_CONTROL',
  'FLOW_DISSECTOR_KEY_TCP', 'FLOW_DISSECTOR_KEY_IP', 'FLOW_DISSECTOR_KEY_CT', 'FLOW_DISSECTOR_KEY_ENC_IP',
  'FLOW_DISSECTOR_KEY_ENC_OPTS', 'FLOW_DISSECTOR_KEY_ICMP', 'FLOW_DISSECTOR_KEY_MPLS',
]);

function is_err<T>(x: T | NegErrno): x is NegErrno {
  return typeof x === 'number';
}

function flowSummary(f: FlowClsOffload): string {
  return `cookie ${f.cookie} chain ${f.common.chain_index} prio ${f.common.prio}`;
}

// ---------------------------------------------------------------------------
// helpers

/** get_tc_ht (core/en_tc.c, v6.18): representors keep their own table. */
function get_tc_ht(priv: Mlx5ePriv, flags: number): Map<number, Mlx5eTcFlow> {
  if (flags & MLX5_TC_FLAG_ESW_OFFLOAD) return priv.ppriv!.tc_ht;
  return priv.fs.tc.ht;
}

function is_mdev_switchdev_mode(priv: Mlx5ePriv): boolean {
  return priv.mdev.priv.eswitch?.mode === 'MLX5_ESWITCH_OFFLOADS';
}

/**
 * The CT and post-action state of a netdev: the uplink representor's
 * uplink_priv in switchdev, the NIC TC table in legacy. Upstream builds both
 * in mlx5e_tc_esw_init / mlx5e_tc_nic_init; this model builds them when a
 * rule first uses ct (so devices that never see ct keep the tables they
 * had), and frees them at the same place upstream does.
 */
function mlx5e_tc_ct_state(priv: Mlx5ePriv): Mlx5eRepUplinkPriv | Mlx5ePriv['fs']['tc'] {
  return is_mdev_switchdev_mode(priv) ? mlx5e_esw_uplink_priv(priv.mdev) : priv.fs.tc;
}

/** The post_act/ct part of mlx5e_tc_esw_init and mlx5e_tc_nic_init (core/en_tc.c, v6.18); its steps are the hops. */
function mlx5e_tc_ct_post_act_init(priv: Mlx5ePriv): void {
  if (is_mdev_switchdev_mode(priv)) {
    const esw = priv.mdev.priv.eswitch!;
    const up = mlx5e_esw_uplink_priv(priv.mdev);
    const uplink = priv.mdev.uplink_netdev!.priv as Mlx5ePriv;
    up.post_act = mlx5e_tc_post_act_init(uplink, esw_chains(esw), 'MLX5_FLOW_NAMESPACE_FDB');
    up.ct_priv = mlx5_tc_ct_init(uplink, esw_chains(esw), (esw.offloads.mod_hdr ??= mlx5e_mod_hdr_tbl_init()), 'MLX5_FLOW_NAMESPACE_FDB', up.post_act);
    return;
  }
  const tc = priv.fs.tc;
  tc.post_act = tc.chains ? mlx5e_tc_post_act_init(priv, tc.chains, 'MLX5_FLOW_NAMESPACE_KERNEL') : -EOPNOTSUPP;
  tc.ct = tc.chains ? mlx5_tc_ct_init(priv, tc.chains, (tc.mod_hdr ??= mlx5e_mod_hdr_tbl_init()), 'MLX5_FLOW_NAMESPACE_KERNEL', tc.post_act) : null;
}

/** get_ct_priv (core/en_tc.c, v6.18) */
export function get_ct_priv(priv: Mlx5ePriv): Mlx5TcCtPriv | null {
  const st = mlx5e_tc_ct_state(priv);
  if ('ht' in st) {
    if (st.ct === undefined) mlx5e_tc_ct_post_act_init(priv);
    return st.ct ?? null;
  }
  if (st.ct_priv === undefined) mlx5e_tc_ct_post_act_init(priv);
  return st.ct_priv ?? null;
}

/** get_post_action (core/en_tc.c, v6.18) */
function get_post_action(priv: Mlx5ePriv): Mlx5ePostAct | NegErrno {
  const st = mlx5e_tc_ct_state(priv);
  return st.post_act ?? -EOPNOTSUPP;
}

/**
 * The post_act/ct part of mlx5e_tc_esw_cleanup / mlx5e_tc_nic_cleanup
 * (core/en_tc.c, v6.18): CT tables, then the post-action table.
 */
export function mlx5e_tc_ct_post_act_cleanup(st: Mlx5eRepUplinkPriv | Mlx5ePriv['fs']['tc']): void {
  if ('ht' in st) {
    mlx5_tc_ct_clean(st.ct ?? null);
    st.ct = undefined;
  } else {
    mlx5_tc_ct_clean(st.ct_priv ?? null);
    st.ct_priv = undefined;
  }
  if (st.post_act !== undefined && typeof st.post_act !== 'number') mlx5e_tc_post_act_destroy(st.post_act);
  st.post_act = undefined;
}

/** get_ct_priv for a rule's ct match: only a rule that matches ct state needs the CT state built. */
function ct_priv_for_match(priv: Mlx5ePriv, f: FlowClsOffload): Mlx5TcCtPriv | null {
  return flow_rule_match_key(f.rule!, 'FLOW_DISSECTOR_KEY_CT') ? get_ct_priv(priv) : null;
}

/** ESW_REG_C0_USER_DATA_METADATA_MASK (core/eswitch.h): the mapped-object ids reg_c_0 carries. */
const ESW_REG_C0_USER_DATA_METADATA_MASK = 0xffff;

/** mlx5e_get_priv_obj_mapping (core/en_tc.c, v6.18) */
function mlx5e_get_priv_obj_mapping(priv: Mlx5ePriv): MappingCtx {
  if (is_mdev_switchdev_mode(priv)) {
    const offloads = priv.mdev.priv.eswitch!.offloads;
    return (offloads.reg_c0_obj_pool ??= mapping_create_for_id('MAPPING_TYPE_CHAIN', ESW_REG_C0_USER_DATA_METADATA_MASK));
  }
  return (priv.fs.tc.mapping ??= mapping_create_for_id('MAPPING_TYPE_CHAIN', ESW_REG_C0_USER_DATA_METADATA_MASK));
}

/**
 * mlx5e_tc_action_miss_mapping_get (core/en_tc.c, v6.18): an id for "resume
 * in software after this action". The eswitch restore rule for the id
 * (esw_add_restore_rule) is not modelled.
 */
export function mlx5e_tc_action_miss_mapping_get(priv: Mlx5ePriv, _attr: Mlx5FlowAttr, act_miss_cookie: number): { err: 0 | NegErrno; id: number } {
  return mapping_add(mlx5e_get_priv_obj_mapping(priv), `act_miss:${act_miss_cookie}`);
}

/** mlx5e_tc_action_miss_mapping_put (core/en_tc.c, v6.18) */
export function mlx5e_tc_action_miss_mapping_put(priv: Mlx5ePriv, _attr: Mlx5FlowAttr, act_miss_mapping: number): void {
  mapping_remove(mlx5e_get_priv_obj_mapping(priv), act_miss_mapping);
}

/** mlx5e_tc_num_filters (core/en_tc.c) */
export function mlx5e_tc_num_filters(priv: Mlx5ePriv, flags: number): number {
  return get_tc_ht(priv, flags).size;
}

/** get_flags (core/en_tc.c): tc flags → per-flow flags. */
function get_flags(flags: number): Set<Mlx5eTcFlowFlag> {
  const s = new Set<Mlx5eTcFlowFlag>();
  if (flags & MLX5_TC_FLAG_INGRESS) s.add('INGRESS');
  if (flags & MLX5_TC_FLAG_EGRESS) s.add('EGRESS');
  if (flags & MLX5_TC_FLAG_ESW_OFFLOAD) s.add('ESWITCH');
  if (flags & MLX5_TC_FLAG_NIC_OFFLOAD) s.add('NIC');
  if (flags & MLX5_TC_FLAG_FT_OFFLOAD) s.add('FT');
  return s;
}

function mlx5e_is_eswitch_flow(flow: Mlx5eTcFlow): boolean {
  return flow.flags.has('ESWITCH');
}

function mlx5e_get_flow_namespace(flow: Mlx5eTcFlow): Mlx5FlowNamespaceType {
  return mlx5e_is_eswitch_flow(flow) ? 'MLX5_FLOW_NAMESPACE_FDB' : 'MLX5_FLOW_NAMESPACE_KERNEL';
}

/** mlx5e_alloc_flow + mlx5e_flow_attr_init (core/en_tc.c): chain/prio come from the tc filter. */
function mlx5e_alloc_flow(priv: Mlx5ePriv, f: FlowClsOffload, flow_flags: Set<Mlx5eTcFlowFlag>, filter_dev: NetDevice): Mlx5eTcFlow {
  const attr: Mlx5FlowAttr = {
    action: 0, chain: f.common.chain_index, prio: f.common.prio, dest_chain: 0, dest_ft: null, ft: null, counter: null,
    flags: 0, inner_match_level: MLX5_MATCH_NONE, outer_match_level: MLX5_MATCH_NONE,
    parse_attr: { spec: mlx5_flow_spec_zero(), filter_dev, mirred_ifindex: [] },
    esw_attr: null, nic_attr: null,
  };
  return { priv, cookie: f.cookie, flags: new Set(flow_flags), attr, rule: null, orig_dev: null };
}

function bytesToField(path: string, b: Uint8Array): string | number {
  return fte_field_from_bits(path, b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n));
}

function setBoth(spec: Mlx5FlowSpec, hdr: string, field: string, mask: number | string, key: number | string): void {
  MLX5_SET(spec.match_criteria, `${hdr}.${field}`, mask);
  MLX5_SET(spec.match_value, `${hdr}.${field}`, key);
}

// ---------------------------------------------------------------------------
// match translation

/** mlx5e_flower_parse_meta (core/en_tc.c, v6.18) */
const mlx5e_flower_parse_meta = hop(FILE, function mlx5e_flower_parse_meta(filter_dev: NetDevice, f: FlowClsOffload): 0 | NegErrno {
  const rule = f.rule!;
  const extack = f.common.extack;
  if (!flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_META')) return 0;
  const match = flow_rule_match_meta(rule);
  if (match.mask.l2_miss) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Can\'t match on "l2_miss"');
    return -EOPNOTSUPP;
  }
  if (!match.mask.ingress_ifindex) return 0;
  if (match.mask.ingress_ifindex >>> 0 !== 0xffffffff) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Unsupported ingress ifindex mask');
    return -EOPNOTSUPP;
  }
  const ingress_dev = dev_get_by_index(filter_dev.nd_net, match.key.ingress_ifindex);
  if (!ingress_dev) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "Can't find the ingress port to match on");
    return -ENOENT;
  }
  if (ingress_dev !== filter_dev) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "Can't match on the ingress filter port");
    return -EOPNOTSUPP;
  }
  return 0;
});

/** mlx5e_tc_set_ethertype (core/en_tc.c, v6.18): ip_version when the cap allows and the mask is full. */
function mlx5e_tc_set_ethertype(priv: Mlx5ePriv, n_proto: { key: number; mask: number }, outer: boolean, spec: Mlx5FlowSpec, hdr: string): void {
  const ft = priv.mdev.caps.flow_table_nic_rx.ft_field_support;
  const ip_version_cap = outer ? ft.outer_ip_version : ft.inner_ip_version;
  if (ip_version_cap && n_proto.mask === 0xffff && (n_proto.key === ETH_P_IP || n_proto.key === ETH_P_IPV6)) {
    MLX5_SET_TO_ONES(spec.match_criteria, `${hdr}.ip_version`);
    MLX5_SET(spec.match_value, `${hdr}.ip_version`, n_proto.key === ETH_P_IP ? 4 : 6);
  } else {
    setBoth(spec, hdr, 'ethertype', n_proto.mask, n_proto.key);
  }
}

interface MatchLevels { inner: number; outer: number }

/**
 * __parse_cls_flower (core/en_tc.c, v6.18). Filters reach mlx5 only through
 * its own netdevs' blocks here (no indirect blocks), so the tunnel-device
 * and VLAN-device branches are not taken.
 */
const __parse_cls_flower = hop(FILE, function __parse_cls_flower(priv: Mlx5ePriv, flow: Mlx5eTcFlow, spec: Mlx5FlowSpec, f: FlowClsOffload, filter_dev: NetDevice, levels: MatchLevels): 0 | NegErrno {
  const extack = f.common.extack;
  const rule = f.rule!;
  const used = rule.match.dissector.used_keys;
  let hdr = 'outer_headers';
  const misc = 'misc_parameters';
  const misc3 = 'misc_parameters_3';
  const caps = priv.mdev.caps;
  let addr_type = 0;
  let ip_proto = 0;
  let level = levels.outer;
  const raise = (l: number): void => { level = l; };

  const unsupported = [...used].filter((k) => !SUPPORTED_KEYS.has(k));
  if (unsupported.length > 0) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Unsupported key');
    const bits = [...used].reduce((acc, k) => acc | (1n << BigInt(KEY_BIT[k])), 0n);
    netdev_printk('dbg', priv.netdev, `Unsupported key used: 0x${bits.toString(16)}`);
    return -EOPNOTSUPP;
  }

  // Tunnel devices (reached through indirect blocks): outer headers from
  // the enc_* keys, the remaining keys match the inner headers.
  let match_inner = false;
  if (mlx5e_filter_dev_is_tunnel(filter_dev)) {
    const t = parse_tunnel_attr(priv, flow, spec, f, filter_dev, levels);
    if (t.err) return t.err;
    match_inner = t.match_inner;
    if (match_inner) {
      hdr = 'inner_headers';
      level = levels.inner;
    }
  }

  let err = mlx5e_flower_parse_meta(filter_dev, f);
  if (err) return err;

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_BASIC')) {
    const m = flow_rule_match_basic(rule);
    mlx5e_tc_set_ethertype(priv, { key: m.key.n_proto, mask: m.mask.n_proto }, true, spec, hdr);
    if (m.mask.n_proto) raise(MLX5_MATCH_L2);
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_VLAN')) {
    const m = flow_rule_match_vlan(rule);
    if (m.mask.vlan_id || m.mask.vlan_priority || m.mask.vlan_tpid) {
      const tag = m.key.vlan_tpid === ETH_P_8021AD ? 'svlan_tag' : 'cvlan_tag';
      setBoth(spec, hdr, tag, 1, 1);
      setBoth(spec, hdr, 'first_vid', m.mask.vlan_id, m.key.vlan_id);
      setBoth(spec, hdr, 'first_prio', m.mask.vlan_priority, m.key.vlan_priority);
      raise(MLX5_MATCH_L2);
      if (!flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_CVLAN') && m.mask.vlan_eth_type && caps.esw_flow_table_fdb.ft_field_support.outer_second_vid) {
        MLX5_SET(spec.match_criteria, `${misc}.outer_second_cvlan_tag`, 1);
        spec.match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS;
      }
    }
  } else if (level !== MLX5_MATCH_NONE) {
    // cvlan_tag in the criteria with 0 in the value: untagged only.
    MLX5_SET(spec.match_criteria, `${hdr}.cvlan_tag`, 1);
    raise(MLX5_MATCH_L2);
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_CVLAN')) {
    const m = flow_rule_match_cvlan(rule);
    if (m.mask.vlan_id || m.mask.vlan_priority || m.mask.vlan_tpid) {
      if (!caps.esw_flow_table_fdb.ft_field_support.outer_second_vid) {
        NL_SET_ERR_MSG_MOD(extack, MOD, 'Matching on CVLAN is not supported');
        return -EOPNOTSUPP;
      }
      const tag = m.key.vlan_tpid === ETH_P_8021AD ? 'outer_second_svlan_tag' : 'outer_second_cvlan_tag';
      setBoth(spec, misc, tag, 1, 1);
      setBoth(spec, misc, 'outer_second_vid', m.mask.vlan_id, m.key.vlan_id);
      setBoth(spec, misc, 'outer_second_prio', m.mask.vlan_priority, m.key.vlan_priority);
      raise(MLX5_MATCH_L2);
      spec.match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS;
    }
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ETH_ADDRS')) {
    const m = flow_rule_match_eth_addrs(rule);
    setBoth(spec, hdr, 'dmac_47_16', bytesToField(`${hdr}.dmac_47_16`, m.mask.dst), bytesToField(`${hdr}.dmac_47_16`, m.key.dst));
    setBoth(spec, hdr, 'smac_47_16', bytesToField(`${hdr}.smac_47_16`, m.mask.src), bytesToField(`${hdr}.smac_47_16`, m.key.src));
    if (m.mask.src.some((b) => b) || m.mask.dst.some((b) => b)) raise(MLX5_MATCH_L2);
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_CONTROL')) {
    const m = flow_rule_match_control(rule);
    addr_type = m.key.addr_type;
    if (m.mask.flags & FLOW_DIS_IS_FRAGMENT) {
      setBoth(spec, hdr, 'frag', 1, m.key.flags & FLOW_DIS_IS_FRAGMENT);
      // The HW doesn't need L3 inline to match on frag=no.
      raise(m.key.flags & FLOW_DIS_IS_FRAGMENT ? MLX5_MATCH_L3 : MLX5_MATCH_L2);
    }
    // flow_rule_is_supp_control_flags (include/net/flow_offload.h, v6.18)
    if (m.mask.flags & ~FLOW_DIS_IS_FRAGMENT) {
      NL_SET_ERR_MSG_MOD(extack, MOD, `Unsupported match on control.flags 0x${m.mask.flags.toString(16)}`);
      return -EOPNOTSUPP;
    }
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_BASIC')) {
    const m = flow_rule_match_basic(rule);
    ip_proto = m.key.ip_proto;
    setBoth(spec, hdr, 'ip_protocol', m.mask.ip_proto, m.key.ip_proto);
    if (m.mask.ip_proto) raise(MLX5_MATCH_L3);
  }

  if (addr_type === FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID) {
    const m = flow_rule_match_ipv4_addrs(rule);
    setBoth(spec, hdr, 'src_ipv4_src_ipv6.ipv4_layout.ipv4', m.mask.src >>> 0, m.key.src >>> 0);
    setBoth(spec, hdr, 'dst_ipv4_dst_ipv6.ipv4_layout.ipv4', m.mask.dst >>> 0, m.key.dst >>> 0);
    if (m.mask.src || m.mask.dst) raise(MLX5_MATCH_L3);
  }

  if (addr_type === FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID) {
    const m = flow_rule_match_ipv6_addrs(rule);
    const s = `${hdr}.src_ipv4_src_ipv6.ipv6_layout.ipv6`;
    const d = `${hdr}.dst_ipv4_dst_ipv6.ipv6_layout.ipv6`;
    MLX5_SET(spec.match_criteria, s, bytesToField(s, m.mask.src));
    MLX5_SET(spec.match_value, s, bytesToField(s, m.key.src));
    MLX5_SET(spec.match_criteria, d, bytesToField(d, m.mask.dst));
    MLX5_SET(spec.match_value, d, bytesToField(d, m.key.dst));
    if (m.mask.src.some((b) => b) || m.mask.dst.some((b) => b)) raise(MLX5_MATCH_L3);
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_IP')) {
    const m = flow_rule_match_ip(rule);
    setBoth(spec, hdr, 'ip_ecn', m.mask.tos & 0x3, m.key.tos & 0x3);
    setBoth(spec, hdr, 'ip_dscp', m.mask.tos >> 2, m.key.tos >> 2);
    setBoth(spec, hdr, 'ttl_hoplimit', m.mask.ttl, m.key.ttl);
    // The FDB cap decides, even for NIC flows.
    if (m.mask.ttl && !caps.esw_flow_table_fdb.ft_field_support.outer_ipv4_ttl) {
      NL_SET_ERR_MSG_MOD(extack, MOD, 'Matching on TTL is not supported');
      return -EOPNOTSUPP;
    }
    if (m.mask.tos || m.mask.ttl) raise(MLX5_MATCH_L3);
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_PORTS')) {
    const m = flow_rule_match_ports(rule);
    switch (ip_proto) {
      case IPPROTO_TCP:
        setBoth(spec, hdr, 'tcp_sport', m.mask.src, m.key.src);
        setBoth(spec, hdr, 'tcp_dport', m.mask.dst, m.key.dst);
        break;
      case IPPROTO_UDP:
        setBoth(spec, hdr, 'udp_sport', m.mask.src, m.key.src);
        setBoth(spec, hdr, 'udp_dport', m.mask.dst, m.key.dst);
        break;
      default:
        NL_SET_ERR_MSG_MOD(extack, MOD, 'Only UDP and TCP transports are supported for L4 matching');
        netdev_printk('err', priv.netdev, 'Only UDP and TCP transport are supported');
        return -EINVAL;
    }
    if (m.mask.src || m.mask.dst) raise(MLX5_MATCH_L4);
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_TCP')) {
    const m = flow_rule_match_tcp(rule);
    setBoth(spec, hdr, 'tcp_flags', m.mask.flags, m.key.flags);
    if (m.mask.flags) raise(MLX5_MATCH_L4);
  }

  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ICMP')) {
    const m = flow_rule_match_icmp(rule);
    const flex = caps.gen.flex_parser_protocols;
    switch (ip_proto) {
      case IPPROTO_ICMP:
        if (!(flex & MLX5_FLEX_PROTO_ICMP)) {
          NL_SET_ERR_MSG_MOD(extack, MOD, 'Match on Flex protocols for ICMP is not supported');
          return -EOPNOTSUPP;
        }
        setBoth(spec, misc3, 'icmp_type', m.mask.type, m.key.type);
        setBoth(spec, misc3, 'icmp_code', m.mask.code, m.key.code);
        break;
      case IPPROTO_ICMPV6:
        if (!(flex & MLX5_FLEX_PROTO_ICMPV6)) {
          NL_SET_ERR_MSG_MOD(extack, MOD, 'Match on Flex protocols for ICMPV6 is not supported');
          return -EOPNOTSUPP;
        }
        setBoth(spec, misc3, 'icmpv6_type', m.mask.type, m.key.type);
        setBoth(spec, misc3, 'icmpv6_code', m.mask.code, m.key.code);
        break;
      default:
        NL_SET_ERR_MSG_MOD(extack, MOD, 'Code and type matching only with ICMP and ICMPv6');
        netdev_printk('err', priv.netdev, 'Code and type matching only with ICMP and ICMPv6');
        return -EINVAL;
    }
    if (m.mask.code || m.mask.type) {
      raise(MLX5_MATCH_L4);
      spec.match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS_3;
    }
  }

  // Currently supported only for MPLS over UDP.
  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_MPLS') && filter_dev.kind !== 'bareudp') {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Matching on MPLS is supported only for MPLS over UDP');
    netdev_printk('err', priv.netdev, 'Matching on MPLS is supported only for MPLS over UDP');
    return -EOPNOTSUPP;
  }

  err = 0;
  if (match_inner) levels.inner = level;
  else levels.outer = level;
  return err;
}, { input: (p, _fl, _s, f) => `${p.netdev.name} ${[...f.rule!.match.dissector.used_keys].map((k) => k.replace('FLOW_DISSECTOR_KEY_', '')).join(',')}` });

/** parse_cls_flower (core/en_tc.c, v6.18): plus the min-inline check for non-uplink representors. */
const parse_cls_flower = hop(FILE, function parse_cls_flower(priv: Mlx5ePriv, flow: Mlx5eTcFlow, spec: Mlx5FlowSpec, f: FlowClsOffload, filter_dev: NetDevice): 0 | NegErrno {
  const levels: MatchLevels = { inner: MLX5_MATCH_NONE, outer: MLX5_MATCH_NONE };
  const err = __parse_cls_flower(priv, flow, spec, f, filter_dev, levels);
  const non_tunnel_match_level = levels.inner === MLX5_MATCH_NONE ? levels.outer : levels.inner;
  const esw = priv.mdev.priv.eswitch;
  if (!err && mlx5e_is_eswitch_flow(flow) && esw) {
    const rep = priv.ppriv!.rep;
    const inline_mode = esw.offloads.inline_mode;
    if (rep.vport !== MLX5_VPORT_UPLINK && inline_mode !== MLX5_INLINE_MODE_NONE && inline_mode < non_tunnel_match_level) {
      NL_SET_ERR_MSG_MOD(f.common.extack, MOD, 'Flow is not offloaded due to min inline setting');
      netdev_printk('warn', priv.netdev, `Flow is not offloaded due to min inline setting, required ${non_tunnel_match_level} actual ${inline_mode}`);
      return -EOPNOTSUPP;
    }
  }
  flow.attr.inner_match_level = levels.inner;
  flow.attr.outer_match_level = levels.outer;
  return err;
});

// ---------------------------------------------------------------------------
// action translation

/** flow_action_supported (core/en_tc.c, v6.18), with flow_action_hw_stats_check (include/net/flow_offload.h). */
function flow_action_supported(flow_action: FlowAction, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (flow_action.entries.length === 0) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "Flow action doesn't have any entries");
    return -EINVAL;
  }
  // All entries must ask for the same stats type, and it must allow "delayed".
  const first = flow_action.entries[0]!.hw_stats;
  const mixed = flow_action.entries.some((e) => e.hw_stats !== first);
  if (mixed) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Mixing HW stats types for actions is not supported');
  } else if (!(first & FLOW_ACTION_HW_STATS_DELAYED)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Driver does not support selected HW stats type');
  }
  if (mixed || !(first & FLOW_ACTION_HW_STATS_DELAYED)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Flow action HW stats type is not supported');
    return -EOPNOTSUPP;
  }
  return 0;
}

/**
 * mlx5e_clone_flow_attr_for_post_act (core/en_tc.c, v6.18): the next part of
 * a split rule starts from the flow's attr with no actions, counter, flags,
 * destinations, CT state or outputs, and an empty parse_attr.
 */
function mlx5e_clone_flow_attr_for_post_act(attr: Mlx5FlowAttr, ns_type: Mlx5FlowNamespaceType): Mlx5FlowAttr {
  const a: Mlx5FlowAttr = {
    ...attr, action: 0, counter: null, flags: 0, dest_chain: 0, dest_ft: null, modify_hdr: null, mh: null,
    parse_attr: { spec: mlx5_flow_spec_zero(), filter_dev: attr.parse_attr.filter_dev, mirred_ifindex: [] },
    ct_attr: mlx5_ct_attr_zero(), post_act_handle: null,
  };
  if (ns_type === 'MLX5_FLOW_NAMESPACE_FDB' && attr.esw_attr) a.esw_attr = { ...attr.esw_attr, out_count: 0, split_count: 0, dests: [] };
  return a;
}

// Counted by the coverage report: a multi-table action (ct) splits the rule.
const parse_tc_actions_split = declareBranch(FILE, 'parse_tc_actions', 'split_multi_table_act');

/**
 * parse_tc_actions (core/en_tc.c, v6.18): per action, the namespace's
 * handler, its can_offload and parse. A multi-table action (a non-clear ct)
 * that is not the last action ends the current attr: its post_parse runs,
 * a fresh attr takes the following actions, and alloc_flow_post_acts links
 * the parts through the post-action table. Branching actions (police
 * conform/exceed jumps) are not modelled.
 */
const parse_tc_actions = hop(FILE, function parse_tc_actions(parse_state: Mlx5eTcActParseState, flow_action: FlowAction): 0 | NegErrno {
  const extack = parse_state.extack;
  const flow = parse_state.flow;
  let attr = flow.attr;
  const attrs: Mlx5FlowAttr[] = [attr];
  const ns_type = mlx5e_get_flow_namespace(flow);
  const n = flow_action.entries.length;
  let i_split = 0;
  // parse_state->ct_priv = get_ct_priv(priv), built only for rules with a ct action.
  parse_state.ct_priv = flow_action.entries.some((e) => e.id === 'FLOW_ACTION_CT') ? get_ct_priv(flow.priv) : null;
  for (let i = 0; i < n; i++) {
    const act = flow_action.entries[i]!;
    const tc_act = mlx5e_tc_act_get(act.id, ns_type);
    if (!tc_act) {
      NL_SET_ERR_MSG_MOD(extack, MOD, 'Not implemented offload action');
      return -EOPNOTSUPP;
    }
    if (tc_act.can_offload && !tc_act.can_offload(parse_state, act, i, attr)) return -EOPNOTSUPP;
    const err = tc_act.parse_action(parse_state, act, flow.priv, attr);
    if (err) return err;
    parse_state.actions |= attr.action;
    // Split attr for multi table act if not the last act.
    if (parse_tc_actions_split((tc_act.is_multi_table_act?.(flow.priv, act, attr) ?? false) && i < n - 1)) {
      const is_missable = tc_act.is_missable?.(act) ?? false;
      const perr = mlx5e_tc_act_post_parse(parse_state, flow_action, i_split, i, attr, ns_type);
      if (perr) return perr;
      // The pedits parsed so far belong to this part.
      attr.parse_attr.hdrs = parse_state.hdrs;
      parse_state.hdrs = undefined;
      const prev_attr = attr;
      attr = mlx5e_clone_flow_attr_for_post_act(flow.attr, ns_type);
      attrs.push(attr);
      flow.attrs = attrs;
      i_split = i + 1;
      parse_state.if_count = 0;
      if (is_missable) {
        // A miss in the next tables resumes after this action: the part before counts.
        prev_attr.action |= MLX5_FLOW_CONTEXT_ACTION_COUNT;
        flow.flags.add('USE_ACT_STATS');
      }
    }
  }
  const err = mlx5e_tc_act_post_parse(parse_state, flow_action, i_split, n - 1, attr, ns_type);
  if (err) return err;
  if (attrs.length > 1) {
    attr.parse_attr.hdrs = parse_state.hdrs;
    parse_state.hdrs = flow.attr.parse_attr.hdrs;
  }
  return alloc_flow_post_acts(flow, parse_state, extack);
}, { input: (_ps, fa) => fa.entries.map((e) => e.id.replace('FLOW_ACTION_', '')).join(',') });

/** mlx5e_tc_act_set_next_post_act (core/en_tc.c, v6.18): this part writes the next part's fte_id and goes on. */
function mlx5e_tc_act_set_next_post_act(attr: Mlx5FlowAttr, next_attr: Mlx5FlowAttr): 0 | NegErrno {
  const err = mlx5e_tc_post_act_set_handle(next_attr.post_act_handle!, (attr.parse_attr.mod_hdr_acts ??= []));
  if (err) return err;
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  return 0;
}

/** mlx5e_tc_offload_flow_post_acts (core/en_tc.c, v6.18): the later parts' rules, last part first. */
const mlx5e_tc_offload_flow_post_acts = hop(FILE, function mlx5e_tc_offload_flow_post_acts(flow: Mlx5eTcFlow): 0 | NegErrno {
  if (!flow.attrs || flow.attrs.length < 2) return 0;
  const post_act = get_post_action(flow.priv);
  if (typeof post_act === 'number') return post_act;
  for (const attr of [...(flow.attrs ?? [])].reverse()) {
    if (attr === flow.attr) break;
    const err = mlx5e_tc_post_act_offload(post_act, attr.post_act_handle!);
    if (err) return err;
  }
  return 0;
});

/**
 * alloc_flow_post_acts (core/en_tc.c, v6.18): from the last part back, the
 * last counts, each earlier part writes the next one's fte_id, and every
 * part but the first gets its rewrites, counter and post-action handle;
 * then their rules go in. The first part is installed by the caller.
 */
const alloc_flow_post_acts = hop(FILE, function alloc_flow_post_acts(flow: Mlx5eTcFlow, parse_state: Mlx5eTcActParseState, extack: NetlinkExtAck | null): 0 | NegErrno {
  const attrs = flow.attrs ?? [flow.attr];
  let next_attr: Mlx5FlowAttr | null = null;
  for (let k = attrs.length - 1; k >= 0; k--) {
    const attr = attrs[k]!;
    // Set counter action on last post act rule.
    if (!next_attr) attr.action |= MLX5_FLOW_CONTEXT_ACTION_COUNT;
    if (next_attr && !(attr.flags & MLX5_ATTR_FLAG_TERMINATING)) {
      const err = mlx5e_tc_act_set_next_post_act(attr, next_attr);
      if (err) return err;
    }
    // The first attr is handled by the caller.
    if (k === 0) break;
    const saved = parse_state.hdrs;
    parse_state.hdrs = attr.parse_attr.hdrs;
    let err = actions_prepare_mod_hdr_actions(flow.priv, flow, parse_state, attr, extack);
    parse_state.hdrs = saved;
    if (err) return err;
    err = post_process_attr(flow, attr, extack);
    if (err) return err;
    const post_act = get_post_action(flow.priv);
    const handle = typeof post_act === 'number' ? post_act : mlx5e_tc_post_act_add(post_act, attr);
    if (typeof handle === 'number') return handle;
    attr.post_act_handle = handle;
    next_attr = attr;
  }
  if (flow.flags.has('SLOW') || attrs.length < 2) return 0;
  return mlx5e_tc_offload_flow_post_acts(flow);
});

/** verify_attr_actions (core/en_tc.c, v6.18); static upstream, exported for tests. */
export const verify_attr_actions = hop(FILE, function verify_attr_actions(actions: number, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!(actions & (MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_DROP))) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Rule must have at least one forward/drop action');
    return -EOPNOTSUPP;
  }
  if (!(~actions & (MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_DROP))) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Rule cannot support forward+drop action');
    return -EOPNOTSUPP;
  }
  if (actions & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR && actions & MLX5_FLOW_CONTEXT_ACTION_DROP) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Drop with modify header action is not supported');
    return -EOPNOTSUPP;
  }
  return 0;
}, { input: (a) => `action 0x${a.toString(16)}` });

/** One rewritable header field (the fields[] table of core/en_tc.c, v6.18). */
interface PeditField {
  /** MLX5_ACTION_IN_FIELD_* name without the prefix. */
  field: string;
  htype: number;
  offset: number;
  /** Field size in bytes, as the driver reads it from the pedit header. */
  size: number;
  field_mask: number;
  /** The match field a "set" compares against to skip no-op rewrites (exact-width fields only). */
  match?: string;
}

const F = (field: string, htype: number, offset: number, size: number, field_mask: number, match?: string): PeditField =>
  ({ field, htype, offset, size, field_mask, match });
const ETH = TCA_PEDIT_KEY_EX_HDR_TYPE_ETH;
const IP4 = TCA_PEDIT_KEY_EX_HDR_TYPE_IP4;
const IP6 = TCA_PEDIT_KEY_EX_HDR_TYPE_IP6;
const TCP = TCA_PEDIT_KEY_EX_HDR_TYPE_TCP;
const UDP = TCA_PEDIT_KEY_EX_HDR_TYPE_UDP;

// core/en_tc.c (v6.18) fields[]: the header bits the modify-header engine can rewrite.
const PEDIT_FIELDS: readonly PeditField[] = [
  F('OUT_DMAC_47_16', ETH, 0, 4, 0xffffffff), F('OUT_DMAC_15_0', ETH, 4, 2, 0xffff),
  F('OUT_SMAC_47_16', ETH, 6, 4, 0xffffffff), F('OUT_SMAC_15_0', ETH, 10, 2, 0xffff),
  F('OUT_ETHERTYPE', ETH, 12, 2, 0xffff), F('OUT_FIRST_VID', ETH, 14, 2, 0x0fff),
  F('OUT_IP_DSCP', IP4, 1, 1, 0xfc), F('OUT_IP_TTL', IP4, 8, 1, 0xff, 'outer_headers.ttl_hoplimit'),
  F('OUT_SIPV4', IP4, 12, 4, 0xffffffff, 'outer_headers.src_ipv4_src_ipv6.ipv4_layout.ipv4'),
  F('OUT_DIPV4', IP4, 16, 4, 0xffffffff, 'outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4'),
  F('OUT_SIPV6_127_96', IP6, 8, 4, 0xffffffff), F('OUT_SIPV6_95_64', IP6, 12, 4, 0xffffffff),
  F('OUT_SIPV6_63_32', IP6, 16, 4, 0xffffffff), F('OUT_SIPV6_31_0', IP6, 20, 4, 0xffffffff),
  F('OUT_DIPV6_127_96', IP6, 24, 4, 0xffffffff), F('OUT_DIPV6_95_64', IP6, 28, 4, 0xffffffff),
  F('OUT_DIPV6_63_32', IP6, 32, 4, 0xffffffff), F('OUT_DIPV6_31_0', IP6, 36, 4, 0xffffffff),
  F('OUT_IPV6_HOPLIMIT', IP6, 7, 1, 0xff, 'outer_headers.ttl_hoplimit'), F('OUT_IP_DSCP', IP6, 0, 2, 0x0fc0),
  F('OUT_TCP_SPORT', TCP, 0, 2, 0xffff, 'outer_headers.tcp_sport'), F('OUT_TCP_DPORT', TCP, 2, 2, 0xffff, 'outer_headers.tcp_dport'),
  F('OUT_TCP_FLAGS', TCP, 13, 1, 0xff),
  F('OUT_UDP_SPORT', UDP, 0, 2, 0xffff, 'outer_headers.udp_sport'), F('OUT_UDP_DPORT', UDP, 2, 2, 0xffff, 'outer_headers.udp_dport'),
];

function readBe(b: Uint8Array | undefined, off: number, size: number): number {
  if (!b) return 0;
  let v = 0;
  for (let i = 0; i < size; i++) v = (v * 256) + b[off + i]!;
  return v >>> 0;
}

function clearBits(b: Uint8Array | undefined, off: number, size: number, mask: number): void {
  if (!b) return;
  for (let i = 0; i < size; i++) b[off + i]! &= ~((mask >>> (8 * (size - 1 - i))) & 0xff);
}

/**
 * offload_pedit_fields (core/en_tc.c, v6.18): per rewritable field, one
 * SET or ADD modify-header action; a set to the value already matched and an
 * add of 0 are skipped. What is left in the masks afterwards is a field the
 * hardware cannot rewrite.
 */
const offload_pedit_fields = hop(FILE, function offload_pedit_fields(priv: Mlx5ePriv, ns: Mlx5FlowNamespaceType, ps: Mlx5eTcActParseState, spec: Mlx5FlowSpec, acts: Mlx5ModHdrAction[], extack: NetlinkExtAck | null): 0 | NegErrno {
  const [set, add] = ps.hdrs!;
  const max_actions = mlx5e_mod_hdr_max_actions(priv, ns);
  for (const f of PEDIT_FIELDS) {
    const sm = set!.masks.get(f.htype);
    const am = add!.masks.get(f.htype);
    const s_mask = readBe(sm, f.offset, f.size) & f.field_mask;
    const a_mask = readBe(am, f.offset, f.size) & f.field_mask;
    if (!s_mask && !a_mask) continue;
    if (s_mask && a_mask) {
      NL_SET_ERR_MSG_MOD(extack, MOD, "can't set and add to the same HW field");
      netdev_printk('warn', priv.netdev, `mlx5: can't set and add to the same HW field (${f.field})`);
      return -EOPNOTSUPP;
    }
    let skip = false;
    let mask: number;
    let val: number;
    let action_type: 'SET' | 'ADD';
    if (s_mask) {
      action_type = 'SET';
      mask = s_mask;
      val = readBe(set!.vals.get(f.htype), f.offset, f.size) & s_mask;
      // Don't rewrite if we have a match on the same value.
      if (f.match && f.field_mask === 2 ** (8 * f.size) - 1 && Number(MLX5_GET(spec.match_criteria, f.match)) === 2 ** (8 * f.size) - 1
        && Number(MLX5_GET(spec.match_value, f.match)) === val && s_mask === f.field_mask) skip = true;
      clearBits(sm, f.offset, f.size, f.field_mask);
    } else {
      action_type = 'ADD';
      mask = a_mask;
      val = readBe(add!.vals.get(f.htype), f.offset, f.size) & f.field_mask;
      // add 0 is no change.
      if (val === 0) skip = true;
      clearBits(am, f.offset, f.size, f.field_mask);
    }
    if (offload_pedit_fields_skip(skip)) continue;
    // Only one contiguous run of bits per field.
    const bits = mask.toString(2);
    if (/10+1/.test(bits)) {
      NL_SET_ERR_MSG_MOD(extack, MOD, "rewrite of few sub-fields isn't supported");
      netdev_printk('warn', priv.netdev, `mlx5: rewrite of few sub-fields (mask ${mask.toString(16)}) isn't offloaded`);
      return -EOPNOTSUPP;
    }
    if (acts.length >= max_actions) {
      NL_SET_ERR_MSG_MOD(extack, MOD, "too many pedit actions, can't offload");
      netdev_printk('warn', priv.netdev, `mlx5: parsed ${acts.length} pedit actions, can't do more`);
      return -ENOSPC;
    }
    const shift = mask ? 31 - Math.clz32(mask & -mask) : 0;
    acts.push({ action_type, field: f.field, data: (val >>> shift) & (mask >>> shift) });
  }
  return 0;
}, { input: (_p, ns) => ns.replace('MLX5_FLOW_NAMESPACE_', '') });

// Counted by the coverage report: a rewrite equal to what is matched (or add 0) is dropped.
const offload_pedit_fields_skip = declareBranch(FILE, 'offload_pedit_fields', 'skip_noop_rewrite');
// Every pedit was a no-op: the rule loses MOD_HDR.
const actions_prepare_mod_hdr_all_skipped = declareBranch(FILE, 'actions_prepare_mod_hdr_actions', 'all_pedits_skipped');

/** alloc_tc_pedit_action (core/en_tc.c, v6.18) */
const alloc_tc_pedit_action = hop(FILE, function alloc_tc_pedit_action(priv: Mlx5ePriv, ns: Mlx5FlowNamespaceType, ps: Mlx5eTcActParseState, attr: Mlx5FlowAttr, extack: NetlinkExtAck | null): 0 | NegErrno {
  const acts: Mlx5ModHdrAction[] = (attr.parse_attr.mod_hdr_acts ??= []);
  const err = offload_pedit_fields(priv, ns, ps, attr.parse_attr.spec, acts, extack);
  if (err) return err;
  for (const cmd of [PEDIT_CMD_SET, PEDIT_CMD_ADD]) {
    const left = [...ps.hdrs![cmd]!.masks.values()].some((b) => b.some((x) => x !== 0));
    if (left) {
      NL_SET_ERR_MSG_MOD(extack, MOD, 'attempt to offload an unsupported field');
      netdev_printk('warn', priv.netdev, `attempt to offload an unsupported field (cmd ${cmd})`);
      attr.parse_attr.mod_hdr_acts = [];
      return -EOPNOTSUPP;
    }
  }
  return 0;
});

/**
 * actions_prepare_mod_hdr_actions (core/en_tc.c, v6.18): pedits become
 * modify-header actions; if every one was a no-op the MOD_HDR bit goes (and
 * an FDB rule no longer needs its split, unless it pushes or pops a VLAN).
 */
const actions_prepare_mod_hdr_actions = hop(FILE, function actions_prepare_mod_hdr_actions(priv: Mlx5ePriv, flow: Mlx5eTcFlow, ps: Mlx5eTcActParseState, attr: Mlx5FlowAttr, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!ps.hdrs || (!ps.hdrs[PEDIT_CMD_SET]!.pedits && !ps.hdrs[PEDIT_CMD_ADD]!.pedits)) return 0;
  const ns = mlx5e_get_flow_namespace(flow);
  const err = alloc_tc_pedit_action(priv, ns, ps, attr, extack);
  if (err) return err;
  if (!actions_prepare_mod_hdr_all_skipped((attr.parse_attr.mod_hdr_acts ?? []).length === 0)) return 0;
  attr.action &= ~MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  ps.actions &= ~MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  if (ns !== 'MLX5_FLOW_NAMESPACE_FDB') return 0;
  if (!(attr.action & (MLX5_FLOW_CONTEXT_ACTION_VLAN_POP | MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH))) attr.esw_attr!.split_count = 0;
  return 0;
});

/**
 * modify_header_match_supported (core/en_tc.c, v6.18): rewriting IP header
 * fields other than TTL/hop limit needs an L4 protocol the hardware can
 * fix checksums for. Non-IP flows only rewrite MACs.
 */
function modify_header_match_supported(priv: Mlx5ePriv, spec: Mlx5FlowSpec, attr: Mlx5FlowAttr, extack: NetlinkExtAck | null): boolean {
  const ethertype = Number(MLX5_GET(spec.match_value, 'outer_headers.ethertype'));
  const ip_version = Number(MLX5_GET(spec.match_value, 'outer_headers.ip_version'));
  if (ip_version === 0 && ethertype !== ETH_P_IP && ethertype !== ETH_P_IPV6) return true;
  const modify_ip_header = (attr.parse_attr.mod_hdr_acts ?? []).some((a) =>
    /^OUT_(IP_DSCP|SIPV4|DIPV4|SIPV6|DIPV6)/.test(a.field));
  const ip_proto = Number(MLX5_GET(spec.match_value, 'outer_headers.ip_protocol'));
  if (modify_ip_header && ip_proto !== IPPROTO_TCP && ip_proto !== IPPROTO_UDP && ip_proto !== IPPROTO_ICMP && ip_proto !== IPPROTO_ICMPV6) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "can't offload re-write of non TCP/UDP");
    netdev_printk('info', priv.netdev, `can't offload re-write of ip proto ${ip_proto}`);
    return false;
  }
  return true;
}

/**
 * actions_match_supported_fdb (core/en_tc.c, v6.18): a mirror before a
 * rewrite or VLAN push splits the rule, which needs fdb_multi_path_to_table
 * (topology cap, on for a ConnectX-6 Dx).
 */
function actions_match_supported_fdb(priv: Mlx5ePriv, flow: Mlx5eTcFlow, extack: NetlinkExtAck | null): boolean {
  // A NIC-path flow carrying the eswitch flag has a zeroed esw_attr upstream.
  const split_count = flow.attr.esw_attr?.split_count ?? 0;
  const multi_path = priv.mdev.caps.esw_flow_table_fdb.fdb_multi_path_to_table ?? priv.mdev.spec.caps.fdb_multi_path_to_table ?? true;
  if (split_count > 0 && !multi_path) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "current firmware doesn't support split rule for port mirroring");
    netdev_printk('warn', priv.netdev, "current firmware doesn't support split rule for port mirroring");
    return false;
  }
  return true;
}

/** actions_match_supported (core/en_tc.c, v6.18) */
const actions_match_supported = hop(FILE, function actions_match_supported(priv: Mlx5ePriv, actions: number, attr: Mlx5FlowAttr, flow: Mlx5eTcFlow, extack: NetlinkExtAck | null): boolean {
  if (actions & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR && !modify_header_match_supported(priv, attr.parse_attr.spec, attr, extack)) return false;
  if (mlx5e_is_eswitch_flow(flow) && !actions_match_supported_fdb(priv, flow, extack)) return false;
  return true;
}, { input: (_p, a) => `actions 0x${a.toString(16)}` });

/** get_mod_hdr_table (core/en_tc.c, v6.18): the eswitch's table for FDB flows, tc's for NIC flows. */
function get_mod_hdr_table(priv: Mlx5ePriv, flow: Mlx5eTcFlow): ModHdrTbl {
  if (mlx5e_get_flow_namespace(flow) === 'MLX5_FLOW_NAMESPACE_FDB') {
    const offloads = priv.mdev.priv.eswitch!.offloads;
    return (offloads.mod_hdr ??= mlx5e_mod_hdr_tbl_init());
  }
  return (priv.fs.tc.mod_hdr ??= mlx5e_mod_hdr_tbl_init());
}

/** mlx5e_tc_attach_mod_hdr (core/en_tc.c, v6.18): the rule's rewrites as a shared context. */
const mlx5e_tc_attach_mod_hdr = hop(FILE, function mlx5e_tc_attach_mod_hdr(priv: Mlx5ePriv, flow: Mlx5eTcFlow, attr: Mlx5FlowAttr): 0 | NegErrno {
  const mh = mlx5e_mod_hdr_attach(priv.mdev, get_mod_hdr_table(priv, flow), mlx5e_get_flow_namespace(flow), attr.parse_attr.mod_hdr_acts ?? []);
  if (is_err(mh)) return mh;
  attr.modify_hdr = mlx5e_mod_hdr_get(mh);
  attr.mh = mh;
  return 0;
});

/** mlx5e_tc_detach_mod_hdr (core/en_tc.c, v6.18) */
const mlx5e_tc_detach_mod_hdr = hop(FILE, function mlx5e_tc_detach_mod_hdr(priv: Mlx5ePriv, flow: Mlx5eTcFlow, attr: Mlx5FlowAttr): void {
  if (!attr.mh) return;
  mlx5e_mod_hdr_detach(priv.mdev, get_mod_hdr_table(priv, flow), attr.mh);
  attr.mh = null;
  attr.modify_hdr = null;
});

/**
 * parse_tc_nic_actions (core/en_tc.c, v6.18). Without pedit,
 * actions_prepare_mod_hdr_actions and actions_match_supported have nothing
 * to refuse.
 */
const parse_tc_nic_actions = hop(FILE, function parse_tc_nic_actions(priv: Mlx5ePriv, flow_action: FlowAction, flow: Mlx5eTcFlow, extack: NetlinkExtAck | null): 0 | NegErrno {
  let err = flow_action_supported(flow_action, extack);
  if (err) return err;
  flow.attr.nic_attr = { flow_tag: MLX5_FS_DEFAULT_FLOW_TAG, hairpin_tirn: 0 };
  const parse_state = mlx5e_tc_act_init_parse_state(flow, flow_action, extack);
  err = parse_tc_actions(parse_state, flow_action);
  if (err) return err;
  err = actions_prepare_mod_hdr_actions(priv, flow, parse_state, flow.attr, extack);
  if (err) return err;
  err = verify_attr_actions(flow.attr.action, extack);
  if (err) return err;
  if (!actions_match_supported(priv, parse_state.actions, flow.attr, flow, extack)) return -EOPNOTSUPP;
  return 0;
});

/**
 * parse_tc_fdb_actions (core/en_tc.c, v6.18). OVS internal ports are not
 * emulated, so the two internal-port rules cannot fire.
 */
const parse_tc_fdb_actions = hop(FILE, function parse_tc_fdb_actions(priv: Mlx5ePriv, flow_action: FlowAction, flow: Mlx5eTcFlow, extack: NetlinkExtAck | null): 0 | NegErrno {
  let err = flow_action_supported(flow_action, extack);
  if (err) return err;
  const parse_state = mlx5e_tc_act_init_parse_state(flow, flow_action, extack);
  err = parse_tc_actions(parse_state, flow_action);
  if (err) return err;
  err = actions_prepare_mod_hdr_actions(priv, flow, parse_state, flow.attr, extack);
  if (err) return err;
  if (!actions_match_supported(priv, parse_state.actions, flow.attr, flow, extack)) return -EOPNOTSUPP;
  // A tunnel match with both outer addresses (TUN_RX, on chain 0 or above)
  // needs the route back to the sender: mlx5e_attach_decap_route from
  // mlx5e_tc_add_fdb_flow (core/en_tc.c, v6.18), checked here a step earlier.
  if (flow.flags.has('TUN_RX') && flow.attr.esw_attr?.rx_tun_attr) {
    err = mlx5e_tc_tun_route_lookup(priv, flow.attr, flow.attr.parse_attr.filter_dev);
    if (err) return err;
  }
  return 0;
});

// ---------------------------------------------------------------------------
// NIC (legacy) install

/** mlx5e_hairpin_flow_add (core/en_tc.c): the hairpin queues/TIR are not emulated; a TIR number is assigned. */
const mlx5e_hairpin_flow_add = hop(FILE, function mlx5e_hairpin_flow_add(priv: Mlx5ePriv, flow: Mlx5eTcFlow): 0 {
  flow.attr.nic_attr!.hairpin_tirn = priv.hairpin_next_tirn++;
  return 0;
});


/** mlx5e_add_offloaded_nic_rule (core/en_tc.c, v6.18) */
export const mlx5e_add_offloaded_nic_rule = hop(FILE, function mlx5e_add_offloaded_nic_rule(priv: Mlx5ePriv, spec: Mlx5FlowSpec, attr: Mlx5FlowAttr): Mlx5FlowHandle | NegErrno {
  const tc = priv.fs.tc;
  const nic_chains = tc.chains!; // checked by mlx5e_add_nic_flow
  const nic_attr = attr.nic_attr!;
  const flow_act: Mlx5FlowAct = { action: attr.action, flags: FLOW_ACT_NO_APPEND };
  const dest: Mlx5FlowDestination[] = [];
  spec.flow_context.flags |= FLOW_CONTEXT_HAS_TAG;
  spec.flow_context.flow_tag = nic_attr.flow_tag;
  if (attr.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) flow_act.modify_hdr = attr.modify_hdr ?? undefined;

  if (attr.dest_ft) {
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: attr.dest_ft });
  } else if (nic_attr.hairpin_tirn) {
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_TIR', tir_num: nic_attr.hairpin_tirn });
  } else if (attr.action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST) {
    if (attr.dest_chain) {
      const ft = mlx5_chains_get_table(nic_chains, attr.dest_chain, 1, MLX5E_TC_FT_LEVEL);
      if (is_err(ft)) return ft;
      dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft });
    } else {
      dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: priv.fs.vlan_ft! });
    }
  }
  if (dest[0]?.type === 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE' && priv.mdev.caps.flow_table_nic_rx.ignore_flow_level) {
    flow_act.flags |= FLOW_ACT_IGNORE_FLOW_LEVEL;
  }
  if (flow_act.action & MLX5_FLOW_CONTEXT_ACTION_COUNT) {
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_COUNTER', counter: attr.counter! });
  }

  const put_dest_chain = (): void => {
    if (attr.dest_chain) mlx5_chains_put_table(nic_chains, attr.dest_chain, 1, MLX5E_TC_FT_LEVEL);
  };
  if (!tc.t) {
    // Create the root table here if it doesn't exist yet.
    const t = mlx5_chains_get_table(nic_chains, 0, 1, MLX5E_TC_FT_LEVEL);
    if (is_err(t)) {
      netdev_printk('err', priv.netdev, 'Failed to create tc offload table');
      put_dest_chain();
      return t;
    }
    tc.t = t;
  }
  const ft = attr.chain || attr.prio ? mlx5_chains_get_table(nic_chains, attr.chain, attr.prio, MLX5E_TC_FT_LEVEL) : attr.ft!;
  if (is_err(ft)) {
    put_dest_chain();
    return ft;
  }
  if (attr.outer_match_level !== MLX5_MATCH_NONE) spec.match_criteria_enable |= MLX5_MATCH_OUTER_HEADERS;
  const rule = mlx5_add_flow_rules(ft, spec, flow_act, dest);
  if (is_err(rule)) {
    if (attr.chain || attr.prio) mlx5_chains_put_table(nic_chains, attr.chain, attr.prio, MLX5E_TC_FT_LEVEL);
    put_dest_chain();
  }
  return rule;
}, { result: (r) => (is_err(r) ? undefined : `fte ${r.fte.index} of ft ${r.fte.fg.ft.id}`) });

/** mlx5e_tc_add_nic_flow (core/en_tc.c, v6.18): hairpin, counter, then the rule. */
const mlx5e_tc_add_nic_flow = hop(FILE, function mlx5e_tc_add_nic_flow(priv: Mlx5ePriv, flow: Mlx5eTcFlow): 0 | NegErrno {
  const attr = flow.attr;
  if (flow.flags.has('HAIRPIN')) {
    const err = mlx5e_hairpin_flow_add(priv, flow);
    if (err) return err;
  }
  if (attr.action & MLX5_FLOW_CONTEXT_ACTION_COUNT) {
    const counter = mlx5_fc_create(priv.mdev, true);
    if (is_err(counter)) return counter;
    attr.counter = counter;
  }
  if (attr.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) {
    const err = mlx5e_tc_attach_mod_hdr(priv, flow, attr);
    if (err) return err;
  }
  const rule = mlx5e_add_offloaded_nic_rule(priv, attr.parse_attr.spec, attr);
  if (is_err(rule)) return rule;
  flow.rule = rule;
  return 0;
});

/** mlx5e_add_nic_flow (core/en_tc.c, v6.18) */
// Counted by the coverage report: the NIC TC tables are missing (upstream oopses).
const mlx5e_add_nic_flow_no_chains = declareBranch(FILE, 'mlx5e_add_nic_flow', 'nic_chains_null');

const mlx5e_add_nic_flow = hop(FILE, function mlx5e_add_nic_flow(priv: Mlx5ePriv, f: FlowClsOffload, flow_flags: Set<Mlx5eTcFlowFlag>, filter_dev: NetDevice): Mlx5eTcFlow | NegErrno {
  const rule = f.rule!;
  const extack = f.common.extack;
  if (mlx5e_add_nic_flow_no_chains(!priv.fs.tc.chains)) {
    // Reachable only after a switchdev→legacy change whose NIC profile
    // attach failed and was rolled back to the uplink representor profile
    // (mlx5e_netdev_change_profile): the netdev has no NIC TC tables, and
    // upstream's NIC path dereferences them (nic_chains, or esw_chains for a
    // flow still flagged ESWITCH by the representor callback): a kernel
    // oops. The emulator logs the oops and refuses the flow.
    priv.mdev.net.printk('emerg', 'BUG: kernel NULL pointer dereference, address: 0000000000000000');
    return -EOPNOTSUPP;
  }
  // Without ignore_flow_level the NIC TC tables have no chains.
  if (!priv.mdev.caps.flow_table_nic_rx.ignore_flow_level) {
    if (!tc_cls_can_offload_and_chain0(priv.netdev, f.common)) return -EOPNOTSUPP;
  } else if (!tc_can_offload_extack(priv.netdev, extack)) {
    return -EOPNOTSUPP;
  }
  const flags = new Set(flow_flags);
  flags.add('NIC');
  const flow = mlx5e_alloc_flow(priv, f, flags, filter_dev);
  let err = parse_cls_flower(priv, flow, flow.attr.parse_attr.spec, f, filter_dev);
  if (!err) err = mlx5_tc_ct_match_add(ct_priv_for_match(priv, f), flow.attr.parse_attr.spec, f, (flow.attr.ct_attr ??= mlx5_ct_attr_zero()), f.common.extack);
  if (!err) err = parse_tc_nic_actions(priv, rule.action, flow, extack);
  if (!err) err = mlx5e_tc_add_nic_flow(priv, flow);
  if (err) {
    flow.flags.add('FAILED');
    mlx5e_flow_put(priv, flow);
    return err;
  }
  flow.flags.add('OFFLOADED');
  return flow;
}, { result: (r) => (is_err(r) ? undefined : 'flow') });

// ---------------------------------------------------------------------------
// FDB (switchdev) install

function is_flow_meter_action(attr: Mlx5FlowAttr): boolean {
  return ((attr.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO) !== 0 && attr.exe_aso_type === 'MLX5_EXE_ASO_FLOW_METER')
    || (attr.flags & MLX5_ATTR_FLAG_MTU) !== 0;
}

/**
 * mlx5e_tc_add_flow_meter (core/en_tc.c, v6.18): the police index's meter.
 * The post-meter table it then points the rule at is not modelled (the rule
 * keeps its own actions; en/tc/act/police.ts).
 */
const mlx5e_tc_add_flow_meter = hop(FILE, function mlx5e_tc_add_flow_meter(priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const meter = mlx5e_tc_meter_replace(priv.mdev, attr.meter_attr!.params);
  if (is_err(meter)) {
    priv.mdev.net.printk('err', `${priv.mdev.device}: mlx5e_tc_add_flow_meter: Failed to get flow meter`);
    return meter;
  }
  attr.meter_attr!.meter = meter;
  return 0;
});

/** mlx5e_tc_del_flow_meter (core/en_tc.c, v6.18) */
const mlx5e_tc_del_flow_meter = hop(FILE, function mlx5e_tc_del_flow_meter(attr: Mlx5FlowAttr): void {
  if (attr.meter_attr?.meter) mlx5e_tc_meter_put(attr.meter_attr.meter);
  if (attr.meter_attr) attr.meter_attr.meter = null;
});

/** mlx5e_tc_rule_offload (core/en_tc.c, v6.18): a NIC rule; else sample, then meter, then the eswitch rule. */
export const mlx5e_tc_rule_offload = hop(FILE, function mlx5e_tc_rule_offload(priv: Mlx5ePriv, spec: Mlx5FlowSpec, attr: Mlx5FlowAttr): Mlx5FlowHandle | NegErrno {
  if (!is_mdev_switchdev_mode(priv)) return mlx5e_add_offloaded_nic_rule(priv, spec, attr);
  // get_sample_priv(): NULL in this model (en/tc/sample.ts).
  if (attr.flags & MLX5_ATTR_FLAG_SAMPLE) return mlx5e_tc_sample_offload(null, spec, attr);
  if (is_flow_meter_action(attr)) {
    const err = mlx5e_tc_add_flow_meter(priv, attr);
    if (err) return err;
  }
  const rule = mlx5_eswitch_add_offloaded_rule(priv.mdev.priv.eswitch!, spec, attr);
  // The upstream caller's error path releases the meter with the attr.
  if (is_err(rule) && attr.meter_attr?.meter) mlx5e_tc_del_flow_meter(attr);
  return rule;
}, { result: (r) => (is_err(r) ? undefined : `fte ${r.fte.index}`) });

// Counted by the coverage report: outputs before a rewrite need the forward rule.
const mlx5e_tc_offload_fdb_rules_split = declareBranch(FILE, 'mlx5e_tc_offload_fdb_rules', 'split_fwd_rule');

/**
 * mlx5e_tc_offload_fdb_rules (core/en_tc.c, v6.18): the rule, then for a
 * split (mirror before a rewrite) the forward rule (flow->rule[1]).
 */
export const mlx5e_tc_offload_fdb_rules = hop(FILE, function mlx5e_tc_offload_fdb_rules(flow: Mlx5eTcFlow, spec: Mlx5FlowSpec, attr: Mlx5FlowAttr): Mlx5FlowHandle | NegErrno {
  const rule = mlx5e_tc_rule_offload(flow.priv, spec, attr);
  if (is_err(rule)) return rule;
  if (mlx5e_tc_offload_fdb_rules_split((attr.esw_attr?.split_count ?? 0) > 0)) {
    const esw = flow.priv.mdev.priv.eswitch!;
    const rule1 = mlx5_eswitch_add_fwd_rule(esw, spec, attr);
    if (is_err(rule1)) {
      mlx5e_tc_rule_unoffload(flow.priv, rule, attr);
      return rule1;
    }
    flow.rule1 = rule1;
  }
  return rule;
}, { result: (r) => (is_err(r) ? undefined : `fte ${r.fte.index}`) });

/** post_process_attr (core/en_tc.c, v6.18): verify actions, then the counter. */
const post_process_attr = hop(FILE, function post_process_attr(flow: Mlx5eTcFlow, attr: Mlx5FlowAttr, extack: NetlinkExtAck | null): 0 | NegErrno {
  let err = verify_attr_actions(attr.action, extack);
  if (err) return err;
  // set_encap_dests: encap outputs get their entry (or the flow goes SLOW)
  if (mlx5e_is_eswitch_flow(flow)) {
    err = mlx5e_tc_tun_encap_dests_set(flow.priv, flow, attr, extack);
    if (err) return err;
  }
  if (attr.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) {
    err = mlx5e_tc_attach_mod_hdr(flow.priv, flow, attr);
    if (err) return err;
  }
  if (attr.action & MLX5_FLOW_CONTEXT_ACTION_COUNT) {
    const counter = mlx5_fc_create(flow.priv.mdev, true);
    if (is_err(counter)) return counter;
    attr.counter = counter;
  }
  return 0;
});

/** mlx5e_tc_add_fdb_flow (core/en_tc.c, v6.18): chain and prio range first. */
const mlx5e_tc_add_fdb_flow = hop(FILE, function mlx5e_tc_add_fdb_flow(priv: Mlx5ePriv, flow: Mlx5eTcFlow, extack: NetlinkExtAck | null): 0 | NegErrno {
  const esw = priv.mdev.priv.eswitch!;
  const attr = flow.attr;
  const chains = esw_chains(esw);
  // FT flows were moved to a chain outside the tc range on purpose.
  if (!flow.flags.has('FT') && attr.chain > mlx5_chains_get_chain_range(chains)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Requested chain is out of supported range');
    flow.flags.add('FAILED');
    return -EOPNOTSUPP;
  }
  if (attr.prio > mlx5_chains_get_prio_range(chains)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Requested priority is out of supported range');
    flow.flags.add('FAILED');
    return -EOPNOTSUPP;
  }
  let err = post_process_attr(flow, attr, extack);
  if (!err) {
    // An encap output without a valid neighbour: the slow-path rule for now.
    const rule = flow.flags.has('SLOW') ? mlx5e_tc_offload_to_slow_path(flow) : mlx5e_tc_offload_fdb_rules(flow, attr.parse_attr.spec, attr);
    if (is_err(rule)) err = rule;
    else flow.rule = rule;
  }
  if (err) {
    flow.flags.add('FAILED');
    return err;
  }
  flow.flags.add('OFFLOADED');
  return 0;
});

/** __mlx5e_add_fdb_flow (core/en_tc.c, v6.18) */
const __mlx5e_add_fdb_flow = hop(FILE, function __mlx5e_add_fdb_flow(priv: Mlx5ePriv, f: FlowClsOffload, flow_flags: Set<Mlx5eTcFlowFlag>, filter_dev: NetDevice): Mlx5eTcFlow | NegErrno {
  const flags = new Set(flow_flags);
  flags.add('ESWITCH');
  const flow = mlx5e_alloc_flow(priv, f, flags, filter_dev);
  // mlx5e_flow_esw_attr_init
  flow.attr.esw_attr = { in_rep: priv.ppriv!.rep, in_mdev: priv.mdev, out_count: 0, split_count: 0, dests: [] };
  let err = parse_cls_flower(priv, flow, flow.attr.parse_attr.spec, f, filter_dev);
  if (!err) err = mlx5_tc_ct_match_add(ct_priv_for_match(priv, f), flow.attr.parse_attr.spec, f, (flow.attr.ct_attr ??= mlx5_ct_attr_zero()), f.common.extack);
  if (!err) err = parse_tc_fdb_actions(priv, f.rule!.action, flow, f.common.extack);
  if (!err) err = mlx5e_tc_add_fdb_flow(priv, flow, f.common.extack);
  if (err) {
    mlx5e_flow_put(priv, flow);
    return err;
  }
  return flow;
}, { result: (r) => (is_err(r) ? undefined : 'flow') });

/** mlx5e_add_fdb_flow (core/en_tc.c, v6.18): no LAG peers emulated. */
const mlx5e_add_fdb_flow = hop(FILE, function mlx5e_add_fdb_flow(priv: Mlx5ePriv, f: FlowClsOffload, flow_flags: Set<Mlx5eTcFlowFlag>, filter_dev: NetDevice): Mlx5eTcFlow | NegErrno {
  return __mlx5e_add_fdb_flow(priv, f, flow_flags, filter_dev);
}, { result: (r) => (is_err(r) ? undefined : 'flow') });

// Counted by the hop coverage report: taken = eswitch FDB (switchdev), not taken = NIC tables.
const mlx5e_tc_add_flow_fdb = declareBranch(FILE, 'mlx5e_tc_add_flow', 'fdb');

/** mlx5e_tc_add_flow (core/en_tc.c, v6.18): the mlx5 netdev's hw-tc-offload, then FDB vs NIC. */
const mlx5e_tc_add_flow = hop(FILE, function mlx5e_tc_add_flow(priv: Mlx5ePriv, f: FlowClsOffload, flags: number, filter_dev: NetDevice): Mlx5eTcFlow | NegErrno {
  const esw = priv.mdev.priv.eswitch;
  const flow_flags = get_flags(flags);
  if (!tc_can_offload_extack(priv.netdev, f.common.extack)) return -EOPNOTSUPP;
  if (mlx5e_tc_add_flow_fdb(esw?.mode === 'MLX5_ESWITCH_OFFLOADS')) return mlx5e_add_fdb_flow(priv, f, flow_flags, filter_dev);
  return mlx5e_add_nic_flow(priv, f, flow_flags, filter_dev);
}, { result: (r) => (is_err(r) ? undefined : 'flow') });

// ---------------------------------------------------------------------------
// delete

/** mlx5e_del_offloaded_nic_rule (core/en_tc.c, v6.18) */
const mlx5e_del_offloaded_nic_rule = hop(FILE, function mlx5e_del_offloaded_nic_rule(priv: Mlx5ePriv, rule: Mlx5FlowHandle, attr: Mlx5FlowAttr): void {
  const nic_chains = priv.fs.tc.chains!;
  mlx5_del_flow_rules(rule);
  if (attr.chain || attr.prio) mlx5_chains_put_table(nic_chains, attr.chain, attr.prio, MLX5E_TC_FT_LEVEL);
  if (attr.dest_chain) mlx5_chains_put_table(nic_chains, attr.dest_chain, 1, MLX5E_TC_FT_LEVEL);
});

/** mlx5e_tc_del_nic_flow (core/en_tc.c, v6.18): the root table goes with the last NIC filter. */
const mlx5e_tc_del_nic_flow = hop(FILE, function mlx5e_tc_del_nic_flow(priv: Mlx5ePriv, flow: Mlx5eTcFlow): void {
  const tc = priv.fs.tc;
  const attr = flow.attr;
  flow.flags.delete('OFFLOADED');
  if (flow.rule) mlx5e_del_offloaded_nic_rule(priv, flow.rule, attr);
  flow.rule = null;
  if (!mlx5e_tc_num_filters(priv, MLX5_TC_FLAG_NIC_OFFLOAD) && tc.t) {
    mlx5_chains_put_table(tc.chains!, 0, 1, MLX5E_TC_FT_LEVEL);
    tc.t = null;
  }
  mlx5_tc_ct_match_del(attr.ct_attr?.ct_labels_id ? get_ct_priv(priv) : null, attr.ct_attr);
  if (flow.attrs) free_flow_post_acts(flow);
  mlx5_free_flow_attr_actions(flow, attr);
});

/** mlx5e_tc_rule_unoffload (core/en_tc.c, v6.18) */
export const mlx5e_tc_rule_unoffload = hop(FILE, function mlx5e_tc_rule_unoffload(priv: Mlx5ePriv, rule: Mlx5FlowHandle, attr: Mlx5FlowAttr): void {
  if (!is_mdev_switchdev_mode(priv)) {
    mlx5e_del_offloaded_nic_rule(priv, rule, attr);
    return;
  }
  mlx5_eswitch_del_offloaded_rule(priv.mdev.priv.eswitch!, rule, attr);
  if (attr.meter_attr?.meter) mlx5e_tc_del_flow_meter(attr);
});

/** mlx5e_tc_unoffload_fdb_rules (core/en_tc.c, v6.18) */
export const mlx5e_tc_unoffload_fdb_rules = hop(FILE, function mlx5e_tc_unoffload_fdb_rules(flow: Mlx5eTcFlow, attr: Mlx5FlowAttr): void {
  flow.flags.delete('OFFLOADED');
  if (flow.rule1) mlx5_eswitch_del_fwd_rule(flow.priv.mdev.priv.eswitch!, flow.rule1, attr);
  flow.rule1 = null;
  if (flow.rule) mlx5e_tc_rule_unoffload(flow.priv, flow.rule, attr);
  flow.rule = null;
});

/**
 * mlx5_free_flow_attr_actions (core/en_tc.c, v6.18): the attr's post-action
 * rule, its counter, its modify header, then its CT state.
 */
const mlx5_free_flow_attr_actions = hop(FILE, function mlx5_free_flow_attr_actions(flow: Mlx5eTcFlow, attr: Mlx5FlowAttr): void {
  if (attr.post_act_handle) {
    const post_act = get_post_action(flow.priv);
    if (typeof post_act !== 'number') mlx5e_tc_post_act_del(post_act, attr.post_act_handle);
    attr.post_act_handle = null;
  }
  if (attr.action & MLX5_FLOW_CONTEXT_ACTION_COUNT) mlx5_fc_destroy(flow.priv.mdev, attr.counter);
  attr.counter = null;
  if (attr.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) mlx5e_tc_detach_mod_hdr(flow.priv, flow, attr);
  if (attr.ct_attr?.ft) mlx5_tc_ct_delete_flow(get_ct_priv(flow.priv), attr);
});

/** free_flow_post_acts (core/en_tc.c, v6.18): every part of a split rule but the first. */
const free_flow_post_acts = hop(FILE, function free_flow_post_acts(flow: Mlx5eTcFlow): void {
  for (const attr of [...(flow.attrs ?? [])].reverse()) {
    if (attr === flow.attr) break;
    mlx5_free_flow_attr_actions(flow, attr);
  }
  flow.attrs = undefined;
});

/** mlx5e_tc_del_fdb_flow (core/en_tc.c, v6.18) */
const mlx5e_tc_del_fdb_flow = hop(FILE, function mlx5e_tc_del_fdb_flow(_priv: Mlx5ePriv, flow: Mlx5eTcFlow): void {
  // The tunnel ids go first, before the rules (core/en_tc.c mlx5e_tc_del_fdb_flow, v6.18).
  mlx5e_put_flow_tunnel_id(flow);
  if (flow.flags.has('OFFLOADED')) {
    if (flow.flags.has('SLOW')) mlx5e_tc_unoffload_from_slow_path(flow);
    else mlx5e_tc_unoffload_fdb_rules(flow, flow.attr);
  }
  mlx5_tc_ct_match_del(flow.attr.ct_attr?.ct_labels_id ? get_ct_priv(flow.priv) : null, flow.attr.ct_attr);
  mlx5e_detach_encaps(flow.priv, flow);
  if (flow.attrs) free_flow_post_acts(flow);
  mlx5_free_flow_attr_actions(flow, flow.attr);
});

/** mlx5e_tc_del_flow (core/en_tc.c, v6.18) */
const mlx5e_tc_del_flow = hop(FILE, function mlx5e_tc_del_flow(priv: Mlx5ePriv, flow: Mlx5eTcFlow): void {
  if (mlx5e_is_eswitch_flow(flow)) mlx5e_tc_del_fdb_flow(priv, flow);
  else mlx5e_tc_del_nic_flow(priv, flow);
});

/** mlx5e_flow_put (core/en_tc.c): the last reference deletes (references are not modelled). */
const mlx5e_flow_put = hop(FILE, function mlx5e_flow_put(priv: Mlx5ePriv, flow: Mlx5eTcFlow): void {
  mlx5e_tc_del_flow(priv, flow);
});

function same_flow_direction(flow: Mlx5eTcFlow, flags: number): boolean {
  return flow.flags.has('INGRESS') === ((flags & MLX5_TC_FLAG_INGRESS) !== 0)
    && flow.flags.has('EGRESS') === ((flags & MLX5_TC_FLAG_EGRESS) !== 0);
}

/**
 * mlx5e_tc_block_ipsec_offload (core/en_tc.c, v6.18): TC on the PF netdev
 * itself and IPsec offload exclude each other.
 */
function is_tc_ipsec_order_check_needed(filter: NetDevice, priv: Mlx5ePriv): boolean {
  return filter === priv.netdev && !mlx5e_eswitch_vf_rep(priv.netdev);
}

function mlx5e_tc_block_ipsec_offload(filter: NetDevice, priv: Mlx5ePriv): 0 | NegErrno {
  if (!is_tc_ipsec_order_check_needed(filter, priv)) return 0;
  if (priv.mdev.num_block_tc) return -EBUSY;
  priv.mdev.num_block_ipsec++;
  return 0;
}

function mlx5e_tc_unblock_ipsec_offload(filter: NetDevice, priv: Mlx5ePriv): void {
  if (is_tc_ipsec_order_check_needed(filter, priv)) priv.mdev.num_block_ipsec--;
}

// ---------------------------------------------------------------------------
// entry points

/**
 * mlx5e_configure_flower (core/en_tc.c, v6.18). LAG ports sharing a block
 * are not emulated, so a known cookie is always -EEXIST.
 */
export const mlx5e_configure_flower = hop(FILE, function mlx5e_configure_flower(dev: NetDevice, priv: Mlx5ePriv, f: FlowClsOffload, flags: number): 0 | NegErrno {
  const extack = f.common.extack;
  const tc_ht = get_tc_ht(priv, flags);
  if (!mlx5_esw_hold(priv.mdev)) return -EBUSY;
  let err = mlx5e_tc_block_ipsec_offload(dev, priv);
  if (err) {
    mlx5_esw_release(priv.mdev);
    return err;
  }
  mlx5_esw_get(priv.mdev);

  if (tc_ht.has(f.cookie)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'flow cookie already exists, ignoring');
    netdev_printk('warn', priv.netdev, `flow cookie ${f.cookie.toString(16)} already exists, ignoring`);
    err = -EEXIST;
  } else {
    const flow = mlx5e_tc_add_flow(priv, f, flags, dev);
    if (!is_err(flow)) {
      tc_ht.set(f.cookie, flow);
      mlx5_esw_release(priv.mdev);
      return 0;
    }
    err = flow;
  }
  mlx5e_tc_unblock_ipsec_offload(dev, priv);
  mlx5_esw_put(priv.mdev);
  mlx5_esw_release(priv.mdev);
  return err;
}, { input: (dev, _p, f) => `${dev.name} ${flowSummary(f)}` });

/** mlx5e_delete_flower (core/en_tc.c, v6.18): unknown cookie or other direction → -EINVAL. */
export const mlx5e_delete_flower = hop(FILE, function mlx5e_delete_flower(dev: NetDevice, priv: Mlx5ePriv, f: FlowClsOffload, flags: number): 0 | NegErrno {
  const tc_ht = get_tc_ht(priv, flags);
  const flow = tc_ht.get(f.cookie);
  if (!flow || !same_flow_direction(flow, flags)) return -EINVAL;
  if (flow.flags.has('DELETED')) return -EINVAL;
  flow.flags.add('DELETED');
  tc_ht.delete(f.cookie);
  mlx5e_flow_put(priv, flow);
  mlx5e_tc_unblock_ipsec_offload(dev, priv);
  mlx5_esw_put(priv.mdev);
  return 0;
}, { input: (dev, _p, f) => `${dev.name} cookie ${f.cookie}` });

/** mlx5e_tc_get_counter (core/en_tc.c): the first attr's counter. */
function mlx5e_tc_get_counter(flow: Mlx5eTcFlow): Mlx5Fc | null {
  return flow.attr.counter;
}

/** mlx5e_stats_flower (core/en_tc.c, v6.18): deltas from the cached counter, HW_STATS_DELAYED. */
export const mlx5e_stats_flower = hop(FILE, function mlx5e_stats_flower(_dev: NetDevice, priv: Mlx5ePriv, f: FlowClsOffload, flags: number): 0 | NegErrno {
  const flow = get_tc_ht(priv, flags).get(f.cookie);
  if (!flow) return -EINVAL;
  if (!same_flow_direction(flow, flags)) return -EINVAL;
  let bytes = 0;
  let packets = 0;
  let lastuse = 0;
  if (flow.flags.has('OFFLOADED')) {
    const counter = mlx5e_tc_get_counter(flow);
    if (!counter) return 0;
    ({ bytes, packets, lastuse } = mlx5_fc_query_cached(counter));
  }
  flow_stats_update(f.stats, bytes, packets, 0, lastuse, FLOW_ACTION_HW_STATS_DELAYED);
  return 0;
}, { input: (dev, _p, f) => `${dev.name} cookie ${f.cookie}` });

/** mlx5e_setup_tc_cls_flower (core/en_tc.c, v6.18) */
const mlx5e_setup_tc_cls_flower = hop(FILE, function mlx5e_setup_tc_cls_flower(priv: Mlx5ePriv, cls_flower: FlowClsOffload, flags: number): 0 | NegErrno {
  switch (cls_flower.command) {
    case FLOW_CLS_REPLACE: return mlx5e_configure_flower(priv.netdev, priv, cls_flower, flags);
    case FLOW_CLS_DESTROY: return mlx5e_delete_flower(priv.netdev, priv, cls_flower, flags);
    case FLOW_CLS_STATS: return mlx5e_stats_flower(priv.netdev, priv, cls_flower, flags);
    default: return -EOPNOTSUPP;
  }
}, { input: (p, f) => `${p.netdev.name} cmd ${f.command} ${flowSummary(f)}` });

/**
 * mlx5e_setup_tc_block_cb (core/en_tc.c, v6.18): the block callback of the
 * NIC netdev / uplink representor. No chain-0 or feature check here.
 */
export const mlx5e_setup_tc_block_cb = hop(FILE, function mlx5e_setup_tc_block_cb(type: TcSetupType, type_data: unknown, cb_priv: unknown): 0 | NegErrno {
  let flags = MLX5_TC_FLAG_INGRESS;
  const priv = cb_priv as Mlx5ePriv;
  if (!priv.netdev || !priv.netdev.present) return -EOPNOTSUPP;
  flags |= mlx5e_is_uplink_rep(priv) ? MLX5_TC_FLAG_ESW_OFFLOAD : MLX5_TC_FLAG_NIC_OFFLOAD;
  switch (type) {
    case TC_SETUP_CLSFLOWER: return mlx5e_setup_tc_cls_flower(priv, type_data as FlowClsOffload, flags);
    default: return -EOPNOTSUPP;
  }
}, { input: (type, _d, p) => `${(p as Mlx5ePriv).netdev.name} type ${type}` });

// ---------------------------------------------------------------------------
// init

/**
 * mlx5e_tc_nic_init (core/en_tc.c, v6.18): the NIC TC miss table (1 FTE)
 * and the chains; chains and prios only with NIC-RX ignore_flow_level.
 * `levels` are the firmware levels of the TC root and the miss table.
 */
export const mlx5e_tc_nic_init = hop(FILE, function mlx5e_tc_nic_init(priv: Mlx5ePriv, levels: { tc_base: number; miss: number }): 0 | NegErrno {
  const tc = priv.fs.tc;
  const ns = mlx5_get_flow_namespace(priv.mdev, 'MLX5_FLOW_NAMESPACE_KERNEL');
  const miss = mlx5_create_auto_grouped_flow_table(ns, mlx5_flow_table_attr({
    level: levels.miss, max_fte: 1, autogroup: { max_num_groups: 1, num_reserved_entries: 0 },
  }));
  if (is_err(miss)) {
    netdev_printk('err', priv.netdev, `failed to create tc nic miss table err=${miss}`);
    return miss;
  }
  tc.miss_t = miss;
  const flags = priv.mdev.caps.flow_table_nic_rx.ignore_flow_level
    ? MLX5_CHAINS_AND_PRIOS_SUPPORTED | MLX5_CHAINS_IGNORE_FLOW_LEVEL_SUPPORTED : 0;
  tc.chains = mlx5_chains_create(priv.mdev, {
    ns: 'MLX5_FLOW_NAMESPACE_KERNEL', flags, max_grp_num: MLX5E_TC_TABLE_NUM_GROUPS, default_ft: miss,
    fs_base_level: levels.tc_base,
  });
  return 0;
});
