// net/sched/cls_api.c: filter blocks, chains and classifier instances; the
// RTM_*TFILTER / RTM_*CHAIN handlers; notifications; and the offload calls
// that reach drivers' flow-block callbacks. Classifiers are reached only
// through the per-host ops table filled by register_tcf_proto_ops.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import { TC_SETUP_BLOCK, tc_can_offload } from '../../include/linux/netdevice';
import type { NetlinkCallback, NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG, NL_SET_ERR_MSG_ATTR } from '../../include/linux/netlink';
import {
  FLOW_BLOCK_BIND, FLOW_BLOCK_UNBIND, FLOW_ACTION_HW_STATS_DISABLED, FLOW_ACTION_HW_STATS_DONT_CARE,
  type FlowAction, type FlowActionEntry, type FlowBlockOffload, type FlowClsCommonOffload,
  type FlowSetupCb,
} from '../../include/net/flow_offload';
import type { TcfExts } from '../../include/net/act_api';
import type {
  Qdisc, TcfBlock, TcfChain, TcfProto, TcfProtoOps, TcfWalker,
} from '../../include/net/sch_generic';
import {
  EAGAIN, EEXIST, EINVAL, EMSGSIZE, ENODEV, ENOENT, ENOMEM, ENOSPC, EOPNOTSUPP, type NegErrno,
} from '../../include/uapi/asm-generic/errno';
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_MULTI } from '../../include/uapi/linux/netlink';
import {
  RTM_DELCHAIN, RTM_DELTFILTER, RTM_GETCHAIN, RTM_GETTFILTER, RTM_NEWCHAIN, RTM_NEWTFILTER, RTNLGRP_TC,
} from '../../include/uapi/linux/rtnetlink';
import {
  IFNAMSIZ, TCA_CHAIN, TCA_DUMP_FLAGS, TCA_DUMP_FLAGS_TERSE, TCA_EXT_WARN_MSG, TCA_KIND, TCA_MAX,
  TCQ_F_CAN_BYPASS, TCQ_F_INGRESS, TCM_IFINDEX_MAGIC_BLOCK, TC_H_MAJ, TC_H_MAKE, TC_H_MIN, TC_H_MIN_INGRESS,
} from '../../include/uapi/linux/pkt_sched';
import {
  TCA_ACT_FLAGS_AT_INGRESS, TCA_ACT_FLAGS_AT_INGRESS_OR_CLSACT, TCA_ACT_FLAGS_BIND, TCA_ACT_FLAGS_NO_RTNL,
  TCA_ACT_FLAGS_REPLACE, TCA_ACT_HW_STATS_ANY, TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_SKIP_SW, TCA_CLS_FLAGS_VERBOSE,
  TC_ACT_EXT_VAL_MASK,
} from '../../include/uapi/linux/pkt_cls';
import type { NlMsg } from '../../../netlink/nlmsg';
import { NLMSG_HDRLEN } from '../../../netlink/nlmsg';
import { NlMsgBuilder, nla_get_string, nla_get_u32, type NlAttr } from '../../../netlink/attr';
import { TCMSG_LEN, tcmsg_decode, tcmsg_encode, type TcMsg } from '../../../netlink/structs';
import {
  NLA_BITFIELD32, NLA_STRING, NLA_U32, nla_strcmp, nla_strscpy, nlmsg_parse_deprecated, type NlaPolicy, type NlaTb,
} from '../../lib/nlattr';
import { RTNL_FLAG_DOIT_UNLOCKED } from '../../include/net/rtnetlink';
import { rtnetlink_send, rtnl_notify_needed, rtnl_register_many, rtnl_unicast } from '../core/rtnetlink';
import { dev_root_qdisc, qdisc_lookup, rtm_tca_policy } from './sch_api';
import { tcf_action_destroy, tcf_action_dump, tcf_action_init } from './act_api';
import { hop } from '../../../trace/hop';
import { flow_indr_dev_setup_offload } from '../core/flow_offload';
import { declareBranch } from '../../../trace/branch';

// Decisions counted by the hop coverage report.
const tc_setup_cb_add_in_hw = declareBranch('net/sched/cls_api.c', 'tc_setup_cb_add', 'in_hw_count');

/** struct tcf_block_ext_info */
export interface TcfBlockExtInfo {
  binder_type: number;
  block_index: number;
}

/** A filter's hardware counters that tc_setup_cb_* update in place. */
export interface TcHwCounters {
  flags: number;
  in_hw_count: number;
}

interface TcfNet {
  /** tcf_proto_base: classifier kinds. */
  proto_base: Map<string, TcfProtoOps>;
  /** Shared blocks by index (tcf_net->idr). */
  blocks: Map<number, TcfBlock>;
  /** Every live block, shared or not, for queries. */
  all_blocks: Set<TcfBlock>;
  next_tp_id: number;
}

function tcf_net(net: Net): TcfNet {
  return net_generic(net, 'cls_api', () => ({
    proto_base: new Map<string, TcfProtoOps>(), blocks: new Map<number, TcfBlock>(), all_blocks: new Set<TcfBlock>(), next_tp_id: 1,
  }));
}

/** Every live block of the namespace (emulator view for queries). */
export function tcf_blocks(net: Net): TcfBlock[] {
  return [...tcf_net(net).all_blocks];
}

/** register_tcf_proto_ops(): a classifier kind becomes available on this host. */
export function register_tcf_proto_ops(net: Net, ops: TcfProtoOps): 0 | NegErrno {
  const base = tcf_net(net).proto_base;
  if (base.has(ops.kind)) return -EEXIST;
  base.set(ops.kind, ops);
  return 0;
}

/**
 * tcf_proto_lookup_ops (v6.18): no module can be loaded on the emulated
 * host, so an unknown kind is "TC classifier not found" -ENOENT.
 */
export const tcf_proto_lookup_ops = hop('net/sched/cls_api.c', function tcf_proto_lookup_ops(net: Net, kind: string,
  extack: NetlinkExtAck | null): TcfProtoOps | null {
  const ops = tcf_net(net).proto_base.get(kind);
  if (!ops) {
    NL_SET_ERR_MSG(extack, 'TC classifier not found');
    return null;
  }
  return ops;
}, { input: (_n, kind) => kind, result: (r) => (r ? r.kind : 'NULL'), errno: (r) => (r ? 0 : -ENOENT) });

// ---------------------------------------------------------------- offload

/** tcf_block_offload_inc/dec: IN_HW on the filter and block->offloadcnt. */
function tcf_block_offload_inc(block: TcfBlock, c: TcHwCounters): void {
  if (c.flags & TCA_CLS_FLAGS_IN_HW) return;
  c.flags |= TCA_CLS_FLAGS_IN_HW;
  block.offloadcnt++;
}

function tcf_block_offload_dec(block: TcfBlock, c: TcHwCounters): void {
  if (!(c.flags & TCA_CLS_FLAGS_IN_HW)) return;
  c.flags &= ~TCA_CLS_FLAGS_IN_HW;
  block.offloadcnt--;
}

/** tc_cls_offload_cnt_update() */
const tc_cls_offload_cnt_update = hop('net/sched/cls_api.c', function tc_cls_offload_cnt_update(block: TcfBlock, c: TcHwCounters, diff: number, add: boolean): void {
  if (add) {
    if (!c.in_hw_count) tcf_block_offload_inc(block, c);
    c.in_hw_count += diff;
  } else {
    c.in_hw_count -= diff;
    if (!c.in_hw_count) tcf_block_offload_dec(block, c);
  }
}, { input: (_b, c, diff, add) => `${add ? '+' : '-'}${diff} -> in_hw_count=${c.in_hw_count + (add ? diff : -diff)}` });

/** tc_cls_offload_cnt_reset() */
function tc_cls_offload_cnt_reset(block: TcfBlock, c: TcHwCounters): void {
  tcf_block_offload_dec(block, c);
  c.in_hw_count = 0;
}

/**
 * __tc_setup_cb_call (v6.18): every bound callback in order; with err_stop
 * the first error is returned at once, otherwise errors are ignored; the
 * result is the number of callbacks that returned 0.
 */
export const __tc_setup_cb_call = hop('net/sched/cls_api.c', function __tc_setup_cb_call(block: TcfBlock, type: number, type_data: unknown,
  err_stop: boolean): number | NegErrno {
  let ok_count = 0;
  for (const block_cb of [...block.flow_block.cb_list]) {
    const err = block_cb.cb(type, type_data, block_cb.cb_priv);
    if (err) {
      if (err_stop) return err;
    } else {
      ok_count++;
    }
  }
  return ok_count;
}, { input: (block, type, _d, err_stop) => `type=${type} cbs=${block.flow_block.cb_list.length} err_stop=${err_stop}`, result: (r) => (r < 0 ? undefined : `ok_count=${r}`) });

