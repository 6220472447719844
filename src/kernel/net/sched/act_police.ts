// net/sched/act_police.c: a token-bucket policer (byte or packet rate) whose
// exceed verdict is the action's control and conform verdict TCA_POLICE_RESULT;
// offloaded as FLOW_ACTION_POLICE when both verdicts map to flow actions.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG, NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_POLICE, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry, FlowActionId } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, ENOMEM, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import {
  TCA_ACT_FLAGS_BIND, TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_JUMP, TC_ACT_OK, TC_ACT_PIPE, TC_ACT_RECLASSIFY, TC_ACT_SHOT,
} from '../../include/uapi/linux/pkt_cls';
import {
  TCA_POLICE_AVRATE, TCA_POLICE_MAX, TCA_POLICE_PEAKRATE, TCA_POLICE_PEAKRATE64, TCA_POLICE_PKTBURST64,
  TCA_POLICE_PKTRATE64, TCA_POLICE_RATE, TCA_POLICE_RATE64, TCA_POLICE_RESULT, TCA_POLICE_TBF, TCA_POLICE_TM,
  TC_LINKLAYER_MASK, TC_POLICE_LEN,
} from '../../include/uapi/linux/tc_act/tc_police';
import { StructReader, StructWriter, nla_get_u32, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { NLA_U32, nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_check_ctrlact, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc, tcf_idr_create_or_replace,
  tcf_idr_release, tcf_register_action, tcf_tm_put,
} from './act_api';
import { tcf_chain_put_by_act } from './cls_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const MODNAME = 'act_police';
const TC_RTAB_SIZE = 1024;
/** struct tc_police_compat (no peakrate cell fields): 48 bytes */
const TC_POLICE_COMPAT_LEN = 48;
/** PSCHED_SHIFT: one psched tick is 64 ns */
const PSCHED_SHIFT = 6;
const NSEC_PER_SEC = 1e9;
/** TC_ACT_UNSPEC: "continue" */
const TC_ACT_UNSPEC = -1;

// Decisions counted by the hop coverage report.
const police_exceed_maps = declareBranch('net/sched/act_police.c', 'tcf_police_offload_act_setup', 'exceed maps to a flow action');
const police_conform_maps = declareBranch('net/sched/act_police.c', 'tcf_police_offload_act_setup', 'conform maps to a flow action');

/** struct tc_ratespec as kept by the kernel (psched_ratecfg) */
interface RateCfg { rate_bytes_ps: number; overhead: number; mpu: number; linklayer: number }

/** struct tcf_police_params */
export interface TcfPoliceParams {
  tcfp_result: number;
  tcfp_ewma_rate: number;
  tcfp_burst: number;
  tcfp_mtu: number;
  rate_present: boolean;
  rate: RateCfg;
  peak_present: boolean;
  peak: RateCfg;
  pps_present: boolean;
  tcfp_pkt_burst: number;
  ppsrate: number;
  /** police->tcf_rate_est: the estimator the filter's TCA_RATE set up (kept across replaces). */
  rate_est: GnetEstimator | null;
}

/** struct gnet_estimator (tc_estimator): log2 of the interval in seconds, and of the EWMA weight. */
export interface GnetEstimator { interval: number; ewma_log: number }

const police_estimator = declareBranch('net/sched/act_police.c', 'tcf_police_init', 'estimator given');

/**
 * net/core/gen_estimator.c gen_new_estimator (v6.18): the two bytes of
 * struct gnet_estimator, an interval of 250 ms to 8 s and a weight 1..30.
 */
function gen_new_estimator(opt: NlAttr): { err: 0 | NegErrno; est: GnetEstimator | null } {
  if (opt.payload.byteLength < 2) return { err: -EINVAL, est: null };
  const interval = (opt.payload[0]! << 24) >> 24; // signed char
  const ewma_log = opt.payload[1]!;
  if (interval < -2 || interval > 3) return { err: -EINVAL, est: null };
  if (ewma_log === 0 || ewma_log >= 31) return { err: -EINVAL, est: null };
  return { err: 0, est: { interval, ewma_log } };
}

// net/sched/act_police.c police_policy (v6.18); the u64 attributes are length-checked
const police_policy: NlaPolicy = {
  [TCA_POLICE_RATE]: { len: TC_RTAB_SIZE },
  [TCA_POLICE_PEAKRATE]: { len: TC_RTAB_SIZE },
  [TCA_POLICE_AVRATE]: { type: NLA_U32 },
  [TCA_POLICE_RESULT]: { type: NLA_U32 },
  [TCA_POLICE_RATE64]: { len: 8 },
  [TCA_POLICE_PEAKRATE64]: { len: 8 },
  [TCA_POLICE_PKTRATE64]: { len: 8 },
  [TCA_POLICE_PKTBURST64]: { len: 8 },
};

function u64(a: NlAttr): number {
  return Number(new StructReader(a.payload).u64(0));
}

/** qdisc_get_rtab (net/sched/sch_api.c): the rate table must match the ratespec. */
function qdisc_get_rtab_ok(r: StructReader, off: number, tab: NlAttr | undefined): boolean {
  const cell_log = r.u8(off);
  return !!tab && r.u32(off + 8) !== 0 && cell_log !== 0 && cell_log < 32 && tab.payload.byteLength === TC_RTAB_SIZE;
}

function ratecfg(r: StructReader, off: number, rate64: NlAttr | undefined): RateCfg {
  return {
    rate_bytes_ps: rate64 ? u64(rate64) : r.u32(off + 8), overhead: r.u16(off + 2), mpu: r.u16(off + 6),
    linklayer: r.u8(off + 1) & TC_LINKLAYER_MASK,
  };
}

/** tcf_police_init (v6.18) */
export const tcf_police_init = hop('net/sched/act_police.c', function tcf_police_init(net: Net, nla: NlAttr | undefined,
  tp: TcfProto | null, flags: number, extack: NetlinkExtAck | null, est?: NlAttr): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) return { err: -EINVAL, a: null };
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_POLICE_MAX, nla, police_policy, null);
  if (perr < 0) return { err: perr, a: null };
  const tbf = tb[TCA_POLICE_TBF];
  if (!tbf) return { err: -EINVAL, a: null };
  const size = tbf.payload.byteLength;
  if (size !== TC_POLICE_LEN && size !== TC_POLICE_COMPAT_LEN) return { err: -EINVAL, a: null };
  const parm = new StructReader(tbf.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_police_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const c = tcf_idr_create_or_replace(net, act_police_ops, exists, index, flags, null);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const a = c.a;
  const action = parm.s32(4);
  const ctrl = tcf_action_check_ctrlact(action, tp, extack);
  const release = (err: NegErrno): TcActionInitResult => {
    if (ctrl.goto_chain) tcf_chain_put_by_act(ctrl.goto_chain);
    if (c.created) tcf_idr_release(net, a, bind);
    return { err, a: null };
  };
  if (ctrl.err < 0) {
    if (c.created) tcf_idr_release(net, a, bind);
    return { err: ctrl.err, a: null };
  }
  // struct tc_police: rate @20, peakrate @32 (struct tc_ratespec, 12 bytes each)
  let r_tab = false;
  if (parm.u32(28)) {
    if (!qdisc_get_rtab_ok(parm, 20, tb[TCA_POLICE_RATE])) return release(-ENOMEM);
    r_tab = true;
    if (size === TC_POLICE_LEN && parm.u32(40) && !qdisc_get_rtab_ok(parm, 32, tb[TCA_POLICE_PEAKRATE])) return release(-ENOMEM);
  }
  // act_police.c tcf_police_init (v6.18): avrate compares against the rate
  // estimator, so it needs one: given now, or still running on the action
  const old_est = c.created ? null : ((a.priv as TcfPoliceParams | undefined)?.rate_est ?? null);
  let rate_est = old_est;
  if (police_estimator(!!est)) {
    const g = gen_new_estimator(est!);
    if (g.err) return release(g.err);
    rate_est = g.est;
  } else if (tb[TCA_POLICE_AVRATE] && (c.created || !old_est)) {
    return release(-EINVAL);
  }
  let tcfp_result = 0;
  if (tb[TCA_POLICE_RESULT]) {
    tcfp_result = nla_get_u32(tb[TCA_POLICE_RESULT]!);
    if (((tcfp_result & ~TC_ACT_EXT_VAL_MASK) >>> 0) === (TC_ACT_GOTO_CHAIN >>> 0)) {
      NL_SET_ERR_MSG(extack, 'goto chain not allowed on fallback');
      return release(-EINVAL);
    }
  }
  if (!!tb[TCA_POLICE_PKTRATE64] !== !!tb[TCA_POLICE_PKTBURST64]) {
    NL_SET_ERR_MSG(extack, 'Both or neither packet-per-second burst and rate must be provided');
    return release(-EINVAL);
  }
  if (tb[TCA_POLICE_PKTRATE64] && r_tab) {
    NL_SET_ERR_MSG(extack, 'packet-per-second and byte-per-second rate limits not allowed in same action');
    return release(-EINVAL);
  }
  const cell_log = parm.u8(20);
  let mtu = parm.u32(16);
  // act_police.c tcf_police_init: an unset mtu defaults from the rate table's cell size
  if (!mtu) mtu = r_tab ? (255 << cell_log) >>> 0 : 0xffffffff;
  const p: TcfPoliceParams = {
    tcfp_result, tcfp_ewma_rate: tb[TCA_POLICE_AVRATE] ? nla_get_u32(tb[TCA_POLICE_AVRATE]!) : 0,
    tcfp_burst: parm.u32(12) * (1 << PSCHED_SHIFT), tcfp_mtu: mtu,
    rate_present: r_tab, rate: ratecfg(parm, 20, tb[TCA_POLICE_RATE64]),
    peak_present: r_tab && size === TC_POLICE_LEN && parm.u32(40) !== 0, peak: ratecfg(parm, 32, tb[TCA_POLICE_PEAKRATE64]),
    pps_present: !!tb[TCA_POLICE_PKTRATE64],
    ppsrate: tb[TCA_POLICE_PKTRATE64] ? u64(tb[TCA_POLICE_PKTRATE64]!) : 0,
    tcfp_pkt_burst: tb[TCA_POLICE_PKTBURST64] ? u64(tb[TCA_POLICE_PKTBURST64]!) * (1 << PSCHED_SHIFT) : 0,
    rate_est,
  };
  if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
  a.tcfa_action = action;
  a.goto_chain = ctrl.goto_chain;
  a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_police_dump (v6.18): struct tc_police with the rates as configured (psched_ratecfg_getrate). */
function tcf_police_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfPoliceParams;
  const w = new StructWriter(TC_POLICE_LEN).u32(0, a.tcfa_index).s32(4, a.tcfa_action)
    .u32(12, Math.floor(p.tcfp_burst / (1 << PSCHED_SHIFT))).u32(16, p.tcfp_mtu)
    .s32(44, a.tcfa_refcnt - ref).s32(48, a.tcfa_bindcnt - bind);
  const rate = (off: number, r: RateCfg): void => {
    w.u8(off + 1, r.linklayer).u16(off + 2, r.overhead).u16(off + 6, r.mpu).u32(off + 8, Math.min(r.rate_bytes_ps, 0xffffffff));
  };
  if (p.rate_present) {
    rate(20, p.rate);
    if (p.rate.rate_bytes_ps >= 2 ** 32) b.attr(TCA_POLICE_RATE64, new StructWriter(8).u64(0, BigInt(p.rate.rate_bytes_ps)).bytes);
  }
  if (p.peak_present) {
    rate(32, p.peak);
    if (p.peak.rate_bytes_ps >= 2 ** 32) b.attr(TCA_POLICE_PEAKRATE64, new StructWriter(8).u64(0, BigInt(p.peak.rate_bytes_ps)).bytes);
  }
  if (p.pps_present) {
    b.attr(TCA_POLICE_PKTRATE64, new StructWriter(8).u64(0, BigInt(p.ppsrate)).bytes);
    b.attr(TCA_POLICE_PKTBURST64, new StructWriter(8).u64(0, BigInt(Math.floor(p.tcfp_pkt_burst / (1 << PSCHED_SHIFT)))).bytes);
  }
  b.attr(TCA_POLICE_TBF, w.bytes);
  if (p.tcfp_result) b.u32(TCA_POLICE_RESULT, p.tcfp_result);
  if (p.tcfp_ewma_rate) b.u32(TCA_POLICE_AVRATE, p.tcfp_ewma_rate);
  tcf_tm_put(b, TCA_POLICE_TM, a);
  return 0;
}

