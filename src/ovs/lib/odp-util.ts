// lib/odp-util.c (v3.6.3): datapath flow text <-> OVS_KEY_ATTR_* /
// OVS_ACTION_ATTR_* attribute bytes, the UFID hash, and key/mask -> struct
// match. Parsing follows parse_odp_key_mask_attr__'s SCAN_* rules: a field
// given without '/' is exact, with '/m' masked, omitted is wildcarded; numbers
// are scanf %i (0x hex, leading 0 octal). Attributes not modelled here
// (nsh, ct_tuple4/6, nd_ext, ...) are syntax errors.
import { createHash } from 'node:crypto';
import {
  OVS_KEY_ATTR_ARP, OVS_KEY_ATTR_CT_LABELS, OVS_KEY_ATTR_CT_MARK, OVS_KEY_ATTR_CT_STATE, OVS_KEY_ATTR_CT_ZONE,
  OVS_KEY_ATTR_DP_HASH, OVS_KEY_ATTR_ENCAP, OVS_KEY_ATTR_ETHERNET, OVS_KEY_ATTR_ETHERTYPE, OVS_KEY_ATTR_ICMP,
  OVS_KEY_ATTR_ICMPV6, OVS_KEY_ATTR_IN_PORT, OVS_KEY_ATTR_IPV4, OVS_KEY_ATTR_IPV6, OVS_KEY_ATTR_PACKET_TYPE,
  OVS_KEY_ATTR_PRIORITY, OVS_KEY_ATTR_RECIRC_ID, OVS_KEY_ATTR_SCTP, OVS_KEY_ATTR_SKB_MARK, OVS_KEY_ATTR_TCP,
  OVS_KEY_ATTR_TCP_FLAGS, OVS_KEY_ATTR_UDP, OVS_KEY_ATTR_VLAN, OVS_KEY_ATTR_MPLS, OVS_KEY_ATTR_ND, OVS_ACTION_ATTR_ADD_MPLS, OVS_ACTION_ATTR_PUSH_MPLS, OVS_ACTION_ATTR_POP_MPLS,
  OVS_ACTION_PUSH_MPLS_LEN,
  OVS_ACTION_ATTR_CT, OVS_ACTION_ATTR_CT_CLEAR, OVS_ACTION_ATTR_DROP, OVS_ACTION_ATTR_METER, OVS_ACTION_ATTR_OUTPUT,
  OVS_ACTION_ATTR_POP_VLAN, OVS_ACTION_ATTR_PUSH_VLAN, OVS_ACTION_ATTR_RECIRC, OVS_ACTION_ATTR_SET,
  OVS_ACTION_ATTR_SET_MASKED, OVS_ACTION_ATTR_TRUNC, OVS_ACTION_ATTR_USERSPACE,
  OVS_FRAG_TYPE_FIRST, OVS_FRAG_TYPE_LATER, OVS_FRAG_TYPE_NONE, OVS_KEY_ATTR_TUNNEL,
  OVS_TUNNEL_KEY_ATTR_CSUM, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, OVS_TUNNEL_KEY_ATTR_ID, OVS_TUNNEL_KEY_ATTR_IPV4_DST,
  OVS_TUNNEL_KEY_ATTR_IPV4_SRC, OVS_TUNNEL_KEY_ATTR_OAM, OVS_TUNNEL_KEY_ATTR_TOS, OVS_TUNNEL_KEY_ATTR_TP_DST,
  OVS_TUNNEL_KEY_ATTR_TP_SRC, OVS_TUNNEL_KEY_ATTR_TTL,
} from '../../kernel/include/uapi/linux/openvswitch';
import { EINVAL } from '../../kernel/include/uapi/asm-generic/errno';
import { NLA_F_NESTED, StructReader, StructWriter, nla_get_string, nla_get_u32, type NlAttr } from '../../netlink/attr';
import {
  OVS_CT_ATTR_COMMIT, OVS_CT_ATTR_FORCE_COMMIT, OVS_CT_ATTR_HELPER, OVS_CT_ATTR_LABELS, OVS_CT_ATTR_MARK, OVS_CT_ATTR_NAT, OVS_CT_ATTR_TIMEOUT,
  OVS_CT_ATTR_ZONE, OVS_NAT_ATTR_DST, OVS_NAT_ATTR_IP_MAX, OVS_NAT_ATTR_IP_MIN, OVS_NAT_ATTR_PERSISTENT, OVS_NAT_ATTR_PROTO_HASH,
  OVS_NAT_ATTR_PROTO_MAX, OVS_NAT_ATTR_PROTO_MIN, OVS_NAT_ATTR_PROTO_RANDOM, OVS_NAT_ATTR_SRC,
} from '../../kernel/include/uapi/linux/openvswitch';
import { NlAttrBuf, nl_attrs } from '../../netlink/msgbuf';
import { hop } from '../../trace/hop';
import type { OvsProcess } from './ovs-process';
import {
  FLOW_TNL_F_CSUM, FLOW_TNL_F_DONT_FRAGMENT, FLOW_TNL_F_KEY, FLOW_TNL_F_MASK, FLOW_TNL_F_OAM, type FlowTnl,
  FLOW_DL_TYPE_NONE, FLOW_NW_FRAG_ANY, FLOW_NW_FRAG_LATER, FLOW_NW_FRAG_MASK, ODPP_NONE, PT_ETH, eth_type_vlan, is_ip_any, match_init_catchall,
  type Flow, type Match,
} from './match';

/** ovs_u128 as four host-order u32 words (uuid parts). */
export type Ufid = [number, number, number, number];
/** Port name -> odp port number (the simap dpctl builds). */
export type PortNames = ReadonlyMap<string, number>;

const OVS_USERSPACE_ATTR_PID = 1;
const OVS_USERSPACE_ATTR_USERDATA = 2;
const XLATE_OK = 0;
const DELIMITERS = ', \t\r\n';

// ---------------------------------------------------------------- scanning

/** scanf %i: [+-] then 0x-hex, 0-octal or decimal. */
function scan_int(s: string): { value: bigint; n: number } | null {
  const m = /^[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) return null;
  const neg = m[0].startsWith('-');
  const body = m[1]!;
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body.startsWith('0')) v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  return { value: neg ? -v : v, n: m[0].length };
}

/** scanf %u (PRIu32): decimal only. */
function scan_uint_dec(s: string): { value: number; n: number } | null {
  const m = /^\+?[0-9]+/.exec(s);
  return m ? { value: Number(BigInt(m[0].replace('+', '')) & 0xffffffffn), n: m[0].length } : null;
}

function trunc(v: bigint, bits: number): number {
  return Number(BigInt.asUintN(bits, v));
}

type Scanned = { n: number; key: number | Uint8Array; mask: number | Uint8Array };

function scan_num(bits: number): (s: string) => Scanned | null {
  return (s) => {
    const k = scan_int(s);
    if (!k) return null;
    const all = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    if (s[k.n] === '/') {
      const m = scan_int(s.slice(k.n + 1));
      if (m) return { n: k.n + 1 + m.n, key: trunc(k.value, bits), mask: trunc(m.value, bits) };
    }
    return { n: k.n, key: trunc(k.value, bits), mask: all };
  };
}

function scan_eth_addr(s: string): { mac: Uint8Array; n: number } | null {
  const m = /^([0-9a-fA-F]+):([0-9a-fA-F]+):([0-9a-fA-F]+):([0-9a-fA-F]+):([0-9a-fA-F]+):([0-9a-fA-F]+)/.exec(s);
  if (!m) return null;
  return { mac: Uint8Array.from(m.slice(1, 7).map((x) => trunc(BigInt('0x' + x), 8))), n: m[0].length };
}

function scan_eth(s: string): Scanned | null {
  const k = scan_eth_addr(s);
  if (!k) return null;
  if (s[k.n] === '/') {
    const m = scan_eth_addr(s.slice(k.n + 1));
    if (m) return { n: k.n + 1 + m.n, key: k.mac, mask: m.mac };
  }
  return { n: k.n, key: k.mac, mask: new Uint8Array(6).fill(0xff) };
}

function scan_ip_addr(s: string): { ip: number; n: number } | null {
  const m = /^\+?(\d+)\.\+?(\d+)\.\+?(\d+)\.\+?(\d+)/.exec(s);
  if (!m) return null;
  const b = m.slice(1, 5).map((x) => trunc(BigInt(x), 8));
  return { ip: ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0, n: m[0].length };
}

function scan_ipv4(s: string): Scanned | null {
  const k = scan_ip_addr(s);
  if (!k) return null;
  if (s[k.n] === '/') {
    const m = scan_ip_addr(s.slice(k.n + 1));
    if (m) return { n: k.n + 1 + m.n, key: k.ip, mask: m.ip };
  }
  return { n: k.n, key: k.ip, mask: 0xffffffff };
}

/** inet_pton(AF_INET6) */
export function inet_pton6(text: string): Uint8Array | null {
  let t = text;
  const out = new Uint8Array(16);
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const a = scan_ip_addr(v4[1]!);
    if (!a || v4[1]!.split('.').some((x) => Number(x) > 255)) return null;
    tail = [a.ip >>> 16, a.ip & 0xffff];
    t = t.slice(0, t.length - v4[1]!.length) + (t.endsWith(':' + v4[1]) ? '0' : '');
    if (t.endsWith(':0')) t = t.slice(0, -2) + ':';
  }
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const parts = h.split(':').filter((x, i, arr) => !(x === '' && i === arr.length - 1 && tail.length > 0));
    const words: number[] = [];
    for (const p of parts) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
      words.push(parseInt(p, 16));
    }
    return words;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return null;
  const words = halves.length === 2
    ? [...head, ...new Array<number>(8 - head.length - rest.length - tail.length).fill(0), ...rest, ...tail]
    : [...head, ...tail];
  if (words.length !== 8 || (halves.length === 2 && head.length + rest.length + tail.length > 7)) return null;
  words.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 0xff; });
  return out;
}

function scan_in6_addr(s: string): Scanned | null {
  const scan1 = (x: string): { a: Uint8Array; n: number } | null => {
    const m = /^[0-9a-fA-F:.]{1,46}/.exec(x);
    const a = m ? inet_pton6(m[0]) : null;
    return m && a ? { a, n: m[0].length } : null;
  };
  const k = scan1(s);
  if (!k) return null;
  if (s[k.n] === '/') {
    const m = scan1(s.slice(k.n + 1));
    if (m) return { n: k.n + 1 + m.n, key: k.a, mask: m.a };
  }
  return { n: k.n, key: k.a, mask: new Uint8Array(16).fill(0xff) };
}

function scan_ipv6_label(s: string): Scanned | null {
  const k = scan_int(s);
  if (!k || (k.value & ~0xfffffn) !== 0n) return null;
  if (s[k.n] === '/') {
    const m = scan_int(s.slice(k.n + 1));
    if (m && (m.value & ~0xfffffn) === 0n) return { n: k.n + 1 + m.n, key: Number(k.value), mask: Number(m.value) };
  }
  return { n: k.n, key: Number(k.value), mask: 0xfffff };
}

function scan_frag(s: string): Scanned | null {
  const m = /^[a-z]{1,7}/.exec(s);
  if (!m) return null;
  const t = { no: OVS_FRAG_TYPE_NONE, first: OVS_FRAG_TYPE_FIRST, later: OVS_FRAG_TYPE_LATER }[m[0]];
  return t === undefined ? null : { n: m[0].length, key: t, mask: 0xff };
}

// include/uapi/linux/openvswitch.h OVS_CS_F_*, with odp_ct_state_to_string names
const CT_STATE_NAMES: readonly [number, string][] = [
  [0x01, 'new'], [0x02, 'est'], [0x04, 'rel'], [0x08, 'rpl'], [0x10, 'inv'], [0x20, 'trk'], [0x40, 'snat'], [0x80, 'dnat'],
];
const CT_STATE_ALL = 0xff;

/** parse_flags for ct_state: a number[/mask], +f-g masked form, or f|g. */
function scan_ct_state(s: string): Scanned | null {
  if (/^[0-9]/.test(s)) return scan_num(32)(s);
  const m = /^[^)]*/.exec(s)![0];
  let key = 0;
  let mask = 0;
  if (m.startsWith('+') || m.startsWith('-')) {
    const re = /([+-])([a-z]+)/g;
    let got = '';
    for (let x = re.exec(m); x; x = re.exec(m)) {
      const bit = CT_STATE_NAMES.find(([, n]) => n === x![2])?.[0];
      if (bit === undefined || mask & bit) return null;
      mask |= bit;
      if (x[1] === '+') key |= bit;
      got += x[0];
    }
    if (got !== m) return null;
    return { n: m.length, key, mask };
  }
  for (const name of m.split('|')) {
    const bit = CT_STATE_NAMES.find(([, n]) => n === name)?.[0];
    if (bit === undefined) return null;
    key |= bit;
  }
  return { n: m.length, key, mask: CT_STATE_ALL };
}

function scan_port(s: string, names: PortNames | undefined): Scanned | null {
  const num = scan_num(32)(s);
  if (num) return num;
  if (names) {
    const len = s.indexOf(')') < 0 ? s.length : s.indexOf(')');
    const v = names.get(s.slice(0, len));
    if (v !== undefined) return { n: len, key: v, mask: 0xffffffff };
  }
  return null;
}

/**
 * scan_u128 (parse_int_string, then ntoh128): a 128-bit ct_label, hex or
 * decimal, as the 16 bytes of a host-order ovs_u128 (little-endian here:
 * the value's low byte first), which is how OVS puts labels on the wire.
 */
function scan_u128(s: string): Scanned | null {
  const one = (x: string): { b: Uint8Array; n: number } | null => {
    const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(x);
    if (!m) return null;
    const v = BigInt.asUintN(128, BigInt(m[0]));
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
    return { b, n: m[0].length };
  };
  const k = one(s);
  if (!k) return null;
  if (s[k.n] === '/') {
    const m = one(s.slice(k.n + 1));
    if (!m) return null;
    return { n: k.n + 1 + m.n, key: k.b, mask: m.b };
  }
  return { n: k.n, key: k.b, mask: new Uint8Array(16).fill(0xff) };
}

