// net/sched/act_mirred.c: redirect or mirror to a device (egress/ingress)
// and its flow_action mapping.
import type { Net } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import {
  ACT_P_BOUND, ACT_P_CREATED, TCA_ID_MIRRED, TCF_T_LEN, tcf_tm_dump, type TcAction, type TcActionOps,
} from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EEXIST, EINVAL, ENODEV, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND, TCA_ACT_FLAGS_REPLACE } from '../../include/uapi/linux/pkt_cls';
import {
  TCA_EGRESS_MIRROR, TCA_EGRESS_REDIR, TCA_INGRESS_MIRROR, TCA_INGRESS_REDIR, TCA_MIRRED_BLOCKID, TCA_MIRRED_MAX,
  TCA_MIRRED_PARMS, TCA_MIRRED_TM, TC_MIRRED_PARMS_LEN,
} from '../../include/uapi/linux/tc_act/tc_mirred';
import { StructReader, StructWriter, nla_get_u32, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { NLA_U32, nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_check_ctrlact, tcf_action_update_stats, tcf_idr_check_alloc, tcf_idr_create, tcf_idr_release,
  tcf_register_action,
} from './act_api';
import { tcf_chain_put_by_act } from './cls_api';
import { hop } from '../../../trace/hop';

const MODNAME = 'act_mirred';

/** struct tcf_mirred, the kind data */
export interface TcfMirred {
  tcfm_eaction: number;
  tcfm_dev: NetDevice | null;
  tcfm_blockid: number;
}

// act_mirred.c mirred_policy (v6.18)
const mirred_policy: NlaPolicy = {
  [TCA_MIRRED_PARMS]: { len: TC_MIRRED_PARMS_LEN },
  [TCA_MIRRED_BLOCKID]: { type: NLA_U32, min: 1 },
};

/** tcf_mirred_init (v6.18) */
export const tcf_mirred_init = hop('net/sched/act_mirred.c', function tcf_mirred_init(net: Net, nla: NlAttr | undefined, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): { err: number; a: TcAction | null } {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Mirred requires attributes to be passed');
    return { err: -EINVAL, a: null };
  }
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_MIRRED_MAX, nla, mirred_policy, extack);
  if (perr < 0) return { err: perr, a: null };
  const p = tb[TCA_MIRRED_PARMS];
  if (!p) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Missing required mirred parameters');
    return { err: -EINVAL, a: null };
  }
  const parm = new StructReader(p.payload);
  const action = parm.s32(8);
  const eaction = parm.s32(20);
  const ifindex = parm.u32(24);
  const { exists, index } = tcf_idr_check_alloc(net, act_mirred_ops, parm.u32(0));
  if (exists && bind) {
    exists.tcfa_bindcnt++;
    exists.tcfa_refcnt++;
    return { err: ACT_P_BOUND, a: exists };
  }
  if (tb[TCA_MIRRED_BLOCKID] && ifindex) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Cannot specify Block ID and dev simultaneously');
    return { err: -EINVAL, a: null };
  }
  if (![TCA_EGRESS_MIRROR, TCA_EGRESS_REDIR, TCA_INGRESS_REDIR, TCA_INGRESS_MIRROR].includes(eaction)) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unknown mirred option');
    return { err: -EINVAL, a: null };
  }
  let a: TcAction;
  let ret: number;
  if (!exists) {
    if (!ifindex && !tb[TCA_MIRRED_BLOCKID]) {
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Must specify device or block');
      return { err: -EINVAL, a: null };
    }
    const m: TcfMirred = { tcfm_eaction: eaction, tcfm_dev: null, tcfm_blockid: 0 };
    a = tcf_idr_create(net, act_mirred_ops, index, bind, flags, m);
    ret = ACT_P_CREATED;
  } else if (!(flags & TCA_ACT_FLAGS_REPLACE)) {
    return { err: -EEXIST, a: null };
  } else {
    a = exists;
    ret = 0;
  }
  const c = tcf_action_check_ctrlact(action, tp, extack);
  const release = (err: number): { err: number; a: null } => {
    if (ret === ACT_P_CREATED) tcf_idr_release(net, a, bind);
    return { err, a: null };
  };
  if (c.err < 0) return release(c.err);
  const m = a.priv as TcfMirred;
  if (ifindex) {
    const ndev = net.dev_by_index.get(ifindex);
    if (!ndev) {
      if (c.goto_chain) tcf_chain_put_by_act(c.goto_chain);
      return release(-ENODEV);
    }
    m.tcfm_dev = ndev;
    m.tcfm_blockid = 0;
  } else if (tb[TCA_MIRRED_BLOCKID]) {
    m.tcfm_dev = null;
    m.tcfm_blockid = nla_get_u32(tb[TCA_MIRRED_BLOCKID]!);
  }
  if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
  a.tcfa_action = action;
  a.goto_chain = c.goto_chain;
  m.tcfm_eaction = eaction;
  return { err: ret, a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_mirred_dump(): struct tc_mirred, the timestamps, and the block id if any. */
function tcf_mirred_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const m = a.priv as TcfMirred;
  b.attr(TCA_MIRRED_PARMS, new StructWriter(TC_MIRRED_PARMS_LEN)
    .u32(0, a.tcfa_index).u32(4, 0).s32(8, a.tcfa_action).s32(12, a.tcfa_refcnt - ref).s32(16, a.tcfa_bindcnt - bind)
    .s32(20, m.tcfm_eaction).u32(24, m.tcfm_dev ? m.tcfm_dev.ifindex : 0).bytes);
  if (m.tcfm_blockid) b.u32(TCA_MIRRED_BLOCKID, m.tcfm_blockid);
  // net/sched/act_mirred.c tcf_mirred_dump (v6.18): tcf_tm_dump ages, not raw jiffies.
  const tm = tcf_tm_dump(a);
  b.attr(TCA_MIRRED_TM, new StructWriter(TCF_T_LEN).u64(0, BigInt(tm.install)).u64(8, BigInt(tm.lastuse)).u64(16, BigInt(tm.expires)).u64(24, BigInt(tm.firstuse)).bytes);
  return 0;
}

