// ListHead: order after adds, deletes and in-place replaces, against an array.
import { describe, expect, it } from 'vitest';
import { ListHead } from './list';

describe('ListHead', () => {
  it('keeps list order through random add_tail / del / replace (with compaction)', () => {
    const l = new ListHead<{ id: number }>();
    const plain: { id: number }[] = [];
    let x = 11;
    const rand = (n: number): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n;
    let next = 0;
    for (let step = 0; step < 5000; step++) {
      const op = rand(4);
      if (op <= 1 || plain.length === 0) {
        const e = { id: next++ };
        l.add_tail(e);
        plain.push(e);
      } else if (op === 2) {
        const e = plain.splice(rand(plain.length), 1)[0]!;
        expect(l.del(e)).toBe(true);
      } else {
        const i = rand(plain.length);
        const e = { id: next++ };
        expect(l.replace(plain[i]!, e)).toBe(true);
        plain[i] = e;
      }
      expect(l.size).toBe(plain.length);
      if (step % 50 === 0) expect(l.toArray().map((e) => e.id), `step ${step}`).toEqual(plain.map((e) => e.id));
    }
    expect(l.toArray()).toEqual(plain);
  });

  it('del and replace of an entry not on the list are false', () => {
    const l = new ListHead<{ id: number }>();
    const a = { id: 1 };
    expect(l.del(a)).toBe(false);
    expect(l.replace(a, { id: 2 })).toBe(false);
    l.add_tail(a);
    expect(() => l.add_tail(a)).toThrow('list_add_tail');
  });
});
