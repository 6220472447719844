// offload-report.html: one self-contained page (no external resources) for a
// whole suite — summary, scenarios grouped by feature with their steps,
// diagrams, call trees and final host state, a hop coverage map, and filters
// by text, tag, layer and hop. All scenario text is escaped here; the page's
// script only reads data-* attributes and sets textContent/hidden.
import { gzipSync } from 'node:zlib';
import type { Suite, ScenarioRun, ActionTrace, HostStateJson, Status } from './model';
import type { CoverageReport, HopCoverage } from './coverage';
import { renderHopSvg, decisiveHop, decisiveNote } from './svg';
import { formatFunctionGraph } from '../trace/ftrace';
import { flatten } from '../trace/query';
import { LAYERS } from '../trace/layers';

/** Escapes text for HTML content and attribute values; null and undefined become empty. */
export function escapeHtml(v: string | number | null | undefined): string {
  return String(v ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

export interface ReportOptions {
  title?: string;
  /** Where the per-scenario Chrome traces live, relative to the page; omitted: no links. */
  tracesHref?: (s: ScenarioRun) => string | undefined;
  /** Shown in the header, e.g. the time of the run (kept out by default so the page is byte-stable). */
  generated?: string;
  /** A page-unique id for a scenario (used to keep SVG ids apart). */
  idOf?: (s: ScenarioRun) => string;
  /**
   * Ship the scenarios' diagrams, call trees and states as gzip blobs of
   * BODY_CHUNK scenarios each (default): hop markup is repetitive across
   * scenarios, so the page shrinks by far more than tenfold. The browser
   * inflates a blob (DecompressionStream) and draws a scenario's body only
   * when its card is open and near the viewport, or is reached by a link, so
   * the time to open the page does not grow with the number of scenarios.
   */
  compress?: boolean;
}

/**
 * Scenarios per compressed blob: large enough that a blob still shares most
 * of its text (size stays near one blob's), small enough that inflating one
 * costs a few milliseconds.
 */
export const BODY_CHUNK = 32;

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
header{position:sticky;top:0;background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:8px 16px;z-index:2}
h1{font-size:18px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}h3{font-size:14px;margin:8px 0 4px}
main,#coverage{padding:0 16px}
.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
.filters input,.filters select{font:inherit;padding:2px 4px}
.badge{display:inline-block;min-width:62px;text-align:center;border-radius:3px;padding:0 4px;font-size:12px;color:#fff;background:#57606a}
.s-PASSED .badge,.badge.s-PASSED{background:#1a7f37}.s-FAILED .badge,.badge.s-FAILED{background:#cf222e}
.s-UNDEFINED .badge,.s-PENDING .badge,.s-AMBIGUOUS .badge{background:#9a6700}
details.scenario{border:1px solid #d0d7de;border-radius:6px;margin:6px 0;padding:4px 8px;content-visibility:auto;contain-intrinsic-size:auto 240px;scroll-margin-top:120px}
details.scenario>summary{cursor:pointer}
div.body[data-body]:not([data-drawn]){min-height:200px}
.tag{color:#0969da;font-size:12px;margin-left:4px}.loc{color:#57606a;font-size:12px;margin-left:6px}
ol.steps{margin:4px 0;padding-left:20px}ol.steps li.s-FAILED{color:#cf222e}ol.steps li.s-SKIPPED{color:#8c959f}
pre{background:#f6f8fa;padding:6px;overflow:auto;font-size:12px;margin:4px 0}
pre.error{background:#ffebe9;color:#82071e}
.diagram{overflow:auto;max-width:100%;border:1px solid #eaeef2}
.decisive-note{color:#b00000;font-family:monospace;font-size:12px}
table{border-collapse:collapse;font-size:12px;margin:4px 0}td,th{border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top}
tr.unreached td{background:#fff1e5}tr.unreached td.n{color:#cf222e;font-weight:bold}
button.hopref{font:inherit;font-family:monospace;border:0;background:none;color:#0969da;cursor:pointer;padding:0}
.muted{color:#57606a}
div.body[data-body]:not([data-drawn]){min-height:120px;background:repeating-linear-gradient(#fff 0 12px,#f6f8fa 12px 24px)}
details.scenario:target{outline:2px solid #0969da}
`;

// Bodies are drawn lazily: a card's body is inflated and inserted when the
// card is open and within a screen of the viewport (IntersectionObserver),
// when it is opened, or when a link (#uri:line) targets it. data-ready is set
// once the cards on the first screen are drawn. An undrawn body keeps a
// placeholder height, so how many cards count as near the first screen does
// not depend on how small they are before drawing. Filters read data-* only.
const SCRIPT = `
(function(){
  var CH=+document.body.getAttribute('data-chunk')||1,blobs={};
  function blob(k){
    if(!blobs[k]){
      var el=document.getElementById('bodies-'+k),b=atob(el.textContent.trim()),u=new Uint8Array(b.length);
      for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);
      blobs[k]=new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream('gzip'))).json();
    }
    return blobs[k];
  }
  function draw(card){
    var el=card.querySelector('div.body[data-body]');
    if(!el||el.hasAttribute('data-drawing'))return Promise.resolve();
    el.setAttribute('data-drawing','');
    var i=+el.getAttribute('data-body');
    return blob(Math.floor(i/CH)).then(function(bodies){el.innerHTML=bodies[i%CH];el.setAttribute('data-drawn','');});
  }
  var q=document.getElementById('q'),tag=document.getElementById('tag'),layer=document.getElementById('layer'),hop=document.getElementById('hop'),count=document.getElementById('count');
  var all=[].slice.call(document.querySelectorAll('details.scenario'));
  function has(list,v){return (' '+list+' ').indexOf(' '+v+' ')>=0;}
  function apply(){
    var t=q.value.trim().toLowerCase(),g=tag.value,l=layer.value,h=hop.value.trim(),n=0;
    all.forEach(function(s){
      var ok=(!t||s.getAttribute('data-text').indexOf(t)>=0)&&(!g||has(s.getAttribute('data-tags'),g))&&(!l||has(s.getAttribute('data-layers'),l))&&(!h||has(s.getAttribute('data-hops'),h));
      s.hidden=!ok;if(ok)n++;
    });
    [].slice.call(document.querySelectorAll('section.feature')).forEach(function(f){f.hidden=!f.querySelector('details.scenario:not([hidden])');});
    count.textContent=n+' of '+all.length+' scenarios';
  }
  [q,tag,layer,hop].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  document.addEventListener('click',function(ev){
    var b=ev.target&&ev.target.closest&&ev.target.closest('button.hopref');
    if(!b)return;hop.value=b.getAttribute('data-fn');apply();window.scrollTo(0,0);
  });
  // Parsing <details open> queues a toggle event per card too: draw only
  // cards near the viewport, as the observer does, or all would be drawn.
  function near(s){var r=s.getBoundingClientRect(),h=window.innerHeight;return r.bottom>=-h&&r.top<=2*h;}
  all.forEach(function(s){s.addEventListener('toggle',function(){if(s.open&&!s.hidden&&near(s))draw(s);});});
  // A link to a scenario reveals it even when a filter hides it or it is closed.
  function reveal(){
    var id=location.hash.slice(1);try{id=decodeURIComponent(id);}catch(x){}
    var s=id&&document.getElementById(id);
    if(!s||!s.matches('details.scenario'))return Promise.resolve();
    if(s.hidden){q.value='';tag.value='';layer.value='';hop.value='';apply();}
    s.open=true;
    return draw(s).then(function(){s.scrollIntoView();});
  }
  window.addEventListener('hashchange',reveal);
  apply();
  function ready(){document.body.setAttribute('data-ready','');}
  var first=reveal();
  if(!('IntersectionObserver' in window)){Promise.all(all.map(draw)).then(ready);return;}
  var started=false;
  var io=new IntersectionObserver(function(entries){
    var ps=entries.filter(function(x){return x.isIntersecting&&x.target.open;}).map(function(x){return draw(x.target);});
    if(!started){started=true;Promise.all(ps.concat([first])).then(ready);}
  },{rootMargin:'100% 0px'});
  all.forEach(function(s){io.observe(s);});
  if(!all.length)ready();
})();
`;

function statusBadge(s: Status): string {
  return `<span class="badge s-${s}">${s.toLowerCase()}</span>`;
}

function compact(v: unknown): unknown {
  if (Array.isArray(v)) {
    const a = v.map(compact).filter((x) => x !== undefined);
    return a.length ? a : undefined;
  }
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = compact(x);
      if (c !== undefined) o[k] = c;
    }
    return Object.keys(o).length ? o : undefined;
  }
  if (v === 0 || v === false || v === '' || v === null || v === undefined) return undefined;
  return v;
}

function json(v: unknown): string {
  const c = compact(v);
  return c === undefined ? '' : JSON.stringify(c);
}

function renderState(st: HostStateJson): string {
  const out: string[] = ['<details class="state" open><summary>final state</summary>'];
  out.push(`<h3>tc filters (${st.tcFilters.length})</h3>`);
  if (st.tcFilters.length) {
    out.push('<table><tr><th>dev</th><th>block</th><th>chain</th><th>prio</th><th>handle</th><th>kind</th><th>flags</th></tr>');
    for (const f of st.tcFilters) {
      out.push(`<tr><td>${e(f.dev ?? '')}</td><td>${f.block}</td><td>${f.chain}</td><td>${f.prio}</td><td>0x${f.handle.toString(16)}</td><td>${e(f.kind)}</td><td>${e(f.flagsText ?? `0x${f.flags.toString(16)}`)}</td></tr>`);
    }
    out.push('</table>');
  }
  const tables = new Map<string, HostStateJson['ftes']>();
  for (const f of st.ftes) {
    const k = `${f.device} ${String(f.table_type)} table ${f.table}`;
    (tables.get(k) ?? tables.set(k, []).get(k)!).push(f);
  }
  out.push(`<h3>FTEs (${st.ftes.length}, in ${tables.size} tables)</h3>`);
  for (const [k, fs] of tables) {
    out.push(`<table><caption>${e(k)}</caption><tr><th>group</th><th>index</th><th>match</th><th>actions</th><th>destinations</th></tr>`);
    for (const f of fs) {
      out.push(`<tr><td>${f.group}</td><td>${f.index}</td><td><code>${e(json(f.match))}</code></td><td>${e(json(f.actions))}</td><td>${e(json(f.destinations))}</td></tr>`);
    }
    out.push('</table>');
  }
  out.push(`<h3>datapath flows (${st.datapathFlows.length})</h3>`);
  if (st.datapathFlows.length) {
    out.push('<table><tr><th>dp</th><th>ufid</th><th>key</th><th>actions</th></tr>');
    for (const d of st.datapathFlows) out.push(`<tr><td>${e(d.dp)}</td><td>${e(d.ufid)}</td><td><code>${e(d.key)}</code></td><td><code>${e(d.actions)}</code></td></tr>`);
    out.push('</table>');
  }
  out.push('</details>');
  return out.join('\n');
}

function renderAction(s: ScenarioRun, a: ActionTrace, id: string): string {
  const out: string[] = [`<div class="action"><h3>${e(a.label)}</h3>`];
  const all = flatten(a.roots);
  const d = decisiveHop(all);
  if (d) out.push(`<div class="decisive-note">${decisiveNote(d).map(e).join('<br>')}</div>`);
  const branches = all.flatMap((h) => h.branches ?? []).map((b) => `${b.id}: ${b.taken ? 'taken' : 'not taken'}`);
  if (branches.length) out.push(`<div class="muted">branches: ${e([...new Set(branches)].join(' · '))}</div>`);
  out.push(`<div class="diagram">${renderHopSvg(a.roots, `${s.name} — ${a.label}`, { idPrefix: id })}</div>`);
  out.push(`<details class="trace"><summary>call tree</summary><pre>${e(formatFunctionGraph(a.roots))}</pre></details></div>`);
  return out.join('\n');
}

/** Bodies of all scenarios, compressed together at the end (they share most of their text). */
type Bodies = string[] | undefined;

function renderScenario(s: ScenarioRun, o: ReportOptions, bodies: Bodies): string {
  const hops = new Set<string>();
  const layers = new Set<string>();
  for (const a of s.actions) for (const h of flatten(a.roots)) { hops.add(h.fn); layers.add(h.layer); }
  const text = [s.name, s.feature, ...s.steps.map((st) => `${st.keyword} ${st.text}`)].join('\n').toLowerCase();
  const out: string[] = [];
  out.push(`<details class="scenario s-${s.status}" open id="${e(s.key)}" data-key="${e(s.key)}" data-tags="${e(s.tags.join(' '))}" data-hops="${e([...hops].join(' '))}" data-layers="${[...layers].join(' ')}" data-text="${e(text)}">`);
  const tags = s.tags.map((t) => `<span class="tag">${e(t)}</span>`).join('');
  const attempt = s.attempt > 0 ? ` <span class="muted">(attempt ${s.attempt + 1})</span>` : '';
  out.push(`<summary>${statusBadge(s.status)} <span class="name">${e(s.name)}</span>${tags}<span class="loc">${e(s.key)}</span>${attempt}</summary>`);
  out.push('<ol class="steps">');
  for (const st of s.steps) {
    out.push(`<li class="s-${st.status}"><b>${e(st.keyword)}</b> ${e(st.text)}${st.message ? `<pre class="error">${e(st.message)}</pre>` : ''}</li>`);
  }
  out.push('</ol>');
  const body: string[] = [];
  s.actions.forEach((a, i) => { if (!a.setup) body.push(renderAction(s, a, `${o.idOf?.(s) ?? 's'}-${i}-`)); });
  if (s.state) body.push(renderState(s.state));
  const href = o.tracesHref?.(s);
  if (href && s.actions.length) body.push(`<p class="muted">Chrome trace (load in Perfetto): <a href="${e(href)}">${e(href)}</a></p>`);
  if (!bodies) out.push(...body);
  else if (body.length) {
    out.push(`<div class="body" data-body="${bodies.length}"></div>`);
    bodies.push(body.join('\n'));
  }
  out.push('</details>');
  return out.join('\n');
}

function hopRow(h: HopCoverage, names_of: Record<string, string>): string {
  const n = h.scenarios.length;
  // Each name links to its card (id = uri:line); the page's script draws and reveals it.
  const names = h.scenarios.slice(0, 8).map((k) => `<a href="#${e(encodeURI(k))}">${e(names_of[k] ?? k)}</a>`).join('; ') + (n > 8 ? `; … ${n - 8} more` : '');
  return `<tr class="${n === 0 ? 'unreached' : 'reached'}"><td><button class="hopref" data-fn="${e(h.fn)}">${e(h.fn)}</button>${h.declared ? '' : ' <span class="muted">(event)</span>'}</td><td>${e(h.file)}</td><td class="n">${n}</td><td>${names}</td></tr>`;
}

function renderCoverage(c: CoverageReport): string {
  const out: string[] = ['<section id="coverage"><h2>Hop coverage</h2>'];
  out.push(`<p>${c.summary.hops.reached} of ${c.summary.hops.declared} declared hops reached; ${c.summary.branches.outcomes_reached} of ${c.summary.branches.outcomes} branch outcomes reached, over ${c.scenarios} scenarios. Unreached ones are shaded; click a hop to list the scenarios that reached it.</p>`);
  out.push('<h3>Branches</h3><table><tr><th>branch</th><th>file</th><th>taken</th><th>not taken</th></tr>');
  for (const b of c.branches) {
    const cell = (n: number): string => `<td class="n">${n}</td>`;
    const un = b.taken.scenarios.length === 0 || b.not_taken.scenarios.length === 0;
    out.push(`<tr class="${un ? 'unreached' : 'reached'}"><td>${e(b.id)}</td><td>${e(b.file)}</td>${cell(b.taken.scenarios.length)}${cell(b.not_taken.scenarios.length)}</tr>`);
  }
  out.push('</table>');
  for (const l of LAYERS) {
    const hs = c.hops.filter((h) => h.layer === l.id);
    if (!hs.length) continue;
    const reached = hs.filter((h) => h.scenarios.length > 0).length;
    out.push(`<h3>${e(l.title)} — ${reached}/${hs.length}</h3><table class="hops-table" data-layer="${l.id}"><tr><th>hop</th><th>file</th><th>scenarios</th><th>which</th></tr>`);
    for (const h of hs) out.push(hopRow(h, c.scenario_names));
    out.push('</table>');
  }
  out.push('</section>');
  return out.join('\n');
}

export function renderOffloadReport(suite: Suite, coverage: CoverageReport, o: ReportOptions = {}): string {
  const title = o.title ?? 'offload-spec report';
  const counts = new Map<Status, number>();
  for (const s of suite.scenarios) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const summary = [...counts].map(([k, n]) => `${n} ${k.toLowerCase()}`).join(', ');
  const tags = [...new Set(suite.scenarios.flatMap((s) => s.tags))].sort();
  const hopNames = coverage.hops.filter((h) => h.scenarios.length > 0).map((h) => h.fn);
  const out: string[] = [];
  out.push('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  out.push(`<meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>${CSS}</style></head><body data-chunk="${BODY_CHUNK}">`);
  out.push(`<header><h1>${e(title)}</h1>`);
  out.push(`<p class="summary" id="summary">${suite.scenarios.length} scenarios in ${suite.features.length} features: ${e(summary || 'none')} · hops reached ${coverage.summary.hops.reached}/${coverage.summary.hops.declared} · branch outcomes ${coverage.summary.branches.outcomes_reached}/${coverage.summary.branches.outcomes} · <a href="#coverage">coverage map</a>${o.generated ? ` · ${e(o.generated)}` : ''}</p>`);
  out.push('<div class="filters"><input id="q" type="search" placeholder="search text" aria-label="search text">');
  out.push(`<select id="tag" aria-label="tag"><option value="">any tag</option>${tags.map((t) => `<option>${e(t)}</option>`).join('')}</select>`);
  out.push(`<select id="layer" aria-label="layer"><option value="">any layer</option>${LAYERS.map((l) => `<option value="${l.id}">${e(l.title)}</option>`).join('')}</select>`);
  out.push(`<input id="hop" list="hop-names" placeholder="reached hop, e.g. mlx5_cmd_create_fte" aria-label="hop" size="34"><datalist id="hop-names">${hopNames.map((h) => `<option value="${e(h)}">`).join('')}</datalist>`);
  out.push('<span id="count" class="muted"></span></div></header><main>');
  const ids = new Map(suite.scenarios.map((s, i) => [s, `sc${i}`]));
  const opts: ReportOptions = { ...o, idOf: o.idOf ?? ((s) => ids.get(s) ?? 's') };
  const bodies: Bodies = o.compress === false ? undefined : [];
  for (const f of suite.features) {
    const ss = suite.scenarios.filter((s) => s.uri === f.uri);
    out.push(`<section class="feature"><h2>${e(f.name)} <span class="loc">${e(f.uri)}</span></h2>`);
    for (const s of ss) out.push(renderScenario(s, opts, bodies));
    out.push('</section>');
  }
  out.push('</main>');
  out.push('<noscript><p>Diagrams, call trees and final states are stored compressed: they need JavaScript.</p></noscript>');
  out.push(renderCoverage(coverage));
  for (let k = 0; bodies && k * BODY_CHUNK < bodies.length; k++) {
    // JSON of markup strings: '<' is escaped by base64 anyway; the blob is text, never parsed as HTML.
    const chunk = JSON.stringify(bodies.slice(k * BODY_CHUNK, (k + 1) * BODY_CHUNK));
    out.push(`<script type="application/gzip;base64" class="bodies" id="bodies-${k}">${gzipSync(chunk, { level: 9 }).toString('base64')}</script>`);
  }
  out.push(`<script>${SCRIPT}</script></body></html>`);
  return `${out.join('\n')}\n`;
}
