// net/netlink/af_netlink.c: AF_NETLINK sockets. User sockets carry bytes; a
// protocol's kernel socket (rtnetlink, generic netlink) receives them
// synchronously in the sender's context and answers by queueing datagrams.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { Credentials, NetlinkSocket, Syscalls } from '../../syscall';
import type {
  NetlinkCallback, NetlinkDumpControl, NetlinkExtAck, NetlinkKernelCfg, NetlinkSkb,
} from '../../include/linux/netlink';
import { NL_CFG_F_NONROOT_RECV } from '../../include/linux/netlink';
import {
  ECONNREFUSED, EINTR, EINVAL, EMSGSIZE, ENODATA, ENOPROTOOPT, EPERM, EPROTONOSUPPORT, type NegErrno,
} from '../../include/uapi/asm-generic/errno';
import {
  NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE,
  NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI, NLM_F_REQUEST, NLMSGERR_ATTR_MSG, SOL_NETLINK,
} from '../../include/uapi/linux/netlink';
import { NLMSG_ALIGN, nlmsg_split, type NlMsg } from '../../../netlink/nlmsg';
import { NlMsgBuilder, StructWriter, nlmsg_concat } from '../../../netlink/attr';
import { nlmsgerr_encode } from '../../../netlink/structs';
import { hop } from '../../../trace/hop';

// include/uapi/linux/netlink.h socket options handled here
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_DROP_MEMBERSHIP = 2;

/** Default sk_sndbuf (net.core.wmem_default). */
const SK_SNDBUF = 212992;
/** Bytes a dump packs into one datagram before starting the next (roughly NLMSG_GOODSIZE-sized skbs). */
const DUMP_CHUNK = 16384;
/** Port ids stand in for the owning task's tgid; hosts start numbering here. */
const FIRST_PORTID = 1000;

/** struct netlink_sock: one user socket. */
export class NetlinkSock implements NetlinkSocket {
  readonly groups = new Set<number>();
  readonly queue: Uint8Array[] = [];
  ext_ack = false;
  cap_ack = false;
  strict_chk = false;
  closed = false;

  constructor(readonly net: Net, readonly protocol: number, readonly portid: number, readonly cred: Credentials) {}

  setsockopt(level: number, optname: number, value: number): 0 | NegErrno {
    return netlink_setsockopt(this, level, optname, value);
  }

  add_membership(group: number): 0 | NegErrno {
    return netlink_setsockopt(this, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group);
  }

  sendmsg(buf: Uint8Array): number | NegErrno {
    return netlink_sendmsg(this, buf);
  }

  recvmsg(): Uint8Array | null {
    return this.queue.shift() ?? null;
  }

  close(): void {
    netlink_release(this);
  }
}

interface NlProto {
  kernel: NetlinkKernelCfg | null;
  socks: Map<number, NetlinkSock>;
}

/** The per-namespace netlink table (nl_table, per protocol). */
interface NlTable {
  protocols: Map<number, NlProto>;
  next_portid: number;
}

function nl_table(net: Net): NlTable {
  return net_generic(net, 'af_netlink', () => ({ protocols: new Map<number, NlProto>(), next_portid: FIRST_PORTID }));
}

function nl_proto(net: Net, protocol: number): NlProto {
  const t = nl_table(net);
  let p = t.protocols.get(protocol);
  if (!p) {
    p = { kernel: null, socks: new Map() };
    t.protocols.set(protocol, p);
  }
  return p;
}

/** netlink_kernel_create(): the protocol's kernel socket with its input. */
export function netlink_kernel_create(net: Net, protocol: number, cfg: NetlinkKernelCfg): void {
  nl_proto(net, protocol).kernel = cfg;
}

/** __netlink_create + netlink_autobind: a bound user socket. */
export function netlink_create(net: Net, protocol: number, cred?: Credentials): NetlinkSock | NegErrno {
  const p = nl_table(net).protocols.get(protocol);
  // netlink_create: a protocol nobody registered (and no module to load).
  if (!p || !p.kernel) return -EPROTONOSUPPORT;
  const t = nl_table(net);
  const sock = new NetlinkSock(net, protocol, t.next_portid++, cred ?? { cap_net_admin: true });
  p.socks.set(sock.portid, sock);
  return sock;
}

function netlink_release(sock: NetlinkSock): void {
  if (sock.closed) return;
  sock.closed = true;
  nl_proto(sock.net, sock.protocol).socks.delete(sock.portid);
}

