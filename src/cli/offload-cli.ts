// The offload-spec command line: run a script of commands against a fresh
// host, trace one command, or encode a tc command's netlink requests. All I/O
// is injected, so tests drive it like any other object.
import { Host, HostError } from '../host/host';
import { defaultTopology, loadTopology, TopologyError, type Topology } from '../host/topology';
import { runCommand, splitCommandLine, type CommandResult } from '../host/commands';
import { formatFunctionGraph } from '../trace/ftrace';
import { flatten } from '../trace/query';
import type { Hop } from '../trace/hop';
import { tc_encode } from '../iproute2/tc_encode';
import { toHex } from '../netlink/nlmsg';
import { tcFilters, ftes } from '../host/query';
import { ovs_dp_flows } from '../kernel/query';
import { parseNdjson, mergeStreams } from '../report/model';
import { writeReports } from '../report/write';
import { checkInvariants, InvariantError } from '../host/invariants';
import { emulatorCatalog } from '../report/catalog';
import { explainHop, type CoverageView } from '../docs/explain';
import { findHopSource } from '../docs/hop-sources';
import { join } from 'node:path';

export interface CliIo {
  argv: readonly string[];
  cwd: string;
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
  readStdin(): string;
  /** Writes a file, creating its directory (needed by `report`). */
  writeFile?(path: string, text: string): void;
}

const USAGE = `usage: offload-spec run [--topology FILE] [--json] SCRIPT|-
       offload-spec trace [--topology FILE] -- COMMAND...
       offload-spec encode [--ifindex NAME=N,...] -- tc ...
       offload-spec explain HOP
       offload-spec report [--out DIR] MESSAGES.ndjson...
`;

class UsageError extends Error {}

/**
 * An exception escaped the emulator while it ran a command: a bug in
 * offload-spec, never the answer a real tool would give. Reported with the
 * script line and the emulator frame it came from, not a bare stack.
 */
class EmulatorBug extends Error {
  constructor(where: string, line: string, cause: unknown) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    const frame = cause instanceof Error ? /\((.*\/src\/[^)]*)\)/.exec(cause.stack ?? '')?.[1]?.replace(/^.*\/(src\/)/, '$1') : undefined;
    super(`${where}: emulator bug while running "${line}": ${msg}${frame ? ` (at ${frame})` : ''}; please report it with this script`);
  }
}

interface Options {
  topology?: string;
  out?: string;
  json: boolean;
  ifindex: Record<string, number>;
  rest: string[];
}

function parseOptions(args: readonly string[]): Options {
  const o: Options = { json: false, ifindex: {}, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { o.rest.push(...args.slice(i + 1)); break; }
    if (a === '--json') o.json = true;
    else if (a === '--topology') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('--topology needs a file');
      o.topology = v;
    } else if (a === '--out') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('--out needs a directory');
      o.out = v;
    } else if (a === '--ifindex') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('--ifindex needs NAME=N[,NAME=N…]');
      for (const pair of v.split(',')) {
        const m = /^([^=]+)=(\d+)$/.exec(pair);
        if (!m) throw new UsageError(`--ifindex: "${pair}" is not NAME=N`);
        o.ifindex[m[1]!] = Number(m[2]);
      }
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else o.rest.push(a);
  }
  return o;
}

export interface ScriptCommandJson {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  hops: { fn: string; file: string; layer: string; depth: number; result: string | null }[];
}

function hopsJson(roots: readonly Hop[]): ScriptCommandJson['hops'] {
  return flatten(roots).map((h) => ({ fn: h.fn, file: h.file, layer: h.layer, depth: h.depth, result: h.result ?? null }));
}

/** The host's state after a script: the `state` member of `run --json`. */
export function hostStateJson(host: Host): Record<string, unknown> {
  return {
    tcFilters: tcFilters(host).map((f) => ({
      dev: f.dev, block: f.block_index, chain: f.chain, prio: f.prio, protocol: f.protocol, handle: f.handle,
      kind: f.kind, flags: f.flags, in_hw_count: f.in_hw_count,
    })),
    ftes: ftes(host).map((f) => ({
      device: f.pci, table: f.table_id, table_type: f.table_type, group: f.group_id, index: f.index,
      match: f.match_value, actions: f.action, destinations: f.destinations,
    })),
    datapathFlows: ovs_dp_flows(host.kernel.net).map((d) => ({ dp: d.dp, ufid: d.ufid, key: toHex(d.key), mask: toHex(d.mask), actions: toHex(d.actions) })),
  };
}

export class OffloadCli {
  constructor(private readonly io: CliIo) {}

  private topology(file: string | undefined): Topology {
    return file === undefined ? defaultTopology() : loadTopology(file);
  }

  /** Returns the process exit status. */
  main(): number {
    const [sub, ...args] = this.io.argv;
    try {
      switch (sub) {
        case 'run': return this.run(parseOptions(args));
        case 'trace': return this.trace(parseOptions(args));
        case 'encode': return this.encode(parseOptions(args));
        case 'report': return this.report(parseOptions(args));
        case 'explain': return this.explain(parseOptions(args));
        case undefined: case '-h': case '--help':
          this.io.stdout(USAGE);
          return sub === undefined ? 2 : 0;
        default:
          throw new UsageError(`unknown subcommand "${sub}"`);
      }
    } catch (e) {
      if (e instanceof UsageError) {
        this.io.stderr(`offload-spec: ${e.message}\n${USAGE}`);
        return 2;
      }
      if (e instanceof TopologyError || e instanceof HostError) {
        this.io.stderr(`offload-spec: ${e.message}\n`);
        return 1;
      }
      // The emulator reached a state the real stack cannot be in (EX_SOFTWARE).
      if (e instanceof InvariantError || e instanceof EmulatorBug) {
        this.io.stderr(`offload-spec: ${e.message}\n`);
        return 70;
      }
      throw e;
    }
  }

