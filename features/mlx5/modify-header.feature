Feature: mlx5 header rewrites share modify-header contexts
  A pedit (or a VLAN id rewrite) becomes modify-header actions
  (offload_pedit_fields, en_tc.c). The driver asks the firmware for a
  modify-header context with ALLOC_MODIFY_HEADER_CONTEXT (fs_cmd.c
  mlx5_cmd_modify_header_alloc) and the FTE applies it by id. Contexts are
  shared by content (en/mod_hdr.c mlx5e_mod_hdr_attach): a second rule with
  the same rewrites reuses the first one's context, and the context is freed
  with DEALLOC_MODIFY_HEADER_CONTEXT only when its last rule goes.

  Background:
    Given the driver accepts flows on enp8s0f0_0
    And I run "tc qdisc add dev enp8s0f0_0 ingress"

  Scenario: A TTL rewrite on a VF representor is offloaded with a modify-header context
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace passes through, in order:
      | hop                          | file                                                  |
      | offload_pedit_fields         | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c       |
      | mlx5e_mod_hdr_attach         | drivers/net/ethernet/mellanox/mlx5/core/en/mod_hdr.c  |
      | mlx5_modify_header_alloc     | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c     |
      | mlx5_cmd_modify_header_alloc | drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c      |
      | ALLOC_MODIFY_HEADER_CONTEXT  |                                                       |
      | SET_FLOW_TABLE_ENTRY         |                                                       |
    And 1 FTE is created
    And the tc filter is "skip_sw in_hw in_hw_count 1"

  Scenario: Two rules with the same rewrite share one context; the last delete frees it
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.1 action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0_1"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower skip_sw dst_ip 10.0.0.2 action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace passes through mlx5e_mod_hdr_attach
    And the trace does not pass through mlx5_cmd_modify_header_alloc
    And 2 FTEs are created
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower"
    Then the trace passes through mlx5e_mod_hdr_detach
    And the trace does not pass through mlx5_cmd_modify_header_dealloc
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower"
    Then the trace passes through, in order:
      | hop                           | file                                                 |
      | DELETE_FLOW_TABLE_ENTRY       |                                                      |
      | mlx5e_mod_hdr_detach          | drivers/net/ethernet/mellanox/mlx5/core/en/mod_hdr.c |
      | DEALLOC_MODIFY_HEADER_CONTEXT |                                                      |
    And no FTE is created

  Scenario: Different rewrites get their own contexts
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.1 action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0_1"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower skip_sw dst_ip 10.0.0.2 action pedit ex munge ip ttl set 20 pipe action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace passes through ALLOC_MODIFY_HEADER_CONTEXT

  Scenario: A firmware failure of the context allocation leaves the filter in software
    Given the firmware fails the next ALLOC_MODIFY_HEADER_CONTEXT with status 0x3 and syndrome 0x1f0017
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action pedit ex munge ip ttl set 10 pipe action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the tc filter is "not_in_hw"
    And no FTE is created
    And dmesg contains "ALLOC_MODIFY_HEADER_CONTEXT(0x940) op_mod(0x0) failed, status bad parameter(0x3)"

  Scenario: A VLAN id rewrite is a modify-header context too
    When I run "tc filter add dev enp8s0f0_0 ingress protocol 802.1q prio 1 flower skip_sw vlan_id 3 action vlan modify id 5 pipe action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace passes through mlx5e_tc_act_vlan_add_rewrite_action
    And the trace passes through ALLOC_MODIFY_HEADER_CONTEXT
    And 1 FTE is created
