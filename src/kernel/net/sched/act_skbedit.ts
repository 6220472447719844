// net/sched/act_skbedit.c: set skb metadata (priority, queue mapping, mark,
// packet type); offloadable only when exactly one of mark/ptype/priority is set.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_SKBEDIT, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_AT_INGRESS, TCA_ACT_FLAGS_BIND, TCA_ACT_FLAGS_SKIP_SW } from '../../include/uapi/linux/pkt_cls';
import {
  SKBEDIT_F_INHERITDSFIELD, SKBEDIT_F_MARK, SKBEDIT_F_MASK, SKBEDIT_F_PRIORITY, SKBEDIT_F_PTYPE, SKBEDIT_F_QUEUE_MAPPING,
  TCA_SKBEDIT_FLAGS, TCA_SKBEDIT_MARK, TCA_SKBEDIT_MASK, TCA_SKBEDIT_MAX, TCA_SKBEDIT_PARMS, TCA_SKBEDIT_PRIORITY,
  TCA_SKBEDIT_PTYPE, TCA_SKBEDIT_QUEUE_MAPPING, TCA_SKBEDIT_TM, TC_SKBEDIT_PARMS_LEN,
} from '../../include/uapi/linux/tc_act/tc_skbedit';
import { StructReader, StructWriter, nla_get_u16, nla_get_u32, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_apply_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_register_action, tcf_tm_put,
} from './act_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const MODNAME = 'act_skbedit';
const PACKET_OTHERHOST = 3;

// Decisions counted by the hop coverage report.
const skbedit_single_mark = declareBranch('net/sched/act_skbedit.c', 'tcf_skbedit_offload_act_setup', 'mark only');

/** struct tcf_skbedit_params */
export interface TcfSkbeditParams {
  flags: number;
  priority: number;
  mark: number;
  mask: number;
  queue_mapping: number;
  ptype: number;
}

// net/sched/act_skbedit.c skbedit_policy (v6.18)
const skbedit_policy: NlaPolicy = {
  [TCA_SKBEDIT_PARMS]: { len: TC_SKBEDIT_PARMS_LEN },
  [TCA_SKBEDIT_PRIORITY]: { len: 4 },
  [TCA_SKBEDIT_QUEUE_MAPPING]: { len: 2 },
  [TCA_SKBEDIT_MARK]: { len: 4 },
  [TCA_SKBEDIT_PTYPE]: { len: 2 },
  [TCA_SKBEDIT_MASK]: { len: 4 },
  [TCA_SKBEDIT_FLAGS]: { len: 8 },
};

