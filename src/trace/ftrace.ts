// Renders a hop tree the way ftrace's function_graph tracer prints a call
// graph (with funcgraph-retval): `fn() {` … `}` for calls with children,
// `fn();` for leaves, and the return value as a comment where it is not 0.
// The left column names the lane instead of ftrace's CPU number.
import type { Hop } from './hop';
import { errnoName, strerror } from '../kernel/include/uapi/asm-generic/errno';

const LANE_WIDTH = 9;

function retComment(h: Hop): string {
  if (h.threw) return ` /* threw: ${h.threw} */`;
  if (h.errno !== undefined && h.errno < 0) return ` /* = ${h.errno} ${errnoName(h.errno).slice(1)} */`;
  if (h.result !== undefined && h.result !== '0' && h.result !== 'void') return ` /* = ${h.result} */`;
  return '';
}

function args(h: Hop): string {
  return h.input ? `(${h.input})` : '()';
}

export function formatFunctionGraph(roots: readonly Hop[]): string {
  const lines: string[] = [];
  lines.push(`# ${'LANE'.padEnd(LANE_WIDTH)}| FUNCTION CALLS`);
  lines.push(`# ${'|'.padEnd(LANE_WIDTH)}|   |   |   |`);
  const walk = (h: Hop, indent: number): void => {
    const lane = ` ${h.layer.padEnd(LANE_WIDTH)}| `;
    const pad = '  '.repeat(indent);
    if (h.children.length === 0) {
      lines.push(`${lane}${pad}${h.fn}${args(h)};${retComment(h)}`);
      return;
    }
    lines.push(`${lane}${pad}${h.fn}${args(h)} {`);
    for (const c of h.children) walk(c, indent + 1);
    lines.push(`${lane}${pad}}${retComment(h)}`);
  };
  for (const r of roots) walk(r, 0);
  return lines.join('\n');
}

/** One line per errno result, for quick reading: `fl_change = -EOPNOTSUPP (Operation not supported)`. */
export function formatErrors(all: readonly Hop[]): string[] {
  return all
    .filter((h) => h.errno !== undefined && h.errno < 0)
    .map((h) => `${h.fn} = ${errnoName(h.errno!)} (${strerror(h.errno!)})`);
}
