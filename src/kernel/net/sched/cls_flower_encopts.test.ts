// fl_set_enc_opt beyond geneve, fl_set_key_pppoe and the l2tpv3 key, as raw
// requests: what tc 6.1 cannot send (mixed option formats, missing fields,
// PFCP, L2TPv3) and what the kernel dumps back, attribute by attribute.
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { start_kernel } from '../../init/main';
import { ack_of, plain_dev, qdisc_req, rtnl_socket, tc_req, transact } from '../../testing/harness';
import * as F from '../../include/uapi/linux/pkt_cls';
import { TCA_OPTIONS } from '../../include/uapi/linux/pkt_sched';
import { RTM_GETTFILTER, RTM_NEWTFILTER } from '../../include/uapi/linux/rtnetlink';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST } from '../../include/uapi/linux/netlink';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import { nla_get_be16, nla_get_be32, nla_get_u32, nla_get_u8, nla_walk, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';

const ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;
const NESTED = 0x8000;
const IP = 0x0800;
const PPP_SES = 0x8864;

interface Outcome { err: string; msg?: string; opts?: NlAttr[] }

/** Adds one flower filter on a veth-like device; on success returns the TCA_OPTIONS of its dump. */
function add(protocol: number, keys: (b: NlMsgBuilder) => void): Outcome {
  const k = start_kernel();
  const v0 = plain_dev(k, 'v0').ifindex;
  const s = rtnl_socket(k);
  ack_of(transact(s, qdisc_req(v0, 'ingress')));
  const ack = ack_of(transact(s, tc_req({
    type: RTM_NEWTFILTER, flags: ADD, ifindex: v0, prio: 1, protocol, kind: 'flower',
    options: (b) => {
      keys(b);
      b.u32(F.TCA_FLOWER_FLAGS, 0);
      b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, protocol);
    },
  })))!;
  const out: Outcome = { err: errnoName(ack.error), ...(ack.ext_msg ? { msg: ack.ext_msg } : {}) };
  if (ack.error) return out;
  const msgs = transact(s, tc_req({ type: RTM_GETTFILTER, flags: NLM_F_REQUEST | NLM_F_DUMP, ifindex: v0 }));
  // the first message of a dump names the classifier only; the filter's carries TCA_OPTIONS
  const opts = msgs.filter((m) => m.hdr.nlmsg_type === RTM_NEWTFILTER)
    .map((m) => nla_walk(m.payload.subarray(20)).attrs.find((a) => a.type === TCA_OPTIONS)) // after struct tcmsg
    .find((a) => a !== undefined)!;
  return { ...out, opts: nla_walk(opts.payload).attrs };
}

const attr = (attrs: NlAttr[] | undefined, type: number): NlAttr | undefined => attrs?.find((a) => a.type === type);
const inner = (a: NlAttr | undefined): NlAttr[] => (a ? nla_walk(a.payload).attrs : []);

type Opt = (b: NlMsgBuilder) => void;
const vxlan = (gbp?: number, flags = NESTED): Opt => (b) => {
  const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN | flags);
  if (gbp !== undefined) b.u32(F.TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP, gbp);
  b.nestEnd(n);
};
const erspan = (o: { ver?: number; index?: number; dir?: number; hwid?: number }): Opt => (b) => {
  const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_ERSPAN | NESTED);
  if (o.ver !== undefined) b.u8(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER, o.ver);
  if (o.index !== undefined) b.be32(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX, o.index);
  if (o.dir !== undefined) b.u8(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR, o.dir);
  if (o.hwid !== undefined) b.u8(F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID, o.hwid);
  b.nestEnd(n);
};
const gtp = (o: { pdu_type?: number; qfi?: number }): Opt => (b) => {
  const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_GTP | NESTED);
  if (o.pdu_type !== undefined) b.u8(F.TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE, o.pdu_type);
  if (o.qfi !== undefined) b.u8(F.TCA_FLOWER_KEY_ENC_OPT_GTP_QFI, o.qfi);
  b.nestEnd(n);
};
const pfcp = (type?: number, seid?: bigint): Opt => (b) => {
  const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_PFCP | NESTED);
  if (type !== undefined) b.u8(F.TCA_FLOWER_KEY_ENC_OPT_PFCP_TYPE, type);
  if (seid !== undefined) b.u64(F.TCA_FLOWER_KEY_ENC_OPT_PFCP_SEID, seid);
  b.nestEnd(n);
};
const geneve = (b: NlMsgBuilder): void => {
  const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE);
  b.be16(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS, 0x0102);
  b.u8(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE, 0x80);
  b.attr(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA, new Uint8Array(4).fill(0x11));
  b.nestEnd(n);
};

