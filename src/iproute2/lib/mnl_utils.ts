// lib/mnl_utils.c (iproute2 v6.1.0): the libmnl helpers devlink uses — a
// generic-netlink socket resolved to a family id by name, requests with a
// genlmsghdr, and the receive loop that hands each answer to a callback and
// stops at the ACK / DONE (printing the extack on error).
import type { NetlinkSocket } from '../../kernel/syscall';
import { hop } from '../../trace/hop';
import { strerror } from '../../kernel/include/uapi/asm-generic/errno';
import {
  NETLINK_CAP_ACK, NETLINK_EXT_ACK, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE, NLM_F_ACK, NLM_F_REQUEST, SOL_NETLINK,
} from '../../kernel/include/uapi/linux/netlink';
import { CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MAXATTR, CTRL_CMD_GETFAMILY, GENL_ID_CTRL } from '../../kernel/include/uapi/linux/genetlink';
import { nlmsg_split, type NlMsg } from '../../netlink/nlmsg';
import { NlMsgBuilder, StructReader, nla_get_u16, nla_get_u32, nla_walk, type NlAttr } from '../../netlink/attr';
import { genlmsghdr_encode, GENL_HDRLEN } from '../../netlink/structs';
import { nl_dump_ext_ack, nl_dump_ext_ack_done } from './libnetlink';
import type { Stdio } from './utils';

/** libmnl callback verdicts */
export const MNL_CB_ERROR = -1;
export const MNL_CB_STOP = 0;
export const MNL_CB_OK = 1;
export type MnlCb = (nlh: NlMsg) => number;

/** struct mnlu_gen_socket */
export interface MnluGenSocket {
  nl: NetlinkSocket;
  io: Stdio;
  family: number;
  maxattr: number;
  version: number;
  /** Sequence of the last prepared request (nlmsg_seq = time(NULL) upstream). */
  seq: number;
  /** errno as the C library would leave it after the last failure. */
  errno: number;
}

/** A generic-netlink request being built (nlmsghdr + genlmsghdr + attributes). */
export type MnluRequest = NlMsgBuilder;

/** mnl_attr_parse over a message's attributes after the genlmsghdr (later duplicates win). */
export function mnl_attr_parse_genl(nlh: NlMsg, max: number): (NlAttr | undefined)[] {
  const tb: (NlAttr | undefined)[] = new Array<NlAttr | undefined>(max + 1).fill(undefined);
  for (const a of nla_walk(nlh.payload.subarray(GENL_HDRLEN)).attrs) if (a.type <= max) tb[a.type] = a;
  return tb;
}

/** mnl_attr_parse_nested */
export function mnl_attr_parse_nested(nest: NlAttr, max: number): (NlAttr | undefined)[] {
  const tb: (NlAttr | undefined)[] = new Array<NlAttr | undefined>(max + 1).fill(undefined);
  for (const a of nla_walk(nest.payload).attrs) if (a.type <= max) tb[a.type] = a;
  return tb;
}

/** mnl_attr_for_each_nested */
export function mnl_attr_nested(nest: NlAttr): NlAttr[] {
  return nla_walk(nest.payload).attrs;
}

/**
 * mnlu_socket_recv_run (lib/mnl_utils.c): read datagrams until a callback
 * stops or fails. NLMSG_ERROR sets errno and prints the extack; a zero
 * error is the ACK (stop). NLMSG_DONE carries the dump's error. Messages of
 * another sequence are ignored (mnl_cb_run2 would fail them with ESRCH).
 */