/** tc_setup_cb_call(): for STATS and hints; returns ok_count. */
export const tc_setup_cb_call = hop('net/sched/cls_api.c', function tc_setup_cb_call(block: TcfBlock, type: number, type_data: unknown,
  err_stop: boolean): number | NegErrno {
  return __tc_setup_cb_call(block, type, type_data, err_stop);
}, { result: (r) => (r < 0 ? undefined : `ok_count=${r}`) });

/**
 * tc_setup_cb_add (v6.18): a block with a non-offloading device refuses
 * skip_sw (-EOPNOTSUPP) before any driver sees the rule; then callbacks,
 * hw_add, and IN_HW / in_hw_count from ok_count.
 */
export const tc_setup_cb_add = hop('net/sched/cls_api.c', function tc_setup_cb_add(block: TcfBlock, tp: TcfProto, type: number, type_data: unknown,
  err_stop: boolean, c: TcHwCounters): 0 | NegErrno {
  if (block.nooffloaddevcnt && err_stop) return -EOPNOTSUPP;
  const ok_count = __tc_setup_cb_call(block, type, type_data, err_stop);
  if (ok_count < 0) return ok_count;
  tp.ops.hw_add?.(tp, type_data);
  if (tc_setup_cb_add_in_hw(ok_count > 0)) tc_cls_offload_cnt_update(block, c, ok_count, true);
  return 0;
}, { input: (block, _tp, _t, _d, err_stop) => `cbs=${block.flow_block.cb_list.length} nooffloaddevcnt=${block.nooffloaddevcnt} err_stop=${err_stop}` });

/** tc_setup_cb_destroy (v6.18): callbacks, then IN_HW/in_hw_count reset and hw_del regardless. */
export const tc_setup_cb_destroy = hop('net/sched/cls_api.c', function tc_setup_cb_destroy(block: TcfBlock, tp: TcfProto, type: number,
  type_data: unknown, err_stop: boolean, c: TcHwCounters): 0 | NegErrno {
  const ok_count = __tc_setup_cb_call(block, type, type_data, err_stop);
  tc_cls_offload_cnt_reset(block, c);
  tp.ops.hw_del?.(tp, type_data);
  return ok_count < 0 ? ok_count : 0;
});

/** tc_setup_cb_reoffload (v6.18): one callback; its error matters only for add + skip_sw. */
export const tc_setup_cb_reoffload = hop('net/sched/cls_api.c', function tc_setup_cb_reoffload(block: TcfBlock, _tp: TcfProto, add: boolean,
  cb: FlowSetupCb, type: number, type_data: unknown, cb_priv: unknown, c: TcHwCounters): 0 | NegErrno {
  const err = cb(type, type_data, cb_priv);
  if (err) {
    if (add && (c.flags & TCA_CLS_FLAGS_SKIP_SW)) return err;
  } else {
    tc_cls_offload_cnt_update(block, c, 1, add);
  }
  return 0;
}, { input: (_b, _tp, add) => (add ? 'add' : 'del') });

/** tc_cls_common_offload_init (include/net/pkt_cls.h): extack only for skip_sw or verbose. */
export function tc_cls_common_offload_init(tp: TcfProto, flags: number, extack: NetlinkExtAck | null): FlowClsCommonOffload {
  const skip_sw = (flags & TCA_CLS_FLAGS_SKIP_SW) !== 0;
  return {
    chain_index: tp.chain.index,
    protocol: tp.protocol,
    prio: tp.prio >>> 16,
    skip_sw,
    extack: skip_sw || (flags & TCA_CLS_FLAGS_VERBOSE) ? extack : null,
  };
}

/** tc_act_hw_stats(): the flow_action view of TCA_ACT_HW_STATS. */
function tc_act_hw_stats(hw_stats: number): number {
  if (hw_stats > TCA_ACT_HW_STATS_ANY) return FLOW_ACTION_HW_STATS_DONT_CARE;
  if (!hw_stats) return FLOW_ACTION_HW_STATS_DISABLED;
  return hw_stats;
}

/**
 * tc_setup_action (v6.18): each action's offload_act_setup fills one entry;
 * an action kind without it cannot be offloaded.
 */
export const tc_setup_action = hop('net/sched/cls_api.c', function tc_setup_action(flow_action: FlowAction, exts: TcfExts,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  for (const act of exts.actions) {
    const entry: FlowActionEntry = { id: 'FLOW_ACTION_ACCEPT', hw_stats: 0, hw_index: 0 };
    if (act.user_cookie) entry.user_cookie = act.user_cookie.slice();
    if (!act.ops.offload_act_setup) {
      NL_SET_ERR_MSG(extack, 'Action does not support offload');
      flow_action.entries.length = 0;
      return -EOPNOTSUPP;
    }
    // A kind may fill several entries (pedit: one per key, upstream's index_inc).
    const entries: FlowActionEntry[] = [entry];
    const err = act.ops.offload_act_setup(act, entry, true, extack, entries);
    if (err) {
      flow_action.entries.length = 0;
      return err;
    }
    for (const e of entries) {
      if (e !== entry && act.user_cookie) e.user_cookie = act.user_cookie.slice();
      e.hw_stats = tc_act_hw_stats(act.hw_stats);
      e.hw_index = act.tcfa_index;
      flow_action.entries.push(e);
    }
  }
  return 0;
}, { input: (_f, exts) => exts.actions.map((a) => a.ops.kind).join(',') });

/** tc_setup_offload_action(): the filter's actions as a flow_action. */
export const tc_setup_offload_action = hop('net/sched/cls_api.c', function tc_setup_offload_action(flow_action: FlowAction, exts: TcfExts,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  return tc_setup_action(flow_action, exts, extack);
});

// ---------------------------------------------------------------- exts

export function tcf_exts_init_ex(net: Net, action: number): TcfExts {
  return { action, actions: [], net };
}

/** tcf_exts_validate_ex (v6.18): the filter's actions, bound to it. */
export const tcf_exts_validate_ex = hop('net/sched/cls_api.c', function tcf_exts_validate_ex(net: Net, tp: TcfProto, tb: NlaTb, exts: TcfExts,
  flags: number, fl_flags: number, extack: NetlinkExtAck | null, rate_tlv?: NlAttr): 0 | NegErrno {
  const nla = tb[exts.action];
  if (exts.action && nla) {
    const r = tcf_action_init(net, tp, nla, flags | TCA_ACT_FLAGS_BIND, fl_flags, extack, rate_tlv);
    if (r.err < 0) return r.err;
    exts.actions = r.actions;
  }
  return 0;
});

export function tcf_exts_destroy(exts: TcfExts): void {
  tcf_action_destroy(exts.net, exts.actions, true);
}

/** tcf_exts_dump(): the actions nest, when there are actions. */
export function tcf_exts_dump(b: NlMsgBuilder, exts: TcfExts, terse = false): number {
  if (exts.action && exts.actions.length) {
    const nest = b.nestStart(exts.action);
    const err = tcf_action_dump(b, exts.actions, 0, 0, terse);
    b.nestEnd(nest);
    if (err < 0) return err;
  }
  return 0;
}

/** tcf_change_indev (include/net/pkt_cls.h): a device name to its ifindex. */
export function tcf_change_indev(net: Net, indev_tb: NlAttr, extack: NetlinkExtAck | null): number | NegErrno {
  const s = nla_strscpy(indev_tb, IFNAMSIZ);
  if (s.err < 0) {
    NL_SET_ERR_MSG_ATTR(extack, indev_tb.offset, 'Interface name too long');
    return -EINVAL;
  }
  const dev = net.dev_by_name.get(s.value);
  if (!dev) {
    NL_SET_ERR_MSG_ATTR(extack, indev_tb.offset, 'Network device not found');
    return -ENODEV;
  }
  return dev.ifindex;
}

// ---------------------------------------------------------------- blocks

function tcf_block_shared(block: TcfBlock): boolean {
  return block.index !== 0;
}

function tcf_block_create(net: Net, block_index: number): TcfBlock {
  const block: TcfBlock = {
    net, index: block_index, chain_list: [], flow_block: { cb_list: [] }, refcnt: 1, ports: [], owner_list: [],
    nooffloaddevcnt: 0, lockeddevcnt: 0, offloadcnt: 0, useswcnt: 0, classid: 0,
  };
  tcf_net(net).all_blocks.add(block);
  return block;
}

