import { describe, it, expect } from 'vitest';
import { ovs_flow_stats_update } from './flow';
import type { SwFlow } from './datapath';

function flow(): SwFlow {
  return { ufid: null, key: new Uint8Array(), mask: new Uint8Array(), actions: new Uint8Array(), packets: 0, bytes: 0, used: 0 };
}

describe('ovs_flow_stats_update', () => {
  const cases = [
    { name: 'untagged 98-byte ping frame counts 98', len: 98, vlan_tag_present: false, want: 98 },
    { name: 'an accelerated VLAN tag adds VLAN_HLEN', len: 98, vlan_tag_present: true, want: 102 },
    { name: 'minimum frame', len: 60, vlan_tag_present: false, want: 60 },
  ];
  it.each(cases)('$name', ({ len, vlan_tag_present, want }) => {
    const f = flow();
    ovs_flow_stats_update(f, { len, vlan_tag_present }, 1500);
    ovs_flow_stats_update(f, { len, vlan_tag_present }, 2500);
    expect({ packets: f.packets, bytes: f.bytes, used: f.used }, `ovs_flow_stats_update(len=${len}) x2`).toEqual({ packets: 2, bytes: 2 * want, used: 2500 });
  });
});
