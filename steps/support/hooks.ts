// Attaches each action's hop trace to the report: as an ftrace-style text
// tree, as an SVG lane diagram (a Buffer, so the HTML shows it) and as JSON
// for our own reports; then the host's final state (tc filters, FTEs,
// datapath flows) as JSON, for the offload report's "final state".
import { After, AfterStep } from '@cucumber/cucumber';
import type { OffloadWorld } from './world';
import { formatFunctionGraph } from '../../src/trace/ftrace';
import { renderHopSvg } from '../../src/report/svg';
import { HOPS_MEDIA_TYPE, STATE_MEDIA_TYPE } from '../../src/report/model';
import { hostStateJson } from '../../src/cli/offload-cli';
import { tcFlagsText } from '../../src/host/query';
import { checkInvariants } from '../../src/host/invariants';

// After every step, the host (if one was built) must be in a state the real
// stack could be in; a broken relation fails the step that caused it.
// Scenarios tagged @firmware-leaks inject DELETE/DESTROY failures: the driver
// only logs them (fs_core.c del_hw_*), so the firmware keeps objects no flow
// owns, as real hardware would; the layer invariants do not hold there.
AfterStep(function (this: OffloadWorld, { pickle, pickleStep }) {
  const host = this.builtHost;
  if (host && !pickle.tags.some((t) => t.name === '@firmware-leaks')) checkInvariants(host, `after step "${pickleStep.text}"`);
});

After(function (this: OffloadWorld, { pickle }) {
  for (const a of this.actions) {
    this.log(`${a.label}\n${formatFunctionGraph(a.roots)}`);
    this.attach(JSON.stringify({ label: a.label, setup: a.setup, roots: a.roots }), HOPS_MEDIA_TYPE);
    if (a.setup) continue; // start-up is context: its text tree is enough
    const svg = renderHopSvg(a.roots, `${pickle.name} — ${a.label}`);
    this.attach(Buffer.from(svg, 'utf8'), { mediaType: 'image/svg+xml', fileName: `hops: ${a.label}` });
  }
  // Only a scenario that used the host has a final state worth showing.
  if (this.actions.length > 0) {
    const st = hostStateJson(this.host) as { tcFilters: { flags: number; in_hw_count: number; flagsText?: string }[] };
    for (const f of st.tcFilters) f.flagsText = tcFlagsText(f.flags, f.in_hw_count);
    this.attach(JSON.stringify(st), STATE_MEDIA_TYPE);
  }
});
