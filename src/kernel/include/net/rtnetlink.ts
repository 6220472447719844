// include/net/rtnetlink.h: handler registration records.
import type { NlMsg } from '../../../netlink/nlmsg';
import type { NetlinkCallback, NetlinkExtAck, NetlinkSkb } from '../linux/netlink';
import type { NegErrno } from '../uapi/asm-generic/errno';

export type RtnlDoitFunc = (skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck) => 0 | NegErrno;
export type RtnlDumpitFunc = (cb: NetlinkCallback) => 0 | NegErrno;

export const RTNL_FLAG_DOIT_UNLOCKED = 1 << 0;
export const RTNL_FLAG_BULK_DEL_SUPPORTED = 1 << 1;
export const RTNL_FLAG_DUMP_UNLOCKED = 1 << 2;
export const RTNL_FLAG_DUMP_SPLIT_NLM_DONE = 1 << 3;

/** struct rtnl_link */
export interface RtnlLink {
  doit: RtnlDoitFunc | null;
  dumpit: RtnlDumpitFunc | null;
  flags: number;
}

/** struct rtnl_msg_handler (6.12+) */
export interface RtnlMsgHandler {
  protocol: number;
  msgtype: number;
  doit?: RtnlDoitFunc;
  dumpit?: RtnlDumpitFunc;
  flags?: number;
}

/**
 * struct rtnl_link_ops: a link kind `ip link add … type KIND` can create.
 * newlink registers the device(s); `data` is IFLA_INFO_DATA when present.
 */
export interface RtnlLinkOps {
  kind: string;
  newlink: (net: import('./net_namespace').Net, ifname: string, data: import('../../../netlink/attr').NlAttr | undefined,
    extack: NetlinkExtAck) => 0 | NegErrno;
}
