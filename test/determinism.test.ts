// The same suite run twice yields the same hop traces and the same final
// state for every scenario: no wall-clock time or unseeded randomness leaks
// into what the emulator decides or records.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { runCucumberAsync } from './report-run';
import type { Envelope } from './cucumber-run';

const RECORDED = new Set(['application/x.offload-spec.hops+json', 'application/x.offload-spec.state+json']);

/** Per scenario (feature file + its n-th pickle), a digest of what it recorded, in order. */
function fingerprints(envelopes: readonly Envelope[]): Map<string, string> {
  const keyOfPickle = new Map<string, string>();
  const seenPerUri = new Map<string, number>();
  const pickleOfCase = new Map<string, string>();
  const caseOfStarted = new Map<string, string>();
  const hashes = new Map<string, ReturnType<typeof createHash>>();
  for (const e of envelopes) {
    const p = e['pickle'] as { id: string; uri: string; name: string } | undefined;
    if (p) {
      const n = seenPerUri.get(p.uri) ?? 0;
      seenPerUri.set(p.uri, n + 1);
      keyOfPickle.set(p.id, `${p.uri} #${n + 1} ${p.name}`);
    }
    const tc = e['testCase'] as { id: string; pickleId: string } | undefined;
    if (tc) pickleOfCase.set(tc.id, tc.pickleId);
    const st = e['testCaseStarted'] as { id: string; testCaseId: string } | undefined;
    if (st) caseOfStarted.set(st.id, st.testCaseId);
    const a = e['attachment'] as { mediaType: string; body: string; testCaseStartedId?: string } | undefined;
    if (a && RECORDED.has(a.mediaType) && a.testCaseStartedId) {
      const key = keyOfPickle.get(pickleOfCase.get(caseOfStarted.get(a.testCaseStartedId) ?? '') ?? '') ?? '?';
      let h = hashes.get(key);
      if (!h) hashes.set(key, (h = createHash('sha256')));
      h.update(a.mediaType).update('\0').update(a.body).update('\0');
    }
  }
  return new Map([...hashes].map(([k, h]) => [k, h.digest('hex')]));
}

describe('determinism', () => {
  it('two runs of the whole suite record identical traces and states', async () => {
    const [a, b] = await Promise.all([
      runCucumberAsync(['features'], ['--profile', 'bare']),
      runCucumberAsync(['features'], ['--profile', 'bare']),
    ]);
    expect(a.status, a.output.slice(-2000)).toBe(0);
    expect(b.status, b.output.slice(-2000)).toBe(0);
    const fa = fingerprints(a.envelopes);
    const fb = fingerprints(b.envelopes);
    expect(fa.size).toBeGreaterThan(100);
    const differing = [...fa].filter(([k, h]) => fb.get(k) !== h).map(([k]) => k);
    expect(differing, 'scenarios whose traces or state differ between two runs').toEqual([]);
    expect([...fb.keys()].sort()).toEqual([...fa.keys()].sort());
  }, 240_000);
});
