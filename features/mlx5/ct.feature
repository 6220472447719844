Feature: mlx5 offloads conntrack (ct) actions and ct_state matches
  A ConnectX-6 Dx in switchdev has CT tables (core/en/tc_ct.c). The first
  rule that uses ct builds them: the post-action table
  (en/tc/post_act.c mlx5e_tc_post_act_init) and the ct and ct_nat tables
  (mlx5_tc_ct_init), all chains global tables. A rule with a ct action is
  split after the ct (parse_tc_actions, is_multi_table_act): the first part
  writes the zone and an action-miss id into registers and jumps to the ct
  table (chain 0) or to its zone's pre_ct table (other chains); the rest of
  the actions wait in the post-action table behind an fte_id in reg_c_5
  (alloc_flow_post_acts). ct_state, ct_zone, ct_mark and ct_label matches
  become register matches (mlx5_tc_ct_match_add). Each zone gets pre_ct and
  pre_ct_nat tables with its first rule and loses them with its last.
  Not modelled: the conntrack entries the kernel offloads into the ct tables
  (nf_flowtable callbacks), so no packet is ever "established" in hardware here.

  Background:
    Given the driver accepts flows on enp8s0f0_0
    And I run "tc qdisc add dev enp8s0f0_0 ingress"

  Scenario: ct then goto: the rule is split into a ct-table jump and a post-action rule
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 0 flower skip_sw dst_ip 10.0.0.1 action ct zone 5 action goto chain 1"
    Then it succeeds
    And the tc filter is "skip_sw in_hw in_hw_count 1"
    And the trace passes through, in order:
      | hop                           | file                                                        |
      | mlx5e_tc_post_act_init        | drivers/net/ethernet/mellanox/mlx5/core/en/tc/post_act.c    |
      | mlx5_tc_ct_init               | drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.c          |
      | tc_act_parse_ct               | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/ct.c      |
      | tc_act_post_parse_ct          | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/ct.c      |
      | mlx5_tc_ct_add_ft_cb          | drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.c          |
      | mlx5_tc_ct_alloc_pre_ct       | drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.c          |
      | alloc_flow_post_acts          | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c             |
      | mlx5e_tc_post_act_add         | drivers/net/ethernet/mellanox/mlx5/core/en/tc/post_act.c    |
      | mlx5e_tc_post_act_offload     | drivers/net/ethernet/mellanox/mlx5/core/en/tc/post_act.c    |
      | SET_FLOW_TABLE_ENTRY          |                                                             |
      | mlx5e_tc_add_fdb_flow         | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c             |
      | ALLOC_MODIFY_HEADER_CONTEXT   |                                                             |
      | SET_FLOW_TABLE_ENTRY          |                                                             |
    And the mlx5 driver holds 3 CT tables
    And the mlx5 CT zones are "5"

  Scenario: ct_state +trk+est on chain 1 is a register match
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 0 flower skip_sw dst_ip 10.0.0.1 action ct zone 5 action goto chain 1
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 1 flower skip_sw ct_state +trk+est ct_zone 5 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through mlx5_tc_ct_match_add
    And the trace does not pass through mlx5e_tc_post_act_add
    When I run "tc filter show dev enp8s0f0_0 ingress chain 1"
    Then the output contains "ct_state +trk+est"
    And the output contains "in_hw in_hw_count 1"

  Scenario: ct with nat in chain 1 jumps to the zone's pre_ct_nat table; rules of a zone share its tables
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 1 handle 1 flower skip_sw dst_ip 10.0.0.1 action ct zone 7 nat action goto chain 2
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 1 handle 2 flower skip_sw dst_ip 10.0.0.2 action ct commit zone 7 nat src addr 192.168.0.1 port 1000-2000 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace does not pass through mlx5_tc_ct_alloc_pre_ct
    And the mlx5 CT zones are "7"

  Scenario: ct clear alone zeroes the CT registers in the rule itself
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action ct clear action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace passes through ALLOC_MODIFY_HEADER_CONTEXT
    And the trace does not pass through mlx5_tc_ct_add_ft_cb
    And the trace does not pass through mlx5e_tc_post_act_add
    And 1 FTE is created
    And the mlx5 CT zones are "none"

  Scenario Outline: <what> is refused: "<extack>"
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 1 flower skip_sw <match> <actions>"
    Then it fails with "Error: mlx5_core: <extack>."
    And no FTE is created
    And the mlx5 CT zones are "none"

    Examples:
      | what           | match                | actions                                                                  | extack                                       |
      | ct_state +new  | ct_state +trk+new    | action mirred egress redirect dev enp8s0f0_1                             | matching on ct_state +new isn't supported    |
      | ct_state +rel  | ct_state +trk+rel    | action mirred egress redirect dev enp8s0f0_1                             | matching on ct_state +rel isn't supported    |
      | ct_state +inv  | ct_state +trk+inv    | action mirred egress redirect dev enp8s0f0_1                             | matching on ct_state +inv isn't supported    |
      | a second ct    | dst_ip 10.0.0.1      | action ct zone 1 action ct zone 2 action mirred egress redirect dev enp8s0f0_1 | Multiple CT actions are not supported |

  Scenario: Deleting the rules frees zones, pre_ct tables, rewrites and ids; the CT tables go with switchdev
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 0 handle 1 flower skip_sw dst_ip 10.0.0.1 action ct zone 5 nat action goto chain 1
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 chain 0 handle 2 flower skip_sw dst_ip 10.0.0.2 action ct zone 6 action mirred egress redirect dev enp8s0f0_1
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 chain 1 handle 3 flower skip_sw ct_state +trk+est ct_mark 7 ct_label 1 action ct commit zone 5 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the mlx5 CT zones are "5, 6"
    When I run:
      """
      tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 chain 0 handle 1 flower
      tc filter del dev enp8s0f0_0 ingress protocol ip prio 2 chain 0 handle 2 flower
      tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 chain 1 handle 3 flower
      """
    Then it succeeds
    And the trace passes through mlx5_tc_ct_free_pre_ct
    And the trace passes through DEALLOC_MODIFY_HEADER_CONTEXT
    And no FTE is created
    And the mlx5 CT zones are "none"
    And no mlx5 CT id is mapped
    And the mlx5 driver holds 3 CT tables
    When I run "devlink dev eswitch set pci/0000:08:00.0 mode legacy"
    Then it succeeds
    And the trace passes through mlx5_tc_ct_clean
    And the mlx5 driver holds 0 CT tables

  Scenario: A sample after a ct is refused: no sampling of conntrack flows
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.3 action ct zone 1 pipe action sample rate 100 group 5 action goto chain 1"
    Then it fails with "Error: mlx5_core: Sample action with connection tracking is not supported."
    And the trace passes through tc_act_can_offload_sample
    And no FTE is created
