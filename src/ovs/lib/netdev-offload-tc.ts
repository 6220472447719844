// lib/netdev-offload-tc.c (v3.6.3): the "linux_tc" flow API. Translates a
// struct match + ODP actions into a tc_flower, installs it with
// tc_replace_flower, and keeps the ufid <-> tc filter id maps. Modelled
// actions: output, push/pop_vlan, push/pop/set mpls, set/set_masked
// (pedit), ct/ct_clear (with NAT, mark, labels), recirc, drop, meter (never
// offloaded here), tunnel match/encap. check_pkt_len is not modelled.
import { EEXIST, EINVAL, ENODEV, ENOENT, ENOSPC, EOPNOTSUPP, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import {
  OVS_ACTION_ATTR_POP_MPLS, OVS_ACTION_ATTR_PUSH_MPLS, OVS_ACTION_PUSH_MPLS_LEN, OVS_KEY_ATTR_MPLS,
  OVS_ACTION_ATTR_CT, OVS_ACTION_ATTR_CT_CLEAR, OVS_ACTION_ATTR_DROP, OVS_ACTION_ATTR_METER, OVS_ACTION_ATTR_OUTPUT, OVS_ACTION_ATTR_POP_VLAN,
  OVS_ACTION_ATTR_PUSH_VLAN, OVS_ACTION_ATTR_RECIRC, OVS_ACTION_ATTR_SET, OVS_ACTION_ATTR_SET_MASKED, OVS_KEY_ATTR_ETHERNET,
  OVS_KEY_ATTR_ETHERTYPE, OVS_KEY_ATTR_IPV4, OVS_KEY_ATTR_IPV6, OVS_KEY_ATTR_TCP, OVS_KEY_ATTR_TUNNEL, OVS_KEY_ATTR_UDP,
} from '../../kernel/include/uapi/linux/openvswitch';
import { declareBranch } from '../../trace/branch';

import {
  OVS_CT_ATTR_COMMIT, OVS_CT_ATTR_FORCE_COMMIT, OVS_CT_ATTR_HELPER, OVS_CT_ATTR_LABELS, OVS_CT_ATTR_MARK, OVS_CT_ATTR_NAT, OVS_CT_ATTR_ZONE,
  OVS_NAT_ATTR_DST, OVS_NAT_ATTR_IP_MAX, OVS_NAT_ATTR_IP_MIN, OVS_NAT_ATTR_PROTO_MAX, OVS_NAT_ATTR_PROTO_MIN, OVS_NAT_ATTR_SRC,
} from '../../kernel/include/uapi/linux/openvswitch';
import type { NlMsg } from '../../netlink/nlmsg';
import { dpif_flow_stats_zero, type DpifFlowAttrs, type DpifFlowStats } from './dpif';
import { NETLINK_ROUTE, NLM_F_ACK, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { RTM_GETCHAIN, RTM_DELTFILTER } from '../../kernel/include/uapi/linux/rtnetlink';
import { TCA_CHAIN } from '../../kernel/include/uapi/linux/pkt_sched';
import {
  TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST, TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, TCA_FLOWER_KEY_FLAGS_TUNNEL_CSUM,
  TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT, TCA_FLOWER_KEY_FLAGS_TUNNEL_OAM, TC_ACT_EXT_VAL_MASK,
  TCA_FLOWER_KEY_FLAGS_TUNNEL_CRIT_OPT,
} from '../../kernel/include/uapi/linux/pkt_cls';
import {
  OVS_TUNNEL_KEY_ATTR_CSUM, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, OVS_TUNNEL_KEY_ATTR_ID, OVS_TUNNEL_KEY_ATTR_IPV4_DST,
  OVS_TUNNEL_KEY_ATTR_IPV4_SRC, OVS_TUNNEL_KEY_ATTR_TOS, OVS_TUNNEL_KEY_ATTR_TP_DST, OVS_TUNNEL_KEY_ATTR_TP_SRC,
  OVS_TUNNEL_KEY_ATTR_TTL, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS,
} from '../../kernel/include/uapi/linux/openvswitch';
import { NlMsgBuilder, StructReader, StructWriter, nla_get_u32, type NlAttr } from '../../netlink/attr';
import { NlAttrBuf, nl_attr_get_u128, nl_attrs, u128_bytes } from '../../netlink/msgbuf';
import { TCMSG_LEN, tcmsg_encode } from '../../netlink/structs';
import { hop } from '../../trace/hop';
import { errno_text, type OvsProcess } from './ovs-process';
import { type TcEncap } from './tc';
import { FLOW_TNL_F_CSUM, FLOW_TNL_F_DONT_FRAGMENT, FLOW_TNL_F_KEY, FLOW_TNL_F_OAM, FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_LATER, FLOW_N_REGS, flow_nonzero_fields, is_all_zeros, is_ip_any, eth_type_vlan, match_init_catchall, type Match } from './match';
import { odp_format_ufid, type Ufid } from './odp-util';
import { is_internal_port, netdev_get_ifindex, type Netdev } from './netdev';
import { netdev_flow_api_equals, netdev_ifindex_to_odp_port, netdev_ports_get, type NetdevFlowApi, type OffloadInfo } from './netdev-offload';
import { nl_dump } from './netlink-socket';
import {
  TCA_ACT_MAX_NUM, TC_EGRESS_PARENT, TC_INGRESS_PARENT, TC_MAX_PRIORITY, TC_RESERVED_PRIORITY_IPV4, TC_RESERVED_PRIORITY_IPV6,
  TC_RESERVED_PRIORITY_MAX, TC_RESERVED_PRIORITY_NONE, TC_RESERVED_PRIORITY_VLAN, tc_add_del_qdisc,
  TC_RESERVED_PRIORITY_FEATURE_PROBE,
  parse_netlink_to_tc_flower, tc_del_flower_filter, tc_dump_flower_start, tc_flower_init, tc_get_flower, tc_make_tcf_id_chain,
  tc_replace_flower, tc_transact, type TcFlower, type TcQdiscHook, type TcfId, type TcCt, type TcRewrite, AF_INET, AF_INET6, tc_ct_zero,
  mpls_lse, mpls_lse_to_bos, mpls_lse_to_label, mpls_lse_to_tc, mpls_lse_to_ttl,
  TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, TCA_PEDIT_KEY_EX_HDR_TYPE_TCP,
  TCA_PEDIT_KEY_EX_HDR_TYPE_UDP,
} from './tc';

const THIS_MODULE = 'netdev_offload_tc';

// include/uapi/linux/pkt_cls.h TCA_FLOWER_KEY_CT_FLAGS_*
const TCA_FLOWER_KEY_CT_FLAGS_NEW = 1 << 0;
const TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED = 1 << 1;
const TCA_FLOWER_KEY_CT_FLAGS_RELATED = 1 << 2;
const TCA_FLOWER_KEY_CT_FLAGS_TRACKED = 1 << 3;
const TCA_FLOWER_KEY_CT_FLAGS_INVALID = 1 << 4;
const TCA_FLOWER_KEY_CT_FLAGS_REPLY = 1 << 5;
// OVS_CS_F_* (include/uapi/linux/openvswitch.h)
const OVS_CS_F_NEW = 0x01;
const OVS_CS_F_ESTABLISHED = 0x02;
const OVS_CS_F_RELATED = 0x04;
const OVS_CS_F_REPLY_DIR = 0x08;
const OVS_CS_F_INVALID = 0x10;
const OVS_CS_F_TRACKED = 0x20;

/** struct ufid_tc_data */
interface UfidTcData {
  ufid: Ufid;
  id: TcfId;
  netdev: Netdev;
  chain_goto: number;
  /** Stats of the rule this one replaced (a modify keeps counting). */
  adjust_stats: DpifFlowStats;
}

interface PrioMapData {
  protocol: number;
  mask: string;
  prio: number;
}

interface NetdevOffloadTcStatics {
  /** ufid_to_tc, by ufid_key: oldest first (a failed replace leaves two). */
  ufid_tc: Map<string, UfidTcData[]>;
  /** Every mapping in insertion order (for dumps and flush). */
  all: Set<UfidTcData>;
  /** tc_to_ufid, by tcf_id_key. */
  tc_ufid: Map<string, UfidTcData[]>;
  /** Mapped flows per netdev (netdev_tc_get_n_flows). */
  n_flows: Map<Netdev, number>;
  /** used_chains: goto targets of installed flows, with use counts. */
  used_chains: Map<number, number>;
  /** get_prio_for_tc_flower's prios map and last_prio; never freed. */
  prios: PrioMapData[];
  last_prio: number;
  probes_done: boolean;
  get_chain_supported: boolean;
  block_support: boolean;
  multi_mask_per_prio: boolean;
  ct_state_support: number;
  /** probe_vxlan_gbp_support / probe_enc_flags_support results. */
  vxlan_gbp_support: boolean;
  enc_flags_support: boolean;
}

function statics(p: OvsProcess): NetdevOffloadTcStatics {
  return p.static_of('lib/netdev-offload-tc.c', () => ({
    ufid_tc: new Map(), all: new Set(), tc_ufid: new Map(), n_flows: new Map(), used_chains: new Map(), prios: [], last_prio: TC_RESERVED_PRIORITY_MAX,
    probes_done: false, get_chain_supported: true, block_support: false, multi_mask_per_prio: false, ct_state_support: 0,
    vxlan_gbp_support: false, enc_flags_support: false,
  }));
}

// The hash keys of ufid_to_tc / tc_to_ufid (cmaps keyed by ufid and by tcf_id upstream).
const ufid_key = (u: Ufid): string => `${u[0]},${u[1]},${u[2]},${u[3]}`;
const tcf_id_key = (id: TcfId): string => `${id.ifindex}/${id.chain}/${id.prio}/${id.handle}`;

/** get_tc_qdisc_hook: internal ports are offloaded on egress (clsact). */
function get_tc_qdisc_hook(netdev: Netdev): TcQdiscHook {
  return is_internal_port(netdev.type) ? 'TC_EGRESS' : 'TC_INGRESS';
}

/** get_block_id_from_netdev: only LAG primaries have a block; none modelled. */
function get_block_id_from_netdev(p: OvsProcess, _netdev: Netdev): number {
  // netdev_linux_get_block_id: the ifindex of a bond master, else 0.
  void statics(p).block_support;
  return 0;
}

/** add_ufid_tc_mapping */
export const add_ufid_tc_mapping = hop('lib/netdev-offload-tc.c', function add_ufid_tc_mapping(
  p: OvsProcess, netdev: Netdev, ufid: Ufid, id: TcfId, chain_goto: number, adjust_stats?: DpifFlowStats,
): void {
  const s = statics(p);
  const d: UfidTcData = { ufid: [...ufid], id: { ...id }, netdev, chain_goto, adjust_stats: adjust_stats ?? dpif_flow_stats_zero() };
  const k = ufid_key(ufid);
  const list = s.ufid_tc.get(k);
  if (list) list.push(d);
  else s.ufid_tc.set(k, [d]);
  s.all.add(d);
  const t = s.tc_ufid.get(tcf_id_key(id));
  if (t) t.push(d);
  else s.tc_ufid.set(tcf_id_key(id), [d]);
  s.n_flows.set(netdev, (s.n_flows.get(netdev) ?? 0) + 1);
}, { input: (_p, netdev, ufid, id) => `${odp_format_ufid(ufid)} -> ${netdev.name} chain ${id.chain} prio ${id.prio} handle ${id.handle}` });

/** get_ufid_tc_mapping: the tcf_id of a ufid, or ENOENT. */
export const get_ufid_tc_mapping = hop('lib/netdev-offload-tc.c', function get_ufid_tc_mapping(
  p: OvsProcess, ufid: Ufid,
): { error: number; id?: TcfId } {
  const d = statics(p).ufid_tc.get(ufid_key(ufid))?.[0];
  return d ? { error: 0, id: { ...d.id } } : { error: ENOENT };
}, { errno: (r) => -r.error, result: (r) => (r.id ? `prio ${r.id.prio} handle ${r.id.handle}` : 'ENOENT') });

/** del_ufid_tc_mapping: forget a ufid and release its goto chain. */
function unlink_ufid_tc(s: NetdevOffloadTcStatics, d: UfidTcData): void {
  const k = ufid_key(d.ufid);
  const list = s.ufid_tc.get(k) ?? [];
  const i = list.indexOf(d);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) s.ufid_tc.delete(k);
  s.all.delete(d);
  const tk = tcf_id_key(d.id);
  const tl = s.tc_ufid.get(tk) ?? [];
  const j = tl.indexOf(d);
  if (j >= 0) tl.splice(j, 1);
  if (tl.length === 0) s.tc_ufid.delete(tk);
  const n = (s.n_flows.get(d.netdev) ?? 1) - 1;
  if (n > 0) s.n_flows.set(d.netdev, n);
  else s.n_flows.delete(d.netdev);
}

function del_ufid_tc_mapping(p: OvsProcess, ufid: Ufid): void {
  const s = statics(p);
  const d = s.ufid_tc.get(ufid_key(ufid))?.[0];
  if (!d) return;
  unlink_ufid_tc(s, d);
  if (d!.chain_goto) {
    const n = (s.used_chains.get(d!.chain_goto) ?? 1) - 1;
    if (n > 0) s.used_chains.set(d!.chain_goto, n);
    else s.used_chains.delete(d!.chain_goto);
  }
}

/**
 * del_filter_and_ufid_mapping: read the final stats first when asked
 * (tc_get_flower + the adjust stats), delete the filter; ENODEV (the
 * device is gone) also drops the mapping.
 */
export const del_filter_and_ufid_mapping = hop('lib/netdev-offload-tc.c', function del_filter_and_ufid_mapping(
  p: OvsProcess, id: TcfId, ufid: Ufid, stats?: DpifFlowStats,
): number {
  if (stats) {
    Object.assign(stats, dpif_flow_stats_zero());
    const got = tc_get_flower(p, id);
    if (got.flower) {
      parse_tc_flower_to_stats(got.flower, stats);
      const adj = get_ufid_adjust_stats(p, ufid);
      if (adj) netdev_tc_adjust_stats(stats, adj);
    }
  }
  const err = tc_del_flower_filter(p, id);
  if (!err || err === ENODEV) {
    del_ufid_tc_mapping(p, ufid);
    return 0;
  }
  return err;
}, { errno: (e) => -e, result: errno_text });

/** The ufid <-> tc id mappings, for inspection. */
export function netdev_tc_ufid_mappings(p: OvsProcess): readonly { ufid: Ufid; id: TcfId; netdev: Netdev }[] {
  return [...statics(p).all];
}

/** get_next_available_prio: 2/3/4 for IPv4/IPv6/802.1Q with multi-mask, else counting up from 5. */
function get_next_available_prio(p: OvsProcess, protocol: number): number {
  const s = statics(p);
  if (s.multi_mask_per_prio) {
    if (protocol === 0x0800) return TC_RESERVED_PRIORITY_IPV4;
    if (protocol === 0x86dd) return TC_RESERVED_PRIORITY_IPV6;
    if (protocol === 0x8100) return TC_RESERVED_PRIORITY_VLAN;
  }
  if (s.last_prio === TC_MAX_PRIORITY) return TC_RESERVED_PRIORITY_NONE;
  return ++s.last_prio;
}

type MaskField = number | bigint | string | boolean | null | undefined | Uint8Array | MaskField[] | { [k: string]: MaskField };

/**
 * The prios map compares masks by their bytes (a hash of struct tc_flower_key
 * upstream): each field by name and value, arrays element by element.
 */
function mask_id(v: MaskField): string {
  if (typeof v === 'number' || typeof v === 'bigint') return `${v}`;
  if (v instanceof Uint8Array) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += `${v[i]},`;
    return `${s}]`;
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? '';
  let s = Array.isArray(v) ? '(' : '{';
  for (const k in v) {
    const x = (v as { [k: string]: MaskField })[k];
    if (x !== undefined) s += `${k}:${mask_id(x)},`;
  }
  return `${s}}`;
}

/**
 * get_prio_for_tc_flower: one prio per (eth_type[, mask]) for the life of
 * the process; 0 when they ran out.
 */
export const get_prio_for_tc_flower = hop('lib/netdev-offload-tc.c', function get_prio_for_tc_flower(p: OvsProcess, flower: TcFlower): number {
  const s = statics(p);
  const mask = mask_id(flower.mask as unknown as MaskField);
  const have = s.prios.find((d) => (s.multi_mask_per_prio || d.mask === mask) && d.protocol === flower.key.eth_type);
  if (have) return have.prio;
  const prio = get_next_available_prio(p, flower.key.eth_type);
  if (prio === TC_RESERVED_PRIORITY_NONE) return prio;
  s.prios.push({ protocol: flower.key.eth_type, mask, prio });
  return prio;
}, { result: (prio) => `prio ${prio}` });

/** parse_match_ct_state_to_flower: the probed ct_state bits, ct_zone/mark/label. */
function parse_match_ct_state_to_flower(p: OvsProcess, flower: TcFlower, match: Match): void {
  const support = statics(p).ct_state_support;
  const key = match.flow;
  const mask = match.wc.masks;
  if (!support) return;
  if ((support & mask.ct_state) === mask.ct_state) {
    for (const [ovs, tc] of [
      [OVS_CS_F_NEW, TCA_FLOWER_KEY_CT_FLAGS_NEW], [OVS_CS_F_ESTABLISHED, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED],
      [OVS_CS_F_TRACKED, TCA_FLOWER_KEY_CT_FLAGS_TRACKED], [OVS_CS_F_REPLY_DIR, TCA_FLOWER_KEY_CT_FLAGS_REPLY],
      [OVS_CS_F_INVALID, TCA_FLOWER_KEY_CT_FLAGS_INVALID], [OVS_CS_F_RELATED, TCA_FLOWER_KEY_CT_FLAGS_RELATED],
    ] as const) {
      if (mask.ct_state & ovs) {
        if (key.ct_state & ovs) flower.key.ct_state |= tc;
        flower.mask.ct_state |= tc;
        mask.ct_state &= ~ovs;
      }
    }
    // +est clears new; any state implies +trk.
    if (flower.key.ct_state & TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED) {
      flower.key.ct_state &= ~TCA_FLOWER_KEY_CT_FLAGS_NEW;
      flower.mask.ct_state &= ~TCA_FLOWER_KEY_CT_FLAGS_NEW;
    }
    if (flower.key.ct_state && !(flower.key.ct_state & TCA_FLOWER_KEY_CT_FLAGS_TRACKED)) {
      flower.key.ct_state |= TCA_FLOWER_KEY_CT_FLAGS_TRACKED;
      flower.mask.ct_state |= TCA_FLOWER_KEY_CT_FLAGS_TRACKED;
    }
  }
  if (mask.ct_zone) { flower.key.ct_zone = key.ct_zone; flower.mask.ct_zone = mask.ct_zone; mask.ct_zone = 0; }
  if (mask.ct_mark) { flower.key.ct_mark = key.ct_mark; flower.mask.ct_mark = mask.ct_mark; mask.ct_mark = 0; }
  if (!is_all_zeros(mask.ct_label)) {
    flower.key.ct_label = key.ct_label.slice(); flower.mask.ct_label = mask.ct_label.slice(); mask.ct_label = new Uint8Array(16);
  }
}

/** is_ipv6_fragment_and_masked */
function is_ipv6_fragment_and_masked(match: Match): boolean {
  const key = match.flow;
  const mask = match.wc.masks;
  if (key.dl_type !== 0x86dd) return false;
  if (mask.nw_proto && key.nw_proto === 44) return true; // IPPROTO_FRAGMENT
  if (key.nw_frag & (mask.nw_frag & FLOW_NW_FRAG_ANY)) return true;
  return false;
}

/** test_key_and_mask: whatever mask bits translation did not consume is EOPNOTSUPP. */
export const test_key_and_mask = hop('lib/netdev-offload-tc.c', function test_key_and_mask(p: OvsProcess, match: Match): number {
  const key = match.flow;
  const mask = match.wc.masks;
  const dbg = (msg: string): number => { p.vlog.dbg(THIS_MODULE, msg); return EOPNOTSUPP; };
  if (mask.pkt_mark) return dbg('offloading attribute pkt_mark isn\'t supported');
  if (mask.dp_hash) return dbg('offloading attribute dp_hash isn\'t supported');
  if (mask.conj_id) return dbg('offloading attribute conj_id isn\'t supported');
  if (mask.skb_priority) return dbg('offloading attribute skb_priority isn\'t supported');
  if (mask.actset_output) return dbg('offloading attribute actset_output isn\'t supported');
  if (mask.packet_type && key.packet_type) return dbg('offloading attribute packet_type isn\'t supported');
  mask.packet_type = 0;
  for (let i = 0; i < FLOW_N_REGS; i++) {
    if (mask.regs[i]) return dbg(`offloading attribute regs[${i}] isn't supported`);
  }
  if (mask.metadata) return dbg('offloading attribute metadata isn\'t supported');
  if (mask.nw_tos) return dbg('offloading attribute nw_tos isn\'t supported');
  for (let i = 1; i < mask.mpls_lse.length; i++) {
    if (mask.mpls_lse[i]) return dbg('offloading multiple mpls_lses isn\'t supported');
  }
  if (key.dl_type === 0x0800 && key.nw_proto === 2) { // IPPROTO_IGMP
    if (mask.tp_src) return dbg('offloading attribute igmp_type isn\'t supported');
    if (mask.tp_dst) return dbg('offloading attribute igmp_code isn\'t supported');
  } else if (key.dl_type === 0x05ff) { // OFP_DL_TYPE_NOT_ETH_TYPE
    return dbg('offloading of non-ethernet packets isn\'t supported');
  }
  if (is_ipv6_fragment_and_masked(match)) return dbg('offloading of IPv6 fragments isn\'t supported');
  const left = flow_nonzero_fields(mask);
  if (left.length > 0) {
    // Upstream follows with a sparse hex dump of struct flow; the field
    // names stand in for it here.
    return dbg(`offloading isn't supported, unknown attribute\nUnused mask bits:\n${left.join(' ')}`);
  }
  return 0;
}, { errno: (e) => -e, result: errno_text });

type ParseActions = { error: number; recirc_act: boolean };

/** meter_id_lookup: the police index of an offloaded meter (none are modelled). */
function meter_id_lookup(_meter_id: number): number | undefined {
  return undefined;
}

/**
 * set_flower_map: per OVS key type, the fields tc can rewrite — offset and
 * size in the ovs_key_* struct, pedit header type and offset in the packet
 * header (IPv6 tclass sits 4 bits into its word).
 */
const set_flower_map: ReadonlyMap<number, readonly { ovs_off: number; size: number; htype: number; hdr_off: number; shift?: number }[]> = new Map([
  [OVS_KEY_ATTR_IPV4, [
    { ovs_off: 0, size: 4, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, hdr_off: 12 }, // ipv4_src
    { ovs_off: 4, size: 4, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, hdr_off: 16 }, // ipv4_dst
    { ovs_off: 10, size: 1, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, hdr_off: 8 }, // ipv4_ttl
    { ovs_off: 9, size: 1, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, hdr_off: 1 }, // ipv4_tos
  ]],
  [OVS_KEY_ATTR_IPV6, [
    { ovs_off: 0, size: 16, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, hdr_off: 8 }, // ipv6_src
    { ovs_off: 16, size: 16, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, hdr_off: 24 }, // ipv6_dst
    { ovs_off: 38, size: 1, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, hdr_off: 7 }, // ipv6_hlimit
    { ovs_off: 37, size: 1, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP6, hdr_off: 0, shift: 4 }, // ipv6_tclass
  ]],
  [OVS_KEY_ATTR_ETHERNET, [
    { ovs_off: 0, size: 6, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, hdr_off: 6 }, // eth_src
    { ovs_off: 6, size: 6, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, hdr_off: 0 }, // eth_dst
  ]],
  // The ethertype is in the map but has no pedit offset in tc.c's
  // flower_pedit_map: it is accepted and rewrites nothing.
  [OVS_KEY_ATTR_ETHERTYPE, [{ ovs_off: 0, size: 2, htype: 0, hdr_off: -1 }]],
  [OVS_KEY_ATTR_TCP, [
    { ovs_off: 0, size: 2, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_TCP, hdr_off: 0 }, // tcp_src
    { ovs_off: 2, size: 2, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_TCP, hdr_off: 2 }, // tcp_dst
  ]],
  [OVS_KEY_ATTR_UDP, [
    { ovs_off: 0, size: 2, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_UDP, hdr_off: 0 }, // udp_src
    { ovs_off: 2, size: 2, htype: TCA_PEDIT_KEY_EX_HDR_TYPE_UDP, hdr_off: 2 }, // udp_dst
  ]],
]);

/** tc_will_add_l4_checksum: an IP/L4 rewrite on TCP, UDP, ICMPv6 or UDP-Lite. */
function tc_will_add_l4_checksum(flower: TcFlower, type: number): boolean {
  if (![OVS_KEY_ATTR_IPV4, OVS_KEY_ATTR_IPV6, OVS_KEY_ATTR_TCP, OVS_KEY_ATTR_UDP].includes(type)) return false;
  return [6, 17, 58, 136].includes(flower.key.ip_proto);
}

const set_masked_unsupported_type = declareBranch('lib/netdev-offload-tc.c', 'parse_put_flow_set_masked_action', 'unsupported_type');
const set_masked_leftover = declareBranch('lib/netdev-offload-tc.c', 'parse_put_flow_set_masked_action', 'unsupported_sub_attribute');

/**
 * parse_put_flow_set_masked_action: the mapped fields of one key attribute
 * become a pedit; a type outside set_flower_map, a fragment needing an L4
 * checksum, or mask bits left on unmapped fields are EOPNOTSUPP.
 */
const parse_put_flow_set_masked_action = hop('lib/netdev-offload-tc.c', function parse_put_flow_set_masked_action(
  p: OvsProcess, flower: TcFlower, set: NlAttr, hasmask: boolean,
): number {
  const type = set.type;
  const size = hasmask ? set.payload.byteLength / 2 : set.payload.byteLength;
  const data = set.payload.subarray(0, size);
  const set_mask = hasmask ? set.payload.slice(size, size * 2) : new Uint8Array(size).fill(0xff);
  const map = set_flower_map.get(type);
  if (set_masked_unsupported_type(!map)) {
    p.vlog.dbg(THIS_MODULE, `unsupported set action type: ${type}`);
    return EOPNOTSUPP;
  }
  if (flower.key.flags & TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT && tc_will_add_l4_checksum(flower, type)) {
    p.vlog.dbg(THIS_MODULE, `set action type ${type} not supported on fragments due to checksum limitation`);
    return EOPNOTSUPP;
  }
  const rewrite: TcRewrite = { fields: [] };
  for (const f of map!) {
    const val = new Uint8Array(f.size);
    const mask = new Uint8Array(f.size);
    for (let j = 0; j < f.size; j++) {
      const m = set_mask[f.ovs_off + j] ?? 0;
      val[j] = m & (data[f.ovs_off + j] ?? 0);
      mask[j] = m;
    }
    if (hasmask) set_mask.fill(0, f.ovs_off, f.ovs_off + f.size); // used
    if (f.hdr_off >= 0) rewrite.fields.push({ htype: f.htype, off: f.hdr_off, val, mask, shift: f.shift ?? 0 });
  }
  if (set_masked_leftover(hasmask && !set_mask.every((b) => b === 0))) {
    p.vlog.dbg(THIS_MODULE, `unsupported sub attribute of set action type ${type}`);
    return EOPNOTSUPP;
  }
  flower.actions.push({ type: 'TC_ACT_PEDIT', rewrite });
  return 0;
}, { input: (_p, _f, set, hasmask) => `type ${set.type}${hasmask ? ' masked' : ''}`, errno: (e) => -e, result: errno_text });

const set_tunnel_tp_src = declareBranch('lib/netdev-offload-tc.c', 'parse_put_flow_set_action', 'tunnel tp_src');
const set_tunnel_unknown = declareBranch('lib/netdev-offload-tc.c', 'parse_put_flow_set_action', 'unsupported tunnel key attribute');

/**
 * parse_put_flow_set_action: a tunnel key becomes a tunnel_key set (encap);
 * every other key is a set_masked with an all-ones mask.
 */
const parse_put_flow_set_action = hop('lib/netdev-offload-tc.c', function parse_put_flow_set_action(
  p: OvsProcess, flower: TcFlower, set: NlAttr,
): number {
  // parse_mpls_set_action: a whole LSE becomes an mpls modify.
  if (set.type === OVS_KEY_ATTR_MPLS) {
    const lse = new StructReader(set.payload).be32(0);
    flower.actions.push({ type: 'TC_ACT_MPLS_SET', mpls: {
      proto: 0, label: mpls_lse_to_label(lse), tc: mpls_lse_to_tc(lse), ttl: mpls_lse_to_ttl(lse), bos: mpls_lse_to_bos(lse),
    } });
    return 0;
  }
  if (set.type !== OVS_KEY_ATTR_TUNNEL) return parse_put_flow_set_masked_action(p, flower, set, false);
  const s = statics(p);
  // no_csum starts set: only an explicit CSUM asks for outer checksums.
  const encap: TcEncap = {
    id: 0n, id_present: false, ipv4: { ipv4_src: 0, ipv4_dst: 0 }, tos: 0, ttl: 0, tp_dst: 0, no_csum: true, dont_fragment: false,
  };
  flower.actions.push({ type: 'TC_ACT_ENCAP', encap });
  for (const a of nl_attrs(set.payload) ?? []) {
    const r = new StructReader(a.payload);
    switch (a.type) {
      case OVS_TUNNEL_KEY_ATTR_ID: encap.id = (BigInt(r.be32(0)) << 32n) | BigInt(r.be32(4)); encap.id_present = true; break;
      case OVS_TUNNEL_KEY_ATTR_IPV4_SRC: encap.ipv4.ipv4_src = r.be32(0); break;
      case OVS_TUNNEL_KEY_ATTR_IPV4_DST: encap.ipv4.ipv4_dst = r.be32(0); break;
      case OVS_TUNNEL_KEY_ATTR_TOS: encap.tos = r.u8(0); break;
      case OVS_TUNNEL_KEY_ATTR_TTL: encap.ttl = r.u8(0); break;
      // Without enc flags support DF is ignored, as upstream (old behaviour kept).
      case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT: if (s.enc_flags_support) encap.dont_fragment = true; break;
      case OVS_TUNNEL_KEY_ATTR_CSUM: encap.no_csum = false; break;
      case OVS_TUNNEL_KEY_ATTR_TP_SRC:
        set_tunnel_tp_src(true);
        // lib/netdev-offload-tc.c: tc has no attribute for the source port.
        p.vlog.dbg(THIS_MODULE, 'unsupported tunnel key attribute TP_SRC');
        return EOPNOTSUPP;
      case OVS_TUNNEL_KEY_ATTR_TP_DST: encap.tp_dst = r.be16(0); break;
      case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
        // VXLAN GBP options: not modelled beyond the support check.
        if (!s.vxlan_gbp_support) return EOPNOTSUPP;
        p.vlog.err(THIS_MODULE, 'error parsing VXLAN options');
        return EINVAL;
      default:
        set_tunnel_unknown(true);
        p.vlog.dbg(THIS_MODULE, `unsupported tunnel key attribute ${a.type}`);
        return EOPNOTSUPP;
    }
  }
  return 0;
}, { input: (_p, _f, set) => `type ${set.type}`, errno: (e) => -e, result: errno_text });

/**
 * parse_put_flow_nat_action: the NAT nest into the ct action's nat_type
 * and range. No type flag means "restore" (nat with no arguments); the
 * address family follows the attribute size.
 */
function parse_put_flow_nat_action(ct: TcCt, nat: Uint8Array): number {
  ct.nat_type = 'TC_NAT_RESTORE';
  for (const a of nl_attrs(nat) ?? []) {
    const r = new StructReader(a.payload);
    switch (a.type) {
      case OVS_NAT_ATTR_SRC: ct.nat_type = 'TC_NAT_SRC'; break;
      case OVS_NAT_ATTR_DST: ct.nat_type = 'TC_NAT_DST'; break;
      case OVS_NAT_ATTR_IP_MIN:
      case OVS_NAT_ATTR_IP_MAX: {
        const which = a.type === OVS_NAT_ATTR_IP_MIN ? 'min' : 'max';
        if (a.payload.byteLength === 4) {
          ct.range.ipv4[which] = r.be32(0);
          ct.range.ip_family = AF_INET;
        } else {
          ct.range.ipv6[which] = a.payload.slice(0, 16);
          ct.range.ip_family = AF_INET6;
        }
        break;
      }
      // OVS carries the ports in host order; tc wants them big-endian (htons).
      case OVS_NAT_ATTR_PROTO_MIN: ct.range.port.min = r.u16(0); break;
      case OVS_NAT_ATTR_PROTO_MAX: ct.range.port.max = r.u16(0); break;
      default: break; // persistent, hash, random: tc ct has no such flags
    }
  }
  return 0;
}

const ct_helper = declareBranch('lib/netdev-offload-tc.c', 'parse_put_flow_ct_action', 'helper');
const ct_nat = declareBranch('lib/netdev-offload-tc.c', 'parse_put_flow_ct_action', 'nat');

/**
 * parse_put_flow_ct_action: commit/force, zone, NAT, mark and labels (value
 * and mask). A helper (ALG) is EOPNOTSUPP: tc ct must not silently drop it.
 */
function parse_put_flow_ct_action(flower: TcFlower, ct: Uint8Array): number {
  const act = tc_ct_zero();
  for (const a of nl_attrs(ct) ?? []) {
    switch (a.type) {
      case OVS_CT_ATTR_COMMIT: act.commit = true; break;
      case OVS_CT_ATTR_FORCE_COMMIT: act.commit = true; act.force = true; break;
      case OVS_CT_ATTR_ZONE: act.zone = new StructReader(a.payload).u16(0); break;
      case OVS_CT_ATTR_NAT: {
        ct_nat(true);
        const err = parse_put_flow_nat_action(act, a.payload);
        if (err) return err;
        break;
      }
      case OVS_CT_ATTR_MARK: { const r = new StructReader(a.payload); act.mark = r.u32(0); act.mark_mask = r.u32(4); break; }
      case OVS_CT_ATTR_LABELS: act.label = a.payload.slice(0, 16); act.label_mask = a.payload.slice(16, 32); break;
      // lib/netdev-offload-tc.c parse_put_flow_ct_action (v3.6.3): not supported by tc ct.
      case OVS_CT_ATTR_HELPER: ct_helper(true); return EOPNOTSUPP;
      default: break; // timeout, eventmask: ignored, as upstream
    }
  }
  flower.actions.push({ type: 'TC_ACT_CT', ct: act });
  return 0;
}

/**
 * netdev_tc_parse_nl_actions: ODP actions to tc actions (at most 16).
 * Output, push/pop vlan, recirc and drop are supported; anything else is
 * `unsupported put action type`.
 */
export const netdev_tc_parse_nl_actions = hop('lib/netdev-offload-tc.c', function netdev_tc_parse_nl_actions(
  p: OvsProcess, netdev: Netdev, flower: TcFlower, actions: Uint8Array,
): ParseActions {
  let recirc_act = false;
  for (const nla of nl_attrs(actions) ?? []) {
    if (flower.actions.length >= TCA_ACT_MAX_NUM) {
      p.vlog.dbg(THIS_MODULE, `Can only support ${TCA_ACT_MAX_NUM} actions`);
      return { error: EOPNOTSUPP, recirc_act };
    }
    if (nla.type === OVS_ACTION_ATTR_OUTPUT) {
      const port = nla_get_u32(nla);
      const outdev = netdev_ports_get(p, port, netdev.dpif_type);
      if (!outdev) {
        p.vlog.dbg(THIS_MODULE, `Can't find netdev for output port ${port}`);
        return { error: ENODEV, recirc_act };
      }
      if (!netdev_flow_api_equals(netdev, outdev)) {
        p.vlog.dbg(THIS_MODULE, `Flow API provider mismatch between ingress (${netdev.name}) and egress (${outdev.name}) ports`);
        return { error: EOPNOTSUPP, recirc_act };
      }
      const ifindex_out = netdev_get_ifindex(p, outdev);
      if (ifindex_out < 0) {
        p.vlog.dbg(THIS_MODULE, `Can't find ifindex for output port ${outdev.name}, error ${ifindex_out}`);
        return { error: -ifindex_out, recirc_act };
      }
      flower.actions.push({ type: 'TC_ACT_OUTPUT', out: { ifindex_out, ingress: is_internal_port(outdev.type) } });
    } else if (nla.type === OVS_ACTION_ATTR_PUSH_VLAN) {
      const r = new StructReader(nla.payload);
      const tci = r.be16(2);
      flower.actions.push({ type: 'TC_ACT_VLAN_PUSH', vlan: { vlan_push_tpid: r.be16(0), vlan_push_id: tci & 0xfff, vlan_push_prio: tci >> 13 } });
    } else if (nla.type === OVS_ACTION_ATTR_POP_VLAN) {
      flower.actions.push({ type: 'TC_ACT_VLAN_POP' });
    } else if (nla.type === OVS_ACTION_ATTR_PUSH_MPLS) {
      // struct ovs_action_push_mpls: be32 mpls_lse, be16 mpls_ethertype
      const r = new StructReader(nla.payload);
      const lse = r.be32(0);
      flower.actions.push({ type: 'TC_ACT_MPLS_PUSH', mpls: {
        proto: r.be16(4), label: mpls_lse_to_label(lse), tc: mpls_lse_to_tc(lse), ttl: mpls_lse_to_ttl(lse), bos: mpls_lse_to_bos(lse),
      } });
    } else if (nla.type === OVS_ACTION_ATTR_POP_MPLS) {
      flower.actions.push({ type: 'TC_ACT_MPLS_POP', mpls: { proto: new StructReader(nla.payload).be16(0), label: 0, tc: 0, ttl: 0, bos: 0 } });
    } else if (nla.type === OVS_ACTION_ATTR_RECIRC) {
      flower.actions.push({ type: 'TC_ACT_GOTO', chain: nla_get_u32(nla) });
      recirc_act = true;
    } else if (nla.type === OVS_ACTION_ATTR_DROP) {
      // Chain 0 is reserved (never a recirc id): gact drop.
      flower.actions.push({ type: 'TC_ACT_GOTO', chain: 0 });
    } else if (nla.type === OVS_ACTION_ATTR_SET || nla.type === OVS_ACTION_ATTR_SET_MASKED) {
      const set = nl_attrs(nla.payload)?.[0];
      if (!set) return { error: EINVAL, recirc_act };
      const err = nla.type === OVS_ACTION_ATTR_SET
        ? parse_put_flow_set_action(p, flower, set)
        : parse_put_flow_set_masked_action(p, flower, set, true);
      if (err) return { error: err, recirc_act };
    } else if (nla.type === OVS_ACTION_ATTR_CT) {
      // A kernel without tc ct_state support: note the negative errno, as upstream.
      if (!statics(p).ct_state_support) return { error: -EOPNOTSUPP, recirc_act };
      const err = parse_put_flow_ct_action(flower, nla.payload);
      if (err) return { error: err, recirc_act };
    } else if (nla.type === OVS_ACTION_ATTR_CT_CLEAR) {
      flower.actions.push({ type: 'TC_ACT_CT', ct: { ...tc_ct_zero(), clear: true } });
    } else if (nla.type === OVS_ACTION_ATTR_METER) {
      // meter_id_lookup: only meters offloaded as police actions (by
      // meter_tc_set_policer) have a police index; none are here.
      if (meter_id_lookup(nla_get_u32(nla)) === undefined) return { error: EOPNOTSUPP, recirc_act };
    } else {
      p.vlog.dbg(THIS_MODULE, `unsupported put action type: ${nla.type}`);
      return { error: EOPNOTSUPP, recirc_act };
    }
  }
  return { error: 0, recirc_act };
}, { errno: (r) => -r.error, result: (r) => String(r.error) });

const tunnel_match = declareBranch('lib/netdev-offload-tc.c', 'netdev_tc_flow_put', 'tunnel match');
const enc_flags_branch = declareBranch('lib/netdev-offload-tc.c', 'netdev_tc_flow_put', 'enc_flags_support');

/** IP_FMT */
function ip_fmt(v: number): string {
  return [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].join('.');
}

/**
 * netdev_tc_flow_put: match + actions -> tc_flower -> tc_replace_flower,
 * in lib/netdev-offload-tc.c order. Returns 0 or a positive errno.
 */
export const netdev_tc_flow_put = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_put(
  p: OvsProcess, netdev: Netdev, match: Match, actions: Uint8Array, ufid: Ufid, info: OffloadInfo,
): number {
  const s = statics(p);
  const hook = get_tc_qdisc_hook(netdev);
  const key = match.flow;
  const mask = match.wc.masks;

  const ifindex = netdev_get_ifindex(p, netdev);
  if (ifindex < 0) {
    p.vlog.err(THIS_MODULE, `flow_put: failed to get ifindex for ${netdev.name}: ${strerror(-ifindex)}`);
    return -ifindex;
  }
  if (key.recirc_id > TC_ACT_EXT_VAL_MASK) {
    p.vlog.dbg(THIS_MODULE, `flow recirc_id ${key.recirc_id} exceeds the chain id upper limit`);
    return EOPNOTSUPP;
  }
  const flower = tc_flower_init();
  const exact_match_on_dl_type = mask.dl_type === 0xffff;
  const chain = key.recirc_id;
  mask.recirc_id = 0;
  if (chain && !s.used_chains.has(chain)) {
    // The previous flow must be in tc too, or this one would never be hit.
    p.vlog.dbg(THIS_MODULE, `match for chain ${chain} failed due to non-existing goto chain action`);
    return EOPNOTSUPP;
  }
  if (tunnel_match(key.tunnel.ip_dst !== 0 || key.tunnel.ip_src !== 0)) {
    const tnl = key.tunnel;
    const tnl_mask = mask.tunnel;
    p.vlog.dbg(THIS_MODULE, `tunnel: id 0x${tnl.tun_id.toString(16)} src ${ip_fmt(tnl.ip_src)} dst ${ip_fmt(tnl.ip_dst)} tp_src ${tnl.tp_src} tp_dst ${tnl.tp_dst}`);
    flower.key.tunnel = {
      id: tnl.tun_id, ipv4: { ipv4_src: tnl.ip_src, ipv4_dst: tnl.ip_dst }, tos: tnl.ip_tos, ttl: tnl.ip_ttl,
      tp_src: tnl.tp_src, tp_dst: tnl.tp_dst, tc_enc_flags: 0,
    };
    flower.mask.tunnel = {
      // The tun_id mask counts only with FLOW_TNL_F_KEY.
      id: tnl.flags & FLOW_TNL_F_KEY ? tnl_mask.tun_id : 0n,
      ipv4: { ipv4_src: tnl_mask.ip_src, ipv4_dst: tnl_mask.ip_dst }, tos: tnl_mask.ip_tos, ttl: tnl_mask.ip_ttl,
      // lib/netdev-offload-tc.c: tp_dst is matched exactly whatever its mask,
      // since mlx5 refuses masked UDP destination ports.
      tp_src: tnl_mask.tp_src, tp_dst: 0xffff, tc_enc_flags: 0,
    };
    let flags = tnl_mask.flags & ~FLOW_TNL_F_KEY;
    if (enc_flags_branch(s.enc_flags_support)) {
      for (const [ovs, tc] of [
        [FLOW_TNL_F_OAM, TCA_FLOWER_KEY_FLAGS_TUNNEL_OAM], [FLOW_TNL_F_DONT_FRAGMENT, TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT],
        [FLOW_TNL_F_CSUM, TCA_FLOWER_KEY_FLAGS_TUNNEL_CSUM],
      ] as const) {
        if (!(flags & ovs)) continue;
        if (tnl.flags & ovs) flower.key.tunnel.tc_enc_flags |= tc;
        flower.mask.tunnel.tc_enc_flags |= tc;
        flags &= ~ovs;
      }
    } else {
      // Kernels without enc flags: DF and CSUM requests are ignored (old behaviour).
      flags &= ~(FLOW_TNL_F_DONT_FRAGMENT | FLOW_TNL_F_CSUM);
    }
    mask.tunnel = { tun_id: 0n, ip_src: 0, ip_dst: 0, ip_tos: 0, ip_ttl: 0, tp_src: 0, tp_dst: 0, flags };
    flower.tunnel = true;
  } else {
    // No tunnel metadata is matched here: clear translation artifacts.
    mask.tunnel = { tun_id: 0n, ip_src: 0, ip_dst: 0, ip_tos: 0, ip_ttl: 0, tp_src: 0, tp_dst: 0, flags: 0 };
  }

  flower.key.eth_type = key.dl_type;
  flower.mask.eth_type = mask.dl_type;
  if (mask.mpls_lse[0]) {
    flower.key.mpls_lse = key.mpls_lse[0]!;
    flower.mask.mpls_lse = mask.mpls_lse[0]!;
    flower.key.encap_eth_type[0] = flower.key.eth_type;
  }
  mask.mpls_lse[0] = 0;

  if (mask.vlans[0].tpid && eth_type_vlan(key.vlans[0].tpid)) {
    flower.key.encap_eth_type[0] = flower.key.eth_type;
    flower.mask.encap_eth_type[0] = 0xffff;
    flower.key.eth_type = key.vlans[0].tpid;
    flower.mask.eth_type = mask.vlans[0].tpid;
  }
  if (mask.vlans[0].tci) {
    const vid_mask = mask.vlans[0].tci & 0x0fff;
    const pcp_mask = mask.vlans[0].tci & 0xe000;
    const cfi = mask.vlans[0].tci & 0x1000;
    if (cfi && key.vlans[0].tci & 0x1000 && (!vid_mask || vid_mask === 0x0fff) && (!pcp_mask || pcp_mask === 0xe000) && (vid_mask || pcp_mask)) {
      if (vid_mask) {
        flower.key.vlan_id[0] = key.vlans[0].tci & 0xfff;
        flower.mask.vlan_id[0] = mask.vlans[0].tci & 0xfff;
        p.vlog.dbg(THIS_MODULE, `vlan_id[0]: ${flower.key.vlan_id[0]}\n`);
      }
      if (pcp_mask) {
        flower.key.vlan_prio[0] = key.vlans[0].tci >> 13;
        flower.mask.vlan_prio[0] = mask.vlans[0].tci >> 13;
        p.vlog.dbg(THIS_MODULE, `vlan_prio[0]: ${flower.key.vlan_prio[0]}\n`);
      }
    } else if (mask.vlans[0].tci === 0xffff && key.vlans[0].tci === 0) {
      // exact "no vlan"
    } else {
      return EOPNOTSUPP; // partial TCI mask: no log upstream either
    }
  }
  mask.vlans = [{ tpid: 0, tci: 0 }, { tpid: 0, tci: 0 }];

  flower.key.dst_mac = key.dl_dst.slice();
  flower.mask.dst_mac = mask.dl_dst.slice();
  flower.key.src_mac = key.dl_src.slice();
  flower.mask.src_mac = mask.dl_src.slice();
  mask.dl_dst = new Uint8Array(6);
  mask.dl_src = new Uint8Array(6);
  mask.dl_type = 0;
  mask.in_port = 0;

  if (exact_match_on_dl_type && key.dl_type === 0x0806) {
    flower.key.arp = { spa: key.nw_src, tpa: key.nw_dst, sha: key.arp_sha.slice(), tha: key.arp_tha.slice(), opcode: key.nw_proto };
    flower.mask.arp = { spa: mask.nw_src, tpa: mask.nw_dst, sha: mask.arp_sha.slice(), tha: mask.arp_tha.slice(), opcode: mask.nw_proto };
    mask.nw_src = 0; mask.nw_dst = 0; mask.nw_proto = 0;
    mask.arp_sha = new Uint8Array(6); mask.arp_tha = new Uint8Array(6);
  }

  if (exact_match_on_dl_type && is_ip_any(key) && !is_ipv6_fragment_and_masked(match)) {
    flower.key.ip_proto = key.nw_proto; flower.mask.ip_proto = mask.nw_proto; mask.nw_proto = 0;
    flower.key.ip_tos = key.nw_tos; flower.mask.ip_tos = mask.nw_tos; mask.nw_tos = 0;
    flower.key.ip_ttl = key.nw_ttl; flower.mask.ip_ttl = mask.nw_ttl; mask.nw_ttl = 0;
    if (mask.nw_frag & FLOW_NW_FRAG_ANY) {
      flower.mask.flags |= TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT;
      if (key.nw_frag & FLOW_NW_FRAG_ANY) {
        flower.key.flags |= TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT;
        if (mask.nw_frag & FLOW_NW_FRAG_LATER) {
          flower.mask.flags |= TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST;
          if (!(key.nw_frag & FLOW_NW_FRAG_LATER)) flower.key.flags |= TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST;
        }
      }
      mask.nw_frag = 0;
    } else {
      // lib/netdev-offload-tc.c: tc relies on a full frag match; no log.
      return EOPNOTSUPP;
    }
    if (key.nw_proto === 6) {
      flower.key.tcp_dst = key.tp_dst; flower.mask.tcp_dst = mask.tp_dst;
      flower.key.tcp_src = key.tp_src; flower.mask.tcp_src = mask.tp_src;
      flower.key.tcp_flags = key.tcp_flags; flower.mask.tcp_flags = mask.tcp_flags;
      mask.tp_src = 0; mask.tp_dst = 0; mask.tcp_flags = 0;
    } else if (key.nw_proto === 17) {
      flower.key.udp_dst = key.tp_dst; flower.mask.udp_dst = mask.tp_dst;
      flower.key.udp_src = key.tp_src; flower.mask.udp_src = mask.tp_src;
      mask.tp_src = 0; mask.tp_dst = 0;
    } else if (key.nw_proto === 132) {
      flower.key.sctp_dst = key.tp_dst; flower.mask.sctp_dst = mask.tp_dst;
      flower.key.sctp_src = key.tp_src; flower.mask.sctp_src = mask.tp_src;
      mask.tp_src = 0; mask.tp_dst = 0;
    } else if (key.nw_proto === 1 || key.nw_proto === 58) {
      flower.key.icmp_code = key.tp_dst & 0xff; flower.mask.icmp_code = mask.tp_dst & 0xff;
      flower.key.icmp_type = key.tp_src & 0xff; flower.mask.icmp_type = mask.tp_src & 0xff;
      mask.tp_src = 0; mask.tp_dst = 0;
    }
    if (key.dl_type === 0x0800) {
      flower.key.ipv4 = { ipv4_src: key.nw_src, ipv4_dst: key.nw_dst };
      flower.mask.ipv4 = { ipv4_src: mask.nw_src, ipv4_dst: mask.nw_dst };
      mask.nw_src = 0; mask.nw_dst = 0;
    } else if (key.dl_type === 0x86dd) {
      flower.key.ipv6 = { ipv6_src: key.ipv6_src.slice(), ipv6_dst: key.ipv6_dst.slice() };
      flower.mask.ipv6 = { ipv6_src: mask.ipv6_src.slice(), ipv6_dst: mask.ipv6_dst.slice() };
      mask.ipv6_src = new Uint8Array(16); mask.ipv6_dst = new Uint8Array(16);
    }
  }

  parse_match_ct_state_to_flower(p, flower, match);

  // An exact match on skb_mark 0 is no match at all.
  if (mask.pkt_mark === 0xffffffff && !key.pkt_mark) mask.pkt_mark = 0;

  let err = test_key_and_mask(p, match);
  if (err) return err;

  const acts = netdev_tc_parse_nl_actions(p, netdev, flower, actions);
  if (acts.error) return acts.error;

  if ((chain || acts.recirc_act) && !info.recirc_id_shared_with_tc) {
    p.vlog.dbg(THIS_MODULE, 'flow_put: recirc_id sharing not supported');
    return EOPNOTSUPP;
  }

  const adjust_stats = dpif_flow_stats_zero();
  const old = get_ufid_tc_mapping(p, ufid);
  if (old.id) {
    p.vlog.dbg(THIS_MODULE, `updating old handle: ${old.id.handle} prio: ${old.id.prio}`);
    info.tc_modify_flow_deleted = !del_filter_and_ufid_mapping(p, old.id, ufid, adjust_stats);
  }

  const prio = get_prio_for_tc_flower(p, flower);
  if (prio === 0) {
    p.vlog.err(THIS_MODULE, `couldn't get tc prio: ${strerror(ENOSPC)}`);
    return ENOSPC;
  }
  flower.act_cookie = u128_bytes(ufid);
  const block_id = get_block_id_from_netdev(p, netdev);
  const id = tc_make_tcf_id_chain(ifindex, block_id, chain, prio, hook);
  err = tc_replace_flower(p, id, flower);
  if (!err) {
    let chain_goto = 0;
    if (acts.recirc_act) {
      const g = flower.actions.find((a) => a.type === 'TC_ACT_GOTO' && a.chain !== 0);
      if (g && g.type === 'TC_ACT_GOTO') {
        chain_goto = g.chain;
        s.used_chains.set(chain_goto, (s.used_chains.get(chain_goto) ?? 0) + 1);
      }
    }
    add_ufid_tc_mapping(p, netdev, ufid, id, chain_goto, adjust_stats);
  }
  return err;
}, { input: (_p, netdev, _m, _a, ufid) => `${netdev.name} ${odp_format_ufid(ufid)}`, errno: (e) => -e, result: errno_text });