/** tcf_police_act_to_flow_act (v6.18): a conform/exceed verdict as a flow action id. */
function tcf_police_act_to_flow_act(tc_act: number, extack: NetlinkExtAck | null): { id: FlowActionId | null; extval: number } {
  const opcode = (tc_act & ~TC_ACT_EXT_VAL_MASK) >>> 0;
  if (!opcode) {
    if (tc_act === TC_ACT_OK) return { id: 'FLOW_ACTION_ACCEPT', extval: 0 };
    if (tc_act === TC_ACT_SHOT) return { id: 'FLOW_ACTION_DROP', extval: 0 };
    if (tc_act === TC_ACT_PIPE) return { id: 'FLOW_ACTION_PIPE', extval: 0 };
    if (tc_act === TC_ACT_RECLASSIFY) NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload not supported when conform/exceed action is "reclassify"');
    else NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported conform/exceed action offload');
    return { id: null, extval: 0 };
  }
  if (opcode === (TC_ACT_GOTO_CHAIN >>> 0)) return { id: 'FLOW_ACTION_GOTO', extval: tc_act & TC_ACT_EXT_VAL_MASK };
  if (opcode === (TC_ACT_JUMP >>> 0)) return { id: 'FLOW_ACTION_JUMP', extval: tc_act & TC_ACT_EXT_VAL_MASK };
  // act_police.c tcf_police_act_to_flow_act (v6.18): TC_ACT_UNSPEC ("continue") is FLOW_ACTION_CONTINUE
  if (tc_act === TC_ACT_UNSPEC) return { id: 'FLOW_ACTION_CONTINUE', extval: 0 };
  NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported conform/exceed action offload');
  return { id: null, extval: 0 };
}

