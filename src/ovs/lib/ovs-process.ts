// One ovs-vswitchd (or ovs-dpctl) process. Upstream OVS keeps per-process
// state in file statics (tc_policy, ufid_to_tc, the flow API registry, the
// netlink socket pools, ...); here each module keeps that state on the
// process object instead, so many emulated hosts coexist in one test run.
import type { Syscalls } from '../../kernel/syscall';
import { errnoName } from '../../kernel/include/uapi/asm-generic/errno';
import { Vlog } from './vlog';

export class OvsProcess {
  readonly vlog: Vlog;
  private readonly statics = new Map<string, unknown>();

  constructor(
    /** How this process reaches the kernel: netlink sockets only. */
    readonly sys: Syscalls,
    /** Program name used in error messages (`ovs-vswitchd`, `ovs-dpctl`). */
    readonly program_name: string,
    private readonly clock: () => number = () => Date.UTC(2026, 0, 1),
  ) {
    this.vlog = new Vlog(clock);
  }

  /** time_msec(): the process clock (injected, so output is reproducible). */
  time_msec(): number {
    return this.clock();
  }

  /** COVERAGE_DEFINE counters (`ovs-appctl coverage/show`). */
  readonly coverage = new Map<string, number>();

  coverage_inc(name: string, n = 1): void {
    this.coverage.set(name, (this.coverage.get(name) ?? 0) + n);
  }

  /** The file-static state of module `file`, created on first use. */
  static_of<T>(file: string, init: () => T): T {
    let s = this.statics.get(file) as T | undefined;
    if (s === undefined) {
      s = init();
      this.statics.set(file, s);
    }
    return s;
  }
}

/** Trace text of an OVS errno result: `0`, `EOPNOTSUPP` (positive) or `-EOPNOTSUPP`. */
export function errno_text(e: number): string {
  return e === 0 ? '0' : errnoName(e);
}
