// Action kinds beyond gact/mirred (act_vlan, act_tunnel_key, act_pedit,
// act_csum, act_skbedit, act_police, act_sample, act_ct): the requests real
// tc 6.1 sends are accepted, validated as the kernel validates them, and
// each offload_act_setup hands the driver the flow_action entries upstream
// builds (or refuses, which only matters with skip_sw).
import { describe, expect, it } from 'vitest';
import { start_kernel, type Kernel } from '../../init/main';
import { ack_of, fake_offload_dev, plain_dev, qdisc_req, rtnl_socket, transact, type FakeDriver } from '../../testing/harness';
import { FLOW_CLS_REPLACE, type FlowActionEntry } from '../../include/net/flow_offload';
import { tc_encode } from '../../../iproute2/tc_encode';
import { errnoName } from '../../include/uapi/asm-generic/errno';

interface Bed { k: Kernel; drv: FakeDriver; ifindex: Record<string, number> }

function bed(): Bed {
  const k = start_kernel();
  const drv = fake_offload_dev(k, 'v0');
  const v1 = plain_dev(k, 'v1');
  const s = rtnl_socket(k);
  const ack = ack_of(transact(s, qdisc_req(drv.dev.ifindex, 'ingress')));
  if (ack?.error) throw new Error(`qdisc add: ${ack.error}`);
  return { k, drv, ifindex: { v0: drv.dev.ifindex, v1: v1.ifindex } };
}


/** Runs `tc filter add dev v0 ingress … <rest>` and returns the ack and the entries the driver saw. */
function add(b: Bed, rest: string): { err: string; msg?: string; entries: FlowActionEntry[] | null } {
  const args = `filter add dev v0 ingress protocol ip prio 1 flower ${rest}`;
  const r = tc_encode(args.split(' '), b.ifindex);
  if (!('requests' in r)) throw new Error(`tc_encode(${args}): ${r.stderr}`);
  const s = rtnl_socket(b.k);
  const req = r.requests.find((m) => m[4] === 44)!; // RTM_NEWTFILTER (tc first dumps links)
  const ack = ack_of(transact(s, req));
  const call = b.drv.calls.find((c) => c.command === FLOW_CLS_REPLACE);
  const msg = ack?.ext_msg;
  return { err: errnoName(ack?.error ?? 0), ...(msg ? { msg } : {}), entries: call ? call.offload.rule!.action.entries : null };
}

const REDIR = 'action mirred egress redirect dev v1';

