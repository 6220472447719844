// lib/nlattr.c: policy-driven attribute validation and parsing. A policy is
// data (one entry per attribute type, as upstream's struct nla_policy); the
// parser returns a `tb` table indexed by attribute type.
import { nla_walk, nla_get_u8, nla_get_u16, nla_get_u32, nla_get_be16, nla_get_be32, type NlAttr } from '../../netlink/attr';
import { NLMSG_ALIGN, NLMSG_HDRLEN, type NlMsg } from '../../netlink/nlmsg';
import { NL_SET_ERR_MSG, NL_SET_ERR_MSG_ATTR, type NetlinkExtAck } from '../include/linux/netlink';
import { E2BIG, EINVAL, ERANGE, type NegErrno } from '../include/uapi/asm-generic/errno';
import { hop } from '../../trace/hop';

// enum nla_policy_type (include/net/netlink.h)
export const NLA_UNSPEC = 'NLA_UNSPEC';
export const NLA_U8 = 'NLA_U8';
export const NLA_U16 = 'NLA_U16';
export const NLA_U32 = 'NLA_U32';
export const NLA_U64 = 'NLA_U64';
export const NLA_STRING = 'NLA_STRING';
export const NLA_FLAG = 'NLA_FLAG';
export const NLA_MSECS = 'NLA_MSECS';
export const NLA_NESTED = 'NLA_NESTED';
export const NLA_NESTED_ARRAY = 'NLA_NESTED_ARRAY';
export const NLA_NUL_STRING = 'NLA_NUL_STRING';
export const NLA_BINARY = 'NLA_BINARY';
export const NLA_S8 = 'NLA_S8';
export const NLA_S16 = 'NLA_S16';
export const NLA_S32 = 'NLA_S32';
export const NLA_S64 = 'NLA_S64';
export const NLA_BITFIELD32 = 'NLA_BITFIELD32';
export const NLA_REJECT = 'NLA_REJECT';
export const NLA_BE16 = 'NLA_BE16';
export const NLA_BE32 = 'NLA_BE32';

export type NlaType =
  | typeof NLA_UNSPEC | typeof NLA_U8 | typeof NLA_U16 | typeof NLA_U32 | typeof NLA_U64 | typeof NLA_STRING
  | typeof NLA_FLAG | typeof NLA_MSECS | typeof NLA_NESTED | typeof NLA_NESTED_ARRAY | typeof NLA_NUL_STRING
  | typeof NLA_BINARY | typeof NLA_S8 | typeof NLA_S16 | typeof NLA_S32 | typeof NLA_S64 | typeof NLA_BITFIELD32
  | typeof NLA_REJECT | typeof NLA_BE16 | typeof NLA_BE32;

/** struct nla_policy: the fields the emulated policies use. */
export interface NlaPolicyEntry {
  type?: NlaType;
  len?: number;
  /** Only on entry 0: attributes >= this are validated strictly. */
  strict_start_type?: number;
  /** NLA_POLICY_MASK */
  mask?: number;
  /** NLA_POLICY_MAX / _MIN / _RANGE */
  max?: number;
  min?: number;
  /** NLA_POLICY_BITFIELD32 */
  bitfield32_valid?: number;
  /** NLA_POLICY_NESTED */
  nested_policy?: { maxtype: number; policy: NlaPolicy };
  reject_message?: string;
}

export type NlaPolicy = Readonly<Record<number, NlaPolicyEntry>>;

/** The parsed attribute table (struct nlattr *tb[maxtype + 1]). */
export type NlaTb = (NlAttr | undefined)[];

export interface NlaParseResult {
  err: 0 | NegErrno;
  tb: NlaTb;
}

// validation modes (enum netlink_validation)
export const NL_VALIDATE_LIBERAL = 0;
export const NL_VALIDATE_TRAILING = 1 << 0;
export const NL_VALIDATE_MAXTYPE = 1 << 1;
export const NL_VALIDATE_UNSPEC = 1 << 2;
export const NL_VALIDATE_STRICT_ATTRS = 1 << 3;
export const NL_VALIDATE_NESTED = 1 << 4;
export const NL_VALIDATE_DEPRECATED_STRICT = NL_VALIDATE_TRAILING | NL_VALIDATE_MAXTYPE;
export const NL_VALIDATE_STRICT = NL_VALIDATE_TRAILING | NL_VALIDATE_MAXTYPE | NL_VALIDATE_UNSPEC |
  NL_VALIDATE_STRICT_ATTRS | NL_VALIDATE_NESTED;

