// Test support for the kernel layer (not upstream code): a tiny fake driver
// that binds flow blocks the way real drivers do, request builders that
// produce the bytes tc/OVS send, and helpers to read what comes back.
import type { NetDevice, TcSetupType } from '../include/linux/netdevice';
import { TC_SETUP_BLOCK, TC_SETUP_CLSFLOWER } from '../include/linux/netdevice';
import { NL_SET_ERR_MSG } from '../include/linux/netlink';
import type { FlowBlockCb, FlowBlockOffload, FlowClsOffload } from '../include/net/flow_offload';
import { flow_block_cb_setup_simple } from '../net/core/flow_offload';
import { register_netdevice } from '../net/core/dev';
import { EOPNOTSUPP, type NegErrno } from '../include/uapi/asm-generic/errno';
import type { Kernel } from '../init/main';
import type { NetlinkSocket } from '../syscall';
import { NETLINK_ROUTE, NETLINK_EXT_ACK, SOL_NETLINK, NLM_F_ACK, NLM_F_REQUEST, NLMSG_ERROR } from '../include/uapi/linux/netlink';
import { NlMsgBuilder, type StructWriter } from '../../netlink/attr';
import { nlmsg_split, type NlMsg } from '../../netlink/nlmsg';
import { nlmsgerr_decode, tcmsg_encode, type NlMsgErr } from '../../netlink/structs';
import { TCA_KIND, TCA_OPTIONS, TCA_CHAIN, TCA_INGRESS_BLOCK, TC_H_INGRESS } from '../include/uapi/linux/pkt_sched';
import { RTM_NEWQDISC } from '../include/uapi/linux/rtnetlink';

export interface DriverCall {
  dev: string;
  command: number;
  cookie: number;
  skip_sw: boolean;
  has_extack: boolean;
  offload: FlowClsOffload;
}

export interface FakeDriver {
  dev: NetDevice;
  calls: DriverCall[];
  /** What the flow-block callback returns for FLOW_CLS_REPLACE (and its extack text). */
  replace_result: { err: 0 | NegErrno; msg?: string };
  /** The driver's own block list (flow_block_cb_setup_simple's driver_block_list). */
  block_cbs: FlowBlockCb[];
}

/** A NetDevice whose ndo_setup_tc binds an ingress-only flow block callback, like most NIC drivers. */
export function fake_offload_dev(k: Kernel, name: string, opts: { hw_tc?: boolean; ingress_only?: boolean } = {}): FakeDriver {
  const drv: FakeDriver = {
    dev: undefined as unknown as NetDevice, calls: [], replace_result: { err: 0 }, block_cbs: [],
  };
  const cb = (type: TcSetupType, type_data: unknown, cb_priv: unknown): 0 | NegErrno => {
    if (type !== TC_SETUP_CLSFLOWER) return -EOPNOTSUPP;
    const f = type_data as FlowClsOffload;
    const d = cb_priv as FakeDriver;
    d.calls.push({ dev: d.dev.name, command: f.command, cookie: f.cookie, skip_sw: f.common.skip_sw, has_extack: f.common.extack !== null, offload: f });
    if (f.command === 0) {
      if (d.replace_result.msg) NL_SET_ERR_MSG(f.common.extack, d.replace_result.msg);
      return d.replace_result.err;
    }
    return 0;
  };
  drv.dev = {
    name, ifindex: 0, features: { hw_tc: opts.hw_tc ?? true }, hw_features: { hw_tc: true }, priv: drv, nd_net: k.net,
    present: true, kind: 'fake',
    netdev_ops: {
      ndo_setup_tc: (dev: NetDevice, type: TcSetupType, type_data: unknown): 0 | NegErrno => {
        if (type !== TC_SETUP_BLOCK) return -EOPNOTSUPP;
        return flow_block_cb_setup_simple(type_data as FlowBlockOffload, drv.block_cbs, cb, dev.priv, dev.priv, opts.ingress_only ?? true);
      },
    },
  };
  register_netdevice(k.net, drv.dev);
  return drv;
}