describe('action offload setup (tc_setup_action → *_offload_act_setup)', () => {
  it.each([
    { name: 'vlan push', cmd: `dst_ip 10.0.0.1 action vlan push id 100 priority 3 ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_VLAN_PUSH', vlan: { vid: 100, proto: 0x8100, prio: 3 } }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'vlan push 802.1ad', cmd: `dst_ip 10.0.0.1 action vlan push id 7 protocol 802.1ad ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_VLAN_PUSH', vlan: { vid: 7, proto: 0x88a8, prio: 0 } }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'vlan pop', cmd: `dst_ip 10.0.0.1 action vlan pop ${REDIR}`, want: [{ id: 'FLOW_ACTION_VLAN_POP' }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'vlan modify', cmd: `dst_ip 10.0.0.1 action vlan modify id 5 ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_VLAN_MANGLE', vlan: { vid: 5, proto: 0x8100, prio: 0 } }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'tunnel_key set', cmd: `dst_ip 10.0.0.1 action tunnel_key set id 42 src_ip 10.1.1.2 dst_ip 10.1.1.1 dst_port 4789 ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_TUNNEL_ENCAP', tunnel: { key_id: 42, ipv4_src: 0x0a010102, ipv4_dst: 0x0a010101, tp_dst: 4789, tos: 0, ttl: 0, no_csum: false } },
        { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'tunnel_key unset', cmd: `enc_key_id 42 enc_dst_ip 10.1.1.1 action tunnel_key unset ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_TUNNEL_DECAP' }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'pedit eth dst: one MANGLE per key', cmd: `dst_ip 10.0.0.1 action pedit ex munge eth dst set 02:00:00:00:00:09 pipe ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_MANGLE', mangle: { htype: 1, offset: 0, mask: 0, val: 0x02000000 } },
        { id: 'FLOW_ACTION_MANGLE', mangle: { htype: 1, offset: 4, mask: 0x0000ffff, val: 0x00090000 } }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'pedit ip ttl dec is an ADD', cmd: `dst_ip 10.0.0.1 action pedit ex munge ip ttl dec pipe action csum ip pipe ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_ADD', mangle: { htype: 2, offset: 8, mask: 0x00ffffff, val: 0xff000000 } },
        { id: 'FLOW_ACTION_CSUM', csum_flags: 1 }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'skbedit mark', cmd: 'dst_ip 10.0.0.1 action skbedit mark 7 action pass', want: [{ id: 'FLOW_ACTION_MARK', mark: 7 }, { id: 'FLOW_ACTION_ACCEPT' }] },
    { name: 'skbedit priority', cmd: 'dst_ip 10.0.0.1 action skbedit priority 1:2 action pass',
      want: [{ id: 'FLOW_ACTION_PRIORITY', priority: 0x10002 }, { id: 'FLOW_ACTION_ACCEPT' }] },
    { name: 'police', cmd: 'dst_ip 10.0.0.1 action police rate 1mbit burst 10k conform-exceed drop/pipe action pass',
      want: [{ id: 'FLOW_ACTION_POLICE', police: { index: 1, rate_bytes_ps: 125000, burst: 10240, exceed: 0, notexceed: 0 } },
        { id: 'FLOW_ACTION_ACCEPT' }] },
    // act_police.c tcf_police_act_to_flow_act (v6.18): "continue" is FLOW_ACTION_CONTINUE; the driver decides
    { name: 'police continue', cmd: 'dst_ip 10.0.0.1 action police rate 1mbit burst 10k conform-exceed continue/pipe action pass',
      want: [{ id: 'FLOW_ACTION_POLICE', police_act: { exceed: 'FLOW_ACTION_CONTINUE', notexceed: 'FLOW_ACTION_PIPE' } }, { id: 'FLOW_ACTION_ACCEPT' }] },
    { name: 'police pkts_rate', cmd: 'dst_ip 10.0.0.1 action police pkts_rate 1000 pkts_burst 100 conform-exceed drop/pipe action pass',
      want: [{ id: 'FLOW_ACTION_POLICE', police: { rate_bytes_ps: 0, burst: 0 }, police_act: { rate_pkt_ps: 1000, burst_pkt: 100 } },
        { id: 'FLOW_ACTION_ACCEPT' }] },
    { name: 'sample', cmd: `dst_ip 10.0.0.1 action sample rate 100 group 5 ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_SAMPLE', sample: { rate: 100, group: 5, trunc_size: 0 } }, { id: 'FLOW_ACTION_REDIRECT' }] },
    { name: 'ct zone', cmd: 'ct_state -trk action ct zone 1 pipe action goto chain 1',
      want: [{ id: 'FLOW_ACTION_CT', ct: { zone: 1, action: 0 } }, { id: 'FLOW_ACTION_GOTO', chain_index: 1 }] },
    { name: 'ct commit', cmd: `ct_state +trk+new action ct commit zone 1 ${REDIR}`,
      want: [{ id: 'FLOW_ACTION_CT', ct: { zone: 1, action: 1 } }, { id: 'FLOW_ACTION_REDIRECT' }] },
  ])('$name', ({ cmd, want }) => {
    const b = bed();
    const r = add(b, `skip_sw ${cmd}`);
    expect(r.err, `tc filter add … ${cmd}: errno`).toBe('0');
    expect(r.entries, `entries for ${cmd}`).toMatchObject(want);
    expect(r.entries!.length).toBe(want.length);
  });

  it.each([
    { name: 'skbedit mark with mask', cmd: 'dst_ip 10.0.0.1 action skbedit mark 7/0xff action pass',
      err: '-EOPNOTSUPP', msg: 'act_skbedit: Unsupported skbedit option offload' },
    { name: 'police reclassify', cmd: 'dst_ip 10.0.0.1 action police rate 1mbit burst 10k conform-exceed reclassify/pipe action pass',
      err: '-EOPNOTSUPP', msg: 'act_police: Offload not supported when conform/exceed action is "reclassify"' },
  ])('skip_sw refuses: $name', ({ cmd, err, msg }) => {
    const b = bed();
    const r = add(b, `skip_sw ${cmd}`);
    expect({ err: r.err, msg: r.msg, driver_called: r.entries !== null }).toEqual({ err, msg, driver_called: false });
  });

  it('without skip_sw an action that cannot be offloaded leaves the filter in software, silently', () => {
    const b = bed();
    const r = add(b, 'dst_ip 10.0.0.1 action skbedit mark 7/0xff action pass');
    expect({ err: r.err, msg: r.msg, driver_called: r.entries !== null }).toEqual({ err: '0', msg: undefined, driver_called: false });
  });
});

