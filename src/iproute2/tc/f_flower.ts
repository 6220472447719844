// tc/f_flower.c (iproute2 v6.1.0): the flower classifier's command-line
// parser (flower_parse_opt → TCA_OPTIONS) and printer (flower_print_opt).
// Values are written in the byte order the kernel's fl_policy expects:
// ports, ethertypes, addresses and key ids big-endian; VLAN ids, ct fields host order.
import { hop } from '../../trace/hop';
import {
  TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_NOT_IN_HW, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW, TCA_CLS_FLAGS_VERBOSE,
  TCA_FLOWER_ACT, TCA_FLOWER_CLASSID, TCA_FLOWER_FLAGS, TCA_FLOWER_INDEV, TCA_FLOWER_IN_HW_COUNT,
  TCA_FLOWER_KEY_ARP_OP, TCA_FLOWER_KEY_ARP_OP_MASK, TCA_FLOWER_KEY_ARP_SHA, TCA_FLOWER_KEY_ARP_SHA_MASK,
  TCA_FLOWER_KEY_ARP_SIP, TCA_FLOWER_KEY_ARP_SIP_MASK, TCA_FLOWER_KEY_ARP_THA, TCA_FLOWER_KEY_ARP_THA_MASK,
  TCA_FLOWER_KEY_ARP_TIP, TCA_FLOWER_KEY_ARP_TIP_MASK, TCA_FLOWER_KEY_CT_LABELS, TCA_FLOWER_KEY_CT_LABELS_MASK,
  TCA_FLOWER_KEY_CT_MARK, TCA_FLOWER_KEY_CT_MARK_MASK, TCA_FLOWER_KEY_CT_STATE, TCA_FLOWER_KEY_CT_STATE_MASK,
  TCA_FLOWER_KEY_CT_ZONE, TCA_FLOWER_KEY_CT_ZONE_MASK, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED,
  TCA_FLOWER_KEY_CT_FLAGS_INVALID, TCA_FLOWER_KEY_CT_FLAGS_NEW, TCA_FLOWER_KEY_CT_FLAGS_RELATED,
  TCA_FLOWER_KEY_CT_FLAGS_REPLY, TCA_FLOWER_KEY_CT_FLAGS_TRACKED, TCA_FLOWER_KEY_CVLAN_ETH_TYPE,
  TCA_FLOWER_KEY_CVLAN_ID, TCA_FLOWER_KEY_CVLAN_PRIO, TCA_FLOWER_KEY_ENC_IPV4_DST, TCA_FLOWER_KEY_ENC_IPV4_DST_MASK,
  TCA_FLOWER_KEY_ENC_IPV4_SRC, TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK, TCA_FLOWER_KEY_ENC_IPV6_DST,
  TCA_FLOWER_KEY_ENC_IPV6_DST_MASK, TCA_FLOWER_KEY_ENC_IPV6_SRC, TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK,
  TCA_FLOWER_KEY_ENC_IP_TOS, TCA_FLOWER_KEY_ENC_IP_TOS_MASK, TCA_FLOWER_KEY_ENC_IP_TTL,
  TCA_FLOWER_KEY_ENC_IP_TTL_MASK, TCA_FLOWER_KEY_ENC_KEY_ID, TCA_FLOWER_KEY_ENC_UDP_DST_PORT,
  TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, TCA_FLOWER_KEY_ETH_DST, TCA_FLOWER_KEY_ETH_DST_MASK, TCA_FLOWER_KEY_ETH_SRC,
  TCA_FLOWER_KEY_ETH_SRC_MASK, TCA_FLOWER_KEY_ETH_TYPE, TCA_FLOWER_KEY_FLAGS, TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST,
  TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, TCA_FLOWER_KEY_FLAGS_MASK, TCA_FLOWER_KEY_ICMPV4_CODE,
  TCA_FLOWER_KEY_ICMPV4_CODE_MASK, TCA_FLOWER_KEY_ICMPV4_TYPE, TCA_FLOWER_KEY_ICMPV4_TYPE_MASK,
  TCA_FLOWER_KEY_ICMPV6_CODE, TCA_FLOWER_KEY_ICMPV6_CODE_MASK, TCA_FLOWER_KEY_ICMPV6_TYPE,
  TCA_FLOWER_KEY_ICMPV6_TYPE_MASK, TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV4_DST_MASK, TCA_FLOWER_KEY_IPV4_SRC,
  TCA_FLOWER_KEY_IPV4_SRC_MASK, TCA_FLOWER_KEY_IPV6_DST, TCA_FLOWER_KEY_IPV6_DST_MASK, TCA_FLOWER_KEY_IPV6_SRC,
  TCA_FLOWER_KEY_IPV6_SRC_MASK, TCA_FLOWER_KEY_IP_PROTO, TCA_FLOWER_KEY_IP_TOS, TCA_FLOWER_KEY_IP_TOS_MASK,
  TCA_FLOWER_KEY_IP_TTL, TCA_FLOWER_KEY_IP_TTL_MASK, TCA_FLOWER_KEY_MPLS_BOS, TCA_FLOWER_KEY_MPLS_LABEL,
  TCA_FLOWER_KEY_MPLS_TC, TCA_FLOWER_KEY_MPLS_TTL, TCA_FLOWER_KEY_NUM_OF_VLANS, TCA_FLOWER_KEY_PORT_DST_MAX,
  TCA_FLOWER_KEY_PORT_DST_MIN, TCA_FLOWER_KEY_PORT_SRC_MAX, TCA_FLOWER_KEY_PORT_SRC_MIN, TCA_FLOWER_KEY_SCTP_DST,
  TCA_FLOWER_KEY_SCTP_DST_MASK, TCA_FLOWER_KEY_SCTP_SRC, TCA_FLOWER_KEY_SCTP_SRC_MASK, TCA_FLOWER_KEY_TCP_DST,
  TCA_FLOWER_KEY_TCP_DST_MASK, TCA_FLOWER_KEY_TCP_FLAGS, TCA_FLOWER_KEY_TCP_FLAGS_MASK, TCA_FLOWER_KEY_TCP_SRC,
  TCA_FLOWER_KEY_TCP_SRC_MASK, TCA_FLOWER_KEY_UDP_DST, TCA_FLOWER_KEY_UDP_DST_MASK, TCA_FLOWER_KEY_UDP_SRC,
  TCA_FLOWER_KEY_UDP_SRC_MASK, TCA_FLOWER_KEY_VLAN_ETH_TYPE, TCA_FLOWER_KEY_VLAN_ID, TCA_FLOWER_KEY_VLAN_PRIO,
  TCA_FLOWER_MAX, TCA_FLOWER_KEY_MPLS_OPTS, TCA_FLOWER_KEY_MPLS_OPTS_LSE, TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS,
  TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH, TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL, TCA_FLOWER_KEY_MPLS_OPT_LSE_MAX,
  TCA_FLOWER_KEY_MPLS_OPT_LSE_TC, TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL,
  TCA_FLOWER_KEY_PPPOE_SID, TCA_FLOWER_KEY_PPP_PROTO, TCA_FLOWER_KEY_ENC_OPTS, TCA_FLOWER_KEY_ENC_OPTS_MASK,
  TCA_FLOWER_KEY_ENC_OPTS_GENEVE, TCA_FLOWER_KEY_ENC_OPTS_VXLAN, TCA_FLOWER_KEY_ENC_OPTS_ERSPAN, TCA_FLOWER_KEY_ENC_OPTS_GTP,
  TCA_FLOWER_KEY_ENC_OPTS_MAX, TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS, TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE,
  TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA, TCA_FLOWER_KEY_ENC_OPT_GENEVE_MAX, TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP,
  TCA_FLOWER_KEY_ENC_OPT_VXLAN_MAX, TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER, TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX,
  TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR, TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID, TCA_FLOWER_KEY_ENC_OPT_ERSPAN_MAX,
  TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE, TCA_FLOWER_KEY_ENC_OPT_GTP_QFI, TCA_FLOWER_KEY_ENC_OPT_GTP_MAX,
} from '../../kernel/include/uapi/linux/pkt_cls';
import { TCA_OPTIONS, TC_H_MAJ, TC_H_MAKE, TC_H_MIN, TC_H_MIN_PRIORITY } from '../../kernel/include/uapi/linux/pkt_sched';
import {
  NLA_F_NESTED, nla_get_be16, nla_get_be32, nla_get_string, nla_get_u16, nla_get_u32, nla_get_u8, nla_walk, type NlAttr,
} from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import {
  ARPOP_REPLY, ARPOP_REQUEST, ETH_ALEN, ETH_P_8021AD, ETH_P_8021Q, ETH_P_ALL, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6,
  ETH_P_MPLS_MC, ETH_P_MPLS_UC, ETH_P_PPP_SES, ETH_P_RARP, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP,
} from '../include/uapi/linux/if_ether';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { ll_proto_a2n, ll_proto_n2a } from '../lib/ll_proto';
import {
  AF_INET, AF_INET6, AF_UNSPEC, Args, check_ifname, get_be16, get_be32, get_prefix, get_u16, get_u32, get_u8,
  get_unsigned, hex2mem, hexstring_n2a, htons, inet_ntop4, inet_ntop6, invarg, ll_addr_a2n, ll_addr_n2a, matches,
  ntohs,
} from '../lib/utils';
import { parse_action, tc_print_action } from './m_action';
import type { TcProc } from './tc_common';
import { get_tc_classid, print_masked_be16, print_masked_u16, print_masked_u32, print_masked_u8, sprint_tc_classid } from './tc_util';

const TC_QOPT_MAX_QUEUE = 16;
// include/uapi/linux/ppp_defs.h
const PPP_IP = 0x21;
const PPP_IPV6 = 0x57;
const PPP_MPLS_UC = 0x0281;
const PPP_MPLS_MC = 0x0283;

// lib/ppp_proto.c ppp_proto_names (iproute2 v6.1.0), host order
const ppp_proto_names: ReadonlyArray<readonly [number, string]> = [
  [0x21, 'ip'], [0x29, 'at'], [0x2b, 'ipx'], [0x2d, 'vjc_comp'], [0x2f, 'vjc_uncomp'], [0x3d, 'mp'], [0x57, 'ipv6'],
  [0xfb, 'compfrag'], [0xfd, 'comp'], [0x0281, 'mpls_uc'], [0x0283, 'mpls_mc'], [0x8021, 'ipcp'], [0x8029, 'atcp'],
  [0x802b, 'ipxcp'], [0x8057, 'ipv6cp'], [0x80fb, 'ccpfrag'], [0x80fd, 'ccp'], [0x80fd, 'mplscp'], [0xc021, 'lcp'],
  [0xc023, 'pap'], [0xc025, 'lqr'], [0xc223, 'chap'], [0xc029, 'cbcp'],
];

