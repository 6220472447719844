// TCA_FLOWER_KEY_MPLS_OPTS (several label stack entries) as raw requests:
// fl_set_key_mpls_opts / fl_set_key_mpls_lse refusals that tc's own parser
// would not let through, each with upstream's errno and extack.
import { describe, expect, it } from 'vitest';
import { start_kernel } from '../../init/main';
import { ack_of, plain_dev, qdisc_req, rtnl_socket, tc_req, transact } from '../../testing/harness';
import * as F from '../../include/uapi/linux/pkt_cls';
import { RTM_NEWTFILTER } from '../../include/uapi/linux/rtnetlink';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../include/uapi/linux/netlink';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import { NLA_F_NESTED, type NlMsgBuilder } from '../../../netlink/attr';

const ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;
const MPLS_UC = 0x8847;

interface Lse { depth?: number; ttl?: number; bos?: number; tc?: number; label?: number; type?: number; flat?: boolean }

/** TCA_FLOWER_KEY_MPLS_OPTS holding `lses`, nested as tc nests them unless told otherwise. */
function mpls_opts(lses: Lse[], opts_nested = true): (b: NlMsgBuilder) => void {
  return (b) => {
    const o = b.nestStart(F.TCA_FLOWER_KEY_MPLS_OPTS | (opts_nested ? NLA_F_NESTED : 0));
    for (const l of lses) {
      const e = b.nestStart((l.type ?? F.TCA_FLOWER_KEY_MPLS_OPTS_LSE) | (l.flat ? 0 : NLA_F_NESTED));
      if (l.depth !== undefined) b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH, l.depth);
      if (l.ttl !== undefined) b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL, l.ttl);
      if (l.bos !== undefined) b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS, l.bos);
      if (l.tc !== undefined) b.u8(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_TC, l.tc);
      if (l.label !== undefined) b.u32(F.TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL, l.label);
      b.nestEnd(e);
    }
    b.nestEnd(o);
  };
}

function add(keys: (b: NlMsgBuilder) => void): { err: string; msg?: string } {
  const k = start_kernel();
  const v0 = plain_dev(k, 'v0').ifindex;
  const s = rtnl_socket(k);
  ack_of(transact(s, qdisc_req(v0, 'ingress')));
  const ack = ack_of(transact(s, tc_req({
    type: RTM_NEWTFILTER, flags: ADD, ifindex: v0, prio: 1, protocol: MPLS_UC, kind: 'flower',
    options: (b) => {
      keys(b);
      b.u32(F.TCA_FLOWER_FLAGS, 0);
      b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, MPLS_UC);
    },
  })))!;
  return { err: errnoName(ack.error), ...(ack.ext_msg ? { msg: ack.ext_msg } : {}) };
}

describe('fl_set_key_mpls_opts / fl_set_key_mpls_lse (v6.18)', () => {
  it.each([
    { name: 'two entries', keys: mpls_opts([{ depth: 1, label: 100, tc: 3, bos: 0, ttl: 64 }, { depth: 2, label: 200, bos: 1 }]),
      want: { err: '0' } },
    { name: 'the deepest entry', keys: mpls_opts([{ depth: 7, ttl: 1 }]), want: { err: '0' } },
    { name: 'a repeated depth overwrites', keys: mpls_opts([{ depth: 1, label: 1 }, { depth: 1, label: 2 }]), want: { err: '0' } },
    { name: 'depth 0', keys: mpls_opts([{ depth: 0, label: 1 }]), want: { err: '-EINVAL', msg: 'Invalid MPLS depth' } },
    { name: 'depth 8', keys: mpls_opts([{ depth: 8 }]), want: { err: '-EINVAL', msg: 'Invalid MPLS depth' } },
    { name: 'no depth', keys: mpls_opts([{ label: 1 }]), want: { err: '-EINVAL', msg: 'Missing MPLS option "depth"' } },
    { name: 'an entry of another type', keys: mpls_opts([{ depth: 1, type: 2 }]), want: { err: '-EINVAL', msg: 'Invalid MPLS option type' } },
    { name: 'options without NLA_F_NESTED', keys: mpls_opts([{ depth: 1 }], false), want: { err: '-EINVAL', msg: 'NLA_F_NESTED is missing' } },
    { name: 'an entry without NLA_F_NESTED', keys: mpls_opts([{ depth: 1, flat: true }]), want: { err: '-EINVAL', msg: 'NLA_F_NESTED is missing' } },
    { name: 'bos 2', keys: mpls_opts([{ depth: 2, bos: 2 }]), want: { err: '-EINVAL', msg: 'Bottom Of Stack (BOS) must be 0 or 1' } },
    { name: 'tc 8', keys: mpls_opts([{ depth: 1, tc: 8 }]), want: { err: '-EINVAL', msg: 'Traffic Class (TC) must be between 0 and 7' } },
    { name: 'label 2^20', keys: mpls_opts([{ depth: 3, label: 1 << 20 }]), want: { err: '-EINVAL', msg: 'Label must be between 0 and 1048575' } },
    { name: 'flat label next to the options',
      keys: (b: NlMsgBuilder) => { b.u32(F.TCA_FLOWER_KEY_MPLS_LABEL, 1); mpls_opts([{ depth: 1 }])(b); },
      want: { err: '-EBADMSG', msg: 'MPLS label, Traffic Class, Bottom Of Stack and Time To Live must be encapsulated in the MPLS options attribute' } },
  ])('flower $name → $want.err', ({ keys, want }) => {
    expect(add(keys)).toEqual(want);
  });
});
