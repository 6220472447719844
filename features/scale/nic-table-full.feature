@scale
Feature: A NIC TC table of real size fills up to -ENOSPC and frees without leaks
  The small-table case is features/mlx5/capacity.feature (a 128-entry table,
  126 rules). Here the table has the size of a real pool: when the device's
  4M- and 1M-entry tables are taken by other users, mlx5_ft_pool_get_avail_sz
  (fs_ft_pool.c) gives a new chain table 65,536 entries. fs_chains keeps the
  last 2 for its miss group; the NIC TC table's 4 autogroups take
  (65,536 - 2) / 5 = 13,106 entries each, and every later rule gets a 1-entry
  group (fs_core.c alloc_auto_flow_group) until no gap is left: 65,534 rules,
  then -ENOSPC. Deleting every filter frees each FTE, group and counter, and
  the last one the table itself. (The NIC already holds a 65,536-entry table
  of its own from probe, so the checks count what the firmware holds beyond
  its probe-time objects rather than tables of that size.)

  Background:
    Given a NIC in legacy mode
    And the device has only 65536-entry flow tables left

  Scenario: A 65,536-entry NIC TC table holds 65,534 skip_sw rules; the next is refused; deleting them leaves nothing
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      """
    And I run "tc filter add dev enp8s0f0 ingress protocol ip prio 1 handle $i flower skip_sw dst_ip $ip action drop" for $i from 1 until one fails
    Then 65534 of them succeeded
    And it fails with "No space left on device"
    And the trace passes through alloc_auto_flow_group
    And alloc_auto_flow_group returned -ENOSPC
    And 65534 FTEs are created
    When I run "tc filter del dev enp8s0f0 ingress protocol ip prio 1 handle $i flower" for $i from 1 to 65534 at scale
    Then 65534 of them succeeded
    And nothing is left in tc or the firmware
