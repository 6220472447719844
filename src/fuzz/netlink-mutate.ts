// Mutations of one netlink request (nlmsghdr + family header + attributes),
// byte arithmetic only: the fuzzer must be able to write what no encoder
// would (wrong lengths, bad nesting), so it does not go through the codecs.
// Host order (LE) for nlmsghdr and nlattr, as the kernel reads them.
import type { Draw } from './draw';

const NLMSG_HDRLEN = 16;
const NLA_HDRLEN = 4;
const NLA_F_NESTED = 0x8000;
const NLA_TYPE_MASK = 0x3fff;

export type NlMutation = 'bitflip' | 'truncate' | 'nlmsg_len' | 'nla_len' | 'nesting' | 'repeat' | 'unknown_type' | 'splice' | 'concat' | 'none';
export const NL_MUTATIONS: readonly NlMutation[] = ['bitflip', 'truncate', 'nlmsg_len', 'nla_len', 'nesting', 'repeat', 'unknown_type', 'splice', 'concat', 'none'];

const rd16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const wr16 = (b: Uint8Array, o: number, v: number): void => { b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; };
const wr32 = (b: Uint8Array, o: number, v: number): void => { for (let i = 0; i < 4; i++) b[o + i] = (v >>> (8 * i)) & 0xff; };
const align4 = (n: number): number => (n + 3) & ~3;

/** Offsets of every attribute header, nested ones included (walked while lengths are sane). */
export function attrOffsets(msg: Uint8Array, familyHdrLen: number): number[] {
  const out: number[] = [];
  const walk = (start: number, end: number, depth: number): void => {
    let o = start;
    while (o + NLA_HDRLEN <= end) {
      const len = rd16(msg, o);
      if (len < NLA_HDRLEN || o + len > end) return;
      out.push(o);
      // Descend into anything long enough to hold attributes: TCA_OPTIONS and
      // action lists are nested without always carrying NLA_F_NESTED.
      if (depth < 6 && len >= 2 * NLA_HDRLEN) walk(o + NLA_HDRLEN, o + len, depth + 1);
      o += align4(len);
    }
  };
  walk(NLMSG_HDRLEN + familyHdrLen, Math.min(msg.byteLength, NLMSG_HDRLEN + familyHdrLen + 0x10000), 0);
  return out;
}

function withLen(b: Uint8Array): Uint8Array {
  if (b.byteLength >= 4) wr32(b, 0, b.byteLength);
  return b;
}

/** One mutation of msg (a fresh array); familyHdrLen is 20 for tcmsg. */
export function mutateNetlink(rng: Draw, msg: Uint8Array, familyHdrLen: number, kind: NlMutation, other?: Uint8Array): Uint8Array {
  const b = msg.slice();
  const attrs = attrOffsets(b, familyHdrLen);
  switch (kind) {
    case 'bitflip': {
      const n = rng.range(1, 4);
      for (let i = 0; i < n && b.byteLength > 0; i++) b[rng.int(b.byteLength)]! ^= 1 << rng.int(8);
      return b;
    }
    case 'truncate':
      return withLen(b.slice(0, rng.int(b.byteLength)));
    case 'nlmsg_len':
      wr32(b, 0, rng.pick([0, 1, 15, 16, b.byteLength - 1, b.byteLength + 1, b.byteLength + 4, 0xffffffff, rng.u32(), rng.int(b.byteLength + 8)]));
      return b;
    case 'nla_len': {
      if (attrs.length === 0) return b;
      const o = rng.pick(attrs);
      wr16(b, o, rng.pick([0, 1, 3, 4, 5, rd16(b, o) - 1, rd16(b, o) + 1, rd16(b, o) + 4, 0xffff, rng.int(0x10000)]));
      return b;
    }
    case 'nesting': {
      if (attrs.length === 0) return b;
      const o = rng.pick(attrs);
      // Flip NLA_F_NESTED, or give a nested attribute a scalar's length.
      if (rng.bool()) wr16(b, o + 2, rd16(b, o + 2) ^ NLA_F_NESTED);
      else wr16(b, o, Math.min(rd16(b, o), NLA_HDRLEN + rng.pick([1, 2, 4, 8])));
      return b;
    }
    case 'repeat': {
      if (attrs.length === 0) return b;
      const o = rng.pick(attrs);
      // An earlier mutation may have left nla_len running past the buffer:
      // repeat only what is there.
      const len = Math.min(align4(rd16(b, o)), b.byteLength - o);
      const copy = b.slice(o, o + len);
      const out = new Uint8Array(b.byteLength + copy.byteLength);
      out.set(b.subarray(0, o + len));
      out.set(copy, o + len);
      out.set(b.subarray(o + len), o + 2 * len);
      // The attributes enclosing the original grow by the copy, so it stays inside them.
      for (const p of attrs) {
        const l = rd16(b, p);
        if (p < o && p + l >= o + len && l + len <= 0xffff) wr16(out, p, l + len);
      }
      return withLen(out);
    }
    case 'unknown_type': {
      if (attrs.length > 0 && rng.bool()) {
        const o = rng.pick(attrs);
        wr16(b, o + 2, (rd16(b, o + 2) & ~NLA_TYPE_MASK) | rng.pick([0, NLA_TYPE_MASK, rng.int(NLA_TYPE_MASK + 1)]));
        return b;
      }
      const payload = rng.int(9);
      const extra = new Uint8Array(align4(NLA_HDRLEN + payload));
      wr16(extra, 0, NLA_HDRLEN + payload);
      wr16(extra, 2, rng.range(1, NLA_TYPE_MASK));
      for (let i = NLA_HDRLEN; i < NLA_HDRLEN + payload; i++) extra[i] = rng.int(256);
      const out = new Uint8Array(b.byteLength + extra.byteLength);
      out.set(b);
      out.set(extra, b.byteLength);
      return withLen(out);
    }
    case 'splice': {
      if (b.byteLength === 0) return b;
      const at = rng.int(b.byteLength);
      const n = rng.range(1, 8);
      for (let i = 0; i < n && at + i < b.byteLength; i++) b[at + i] = rng.pick([0, 0xff, 0x80, 0x7f, rng.int(256)]);
      return b;
    }
    case 'concat': {
      const second = other ?? msg;
      const out = new Uint8Array(align4(b.byteLength) + second.byteLength);
      out.set(b);
      out.set(second, align4(b.byteLength));
      return out;
    }
    case 'none':
      return b;
  }
}
