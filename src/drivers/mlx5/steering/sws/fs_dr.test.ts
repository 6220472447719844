// Software-managed steering (smfs): fs_core on the fs_dr backend, the STEs
// the driver writes into the device's steering ICM, and the mode switch.
import { describe, expect, it } from 'vitest';
import { Rig, deviceSpec, drop, ipv4, redirect } from '../../mlx5.testlib';
import { errnoName, EOPNOTSUPP, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import {
  mlx5_add_flow_rules, mlx5_create_auto_grouped_flow_table, mlx5_del_flow_rules, mlx5_destroy_flow_table, mlx5_flow_namespace_set_mode,
  mlx5_flow_table_attr, type Mlx5FlowTable,
} from '../../fs_core';
import { mlx5_flow_spec_zero, type Mlx5FlowDestination } from '../../../../kernel/include/linux/mlx5/fs';
import { MLX5_VPORT_UPLINK } from '../../../../kernel/include/linux/mlx5/device';
import { dr_rule_skip } from './dr_rule';
import { dr_matcher_num_of_builders } from './dr_matcher';
import { Mlx5SwIcm } from '../../../../hw/mlx5/icm';
import {
  FS_FT_FDB, MLX5_CMD_OP_CREATE_FLOW_TABLE, MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, MLX5_FLOW_TABLE_MISS_ACTION_DEF,
  MLX5_FLOW_CONTEXT_ACTION_DROP, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT, type FteMatchParam,
} from '../../../../kernel/include/linux/mlx5/mlx5_ifc';
import { MLX5_CMD_STAT_BAD_PARAM_ERR } from '../../../../kernel/include/linux/mlx5/device';
import { Mlx5Firmware } from '../../../../hw/mlx5/firmware';

function want(call: string, got: number, err: number): void {
  expect(errnoName(got), `${call}: got ${errnoName(got)}, want ${errnoName(err)}`).toBe(errnoName(err));
}

const smfs = (caps = {}): Rig => new Rig(deviceSpec({ flow_steering_mode: 'smfs', caps }));
const ruleStes = (r: Rig): number => r.fw.icm.stes().filter((s) => s.kind === 'match').length;

describe('smfs: rules are STEs, not firmware FTEs', () => {
  it('a redirect from a VF representor writes its STEs on TX only and no SET_FLOW_TABLE_ENTRY', () => {
    const r = smfs();
    const before = ruleStes(r);
    want('FLOW_CLS_REPLACE', r.call('enp8s0f0_0', r.flower({ match: ipv4(), actions: [redirect(r.dev('enp8s0f0_1'))] })), 0);
    expect(r.fw.history.filter((h) => h.opcode === 'SET_FLOW_TABLE_ENTRY' || h.opcode === 'CREATE_FLOW_GROUP')).toEqual([]);
    const added = r.fw.icm.stes().filter((s) => s.kind === 'match').slice(before);
    expect(added.length).toBeGreaterThan(0);
    expect(new Set(added.map((s) => s.nic))).toEqual(new Set(['tx']));
    const last = added.find((s) => s.rule)!;
    expect(last.rule!.destinations).toEqual(expect.arrayContaining([{ type: 'VPORT', id: 2 }]));
    expect(r.fw.ftes().filter((f) => f.steering === 'sw' && f.table_id === last.table_id && f.index === last.rule!.index)).toHaveLength(1);
    expect(r.hops('mlx5_fs')).toEqual(expect.arrayContaining(['mlx5_cmd_dr_create_fte', 'mlx5dr_rule_create', 'dr_rule_create_rule_nic', 'mlx5dr_send_postsend_ste']));
  });

  it('delete gives every ICM entry back: no leak of STEs, anchors or matchers', () => {
    const r = smfs();
    const used = r.fw.icm.used_entries();
    const f = r.flower({ prio: 3, match: ipv4() , actions: [drop()] });
    want('FLOW_CLS_REPLACE', r.call('enp8s0f0_0', f), 0);
    expect(r.fw.icm.used_entries()).toBeGreaterThan(used);
    want('FLOW_CLS_DESTROY', r.call('enp8s0f0_0', r.destroy(f)), 0);
    expect(r.fw.icm.used_entries(), 'ICM entries in use after the delete').toBe(used);
    expect(r.fw.history.filter((h) => h.opcode === 'DELETE_FLOW_TABLE_ENTRY')).toEqual([]);
  });

  it('sw-owned tables are created with sw_owner and no pool size (INT_MAX entries in fs_core)', () => {
    const r = smfs();
    const sw = r.fw.flow_tables().filter((t) => t.sw_owner);
    expect(sw.length).toBeGreaterThan(0);
    expect(sw.every((t) => t.table_type === 'FDB' && t.level === 63)).toBe(true);
  });

  it('ICM exhaustion: the rule fails with -EINVAL and the driver logs the dr path', () => {
    const r = smfs({ log_steering_sw_icm_size: 12 });
    let err: 0 | NegErrno = 0;
    let n = 0;
    for (; n < 64 && !err; n++) {
      err = r.call('enp8s0f0_0', r.flower({ match: (k, m) => { ipv4()(k, m); k.ipv4.dst = 0x0a000001 + n; m.ipv4.dst = 0xffffffff; }, actions: [drop()] }));
    }
    want('FLOW_CLS_REPLACE (ICM full)', err, -22);
    expect(r.kmsg()).toEqual(expect.arrayContaining([
      'mlx5_core 0000:08:00.0: dr_rule_create_rule_nic:1197:(pid 4242): Failed creating next branch',
      'mlx5_core 0000:08:00.0: mlx5_cmd_dr_create_fte:630:(pid 4242): Failed to create dr rule err(-22)',
    ]));
  });
});

describe('mlx5_flow_namespace_set_mode (core/fs_core.c)', () => {
  it.each([
    { name: 'the NIC root never switches', root: 'nic' as const, mode: 'smfs' as const, sw_owner: true, err: -EOPNOTSUPP },
    { name: 'same mode is a no-op', root: 'fdb' as const, mode: 'dmfs' as const, sw_owner: true, err: 0 },
    { name: 'smfs without sw_owner: the dr domain cannot be created', root: 'fdb' as const, mode: 'smfs' as const, sw_owner: false, err: -EOPNOTSUPP },
  ])('$name', ({ root, mode, sw_owner, err }) => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy', caps: { sw_owner } }));
    const ns = root === 'nic' ? r.core.priv.steering.root_ns : r.core.priv.steering.fdb_root_ns;
    want(`mlx5_flow_namespace_set_mode(${root}, ${mode})`, r.run(() => mlx5_flow_namespace_set_mode(ns, mode)), err);
    expect(ns.mode).toBe(err ? 'dmfs' : mode);
    if (!sw_owner) expect(r.kmsg()).toContain('mlx5_core 0000:08:00.0: mlx5_cmd_dr_create_ns:807:(pid 4242): Failed to create dr flow namespace');
  });

  it('the default mode is smfs with sw_owner and dmfs without (mlx5_fs_core_alloc)', () => {
    expect(new Rig(deviceSpec({ eswitch_mode: 'legacy', flow_steering_mode: undefined })).core.priv.steering.mode).toBe('smfs');
    expect(new Rig(deviceSpec({ eswitch_mode: 'legacy', flow_steering_mode: undefined, caps: { sw_owner: false } })).core.priv.steering.mode).toBe('dmfs');
  });
});