  private run(o: Options): number {
    if (o.rest.length !== 1) throw new UsageError('run takes one script file (or - for standard input)');
    const src = o.rest[0]!;
    const text = src === '-' ? this.io.readStdin() : this.io.readFile(src);
    const host = new Host(this.topology(o.topology));
    const results: ScriptCommandJson[] = [];
    let failed = false;
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      host.tracer.reset();
      let r: CommandResult;
      try {
        r = runCommand(host, line);
      } catch (e) {
        if (!(e instanceof HostError)) throw new EmulatorBug(`${src}:${i + 1}`, line, e);
        r = { command: line, exitCode: 127, stdout: '', stderr: `offload-spec: ${src}:${i + 1}: ${e.message}\n` };
      }
      if (r.exitCode !== 0) failed = true;
      results.push({ ...r, hops: hopsJson(host.tracer.roots) });
      if (!o.json) {
        this.io.stdout(r.stdout);
        this.io.stderr(r.stderr);
      }
      checkInvariants(host, `${src}:${i + 1}: after "${line}"`);
    });
    if (o.json) this.io.stdout(`${JSON.stringify({ commands: results, state: hostStateJson(host) }, null, 2)}\n`);
    return failed ? 1 : 0;
  }

  private trace(o: Options): number {
    if (o.rest.length === 0) throw new UsageError('trace needs a command after --');
    const host = new Host(this.topology(o.topology));
    const line = o.rest.length === 1 ? o.rest[0]! : o.rest.map((w) => (/[\s'"()]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
    host.tracer.reset();
    let r: CommandResult;
    try {
      r = runCommand(host, line);
    } catch (e) {
      if (e instanceof HostError) throw e;
      throw new EmulatorBug('trace', line, e);
    }
    this.io.stderr(r.stderr);
    this.io.stdout(`${r.stdout}${formatFunctionGraph(host.tracer.roots)}\n`);
    return r.exitCode === 0 ? 0 : 1;
  }

  /** One hop: what it does, its decisions, the scenarios of the last run that reached it. */
  private explain(o: Options): number {
    if (o.rest.length !== 1) throw new UsageError('explain takes one hop name, e.g. offload-spec explain fl_change');
    let coverage: CoverageView | undefined;
    try {
      coverage = JSON.parse(this.io.readFile('reports/hop-coverage.json')) as CoverageView;
    } catch {
      coverage = undefined; // no previous run: explain says so
    }
    const fn = o.rest[0]!;
    const r = explainHop(fn, emulatorCatalog(), findHopSource(join(__dirname, '..', '..'), fn), coverage);
    if (!r.ok) {
      this.io.stderr(`offload-spec: ${r.error}\n`);
      return 1;
    }
    this.io.stdout(r.text);
    return 0;
  }

  /**
   * One offload report and one coverage map from the message files of
   * several runs (CI shards, reruns): a scenario's last attempt wins.
   */
  private report(o: Options): number {
    if (o.rest.length === 0) throw new UsageError('report needs at least one message file (cucumber-js --format message:FILE)');
    const write = this.io.writeFile;
    if (!write) throw new UsageError('report cannot write files here');
    let streams: ReturnType<typeof parseNdjson>[];
    try {
      streams = o.rest.map((f) => parseNdjson(this.io.readFile(f), f));
    } catch (e) {
      this.io.stderr(`offload-spec: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const suite = mergeStreams(streams);
    const dir = o.out ?? 'reports';
    const { files, coverage } = writeReports(suite, dir, { writeFile: (p, t) => write.call(this.io, p, t) });
    const failed = suite.scenarios.filter((x) => x.status !== 'PASSED').length;
    this.io.stdout(`${suite.scenarios.length} scenarios from ${o.rest.length} message files (${failed} not passed); `
      + `hops reached ${coverage.summary.hops.reached}/${coverage.summary.hops.declared}, `
      + `branch outcomes ${coverage.summary.branches.outcomes_reached}/${coverage.summary.branches.outcomes}\n`);
    for (const f of files.filter((x) => !x.startsWith('traces/'))) this.io.stdout(`wrote ${dir}/${f}\n`);
    this.io.stdout(`wrote ${files.filter((x) => x.startsWith('traces/')).length} traces under ${dir}/traces/\n`);
    return 0;
  }

  private encode(o: Options): number {
    const words = o.rest.length === 1 ? splitCommandLine(o.rest[0]!) : o.rest;
    if (words[0] !== 'tc') throw new UsageError('encode knows only tc commands: offload-spec encode -- tc ...');
    const r = tc_encode(words.slice(1), o.ifindex);
    if ('exitCode' in r) {
      this.io.stderr(r.stderr);
      return r.exitCode;
    }
    for (const req of r.requests) this.io.stdout(`${toHex(req)}\n`);
    return 0;
  }
}
