// include/linux/mlx5/mlx5_ifc.h: the flow-steering command layouts the mlx5
// driver sends to firmware, as typed objects keyed by opcode. Field names keep
// the ifc spelling; match parameters are a flat map keyed by the ifc path
// (e.g. 'outer_headers.dmac_47_16'), holding only non-zero fields.

export const MLX5_CMD_OP_SET_FLOW_TABLE_ROOT = 0x92f;
export const MLX5_CMD_OP_CREATE_FLOW_TABLE = 0x930;
export const MLX5_CMD_OP_DESTROY_FLOW_TABLE = 0x931;
export const MLX5_CMD_OP_QUERY_FLOW_TABLE = 0x932;
export const MLX5_CMD_OP_CREATE_FLOW_GROUP = 0x933;
export const MLX5_CMD_OP_DESTROY_FLOW_GROUP = 0x934;
export const MLX5_CMD_OP_QUERY_FLOW_GROUP = 0x935;
export const MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY = 0x936;
export const MLX5_CMD_OP_QUERY_FLOW_TABLE_ENTRY = 0x937;
export const MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY = 0x938;
export const MLX5_CMD_OP_ALLOC_FLOW_COUNTER = 0x939;
export const MLX5_CMD_OP_DEALLOC_FLOW_COUNTER = 0x93a;
export const MLX5_CMD_OP_QUERY_FLOW_COUNTER = 0x93b;
export const MLX5_CMD_OP_MODIFY_FLOW_TABLE = 0x93c;
export const MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT = 0x940;
export const MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT = 0x941;
export const MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT = 0x93d;
export const MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT = 0x93e;
export const MLX5_CMD_OP_CREATE_GENERAL_OBJECT = 0xa00;
export const MLX5_CMD_OP_DESTROY_GENERAL_OBJECT = 0xa03;

/** mlx5_command_str() (drivers/net/ethernet/mellanox/mlx5/core/cmd.c): opcode → name. */
const COMMAND_STR: Record<number, string> = {
  [MLX5_CMD_OP_SET_FLOW_TABLE_ROOT]: 'SET_FLOW_TABLE_ROOT',
  [MLX5_CMD_OP_CREATE_FLOW_TABLE]: 'CREATE_FLOW_TABLE',
  [MLX5_CMD_OP_DESTROY_FLOW_TABLE]: 'DESTROY_FLOW_TABLE',
  [MLX5_CMD_OP_QUERY_FLOW_TABLE]: 'QUERY_FLOW_TABLE',
  [MLX5_CMD_OP_CREATE_FLOW_GROUP]: 'CREATE_FLOW_GROUP',
  [MLX5_CMD_OP_DESTROY_FLOW_GROUP]: 'DESTROY_FLOW_GROUP',
  [MLX5_CMD_OP_QUERY_FLOW_GROUP]: 'QUERY_FLOW_GROUP',
  [MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY]: 'SET_FLOW_TABLE_ENTRY',
  [MLX5_CMD_OP_QUERY_FLOW_TABLE_ENTRY]: 'QUERY_FLOW_TABLE_ENTRY',
  [MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY]: 'DELETE_FLOW_TABLE_ENTRY',
  [MLX5_CMD_OP_ALLOC_FLOW_COUNTER]: 'ALLOC_FLOW_COUNTER',
  [MLX5_CMD_OP_DEALLOC_FLOW_COUNTER]: 'DEALLOC_FLOW_COUNTER',
  [MLX5_CMD_OP_QUERY_FLOW_COUNTER]: 'QUERY_FLOW_COUNTER',
  [MLX5_CMD_OP_MODIFY_FLOW_TABLE]: 'MODIFY_FLOW_TABLE',
  [MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT]: 'ALLOC_MODIFY_HEADER_CONTEXT',
  [MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT]: 'DEALLOC_MODIFY_HEADER_CONTEXT',
  [MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT]: 'ALLOC_PACKET_REFORMAT_CONTEXT',
  [MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT]: 'DEALLOC_PACKET_REFORMAT_CONTEXT',
  [MLX5_CMD_OP_CREATE_GENERAL_OBJECT]: 'CREATE_GENERAL_OBJECT',
  [MLX5_CMD_OP_DESTROY_GENERAL_OBJECT]: 'DESTROY_GENERAL_OBJECT',
};

