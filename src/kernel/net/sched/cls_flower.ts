// net/sched/cls_flower.c: the flower classifier. Filters of one classifier
// instance are grouped by mask; within a mask the masked key must be unique.
// Offload hands drivers a FlowRule built from the mask and masked key.
import { Idr } from '../../lib/idr';
import { ListHead } from '../../lib/list';
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG, NL_SET_ERR_MSG_ATTR, NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { TC_SETUP_CLSFLOWER } from '../../include/linux/netdevice';
import {
  flow_keys_zero, flow_keys_ext_zero, flow_key_mpls_zero, flow_key_enc_opts_zero, flow_key_pppoe_zero, flow_key_l2tpv3_zero, FLOW_DIS_TUN_OPTS_MAX, FLOW_DIS_FIRST_FRAG, FLOW_DIS_IS_FRAGMENT, FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID,
  FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID, FLOW_DIS_MPLS_MAX, FLOW_DIS_F_TUNNEL_CSUM, FLOW_DIS_F_TUNNEL_DONT_FRAGMENT, FLOW_DIS_F_TUNNEL_OAM,
  FLOW_DIS_F_TUNNEL_CRIT_OPT, type FlowDissector, type FlowDissectorKeyMpls, type FlowDissectorMplsLse, type FlowDissectorKeyId, type FlowKeys, type FlowKeysExt,
} from '../../include/net/flow_dissector';
import {
  FLOW_CLS_DESTROY, FLOW_CLS_REPLACE, FLOW_CLS_STATS, flow_stats_zero, type FlowClsOffload, type FlowSetupCb,
} from '../../include/net/flow_offload';
import type { TcfExts } from '../../include/net/act_api';
import {
  TCF_PROTO_OPS_DOIT_UNLOCKED, type TcfFilterView, type TcfProto, type TcfProtoOps, type TcfWalker,
} from '../../include/net/sch_generic';
import { EAGAIN, EBADMSG, EEXIST, EINVAL, ERANGE, ENOENT, ENOSPC, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import * as F from '../../include/uapi/linux/pkt_cls';
import { TCA_OPTIONS, TCA_RATE } from '../../include/uapi/linux/pkt_sched';
import { NLA_F_NESTED, StructWriter, nla_get_be16, nla_get_be32, nla_get_u16, nla_get_u32, nla_get_u8, nla_walk, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import type { TcMsg } from '../../../netlink/structs';
import {
  NLA_BE32, NLA_BINARY, NLA_NESTED, NLA_STRING, NLA_U16, NLA_U32, NLA_U64, NLA_U8, nla_parse_nested, nla_parse_nested_deprecated,
  type NlaPolicy, type NlaTb,
} from '../../lib/nlattr';
import {
  register_tcf_proto_ops, tc_cls_common_offload_init, tc_setup_cb_add, tc_setup_cb_call, tc_setup_cb_destroy,
  tc_setup_cb_reoffload, tc_setup_offload_action, tcf_change_indev, tcf_exts_destroy, tcf_exts_dump, tcf_exts_init_ex,
  tcf_exts_validate_ex,
} from './cls_api';
import { tcf_exts_hw_stats_update } from './act_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

// Decisions counted by the hop coverage report.
const fl_change_skip_hw = declareBranch('net/sched/cls_flower.c', 'fl_change', 'skip_hw');
const fl_hw_replace_filter_skip_sw = declareBranch('net/sched/cls_flower.c', 'fl_hw_replace_filter', 'skip_sw');
const fl_set_key_mpls_branch = declareBranch('net/sched/cls_flower.c', 'fl_set_key', 'MPLS ethertype');
const fl_set_key_mpls_opts_branch = declareBranch('net/sched/cls_flower.c', 'fl_set_key_mpls', 'TCA_FLOWER_KEY_MPLS_OPTS');
const fl_mpls_lse_depth_present = declareBranch('net/sched/cls_flower.c', 'fl_set_key_mpls_lse', 'depth given');
const fl_mpls_lse_depth_invalid = declareBranch('net/sched/cls_flower.c', 'fl_set_key_mpls_lse', 'depth out of 1..FLOW_DIS_MPLS_MAX');
const fl_dump_key_mpls_opts_branch = declareBranch('net/sched/cls_flower.c', 'fl_dump_key_mpls', 'nested MPLS_OPTS form');
const fl_enc_opt_duplicate = declareBranch('net/sched/cls_flower.c', 'fl_set_enc_opt', 'option type after another');
const fl_erspan_version_branch = declareBranch('net/sched/cls_flower.c', 'fl_set_erspan_opt', 'version 1 (index)');
const fl_set_key_pppoe_branch = declareBranch('net/sched/cls_flower.c', 'fl_set_key', 'PPPoE session ethertype');
const fl_set_key_l2tpv3_branch = declareBranch('net/sched/cls_flower.c', 'fl_set_key', 'ip_proto l2tp');
const fl_pppoe_ppp_proto_inner = declareBranch('net/sched/cls_flower.c', 'fl_set_key_pppoe', 'ppp_proto names an inner ethertype');

const MODNAME = 'cls_flower';
const IFNAMSIZ = 16;
const ETH_ALEN = 6;
const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;
const ETH_P_ARP = 0x0806;
const ETH_P_RARP = 0x8035;
const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;
const ETH_P_MPLS_UC = 0x8847;
const ETH_P_MPLS_MC = 0x8848;
const ETH_P_PPP_SES = 0x8864;
// include/uapi/linux/ppp_defs.h
const PPP_IP = 0x21;
const PPP_IPV6 = 0x57;
const PPP_MPLS_UC = 0x0281;
const PPP_MPLS_MC = 0x0283;
const IPPROTO_L2TP = 115;
// include/linux/mpls.h
const MPLS_TTL_MASK = 0xff;
const MPLS_BOS_MASK = 0x1;
const MPLS_TC_MASK = 0x7;
const MPLS_LABEL_MASK = 0xfffff;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_SCTP = 132;
const IPPROTO_ICMPV6 = 58;
const VLAN_VID_MASK = 0x0fff;
const VLAN_PRIORITY_MASK = 0x7;

/** struct fl_flow_key: the keys flower matches (base part handed to drivers as FlowKeys). */
export interface FlFlowKey {
  base: FlowKeys;
  ext: FlowKeysExt;
}

function fl_key_zero(): FlFlowKey {
  return {
    base: flow_keys_zero(),
    ext: { ...flow_keys_ext_zero(), mpls: flow_key_mpls_zero(), enc_opts: flow_key_enc_opts_zero(), pppoe: flow_key_pppoe_zero(), l2tpv3: flow_key_l2tpv3_zero() },
  };
}

/** struct fl_flow_mask */
interface FlFlowMask {
  key: FlFlowKey;
  /** Identity of the mask (its bytes). */
  id: string;
  dissector: FlowDissector;
  filters: ListHead<ClsFlFilter>;
  /** The mask's filters by masked key (mask->ht). */
  ht: Map<string, ClsFlFilter>;
  refcnt: number;
}

/** struct cls_fl_filter */
export interface ClsFlFilter {
  mask: FlFlowMask | null;
  key: FlFlowKey;
  mkey: FlFlowKey;
  mkey_id: string;
  exts: TcfExts;
  classid: number;
  handle: number;
  flags: number;
  in_hw_count: number;
  deleted: boolean;
  /** (unsigned long)f: identity drivers see; a replace is a new instance. */
  cookie: number;
}

/** struct cls_fl_head */
interface ClsFlHead {
  masks: FlFlowMask[];
  mask_ht: Map<string, FlFlowMask>;
  handle_idr: Idr<ClsFlFilter | null>;
  /** hw_filters, by cookie; upstream adds at the list head, so newest is last here. */
  hw_filters: Map<number, ClsFlFilter>;
  /** Filters between reservation and publication (reachable by cookie from hw_add). */
  pending: ClsFlFilter[];
  /** (struct cls_fl_filter *)cookie: every live filter of this head by its cookie. */
  by_cookie: Map<number, ClsFlFilter>;
}

function fl_head(tp: TcfProto): ClsFlHead {
  return tp.root as ClsFlHead;
}

function fl_next_cookie(net: Net): number {
  const s = net_generic(net, 'cls_flower', () => ({ next_cookie: 0x1000 }));
  return s.next_cookie++;
}

// ----------------------------------------------------------- key helpers

type Plain = number | Uint8Array | { [k: string]: Plain };

/**
 * The identity of a key (mask->ht / head->ht hash the key's bytes upstream):
 * the position and value of every non-zero leaf, in declaration order. Keys
 * of one head share one shape (fl_key_zero), so positions are comparable.
 */
function key_id(k: FlFlowKey): string {
  const w = { pos: 0, s: '' };
  key_id_walk(k as unknown as { [k: string]: Plain }, w);
  return w.s;
}

function key_id_walk(v: { [k: string]: Plain }, w: { pos: number; s: string }): void {
  for (const name in v) {
    const x = v[name];
    if (typeof x === 'number') {
      if (x !== 0) w.s += `${w.pos}:${x},`;
      w.pos++;
    } else if (x instanceof Uint8Array) {
      for (let i = 0; i < x.length; i++, w.pos++) if (x[i] !== 0) w.s += `${w.pos}:${x[i]},`;
    } else if (x !== null && typeof x === 'object') key_id_walk(x, w);
    else if (x !== undefined) {
      w.s += `${w.pos}:${JSON.stringify(x)},`;
      w.pos++;
    }
  }
}

// Keys are read-only once a filter holds them, so a subtree whose value
// equals the mask's (typically all zero) is the mask's own object: a filter
// stores only what its key adds to the mask.
interface MaskWalk {
  /** key_id's position counter and text, for the masked key. */
  pos: number;
  s: string;
  /** The key node to keep (the mask's when equal), handed back beside the masked node. */
  k: Plain;
}

/** One walk of key and mask: returns key & mask, shares equal key subtrees, writes the masked key's id. */
function fl_mask_walk(v: Plain, m: Plain, w: MaskWalk): Plain {
  if (typeof v === 'number') {
    const r = (v & (m as number)) >>> 0;
    if (r !== 0) w.s += `${w.pos}:${r},`;
    w.pos++;
    w.k = v;
    return r;
  }
  if (v instanceof Uint8Array) {
    const mb = m as Uint8Array;
    let o: Uint8Array | null = v.length === mb.length ? null : new Uint8Array(v.length);
    let key_same = o === null;
    for (let i = 0; i < v.length; i++, w.pos++) {
      const r = v[i]! & mb[i]!;
      if (r !== 0) w.s += `${w.pos}:${r},`;
      if (v[i] !== mb[i]) key_same = false;
      if (r !== mb[i] && !o) o = mb.slice(0, v.length);
      if (o) o[i] = r;
    }
    w.k = key_same ? mb : v;
    return o ?? mb;
  }
  const mo = m as { [k: string]: Plain };
  let o: { [k: string]: Plain } | null = null;
  let key_same = true;
  for (const k in v) {
    const r = fl_mask_walk(v[k]!, mo[k]!, w);
    if (r !== mo[k]) (o ??= { ...mo })[k] = r;
    if (w.k !== v[k]) v[k] = w.k;
    if (w.k !== mo[k]) key_same = false;
  }
  w.k = key_same ? m : v;
  return o ?? m;
}

function is_masked(m: Plain): boolean {
  if (typeof m === 'number') return m !== 0;
  if (m instanceof Uint8Array) return m.some((b) => b !== 0);
  return Object.values(m).some(is_masked);
}

/**
 * fl_set_masked_key(): f->mkey = key & mask, with its identity; the key
 * itself comes back sharing the mask's objects where they are equal.
 */
function fl_set_masked_key(key: FlFlowKey, mask: FlFlowKey): { mkey: FlFlowKey; mkey_id: string; key: FlFlowKey } {
  const w: MaskWalk = { pos: 0, s: '', k: 0 };
  const mkey = fl_mask_walk(key as unknown as Plain, mask as unknown as Plain, w) as unknown as FlFlowKey;
  return { mkey, mkey_id: w.s, key: w.k as unknown as FlFlowKey };
}

/** fl_init_dissector (v6.18): keys with a non-zero mask, CONTROL and BASIC always. */
function fl_init_dissector(mask: FlFlowKey): FlowDissector {
  const m = mask.base;
  const e = mask.ext;
  const keys: FlowDissectorKeyId[] = [];
  const set_if = (id: FlowDissectorKeyId, v: Plain): void => { if (is_masked(v)) keys.push(id); };
  set_if('FLOW_DISSECTOR_KEY_META', m.meta as unknown as Plain);
  keys.push('FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC');
  set_if('FLOW_DISSECTOR_KEY_ETH_ADDRS', m.eth as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_IPV4_ADDRS', m.ipv4 as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_IPV6_ADDRS', m.ipv6 as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_PORTS', m.tp as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_PORTS_RANGE', { a: m.tp_min as unknown as Plain, b: m.tp_max as unknown as Plain });
  set_if('FLOW_DISSECTOR_KEY_IP', m.ip as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_TCP', m.tcp as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_ICMP', m.icmp as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_ARP', m.arp as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_VLAN', m.vlan as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_CVLAN', m.cvlan as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_ENC_KEYID', e.enc_key_id as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS', e.enc_ipv4 as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS', e.enc_ipv6 as unknown as Plain);
  if (is_masked(e.enc_ipv4 as unknown as Plain) || is_masked(e.enc_ipv6 as unknown as Plain) || is_masked(e.enc_control as unknown as Plain)) {
    keys.push('FLOW_DISSECTOR_KEY_ENC_CONTROL');
  }
  set_if('FLOW_DISSECTOR_KEY_ENC_PORTS', e.enc_tp as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_ENC_IP', e.enc_ip as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_CT', e.ct as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_HASH', e.hash as unknown as Plain);
  set_if('FLOW_DISSECTOR_KEY_NUM_OF_VLANS', e.num_of_vlans as unknown as Plain);
  if (e.mpls) set_if('FLOW_DISSECTOR_KEY_MPLS', e.mpls as unknown as Plain);
  if (e.enc_opts) set_if('FLOW_DISSECTOR_KEY_ENC_OPTS', e.enc_opts as unknown as Plain);
  if (e.pppoe) set_if('FLOW_DISSECTOR_KEY_PPPOE', e.pppoe as unknown as Plain);
  if (e.l2tpv3) set_if('FLOW_DISSECTOR_KEY_L2TPV3', e.l2tpv3 as unknown as Plain);
  return { used_keys: new Set(keys) };
}

// ----------------------------------------------------------- policy

// net/sched/cls_flower.c fl_policy (v6.18), entry for entry
const fl_policy: NlaPolicy = {
  [F.TCA_FLOWER_UNSPEC]: { strict_start_type: F.TCA_FLOWER_L2_MISS },
  [F.TCA_FLOWER_CLASSID]: { type: NLA_U32 },
  [F.TCA_FLOWER_INDEV]: { type: NLA_STRING, len: IFNAMSIZ },
  [F.TCA_FLOWER_KEY_ETH_DST]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_ETH_DST_MASK]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_ETH_SRC]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_ETH_SRC_MASK]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_ETH_TYPE]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_IP_PROTO]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_IPV4_SRC]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_IPV4_SRC_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_IPV4_DST]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_IPV4_DST_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_IPV6_SRC]: { len: 16 },
  [F.TCA_FLOWER_KEY_IPV6_SRC_MASK]: { len: 16 },
  [F.TCA_FLOWER_KEY_IPV6_DST]: { len: 16 },
  [F.TCA_FLOWER_KEY_IPV6_DST_MASK]: { len: 16 },
  [F.TCA_FLOWER_KEY_TCP_SRC]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_TCP_DST]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_UDP_SRC]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_UDP_DST]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_VLAN_ID]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_VLAN_PRIO]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_VLAN_ETH_TYPE]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_ENC_KEY_ID]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ENC_IPV4_SRC]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ENC_IPV4_DST]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ENC_IPV4_DST_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ENC_IPV6_SRC]: { len: 16 },
  [F.TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK]: { len: 16 },
  [F.TCA_FLOWER_KEY_ENC_IPV6_DST]: { len: 16 },
  [F.TCA_FLOWER_KEY_ENC_IPV6_DST_MASK]: { len: 16 },
  [F.TCA_FLOWER_KEY_TCP_SRC_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_TCP_DST_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_UDP_SRC_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_UDP_DST_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_SCTP_SRC_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_SCTP_DST_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_SCTP_SRC]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_SCTP_DST]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_ENC_UDP_DST_PORT]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_FLAGS]: { type: NLA_BE32, mask: F.TCA_FLOWER_KEY_FLAGS_POLICY_MASK },
  [F.TCA_FLOWER_KEY_FLAGS_MASK]: { type: NLA_BE32, mask: F.TCA_FLOWER_KEY_FLAGS_POLICY_MASK },
  [F.TCA_FLOWER_KEY_ICMPV4_TYPE]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ICMPV4_TYPE_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ICMPV4_CODE]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ICMPV4_CODE_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ICMPV6_TYPE]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ICMPV6_TYPE_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ICMPV6_CODE]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ICMPV6_CODE_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ARP_SIP]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ARP_SIP_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ARP_TIP]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ARP_TIP_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ARP_OP]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ARP_OP_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ARP_SHA]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_ARP_SHA_MASK]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_ARP_THA]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_ARP_THA_MASK]: { len: ETH_ALEN },
  [F.TCA_FLOWER_KEY_MPLS_TTL]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_MPLS_BOS]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_MPLS_TC]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_MPLS_LABEL]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_MPLS_OPTS]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_TCP_FLAGS]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_TCP_FLAGS_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_IP_TOS]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_IP_TOS_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_IP_TTL]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_IP_TTL_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_CVLAN_ID]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_CVLAN_PRIO]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_CVLAN_ETH_TYPE]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_ENC_IP_TOS]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_IP_TOS_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_IP_TTL]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_IP_TTL_MASK]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_OPTS]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_ENC_OPTS_MASK]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_PORT_SRC_MIN]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_PORT_SRC_MAX]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_PORT_DST_MIN]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_PORT_DST_MAX]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_CT_STATE]: { type: NLA_U16, mask: F.TCA_FLOWER_KEY_CT_FLAGS_MASK },
  [F.TCA_FLOWER_KEY_CT_STATE_MASK]: { type: NLA_U16, mask: F.TCA_FLOWER_KEY_CT_FLAGS_MASK },
  [F.TCA_FLOWER_KEY_CT_ZONE]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_CT_ZONE_MASK]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_CT_MARK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_CT_MARK_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_CT_LABELS]: { type: NLA_BINARY, len: 16 },
  [F.TCA_FLOWER_KEY_CT_LABELS_MASK]: { type: NLA_BINARY, len: 16 },
  [F.TCA_FLOWER_FLAGS]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_HASH]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_HASH_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_NUM_OF_VLANS]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_PPPOE_SID]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_PPP_PROTO]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_L2TPV3_SID]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_SPI]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_SPI_MASK]: { type: NLA_U32 },
  [F.TCA_FLOWER_L2_MISS]: { type: NLA_U8, max: 1 },
  [F.TCA_FLOWER_KEY_CFM]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_ENC_FLAGS]: { type: NLA_BE32, mask: F.TCA_FLOWER_KEY_ENC_FLAGS_POLICY_MASK },
  [F.TCA_FLOWER_KEY_ENC_FLAGS_MASK]: { type: NLA_BE32, mask: F.TCA_FLOWER_KEY_ENC_FLAGS_POLICY_MASK },
};

