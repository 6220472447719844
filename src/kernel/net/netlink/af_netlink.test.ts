import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start_kernel } from '../../init/main';
import { ack_of, fake_offload_dev, plain_dev, qdisc_req, rtnl_socket, tc_req, transact } from '../../testing/harness';
import { NETLINK_CAP_ACK, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, SOL_NETLINK } from '../../include/uapi/linux/netlink';
import { RTM_GETLINK, RTM_NEWLINK, RTM_NEWTFILTER } from '../../include/uapi/linux/rtnetlink';
import { EINVAL, ERANGE } from '../../include/uapi/asm-generic/errno';
import * as F from '../../include/uapi/linux/pkt_cls';
import { NlMsgBuilder, nla_walk, nla_get_string } from '../../../netlink/attr';
import { fromHex, toHex, nlmsg_split } from '../../../netlink/nlmsg';
import { ifinfomsg_decode, ifinfomsg_encode } from '../../../netlink/structs';
import { tc_filters } from '../../query';

const ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;

function flower_drop(b: NlMsgBuilder): void {
  b.be32(F.TCA_FLOWER_KEY_IPV4_DST, 0x0a000001);
  b.u32(F.TCA_FLOWER_FLAGS, 0);
  b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, 0x0800);
}

describe('netlink_ack layout (kernel.md §1.6)', () => {
  it('success ack: 36 bytes, NLMSG_ERROR, CAPPED, error 0, the request header', () => {
    const k = start_kernel();
    const dev = fake_offload_dev(k, 'eth0').dev;
    const s = rtnl_socket(k);
    s.sendmsg(qdisc_req(dev.ifindex, 'ingress'));
    const req = tc_req({ type: RTM_NEWTFILTER, flags: ADD, seq: 0x1234, ifindex: dev.ifindex, prio: 1, protocol: 0x800, kind: 'flower', options: flower_drop });
    s.recvmsg();
    expect(s.sendmsg(req)).toBe(req.byteLength);
    const d = s.recvmsg()!;
    expect(d.byteLength).toBe(36);
    expect(toHex(d.subarray(0, 12))).toBe('240000000200000134120000');
    expect(new DataView(d.buffer, d.byteOffset).getUint32(12, true)).toBe(s.portid);
    expect(toHex(d.subarray(16, 20))).toBe('00000000');
    expect(toHex(d.subarray(20, 36))).toBe(toHex(req.subarray(0, 16)));
  });

  it('error ack: ACK_TLVS, -EINVAL, the whole request echoed, then the extack message TLV', () => {
    const k = start_kernel();
    const dev = fake_offload_dev(k, 'eth0').dev;
    const s = rtnl_socket(k);
    transact(s, qdisc_req(dev.ifindex, 'ingress'));
    transact(s, tc_req({ type: RTM_NEWTFILTER, flags: ADD, ifindex: dev.ifindex, prio: 1, protocol: 0x800, kind: 'flower', options: flower_drop }));
    const req = tc_req({ type: RTM_NEWTFILTER, flags: ADD, seq: 7, ifindex: dev.ifindex, prio: 1, protocol: 0x800, kind: 'u32' });
    s.sendmsg(req);
    const d = s.recvmsg()!;
    const msg = 'Specified filter kind does not match existing one';
    const tlvlen = 4 + msg.length + 1;
    expect(d.byteLength).toBe(16 + 4 + req.byteLength + ((tlvlen + 3) & ~3));
    expect(toHex(d.subarray(4, 8))).toBe('02000002');
    expect(new DataView(d.buffer, d.byteOffset).getInt32(16, true)).toBe(-EINVAL);
    expect(toHex(d.subarray(20, 20 + req.byteLength))).toBe(toHex(req));
    const tlvs = nla_walk(d.subarray(20 + req.byteLength)).attrs;
    expect(tlvs.map((t) => [t.type, nla_get_string(t)])).toEqual([[1, msg]]);
  });

  it('NETLINK_CAP_ACK caps error acks; no EXT_ACK means no TLVs', () => {
    const k = start_kernel();
    const dev = plain_dev(k, 'v0');
    const s = rtnl_socket(k, false);
    s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1);
    const a = ack_of(transact(s, tc_req({ type: RTM_NEWTFILTER, flags: ADD, ifindex: dev.ifindex, prio: 1, protocol: 0x800, kind: 'flower', options: flower_drop })));
    expect(a?.error).toBe(-EINVAL);
    expect(a?.request_payload).toBeUndefined();
    expect(a?.ext_msg).toBeUndefined();
  });
});

