Feature: Steering backends — dmfs writes FTEs with firmware commands, smfs writes STEs
  fs_core keeps one backend per root namespace (root->cmds). With dmfs
  (core/fs_cmd.c) every table, group and rule is a firmware command:
  CREATE_FLOW_TABLE, CREATE_FLOW_GROUP, SET_FLOW_TABLE_ENTRY. With smfs
  (core/steering/sws/fs_dr.c) the FDB tables are sw-owned: the firmware
  only creates the table (CREATE_FLOW_TABLE sw_owner=1); a group becomes a
  matcher and a rule becomes steering table entries (STEs) the driver
  writes into the device's ICM through its send ring. Counters stay
  firmware objects. The devlink parameter flow_steering_mode picks the
  backend; the FDB takes it when the eswitch enters switchdev, so it can
  only change outside switchdev. NIC (legacy) tables always use firmware
  commands.

  Scenario: dmfs: the rule is a firmware FTE
    Given a NIC with flow_steering_mode dmfs
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.2 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                       | file                                                   |
      | mlx5_add_flow_rules       | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c      |
      | mlx5_cmd_create_flow_group | drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c      |
      | CREATE_FLOW_GROUP         |                                                        |
      | mlx5_cmd_create_fte       | drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c       |
      | SET_FLOW_TABLE_ENTRY      |                                                        |
    And the trace does not pass through mlx5dr_rule_create
    And 1 FTE is created
    And the steering ICM holds 0 rule STEs

  Scenario: smfs: the same rule is written as STEs, with no SET_FLOW_TABLE_ENTRY
    Given a NIC with flow_steering_mode smfs
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.2 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                           | file                                                                  |
      | ALLOC_FLOW_COUNTER            |                                                                       |
      | mlx5_add_flow_rules           | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c                     |
      | mlx5_cmd_dr_create_flow_group | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c          |
      | mlx5dr_matcher_create         | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_matcher.c     |
      | mlx5_cmd_dr_create_fte        | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c          |
      | mlx5dr_rule_create            | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c        |
      | dr_rule_create_rule_nic       | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c        |
      | mlx5dr_matcher_add_to_tbl_nic | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_matcher.c     |
      | mlx5dr_send_postsend_ste      | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_send.c        |
    And the trace does not pass through mlx5_cmd_set_fte
    And the trace does not pass through mlx5_cmd_create_flow_group
    And the firmware never ran SET_FLOW_TABLE_ENTRY
    And the firmware never ran CREATE_FLOW_GROUP
    And 1 FTE is created
    And the steering ICM holds 3 rule STEs

  Scenario: Without flow_steering_mode in the topology, the driver picks smfs when the device can
    Given the topology "features/mlx5/steering-default.yaml"
    When I run "devlink dev param show pci/0000:08:00.0 name flow_steering_mode"
    Then the output contains "cmode runtime value smfs"

  Scenario: Without the sw_owner caps the default is dmfs
    Given the topology "features/mlx5/steering-default.yaml"
    And a NIC without sw_owner
    When I run "devlink dev param show pci/0000:08:00.0 name flow_steering_mode"
    Then the output contains "cmode runtime value dmfs"

  Scenario: The mode is set outside switchdev and taken when the FDB is built
    Given a NIC with flow_steering_mode dmfs
    When I run "devlink dev param set pci/0000:08:00.0 name flow_steering_mode value smfs cmode runtime"
    Then it fails with "Error: mlx5_core: Changing fs mode is not supported when eswitch offloads enabled."
    When I run:
      """
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      devlink dev param set pci/0000:08:00.0 name flow_steering_mode value smfs cmode runtime
      devlink dev eswitch set pci/0000:08:00.0 mode switchdev
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                           | file                                                                |
      | mlx5_flow_namespace_set_mode  | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c                   |
      | mlx5_cmd_dr_create_ns         | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c        |
      | mlx5dr_domain_create          | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_domain.c    |
      | mlx5_cmd_dr_create_flow_table | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c        |
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.2 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through mlx5dr_rule_create
    And the steering ICM holds 3 rule STEs

  Scenario: Back to dmfs: leaving switchdev returns the FDB to firmware commands
    Given a NIC with flow_steering_mode smfs
    When I run:
      """
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      devlink dev param set pci/0000:08:00.0 name flow_steering_mode value dmfs cmode runtime
      devlink dev eswitch set pci/0000:08:00.0 mode switchdev
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.2 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through mlx5_cmd_set_fte
    And the trace does not pass through mlx5dr_rule_create
    And 1 FTE is created
    And the steering ICM holds 0 rule STEs

  Scenario: Deleting the rule frees its STEs, its matcher and nothing reaches DELETE_FLOW_TABLE_ENTRY
    Given a NIC with flow_steering_mode smfs
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.2 action mirred egress redirect dev enp8s0f0_1
      tc filter del dev enp8s0f0_0 ingress prio 1
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                                | file                                                              |
      | mlx5_del_flow_rules                | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c                 |
      | mlx5_cmd_dr_delete_fte             | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c      |
      | mlx5dr_rule_destroy                | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c    |
      | mlx5dr_matcher_remove_from_tbl_nic | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_matcher.c |
      | mlx5_cmd_dr_destroy_flow_group     | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c      |
      | mlx5dr_matcher_destroy             | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_matcher.c |
      | DEALLOC_FLOW_COUNTER               |                                                                   |
    And the trace does not pass through mlx5_cmd_delete_fte
    And no FTE is created
    And the steering ICM holds 0 rule STEs
    And the firmware never ran DELETE_FLOW_TABLE_ENTRY

  Scenario: NIC (legacy) TC tables stay on firmware commands under smfs
    Given a NIC in legacy mode
    And a NIC with flow_steering_mode smfs
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the trace passes through mlx5_cmd_set_fte
    And 1 FTE is created

  Scenario: A header rewrite under smfs is written into action ICM, not a firmware context
    Given a NIC with flow_steering_mode smfs
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                                 | file                                                              |
      | mlx5_cmd_dr_modify_header_alloc     | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c      |
      | mlx5dr_action_create_modify_header  | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_action.c  |
      | mlx5dr_send_postsend_action         | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_send.c    |
      | mlx5dr_rule_create                  | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c    |
    And the firmware never ran ALLOC_MODIFY_HEADER_CONTEXT
    And 1 FTE is created

  Scenario: smfs tables take nothing from the flow table pools
    Given a NIC with flow_steering_mode smfs
    And the device has only 128-entry flow tables left
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 7 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the trace passes through mlx5dr_table_create
    And the trace does not pass through mlx5_ft_pool_get_avail_sz

  Scenario: When steering ICM runs out, the rule fails with -EINVAL and the driver logs why
    Given a NIC with flow_steering_mode smfs
    And a NIC with log_steering_sw_icm_size 12
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle $i flower skip_sw dst_ip 10.0.0.$i action drop" for $i from 1 to 40
    Then it fails with "RTNETLINK answers: Invalid argument"
    And the trace passes through, in order:
      | hop                      | file                                                             |
      | mlx5dr_rule_create       | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c   |
      | dr_rule_create_rule_nic  | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c   |
      | mlx5dr_icm_alloc_chunk   | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_icm_pool.c |
    And dmesg contains "dr_icm_pool_mr_create:153:(pid 1): Failed to allocate SW ICM memory, err (-12)"
    And dmesg contains "dr_rule_create_rule_nic:1197:(pid 1): Failed creating next branch"
    And dmesg contains "mlx5_cmd_dr_create_fte:630:(pid 1): Failed to create dr rule err(-22)"
    And 13 FTEs are created

  Scenario: A mirror under smfs: the STEs forward to a firmware multi-destination table
    The rule is one FTE as fs_core sees it; its multi-destination table and
    that table's forwarding entry belong to the rule's action.
    Given a NIC with flow_steering_mode smfs
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action mirred egress mirror dev enp8s0f0 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                                | file                                                             |
      | mlx5_cmd_dr_create_fte             | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c     |
      | mlx5dr_action_create_mult_dest_tbl | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_action.c |
      | mlx5dr_fw_create_md_tbl            | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_fw.c     |
      | CREATE_FLOW_TABLE                  |                                                                  |
      | CREATE_FLOW_GROUP                  |                                                                  |
      | SET_FLOW_TABLE_ENTRY               |                                                                  |
      | mlx5dr_rule_create                 | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c   |
    And 1 FTE is created
    When I run "tc filter del dev enp8s0f0_0 ingress prio 1"
    Then it succeeds
    And the trace passes through, in order:
      | hop                      | file                                                           |
      | mlx5dr_rule_destroy      | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c |
      | mlx5dr_fw_destroy_md_tbl | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_fw.c   |
      | DELETE_FLOW_TABLE_ENTRY  |                                                                |
      | DESTROY_FLOW_GROUP       |                                                                |
      | DESTROY_FLOW_TABLE       |                                                                |
    And no FTE is created
    And the steering ICM holds 0 rule STEs

  Scenario: A VXLAN encap under smfs: the header is still a firmware context, owned by software steering
    Given a NIC with flow_steering_mode smfs
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud permanent
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip flower action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                                | file                                                             |
      | mlx5_packet_reformat_alloc         | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c                |
      | mlx5_cmd_dr_packet_reformat_alloc  | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c     |
      | mlx5dr_cmd_create_reformat_ctx     | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_cmd.c    |
      | ALLOC_PACKET_REFORMAT_CONTEXT      |                                                                  |
      | mlx5dr_rule_create                 | drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_rule.c   |
    And the trace does not pass through mlx5_cmd_packet_reformat_alloc
    And 1 FTE is created

  Scenario: Under smfs a refused CREATE_FLOW_TABLE makes the table -EINVAL, whatever the firmware's status
    Given a NIC with flow_steering_mode smfs
    And the firmware fails the next CREATE_FLOW_TABLE with status 0x8 and syndrome 0x55aa
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 7 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it fails with "Invalid argument"
    And dmesg contains "CREATE_FLOW_TABLE(0x930) op_mod(0x0) failed, status limits exceeded(0x8), syndrome (0x55aa), err(-12)"
    And dmesg contains "mlx5_cmd_dr_create_flow_table:78:(pid 1): Failed creating dr flow_table"
    And no FTE is created
