// include/linux/netlink.h: the extended ACK a handler fills in. The message
// literal stays at the call site; the _MOD variant prefixes KBUILD_MODNAME.
// The message is also noted on the current hop, so traces can show it.
import { traceExtack } from '../../../trace/hop';

export interface NetlinkExtAck {
  _msg?: string;
  /** Offset of the offending attribute from the start of the nlmsghdr. */
  bad_attr_offset?: number;
}

export function NL_SET_ERR_MSG(extack: NetlinkExtAck | null | undefined, msg: string): void {
  if (extack) {
    extack._msg = msg;
    traceExtack(msg);
  }
}

export function NL_SET_ERR_MSG_MOD(extack: NetlinkExtAck | null | undefined, modname: string, msg: string): void {
  if (extack) {
    extack._msg = `${modname}: ${msg}`;
    traceExtack(extack._msg);
  }
}

export function NL_SET_ERR_MSG_ATTR(extack: NetlinkExtAck | null | undefined, offset: number, msg: string): void {
  if (extack) {
    extack._msg = msg;
    extack.bad_attr_offset = offset;
    traceExtack(msg);
  }
}

// Appended: what a protocol's input and its handlers see of a request
// (struct sk_buff + NETLINK_CB, struct netlink_callback, netlink_kernel_cfg).
import type { Net } from '../net/net_namespace';
import type { NlMsg } from '../../../netlink/nlmsg';
import type { NegErrno } from '../uapi/asm-generic/errno';

/** struct sk_buff as seen by netlink input: the bytes and NETLINK_CB(skb). */
export interface NetlinkSkb {
  net: Net;
  protocol: number;
  /** NETLINK_CB(skb).portid: the sender's port id. */
  portid: number;
  /** netlink_net_capable(skb, CAP_NET_ADMIN) */
  cap_net_admin: boolean;
  data: Uint8Array;
}

/** struct netlink_callback: one dump in progress. */
export interface NetlinkCallback {
  skb: NetlinkSkb;
  nlh: NlMsg;
  extack: NetlinkExtAck;
  /** Messages the dump produced, in order (each a whole nlmsghdr + payload). */
  msgs: Uint8Array[];
  /** Resume state, as upstream's cb->args. */
  args: number[];
  data?: unknown;
}

/** struct netlink_dump_control */
export interface NetlinkDumpControl {
  dump: (cb: NetlinkCallback) => 0 | NegErrno;
  data?: unknown;
}

/** struct netlink_kernel_cfg: a protocol's kernel socket. */
export interface NetlinkKernelCfg {
  groups: number;
  input: (skb: NetlinkSkb) => void;
  /** NL_CFG_F_NONROOT_RECV / _SEND */
  flags: number;
}
export const NL_CFG_F_NONROOT_RECV = 1 << 0;
export const NL_CFG_F_NONROOT_SEND = 1 << 1;
