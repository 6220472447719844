// lib/libnetlink.c (iproute2 v6.1.0): the rtnetlink handle, request
// sending, ack/error reading (with extended-ack text) and dump reading.
// tc reaches the kernel only through the NetlinkSocket given to it.
import type { NetlinkSocket } from '../../kernel/syscall';
import { hop } from '../../trace/hop';
import { strerror } from '../../kernel/include/uapi/asm-generic/errno';
import {
  NETLINK_EXT_ACK, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_DUMP, NLM_F_REQUEST, SOL_NETLINK,
} from '../../kernel/include/uapi/linux/netlink';
import { IFLA_EXT_MASK, RTEXT_FILTER_VF, RTM_GETLINK } from '../../kernel/include/uapi/linux/rtnetlink';
import { NLMSG_HDRLEN, nlmsg_split, nlmsghdr_encode, type NlMsg } from '../../netlink/nlmsg';
import { NLA_ALIGN, StructReader, nla_get_string, nla_walk, type NlAttr } from '../../netlink/attr';
import { NlAttrBuf } from '../../netlink/msgbuf';
import { ifinfomsg_encode, nlmsgerr_decode, NLMSGERR_ATTR_MSG } from '../../netlink/structs';
import type { Stdio } from './utils';

/** struct rtnl_handle: the socket plus the sequence counters. */
export interface RtnlHandle {
  sock: NetlinkSocket;
  io: Stdio;
  /** Last sequence number used (upstream starts at time(NULL)). */
  seq: number;
  /** Sequence number of the dump in progress. */
  dump: number;
}

/**
 * A request under construction: nlmsghdr fields, the family header (tcmsg,
 * ifinfomsg, …) kept as a value so parsers may still change it (tc sets
 * tcm_ifindex and tcm_handle after attributes were appended), and the
 * attributes appended so far.
 */
export interface NlRequest<H> {
  nlmsg_type: number;
  nlmsg_flags: number;
  nlmsg_seq: number;
  nlmsg_pid: number;
  hdr: H;
  encodeHdr(h: H): Uint8Array;
  attrs: NlAttrBuf;
}

/** The wire bytes of a request: nlmsghdr + family header + attributes. */
export function nlreq_bytes<H>(r: NlRequest<H>): Uint8Array {
  const fam = r.encodeHdr(r.hdr);
  const a = r.attrs.bytes();
  const famLen = NLA_ALIGN(fam.byteLength);
  const out = new Uint8Array(NLMSG_HDRLEN + famLen + a.byteLength);
  nlmsghdr_encode({
    nlmsg_len: out.byteLength, nlmsg_type: r.nlmsg_type, nlmsg_flags: r.nlmsg_flags,
    nlmsg_seq: r.nlmsg_seq, nlmsg_pid: r.nlmsg_pid,
  }, out, 0);
  out.set(fam, NLMSG_HDRLEN);
  out.set(a, NLMSG_HDRLEN + famLen);
  return out;
}

// lib/libnetlink.c rtnl_open_byproto: socket + NETLINK_EXT_ACK (its failure
// is ignored upstream: older kernels lack it); seq starts at the clock.
export function rtnl_open(sock: NetlinkSocket, io: Stdio, now = 0): RtnlHandle {
  sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
  return { sock, io, seq: now >>> 0, dump: 0 };
}

// lib/libnetlink.c print_ext_ack_msg: '.' appended unless already there.
function print_ext_ack_msg(io: Stdio, is_err: boolean, msg: string): void {
  io.stderr(`${is_err ? 'Error' : 'Warning'}: ${msg}${msg.endsWith('.') ? '' : '.'}\n`);
}

// lib/libnetlink.c nl_dump_ext_ack: prints the extack text of an NLMSG_ERROR;
// returns 1 when it printed an error (so no strerror line follows).
function nl_dump_ext_ack(io: Stdio, h: NlMsg): number {
  if (!(h.hdr.nlmsg_flags & NLM_F_ACK_TLVS)) return 0;
  const d = nlmsgerr_decode(h.payload, h.hdr.nlmsg_flags);
  if (!d.ok) return 0;
  const msg = d.value.ext_msg;
  if (msg !== undefined && msg !== '') {
    const is_err = d.value.error !== 0;
    print_ext_ack_msg(io, is_err, msg);
    return is_err ? 1 : 0;
  }
  return 0;
}

