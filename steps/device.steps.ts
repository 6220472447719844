// NIC and driver conditions.
import { Given, When, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { flowTableSizes } from '../src/host/query';
import type { OffloadWorld } from './support/world';
import { ethtoolSetHwTcOffload, injectFirmwareFault } from '../src/host/tasks';
import { strerror } from '../src/kernel/include/uapi/asm-generic/errno';
import { runCommand } from '../src/host/commands';
import { mlx5_ft_pool_exhaust_above } from '../src/drivers/mlx5/fs_ft_pool';
import { expandLine } from '../src/host/scale';
import {
  setDeviceCap, setDeviceFlowSteeringMode, setDeviceLegacy, setDeviceLogMaxFtSize, setDeviceLogSteeringSwIcmSize, setDeviceNumVfs,
} from '../src/host/topology';

function setHwTc(world: OffloadWorld, dev: string, on: boolean): void {
  const err = ethtoolSetHwTcOffload(world.host, dev, on);
  if (err !== 0) throw new Error(`ethtool -K ${dev} hw-tc-offload ${on ? 'on' : 'off'}: ${strerror(err)}`);
}

// Turns the netdev's hw-tc-offload feature on or off, as `ethtool -K DEV hw-tc-offload on|off`
// does; fails the step if the driver refuses.
Given('hw-tc-offload is {word} on {netdev}', function (this: OffloadWorld, state: string, dev: string) {
  if (state !== 'on' && state !== 'off') throw new Error(`hw-tc-offload is "on" or "off", not "${state}"`);
  setHwTc(this, dev, state === 'on');
});

// The driver refuses through its real first check: hw-tc-offload off on the
// port's netdev makes mlx5e_tc_add_flow answer -EOPNOTSUPP.
Given('the driver {accepts_refuses} flows on {netdev}', function (this: OffloadWorld, accepts: boolean, dev: string) {
  setHwTc(this, dev, accepts);
});

// The next firmware command with this opcode name (e.g. SET_FLOW_TABLE_ENTRY) fails with this
// status and syndrome.
Given('the firmware fails the next {word} with status {hex} and syndrome {hex}', function (this: OffloadWorld, opcode: string, status: number, syndrome: number) {
  injectFirmwareFault(this.host, { opcode, status, syndrome, count: 1 });
});

// The next N firmware commands with this opcode name fail with this status and syndrome.
Given('the firmware fails the next {int} {word} commands with status {hex} and syndrome {hex}', function (this: OffloadWorld, count: number, opcode: string, status: number, syndrome: number) {
  injectFirmwareFault(this.host, { opcode, status, syndrome, count });
});

// Takes one capability away from the device before the host is built
// (ignore_flow_level, outer_ipv4_ttl, outer_second_vid, flex_parser_icmp, sw_owner).
Given('a NIC without {word}', function (this: OffloadWorld, cap: string) {
  this.editTopology((t) => setDeviceCap(t, cap, false));
});

// The devlink flow_steering_mode (dmfs or smfs) was set before the eswitch entered switchdev,
// so the FDB is built on that backend.
Given('a NIC with flow_steering_mode {word}', function (this: OffloadWorld, mode: string) {
  this.editTopology((t) => setDeviceFlowSteeringMode(t, mode));
});

// Gives the device 2^N bytes of steering ICM for software steering (64-byte STEs).
Given('a NIC with log_steering_sw_icm_size {int}', function (this: OffloadWorld, log: number) {
  this.editTopology((t) => setDeviceLogSteeringSwIcmSize(t, log));
});

// Caps the size of every flow table the device can create: 2^N entries (NIC RX and FDB).
Given('a NIC with log_max_ft_size {int}', function (this: OffloadWorld, log: number) {
  this.editTopology((t) => setDeviceLogMaxFtSize(t, log));
});

// Gives the device N VFs; representors (and OVS ports) beyond N are dropped.
Given('a NIC with {int} VF(s)', function (this: OffloadWorld, n: number) {
  this.editTopology((t) => setDeviceNumVfs(t, n));
});

// Probes the device in legacy (NIC) mode: no representors; the PF is a plain NIC netdev.
Given('a NIC in legacy mode', function (this: OffloadWorld) {
  this.editTopology((t) => setDeviceLegacy(t));
});

// Other users hold every larger flow table the device's pools have
// (fs_ft_pool.c), so new chain tables get N entries: e.g. 128.
Given('the device has only {int}-entry flow tables left', function (this: OffloadWorld, size: number) {
  const nic = this.host.nic();
  mlx5_ft_pool_exhaust_above(nic.core, size);
});

// Runs the command line once per number from A to B with $i (and $ip, $mac) filled in, each
// command traced; stops at the first one that fails and keeps it as "the command" (like `I run:`).
// For thousands of commands use the `… at scale` form, which keeps only the last trace.
When('I run {string} for $i from {int} to {int}', function (this: OffloadWorld, line: string, from: number, to: number) {
  for (let i = from; i <= to; i++) {
    const cmd = expandLine(line, i);
    this.lastCommand = this.act(cmd, () => runCommand(this.host, cmd));
    if (this.lastCommand.exitCode !== 0) break;
  }
});

// The firmware holds (or does not hold) a flow table of exactly N entries (N = 2^log_size).
Then('the firmware {holds_lacks} a {int}-entry flow table', function (this: OffloadWorld, holds: boolean, size: number) {
  const sizes = flowTableSizes(this.host);
  expect(sizes.includes(size), `flow table sizes: ${[...new Set(sizes)].join(', ')}`).to.equal(holds);
});

// Since the host came up, the device's firmware never executed this command (by opcode name,
// e.g. SET_FLOW_TABLE_ENTRY): under smfs rules never reach it.
Then('the firmware never ran {word}', function (this: OffloadWorld, opcode: string) {
  const ran = this.host.nics.flatMap((n) => n.fw.history).filter((h) => h.opcode === opcode);
  expect(ran.length, `${opcode} commands executed`).to.equal(0);
});
