// net/sched/act_api.c: action kinds registered per host, creating the
// actions of a filter from TCA_*_ACT, their dump and their statistics.
import { Idr } from '../../lib/idr';
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG, NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { TCF_T_LEN, tcf_tm_dump, type TcAction, type TcActionOps, type TcfExts } from '../../include/net/act_api';
import type { TcfChain, TcfProto } from '../../include/net/sch_generic';
import { EEXIST, EINVAL, ENOENT, EOPNOTSUPP, EPERM, type NegErrno } from '../../include/uapi/asm-generic/errno';
import {
  TCA_ACT_COOKIE, TCA_ACT_FLAGS, TCA_ACT_FLAGS_BIND, TCA_ACT_FLAGS_NO_PERCPU_STATS, TCA_ACT_FLAGS_POLICE,
  TCA_ACT_FLAGS_SKIP_HW, TCA_ACT_FLAGS_SKIP_SW, TCA_ACT_HW_STATS, TCA_ACT_HW_STATS_ANY, TCA_ACT_INDEX,
  TCA_ACT_IN_HW_COUNT, TCA_ACT_KIND, TCA_ACT_MAX, TCA_ACT_MAX_PRIO, TCA_ACT_OPTIONS, TCA_ACT_STATS,
  TCA_ACT_USED_HW_STATS, TCA_ACT_FLAGS_REPLACE, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW, TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN,
  TC_ACT_JUMP, TC_ACT_TRAP, TC_ACT_UNSPEC, TC_COOKIE_MAX_SIZE,
} from '../../include/uapi/linux/pkt_cls';
import { IFNAMSIZ, TCA_FCNT } from '../../include/uapi/linux/pkt_sched';
import { NlMsgBuilder, StructWriter, nla_get_string, nla_get_u32, type NlAttr } from '../../../netlink/attr';
import type { NlMsg } from '../../../netlink/nlmsg';
import type { NetlinkCallback, NetlinkSkb } from '../../include/linux/netlink';
import { NLM_F_ECHO, NLM_F_MULTI, NLM_F_REPLACE, NLM_F_ROOT } from '../../include/uapi/linux/netlink';
import {
  RTM_DELACTION, RTM_GETACTION, RTM_NEWACTION, RTNLGRP_TC, TCAMSG_LEN, TCA_ACT_FLAG_LARGE_DUMP_ON, TCA_ACT_FLAG_TERSE_DUMP,
  TCA_ACT_TAB, TCA_ROOT_COUNT, TCA_ROOT_EXT_WARN_MSG, TCA_ROOT_FLAGS, TCA_ROOT_MAX, TCA_ROOT_TIME_DELTA,
} from '../../include/uapi/linux/rtnetlink';
import { rtnetlink_send, rtnl_notify_needed, rtnl_register_many, rtnl_unicast } from '../core/rtnetlink';
import { declareBranch } from '../../../trace/branch';
import {
  NLA_BINARY, NLA_BITFIELD32, NLA_NESTED, NLA_STRING, NLA_U32, nla_parse_nested_deprecated, nla_strscpy, nlmsg_parse_deprecated,
  type NlaPolicy,
} from '../../lib/nlattr';
import { tc_setup_action, tcf_chain_get_by_act, tcf_chain_put_by_act } from './cls_api';
import {
  FLOW_ACT_DESTROY, FLOW_ACT_REPLACE, FLOW_ACT_STATS, flow_stats_zero, type FlowActionEntry, type FlowOffloadAction, type OffloadActCommand,
} from '../../include/net/flow_offload';
import { TC_SETUP_ACT } from '../../include/linux/netdevice';
import { flow_indr_dev_setup_offload } from '../core/flow_offload';
import { hop } from '../../../trace/hop';
import { jiffies } from '../../include/linux/jiffies';

// include/uapi/linux/gen_stats.h
export const TCA_STATS_BASIC = 1;
export const TCA_STATS_RATE_EST = 2;
export const TCA_STATS_QUEUE = 3;
export const TCA_STATS_PAD = 6;
export const TCA_STATS_BASIC_HW = 7;
export const TCA_ACT_FLAGS_USER_MASK = TCA_ACT_FLAGS_NO_PERCPU_STATS | TCA_ACT_FLAGS_SKIP_HW | TCA_ACT_FLAGS_SKIP_SW;

interface ActNet {
  /** act_base: registered kinds. */
  ops: Map<string, TcActionOps>;
  /** Per kind: index → action (tcf_idrinfo). */
  idr: Map<string, Idr<TcAction>>;
}

function act_net(net: Net): ActNet {
  return net_generic(net, 'act_api', () => ({ ops: new Map<string, TcActionOps>(), idr: new Map<string, Idr<TcAction>>() }));
}

/** tcf_register_action(): a kind becomes available on this host (module loaded). */
export function tcf_register_action(net: Net, ops: TcActionOps): 0 | NegErrno {
  const an = act_net(net);
  if (an.ops.has(ops.kind)) return -EEXIST;
  an.ops.set(ops.kind, ops);
  an.idr.set(ops.kind, new Idr<TcAction>(1));
  return 0;
}

/** tc_lookup_action_n() */
export function tc_lookup_action_n(net: Net, kind: string): TcActionOps | undefined {
  return act_net(net).ops.get(kind);
}

/**
 * tcf_idr_check_alloc + tcf_idr_create: index 0 takes the lowest free index;
 * an existing index is bound (bind) or reported as existing.
 */
export function tcf_idr_check_alloc(net: Net, ops: TcActionOps, index: number): { exists: TcAction | null; index: number } {
  const idr = act_net(net).idr.get(ops.kind)!;
  if (index) return { exists: idr.get(index) ?? null, index };
  // act_api.c tcf_idr_check_alloc (v6.18): idr_alloc_u32 from 1, the lowest free index.
  return { exists: null, index: idr.lowest_free(1, 0xffffffff)! };
}