/** tcf_block_playback_offloads(): replay (or remove) every offloaded filter for one callback. */
function tcf_block_playback_offloads(block: TcfBlock, cb: FlowSetupCb, cb_priv: unknown, add: boolean,
  offload_in_use: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  for (const chain of [...block.chain_list]) {
    for (const tp of [...chain.filter_chain]) {
      if (tp.ops.reoffload) {
        const err = tp.ops.reoffload(tp, add, cb, cb_priv, extack);
        if (err && add) return err;
      } else if (add && offload_in_use) {
        NL_SET_ERR_MSG(extack, 'Filter HW offload failed - classifier without re-offloading support');
        return -EOPNOTSUPP;
      }
    }
  }
  return 0;
}

/** tcf_block_bind (v6.18): replay existing filters to each new callback, then adopt them. */
function tcf_block_bind(block: TcfBlock, bo: FlowBlockOffload): 0 | NegErrno {
  let i = 0;
  for (const block_cb of bo.cb_list) {
    const err = tcf_block_playback_offloads(block, block_cb.cb, block_cb.cb_priv, true, block.offloadcnt > 0, bo.extack);
    if (err) {
      // Undo the replays already done.
      for (const done of bo.cb_list.slice(0, i)) {
        tcf_block_playback_offloads(block, done.cb, done.cb_priv, false, block.offloadcnt > 0, null);
      }
      return err;
    }
    if (!bo.unlocked_driver_cb) block.lockeddevcnt++;
    i++;
  }
  block.flow_block.cb_list.push(...bo.cb_list);
  return 0;
}

/** tcf_block_unbind(): remove what the driver listed, replaying filter removal to it. */
function tcf_block_unbind(block: TcfBlock, bo: FlowBlockOffload): void {
  for (const block_cb of bo.cb_list) {
    tcf_block_playback_offloads(block, block_cb.cb, block_cb.cb_priv, false, block.offloadcnt > 0, null);
    const i = block.flow_block.cb_list.indexOf(block_cb);
    if (i >= 0) block.flow_block.cb_list.splice(i, 1);
    if (!bo.unlocked_driver_cb) block.lockeddevcnt--;
  }
}

/** tcf_block_setup() */
function tcf_block_setup(block: TcfBlock, bo: FlowBlockOffload): 0 | NegErrno {
  if (bo.command === FLOW_BLOCK_BIND) return tcf_block_bind(block, bo);
  tcf_block_unbind(block, bo);
  return 0;
}

// Indirect blocks (flow_indr_dev_register, flow_indr_dev_setup_offload) live in net/core/flow_offload.

/**
 * tcf_block_offload_cmd (v6.18): ndo_setup_tc(TC_SETUP_BLOCK) when the
 * device has it ("Driver ndo_setup_tc failed" for errors other than
 * -EOPNOTSUPP); otherwise the indirect path, which always ends -EOPNOTSUPP.
 */
export const tcf_block_offload_cmd = hop('net/sched/cls_api.c', function tcf_block_offload_cmd(block: TcfBlock, dev: NetDevice, q: Qdisc | null,
  ei: TcfBlockExtInfo, command: typeof FLOW_BLOCK_BIND | typeof FLOW_BLOCK_UNBIND, extack: NetlinkExtAck | null): 0 | NegErrno {
  const bo: FlowBlockOffload = {
    command, binder_type: ei.binder_type, block_shared: tcf_block_shared(block), unlocked_driver_cb: false,
    block: block.flow_block, cb_list: [], driver_block_list: null, extack,
  };
  const ndo_setup_tc = dev.netdev_ops.ndo_setup_tc;
  if (ndo_setup_tc) {
    const err = ndo_setup_tc(dev, TC_SETUP_BLOCK, bo);
    if (err < 0) {
      if (err !== -EOPNOTSUPP) NL_SET_ERR_MSG(extack, 'Driver ndo_setup_tc failed');
      return err;
    }
    return tcf_block_setup(block, bo);
  }
  flow_indr_dev_setup_offload(dev, q, bo);
  tcf_block_setup(block, bo);
  return -EOPNOTSUPP;
}, { input: (_b, dev, _q, ei, command) => `${dev.name} ${command === FLOW_BLOCK_BIND ? 'BIND' : 'UNBIND'} binder_type=${ei.binder_type}` });

/**
 * tcf_block_offload_bind (v6.18): a device with offload switched off may not
 * join a block that already has offloaded filters; -EOPNOTSUPP from the
 * driver (or no ndo_setup_tc) counts the device in nooffloaddevcnt.
 */
export const tcf_block_offload_bind = hop('net/sched/cls_api.c', function tcf_block_offload_bind(block: TcfBlock, q: Qdisc, ei: TcfBlockExtInfo,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const dev = q.dev;
  if (dev.netdev_ops.ndo_setup_tc && !tc_can_offload(dev) && block.offloadcnt > 0) {
    NL_SET_ERR_MSG(extack, 'Bind to offloaded block failed as dev has offload disabled');
    return -EOPNOTSUPP;
  }
  const err = tcf_block_offload_cmd(block, dev, q, ei, FLOW_BLOCK_BIND, extack);
  if (err === -EOPNOTSUPP) {
    if (block.offloadcnt > 0) return -EOPNOTSUPP;
    block.nooffloaddevcnt++;
    return 0;
  }
  return err;
}, { input: (block, q) => `${q.dev.name} block=${block.index}` });

/** tcf_block_offload_unbind (v6.18) */
const tcf_block_offload_unbind = hop('net/sched/cls_api.c', function tcf_block_offload_unbind(block: TcfBlock, q: Qdisc, ei: TcfBlockExtInfo): void {
  const err = tcf_block_offload_cmd(block, q.dev, q, ei, FLOW_BLOCK_UNBIND, null);
  if (err === -EOPNOTSUPP && block.nooffloaddevcnt > 0) block.nooffloaddevcnt--;
}, { input: (block, q) => `${q.dev.name} block=${block.index}` });

/**
 * tcf_block_get_ext (v6.18): a shared block by index (created on first use)
 * or a private one; owner, then offload bind; shared blocks track ports.
 */
export const tcf_block_get_ext = hop('net/sched/cls_api.c', function tcf_block_get_ext(q: Qdisc, ei: TcfBlockExtInfo,
  extack: NetlinkExtAck | null): { err: 0 | NegErrno; block: TcfBlock | null } {
  const net = q.dev.nd_net;
  const tn = tcf_net(net);
  let block: TcfBlock | undefined;
  let created = false;
  if (ei.block_index) {
    block = tn.blocks.get(ei.block_index);
    if (block) block.refcnt++;
  }
  if (!block) {
    block = tcf_block_create(net, ei.block_index);
    created = true;
    if (tcf_block_shared(block)) tn.blocks.set(block.index, block);
  }
  block.owner_list.push({ q, binder_type: ei.binder_type });
  const err = tcf_block_offload_bind(block, q, ei, extack);
  if (err) {
    block.owner_list.pop();
    block.refcnt--;
    if (created || block.refcnt === 0) {
      tn.blocks.delete(block.index);
      tn.all_blocks.delete(block);
    }
    return { err, block: null };
  }
  if (tcf_block_shared(block)) block.ports.push(q.dev);
  return { err: 0, block };
}, { input: (q, ei) => `${q.dev.name} binder_type=${ei.binder_type} block_index=${ei.block_index}`, errno: (r) => r.err });

/**
 * tcf_block_put_ext → __tcf_block_put (v6.18): unbind this qdisc's device;
 * the last owner flushes every chain (destroying filters) and frees the block.
 */
export const tcf_block_put_ext = hop('net/sched/cls_api.c', function tcf_block_put_ext(block: TcfBlock, q: Qdisc, ei: TcfBlockExtInfo): void {
  const i = block.owner_list.findIndex((o) => o.q === q && o.binder_type === ei.binder_type);
  if (i >= 0) block.owner_list.splice(i, 1);
  const p = block.ports.indexOf(q.dev);
  if (p >= 0) block.ports.splice(p, 1);
  block.refcnt--;
  const tn = tcf_net(block.net);
  if (block.refcnt === 0) {
    if (tcf_block_shared(block)) tn.blocks.delete(block.index);
    tcf_block_offload_unbind(block, q, ei);
    tcf_block_flush_all_chains(block);
    tn.all_blocks.delete(block);
  } else {
    tcf_block_offload_unbind(block, q, ei);
  }
}, { input: (block, q) => `${q.dev.name} block=${block.index}` });

// ---------------------------------------------------------------- chains

function tcf_chain_create(block: TcfBlock, chain_index: number): TcfChain {
  const chain: TcfChain = {
    block, index: chain_index, filter_chain: [], refcnt: 0, action_refcnt: 0, explicitly_created: false,
    flushing: false, tmplt_ops: null, tmplt_priv: null,
  };
  block.chain_list.push(chain);
  return chain;
}

function tcf_chain_lookup(block: TcfBlock, chain_index: number): TcfChain | undefined {
  return block.chain_list.find((c) => c.index === chain_index);
}

