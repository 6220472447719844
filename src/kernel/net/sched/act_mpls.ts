// net/sched/act_mpls.c: push, pop, modify or dec_ttl an MPLS label stack
// entry, and its flow_action mapping (push/pop/mangle; dec_ttl and
// mac_push have none).
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_MPLS, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, EOPNOTSUPP, EPROTONOSUPPORT, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND } from '../../include/uapi/linux/pkt_cls';
import {
  TCA_MPLS_ACT_DEC_TTL, TCA_MPLS_ACT_MAC_PUSH, TCA_MPLS_ACT_MODIFY, TCA_MPLS_ACT_POP, TCA_MPLS_ACT_PUSH, TCA_MPLS_BOS, TCA_MPLS_LABEL,
  TCA_MPLS_MAX, TCA_MPLS_PARMS, TCA_MPLS_PROTO, TCA_MPLS_TC, TCA_MPLS_TM, TCA_MPLS_TTL, TC_MPLS_PARMS_LEN,
} from '../../include/uapi/linux/tc_act/tc_mpls';
import { StructReader, nla_get_be16, nla_get_u8, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { NLA_BINARY, NLA_U16, NLA_U8, nla_parse_nested, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_apply_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_idr_release, tcf_register_action, tcf_tm_put,
} from './act_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const MODNAME = 'act_mpls';
const ETH_P_MPLS_UC = 0x8847;
const ETH_P_MPLS_MC = 0x8848;
// include/net/tc_act/tc_mpls.h
const ACT_MPLS_TTL_DEFAULT = 255;
const ACT_MPLS_LABEL_NOT_SET = 1 << 20;
const ACT_MPLS_TC_NOT_SET = 0xff;
const ACT_MPLS_BOS_NOT_SET = 0xff;
// include/uapi/linux/mpls.h
const MPLS_LABEL_MASK = 0x000fffff;
const MPLS_LABEL_IMPLNULL = 3;

const pop_bad_proto = declareBranch('net/sched/act_mpls.c', 'tcf_mpls_init', 'pop protocol not 802.3');
const push_not_mpls = declareBranch('net/sched/act_mpls.c', 'tcf_mpls_init', 'push protocol not MPLS');
const push_default_ttl = declareBranch('net/sched/act_mpls.c', 'tcf_mpls_init', 'push default ttl');

/** struct tcf_mpls_params */
export interface TcfMplsParams {
  tcfm_action: number;
  tcfm_label: number;
  tcfm_tc: number;
  tcfm_ttl: number;
  tcfm_bos: number;
  tcfm_proto: number;
}

// net/sched/act_mpls.c mpls_policy (v6.18); TCA_MPLS_LABEL's valid_label is checked after the parse.
const mpls_policy: NlaPolicy = {
  [TCA_MPLS_PARMS]: { type: NLA_BINARY, min: TC_MPLS_PARMS_LEN, max: TC_MPLS_PARMS_LEN },
  [TCA_MPLS_PROTO]: { type: NLA_U16 },
  [TCA_MPLS_LABEL]: { type: NLA_BINARY },
  [TCA_MPLS_TC]: { type: NLA_U8, min: 0, max: 7 },
  [TCA_MPLS_TTL]: { type: NLA_U8, min: 1 },
  [TCA_MPLS_BOS]: { type: NLA_U8, min: 0, max: 1 },
};

/** valid_label (v6.18): four bytes, 20 bits, not the implicit-null label. */
function valid_label(attr: NlAttr, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (attr.payload.byteLength !== 4) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Invalid MPLS label length');
    return -EINVAL;
  }
  const label = new StructReader(attr.payload).u32(0);
  if ((label & ~MPLS_LABEL_MASK) >>> 0 || label === MPLS_LABEL_IMPLNULL) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'MPLS label out of range');
    return -EINVAL;
  }
  return 0;
}

const eth_proto_is_802_3 = (proto: number): boolean => proto >= 0x600;
const eth_p_mpls = (proto: number): boolean => proto === ETH_P_MPLS_UC || proto === ETH_P_MPLS_MC;