/** tcf_idr_create(): a new action of `ops` at `index`, installed in the idr. */
export function tcf_idr_create(net: Net, ops: TcActionOps, index: number, bind: boolean, flags: number, priv: unknown): TcAction {
  const a: TcAction = {
    ops, tcfa_index: index, tcfa_refcnt: 1, tcfa_bindcnt: bind ? 1 : 0, tcfa_action: 0,
    tcfa_flags: flags & (TCA_ACT_FLAGS_USER_MASK | TCA_ACT_FLAGS_BIND), hw_stats: TCA_ACT_HW_STATS_ANY,
    used_hw_stats: 0, used_hw_stats_valid: false, user_cookie: null, goto_chain: null,
    bstats: { bytes: 0, packets: 0 }, bstats_hw: { bytes: 0, packets: 0 }, qstats: { drops: 0, overlimits: 0 },
    // act_api.c tcf_idr_create (v6.18): install and lastuse start at creation time.
    tcf_tm: { install: jiffies(net), lastuse: jiffies(net), expires: 0, firstuse: 0 }, in_hw_count: 0, priv,
    idrinfo: { net },
  };
  act_net(net).idr.get(ops.kind)!.set(index, a);
  return a;
}

/** tcf_idr_release(): drop a binding; the action goes when nothing refers to it. */
export function tcf_idr_release(net: Net, a: TcAction, bind: boolean): void {
  if (bind && a.tcfa_bindcnt > 0) a.tcfa_bindcnt--;
  a.tcfa_refcnt--;
  if (a.tcfa_refcnt <= 0) {
    act_net(net).idr.get(a.ops.kind)?.delete(a.tcfa_index);
    if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
    a.goto_chain = null;
    tcf_action_cleanup(a);
  }
}

// ------------------------------------------------------------------
// Standalone action offload: an action created by `tc actions add` (no
// filter) is offered to every driver registered for indirect offload
// (TC_SETUP_ACT, no device); in_hw_count is how many took it.

const act_skip_sw_fail = declareBranch('net/sched/act_api.c', 'tcf_action_init', 'skip_sw standalone action not offloaded');
const act_offload_none = declareBranch('net/sched/act_api.c', 'tcf_action_offload_add_ex', 'skip_sw and no driver took it');
const act_offload_del_mismatch = declareBranch('net/sched/act_api.c', 'tcf_action_offload_del_ex', 'fewer drivers released it than held it');

function tc_act_in_hw(a: TcAction): boolean {
  return a.in_hw_count !== 0;
}

function offload_action_alloc(): FlowOffloadAction {
  return { extack: null, command: FLOW_ACT_REPLACE, id: null, index: 0, cookie: null, stats: flow_stats_zero(), action: { entries: [] } };
}

/**
 * offload_action_init (act_api.c, v6.18): command, index and identity,
 * then the kind names its flow action id (offload_act_setup, bind = false);
 * a kind without offload_act_setup cannot be offloaded.
 */
function offload_action_init(fl_action: FlowOffloadAction, act: TcAction, cmd: OffloadActCommand, extack: NetlinkExtAck | null): 0 | NegErrno {
  fl_action.extack = extack;
  fl_action.command = cmd;
  fl_action.index = act.tcfa_index;
  fl_action.cookie = act;
  if (!act.ops.offload_act_setup) return -EOPNOTSUPP;
  // the kind writes its id into this entry (upstream: into the flow_offload_action)
  const entry: FlowActionEntry = { id: 'FLOW_ACTION_ACCEPT', hw_stats: 0, hw_index: act.tcfa_index };
  const err = act.ops.offload_act_setup(act, entry, false, extack);
  if (err) return err;
  fl_action.id = entry.id;
  return 0;
}

/**
 * tcf_action_offload_cmd_ex (act_api.c, v6.18): every indirect driver in
 * turn; the count of those that answered 0 is the hardware count.
 */
function tcf_action_offload_cmd(net: Net, fl_act: FlowOffloadAction): { err: 0 | NegErrno; hw_count: number } {
  const r = flow_indr_dev_setup_offload(null, null, null, TC_SETUP_ACT, fl_act, net);
  if (r < 0) return { err: r as NegErrno, hw_count: 0 };
  return { err: 0, hw_count: r };
}

/**
 * tcf_action_offload_add_ex (act_api.c, v6.18): skip_hw actions stay in
 * software; the action becomes one flow_action entry (tc_setup_action) and
 * in_hw_count is set from the drivers that took it; a skip_sw action no
 * driver took is -EINVAL (no extack text upstream).
 */
export const tcf_action_offload_add = hop('net/sched/act_api.c', function tcf_action_offload_add(action: TcAction, extack: NetlinkExtAck | null): 0 | NegErrno {
  const skip_sw = (action.tcfa_flags & TCA_ACT_FLAGS_SKIP_SW) !== 0;
  if (action.tcfa_flags & TCA_ACT_FLAGS_SKIP_HW) return 0;
  const fl_action = offload_action_alloc();
  let err = offload_action_init(fl_action, action, FLOW_ACT_REPLACE, extack);
  if (err) return err;
  const net = action.idrinfo!.net;
  err = tc_setup_action(fl_action.action, { action: 0, actions: [action], net }, extack);
  if (err) {
    NL_SET_ERR_MSG_MOD(extack, 'act_api', 'Failed to setup tc actions for offload');
    return err;
  }
  const r = tcf_action_offload_cmd(net, fl_action);
  err = r.err;
  if (!err) action.in_hw_count = r.hw_count;
  if (act_offload_none(skip_sw && !tc_act_in_hw(action))) err = -EINVAL;
  return err;
}, { input: (a) => `${a.ops.kind} index ${a.tcfa_index} flags 0x${a.tcfa_flags.toString(16)}` });

/**
 * tcf_action_update_hw_stats (act_api.c, v6.18): FLOW_ACT_STATS to the
 * drivers; on success their counters count as hardware counters. Note the
 * answer is success even when no driver holds the action.
 */
export const tcf_action_update_hw_stats = hop('net/sched/act_api.c', function tcf_action_update_hw_stats(action: TcAction): 0 | NegErrno {
  const fl_act = offload_action_alloc();
  const err = offload_action_init(fl_act, action, FLOW_ACT_STATS, null);
  if (err) return err;
  const r = tcf_action_offload_cmd(action.idrinfo!.net, fl_act);
  if (r.err) return -EOPNOTSUPP;
  tcf_action_stats_update(action, fl_act.stats.bytes, fl_act.stats.pkts, fl_act.stats.drops, fl_act.stats.lastused, true);
  action.used_hw_stats = fl_act.stats.used_hw_stats;
  action.used_hw_stats_valid = true;
  return 0;
}, { input: (a) => `${a.ops.kind} index ${a.tcfa_index}` });

