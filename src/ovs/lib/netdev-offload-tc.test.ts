import { describe, expect, it } from 'vitest';
import { TCP_FLOW, start } from '../testing/ovs-fixture';
import { StructWriter } from '../../netlink/attr';
import { NlAttrBuf, u128_bytes } from '../../netlink/msgbuf';
import { tcmsg_decode, tcmsg_encode } from '../../netlink/structs';
import { RTM_GETTFILTER } from '../../kernel/include/uapi/linux/rtnetlink';

const L2 = 'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)';
const T = 'DBG|netdev_offload_tc|';

// Each row: a flow put with `ovs-appctl dpctl/add-flow` on hw-offload=true.
// `attrs` are the TCA_OPTIONS attribute types of the RTM_NEWTFILTER sent;
// `why` is the netdev_offload_tc DBG line of a refusal (none: refused silently).
const cases: { name: string; key: string; actions?: string; attrs?: number[]; prio?: number; why?: string | null }[] = [
  { name: 'IPv4/TCP: mac masks, proto, frag flags, tcp dst, ipv4 src/dst, eth_type, flags', key: TCP_FLOW,
    attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22], prio: 2 },
  { name: 'IPv6/UDP gets prio 3', key: `${L2},eth_type(0x86dd),ipv6(dst=2001:db8::1,proto=17,frag=no),udp(src=53)`,
    attrs: [3, 5, 4, 7, 6, 9, 47, 48, 37, 20, 17, 16, 8, 22], prio: 3 },
  { name: 'ttl and tos are translated with an exact eth_type', key: `${L2},eth_type(0x0800),ipv4(tos=0x10,ttl=64,frag=no)`,
    attrs: [3, 5, 4, 7, 6, 76, 75, 74, 73, 47, 48, 8, 22], prio: 2 },
  { name: 'ARP', key: `${L2},eth_type(0x0806),arp(sip=10.0.0.1,op=1)`, attrs: [3, 5, 4, 7, 6, 58, 57, 62, 61, 8, 22] },
  { name: 'an exact skb_mark of 0 is ignored', key: `skb_mark(0),${TCP_FLOW}`, attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22] },
  { name: 'explicit drop is a gact', key: TCP_FLOW, actions: 'drop', attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22] },
  { name: 'push_vlan then output', key: TCP_FLOW, actions: 'push_vlan(vid=10,pcp=0),1', attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22] },
  { name: 'skb_mark', key: `skb_mark(1),${TCP_FLOW}`, why: 'offloading attribute pkt_mark isn\'t supported' },
  { name: 'dp_hash', key: `dp_hash(0x1/0xf),${TCP_FLOW}`, why: 'offloading attribute dp_hash isn\'t supported' },
  { name: 'skb_priority', key: `skb_priority(1),${TCP_FLOW}`, why: 'offloading attribute skb_priority isn\'t supported' },
  { name: 'ipv4 without frag: refused, no log', key: `${L2},eth_type(0x0800),ipv4(dst=10.0.0.2)`, why: null },
  { name: 'partial vlan tci: refused, no log', key: `${L2},eth_type(0x8100),vlan(vid=10/0xff),encap(eth_type(0x0800),ipv4(frag=no))`, why: null },
  { name: 'ipv6 label is left over', key: `${L2},eth_type(0x86dd),ipv6(label=5,frag=no)`, why: 'offloading isn\'t supported, unknown attribute\nUnused mask bits:\nipv6_label' },
  { name: 'a chain nobody jumps to', key: TCP_FLOW.replace('recirc_id(0)', 'recirc_id(5)'), why: 'match for chain 5 failed due to non-existing goto chain action' },
  { name: 'trunc is not offloadable', key: TCP_FLOW, actions: 'trunc(100),1', why: 'unsupported put action type: 13' },
  { name: 'userspace is not offloadable', key: TCP_FLOW, actions: 'userspace(pid=7)', why: 'unsupported put action type: 2' },
  { name: 'more than 16 actions', key: TCP_FLOW, actions: Array(17).fill('pop_vlan').join(','), why: 'Can only support 16 actions' },
  { name: 'set_masked of the IPv4 ttl is a pedit', key: TCP_FLOW, actions: 'set(ipv4(ttl=63/0xff)),1', attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22] },
  { name: 'set of the eth addresses is a pedit', key: TCP_FLOW, actions: 'set(eth(src=02:00:00:00:00:09,dst=02:00:00:00:00:0a)),1', attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22] },
  { name: 'ct and ct_clear are tc ct actions', key: TCP_FLOW, actions: 'ct_clear,ct,1', attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22] },
  { name: 'set of a key outside set_flower_map', key: TCP_FLOW, actions: 'set(tcp_flags(0x2)),1', why: 'unsupported set action type: 18' },
  { name: 'set_masked of an unmapped ipv4 field', key: TCP_FLOW, actions: 'set(ipv4(proto=17/0xff)),1', why: 'unsupported sub attribute of set action type 7' },
  { name: 'a meter that was never offloaded: refused, no log', key: TCP_FLOW, actions: 'meter(0),1', why: null },
  { name: 'ct with commit, zone, mark, label and NAT is one tc ct action', key: TCP_FLOW,
    actions: 'ct(commit,zone=5,mark=0x1/0xff,label=0x1/0x1,nat(src=10.0.0.1-10.0.0.9:1000-2000)),1',
    attrs: [3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22] },
  { name: 'a ct helper (ALG): refused, no log', key: TCP_FLOW, actions: 'ct(commit,helper=ftp),1', why: null },
  { name: 'an MPLS match: values only, after the eth_type', key: `${L2},eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)`,
    attrs: [3, 5, 4, 7, 6, 8, 67, 69, 68, 70, 22] },
  { name: 'set(mpls) with every field is an mpls modify', key: `${L2},eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)`,
    actions: 'set(mpls(label=200,tc=1,ttl=63,bos=1)),1', attrs: [3, 5, 4, 7, 6, 8, 67, 69, 68, 70, 22] },
  { name: 'a masked MPLS rewrite is a set_masked outside set_flower_map', key: `${L2},eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)`,
    actions: 'set(mpls(ttl=63)),1', why: 'unsupported set action type: 21' },
];