/** TCA_FLOWER_KEY_ENC_OPTS with these options, and _MASK with those (left out when null). */
function enc(key: Opt[], mask: Opt[] | null): Opt {
  return (b) => {
    b.be32(F.TCA_FLOWER_KEY_ENC_IPV4_DST, 0x0a010101);
    let n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS | NESTED);
    for (const o of key) o(b);
    b.nestEnd(n);
    if (!mask) return;
    n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_MASK | NESTED);
    for (const o of mask) o(b);
    b.nestEnd(n);
  };
}

describe('fl_set_enc_opt: vxlan, erspan, gtp, pfcp (v6.18)', () => {
  it.each([
    { name: 'vxlan after geneve', keys: enc([geneve, vxlan(1)], null), want: { err: '-EINVAL', msg: 'Duplicate type for vxlan options' } },
    { name: 'geneve after vxlan', keys: enc([vxlan(1), geneve], null), want: { err: '-EINVAL', msg: 'Duplicate type for geneve options' } },
    { name: 'two vxlan options', keys: enc([vxlan(1), vxlan(2)], null), want: { err: '-EINVAL', msg: 'Duplicate type for vxlan options' } },
    { name: 'erspan after gtp', keys: enc([gtp({ pdu_type: 1, qfi: 2 }), erspan({ ver: 1, index: 3 })], null),
      want: { err: '-EINVAL', msg: 'Duplicate type for erspan options' } },
    { name: 'gtp after erspan (module-prefixed)', keys: enc([erspan({ ver: 1, index: 3 }), gtp({ pdu_type: 1, qfi: 2 })], null),
      want: { err: '-EINVAL', msg: 'cls_flower: Duplicate type for gtp options' } },
    { name: 'vxlan key without gbp', keys: enc([vxlan()], null), want: { err: '-EINVAL', msg: 'Missing tunnel key vxlan option gbp' } },
    { name: 'vxlan option without NLA_F_NESTED (strict nest)', keys: enc([vxlan(1, 0)], null),
      want: { err: '-EINVAL', msg: 'NLA_F_NESTED is missing' } },
    { name: 'vxlan key with a gtp mask', keys: enc([vxlan(1)], [gtp({ pdu_type: 1 })]),
      want: { err: '-EINVAL', msg: 'Non-vxlan option type for mask' } },
    { name: 'gtp key with a vxlan mask', keys: enc([gtp({ pdu_type: 1, qfi: 2 })], [vxlan(1)]),
      want: { err: '-EINVAL', msg: 'cls_flower: Non-gtp option type for mask' } },
    { name: 'erspan key without ver', keys: enc([erspan({ index: 1 })], null), want: { err: '-EINVAL', msg: 'Missing tunnel key erspan option ver' } },
    { name: 'erspan v2 key without dir', keys: enc([erspan({ ver: 2, hwid: 1 })], null),
      want: { err: '-EINVAL', msg: 'Missing tunnel key erspan option dir or hwid' } },
    { name: 'erspan mask with version 3', keys: enc([erspan({ ver: 1, index: 1 })], [erspan({ ver: 3 })]),
      want: { err: '-EINVAL', msg: 'Tunnel key erspan option ver is incorrect' } },
    { name: 'erspan mask may leave the index out', keys: enc([erspan({ ver: 1, index: 1 })], [erspan({ ver: 1 })]), want: { err: '0' } },
    { name: 'gtp key without qfi', keys: enc([gtp({ pdu_type: 1 })], null),
      want: { err: '-EINVAL', msg: 'cls_flower: Missing tunnel key gtp option pdu type or qfi' } },
    { name: 'pfcp key without type', keys: enc([pfcp(undefined, 5n)], null),
      want: { err: '-EINVAL', msg: 'cls_flower: Missing tunnel key pfcp option type' } },
    { name: 'an option type past ENC_OPTS_MAX', keys: enc([(b) => b.nestEnd(b.nestStart(6 | NESTED))], null),
      want: { err: '-EINVAL', msg: 'Unknown tunnel option type' } },
    { name: 'an empty mask nest', keys: enc([vxlan(1)], []), want: { err: '-EINVAL', msg: 'Invalid nested attribute for masks' } },
    { name: 'a 2-byte GBP (strict nest: exact lengths)',
      keys: enc([(b: NlMsgBuilder) => { const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN | NESTED); b.u16(F.TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP, 1); b.nestEnd(n); }], null),
      want: { err: '-EINVAL', msg: 'invalid attribute length' } },
    { name: 'an unknown field in a gtp nest (strict nest)',
      keys: enc([(b: NlMsgBuilder) => { const n = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_GTP | NESTED); b.u8(3, 1); b.nestEnd(n); }], null),
      want: { err: '-EINVAL', msg: 'Unknown attribute type' } },
  ])('$name', ({ keys, want }) => {
    const { opts: _o, ...got } = add(IP, keys);
    expect(got, `fl_change(${want.msg ?? 'ok'})`).toEqual(want);
  });

  it('dumps a vxlan GBP with only its defined bits, the missing mask as all ones (VXLAN_GBP_MASK)', () => {
    const r = add(IP, enc([vxlan(0xffffffff)], null));
    expect(r.err).toBe('0');
    const k = inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS));
    const m = inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS_MASK));
    expect(k.map((a) => a.type)).toEqual([F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN]);
    expect(nla_get_u32(inner(k[0])[0]!).toString(16)).toBe('48ffff');
    expect(nla_get_u32(inner(m[0])[0]!).toString(16)).toBe('ffffffff');
  });

  it('dumps erspan v2 as version, dir and hwid (6 bits), no index', () => {
    const r = add(IP, enc([erspan({ ver: 2, index: 9, dir: 1, hwid: 0x25 })], [erspan({ ver: 2, dir: 1, hwid: 0xff })]));
    expect(r.err).toBe('0');
    const k = inner(inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS))[0]);
    const m = inner(inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS_MASK))[0]);
    const view = (x: NlAttr[]): Record<number, number> => Object.fromEntries(x.map((a) => [a.type, nla_get_u8(a)]));
    expect(k.map((a) => a.type)).toEqual([F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER, F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR, F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID]);
    expect(view(k)).toEqual({ 1: 2, 3: 1, 4: 0x25 });
    expect(view(m)).toEqual({ 1: 2, 3: 1, 4: 0x3f });
  });

  it('dumps erspan v1 with its index in network order', () => {
    const r = add(IP, enc([erspan({ ver: 1, index: 0x01020304 })], null));
    const k = inner(inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS))[0]);
    expect(nla_get_be32(attr(k, F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX)!)).toBe(0x01020304);
    // no mask nest: version 1 and nothing else, so the index is not matched (upstream's default)
    const m = inner(inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS_MASK))[0]);
    expect(nla_get_be32(attr(m, F.TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX)!)).toBe(0);
  });

  it('accepts and dumps a pfcp option (type, be64 seid)', () => {
    const r = add(IP, enc([pfcp(1, 0x1122334455667788n)], null));
    expect(r.err).toBe('0');
    const k = inner(inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS))[0]);
    expect(nla_get_u8(attr(k, F.TCA_FLOWER_KEY_ENC_OPT_PFCP_TYPE)!)).toBe(1);
    expect(Buffer.from(attr(k, F.TCA_FLOWER_KEY_ENC_OPT_PFCP_SEID)!.payload).toString('hex')).toBe('8877665544332211');
  });

  it('dumps several geneve records in one GENEVE nest', () => {
    const r = add(IP, enc([geneve, geneve], null));
    expect(r.err).toBe('0');
    const k = inner(attr(r.opts, F.TCA_FLOWER_KEY_ENC_OPTS));
    expect(k.map((a) => a.type)).toEqual([F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE]);
    expect(inner(k[0]).map((a) => a.type)).toEqual([1, 2, 3, 1, 2, 3]);
  });
});

