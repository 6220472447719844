// Where flows ended up: FTEs, tc filters, the OVS kernel datapath, logs.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { OffloadWorld } from './support/world';
import { createdFtes, flowPlacement, steeringIcmStes, tcFilters, tcFilterSummary, type Placement } from '../src/host/query';
import { ovs_dp_flows } from '../src/kernel/query';

function fteSummary(w: OffloadWorld): string {
  const all = createdFtes(w.host);
  return all.length === 0 ? 'none' : all.map((f) => `${f.table_type} table ${f.table_id} index ${f.index} [${f.action.join(',')}]`).join('; ');
}

// The scenario made no flow table entry holding a rule (boot entries and chain miss rules do not
// count).
Then('no FTE is created', function (this: OffloadWorld) {
  expect(createdFtes(this.host), `FTEs created: ${fteSummary(this)}`).to.have.length(0);
});

// The scenario made exactly this many flow table entries holding rules.
Then('{int} FTE(s) is/are created', function (this: OffloadWorld, n: number) {
  expect(createdFtes(this.host), `FTEs created: ${fteSummary(this)}`).to.have.length(n);
});

// Software steering (smfs): the rules' match STEs the driver wrote into the device's steering ICM
// and has not freed (table and matcher anchors do not count).
Then('the steering ICM holds {int} rule STE(s)', function (this: OffloadWorld, n: number) {
  const s = steeringIcmStes(this.host);
  expect(s.rule_stes, `rule STEs in ICM (anchors ${s.anchors}, STE writes so far ${s.writes})`).to.equal(n);
});

// Where the scenario's only datapath flow lives, from OVS's ufid↔tc map, the tc filter's flags and
// the kernel datapath.
Then('the flow is in {placement}', function (this: OffloadWorld, where: Placement) {
  expect(flowPlacement(this.host)).to.equal(where);
});

// Flags as `tc filter show` prints them, e.g. "skip_hw not_in_hw"; "(none)" for no filter.
Then('the tc filter is {string}', function (this: OffloadWorld, flags: string) {
  expect(tcFilterSummary(this.host)).to.equal(flags);
});

// No tc filter exists on any device or shared block.
Then('no tc filter exists', function (this: OffloadWorld) {
  const fs = tcFilters(this.host);
  expect(fs.map((f) => `${f.dev ?? `block ${f.block_index}`} pref ${f.prio} handle 0x${f.handle.toString(16)}`), 'tc filters').to.deep.equal([]);
});

// The openvswitch module's flow table holds exactly this many flows.
Then('the OVS kernel datapath holds {int} flow(s)', function (this: OffloadWorld, n: number) {
  expect(ovs_dp_flows(this.host.kernel.net), 'kernel datapath flows').to.have.length(n);
});

// Some line of ovs-vswitchd.log contains this text (DBG lines only for modules set to dbg).
Then('the ovs-vswitchd log contains {string}', function (this: OffloadWorld, text: string) {
  const lines = this.host.ovs.vlog_lines();
  expect(lines.some((l) => l.includes(text)), `ovs-vswitchd.log:\n${lines.join('\n')}`).to.equal(true);
});

// Some kernel log line (driver messages, firmware command failures) contains this text.
Then('dmesg contains {string}', function (this: OffloadWorld, text: string) {
  const lines = this.host.kernel.net.kmsg.map((l) => l.text);
  expect(lines.some((l) => l.includes(text)), `dmesg:\n${lines.join('\n')}`).to.equal(true);
});
