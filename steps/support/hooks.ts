// Attaches each action's hop trace to the report twice: as an ftrace-style
// text tree and as an SVG lane diagram (a Buffer, so the HTML shows it).
import { After } from '@cucumber/cucumber';
import type { OffloadWorld } from './world';
import { formatFunctionGraph } from '../../src/trace/ftrace';
import { renderHopSvg } from '../../src/report/svg';

After(function (this: OffloadWorld, { pickle }) {
  for (const a of this.actions) {
    this.log(`${a.label}\n${formatFunctionGraph(a.roots)}`);
    if (a.setup) continue; // start-up is context: its text tree is enough
    const svg = renderHopSvg(a.roots, `${pickle.name} — ${a.label}`);
    this.attach(Buffer.from(svg, 'utf8'), { mediaType: 'image/svg+xml', fileName: `hops: ${a.label}` });
    this.attach(JSON.stringify({ label: a.label, roots: a.roots }), 'application/x.offload-spec.hops+json');
  }
});
