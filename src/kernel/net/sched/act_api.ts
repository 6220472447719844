// net/sched/act_api.c: action kinds registered per host, creating the
// actions of a filter from TCA_*_ACT, their dump and their statistics.
import { Idr } from '../../lib/idr';
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG } from '../../include/linux/netlink';
import { TCF_T_LEN, tcf_tm_dump, type TcAction, type TcActionOps, type TcfExts } from '../../include/net/act_api';
import type { TcfChain, TcfProto } from '../../include/net/sch_generic';
import { EEXIST, EINVAL, ENOENT, type NegErrno } from '../../include/uapi/asm-generic/errno';
import {
  TCA_ACT_COOKIE, TCA_ACT_FLAGS, TCA_ACT_FLAGS_BIND, TCA_ACT_FLAGS_NO_PERCPU_STATS, TCA_ACT_FLAGS_POLICE,
  TCA_ACT_FLAGS_SKIP_HW, TCA_ACT_FLAGS_SKIP_SW, TCA_ACT_HW_STATS, TCA_ACT_HW_STATS_ANY, TCA_ACT_INDEX,
  TCA_ACT_IN_HW_COUNT, TCA_ACT_KIND, TCA_ACT_MAX, TCA_ACT_MAX_PRIO, TCA_ACT_OPTIONS, TCA_ACT_STATS,
  TCA_ACT_USED_HW_STATS, TCA_ACT_FLAGS_REPLACE, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW, TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN,
  TC_ACT_JUMP, TC_ACT_TRAP, TC_ACT_UNSPEC, TC_COOKIE_MAX_SIZE,
} from '../../include/uapi/linux/pkt_cls';
import { IFNAMSIZ } from '../../include/uapi/linux/pkt_sched';
import { StructWriter, nla_get_u32, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import {
  NLA_BINARY, NLA_BITFIELD32, NLA_NESTED, NLA_STRING, NLA_U32, nla_parse_nested_deprecated, nla_strscpy,
  type NlaPolicy,
} from '../../lib/nlattr';
import { tcf_chain_get_by_act, tcf_chain_put_by_act } from './cls_api';
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
    a.ops.cleanup?.(a);
  }
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

/** tcf_action_dump_terse(): kind, stats and cookie only. */
function tcf_action_dump_terse(b: NlMsgBuilder, a: TcAction): number {
  b.string(TCA_ACT_KIND, a.ops.kind);
  tcf_action_copy_stats(b, a);
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
