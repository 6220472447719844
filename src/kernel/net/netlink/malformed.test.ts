// Malformed requests reach the kernel as bytes and are refused the way
// net/netlink/af_netlink.c netlink_rcv_skb, net/core/rtnetlink.c
// rtnetlink_rcv_msg and lib/nlattr.c refuse them: a silent drop, an errno
// in NLMSG_ERROR (with extack where the kernel sets one), or liberal
// acceptance. Never an exception.
import { describe, expect, it } from 'vitest';
import { start_kernel } from '../../init/main';
import { ack_of, plain_dev, qdisc_req, rtnl_socket, tc_req, transact } from '../../testing/harness';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../include/uapi/linux/netlink';
import { RTM_NEWTFILTER } from '../../include/uapi/linux/rtnetlink';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import * as F from '../../include/uapi/linux/pkt_cls';
import { TCA_CHAIN } from '../../include/uapi/linux/pkt_sched';
import { NlMsgBuilder, StructWriter } from '../../../netlink/attr';
import { tc_filters } from '../../query';

const ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;

interface Outcome { replies: number; err?: string; msg?: string; filters: number }

function run(build: (ifindex: number) => Uint8Array): Outcome {
  const k = start_kernel();
  const v0 = plain_dev(k, 'v0').ifindex;
  const s = rtnl_socket(k);
  ack_of(transact(s, qdisc_req(v0, 'ingress')));
  const msgs = transact(s, build(v0));
  const ack = ack_of(msgs);
  return {
    replies: msgs.length, ...(ack ? { err: errnoName(ack.error) } : {}), ...(ack?.ext_msg ? { msg: ack.ext_msg } : {}),
    filters: tc_filters(k.net).length,
  };
}

/** A well-formed flower add with `opts` inside TCA_OPTIONS. */
function flower(ifindex: number, opts: (b: NlMsgBuilder) => void, attrs?: (b: NlMsgBuilder) => void): Uint8Array {
  return tc_req({ type: RTM_NEWTFILTER, flags: ADD, ifindex, prio: 1, protocol: 0x0800, kind: 'flower', options: opts, attrs });
}

const keys = (b: NlMsgBuilder): void => {
  b.be32(F.TCA_FLOWER_KEY_IPV4_DST, 0x0a000001);
  b.u32(F.TCA_FLOWER_FLAGS, 0);
  b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, 0x0800);
};

/** Overwrites the u16 at `off` (little endian), e.g. an nla_len. */
function patch16(m: Uint8Array, off: number, v: number): Uint8Array {
  m[off] = v & 0xff;
  m[off + 1] = v >> 8;
  return m;
}

