Feature: mlx5 flow tables fill up: autogroups, 1-entry groups, then -ENOSPC
  A TC chain table takes the largest table the device's pools still offer
  (fs_ft_pool.c mlx5_ft_pool_get_avail_sz). fs_chains keeps its last 2
  entries for the miss group; the NIC TC table splits the rest into 4
  autogroups of (size-2)/5 entries (MLX5E_TC_TABLE_NUM_GROUPS), and once those
  are full every further rule gets a group of its own with 1 entry
  (fs_core.c alloc_auto_flow_group). When no gap is left the table is full:
  -ENOSPC, and the rule stays in software unless it was skip_sw.

  Background:
    Given a NIC in legacy mode
    And the device has only 128-entry flow tables left

  Scenario: A 128-entry NIC TC table holds 126 rules; the 127th is refused, and deleting frees it all
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      """
    And I run "tc filter add dev enp8s0f0 ingress protocol ip prio 1 handle $i flower skip_sw dst_ip 10.0.0.$i action drop" for $i from 1 to 126
    Then it succeeds
    And 126 FTEs are created
    When I run "tc filter add dev enp8s0f0 ingress protocol ip prio 1 handle 127 flower skip_sw dst_ip 10.0.0.127 action drop"
    Then it fails with "No space left on device"
    And the trace passes through alloc_auto_flow_group
    And alloc_auto_flow_group returned -ENOSPC
    And 126 FTEs are created
    When I run "tc filter add dev enp8s0f0 ingress protocol ip prio 1 handle 128 flower dst_ip 10.0.0.128 action drop"
    Then it succeeds
    And the trace passes through alloc_auto_flow_group
    When I run "tc filter show dev enp8s0f0 ingress"
    Then the output contains "not_in_hw"
    When I run "tc filter del dev enp8s0f0 ingress protocol ip prio 1 handle $i flower" for $i from 1 to 126
    Then it succeeds
    And no FTE is created