// ------------------------------------------------------- key attribute table

type FieldKind = 'u8' | 'be16' | 'be32' | 'eth' | 'ipv4' | 'in6' | 'ipv6_label' | 'frag';
interface FieldSpec { name: string; kind: FieldKind; off: number }
interface StructSpec { attr: number; size: number; fields: FieldSpec[] }

const SCANNERS: Record<FieldKind, (s: string) => Scanned | null> = {
  u8: scan_num(8), be16: scan_num(16), be32: scan_num(32), eth: scan_eth, ipv4: scan_ipv4,
  in6: scan_in6_addr, ipv6_label: scan_ipv6_label, frag: scan_frag,
};

function put_field(w: StructWriter, f: FieldSpec, v: number | Uint8Array): void {
  if (v instanceof Uint8Array) w.set(f.off, v);
  else if (f.kind === 'u8' || f.kind === 'frag') w.u8(f.off, v);
  else if (f.kind === 'be16') w.be16(f.off, v);
  else w.be32(f.off, v);
}

// struct ovs_key_* layouts (include/uapi/linux/openvswitch.h)
const STRUCTS: Record<string, StructSpec> = {
  'eth(': { attr: OVS_KEY_ATTR_ETHERNET, size: 12, fields: [{ name: 'src=', kind: 'eth', off: 0 }, { name: 'dst=', kind: 'eth', off: 6 }] },
  'ipv4(': {
    attr: OVS_KEY_ATTR_IPV4, size: 12, fields: [
      { name: 'src=', kind: 'ipv4', off: 0 }, { name: 'dst=', kind: 'ipv4', off: 4 }, { name: 'proto=', kind: 'u8', off: 8 },
      { name: 'tos=', kind: 'u8', off: 9 }, { name: 'ttl=', kind: 'u8', off: 10 }, { name: 'frag=', kind: 'frag', off: 11 },
    ],
  },
  'ipv6(': {
    attr: OVS_KEY_ATTR_IPV6, size: 40, fields: [
      { name: 'src=', kind: 'in6', off: 0 }, { name: 'dst=', kind: 'in6', off: 16 }, { name: 'label=', kind: 'ipv6_label', off: 32 },
      { name: 'proto=', kind: 'u8', off: 36 }, { name: 'tclass=', kind: 'u8', off: 37 }, { name: 'hlimit=', kind: 'u8', off: 38 },
      { name: 'frag=', kind: 'frag', off: 39 },
    ],
  },
  'tcp(': { attr: OVS_KEY_ATTR_TCP, size: 4, fields: [{ name: 'src=', kind: 'be16', off: 0 }, { name: 'dst=', kind: 'be16', off: 2 }] },
  'udp(': { attr: OVS_KEY_ATTR_UDP, size: 4, fields: [{ name: 'src=', kind: 'be16', off: 0 }, { name: 'dst=', kind: 'be16', off: 2 }] },
  'sctp(': { attr: OVS_KEY_ATTR_SCTP, size: 4, fields: [{ name: 'src=', kind: 'be16', off: 0 }, { name: 'dst=', kind: 'be16', off: 2 }] },
  'icmp(': { attr: OVS_KEY_ATTR_ICMP, size: 2, fields: [{ name: 'type=', kind: 'u8', off: 0 }, { name: 'code=', kind: 'u8', off: 1 }] },
  'icmpv6(': { attr: OVS_KEY_ATTR_ICMPV6, size: 2, fields: [{ name: 'type=', kind: 'u8', off: 0 }, { name: 'code=', kind: 'u8', off: 1 }] },
  'nd(': {
    attr: OVS_KEY_ATTR_ND, size: 28, fields: [
      { name: 'target=', kind: 'in6', off: 0 }, { name: 'sll=', kind: 'eth', off: 16 }, { name: 'tll=', kind: 'eth', off: 22 },
    ],
  },
  'arp(': {
    attr: OVS_KEY_ATTR_ARP, size: 24, fields: [
      { name: 'sip=', kind: 'ipv4', off: 0 }, { name: 'tip=', kind: 'ipv4', off: 4 }, { name: 'op=', kind: 'be16', off: 8 },
      { name: 'sha=', kind: 'eth', off: 10 }, { name: 'tha=', kind: 'eth', off: 16 },
    ],
  },
  'packet_type(': { attr: OVS_KEY_ATTR_PACKET_TYPE, size: 4, fields: [{ name: 'ns=', kind: 'be16', off: 0 }, { name: 'id=', kind: 'be16', off: 2 }] },
};

type SingleKind = 'u32' | 'u16' | 'be16' | 'ct_state' | 'u128' | 'port';
const SINGLES: Record<string, { attr: number; kind: SingleKind; fully_masked?: boolean }> = {
  'skb_priority(': { attr: OVS_KEY_ATTR_PRIORITY, kind: 'u32' },
  'skb_mark(': { attr: OVS_KEY_ATTR_SKB_MARK, kind: 'u32' },
  'recirc_id(': { attr: OVS_KEY_ATTR_RECIRC_ID, kind: 'u32', fully_masked: true },
  'dp_hash(': { attr: OVS_KEY_ATTR_DP_HASH, kind: 'u32' },
  'ct_state(': { attr: OVS_KEY_ATTR_CT_STATE, kind: 'ct_state' },
  'ct_zone(': { attr: OVS_KEY_ATTR_CT_ZONE, kind: 'u16' },
  'ct_mark(': { attr: OVS_KEY_ATTR_CT_MARK, kind: 'u32' },
  'ct_label(': { attr: OVS_KEY_ATTR_CT_LABELS, kind: 'u128' },
  'in_port(': { attr: OVS_KEY_ATTR_IN_PORT, kind: 'port' },
  'eth_type(': { attr: OVS_KEY_ATTR_ETHERTYPE, kind: 'be16' },
  'tcp_flags(': { attr: OVS_KEY_ATTR_TCP_FLAGS, kind: 'be16' },
};

function single_bytes(kind: SingleKind, v: number | Uint8Array): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (kind === 'u16') return new StructWriter(2).u16(0, v).bytes;
  if (kind === 'be16') return new StructWriter(2).be16(0, v).bytes;
  return new StructWriter(4).u32(0, v).bytes;
}

/** `xlate`: the text stands for actions ofproto-dpif-xlate composed (see parse_odp_action). */
interface ParseCtx { port_names?: PortNames; depth: number; xlate?: boolean }

/**
 * parse_odp_key_mask_attr__: one attribute at the start of `s`, appended to
 * key (and mask). Returns the characters consumed or a negative errno.
 */
/**
 * SCAN_BEGIN_ARRAY("mpls(", ...): label= (20 bits), tc= (3), ttl= (8),
 * bos= (1), each with an optional /mask; an omitted field is wildcarded.
 * One label stack entry is modelled.
 */
function scan_mpls(s: string, key: NlAttrBuf, mask: NlAttrBuf | null): number {
  // field -> [bits, shift] in the be32 LSE
  const bf: Record<string, [number, number]> = { 'label=': [20, 12], 'tc=': [3, 9], 'ttl=': [8, 0], 'bos=': [1, 8] };
  let lse = 0;
  let lmask = 0;
  let i = 5;
  for (;;) {
    const fname = Object.keys(bf).find((x) => s.startsWith(x, i));
    if (!fname) {
      if (s[i] === ')') { i++; break; }
      return -EINVAL;
    }
    const [bits, shift] = bf[fname]!;
    const fm = (((1 << bits) >>> 0) - 1) * 2 ** shift;
    i += fname.length;
    const k = scan_int(s.slice(i));
    if (!k || k.value < 0n || k.value >= 1n << BigInt(bits)) return -EINVAL;
    lse = ((lse & ~fm) | (Number(k.value) * 2 ** shift)) >>> 0;
    i += k.n;
    if (s[i] === '/') {
      const m = scan_int(s.slice(i + 1));
      if (!m || m.value < 0n || m.value >= 1n << BigInt(bits)) return -EINVAL;
      lmask = ((lmask & ~fm) | (Number(m.value) * 2 ** shift)) >>> 0;
      i += 1 + m.n;
    } else {
      lmask = (lmask | fm) >>> 0;
    }
    if (s[i] === ',') { i++; continue; }
    if (s[i] === ')') { i++; break; }
    return -EINVAL;
  }
  key.attr(OVS_KEY_ATTR_MPLS, new StructWriter(4).be32(0, lse).bytes);
  mask?.attr(OVS_KEY_ATTR_MPLS, new StructWriter(4).be32(0, lmask).bytes);
  return i;
}

function parse_odp_key_mask_attr(ctx: ParseCtx, s: string, key: NlAttrBuf, mask: NlAttrBuf | null): number {
  if (++ctx.depth >= 32) { ctx.depth--; return -EINVAL; } // MAX_ODP_NESTED
  try {
    return parse_odp_key_mask_attr__(ctx, s, key, mask);
  } finally {
    ctx.depth--;
  }
}

// The tables as lists, made once (both are constant).
const SINGLES_LIST = Object.entries(SINGLES);
const STRUCTS_LIST = Object.entries(STRUCTS);

function parse_odp_key_mask_attr__(ctx: ParseCtx, s: string, key: NlAttrBuf, mask: NlAttrBuf | null): number {
  for (const [name, spec] of SINGLES_LIST) {
    if (!s.startsWith(name)) continue;
    const rest = s.slice(name.length);
    // SCAN_SINGLE_FULLY_MASKED: recirc_id scans no '/mask' and is always exact.
    const whole = spec.fully_masked ? scan_int(rest) : null;
    const r = whole ? { n: whole.n, key: trunc(whole.value, 32), mask: 0xffffffff }
      : spec.fully_masked ? null
        : spec.kind === 'port' ? scan_port(rest, ctx.port_names)
          : spec.kind === 'ct_state' ? scan_ct_state(rest)
            : spec.kind === 'u128' ? scan_u128(rest)
              : spec.kind === 'u16' || spec.kind === 'be16' ? scan_num(16)(rest) : scan_num(32)(rest);
    if (!r) return -EINVAL;
    if (rest[r.n] !== ')') return -EINVAL;
    key.attr(spec.attr, single_bytes(spec.kind, r.key));
    mask?.attr(spec.attr, single_bytes(spec.kind, r.mask));
    return name.length + r.n + 1;
  }

  for (const [name, spec] of STRUCTS_LIST) {
    if (!s.startsWith(name)) continue;
    const kw = new StructWriter(spec.size);
    const mw = new StructWriter(spec.size);
    let i = name.length;
    // SCAN_BEGIN ... SCAN_FINISH: fields separated by ',', closed by ')'.
    for (;;) {
      const f = spec.fields.find((x) => s.startsWith(x.name, i));
      if (!f) {
        if (s[i] === ')') { i++; break; }
        return -EINVAL;
      }
      i += f.name.length;
      const r = SCANNERS[f.kind](s.slice(i));
      if (!r) return -EINVAL;
      put_field(kw, f, r.key);
      put_field(mw, f, r.mask);
      i += r.n;
      if (s[i] === ',') { i++; continue; }
      if (s[i] === ')') { i++; break; }
      return -EINVAL;
    }
    key.attr(spec.attr, kw.bytes);
    mask?.attr(spec.attr, mw.bytes);
    return i;
  }

  if (s.startsWith('vlan(')) {
    // SCAN_BEGIN_INIT: CFI is pre-set in both key and mask.
    let tci = 0x1000;
    let tmask = 0x1000;
    let i = 5;
    const bf: Record<string, [number, number]> = { 'vid=': [12, 0], 'pcp=': [3, 13], 'cfi=': [1, 12] };
    for (;;) {
      const fname = Object.keys(bf).find((x) => s.startsWith(x, i));
      if (!fname) {
        if (s[i] === ')') { i++; break; }
        return -EINVAL;
      }
      const [bits, shift] = bf[fname]!;
      i += fname.length;
      const k = scan_int(s.slice(i));
      if (!k) return -EINVAL;
      const kv = trunc(k.value, 16);
      if (kv >> bits) return -EINVAL;
      const fm = ((1 << bits) - 1) << shift;
      tci = (tci & ~fm) | (kv << shift);
      i += k.n;
      if (s[i] === '/') {
        const m = scan_int(s.slice(i + 1));
        if (!m) return -EINVAL;
        const mv = trunc(m.value, 16);
        if (mv >> bits) return -EINVAL;
        tmask = (tmask & ~fm) | (mv << shift);
        i += 1 + m.n;
      } else {
        tmask |= fm;
      }
      if (s[i] === ',') { i++; continue; }
      if (s[i] === ')') { i++; break; }
      return -EINVAL;
    }
    key.be16(OVS_KEY_ATTR_VLAN, tci);
    mask?.be16(OVS_KEY_ATTR_VLAN, tmask);
    return i;
  }

  if (s.startsWith('mpls(')) return scan_mpls(s, key, mask);

  if (s.startsWith('tunnel(')) return scan_tunnel(s, key, mask);

  if (s.startsWith('encap(')) {
    const ko = key.nestStart(OVS_KEY_ATTR_ENCAP);
    const mo = mask?.nestStart(OVS_KEY_ATTR_ENCAP);
    let i = 6;
    for (;;) {
      while (i < s.length && DELIMITERS.includes(s[i]!)) i++;
      if (i >= s.length) return -EINVAL;
      if (s[i] === ')') break;
      const r = parse_odp_key_mask_attr(ctx, s.slice(i), key, mask);
      if (r < 0) return r;
      i += r;
    }
    key.nestEnd(ko);
    if (mask && mo !== undefined) mask.nestEnd(mo);
    return i + 1;
  }
  return -EINVAL;
}

/**
 * odp_ufid_from_string: a leading `ufid:<uuid>`. Returns the length consumed
 * (0 when absent) or -EINVAL.
 */
