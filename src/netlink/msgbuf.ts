// A growable buffer of netlink attributes without a message header (what OVS
// keeps in an ofpbuf for flow keys, masks and actions), plus the few header
// edits a sender makes at send time. Byte order is the accessor's.
import { NlAttrStream, StructReader, StructWriter, nla_walk, type NlAttr } from './attr';
import { nlmsghdr_decode, nlmsghdr_encode } from './nlmsg';

export class NlAttrBuf extends NlAttrStream {
  get size(): number {
    return this.len;
  }

  /** Appends pre-built attribute bytes (already 4-aligned). */
  raw(bytes: Uint8Array): this {
    return this.put(bytes);
  }

  /** Drops everything after `size` (ofpbuf's size reset on a parse error). */
  truncate(size: number): void {
    this.len = Math.min(this.len, size);
  }

  bytes(): Uint8Array {
    return this.contents();
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