/** Attributes whose keys this emulation does not model (refused rather than silently ignored). */
const FL_UNMODELLED = [
  F.TCA_FLOWER_KEY_CFM, F.TCA_FLOWER_KEY_SPI, F.TCA_FLOWER_L2_MISS,
];

// ----------------------------------------------------------- fl_set_key

type Getter = (a: NlAttr) => number;

/** fl_set_key_val(): value copied; mask from its attribute, else all-ones. */
function set_val(tb: NlaTb, vt: number, mt: number, get: Getter, ones: number, set: (v: number, m: number) => void): void {
  const a = tb[vt];
  if (!a) return;
  const m = mt !== F.TCA_FLOWER_UNSPEC && tb[mt] ? get(tb[mt]!) : ones;
  set(get(a), m);
}

function set_bytes(tb: NlaTb, vt: number, mt: number, len: number, key: Uint8Array, mask: Uint8Array): void {
  const a = tb[vt];
  if (!a) return;
  key.set(a.payload.subarray(0, len));
  if (mt !== F.TCA_FLOWER_UNSPEC && tb[mt]) mask.set(tb[mt]!.payload.subarray(0, len));
  else mask.fill(0xff);
}

const u8: Getter = nla_get_u8;
const be16: Getter = nla_get_be16;
const u16: Getter = nla_get_u16;
const be32: Getter = nla_get_be32;
const u32: Getter = nla_get_u32;

/** fl_set_key_vlan() */
function fl_set_key_vlan(tb: NlaTb, ethertype: number, id_key: number, prio_key: number, eth_key: number,
  key: FlowKeys['vlan'], mask: FlowKeys['vlan']): void {
  if (tb[id_key]) {
    key.vlan_id = nla_get_u16(tb[id_key]!) & VLAN_VID_MASK;
    mask.vlan_id = VLAN_VID_MASK;
  }
  if (tb[prio_key]) {
    key.vlan_priority = nla_get_u8(tb[prio_key]!) & VLAN_PRIORITY_MASK;
    mask.vlan_priority = VLAN_PRIORITY_MASK;
  }
  if (ethertype) {
    key.vlan_tpid = ethertype;
    mask.vlan_tpid = 0xffff;
  }
  if (tb[eth_key]) {
    key.vlan_eth_type = nla_get_be16(tb[eth_key]!);
    mask.vlan_eth_type = 0xffff;
  }
}

/** is_vlan_key(): a VLAN TPID (or enough vlans) continues into VLAN keys, else it is n_proto. */
function is_vlan_key(a: NlAttr | undefined, key: FlFlowKey, mask: FlFlowKey, vthresh: number): { vlan: boolean; ethertype: number } {
  const good_num_of_vlans = key.ext.num_of_vlans.num_of_vlans > vthresh;
  if (!a) return { vlan: good_num_of_vlans, ethertype: 0 };
  const ethertype = nla_get_be16(a);
  if (good_num_of_vlans || ethertype === ETH_P_8021Q || ethertype === ETH_P_8021AD) return { vlan: true, ethertype };
  key.base.basic.n_proto = ethertype;
  mask.base.basic.n_proto = 0xffff;
  return { vlan: false, ethertype };
}

/**
 * fl_set_key_pppoe (v6.18): the PPPoE ethertype moves to pppoe.type; a PPP
 * protocol flower knows (IPv4, IPv6, MPLS) becomes the ethertype later keys
 * parse against, any other leaves the session ethertype, and no ppp_proto
 * leaves no ethertype to match at all.
 */
function fl_set_key_pppoe(tb: NlaTb, key_val: NonNullable<FlowKeysExt['pppoe']>, key_mask: NonNullable<FlowKeysExt['pppoe']>,
  key: FlFlowKey, mask: FlFlowKey): void {
  key_val.type = ETH_P_PPP_SES;
  key_mask.type = 0xffff;
  if (tb[F.TCA_FLOWER_KEY_PPPOE_SID]) {
    key_val.session_id = nla_get_be16(tb[F.TCA_FLOWER_KEY_PPPOE_SID]!);
    key_mask.session_id = 0xffff;
  }
  if (!tb[F.TCA_FLOWER_KEY_PPP_PROTO]) {
    key.base.basic.n_proto = 0;
    mask.base.basic.n_proto = 0;
    return;
  }
  key_val.ppp_proto = nla_get_be16(tb[F.TCA_FLOWER_KEY_PPP_PROTO]!);
  key_mask.ppp_proto = 0xffff;
  const inner: Record<number, number> = { [PPP_IP]: ETH_P_IP, [PPP_IPV6]: ETH_P_IPV6, [PPP_MPLS_UC]: ETH_P_MPLS_UC, [PPP_MPLS_MC]: ETH_P_MPLS_MC };
  const n_proto = inner[key_val.ppp_proto];
  if (fl_pppoe_ppp_proto_inner(n_proto !== undefined)) {
    key.base.basic.n_proto = n_proto!;
    mask.base.basic.n_proto = 0xffff;
  }
}

// enum flow_dissector_ctrl_flags bit for each TCA_FLOWER_KEY_FLAGS_* bit (fl_set_key_flag / fl_get_key_flag pairs)
const FL_KEY_FLAG_BITS: ReadonlyArray<readonly [number, number]> = [
  [F.TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, FLOW_DIS_IS_FRAGMENT],
  [F.TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST, FLOW_DIS_FIRST_FRAG],
  [F.TCA_FLOWER_KEY_FLAGS_TUNNEL_CSUM, FLOW_DIS_F_TUNNEL_CSUM],
  [F.TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT, FLOW_DIS_F_TUNNEL_DONT_FRAGMENT],
  [F.TCA_FLOWER_KEY_FLAGS_TUNNEL_OAM, FLOW_DIS_F_TUNNEL_OAM],
  [F.TCA_FLOWER_KEY_FLAGS_TUNNEL_CRIT_OPT, FLOW_DIS_F_TUNNEL_CRIT_OPT],
];

/**
 * fl_set_key_flags (v6.18): TCA_FLOWER_KEY_FLAGS into control.flags, or with
 * `encap` TCA_FLOWER_KEY_ENC_FLAGS into enc_control.flags; the mask is
 * mandatory (the policies already limit each to its own bits).
 */
function fl_set_key_flags(tb: NlaTb, encap: boolean, key: { flags: number }, mask: { flags: number }, extack: NetlinkExtAck | null): 0 | NegErrno {
  const fl_key = encap ? F.TCA_FLOWER_KEY_ENC_FLAGS : F.TCA_FLOWER_KEY_FLAGS;
  const fl_mask = encap ? F.TCA_FLOWER_KEY_ENC_FLAGS_MASK : F.TCA_FLOWER_KEY_FLAGS_MASK;
  if (!tb[fl_mask]) {
    NL_SET_ERR_MSG(extack, 'Missing flags mask');
    return -EINVAL;
  }
  const k = nla_get_be32(tb[fl_key]!);
  const m = nla_get_be32(tb[fl_mask]!);
  key.flags = 0;
  mask.flags = 0;
  for (const [fbit, dbit] of FL_KEY_FLAG_BITS) {
    if (m & fbit) {
      mask.flags |= dbit;
      if (k & fbit) key.flags |= dbit;
    }
  }
  return 0;
}

/** fl_validate_ct_state (v6.18) */
function fl_validate_ct_state(state: number, mask_attr: NlAttr | undefined, extack: NetlinkExtAck | null): 0 | NegErrno {
  const err = (msg: string): NegErrno => {
    if (mask_attr) NL_SET_ERR_MSG_ATTR(extack, mask_attr.offset, msg);
    else NL_SET_ERR_MSG(extack, msg);
    return -EINVAL;
  };
  if (state && !(state & F.TCA_FLOWER_KEY_CT_FLAGS_TRACKED)) return err('no trk, so no other flag can be set');
  if (state & F.TCA_FLOWER_KEY_CT_FLAGS_NEW && state & F.TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED) return err('new and est are mutually exclusive');
  if (state & F.TCA_FLOWER_KEY_CT_FLAGS_INVALID && state & ~(F.TCA_FLOWER_KEY_CT_FLAGS_TRACKED | F.TCA_FLOWER_KEY_CT_FLAGS_INVALID)) {
    return err('when inv is set, only trk may be set');
  }
  if (state & F.TCA_FLOWER_KEY_CT_FLAGS_NEW && state & F.TCA_FLOWER_KEY_CT_FLAGS_REPLY) return err('new and rpl are mutually exclusive');
  return 0;
}

// cls_flower.c mpls_stack_entry_policy (v6.18)
const mpls_stack_entry_policy: NlaPolicy = {
  [F.TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TC]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL]: { type: NLA_U32 },
};

/** &key->ls[i]: entry 0 is the key's own flat fields, deeper ones live in key.ls. */
function mpls_lse(key: FlowDissectorKeyMpls, i: number): FlowDissectorMplsLse {
  if (i === 0) return key;
  const lse = key.ls?.[i];
  if (!lse) throw new Error(`cls_flower: MPLS key without ls[${i}] (flow_key_mpls_zero shape expected)`);
  return lse;
}

/**
 * fl_set_key_mpls_lse (v6.18): one nested label stack entry; depth is
 * mandatory and 1-based (RFC 3031), a repeated depth simply overwrites.
 */
