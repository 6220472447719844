// Everything our reports derive from a Suite, as files: the HTML report, the
// coverage map and one Chrome trace per scenario. File access is injected so
// the formatter, the CLI and tests share this code.
import { join } from 'node:path';
import type { Suite, ScenarioRun } from './model';
import { hopCoverage, type CoverageReport } from './coverage';
import { emulatorCatalog, type Catalog } from './catalog';
import { renderOffloadReport } from './html';
import { toChromeTrace, traceFileName } from './chrome-trace';

export interface ReportFiles {
  /** Writes a file, creating its directory. */
  writeFile(path: string, text: string): void;
}

export interface WrittenReports {
  html: string;
  coverage: CoverageReport;
  /** Paths written, relative to the report directory. */
  files: string[];
}

/** Names each scenario's trace file; two scenarios never share one. */
export function traceNames(suite: Suite): Map<ScenarioRun, string> {
  const names = new Map<ScenarioRun, string>();
  const used = new Set<string>();
  for (const s of suite.scenarios) {
    let n = traceFileName(s);
    for (let i = 2; used.has(n); i++) n = traceFileName(s).replace(/\.json$/, `-${i}.json`);
    used.add(n);
    names.set(s, n);
  }
  return names;
}

/**
 * Writes, under `dir`: `hop-coverage.json`, `traces/<scenario>.json` and —
 * unless `htmlPath` is null (the formatter streams the page itself) —
 * `offload-report.html`. Returns the page.
 */
export function writeReports(suite: Suite, dir: string, fs: ReportFiles, opts: { htmlPath?: string | null; catalog?: Catalog } = {}): WrittenReports {
  const coverage = hopCoverage(suite, opts.catalog ?? emulatorCatalog());
  const names = traceNames(suite);
  const files: string[] = [];
  for (const s of suite.scenarios) {
    if (s.actions.length === 0) continue;
    const rel = `traces/${names.get(s)!}`;
    fs.writeFile(join(dir, rel), `${JSON.stringify(toChromeTrace(s.actions, { scenario: s.name, uri: s.key }))}\n`);
    files.push(rel);
  }
  fs.writeFile(join(dir, 'hop-coverage.json'), `${JSON.stringify(coverage, null, 1)}\n`);
  files.push('hop-coverage.json');
  const html = renderOffloadReport(suite, coverage, {
    tracesHref: (s) => (s.actions.length ? `traces/${names.get(s)!}` : undefined),
  });
  if (opts.htmlPath !== null) {
    const rel = opts.htmlPath ?? 'offload-report.html';
    fs.writeFile(join(dir, rel), html);
    files.push(rel);
  }
  return { html, coverage, files };
}
