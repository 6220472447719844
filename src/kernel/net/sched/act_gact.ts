// net/sched/act_gact.c: the generic verdict action (ok, drop, trap, goto
// chain, pipe, continue, reclassify) and how each maps to a flow_action.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import {
  ACT_P_BOUND, ACT_P_CREATED, TCA_ID_GACT, TCF_T_LEN, tcf_tm_dump, type TcAction, type TcActionOps,
} from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EEXIST, EINVAL, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import {
  TCA_ACT_FLAGS_BIND, TCA_ACT_FLAGS_REPLACE, TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_OK, TC_ACT_PIPE,
  TC_ACT_RECLASSIFY, TC_ACT_SHOT, TC_ACT_TRAP, TC_ACT_UNSPEC,
} from '../../include/uapi/linux/pkt_cls';
import { TCA_GACT_MAX, TCA_GACT_PARMS, TCA_GACT_PROB, TCA_GACT_TM, TC_GACT_PARMS_LEN } from '../../include/uapi/linux/tc_act/tc_gact';
import { StructReader, StructWriter, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_check_ctrlact, tcf_action_update_stats, tcf_idr_check_alloc, tcf_idr_create, tcf_idr_release,
  tcf_register_action,
} from './act_api';
import { tcf_chain_put_by_act } from './cls_api';
import { hop } from '../../../trace/hop';

const MODNAME = 'act_gact';

// act_gact.c gact_policy (v6.18); struct tc_gact_p is 8 bytes
const gact_policy: NlaPolicy = {
  [TCA_GACT_PARMS]: { len: TC_GACT_PARMS_LEN },
  [TCA_GACT_PROB]: { len: 8 },
};

/** tcf_gact_init (v6.18) */
export const tcf_gact_init = hop('net/sched/act_gact.c', function tcf_gact_init(net: Net, nla: NlAttr | undefined, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): { err: number; a: TcAction | null } {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) return { err: -EINVAL, a: null };
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_GACT_MAX, nla, gact_policy, null);
  if (perr < 0) return { err: perr, a: null };
  const p = tb[TCA_GACT_PARMS];
  if (!p) return { err: -EINVAL, a: null };
  const parm = new StructReader(p.payload);
  const action = parm.s32(8);
  const { exists, index } = tcf_idr_check_alloc(net, act_gact_ops, parm.u32(0));
  let a: TcAction;
  let ret: number;
  if (!exists) {
    a = tcf_idr_create(net, act_gact_ops, index, bind, flags, null);
    ret = ACT_P_CREATED;
  } else {
    if (bind) {
      exists.tcfa_bindcnt++;
      exists.tcfa_refcnt++;
      return { err: ACT_P_BOUND, a: exists };
    }
    if (!(flags & TCA_ACT_FLAGS_REPLACE)) return { err: -EEXIST, a: null };
    a = exists;
    ret = 0;
  }
  const c = tcf_action_check_ctrlact(action, tp, extack);
  if (c.err < 0) {
    if (ret === ACT_P_CREATED) tcf_idr_release(net, a, bind);
    return { err: c.err, a: null };
  }
  // tcf_action_set_ctrlact: swap in the new verdict and goto chain.
  if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
  a.tcfa_action = action;
  a.goto_chain = c.goto_chain;
  return { err: ret, a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_gact_dump(): struct tc_gact and the timestamps. */
function tcf_gact_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  b.attr(TCA_GACT_PARMS, new StructWriter(TC_GACT_PARMS_LEN)
    .u32(0, a.tcfa_index).u32(4, 0).s32(8, a.tcfa_action).s32(12, a.tcfa_refcnt - ref).s32(16, a.tcfa_bindcnt - bind).bytes);
  // net/sched/act_gact.c tcf_gact_dump (v6.18): tcf_tm_dump ages, not raw jiffies.
  const tm = tcf_tm_dump(a);
  b.attr(TCA_GACT_TM, new StructWriter(TCF_T_LEN).u64(0, BigInt(tm.install)).u64(8, BigInt(tm.lastuse)).u64(16, BigInt(tm.expires)).u64(24, BigInt(tm.firstuse)).bytes);
  return 0;
}

/** tcf_gact_stats_update(): a drop verdict counts the packets as drops. */
function tcf_gact_stats_update(a: TcAction, bytes: number, packets: number, drops: number, lastuse: number, hw: boolean): void {
  tcf_action_update_stats(a, bytes, packets, a.tcfa_action === TC_ACT_SHOT ? packets : drops, hw);
  a.tcf_tm.lastuse = Math.max(a.tcf_tm.lastuse, lastuse);
}

/** tcf_gact_offload_act_setup (v6.18) */
export const tcf_gact_offload_act_setup = hop('net/sched/act_gact.c', function tcf_gact_offload_act_setup(a: TcAction, entry: FlowActionEntry,
  bind: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  const act = a.tcfa_action;
  // standalone (bind = false): only the action id, no extack text
  if (!bind) {
    if (act === TC_ACT_OK) entry.id = 'FLOW_ACTION_ACCEPT';
    else if (act === TC_ACT_SHOT) entry.id = 'FLOW_ACTION_DROP';
    else if (act === TC_ACT_TRAP) entry.id = 'FLOW_ACTION_TRAP';
    else if (((act & ~TC_ACT_EXT_VAL_MASK) >>> 0) === (TC_ACT_GOTO_CHAIN >>> 0)) entry.id = 'FLOW_ACTION_GOTO';
    else return -EOPNOTSUPP;
    return 0;
  }
  if (act === TC_ACT_OK) entry.id = 'FLOW_ACTION_ACCEPT';
  else if (act === TC_ACT_SHOT) entry.id = 'FLOW_ACTION_DROP';
  else if (act === TC_ACT_TRAP) entry.id = 'FLOW_ACTION_TRAP';
  else if (((act & ~TC_ACT_EXT_VAL_MASK) >>> 0) === (TC_ACT_GOTO_CHAIN >>> 0)) {
    entry.id = 'FLOW_ACTION_GOTO';
    entry.chain_index = act & TC_ACT_EXT_VAL_MASK;
  } else if (act === TC_ACT_UNSPEC) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload of "continue" action is not supported');
    return -EOPNOTSUPP;
  } else if (act === TC_ACT_RECLASSIFY) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload of "reclassify" action is not supported');
    return -EOPNOTSUPP;
  } else if (act === TC_ACT_PIPE) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Offload of "pipe" action is not supported');
    return -EOPNOTSUPP;
  } else {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported generic action offload');
    return -EOPNOTSUPP;
  }
  return 0;
}, { input: (a) => `action=${a.tcfa_action}` });

export const act_gact_ops = {
  kind: 'gact',
  id: TCA_ID_GACT,
  init: tcf_gact_init,
  dump: tcf_gact_dump,
  stats_update: tcf_gact_stats_update,
  offload_act_setup: tcf_gact_offload_act_setup,
} satisfies TcActionOps;

/** gact_init_module(): registers the kind on this host. */
export function gact_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_gact_ops);
}