/** netdev_tc_flow_del: delete the filter mapped to a ufid (any netdev), else ENOENT. */
export const netdev_tc_flow_del = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_del(
  p: OvsProcess, _netdev: Netdev, ufid: Ufid, stats?: DpifFlowStats,
): number {
  const m = get_ufid_tc_mapping(p, ufid);
  if (!m.id) return m.error;
  return del_filter_and_ufid_mapping(p, m.id, ufid, stats);
}, { input: (_p, _n, ufid) => odp_format_ufid(ufid), errno: (e) => -e, result: errno_text });

/** netdev_tc_get_n_flows: tc-installed flows of this netdev (in HW or not). */
function netdev_tc_get_n_flows(p: OvsProcess, netdev: Netdev): number {
  return statics(p).n_flows.get(netdev) ?? 0;
}

/** get_ufid_adjust_stats */
function get_ufid_adjust_stats(p: OvsProcess, ufid: Ufid): DpifFlowStats | undefined {
  return statics(p).ufid_tc.get(ufid_key(ufid))?.[0]?.adjust_stats;
}

/** netdev_tc_adjust_stats: packets and bytes only (used is not restored). */
function netdev_tc_adjust_stats(stats: DpifFlowStats, adjust: DpifFlowStats): void {
  stats.n_bytes += adjust.n_bytes;
  stats.n_packets += adjust.n_packets;
}

