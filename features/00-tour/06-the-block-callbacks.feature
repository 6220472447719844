Feature: Tour 6 — the block hands the filter to every driver bound to it
  Filters do not belong to a device directly but to a tc block, which the
  ingress qdisc creates. When the qdisc is added, the kernel asks the device's
  driver (ndo_setup_tc with TC_SETUP_BLOCK) whether it wants to see the
  block's filters; mlx5 answers by registering a callback. Offering a filter
  to hardware means calling every registered callback (tc_setup_cb_add →
  __tc_setup_cb_call); in_hw_count is the number that said yes. A VF
  representor's callback is mlx5e_rep_setup_tc_cb. With hw-tc-offload off the
  callback is still bound, but the driver declines every filter.

  Scenario: Adding the ingress qdisc binds the driver's callback to the block
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    Then it succeeds
    And the trace passes through, in order:
      | hop                        | file                                               |
      | tc_modify_qdisc            | net/sched/sch_api.c                                |
      | ingress_init               | net/sched/sch_ingress.c                            |
      | tcf_block_get_ext          | net/sched/cls_api.c                                |
      | tcf_block_offload_bind     | net/sched/cls_api.c                                |
      | flow_block_cb_setup_simple | net/core/flow_offload.c                            |

  Scenario: A filter is offered to the bound callback and counted
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                   | file                                                |
      | fl_hw_replace_filter  | net/sched/cls_flower.c                              |
      | tc_setup_cb_add       | net/sched/cls_api.c                                 |
      | __tc_setup_cb_call    | net/sched/cls_api.c                                 |
      | mlx5e_rep_setup_tc_cb | drivers/net/ethernet/mellanox/mlx5/core/en/rep/tc.c |
    And the tc filter is "in_hw in_hw_count 1"

  Scenario: With hw-tc-offload off the callback declines and the filter stays in software
    When I run:
      """
      ethtool -K enp8s0f0_0 hw-tc-offload off
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the trace passes through mlx5e_rep_setup_tc_cb
    And the tc filter is "not_in_hw"
    And no FTE is created
