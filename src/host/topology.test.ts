import { describe, it, expect } from 'vitest';
import { parseTopology, defaultTopology, TopologyError } from './topology';

describe('topology', () => {
  it('ships the default host of the walking skeleton', () => {
    const t = defaultTopology();
    expect(t.devices[0]).toMatchObject({
      pci: '0000:08:00.0', eswitch_mode: 'switchdev', flow_steering_mode: 'dmfs', num_vfs: 2,
      uplink: 'enp8s0f0', representors: ['enp8s0f0_0', 'enp8s0f0_1'],
    });
    expect(t.ovs.bridges[0]!.ports.map((p) => [p.name, p.port])).toEqual([['enp8s0f0', 1], ['enp8s0f0_0', 2], ['enp8s0f0_1', 3]]);
  });

  it.each([
    ['unknown key', 'devices:\n  - pci: "0000:08:00.0"\n    uplink: p0\n    colour: red\n', 't.yaml:4:5: unknown key \'colour\' in device'],
    ['wrong type', 'devices:\n  - pci: "0000:08:00.0"\n    uplink: p0\n    num_vfs: two\n', 't.yaml:4:14: num_vfs must be a non-negative integer'],
    ['bad pci', 'devices:\n  - pci: "8:0.0"\n    uplink: p0\n', 't.yaml:2:10: pci must look like 0000:08:00.0'],
    ['rep without VF', 'devices:\n  - pci: "0000:08:00.0"\n    uplink: p0\n    representors: [p0_0]\n', '1 representors but only 0 VFs'],
    ['port not a netdev', 'devices: []\novs:\n  bridges:\n    - name: br0\n      ports: [{ name: eth9, port: 1 }]\n', 'bridge br0 port eth9 is not a netdev'],
    ['yaml syntax', 'devices: [\n', 't.yaml:2:1:'],
    ['switchdev without an eswitch', 'devices:\n  - pci: "0000:08:00.0"\n    uplink: p0\n    eswitch_mode: switchdev\n    caps: { eswitch_manager: false }\n', 't.yaml:4:19: eswitch_mode switchdev needs an eswitch manager'],
    ['representors in legacy', 'devices:\n  - pci: "0000:08:00.0"\n    uplink: p0\n    eswitch_mode: legacy\n    num_vfs: 1\n    representors: [p0_0]\n', 't.yaml:6:19: VF representors exist only in switchdev mode'],
  ])('rejects %s with file:line:col', (_name, text, msg) => {
    expect(() => parseTopology(text, 't.yaml')).toThrow(TopologyError);
    expect(() => parseTopology(text, 't.yaml')).toThrow(msg);
  });
});
