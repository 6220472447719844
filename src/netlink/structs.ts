// Fixed family headers carried after struct nlmsghdr: tcmsg (rtnetlink tc),
// ifinfomsg (links), genlmsghdr + ovs_header (generic netlink / openvswitch)
// and nlmsgerr (acks). Decoders check the length first and say what is short.
import { NLMSG_HDRLEN, nlmsghdr_decode, nlmsghdr_encode, type NlMsgHdr } from './nlmsg';
import { NLA_ALIGN, StructReader, StructWriter, nla_walk, nla_get_string, nla_get_u32, type NlAttr } from './attr';

export type Decoded<T> = { ok: true; value: T; consumed: number } | { ok: false; error: string };

// struct tcmsg (20 bytes)
export interface TcMsg {
  tcm_family: number;
  tcm_ifindex: number; // s32; 0xffffffff (-1) = TCM_IFINDEX_MAGIC_BLOCK
  tcm_handle: number;
  tcm_parent: number;
  tcm_info: number;
}
export const TCMSG_LEN = 20;

export function tcmsg_encode(t: TcMsg): Uint8Array {
  return new StructWriter(TCMSG_LEN)
    .u8(0, t.tcm_family)
    .u32(4, t.tcm_ifindex >>> 0)
    .u32(8, t.tcm_handle)
    .u32(12, t.tcm_parent)
    .u32(16, t.tcm_info).bytes;
}

export function tcmsg_decode(b: Uint8Array): Decoded<TcMsg> {
  if (b.byteLength < TCMSG_LEN) return { ok: false, error: `tcmsg needs ${TCMSG_LEN} bytes, got ${b.byteLength}` };
  const r = new StructReader(b);
  return {
    ok: true,
    consumed: TCMSG_LEN,
    value: { tcm_family: r.u8(0), tcm_ifindex: r.u32(4), tcm_handle: r.u32(8), tcm_parent: r.u32(12), tcm_info: r.u32(16) },
  };
}

// struct ifinfomsg (16 bytes)
export interface IfInfoMsg {
  ifi_family: number;
  ifi_type: number;
  ifi_index: number;
  ifi_flags: number;
  ifi_change: number;
}
export const IFINFOMSG_LEN = 16;

export function ifinfomsg_encode(m: IfInfoMsg): Uint8Array {
  return new StructWriter(IFINFOMSG_LEN)
    .u8(0, m.ifi_family)
    .u16(2, m.ifi_type)
    .s32(4, m.ifi_index)
    .u32(8, m.ifi_flags)
    .u32(12, m.ifi_change).bytes;
}

export function ifinfomsg_decode(b: Uint8Array): Decoded<IfInfoMsg> {
  if (b.byteLength < IFINFOMSG_LEN) return { ok: false, error: `ifinfomsg needs ${IFINFOMSG_LEN} bytes, got ${b.byteLength}` };
  const r = new StructReader(b);
  return {
    ok: true,
    consumed: IFINFOMSG_LEN,
    value: { ifi_family: r.u8(0), ifi_type: r.u16(2), ifi_index: r.s32(4), ifi_flags: r.u32(8), ifi_change: r.u32(12) },
  };
}

// struct genlmsghdr (4 bytes)
export interface GenlMsgHdr {
  cmd: number;
  version: number;
}
export const GENL_HDRLEN = 4;

export function genlmsghdr_encode(g: GenlMsgHdr): Uint8Array {
  return new StructWriter(GENL_HDRLEN).u8(0, g.cmd).u8(1, g.version).bytes;
}

export function genlmsghdr_decode(b: Uint8Array): Decoded<GenlMsgHdr> {
  if (b.byteLength < GENL_HDRLEN) return { ok: false, error: `genlmsghdr needs ${GENL_HDRLEN} bytes, got ${b.byteLength}` };
  return { ok: true, consumed: GENL_HDRLEN, value: { cmd: b[0]!, version: b[1]! } };
}

