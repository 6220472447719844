// What the emulator declares, found without running anything: every hop and
// every decision branch registers itself when its module loads, so loading
// the emulator's modules is enough to list them. A new hop or branch shows up
// here (and in the coverage report) without anyone editing a list.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { declaredHops } from '../trace/hop';
import { declaredBranches, type BranchDecl } from '../trace/branch';
import { layerOf, type Layer } from '../trace/layers';
// Everything a host reaches, statically (also what the unit tests see).
import '../host/commands';

export interface HopDecl {
  fn: string;
  file: string;
  layer: Layer;
}

export interface Catalog {
  hops: HopDecl[];
  branches: BranchDecl[];
  /** Modules that failed to load (their hops are missing from the lists). */
  unloadable?: { module: string; error: string }[];
}

/** Emulator source trees whose modules declare hops. */
const EMULATOR_DIRS = ['kernel', 'drivers', 'hw', 'ovs', 'iproute2'];

/**
 * Loads every emulator module that a TypeScript-aware require can reach
 * (under ts-node; a no-op under a bundler, where the static import above is
 * what there is), so hops no scenario path imports are declared too.
 */
function loadEmulatorModules(): Catalog['unloadable'] {
  const unloadable: NonNullable<Catalog['unloadable']> = [];
  if (!('.ts' in require.extensions)) return unloadable;
  const walk = (dir: string): void => {
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const n of names.sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) {
        if (n !== 'testing') walk(p);
      } else if (n.endsWith('.ts') && !n.endsWith('.test.ts') && !n.endsWith('.d.ts')) {
        try {
          require(p);
        } catch (e) {
          unloadable.push({ module: p.slice(p.lastIndexOf('/src/') + 1), error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
  };
  for (const d of EMULATOR_DIRS) walk(join(__dirname, '..', d));
  return unloadable;
}

export function emulatorCatalog(): Catalog {
  const unloadable = loadEmulatorModules();
  const hops = [...declaredHops()].map(([fn, file]) => ({ fn, file, layer: layerOf(file) }));
  const branches = [...declaredBranches().values()];
  return {
    hops: hops.sort((a, b) => a.fn.localeCompare(b.fn)),
    branches: branches.sort((a, b) => a.id.localeCompare(b.id)),
    ...(unloadable?.length ? { unloadable } : {}),
  };
}
