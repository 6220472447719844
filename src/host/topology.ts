// Host topologies: YAML documents describing the NICs, their netdevs and the
// OVS bridges of one emulated host. Loading checks the schema and reports
// problems with file:line:col.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode, type Document } from 'yaml';

export interface Mlx5Caps {
  /** flow_table_properties_*.ignore_flow_level (chains and prios beyond 0/1). */
  ignore_flow_level: boolean;
  /** ft_field_support.outer_ipv4_ttl (TTL matching). */
  outer_ipv4_ttl: boolean;
  /** ft_field_support.outer_second_vid (CVLAN matching). */
  outer_second_vid: boolean;
  /** flex parser for ICMP/ICMPv6 type/code. */
  flex_parser_icmp: boolean;
  /** log2 of the largest flow table the device allows. */
  log_max_ft_size: number;
  /** device_mem_cap log_steering_sw_icm_size: log2 bytes of steering ICM for SMFS STEs (64 B each); default 26. */
  log_steering_sw_icm_size?: number;
  /** FDB sw_owner / sw_owner_v2: software-managed steering (flow_steering_mode smfs) possible; default true. */
  sw_owner?: boolean;
  /** MLX5_CAP_GEN(vport_group_manager) on an Ethernet PF: the function manages an eswitch (switchdev possible); default true. */
  eswitch_manager?: boolean;
  /** MLX5_CAP_ESW(vxlan_encap_decap): VXLAN tunnel offload; default true. */
  vxlan_encap_decap?: boolean;
  /** ft_field_support.outer_vxlan_vni (FDB): matching the VNI; default true. */
  outer_vxlan_vni?: boolean;
  /** MLX5_CAP_ESW_FLOWTABLE(fdb_modify_header_fwd_to_table): an FDB rule may rewrite and go to a table (CT needs it); default true. */
  fdb_modify_header_fwd_to_table?: boolean;
  /** MLX5_CAP_ESW_FLOWTABLE(fdb_to_vport_reg_c_id) has REG_C_1: register loopback in switchdev (CT needs it); default true. */
  reg_c1_loopback?: boolean;
  /** MLX5_CAP_ESW_FLOWTABLE_FDB(fdb_multi_path_to_table): a mirror before a rewrite splits into a forward rule; default true. */
  fdb_multi_path_to_table?: boolean;
}

export interface Mlx5DeviceSpec {
  pci: string;
  model: string;
  eswitch_mode: 'legacy' | 'switchdev';
  /**
   * The devlink flow_steering_mode set before the eswitch entered switchdev;
   * absent = the driver's default (smfs when caps.sw_owner, else dmfs).
   */
  flow_steering_mode?: 'dmfs' | 'smfs';
  num_vfs: number;
  uplink: string;
  representors: string[];
  caps: Mlx5Caps;
}

export interface OvsPortSpec {
  name: string;
  /** Datapath (odp) port number. */
  port: number;
  type?: 'system' | 'internal' | 'vxlan';
  /** Interface options (options:remote_ip=flow, options:key=flow, options:dst_port=4789, ...). */
  options?: Record<string, string>;
}

export interface OvsBridgeSpec {
  name: string;
  ports: OvsPortSpec[];
}

export interface Topology {
  name: string;
  devices: Mlx5DeviceSpec[];
  ovs: { other_config: Record<string, string>; bridges: OvsBridgeSpec[] };
}

/** A topology file problem; the message names file:line:col, the stack adds nothing. */
export class TopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopologyError';
    this.stack = `${this.name}: ${message}`;
  }
}

const DEFAULT_CAPS: Required<Mlx5Caps> = {
  ignore_flow_level: true,
  outer_ipv4_ttl: true,
  outer_second_vid: true,
  flex_parser_icmp: true,
  log_max_ft_size: 23,
  log_steering_sw_icm_size: 26,
  sw_owner: true,
  eswitch_manager: true,
  vxlan_encap_decap: true,
  outer_vxlan_vni: true,
  fdb_modify_header_fwd_to_table: true,
  reg_c1_loopback: true,
  fdb_multi_path_to_table: true,
};

type Where = (n: YamlNode | null | undefined) => string;

function fail(where: string, msg: string): never {
  throw new TopologyError(`${where}: ${msg}`);
}

function mapOf(node: YamlNode | null | undefined, at: Where, what: string, keys: readonly string[]): Map<string, YamlNode> {
  if (!isMap(node)) fail(at(node), `${what} must be a mapping`);
  const out = new Map<string, YamlNode>();
  for (const pair of node.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!keys.includes(k)) fail(at(pair.key as YamlNode), `unknown key '${k}' in ${what} (expected one of: ${keys.join(', ')})`);
    out.set(k, pair.value as YamlNode);
  }
  return out;
}