describe('dr_rule_skip (steering/sws/dr_rule.c)', () => {
  const port: FteMatchParam = { 'misc_parameters.source_port': 0xffff };
  it.each<{ name: string; value: FteMatchParam; flow_source: number; rx: boolean; tx: boolean; mask?: FteMatchParam }>([
    { name: 'uplink source: RX only', value: { 'misc_parameters.source_port': MLX5_VPORT_UPLINK }, flow_source: 0, rx: false, tx: true },
    { name: 'VF source: TX only', value: { 'misc_parameters.source_port': 1 }, flow_source: 0, rx: true, tx: false },
    { name: 'no source port, any source: both', value: {}, flow_source: 0, rx: false, tx: false, mask: {} },
    { name: 'flow_source local vport: TX only', value: {}, flow_source: 2, rx: true, tx: false, mask: {} },
    { name: 'flow_source uplink: RX only', value: {}, flow_source: 1, rx: false, tx: true, mask: {} },
  ])('$name', ({ value, flow_source, rx, tx, mask }) => {
    expect(dr_rule_skip('rx', mask ?? port, value, flow_source)).toBe(rx);
    expect(dr_rule_skip('tx', mask ?? port, value, flow_source)).toBe(tx);
  });
});

describe('dr_matcher_num_of_builders (approximation)', () => {
  it.each<{ name: string; mask: FteMatchParam; n: number }>([
    { name: 'empty mask: always-hit', mask: {}, n: 1 },
    { name: 'ethertype + IPv4 dst', mask: { 'outer_headers.ethertype': 0xffff, 'outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4': 0xffffffff }, n: 2 },
    { name: 'plus source port', mask: { 'outer_headers.ethertype': 0xffff, 'outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4': 0xffffffff, 'misc_parameters.source_port': 0xffff }, n: 3 },
  ])('$name', ({ mask, n }) => {
    expect(dr_matcher_num_of_builders(mask)).toBe(n);
  });
});