function tcf_chain_held_by_acts_only(chain: TcfChain): boolean {
  return chain.refcnt === chain.action_refcnt;
}

/** tc_chain_fill_node(): an RTM_*CHAIN message. */
function tc_chain_fill_node(chain: TcfChain, q: Qdisc | null, portid: number, seq: number, flags: number, event: number): Uint8Array {
  const block = chain.block;
  const b = new NlMsgBuilder({ nlmsg_type: event, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: portid });
  b.put(tcmsg_encode({
    tcm_family: 0, tcm_ifindex: q ? q.dev.ifindex : TCM_IFINDEX_MAGIC_BLOCK, tcm_handle: 0,
    tcm_parent: q ? q.handle : block.index, tcm_info: 0,
  }));
  b.u32(TCA_CHAIN, chain.index);
  if (chain.tmplt_ops) {
    b.string(TCA_KIND, chain.tmplt_ops.kind);
    chain.tmplt_ops.tmplt_dump?.(b, block.net, chain.tmplt_priv);
  }
  return b.finish();
}

function block_q(block: TcfBlock): Qdisc | null {
  return tcf_block_shared(block) ? null : (block.owner_list[0]?.q ?? null);
}

/** tc_chain_notify(): only when somebody listens (or for an echo/unicast). */
function tc_chain_notify(chain: TcfChain, portid: number, seq: number, flags: number, event: number, unicast: boolean): 0 | NegErrno {
  const net = chain.block.net;
  if (!unicast && !rtnl_notify_needed(net, flags, RTNLGRP_TC)) return 0;
  const msg = tc_chain_fill_node(chain, block_q(chain.block), portid, seq, flags, event);
  if (unicast) {
    const r = rtnl_unicast(msg, net, portid);
    return r < 0 ? r : 0;
  }
  return rtnetlink_send(msg, net, portid, RTNLGRP_TC, (flags & NLM_F_ECHO) !== 0);
}

/**
 * tcf_chain_get (v6.18): existing or (create) new; the first reference that
 * is not an action's announces RTM_NEWCHAIN.
 */
export const tcf_chain_get = hop('net/sched/cls_api.c', function tcf_chain_get(block: TcfBlock, chain_index: number, create: boolean,
  by_act: boolean): TcfChain | null {
  let chain = tcf_chain_lookup(block, chain_index);
  let is_first_reference = false;
  if (chain) {
    if (!by_act && tcf_chain_held_by_acts_only(chain)) is_first_reference = true;
    chain.refcnt++;
  } else {
    if (!create) return null;
    chain = tcf_chain_create(block, chain_index);
    chain.refcnt = 1;
    is_first_reference = !by_act;
  }
  if (by_act) chain.action_refcnt++;
  if (is_first_reference) tc_chain_notify(chain, 0, 0, NLM_F_CREATE | NLM_F_EXCL, RTM_NEWCHAIN, false);
  return chain;
}, { input: (block, idx, create) => `block=${block.index} chain=${idx} create=${create}`, result: (c) => (c ? `chain ${c.index}` : 'NULL') });

/** tcf_chain_get_by_act(): a goto-chain target, created silently if needed. */
export function tcf_chain_get_by_act(block: TcfBlock, chain_index: number): TcfChain | null {
  return tcf_chain_get(block, chain_index, true, true);
}

/**
 * __tcf_chain_put (v6.18): the last non-action reference announces
 * RTM_DELCHAIN; the last reference frees the chain.
 */
function __tcf_chain_put(chain: TcfChain, by_act: boolean, explicitly_created: boolean): void {
  const block = chain.block;
  if (explicitly_created) {
    if (!chain.explicitly_created) return;
    chain.explicitly_created = false;
  }
  if (by_act) chain.action_refcnt--;
  chain.refcnt--;
  const non_act_refcnt = chain.refcnt - chain.action_refcnt;
  if (non_act_refcnt === 0 && !by_act) tc_chain_notify(chain, 0, 0, 0, RTM_DELCHAIN, false);
  if (chain.refcnt === 0) {
    chain.tmplt_ops?.tmplt_destroy?.(chain.tmplt_priv);
    const i = block.chain_list.indexOf(chain);
    if (i >= 0) block.chain_list.splice(i, 1);
  }
}

export function tcf_chain_put(chain: TcfChain): void {
  __tcf_chain_put(chain, false, false);
}

export function tcf_chain_put_by_act(chain: TcfChain): void {
  __tcf_chain_put(chain, true, false);
}

function tcf_chain_put_explicitly_created(chain: TcfChain): void {
  __tcf_chain_put(chain, false, true);
}

/** tcf_proto_destroy(): ops->destroy and the tp's chain reference. */
const tcf_proto_destroy = hop('net/sched/cls_api.c', function tcf_proto_destroy(tp: TcfProto, extack: NetlinkExtAck | null): void {
  tp.ops.destroy(tp, extack);
  tcf_chain_put(tp.chain);
}, { input: (tp) => `${tp.ops.kind} pref ${tp.prio >>> 16}` });

/** tcf_chain_flush(): every tp of the chain destroyed. */
function tcf_chain_flush(chain: TcfChain): void {
  const tps = chain.filter_chain.splice(0);
  for (const tp of tps) {
    tp.deleting = true;
    tcf_proto_destroy(tp, null);
  }
}

function tcf_block_flush_all_chains(block: TcfBlock): void {
  for (const chain of [...block.chain_list]) {
    // Hold the chain while flushing so it is freed once, at the end.
    chain.refcnt++;
    tcf_chain_flush(chain);
    if (chain.explicitly_created) tcf_chain_put_explicitly_created(chain);
    __tcf_chain_put(chain, false, false);
  }
}

// ---------------------------------------------------------------- tps

function eth_proto_host(be: number): number {
  return ((be & 0xff) << 8) | ((be >> 8) & 0xff);
}

interface TcfChainInfo {
  /** Insertion index in filter_chain for a new tp. */
  pos: number;
}

/**
 * tcf_chain_tp_find (v6.18): same prio found → reuse, unless this is an
 * auto-allocated prio or the protocol differs.
 */
const tcf_chain_tp_find = hop('net/sched/cls_api.c', function tcf_chain_tp_find(chain: TcfChain, info: TcfChainInfo, protocol: number,
  prio: number, prio_allocate: boolean, extack: NetlinkExtAck | null): { err: 0 | NegErrno; tp: TcfProto | null } {
  let i = 0;
  for (; i < chain.filter_chain.length; i++) {
    const tp = chain.filter_chain[i]!;
    if (tp.prio >= prio) {
      if (tp.prio === prio) {
        if (prio_allocate) {
          NL_SET_ERR_MSG(extack, 'Lowest ID from auto-alloc range already in use');
          return { err: -ENOSPC, tp: null };
        }
        if (protocol && tp.protocol !== protocol) {
          NL_SET_ERR_MSG(extack, 'Protocol mismatch for filter with specified priority');
          return { err: -EINVAL, tp: null };
        }
        info.pos = i;
        return { err: 0, tp };
      }
      break;
    }
  }
  info.pos = i;
  return { err: 0, tp: null };
}, { input: (chain, _i, protocol, prio) => `chain=${chain.index} pref=${prio >>> 16} protocol=0x${protocol.toString(16)}`, errno: (r) => r.err,
  result: (r) => (r.err ? undefined : r.tp ? `tp ${r.tp.ops.kind}` : 'none') });

/** tcf_auto_prio(): one below the next tp's prio, or 0xC000 (pref 49152). */
function tcf_auto_prio(tp: TcfProto | undefined): number {
  let first = TC_H_MAKE(0xc0000000, 0);
  if (tp) first = (tp.prio - 1) >>> 0;
  return TC_H_MAJ(first);
}

/** tcf_proto_create (v6.18): kind lookup, then ops->init. */
const tcf_proto_create = hop('net/sched/cls_api.c', function tcf_proto_create(kind: string, protocol: number, prio: number, chain: TcfChain,
  extack: NetlinkExtAck | null): { err: 0 | NegErrno; tp: TcfProto | null } {
  const net = chain.block.net;
  const ops = tcf_proto_lookup_ops(net, kind, extack);
  if (!ops) return { err: -ENOENT, tp: null };
  const tp: TcfProto = { ops, chain, prio, protocol, root: null, deleting: false, usesw: false, id: tcf_net(net).next_tp_id++ };
  const err = ops.init(tp);
  if (err) return { err, tp: null };
  return { err: 0, tp };
}, { input: (kind, protocol, prio) => `${kind} pref ${prio >>> 16} protocol 0x${protocol.toString(16)}`, errno: (r) => r.err });

/** tcf_chain_tp_insert(): link the tp at its prio position; it holds the chain. */
function tcf_chain_tp_insert(chain: TcfChain, info: TcfChainInfo, tp: TcfProto): void {
  chain.filter_chain.splice(info.pos, 0, tp);
  chain.refcnt++;
}