/** tcf_mpls_init (v6.18): the attributes each m_action allows, then the verdict. */
export const tcf_mpls_init = hop('net/sched/act_mpls.c', function tcf_mpls_init(net: Net, nla: NlAttr | undefined, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Missing netlink attributes');
    return { err: -EINVAL, a: null };
  }
  const { err: perr, tb } = nla_parse_nested(TCA_MPLS_MAX, nla, mpls_policy, extack);
  if (perr < 0) return { err: perr, a: null };
  if (tb[TCA_MPLS_LABEL]) {
    const lerr = valid_label(tb[TCA_MPLS_LABEL]!, extack);
    if (lerr < 0) return { err: lerr, a: null };
  }
  if (!tb[TCA_MPLS_PARMS]) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'No MPLS params');
    return { err: -EINVAL, a: null };
  }
  const parm = new StructReader(tb[TCA_MPLS_PARMS]!.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_mpls_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const c = tcf_idr_create_or_replace(net, act_mpls_ops, exists, index, flags, null);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const fail = (err: NegErrno, msg: string): TcActionInitResult => {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, msg);
    // release_idr: a just-created action goes away again.
    if (c.created) tcf_idr_release(net, c.a!, bind);
    return { err, a: null };
  };
  const m_action = parm.s32(20);
  let mpls_ttl = 0;
  switch (m_action) {
    case TCA_MPLS_ACT_POP:
      if (!tb[TCA_MPLS_PROTO]) return fail(-EINVAL, 'Protocol must be set for MPLS pop');
      if (pop_bad_proto(!eth_proto_is_802_3(nla_get_be16(tb[TCA_MPLS_PROTO]!)))) return fail(-EINVAL, 'Invalid protocol type for MPLS pop');
      if (tb[TCA_MPLS_LABEL] || tb[TCA_MPLS_TTL] || tb[TCA_MPLS_TC] || tb[TCA_MPLS_BOS]) {
        return fail(-EINVAL, 'Label, TTL, TC or BOS cannot be used with MPLS pop');
      }
      break;
    case TCA_MPLS_ACT_DEC_TTL:
      if (tb[TCA_MPLS_PROTO] || tb[TCA_MPLS_LABEL] || tb[TCA_MPLS_TTL] || tb[TCA_MPLS_TC] || tb[TCA_MPLS_BOS]) {
        return fail(-EINVAL, 'Label, TTL, TC, BOS or protocol cannot be used with MPLS dec_ttl');
      }
      break;
    case TCA_MPLS_ACT_PUSH:
    case TCA_MPLS_ACT_MAC_PUSH:
      if (!tb[TCA_MPLS_LABEL]) return fail(-EINVAL, 'Label is required for MPLS push');
      if (push_not_mpls(!!tb[TCA_MPLS_PROTO] && !eth_p_mpls(nla_get_be16(tb[TCA_MPLS_PROTO]!)))) {
        return fail(-EPROTONOSUPPORT, 'Protocol must be an MPLS type for MPLS push');
      }
      // Push needs a TTL: net.mpls.default_ttl (255 unless changed) when none is given.
      if (push_default_ttl(!tb[TCA_MPLS_TTL])) mpls_ttl = ACT_MPLS_TTL_DEFAULT;
      break;
    case TCA_MPLS_ACT_MODIFY:
      if (tb[TCA_MPLS_PROTO]) return fail(-EINVAL, 'Protocol cannot be used with MPLS modify');
      break;
    default:
      return fail(-EINVAL, 'Unknown MPLS action');
  }
  const err = tcf_action_apply_ctrlact(net, c.a, c.created, parm.s32(8), tp, flags, extack);
  if (err < 0) return { err, a: null };
  const p: TcfMplsParams = {
    tcfm_action: m_action,
    tcfm_label: tb[TCA_MPLS_LABEL] ? new StructReader(tb[TCA_MPLS_LABEL]!.payload).u32(0) : ACT_MPLS_LABEL_NOT_SET,
    tcfm_tc: tb[TCA_MPLS_TC] ? nla_get_u8(tb[TCA_MPLS_TC]!) : ACT_MPLS_TC_NOT_SET,
    tcfm_ttl: tb[TCA_MPLS_TTL] ? nla_get_u8(tb[TCA_MPLS_TTL]!) : mpls_ttl,
    tcfm_bos: tb[TCA_MPLS_BOS] ? nla_get_u8(tb[TCA_MPLS_BOS]!) : ACT_MPLS_BOS_NOT_SET,
    tcfm_proto: tb[TCA_MPLS_PROTO] ? nla_get_be16(tb[TCA_MPLS_PROTO]!) : ETH_P_MPLS_UC,
  };
  c.a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a: c.a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_mpls_dump (v6.18): label/tc/bos only when set, ttl when non-zero, proto always. */