const fl_set_key_mpls_lse = hop('net/sched/cls_flower.c', function fl_set_key_mpls_lse(
  nla_lse: NlAttr, key: FlowDissectorKeyMpls, mask: FlowDissectorKeyMpls, extack: NetlinkExtAck | null): 0 | NegErrno {
  const { err, tb } = nla_parse_nested(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_MAX, nla_lse, mpls_stack_entry_policy, extack);
  if (err < 0) return err;
  const d = tb[F.TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH];
  if (!fl_mpls_lse_depth_present(!!d)) {
    NL_SET_ERR_MSG(extack, 'Missing MPLS option "depth"');
    return -EINVAL;
  }
  const depth = nla_get_u8(d!);
  if (fl_mpls_lse_depth_invalid(depth < 1 || depth > FLOW_DIS_MPLS_MAX)) {
    NL_SET_ERR_MSG_ATTR(extack, d!.offset, 'Invalid MPLS depth');
    return -EINVAL;
  }
  const lse_index = depth - 1;
  // dissector_set_mpls_lse()
  key.used_lses |= 1 << lse_index;
  mask.used_lses |= 1 << lse_index;
  const lv = mpls_lse(key, lse_index);
  const lm = mpls_lse(mask, lse_index);
  const ttl = tb[F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL];
  if (ttl) {
    lv.mpls_ttl = nla_get_u8(ttl);
    lm.mpls_ttl = MPLS_TTL_MASK;
  }
  const bos_a = tb[F.TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS];
  if (bos_a) {
    const bos = nla_get_u8(bos_a);
    if (bos & ~MPLS_BOS_MASK) {
      NL_SET_ERR_MSG_ATTR(extack, bos_a.offset, 'Bottom Of Stack (BOS) must be 0 or 1');
      return -EINVAL;
    }
    lv.mpls_bos = bos;
    lm.mpls_bos = MPLS_BOS_MASK;
  }
  const tc_a = tb[F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TC];
  if (tc_a) {
    const tc = nla_get_u8(tc_a);
    if (tc & ~MPLS_TC_MASK) {
      NL_SET_ERR_MSG_ATTR(extack, tc_a.offset, 'Traffic Class (TC) must be between 0 and 7');
      return -EINVAL;
    }
    lv.mpls_tc = tc;
    lm.mpls_tc = MPLS_TC_MASK;
  }
  const label_a = tb[F.TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL];
  if (label_a) {
    const label = nla_get_u32(label_a);
    if ((label & ~MPLS_LABEL_MASK) >>> 0) {
      NL_SET_ERR_MSG_ATTR(extack, label_a.offset, 'Label must be between 0 and 1048575');
      return -EINVAL;
    }
    lv.mpls_label = label;
    lm.mpls_label = MPLS_LABEL_MASK;
  }
  return 0;
}, { input: (nla) => `len=${nla.payload.byteLength}` });

/** fl_set_key_mpls_opts (v6.18): a strict nest of TCA_FLOWER_KEY_MPLS_OPTS_LSE entries only. */
const fl_set_key_mpls_opts = hop('net/sched/cls_flower.c', function fl_set_key_mpls_opts(
  nla_mpls_opts: NlAttr, key: FlowDissectorKeyMpls, mask: FlowDissectorKeyMpls, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!nla_mpls_opts.nested) {
    NL_SET_ERR_MSG_ATTR(extack, nla_mpls_opts.offset, 'NLA_F_NESTED is missing');
    return -EINVAL;
  }
  const w = nla_walk(nla_mpls_opts.payload, nla_mpls_opts.offset + 4);
  for (const nla_lse of w.attrs) {
    if (nla_lse.type !== F.TCA_FLOWER_KEY_MPLS_OPTS_LSE) {
      NL_SET_ERR_MSG_ATTR(extack, nla_lse.offset, 'Invalid MPLS option type');
      return -EINVAL;
    }
    const err = fl_set_key_mpls_lse(nla_lse, key, mask, extack);
    if (err < 0) return err;
  }
  // nla_for_each_nested leaves `rem` non-zero on a truncated entry
  if (!w.ok) {
    NL_SET_ERR_MSG(extack, 'Bytes leftover after parsing MPLS options');
    return -EINVAL;
  }
  return 0;
}, { input: (nla) => `len=${nla.payload.byteLength}` });

/**
 * fl_set_key_mpls (v6.18): either the nested TCA_FLOWER_KEY_MPLS_OPTS (up to
 * FLOW_DIS_MPLS_MAX entries) or the flat keys for the first label stack
 * entry, never both; each field is range-checked with its own message.
 */
function fl_set_key_mpls(tb: NlaTb, key: FlowDissectorKeyMpls, mask: FlowDissectorKeyMpls, extack: NetlinkExtAck | null): 0 | NegErrno {
  const opts = tb[F.TCA_FLOWER_KEY_MPLS_OPTS];
  if (fl_set_key_mpls_opts_branch(!!opts)) {
    if (tb[F.TCA_FLOWER_KEY_MPLS_TTL] || tb[F.TCA_FLOWER_KEY_MPLS_BOS] || tb[F.TCA_FLOWER_KEY_MPLS_TC] || tb[F.TCA_FLOWER_KEY_MPLS_LABEL]) {
      NL_SET_ERR_MSG_ATTR(extack, opts!.offset,
        'MPLS label, Traffic Class, Bottom Of Stack and Time To Live must be encapsulated in the MPLS options attribute');
      return -EBADMSG;
    }
    return fl_set_key_mpls_opts(opts!, key, mask, extack);
  }
  const used = (): void => { key.used_lses |= 1; mask.used_lses |= 1; };
  if (tb[F.TCA_FLOWER_KEY_MPLS_TTL]) {
    key.mpls_ttl = nla_get_u8(tb[F.TCA_FLOWER_KEY_MPLS_TTL]!);
    mask.mpls_ttl = MPLS_TTL_MASK;
    used();
  }
  if (tb[F.TCA_FLOWER_KEY_MPLS_BOS]) {
    const bos = nla_get_u8(tb[F.TCA_FLOWER_KEY_MPLS_BOS]!);
    if (bos & ~MPLS_BOS_MASK) {
      NL_SET_ERR_MSG_ATTR(extack, tb[F.TCA_FLOWER_KEY_MPLS_BOS]!.offset, 'Bottom Of Stack (BOS) must be 0 or 1');
      return -EINVAL;
    }
    key.mpls_bos = bos;
    mask.mpls_bos = MPLS_BOS_MASK;
    used();
  }
  if (tb[F.TCA_FLOWER_KEY_MPLS_TC]) {
    const tc = nla_get_u8(tb[F.TCA_FLOWER_KEY_MPLS_TC]!);
    if (tc & ~MPLS_TC_MASK) {
      NL_SET_ERR_MSG_ATTR(extack, tb[F.TCA_FLOWER_KEY_MPLS_TC]!.offset, 'Traffic Class (TC) must be between 0 and 7');
      return -EINVAL;
    }
    key.mpls_tc = tc;
    mask.mpls_tc = MPLS_TC_MASK;
    used();
  }
  if (tb[F.TCA_FLOWER_KEY_MPLS_LABEL]) {
    const label = nla_get_u32(tb[F.TCA_FLOWER_KEY_MPLS_LABEL]!);
    if ((label & ~MPLS_LABEL_MASK) >>> 0) {
      NL_SET_ERR_MSG_ATTR(extack, tb[F.TCA_FLOWER_KEY_MPLS_LABEL]!.offset, 'Label must be between 0 and 1048575');
      return -EINVAL;
    }
    key.mpls_label = label;
    mask.mpls_label = MPLS_LABEL_MASK;
    used();
  }
  return 0;
}

// IP_TUNNEL_GENEVE_OPT_BIT as flower stores it in enc_opts.dst_opt_type
const IP_TUNNEL_GENEVE_OPT_BIT = 11;
// cls_flower.c geneve_opt_policy / enc_opts_policy (v6.18)
const geneve_opt_policy: NlaPolicy = {
  [F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS]: { type: NLA_U16 },
  [F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA]: { type: NLA_BINARY, len: 128 },
};
const enc_opts_policy: NlaPolicy = {
  // the formats added after geneve are validated strictly (NLA_F_NESTED required)
  [F.TCA_FLOWER_KEY_ENC_OPTS_UNSPEC]: { strict_start_type: F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN },
  [F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_ENC_OPTS_ERSPAN]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_ENC_OPTS_GTP]: { type: NLA_NESTED },
  [F.TCA_FLOWER_KEY_ENC_OPTS_PFCP]: { type: NLA_NESTED },
};

type EncOpts = NonNullable<FlowKeysExt['enc_opts']>;

/**
 * fl_set_geneve_opt (v6.18): one struct geneve_opt at the end of enc_opts;
 * `nla` undefined means "no mask given": all-ones over the key's length.
 */
function fl_set_geneve_opt(nla: NlAttr | undefined, eo: EncOpts, option_len: number, extack: NetlinkExtAck | null): number {
  const at = eo.len;
  if (at > FLOW_DIS_TUN_OPTS_MAX - 4) return -ERANGE;
  // a mask left out matches the key's option exactly: all ones over its bytes
  eo.data.fill(0xff, at, Math.min(at + 4 + option_len, eo.data.length));
  eo.data[at + 3] = (option_len / 4) & 0x1f;
  if (!nla) return 4 + option_len;
  if (nla.type !== F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE) {
    NL_SET_ERR_MSG(extack, 'Non-geneve option type for mask');
    return -EINVAL;
  }
  const { err, tb } = nla_parse_nested_deprecated(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_MAX, nla, geneve_opt_policy, extack);
  if (err < 0) return err;
  const c = tb[F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS];
  const t = tb[F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE];
  const d = tb[F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA];
  // the key needs all three; a mask may omit any
  if (!option_len && (!c || !t || !d)) {
    NL_SET_ERR_MSG(extack, 'Missing tunnel key geneve option class, type or data');
    return -EINVAL;
  }
  let length = eo.data[at + 3]!;
  if (d) {
    const data_len = d.payload.byteLength;
    if (data_len < 4) {
      NL_SET_ERR_MSG(extack, 'Tunnel key geneve option data is less than 4 bytes long');
      return -ERANGE;
    }
    if (data_len % 4) {
      NL_SET_ERR_MSG(extack, 'Tunnel key geneve option data is not a multiple of 4 bytes long');
      return -ERANGE;
    }
    if (eo.len + 4 + data_len > FLOW_DIS_TUN_OPTS_MAX) {
      NL_SET_ERR_MSG(extack, 'Tunnel options exceeds max size');
      return -ERANGE;
    }
    length = data_len / 4;
    eo.data[at + 3] = length;
    eo.data.set(d.payload, at + 4);
  }
  if (c) {
    eo.data[at] = c.payload[0]!;
    eo.data[at + 1] = c.payload[1]!;
  }
  if (t) eo.data[at + 2] = nla_get_u8(t);
  return length * 4 + 4;
}

// include/uapi/linux/if_tunnel.h IP_TUNNEL_*_OPT_BIT: which option format enc_opts holds
const IP_TUNNEL_VXLAN_OPT_BIT = 12;
const IP_TUNNEL_ERSPAN_OPT_BIT = 14;
const IP_TUNNEL_GTP_OPT_BIT = 15;
const IP_TUNNEL_PFCP_OPT_BIT = 17;
// include/net/vxlan.h VXLAN_GBP_MASK: DONT_LEARN, POLICY_APPLIED and the 16-bit policy id
const VXLAN_GBP_MASK = 0x00400000 | 0x00080000 | 0xffff;
/** sizeof(struct vxlan_metadata), (struct erspan_metadata), (struct gtp_pdu_session_info), (struct pfcp_metadata) */
const VXLAN_MD_LEN = 4;
const ERSPAN_MD_LEN = 12;
const GTP_SINFO_LEN = 2;
const PFCP_MD_LEN = 9;

// cls_flower.c vxlan_opt_policy / erspan_opt_policy / gtp_opt_policy / pfcp_opt_policy (v6.18)
const vxlan_opt_policy: NlaPolicy = { [F.TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP]: { type: NLA_U32 } };
const erspan_opt_policy: NlaPolicy = {
  [F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX]: { type: NLA_U32 },
  [F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID]: { type: NLA_U8 },
};
const gtp_opt_policy: NlaPolicy = {
  [F.TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_OPT_GTP_QFI]: { type: NLA_U8 },
};
const pfcp_opt_policy: NlaPolicy = {
  [F.TCA_FLOWER_KEY_ENC_OPT_PFCP_TYPE]: { type: NLA_U8 },
  [F.TCA_FLOWER_KEY_ENC_OPT_PFCP_SEID]: { type: NLA_U64 },
};

// The option structs sit in enc_opts.data as the kernel lays them out
// (x86-64: host-order ints little-endian, bitfields from the low bit).
function put_le32(d: Uint8Array, at: number, v: number): void {
  for (let i = 0; i < 4; i++) d[at + i] = (v >>> (8 * i)) & 0xff;
}
function get_le32(d: Uint8Array, at: number): number {
  return (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
}
// struct erspan_md2 at u (offset 4): byte 10 holds hwid_upper:2 in bits 0-1, byte 11 holds dir:1 in bit 3 and hwid:4 in bits 4-7
function erspan_set_hwid(d: Uint8Array, at: number, hwid: number): void {
  d[at + 11] = (d[at + 11]! & 0x0f) | ((hwid & 0xf) << 4);
  d[at + 10] = (d[at + 10]! & ~0x03) | ((hwid >> 4) & 0x3);
}
function erspan_get_hwid(d: Uint8Array, at: number): number {
  return ((d[at + 10]! & 0x3) << 4) + (d[at + 11]! >> 4);
}
function erspan_set_dir(d: Uint8Array, at: number, dir: number): void {
  d[at + 11] = (d[at + 11]! & ~0x08) | ((dir & 1) << 3);
}

/**
 * fl_set_vxlan_opt (v6.18): struct vxlan_metadata; key and mask start all
 * ones, the key needs GBP, and only GBP's defined bits are kept.
 */
function fl_set_vxlan_opt(nla: NlAttr | undefined, eo: EncOpts, option_len: number, extack: NetlinkExtAck | null): number {
  const at = eo.len;
  eo.data.fill(0xff, at, at + VXLAN_MD_LEN);
  if (!nla) return VXLAN_MD_LEN;
  if (nla.type !== F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN) {
    NL_SET_ERR_MSG(extack, 'Non-vxlan option type for mask');
    return -EINVAL;
  }
  const { err, tb } = nla_parse_nested(F.TCA_FLOWER_KEY_ENC_OPT_VXLAN_MAX, nla, vxlan_opt_policy, extack);
  if (err < 0) return err;
  const gbp = tb[F.TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP];
  if (!option_len && !gbp) {
    NL_SET_ERR_MSG(extack, 'Missing tunnel key vxlan option gbp');
    return -EINVAL;
  }
  if (gbp) put_le32(eo.data, at, (nla_get_u32(gbp) & VXLAN_GBP_MASK) >>> 0);
  return VXLAN_MD_LEN;
}

/**
 * fl_set_erspan_opt (v6.18): struct erspan_metadata; the version decides
 * whether index (1) or dir and hwid (2) follow, and the key needs them.
 */
function fl_set_erspan_opt(nla: NlAttr | undefined, eo: EncOpts, option_len: number, extack: NetlinkExtAck | null): number {
  const at = eo.len;
  const d = eo.data;
  put_le32(d, at, 1);
  if (!nla) return ERSPAN_MD_LEN;
  if (nla.type !== F.TCA_FLOWER_KEY_ENC_OPTS_ERSPAN) {
    NL_SET_ERR_MSG(extack, 'Non-erspan option type for mask');
    return -EINVAL;
  }
  const { err, tb } = nla_parse_nested(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_MAX, nla, erspan_opt_policy, extack);
  if (err < 0) return err;
  const ver = tb[F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER];
  if (!option_len && !ver) {
    NL_SET_ERR_MSG(extack, 'Missing tunnel key erspan option ver');
    return -EINVAL;
  }
  if (ver) put_le32(d, at, nla_get_u8(ver));
  const version = get_le32(d, at);
  const index = tb[F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX];
  const dir = tb[F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR];
  const hwid = tb[F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID];
  if (fl_erspan_version_branch(version === 1)) {
    if (!option_len && !index) {
      NL_SET_ERR_MSG(extack, 'Missing tunnel key erspan option index');
      return -EINVAL;
    }
    // u.index stays in network order, as sent
    d.fill(0xff, at + 4, at + 8);
    if (index) d.set(index.payload.subarray(0, 4), at + 4);
  } else if (version === 2) {
    if (!option_len && (!dir || !hwid)) {
      NL_SET_ERR_MSG(extack, 'Missing tunnel key erspan option dir or hwid');
      return -EINVAL;
    }
    erspan_set_dir(d, at, dir ? nla_get_u8(dir) : 1);
    erspan_set_hwid(d, at, 0xff);
    if (hwid) erspan_set_hwid(d, at, nla_get_u8(hwid));
  } else {
    NL_SET_ERR_MSG(extack, 'Tunnel key erspan option ver is incorrect');
    return -EINVAL;
  }
  return ERSPAN_MD_LEN;
}

/**
 * fl_set_gtp_opt (v6.18): struct gtp_pdu_session_info; only the mask (called
 * with the key's length) starts all ones. Its texts carry the module prefix.
 */
function fl_set_gtp_opt(nla: NlAttr | undefined, eo: EncOpts, option_len: number, extack: NetlinkExtAck | null): number {
  const at = eo.len;
  eo.data.fill(0xff, at, at + option_len);
  if (!nla) return GTP_SINFO_LEN;
  if (nla.type !== F.TCA_FLOWER_KEY_ENC_OPTS_GTP) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Non-gtp option type for mask');
    return -EINVAL;
  }
  const { err, tb } = nla_parse_nested(F.TCA_FLOWER_KEY_ENC_OPT_GTP_MAX, nla, gtp_opt_policy, extack);
  if (err < 0) return err;
  const pdu_type = tb[F.TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE];
  const qfi = tb[F.TCA_FLOWER_KEY_ENC_OPT_GTP_QFI];
  if (!option_len && (!pdu_type || !qfi)) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Missing tunnel key gtp option pdu type or qfi');
    return -EINVAL;
  }
  if (pdu_type) eo.data[at] = nla_get_u8(pdu_type);
  if (qfi) eo.data[at + 1] = nla_get_u8(qfi);
  return GTP_SINFO_LEN;
}