/** tcf_skbedit_init (v6.18): at least one setting is required. */
export const tcf_skbedit_init = hop('net/sched/act_skbedit.c', function tcf_skbedit_init(net: Net, nla: NlAttr | undefined,
  tp: TcfProto | null, act_flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (act_flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) return { err: -EINVAL, a: null };
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_SKBEDIT_MAX, nla, skbedit_policy, extack);
  if (perr < 0) return { err: perr, a: null };
  if (!tb[TCA_SKBEDIT_PARMS]) return { err: -EINVAL, a: null };
  const p: TcfSkbeditParams = { flags: 0, priority: 0, mark: 0, mask: 0xffffffff, queue_mapping: 0, ptype: 0 };
  if (tb[TCA_SKBEDIT_PRIORITY]) {
    p.flags |= SKBEDIT_F_PRIORITY;
    p.priority = nla_get_u32(tb[TCA_SKBEDIT_PRIORITY]!);
  }
  if (tb[TCA_SKBEDIT_QUEUE_MAPPING]) {
    // is_tcf_skbedit_ingress: on receive the queue can only be chosen by hardware
    if ((act_flags & TCA_ACT_FLAGS_AT_INGRESS) && !(act_flags & TCA_ACT_FLAGS_SKIP_SW)) {
      NL_SET_ERR_MSG_MOD(extack, MODNAME, '"queue_mapping" option on receive side is hardware only, use skip_sw');
      return { err: -EOPNOTSUPP, a: null };
    }
    p.flags |= SKBEDIT_F_QUEUE_MAPPING;
    p.queue_mapping = nla_get_u16(tb[TCA_SKBEDIT_QUEUE_MAPPING]!);
  }
  if (tb[TCA_SKBEDIT_PTYPE]) {
    p.ptype = nla_get_u16(tb[TCA_SKBEDIT_PTYPE]!);
    // skb_pkt_type_ok
    if (p.ptype > PACKET_OTHERHOST) return { err: -EINVAL, a: null };
    p.flags |= SKBEDIT_F_PTYPE;
  }
  if (tb[TCA_SKBEDIT_MARK]) {
    p.flags |= SKBEDIT_F_MARK;
    p.mark = nla_get_u32(tb[TCA_SKBEDIT_MARK]!);
  }
  if (tb[TCA_SKBEDIT_MASK]) {
    p.flags |= SKBEDIT_F_MASK;
    p.mask = nla_get_u32(tb[TCA_SKBEDIT_MASK]!);
  }
  if (tb[TCA_SKBEDIT_FLAGS]) {
    const pure = new StructReader(tb[TCA_SKBEDIT_FLAGS]!.payload).u32(0);
    if (pure & SKBEDIT_F_INHERITDSFIELD) p.flags |= SKBEDIT_F_INHERITDSFIELD;
  }
  const parm = new StructReader(tb[TCA_SKBEDIT_PARMS]!.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_skbedit_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  if (!p.flags) return { err: -EINVAL, a: null };
  const c = tcf_idr_create_or_replace(net, act_skbedit_ops, exists, index, act_flags, p);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const err = tcf_action_apply_ctrlact(net, c.a, c.created, parm.s32(8), tp, act_flags, extack);
  if (err < 0) return { err, a: null };
  c.a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a: c.a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

function tcf_skbedit_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfSkbeditParams;
  b.attr(TCA_SKBEDIT_PARMS, tcf_gen_dump(a, bind, ref, TC_SKBEDIT_PARMS_LEN).bytes);
  if (p.flags & SKBEDIT_F_PRIORITY) b.u32(TCA_SKBEDIT_PRIORITY, p.priority);
  if (p.flags & SKBEDIT_F_QUEUE_MAPPING) b.u16(TCA_SKBEDIT_QUEUE_MAPPING, p.queue_mapping);
  if (p.flags & SKBEDIT_F_MARK) b.u32(TCA_SKBEDIT_MARK, p.mark);
  if (p.flags & SKBEDIT_F_PTYPE) b.u16(TCA_SKBEDIT_PTYPE, p.ptype);
  if (p.flags & SKBEDIT_F_MASK) b.u32(TCA_SKBEDIT_MASK, p.mask);
  if (p.flags & SKBEDIT_F_INHERITDSFIELD) b.attr(TCA_SKBEDIT_FLAGS, new StructWriter(8).u64(0, BigInt(SKBEDIT_F_INHERITDSFIELD)).bytes);
  tcf_tm_put(b, TCA_SKBEDIT_TM, a);
  return 0;
}

/** tcf_skbedit_offload_act_setup (v6.18): is_tcf_skbedit_* need the flag to be the only one set. */
export const tcf_skbedit_offload_act_setup = hop('net/sched/act_skbedit.c', function tcf_skbedit_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!bind) return 0;
  const p = a.priv as TcfSkbeditParams;
  if (skbedit_single_mark(p.flags === SKBEDIT_F_MARK)) {
    entry.id = 'FLOW_ACTION_MARK';
    entry.mark = p.mark;
  } else if (p.flags === SKBEDIT_F_PTYPE) {
    entry.id = 'FLOW_ACTION_PTYPE';
    entry.ptype = p.ptype;
  } else if (p.flags === SKBEDIT_F_PRIORITY) {
    entry.id = 'FLOW_ACTION_PRIORITY';
    entry.priority = p.priority;
  } else if (p.flags === SKBEDIT_F_QUEUE_MAPPING && !(a.tcfa_flags & TCA_ACT_FLAGS_AT_INGRESS)) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload not supported when "queue_mapping" option is used on transmit side');
    return -EOPNOTSUPP;
  } else if (p.flags === SKBEDIT_F_QUEUE_MAPPING) {
    entry.id = 'FLOW_ACTION_RX_QUEUE_MAPPING';
    entry.rx_queue = p.queue_mapping;
  } else if (p.flags === SKBEDIT_F_INHERITDSFIELD) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload not supported when "inheritdsfield" option is used');
    return -EOPNOTSUPP;
  } else {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported skbedit option offload');
    return -EOPNOTSUPP;
  }
  return 0;
}, { input: (a) => `flags=0x${(a.priv as TcfSkbeditParams).flags.toString(16)}` });

export const act_skbedit_ops = {
  kind: 'skbedit',
  id: TCA_ID_SKBEDIT,
  init: tcf_skbedit_init,
  dump: tcf_skbedit_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_skbedit_offload_act_setup,
} satisfies TcActionOps;

/** skbedit_init_module() */
export function skbedit_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_skbedit_ops);
}
