// One emulated host: a kernel (one network namespace), the mlx5 driver bound
// to each NIC of the topology with that NIC's firmware, and ovs-vswitchd.
// Layers are wired only through their real seams: the driver registers net
// devices with the kernel, OVS talks to the kernel through netlink sockets.
import { Tracer, withTracer } from '../trace/hop';
import type { Topology, Mlx5DeviceSpec } from './topology';
import { start_kernel, type Kernel } from '../kernel/init/main';
import { mlx5_driver_create, mlx5_init_one, type Mlx5Driver, type Mlx5CoreDev } from '../drivers/mlx5/main';
import { Mlx5Firmware } from '../hw/mlx5/firmware';
import { ovs_vswitchd_restart, ovs_vswitchd_start, type Vswitchd } from '../ovs/vswitchd/ovs-vswitchd';
import type { NetDevice } from '../kernel/include/linux/netdevice';
import { dev_get_by_name } from '../kernel/net/core/dev';
import { closest } from '../trace/query';
import { MLX5_FC_STATS_PERIOD, mlx5_fc_stats_work } from '../drivers/mlx5/fs_counters';

/**
 * A mistake in what a scenario or command asked for (not an emulated error).
 * Its stack is just its message: the user needs to know what was wrong with
 * their input, not where in the emulator that was noticed.
 */
export class HostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostError';
    this.stack = `${this.name}: ${message}`;
  }
}

export interface Nic {
  spec: Mlx5DeviceSpec;
  fw: Mlx5Firmware;
  core: Mlx5CoreDev;
  /** FTEs the firmware held once the driver had probed (eswitch tables, miss rules). */
  boot_ftes: ReadonlySet<string>;
  /** Flow tables and counters the firmware held at the same moment as boot_ftes. */
  boot_tables?: ReadonlySet<number>;
  boot_counters?: ReadonlySet<number>;
}

/** Identity of an FTE in a firmware: table and index. */
export function fteKey(f: { table_id: number; index: number }): string {
  return `${f.table_id}/${f.index}`;
}

export interface HostOptions {
  /** Injected clock (ms) so logs and traces are reproducible. */
  clock?: () => number;
  tracing?: boolean;
}

export class Host {
  readonly tracer = new Tracer();
  readonly kernel: Kernel;
  readonly driver: Mlx5Driver;
  readonly nics: Nic[] = [];
  /** What ovs-vswitchd will start with (the OVSDB Open_vSwitch other_config). */
  readonly ovsdb_other_config: Record<string, string>;
  private vswitchd: Vswitchd | undefined;
  private now = 0;
  readonly clock: () => number;

  constructor(readonly topology: Topology, opts: HostOptions = {}) {
    this.tracer.enabled = opts.tracing ?? true;
    this.clock = opts.clock ?? (() => this.now);
    this.ovsdb_other_config = { ...topology.ovs.other_config };
    this.kernel = this.run(() => start_kernel({ jiffies: () => this.clock() }));
    this.driver = mlx5_driver_create({ jiffies: () => this.clock() });
    for (const spec of topology.devices) {
      const fw = new Mlx5Firmware(spec);
      const core = this.run(() => mlx5_init_one(this.kernel.net, this.driver, spec, fw));
      if (typeof core === 'number') throw new HostError(`mlx5 ${spec.pci}: probe failed (${core})`);
      this.nics.push({
        spec, fw, core, boot_ftes: new Set(fw.ftes().map(fteKey)),
        boot_tables: new Set(fw.flow_tables().map((t) => t.table_id)), boot_counters: new Set(fw.counters().map((c) => c.id)),
      });
    }
    this.tracer.reset();
  }

  /** Runs fn with this host's tracer as the call context's tracer. */
  run<T>(fn: () => T): T {
    return withTracer(this.tracer, fn);
  }

  /** Advances the emulated clock. */
  advance(ms: number): void {
    // The driver's periodic counter work (every MLX5_FC_STATS_PERIOD since
    // boot) runs at each period boundary the clock passes.
    // ovs-vswitchd's revalidator wakes at its own times (every
    // MIN(max-idle, max-revalidator) ms); both run in time order.
    const end = this.now + ms;
    for (;;) {
      const fc = (Math.floor(this.now / MLX5_FC_STATS_PERIOD) + 1) * MLX5_FC_STATS_PERIOD;
      const rv = this.vswitchd?.revalidator_due() ?? Infinity;
      const t = Math.min(fc, Math.max(rv, this.now));
      if (t > end) break;
      this.now = t;
      if (t === fc) this.run(() => { for (const nic of this.nics) mlx5_fc_stats_work(nic.core); });
      if (t >= rv) this.run(() => this.vswitchd!.revalidator_run());
    }
    this.now = end;
  }

  get started(): boolean {
    return this.vswitchd !== undefined;
  }

  /** ovs-vswitchd, started on first use with the configuration given so far. */
  get ovs(): Vswitchd {
    if (!this.vswitchd) {
      this.vswitchd = this.run(() =>
        ovs_vswitchd_start(this.kernel.syscalls, { other_config: { ...this.ovsdb_other_config }, bridges: this.topology.ovs.bridges }, this.clock),
      );
    }
    return this.vswitchd;
  }

  /**
   * Restarts ovs-vswitchd: kernel state stays, the new daemon reads the
   * database as it is now (starting it if it never ran).
   */
  restartOvs(): void {
    const prev = this.vswitchd;
    if (!prev) return void this.ovs;
    this.vswitchd = this.run(() =>
      ovs_vswitchd_restart(prev, this.kernel.syscalls, { other_config: { ...this.ovsdb_other_config }, bridges: this.topology.ovs.bridges }, this.clock),
    );
  }

  /**
   * One ovs-vsctl transaction on other_config. Before the daemon starts it
   * only edits the database; afterwards the daemon sees all of it at once.
   */
  updateOtherConfig(set: Record<string, string>, remove: readonly string[] = []): void {
    Object.assign(this.ovsdb_other_config, set);
    for (const k of remove) delete this.ovsdb_other_config[k];
    if (this.vswitchd) this.run(() => this.vswitchd!.update_other_config(set, remove));
  }

  setOtherConfig(key: string, value: string): void {
    this.updateOtherConfig({ [key]: value });
  }

  netdev(name: string): NetDevice {
    const dev = dev_get_by_name(this.kernel.net, name);
    if (!dev) {
      const names = [...this.kernel.net.dev_by_name.keys()];
      const hint = closest(name, names);
      throw new HostError(`no net device "${name}" on this host${hint.length ? ` (did you mean ${hint.join(', ')}?)` : ''}; devices: ${names.join(', ')}`);
    }
    return dev;
  }

  /**
   * The FTEs a NIC holds now become its baseline: after an eswitch mode
   * change the driver rebuilt its infrastructure tables (no TC flow can be
   * offloaded across one), so createdFtes keeps meaning "made by the scenario".
   */
  rebaselineFtes(nic: Nic): void {
    nic.boot_ftes = new Set(nic.fw.ftes().map(fteKey));
    nic.boot_tables = new Set(nic.fw.flow_tables().map((t) => t.table_id));
    nic.boot_counters = new Set(nic.fw.counters().map((c) => c.id));
  }

  nic(pci?: string): Nic {
    const nic = pci ? this.nics.find((n) => n.spec.pci === pci) : this.nics[0];
    if (!nic) throw new HostError(pci ? `no NIC at pci/${pci}` : 'this host has no NIC');
    return nic;
  }
}
