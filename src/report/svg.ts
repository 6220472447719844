// A per-scenario hop diagram: one column (lane) per layer, one row per hop in
// call order, an arrow from each caller to its callee. The decisive hop (the
// deepest one whose error was passed back up) is highlighted; hovering a box
// shows the upstream file. Scenario text never reaches the SVG unescaped.
import type { Hop } from '../trace/hop';
import { LAYERS, layerRank } from '../trace/layers';
import { errnoName } from '../kernel/include/uapi/asm-generic/errno';

const LANE_W = 190;
const ROW_H = 22;
const TOP = 46;
const BOX_H = 16;

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * The hop where a refusal originated. Candidates are the hops that returned
 * an error none of their children returned (an error's origin); the deepest
 * lane wins, then the error that travelled furthest up through its callers —
 * so a driver's refusal outranks a handler's end-of-queue -EAGAIN.
 */
export function decisiveHop(all: readonly Hop[]): Hop | undefined {
  const failed = (h: Hop): boolean => h.errno !== undefined && h.errno !== 0 && h.errno < 0;
  const parent = new Map<Hop, Hop>();
  for (const h of all) for (const c of h.children) parent.set(c, h);
  let best: { h: Hop; rank: number; reach: number } | undefined;
  for (const h of all) {
    if (!failed(h) || h.children.some(failed)) continue;
    let reach = 0;
    for (let p = parent.get(h); p && failed(p); p = parent.get(p)) reach++;
    const rank = layerRank(h.layer);
    if (!best || rank > best.rank || (rank === best.rank && reach > best.reach)) best = { h, rank, reach };
  }
  return best?.h;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function renderHopSvg(roots: readonly Hop[], title: string): string {
  const all: Hop[] = [];
  const walk = (h: Hop): void => { all.push(h); h.children.forEach(walk); };
  roots.forEach(walk);
  const decisive = decisiveHop(all);
  const row = new Map<Hop, number>(all.map((h, i) => [h, i]));
  const width = LAYERS.length * LANE_W;
  const height = TOP + Math.max(1, all.length) * ROW_H + 12;
  const x = (h: Hop): number => layerRank(h.layer) * LANE_W + 8;
  const y = (h: Hop): number => TOP + row.get(h)! * ROW_H;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push('<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>');
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  LAYERS.forEach((l, i) => {
    const fill = i % 2 === 0 ? '#f4f6fa' : '#fbfbfd';
    out.push(`<rect x="${i * LANE_W}" y="0" width="${LANE_W}" height="${height}" fill="${fill}"/>`);
    out.push(`<text x="${i * LANE_W + LANE_W / 2}" y="18" text-anchor="middle" font-weight="bold" font-size="11">${escapeXml(l.title)}</text>`);
    out.push(`<line x1="${i * LANE_W}" y1="28" x2="${(i + 1) * LANE_W}" y2="28" stroke="#99a"/>`);
  });
  if (all.length === 0) {
    out.push(`<text x="10" y="${TOP + 12}" fill="#777">no hops recorded</text>`);
  }
  for (const h of all) {
    for (const c of h.children) {
      const x1 = x(h) + 6;
      const y1 = y(h) + BOX_H;
      const x2 = x(c);
      const y2 = y(c) + BOX_H / 2;
      if (layerRank(c.layer) === layerRank(h.layer)) {
        out.push(`<path d="M${x1},${y1} V${y2} H${x2 + 6}" fill="none" stroke="#bbb"/>`);
      } else {
        out.push(`<path d="M${x1},${y1} V${y2} H${x2}" fill="none" stroke="#555" marker-end="url(#arrow)"/>`);
      }
    }
  }
  for (const h of all) {
    const failed = h.errno !== undefined && h.errno < 0;
    const isDecisive = h === decisive;
    const fill = isDecisive ? '#ffd6d6' : failed ? '#fff0e0' : '#e3ecff';
    const stroke = isDecisive ? '#c00' : failed ? '#d80' : '#6b88c8';
    const label = failed ? `${h.fn} = ${errnoName(h.errno!)}` : h.fn;
    const tip = `${h.fn} — ${h.file}${h.input ? `\n${h.input}` : ''}${h.result ? `\n= ${h.result}` : ''}`;
    const indentX = x(h) + Math.min(h.depth, 6) * 0; // lanes carry the depth; keep boxes aligned
    out.push(`<g class="hop${isDecisive ? ' decisive' : ''}" data-fn="${escapeXml(h.fn)}"><title>${escapeXml(tip)}</title>`);
    out.push(`<rect x="${indentX}" y="${y(h)}" width="${LANE_W - 16}" height="${BOX_H}" rx="3" fill="${fill}" stroke="${stroke}" stroke-width="${isDecisive ? 2 : 1}"/>`);
    out.push(`<text x="${indentX + 4}" y="${y(h) + 12}">${escapeXml(truncate(label, 27))}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
