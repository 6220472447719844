import { describe, it, expect } from 'vitest';
import type * as messages from '@cucumber/messages';
import { hop, Tracer, withTracer, traceExtack, type Hop } from '../trace/hop';
import { declareBranch, declaredBranches } from '../trace/branch';
import { renderHopSvg, decisiveHop } from './svg';
import { toChromeTrace, checkChromeTrace, traceFileName } from './chrome-trace';
import { mergeStreams, HOPS_MEDIA_TYPE, STATE_MEDIA_TYPE } from './model';
import { hopCoverage } from './coverage';
import { renderOffloadReport, BODY_CHUNK } from './html';
import { gunzipSync } from 'node:zlib';
import { emulatorCatalog } from './catalog';

// A miniature offload path: OVS → tc → driver → firmware, refusable.
const refuse_branch = declareBranch('drivers/net/ethernet/mellanox/mlx5/core/en_tc.c', 'mlx5e_tc_add_flow', 'refuse');
const fw = hop('drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c', function mlx5_cmd_create_fte(): number { return 0; });
const add = hop('drivers/net/ethernet/mellanox/mlx5/core/en_tc.c', function mlx5e_tc_add_flow(refuse: boolean): number {
  if (refuse_branch(refuse)) {
    traceExtack('mlx5_core: Unsupported key');
    return -95;
  }
  return fw();
});
const change = hop('net/sched/cls_flower.c', function fl_change(refuse: boolean): number { return add(refuse); });
const put = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_put(refuse: boolean): number { return change(refuse); }, {
  input: (r) => `refuse=${r}`,
});

function trace(fn: () => void): Hop[] {
  const t = new Tracer();
  withTracer(t, fn);
  return [...t.roots];
}

const ts = (s: number): messages.Timestamp => ({ seconds: s, nanos: 0 });

/** The envelopes one run reports for one scenario (uri:line) with the given hops. */
function run(id: string, scenario: { uri: string; line: number; name: string; tags?: string[] }, attempts: { status: string; roots: Hop[]; at: number }[]): messages.Envelope[] {
  const env: unknown[] = [
    { gherkinDocument: { uri: scenario.uri, comments: [], feature: { name: `feature ${scenario.uri}`, description: '', children: [], tags: [], location: { line: 1 }, language: 'en', keyword: 'Feature' } } },
    { pickle: { id: `${id}p`, uri: scenario.uri, location: { line: scenario.line }, name: scenario.name, language: 'en', steps: [{ id: `${id}ps`, text: 'a flow is put', astNodeIds: ['x'] }], tags: (scenario.tags ?? []).map((t) => ({ name: t, astNodeId: 't' })), astNodeIds: ['s'] } },
    { testCase: { id: `${id}tc`, pickleId: `${id}p`, testSteps: [{ id: `${id}st`, pickleStepId: `${id}ps` }] } },
  ];
  attempts.forEach((a, i) => {
    const started = `${id}s${i}`;
    env.push({ testCaseStarted: { id: started, testCaseId: `${id}tc`, attempt: i, timestamp: ts(a.at) } });
    env.push({ attachment: { testCaseStartedId: started, mediaType: HOPS_MEDIA_TYPE, contentEncoding: 'IDENTITY', body: JSON.stringify({ label: 'a flow is put', roots: a.roots }) } });
    env.push({ attachment: { testCaseStartedId: started, mediaType: STATE_MEDIA_TYPE, contentEncoding: 'IDENTITY', body: JSON.stringify({ tcFilters: [], ftes: [], datapathFlows: [] }) } });
    env.push({ testStepFinished: { testCaseStartedId: started, testStepId: `${id}st`, testStepResult: { status: a.status, duration: { seconds: 0, nanos: 0 } }, timestamp: ts(a.at) } });
  });
  env.push({ testRunFinished: { success: true, timestamp: ts(99) } });
  return env as messages.Envelope[];
}

