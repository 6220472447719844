// vswitchd/ovs-vswitchd.c (v3.6.3): one ovs-vswitchd process on an emulated
// host — its dpif, bridges, handler, appctl commands and log — reachable only
// through the Syscalls it was started with.
import type { Syscalls } from '../../kernel/syscall';
import type { OvsBridgeSpec } from '../../host/topology';
import { OvsProcess } from '../lib/ovs-process';
import type { VlogLine } from '../lib/vlog';
import { coverage_read } from '../lib/coverage';
import { netdev_ports_insert, netdev_register_flow_api_provider, netdev_set_flow_api_enabled } from '../lib/netdev-offload';
import { netdev_offload_tc, netdev_tc_ufid_mappings } from '../lib/netdev-offload-tc';
import { dpif_netlink_handlers_set, dpif_netlink_open, type DpifNetlink } from '../lib/dpif-netlink';
import { odp_actions_from_string, odp_flow_from_string, odp_format_ufid, type OdpFlowParse } from '../lib/odp-util';
import { dpctl_command_lookup, dpctl_run_command, dpctl_unixctl_handler, dpif_port_names } from '../lib/dpctl';
import { dpif_flow_flush } from '../lib/dpif';
import { netdev_open, netdev_vport_get_dpif_port } from '../lib/netdev';
import { EBUSY, EEXIST } from '../../kernel/include/uapi/asm-generic/errno';
import { hop } from '../../trace/hop';
import {
  ofproto_set_revalidator_config, udpif_create, udpif_revalidator, udpif_upcall_handler, upcall_unixctl_purge, upcall_unixctl_show, type Udpif, type UdpifKey,
} from '../ofproto/ofproto-dpif-upcall';
import { bridge_reconfigure, type BridgePort } from './bridge';
import { strerror } from '../../kernel/include/uapi/asm-generic/errno';

export interface VswitchdConfig {
  /** Open_vSwitch table other_config (hw-offload, tc-policy, ...). */
  other_config: Record<string, string>;
  bridges: OvsBridgeSpec[];
}

export interface CommandOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface UfidTcMapping {
  /** The UFID in UUID form (as after `ufid:` in dpctl output). */
  ufid: string;
  ifindex: number;
  chain: number;
  prio: number;
  handle: number;
  dev: string;
}

export interface Vswitchd {
  /** `ovs-vsctl set Open_vSwitch . other_config:K=V` (runs bridge_reconfigure). */
  set_other_config(key: string, value: string): void;
  /** `ovs-vsctl remove Open_vSwitch . other_config K` (runs bridge_reconfigure). */
  remove_other_config(key: string): void;
  /** Applies one database transaction's changes to other_config together. */
  update_other_config(set: Record<string, string>, remove?: readonly string[]): void;
  /** The database's other_config (what was asked, not necessarily applied). */
  other_config(): Record<string, string>;
  /** Config changes that only a restart would apply (hw-offload true -> false). */
  pending_restart(): string[];
  /** The Interface row's error column after the last reconfigure (unset: none). */
  iface_error(name: string): string | undefined;
  /** Adds a translation rule; returns an error text when either side does not parse. */
  ofproto_dpif_add_xlate(keyMaskText: string, actionsText: string): string | undefined;
  /** The ODP key/mask bytes of a flow text, with this daemon's port names. */
  odp_flow_from_string(text: string): OdpFlowParse;
  /** Handles every upcall queued on the handler sockets; returns how many. */
  udpif_upcall_handler_run(): number;
  /** `ovs-appctl dpctl/<cmd>` (is_appctl) or `ovs-dpctl <cmd>` (its own process). */
  dpctl(argv: string[], is_appctl: boolean): CommandOutput;
  /** `ovs-appctl upcall/show`: the reply text. */
  upcall_show(): string;
  /** time_msec() at which the revalidator wakes next (undefined: no datapath). */
  revalidator_due(): number | undefined;
  /** Runs the revalidator pass due now; returns the flows it deleted. */
  revalidator_run(): number;
  /** `ovs-appctl revalidator/purge`: deletes every flow that has a ukey. */
  revalidator_purge(): void;
  ufid_tc_mappings(): UfidTcMapping[];
  /** The ukeys of the handler, with their states. */
  ukeys(): readonly UdpifKey[];
  vlog_lines(): string[];
  /** `ovs-appctl vlog/set SPEC`: undefined, or the error text. */
  vlog_set(spec: string): string | undefined;
  port_no(name: string): number | undefined;
  /** `ovs-appctl coverage/show` counters. */
  coverage(): ReadonlyMap<string, number>;
  /** `ovs-appctl coverage/show`: the reply text. */
  coverage_show(): string;
  /** The daemon's process state (for tests that look deeper). */
  readonly process: OvsProcess;
}

