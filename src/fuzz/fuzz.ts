// The fuzzer: mutated tc netlink requests fed to the emulated kernel, random
// tc command lines, ODP flow/action strings and topology YAML. Each input
// must be accepted or rejected the way the real component does it (an errno
// in an NLMSG_ERROR, a tool's usage error, OVS's parse error, a YAML error
// naming file:line:col) — never an exception escaping, never a slow input,
// never a broken invariant. Inputs come from fast-check runs with an explicit
// seed: the same seed tries the same inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as fc from 'fast-check';
import { Host, HostError } from '../host/host';
import { runCommand } from '../host/commands';
import { defaultTopology, parseTopology, TopologyError, DEFAULT_TOPOLOGY_FILE } from '../host/topology';
import { checkInvariants, InvariantError } from '../host/invariants';
import { tc_encode } from '../iproute2/tc_encode';
import { nlmsg_split, toHex } from '../netlink/nlmsg';
import { nlmsgerr_decode } from '../netlink/structs';
import { NETLINK_ROUTE, NLMSG_ERROR } from '../kernel/include/uapi/linux/netlink';
import { errnoName } from '../kernel/include/uapi/asm-generic/errno';
import type { NetlinkSocket } from '../kernel/syscall';
import { drawFrom, forEachInput, type Draw } from './draw';
import { mutateNetlink, NL_MUTATIONS } from './netlink-mutate';

export type FuzzTarget = 'netlink' | 'tc-cmdline' | 'odp' | 'topology';
export const FUZZ_TARGETS: readonly FuzzTarget[] = ['netlink', 'tc-cmdline', 'odp', 'topology'];

export interface FuzzFailure {
  target: FuzzTarget;
  /** The input, as text (hex for netlink bytes). */
  input: string;
  /** What went wrong: an escaping exception, a slow input, a broken invariant, a wrong rejection. */
  problem: string;
}

export interface FuzzTargetStats {
  tried: number;
  accepted: number;
  rejected: number;
  /** Inputs that reached a path the emulator declares not emulated yet (it throws loudly there by design). */
  unmodelled: number;
  failures: number;
}

export interface FuzzReport {
  seed: number;
  elapsedMs: number;
  targets: Record<FuzzTarget, FuzzTargetStats>;
  failures: FuzzFailure[];
  /** The emulator gaps reached, by message, with how often. */
  unmodelled: Record<string, number>;
}

export interface FuzzOptions {
  seed: number;
  /** Inputs per target; a target left out is not run. */
  counts: Partial<Record<FuzzTarget, number>>;
  /** Stop after this long even if counts are not reached (wall clock; only bounds the run). */
  seconds?: number;
  /** Per-input time bound (default 250 ms). */
  perInputMs?: number;
  /** A fresh host every this many inputs (default 400), so state stays small. */
  hostEvery?: number;
  /** Stop at the first failures (default 20). */
  maxFailures?: number;
  /** Called after each input with inputs done and inputs asked for (a progress bar). */
  progress?: (done: number, total: number) => void;
}

interface Corpus { ifindex: Record<string, number>; cases: { args: string }[] }

/** The shared corpus of real tc requests, read beside the repository (as tc_encode.test.ts does). */
export function loadTcCorpus(): Corpus {
  const p = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'iproute2-tc-requests.json');
  return JSON.parse(readFileSync(p, 'utf8')) as Corpus;
}

// The corpus' devices mapped onto the default host's representors.
const DEV_MAP: Record<string, string> = { v0: 'enp8s0f0_0', v1: 'enp8s0f0_1' };
const TCMSG_LEN = 20;

function corpusArgs(c: Corpus): string[] {
  return c.cases.map((x) => x.args.split(' ').map((w) => DEV_MAP[w] ?? w).join(' '));
}

/** A host with the qdiscs the corpus assumes (ingress on one rep, clsact on the other). */
function netlinkHost(): Host {
  const host = new Host(defaultTopology(), { tracing: false });
  runCommand(host, 'tc qdisc add dev enp8s0f0_0 ingress');
  runCommand(host, 'tc qdisc add dev enp8s0f0_1 clsact');
  return host;
}