/** lib/ppp_proto.c ppp_proto_a2n (lib/utils.c proto_a2n): a name or a number, in network order. */
function ppp_proto_a2n(buf: string): number | null {
  for (const [id, name] of ppp_proto_names) if (name.toLowerCase() === buf.toLowerCase()) return H(id);
  const v = get_be16(buf, 0);
  return v === null ? null : H(v);
}

/** lib/ppp_proto.c ppp_proto_n2a (lib/utils.c proto_n2a): `id` in network order. */
function ppp_proto_n2a(id: number, numeric: boolean): string {
  const h = ntohs(id);
  if (!numeric) for (const [pid, name] of ppp_proto_names) if (pid === h) return name;
  return `[${h}]`;
}
const H = (x: number): number => htons(x);

function explain(p: TcProc): void {
  p.io.stderr('Usage: ... flower	[ MATCH-LIST ] [ verbose ]\n' +
    '			[ skip_sw | skip_hw ]\n' +
    '			[ action ACTION-SPEC ] [ classid CLASSID ]\n' +
    '\n' +
    'Where: MATCH-LIST := [ MATCH-LIST ] MATCH\n' +
    '       MATCH      := {	indev DEV-NAME |\n' +
    '			num_of_vlans VLANS_COUNT |\n' +
    '			vlan_id VID |\n' +
    '			vlan_prio PRIORITY |\n' +
    '			vlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |\n' +
    '			cvlan_id VID |\n' +
    '			cvlan_prio PRIORITY |\n' +
    '			cvlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |\n' +
    '			pppoe_sid PSID |\n' +
    '			ppp_proto [ ipv4 | ipv6 | mpls_uc | mpls_mc | PPP_PROTO ]' +
    '			dst_mac MASKED-LLADDR |\n' +
    '			src_mac MASKED-LLADDR |\n' +
    '			ip_proto [tcp | udp | sctp | icmp | icmpv6 | IP-PROTO ] |\n' +
    '			ip_tos MASKED-IP_TOS |\n' +
    '			ip_ttl MASKED-IP_TTL |\n' +
    '			mpls LSE-LIST |\n' +
    '			mpls_label LABEL |\n' +
    '			mpls_tc TC |\n' +
    '			mpls_bos BOS |\n' +
    '			mpls_ttl TTL |\n' +
    '			dst_ip PREFIX |\n' +
    '			src_ip PREFIX |\n' +
    '			dst_port PORT-NUMBER |\n' +
    '			src_port PORT-NUMBER |\n' +
    '			tcp_flags MASKED-TCP_FLAGS |\n' +
    '			type MASKED-ICMP-TYPE |\n' +
    '			code MASKED-ICMP-CODE |\n' +
    '			arp_tip IPV4-PREFIX |\n' +
    '			arp_sip IPV4-PREFIX |\n' +
    '			arp_op [ request | reply | OP ] |\n' +
    '			arp_tha MASKED-LLADDR |\n' +
    '			arp_sha MASKED-LLADDR |\n' +
    '			enc_dst_ip [ IPV4-ADDR | IPV6-ADDR ] |\n' +
    '			enc_src_ip [ IPV4-ADDR | IPV6-ADDR ] |\n' +
    '			enc_key_id [ KEY-ID ] |\n' +
    '			enc_tos MASKED-IP_TOS |\n' +
    '			enc_ttl MASKED-IP_TTL |\n' +
    '			geneve_opts MASKED-OPTIONS |\n' +
    '			vxlan_opts MASKED-OPTIONS |\n' +
    '                       erspan_opts MASKED-OPTIONS |\n' +
    '			gtp_opts MASKED-OPTIONS |\n' +
    '			ip_flags IP-FLAGS |\n' +
    '			enc_dst_port [ port_number ] |\n' +
    '			ct_state MASKED_CT_STATE |\n' +
    '			ct_label MASKED_CT_LABEL |\n' +
    '			ct_mark MASKED_CT_MARK |\n' +
    '			ct_zone MASKED_CT_ZONE }\n' +
    '	LSE-LIST := [ LSE-LIST ] LSE\n' +
    '	LSE := lse depth DEPTH { label LABEL | tc TC | bos BOS | ttl TTL }\n' +
    '	FILTERID := X:Y:Z\n' +
    '	MASKED_LLADDR := { LLADDR | LLADDR/MASK | LLADDR/BITS }\n' +
    '	MASKED_CT_STATE := combination of {+|-} and flags trk,est,new,rel,rpl,inv\n' +
    '	ACTION-SPEC := ... look at individual actions\n' +
    '\n' +
    'NOTE:	CLASSID, IP-PROTO are parsed as hexadecimal input.\n' +
    'NOTE:	There can be only used one mask per one prio. If user needs\n' +
    '	to specify different mask, he has to use different prio.\n');
}

// tc/f_flower.c flower_parse_eth_addr: ADDR[/MASK|/BITS]; no mask = all ones.
function flower_parse_eth_addr(p: TcProc, str: string, addr_type: number, mask_type: number, n: NlAttrBuf): number {
  const slash = str.indexOf('/');
  const a = ll_addr_a2n(p.io, ETH_ALEN, slash >= 0 ? str.slice(0, slash) : str);
  if (!a) return -1;
  const addr = new Uint8Array(ETH_ALEN);
  addr.set(a);
  n.attr(addr_type, addr);
  const mask = new Uint8Array(ETH_ALEN).fill(0xff);
  if (slash >= 0) {
    const bits = get_unsigned(str.slice(slash + 1), 10);
    if (bits !== null) {
      // the top `bits` bits of the 48-bit address set
      const m = ((1n << 48n) - 1n) & (((1n << 48n) - 1n) << BigInt(48 - bits));
      for (let i = 0; i < ETH_ALEN; i++) mask[i] = Number((m >> BigInt(8 * (5 - i))) & 0xffn);
    } else {
      const mm = ll_addr_a2n(p.io, ETH_ALEN, str.slice(slash + 1));
      if (!mm) return -1;
      mask.fill(0);
      mask.set(mm);
    }
  }
  n.attr(mask_type, mask);
  return 0;
}

function eth_type_vlan(ethertype: number, good_num_of_vlans: boolean): boolean {
  return ethertype === H(ETH_P_8021Q) || ethertype === H(ETH_P_8021AD) || good_num_of_vlans;
}

// tc/f_flower.c flower_parse_vlan_eth_type
function flower_parse_vlan_eth_type(
  p: TcProc, str: string, eth_type: number, type: number, n: NlAttrBuf, good: boolean,
): number | null {
  if (!eth_type_vlan(eth_type, good)) {
    const v = type === TCA_FLOWER_KEY_VLAN_ETH_TYPE;
    p.io.stderr(`Can't set "${v ? 'vlan_ethtype' : 'cvlan_ethtype'}" if ethertype isn't 802.1Q or 802.1AD and num_of_vlans ${v ? 'is 0' : 'less than 2'}\n`);
    return null;
  }
  const vlan_eth_type = ll_proto_a2n(str);
  if (vlan_eth_type === null) invarg(p.io, 'invalid vlan_ethtype', str);
  n.u16(type, vlan_eth_type);
  return vlan_eth_type;
}

const flags_str: ReadonlyArray<readonly [number, string]> = [
  [TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT, 'frag'], [TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST, 'firstfrag'],
];

// tc/f_flower.c flower_parse_matching_flags: "[no]frag/[no]firstfrag"
function flower_parse_matching_flags(str: string, st: { mtf: number; mtf_mask: number }): number {
  for (const tok0 of str.split('/').filter((t) => t !== '')) {
    const no = tok0.startsWith('no');
    const tok = no ? tok0.slice(2) : tok0;
    const f = flags_str.find(([, s]) => s === tok);
    if (!f) return -1;
    if (no) st.mtf &= ~f[0];
    else st.mtf |= f[0];
    st.mtf_mask |= f[0];
  }
  return 0;
}

// tc/f_flower.c flower_parse_u16 / flower_parse_u32: VALUE[/MASK]
function flower_parse_u16(str: string, vt: number, mt: number, n: NlAttrBuf, be: boolean): number {
  const [v, m] = str.split('/');
  const value = get_u16(v, 0);
  const mask = m === undefined ? 0xffff : get_u16(m, 0);
  if (value === null || mask === null) return -1;
  if (be) {
    n.be16(vt, value);
    n.be16(mt, mask);
  } else {
    n.u16(vt, value);
    n.u16(mt, mask);
  }
  return 0;
}
function flower_parse_u32(str: string, vt: number, mt: number, n: NlAttrBuf): number {
  const [v, m] = str.split('/');
  const value = get_u32(v, 0);
  const mask = m === undefined ? 0xffffffff : get_u32(m, 0);
  if (value === null || mask === null) return -1;
  n.u32(vt, value);
  n.u32(mt, mask);
  return 0;
}

// tc/f_flower.c flower_parse_ct_labels: hex LABEL[/MASK], at most 16 bytes
function flower_parse_ct_labels(p: TcProc, str: string, n: NlAttrBuf): number {
  const [l, m] = str.split('/');
  const slen = l!.length;
  const slen_mask = m?.length ?? 0;
  if (slen > 32 || slen_mask > 32) invarg(p.io, `${slen} Max allowed size 32`, l!);
  const labels = hex2mem(l!, slen >> 1);
  if (!labels) invarg(p.io, 'labels must be a hex string\n', l!);
  n.attr(TCA_FLOWER_KEY_CT_LABELS, labels);
  let lmask: Uint8Array | null;
  if (m !== undefined) {
    lmask = hex2mem(m, slen_mask >> 1);
    if (!lmask) invarg(p.io, 'labels mask must be a hex string\n', m);
  } else {
    lmask = new Uint8Array(16).fill(0xff);
  }
  n.attr(TCA_FLOWER_KEY_CT_LABELS_MASK, lmask);
  return 0;
}

const flower_ct_states: ReadonlyArray<readonly [string, number]> = [
  ['trk', TCA_FLOWER_KEY_CT_FLAGS_TRACKED], ['new', TCA_FLOWER_KEY_CT_FLAGS_NEW],
  ['est', TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED], ['rel', TCA_FLOWER_KEY_CT_FLAGS_RELATED],
  ['inv', TCA_FLOWER_KEY_CT_FLAGS_INVALID], ['rpl', TCA_FLOWER_KEY_CT_FLAGS_REPLY],
];

// tc/f_flower.c flower_parse_ct_state: "+trk+est-new" → flags/mask
function flower_parse_ct_state(str: string, n: NlAttrBuf): number {
  let flags = 0;
  let mask = 0;
  let s = str;
  while (s !== '') {
    const pos = s[0] === '+';
    if (s[0] !== '+' && s[0] !== '-') return -1;
    const st = flower_ct_states.find(([name]) => s.startsWith(name, 1));
    if (!st) return -1;
    if (pos) flags |= st[1];
    mask |= st[1];
    s = s.slice(st[0].length + 1);
  }
  n.u16(TCA_FLOWER_KEY_CT_STATE, flags);
  n.u16(TCA_FLOWER_KEY_CT_STATE_MASK, mask);
  return 0;
}