/** fl_set_pfcp_opt (v6.18): struct pfcp_metadata (packed: u8 type, be64 seid). */
function fl_set_pfcp_opt(nla: NlAttr | undefined, eo: EncOpts, option_len: number, extack: NetlinkExtAck | null): number {
  const at = eo.len;
  eo.data.fill(0xff, at, at + PFCP_MD_LEN);
  if (!nla) return PFCP_MD_LEN;
  if (nla.type !== F.TCA_FLOWER_KEY_ENC_OPTS_PFCP) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Non-pfcp option type for mask');
    return -EINVAL;
  }
  const { err, tb } = nla_parse_nested(F.TCA_FLOWER_KEY_ENC_OPT_PFCP_MAX, nla, pfcp_opt_policy, extack);
  if (err < 0) return err;
  const type = tb[F.TCA_FLOWER_KEY_ENC_OPT_PFCP_TYPE];
  if (!option_len && !type) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Missing tunnel key pfcp option type');
    return -EINVAL;
  }
  if (type) eo.data[at] = nla_get_u8(type);
  const seid = tb[F.TCA_FLOWER_KEY_ENC_OPT_PFCP_SEID];
  if (seid) eo.data.set(seid.payload.subarray(0, 8), at + 1);
  return PFCP_MD_LEN;
}

type EncOptSetter = (nla: NlAttr | undefined, eo: EncOpts, option_len: number, extack: NetlinkExtAck | null) => number;

/** One option format of fl_set_enc_opt's switch: its bit, parser and the texts that name it. */
interface EncOptKind { bit: number; set: EncOptSetter; dup: string; mod: boolean }
const ENC_OPT_KINDS: Record<number, EncOptKind> = {
  [F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE]: {
    bit: IP_TUNNEL_GENEVE_OPT_BIT, dup: 'Duplicate type for geneve options', mod: false,
    // this emulation's fl_set_geneve_opt takes the data length of the key's record
    set: (nla, eo, option_len, extack) => fl_set_geneve_opt(nla, eo, option_len ? option_len - 4 : 0, extack),
  },
  [F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN]: { bit: IP_TUNNEL_VXLAN_OPT_BIT, set: fl_set_vxlan_opt, dup: 'Duplicate type for vxlan options', mod: false },
  [F.TCA_FLOWER_KEY_ENC_OPTS_ERSPAN]: { bit: IP_TUNNEL_ERSPAN_OPT_BIT, set: fl_set_erspan_opt, dup: 'Duplicate type for erspan options', mod: false },
  [F.TCA_FLOWER_KEY_ENC_OPTS_GTP]: { bit: IP_TUNNEL_GTP_OPT_BIT, set: fl_set_gtp_opt, dup: 'Duplicate type for gtp options', mod: true },
  [F.TCA_FLOWER_KEY_ENC_OPTS_PFCP]: { bit: IP_TUNNEL_PFCP_OPT_BIT, set: fl_set_pfcp_opt, dup: 'Duplicate type for pfcp options', mod: true },
};

/**
 * fl_set_enc_opt (v6.18): tunnel options of one format, key and mask walked
 * in step. Geneve options may repeat (the records concatenate); every other
 * format is a single option and may not follow any option at all.
 */
const fl_set_enc_opt = hop('net/sched/cls_flower.c', function fl_set_enc_opt(tb: NlaTb, key: EncOpts, mask: EncOpts,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const kattr = tb[F.TCA_FLOWER_KEY_ENC_OPTS]!;
  let err = nla_parse_nested_deprecated(F.TCA_FLOWER_KEY_ENC_OPTS_MAX, kattr, enc_opts_policy, extack).err;
  if (err) return err;
  let masks: NlAttr[] = [];
  let masks_ok = true;
  const mattr = tb[F.TCA_FLOWER_KEY_ENC_OPTS_MASK];
  if (mattr) {
    err = nla_parse_nested_deprecated(F.TCA_FLOWER_KEY_ENC_OPTS_MAX, mattr, enc_opts_policy, extack).err;
    if (err) return err;
    const w = nla_walk(mattr.payload, mattr.offset + 4);
    masks = w.attrs;
    masks_ok = w.ok;
    if (!masks.length) {
      NL_SET_ERR_MSG(extack, 'Invalid nested attribute for masks');
      return -EINVAL;
    }
  }
  // msk_depth: the mask bytes not yet consumed; an exhausted mask nest means "no mask" for the rest
  let mi = 0;
  for (const opt of nla_walk(kattr.payload, kattr.offset + 4).attrs) {
    const kind = ENC_OPT_KINDS[opt.type];
    if (!kind) {
      NL_SET_ERR_MSG(extack, 'Unknown tunnel option type');
      return -EINVAL;
    }
    const mod = (msg: string): void => (kind.mod ? NL_SET_ERR_MSG_MOD(extack, MODNAME, msg) : NL_SET_ERR_MSG(extack, msg));
    // geneve records may repeat; the other formats allow nothing before them
    if (fl_enc_opt_duplicate(kind.bit === IP_TUNNEL_GENEVE_OPT_BIT
      ? key.dst_opt_type !== 0 && key.dst_opt_type !== IP_TUNNEL_GENEVE_OPT_BIT
      : key.dst_opt_type !== 0)) {
      mod(kind.dup);
      return -EINVAL;
    }
    key.dst_opt_type = kind.bit;
    let option_len = kind.set(opt, key, 0, extack);
    if (option_len < 0) return option_len as NegErrno;
    key.len += option_len;
    // the mask is parsed alongside to check that key and mask lengths agree
    mask.dst_opt_type = kind.bit;
    const msk = mi < masks.length ? masks[mi] : undefined;
    if (!msk && mattr && !masks_ok) {
      NL_SET_ERR_MSG(extack, 'A mask attribute is invalid');
      return -EINVAL;
    }
    option_len = kind.set(msk, mask, option_len, extack);
    if (option_len < 0) return option_len as NegErrno;
    mask.len += option_len;
    if (key.len !== mask.len) {
      mod('Key and mask miss aligned');
      return -EINVAL;
    }
    if (msk) mi++;
  }
  return 0;
}, { input: (tb) => `len=${tb[F.TCA_FLOWER_KEY_ENC_OPTS]!.payload.byteLength}${tb[F.TCA_FLOWER_KEY_ENC_OPTS_MASK] ? ' +mask' : ''}` });

/** fl_dump_key_geneve_opt (v6.18): one GENEVE nest holding CLASS, TYPE, DATA for each option record in turn. */
function fl_dump_key_geneve_opt(b: NlMsgBuilder, eo: EncOpts): void {
  const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE);
  let at = 0;
  while (at < eo.len) {
    b.attr(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS, eo.data.slice(at, at + 2));
    b.u8(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE, eo.data[at + 2]!);
    const dlen = (eo.data[at + 3]! & 0x1f) * 4;
    b.attr(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA, eo.data.slice(at + 4, at + 4 + dlen));
    at += 4 + dlen;
  }
  b.nestEnd(n);
}

/** fl_dump_key_vxlan_opt / _erspan_opt / _gtp_opt / _pfcp_opt (v6.18): the one option record, nests without NLA_F_NESTED. */
function fl_dump_key_single_opt(b: NlMsgBuilder, eo: EncOpts): void {
  const d = eo.data;
  if (eo.dst_opt_type === IP_TUNNEL_VXLAN_OPT_BIT) {
    const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN);
    b.u32(F.TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP, get_le32(d, 0));
    b.nestEnd(n);
  } else if (eo.dst_opt_type === IP_TUNNEL_ERSPAN_OPT_BIT) {
    const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_ERSPAN);
    const version = get_le32(d, 0);
    b.u8(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER, version & 0xff);
    if (version === 1) b.attr(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX, d.slice(4, 8));
    if (version === 2) {
      b.u8(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR, (d[11]! >> 3) & 1);
      b.u8(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID, erspan_get_hwid(d, 0));
    }
    b.nestEnd(n);
  } else if (eo.dst_opt_type === IP_TUNNEL_GTP_OPT_BIT) {
    const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_GTP);
    b.u8(F.TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE, d[0]!);
    b.u8(F.TCA_FLOWER_KEY_ENC_OPT_GTP_QFI, d[1]!);
    b.nestEnd(n);
  } else if (eo.dst_opt_type === IP_TUNNEL_PFCP_OPT_BIT) {
    const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_PFCP);
    b.u8(F.TCA_FLOWER_KEY_ENC_OPT_PFCP_TYPE, d[0]!);
    b.attr(F.TCA_FLOWER_KEY_ENC_OPT_PFCP_SEID, d.slice(1, 9));
    b.nestEnd(n);
  }
}

/** fl_dump_key_options (v6.18) */
function fl_dump_key_options(b: NlMsgBuilder, type: number, eo: EncOpts | undefined): void {
  if (!eo || !eo.len) return;
  const n = b.nestStart(type);
  if (eo.dst_opt_type === IP_TUNNEL_GENEVE_OPT_BIT) fl_dump_key_geneve_opt(b, eo);
  else fl_dump_key_single_opt(b, eo);
  b.nestEnd(n);
}

/** fl_set_key_port_range (v6.18) */
function fl_set_key_port_range(tb: NlaTb, key: FlowKeys, mask: FlowKeys, extack: NetlinkExtAck | null): 0 | NegErrno {
  set_val(tb, F.TCA_FLOWER_KEY_PORT_DST_MIN, F.TCA_FLOWER_UNSPEC, be16, 0xffff, (v, m) => { key.tp_min.dst = v; mask.tp_min.dst = m; });
  set_val(tb, F.TCA_FLOWER_KEY_PORT_DST_MAX, F.TCA_FLOWER_UNSPEC, be16, 0xffff, (v, m) => { key.tp_max.dst = v; mask.tp_max.dst = m; });
  set_val(tb, F.TCA_FLOWER_KEY_PORT_SRC_MIN, F.TCA_FLOWER_UNSPEC, be16, 0xffff, (v, m) => { key.tp_min.src = v; mask.tp_min.src = m; });
  set_val(tb, F.TCA_FLOWER_KEY_PORT_SRC_MAX, F.TCA_FLOWER_UNSPEC, be16, 0xffff, (v, m) => { key.tp_max.src = v; mask.tp_max.src = m; });
  if (mask.tp_min.dst !== mask.tp_max.dst) {
    NL_SET_ERR_MSG(extack, 'Both min and max destination ports must be specified');
    return -EINVAL;
  }
  if (mask.tp_min.src !== mask.tp_max.src) {
    NL_SET_ERR_MSG(extack, 'Both min and max source ports must be specified');
    return -EINVAL;
  }
  if (mask.tp_min.dst && mask.tp_max.dst && key.tp_max.dst <= key.tp_min.dst) {
    NL_SET_ERR_MSG_ATTR(extack, tb[F.TCA_FLOWER_KEY_PORT_DST_MIN]!.offset,
      'Invalid destination port range (min must be strictly smaller than max)');
    return -EINVAL;
  }
  if (mask.tp_min.src && mask.tp_max.src && key.tp_max.src <= key.tp_min.src) {
    NL_SET_ERR_MSG_ATTR(extack, tb[F.TCA_FLOWER_KEY_PORT_SRC_MIN]!.offset,
      'Invalid source port range (min must be strictly smaller than max)');
    return -EINVAL;
  }
  return 0;
}

/**
 * fl_set_key (net/sched/cls_flower.c v6.18): keys in upstream order, each
 * only where its protocol context allows it (ports for the ip_proto, ICMP for
 * the family, ARP for ARP/RARP, IP keys for IPv4/IPv6).
 */