describe('malformed input is rejected the way netlink_rcv_skb / lib/nlattr.c do', () => {
  const k = start_kernel();
  const dev = fake_offload_dev(k, 'eth0').dev;
  const s = rtnl_socket(k);
  transact(s, qdisc_req(dev.ifindex, 'ingress'));

  it.each([
    { name: 'short header', bytes: fromHex('0a0000002c00') },
    { name: 'nlmsg_len past the end', bytes: fromHex('400000002c0005060100000000000000') },
    { name: 'nlmsg_len below 16', bytes: fromHex('080000002c0005060100000000000000') },
  ])('$name: silently dropped, no ack', ({ bytes }) => {
    expect(s.sendmsg(bytes)).toBe(bytes.byteLength);
    expect(s.recvmsg()).toBeNull();
  });

  it('empty sendmsg is -ENODATA', () => {
    expect(s.sendmsg(new Uint8Array(0))).toBe(-61);
  });

  it('a short IPv4 key inside TCA_OPTIONS is -ERANGE with no message (flower parses with a NULL extack)', () => {
    const a = ack_of(transact(s, tc_req({
      type: RTM_NEWTFILTER, flags: ADD, ifindex: dev.ifindex, prio: 1, protocol: 0x800, kind: 'flower',
      options: (b) => { b.be16(F.TCA_FLOWER_KEY_IPV4_DST, 1); b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, 0x800); },
    })));
    expect([a?.error, a?.ext_msg]).toEqual([-ERANGE, undefined]);
  });

  it('no TCA_OPTIONS at all is -EINVAL without a message', () => {
    const a = ack_of(transact(s, tc_req({ type: RTM_NEWTFILTER, flags: ADD, ifindex: dev.ifindex, prio: 1, protocol: 0x800, kind: 'flower' })));
    expect([a?.error, a?.ext_msg]).toEqual([-EINVAL, undefined]);
  });
});

describe('RTM_GETLINK', () => {
  it('doit by name answers RTM_NEWLINK with the ifindex and name', () => {
    const k = start_kernel();
    plain_dev(k, 'v1', 2);
    plain_dev(k, 'v0', 3);
    const s = rtnl_socket(k);
    const b = new NlMsgBuilder({ nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_REQUEST, nlmsg_seq: 9, nlmsg_pid: 0 });
    b.put(ifinfomsg_encode({ ifi_family: 0, ifi_type: 0, ifi_index: 0, ifi_flags: 0, ifi_change: 0 }));
    b.string(3, 'v0');
    const msgs = transact(s, b.finish());
    expect(msgs.map((m) => m.hdr.nlmsg_type)).toEqual([RTM_NEWLINK]);
    const ifi = ifinfomsg_decode(msgs[0]!.payload);
    expect(ifi.ok && ifi.value.ifi_index).toBe(3);
  });

  it('dump lists lo and every device, then DONE', () => {
    const k = start_kernel();
    plain_dev(k, 'v1', 2);
    const s = rtnl_socket(k);
    const b = new NlMsgBuilder({ nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_REQUEST | 0x300, nlmsg_seq: 9, nlmsg_pid: 0 });
    b.put(ifinfomsg_encode({ ifi_family: 0, ifi_type: 0, ifi_index: 0, ifi_flags: 0, ifi_change: 0 }));
    const msgs = transact(s, b.finish());
    expect(msgs.map((m) => m.hdr.nlmsg_type)).toEqual([RTM_NEWLINK, RTM_NEWLINK, 3]);
  });
});

interface Corpus {
  ifindex: Record<string, number>;
  cases: { args: string; requests: string[] }[];
}

describe('every request of the iproute2 corpus decodes without throwing', () => {
  const corpus = JSON.parse(readFileSync(join(process.cwd(), '..', 'shared', 'corpus', 'iproute2-tc-requests.json'), 'utf8')) as Corpus;
  // v0 (ifindex 3) has an ingress qdisc, v1 (ifindex 2) clsact; neither offloads.
  const k = start_kernel();
  plain_dev(k, 'v1', corpus.ifindex['v1']);
  plain_dev(k, 'v0', corpus.ifindex['v0']);
  const s = rtnl_socket(k);
  expect(ack_of(transact(s, qdisc_req(3, 'ingress')))?.error).toBe(0);
  expect(ack_of(transact(s, qdisc_req(2, 'clsact')))?.error).toBe(0);

  it.each(corpus.cases)('tc $args', ({ requests }) => {
    for (const hex of requests) {
      const bytes = fromHex(hex);
      expect(s.sendmsg(bytes)).toBe(bytes.byteLength);
      // The stored captures keep only every other 8-byte group of each
      // message, so every nlmsg_len claims more bytes than are present:
      // netlink_rcv_skb stops at such a header without answering.
      const hdrLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
      const replies: Uint8Array[] = [];
      for (let d = s.recvmsg(); d; d = s.recvmsg()) replies.push(d);
      if (hdrLen > bytes.byteLength) expect(replies).toEqual([]);
      else expect(replies.flatMap((r) => nlmsg_split(r).msgs).length).toBeGreaterThan(0);
    }
    expect(tc_filters(k.net)).toEqual([]);
  });
});
