// `offload-spec explain HOP`: what an emulated upstream function does, where
// the emulator defines it, the decisions it declares, and which scenarios of
// the last run reached it. Pure: the caller supplies the catalog, the source
// lookup and (if a run left one) the coverage report.
import type { Catalog } from '../report/catalog';
import { closest } from '../trace/query';

/** Where the emulator defines a hop, and the comment above the definition. */
export interface HopSource {
  /** Project-relative module path, e.g. src/kernel/net/sched/cls_flower.ts. */
  module: string;
  line: number;
  comment: string;
}

/** The parts of reports/hop-coverage.json explain reads. */
export interface CoverageView {
  scenarios: number;
  scenario_names: Record<string, string>;
  hops: { fn: string; scenarios: string[] }[];
  branches: { id: string; fn: string; name: string; taken: { scenarios: string[] }; not_taken: { scenarios: string[] } }[];
}

const UPSTREAM: [prefix: string, project: string][] = [
  ['src/kernel/', 'Linux 6.18'],
  ['src/drivers/', 'Linux 6.18 (mlx5 driver)'],
  ['src/ovs/', 'Open vSwitch 3.6'],
  ['src/iproute2/', 'iproute2 6.1'],
  ['src/hw/', 'the emulated firmware'],
];

function projectOf(module: string | undefined): string {
  return UPSTREAM.find(([p]) => module?.startsWith(p))?.[1] ?? 'upstream';
}

/** Reads the comment block (`//` lines or one JSDoc block) ending right above `line` (1-based). */
export function commentBlockAbove(source: string, line: number): string {
  const lines = source.split('\n');
  let i = line - 2;
  const out: string[] = [];
  if (i >= 0 && /\*\/\s*$/.test(lines[i]!)) {
    for (; i >= 0; i--) {
      const l = lines[i]!;
      out.unshift(l.replace(/^\s*\/\*\*?\s?/, '').replace(/\s*\*\/\s*$/, '').replace(/^\s*\*\s?/, ''));
      if (/^\s*\/\*/.test(l)) break;
    }
  } else {
    for (; i >= 0 && /^\s*\/\//.test(lines[i]!); i--) out.unshift(lines[i]!.replace(/^\s*\/\/\s?/, ''));
  }
  return out.join(' ').replace(/\s+/g, ' ').trim();
}

/** Finds `hop(FILE, function NAME(` in one module's text; returns the 1-based line its statement starts on. */
export function hopLine(source: string, fn: string): number | undefined {
  const name = fn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The declaration may break lines anywhere between `hop(` and the name.
  const m = new RegExp(`hop\\(\\s*[^,()]+,\\s*function\\s+${name}\\s*[<(]`).exec(source);
  if (!m) return undefined;
  const lines = source.split('\n');
  let start = source.slice(0, m.index).split('\n').length - 1;
  // The comment sits above the statement (`export const x = hop(`), which may start earlier.
  while (start > 0 && !/^\s*(export\s+)?(const|let|function)\b/.test(lines[start]!) && /^\s/.test(lines[start]!)) start--;
  return start + 1;
}

function list(ids: readonly string[], names: Record<string, string>, max: number): string[] {
  const out = ids.slice(0, max).map((id) => `    ${id}  ${names[id] ?? ''}`.trimEnd());
  if (ids.length > max) out.push(`    … and ${ids.length - max} more`);
  return out;
}

export type ExplainResult = { ok: true; text: string } | { ok: false; error: string };

export function explainHop(fn: string, catalog: Catalog, source: HopSource | undefined, coverage: CoverageView | undefined): ExplainResult {
  const decl = catalog.hops.find((h) => h.fn === fn);
  if (!decl) {
    const hint = closest(fn, catalog.hops.map((h) => h.fn));
    return { ok: false, error: `no hop named "${fn}"${hint.length ? ` (did you mean ${hint.join(', ')}?)` : ''}` };
  }
  const out: string[] = [`${fn} — ${decl.file} (${projectOf(source?.module)}), lane ${decl.layer}`];
  if (source) out.push(`emulated in ${source.module}:${source.line}`);
  out.push('');
  out.push(source?.comment ? source.comment : '(no description next to its definition)');
  const branches = catalog.branches.filter((b) => b.fn === fn);
  out.push('', branches.length === 0 ? 'Decisions it declares: none' : 'Decisions it declares:');
  for (const b of branches) {
    const c = coverage?.branches.find((x) => x.id === b.id);
    const counts = c ? `taken in ${c.taken.scenarios.length} scenario(s), not taken in ${c.not_taken.scenarios.length}` : 'no coverage data';
    out.push(`  ${b.name}: ${counts}`);
  }
  out.push('');
  if (!coverage) {
    out.push('No coverage from a previous run (reports/hop-coverage.json): run `npm run scenarios` first.');
  } else {
    const reached = coverage.hops.find((h) => h.fn === fn)?.scenarios ?? [];
    if (reached.length === 0) out.push(`Reached by none of the ${coverage.scenarios} scenarios of the last run.`);
    else out.push(`Reached by ${reached.length} of the ${coverage.scenarios} scenarios of the last run:`, ...list(reached, coverage.scenario_names, 10));
  }
  return { ok: true, text: `${out.join('\n')}\n` };
}
