Feature: Priorities, handles and chains
  A filter lives at (block, chain, prio, protocol). Without a pref the kernel
  picks one from 49152 downward; chains appear with their first filter or an
  explicit `tc chain add`, and `goto chain N` holds a chain for actions only.

  Background:
    Given I run "tc qdisc add dev enp8s0f0_0 ingress"

  Scenario: Automatic priorities start at 49152 and go down
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip flower dst_ip 10.0.0.1 action drop
      tc filter add dev enp8s0f0_0 ingress protocol ip flower dst_ip 10.0.0.2 action drop
      tc filter show dev enp8s0f0_0 ingress
      """
    Then the output contains "pref 49152 flower"
    And the output contains "pref 49151 flower"

  Scenario: change without a pref is refused
    When I run "tc filter change dev enp8s0f0_0 ingress protocol ip flower dst_ip 10.0.0.1 action drop"
    Then it fails with "Error: Invalid filter command with priority of zero."

  Scenario: A pref already used by another protocol
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      tc filter add dev enp8s0f0_0 ingress protocol ipv6 prio 1 flower action drop
      """
    Then it fails with "Error: Protocol mismatch for filter with specified priority."

  Scenario: Handles are allocated lowest-free within a pref
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.2 action drop
      tc filter show dev enp8s0f0_0 ingress
      """
    Then the output contains "handle 0x1"
    And the output contains "handle 0x2"

  Scenario: A filter in chain 3 creates the chain; goto chain 5 does not show it
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 3 flower dst_ip 10.0.0.1 action goto chain 5
      tc chain show dev enp8s0f0_0 ingress
      """
    Then the output contains "chain 3"
    And the output does not contain "chain 5"

  Scenario: tc chain add, twice
    When I run "tc chain add dev enp8s0f0_0 ingress chain 7"
    Then it succeeds
    When I run "tc chain add dev enp8s0f0_0 ingress chain 7"
    Then it fails with "Error: Filter chain already exists."

  Scenario: tc chain del of a chain that does not exist
    When I run "tc chain del dev enp8s0f0_0 ingress chain 9"
    Then it fails with "Error: Cannot find specified filter chain."

  Scenario: tc chain del flushes the chain's filters, in hardware too
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 2 flower skip_sw dst_ip 10.0.0.1 action drop
      tc chain del dev enp8s0f0_0 ingress chain 2
      """
    Then it succeeds
    And the trace passes through mlx5e_delete_flower
    And no tc filter exists

  Scenario: The chain index limit
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 268435456 flower dst_ip 10.0.0.1 action drop"
    Then it fails with "Error: Specified chain index exceeds upper limit."