// tc/f_flower.c flower_parse_ip_proto: only for IPv4/IPv6; names or hex.
function flower_parse_ip_proto(p: TcProc, str: string, eth_type: number, n: NlAttrBuf): number | null {
  const err = (): null => {
    p.io.stderr('Illegal "eth_type" for ip proto\n');
    return null;
  };
  if (eth_type !== H(ETH_P_IP) && eth_type !== H(ETH_P_IPV6)) return err();
  let ip_proto: number | null;
  if (!matches(str, 'tcp')) ip_proto = IPPROTO_TCP;
  else if (!matches(str, 'udp')) ip_proto = IPPROTO_UDP;
  else if (!matches(str, 'sctp')) ip_proto = IPPROTO_SCTP;
  else if (!matches(str, 'icmp')) {
    if (eth_type !== H(ETH_P_IP)) return err();
    ip_proto = IPPROTO_ICMP;
  } else if (!matches(str, 'icmpv6')) {
    if (eth_type !== H(ETH_P_IPV6)) return err();
    ip_proto = IPPROTO_ICMPV6;
  } else {
    ip_proto = get_u8(str, 16);
    if (ip_proto === null) return null;
  }
  n.u8(TCA_FLOWER_KEY_IP_PROTO, ip_proto);
  return ip_proto;
}

// tc/f_flower.c __flower_parse_ip_addr: address, then a prefix-length mask.
function __flower_parse_ip_addr(
  p: TcProc, str: string, family: number, a4: number, m4: number, a6: number, m6: number, n: NlAttrBuf,
): number {
  const addr = get_prefix(p.io, str, family);
  if (family && addr.family !== family) {
    p.io.stderr('Illegal "eth_type" for ip address\n');
    return -1;
  }
  n.attr(addr.family === AF_INET ? a4 : a6, addr.data.slice(0, addr.bytelen));
  const mask = new Uint8Array(addr.bytelen);
  for (let i = 0; i < addr.bytelen * 8; i++) if (i < addr.bitlen) mask[i >> 3]! |= 0x80 >> (i & 7);
  n.attr(addr.family === AF_INET ? m4 : m6, mask);
  return 0;
}

// tc/f_flower.c flower_parse_ip_addr: the family follows the filter's ethertype.
function flower_parse_ip_addr(
  p: TcProc, str: string, eth_type: number, a4: number, m4: number, a6: number, m6: number, n: NlAttrBuf,
): number {
  let family: number;
  if (eth_type === H(ETH_P_IP)) family = AF_INET;
  else if (eth_type === H(ETH_P_IPV6)) family = AF_INET6;
  else if (!eth_type) family = AF_UNSPEC;
  else return -1;
  return __flower_parse_ip_addr(p, str, family, a4, m4, a6, m6, n);
}

function flower_eth_type_arp(eth_type: number): boolean {
  return eth_type === H(ETH_P_ARP) || eth_type === H(ETH_P_RARP);
}

// tc/f_flower.c flower_parse_u8: VALUE[/MASK], VALUE may be a name.
function flower_parse_u8(
  str: string, vt: number, mt: number, from_name: ((s: string) => number | null) | null,
  validate: ((v: number) => boolean) | null, n: NlAttrBuf,
): number {
  const [v, m] = str.split('/');
  const value = (from_name ? from_name(v!) : null) ?? get_u8(v, 10);
  if (value === null) return -1;
  if (validate && !validate(value)) return -1;
  const mask = m === undefined ? 0xff : get_u8(m, 10);
  if (mask === null) return -1;
  n.u8(vt, value);
  n.u8(mt, mask);
  return 0;
}

function flower_icmp_attr_type(eth_type: number, ip_proto: number, code: boolean, mask: boolean): number {
  if (eth_type === H(ETH_P_IP) && ip_proto === IPPROTO_ICMP) {
    if (code) return mask ? TCA_FLOWER_KEY_ICMPV4_CODE_MASK : TCA_FLOWER_KEY_ICMPV4_CODE;
    return mask ? TCA_FLOWER_KEY_ICMPV4_TYPE_MASK : TCA_FLOWER_KEY_ICMPV4_TYPE;
  }
  if (eth_type === H(ETH_P_IPV6) && ip_proto === IPPROTO_ICMPV6) {
    if (code) return mask ? TCA_FLOWER_KEY_ICMPV6_CODE_MASK : TCA_FLOWER_KEY_ICMPV6_CODE;
    return mask ? TCA_FLOWER_KEY_ICMPV6_TYPE_MASK : TCA_FLOWER_KEY_ICMPV6_TYPE;
  }
  return -1;
}

function flower_port_attr_type(ip_proto: number, src: boolean, mask: boolean): number {
  switch (ip_proto) {
    case IPPROTO_TCP:
      return src ? (mask ? TCA_FLOWER_KEY_TCP_SRC_MASK : TCA_FLOWER_KEY_TCP_SRC) : mask ? TCA_FLOWER_KEY_TCP_DST_MASK : TCA_FLOWER_KEY_TCP_DST;
    case IPPROTO_UDP:
      return src ? (mask ? TCA_FLOWER_KEY_UDP_SRC_MASK : TCA_FLOWER_KEY_UDP_SRC) : mask ? TCA_FLOWER_KEY_UDP_DST_MASK : TCA_FLOWER_KEY_UDP_DST;
    case IPPROTO_SCTP:
      return src ? (mask ? TCA_FLOWER_KEY_SCTP_SRC_MASK : TCA_FLOWER_KEY_SCTP_SRC) : mask ? TCA_FLOWER_KEY_SCTP_DST_MASK : TCA_FLOWER_KEY_SCTP_DST;
    default:
      return -1;
  }
}

function flower_port_range_attr_type(ip_proto: number, src: boolean): [number, number] | null {
  if (ip_proto !== IPPROTO_TCP && ip_proto !== IPPROTO_UDP && ip_proto !== IPPROTO_SCTP) return null;
  return src ? [TCA_FLOWER_KEY_PORT_SRC_MIN, TCA_FLOWER_KEY_PORT_SRC_MAX] : [TCA_FLOWER_KEY_PORT_DST_MIN, TCA_FLOWER_KEY_PORT_DST_MAX];
}

// tc/f_flower.c flower_parse_port: PORT, MIN-MAX, or PORT/MASK.
function flower_parse_port(p: TcProc, str: string, ip_proto: number, src: boolean, n: NlAttrBuf): number {
  let min = 0;
  let max = 0;
  let slash = false;
  // parse_range
  const dash = str.indexOf('-');
  let ok: boolean;
  if (dash >= 0) {
    const a = get_be16(str.slice(0, dash), 10);
    const b = a === null ? null : get_be16(str.slice(dash + 1), 10);
    if (a !== null) min = a;
    if (b !== null) max = b;
    ok = a !== null && b !== null;
  } else {
    const a = get_be16(str, 10);
    if (a !== null) min = a;
    ok = a !== null;
  }
  if (!ok) {
    slash = str.includes('/');
    if (!slash) return -1;
  }
  if (min && max) {
    if (max <= min) {
      p.io.stderr('max value should be greater than min value\n');
      return -1;
    }
    const t = flower_port_range_attr_type(ip_proto, src);
    if (!t) return -1;
    n.be16(t[0], min);
    n.be16(t[1], max);
  } else if (slash || (min && !max)) {
    const type = flower_port_attr_type(ip_proto, src, false);
    if (type < 0) return -1;
    if (!slash) {
      n.be16(type, min);
    } else {
      const mask_type = flower_port_attr_type(ip_proto, src, true);
      if (mask_type < 0) return -1;
      return flower_parse_u16(str, type, mask_type, n, true);
    }
  } else {
    return -1;
  }
  return 0;
}

// tc/f_flower.c flower_parse_tcp_flags: hex FLAGS[/MASK], 12 bits
function flower_parse_tcp_flags(str: string, n: NlAttrBuf): number {
  const [f, m] = str.split('/');
  const flags = get_u16(f, 16);
  if (flags === null || flags & ~0xfff) return -1;
  n.be16(TCA_FLOWER_KEY_TCP_FLAGS, flags);
  const mask = m === undefined ? 0xfff : get_u16(m, 16);
  if (mask === null || mask & ~0xfff) return -1;
  n.be16(TCA_FLOWER_KEY_TCP_FLAGS_MASK, mask);
  return 0;
}

// tc/f_flower.c flower_parse_ip_tos_ttl: decimal or hex VALUE, hex MASK
function flower_parse_ip_tos_ttl(str: string, kt: number, mt: number, n: NlAttrBuf): number {
  const [v, m] = str.split('/');
  const val = get_u8(v, 10) ?? get_u8(v, 16);
  if (val === null) return -1;
  n.u8(kt, val);
  const mask = m === undefined ? 0xff : get_u8(m, 16);
  if (mask === null) return -1;
  n.u8(mt, mask);
  return 0;
}

// tc/f_flower.c flower_parse_opt: keys in command-line order, then
// TCA_FLOWER_FLAGS (always), KEY_FLAGS if ip_flags, KEY_ETH_TYPE unless "all".
// ---- tunnel options (tc/f_flower.c flower_parse_enc_opts_*) ----
// C walks these strings with strsep(); a field list that runs short where C
// would read past it (strlen(NULL)) is treated here as a parse error.

/** tc/f_flower.c flower_parse_geneve_opt: CLASS:TYPE:DATA, any field may be empty (mask). */
function flower_parse_geneve_opt(p: TcProc, str: string, n: NlAttrBuf): number {
  const nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_GENEVE);
  const tokens = str.split(':');
  for (let i = 1; i <= tokens.length; i++) {
    const token = tokens[i - 1]!;
    if (i === TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS) {
      if (!token.length) continue;
      const v = get_be16(token, 16);
      if (v === null) return -1;
      n.be16(i, v);
    } else if (i === TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE) {
      if (!token.length) continue;
      const v = get_u8(token, 16);
      if (v === null) return -1;
      n.u8(i, v);
    } else if (i === TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA) {
      if (!token.length) continue;
      const data = hex2mem(token, Math.floor(token.length / 2));
      if (!data) return -1;
      n.attr(i, data);
    } else {
      p.io.stderr('Unknown "geneve_opts" type\n');
      return -1;
    }
  }
  n.nestEnd(nest);
  return 0;
}

function flower_parse_geneve_opts(p: TcProc, str: string, n: NlAttrBuf): number {
  for (const token of str.split(',')) {
    const err = flower_parse_geneve_opt(p, token, n);
    if (err) return err;
  }
  return 0;
}

/** tc/f_flower.c flower_check_enc_opt_key: exactly three fields, none empty. */
function flower_check_enc_opt_key(key: string): number {
  const f = key.split(':');
  return f.length === 3 && f.every((x) => x.length > 0) ? 0 : -1;
}