// lib/nlattr.c nla_attr_len / nla_attr_minlen (v6.18)
const nla_attr_len: Partial<Record<NlaType, number>> = {
  NLA_U8: 1, NLA_U16: 2, NLA_U32: 4, NLA_U64: 8, NLA_S8: 1, NLA_S16: 2, NLA_S32: 4, NLA_S64: 8,
  NLA_BE16: 2, NLA_BE32: 4, NLA_MSECS: 8,
};
const nla_attr_minlen: Partial<Record<NlaType, number>> = { ...nla_attr_len, NLA_MSECS: 8 };

function int_value(pt: NlaPolicyEntry, nla: NlAttr): number {
  switch (pt.type) {
    case NLA_U8: case NLA_S8: return nla_get_u8(nla);
    case NLA_U16: case NLA_S16: return nla_get_u16(nla);
    case NLA_BE16: return nla_get_be16(nla);
    case NLA_BE32: return nla_get_be32(nla);
    default: return nla_get_u32(nla);
  }
}

/** validate_nla() (lib/nlattr.c v6.18) */
function validate_nla(nla: NlAttr, maxtype: number, policy: NlaPolicy, validate: number,
  extack: NetlinkExtAck | null, depth: number): 0 | NegErrno {
  const strict_start_type = policy[0]?.strict_start_type ?? 0;
  const type = nla.type;
  const attrlen = nla.payload.byteLength;
  if (strict_start_type && type >= strict_start_type) validate |= NL_VALIDATE_STRICT;
  if (type <= 0 || type > maxtype) return 0;
  const pt: NlaPolicyEntry = policy[type] ?? {};
  const ptype: NlaType = pt.type ?? NLA_UNSPEC;
  const fail = (err: NegErrno): NegErrno => {
    NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'Attribute failed policy validation');
    return err;
  };

  const exact = nla_attr_len[ptype];
  if (exact && attrlen !== exact && (validate & NL_VALIDATE_STRICT_ATTRS)) {
    // Liberal parsing only warns ("attribute type %d has an invalid length").
    NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'invalid attribute length');
    return -EINVAL;
  }
  if (validate & NL_VALIDATE_NESTED) {
    if ((ptype === NLA_NESTED || ptype === NLA_NESTED_ARRAY) && !nla.nested) {
      NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'NLA_F_NESTED is missing');
      return -EINVAL;
    }
    if (ptype !== NLA_NESTED && ptype !== NLA_NESTED_ARRAY && ptype !== NLA_UNSPEC && nla.nested) {
      NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'NLA_F_NESTED not expected');
      return -EINVAL;
    }
  }

  switch (ptype) {
    case NLA_REJECT:
      if (extack && pt.reject_message) {
        NL_SET_ERR_MSG_ATTR(extack, nla.offset, pt.reject_message);
        return -EINVAL;
      }
      return fail(-EINVAL);
    case NLA_FLAG:
      if (attrlen > 0) return fail(-ERANGE);
      break;
    case NLA_BITFIELD32: {
      if (attrlen !== 8) return fail(-ERANGE);
      const value = nla_get_u32(nla);
      const selector = new DataView(nla.payload.buffer, nla.payload.byteOffset + 4, 4).getUint32(0, true);
      const valid = pt.bitfield32_valid ?? 0;
      if ((value & ~valid) >>> 0) {
        NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'Unexpected bits in value');
        return -EINVAL;
      }
      if ((selector & ~valid) >>> 0) {
        NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'Unexpected bits in selector');
        return -EINVAL;
      }
      if ((value & ~selector) >>> 0) {
        NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'Unexpected bit in value against selector');
        return -EINVAL;
      }
      break;
    }
    case NLA_NUL_STRING: {
      const minlen = pt.len ? Math.min(attrlen, pt.len + 1) : attrlen;
      if (!minlen || nla.payload.subarray(0, minlen).indexOf(0) < 0) return fail(-EINVAL);
      if (attrlen < 1) return fail(-ERANGE);
      if (pt.len) {
        const l = nla.payload[attrlen - 1] === 0 ? attrlen - 1 : attrlen;
        if (l > pt.len) return fail(-ERANGE);
      }
      break;
    }
    case NLA_STRING:
      if (attrlen < 1) return fail(-ERANGE);
      if (pt.len) {
        const l = nla.payload[attrlen - 1] === 0 ? attrlen - 1 : attrlen;
        if (l > pt.len) return fail(-ERANGE);
      }
      break;
    case NLA_BINARY:
      if (pt.len && attrlen > pt.len) return fail(-ERANGE);
      break;
    case NLA_NESTED:
      // Empty nests are allowed; otherwise at least one header.
      if (attrlen === 0) break;
      if (attrlen < 4) return fail(-ERANGE);
      if (pt.nested_policy) {
        const r = __nla_validate_parse(nla.payload, nla.offset + 4, pt.nested_policy.maxtype,
          pt.nested_policy.policy, validate, extack, depth + 1);
        if (r.err < 0) return r.err;
      }
      break;
    case NLA_UNSPEC:
      if (validate & NL_VALIDATE_UNSPEC) {
        NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'Unsupported attribute');
        return -EINVAL;
      }
      if (attrlen < (pt.len ?? 0)) return fail(-ERANGE);
      break;
    default: {
      const minlen = pt.len ? pt.len : (nla_attr_minlen[ptype] ?? 0);
      if (attrlen < minlen) return fail(-ERANGE);
    }
  }

  // further validation (NLA_VALIDATE_MASK / RANGE)
  if (pt.mask !== undefined) {
    if ((int_value(pt, nla) & ~pt.mask) >>> 0) {
      NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'reserved bit set');
      return -EINVAL;
    }
  }
  if (pt.max !== undefined || pt.min !== undefined) {
    // nla_validate_range_unsigned: a binary attribute's range is its length (NLA_POLICY_EXACT_LEN)
    const binary = ptype === NLA_BINARY;
    const v = binary ? attrlen : int_value(pt, nla);
    if ((pt.min !== undefined && v < pt.min) || (pt.max !== undefined && v > pt.max)) {
      NL_SET_ERR_MSG_ATTR(extack, nla.offset, binary ? 'binary attribute size out of range' : 'integer out of range');
      return -ERANGE;
    }
  }
  return 0;
}