describe('netdev_tc_flow_put translation (lib/netdev-offload-tc.c v3.6.3)', () => {
  it.each(cases)('$name', ({ key, actions, attrs, prio, why }) => {
    const f = start({ 'hw-offload': 'true' });
    f.mark();
    const r = f.v.dpctl(['add-flow', key, actions ?? '1'], true);
    expect(r.stderr).toBe('');
    const o = f.since();
    const tcLog = o.log.filter((l) => l.startsWith(T)).map((l) => l.slice(T.length));
    if (attrs) {
      expect(o.tc_options).toEqual([attrs]);
      if (prio !== undefined) expect(o.tc_info.map((i) => i >>> 16)).toEqual([prio]);
      expect(o.dp_flow_new).toBe(0);
      expect(tcLog).toEqual([]);
    } else {
      expect(o.tc_filters).toBe(0);
      expect(o.dp_flow_new).toBe(1); // EOPNOTSUPP falls back to the kernel datapath
      expect(tcLog).toEqual(why === null ? [] : [why]);
      expect(o.log).toContain('DBG|dpif_netlink|failed to offload flow: Operation not supported: enp8s0f0_0');
    }
  });

  it('an output port that is not in the port map: EOPNOTSUPP before tc', () => {
    const f = start({ 'hw-offload': 'true' });
    f.mark();
    expect(f.v.dpctl(['add-flow', TCP_FLOW, '9'], true).exitCode).toBe(0);
    const o = f.since();
    expect({ tc: o.tc_filters, dp: o.dp_flow_new }).toEqual({ tc: 0, dp: 1 });
  });

  it('recirc: goto chain, then the chain flow is accepted on chain 1', () => {
    const f = start({ 'hw-offload': 'true' });
    f.mark();
    expect(f.v.dpctl(['add-flow', TCP_FLOW, 'recirc(1)'], true).exitCode).toBe(0);
    expect(f.v.dpctl(['add-flow', TCP_FLOW.replace('recirc_id(0)', 'recirc_id(1)'), '1'], true).exitCode).toBe(0);
    const o = f.since();
    expect(o.tc_filters).toBe(2);
    expect(f.v.ufid_tc_mappings().map((m) => m.chain)).toEqual([0, 1]);
    expect(o.tc_options[1]).toEqual([3, 5, 4, 7, 6, 9, 47, 48, 36, 19, 11, 10, 13, 12, 8, 22]);
  });

  it('a second put of the same ufid replaces the old filter (delete first)', () => {
    const f = start({ 'hw-offload': 'true' });
    const ufid = 'ufid:5b7e6f0a-1c2d-4e3f-8a9b-0c1d2e3f4a5b ';
    expect(f.v.dpctl(['add-flow', ufid + TCP_FLOW, '1'], true).exitCode).toBe(0);
    f.mark();
    expect(f.v.dpctl(['add-flow', ufid + TCP_FLOW, '3'], true).exitCode).toBe(0);
    expect(f.since().log).toContain(`${T}updating old handle: 1 prio: 2`);
    expect(f.v.ufid_tc_mappings()).toEqual([{ ufid: '5b7e6f0a-1c2d-4e3f-8a9b-0c1d2e3f4a5b', ifindex: 5, chain: 0, prio: 2, handle: 2, dev: 'enp8s0f0_0' }]);
  });
});

