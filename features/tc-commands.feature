Feature: tc commands run against the emulated host
  `tc` encodes a command into the same netlink request iproute2 6.1 sends and
  prints the kernel's answer the way iproute2 does. Here no OVS is involved:
  the filter goes straight to cls_flower on the VF representor's ingress block,
  which ovs-vswitchd bound to mlx5 when offload was enabled.

  Background:
    Given hw-offload is enabled

  Scenario: A skip_sw filter the driver accepts is in hardware only
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 7 flower skip_sw dst_ip 10.0.0.9 action drop"
    Then it succeeds
    And 1 FTE is created
    And the trace passes through mlx5_cmd_create_fte
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "skip_sw"
    And the output contains "in_hw in_hw_count 1"

  Scenario: skip_sw on a port whose driver refuses: the driver's extack reaches tc
    Given hw-tc-offload is off on enp8s0f0_0
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 7 flower skip_sw dst_ip 10.0.0.9 action drop"
    Then it fails with "Error: TC offload is disabled on net device."
    And it fails with "We have an error talking to the kernel"
    And no FTE is created

  Scenario: A malformed command gets tc's own error
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 7 flower dst_ip 10.0.0.9 action teleport"
    Then it fails with "teleport"
