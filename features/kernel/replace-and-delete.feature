Feature: Create, replace, change and delete
  `tc filter add` sends NLM_F_CREATE|NLM_F_EXCL, `replace` only NLM_F_CREATE,
  `change` neither. cls_api and cls_flower turn those flags, the handle and
  the masked key into EEXIST / ENOENT / EINVAL, and a replace hands the driver
  the new rule before the old one is destroyed.

  Background:
    Given I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.1 action drop
      """

  Scenario: Row 14 — add on an existing handle: "Filter already exists"
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it fails with "Error: Filter already exists."

  Scenario: Row 13 — the same masked key under a new handle: EEXIST with no message
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower skip_sw dst_ip 10.0.0.1 action drop"
    Then it fails with "RTNETLINK answers: File exists"
    And the trace does not pass through fl_hw_replace_filter

  Scenario: Row 15 — a replace may not change the mask
    When I run "tc filter replace dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.0/24 action drop"
    Then it fails with "RTNETLINK answers: Invalid argument"
    And fl_check_assign_mask returned -EINVAL
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "dst_ip 10.0.0.1"

  Scenario: Row 16 — replace: REPLACE with the new cookie, then DESTROY of the old one
    When I run "tc filter replace dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.3 action drop"
    Then it succeeds
    And the trace passes through, in order:
      | hop                   |
      | fl_hw_replace_filter  |
      | mlx5e_configure_flower |
      | fl_hw_destroy_filter  |
      | mlx5e_delete_flower   |
    And 1 FTE is created
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "dst_ip 10.0.0.3"
    And the output contains "in_hw in_hw_count 1"

  Scenario: change needs an existing filter
    When I run "tc filter change dev enp8s0f0_0 ingress protocol ip prio 1 handle 7 flower dst_ip 10.0.0.3 action drop"
    Then it fails with "Error: Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter."

  Scenario: change of an existing filter replaces it in place
    When I run "tc filter change dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.4 action drop"
    Then it succeeds
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "dst_ip 10.0.0.4"

  Scenario: delete sends DESTROY to the driver and removes the hardware rule
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower"
    Then it succeeds
    And the trace passes through mlx5e_delete_flower
    And no tc filter exists

  Scenario: deleting a handle that does not exist
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 9 flower"
    Then it fails with "Error: Specified filter handle not found."

  Scenario: deleting at a priority that does not exist
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 5 handle 1 flower"
    Then it fails with "Error: Filter with specified priority/protocol not found."

  Scenario: deleting from a chain that does not exist
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip chain 4 prio 1 handle 1 flower"
    Then it fails with "Error: Cannot find specified filter chain."

  Scenario: tc filter del dev D ingress flushes chain 0, hardware rules included
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower dst_ip 10.0.0.2 action drop
      tc filter del dev enp8s0f0_0 ingress
      """
    Then it succeeds
    And the trace passes through fl_destroy
    And no tc filter exists
    And no FTE is created

  Scenario: a failed skip_sw add destroys the rule in hardware twice
    When I run:
      """
      ethtool -K enp8s0f0_1 hw-tc-offload off
      tc qdisc add dev enp8s0f0_1 ingress
      tc filter add dev enp8s0f0_1 ingress protocol ip prio 3 flower skip_sw dst_ip 10.0.0.5 action drop
      """
    Then it fails with "Error: TC offload is disabled on net device."
    And the trace passes through, in order:
      | hop                  |
      | tc_setup_cb_add      |
      | fl_hw_destroy_filter |
      | fl_hw_destroy_filter |