/**
 * tcf_action_offload_del_ex (act_api.c, v6.18): only an action in hardware;
 * every driver that held it must release it, else -EINVAL (ignored by the
 * caller: the action goes anyway).
 */
const tcf_action_offload_del = hop('net/sched/act_api.c', function tcf_action_offload_del(action: TcAction): 0 | NegErrno {
  if (!tc_act_in_hw(action)) return 0;
  const fl_act = offload_action_alloc();
  const err = offload_action_init(fl_act, action, FLOW_ACT_DESTROY, null);
  if (err) return err;
  const r = tcf_action_offload_cmd(action.idrinfo!.net, fl_act);
  if (r.err < 0) return r.err;
  if (act_offload_del_mismatch(action.in_hw_count !== r.hw_count)) return -EINVAL;
  return 0;
}, { input: (a) => `${a.ops.kind} index ${a.tcfa_index} in_hw_count ${a.in_hw_count}` });

/** tcf_action_cleanup (act_api.c, v6.18): out of hardware, then the kind's own cleanup. */
function tcf_action_cleanup(p: TcAction): void {
  tcf_action_offload_del(p);
  p.ops.cleanup?.(p);
}

/** tcf_action_valid(): a known verdict or an extended one. */
function tcf_action_valid(action: number): boolean {
  const opcode = action & ~TC_ACT_EXT_VAL_MASK;
  if (opcode === TC_ACT_JUMP || opcode === TC_ACT_GOTO_CHAIN) return true;
  return action >= TC_ACT_UNSPEC && action <= TC_ACT_TRAP;
}

/**
 * tcf_action_check_ctrlact (v6.18): the verdict must be valid; goto chain
 * needs a classifier context and takes an action reference on the chain.
 */
export function tcf_action_check_ctrlact(action: number, tp: TcfProto | null, extack: NetlinkExtAck | null):
  { err: 0 | NegErrno; goto_chain: TcfChain | null } {
  const opcode = action & ~TC_ACT_EXT_VAL_MASK;
  if (!tcf_action_valid(action)) {
    NL_SET_ERR_MSG(extack, 'Invalid control action');
    return { err: -EINVAL, goto_chain: null };
  }
  if ((opcode >>> 0) === (TC_ACT_GOTO_CHAIN >>> 0)) {
    const chain_index = action & TC_ACT_EXT_VAL_MASK;
    if (!tp) {
      NL_SET_ERR_MSG(extack, "can't goto NULL proto/chain");
      return { err: -EINVAL, goto_chain: null };
    }
    const chain = tcf_chain_get_by_act(tp.chain.block, chain_index);
    return { err: 0, goto_chain: chain };
  }
  return { err: 0, goto_chain: null };
}

// act_api.c tcf_action_policy (v6.18)
const tcf_action_policy: NlaPolicy = {
  [TCA_ACT_KIND]: { type: NLA_STRING },
  [TCA_ACT_INDEX]: { type: NLA_U32 },
  [TCA_ACT_COOKIE]: { type: NLA_BINARY, len: TC_COOKIE_MAX_SIZE },
  [TCA_ACT_OPTIONS]: { type: NLA_NESTED },
  [TCA_ACT_FLAGS]: { type: NLA_BITFIELD32, bitfield32_valid: TCA_ACT_FLAGS_USER_MASK },
  [TCA_ACT_HW_STATS]: { type: NLA_BITFIELD32, bitfield32_valid: TCA_ACT_HW_STATS_ANY },
};

/**
 * tc_action_load_ops (v6.18): kind required, must fit IFNAMSIZ, must be
 * registered on this host ("Failed to load TC action module" -ENOENT; the
 * emulated host has no loadable modules, so no -EAGAIN replay).
 */
export const tc_action_load_ops = hop('net/sched/act_api.c', function tc_action_load_ops(net: Net, nla: NlAttr, flags: number, extack: NetlinkExtAck | null):
  { err: 0 | NegErrno; ops: TcActionOps | null } {
  let act_name = 'police';
  if (!(flags & TCA_ACT_FLAGS_POLICE)) {
    const { err, tb } = nla_parse_nested_deprecated(TCA_ACT_MAX, nla, tcf_action_policy, extack);
    if (err < 0) return { err, ops: null };
    const kind = tb[TCA_ACT_KIND];
    if (!kind) {
      NL_SET_ERR_MSG(extack, 'TC action kind must be specified');
      return { err: -EINVAL, ops: null };
    }
    const s = nla_strscpy(kind, IFNAMSIZ);
    if (s.err < 0) {
      NL_SET_ERR_MSG(extack, 'TC action name too long');
      return { err: -EINVAL, ops: null };
    }
    act_name = s.value;
  }
  const ops = tc_lookup_action_n(net, act_name);
  if (!ops) {
    NL_SET_ERR_MSG(extack, 'Failed to load TC action module');
    return { err: -ENOENT, ops: null };
  }
  return { err: 0, ops };
}, { input: (_n, nla) => `order=${nla.type}`, result: (r) => (r.ops ? r.ops.kind : undefined) });

function tc_act_flags_valid(flags: number): boolean {
  const f = flags & (TCA_ACT_FLAGS_SKIP_HW | TCA_ACT_FLAGS_SKIP_SW);
  return f !== (TCA_ACT_FLAGS_SKIP_HW | TCA_ACT_FLAGS_SKIP_SW);
}

