// fs_core autogroup arithmetic and the table-size pool (mlx5.md §4.4), on the
// emulated firmware.
import { describe, expect, it } from 'vitest';
import { ENOSPC, EINVAL, errnoName } from '../../kernel/include/uapi/asm-generic/errno';
import { MLX5_MATCH_OUTER_HEADERS } from '../../kernel/include/linux/mlx5/device';
import { MLX5_FLOW_CONTEXT_ACTION_DROP, MLX5_SET } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import { FLOW_ACT_NO_APPEND, mlx5_flow_spec_zero, type Mlx5FlowSpec } from '../../kernel/include/linux/mlx5/fs';
import {
  mlx5_add_flow_rules, mlx5_create_auto_grouped_flow_table, mlx5_del_flow_rules, mlx5_flow_table_attr,
  mlx5_get_flow_namespace, type Mlx5FlowHandle, type Mlx5FlowTable,
} from './fs_core';
import { Rig, deviceSpec, ipv4 } from './mlx5.testlib';
import { mlx5_ft_pool_exhaust_above } from './fs_ft_pool';

const M4 = 4 * 1024 * 1024;
const M1 = 1024 * 1024;

/** A spec whose mask differs per `n` (tcp_dport mask n), value 0. */
function maskSpec(n: number, value = 0): Mlx5FlowSpec {
  const s = mlx5_flow_spec_zero();
  s.match_criteria_enable = MLX5_MATCH_OUTER_HEADERS;
  MLX5_SET(s.match_criteria, 'outer_headers.tcp_dport', n);
  MLX5_SET(s.match_value, 'outer_headers.tcp_dport', value & n);
  return s;
}

function add(r: Rig, ft: Mlx5FlowTable, spec: Mlx5FlowSpec): Mlx5FlowHandle | number {
  return r.run(() => mlx5_add_flow_rules(ft, spec, { action: MLX5_FLOW_CONTEXT_ACTION_DROP, flags: FLOW_ACT_NO_APPEND }, []));
}

function smallTable(r: Rig, max_fte: number, groups: number, reserved = 2): Mlx5FlowTable {
  const ft = r.run(() => mlx5_create_auto_grouped_flow_table(mlx5_get_flow_namespace(r.core, 'MLX5_FLOW_NAMESPACE_KERNEL'),
    mlx5_flow_table_attr({ level: 1, max_fte, autogroup: { max_num_groups: groups, num_reserved_entries: reserved } })));
  if (typeof ft === 'number') throw new Error(`mlx5_create_auto_grouped_flow_table: got ${errnoName(ft)}`);
  return ft;
}

