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

/**
 * Walks a stream of attributes. Like lib/nlattr.c, trailing bytes shorter than
 * a header are ignored; an attribute whose nla_len is < 4 or past the end is
 * reported so the caller can reject the message (-EINVAL upstream).
 */
export function nla_walk(buf: Uint8Array, base = 0): NlaWalk {
  const attrs: NlAttr[] = [];
  let off = 0;
  while (buf.byteLength - off >= NLA_HDRLEN) {
    const len = buf[off]! | (buf[off + 1]! << 8);
    const rawType = buf[off + 2]! | (buf[off + 3]! << 8);
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
// The fixed-width accessors read bytes directly (no DataView per call: they
// run several times per attribute on every message); a payload too short for
// the width throws as DataView would.
function need(a: NlAttr, n: number): Uint8Array {
  const p = a.payload;
  if (p.byteLength < n) throw new RangeError(`attribute ${a.type}: ${p.byteLength} bytes, ${n} needed`);
  return p;
}

export function nla_get_u8(a: NlAttr): number {
  return a.payload[0] ?? 0;
}
export function nla_get_u16(a: NlAttr): number {
  const p = need(a, 2);
  return p[0]! | (p[1]! << 8);
}
export function nla_get_be16(a: NlAttr): number {
  const p = need(a, 2);
  return (p[0]! << 8) | p[1]!;
}
export function nla_get_u32(a: NlAttr): number {
  const p = need(a, 4);
  return (p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24)) >>> 0;
}
export function nla_get_s32(a: NlAttr): number {
  const p = need(a, 4);
  return p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24);
}
export function nla_get_be32(a: NlAttr): number {
  const p = need(a, 4);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
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

// Struct access is byte by byte rather than through a DataView: creating a
// DataView costs more than the handful of fields a header has, and every
// request builds several. Reads past the end throw, as DataView's would.
function oob(off: number, n: number, len: number): never {
  throw new RangeError(`offset ${off}+${n} is outside the ${len}-byte struct`);
}

/** Reads fixed-layout structs at explicit offsets with explicit byte order. */
export class StructReader {
  constructor(readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.byteLength;
  }
  private at(off: number, n: number): Uint8Array {
    if (off < 0 || off + n > this.bytes.byteLength) oob(off, n, this.bytes.byteLength);
    return this.bytes;
  }
  u8(off: number): number { return this.at(off, 1)[off]!; }
  u16(off: number): number { const b = this.at(off, 2); return b[off]! | (b[off + 1]! << 8); }
  be16(off: number): number { const b = this.at(off, 2); return (b[off]! << 8) | b[off + 1]!; }
  s32(off: number): number {
    const b = this.at(off, 4);
    return b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24);
  }
  u32(off: number): number { return this.s32(off) >>> 0; }
  be32(off: number): number {
    const b = this.at(off, 4);
    return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  }
  u64(off: number): bigint {
    this.at(off, 8);
    return (BigInt(this.u32(off + 4)) << 32n) | BigInt(this.u32(off));
  }
  bytesAt(off: number, len: number): Uint8Array { return this.bytes.slice(off, off + len); }
}

