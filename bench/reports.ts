// Reports at scale: a generated 1,000-scenario feature (a Scenario Outline
// over the suite's real steps) runs through cucumber-js with the offload
// formatter and cucumber's own HTML formatter; then headless Chromium (the
// browser test's launcher) opens each report and the time until it is ready
// is measured, and for the offload report also the time a link to its last
// scenario takes to show that scenario's diagram. Run by `npm run bench` as measurement 8.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Progress } from '../src/host/progress';

export const CHROMIUM = '/usr/bin/chromium';
const FEATURE_NAME = 'Reports at scale';
const FEATURE_FILE = 'reports-at-scale.feature';

/** Characters the progress formatter prints per generated scenario: 4 steps and the After hook. */
export const STEPS_PER_SCENARIO = 5;

/**
 * The generated feature: one Scenario Outline with `n` rows, each a skip_sw
 * flower filter on its own host (so every scenario has a full-depth trace).
 */
export function scaleFeature(n: number): string {
  const rows: string[] = [];
  for (let i = 1; i <= n; i++) rows.push(`      | ${i} | 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} |`);
  return [
    `Feature: ${FEATURE_NAME}`,
    '',
    '  Scenario Outline: skip_sw flow <n> is offloaded',
    '    When I run "tc qdisc add dev enp8s0f0_0 ingress"',
    '    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip <ip> action drop"',
    '    Then it succeeds',
    '    And 1 FTE is created',
    '',
    '    Examples:',
    '      | n | ip |',
    ...rows,
    '',
  ].join('\n');
}

export interface ReportRun {
  scenarios: number;
  /** cucumber-js exit status and wall time (steps and both formatters). */
  status: number | null;
  runMs: number;
  offloadBytes: number;
  /** hop-coverage.json and traces/ written beside the offload report. */
  besideBytes: number;
  cucumberHtmlBytes: number;
  /** Time from navigation to ready in Chromium, or why it was not measured. */
  offloadOpenMs: number | null;
  /** After the offload report is ready: time until a link to its last scenario shows that scenario's diagram. */
  offloadRevealMs: number | null;
  cucumberOpenMs: number | null;
  browserNote?: string;
  output: string;
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

function runCucumber(root: string, feature: string, dir: string, bar: Progress, n: number): Promise<{ status: number | null; ms: number; output: string }> {
  const bin = join(root, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const t0 = performance.now();
  const child = spawn(process.execPath, [
    '--max-old-space-size=4096', bin, '--profile', 'bare',
    '--format', 'progress',
    '--format', `./src/report/offload-formatter.js:${join(dir, 'offload', 'offload-report.html')}`,
    '--format', `html:${join(dir, 'cucumber.html')}`,
    feature,
  ], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
  let output = '';
  let steps = 0;
  child.stdout.on('data', (d: Buffer) => {
    const s = d.toString();
    output = (output + s).slice(-4000);
    for (const ch of s) if (ch === '.' || ch === 'F' || ch === '-' || ch === 'U') steps++;
    bar.update(Math.min(n, Math.floor(steps / STEPS_PER_SCENARIO)), n);
  });
  child.stderr.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => { bar.done(); resolve({ status, ms: performance.now() - t0, output }); });
  });
}

/** Opens both reports in headless Chromium; each time is the median of `runs` fresh pages. */
async function openTimes(dir: string, runs: number): Promise<{ offload: number | string; reveal: number | string; cucumber: number | string }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  try {
    // The median time to ready over `runs` fresh pages, or why it never got ready.
    // (A `ready` that returns a number measured its own span, which is taken instead.)
    const time = async (file: string, ready: (p: import('playwright-core').Page) => Promise<unknown>): Promise<number | string> => {
      const ts: number[] = [];
      for (let r = 0; r < runs; r++) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        try {
          const t0 = performance.now();
          await page.goto(pathToFileURL(join(dir, file)).href, { timeout: 120_000 });
          const own = await ready(page);
          ts.push(typeof own === 'number' ? own : performance.now() - t0);
        } catch (e) {
          return `${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        } finally {
          await page.close();
        }
      }
      return med(ts);
    };
    // The offload report sets data-ready once the cards on its first screen are drawn
    // (the others are drawn when they come into view, are opened or are linked to).
    const ready = (p: import('playwright-core').Page): Promise<unknown> => p.waitForSelector('body[data-ready]', { timeout: 120_000 });
    const offload = await time(join('offload', 'offload-report.html'), ready);
    // Then the far end: follow a link to the last scenario until its diagram shows.
    const reveal = await time(join('offload', 'offload-report.html'), async (p) => {
      await ready(p);
      const t0 = performance.now();
      const id = await p.evaluate<string>(`(() => { const all = document.querySelectorAll('details.scenario'); const id = all[all.length - 1].id; location.hash = '#' + encodeURI(id); return id; })()`);
      await p.locator(`details.scenario[id="${id}"] svg.hops`).first().waitFor({ timeout: 120_000 });
      return performance.now() - t0;
    });
    // cucumber's React report: ready when the feature file is listed.
    const cucumber = await time('cucumber.html', (p) => p.getByText(FEATURE_FILE).first().waitFor({ timeout: 120_000 }));
    return { offload, reveal, cucumber };
  } finally {
    await browser.close();
  }
}

/** Generates the run, measures sizes and open times, and removes its files. */
export async function measureReports(root: string, n: number, runs: number, bar: Progress): Promise<ReportRun> {
  const dir = mkdtempSync(join(tmpdir(), 'offload-bench-reports-'));
  try {
    const feature = join(dir, FEATURE_FILE);
    writeFileSync(feature, scaleFeature(n));
    const r = await runCucumber(root, feature, dir, bar, n);
    const offloadFile = join(dir, 'offload', 'offload-report.html');
    const out: ReportRun = {
      scenarios: n, status: r.status, runMs: r.ms, output: r.output,
      offloadBytes: existsSync(offloadFile) ? statSync(offloadFile).size : NaN,
      besideBytes: existsSync(offloadFile) ? dirBytes(join(dir, 'offload')) - statSync(offloadFile).size : NaN,
      cucumberHtmlBytes: existsSync(join(dir, 'cucumber.html')) ? statSync(join(dir, 'cucumber.html')).size : NaN,
      offloadOpenMs: null, offloadRevealMs: null, cucumberOpenMs: null,
    };
    if (!existsSync(CHROMIUM)) out.browserNote = `${CHROMIUM} not found`;
    else if (r.status !== 0) out.browserNote = `cucumber-js exited ${r.status}`;
    else {
      try {
        const t = await openTimes(dir, runs);
        const notes: string[] = [];
        if (typeof t.offload === 'number') out.offloadOpenMs = t.offload; else notes.push(t.offload);
        if (typeof t.reveal === 'number') out.offloadRevealMs = t.reveal; else notes.push(t.reveal);
        if (typeof t.cucumber === 'number') out.cucumberOpenMs = t.cucumber; else notes.push(t.cucumber);
        if (notes.length) out.browserNote = notes.join('; ');
      } catch (e) {
        out.browserNote = `browser: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
