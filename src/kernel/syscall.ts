// The user/kernel boundary as user space sees it: netlink sockets that carry
// bytes. OVS and the command front ends reach the kernel only through this.
import type { NegErrno } from './include/uapi/asm-generic/errno';

export interface Credentials {
  /** CAP_NET_ADMIN in the namespace's user ns. */
  cap_net_admin: boolean;
}

/** An open AF_NETLINK socket (socket(2) + bind(2) done). */
export interface NetlinkSocket {
  readonly protocol: number;
  /** nl_pid the kernel assigned at autobind. */
  readonly portid: number;
  setsockopt(level: number, optname: number, value: number): 0 | NegErrno;
  /** Multicast group membership (NETLINK_ADD_MEMBERSHIP). */
  add_membership(group: number): 0 | NegErrno;
  /** sendmsg(2) to the kernel (nl_pid 0): returns bytes sent or -errno. */
  sendmsg(buf: Uint8Array): number | NegErrno;
  /** recvmsg(2) with MSG_DONTWAIT: the next queued datagram, or null (-EAGAIN). */
  recvmsg(): Uint8Array | null;
  close(): void;
}

export interface Syscalls {
  /** socket(AF_NETLINK, SOCK_RAW, protocol) + autobind. */
  netlink_socket(protocol: number, cred?: Credentials): NetlinkSocket | NegErrno;
}
