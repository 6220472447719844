// Request encoding without a kernel: runs tc_main against an in-memory
// NETLINK_ROUTE socket that answers the link dump from a name → ifindex map,
// acks every other request with success (empty dumps for show/get), and
// records every request tc sent. Used by `offload-spec encode` and the
// corpus test. Not an upstream file: a test double for the socket.
import type { NetlinkSocket } from '../kernel/syscall';
import {
  NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP, NLM_F_MULTI,
} from '../kernel/include/uapi/linux/netlink';
import { IFLA_IFNAME, RTM_GETLINK, RTM_NEWLINK } from '../kernel/include/uapi/linux/rtnetlink';
import { NlMsgBuilder, StructReader, StructWriter } from '../netlink/attr';
import { nlmsg_split, nlmsghdr_decode, nlmsghdr_encode, type NlMsg } from '../netlink/nlmsg';
import { ifinfomsg_encode, nlmsgerr_encode, NLM_F_CAPPED } from '../netlink/structs';
import { tc_main } from './tc/tc';

const PORTID = 4242;

/** A socket that records requests and answers them as a quiet kernel would. */
export class RecordingSocket implements NetlinkSocket {
  readonly protocol = 0;
  readonly portid = PORTID;
  readonly sent: Uint8Array[] = [];
  private readonly queue: Uint8Array[] = [];

  /**
   * `reply` may answer a request itself (given its header and raw bytes,
   * returning the datagrams to queue); undefined falls back to the default.
   */
  constructor(
    private readonly ifindex: Readonly<Record<string, number>>,
    private readonly reply?: (req: NlMsg, portid: number) => Uint8Array[] | undefined,
  ) {}

  setsockopt(): 0 {
    return 0;
  }
  add_membership(): 0 {
    return 0;
  }
  close(): void {}
  recvmsg(): Uint8Array | null {
    return this.queue.shift() ?? null;
  }

  sendmsg(buf: Uint8Array): number {
    for (const m of nlmsg_split(buf).msgs) {
      this.sent.push(m.raw.slice());
      const custom = this.reply?.(m, this.portid);
      if (custom) {
        this.queue.push(...custom);
        continue;
      }
      this.answer(m.hdr.nlmsg_type, m.hdr.nlmsg_flags, m.hdr.nlmsg_seq, m.raw, m.payload);
    }
    return buf.byteLength;
  }

  private hdr(type: number, flags: number, seq: number): { nlmsg_type: number; nlmsg_flags: number; nlmsg_seq: number; nlmsg_pid: number } {
    return { nlmsg_type: type, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: this.portid };
  }

  private link(name: string, index: number, seq: number, flags: number): Uint8Array {
    return new NlMsgBuilder(this.hdr(RTM_NEWLINK, flags, seq))
      .put(ifinfomsg_encode({ ifi_family: 0, ifi_type: 1, ifi_index: index, ifi_flags: 0, ifi_change: 0 }))
      .string(IFLA_IFNAME, name)
      .finish();
  }

  private done(seq: number): Uint8Array {
    return new NlMsgBuilder(this.hdr(NLMSG_DONE, NLM_F_MULTI, seq)).put(new StructWriter(4).s32(0, 0).bytes).finish();
  }

  private ack(raw: Uint8Array, error: number, seq: number): Uint8Array {
    const req = nlmsghdr_decode(raw, 0);
    const body = nlmsgerr_encode({ error, msg: req, request_payload: raw.subarray(16) }, error === 0);
    const out = new Uint8Array(16 + body.byteLength);
    nlmsghdr_encode({ nlmsg_len: out.byteLength, ...this.hdr(NLMSG_ERROR, error === 0 ? NLM_F_CAPPED : 0, seq) }, out, 0);
    out.set(body, 16);
    return out;
  }

  private answer(type: number, flags: number, seq: number, raw: Uint8Array, payload: Uint8Array): void {
    if (type === RTM_GETLINK && (flags & NLM_F_DUMP) === NLM_F_DUMP) {
      for (const [name, index] of Object.entries(this.ifindex)) this.queue.push(this.link(name, index, seq, NLM_F_MULTI));
      this.queue.push(this.done(seq));
      return;
    }
    if (type === RTM_GETLINK) {
      // single lookup by index (ifinfomsg) or name (IFLA_IFNAME)
      const idx = payload.byteLength >= 8 ? new StructReader(payload).s32(4) : 0;
      const byIdx = Object.entries(this.ifindex).find(([, i]) => i === idx);
      const wanted = byIdx ?? Object.entries(this.ifindex).find(([n]) => raw.includes(0) && Buffer.from(raw).includes(Buffer.from(`${n}\0`)));
      if (wanted) this.queue.push(this.link(wanted[0], wanted[1], seq, 0));
      else this.queue.push(this.ack(raw, -19, seq)); // -ENODEV
      return;
    }
    if ((flags & NLM_F_DUMP) === NLM_F_DUMP) {
      this.queue.push(this.done(seq));
      return;
    }
    // everything else, gets included, is acknowledged with success
    this.queue.push(this.ack(raw, 0, seq));
  }
}

export type TcEncodeResult = { requests: Uint8Array[] } | { exitCode: number; stderr: string };

/**
 * The requests `tc <argv…>` sends, with nlmsg_seq zeroed; or, when tc exits
 * non-zero, its exit code and stderr.
 */
export function tc_encode(argv: readonly string[], ifindex: Readonly<Record<string, number>>): TcEncodeResult {
  const sock = new RecordingSocket(ifindex);
  let stderr = '';
  const exitCode = tc_main(argv, { socket: sock, stdout: () => {}, stderr: (s) => { stderr += s; } });
  if (exitCode !== 0) return { exitCode, stderr };
  const requests = sock.sent.map((m) => {
    const c = m.slice();
    nlmsghdr_encode({ ...nlmsghdr_decode(c, 0), nlmsg_seq: 0 }, c, 0);
    return c;
  });
  return { requests };
}