describe('autogroup sizing', () => {
  it('FDB chain table: 4M entries, groups of (4M-2)/16, then 1-entry groups', () => {
    const r = new Rig();
    const rules = [];
    for (let n = 1; n <= 16; n++) {
      const f = r.flower({
        keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_PORTS'],
        match: (k, m) => { ipv4(6)(k, m); m.tp.dst = n; },
      });
      rules.push(f);
      expect(r.call('enp8s0f0_0', f), `REPLACE mask ${n}`).toBe(0);
    }
    const root = r.fw.flow_tables().find((t) => t.size === M4)!;
    const groups = r.fw.flow_groups().filter((g) => g.table_id === root.table_id && g.match_criteria_enable !== 0);
    const size = Math.floor((M4 - 2) / 16);
    expect(size).toBe(262143);
    expect(groups.slice(0, 15).map((g) => [g.start_flow_index, g.end_flow_index]))
      .toEqual(Array.from({ length: 15 }, (_, i) => [i * size, (i + 1) * size - 1]));
    expect(groups[15]).toMatchObject({ start_flow_index: 15 * size, end_flow_index: 15 * size });
    // The chains miss group holds the last two entries.
    expect(r.fw.flow_groups().find((g) => g.table_id === root.table_id && g.match_criteria_enable === 0))
      .toMatchObject({ start_flow_index: M4 - 2, end_flow_index: M4 - 1 });
    // Each rule has its own FTE at the start of its group.
    expect(r.fw.ftes().filter((f) => f.table_id === root.table_id && f.match_criteria_enable).map((f) => f.index))
      .toEqual([...Array.from({ length: 15 }, (_, i) => i * size), 15 * size]);
  });

  it('NIC TC table: groups of (4M-2)/5', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    r.dev('enp8s0f0').features.hw_tc = true;
    expect(r.call('enp8s0f0', r.flower({ match: ipv4() }))).toBe(0);
    const [g] = r.fw.flow_groups().filter((x) => x.table_type === 'NIC_RX' && x.match_criteria_enable !== 0);
    expect(g).toMatchObject({ start_flow_index: 0, end_flow_index: Math.floor((M4 - 2) / 5) - 1 });
    expect(Math.floor((M4 - 2) / 5)).toBe(838860);
  });

  it('identical matches are never merged (FLOW_ACT_NO_APPEND on DMFS): one FTE each', () => {
    const r = new Rig();
    expect(r.call('enp8s0f0_0', r.flower({ match: ipv4(), prio: 3 }))).toBe(0);
    expect(r.call('enp8s0f0_0', r.flower({ match: ipv4(), prio: 3 }))).toBe(0);
    const tc = r.fw.ftes().filter((f) => f.match_criteria_enable !== 0);
    expect(tc.map((f) => f.index)).toEqual([0, 1]);
    expect(new Set(tc.map((f) => f.group_id)).size).toBe(1);
  });

  it('a full group gets a sibling group with the same mask; a full table is -ENOSPC (I2)', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    const ft = smallTable(r, 128, 4);
    expect(ft.max_fte).toBe(128);
    expect(ft.autogroup.group_size).toBe(25);
    // 25 rules with one mask fill group 0; the 26th opens a second group.
    for (let i = 0; i < 26; i++) expect(typeof add(r, ft, maskSpec(0xffff, i)), `rule ${i}`).toBe('object');
    const mine = (): { start_flow_index: number; end_flow_index: number }[] => r.fw.flow_groups()
      .filter((g) => g.table_id === ft.id).map((g) => ({ start_flow_index: g.start_flow_index, end_flow_index: g.end_flow_index }));
    expect(mine()).toEqual([{ start_flow_index: 0, end_flow_index: 24 }, { start_flow_index: 25, end_flow_index: 49 }]);
    // Two more full-size masks, then 1-entry groups up to autogroup.max_fte (126).
    expect(typeof add(r, ft, maskSpec(1))).toBe('object');
    expect(typeof add(r, ft, maskSpec(2))).toBe('object');
    for (let n = 3; n < 3 + 26; n++) expect(typeof add(r, ft, maskSpec(n)), `mask ${n}`).toBe('object');
    expect(mine().at(-1)).toEqual({ start_flow_index: 125, end_flow_index: 125 });
    expect(add(r, ft, maskSpec(999))).toBe(-ENOSPC);
  });

  it('deleting the last FTE of an autogroup destroys the group', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    const ft = smallTable(r, 128, 4);
    const h = add(r, ft, maskSpec(0xff, 1)) as Mlx5FlowHandle;
    expect(r.fw.flow_groups().filter((g) => g.table_id === ft.id)).toHaveLength(1);
    r.run(() => mlx5_del_flow_rules(h));
    expect(r.fw.flow_groups().filter((g) => g.table_id === ft.id)).toHaveLength(0);
    expect(ft.autogroup.num_groups).toBe(0);
  });

  it('I3: value bits outside the mask are -EINVAL with the fs_core warning', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    const ft = smallTable(r, 128, 4);
    const s = maskSpec(0xff00);
    MLX5_SET(s.match_value, 'outer_headers.tcp_dport', 0x00ff);
    expect(add(r, ft, s)).toBe(-EINVAL);
    expect(r.kmsg()).toContain('mlx5_core: match_value differs from match_criteria');
  });

  it('autogroup validation: more groups than entries is -ENOSPC', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    const before = r.fw.flow_tables().length;
    const ft = r.run(() => mlx5_create_auto_grouped_flow_table(mlx5_get_flow_namespace(r.core, 'MLX5_FLOW_NAMESPACE_KERNEL'),
      mlx5_flow_table_attr({ level: 1, max_fte: 1, autogroup: { max_num_groups: 4, num_reserved_entries: 0 } })));
    expect(ft).toBe(-ENOSPC);
    expect(r.fw.flow_tables()).toHaveLength(before);
  });
});