/** tcf_action_init_1 (v6.18): cookie, hw_stats, user flags, then the kind's init. */
export const tcf_action_init_1 = hop('net/sched/act_api.c', function tcf_action_init_1(net: Net, tp: TcfProto | null, nla: NlAttr,
  a_o: TcActionOps, flags: number, extack: NetlinkExtAck | null, est?: NlAttr): { err: number; a: TcAction | null } {
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_ACT_MAX, nla, tcf_action_policy, extack);
  if (perr < 0) return { err: perr, a: null };
  const user_cookie = tb[TCA_ACT_COOKIE] ? tb[TCA_ACT_COOKIE]!.payload.slice() : null;
  const hw_stats = tb[TCA_ACT_HW_STATS] ? nla_get_u32(tb[TCA_ACT_HW_STATS]!) : TCA_ACT_HW_STATS_ANY;
  let userflags = 0;
  if (tb[TCA_ACT_FLAGS]) {
    userflags = nla_get_u32(tb[TCA_ACT_FLAGS]!);
    if (!tc_act_flags_valid(userflags)) return { err: -EINVAL, a: null };
  }
  const r = a_o.init(net, tb[TCA_ACT_OPTIONS], tp, userflags | flags, extack, est);
  if (r.err < 0 || !r.a) return { err: r.err < 0 ? r.err : -EINVAL, a: null };
  if (user_cookie) r.a.user_cookie = user_cookie;
  r.a.hw_stats = hw_stats;
  return { err: r.err, a: r.a };
}, { input: (_n, _tp, nla, a_o) => `order=${nla.type} kind=${a_o.kind}` });

/**
 * tcf_action_init (v6.18): every order 1..32 present in turn (kinds first,
 * then init); for classifier-bound actions the filter's skip_sw/skip_hw must
 * agree with the action's own flags, and are inherited.
 */