describe('fl_set_key_pppoe and the l2tpv3 key (v6.18)', () => {
  it('a known ppp_proto becomes the ethertype, and the IP keys follow it', () => {
    const r = add(PPP_SES, (b) => {
      b.be16(F.TCA_FLOWER_KEY_PPPOE_SID, 1234);
      b.be16(F.TCA_FLOWER_KEY_PPP_PROTO, 0x21);
      b.u8(F.TCA_FLOWER_KEY_IP_PROTO, 17);
    });
    expect(r.err).toBe('0');
    expect(nla_get_be16(attr(r.opts, F.TCA_FLOWER_KEY_ETH_TYPE)!).toString(16)).toBe('800');
    expect(nla_get_be16(attr(r.opts, F.TCA_FLOWER_KEY_PPPOE_SID)!)).toBe(1234);
    expect(nla_get_be16(attr(r.opts, F.TCA_FLOWER_KEY_PPP_PROTO)!)).toBe(0x21);
    expect(nla_get_u8(attr(r.opts, F.TCA_FLOWER_KEY_IP_PROTO)!)).toBe(17);
  });

  it('pppoe keys are ignored on a non-PPPoE filter', () => {
    const r = add(IP, (b) => b.be16(F.TCA_FLOWER_KEY_PPPOE_SID, 5));
    expect(r.err).toBe('0');
    expect(attr(r.opts, F.TCA_FLOWER_KEY_PPPOE_SID)).toBeUndefined();
  });

  it('a session id alone clears the ethertype', () => {
    const r = add(PPP_SES, (b) => b.be16(F.TCA_FLOWER_KEY_PPPOE_SID, 7));
    expect(attr(r.opts, F.TCA_FLOWER_KEY_ETH_TYPE)).toBeUndefined();
    expect(attr(r.opts, F.TCA_FLOWER_KEY_PPP_PROTO)).toBeUndefined();
  });

  it.each([
    { name: 'ip_proto l2tp (115): matched and dumped', ip_proto: 115, dumped: true },
    { name: 'ip_proto tcp: the session id is not read', ip_proto: 6, dumped: false },
  ])('l2tpv3_sid with $name', ({ ip_proto, dumped }) => {
    const r = add(IP, (b) => {
      b.u8(F.TCA_FLOWER_KEY_IP_PROTO, ip_proto);
      b.be32(F.TCA_FLOWER_KEY_L2TPV3_SID, 0xabcd);
    });
    expect(r.err).toBe('0');
    const a = attr(r.opts, F.TCA_FLOWER_KEY_L2TPV3_SID);
    expect(a ? nla_get_be32(a) : null).toBe(dumped ? 0xabcd : null);
  });
});