function quote(w: string): string {
  return /^[\w.:/+\-=,]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

type Verdict = 'accepted' | 'rejected';

class Runner {
  readonly report: FuzzReport;
  private readonly t0 = performance.now();
  private done = 0;
  private readonly total: number;

  constructor(readonly o: FuzzOptions) {
    const z = (): FuzzTargetStats => ({ tried: 0, accepted: 0, rejected: 0, unmodelled: 0, failures: 0 });
    this.total = Object.values(o.counts).reduce((x, y) => x + (y ?? 0), 0);
    this.report = { seed: o.seed, elapsedMs: 0, targets: { netlink: z(), 'tc-cmdline': z(), odp: z(), topology: z() }, failures: [], unmodelled: {} };
  }

  get outOfTime(): boolean {
    return (this.o.seconds !== undefined && performance.now() - this.t0 > this.o.seconds * 1000)
      || this.report.failures.length >= (this.o.maxFailures ?? 20);
  }

  /**
   * Runs one input, classifying it; every way of going wrong becomes a failure
   * record. Returns false when the input stopped at an emulator gap: the host
   * was left mid-operation and must not be used further.
   */
  one(target: FuzzTarget, input: string, host: Host | null, fn: () => Verdict): boolean {
    const st = this.report.targets[target];
    st.tried++;
    if (this.o.progress) this.o.progress(++this.done, this.total);
    const start = performance.now();
    let problem: string | undefined;
    try {
      const v = fn();
      st[v]++;
      if (host) checkInvariants(host);
    } catch (e) {
      const gap = e instanceof Error && !(e instanceof InvariantError) ? /^(.*not emulated yet.*)$/m.exec(e.message)?.[1] : undefined;
      if (gap !== undefined) {
        st.unmodelled++;
        this.report.unmodelled[gap] = (this.report.unmodelled[gap] ?? 0) + 1;
        return false;
      }
      problem = e instanceof InvariantError ? e.message : `exception escaped: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
    }
    const ms = performance.now() - start;
    if (!problem && ms > (this.o.perInputMs ?? 250)) problem = `took ${ms.toFixed(0)} ms (bound ${this.o.perInputMs ?? 250} ms)`;
    if (problem) {
      st.failures++;
      this.report.failures.push({ target, input, problem });
    }
    return true;
  }

  finish(): FuzzReport {
    this.report.elapsedMs = performance.now() - this.t0;
    return this.report;
  }
}

/** Sends one datagram and reads every reply; the verdict is the acks' errno. */
function sendNetlink(host: Host, sock: NetlinkSocket, msg: Uint8Array): Verdict {
  return host.run(() => {
    const n = sock.sendmsg(msg);
    let rejected = n < 0;
    for (let reply = sock.recvmsg(), k = 0; reply !== null; reply = sock.recvmsg(), k++) {
      if (k > 10000) throw new Error('more than 10000 replies to one request');
      for (const m of nlmsg_split(reply).msgs) {
        if (m.hdr.nlmsg_type !== NLMSG_ERROR) continue;
        const e = nlmsgerr_decode(m.payload, m.hdr.nlmsg_flags);
        if (!e.ok) throw new Error(`the kernel sent a malformed NLMSG_ERROR: ${e.error}`);
        const err = e.value.error;
        if (err > 0 || errnoName(err).startsWith('-errno')) throw new Error(`the kernel acked with error ${err}, not 0 or a known -errno`);
        if (err < 0) rejected = true;
      }
    }
    return rejected ? 'rejected' : 'accepted';
  });
}

function fuzzNetlink(r: Runner, seed: number, count: number): void {
  const corpus = loadTcCorpus();
  let host = netlinkHost();
  const ifindex: Record<string, number> = { lo: 1 };
  for (const [v, name] of Object.entries(DEV_MAP)) ifindex[v] = host.netdev(name).ifindex;
  const seeds = corpus.cases.flatMap((c) => {
    const e = tc_encode(c.args.split(' '), ifindex);
    return 'requests' in e ? e.requests : [];
  });
  if (seeds.length === 0) throw new Error('fuzz: the tc corpus encoded to no requests');
  let sock = host.kernel.syscalls.netlink_socket(NETLINK_ROUTE) as NetlinkSocket;
  let usable = true;
  let i = 0;
  forEachInput(fc.gen(), seed, count, (g) => {
    if (r.outOfTime) return false;
    const rng = drawFrom(g);
    if (!usable || (i > 0 && i % (r.o.hostEvery ?? 400) === 0)) {
      sock.close();
      host = netlinkHost();
      sock = host.kernel.syscalls.netlink_socket(NETLINK_ROUTE) as NetlinkSocket;
    }
    // Every corpus request in turn, each with a mutation (or two) of its own.
    const base = seeds[i++ % seeds.length]!;
    let msg = mutateNetlink(rng, base, TCMSG_LEN, rng.pick(NL_MUTATIONS), rng.pick(seeds));
    if (rng.bool(0.3)) msg = mutateNetlink(rng, msg, TCMSG_LEN, rng.pick(NL_MUTATIONS), rng.pick(seeds));
    const h = host;
    const s = sock;
    usable = r.one('netlink', toHex(msg), h, () => sendNetlink(h, s, msg));
    return true;
  });
  sock.close();
}

// Words tc knows in places it may not expect them, and plain garbage.
const TC_VOCAB = [
  'add', 'del', 'change', 'replace', 'show', 'get', 'filter', 'qdisc', 'chain', 'dev', 'block', 'ingress', 'egress', 'clsact',
  'protocol', 'ip', 'ipv6', 'all', '802.1q', 'arp', 'prio', 'pref', 'handle', 'flower', 'matchall', 'u32', 'skip_sw', 'skip_hw',
  'verbose', 'dst_ip', 'src_ip', 'dst_mac', 'ip_proto', 'tcp', 'udp', 'dst_port', 'vlan_id', 'action', 'drop', 'pass', 'pipe',
  'goto', 'mirred', 'redirect', 'mirror', 'tunnel_key', 'set', 'unset', 'ct', 'pedit', 'police', 'sample', 'vlan', 'push', 'pop',
  'enp8s0f0', 'enp8s0f0_0', 'enp8s0f0_1', 'lo', 'nosuchdev', '0', '1', '7', '65535', '65536', '-1', '0xffffffff', '4294967296',
  '10.0.0.1', '10.0.0.0/33', '1.2.3', '::1', '2001:db8::/129', '02:00:00:00:00:01', 'zz:zz', '', '"', "'", '\\', 'ÿ', '%s', '--',
  '-s', '-j', '-p', 'help', 'chain', '268435456', 'index', '99',
];

function mutateWords(rng: Draw, words: string[]): string[] {
  const w = words.slice();
  const n = rng.range(1, 3);
  for (let k = 0; k < n; k++) {
    const at = rng.int(w.length + 1);
    switch (rng.int(6)) {
      case 0: w.splice(at, 1); break;
      case 1: w.splice(at, 0, rng.pick(TC_VOCAB)); break;
      case 2: if (w.length) w[Math.min(at, w.length - 1)] = rng.pick(TC_VOCAB); break;
      case 3: if (w.length) w.splice(at, 0, w[rng.int(w.length)]!); break;
      case 4: { const j = rng.int(w.length); const i2 = rng.int(w.length); [w[j], w[i2]] = [w[i2]!, w[j]!]; break; }
      case 5: w.length = Math.min(w.length, at); break;
    }
  }
  return w;
}

/** Runs one command line; a tool's non-zero exit must say why on stderr. */
function runLine(host: Host, line: string): Verdict {
  try {
    const res = runCommand(host, line);
    if (res.exitCode === 0) return 'accepted';
    if (res.stderr.trim() === '') throw new Error(`exit ${res.exitCode} with nothing on stderr`);
    return 'rejected';
  } catch (e) {
    // An input the harness itself refuses (unknown program, shell syntax) is a rejection with a message.
    if (e instanceof HostError) return 'rejected';
    throw e;
  }
}

function fuzzTcCmdline(r: Runner, seed: number, count: number): void {
  const base = corpusArgs(loadTcCorpus()).map((a) => a.split(' '));
  let host = netlinkHost();
  let usable = true;
  let i = 0;
  forEachInput(fc.gen(), seed, count, (g) => {
    if (r.outOfTime) return false;
    const rng = drawFrom(g);
    if (!usable || (i > 0 && i % (r.o.hostEvery ?? 400) === 0)) host = netlinkHost();
    const orig = base[i++ % base.length]!;
    const words = rng.bool(0.1) ? orig : mutateWords(rng, orig);
    const line = `tc ${words.map(quote).join(' ')}`;
    const h = host;
    usable = r.one('tc-cmdline', line, h, () => runLine(h, line));
    return true;
  });
}

// ODP keys and actions as ovs-dpctl users write them.
const ODP_KEYS = [
  'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)',
  'in_port(2),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,frag=no),tcp(dst=80)',
  'in_port(3),eth(src=02:00:00:00:00:03,dst=02:00:00:00:00:04),eth_type(0x86dd),ipv6(src=2001:db8::1,frag=no)',
  'in_port(2),eth(),eth_type(0x8100),vlan(vid=100,pcp=0),encap(eth_type(0x0800),ipv4(frag=no))',
  'recirc_id(0),in_port(2),eth_type(0x0806),arp(sip=10.0.0.1,op=1)',
  'in_port(2),eth(src=02:00:00:00:00:01/ff:ff:ff:00:00:00),eth_type(0x0800),ipv4(dst=10.0.0.0/255.0.0.0,frag=no)',
];
const ODP_ACTIONS = ['1', '3', 'drop', '2,3', 'push_vlan(vid=10,pcp=0),1', 'pop_vlan,2', 'set(ipv4(ttl=63)),1', 'ct(zone=1),recirc(1)', 'recirc(5)', 'userspace(pid=0)', ''];
const ODP_NOISE = ['(', ')', ',', '=', '/', '0x', 'ffff', '99999999999', '-1', 'in_port(', 'eth(', 'ipv4(frag=later)', 'tcp(dst=65536)', 'nosuch(1)', ' ', 'ufid:1234'];

function mutateText(rng: Draw, s: string, noise: readonly string[]): string {
  let t = s;
  const n = rng.range(1, 3);
  for (let k = 0; k < n; k++) {
    const at = rng.int(t.length + 1);
    switch (rng.int(5)) {
      case 0: t = t.slice(0, at) + t.slice(at + rng.range(1, 6)); break;
      case 1: t = t.slice(0, at) + rng.pick(noise) + t.slice(at); break;
      case 2: t = t.slice(0, at); break;
      case 3: { const m = /\d+/.exec(t.slice(at)); if (m) t = t.slice(0, at + m.index) + String(rng.pick([0, 1, 255, 256, 65535, 65536, 4294967295, rng.u32()])) + t.slice(at + m.index + m[0].length); break; }
      case 4: t = t.slice(0, at) + String.fromCharCode(rng.range(32, 126)) + t.slice(at); break;
    }
  }
  return t;
}

function odpHost(): Host {
  const host = new Host(defaultTopology(), { tracing: false });
  runCommand(host, 'ovs-vsctl set Open_vSwitch . other_config:hw-offload=true');
  return host;
}

function fuzzOdp(r: Runner, seed: number, count: number): void {
  let host = odpHost();
  let usable = true;
  let i = 0;
  forEachInput(fc.gen(), seed, count, (g) => {
    if (r.outOfTime) return false;
    const rng = drawFrom(g);
    if (!usable || (i > 0 && i % (r.o.hostEvery ?? 400) === 0)) host = odpHost();
    i++;
    const key = rng.bool(0.8) ? mutateText(rng, rng.pick(ODP_KEYS), ODP_NOISE) : rng.pick(ODP_KEYS);
    const actions = rng.bool(0.5) ? mutateText(rng, rng.pick(ODP_ACTIONS), ODP_NOISE) : rng.pick(ODP_ACTIONS);
    const line = rng.bool(0.2)
      ? `emulate upcall 2 ${quote(key)} ${quote(actions)}`
      : rng.bool(0.85) ? `ovs-appctl dpctl/add-flow ${quote(key)} ${quote(actions)}` : `ovs-appctl dpctl/del-flow ${quote(key)}`;
    const h = host;
    usable = r.one('odp', line, h, () => runLine(h, line));
    // dpctl/add-flow puts with CREATE only, so a key already in the kernel
    // datapath may also land in tc, in real OVS too (lib/dpif-netlink.c
    // parse_flow_put, v3.6.3): each input starts from an empty flow table.
    if (usable) runLine(h, 'ovs-appctl dpctl/del-flows');
    return true;
  });
}

const YAML_NOISE = ['colour: red', 'num_vfs: -1', 'num_vfs: 99', 'eswitch_mode: switchdev', 'eswitch_mode: bogus', 'model: ConnectX-9',
  'representors: [a, b, c]', 'log_max_ft_size: 99', 'port: 0', '- { name: nosuch, port: 9 }', '  ', '\t', ':', '- ', '{', '[', '"', 'ignore_flow_level: maybe',
  'flow_steering_mode: smfs', 'uplink: enp8s0f0_0', 'pci: "0000:08:00.0"'];

function mutateYaml(rng: Draw, text: string): string {
  const lines = text.split('\n');
  const n = rng.range(1, 3);
  for (let k = 0; k < n; k++) {
    const at = rng.int(lines.length);
    switch (rng.int(5)) {
      case 0: lines.splice(at, 1); break;
      case 1: lines.splice(at, 0, (lines[at]?.match(/^\s*/)?.[0] ?? '') + rng.pick(YAML_NOISE)); break;
      case 2: lines[at] = mutateText(rng, lines[at] ?? '', YAML_NOISE); break;
      case 3: lines.splice(at, 0, lines[rng.int(lines.length)] ?? ''); break;
      case 4: lines[at] = (rng.bool() ? '  ' : '') + (lines[at] ?? '').replace(/^ {2}/, ''); break;
    }
  }
  return lines.join('\n');
}

function fuzzTopology(r: Runner, seed: number, count: number): void {
  const base = readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8');
  forEachInput(fc.gen(), seed, count, (g) => {
    if (r.outOfTime) return false;
    const text = mutateYaml(drawFrom(g), base);
    r.one('topology', text, null, () => {
      let t;
      try {
        t = parseTopology(text, 'fuzz.yaml');
      } catch (e) {
        if (!(e instanceof TopologyError)) throw e;
        if (!/fuzz\.yaml:\d+:\d+/.test(e.message)) throw new Error(`topology error without file:line:col: ${e.message}`);
        return 'rejected';
      }
      try {
        const host = new Host(t, { tracing: false });
        checkInvariants(host);
        runLine(host, 'ovs-appctl dpctl/add-flow "in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)" 1');
        checkInvariants(host);
      } catch (e) {
        if (e instanceof HostError) return 'rejected';
        throw e;
      }
      return 'accepted';
    });
    return true;
  });
}

/** Runs the fuzzer over the targets given counts for; deterministic in its inputs for a seed. */
export function runFuzz(o: FuzzOptions): FuzzReport {
  const r = new Runner(o);
  // One fast-check seed per target, so one target's count does not shift another's inputs.
  const seedOf = (t: FuzzTarget): number => (o.seed + 0x9e3779b9 * (FUZZ_TARGETS.indexOf(t) + 1)) | 0;
  if (o.counts.netlink) fuzzNetlink(r, seedOf('netlink'), o.counts.netlink);
  if (o.counts['tc-cmdline']) fuzzTcCmdline(r, seedOf('tc-cmdline'), o.counts['tc-cmdline']);
  if (o.counts.odp) fuzzOdp(r, seedOf('odp'), o.counts.odp);
  if (o.counts.topology) fuzzTopology(r, seedOf('topology'), o.counts.topology);
  return r.finish();
}

/** A human summary: per target tried/accepted/rejected/failures and inputs per second. */
export function formatFuzzReport(rep: FuzzReport): string {
  const lines = [`fuzz seed ${rep.seed}: ${(rep.elapsedMs / 1000).toFixed(1)} s`];
  let total = 0;
  for (const t of FUZZ_TARGETS) {
    const s = rep.targets[t];
    total += s.tried;
    if (s.tried) lines.push(`  ${t.padEnd(11)} tried ${s.tried}, accepted ${s.accepted}, rejected ${s.rejected}, not emulated ${s.unmodelled}, failures ${s.failures}`);
  }
  lines.push(`  total       ${total} inputs, ${(total / Math.max(rep.elapsedMs / 1000, 1e-3)).toFixed(0)} inputs/s, failures ${rep.failures.length}`);
  for (const [gap, n] of Object.entries(rep.unmodelled)) lines.push(`  not emulated (${n}×): ${gap}`);
  for (const f of rep.failures.slice(0, 10)) lines.push(`FAIL ${f.target}: ${f.problem.split('\n').slice(0, 6).join('\n    ')}\n    input: ${f.input.length > 400 ? `${f.input.slice(0, 400)}…` : f.input}`);
  return `${lines.join('\n')}\n`;
}
