import { describe, expect, it } from 'vitest';
import { TCP_FLOW, start } from '../testing/ovs-fixture';

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
