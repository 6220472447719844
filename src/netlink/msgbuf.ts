// A growable buffer of netlink attributes without a message header (what OVS
// keeps in an ofpbuf for flow keys, masks and actions), plus the few header
// edits a sender makes at send time. Byte order is the accessor's.
import { NLA_ALIGN, NLA_HDRLEN, StructReader, StructWriter, nla_walk, type NlAttr } from './attr';
import { nlmsghdr_decode, nlmsghdr_encode } from './nlmsg';

export class NlAttrBuf {
  private buf = new Uint8Array(128);
  private len = 0;

  private reserve(n: number): number {
    if (this.len + n > this.buf.byteLength) {
      let size = this.buf.byteLength * 2;
      while (size < this.len + n) size *= 2;
      const b = new Uint8Array(size);
      b.set(this.buf.subarray(0, this.len));
      this.buf = b;
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  get size(): number {
    return this.len;
  }

  /** Appends one attribute; padding is zero. */
  attr(type: number, payload: Uint8Array): this {
    const total = NLA_HDRLEN + payload.byteLength;
    const at = this.reserve(NLA_ALIGN(total));
    this.buf.fill(0, at, at + NLA_ALIGN(total));
    this.buf.set(new StructWriter(4).u16(0, total).u16(2, type).bytes, at);
    this.buf.set(payload, at + NLA_HDRLEN);
    return this;
  }

  flag(type: number): this { return this.attr(type, new Uint8Array(0)); }
  u8(type: number, x: number): this { return this.attr(type, new StructWriter(1).u8(0, x).bytes); }
  u16(type: number, x: number): this { return this.attr(type, new StructWriter(2).u16(0, x).bytes); }
  be16(type: number, x: number): this { return this.attr(type, new StructWriter(2).be16(0, x).bytes); }
  u32(type: number, x: number): this { return this.attr(type, new StructWriter(4).u32(0, x).bytes); }
  be32(type: number, x: number): this { return this.attr(type, new StructWriter(4).be32(0, x).bytes); }
  string(type: number, s: string): this {
    const b = Buffer.from(s + '\0', 'latin1');
    return this.attr(type, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }

  /** Appends pre-built attribute bytes (already 4-aligned). */
  raw(bytes: Uint8Array): this {
    const at = this.reserve(NLA_ALIGN(bytes.byteLength));
    this.buf.fill(0, at, at + NLA_ALIGN(bytes.byteLength));
    this.buf.set(bytes, at);
    return this;
  }

  nestStart(type: number): number {
    const at = this.reserve(NLA_HDRLEN);
    this.buf.set(new StructWriter(4).u16(0, 0).u16(2, type).bytes, at);
    return at;
  }

  nestEnd(at: number): this {
    this.buf.set(new StructWriter(2).u16(0, this.len - at).bytes, at);
    return this;
  }

  /** Drops everything after `size` (ofpbuf's size reset on a parse error). */
  truncate(size: number): void {
    this.len = Math.min(this.len, size);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Writes seq and pid into a finished message (filled in at send time). */
export function nlmsg_set_seq_pid(msg: Uint8Array, seq: number, pid: number): void {
  const h = nlmsghdr_decode(msg, 0);
  nlmsghdr_encode({ ...h, nlmsg_len: msg.byteLength, nlmsg_seq: seq, nlmsg_pid: pid }, msg, 0);
}

/** Top-level attributes of a stream, or null when it is malformed. */
export function nl_attrs(bytes: Uint8Array): NlAttr[] | null {
  const w = nla_walk(bytes);
  return w.ok ? w.attrs : null;
}

/** A 16-byte payload read as four host-order (little-endian) u32 words. */
export function nl_attr_get_u128(a: NlAttr): [number, number, number, number] {
  const r = new StructReader(a.payload);
  return [r.u32(0), r.u32(4), r.u32(8), r.u32(12)];
}

/** Four host-order u32 words as the 16 bytes of an ovs_u128. */
export function u128_bytes(w: readonly [number, number, number, number]): Uint8Array {
  return new StructWriter(16).u32(0, w[0]).u32(4, w[1]).u32(8, w[2]).u32(12, w[3]).bytes;
}