// lib/libnetlink.c nl_dump_ext_ack_done: TLVs after the DONE message's int.
function nl_dump_ext_ack_done(io: Stdio, h: NlMsg, error: number): number {
  const w = nla_walk(h.payload.subarray(4));
  for (const a of w.attrs) {
    if (a.type !== NLMSGERR_ATTR_MSG) continue;
    const msg = nla_get_string(a);
    if (msg !== '') {
      print_ext_ack_msg(io, error !== 0, msg);
      return error !== 0 ? 1 : 0;
    }
  }
  return 0;
}

/** recvmsg() as libnetlink's loop sees it: null (nothing will come) is EOF. */
function rtnl_recvmsg(rth: RtnlHandle): Uint8Array | number {
  const buf = rth.sock.recvmsg();
  if (buf === null) {
    // A synchronous kernel has already queued every reply; waiting longer
    // would block forever, so this is reported as upstream reports EOF.
    rth.io.stderr('EOF on netlink\n');
    return -61; // -ENODATA
  }
  return buf;
}

export type TalkResult = { err: number; answer?: NlMsg };

// lib/libnetlink.c __rtnl_talk_iov: send one request, read its ack/answer.
// Without an answer buffer NLM_F_ACK is added. Errors print "Error: <extack>."
// or "RTNETLINK answers: <strerror>" (unless suppressed).
function talk(rth: RtnlHandle, req: NlRequest<unknown>, wantAnswer: boolean, show_rtnl_err: boolean): TalkResult {
  rth.seq = (rth.seq + 1) >>> 0;
  req.nlmsg_seq = rth.seq;
  if (!wantAnswer) req.nlmsg_flags |= NLM_F_ACK;
  const seq = req.nlmsg_seq;
  const sent = rth.sock.sendmsg(nlreq_bytes(req));
  if (sent < 0) {
    rth.io.stderr(`Cannot talk to rtnetlink: ${strerror(sent)}\n`);
    return { err: -1 };
  }
  for (;;) {
    const buf = rtnl_recvmsg(rth);
    if (typeof buf === 'number') return { err: buf };
    for (const h of nlmsg_split(buf).msgs) {
      // Not ours (another sender, or a reply to an older request): skip it.
      if (h.hdr.nlmsg_pid !== rth.sock.portid || h.hdr.nlmsg_seq !== seq) continue;
      if (h.hdr.nlmsg_type === NLMSG_ERROR) {
        if (h.payload.byteLength < 4 + NLMSG_HDRLEN) {
          rth.io.stderr('ERROR truncated\n');
          return { err: -1 };
        }
        const error = new StructReader(h.payload).s32(0);
        if (error === 0) {
          nl_dump_ext_ack(rth.io, h);
          return { err: 0, answer: wantAnswer ? h : undefined };
        }
        if (show_rtnl_err && !nl_dump_ext_ack(rth.io, h)) {
          rth.io.stderr(`RTNETLINK answers: ${strerror(error)}\n`);
        }
        return { err: -1 };
      }
      if (wantAnswer) return { err: 0, answer: h };
      rth.io.stderr('Unexpected reply!!!\n');
    }
  }
}

// lib/libnetlink.c rtnl_talk
export const rtnl_talk = hop('lib/libnetlink.c', function rtnl_talk(
  rth: RtnlHandle, req: NlRequest<unknown>, wantAnswer: boolean,
): TalkResult {
  return talk(rth, req, wantAnswer, true);
}, { input: (_r, req) => `type=${req.nlmsg_type} flags=0x${req.nlmsg_flags.toString(16)}`, errno: (r) => r.err });

// lib/libnetlink.c rtnl_talk_suppress_rtnl_errmsg
export function rtnl_talk_suppress_rtnl_errmsg(rth: RtnlHandle, req: NlRequest<unknown>): TalkResult {
  return talk(rth, req, true, false);
}

