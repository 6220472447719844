// A scenario's hops as Chrome Trace Event JSON (the format Perfetto and
// chrome://tracing import): one process per lane, named by metadata events;
// an `X` slice per hop with its inputs and result in `args`; flow arrows
// from a caller to a callee in another lane. The emulator has no clock, so
// time is logical: every hop entry and exit advances it by one microsecond,
// which keeps each lane's slices properly nested and timestamps monotone.
import type { Hop } from '../trace/hop';
import { LAYERS, layerRank } from '../trace/layers';
import type { ActionTrace } from './model';

export interface TraceEvent {
  name: string;
  ph: 'X' | 'M' | 's' | 'f';
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  cat?: string;
  id?: number;
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ns' | 'ms';
  otherData: Record<string, string>;
}

/** The process of the scenario's own actions (one slice per When). */
const SCENARIO_PID = 1;
const TID = 1;
const pidOf = (h: Hop): number => layerRank(h.layer) + 2;

export function toChromeTrace(actions: readonly ActionTrace[], meta: { scenario: string; uri?: string }): ChromeTrace {
  const meta_ev: TraceEvent[] = [];
  const ev: TraceEvent[] = [];
  const proc = (pid: number, name: string): void => {
    meta_ev.push({ name: 'process_name', ph: 'M', pid, tid: TID, ts: 0, args: { name } });
    meta_ev.push({ name: 'process_sort_index', ph: 'M', pid, tid: TID, ts: 0, args: { sort_index: pid } });
    meta_ev.push({ name: 'thread_name', ph: 'M', pid, tid: TID, ts: 0, args: { name } });
  };
  proc(SCENARIO_PID, 'scenario');
  LAYERS.forEach((l, i) => proc(i + 2, l.title));

  let t = 0;
  let flow = 0;
  const visit = (h: Hop, parent: Hop | undefined): void => {
    const ts = t++;
    if (parent && pidOf(parent) !== pidOf(h)) {
      const id = ++flow;
      ev.push({ name: 'call', cat: 'call', ph: 's', id, pid: pidOf(parent), tid: TID, ts });
      // 's' binds to the caller's open slice; 'f' without bp binds to the next slice on its track: the callee's.
      ev.push({ name: 'call', cat: 'call', ph: 'f', id, pid: pidOf(h), tid: TID, ts });
    }
    const x: TraceEvent = { name: h.fn, cat: h.layer, ph: 'X', pid: pidOf(h), tid: TID, ts, args: hopArgs(h) };
    ev.push(x);
    for (const c of h.children) visit(c, h);
    x.dur = ++t - ts;
  };
  for (const a of actions) {
    const ts = t++;
    const slice: TraceEvent = { name: a.label, cat: a.setup ? 'setup' : 'action', ph: 'X', pid: SCENARIO_PID, tid: TID, ts };
    ev.push(slice);
    for (const r of a.roots) visit(r, undefined);
    slice.dur = ++t - ts;
    t++; // a gap between actions
  }
  // Stable sort keeps a flow start before the slice it enters at the same ts.
  ev.sort((a, b) => a.ts - b.ts);
  const otherData: Record<string, string> = { scenario: meta.scenario, clock: 'logical: 1 us per hop entry or exit' };
  if (meta.uri) otherData['uri'] = meta.uri;
  return { traceEvents: [...meta_ev, ...ev], displayTimeUnit: 'ns', otherData };
}

function hopArgs(h: Hop): Record<string, unknown> {
  const a: Record<string, unknown> = { file: h.file };
  if (h.input !== undefined) a['input'] = h.input;
  if (h.result !== undefined) a['result'] = h.result;
  if (h.errno !== undefined) a['errno'] = h.errno;
  if (h.extack !== undefined) a['extack'] = h.extack;
  if (h.threw !== undefined) a['threw'] = h.threw;
  if (h.branches?.length) a['branches'] = h.branches.map((b) => `${b.id}: ${b.taken ? 'taken' : 'not taken'}`);
  return a;
}

/**
 * Checks what Perfetto's JSON importer relies on: metadata naming every
 * process used, numeric monotone timestamps, non-negative durations, slices
 * on one track either nested or disjoint, and flow events that pair up and
 * have a slice to bind to. Returns the problems found.
 */
export function checkChromeTrace(doc: ChromeTrace): string[] {
  const problems: string[] = [];
  const named = new Set(doc.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.pid));
  let last = -Infinity;
  const tracks = new Map<string, TraceEvent[]>();
  const flows = new Map<number, number>();
  for (const [i, e] of doc.traceEvents.entries()) {
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts)) problems.push(`event ${i} (${e.name}): ts is not a number`);
    if (e.ph === 'M') continue;
    if (!named.has(e.pid)) problems.push(`event ${i} (${e.name}): pid ${e.pid} has no process_name`);
    if (e.ts < last) problems.push(`event ${i} (${e.name}): ts ${e.ts} before ${last}`);
    last = e.ts;
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || e.dur < 0) problems.push(`event ${i} (${e.name}): bad dur ${String(e.dur)}`);
      const k = `${e.pid}/${e.tid}`;
      (tracks.get(k) ?? tracks.set(k, []).get(k)!).push(e);
    } else if (e.ph === 's' || e.ph === 'f') {
      flows.set(e.id ?? -1, (flows.get(e.id ?? -1) ?? 0) + (e.ph === 's' ? 1 : -1));
    }
  }
  for (const [id, n] of flows) if (n !== 0) problems.push(`flow ${id}: start and finish do not pair`);
  for (const f of doc.traceEvents.filter((x) => x.ph === 's' || x.ph === 'f')) {
    const track = tracks.get(`${f.pid}/${f.tid}`) ?? [];
    const bound = f.ph === 's'
      ? track.some((x) => x.ts <= f.ts && f.ts < x.ts + x.dur!) // enclosing slice
      : track.some((x) => x.ts >= f.ts); // next slice
    if (!bound) problems.push(`flow ${f.id} (${f.ph}) at ${f.ts}: no slice on ${f.pid}/${f.tid} to bind to`);
  }
  for (const [k, slices] of tracks) {
    const open: TraceEvent[] = [];
    for (const s of slices) {
      while (open.length && open[open.length - 1]!.ts + open[open.length - 1]!.dur! <= s.ts) open.pop();
      const top = open[open.length - 1];
      if (top && s.ts + s.dur! > top.ts + top.dur!) problems.push(`track ${k}: ${s.name} overlaps ${top.name} without nesting`);
      open.push(s);
    }
  }
  return problems;
}

/** A file name for a scenario's trace: feature file, line and a slug of the name. */
export function traceFileName(s: { uri: string; line: number; name: string }): string {
  const base = s.uri.replace(/^.*\//, '').replace(/\.feature$/, '');
  const slug = s.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base}-${s.line}${slug ? `-${slug}` : ''}.json`;
}