const DP_NAME = 'ovs-system';

/**
 * dpif_create_and_open (lib/dpif.c): create the datapath, or open the one a
 * previous daemon left (EEXIST/EBUSY), warning when even that fails.
 */
const dpif_create_and_open = hop('lib/dpif.c', function dpif_create_and_open(
  p: OvsProcess, name: string,
): { error: number; dpif?: DpifNetlink; existed: boolean } {
  const c = dpif_netlink_open(p, name, true);
  if (c.error !== EEXIST && c.error !== EBUSY) {
    if (c.error) p.vlog.warn('dpif', `failed to create datapath ${name}: ${strerror(c.error)}`);
    return { ...c, existed: false };
  }
  const o = dpif_netlink_open(p, name, false);
  if (o.error) p.vlog.warn('dpif', `datapath ${name} already exists but cannot be opened: ${strerror(o.error)}`);
  return { ...o, existed: true };
}, { input: (_p, name) => name, errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : r.existed ? 'opened existing' : 'created') });

class VswitchdImpl implements Vswitchd {
  readonly process: OvsProcess;
  private readonly db: Record<string, string>;
  /** What the daemon applied at start or since (hw-offload cannot go back). */
  private readonly restart: string[] = [];
  private readonly dpif: DpifNetlink | undefined;
  private readonly udpif: Udpif | undefined;
  private readonly ports: BridgePort[] = [];
  /** Interface.error of the rows whose setup failed (what ovs-vsctl reports). */
  private readonly iface_errors = new Map<string, string>();

  constructor(
    private readonly sys: Syscalls, private readonly cfg: VswitchdConfig, private readonly clock: (() => number) | undefined,
    earlier_log: readonly VlogLine[],
  ) {
    this.process = new OvsProcess(sys, 'ovs-vswitchd', clock);
    this.process.vlog.continue_file(earlier_log);
    this.db = { ...cfg.other_config };
    const p = this.process;
    // netdev_initialize (lib/netdev.c): the Linux flow API provider.
    netdev_register_flow_api_provider(p, netdev_offload_tc);
    // bridge_run applies hw-offload before bridge_reconfigure creates ofprotos.
    netdev_set_flow_api_enabled(p, this.db);
    // ofproto-dpif.c open_dpif_backer -> dpif_create_and_open("ovs-system", "system")
    const r = dpif_create_and_open(p, DP_NAME);
    if (r.error || !r.dpif) {
      p.vlog.err('ofproto_dpif', `failed to open datapath of type system: ${strerror(r.error)}`);
    } else {
      this.dpif = r.dpif;
      if (r.existed) this.adopt_ports(r.dpif);
      this.udpif = udpif_create(r.dpif, p.time_msec(), this.db);
      dpif_netlink_handlers_set(p, r.dpif, this.udpif.n_handlers);
      // open_dpif_backer: flows left by a previous daemon have no ukeys.
      if (r.existed) dpif_flow_flush(p, r.dpif);
    }
    bridge_reconfigure(p, this.db, this.dpif, cfg.bridges, this.ports, this.iface_errors);
  }