function mnlu_socket_recv_run(nlg: MnluGenSocket, seq: number, cb: MnlCb | null): number {
  for (;;) {
    const buf = nlg.nl.recvmsg();
    // A synchronous kernel has queued every answer already: nothing more will come.
    if (buf === null) return MNL_CB_STOP;
    for (const nlh of nlmsg_split(buf).msgs) {
      if (nlh.hdr.nlmsg_seq !== seq) continue;
      let ret: number;
      if (nlh.hdr.nlmsg_type >= NLMSG_MIN_TYPE) {
        ret = cb ? cb(nlh) : MNL_CB_OK;
      } else if (nlh.hdr.nlmsg_type === NLMSG_ERROR) {
        const error = new StructReader(nlh.payload).s32(0);
        nlg.errno = Math.abs(error);
        nl_dump_ext_ack(nlg.io, nlh);
        ret = error === 0 ? MNL_CB_STOP : MNL_CB_ERROR;
      } else if (nlh.hdr.nlmsg_type === NLMSG_DONE) {
        const len = new StructReader(nlh.payload).s32(0);
        if (len < 0) {
          nlg.errno = -len;
          nl_dump_ext_ack_done(nlg.io, nlh, len);
          ret = MNL_CB_ERROR;
        } else {
          ret = MNL_CB_STOP;
        }
      } else {
        ret = MNL_CB_OK;
      }
      if (ret <= MNL_CB_STOP) return ret;
    }
  }
}

function mnlu_msg_prepare(nlmsg_type: number, flags: number, cmd: number, version: number, seq: number): NlMsgBuilder {
  const b = new NlMsgBuilder({ nlmsg_type, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: 0 });
  b.put(genlmsghdr_encode({ cmd, version }));
  return b;
}

/**
 * mnlu_gen_socket_open (lib/mnl_utils.c): NETLINK_CAP_ACK and NETLINK_EXT_ACK
 * on, then CTRL_CMD_GETFAMILY by name for the family id and maxattr.
 * Returns 0 or -1 (the caller prints its own message).
 */
export const mnlu_gen_socket_open = hop('lib/mnl_utils.c', function mnlu_gen_socket_open(sock: NetlinkSocket, io: Stdio, family_name: string, version: number, now: number): { err: number; nlg: MnluGenSocket } {
  sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1);
  sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
  const nlg: MnluGenSocket = { nl: sock, io, family: 0, maxattr: 0, version, seq: now >>> 0, errno: 0 };
  const req = mnlu_msg_prepare(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY, 0x1, nlg.seq);
  req.string(CTRL_ATTR_FAMILY_NAME, family_name);
  const sent = sock.sendmsg(req.finish());
  if (sent < 0) {
    nlg.errno = -sent;
    return { err: -1, nlg };
  }
  const err = mnlu_socket_recv_run(nlg, nlg.seq, (nlh) => {
    const tb = mnl_attr_parse_genl(nlh, CTRL_ATTR_MAXATTR);
    if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_MAXATTR]) return MNL_CB_ERROR;
    nlg.family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]!);
    nlg.maxattr = nla_get_u32(tb[CTRL_ATTR_MAXATTR]!);
    return MNL_CB_OK;
  });
  return { err: err < 0 ? -1 : 0, nlg };
}, { input: (_s, _io, name) => name, errno: (r) => r.err, result: (r) => (r.err ? undefined : `family ${r.nlg.family}`) });

/** mnlu_gen_socket_cmd_prepare (lib/mnl_utils.c): a request to the resolved family. */
export function mnlu_gen_socket_cmd_prepare(nlg: MnluGenSocket, cmd: number, flags: number): MnluRequest {
  nlg.seq = (nlg.seq + 1) >>> 0;
  return mnlu_msg_prepare(nlg.family, flags, cmd, nlg.version, nlg.seq);
}

/**
 * mnlu_gen_socket_sndrcv (lib/mnl_utils.c): send, run the receive loop; a
 * failure prints "kernel answers: <strerror>" after any extack line.
 */
export const mnlu_gen_socket_sndrcv = hop('lib/mnl_utils.c', function mnlu_gen_socket_sndrcv(nlg: MnluGenSocket, req: MnluRequest, cb: MnlCb | null): number {
  const bytes = req.finish();
  const seq = new StructReader(bytes).u32(8);
  const sent = nlg.nl.sendmsg(bytes);
  if (sent < 0) {
    nlg.io.stderr(`Failed to send data: ${strerror(sent)}\n`);
    return sent;
  }
  const err = mnlu_socket_recv_run(nlg, seq, cb);
  if (err < 0) {
    nlg.io.stderr(`kernel answers: ${strerror(-nlg.errno)}\n`);
    return -nlg.errno;
  }
  return 0;
}, { errno: (r) => r });
