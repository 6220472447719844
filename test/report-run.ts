// cucumber-js in a child process, asynchronously, so a test file can start
// several runs at once (each one pays for loading ts-node and the emulator).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope } from './cucumber-run';

export interface CucumberRun {
  status: number | null;
  envelopes: Envelope[];
  /** The message file the run wrote. */
  messages: string;
  output: string;
}

export function runCucumberAsync(paths: string[], extra: string[] = []): Promise<CucumberRun> {
  const dir = mkdtempSync(join(tmpdir(), 'offload-spec-'));
  const messages = join(dir, 'messages.ndjson');
  const bin = join(__dirname, '..', 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const child = spawn(process.execPath, [bin, '--format', `message:${messages}`, '--format', 'summary', ...extra, ...paths], {
    cwd: join(__dirname, '..'), env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      let text: string;
      try {
        text = readFileSync(messages, 'utf8');
      } catch {
        reject(new Error(`cucumber-js wrote no messages (exit ${status}):\n${output}`));
        return;
      }
      resolve({ status, messages, output, envelopes: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope) });
    });
  });
}
