import { describe, it, expect } from 'vitest';
import { commentBlockAbove, explainHop, hopLine, type CoverageView } from './explain';
import type { Catalog } from '../report/catalog';

const MODULE = [
  "const FILE = 'net/sched/cls_x.c';",
  '',
  '/**',
  ' * x_change (net/sched/cls_x.c): checks the flags,',
  ' * then offers the filter to hardware.',
  ' */',
  'export const x_change = hop(FILE, function x_change(a: number): number {',
  '  return a;',
  '});',
  '',
  '// x_dump: one filter back.',
  'const x_dump = hop(',
  "  'net/sched/cls_x.c',",
  '  function x_dump(): number { return 0; });',
].join('\n');

const catalog: Catalog = {
  hops: [{ fn: 'x_change', file: 'net/sched/cls_x.c', layer: 'tc' }, { fn: 'x_dump', file: 'net/sched/cls_x.c', layer: 'tc' }],
  branches: [{ id: 'x_change:skip_hw', fn: 'x_change', name: 'skip_hw', file: 'net/sched/cls_x.c' }],
};

const coverage: CoverageView = {
  scenarios: 3,
  scenario_names: { 'features/a.feature:3': 'First', 'features/b.feature:9': 'Second' },
  hops: [{ fn: 'x_change', scenarios: ['features/a.feature:3', 'features/b.feature:9'] }, { fn: 'x_dump', scenarios: [] }],
  branches: [{ id: 'x_change:skip_hw', fn: 'x_change', name: 'skip_hw', taken: { scenarios: ['features/a.feature:3'] }, not_taken: { scenarios: ['features/b.feature:9'] } }],
};

describe('explain', () => {
  it('finds a hop declaration and the comment above its statement', () => {
    expect(hopLine(MODULE, 'x_change')).toBe(7);
    expect(commentBlockAbove(MODULE, 7)).toBe('x_change (net/sched/cls_x.c): checks the flags, then offers the filter to hardware.');
    expect(hopLine(MODULE, 'x_dump')).toBe(12);
    expect(commentBlockAbove(MODULE, 12)).toBe('x_dump: one filter back.');
    expect(hopLine(MODULE, 'x_del')).toBeUndefined();
  });

  it('says what a hop does, its decisions and the scenarios that reached it', () => {
    const r = explainHop('x_change', catalog, { module: 'src/kernel/net/sched/cls_x.ts', line: 7, comment: 'checks the flags' }, coverage);
    expect(r.ok).toBe(true);
    const text = r.ok ? r.text : '';
    expect(text).toContain('x_change — net/sched/cls_x.c (Linux 6.18), lane tc');
    expect(text).toContain('emulated in src/kernel/net/sched/cls_x.ts:7');
    expect(text).toContain('skip_hw: taken in 1 scenario(s), not taken in 1');
    expect(text).toContain('Reached by 2 of the 3 scenarios of the last run:');
    expect(text).toContain('features/b.feature:9  Second');
  });

  it('says when no scenario reached a hop, and when there is no previous run', () => {
    const none = explainHop('x_dump', catalog, undefined, coverage);
    expect(none.ok && none.text).toContain('Reached by none of the 3 scenarios');
    const noRun = explainHop('x_dump', catalog, undefined, undefined);
    expect(noRun.ok && noRun.text).toContain('run `npm run scenarios` first');
  });

  it('suggests the closest names for a typo', () => {
    expect(explainHop('x_chang', catalog, undefined, coverage)).toEqual({ ok: false, error: 'no hop named "x_chang" (did you mean x_change?)' });
  });
});
