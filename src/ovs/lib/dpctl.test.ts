import { describe, expect, it } from 'vitest';
import { ScriptedKernel } from '../testing/scripted-kernel';
import { OvsProcess } from './ovs-process';
import {
  determine_dpif_flow_dump_types, dpctl_params_init, flow_passes_type_filter, format_dpif_flow, populate_dump_types,
} from './dpctl';
import { dpif_flow_stats_zero, type DpifFlow } from './dpif';
import { odp_actions_from_string, odp_flow_from_string } from './odp-util';

function flow(layer: 'ovs' | 'tc', offloaded: boolean, used = 0): DpifFlow {
  const k = odp_flow_from_string('recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)');
  const a = odp_actions_from_string('3');
  if ('error' in k || 'error' in a) throw new Error('fixture does not parse');
  return {
    key: k.key, mask: k.mask, actions: a.actions, ufid_present: true, ufid: [0x11111111, 0x22224333, 0x84445555, 0x55555555],
    stats: { ...dpif_flow_stats_zero(), n_packets: 9, n_bytes: 756, used }, attrs: { offloaded, dp_layer: layer },
  };
}

const proc = (): OvsProcess => new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd', () => 10_420);

describe('populate_dump_types + flow_passes_type_filter (lib/dpctl.c)', () => {
  const KERNEL = flow('ovs', false);
  const TC_HW = flow('tc', true);
  const TC_SW = flow('tc', false);
  it.each([
    [undefined, [true, true, true], { ovs_flows: true, netdev_flows: true }],
    ['ovs', [true, false, false], { ovs_flows: true, netdev_flows: false }],
    ['tc', [false, true, true], { ovs_flows: false, netdev_flows: true }],
    ['offloaded', [false, true, false], { ovs_flows: false, netdev_flows: true }],
    ['non-offloaded', [true, false, true], { ovs_flows: true, netdev_flows: true }],
    ['partially-offloaded', [false, false, false], { ovs_flows: false, netdev_flows: true }],
    ['dpdk', [false, false, false], { ovs_flows: false, netdev_flows: true }],
    ['ovs,offloaded', [true, true, false], { ovs_flows: true, netdev_flows: true }],
    ['tc,offloaded', [false, true, true], { ovs_flows: false, netdev_flows: true }],
    ['all', [true, true, true], { ovs_flows: true, netdev_flows: true }],
  ])('type=%s shows [kernel, tc in hw, tc sw only] = %j', (types, shown, dumps) => {
    const d = dpctl_params_init(true);
    const t = populate_dump_types(proc(), types, d);
    expect(t.error).toBe(0);
    expect([KERNEL, TC_HW, TC_SW].map((f) => flow_passes_type_filter(f, t.types))).toEqual(shown);
    expect(determine_dpif_flow_dump_types(t.types)).toEqual(dumps);
  });

  it('an unknown type is EINVAL with dpctl_error text', () => {
    const d = dpctl_params_init(true);
    expect(populate_dump_types(proc(), 'tc,hw', d).error).toBe(22);
    expect(d.out).toEqual([{ error: true, text: 'ovs-vswitchd: Failed to parse type (hw) (Invalid argument)\n' }]);
  });
});

describe('format_dpif_flow (lib/dpctl.c)', () => {
  const names = new Map([[2, 'p0'], [3, 'p1']]);
  it.each([
    ['plain, kernel', flow('ovs', false), 0,
      'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no), packets:9, bytes:756, used:never, actions:3'],
    ['plain, tc: no marker', flow('tc', true, 10_000), 0,
      'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no), packets:9, bytes:756, used:0.420s, actions:3'],
    ['-m, tc in hw', flow('tc', true, 10_000), 1,
      'ufid:11111111-2222-4333-8444-555555555555, recirc_id(0),in_port(p0),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=0.0.0.0/0.0.0.0,dst=0.0.0.0/0.0.0.0,proto=0/0,tos=0/0,ttl=0/0,frag=no), packets:9, bytes:756, used:0.420s, offloaded:yes, dp:tc, actions:p1'],
    ['-m, tc software only', flow('tc', false), 1, ', used:never, dp:tc, actions:p1'],
    ['-m, kernel', flow('ovs', false), 1, ', used:never, dp:ovs, actions:p1'],
    ['-m, partial (dp ovs but offloaded)', flow('ovs', true), 1, ', used:never, offloaded:partial, dp:ovs, actions:p1'],
  ])('%s', (_name, f, verbosity, want) => {
    const got = format_dpif_flow(proc(), f, verbosity ? names : undefined, verbosity);
    if (want.startsWith(',')) expect(got.endsWith(want), `format_dpif_flow: got ${got}`).toBe(true);
    else expect(got).toBe(want);
  });
});
