// The soak: seeded random sequences of user operations on the default host —
// tc filters, OVS datapath flows and upcalls, ethtool and devlink changes —
// interleaved with faults (firmware command failures, hw-tc-offload toggles,
// eswitch mode changes, flows deleted under load), with every invariant
// checked after each op. A failure is shrunk to a minimal op list and handed
// back as an `offload-spec run` script.
import { Host, HostError } from '../host/host';
import { runCommand } from '../host/commands';
import { defaultTopology } from '../host/topology';
import { invariantViolations } from '../host/invariants';
import { Rng } from '../fuzz/rng';

export interface SoakOptions {
  seed: number;
  ops: number;
  /** Changes the host right after it is built (tests use it to plant a bug). */
  prepare?: (host: Host) => void;
}

export interface SoakFailure {
  /** Index of the op after which the failure showed. */
  at: number;
  problem: string;
  /** The minimal op list that still fails. */
  minimal: string[];
  /** `minimal` as an offload-spec run script. */
  script: string;
}

export interface SoakReport {
  seed: number;
  ops: number;
  /** Ops by outcome: the tool accepted it, or rejected it (non-zero exit or usage error). */
  accepted: number;
  rejected: number;
  failure: SoakFailure | null;
}

const PCI = '0000:08:00.0';
const DEVS = ['enp8s0f0_0', 'enp8s0f0_1', 'enp8s0f0'];
const PORT_OF: Record<string, number> = { enp8s0f0: 1, enp8s0f0_0: 2, enp8s0f0_1: 3 };
// Faults on commands whose failure upstream unwinds. SET_FLOW_TABLE_ENTRY is
// left out: when it fails while fs_chains re-points a miss rule during
// teardown, upstream only WARNs (lib/fs_chains.c mlx5_chains_destroy_prio,
// v6.18) and the table stays referenced, so "nothing remains" cannot hold.
const CREATE_OPCODES = ['CREATE_FLOW_TABLE', 'CREATE_FLOW_GROUP', 'ALLOC_FLOW_COUNTER'];

function odpKey(rng: Rng, port: number): string {
  const x = rng.range(1, 6);
  return rng.pick([
    `in_port(${port}),eth(src=02:00:00:00:00:0${x},dst=02:00:00:00:00:0${x + 1}),eth_type(0x0800),ipv4(frag=no)`,
    `in_port(${port}),eth_type(0x0800),ipv4(src=10.0.0.${x},frag=no)`,
    `in_port(${port}),eth(src=02:00:00:00:00:0${x},dst=02:00:00:00:00:0${x + 1}),eth_type(0x86dd),ipv6(frag=no)`,
  ]);
}

/** One random op: a command line as a user would type it. */
export function randomOp(rng: Rng, o: { modeChanges: boolean } = { modeChanges: true }): string {
  const dev = rng.pick(DEVS);
  // Direct tc filters keep to prios OVS never picks: deleting OVS's own
  // filters behind its back leaves its ufid map stale in the real stack too.
  const prio = rng.range(100, 103);
  const ip = `10.0.0.${rng.range(1, 4)}`;
  const policy = rng.pick(['', 'skip_sw ', 'skip_hw ', '']);
  const action = rng.pick(['action drop', `action mirred egress redirect dev ${rng.pick(DEVS)}`, 'action pass', 'action goto chain 1']);
  const chain = rng.bool(0.2) ? ' chain 1' : '';
  const port = PORT_OF[dev]!;
  switch (rng.int(18)) {
    case 0: case 1: case 2:
      return `tc filter add dev ${dev} ingress protocol ip prio ${prio}${chain}${rng.bool() ? ` handle ${rng.range(1, 3)}` : ''} flower ${policy}dst_ip ${ip} ${action}`;
    case 3:
      return `tc filter replace dev ${dev} ingress protocol ip prio ${prio} handle ${rng.range(1, 3)} flower ${policy}dst_ip ${ip} ${action}`;
    case 4:
      return `tc filter del dev ${dev} ingress protocol ip prio ${prio} handle ${rng.range(1, 3)} flower`;
    case 5:
      return `tc filter del dev ${dev} ingress prio ${prio}`;
    case 6:
      return rng.bool() ? `tc qdisc add dev ${dev} ingress` : `tc chain add dev ${dev} ingress chain 1`;
    case 7: case 8:
      return `ovs-vsctl set Open_vSwitch . other_config:tc-policy=${rng.pick(['none', 'skip_sw', 'skip_hw'])}`;
    case 9: case 10:
      // Datapath flows come from upcalls: dpctl/add-flow puts with CREATE
      // only, so once offload is on it may leave a key both in tc and in the
      // kernel datapath in real OVS too (lib/dpif-netlink.c parse_flow_put
      // deletes the kernel flow only for DPIF_FP_MODIFY, v3.6.3).
      return `emulate upcall ${port} '${odpKey(rng, port).replace(/^in_port\(\d+\),/, '')}' '${rng.pick(['1', '2', '3', 'drop', '2,3'])}'`;
    case 11:
      return rng.bool(0.7) ? `ovs-appctl dpctl/del-flow '${odpKey(rng, port)}'` : 'ovs-appctl dpctl/del-flows';
    case 12:
      return `emulate upcall ${port} '${odpKey(rng, port).replace(/^in_port\(\d+\),/, '')}' '${rng.pick(['1', '2', '3', 'drop'])}'`;
    case 13:
      return `ethtool -K ${dev} hw-tc-offload ${rng.pick(['on', 'off'])}`;
    case 14:
      // A mode change unregisters the representors; OVS does not follow port
      // netdevs going away (not emulated), so it runs only without offload.
      if (!o.modeChanges) return `ethtool -k ${dev}`;
      return `devlink dev eswitch set pci/${PCI} mode ${rng.pick(['legacy', 'switchdev'])}`;
    case 15:
      return `emulate firmware fail ${rng.pick(CREATE_OPCODES)} status 0x3 syndrome 0x1f0001 count ${rng.range(1, 2)}`;
    case 16:
      return rng.bool() ? 'sleep 1' : `emulate traffic ${rng.range(1, 100)} packets ${rng.range(64, 6400)} bytes`;
    default:
      return `tc -s filter show dev ${dev} ingress`;
  }
}

