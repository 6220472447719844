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
