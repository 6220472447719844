// The emulated ConnectX firmware: owns the flow tables, flow groups, flow
// table entries (FTEs) and flow counters of one device, and executes the
// flow-steering commands the driver sends (include/linux/mlx5/mlx5_ifc.h
// layouts). Real firmware is closed; the validation below is what the PRM
// documents and what the driver's error handling assumes. Status codes follow
// the PRM; the syndrome values are emulator-chosen (real ones are opaque
// 32-bit numbers) but stable, so logs and tests are byte-stable.
import { currentTracer } from '../../trace/hop';
import {
  MLX5_CMD_STAT_OK, MLX5_CMD_STAT_BAD_PARAM_ERR, MLX5_CMD_STAT_BAD_RES_ERR,
  MLX5_CMD_STAT_BAD_RES_STATE_ERR, MLX5_CMD_STAT_IX_ERR, MLX5_CMD_STAT_BAD_OP_ERR,
} from '../../kernel/include/linux/mlx5/device';
import {
  FS_FT_FDB, FS_FT_NIC_RX, MLX5_FLOW_TABLE_MISS_ACTION_FWD,
  MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_FLOW_CONTEXT_ACTION_DROP, MLX5_FLOW_CONTEXT_ACTION_COUNT,
  MLX5_CMD_OP_CREATE_FLOW_TABLE, MLX5_CMD_OP_DESTROY_FLOW_TABLE, MLX5_CMD_OP_CREATE_FLOW_GROUP,
  MLX5_CMD_OP_DESTROY_FLOW_GROUP, MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY,
  MLX5_CMD_OP_ALLOC_FLOW_COUNTER, MLX5_CMD_OP_DEALLOC_FLOW_COUNTER, MLX5_CMD_OP_QUERY_FLOW_COUNTER,
  MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT, MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT, MLX5_FLOW_CONTEXT_ACTION_MOD_HDR,
  MLX5_CMD_OP_CREATE_GENERAL_OBJECT, MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO,
  MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO, MLX5_GENERAL_OBJECT_TYPES_SAMPLER,
  type AllocModifyHeaderContextIn, type DeallocModifyHeaderContextIn, type CreateGeneralObjectIn,
  type DestroyGeneralObjectIn, type Mlx5IfcModifyAction,
  MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT, MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT, MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT,
  type AllocPacketReformatContextIn, type DeallocPacketReformatContextIn,
  mlx5_command_str, mlx5_command_opcode, mlx5_flow_context_action_names, fte_match_value_outside_criteria,
  fte_match_param_section_bit,
  type Mlx5CmdIn, type Mlx5CmdOut, type FteMatchParam, type FsFlowTableType, type Mlx5IfcDestination,
  type CreateFlowTableIn, type DestroyFlowTableIn, type CreateFlowGroupIn, type DestroyFlowGroupIn,
  type SetFlowTableEntryIn, type DeleteFlowTableEntryIn, type DeallocFlowCounterIn, type QueryFlowCounterIn,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import { DR_STE_SIZE, Mlx5SwIcm } from './icm';

export type TableTypeName = 'FDB' | 'NIC_RX';

export interface FlowTableState {
  table_id: number;
  table_type: TableTypeName;
  level: number;
  log_size: number;
  /** Entries (1 << log_size). */
  size: number;
  table_miss_action: 'DEFAULT' | 'FWD';
  table_miss_id: number;
  /** Created sw_owner (SMFS): its entries are STEs in steering ICM, not FTEs. */
  sw_owner?: boolean;
}

export interface FlowGroupState {
  table_id: number;
  table_type: TableTypeName;
  group_id: number;
  start_flow_index: number;
  end_flow_index: number;
  match_criteria_enable: number;
  match_criteria: FteMatchParam;
}

export type FteDestType = 'VPORT' | 'FLOW_TABLE' | 'COUNTER' | 'TIR' | 'FLOW_SAMPLER' | 'UPLINK';

export interface FteState {
  table_id: number;
  table_type: TableTypeName;
  level: number;
  group_id: number;
  index: number;
  match_criteria_enable: number;
  match_value: FteMatchParam;
  /** e.g. ['FWD_DEST', 'COUNT'] or ['DROP', 'COUNT'] */
  action: string[];
  destinations: { type: FteDestType; id: number }[];
  flow_tag: number;
  /** With MOD_HDR: the modify-header context the entry applies. */
  modify_header_id?: number;
  /** With EXECUTE_ASO: the flow-meter ASO object. */
  exe_aso_object_id?: number;
  /** With PACKET_REFORMAT: the reformat (encap) context the entry applies. */
  packet_reformat_id?: number;
  /** 'sw': a rule of a sw-owned table, written as STEs into steering ICM (no SET_FLOW_TABLE_ENTRY). */
  steering?: 'sw';
}

/** A packet reformat context (ALLOC_PACKET_REFORMAT_CONTEXT). */
export interface PacketReformatContextState {
  packet_reformat_id: number;
  table_type: TableTypeName;
  reformat_type: number;
  reformat_data_size: number;
  /** The header bytes, hex. */
  reformat_data: string;
}

/** A modify-header context (ALLOC_MODIFY_HEADER_CONTEXT). */
export interface ModifyHeaderContextState {
  modify_header_id: number;
  table_type: TableTypeName;
  actions: Mlx5IfcModifyAction[];
}

/** A general object (CREATE_GENERAL_OBJECT): flow-meter ASO, sampler. */
export interface GeneralObjectState {
  obj_id: number;
  obj_type: number;
  log_obj_range: number;
}

export interface CounterState {
  id: number;
  packets: number;
  octets: number;
}

/** Makes the next `count` commands with `opcode` (name or number) fail. */
export interface Mlx5FaultSpec {
  opcode: number | string;
  status: number;
  syndrome?: number;
  /** How many commands fail (default 1). */
  count?: number;
}

/** What the firmware needs to know of its device (a topology Mlx5DeviceSpec fits). */
export interface Mlx5FirmwareOptions {
  /** Model name, shown in the firmware lane, e.g. 'ConnectX-6 Dx'. */
  model: string;
  /** Largest table the device accepts (log2), per the log_max_ft_size cap. */
  caps: { log_max_ft_size: number; max_modify_header_actions?: number; log_steering_sw_icm_size?: number };
  /** First object id handed out (ids are sequential and deterministic). */
  first_id?: number;
}

interface FwTable extends FlowTableState {
  type: FsFlowTableType; groups: Map<number, FwGroup>; ftes: Map<number, FwFte>;
  /** The groups by start index (disjoint, so ends ascend too): overlap checks by binary search. */
  by_start: FwGroup[];
}
interface FwGroup {
  id: number; start: number; end: number; match_criteria_enable: number; match_criteria: FteMatchParam;
  /** FTEs set in the group (DESTROY_FLOW_GROUP refuses a group that has any). */
  num_ftes: number;
}
/** Live references FTEs hold, per kind and object id: a destroy/dealloc checks a count instead of scanning. */
interface FwFteRefs { counter: Map<number, number>; modify_header: Map<number, number>; packet_reformat: Map<number, number>; aso: Map<number, number>; flow_table: Map<number, number> }
interface FwFte { index: number; group_id: number; flow_tag: number; action: number; match_value: FteMatchParam; destination: Mlx5IfcDestination[]; counters: number[]; modify_header_id: number; exe_aso_object_id: number; packet_reformat_id: number }

// Emulator-chosen syndromes, one per rejection reason.
const SYN = {
  BAD_TABLE_TYPE: 0x1f0001,
  TABLE_TOO_BIG: 0x1f0002,
  MISS_TABLE: 0x1f0003,
  NO_TABLE: 0x1f0004,
  TABLE_HAS_GROUPS: 0x1f0005,
  TABLE_REFERENCED: 0x1f0006,
  GROUP_RANGE: 0x1f0007,
  GROUP_OVERLAP: 0x1f0008,
  NO_GROUP: 0x1f0009,
  GROUP_HAS_FTES: 0x1f000a,
  CRITERIA_ENABLE: 0x1f000b,
  INDEX_OUT_OF_GROUP: 0x1f000c,
  INDEX_IN_USE: 0x1f000d,
  INDEX_FREE: 0x1f000e,
  VALUE_OUTSIDE_CRITERIA: 0x1f000f,
  FWD_WITHOUT_DEST: 0x1f0010,
  FWD_AND_DROP: 0x1f0011,
  DEST_TABLE: 0x1f0012,
  DEST_LEVEL: 0x1f0013,
  COUNTER: 0x1f0014,
  COUNTER_IN_USE: 0x1f0015,
  UNKNOWN_OPCODE: 0x1f0016,
  TOO_MANY_MODIFY_ACTIONS: 0x1f0017,
  NO_MODIFY_HEADER: 0x1f0018,
  MODIFY_HEADER_IN_USE: 0x1f0019,
  MODIFY_HEADER_TABLE_TYPE: 0x1f001a,
  BAD_OBJ_TYPE: 0x1f001b,
  NO_OBJ: 0x1f001c,
  OBJ_IN_USE: 0x1f001d,
  NO_PACKET_REFORMAT: 0x1f001e,
  PACKET_REFORMAT_IN_USE: 0x1f001f,
  SW_OWNED_TABLE: 0x1f0020,
} as const;

/**
 * Default log2 bytes of steering ICM (device_mem_cap log_steering_sw_icm_size)
 * when the topology does not give it; emulator-chosen (2^26 B = 1M STEs).
 */
export const DEFAULT_LOG_STEERING_SW_ICM_SIZE = 26;

function typeName(t: FsFlowTableType): TableTypeName {
  return t === FS_FT_FDB ? 'FDB' : 'NIC_RX';
}

class CmdError {
  constructor(readonly status: number, readonly syndrome: number) {}
}

function fail(status: number, syndrome: number): never {
  throw new CmdError(status, syndrome);
}

export class Mlx5Firmware {
  /** The firmware lane's "file" in hop traces. */
  readonly file: string;
  private readonly tables = new Map<number, FwTable>();
  private readonly counterMap = new Map<number, CounterState>();
  private readonly modHdrMap = new Map<number, { type: FsFlowTableType; actions: Mlx5IfcModifyAction[] }>();
  private readonly reformatMap = new Map<number, { type: FsFlowTableType; reformat_type: number; size: number; data: string }>();
  private readonly objMap = new Map<number, GeneralObjectState>();
  private readonly faults: { opcode: number; status: number; syndrome: number; left: number }[] = [];
  private readonly fteRefs: FwFteRefs = { counter: new Map(), modify_header: new Map(), packet_reformat: new Map(), aso: new Map(), flow_table: new Map() };
  private nextId: number;
  /** Commands executed so far, oldest first (opcode names with op_mod and status). */
  readonly history: { opcode: string; op_mod: number; status: number }[] = [];
  /** Steering ICM the driver writes STEs into under SMFS. */
  readonly icm: Mlx5SwIcm;

  constructor(readonly opts: Mlx5FirmwareOptions) {
    this.file = `firmware/mlx5 (${opts.model})`;
    this.nextId = opts.first_id ?? 1;
    const log = opts.caps.log_steering_sw_icm_size ?? DEFAULT_LOG_STEERING_SW_ICM_SIZE;
    this.icm = new Mlx5SwIcm(Math.max(0, Math.floor(2 ** log / DR_STE_SIZE)));
  }

  /** Executes one command; never throws for command errors (they are statuses). */
  exec(inbox: Mlx5CmdIn): Mlx5CmdOut {
    const name = mlx5_command_str(inbox.opcode);
    let out: Mlx5CmdOut;
    const fault = this.faults.find((f) => f.opcode === inbox.opcode && f.left > 0);
    if (fault) {
      fault.left--;
      out = { status: fault.status, syndrome: fault.syndrome };
    } else {
      try {
        out = { status: MLX5_CMD_STAT_OK, syndrome: 0, ...this.dispatch(inbox) };
      } catch (e) {
        if (!(e instanceof CmdError)) throw e;
        out = { status: e.status, syndrome: e.syndrome };
      }
    }
    this.history.push({ opcode: name, op_mod: inbox.op_mod, status: out.status });
    currentTracer()?.event(name, this.file, summarize(inbox), out.status === MLX5_CMD_STAT_OK
      ? okSummary(out)
      : `status 0x${out.status.toString(16)} syndrome 0x${out.syndrome.toString(16)}`);
    return out;
  }

  inject_fault(f: Mlx5FaultSpec): void {
    const opcode = typeof f.opcode === 'number' ? f.opcode : mlx5_command_opcode(f.opcode);
    if (opcode === undefined) throw new Error(`inject_fault: unknown opcode '${String(f.opcode)}'`);
    this.faults.push({ opcode, status: f.status, syndrome: f.syndrome ?? 0, left: f.count ?? 1 });
  }

  // ---- pure queries -------------------------------------------------------

  flow_tables(): FlowTableState[] {
    return [...this.tables.values()].map((t) => ({
      table_id: t.table_id, table_type: t.table_type, level: t.level, log_size: t.log_size, size: t.size,
      table_miss_action: t.table_miss_action, table_miss_id: t.table_miss_id,
      ...(t.sw_owner ? { sw_owner: true } : {}),
    }));
  }

  flow_groups(): FlowGroupState[] {
    return [...this.tables.values()].flatMap((t) => [...t.groups.values()]
      .sort((a, b) => a.start - b.start)
      .map((g) => ({
        table_id: t.table_id, table_type: t.table_type, group_id: g.id, start_flow_index: g.start,
        end_flow_index: g.end, match_criteria_enable: g.match_criteria_enable, match_criteria: { ...g.match_criteria },
      })));
  }

  /**
   * Every entry the device steers by: firmware FTEs, then the rules of
   * sw-owned tables as their last STE in steering ICM describes them (one
   * per table and index, RX before TX).
   */
  ftes(): FteState[] {
    return [...this.fw_ftes(), ...this.sw_rules()];
  }

  private sw_rules(): FteState[] {
    const seen = new Set<string>();
    const out: FteState[] = [];
    const stes = this.icm.stes().filter((s) => s.rule).sort((a, b) => (a.nic === b.nic ? 0 : a.nic === 'rx' ? -1 : 1));
    for (const s of stes) {
      const r = s.rule!;
      const t = this.tables.get(s.table_id);
      const key = `${s.table_id}/${r.index}`;
      if (!t || seen.has(key)) continue;
      seen.add(key);
      out.push({
        table_id: t.table_id, table_type: t.table_type, level: t.level, group_id: 0, index: r.index,
        match_criteria_enable: r.match_criteria_enable, match_value: { ...r.match_value }, action: [...r.action],
        destinations: r.destinations.map((d) => ({ ...d })), flow_tag: r.flow_tag,
        ...(r.modify_header_id !== undefined ? { modify_header_id: r.modify_header_id } : {}),
        ...(r.exe_aso_object_id !== undefined ? { exe_aso_object_id: r.exe_aso_object_id } : {}),
        ...(r.packet_reformat_id !== undefined ? { packet_reformat_id: r.packet_reformat_id } : {}),
        steering: 'sw',
      });
    }
    return out.sort((a, b) => a.table_id - b.table_id || a.index - b.index);
  }

  private fw_ftes(): FteState[] {
    return [...this.tables.values()].flatMap((t) => [...t.ftes.values()]
      .sort((a, b) => a.index - b.index)
      .map((f) => ({
        table_id: t.table_id, table_type: t.table_type, level: t.level, group_id: f.group_id, index: f.index,
        match_criteria_enable: t.groups.get(f.group_id)!.match_criteria_enable,
        match_value: { ...f.match_value },
        action: mlx5_flow_context_action_names(f.action),
        destinations: [
          ...f.destination.map((d) => ({ type: d.destination_type as FteDestType, id: d.destination_id })),
          ...f.counters.map((id) => ({ type: 'COUNTER' as const, id })),
        ],
        flow_tag: f.flow_tag,
        ...(f.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR ? { modify_header_id: f.modify_header_id } : {}),
        ...(f.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO ? { exe_aso_object_id: f.exe_aso_object_id } : {}),
        ...(f.action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT ? { packet_reformat_id: f.packet_reformat_id } : {}),
      })));
  }

  packet_reformat_contexts(): PacketReformatContextState[] {
    return [...this.reformatMap.entries()].map(([id, r]) => ({
      packet_reformat_id: id, table_type: typeName(r.type), reformat_type: r.reformat_type, reformat_data_size: r.size, reformat_data: r.data,
    }));
  }

  modify_header_contexts(): ModifyHeaderContextState[] {
    return [...this.modHdrMap.entries()].map(([id, m]) => ({
      modify_header_id: id, table_type: typeName(m.type), actions: m.actions.map((a) => ({ ...a })),
    }));
  }

  general_objects(): GeneralObjectState[] {
    return [...this.objMap.values()].map((o) => ({ ...o }));
  }

  counters(): CounterState[] {
    return [...this.counterMap.values()].map((c) => ({ ...c }));
  }

  /** Traffic hitting a counter (what the ASIC would do per matched packet). */
  counter_add(id: number, packets: number, octets: number): void {
    const c = this.counterMap.get(id);
    if (!c) throw new Error(`counter_add: no flow counter ${id}`);
    c.packets += packets;
    c.octets += octets;
  }

  // ---- command handlers ---------------------------------------------------

  private dispatch(inbox: Mlx5CmdIn): Partial<Mlx5CmdOut> {
    switch (inbox.opcode) {
      case MLX5_CMD_OP_CREATE_FLOW_TABLE: return this.create_flow_table(inbox);
      case MLX5_CMD_OP_DESTROY_FLOW_TABLE: return this.destroy_flow_table(inbox);
      case MLX5_CMD_OP_CREATE_FLOW_GROUP: return this.create_flow_group(inbox);
      case MLX5_CMD_OP_DESTROY_FLOW_GROUP: return this.destroy_flow_group(inbox);
      case MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY: return this.set_flow_table_entry(inbox);
      case MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY: return this.delete_flow_table_entry(inbox);
      case MLX5_CMD_OP_ALLOC_FLOW_COUNTER: {
        const id = this.nextId++;
        this.counterMap.set(id, { id, packets: 0, octets: 0 });
        return { flow_counter_id: id };
      }
      case MLX5_CMD_OP_DEALLOC_FLOW_COUNTER: return this.dealloc_flow_counter(inbox);
      case MLX5_CMD_OP_QUERY_FLOW_COUNTER: return this.query_flow_counter(inbox);
      case MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT: return this.alloc_modify_header_context(inbox);
      case MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT: return this.dealloc_modify_header_context(inbox);
      case MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT: return this.alloc_packet_reformat_context(inbox);
      case MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT: return this.dealloc_packet_reformat_context(inbox);
      case MLX5_CMD_OP_CREATE_GENERAL_OBJECT: return this.create_general_object(inbox);
      case MLX5_CMD_OP_DESTROY_GENERAL_OBJECT: return this.destroy_general_object(inbox);
      default:
        return fail(MLX5_CMD_STAT_BAD_OP_ERR, SYN.UNKNOWN_OPCODE);
    }
  }

  private table(type: FsFlowTableType, id: number): FwTable {
    const t = this.tables.get(id);
    if (!t || t.type !== type) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.NO_TABLE);
    return t;
  }

  private create_flow_table(i: CreateFlowTableIn): Partial<Mlx5CmdOut> {
    if (i.table_type !== FS_FT_FDB && i.table_type !== FS_FT_NIC_RX) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.BAD_TABLE_TYPE);
    if (i.log_size > this.opts.caps.log_max_ft_size) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.TABLE_TOO_BIG);
    const fwd = i.table_miss_action === MLX5_FLOW_TABLE_MISS_ACTION_FWD;
    if (fwd) {
      const miss = this.tables.get(i.table_miss_id);
      if (!miss || miss.type !== i.table_type) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.MISS_TABLE);
    }
    const id = this.nextId++;
    this.tables.set(id, {
      table_id: id, type: i.table_type, table_type: typeName(i.table_type), level: i.level, log_size: i.log_size,
      size: 1 << i.log_size, table_miss_action: fwd ? 'FWD' : 'DEFAULT', table_miss_id: fwd ? i.table_miss_id : 0,
      groups: new Map(), ftes: new Map(), by_start: [], ...(i.sw_owner ? { sw_owner: true } : {}),
    });
    return { table_id: id };
  }

  private destroy_flow_table(i: DestroyFlowTableIn): Partial<Mlx5CmdOut> {
    const t = this.tables.get(i.table_id);
    if (!t || t.type !== i.table_type) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_TABLE);
    if (t.groups.size > 0) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.TABLE_HAS_GROUPS);
    if (this.fteRefs.flow_table.has(t.table_id)) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.TABLE_REFERENCED);
    for (const o of this.tables.values()) {
      if (o !== t && o.table_miss_action === 'FWD' && o.table_miss_id === t.table_id) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.TABLE_REFERENCED);
    }
    this.tables.delete(t.table_id);
    return {};
  }

  private create_flow_group(i: CreateFlowGroupIn): Partial<Mlx5CmdOut> {
    const t = this.table(i.table_type, i.table_id);
    // A sw-owned table's groups and entries live in steering ICM, not in the firmware.
    if (t.sw_owner) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.SW_OWNED_TABLE);
    if (i.start_flow_index > i.end_flow_index || i.end_flow_index >= t.size) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.GROUP_RANGE);
    // The last group starting at or before the new end is the only one that can overlap it.
    const at = first_starting_after(t.by_start, i.end_flow_index);
    const below = at > 0 ? t.by_start[at - 1]! : undefined;
    if (below && below.end >= i.start_flow_index) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.GROUP_OVERLAP);
    for (const k of Object.keys(i.match_criteria)) {
      if (!(i.match_criteria_enable & fte_match_param_section_bit(k))) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.CRITERIA_ENABLE);
    }
    const id = this.nextId++;
    const g: FwGroup = {
      id, start: i.start_flow_index, end: i.end_flow_index,
      match_criteria_enable: i.match_criteria_enable, match_criteria: { ...i.match_criteria }, num_ftes: 0,
    };
    t.groups.set(id, g);
    t.by_start.splice(at, 0, g);
    return { group_id: id };
  }

  private destroy_flow_group(i: DestroyFlowGroupIn): Partial<Mlx5CmdOut> {
    const t = this.table(i.table_type, i.table_id);
    const g = t.groups.get(i.group_id);
    if (!g) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_GROUP);
    if (g.num_ftes > 0) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.GROUP_HAS_FTES);
    t.groups.delete(g.id);
    t.by_start.splice(first_starting_after(t.by_start, g.start) - 1, 1);
    return {};
  }

  private set_flow_table_entry(i: SetFlowTableEntryIn): Partial<Mlx5CmdOut> {
    const t = this.table(i.table_type, i.table_id);
    if (t.sw_owner) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.SW_OWNED_TABLE);
    const fc = i.flow_context;
    const g = t.groups.get(fc.group_id);
    if (!g) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_GROUP);
    if (i.flow_index < g.start || i.flow_index > g.end) fail(MLX5_CMD_STAT_IX_ERR, SYN.INDEX_OUT_OF_GROUP);
    const existing = t.ftes.get(i.flow_index);
    if (i.op_mod === 0 && existing) fail(MLX5_CMD_STAT_IX_ERR, SYN.INDEX_IN_USE);
    if (i.op_mod === 1 && !existing) fail(MLX5_CMD_STAT_IX_ERR, SYN.INDEX_FREE);
    if (fte_match_value_outside_criteria(fc.match_value, g.match_criteria).length > 0) {
      fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.VALUE_OUTSIDE_CRITERIA);
    }
    const fwd = (fc.action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST) !== 0;
    if (fwd && fc.destination.length === 0) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.FWD_WITHOUT_DEST);
    if (fwd && fc.action & MLX5_FLOW_CONTEXT_ACTION_DROP) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.FWD_AND_DROP);
    for (const d of fc.destination) {
      if (d.destination_type !== 'FLOW_TABLE') continue;
      const dt = this.tables.get(d.destination_id);
      if (!dt || dt.type !== t.type) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.DEST_TABLE);
      // PRM: a table may only forward to a deeper level unless ignore_flow_level is set.
      if (!i.ignore_flow_level && dt.level <= t.level) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.DEST_LEVEL);
    }
    const counters = fc.action & MLX5_FLOW_CONTEXT_ACTION_COUNT ? fc.flow_counter_id : [];
    for (const c of counters) if (!this.counterMap.has(c)) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.COUNTER);
    // A rewrite needs a context of the same table type.
    if (fc.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) {
      const m = this.modHdrMap.get(fc.modify_header_id);
      if (!m) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_MODIFY_HEADER);
      if (m.type !== t.type) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.MODIFY_HEADER_TABLE_TYPE);
    }
    if (fc.action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT) {
      const pr = this.reformatMap.get(fc.packet_reformat_id);
      if (!pr || pr.type !== t.type) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_PACKET_REFORMAT);
    }
    const aso = fc.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO ? fc.exe_aso_object_id ?? 0 : 0;
    if (fc.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO && this.objMap.get(aso)?.obj_type !== MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO) {
      fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_OBJ);
    }
    const fte: FwFte = {
      index: i.flow_index, group_id: g.id, flow_tag: fc.flow_tag, action: fc.action,
      match_value: { ...fc.match_value }, destination: fc.destination.map((d) => ({ ...d })), counters: [...counters],
      modify_header_id: fc.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR ? fc.modify_header_id : 0, exe_aso_object_id: aso,
      packet_reformat_id: fc.action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT ? fc.packet_reformat_id : 0,
    };
    if (existing) this.fte_unref(t, existing);
    t.ftes.set(i.flow_index, fte);
    this.fte_ref(t, fte, 1);
    return {};
  }

  private delete_flow_table_entry(i: DeleteFlowTableEntryIn): Partial<Mlx5CmdOut> {
    const t = this.table(i.table_type, i.table_id);
    const f = t.ftes.get(i.flow_index);
    if (!f) fail(MLX5_CMD_STAT_IX_ERR, SYN.INDEX_FREE);
    this.fte_unref(t, f);
    t.ftes.delete(i.flow_index);
    return {};
  }

  private fte_unref(t: FwTable, f: FwFte): void {
    this.fte_ref(t, f, -1);
  }

  /** Counts (delta 1) or uncounts (-1) what an FTE holds: its group's entry and the objects it references. */
  private fte_ref(t: FwTable, f: FwFte, delta: 1 | -1): void {
    t.groups.get(f.group_id)!.num_ftes += delta;
    const r = this.fteRefs;
    for (const c of f.counters) ref_count(r.counter, c, delta);
    for (const d of f.destination) if (d.destination_type === 'FLOW_TABLE') ref_count(r.flow_table, d.destination_id, delta);
    if (f.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) ref_count(r.modify_header, f.modify_header_id, delta);
    if (f.action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT) ref_count(r.packet_reformat, f.packet_reformat_id, delta);
    if (f.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO) ref_count(r.aso, f.exe_aso_object_id, delta);
  }

  private dealloc_flow_counter(i: DeallocFlowCounterIn): Partial<Mlx5CmdOut> {
    if (!this.counterMap.has(i.flow_counter_id)) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.COUNTER);
    if (this.fteRefs.counter.has(i.flow_counter_id)) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.COUNTER_IN_USE);
    // A counter action in a live STE holds it as well.
    if (this.icm.counter_in_use(i.flow_counter_id)) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.COUNTER_IN_USE);
    this.counterMap.delete(i.flow_counter_id);
    return {};
  }

  private alloc_modify_header_context(i: AllocModifyHeaderContextIn): Partial<Mlx5CmdOut> {
    if (i.table_type !== FS_FT_FDB && i.table_type !== FS_FT_NIC_RX) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.BAD_TABLE_TYPE);
    const max = this.opts.caps.max_modify_header_actions ?? 32;
    if (i.num_of_actions === 0 || i.num_of_actions > max || i.actions.length !== i.num_of_actions) {
      fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.TOO_MANY_MODIFY_ACTIONS);
    }
    const id = this.nextId++;
    this.modHdrMap.set(id, { type: i.table_type, actions: i.actions.map((a) => ({ ...a })) });
    return { modify_header_id: id };
  }

  private alloc_packet_reformat_context(i: AllocPacketReformatContextIn): Partial<Mlx5CmdOut> {
    if (i.reformat_data_size !== i.reformat_data.length / 2) fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.NO_PACKET_REFORMAT);
    const id = this.nextId++;
    this.reformatMap.set(id, { type: i.table_type, reformat_type: i.reformat_type, size: i.reformat_data_size, data: i.reformat_data });
    return { packet_reformat_id: id };
  }

  private dealloc_packet_reformat_context(i: DeallocPacketReformatContextIn): Partial<Mlx5CmdOut> {
    if (!this.reformatMap.has(i.packet_reformat_id)) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_PACKET_REFORMAT);
    if (this.fteRefs.packet_reformat.has(i.packet_reformat_id)) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.PACKET_REFORMAT_IN_USE);
    this.reformatMap.delete(i.packet_reformat_id);
    return {};
  }

  private dealloc_modify_header_context(i: DeallocModifyHeaderContextIn): Partial<Mlx5CmdOut> {
    if (!this.modHdrMap.has(i.modify_header_id)) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_MODIFY_HEADER);
    if (this.fteRefs.modify_header.has(i.modify_header_id)) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.MODIFY_HEADER_IN_USE);
    this.modHdrMap.delete(i.modify_header_id);
    return {};
  }

  private create_general_object(i: CreateGeneralObjectIn): Partial<Mlx5CmdOut> {
    if (i.obj_type !== MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO && i.obj_type !== MLX5_GENERAL_OBJECT_TYPES_SAMPLER) {
      fail(MLX5_CMD_STAT_BAD_PARAM_ERR, SYN.BAD_OBJ_TYPE);
    }
    const id = this.nextId++;
    this.objMap.set(id, { obj_id: id, obj_type: i.obj_type, log_obj_range: i.log_obj_range });
    return { obj_id: id };
  }

  private destroy_general_object(i: DestroyGeneralObjectIn): Partial<Mlx5CmdOut> {
    const o = this.objMap.get(i.obj_id);
    if (!o || o.obj_type !== i.obj_type) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.NO_OBJ);
    if (this.fteRefs.aso.has(i.obj_id)) fail(MLX5_CMD_STAT_BAD_RES_STATE_ERR, SYN.OBJ_IN_USE);
    this.objMap.delete(i.obj_id);
    return {};
  }

  private query_flow_counter(i: QueryFlowCounterIn): Partial<Mlx5CmdOut> {
    const n = Math.max(1, i.num_of_counters);
    const out: { packets: number; octets: number }[] = [];
    for (let id = i.flow_counter_id; id < i.flow_counter_id + n; id++) {
      const c = this.counterMap.get(id);
      if (!c) {
        if (i.num_of_counters === 0) fail(MLX5_CMD_STAT_BAD_RES_ERR, SYN.COUNTER);
        out.push({ packets: 0, octets: 0 });
        continue;
      }
      out.push({ packets: c.packets, octets: c.octets });
      if (i.clear) { c.packets = 0; c.octets = 0; }
    }
    return { flow_statistics: out };
  }
}

