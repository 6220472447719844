// Runs cucumber-js in a child process and returns its message stream, so tests
// can check what a real run reports (attachments, failures) without sharing
// state with the test process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Envelope {
  [k: string]: unknown;
}

export function runCucumber(paths: string[], extra: string[] = []): { status: number | null; envelopes: Envelope[]; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'offload-spec-'));
  const out = join(dir, 'messages.ndjson');
  const r = spawnSync(
    process.execPath,
    [join(__dirname, '..', 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--profile', 'bare', '--format', `message:${out}`, '--format', 'summary', ...extra, ...paths],
    { cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let text = '';
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    throw new Error(`cucumber-js wrote no messages (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, envelopes: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope), stdout: r.stdout + r.stderr };
}