// struct ovs_header (4 bytes): the datapath's ifindex.
export const OVS_HEADER_LEN = 4;
export function ovs_header_encode(dp_ifindex: number): Uint8Array {
  return new StructWriter(OVS_HEADER_LEN).s32(0, dp_ifindex).bytes;
}
export function ovs_header_decode(b: Uint8Array): Decoded<{ dp_ifindex: number }> {
  if (b.byteLength < OVS_HEADER_LEN) return { ok: false, error: `ovs_header needs ${OVS_HEADER_LEN} bytes, got ${b.byteLength}` };
  return { ok: true, consumed: OVS_HEADER_LEN, value: { dp_ifindex: new StructReader(b).s32(0) } };
}

// struct nlmsgerr + extended-ack TLVs (include/uapi/linux/netlink.h)
export const NLMSGERR_ATTR_MSG = 1;
export const NLMSGERR_ATTR_OFFS = 2;
export const NLMSGERR_ATTR_COOKIE = 3;
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

export interface NlMsgErr {
  /** 0 or a negative errno. */
  error: number;
  /** The header of the request being acknowledged. */
  msg: NlMsgHdr;
  /** The request's payload, when the ack was not capped. */
  request_payload?: Uint8Array;
  /** NLMSGERR_ATTR_MSG: the extack message, if any. */
  ext_msg?: string;
  /** NLMSGERR_ATTR_OFFS: offset of the offending attribute, if any. */
  ext_offs?: number;
}