describe('hop diagram', () => {
  it('puts errno and extack beneath the decisive hop, the file in its <title>', () => {
    const roots = trace(() => put(true));
    expect(decisiveHop(roots.flatMap(function all(h: Hop): Hop[] { return [h, ...h.children.flatMap(all)]; }))?.fn).toBe('mlx5e_tc_add_flow');
    const svg = renderHopSvg(roots, 'refused');
    expect(svg).toContain('<g class="hop decisive" data-fn="mlx5e_tc_add_flow"');
    expect(svg).toContain('mlx5e_tc_add_flow = -EOPNOTSUPP (Operation not supported)');
    expect(svg).toContain('extack: &quot;mlx5_core: Unsupported key&quot;');
    expect(svg).toMatch(/<title>mlx5e_tc_add_flow\(\) — drivers\/net\/ethernet\/mellanox\/mlx5\/core\/en_tc\.c\n/);
    expect(svg).toContain('branch mlx5e_tc_add_flow:refuse: taken');
  });

  it('highlights nothing when the stack recovered from an error', () => {
    const miss = hop('drivers/net/ethernet/mellanox/mlx5/core/fs_core.c', function try_add_to_existing_fg(): number { return -2; });
    const insert = hop('drivers/net/ethernet/mellanox/mlx5/core/fs_core.c', function add_rule(): number { miss(); return fw(); });
    const roots = trace(() => insert());
    expect(renderHopSvg(roots, 'ok')).not.toContain('class="hop decisive"');
  });

  it.each([3, 40])('numbers %i hops in call order, one row each, and keeps the canvas within the lanes', (n) => {
    const leaf = hop('net/sched/cls_api.c', function tcf_leaf(): number { return 0; });
    const roots = trace(() => { for (let i = 0; i < n; i++) leaf(); });
    const svg = renderHopSvg(roots, 'x');
    const seqs = [...svg.matchAll(/<text class="seq" x="\d+" y="(\d+)">(\d+)<\/text>/g)];
    expect(seqs.map((m) => Number(m[2]))).toEqual([...Array(n).keys()]);
    const ys = seqs.map((m) => Number(m[1]));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    expect(height).toBeGreaterThan(ys[ys.length - 1]!);
    expect(height).toBeLessThan(80 + n * 20);
  });

  it('escapes scenario text everywhere', () => {
    const svg = renderHopSvg(trace(() => put(false)), '<img src=x onerror=alert(1)>');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('Chrome trace export', () => {
  it('names a process per lane, nests X slices and keeps timestamps monotone', () => {
    const doc = toChromeTrace([{ label: 'a flow is put', setup: false, roots: trace(() => { put(false); put(true); }) }], { scenario: 's' });
    expect(checkChromeTrace(doc)).toEqual([]);
    const names = doc.traceEvents.filter((e) => e.name === 'process_name').map((e) => (e.args as { name: string }).name);
    expect(names).toContain('cls_api / cls_flower');
    const add = doc.traceEvents.filter((e) => e.ph === 'X' && e.name === 'mlx5e_tc_add_flow');
    expect(add.map((e) => e.args)).toEqual([
      expect.objectContaining({ file: 'drivers/net/ethernet/mellanox/mlx5/core/en_tc.c', result: '0', errno: 0 }),
      expect.objectContaining({ result: '-EOPNOTSUPP', errno: -95, extack: 'mlx5_core: Unsupported key' }),
    ]);
    const putEv = doc.traceEvents.find((e) => e.name === 'netdev_tc_flow_put')!;
    expect(putEv.args).toMatchObject({ input: 'refuse=false' });
    expect(doc.traceEvents.filter((e) => e.ph === 's').length).toBe(doc.traceEvents.filter((e) => e.ph === 'f').length);
  });

  it('finds what Perfetto would choke on', () => {
    const bad = { displayTimeUnit: 'ns' as const, otherData: {}, traceEvents: [
      { name: 'process_name', ph: 'M' as const, pid: 1, tid: 1, ts: 0, args: { name: 'p' } },
      { name: 'a', ph: 'X' as const, pid: 1, tid: 1, ts: 5, dur: 10 },
      { name: 'b', ph: 'X' as const, pid: 1, tid: 1, ts: 10, dur: 10 },
      { name: 'c', ph: 'X' as const, pid: 2, tid: 1, ts: 1, dur: 1 },
    ] };
    expect(checkChromeTrace(bad)).toEqual([
      'event 3 (c): pid 2 has no process_name',
      'event 3 (c): ts 1 before 10',
      'track 1/1: b overlaps a without nesting',
    ]);
  });

  it('names files after the feature file, line and scenario', () => {
    expect(traceFileName({ uri: 'features/skip-hw.feature', line: 9, name: '<img src=x onerror=alert(1)>' })).toBe('skip-hw-9-img-src-x-onerror-alert-1.json');
  });
});

describe('suite from message streams', () => {
  const a = { uri: 'features/a.feature', line: 3, name: 'refused', tags: ['@slow'] };
  const b = { uri: 'features/b.feature', line: 7, name: '<b>bold</b>' };

  it('merges shards and keeps the last attempt of a rerun scenario', () => {
    const shard1 = run('x', a, [{ status: 'FAILED', roots: trace(() => put(true)), at: 10 }, { status: 'PASSED', roots: trace(() => put(false)), at: 11 }]);
    const shard2 = run('x', b, [{ status: 'PASSED', roots: trace(() => put(false)), at: 12 }]);
    const rerun = run('y', a, [{ status: 'FAILED', roots: trace(() => put(true)), at: 20 }]);
    const suite = mergeStreams([shard1, shard2, rerun]);
    expect(suite.scenarios.map((s) => [s.key, s.status, s.attempt])).toEqual([
      ['features/a.feature:3', 'FAILED', 0],
      ['features/b.feature:7', 'PASSED', 0],
    ]);
    // reruns given first still lose to a later start time
    expect(mergeStreams([rerun, shard1]).scenarios[0]!.status).toBe('FAILED');
    expect(mergeStreams([shard1]).scenarios[0]!).toMatchObject({ status: 'PASSED', attempt: 1, tags: ['@slow'] });
  });

  it('counts every declared hop and branch outcome, reached or not', () => {
    const suite = mergeStreams([run('x', a, [{ status: 'PASSED', roots: trace(() => put(false)), at: 1 }])]);
    const cov = hopCoverage(suite, emulatorCatalog());
    const branch = cov.branches.find((x) => x.id === 'mlx5e_tc_add_flow:refuse')!;
    expect(branch.not_taken.scenarios).toEqual(['features/a.feature:3']);
    expect(cov.scenario_names).toEqual({ 'features/a.feature:3': 'refused' });
    expect(branch.taken.scenarios).toEqual([]);
    expect(declaredBranches().has('mlx5e_tc_add_flow:refuse')).toBe(true);
    const fl = cov.hops.find((h) => h.fn === 'fl_change')!;
    expect(fl.scenarios).toHaveLength(1);
    // declared by the emulator's own modules, reached by no scenario here
    expect(cov.hops.find((h) => h.fn === 'tc_del_tfilter')).toMatchObject({ declared: true, scenarios: [] });
    expect(cov.summary.hops.declared).toBeGreaterThan(100);
  });

  it('renders scenario text as text in the HTML report', () => {
    const suite = mergeStreams([run('x', b, [{ status: 'PASSED', roots: trace(() => put(true)), at: 1 }])]);
    const html = renderOffloadReport(suite, hopCoverage(suite, { hops: [], branches: [] }), { compress: false });
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('data-hops="netdev_tc_flow_put fl_change mlx5e_tc_add_flow"');
    expect(html).not.toMatch(/<(link|script) [^>]*src=/);
  });

  it('ships bodies in blobs of BODY_CHUNK scenarios, each card addressable by uri:line', () => {
    const n = BODY_CHUNK * 2 + 1;
    const roots = trace(() => put(false));
    const suite = mergeStreams(Array.from({ length: n }, (_x, i) => run(`r${i}`, { uri: 'features/big.feature', line: 10 + i, name: `flow ${i}` }, [{ status: 'PASSED', roots, at: 1 }])));
    const html = renderOffloadReport(suite, hopCoverage(suite, { hops: [], branches: [] }));
    const blobs = [...html.matchAll(/<script type="application\/gzip;base64" class="bodies" id="bodies-(\d+)">([^<]*)<\/script>/g)];
    expect(blobs.map((b) => b[1])).toEqual(['0', '1', '2']);
    const sizes = blobs.map((b) => (JSON.parse(gunzipSync(Buffer.from(b[2]!, 'base64')).toString('utf8')) as string[]).length);
    expect(sizes).toEqual([BODY_CHUNK, BODY_CHUNK, 1]);
    expect(html).toContain(`<body data-chunk="${BODY_CHUNK}">`);
    // nothing is drawn up front: the page draws a card's body when it is open and in view, or linked
    expect(html).not.toContain('<svg');
    expect(html).toMatch(new RegExp(`<details class="scenario s-PASSED" open id="features/big.feature:${10 + n - 1}" [^>]*>`));
    expect(html).toContain(`<div class="body" data-body="${n - 1}"></div>`);
    // the coverage map links each scenario to its card
    expect(html).toContain('<a href="#features/big.feature:10">flow 0</a>');
  });
});