export function mlx5_command_str(opcode: number): string {
  return COMMAND_STR[opcode] ?? 'unknown command opcode';
}

/** Opcode number for a command name (for fault injection by name). */
export function mlx5_command_opcode(name: string): number | undefined {
  for (const [k, v] of Object.entries(COMMAND_STR)) if (v === name) return Number(k);
  return undefined;
}

/** enum fs_flow_table_type / MLX5_FLOW_TABLE_TYPE_* */
export const FS_FT_NIC_RX = 0x0;
export const FS_FT_NIC_TX = 0x1;
export const FS_FT_FDB = 0x4;
export type FsFlowTableType = typeof FS_FT_NIC_RX | typeof FS_FT_NIC_TX | typeof FS_FT_FDB;

/** flow_table_context.table_miss_action */
export const MLX5_FLOW_TABLE_MISS_ACTION_DEF = 0;
export const MLX5_FLOW_TABLE_MISS_ACTION_FWD = 1;

/** flow_context.action bits (enum MLX5_FLOW_CONTEXT_ACTION_*). */
export const MLX5_FLOW_CONTEXT_ACTION_ALLOW = 0x1;
export const MLX5_FLOW_CONTEXT_ACTION_DROP = 0x2;
export const MLX5_FLOW_CONTEXT_ACTION_FWD_DEST = 0x4;
export const MLX5_FLOW_CONTEXT_ACTION_COUNT = 0x8;
export const MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT = 0x10;
export const MLX5_FLOW_CONTEXT_ACTION_DECAP = 0x20;
export const MLX5_FLOW_CONTEXT_ACTION_MOD_HDR = 0x40;
export const MLX5_FLOW_CONTEXT_ACTION_VLAN_POP = 0x80;
export const MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH = 0x100;
export const MLX5_FLOW_CONTEXT_ACTION_VLAN_POP_2 = 0x400;
export const MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH_2 = 0x800;
export const MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO = 0x4000;

const ACTION_NAMES: [number, string][] = [
  [MLX5_FLOW_CONTEXT_ACTION_ALLOW, 'ALLOW'],
  [MLX5_FLOW_CONTEXT_ACTION_DROP, 'DROP'],
  [MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, 'FWD_DEST'],
  [MLX5_FLOW_CONTEXT_ACTION_COUNT, 'COUNT'],
  [MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT, 'PACKET_REFORMAT'],
  [MLX5_FLOW_CONTEXT_ACTION_DECAP, 'DECAP'],
  [MLX5_FLOW_CONTEXT_ACTION_MOD_HDR, 'MOD_HDR'],
  [MLX5_FLOW_CONTEXT_ACTION_VLAN_POP, 'VLAN_POP'],
  [MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH, 'VLAN_PUSH'],
  [MLX5_FLOW_CONTEXT_ACTION_VLAN_POP_2, 'VLAN_POP_2'],
  [MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH_2, 'VLAN_PUSH_2'],
  [MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO, 'EXECUTE_ASO'],
];

/** Action bits as names, e.g. 0xc → ['FWD_DEST', 'COUNT']. */
export function mlx5_flow_context_action_names(action: number): string[] {
  return ACTION_NAMES.filter(([bit]) => action & bit).map(([, n]) => n);
}

/** Destination types of the destination list (MLX5_IFC_FLOW_DESTINATION_TYPE_*). */
export type Mlx5IfcDestinationType = 'VPORT' | 'FLOW_TABLE' | 'TIR' | 'FLOW_SAMPLER' | 'UPLINK';

export interface Mlx5IfcDestination {
  destination_type: Mlx5IfcDestinationType;
  destination_id: number;
  /** dest_format: vport owner vhca id, when destination_eswitch_owner_vhca_id_valid. */
  destination_eswitch_owner_vhca_id?: number;
}

// ---------------------------------------------------------------------------
// fte_match_param: the fields we model, with their bit widths and how they
// are written in a readable match map.

export type FteFieldKind = 'u' | 'mac' | 'ipv4' | 'ipv6';
export interface FteFieldDef { bits: number; kind: FteFieldKind }

