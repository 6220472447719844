// include/linux/netlink.h: the extended ACK a handler fills in. The message
// literal stays at the call site; the _MOD variant prefixes KBUILD_MODNAME.

export interface NetlinkExtAck {
  _msg?: string;
  /** Offset of the offending attribute from the start of the nlmsghdr. */
  bad_attr_offset?: number;
}

export function NL_SET_ERR_MSG(extack: NetlinkExtAck | null | undefined, msg: string): void {
  if (extack) extack._msg = msg;
}

export function NL_SET_ERR_MSG_MOD(extack: NetlinkExtAck | null | undefined, modname: string, msg: string): void {
  if (extack) extack._msg = `${modname}: ${msg}`;
}

export function NL_SET_ERR_MSG_ATTR(extack: NetlinkExtAck | null | undefined, offset: number, msg: string): void {
  if (extack) {
    extack._msg = msg;
    extack.bad_attr_offset = offset;
  }
}
