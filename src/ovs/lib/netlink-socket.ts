// lib/netlink-socket.c (v3.6.3): netlink sockets, request/reply transactions
// with sequence matching, the per-protocol socket pool and generic netlink
// family lookup. The kernel is reached only through Syscalls.netlink_socket.
import type { NetlinkSocket } from '../../kernel/syscall';
import {
  NETLINK_GENERIC, NETLINK_EXT_ACK, NLMSG_DONE, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, SOL_NETLINK,
} from '../../kernel/include/uapi/linux/netlink';
import { CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY, GENL_ID_CTRL } from '../../kernel/include/uapi/linux/genetlink';
import { EAGAIN, EPROTO, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { NlMsgBuilder, StructReader, nla_get_u16, nlmsg_concat } from '../../netlink/attr';
import { nlmsg_split, nlmsghdr_decode, nlmsghdr_encode, type NlMsg } from '../../netlink/nlmsg';
import { GENL_HDRLEN, genlmsghdr_encode } from '../../netlink/structs';
import { nl_attrs, nlmsg_set_seq_pid } from '../../netlink/msgbuf';
import { hop } from '../../trace/hop';
import type { OvsProcess } from './ovs-process';
import { nl_msg_nlmsgerr } from './netlink';

const THIS_MODULE = 'netlink_socket';

/** struct nl_sock */
export interface NlSock {
  readonly protocol: number;
  readonly pid: number;
  readonly sock: NetlinkSocket;
  next_seq: number;
}

/** struct nl_transaction */
export interface NlTransaction {
  /** A finished request; seq and pid are filled in at send time. */
  request: Uint8Array;
  /** Whether the caller wants the reply message (not just the errno). */
  want_reply: boolean;
  /** Out: the reply message, when wanted and the request succeeded. */
  reply?: NlMsg;
  /** Out: 0 or a positive errno. */
  error: number;
}

interface NetlinkSocketStatics {
  /** nl_pool: one pooled socket per protocol is enough here (no threads). */
  pools: Map<number, NlSock>;
  /** nl_lookup_genl_family's cache: family id, or -errno. */
  genl_families: Map<string, number>;
}

function statics(p: OvsProcess): NetlinkSocketStatics {
  return p.static_of('lib/netlink-socket.c', () => ({ pools: new Map(), genl_families: new Map() }));
}

/** nl_sock_create: socket(AF_NETLINK), bind, and ask for extended acks. */
export function nl_sock_create(p: OvsProcess, protocol: number): { sock: NlSock } | { error: number } {
  const s = p.sys.netlink_socket(protocol, { cap_net_admin: true });
  if (typeof s === 'number') {
    p.vlog.err(THIS_MODULE, `fcntl: ${strerror(s)}`);
    return { error: -s };
  }
  if (s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1) !== 0) {
    p.vlog.warn(THIS_MODULE, 'setting extended ack support failed (Protocol not available)');
  }
  return { sock: { protocol, pid: s.portid, sock: s, next_seq: 1 } };
}

export function nl_sock_destroy(sock: NlSock): void {
  sock.sock.close();
}

/** nl_sock_allocate_seq: `n` consecutive sequence numbers, from 1 per socket. */
function nl_sock_allocate_seq(sock: NlSock, n: number): number {
  const seq = sock.next_seq;
  sock.next_seq += n;
  if (sock.next_seq >= 0x7fffffff) sock.next_seq = 1;
  return seq;
}

/** nl_sock_recv__ with wait=false: the messages of the next datagram, or EAGAIN. */
function nl_sock_recv__(p: OvsProcess, sock: NlSock): NlMsg[] | typeof EAGAIN {
  const buf = sock.sock.recvmsg();
  if (buf === null) return EAGAIN;
  p.coverage_inc('netlink_received'); // lib/netlink-socket.c nl_sock_recv__ (v3.6.3)
  return nlmsg_split(buf).msgs;
}

/**
 * nl_sock_transact_multiple__: sends the requests in one sendmsg, then reads
 * replies until every transaction is answered or the socket runs dry. A
 * request the kernel answers with nothing (no ACK asked, no echo) succeeds.
 */