export function odp_ufid_from_string(s: string): { n: number; ufid?: Ufid } {
  if (!s.startsWith('ufid:')) return { n: 0 };
  const m = /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})/.exec(s.slice(5));
  if (!m) return { n: -EINVAL };
  const h = (x: string): number => parseInt(x, 16) >>> 0;
  const ufid: Ufid = [
    h(m[1]!), ((h(m[2]!) << 16) | h(m[3]!)) >>> 0, ((h(m[4]!) << 16) | h(m[5]!.slice(0, 4))) >>> 0, h(m[5]!.slice(4)),
  ];
  return { n: 5 + 36, ufid };
}

/** odp_format_ufid: `ufid:` + UUID_FMT of the four words. */
export function odp_format_ufid(u: Ufid): string {
  const x = (v: number, w: number): string => v.toString(16).padStart(w, '0');
  return `ufid:${x(u[0], 8)}-${x(u[1] >>> 16, 4)}-${x(u[1] & 0xffff, 4)}-${x(u[2] >>> 16, 4)}-${x(u[2] & 0xffff, 4)}${x(u[3], 8)}`;
}

export type OdpFlowParse = { key: Uint8Array; mask: Uint8Array } | { error: string };

/**
 * odp_flow_from_string: a datapath flow key (and its mask) from its text.
 * A leading ufid is skipped. Errors are `syntax error at <rest>`.
 */
export const odp_flow_from_string = hop('lib/odp-util.c', function odp_flow_from_string(
  text: string, port_names?: PortNames,
): OdpFlowParse {
  const key = new NlAttrBuf();
  const mask = new NlAttrBuf();
  const ctx: ParseCtx = { port_names, depth: 0 };
  let s = text;
  for (;;) {
    s = s.replace(/^[, \t\r\n]+/, '');
    if (s.length === 0) return { key: key.bytes(), mask: mask.bytes() };
    const u = odp_ufid_from_string(s);
    if (u.n < 0) return { error: `syntax error at ${s}` };
    if (u.n > 0) {
      s = s.slice(u.n);
      if (s.startsWith(' ')) s = s.slice(1);
    }
    const r = parse_odp_key_mask_attr(ctx, s, key, mask);
    if (r < 0) return { error: `syntax error at ${s}` };
    s = s.slice(r);
  }
}, { input: (t: string, _names?: PortNames) => t, result: (r) => ('error' in r ? r.error : `key ${r.key.byteLength}B mask ${r.mask.byteLength}B`) });

/** parse_odp_action__ for one action; chars consumed or a negative errno. */
function parse_odp_action(ctx: ParseCtx, s: string, out: NlAttrBuf): number {
  const num = /^[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (num) {
    out.u32(OVS_ACTION_ATTR_OUTPUT, trunc(scan_int(s)!.value, 32));
    return num[0].length;
  }
  let m = /^trunc\(([^)]*)\)/.exec(s);
  if (m) {
    const v = scan_int(m[1]!);
    if (v && v.n === m[1]!.length) {
      out.u32(OVS_ACTION_ATTR_TRUNC, trunc(v.value, 32));
      return m[0].length;
    }
  }
  if (ctx.port_names) {
    const len = [...s].findIndex((c) => DELIMITERS.includes(c));
    const name = len < 0 ? s : s.slice(0, len);
    const port = ctx.port_names.get(name);
    if (port !== undefined) {
      out.u32(OVS_ACTION_ATTR_OUTPUT, port);
      return name.length;
    }
  }
  if (s.startsWith('recirc(')) {
    // "%"PRIu32: decimal only, so recirc(0x1) does not parse.
    const v = scan_uint_dec(s.slice(7));
    if (v && s[7 + v.n] === ')') {
      out.u32(OVS_ACTION_ATTR_RECIRC, v.value);
      return 7 + v.n + 1;
    }
  }
  m = /^userspace\(pid=([^,)]*)(,userdata\(([0-9a-fA-F]*)\))?\)/.exec(s);
  if (m) {
    const pid = scan_int(m[1]!);
    if (!pid || pid.n !== m[1]!.length) return -EINVAL;
    const o = out.nestStart(OVS_ACTION_ATTR_USERSPACE);
    out.u32(OVS_USERSPACE_ATTR_PID, trunc(pid.value, 32));
    if (m[3] !== undefined) out.attr(OVS_USERSPACE_ATTR_USERDATA, Uint8Array.from(Buffer.from(m[3], 'hex')));
    out.nestEnd(o);
    return m[0].length;
  }
  if (s.startsWith('set(')) {
    const key = new NlAttrBuf();
    const mask = new NlAttrBuf();
    const r = parse_odp_key_mask_attr(ctx, s.slice(4), key, mask);
    if (r < 0) return r;
    if (s[4 + r] !== ')') return -EINVAL;
    const k = nl_attrs(key.bytes())![0]!;
    const mk = nl_attrs(mask.bytes())![0]!;
    // A mask of the key's size that is not all-ones turns SET into
    // SET_MASKED (key then mask); a tunnel nest whose flags make the mask
    // longer stays a SET.
    if (mk.payload.byteLength !== k.payload.byteLength || mk.payload.every((b) => b === 0xff)) {
      const o = out.nestStart(OVS_ACTION_ATTR_SET);
      out.attr(k.type, k.payload);
      out.nestEnd(o);
    } else {
      const both = new Uint8Array(k.payload.byteLength * 2);
      both.set(k.payload, 0);
      both.set(mk.payload, k.payload.byteLength);
      const o = out.nestStart(OVS_ACTION_ATTR_SET_MASKED);
      out.attr(k.type, both);
      out.nestEnd(o);
    }
    return r + 5;
  }
  const pv = /^push_vlan\((?:tpid=([^,)]+),)?vid=([^,)]+),pcp=([^,)]+)(?:,cfi=([^,)]+))?\)/.exec(s);
  if (pv) {
    const tpid = pv[1] !== undefined ? scan_int(pv[1]) : { value: 0x8100n, n: 0 };
    const vid = scan_int(pv[2]!);
    const pcp = scan_int(pv[3]!);
    const cfi = pv[4] !== undefined ? scan_int(pv[4]) : { value: 1n, n: 0 };
    if (!tpid || !vid || !pcp || !cfi) return -EINVAL;
    // lib/odp-util.c parse_odp_action__: vid > 4095 or pcp > 7 is EINVAL.
    if ((vid.value & ~0xfffn) !== 0n || (pcp.value & ~7n) !== 0n) return -EINVAL;
    const tci = (Number(vid.value) | (Number(pcp.value) << 13) | (cfi.value ? 0x1000 : 0)) & 0xffff;
    out.attr(OVS_ACTION_ATTR_PUSH_VLAN, new StructWriter(4).be16(0, trunc(tpid.value, 16)).be16(2, tci).bytes);
    return pv[0].length;
  }
  if (s.startsWith('pop_vlan')) {
    out.flag(OVS_ACTION_ATTR_POP_VLAN);
    return 8;
  }
  m = /^meter\(([^)]*)\)/.exec(s);
  if (m) {
    const v = scan_int(m[1]!);
    if (v && v.n === m[1]!.length) {
      out.u32(OVS_ACTION_ATTR_METER, trunc(v.value, 32));
      return m[0].length;
    }
  }
  // parse_odp_action__: add_mpls(label=%i,tc=%d,ttl=%d,bos=%d,eth_type=0x%x), no range checks.
  const am = /^add_mpls\(label=([^,)]+),tc=([+-]?[0-9]+),ttl=([+-]?[0-9]+),bos=([+-]?[0-9]+),eth_type=0x([0-9a-fA-F]+)\)/.exec(s);
  if (am) {
    const l = scan_int(am[1]!);
    if (l && l.n === am[1]!.length) {
      const [t, ttl, b] = [am[2]!, am[3]!, am[4]!].map((x) => Number(BigInt(x)) & 0xff);
      const lse = ((trunc(l.value, 32) << 12) | (t! << 9) | (b! << 8) | ttl!) >>> 0;
      out.attr(OVS_ACTION_ATTR_ADD_MPLS, new StructWriter(8).be32(0, lse).be16(4, parseInt(am[5]!, 16) & 0xffff).bytes);
      return am[0].length;
    }
  }
  // ofproto-dpif-xlate emits push_mpls/pop_mpls as bytes; parse_odp_action__
  // has no branch for their text, so only the translation table reads them.
  if (ctx.xlate) {
    const pm = /^push_mpls\(label=([^,)]+),tc=([^,)]+),ttl=([^,)]+),bos=([^,)]+),eth_type=0x([0-9a-fA-F]+)\)/.exec(s);
    if (pm) {
      const [l, t, ttl, b] = pm.slice(1, 5).map((x) => scan_int(x!)?.value ?? -1n);
      if (l! < 0n || l! > 0xfffffn || t! < 0n || t! > 7n || ttl! < 0n || ttl! > 255n || b! < 0n || b! > 1n) return -EINVAL;
      const lse = ((Number(l) << 12) | (Number(t) << 9) | (Number(b) << 8) | Number(ttl)) >>> 0;
      out.attr(OVS_ACTION_ATTR_PUSH_MPLS, new StructWriter(OVS_ACTION_PUSH_MPLS_LEN).be32(0, lse).be16(4, parseInt(pm[5]!, 16) & 0xffff).bytes);
      return pm[0].length;
    }
    const pp = /^pop_mpls\(eth_type=0x([0-9a-fA-F]+)\)/.exec(s);
    if (pp) {
      out.attr(OVS_ACTION_ATTR_POP_MPLS, new StructWriter(2).be16(0, parseInt(pp[1]!, 16) & 0xffff).bytes);
      return pp[0].length;
    }
  }
  if (s.startsWith('ct_clear')) {
    out.flag(OVS_ACTION_ATTR_CT_CLEAR);
    return 8;
  }
  if (s.startsWith('ct')) return parse_conntrack_action(s, out);
  return -EINVAL;
}

// ---------------------------------------------------------------- conntrack

/** struct ct_nat_params: addresses as network-order bytes (4 or 16 used). */
interface CtNatParams {
  snat: boolean;
  dnat: boolean;
  addr_len: number;
  addr_min: Uint8Array;
  addr_max: Uint8Array;
  proto_min: number;
  proto_max: number;
  persistent: boolean;
  proto_hash: boolean;
  proto_random: boolean;
}

/** memcmp over the first `n` bytes. */
function memcmp(a: Uint8Array, b: Uint8Array, n: number): number {
  return Buffer.compare(a.subarray(0, n), b.subarray(0, n));
}

/** An IPv6 address, bare or in brackets (IPV6_SCAN_FMT then inet_pton). */
function scan_ct_in6(s: string): { ip: Uint8Array; n: number } | null {
  const m = /^\[([0-9a-fA-F:.]{1,46})\]/.exec(s) ?? /^([0-9a-fA-F:.]{1,46})/.exec(s);
  if (!m) return null;
  const ip = inet_pton6(m[1]!);
  return ip ? { ip, n: m[0].length } : null;
}

/** scan_ct_nat_range: `=ip[-ip][:port[-port]]` after src/dst; chars consumed or -EINVAL. */
function scan_ct_nat_range(s: string, n: number, p: CtNatParams): number {
  if (s[n] !== '=') return n;
  n++;
  const v4 = scan_ip_addr(s.slice(n));
  if (v4) {
    p.addr_len = 4;
    new StructWriter(4).be32(0, v4.ip).bytes.forEach((b, i) => { p.addr_min[i] = b; });
    n += v4.n;
    if (s[n] === '-') {
      const mx = scan_ip_addr(s.slice(n + 1));
      if (!mx) return -EINVAL;
      new StructWriter(4).be32(0, mx.ip).bytes.forEach((b, i) => { p.addr_max[i] = b; });
      n += 1 + mx.n;
    }
  } else {
    const v6 = scan_ct_in6(s.slice(n));
    if (!v6) return -EINVAL;
    p.addr_len = 16;
    p.addr_min = v6.ip;
    n += v6.n;
    if (s[n] === '-') {
      const mx = scan_ct_in6(s.slice(n + 1));
      if (!mx) return -EINVAL;
      p.addr_max = mx.ip;
      n += 1 + mx.n;
    }
  }
  if (s[n] === ':') {
    const pm = scan_uint_dec(s.slice(n + 1));
    if (pm) {
      p.proto_min = pm.value & 0xffff;
      n += 1 + pm.n;
      if (s[n] === '-') {
        const px = scan_uint_dec(s.slice(n + 1));
        if (!px) return -EINVAL;
        p.proto_max = px.value & 0xffff;
        n += 1 + px.n;
      }
    }
  }
  return n;
}

/**
 * scan_ct_nat: `nat` or `nat(src|dst[=range],persistent,hash,random)`;
 * both src and dst, an inverted range, or hash with random is -EINVAL.
 */
function scan_ct_nat(s: string, p: CtNatParams): number {
  if (!s.startsWith('nat')) return 0;
  let n = 3;
  if (s[n] !== '(') return n;
  n++;
  const end = s.indexOf(')', n);
  if (end < 0) return -EINVAL;
  while (n < end) {
    while (DELIMITERS.includes(s[n] ?? 'x')) n++;
    const word = /^(src|dst|persistent|hash|random)/.exec(s.slice(n))?.[1];
    if (word === 'src' || word === 'dst') {
      const r = scan_ct_nat_range(s, n + 3, p);
      if (r < 0) return r;
      n = r;
      if (word === 'src') p.snat = true;
      else p.dnat = true;
      continue;
    }
    if (word === 'persistent') { p.persistent = true; n += word.length; continue; }
    if (word === 'hash') { p.proto_hash = true; n += word.length; continue; }
    if (word === 'random') { p.proto_random = true; n += word.length; continue; }
    return -EINVAL;
  }
  if (p.snat && p.dnat) return -EINVAL;
  const zero = new Uint8Array(16);
  if ((p.addr_len !== 0 && memcmp(p.addr_max, zero, p.addr_len) !== 0 && memcmp(p.addr_max, p.addr_min, p.addr_len) < 0)
    || (p.proto_max && p.proto_max < p.proto_min)) return -EINVAL;
  if (p.proto_hash && p.proto_random) return -EINVAL;
  return n + 1;
}

