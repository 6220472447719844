import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCucumber } from './cucumber-run';
import { runCucumberAsync, type CucumberRun } from './report-run';
import { checkChromeTrace, type ChromeTrace } from '../src/report/chrome-trace';
import type { CoverageReport } from '../src/report/coverage';
import { OffloadCli } from '../src/cli/offload-cli';

interface Attachment { mediaType: string; body: string; contentEncoding: string; testCaseStartedId?: string }

const FIXTURE = 'test/fixtures/report/report.feature';

describe('report attachments', () => {
  it('gives every scenario a hop tree (log) and an SVG diagram (base64 image)', () => {
    const { status, envelopes } = runCucumber(['features/skip-hw.feature', 'features/00-tour/09-the-whole-path.feature'], ['--profile', 'bare']);
    expect(status).toBe(0);
    const started = envelopes.filter((e) => 'testCaseStarted' in e).map((e) => (e['testCaseStarted'] as { id: string }).id);
    expect(started.length).toBeGreaterThanOrEqual(3);
    const atts = envelopes.filter((e) => 'attachment' in e).map((e) => e['attachment'] as Attachment);
    for (const id of started) {
      const mine = atts.filter((a) => a.testCaseStartedId === id);
      const svgs = mine.filter((a) => a.mediaType === 'image/svg+xml');
      expect(svgs.length).toBeGreaterThan(0);
      for (const s of svgs) expect(s.contentEncoding).toBe('BASE64');
      const texts = svgs.map((s) => Buffer.from(s.body, 'base64').toString('utf8'));
      for (const t of texts) expect(t).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>$/);
      expect(texts.some((t) => t.includes('data-fn="fl_change"'))).toBe(true);
      const logs = mine.filter((a) => a.mediaType === 'text/x.cucumber.log+plain').map((a) => a.body);
      expect(logs.some((l) => /tc_new_tfilter\(.*\) \{/.test(l))).toBe(true);
      const state = mine.filter((a) => a.mediaType === 'application/x.offload-spec.state+json');
      expect(state).toHaveLength(1);
      expect(Object.keys(JSON.parse(state[0]!.body) as object)).toEqual(['tcFilters', 'ftes', 'datapathFlows']);
    }
  }, 90_000);
});

interface ReportRun { dir: string; html: string; coverage: CoverageReport; run: CucumberRun }

/** Runs the fixture suite with our formatter writing into a fresh directory. */
async function reportRun(extra: string[]): Promise<ReportRun> {
  const dir = mkdtempSync(join(tmpdir(), 'offload-report-'));
  const run = await runCucumberAsync([FIXTURE], ['--profile', 'bare', '--format', `./src/report/offload-formatter.js:${join(dir, 'offload-report.html')}`, ...extra]);
  expect(run.status, run.output).toBe(0);
  return {
    dir, run,
    html: inflate(readFileSync(join(dir, 'offload-report.html'), 'utf8')),
    coverage: JSON.parse(readFileSync(join(dir, 'hop-coverage.json'), 'utf8')) as CoverageReport,
  };
}

/** The page as the browser shows it once its script has inflated the compressed scenario bodies. */
function inflate(html: string): string {
  const blobs = [...html.matchAll(/<script type="application\/gzip;base64" class="bodies" id="bodies-(\d+)">([^<]*)<\/script>/g)];
  if (!blobs.length) return html;
  // one blob per BODY_CHUNK scenarios, in order
  expect(blobs.map((b) => Number(b[1]))).toEqual(blobs.map((_b, k) => k));
  const bodies = blobs.flatMap((b) => JSON.parse(gunzipSync(Buffer.from(b[2]!, 'base64')).toString('utf8')) as string[]);
  return html.replace(/<div class="body" data-body="(\d+)"><\/div>/g, (_m, i: string) => bodies[Number(i)]!);
}

function scenarioNames(html: string): string[] {
  return [...html.matchAll(/<span class="name">(.*?)<\/span>/g)].map((m) => m[1]!);
}

