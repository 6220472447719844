// lib/dpctl.c (v3.6.3): `ovs-appctl dpctl/add-flow` (inside ovs-vswitchd,
// is_appctl) and `ovs-dpctl add-flow` (its own process and dpif). Only the
// appctl form generates a UFID, so only it can be offloaded.
import { EINVAL, ENOENT, EOPNOTSUPP, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { NETLINK_GENERIC, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { OVS_VPORT_ATTR_NAME, OVS_VPORT_ATTR_PORT_NO, OVS_VPORT_CMD_GET, OVS_VPORT_VERSION } from '../../kernel/include/uapi/linux/openvswitch';
import { NlMsgBuilder, nla_get_string, nla_get_u32 } from '../../netlink/attr';
import { nl_attrs } from '../../netlink/msgbuf';
import { GENL_HDRLEN, OVS_HEADER_LEN, genlmsghdr_encode, ovs_header_encode } from '../../netlink/structs';
import { hop } from '../../trace/hop';
import { errno_text, type OvsProcess } from './ovs-process';
import {
  DPIF_FP_CREATE, DPIF_FP_MODIFY, DPIF_FP_ZERO_STATS, dpif_flow_del, dpif_flow_dump_create, dpif_flow_dump_destroy,
  dpif_flow_dump_next, dpif_flow_flush, dpif_flow_get, dpif_flow_put, dpif_flow_stats_format, dpif_flow_stats_zero,
  type DpifFlow, type DpifFlowDumpTypes, type DpifFlowPut,
} from './dpif';
import type { DpifNetlink } from './dpif-netlink';
import { nl_dump } from './netlink-socket';
import {
  format_odp_actions, odp_actions_from_string, odp_flow_format, odp_flow_from_string, odp_flow_key_hash, odp_format_ufid, odp_ufid_from_string,
} from './odp-util';

/** struct dpctl_params, the parts used here. */
export interface DpctlParams {
  is_appctl: boolean;
  /** -m / --more, once per occurrence. */
  verbosity: number;
  /** --names / --no-names; defaults to verbosity > 0. */
  names: boolean;
  /** -s / --statistics */
  print_statistics: boolean;
  /** --clear */
  zero_statistics: boolean;
  /** --may-create */
  may_create: boolean;
  /** Everything dpctl_print / dpctl_error wrote, in order. */
  out: { error: boolean; text: string }[];
}

export interface DpctlResult {
  /** 0 or a positive errno. */
  error: number;
  /** What went to stdout (dpctl_print). */
  output: string;
  /** What went to stderr (dpctl_error). */
  errors: string;
  /** The unixctl reply: both, in the order written (dpctl_unixctl_print). */
  reply: string;
}

export function dpctl_params_init(is_appctl: boolean): DpctlParams {
  return { is_appctl, verbosity: 0, names: false, print_statistics: false, zero_statistics: false, may_create: false, out: [] };
}

/** dpctl_print */
function dpctl_print(d: DpctlParams, text: string): void {
  d.out.push({ error: false, text });
}

/** dpctl_error: `<program>: <msg>[ (<strerror>)]`. */
function dpctl_error(p: OvsProcess, d: DpctlParams, err_no: number, msg: string): void {
  d.out.push({ error: true, text: `${p.program_name}: ${msg}${err_no ? ` (${strerror(err_no)})` : ''}\n` });
}

/** DPIF_PORT_FOR_EACH: an OVS_VPORT_CMD_GET dump of the datapath's ports. */
export function dpif_port_names(p: OvsProcess, dpif: DpifNetlink): Map<string, number> {
  const req = new NlMsgBuilder({ nlmsg_type: dpif.families.ovs_vport, nlmsg_flags: NLM_F_REQUEST, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(genlmsghdr_encode({ cmd: OVS_VPORT_CMD_GET, version: OVS_VPORT_VERSION }))
    .put(ovs_header_encode(dpif.dp_ifindex))
    .finish();
  const names = new Map<string, number>();
  const { msgs } = nl_dump(p, NETLINK_GENERIC, req);
  for (const m of msgs) {
    const attrs = nl_attrs(m.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN)) ?? [];
    const name = attrs.find((a) => a.type === OVS_VPORT_ATTR_NAME);
    const port = attrs.find((a) => a.type === OVS_VPORT_ATTR_PORT_NO);
    if (name && port) names.set(nla_get_string(name), nla_get_u32(port));
  }
  return names;
}

/**
 * dpctl_put_flow_dpif: optional ufid, key/mask, actions (port names are
 * not accepted there), a generated UFID for appctl only, then dpif_flow_put.
 */
export const dpctl_put_flow_dpif = hop('lib/dpctl.c', function dpctl_put_flow_dpif(
  p: OvsProcess, dpif: DpifNetlink, key_s: string, actions_s: string, flags: number, d: DpctlParams,
): number {
  const u = odp_ufid_from_string(key_s);
  if (u.n < 0) {
    dpctl_error(p, d, -u.n, 'parsing flow ufid');
    return -u.n;
  }
  const rest = key_s.slice(u.n);
  const port_names = dpif_port_names(p, dpif);
  const k = odp_flow_from_string(rest, port_names);
  if ('error' in k) {
    dpctl_error(p, d, EINVAL, `parsing flow key (${k.error})`);
    return EINVAL;
  }
  const a = odp_actions_from_string(actions_s);
  if ('error' in a) {
    dpctl_error(p, d, a.error, 'parsing actions');
    return a.error;
  }
  let ufid = u.ufid;
  // Only appctl hashes a UFID (ovs-dpctl's hash basis would differ per run).
  if (!ufid && d.is_appctl) ufid = odp_flow_key_hash(k.key);
  const put: DpifFlowPut = { flags, key: k.key, actions: a.actions };
  if (k.mask.byteLength) put.mask = k.mask;
  if (ufid) put.ufid = ufid;
  const error = dpif_flow_put(p, dpif, put);
  if (error) dpctl_error(p, d, error, 'updating flow table');
  // -s: stats of the replaced flow are not returned by this emulation's put; zeros are printed.
  else if (d.print_statistics) dpctl_print(d, `${dpif_flow_stats_format(p, dpif_flow_stats_zero())}\n`);
  return error;
}, { input: (_p, _d, key_s, actions_s) => `${key_s} ${actions_s}`, errno: (e) => -e, result: errno_text });

/**
 * opt_dpif_open: the datapath named by argv[1] if it is one; otherwise the
 * only datapath, unless argv is already at its maximum length (then the
 * first argument should have been a datapath: "datapath not found").
 */
function opt_dpif_open(p: OvsProcess, argv: string[], d: DpctlParams, max_args: number, dpif: DpifNetlink): number {
  const dp_arg_exists = argv.length > 1 && (argv[1] === dpif.full_name || argv[1] === dpif.base_name);
  if (!dp_arg_exists && argv.length === max_args) {
    dpctl_error(p, d, EINVAL, 'datapath not found');
    return EINVAL;
  }
  return 0;
}

/** dpctl_put_flow: [dp] FLOW ACTIONS on the (only) datapath. */
const dpctl_put_flow = hop('lib/dpctl.c', function dpctl_put_flow(
  p: OvsProcess, argv: string[], flags: number, d: DpctlParams, dpif: DpifNetlink,
): number {
  const error = opt_dpif_open(p, argv, d, 4, dpif);
  if (error) return error;
  return dpctl_put_flow_dpif(p, dpif, argv[argv.length - 2]!, argv[argv.length - 1]!, flags, d);
}, { errno: (e) => -e, result: errno_text });

/** dpctl_add_flow */
export const dpctl_add_flow = hop('lib/dpctl.c', function dpctl_add_flow(
  p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  return dpctl_put_flow(p, argv, DPIF_FP_CREATE, d, dpif);
}, { errno: (e) => -e, result: errno_text });

/** dpctl_mod_flow: MODIFY, plus CREATE with --may-create, ZERO_STATS with --clear. */
export const dpctl_mod_flow = hop('lib/dpctl.c', function dpctl_mod_flow(
  p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  let flags = DPIF_FP_MODIFY;
  if (d.may_create) flags |= DPIF_FP_CREATE;
  if (d.zero_statistics) flags |= DPIF_FP_ZERO_STATS;
  return dpctl_put_flow(p, argv, flags, d, dpif);
}, { errno: (e) => -e, result: errno_text });

/** dpctl_get_portno_names: port number -> name, when names are wanted. */
function dpctl_get_portno_names(p: OvsProcess, d: DpctlParams, dpif: DpifNetlink): Map<number, string> | undefined {
  if (!d.names) return undefined;
  return new Map([...dpif_port_names(p, dpif)].map(([name, no]) => [no, name] as const));
}

/**
 * format_dpif_flow: [ufid, ]key/mask, stats[, offloaded:yes|partial][, dp:X],
 * actions; the bracketed parts only with -m.
 */
export function format_dpif_flow(p: OvsProcess, f: DpifFlow, ports: ReadonlyMap<number, string> | undefined, verbosity: number): string {
  let s = '';
  if (verbosity && f.ufid_present) s += `${odp_format_ufid(f.ufid)}, `;
  s += odp_flow_format(f.key, f.mask.byteLength ? f.mask : undefined, ports, verbosity > 0);
  s += `, ${dpif_flow_stats_format(p, f.stats)}`;
  if (verbosity && f.attrs.offloaded) s += f.attrs.dp_layer === 'ovs' ? ', offloaded:partial' : ', offloaded:yes';
  if (verbosity && f.attrs.dp_layer) s += `, dp:${f.attrs.dp_layer}`;
  s += `, actions:${format_odp_actions(f.actions, ports)}`;
  return s;
}

/** struct dump_types */
export interface DumpTypes {
  ovs: boolean;
  tc: boolean;
  dpdk: boolean;
  offloaded: boolean;
  non_offloaded: boolean;
  partially_offloaded: boolean;
}

function enable_all_dump_types(t: DumpTypes): void {
  t.ovs = t.tc = t.dpdk = t.offloaded = t.non_offloaded = t.partially_offloaded = true;
}

/** populate_dump_types: a comma list; `all` enables every type; unknown is EINVAL. */
export function populate_dump_types(p: OvsProcess, types_list: string | undefined, d: DpctlParams): { error: number; types: DumpTypes } {
  const t: DumpTypes = { ovs: false, tc: false, dpdk: false, offloaded: false, non_offloaded: false, partially_offloaded: false };
  if (types_list === undefined) {
    enable_all_dump_types(t);
    return { error: 0, types: t };
  }
  for (const cur of types_list.split(',').filter((x, i, a) => x !== '' || i < a.length - 1)) {
    if (cur === 'ovs') t.ovs = true;
    else if (cur === 'tc') t.tc = true;
    else if (cur === 'dpdk') t.dpdk = true;
    else if (cur === 'offloaded') t.offloaded = true;
    else if (cur === 'non-offloaded') t.non_offloaded = true;
    else if (cur === 'partially-offloaded') t.partially_offloaded = true;
    else if (cur === 'all') enable_all_dump_types(t);
    else {
      dpctl_error(p, d, EINVAL, `Failed to parse type (${cur})`);
      return { error: EINVAL, types: t };
    }
  }
  return { error: 0, types: t };
}

/** determine_dpif_flow_dump_types: kernel flows for ovs/non-offloaded; netdev flows for the rest. */
export function determine_dpif_flow_dump_types(t: DumpTypes): DpifFlowDumpTypes {
  return {
    ovs_flows: t.ovs || t.non_offloaded,
    netdev_flows: t.tc || t.offloaded || t.non_offloaded || t.dpdk || t.partially_offloaded,
  };
}

/** flow_passes_type_filter: a flow is shown if any selected type matches it. */
export function flow_passes_type_filter(f: DpifFlow, t: DumpTypes): boolean {
  const layer = f.attrs.dp_layer;
  if (t.ovs && layer === 'ovs') return true;
  if (t.tc && layer === 'tc') return true;
  if (t.dpdk && layer === 'dpdk') return true;
  if (t.offloaded && f.attrs.offloaded && layer !== 'ovs') return true;
  if (t.partially_offloaded && f.attrs.offloaded && layer === 'ovs') return true;
  if (t.non_offloaded && !f.attrs.offloaded) return true;
  return false;
}

/**
 * dpctl_dump_flows: trailing filter= / type= / pmd= arguments, the
 * datapath, then every flow of dpif_flow_dump_* that passes the types.
 * type= is appctl only. filter= (an OpenFlow match) is not modelled.
 */
export const dpctl_dump_flows = hop('lib/dpctl.c', function dpctl_dump_flows(
  p: OvsProcess, argv_in: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  const argv = [...argv_in];
  let filter: string | undefined;
  let types_list: string | undefined;
  let pmd_id_filter = false;
  let lastargc = 0;
  while (argv.length > 1 && lastargc !== argv.length) {
    lastargc = argv.length;
    const last = argv[argv.length - 1]!;
    if (last.startsWith('filter=') && filter === undefined) {
      filter = argv.pop()!.slice(7);
    } else if (last.startsWith('type=') && types_list === undefined) {
      if (!d.is_appctl) {
        dpctl_error(p, d, 0, "Invalid argument 'type'. Use 'ovs-appctl dpctl/dump-flows' instead.");
        return EINVAL;
      }
      types_list = argv.pop()!.slice(5);
    } else if (last.startsWith('pmd=')) {
      if (!/^pmd=-?\d+/.test(argv.pop()!)) return EINVAL; // ovs_scan "pmd=%d"
      pmd_id_filter = true;
    }
  }
  let error = opt_dpif_open(p, argv, d, 2, dpif);
  if (error) return error;
  const ports = dpctl_get_portno_names(p, d, dpif);
  if (filter !== undefined) {
    dpctl_error(p, d, 0, `Failed to parse filter (${filter}: filter= is not modelled by this emulation)`);
    return EINVAL;
  }
  const t = populate_dump_types(p, types_list, d);
  if (t.error) return t.error;
  const dump = dpif_flow_dump_create(p, dpif, false, determine_dpif_flow_dump_types(t.types));
  for (let f = dpif_flow_dump_next(p, dump); f; f = dpif_flow_dump_next(p, dump)) {
    // The kernel datapath's flows carry PMD_ID_NULL: a pmd= filter matches none.
    if (pmd_id_filter) continue;
    if (flow_passes_type_filter(f, t.types)) dpctl_print(d, `${format_dpif_flow(p, f, ports, d.verbosity)}\n`);
  }
  error = dpif_flow_dump_destroy(p, dump);
  if (error) dpctl_error(p, d, error, 'Failed to dump flows from datapath');
  return error;
}, { input: (_p, argv) => argv.slice(1).join(' '), errno: (e) => -e, result: errno_text });

/** dpctl_get_flow: [dp] ufid:<uuid> through dpif_flow_get, printed as a dump line. */
export const dpctl_get_flow = hop('lib/dpctl.c', function dpctl_get_flow(
  p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  const key_s = argv[argv.length - 1]!;
  let error = opt_dpif_open(p, argv, d, 3, dpif);
  if (error) return error;
  const ports = dpctl_get_portno_names(p, d, dpif);
  const u = odp_ufid_from_string(key_s);
  if (u.n <= 0 || !u.ufid) {
    // Upstream returns the still-zero error here: the command "succeeds".
    dpctl_error(p, d, -u.n, 'parsing flow ufid');
    return 0;
  }
  const r = dpif_flow_get(p, dpif, new Uint8Array(0), u.ufid);
  error = r.error;
  if (error || !r.flow) {
    dpctl_error(p, d, error, 'getting flow');
    return error;
  }
  dpctl_print(d, `${format_dpif_flow(p, r.flow, ports, d.verbosity)}\n`);
  return 0;
}, { input: (_p, argv) => argv[argv.length - 1] ?? '', errno: (e) => -e, result: errno_text });

/**
 * dpctl_del_flow_dpif: optional ufid, the key (port names allowed), an
 * appctl-generated ufid as add-flow makes, then dpif_flow_del. ENOENT
 * without a given ufid adds "Perhaps you need to specify a UFID?".
 */
export const dpctl_del_flow_dpif = hop('lib/dpctl.c', function dpctl_del_flow_dpif(
  p: OvsProcess, dpif: DpifNetlink, key_s: string, d: DpctlParams,
): number {
  const u = odp_ufid_from_string(key_s);
  if (u.n < 0) {
    dpctl_error(p, d, -u.n, 'parsing flow ufid');
    return -u.n;
  }
  const k = odp_flow_from_string(key_s.slice(u.n), dpif_port_names(p, dpif));
  if ('error' in k) {
    dpctl_error(p, d, EINVAL, k.error);
    return EINVAL;
  }
  let ufid = u.ufid;
  let ufid_generated = false;
  if (!ufid && d.is_appctl) {
    // As add-flow does, so flows added by appctl can be removed the same way.
    ufid = odp_flow_key_hash(k.key);
    ufid_generated = true;
  }
  const stats = d.print_statistics ? dpif_flow_stats_zero() : undefined;
  const error = dpif_flow_del(p, dpif, k.key, ufid, stats);
  if (error) {
    dpctl_error(p, d, error, 'deleting flow');
    if (error === ENOENT && (!ufid || ufid_generated)) dpctl_print(d, 'Perhaps you need to specify a UFID?\n');
    return error;
  }
  if (stats) dpctl_print(d, `${dpif_flow_stats_format(p, stats)}\n`);
  return 0;
}, { input: (_p, _d, key_s) => key_s, errno: (e) => -e, result: errno_text });

/** dpctl_del_flow: [dp] FLOW */
export const dpctl_del_flow = hop('lib/dpctl.c', function dpctl_del_flow(
  p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  const error = opt_dpif_open(p, argv, d, 3, dpif);
  if (error) return error;
  return dpctl_del_flow_dpif(p, dpif, argv[argv.length - 1]!, d);
}, { errno: (e) => -e, result: errno_text });

/**
 * dpctl_del_flows: [dp] flushes every flow (dpif_flow_flush); a FILE
 * argument would be read line by line (dpctl_process_flows), but no file
 * is readable here, which upstream reports and still returns 0.
 */
export const dpctl_del_flows = hop('lib/dpctl.c', function dpctl_del_flows(
  p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  const dp_arg_exists = argv.length > 1 && (argv[1] === dpif.full_name || argv[1] === dpif.base_name);
  if ((!dp_arg_exists && argv.length === 2) || argv.length > 2) {
    const open = opt_dpif_open(p, argv, d, 4, dpif);
    if (open) return open;
    dpctl_error(p, d, ENOENT, `Opening file "${argv[argv.length - 1]}" failed`);
    return 0;
  }
  const error = dpif_flow_flush(p, dpif);
  if (error) dpctl_error(p, d, error, 'deleting all flows');
  return error;
}, { errno: (e) => -e, result: errno_text });

/**
 * dpif_offload_stats_get (lib/dpif.c): the class's offload_stats_get;
 * dpif-netlink has none (only the userspace datapath counts its offload
 * threads' work), so the kernel datapath answers EOPNOTSUPP.
 */
const dpif_offload_stats_get = hop('lib/dpif.c', function dpif_offload_stats_get(_p: OvsProcess, _dpif: DpifNetlink): { error: number; counters: { name: string; value: number }[] } {
  // lib/dpif-netlink.c dpif_netlink_class: offload_stats_get is NULL (v3.6.3)
  return { error: EOPNOTSUPP, counters: [] };
}, { errno: (r) => -r.error, result: (r) => errno_text(r.error) });

/**
 * dpctl_offload_stats_show: [dp]; "HW Offload stats:" and one
 * `   <name>: <%6u>` line per counter, or "retrieving offload statistics"
 * with the error.
 */
export const dpctl_offload_stats_show = hop('lib/dpctl.c', function dpctl_offload_stats_show(
  p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  // lib/dpctl.c dpctl_offload_stats_show (v3.6.3)
  const error = opt_dpif_open(p, argv, d, 2, dpif);
  if (error) return error;
  const r = dpif_offload_stats_get(p, dpif);
  if (r.error) {
    dpctl_error(p, d, r.error, 'retrieving offload statistics');
    return r.error;
  }
  dpctl_print(d, 'HW Offload stats:\n');
  for (const c of r.counters) dpctl_print(d, `   ${c.name}: ${String(c.value).padStart(6)}\n`);
  return 0;
}, { errno: (e) => -e, result: errno_text });

/** struct dpctl_command: name, usage, argument counts, handler. */
interface DpctlCommand {
  name: string;
  usage: string;
  min_args: number;
  max_args: number;
  handler: (p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink) => number;
}

// lib/dpctl.c all_commands[], the flow-table commands modelled.
const all_commands: readonly DpctlCommand[] = [
  { name: 'dump-flows', usage: '[-m] [--names] [dp] [filter=..] [type=..] [pmd=..]', min_args: 0, max_args: 6, handler: dpctl_dump_flows },
  { name: 'add-flow', usage: '[dp] flow actions', min_args: 2, max_args: 3, handler: dpctl_add_flow },
  { name: 'mod-flow', usage: '[dp] flow actions', min_args: 2, max_args: 3, handler: dpctl_mod_flow },
  { name: 'get-flow', usage: '[dp] ufid', min_args: 1, max_args: 2, handler: dpctl_get_flow },
  { name: 'del-flow', usage: '[dp] flow', min_args: 1, max_args: 2, handler: dpctl_del_flow },
  { name: 'del-flows', usage: '[dp] [file]', min_args: 0, max_args: 2, handler: dpctl_del_flows },
  { name: 'offload-stats-show', usage: '[dp]', min_args: 0, max_args: 1, handler: dpctl_offload_stats_show },
];

/** Is `name` a dpctl command this emulation registers (dpctl_unixctl_register)? */
export function dpctl_command_lookup(name: string): { min_args: number; max_args: number } | undefined {
  return all_commands.find((c) => c.name === name);
}

function dpctl_result(error: number, d: DpctlParams): DpctlResult {
  return {
    error,
    output: d.out.filter((o) => !o.error).map((o) => o.text).join(''),
    errors: d.out.filter((o) => o.error).map((o) => o.text).join(''),
    reply: d.out.map((o) => o.text).join(''),
  };
}

/**
 * dpctl_unixctl_handler: `ovs-appctl dpctl/CMD [options] ARGS`. Leading
 * options (-m, -s, --more, --names, --no-names, --statistics, --clear,
 * --may-create) are consumed like getopt; -m turns names on unless told.
 * `argv[0]` is the command name without `dpctl/`; the unixctl server has
 * already checked the argument counts.
 */
export const dpctl_unixctl_handler = hop('lib/dpctl.c', function dpctl_unixctl_handler(
  p: OvsProcess, argv_in: string[], dpif: DpifNetlink,
): DpctlResult {
  const d = dpctl_params_init(true);
  const cmd = all_commands.find((c) => c.name === argv_in[0]);
  if (!cmd) throw new Error(`dpctl_unixctl_handler: ${argv_in[0] ?? ''} is not registered`);
  const argv = [...argv_in];
  const error = dpctl_parse_options(d, argv);
  if (error) return dpctl_result(EINVAL, d);
  return dpctl_result(cmd.handler(p, argv, d, dpif), d);
}, { input: (_p, argv) => argv.join(' '), errno: (r) => -r.error, result: (r) => errno_text(r.error) });

/** The option loop of dpctl_unixctl_handler; removes the options from argv. */
function dpctl_parse_options(d: DpctlParams, argv: string[]): number {
  let set_names = false;
  while (argv.length > 1) {
    const arg = argv[1]!;
    if (arg.startsWith('--')) {
      if (arg === '--statistics') d.print_statistics = true;
      else if (arg === '--clear') d.zero_statistics = true;
      else if (arg === '--may-create') d.may_create = true;
      else if (arg === '--more') d.verbosity++;
      else if (arg === '--names') { d.names = true; set_names = true; }
      else if (arg === '--no-names') { d.names = false; set_names = true; }
      else {
        d.out.push({ error: true, text: `Unrecognized option ${arg}` });
        return EINVAL;
      }
    } else if (arg[0] === '-' && arg.length > 1) {
      for (const c of arg.slice(1)) {
        if (c === 'm') d.verbosity++;
        else if (c === 's') d.print_statistics = true;
        else {
          d.out.push({ error: true, text: `Unrecognized option -${c}` });
          return EINVAL;
        }
      }
    } else {
      break;
    }
    argv.splice(1, 1);
  }
  if (!set_names) d.names = d.verbosity > 0;
  return 0;
}

/**
 * dpctl_run_command: `ovs-dpctl [options] CMD ARGS` (options as
 * ovs-dpctl's getopt takes them, before the command), with its own
 * argument-count errors. `argv[0]` is the command name.
 */
export function dpctl_run_command(p: OvsProcess, argv_in: string[], is_appctl: boolean, dpif: DpifNetlink): DpctlResult {
  const d = dpctl_params_init(is_appctl);
  const argv = [...argv_in];
  const cmd = all_commands.find((c) => c.name === argv[0]);
  if (!cmd) {
    dpctl_error(p, d, 0, `unknown command '${argv[0] ?? ''}'; use --help for help`);
    return dpctl_result(EINVAL, d);
  }
  if (dpctl_parse_options(d, argv)) return dpctl_result(EINVAL, d);
  const n_arg = argv.length - 1;
  if (n_arg < cmd.min_args) {
    dpctl_error(p, d, 0, `'${cmd.name}' command requires at least ${cmd.min_args} arguments`);
    return dpctl_result(EINVAL, d);
  }
  if (n_arg > cmd.max_args) {
    dpctl_error(p, d, 0, `'${cmd.name}' command takes at most ${cmd.max_args} arguments`);
    return dpctl_result(EINVAL, d);
  }
  return dpctl_result(cmd.handler(p, argv, d, dpif), d);
}
