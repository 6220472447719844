// include/net/act_api.h: tc actions and their ops table.
import type { Net } from './net_namespace';
import type { NetlinkExtAck } from '../linux/netlink';
import type { NegErrno } from '../uapi/asm-generic/errno';
import type { NlAttr, NlMsgBuilder } from '../../../netlink/attr';
import type { FlowActionEntry } from './flow_offload';
import type { TcfChain, TcfProto } from './sch_generic';
import { jiffies, jiffies_to_clock_t } from '../linux/jiffies';

export const ACT_P_BOUND = 0;
export const ACT_P_CREATED = 1;
export const ACT_P_DELETED = 1;

/** struct tcf_t */
export interface TcfT {
  install: number;
  lastuse: number;
  expires: number;
  firstuse: number;
}

/** struct tc_action (the common part; kind data in `priv`). */
export interface TcAction {
  ops: TcActionOps;
  tcfa_index: number;
  tcfa_refcnt: number;
  tcfa_bindcnt: number;
  /** Control action (TC_ACT_*, possibly | TC_ACT_GOTO_CHAIN). */
  tcfa_action: number;
  /** TCA_ACT_FLAGS_* (user bits and BIND). */
  tcfa_flags: number;
  hw_stats: number;
  used_hw_stats: number;
  used_hw_stats_valid: boolean;
  user_cookie: Uint8Array | null;
  goto_chain: TcfChain | null;
  bstats: { bytes: number; packets: number };
  bstats_hw: { bytes: number; packets: number };
  qstats: { drops: number; overlimits: number };
  tcf_tm: TcfT;
  in_hw_count: number;
  priv: unknown;
  /** struct tcf_idrinfo: the namespace the action lives in (its clock for tcf_tm). */
  idrinfo?: { net: Net };
}

export interface TcActionInitResult {
  /** ACT_P_CREATED, ACT_P_BOUND, or a negative errno. */
  err: number;
  a: TcAction | null;
}

/** struct tc_action_ops */
export interface TcActionOps {
  kind: string;
  /** enum tca_id */
  id: number;
  /** `est`: the filter's TCA_RATE (struct tc_estimator), handed to every action a filter creates. */
  init: (net: Net, nla: NlAttr | undefined, tp: TcfProto | null, flags: number, extack: NetlinkExtAck | null, est?: NlAttr) => TcActionInitResult;
  /** Writes the kind's attributes inside TCA_ACT_OPTIONS; < 0 on failure. */
  dump: (b: NlMsgBuilder, a: TcAction, bind: number, ref: number) => number;
  stats_update?: (a: TcAction, bytes: number, packets: number, drops: number, lastuse: number, hw: boolean) => void;
  /**
   * Fills a flow_action entry (bind = true) for offload. A kind that needs
   * several entries (pedit: one per key) appends the further ones to
   * `entries`, whose first element is `entry` (upstream's `entry++` and
   * `*index_inc`).
   */
  offload_act_setup?: (a: TcAction, entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null,
    entries?: FlowActionEntry[]) => 0 | NegErrno;
  cleanup?: (a: TcAction) => void;
}

/** struct tcf_exts: a filter's actions. */
export interface TcfExts {
  /** TCA_FLOWER_ACT etc.: the attribute holding the actions. */
  action: number;
  actions: TcAction[];
  net: Net;
}

/** enum tca_id */
export const TCA_ID_GACT = 5;
export const TCA_ID_MIRRED = 8;

/**
 * tcf_tm_dump (include/net/act_api.h v6.18): install and lastuse as ages in
 * USER_HZ ticks; firstuse only once the action has seen a packet.
 */
export function tcf_tm_dump(a: TcAction): TcfT {
  const now = a.idrinfo ? jiffies(a.idrinfo.net) : 0;
  const stm = a.tcf_tm;
  return {
    install: jiffies_to_clock_t(now - stm.install),
    lastuse: jiffies_to_clock_t(now - stm.lastuse),
    firstuse: stm.firstuse ? jiffies_to_clock_t(now - stm.firstuse) : 0,
    expires: jiffies_to_clock_t(stm.expires),
  };
}

/** tcf_lastuse_update (include/net/act_api.h): a software hit stamps lastuse and, once, firstuse. */
export function tcf_lastuse_update(a: TcAction): void {
  const now = a.idrinfo ? jiffies(a.idrinfo.net) : 0;
  a.tcf_tm.lastuse = now;
  if (!a.tcf_tm.firstuse) a.tcf_tm.firstuse = now;
}

/** struct tcf_t on the wire (include/uapi/linux/pkt_cls.h): install, lastuse, expires, firstuse, u64 each. */
export const TCF_T_LEN = 32;

// enum tca_id (include/uapi/linux/pkt_cls.h v6.18), the kinds added later
export const TCA_ID_POLICE = 1;
export const TCA_ID_PEDIT = 7;
export const TCA_ID_SKBEDIT = 11;
export const TCA_ID_VLAN = 12;
export const TCA_ID_CSUM = 16;
export const TCA_ID_TUNNEL_KEY = 17;
export const TCA_ID_SAMPLE = 26;
export const TCA_ID_CT = 29;
export const TCA_ID_MPLS = 28;
