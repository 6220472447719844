// Idr: lowest-free allocation and ordered walks, against a plain scan.
import { describe, expect, it } from 'vitest';
import { Idr } from './idr';

function plainLowest(ids: ReadonlySet<number>, start: number, max: number): number | undefined {
  for (let i = start; i <= max; i++) if (!ids.has(i)) return i;
  return undefined;
}

describe('Idr', () => {
  it('lowest_free and ids_from agree with a plain scan through random sets and deletes', () => {
    const idr = new Idr<string>(1);
    const plain = new Set<number>();
    let x = 7;
    const rand = (n: number): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n;
    for (let step = 0; step < 3000; step++) {
      const op = rand(3);
      if (op < 2) {
        const start = 1 + rand(4);
        const want = plainLowest(plain, start, 200);
        expect(idr.lowest_free(start, 200), `step ${step}: lowest_free(${start}, 200)`).toBe(want);
        if (want !== undefined) { idr.set(want, `v${want}`); plain.add(want); }
      } else if (plain.size > 0) {
        const victim = [...plain][rand(plain.size)]!;
        expect(idr.delete(victim)).toBe(true);
        plain.delete(victim);
      }
      const from = rand(60);
      expect(idr.ids_from(from), `step ${step}: ids_from(${from})`).toEqual([...plain].filter((i) => i >= from).sort((a, b) => a - b));
    }
  });

  it('a full range is undefined; overwriting an id keeps the walk', () => {
    const idr = new Idr<number>(1);
    for (let i = 1; i <= 3; i++) idr.set(i, i);
    expect(idr.lowest_free(1, 3)).toBeUndefined();
    expect(idr.ids_from(0)).toEqual([1, 2, 3]);
    idr.set(2, 20);
    expect(idr.ids_from(2)).toEqual([2, 3]);
    idr.clear();
    expect(idr.lowest_free(1, 3)).toBe(1);
    expect(idr.ids_from(0)).toEqual([]);
  });
});