/** Builds fixed-layout structs; zero is a value like any other. */
export class StructWriter {
  readonly bytes: Uint8Array;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }
  private at(off: number, n: number): Uint8Array {
    if (off < 0 || off + n > this.bytes.byteLength) oob(off, n, this.bytes.byteLength);
    return this.bytes;
  }
  u8(off: number, x: number): this { this.at(off, 1)[off] = x & 0xff; return this; }
  u16(off: number, x: number): this {
    const b = this.at(off, 2);
    b[off] = x & 0xff; b[off + 1] = (x >>> 8) & 0xff;
    return this;
  }
  be16(off: number, x: number): this {
    const b = this.at(off, 2);
    b[off] = (x >>> 8) & 0xff; b[off + 1] = x & 0xff;
    return this;
  }
  u32(off: number, x: number): this {
    const b = this.at(off, 4);
    b[off] = x & 0xff; b[off + 1] = (x >>> 8) & 0xff; b[off + 2] = (x >>> 16) & 0xff; b[off + 3] = (x >>> 24) & 0xff;
    return this;
  }
  s32(off: number, x: number): this { return this.u32(off, x | 0); }
  be32(off: number, x: number): this {
    const b = this.at(off, 4);
    b[off] = (x >>> 24) & 0xff; b[off + 1] = (x >>> 16) & 0xff; b[off + 2] = (x >>> 8) & 0xff; b[off + 3] = x & 0xff;
    return this;
  }
  u64(off: number, x: bigint): this {
    this.at(off, 8);
    const v = BigInt.asUintN(64, x);
    return this.u32(off, Number(v & 0xffffffffn)).u32(off + 4, Number(v >> 32n));
  }
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
  /** Bytes below this were never written, so they are still zero. */
  private clean = 0;

  private grow(need: number): void {
    if (this.len + need <= this.buf.byteLength) return;
    let n = this.buf.byteLength * 2;
    while (n < this.len + need) n *= 2;
    const b = new Uint8Array(n);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.clean = this.len;
  }

  protected reserve(n: number): number {
    this.grow(n);
    const at = this.len;
    this.len += n;
    // Only bytes written before a truncate can be dirty.
    if (at < this.clean) this.buf.fill(0, at, Math.min(this.len, this.clean));
    if (this.len > this.clean) this.clean = this.len;
    return at;
  }

  /** Writes an attribute header at `at`: nla_len, nla_type, host order. */
  private header(at: number, len: number, type: number): void {
    const b = this.buf;
    b[at] = len & 0xff;
    b[at + 1] = (len >>> 8) & 0xff;
    b[at + 2] = type & 0xff;
    b[at + 3] = (type >>> 8) & 0xff;
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
    this.header(at, len, type);
    this.buf.set(payload, at + NLA_HDRLEN);
    return this;
  }

  /** Appends an attribute of `n` payload bytes; returns where the payload starts. */
  private fixed(type: number, n: number): number {
    const at = this.reserve(NLA_ALIGN(NLA_HDRLEN + n));
    this.header(at, NLA_HDRLEN + n, type);
    return at + NLA_HDRLEN;
  }

  flag(type: number): this { this.fixed(type, 0); return this; }
  u8(type: number, x: number): this {
    // fixed() may grow (replace) buf: take the offset before indexing it.
    const at = this.fixed(type, 1);
    this.buf[at] = x & 0xff;
    return this;
  }
  u16(type: number, x: number): this {
    const at = this.fixed(type, 2);
    this.buf[at] = x & 0xff;
    this.buf[at + 1] = (x >>> 8) & 0xff;
    return this;
  }
  be16(type: number, x: number): this {
    const at = this.fixed(type, 2);
    this.buf[at] = (x >>> 8) & 0xff;
    this.buf[at + 1] = x & 0xff;
    return this;
  }
  u32(type: number, x: number): this {
    const at = this.fixed(type, 4);
    const b = this.buf;
    b[at] = x & 0xff;
    b[at + 1] = (x >>> 8) & 0xff;
    b[at + 2] = (x >>> 16) & 0xff;
    b[at + 3] = (x >>> 24) & 0xff;
    return this;
  }
  be32(type: number, x: number): this {
    const at = this.fixed(type, 4);
    const b = this.buf;
    b[at] = (x >>> 24) & 0xff;
    b[at + 1] = (x >>> 16) & 0xff;
    b[at + 2] = (x >>> 8) & 0xff;
    b[at + 3] = x & 0xff;
    return this;
  }
  s32(type: number, x: number): this { return this.u32(type, x | 0); }
  u64(type: number, x: bigint): this { return this.attr(type, new StructWriter(8).u64(0, x).bytes); }
  /** A NUL-terminated string (latin1, as the kernel sees bytes). */
  string(type: number, s: string): this {
    const at = this.fixed(type, s.length + 1);
    const b = this.buf;
    for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i) & 0xff;
    b[at + s.length] = 0;
    return this;
  }

  /** Opens a nest; `type` carries NLA_F_NESTED only if the caller ORs it in. */
  nestStart(type: number): number {
    const at = this.reserve(NLA_HDRLEN);
    this.header(at, 0, type);
    return at;
  }

  nestEnd(at: number): this {
    const len = this.len - at;
    this.buf[at] = len & 0xff;
    this.buf[at + 1] = (len >>> 8) & 0xff;
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