const L24: Record<string, FteFieldDef> = {
  smac_47_16: { bits: 48, kind: 'mac' },
  ethertype: { bits: 16, kind: 'u' },
  dmac_47_16: { bits: 48, kind: 'mac' },
  first_prio: { bits: 3, kind: 'u' },
  first_cfi: { bits: 1, kind: 'u' },
  first_vid: { bits: 12, kind: 'u' },
  ip_protocol: { bits: 8, kind: 'u' },
  ip_dscp: { bits: 6, kind: 'u' },
  ip_ecn: { bits: 2, kind: 'u' },
  cvlan_tag: { bits: 1, kind: 'u' },
  svlan_tag: { bits: 1, kind: 'u' },
  frag: { bits: 1, kind: 'u' },
  ip_version: { bits: 4, kind: 'u' },
  tcp_flags: { bits: 9, kind: 'u' },
  tcp_sport: { bits: 16, kind: 'u' },
  tcp_dport: { bits: 16, kind: 'u' },
  ttl_hoplimit: { bits: 8, kind: 'u' },
  udp_sport: { bits: 16, kind: 'u' },
  udp_dport: { bits: 16, kind: 'u' },
  'src_ipv4_src_ipv6.ipv4_layout.ipv4': { bits: 32, kind: 'ipv4' },
  'dst_ipv4_dst_ipv6.ipv4_layout.ipv4': { bits: 32, kind: 'ipv4' },
  'src_ipv4_src_ipv6.ipv6_layout.ipv6': { bits: 128, kind: 'ipv6' },
  'dst_ipv4_dst_ipv6.ipv6_layout.ipv6': { bits: 128, kind: 'ipv6' },
};

const MISC: Record<string, FteFieldDef> = {
  source_sqn: { bits: 24, kind: 'u' },
  source_eswitch_owner_vhca_id: { bits: 16, kind: 'u' },
  source_port: { bits: 16, kind: 'u' },
  outer_second_prio: { bits: 3, kind: 'u' },
  outer_second_vid: { bits: 12, kind: 'u' },
  outer_second_cvlan_tag: { bits: 1, kind: 'u' },
  outer_second_svlan_tag: { bits: 1, kind: 'u' },
  vxlan_vni: { bits: 24, kind: 'u' },
};

const MISC2: Record<string, FteFieldDef> = {
  metadata_reg_c_0: { bits: 32, kind: 'u' },
  metadata_reg_c_1: { bits: 32, kind: 'u' },
  metadata_reg_c_2: { bits: 32, kind: 'u' },
  metadata_reg_c_3: { bits: 32, kind: 'u' },
  metadata_reg_c_4: { bits: 32, kind: 'u' },
  metadata_reg_c_5: { bits: 32, kind: 'u' },
};

const MISC3: Record<string, FteFieldDef> = {
  icmp_type: { bits: 8, kind: 'u' },
  icmp_code: { bits: 8, kind: 'u' },
  icmpv6_type: { bits: 8, kind: 'u' },
  icmpv6_code: { bits: 8, kind: 'u' },
};

function prefixed(prefix: string, defs: Record<string, FteFieldDef>): [string, FteFieldDef][] {
  return Object.entries(defs).map(([k, v]) => [`${prefix}.${k}`, v]);
}

/** Every modelled fte_match_param field by ifc path. */
export const FTE_MATCH_PARAM_FIELDS: ReadonlyMap<string, FteFieldDef> = new Map([
  ...prefixed('outer_headers', L24),
  ...prefixed('misc_parameters', MISC),
  ...prefixed('inner_headers', L24),
  ...prefixed('misc_parameters_2', MISC2),
  ...prefixed('misc_parameters_3', MISC3),
]);

/** Which match_criteria_enable bit a field path belongs to. */
export function fte_match_param_section_bit(path: string): number {
  const section = path.slice(0, path.indexOf('.'));
  switch (section) {
    case 'outer_headers': return 1 << 0;
    case 'misc_parameters': return 1 << 1;
    case 'inner_headers': return 1 << 2;
    case 'misc_parameters_2': return 1 << 3;
    case 'misc_parameters_3': return 1 << 4;
    default: throw new Error(`fte_match_param: unknown section in '${path}'`);
  }
}

/** struct mlx5_ifc_fte_match_param_bits, sparse: only non-zero fields are present. */
export type FteMatchParam = Record<string, number | string>;