/** nl_msg_put_ct_nat: the type flag, then the range only when a type was given. */
function nl_msg_put_ct_nat(p: CtNatParams, out: NlAttrBuf): void {
  const start = out.nestStart(OVS_CT_ATTR_NAT);
  if (p.snat || p.dnat) {
    out.flag(p.snat ? OVS_NAT_ATTR_SRC : OVS_NAT_ATTR_DST);
    if (p.addr_len !== 0) {
      out.attr(OVS_NAT_ATTR_IP_MIN, p.addr_min.slice(0, p.addr_len));
      if (memcmp(p.addr_max, p.addr_min, p.addr_len) > 0) out.attr(OVS_NAT_ATTR_IP_MAX, p.addr_max.slice(0, p.addr_len));
      if (p.proto_min) {
        out.u16(OVS_NAT_ATTR_PROTO_MIN, p.proto_min);
        if (p.proto_max && p.proto_max > p.proto_min) out.u16(OVS_NAT_ATTR_PROTO_MAX, p.proto_max);
      }
      if (p.persistent) out.flag(OVS_NAT_ATTR_PERSISTENT);
      if (p.proto_hash) out.flag(OVS_NAT_ATTR_PROTO_HASH);
      if (p.proto_random) out.flag(OVS_NAT_ATTR_PROTO_RANDOM);
    }
  }
  out.nestEnd(start);
}

/**
 * parse_conntrack_action (lib/odp-util.c v3.6.3): `ct` or `ct(commit |
 * force_commit, zone=N, mark=V[/M], label=V[/M], helper=H, timeout=T,
 * nat(...))`. commit together with force_commit is -EINVAL; so is any
 * unknown word. Returns the characters consumed.
 */
function parse_conntrack_action(s0: string, out: NlAttrBuf): number {
  let i = 2;
  let commit = false;
  let force_commit = false;
  let zone = 0;
  let mark = 0;
  let mark_mask = 0;
  let label: Uint8Array = new Uint8Array(16);
  let label_mask: Uint8Array = new Uint8Array(16);
  let helper: string | undefined;
  let timeout: string | undefined;
  let nat: CtNatParams | undefined;
  if (s0[i] === '(') {
    i++;
    let end = s0.indexOf(')', i);
    if (end < 0) return -EINVAL;
    while (i !== end) {
      while (DELIMITERS.includes(s0[i] ?? 'x')) i++;
      const s = s0.slice(i);
      if (s.startsWith('commit')) { commit = true; i += 6; continue; }
      if (s.startsWith('force_commit')) { force_commit = true; i += 12; continue; }
      let m = /^zone=(\+?[0-9]+)/.exec(s);
      if (m) { zone = Number(BigInt(m[1]!.replace('+', '')) & 0xffffn); i += m[0].length; continue; }
      m = /^mark=((?:0[xX])?[0-9a-fA-F]+)/.exec(s);
      if (m) {
        mark = Number(BigInt.asUintN(32, BigInt(/^0[xX]/.test(m[1]!) ? m[1]! : `0x${m[1]!}`)));
        i += m[0].length;
        const mm = /^\/((?:0[xX])?[0-9a-fA-F]+)/.exec(s0.slice(i));
        if (mm) {
          mark_mask = Number(BigInt.asUintN(32, BigInt(/^0[xX]/.test(mm[1]!) ? mm[1]! : `0x${mm[1]!}`)));
          i += mm[0].length;
        } else {
          mark_mask = 0xffffffff;
        }
        continue;
      }
      if (s.startsWith('label=')) {
        const l = scan_u128(s.slice(6));
        if (!l) return -EINVAL;
        label = l.key as Uint8Array;
        label_mask = l.mask as Uint8Array;
        i += 6 + l.n;
        continue;
      }
      m = /^(helper|timeout)=([^, \t\r\n)]*)/.exec(s);
      if (m) {
        const len = m[2]!.length;
        if (!len || len > (m[1] === 'helper' ? 15 : 31)) return -EINVAL;
        if (m[1] === 'helper') helper = m[2]!;
        else timeout = m[2]!;
        i += m[0].length;
        continue;
      }
      const p: CtNatParams = {
        snat: false, dnat: false, addr_len: 0, addr_min: new Uint8Array(16), addr_max: new Uint8Array(16), proto_min: 0, proto_max: 0,
        persistent: false, proto_hash: false, proto_random: false,
      };
      const n = scan_ct_nat(s, p);
      if (n > 0) {
        i += n;
        nat = p;
        // The ')' found first closed the nat(...): look for the real end.
        end = s0.indexOf(')', i);
        if (end < 0) return -EINVAL;
        continue;
      }
      return -EINVAL;
    }
    i++;
  }
  if (commit && force_commit) return -EINVAL;
  const start = out.nestStart(OVS_ACTION_ATTR_CT);
  if (commit) out.flag(OVS_CT_ATTR_COMMIT);
  else if (force_commit) out.flag(OVS_CT_ATTR_FORCE_COMMIT);
  if (zone) out.u16(OVS_CT_ATTR_ZONE, zone);
  if (mark_mask) out.attr(OVS_CT_ATTR_MARK, new StructWriter(8).u32(0, mark).u32(4, mark_mask).bytes);
  if (label_mask.some((b) => b)) {
    const both = new Uint8Array(32);
    both.set(label, 0);
    both.set(label_mask, 16);
    out.attr(OVS_CT_ATTR_LABELS, both);
  }
  if (helper !== undefined) out.string(OVS_CT_ATTR_HELPER, helper);
  if (timeout !== undefined) out.string(OVS_CT_ATTR_TIMEOUT, timeout);
  if (nat) nl_msg_put_ct_nat(nat, out);
  out.nestEnd(start);
  return i;
}

/**
 * odp_actions_from_string: actions text to OVS_ACTION_ATTR_* bytes. `drop`
 * alone is an explicit drop action; an empty string is an empty list.
 * Errors are a positive errno (callers print `parsing actions`).
 */
export const odp_actions_from_string = hop('lib/odp-util.c', function odp_actions_from_string(
  text: string, port_names?: PortNames, xlate = false,
): { actions: Uint8Array } | { error: number } {
  const out = new NlAttrBuf();
  if (text.toLowerCase() === 'drop') {
    out.u32(OVS_ACTION_ATTR_DROP, XLATE_OK);
    return { actions: out.bytes() };
  }
  const ctx: ParseCtx = { port_names, depth: 0, xlate };
  let s = text;
  for (;;) {
    s = s.replace(/^[, \t\r\n]+/, '');
    if (s.length === 0) return { actions: out.bytes() };
    const r = parse_odp_action(ctx, s, out);
    if (r < 0 || (r < s.length && !DELIMITERS.includes(s[r]!))) return { error: r < 0 ? -r : EINVAL };
    s = s.slice(r);
  }
}, { input: (t: string, _names?: PortNames, _xlate?: boolean) => t, result: (r) => ('error' in r ? `error ${r.error}` : `${r.actions.byteLength}B`) });

/**
 * odp_flow_key_hash: the UFID of a key. Upstream hashes with a random
 * per-process basis; here the basis is fixed so traces are reproducible.
 * The result is marked as a version-4 UUID (uuid_set_bits_v4).
 */
export const odp_flow_key_hash = hop('lib/odp-util.c', function odp_flow_key_hash(key: Uint8Array): Ufid {
  const d = createHash('sha256').update(key).digest();
  const r = new StructReader(new Uint8Array(d.buffer, d.byteOffset, 16));
  const u: Ufid = [r.u32(0), r.u32(4), r.u32(8), r.u32(12)];
  u[1] = ((u[1] & ~0xf000) | 0x4000) >>> 0;
  u[2] = ((u[2] & ~0xc0000000) | 0x80000000) >>> 0;
  return u;
}, { result: (u) => odp_format_ufid(u) });

// ------------------------------------------------------------------ tunnel

/** flow_tun_flag_to_string (lib/flow.c), in bit order. */
const TUN_FLAG_NAMES: readonly [number, string][] = [
  [FLOW_TNL_F_OAM, 'oam'], [FLOW_TNL_F_DONT_FRAGMENT, 'df'], [FLOW_TNL_F_CSUM, 'csum'], [FLOW_TNL_F_KEY, 'key'],
];

/**
 * scan_tun_flags (parse_flags, lib/flow.c): either `name|name` (mask: every
 * allowed bit) or `+name-name` (mask: the named bits), closed by ')'.
 * Returns the characters consumed, ')' included.
 */
function scan_tun_flags(s: string): { n: number; key: number; mask: number } | null {
  const close = s.indexOf(')');
  if (close < 0) return null;
  const body = s.slice(0, close);
  const bit = (name: string): number | undefined => TUN_FLAG_NAMES.find(([, n]) => n === name)?.[0];
  let key = 0;
  let mask = 0;
  if (body.startsWith('+') || body.startsWith('-')) {
    const re = /([+-])([a-z]+)/gy;
    let m: RegExpExecArray | null;
    let at = 0;
    while ((m = re.exec(body))) {
      const b = bit(m[2]!);
      if (b === undefined) return null;
      if (m[1] === '+') key |= b;
      mask |= b;
      at = re.lastIndex;
    }
    if (at !== body.length) return null;
  } else {
    for (const name of body === '' || body === '0' ? [] : body.split('|')) {
      const b = bit(name);
      if (b === undefined) return null;
      key |= b;
    }
    mask = FLOW_TNL_F_MASK;
  }
  return { n: close + 1, key, mask };
}

