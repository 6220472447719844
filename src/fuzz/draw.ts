// The fuzz and soak generators' random choices, drawn from fast-check's
// `fc.gen()` value inside a seeded run: replayable from the seed, and the
// integer draws keep fast-check's bias towards bounds and small values (the
// lengths and offsets where parsers break). Nothing here reads the wall
// clock or Math.random.
import * as fc from 'fast-check';

export interface Draw {
  /** An integer in [0, n) (0 when n <= 0). */
  int(n: number): number;
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number;
  /** true with probability p (unbiased, so p keeps its meaning). */
  bool(p?: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** Any 32-bit unsigned integer. */
  u32(): number;
}

const UNIT = fc.noBias(fc.integer({ min: 0, max: 0xffff }));
const unit = (): fc.Arbitrary<number> => UNIT;
const I32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const i32 = (): fc.Arbitrary<number> => I32;

/** The choices of one generated input, backed by fast-check's generator value g. */
export function drawFrom(g: fc.GeneratorValue): Draw {
  const range = (lo: number, hi: number): number => (hi <= lo ? lo : g(fc.integer, { min: lo, max: hi }));
  return {
    int: (n) => (n <= 1 ? 0 : range(0, n - 1)),
    range,
    bool: (p = 0.5) => g(unit) < p * 0x10000,
    pick: <T>(xs: readonly T[]): T => {
      if (xs.length === 0) throw new Error('Draw.pick: empty list');
      return xs[xs.length === 1 ? 0 : range(0, xs.length - 1)]!;
    },
    u32: () => g(i32) >>> 0,
  };
}

/**
 * Runs check on count inputs from arb, seeded: fast-check generates them
 * lazily, one per run. check returns false to stop early (time or failure
 * budget spent); inputs are never shrunk here, the caller records failures.
 */
export function forEachInput<T>(arb: fc.Arbitrary<T>, seed: number, count: number, check: (input: T) => boolean): void {
  if (count <= 0) return;
  fc.check(fc.property(arb, check), { seed, numRuns: count, endOnFailure: true });
}
