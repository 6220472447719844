// police (en/tc/act/police.c), its flow meters (en/tc/meter.c), sample
// (en/tc/act/sample.c, en/tc/sample.c) and the shared modify-header
// contexts (en/mod_hdr.c), driven through the block callback.
import { describe, expect, it } from 'vitest';
import { EINVAL, ENOSPC, EOPNOTSUPP, errnoName } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import { TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 } from '../../../../../kernel/include/uapi/linux/tc_act/tc_pedit';
import type { FlowActionEntry, FlowActionId } from '../../../../../kernel/include/net/flow_offload';
import { Rig, deviceSpec, drop, ipv4, redirect, type ActionOpt } from '../../../mlx5.testlib';

function want(call: string, got: number, expected: number): void {
  expect(errnoName(got), `${call}: got ${errnoName(got)}, want ${errnoName(expected)}`).toBe(errnoName(expected));
}

type PoliceAct = NonNullable<FlowActionEntry['police_act']>;
function police(index: number, over: Partial<PoliceAct> = {}): ActionOpt {
  return {
    id: 'FLOW_ACTION_POLICE', hw_index: index,
    police: { index, rate_bytes_ps: 125000, burst: 10240, exceed: 0, notexceed: 0 },
    police_act: {
      exceed: 'FLOW_ACTION_DROP', exceed_extval: 0, notexceed: 'FLOW_ACTION_PIPE', notexceed_extval: 0,
      peakrate_bytes_ps: 0, avrate: 0, overhead: 0, mtu: 0xffffffff, burst_pkt: 0, rate_pkt_ps: 0, ...over,
    },
  };
}

/** set ip ttl: byte 8 of the IPv4 header; the key word as act_pedit hands it over (network-order value). */
const setTtl = (ttl: number): ActionOpt => ({ id: 'FLOW_ACTION_MANGLE', mangle: { htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, offset: 8, mask: 0x00ffffff, val: (ttl << 24) >>> 0 } });

const meterObjs = (r: Rig): number => r.fw.general_objects().filter((o) => o.obj_type === MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO).length;

