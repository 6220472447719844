// Commands typed as in a runbook, and what they printed.
import { When, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { OffloadWorld } from './support/world';
import { runCommand } from '../src/host/commands';

When('I run {string}', function (this: OffloadWorld, line: string) {
  this.lastCommand = this.act(line, () => runCommand(this.host, line));
});

Then('it succeeds', function (this: OffloadWorld) {
  const r = this.command;
  expect(r.exitCode, `${r.command}\n${r.stderr}`).to.equal(0);
});

Then('it fails with {string}', function (this: OffloadWorld, text: string) {
  const r = this.command;
  expect(r.exitCode, `${r.command} exited 0`).to.not.equal(0);
  expect(r.stderr).to.contain(text);
});

Then('the output contains {string}', function (this: OffloadWorld, text: string) {
  expect(this.command.stdout).to.contain(text);
});

Then('the output is:', function (this: OffloadWorld, doc: string) {
  expect(this.command.stdout.trimEnd()).to.equal(doc.trimEnd());
});

// Several commands, one per line (# comments allowed); stops at the first
// one that fails, like `set -e`, and keeps that one as "the command".
When('I run:', function (this: OffloadWorld, script: string) {
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    this.lastCommand = this.act(line, () => runCommand(this.host, line));
    if (this.lastCommand.exitCode !== 0) break;
  }
});
