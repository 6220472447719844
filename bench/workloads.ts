// The measured workloads. Each builds a fresh emulated host (the default
// topology: one ConnectX-6 Dx in switchdev mode under OVS bridge br0), puts
// flows through one entry point and reports time and memory. They run inside
// a worker process (see run.ts) so every measurement starts from a clean heap.
import { Host } from '../src/host/host';
import { defaultTopology } from '../src/host/topology';
import { runCommand } from '../src/host/commands';
import { tc_encode } from '../src/iproute2/tc_encode';
import { NETLINK_ROUTE, NLMSG_ERROR } from '../src/kernel/include/uapi/linux/netlink';
import { RTM_NEWTFILTER } from '../src/kernel/include/uapi/linux/rtnetlink';
import { nlmsghdr_decode, NLMSG_HDRLEN } from '../src/netlink/nlmsg';
import { nlmsg_set_seq_pid } from '../src/netlink/msgbuf';
import { nlmsgerr_decode } from '../src/netlink/structs';
import { errnoName } from '../src/kernel/include/uapi/asm-generic/errno';
import { flatten } from '../src/trace/query';
import type { Hop } from '../src/trace/hop';
import type { NetlinkSocket } from '../src/kernel/syscall';
import { nthDst } from './stats';

/** Flows go from VF 0's representor (dp port 2) to VF 1's (dp port 3). */
export const IN_DEV = 'enp8s0f0_0';
export const OUT_DEV = 'enp8s0f0_1';

export interface MemSample { heapUsed: number; rss: number }

export interface RunResult {
  /** Flows asked for and flows installed before the end (or the budget). */
  n: number;
  installed: number;
  ms: number;
  /** Milliseconds taken by the last tenth of the installed flows (1024-flow resolution). */
  tailMs: number;
  /** How many flows tailMs covers. */
  tailN: number;
  /** Heap / RSS growth from the ready host to the end, after a full GC. */
  heapDelta: number;
  rssDelta: number;
  /** Why it stopped early: 'budget', or the refusal of a put. */
  stopped?: string;
  refused?: Refusal;
}

/** Where a put was refused, as seen from user space and from the trace. */
export interface Refusal {
  index: number;
  errno: string;
  extack?: string;
  /** The deepest hop that returned the error, `file:function = -ERR`. */
  decisive?: string;
  /** The hop path down to it. */
  path?: string[];
}

export interface WorkloadOptions {
  n: number;
  tracing: boolean;
  budgetMs: number;
  progress(done: number, total: number): void;
  gc: () => void;
}

function mem(gc: () => void): MemSample {
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss };
}

/** A host with hw-offload on and ovs-vswitchd started, ready for puts. */
export function readyHost(tracing: boolean): Host {
  const host = new Host(defaultTopology(), { tracing });
  host.updateOtherConfig({ 'hw-offload': 'true' });
  void host.ovs;
  host.tracer.reset();
  return host;
}

/** The deepest hop that returned a negative errno, with the path to it. */
export function decisive(roots: readonly Hop[]): { hop: Hop; path: string[] } | undefined {
  let best: { hop: Hop; path: string[] } | undefined;
  const walk = (h: Hop, path: string[]): void => {
    const p = [...path, h.fn];
    if (h.errno !== undefined && h.errno < 0 && (!best || p.length > best.path.length)) best = { hop: h, path: p };
    for (const c of h.children) walk(c, p);
  };
  for (const r of roots) walk(r, []);
  return best;
}