describe('flow table pool (fs_ft_pool.c)', () => {
  it('largest-free tables take 4M until four are used, then 1M; sizes return on destroy', () => {
    const r = new Rig();
    // switchdev already holds one 4M table (the FDB root, chain 0 prio 1).
    const sizes: number[] = [];
    for (let prio = 2; prio <= 5; prio++) {
      expect(r.call('enp8s0f0_0', r.flower({ match: ipv4(), prio }))).toBe(0);
      sizes.push(r.fw.flow_tables().at(-1)!.size);
    }
    expect(sizes).toEqual([M4, M4, M4, M1]);
    const t1m = r.fw.flow_tables().at(-1)!;
    const g = r.fw.flow_groups().find((x) => x.table_id === t1m.table_id && x.match_criteria_enable !== 0)!;
    expect(g.end_flow_index + 1).toBe(Math.floor((M1 - 2) / 16));
    expect(r.core.priv.ft_pool.ft_left.slice(0, 2)).toEqual([0, 15]);
  });

  it('log_max_ft_size caps the pool choice', () => {
    const r = new Rig(deviceSpec({ caps: { log_max_ft_size: 20 } }));
    expect(r.fw.flow_tables().map((t) => t.size)).toContain(M1);
    expect(r.fw.flow_tables().map((t) => t.size)).not.toContain(M4);
  });
});

describe('scale: filling a NIC TC table until -ENOSPC (mlx5.md §10 I1, I2)', () => {
  it('a 128-entry table holds 4 groups of 25 and 26 1-entry groups; the next rule is -ENOSPC; deleting frees everything', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    r.dev('enp8s0f0').features.hw_tc = true;
    r.run(() => mlx5_ft_pool_exhaust_above(r.core, 128));
    const before = { tables: r.fw.flow_tables(), groups: r.fw.flow_groups(), ftes: r.fw.ftes(), pool: [...r.core.priv.ft_pool.ft_left] };
    const flows = [];
    let err = 0;
    for (let i = 1; i <= 200 && !err; i++) {
      const f = r.flower({ match: (k, m) => { ipv4()(k, m); k.ipv4.dst = i; m.ipv4.dst = 0xffffffff; }, keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_IPV4_ADDRS'] });
      f.rule!.match.key.control.addr_type = 2; f.rule!.match.mask.control.addr_type = 0xffff;
      err = r.call('enp8s0f0', f);
      if (!err) flows.push(f);
    }
    expect(errnoName(err), `REPLACE #${flows.length + 1}: got ${errnoName(err)}, want -ENOSPC`).toBe(errnoName(-ENOSPC));
    // (128 - 2 reserved) / (4 + 1) = 25 per autogroup: 4 × 25, then 26 groups of 1.
    expect(flows).toHaveLength(126);
    const table = r.fw.flow_tables().find((t) => !before.tables.some((b) => b.table_id === t.table_id))!;
    expect(table.size).toBe(128);
    const sizes = r.fw.flow_groups().filter((g) => g.table_id === table.table_id && g.match_criteria_enable !== 0)
      .map((g) => g.end_flow_index - g.start_flow_index + 1);
    expect(sizes).toEqual([25, 25, 25, 25, ...Array(26).fill(1)]);
    expect(r.fw.counters()).toHaveLength(126);
    for (const f of flows) expect(r.call('enp8s0f0', r.destroy(f))).toBe(0);
    expect(r.fw.flow_tables()).toEqual(before.tables);
    expect(r.fw.flow_groups()).toEqual(before.groups);
    expect(r.fw.ftes()).toEqual(before.ftes);
    expect(r.fw.counters()).toHaveLength(0);
    expect(r.core.priv.ft_pool.ft_left).toEqual(before.pool);
  });

  it('I1: no pool left for a new (chain, prio) table is -ENOSPC before any firmware command', () => {
    const r = new Rig();
    r.run(() => mlx5_ft_pool_exhaust_above(r.core, 128));
    r.core.priv.ft_pool.ft_left = r.core.priv.ft_pool.ft_left.map(() => 0);
    r.tracer.reset();
    const got = r.call('enp8s0f0_0', r.flower({ match: ipv4(), prio: 3 }));
    expect(errnoName(got), `REPLACE prio 3: got ${errnoName(got)}, want -ENOSPC`).toBe(errnoName(-ENOSPC));
    expect(r.hops('firmware')).not.toContain('CREATE_FLOW_TABLE');
    expect(r.kmsg().join('\n')).toContain('Failed to create chains table err -28 (chain: 0, prio: 3, level: 0');
  });
});
