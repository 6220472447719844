// lib/netdev-offload.c (v3.6.3): the flow API provider registry, the odp
// port -> netdev map, the once-per-process hw-offload switch, and dispatch of
// flow put/del to the provider bound to a netdev.
import { EEXIST, ENOENT, EOPNOTSUPP } from '../../kernel/include/uapi/asm-generic/errno';
import { hop } from '../../trace/hop';
import { errno_text, type OvsProcess } from './ovs-process';
import type { Match } from './match';
import type { Ufid } from './odp-util';
import type { DpifFlowAttrs, DpifFlowStats } from './dpif';
import { netdev_get_ifindex, type Netdev } from './netdev';
import { tc_set_policy, TC_POLICY_DEFAULT } from './tc';

/** struct offload_info */
export interface OffloadInfo {
  /** dpif->user_features has OVS_DP_F_TC_RECIRC_SHARING. */
  recirc_id_shared_with_tc: boolean;
  /** Out: the provider deleted the flow's old rule during a modify. */
  tc_modify_flow_deleted: boolean;
}

/** A flow a provider reports from a dump or get (match form). */
export interface NetdevFlow {
  match: Match;
  actions: Uint8Array;
  stats: DpifFlowStats;
  attrs: DpifFlowAttrs;
  ufid: Ufid;
}

/** struct netdev_flow_dump: a provider's dump of one port. */
export interface NetdevFlowDump {
  netdev: Netdev;
  /** The odp port number of the dumped netdev. */
  port: number;
}

/** struct netdev_flow_api: what a provider implements. */
export interface NetdevFlowApi<D extends NetdevFlowDump = NetdevFlowDump> {
  readonly type: string;
  flow_flush?(p: OvsProcess, netdev: Netdev): number;
  flow_dump_create?(p: OvsProcess, netdev: Netdev, terse: boolean): { error: number; dump?: D };
  flow_dump_next?(p: OvsProcess, dump: D): NetdevFlow | null;
  flow_put(p: OvsProcess, netdev: Netdev, match: Match, actions: Uint8Array, ufid: Ufid, info: OffloadInfo): number;
  flow_get?(p: OvsProcess, netdev: Netdev, ufid: Ufid): { error: number; flow?: NetdevFlow };
  flow_del(p: OvsProcess, netdev: Netdev, ufid: Ufid, stats?: DpifFlowStats): number;
  init_flow_api(p: OvsProcess, netdev: Netdev): number;
  flow_get_n_flows?(p: OvsProcess, netdev: Netdev): number;
}

interface PortToNetdev {
  netdev: Netdev;
  port_no: number;
  ifindex: number;
}

interface NetdevOffloadStatics {
  flow_apis: NetdevFlowApi[];
  netdev_flow_api_enabled: boolean;
  /** The ovsthread_once of netdev_set_flow_api_enabled. */
  enabled_once_done: boolean;
  offload_rebalance_policy: boolean;
  port_to_netdev: PortToNetdev[];
}

function statics(p: OvsProcess): NetdevOffloadStatics {
  return p.static_of('lib/netdev-offload.c', () => ({
    flow_apis: [], netdev_flow_api_enabled: false, enabled_once_done: false,
    offload_rebalance_policy: false, port_to_netdev: [],
  }));
}

/** netdev_register_flow_api_provider: add a provider to this process's registry. */
export const netdev_register_flow_api_provider = hop('lib/netdev-offload.c', function netdev_register_flow_api_provider(
  p: OvsProcess, api: NetdevFlowApi,
): number {
  const s = statics(p);
  if (s.flow_apis.some((a) => a.type === api.type)) {
    p.vlog.warn('netdev_offload', `${api.type}: flow API already registered`);
    return EEXIST;
  }
  s.flow_apis.push(api);
  p.vlog.dbg('netdev_offload', `netdev: flow API '${api.type}' registered.`);
  return 0;
}, { input: (_p, api) => api.type, errno: (e) => -e, result: errno_text });