  /**
   * lib/dpif.c do_open: the ports a previous daemon left in the datapath
   * are mapped for offload again (netdev_ports_insert). The local port is
   * not modelled as an offload port.
   */
  private adopt_ports(dpif: DpifNetlink): void {
    const p = this.process;
    for (const [name, port_no] of dpif_port_names(p, dpif)) {
      if (port_no === 0) continue; // ODPP_LOCAL
      // A tunnel port is found by its dpif port name (vxlan_sys_4789).
      const spec = this.cfg.bridges.flatMap((b) => b.ports.map((x) => ({ bridge: b.name, ...x })))
        .find((x) => netdev_vport_get_dpif_port(netdev_open(x.name, x.type ?? 'system', 'system', x.options)) === name);
      const type = spec?.type ?? 'system';
      netdev_ports_insert(p, netdev_open(spec?.name ?? name, type, 'system', spec?.options), port_no);
      if (!spec) continue;
      this.ports.push({ bridge: spec.bridge, name: spec.name, type, port_no });
      p.vlog.info('bridge', `bridge ${spec.bridge}: added interface ${spec.name} on port ${port_no}`);
    }
  }

  private reconfigure(before: Record<string, string>): void {
    const on = (c: Record<string, string>): boolean => (c['hw-offload'] ?? '').toLowerCase() === 'true';
    // lib/netdev-offload.c: "We don't support true --> false transition as
    // that requires a restart".
    if (on(before) && !on(this.db) && !this.restart.includes('hw-offload')) this.restart.push('hw-offload');
    // vswitchd/bridge.c bridge_reconfigure: ofproto_set_max_idle / _max_revalidator (v3.6.3)
    if (this.udpif) ofproto_set_revalidator_config(this.udpif, this.db);
    bridge_reconfigure(this.process, this.db, this.dpif, this.cfg.bridges, this.ports, this.iface_errors);
  }

  set_other_config(key: string, value: string): void {
    this.update_other_config({ [key]: value });
  }

  /** One OVSDB transaction: bridge_run sees every change of it at once. */
  update_other_config(set: Record<string, string>, remove: readonly string[] = []): void {
    const before = { ...this.db };
    Object.assign(this.db, set);
    for (const k of remove) delete this.db[k];
    this.reconfigure(before);
  }

  iface_error(name: string): string | undefined {
    return this.iface_errors.get(name);
  }

  remove_other_config(key: string): void {
    const before = { ...this.db };
    delete this.db[key];
    this.reconfigure(before);
  }

  other_config(): Record<string, string> {
    return { ...this.db };
  }

  pending_restart(): string[] {
    return [...this.restart];
  }

  private port_names(): Map<string, number> {
    return new Map(this.ports.map((p) => [p.name, p.port_no] as const));
  }

  ofproto_dpif_add_xlate(keyMaskText: string, actionsText: string): string | undefined {
    if (!this.udpif) return 'ovs-vswitchd: no datapath';
    const k = odp_flow_from_string(keyMaskText, this.port_names());
    if ('error' in k) return `ovs-vswitchd: parsing flow key (${k.error})`;
    // Translation output: what xlate composes, so push_mpls/pop_mpls are allowed.
    const a = odp_actions_from_string(actionsText, this.port_names(), true);
    if ('error' in a) return `ovs-vswitchd: parsing actions (${strerror(a.error)})`;
    this.udpif.xlate_table.push({ key: k.key, mask: k.mask, actions: a.actions });
    return undefined;
  }

  odp_flow_from_string(text: string): OdpFlowParse {
    return odp_flow_from_string(text, this.port_names());
  }

  udpif_upcall_handler_run(): number {
    return this.udpif ? udpif_upcall_handler(this.process, this.udpif) : 0;
  }