/** The ops of a seed (the same seed gives the same list). */
export function soakOps(seed: number, n: number): string[] {
  const rng = new Rng(seed);
  // hw-offload is chosen once per seed, before any flow exists: turning it on
  // later is another way to a key both in tc and in the kernel datapath.
  const offload = rng.bool(0.7);
  const first = `ovs-vsctl set Open_vSwitch . other_config:hw-offload=${offload}`;
  return [first, ...Array.from({ length: Math.max(n - 1, 0) }, () => randomOp(rng, { modeChanges: !offload }))];
}

interface RunResult { accepted: number; rejected: number; failedAt: number; problem: string }

/** Runs ops on a fresh default host; failedAt = -1 when every invariant held after every op. */
export function runOps(ops: readonly string[], prepare?: (host: Host) => void): RunResult {
  const host = new Host(defaultTopology(), { tracing: false });
  prepare?.(host);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < ops.length; i++) {
    try {
      const r = runCommand(host, ops[i]!);
      if (r.exitCode === 0) accepted++;
      else rejected++;
    } catch (e) {
      if (!(e instanceof HostError)) {
        return { accepted, rejected, failedAt: i, problem: `exception escaped: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
      }
      rejected++;
    }
    const v = invariantViolations(host);
    if (v.length > 0) return { accepted, rejected, failedAt: i, problem: `invariant broken:\n${v.map((x) => `  - ${x}`).join('\n')}` };
  }
  return { accepted, rejected, failedAt: -1, problem: '' };
}

/** What kind of failure a problem is, so shrinking keeps the same bug, not any bug. */
function failureClass(problem: string): string {
  const first = problem.split('\n').find((l) => l.startsWith('  - ')) ?? problem.split('\n')[0]!;
  return first.replace(/\d+/g, 'N');
}

/**
 * Delta debugging (ddmin) over the op list: drops chunks, then single ops,
 * while the same class of failure remains.
 */
export function shrinkOps(ops: readonly string[], prepare?: (host: Host) => void): string[] {
  const want = failureClass(runOps(ops, prepare).problem);
  const fails = (xs: readonly string[]): boolean => {
    const r = runOps(xs, prepare);
    return r.failedAt >= 0 && failureClass(r.problem) === want;
  };
  let cur = ops.slice();
  let n = 2;
  while (cur.length >= 2) {
    const chunk = Math.ceil(cur.length / n);
    let reduced = false;
    for (let start = 0; start < cur.length; start += chunk) {
      const cand = [...cur.slice(0, start), ...cur.slice(start + chunk)];
      if (cand.length > 0 && fails(cand)) {
        cur = cand;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunk === 1) break;
      n = Math.min(n * 2, cur.length);
    }
  }
  // Cut whatever follows the op that fails.
  const r = runOps(cur, prepare);
  return r.failedAt >= 0 ? cur.slice(0, r.failedAt + 1) : cur;
}

/** An `offload-spec run` script reproducing a failure. */
export function soakScript(seed: number, problem: string, ops: readonly string[]): string {
  const head = [`# offload-spec soak --seed ${seed}: minimal reproduction`, ...problem.split('\n').slice(0, 8).map((l) => `# ${l}`)];
  return `${[...head, ...ops].join('\n')}\n`;
}

/** Runs one seed; on failure shrinks and builds the reproduction script. */
export function runSoak(o: SoakOptions): SoakReport {
  const ops = soakOps(o.seed, o.ops);
  const r = runOps(ops, o.prepare);
  if (r.failedAt < 0) return { seed: o.seed, ops: ops.length, accepted: r.accepted, rejected: r.rejected, failure: null };
  const minimal = shrinkOps(ops.slice(0, r.failedAt + 1), o.prepare);
  const again = runOps(minimal, o.prepare);
  const problem = again.failedAt >= 0 ? again.problem : r.problem;
  return {
    seed: o.seed, ops: r.failedAt + 1, accepted: r.accepted, rejected: r.rejected,
    failure: { at: r.failedAt, problem, minimal, script: soakScript(o.seed, problem, minimal) },
  };
}