export function netdev_is_flow_api_enabled(p: OvsProcess): boolean {
  return statics(p).netdev_flow_api_enabled;
}

export function netdev_is_offload_rebalance_policy_enabled(p: OvsProcess): boolean {
  return statics(p).offload_rebalance_policy;
}

/** netdev_assign_flow_api: the first provider whose init accepts the netdev. */
export const netdev_assign_flow_api = hop('lib/netdev-offload.c', function netdev_assign_flow_api(p: OvsProcess, netdev: Netdev): number {
  for (const api of statics(p).flow_apis) {
    if (!api.init_flow_api(p, netdev)) {
      netdev.flow_api = api;
      p.vlog.info('netdev_offload', `${netdev.name}: Assigned flow API '${api.type}'.`);
      return 0;
    }
    p.vlog.dbg('netdev_offload', `${netdev.name}: flow API '${api.type}' is not suitable.`);
  }
  p.vlog.info('netdev_offload', `${netdev.name}: No suitable flow API found.`);
  return -1;
}, { input: (_p, netdev) => netdev.name });

/** netdev_init_flow_api: bind a provider, only once offload is enabled. */
export const netdev_init_flow_api = hop('lib/netdev-offload.c', function netdev_init_flow_api(p: OvsProcess, netdev: Netdev): number {
  if (!netdev_is_flow_api_enabled(p)) return EOPNOTSUPP;
  if (netdev.flow_api) return 0;
  return netdev_assign_flow_api(p, netdev) ? EOPNOTSUPP : 0;
}, { input: (_p, netdev) => netdev.name, errno: (e) => -e, result: errno_text });

/** netdev_ports_insert: map (odp port, dpif type) -> netdev, then init its flow API. */
export const netdev_ports_insert = hop('lib/netdev-offload.c', function netdev_ports_insert(
  p: OvsProcess, netdev: Netdev, port_no: number,
): number {
  const s = statics(p);
  const ifindex = netdev_get_ifindex(p, netdev);
  if (netdev_ports_get(p, port_no, netdev.dpif_type)) return EEXIST;
  s.port_to_netdev.push({ netdev, port_no, ifindex: ifindex >= 0 ? ifindex : -1 });
  netdev_init_flow_api(p, netdev);
  return 0;
}, { input: (_p, netdev, port_no) => `${netdev.name} port ${port_no}`, errno: (e) => -e, result: errno_text });

/**
 * netdev_ports_remove: forget the port's netdev (netdev_uninit_flow_api:
 * linux_tc has no uninit hook, so its filters and qdisc stay on the device).
 */
export const netdev_ports_remove = hop('lib/netdev-offload.c', function netdev_ports_remove(
  p: OvsProcess, port_no: number, dpif_type: string,
): number {
  const s = statics(p);
  const i = s.port_to_netdev.findIndex((d) => d.port_no === port_no && d.netdev.dpif_type === dpif_type);
  if (i < 0) return ENOENT;
  const [d] = s.port_to_netdev.splice(i, 1);
  d!.netdev.flow_api = undefined;
  return 0;
}, { input: (_p, port_no) => `port ${port_no}`, errno: (e) => -e, result: errno_text });

/** netdev_ports_get: the netdev of an odp port in a datapath type. */
export function netdev_ports_get(p: OvsProcess, port_no: number, dpif_type: string): Netdev | undefined {
  return statics(p).port_to_netdev.find((d) => d.port_no === port_no && d.netdev.dpif_type === dpif_type)?.netdev;
}

/** netdev_ifindex_to_odp_port */
export function netdev_ifindex_to_odp_port(p: OvsProcess, ifindex: number): number | undefined {
  return statics(p).port_to_netdev.find((d) => d.ifindex === ifindex)?.port_no;
}

/** All mapped ports, in insertion order. */
export function netdev_ports_list(p: OvsProcess): readonly { netdev: Netdev; port_no: number }[] {
  return statics(p).port_to_netdev;
}

