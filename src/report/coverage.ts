// Hop coverage across a suite: for every hop and every decision branch the
// emulator declares, how many scenarios reached it and which. Hops reached but
// not declared (events such as firmware commands) are listed too.
import type { Suite, ScenarioRun } from './model';
import type { Catalog } from './catalog';
import type { Hop } from '../trace/hop';
import { flatten } from '../trace/query';
import { layerOf, type Layer } from '../trace/layers';

/** A scenario by where it is written, `uri:line` (names are in `CoverageReport.scenario_names`). */
export type ScenarioRef = string;

export interface HopCoverage {
  fn: string;
  file: string;
  layer: Layer;
  /** false for hops seen in traces that no module declares (e.g. firmware commands). */
  declared: boolean;
  scenarios: ScenarioRef[];
}

export interface BranchOutcomeCoverage {
  scenarios: ScenarioRef[];
}

export interface BranchCoverage {
  id: string;
  fn: string;
  name: string;
  file: string;
  taken: BranchOutcomeCoverage;
  not_taken: BranchOutcomeCoverage;
}

export interface CoverageReport {
  scenarios: number;
  /** `uri:line` → scenario name, for every scenario of the suite. */
  scenario_names: Record<string, string>;
  summary: {
    hops: { declared: number; reached: number };
    branches: { declared: number; outcomes: number; outcomes_reached: number };
  };
  hops: HopCoverage[];
  branches: BranchCoverage[];
  /** Emulator modules that could not be loaded to list their hops. */
  unloadable?: { module: string; error: string }[];
}

function scenarioHops(s: ScenarioRun): Hop[] {
  return s.actions.flatMap((a) => flatten(a.roots));
}

export function hopCoverage(suite: Suite, catalog: Catalog): CoverageReport {
  const hops = new Map<string, HopCoverage>();
  for (const d of catalog.hops) hops.set(d.fn, { fn: d.fn, file: d.file, layer: d.layer, declared: true, scenarios: [] });
  const branches = new Map<string, BranchCoverage>();
  for (const b of catalog.branches) {
    branches.set(b.id, { ...b, taken: { scenarios: [] }, not_taken: { scenarios: [] } });
  }
  for (const s of suite.scenarios) {
    const ref: ScenarioRef = s.key;
    const seenHops = new Set<string>();
    const seenBranches = new Set<string>();
    for (const h of scenarioHops(s)) {
      if (!seenHops.has(h.fn)) {
        seenHops.add(h.fn);
        let c = hops.get(h.fn);
        if (!c) {
          c = { fn: h.fn, file: h.file, layer: layerOf(h.file), declared: false, scenarios: [] };
          hops.set(h.fn, c);
        }
        c.scenarios.push(ref);
      }
      for (const b of h.branches ?? []) {
        const k = `${b.id}\u0000${b.taken}`;
        if (seenBranches.has(k)) continue;
        seenBranches.add(k);
        let c = branches.get(b.id);
        if (!c) {
          const [fn = h.fn, name = b.id] = b.id.split(':');
          c = { id: b.id, fn, name, file: h.file, taken: { scenarios: [] }, not_taken: { scenarios: [] } };
          branches.set(b.id, c);
        }
        (b.taken ? c.taken : c.not_taken).scenarios.push(ref);
      }
    }
  }
  const hopList = [...hops.values()].sort((a, b) => a.fn.localeCompare(b.fn));
  const branchList = [...branches.values()].sort((a, b) => a.id.localeCompare(b.id));
  const declared = hopList.filter((h) => h.declared);
  return {
    scenarios: suite.scenarios.length,
    scenario_names: Object.fromEntries(suite.scenarios.map((s) => [s.key, s.name])),
    summary: {
      hops: { declared: declared.length, reached: declared.filter((h) => h.scenarios.length > 0).length },
      branches: {
        declared: branchList.length,
        outcomes: branchList.length * 2,
        outcomes_reached: branchList.reduce((n, b) => n + (b.taken.scenarios.length > 0 ? 1 : 0) + (b.not_taken.scenarios.length > 0 ? 1 : 0), 0),
      },
    },
    hops: hopList,
    branches: branchList,
    ...(catalog.unloadable?.length ? { unloadable: catalog.unloadable } : {}),
  };
}