/** tc/f_flower.c flower_parse_enc_opts_geneve: a mask left out is all ones over the key's fields. */
function flower_parse_enc_opts_geneve(p: TcProc, str: string, n: NlAttrBuf): number {
  const key: string[] = [];
  const mask: string[] = [];
  for (const token of str.split(',')) {
    const slash = token.indexOf('/');
    const k = slash < 0 ? token : token.slice(0, slash);
    if (flower_check_enc_opt_key(k)) return -1;
    key.push(k);
    if (slash < 0) {
      const data_len = k.length - k.lastIndexOf(':');
      mask.push(`ffff:ff:${'f'.repeat(data_len - 1)}`);
    } else {
      mask.push(token.slice(slash + 1));
    }
  }
  let nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS);
  let err = flower_parse_geneve_opts(p, key.join(','), n);
  if (err) return err;
  n.nestEnd(nest);
  nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_MASK);
  err = flower_parse_geneve_opts(p, mask.join(','), n);
  if (err) return err;
  n.nestEnd(nest);
  return 0;
}

/** tc/f_flower.c flower_parse_vxlan_opt: the GBP value (any base). */
function flower_parse_vxlan_opt(str: string, n: NlAttrBuf): number {
  const nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_VXLAN | NLA_F_NESTED);
  const gbp = get_u32(str, 0);
  if (gbp === null) return -1;
  n.u32(TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP, gbp);
  n.nestEnd(nest);
  return 0;
}

/** tc/f_flower.c flower_parse_enc_opts_vxlan: GBP[/MASK], the mask defaulting to 0xffffffff. */
function flower_parse_enc_opts_vxlan(str: string, n: NlAttrBuf): number {
  const slash = str.indexOf('/');
  const key = slash < 0 ? str : str.slice(0, slash);
  const mask = slash < 0 ? '0xffffffff' : str.slice(slash + 1);
  let nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS | NLA_F_NESTED);
  let err = flower_parse_vxlan_opt(key, n);
  if (err) return err;
  n.nestEnd(nest);
  nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_MASK | NLA_F_NESTED);
  err = flower_parse_vxlan_opt(mask, n);
  if (err) return err;
  n.nestEnd(nest);
  return 0;
}

/** tc/f_flower.c flower_parse_erspan_opt: VER:INDEX:DIR:HWID, empty fields left out. */
function flower_parse_erspan_opt(p: TcProc, str: string, n: NlAttrBuf): number {
  const nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_ERSPAN | NLA_F_NESTED);
  const tokens = str.split(':');
  for (let i = 1; i <= tokens.length; i++) {
    const token = tokens[i - 1]!;
    if (i > TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID) {
      p.io.stderr('Unknown "geneve_opts" type\n');
      return -1;
    }
    if (!token.length) continue;
    if (i === TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX) {
      const v = get_be32(token, 0);
      if (v === null) return -1;
      n.be32(i, v);
    } else {
      const v = get_u8(token, 0);
      if (v === null) return -1;
      n.u8(i, v);
    }
  }
  n.nestEnd(nest);
  return 0;
}

/** tc/f_flower.c flower_parse_enc_opts_erspan: the default mask keeps the key's version. */
function flower_parse_enc_opts_erspan(p: TcProc, str: string, n: NlAttrBuf): number {
  const slash = str.indexOf('/');
  let key = str;
  let mask: string;
  if (slash >= 0) {
    key = str.slice(0, slash);
    mask = str.slice(slash + 1);
  } else {
    const colon = str.indexOf(':');
    if (colon < 0) return -1; // C copies from a NULL strchr() result here
    mask = `${str.slice(0, colon)}:0xffffffff:0xff:0xff`;
  }
  let nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS | NLA_F_NESTED);
  let err = flower_parse_erspan_opt(p, key, n);
  if (err) return err;
  n.nestEnd(nest);
  nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_MASK | NLA_F_NESTED);
  err = flower_parse_erspan_opt(p, mask, n);
  if (err) return err;
  n.nestEnd(nest);
  return 0;
}

/** tc/f_flower.c flower_parse_gtp_opt: PDU_TYPE:QFI in hex; fields past the second are ignored. */
function flower_parse_gtp_opt(str: string, n: NlAttrBuf): number {
  const nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_GTP | NLA_F_NESTED);
  const tokens = str.split(':');
  for (let arg = 1; arg <= TCA_FLOWER_KEY_ENC_OPT_GTP_MAX; arg++) {
    const token = tokens[arg - 1];
    if (token === undefined) return -1; // C: strlen(NULL)
    if (!token.length) continue;
    const v = get_u8(token, 16);
    if (v === null) return -1;
    n.u8(arg === 1 ? TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE : TCA_FLOWER_KEY_ENC_OPT_GTP_QFI, v);
  }
  n.nestEnd(nest);
  return 0;
}

/** tc/f_flower.c flower_parse_enc_opts_gtp: the mask defaults to ff:ff. */
function flower_parse_enc_opts_gtp(str: string, n: NlAttrBuf): number {
  const slash = str.indexOf('/');
  const key = slash < 0 ? str : str.slice(0, slash);
  const mask = slash < 0 ? 'ff:ff' : str.slice(slash + 1);
  let nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS | NLA_F_NESTED);
  let err = flower_parse_gtp_opt(key, n);
  if (err) return err;
  n.nestEnd(nest);
  nest = n.nestStart(TCA_FLOWER_KEY_ENC_OPTS_MASK | NLA_F_NESTED);
  err = flower_parse_gtp_opt(mask, n);
  if (err) return err;
  n.nestEnd(nest);
  return 0;
}