/** tcf_police_offload_act_setup (v6.18): both verdicts must map to a flow action. */
export const tcf_police_offload_act_setup = hop('net/sched/act_police.c', function tcf_police_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  // standalone (bind = false): only the action id
  if (!bind) {
    entry.id = 'FLOW_ACTION_POLICE';
    return 0;
  }
  const p = a.priv as TcfPoliceParams;
  entry.id = 'FLOW_ACTION_POLICE';
  const exceed = tcf_police_act_to_flow_act(a.tcfa_action, extack);
  if (!police_exceed_maps(exceed.id !== null) || !exceed.id) return -EOPNOTSUPP;
  const notexceed = tcf_police_act_to_flow_act(p.tcfp_result, extack);
  if (!police_conform_maps(notexceed.id !== null) || !notexceed.id) return -EOPNOTSUPP;
  const rate_bytes_ps = p.rate_present ? p.rate.rate_bytes_ps : 0;
  entry.police = {
    // include/net/tc_act/tc_police.h tcf_police_burst: the bucket in bytes (ns × bytes/s ÷ 1e9)
    index: a.tcfa_index, rate_bytes_ps, burst: Math.floor((p.tcfp_burst * rate_bytes_ps) / NSEC_PER_SEC),
    exceed: exceed.extval, notexceed: notexceed.extval,
  };
  entry.police_act = {
    exceed: exceed.id, exceed_extval: exceed.extval, notexceed: notexceed.id, notexceed_extval: notexceed.extval,
    peakrate_bytes_ps: p.peak_present ? p.peak.rate_bytes_ps : 0, avrate: p.tcfp_ewma_rate,
    overhead: p.rate_present ? p.rate.overhead : 0, mtu: p.tcfp_mtu,
    // tcf_police_burst_pkt: the bucket in packets
    burst_pkt: Math.floor((p.tcfp_pkt_burst * p.ppsrate) / NSEC_PER_SEC), rate_pkt_ps: p.ppsrate,
  };
  return 0;
}, { input: (a) => `action=${a.tcfa_action} result=${(a.priv as TcfPoliceParams).tcfp_result}` });

export const act_police_ops = {
  kind: 'police',
  id: TCA_ID_POLICE,
  init: tcf_police_init,
  dump: tcf_police_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_police_offload_act_setup,
} satisfies TcActionOps;

/** police_init_module() */
export function police_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_police_ops);
}
