// net/sched/act_csum.c: recompute checksums of the selected headers;
// offloaded as FLOW_ACTION_CSUM with the update flags.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_CSUM, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND } from '../../include/uapi/linux/pkt_cls';
import { TCA_CSUM_MAX, TCA_CSUM_PARMS, TCA_CSUM_TM, TC_CSUM_PARMS_LEN } from '../../include/uapi/linux/tc_act/tc_csum';
import { StructReader, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_apply_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_register_action, tcf_tm_put,
} from './act_api';
import { hop } from '../../../trace/hop';

/** struct tcf_csum_params */
export interface TcfCsumParams { update_flags: number }

// net/sched/act_csum.c csum_policy (v6.18)
const csum_policy: NlaPolicy = {
  [TCA_CSUM_PARMS]: { len: TC_CSUM_PARMS_LEN },
};

/** tcf_csum_init (v6.18) */
export const tcf_csum_init = hop('net/sched/act_csum.c', function tcf_csum_init(net: Net, nla: NlAttr | undefined, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) return { err: -EINVAL, a: null };
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_CSUM_MAX, nla, csum_policy, extack);
  if (perr < 0) return { err: perr, a: null };
  if (!tb[TCA_CSUM_PARMS]) return { err: -EINVAL, a: null };
  const parm = new StructReader(tb[TCA_CSUM_PARMS]!.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_csum_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const p: TcfCsumParams = { update_flags: parm.u32(20) };
  const c = tcf_idr_create_or_replace(net, act_csum_ops, exists, index, flags, p);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const err = tcf_action_apply_ctrlact(net, c.a, c.created, parm.s32(8), tp, flags, extack);
  if (err < 0) return { err, a: null };
  c.a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a: c.a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

function tcf_csum_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfCsumParams;
  b.attr(TCA_CSUM_PARMS, tcf_gen_dump(a, bind, ref, TC_CSUM_PARMS_LEN).u32(20, p.update_flags).bytes);
  tcf_tm_put(b, TCA_CSUM_TM, a);
  return 0;
}

/** tcf_csum_offload_act_setup (v6.18): never refuses. */
export const tcf_csum_offload_act_setup = hop('net/sched/act_csum.c', function tcf_csum_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean): 0 | NegErrno {
  if (!bind) return 0;
  entry.id = 'FLOW_ACTION_CSUM';
  entry.csum_flags = (a.priv as TcfCsumParams).update_flags;
  return 0;
}, { input: (a) => `update_flags=0x${(a.priv as TcfCsumParams).update_flags.toString(16)}` });

export const act_csum_ops = {
  kind: 'csum',
  id: TCA_ID_CSUM,
  init: tcf_csum_init,
  dump: tcf_csum_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_csum_offload_act_setup,
} satisfies TcActionOps;

/** csum_init_module() */
export function csum_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_csum_ops);
}