describe('flow API enable (lib/netdev-offload.c)', () => {
  it('false -> true at runtime: enable once, read tc-policy, init every port', () => {
    const f = start({ 'tc-policy': 'skip_sw' }, false);
    f.mark();
    f.v.set_other_config('hw-offload', 'true');
    const o = f.since();
    expect(o.log.slice(0, 3)).toEqual(['INFO|netdev_offload|netdev: Flow API Enabled', "INFO|tc|tc: Using policy 'skip_sw'", 'INFO|netdev_offload_tc|probe tc: block offload is supported.']);
    expect(o.log.filter((l) => l.includes('Assigned flow API'))).toEqual([
      "INFO|netdev_offload|enp8s0f0: Assigned flow API 'linux_tc'.",
      "INFO|netdev_offload|enp8s0f0_0: Assigned flow API 'linux_tc'.",
      "INFO|netdev_offload|enp8s0f0_1: Assigned flow API 'linux_tc'.",
    ]);
    f.mark();
    f.v.set_other_config('tc-policy', 'skip_hw'); // read once only
    expect(f.since().log).toEqual([]);
  });

  it('true -> false needs a restart and changes nothing', () => {
    const f = start({ 'hw-offload': 'true' });
    f.v.set_other_config('hw-offload', 'false');
    expect(f.v.pending_restart()).toEqual(['hw-offload']);
    f.mark();
    f.v.dpctl(['add-flow', TCP_FLOW, '1'], true);
    expect(f.since().tc_filters).toBe(1);
  });

  it('an invalid tc-policy is WARNed, the default stays', () => {
    const f = start({ 'hw-offload': 'true', 'tc-policy': 'fast' }, false);
    expect(f.v.vlog_lines().map((l) => l.split('|').slice(2).join('|'))).toContain("tc|WARN|tc: Invalid policy 'fast'");
  });
});

