// A stand-in kernel for OVS unit tests: Syscalls whose netlink answers are
// scripted. It speaks just enough rtnetlink / genetlink for ovs-vswitchd to
// start, records every request, and answers RTM_NEWTFILTER as told.
import type { Credentials, NetlinkSocket, Syscalls } from '../../kernel/syscall';
import type { NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import { EOPNOTSUPP } from '../../kernel/include/uapi/asm-generic/errno';
import {
  NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_ECHO, NLM_F_MULTI,
} from '../../kernel/include/uapi/linux/netlink';
import { CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_CMD_NEWFAMILY, GENL_ID_CTRL } from '../../kernel/include/uapi/linux/genetlink';
import {
  IFLA_IFNAME, RTM_DELQDISC, RTM_DELTFILTER, RTM_GETCHAIN, RTM_GETLINK, RTM_GETTFILTER, RTM_NEWLINK, RTM_NEWQDISC, RTM_NEWTFILTER,
} from '../../kernel/include/uapi/linux/rtnetlink';
import {
  OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_DISPATCH_UPCALL_PER_CPU, OVS_DP_F_TC_RECIRC_SHARING, OVS_DP_F_UNALIGNED,
  OVS_DP_F_VPORT_PIDS, OVS_PACKET_ATTR_KEY, OVS_PACKET_ATTR_PACKET, OVS_PACKET_CMD_MISS, OVS_VPORT_ATTR_NAME,
  OVS_VPORT_ATTR_PORT_NO, OVS_VPORT_CMD_GET, OVS_VPORT_CMD_NEW,
} from '../../kernel/include/uapi/linux/openvswitch';
import { NlMsgBuilder, nla_get_string, nla_get_u32, nlmsg_concat } from '../../netlink/attr';
import { nl_attrs } from '../../netlink/msgbuf';
import { nlmsg_split, type NlMsg } from '../../netlink/nlmsg';
import {
  GENL_HDRLEN, IFINFOMSG_LEN, OVS_HEADER_LEN, TCMSG_LEN, genlmsghdr_decode, genlmsghdr_encode, ifinfomsg_encode,
  nlmsgerr_encode, ovs_header_encode, tcmsg_decode, tcmsg_encode,
} from '../../netlink/structs';

export const FAMILY_IDS: Record<string, number> = { ovs_datapath: 0x1a, ovs_vport: 0x1b, ovs_flow: 0x1c, ovs_packet: 0x1d };
/** lib/tc.h TC_RESERVED_PRIORITY_FEATURE_PROBE */
const PROBE_PRIO = 65535;
const KNOWN_DP_FEATURES = OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS | OVS_DP_F_TC_RECIRC_SHARING | OVS_DP_F_DISPATCH_UPCALL_PER_CPU;

export interface Sent {
  protocol: number;
  portid: number;
  msg: NlMsg;
}

/** How the scripted kernel answers RTM_NEWTFILTER. */
export type FilterAnswer = { ok: true } | { ok: false; errno: number; extack?: string };

export class ScriptedKernel implements Syscalls {
  readonly sent: Sent[] = [];
  readonly ifindex = new Map<string, number>([['enp8s0f0', 4], ['enp8s0f0_0', 5], ['enp8s0f0_1', 6]]);
  /** Answers for successive RTM_NEWTFILTER requests; the last one repeats. */
  filter_answers: FilterAnswer[] = [{ ok: true }];
  /**
   * The answer to a feature probe's filter (prio 65535, e.g. the enc flags
   * probe): kept apart so probes use neither filter_answers nor handles.
   */
  probe_answer: FilterAnswer = { ok: true };
  /** Errno (positive) for OVS_FLOW_CMD_* requests, 0 = success. */
  flow_errno = 0;
  /**
   * What an RTM_GETTFILTER dump of an ifindex answers: message bodies
   * (tcmsg + attributes), sent as NLM_F_MULTI messages then NLMSG_DONE.
   */
  readonly tfilter_dump = new Map<number, Uint8Array[]>();
  private readonly queues = new Map<number, Uint8Array[]>();
  private next_portid = 1000;
  private next_handle = 1;
  private n_filters = 0;
  private readonly vports: { name: string; port_no: number }[] = [];

  netlink_socket(protocol: number, _cred?: Credentials): NetlinkSocket | NegErrno {
    const portid = this.next_portid++;
    const q: Uint8Array[] = [];
    this.queues.set(portid, q);
    const sock: NetlinkSocket = {
      protocol,
      portid,
      setsockopt: () => 0,
      add_membership: () => 0,
      sendmsg: (buf: Uint8Array) => {
        for (const msg of nlmsg_split(buf).msgs) {
          this.sent.push({ protocol, portid, msg });
          for (const r of this.answer(protocol, msg)) q.push(r);
        }
        return buf.byteLength;
      },
      recvmsg: () => q.shift() ?? null,
      close: () => { this.queues.delete(portid); },
    };
    return sock;
  }

  /** Queues an OVS_PACKET_CMD_MISS for the socket `portid`. */
  queue_upcall(portid: number, key: Uint8Array, packet = new Uint8Array(64)): void {
    const m = new NlMsgBuilder({ nlmsg_type: FAMILY_IDS.ovs_packet!, nlmsg_flags: 0, nlmsg_seq: 0, nlmsg_pid: 0 })
      .put(genlmsghdr_encode({ cmd: OVS_PACKET_CMD_MISS, version: 1 }))
      .put(ovs_header_encode(7))
      .attr(OVS_PACKET_ATTR_PACKET, packet)
      .attr(OVS_PACKET_ATTR_KEY, key)
      .finish();
    this.queues.get(portid)!.push(m);
  }

  /** The requests of one genetlink family (by name) or rtnetlink type. */
  genl(family: string, cmd?: number): Sent[] {
    return this.sent.filter((s) => s.msg.hdr.nlmsg_type === FAMILY_IDS[family]
      && (cmd === undefined || genlmsghdr_decode(s.msg.payload).ok && genlmsghdr_decode(s.msg.payload).ok && s.msg.payload[0] === cmd));
  }

  rtm(type: number): Sent[] {
    return this.sent.filter((s) => s.protocol === 0 && s.msg.hdr.nlmsg_type === type);
  }

  private ack(msg: NlMsg, error: number, extack?: string): Uint8Array {
    const capped = error === 0;
    const payload = nlmsgerr_encode({ error: -error, msg: { ...msg.hdr }, request_payload: msg.payload, ...(extack ? { ext_msg: extack } : {}) }, capped);
    return new NlMsgBuilder({
      nlmsg_type: NLMSG_ERROR, nlmsg_flags: (capped ? NLM_F_CAPPED : 0) | (extack ? NLM_F_ACK_TLVS : 0),
      nlmsg_seq: msg.hdr.nlmsg_seq, nlmsg_pid: msg.hdr.nlmsg_pid,
    }).put(payload).finish();
  }

  private done(msg: NlMsg): Uint8Array {
    return new NlMsgBuilder({ nlmsg_type: NLMSG_DONE, nlmsg_flags: NLM_F_MULTI, nlmsg_seq: msg.hdr.nlmsg_seq, nlmsg_pid: msg.hdr.nlmsg_pid })
      .put(new Uint8Array(4)).finish();
  }

  private answer(protocol: number, msg: NlMsg): Uint8Array[] {
    const h = msg.hdr;
    const wantAck = (h.nlmsg_flags & NLM_F_ACK) !== 0;
    const ok = (): Uint8Array[] => (wantAck ? [this.ack(msg, 0)] : []);
    if (protocol === 16) {
      const g = msg.payload[0]!;
      const attrs = nl_attrs(msg.payload.subarray(GENL_HDRLEN)) ?? [];
      if (h.nlmsg_type === GENL_ID_CTRL) {
        const name = nla_get_string(attrs.find((a) => a.type === CTRL_ATTR_FAMILY_NAME)!);
        const id = FAMILY_IDS[name];
        if (id === undefined) return [this.ack(msg, 2)];
        return [new NlMsgBuilder({ nlmsg_type: GENL_ID_CTRL, nlmsg_flags: 0, nlmsg_seq: h.nlmsg_seq, nlmsg_pid: h.nlmsg_pid })
          .put(genlmsghdr_encode({ cmd: CTRL_CMD_NEWFAMILY, version: 2 })).u16(CTRL_ATTR_FAMILY_ID, id).string(CTRL_ATTR_FAMILY_NAME, name).finish()];
      }
      const oattrs = nl_attrs(msg.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN)) ?? [];
      if (h.nlmsg_type === FAMILY_IDS.ovs_datapath) {
        const fa = oattrs.find((a) => a.type === OVS_DP_ATTR_USER_FEATURES);
        const features = fa ? nla_get_u32(fa) : 0;
        if (features & ~KNOWN_DP_FEATURES) return [this.ack(msg, EOPNOTSUPP)];
        return [new NlMsgBuilder({ nlmsg_type: h.nlmsg_type, nlmsg_flags: 0, nlmsg_seq: h.nlmsg_seq, nlmsg_pid: h.nlmsg_pid })
          .put(genlmsghdr_encode({ cmd: g, version: 2 })).put(ovs_header_encode(7)).string(1, 'ovs-system')
          .u32(OVS_DP_ATTR_USER_FEATURES, features).finish()];
      }
      if (h.nlmsg_type === FAMILY_IDS.ovs_vport) {
        if (g === OVS_VPORT_CMD_NEW) {
          const name = nla_get_string(oattrs.find((a) => a.type === OVS_VPORT_ATTR_NAME)!);
          const pa = oattrs.find((a) => a.type === OVS_VPORT_ATTR_PORT_NO);
          const port_no = pa ? nla_get_u32(pa) : this.vports.length + 1;
          this.vports.push({ name, port_no });
          return [this.vport_msg(msg, name, port_no, 0)];
        }
        if (g === OVS_VPORT_CMD_GET && (h.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP) {
          return [nlmsg_concat(this.vports.map((v) => this.vport_msg(msg, v.name, v.port_no, NLM_F_MULTI))), this.done(msg)];
        }
        return ok();
      }
      if (h.nlmsg_type === FAMILY_IDS.ovs_flow) {
        if ((h.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP) return [this.done(msg)]; // no kernel flows
        return this.flow_errno ? [this.ack(msg, this.flow_errno)] : ok();
      }
      return ok(); // ovs_packet execute
    }
    // NETLINK_ROUTE
    if (h.nlmsg_type === RTM_GETLINK) {
      const attrs = nl_attrs(msg.payload.subarray(IFINFOMSG_LEN)) ?? [];
      const name = nla_get_string(attrs.find((a) => a.type === IFLA_IFNAME)!);
      const idx = this.ifindex.get(name);
      if (idx === undefined) return [this.ack(msg, 19)];
      return [new NlMsgBuilder({ nlmsg_type: RTM_NEWLINK, nlmsg_flags: 0, nlmsg_seq: h.nlmsg_seq, nlmsg_pid: h.nlmsg_pid })
        .put(ifinfomsg_encode({ ifi_family: 0, ifi_type: 1, ifi_index: idx, ifi_flags: 0, ifi_change: 0 }))
        .string(IFLA_IFNAME, name).finish()];
    }
    if (h.nlmsg_type === RTM_GETCHAIN) return [this.done(msg)];
    if (h.nlmsg_type === RTM_GETTFILTER && (h.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP) {
      const t = tcmsg_decode(msg.payload);
      const bodies = t.ok ? this.tfilter_dump.get(t.value.tcm_ifindex) ?? [] : [];
      return [...bodies.map((b) => new NlMsgBuilder({ nlmsg_type: RTM_NEWTFILTER, nlmsg_flags: NLM_F_MULTI, nlmsg_seq: h.nlmsg_seq, nlmsg_pid: h.nlmsg_pid })
        .put(b).finish()), this.done(msg)];
    }
    if (h.nlmsg_type === RTM_DELQDISC) return [this.ack(msg, 22, 'Cannot find specified qdisc on specified device')];
    if (h.nlmsg_type === RTM_NEWQDISC || h.nlmsg_type === RTM_DELTFILTER) return ok();
    if (h.nlmsg_type === RTM_NEWTFILTER) {
      const t = tcmsg_decode(msg.payload);
      if (!t.ok) return [this.ack(msg, 22)];
      const probe = t.value.tcm_info >>> 16 === PROBE_PRIO;
      const a = probe ? this.probe_answer : this.filter_answers[Math.min(this.n_filters++, this.filter_answers.length - 1)]!;
      if (!a.ok) return [this.ack(msg, a.errno, a.extack)];
      const handle = t.value.tcm_handle || (probe ? 1 : this.next_handle++);
      const echo = new NlMsgBuilder({ nlmsg_type: RTM_NEWTFILTER, nlmsg_flags: h.nlmsg_flags, nlmsg_seq: h.nlmsg_seq, nlmsg_pid: h.nlmsg_pid })
        .put(tcmsg_encode({ ...t.value, tcm_handle: handle }))
        .put(msg.payload.subarray(TCMSG_LEN))
        .finish();
      return (h.nlmsg_flags & NLM_F_ECHO ? [echo] : []).concat(ok());
    }
    return ok();
  }

  private vport_msg(req: NlMsg, name: string, port_no: number, flags: number): Uint8Array {
    return new NlMsgBuilder({ nlmsg_type: req.hdr.nlmsg_type, nlmsg_flags: flags, nlmsg_seq: req.hdr.nlmsg_seq, nlmsg_pid: req.hdr.nlmsg_pid })
      .put(genlmsghdr_encode({ cmd: OVS_VPORT_CMD_NEW, version: 1 })).put(ovs_header_encode(7))
      .u32(OVS_VPORT_ATTR_PORT_NO, port_no).string(OVS_VPORT_ATTR_NAME, name).finish();
  }
}