export const nl_sock_transact_multiple__ = hop('lib/netlink-socket.c', function nl_sock_transact_multiple__(
  p: OvsProcess, sock: NlSock, txns: NlTransaction[],
): number {
  let base_seq = nl_sock_allocate_seq(sock, txns.length);
  txns.forEach((t, i) => nlmsg_set_seq_pid(t.request, base_seq + i, sock.pid));
  const sent = sock.sock.sendmsg(nlmsg_concat(txns.map((t) => t.request)));
  if (sent < 0) return -sent;
  p.coverage_inc('netlink_sent', txns.length); // COVERAGE_ADD(netlink_sent, n)

  let pending = txns.slice();
  while (pending.length > 0) {
    const got = nl_sock_recv__(p, sock);
    if (got === EAGAIN) {
      // lib/netlink-socket.c: EAGAIN means every remaining request succeeded.
      for (const t of pending) t.error = 0;
      return 0;
    }
    for (const msg of got) {
      const seq = msg.hdr.nlmsg_seq;
      if (seq < base_seq || seq >= base_seq + pending.length) {
        p.vlog.dbg(THIS_MODULE, `ignoring unexpected seq ${seq === 0 ? '0' : `0x${seq.toString(16)}`}`);
        continue;
      }
      const i = seq - base_seq;
      const txn = pending[i]!;
      const e = nl_msg_nlmsgerr(msg);
      if (e.is_error) {
        txn.error = e.error;
        if (e.error) {
          p.vlog.dbg(THIS_MODULE, `received NAK error=${e.error} - ${e.attr_msg ?? strerror(e.error)}`);
        }
      } else {
        txn.error = 0;
        if (txn.want_reply) txn.reply = msg;
      }
      // Transactions before the answered one got no reply: they succeeded.
      for (const t of pending.slice(0, i)) t.error = 0;
      pending = pending.slice(i + 1);
      base_seq += i + 1;
      if (pending.length === 0) break;
    }
  }
  return 0;
}, { input: (_p, sock, txns) => `pid=${sock.pid} n=${txns.length}` });

/** nl_pool_alloc: a pooled socket for `protocol`, created on first use. */
function nl_pool_alloc(p: OvsProcess, protocol: number): { sock: NlSock } | { error: number } {
  const pools = statics(p).pools;
  const have = pools.get(protocol);
  if (have) return { sock: have };
  const r = nl_sock_create(p, protocol);
  if ('sock' in r) pools.set(protocol, r.sock);
  return r;
}

/** nl_sock_transact_multiple: sends in batches; a send failure fails the rest. */
function nl_sock_transact_multiple(p: OvsProcess, sock: NlSock, txns: NlTransaction[]): void {
  if (txns.length === 0) return;
  const error = nl_sock_transact_multiple__(p, sock, txns);
  if (error) {
    p.vlog.err(THIS_MODULE, `transaction error (${strerror(error)})`);
    for (const t of txns) t.error = error;
  }
}

/**
 * nl_transact: one request on the pooled socket of `protocol`. Returns 0 or a
 * positive errno, and the reply message when `want_reply`.
 */
export const nl_transact = hop('lib/netlink-socket.c', function nl_transact(
  p: OvsProcess, protocol: number, request: Uint8Array, want_reply: boolean,
): { error: number; reply?: NlMsg } {
  const s = nl_pool_alloc(p, protocol);
  if ('error' in s) return { error: s.error };
  const txn: NlTransaction = { request, want_reply, error: 0 };
  nl_sock_transact_multiple(p, s.sock, [txn]);
  return txn.reply !== undefined ? { error: txn.error, reply: txn.reply } : { error: txn.error };
}, { errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : '0') });

/** nl_transact_multiple: a batch of requests on the pooled socket. */
export const nl_transact_multiple = hop('lib/netlink-socket.c', function nl_transact_multiple(
  p: OvsProcess, protocol: number, txns: NlTransaction[],
): void {
  const s = nl_pool_alloc(p, protocol);
  if ('error' in s) {
    for (const t of txns) t.error = s.error;
    return;
  }
  nl_sock_transact_multiple(p, s.sock, txns);
}, { input: (_p, protocol, txns) => `protocol=${protocol} n=${txns.length}` });

