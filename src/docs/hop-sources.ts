// Finds where the emulator defines a hop, by reading the emulator's sources
// (the process-facing half of `offload-spec explain`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { commentBlockAbove, hopLine, type HopSource } from './explain';

const EMULATOR_DIRS = ['kernel', 'drivers', 'hw', 'ovs', 'iproute2'];

export function findHopSource(projectRoot: string, fn: string): HopSource | undefined {
  const walk = (dir: string): HopSource | undefined => {
    let names: string[];
    try { names = readdirSync(dir).sort(); } catch { return undefined; }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) {
        const found = walk(p);
        if (found) return found;
      } else if (n.endsWith('.ts') && !n.endsWith('.test.ts')) {
        const text = readFileSync(p, 'utf8');
        if (!text.includes(`function ${fn}`)) continue;
        const line = hopLine(text, fn);
        if (line !== undefined) return { module: relative(projectRoot, p), line, comment: commentBlockAbove(text, line) };
      }
    }
    return undefined;
  };
  for (const d of EMULATOR_DIRS) {
    const found = walk(join(projectRoot, 'src', d));
    if (found) return found;
  }
  return undefined;
}
