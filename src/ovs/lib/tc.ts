// lib/tc.c + lib/tc.h (v3.6.3): struct tc_flower and the rtnetlink requests
// OVS sends for it (filter replace/delete/get, ingress qdisc add/delete),
// plus the process-wide tc-policy.
import { TCA_ACT_FLAGS_NO_PERCPU_STATS, TCA_ACT_COOKIE, TCA_ACT_FLAGS, TCA_ACT_KIND, TCA_ACT_OPTIONS,
  TCA_ACT_STATS, TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_NOT_IN_HW, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW, TCA_FLOWER_ACT, TCA_FLOWER_FLAGS, TCA_FLOWER_KEY_ARP_OP,
  TCA_FLOWER_KEY_ARP_OP_MASK, TCA_FLOWER_KEY_ARP_SHA, TCA_FLOWER_KEY_ARP_SHA_MASK, TCA_FLOWER_KEY_ARP_SIP,
  TCA_FLOWER_KEY_ARP_SIP_MASK, TCA_FLOWER_KEY_ARP_THA, TCA_FLOWER_KEY_ARP_THA_MASK, TCA_FLOWER_KEY_ARP_TIP,
  TCA_FLOWER_KEY_ARP_TIP_MASK, TCA_FLOWER_KEY_CT_LABELS, TCA_FLOWER_KEY_CT_LABELS_MASK, TCA_FLOWER_KEY_CT_MARK,
  TCA_FLOWER_KEY_CT_MARK_MASK, TCA_FLOWER_KEY_CT_STATE, TCA_FLOWER_KEY_CT_STATE_MASK, TCA_FLOWER_KEY_CT_ZONE,
  TCA_FLOWER_KEY_CT_ZONE_MASK, TCA_FLOWER_KEY_CVLAN_ETH_TYPE, TCA_FLOWER_KEY_CVLAN_ID, TCA_FLOWER_KEY_CVLAN_PRIO,
  TCA_FLOWER_KEY_ETH_DST, TCA_FLOWER_KEY_ETH_DST_MASK, TCA_FLOWER_KEY_ETH_SRC, TCA_FLOWER_KEY_ETH_SRC_MASK,
  TCA_FLOWER_KEY_ETH_TYPE, TCA_FLOWER_KEY_FLAGS, TCA_FLOWER_KEY_FLAGS_MASK, TCA_FLOWER_KEY_ICMPV4_CODE,
  TCA_FLOWER_KEY_ICMPV4_CODE_MASK, TCA_FLOWER_KEY_ICMPV4_TYPE, TCA_FLOWER_KEY_ICMPV4_TYPE_MASK,
  TCA_FLOWER_KEY_ICMPV6_CODE, TCA_FLOWER_KEY_ICMPV6_CODE_MASK, TCA_FLOWER_KEY_ICMPV6_TYPE,
  TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV4_DST_MASK, TCA_FLOWER_KEY_IPV4_SRC,
  TCA_FLOWER_KEY_IPV4_SRC_MASK, TCA_FLOWER_KEY_IPV6_DST, TCA_FLOWER_KEY_IPV6_DST_MASK, TCA_FLOWER_KEY_IPV6_SRC,
  TCA_FLOWER_KEY_IPV6_SRC_MASK, TCA_FLOWER_KEY_IP_PROTO, TCA_FLOWER_KEY_IP_TOS, TCA_FLOWER_KEY_IP_TOS_MASK,
  TCA_FLOWER_KEY_IP_TTL, TCA_FLOWER_KEY_IP_TTL_MASK, TCA_FLOWER_KEY_SCTP_DST, TCA_FLOWER_KEY_SCTP_DST_MASK,
  TCA_FLOWER_KEY_SCTP_SRC, TCA_FLOWER_KEY_SCTP_SRC_MASK, TCA_FLOWER_KEY_TCP_DST, TCA_FLOWER_KEY_TCP_DST_MASK,
  TCA_FLOWER_KEY_TCP_FLAGS, TCA_FLOWER_KEY_TCP_FLAGS_MASK, TCA_FLOWER_KEY_TCP_SRC, TCA_FLOWER_KEY_TCP_SRC_MASK,
  TCA_FLOWER_KEY_UDP_DST, TCA_FLOWER_KEY_UDP_DST_MASK, TCA_FLOWER_KEY_UDP_SRC, TCA_FLOWER_KEY_UDP_SRC_MASK,
  TCA_FLOWER_KEY_VLAN_ETH_TYPE, TCA_FLOWER_KEY_VLAN_ID, TCA_FLOWER_KEY_VLAN_PRIO, TCA_FLOWER_UNSPEC,
  TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_PIPE, TC_ACT_SHOT, TC_ACT_STOLEN,
} from '../../kernel/include/uapi/linux/pkt_cls';
import { TCA_CHAIN, TCA_DUMP_FLAGS, TCA_DUMP_FLAGS_TERSE, TCA_INGRESS_BLOCK, TCA_KIND, TCA_OPTIONS, TC_H_CLSACT, TC_H_INGRESS, TC_H_MAKE, TC_H_MIN_EGRESS, TC_H_MIN_INGRESS, TCM_IFINDEX_MAGIC_BLOCK } from '../../kernel/include/uapi/linux/pkt_sched';
import { RTM_DELQDISC, RTM_DELTFILTER, RTM_GETTFILTER, RTM_NEWQDISC, RTM_NEWTFILTER } from '../../kernel/include/uapi/linux/rtnetlink';
import { NETLINK_ROUTE, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { TCA_GACT_PARMS, TCA_GACT_TM } from '../../kernel/include/uapi/linux/tc_act/tc_gact';
import {
  TCA_MPLS_ACT_MODIFY, TCA_MPLS_ACT_POP, TCA_MPLS_ACT_PUSH, TCA_MPLS_BOS, TCA_MPLS_LABEL, TCA_MPLS_PARMS, TCA_MPLS_PROTO, TCA_MPLS_TC,
  TCA_MPLS_TM, TCA_MPLS_TTL,
} from '../../kernel/include/uapi/linux/tc_act/tc_mpls';
import { TCA_FLOWER_KEY_MPLS_BOS, TCA_FLOWER_KEY_MPLS_LABEL, TCA_FLOWER_KEY_MPLS_TC, TCA_FLOWER_KEY_MPLS_TTL } from '../../kernel/include/uapi/linux/pkt_cls';
import { TCA_EGRESS_MIRROR, TCA_EGRESS_REDIR, TCA_INGRESS_MIRROR, TCA_INGRESS_REDIR, TCA_MIRRED_PARMS, TCA_MIRRED_TM } from '../../kernel/include/uapi/linux/tc_act/tc_mirred';
import {
  TCA_FLOWER_KEY_ENC_FLAGS, TCA_FLOWER_KEY_ENC_FLAGS_MASK, TCA_FLOWER_KEY_ENC_IPV4_DST, TCA_FLOWER_KEY_ENC_IPV4_DST_MASK,
  TCA_FLOWER_KEY_ENC_IPV4_SRC, TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, TCA_FLOWER_KEY_ENC_IP_TOS, TCA_FLOWER_KEY_ENC_IP_TOS_MASK,
  TCA_FLOWER_KEY_ENC_IP_TTL, TCA_FLOWER_KEY_ENC_IP_TTL_MASK, TCA_FLOWER_KEY_ENC_KEY_ID, TCA_FLOWER_KEY_ENC_UDP_DST_PORT,
  TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK,
} from '../../kernel/include/uapi/linux/pkt_cls';
import {
  TCA_TUNNEL_KEY_ACT_RELEASE, TCA_TUNNEL_KEY_ACT_SET, TCA_TUNNEL_KEY_ENC_DST_PORT, TCA_TUNNEL_KEY_ENC_IPV4_DST,
  TCA_TUNNEL_KEY_ENC_IPV4_SRC, TCA_TUNNEL_KEY_ENC_KEY_ID, TCA_TUNNEL_KEY_ENC_TOS, TCA_TUNNEL_KEY_ENC_TTL, TCA_TUNNEL_KEY_NO_CSUM,
  TCA_TUNNEL_KEY_NO_FRAG, TCA_TUNNEL_KEY_PARMS, TCA_TUNNEL_KEY_TM,
} from '../../kernel/include/uapi/linux/tc_act/tc_tunnel_key';
import { EAGAIN, EINVAL, ENOENT, EOPNOTSUPP, EPROTO } from '../../kernel/include/uapi/asm-generic/errno';
import { NLA_F_NESTED, NlMsgBuilder, StructReader, StructWriter, nla_get_be16, nla_get_be32, nla_get_string, nla_get_u16, nla_get_u32, nla_get_u8, type NlAttr } from '../../netlink/attr';
import { nl_attrs } from '../../netlink/msgbuf';
import type { NlMsg } from '../../netlink/nlmsg';
import { TCMSG_LEN, tcmsg_decode, tcmsg_encode } from '../../netlink/structs';
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { errno_text, type OvsProcess } from './ovs-process';
import { nl_dump, nl_transact } from './netlink-socket';

const AF_UNSPEC = 0;

// include/uapi/linux/tc_act/tc_vlan.h (v6.18)
const TCA_VLAN_ACT_POP = 1;
const TCA_VLAN_ACT_PUSH = 2;
const TCA_VLAN_PARMS = 2;
const TCA_VLAN_PUSH_VLAN_ID = 3;
const TCA_VLAN_PUSH_VLAN_PROTOCOL = 4;
const TCA_VLAN_PUSH_VLAN_PRIORITY = 6;

// include/uapi/linux/tc_act/tc_pedit.h (v6.18)
const TCA_PEDIT_PARMS_EX = 4;
const TCA_PEDIT_KEYS_EX = 5;
const TCA_PEDIT_KEY_EX = 6;
const TCA_PEDIT_KEY_EX_HTYPE = 1;
const TCA_PEDIT_KEY_EX_CMD = 2;
const TCA_PEDIT_KEY_EX_CMD_SET = 0;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_ETH = 1;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 = 2;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_IP6 = 3;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_TCP = 4;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_UDP = 5;
// include/uapi/linux/tc_act/tc_csum.h (v6.18)
const TCA_CSUM_PARMS = 1;
const TCA_CSUM_UPDATE_FLAG_IPV4HDR = 1;
const TCA_CSUM_UPDATE_FLAG_ICMP = 2;
const TCA_CSUM_UPDATE_FLAG_TCP = 8;
const TCA_CSUM_UPDATE_FLAG_UDP = 16;
const TCA_CSUM_UPDATE_FLAG_UDPLITE = 32;
// include/uapi/linux/tc_act/tc_ct.h (v6.18)
const TCA_CT_PARMS = 1;
const TCA_CT_TM = 2;
const TCA_CT_ACTION = 3;
const TCA_CT_ZONE = 4;
const TCA_CT_MARK = 5;
const TCA_CT_MARK_MASK = 6;
const TCA_CT_LABELS = 7;
const TCA_CT_LABELS_MASK = 8;
const TCA_CT_NAT_IPV4_MIN = 9;
const TCA_CT_NAT_IPV4_MAX = 10;
const TCA_CT_NAT_IPV6_MIN = 11;
const TCA_CT_NAT_IPV6_MAX = 12;
const TCA_CT_NAT_PORT_MIN = 13;
const TCA_CT_NAT_PORT_MAX = 14;
const TCA_CT_ACT_COMMIT = 1 << 0;
const TCA_CT_ACT_FORCE = 1 << 1;
const TCA_CT_ACT_CLEAR = 1 << 2;
const TCA_CT_ACT_NAT = 1 << 3;
const TCA_CT_ACT_NAT_SRC = 1 << 4;
const TCA_CT_ACT_NAT_DST = 1 << 5;
// include/linux/socket.h
export const AF_INET = 2;
export const AF_INET6 = 10;
// lib/tc.c MAX_PEDIT_OFFSETS
const MAX_PEDIT_OFFSETS = 32;

// lib/tc.h
export const TC_INGRESS_PARENT = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
export const TC_EGRESS_PARENT = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
export const TC_POLICY_DEFAULT = 'none';
export const TC_RESERVED_PRIORITY_NONE = 0;
export const TC_RESERVED_PRIORITY_POLICE = 1;
export const TC_RESERVED_PRIORITY_IPV4 = 2;
export const TC_RESERVED_PRIORITY_IPV6 = 3;
export const TC_RESERVED_PRIORITY_VLAN = 4;
export const TC_RESERVED_PRIORITY_MAX = 4;
export const TC_MAX_PRIORITY = 65534;
export const TC_RESERVED_PRIORITY_FEATURE_PROBE = 65535;
export const TCA_ACT_MAX_NUM = 16;

export type TcQdiscHook = 'TC_INGRESS' | 'TC_EGRESS';
/** enum tc_offload_policy */
export type TcOffloadPolicy = 'TC_POLICY_NONE' | 'TC_POLICY_SKIP_SW' | 'TC_POLICY_SKIP_HW';

/** struct tcf_id */
export interface TcfId {
  hook: TcQdiscHook;
  block_id: number;
  ifindex: number;
  chain: number;
  prio: number;
  handle: number;
}

/** tc_make_tcf_id_chain (lib/tc.h) */
export function tc_make_tcf_id_chain(ifindex: number, block_id: number, chain: number, prio: number, hook: TcQdiscHook): TcfId {
  return { hook, block_id, ifindex, chain, prio, handle: 0 };
}

/** struct tc_flower_key: numbers hold values (0x0800), byte arrays wire bytes. */
export interface TcFlowerKey {
  eth_type: number;
  ip_proto: number;
  dst_mac: Uint8Array;
  src_mac: Uint8Array;
  tcp_src: number; tcp_dst: number; tcp_flags: number;
  udp_src: number; udp_dst: number;
  sctp_src: number; sctp_dst: number;
  icmp_code: number; icmp_type: number;
  vlan_id: [number, number];
  vlan_prio: [number, number];
  encap_eth_type: [number, number];
  /** TCA_FLOWER_KEY_FLAGS_* (fragment bits). */
  flags: number;
  ip_ttl: number;
  ip_tos: number;
  ct_state: number; ct_zone: number; ct_mark: number; ct_label: Uint8Array;
  /** The outer MPLS label stack entry (be32 value: label<<12 | tc<<9 | bos<<8 | ttl). */
  mpls_lse: number;
  ipv4: { ipv4_src: number; ipv4_dst: number };
  ipv6: { ipv6_src: Uint8Array; ipv6_dst: Uint8Array };
  arp: { spa: number; tpa: number; sha: Uint8Array; tha: Uint8Array; opcode: number };
  /** The outer (enc_*) keys of a tunnel match; id holds the 64-bit tun_id value. */
  tunnel: TcTunnelKey;
}

/** struct tc_flower_tunnel, the IPv4/VXLAN part. */
export interface TcTunnelKey {
  id: bigint;
  ipv4: { ipv4_src: number; ipv4_dst: number };
  tos: number;
  ttl: number;
  tp_src: number;
  tp_dst: number;
  /** TCA_FLOWER_KEY_FLAGS_TUNNEL_* */
  tc_enc_flags: number;
}

export function tc_tunnel_key_zero(): TcTunnelKey {
  return { id: 0n, ipv4: { ipv4_src: 0, ipv4_dst: 0 }, tos: 0, ttl: 0, tp_src: 0, tp_dst: 0, tc_enc_flags: 0 };
}

/** struct tc_action's encap part (a tunnel_key set). */
export interface TcEncap {
  id: bigint;
  id_present: boolean;
  ipv4: { ipv4_src: number; ipv4_dst: number };
  tos: number;
  ttl: number;
  tp_dst: number;
  no_csum: boolean;
  dont_fragment: boolean;
}

export function tc_flower_key_zero(): TcFlowerKey {
  return {
    eth_type: 0, ip_proto: 0, dst_mac: new Uint8Array(6), src_mac: new Uint8Array(6),
    tcp_src: 0, tcp_dst: 0, tcp_flags: 0, udp_src: 0, udp_dst: 0, sctp_src: 0, sctp_dst: 0,
    icmp_code: 0, icmp_type: 0, vlan_id: [0, 0], vlan_prio: [0, 0], encap_eth_type: [0, 0], flags: 0,
    ip_ttl: 0, ip_tos: 0, ct_state: 0, ct_zone: 0, ct_mark: 0, ct_label: new Uint8Array(16), mpls_lse: 0,
    ipv4: { ipv4_src: 0, ipv4_dst: 0 }, ipv6: { ipv6_src: new Uint8Array(16), ipv6_dst: new Uint8Array(16) },
    arp: { spa: 0, tpa: 0, sha: new Uint8Array(6), tha: new Uint8Array(6), opcode: 0 },
    tunnel: tc_tunnel_key_zero(),
  };
}

/** struct tc_action, the kinds modelled here. */
export type TcAction =
  | { type: 'TC_ACT_OUTPUT'; out: { ifindex_out: number; ingress: boolean } }
  | { type: 'TC_ACT_GOTO'; chain: number }
  | { type: 'TC_ACT_VLAN_PUSH'; vlan: { vlan_push_tpid: number; vlan_push_id: number; vlan_push_prio: number } }
  | { type: 'TC_ACT_VLAN_POP' }
  | { type: 'TC_ACT_PEDIT'; rewrite: TcRewrite }
  | { type: 'TC_ACT_CT'; ct: TcCt }
  | { type: 'TC_ACT_ENCAP'; encap: TcEncap }
  | { type: 'TC_ACT_MPLS_PUSH' | 'TC_ACT_MPLS_POP' | 'TC_ACT_MPLS_SET'; mpls: TcMpls };

/** struct tc_action's mpls part: proto (push/pop) as a value, the LSE fields (push/set). */
export interface TcMpls {
  proto: number;
  label: number;
  tc: number;
  ttl: number;
  bos: number;
}

// lib/packets.h mpls_lse_to_* / flow_set_mpls_lse_*: the LSE as a be32 value.
export const mpls_lse_to_label = (lse: number): number => lse >>> 12;
export const mpls_lse_to_tc = (lse: number): number => (lse >>> 9) & 7;
export const mpls_lse_to_bos = (lse: number): number => (lse >>> 8) & 1;
export const mpls_lse_to_ttl = (lse: number): number => lse & 0xff;
export function mpls_lse(label: number, tc: number, ttl: number, bos: number): number {
  return (((label & 0xfffff) << 12) | ((tc & 7) << 9) | ((bos & 1) << 8) | (ttl & 0xff)) >>> 0;
}

/**
 * One set/set_masked action as pedit words: each field of set_flower_map
 * with its header type, byte offset in that header, value and mask (the
 * bytes the action writes). `shift` moves a sub-byte field (IPv6 tclass)
 * into place within its 32-bit word.
 */
export interface TcRewrite {
  fields: { htype: number; off: number; val: Uint8Array; mask: Uint8Array; shift: number }[];
}

/** enum tc_nat_type (lib/tc.h) */
export type TcNatType = 'TC_NO_NAT' | 'TC_NAT_SRC' | 'TC_NAT_DST' | 'TC_NAT_RESTORE';

/**
 * struct tc_action's ct part. Labels are the 16 bytes of the ct_label
 * (value and mask); the NAT range keeps addresses and ports as numbers in
 * network order semantics (ipv4 as a be32 value, ports as be16 values).
 */
export interface TcCt {
  clear: boolean;
  commit: boolean;
  force: boolean;
  zone: number;
  mark: number;
  mark_mask: number;
  label: Uint8Array;
  label_mask: Uint8Array;
  nat_type: TcNatType;
  range: TcCtRange;
}

/** struct tc_action's ct.range */
export interface TcCtRange {
  /** 0 (none), AF_INET or AF_INET6 */
  ip_family: number;
  ipv4: { min: number; max: number };
  ipv6: { min: Uint8Array; max: Uint8Array };
  port: { min: number; max: number };
}

/** A ct action with nothing set (the memset of a fresh struct tc_action). */
export function tc_ct_zero(): TcCt {
  return {
    clear: false, commit: false, force: false, zone: 0, mark: 0, mark_mask: 0,
    label: new Uint8Array(16), label_mask: new Uint8Array(16), nat_type: 'TC_NO_NAT',
    range: { ip_family: 0, ipv4: { min: 0, max: 0 }, ipv6: { min: new Uint8Array(16), max: new Uint8Array(16) }, port: { min: 0, max: 0 } },
  };
}

/** enum tc_offloaded_state */
export type TcOffloadedState = 'TC_OFFLOADED_STATE_UNDEFINED' | 'TC_OFFLOADED_STATE_IN_HW' | 'TC_OFFLOADED_STATE_NOT_IN_HW';

/** struct ovs_flow_stats */
export interface OvsFlowStats {
  n_packets: number;
  n_bytes: number;
}

/** struct tc_flower */
export interface TcFlower {
  key: TcFlowerKey;
  mask: TcFlowerKey;
  actions: TcAction[];
  /** TCA_ACT_COOKIE: the flow's UFID bytes. */
  act_cookie?: Uint8Array;
  tunnel: boolean;
  tc_policy: TcOffloadPolicy;
  /** Filled from a dump or get reply. */
  stats_sw: OvsFlowStats;
  stats_hw: OvsFlowStats;
  /** time_msec() of the last use (0: unknown). */
  lastused: number;
  offloaded_state: TcOffloadedState;
}

export function tc_flower_init(): TcFlower {
  return {
    key: tc_flower_key_zero(), mask: tc_flower_key_zero(), actions: [], tunnel: false, tc_policy: 'TC_POLICY_NONE',
    stats_sw: { n_packets: 0, n_bytes: 0 }, stats_hw: { n_packets: 0, n_bytes: 0 }, lastused: 0,
    offloaded_state: 'TC_OFFLOADED_STATE_UNDEFINED',
  };
}

interface TcStatics {
  /** The file-static tc_policy, set once from other_config:tc-policy. */
  tc_policy: TcOffloadPolicy;
}

function statics(p: OvsProcess): TcStatics {
  return p.static_of('lib/tc.c', () => ({ tc_policy: 'TC_POLICY_NONE' as TcOffloadPolicy }));
}

export function tc_get_policy(p: OvsProcess): TcOffloadPolicy {
  return statics(p).tc_policy;
}

/** tc_set_policy: none | skip_sw | skip_hw; anything else is WARNed and ignored. */
export const tc_set_policy = hop('lib/tc.c', function tc_set_policy(p: OvsProcess, policy: string | undefined): void {
  if (policy === undefined) return;
  const s = statics(p);
  if (policy === 'skip_sw') s.tc_policy = 'TC_POLICY_SKIP_SW';
  else if (policy === 'skip_hw') s.tc_policy = 'TC_POLICY_SKIP_HW';
  else if (policy === 'none') s.tc_policy = 'TC_POLICY_NONE';
  else {
    p.vlog.warn('tc', `tc: Invalid policy '${policy}'`);
    return;
  }
  p.vlog.info('tc', `tc: Using policy '${policy}'`);
}, { input: (_p, policy) => policy });

/** tc_get_tc_cls_policy: the TCA_FLOWER_FLAGS skip bits of a policy. */
export function tc_get_tc_cls_policy(policy: TcOffloadPolicy): number {
  if (policy === 'TC_POLICY_SKIP_HW') return TCA_CLS_FLAGS_SKIP_HW;
  if (policy === 'TC_POLICY_SKIP_SW') return TCA_CLS_FLAGS_SKIP_SW;
  return 0;
}

/** htons(x) read as a host (little-endian) u16: how tcm_info carries a protocol. */
function htons_host(x: number): number {
  return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
}

/** tc_make_request: nlmsghdr + tcmsg; the caller adds attributes. */
function tc_make_request(ifindex: number, type: number, flags: number, tcm_handle: number, tcm_parent: number, tcm_info: number): NlMsgBuilder {
  return new NlMsgBuilder({ nlmsg_type: type, nlmsg_flags: NLM_F_REQUEST | flags, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(tcmsg_encode({ tcm_family: AF_UNSPEC, tcm_ifindex: ifindex, tcm_handle, tcm_parent, tcm_info }));
}

/**
 * request_from_tcf_id: ifindex (or the block magic), parent (ingress,
 * egress for internal ports, or the block), info = prio << 16 | protocol,
 * then TCA_CHAIN only when the chain is not 0.
 */
function request_from_tcf_id(id: TcfId, eth_type: number, type: number, flags: number): NlMsgBuilder {
  const ifindex = id.block_id ? TCM_IFINDEX_MAGIC_BLOCK : id.ifindex;
  const ingress_parent = id.block_id ? id.block_id : TC_INGRESS_PARENT;
  const parent = id.hook === 'TC_EGRESS' ? TC_EGRESS_PARENT : ingress_parent;
  const b = tc_make_request(ifindex, type, flags, id.handle, parent, TC_H_MAKE((id.prio << 16) >>> 0, htons_host(eth_type)));
  if (id.chain) b.u32(TCA_CHAIN, id.chain);
  return b;
}

/** tc_transact: nl_transact on NETLINK_ROUTE. */
export const tc_transact = hop('lib/tc.c', function tc_transact(p: OvsProcess, request: Uint8Array, want_reply: boolean) {
  return nl_transact(p, NETLINK_ROUTE, request, want_reply);
}, { errno: (r) => -r.error, result: (r) => (r.error ? `error ${r.error}` : '0') });

/**
 * tc_add_del_qdisc: `tc qdisc add|del dev X handle ffff: ingress` (clsact for
 * the egress hook). Deleting tolerates ENOENT and EINVAL.
 */
export const tc_add_del_qdisc = hop('lib/tc.c', function tc_add_del_qdisc(
  p: OvsProcess, ifindex: number, add: boolean, block_id: number, hook: TcQdiscHook,
): number {
  const type = add ? RTM_NEWQDISC : RTM_DELQDISC;
  const flags = add ? NLM_F_EXCL | NLM_F_CREATE : 0;
  const egress = hook === 'TC_EGRESS';
  const b = tc_make_request(ifindex, type, flags, TC_H_MAKE(egress ? TC_H_CLSACT : TC_H_INGRESS, 0), egress ? TC_H_CLSACT : TC_H_INGRESS, 0)
    .string(TCA_KIND, egress ? 'clsact' : 'ingress')
    .attr(TCA_OPTIONS, new Uint8Array(0));
  if (!egress && block_id) b.u32(TCA_INGRESS_BLOCK, block_id);
  const { error } = tc_transact(p, b.finish(), false);
  if (error && !add && (error === ENOENT || error === EINVAL)) return 0;
  return error;
}, { input: (_p, ifindex, add) => `ifindex=${ifindex} ${add ? 'add' : 'del'}`, errno: (e) => -e, result: errno_text });

/** tc_del_filter / tc_del_flower_filter: RTM_DELTFILTER with an ACK. */
export const tc_del_flower_filter = hop('lib/tc.c', function tc_del_flower_filter(p: OvsProcess, id: TcfId): number {
  const b = request_from_tcf_id(id, 0, RTM_DELTFILTER, NLM_F_ACK).string(TCA_KIND, 'flower');
  return tc_transact(p, b.finish(), false).error;
}, { input: (_p, id) => `ifindex=${id.ifindex} chain=${id.chain} prio=${id.prio} handle=${id.handle}`, errno: (e) => -e, result: errno_text });

function mirred_parms(action: number, eaction: number, ifindex: number): Uint8Array {
  // struct tc_mirred: tc_gen {index, capab, action, refcnt, bindcnt}, eaction, ifindex
  return new StructWriter(28).s32(8, action).s32(20, eaction).u32(24, ifindex).bytes;
}

function gact_parms(chain: number): Uint8Array {
  return new StructWriter(20).s32(8, chain ? (TC_ACT_GOTO_CHAIN | chain) : TC_ACT_SHOT).bytes;
}

/** nl_msg_put_act_flags: bitfield32 {value, selector} = NO_PERCPU_STATS. */
function put_act_flags(b: NlMsgBuilder): void {
  b.attr(TCA_ACT_FLAGS, new StructWriter(8).u32(0, TCA_ACT_FLAGS_NO_PERCPU_STATS).u32(4, TCA_ACT_FLAGS_NO_PERCPU_STATS).bytes);
}

function put_act_cookie(b: NlMsgBuilder, f: TcFlower): void {
  if (f.act_cookie && f.act_cookie.byteLength) b.attr(TCA_ACT_COOKIE, f.act_cookie);
}

/**
 * csum_update_flag: the csum action flags a rewrite of `htype` needs, from
 * the flow's ip_proto; an IP rewrite with any other protocol is WARNed and
 * refused. Also reports whether ip_proto must then be matched exactly.
 */
function csum_update_flag(p: OvsProcess, f: TcFlower, htype: number): { error: number; flags: number; full_proto: boolean } {
  // lib/tc.c csum_update_flag (v3.6.3)
  let flags = htype === TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 ? TCA_CSUM_UPDATE_FLAG_IPV4HDR : 0;
  if (htype === TCA_PEDIT_KEY_EX_HDR_TYPE_ETH) return { error: 0, flags, full_proto: false };
  const proto = f.key.ip_proto;
  if (proto === 6) flags |= TCA_CSUM_UPDATE_FLAG_TCP;
  else if (proto === 17) flags |= TCA_CSUM_UPDATE_FLAG_UDP;
  else if (proto === 58) flags |= TCA_CSUM_UPDATE_FLAG_ICMP;
  else if (proto === 136) flags |= TCA_CSUM_UPDATE_FLAG_UDPLITE;
  else if (![1, 2, 132, 4, 47].includes(proto)) { // ICMP, IGMP, SCTP, IPIP, GRE need no L4 flag
    p.vlog.warn('tc', `can't offload rewrite of IP/IPV6 with ip_proto: ${proto}`);
    return { error: EOPNOTSUPP, flags, full_proto: false };
  }
  return { error: 0, flags, full_proto: true };
}

/** struct tc_pedit_key of one rewritten word: mask = bits kept, val = bits written. */
interface PeditKey { htype: number; off: number; mask: number; val: number }

/** The pedit SET keys of a rewrite: one per 32-bit header word it touches. */
function rewrite_to_pedit_keys(rw: TcRewrite): PeditKey[] {
  const keys: PeditKey[] = [];
  for (const fld of rw.fields) {
    const end = fld.off + fld.val.byteLength;
    for (let w = fld.off & ~3; w < end; w += 4) {
      let mask_word = 0;
      let data_word = 0;
      for (let i = 0; i < 4; i++) {
        const at = w + i - fld.off;
        const inside = at >= 0 && at < fld.val.byteLength;
        mask_word = (mask_word << 8) | (inside ? fld.mask[at]! : 0);
        data_word = (data_word << 8) | (inside ? fld.val[at]! : 0);
      }
      mask_word = (mask_word >>> fld.shift) >>> 0;
      data_word = (data_word >>> fld.shift) >>> 0;
      if (!mask_word) continue;
      keys.push({ htype: fld.htype, off: w, mask: ~mask_word >>> 0, val: (data_word & mask_word) >>> 0 });
    }
  }
  return keys;
}

/**
 * nl_msg_put_flower_rewrite_pedits: one SET key per changed 32-bit word of
 * each rewritten field (mask = bits kept, val = bits written), then the
 * pedit action itself; PIPE when a csum action will follow it.
 */
function nl_msg_put_flower_rewrite_pedits(p: OvsProcess, b: NlMsgBuilder, f: TcFlower, rw: TcRewrite, action_pc: number, csum: { flags: number }): number {
  const keys = rewrite_to_pedit_keys(rw);
  if (keys.length > MAX_PEDIT_OFFSETS) {
    p.vlog.warn('tc', `reached too many pedit offsets: ${MAX_PEDIT_OFFSETS}`);
    return EOPNOTSUPP;
  }
  for (const k of keys) {
    const c = csum_update_flag(p, f, k.htype);
    if (c.error) return c.error;
    csum.flags |= c.flags;
    if (c.full_proto) f.mask.ip_proto = 0xff; // needs_full_ip_proto_mask
  }
  b.string(TCA_ACT_KIND, 'pedit');
  const o = b.nestStart(TCA_ACT_OPTIONS);
  // struct tc_pedit_sel: tc_gen (20 bytes), nkeys, flags, pad; then struct tc_pedit_key[] (24 bytes each).
  const sel = new StructWriter(24 + keys.length * 24).s32(8, csum.flags ? TC_ACT_PIPE : action_pc).u8(20, keys.length);
  keys.forEach((k, i) => sel.be32(24 + i * 24, k.mask).be32(24 + i * 24 + 4, k.val).u32(24 + i * 24 + 8, k.off));
  b.attr(TCA_PEDIT_PARMS_EX, sel.bytes);
  const ex = b.nestStart(TCA_PEDIT_KEYS_EX);
  for (const k of keys) {
    const ko = b.nestStart(TCA_PEDIT_KEY_EX);
    b.u16(TCA_PEDIT_KEY_EX_HTYPE, k.htype);
    b.u16(TCA_PEDIT_KEY_EX_CMD, TCA_PEDIT_KEY_EX_CMD_SET);
    b.nestEnd(ko);
  }
  b.nestEnd(ex);
  b.nestEnd(o);
  return 0;
}

/** nl_msg_put_act_csum */
function nl_msg_put_act_csum(b: NlMsgBuilder, flags: number, action_pc: number): void {
  b.string(TCA_ACT_KIND, 'csum');
  const o = b.nestStart(TCA_ACT_OPTIONS);
  b.attr(TCA_CSUM_PARMS, new StructWriter(24).s32(8, action_pc).u32(20, flags).bytes); // struct tc_csum
  b.nestEnd(o);
}

/**
 * nl_msg_put_act_ct: clear; or zone, labels and mark (value + mask) when
 * set, the commit/force bits, and NAT with its range (max only when set).
 */
function nl_msg_put_act_ct(b: NlMsgBuilder, ct: TcCt, action_pc: number): void {
  b.string(TCA_ACT_KIND, 'ct');
  const o = b.nestStart(TCA_ACT_OPTIONS | NLA_F_NESTED);
  let ct_action = 0;
  if (!ct.clear) {
    if (ct.zone) b.u16(TCA_CT_ZONE, ct.zone);
    if (ct.label_mask.some((x) => x)) {
      b.attr(TCA_CT_LABELS, ct.label);
      b.attr(TCA_CT_LABELS_MASK, ct.label_mask);
    }
    if (ct.mark_mask) {
      b.u32(TCA_CT_MARK, ct.mark);
      b.u32(TCA_CT_MARK_MASK, ct.mark_mask);
    }
    if (ct.commit) ct_action = TCA_CT_ACT_COMMIT | (ct.force ? TCA_CT_ACT_FORCE : 0);
    if (ct.nat_type !== 'TC_NO_NAT') {
      ct_action |= TCA_CT_ACT_NAT;
      if (ct.nat_type === 'TC_NAT_SRC') ct_action |= TCA_CT_ACT_NAT_SRC;
      else if (ct.nat_type === 'TC_NAT_DST') ct_action |= TCA_CT_ACT_NAT_DST;
      const r = ct.range;
      if (r.ip_family === AF_INET) {
        b.be32(TCA_CT_NAT_IPV4_MIN, r.ipv4.min);
        if (r.ipv4.max) b.be32(TCA_CT_NAT_IPV4_MAX, r.ipv4.max);
      } else if (r.ip_family === AF_INET6) {
        b.attr(TCA_CT_NAT_IPV6_MIN, r.ipv6.min);
        if (r.ipv6.max.some((x) => x)) b.attr(TCA_CT_NAT_IPV6_MAX, r.ipv6.max);
      }
      if (r.port.min) {
        b.be16(TCA_CT_NAT_PORT_MIN, r.port.min);
        if (r.port.max) b.be16(TCA_CT_NAT_PORT_MAX, r.port.max);
      }
    }
  } else {
    ct_action = TCA_CT_ACT_CLEAR;
  }
  b.u16(TCA_CT_ACTION, ct_action);
  b.attr(TCA_CT_PARMS, new StructWriter(20).s32(8, action_pc).bytes); // struct tc_ct
  b.nestEnd(o);
}

/**
 * nl_msg_put_act_pop_mpls / nl_msg_put_act_push_mpls / nl_msg_put_act_set_mpls:
 * a pop carries the next protocol; a push the protocol and all four LSE
 * fields; a modify the four fields.
 */
function nl_msg_put_act_mpls(b: NlMsgBuilder, type: 'TC_ACT_MPLS_POP' | 'TC_ACT_MPLS_PUSH' | 'TC_ACT_MPLS_SET', m: TcMpls,
  action_pc: number): void {
  const m_action = type === 'TC_ACT_MPLS_POP' ? TCA_MPLS_ACT_POP : type === 'TC_ACT_MPLS_PUSH' ? TCA_MPLS_ACT_PUSH : TCA_MPLS_ACT_MODIFY;
  b.string(TCA_ACT_KIND, 'mpls');
  const o = b.nestStart(TCA_ACT_OPTIONS | NLA_F_NESTED);
  b.attr(TCA_MPLS_PARMS, new StructWriter(24).s32(8, action_pc).s32(20, m_action).bytes); // struct tc_mpls
  if (type !== 'TC_ACT_MPLS_SET') b.be16(TCA_MPLS_PROTO, m.proto);
  if (type !== 'TC_ACT_MPLS_POP') {
    b.u32(TCA_MPLS_LABEL, m.label);
    b.u8(TCA_MPLS_TC, m.tc);
    b.u8(TCA_MPLS_TTL, m.ttl);
    b.u8(TCA_MPLS_BOS, m.bos);
  }
  b.nestEnd(o);
}

const echo_mismatch = declareBranch('lib/tc.c', 'tc_replace_flower', 'echo_mismatch');
const tunnel_key_release_branch = declareBranch('lib/tc.c', 'nl_msg_put_flower_acts', 'tunnel_key release before output/encap');
const goto_after_release_branch = declareBranch('lib/tc.c', 'nl_msg_put_flower_acts', 'goto after tunnel_key release');

type KeyField = number | bigint | Uint8Array | readonly number[] | { [k: string]: KeyField };

/** The masked-key comparison of one tc_flower_key field (recursing into sub-structs). */
function masked_equal(a: KeyField, b: KeyField, m: KeyField): boolean {
  if (typeof a === 'bigint') return (a & (m as bigint)) === ((b as bigint) & (m as bigint));
  if (typeof a === 'number') return ((a & (m as number)) >>> 0) === (((b as number) & (m as number)) >>> 0);
  if (a instanceof Uint8Array || Array.isArray(a)) {
    const aa = a as ArrayLike<number>;
    const bb = b as ArrayLike<number>;
    const mm = m as ArrayLike<number>;
    for (let i = 0; i < aa.length; i++) if ((aa[i]! & mm[i]!) !== (bb[i]! & mm[i]!)) return false;
    return true;
  }
  const ao = a as { [k: string]: KeyField };
  return Object.keys(ao).every((k) => masked_equal(ao[k]!, (b as { [k: string]: KeyField })[k]!, (m as { [k: string]: KeyField })[k]!));
}

const key_json = (k: TcFlowerKey | TcAction): string => JSON.stringify(
  'type' in k && k.type === 'TC_ACT_PEDIT' ? rewrite_to_pedit_keys(k.rewrite) : k, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : typeof v === 'bigint' ? `0x${v.toString(16)}` : v));

/**
 * cmp_tc_flower_match_action: mask, masked key, action count, then each
 * action; the first difference is logged at DBG with its stage.
 */
function cmp_tc_flower_match_action(p: OvsProcess, a: TcFlower, b: TcFlower): boolean {
  if (key_json(a.mask) !== key_json(b.mask)) {
    p.vlog.dbg('tc', 'tc flower compare failed mask compare:');
    return false;
  }
  if (!masked_equal(a.key as unknown as KeyField, b.key as unknown as KeyField, a.mask as unknown as KeyField)) {
    p.vlog.dbg('tc', 'tc flower compare failed masked key compare:');
    return false;
  }
  if (a.actions.length !== b.actions.length) {
    p.vlog.dbg('tc', 'tc flower compare failed action length check');
    return false;
  }
  for (let i = 0; i < a.actions.length; i++) {
    if (key_json(a.actions[i]!) !== key_json(b.actions[i]!)) {
      p.vlog.dbg('tc', 'tc flower compare failed action compare');
      return false;
    }
  }
  return true;
}

/**
 * nl_msg_put_flower_acts: TCA_FLOWER_ACT with one nest per action, indexed
 * from 1. Control: PIPE, or SHOT for the last; an output that is last is a
 * redirect (STOLEN), else a mirror. No actions: one gact shot.
 */
/** nl_msg_put_act_tunnel_key_release: tunnel_key unset (pipe). */
function nl_msg_put_act_tunnel_key_release(b: NlMsgBuilder): void {
  b.string(TCA_ACT_KIND, 'tunnel_key');
  const o = b.nestStart(TCA_ACT_OPTIONS | NLA_F_NESTED);
  b.attr(TCA_TUNNEL_KEY_PARMS, new StructWriter(24).s32(8, TC_ACT_PIPE).s32(20, TCA_TUNNEL_KEY_ACT_RELEASE).bytes);
  b.nestEnd(o);
}

/**
 * nl_msg_put_act_tunnel_key_set: key id (low 32 bits of tun_id), IPv4
 * endpoints, tos/ttl/port when set, no_csum always, no_frag for DF.
 */
function nl_msg_put_act_tunnel_key_set(b: NlMsgBuilder, e: TcEncap, action_pc: number): void {
  b.string(TCA_ACT_KIND, 'tunnel_key');
  const o = b.nestStart(TCA_ACT_OPTIONS | NLA_F_NESTED);
  b.attr(TCA_TUNNEL_KEY_PARMS, new StructWriter(24).s32(8, action_pc).s32(20, TCA_TUNNEL_KEY_ACT_SET).bytes);
  if (e.id_present) b.be32(TCA_TUNNEL_KEY_ENC_KEY_ID, Number(e.id & 0xffffffffn));
  if (e.ipv4.ipv4_dst) {
    b.be32(TCA_TUNNEL_KEY_ENC_IPV4_SRC, e.ipv4.ipv4_src);
    b.be32(TCA_TUNNEL_KEY_ENC_IPV4_DST, e.ipv4.ipv4_dst);
  }
  if (e.tos) b.u8(TCA_TUNNEL_KEY_ENC_TOS, e.tos);
  if (e.ttl) b.u8(TCA_TUNNEL_KEY_ENC_TTL, e.ttl);
  if (e.tp_dst) b.be16(TCA_TUNNEL_KEY_ENC_DST_PORT, e.tp_dst);
  b.u8(TCA_TUNNEL_KEY_NO_CSUM, e.no_csum ? 1 : 0);
  if (e.dont_fragment) b.flag(TCA_TUNNEL_KEY_NO_FRAG);
  b.nestEnd(o);
}

/**
 * nl_msg_put_flower_tunnel: the enc_* keys (IPv4 endpoints mask first,
 * then tos/ttl/ports/flags with their masks, then the key id).
 */
function nl_msg_put_flower_tunnel(b: NlMsgBuilder, f: TcFlower): void {
  const k = f.key.tunnel;
  const m = f.mask.tunnel;
  if (m.ipv4.ipv4_dst || m.ipv4.ipv4_src) {
    b.be32(TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, m.ipv4.ipv4_dst);
    b.be32(TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, m.ipv4.ipv4_src);
    b.be32(TCA_FLOWER_KEY_ENC_IPV4_DST, k.ipv4.ipv4_dst);
    b.be32(TCA_FLOWER_KEY_ENC_IPV4_SRC, k.ipv4.ipv4_src);
  }
  if (m.tos) { b.u8(TCA_FLOWER_KEY_ENC_IP_TOS, k.tos); b.u8(TCA_FLOWER_KEY_ENC_IP_TOS_MASK, m.tos); }
  if (m.ttl) { b.u8(TCA_FLOWER_KEY_ENC_IP_TTL, k.ttl); b.u8(TCA_FLOWER_KEY_ENC_IP_TTL_MASK, m.ttl); }
  if (m.tp_src) { b.be16(TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, k.tp_src); b.be16(TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK, m.tp_src); }
  if (m.tp_dst) { b.be16(TCA_FLOWER_KEY_ENC_UDP_DST_PORT, k.tp_dst); b.be16(TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, m.tp_dst); }
  if (m.tc_enc_flags) { b.be32(TCA_FLOWER_KEY_ENC_FLAGS, k.tc_enc_flags); b.be32(TCA_FLOWER_KEY_ENC_FLAGS_MASK, m.tc_enc_flags); }
  if (m.id) b.be32(TCA_FLOWER_KEY_ENC_KEY_ID, Number(k.id & 0xffffffffn));
}

function nl_msg_put_flower_acts(p: OvsProcess, b: NlMsgBuilder, f: TcFlower): number {
  const offset = b.nestStart(TCA_FLOWER_ACT);
  let act_index = 1;
  let error = 0;
  const csum = { flags: 0 };
  // lib/tc.c nl_msg_put_flower_acts (v3.6.3): a tunnel match drops the tunnel
  // metadata only right before the first output or encap, so actions before
  // it (ct, goto chain) still see it.
  let released = false;
  const put_release = (): void => {
    if (!tunnel_key_release_branch(!released && f.tunnel)) return;
    // lib/tc.c nl_msg_put_flower_acts_release (v3.6.3): with the act flags.
    const ro = b.nestStart(act_index++);
    nl_msg_put_act_tunnel_key_release(b);
    put_act_flags(b);
    b.nestEnd(ro);
    released = true;
  };
  for (const [i, action] of f.actions.entries()) {
    const last = i === f.actions.length - 1;
    const action_pc = last ? TC_ACT_SHOT : TC_ACT_PIPE;
    // lib/tc.c nl_msg_put_flower_acts (v3.6.3): a goto after the release is
    // refused (the next chain would match metadata already unset). The error
    // is a negative errno, returned as is up to netdev_tc_flow_put.
    if (action.type === 'TC_ACT_GOTO' && goto_after_release_branch(released)) return -EOPNOTSUPP;
    if (action.type === 'TC_ACT_OUTPUT' || action.type === 'TC_ACT_ENCAP') put_release();
    const ao = b.nestStart(act_index++);
    switch (action.type) {
      case 'TC_ACT_MPLS_POP':
      case 'TC_ACT_MPLS_PUSH':
      case 'TC_ACT_MPLS_SET':
        // nl_msg_put_act_pop_mpls / _push_mpls / _set_mpls: no cookie, no act flags.
        nl_msg_put_act_mpls(b, action.type, action.mpls, action_pc);
        break;
      case 'TC_ACT_VLAN_POP': {
        b.string(TCA_ACT_KIND, 'vlan');
        const o = b.nestStart(TCA_ACT_OPTIONS);
        b.attr(TCA_VLAN_PARMS, new StructWriter(24).s32(8, action_pc).s32(20, TCA_VLAN_ACT_POP).bytes);
        b.nestEnd(o);
        put_act_flags(b);
        break;
      }
      case 'TC_ACT_VLAN_PUSH': {
        b.string(TCA_ACT_KIND, 'vlan');
        const o = b.nestStart(TCA_ACT_OPTIONS);
        b.attr(TCA_VLAN_PARMS, new StructWriter(24).s32(8, action_pc).s32(20, TCA_VLAN_ACT_PUSH).bytes);
        b.be16(TCA_VLAN_PUSH_VLAN_PROTOCOL, action.vlan.vlan_push_tpid);
        b.u16(TCA_VLAN_PUSH_VLAN_ID, action.vlan.vlan_push_id);
        b.u8(TCA_VLAN_PUSH_VLAN_PRIORITY, action.vlan.vlan_push_prio);
        b.nestEnd(o);
        put_act_flags(b);
        break;
      }
      case 'TC_ACT_OUTPUT': {
        const { ifindex_out: ifindex, ingress } = action.out;
        b.string(TCA_ACT_KIND, 'mirred');
        const o = b.nestStart(TCA_ACT_OPTIONS);
        if (last) b.attr(TCA_MIRRED_PARMS, mirred_parms(TC_ACT_STOLEN, ingress ? TCA_INGRESS_REDIR : TCA_EGRESS_REDIR, ifindex));
        else b.attr(TCA_MIRRED_PARMS, mirred_parms(action_pc, ingress ? TCA_INGRESS_MIRROR : TCA_EGRESS_MIRROR, ifindex));
        b.nestEnd(o);
        put_act_cookie(b, f);
        put_act_flags(b);
        break;
      }
      case 'TC_ACT_GOTO': {
        b.string(TCA_ACT_KIND, 'gact');
        const o = b.nestStart(TCA_ACT_OPTIONS);
        b.attr(TCA_GACT_PARMS, gact_parms(action.chain));
        b.nestEnd(o);
        put_act_cookie(b, f);
        break;
      }
      case 'TC_ACT_PEDIT': {
        const err = nl_msg_put_flower_rewrite_pedits(p, b, f, action.rewrite, action_pc, csum);
        if (err && !error) error = err;
        put_act_flags(b);
        break;
      }
      case 'TC_ACT_ENCAP': {
        nl_msg_put_act_tunnel_key_set(b, action.encap, action_pc);
        put_act_flags(b);
        break;
      }
      case 'TC_ACT_CT': {
        // lib/tc.c nl_msg_put_flower_acts (v3.6.3): ct carries the cookie but no act flags.
        nl_msg_put_act_ct(b, action.ct, action_pc);
        put_act_cookie(b, f);
        break;
      }
    }
    b.nestEnd(ao);
    // A run of pedits is followed by one csum action when a checksum needs fixing.
    const next = f.actions[i + 1];
    if (action.type === 'TC_ACT_PEDIT' && next?.type !== 'TC_ACT_PEDIT' && csum.flags) {
      const co = b.nestStart(act_index++);
      nl_msg_put_act_csum(b, csum.flags, action_pc);
      put_act_flags(b);
      b.nestEnd(co);
      csum.flags = 0;
    }
  }
  if (error) return error;
  if (f.actions.length === 0) {
    const ao = b.nestStart(act_index++);
    b.string(TCA_ACT_KIND, 'gact');
    const o = b.nestStart(TCA_ACT_OPTIONS);
    b.attr(TCA_GACT_PARMS, gact_parms(0));
    b.nestEnd(o);
    put_act_cookie(b, f);
    put_act_flags(b);
    b.nestEnd(ao);
  }
  b.nestEnd(offset);
  return 0;
}

type Width = 'u8' | 'be16' | 'u16' | 'be32' | 'u32' | 'bytes';

/** nl_msg_put_masked_value: mask then value, nothing when the mask is zero. */
function put_masked(b: NlMsgBuilder, type: number, mask_type: number, w: Width, key: number | Uint8Array, mask: number | Uint8Array): void {
  const zero = mask instanceof Uint8Array ? mask.every((x) => x === 0) : mask === 0;
  const put = (t: number, v: number | Uint8Array): void => {
    if (v instanceof Uint8Array) b.attr(t, v);
    else if (w === 'u8') b.u8(t, v);
    else if (w === 'be16') b.be16(t, v);
    else if (w === 'u16') b.u16(t, v);
    else if (w === 'be32') b.be32(t, v);
    else b.u32(t, v);
  };
  if (mask_type !== TCA_FLOWER_UNSPEC) {
    if (zero) return;
    put(mask_type, mask);
  }
  put(type, key);
}

/** nl_msg_put_flower_options: actions first, then keys in lib/tc.c order. */
function nl_msg_put_flower_options(p: OvsProcess, b: NlMsgBuilder, f: TcFlower): number {
  const { key: k, mask: m } = f;
  const is_vlan = k.eth_type === 0x8100 || k.eth_type === 0x88a8;
  const is_qinq = is_vlan && (k.encap_eth_type[0] === 0x8100 || k.encap_eth_type[0] === 0x88a8);
  let host_eth_type = k.eth_type;
  // Actions go first: some of them (pedit csum) tighten the match.
  const err = nl_msg_put_flower_acts(p, b, f);
  if (err) return err;
  if (is_vlan) host_eth_type = is_qinq ? k.encap_eth_type[1] : k.encap_eth_type[0];

  put_masked(b, TCA_FLOWER_KEY_ETH_DST, TCA_FLOWER_KEY_ETH_DST_MASK, 'bytes', k.dst_mac, m.dst_mac);
  put_masked(b, TCA_FLOWER_KEY_ETH_SRC, TCA_FLOWER_KEY_ETH_SRC_MASK, 'bytes', k.src_mac, m.src_mac);
  if (host_eth_type === 0x0806) {
    put_masked(b, TCA_FLOWER_KEY_ARP_SIP, TCA_FLOWER_KEY_ARP_SIP_MASK, 'be32', k.arp.spa, m.arp.spa);
    put_masked(b, TCA_FLOWER_KEY_ARP_TIP, TCA_FLOWER_KEY_ARP_TIP_MASK, 'be32', k.arp.tpa, m.arp.tpa);
    put_masked(b, TCA_FLOWER_KEY_ARP_SHA, TCA_FLOWER_KEY_ARP_SHA_MASK, 'bytes', k.arp.sha, m.arp.sha);
    put_masked(b, TCA_FLOWER_KEY_ARP_THA, TCA_FLOWER_KEY_ARP_THA_MASK, 'bytes', k.arp.tha, m.arp.tha);
    put_masked(b, TCA_FLOWER_KEY_ARP_OP, TCA_FLOWER_KEY_ARP_OP_MASK, 'u8', k.arp.opcode, m.arp.opcode);
  }
  if (host_eth_type === 0x0800 || host_eth_type === 0x86dd) {
    put_masked(b, TCA_FLOWER_KEY_IP_TTL, TCA_FLOWER_KEY_IP_TTL_MASK, 'u8', k.ip_ttl, m.ip_ttl);
    put_masked(b, TCA_FLOWER_KEY_IP_TOS, TCA_FLOWER_KEY_IP_TOS_MASK, 'u8', k.ip_tos, m.ip_tos);
    if (m.ip_proto && k.ip_proto) b.u8(TCA_FLOWER_KEY_IP_PROTO, k.ip_proto);
    if (m.flags) {
      // lib/tc.c: KEY_FLAGS then KEY_FLAGS_MASK (value first here), both be32.
      b.be32(TCA_FLOWER_KEY_FLAGS, k.flags);
      b.be32(TCA_FLOWER_KEY_FLAGS_MASK, m.flags);
    }
    if (k.ip_proto === 17) {
      put_masked(b, TCA_FLOWER_KEY_UDP_SRC, TCA_FLOWER_KEY_UDP_SRC_MASK, 'be16', k.udp_src, m.udp_src);
      put_masked(b, TCA_FLOWER_KEY_UDP_DST, TCA_FLOWER_KEY_UDP_DST_MASK, 'be16', k.udp_dst, m.udp_dst);
    } else if (k.ip_proto === 6) {
      put_masked(b, TCA_FLOWER_KEY_TCP_SRC, TCA_FLOWER_KEY_TCP_SRC_MASK, 'be16', k.tcp_src, m.tcp_src);
      put_masked(b, TCA_FLOWER_KEY_TCP_DST, TCA_FLOWER_KEY_TCP_DST_MASK, 'be16', k.tcp_dst, m.tcp_dst);
      put_masked(b, TCA_FLOWER_KEY_TCP_FLAGS, TCA_FLOWER_KEY_TCP_FLAGS_MASK, 'be16', k.tcp_flags, m.tcp_flags);
    } else if (k.ip_proto === 132) {
      put_masked(b, TCA_FLOWER_KEY_SCTP_SRC, TCA_FLOWER_KEY_SCTP_SRC_MASK, 'be16', k.sctp_src, m.sctp_src);
      put_masked(b, TCA_FLOWER_KEY_SCTP_DST, TCA_FLOWER_KEY_SCTP_DST_MASK, 'be16', k.sctp_dst, m.sctp_dst);
    } else if (k.ip_proto === 1) {
      put_masked(b, TCA_FLOWER_KEY_ICMPV4_CODE, TCA_FLOWER_KEY_ICMPV4_CODE_MASK, 'u8', k.icmp_code, m.icmp_code);
      put_masked(b, TCA_FLOWER_KEY_ICMPV4_TYPE, TCA_FLOWER_KEY_ICMPV4_TYPE_MASK, 'u8', k.icmp_type, m.icmp_type);
    } else if (k.ip_proto === 58) {
      put_masked(b, TCA_FLOWER_KEY_ICMPV6_CODE, TCA_FLOWER_KEY_ICMPV6_CODE_MASK, 'u8', k.icmp_code, m.icmp_code);
      put_masked(b, TCA_FLOWER_KEY_ICMPV6_TYPE, TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, 'u8', k.icmp_type, m.icmp_type);
    }
  }
  put_masked(b, TCA_FLOWER_KEY_CT_STATE, TCA_FLOWER_KEY_CT_STATE_MASK, 'u16', k.ct_state, m.ct_state);
  put_masked(b, TCA_FLOWER_KEY_CT_ZONE, TCA_FLOWER_KEY_CT_ZONE_MASK, 'u16', k.ct_zone, m.ct_zone);
  put_masked(b, TCA_FLOWER_KEY_CT_MARK, TCA_FLOWER_KEY_CT_MARK_MASK, 'u32', k.ct_mark, m.ct_mark);
  put_masked(b, TCA_FLOWER_KEY_CT_LABELS, TCA_FLOWER_KEY_CT_LABELS_MASK, 'bytes', k.ct_label, m.ct_label);
  if (host_eth_type === 0x0800) {
    put_masked(b, TCA_FLOWER_KEY_IPV4_SRC, TCA_FLOWER_KEY_IPV4_SRC_MASK, 'be32', k.ipv4.ipv4_src, m.ipv4.ipv4_src);
    put_masked(b, TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV4_DST_MASK, 'be32', k.ipv4.ipv4_dst, m.ipv4.ipv4_dst);
  } else if (host_eth_type === 0x86dd) {
    put_masked(b, TCA_FLOWER_KEY_IPV6_SRC, TCA_FLOWER_KEY_IPV6_SRC_MASK, 'bytes', k.ipv6.ipv6_src, m.ipv6.ipv6_src);
    put_masked(b, TCA_FLOWER_KEY_IPV6_DST, TCA_FLOWER_KEY_IPV6_DST_MASK, 'bytes', k.ipv6.ipv6_dst, m.ipv6.ipv6_dst);
  }
  b.be16(TCA_FLOWER_KEY_ETH_TYPE, k.eth_type);
  // nl_msg_put_flower_options: MPLS keys are values only (flower has no masks for them).
  if (k.eth_type === 0x8847 || k.eth_type === 0x8848) {
    if (mpls_lse_to_ttl(m.mpls_lse)) b.u8(TCA_FLOWER_KEY_MPLS_TTL, mpls_lse_to_ttl(k.mpls_lse));
    if (mpls_lse_to_tc(m.mpls_lse)) b.u8(TCA_FLOWER_KEY_MPLS_TC, mpls_lse_to_tc(k.mpls_lse));
    if (mpls_lse_to_bos(m.mpls_lse)) b.u8(TCA_FLOWER_KEY_MPLS_BOS, mpls_lse_to_bos(k.mpls_lse));
    if (mpls_lse_to_label(m.mpls_lse)) b.u32(TCA_FLOWER_KEY_MPLS_LABEL, mpls_lse_to_label(k.mpls_lse));
  }
  if (is_vlan) {
    if (m.vlan_id[0]) b.u16(TCA_FLOWER_KEY_VLAN_ID, k.vlan_id[0]);
    if (m.vlan_prio[0]) b.u8(TCA_FLOWER_KEY_VLAN_PRIO, k.vlan_prio[0]);
    if (k.encap_eth_type[0]) b.be16(TCA_FLOWER_KEY_VLAN_ETH_TYPE, k.encap_eth_type[0]);
    if (is_qinq) {
      if (m.vlan_id[1]) b.u16(TCA_FLOWER_KEY_CVLAN_ID, k.vlan_id[1]);
      if (m.vlan_prio[1]) b.u8(TCA_FLOWER_KEY_CVLAN_PRIO, k.vlan_prio[1]);
      if (k.encap_eth_type[1]) b.be16(TCA_FLOWER_KEY_CVLAN_ETH_TYPE, k.encap_eth_type[1]);
    }
  }
  // A per-filter policy (the probes') overrides the process-wide one.
  const policy = f.tc_policy === 'TC_POLICY_NONE' ? tc_get_policy(p) : f.tc_policy;
  b.u32(TCA_FLOWER_FLAGS, tc_get_tc_cls_policy(policy));
  if (f.tunnel) nl_msg_put_flower_tunnel(b, f);
  return 0;
}

/** The RTM_NEWTFILTER request tc_replace_flower sends (seq/pid still 0). */
export function tc_replace_flower_request(p: OvsProcess, id: TcfId, f: TcFlower): { request: Uint8Array } | { error: number } {
  const b = request_from_tcf_id(id, f.key.eth_type, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_ECHO);
  b.string(TCA_KIND, 'flower');
  const o = b.nestStart(TCA_OPTIONS);
  const err = nl_msg_put_flower_options(p, b, f);
  if (err) return { error: err };
  b.nestEnd(o);
  return { request: b.finish() };
}

/**
 * tc_replace_flower: create-or-replace the filter (CREATE|ECHO, no EXCL),
 * then read the prio and handle the kernel chose from the echo.
 */
export const tc_replace_flower = hop('lib/tc.c', function tc_replace_flower(p: OvsProcess, id: TcfId, f: TcFlower): number {
  const r = tc_replace_flower_request(p, id, f);
  if ('error' in r) return r.error;
  const { error, reply } = tc_transact(p, r.request, true);
  if (error) return error;
  if (!reply) return 0; // the kernel echoed nothing: no prio/handle to learn
  const tc = tcmsg_decode(reply.payload);
  if (!tc.ok) {
    p.coverage_inc('tc_netlink_malformed_reply');
    return EPROTO;
  }
  const is_probe = id.prio === TC_RESERVED_PRIORITY_FEATURE_PROBE;
  id.prio = tc.value.tcm_info >>> 16; // tc_get_major
  id.handle = tc.value.tcm_handle;
  if (id.prio !== TC_RESERVED_PRIORITY_POLICE) {
    // lib/tc.c tc_replace_flower (v3.6.3): the echo must say what was asked;
    // a mismatch is only a WARN (the flow stays installed), except for probes.
    const out = parse_netlink_to_tc_flower(p, reply, { ...id }, false);
    if (echo_mismatch(out.error !== 0 || !cmp_tc_flower_match_action(p, f, out.flower!))) {
      if (is_probe) return EINVAL;
      p.vlog.warn('tc', 'Kernel flower acknowledgment does not match request!  Set dpif_netlink to dbg to see which rule caused this error.');
    }
  }
  return 0;
}, {
  input: (_p, id, f) => `ifindex=${id.ifindex} chain=${id.chain} prio=${id.prio} eth_type=0x${f.key.eth_type.toString(16).padStart(4, '0')} actions=${f.actions.length}`,
  errno: (e) => -e,
});


// ------------------------------------------------------------ dump / get

// include/uapi/linux/gen_stats.h enum TCA_STATS_*
const TCA_STATS_BASIC = 1;
const TCA_STATS_BASIC_HW = 7;
// include/uapi/linux/tc_act/tc_vlan.h TCA_VLAN_PARMS' v_action offset
const TC_VLAN_PARMS_V_ACTION = 20;

/** tc_get_major / tc_get_minor (lib/tc.h) */
function tc_get_major(info: number): number {
  return info >>> 16;
}

/** tc_get_minor read as the be16 protocol it carries (tcm_info holds htons(proto)). */
function tc_get_minor_proto(info: number): number {
  return htons_host(info & 0xffff);
}

type Masked = 'u8' | 'be16' | 'u16' | 'be32' | 'u32' | 'bytes';

/**
 * One key/mask pair of a flower reply. lib/tc.c reads the mask attribute
 * when present; a key without one (ip_proto, vlan) is an exact match.
 */
function get_masked(tb: Map<number, NlAttr>, type: number, mask_type: number, w: Masked): { key: number | Uint8Array; mask: number | Uint8Array } | null {
  const k = tb.get(type);
  if (!k) return null;
  const m = mask_type === TCA_FLOWER_UNSPEC ? undefined : tb.get(mask_type);
  const rd = (a: NlAttr): number | Uint8Array => {
    if (w === 'bytes') return a.payload.slice();
    if (w === 'u8') return nla_get_u8(a);
    if (w === 'be16') return nla_get_be16(a);
    if (w === 'u16') return nla_get_u16(a);
    if (w === 'be32') return nla_get_be32(a);
    return nla_get_u32(a);
  };
  const key = rd(k);
  const full = w === 'bytes' ? new Uint8Array((key as Uint8Array).byteLength).fill(0xff)
    : w === 'u8' ? 0xff : w === 'be16' || w === 'u16' ? 0xffff : 0xffffffff;
  return { key, mask: m ? rd(m) : full };
}

/** nl_parse_flower_eth / _arp / _vlan / _ip: the keys OVS translates back. */
function nl_parse_flower_keys(tb: Map<number, NlAttr>, f: TcFlower): void {
  const k = f.key;
  const m = f.mask;
  const num = (type: number, mask_type: number, w: Masked, set: (key: number, mask: number) => void): void => {
    const r = get_masked(tb, type, mask_type, w);
    if (r) set(r.key as number, r.mask as number);
  };
  const bytes = (type: number, mask_type: number, set: (key: Uint8Array, mask: Uint8Array) => void): void => {
    const r = get_masked(tb, type, mask_type, 'bytes');
    if (r) set(r.key as Uint8Array, r.mask as Uint8Array);
  };
  bytes(TCA_FLOWER_KEY_ETH_DST, TCA_FLOWER_KEY_ETH_DST_MASK, (a, b) => { k.dst_mac = a; m.dst_mac = b; });
  bytes(TCA_FLOWER_KEY_ETH_SRC, TCA_FLOWER_KEY_ETH_SRC_MASK, (a, b) => { k.src_mac = a; m.src_mac = b; });
  num(TCA_FLOWER_KEY_ARP_SIP, TCA_FLOWER_KEY_ARP_SIP_MASK, 'be32', (a, b) => { k.arp.spa = a; m.arp.spa = b; });
  num(TCA_FLOWER_KEY_ARP_TIP, TCA_FLOWER_KEY_ARP_TIP_MASK, 'be32', (a, b) => { k.arp.tpa = a; m.arp.tpa = b; });
  bytes(TCA_FLOWER_KEY_ARP_SHA, TCA_FLOWER_KEY_ARP_SHA_MASK, (a, b) => { k.arp.sha = a; m.arp.sha = b; });
  bytes(TCA_FLOWER_KEY_ARP_THA, TCA_FLOWER_KEY_ARP_THA_MASK, (a, b) => { k.arp.tha = a; m.arp.tha = b; });
  num(TCA_FLOWER_KEY_ARP_OP, TCA_FLOWER_KEY_ARP_OP_MASK, 'u8', (a, b) => { k.arp.opcode = a; m.arp.opcode = b; });
  // nl_parse_flower_mpls: each key present is matched exactly.
  if (k.eth_type === 0x8847 || k.eth_type === 0x8848) {
    k.encap_eth_type[0] = k.eth_type;
    k.mpls_lse = 0;
    m.mpls_lse = 0;
    const u8 = (t: number): number | undefined => (tb.get(t) ? nla_get_u8(tb.get(t)!) : undefined);
    const ttl = u8(TCA_FLOWER_KEY_MPLS_TTL);
    if (ttl !== undefined) { k.mpls_lse = (k.mpls_lse & ~0xff) | ttl; m.mpls_lse |= 0xff; }
    const bos = u8(TCA_FLOWER_KEY_MPLS_BOS);
    if (bos !== undefined) { k.mpls_lse = (k.mpls_lse & ~0x100) | ((bos & 1) << 8); m.mpls_lse |= 0x100; }
    const tc = u8(TCA_FLOWER_KEY_MPLS_TC);
    if (tc !== undefined) { k.mpls_lse = (k.mpls_lse & ~0xe00) | ((tc & 7) << 9); m.mpls_lse |= 0xe00; }
    const label = tb.get(TCA_FLOWER_KEY_MPLS_LABEL);
    if (label) { k.mpls_lse = (k.mpls_lse & 0xfff) | ((nla_get_u32(label) & 0xfffff) << 12); m.mpls_lse |= 0xfffff000; }
    k.mpls_lse >>>= 0;
    m.mpls_lse >>>= 0;
  }
  // nl_parse_flower_vlan: only when the outer protocol is a VLAN TPID.
  if (k.eth_type === 0x8100 || k.eth_type === 0x88a8) {
    num(TCA_FLOWER_KEY_VLAN_ID, TCA_FLOWER_UNSPEC, 'u16', (a) => { k.vlan_id[0] = a; m.vlan_id[0] = 0xffff; });
    num(TCA_FLOWER_KEY_VLAN_PRIO, TCA_FLOWER_UNSPEC, 'u8', (a) => { k.vlan_prio[0] = a; m.vlan_prio[0] = 0xff; });
    num(TCA_FLOWER_KEY_VLAN_ETH_TYPE, TCA_FLOWER_UNSPEC, 'be16', (a) => { k.encap_eth_type[0] = a; m.encap_eth_type[0] = 0xffff; });
  }
  // nl_parse_flower_ip
  num(TCA_FLOWER_KEY_IP_PROTO, TCA_FLOWER_UNSPEC, 'u8', (a) => { k.ip_proto = a; m.ip_proto = 0xff; });
  const flags = tb.get(TCA_FLOWER_KEY_FLAGS);
  const flags_mask = tb.get(TCA_FLOWER_KEY_FLAGS_MASK);
  if (flags && flags_mask) {
    k.flags = nla_get_be32(flags);
    m.flags = nla_get_be32(flags_mask);
  }
  num(TCA_FLOWER_KEY_IPV4_SRC, TCA_FLOWER_KEY_IPV4_SRC_MASK, 'be32', (a, b) => { k.ipv4.ipv4_src = a; m.ipv4.ipv4_src = b; });
  num(TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV4_DST_MASK, 'be32', (a, b) => { k.ipv4.ipv4_dst = a; m.ipv4.ipv4_dst = b; });
  bytes(TCA_FLOWER_KEY_IPV6_SRC, TCA_FLOWER_KEY_IPV6_SRC_MASK, (a, b) => { k.ipv6.ipv6_src = a; m.ipv6.ipv6_src = b; });
  bytes(TCA_FLOWER_KEY_IPV6_DST, TCA_FLOWER_KEY_IPV6_DST_MASK, (a, b) => { k.ipv6.ipv6_dst = a; m.ipv6.ipv6_dst = b; });
  if (k.ip_proto === 6) {
    num(TCA_FLOWER_KEY_TCP_SRC, TCA_FLOWER_KEY_TCP_SRC_MASK, 'be16', (a, b) => { k.tcp_src = a; m.tcp_src = b; });
    num(TCA_FLOWER_KEY_TCP_DST, TCA_FLOWER_KEY_TCP_DST_MASK, 'be16', (a, b) => { k.tcp_dst = a; m.tcp_dst = b; });
    num(TCA_FLOWER_KEY_TCP_FLAGS, TCA_FLOWER_KEY_TCP_FLAGS_MASK, 'be16', (a, b) => { k.tcp_flags = a; m.tcp_flags = b; });
  } else if (k.ip_proto === 17) {
    num(TCA_FLOWER_KEY_UDP_SRC, TCA_FLOWER_KEY_UDP_SRC_MASK, 'be16', (a, b) => { k.udp_src = a; m.udp_src = b; });
    num(TCA_FLOWER_KEY_UDP_DST, TCA_FLOWER_KEY_UDP_DST_MASK, 'be16', (a, b) => { k.udp_dst = a; m.udp_dst = b; });
  } else if (k.ip_proto === 132) {
    num(TCA_FLOWER_KEY_SCTP_SRC, TCA_FLOWER_KEY_SCTP_SRC_MASK, 'be16', (a, b) => { k.sctp_src = a; m.sctp_src = b; });
    num(TCA_FLOWER_KEY_SCTP_DST, TCA_FLOWER_KEY_SCTP_DST_MASK, 'be16', (a, b) => { k.sctp_dst = a; m.sctp_dst = b; });
  } else if (k.ip_proto === 1) {
    num(TCA_FLOWER_KEY_ICMPV4_TYPE, TCA_FLOWER_KEY_ICMPV4_TYPE_MASK, 'u8', (a, b) => { k.icmp_type = a; m.icmp_type = b; });
    num(TCA_FLOWER_KEY_ICMPV4_CODE, TCA_FLOWER_KEY_ICMPV4_CODE_MASK, 'u8', (a, b) => { k.icmp_code = a; m.icmp_code = b; });
  } else if (k.ip_proto === 58) {
    num(TCA_FLOWER_KEY_ICMPV6_TYPE, TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, 'u8', (a, b) => { k.icmp_type = a; m.icmp_type = b; });
    num(TCA_FLOWER_KEY_ICMPV6_CODE, TCA_FLOWER_KEY_ICMPV6_CODE_MASK, 'u8', (a, b) => { k.icmp_code = a; m.icmp_code = b; });
  }
  num(TCA_FLOWER_KEY_IP_TTL, TCA_FLOWER_KEY_IP_TTL_MASK, 'u8', (a, b) => { k.ip_ttl = a; m.ip_ttl = b; });
  num(TCA_FLOWER_KEY_IP_TOS, TCA_FLOWER_KEY_IP_TOS_MASK, 'u8', (a, b) => { k.ip_tos = a; m.ip_tos = b; });
  num(TCA_FLOWER_KEY_CT_STATE, TCA_FLOWER_KEY_CT_STATE_MASK, 'u16', (a, b) => { k.ct_state = a; m.ct_state = b; });
  num(TCA_FLOWER_KEY_CT_ZONE, TCA_FLOWER_KEY_CT_ZONE_MASK, 'u16', (a, b) => { k.ct_zone = a; m.ct_zone = b; });
  num(TCA_FLOWER_KEY_CT_MARK, TCA_FLOWER_KEY_CT_MARK_MASK, 'u32', (a, b) => { k.ct_mark = a; m.ct_mark = b; });
  bytes(TCA_FLOWER_KEY_CT_LABELS, TCA_FLOWER_KEY_CT_LABELS_MASK, (a, b) => { k.ct_label = a; m.ct_label = b; });
  nl_parse_flower_tunnel(tb, f);
}

/** nl_parse_flower_tunnel: the enc_* keys; any outer endpoint makes it a tunnel match. */
function nl_parse_flower_tunnel(tb: Map<number, NlAttr>, f: TcFlower): void {
  const k = f.key.tunnel;
  const m = f.mask.tunnel;
  const num = (type: number, mask_type: number, w: Masked, set: (key: number, mask: number) => void): void => {
    const r = get_masked(tb, type, mask_type, w);
    if (r) set(r.key as number, r.mask as number);
  };
  const id = tb.get(TCA_FLOWER_KEY_ENC_KEY_ID);
  if (id) { k.id = BigInt(nla_get_be32(id)); m.id = 0xffffffffffffffffn; }
  num(TCA_FLOWER_KEY_ENC_IPV4_SRC, TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, 'be32', (a, b) => { k.ipv4.ipv4_src = a; m.ipv4.ipv4_src = b; });
  num(TCA_FLOWER_KEY_ENC_IPV4_DST, TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, 'be32', (a, b) => { k.ipv4.ipv4_dst = a; m.ipv4.ipv4_dst = b; });
  num(TCA_FLOWER_KEY_ENC_IP_TOS, TCA_FLOWER_KEY_ENC_IP_TOS_MASK, 'u8', (a, b) => { k.tos = a; m.tos = b; });
  num(TCA_FLOWER_KEY_ENC_IP_TTL, TCA_FLOWER_KEY_ENC_IP_TTL_MASK, 'u8', (a, b) => { k.ttl = a; m.ttl = b; });
  num(TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK, 'be16', (a, b) => { k.tp_src = a; m.tp_src = b; });
  num(TCA_FLOWER_KEY_ENC_UDP_DST_PORT, TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, 'be16', (a, b) => { k.tp_dst = a; m.tp_dst = b; });
  num(TCA_FLOWER_KEY_ENC_FLAGS, TCA_FLOWER_KEY_ENC_FLAGS_MASK, 'be32', (a, b) => { k.tc_enc_flags = a; m.tc_enc_flags = b; });
  if (m.ipv4.ipv4_src || m.ipv4.ipv4_dst) f.tunnel = true;
}

/**
 * nl_get_flower_offloaded_state: NOT_IN_HW, IN_HW, or (no flags at all,
 * as older kernels send) UNDEFINED.
 */
function nl_get_flower_offloaded_state(tb: Map<number, NlAttr>): TcOffloadedState {
  const a = tb.get(TCA_FLOWER_FLAGS);
  if (!a) return 'TC_OFFLOADED_STATE_UNDEFINED';
  const flags = nla_get_u32(a);
  if (flags & TCA_CLS_FLAGS_NOT_IN_HW) return 'TC_OFFLOADED_STATE_NOT_IN_HW';
  if (flags & TCA_CLS_FLAGS_IN_HW) return 'TC_OFFLOADED_STATE_IN_HW';
  return 'TC_OFFLOADED_STATE_UNDEFINED';
}

/**
 * nl_parse_tcf: tcf_t.lastuse is clock_t ticks (1/100 s) since the last
 * use; keep the most recent use over all actions.
 */
function nl_parse_tcf(p: OvsProcess, tm: Uint8Array, f: TcFlower): void {
  if (tm.byteLength < 32) return;
  const lastuse = Number(new StructReader(tm).u64(8)) * 10;
  const now = p.time_msec();
  if (f.lastused < now - lastuse) f.lastused = now - lastuse;
}

/**
 * nl_parse_action_stats: TCA_STATS_BASIC is required; the hardware part
 * (BASIC_HW) is taken out of the software total, as lib/tc.c does.
 */
function nl_parse_action_stats(a: NlAttr | undefined, f: TcFlower): number {
  const list = a ? nl_attrs(a.payload) : null;
  const basic = list?.find((x) => x.type === TCA_STATS_BASIC);
  if (!list || !basic || basic.payload.byteLength < 12) return EPROTO; // "Failed to parse action stats policy"
  const rd = (x: NlAttr): OvsFlowStats => {
    const r = new StructReader(x.payload);
    return { n_bytes: Number(r.u64(0)), n_packets: r.u32(8) };
  };
  const sw = rd(basic);
  const hwa = list.find((x) => x.type === TCA_STATS_BASIC_HW);
  if (hwa && hwa.payload.byteLength >= 12) {
    const hw = rd(hwa);
    sw.n_packets -= hw.n_packets;
    sw.n_bytes -= hw.n_bytes;
    if (hw.n_packets > f.stats_hw.n_packets) f.stats_hw = hw;
  }
  if (sw.n_packets > f.stats_sw.n_packets) f.stats_sw = sw;
  return 0;
}

/**
 * nl_parse_single_action: gact (goto chain; shot adds no action), mirred,
 * vlan; the cookie; then the stats. Other kinds are not modelled here and,
 * as an unknown kind upstream, are EINVAL.
 */
function nl_parse_single_action(p: OvsProcess, act: NlAttr, f: TcFlower, terse: boolean): number {
  const tb = new Map((nl_attrs(act.payload) ?? []).map((a) => [a.type, a] as const));
  const kind_a = tb.get(TCA_ACT_KIND);
  const opts = tb.get(TCA_ACT_OPTIONS);
  if (!kind_a || (!terse && !opts)) {
    p.vlog.err('tc', 'failed to parse single action options');
    return EPROTO;
  }
  const kind = nla_get_string(kind_a);
  const o = new Map((opts ? nl_attrs(opts.payload) ?? [] : []).map((a) => [a.type, a] as const));
  if (terse) {
    // A terse dump has no action options.
  } else if (kind === 'gact') {
    const parms = o.get(TCA_GACT_PARMS);
    if (!parms || parms.payload.byteLength < 12) return EPROTO;
    const action = new StructReader(parms.payload).s32(8);
    // TC_ACT_EXT_CMP(action, TC_ACT_GOTO_CHAIN)
    if (((action >>> 28) << 28) >>> 0 === TC_ACT_GOTO_CHAIN >>> 0) {
      f.actions.push({ type: 'TC_ACT_GOTO', chain: action & TC_ACT_EXT_VAL_MASK });
    } else if (action !== TC_ACT_SHOT) {
      p.vlog.err('tc', `unknown gact action: ${action}`);
      return EINVAL;
    }
    const tm = o.get(TCA_GACT_TM);
    if (tm) nl_parse_tcf(p, tm.payload, f);
  } else if (kind === 'mirred') {
    const parms = o.get(TCA_MIRRED_PARMS);
    if (!parms || parms.payload.byteLength < 28) return EPROTO;
    const r = new StructReader(parms.payload);
    const eaction = r.s32(20);
    const ifindex = r.u32(24);
    if (eaction !== TCA_EGRESS_REDIR && eaction !== TCA_EGRESS_MIRROR && eaction !== TCA_INGRESS_REDIR && eaction !== TCA_INGRESS_MIRROR) {
      p.vlog.err('tc', `unknown mirred action: ${r.s32(8)}, ${eaction}, ${ifindex}`);
      return EINVAL;
    }
    f.actions.push({ type: 'TC_ACT_OUTPUT', out: { ifindex_out: ifindex, ingress: eaction === TCA_INGRESS_REDIR || eaction === TCA_INGRESS_MIRROR } });
    const tm = o.get(TCA_MIRRED_TM);
    if (tm) nl_parse_tcf(p, tm.payload, f);
  } else if (kind === 'mpls') {
    // nl_parse_act_mpls: the fields the kernel dumped, per m_action.
    const parms = o.get(TCA_MPLS_PARMS);
    if (!parms || parms.payload.byteLength < 24) {
      p.vlog.err('tc', 'failed to parse mpls action options');
      return EPROTO;
    }
    const m_action = new StructReader(parms.payload).s32(20);
    const g8 = (t: number): number => (o.get(t) ? nla_get_u8(o.get(t)!) : 0);
    const mpls: TcMpls = {
      proto: m_action !== TCA_MPLS_ACT_MODIFY && o.get(TCA_MPLS_PROTO) ? nla_get_be16(o.get(TCA_MPLS_PROTO)!) : 0,
      label: m_action !== TCA_MPLS_ACT_POP && o.get(TCA_MPLS_LABEL) ? nla_get_u32(o.get(TCA_MPLS_LABEL)!) : 0,
      tc: m_action !== TCA_MPLS_ACT_POP ? g8(TCA_MPLS_TC) : 0,
      ttl: m_action !== TCA_MPLS_ACT_POP ? g8(TCA_MPLS_TTL) : 0,
      bos: m_action !== TCA_MPLS_ACT_POP ? g8(TCA_MPLS_BOS) : 0,
    };
    if (m_action === TCA_MPLS_ACT_POP) f.actions.push({ type: 'TC_ACT_MPLS_POP', mpls });
    else if (m_action === TCA_MPLS_ACT_PUSH) f.actions.push({ type: 'TC_ACT_MPLS_PUSH', mpls });
    else if (m_action === TCA_MPLS_ACT_MODIFY) f.actions.push({ type: 'TC_ACT_MPLS_SET', mpls });
    else {
      p.vlog.err('tc', `unknown mpls action: ${new StructReader(parms.payload).s32(8)}, ${m_action}`);
      return EINVAL;
    }
    const tm = o.get(TCA_MPLS_TM);
    if (tm) nl_parse_tcf(p, tm.payload, f);
  } else if (kind === 'vlan') {
    const parms = o.get(TCA_VLAN_PARMS);
    if (!parms || parms.payload.byteLength < 24) return EPROTO;
    const v_action = new StructReader(parms.payload).s32(TC_VLAN_PARMS_V_ACTION);
    if (v_action === TCA_VLAN_ACT_POP) f.actions.push({ type: 'TC_ACT_VLAN_POP' });
    else if (v_action === TCA_VLAN_ACT_PUSH) {
      const id = o.get(TCA_VLAN_PUSH_VLAN_ID);
      const proto = o.get(TCA_VLAN_PUSH_VLAN_PROTOCOL);
      const prio = o.get(TCA_VLAN_PUSH_VLAN_PRIORITY);
      f.actions.push({ type: 'TC_ACT_VLAN_PUSH', vlan: {
        vlan_push_tpid: proto ? nla_get_be16(proto) : 0x8100, vlan_push_id: id ? nla_get_u16(id) : 0, vlan_push_prio: prio ? nla_get_u8(prio) : 0,
      } });
    } else {
      p.vlog.err('tc', `unknown vlan action: ${v_action}`);
      return EINVAL;
    }
  } else if (kind === 'pedit') {
    // nl_parse_act_pedit: the SET keys back into a rewrite, one field per word.
    const parms = o.get(TCA_PEDIT_PARMS_EX);
    const keys_ex = nl_attrs(o.get(TCA_PEDIT_KEYS_EX)?.payload ?? new Uint8Array(0)) ?? [];
    if (!parms || parms.payload.byteLength < 24) return EPROTO;
    const r = new StructReader(parms.payload);
    const nkeys = r.u8(20);
    const fields: TcRewrite['fields'] = [];
    for (let i = 0; i < nkeys && 24 + i * 24 + 24 <= parms.payload.byteLength; i++) {
      const kx = new Map((nl_attrs(keys_ex[i]?.payload ?? new Uint8Array(0)) ?? []).map((a) => [a.type, a] as const));
      const htype = kx.get(TCA_PEDIT_KEY_EX_HTYPE);
      const mask = ~r.be32(24 + i * 24) >>> 0;
      fields.push({
        htype: htype ? nla_get_u16(htype) : 0, off: r.u32(24 + i * 24 + 8), shift: 0,
        val: new StructWriter(4).be32(0, r.be32(24 + i * 24 + 4)).bytes, mask: new StructWriter(4).be32(0, mask).bytes,
      });
    }
    f.actions.push({ type: 'TC_ACT_PEDIT', rewrite: { fields } });
  } else if (kind === 'tunnel_key') {
    // nl_parse_act_tunnel_key: a set becomes an encap; a release adds nothing.
    const parms = o.get(TCA_TUNNEL_KEY_PARMS);
    if (!parms || parms.payload.byteLength < 24) return EPROTO;
    const t_action = new StructReader(parms.payload).s32(20);
    if (t_action === TCA_TUNNEL_KEY_ACT_SET) {
      const g = (t: number): NlAttr | undefined => o.get(t);
      const id = g(TCA_TUNNEL_KEY_ENC_KEY_ID);
      const no_csum = g(TCA_TUNNEL_KEY_NO_CSUM);
      f.actions.push({ type: 'TC_ACT_ENCAP', encap: {
        id: id ? BigInt(nla_get_be32(id)) : 0n, id_present: !!id,
        ipv4: { ipv4_src: g(TCA_TUNNEL_KEY_ENC_IPV4_SRC) ? nla_get_be32(g(TCA_TUNNEL_KEY_ENC_IPV4_SRC)!) : 0,
          ipv4_dst: g(TCA_TUNNEL_KEY_ENC_IPV4_DST) ? nla_get_be32(g(TCA_TUNNEL_KEY_ENC_IPV4_DST)!) : 0 },
        tos: g(TCA_TUNNEL_KEY_ENC_TOS) ? nla_get_u8(g(TCA_TUNNEL_KEY_ENC_TOS)!) : 0,
        ttl: g(TCA_TUNNEL_KEY_ENC_TTL) ? nla_get_u8(g(TCA_TUNNEL_KEY_ENC_TTL)!) : 0,
        tp_dst: g(TCA_TUNNEL_KEY_ENC_DST_PORT) ? nla_get_be16(g(TCA_TUNNEL_KEY_ENC_DST_PORT)!) : 0,
        no_csum: no_csum ? nla_get_u8(no_csum) !== 0 : false,
        dont_fragment: !!g(TCA_TUNNEL_KEY_NO_FRAG),
      } });
    } else if (t_action !== TCA_TUNNEL_KEY_ACT_RELEASE) {
      p.vlog.err('tc', `unknown tunnel actions: ${t_action}, ${new StructReader(parms.payload).s32(8)}`);
      return EINVAL;
    }
    const tm = o.get(TCA_TUNNEL_KEY_TM);
    if (tm) nl_parse_tcf(p, tm.payload, f);
  } else if (kind === 'csum') {
    // nl_parse_act_csum: no tc_action of its own; it belongs to the pedits.
  } else if (kind === 'ct') {
    // nl_parse_act_ct: TCA_CT_PARMS is required (ct_policy).
    const parms = o.get(TCA_CT_PARMS);
    if (!parms || parms.payload.byteLength < 20) {
      p.vlog.err('tc', 'failed to parse ct action options');
      return EPROTO;
    }
    const action = o.get(TCA_CT_ACTION);
    const ct_action = action ? nla_get_u16(action) : 0;
    const ct = tc_ct_zero();
    ct.clear = !!(ct_action & TCA_CT_ACT_CLEAR);
    if (!ct.clear) {
      const g = (t: number): NlAttr | undefined => o.get(t);
      ct.commit = !!(ct_action & TCA_CT_ACT_COMMIT);
      ct.force = !!(ct_action & TCA_CT_ACT_FORCE);
      ct.zone = g(TCA_CT_ZONE) ? nla_get_u16(g(TCA_CT_ZONE)!) : 0;
      ct.mark = g(TCA_CT_MARK) ? nla_get_u32(g(TCA_CT_MARK)!) : 0;
      ct.mark_mask = g(TCA_CT_MARK_MASK) ? nla_get_u32(g(TCA_CT_MARK_MASK)!) : 0;
      if (g(TCA_CT_LABELS)) ct.label = g(TCA_CT_LABELS)!.payload.slice(0, 16);
      if (g(TCA_CT_LABELS_MASK)) ct.label_mask = g(TCA_CT_LABELS_MASK)!.payload.slice(0, 16);
      if (ct_action & TCA_CT_ACT_NAT) {
        ct.nat_type = ct_action & TCA_CT_ACT_NAT_SRC ? 'TC_NAT_SRC' : ct_action & TCA_CT_ACT_NAT_DST ? 'TC_NAT_DST' : 'TC_NAT_RESTORE';
        const r = ct.range;
        // A max equal to the min is no range: it reads back as unset.
        if (g(TCA_CT_NAT_IPV4_MIN)) {
          r.ip_family = AF_INET;
          r.ipv4.min = nla_get_be32(g(TCA_CT_NAT_IPV4_MIN)!);
          const max = g(TCA_CT_NAT_IPV4_MAX);
          if (max && nla_get_be32(max) !== r.ipv4.min) r.ipv4.max = nla_get_be32(max);
        } else if (g(TCA_CT_NAT_IPV6_MIN)) {
          r.ip_family = AF_INET6;
          r.ipv6.min = g(TCA_CT_NAT_IPV6_MIN)!.payload.slice(0, 16);
          const max = g(TCA_CT_NAT_IPV6_MAX);
          if (max && Buffer.compare(max.payload.subarray(0, 16), r.ipv6.min) !== 0) r.ipv6.max = max.payload.slice(0, 16);
        }
        if (g(TCA_CT_NAT_PORT_MIN)) {
          r.port.min = nla_get_be16(g(TCA_CT_NAT_PORT_MIN)!);
          const max = g(TCA_CT_NAT_PORT_MAX);
          if (max) {
            r.port.max = nla_get_be16(max);
            if (r.port.min === r.port.max) r.port.max = 0;
          }
        }
      }
    }
    f.actions.push({ type: 'TC_ACT_CT', ct });
    const tm = o.get(TCA_CT_TM);
    if (tm) nl_parse_tcf(p, tm.payload, f);
  } else {
    p.vlog.err('tc', `unknown tc action kind: ${kind}`);
    return EINVAL;
  }
  const cookie = tb.get(TCA_ACT_COOKIE);
  if (cookie) f.act_cookie = cookie.payload.slice();
  return nl_parse_action_stats(tb.get(TCA_ACT_STATS), f);
}

/** nl_parse_flower_actions: actions nested by order 1..TCA_ACT_MAX_NUM. */
function nl_parse_flower_actions(p: OvsProcess, tb: Map<number, NlAttr>, f: TcFlower, terse: boolean): number {
  const acts = tb.get(TCA_FLOWER_ACT);
  const list = acts ? nl_attrs(acts.payload) : [];
  if (!list) {
    p.vlog.err('tc', 'failed to parse flower order of actions');
    return EPROTO;
  }
  for (const a of [...list].sort((x, y) => x.type - y.type)) {
    if (a.type < 1 || a.type > TCA_ACT_MAX_NUM) continue;
    if (f.actions.length >= TCA_ACT_MAX_NUM) {
      p.vlog.dbg('tc', `Can only support ${TCA_ACT_MAX_NUM} actions`);
      return EOPNOTSUPP;
    }
    const err = nl_parse_single_action(p, a, f, terse);
    if (err) return err;
  }
  return 0;
}

/** nl_parse_flower_options: keys (unless terse), skip/in_hw flags, actions. */
function nl_parse_flower_options(p: OvsProcess, options: NlAttr | undefined, f: TcFlower, terse: boolean): number {
  const list = options ? nl_attrs(options.payload) : null;
  if (!list) {
    p.vlog.err('tc', terse ? 'failed to parse flower classifier terse options' : 'failed to parse flower classifier options');
    return EPROTO;
  }
  const tb = new Map(list.map((a) => [a.type, a] as const));
  if (!terse) nl_parse_flower_keys(tb, f);
  f.offloaded_state = nl_get_flower_offloaded_state(tb);
  return nl_parse_flower_actions(p, tb, f, terse);
}

/**
 * parse_netlink_to_tc_flower: one RTM_NEWTFILTER of a dump or get. The
 * protocol comes from tcm_info; a message without a handle (the per-prio
 * header of a dump) is EAGAIN; a kind other than flower is EPROTO.
 */
export const parse_netlink_to_tc_flower = hop('lib/tc.c', function parse_netlink_to_tc_flower(
  p: OvsProcess, reply: NlMsg, id: TcfId, terse: boolean,
): { error: number; flower?: TcFlower } {
  const tc = tcmsg_decode(reply.payload);
  if (!tc.ok) {
    p.coverage_inc('tc_netlink_malformed_reply');
    return { error: EPROTO };
  }
  const f = tc_flower_init();
  f.key.eth_type = tc_get_minor_proto(tc.value.tcm_info);
  f.mask.eth_type = 0xffff;
  id.prio = tc_get_major(tc.value.tcm_info);
  id.handle = tc.value.tcm_handle;
  if (id.prio === TC_RESERVED_PRIORITY_POLICE) return { error: 0, flower: f };
  if (!id.handle) return { error: EAGAIN };
  const ta = nl_attrs(reply.payload.subarray(TCMSG_LEN));
  const kind = ta?.find((a) => a.type === TCA_KIND);
  if (!ta || !kind) {
    p.vlog.err('tc', 'failed to parse tca policy');
    return { error: EPROTO };
  }
  const chain = ta.find((a) => a.type === TCA_CHAIN);
  if (chain) id.chain = nla_get_u32(chain);
  if (nla_get_string(kind) !== 'flower') {
    p.vlog.dbg('tc', `Unsupported filter: ${nla_get_string(kind)}`);
    return { error: EPROTO };
  }
  const err = nl_parse_flower_options(p, ta.find((a) => a.type === TCA_OPTIONS), f, terse);
  return err ? { error: err } : { error: 0, flower: f };
}, {
  input: (_p, reply) => `${reply.payload.byteLength}B`,
  errno: (r) => -r.error,
  result: (r) => (r.flower ? `${r.flower.actions.length} actions ${r.flower.offloaded_state.replace('TC_OFFLOADED_STATE_', '')}` : errno_text(r.error)),
});

/**
 * tc_dump_flower_start (+ nl_dump): RTM_GETTFILTER NLM_F_DUMP of the hook
 * (all prios, protocols and chains), terse on request. Returns the reply
 * messages of the dump.
 */
export const tc_dump_flower_start = hop('lib/tc.c', function tc_dump_flower_start(
  p: OvsProcess, id: TcfId, terse: boolean,
): { error: number; msgs: NlMsg[] } {
  const b = request_from_tcf_id(id, 0, RTM_GETTFILTER, NLM_F_DUMP);
  if (terse) b.attr(TCA_DUMP_FLAGS, new StructWriter(8).u32(0, TCA_DUMP_FLAGS_TERSE).u32(4, TCA_DUMP_FLAGS_TERSE).bytes);
  return nl_dump(p, NETLINK_ROUTE, b.finish());
}, { input: (_p, id, terse) => `ifindex=${id.ifindex}${terse ? ' terse' : ''}`, errno: (r) => -r.error, result: (r) => (r.error ? errno_text(r.error) : `${r.msgs.length} msgs`) });

/**
 * tc_get_flower: RTM_GETTFILTER with ECHO for one filter id, parsed like a
 * dump reply (stats, in_hw state and actions included).
 */
export const tc_get_flower = hop('lib/tc.c', function tc_get_flower(p: OvsProcess, id: TcfId): { error: number; flower?: TcFlower } {
  const b = request_from_tcf_id(id, 0, RTM_GETTFILTER, NLM_F_ECHO).string(TCA_KIND, 'flower');
  const { error, reply } = tc_transact(p, b.finish(), true);
  if (error) return { error };
  if (!reply) return { error: EPROTO };
  const got = { ...id };
  return parse_netlink_to_tc_flower(p, reply, got, false);
}, { input: (_p, id) => `ifindex=${id.ifindex} chain=${id.chain} prio=${id.prio} handle=${id.handle}`, errno: (r) => -r.error, result: (r) => errno_text(r.error) });
