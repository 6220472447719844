// `npm run fuzz [-- --seconds N] [--seed S] [--long]`: the process shell
// around runFuzz (the only fuzz file that touches process).
import { runFuzz, formatFuzzReport, type FuzzTarget } from './fuzz';
import { createProgress, progressEnabled } from '../host/progress';

function arg(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

const argv = process.argv.slice(2);
const long = argv.includes('--long');
const seconds = arg(argv, '--seconds');
const seed = Number(arg(argv, '--seed') ?? 1);
const scale = long ? 50 : 1;
// The default is the CI slice; --long the release run; --seconds bounds either.
const counts: Record<FuzzTarget, number> = {
  netlink: 20_000 * scale, 'tc-cmdline': 5_000 * scale, odp: 2_000 * scale, topology: 2_000 * scale,
};
if (!Number.isInteger(seed) || (seconds !== undefined && !(Number(seconds) > 0))) {
  process.stderr.write('usage: npm run fuzz -- [--seconds N] [--seed S] [--long]\n');
  process.exit(2);
}
// A progress bar with rate and ETA on a terminal; nothing in CI logs.
const bar = createProgress('fuzz', process.stderr, progressEnabled(process.stderr, process.env));
const report = runFuzz({ seed, counts, seconds: seconds === undefined ? undefined : Number(seconds), maxFailures: 20, progress: (d, t) => bar.update(d, t) });
bar.done();
process.stdout.write(formatFuzzReport(report));
process.exit(report.failures.length > 0 ? 1 : 0);