describe('malformed rtnetlink requests', () => {
  it.each([
    { name: 'tcmsg cut short: nlmsg_parse "Invalid header length"',
      build: (): Uint8Array => {
        const b = new NlMsgBuilder({ nlmsg_type: RTM_NEWTFILTER, nlmsg_flags: ADD, nlmsg_seq: 1, nlmsg_pid: 0 });
        b.put(new Uint8Array(8));
        return b.finish();
      },
      want: { replies: 1, err: '-EINVAL', msg: 'Invalid header length', filters: 0 } },
    { name: 'payload shorter than rtgenmsg: acked as success, nothing done',
      build: (): Uint8Array => new NlMsgBuilder({ nlmsg_type: RTM_NEWTFILTER, nlmsg_flags: ADD, nlmsg_seq: 1, nlmsg_pid: 0 }).finish(),
      want: { replies: 1, err: '0', filters: 0 } },
    { name: 'message type above RTM_MAX: -EOPNOTSUPP',
      build: (i: number): Uint8Array => { const m = flower(i, keys); m[4] = 200; return m; },
      want: { replies: 1, err: '-EOPNOTSUPP', filters: 0 } },
    { name: 'no NLM_F_REQUEST: not handled; acked only because ACK was asked',
      build: (i: number): Uint8Array => { const m = flower(i, keys); m[6] = NLM_F_ACK; return m; },
      want: { replies: 1, err: '0', filters: 0 } },
    { name: 'no NLM_F_REQUEST and no ACK: silence',
      build: (i: number): Uint8Array => { const m = flower(i, keys); m[6] = 0; m[7] = 0; return m; },
      want: { replies: 0, filters: 0 } },
    { name: 'TCA_CHAIN of 2 bytes: policy validation, -ERANGE',
      build: (i: number): Uint8Array => flower(i, keys, (b) => b.attr(TCA_CHAIN, new Uint8Array(2))),
      want: { replies: 1, err: '-ERANGE', msg: 'Attribute failed policy validation', filters: 0 } },
    { name: 'unknown top-level attribute type: ignored (liberal parse)',
      build: (i: number): Uint8Array => flower(i, keys, (b) => b.u32(200, 1)),
      want: { replies: 1, err: '0', filters: 1 } },
    { name: 'attribute inside TCA_OPTIONS with nla_len past the nest: the walk stops, the rest is ignored',
      build: (i: number): Uint8Array => {
        const m = flower(i, (b) => { keys(b); b.u32(F.TCA_FLOWER_CLASSID, 1); });
        // the last attribute (CLASSID, 8 bytes) claims 64
        return patch16(m, m.byteLength - 8, 64);
      },
      want: { replies: 1, err: '0', filters: 1 } },
    { name: 'nla_len below 4 inside TCA_OPTIONS: the walk stops there',
      build: (i: number): Uint8Array => {
        const m = flower(i, (b) => { keys(b); b.u32(F.TCA_FLOWER_CLASSID, 1); });
        return patch16(m, m.byteLength - 8, 2);
      },
      want: { replies: 1, err: '0', filters: 1 } },
    { name: 'action nest without a kind: "TC action kind must be specified"',
      build: (i: number): Uint8Array => flower(i, (b) => {
        const acts = b.nestStart(F.TCA_FLOWER_ACT);
        const a = b.nestStart(1);
        b.u32(F.TCA_ACT_INDEX, 0);
        b.nestEnd(a);
        b.nestEnd(acts);
        keys(b);
      }),
      want: { replies: 1, err: '-EINVAL', msg: 'TC action kind must be specified', filters: 0 } },
    { name: 'action kind not registered: "Failed to load TC action module"',
      build: (i: number): Uint8Array => flower(i, (b) => {
        const acts = b.nestStart(F.TCA_FLOWER_ACT);
        const a = b.nestStart(1);
        b.string(F.TCA_ACT_KIND, 'nat');
        b.nestEnd(a);
        b.nestEnd(acts);
        keys(b);
      }),
      want: { replies: 1, err: '-ENOENT', msg: 'Failed to load TC action module', filters: 0 } },
    { name: 'gact parms shorter than struct tc_gact: -ERANGE, no message',
      build: (i: number): Uint8Array => flower(i, (b) => {
        const acts = b.nestStart(F.TCA_FLOWER_ACT);
        const a = b.nestStart(1);
        b.string(F.TCA_ACT_KIND, 'gact');
        const o = b.nestStart(F.TCA_ACT_OPTIONS | 0x8000);
        b.attr(2 /* TCA_GACT_PARMS */, new StructWriter(12).bytes);
        b.nestEnd(o);
        b.nestEnd(a);
        b.nestEnd(acts);
        keys(b);
      }),
      want: { replies: 1, err: '-ERANGE', filters: 0 } },
    { name: 'ct options without NLA_F_NESTED: strict nested parse refuses',
      build: (i: number): Uint8Array => flower(i, (b) => {
        const acts = b.nestStart(F.TCA_FLOWER_ACT);
        const a = b.nestStart(1);
        b.string(F.TCA_ACT_KIND, 'ct');
        const o = b.nestStart(F.TCA_ACT_OPTIONS);
        b.attr(1 /* TCA_CT_PARMS */, new StructWriter(20).s32(8, F.TC_ACT_PIPE).bytes);
        b.nestEnd(o);
        b.nestEnd(a);
        b.nestEnd(acts);
        keys(b);
      }),
      want: { replies: 1, err: '-EINVAL', msg: 'NLA_F_NESTED is missing', filters: 0 } },
    // Found by the fuzzer: port-range keys are NLA_U16 in fl_policy, so a
    // 1-byte one fails validation instead of being read past its end (flower
    // parses its options without an extack: no message).
    { name: 'port range key of 1 byte: policy validation, -ERANGE, no message',
      build: (i: number): Uint8Array => flower(i, (b) => {
        keys(b);
        b.u8(F.TCA_FLOWER_KEY_IP_PROTO, 6);
        b.attr(F.TCA_FLOWER_KEY_PORT_DST_MIN, new Uint8Array([0x03]));
        b.be16(F.TCA_FLOWER_KEY_PORT_DST_MAX, 2000);
      }),
      want: { replies: 1, err: '-ERANGE', filters: 0 } },
  ])('$name', ({ build, want }) => {
    expect(run(build), 'outcome').toEqual(want);
  });

  it('two messages in one sendmsg: each is answered on its own', () => {
    const out = run((i) => {
      const good = flower(i, keys);
      const bad = flower(i, keys);
      bad[4] = 200;
      const both = new Uint8Array(good.byteLength + bad.byteLength);
      both.set(good, 0);
      both.set(bad, good.byteLength);
      return both;
    });
    expect(out).toEqual({ replies: 2, err: '0', filters: 1 });
  });
});
