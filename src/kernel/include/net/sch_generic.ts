// include/net/sch_generic.h: qdiscs, blocks, chains, classifier instances
// and the classifier ops table cls_api dispatches through.
import type { Net } from './net_namespace';
import type { NetDevice } from '../linux/netdevice';
import type { NetlinkExtAck, NetlinkSkb } from '../linux/netlink';
import type { FlowBlock, FlowSetupCb } from './flow_offload';
import type { NegErrno } from '../uapi/asm-generic/errno';
import type { NlAttr, NlMsgBuilder } from '../../../netlink/attr';
import type { TcMsg } from '../../../netlink/structs';
import type { NlaTb } from '../../lib/nlattr';

/** struct tcf_block */
export interface TcfBlock {
  net: Net;
  /** Shared block index (0 for a block private to one qdisc). */
  index: number;
  chain_list: TcfChain[];
  flow_block: FlowBlock;
  refcnt: number;
  /** Devices bound to a shared block (block->ports). */
  ports: NetDevice[];
  owner_list: { q: Qdisc; binder_type: number }[];
  nooffloaddevcnt: number;
  lockeddevcnt: number;
  offloadcnt: number;
  useswcnt: number;
  classid: number;
}

/** struct tcf_chain */
export interface TcfChain {
  block: TcfBlock;
  index: number;
  /** The prio-sorted classifier instances (chain->filter_chain). */
  filter_chain: TcfProto[];
  refcnt: number;
  action_refcnt: number;
  explicitly_created: boolean;
  flushing: boolean;
  tmplt_ops: TcfProtoOps | null;
  tmplt_priv: unknown;
}

/** struct tcf_proto: one classifier instance at (chain, prio, protocol). */
export interface TcfProto {
  ops: TcfProtoOps;
  chain: TcfChain;
  /** TC_H_MAJ prio (user pref << 16). */
  prio: number;
  /** Ethertype the filter applies to (host value, e.g. 0x0800; ETH_P_ALL = 0x0003). */
  protocol: number;
  /** Classifier private head (tp->root). */
  root: unknown;
  deleting: boolean;
  usesw: boolean;
  /** Unique id for dump resume bookkeeping and tracing. */
  id: number;
}

/** struct tcf_walker */
export interface TcfWalker {
  stop: boolean;
  skip: number;
  count: number;
  cookie: number;
  fn: (tp: TcfProto, fh: unknown, arg: TcfWalker) => number;
}

/** A filter as specs and reports see it (an emulator view, not upstream). */
export interface TcfFilterView {
  handle: number;
  flags: number;
  in_hw_count: number;
  keys: string;
  /** The cookie offload requests carry for this filter (classifiers that offload). */
  cookie?: number;
}

export interface TcfChangeResult {
  err: 0 | NegErrno;
  /** The new filter (fh) on success. */
  fh: unknown;
}

export interface TcfDeleteResult {
  err: 0 | NegErrno;
  /** No filters remain (the tp may be removed). */
  last: boolean;
}

export const TCF_PROTO_OPS_DOIT_UNLOCKED = 1;

/** struct tcf_proto_ops */
export interface TcfProtoOps {
  kind: string;
  flags?: number;
  init: (tp: TcfProto) => 0 | NegErrno;
  destroy: (tp: TcfProto, extack: NetlinkExtAck | null) => void;
  get: (tp: TcfProto, handle: number) => unknown | null;
  put?: (tp: TcfProto, fh: unknown) => void;
  change: (net: Net, skb: NetlinkSkb, tp: TcfProto, base: number, handle: number, tca: NlaTb,
    fold: unknown | null, flags: number, extack: NetlinkExtAck) => TcfChangeResult;
  delete: (tp: TcfProto, fh: unknown, extack: NetlinkExtAck | null) => TcfDeleteResult;
  delete_empty?: (tp: TcfProto) => boolean;
  walk: (tp: TcfProto, arg: TcfWalker) => void;
  reoffload?: (tp: TcfProto, add: boolean, cb: FlowSetupCb, cb_priv: unknown, extack: NetlinkExtAck | null) => 0 | NegErrno;
  hw_add?: (tp: TcfProto, type_data: unknown) => void;
  hw_del?: (tp: TcfProto, type_data: unknown) => void;
  /** Writes TCA_OPTIONS for fh into b and sets t.tcm_handle; < 0 on failure. */
  dump: (net: Net, tp: TcfProto, fh: unknown, b: NlMsgBuilder, t: TcMsg) => number;
  terse_dump?: (net: Net, tp: TcfProto, fh: unknown, b: NlMsgBuilder, t: TcMsg) => number;
  tmplt_create?: (net: Net, chain: TcfChain, tca: NlaTb, extack: NetlinkExtAck) => { err: 0 | NegErrno; priv: unknown };
  tmplt_destroy?: (priv: unknown) => void;
  tmplt_dump?: (b: NlMsgBuilder, net: Net, priv: unknown) => number;
  /** Emulator-only: a pure summary of one filter for specs and reports. */
  show?: (tp: TcfProto, fh: unknown) => TcfFilterView;
}

/** struct Qdisc_class_ops (the parts classifiers use) */
export interface QdiscClassOps {
  flags: number;
  find: (q: Qdisc, classid: number) => number;
  tcf_block: (q: Qdisc, cl: number, extack: NetlinkExtAck | null) => TcfBlock | null;
}
export const QDISC_CLASS_OPS_DOIT_UNLOCKED = 1;

/** struct Qdisc_ops */
export interface QdiscOps {
  id: string;
  cl_ops: QdiscClassOps | null;
  init: (q: Qdisc, opt: NlAttr | undefined, extack: NetlinkExtAck) => 0 | NegErrno;
  destroy: (q: Qdisc) => void;
  ingress_block_set?: (q: Qdisc, block_index: number) => void;
  egress_block_set?: (q: Qdisc, block_index: number) => void;
  ingress_block_get?: (q: Qdisc) => number;
  egress_block_get?: (q: Qdisc) => number;
}

/** struct Qdisc */
export interface Qdisc {
  ops: QdiscOps;
  dev: NetDevice;
  handle: number;
  parent: number;
  flags: number;
  /** Qdisc private data (qdisc_priv). */
  priv: unknown;
}