/** find_ufid: the ufid tc_to_ufid holds for a filter id (cookie-less filters). */
function find_ufid(p: OvsProcess, netdev: Netdev, id: TcfId): Ufid | undefined {
  return statics(p).tc_ufid.get(tcf_id_key(id))?.find((x) => x.netdev === netdev)?.ufid;
}

/** netdev_tc_flow_flush: delete every mapped filter of this netdev. */
export const netdev_tc_flow_flush = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_flush(p: OvsProcess, netdev: Netdev): number {
  for (const d of [...statics(p).all]) {
    if (d.netdev !== netdev) continue;
    if (!tc_del_flower_filter(p, d.id)) del_ufid_tc_mapping(p, d.ufid);
  }
  return 0;
}, { input: (_p, netdev) => netdev.name, errno: (e) => -e, result: errno_text });

/** parse_tc_flower_to_stats: software plus hardware counters; used = lastused. */
function parse_tc_flower_to_stats(f: TcFlower, stats: DpifFlowStats): void {
  stats.n_packets = f.stats_sw.n_packets + f.stats_hw.n_packets;
  stats.n_bytes = f.stats_sw.n_bytes + f.stats_hw.n_bytes;
  stats.used = f.lastused;
  stats.tcp_flags = 0;
}

/** parse_tc_flower_to_attrs: IN_HW and UNDEFINED both count as offloaded. */
function parse_tc_flower_to_attrs(f: TcFlower): DpifFlowAttrs {
  return {
    offloaded: f.offloaded_state === 'TC_OFFLOADED_STATE_IN_HW' || f.offloaded_state === 'TC_OFFLOADED_STATE_UNDEFINED',
    dp_layer: 'tc',
  };
}

