@scale
Feature: 100,000 datapath flows through OVS into the NIC, dumped and deleted
  Each `ovs-appctl dpctl/add-flow` goes the whole way: dpif-netlink's flow put,
  netdev-offload-tc, a tc flower request as netlink bytes, cls_flower, the mlx5
  driver, fs_core and the firmware, one FTE per flow. At this size the per-put
  lookups (ufid to tc filter, handles, action indexes, flow groups) must stay
  flat, and a dump or a flush must see every flow exactly once. (The dumps and
  the flush run untraced: their traces would hold millions of hops.)

  Background:
    Given hw-offload is enabled

  Scenario: 100,000 distinct flows are offloaded, dumped, partly deleted, then flushed without leaks
    When I run "ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(dst=$ip,frag=no)' 3" for $i from 1 to 100000 at scale
    Then 100000 of them succeeded
    And 100000 FTEs are created
    And the OVS kernel datapath holds 0 flows
    When I run "ovs-appctl dpctl/dump-flows type=offloaded" without tracing
    Then it succeeds
    And the output has 100000 lines
    And the output contains "ipv4(dst=10.1.134.160,frag=no), packets:0, bytes:0, used:never, actions:3"
    When I run "ovs-appctl dpctl/del-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(dst=$ip,frag=no)'" for $i from 1 to 10000 at scale
    Then 10000 of them succeeded
    And 90000 FTEs are created
    When I run "ovs-appctl dpctl/dump-flows" without tracing
    Then the output has 90000 lines
    And the output does not contain "ipv4(dst=10.0.39.16,"
    And the output contains "ipv4(dst=10.0.39.17,"
    When I run "ovs-appctl dpctl/del-flows" without tracing
    Then it succeeds
    And nothing is left in tc or the firmware
    When I run "ovs-appctl dpctl/dump-flows"
    Then the output has 0 lines
