// The per-namespace action handlers (core/en/tc/act/*.c) driven through the
// block callback: vlan, vlan_mangle, pedit, csum, ptype, ct, and the
// table differences between FDB (switchdev) and NIC (legacy).
import { describe, expect, it } from 'vitest';
import { EOPNOTSUPP, errnoName } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { TCA_CT_ACT_CLEAR } from '../../../../../kernel/include/uapi/linux/tc_act/tc_ct';
import {
  TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK,
  TCA_PEDIT_KEY_EX_HDR_TYPE_TCP,
} from '../../../../../kernel/include/uapi/linux/tc_act/tc_pedit';
import type { FlowActionId } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import { mlx5e_tc_act_get } from './act';
import { Rig, deviceSpec, drop, ipv4, mirror, redirect, type ActionOpt, type FlowerOpts } from '../../../mlx5.testlib';

function want(call: string, got: number, expected: number): void {
  expect(errnoName(got), `${call}: got ${errnoName(got)}, want ${errnoName(expected)}`).toBe(errnoName(expected));
}

const vlanPush = (vid: number, prio = 0): ActionOpt => ({ id: 'FLOW_ACTION_VLAN_PUSH', vlan: { vid, prio, proto: 0x8100 } });
const vlanPop = (): ActionOpt => ({ id: 'FLOW_ACTION_VLAN_POP' });
const bswap32 = (x: number): number => (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
/**
 * A pedit key given as the driver reads it (the u32 word as it sits in
 * little-endian memory, mask = bits to keep), handed over the way act_pedit
 * does: as the word's network-order value.
 */
const mangle = (htype: number, offset: number, keep: number, val: number, id: FlowActionId = 'FLOW_ACTION_MANGLE'): ActionOpt =>
  ({ id, mangle: { htype, offset, mask: bswap32(keep >>> 0), val: bswap32(val >>> 0) } });
/** set ip ttl to 7: byte 8 of the IPv4 header, the low byte of the LE word. */
const setTtl = (ttl: number): ActionOpt => mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, 8, 0xffffff00, ttl);
/** set the IPv4 destination (word at 16), bytes a.b.c.d in wire order. */
const setDip = (a: number, b: number, c: number, d: number): ActionOpt => mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, 16, 0, (d << 24) | (c << 16) | (b << 8) | a);

function fdbRig(): Rig {
  return new Rig();
}
function nicRig(): Rig {
  const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
  r.dev('enp8s0f0').features.hw_tc = true;
  return r;
}

