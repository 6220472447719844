Feature: Blocks: clsact, shared blocks and devices without offload
  A qdisc binds its block to the device's driver through ndo_setup_tc. A
  shared block (`ingress_block N`) collects the callbacks of every port on it;
  in_hw_count counts the callbacks that took the filter. A device without
  ndo_setup_tc (dummy, veth), or a binding the driver refuses (mlx5 binds
  ingress only), counts in nooffloaddevcnt and makes skip_sw impossible.

  Scenario: A filter on a block shared by two mlx5 ports is in hardware twice
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress_block 22 ingress
      tc qdisc add dev enp8s0f0_1 ingress_block 22 ingress
      tc filter add block 22 protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      tc filter show block 22
      """
    Then the output contains "in_hw in_hw_count 2"

  Scenario: A shared block is not reachable through one of its devices
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress_block 22 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      """
    Then it fails with "Error: This filter block is shared. Please use the block index to manipulate the filters."

  Scenario: A block index nobody created
    When I run "tc filter add block 99 protocol ip prio 1 flower dst_ip 10.0.0.1 action drop"
    Then it fails with "Error: Block of given index was not found."

  Scenario: Row 5 — a veth on the block: offered to mlx5, counted once, skip_sw refused
    When I run:
      """
      ip link add veth0 type veth peer name veth1
      tc qdisc add dev enp8s0f0_0 ingress_block 5 ingress
      tc qdisc add dev veth0 ingress_block 5 ingress
      tc filter add block 5 protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      tc filter show block 5
      """
    Then the output contains "in_hw in_hw_count 1"
    When I run "tc filter add block 5 protocol ip prio 2 flower skip_sw dst_ip 10.0.0.2 action drop"
    Then it fails with "RTNETLINK answers: Operation not supported"
    And tc_setup_cb_add returned -EOPNOTSUPP

  Scenario: A device without offload cannot join a block that already has offloaded filters
    When I run:
      """
      ip link add dummy0 type dummy
      tc qdisc add dev enp8s0f0_0 ingress_block 6 ingress
      tc filter add block 6 protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      tc qdisc add dev dummy0 ingress_block 6 ingress
      """
    Then it fails with "RTNETLINK answers: Operation not supported"
    And tcf_block_offload_bind returned -EOPNOTSUPP

  Scenario: mlx5 binds ingress only: on clsact egress the filter stays in software
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 clsact
      tc filter add dev enp8s0f0_0 egress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      tc filter show dev enp8s0f0_0 egress
      """
    Then the output contains "not_in_hw"
    When I run "tc filter add dev enp8s0f0_0 egress protocol ip prio 2 flower skip_sw dst_ip 10.0.0.2 action drop"
    Then it fails with "RTNETLINK answers: Operation not supported"

  Scenario: clsact ingress is offloaded like the ingress qdisc
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 clsact
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And 1 FTE is created

  Scenario: A port with hw-tc-offload off cannot join a block with offloaded filters
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress_block 7 ingress
      tc filter add block 7 protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      ethtool -K enp8s0f0_1 hw-tc-offload off
      tc qdisc add dev enp8s0f0_1 ingress_block 7 ingress
      """
    Then it fails with "Error: Bind to offloaded block failed as dev has offload disabled."
