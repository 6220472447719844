Feature: Where a flower filter lands: flags, blocks and the driver
  cls_flower decides from the filter's flags, the block's bound callbacks and
  its count of devices without offload (nooffloaddevcnt) whether a filter runs
  in software, in hardware, or is refused. tc shows the outcome as
  skip_sw/skip_hw and in_hw/not_in_hw.

  Background:
    Given I run "tc qdisc add dev enp8s0f0_0 ingress"

  Scenario: Row 1 — skip_sw together with skip_hw is refused without a message
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw skip_hw dst_ip 10.0.0.1 action drop"
    Then it fails with "RTNETLINK answers: Invalid argument"
    And the trace does not pass through mlx5e_configure_flower

  Scenario: Row 2 — skip_hw never reaches the driver
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_hw dst_ip 10.0.0.1 action drop"
    Then it succeeds
    And the trace does not pass through tc_setup_cb_add
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "skip_hw"
    And the output contains "not_in_hw"

  Scenario: Row 3 — an action without a hardware mapping keeps the filter in software, silently
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action pipe"
    Then it succeeds
    And the trace does not pass through tc_setup_cb_add
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "not_in_hw"

  Scenario: Row 9 — the same action with skip_sw fails with act_gact's message
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action pipe"
    Then it fails with "Error: act_gact: Offload of \"pipe\" action is not supported."
    And tcf_gact_offload_act_setup returned -EOPNOTSUPP

  Scenario: Row 6 with verbose — the reason comes back as a warning on success
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower verbose dst_ip 10.0.0.1 action pipe"
    Then it succeeds with "Warning: act_gact: Offload of \"pipe\" action is not supported."

  Scenario: Row 11 — skip_sw accepted by the driver is in hardware only
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it succeeds
    And 1 FTE is created
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "skip_sw"
    And the output contains "in_hw in_hw_count 1"

  Scenario: Row 18 — skip_sw with hw-tc-offload off: the driver refuses with the pkt_cls.h helper text
    Given hw-tc-offload is off on enp8s0f0_0
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it fails with "Error: TC offload is disabled on net device."
    And no FTE is created

  Scenario: Row 4 — a device without ndo_setup_tc: software only, no driver call
    When I run:
      """
      ip link add dummy0 type dummy
      tc qdisc add dev dummy0 ingress
      tc filter add dev dummy0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the trace does not pass through mlx5e_configure_flower
    When I run "tc filter show dev dummy0 ingress"
    Then the output contains "not_in_hw"

  Scenario: Row 8 — skip_sw on a block with a non-offload device fails before any driver call
    When I run:
      """
      ip link add dummy0 type dummy
      tc qdisc add dev dummy0 ingress
      tc filter add dev dummy0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it fails with "RTNETLINK answers: Operation not supported"
    And tc_setup_cb_add returned -EOPNOTSUPP
    And the trace passes through fl_hw_destroy_filter