export const flower_parse_opt = hop('tc/f_flower.c', function flower_parse_opt(
  p: TcProc, handle: string | null, args: Args, req: { tcm_handle: number; tcm_info: number; tcm_parent: number },
  n: NlAttrBuf,
): number {
  const tc_proto = TC_H_MIN(req.tcm_info);
  let eth_type = tc_proto;
  let vlan_ethtype = 0;
  let num_of_vlans = 0;
  let ip_proto = 0xff;
  let flags = 0;
  const mtf = { mtf: 0, mtf_mask: 0 };
  // the flat mpls_* keys and the "mpls" LSE list exclude each other
  let mpls_format_old = false;
  let mpls_format_new = false;
  if (handle !== null) {
    const h = get_u32(handle, 0);
    if (h === null) {
      p.io.stderr('Illegal "handle"\n');
      return -1;
    }
    req.tcm_handle = h;
  }
  const tail = n.nestStart(TCA_OPTIONS);
  const illegal = (what: string): number => {
    p.io.stderr(`Illegal "${what}"\n`);
    return -1;
  };
  while (args.argc > 0) {
    const c = args.cur!;
    const key = (w: string): boolean => !matches(c, w);
    if (key('classid') || key('flowid')) {
      const v = get_tc_classid(args.next(p.io));
      if (v === null) return illegal('classid');
      n.u32(TCA_FLOWER_CLASSID, v);
    } else if (key('hw_tc')) {
      const s = args.next(p.io);
      if (!/^\s*[+-]?(0x[0-9a-f]+|\d+)$/i.test(s)) {
        p.io.stderr('Illegal TC index\n');
        return -1;
      }
      const tc = Number(s);
      if (tc >= TC_QOPT_MAX_QUEUE) {
        p.io.stderr('TC index exceeds max range\n');
        return -1;
      }
      n.u32(TCA_FLOWER_CLASSID, TC_H_MAKE(TC_H_MAJ(req.tcm_parent), TC_H_MIN(tc + TC_H_MIN_PRIORITY)));
    } else if (key('ip_flags')) {
      if (flower_parse_matching_flags(args.next(p.io), mtf) < 0) return illegal('ip_flags');
    } else if (key('verbose')) {
      flags |= TCA_CLS_FLAGS_VERBOSE;
    } else if (key('skip_hw')) {
      flags |= TCA_CLS_FLAGS_SKIP_HW;
    } else if (key('skip_sw')) {
      flags |= TCA_CLS_FLAGS_SKIP_SW;
    } else if (key('ct_state')) {
      if (flower_parse_ct_state(args.next(p.io), n) < 0) return illegal('ct_state');
    } else if (key('ct_zone')) {
      if (flower_parse_u16(args.next(p.io), TCA_FLOWER_KEY_CT_ZONE, TCA_FLOWER_KEY_CT_ZONE_MASK, n, false) < 0) {
        return illegal('ct_zone');
      }
    } else if (key('ct_mark')) {
      if (flower_parse_u32(args.next(p.io), TCA_FLOWER_KEY_CT_MARK, TCA_FLOWER_KEY_CT_MARK_MASK, n) < 0) {
        return illegal('ct_mark');
      }
    } else if (key('ct_label')) {
      if (flower_parse_ct_labels(p, args.next(p.io), n) < 0) return illegal('ct_label');
    } else if (key('indev')) {
      const d = args.next(p.io);
      if (check_ifname(d)) invarg(p.io, '"indev" not a valid ifname', d);
      n.string(TCA_FLOWER_INDEV, d);
    } else if (c === 'num_of_vlans') {
      const v = get_u8(args.next(p.io), 10);
      if (v === null) return illegal('num_of_vlans');
      num_of_vlans = v;
      n.u8(TCA_FLOWER_KEY_NUM_OF_VLANS, num_of_vlans);
    } else if (key('vlan_id') || key('vlan_prio')) {
      const id = key('vlan_id');
      const s = args.next(p.io);
      if (!eth_type_vlan(tc_proto, num_of_vlans > 0)) {
        p.io.stderr(`Can't set "${id ? 'vlan_id' : 'vlan_prio'}" if ethertype isn't 802.1Q or 802.1AD and num_of_vlans is 0\n`);
        return -1;
      }
      if (id) {
        const vid = get_u16(s, 10);
        if (vid === null || vid & ~0xfff) return illegal('vlan_id');
        n.u16(TCA_FLOWER_KEY_VLAN_ID, vid);
      } else {
        const pr = get_u8(s, 10);
        if (pr === null || pr & ~0x7) return illegal('vlan_prio');
        n.u8(TCA_FLOWER_KEY_VLAN_PRIO, pr);
      }
    } else if (key('vlan_ethtype')) {
      const v = flower_parse_vlan_eth_type(p, args.next(p.io), eth_type, TCA_FLOWER_KEY_VLAN_ETH_TYPE, n, num_of_vlans > 0);
      if (v === null) return -1;
      vlan_ethtype = v;
      eth_type = vlan_ethtype; // later keys parse against the inner type
    } else if (key('cvlan_id') || key('cvlan_prio')) {
      const id = key('cvlan_id');
      const s = args.next(p.io);
      if (!eth_type_vlan(vlan_ethtype, num_of_vlans > 1)) {
        p.io.stderr(`Can't set "${id ? 'cvlan_id' : 'cvlan_prio'}" if inner vlan ethertype isn't 802.1Q or 802.1AD and num_of_vlans is less than 2\n`);
        return -1;
      }
      if (id) {
        const vid = get_u16(s, 10);
        if (vid === null || vid & ~0xfff) return illegal('cvlan_id');
        n.u16(TCA_FLOWER_KEY_CVLAN_ID, vid);
      } else {
        const pr = get_u8(s, 10);
        if (pr === null || pr & ~0x7) return illegal('cvlan_prio');
        n.u8(TCA_FLOWER_KEY_CVLAN_PRIO, pr);
      }
    } else if (key('cvlan_ethtype')) {
      const v = flower_parse_vlan_eth_type(p, args.next(p.io), vlan_ethtype, TCA_FLOWER_KEY_CVLAN_ETH_TYPE, n, num_of_vlans > 1);
      if (v === null) return -1;
      eth_type = v;
    } else if (key('mpls')) {
      // matched before mpls_label & co., as upstream's if-chain does
      args.next(p.io);
      if (eth_type !== H(ETH_P_MPLS_UC) && eth_type !== H(ETH_P_MPLS_MC)) {
        p.io.stderr('Can\'t set "mpls" if ethertype isn\'t MPLS\n');
        return -1;
      }
      if (mpls_format_old) {
        p.io.stderr('Can\'t set "mpls" if "mpls_label", "mpls_tc", "mpls_bos" or "mpls_ttl" is set\n');
        return -1;
      }
      mpls_format_new = true;
      if (flower_parse_mpls(p, args, n) < 0) return -1;
      continue;
    } else if (key('mpls_label') || key('mpls_tc') || key('mpls_bos') || key('mpls_ttl')) {
      const w = ['mpls_label', 'mpls_tc', 'mpls_bos', 'mpls_ttl'].find((x) => key(x))!;
      const s = args.next(p.io);
      if (eth_type !== H(ETH_P_MPLS_UC) && eth_type !== H(ETH_P_MPLS_MC)) {
        p.io.stderr(`Can't set "${w}" if ethertype isn't MPLS\n`);
        return -1;
      }
      if (mpls_format_new) {
        p.io.stderr(`Can't set "${w}" if "mpls" is set\n`);
        return -1;
      }
      mpls_format_old = true;
      if (w === 'mpls_label') {
        const v = get_u32(s, 0);
        if (v === null || v & ~0xfffff) return illegal(w);
        n.u32(TCA_FLOWER_KEY_MPLS_LABEL, v);
      } else {
        const v = get_u8(s, 0);
        const lim = w === 'mpls_tc' ? 0x7 : w === 'mpls_bos' ? 0x1 : 0xff;
        if (v === null || v & ~lim) return illegal(w);
        n.u8(w === 'mpls_tc' ? TCA_FLOWER_KEY_MPLS_TC : w === 'mpls_bos' ? TCA_FLOWER_KEY_MPLS_BOS : TCA_FLOWER_KEY_MPLS_TTL, v);
      }
    } else if (key('dst_mac') || key('src_mac')) {
      const dst = key('dst_mac');
      const r = dst
        ? flower_parse_eth_addr(p, args.next(p.io), TCA_FLOWER_KEY_ETH_DST, TCA_FLOWER_KEY_ETH_DST_MASK, n)
        : flower_parse_eth_addr(p, args.next(p.io), TCA_FLOWER_KEY_ETH_SRC, TCA_FLOWER_KEY_ETH_SRC_MASK, n);
      if (r < 0) return illegal(dst ? 'dst_mac' : 'src_mac');
    } else if (key('ip_proto')) {
      const v = flower_parse_ip_proto(p, args.next(p.io), eth_type, n);
      if (v === null) return illegal('ip_proto');
      ip_proto = v;
    } else if (key('ip_tos')) {
      if (flower_parse_ip_tos_ttl(args.next(p.io), TCA_FLOWER_KEY_IP_TOS, TCA_FLOWER_KEY_IP_TOS_MASK, n) < 0) return illegal('ip_tos');
    } else if (key('ip_ttl')) {
      if (flower_parse_ip_tos_ttl(args.next(p.io), TCA_FLOWER_KEY_IP_TTL, TCA_FLOWER_KEY_IP_TTL_MASK, n) < 0) return illegal('ip_ttl');
    } else if (key('dst_ip')) {
      if (flower_parse_ip_addr(p, args.next(p.io), eth_type, TCA_FLOWER_KEY_IPV4_DST, TCA_FLOWER_KEY_IPV4_DST_MASK,
        TCA_FLOWER_KEY_IPV6_DST, TCA_FLOWER_KEY_IPV6_DST_MASK, n) < 0) return illegal('dst_ip');
    } else if (key('src_ip')) {
      if (flower_parse_ip_addr(p, args.next(p.io), eth_type, TCA_FLOWER_KEY_IPV4_SRC, TCA_FLOWER_KEY_IPV4_SRC_MASK,
        TCA_FLOWER_KEY_IPV6_SRC, TCA_FLOWER_KEY_IPV6_SRC_MASK, n) < 0) return illegal('src_ip');
    } else if (key('dst_port')) {
      if (flower_parse_port(p, args.next(p.io), ip_proto, false, n) < 0) return illegal('dst_port');
    } else if (key('src_port')) {
      if (flower_parse_port(p, args.next(p.io), ip_proto, true, n) < 0) return illegal('src_port');
    } else if (key('tcp_flags')) {
      if (flower_parse_tcp_flags(args.next(p.io), n) < 0) return illegal('tcp_flags');
    } else if (key('type') || key('code')) {
      const code = key('code') && !key('type');
      const s = args.next(p.io);
      const vt = flower_icmp_attr_type(eth_type, ip_proto, code, false);
      const mt = flower_icmp_attr_type(eth_type, ip_proto, code, true);
      if (vt < 0 || mt < 0 || flower_parse_u8(s, vt, mt, null, null, n) < 0) return illegal(code ? 'icmp code' : 'icmp type');
    } else if (key('arp_tip') || key('arp_sip')) {
      const tip = key('arp_tip');
      const s = args.next(p.io);
      if (!flower_eth_type_arp(eth_type) || __flower_parse_ip_addr(p, s, AF_INET,
        tip ? TCA_FLOWER_KEY_ARP_TIP : TCA_FLOWER_KEY_ARP_SIP, tip ? TCA_FLOWER_KEY_ARP_TIP_MASK : TCA_FLOWER_KEY_ARP_SIP_MASK,
        0, 0, n) < 0) return illegal(tip ? 'arp_tip' : 'arp_sip');
    } else if (key('arp_op')) {
      const s = args.next(p.io);
      const from_name = (x: string): number | null => (x === 'request' ? ARPOP_REQUEST : x === 'reply' ? ARPOP_REPLY : null);
      const valid = (op: number): boolean => !op || op === ARPOP_REQUEST || op === ARPOP_REPLY;
      if (!flower_eth_type_arp(eth_type) ||
        flower_parse_u8(s, TCA_FLOWER_KEY_ARP_OP, TCA_FLOWER_KEY_ARP_OP_MASK, from_name, valid, n) < 0) return illegal('arp_op');
    } else if (key('arp_tha') || key('arp_sha')) {
      const tha = key('arp_tha');
      if (flower_parse_eth_addr(p, args.next(p.io), tha ? TCA_FLOWER_KEY_ARP_THA : TCA_FLOWER_KEY_ARP_SHA,
        tha ? TCA_FLOWER_KEY_ARP_THA_MASK : TCA_FLOWER_KEY_ARP_SHA_MASK, n) < 0) return illegal(tha ? 'arp_tha' : 'arp_sha');
    } else if (c === 'pppoe_sid') {
      const s = args.next(p.io);
      if (eth_type !== H(ETH_P_PPP_SES)) {
        p.io.stderr('Can\'t set "pppoe_sid" if ethertype isn\'t PPPoE session\n');
        return -1;
      }
      const sid = get_be16(s, 10);
      if (sid === null) return illegal('pppoe_sid');
      n.be16(TCA_FLOWER_KEY_PPPOE_SID, sid);
    } else if (c === 'ppp_proto') {
      const s = args.next(p.io);
      if (eth_type !== H(ETH_P_PPP_SES)) {
        p.io.stderr('Can\'t set "ppp_proto" if ethertype isn\'t PPPoE session\n');
        return -1;
      }
      const proto = ppp_proto_a2n(s);
      if (proto === null) invarg(p.io, 'invalid ppp_proto', s);
      // later keys parse against the protocol inside the session
      if (proto === H(PPP_IP)) eth_type = H(ETH_P_IP);
      else if (proto === H(PPP_IPV6)) eth_type = H(ETH_P_IPV6);
      else if (proto === H(PPP_MPLS_UC)) eth_type = H(ETH_P_MPLS_UC);
      else if (proto === H(PPP_MPLS_MC)) eth_type = H(ETH_P_MPLS_MC);
      n.u16(TCA_FLOWER_KEY_PPP_PROTO, proto);
    } else if (key('enc_dst_ip') || key('enc_src_ip')) {
      const dst = key('enc_dst_ip');
      if (flower_parse_ip_addr(p, args.next(p.io), 0,
        dst ? TCA_FLOWER_KEY_ENC_IPV4_DST : TCA_FLOWER_KEY_ENC_IPV4_SRC,
        dst ? TCA_FLOWER_KEY_ENC_IPV4_DST_MASK : TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK,
        dst ? TCA_FLOWER_KEY_ENC_IPV6_DST : TCA_FLOWER_KEY_ENC_IPV6_SRC,
        dst ? TCA_FLOWER_KEY_ENC_IPV6_DST_MASK : TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK, n) < 0) {
        return illegal(dst ? 'enc_dst_ip' : 'enc_src_ip');
      }
    } else if (key('enc_key_id')) {
      const v = get_be32(args.next(p.io), 10);
      if (v === null) return illegal('enc_key_id');
      n.be32(TCA_FLOWER_KEY_ENC_KEY_ID, v);
    } else if (key('enc_dst_port')) {
      const v = get_be16(args.next(p.io), 10);
      if (v === null) return illegal('enc_dst_port');
      n.be16(TCA_FLOWER_KEY_ENC_UDP_DST_PORT, v);
    } else if (key('enc_tos')) {
      if (flower_parse_ip_tos_ttl(args.next(p.io), TCA_FLOWER_KEY_ENC_IP_TOS, TCA_FLOWER_KEY_ENC_IP_TOS_MASK, n) < 0) return illegal('enc_tos');
    } else if (key('enc_ttl')) {
      if (flower_parse_ip_tos_ttl(args.next(p.io), TCA_FLOWER_KEY_ENC_IP_TTL, TCA_FLOWER_KEY_ENC_IP_TTL_MASK, n) < 0) return illegal('enc_ttl');
    } else if (key('geneve_opts')) {
      if (flower_parse_enc_opts_geneve(p, args.next(p.io), n) < 0) return illegal('geneve_opts');
    } else if (key('vxlan_opts')) {
      if (flower_parse_enc_opts_vxlan(args.next(p.io), n) < 0) return illegal('vxlan_opts');
    } else if (key('erspan_opts')) {
      if (flower_parse_enc_opts_erspan(p, args.next(p.io), n) < 0) return illegal('erspan_opts');
    } else if (c === 'gtp_opts') {
      if (flower_parse_enc_opts_gtp(args.next(p.io), n) < 0) return illegal('gtp_opts');
    } else if (key('action')) {
      args.next(p.io);
      if (parse_action(p, args, TCA_FLOWER_ACT, n)) return illegal('action');
      continue;
    } else {
      if (c !== 'help') p.io.stderr(`What is "${c}"?\n`);
      explain(p);
      return -1;
    }
    args.fwd();
  }
  n.u32(TCA_FLOWER_FLAGS, flags);
  if (mtf.mtf_mask) {
    n.be32(TCA_FLOWER_KEY_FLAGS, mtf.mtf);
    n.be32(TCA_FLOWER_KEY_FLAGS_MASK, mtf.mtf_mask);
  }
  if (tc_proto !== H(ETH_P_ALL)) n.u16(TCA_FLOWER_KEY_ETH_TYPE, tc_proto);
  n.nestEnd(tail);
  return 0;
}, { input: (_p, _h, args) => args.v.slice(args.i).join(' ') });