describe('fl_set_enc_opt on arbitrary option nests', () => {
  // Any mix of option types, fields and lengths: an errno or success, never an emulator exception.
  const field = fc.record({ type: fc.integer({ min: 0, max: 6 }), len: fc.integer({ min: 0, max: 12 }), byte: fc.integer({ min: 0, max: 255 }) });
  const option = fc.record({ type: fc.integer({ min: 0, max: 6 }), nested: fc.boolean(), fields: fc.array(field, { maxLength: 5 }) });
  const put = (b: NlMsgBuilder, o: { type: number; nested: boolean; fields: Array<{ type: number; len: number; byte: number }> }): void => {
    const n = b.nestStart(o.type | (o.nested ? NESTED : 0));
    for (const f of o.fields) b.attr(f.type, new Uint8Array(f.len).fill(f.byte));
    b.nestEnd(n);
  };
  it('never throws', () => {
    fc.assert(fc.property(fc.array(option, { minLength: 1, maxLength: 4 }), fc.option(fc.array(option, { maxLength: 4 })), (key, mask) => {
      const r = add(IP, enc(key.map((o) => (b: NlMsgBuilder) => put(b, o)), mask === null ? null : mask.map((o) => (b: NlMsgBuilder) => put(b, o))));
      expect(r.err === '0' || r.err.startsWith('-E'), `fl_change: ${r.err}`).toBe(true);
    }), { seed: 4, numRuns: 300 });
  });
});

describe('fl_set_key_flags for the tunnel header (TCA_FLOWER_KEY_ENC_FLAGS, v6.18)', () => {
  const DF_CSUM = F.TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT | F.TCA_FLOWER_KEY_FLAGS_TUNNEL_CSUM;
  it('keeps csum/df/oam/crit_opt in enc_control.flags and dumps them back after the hash', () => {
    const r = add(IP, (b) => {
      b.be32(F.TCA_FLOWER_KEY_ENC_IPV4_DST, 0x0a010101);
      b.be32(F.TCA_FLOWER_KEY_ENC_FLAGS, F.TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT);
      b.be32(F.TCA_FLOWER_KEY_ENC_FLAGS_MASK, DF_CSUM);
    });
    expect(r.err).toBe('0');
    expect(nla_get_be32(attr(r.opts, F.TCA_FLOWER_KEY_ENC_FLAGS)!)).toBe(F.TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT);
    expect(nla_get_be32(attr(r.opts, F.TCA_FLOWER_KEY_ENC_FLAGS_MASK)!)).toBe(DF_CSUM);
    expect(r.opts!.map((a) => a.type).indexOf(F.TCA_FLOWER_KEY_ENC_FLAGS)).toBeGreaterThan(r.opts!.map((a) => a.type).indexOf(F.TCA_FLOWER_KEY_ENC_IPV4_DST));
  });
  it.each([
    { name: 'without its mask', keys: (b: NlMsgBuilder) => b.be32(F.TCA_FLOWER_KEY_ENC_FLAGS, DF_CSUM), want: { err: '-EINVAL', msg: 'Missing flags mask' } },
    { name: 'with a fragment bit (outside the ENC_FLAGS policy mask)',
      keys: (b: NlMsgBuilder) => { b.be32(F.TCA_FLOWER_KEY_ENC_FLAGS, F.TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT); b.be32(F.TCA_FLOWER_KEY_ENC_FLAGS_MASK, 1); },
      want: { err: '-EINVAL' } },
  ])('refused $name', ({ keys, want }) => {
    const { opts: _o, ...got } = add(IP, keys);
    expect(got, 'fl_change(enc flags)').toEqual(want);
  });
});