export const fl_set_key = hop('net/sched/cls_flower.c', function fl_set_key(net: Net, tb: NlaTb, fk: FlFlowKey, fm: FlFlowKey,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const key = fk.base;
  const mask = fm.base;
  for (const t of FL_UNMODELLED) if (tb[t]) return -EOPNOTSUPP;
  if (tb[F.TCA_FLOWER_INDEV]) {
    const err = tcf_change_indev(net, tb[F.TCA_FLOWER_INDEV]!, extack);
    if (err < 0) return err;
    key.meta.ingress_ifindex = err;
    mask.meta.ingress_ifindex = 0xffffffff;
  }
  set_bytes(tb, F.TCA_FLOWER_KEY_ETH_DST, F.TCA_FLOWER_KEY_ETH_DST_MASK, ETH_ALEN, key.eth.dst, mask.eth.dst);
  set_bytes(tb, F.TCA_FLOWER_KEY_ETH_SRC, F.TCA_FLOWER_KEY_ETH_SRC_MASK, ETH_ALEN, key.eth.src, mask.eth.src);
  set_val(tb, F.TCA_FLOWER_KEY_NUM_OF_VLANS, F.TCA_FLOWER_UNSPEC, u8, 0xff, (v, m) => {
    fk.ext.num_of_vlans.num_of_vlans = v;
    fm.ext.num_of_vlans.num_of_vlans = m;
  });
  const v1 = is_vlan_key(tb[F.TCA_FLOWER_KEY_ETH_TYPE], fk, fm, 0);
  if (v1.vlan) {
    fl_set_key_vlan(tb, v1.ethertype, F.TCA_FLOWER_KEY_VLAN_ID, F.TCA_FLOWER_KEY_VLAN_PRIO, F.TCA_FLOWER_KEY_VLAN_ETH_TYPE, key.vlan, mask.vlan);
    const v2 = is_vlan_key(tb[F.TCA_FLOWER_KEY_VLAN_ETH_TYPE], fk, fm, 1);
    if (v2.vlan) {
      fl_set_key_vlan(tb, v2.ethertype, F.TCA_FLOWER_KEY_CVLAN_ID, F.TCA_FLOWER_KEY_CVLAN_PRIO, F.TCA_FLOWER_KEY_CVLAN_ETH_TYPE, key.cvlan, mask.cvlan);
      set_val(tb, F.TCA_FLOWER_KEY_CVLAN_ETH_TYPE, F.TCA_FLOWER_UNSPEC, be16, 0xffff, (v, m) => { key.basic.n_proto = v; mask.basic.n_proto = m; });
    }
  }
  // cls_flower.c fl_set_key (v6.18): PPPoE before the IP keys, which may follow from ppp_proto
  if (fl_set_key_pppoe_branch(key.basic.n_proto === ETH_P_PPP_SES)) fl_set_key_pppoe(tb, fk.ext.pppoe!, fm.ext.pppoe!, fk, fm);
  const n_proto = key.basic.n_proto;
  if (n_proto === ETH_P_IP || n_proto === ETH_P_IPV6) {
    set_val(tb, F.TCA_FLOWER_KEY_IP_PROTO, F.TCA_FLOWER_UNSPEC, u8, 0xff, (v, m) => { key.basic.ip_proto = v; mask.basic.ip_proto = m; });
    set_val(tb, F.TCA_FLOWER_KEY_IP_TOS, F.TCA_FLOWER_KEY_IP_TOS_MASK, u8, 0xff, (v, m) => { key.ip.tos = v; mask.ip.tos = m; });
    set_val(tb, F.TCA_FLOWER_KEY_IP_TTL, F.TCA_FLOWER_KEY_IP_TTL_MASK, u8, 0xff, (v, m) => { key.ip.ttl = v; mask.ip.ttl = m; });
  }
  if (tb[F.TCA_FLOWER_KEY_IPV4_SRC] || tb[F.TCA_FLOWER_KEY_IPV4_DST]) {
    key.control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID;
    mask.control.addr_type = 0xffff;
    set_val(tb, F.TCA_FLOWER_KEY_IPV4_SRC, F.TCA_FLOWER_KEY_IPV4_SRC_MASK, be32, 0xffffffff, (v, m) => { key.ipv4.src = v; mask.ipv4.src = m; });
    set_val(tb, F.TCA_FLOWER_KEY_IPV4_DST, F.TCA_FLOWER_KEY_IPV4_DST_MASK, be32, 0xffffffff, (v, m) => { key.ipv4.dst = v; mask.ipv4.dst = m; });
  } else if (tb[F.TCA_FLOWER_KEY_IPV6_SRC] || tb[F.TCA_FLOWER_KEY_IPV6_DST]) {
    key.control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID;
    mask.control.addr_type = 0xffff;
    set_bytes(tb, F.TCA_FLOWER_KEY_IPV6_SRC, F.TCA_FLOWER_KEY_IPV6_SRC_MASK, 16, key.ipv6.src, mask.ipv6.src);
    set_bytes(tb, F.TCA_FLOWER_KEY_IPV6_DST, F.TCA_FLOWER_KEY_IPV6_DST_MASK, 16, key.ipv6.dst, mask.ipv6.dst);
  }
  const ports = (s: number, sm: number, d: number, dm: number): void => {
    set_val(tb, s, sm, be16, 0xffff, (v, m) => { key.tp.src = v; mask.tp.src = m; });
    set_val(tb, d, dm, be16, 0xffff, (v, m) => { key.tp.dst = v; mask.tp.dst = m; });
  };
  const ip_proto = key.basic.ip_proto;
  if (ip_proto === IPPROTO_TCP) {
    ports(F.TCA_FLOWER_KEY_TCP_SRC, F.TCA_FLOWER_KEY_TCP_SRC_MASK, F.TCA_FLOWER_KEY_TCP_DST, F.TCA_FLOWER_KEY_TCP_DST_MASK);
    set_val(tb, F.TCA_FLOWER_KEY_TCP_FLAGS, F.TCA_FLOWER_KEY_TCP_FLAGS_MASK, be16, 0xffff, (v, m) => { key.tcp.flags = v; mask.tcp.flags = m; });
  } else if (ip_proto === IPPROTO_UDP) {
    ports(F.TCA_FLOWER_KEY_UDP_SRC, F.TCA_FLOWER_KEY_UDP_SRC_MASK, F.TCA_FLOWER_KEY_UDP_DST, F.TCA_FLOWER_KEY_UDP_DST_MASK);
  } else if (ip_proto === IPPROTO_SCTP) {
    ports(F.TCA_FLOWER_KEY_SCTP_SRC, F.TCA_FLOWER_KEY_SCTP_SRC_MASK, F.TCA_FLOWER_KEY_SCTP_DST, F.TCA_FLOWER_KEY_SCTP_DST_MASK);
  } else if (n_proto === ETH_P_IP && ip_proto === IPPROTO_ICMP) {
    set_val(tb, F.TCA_FLOWER_KEY_ICMPV4_TYPE, F.TCA_FLOWER_KEY_ICMPV4_TYPE_MASK, u8, 0xff, (v, m) => { key.icmp.type = v; mask.icmp.type = m; });
    set_val(tb, F.TCA_FLOWER_KEY_ICMPV4_CODE, F.TCA_FLOWER_KEY_ICMPV4_CODE_MASK, u8, 0xff, (v, m) => { key.icmp.code = v; mask.icmp.code = m; });
  } else if (n_proto === ETH_P_IPV6 && ip_proto === IPPROTO_ICMPV6) {
    set_val(tb, F.TCA_FLOWER_KEY_ICMPV6_TYPE, F.TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, u8, 0xff, (v, m) => { key.icmp.type = v; mask.icmp.type = m; });
    set_val(tb, F.TCA_FLOWER_KEY_ICMPV6_CODE, F.TCA_FLOWER_KEY_ICMPV6_CODE_MASK, u8, 0xff, (v, m) => { key.icmp.code = v; mask.icmp.code = m; });
  } else if (fl_set_key_mpls_branch(n_proto === ETH_P_MPLS_UC || n_proto === ETH_P_MPLS_MC)) {
    const err = fl_set_key_mpls(tb, fk.ext.mpls!, fm.ext.mpls!, extack);
    if (err) return err;
  } else if (n_proto === ETH_P_ARP || n_proto === ETH_P_RARP) {
    set_val(tb, F.TCA_FLOWER_KEY_ARP_SIP, F.TCA_FLOWER_KEY_ARP_SIP_MASK, be32, 0xffffffff, (v, m) => { key.arp.sip = v; mask.arp.sip = m; });
    set_val(tb, F.TCA_FLOWER_KEY_ARP_TIP, F.TCA_FLOWER_KEY_ARP_TIP_MASK, be32, 0xffffffff, (v, m) => { key.arp.tip = v; mask.arp.tip = m; });
    set_val(tb, F.TCA_FLOWER_KEY_ARP_OP, F.TCA_FLOWER_KEY_ARP_OP_MASK, u8, 0xff, (v, m) => { key.arp.op = v; mask.arp.op = m; });
    set_bytes(tb, F.TCA_FLOWER_KEY_ARP_SHA, F.TCA_FLOWER_KEY_ARP_SHA_MASK, ETH_ALEN, key.arp.sha, mask.arp.sha);
    set_bytes(tb, F.TCA_FLOWER_KEY_ARP_THA, F.TCA_FLOWER_KEY_ARP_THA_MASK, ETH_ALEN, key.arp.tha, mask.arp.tha);
  } else if (fl_set_key_l2tpv3_branch(ip_proto === IPPROTO_L2TP)) {
    // the session id is kept in network order, as sent
    set_val(tb, F.TCA_FLOWER_KEY_L2TPV3_SID, F.TCA_FLOWER_UNSPEC, be32, 0xffffffff, (v, m) => { fk.ext.l2tpv3!.session_id = v; fm.ext.l2tpv3!.session_id = m; });
  }
  if (ip_proto === IPPROTO_TCP || ip_proto === IPPROTO_UDP || ip_proto === IPPROTO_SCTP) {
    const err = fl_set_key_port_range(tb, key, mask, extack);
    if (err) return err;
  }
  const ek = fk.ext;
  const em = fm.ext;
  if (tb[F.TCA_FLOWER_KEY_ENC_IPV4_SRC] || tb[F.TCA_FLOWER_KEY_ENC_IPV4_DST]) {
    ek.enc_control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID;
    em.enc_control.addr_type = 0xffff;
    set_val(tb, F.TCA_FLOWER_KEY_ENC_IPV4_SRC, F.TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, be32, 0xffffffff, (v, m) => { ek.enc_ipv4.src = v; em.enc_ipv4.src = m; });
    set_val(tb, F.TCA_FLOWER_KEY_ENC_IPV4_DST, F.TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, be32, 0xffffffff, (v, m) => { ek.enc_ipv4.dst = v; em.enc_ipv4.dst = m; });
  }
  if (tb[F.TCA_FLOWER_KEY_ENC_IPV6_SRC] || tb[F.TCA_FLOWER_KEY_ENC_IPV6_DST]) {
    ek.enc_control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID;
    em.enc_control.addr_type = 0xffff;
    set_bytes(tb, F.TCA_FLOWER_KEY_ENC_IPV6_SRC, F.TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK, 16, ek.enc_ipv6.src, em.enc_ipv6.src);
    set_bytes(tb, F.TCA_FLOWER_KEY_ENC_IPV6_DST, F.TCA_FLOWER_KEY_ENC_IPV6_DST_MASK, 16, ek.enc_ipv6.dst, em.enc_ipv6.dst);
  }
  set_val(tb, F.TCA_FLOWER_KEY_ENC_KEY_ID, F.TCA_FLOWER_UNSPEC, be32, 0xffffffff, (v, m) => { ek.enc_key_id.keyid = v; em.enc_key_id.keyid = m; });
  set_val(tb, F.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, F.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK, be16, 0xffff, (v, m) => { ek.enc_tp.src = v; em.enc_tp.src = m; });
  set_val(tb, F.TCA_FLOWER_KEY_ENC_UDP_DST_PORT, F.TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, be16, 0xffff, (v, m) => { ek.enc_tp.dst = v; em.enc_tp.dst = m; });
  set_val(tb, F.TCA_FLOWER_KEY_ENC_IP_TOS, F.TCA_FLOWER_KEY_ENC_IP_TOS_MASK, u8, 0xff, (v, m) => { ek.enc_ip.tos = v; em.enc_ip.tos = m; });
  set_val(tb, F.TCA_FLOWER_KEY_ENC_IP_TTL, F.TCA_FLOWER_KEY_ENC_IP_TTL_MASK, u8, 0xff, (v, m) => { ek.enc_ip.ttl = v; em.enc_ip.ttl = m; });
  set_val(tb, F.TCA_FLOWER_KEY_HASH, F.TCA_FLOWER_KEY_HASH_MASK, u32, 0xffffffff, (v, m) => { ek.hash.hash = v; em.hash.hash = m; });
  if (tb[F.TCA_FLOWER_KEY_ENC_OPTS]) {
    const err = fl_set_enc_opt(tb, ek.enc_opts!, em.enc_opts!, extack);
    if (err) return err;
  }
  // fl_set_key_ct: conntrack (zones, mark, labels) is built in on the modelled kernel.
  if (tb[F.TCA_FLOWER_KEY_CT_STATE]) {
    set_val(tb, F.TCA_FLOWER_KEY_CT_STATE, F.TCA_FLOWER_KEY_CT_STATE_MASK, u16, 0xffff, (v, m) => { ek.ct.ct_state = v; em.ct.ct_state = m; });
    const err = fl_validate_ct_state(ek.ct.ct_state & em.ct.ct_state, tb[F.TCA_FLOWER_KEY_CT_STATE_MASK], extack);
    if (err) return err;
  }
  set_val(tb, F.TCA_FLOWER_KEY_CT_ZONE, F.TCA_FLOWER_KEY_CT_ZONE_MASK, u16, 0xffff, (v, m) => { ek.ct.ct_zone = v; em.ct.ct_zone = m; });
  set_val(tb, F.TCA_FLOWER_KEY_CT_MARK, F.TCA_FLOWER_KEY_CT_MARK_MASK, u32, 0xffffffff, (v, m) => { ek.ct.ct_mark = v; em.ct.ct_mark = m; });
  set_bytes(tb, F.TCA_FLOWER_KEY_CT_LABELS, F.TCA_FLOWER_KEY_CT_LABELS_MASK, 16, ek.ct.ct_labels, em.ct.ct_labels);
  if (tb[F.TCA_FLOWER_KEY_FLAGS]) {
    const err = fl_set_key_flags(tb, false, key.control, mask.control, extack);
    if (err) return err;
  }
  // the tunnel header flags (csum, df, oam, crit_opt) of the outer header
  if (tb[F.TCA_FLOWER_KEY_ENC_FLAGS]) return fl_set_key_flags(tb, true, ek.enc_control, em.enc_control, extack);
  return 0;
});

// ----------------------------------------------------------- masks

/** fl_check_assign_mask (v6.18): reuse an identical mask; a replace may not change it. */
const fl_check_assign_mask = hop('net/sched/cls_flower.c', function fl_check_assign_mask(head: ClsFlHead, fnew: ClsFlFilter,
  fold: ClsFlFilter | null, mask: FlFlowKey): 0 | NegErrno {
  const id = key_id(mask);
  const found = head.mask_ht.get(id);
  if (!found) {
    if (fold) return -EINVAL;
    // fl_create_new_mask
    const newmask: FlFlowMask = { key: mask, id, dissector: fl_init_dissector(mask), filters: new ListHead<ClsFlFilter>(), ht: new Map(), refcnt: 1 };
    head.mask_ht.set(id, newmask);
    head.masks.push(newmask);
    fnew.mask = newmask;
    return 0;
  }
  if (fold && fold.mask !== found) return -EINVAL;
  found.refcnt++;
  fnew.mask = found;
  return 0;
});

