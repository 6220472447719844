// fl_set_key messages tc itself never lets through (its parser range-checks
// first), sent as raw requests: MPLS entries, ct_state combinations, port
// ranges. Flower parses with a NULL extack for policy errors but hands the
// real extack to fl_set_key, so these come back as "Error: …".
import { describe, expect, it } from 'vitest';
import { start_kernel } from '../../init/main';
import { ack_of, plain_dev, qdisc_req, rtnl_socket, tc_req, transact } from '../../testing/harness';
import * as F from '../../include/uapi/linux/pkt_cls';
import { RTM_NEWTFILTER } from '../../include/uapi/linux/rtnetlink';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../include/uapi/linux/netlink';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import type { NlMsgBuilder } from '../../../netlink/attr';

const ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;

function add(protocol: number, keys: (b: NlMsgBuilder) => void): { err: string; msg?: string } {
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
  return { err: errnoName(ack.error), ...(ack.ext_msg ? { msg: ack.ext_msg } : {}) };
}

const MPLS = 0x8847;

/** TCA_FLOWER_KEY_ENC_OPTS (+ _MASK) holding one geneve option each, as tc/OVS nest them. */
function geneve(key: { cls?: number; type?: number; data: number }, mask: { cls?: number; type?: number; data: number }) {
  const opt = (b: NlMsgBuilder, at: number, o: { cls?: number; type?: number; data: number }): void => {
    const n = b.nestStart(at | 0x8000);
    const g = b.nestStart(F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE | 0x8000);
    if (o.cls !== undefined) b.be16(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS, o.cls);
    if (o.type !== undefined) b.u8(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE, o.type);
    b.attr(F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA, new Uint8Array(o.data).fill(0x11));
    b.nestEnd(g);
    b.nestEnd(n);
  };
  return (b: NlMsgBuilder): void => {
    b.be32(F.TCA_FLOWER_KEY_ENC_KEY_ID, 7);
    opt(b, F.TCA_FLOWER_KEY_ENC_OPTS, key);
    opt(b, F.TCA_FLOWER_KEY_ENC_OPTS_MASK, mask);
  };
}
const IP = 0x0800;

