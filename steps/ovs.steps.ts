// Configuring OVS and putting flows through it.
import { Given, When } from '@cucumber/cucumber';
import type { OffloadWorld } from './support/world';
import { DEFAULT_FLOW, dpctlAddFlow, emulateUpcall, kernelBuiltWithout, vlogSet } from '../src/host/tasks';

// Builds the scenario's host from this topology file (YAML, relative to the project) instead of the
// built-in one.
Given('the topology {string}', function (this: OffloadWorld, file: string) {
  this.useTopology(file);
});

// Sets other_config:hw-offload in the database ovs-vswitchd starts with.
Given('hw-offload is {on_off}', function (this: OffloadWorld, on: boolean) {
  this.host.setOtherConfig('hw-offload', on ? 'true' : 'false');
});

// The host's kernel lacks this build option (CONFIG_NET_TC_SKB_EXT: the OVS datapath then refuses tc
// recirc-id sharing); must come before ovs-vswitchd starts.
Given('a kernel built without {word}', function (this: OffloadWorld, option: string) {
  kernelBuiltWithout(this.host, option);
});

// Sets other_config:tc-policy in the database ovs-vswitchd starts with.
Given('tc-policy {tc_policy}', function (this: OffloadWorld, policy: string) {
  this.host.setOtherConfig('tc-policy', policy);
});

// Sets a log level before ovs-vswitchd starts, e.g. "netdev_offload_tc:file:dbg" to see DBG lines
// in the log.
Given('ovs-appctl vlog\\/set {string}', function (this: OffloadWorld, spec: string) {
  vlogSet(this.host, spec);
});

// A miss upcall for a TCP flow arrives on the first VF representor (dp port 2) and the handler
// installs it with output to port 1.
When('a flow is put', function (this: OffloadWorld) {
  this.act('a flow is put (miss upcall on enp8s0f0_0)', () => emulateUpcall(this.host, DEFAULT_FLOW.key, DEFAULT_FLOW.actions));
});

// A miss upcall with this ODP flow key reaches a handler thread, and translation produced these ODP
// actions.
When('a miss upcall for {odp_flow} is handled with actions {string}', function (this: OffloadWorld, key: string, actions: string) {
  this.act(`miss upcall ${key}`, () => emulateUpcall(this.host, key, actions));
});

// Adds a datapath flow through ovs-vswitchd, which may offload it; fails the step if the command
// fails.
When('ovs-appctl dpctl\\/add-flow {odp_flow} {string}', function (this: OffloadWorld, key: string, actions: string) {
  const r = this.act('ovs-appctl dpctl/add-flow', () => dpctlAddFlow(this.host, key, actions, true));
  if (r.exitCode !== 0) throw new Error(`ovs-appctl dpctl/add-flow failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
});

// Adds a datapath flow with the standalone ovs-dpctl, which never offloads; fails the step if the
// command fails.
When('ovs-dpctl add-flow {odp_flow} {string}', function (this: OffloadWorld, key: string, actions: string) {
  const r = this.act('ovs-dpctl add-flow', () => dpctlAddFlow(this.host, key, actions, false));
  if (r.exitCode !== 0) throw new Error(`ovs-dpctl add-flow failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
});

// Restarts ovs-vswitchd (as `systemctl restart` would): kernel state stays, and the new daemon
// applies the database as it is now, including hw-offload=false and tc-policy changes.
When('ovs-vswitchd restarts', function (this: OffloadWorld) {
  this.act('ovs-vswitchd restarts', () => this.host.restartOvs());
});
