// The mlx5 TC offload path driven as the kernel drives it: a clsact-ingress
// block bound through ndo_setup_tc, then flower requests on its callback.
import { describe, expect, it } from 'vitest';
import { EBUSY, EEXIST, EINVAL, EOPNOTSUPP, errnoName } from '../../kernel/include/uapi/asm-generic/errno';
import { FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS } from '../../kernel/include/net/flow_offload';
import { __netdev_update_features } from '../../kernel/net/core/dev';
import { MLX5_CMD_STAT_BAD_PARAM_ERR } from '../../kernel/include/linux/mlx5/device';
import type { FteState } from '../../hw/mlx5/firmware';
import { Rig, deviceSpec, drop, ipv4, mirror, redirect, type FlowerOpts } from './mlx5.testlib';
import { verify_attr_actions } from './en_tc';
import { mlx5_fc_stats_work } from './fs_counters';

function want(call: string, got: number, expected: number): void {
  expect(errnoName(got), `${call}: got ${errnoName(got)}, want ${errnoName(expected)}`).toBe(errnoName(expected));
}

/** `want` appears in `hops` in this order (other hops may sit between). */
function expectSubsequence(hops: string[], want: string[]): void {
  let at = 0;
  for (const h of want) {
    const i = hops.indexOf(h, at);
    expect(i, `hop ${h} after position ${at} in ${hops.join(' > ')}`).toBeGreaterThanOrEqual(0);
    at = i + 1;
  }
}

/** FTEs written for TC rules (the chains' miss rules have no match). */
function tcFtes(r: Rig): FteState[] {
  return r.fw.ftes().filter((f) => f.match_criteria_enable !== 0);
}

describe('block binding (mlx5.md §10 B1, B2)', () => {
  it.each([
    { name: 'uplink representor', dev: 'enp8s0f0' },
    { name: 'VF representor', dev: 'enp8s0f0_0' },
  ])('B1: $name refuses a clsact egress block with -EOPNOTSUPP', ({ dev }) => {
    const r = new Rig();
    const bo = r.blockOffload(FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS);
    want(`bind(${dev}, egress)`, r.bind(dev, bo), -EOPNOTSUPP);
    expect(bo.extack).toBeNull();
    expect(r.drv.mlx5e_block_cb_list.length + r.drv.mlx5e_rep_block_tc_cb_list.length).toBe(0);
  });

  it('B1: the NIC netdev in legacy mode refuses egress too', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    want('bind(enp8s0f0, egress)', r.bind('enp8s0f0', r.blockOffload(FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS)), -EOPNOTSUPP);
  });

  it('B2: binding the same netdev twice is -EBUSY', () => {
    const r = new Rig();
    want('bind #1', r.bind('enp8s0f0_1'), 0);
    want('bind #2', r.bind('enp8s0f0_1'), -EBUSY);
    expect(r.drv.mlx5e_rep_block_tc_cb_list).toHaveLength(1);
  });

  it('binding lists the callback on the per-host driver list, not a global one', () => {
    const a = new Rig();
    const b = new Rig();
    a.bind('enp8s0f0');
    expect(a.drv.mlx5e_block_cb_list).toHaveLength(1);
    expect(b.drv.mlx5e_block_cb_list).toHaveLength(0);
    expect(a.hops()).toEqual(['mlx5e_setup_tc', 'flow_block_cb_setup_simple']);
  });
});