function fieldDef(path: string): FteFieldDef {
  const d = FTE_MATCH_PARAM_FIELDS.get(path);
  if (!d) throw new Error(`fte_match_param: unknown field '${path}'`);
  return d;
}

function ipv6ToBig(s: string): bigint {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

function bigToIpv6(v: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (>1) of zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** A field value as an unsigned integer (bit operations on masks and values). */
export function fte_field_to_bits(path: string, v: number | string): bigint {
  const d = fieldDef(path);
  const { kind } = d;
  if (typeof v === 'number') return BigInt(v);
  // MAC and IPv4 text fits a double exactly (no cut: the text is at most the field's width).
  if ((kind === 'mac' && d.bits === 48) || (kind === 'ipv4' && d.bits === 32)) {
    const n = fte_field_to_num(d, v);
    if (n !== undefined) return BigInt(n);
  }
  switch (kind) {
    case 'mac': return BigInt(`0x${v.split(':').join('')}`);
    case 'ipv4': return v.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
    case 'ipv6': return ipv6ToBig(v);
    case 'u': return BigInt(v);
  }
}

/** The readable form of a field value (MAC/IP as text, others as numbers). */
export function fte_field_from_bits(path: string, b: bigint): number | string {
  return fte_field_from_bits_def(fieldDef(path), b);
}

function fte_field_from_bits_def(d: FteFieldDef, b: bigint): number | string {
  switch (d.kind) {
    case 'mac': return b.toString(16).padStart(12, '0').match(/../g)!.join(':');
    case 'ipv4': return [24n, 16n, 8n, 0n].map((s) => String(Number((b >> s) & 0xffn))).join('.');
    case 'ipv6': return bigToIpv6(b);
    case 'u': return Number(b);
  }
}

/**
 * A field value of at most 48 bits as an exact double, already cut to the
 * field's width; undefined when only the BigInt path can take it (IPv6,
 * wider fields, unusual text).
 */
function fte_field_to_num(d: FteFieldDef, v: number | string): number | undefined {
  if (d.bits > 48) return undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v % 2 ** d.bits : undefined;
  if (d.kind === 'mac') {
    // The hex digits with the colons dropped, at most 12 of them.
    let n = 0;
    let digits = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c === 0x3a) continue;
      const x = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (x < 0 || ++digits > 12) return undefined;
      n = n * 16 + x;
    }
    return digits > 0 ? n % 2 ** d.bits : undefined;
  }
  if (d.kind === 'ipv4') {
    // Four decimal octets (an empty one reads as 0, as Number('') does).
    let n = 0;
    let octet = 0;
    let parts = 1;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c === 0x2e) {
        n = n * 256 + octet;
        octet = 0;
        if (++parts > 4) return undefined;
      } else if (c >= 0x30 && c <= 0x39) {
        octet = octet * 10 + (c - 0x30);
        if (octet > 255) return undefined;
      } else return undefined;
    }
    return parts === 4 ? (n * 256 + octet) % 2 ** d.bits : undefined;
  }
  return undefined;
}

/** fte_field_from_bits for a value fte_field_to_num produced. */
function fte_field_from_num(d: FteFieldDef, n: number): number | string {
  switch (d.kind) {
    case 'mac': return n.toString(16).padStart(12, '0').match(/../g)!.join(':');
    case 'ipv4': return `${Math.floor(n / 2 ** 24) & 0xff}.${Math.floor(n / 2 ** 16) & 0xff}.${Math.floor(n / 2 ** 8) & 0xff}.${n & 0xff}`;
    case 'u': return n;
    case 'ipv6': return fte_field_from_bits_def(d, BigInt(n));
  }
}

/** MLX5_SET(): writes a field, dropping it when zero so maps stay sparse. */
export function MLX5_SET(p: FteMatchParam, path: string, v: number | string): void {
  const d = fieldDef(path);
  const n = fte_field_to_num(d, v);
  if (n !== undefined) {
    if (n === 0) delete p[path];
    else p[path] = fte_field_from_num(d, n);
    return;
  }
  const max = (1n << BigInt(d.bits)) - 1n;
  const b = fte_field_to_bits(path, v) & max;
  if (b === 0n) delete p[path];
  else p[path] = fte_field_from_bits(path, b);
}