function loop(o: WorkloadOptions, host: Host, put: (i: number) => string | undefined, retrace: (i: number) => Refusal): RunResult {
  const before = mem(o.gc);
  const t0 = performance.now();
  // (flows done, time) every 1024 flows, to find the cost of the last tenth.
  const marks: [number, number][] = [[0, t0]];
  let i = 0;
  let stopped: string | undefined;
  let refused: Refusal | undefined;
  for (; i < o.n; i++) {
    const err = put(i);
    if (err !== undefined) {
      stopped = err;
      break;
    }
    // A traced host keeps one command's trace, as a scenario's When step does.
    if (o.tracing) host.tracer.reset();
    if ((i & 1023) === 1023) {
      const t = performance.now();
      marks.push([i + 1, t]);
      o.progress(i + 1, o.n);
      if (t - t0 > o.budgetMs) {
        i++;
        stopped = 'budget';
        break;
      }
    }
  }
  const t1 = performance.now();
  const from = i - Math.max(1, Math.floor(i / 10));
  let tail = marks[0]!;
  for (const mk of marks) if (mk[0] <= from) tail = mk;
  if (stopped !== undefined && stopped !== 'budget') refused = retrace(i);
  o.progress(i, o.n);
  const after = mem(o.gc);
  // Keep the host alive until memory was measured.
  void host.nics.length;
  return {
    n: o.n, installed: i, ms: t1 - t0, tailMs: t1 - tail[1], tailN: i - tail[0],
    heapDelta: after.heapUsed - before.heapUsed, rssDelta: after.rss - before.rss, stopped, refused,
  };
}

/** The flow of put i, as `ovs-appctl dpctl/add-flow` takes it. */
export function chainFlow(i: number): [string, string] {
  return [`in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(dst=${nthDst(i)},frag=no)`, '3'];
}

/**
 * Measurement 1: N distinct flows through `ovs-appctl dpctl/add-flow`
 * (ovs-vswitchd's dpctl → dpif → netdev-offload-tc → netlink bytes → kernel
 * → cls_flower → mlx5 → fs_core → firmware).
 */
export function fullChain(o: WorkloadOptions): RunResult {
  const host = readyHost(o.tracing);
  const ovs = host.ovs;
  const put = (i: number): string | undefined => {
    const [key, actions] = chainFlow(i);
    const r = host.run(() => ovs.dpctl(['add-flow', key, actions], true));
    return r.exitCode === 0 ? undefined : r.stderr.trim().split('\n')[0];
  };
  const retrace = (i: number): Refusal => {
    host.tracer.enabled = true;
    host.tracer.reset();
    const [key, actions] = chainFlow(i);
    const r = host.run(() => ovs.dpctl(['add-flow', key, actions], true));
    const d = decisive(host.tracer.roots);
    return {
      index: i, errno: r.stderr.trim().split('\n')[0] ?? '',
      decisive: d ? `${d.hop.file}:${d.hop.fn} = ${d.hop.result}` : undefined, path: d?.path, extack: d?.hop.extack,
    };
  };
  return loop(o, host, put, retrace);
}

/** The bytes of `tc filter add dev IN_DEV ingress … flower skip_sw dst_ip DST action mirred …`, one template per host. */
export class TcRequests {
  private readonly template: Uint8Array;
  private readonly at: number;

  constructor(ifindex: Record<string, number>, opts: { skip_sw: boolean }) {
    const enc = (dst: string): Uint8Array => {
      const argv = ['filter', 'add', 'dev', IN_DEV, 'ingress', 'protocol', 'ip', 'prio', '1', 'flower',
        ...(opts.skip_sw ? ['skip_sw'] : []), 'dst_ip', dst, 'action', 'mirred', 'egress', 'redirect', 'dev', OUT_DEV];
      const r = tc_encode(argv, ifindex);
      if (!('requests' in r)) throw new Error(`tc ${argv.join(' ')}: ${r.stderr}`);
      const m = r.requests.find((q) => nlmsghdr_decode(q, 0).nlmsg_type === RTM_NEWTFILTER);
      if (!m) throw new Error(`tc ${argv.join(' ')}: no RTM_NEWTFILTER request`);
      return m;
    };
    // The address is the only difference between two requests: find it once,
    // then each request is the template with those 4 bytes replaced, exactly
    // what tc would have encoded.
    const a = enc('10.255.255.1');
    const b = enc('10.255.255.2');
    const diff: number[] = [];
    for (let k = 0; k < a.byteLength; k++) if (a[k] !== b[k]) diff.push(k);
    if (a.byteLength !== b.byteLength || diff.length !== 1) throw new Error('tc requests differ in more than the address');
    this.template = a;
    this.at = diff[0]! - 3;
  }

