// Pure questions about a hop trace, used by Then steps and reports.
import type { Hop } from './hop';
import { layerRank } from './layers';

export function flatten(roots: readonly Hop[]): Hop[] {
  const out: Hop[] = [];
  const walk = (h: Hop): void => { out.push(h); h.children.forEach(walk); };
  roots.forEach(walk);
  return out;
}

function descendants(h: Hop): Hop[] {
  return flatten(h.children);
}

export function passesThrough(roots: readonly Hop[], fn: string): boolean {
  return flatten(roots).some((h) => h.fn === fn);
}

/**
 * "The trace stops in X": X was called, and nothing it called (directly or
 * not) reached a lane below X's — the request went no deeper than X.
 */
export function stopsIn(roots: readonly Hop[], fn: string): { ok: boolean; why: string } {
  const hits = flatten(roots).filter((h) => h.fn === fn);
  if (hits.length === 0) return { ok: false, why: `${fn} was never called` };
  for (const h of hits) {
    const deeper = descendants(h).find((d) => layerRank(d.layer) > layerRank(h.layer));
    if (!deeper) return { ok: true, why: '' };
    if (hits.length === 1) return { ok: false, why: `${fn} went on to ${deeper.fn} (${deeper.layer})` };
  }
  return { ok: false, why: `every call of ${fn} went deeper` };
}

/**
 * Checks that `expected` hops appear in the trace in that order (other hops
 * may come between them). Returns the first one missing, if any.
 */
export function inOrder(roots: readonly Hop[], expected: readonly { fn: string; file?: string }[]): { ok: true } | { ok: false; missing: { fn: string; file?: string }; after?: string } {
  const all = flatten(roots);
  let i = 0;
  let prev: string | undefined;
  for (const e of expected) {
    while (i < all.length && !(all[i]!.fn === e.fn && (e.file === undefined || all[i]!.file === e.file))) i++;
    if (i >= all.length) return { ok: false, missing: e, after: prev };
    prev = all[i]!.fn;
    i++;
  }
  return { ok: true };
}

/** Names close to `name`, for "did you mean" hints. */
export function closest(name: string, candidates: Iterable<string>, n = 3): string[] {
  const dist = (a: string, b: string): number => {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return d[a.length]![b.length]!;
  };
  return [...new Set(candidates)]
    .map((c) => ({ c, d: dist(name, c) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, n)
    .map((x) => x.c);
}

/**
 * Why `fn` is not a hop name a scenario can use (with a "did you mean"), or
 * undefined when it is one: declared by the emulator or present in `roots`.
 */
export function unknownHop(fn: string, declared: Iterable<string>, roots: readonly Hop[]): string | undefined {
  const names = new Set([...declared, ...flatten(roots).map((h) => h.fn)]);
  if (names.has(fn)) return undefined;
  const hint = closest(fn, names);
  return `"${fn}" is not a hop the emulator knows${hint.length ? ` (did you mean ${hint.join(', ')}?)` : ''}`;
}