/** tcf_chain_tp_remove() */
function tcf_chain_tp_remove(chain: TcfChain, tp: TcfProto): void {
  const i = chain.filter_chain.indexOf(tp);
  if (i >= 0) chain.filter_chain.splice(i, 1);
}

/** tcf_chain_tp_delete_empty(): remove and destroy a tp that has no filters left. */
const tcf_chain_tp_delete_empty = hop('net/sched/cls_api.c', function tcf_chain_tp_delete_empty(chain: TcfChain, tp: TcfProto,
  extack: NetlinkExtAck | null): void {
  if (!chain.filter_chain.includes(tp)) return;
  if (tp.ops.delete_empty && !tp.ops.delete_empty(tp)) return;
  tp.deleting = true;
  tcf_chain_tp_remove(chain, tp);
  tcf_proto_destroy(tp, extack);
}, { input: (_c, tp) => `${tp.ops.kind} pref ${tp.prio >>> 16}` });

// ---------------------------------------------------------------- lookup

interface QdiscFind {
  err: 0 | NegErrno;
  q: Qdisc | null;
  parent: number;
}

/**
 * __tcf_qdisc_find (v6.18): the magic ifindex means a shared block (no
 * qdisc); otherwise device (-ENODEV), qdisc by parent major, classful, with
 * blocks.
 */
const __tcf_qdisc_find = hop('net/sched/cls_api.c', function __tcf_qdisc_find(net: Net, parent: number, ifindex: number,
  extack: NetlinkExtAck | null): QdiscFind {
  if (ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK) return { err: 0, q: null, parent };
  const dev = net.dev_by_index.get(ifindex | 0);
  if (!dev) return { err: -ENODEV, q: null, parent };
  let q: Qdisc | null;
  if (!parent) {
    q = dev_root_qdisc(dev);
    parent = q.handle;
  } else {
    q = qdisc_lookup(dev, TC_H_MAJ(parent));
    if (!q) {
      NL_SET_ERR_MSG(extack, "Parent Qdisc doesn't exists");
      return { err: -EINVAL, q: null, parent };
    }
  }
  const cops = q.ops.cl_ops;
  if (!cops) {
    NL_SET_ERR_MSG(extack, 'Qdisc not classful');
    return { err: -EINVAL, q: null, parent };
  }
  return { err: 0, q, parent };
}, { input: (_n, parent, ifindex) => `ifindex=${ifindex | 0} parent=0x${(parent >>> 0).toString(16)}`, errno: (r) => r.err,
  result: (r) => (r.err ? undefined : r.q ? r.q.ops.id : 'block') });

/** __tcf_qdisc_cl_find (v6.18) */
const __tcf_qdisc_cl_find = hop('net/sched/cls_api.c', function __tcf_qdisc_cl_find(q: Qdisc | null, parent: number, ifindex: number,
  extack: NetlinkExtAck | null): { err: 0 | NegErrno; cl: number } {
  if (ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK || !q) return { err: 0, cl: 0 };
  if (TC_H_MIN(parent)) {
    const cl = q.ops.cl_ops!.find(q, parent);
    if (cl === 0) {
      NL_SET_ERR_MSG(extack, "Specified class doesn't exist");
      return { err: -ENOENT, cl: 0 };
    }
    return { err: 0, cl };
  }
  return { err: 0, cl: 0 };
}, { errno: (r) => r.err });

/** __tcf_block_find (v6.18) */
const __tcf_block_find = hop('net/sched/cls_api.c', function __tcf_block_find(net: Net, q: Qdisc | null, cl: number, ifindex: number,
  block_index: number, extack: NetlinkExtAck | null): { err: 0 | NegErrno; block: TcfBlock | null } {
  if (ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK) {
    const block = tcf_net(net).blocks.get(block_index);
    if (!block) {
      NL_SET_ERR_MSG(extack, 'Block of given index was not found');
      return { err: -EINVAL, block: null };
    }
    return { err: 0, block };
  }
  const block = q!.ops.cl_ops!.tcf_block(q!, cl, extack);
  if (!block) return { err: -EINVAL, block: null };
  if (tcf_block_shared(block)) {
    NL_SET_ERR_MSG(extack, 'This filter block is shared. Please use the block index to manipulate the filters');
    return { err: -EOPNOTSUPP, block: null };
  }
  return { err: 0, block };
}, { errno: (r) => r.err, result: (r) => (r.block ? `block ${r.block.index}` : undefined) });

// ---------------------------------------------------------------- messages

/**
 * tcf_fill_node (v6.18): tcmsg (device or magic block index), TCA_KIND,
 * TCA_CHAIN, the classifier's dump (fh) or nothing (tp header), and the
 * extack warning as TCA_EXT_WARN_MSG.
 */
export const tcf_fill_node = hop('net/sched/cls_api.c', function tcf_fill_node(net: Net, tp: TcfProto, block: TcfBlock, q: Qdisc | null,
  parent: number, fh: unknown, portid: number, seq: number, flags: number, event: number, terse_dump: boolean,
  extack: NetlinkExtAck | null): Uint8Array | null {
  const b = new NlMsgBuilder({ nlmsg_type: event, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: portid });
  const t: TcMsg = {
    tcm_family: 0,
    tcm_ifindex: q ? q.dev.ifindex : TCM_IFINDEX_MAGIC_BLOCK,
    tcm_parent: q ? parent : block.index,
    tcm_handle: 0,
    tcm_info: TC_H_MAKE(tp.prio, eth_proto_host(tp.protocol)),
  };
  b.put(tcmsg_encode(t));
  b.string(TCA_KIND, tp.ops.kind);
  b.u32(TCA_CHAIN, tp.chain.index);
  if (fh) {
    const err = terse_dump && tp.ops.terse_dump ? tp.ops.terse_dump(net, tp, fh, b, t) : tp.ops.dump(net, tp, fh, b, t);
    if (err < 0) return null;
  }
  if (extack?._msg) b.string(TCA_EXT_WARN_MSG, extack._msg);
  b.patch(NLMSG_HDRLEN, tcmsg_encode(t));
  return b.finish();
}, { input: (_n, tp, _b, _q, _p, fh, _pid, _seq, _f, event) => `event=${event} ${tp.ops.kind} pref ${tp.prio >>> 16}${fh ? '' : ' (tp header)'}`,
  result: (r) => (r ? `${r.byteLength} bytes` : 'NULL') });

/**
 * tfilter_notify (v6.18): skipped when nobody listens and no echo was asked
 * (unless unicast); the message copies the request's flags.
 */
export const tfilter_notify = hop('net/sched/cls_api.c', function tfilter_notify(net: Net, oskb: NetlinkSkb, n: NlMsg, tp: TcfProto,
  block: TcfBlock, q: Qdisc | null, parent: number, fh: unknown, event: number, unicast: boolean,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const portid = oskb.portid;
  if (!unicast && !rtnl_notify_needed(net, n.hdr.nlmsg_flags, RTNLGRP_TC)) return 0;
  const msg = tcf_fill_node(net, tp, block, q, parent, fh, portid, n.hdr.nlmsg_seq, n.hdr.nlmsg_flags, event, false, extack);
  if (!msg) return -EINVAL;
  if (unicast) {
    const r = rtnl_unicast(msg, net, portid);
    return r < 0 ? r : 0;
  }
  return rtnetlink_send(msg, net, portid, RTNLGRP_TC, (n.hdr.nlmsg_flags & NLM_F_ECHO) !== 0);
}, { input: (_n, _s, n, _tp, _b, _q, _p, _fh, event, unicast) => `event=${event} unicast=${unicast} flags=0x${n.hdr.nlmsg_flags.toString(16)}` });

/** tfilter_del_notify (v6.18): the message is built before the delete. */
const tfilter_del_notify = hop('net/sched/cls_api.c', function tfilter_del_notify(net: Net, oskb: NetlinkSkb, n: NlMsg, tp: TcfProto,
  block: TcfBlock, q: Qdisc | null, parent: number, fh: unknown, extack: NetlinkExtAck): { err: 0 | NegErrno; last: boolean } {
  const portid = oskb.portid;
  if (!rtnl_notify_needed(net, n.hdr.nlmsg_flags, RTNLGRP_TC)) return tp.ops.delete(tp, fh, extack);
  const msg = tcf_fill_node(net, tp, block, q, parent, fh, portid, n.hdr.nlmsg_seq, n.hdr.nlmsg_flags, RTM_DELTFILTER, false, extack);
  if (!msg) {
    NL_SET_ERR_MSG(extack, 'Failed to build del event notification');
    return { err: -EINVAL, last: false };
  }
  const r = tp.ops.delete(tp, fh, extack);
  if (r.err) return r;
  const err = rtnetlink_send(msg, net, portid, RTNLGRP_TC, (n.hdr.nlmsg_flags & NLM_F_ECHO) !== 0);
  if (err < 0) NL_SET_ERR_MSG(extack, 'Failed to send filter delete notification');
  return { err, last: r.last };
}, { errno: (r) => r.err });