// sizeof(struct ovs_key_*) of the set_flower_map types
const OVS_KEY_SIZE: ReadonlyMap<number, number> = new Map([
  [OVS_KEY_ATTR_IPV4, 12], [OVS_KEY_ATTR_IPV6, 40], [OVS_KEY_ATTR_ETHERNET, 12], [OVS_KEY_ATTR_TCP, 4], [OVS_KEY_ATTR_UDP, 4],
]);

/**
 * parse_flower_rewrite_to_netlink_action: pedit words back into one
 * set_masked (key then mask) per OVS key type, through set_flower_map in
 * reverse. Sub-byte fields (IPv6 tclass) are not restored.
 */
function pedit_to_set_masked(rw: TcRewrite): [number, Uint8Array][] {
  const out = new Map<number, Uint8Array>();
  for (const fld of rw.fields) {
    for (let i = 0; i < fld.val.byteLength; i++) {
      if (!fld.mask[i]) continue;
      const pos = fld.off + i;
      for (const [type, map] of set_flower_map) {
        const e = map.find((x) => x.htype === fld.htype && !x.shift && pos >= x.hdr_off && pos < x.hdr_off + x.size);
        if (!e) continue;
        const size = OVS_KEY_SIZE.get(type)!;
        const km = out.get(type) ?? new Uint8Array(size * 2);
        km[e.ovs_off + pos - e.hdr_off] = fld.val[i]!;
        km[size + e.ovs_off + pos - e.hdr_off] = fld.mask[i]!;
        out.set(type, km);
      }
    }
  }
  return [...out];
}

