Feature: OVS conntrack flows reach the mlx5 CT tables
  With hw-offload on and the default tc-policy, the tc ct action and the
  ct_state match OVS puts into tc (lib/netdev-offload-tc.c) are offered to
  the driver, which offloads them through its CT tables (core/en/tc_ct.c).
  The usual ct-then-recirculate pair, end to end from OVS, is in
  features/ovs/conntrack-offload.feature.

  Background:
    Given hw-offload is enabled

  Scenario: ct(commit,zone=5,nat(src=…)) then output is split around the ct, in hardware
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(commit,zone=5,nat(src=10.0.0.1-10.0.0.5:1000-2000)),1"
    Then the flow is in tc software and NIC hardware
    And the trace passes through mlx5e_tc_post_act_offload
    And the mlx5 CT zones are "5"

  Scenario: a ct_state(+trk+est) match is a register match in hardware
    When a miss upcall for "recirc_id(0),in_port(2),ct_state(+trk+est),ct_zone(5),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "3"
    Then the flow is in tc software and NIC hardware
    And the trace passes through mlx5_tc_ct_match_add