/** The payload of an NLMSG_ERROR message (after its own nlmsghdr). */
export function nlmsgerr_encode(e: NlMsgErr, capped: boolean): Uint8Array {
  const body = capped || e.request_payload === undefined ? new Uint8Array(0) : e.request_payload;
  const tlvs: Uint8Array[] = [];
  const tlv = (type: number, payload: Uint8Array): void => {
    const w = new StructWriter(NLA_ALIGN(4 + payload.byteLength)).u16(0, 4 + payload.byteLength).u16(2, type).set(4, payload);
    tlvs.push(w.bytes);
  };
  if (e.ext_msg !== undefined) tlv(NLMSGERR_ATTR_MSG, new Uint8Array(Buffer.from(e.ext_msg + '\0', 'latin1')));
  if (e.ext_offs !== undefined && e.error !== 0) tlv(NLMSGERR_ATTR_OFFS, new StructWriter(4).u32(0, e.ext_offs).bytes);
  const total = 4 + NLMSG_HDRLEN + NLA_ALIGN(body.byteLength) + tlvs.reduce((n, t) => n + t.byteLength, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setInt32(0, e.error, true);
  nlmsghdr_encode(e.msg, out, 4);
  out.set(body, 4 + NLMSG_HDRLEN);
  let off = 4 + NLMSG_HDRLEN + NLA_ALIGN(body.byteLength);
  for (const t of tlvs) {
    out.set(t, off);
    off += t.byteLength;
  }
  return out;
}

/**
 * Decodes an NLMSG_ERROR payload. `flags` are the error message's own
 * nlmsg_flags: CAPPED says no request payload follows, ACK_TLVS that TLVs do.
 */
export function nlmsgerr_decode(payload: Uint8Array, flags: number): Decoded<NlMsgErr> {
  if (payload.byteLength < 4 + NLMSG_HDRLEN) {
    return { ok: false, error: `nlmsgerr needs ${4 + NLMSG_HDRLEN} bytes, got ${payload.byteLength}` };
  }
  const error = new StructReader(payload).s32(0);
  const msg = nlmsghdr_decode(payload, 4);
  const e: NlMsgErr = { error, msg };
  let off = 4 + NLMSG_HDRLEN;
  if (!(flags & NLM_F_CAPPED)) {
    const reqLen = Math.max(0, msg.nlmsg_len - NLMSG_HDRLEN);
    if (off + reqLen > payload.byteLength) return { ok: false, error: 'nlmsgerr: echoed request runs past the end' };
    e.request_payload = payload.slice(off, off + reqLen);
    off += NLA_ALIGN(reqLen);
  }
  if (flags & NLM_F_ACK_TLVS) {
    const w = nla_walk(payload.subarray(off));
    const attrs: NlAttr[] = w.attrs;
    for (const a of attrs) {
      if (a.type === NLMSGERR_ATTR_MSG) e.ext_msg = nla_get_string(a);
      else if (a.type === NLMSGERR_ATTR_OFFS && a.payload.byteLength >= 4) e.ext_offs = nla_get_u32(a);
    }
  }
  return { ok: true, value: e, consumed: payload.byteLength };
}

// Appended: struct ifaddrmsg (8 bytes), struct rtmsg (12 bytes), struct ndmsg (12 bytes)
export interface IfAddrMsg {
  ifa_family: number;
  ifa_prefixlen: number;
  ifa_flags: number;
  ifa_scope: number;
  ifa_index: number;
}
export const IFADDRMSG_LEN = 8;

export function ifaddrmsg_encode(m: IfAddrMsg): Uint8Array {
  return new StructWriter(IFADDRMSG_LEN).u8(0, m.ifa_family).u8(1, m.ifa_prefixlen).u8(2, m.ifa_flags).u8(3, m.ifa_scope).u32(4, m.ifa_index).bytes;
}

export function ifaddrmsg_decode(b: Uint8Array): Decoded<IfAddrMsg> {
  if (b.byteLength < IFADDRMSG_LEN) return { ok: false, error: `ifaddrmsg needs ${IFADDRMSG_LEN} bytes, got ${b.byteLength}` };
  const r = new StructReader(b);
  return { ok: true, consumed: IFADDRMSG_LEN, value: { ifa_family: r.u8(0), ifa_prefixlen: r.u8(1), ifa_flags: r.u8(2), ifa_scope: r.u8(3), ifa_index: r.u32(4) } };
}

export interface RtMsg {
  rtm_family: number;
  rtm_dst_len: number;
  rtm_src_len: number;
  rtm_tos: number;
  rtm_table: number;
  rtm_protocol: number;
  rtm_scope: number;
  rtm_type: number;
  rtm_flags: number;
}
export const RTMSG_LEN = 12;

export function rtmsg_encode(m: RtMsg): Uint8Array {
  return new StructWriter(RTMSG_LEN).u8(0, m.rtm_family).u8(1, m.rtm_dst_len).u8(2, m.rtm_src_len).u8(3, m.rtm_tos)
    .u8(4, m.rtm_table).u8(5, m.rtm_protocol).u8(6, m.rtm_scope).u8(7, m.rtm_type).u32(8, m.rtm_flags).bytes;
}

export function rtmsg_decode(b: Uint8Array): Decoded<RtMsg> {
  if (b.byteLength < RTMSG_LEN) return { ok: false, error: `rtmsg needs ${RTMSG_LEN} bytes, got ${b.byteLength}` };
  const r = new StructReader(b);
  return {
    ok: true, consumed: RTMSG_LEN,
    value: {
      rtm_family: r.u8(0), rtm_dst_len: r.u8(1), rtm_src_len: r.u8(2), rtm_tos: r.u8(3), rtm_table: r.u8(4),
      rtm_protocol: r.u8(5), rtm_scope: r.u8(6), rtm_type: r.u8(7), rtm_flags: r.u32(8),
    },
  };
}

export interface NdMsg {
  ndm_family: number;
  ndm_ifindex: number;
  ndm_state: number;
  ndm_flags: number;
  ndm_type: number;
}
export const NDMSG_LEN = 12;

export function ndmsg_encode(m: NdMsg): Uint8Array {
  return new StructWriter(NDMSG_LEN).u8(0, m.ndm_family).s32(4, m.ndm_ifindex).u16(8, m.ndm_state).u8(10, m.ndm_flags).u8(11, m.ndm_type).bytes;
}

export function ndmsg_decode(b: Uint8Array): Decoded<NdMsg> {
  if (b.byteLength < NDMSG_LEN) return { ok: false, error: `ndmsg needs ${NDMSG_LEN} bytes, got ${b.byteLength}` };
  const r = new StructReader(b);
  return { ok: true, consumed: NDMSG_LEN, value: { ndm_family: r.u8(0), ndm_ifindex: r.s32(4), ndm_state: r.u16(8), ndm_flags: r.u8(10), ndm_type: r.u8(11) } };
}