  /** Request i (dst nthDst(i)), with nlmsg_seq = seq. */
  request(i: number, seq: number, pid: number): Uint8Array {
    const m = this.template.slice();
    const [w, x, y, z] = nthDst(i).split('.').map(Number) as [number, number, number, number];
    m[this.at] = w; m[this.at + 1] = x; m[this.at + 2] = y; m[this.at + 3] = z;
    nlmsg_set_seq_pid(m, seq, pid);
    return m;
  }
}

/** The kernel's answer to one request: 0 or the errno and extack of its ack. */
function transact(sock: NetlinkSocket, req: Uint8Array): { error: number; extack?: string } {
  const sent = sock.sendmsg(req);
  if (sent < 0) return { error: sent };
  let reply: { error: number; extack?: string } = { error: 0 };
  for (let r = sock.recvmsg(); r !== null; r = sock.recvmsg()) {
    const h = nlmsghdr_decode(r, 0);
    if (h.nlmsg_type !== NLMSG_ERROR) continue;
    const e = nlmsgerr_decode(r.subarray(NLMSG_HDRLEN, h.nlmsg_len), h.nlmsg_flags);
    if (e.ok) reply = { error: e.value.error, extack: e.value.ext_msg };
  }
  return reply;
}

function tcHost(o: WorkloadOptions): { host: Host; sock: NetlinkSocket; reqs: TcRequests } {
  const host = new Host(defaultTopology(), { tracing: o.tracing });
  const q = runCommand(host, `tc qdisc add dev ${IN_DEV} ingress`);
  if (q.exitCode !== 0) throw new Error(`tc qdisc add: ${q.stderr}`);
  const ifindex = Object.fromEntries([IN_DEV, OUT_DEV].map((d) => [d, host.netdev(d).ifindex]));
  const reqs = new TcRequests(ifindex, { skip_sw: true });
  const sock = host.run(() => host.kernel.syscalls.netlink_socket(NETLINK_ROUTE));
  if (typeof sock === 'number') throw new Error(`netlink socket: ${sock}`);
  host.tracer.reset();
  return { host, sock, reqs };
}

function tcLoop(o: WorkloadOptions, host: Host, sock: NetlinkSocket, reqs: TcRequests): RunResult {
  let seq = 1;
  const put = (i: number): string | undefined => {
    const r = host.run(() => transact(sock, reqs.request(i, seq++, sock.portid)));
    return r.error === 0 ? undefined : `${errnoName(r.error)}${r.extack ? ` (${r.extack})` : ''}`;
  };
  const retrace = (i: number): Refusal => {
    host.tracer.enabled = true;
    host.tracer.reset();
    const r = host.run(() => transact(sock, reqs.request(i, seq++, sock.portid)));
    const d = decisive(host.tracer.roots);
    return {
      index: i, errno: errnoName(r.error), extack: r.extack,
      decisive: d ? `${d.hop.file}:${d.hop.fn} = ${d.hop.result}` : undefined, path: d?.path,
    };
  };
  return loop(o, host, put, retrace);
}

/** Measurement 2: N `tc filter add … skip_sw` requests as netlink bytes into the kernel. */
export function tcPath(o: WorkloadOptions): RunResult {
  const { host, sock, reqs } = tcHost(o);
  return tcLoop(o, host, sock, reqs);
}

/**
 * Measurement 5: skip_sw filters on one device, chain 0 prio 1, one mask,
 * until the FDB table (chain 0, prio 1) of the default NIC refuses one.
 */
export function fdbFill(o: WorkloadOptions): RunResult & { ftes: number } {
  const { host, sock, reqs } = tcHost(o);
  const r = tcLoop(o, host, sock, reqs);
  return { ...r, ftes: host.nic().fw.ftes().length };
}

/** Hops on the untraced path, for the report: how many hops one full-chain put is. */
export function hopsPerPut(): number {
  const host = readyHost(true);
  const [key, actions] = chainFlow(0);
  host.run(() => host.ovs.dpctl(['add-flow', key, actions], true));
  return flatten(host.tracer.roots).length;
}
