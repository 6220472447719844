Feature: Where a flow put by OVS ends up
  The same upcall can end in three places: the NIC's flow tables (with or
  without a software copy in tc), tc software only, or the OVS kernel datapath.
  Three things decide it: whether OVS offload is on (other_config:hw-offload),
  the tc-policy OVS asks tc for, and whether the driver accepts the filter.
  The driver is made to refuse by turning hw-tc-offload off on the port the
  flow arrives on (its VF representor), as `ethtool -K … hw-tc-offload off` does.

  Scenario Outline: hw-offload <hw_offload>, tc-policy <policy>, driver <driver>
    Given hw-offload is <hw_offload>
    And tc-policy <policy>
    And the driver <driver> flows on enp8s0f0_0
    When a flow is put
    Then the flow is in <where>
    And the tc filter is "<tc_filter>"
    And <ftes> FTEs are created
    And the trace passes through <decisive>

    Examples: offload disabled: tc is never asked
      | hw_offload | policy | driver  | where                   | tc_filter | ftes | decisive                    |
      | disabled   | none   | accepts | the OVS kernel datapath | (none)    | 0    | dpif_netlink_operate_chunks |

    Examples: offload enabled
      | hw_offload | policy  | driver  | where                        | tc_filter                   | ftes | decisive                    |
      | enabled    | none    | accepts | tc software and NIC hardware | in_hw in_hw_count 1         | 1    | mlx5_cmd_create_fte         |
      | enabled    | none    | refuses | tc software                  | not_in_hw                   | 0    | mlx5e_tc_add_flow           |
      | enabled    | skip_sw | accepts | NIC hardware                 | skip_sw in_hw in_hw_count 1 | 1    | mlx5_cmd_create_fte         |
      | enabled    | skip_sw | refuses | the OVS kernel datapath      | (none)                      | 0    | dpif_netlink_operate_chunks |
      | enabled    | skip_hw | accepts | tc software                  | skip_hw not_in_hw           | 0    | fl_change                   |
      | enabled    | skip_hw | refuses | tc software                  | skip_hw not_in_hw           | 0    | fl_change                   |

  Scenario: A filter the driver refuses without skip_sw stays in tc software, silently
    Given hw-offload is enabled
    And the driver refuses flows on enp8s0f0_0
    When a flow is put
    Then the flow is in tc software
    And the tc filter is "not_in_hw"
    And the trace passes through mlx5e_tc_add_flow
    And mlx5e_tc_add_flow returned -EOPNOTSUPP
    And the OVS kernel datapath holds 0 flows

  Scenario: With skip_sw the driver's refusal reaches OVS, which falls back to the kernel datapath
    Given hw-offload is enabled
    And tc-policy skip_sw
    And the driver refuses flows on enp8s0f0_0
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"
    And ovs-appctl vlog/set "netlink_socket:file:dbg"
    When a flow is put
    Then the flow is in the OVS kernel datapath
    And no tc filter exists
    And the ovs-vswitchd log contains "failed to offload flow: Operation not supported: enp8s0f0_0"
    And the ovs-vswitchd log contains "received NAK error=95 - TC offload is disabled on net device"