// ---- printing (tc/f_flower.c flower_print_*) ----

// tc/f_flower.c __mask_bits: the prefix length of a contiguous mask, else -1.
function __mask_bits(a: Uint8Array): number {
  let bits = 0;
  let hole = false;
  for (const byte of a) {
    for (let j = 7; j >= 0; j--) {
      if ((byte >> j) & 1) {
        if (hole) return -1;
        bits++;
      } else if (bits) {
        hole = true;
      } else {
        return -1;
      }
    }
  }
  return bits;
}

// tc/f_flower.c print_indent_name_value: newline, two spaces, "name value"
function print_indent_name_value(p: TcProc, name: string, value: string): void {
  p.pr.print_string(PRINT_FP, null, `${p.pr.sl}  `, null);
  p.pr.print_string_name_value(name, value);
}

function flower_print_eth_addr(p: TcProc, name: string, a?: NlAttr, m?: NlAttr): void {
  if (!a || a.payload.byteLength !== ETH_ALEN) return;
  let out = ll_addr_n2a(a.payload);
  if (m && m.payload.byteLength === ETH_ALEN) {
    const bits = __mask_bits(m.payload);
    if (bits < 0) out += `/${ll_addr_n2a(m.payload)}`;
    else if (bits < ETH_ALEN * 8) out += `/${bits}`;
  }
  print_indent_name_value(p, name, out);
}

function flower_print_ip_addr(p: TcProc, name: string, eth_type: number, a4?: NlAttr, m4?: NlAttr, a6?: NlAttr, m6?: NlAttr): void {
  let a: NlAttr | undefined;
  let m: NlAttr | undefined;
  let len: number;
  if (eth_type === H(ETH_P_IP)) [a, m, len] = [a4, m4, 4];
  else if (eth_type === H(ETH_P_IPV6)) [a, m, len] = [a6, m6, 16];
  else return;
  if (!a || a.payload.byteLength !== len || !m || m.payload.byteLength !== len) return;
  const ntop = len === 4 ? inet_ntop4 : inet_ntop6;
  let out = ntop(a.payload);
  const bits = __mask_bits(m.payload);
  if (bits < 0) out += `/${ntop(m.payload)}`;
  else if (bits < len * 8) out += `/${bits}`;
  print_indent_name_value(p, name, out);
}

/**
 * flower_parse_mpls_lse (iproute2 6.1 tc/f_flower.c): one "lse" entry; its
 * fields are read until an unknown word, depth is required.
 */
function flower_parse_mpls_lse(p: TcProc, args: Args, n: NlAttrBuf): number {
  if (args.argc <= 0) {
    p.io.stderr('Not enough information: "label", "tc", "bos" or "ttl" argument is required.\n');
    return -1;
  }
  const lse = n.nestStart(TCA_FLOWER_KEY_MPLS_OPTS_LSE | NLA_F_NESTED);
  let depth = 0;
  const illegal = (what: string): number => {
    p.io.stderr(`Illegal "${what}"\n`);
    return -1;
  };
  while (args.argc > 0) {
    const w = args.cur!;
    if (w === 'depth') {
      const v = get_u8(args.next(p.io), 0);
      if (v === null || v < 1) return illegal('depth');
      depth = v;
      n.u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH, depth);
    } else if (w === 'label') {
      const v = get_u32(args.next(p.io), 0);
      if (v === null || v & ~0xfffff) return illegal('label');
      n.u32(TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL, v);
    } else if (w === 'tc' || w === 'bos' || w === 'ttl') {
      const v = get_u8(args.next(p.io), 0);
      const lim = w === 'tc' ? 0x7 : w === 'bos' ? 0x1 : 0xff;
      if (v === null || v & ~lim) return illegal(w);
      n.u8(w === 'tc' ? TCA_FLOWER_KEY_MPLS_OPT_LSE_TC : w === 'bos' ? TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS : TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL, v);
    } else {
      break;
    }
    args.fwd();
  }
  if (!depth) {
    // lib/utils.c missarg()
    p.io.stderr('Error: argument "depth" is required\n');
    return -1;
  }
  n.nestEnd(lse);
  return 0;
}

/** flower_parse_mpls (iproute2 6.1): a list of "lse …" entries in one TCA_FLOWER_KEY_MPLS_OPTS nest. */
function flower_parse_mpls(p: TcProc, args: Args, n: NlAttrBuf): number {
  if (args.argc <= 0) {
    p.io.stderr('Not enough information: "depth" argument is required.\n');
    return -1;
  }
  const opts = n.nestStart(TCA_FLOWER_KEY_MPLS_OPTS | NLA_F_NESTED);
  while (args.argc > 0 && args.cur === 'lse') {
    args.next(p.io);
    if (flower_parse_mpls_lse(p, args, n) < 0) return -1;
  }
  n.nestEnd(opts);
  return 0;
}

/** flower_print_mpls_opt_lse (iproute2 6.1): "    lse depth D label L tc T bos B ttl T", one object per entry in JSON. */
function flower_print_mpls_opt_lse(p: TcProc, lse: NlAttr): void {
  if (lse.type !== TCA_FLOWER_KEY_MPLS_OPTS_LSE || !lse.nested) {
    p.pr.fp(`rta_type 0x${((lse.nested ? NLA_F_NESTED : 0) | lse.type).toString(16)}, expecting 0x${(TCA_FLOWER_KEY_MPLS_OPTS_LSE | NLA_F_NESTED).toString(16)}\n`);
    return;
  }
  const tb: (NlAttr | undefined)[] = [];
  for (const a of nla_walk(lse.payload).attrs) if (a.type <= TCA_FLOWER_KEY_MPLS_OPT_LSE_MAX) tb[a.type] = a;
  p.pr.print_nl();
  p.pr.print_string(PRINT_FP, null, '    lse', null);
  p.pr.open_json_object(null);
  const u8 = (t: number, name: string): void => {
    const a = tb[t];
    if (a) p.pr.print_uint(PRINT_ANY, name, ` ${name} %u`, nla_get_u8(a));
  };
  u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH, 'depth');
  const label = tb[TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL];
  if (label) p.pr.print_uint(PRINT_ANY, 'label', ' label %u', nla_get_u32(label));
  u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_TC, 'tc');
  u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS, 'bos');
  u8(TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL, 'ttl');
  p.pr.close_json_object();
}

/** flower_print_mpls_opts (iproute2 6.1): "  mpls" then one line per label stack entry. */
function flower_print_mpls_opts(p: TcProc, attr?: NlAttr): void {
  if (!attr || !attr.nested) return;
  p.pr.print_nl();
  p.pr.print_string(PRINT_FP, null, '  mpls', null);
  p.pr.open_json_array(PRINT_JSON, 'mpls');
  for (const lse of nla_walk(attr.payload).attrs) flower_print_mpls_opt_lse(p, lse);
  p.pr.close_json_array(PRINT_JSON, null);
}

function flower_print_masked_u8(p: TcProc, name: string, a?: NlAttr, m?: NlAttr, to_str?: (v: number) => string | null): void {
  if (!a) return;
  const value = nla_get_u8(a);
  const mask = m ? nla_get_u8(m) : 0xff;
  const vs = mask === 0xff && to_str ? to_str(value) : null;
  let out = vs ?? String(value);
  if (mask !== 0xff) out += `/${mask}`;
  print_indent_name_value(p, name, out);
}

function flower_print_port_range(p: TcProc, name: string, min?: NlAttr, max?: NlAttr): void {
  if (!min || !max) return;
  if (p.pr.is_json_context()) {
    p.pr.open_json_object(name);
    p.pr.print_uint(PRINT_JSON, 'start', null, nla_get_be16(min));
    p.pr.print_uint(PRINT_JSON, 'end', null, nla_get_be16(max));
    p.pr.close_json_object();
  } else {
    print_indent_name_value(p, name, `${nla_get_be16(min)}-${nla_get_be16(max)}`);
  }
}

function flower_print_ct_state(p: TcProc, f?: NlAttr, m?: NlAttr): void {
  if (!f) return;
  const state = nla_get_u16(f);
  const mask = m ? nla_get_u16(m) : 0xffff;
  let out = '';
  for (const [s, flag] of flower_ct_states) {
    if (!(mask & flag)) continue;
    out += `${state & flag ? '+' : '-'}${s}`;
  }
  p.pr.print_nl();
  p.pr.print_string(PRINT_ANY, 'ct_state', '  ct_state %s', out);
}

function flower_print_ct_label(p: TcProc, a?: NlAttr, m?: NlAttr): void {
  if (!a) return;
  let out = hexstring_n2a(a.payload);
  const ml = m?.payload ?? new Uint8Array(0);
  const print_mask = a.payload.byteLength !== 16 || Array.from(ml.subarray(0, a.payload.byteLength)).some((b) => b !== 0xff);
  if (print_mask) out += `/${hexstring_n2a(ml.subarray(0, a.payload.byteLength))}`;
  p.pr.print_nl();
  p.pr.print_string(PRINT_ANY, 'ct_label', '  ct_label %s', out);
}

