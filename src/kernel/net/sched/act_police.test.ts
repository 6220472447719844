// tcf_police_init checks tc 6.1 never lets through (its parser refuses the
// combination first) and the estimator a filter's TCA_RATE gives every
// action, as raw requests: a flower filter with one police action.
import { describe, expect, it } from 'vitest';
import { start_kernel } from '../../init/main';
import { ack_of, plain_dev, qdisc_req, rtnl_socket, tc_req, transact } from '../../testing/harness';
import * as F from '../../include/uapi/linux/pkt_cls';
import { TCA_RATE } from '../../include/uapi/linux/pkt_sched';
import {
  TCA_POLICE_AVRATE, TCA_POLICE_PKTBURST64, TCA_POLICE_RATE, TCA_POLICE_PKTRATE64, TCA_POLICE_RESULT, TCA_POLICE_TBF, TC_POLICE_LEN,
} from '../../include/uapi/linux/tc_act/tc_police';
import { RTM_NEWTFILTER } from '../../include/uapi/linux/rtnetlink';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../include/uapi/linux/netlink';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import { StructWriter, type NlMsgBuilder } from '../../../netlink/attr';

const ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;
const TC_ACT_SHOT = 2;
const TC_ACT_GOTO_CHAIN = 0x20000000;

interface Police { rtab?: boolean; rate?: number; avrate?: number; pps?: bigint; ppsburst?: bigint; result?: number }

/** A filter with one police action (struct tc_police with `rate`, no rate table) and an optional TCA_RATE. */
function add(p: Police, est?: Uint8Array): { err: string; msg?: string } {
  const k = start_kernel();
  const v0 = plain_dev(k, 'v0').ifindex;
  const s = rtnl_socket(k);
  ack_of(transact(s, qdisc_req(v0, 'ingress')));
  const police = (b: NlMsgBuilder): void => {
    // struct tc_police: index, action, limit, burst, mtu, rate (tc_ratespec @20), peakrate @32, refcnt, bindcnt
    const tbf = new StructWriter(TC_POLICE_LEN).s32(4, TC_ACT_SHOT).u32(28, p.rate ?? 0);
    if (p.rtab) tbf.u8(20, 3); // rate.cell_log, so qdisc_get_rtab takes the table
    b.attr(TCA_POLICE_TBF, tbf.bytes);
    if (p.rtab) b.attr(TCA_POLICE_RATE, new Uint8Array(1024));
    if (p.avrate !== undefined) b.u32(TCA_POLICE_AVRATE, p.avrate);
    if (p.result !== undefined) b.u32(TCA_POLICE_RESULT, p.result);
    if (p.pps !== undefined) b.u64(TCA_POLICE_PKTRATE64, p.pps);
    if (p.ppsburst !== undefined) b.u64(TCA_POLICE_PKTBURST64, p.ppsburst);
  };
  const ack = ack_of(transact(s, tc_req({
    type: RTM_NEWTFILTER, flags: ADD, ifindex: v0, prio: 1, protocol: 0x0800, kind: 'flower',
    options: (b) => {
      const acts = b.nestStart(F.TCA_FLOWER_ACT);
      const a = b.nestStart(1);
      b.string(F.TCA_ACT_KIND, 'police');
      const o = b.nestStart(F.TCA_ACT_OPTIONS);
      police(b);
      b.nestEnd(o);
      b.nestEnd(a);
      b.nestEnd(acts);
      b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, 0x0800);
    },
    attrs: (b) => { if (est) b.attr(TCA_RATE, est); },
  })))!;
  return { err: errnoName(ack.error), ...(ack.ext_msg ? { msg: ack.ext_msg } : {}) };
}

// struct tc_estimator: signed char interval, unsigned char ewma_log
const est = (interval: number, ewma_log: number): Uint8Array => Uint8Array.of(interval & 0xff, ewma_log);

describe('tcf_police_init (v6.18)', () => {
  it.each([
    { name: 'avrate without an estimator', p: { avrate: 125000 }, want: { err: '-EINVAL' } },
    { name: 'avrate with the filter estimator (1s, ewma 3)', p: { avrate: 125000 }, e: est(0, 3), want: { err: '0' } },
    { name: 'estimator interval 4 (16 s) is out of range', p: { avrate: 125000 }, e: est(4, 3), want: { err: '-EINVAL' } },
    { name: 'estimator interval -3 is out of range', p: { avrate: 125000 }, e: est(-3, 3), want: { err: '-EINVAL' } },
    { name: 'estimator ewma_log 0', p: { avrate: 125000 }, e: est(0, 0), want: { err: '-EINVAL' } },
    { name: 'estimator ewma_log 31', p: {}, e: est(0, 31), want: { err: '-EINVAL' } },
    { name: 'a one-byte estimator', p: {}, e: Uint8Array.of(0), want: { err: '-EINVAL' } },
    { name: 'an estimator without avrate is fine', p: {}, e: est(-2, 1), want: { err: '0' } },
    { name: 'packet rate without its burst', p: { pps: 1000n },
      want: { err: '-EINVAL', msg: 'Both or neither packet-per-second burst and rate must be provided' } },
    { name: 'packet burst without its rate', p: { ppsburst: 1000n },
      want: { err: '-EINVAL', msg: 'Both or neither packet-per-second burst and rate must be provided' } },
    { name: 'goto chain as the conform verdict', p: { result: TC_ACT_GOTO_CHAIN | 1 },
      want: { err: '-EINVAL', msg: 'goto chain not allowed on fallback' } },
    { name: 'packet rate and burst', p: { pps: 1000n, ppsburst: 1000n }, want: { err: '0' } },
    { name: 'byte rate and packet rate together', p: { rtab: true, rate: 125000, pps: 1000n, ppsburst: 1000n },
      want: { err: '-EINVAL', msg: 'packet-per-second and byte-per-second rate limits not allowed in same action' } },
    { name: 'a rate without its table', p: { rate: 125000 }, want: { err: '-ENOMEM' } },
  ])('$name', ({ p, e, want }) => {
    expect(add(p, e), `tcf_police_init(${JSON.stringify(p, (_k, v) => (typeof v === 'bigint' ? String(v) : v))})`).toEqual(want);
  });
});