/**
 * parse_tc_flower_to_actions: tc actions back to ODP actions. An output
 * port unknown to the port map is ENOENT.
 */
function parse_tc_flower_to_actions(p: OvsProcess, f: TcFlower): { error: number; actions?: Uint8Array } {
  const out = new NlAttrBuf();
  for (const a of f.actions) {
    switch (a.type) {
      case 'TC_ACT_VLAN_POP':
        out.attr(OVS_ACTION_ATTR_POP_VLAN, new Uint8Array(0));
        break;
      case 'TC_ACT_MPLS_POP':
        out.attr(OVS_ACTION_ATTR_POP_MPLS, new StructWriter(2).be16(0, a.mpls.proto).bytes);
        break;
      case 'TC_ACT_MPLS_PUSH':
        out.attr(OVS_ACTION_ATTR_PUSH_MPLS, new StructWriter(OVS_ACTION_PUSH_MPLS_LEN)
          .be32(0, mpls_lse(a.mpls.label, a.mpls.tc, a.mpls.ttl, a.mpls.bos)).be16(4, a.mpls.proto).bytes);
        break;
      case 'TC_ACT_MPLS_SET': {
        const o = out.nestStart(OVS_ACTION_ATTR_SET);
        out.attr(OVS_KEY_ATTR_MPLS, new StructWriter(4).be32(0, mpls_lse(a.mpls.label, a.mpls.tc, a.mpls.ttl, a.mpls.bos)).bytes);
        out.nestEnd(o);
        break;
      }
      case 'TC_ACT_VLAN_PUSH':
        out.attr(OVS_ACTION_ATTR_PUSH_VLAN, new StructWriter(4).be16(0, a.vlan.vlan_push_tpid)
          .be16(2, a.vlan.vlan_push_id | (a.vlan.vlan_push_prio << 13) | 0x1000).bytes); // VLAN_CFI
        break;
      case 'TC_ACT_OUTPUT': {
        const port = netdev_ifindex_to_odp_port(p, a.out.ifindex_out);
        if (port === undefined) return { error: ENOENT };
        out.attr(OVS_ACTION_ATTR_OUTPUT, new StructWriter(4).u32(0, port).bytes);
        break;
      }
      case 'TC_ACT_PEDIT':
        for (const [type, km] of pedit_to_set_masked(a.rewrite)) {
          const o = out.nestStart(OVS_ACTION_ATTR_SET_MASKED);
          out.attr(type, km);
          out.nestEnd(o);
        }
        break;
      case 'TC_ACT_CT':
        if (a.ct.clear) {
          out.attr(OVS_ACTION_ATTR_CT_CLEAR, new Uint8Array(0));
        } else {
          const o = out.nestStart(OVS_ACTION_ATTR_CT);
          if (a.ct.commit) out.attr(a.ct.force ? OVS_CT_ATTR_FORCE_COMMIT : OVS_CT_ATTR_COMMIT, new Uint8Array(0));
          if (a.ct.zone) out.attr(OVS_CT_ATTR_ZONE, new StructWriter(2).u16(0, a.ct.zone).bytes);
          if (a.ct.mark_mask) out.attr(OVS_CT_ATTR_MARK, new StructWriter(8).u32(0, a.ct.mark).u32(4, a.ct.mark_mask).bytes);
          if (a.ct.label_mask.some((x) => x)) {
            const both = new Uint8Array(32);
            both.set(a.ct.label, 0);
            both.set(a.ct.label_mask, 16);
            out.attr(OVS_CT_ATTR_LABELS, both);
          }
          if (a.ct.nat_type !== 'TC_NO_NAT') {
            const n = out.nestStart(OVS_CT_ATTR_NAT);
            if (a.ct.nat_type === 'TC_NAT_SRC') out.flag(OVS_NAT_ATTR_SRC);
            else if (a.ct.nat_type === 'TC_NAT_DST') out.flag(OVS_NAT_ATTR_DST);
            const r = a.ct.range;
            if (r.ip_family === AF_INET) {
              out.attr(OVS_NAT_ATTR_IP_MIN, new StructWriter(4).be32(0, r.ipv4.min).bytes);
              out.attr(OVS_NAT_ATTR_IP_MAX, new StructWriter(4).be32(0, r.ipv4.max).bytes);
            } else if (r.ip_family === AF_INET6) {
              out.attr(OVS_NAT_ATTR_IP_MIN, r.ipv6.min);
              out.attr(OVS_NAT_ATTR_IP_MAX, r.ipv6.max);
            }
            if (r.port.min) {
              out.attr(OVS_NAT_ATTR_PROTO_MIN, new StructWriter(2).u16(0, r.port.min).bytes);
              if (r.port.max) out.attr(OVS_NAT_ATTR_PROTO_MAX, new StructWriter(2).u16(0, r.port.max).bytes);
            }
            out.nestEnd(n);
          }
          out.nestEnd(o);
        }
        break;
      case 'TC_ACT_ENCAP': {
        // parse_tc_flower_to_actions: set(tunnel(...)) from the tunnel_key set.
        const o = out.nestStart(OVS_ACTION_ATTR_SET);
        const t = out.nestStart(OVS_KEY_ATTR_TUNNEL);
        const e = a.encap;
        if (e.id_present) out.attr(OVS_TUNNEL_KEY_ATTR_ID, new StructWriter(8).be32(0, Number(e.id >> 32n)).be32(4, Number(e.id & 0xffffffffn)).bytes);
        if (e.ipv4.ipv4_src) out.attr(OVS_TUNNEL_KEY_ATTR_IPV4_SRC, new StructWriter(4).be32(0, e.ipv4.ipv4_src).bytes);
        if (e.ipv4.ipv4_dst) out.attr(OVS_TUNNEL_KEY_ATTR_IPV4_DST, new StructWriter(4).be32(0, e.ipv4.ipv4_dst).bytes);
        if (e.tos) out.attr(OVS_TUNNEL_KEY_ATTR_TOS, new StructWriter(1).u8(0, e.tos).bytes);
        if (e.ttl) out.attr(OVS_TUNNEL_KEY_ATTR_TTL, new StructWriter(1).u8(0, e.ttl).bytes);
        if (e.dont_fragment) out.attr(OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, new Uint8Array(0));
        if (!e.no_csum) out.attr(OVS_TUNNEL_KEY_ATTR_CSUM, new Uint8Array(0));
        if (e.tp_dst) out.attr(OVS_TUNNEL_KEY_ATTR_TP_DST, new StructWriter(2).be16(0, e.tp_dst).bytes);
        out.nestEnd(t);
        out.nestEnd(o);
        break;
      }
      case 'TC_ACT_GOTO':
        if (a.chain) out.attr(OVS_ACTION_ATTR_RECIRC, new StructWriter(4).u32(0, a.chain).bytes);
        else out.attr(OVS_ACTION_ATTR_DROP, new StructWriter(4).u32(0, 0).bytes);
        break;
    }
  }
  return { error: 0, actions: out.bytes() };
}