function flower_print_matching_flags(p: TcProc, name: string, a?: NlAttr, m?: NlAttr): void {
  if (!m || m.payload.byteLength !== 4 || !a) return;
  const mtf = nla_get_be32(a);
  const mtf_mask = nla_get_be32(m);
  let count = 0;
  for (const [flag, str] of flags_str) {
    if (!(mtf_mask & flag)) continue;
    if (++count === 1) {
      p.pr.print_nl();
      p.pr.print_string(PRINT_FP, null, `  ${name} `, null);
      p.pr.open_json_object(name);
    } else {
      p.pr.print_string(PRINT_FP, null, '/', null);
    }
    p.pr.print_bool(PRINT_JSON, str, null, !!(mtf & flag));
    p.pr.print_string(PRINT_FP, null, '%s', mtf & flag ? str : `no${str}`);
  }
  if (count) p.pr.close_json_object();
}

// tc/f_flower.c flower_print_opt: handle, keys (fixed order), flags, actions.
// ---- tunnel option printing (tc/f_flower.c flower_print_*_opts) ----

/** libnetlink.c parse_rtattr as C has it: the first attribute of each type wins. */
function parse_rtattr_first(max: number, attrs: NlAttr[]): Array<NlAttr | undefined> {
  const tb = new Array<NlAttr | undefined>(max + 1).fill(undefined);
  for (const a of attrs) if (a.type <= max && !tb[a.type]) tb[a.type] = a;
  return tb;
}

/**
 * tc/f_flower.c flower_print_geneve_opts: the GENEVE nest holds CLASS, TYPE,
 * DATA per option; C re-parses from each option's start and steps by the
 * data length plus the three attribute headers (20 bytes). JSON gets an
 * array of {class, type, data[]} under `name`; the text comes back.
 */
function flower_print_geneve_opts(p: TcProc, name: string, attr: NlAttr): string {
  const attrs = nla_walk(attr.payload).attrs;
  const out: string[] = [];
  let rem = attr.payload.byteLength;
  let off = 0;
  p.pr.open_json_array(PRINT_JSON, name);
  while (rem > 0) {
    const tb = parse_rtattr_first(TCA_FLOWER_KEY_ENC_OPT_GENEVE_MAX, attrs.filter((a) => a.offset >= off));
    const c = tb[TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS];
    const t = tb[TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE];
    const d = tb[TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA];
    if (!c || !t || !d) break; // C would read through a NULL attribute here
    const data_len = d.payload.byteLength;
    const cls = nla_get_be16(c);
    const type = nla_get_u8(t);
    off += data_len + 20;
    rem -= data_len + 20;
    p.pr.open_json_object(null);
    p.pr.print_uint(PRINT_JSON, 'class', null, cls);
    p.pr.print_uint(PRINT_JSON, 'type', null, type);
    p.pr.open_json_array(PRINT_JSON, 'data');
    for (const byte of d.payload) p.pr.print_uint(PRINT_JSON, null, null, byte);
    p.pr.close_json_array(PRINT_JSON, 'data');
    p.pr.close_json_object();
    out.push(`${cls.toString(16).padStart(4, '0')}:${type.toString(16).padStart(2, '0')}:${hexstring_n2a(d.payload)}`);
  }
  p.pr.close_json_array(PRINT_JSON, name);
  return out.join(',');
}

/** tc/f_flower.c flower_print_vxlan_opts: the GBP in decimal; JSON [{gbp}]. */
function flower_print_vxlan_opts(p: TcProc, name: string, attr: NlAttr): string {
  const tb = parse_rtattr(TCA_FLOWER_KEY_ENC_OPT_VXLAN_MAX, attr.payload);
  const g = tb[TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP];
  const gbp = g ? nla_get_u32(g) : 0;
  p.pr.open_json_array(PRINT_JSON, name);
  p.pr.open_json_object(null);
  p.pr.print_uint(PRINT_JSON, 'gbp', null, gbp);
  p.pr.close_json_object();
  p.pr.close_json_array(PRINT_JSON, name);
  return `${gbp}`;
}

/** tc/f_flower.c flower_print_erspan_opts: VER:INDEX:DIR:HWID, index only for version 1; JSON [{ver, index, dir, hwid}]. */
function flower_print_erspan_opts(p: TcProc, name: string, attr: NlAttr): string {
  const tb = parse_rtattr(TCA_FLOWER_KEY_ENC_OPT_ERSPAN_MAX, attr.payload);
  const get8 = (a?: NlAttr): number => (a ? nla_get_u8(a) : 0);
  const ver = get8(tb[TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER]);
  let idx = 0;
  let dir = 0;
  let hwid = 0;
  if (ver === 1) {
    const i = tb[TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX];
    idx = i ? nla_get_be32(i) : 0;
  } else {
    hwid = get8(tb[TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID]);
    dir = get8(tb[TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR]);
  }
  p.pr.open_json_array(PRINT_JSON, name);
  p.pr.open_json_object(null);
  p.pr.print_uint(PRINT_JSON, 'ver', null, ver);
  p.pr.print_uint(PRINT_JSON, 'index', null, idx);
  p.pr.print_uint(PRINT_JSON, 'dir', null, dir);
  p.pr.print_uint(PRINT_JSON, 'hwid', null, hwid);
  p.pr.close_json_object();
  p.pr.close_json_array(PRINT_JSON, name);
  return `${ver}:${idx}:${dir}:${hwid}`;
}

/** tc/f_flower.c flower_print_gtp_opts: PDU_TYPE:QFI in hex (nothing for JSON). */
function flower_print_gtp_opts(_p: TcProc, _name: string, attr: NlAttr): string {
  const tb = parse_rtattr(TCA_FLOWER_KEY_ENC_OPT_GTP_MAX, attr.payload);
  const hex = (a?: NlAttr): string => (a ? nla_get_u8(a) : 0).toString(16).padStart(2, '0');
  return `${hex(tb[TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE])}:${hex(tb[TCA_FLOWER_KEY_ENC_OPT_GTP_QFI])}`;
}

/** tc/f_flower.c flower_print_enc_opts / flower_print_enc_parts: KEY/MASK pairs, comma-separated, text only. */
function flower_print_enc_opts(p: TcProc, attr?: NlAttr, mask_attr?: NlAttr): void {
  if (!attr) return;
  const key_tb = parse_rtattr_first(TCA_FLOWER_KEY_ENC_OPTS_MAX, nla_walk(attr.payload).attrs);
  const msk_tb = mask_attr ? parse_rtattr_first(TCA_FLOWER_KEY_ENC_OPTS_MAX, nla_walk(mask_attr.payload).attrs) : [];
  const kinds: Array<[number, string, string, (p: TcProc, name: string, a: NlAttr) => string]> = [
    [TCA_FLOWER_KEY_ENC_OPTS_GENEVE, 'geneve_opts', 'geneve_opt', flower_print_geneve_opts],
    [TCA_FLOWER_KEY_ENC_OPTS_VXLAN, 'vxlan_opts', 'vxlan_opt', flower_print_vxlan_opts],
    [TCA_FLOWER_KEY_ENC_OPTS_ERSPAN, 'erspan_opts', 'erspan_opt', flower_print_erspan_opts],
    [TCA_FLOWER_KEY_ENC_OPTS_GTP, 'gtp_opts', 'gtp_opt', flower_print_gtp_opts],
  ];
  for (const [type, word, json, fmt] of kinds) {
    const k = key_tb[type];
    if (!k) continue;
    const m = msk_tb[type];
    const key = fmt(p, `${json}_key`, k).split(',');
    // a missing mask leaves C's buffer uninitialised; print it empty
    const mask = (m ? fmt(p, `${json}_mask`, m) : '').split(',');
    const out = key.map((t, i) => `${t}/${mask[i] ?? ''}`).join(',');
    p.pr.print_nl();
    p.pr.print_string(PRINT_FP, 'enc_opt', `  ${word} %s`, out);
    return;
  }
}