/**
 * __nla_validate_parse (lib/nlattr.c v6.18). `base` is the offset of `head`
 * from the start of the nlmsghdr, so error offsets point into the request.
 * Like nla_for_each_attr, a truncated attribute ends the walk: liberal modes
 * accept the leftover bytes with only an extack note.
 */
export function __nla_validate_parse(head: Uint8Array, base: number, maxtype: number, policy: NlaPolicy | null,
  validate: number, extack: NetlinkExtAck | null, depth = 0): NlaParseResult {
  const tb: NlaTb = new Array<NlAttr | undefined>(maxtype + 1).fill(undefined);
  const w = nla_walk(head, base);
  for (const nla of w.attrs) {
    if (nla.type === 0 || nla.type > maxtype) {
      if (validate & NL_VALIDATE_MAXTYPE) {
        NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'Unknown attribute type');
        return { err: -EINVAL, tb };
      }
      continue;
    }
    if (policy) {
      const err = validate_nla(nla, maxtype, policy, validate, extack, depth);
      if (err < 0) return { err, tb };
    }
    tb[nla.type] = nla;
  }
  if (!w.ok) {
    NL_SET_ERR_MSG(extack, 'bytes leftover after parsing attributes');
    if (validate & NL_VALIDATE_TRAILING) return { err: -EINVAL, tb };
  }
  return { err: 0, tb };
}