/**
 * parse_tc_flower_to_match: the flower keys back into a struct match
 * (L2, one VLAN, ARP, IP with frag, L4, ct), then actions, stats, attrs.
 * A terse reply gives a catch-all match and stats only.
 */
export const parse_tc_flower_to_match = hop('lib/netdev-offload-tc.c', function parse_tc_flower_to_match(
  p: OvsProcess, _netdev: Netdev, f: TcFlower, terse: boolean,
): { error: number; match?: Match; actions?: Uint8Array; stats?: DpifFlowStats; attrs?: DpifFlowAttrs } {
  const stats = dpif_flow_stats_zero();
  parse_tc_flower_to_stats(f, stats);
  if (terse) return { error: 0, match: match_init_catchall(), actions: new Uint8Array(0), stats, attrs: parse_tc_flower_to_attrs(f) };
  const match = match_init_catchall();
  const k = f.key;
  const m = f.mask;
  const flow = match.flow;
  const wc = match.wc.masks;
  const masked = (kv: Uint8Array, mv: Uint8Array): Uint8Array => kv.map((b, i) => b & mv[i]!);
  if (f.tunnel) {
    // The enc_* keys back into the tunnel match (match_set_tun_*_masked).
    const t = k.tunnel;
    const tm = m.tunnel;
    if (tm.id) {
      flow.tunnel.tun_id = t.id & tm.id; wc.tunnel.tun_id = tm.id;
      flow.tunnel.flags |= FLOW_TNL_F_KEY; wc.tunnel.flags |= FLOW_TNL_F_KEY;
    }
    if (tm.ipv4.ipv4_dst || tm.ipv4.ipv4_src) {
      flow.tunnel.ip_dst = t.ipv4.ipv4_dst & tm.ipv4.ipv4_dst; wc.tunnel.ip_dst = tm.ipv4.ipv4_dst;
      flow.tunnel.ip_src = t.ipv4.ipv4_src & tm.ipv4.ipv4_src; wc.tunnel.ip_src = tm.ipv4.ipv4_src;
    }
    if (tm.tos) { flow.tunnel.ip_tos = t.tos & tm.tos; wc.tunnel.ip_tos = tm.tos; }
    if (tm.ttl) { flow.tunnel.ip_ttl = t.ttl & tm.ttl; wc.tunnel.ip_ttl = tm.ttl; }
    if (tm.tp_dst) { flow.tunnel.tp_dst = t.tp_dst & tm.tp_dst; wc.tunnel.tp_dst = tm.tp_dst; }
    if (tm.tp_src) { flow.tunnel.tp_src = t.tp_src & tm.tp_src; wc.tunnel.tp_src = tm.tp_src; }
    for (const [ovs, tc] of [
      [FLOW_TNL_F_OAM, TCA_FLOWER_KEY_FLAGS_TUNNEL_OAM], [FLOW_TNL_F_DONT_FRAGMENT, TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT],
      [FLOW_TNL_F_CSUM, TCA_FLOWER_KEY_FLAGS_TUNNEL_CSUM],
    ] as const) {
      if (!(tm.tc_enc_flags & tc)) continue;
      if (t.tc_enc_flags & tc) flow.tunnel.flags |= ovs;
      wc.tunnel.flags |= ovs;
    }
  }
  flow.dl_src = masked(k.src_mac, m.src_mac); wc.dl_src = m.src_mac.slice();
  flow.dl_dst = masked(k.dst_mac, m.dst_mac); wc.dl_dst = m.dst_mac.slice();
  if (eth_type_vlan(k.eth_type)) {
    flow.vlans[0] = { tpid: k.eth_type, tci: 0x1000 | (k.vlan_id[0] & 0xfff) | ((k.vlan_prio[0] & 7) << 13) };
    wc.vlans[0] = { tpid: 0xffff, tci: 0xffff }; // match_set_dl_vlan + _pcp: vid, CFI and pcp exact
    flow.dl_type = k.encap_eth_type[0]; wc.dl_type = 0xffff;
  } else if (k.eth_type === 0x8847 || k.eth_type === 0x8848) {
    flow.mpls_lse[0] = (k.mpls_lse & m.mpls_lse) >>> 0; wc.mpls_lse[0] = m.mpls_lse;
    flow.dl_type = k.encap_eth_type[0]; wc.dl_type = 0xffff;
  } else if (k.eth_type === 0x0806) {
    flow.arp_sha = masked(k.arp.sha, m.arp.sha); wc.arp_sha = m.arp.sha.slice();
    flow.arp_tha = masked(k.arp.tha, m.arp.tha); wc.arp_tha = m.arp.tha.slice();
    flow.nw_src = k.arp.spa & m.arp.spa; wc.nw_src = m.arp.spa;
    flow.nw_dst = k.arp.tpa & m.arp.tpa; wc.nw_dst = m.arp.tpa;
    flow.nw_proto = k.arp.opcode & m.arp.opcode; wc.nw_proto = m.arp.opcode;
    flow.dl_type = k.eth_type; wc.dl_type = 0xffff;
  } else {
    flow.dl_type = k.eth_type; wc.dl_type = 0xffff;
  }
  if (is_ip_any(flow)) {
    if (k.ip_proto) { flow.nw_proto = k.ip_proto; wc.nw_proto = 0xff; }
    flow.nw_tos = k.ip_tos & m.ip_tos; wc.nw_tos = m.ip_tos;
    flow.nw_ttl = k.ip_ttl & m.ip_ttl; wc.nw_ttl = m.ip_ttl;
    if (m.flags) {
      let flags = 0;
      let flags_mask = 0;
      if (m.flags & TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT) {
        if (k.flags & TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT) flags |= FLOW_NW_FRAG_ANY;
        flags_mask |= FLOW_NW_FRAG_ANY;
      }
      if (m.flags & TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST) {
        if (!(k.flags & TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST)) flags |= FLOW_NW_FRAG_LATER;
        flags_mask |= FLOW_NW_FRAG_LATER;
      }
      flow.nw_frag = flags & flags_mask; wc.nw_frag = flags_mask;
    }
    flow.nw_src = k.ipv4.ipv4_src & m.ipv4.ipv4_src; wc.nw_src = m.ipv4.ipv4_src;
    flow.nw_dst = k.ipv4.ipv4_dst & m.ipv4.ipv4_dst; wc.nw_dst = m.ipv4.ipv4_dst;
    flow.ipv6_src = masked(k.ipv6.ipv6_src, m.ipv6.ipv6_src); wc.ipv6_src = m.ipv6.ipv6_src.slice();
    flow.ipv6_dst = masked(k.ipv6.ipv6_dst, m.ipv6.ipv6_dst); wc.ipv6_dst = m.ipv6.ipv6_dst.slice();
    const tp = (src: number, msrc: number, dst: number, mdst: number): void => {
      flow.tp_src = src & msrc; wc.tp_src = msrc;
      flow.tp_dst = dst & mdst; wc.tp_dst = mdst;
    };
    if (k.ip_proto === 6) {
      tp(k.tcp_src, m.tcp_src, k.tcp_dst, m.tcp_dst);
      flow.tcp_flags = k.tcp_flags & m.tcp_flags; wc.tcp_flags = m.tcp_flags;
    } else if (k.ip_proto === 17) tp(k.udp_src, m.udp_src, k.udp_dst, m.udp_dst);
    else if (k.ip_proto === 132) tp(k.sctp_src, m.sctp_src, k.sctp_dst, m.sctp_dst);
    else if (k.ip_proto === 1 || k.ip_proto === 58) tp(k.icmp_type, m.icmp_type, k.icmp_code, m.icmp_code);
    if (m.ct_state) {
      let v = 0;
      let msk = 0;
      for (const [ovs, tc] of [
        [OVS_CS_F_NEW, TCA_FLOWER_KEY_CT_FLAGS_NEW], [OVS_CS_F_ESTABLISHED, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED],
        [OVS_CS_F_TRACKED, TCA_FLOWER_KEY_CT_FLAGS_TRACKED], [OVS_CS_F_REPLY_DIR, TCA_FLOWER_KEY_CT_FLAGS_REPLY],
        [OVS_CS_F_INVALID, TCA_FLOWER_KEY_CT_FLAGS_INVALID], [OVS_CS_F_RELATED, TCA_FLOWER_KEY_CT_FLAGS_RELATED],
      ] as const) {
        if (m.ct_state & tc) {
          if (k.ct_state & tc) v |= ovs;
          msk |= ovs;
        }
      }
      flow.ct_state = v; wc.ct_state = msk;
    }
    flow.ct_zone = k.ct_zone & m.ct_zone; wc.ct_zone = m.ct_zone;
    flow.ct_mark = k.ct_mark & m.ct_mark; wc.ct_mark = m.ct_mark;
    flow.ct_label = masked(k.ct_label, m.ct_label); wc.ct_label = m.ct_label.slice();
  }
  const acts = parse_tc_flower_to_actions(p, f);
  if (acts.error) return { error: acts.error };
  return { error: 0, match, actions: acts.actions!, stats, attrs: parse_tc_flower_to_attrs(f) };
}, { errno: (r) => -r.error, result: (r) => (r.attrs ? `dp:${r.attrs.dp_layer}${r.attrs.offloaded ? ' offloaded' : ''}` : errno_text(r.error)) });

