// The process boundary: the only file that touches process, stdin and the
// file system for the CLI.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OffloadCli } from './offload-cli';

const cwd = process.cwd();
const status = new OffloadCli({
  argv: process.argv.slice(2),
  cwd,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readFile: (p) => readFileSync(resolve(cwd, p), 'utf8'),
  readStdin: () => readFileSync(0, 'utf8'),
  writeFile: (p, text) => {
    const abs = resolve(cwd, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  },
}).main();
process.exitCode = status;