// A flower filter body as a dump sends it (tcmsg + attributes): eth_type
// 0x0800 in tcm_info, frag=no, mirred to ifindex 6, optionally a cookie.
function filterBody(o: { prio: number; handle: number; chain?: number; cookie?: Uint8Array; flags?: number }): Uint8Array {
  const b = new NlAttrBuf();
  b.string(1, 'flower').u32(11, o.chain ?? 0);
  const opts = new NlAttrBuf();
  opts.attr(5, new Uint8Array(6).fill(0xff)).attr(4, new Uint8Array([2, 0, 0, 0, 0, 2]));
  opts.be32(47, 0).be32(48, 1);
  if (o.flags !== undefined) opts.u32(22, o.flags);
  const act = new NlAttrBuf().string(1, 'mirred')
    .attr(4 | 0x8000, new NlAttrBuf().attr(1, new StructWriter(16).bytes).bytes());
  if (o.cookie) act.attr(6, o.cookie);
  act.attr(2 | 0x8000, new NlAttrBuf().attr(2, new StructWriter(28).s32(8, 4).s32(20, 1).u32(24, 6).bytes).attr(1, new StructWriter(32).bytes).bytes());
  opts.attr(3 | 0x8000, new NlAttrBuf().attr(1 | 0x8000, act.bytes()).bytes());
  b.attr(2 | 0x8000, opts.bytes());
  const tcm = tcmsg_encode({ tcm_family: 0, tcm_ifindex: 5, tcm_handle: o.handle, tcm_parent: 0xfffffff2, tcm_info: ((o.prio << 16) | 0x0008) >>> 0 });
  const out = new Uint8Array(tcm.byteLength + b.bytes().byteLength);
  out.set(tcm);
  out.set(b.bytes(), tcm.byteLength);
  return out;
}

describe('netdev_tc_flow_dump_* through dpctl/dump-flows (lib/netdev-offload-tc.c v3.6.3)', () => {
  const UFID = 'ufid:11111111-2222-4333-8444-555555555555';
  const cookie = u128_bytes([0x11111111, 0x22224333, 0x84445555, 0x55555555]);

  it('dumps each port, keeps filters with a cookie or a known tcf id, skips the rest', () => {
    const f = start({ 'hw-offload': 'true' });
    // A flow OVS put (ScriptedKernel echoes prio 2 handle 1) so tc_to_ufid knows it.
    expect(f.v.dpctl(['add-flow', `${UFID},${TCP_FLOW}`, '3'], true).exitCode).toBe(0);
    f.k.tfilter_dump.set(5, [
      filterBody({ prio: 2, handle: 0 }), //                       the prio's header message: no handle
      filterBody({ prio: 2, handle: 1 }), //                       no cookie, but OVS maps (5, 2, 1, chain 0)
      filterBody({ prio: 2, handle: 7, cookie, flags: 8, chain: 4 }), // cookie, NOT_IN_HW, chain 4
      filterBody({ prio: 9, handle: 3 }), //                       hand-made: neither, skipped
    ]);
    const r = f.v.dpctl(['dump-flows', '-m'], true);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${UFID}, recirc_id\\(0\\),.*in_port\\(enp8s0f0_0\\),.*, offloaded:yes, dp:tc, actions:enp8s0f0_1$`));
    expect(lines[1]).toMatch(new RegExp(`^${UFID}, recirc_id\\(0x4\\),.*, used:0.000s, dp:tc, actions:enp8s0f0_1$`));
    // One RTM_GETTFILTER dump per port, prio 0 and protocol 0, on the ingress parent.
    const dumps = f.k.rtm(RTM_GETTFILTER).map((s) => tcmsg_decode(s.msg.payload)).map((t) => t.ok && [t.value.tcm_ifindex, t.value.tcm_parent, t.value.tcm_info]);
    expect(dumps).toEqual([[4, 0xfffffff2, 0], [5, 0xfffffff2, 0], [6, 0xfffffff2, 0]]);
  });

  it('type=non-offloaded keeps the NOT_IN_HW filter only', () => {
    const f = start({ 'hw-offload': 'true' });
    f.k.tfilter_dump.set(5, [filterBody({ prio: 2, handle: 1, cookie, flags: 4 }), filterBody({ prio: 2, handle: 2, cookie, flags: 8 })]);
    const r = f.v.dpctl(['dump-flows', 'type=non-offloaded'], true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});