/** MLX5_SET_TO_ONES() */
export function MLX5_SET_TO_ONES(p: FteMatchParam, path: string): void {
  const d = fieldDef(path);
  p[path] = d.bits <= 48 ? fte_field_from_num(d, 2 ** d.bits - 1) : fte_field_from_bits(path, (1n << BigInt(d.bits)) - 1n);
}

/** MLX5_GET() */
export function MLX5_GET(p: FteMatchParam, path: string): bigint {
  const v = p[path];
  return v === undefined ? 0n : fte_field_to_bits(path, v);
}

/** Fields of `value` with bits outside `criteria` (empty when consistent). */
export function fte_match_value_outside_criteria(value: FteMatchParam, criteria: FteMatchParam): string[] {
  return Object.keys(value).filter((k) => {
    const v = value[k]!;
    const c = criteria[k] ?? 0;
    if (v === c) return false;
    // Both plain 32-bit numbers: the test in number arithmetic.
    if (typeof v === 'number' && typeof c === 'number' && v >= 0 && v <= 0xffffffff && c >= 0 && c <= 0xffffffff
      && Number.isInteger(v) && Number.isInteger(c)) return ((v & ~c) >>> 0) !== 0;
    return (MLX5_GET(value, k) & ~MLX5_GET(criteria, k)) !== 0n;
  });
}

/**
 * A text that two masks share exactly when fte_match_param_equal holds for
 * them (same fields, same bits): the key of a hash of groups by mask.
 */
export function fte_match_param_key(p: FteMatchParam): string {
  let s = '';
  for (const k of Object.keys(p).sort()) {
    const v = p[k]!;
    s += typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? `${k}=${v.toString(16)};` : `${k}=${MLX5_GET(p, k).toString(16)};`;
  }
  return s;
}

/** Two masks equal field by field (zero fields are absent on both sides). */
export function fte_match_param_equal(a: FteMatchParam, b: FteMatchParam): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && (a[k] === b[k] || MLX5_GET(a, k) === MLX5_GET(b, k)));
}

// ---------------------------------------------------------------------------
// Command inboxes, keyed by opcode.

interface CmdInHdr { uid?: number; op_mod: number }

export interface CreateFlowTableIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_CREATE_FLOW_TABLE;
  table_type: FsFlowTableType;
  vport_number: number;
  other_vport: boolean;
  /** flow_table_context */
  level: number;
  log_size: number;
  table_miss_action: number;
  table_miss_id: number;
  decap_en: boolean;
  reformat_en: boolean;
  termination_table: boolean;
  /** sw_owner: steering ICM owned by the driver (SMFS); the table starts at these STE anchors. */
  sw_owner?: boolean;
  icm_address_rx?: number;
  icm_address_tx?: number;
}

export interface DestroyFlowTableIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_DESTROY_FLOW_TABLE;
  table_type: FsFlowTableType;
  table_id: number;
  vport_number: number;
}

export interface CreateFlowGroupIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_CREATE_FLOW_GROUP;
  table_type: FsFlowTableType;
  table_id: number;
  vport_number: number;
  start_flow_index: number;
  end_flow_index: number;
  match_criteria_enable: number;
  match_criteria: FteMatchParam;
}

export interface DestroyFlowGroupIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_DESTROY_FLOW_GROUP;
  table_type: FsFlowTableType;
  table_id: number;
  group_id: number;
  vport_number: number;
}

/** struct mlx5_ifc_flow_context_bits (the parts we model) */
export interface Mlx5IfcFlowContext {
  group_id: number;
  flow_tag: number;
  /** flow_source: 0 any, 1 uplink, 2 local vport */
  flow_source: number;
  action: number;
  modify_header_id: number;
  packet_reformat_id: number;
  destination: Mlx5IfcDestination[];
  flow_counter_id: number[];
  match_value: FteMatchParam;
  /** push_vlan / push_vlan_2 (with VLAN_PUSH / VLAN_PUSH_2): ethtype, vid, prio. */
  push_vlan?: { vlan_ethtype: number; vid: number; prio: number }[];
  /** execute_aso[0] with EXECUTE_ASO: the flow-meter object id. */
  exe_aso_object_id?: number;
}