/** struct netdev_flow_dump of this provider: the replies of one port's dump. */
export interface NetdevTcFlowDump {
  netdev: Netdev;
  /** The odp port of the dumped netdev (set by netdev_ports_flow_dump_create). */
  port: number;
  terse: boolean;
  msgs: NlMsg[];
  next: number;
}

/** A flow of a netdev dump, as netdev_flow_dump_next hands it on. */
export interface NetdevDumpedFlow {
  match: Match;
  actions: Uint8Array;
  stats: DpifFlowStats;
  attrs: DpifFlowAttrs;
  ufid: Ufid;
}

/** netdev_tc_flow_dump_create: an RTM_GETTFILTER dump of the port's hook. */
export const netdev_tc_flow_dump_create = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_dump_create(
  p: OvsProcess, netdev: Netdev, terse: boolean,
): { error: number; dump?: NetdevTcFlowDump } {
  const hook = get_tc_qdisc_hook(netdev);
  const ifindex = netdev_get_ifindex(p, netdev);
  if (ifindex < 0) {
    p.vlog.err(THIS_MODULE, `dump_create: failed to get ifindex for ${netdev.name}: ${strerror(-ifindex)}`);
    return { error: -ifindex };
  }
  const block_id = get_block_id_from_netdev(p, netdev);
  const id = tc_make_tcf_id_chain(ifindex, block_id, 0, 0, hook);
  // nl_dump errors surface at dump_next/destroy upstream; an empty dump here.
  const r = tc_dump_flower_start(p, id, terse);
  return { error: 0, dump: { netdev, port: 0, terse, msgs: r.msgs, next: 0 } };
}, { input: (_p, netdev) => netdev.name, errno: (r) => -r.error, result: (r) => (r.dump ? `${r.dump.msgs.length} msgs` : errno_text(r.error)) });

/**
 * netdev_tc_flow_dump_next: the next filter that parses and has a ufid
 * (from the action cookie, else tc_to_ufid); hand-added filters without
 * either are skipped. in_port is the dumped port, recirc_id the chain.
 */
