Feature: A mirror before a rewrite splits an FDB rule in two
  Outputs that come before a header rewrite (or a VLAN push) must see the
  packet unmodified, so the eswitch splits the rule (split_count, set by the
  pedit/vlan/ct parse): in the chain's table a forward rule sends the packet
  to the mirror ports and to the ingress vport's mirror table
  (eswitch_offloads.c mlx5_eswitch_add_fwd_rule, esw/vporttbl.c
  mlx5_esw_vporttbl_get), where the rule proper rewrites and sends to the
  remaining outputs (mlx5_eswitch_add_offloaded_rule). This needs the
  fdb_multi_path_to_table capability (actions_match_supported_fdb).

  Scenario: mirror, rewrite, redirect: a forward rule in the chain table and the rule in the vport mirror table
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action mirred egress mirror dev enp8s0f0_1 pipe action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0
      """
    Then it succeeds
    And the tc filter is "skip_sw in_hw in_hw_count 1"
    And the trace passes through, in order:
      | hop                             | file                                                           |
      | mlx5_eswitch_add_offloaded_rule | drivers/net/ethernet/mellanox/mlx5/core/eswitch_offloads.c     |
      | mlx5_esw_vporttbl_get           | drivers/net/ethernet/mellanox/mlx5/core/esw/vporttbl.c         |
      | SET_FLOW_TABLE_ENTRY            |                                                                |
      | mlx5_eswitch_add_fwd_rule       | drivers/net/ethernet/mellanox/mlx5/core/eswitch_offloads.c     |
      | SET_FLOW_TABLE_ENTRY            |                                                                |
    And 2 FTEs are created

  Scenario: Rules from one port share its mirror table; the last delete frees it
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.1 action mirred egress mirror dev enp8s0f0_1 pipe action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower skip_sw dst_ip 10.0.0.2 action mirred egress mirror dev enp8s0f0_1 pipe action pedit ex munge ip ttl set 11 pipe action mirred egress redirect dev enp8s0f0
      """
    Then it succeeds
    And 4 FTEs are created
    When I run:
      """
      tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower
      tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                      | file                                                        |
      | mlx5_eswitch_del_fwd_rule | drivers/net/ethernet/mellanox/mlx5/core/eswitch_offloads.c |
      | mlx5_esw_vporttbl_put    | drivers/net/ethernet/mellanox/mlx5/core/esw/vporttbl.c      |
      | DESTROY_FLOW_TABLE       |                                                             |
    And no FTE is created

  Scenario: Without fdb_multi_path_to_table the split is refused
    Given a NIC without fdb_multi_path_to_table
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action mirred egress mirror dev enp8s0f0_1 pipe action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0
      """
    Then it fails with "Error: mlx5_core: current firmware doesn't support split rule for port mirroring."
    And dmesg contains "current firmware doesn't support split rule for port mirroring"
    And no FTE is created