/** netlink_setsockopt() for the options user space sets. */
function netlink_setsockopt(sock: NetlinkSock, level: number, optname: number, value: number): 0 | NegErrno {
  if (level !== SOL_NETLINK) return -ENOPROTOOPT;
  switch (optname) {
    case NETLINK_ADD_MEMBERSHIP:
    case NETLINK_DROP_MEMBERSHIP: {
      const cfg = nl_proto(sock.net, sock.protocol).kernel;
      if (!cfg) return -EINVAL;
      // netlink_allowed(sock, NL_CFG_F_NONROOT_RECV) or CAP_NET_ADMIN
      if (!(cfg.flags & NL_CFG_F_NONROOT_RECV) && !sock.cred.cap_net_admin) return -EPERM;
      if (!value || value - 1 >= cfg.groups) return -EINVAL;
      if (optname === NETLINK_ADD_MEMBERSHIP) sock.groups.add(value);
      else sock.groups.delete(value);
      return 0;
    }
    case NETLINK_EXT_ACK:
      sock.ext_ack = value !== 0;
      return 0;
    case NETLINK_CAP_ACK:
      sock.cap_ack = value !== 0;
      return 0;
    case NETLINK_GET_STRICT_CHK:
      sock.strict_chk = value !== 0;
      return 0;
    default:
      return -ENOPROTOOPT;
  }
}

/** The user socket bound to `portid` on `protocol`, if any. */
export function netlink_lookup(net: Net, protocol: number, portid: number): NetlinkSock | undefined {
  return nl_table(net).protocols.get(protocol)?.socks.get(portid);
}

/**
 * netlink_sendmsg (net/netlink/af_netlink.c v6.18): empty → -ENODATA, larger
 * than the send buffer → -EMSGSIZE; otherwise deliver to the kernel socket
 * (nl_pid 0). The handlers' verdicts come back as queued messages, never as
 * the return value, which is the byte count.
 */
export const netlink_sendmsg = hop('net/netlink/af_netlink.c', function netlink_sendmsg(sock: NetlinkSock, buf: Uint8Array): number | NegErrno {
  if (buf.byteLength === 0) return -ENODATA;
  if (buf.byteLength > SK_SNDBUF - 32) return -EMSGSIZE;
  const skb: NetlinkSkb = {
    net: sock.net, protocol: sock.protocol, portid: sock.portid,
    cap_net_admin: sock.cred.cap_net_admin, data: buf.slice(),
  };
  const err = netlink_unicast(sock.net, sock.protocol, skb, 0);
  return err < 0 ? err : buf.byteLength;
}, { input: (sock, buf) => `portid=${sock.portid} len=${buf.byteLength}`, result: (r) => (r < 0 ? undefined : String(r)) });

/** netlink_unicast(): to the kernel socket (portid 0) or a user socket's queue. */
export const netlink_unicast = hop('net/netlink/af_netlink.c', function netlink_unicast(net: Net, protocol: number, skb: NetlinkSkb, portid: number): number | NegErrno {
  if (portid === 0) {
    const cfg = nl_table(net).protocols.get(protocol)?.kernel;
    if (!cfg) return -ECONNREFUSED;
    return netlink_unicast_kernel(cfg, skb);
  }
  const dst = netlink_lookup(net, protocol, portid);
  if (!dst) return -ECONNREFUSED;
  dst.queue.push(skb.data);
  return skb.data.byteLength;
}, { input: (_n, _p, skb, portid) => `dst=${portid} len=${skb.data.byteLength}`, result: (r) => (r < 0 ? undefined : String(r)) });

/** netlink_unicast_kernel(): the protocol's input runs synchronously. */
const netlink_unicast_kernel = hop('net/netlink/af_netlink.c', function netlink_unicast_kernel(cfg: NetlinkKernelCfg, skb: NetlinkSkb): number {
  cfg.input(skb);
  return skb.data.byteLength;
}, { result: (r) => String(r) });

/** Queues `data` on the user socket `portid` (a unicast reply from the kernel). */
export function netlink_unicast_reply(net: Net, protocol: number, data: Uint8Array, portid: number): number | NegErrno {
  const skb: NetlinkSkb = { net, protocol, portid: 0, cap_net_admin: true, data };
  return netlink_unicast(net, protocol, skb, portid);
}

/** netlink_has_listeners(): anyone subscribed to `group`? */
export function netlink_has_listeners(net: Net, protocol: number, group: number): boolean {
  const p = nl_table(net).protocols.get(protocol);
  if (!p) return false;
  for (const s of p.socks.values()) if (s.groups.has(group)) return true;
  return false;
}

/** netlink_broadcast(): a copy to every member of `group` except `exclude_portid`. */
export const netlink_broadcast = hop('net/netlink/af_netlink.c', function netlink_broadcast(net: Net, protocol: number, data: Uint8Array, exclude_portid: number, group: number): 0 | NegErrno {
  const p = nl_table(net).protocols.get(protocol);
  if (!p) return 0;
  for (const s of p.socks.values()) {
    if (s.portid !== exclude_portid && s.groups.has(group)) s.queue.push(data.slice());
  }
  return 0;
}, { input: (_n, _p, data, _e, group) => `group=${group} len=${data.byteLength}` });

/**
 * netlink_rcv_skb (net/netlink/af_netlink.c v6.18): each message gets a fresh
 * extack; non-requests and control messages are only acked; -EINTR (a dump
 * started) suppresses the ack; errors are always acked, success only on ACK.
 */
