// A per-scenario hop diagram: one column (lane) per layer, one row per hop in
// call order (numbered in the left margin), an arrow from each caller to its
// callee. The decisive hop (the deepest one whose error was passed back up)
// is outlined, with its errno and extack written beneath it; hovering a box
// shows the upstream file, the input, the result and the branches taken.
// Scenario text never reaches the SVG unescaped. The file is self-contained
// (inline style, no external references), so it also works as an <img>.
import type { Hop } from '../trace/hop';
import { LAYERS, layerRank } from '../trace/layers';
import { EAGAIN, EINTR, errnoName, strerror } from '../kernel/include/uapi/asm-generic/errno';

const GUTTER = 30;
const LANE_W = 180;
const ROW_H = 20;
const TOP = 50;
const BOX_H = 15;
const CHAR_W = 6.6;

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * The hop where a refusal originated. Candidates are the hops that returned
 * an error none of their children returned (an error's origin), except
 * errors the caller recovered from — the caller went on to a call that
 * succeeded in the same lane or deeper (a lookup miss before an insert) —
 * and an absorbed -EAGAIN or -EINTR (a handler's end-of-queue, netlink's
 * dump-started signal). Among them the
 * deepest lane wins, then the error that travelled furthest up its callers.
 */
export function decisiveHop(all: readonly Hop[]): Hop | undefined {
  const failed = (h: Hop): boolean => h.errno !== undefined && h.errno !== 0 && h.errno < 0;
  const parent = new Map<Hop, Hop>();
  for (const h of all) for (const c of h.children) parent.set(c, h);
  const subtree = (h: Hop): Hop[] => [h, ...h.children.flatMap(subtree)];
  const recovered = (h: Hop): boolean => {
    const p = parent.get(h);
    if (!p) return false;
    const later = p.children.slice(p.children.indexOf(h) + 1).flatMap(subtree);
    return later.some((x) => !failed(x) && !x.threw && layerRank(x.layer) >= layerRank(h.layer));
  };
  let best: { h: Hop; rank: number; reach: number } | undefined;
  for (const h of all) {
    if (!failed(h) || h.children.some(failed) || recovered(h)) continue;
    let reach = 0;
    let p = parent.get(h);
    for (; p && failed(p); p = parent.get(p)) reach++;
    // "try again" and netlink's "dump started" are protocol, not refusals, once absorbed.
    if ((h.errno === -EAGAIN || h.errno === -EINTR) && p !== undefined) continue;
    const rank = layerRank(h.layer);
    if (!best || rank > best.rank || (rank === best.rank && reach > best.reach)) best = { h, rank, reach };
  }
  return best?.h;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The lines written beneath the decisive hop: its errno, then its extack. */
export function decisiveNote(h: Hop): string[] {
  const lines: string[] = [];
  if (h.errno !== undefined && h.errno < 0) lines.push(`${h.fn} = ${errnoName(h.errno)} (${strerror(h.errno)})`);
  if (h.extack) lines.push(`extack: "${h.extack}"`);
  return lines;
}

function tooltip(h: Hop): string {
  const lines = [`${h.fn}() — ${h.file}`];
  if (h.input) lines.push(`(${h.input})`);
  if (h.result !== undefined) lines.push(`= ${h.result}`);
  if (h.extack) lines.push(`extack: ${h.extack}`);
  for (const b of h.branches ?? []) lines.push(`branch ${b.id}: ${b.taken ? 'taken' : 'not taken'}`);
  if (h.threw) lines.push(`threw: ${h.threw}`);
  return lines.join('\n');
}

const STYLE = 'svg.hops text{font-family:monospace;font-size:11px;fill:#222}'
  + 'svg.hops .lane-title{font-weight:bold;text-anchor:middle}'
  + 'svg.hops .seq{fill:#888;text-anchor:end;font-size:10px}'
  + 'svg.hops .hop rect{fill:#e3ecff;stroke:#6b88c8}'
  + 'svg.hops .hop.failed rect{fill:#fff0e0;stroke:#d80}'
  + 'svg.hops .hop.decisive rect{fill:#ffd6d6;stroke:#c00;stroke-width:2}'
  + 'svg.hops .note{fill:#b00000}'
  + 'svg.hops .call{fill:none;stroke:#555}svg.hops .same{fill:none;stroke:#bbb}';

export interface SvgOptions {
  /** Prefix for ids inside the SVG, unique per diagram when many share one page. */
  idPrefix?: string;
}

export function renderHopSvg(roots: readonly Hop[], title: string, o: SvgOptions = {}): string {
  const arrowId = `${o.idPrefix ?? ''}arrow`;
  const all: Hop[] = [];
  const walk = (h: Hop): void => { all.push(h); h.children.forEach(walk); };
  roots.forEach(walk);
  const decisive = decisiveHop(all);
  const note = decisive ? decisiveNote(decisive) : [];
  // Rows: one per hop, plus the decisive hop's note lines right below it.
  const row = new Map<Hop, number>();
  let r = 0;
  for (const h of all) {
    row.set(h, r++);
    if (h === decisive) r += note.length;
  }
  const width = GUTTER + LAYERS.length * LANE_W;
  const height = TOP + Math.max(1, r) * ROW_H + 10;
  const laneX = (h: Hop): number => GUTTER + layerRank(h.layer) * LANE_W;
  const x = (h: Hop): number => laneX(h) + 6;
  const y = (h: Hop): number => TOP + row.get(h)! * ROW_H;
  const boxW = LANE_W - 12;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="hops" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<style>${STYLE}</style>`);
  out.push(`<defs><marker id="${arrowId}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="6" y="14" font-weight="bold">${escapeXml(truncate(title, Math.floor((width - 12) / CHAR_W)))}</text>`);
  LAYERS.forEach((l, i) => {
    const lx = GUTTER + i * LANE_W;
    out.push(`<rect x="${lx}" y="20" width="${LANE_W}" height="${height - 20}" fill="${i % 2 === 0 ? '#f4f6fa' : '#fbfbfd'}"/>`);
    out.push(`<text class="lane-title" x="${lx + LANE_W / 2}" y="36">${escapeXml(truncate(l.title, 27))}<title>${escapeXml(l.title)}</title></text>`);
  });
  out.push(`<line x1="0" y1="42" x2="${width}" y2="42" stroke="#99a"/>`);
  if (all.length === 0) out.push(`<text x="${GUTTER + 6}" y="${TOP + 12}" fill="#777">no hops recorded</text>`);
  // Arrows first, so boxes sit on top of them; drawn in call order.
  for (const h of all) {
    for (const c of h.children) {
      const x1 = x(h) + 8;
      const y1 = y(h) + BOX_H;
      const y2 = y(c) + BOX_H / 2;
      const pr = layerRank(h.layer);
      const cr = layerRank(c.layer);
      if (cr === pr) out.push(`<path class="same" d="M${x1},${y1} V${y2} H${x(c)}"/>`);
      else out.push(`<path class="call" d="M${x1},${y1} V${y2} H${cr > pr ? x(c) : x(c) + boxW}" marker-end="url(#${arrowId})"/>`);
    }
  }
  for (const h of all) {
    const failed = h.errno !== undefined && h.errno < 0;
    const isDecisive = h === decisive;
    const cls = `hop${isDecisive ? ' decisive' : failed ? ' failed' : ''}`;
    const label = failed ? `${h.fn} = ${errnoName(h.errno!)}` : h.fn;
    out.push(`<g class="${cls}" data-fn="${escapeXml(h.fn)}" data-layer="${h.layer}"><title>${escapeXml(tooltip(h))}</title>`);
    out.push(`<text class="seq" x="${GUTTER - 4}" y="${y(h) + 11}">${h.seq}</text>`);
    out.push(`<rect x="${x(h)}" y="${y(h)}" width="${boxW}" height="${BOX_H}" rx="3"/>`);
    out.push(`<text x="${x(h) + 4}" y="${y(h) + 11}">${escapeXml(truncate(label, Math.floor((boxW - 6) / CHAR_W)))}</text></g>`);
  }
  if (decisive) {
    // Beneath the box; right-aligned when the lane is in the right half so it stays on the canvas.
    const rightHalf = layerRank(decisive.layer) >= LAYERS.length / 2;
    const tx = rightHalf ? x(decisive) + boxW : x(decisive);
    note.forEach((line, i) => {
      const ty = y(decisive) + (i + 1) * ROW_H + 11;
      const maxChars = Math.floor((rightHalf ? tx - GUTTER : width - tx) / CHAR_W);
      out.push(`<text class="note" x="${tx}" y="${ty}"${rightHalf ? ' text-anchor="end"' : ''}>${escapeXml(truncate(line, maxChars))}</text>`);
    });
  }
  out.push('</svg>');
  return out.join('\n');
}
