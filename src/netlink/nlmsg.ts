// Netlink message framing (include/uapi/linux/netlink.h): struct nlmsghdr,
// alignment, and walking the messages packed in one buffer. Host byte order is
// pinned little-endian, as on the x86-64 machines the corpus was captured on.

export const NLMSG_ALIGNTO = 4;
export const NLMSG_HDRLEN = 16;

export function NLMSG_ALIGN(len: number): number {
  return (len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}

export interface NlMsgHdr {
  nlmsg_len: number;
  nlmsg_type: number;
  nlmsg_flags: number;
  nlmsg_seq: number;
  nlmsg_pid: number;
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

// Header fields are read and written byte by byte (host order = LE): one
// DataView per message header was a measurable share of every request.
function le32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
function le16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
function put_le32(b: Uint8Array, o: number, x: number): void {
  b[o] = x & 0xff; b[o + 1] = (x >>> 8) & 0xff; b[o + 2] = (x >>> 16) & 0xff; b[o + 3] = (x >>> 24) & 0xff;
}
function put_le16(b: Uint8Array, o: number, x: number): void {
  b[o] = x & 0xff; b[o + 1] = (x >>> 8) & 0xff;
}

/** True when a whole, self-consistent header starts at `off` (nlmsg_ok). */
export function nlmsg_ok(buf: Uint8Array, off: number): boolean {
  const remaining = buf.byteLength - off;
  if (remaining < NLMSG_HDRLEN) return false;
  const len = le32(buf, off);
  return len >= NLMSG_HDRLEN && len <= remaining;
}

export function nlmsghdr_decode(buf: Uint8Array, off = 0): NlMsgHdr {
  if (buf.byteLength - off < NLMSG_HDRLEN) view(buf).getUint32(off + 12, true); // throws RangeError, as before
  return {
    nlmsg_len: le32(buf, off),
    nlmsg_type: le16(buf, off + 4),
    nlmsg_flags: le16(buf, off + 6),
    nlmsg_seq: le32(buf, off + 8),
    nlmsg_pid: le32(buf, off + 12),
  };
}

export function nlmsghdr_encode(h: NlMsgHdr, buf: Uint8Array, off = 0): void {
  if (buf.byteLength - off < NLMSG_HDRLEN) throw new RangeError(`nlmsghdr at ${off} past the end (${buf.byteLength})`);
  put_le32(buf, off, h.nlmsg_len);
  put_le16(buf, off + 4, h.nlmsg_type);
  put_le16(buf, off + 6, h.nlmsg_flags);
  put_le32(buf, off + 8, h.nlmsg_seq);
  put_le32(buf, off + 12, h.nlmsg_pid);
}

export interface NlMsg {
  hdr: NlMsgHdr;
  /** The bytes after the header, up to nlmsg_len. */
  payload: Uint8Array;
  /** The whole message, header included. */
  raw: Uint8Array;
  /** Offset of the message in the buffer it was split from. */
  offset: number;
}

/**
 * Splits a buffer into its messages, stopping silently at the first header
 * that is short or claims more bytes than remain (as netlink_rcv_skb does).
 */
export function nlmsg_split(buf: Uint8Array): { msgs: NlMsg[]; trailing: number } {
  const msgs: NlMsg[] = [];
  let off = 0;
  while (nlmsg_ok(buf, off)) {
    const hdr = nlmsghdr_decode(buf, off);
    msgs.push({
      hdr,
      raw: buf.subarray(off, off + hdr.nlmsg_len),
      payload: buf.subarray(off + NLMSG_HDRLEN, off + hdr.nlmsg_len),
      offset: off,
    });
    off += NLMSG_ALIGN(hdr.nlmsg_len);
  }
  return { msgs, trailing: Math.max(0, buf.byteLength - off) };
}

export function toHex(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`not an even-length hex string: ${hex.slice(0, 40)}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