function str(node: YamlNode | undefined, at: Where, what: string, def?: string): string {
  if (node === undefined || node === null) {
    if (def !== undefined) return def;
    fail(at(node), `${what} is required`);
  }
  if (!isScalar(node) || typeof node.value !== 'string') fail(at(node), `${what} must be a string`);
  return node.value;
}

function int(node: YamlNode | undefined, at: Where, what: string, def?: number): number {
  if (node === undefined || node === null) {
    if (def !== undefined) return def;
    fail(at(node), `${what} is required`);
  }
  if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < 0) {
    fail(at(node), `${what} must be a non-negative integer`);
  }
  return node.value;
}

function bool(node: YamlNode | undefined, at: Where, what: string, def: boolean): boolean {
  if (node === undefined || node === null) return def;
  if (!isScalar(node) || typeof node.value !== 'boolean') fail(at(node), `${what} must be true or false`);
  return node.value;
}

function oneOf<T extends string>(node: YamlNode | undefined, at: Where, what: string, values: readonly T[], def: T): T {
  const s = str(node, at, what, def);
  if (!(values as readonly string[]).includes(s)) fail(at(node), `${what} must be one of ${values.join(', ')}, got '${s}'`);
  return s as T;
}

function seqOf(node: YamlNode | undefined, at: Where, what: string): YamlNode[] {
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) fail(at(node), `${what} must be a list`);
  return node.items as YamlNode[];
}

function parseDevice(node: YamlNode, outer: Where): Mlx5DeviceSpec {
  // A required key that is missing is reported at the device it is missing from.
  const at: Where = (n) => outer(n ?? node);
  const m = mapOf(node, at, 'device', ['pci', 'model', 'eswitch_mode', 'flow_steering_mode', 'num_vfs', 'uplink', 'representors', 'caps']);
  const pci = str(m.get('pci'), at, 'pci');
  if (!/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/.test(pci)) fail(at(m.get('pci')), `pci must look like 0000:08:00.0, got '${pci}'`);
  const caps = m.get('caps');
  const c = caps === undefined ? new Map<string, YamlNode>() : mapOf(caps, at, 'caps', Object.keys(DEFAULT_CAPS));
  const spec: Mlx5DeviceSpec = {
    pci,
    model: str(m.get('model'), at, 'model', 'ConnectX-6 Dx'),
    eswitch_mode: oneOf(m.get('eswitch_mode'), at, 'eswitch_mode', ['legacy', 'switchdev'] as const, 'switchdev'),
    ...(m.get('flow_steering_mode') === undefined ? {} : { flow_steering_mode: oneOf(m.get('flow_steering_mode'), at, 'flow_steering_mode', ['dmfs', 'smfs'] as const, 'dmfs') }),
    num_vfs: int(m.get('num_vfs'), at, 'num_vfs', 0),
    uplink: str(m.get('uplink'), at, 'uplink'),
    representors: seqOf(m.get('representors'), at, 'representors').map((n) => str(n, at, 'representor name')),
    caps: {
      ignore_flow_level: bool(c.get('ignore_flow_level'), at, 'caps.ignore_flow_level', DEFAULT_CAPS.ignore_flow_level),
      outer_ipv4_ttl: bool(c.get('outer_ipv4_ttl'), at, 'caps.outer_ipv4_ttl', DEFAULT_CAPS.outer_ipv4_ttl),
      outer_second_vid: bool(c.get('outer_second_vid'), at, 'caps.outer_second_vid', DEFAULT_CAPS.outer_second_vid),
      flex_parser_icmp: bool(c.get('flex_parser_icmp'), at, 'caps.flex_parser_icmp', DEFAULT_CAPS.flex_parser_icmp),
      log_max_ft_size: int(c.get('log_max_ft_size'), at, 'caps.log_max_ft_size', DEFAULT_CAPS.log_max_ft_size),
      sw_owner: bool(c.get('sw_owner'), at, 'caps.sw_owner', DEFAULT_CAPS.sw_owner),
      log_steering_sw_icm_size: int(c.get('log_steering_sw_icm_size'), at, 'caps.log_steering_sw_icm_size', DEFAULT_CAPS.log_steering_sw_icm_size),
      eswitch_manager: bool(c.get('eswitch_manager'), at, 'caps.eswitch_manager', DEFAULT_CAPS.eswitch_manager),
      vxlan_encap_decap: bool(c.get('vxlan_encap_decap'), at, 'caps.vxlan_encap_decap', DEFAULT_CAPS.vxlan_encap_decap),
      outer_vxlan_vni: bool(c.get('outer_vxlan_vni'), at, 'caps.outer_vxlan_vni', DEFAULT_CAPS.outer_vxlan_vni),
      fdb_modify_header_fwd_to_table: bool(c.get('fdb_modify_header_fwd_to_table'), at, 'caps.fdb_modify_header_fwd_to_table', DEFAULT_CAPS.fdb_modify_header_fwd_to_table),
      reg_c1_loopback: bool(c.get('reg_c1_loopback'), at, 'caps.reg_c1_loopback', DEFAULT_CAPS.reg_c1_loopback),
      fdb_multi_path_to_table: bool(c.get('fdb_multi_path_to_table'), at, 'caps.fdb_multi_path_to_table', DEFAULT_CAPS.fdb_multi_path_to_table),
    },
  };
  if (spec.eswitch_mode === 'switchdev' && spec.caps.eswitch_manager === false) {
    fail(at(m.get('eswitch_mode')), 'eswitch_mode switchdev needs an eswitch manager, and caps.eswitch_manager is false');
  }
  // core/fs_core.c mlx5_fs_mode_validate (v6.18): smfs needs the sw_owner caps.
  if (spec.flow_steering_mode === 'smfs' && spec.caps.sw_owner === false) {
    fail(at(m.get('flow_steering_mode')), 'flow_steering_mode smfs needs caps.sw_owner (Software managed steering is not supported by current device)');
  }
  if (spec.representors.length > spec.num_vfs) {
    fail(at(m.get('representors')), `${spec.representors.length} representors but only ${spec.num_vfs} VFs`);
  }
  if (spec.eswitch_mode === 'legacy' && spec.representors.length > 0) {
    fail(at(m.get('representors')), 'VF representors exist only in switchdev mode');
  }
  return spec;
}