describe('police (en/tc/act/police.c)', () => {
  const verdict = (id: string): FlowActionId => id as FlowActionId;
  it.each([
    { name: 'conform goto', over: { notexceed: verdict('FLOW_ACTION_GOTO') }, msg: 'mlx5_core: Offload not supported when conform-exceed action is not pipe, ok, jump or drop' },
    { name: 'exceed goto', over: { exceed: verdict('FLOW_ACTION_GOTO') }, msg: 'mlx5_core: Offload not supported when conform-exceed action is not pipe, ok, jump or drop' },
    { name: 'exceed continue', over: { exceed: verdict('FLOW_ACTION_CONTINUE') }, msg: 'mlx5_core: Offload not supported when conform-exceed action is not pipe, ok, jump or drop' },
    { name: 'a peak rate', over: { peakrate_bytes_ps: 250000 }, msg: 'mlx5_core: Offload not supported when peakrate/avrate/overhead is configured' },
    { name: 'an average rate', over: { avrate: 1000 }, msg: 'mlx5_core: Offload not supported when peakrate/avrate/overhead is configured' },
    { name: 'an overhead', over: { overhead: 4 }, msg: 'mlx5_core: Offload not supported when peakrate/avrate/overhead is configured' },
  ])('police with $name is refused: "$msg"', ({ over, msg }) => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [police(1, over), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe(msg);
    expect(meterObjs(r)).toBe(0);
  });

  it('drop/pipe installs one FTE executing the meter; same index shares it; the object goes with the last', () => {
    const r = new Rig();
    const f1 = r.flower({ match: ipv4(), actions: [police(7), redirect(r.dev('enp8s0f0_1'))] });
    const f2 = r.flower({ match: ipv4(17), actions: [police(7), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE 1', r.call('enp8s0f0_0', f1), 0);
    want('REPLACE 2', r.call('enp8s0f0_0', f2), 0);
    expect(meterObjs(r)).toBe(1);
    const [obj] = r.fw.general_objects();
    const asoFtes = r.fw.ftes().filter((x) => x.action.includes('EXECUTE_ASO'));
    expect(asoFtes.map((x) => x.exe_aso_object_id)).toEqual([obj!.obj_id, obj!.obj_id]);
    want('DESTROY 1', r.call('enp8s0f0_0', r.destroy(f1)), 0);
    expect(meterObjs(r)).toBe(1);
    want('DESTROY 2', r.call('enp8s0f0_0', r.destroy(f2)), 0);
    expect(meterObjs(r)).toBe(0);
    expect(r.hops()).toContain('DESTROY_GENERAL_OBJECT');
  });

  it('without the flow-meter ASO object type the driver has no meters: refused without extack', () => {
    const r = new Rig();
    const core = (r.dev('enp8s0f0').priv as { mdev: { caps: { gen: { general_obj_types?: bigint } } } }).mdev;
    core.caps.gen.general_obj_types = 0n;
    const f = r.flower({ match: ipv4(), actions: [police(1), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBeUndefined();
    expect(r.hops()).toContain('mlx5e_flow_meters_init');
  });

  it('a legacy NIC has no police handler: "Not implemented offload action"', () => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    r.dev('enp8s0f0').features.hw_tc = true;
    const f = r.flower({ match: ipv4(), actions: [police(1), { id: 'FLOW_ACTION_ACCEPT' }] });
    want('REPLACE', r.call('enp8s0f0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Not implemented offload action');
  });
});

describe('sample (en/tc/act/sample.c)', () => {
  it('is parsed, then refused at install: no sampler in this device model', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [{ id: 'FLOW_ACTION_SAMPLE', sample: { rate: 100, group: 5, trunc_size: 0 } }, redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(r.hops()).toEqual(expect.arrayContaining(['tc_act_parse_sample', 'mlx5e_tc_sample_offload']));
    expect(r.fw.ftes().filter((x) => x.match_criteria_enable)).toEqual([]);
  });
});

describe('modify-header contexts (en/mod_hdr.c, fs_cmd.c)', () => {
  it('equal rewrites share one context; it is freed after the last FTE', () => {
    const r = new Rig();
    const a = r.flower({ match: ipv4(), actions: [setTtl(10), redirect(r.dev('enp8s0f0_1'))] });
    const b = r.flower({ match: ipv4(17), actions: [setTtl(10), redirect(r.dev('enp8s0f0_1'))] });
    const c = r.flower({ match: ipv4(1), actions: [setTtl(20), redirect(r.dev('enp8s0f0_1'))] });
    for (const f of [a, b, c]) want('REPLACE', r.call('enp8s0f0_0', f), 0);
    const ctxs = r.fw.modify_header_contexts();
    expect(ctxs.map((m) => m.actions)).toEqual([
      [{ action_type: 'SET', field: 'OUT_IP_TTL', data: 10 }],
      [{ action_type: 'SET', field: 'OUT_IP_TTL', data: 20 }],
    ]);
    for (const f of [a, b, c]) want('DESTROY', r.call('enp8s0f0_0', r.destroy(f)), 0);
    expect(r.fw.modify_header_contexts()).toEqual([]);
  });

  it('more actions than max_modify_header_actions: "too many pedit actions, can\'t offload"', () => {
    const r = new Rig();
    (r.dev('enp8s0f0').priv as { mdev: { caps: { max_modify_header_actions?: number } } }).mdev.caps.max_modify_header_actions = 1;
    const dst = (v: number): ActionOpt => ({ id: 'FLOW_ACTION_MANGLE', mangle: { htype: TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, offset: 16, mask: 0, val: v } });
    const f = r.flower({ match: ipv4(), actions: [setTtl(10), dst(0x0a000001), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -ENOSPC);
    expect(f.common.extack?._msg).toBe("mlx5_core: too many pedit actions, can't offload");
  });

  it('a firmware failure of ALLOC_MODIFY_HEADER_CONTEXT fails the rule and leaves nothing behind', () => {
    const r = new Rig();
    r.fw.inject_fault({ opcode: 'ALLOC_MODIFY_HEADER_CONTEXT', status: 0x3, syndrome: 0x1f0017 });
    const f = r.flower({ match: ipv4(), actions: [setTtl(10), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EINVAL);
    expect(r.fw.modify_header_contexts()).toEqual([]);
    expect(r.kmsg().some((l) => l.includes('ALLOC_MODIFY_HEADER_CONTEXT(0x940) op_mod(0x0) failed'))).toBe(true);
  });

  it('a rule with a drop keeps no rewrite (verify_attr_actions)', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [setTtl(10), drop()] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Drop with modify header action is not supported');
  });
});
