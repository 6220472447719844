import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCucumber } from './cucumber-run';

const ROOT = join(__dirname, '..');

interface Reference { feature: string; scenario: string; line: number }

/** Every "Reproduced by" line of docs/troubleshooting.md. */
function references(): Reference[] {
  const text = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');
  const out: Reference[] = [];
  text.split('\n').forEach((l, i) => {
    if (!l.includes('**Reproduced by:**')) return;
    const m = /`(features\/[^`]+\.feature)` — \*([^*]+)\*/.exec(l);
    if (!m) throw new Error(`docs/troubleshooting.md:${i + 1}: "Reproduced by" names no \`features/….feature\` — *scenario*`);
    out.push({ feature: m[1]!, scenario: m[2]!, line: i + 1 });
  });
  return out;
}

describe('docs/troubleshooting.md', () => {
  it('names scenarios that exist and pass', () => {
    const refs = references();
    expect(refs.length).toBeGreaterThan(5);
    const files = [...new Set(refs.map((r) => r.feature))];
    const { envelopes } = runCucumber(files);
    const pickles = new Map<string, { name: string; uri: string }>();
    const caseOfPickle = new Map<string, string>();
    const statusOfCase = new Map<string, string>();
    const caseOfStarted = new Map<string, string>();
    const worst = new Map<string, string>();
    for (const e of envelopes) {
      const p = e['pickle'] as { id: string; name: string; uri: string } | undefined;
      if (p) pickles.set(p.id, p);
      const tc = e['testCase'] as { id: string; pickleId: string } | undefined;
      if (tc) caseOfPickle.set(tc.pickleId, tc.id);
      const st = e['testCaseStarted'] as { id: string; testCaseId: string } | undefined;
      if (st) caseOfStarted.set(st.id, st.testCaseId);
      const sf = e['testStepFinished'] as { testCaseStartedId: string; testStepResult: { status: string } } | undefined;
      if (sf) {
        const c = caseOfStarted.get(sf.testCaseStartedId)!;
        if (worst.get(c) !== 'FAILED' && sf.testStepResult.status !== 'PASSED') worst.set(c, sf.testStepResult.status);
      }
    }
    for (const [pid, cid] of caseOfPickle) statusOfCase.set(pid, worst.get(cid) ?? 'PASSED');
    for (const r of refs) {
      const matching = [...pickles.entries()].filter(([, p]) => p.uri === r.feature && p.name === r.scenario);
      expect(matching.length, `docs/troubleshooting.md:${r.line}: no scenario "${r.scenario}" in ${r.feature}`).toBeGreaterThan(0);
      for (const [pid] of matching) expect(statusOfCase.get(pid), `${r.feature} — ${r.scenario}`).toBe('PASSED');
    }
  }, 60_000);
});