/** fl_mask_put(): the last filter takes the mask with it; true if it went. */
function fl_mask_put(head: ClsFlHead, mask: FlFlowMask): boolean {
  if (--mask.refcnt > 0) return false;
  head.mask_ht.delete(mask.id);
  const i = head.masks.indexOf(mask);
  if (i >= 0) head.masks.splice(i, 1);
  return true;
}

/** fl_ht_insert_unique(): same masked key under the same mask → -EEXIST (fine when replacing). */
function fl_ht_insert_unique(fnew: ClsFlFilter, fold: ClsFlFilter | null): { err: 0 | NegErrno; in_ht: boolean } {
  const ht = fnew.mask!.ht;
  if (ht.has(fnew.mkey_id)) return { err: fold ? 0 : -EEXIST, in_ht: false };
  ht.set(fnew.mkey_id, fnew);
  return { err: 0, in_ht: true };
}

// ----------------------------------------------------------- offload

function fl_offload(tp: TcfProto, f: ClsFlFilter, command: 0 | 1 | 2, extack: NetlinkExtAck | null): FlowClsOffload {
  const mask = f.mask!;
  return {
    common: tc_cls_common_offload_init(tp, f.flags, extack),
    command,
    use_act_stats: false,
    cookie: f.cookie,
    rule: command === FLOW_CLS_STATS || command === FLOW_CLS_DESTROY ? null : {
      match: {
        dissector: mask.dissector, mask: mask.key.base, key: f.mkey.base,
        ext: { key: f.mkey.ext, mask: mask.key.ext },
      },
      action: { entries: [] },
    },
    stats: flow_stats_zero(),
    classid: f.classid,
  };
}

/** fl_hw_destroy_filter(): FLOW_CLS_DESTROY to every callback; errors ignored. */
export const fl_hw_destroy_filter = hop('net/sched/cls_flower.c', function fl_hw_destroy_filter(tp: TcfProto, f: ClsFlFilter,
  extack: NetlinkExtAck | null): void {
  const cls = fl_offload(tp, f, FLOW_CLS_DESTROY, extack);
  tc_setup_cb_destroy(tp.chain.block, tp, TC_SETUP_CLSFLOWER, cls, false, f);
}, { input: (_tp, f) => `handle=0x${f.handle.toString(16)} cookie=${f.cookie}` });

/**
 * fl_hw_replace_filter (v6.18): action setup failure is an
 * error only with skip_sw; after the callbacks, skip_sw without IN_HW is
 * -EINVAL.
 */
export const fl_hw_replace_filter = hop('net/sched/cls_flower.c', function fl_hw_replace_filter(tp: TcfProto, f: ClsFlFilter,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const skip_sw = fl_hw_replace_filter_skip_sw((f.flags & F.TCA_CLS_FLAGS_SKIP_SW) !== 0);
  const cls = fl_offload(tp, f, FLOW_CLS_REPLACE, extack);
  const err = tc_setup_offload_action(cls.rule!.action, f.exts, cls.common.extack);
  if (err) return skip_sw ? err : 0;
  const e = tc_setup_cb_add(tp.chain.block, tp, TC_SETUP_CLSFLOWER, cls, skip_sw, f);
  if (e) {
    fl_hw_destroy_filter(tp, f, null);
    return e;
  }
  if (skip_sw && !(f.flags & F.TCA_CLS_FLAGS_IN_HW)) return -EINVAL;
  return 0;
}, { input: (_tp, f) => `handle=0x${f.handle.toString(16)} flags=0x${f.flags.toString(16)} cookie=${f.cookie}` });

/** fl_hw_update_stats(): FLOW_CLS_STATS, counters folded into the actions. */
export const fl_hw_update_stats = hop('net/sched/cls_flower.c', function fl_hw_update_stats(tp: TcfProto, f: ClsFlFilter): void {
  const cls = fl_offload(tp, f, FLOW_CLS_STATS, null);
  tc_setup_cb_call(tp.chain.block, TC_SETUP_CLSFLOWER, cls, false);
  tcf_exts_hw_stats_update(f.exts, cls.stats);
}, { input: (_tp, f) => `handle=0x${f.handle.toString(16)} cookie=${f.cookie}` });

function fl_hw_add(tp: TcfProto, type_data: unknown): void {
  const head = fl_head(tp);
  const f = filter_by_cookie(head, (type_data as FlowClsOffload).cookie);
  if (f && !head.hw_filters.has(f.cookie)) head.hw_filters.set(f.cookie, f);
}

function fl_hw_del(tp: TcfProto, type_data: unknown): void {
  const head = fl_head(tp);
  head.hw_filters.delete((type_data as FlowClsOffload).cookie);
}

function filter_by_cookie(head: ClsFlHead, cookie: number): ClsFlFilter | undefined {
  return head.by_cookie.get(cookie) ?? head.hw_filters.get(cookie);
}

/** fl_reoffload (v6.18): replay hw filters to one callback at bind/unbind. */
export const fl_reoffload = hop('net/sched/cls_flower.c', function fl_reoffload(tp: TcfProto, add: boolean, cb: FlowSetupCb, cb_priv: unknown,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const head = fl_head(tp);
  for (const f of [...head.hw_filters.values()].reverse()) {
    if (add && f.deleted) continue;
    const cls = fl_offload(tp, f, add ? FLOW_CLS_REPLACE : FLOW_CLS_DESTROY, extack);
    if (!cls.rule) cls.rule = { match: { dissector: f.mask!.dissector, mask: f.mask!.key.base, key: f.mkey.base }, action: { entries: [] } };
    const err = tc_setup_offload_action(cls.rule.action, f.exts, cls.common.extack);
    if (err) {
      if (f.flags & F.TCA_CLS_FLAGS_SKIP_SW) return err;
      continue;
    }
    const e = tc_setup_cb_reoffload(tp.chain.block, tp, add, cb, TC_SETUP_CLSFLOWER, cls, cb_priv, f);
    if (e) return e;
  }
  return 0;
}, { input: (tp, add) => `${add ? 'add' : 'del'} filters=${fl_head(tp).hw_filters.size}` });

// ----------------------------------------------------------- ops

/** fl_init(): an empty head. */
export const fl_init = hop('net/sched/cls_flower.c', function fl_init(tp: TcfProto): 0 | NegErrno {
  const head: ClsFlHead = { masks: [], mask_ht: new Map(), handle_idr: new Idr(1), hw_filters: new Map(), pending: [], by_cookie: new Map() };
  tp.root = head;
  return 0;
});

/** fl_get(): IDR lookup (handle 0 never matches). */
export const fl_get = hop('net/sched/cls_flower.c', function fl_get(tp: TcfProto, handle: number): ClsFlFilter | null {
  return fl_head(tp).handle_idr.get(handle) ?? null;
}, { input: (_tp, h) => `handle=0x${h.toString(16)}`, result: (f) => (f ? 'found' : 'NULL') });

function tc_flags_valid(flags: number): boolean {
  if (flags & ~(F.TCA_CLS_FLAGS_SKIP_HW | F.TCA_CLS_FLAGS_SKIP_SW | F.TCA_CLS_FLAGS_VERBOSE)) return false;
  flags &= F.TCA_CLS_FLAGS_SKIP_HW | F.TCA_CLS_FLAGS_SKIP_SW;
  if (!(flags ^ (F.TCA_CLS_FLAGS_SKIP_HW | F.TCA_CLS_FLAGS_SKIP_SW))) return false;
  return true;
}

/** idr_alloc_u32 in [start, max]: the lowest free id, or -ENOSPC. */
function idr_alloc(idr: Idr<ClsFlFilter | null>, start: number, max: number): number | NegErrno {
  return idr.lowest_free(start, max) ?? -ENOSPC;
}

/**
 * fl_change (net/sched/cls_flower.c v6.18): policy parse with
 * no extack, tc_flags_valid, handle reserved, actions, keys, mask assign,
 * masked-key uniqueness, hardware, then publish (or swap with the old filter).
 * Every failure after the hardware step destroys the new instance in HW again.
 */
export const fl_change = hop('net/sched/cls_flower.c', function fl_change(net: Net, _skb: NetlinkSkb, tp: TcfProto, base: number, handle: number,
  tca: NlaTb, foldp: unknown | null, flags: number, extack: NetlinkExtAck): { err: 0 | NegErrno; fh: unknown } {
  const head = fl_head(tp);
  const fold = foldp as ClsFlFilter | null;
  const fail = (err: NegErrno): { err: NegErrno; fh: null } => ({ err, fh: null });
  const tca_opts = tca[TCA_OPTIONS];
  if (!tca_opts) return fail(-EINVAL);
  // flower parses its options with a NULL extack: policy errors carry no message.
  const { err: perr, tb } = nla_parse_nested_deprecated(F.TCA_FLOWER_MAX, tca_opts, fl_policy, null);
  if (perr < 0) return fail(perr);
  if (fold && handle && fold.handle !== handle) return fail(-EINVAL);
  const key = fl_key_zero();
  const fnew: ClsFlFilter = {
    // mkey is set once the mask is known; until then it is never read.
    mask: null, key, mkey: key, mkey_id: '', exts: tcf_exts_init_ex(net, 0), classid: 0,
    handle: 0, flags: 0, in_hw_count: 0, deleted: false, cookie: fl_next_cookie(net),
  };
  if (tb[F.TCA_FLOWER_FLAGS]) {
    fnew.flags = nla_get_u32(tb[F.TCA_FLOWER_FLAGS]!);
    if (!tc_flags_valid(fnew.flags)) return fail(-EINVAL);
  }
  if (!fold) {
    let h: number | NegErrno;
    if (!handle) h = idr_alloc(head.handle_idr, 1, 0x7fffffff);
    else {
      h = idr_alloc(head.handle_idr, handle, handle);
      // Concurrently inserted: let cls_api replay and find it.
      if (h === -ENOSPC) h = -EAGAIN;
    }
    if (h < 0) return fail(h);
    handle = h;
    head.handle_idr.set(handle, null);
  }
  fnew.handle = handle;
  const release_idr = (): void => {
    head.by_cookie.delete(fnew.cookie);
    if (!fold) head.handle_idr.delete(fnew.handle);
    tcf_exts_destroy(fnew.exts);
  };
  fnew.exts = tcf_exts_init_ex(net, F.TCA_FLOWER_ACT);
  // cls_flower.c fl_set_parms (v6.18): the filter's TCA_RATE becomes each action's estimator
  let err = tcf_exts_validate_ex(net, tp, tb, fnew.exts, flags, fnew.flags, extack, tca[TCA_RATE]);
  if (err < 0) {
    release_idr();
    return fail(err);
  }
  if (tb[F.TCA_FLOWER_CLASSID]) fnew.classid = nla_get_u32(tb[F.TCA_FLOWER_CLASSID]!);
  const mask = fl_key_zero();
  err = fl_set_key(net, tb, fnew.key, mask, extack);
  if (err) {
    release_idr();
    return fail(err);
  }
  const tmplt = tp.chain.tmplt_priv as { mask: FlFlowKey } | null;
  if (tmplt && !fl_mask_fits_tmplt(tmplt.mask, mask)) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Mask does not fit the template');
    release_idr();
    return fail(-EINVAL);
  }
  err = fl_check_assign_mask(head, fnew, fold, mask);
  if (err) {
    release_idr();
    return fail(err);
  }
  // Against the head's copy of the mask (equal to `mask`), whose objects the keys may share.
  const mk = fl_set_masked_key(fnew.key, fnew.mask!.key);
  fnew.mkey = mk.mkey;
  fnew.mkey_id = mk.mkey_id;
  fnew.key = mk.key;
  const ins = fl_ht_insert_unique(fnew, fold);
  let in_ht = ins.in_ht;
  const errout_hw = (e: NegErrno): { err: NegErrno; fh: null } => {
    fnew.deleted = true;
    if (!(fnew.flags & F.TCA_CLS_FLAGS_SKIP_HW)) fl_hw_destroy_filter(tp, fnew, null);
    if (in_ht) fnew.mask!.ht.delete(fnew.mkey_id);
    fl_mask_put(head, fnew.mask!);
    release_idr();
    return fail(e);
  };
  if (ins.err) {
    fl_mask_put(head, fnew.mask!);
    release_idr();
    return fail(ins.err);
  }
  head.pending.push(fnew);
  head.by_cookie.set(fnew.cookie, fnew);
  try {
    if (!fl_change_skip_hw((fnew.flags & F.TCA_CLS_FLAGS_SKIP_HW) !== 0)) {
      err = fl_hw_replace_filter(tp, fnew, extack);
      if (err) return errout_hw(err);
    }
  } finally {
    head.pending.splice(head.pending.indexOf(fnew), 1);
  }
  if (!(fnew.flags & F.TCA_CLS_FLAGS_IN_HW)) fnew.flags |= F.TCA_CLS_FLAGS_NOT_IN_HW;
  // tcf_proto_update_usesw
  if (!((fnew.flags & F.TCA_CLS_FLAGS_SKIP_SW) && (fnew.flags & F.TCA_CLS_FLAGS_IN_HW))) tp.usesw = true;
  if (tp.deleting) return errout_hw(-EAGAIN);
  if (fold) {
    if (fold.deleted) return errout_hw(-EAGAIN);
    if (!in_ht) {
      fnew.mask!.ht.set(fnew.mkey_id, fnew);
      in_ht = true;
    }
    if (fold.mask!.ht.get(fold.mkey_id) === fold) fold.mask!.ht.delete(fold.mkey_id);
    // Keep fnew in the mask's map even when the masked keys are equal.
    fnew.mask!.ht.set(fnew.mkey_id, fnew);
    head.handle_idr.set(fnew.handle, fnew);
    fold.mask!.filters.replace(fold, fnew);
    fold.deleted = true;
    fl_mask_put(head, fold.mask!);
    if (!(fold.flags & F.TCA_CLS_FLAGS_SKIP_HW)) fl_hw_destroy_filter(tp, fold, null);
    head.by_cookie.delete(fold.cookie);
    tcf_exts_destroy(fold.exts);
  } else {
    head.handle_idr.set(fnew.handle, fnew);
    fnew.mask!.filters.add_tail(fnew);
  }
  void base;
  return { err: 0, fh: fnew };
}, { input: (_n, _s, tp, _b, handle, _t, fold) => `pref ${tp.prio >>> 16} handle=0x${handle.toString(16)}${fold ? ' (replace)' : ''}`, errno: (r) => r.err });

/** fl_mask_fits_tmplt(): the mask sets no bit the template does not. */
function fl_mask_fits_tmplt(tmplt: FlFlowKey, mask: FlFlowKey): boolean {
  const fits = (m: Plain, t: Plain): boolean => {
    if (typeof m === 'number') return ((m & ~(t as number)) >>> 0) === 0;
    if (m instanceof Uint8Array) return m.every((b, i) => (b & ~(t as Uint8Array)[i]!) === 0);
    return Object.keys(m).every((k) => fits(m[k]!, (t as { [k: string]: Plain })[k]!));
  };
  return fits(mask as unknown as Plain, tmplt as unknown as Plain);
}