describe('FDB add, switchdev (mlx5.md §10 I7, C3)', () => {
  it('I7: a drop rule on a VF rep becomes one FTE with DROP+COUNT matching the vport', () => {
    const r = new Rig();
    r.bind('enp8s0f0_0');
    r.tracer.reset();
    const f = r.flower({ match: ipv4(17) });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    expect(f.common.extack?._msg).toBeUndefined();

    const ftes = tcFtes(r);
    expect(ftes).toHaveLength(1);
    expect(ftes[0]).toMatchObject({
      table_type: 'FDB', index: 0, action: ['DROP', 'COUNT'],
      match_value: { 'outer_headers.ip_version': 4, 'outer_headers.ip_protocol': 17, 'misc_parameters.source_port': 1 },
    });
    expect(ftes[0]!.destinations).toEqual([{ type: 'COUNTER', id: r.fw.counters()[0]!.id }]);
    const esw = r.core.priv.eswitch!;
    expect(esw.user_count).toBe(1);
    expect(esw.offloads.num_flows).toBe(1);

    // mlx5.md §9.4 hop order.
    const order = ['mlx5e_rep_setup_tc_cb', 'mlx5e_rep_setup_tc_cls_flower', 'mlx5e_configure_flower', 'mlx5e_tc_add_flow',
      'mlx5e_add_fdb_flow', 'parse_cls_flower', 'parse_tc_fdb_actions', 'mlx5e_tc_add_fdb_flow', 'mlx5e_tc_offload_fdb_rules',
      'mlx5_eswitch_add_offloaded_rule', 'mlx5_chains_get_table', 'mlx5_add_flow_rules', 'add_rule_fte', 'mlx5_cmd_create_fte',
      'mlx5_cmd_set_fte', 'mlx5_cmd_exec', 'SET_FLOW_TABLE_ENTRY'];
    expectSubsequence(r.hops(), order);
    expect(r.hops('firmware')).toEqual(['ALLOC_FLOW_COUNTER', 'CREATE_FLOW_GROUP', 'SET_FLOW_TABLE_ENTRY']);
  });

  it('I7: redirect from the uplink to a VF rep forwards to that vport', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0', f), 0);
    const [fte] = tcFtes(r);
    expect(fte!.action).toEqual(['FWD_DEST', 'COUNT']);
    expect(fte!.destinations[0]).toEqual({ type: 'VPORT', id: 2 });
    expect(fte!.match_value['misc_parameters.source_port']).toBe(0xffff);
  });

  it('C3: the same cookie twice is -EEXIST with extack, and only one FTE', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4() });
    want('REPLACE #1', r.call('enp8s0f0_0', f), 0);
    const again = r.flower({ match: ipv4(), cookie: f.cookie });
    want('REPLACE #2', r.call('enp8s0f0_0', again), -EEXIST);
    expect(again.common.extack?._msg).toBe('mlx5_core: flow cookie already exists, ignoring');
    expect(r.kmsg()).toContain(`mlx5_core 0000:08:00.0 enp8s0f0_0: flow cookie ${f.cookie.toString(16)} already exists, ignoring`);
    expect(tcFtes(r)).toHaveLength(1);
    expect(r.core.priv.eswitch!.user_count).toBe(1);
  });

  it('each rep has its own cookie table', () => {
    const r = new Rig();
    want('REPLACE on rep 0', r.call('enp8s0f0_0', r.flower({ cookie: 7, match: ipv4() })), 0);
    want('REPLACE on rep 1', r.call('enp8s0f0_1', r.flower({ cookie: 7, match: ipv4() })), 0);
    expect(tcFtes(r)).toHaveLength(2);
  });
});

