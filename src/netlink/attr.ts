// Netlink attributes (struct nlattr): walking, typed accessors and a message
// builder. Byte order is the accessor's, as upstream: `_be16`/`_be32` read
// network order (ports, ethertypes, IPv4 addresses), the plain ones host order.
import { NLMSG_ALIGN, NLMSG_HDRLEN, nlmsghdr_encode, type NlMsgHdr } from './nlmsg';

export const NLA_HDRLEN = 4;
export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

export function NLA_ALIGN(len: number): number {
  return (len + 3) & ~3;
}

export interface NlAttr {
  /** Attribute type with the NESTED / NET_BYTEORDER bits removed. */
  type: number;
  nested: boolean;
  /** The payload (nla_len minus the 4-byte header, without padding). */
  payload: Uint8Array;
  /** Offset of the attribute header inside the buffer given to nla_walk. */
  offset: number;
}

export type NlaWalk =
  | { ok: true; attrs: NlAttr[] }
  /** A header or length ran past the end: `offset` is where. */
  | { ok: false; attrs: NlAttr[]; offset: number; reason: string };

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Walks a stream of attributes. Like lib/nlattr.c, trailing bytes shorter than
 * a header are ignored; an attribute whose nla_len is < 4 or past the end is
 * reported so the caller can reject the message (-EINVAL upstream).
 */
export function nla_walk(buf: Uint8Array, base = 0): NlaWalk {
  const attrs: NlAttr[] = [];
  const v = dv(buf);
  let off = 0;
  while (buf.byteLength - off >= NLA_HDRLEN) {
    const len = v.getUint16(off, true);
    const rawType = v.getUint16(off + 2, true);
    if (len < NLA_HDRLEN) return { ok: false, attrs, offset: base + off, reason: `nla_len ${len} < 4` };
    if (len > buf.byteLength - off) {
      return { ok: false, attrs, offset: base + off, reason: `nla_len ${len} past the end (${buf.byteLength - off} left)` };
    }
    attrs.push({
      type: rawType & NLA_TYPE_MASK,
      nested: (rawType & NLA_F_NESTED) !== 0,
      payload: buf.subarray(off + NLA_HDRLEN, off + len),
      offset: base + off,
    });
    off += NLA_ALIGN(len);
  }
  return { ok: true, attrs };
}

export function nla_len(a: NlAttr): number {
  return a.payload.byteLength;
}
export function nla_get_u8(a: NlAttr): number {
  return a.payload[0] ?? 0;
}
export function nla_get_u16(a: NlAttr): number {
  return dv(a.payload).getUint16(0, true);
}
export function nla_get_be16(a: NlAttr): number {
  return dv(a.payload).getUint16(0, false);
}
export function nla_get_u32(a: NlAttr): number {
  return dv(a.payload).getUint32(0, true);
}
export function nla_get_s32(a: NlAttr): number {
  return dv(a.payload).getInt32(0, true);
}
export function nla_get_be32(a: NlAttr): number {
  return dv(a.payload).getUint32(0, false);
}
/** A NUL-terminated (or unterminated) string payload. */
export function nla_get_string(a: NlAttr): string {
  const end = a.payload.indexOf(0);
  const bytes = end >= 0 ? a.payload.subarray(0, end) : a.payload;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
export function nla_get_bytes(a: NlAttr): Uint8Array {
  return a.payload.slice();
}

/** Reads fixed-layout structs at explicit offsets with explicit byte order. */
export class StructReader {
  private readonly v: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.v = dv(bytes);
  }
  get length(): number {
    return this.bytes.byteLength;
  }
  u8(off: number): number { return this.v.getUint8(off); }
  u16(off: number): number { return this.v.getUint16(off, true); }
  be16(off: number): number { return this.v.getUint16(off, false); }
  u32(off: number): number { return this.v.getUint32(off, true); }
  s32(off: number): number { return this.v.getInt32(off, true); }
  be32(off: number): number { return this.v.getUint32(off, false); }
  u64(off: number): bigint { return this.v.getBigUint64(off, true); }
  bytesAt(off: number, len: number): Uint8Array { return this.bytes.slice(off, off + len); }
}

