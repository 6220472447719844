// Standalone police offload on mlx5 (core/en/rep/tc.c mlx5e_rep_indr_setup_act
// → core/en/tc/act/police.c tc_act_police_offload / _destroy): the action
// holds the meter of its index; filters binding the index share it.
import { describe, expect, it } from 'vitest';
import { Host } from '../../../../host/host';
import { defaultTopology } from '../../../../host/topology';
import { runCommand } from '../../../../host/commands';
import { invariantViolations } from '../../../../host/invariants';
import { mlx5e_flow_meters_query } from './meter';

function run(h: Host, line: string): string {
  const r = runCommand(h, line);
  expect(r.exitCode, `${line}\n${r.stderr}`).toBe(0);
  expect(invariantViolations(h), `invariants after ${line}`).toEqual([]);
  return r.stdout;
}

describe('standalone police and the flow meter', () => {
  it.each([
    {
      name: 'add creates the meter, delete frees it',
      lines: ['tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 1'],
      meters: [{ index: 1, refcnt: 1 }],
    },
    {
      name: 'a filter binding the index takes one more reference',
      lines: ['tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 1',
        'tc qdisc add dev enp8s0f0_0 ingress',
        'tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police index 1 action mirred egress redirect dev enp8s0f0_1'],
      meters: [{ index: 1, refcnt: 2 }],
    },
    {
      name: 'a standalone gact leaves no meter',
      lines: ['tc actions add action gact pass index 1'],
      meters: [],
    },
  ])('$name', ({ lines, meters }) => {
    const h = new Host(defaultTopology());
    for (const l of lines) run(h, l);
    const core = h.nics[0]!.core;
    expect(mlx5e_flow_meters_query(core).map((m) => ({ index: m.params.index, refcnt: m.refcnt })), 'meters').toEqual(meters);
  });

  it('the meter goes with the last user: filter first, then the action', () => {
    const h = new Host(defaultTopology());
    run(h, 'tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 1');
    run(h, 'tc qdisc add dev enp8s0f0_0 ingress');
    run(h, 'tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police index 1 action mirred egress redirect dev enp8s0f0_1');
    run(h, 'tc filter del dev enp8s0f0_0 ingress prio 1');
    const core = h.nics[0]!.core;
    expect(mlx5e_flow_meters_query(core).length, 'meters after the filter went').toBe(1);
    expect(run(h, 'tc actions ls action police'), 'still in hardware').toContain('in_hw in_hw_count 1');
    run(h, 'tc actions delete action police index 1');
    expect(mlx5e_flow_meters_query(core), 'meters after the action went').toEqual([]);
  });
});