/** tfilter_notify_chain(): one tp-level message per classifier instance. */
function tfilter_notify_chain(net: Net, oskb: NetlinkSkb, n: NlMsg, chain: TcfChain, event: number, extack: NetlinkExtAck): void {
  const block = chain.block;
  const q = block_q(block);
  for (const tp of chain.filter_chain) tfilter_notify(net, oskb, n, tp, block, q, block.classid, null, event, false, extack);
}

// ---------------------------------------------------------------- handlers

interface TfilterCommon {
  t: TcMsg;
  tca: NlaTb;
}

function parse_tcmsg(n: NlMsg, policy: NlaPolicy, extack: NetlinkExtAck): { err: 0 | NegErrno; r: TfilterCommon | null } {
  const { err, tb } = nlmsg_parse_deprecated(n, TCMSG_LEN, TCA_MAX, policy, extack);
  if (err < 0) return { err, r: null };
  const t = tcmsg_decode(n.payload);
  if (!t.ok) return { err: -EINVAL, r: null };
  return { err: 0, r: { t: t.value, tca: tb } };
}

/**
 * tc_new_tfilter (net/sched/cls_api.c v6.18): prio 0 means
 * auto-allocate (CREATE only); the qdisc/class/block/chain are resolved; a
 * classifier instance is found or created at (chain, prio, protocol); the
 * filter is looked up by handle (CREATE/EXCL rules); ->change does the work;
 * a successful change is announced when somebody listens or ECHO was set.
 */
export const tc_new_tfilter = hop('net/sched/cls_api.c', function tc_new_tfilter(skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const net = skb.net;
  // replay: -EAGAIN from the classifier re-runs the whole request.
  for (let attempt = 0; ; attempt++) {
    const err = tc_new_tfilter_once(net, skb, n, extack);
    if (err !== -EAGAIN || attempt >= 4) return err;
  }
}, { input: (_s, n) => `flags=0x${n.hdr.nlmsg_flags.toString(16)} seq=${n.hdr.nlmsg_seq}` });

function tc_new_tfilter_once(net: Net, skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const p = parse_tcmsg(n, rtm_tca_policy, extack);
  if (p.err || !p.r) return p.err || -EINVAL;
  const { t, tca } = p.r;
  const nlflags = n.hdr.nlmsg_flags;
  const protocol = eth_proto_host(TC_H_MIN(t.tcm_info));
  let prio = TC_H_MAJ(t.tcm_info);
  let prio_allocate = false;
  let parent = t.tcm_parent >>> 0;
  if (prio === 0) {
    // If no priority is provided by the user, we allocate one.
    if (nlflags & NLM_F_CREATE) {
      prio = TC_H_MAKE(0x80000000, 0);
      prio_allocate = true;
    } else {
      NL_SET_ERR_MSG(extack, 'Invalid filter command with priority of zero');
      return -ENOENT;
    }
  }
  const qf = __tcf_qdisc_find(net, parent, t.tcm_ifindex, extack);
  if (qf.err) return qf.err;
  const q = qf.q;
  parent = qf.parent;
  let name = '';
  if (tca[TCA_KIND]) {
    const s = nla_strscpy(tca[TCA_KIND]!, IFNAMSIZ);
    if (s.err < 0) {
      NL_SET_ERR_MSG(extack, 'Specified TC filter name too long');
      return -EINVAL;
    }
    name = s.value;
  }
  const cf = __tcf_qdisc_cl_find(q, parent, t.tcm_ifindex, extack);
  if (cf.err) return cf.err;
  const bf = __tcf_block_find(net, q, cf.cl, t.tcm_ifindex, t.tcm_parent >>> 0, extack);
  if (bf.err || !bf.block) return bf.err || -EINVAL;
  const block = bf.block;
  block.classid = parent;

  const chain_index = tca[TCA_CHAIN] ? nla_get_u32(tca[TCA_CHAIN]!) : 0;
  if (chain_index > TC_ACT_EXT_VAL_MASK) {
    NL_SET_ERR_MSG(extack, 'Specified chain index exceeds upper limit');
    return -EINVAL;
  }
  const chain = tcf_chain_get(block, chain_index, true, false);
  if (!chain) {
    NL_SET_ERR_MSG(extack, 'Cannot create specified filter chain');
    return -ENOMEM;
  }
  let err: 0 | NegErrno = 0;
  let tp: TcfProto | null = null;
  let tp_created = false;
  try {
    const info: TcfChainInfo = { pos: 0 };
    const found = tcf_chain_tp_find(chain, info, protocol, prio, prio_allocate, extack);
    if (found.err) return (err = found.err);
    tp = found.tp;
    if (!tp) {
      if (chain.flushing) return (err = -EAGAIN);
      // Proto-tcf does not exist, create new one
      if (!tca[TCA_KIND] || !protocol) {
        NL_SET_ERR_MSG(extack, 'Filter kind and protocol must be specified');
        return (err = -EINVAL);
      }
      if (!(nlflags & NLM_F_CREATE)) {
        NL_SET_ERR_MSG(extack, 'Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter');
        return (err = -ENOENT);
      }
      if (prio_allocate) prio = tcf_auto_prio(chain.filter_chain[info.pos]);
      const c = tcf_proto_create(name, protocol, prio, chain, extack);
      if (c.err || !c.tp) return (err = c.err || -EINVAL);
      tp = c.tp;
      tcf_chain_tp_insert(chain, info, tp);
      tp_created = true;
    }
    if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND]!, tp.ops.kind)) {
      NL_SET_ERR_MSG(extack, 'Specified filter kind does not match existing one');
      return (err = -EINVAL);
    }
    const fh = tp.ops.get(tp, t.tcm_handle);
    if (!fh) {
      if (!(nlflags & NLM_F_CREATE)) {
        NL_SET_ERR_MSG(extack, 'Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter');
        return (err = -ENOENT);
      }
    } else if (nlflags & NLM_F_EXCL) {
      NL_SET_ERR_MSG(extack, 'Filter already exists');
      return (err = -EEXIST);
    }
    if (chain.tmplt_ops && chain.tmplt_ops !== tp.ops) {
      NL_SET_ERR_MSG(extack, 'Chain template is set to a different filter kind');
      return (err = -EINVAL);
    }
    let flags = 0;
    if (!(nlflags & NLM_F_CREATE)) flags |= TCA_ACT_FLAGS_REPLACE;
    // flower on ingress/clsact runs without RTNL (both DOIT_UNLOCKED)
    flags |= TCA_ACT_FLAGS_NO_RTNL;
    if (q && TC_H_MIN(parent) === TC_H_MIN_INGRESS) flags |= TCA_ACT_FLAGS_AT_INGRESS;
    if (tcf_block_shared(block) || (q && q.flags & TCQ_F_INGRESS)) flags |= TCA_ACT_FLAGS_AT_INGRESS_OR_CLSACT;
    const r = tp.ops.change(net, skb, tp, cf.cl, t.tcm_handle, tca, fh, flags, extack);
    err = r.err;
    if (!err) {
      tfilter_notify(net, skb, n, tp, block, q, parent, r.fh, RTM_NEWTFILTER, false, extack);
      tp.ops.put?.(tp, r.fh);
      if (q) q.flags &= ~TCQ_F_CAN_BYPASS;
    }
    return err;
  } finally {
    if (err && tp_created && tp) tcf_chain_tp_delete_empty(chain, tp, null);
    tcf_chain_put(chain);
  }
}

/**
 * tc_del_tfilter (v6.18): prio 0 flushes the chain; handle 0
 * deletes a whole classifier instance; otherwise one filter, announced
 * before it goes when somebody listens.
 */