// lib/libnetlink.c rtnl_linkdump_req (→ rtnl_linkdump_req_filter, AF_UNSPEC):
// RTM_GETLINK dump asking for VF info (IFLA_EXT_MASK = RTEXT_FILTER_VF).
export const rtnl_linkdump_req = hop('lib/libnetlink.c', function rtnl_linkdump_req(
  rth: RtnlHandle, family: number,
): number {
  rth.seq = (rth.seq + 1) >>> 0;
  rth.dump = rth.seq;
  const attrs = new NlAttrBuf().u32(IFLA_EXT_MASK, RTEXT_FILTER_VF);
  const req: NlRequest<number> = {
    nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_DUMP | NLM_F_REQUEST, nlmsg_seq: rth.dump, nlmsg_pid: 0,
    hdr: family,
    encodeHdr: (f) => ifinfomsg_encode({ ifi_family: f, ifi_type: 0, ifi_index: 0, ifi_flags: 0, ifi_change: 0 }),
    attrs,
  };
  return rth.sock.sendmsg(nlreq_bytes(req));
});

// lib/libnetlink.c rtnl_dump_request_n: the request's flags become DUMP|REQUEST.
export const rtnl_dump_request_n = hop('lib/libnetlink.c', function rtnl_dump_request_n(
  rth: RtnlHandle, req: NlRequest<unknown>,
): number {
  req.nlmsg_flags = NLM_F_DUMP | NLM_F_REQUEST;
  req.nlmsg_pid = 0;
  rth.seq = (rth.seq + 1) >>> 0;
  rth.dump = rth.seq;
  req.nlmsg_seq = rth.dump;
  return rth.sock.sendmsg(nlreq_bytes(req));
});

/** A dump callback: negative stops the dump (rtnl_filter_t). */
export type RtnlFilter = (h: NlMsg) => number;

// lib/libnetlink.c rtnl_dump_done
function rtnl_dump_done(rth: RtnlHandle, h: NlMsg): number {
  if (h.payload.byteLength < 4) {
    rth.io.stderr('DONE truncated\n');
    return -1;
  }
  const len = new StructReader(h.payload).s32(0);
  if (len < 0) {
    if (nl_dump_ext_ack_done(rth.io, h, len)) return len;
    if (len === -2 || len === -95) return -1; // ENOENT, EOPNOTSUPP: silent
    if (len === -90) rth.io.stderr('Error: Buffer too small for object.\n');
    else rth.io.stderr(`RTNETLINK answers: ${strerror(len)}\n`);
    return len;
  }
  if (h.hdr.nlmsg_flags & NLM_F_ACK_TLVS) nl_dump_ext_ack_done(rth.io, h, 0);
  return 0;
}

// lib/libnetlink.c rtnl_dump_filter_l: reads until NLMSG_DONE, handing every
// message of the current dump to `filter`.
export const rtnl_dump_filter = hop('lib/libnetlink.c', function rtnl_dump_filter(
  rth: RtnlHandle, filter: RtnlFilter,
): number {
  for (;;) {
    const buf = rtnl_recvmsg(rth);
    if (typeof buf === 'number') return buf;
    let found_done = false;
    for (const h of nlmsg_split(buf).msgs) {
      if (h.hdr.nlmsg_pid !== rth.sock.portid || h.hdr.nlmsg_seq !== rth.dump) continue;
      if (h.hdr.nlmsg_type === NLMSG_DONE) {
        if (rtnl_dump_done(rth, h) < 0) return -1;
        found_done = true;
        break;
      }
      if (h.hdr.nlmsg_type === NLMSG_ERROR) {
        if (h.payload.byteLength < 4 + NLMSG_HDRLEN) rth.io.stderr('ERROR truncated\n');
        else rth.io.stderr(`RTNETLINK answers: ${strerror(new StructReader(h.payload).s32(0))}\n`);
        return -1;
      }
      const err = filter(h);
      if (err < 0) return err;
    }
    if (found_done) return 0;
  }
});

/** tb[] of parse_rtattr: attributes by type (NESTED bit stripped), later wins. */
export type RtaTable = Array<NlAttr | undefined>;

// lib/libnetlink.c parse_rtattr_flags: types above max are ignored.
export function parse_rtattr(max: number, payload: Uint8Array): RtaTable {
  const tb: RtaTable = new Array<NlAttr | undefined>(max + 1).fill(undefined);
  for (const a of nla_walk(payload).attrs) if (a.type <= max) tb[a.type] = a;
  return tb;
}

// Appended: the extack printers, shared with the libmnl-based tools (devlink).
export { nl_dump_ext_ack, nl_dump_ext_ack_done };