/** netdev_flow_api_equals */
export function netdev_flow_api_equals(a: Netdev, b: Netdev): boolean {
  return a.flow_api !== undefined && a.flow_api === b.flow_api;
}

/** netdev_flow_put: the netdev's provider, or EOPNOTSUPP without one. */
export const netdev_flow_put = hop('lib/netdev-offload.c', function netdev_flow_put(
  p: OvsProcess, netdev: Netdev, match: Match, actions: Uint8Array, ufid: Ufid, info: OffloadInfo,
): number {
  return netdev.flow_api ? netdev.flow_api.flow_put(p, netdev, match, actions, ufid, info) : EOPNOTSUPP;
}, { input: (_p, netdev) => `${netdev.name} flow_api=${netdev.flow_api?.type ?? 'none'}`, errno: (e) => -e, result: errno_text });

/** netdev_flow_del */
export const netdev_flow_del = hop('lib/netdev-offload.c', function netdev_flow_del(
  p: OvsProcess, netdev: Netdev, ufid: Ufid, stats?: DpifFlowStats,
): number {
  return netdev.flow_api ? netdev.flow_api.flow_del(p, netdev, ufid, stats) : EOPNOTSUPP;
}, { input: (_p, netdev) => netdev.name, errno: (e) => -e, result: errno_text });

/** netdev_ports_flow_del: the first port of the dpif type that deletes it wins. */
export const netdev_ports_flow_del = hop('lib/netdev-offload.c', function netdev_ports_flow_del(
  p: OvsProcess, dpif_type: string, ufid: Ufid, stats?: DpifFlowStats,
): number {
  for (const d of statics(p).port_to_netdev) {
    if (d.netdev.dpif_type === dpif_type && !netdev_flow_del(p, d.netdev, ufid, stats)) return 0;
  }
  return ENOENT;
}, { errno: (e) => -e, result: errno_text });

/** netdev_flow_get */
export const netdev_flow_get = hop('lib/netdev-offload.c', function netdev_flow_get(
  p: OvsProcess, netdev: Netdev, ufid: Ufid,
): { error: number; flow?: NetdevFlow } {
  return netdev.flow_api?.flow_get ? netdev.flow_api.flow_get(p, netdev, ufid) : { error: EOPNOTSUPP };
}, { input: (_p, netdev) => netdev.name, errno: (r) => -r.error, result: (r) => errno_text(r.error) });

/** netdev_ports_flow_get: the first port of the dpif type that has it; else ENOENT. */
export const netdev_ports_flow_get = hop('lib/netdev-offload.c', function netdev_ports_flow_get(
  p: OvsProcess, dpif_type: string, ufid: Ufid,
): { error: number; flow?: NetdevFlow } {
  for (const d of statics(p).port_to_netdev) {
    if (d.netdev.dpif_type !== dpif_type) continue;
    const r = netdev_flow_get(p, d.netdev, ufid);
    if (!r.error) return r;
  }
  return { error: ENOENT };
}, { errno: (r) => -r.error, result: (r) => errno_text(r.error) });

/** netdev_ports_flow_flush: every port of the dpif type flushes its provider's flows. */
export const netdev_ports_flow_flush = hop('lib/netdev-offload.c', function netdev_ports_flow_flush(p: OvsProcess, dpif_type: string): void {
  for (const d of statics(p).port_to_netdev) {
    if (d.netdev.dpif_type === dpif_type) d.netdev.flow_api?.flow_flush?.(p, d.netdev);
  }
}, { input: (_p, t) => t });

/**
 * netdev_ports_flow_dump_create: one provider dump per port of the dpif
 * type whose provider can dump; each remembers its odp port.
 */
