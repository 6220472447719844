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