describe('namespace tables (act.c v6.18): FDB vs NIC', () => {
  it.each<{ name: string; nic: boolean; actions: (r: Rig) => ActionOpt[]; msg?: string; throws?: boolean }>([
    { name: 'NIC: vlan push is not in the NIC table', nic: true, actions: () => [vlanPush(5), drop()], msg: 'mlx5_core: Not implemented offload action' },
    { name: 'NIC: vlan mangle is not in the NIC table', nic: true, actions: () => [{ id: 'FLOW_ACTION_VLAN_MANGLE', vlan: { vid: 3, prio: 0, proto: 0 } }, drop()], msg: 'mlx5_core: Not implemented offload action' },
    { name: 'NIC: police is not in the NIC table', nic: true, actions: () => [{ id: 'FLOW_ACTION_POLICE' }, drop()], msg: 'mlx5_core: Not implemented offload action' },
    { name: 'NIC: sample is not in the NIC table', nic: true, actions: () => [{ id: 'FLOW_ACTION_SAMPLE' }, drop()], msg: 'mlx5_core: Not implemented offload action' },
    { name: 'NIC: mirror (non-terminating mirred) is not in the NIC table', nic: true, actions: (r) => [mirror(r.dev('enp8s0f0'))], msg: 'mlx5_core: Not implemented offload action' },
    { name: 'FDB: skbedit mark is not in the FDB table', nic: false, actions: () => [{ id: 'FLOW_ACTION_MARK', mark: 1 }, drop()], msg: 'mlx5_core: Not implemented offload action' },
    { name: 'FDB: rx queue mapping', nic: false, actions: () => [{ id: 'FLOW_ACTION_RX_QUEUE_MAPPING' }, drop()], msg: 'mlx5_core: Not implemented offload action' },
  ])('$name', ({ nic, actions, msg }) => {
    const r = nic ? nicRig() : fdbRig();
    const dev = nic ? 'enp8s0f0' : 'enp8s0f0_0';
    const f = r.flower({ match: ipv4(), actions: actions(r) });
    want('REPLACE', r.call(dev, f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe(msg);
  });
});

describe('vlan (en/tc/act/vlan.c)', () => {
  it('push then forward: one FTE with VLAN_PUSH and the pushed header', () => {
    const r = fdbRig();
    want('REPLACE', r.call('enp8s0f0_0', r.flower({ match: ipv4(), actions: [vlanPush(10, 3), redirect(r.dev('enp8s0f0'))] })), 0);
    const fte = r.fw.ftes().find((x) => x.match_criteria_enable)!;
    expect(fte.action).toEqual(['FWD_DEST', 'COUNT', 'VLAN_PUSH']);
    expect(r.hops()).toContain('parse_tc_vlan_action');
  });

  it('pop then forward: VLAN_POP', () => {
    const r = fdbRig();
    want('REPLACE', r.call('enp8s0f0', r.flower({ match: ipv4(), actions: [vlanPop(), redirect(r.dev('enp8s0f0_1'))] })), 0);
    expect(r.fw.ftes().find((x) => x.match_criteria_enable)!.action).toContain('VLAN_POP');
  });

  it('two pushes use VLAN_PUSH_2; a third is over MLX5_FS_VLAN_DEPTH', () => {
    const r = fdbRig();
    want('REPLACE 2', r.call('enp8s0f0_0', r.flower({ match: ipv4(), actions: [vlanPush(10), vlanPush(20), redirect(r.dev('enp8s0f0'))] })), 0);
    expect(r.fw.ftes().find((x) => x.match_criteria_enable)!.action).toEqual(expect.arrayContaining(['VLAN_PUSH', 'VLAN_PUSH_2']));
    const f = r.flower({ match: ipv4(), actions: [vlanPush(10), vlanPush(20), vlanPush(30), redirect(r.dev('enp8s0f0'))] });
    want('REPLACE 3', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Total vlans used is greater than supported');
  });

  it('pop+push without a VLAN match cannot become a VID rewrite', () => {
    const r = fdbRig();
    const f = r.flower({ match: ipv4(), actions: [vlanPop(), vlanPush(7), redirect(r.dev('enp8s0f0'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: VLAN rewrite action must have VLAN protocol match');
  });

  it('pop+push changing the prio that was matched is refused', () => {
    const r = fdbRig();
    const f = r.flower({
      keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_VLAN'],
      match: (k, m) => { k.basic.n_proto = 0x0800; m.basic.n_proto = 0xffff; k.vlan.vlan_id = 5; m.vlan.vlan_id = 0xfff; },
      actions: [vlanPop(), vlanPush(7, 2), redirect(r.dev('enp8s0f0'))],
    });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Changing VLAN prio is not supported');
  });

  it('vlan pop eth without mpls push is refused at the mirred', () => {
    const r = fdbRig();
    const f = r.flower({ match: ipv4(), actions: [{ id: 'FLOW_ACTION_VLAN_POP_ETH' }, redirect(r.dev('enp8s0f0'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: vlan pop eth is supported only with mpls push');
  });
});

describe('pedit and csum (en/tc/act/pedit.c, csum.c; en_tc.c offload_pedit_fields)', () => {
  const cases: { name: string; opts: FlowerOpts; msg: string; nic?: boolean }[] = [
    { name: 'legacy (untyped) pedit', opts: { match: ipv4(), actions: [mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK, 0, 0, 1), drop()] }, msg: "mlx5_core: legacy pedit isn't offloaded" },
    { name: 'A10: pedit alone has no forward/drop (NIC)', nic: true, opts: { match: ipv4(), actions: [setTtl(7)] }, msg: 'mlx5_core: Rule must have at least one forward/drop action' },
    { name: 'A12: pedit + drop (NIC)', nic: true, opts: { match: ipv4(), actions: [setTtl(7), drop()] }, msg: 'mlx5_core: Drop with modify header action is not supported' },
    { name: 'A15: csum without pedit', opts: { match: ipv4(), actions: [{ id: 'FLOW_ACTION_CSUM', csum_flags: 1 }, drop()] }, msg: 'mlx5_core: TC csum action is only offloaded with pedit' },
    { name: 'csum of SCTP', opts: { match: ipv4(), actions: [setTtl(7), { id: 'FLOW_ACTION_CSUM', csum_flags: 64 }, drop()] }, msg: "mlx5_core: can't offload TC csum action for some header/s" },
    { name: 'set and add on the same field', opts: { match: ipv4(), actions: [setTtl(7), mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, 8, 0xffffff00, 1, 'FLOW_ACTION_ADD'), drop()] }, msg: "mlx5_core: can't set and add to the same HW field" },
    { name: 'a field the hardware cannot rewrite (IPv4 id)', opts: { match: ipv4(), actions: [mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, 4, 0xffff0000, 0x1234), drop()] }, msg: 'mlx5_core: attempt to offload an unsupported field' },
    { name: 'two separate bit runs in one field', opts: { match: ipv4(), actions: [mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_TCP, 0, 0xffff7eff, 0x8100), drop()] }, msg: "mlx5_core: rewrite of few sub-fields isn't supported" },
    { name: 'A16: IP rewrite on a flow with ip_proto GRE', opts: { match: ipv4(47), actions: [setDip(10, 0, 0, 9), { id: 'FLOW_ACTION_ACCEPT' }] }, msg: "mlx5_core: can't offload re-write of non TCP/UDP", nic: true },
  ];
  it.each(cases)('$name', ({ opts, msg, nic }) => {
    const r = nic ? nicRig() : fdbRig();
    const f = r.flower(opts);
    want('REPLACE', r.call(nic ? 'enp8s0f0' : 'enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe(msg);
  });

  it('a set to the value already matched is skipped, and with it the MOD_HDR bit', () => {
    const r = nicRig();
    const f = r.flower({
      keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_PORTS'],
      match: (k, m) => { ipv4(6)(k, m); k.tp.dst = 80; m.tp.dst = 0xffff; },
      // tcp dport := 80 (bytes 2..3 of the TCP header, big-endian 0x0050).
      actions: [mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_TCP, 0, 0x0000ffff, 0x50000000), { id: 'FLOW_ACTION_ACCEPT' }],
    });
    want('REPLACE', r.call('enp8s0f0', f), 0);
    expect(r.fw.ftes().find((x) => x.match_criteria_enable)!.action).not.toContain('MOD_HDR');
  });

  it('a real rewrite becomes a modify-header context the FTE applies', () => {
    const r = fdbRig();
    const f = r.flower({ match: ipv4(), actions: [mangle(TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, 0, 0, 0x44332211), redirect(r.dev('enp8s0f0'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    expect(r.hops()).toContain('offload_pedit_fields');
    const [ctx] = r.fw.modify_header_contexts();
    expect(ctx).toEqual({ modify_header_id: ctx!.modify_header_id, table_type: 'FDB', actions: [{ action_type: 'SET', field: 'OUT_DMAC_47_16', data: 0x11223344 }] });
    const fte = r.fw.ftes().find((x) => x.action.includes('MOD_HDR'))!;
    expect(fte.modify_header_id).toBe(ctx!.modify_header_id);
  });
});

describe('ptype and ct (en/tc/act/ptype.c, ct.c)', () => {
  it('skbedit ptype other than host is refused', () => {
    const r = fdbRig();
    const f = r.flower({ match: ipv4(), actions: [{ id: 'FLOW_ACTION_PTYPE', ptype: 3 }, drop()] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: skbedit ptype is only supported with type host');
  });

  it('A17: a second non-clear ct is refused by tc_act_can_offload_ct (a ct clear is not)', () => {
    const r = fdbRig();
    const ctAct = mlx5e_tc_act_get('FLOW_ACTION_CT', 'MLX5_FLOW_NAMESPACE_FDB')!;
    const ps = { ct: true, extack: { _msg: null as string | null } } as unknown as Mlx5eTcActParseState;
    const attr = {} as Mlx5FlowAttr;
    expect(r.run(() => ctAct.can_offload!(ps, { id: 'FLOW_ACTION_CT', hw_stats: 0, hw_index: 0, ct: { zone: 2, action: 0 } }, 1, attr))).toBe(false);
    expect((ps.extack as unknown as { _msg: string })._msg).toBe('mlx5_core: Multiple CT actions are not supported');
    expect(r.run(() => ctAct.can_offload!(ps, { id: 'FLOW_ACTION_CT', hw_stats: 0, hw_index: 0, ct: { zone: 0, action: TCA_CT_ACT_CLEAR } }, 1, attr))).toBe(true);
  });

  it('A17 end to end: ct, ct is refused after the first ct parsed', () => {
    const r = fdbRig();
    const ct = (zone: number): ActionOpt => ({ id: 'FLOW_ACTION_CT', ct: { zone, action: 0, flow_table: { zone } } });
    const f = r.flower({ match: ipv4(), actions: [ct(1), ct(2), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Multiple CT actions are not supported');
  });

  it.each([
    { name: 'ct', action: 0 },
    { name: 'ct clear', action: TCA_CT_ACT_CLEAR },
  ])('without register loopback (no CT tables), $name is refused by mlx5_tc_ct_parse_action', ({ action }) => {
    const r = new Rig(deviceSpec({ caps: { reg_c1_loopback: false } }));
    const f = r.flower({ match: ipv4(), actions: [{ id: 'FLOW_ACTION_CT', ct: { zone: 1, action } }, drop()] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: offload of ct action isn't available");
    expect(r.fw.ftes().filter((x) => x.match_criteria_enable)).toEqual([]);
  });
});