  dpctl(argv: string[], is_appctl: boolean): CommandOutput {
    const cmd = argv[0]?.replace(/^dpctl\//, '');
    const args = [cmd ?? '', ...argv.slice(1)];
    if (is_appctl) {
      const APPCTL_ERR = 'ovs-appctl: ovs-vswitchd: server returned an error\n';
      // lib/unixctl.c process_command: registration and argument counts first.
      const c = dpctl_command_lookup(args[0]!);
      if (!c) {
        return { exitCode: 2, stdout: '', stderr: `"dpctl/${args[0]}" is not a valid command (use list-commands to see a list of valid commands)\n${APPCTL_ERR}` };
      }
      const n = args.length - 1;
      if (n < c.min_args) return { exitCode: 2, stdout: '', stderr: `"dpctl/${args[0]}" command requires at least ${c.min_args} arguments\n${APPCTL_ERR}` };
      if (n > c.max_args) return { exitCode: 2, stdout: '', stderr: `"dpctl/${args[0]}" command takes at most ${c.max_args} arguments\n${APPCTL_ERR}` };
      if (!this.dpif) return { exitCode: 2, stdout: '', stderr: `ovs-vswitchd: no datapath\n${APPCTL_ERR}` };
      const r = dpctl_unixctl_handler(this.process, args, this.dpif);
      // ovs-appctl prints a failed command's whole reply on stderr, then its own line, exit 2.
      return r.error
        ? { exitCode: 2, stdout: '', stderr: `${r.reply}${r.reply.endsWith('\n') || r.reply === '' ? '' : '\n'}${APPCTL_ERR}` }
        : { exitCode: 0, stdout: r.reply, stderr: '' };
    }
    // ovs-dpctl: a separate process with its own sockets, dpif and (empty) offload state.
    const p = new OvsProcess(this.sys, 'ovs-dpctl', this.clock);
    const o = dpif_netlink_open(p, DP_NAME, false);
    if (o.error || !o.dpif) return { exitCode: 1, stdout: '', stderr: `ovs-dpctl: opening datapath (${strerror(o.error)})\n` };
    const r = dpctl_run_command(p, args, false, o.dpif);
    return { exitCode: r.error ? 1 : 0, stdout: r.output, stderr: r.errors };
  }

  upcall_show(): string {
    return this.udpif ? upcall_unixctl_show(this.process, [this.udpif]) : '';
  }

  revalidator_due(): number | undefined {
    return this.udpif?.next_revalidate;
  }

  revalidator_run(): number {
    return this.udpif ? udpif_revalidator(this.process, this.udpif) : 0;
  }

  revalidator_purge(): void {
    if (this.udpif) upcall_unixctl_purge(this.process, [this.udpif]);
  }

  ufid_tc_mappings(): UfidTcMapping[] {
    return netdev_tc_ufid_mappings(this.process).map((m) => ({
      ufid: odp_format_ufid(m.ufid).slice('ufid:'.length),
      ifindex: m.id.ifindex, chain: m.id.chain, prio: m.id.prio, handle: m.id.handle, dev: netdev_vport_get_dpif_port(m.netdev),
    }));
  }

  ukeys(): readonly UdpifKey[] {
    return this.udpif ? [...this.udpif.ukeys.values()] : [];
  }

  vlog_lines(): string[] {
    return this.process.vlog.lines.map((l) => l.text);
  }

  vlog_set(spec: string): string | undefined {
    return this.process.vlog.set(spec);
  }

  port_no(name: string): number | undefined {
    return this.ports.find((p) => p.name === name)?.port_no;
  }

  coverage(): ReadonlyMap<string, number> {
    return this.process.coverage;
  }

  coverage_show(): string {
    return coverage_read(this.process).map((l) => `${l}\n`).join('');
  }
}

/**
 * Starts ovs-vswitchd: registers the tc flow API, creates the ovs-system
 * datapath and its handler, applies other_config and adds the bridge ports.
 */
export function ovs_vswitchd_start(sys: Syscalls, cfg: VswitchdConfig, clock?: () => number): Vswitchd {
  return new VswitchdImpl(sys, cfg, clock, []);
}

/**
 * Restarts ovs-vswitchd (`systemctl restart openvswitch-switch`): the old
 * process exits without --cleanup, so the datapath, its ports and the tc
 * qdiscs stay in the kernel; a new process starts from the database
 * (`cfg`), re-opens the datapath, flushes the flows it finds there and
 * applies hw-offload and tc-policy afresh. Its log continues the old file.
 */
export function ovs_vswitchd_restart(previous: Vswitchd, sys: Syscalls, cfg: VswitchdConfig, clock?: () => number): Vswitchd {
  return new VswitchdImpl(sys, cfg, clock, previous.process.vlog.lines);
}
