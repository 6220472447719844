Feature: A NIC in legacy mode offloads to its own flow tables
  Without switchdev there is no eswitch FDB and there are no representors:
  the PF's netdev is an ordinary NIC netdev. mlx5 then puts TC flows into the
  NIC's receive flow tables (mlx5e_add_nic_flow) — but a NIC netdev starts
  with hw-tc-offload off, so until `ethtool -K … hw-tc-offload on` every
  filter stays in software.

  Background:
    Given the topology "features/topologies/legacy-nic.yaml"

  Scenario: hw-tc-offload starts off, and filters stay in software until it is on
    When I run:
      """
      ethtool -k enp8s0f0
      """
    Then the output contains "hw-tc-offload: off"
    When I run:
      """
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the tc filter is "not_in_hw"
    And no FTE is created

  Scenario: With hw-tc-offload on, the flow goes to the NIC tables
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the tc filter is "skip_sw in_hw in_hw_count 1"
    And 1 FTE is created
    And the trace passes through mlx5e_add_nic_flow
    And the trace does not pass through mlx5e_add_fdb_flow

  Scenario: Two firmware failures in a row: both adds stay in software
    Given the firmware fails the next 2 SET_FLOW_TABLE_ENTRY commands with status 0x3 and syndrome 0x1f0001
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      tc filter add dev enp8s0f0 ingress protocol ip prio 2 flower dst_ip 10.0.0.2 action drop
      tc filter add dev enp8s0f0 ingress protocol ip prio 3 flower dst_ip 10.0.0.3 action drop
      """
    Then it succeeds
    And 1 FTE is created
    When I run "tc filter show dev enp8s0f0 ingress pref 2"
    Then the output contains "not_in_hw"
    When I run "tc filter show dev enp8s0f0 ingress pref 3"
    Then the output contains "in_hw in_hw_count 1"
    When I run "dmesg"
    Then the output contains "SET_FLOW_TABLE_ENTRY(0x936) op_mod(0x0) failed, status bad parameter(0x3), syndrome (0x1f0001), err(-22)"