/** A device without ndo_setup_tc (veth-like). */
export function plain_dev(k: Kernel, name: string, ifindex = 0): NetDevice {
  const dev: NetDevice = {
    name, ifindex, features: { hw_tc: false }, hw_features: { hw_tc: false }, netdev_ops: {}, priv: null, nd_net: k.net,
    present: true, kind: 'veth',
  };
  register_netdevice(k.net, dev);
  return dev;
}

export function rtnl_socket(k: Kernel, ext_ack = true, cap_net_admin = true): NetlinkSocket {
  const s = k.syscalls.netlink_socket(NETLINK_ROUTE, { cap_net_admin });
  if (typeof s === 'number') throw new Error(`netlink_socket = ${s}`);
  if (ext_ack) s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
  return s;
}

/** Sends and drains the socket: every message that came back, in order. */
export function transact(s: NetlinkSocket, req: Uint8Array): NlMsg[] {
  const sent = s.sendmsg(req);
  if (sent < 0) throw new Error(`sendmsg = ${sent}`);
  const out: NlMsg[] = [];
  for (let d = s.recvmsg(); d; d = s.recvmsg()) out.push(...nlmsg_split(d).msgs);
  return out;
}

export function ack_of(msgs: NlMsg[]): NlMsgErr | undefined {
  const m = msgs.find((x) => x.hdr.nlmsg_type === NLMSG_ERROR);
  if (!m) return undefined;
  const d = nlmsgerr_decode(m.payload, m.hdr.nlmsg_flags);
  if (!d.ok) throw new Error(d.error);
  return d.value;
}

export interface TcReq {
  type: number;
  flags?: number;
  seq?: number;
  ifindex: number;
  handle?: number;
  parent?: number;
  prio?: number;
  /** Ethertype value, e.g. 0x0800. */
  protocol?: number;
  kind?: string;
  chain?: number;
  options?: (b: NlMsgBuilder) => void;
  attrs?: (b: NlMsgBuilder) => void;
}

/** The bytes of a tc request (tcmsg + TCA_KIND/TCA_CHAIN/TCA_OPTIONS), as tc/OVS lay them out. */
export function tc_req(r: TcReq): Uint8Array {
  const b = new NlMsgBuilder({ nlmsg_type: r.type, nlmsg_flags: r.flags ?? (NLM_F_REQUEST | NLM_F_ACK), nlmsg_seq: r.seq ?? 1, nlmsg_pid: 0 });
  const proto = r.protocol ?? 0;
  b.put(tcmsg_encode({
    tcm_family: 0, tcm_ifindex: r.ifindex, tcm_handle: r.handle ?? 0, tcm_parent: r.parent ?? 0xfffffff2,
    tcm_info: (((r.prio ?? 0) << 16) | ((proto & 0xff) << 8) | (proto >> 8)) >>> 0,
  }));
  if (r.chain !== undefined) b.u32(TCA_CHAIN, r.chain);
  if (r.kind !== undefined) b.string(TCA_KIND, r.kind);
  if (r.options) {
    const n = b.nestStart(TCA_OPTIONS);
    r.options(b);
    b.nestEnd(n);
  }
  r.attrs?.(b);
  return b.finish();
}

/** `tc qdisc add dev X ingress|clsact [ingress_block N]` */
export function qdisc_req(ifindex: number, kind: 'ingress' | 'clsact', flags = NLM_F_REQUEST | NLM_F_ACK | 0x600, block = 0): Uint8Array {
  const b = new NlMsgBuilder({ nlmsg_type: RTM_NEWQDISC, nlmsg_flags: flags, nlmsg_seq: 1, nlmsg_pid: 0 });
  b.put(tcmsg_encode({ tcm_family: 0, tcm_ifindex: ifindex, tcm_handle: 0xffff0000, tcm_parent: TC_H_INGRESS, tcm_info: 0 }));
  b.string(TCA_KIND, kind);
  if (block) b.u32(TCA_INGRESS_BLOCK, block);
  const n = b.nestStart(TCA_OPTIONS);
  b.nestEnd(n);
  return b.finish();
}

export type { StructWriter };
