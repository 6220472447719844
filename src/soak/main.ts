// `npm run soak -- --seed N --ops M [--seeds K] [--out FILE]`: the process
// shell around runSoak. On a failure it prints the shrunk reproduction and
// writes it where `npx offload-spec run FILE` replays it.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runSoak } from './soak';
import { createProgress, progressEnabled } from '../host/progress';

function arg(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

const argv = process.argv.slice(2);
const seed = Number(arg(argv, '--seed') ?? 1);
const ops = Number(arg(argv, '--ops') ?? 2_000);
const seeds = Number(arg(argv, '--seeds') ?? 1);
const out = arg(argv, '--out') ?? 'soak-repro.txt';
if (![seed, ops, seeds].every((n) => Number.isInteger(n) && n >= 0) || seeds < 1) {
  process.stderr.write('usage: npm run soak -- --seed N --ops M [--seeds K] [--out FILE]\n');
  process.exit(2);
}
const t0 = performance.now();
let total = 0;
let accepted = 0;
let rejected = 0;
for (let s = seed; s < seed + seeds; s++) {
  // A progress bar with rate and ETA per seed on a terminal; nothing in CI logs.
  const bar = createProgress(`soak seed ${s}`, process.stderr, progressEnabled(process.stderr, process.env));
  const r = runSoak({ seed: s, ops, progress: (d, t) => bar.update(d, t) });
  bar.done();
  total += r.ops;
  accepted += r.accepted;
  rejected += r.rejected;
  if (r.failure) {
    writeFileSync(out, r.failure.script);
    process.stdout.write(`soak seed ${s}: failed after op ${r.failure.at + 1}; shrunk to ${r.failure.minimal.length} commands, written to ${out} (npx offload-spec run ${out}):\n\n${r.failure.script}`);
    process.exit(1);
  }
}
const secs = (performance.now() - t0) / 1000;
process.stdout.write(`soak seeds ${seed}..${seed + seeds - 1}: ${total} ops (accepted ${accepted}, rejected ${rejected}), invariants held after every op; ${secs.toFixed(1)} s, ${(total / secs).toFixed(0)} ops/s, failures 0\n`);