function parseBridge(node: YamlNode, outer: Where): OvsBridgeSpec {
  const at: Where = (n) => outer(n ?? node);
  const m = mapOf(node, at, 'bridge', ['name', 'ports']);
  const ports = seqOf(m.get('ports'), at, 'ports').map((p) => {
    const pm = mapOf(p, at, 'port', ['name', 'port', 'type', 'options']);
    const atp: Where = (n) => at(n ?? p);
    const spec: OvsPortSpec = {
      name: str(pm.get('name'), atp, 'port name'),
      port: int(pm.get('port'), atp, 'port number'),
      type: oneOf(pm.get('type'), atp, 'port type', ['system', 'internal', 'vxlan'] as const, 'system'),
    };
    const opts = pm.get('options');
    if (opts !== undefined && opts !== null) {
      if (!isMap(opts)) fail(atp(opts), 'port options must be a mapping');
      spec.options = {};
      for (const pair of opts.items) {
        if (!isScalar(pair.value)) fail(atp(pair.value as YamlNode), 'port option values must be scalars');
        spec.options[String(isScalar(pair.key) ? pair.key.value : '')] = String(pair.value.value);
      }
    }
    return spec;
  });
  return { name: str(m.get('name'), at, 'bridge name'), ports };
}

/** Parses a topology document; `file` names it in errors. */
// Parsed topologies by file name and text: every scenario builds its host from
// one, and parsing YAML costs more than the rest of a small scenario. A hit is
// a deep copy, so callers may edit theirs (setDeviceCap); only successes are kept.
const parsed = new Map<string, Topology>();
const PARSED_MAX = 16;

export function parseTopology(text: string, file: string): Topology {
  const k = `${file}\0${text}`;
  let t = parsed.get(k);
  if (!t) {
    t = parseTopologyText(text, file);
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(k, t);
  }
  return structuredClone(t);
}

function parseTopologyText(text: string, file: string): Topology {
  const lc = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const at: Where = (n) => {
    // A missing node is reported at the document it is missing from.
    const off = (n ?? (doc.contents as YamlNode | null))?.range?.[0];
    if (off === undefined) return `${file}:1:1`;
    const { line, col } = lc.linePos(off);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = lc.linePos(e.pos[0]);
    throw new TopologyError(`${file}:${line}:${col}: ${e.message.split('\n')[0]}`);
  }
  const root = mapOf(doc.contents as YamlNode, at, 'topology', ['name', 'devices', 'ovs']);
  const devices = seqOf(root.get('devices'), at, 'devices').map((d) => parseDevice(d, at));
  const ovsNode = root.get('ovs');
  const ovs = ovsNode === undefined ? new Map<string, YamlNode>() : mapOf(ovsNode, at, 'ovs', ['other_config', 'bridges']);
  const oc: Record<string, string> = {};
  const ocNode = ovs.get('other_config');
  if (ocNode !== undefined && ocNode !== null) {
    for (const [k, v] of mapOf(ocNode, at, 'other_config', [
      'hw-offload', 'tc-policy', 'max-idle', 'n-offload-threads', 'offload-rebalance',
    ])) {
      if (!isScalar(v)) fail(at(v), `other_config:${k} must be a scalar`);
      oc[k] = String(v.value);
    }
  }
  const bridges = seqOf(ovs.get('bridges'), at, 'bridges').map((b) => parseBridge(b, at));
  const netdevs = new Set(devices.flatMap((d) => [d.uplink, ...d.representors]));
  bridges.forEach((b, bi) => {
    b.ports.forEach((p, pi) => {
      if (p.type !== 'internal' && p.type !== 'vxlan' && !netdevs.has(p.name)) {
        // Name the port's own line and column, like every other topology error.
        const node = doc.getIn(['ovs', 'bridges', bi, 'ports', pi, 'name'], true) as YamlNode | undefined;
        throw new TopologyError(`${at(node)}: bridge ${b.name} port ${p.name} is not a netdev of any device (${[...netdevs].join(', ') || 'none'})`);
      }
    });
  });
  return { name: str(root.get('name'), at, 'name', file), devices, ovs: { other_config: oc, bridges } };
}