/** nla_parse_deprecated(): liberal parse of an attribute stream. */
export function nla_parse_deprecated(maxtype: number, head: Uint8Array, base: number, policy: NlaPolicy | null,
  extack: NetlinkExtAck | null): NlaParseResult {
  return __nla_validate_parse(head, base, maxtype, policy, NL_VALIDATE_LIBERAL, extack);
}

/** nla_parse_nested_deprecated(): liberal parse of a nest's payload. */
export const nla_parse_nested_deprecated = hop('lib/nlattr.c', function nla_parse_nested_deprecated(
  maxtype: number, nla: NlAttr, policy: NlaPolicy | null, extack: NetlinkExtAck | null): NlaParseResult {
  return __nla_validate_parse(nla.payload, nla.offset + 4, maxtype, policy, NL_VALIDATE_LIBERAL, extack);
}, { input: (maxtype, nla) => `type=${nla.type} len=${nla.payload.byteLength} maxtype=${maxtype}` });

/** nla_parse_nested(): strict parse; the nest itself must carry NLA_F_NESTED. */
export const nla_parse_nested = hop('lib/nlattr.c', function nla_parse_nested(
  maxtype: number, nla: NlAttr, policy: NlaPolicy | null, extack: NetlinkExtAck | null): NlaParseResult {
  if (!nla.nested) {
    NL_SET_ERR_MSG_ATTR(extack, nla.offset, 'NLA_F_NESTED is missing');
    return { err: -EINVAL, tb: new Array<NlAttr | undefined>(maxtype + 1).fill(undefined) };
  }
  return __nla_validate_parse(nla.payload, nla.offset + 4, maxtype, policy, NL_VALIDATE_STRICT, extack);
}, { input: (maxtype, nla) => `type=${nla.type} len=${nla.payload.byteLength} maxtype=${maxtype}` });

/**
 * nlmsg_parse_deprecated(): the family header of `hdrlen` bytes must fit,
 * then the attributes after it are parsed liberally.
 */
export const nlmsg_parse_deprecated = hop('lib/nlattr.c', function nlmsg_parse_deprecated(
  nlh: NlMsg, hdrlen: number, maxtype: number, policy: NlaPolicy | null, extack: NetlinkExtAck | null): NlaParseResult {
  // include/net/netlink.h __nlmsg_parse: nlmsg_len < nlmsg_msg_size(hdrlen) → -EINVAL
  if (nlh.hdr.nlmsg_len < NLMSG_HDRLEN + hdrlen) {
    NL_SET_ERR_MSG(extack, 'Invalid header length');
    return { err: -EINVAL, tb: new Array<NlAttr | undefined>(maxtype + 1).fill(undefined) };
  }
  const start = NLMSG_ALIGN(hdrlen);
  const attrs = nlh.payload.subarray(Math.min(start, nlh.payload.byteLength));
  return __nla_validate_parse(attrs, NLMSG_HDRLEN + start, maxtype, policy, NL_VALIDATE_LIBERAL, extack);
}, { input: (nlh, hdrlen, maxtype) => `type=${nlh.hdr.nlmsg_type} hdrlen=${hdrlen} maxtype=${maxtype}` });

/** nla_strscpy() into a buffer of `size`: the copied string or -E2BIG when truncated. */
export function nla_strscpy(nla: NlAttr, size: number): { err: 0 | NegErrno; value: string } {
  const end = nla.payload.indexOf(0);
  const len = end >= 0 ? end : nla.payload.byteLength;
  const value = Buffer.from(nla.payload.buffer, nla.payload.byteOffset, Math.min(len, size - 1)).toString('latin1');
  // lib/string.c strscpy: -E2BIG when the source does not fit with its NUL.
  return { err: len >= size ? -E2BIG : 0, value };
}

/** nla_strcmp(): 0 when the attribute holds exactly `s`. */
export function nla_strcmp(nla: NlAttr, s: string): number {
  const end = nla.payload.indexOf(0);
  const v = Buffer.from(nla.payload.buffer, nla.payload.byteOffset, end >= 0 ? end : nla.payload.byteLength).toString('latin1');
  return v === s ? 0 : v < s ? -1 : 1;
}