export interface SetFlowTableEntryIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY;
  /** 0 = create a new FTE, 1 = modify an existing one */
  op_mod: 0 | 1;
  modify_enable_mask: number;
  table_type: FsFlowTableType;
  table_id: number;
  vport_number: number;
  ignore_flow_level: boolean;
  flow_index: number;
  flow_context: Mlx5IfcFlowContext;
}

export interface DeleteFlowTableEntryIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY;
  table_type: FsFlowTableType;
  table_id: number;
  vport_number: number;
  flow_index: number;
}

export interface AllocFlowCounterIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_ALLOC_FLOW_COUNTER;
  /** flow_counter_bulk (log of the bulk size / 128 in newer FW); 0 = one counter */
  flow_counter_bulk: number;
}

export interface DeallocFlowCounterIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_DEALLOC_FLOW_COUNTER;
  flow_counter_id: number;
}

export interface QueryFlowCounterIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_QUERY_FLOW_COUNTER;
  flow_counter_id: number;
  /** 0 = the single counter; N = a bulk of N starting at flow_counter_id */
  num_of_counters: number;
  clear: boolean;
}

export type Mlx5CmdIn =
  | CreateFlowTableIn | DestroyFlowTableIn
  | CreateFlowGroupIn | DestroyFlowGroupIn
  | SetFlowTableEntryIn | DeleteFlowTableEntryIn
  | AllocFlowCounterIn | DeallocFlowCounterIn | QueryFlowCounterIn
  | AllocModifyHeaderContextIn | DeallocModifyHeaderContextIn
  | CreateGeneralObjectIn | DestroyGeneralObjectIn
  | AllocPacketReformatContextIn | DeallocPacketReformatContextIn;

/** struct mlx5_ifc_mbox_out_bits plus the per-command output fields. */
export interface Mlx5CmdOut {
  status: number;
  syndrome: number;
  table_id?: number;
  group_id?: number;
  flow_counter_id?: number;
  /** QUERY_FLOW_COUNTER: one traffic_counter per queried counter */
  flow_statistics?: { packets: number; octets: number }[];
  /** ALLOC_MODIFY_HEADER_CONTEXT */
  modify_header_id?: number;
  /** CREATE_GENERAL_OBJECT (general_obj_out_cmd_hdr.obj_id) */
  obj_id?: number;
  /** ALLOC_PACKET_REFORMAT_CONTEXT */
  packet_reformat_id?: number;
}

// ---------------------------------------------------------------------------
// Modify-header contexts and general objects (appended).

/** One modify-header action (set_action_in / add_action_in); field is MLX5_ACTION_IN_FIELD_* without the prefix. */
export interface Mlx5IfcModifyAction {
  action_type: 'SET' | 'ADD';
  field: string;
  data: number;
  /** set_action_in offset/length in bits (register writes); absent = whole field. */
  offset?: number;
  length?: number;
}

export interface AllocModifyHeaderContextIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT;
  table_type: FsFlowTableType;
  num_of_actions: number;
  actions: Mlx5IfcModifyAction[];
}

export interface DeallocModifyHeaderContextIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT;
  modify_header_id: number;
}

/** MLX5_GENERAL_OBJECT_TYPES_* (include/linux/mlx5/mlx5_ifc.h) */
export const MLX5_GENERAL_OBJECT_TYPES_SAMPLER = 0x20;
export const MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO = 0x24;

export interface CreateGeneralObjectIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_CREATE_GENERAL_OBJECT;
  /** general_obj_in_cmd_hdr.obj_type */
  obj_type: number;
  /** general_obj_in_cmd_hdr.log_obj_range: a bulk of 1 << n objects. */
  log_obj_range: number;
}

export interface DestroyGeneralObjectIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_DESTROY_GENERAL_OBJECT;
  obj_type: number;
  obj_id: number;
}

// ---------------------------------------------------------------------------
// Packet reformat contexts (appended): the encapsulation header a rule prepends.

export interface AllocPacketReformatContextIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT;
  table_type: FsFlowTableType;
  /** packet_reformat_context_in: MLX5_REFORMAT_TYPE_*, reformat_param_0, reformat_data_size, reformat_data (hex) */
  reformat_type: number;
  reformat_param_0: number;
  reformat_data_size: number;
  reformat_data: string;
}

export interface DeallocPacketReformatContextIn extends CmdInHdr {
  opcode: typeof MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT;
  packet_reformat_id: number;
}