/**
 * nl_lookup_genl_family: the id of generic netlink family `name`, asked of
 * the controller once per process (CTRL_CMD_GETFAMILY) and cached, errors too.
 */
export const nl_lookup_genl_family = hop('lib/netlink-socket.c', function nl_lookup_genl_family(
  p: OvsProcess, name: string,
): { error: number; number?: number } {
  const cache = statics(p).genl_families;
  let n = cache.get(name);
  if (n === undefined) {
    n = do_lookup_genl_family(p, name);
    cache.set(name, n);
  }
  return n > 0 ? { error: 0, number: n } : { error: -n };
}, { input: (_p, name) => name, errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : `id ${r.number}`) });

/** do_lookup_genl_family: a fresh socket, one GETFAMILY request; id or -errno. */
function do_lookup_genl_family(p: OvsProcess, name: string): number {
  const c = nl_sock_create(p, NETLINK_GENERIC);
  if ('error' in c) return -c.error;
  const req = new NlMsgBuilder({ nlmsg_type: GENL_ID_CTRL, nlmsg_flags: NLM_F_REQUEST, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(genlmsghdr_encode({ cmd: CTRL_CMD_GETFAMILY, version: 1 }))
    .string(CTRL_ATTR_FAMILY_NAME, name)
    .finish();
  const txn: NlTransaction = { request: req, want_reply: true, error: 0 };
  nl_sock_transact_multiple(p, c.sock, [txn]);
  nl_sock_destroy(c.sock);
  if (txn.error) return -txn.error;
  const attrs = txn.reply ? nl_attrs(txn.reply.payload.subarray(GENL_HDRLEN)) : null;
  const id = attrs?.find((a) => a.type === CTRL_ATTR_FAMILY_ID);
  // lib/netlink-socket.c do_lookup_genl_family: no id (or id 0) is EPROTO.
  if (!id || id.payload.byteLength < 2 || nla_get_u16(id) === 0) return -EPROTO;
  return nla_get_u16(id);
}

/**
 * nl_dump_start + nl_dump_next + nl_dump_done: a dump request (NLM_F_DUMP and
 * NLM_F_ACK are added) on the pooled socket, read until NLMSG_DONE. Returns
 * the data messages and 0, or the errno of the NAK / DONE status.
 */
export const nl_dump = hop('lib/netlink-socket.c', function nl_dump(
  p: OvsProcess, protocol: number, request: Uint8Array,
): { error: number; msgs: NlMsg[] } {
  const s = nl_pool_alloc(p, protocol);
  if ('error' in s) return { error: s.error, msgs: [] };
  const h = nlmsghdr_decode(request, 0);
  nlmsghdr_encode({ ...h, nlmsg_flags: h.nlmsg_flags | NLM_F_DUMP | NLM_F_ACK }, request, 0);
  const seq = nl_sock_allocate_seq(s.sock, 1);
  nlmsg_set_seq_pid(request, seq, s.sock.pid);
  const sent = s.sock.sock.sendmsg(request);
  if (sent < 0) return { error: -sent, msgs: [] };
  p.coverage_inc('netlink_sent'); // nl_sock_send__
  const msgs: NlMsg[] = [];
  for (;;) {
    const got = nl_sock_recv__(p, s.sock);
    if (got === EAGAIN) return { error: EAGAIN, msgs };
    for (const m of got) {
      if (m.hdr.nlmsg_seq !== seq) continue;
      if (m.hdr.nlmsg_type === NLMSG_DONE) {
        const st = m.payload.byteLength >= 4 ? new StructReader(m.payload).s32(0) : 0;
        return { error: st < 0 ? -st : 0, msgs };
      }
      const e = nl_msg_nlmsgerr(m);
      if (e.is_error) {
        if (e.error) p.vlog.dbg(THIS_MODULE, `received NAK error=${e.error} - ${e.attr_msg ?? strerror(e.error)}`);
        return { error: e.error, msgs };
      }
      msgs.push(m);
    }
  }
}, { errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : `${r.msgs.length} msgs`) });
