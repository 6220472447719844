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
      const svg = mine.find((a) => a.mediaType === 'image/svg+xml');
      expect(svg?.contentEncoding).toBe('BASE64');
      expect(Buffer.from(svg!.body, 'base64').toString('utf8')).toMatch(/^<svg [^>]*>[\s\S]*fl_change[\s\S]*<\/svg>$/);
      const log = mine.find((a) => a.mediaType === 'text/x.cucumber.log+plain');
      expect(log?.body).toMatch(/tc_new_tfilter\(.*\) \{/);
    }
  });
});
