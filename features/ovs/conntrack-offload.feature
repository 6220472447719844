Feature: Conntrack through OVS into the NIC: ct, recirculation and the chain it lands in
  The usual OVS conntrack pipeline is two datapath flows: on recirc_id(0)
  the packet goes through ct(zone=N) and recirc(R); the recirculated packet
  (recirc_id(R)) is matched on its ct_state/ct_zone and forwarded.
  lib/netdev-offload-tc.c netdev_tc_flow_put turns recirc(R) into a goto
  chain R (the recirc id is the tc chain) and refuses a recirc_id(R) flow
  while no filter jumps to chain R; lib/tc.c nl_msg_put_flower_acts puts the
  ct action and the goto. With hw-offload on and the default tc-policy, mlx5
  (core/en/tc_ct.c) offloads both: the ct action splits the chain-0 rule
  around a jump to the CT table (post-action table behind it), the ct_state
  and ct_zone matches become register matches in the chain-1 table.
  odp-util parses recirc(R) and recirc_id(R) in decimal and prints them in
  hex, so recirc(10) is chain 10 and reads back as recirc(0xa).

  Background:
    Given hw-offload is enabled
    And ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"

  Scenario: ct(zone=1),recirc(1) then a +trk+est match on chain 1: both flows in hardware
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(zone=1),recirc(1)"
    Then the trace passes through, in order:
      | hop                       |
      | netdev_tc_flow_put        |
      | tc_replace_flower         |
      | mlx5_tc_ct_init           |
      | tc_act_parse_ct           |
      | mlx5e_tc_post_act_add     |
    And the mlx5 driver holds 3 CT tables
    And the mlx5 CT zones are "1"
    When a miss upcall for "recirc_id(1),in_port(2),ct_state(+trk+est),ct_zone(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "3"
    Then the trace passes through mlx5_tc_ct_match_add
    And the trace does not pass through mlx5e_tc_post_act_add
    And the OVS kernel datapath holds 0 flows
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "action order 1: ct zone 1 pipe"
    And the output contains "action order 2: gact action goto chain 1"
    When I run "tc filter show dev enp8s0f0_0 ingress chain 1"
    Then the output contains "ct_state +trk+est"
    And the output contains "ct_zone 1"
    And the output contains "in_hw in_hw_count 1"
    And the output contains "action order 1: mirred (Egress Redirect to device enp8s0f0_1) stolen"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "offloaded:yes, dp:tc, actions:ct(zone=1),recirc(0x1)"
    And the output contains "recirc_id(0x1),dp_hash(0/0),skb_priority(0/0),in_port(enp8s0f0_0)"
    And the output contains "ct_state(+est+trk),ct_zone(0x1)"
    And the output contains "offloaded:yes, dp:tc, actions:enp8s0f0_1"
    And the output does not contain "dp:ovs"
    When I run "ovs-appctl upcall/show"
    Then the output contains "offloaded flows : 2"

  Scenario: ct(commit,zone=1,nat(src=…)) on chain 1 is split around the ct, in hardware
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(zone=1),recirc(1)"
    And a miss upcall for "recirc_id(1),in_port(2),ct_state(+trk-est),ct_zone(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(commit,zone=1,nat(src=10.0.0.1)),3"
    Then the trace passes through mlx5_tc_ct_match_add
    And the trace passes through mlx5e_tc_post_act_add
    And the mlx5 CT zones are "1"
    When I run "tc filter show dev enp8s0f0_0 ingress chain 1"
    Then the output contains "ct_state +trk-est"
    And the output contains "action order 1: ct commit zone 1 nat src addr 10.0.0.1 pipe"
    And the output contains "in_hw in_hw_count 1"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "offloaded:yes, dp:tc, actions:ct(commit,zone=1,nat(src=10.0.0.1)),enp8s0f0_1"
    And the output does not contain "dp:ovs"

  # The usual commit flow matches +new, which mlx5 cannot match
  # (core/en/tc_ct.c mlx5_tc_ct_match_add: "matching on ct_state +new isn't
  # supported"): the filter stays in tc software, not_in_hw, and OVS says
  # nothing since the kernel accepted it. New connections are committed by
  # tc in software; only established ones then hit the NIC.
  Scenario: The +trk+new commit flow is in tc software only: mlx5 does not match +new
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(zone=1),recirc(1)"
    And a miss upcall for "recirc_id(1),in_port(2),ct_state(+trk+new),ct_zone(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(commit,zone=1,nat(src=10.0.0.1)),3"
    Then the OVS kernel datapath holds 0 flows
    When I run "tc filter show dev enp8s0f0_0 ingress chain 1"
    Then the output contains "ct_state +trk+new"
    And the output contains "not_in_hw"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "dp:tc, actions:ct(commit,zone=1,nat(src=10.0.0.1)),enp8s0f0_1"
    And the output does not contain "offloaded:yes, dp:tc, actions:ct(commit"

  Scenario: recirc(10) is chain 10, not 16: OVS reads the recirc id in decimal
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(zone=1),recirc(10)"
    And a miss upcall for "recirc_id(10),in_port(2),ct_state(+trk+est),ct_zone(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "3"
    Then the OVS kernel datapath holds 0 flows
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "goto chain 10"
    And the output contains "flower chain 10"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "actions:ct(zone=1),recirc(0xa)"
    And the output contains "recirc_id(0xa),"

  Scenario: The recirculated flow arriving first has no chain to land in: kernel datapath
    When a miss upcall for "recirc_id(1),in_port(2),ct_state(+trk+est),ct_zone(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "3"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "netdev_offload_tc|DBG|match for chain 1 failed due to non-existing goto chain action"
    And the mlx5 CT zones are "none"