/** tun_flags_to_attr: DF, CSUM and OAM are flag attributes; KEY rides on ID. */
function tun_flags_to_attr(b: NlAttrBuf, flags: number): void {
  if (flags & FLOW_TNL_F_DONT_FRAGMENT) b.flag(OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
  if (flags & FLOW_TNL_F_CSUM) b.flag(OVS_TUNNEL_KEY_ATTR_CSUM);
  if (flags & FLOW_TNL_F_OAM) b.flag(OVS_TUNNEL_KEY_ATTR_OAM);
}

type TunField = { name: string; attr: number; kind: 'be64' | 'ipv4' | 'u8' | 'be16' };
// parse_odp_key_mask_attr__ SCAN_BEGIN_NESTED("tunnel(") fields (the IPv4/VXLAN subset).
const TUN_FIELDS: readonly TunField[] = [
  { name: 'tun_id=', attr: OVS_TUNNEL_KEY_ATTR_ID, kind: 'be64' },
  { name: 'src=', attr: OVS_TUNNEL_KEY_ATTR_IPV4_SRC, kind: 'ipv4' },
  { name: 'dst=', attr: OVS_TUNNEL_KEY_ATTR_IPV4_DST, kind: 'ipv4' },
  { name: 'tos=', attr: OVS_TUNNEL_KEY_ATTR_TOS, kind: 'u8' },
  { name: 'ttl=', attr: OVS_TUNNEL_KEY_ATTR_TTL, kind: 'u8' },
  { name: 'tp_src=', attr: OVS_TUNNEL_KEY_ATTR_TP_SRC, kind: 'be16' },
  { name: 'tp_dst=', attr: OVS_TUNNEL_KEY_ATTR_TP_DST, kind: 'be16' },
];

function scan_be64(s: string): { n: number; key: bigint; mask: bigint } | null {
  const k = scan_int(s);
  if (!k) return null;
  if (s[k.n] === '/') {
    const m = scan_int(s.slice(k.n + 1));
    if (m) return { n: k.n + 1 + m.n, key: BigInt.asUintN(64, k.value), mask: BigInt.asUintN(64, m.value) };
  }
  return { n: k.n, key: BigInt.asUintN(64, k.value), mask: 0xffffffffffffffffn };
}

function tun_field_bytes(kind: TunField['kind'], v: number | bigint): Uint8Array {
  if (kind === 'be64') return new StructWriter(8).be32(0, Number(BigInt(v) >> 32n)).be32(4, Number(BigInt(v) & 0xffffffffn)).bytes;
  if (kind === 'ipv4') return new StructWriter(4).be32(0, Number(v)).bytes;
  if (kind === 'be16') return new StructWriter(2).be16(0, Number(v)).bytes;
  return new StructWriter(1).u8(0, Number(v)).bytes;
}

/**
 * The `tunnel(...)` key: each field becomes an OVS_TUNNEL_KEY_ATTR_* in
 * text order, in both key and mask nests; `flags(...)` adds flag attributes.
 * erspan/geneve/gtpu/vxlan(gbp) options and IPv6 endpoints are not modelled
 * and are syntax errors here.
 */
function scan_tunnel(s: string, key: NlAttrBuf, mask: NlAttrBuf | null): number {
  const ko = key.nestStart(OVS_KEY_ATTR_TUNNEL);
  const mo = mask?.nestStart(OVS_KEY_ATTR_TUNNEL);
  let i = 'tunnel('.length;
  for (;;) {
    if (s[i] === ')') { i++; break; }
    if (s.startsWith('flags(', i)) {
      const f = scan_tun_flags(s.slice(i + 6));
      if (!f) return -EINVAL;
      tun_flags_to_attr(key, f.key);
      if (mask) tun_flags_to_attr(mask, f.mask);
      i += 6 + f.n;
    } else {
      const f = TUN_FIELDS.find((x) => s.startsWith(x.name, i));
      if (!f) return -EINVAL;
      i += f.name.length;
      const rest = s.slice(i);
      const r = f.kind === 'be64' ? scan_be64(rest)
        : f.kind === 'ipv4' ? scan_ipv4(rest) : scan_num(f.kind === 'u8' ? 8 : 16)(rest);
      if (!r) return -EINVAL;
      key.attr(f.attr, tun_field_bytes(f.kind, r.key as number | bigint));
      mask?.attr(f.attr, tun_field_bytes(f.kind, r.mask as number | bigint));
      i += r.n;
    }
    if (s[i] === ',') { i++; continue; }
    if (s[i] === ')') { i++; break; }
    return -EINVAL;
  }
  key.nestEnd(ko);
  if (mask && mo !== undefined) mask.nestEnd(mo);
  return i;
}

/**
 * odp_tun_key_from_attr__: the nest into a struct flow_tnl. An ID sets
 * FLOW_TNL_F_KEY; a key without TTL does not fit (the kernel needs one).
 */
export function odp_tun_key_from_attr(payload: Uint8Array, is_mask: boolean): FlowTnl | null {
  const list = nl_attrs(payload);
  if (!list) return null;
  const tun: FlowTnl = { tun_id: 0n, ip_src: 0, ip_dst: 0, ip_tos: 0, ip_ttl: 0, tp_src: 0, tp_dst: 0, flags: 0 };
  let ttl = false;
  for (const a of list) {
    const r = new StructReader(a.payload);
    switch (a.type) {
      case OVS_TUNNEL_KEY_ATTR_ID: tun.tun_id = (BigInt(r.be32(0)) << 32n) | BigInt(r.be32(4)); tun.flags |= FLOW_TNL_F_KEY; break;
      case OVS_TUNNEL_KEY_ATTR_IPV4_SRC: tun.ip_src = r.be32(0); break;
      case OVS_TUNNEL_KEY_ATTR_IPV4_DST: tun.ip_dst = r.be32(0); break;
      case OVS_TUNNEL_KEY_ATTR_TOS: tun.ip_tos = r.u8(0); break;
      case OVS_TUNNEL_KEY_ATTR_TTL: tun.ip_ttl = r.u8(0); ttl = true; break;
      case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT: tun.flags |= FLOW_TNL_F_DONT_FRAGMENT; break;
      case OVS_TUNNEL_KEY_ATTR_CSUM: tun.flags |= FLOW_TNL_F_CSUM; break;
      case OVS_TUNNEL_KEY_ATTR_OAM: tun.flags |= FLOW_TNL_F_OAM; break;
      case OVS_TUNNEL_KEY_ATTR_TP_SRC: tun.tp_src = r.be16(0); break;
      case OVS_TUNNEL_KEY_ATTR_TP_DST: tun.tp_dst = r.be16(0); break;
      default: return null; // options and IPv6 endpoints: not modelled
    }
  }
  if (!is_mask && !ttl) return null;
  return tun;
}

/** tun_key_to_attr: the OVS_KEY_ATTR_TUNNEL nest of a flow_tnl (key or mask). */
export function tun_key_to_attr(out: NlAttrBuf, t: FlowTnl): void {
  const o = out.nestStart(OVS_KEY_ATTR_TUNNEL);
  if (t.flags & FLOW_TNL_F_KEY) out.attr(OVS_TUNNEL_KEY_ATTR_ID, tun_field_bytes('be64', t.tun_id));
  if (t.ip_src) out.attr(OVS_TUNNEL_KEY_ATTR_IPV4_SRC, tun_field_bytes('ipv4', t.ip_src));
  if (t.ip_dst) out.attr(OVS_TUNNEL_KEY_ATTR_IPV4_DST, tun_field_bytes('ipv4', t.ip_dst));
  if (t.ip_tos) out.attr(OVS_TUNNEL_KEY_ATTR_TOS, tun_field_bytes('u8', t.ip_tos));
  out.attr(OVS_TUNNEL_KEY_ATTR_TTL, tun_field_bytes('u8', t.ip_ttl));
  if (t.flags & FLOW_TNL_F_DONT_FRAGMENT) out.flag(OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
  if (t.flags & FLOW_TNL_F_CSUM) out.flag(OVS_TUNNEL_KEY_ATTR_CSUM);
  if (t.tp_src) out.attr(OVS_TUNNEL_KEY_ATTR_TP_SRC, tun_field_bytes('be16', t.tp_src));
  if (t.tp_dst) out.attr(OVS_TUNNEL_KEY_ATTR_TP_DST, tun_field_bytes('be16', t.tp_dst));
  if (t.flags & FLOW_TNL_F_OAM) out.flag(OVS_TUNNEL_KEY_ATTR_OAM);
  out.nestEnd(o);
}

/** format_flags / format_flags_masked over the tunnel flag names. */
function format_tun_flags(key: number, mask: number | undefined): string {
  const names = (v: number): string => TUN_FLAG_NAMES.filter(([b]) => v & b).map(([, n]) => n).join('|') || '0';
  if (mask === undefined || (mask & FLOW_TNL_F_MASK) === FLOW_TNL_F_MASK) return names(key);
  const m = mask & FLOW_TNL_F_MASK;
  if (!m) return '0/0';
  return TUN_FLAG_NAMES.filter(([b]) => m & b).map(([b, n]) => `${key & b ? '+' : '-'}${n}`).join('');
}

/**
 * format_odp_tun_attr: the fields present in the key, each with its mask
 * (omitted when fully masked; skipped when wildcarded unless verbose), then
 * `flags(...)`. The mask's flags are the flag attributes of the mask nest.
 */
function format_odp_tun_attr(key: Uint8Array, mask: Uint8Array | undefined, verbose: boolean): string {
  const ka = nl_attrs(key) ?? [];
  const ma = mask ? nl_attrs(mask) ?? [] : undefined;
  const parts: string[] = [];
  let flags = 0;
  let mask_flags = 0;
  for (const a of ka) {
    const m = ma?.find((x) => x.type === a.type);
    const mp = ma ? (m?.payload ?? new Uint8Array(a.payload.byteLength)) : undefined;
    const r = new StructReader(a.payload);
    const mr = mp ? new StructReader(mp) : undefined;
    const empty = mp !== undefined && mp.every((b) => b === 0);
    const full = mp === undefined || mp.every((b) => b === 0xff);
    const put = (name: string, v: string, mv: () => string): void => {
      if (empty && !verbose) return;
      parts.push(full ? `${name}=${v}` : `${name}=${v}/${mv()}`);
    };
    switch (a.type) {
      case OVS_TUNNEL_KEY_ATTR_ID: {
        const v = (BigInt(r.be32(0)) << 32n) | BigInt(r.be32(4));
        put('tun_id', `0x${v.toString(16)}`, () => {
          const mv = (BigInt(mr!.be32(0)) << 32n) | BigInt(mr!.be32(4));
          return mv === 0n ? '0' : `0x${mv.toString(16)}`;
        });
        flags |= FLOW_TNL_F_KEY;
        if (m) mask_flags |= FLOW_TNL_F_KEY;
        break;
      }
      case OVS_TUNNEL_KEY_ATTR_IPV4_SRC: put('src', fmt_ip(r.be32(0)), () => fmt_ip(mr!.be32(0))); break;
      case OVS_TUNNEL_KEY_ATTR_IPV4_DST: put('dst', fmt_ip(r.be32(0)), () => fmt_ip(mr!.be32(0))); break;
      case OVS_TUNNEL_KEY_ATTR_TOS: put('tos', hx(r.u8(0)), () => hx(mr!.u8(0))); break;
      case OVS_TUNNEL_KEY_ATTR_TTL: put('ttl', String(r.u8(0)), () => hx(mr!.u8(0))); break;
      case OVS_TUNNEL_KEY_ATTR_TP_SRC: put('tp_src', String(r.be16(0)), () => hx(mr!.be16(0))); break;
      case OVS_TUNNEL_KEY_ATTR_TP_DST: put('tp_dst', String(r.be16(0)), () => hx(mr!.be16(0))); break;
      case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT: flags |= FLOW_TNL_F_DONT_FRAGMENT; break;
      case OVS_TUNNEL_KEY_ATTR_CSUM: flags |= FLOW_TNL_F_CSUM; break;
      case OVS_TUNNEL_KEY_ATTR_OAM: flags |= FLOW_TNL_F_OAM; break;
      default: parts.push(`key${a.type}(${Buffer.from(a.payload).toString('hex')})`);
    }
  }
  for (const m of ma ?? []) {
    if (m.type === OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT) mask_flags |= FLOW_TNL_F_DONT_FRAGMENT;
    else if (m.type === OVS_TUNNEL_KEY_ATTR_CSUM) mask_flags |= FLOW_TNL_F_CSUM;
    else if (m.type === OVS_TUNNEL_KEY_ATTR_OAM) mask_flags |= FLOW_TNL_F_OAM;
  }
  // format_tun_flags: printed unless the mask has no flag bits at all.
  if (verbose || ma === undefined || mask_flags) parts.push(`flags(${format_tun_flags(flags, ma === undefined ? undefined : mask_flags)})`);
  return parts.join(',');
}

/** True when a tunnel mask nest wildcards everything (odp_mask_attr_is_wildcard). */
function tun_mask_is_wildcard(mask: Uint8Array): boolean {
  const t = odp_tun_key_from_attr(mask, true);
  return !!t && t.tun_id === 0n && !t.ip_src && !t.ip_dst && !t.ip_tos && !t.ip_ttl && !t.tp_src && !t.tp_dst && !t.flags;
}

// ------------------------------------------------------------ key -> flow

export type OdpKeyFitness = 'perfect' | 'too_much' | 'too_little' | 'error';

function mac(a: NlAttr, off: number): Uint8Array {
  return a.payload.slice(off, off + 6);
}

/**
 * odp_flow_key_to_flow__ for a key (src === undefined) or a mask (src = the
 * key's flow). Returns the fitness; fills `flow`.
 */
function odp_flow_key_to_flow__(bytes: Uint8Array, flow: Flow, src: Flow | undefined): OdpKeyFitness {
  const is_mask = src !== undefined;
  const list = nl_attrs(bytes);
  if (!list) return 'error';
  const attrs = new Map<number, NlAttr>();
  for (const a of list) {
    if (attrs.has(a.type)) return 'error'; // duplicate attribute
    attrs.set(a.type, a);
  }
  const present = new Set(attrs.keys());
  const expected = new Set<number>();
  const take = (t: number): NlAttr | undefined => {
    const a = attrs.get(t);
    if (a) expected.add(t);
    return a;
  };
  const need = (t: number, len: number): NlAttr | undefined | null => {
    const a = take(t);
    if (a && a.payload.byteLength !== len) return null;
    return a;
  };
  const u32 = (a: NlAttr): number => nla_get_u32(a);
  const r = (a: NlAttr): StructReader => new StructReader(a.payload);

  // Metadata.
  for (const [t, set] of [
    [OVS_KEY_ATTR_RECIRC_ID, (v: number) => { flow.recirc_id = v; }],
    [OVS_KEY_ATTR_DP_HASH, (v: number) => { flow.dp_hash = v; }],
    [OVS_KEY_ATTR_PRIORITY, (v: number) => { flow.skb_priority = v; }],
    [OVS_KEY_ATTR_SKB_MARK, (v: number) => { flow.pkt_mark = v; }],
    [OVS_KEY_ATTR_CT_STATE, (v: number) => { flow.ct_state = v; }],
    [OVS_KEY_ATTR_CT_MARK, (v: number) => { flow.ct_mark = v; }],
  ] as const) {
    const a = need(t, 4);
    if (a === null) return 'error';
    if (a) set(u32(a));
  }
  const tnl = take(OVS_KEY_ATTR_TUNNEL);
  if (tnl) {
    const t = odp_tun_key_from_attr(tnl.payload, is_mask);
    if (!t) return 'error';
    flow.tunnel = t;
  }
  const zone = need(OVS_KEY_ATTR_CT_ZONE, 2);
  if (zone === null) return 'error';
  if (zone) flow.ct_zone = r(zone).u16(0);
  const label = need(OVS_KEY_ATTR_CT_LABELS, 16);
  if (label === null) return 'error';
  if (label) flow.ct_label = label.payload.slice();
  const inp = need(OVS_KEY_ATTR_IN_PORT, 4);
  if (inp === null) return 'error';
  if (inp) flow.in_port = u32(inp);
  else if (!is_mask) flow.in_port = ODPP_NONE;

  // Ethernet.
  const pt = need(OVS_KEY_ATTR_PACKET_TYPE, 4);
  if (pt === null) return 'error';
  if (pt) flow.packet_type = r(pt).u32(0);
  const eth = need(OVS_KEY_ATTR_ETHERNET, 12);
  if (eth === null) return 'error';
  if (eth) {
    flow.dl_src = mac(eth, 0);
    flow.dl_dst = mac(eth, 6);
    if (is_mask) flow.packet_type = 0xffffffff;
  }

  // parse_ethertype
  const et = need(OVS_KEY_ATTR_ETHERTYPE, 2);
  if (et === null) return 'error';
  if (et) {
    flow.dl_type = r(et).be16(0);
    if (!is_mask && flow.dl_type < 0x600) return 'error'; // invalid Ethertype in flow key
    if (is_mask && src.dl_type < 0x600 && flow.dl_type !== 0xffff) return 'error';
  } else if (!is_mask) {
    flow.dl_type = present.has(OVS_KEY_ATTR_IPV4) ? 0x0800 : present.has(OVS_KEY_ATTR_IPV6) ? 0x86dd : FLOW_DL_TYPE_NONE;
  } else if (src.dl_type < 0x600) {
    return 'error'; // mask expected for non-Ethernet II frame
  }

  // 802.1Q: the outer ethertype is the TPID, the rest is inside ENCAP.
  let l3attrs = attrs;
  let l3present = present;
  let l3flow_dl = is_mask ? src.dl_type : flow.dl_type;
  const key_is_vlan = is_mask ? eth_type_vlan(src.vlans[0].tpid) : eth_type_vlan(flow.dl_type);
  if (key_is_vlan) {
    const v = need(OVS_KEY_ATTR_VLAN, 2);
    if (v === null) return 'error';
    const encap = take(OVS_KEY_ATTR_ENCAP);
    if (!is_mask) {
      expected.add(OVS_KEY_ATTR_VLAN);
      expected.add(OVS_KEY_ATTR_ENCAP);
      flow.vlans[0] = { tpid: flow.dl_type, tci: v ? r(v).be16(0) : 0 };
      flow.dl_type = FLOW_DL_TYPE_NONE;
    } else {
      flow.vlans[0] = { tpid: flow.dl_type, tci: v ? r(v).be16(0) : 0 };
      flow.dl_type = 0;
    }
    if (!v || !encap) return is_mask ? 'perfect' : 'too_little';
    const inner = new Map<number, NlAttr>();
    for (const a of nl_attrs(encap.payload) ?? []) inner.set(a.type, a);
    l3attrs = inner;
    l3present = new Set(inner.keys());
    const iet = inner.get(OVS_KEY_ATTR_ETHERTYPE);
    if (iet) flow.dl_type = r(iet).be16(0);
    else if (is_mask) flow.dl_type = 0xffff;
    l3flow_dl = is_mask ? src.dl_type : flow.dl_type;
    // Inner attributes are checked against their own expectations below.
    for (const t of inner.keys()) if (t === OVS_KEY_ATTR_ETHERTYPE) inner.delete(t);
  }

  const l3take = (t: number): NlAttr | undefined => {
    const a = l3attrs.get(t);
    if (a && l3attrs === attrs) expected.add(t);
    return a;
  };
  const l3expect = (t: number): void => {
    if (!is_mask && l3attrs === attrs) expected.add(t);
  };
  let l3_missing = false;
  const keyflow = is_mask ? src : flow;
  // parse_l2_5_onward: an MPLS ethertype carries its label stack entries.
  if (l3flow_dl === 0x8847 || l3flow_dl === 0x8848) {
    l3expect(OVS_KEY_ATTR_MPLS);
    const a = l3take(OVS_KEY_ATTR_MPLS);
    if (a) {
      const n = a.payload.byteLength / 4;
      if (!Number.isInteger(n) || n === 0 || n > flow.mpls_lse.length) return 'error';
      for (let i = 0; i < n; i++) flow.mpls_lse[i] = r(a).be32(4 * i);
    } else if (!is_mask) l3_missing = true;
  }
  if (l3flow_dl === 0x0800) {
    l3expect(OVS_KEY_ATTR_IPV4);
    const a = l3take(OVS_KEY_ATTR_IPV4);
    if (a) {
      if (a.payload.byteLength !== 12) return 'error';
      const x = r(a);
      flow.nw_src = x.be32(0); flow.nw_dst = x.be32(4); flow.nw_proto = x.u8(8);
      flow.nw_tos = x.u8(9); flow.nw_ttl = x.u8(10);
      const frag = x.u8(11);
      // odp_to_ovs_frag: the ODP frag mask is all or nothing.
      if (is_mask) flow.nw_frag = frag ? FLOW_NW_FRAG_MASK : 0;
      else {
        if (frag > OVS_FRAG_TYPE_LATER) return 'error';
        flow.nw_frag = frag === OVS_FRAG_TYPE_NONE ? 0 : frag === OVS_FRAG_TYPE_FIRST ? FLOW_NW_FRAG_ANY : FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER;
      }
      if (is_mask && !a.payload.every((b) => b === 0) && flow.dl_type !== 0xffff) return 'error';
    } else if (!is_mask) l3_missing = true;
  } else if (l3flow_dl === 0x86dd) {
    l3expect(OVS_KEY_ATTR_IPV6);
    const a = l3take(OVS_KEY_ATTR_IPV6);
    if (a) {
      if (a.payload.byteLength !== 40) return 'error';
      const x = r(a);
      flow.ipv6_src = a.payload.slice(0, 16); flow.ipv6_dst = a.payload.slice(16, 32);
      flow.ipv6_label = x.be32(32); flow.nw_proto = x.u8(36); flow.nw_tos = x.u8(37); flow.nw_ttl = x.u8(38);
      const frag = x.u8(39);
      if (is_mask) flow.nw_frag = frag ? FLOW_NW_FRAG_MASK : 0;
      else {
        if (frag > OVS_FRAG_TYPE_LATER) return 'error';
        flow.nw_frag = frag === OVS_FRAG_TYPE_NONE ? 0 : frag === OVS_FRAG_TYPE_FIRST ? FLOW_NW_FRAG_ANY : FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER;
      }
      if (is_mask && !a.payload.every((b) => b === 0) && flow.dl_type !== 0xffff) return 'error';
    } else if (!is_mask) l3_missing = true;
  } else if (l3flow_dl === 0x0806) {
    l3expect(OVS_KEY_ATTR_ARP);
    const a = l3take(OVS_KEY_ATTR_ARP);
    if (a) {
      if (a.payload.byteLength !== 24) return 'error';
      const x = r(a);
      if (!is_mask && (x.be16(8) & 0xff00)) return 'error'; // unsupported ARP opcode
      flow.nw_src = x.be32(0); flow.nw_dst = x.be32(4); flow.nw_proto = x.be16(8) & 0xff;
      flow.arp_sha = mac(a, 10); flow.arp_tha = mac(a, 16);
      if (is_mask && !a.payload.every((b) => b === 0) && flow.dl_type !== 0xffff) return 'error';
    } else if (!is_mask) l3_missing = true;
  }

  const ip = keyflow.dl_type === 0x0800 || keyflow.dl_type === 0x86dd;
  const later = (keyflow.nw_frag & FLOW_NW_FRAG_LATER) !== 0;
  const tp = (t: number, icmp: boolean): void => {
    l3expect(t);
    const a = l3take(t);
    if (!a) { if (!is_mask) l3_missing = true; return; }
    const x = r(a);
    if (icmp) { flow.tp_src = x.u8(0); flow.tp_dst = x.u8(1); } else { flow.tp_src = x.be16(0); flow.tp_dst = x.be16(2); }
  };
  if (ip && !later) {
    if (keyflow.nw_proto === 6) {
      tp(OVS_KEY_ATTR_TCP, false);
      const f = l3take(OVS_KEY_ATTR_TCP_FLAGS);
      if (f) flow.tcp_flags = r(f).be16(0);
    } else if (keyflow.nw_proto === 17) tp(OVS_KEY_ATTR_UDP, false);
    else if (keyflow.nw_proto === 132) tp(OVS_KEY_ATTR_SCTP, false);
    else if (keyflow.nw_proto === 1 && keyflow.dl_type === 0x0800) tp(OVS_KEY_ATTR_ICMP, true);
    else if (keyflow.nw_proto === 58 && keyflow.dl_type === 0x86dd) {
      tp(OVS_KEY_ATTR_ICMPV6, true);
      // is_nd: a neighbour solicitation/advertisement (type 135/136, code 0) carries OVS_KEY_ATTR_ND.
      if ((keyflow.tp_src === 135 || keyflow.tp_src === 136) && keyflow.tp_dst === 0) {
        if (!is_mask) l3expect(OVS_KEY_ATTR_ND);
        const a = l3take(OVS_KEY_ATTR_ND);
        if (a) {
          if (a.payload.byteLength !== 28) return 'error';
          flow.nd_target = a.payload.slice(0, 16); flow.arp_sha = a.payload.slice(16, 22); flow.arp_tha = a.payload.slice(22, 28);
          // An exact ICMP type mask is 0xff (the type is 8 bits of tp_src).
          if (is_mask && !a.payload.every((b) => b === 0) && flow.tp_src !== 0xff) return 'error';
        } else if (!is_mask) l3_missing = true;
      }
    }
  }

  // check_expectations
  if (!is_mask) {
    for (const t of present) if (!expected.has(t)) return 'too_much';
    if (l3_missing) return 'too_little';
    void l3present;
  }
  return 'perfect';
}

/** odp_flow_key_to_flow: a key's struct flow and how well it fits. */
export function odp_flow_key_to_flow(key: Uint8Array): { fitness: OdpKeyFitness; flow: Flow } {
  const m = match_init_catchall();
  return { fitness: odp_flow_key_to_flow__(key, m.flow, undefined), flow: m.flow };
}

/**
 * parse_key_and_mask_to_match: key and mask bytes to a struct match. Any
 * fitness but perfect is logged at ERR and is EINVAL.
 */
export const parse_key_and_mask_to_match = hop('lib/odp-util.c', function parse_key_and_mask_to_match(
  p: OvsProcess, key: Uint8Array, mask: Uint8Array,
): { error: number; match?: Match } {
  const match = match_init_catchall();
  let fit = odp_flow_key_to_flow__(key, match.flow, undefined);
  if (fit !== 'perfect') {
    p.vlog.err('odp_util', `internal error parsing flow key ${odp_flow_format(key, undefined, undefined, true)} (${fit})`);
    return { error: EINVAL };
  }
  fit = odp_flow_key_to_flow__(mask, match.wc.masks, match.flow);
  if (fit !== 'perfect') {
    p.vlog.err('odp_util', `internal error parsing flow mask ${odp_flow_format(key, mask, undefined, true)} (${fit})`);
    return { error: EINVAL };
  }
  return { error: 0, match };
}, { errno: (r) => -r.error, result: (r) => (r.error ? 'EINVAL' : '0') });

// ------------------------------------------------------------- formatting

function fmt_mac(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
function fmt_ip(v: number): string {
  return [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].join('.');
}
function fmt_ip6(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((b[i]! << 8) | b[i + 1]!);
  // Longest run of zero words (length >= 2) becomes '::', as inet_ntop.
  let best = -1; let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(w) : `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}
const hx = (v: number): string => (v === 0 ? '0' : `0x${v.toString(16)}`);
const FRAG_NAMES = ['no', 'first', 'later'];

type FieldFmt = (v: number | Uint8Array) => string;
interface FmtField { name: string; off: number; size: number; fmt: FieldFmt; maskfmt?: FieldFmt }

function fmt_struct(fields: FmtField[], key: Uint8Array, mask: Uint8Array | undefined, verbose: boolean): string | null {
  const parts: string[] = [];
  const get = (b: Uint8Array, f: FmtField): number | Uint8Array => {
    const r = new StructReader(b);
    if (f.size === 1) return r.u8(f.off);
    if (f.size === 2) return r.be16(f.off);
    if (f.size === 4) return r.be32(f.off);
    return b.slice(f.off, f.off + f.size);
  };
  for (const f of fields) {
    const k = get(key, f);
    if (!mask) { parts.push(`${f.name}=${f.fmt(k)}`); continue; }
    const m = get(mask, f);
    const bytes = mask.subarray(f.off, f.off + f.size);
    const full = bytes.every((x) => x === 0xff) || (f.name === 'frag' && bytes[0] === 0xff);
    const zero = bytes.every((x) => x === 0);
    if (zero && !verbose) continue;
    if (full) parts.push(`${f.name}=${f.fmt(k)}`);
    else parts.push(`${f.name}=${f.fmt(k)}/${(f.maskfmt ?? f.fmt)(m)}`);
  }
  if (parts.length === 0 && mask && !verbose) return null;
  return parts.join(',');
}

const num = (v: number | Uint8Array): string => String(v as number);
const hexf = (v: number | Uint8Array): string => hx(v as number);
const FMT: Record<number, { name: string; fields: FmtField[] }> = {
  [OVS_KEY_ATTR_ETHERNET]: { name: 'eth', fields: [
    { name: 'src', off: 0, size: 6, fmt: (v) => fmt_mac(v as Uint8Array) },
    { name: 'dst', off: 6, size: 6, fmt: (v) => fmt_mac(v as Uint8Array) }] },
  [OVS_KEY_ATTR_IPV4]: { name: 'ipv4', fields: [
    { name: 'src', off: 0, size: 4, fmt: (v) => fmt_ip(v as number) },
    { name: 'dst', off: 4, size: 4, fmt: (v) => fmt_ip(v as number) },
    { name: 'proto', off: 8, size: 1, fmt: num, maskfmt: hexf },
    { name: 'tos', off: 9, size: 1, fmt: hexf },
    { name: 'ttl', off: 10, size: 1, fmt: num, maskfmt: hexf },
    { name: 'frag', off: 11, size: 1, fmt: (v) => FRAG_NAMES[v as number] ?? `<error: unknown ovs_frag_type ${String(v)}>`, maskfmt: hexf }] },
  [OVS_KEY_ATTR_IPV6]: { name: 'ipv6', fields: [
    { name: 'src', off: 0, size: 16, fmt: (v) => fmt_ip6(v as Uint8Array) },
    { name: 'dst', off: 16, size: 16, fmt: (v) => fmt_ip6(v as Uint8Array) },
    { name: 'label', off: 32, size: 4, fmt: hexf },
    { name: 'proto', off: 36, size: 1, fmt: num, maskfmt: hexf },
    { name: 'tclass', off: 37, size: 1, fmt: hexf },
    { name: 'hlimit', off: 38, size: 1, fmt: num, maskfmt: hexf },
    { name: 'frag', off: 39, size: 1, fmt: (v) => FRAG_NAMES[v as number] ?? '?', maskfmt: hexf }] },
  [OVS_KEY_ATTR_TCP]: { name: 'tcp', fields: [{ name: 'src', off: 0, size: 2, fmt: num, maskfmt: hexf }, { name: 'dst', off: 2, size: 2, fmt: num, maskfmt: hexf }] },
  [OVS_KEY_ATTR_UDP]: { name: 'udp', fields: [{ name: 'src', off: 0, size: 2, fmt: num, maskfmt: hexf }, { name: 'dst', off: 2, size: 2, fmt: num, maskfmt: hexf }] },
  [OVS_KEY_ATTR_SCTP]: { name: 'sctp', fields: [{ name: 'src', off: 0, size: 2, fmt: num, maskfmt: hexf }, { name: 'dst', off: 2, size: 2, fmt: num, maskfmt: hexf }] },
  [OVS_KEY_ATTR_ICMP]: { name: 'icmp', fields: [{ name: 'type', off: 0, size: 1, fmt: num, maskfmt: hexf }, { name: 'code', off: 1, size: 1, fmt: num, maskfmt: hexf }] },
  [OVS_KEY_ATTR_ICMPV6]: { name: 'icmpv6', fields: [{ name: 'type', off: 0, size: 1, fmt: num, maskfmt: hexf }, { name: 'code', off: 1, size: 1, fmt: num, maskfmt: hexf }] },
  [OVS_KEY_ATTR_ND]: { name: 'nd', fields: [
    { name: 'target', off: 0, size: 16, fmt: (v) => fmt_ip6(v as Uint8Array) },
    { name: 'sll', off: 16, size: 6, fmt: (v) => fmt_mac(v as Uint8Array) },
    { name: 'tll', off: 22, size: 6, fmt: (v) => fmt_mac(v as Uint8Array) }] },
  [OVS_KEY_ATTR_ARP]: { name: 'arp', fields: [
    { name: 'sip', off: 0, size: 4, fmt: (v) => fmt_ip(v as number) },
    { name: 'tip', off: 4, size: 4, fmt: (v) => fmt_ip(v as number) },
    { name: 'op', off: 8, size: 2, fmt: num, maskfmt: hexf },
    { name: 'sha', off: 10, size: 6, fmt: (v) => fmt_mac(v as Uint8Array) },
    { name: 'tha', off: 16, size: 6, fmt: (v) => fmt_mac(v as Uint8Array) }] },
};

const SINGLE_FMT: Record<number, { name: string; size: number; fmt: (v: number) => string }> = {
  [OVS_KEY_ATTR_RECIRC_ID]: { name: 'recirc_id', size: 4, fmt: hx },
  [OVS_KEY_ATTR_DP_HASH]: { name: 'dp_hash', size: 4, fmt: hx },
  [OVS_KEY_ATTR_PRIORITY]: { name: 'skb_priority', size: 4, fmt: hx },
  [OVS_KEY_ATTR_SKB_MARK]: { name: 'skb_mark', size: 4, fmt: hx },
  [OVS_KEY_ATTR_CT_STATE]: { name: 'ct_state', size: 4, fmt: hx },
  [OVS_KEY_ATTR_CT_ZONE]: { name: 'ct_zone', size: 2, fmt: hx },
  [OVS_KEY_ATTR_CT_MARK]: { name: 'ct_mark', size: 4, fmt: hx },
  [OVS_KEY_ATTR_ETHERTYPE]: { name: 'eth_type', size: -2, fmt: (v) => `0x${v.toString(16).padStart(4, '0')}` },
  [OVS_KEY_ATTR_TCP_FLAGS]: { name: 'tcp_flags', size: -2, fmt: hx },
};

function fmt_ct_state(key: number, mask: number | undefined): string {
  // format_flags_masked: +flag for set bits, -flag for masked clear bits.
  if (mask === undefined || mask === 0xffffffff) {
    const names = CT_STATE_NAMES.filter(([b]) => key & b).map(([, n]) => n);
    return names.length ? names.join('|') : '0';
  }
  return CT_STATE_NAMES.filter(([b]) => mask & b).map(([b, n]) => `${key & b ? '+' : '-'}${n}`).join('') || '0/0';
}

/**
 * odp_flow_format: the text of a key (with its mask). Without `verbose`,
 * attributes and fields whose mask is all-zero are omitted.
 */
export function odp_flow_format(key: Uint8Array, mask: Uint8Array | undefined, port_names: ReadonlyMap<number, string> | undefined, verbose: boolean): string {
  const ka = nl_attrs(key) ?? [];
  const ma = mask ? nl_attrs(mask) ?? [] : undefined;
  const out: string[] = [];
  for (const a of ka) {
    const m = ma?.find((x) => x.type === a.type);
    const mp = ma ? (m?.payload ?? new Uint8Array(a.payload.byteLength)) : undefined;
    const mzero = mp !== undefined && mp.every((b) => b === 0);
    if (a.type === OVS_KEY_ATTR_ENCAP) {
      const inner = odp_flow_format(a.payload, mp && mp.byteLength ? mp : undefined, port_names, verbose);
      out.push(`encap(${inner})`);
      continue;
    }
    if (a.type === OVS_KEY_ATTR_TUNNEL) {
      const tm = ma ? m?.payload : undefined;
      if (ma && !verbose && (!tm || tun_mask_is_wildcard(tm))) continue;
      out.push(`tunnel(${format_odp_tun_attr(a.payload, ma ? (tm ?? new Uint8Array(0)) : undefined, verbose)})`);
      continue;
    }
    if (mzero && !verbose && a.type !== OVS_KEY_ATTR_ETHERNET) continue;
    if (a.type === OVS_KEY_ATTR_IN_PORT) {
      const v = nla_get_u32(a);
      const name = port_names?.get(v);
      const mv = mp ? new StructReader(mp).u32(0) : 0xffffffff;
      out.push(mv === 0xffffffff ? `in_port(${name ?? v})` : `in_port(${v}/${hx(mv)})`);
      continue;
    }
    if (a.type === OVS_KEY_ATTR_MPLS) {
      // format_mpls: exact LSEs as label=,tc=,ttl=,bos=; masked ones with each field's mask.
      const exact = !mp || mp.every((b) => b === 0xff);
      const lses: string[] = [];
      for (let off = 0; off + 4 <= a.payload.byteLength; off += 4) {
        const k = new StructReader(a.payload).be32(off);
        const f = (v: number): [number, number, number, number] => [v >>> 12, (v >>> 9) & 7, v & 0xff, (v >>> 8) & 1];
        const [l, t, ttl, b] = f(k);
        if (exact) lses.push(`label=${l},tc=${t},ttl=${ttl},bos=${b}`);
        else {
          const [ml, mt, mttl, mb] = f(new StructReader(mp!).be32(off));
          lses.push(`label=${l}/0x${ml.toString(16)},tc=${t}/${mt.toString(16)},ttl=${ttl}/0x${mttl.toString(16)},bos=${b}/${mb.toString(16)}`);
        }
      }
      out.push(`mpls(${lses.join(',')})`);
      continue;
    }
    if (a.type === OVS_KEY_ATTR_PACKET_TYPE) {
      // format_be16 "ns" / format_be16x "id" of the namespace and type halves.
      const v = new StructReader(a.payload).be32(0);
      const mv = mp ? new StructReader(mp).be32(0) : 0xffffffff;
      const part = (name: string, k: number, m: number, hex: boolean): string | null => {
        if (!verbose && m === 0) return null;
        const kv = hex ? (k === 0 ? '0' : `0x${k.toString(16)}`) : String(k);
        return m === 0xffff ? `${name}=${kv}` : `${name}=${kv}/${hx(m)}`;
      };
      const parts = [part('ns', v >>> 16, mv >>> 16, false), part('id', v & 0xffff, mv & 0xffff, true)].filter((x): x is string => x !== null);
      out.push(`packet_type(${parts.join(',')})`);
      continue;
    }
    if (a.type === OVS_KEY_ATTR_CT_LABELS) {
      // format_u128: hex of hton128(value), then /mask unless all-ones.
      const h = (b: Uint8Array): string => {
        const t = Buffer.from(b).reverse().toString('hex').replace(/^0+/, '');
        return t === '' ? '0' : `0x${t}`;
      };
      const body = mp && mp.every((b) => b === 0xff) ? h(a.payload) : mp ? `${h(a.payload)}/${h(mp)}` : h(a.payload);
      out.push(`ct_label(${body})`);
      continue;
    }
    if (a.type === OVS_KEY_ATTR_CT_STATE) {
      const v = nla_get_u32(a);
      out.push(`ct_state(${fmt_ct_state(v, mp ? new StructReader(mp).u32(0) : undefined)})`);
      continue;
    }
    if (a.type === OVS_KEY_ATTR_VLAN) {
      const tci = new StructReader(a.payload).be16(0);
      const tm = mp ? new StructReader(mp).be16(0) : 0xffff;
      const f = (name: string, shift: number, bits: number): string | null => {
        const fm = ((tm >> shift) & ((1 << bits) - 1));
        const fv = (tci >> shift) & ((1 << bits) - 1);
        if (fm === 0 && !verbose) return null;
        return fm === (1 << bits) - 1 ? `${name}=${fv}` : `${name}=${fv}/${hx(fm)}`;
      };
      const parts = [f('vid', 0, 12), f('pcp', 13, 3)].filter((x): x is string => x !== null);
      if (!(tci & 0x1000) || (tm & 0x1000) === 0) parts.push(`cfi=${(tci >> 12) & 1}`);
      out.push(`vlan(${parts.join(',')})`);
      continue;
    }
    const single = SINGLE_FMT[a.type];
    if (single) {
      const rd = (b: Uint8Array): number => (single.size === 4 ? new StructReader(b).u32(0) : single.size === 2 ? new StructReader(b).u16(0) : new StructReader(b).be16(0));
      const v = rd(a.payload);
      const full = Math.abs(single.size) === 4 ? 0xffffffff : 0xffff;
      const mv = mp ? rd(mp) : full;
      out.push(mv === full ? `${single.name}(${single.fmt(v)})` : `${single.name}(${single.fmt(v)}/${hx(mv)})`);
      continue;
    }
    const st = FMT[a.type];
    if (st) {
      const body = fmt_struct(st.fields, a.payload, mp, verbose);
      // An all-wildcarded eth is still printed: it says the packet is Ethernet.
      if (body !== null) out.push(`${st.name}(${body})`);
      else if (a.type === OVS_KEY_ATTR_ETHERNET) out.push('eth()');
      continue;
    }
    out.push(`key${a.type}(${Buffer.from(a.payload).toString('hex')})`);
  }
  return out.join(',');
}

/** ds_put_hex: 0x + the bytes without leading zero bytes' digits; 0 for all zeros. */
function ds_put_hex(b: Uint8Array): string {
  const t = Buffer.from(b).toString('hex').replace(/^0+/, '');
  return t === '' ? '0' : `0x${t}`;
}

/** ipv6_format_addr_bracket */
function ipv6_format_addr_bracket(a: Uint8Array, bracket: boolean): string {
  return bracket ? `[${fmt_ip6(a)}]` : fmt_ip6(a);
}

/**
 * format_odp_ct_nat (lib/odp-util.c v3.6.3): `nat`, or `nat(src|dst[=range],
 * flags)`; inconsistent nests print the error texts upstream prints.
 */
function format_odp_ct_nat(nest: Uint8Array): string {
  const a = new Map((nl_attrs(nest) ?? []).map((x) => [x.type, x] as const));
  const has = (t: number): boolean => a.has(t);
  if (!(has(OVS_NAT_ATTR_SRC) || has(OVS_NAT_ATTR_DST))
    && [OVS_NAT_ATTR_IP_MIN, OVS_NAT_ATTR_IP_MAX, OVS_NAT_ATTR_PROTO_MIN, OVS_NAT_ATTR_PROTO_MAX, OVS_NAT_ATTR_PERSISTENT,
      OVS_NAT_ATTR_PROTO_HASH, OVS_NAT_ATTR_PROTO_RANDOM].some(has)) {
    return 'nat(error: options allowed only with "src" or "dst")';
  }
  if (has(OVS_NAT_ATTR_SRC) && has(OVS_NAT_ATTR_DST)) return 'nat(error: Only one of "src" or "dst" may be present.)';
  if (!has(OVS_NAT_ATTR_IP_MIN) && has(OVS_NAT_ATTR_PROTO_MIN)) return 'nat(error: proto but no IP.)';
  if ((!has(OVS_NAT_ATTR_IP_MIN) && has(OVS_NAT_ATTR_IP_MAX)) || (!has(OVS_NAT_ATTR_PROTO_MIN) && has(OVS_NAT_ATTR_PROTO_MAX))) {
    return 'nat(error: range max without min.)';
  }
  const min = a.get(OVS_NAT_ATTR_IP_MIN)?.payload;
  const max = a.get(OVS_NAT_ATTR_IP_MAX)?.payload;
  if ((min && min.byteLength !== 4 && min.byteLength !== 16) || (min && max && min.byteLength !== max.byteLength)) {
    return 'nat(error: IP address sizes do not match)';
  }
  const addr_len = min ? min.byteLength : 0;
  const ip_min = addr_len === 4 ? new StructReader(min!).be32(0) : 0;
  const ip_max = addr_len === 4 && max ? new StructReader(max).be32(0) : 0;
  const ip6_min = addr_len === 16 ? min! : new Uint8Array(16);
  const ip6_max = addr_len === 16 && max ? max : new Uint8Array(16);
  const proto_min = a.has(OVS_NAT_ATTR_PROTO_MIN) ? new StructReader(a.get(OVS_NAT_ATTR_PROTO_MIN)!.payload).u16(0) : 0;
  const proto_max = a.has(OVS_NAT_ATTR_PROTO_MAX) ? new StructReader(a.get(OVS_NAT_ATTR_PROTO_MAX)!.payload).u16(0) : 0;
  const ip6_max_set = ip6_max.some((b) => b);
  if ((addr_len === 4 && ip_max && ip_min > ip_max) || (addr_len === 16 && ip6_max_set && Buffer.compare(ip6_min, ip6_max) > 0)
    || (proto_max && proto_min > proto_max)) return 'nat(range error)';
  let out = 'nat';
  if (has(OVS_NAT_ATTR_SRC) || has(OVS_NAT_ATTR_DST)) {
    out += `(${has(OVS_NAT_ATTR_SRC) ? 'src' : 'dst'}`;
    if (addr_len > 0) {
      out += '=';
      if (addr_len === 4) {
        out += fmt_ip(ip_min);
        if (ip_max && ip_max !== ip_min) out += `-${fmt_ip(ip_max)}`;
      } else {
        out += ipv6_format_addr_bracket(ip6_min, proto_min !== 0);
        if (ip6_max_set && Buffer.compare(ip6_max, ip6_min) !== 0) out += `-${ipv6_format_addr_bracket(ip6_max, proto_min !== 0)}`;
      }
      if (proto_min) {
        out += `:${proto_min}`;
        if (proto_max && proto_max !== proto_min) out += `-${proto_max}`;
      }
    }
    const flags = [[OVS_NAT_ATTR_PERSISTENT, 'persistent'], [OVS_NAT_ATTR_PROTO_HASH, 'hash'], [OVS_NAT_ATTR_PROTO_RANDOM, 'random']] as const;
    for (const [t, name] of flags) if (has(t)) out += `,${name}`;
    out += ')';
  }
  return out;
}

/**
 * format_odp_conntrack_action (lib/odp-util.c v3.6.3): `ct` alone, or
 * `ct(commit,force_commit,zone=N,mark=V/M,label=V[/M],helper=H,timeout=T,nat…)`.
 */
function format_odp_conntrack_action(nest: Uint8Array): string {
  const list = nl_attrs(nest);
  if (!list) return 'ct(error)';
  const a = new Map(list.map((x) => [x.type, x] as const));
  const parts: string[] = [];
  if (a.has(OVS_CT_ATTR_COMMIT)) parts.push('commit');
  if (a.has(OVS_CT_ATTR_FORCE_COMMIT)) parts.push('force_commit');
  const zone = a.has(OVS_CT_ATTR_ZONE) ? new StructReader(a.get(OVS_CT_ATTR_ZONE)!.payload).u16(0) : 0;
  if (zone) parts.push(`zone=${zone}`);
  const mark = a.get(OVS_CT_ATTR_MARK);
  if (mark) {
    const r = new StructReader(mark.payload);
    // %#x: 0 prints as 0, anything else with 0x.
    parts.push(`mark=${hx(r.u32(0))}/${hx(r.u32(4))}`);
  }
  const label = a.get(OVS_CT_ATTR_LABELS);
  if (label) {
    const v = label.payload.subarray(0, 16);
    const m = label.payload.subarray(16, 32);
    // format_u128: the host-order ovs_u128 printed big-endian (hton128).
    const be = (b: Uint8Array): Uint8Array => Uint8Array.from(b).reverse();
    parts.push(`label=${ds_put_hex(be(v))}${m.every((b) => b === 0xff) ? '' : `/${ds_put_hex(be(m))}`}`);
  }
  const helper = a.get(OVS_CT_ATTR_HELPER);
  if (helper) parts.push(`helper=${nla_get_string(helper)}`);
  const timeout = a.get(OVS_CT_ATTR_TIMEOUT);
  if (timeout) parts.push(`timeout=${nla_get_string(timeout)}`);
  const nat = a.get(OVS_CT_ATTR_NAT);
  if (nat) parts.push(format_odp_ct_nat(nat.payload));
  return parts.length ? `ct(${parts.join(',')})` : 'ct';
}

/** format_odp_actions: the text of an action list; empty is `drop`. */
export function format_odp_actions(actions: Uint8Array, port_names?: ReadonlyMap<number, string>): string {
  const list = nl_attrs(actions) ?? [];
  if (list.length === 0) return 'drop';
  return list.map((a) => {
    switch (a.type) {
      case OVS_ACTION_ATTR_OUTPUT: {
        const p = nla_get_u32(a);
        return port_names?.get(p) ?? String(p);
      }
      case OVS_ACTION_ATTR_DROP: return 'drop';
      case OVS_ACTION_ATTR_TRUNC: return `trunc(${nla_get_u32(a)})`;
      case OVS_ACTION_ATTR_RECIRC: return `recirc(${hx(nla_get_u32(a))})`;
      case OVS_ACTION_ATTR_METER: return `meter(${nla_get_u32(a)})`;
      case OVS_ACTION_ATTR_POP_VLAN: return 'pop_vlan';
      case OVS_ACTION_ATTR_PUSH_MPLS: {
        // format_mpls_lse then the ethertype (lib/odp-util.c format_odp_action)
        const r = new StructReader(a.payload);
        const lse = r.be32(0);
        return `push_mpls(label=${lse >>> 12},tc=${(lse >>> 9) & 7},ttl=${lse & 0xff},bos=${(lse >>> 8) & 1},eth_type=0x${r.be16(4).toString(16)})`;
      }
      case OVS_ACTION_ATTR_POP_MPLS: return `pop_mpls(eth_type=0x${new StructReader(a.payload).be16(0).toString(16)})`;
      case OVS_ACTION_ATTR_ADD_MPLS: {
        const r = new StructReader(a.payload);
        const lse = r.be32(0);
        return `add_mpls(label=${lse >>> 12},tc=${(lse >>> 9) & 7},ttl=${lse & 0xff},bos=${(lse >>> 8) & 1},eth_type=0x${r.be16(4).toString(16)})`;
      }
      case OVS_ACTION_ATTR_CT_CLEAR: return 'ct_clear';
      case OVS_ACTION_ATTR_CT: return format_odp_conntrack_action(a.payload);
      case OVS_ACTION_ATTR_PUSH_VLAN: {
        const r = new StructReader(a.payload);
        const tpid = r.be16(0);
        const tci = r.be16(2);
        const tp = tpid === 0x8100 ? '' : `tpid=0x${tpid.toString(16).padStart(4, '0')},`;
        const cfi = tci & 0x1000 ? '' : ',cfi=0';
        return `push_vlan(${tp}vid=${tci & 0xfff},pcp=${tci >> 13}${cfi})`;
      }
      case OVS_ACTION_ATTR_USERSPACE: {
        const pid = (nl_attrs(a.payload) ?? []).find((x) => x.type === OVS_USERSPACE_ATTR_PID);
        return `userspace(pid=${pid ? nla_get_u32(pid) : 0})`;
      }
      case OVS_ACTION_ATTR_SET: {
        const inner = nl_attrs(a.payload) ?? [];
        return `set(${inner.length ? odp_flow_format(a.payload, undefined, port_names, false) : ''})`;
      }
      case OVS_ACTION_ATTR_SET_MASKED: {
        const inner = (nl_attrs(a.payload) ?? [])[0];
        if (!inner) return 'set()';
        const half = inner.payload.byteLength / 2;
        const k = new NlAttrBuf().attr(inner.type, inner.payload.subarray(0, half)).bytes();
        const m = new NlAttrBuf().attr(inner.type, inner.payload.subarray(half)).bytes();
        return `set(${odp_flow_format(k, m, port_names, false)})`;
      }
      default: return `action${a.type}(${Buffer.from(a.payload).toString('hex')})`;
    }
  }).join(',');
}

// ------------------------------------------------------------ flow -> key

/** struct odp_flow_key_parms, the support bits a netdev dump uses. */
export interface OdpFlowKeyParms {
  flow: Flow;
  mask: Flow;
  support: { recirc: boolean; ct_state: boolean; ct_zone: boolean; ct_mark: boolean; ct_label: boolean; max_vlan_headers: number };
}

/**
 * odp_flow_key_from_flow__: a struct flow (or, with export_mask, its
 * wildcards) as OVS_KEY_ATTR_* bytes, in lib/odp-util.c order: recirc_id,
 * dp_hash, priority, in_port, skb_mark, ct_*, packet_type, eth, vlan,
 * eth_type, L3, L4. Tunnel, MPLS and NSH keys are not modelled.
 */
function odp_flow_key_from_flow__(parms: OdpFlowKeyParms, export_mask: boolean): Uint8Array {
  const flow = parms.flow;
  const data = export_mask ? parms.mask : flow;
  const out = new NlAttrBuf();
  const u32 = (t: number, v: number): void => { out.attr(t, new StructWriter(4).u32(0, v).bytes); };
  const be16 = (b: NlAttrBuf, t: number, v: number): void => { b.attr(t, new StructWriter(2).be16(0, v).bytes); };
  if (parms.support.recirc) {
    u32(OVS_KEY_ATTR_RECIRC_ID, data.recirc_id);
    u32(OVS_KEY_ATTR_DP_HASH, data.dp_hash);
  }
  u32(OVS_KEY_ATTR_PRIORITY, data.skb_priority);
  // odp_flow_key_from_flow__: the tunnel key when the flow has an endpoint (always in a mask).
  if (flow.tunnel.ip_dst || flow.tunnel.ip_src || export_mask) tun_key_to_attr(out, data.tunnel);
  if (export_mask || flow.in_port !== ODPP_NONE) u32(OVS_KEY_ATTR_IN_PORT, data.in_port);
  u32(OVS_KEY_ATTR_SKB_MARK, data.pkt_mark);
  if (parms.support.ct_state) u32(OVS_KEY_ATTR_CT_STATE, data.ct_state);
  if (parms.support.ct_zone) out.attr(OVS_KEY_ATTR_CT_ZONE, new StructWriter(2).u16(0, data.ct_zone).bytes);
  if (parms.support.ct_mark) u32(OVS_KEY_ATTR_CT_MARK, data.ct_mark);
  if (parms.support.ct_label) out.attr(OVS_KEY_ATTR_CT_LABELS, data.ct_label.slice());
  out.attr(OVS_KEY_ATTR_PACKET_TYPE, new StructWriter(4).be32(0, data.packet_type).bytes);

  let l3 = out;
  let encap_of: NlAttrBuf | null = null;
  if (flow.packet_type === PT_ETH) {
    out.attr(OVS_KEY_ATTR_ETHERNET, new StructWriter(12).set(0, data.dl_src).set(6, data.dl_dst).bytes);
    // One VLAN header is modelled (parms.support.max_vlan_headers >= 1).
    if (parms.support.max_vlan_headers > 0 && flow.vlans[0].tci !== 0) {
      be16(out, OVS_KEY_ATTR_ETHERTYPE, export_mask ? 0xffff : flow.vlans[0].tpid);
      be16(out, OVS_KEY_ATTR_VLAN, data.vlans[0].tci);
      encap_of = new NlAttrBuf();
      l3 = encap_of;
    }
  }
  const finish = (): Uint8Array => {
    if (encap_of) out.attr(OVS_KEY_ATTR_ENCAP | NLA_F_NESTED, encap_of.bytes());
    return out.bytes();
  };
  if (flow.dl_type < 0x600) {
    if (export_mask) be16(l3, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
    return finish();
  }
  be16(l3, OVS_KEY_ATTR_ETHERTYPE, data.dl_type);
  if (eth_type_vlan(flow.dl_type)) return finish();
  if (flow.dl_type === 0x0800) {
    l3.attr(OVS_KEY_ATTR_IPV4, new StructWriter(12).be32(0, data.nw_src).be32(4, data.nw_dst).u8(8, data.nw_proto)
      .u8(9, data.nw_tos).u8(10, data.nw_ttl).u8(11, ovs_to_odp_frag(data.nw_frag, export_mask)).bytes);
  } else if (flow.dl_type === 0x86dd) {
    l3.attr(OVS_KEY_ATTR_IPV6, new StructWriter(40).set(0, data.ipv6_src).set(16, data.ipv6_dst).be32(32, data.ipv6_label)
      .u8(36, data.nw_proto).u8(37, data.nw_tos).u8(38, data.nw_ttl).u8(39, ovs_to_odp_frag(data.nw_frag, export_mask)).bytes);
  } else if (flow.dl_type === 0x0806 || flow.dl_type === 0x8035) {
    l3.attr(OVS_KEY_ATTR_ARP, new StructWriter(24).be32(0, data.nw_src).be32(4, data.nw_dst).be16(8, data.nw_proto)
      .set(10, data.arp_sha).set(16, data.arp_tha).bytes);
  }
  // odp_flow_key_from_flow__: one LSE (a single label is all tc can match).
  if (flow.dl_type === 0x8847 || flow.dl_type === 0x8848) {
    l3.attr(OVS_KEY_ATTR_MPLS, new StructWriter(4).be32(0, data.mpls_lse[0] ?? 0).bytes);
  }
  if (is_ip_any(flow) && !(flow.nw_frag & FLOW_NW_FRAG_LATER)) {
    const tp = (t: number): void => { l3.attr(t, new StructWriter(4).be16(0, data.tp_src).be16(2, data.tp_dst).bytes); };
    if (flow.nw_proto === 6) {
      tp(OVS_KEY_ATTR_TCP);
      if (data.tcp_flags || parms.mask.tcp_flags) be16(l3, OVS_KEY_ATTR_TCP_FLAGS, data.tcp_flags);
    } else if (flow.nw_proto === 17) tp(OVS_KEY_ATTR_UDP);
    else if (flow.nw_proto === 132) tp(OVS_KEY_ATTR_SCTP);
    else if (flow.dl_type === 0x0800 && flow.nw_proto === 1) {
      l3.attr(OVS_KEY_ATTR_ICMP, new StructWriter(2).u8(0, data.tp_src).u8(1, data.tp_dst).bytes);
    } else if (flow.dl_type === 0x86dd && flow.nw_proto === 58) {
      l3.attr(OVS_KEY_ATTR_ICMPV6, new StructWriter(2).u8(0, data.tp_src).u8(1, data.tp_dst).bytes);
      // is_nd(flow): the ND target and link-layer addresses follow.
      if ((flow.tp_src === 135 || flow.tp_src === 136) && flow.tp_dst === 0) {
        l3.attr(OVS_KEY_ATTR_ND, new StructWriter(28).set(0, data.nd_target).set(16, data.arp_sha).set(22, data.arp_tha).bytes);
      }
    }
  }
  return finish();
}

/** ovs_to_odp_frag: the enum for a key; all-or-nothing for a mask. */
function ovs_to_odp_frag(nw_frag: number, is_mask: boolean): number {
  if (is_mask) return nw_frag & FLOW_NW_FRAG_ANY ? 0xff : 0;
  return !(nw_frag & FLOW_NW_FRAG_ANY) ? OVS_FRAG_TYPE_NONE : nw_frag & FLOW_NW_FRAG_LATER ? OVS_FRAG_TYPE_LATER : OVS_FRAG_TYPE_FIRST;
}

/** odp_flow_key_from_flow: the key bytes of parms.flow. */
export function odp_flow_key_from_flow(parms: OdpFlowKeyParms): Uint8Array {
  return odp_flow_key_from_flow__(parms, false);
}

/** odp_flow_key_from_mask: the mask bytes of parms.mask, shaped by parms.flow. */
export function odp_flow_key_from_mask(parms: OdpFlowKeyParms): Uint8Array {
  return odp_flow_key_from_flow__(parms, true);
}