export const netlink_rcv_skb = hop('net/netlink/af_netlink.c', function netlink_rcv_skb(
  skb: NetlinkSkb,
  cb: (skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck) => number,
): 0 {
  // nlmsg_split stops silently at a short header or an nlmsg_len past the end.
  for (const nlh of nlmsg_split(skb.data).msgs) {
    const extack: NetlinkExtAck = {};
    let err = 0;
    if (nlh.hdr.nlmsg_flags & NLM_F_REQUEST && nlh.hdr.nlmsg_type >= NLMSG_MIN_TYPE) {
      err = cb(skb, nlh, extack);
      if (err === -EINTR) continue;
    }
    if (nlh.hdr.nlmsg_flags & NLM_F_ACK || err) netlink_ack(skb, nlh, err, extack);
  }
  return 0;
}, { input: (skb) => `len=${skb.data.byteLength}` });

/**
 * netlink_ack (v6.18): NLMSG_ERROR with the request header; on error the
 * whole request unless NETLINK_CAP_ACK, else NLM_F_CAPPED; extack TLVs only
 * for sockets that enabled NETLINK_EXT_ACK (message also on success).
 */
export const netlink_ack = hop('net/netlink/af_netlink.c', function netlink_ack(skb: NetlinkSkb, nlh: NlMsg, err: number, extack: NetlinkExtAck): void {
  const sock = netlink_lookup(skb.net, skb.protocol, skb.portid);
  if (!sock) return;
  let flags = 0;
  const capped = !(!sock.cap_ack && err);
  if (capped) flags |= NLM_F_CAPPED;
  const ext_msg = sock.ext_ack ? extack._msg : undefined;
  const offs = sock.ext_ack && err && extack.bad_attr_offset !== undefined && extack.bad_attr_offset < nlh.raw.byteLength
    ? extack.bad_attr_offset : undefined;
  if (ext_msg !== undefined || offs !== undefined) flags |= NLM_F_ACK_TLVS;
  const payload = nlmsgerr_encode({
    error: err, msg: nlh.hdr, request_payload: nlh.payload, ext_msg, ext_offs: offs,
  }, capped);
  const b = new NlMsgBuilder({ nlmsg_type: NLMSG_ERROR, nlmsg_flags: flags, nlmsg_seq: nlh.hdr.nlmsg_seq, nlmsg_pid: skb.portid });
  b.put(payload);
  netlink_unicast_reply(skb.net, skb.protocol, b.finish(), skb.portid);
}, { input: (_s, nlh, err, extack) => `seq=${nlh.hdr.nlmsg_seq} err=${err}${extack._msg ? ` msg="${extack._msg}"` : ''}` });

/**
 * netlink_dump_start → netlink_dump: runs the dump, queues its messages
 * packed into datagrams, ends with NLMSG_DONE carrying the dump's errno, and
 * returns -EINTR so no ACK follows. The whole dump runs at once (upstream
 * continues it on each recvmsg; the messages are the same).
 */
export const netlink_dump_start = hop('net/netlink/af_netlink.c', function netlink_dump_start(
  skb: NetlinkSkb, nlh: NlMsg, control: NetlinkDumpControl, extack: NetlinkExtAck): NegErrno {
  const sock = netlink_lookup(skb.net, skb.protocol, skb.portid);
  if (!sock) return -ECONNREFUSED;
  const cb: NetlinkCallback = { skb, nlh, extack, msgs: [], args: [0, 0, 0, 0, 0, 0], data: control.data };
  const err = control.dump(cb);
  netlink_dump_done(sock, cb, err);
  return -EINTR;
}, { input: (_s, nlh) => `type=${nlh.hdr.nlmsg_type} seq=${nlh.hdr.nlmsg_seq}` });

function netlink_dump_done(sock: NetlinkSock, cb: NetlinkCallback, err: number): void {
  let flags = NLM_F_MULTI;
  const msg = sock.ext_ack ? cb.extack._msg : undefined;
  if (msg !== undefined) flags |= NLM_F_ACK_TLVS;
  const done = new NlMsgBuilder({ nlmsg_type: NLMSG_DONE, nlmsg_flags: flags, nlmsg_seq: cb.nlh.hdr.nlmsg_seq, nlmsg_pid: sock.portid });
  done.put(new StructWriter(4).s32(0, err).bytes);
  if (msg !== undefined) done.string(NLMSGERR_ATTR_MSG, msg);
  const all = [...cb.msgs, done.finish()];
  // Pack into datagrams the way successive dump skbs are filled.
  let chunk: Uint8Array[] = [];
  let size = 0;
  for (const m of all) {
    if (chunk.length && size + NLMSG_ALIGN(m.byteLength) > DUMP_CHUNK) {
      sock.queue.push(nlmsg_concat(chunk));
      chunk = [];
      size = 0;
    }
    chunk.push(m);
    size += NLMSG_ALIGN(m.byteLength);
  }
  if (chunk.length) sock.queue.push(nlmsg_concat(chunk));
}

/** The user-space side: socket(AF_NETLINK, SOCK_RAW, protocol) on this namespace. */
export function netlink_syscalls(net: Net): Syscalls {
  return {
    netlink_socket(protocol: number, cred?: Credentials): NetlinkSocket | NegErrno {
      return netlink_create(net, protocol, cred);
    },
  };
}
