// Configuring OVS and putting flows through it.
import { Given, When } from '@cucumber/cucumber';
import type { OffloadWorld } from './support/world';
import { DEFAULT_FLOW, dpctlAddFlow, emulateUpcall, vlogSet } from '../src/host/tasks';

Given('the topology {string}', function (this: OffloadWorld, file: string) {
  this.useTopology(file);
});

Given('hw-offload is {on_off}', function (this: OffloadWorld, on: boolean) {
  this.host.setOtherConfig('hw-offload', on ? 'true' : 'false');
});

Given('tc-policy {tc_policy}', function (this: OffloadWorld, policy: string) {
  this.host.setOtherConfig('tc-policy', policy);
});

Given('ovs-appctl vlog\\/set {string}', function (this: OffloadWorld, spec: string) {
  vlogSet(this.host, spec);
});

When('a flow is put', function (this: OffloadWorld) {
  this.act('a flow is put (miss upcall on enp8s0f0_0)', () => emulateUpcall(this.host, DEFAULT_FLOW.key, DEFAULT_FLOW.actions));
});

When('a miss upcall for {string} is handled with actions {string}', function (this: OffloadWorld, key: string, actions: string) {
  this.act(`miss upcall ${key}`, () => emulateUpcall(this.host, key, actions));
});

When('ovs-appctl dpctl\\/add-flow {string} {string}', function (this: OffloadWorld, key: string, actions: string) {
  const r = this.act('ovs-appctl dpctl/add-flow', () => dpctlAddFlow(this.host, key, actions, true));
  if (r.exitCode !== 0) throw new Error(`ovs-appctl dpctl/add-flow failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
});

When('ovs-dpctl add-flow {string} {string}', function (this: OffloadWorld, key: string, actions: string) {
  const r = this.act('ovs-dpctl add-flow', () => dpctlAddFlow(this.host, key, actions, false));
  if (r.exitCode !== 0) throw new Error(`ovs-dpctl add-flow failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
});
