import { describe, it, expect } from 'vitest';
import { Host } from './host';
import { defaultTopology, setDeviceLegacy } from './topology';
import { runCommand } from './commands';
import { expandLine, hostCounts, nthIpv4, nthMac, runRepeated } from './scale';
import { mlx5_ft_pool_exhaust_above } from '../drivers/mlx5/fs_ft_pool';
import { flatten } from '../trace/query';
import type { Progress } from './progress';

describe('scale helpers', () => {
  it.each([
    ['tc … handle $i dst_ip $ip', 1, 'tc … handle 1 dst_ip 10.0.0.1'],
    ['dst_ip $ip src_mac $mac n=$i', 256, 'dst_ip 10.0.1.0 src_mac 02:00:00:00:01:00 n=256'],
    ['$ip', (1 << 24) - 1, '10.255.255.255'],
  ])('expandLine(%j, %i) = %j', (line, i, want) => {
    expect(expandLine(line, i)).toBe(want);
  });

  it('refuses numbers outside the address ranges', () => {
    expect(() => nthIpv4(1 << 24)).toThrow(RangeError);
    expect(() => nthIpv4(-1)).toThrow(RangeError);
    expect(() => nthMac(2 ** 32)).toThrow(RangeError);
    expect(nthMac(0xabcdef01)).toBe('02:00:ab:cd:ef:01');
  });
});

describe('runRepeated', () => {
  function legacyHost(tableSize: number): Host {
    const t = defaultTopology();
    setDeviceLegacy(t);
    const host = new Host(t);
    mlx5_ft_pool_exhaust_above(host.nic().core, tableSize);
    for (const l of ['ethtool -K enp8s0f0 hw-tc-offload on', 'tc qdisc add dev enp8s0f0 ingress']) expect(runCommand(host, l).exitCode, l).toBe(0);
    return host;
  }
  const ADD = 'tc filter add dev enp8s0f0 ingress protocol ip prio 1 handle $i flower skip_sw dst_ip $ip action drop';
  const DEL = 'tc filter del dev enp8s0f0 ingress protocol ip prio 1 handle $i flower';

  it('fills a 128-entry NIC TC table (126 rules), stops at -ENOSPC with its trace, and frees it', () => {
    const host = legacyHost(128);
    const updates: [number, number][] = [];
    const bar: Progress = { update: (d, t) => updates.push([d, t]), done: () => updates.push([-1, -1]) };
    const r = runRepeated(host, ADD, { from: 1, to: 1000, stopOnFailure: true, progress: bar }, () => 0);
    expect(r).toMatchObject({ succeeded: 126, failedAt: 127, ms: 0 });
    expect(r.last?.stderr).toContain('No space left on device');
    expect(updates).toEqual([[-1, -1]]);
    // Only the failing command's trace is left.
    const fns = flatten(host.tracer.roots).map((h) => h.fn);
    expect(fns).toContain('alloc_auto_flow_group');
    expect(flatten(host.tracer.roots).filter((h) => h.fn === 'fl_change')).toHaveLength(1);
    expect(hostCounts(host)).toMatchObject({ tcFilters: 126, createdFtes: 126, extraTables: 1, extraCounters: 126 });

    const d = runRepeated(host, DEL, { from: 1, to: 126, stopOnFailure: true });
    expect(d).toMatchObject({ succeeded: 126, failedAt: undefined });
    expect(hostCounts(host)).toEqual({ tcFilters: 0, createdFtes: 0, datapathFlows: 0, extraTables: 0, extraCounters: 0 });
  });

  it('reports progress every 256 commands and runs on past failures unless told to stop', () => {
    const host = legacyHost(128);
    const updates: number[] = [];
    const r = runRepeated(host, ADD, { from: 1, to: 600, stopOnFailure: false, progress: { update: (d) => updates.push(d), done: () => {} } });
    expect(r).toMatchObject({ succeeded: 126, failedAt: 127 });
    expect(updates).toEqual([256, 512]);
  });
});