describe('offload report from the message stream', () => {
  // All runs start at once; each test awaits its own.
  let parallel: Promise<ReportRun>, tagged: Promise<ReportRun>, shards: Promise<CucumberRun[]>;
  beforeAll(() => {
    parallel = reportRun(['--parallel', '2']);
    tagged = reportRun(['--tags', '@nic']);
    shards = Promise.all(['1/2', '2/2'].map((s) => runCucumberAsync([FIXTURE], ['--profile', 'bare', '--shard', s])));
    // keep unhandled-rejection noise out: each test awaits and reports its own failure
    for (const p of [parallel, tagged, shards]) p.catch(() => undefined);
  });

  it('with --parallel: every scenario, its traces for Perfetto and the coverage map', async () => {
    const { dir, html, coverage } = await parallel;
    expect(scenarioNames(html)).toEqual([
      '&lt;img src=x onerror=alert(1)&gt;', 'A flow offloaded with skip_sw', 'A refused skip_sw flow falls back to the kernel datapath',
    ]);
    expect(html).not.toContain('<img');
    expect(html).toContain('class="hop decisive" data-fn="mlx5e_tc_add_flow"');
    expect(html).toMatch(/<details class="state" open>[\s\S]*skip_sw in_hw in_hw_count 1/);
    const traces = readdirSync(join(dir, 'traces')).sort();
    expect(traces).toEqual([
      'report-11-a-flow-offloaded-with-skip-sw.json',
      'report-18-a-refused-skip-sw-flow-falls-back-to-the-kernel-datapath.json',
      'report-4-img-src-x-onerror-alert-1.json',
    ]);
    for (const t of traces) {
      const doc = JSON.parse(readFileSync(join(dir, 'traces', t), 'utf8')) as ChromeTrace;
      expect(checkChromeTrace(doc), t).toEqual([]);
      expect(doc.traceEvents.some((e) => e.ph === 'X' && e.name === 'fl_change')).toBe(true);
    }
    expect(coverage.scenarios).toBe(3);
    expect(coverage.unloadable ?? []).toEqual([]);
    const hop = (fn: string) => coverage.hops.find((h) => h.fn === fn);
    expect(hop('mlx5_cmd_create_fte')?.scenarios.map((k) => coverage.scenario_names[k])).toEqual(['A flow offloaded with skip_sw']);
    expect(hop('fl_change')?.scenarios).toHaveLength(3);
    expect(coverage.hops.filter((h) => h.declared && h.scenarios.length === 0).length).toBeGreaterThan(0);
  }, 90_000);

  it('with --tags: only the selected scenarios', async () => {
    const { html, coverage } = await tagged;
    expect(scenarioNames(html)).toEqual(['A flow offloaded with skip_sw']);
    expect(coverage.scenarios).toBe(1);
  }, 90_000);

  it('offload-spec report merges shards (and reruns: the last attempt wins)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offload-shards-'));
    const [one, two] = await shards;
    expect(one!.envelopes.filter((e) => 'testCaseStarted' in e).length).toBeLessThan(3);
    let out = '';
    const status = new OffloadCli({
      argv: ['report', '--out', join(dir, 'out'), one!.messages, two!.messages],
      cwd: dir, stdout: (s) => { out += s; }, stderr: (s) => { out += s; },
      readFile: (p) => readFileSync(p, 'utf8'), readStdin: () => '',
      writeFile: (p, t) => { mkdirSync(dirname(p), { recursive: true }); writeFileSync(p, t); },
    }).main();
    expect(status, out).toBe(0);
    expect(out).toContain('3 scenarios from 2 message files (0 not passed)');
    const html = readFileSync(join(dir, 'out', 'offload-report.html'), 'utf8');
    expect(scenarioNames(html)).toHaveLength(3);
    const coverage = JSON.parse(readFileSync(join(dir, 'out', 'hop-coverage.json'), 'utf8')) as CoverageReport;
    expect(coverage.scenarios).toBe(3);
    expect(readdirSync(join(dir, 'out', 'traces'))).toHaveLength(3);
  }, 90_000);
});