export const tc_del_tfilter = hop('net/sched/cls_api.c', function tc_del_tfilter(skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const net = skb.net;
  const p = parse_tcmsg(n, rtm_tca_policy, extack);
  if (p.err || !p.r) return p.err || -EINVAL;
  const { t, tca } = p.r;
  const protocol = eth_proto_host(TC_H_MIN(t.tcm_info));
  const prio = TC_H_MAJ(t.tcm_info);
  let parent = t.tcm_parent >>> 0;
  if (prio === 0 && (protocol || t.tcm_handle || tca[TCA_KIND])) {
    NL_SET_ERR_MSG(extack, 'Cannot flush filters with protocol, handle or kind set');
    return -ENOENT;
  }
  const qf = __tcf_qdisc_find(net, parent, t.tcm_ifindex, extack);
  if (qf.err) return qf.err;
  const q = qf.q;
  parent = qf.parent;
  if (tca[TCA_KIND] && nla_strscpy(tca[TCA_KIND]!, IFNAMSIZ).err < 0) {
    NL_SET_ERR_MSG(extack, 'Specified TC filter name too long');
    return -EINVAL;
  }
  const cf = __tcf_qdisc_cl_find(q, parent, t.tcm_ifindex, extack);
  if (cf.err) return cf.err;
  const bf = __tcf_block_find(net, q, cf.cl, t.tcm_ifindex, t.tcm_parent >>> 0, extack);
  if (bf.err || !bf.block) return bf.err || -EINVAL;
  const block = bf.block;
  const chain_index = tca[TCA_CHAIN] ? nla_get_u32(tca[TCA_CHAIN]!) : 0;
  if (chain_index > TC_ACT_EXT_VAL_MASK) {
    NL_SET_ERR_MSG(extack, 'Specified chain index exceeds upper limit');
    return -EINVAL;
  }
  const chain = tcf_chain_get(block, chain_index, false, false);
  if (!chain) {
    // User requested flush on non-existent chain. Nothing to do.
    if (prio === 0) return 0;
    NL_SET_ERR_MSG(extack, 'Cannot find specified filter chain');
    return -ENOENT;
  }
  try {
    if (prio === 0) {
      tfilter_notify_chain(net, skb, n, chain, RTM_DELTFILTER, extack);
      tcf_chain_flush(chain);
      return 0;
    }
    const info: TcfChainInfo = { pos: 0 };
    const found = tcf_chain_tp_find(chain, info, protocol, prio, false, extack);
    if (found.err) return found.err;
    const tp = found.tp;
    if (!tp) {
      NL_SET_ERR_MSG(extack, 'Filter with specified priority/protocol not found');
      return -ENOENT;
    }
    if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND]!, tp.ops.kind)) {
      NL_SET_ERR_MSG(extack, 'Specified filter kind does not match existing one');
      return -EINVAL;
    }
    if (t.tcm_handle === 0) {
      tp.deleting = true;
      tcf_chain_tp_remove(chain, tp);
      tcf_proto_destroy(tp, extack);
      tfilter_notify(net, skb, n, tp, block, q, parent, null, RTM_DELTFILTER, false, extack);
      return 0;
    }
    const fh = tp.ops.get(tp, t.tcm_handle);
    if (!fh) {
      NL_SET_ERR_MSG(extack, 'Specified filter handle not found');
      return -ENOENT;
    }
    const r = tfilter_del_notify(net, skb, n, tp, block, q, parent, fh, extack);
    if (r.err) return r.err;
    if (r.last) tcf_chain_tp_delete_empty(chain, tp, extack);
    return 0;
  } finally {
    tcf_chain_put(chain);
  }
}, { input: (_s, n) => `flags=0x${n.hdr.nlmsg_flags.toString(16)} seq=${n.hdr.nlmsg_seq}` });

/** tc_get_tfilter (v6.18): one filter unicast back (its dump queries HW stats). */
export const tc_get_tfilter = hop('net/sched/cls_api.c', function tc_get_tfilter(skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const net = skb.net;
  const p = parse_tcmsg(n, rtm_tca_policy, extack);
  if (p.err || !p.r) return p.err || -EINVAL;
  const { t, tca } = p.r;
  const protocol = eth_proto_host(TC_H_MIN(t.tcm_info));
  const prio = TC_H_MAJ(t.tcm_info);
  let parent = t.tcm_parent >>> 0;
  if (prio === 0) {
    NL_SET_ERR_MSG(extack, 'Invalid filter command with priority of zero');
    return -ENOENT;
  }
  const qf = __tcf_qdisc_find(net, parent, t.tcm_ifindex, extack);
  if (qf.err) return qf.err;
  const q = qf.q;
  parent = qf.parent;
  if (tca[TCA_KIND] && nla_strscpy(tca[TCA_KIND]!, IFNAMSIZ).err < 0) {
    NL_SET_ERR_MSG(extack, 'Specified TC filter name too long');
    return -EINVAL;
  }
  const cf = __tcf_qdisc_cl_find(q, parent, t.tcm_ifindex, extack);
  if (cf.err) return cf.err;
  const bf = __tcf_block_find(net, q, cf.cl, t.tcm_ifindex, t.tcm_parent >>> 0, extack);
  if (bf.err || !bf.block) return bf.err || -EINVAL;
  const block = bf.block;
  const chain_index = tca[TCA_CHAIN] ? nla_get_u32(tca[TCA_CHAIN]!) : 0;
  if (chain_index > TC_ACT_EXT_VAL_MASK) {
    NL_SET_ERR_MSG(extack, 'Specified chain index exceeds upper limit');
    return -EINVAL;
  }
  const chain = tcf_chain_get(block, chain_index, false, false);
  if (!chain) {
    NL_SET_ERR_MSG(extack, 'Cannot find specified filter chain');
    return -EINVAL;
  }
  try {
    const found = tcf_chain_tp_find(chain, { pos: 0 }, protocol, prio, false, extack);
    if (found.err) return found.err;
    const tp = found.tp;
    if (!tp) {
      NL_SET_ERR_MSG(extack, 'Filter with specified priority/protocol not found');
      return -ENOENT;
    }
    if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND]!, tp.ops.kind)) {
      NL_SET_ERR_MSG(extack, 'Specified filter kind does not match existing one');
      return -EINVAL;
    }
    const fh = tp.ops.get(tp, t.tcm_handle);
    if (!fh) {
      NL_SET_ERR_MSG(extack, 'Specified filter handle not found');
      return -ENOENT;
    }
    const err = tfilter_notify(net, skb, n, tp, block, q, parent, fh, RTM_NEWTFILTER, true, null);
    if (err < 0) NL_SET_ERR_MSG(extack, 'Failed to send filter notify message');
    tp.ops.put?.(tp, fh);
    return err;
  } finally {
    tcf_chain_put(chain);
  }
}, { input: (_s, n) => `flags=0x${n.hdr.nlmsg_flags.toString(16)} seq=${n.hdr.nlmsg_seq}` });

// net/sched/cls_api.c tcf_tfilter_dump_policy (v6.18)
const tcf_tfilter_dump_policy: NlaPolicy = {
  [TCA_KIND]: { type: NLA_STRING },
  [TCA_CHAIN]: { type: NLA_U32 },
  [TCA_DUMP_FLAGS]: { type: NLA_BITFIELD32, bitfield32_valid: TCA_DUMP_FLAGS_TERSE },
};

/** tcf_chain_dump(): per tp a header message, then every filter via ops->walk. */
function tcf_chain_dump(chain: TcfChain, q: Qdisc | null, parent: number, cb: NetlinkCallback, tcm: TcMsg, terse: boolean): boolean {
  const net = chain.block.net;
  for (const tp of [...chain.filter_chain]) {
    if (TC_H_MAJ(tcm.tcm_info) && TC_H_MAJ(tcm.tcm_info) !== tp.prio) continue;
    if (TC_H_MIN(tcm.tcm_info) && eth_proto_host(TC_H_MIN(tcm.tcm_info)) !== tp.protocol) continue;
    const hdr = tcf_fill_node(net, tp, chain.block, q, parent, null, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI, RTM_NEWTFILTER, false, null);
    if (!hdr) return false;
    cb.msgs.push(hdr);
    const arg: TcfWalker = {
      stop: false, skip: 0, count: 0, cookie: 0,
      fn: (tpw, fh) => {
        // tcf_node_dump
        const m = tcf_fill_node(net, tpw, chain.block, q, parent, fh, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI, RTM_NEWTFILTER, terse, null);
        if (!m) return -1;
        cb.msgs.push(m);
        return 0;
      },
    };
    tp.ops.walk(tp, arg);
    if (arg.stop) return false;
  }
  return true;
}

/**
 * tc_dump_tfilter (v6.18): block from ifindex/parent or the
 * magic block index; every miss is an empty dump, not an error.
 */
