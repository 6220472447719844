// Action timestamps and hardware counters (include/net/act_api.h tcf_tm_dump,
// pkt_cls.h tcf_exts_hw_stats_update): ages come from the host's jiffies.
import { describe, expect, it } from 'vitest';
import { start_kernel } from '../../init/main';
import { tcf_tm_dump } from '../../include/net/act_api';
import { TC_ACT_SHOT } from '../../include/uapi/linux/pkt_cls';
import { tcf_exts_hw_stats_update, tcf_idr_create } from './act_api';
import { act_gact_ops } from './act_gact';

function setup(): { now: { ms: number }; k: ReturnType<typeof start_kernel> } {
  const now = { ms: 0 };
  return { now, k: start_kernel({ jiffies: () => now.ms }) };
}

describe('tcf_tm_dump', () => {
  it.each([
    { name: 'just created', created: 1000, used: null as number | null, at: 1000, want: { install: 0, lastuse: 0, firstuse: 0, expires: 0 } },
    { name: '12.5 s later', created: 1000, used: null, at: 13500, want: { install: 1250, lastuse: 1250, firstuse: 0, expires: 0 } },
    { name: 'hardware hit at 4 s', created: 1000, used: 4000, at: 6000, want: { install: 500, lastuse: 200, firstuse: 0, expires: 0 } },
  ])('$name', ({ created, used, at, want }) => {
    const { now, k } = setup();
    now.ms = created;
    const a = tcf_idr_create(k.net, act_gact_ops, 1, true, 0, null);
    a.tcfa_action = TC_ACT_SHOT;
    if (used !== null) {
      tcf_exts_hw_stats_update({ action: 3, actions: [a], net: k.net },
        { bytes: 100, pkts: 2, drops: 0, lastused: used, used_hw_stats: 2, used_hw_stats_valid: true });
    }
    now.ms = at;
    // USER_HZ ticks (1/100 s), as iproute2's print_tm divides by 100.
    expect(tcf_tm_dump(a), `tcf_tm_dump at ${at} ms`).toEqual(want);
  });

  it('hardware counters land in bstats and bstats_hw; gact drop counts them as drops', () => {
    const { k } = setup();
    const a = tcf_idr_create(k.net, act_gact_ops, 1, true, 0, null);
    a.tcfa_action = TC_ACT_SHOT;
    tcf_exts_hw_stats_update({ action: 3, actions: [a], net: k.net },
      { bytes: 1500, pkts: 10, drops: 0, lastused: 0, used_hw_stats: 2, used_hw_stats_valid: true });
    expect({ bstats: a.bstats, hw: a.bstats_hw, drops: a.qstats.drops }).toEqual({
      bstats: { bytes: 1500, packets: 10 }, hw: { bytes: 1500, packets: 10 }, drops: 10,
    });
  });
});

// ------------------------------------------------------------------
// Standalone action offload (act_api.c tcf_action_offload_add_ex /
// tcf_action_offload_del_ex, net/core/flow_offload.c
// flow_indr_dev_setup_offload): every indirect driver is asked with
// TC_SETUP_ACT and no device; in_hw_count is how many answered 0.
import { tcf_action_offload_add, tcf_idr_release } from './act_api';
import { flow_indr_dev_register } from '../core/flow_offload';
import { TC_SETUP_ACT } from '../../include/linux/netdevice';
import { FLOW_ACT_DESTROY, FLOW_ACT_REPLACE, type FlowOffloadAction } from '../../include/net/flow_offload';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_SKIP_HW, TCA_ACT_FLAGS_SKIP_SW, TC_ACT_OK } from '../../include/uapi/linux/pkt_cls';

describe('tcf_action_offload_add', () => {
  it.each([
    { name: 'one driver takes it', answers: [0], flags: 0, err: 0, in_hw_count: 1, asked: 1 },
    { name: 'two drivers take it', answers: [0, 0], flags: 0, err: 0, in_hw_count: 2, asked: 2 },
    { name: 'one of two refuses', answers: [0, -EOPNOTSUPP], flags: 0, err: 0, in_hw_count: 1, asked: 2 },
    { name: 'nobody takes it: still software', answers: [-EOPNOTSUPP], flags: 0, err: 0, in_hw_count: 0, asked: 1 },
    { name: 'skip_sw and nobody takes it', answers: [-EOPNOTSUPP], flags: TCA_ACT_FLAGS_SKIP_SW, err: -EINVAL, in_hw_count: 0, asked: 1 },
    { name: 'no driver registered, skip_sw', answers: [], flags: TCA_ACT_FLAGS_SKIP_SW, err: -EINVAL, in_hw_count: 0, asked: 0 },
    { name: 'skip_hw is never offered', answers: [0], flags: TCA_ACT_FLAGS_SKIP_HW, err: 0, in_hw_count: 0, asked: 0 },
  ])('$name', ({ answers, flags, err, in_hw_count, asked }) => {
    const { k } = setup();
    const seen: Array<{ dev: unknown; type: number; command: number; id: string | null }> = [];
    answers.forEach((ans) => {
      flow_indr_dev_register(k.net, (dev, _sch, _priv, type, _bo, data) => {
        const fl = data as FlowOffloadAction;
        seen.push({ dev, type, command: fl.command, id: fl.id });
        return ans as 0 | NegErrno;
      }, {});
    });
    const a = tcf_idr_create(k.net, act_gact_ops, 1, false, flags, null);
    a.tcfa_action = TC_ACT_OK;
    expect(tcf_action_offload_add(a, null), 'tcf_action_offload_add(gact pass)').toBe(err);
    expect(a.in_hw_count, 'in_hw_count').toBe(in_hw_count);
    expect(seen, 'what the drivers were asked').toEqual(
      Array.from({ length: asked }, () => ({ dev: null, type: TC_SETUP_ACT, command: FLOW_ACT_REPLACE, id: 'FLOW_ACTION_ACCEPT' })));
  });

  it('releasing an action in hardware sends FLOW_ACT_DESTROY to the drivers', () => {
    const { k } = setup();
    const commands: number[] = [];
    flow_indr_dev_register(k.net, (_d, _s, _p, _t, _bo, data) => {
      commands.push((data as FlowOffloadAction).command);
      return 0;
    }, {});
    const a = tcf_idr_create(k.net, act_gact_ops, 1, false, 0, null);
    a.tcfa_action = TC_ACT_OK;
    tcf_action_offload_add(a, null);
    tcf_idr_release(k.net, a, false);
    expect(commands, 'commands after add and release').toEqual([FLOW_ACT_REPLACE, FLOW_ACT_DESTROY]);
  });
});
