Feature: Tour 8 — flow steering writes the rule into the NIC
  The eswitch picks the flow table for the filter's chain and priority
  (fs_chains creates it on first use, with its flow groups and the miss rules
  that send unmatched packets on to the next table). fs_core finds or creates
  a flow group whose mask fits the rule and asks the firmware, through the
  command interface, to write a flow table entry (FTE) with
  SET_FLOW_TABLE_ENTRY. The firmware's answer is final: if it fails the
  command, the driver logs the failure to the kernel log and the filter
  stays in software only.

  Background:
    Given hw-offload is enabled

  Scenario: The first flow of a chain creates its table, a group, and the FTE
    When a flow is put
    Then the trace passes through, in order:
      | hop                                 | file                                                       |
      | mlx5_eswitch_add_offloaded_rule     | drivers/net/ethernet/mellanox/mlx5/core/eswitch_offloads.c |
      | mlx5_chains_get_table               | drivers/net/ethernet/mellanox/mlx5/core/lib/fs_chains.c    |
      | mlx5_create_auto_grouped_flow_table | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c          |
      | CREATE_FLOW_TABLE                   |                                                            |
      | mlx5_add_flow_rules                 | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c          |
      | mlx5_cmd_create_fte                 | drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c           |
      | SET_FLOW_TABLE_ENTRY                |                                                            |
    And the trace reaches the firmware layer
    And 1 FTE is created

  Scenario: A firmware failure is logged and leaves the filter in software
    Given the firmware fails the next SET_FLOW_TABLE_ENTRY with status 0x3 and syndrome 0x2a8f41
    When a flow is put
    Then the trace ends in SET_FLOW_TABLE_ENTRY
    And the flow is in tc software
    And dmesg contains "SET_FLOW_TABLE_ENTRY(0x936) op_mod(0x0) failed, status bad parameter(0x3)"

  Scenario: The firmware holds what tc says is in hardware
    When a flow is put
    And I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "in_hw in_hw_count 1"
    And 1 FTE is created
