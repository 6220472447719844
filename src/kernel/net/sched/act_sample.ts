// net/sched/act_sample.c: sample 1/rate packets to a psample group;
// offloaded as FLOW_ACTION_SAMPLE.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_SAMPLE, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND } from '../../include/uapi/linux/pkt_cls';
import {
  TCA_SAMPLE_MAX, TCA_SAMPLE_PARMS, TCA_SAMPLE_PSAMPLE_GROUP, TCA_SAMPLE_RATE, TCA_SAMPLE_TM, TCA_SAMPLE_TRUNC_SIZE,
  TC_SAMPLE_PARMS_LEN,
} from '../../include/uapi/linux/tc_act/tc_sample';
import { StructReader, nla_get_u32, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { NLA_U32, nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_check_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_idr_release, tcf_register_action, tcf_tm_put,
} from './act_api';
import { tcf_chain_put_by_act } from './cls_api';
import { hop } from '../../../trace/hop';

/** struct tcf_sample */
export interface TcfSample { rate: number; truncate: boolean; trunc_size: number; psample_group_num: number }

// net/sched/act_sample.c sample_policy (v6.18)
const sample_policy: NlaPolicy = {
  [TCA_SAMPLE_PARMS]: { len: TC_SAMPLE_PARMS_LEN },
  [TCA_SAMPLE_RATE]: { type: NLA_U32 },
  [TCA_SAMPLE_TRUNC_SIZE]: { type: NLA_U32 },
  [TCA_SAMPLE_PSAMPLE_GROUP]: { type: NLA_U32 },
};

/** tcf_sample_init (v6.18): parms, rate and group are required; rate 0 is refused after the verdict check. */
export const tcf_sample_init = hop('net/sched/act_sample.c', function tcf_sample_init(net: Net, nla: NlAttr | undefined,
  tp: TcfProto | null, flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) return { err: -EINVAL, a: null };
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_SAMPLE_MAX, nla, sample_policy, extack);
  if (perr < 0) return { err: perr, a: null };
  if (!tb[TCA_SAMPLE_PARMS] || !tb[TCA_SAMPLE_RATE] || !tb[TCA_SAMPLE_PSAMPLE_GROUP]) return { err: -EINVAL, a: null };
  const parm = new StructReader(tb[TCA_SAMPLE_PARMS]!.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_sample_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const c = tcf_idr_create_or_replace(net, act_sample_ops, exists, index, flags, null);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const a = c.a;
  const ctrl = tcf_action_check_ctrlact(parm.s32(8), tp, extack);
  const release = (err: NegErrno): TcActionInitResult => {
    if (c.created) tcf_idr_release(net, a, bind);
    return { err, a: null };
  };
  if (ctrl.err < 0) return release(ctrl.err);
  const rate = nla_get_u32(tb[TCA_SAMPLE_RATE]!);
  if (!rate) {
    NL_SET_ERR_MSG(extack, 'invalid sample rate');
    if (ctrl.goto_chain) tcf_chain_put_by_act(ctrl.goto_chain);
    return release(-EINVAL);
  }
  const s: TcfSample = {
    rate, truncate: !!tb[TCA_SAMPLE_TRUNC_SIZE], trunc_size: tb[TCA_SAMPLE_TRUNC_SIZE] ? nla_get_u32(tb[TCA_SAMPLE_TRUNC_SIZE]!) : 0,
    // psample_group_get: groups are created on demand
    psample_group_num: nla_get_u32(tb[TCA_SAMPLE_PSAMPLE_GROUP]!),
  };
  if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
  a.tcfa_action = parm.s32(8);
  a.goto_chain = ctrl.goto_chain;
  a.priv = s;
  return { err: c.created ? ACT_P_CREATED : 0, a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

function tcf_sample_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const s = a.priv as TcfSample;
  b.attr(TCA_SAMPLE_PARMS, tcf_gen_dump(a, bind, ref, TC_SAMPLE_PARMS_LEN).bytes);
  tcf_tm_put(b, TCA_SAMPLE_TM, a);
  b.u32(TCA_SAMPLE_RATE, s.rate);
  if (s.truncate) b.u32(TCA_SAMPLE_TRUNC_SIZE, s.trunc_size);
  b.u32(TCA_SAMPLE_PSAMPLE_GROUP, s.psample_group_num);
  return 0;
}

/** tcf_sample_offload_act_setup (v6.18): never refuses. */
export const tcf_sample_offload_act_setup = hop('net/sched/act_sample.c', function tcf_sample_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean): 0 | NegErrno {
  if (!bind) return 0;
  const s = a.priv as TcfSample;
  entry.id = 'FLOW_ACTION_SAMPLE';
  entry.sample = { rate: s.rate, group: s.psample_group_num, trunc_size: s.truncate ? s.trunc_size : 0 };
  return 0;
}, { input: (a) => `rate=${(a.priv as TcfSample).rate} group=${(a.priv as TcfSample).psample_group_num}` });

export const act_sample_ops = {
  kind: 'sample',
  id: TCA_ID_SAMPLE,
  init: tcf_sample_init,
  dump: tcf_sample_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_sample_offload_act_setup,
} satisfies TcActionOps;

/** sample_init_module() */
export function sample_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_sample_ops);
}
