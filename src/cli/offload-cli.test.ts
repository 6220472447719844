import { describe, it, expect } from 'vitest';
import { OffloadCli } from './offload-cli';

function cli(argv: string[], files: Record<string, string> = {}, stdin = '') {
  let stdout = '';
  let stderr = '';
  const status = new OffloadCli({
    argv, cwd: '/', stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; },
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`ENOENT: ${p}`);
      return f;
    },
    readStdin: () => stdin,
  }).main();
  return { status, stdout, stderr };
}

const FLOW = `ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" 1`;

describe('offload-spec run', () => {
  it('runs a script on a fresh host and reports commands, hops and state as JSON', () => {
    const script = `# offload on, skip_sw\novs-vsctl set Open_vSwitch . other_config:hw-offload=true other_config:tc-policy=skip_sw\n${FLOW}\n`;
    const r = cli(['run', '--json', 's.txt'], { 's.txt': script });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      commands: { command: string; exitCode: number; hops: { fn: string; layer: string }[] }[];
      state: { tcFilters: { dev: string; flags: number; in_hw_count: number }[]; ftes: unknown[]; datapathFlows: unknown[] };
    };
    expect(doc.commands.map((c) => [c.command.split(' ')[0], c.exitCode])).toEqual([['ovs-vsctl', 0], ['ovs-appctl', 0]]);
    expect(doc.commands[1]!.hops.map((h) => h.fn)).toContain('mlx5_cmd_create_fte');
    expect(doc.state.tcFilters).toEqual([expect.objectContaining({ dev: 'enp8s0f0_0', flags: 2 | 4, in_hw_count: 1 })]);
    expect(doc.state.datapathFlows).toEqual([]);
    expect(doc.state.ftes.length).toBeGreaterThan(0);
  });

  it('exits 1 when a command fails, and names the line of a command it does not know', () => {
    const r = cli(['run', '-'], {}, 'tc filter del dev enp8s0f0_0 ingress prio 1\nfrobnicate now\n');
    expect(r.status).toBe(1);
    // hw-offload is off, so ovs-vswitchd never added an ingress qdisc
    expect(r.stderr).toContain("Error: Parent Qdisc doesn't exists.");
    expect(r.stderr).toContain('offload-spec: -:2: "frobnicate" is not a command offload-spec knows');
  });

  it('reports a bad topology with file:line:col', () => {
    const r = cli(['run', '--topology', 't.yaml', '-'], {}, '');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('t.yaml: cannot read topology');
  });

  it('answers usage mistakes with the usage text', () => {
    const r = cli(['run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: offload-spec run');
  });
});

describe('offload-spec encode and trace', () => {
  it('prints every request tc would send, seq 0, without executing', () => {
    const r = cli(['encode', '--ifindex', 'v0=3', '--', 'tc', 'filter', 'del', 'dev', 'v0', 'ingress', 'prio', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      '280000001200010300000000000000000000000000000000000000000000000008001d0001000000',
      '240000002d0005000000000000000000000000000300000000000000f2ffffff00000100',
    ]);
  });

  it('prints the hop tree of one command', () => {
    const r = cli(['trace', '--', 'tc', 'qdisc', 'add', 'dev', 'enp8s0f0_1', 'clsact']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ tc\s+\| +tcf_block_offload_bind\(/);
    expect(r.stdout).toContain('mlx5e_rep_setup_tc');
  });
});

describe('offload-spec report', () => {
  const stream = (status: string, at: number): string => [
    { gherkinDocument: { uri: 'f.feature', comments: [], feature: { name: 'F', description: '', children: [], tags: [], location: { line: 1 }, language: 'en', keyword: 'Feature' } } },
    { pickle: { id: 'p', uri: 'f.feature', location: { line: 2 }, name: 'S', language: 'en', steps: [{ id: 'ps', text: 'x', astNodeIds: [] }], tags: [], astNodeIds: [] } },
    { testCase: { id: 'tc', pickleId: 'p', testSteps: [{ id: 'st', pickleStepId: 'ps' }] } },
    { testCaseStarted: { id: 'tcs', testCaseId: 'tc', attempt: 0, timestamp: { seconds: at, nanos: 0 } } },
    { attachment: { testCaseStartedId: 'tcs', mediaType: 'application/x.offload-spec.hops+json', contentEncoding: 'IDENTITY', body: JSON.stringify({ label: 'act', roots: [{ fn: 'fl_change', file: 'net/sched/cls_flower.c', layer: 'tc', depth: 0, seq: 0, errno: -95, result: '-EOPNOTSUPP', children: [] }] }) } },
    { testStepFinished: { testCaseStartedId: 'tcs', testStepId: 'st', testStepResult: { status, duration: { seconds: 0, nanos: 0 } }, timestamp: { seconds: at, nanos: 0 } } },
  ].map((e) => JSON.stringify(e)).join('\n');

  it('merges message files into one report; the later run of a scenario wins', () => {
    const written = new Map<string, string>();
    let stdout = '';
    const status = new OffloadCli({
      argv: ['report', '--out', 'out', 'a.ndjson', 'b.ndjson'], cwd: '/',
      stdout: (s) => { stdout += s; }, stderr: () => undefined, readStdin: () => '',
      readFile: (p) => ({ 'a.ndjson': stream('PASSED', 20), 'b.ndjson': stream('FAILED', 10) })[p]!,
      writeFile: (p, t) => { written.set(p, t); },
    }).main();
    expect(status).toBe(0);
    expect(stdout).toContain('1 scenarios from 2 message files (0 not passed)');
    expect([...written.keys()].sort()).toEqual(['out/hop-coverage.json', 'out/offload-report.html', 'out/traces/f-2-s.json']);
  });

  it('names the line of a message file that is not JSON', () => {
    let stderr = '';
    const status = new OffloadCli({
      argv: ['report', 'a.ndjson'], cwd: '/', stdout: () => undefined, stderr: (s) => { stderr += s; }, readStdin: () => '',
      readFile: () => '{}\nnot json\n', writeFile: () => undefined,
    }).main();
    expect(status).toBe(1);
    expect(stderr).toMatch(/^offload-spec: a\.ndjson:2: not a JSON message \(/);
  });
});