describe('fl_set_key refusals (v6.18)', () => {
  it.each([
    { name: 'mpls_bos 2', proto: MPLS, keys: (b: NlMsgBuilder) => b.u8(F.TCA_FLOWER_KEY_MPLS_BOS, 2),
      want: { err: '-EINVAL', msg: 'Bottom Of Stack (BOS) must be 0 or 1' } },
    { name: 'mpls_tc 8', proto: MPLS, keys: (b: NlMsgBuilder) => b.u8(F.TCA_FLOWER_KEY_MPLS_TC, 8),
      want: { err: '-EINVAL', msg: 'Traffic Class (TC) must be between 0 and 7' } },
    { name: 'mpls_label 2^20', proto: MPLS, keys: (b: NlMsgBuilder) => b.u32(F.TCA_FLOWER_KEY_MPLS_LABEL, 1 << 20),
      want: { err: '-EINVAL', msg: 'Label must be between 0 and 1048575' } },
    { name: 'flat MPLS keys next to MPLS_OPTS', proto: MPLS,
      keys: (b: NlMsgBuilder) => { b.u8(F.TCA_FLOWER_KEY_MPLS_TTL, 1); b.nestEnd(b.nestStart(F.TCA_FLOWER_KEY_MPLS_OPTS | 0x8000)); },
      want: { err: '-EBADMSG', msg: 'MPLS label, Traffic Class, Bottom Of Stack and Time To Live must be encapsulated in the MPLS options attribute' } },
    { name: 'mpls keys on an IPv4 filter are ignored', proto: IP, keys: (b: NlMsgBuilder) => b.u8(F.TCA_FLOWER_KEY_MPLS_BOS, 2),
      want: { err: '0' } },
    { name: 'ct_state +new without +trk', proto: IP,
      keys: (b: NlMsgBuilder) => { b.u16(F.TCA_FLOWER_KEY_CT_STATE, F.TCA_FLOWER_KEY_CT_FLAGS_NEW); b.u16(F.TCA_FLOWER_KEY_CT_STATE_MASK, F.TCA_FLOWER_KEY_CT_FLAGS_NEW); },
      want: { err: '-EINVAL', msg: 'no trk, so no other flag can be set' } },
    { name: 'ct_state +trk+new+est', proto: IP,
      keys: (b: NlMsgBuilder) => { const v = F.TCA_FLOWER_KEY_CT_FLAGS_TRACKED | F.TCA_FLOWER_KEY_CT_FLAGS_NEW | F.TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED; b.u16(F.TCA_FLOWER_KEY_CT_STATE, v); b.u16(F.TCA_FLOWER_KEY_CT_STATE_MASK, v); },
      want: { err: '-EINVAL', msg: 'new and est are mutually exclusive' } },
    { name: 'ip_flags without a mask', proto: IP, keys: (b: NlMsgBuilder) => b.be32(F.TCA_FLOWER_KEY_FLAGS, 1),
      want: { err: '-EINVAL', msg: 'Missing flags mask' } },
    { name: 'dst port range with only a minimum', proto: IP,
      keys: (b: NlMsgBuilder) => { b.u8(F.TCA_FLOWER_KEY_IP_PROTO, 6); b.be16(F.TCA_FLOWER_KEY_PORT_DST_MIN, 10); },
      want: { err: '-EINVAL', msg: 'Both min and max destination ports must be specified' } },
    { name: 'dst port range min = max', proto: IP,
      keys: (b: NlMsgBuilder) => { b.u8(F.TCA_FLOWER_KEY_IP_PROTO, 17); b.be16(F.TCA_FLOWER_KEY_PORT_DST_MIN, 10); b.be16(F.TCA_FLOWER_KEY_PORT_DST_MAX, 10); },
      want: { err: '-EINVAL', msg: 'Invalid destination port range (min must be strictly smaller than max)' } },
    { name: 'geneve option with its mask', proto: IP, keys: geneve({ cls: 0x0102, type: 0x80, data: 4 }, { cls: 0xffff, type: 0xff, data: 4 }),
      want: { err: '0' } },
    { name: 'geneve option data of 3 bytes', proto: IP, keys: geneve({ cls: 0x0102, type: 0x80, data: 3 }, { cls: 0xffff, type: 0xff, data: 3 }),
      want: { err: '-ERANGE', msg: 'Tunnel key geneve option data is less than 4 bytes long' } },
    { name: 'geneve option data of 6 bytes', proto: IP, keys: geneve({ cls: 0x0102, type: 0x80, data: 6 }, { cls: 0xffff, type: 0xff, data: 6 }),
      want: { err: '-ERANGE', msg: 'Tunnel key geneve option data is not a multiple of 4 bytes long' } },
    { name: 'geneve option without its type', proto: IP, keys: geneve({ cls: 0x0102, data: 4 }, { cls: 0xffff, type: 0xff, data: 4 }),
      want: { err: '-EINVAL', msg: 'Missing tunnel key geneve option class, type or data' } },
    { name: 'geneve key and mask of different lengths', proto: IP, keys: geneve({ cls: 0x0102, type: 0x80, data: 8 }, { cls: 0xffff, type: 0xff, data: 4 }),
      want: { err: '-EINVAL', msg: 'Key and mask miss aligned' } },
    { name: 'a u8 key sent as 2 bytes: liberal parse only warns, accepted', proto: IP, keys: (b: NlMsgBuilder) => b.u16(F.TCA_FLOWER_KEY_IP_TTL, 1),
      want: { err: '0' } },
  ])('$name', ({ proto, keys, want }) => {
    expect(add(proto, keys), `fl_change(${want.msg ?? 'ok'})`).toEqual(want);
  });
});
