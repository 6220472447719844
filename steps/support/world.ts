// One World = one emulated host. The host is built on first use so a
// "Given the topology" step can choose it; every action ("When") gets its
// own trace, kept for the assertions and attached to the report.
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { Host } from '../../src/host/host';
import { defaultTopology, loadTopology, type Topology } from '../../src/host/topology';
import type { Hop } from '../../src/trace/hop';
import type { CommandResult } from '../../src/host/commands';
import type { RepeatResult } from '../../src/host/scale';

export interface Action {
  label: string;
  roots: Hop[];
  /** Set-up the scenario did not ask for by name (the daemon starting). */
  setup: boolean;
}

export class OffloadWorld extends World {
  private topology: Topology | undefined;
  private built: Host | undefined;
  readonly actions: Action[] = [];
  lastCommand: CommandResult | undefined;
  /** The last repeated run of a scale step (steps/scale.steps.ts). */
  scaleRun: RepeatResult | undefined;

  /** What the last command printed and returned. */
  get command(): CommandResult {
    if (!this.lastCommand) throw new Error('no command has run yet: a "When I run" step must come first');
    return this.lastCommand;
  }

  constructor(options: IWorldOptions) {
    super(options);
  }

  get host(): Host {
    if (!this.built) this.built = new Host(this.topology ?? defaultTopology());
    return this.built;
  }

  /** The host if a step has built it (checks must not build one). */
  get builtHost(): Host | undefined {
    return this.built;
  }

  useTopology(file: string): void {
    if (this.built) throw new Error('the topology must be chosen before anything else happens on the host');
    this.topology = loadTopology(file);
  }

  /** Changes the topology (default or chosen) before the host is built, e.g. a device cap. */
  editTopology(edit: (t: Topology) => void): void {
    if (this.built) throw new Error('the topology must be changed before anything else happens on the host');
    this.topology ??= defaultTopology();
    edit(this.topology);
  }

  /** Runs an action on a fresh trace and keeps that trace. */
  act<T>(label: string, fn: () => T): T {
    const host = this.host;
    // ovs-vswitchd starts with the configuration the Given steps wrote; its
    // start-up (datapath, ports, qdiscs, block binds) is an action of its own.
    if (!host.started) this.record('ovs-vswitchd starts', () => host.ovs, true);
    return this.record(label, fn, false);
  }

  private record<T>(label: string, fn: () => T, setup: boolean): T {
    const host = this.host;
    host.tracer.reset();
    try {
      return fn();
    } finally {
      this.actions.push({ label, roots: [...host.tracer.roots], setup });
    }
  }

  /** The trace of the last action the scenario named. */
  get trace(): Hop[] {
    const last = this.actions.filter((a) => !a.setup).pop();
    if (!last) throw new Error('no action has run yet: a When step must come first');
    return last.roots;
  }
}

setWorldConstructor(OffloadWorld);
