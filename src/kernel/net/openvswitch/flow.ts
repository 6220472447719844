// net/openvswitch/flow.c: per-flow statistics of the kernel datapath.
import type { SwFlow } from './datapath';
import { hop } from '../../../trace/hop';

/** What ovs_flow_stats_update reads of a packet (struct sk_buff). */
export interface OvsSkb {
  /** skb->len as the datapath sees it: vport-netdev pushed the Ethernet header back. */
  len: number;
  /** skb_vlan_tag_present(): the tag is in skb metadata, not in len. */
  vlan_tag_present: boolean;
}

const VLAN_HLEN = 4;

/**
 * ovs_flow_stats_update: one packet hit the flow. The bytes counted are the
 * whole frame: netdev_port_receive (net/openvswitch/vport-netdev.c) pushed
 * the Ethernet header back before the lookup, and an accelerated VLAN tag
 * is added on top.
 */
export const ovs_flow_stats_update = hop('net/openvswitch/flow.c', function ovs_flow_stats_update(
  flow: SwFlow, skb: OvsSkb, jiffies: number,
): void {
  // net/openvswitch/flow.c ovs_flow_stats_update (v6.18)
  const len = skb.len + (skb.vlan_tag_present ? VLAN_HLEN : 0);
  flow.used = jiffies;
  flow.packets++;
  flow.bytes += len;
}, { input: (_f, skb) => `len=${skb.len}${skb.vlan_tag_present ? ' +vlan' : ''}` });