/** __fl_delete (v6.18): unlink, drop the mask, destroy in HW unless skip_hw. */
function __fl_delete(tp: TcfProto, f: ClsFlFilter, extack: NetlinkExtAck | null): { err: 0 | NegErrno; last_on_mask: boolean } {
  const head = fl_head(tp);
  if (f.deleted) return { err: -ENOENT, last_on_mask: false };
  f.deleted = true;
  const mask = f.mask!;
  if (mask.ht.get(f.mkey_id) === f) mask.ht.delete(f.mkey_id);
  head.handle_idr.delete(f.handle);
  mask.filters.del(f);
  const last_on_mask = fl_mask_put(head, mask);
  if (!(f.flags & F.TCA_CLS_FLAGS_SKIP_HW)) fl_hw_destroy_filter(tp, f, extack);
  head.by_cookie.delete(f.cookie);
  tcf_exts_destroy(f.exts);
  return { err: 0, last_on_mask };
}

/** fl_delete(): `last` when no masks remain on the head. */
export const fl_delete = hop('net/sched/cls_flower.c', function fl_delete(tp: TcfProto, fh: unknown, extack: NetlinkExtAck | null):
  { err: 0 | NegErrno; last: boolean } {
  const r = __fl_delete(tp, fh as ClsFlFilter, extack);
  return { err: r.err, last: fl_head(tp).masks.length === 0 };
}, { input: (_tp, fh) => `handle=0x${(fh as ClsFlFilter).handle.toString(16)}`, errno: (r) => r.err });

/** fl_destroy(): every filter deleted (with HW destroy), then the head. */
export const fl_destroy = hop('net/sched/cls_flower.c', function fl_destroy(tp: TcfProto, extack: NetlinkExtAck | null): void {
  const head = fl_head(tp);
  for (const mask of [...head.masks]) for (const f of mask.filters.toArray()) __fl_delete(tp, f, extack);
  head.handle_idr.clear();
}, { input: (tp) => `pref ${tp.prio >>> 16}` });

function fl_delete_empty(tp: TcfProto): boolean {
  const head = fl_head(tp);
  tp.deleting = head.handle_idr.size === 0;
  return tp.deleting;
}

/** fl_walk(): filters in handle order. */
export const fl_walk = hop('net/sched/cls_flower.c', function fl_walk(tp: TcfProto, arg: TcfWalker): void {
  const head = fl_head(tp);
  arg.count = arg.skip;
  const handles = head.handle_idr.ids_from(arg.cookie);
  for (const h of handles) {
    const f = head.handle_idr.get(h);
    if (!f || f.deleted) continue;
    if (arg.fn(tp, f, arg) < 0) {
      arg.stop = true;
      arg.cookie = h;
      break;
    }
    arg.count++;
  }
});

// ----------------------------------------------------------- dump

function put_be16(b: NlMsgBuilder, t: number, v: number): void { b.be16(t, v); }
function put_be32(b: NlMsgBuilder, t: number, v: number): void { b.be32(t, v); }
function put_u8(b: NlMsgBuilder, t: number, v: number): void { b.u8(t, v); }
function put_u16(b: NlMsgBuilder, t: number, v: number): void { b.u16(t, v); }
function put_u32(b: NlMsgBuilder, t: number, v: number): void { b.u32(t, v); }

/** fl_dump_key_val(): value (and mask attribute, if any) when the mask is non-zero. */
function dump_val(b: NlMsgBuilder, put: (b: NlMsgBuilder, t: number, v: number) => void, v: number, vt: number, m: number, mt: number): void {
  if (!m) return;
  put(b, vt, v);
  if (mt !== F.TCA_FLOWER_UNSPEC) put(b, mt, m);
}

function dump_bytes(b: NlMsgBuilder, v: Uint8Array, vt: number, m: Uint8Array, mt: number): void {
  if (!m.some((x) => x)) return;
  b.attr(vt, v);
  if (mt !== F.TCA_FLOWER_UNSPEC) b.attr(mt, m);
}

/** fl_dump_key_flags (v6.18): the flags back as TCA_FLOWER_KEY_FLAGS_* bits, when any is masked. */
function dump_flags(b: NlMsgBuilder, encap: boolean, key: number, mask: number): void {
  if (!mask) return;
  let k = 0;
  let m = 0;
  for (const [fbit, dbit] of FL_KEY_FLAG_BITS) {
    if (mask & dbit) {
      m |= fbit;
      if (key & dbit) k |= fbit;
    }
  }
  b.be32(encap ? F.TCA_FLOWER_KEY_ENC_FLAGS : F.TCA_FLOWER_KEY_FLAGS, k);
  b.be32(encap ? F.TCA_FLOWER_KEY_ENC_FLAGS_MASK : F.TCA_FLOWER_KEY_FLAGS_MASK, m);
}

function dump_vlan(b: NlMsgBuilder, id_t: number, prio_t: number, k: FlowKeys['vlan'], m: FlowKeys['vlan']): void {
  if (m.vlan_id) b.u16(id_t, k.vlan_id);
  if (m.vlan_priority) b.u8(prio_t, k.vlan_priority);
}

/** fl_dump_key_mpls_opt_lse (v6.18): depth, then the masked fields (label as u32). */
function fl_dump_key_mpls_opt_lse(b: NlMsgBuilder, mk: FlowDissectorKeyMpls, mm: FlowDissectorKeyMpls, lse_index: number): void {
  const lk = mpls_lse(mk, lse_index);
  const lm = mpls_lse(mm, lse_index);
  b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH, lse_index + 1);
  if (lm.mpls_ttl) b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL, lk.mpls_ttl);
  if (lm.mpls_bos) b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS, lk.mpls_bos);
  if (lm.mpls_tc) b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TC, lk.mpls_tc);
  if (lm.mpls_label) b.u32(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL, lk.mpls_label);
}

/**
 * fl_dump_key_mpls (v6.18): the flat attributes when the rule only uses the
 * first entry with some field set (backward compatible), else the nested form.
 */
function fl_dump_key_mpls(b: NlMsgBuilder, mk: FlowDissectorKeyMpls, mm: FlowDissectorKeyMpls): void {
  if (!mm.used_lses) return;
  if (fl_dump_key_mpls_opts_branch((mm.used_lses & ~1) !== 0 || (!mm.mpls_ttl && !mm.mpls_bos && !mm.mpls_tc && !mm.mpls_label))) {
    // fl_dump_key_mpls_opts: one nested entry per used depth, in depth order
    const opts = b.nestStart(F.TCA_FLOWER_KEY_MPLS_OPTS | NLA_F_NESTED); // nla_nest_start sets NLA_F_NESTED
    for (let i = 0; i < FLOW_DIS_MPLS_MAX; i++) {
      if (!(mm.used_lses & (1 << i))) continue;
      const lse = b.nestStart(F.TCA_FLOWER_KEY_MPLS_OPTS_LSE | NLA_F_NESTED);
      fl_dump_key_mpls_opt_lse(b, mk, mm, i);
      b.nestEnd(lse);
    }
    b.nestEnd(opts);
    return;
  }
  if (mm.mpls_ttl) b.u8(F.TCA_FLOWER_KEY_MPLS_TTL, mk.mpls_ttl);
  if (mm.mpls_tc) b.u8(F.TCA_FLOWER_KEY_MPLS_TC, mk.mpls_tc);
  if (mm.mpls_label) b.u32(F.TCA_FLOWER_KEY_MPLS_LABEL, mk.mpls_label);
  if (mm.mpls_bos) b.u8(F.TCA_FLOWER_KEY_MPLS_BOS, mk.mpls_bos);
}

/** fl_dump_key (v6.18): the keys in upstream order. */
function fl_dump_key(b: NlMsgBuilder, net: Net, fk: FlFlowKey, fm: FlFlowKey): void {
  const key = fk.base;
  const mask = fm.base;
  if (mask.meta.ingress_ifindex) {
    const dev = net.dev_by_index.get(key.meta.ingress_ifindex);
    if (dev) b.string(F.TCA_FLOWER_INDEV, dev.name);
  }
  dump_bytes(b, key.eth.dst, F.TCA_FLOWER_KEY_ETH_DST, mask.eth.dst, F.TCA_FLOWER_KEY_ETH_DST_MASK);
  dump_bytes(b, key.eth.src, F.TCA_FLOWER_KEY_ETH_SRC, mask.eth.src, F.TCA_FLOWER_KEY_ETH_SRC_MASK);
  dump_val(b, put_be16, key.basic.n_proto, F.TCA_FLOWER_KEY_ETH_TYPE, mask.basic.n_proto, F.TCA_FLOWER_UNSPEC);
  const mk = fk.ext.mpls;
  const mm = fm.ext.mpls;
  if (mk && mm) fl_dump_key_mpls(b, mk, mm);
  if (fm.ext.num_of_vlans.num_of_vlans) b.u8(F.TCA_FLOWER_KEY_NUM_OF_VLANS, fk.ext.num_of_vlans.num_of_vlans);
  dump_vlan(b, F.TCA_FLOWER_KEY_VLAN_ID, F.TCA_FLOWER_KEY_VLAN_PRIO, key.vlan, mask.vlan);
  dump_vlan(b, F.TCA_FLOWER_KEY_CVLAN_ID, F.TCA_FLOWER_KEY_CVLAN_PRIO, key.cvlan, mask.cvlan);
  if (mask.cvlan.vlan_tpid) b.be16(F.TCA_FLOWER_KEY_VLAN_ETH_TYPE, key.cvlan.vlan_tpid);
  if (mask.basic.n_proto) {
    if (mask.cvlan.vlan_eth_type) b.be16(F.TCA_FLOWER_KEY_CVLAN_ETH_TYPE, key.basic.n_proto);
    else if (mask.vlan.vlan_eth_type) b.be16(F.TCA_FLOWER_KEY_VLAN_ETH_TYPE, key.vlan.vlan_eth_type);
  }
  if (key.basic.n_proto === ETH_P_IP || key.basic.n_proto === ETH_P_IPV6) {
    dump_val(b, put_u8, key.basic.ip_proto, F.TCA_FLOWER_KEY_IP_PROTO, mask.basic.ip_proto, F.TCA_FLOWER_UNSPEC);
    dump_val(b, put_u8, key.ip.tos, F.TCA_FLOWER_KEY_IP_TOS, mask.ip.tos, F.TCA_FLOWER_KEY_IP_TOS_MASK);
    dump_val(b, put_u8, key.ip.ttl, F.TCA_FLOWER_KEY_IP_TTL, mask.ip.ttl, F.TCA_FLOWER_KEY_IP_TTL_MASK);
  }
  const pk = fk.ext.pppoe;
  const pm = fm.ext.pppoe;
  if (pk && pm) {
    if (pm.session_id) b.be16(F.TCA_FLOWER_KEY_PPPOE_SID, pk.session_id);
    // only while the ethertype still says PPPoE or names the inner protocol
    if (mask.basic.n_proto && pm.ppp_proto) b.be16(F.TCA_FLOWER_KEY_PPP_PROTO, pk.ppp_proto);
  }
  if (key.control.addr_type === FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID) {
    dump_val(b, put_be32, key.ipv4.src, F.TCA_FLOWER_KEY_IPV4_SRC, mask.ipv4.src, F.TCA_FLOWER_KEY_IPV4_SRC_MASK);
    dump_val(b, put_be32, key.ipv4.dst, F.TCA_FLOWER_KEY_IPV4_DST, mask.ipv4.dst, F.TCA_FLOWER_KEY_IPV4_DST_MASK);
  } else if (key.control.addr_type === FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID) {
    dump_bytes(b, key.ipv6.src, F.TCA_FLOWER_KEY_IPV6_SRC, mask.ipv6.src, F.TCA_FLOWER_KEY_IPV6_SRC_MASK);
    dump_bytes(b, key.ipv6.dst, F.TCA_FLOWER_KEY_IPV6_DST, mask.ipv6.dst, F.TCA_FLOWER_KEY_IPV6_DST_MASK);
  }
  const ip_proto = key.basic.ip_proto;
  const ports = (s: number, sm: number, d: number, dm: number): void => {
    dump_val(b, put_be16, key.tp.src, s, mask.tp.src, sm);
    dump_val(b, put_be16, key.tp.dst, d, mask.tp.dst, dm);
  };
  if (ip_proto === IPPROTO_TCP) {
    ports(F.TCA_FLOWER_KEY_TCP_SRC, F.TCA_FLOWER_KEY_TCP_SRC_MASK, F.TCA_FLOWER_KEY_TCP_DST, F.TCA_FLOWER_KEY_TCP_DST_MASK);
    dump_val(b, put_be16, key.tcp.flags, F.TCA_FLOWER_KEY_TCP_FLAGS, mask.tcp.flags, F.TCA_FLOWER_KEY_TCP_FLAGS_MASK);
  } else if (ip_proto === IPPROTO_UDP) {
    ports(F.TCA_FLOWER_KEY_UDP_SRC, F.TCA_FLOWER_KEY_UDP_SRC_MASK, F.TCA_FLOWER_KEY_UDP_DST, F.TCA_FLOWER_KEY_UDP_DST_MASK);
  } else if (ip_proto === IPPROTO_SCTP) {
    ports(F.TCA_FLOWER_KEY_SCTP_SRC, F.TCA_FLOWER_KEY_SCTP_SRC_MASK, F.TCA_FLOWER_KEY_SCTP_DST, F.TCA_FLOWER_KEY_SCTP_DST_MASK);
  } else if (key.basic.n_proto === ETH_P_IP && ip_proto === IPPROTO_ICMP) {
    dump_val(b, put_u8, key.icmp.type, F.TCA_FLOWER_KEY_ICMPV4_TYPE, mask.icmp.type, F.TCA_FLOWER_KEY_ICMPV4_TYPE_MASK);
    dump_val(b, put_u8, key.icmp.code, F.TCA_FLOWER_KEY_ICMPV4_CODE, mask.icmp.code, F.TCA_FLOWER_KEY_ICMPV4_CODE_MASK);
  } else if (key.basic.n_proto === ETH_P_IPV6 && ip_proto === IPPROTO_ICMPV6) {
    dump_val(b, put_u8, key.icmp.type, F.TCA_FLOWER_KEY_ICMPV6_TYPE, mask.icmp.type, F.TCA_FLOWER_KEY_ICMPV6_TYPE_MASK);
    dump_val(b, put_u8, key.icmp.code, F.TCA_FLOWER_KEY_ICMPV6_CODE, mask.icmp.code, F.TCA_FLOWER_KEY_ICMPV6_CODE_MASK);
  } else if (key.basic.n_proto === ETH_P_ARP || key.basic.n_proto === ETH_P_RARP) {
    dump_val(b, put_be32, key.arp.sip, F.TCA_FLOWER_KEY_ARP_SIP, mask.arp.sip, F.TCA_FLOWER_KEY_ARP_SIP_MASK);
    dump_val(b, put_be32, key.arp.tip, F.TCA_FLOWER_KEY_ARP_TIP, mask.arp.tip, F.TCA_FLOWER_KEY_ARP_TIP_MASK);
    dump_val(b, put_u8, key.arp.op, F.TCA_FLOWER_KEY_ARP_OP, mask.arp.op, F.TCA_FLOWER_KEY_ARP_OP_MASK);
    dump_bytes(b, key.arp.sha, F.TCA_FLOWER_KEY_ARP_SHA, mask.arp.sha, F.TCA_FLOWER_KEY_ARP_SHA_MASK);
    dump_bytes(b, key.arp.tha, F.TCA_FLOWER_KEY_ARP_THA, mask.arp.tha, F.TCA_FLOWER_KEY_ARP_THA_MASK);
  } else if (ip_proto === IPPROTO_L2TP && fk.ext.l2tpv3 && fm.ext.l2tpv3) {
    dump_val(b, put_be32, fk.ext.l2tpv3.session_id, F.TCA_FLOWER_KEY_L2TPV3_SID, fm.ext.l2tpv3.session_id, F.TCA_FLOWER_UNSPEC);
  }
  if (ip_proto === IPPROTO_TCP || ip_proto === IPPROTO_UDP || ip_proto === IPPROTO_SCTP) {
    dump_val(b, put_be16, key.tp_min.dst, F.TCA_FLOWER_KEY_PORT_DST_MIN, mask.tp_min.dst, F.TCA_FLOWER_UNSPEC);
    dump_val(b, put_be16, key.tp_max.dst, F.TCA_FLOWER_KEY_PORT_DST_MAX, mask.tp_max.dst, F.TCA_FLOWER_UNSPEC);
    dump_val(b, put_be16, key.tp_min.src, F.TCA_FLOWER_KEY_PORT_SRC_MIN, mask.tp_min.src, F.TCA_FLOWER_UNSPEC);
    dump_val(b, put_be16, key.tp_max.src, F.TCA_FLOWER_KEY_PORT_SRC_MAX, mask.tp_max.src, F.TCA_FLOWER_UNSPEC);
  }
  const ek = fk.ext;
  const em = fm.ext;
  if (ek.enc_control.addr_type === FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID) {
    dump_val(b, put_be32, ek.enc_ipv4.src, F.TCA_FLOWER_KEY_ENC_IPV4_SRC, em.enc_ipv4.src, F.TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK);
    dump_val(b, put_be32, ek.enc_ipv4.dst, F.TCA_FLOWER_KEY_ENC_IPV4_DST, em.enc_ipv4.dst, F.TCA_FLOWER_KEY_ENC_IPV4_DST_MASK);
  } else if (ek.enc_control.addr_type === FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID) {
    dump_bytes(b, ek.enc_ipv6.src, F.TCA_FLOWER_KEY_ENC_IPV6_SRC, em.enc_ipv6.src, F.TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK);
    dump_bytes(b, ek.enc_ipv6.dst, F.TCA_FLOWER_KEY_ENC_IPV6_DST, em.enc_ipv6.dst, F.TCA_FLOWER_KEY_ENC_IPV6_DST_MASK);
  }
  dump_val(b, put_be32, ek.enc_key_id.keyid, F.TCA_FLOWER_KEY_ENC_KEY_ID, em.enc_key_id.keyid, F.TCA_FLOWER_UNSPEC);
  dump_val(b, put_be16, ek.enc_tp.src, F.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT, em.enc_tp.src, F.TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK);
  dump_val(b, put_be16, ek.enc_tp.dst, F.TCA_FLOWER_KEY_ENC_UDP_DST_PORT, em.enc_tp.dst, F.TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK);
  dump_val(b, put_u8, ek.enc_ip.tos, F.TCA_FLOWER_KEY_ENC_IP_TOS, em.enc_ip.tos, F.TCA_FLOWER_KEY_ENC_IP_TOS_MASK);
  dump_val(b, put_u8, ek.enc_ip.ttl, F.TCA_FLOWER_KEY_ENC_IP_TTL, em.enc_ip.ttl, F.TCA_FLOWER_KEY_ENC_IP_TTL_MASK);
  fl_dump_key_options(b, F.TCA_FLOWER_KEY_ENC_OPTS, ek.enc_opts);
  fl_dump_key_options(b, F.TCA_FLOWER_KEY_ENC_OPTS_MASK, em.enc_opts);
  dump_val(b, put_u16, ek.ct.ct_state, F.TCA_FLOWER_KEY_CT_STATE, em.ct.ct_state, F.TCA_FLOWER_KEY_CT_STATE_MASK);
  dump_val(b, put_u16, ek.ct.ct_zone, F.TCA_FLOWER_KEY_CT_ZONE, em.ct.ct_zone, F.TCA_FLOWER_KEY_CT_ZONE_MASK);
  dump_val(b, put_u32, ek.ct.ct_mark, F.TCA_FLOWER_KEY_CT_MARK, em.ct.ct_mark, F.TCA_FLOWER_KEY_CT_MARK_MASK);
  dump_bytes(b, ek.ct.ct_labels, F.TCA_FLOWER_KEY_CT_LABELS, em.ct.ct_labels, F.TCA_FLOWER_KEY_CT_LABELS_MASK);
  dump_flags(b, false, key.control.flags, mask.control.flags);
  dump_val(b, put_u32, ek.hash.hash, F.TCA_FLOWER_KEY_HASH, em.hash.hash, F.TCA_FLOWER_KEY_HASH_MASK);
  dump_flags(b, true, ek.enc_control.flags, em.enc_control.flags);
}