describe('device: steering ICM and sw-owned tables', () => {
  it('ICM hands out chunks until its capacity and takes them back', () => {
    const icm = new Mlx5SwIcm(4);
    const a = icm.alloc(3)!;
    expect(icm.alloc(2)).toBeNull();
    icm.write_ste(a, 2, { table_id: 7, nic: 'rx', kind: 'match' });
    expect(icm.stes()).toEqual([{ addr: a + 2, table_id: 7, nic: 'rx', kind: 'match' }]);
    icm.free(a);
    expect(icm.used_entries()).toBe(0);
    expect(icm.stes()).toEqual([]);
    expect(icm.ste_writes).toBe(1);
  });

  it('the firmware refuses FTEs in a sw-owned table (BAD_PARAM)', () => {
    const fw = new Mlx5Firmware({ model: 'ConnectX-6 Dx', caps: { log_max_ft_size: 23 } });
    const t = fw.exec({
      opcode: MLX5_CMD_OP_CREATE_FLOW_TABLE, op_mod: 0, table_type: FS_FT_FDB, vport_number: 0, other_vport: false, level: 63, log_size: 0,
      table_miss_action: MLX5_FLOW_TABLE_MISS_ACTION_DEF, table_miss_id: 0, decap_en: false, reformat_en: false, termination_table: false, sw_owner: true,
    });
    const out = fw.exec({
      opcode: MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, op_mod: 0, modify_enable_mask: 0, table_type: FS_FT_FDB, table_id: t.table_id!, vport_number: 0,
      ignore_flow_level: false, flow_index: 0,
      flow_context: { group_id: 0, flow_tag: 0, flow_source: 0, action: MLX5_FLOW_CONTEXT_ACTION_DROP, modify_header_id: 0, packet_reformat_id: 0, destination: [], flow_counter_id: [], match_value: {} },
    });
    expect(out.status).toBe(MLX5_CMD_STAT_BAD_PARAM_ERR);
  });
});

describe('mlx5_cmd_dr_create_fte actions (steering/sws/fs_dr.c)', () => {
  const vport = (num: number): Mlx5FlowDestination => ({ type: 'MLX5_FLOW_DESTINATION_TYPE_VPORT', vport: { num, flags: 0 } });
  function table(r: Rig): Mlx5FlowTable {
    const ft = r.run(() => mlx5_create_auto_grouped_flow_table(r.core.priv.steering.fdb_root_ns, mlx5_flow_table_attr({ level: 40, max_fte: 16, autogroup: { max_num_groups: 4, num_reserved_entries: 0 } })));
    if (typeof ft === 'number') throw new Error(`mlx5_create_auto_grouped_flow_table: got ${errnoName(ft)}`);
    return ft;
  }

  it('a firmware-owned reformat cannot serve a software rule: -EINVAL, logged', () => {
    const r = smfs();
    const ft = table(r);
    const got = r.run(() => mlx5_add_flow_rules(ft, mlx5_flow_spec_zero(), {
      action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT, flags: 0,
      pkt_reformat: { id: 99, owner: 'fw' } as { id: number },
    }, [vport(1)]));
    want('mlx5_add_flow_rules (FW-owned reformat)', typeof got === 'number' ? got : 0, -22);
    expect(r.kmsg()).toEqual(expect.arrayContaining([
      "mlx5_core 0000:08:00.0: mlx5_cmd_dr_create_fte:339:(pid 4242): FW-owned reformat can't be used in SW rule",
      'mlx5_core 0000:08:00.0: mlx5_cmd_dr_create_fte:630:(pid 4242): Failed to create dr rule err(-22)',
    ]));
  });

  it('two forward destinations: a firmware multi-destination table the STE forwards to, freed with the rule', () => {
    const r = smfs();
    const ft = table(r);
    const tables = r.fw.flow_tables().length;
    const h = r.run(() => mlx5_add_flow_rules(ft, mlx5_flow_spec_zero(), { action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, flags: 0 }, [vport(1), vport(2)]));
    if (typeof h === 'number') throw new Error(`mlx5_add_flow_rules: got ${errnoName(h)}`);
    const md = r.fw.flow_tables().filter((t) => !t.sw_owner).slice(-1)[0]!;
    expect(r.fw.flow_tables().length).toBe(tables + 1);
    expect(r.fw.ftes().filter((f) => f.table_id === md.table_id).map((f) => f.destinations)).toEqual([[{ type: 'VPORT', id: 1 }, { type: 'VPORT', id: 2 }]]);
    const rule = r.fw.ftes().find((f) => f.table_id === ft.id && f.steering === 'sw')!;
    expect(rule.destinations).toEqual([{ type: 'FLOW_TABLE', id: md.table_id }]);
    r.run(() => mlx5_del_flow_rules(h));
    expect(r.fw.flow_tables().length).toBe(tables);
    want('mlx5_destroy_flow_table', r.run(() => mlx5_destroy_flow_table(ft)), 0);
  });
});
