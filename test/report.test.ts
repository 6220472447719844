import { describe, it, expect } from 'vitest';
import { runCucumber } from './cucumber-run';

interface Attachment { mediaType: string; body: string; contentEncoding: string; testCaseStartedId?: string }

describe('report attachments', () => {
  it('gives every scenario a hop tree (log) and an SVG diagram (base64 image)', () => {
    const { status, envelopes } = runCucumber(['features/skip-hw.feature', 'features/tour']);
    expect(status).toBe(0);
    const started = envelopes.filter((e) => 'testCaseStarted' in e).map((e) => (e['testCaseStarted'] as { id: string }).id);
    expect(started.length).toBeGreaterThanOrEqual(3);
    const atts = envelopes.filter((e) => 'attachment' in e).map((e) => e['attachment'] as Attachment);
    for (const id of started) {
      const mine = atts.filter((a) => a.testCaseStartedId === id);
      const svgs = mine.filter((a) => a.mediaType === 'image/svg+xml');
      expect(svgs.length).toBeGreaterThan(0);
      for (const s of svgs) expect(s.contentEncoding).toBe('BASE64');
      const texts = svgs.map((s) => Buffer.from(s.body, 'base64').toString('utf8'));
      for (const t of texts) expect(t).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>$/);
      expect(texts.some((t) => t.includes('data-fn="fl_change"'))).toBe(true);
      const logs = mine.filter((a) => a.mediaType === 'text/x.cucumber.log+plain').map((a) => a.body);
      expect(logs.some((l) => /tc_new_tfilter\(.*\) \{/.test(l))).toBe(true);
    }
  });
});