describe('action init validation (tcf_*_init)', () => {
  it.each([
    { name: 'vlan id 4095 is reserved', cmd: 'dst_ip 10.0.0.1 action vlan push id 4095 action pass', err: '-ERANGE', msg: undefined },
    { name: 'sample rate 0', cmd: 'dst_ip 10.0.0.1 action sample rate 0 group 5 action pass', err: '-EINVAL', msg: 'invalid sample rate' },
  ])('$name', ({ cmd, err, msg }) => {
    const b = bed();
    const r = add(b, cmd);
    expect({ err: r.err, msg: r.msg }).toEqual({ err, msg });
  });
});

describe('act_ct with a conntrack helper', () => {
  it('is accepted in software but refused for offload without a message (tc 6.1 cannot send helpers: raw request)', async () => {
    const { tc_req } = await import('../../testing/harness');
    const F = await import('../../include/uapi/linux/pkt_cls');
    const { StructWriter } = await import('../../../netlink/attr');
    const { TCA_CT_HELPER_NAME, TCA_CT_PARMS, TCA_CT_ZONE } = await import('../../include/uapi/linux/tc_act/tc_ct');
    const results = [0, F.TCA_CLS_FLAGS_SKIP_SW].map((flags) => {
      const b = bed();
      const req = tc_req({
        type: 44, flags: 0x605, ifindex: b.ifindex.v0!, prio: 1, protocol: 0x0800, kind: 'flower',
        options: (o) => {
          const acts = o.nestStart(F.TCA_FLOWER_ACT);
          const a = o.nestStart(1);
          o.string(F.TCA_ACT_KIND, 'ct');
          const opt = o.nestStart(F.TCA_ACT_OPTIONS | 0x8000);
          o.attr(TCA_CT_PARMS, new StructWriter(20).s32(8, F.TC_ACT_PIPE).bytes);
          o.u16(TCA_CT_ZONE, 1);
          o.string(TCA_CT_HELPER_NAME, 'ftp');
          o.nestEnd(opt);
          o.nestEnd(a);
          o.nestEnd(acts);
          o.u32(F.TCA_FLOWER_FLAGS, flags);
          o.be16(F.TCA_FLOWER_KEY_ETH_TYPE, 0x0800);
        },
      });
      const ack = ack_of(transact(rtnl_socket(b.k), req));
      return { err: errnoName(ack?.error ?? 0), msg: ack?.ext_msg, driver_called: b.drv.calls.some((c) => c.command === FLOW_CLS_REPLACE) };
    });
    expect(results).toEqual([
      { err: '0', msg: undefined, driver_called: false },
      { err: '-EOPNOTSUPP', msg: undefined, driver_called: false },
    ]);
  });
});