export const DEFAULT_TOPOLOGY_FILE = join(__dirname, 'default-topology.yaml');

export function loadTopology(file: string): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TopologyError(`${file}: cannot read topology (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseTopology(text, file);
}

export function defaultTopology(): Topology {
  return parseTopology(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'), 'default-topology.yaml');
}

/** The boolean device caps a scenario can take away (or give back). */
export const MLX5_BOOL_CAPS = ['ignore_flow_level', 'outer_ipv4_ttl', 'outer_second_vid', 'flex_parser_icmp', 'sw_owner', 'vxlan_encap_decap', 'outer_vxlan_vni', 'fdb_modify_header_fwd_to_table', 'reg_c1_loopback', 'fdb_multi_path_to_table'] as const;
export type Mlx5BoolCap = (typeof MLX5_BOOL_CAPS)[number];

function onlyDevice(t: Topology): Mlx5DeviceSpec {
  if (t.devices.length !== 1) throw new TopologyError(`${t.name}: ${t.devices.length} devices, say which one`);
  return t.devices[0]!;
}

/** Sets one boolean cap of the topology's only device ("a NIC without ignore_flow_level"). */
export function setDeviceCap(t: Topology, cap: string, value: boolean): void {
  if (!(MLX5_BOOL_CAPS as readonly string[]).includes(cap)) {
    throw new TopologyError(`unknown device cap '${cap}' (expected one of: ${MLX5_BOOL_CAPS.join(', ')})`);
  }
  onlyDevice(t).caps[cap as Mlx5BoolCap] = value;
}

/** Sets the devlink flow_steering_mode the only device had before switchdev (core/fs_core.c mlx5_fs_mode_validate refusals apply). */
export function setDeviceFlowSteeringMode(t: Topology, mode: string): void {
  if (mode !== 'dmfs' && mode !== 'smfs') throw new TopologyError(`flow_steering_mode must be dmfs or smfs, got '${mode}'`);
  const d = onlyDevice(t);
  if (mode === 'smfs' && d.caps.sw_owner === false) throw new TopologyError('flow_steering_mode smfs needs caps.sw_owner');
  d.flow_steering_mode = mode;
}

/** Sets log_steering_sw_icm_size (bytes of SMFS steering ICM, log2) of the only device. */
export function setDeviceLogSteeringSwIcmSize(t: Topology, log: number): void {
  if (!Number.isInteger(log) || log < 6 || log > 40) throw new TopologyError(`log_steering_sw_icm_size must be 6..40, got ${log}`);
  onlyDevice(t).caps.log_steering_sw_icm_size = log;
}

/** Sets log_max_ft_size (NIC RX and FDB) of the topology's only device. */
export function setDeviceLogMaxFtSize(t: Topology, log: number): void {
  if (!Number.isInteger(log) || log < 0 || log > 31) throw new TopologyError(`log_max_ft_size must be 0..31, got ${log}`);
  onlyDevice(t).caps.log_max_ft_size = log;
}

/**
 * Gives the only device N VFs: representors beyond N disappear, and so do
 * the OVS ports that named them.
 */
export function setDeviceNumVfs(t: Topology, n: number): void {
  const d = onlyDevice(t);
  d.num_vfs = n;
  if (d.eswitch_mode === 'legacy') return;
  const gone = new Set(d.representors.slice(n));
  d.representors = d.representors.slice(0, n);
  for (const b of t.ovs.bridges) b.ports = b.ports.filter((p) => !gone.has(p.name));
}

/** Puts the only device in legacy (NIC) mode: no representors, and no OVS ports for them. */
export function setDeviceLegacy(t: Topology): void {
  const d = onlyDevice(t);
  const gone = new Set(d.representors);
  d.eswitch_mode = 'legacy';
  d.representors = [];
  for (const b of t.ovs.bridges) b.ports = b.ports.filter((p) => !gone.has(p.name));
}