export const tc_dump_tfilter = hop('net/sched/cls_api.c', function tc_dump_tfilter(cb: NetlinkCallback): 0 | NegErrno {
  const net = cb.skb.net;
  if (cb.nlh.payload.byteLength < TCMSG_LEN) return 0;
  const p = parse_tcmsg(cb.nlh, tcf_tfilter_dump_policy, cb.extack);
  if (p.err || !p.r) return p.err || -EINVAL;
  const { t: tcm, tca } = p.r;
  const terse = tca[TCA_DUMP_FLAGS] ? (nla_get_u32(tca[TCA_DUMP_FLAGS]!) & TCA_DUMP_FLAGS_TERSE) !== 0 : false;
  let block: TcfBlock | null = null;
  let q: Qdisc | null = null;
  let parent = 0;
  if (tcm.tcm_ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK) {
    block = tcf_net(net).blocks.get(tcm.tcm_parent >>> 0) ?? null;
    if (!block) return 0;
  } else {
    const dev = net.dev_by_index.get(tcm.tcm_ifindex | 0);
    if (!dev) return 0;
    parent = tcm.tcm_parent >>> 0;
    q = parent ? qdisc_lookup(dev, TC_H_MAJ(parent)) : dev_root_qdisc(dev);
    if (!q || !q.ops.cl_ops) return 0;
    let cl = 0;
    if (TC_H_MIN(parent)) {
      cl = q.ops.cl_ops.find(q, parent);
      if (cl === 0) return 0;
    }
    block = q.ops.cl_ops.tcf_block(q, cl, null);
    if (!block) return 0;
    parent = block.classid;
    if (tcf_block_shared(block)) q = null;
  }
  for (const chain of [...block.chain_list]) {
    if (tcf_chain_held_by_acts_only(chain)) continue;
    if (tca[TCA_CHAIN] && nla_get_u32(tca[TCA_CHAIN]!) !== chain.index) continue;
    if (!tcf_chain_dump(chain, q, parent, cb, tcm, terse)) return -EMSGSIZE;
  }
  return 0;
}, { input: (cb) => `seq=${cb.nlh.hdr.nlmsg_seq}`, result: (r) => (r < 0 ? undefined : 'done') });

/**
 * tc_ctl_chain (v6.18): explicit chain create / delete / get.
 * Chain templates are not modelled (a TCA_KIND on RTM_NEWCHAIN is refused as
 * a classifier without template support would be).
 */
export const tc_ctl_chain = hop('net/sched/cls_api.c', function tc_ctl_chain(skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const net = skb.net;
  const p = parse_tcmsg(n, rtm_tca_policy, extack);
  if (p.err || !p.r) return p.err || -EINVAL;
  const { t, tca } = p.r;
  let parent = t.tcm_parent >>> 0;
  const qf = __tcf_qdisc_find(net, parent, t.tcm_ifindex, extack);
  if (qf.err) return qf.err;
  parent = qf.parent;
  const cf = __tcf_qdisc_cl_find(qf.q, parent, t.tcm_ifindex, extack);
  if (cf.err) return cf.err;
  const bf = __tcf_block_find(net, qf.q, cf.cl, t.tcm_ifindex, t.tcm_parent >>> 0, extack);
  if (bf.err || !bf.block) return bf.err || -EINVAL;
  const block = bf.block;
  const chain_index = tca[TCA_CHAIN] ? nla_get_u32(tca[TCA_CHAIN]!) : 0;
  if (chain_index > TC_ACT_EXT_VAL_MASK) {
    NL_SET_ERR_MSG(extack, 'Specified chain index exceeds upper limit');
    return -EINVAL;
  }
  let chain = tcf_chain_lookup(block, chain_index) ?? null;
  const type = n.hdr.nlmsg_type;
  if (type === RTM_NEWCHAIN) {
    if (chain) {
      if (tcf_chain_held_by_acts_only(chain)) {
        chain.refcnt++;
      } else {
        NL_SET_ERR_MSG(extack, 'Filter chain already exists');
        return -EEXIST;
      }
    } else {
      if (!(n.hdr.nlmsg_flags & NLM_F_CREATE)) {
        NL_SET_ERR_MSG(extack, 'Need both RTM_NEWCHAIN and NLM_F_CREATE to create a new chain');
        return -ENOENT;
      }
      chain = tcf_chain_create(block, chain_index);
      chain.refcnt = 1;
    }
  } else {
    if (!chain || tcf_chain_held_by_acts_only(chain)) {
      NL_SET_ERR_MSG(extack, 'Cannot find specified filter chain');
      return -EINVAL;
    }
    chain.refcnt++;
  }
  let err: 0 | NegErrno = 0;
  if (type === RTM_NEWCHAIN) {
    if (tca[TCA_KIND]) {
      const ops = tcf_proto_lookup_ops(net, nla_get_string(tca[TCA_KIND]!), extack);
      if (!ops) err = -ENOENT;
      else if (!ops.tmplt_create) {
        NL_SET_ERR_MSG(extack, 'Chain templates are not supported with specified classifier');
        err = -EOPNOTSUPP;
      } else {
        const r = ops.tmplt_create(net, chain, tca, extack);
        if (r.err) err = r.err;
        else {
          chain.tmplt_ops = ops;
          chain.tmplt_priv = r.priv;
        }
      }
      if (err) {
        __tcf_chain_put(chain, false, false);
        return err;
      }
    }
    chain.explicitly_created = true;
    tc_chain_notify(chain, skb.portid, n.hdr.nlmsg_seq, n.hdr.nlmsg_flags, RTM_NEWCHAIN, false);
    return 0;
  }
  if (type === RTM_DELCHAIN) {
    tfilter_notify_chain(net, skb, n, chain, RTM_DELTFILTER, extack);
    tcf_chain_flush(chain);
    tcf_chain_put_explicitly_created(chain);
  } else if (type === RTM_GETCHAIN) {
    err = tc_chain_notify(chain, skb.portid, n.hdr.nlmsg_seq, n.hdr.nlmsg_flags, n.hdr.nlmsg_type, true);
    if (err < 0) NL_SET_ERR_MSG(extack, 'Failed to send chain notify message');
  } else {
    NL_SET_ERR_MSG(extack, 'Unsupported message type');
    err = -EOPNOTSUPP;
  }
  tcf_chain_put(chain);
  return err;
}, { input: (_s, n) => `type=${n.hdr.nlmsg_type} flags=0x${n.hdr.nlmsg_flags.toString(16)}` });

/** tc_dump_chain (v6.18): RTM_NEWCHAIN per chain not held only by actions. */
export const tc_dump_chain = hop('net/sched/cls_api.c', function tc_dump_chain(cb: NetlinkCallback): 0 | NegErrno {
  const net = cb.skb.net;
  if (cb.nlh.payload.byteLength < TCMSG_LEN) return 0;
  const p = parse_tcmsg(cb.nlh, rtm_tca_policy, cb.extack);
  if (p.err || !p.r) return p.err || -EINVAL;
  const { t: tcm, tca } = p.r;
  let block: TcfBlock | null = null;
  let q: Qdisc | null = null;
  if (tcm.tcm_ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK) {
    block = tcf_net(net).blocks.get(tcm.tcm_parent >>> 0) ?? null;
  } else {
    const dev = net.dev_by_index.get(tcm.tcm_ifindex | 0);
    if (!dev) return 0;
    const parent = tcm.tcm_parent >>> 0;
    q = parent ? qdisc_lookup(dev, TC_H_MAJ(parent)) : dev_root_qdisc(dev);
    if (!q || !q.ops.cl_ops) return 0;
    let cl = 0;
    if (TC_H_MIN(parent)) {
      cl = q.ops.cl_ops.find(q, parent);
      if (cl === 0) return 0;
    }
    block = q.ops.cl_ops.tcf_block(q, cl, null);
    if (block && tcf_block_shared(block)) q = null;
  }
  if (!block) return 0;
  for (const chain of block.chain_list) {
    if (tca[TCA_CHAIN] && nla_get_u32(tca[TCA_CHAIN]!) !== chain.index) continue;
    if (tcf_chain_held_by_acts_only(chain)) continue;
    cb.msgs.push(tc_chain_fill_node(chain, q, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI, RTM_NEWCHAIN));
  }
  return 0;
});

/** tc_filter_init (v6.18): the six tc filter/chain handlers, as rtnl_register_many. */
export function tc_filter_init(net: Net): void {
  tcf_net(net);
  rtnl_register_many(net, [
    { protocol: 0, msgtype: RTM_NEWTFILTER, doit: tc_new_tfilter, flags: RTNL_FLAG_DOIT_UNLOCKED },
    { protocol: 0, msgtype: RTM_DELTFILTER, doit: tc_del_tfilter, flags: RTNL_FLAG_DOIT_UNLOCKED },
    { protocol: 0, msgtype: RTM_GETTFILTER, doit: tc_get_tfilter, dumpit: tc_dump_tfilter, flags: RTNL_FLAG_DOIT_UNLOCKED },
    { protocol: 0, msgtype: RTM_NEWCHAIN, doit: tc_ctl_chain },
    { protocol: 0, msgtype: RTM_DELCHAIN, doit: tc_ctl_chain },
    { protocol: 0, msgtype: RTM_GETCHAIN, doit: tc_ctl_chain, dumpit: tc_dump_chain },
  ]);
}