/**
 * fl_dump (v6.18): handle, keys, FLAGS only when non-zero, a HW stats
 * refresh unless skip_hw, IN_HW_COUNT, then the actions.
 */
export const fl_dump = hop('net/sched/cls_flower.c', function fl_dump(net: Net, tp: TcfProto, fh: unknown, b: NlMsgBuilder, t: TcMsg): number {
  const f = fh as ClsFlFilter;
  t.tcm_handle = f.handle;
  const nest = b.nestStart(TCA_OPTIONS);
  if (f.classid) b.u32(F.TCA_FLOWER_CLASSID, f.classid);
  fl_dump_key(b, net, f.key, f.mask!.key);
  if (f.flags) b.u32(F.TCA_FLOWER_FLAGS, f.flags);
  if (!(f.flags & F.TCA_CLS_FLAGS_SKIP_HW)) fl_hw_update_stats(tp, f);
  b.u32(F.TCA_FLOWER_IN_HW_COUNT, f.in_hw_count);
  const err = tcf_exts_dump(b, f.exts);
  b.nestEnd(nest);
  return err < 0 ? -1 : b.length;
}, { input: (_n, _tp, fh) => `handle=0x${(fh as ClsFlFilter).handle.toString(16)}`, result: (r) => (r < 0 ? String(r) : 'ok') });

/** fl_terse_dump(): handle, flags, stats refresh and terse actions only. */
export const fl_terse_dump = hop('net/sched/cls_flower.c', function fl_terse_dump(_net: Net, tp: TcfProto, fh: unknown, b: NlMsgBuilder, t: TcMsg): number {
  const f = fh as ClsFlFilter;
  t.tcm_handle = f.handle;
  const nest = b.nestStart(TCA_OPTIONS);
  if (f.flags) b.u32(F.TCA_FLOWER_FLAGS, f.flags);
  if (!(f.flags & F.TCA_CLS_FLAGS_SKIP_HW)) fl_hw_update_stats(tp, f);
  const err = tcf_exts_dump(b, f.exts, true);
  b.nestEnd(nest);
  return err < 0 ? -1 : b.length;
}, { input: (_n, _tp, fh) => `handle=0x${(fh as ClsFlFilter).handle.toString(16)}`, result: (r) => (r < 0 ? String(r) : 'ok') });

// ----------------------------------------------------------- views

function ip4(v: number): string {
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}
function prefix(m: number): string {
  let n = 0;
  for (let i = 31; i >= 0 && (m >>> i) & 1; i--) n++;
  return ((m >>> 0) === (n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0)) ? (n === 32 ? '' : `/${n}`) : `/${ip4(m)}`;
}
function mac(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
function hex16(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** A one-line summary in `tc filter show` key order (for specs and reports). */
export function fl_keys_summary(fk: FlFlowKey, fm: FlFlowKey): string {
  const k = fk.base;
  const m = fm.base;
  const out: string[] = [];
  if (m.meta.ingress_ifindex) out.push(`indev ifindex ${k.meta.ingress_ifindex}`);
  if (m.vlan.vlan_id) out.push(`vlan_id ${k.vlan.vlan_id}`);
  if (m.vlan.vlan_priority) out.push(`vlan_prio ${k.vlan.vlan_priority}`);
  if (m.vlan.vlan_eth_type) out.push(`vlan_ethtype 0x${k.vlan.vlan_eth_type.toString(16).padStart(4, '0')}`);
  if (m.cvlan.vlan_id) out.push(`cvlan_id ${k.cvlan.vlan_id}`);
  if (m.eth.dst.some((x) => x)) out.push(`dst_mac ${mac(k.eth.dst)}${m.eth.dst.every((x) => x === 255) ? '' : `/${mac(m.eth.dst)}`}`);
  if (m.eth.src.some((x) => x)) out.push(`src_mac ${mac(k.eth.src)}${m.eth.src.every((x) => x === 255) ? '' : `/${mac(m.eth.src)}`}`);
  if (m.basic.n_proto) out.push(`eth_type 0x${k.basic.n_proto.toString(16).padStart(4, '0')}`);
  if (m.basic.ip_proto) out.push(`ip_proto ${k.basic.ip_proto}`);
  if (fm.ext.mpls?.mpls_label) out.push(`mpls_label ${fk.ext.mpls!.mpls_label}`);
  if (m.ip.tos) out.push(`ip_tos 0x${k.ip.tos.toString(16)}/0x${m.ip.tos.toString(16)}`);
  if (m.ip.ttl) out.push(`ip_ttl ${k.ip.ttl}`);
  if (m.ipv4.dst) out.push(`dst_ip ${ip4(k.ipv4.dst)}${prefix(m.ipv4.dst)}`);
  if (m.ipv4.src) out.push(`src_ip ${ip4(k.ipv4.src)}${prefix(m.ipv4.src)}`);
  if (m.ipv6.dst.some((x) => x)) out.push(`dst_ip6 ${hex16(k.ipv6.dst)}`);
  if (m.ipv6.src.some((x) => x)) out.push(`src_ip6 ${hex16(k.ipv6.src)}`);
  if (m.tp.dst) out.push(`dst_port ${k.tp.dst}${m.tp.dst === 0xffff ? '' : `/0x${m.tp.dst.toString(16)}`}`);
  if (m.tp.src) out.push(`src_port ${k.tp.src}${m.tp.src === 0xffff ? '' : `/0x${m.tp.src.toString(16)}`}`);
  if (m.tp_min.dst) out.push(`dst_port ${k.tp_min.dst}-${k.tp_max.dst}`);
  if (m.tp_min.src) out.push(`src_port ${k.tp_min.src}-${k.tp_max.src}`);
  if (m.tcp.flags) out.push(`tcp_flags 0x${k.tcp.flags.toString(16)}/0x${m.tcp.flags.toString(16)}`);
  if (m.icmp.type) out.push(`icmp_type ${k.icmp.type}`);
  if (m.icmp.code) out.push(`icmp_code ${k.icmp.code}`);
  if (m.arp.sip) out.push(`arp_sip ${ip4(k.arp.sip)}`);
  if (m.arp.tip) out.push(`arp_tip ${ip4(k.arp.tip)}`);
  if (m.arp.op) out.push(`arp_op ${k.arp.op}`);
  const e = fk.ext;
  const em = fm.ext;
  if (em.enc_ipv4.dst) out.push(`enc_dst_ip ${ip4(e.enc_ipv4.dst)}`);
  if (em.enc_ipv4.src) out.push(`enc_src_ip ${ip4(e.enc_ipv4.src)}`);
  if (em.enc_key_id.keyid) out.push(`enc_key_id ${e.enc_key_id.keyid}`);
  if (em.enc_tp.dst) out.push(`enc_dst_port ${e.enc_tp.dst}`);
  if (em.enc_opts?.len) {
    const kind: Record<number, string> = {
      [IP_TUNNEL_GENEVE_OPT_BIT]: 'geneve', [IP_TUNNEL_VXLAN_OPT_BIT]: 'vxlan', [IP_TUNNEL_ERSPAN_OPT_BIT]: 'erspan',
      [IP_TUNNEL_GTP_OPT_BIT]: 'gtp', [IP_TUNNEL_PFCP_OPT_BIT]: 'pfcp',
    };
    out.push(`${kind[e.enc_opts!.dst_opt_type] ?? 'enc'}_opts ${Buffer.from(e.enc_opts!.data.subarray(0, e.enc_opts!.len)).toString('hex')}`);
  }
  if (em.pppoe?.session_id) out.push(`pppoe_sid ${e.pppoe!.session_id}`);
  if (em.pppoe?.ppp_proto) out.push(`ppp_proto 0x${e.pppoe!.ppp_proto.toString(16)}`);
  if (em.l2tpv3?.session_id) out.push(`l2tpv3_sid ${e.l2tpv3!.session_id}`);
  if (m.control.flags) out.push(`ip_flags 0x${k.control.flags.toString(16)}/0x${m.control.flags.toString(16)}`);
  if (em.ct.ct_state) out.push(`ct_state 0x${e.ct.ct_state.toString(16)}/0x${em.ct.ct_state.toString(16)}`);
  if (em.ct.ct_zone) out.push(`ct_zone ${e.ct.ct_zone}`);
  if (em.ct.ct_mark) out.push(`ct_mark ${e.ct.ct_mark}/0x${em.ct.ct_mark.toString(16)}`);
  return out.join(' ');
}

function fl_show(_tp: TcfProto, fh: unknown): TcfFilterView {
  const f = fh as ClsFlFilter;
  return { handle: f.handle, flags: f.flags, in_hw_count: f.in_hw_count, keys: fl_keys_summary(f.key, f.mask!.key), cookie: f.cookie };
}

/** The FlowRule a driver saw for a filter (emulator view, for specs). */
export function fl_filter_mask(fh: unknown): FlFlowKey | null {
  return (fh as ClsFlFilter).mask?.key ?? null;
}

export const cls_fl_ops = {
  kind: 'flower',
  flags: TCF_PROTO_OPS_DOIT_UNLOCKED,
  init: fl_init,
  destroy: fl_destroy,
  get: fl_get,
  change: fl_change,
  delete: fl_delete,
  delete_empty: fl_delete_empty,
  walk: fl_walk,
  reoffload: fl_reoffload,
  hw_add: fl_hw_add,
  hw_del: fl_hw_del,
  dump: fl_dump,
  terse_dump: fl_terse_dump,
  show: fl_show,
} satisfies TcfProtoOps;

/** cls_fl_init(): registers flower on this host. */
export function cls_fl_init(net: Net): 0 | NegErrno {
  return register_tcf_proto_ops(net, cls_fl_ops);
}
