// The offload report as a Cucumber formatter plugin: it listens to the
// message stream (so it sees every worker's results under --parallel and only
// the selected scenarios under --tags), and when the run ends streams
// offload-report.html to its target and writes hop-coverage.json and
// traces/*.json beside it. Use: format: [['./src/report/offload-formatter.js',
// 'reports/offload-report.html']].
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { SuiteCollector } from './model';
import { writeReports } from './write';

interface FormatterContext {
  on: (key: 'message', handler: (value: Envelope) => void) => void;
  write: (buffer: string | Uint8Array) => void;
  directory?: string;
}

/** Traces of an earlier run would pass for this run's: the directory is ours, start it afresh. */
function clearTraces(dir: string): void {
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const n of names) if (n.endsWith('.json')) rmSync(join(dir, n));
}

export const offloadReportFormatter = {
  type: 'formatter' as const,
  formatter({ on, write, directory }: FormatterContext): void {
    const collector = new SuiteCollector();
    on('message', (e) => {
      collector.push(e);
      // The run is over: the stream is still open here (not yet in cleanup).
      if (!e.testRunFinished) return;
      const dir = directory ?? process.cwd();
      clearTraces(join(dir, 'traces'));
      const { html } = writeReports(collector.suite(), dir, {
        writeFile(path, text) {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, text);
        },
      }, { htmlPath: null });
      write(html);
    });
  },
};

export default offloadReportFormatter;