export const flower_print_opt = hop('tc/f_flower.c', function flower_print_opt(
  p: TcProc, opt: NlAttr | undefined, handle: number,
): number {
  if (!opt) return 0;
  const tb = parse_rtattr(TCA_FLOWER_MAX, opt.payload);
  if (handle) p.pr.print_uint(PRINT_ANY, 'handle', 'handle 0x%x ', handle);
  if (tb[TCA_FLOWER_CLASSID]) {
    const h = nla_get_u32(tb[TCA_FLOWER_CLASSID]);
    if (TC_H_MIN(h) < TC_H_MIN_PRIORITY || TC_H_MIN(h) > TC_H_MIN_PRIORITY + TC_QOPT_MAX_QUEUE - 1) {
      p.pr.print_string(PRINT_ANY, 'classid', 'classid %s ', sprint_tc_classid(h));
    } else {
      p.pr.print_uint(PRINT_ANY, 'hw_tc', 'hw_tc %u ', TC_H_MIN(h) - TC_H_MIN_PRIORITY);
    }
  }
  if (tb[TCA_FLOWER_INDEV]) {
    p.pr.print_nl();
    p.pr.print_string(PRINT_ANY, 'indev', '  indev %s', nla_get_string(tb[TCA_FLOWER_INDEV]));
  }
  p.pr.open_json_object('keys');
  const line = (key: string, fmt: string, v: number | string): void => {
    p.pr.print_nl();
    if (typeof v === 'number') p.pr.print_uint(PRINT_ANY, key, fmt, v);
    else p.pr.print_string(PRINT_ANY, key, fmt, v);
  };
  if (tb[TCA_FLOWER_KEY_NUM_OF_VLANS]) line('num_of_vlans', '  num_of_vlans %d', nla_get_u8(tb[TCA_FLOWER_KEY_NUM_OF_VLANS]));
  if (tb[TCA_FLOWER_KEY_VLAN_ID]) line('vlan_id', '  vlan_id %u', nla_get_u16(tb[TCA_FLOWER_KEY_VLAN_ID]));
  if (tb[TCA_FLOWER_KEY_VLAN_PRIO]) line('vlan_prio', '  vlan_prio %d', nla_get_u8(tb[TCA_FLOWER_KEY_VLAN_PRIO]));
  if (tb[TCA_FLOWER_KEY_VLAN_ETH_TYPE]) {
    line('vlan_ethtype', '  vlan_ethtype %s', ll_proto_n2a(nla_get_u16(tb[TCA_FLOWER_KEY_VLAN_ETH_TYPE]), !!p.numeric));
  }
  if (tb[TCA_FLOWER_KEY_CVLAN_ID]) line('cvlan_id', '  cvlan_id %u', nla_get_u16(tb[TCA_FLOWER_KEY_CVLAN_ID]));
  if (tb[TCA_FLOWER_KEY_CVLAN_PRIO]) line('cvlan_prio', '  cvlan_prio %d', nla_get_u8(tb[TCA_FLOWER_KEY_CVLAN_PRIO]));
  if (tb[TCA_FLOWER_KEY_CVLAN_ETH_TYPE]) {
    line('cvlan_ethtype', '  cvlan_ethtype %s', ll_proto_n2a(nla_get_u16(tb[TCA_FLOWER_KEY_CVLAN_ETH_TYPE]), !!p.numeric));
  }
  flower_print_eth_addr(p, 'dst_mac', tb[TCA_FLOWER_KEY_ETH_DST], tb[TCA_FLOWER_KEY_ETH_DST_MASK]);
  flower_print_eth_addr(p, 'src_mac', tb[TCA_FLOWER_KEY_ETH_SRC], tb[TCA_FLOWER_KEY_ETH_SRC_MASK]);
  let eth_type = 0;
  if (tb[TCA_FLOWER_KEY_ETH_TYPE]) {
    eth_type = nla_get_u16(tb[TCA_FLOWER_KEY_ETH_TYPE]);
    const names: Record<number, string> = { [H(ETH_P_IP)]: 'ipv4', [H(ETH_P_IPV6)]: 'ipv6', [H(ETH_P_ARP)]: 'arp', [H(ETH_P_RARP)]: 'rarp' };
    line('eth_type', '  eth_type %s', names[eth_type] ?? ntohs(eth_type).toString(16).padStart(4, '0'));
  }
  let ip_proto = 0xff;
  if (tb[TCA_FLOWER_KEY_IP_PROTO]) {
    ip_proto = nla_get_u8(tb[TCA_FLOWER_KEY_IP_PROTO]);
    const names: Record<number, string> = {
      [IPPROTO_TCP]: 'tcp', [IPPROTO_UDP]: 'udp', [IPPROTO_SCTP]: 'sctp', [IPPROTO_ICMP]: 'icmp', [IPPROTO_ICMPV6]: 'icmpv6',
    };
    line('ip_proto', '  ip_proto %s', names[ip_proto] ?? ip_proto.toString(16).padStart(2, '0'));
  }
  print_masked_u8(p, 'ip_tos', tb[TCA_FLOWER_KEY_IP_TOS], tb[TCA_FLOWER_KEY_IP_TOS_MASK]);
  print_masked_u8(p, 'ip_ttl', tb[TCA_FLOWER_KEY_IP_TTL], tb[TCA_FLOWER_KEY_IP_TTL_MASK]);
  flower_print_mpls_opts(p, tb[TCA_FLOWER_KEY_MPLS_OPTS]);
  if (tb[TCA_FLOWER_KEY_MPLS_LABEL]) {
    p.pr.print_nl();
    p.pr.print_string(PRINT_FP, null, '  ', null);
    p.pr.print_uint_name_value('mpls_label', nla_get_u32(tb[TCA_FLOWER_KEY_MPLS_LABEL]));
  }
  flower_print_masked_u8(p, 'mpls_tc', tb[TCA_FLOWER_KEY_MPLS_TC]);
  flower_print_masked_u8(p, 'mpls_bos', tb[TCA_FLOWER_KEY_MPLS_BOS]);
  flower_print_masked_u8(p, 'mpls_ttl', tb[TCA_FLOWER_KEY_MPLS_TTL]);
  flower_print_ip_addr(p, 'dst_ip', eth_type, tb[TCA_FLOWER_KEY_IPV4_DST], tb[TCA_FLOWER_KEY_IPV4_DST_MASK],
    tb[TCA_FLOWER_KEY_IPV6_DST], tb[TCA_FLOWER_KEY_IPV6_DST_MASK]);
  flower_print_ip_addr(p, 'src_ip', eth_type, tb[TCA_FLOWER_KEY_IPV4_SRC], tb[TCA_FLOWER_KEY_IPV4_SRC_MASK],
    tb[TCA_FLOWER_KEY_IPV6_SRC], tb[TCA_FLOWER_KEY_IPV6_SRC_MASK]);
  for (const src of [false, true]) {
    const t = flower_port_attr_type(ip_proto, src, false);
    if (t >= 0) print_masked_be16(p, src ? 'src_port' : 'dst_port', tb[t], tb[flower_port_attr_type(ip_proto, src, true)]);
  }
  for (const src of [false, true]) {
    const r = flower_port_range_attr_type(ip_proto, src);
    if (r) flower_print_port_range(p, src ? 'src_port' : 'dst_port', tb[r[0]], tb[r[1]]);
  }
  if (tb[TCA_FLOWER_KEY_TCP_FLAGS]) {
    let out = `0x${nla_get_be16(tb[TCA_FLOWER_KEY_TCP_FLAGS]).toString(16)}`;
    if (tb[TCA_FLOWER_KEY_TCP_FLAGS_MASK]) out += `/${nla_get_be16(tb[TCA_FLOWER_KEY_TCP_FLAGS_MASK]).toString(16)}`;
    print_indent_name_value(p, 'tcp_flags', out);
  }
  for (const code of [false, true]) {
    const vt = flower_icmp_attr_type(eth_type, ip_proto, code, false);
    const mt = flower_icmp_attr_type(eth_type, ip_proto, code, true);
    if (vt >= 0 && mt >= 0) flower_print_masked_u8(p, code ? 'icmp_code' : 'icmp_type', tb[vt], tb[mt]);
  }
  flower_print_ip_addr(p, 'arp_sip', H(ETH_P_IP), tb[TCA_FLOWER_KEY_ARP_SIP], tb[TCA_FLOWER_KEY_ARP_SIP_MASK]);
  flower_print_ip_addr(p, 'arp_tip', H(ETH_P_IP), tb[TCA_FLOWER_KEY_ARP_TIP], tb[TCA_FLOWER_KEY_ARP_TIP_MASK]);
  flower_print_masked_u8(p, 'arp_op', tb[TCA_FLOWER_KEY_ARP_OP], tb[TCA_FLOWER_KEY_ARP_OP_MASK],
    (op) => (op === ARPOP_REQUEST ? 'request' : op === ARPOP_REPLY ? 'reply' : null));
  flower_print_eth_addr(p, 'arp_sha', tb[TCA_FLOWER_KEY_ARP_SHA], tb[TCA_FLOWER_KEY_ARP_SHA_MASK]);
  flower_print_eth_addr(p, 'arp_tha', tb[TCA_FLOWER_KEY_ARP_THA], tb[TCA_FLOWER_KEY_ARP_THA_MASK]);
  if (tb[TCA_FLOWER_KEY_PPPOE_SID]) line('pppoe_sid', '  pppoe_sid %u', nla_get_be16(tb[TCA_FLOWER_KEY_PPPOE_SID]));
  if (tb[TCA_FLOWER_KEY_PPP_PROTO]) {
    line('ppp_proto', '  ppp_proto %s', ppp_proto_n2a(nla_get_u16(tb[TCA_FLOWER_KEY_PPP_PROTO]), !!p.numeric));
  }
  flower_print_ip_addr(p, 'enc_dst_ip', tb[TCA_FLOWER_KEY_ENC_IPV4_DST_MASK] ? H(ETH_P_IP) : H(ETH_P_IPV6),
    tb[TCA_FLOWER_KEY_ENC_IPV4_DST], tb[TCA_FLOWER_KEY_ENC_IPV4_DST_MASK],
    tb[TCA_FLOWER_KEY_ENC_IPV6_DST], tb[TCA_FLOWER_KEY_ENC_IPV6_DST_MASK]);
  flower_print_ip_addr(p, 'enc_src_ip', tb[TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK] ? H(ETH_P_IP) : H(ETH_P_IPV6),
    tb[TCA_FLOWER_KEY_ENC_IPV4_SRC], tb[TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK],
    tb[TCA_FLOWER_KEY_ENC_IPV6_SRC], tb[TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK]);
  if (tb[TCA_FLOWER_KEY_ENC_KEY_ID]) {
    p.pr.print_nl();
    p.pr.print_string(PRINT_FP, null, '  ', null);
    p.pr.print_uint_name_value('enc_key_id', nla_get_be32(tb[TCA_FLOWER_KEY_ENC_KEY_ID]));
  }
  print_masked_be16(p, 'enc_dst_port', tb[TCA_FLOWER_KEY_ENC_UDP_DST_PORT], tb[TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK]);
  print_masked_u8(p, 'enc_tos', tb[TCA_FLOWER_KEY_ENC_IP_TOS], tb[TCA_FLOWER_KEY_ENC_IP_TOS_MASK]);
  print_masked_u8(p, 'enc_ttl', tb[TCA_FLOWER_KEY_ENC_IP_TTL], tb[TCA_FLOWER_KEY_ENC_IP_TTL_MASK]);
  flower_print_enc_opts(p, tb[TCA_FLOWER_KEY_ENC_OPTS], tb[TCA_FLOWER_KEY_ENC_OPTS_MASK]);
  flower_print_matching_flags(p, 'ip_flags', tb[TCA_FLOWER_KEY_FLAGS], tb[TCA_FLOWER_KEY_FLAGS_MASK]);
  flower_print_ct_state(p, tb[TCA_FLOWER_KEY_CT_STATE], tb[TCA_FLOWER_KEY_CT_STATE_MASK]);
  print_masked_u16(p, 'ct_zone', tb[TCA_FLOWER_KEY_CT_ZONE], tb[TCA_FLOWER_KEY_CT_ZONE_MASK]);
  print_masked_u32(p, 'ct_mark', tb[TCA_FLOWER_KEY_CT_MARK], tb[TCA_FLOWER_KEY_CT_MARK_MASK]);
  flower_print_ct_label(p, tb[TCA_FLOWER_KEY_CT_LABELS], tb[TCA_FLOWER_KEY_CT_LABELS_MASK]);
  p.pr.close_json_object();
  if (tb[TCA_FLOWER_FLAGS]) {
    const flags = nla_get_u32(tb[TCA_FLOWER_FLAGS]);
    if (flags & TCA_CLS_FLAGS_SKIP_HW) {
      p.pr.print_nl();
      p.pr.print_bool(PRINT_ANY, 'skip_hw', '  skip_hw', true);
    }
    if (flags & TCA_CLS_FLAGS_SKIP_SW) {
      p.pr.print_nl();
      p.pr.print_bool(PRINT_ANY, 'skip_sw', '  skip_sw', true);
    }
    if (flags & TCA_CLS_FLAGS_IN_HW) {
      p.pr.print_nl();
      p.pr.print_bool(PRINT_ANY, 'in_hw', '  in_hw', true);
      if (tb[TCA_FLOWER_IN_HW_COUNT]) {
        p.pr.print_uint(PRINT_ANY, 'in_hw_count', ' in_hw_count %u', nla_get_u32(tb[TCA_FLOWER_IN_HW_COUNT]));
      }
    } else if (flags & TCA_CLS_FLAGS_NOT_IN_HW) {
      p.pr.print_nl();
      p.pr.print_bool(PRINT_ANY, 'not_in_hw', '  not_in_hw', true);
    }
  }
  if (tb[TCA_FLOWER_ACT]) tc_print_action(p, tb[TCA_FLOWER_ACT], 0);
  return 0;
});

/** struct filter_util for flower (tc/tc_util.h). */
export const flower_filter_util = {
  id: 'flower',
  parse_fopt: flower_parse_opt,
  print_fopt: flower_print_opt,
};
