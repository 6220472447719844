Feature: mlx5 police, sample and conntrack actions
  police becomes a flow meter (en/tc/act/police.c): its verdicts and rate
  parameters are checked first, then the meter is found by the police
  index, or allocated from a flow-meter ASO object created with
  CREATE_GENERAL_OBJECT (en/tc/meter.c), and the rule executes it
  (EXECUTE_ASO). Rules with the same police index share the meter; the ASO
  object goes with its last meter. The NIC (legacy) action table has no
  police at all.

  The sampler objects behind sample are not built by this device model —
  upstream's state when their init failed — so sample is refused at install
  (-EOPNOTSUPP, no extack). The CT tables behind ct (mlx5_tc_ct_init, see
  ct.feature) need register loopback, modify-header-and-forward in the FDB
  and ignore_flow_level (for the post-action table); without one of them
  ct_priv is NULL and ct is refused with "offload of ct action isn't
  available" / "offload of ct matching isn't available".

  Scenario: police with conform-exceed drop/pipe is offloaded with a flow meter
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action police rate 1mbit burst 10k conform-exceed drop/pipe action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                            | file                                                            |
      | tc_act_can_offload_police      | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/police.c      |
      | tc_act_parse_police            | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/police.c      |
      | mlx5e_tc_add_flow_meter        | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c                 |
      | mlx5e_tc_meter_replace         | drivers/net/ethernet/mellanox/mlx5/core/en/tc/meter.c           |
      | CREATE_GENERAL_OBJECT          |                                                                 |
      | SET_FLOW_TABLE_ENTRY           |                                                                 |
    And 1 FTE is created
    And the tc filter is "skip_sw in_hw in_hw_count 1"

  Scenario: Rules sharing a police action share its meter; the object goes with the last
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.1 action police rate 1mbit burst 10k conform-exceed drop/pipe index 7 action mirred egress redirect dev enp8s0f0_1
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower skip_sw dst_ip 10.0.0.2 action police rate 1mbit burst 10k conform-exceed drop/pipe index 7 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And the trace passes through mlx5e_tc_meter_get
    And the trace does not pass through mlx5e_flow_meter_create_aso_obj
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower"
    Then the trace does not pass through mlx5e_flow_meter_destroy_aso_obj
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 2 flower"
    Then the trace passes through, in order:
      | hop                              | file                                                  |
      | DELETE_FLOW_TABLE_ENTRY          |                                                       |
      | mlx5e_tc_meter_put               | drivers/net/ethernet/mellanox/mlx5/core/en/tc/meter.c |
      | DESTROY_GENERAL_OBJECT           |                                                       |
    And no FTE is created

  Scenario: A legacy NIC has no police in its action table
    Given a NIC in legacy mode
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action police rate 1mbit burst 10k conform-exceed drop/pipe action pass
      """
    Then it fails with "Error: mlx5_core: Not implemented offload action."
    And no FTE is created

  Scenario: sample is parsed, then refused at install: no sampler in this device model
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action sample rate 100 group 5 action mirred egress redirect dev enp8s0f0_1
      """
    Then it fails with "RTNETLINK answers: Operation not supported"
    And the trace passes through tc_act_parse_sample
    And mlx5e_tc_sample_offload returned EOPNOTSUPP
    And no FTE is created

  Scenario Outline: Without <cap> there are no CT tables: <what> is refused with "<extack>"
    Given a NIC without <cap>
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw <match> <actions>
      """
    Then it fails with "Error: mlx5_core: <extack>."
    And the trace passes through mlx5_tc_ct_init
    And the trace does not pass through mlx5_tc_ct_add_ft_cb
    And no FTE is created

    Examples:
      | cap                            | what              | match               | actions                                                               | extack                                  |
      | reg_c1_loopback                | ct                | dst_ip 10.0.0.1     | action ct zone 1 action mirred egress redirect dev enp8s0f0_1         | offload of ct action isn't available    |
      | reg_c1_loopback                | ct clear          | dst_ip 10.0.0.1     | action ct clear action mirred egress redirect dev enp8s0f0_1          | offload of ct action isn't available    |
      | reg_c1_loopback                | a ct_state match  | ct_state +trk+est   | action mirred egress redirect dev enp8s0f0_1                          | offload of ct matching isn't available  |
      | fdb_modify_header_fwd_to_table | ct                | dst_ip 10.0.0.1     | action ct zone 1 action mirred egress redirect dev enp8s0f0_1         | offload of ct action isn't available    |
      | ignore_flow_level              | ct                | dst_ip 10.0.0.1     | action ct zone 1 action mirred egress redirect dev enp8s0f0_1         | offload of ct action isn't available    |

  Scenario: A legacy NIC rewrites headers too, in its NIC RX tables
    Given a NIC in legacy mode
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action pedit ex munge ip ttl set 10 pipe action pass
      """
    Then it succeeds
    And the trace passes through ALLOC_MODIFY_HEADER_CONTEXT
    And 1 FTE is created