function tcf_mpls_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfMplsParams;
  b.attr(TCA_MPLS_PARMS, tcf_gen_dump(a, bind, ref, TC_MPLS_PARMS_LEN).s32(20, p.tcfm_action).bytes);
  if (p.tcfm_label !== ACT_MPLS_LABEL_NOT_SET) b.u32(TCA_MPLS_LABEL, p.tcfm_label);
  if (p.tcfm_tc !== ACT_MPLS_TC_NOT_SET) b.u8(TCA_MPLS_TC, p.tcfm_tc);
  if (p.tcfm_ttl) b.u8(TCA_MPLS_TTL, p.tcfm_ttl);
  if (p.tcfm_bos !== ACT_MPLS_BOS_NOT_SET) b.u8(TCA_MPLS_BOS, p.tcfm_bos);
  b.be16(TCA_MPLS_PROTO, p.tcfm_proto);
  tcf_tm_put(b, TCA_MPLS_TM, a);
  return 0;
}

/** tcf_mpls_offload_act_setup (v6.18): dec_ttl and mac_push have no flow_action. */
export const tcf_mpls_offload_act_setup = hop('net/sched/act_mpls.c', function tcf_mpls_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  const p = a.priv as TcfMplsParams;
  if (!bind) {
    if (p.tcfm_action === TCA_MPLS_ACT_PUSH) entry.id = 'FLOW_ACTION_MPLS_PUSH';
    else if (p.tcfm_action === TCA_MPLS_ACT_POP) entry.id = 'FLOW_ACTION_MPLS_POP';
    else if (p.tcfm_action === TCA_MPLS_ACT_MODIFY) entry.id = 'FLOW_ACTION_MPLS_MANGLE';
    else return -EOPNOTSUPP;
    return 0;
  }
  switch (p.tcfm_action) {
    case TCA_MPLS_ACT_PUSH:
      entry.id = 'FLOW_ACTION_MPLS_PUSH';
      entry.mpls_push = { proto: p.tcfm_proto, label: p.tcfm_label, tc: p.tcfm_tc, ttl: p.tcfm_ttl, bos: p.tcfm_bos };
      break;
    case TCA_MPLS_ACT_POP:
      entry.id = 'FLOW_ACTION_MPLS_POP';
      entry.mpls_pop = { proto: p.tcfm_proto };
      break;
    case TCA_MPLS_ACT_MODIFY:
      entry.id = 'FLOW_ACTION_MPLS_MANGLE';
      entry.mpls_mangle = { label: p.tcfm_label, tc: p.tcfm_tc, ttl: p.tcfm_ttl, bos: p.tcfm_bos };
      break;
    case TCA_MPLS_ACT_DEC_TTL:
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload not supported when "dec_ttl" option is used');
      return -EOPNOTSUPP;
    case TCA_MPLS_ACT_MAC_PUSH:
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload not supported when "mac_push" option is used');
      return -EOPNOTSUPP;
    default:
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported MPLS mode offload');
      return -EOPNOTSUPP;
  }
  return 0;
}, { input: (a) => `m_action=${(a.priv as TcfMplsParams).tcfm_action}` });

export const act_mpls_ops = {
  kind: 'mpls',
  id: TCA_ID_MPLS,
  init: tcf_mpls_init,
  dump: tcf_mpls_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_mpls_offload_act_setup,
} satisfies TcActionOps;

/** mpls_init_module() */
export function mpls_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_mpls_ops);
}