/** Builds fixed-layout structs; zero is a value like any other. */
export class StructWriter {
  readonly bytes: Uint8Array;
  private readonly v: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.v = dv(this.bytes);
  }
  u8(off: number, x: number): this { this.v.setUint8(off, x & 0xff); return this; }
  u16(off: number, x: number): this { this.v.setUint16(off, x & 0xffff, true); return this; }
  be16(off: number, x: number): this { this.v.setUint16(off, x & 0xffff, false); return this; }
  u32(off: number, x: number): this { this.v.setUint32(off, x >>> 0, true); return this; }
  s32(off: number, x: number): this { this.v.setInt32(off, x | 0, true); return this; }
  be32(off: number, x: number): this { this.v.setUint32(off, x >>> 0, false); return this; }
  u64(off: number, x: bigint): this { this.v.setBigUint64(off, x, true); return this; }
  set(off: number, b: Uint8Array): this { this.bytes.set(b, off); return this; }
}

/**
 * A growable stream of netlink attributes. Nests are opened and closed
 * explicitly and their lengths written on close; reserved space is always
 * zeroed, so padding is zero (as the kernel's and libmnl's builders leave it).
 */
export class NlAttrStream {
  private buf = new Uint8Array(256);
  protected len = 0;

  private grow(need: number): void {
    if (this.len + need <= this.buf.byteLength) return;
    let n = this.buf.byteLength * 2;
    while (n < this.len + need) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  protected reserve(n: number): number {
    this.grow(n);
    const at = this.len;
    this.len += n;
    this.buf.fill(0, at, this.len);
    return at;
  }

  /** Appends raw bytes (a family header, a struct, pre-built attributes), padded to 4. */
  put(bytes: Uint8Array): this {
    const at = this.reserve(NLA_ALIGN(bytes.byteLength));
    this.buf.set(bytes, at);
    return this;
  }

  /** Appends an attribute with `payload`; returns this. */
  attr(type: number, payload: Uint8Array): this {
    const len = NLA_HDRLEN + payload.byteLength;
    const at = this.reserve(NLA_ALIGN(len));
    const v = dv(this.buf);
    v.setUint16(at, len, true);
    v.setUint16(at + 2, type, true);
    this.buf.set(payload, at + NLA_HDRLEN);
    return this;
  }

  flag(type: number): this { return this.attr(type, new Uint8Array(0)); }
  u8(type: number, x: number): this { return this.attr(type, new StructWriter(1).u8(0, x).bytes); }
  u16(type: number, x: number): this { return this.attr(type, new StructWriter(2).u16(0, x).bytes); }
  be16(type: number, x: number): this { return this.attr(type, new StructWriter(2).be16(0, x).bytes); }
  u32(type: number, x: number): this { return this.attr(type, new StructWriter(4).u32(0, x).bytes); }
  be32(type: number, x: number): this { return this.attr(type, new StructWriter(4).be32(0, x).bytes); }
  s32(type: number, x: number): this { return this.attr(type, new StructWriter(4).s32(0, x).bytes); }
  u64(type: number, x: bigint): this { return this.attr(type, new StructWriter(8).u64(0, x).bytes); }
  /** A NUL-terminated string. */
  string(type: number, s: string): this {
    const b = Buffer.from(s + '\0', 'latin1');
    return this.attr(type, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }

  /** Opens a nest; `type` carries NLA_F_NESTED only if the caller ORs it in. */
  nestStart(type: number): number {
    const at = this.reserve(NLA_HDRLEN);
    dv(this.buf).setUint16(at + 2, type, true);
    return at;
  }

  nestEnd(at: number): this {
    dv(this.buf).setUint16(at, this.len - at, true);
    return this;
  }

  /** Overwrites bytes already written at `at` (a family header filled in late). */
  patch(at: number, bytes: Uint8Array): this {
    if (at + bytes.byteLength > this.len) throw new Error(`patch past the end (${at}+${bytes.byteLength} > ${this.len})`);
    this.buf.set(bytes, at);
    return this;
  }

  /** A copy of the bytes written so far. */
  protected contents(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** A netlink message: header, fixed family header, then attributes. */
export class NlMsgBuilder extends NlAttrStream {
  constructor(private readonly hdr: Omit<NlMsgHdr, 'nlmsg_len'>) {
    super();
    this.reserve(NLMSG_HDRLEN);
  }

  get length(): number {
    return this.len;
  }

  /** Returns the finished message with nlmsg_len filled in. */
  finish(): Uint8Array {
    const out = this.contents();
    nlmsghdr_encode({ ...this.hdr, nlmsg_len: this.len }, out, 0);
    return out;
  }
}

/** Concatenates messages into one buffer, each aligned to 4 (a batch). */
export function nlmsg_concat(msgs: Uint8Array[]): Uint8Array {
  const total = msgs.reduce((n, m) => n + NLMSG_ALIGN(m.byteLength), 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const m of msgs) {
    out.set(m, off);
    off += NLMSG_ALIGN(m.byteLength);
  }
  return out;
}