export const tcf_action_init = hop('net/sched/act_api.c', function tcf_action_init(net: Net, tp: TcfProto | null, nla: NlAttr,
  flags: number, fl_flags: number, extack: NetlinkExtAck | null, est?: NlAttr): { err: number; actions: TcAction[] } {
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_ACT_MAX_PRIO, nla, null, extack);
  if (perr < 0) return { err: perr, actions: [] };
  const ops: TcActionOps[] = [];
  for (let i = 1; i <= TCA_ACT_MAX_PRIO && tb[i]; i++) {
    const r = tc_action_load_ops(net, tb[i]!, flags, extack);
    if (r.err < 0 || !r.ops) return { err: r.err, actions: [] };
    ops.push(r.ops);
  }
  const actions: TcAction[] = [];
  const unwind = (err: number): { err: number; actions: TcAction[] } => {
    tcf_action_destroy(net, actions, (flags & TCA_ACT_FLAGS_BIND) !== 0);
    return { err, actions: [] };
  };
  for (let i = 1; i <= TCA_ACT_MAX_PRIO && tb[i]; i++) {
    const r = tcf_action_init_1(net, tp, tb[i]!, ops[i - 1]!, flags, extack, est);
    if (r.err < 0 || !r.a) return unwind(r.err < 0 ? r.err : -EINVAL);
    const act = r.a;
    actions.push(act);
    if (flags & TCA_ACT_FLAGS_BIND) {
      const skip_sw = (fl_flags & TCA_CLS_FLAGS_SKIP_SW) !== 0;
      const skip_hw = (fl_flags & TCA_CLS_FLAGS_SKIP_HW) !== 0;
      const a_sw = (act.tcfa_flags & TCA_ACT_FLAGS_SKIP_SW) !== 0;
      const a_hw = (act.tcfa_flags & TCA_ACT_FLAGS_SKIP_HW) !== 0;
      if (act.tcfa_flags & TCA_ACT_FLAGS_BIND) {
        if ((a_sw && !skip_sw) || (a_hw && !skip_hw)) {
          NL_SET_ERR_MSG(extack, 'Mismatch between action and filter offload flags');
          return unwind(-EINVAL);
        }
        if (skip_sw) act.tcfa_flags |= TCA_ACT_FLAGS_SKIP_SW;
        if (skip_hw) act.tcfa_flags |= TCA_ACT_FLAGS_SKIP_HW;
        continue;
      }
      if (skip_sw !== a_sw || skip_hw !== a_hw) {
        NL_SET_ERR_MSG(extack, 'Mismatch between action and filter offload flags');
        return unwind(-EINVAL);
      }
    } else {
      // act_api.c tcf_action_init (v6.18): a standalone action is offered to
      // the drivers; only a skip_sw action fails when none took it.
      const oerr = tcf_action_offload_add(act, extack);
      if (act_skip_sw_fail((act.tcfa_flags & TCA_ACT_FLAGS_SKIP_SW) !== 0 && oerr !== 0)) return unwind(oerr);
    }
  }
  return { err: actions.length, actions };
}, { input: (_n, _tp, _nla, flags, fl_flags) => `flags=0x${flags.toString(16)} fl_flags=0x${fl_flags.toString(16)}`, errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_action_destroy(): release the filter's binding of each action. */
export function tcf_action_destroy(net: Net, actions: TcAction[], bind: boolean): void {
  for (const a of actions) tcf_idr_release(net, a, bind);
  actions.length = 0;
}

/** tcf_action_update_stats() */
export function tcf_action_update_stats(a: TcAction, bytes: number, packets: number, drops: number, hw: boolean): void {
  a.bstats.bytes += bytes;
  a.bstats.packets += packets;
  a.qstats.drops += drops;
  if (hw) {
    a.bstats_hw.bytes += bytes;
    a.bstats_hw.packets += packets;
  }
}

/** tcf_action_stats_update(): through the kind's stats_update when it has one. */
export function tcf_action_stats_update(a: TcAction, bytes: number, packets: number, drops: number, lastuse: number, hw: boolean): void {
  if (a.ops.stats_update) {
    a.ops.stats_update(a, bytes, packets, drops, lastuse, hw);
    return;
  }
  tcf_action_update_stats(a, bytes, packets, drops, hw);
  a.tcf_tm.lastuse = Math.max(a.tcf_tm.lastuse, lastuse);
}

/** tcf_action_copy_stats(): TCA_ACT_STATS with basic, hardware and queue counters. */
function tcf_action_copy_stats(b: NlMsgBuilder, a: TcAction): void {
  const nest = b.nestStart(TCA_ACT_STATS);
  const basic = (x: { bytes: number; packets: number }): Uint8Array =>
    new StructWriter(16).u64(0, BigInt(x.bytes)).u32(8, x.packets).bytes;
  b.attr(TCA_STATS_BASIC, basic(a.bstats));
  b.attr(TCA_STATS_BASIC_HW, basic(a.bstats_hw));
  // struct gnet_stats_queue {qlen, backlog, drops, requeues, overlimits}
  b.attr(TCA_STATS_QUEUE, new StructWriter(20).u32(8, a.qstats.drops).u32(16, a.qstats.overlimits).bytes);
  b.nestEnd(nest);
}

function put_bitfield32(b: NlMsgBuilder, type: number, value: number, selector: number): void {
  b.attr(type, new StructWriter(8).u32(0, value).u32(4, selector).bytes);
}

/** tcf_action_dump_1 (v6.18) */
export function tcf_action_dump_1(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  b.string(TCA_ACT_KIND, a.ops.kind);
  tcf_action_copy_stats(b, a);
  if (a.user_cookie) b.attr(TCA_ACT_COOKIE, a.user_cookie);
  if (a.hw_stats !== TCA_ACT_HW_STATS_ANY) put_bitfield32(b, TCA_ACT_HW_STATS, a.hw_stats, TCA_ACT_HW_STATS_ANY);
  if (a.used_hw_stats_valid) put_bitfield32(b, TCA_ACT_USED_HW_STATS, a.used_hw_stats, TCA_ACT_HW_STATS_ANY);
  const flags = a.tcfa_flags & TCA_ACT_FLAGS_USER_MASK;
  if (flags) put_bitfield32(b, TCA_ACT_FLAGS, flags, flags);
  b.u32(TCA_ACT_IN_HW_COUNT, a.in_hw_count);
  const nest = b.nestStart(TCA_ACT_OPTIONS);
  const err = a.ops.dump(b, a, bind, ref);
  b.nestEnd(nest);
  return err;
}

/** tcf_action_dump_terse(): kind, stats (the index too when dumped from the action table) and cookie only. */
function tcf_action_dump_terse(b: NlMsgBuilder, a: TcAction, from_act = false): number {
  b.string(TCA_ACT_KIND, a.ops.kind);
  tcf_action_copy_stats(b, a);
  if (from_act) b.u32(TCA_ACT_INDEX, a.tcfa_index);
  if (a.user_cookie) b.attr(TCA_ACT_COOKIE, a.user_cookie);
  return 0;
}

/** tcf_action_dump(): one nest per action, numbered by order from 1. */
export const tcf_action_dump = hop('net/sched/act_api.c', function tcf_action_dump(b: NlMsgBuilder, actions: TcAction[], bind: number, ref: number, terse: boolean): number {
  for (let i = 0; i < actions.length; i++) {
    const nest = b.nestStart(i + 1);
    const err = terse ? tcf_action_dump_terse(b, actions[i]!) : tcf_action_dump_1(b, actions[i]!, bind, ref);
    b.nestEnd(nest);
    if (err < 0) return err;
  }
  return 0;
}, { input: (_b, actions) => actions.map((a) => a.ops.kind).join(',') });

/** tcf_exts_hw_stats_update (include/net/pkt_cls.h): fold a driver's counters into every action. */
export function tcf_exts_hw_stats_update(exts: TcfExts, stats: { bytes: number; pkts: number; drops: number; lastused: number;
  used_hw_stats: number; used_hw_stats_valid: boolean }): void {
  for (const a of exts.actions) {
    // an action offloaded on its own reports its own counters
    if (tc_act_in_hw(a) && !tcf_action_update_hw_stats(a)) continue;
    tcf_action_stats_update(a, stats.bytes, stats.pkts, stats.drops, stats.lastused, true);
    a.used_hw_stats = stats.used_hw_stats;
    a.used_hw_stats_valid = stats.used_hw_stats_valid;
  }
}

// ------------------------------------------------------------------
// The common shape of every kind's init (act_*.c): bind to an existing
// index, create a new action, or replace one only with TCA_ACT_FLAGS_REPLACE.

/** tcf_idr_check_alloc() with bind: an existing action is bound (ACT_P_BOUND). */
export function tcf_idr_bind_existing(a: TcAction): { err: number; a: TcAction } {
  a.tcfa_bindcnt++;
  a.tcfa_refcnt++;
  return { err: 0 /* ACT_P_BOUND */, a };
}

/**
 * tcf_idr_create_from_flags() or the replace branch of a kind's init:
 * `created` tells the caller to release the action on a later failure.
 */
export function tcf_idr_create_or_replace(net: Net, ops: TcActionOps, exists: TcAction | null, index: number, flags: number,
  priv: unknown): { err: 0 | NegErrno; a: TcAction | null; created: boolean } {
  if (!exists) return { err: 0, a: tcf_idr_create(net, ops, index, (flags & TCA_ACT_FLAGS_BIND) !== 0, flags, priv), created: true };
  // act_*.c init: an existing index without REPLACE
  if (!(flags & TCA_ACT_FLAGS_REPLACE)) return { err: -EEXIST, a: null, created: false };
  return { err: 0, a: exists, created: false };
}

/**
 * tcf_action_check_ctrlact + tcf_action_set_ctrlact: validate the verdict
 * and install it with its goto chain; on failure a just-created action is
 * released again.
 */
export function tcf_action_apply_ctrlact(net: Net, a: TcAction, created: boolean, action: number, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): 0 | NegErrno {
  const c = tcf_action_check_ctrlact(action, tp, extack);
  if (c.err < 0) {
    if (created) tcf_idr_release(net, a, (flags & TCA_ACT_FLAGS_BIND) !== 0);
    return c.err;
  }
  if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
  a.tcfa_action = action;
  a.goto_chain = c.goto_chain;
  return 0;
}

/** The struct tc_gen head every *_PARMS starts with, as dumped. */
export function tcf_gen_dump(a: TcAction, bind: number, ref: number, len: number): StructWriter {
  return new StructWriter(len).u32(0, a.tcfa_index).u32(4, 0).s32(8, a.tcfa_action)
    .s32(12, a.tcfa_refcnt - ref).s32(16, a.tcfa_bindcnt - bind);
}

/** tcf_tm_dump() + nla_put_64bit(*_TM): the action's ages. */
export function tcf_tm_put(b: NlMsgBuilder, type: number, a: TcAction): void {
  const tm = tcf_tm_dump(a);
  b.attr(type, new StructWriter(TCF_T_LEN).u64(0, BigInt(tm.install)).u64(8, BigInt(tm.lastuse))
    .u64(16, BigInt(tm.expires)).u64(24, BigInt(tm.firstuse)).bytes);
}

/** The generic stats_update most kinds use (tcf_action_update_stats + lastuse). */
export function tcf_generic_stats_update(a: TcAction, bytes: number, packets: number, drops: number, lastuse: number, hw: boolean): void {
  tcf_action_update_stats(a, bytes, packets, drops, hw);
  a.tcf_tm.lastuse = Math.max(a.tcf_tm.lastuse, lastuse);
}

// ------------------------------------------------------------------
// Standalone actions: RTM_NEWACTION / RTM_DELACTION / RTM_GETACTION
// (`tc actions …`), acting on the per-kind index tables above.

// Decisions counted by the hop coverage report.
const act_delete_bound = declareBranch('net/sched/act_api.c', 'tcf_idr_delete_index', 'action still bound to a filter');
const act_flush_bound = declareBranch('net/sched/act_api.c', 'tcf_del_walker', 'flush stopped by a bound action');
const act_gd_flush = declareBranch('net/sched/act_api.c', 'tca_action_gd', 'delete with NLM_F_ROOT flushes');

/** tcf_idr_search(): the action of `ops` at `index`, if any. */
function tcf_idr_search(net: Net, ops: TcActionOps, index: number): TcAction | undefined {
  return act_net(net).idr.get(ops.kind)?.get(index);
}

/** tc_lookup_action(): the kind named by a TCA_ACT_KIND attribute. */
function tc_lookup_action(net: Net, kind: NlAttr | undefined): TcActionOps | undefined {
  if (!kind) return undefined;
  return tc_lookup_action_n(net, nla_get_string(kind));
}

function tcamsg_put(b: NlMsgBuilder): void {
  // struct tcamsg: tca_family = AF_UNSPEC, two pad fields
  b.put(new StructWriter(TCAMSG_LEN).bytes);
}

/**
 * tca_get_fill (v6.18): tcamsg, the extack warning if any, and TCA_ACT_TAB
 * with the actions numbered from 1. The emulated search takes no reference,
 * so `ref` counts only the references the caller itself holds.
 */
function tca_get_fill(actions: TcAction[], portid: number, seq: number, flags: number, event: number, bind: number, ref: number,
  extack: NetlinkExtAck | null): Uint8Array | null {
  const b = new NlMsgBuilder({ nlmsg_type: event, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: portid });
  tcamsg_put(b);
  if (extack?._msg) b.string(TCA_ROOT_EXT_WARN_MSG, extack._msg);
  const nest = b.nestStart(TCA_ACT_TAB);
  if (tcf_action_dump(b, actions, bind, ref, false) < 0) return null;
  b.nestEnd(nest);
  return b.finish();
}

/** tcf_action_add (v6.18): init without a filter (no bind), then announce. */
const tcf_action_add = hop('net/sched/act_api.c', function tcf_action_add(net: Net, nla: NlAttr, n: NlMsg, portid: number, flags: number,
  extack: NetlinkExtAck): 0 | NegErrno {
  // no loadable modules here, so never the -EAGAIN replay loop
  const r = tcf_action_init(net, null, nla, flags, 0, extack);
  if (r.err < 0) return r.err as NegErrno;
  // tcf_add_notify
  if (!rtnl_notify_needed(net, n.hdr.nlmsg_flags, RTNLGRP_TC)) return 0;
  const msg = tca_get_fill(r.actions, portid, n.hdr.nlmsg_seq, n.hdr.nlmsg_flags, RTM_NEWACTION, 0, 0, extack);
  if (!msg) {
    NL_SET_ERR_MSG(extack, 'Failed to fill netlink attributes while adding TC action');
    return -EINVAL;
  }
  return rtnetlink_send(msg, net, portid, RTNLGRP_TC, (n.hdr.nlmsg_flags & NLM_F_ECHO) !== 0);
}, { input: (_n, _nla, n, _p, flags) => `flags=0x${flags.toString(16)} nlmsg_flags=0x${n.hdr.nlmsg_flags.toString(16)}` });

/** tcf_action_get_1 (v6.18): kind and index name an existing action. */
const tcf_action_get_1 = hop('net/sched/act_api.c', function tcf_action_get_1(net: Net, nla: NlAttr, extack: NetlinkExtAck):
  { err: 0 | NegErrno; a: TcAction | null } {
  const { err, tb } = nla_parse_nested_deprecated(TCA_ACT_MAX, nla, tcf_action_policy, extack);
  if (err < 0) return { err, a: null };
  const idx = tb[TCA_ACT_INDEX];
  if (!idx || idx.payload.byteLength < 4) {
    NL_SET_ERR_MSG(extack, 'Invalid TC action index value');
    return { err: -EINVAL, a: null };
  }
  const ops = tc_lookup_action(net, tb[TCA_ACT_KIND]);
  if (!ops) {
    NL_SET_ERR_MSG(extack, 'Specified TC action kind not found');
    return { err: -EINVAL, a: null };
  }
  const a = tcf_idr_search(net, ops, nla_get_u32(idx));
  if (!a) {
    NL_SET_ERR_MSG(extack, 'TC action with specified index not found');
    return { err: -ENOENT, a: null };
  }
  return { err: 0, a };
}, { input: (_n, nla) => `order=${nla.type}`, errno: (r) => r.err, result: (r) => (r.a ? `${r.a.ops.kind} index ${r.a.tcfa_index}` : undefined) });

/**
 * tcf_idr_delete_index (v6.18): an action a filter still uses (bindcnt > 0)
 * cannot be deleted through the action API.
 */
const tcf_idr_delete_index = hop('net/sched/act_api.c', function tcf_idr_delete_index(net: Net, ops: TcActionOps, index: number): 0 | NegErrno {
  const idr = act_net(net).idr.get(ops.kind);
  const p = idr?.get(index);
  if (!p) return -ENOENT;
  if (act_delete_bound(p.tcfa_bindcnt > 0)) return -EPERM;
  p.tcfa_refcnt--;
  if (p.tcfa_refcnt <= 0) {
    idr!.delete(index);
    if (p.goto_chain) tcf_chain_put_by_act(p.goto_chain);
    p.goto_chain = null;
    tcf_action_cleanup(p);
  }
  return 0;
}, { input: (_n, ops, index) => `${ops.kind} index ${index}` });

/** tcf_del_notify (v6.18): the notification is built first, then each action deleted in turn. */
const tcf_del_notify = hop('net/sched/act_api.c', function tcf_del_notify(net: Net, n: NlMsg, actions: TcAction[], portid: number,
  extack: NetlinkExtAck): 0 | NegErrno {
  let msg: Uint8Array | null = null;
  if (rtnl_notify_needed(net, n.hdr.nlmsg_flags, RTNLGRP_TC)) {
    // upstream dumps with ref 2: the reference the search took, and the table's own
    msg = tca_get_fill(actions, portid, n.hdr.nlmsg_seq, 0, RTM_DELACTION, 0, 1, extack);
    if (!msg) {
      NL_SET_ERR_MSG(extack, 'Failed to fill netlink TC action attributes');
      return -EINVAL;
    }
  }
  // tcf_action_delete
  for (const a of actions) {
    const ret = tcf_idr_delete_index(net, a.ops, a.tcfa_index);
    if (ret < 0) {
      NL_SET_ERR_MSG(extack, 'Failed to delete TC action');
      return ret;
    }
  }
  if (!msg) return 0;
  return rtnetlink_send(msg, net, portid, RTNLGRP_TC, (n.hdr.nlmsg_flags & NLM_F_ECHO) !== 0);
});

/**
 * tcf_del_walker (v6.18): release every unbound action of the kind; a bound
 * one stops the walk (-EPERM when it was the first, else a warning).
 */
function tcf_del_walker(net: Net, b: NlMsgBuilder, ops: TcActionOps, extack: NetlinkExtAck): number {
  const idr = act_net(net).idr.get(ops.kind)!;
  let n_i = 0;
  let ret = 0;
  for (const id of [...idr.ids_from(1)]) {
    const p = idr.get(id)!;
    // tcf_idr_release_unsafe
    if (act_flush_bound(p.tcfa_bindcnt > 0)) {
      ret = -EPERM;
      break;
    }
    p.tcfa_refcnt--;
    if (p.tcfa_refcnt <= 0) {
      idr.delete(id);
      if (p.goto_chain) tcf_chain_put_by_act(p.goto_chain);
      p.goto_chain = null;
      tcf_action_cleanup(p);
    }
    n_i++;
  }
  if (ret < 0) {
    if (!n_i) return ret;
    NL_SET_ERR_MSG(extack, 'Unable to flush all TC actions');
  }
  const nest = b.nestStart(0);
  b.string(TCA_ACT_KIND, ops.kind);
  b.u32(TCA_FCNT, n_i);
  b.nestEnd(nest);
  return n_i;
}

/** tca_action_flush (v6.18): every action of one kind, announced as one RTM_DELACTION with NLM_F_ROOT. */
const tca_action_flush = hop('net/sched/act_api.c', function tca_action_flush(net: Net, nla: NlAttr, n: NlMsg, portid: number,
  extack: NetlinkExtAck): 0 | NegErrno {
  const { err, tb } = nla_parse_nested_deprecated(TCA_ACT_MAX, nla, tcf_action_policy, extack);
  if (err < 0) return err;
  const ops = tc_lookup_action(net, tb[TCA_ACT_KIND]);
  if (!ops) {
    NL_SET_ERR_MSG(extack, 'Cannot flush unknown TC action');
    return -EINVAL;
  }
  const b = new NlMsgBuilder({ nlmsg_type: RTM_DELACTION, nlmsg_flags: NLM_F_ROOT, nlmsg_seq: n.hdr.nlmsg_seq, nlmsg_pid: portid });
  tcamsg_put(b);
  const nest = b.nestStart(TCA_ACT_TAB);
  const w = tcf_del_walker(net, b, ops, extack);
  // nothing flushed (or refused at the first action): no notification
  if (w <= 0) return w as 0 | NegErrno;
  b.nestEnd(nest);
  const r = rtnetlink_send(b.finish(), net, portid, RTNLGRP_TC, (n.hdr.nlmsg_flags & NLM_F_ECHO) !== 0);
  if (r < 0) NL_SET_ERR_MSG(extack, 'Failed to send TC action flush notification');
  return r;
});

/** tca_action_gd (v6.18): get or delete the listed actions, or flush a kind. */
const tca_action_gd = hop('net/sched/act_api.c', function tca_action_gd(net: Net, nla: NlAttr, n: NlMsg, portid: number, event: number,
  extack: NetlinkExtAck): 0 | NegErrno {
  const { err, tb } = nla_parse_nested_deprecated(TCA_ACT_MAX_PRIO, nla, null, extack);
  if (err < 0) return err;
  if (act_gd_flush(event === RTM_DELACTION && (n.hdr.nlmsg_flags & NLM_F_ROOT) !== 0)) {
    if (tb[1]) return tca_action_flush(net, tb[1], n, portid, extack);
    NL_SET_ERR_MSG(extack, 'Invalid netlink attributes while flushing TC action');
    return -EINVAL;
  }
  const actions: TcAction[] = [];
  for (let i = 1; i <= TCA_ACT_MAX_PRIO && tb[i]; i++) {
    const r = tcf_action_get_1(net, tb[i]!, extack);
    if (r.err < 0 || !r.a) return r.err;
    actions.push(r.a);
  }
  if (event === RTM_DELACTION) return tcf_del_notify(net, n, actions, portid, extack);
  // tcf_get_notify: unicast to the requester, no extack warning
  const msg = tca_get_fill(actions, portid, n.hdr.nlmsg_seq, 0, event, 0, 0, null);
  if (!msg) {
    NL_SET_ERR_MSG(extack, 'Failed to fill netlink attributes while adding TC action');
    return -EINVAL;
  }
  const r = rtnl_unicast(msg, net, portid);
  return r < 0 ? (r as NegErrno) : 0;
}, { input: (_n, _nla, _m, _p, event) => `event=${event}` });

/** tc_ctl_action (v6.18): the doit of all three action messages. */
export const tc_ctl_action = hop('net/sched/act_api.c', function tc_ctl_action(skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const net = skb.net;
  if (n.hdr.nlmsg_type !== RTM_GETACTION && !skb.cap_net_admin) return -EPERM;
  const { err, tb } = nlmsg_parse_deprecated(n, TCAMSG_LEN, TCA_ROOT_MAX, null, extack);
  if (err < 0) return err;
  const tab = tb[TCA_ACT_TAB];
  if (!tab) {
    NL_SET_ERR_MSG(extack, 'Netlink action attributes missing');
    return -EINVAL;
  }
  switch (n.hdr.nlmsg_type) {
    case RTM_NEWACTION:
      // act_api.c tc_ctl_action (v6.18): only NLM_F_REPLACE may overwrite an existing index
      return tcf_action_add(net, tab, n, skb.portid, n.hdr.nlmsg_flags & NLM_F_REPLACE ? TCA_ACT_FLAGS_REPLACE : 0, extack);
    case RTM_DELACTION:
      return tca_action_gd(net, tab, n, skb.portid, RTM_DELACTION, extack);
    default:
      return tca_action_gd(net, tab, n, skb.portid, RTM_GETACTION, extack);
  }
}, { input: (_s, n) => `type=${n.hdr.nlmsg_type} flags=0x${n.hdr.nlmsg_flags.toString(16)} seq=${n.hdr.nlmsg_seq}` });

// act_api.c tcaa_policy (v6.18)
const tcaa_policy: NlaPolicy = {
  [TCA_ROOT_FLAGS]: { type: NLA_BITFIELD32, bitfield32_valid: TCA_ACT_FLAG_LARGE_DUMP_ON | TCA_ACT_FLAG_TERSE_DUMP },
  [TCA_ROOT_TIME_DELTA]: { type: NLA_U32 },
};

/** find_dump_kind (v6.18): TCA_ACT_KIND of the first entry of TCA_ACT_TAB. */
function find_dump_kind(tb: Array<NlAttr | undefined>): NlAttr | undefined {
  const tab = tb[TCA_ACT_TAB];
  if (!tab) return undefined;
  const t = nla_parse_nested_deprecated(TCA_ACT_MAX_PRIO, tab, null, null);
  if (t.err < 0 || !t.tb[1]) return undefined;
  const t2 = nla_parse_nested_deprecated(TCA_ACT_MAX, t.tb[1], tcf_action_policy, null);
  if (t2.err < 0) return undefined;
  return t2.tb[TCA_ACT_KIND];
}

/**
 * tc_dump_action (v6.18): one message per batch of actions of the kind
 * (all of them with LARGE_DUMP_ON, else 32), each entry nested by its
 * position from 0; TCA_ROOT_COUNT is filled only for large dumps.
 */
export const tc_dump_action = hop('net/sched/act_api.c', function tc_dump_action(cb: NetlinkCallback): 0 | NegErrno {
  const net = cb.skb.net;
  const { err, tb } = nlmsg_parse_deprecated(cb.nlh, TCAMSG_LEN, TCA_ROOT_MAX, tcaa_policy, cb.extack);
  if (err < 0) return err;
  const kind = find_dump_kind(tb);
  if (!kind) {
    net.printk('info', 'tc_dump_action: action bad kind');
    return 0;
  }
  const ops = tc_lookup_action(net, kind);
  if (!ops) return 0;
  const act_flags = tb[TCA_ROOT_FLAGS] ? nla_get_u32(tb[TCA_ROOT_FLAGS]!) : 0;
  const msecs_since = tb[TCA_ROOT_TIME_DELTA] ? nla_get_u32(tb[TCA_ROOT_TIME_DELTA]!) : 0;
  // HZ = 1000: a millisecond is a jiffy
  const jiffy_since = msecs_since ? jiffies(net) - msecs_since : 0;
  const idr = act_net(net).idr.get(ops.kind)!;
  const ids = [...idr.ids_from(1)];
  let pos = 0;
  for (;;) {
    // tcf_dump_walker, resuming at `pos`
    const b = new NlMsgBuilder({
      nlmsg_type: cb.nlh.hdr.nlmsg_type, nlmsg_flags: cb.skb.portid ? NLM_F_MULTI : 0, nlmsg_seq: cb.nlh.hdr.nlmsg_seq,
      nlmsg_pid: cb.skb.portid,
    });
    tcamsg_put(b);
    // the walk picks the batch first: TCA_ROOT_COUNT precedes the entries
    const batch: TcAction[] = [];
    for (; pos < ids.length; pos++) {
      const p = idr.get(ids[pos]!)!;
      if (jiffy_since && jiffy_since > p.tcf_tm.lastuse) continue;
      if (!(act_flags & TCA_ACT_FLAG_LARGE_DUMP_ON) && batch.length >= TCA_ACT_MAX_PRIO) break;
      tcf_action_update_hw_stats(p);
      batch.push(p);
    }
    if (!batch.length) return 0;
    b.u32(TCA_ROOT_COUNT, act_flags & TCA_ACT_FLAG_LARGE_DUMP_ON ? batch.length : 0);
    const nest = b.nestStart(TCA_ACT_TAB);
    batch.forEach((p, n_i) => {
      const e = b.nestStart(n_i);
      if (act_flags & TCA_ACT_FLAG_TERSE_DUMP) tcf_action_dump_terse(b, p, true);
      else tcf_action_dump_1(b, p, 0, 0);
      b.nestEnd(e);
    });
    b.nestEnd(nest);
    cb.msgs.push(b.finish());
  }
}, { input: (cb) => `seq=${cb.nlh.hdr.nlmsg_seq}` });

/** tc_action_init (v6.18): the three action message handlers. */
export function tc_action_init(net: Net): void {
  rtnl_register_many(net, [
    { protocol: 0, msgtype: RTM_NEWACTION, doit: tc_ctl_action },
    { protocol: 0, msgtype: RTM_DELACTION, doit: tc_ctl_action },
    { protocol: 0, msgtype: RTM_GETACTION, doit: tc_ctl_action, dumpit: tc_dump_action },
  ]);
}

/** A view of one action in its kind's table, for state queries and invariants (not upstream). */
export interface TcActionView { kind: string; index: number; refcnt: number; bindcnt: number; in_table_at: number; in_hw_count: number }

/** Every action of every kind, in index order. */
export function tcf_action_query(net: Net): TcActionView[] {
  const out: TcActionView[] = [];
  for (const [kind, idr] of act_net(net).idr) {
    for (const id of idr.ids_from(1)) {
      const a = idr.get(id)!;
      out.push({ kind, index: a.tcfa_index, refcnt: a.tcfa_refcnt, bindcnt: a.tcfa_bindcnt, in_table_at: id, in_hw_count: a.in_hw_count });
    }
  }
  return out;
}