describe('feature and chain checks (mlx5.md §10 C5, C7, C8)', () => {
  it('C5: NIC netdev in legacy mode has hw-tc-offload off by default', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    expect(r.dev('enp8s0f0').features.hw_tc).toBe(false);
    want('bind', r.bind('enp8s0f0'), 0);
    const f = r.flower({ match: ipv4() });
    want('REPLACE', r.call('enp8s0f0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('TC offload is disabled on net device');
    expect(r.fw.ftes()).toHaveLength(0);
  });

  it('C5: representors default to hw-tc-offload on; turning it off refuses REPLACE', () => {
    const r = new Rig();
    expect(r.dev('enp8s0f0_0').features.hw_tc).toBe(true);
    r.dev('enp8s0f0_0').features.hw_tc = false;
    const f = r.flower({ match: ipv4() });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('TC offload is disabled on net device');
  });

  const noIgnore = (): Rig => new Rig(deviceSpec({ caps: { ignore_flow_level: false } }));
  it.each<{ name: string; opts: FlowerOpts; err: number; msg?: string }>([
    { name: 'C7: chain 4 > FDB_TC_MAX_CHAIN', opts: { chain: 4 }, err: -EOPNOTSUPP, msg: 'mlx5_core: Requested chain is out of supported range' },
    { name: 'chain 3 is in range', opts: { chain: 3 }, err: 0 },
    { name: 'C8: prio 17 > FDB_TC_MAX_PRIO', opts: { prio: 17 }, err: -EOPNOTSUPP, msg: 'mlx5_core: Requested priority is out of supported range' },
    { name: 'prio 16 is in range', opts: { prio: 16 }, err: 0 },
  ])('$name (FDB without ignore_flow_level)', ({ opts, err, msg }) => {
    const r = noIgnore();
    const f = r.flower({ match: ipv4(), ...opts });
    want(`REPLACE chain ${opts.chain ?? 0} prio ${opts.prio ?? 1}`, r.call('enp8s0f0_0', f), err);
    expect(f.common.extack?._msg).toBe(msg);
    expect(tcFtes(r)).toHaveLength(err ? 0 : 1);
    // A refused flow leaves no counter behind.
    expect(r.fw.counters()).toHaveLength(err ? 0 : 1);
  });

  it('with ignore_flow_level the chain range is UINT_MAX-1', () => {
    const r = new Rig();
    want('REPLACE chain 100', r.call('enp8s0f0_0', r.flower({ match: ipv4(), chain: 100 })), 0);
  });
});

describe('match translation (mlx5.md §10 M1, M2, M6)', () => {
  it('M1: an ARP key is "Unsupported key" with the debug log of used_keys', () => {
    const r = new Rig();
    const f = r.flower({ keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_ARP'] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Unsupported key');
    expect(r.kmsg()).toContain('mlx5_core 0000:08:00.0 enp8s0f0_0: Unsupported key used: 0x203');
  });

  it('M1: a ports range is unsupported too', () => {
    const r = new Rig();
    const f = r.flower({ keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_PORTS_RANGE'], match: ipv4() });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
  });

  it.each([
    { name: 'ICMP', ip_proto: 1 },
    { name: 'no ip_proto', ip_proto: 0 },
  ])('M2: L4 ports with $name is -EINVAL', ({ ip_proto }) => {
    const r = new Rig();
    const f = r.flower({
      keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_PORTS'],
      match: (k, m) => { ipv4(ip_proto)(k, m); k.tp.dst = 80; m.tp.dst = 0xffff; },
    });
    want('REPLACE', r.call('enp8s0f0_0', f), -EINVAL);
    expect(f.common.extack?._msg).toBe('mlx5_core: Only UDP and TCP transports are supported for L4 matching');
    expect(r.kmsg()).toContain('mlx5_core 0000:08:00.0 enp8s0f0_0: Only UDP and TCP transport are supported');
  });

  it('TCP ports land in tcp_dport, addresses in the ipv4 layout', () => {
    const r = new Rig();
    const f = r.flower({
      keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_IPV4_ADDRS', 'FLOW_DISSECTOR_KEY_PORTS', 'FLOW_DISSECTOR_KEY_ETH_ADDRS'],
      match: (k, m) => {
        ipv4(6)(k, m);
        k.control.addr_type = 2;
        k.ipv4.dst = 0x0a000001; m.ipv4.dst = 0xffffffff;
        k.tp.dst = 443; m.tp.dst = 0xffff;
        k.eth.dst.set([0, 0x11, 0x22, 0x33, 0x44, 0x55]); m.eth.dst.fill(0xff);
      },
    });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    expect(tcFtes(r)[0]!.match_value).toEqual({
      'outer_headers.ip_version': 4, 'outer_headers.ip_protocol': 6, 'outer_headers.tcp_dport': 443,
      'outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4': '10.0.0.1', 'outer_headers.dmac_47_16': '00:11:22:33:44:55',
      'misc_parameters.source_port': 1,
    });
    expect(r.fw.flow_groups().find((g) => g.group_id === tcFtes(r)[0]!.group_id)!.match_criteria).toMatchObject({
      'outer_headers.cvlan_tag': 1, 'outer_headers.tcp_dport': 0xffff, 'misc_parameters.source_port': 0xffff,
    });
  });

  it('M6: TTL without the FDB outer_ipv4_ttl cap', () => {
    const r = new Rig(deviceSpec({ caps: { outer_ipv4_ttl: false } }));
    const f = r.flower({
      keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_IP'],
      match: (k, m) => { ipv4()(k, m); k.ip.ttl = 64; m.ip.ttl = 0xff; },
    });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Matching on TTL is not supported');
  });
});

describe('action translation (mlx5.md §10 A1, A3, A9, A10)', () => {
  it('A1: no actions is -EINVAL', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EINVAL);
    expect(f.common.extack?._msg).toBe("mlx5_core: Flow action doesn't have any entries");
  });

  it.each([
    { name: 'NIC: vlan push', legacy: true, id: 'FLOW_ACTION_VLAN_PUSH' as const },
    { name: 'NIC: trap', legacy: true, id: 'FLOW_ACTION_TRAP' as const },
    { name: 'FDB: skbedit priority', legacy: false, id: 'FLOW_ACTION_PRIORITY' as const },
    { name: 'FDB: mirred ingress', legacy: false, id: 'FLOW_ACTION_MIRRED_INGRESS' as const },
  ])('A3: $name is "Not implemented offload action"', ({ legacy, id }) => {
    const r = new Rig(deviceSpec({ eswitch_mode: legacy ? 'legacy' : 'switchdev' }));
    r.dev('enp8s0f0').features.hw_tc = true;
    const dev = legacy ? 'enp8s0f0' : 'enp8s0f0_0';
    const f = r.flower({ match: ipv4(), actions: [{ id }] });
    want('REPLACE', r.call(dev, f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Not implemented offload action');
  });

  it('A9: the same output twice', () => {
    const r = new Rig();
    const vf1 = r.dev('enp8s0f0_1');
    const f = r.flower({ match: ipv4(), actions: [mirror(vf1), redirect(vf1)] });
    want('REPLACE', r.call('enp8s0f0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: can't duplicate output to same device");
    expect(r.kmsg()).toContain("mlx5_core 0000:08:00.0 enp8s0f0: can't duplicate output to same device: enp8s0f0_1");
  });

  it('A9: a VF rep redirecting to itself', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [redirect(r.dev('enp8s0f0_0'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: can't forward from a VF to itself");
  });

  it('mirror to two VFs forwards to both vports', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [mirror(r.dev('enp8s0f0_0')), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0', f), 0);
    expect(tcFtes(r)[0]!.destinations.filter((d) => d.type === 'VPORT')).toEqual([{ type: 'VPORT', id: 1 }, { type: 'VPORT', id: 2 }]);
  });

  it('A11: forward and drop together (verify_attr_actions in post_process_attr)', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [mirror(r.dev('enp8s0f0_1')), drop()] });
    want('REPLACE', r.call('enp8s0f0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Rule cannot support forward+drop action');
    expect(r.fw.counters()).toHaveLength(0);
  });

  it.each([
    { name: 'A10: COUNT only', actions: 0x8, msg: 'mlx5_core: Rule must have at least one forward/drop action' },
    { name: 'A11: FWD+DROP', actions: 0x4 | 0x2, msg: 'mlx5_core: Rule cannot support forward+drop action' },
    { name: 'A12: MOD_HDR+DROP', actions: 0x40 | 0x2, msg: 'mlx5_core: Drop with modify header action is not supported' },
    { name: 'FWD+COUNT is fine', actions: 0x4 | 0x8, msg: undefined },
  ])('verify_attr_actions $name', ({ actions, msg }) => {
    // Only pedit/csum/ct produce an action set without fwd/drop; their
    // handlers are not emulated yet, so the check is exercised directly.
    const extack = {} as { _msg?: string };
    want(`verify_attr_actions(0x${actions.toString(16)})`, verify_attr_actions(actions, extack), msg ? -EOPNOTSUPP : 0);
    expect(extack._msg).toBe(msg);
  });
});

describe('firmware failures (mlx5.md §10 I4)', () => {
  it('I4: SET_FLOW_TABLE_ENTRY rejected: errno from the status, mlx5_cmd_out_err line, no extack, nothing left over', () => {
    const r = new Rig();
    const tables = r.fw.flow_tables();
    const groups = r.fw.flow_groups();
    r.fw.inject_fault({ opcode: 'SET_FLOW_TABLE_ENTRY', status: MLX5_CMD_STAT_BAD_PARAM_ERR, syndrome: 0x6b4f21 });
    const f = r.flower({ match: ipv4() });
    want('REPLACE', r.call('enp8s0f0_0', f), -EINVAL);
    expect(f.common.extack?._msg).toBeUndefined();
    expect(r.kmsg()).toContain('mlx5_core 0000:08:00.0: mlx5_cmd_out_err:820:(pid 4242): SET_FLOW_TABLE_ENTRY(0x936) op_mod(0x0) failed, status bad parameter(0x3), syndrome (0x6b4f21), err(-22)');
    // The autogroup made for the rule and the counter are released again.
    expect(r.fw.flow_groups()).toEqual(groups);
    expect(r.fw.flow_tables()).toEqual(tables);
    expect(r.fw.counters()).toHaveLength(0);
    expect(r.core.priv.eswitch!.user_count).toBe(0);
    // The next attempt works: the fault was for one command.
    want('REPLACE again', r.call('enp8s0f0_0', r.flower({ match: ipv4() })), 0);
  });

  it.each([
    { status: 0x8, err: -12 },
    { status: 0xf, err: -11 },
    { status: 0x6, err: -16 },
  ])('I4: status 0x$status is errno $err', ({ status, err }) => {
    const r = new Rig();
    r.fw.inject_fault({ opcode: 'SET_FLOW_TABLE_ENTRY', status });
    want(`REPLACE with status 0x${status.toString(16)}`, r.call('enp8s0f0_0', r.flower({ match: ipv4() })), err);
  });
});

describe('delete and stats (mlx5.md §10 D1, D3, S1)', () => {
  it('D1: delete or stats of an unknown cookie is -EINVAL without extack', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4() });
    const d = r.destroy(f);
    want('DESTROY', r.call('enp8s0f0_0', d), -EINVAL);
    expect(d.common.extack?._msg).toBeUndefined();
    want('STATS', r.call('enp8s0f0_0', r.stats(f)), -EINVAL);
  });

  it('D3: delete frees the FTE, its autogroup, the counter and the (chain, prio) table', () => {
    const r = new Rig();
    const before = { tables: r.fw.flow_tables(), groups: r.fw.flow_groups(), ftes: r.fw.ftes() };
    const f = r.flower({ match: ipv4(), prio: 2 });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    expect(r.fw.flow_tables().length).toBe(before.tables.length + 1);
    r.tracer.reset();
    want('DESTROY', r.call('enp8s0f0_0', r.destroy(f)), 0);
    expect(r.fw.flow_tables()).toEqual(before.tables);
    expect(r.fw.flow_groups()).toEqual(before.groups);
    expect(tcFtes(r)).toEqual([]);
    // Upstream quirk (mlx5_chains_destroy_prio → update_prio_prevs): the root
    // table was created before the chains end table was set, so it first
    // missed to the TC-miss table; after prio 2 comes and goes it misses to
    // prio 2's next_ft, the chains end (nf_ft) table.
    const rootMiss = (ftes: FteState[]): FteState => ftes.find((x) => x.index === 4 * 1024 * 1024 - 2)!;
    const nfFt = r.fw.flow_tables().find((t) => t.size === 64 * 1024 && t.table_type === 'FDB' && t.level === 2)!;
    expect(rootMiss(before.ftes).destinations).toEqual([{ type: 'FLOW_TABLE', id: r.core.priv.eswitch!.offloads.tc_miss_table!.id }]);
    expect(rootMiss(r.fw.ftes()).destinations).toEqual([{ type: 'FLOW_TABLE', id: nfFt.table_id }]);
    expect(r.fw.counters()).toHaveLength(0);
    expect(r.core.priv.eswitch!.user_count).toBe(0);
    expect(r.core.priv.eswitch!.offloads.num_flows).toBe(0);
    expect(r.hops('firmware')).toEqual(['DELETE_FLOW_TABLE_ENTRY', 'DESTROY_FLOW_GROUP',
      // mlx5_chains_destroy_prio: re-point the root's miss rule (add new, delete old),
      // then the miss rule, the miss group and the table of prio 2.
      'SET_FLOW_TABLE_ENTRY', 'DELETE_FLOW_TABLE_ENTRY',
      'DELETE_FLOW_TABLE_ENTRY', 'DESTROY_FLOW_GROUP', 'DESTROY_FLOW_TABLE', 'DEALLOC_FLOW_COUNTER']);
    // Second delete of the same cookie.
    want('DESTROY again', r.call('enp8s0f0_0', r.destroy(f)), -EINVAL);
  });

  it('a new prio table is linked in: the previous prio misses to it', () => {
    const r = new Rig();
    const root = r.fw.flow_tables().find((t) => t.size === 4 * 1024 * 1024)!;
    const miss = (tid: number): number => r.fw.ftes().find((f) => f.table_id === tid && f.match_criteria_enable === 0)!.destinations[0]!.id;
    const nfFt = miss(root.table_id);
    want('REPLACE prio 2', r.call('enp8s0f0_0', r.flower({ match: ipv4(), prio: 2 })), 0);
    const prio2 = r.fw.flow_tables().find((t) => ![root.table_id].includes(t.table_id) && t.size === 4 * 1024 * 1024)!;
    expect(miss(root.table_id)).toBe(prio2.table_id);
    expect(miss(prio2.table_id)).not.toBe(root.table_id);
    expect(nfFt).not.toBe(prio2.table_id);
  });

  it('S1: stats are deltas of the cached counter, HW_STATS_DELAYED', () => {
    let now = 1000;
    const r = new Rig();
    r.drv.jiffies = () => now;
    const f = r.flower({ match: ipv4() });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    const id = r.fw.counters()[0]!.id;
    r.fw.counter_add(id, 10, 1500);
    now = 2000;
    r.run(() => mlx5_fc_stats_work(r.core));
    const s1 = r.stats(f);
    want('STATS #1', r.call('enp8s0f0_0', s1), 0);
    expect(s1.stats).toMatchObject({ pkts: 10, bytes: 1500, lastused: 2000, used_hw_stats: 2, used_hw_stats_valid: true });
    const s2 = r.stats(f);
    want('STATS #2', r.call('enp8s0f0_0', s2), 0);
    expect(s2.stats).toMatchObject({ pkts: 0, bytes: 0, lastused: 2000 });
  });
});

describe('NIC (legacy) path', () => {
  function nic(): Rig {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    r.dev('enp8s0f0').features.hw_tc = true;
    return r;
  }

  it('the root table is taken with the first filter and released with the last', () => {
    const r = nic();
    const tables = r.fw.flow_tables();
    const f = r.flower({ match: ipv4() });
    r.tracer.reset();
    want('REPLACE', r.call('enp8s0f0', f), 0);
    const t = r.fw.flow_tables().filter((x) => !tables.some((y) => y.table_id === x.table_id));
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ table_type: 'NIC_RX', size: 4 * 1024 * 1024 });
    const [fte] = tcFtes(r);
    expect(fte!.action).toEqual(['DROP', 'COUNT']);
    expect(fte!.match_value).toEqual({ 'outer_headers.ip_version': 4, 'outer_headers.ip_protocol': 6 });
    expect(r.core.priv.eswitch!.user_count).toBe(1);
    expect(r.hops()).toContain('mlx5e_add_nic_flow');
    expect(r.hops()).toContain('mlx5e_add_offloaded_nic_rule');
    want('DESTROY', r.call('enp8s0f0', r.destroy(f)), 0);
    expect(r.fw.flow_tables()).toEqual(tables);
  });

  it('accept forwards to the VLAN table; mark sets the flow tag', () => {
    const r = nic();
    const vlan = r.fw.flow_tables().find((t) => t.level === 170)!;
    want('REPLACE', r.call('enp8s0f0', r.flower({ match: ipv4(), actions: [{ id: 'FLOW_ACTION_MARK', mark: 0x1234 }] })), 0);
    const [fte] = tcFtes(r);
    expect(fte!.flow_tag).toBe(0x1234);
    expect(fte!.destinations[0]).toEqual({ type: 'FLOW_TABLE', id: vlan.table_id });
  });

  it('C6: without ignore_flow_level only chain 0', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy', caps: { ignore_flow_level: false } }));
    r.dev('enp8s0f0').features.hw_tc = true;
    const f = r.flower({ match: ipv4(), chain: 1 });
    want('REPLACE chain 1', r.call('enp8s0f0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('Driver supports only offload of chain 0');
  });

  it('C9: prio 2 without prios support fails in mlx5_chains_get_table, no extack', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy', caps: { ignore_flow_level: false } }));
    r.dev('enp8s0f0').features.hw_tc = true;
    const f = r.flower({ match: ipv4(), prio: 2 });
    want('REPLACE prio 2', r.call('enp8s0f0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBeUndefined();
    expect(r.fw.counters()).toHaveLength(0);
  });

  it('E5: hw-tc-offload cannot be turned off while NIC filters are offloaded', () => {
    const r = nic();
    const dev = r.dev('enp8s0f0');
    want('REPLACE', r.call('enp8s0f0', r.flower({ match: ipv4() })), 0);
    want('ethtool -K hw-tc-offload off', r.run(() => __netdev_update_features(dev, { hw_tc: false })), -EINVAL);
    expect(dev.features.hw_tc).toBe(true);
    expect(r.kmsg()).toContain("mlx5_core 0000:08:00.0 enp8s0f0: Active offloaded tc filters, can't turn hw_tc_offload off");
    expect(r.kmsg()).toContain('mlx5_core 0000:08:00.0 enp8s0f0: Disable feature 0x0002000000000000 failed, err -22');
  });
});