export const netdev_ports_flow_dump_create = hop('lib/netdev-offload.c', function netdev_ports_flow_dump_create(
  p: OvsProcess, dpif_type: string, terse: boolean,
): NetdevFlowDump[] {
  const dumps: NetdevFlowDump[] = [];
  for (const d of statics(p).port_to_netdev) {
    if (d.netdev.dpif_type !== dpif_type) continue;
    const r = netdev_flow_dump_create(p, d.netdev, terse);
    if (!r.error && r.dump) {
      r.dump.port = d.port_no;
      dumps.push(r.dump);
    }
  }
  return dumps;
}, { input: (_p, t, terse) => `${t}${terse ? ' terse' : ''}`, result: (ds) => `${ds.length} dumps` });

/** netdev_flow_dump_create: EOPNOTSUPP when the netdev has no dumping provider. */
function netdev_flow_dump_create(p: OvsProcess, netdev: Netdev, terse: boolean): { error: number; dump?: NetdevFlowDump } {
  const api = netdev.flow_api;
  return api?.flow_dump_create ? api.flow_dump_create(p, netdev, terse) : { error: EOPNOTSUPP };
}

/** netdev_flow_dump_next: the next flow of a port's dump, or null. */
export function netdev_flow_dump_next(p: OvsProcess, dump: NetdevFlowDump): NetdevFlow | null {
  const api = dump.netdev.flow_api;
  return api?.flow_dump_next ? api.flow_dump_next(p, dump) : null;
}

/**
 * netdev_ports_get_n_flows: the providers' flow counts over the dpif
 * type's ports; EOPNOTSUPP when no port could tell.
 */
export function netdev_ports_get_n_flows(p: OvsProcess, dpif_type: string): { error: number; n?: number } {
  let n = 0;
  let error = EOPNOTSUPP;
  for (const d of statics(p).port_to_netdev) {
    const api = d.netdev.flow_api;
    if (d.netdev.dpif_type !== dpif_type || !api?.flow_get_n_flows) continue;
    n += api.flow_get_n_flows(p, d.netdev);
    error = 0;
  }
  return error ? { error } : { error: 0, n };
}

/** netdev_ports_flow_init: init the flow API of every mapped port. */
function netdev_ports_flow_init(p: OvsProcess): void {
  for (const d of statics(p).port_to_netdev) netdev_init_flow_api(p, d.netdev);
}

/** smap_get_bool */
function smap_get_bool(cfg: Readonly<Record<string, string>>, key: string, def: boolean): boolean {
  const v = cfg[key];
  return v === undefined ? def : v.toLowerCase() === 'true';
}

/**
 * netdev_set_flow_api_enabled: with hw-offload=true, once per process:
 * enable, log, read tc-policy, then init every existing port. Turning it
 * off again is not supported (needs a restart) and does nothing.
 */
export const netdev_set_flow_api_enabled = hop('lib/netdev-offload.c', function netdev_set_flow_api_enabled(
  p: OvsProcess, other_config: Readonly<Record<string, string>>,
): void {
  if (!smap_get_bool(other_config, 'hw-offload', false)) return;
  const s = statics(p);
  if (s.enabled_once_done) return;
  s.netdev_flow_api_enabled = true;
  const threads = other_config['n-offload-threads'];
  let n = threads === undefined ? 1 : Number.parseInt(threads, 10);
  if (!(n >= 1 && n <= 10)) {
    p.vlog.warn('netdev_offload', `netdev: Invalid number of threads requested: ${Number.isNaN(n) ? 0 : n >>> 0}`);
    n = 1;
  }
  if (threads !== undefined) p.vlog.info('netdev_offload', `netdev: Flow API Enabled, using ${n} thread${n > 1 ? 's' : ''}`);
  else p.vlog.info('netdev_offload', 'netdev: Flow API Enabled');
  tc_set_policy(p, other_config['tc-policy'] ?? TC_POLICY_DEFAULT);
  if (smap_get_bool(other_config, 'offload-rebalance', false)) s.offload_rebalance_policy = true;
  netdev_ports_flow_init(p);
  s.enabled_once_done = true;
}, { input: (_p, cfg) => `hw-offload=${cfg['hw-offload'] ?? '(unset)'}` });