export const netdev_tc_flow_dump_next = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_dump_next(
  p: OvsProcess, dump: NetdevTcFlowDump,
): NetdevDumpedFlow | null {
  const netdev = dump.netdev;
  const base = tc_make_tcf_id_chain(netdev_get_ifindex(p, netdev), get_block_id_from_netdev(p, netdev), 0, 0, get_tc_qdisc_hook(netdev));
  while (dump.next < dump.msgs.length) {
    const msg = dump.msgs[dump.next++]!;
    const id = { ...base };
    const r = parse_netlink_to_tc_flower(p, msg, id, dump.terse);
    if (!r.flower) continue;
    const m = parse_tc_flower_to_match(p, netdev, r.flower, dump.terse);
    if (!m.match) continue;
    let ufid: Ufid | undefined;
    const cookie = r.flower.act_cookie;
    if (cookie && cookie.byteLength >= 16) ufid = nl_attr_get_u128({ type: 0, nested: false, payload: cookie } as NlAttr);
    else ufid = find_ufid(p, netdev, id);
    if (!ufid) continue;
    const adj = get_ufid_adjust_stats(p, ufid);
    if (adj) netdev_tc_adjust_stats(m.stats!, adj);
    m.match.wc.masks.in_port = 0xffffffff;
    m.match.flow.in_port = dump.port;
    m.match.flow.recirc_id = id.chain; // match_set_recirc_id: exact
    m.match.wc.masks.recirc_id = 0xffffffff;
    return { match: m.match, actions: m.actions!, stats: m.stats!, attrs: m.attrs!, ufid };
  }
  return null;
}, { input: (_p, d) => `${d.netdev.name} ${d.next}/${d.msgs.length}`, result: (f) => (f ? odp_format_ufid(f.ufid) : 'done') });

/**
 * netdev_tc_flow_get: the mapped filter of a ufid read back with
 * tc_get_flower, as a match with stats; in_port from the ifindex,
 * recirc_id from the chain.
 */
export const netdev_tc_flow_get = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_get(
  p: OvsProcess, netdev: Netdev, ufid: Ufid,
): { error: number; flow?: NetdevDumpedFlow } {
  const mapped = get_ufid_tc_mapping(p, ufid);
  if (!mapped.id) return { error: mapped.error };
  const id = mapped.id;
  p.vlog.dbg(THIS_MODULE, `flow get (dev ${netdev.name} prio ${id.prio} handle ${id.handle} block_id ${id.block_id})`);
  const got = tc_get_flower(p, id);
  if (!got.flower) {
    p.vlog.err(THIS_MODULE, `flow get failed (dev ${netdev.name} prio ${id.prio} handle ${id.handle}): ${strerror(got.error)}`);
    return { error: got.error };
  }
  const m = parse_tc_flower_to_match(p, netdev, got.flower, false);
  if (!m.match) {
    p.vlog.err(THIS_MODULE, `flow get parse failed (dev ${netdev.name} prio ${id.prio} handle ${id.handle}): ${strerror(m.error)}`);
    return { error: m.error };
  }
  const adj = get_ufid_adjust_stats(p, ufid);
  if (adj) netdev_tc_adjust_stats(m.stats!, adj);
  const in_port = netdev_ifindex_to_odp_port(p, id.ifindex);
  m.match.wc.masks.in_port = 0xffffffff;
  m.match.flow.in_port = in_port ?? 0;
  m.match.flow.recirc_id = id.chain;
  m.match.wc.masks.recirc_id = 0xffffffff;
  return { error: 0, flow: { match: m.match, actions: m.actions!, stats: m.stats!, attrs: m.attrs!, ufid } };
}, { input: (_p, netdev, ufid) => `${netdev.name} ${odp_format_ufid(ufid)}`, errno: (r) => -r.error, result: (r) => errno_text(r.error) });

/**
 * get_chains_from_netdev + delete_chains_from_netdev: RTM_GETCHAIN dump of
 * the hook, then a kind-less RTM_DELTFILTER per chain found.
 */
function delete_chains_from_netdev(p: OvsProcess, id: TcfId): number {
  const parent = id.hook === 'TC_EGRESS' ? TC_EGRESS_PARENT : TC_INGRESS_PARENT;
  const req = new NlMsgBuilder({ nlmsg_type: RTM_GETCHAIN, nlmsg_flags: NLM_F_REQUEST, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(tcmsg_encode({ tcm_family: 0, tcm_ifindex: id.ifindex, tcm_handle: 0, tcm_parent: parent, tcm_info: 0 }))
    .finish();
  const { error, msgs } = nl_dump(p, NETLINK_ROUTE, req);
  if (error) return error;
  for (const m of msgs) {
    const c = (nl_attrs(m.payload.subarray(TCMSG_LEN)) ?? []).find((a) => a.type === TCA_CHAIN);
    if (!c) continue;
    const chain = nla_get_u32(c);
    // tc_del_filter(id, NULL): no TCA_KIND, as deleting an empty chain needs.
    const del = new NlMsgBuilder({ nlmsg_type: RTM_DELTFILTER, nlmsg_flags: NLM_F_REQUEST | NLM_F_ACK, nlmsg_seq: 0, nlmsg_pid: 0 })
      .put(tcmsg_encode({ tcm_family: 0, tcm_ifindex: id.ifindex, tcm_handle: 0, tcm_parent: parent, tcm_info: 0 }));
    if (chain) del.u32(TCA_CHAIN, chain);
    tc_transact(p, del.finish(), false);
  }
  return 0;
}

const enc_flags_probe = declareBranch('lib/netdev-offload-tc.c', 'probe_enc_flags_support', 'kernel accepts TCA_FLOWER_KEY_ENC_FLAGS');

/**
 * probe_enc_flags_support: a skip_hw IPv4 tunnel filter matching the
 * crit_opt tunnel flag at the probe priority on a fresh ingress qdisc; if the
 * kernel takes it (and echoes it back equal), tunnel flags are matched from
 * now on. The filter and the qdisc are removed again.
 */
const probe_enc_flags_support = hop('lib/netdev-offload-tc.c', function probe_enc_flags_support(p: OvsProcess, ifindex: number): void {
  const s = statics(p);
  // lib/netdev-offload-tc.c probe_enc_flags_support (v3.6.3): block 0, ingress.
  if (tc_add_del_qdisc(p, ifindex, true, 0, 'TC_INGRESS')) return;
  const flower = tc_flower_init();
  flower.tc_policy = 'TC_POLICY_SKIP_HW';
  flower.key.eth_type = 0x0800;
  flower.mask.eth_type = 0xffff;
  flower.tunnel = true;
  flower.mask.tunnel.id = 0xffffffffffffffffn;
  flower.mask.tunnel.ipv4 = { ipv4_src: 0xffffffff, ipv4_dst: 0xffffffff };
  flower.mask.tunnel.tp_dst = 0xffff;
  flower.mask.tunnel.tc_enc_flags = TCA_FLOWER_KEY_FLAGS_TUNNEL_CRIT_OPT;
  flower.key.tunnel.ipv4 = { ipv4_src: 0x01010101, ipv4_dst: 0x01010102 };
  flower.key.tunnel.tp_dst = 46354;
  flower.key.tunnel.tc_enc_flags = TCA_FLOWER_KEY_FLAGS_TUNNEL_CRIT_OPT;
  const id = tc_make_tcf_id_chain(ifindex, 0, 0, TC_RESERVED_PRIORITY_FEATURE_PROBE, 'TC_INGRESS');
  const error = tc_replace_flower(p, id, flower);
  if (enc_flags_probe(!error)) {
    tc_del_flower_filter(p, id);
    s.enc_flags_support = true;
    p.vlog.info(THIS_MODULE, 'probe tc: enc flags are supported.');
  }
  tc_add_del_qdisc(p, ifindex, false, 0, 'TC_INGRESS');
}, { input: (_p, ifindex) => `ifindex=${ifindex}`, result: () => undefined });

/**
 * netdev_tc_init_flow_api: ifindex, flush old filters, re-create the ingress
 * qdisc; the first call also runs the feature probes. All but the enc flags
 * probe are summarised as supported (the 6.18 kernel has every one of them).
 */
export const netdev_tc_init_flow_api = hop('lib/netdev-offload-tc.c', function netdev_tc_init_flow_api(p: OvsProcess, netdev: Netdev): number {
  const s = statics(p);
  const hook = get_tc_qdisc_hook(netdev);
  const ifindex = netdev_get_ifindex(p, netdev);
  if (ifindex < 0) {
    p.vlog.info(THIS_MODULE, `init: failed to get ifindex for ${netdev.name}: ${strerror(-ifindex)}`);
    return -ifindex;
  }
  let block_id = get_block_id_from_netdev(p, netdev);
  const id = tc_make_tcf_id_chain(ifindex, block_id, 0, 0, hook);
  if (s.get_chain_supported && delete_chains_from_netdev(p, id)) s.get_chain_supported = false;
  if (!s.get_chain_supported) tc_del_flower_filter(p, id);
  tc_add_del_qdisc(p, ifindex, false, 0, hook);

  if (!s.probes_done) {
    s.probes_done = true;
    s.block_support = true;
    p.vlog.info(THIS_MODULE, 'probe tc: block offload is supported.');
    block_id = get_block_id_from_netdev(p, netdev);
    s.multi_mask_per_prio = true;
    p.vlog.info(THIS_MODULE, 'probe tc: multiple masks on single tc prio is supported.');
    s.ct_state_support = OVS_CS_F_NEW | OVS_CS_F_ESTABLISHED | OVS_CS_F_TRACKED | OVS_CS_F_INVALID | OVS_CS_F_RELATED | OVS_CS_F_REPLY_DIR;
    p.vlog.info(THIS_MODULE, `probe tc: supported ovs ct_state bits: 0x${s.ct_state_support.toString(16)}`);
    s.vxlan_gbp_support = true;
    p.vlog.info(THIS_MODULE, 'probe tc: vxlan gbp is supported.');
    // The one probe really sent: whether tunnel flags can be matched decides
    // what every tunnel flow will carry (see netdev_tc_flow_put).
    probe_enc_flags_support(p, ifindex);
  }

  const error = tc_add_del_qdisc(p, ifindex, true, block_id, hook);
  if (error && error !== EEXIST) {
    p.vlog.info(THIS_MODULE, `failed adding ingress qdisc required for offloading on ${netdev.name}: ${strerror(error)}`);
    return error;
  }
  p.vlog.info(THIS_MODULE, `added ingress qdisc to ${netdev.name}`);
  return 0;
}, { input: (_p, netdev) => netdev.name, errno: (e) => -e, result: errno_text });

/** const struct netdev_flow_api netdev_offload_tc */
export const netdev_offload_tc = {
  type: 'linux_tc',
  flow_flush: netdev_tc_flow_flush,
  flow_dump_create: netdev_tc_flow_dump_create,
  flow_dump_next: netdev_tc_flow_dump_next,
  flow_put: netdev_tc_flow_put,
  flow_get: netdev_tc_flow_get,
  flow_del: netdev_tc_flow_del,
  init_flow_api: netdev_tc_init_flow_api,
  flow_get_n_flows: netdev_tc_get_n_flows,
} satisfies NetdevFlowApi;

