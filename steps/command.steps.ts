// Commands typed as in a runbook, and what they printed.
import { When, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { OffloadWorld } from './support/world';
import { runCommand } from '../src/host/commands';

// Runs one command line on the host as a user would type it (tc, ip, devlink, ovs-vsctl,
// ovs-appctl, ovs-dpctl, ethtool, dmesg, cat, emulate …); its output and exit status become "the
// command".
When('I run {string}', function (this: OffloadWorld, line: string) {
  this.lastCommand = this.act(line, () => runCommand(this.host, line));
});

// The last command exited 0.
Then('it succeeds', function (this: OffloadWorld) {
  const r = this.command;
  expect(r.exitCode, `${r.command}\n${r.stderr}`).to.equal(0);
});

// The last command exited non-zero and printed this text on stderr.
Then('it fails with {string}', function (this: OffloadWorld, text: string) {
  const r = this.command;
  expect(r.exitCode, `${r.command} exited 0`).to.not.equal(0);
  expect(r.stderr).to.contain(text);
});

// Success that still printed something on stderr (e.g. tc's "Warning: …" from an extack).
Then('it succeeds with {string}', function (this: OffloadWorld, text: string) {
  const r = this.command;
  expect(r.exitCode, `${r.command}\n${r.stderr}`).to.equal(0);
  expect(r.stderr).to.contain(text);
});

// The last command printed this text on stdout.
Then('the output contains {string}', function (this: OffloadWorld, text: string) {
  expect(this.command.stdout).to.contain(text);
});

// The last command did not print this text on stdout.
Then('the output does not contain {string}', function (this: OffloadWorld, text: string) {
  expect(this.command.stdout).to.not.contain(text);
});

// The last command's stdout is exactly the docstring (trailing blank lines aside).
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