function tcf_stats_update(a: TcAction, bytes: number, packets: number, drops: number, lastuse: number, hw: boolean): void {
  tcf_action_update_stats(a, bytes, packets, drops, hw);
  a.tcf_tm.lastuse = Math.max(a.tcf_tm.lastuse, lastuse);
}

/** tcf_mirred_offload_act_setup (v6.18) */
export const tcf_mirred_offload_act_setup = hop('net/sched/act_mirred.c', function tcf_mirred_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!bind) return 0;
  const m = a.priv as TcfMirred;
  switch (m.tcfm_eaction) {
    case TCA_EGRESS_REDIR: entry.id = 'FLOW_ACTION_REDIRECT'; break;
    case TCA_EGRESS_MIRROR: entry.id = 'FLOW_ACTION_MIRRED'; break;
    case TCA_INGRESS_REDIR: entry.id = 'FLOW_ACTION_REDIRECT_INGRESS'; break;
    case TCA_INGRESS_MIRROR: entry.id = 'FLOW_ACTION_MIRRED_INGRESS'; break;
    default:
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported mirred offload');
      return -EOPNOTSUPP;
  }
  // tcf_offload_mirred_get_dev
  entry.dev = m.tcfm_dev;
  return 0;
}, { input: (a) => `eaction=${(a.priv as TcfMirred).tcfm_eaction} dev=${(a.priv as TcfMirred).tcfm_dev?.name ?? '-'}` });

export const act_mirred_ops = {
  kind: 'mirred',
  id: TCA_ID_MIRRED,
  init: tcf_mirred_init,
  dump: tcf_mirred_dump,
  stats_update: tcf_stats_update,
  offload_act_setup: tcf_mirred_offload_act_setup,
} satisfies TcActionOps;

/** mirred_init_module() */
export function mirred_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_mirred_ops);
}
