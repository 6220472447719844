// Questions about the hops the last action traversed.
import { Then, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { OffloadWorld } from './support/world';
import { flatten, inOrder, passesThrough, stopsIn, unknownHop } from '../src/trace/query';
import { declaredHops } from '../src/trace/hop';
import { errnoName } from '../src/kernel/include/uapi/asm-generic/errno';
import type { Layer } from '../src/trace/layers';

function known(w: OffloadWorld, fn: string): void {
  const why = unknownHop(fn, declaredHops().keys(), w.trace);
  if (why) throw new Error(why);
}

function path(w: OffloadWorld): string {
  return flatten(w.trace).map((h) => h.fn).join(' → ');
}

// The last action's trace called this upstream function (or firmware opcode).
Then('the trace passes through {hop}', function (this: OffloadWorld, fn: string) {
  known(this, fn);
  expect(passesThrough(this.trace, fn), `trace: ${path(this)}`).to.equal(true);
});

// The last action's trace never called this function.
Then('the trace does not pass through {hop}', function (this: OffloadWorld, fn: string) {
  known(this, fn);
  expect(passesThrough(this.trace, fn), `trace: ${path(this)}`).to.equal(false);
});

// The deepest point the last action reached, or where its error came from, is this function.
Then(/^the trace (?:stops|ends) in ([A-Za-z_][A-Za-z0-9_]*)$/, function (this: OffloadWorld, fn: string) {
  known(this, fn);
  const r = stopsIn(this.trace, fn);
  expect(r.ok, r.why).to.equal(true);
});

// Kernel functions return -errno, OVS functions +errno; the trace keeps the
// error either way, so the sign written in the scenario is for the reader.
Then('{hop} returned {errno}', function (this: OffloadWorld, fn: string, errno: number) {
  known(this, fn);
  const results = flatten(this.trace).filter((h) => h.fn === fn).map((h) => h.errno);
  expect(results, `${fn} was called ${results.length} time(s)`).to.not.have.length(0);
  expect(results.map((e) => (e === undefined ? 'no errno' : errnoName(-Math.abs(e))))).to.include(errnoName(-Math.abs(errno)));
});

// The last action's trace called these functions in this order (others may come between); the
// optional file column must match the upstream file.
Then('the trace passes through, in order:', function (this: OffloadWorld, table: DataTable) {
  const rows = table.hashes().map((r) => ({ fn: r['hop']!, file: r['file'] ? r['file'] : undefined }));
  for (const r of rows) known(this, r.fn);
  const res = inOrder(this.trace, rows);
  if (!res.ok) {
    const want = `${res.missing.fn}${res.missing.file ? ` (${res.missing.file})` : ''}`;
    throw new Error(`the trace does not reach ${want}${res.after ? ` after ${res.after}` : ''}\ntrace: ${path(this)}`);
  }
});

// The last action's trace called (or never called) any function of this layer of the diagram.
Then('the trace {reaches_or_not} the {layer} layer', function (this: OffloadWorld, reaches: boolean, layer: Layer) {
  const hit = flatten(this.trace).find((h) => h.layer === layer);
  if (reaches) expect(hit, `no hop in the ${layer} layer; trace: ${path(this)}`).to.not.equal(undefined);
  else expect(hit?.fn, `${hit?.fn} is in the ${layer} layer`).to.equal(undefined);
});
