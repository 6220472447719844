// NIC and driver conditions.
import { Given } from '@cucumber/cucumber';
import type { OffloadWorld } from './support/world';
import { ethtoolSetHwTcOffload, injectFirmwareFault } from '../src/host/tasks';
import { strerror } from '../src/kernel/include/uapi/asm-generic/errno';

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