/** Adds delta to an id's count; a count back at zero is dropped, so `has` means "in use". */
function ref_count(m: Map<number, number>, id: number, delta: 1 | -1): void {
  const n = (m.get(id) ?? 0) + delta;
  if (n > 0) m.set(id, n);
  else m.delete(id);
}

/** The position of the first group starting after `index` (groups sorted by start). */
function first_starting_after(groups: FwGroup[], index: number): number {
  let lo = 0;
  let hi = groups.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (groups[mid]!.start <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function summarize(i: Mlx5CmdIn): string {
  const tt = (t: FsFlowTableType): string => typeName(t);
  switch (i.opcode) {
    case MLX5_CMD_OP_CREATE_FLOW_TABLE:
      return `${tt(i.table_type)} level=${i.level} log_size=${i.log_size}${i.sw_owner ? ' sw_owner=1' : ''}`;
    case MLX5_CMD_OP_DESTROY_FLOW_TABLE:
      return `${tt(i.table_type)} table_id=${i.table_id}`;
    case MLX5_CMD_OP_CREATE_FLOW_GROUP:
      return `table_id=${i.table_id} [${i.start_flow_index}..${i.end_flow_index}] criteria_enable=0x${i.match_criteria_enable.toString(16)}`;
    case MLX5_CMD_OP_DESTROY_FLOW_GROUP:
      return `table_id=${i.table_id} group_id=${i.group_id}`;
    case MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY:
      return `op_mod=${i.op_mod} table_id=${i.table_id} group_id=${i.flow_context.group_id} index=${i.flow_index} action=${mlx5_flow_context_action_names(i.flow_context.action).join('|')}`;
    case MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY:
      return `table_id=${i.table_id} index=${i.flow_index}`;
    case MLX5_CMD_OP_ALLOC_FLOW_COUNTER:
      return `bulk=${i.flow_counter_bulk}`;
    case MLX5_CMD_OP_DEALLOC_FLOW_COUNTER:
    case MLX5_CMD_OP_QUERY_FLOW_COUNTER:
      return `flow_counter_id=${i.flow_counter_id}`;
    case MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT:
      return `${tt(i.table_type)} num_of_actions=${i.num_of_actions} ${i.actions.map((a) => `${a.action_type.toLowerCase()} ${a.field}=0x${(a.data >>> 0).toString(16)}`).join(',')}`;
    case MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT:
      return `modify_header_id=${i.modify_header_id}`;
    case MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT:
      return `${tt(i.table_type)} reformat_type=0x${i.reformat_type.toString(16)} size=${i.reformat_data_size}`;
    case MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT:
      return `packet_reformat_id=${i.packet_reformat_id}`;
    case MLX5_CMD_OP_CREATE_GENERAL_OBJECT:
      return `obj_type=0x${i.obj_type.toString(16)} log_obj_range=${i.log_obj_range}`;
    case MLX5_CMD_OP_DESTROY_GENERAL_OBJECT:
      return `obj_type=0x${i.obj_type.toString(16)} obj_id=${i.obj_id}`;
  }
}

function okSummary(o: Mlx5CmdOut): string {
  if (o.table_id !== undefined) return `OK table_id=${o.table_id}`;
  if (o.group_id !== undefined) return `OK group_id=${o.group_id}`;
  if (o.flow_counter_id !== undefined) return `OK flow_counter_id=${o.flow_counter_id}`;
  if (o.modify_header_id !== undefined) return `OK modify_header_id=${o.modify_header_id}`;
  if (o.obj_id !== undefined) return `OK obj_id=${o.obj_id}`;
  if (o.packet_reformat_id !== undefined) return `OK packet_reformat_id=${o.packet_reformat_id}`;
  return 'OK';
}
