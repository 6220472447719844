import { describe, it, expect } from 'vitest';
import { runCucumber } from './cucumber-run';

interface StepFinished { testStepResult: { status: string; message?: string } }

describe('bad input to a step', () => {
  it('fails that step with a message naming what was wrong, not a stack from deep inside', () => {
    const { status, envelopes } = runCucumber(['test/fixtures/bad-input.feature']);
    expect(status).toBe(1);
    const failures = envelopes
      .filter((e) => 'testStepFinished' in e)
      .map((e) => (e['testStepFinished'] as StepFinished).testStepResult)
      .filter((r) => r.status === 'FAILED')
      .map((r) => r.message ?? '');
    expect(failures).toHaveLength(4);
    const [flow, dev, hop, topo] = failures;
    expect(flow).toContain('parsing flow key');
    expect(flow).toContain('source=10.0.0.1');
    expect(dev).toContain('no net device "enp8s0f9"');
    expect(dev).toContain('did you mean');
    expect(hop).toContain('"fl_chnage" is not a hop the emulator knows (did you mean fl_change');
    expect(topo).toContain("test/fixtures/broken-topology.yaml:7:5: unknown key 'colour' in device");
    for (const f of [flow, dev, topo]) expect(f, f).not.toMatch(/\n\s+at /);
  }, 60_000);
});
