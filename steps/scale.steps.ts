// Scale: one command line repeated thousands of times (numbered addresses),
// and counts instead of listings. Scenarios using these are tagged @scale and
// run by `npm run scenarios:scale`, not by the default profile.
import { When, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { OffloadWorld } from './support/world';
import { runRepeated, hostCounts, type RepeatResult } from '../src/host/scale';
import { runCommand } from '../src/host/commands';
import { createProgress, progressEnabled } from '../src/host/progress';

// $ip covers 10.0.0.0/8: the largest run "until one fails" may make.
const UNBOUNDED_TO = (1 << 24) - 1;

function repeat(w: OffloadWorld, line: string, from: number, to: number, untilFailure: boolean): RepeatResult {
  const shown = untilFailure ? `${line} for $i from ${from} until one fails` : `${line} for $i from ${from} to ${to}`;
  const bar = createProgress(`  ${line.split(' ').slice(0, 3).join(' ')} …`, process.stderr, progressEnabled(process.stderr, process.env));
  const r = w.act(shown, () => runRepeated(w.host, line, { from, to, stopOnFailure: true, progress: bar }));
  if (r.last) w.lastCommand = r.last;
  w.scaleRun = r;
  return r;
}

// Runs the command line once per number from A to B, like `I run "…" for $i from A to B`,
// but for large counts: `$ip` is the number's IPv4 address (10.0.0.0 + $i), `$mac` its MAC
// (02:00:00:00:00:00 + $i); only the last command's trace is kept, a terminal shows a progress
// bar with rate and ETA. Stops at the first failure, which stays "the command".
When('I run {string} for $i from {int} to {int} at scale', function (this: OffloadWorld, line: string, from: number, to: number) {
  repeat(this, line, from, to, false);
});

// The same with no upper bound: runs until one command fails; that one is "the command"
// (its trace is the step's trace).
When('I run {string} for $i from {int} until one fails', function (this: OffloadWorld, line: string, from: number) {
  const r = repeat(this, line, from, UNBOUNDED_TO, true);
  expect(r.failedAt, `no command failed from $i = ${from} to ${UNBOUNDED_TO}`).to.not.equal(undefined);
});

// Runs one command with the tracer off and records no hops: for a command that touches every one
// of 100,000 flows (a dump, a flush), whose trace would be too large to keep or draw.
When('I run {string} without tracing', function (this: OffloadWorld, line: string) {
  const tracer = this.host.tracer;
  const was = tracer.enabled;
  tracer.enabled = false;
  try {
    this.lastCommand = this.act(`${line} (not traced)`, () => runCommand(this.host, line));
  } finally {
    tracer.enabled = was;
  }
});

// How many commands of the last repeated run exited 0.
Then('{int} of them succeeded', function (this: OffloadWorld, n: number) {
  const r = this.scaleRun;
  if (!r) throw new Error('no repeated run yet: a "When I run … at scale" or "… until one fails" step must come first');
  expect(r.succeeded, `succeeded (first failure at $i = ${r.failedAt ?? 'none'}: ${r.last?.stderr.trim() ?? ''})`).to.equal(n);
});

// The last command printed exactly this many lines on stdout.
Then('the output has {int} line(s)', function (this: OffloadWorld, n: number) {
  const out = this.command.stdout;
  const lines = out === '' ? 0 : out.split('\n').length - (out.endsWith('\n') ? 1 : 0);
  expect(lines, `${this.command.command}: lines of output`).to.equal(n);
});

// No leak: tc holds no filter and the firmware no FTE, flow table or flow counter beyond what
// it held once the driver had probed.
Then('nothing is left in tc or the firmware', function (this: OffloadWorld) {
  const c = hostCounts(this.host);
  expect({ tcFilters: c.tcFilters, createdFtes: c.createdFtes, extraTables: c.extraTables, extraCounters: c.extraCounters })
    .to.deep.equal({ tcFilters: 0, createdFtes: 0, extraTables: 0, extraCounters: 0 });
});
