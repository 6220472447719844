import { describe, expect, it } from 'vitest';
import { Tracer, withTracer } from '../../trace/hop';
import { Mlx5Firmware } from './firmware';
import { MLX5_CMD_STAT_BAD_PARAM_ERR, MLX5_CMD_STAT_BAD_RES_ERR } from '../../kernel/include/linux/mlx5/device';
import {
  FS_FT_FDB, MLX5_CMD_OP_CREATE_FLOW_GROUP, MLX5_CMD_OP_CREATE_FLOW_TABLE, MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY,
  MLX5_CMD_OP_DESTROY_FLOW_GROUP, MLX5_CMD_OP_DESTROY_FLOW_TABLE, MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY,
  MLX5_CMD_OP_ALLOC_FLOW_COUNTER, MLX5_CMD_OP_QUERY_FLOW_COUNTER, MLX5_CMD_OP_DEALLOC_FLOW_COUNTER,
  MLX5_FLOW_CONTEXT_ACTION_DROP, MLX5_FLOW_CONTEXT_ACTION_COUNT, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST,
  MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT, MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT, MLX5_CMD_OP_CREATE_GENERAL_OBJECT,
  MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO,
  type SetFlowTableEntryIn, type Mlx5CmdIn,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';

const fw = (): Mlx5Firmware => new Mlx5Firmware({ model: 'ConnectX-6 Dx', caps: { log_max_ft_size: 23 } });

function table(f: Mlx5Firmware, log_size = 4, level = 1): number {
  const o = f.exec({ opcode: MLX5_CMD_OP_CREATE_FLOW_TABLE, op_mod: 0, table_type: FS_FT_FDB, vport_number: 0, other_vport: false,
    level, log_size, table_miss_action: 0, table_miss_id: 0, decap_en: false, reformat_en: false, termination_table: false });
  expect(o.status).toBe(0);
  return o.table_id!;
}

function group(f: Mlx5Firmware, table_id: number, start: number, end: number): number {
  const o = f.exec({ opcode: MLX5_CMD_OP_CREATE_FLOW_GROUP, op_mod: 0, table_type: FS_FT_FDB, table_id, vport_number: 0,
    start_flow_index: start, end_flow_index: end, match_criteria_enable: 1, match_criteria: { 'outer_headers.ip_protocol': 0xff } });
  expect(o.status).toBe(0);
  return o.group_id!;
}

function fte(table_id: number, group_id: number, flow_index: number, over: Partial<SetFlowTableEntryIn['flow_context']> = {}, op_mod: 0 | 1 = 0): Mlx5CmdIn {
  return {
    opcode: MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, op_mod, modify_enable_mask: 0, table_type: FS_FT_FDB, table_id, vport_number: 0,
    ignore_flow_level: false, flow_index,
    flow_context: { group_id, flow_tag: 0, flow_source: 0, action: MLX5_FLOW_CONTEXT_ACTION_DROP, modify_header_id: 0,
      packet_reformat_id: 0, destination: [], flow_counter_id: [], match_value: { 'outer_headers.ip_protocol': 6 }, ...over },
  };
}

describe('Mlx5Firmware', () => {
  it('table size comes from log_size; too big is bad parameter', () => {
    const f = fw();
    const t = table(f, 10);
    expect(f.flow_tables()[0]).toMatchObject({ table_id: t, table_type: 'FDB', size: 1024 });
    expect(f.exec({ opcode: MLX5_CMD_OP_CREATE_FLOW_TABLE, op_mod: 0, table_type: FS_FT_FDB, vport_number: 0, other_vport: false,
      level: 1, log_size: 24, table_miss_action: 0, table_miss_id: 0, decap_en: false, reformat_en: false, termination_table: false }).status).toBe(0x3);
  });

  it.each<{ name: string; cmd: (t: number, g: number) => Mlx5CmdIn; status: number }>([
    { name: 'unknown table', cmd: (t, g) => fte(t + 100, g, 0), status: 0x3 },
    { name: 'unknown group', cmd: (t, g) => fte(t, g + 100, 0), status: 0x5 },
    { name: 'index outside the group', cmd: (t, g) => fte(t, g, 8), status: 0xa },
    { name: 'modify of a free index', cmd: (t, g) => fte(t, g, 0, {}, 1), status: 0xa },
    { name: 'value outside the group criteria', cmd: (t, g) => fte(t, g, 0, { match_value: { 'outer_headers.tcp_dport': 80 } }), status: 0x3 },
    { name: 'forward without destination', cmd: (t, g) => fte(t, g, 0, { action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST }), status: 0x3 },
    { name: 'unknown counter', cmd: (t, g) => fte(t, g, 0, { action: MLX5_FLOW_CONTEXT_ACTION_DROP | MLX5_FLOW_CONTEXT_ACTION_COUNT, flow_counter_id: [999] }), status: 0x5 },
    { name: 'forward to a table of a lower level', cmd: (t, g) => fte(t, g, 0, { action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, destination: [{ destination_type: 'FLOW_TABLE', destination_id: t }] }), status: 0x3 },
  ])('SET_FLOW_TABLE_ENTRY: $name → status $status', ({ cmd, status }) => {
    const f = fw();
    const t = table(f);
    const g = group(f, t, 0, 7);
    expect(f.exec(cmd(t, g)).status).toBe(status);
    expect(f.ftes()).toHaveLength(0);
  });

  it('an index in use is bad index on create, and delete frees it', () => {
    const f = fw();
    const t = table(f);
    const g = group(f, t, 0, 7);
    expect(f.exec(fte(t, g, 3)).status).toBe(0);
    expect(f.exec(fte(t, g, 3)).status).toBe(0xa);
    expect(f.ftes()[0]).toMatchObject({ index: 3, group_id: g, action: ['DROP'], match_value: { 'outer_headers.ip_protocol': 6 } });
    // Groups and tables in use cannot go.
    expect(f.exec({ opcode: MLX5_CMD_OP_DESTROY_FLOW_GROUP, op_mod: 0, table_type: FS_FT_FDB, table_id: t, group_id: g, vport_number: 0 }).status).toBe(0x9);
    expect(f.exec({ opcode: MLX5_CMD_OP_DESTROY_FLOW_TABLE, op_mod: 0, table_type: FS_FT_FDB, table_id: t, vport_number: 0 }).status).toBe(0x9);
    expect(f.exec({ opcode: MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY, op_mod: 0, table_type: FS_FT_FDB, table_id: t, vport_number: 0, flow_index: 3 }).status).toBe(0);
    expect(f.ftes()).toHaveLength(0);
  });

  it('fault injection fails the next N commands of one opcode, and each command is a firmware hop', () => {
    const f = fw();
    const tracer = new Tracer();
    withTracer(tracer, () => {
      f.inject_fault({ opcode: 'CREATE_FLOW_TABLE', status: 0xf, syndrome: 0x42, count: 2 });
      const create = (): number => f.exec({ opcode: MLX5_CMD_OP_CREATE_FLOW_TABLE, op_mod: 0, table_type: FS_FT_FDB, vport_number: 0, other_vport: false,
        level: 1, log_size: 1, table_miss_action: 0, table_miss_id: 0, decap_en: false, reformat_en: false, termination_table: false }).status;
      expect([create(), create(), create()]).toEqual([0xf, 0xf, 0]);
    });
    expect(tracer.all().map((h) => [h.fn, h.layer, h.file])).toEqual(Array(3).fill(['CREATE_FLOW_TABLE', 'firmware', 'firmware/mlx5 (ConnectX-6 Dx)']));
    expect(tracer.all()[0]!.result).toBe('status 0xf syndrome 0x42');
  });

  it('counters count what counter_add adds', () => {
    const f = fw();
    const id = f.exec({ opcode: MLX5_CMD_OP_ALLOC_FLOW_COUNTER, op_mod: 0, flow_counter_bulk: 0 }).flow_counter_id!;
    f.counter_add(id, 3, 300);
    expect(f.exec({ opcode: MLX5_CMD_OP_QUERY_FLOW_COUNTER, op_mod: 0, flow_counter_id: id, num_of_counters: 0, clear: false }).flow_statistics)
      .toEqual([{ packets: 3, octets: 300 }]);
    expect(f.counters()).toEqual([{ id, packets: 3, octets: 300 }]);
  });
});

describe('modify-header contexts and general objects', () => {
  it('allocates within max_modify_header_actions and refuses to free a context an FTE uses', () => {
    const f = new Mlx5Firmware({ model: 'ConnectX-6 Dx', caps: { log_max_ft_size: 23, max_modify_header_actions: 2 } });
    const acts = [{ action_type: 'SET' as const, field: 'OUT_IP_TTL', data: 9 }];
    const ok = f.exec({ opcode: MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT, op_mod: 0, table_type: FS_FT_FDB, num_of_actions: 1, actions: acts });
    expect(ok.status).toBe(0);
    const tooMany = f.exec({ opcode: MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT, op_mod: 0, table_type: FS_FT_FDB, num_of_actions: 3, actions: [...acts, ...acts, ...acts] });
    expect(tooMany.status).toBe(MLX5_CMD_STAT_BAD_PARAM_ERR);
    expect(f.modify_header_contexts()).toEqual([{ modify_header_id: ok.modify_header_id, table_type: 'FDB', actions: acts }]);
    const gone = f.exec({ opcode: MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT, op_mod: 0, modify_header_id: ok.modify_header_id! });
    expect(gone.status).toBe(0);
    expect(f.exec({ opcode: MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT, op_mod: 0, modify_header_id: ok.modify_header_id! }).status).toBe(MLX5_CMD_STAT_BAD_RES_ERR);
  });

  it('creates and destroys flow-meter ASO objects; unknown types are refused', () => {
    const f = new Mlx5Firmware({ model: 'ConnectX-6 Dx', caps: { log_max_ft_size: 23 } });
    const o = f.exec({ opcode: MLX5_CMD_OP_CREATE_GENERAL_OBJECT, op_mod: 0, obj_type: MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO, log_obj_range: 6 });
    expect(o.status).toBe(0);
    expect(f.exec({ opcode: MLX5_CMD_OP_CREATE_GENERAL_OBJECT, op_mod: 0, obj_type: 0x7777, log_obj_range: 0 }).status).toBe(MLX5_CMD_STAT_BAD_PARAM_ERR);
    expect(f.exec({ opcode: MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, op_mod: 0, obj_type: MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO, obj_id: o.obj_id! }).status).toBe(0);
    expect(f.general_objects()).toEqual([]);
  });

  it('a counter is in use while an FTE (set, replaced) or a written STE counts into it', () => {
    const f = fw();
    const t = table(f);
    const g = group(f, t, 0, 7);
    const c = f.exec({ opcode: MLX5_CMD_OP_ALLOC_FLOW_COUNTER, op_mod: 0, flow_counter_bulk: 0 }).flow_counter_id!;
    const dealloc = (): number => f.exec({ opcode: MLX5_CMD_OP_DEALLOC_FLOW_COUNTER, op_mod: 0, flow_counter_id: c }).status;
    const counted = { action: MLX5_FLOW_CONTEXT_ACTION_DROP | MLX5_FLOW_CONTEXT_ACTION_COUNT, flow_counter_id: [c] };
    expect(f.exec(fte(t, g, 1, counted)).status).toBe(0);
    expect(f.exec(fte(t, g, 2, counted)).status).toBe(0);
    expect(dealloc()).toBe(0x9);
    // Replacing index 1 without the counter, then deleting index 2, frees the last user.
    expect(f.exec(fte(t, g, 1, {}, 1)).status).toBe(0);
    expect(dealloc()).toBe(0x9);
    expect(f.exec(fte(t, g, 2, {}, 1)).status).toBe(0);
    expect(f.exec(fte(t, g, 2, counted, 1)).status).toBe(0);
    expect(dealloc()).toBe(0x9);
    expect(f.exec({ opcode: MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY, op_mod: 0, table_type: FS_FT_FDB, table_id: t, vport_number: 0, flow_index: 2 }).status).toBe(0);
    // An STE's counter action holds it until the STE is overwritten or its chunk freed.
    const a = f.icm.alloc(2)!;
    const ste = { table_id: t, nic: 'rx' as const, kind: 'match' as const, rule: {
      priority: 0, index: 0, match_criteria_enable: 1, match_value: {}, action: ['DROP', 'COUNT'], destinations: [{ type: 'COUNTER' as const, id: c }], flow_tag: 0 } };
    f.icm.write_ste(a, 0, ste);
    f.icm.write_ste(a, 1, ste);
    expect(dealloc()).toBe(0x9);
    f.icm.write_ste(a, 0, { table_id: t, nic: 'rx', kind: 'anchor' });
    expect(dealloc()).toBe(0x9);
    f.icm.free(a);
    expect(dealloc()).toBe(0);
    expect(f.counters()).toEqual([]);
  });

  it('a group is destroyable once its last FTE is deleted; ranges overlapping any group are refused', () => {
    const f = fw();
    const t = table(f, 5);
    const g1 = group(f, t, 8, 15);
    const g0 = group(f, t, 0, 3);
    group(f, t, 16, 16);
    const mk = (start: number, end: number): number => f.exec({ opcode: MLX5_CMD_OP_CREATE_FLOW_GROUP, op_mod: 0, table_type: FS_FT_FDB,
      table_id: t, vport_number: 0, start_flow_index: start, end_flow_index: end, match_criteria_enable: 1, match_criteria: {} }).status;
    for (const [s, e] of [[3, 4], [7, 8], [9, 10], [15, 16], [0, 31], [16, 17]] as const) expect(mk(s, e), `[${s}..${e}]`).toBe(MLX5_CMD_STAT_BAD_PARAM_ERR);
    expect(mk(4, 7)).toBe(0);
    expect(mk(17, 31)).toBe(0);
    const destroy = (g: number): number => f.exec({ opcode: MLX5_CMD_OP_DESTROY_FLOW_GROUP, op_mod: 0, table_type: FS_FT_FDB, table_id: t, group_id: g, vport_number: 0 }).status;
    expect(f.exec(fte(t, g1, 8)).status).toBe(0);
    expect(f.exec(fte(t, g1, 9)).status).toBe(0);
    expect(f.exec(fte(t, g0, 0)).status).toBe(0);
    expect(f.exec({ opcode: MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY, op_mod: 0, table_type: FS_FT_FDB, table_id: t, vport_number: 0, flow_index: 8 }).status).toBe(0);
    expect(destroy(g1)).toBe(0x9);
    expect(f.exec({ opcode: MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY, op_mod: 0, table_type: FS_FT_FDB, table_id: t, vport_number: 0, flow_index: 9 }).status).toBe(0);
    expect(destroy(g1)).toBe(0);
    // Its range is free again; g0 still holds an FTE.
    expect(mk(9, 14)).toBe(0);
    expect(destroy(g0)).toBe(0x9);
  });
});
