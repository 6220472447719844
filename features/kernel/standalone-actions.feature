Feature: Standalone actions: tc actions add, get, list, replace, delete and flush
  An action can live on its own in the per-kind index table
  (RTM_NEWACTION → tc_ctl_action → tcf_action_add, with no filter and so no
  binding) and filters then refer to it by index ("action police index 1"),
  binding to it: every filter adds a reference and a binding. The action API
  may delete or flush only what no filter binds (tcf_idr_delete_index and
  tcf_del_walker answer -EPERM). tc 6.1 sends one RTM_GETACTION or
  RTM_DELACTION per command and prints table dumps with entries numbered from
  0, a single get reply from 1. mlx5 keys its flow meters by police index,
  so filters sharing a police share one meter.

  Background:
    Given I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 1"

  Scenario: a standalone police is listed with its references, entries numbered from 0
    When I run "tc actions list action police"
    Then it succeeds
    And the output contains "total acts 1"
    And the output contains "	action order 0:  police 0x1 rate 1Mbit burst 10Kb mtu 2Kb action drop/pipe overhead 0b "
    And the output contains "	ref 1 bind 0 "
    And the trace passes through, in order:
      | hop                 | file                    |
      | tc_act_list_or_flush | tc/m_action.c          |
      | tc_dump_action      | net/sched/act_api.c     |

  Scenario: get answers one action, numbered from 1 and without a total
    When I run "tc actions get action police index 1"
    Then it succeeds
    And the output contains "total acts 0"
    And the output contains "action order 1:  police 0x1 rate 1Mbit"
    And the trace passes through, in order:
      | hop              | file                |
      | tc_ctl_action    | net/sched/act_api.c |
      | tca_action_gd    | net/sched/act_api.c |
      | tcf_action_get_1 | net/sched/act_api.c |

  Scenario: get of an index that does not exist; tc then stumbles on the word "action"
    When I run "tc actions get action police index 9"
    Then it fails with "Error: TC action with specified index not found."
    And it fails with "Command \"action\" is unknown, try \"tc actions help\"."
    And tcf_action_get_1 returned -ENOENT

  Scenario: add of an existing index is -EEXIST; replace updates it in place
    When I run "tc actions add action police rate 2mbit burst 10k index 1"
    Then it fails with "RTNETLINK answers: File exists"
    And tcf_police_init returned -EEXIST
    When I run "tc actions replace action police rate 2mbit burst 10k conform-exceed drop/pipe index 1"
    Then it succeeds
    When I run "tc actions ls action police"
    Then the output contains "police 0x1 rate 2Mbit burst 10Kb"
    And the output contains "total acts 1"

  Scenario: two filters share police index 1, and mlx5 shares its meter
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police index 1 action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower dst_ip 10.0.0.2 action police index 1 action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace passes through mlx5e_tc_meter_get
    And the trace does not pass through mlx5e_flow_meter_create_aso_obj
    And 2 FTEs are created
    When I run "tc actions ls action police"
    Then the output contains "ref 3 bind 2"

  Scenario: tc -s actions shows the counters the filters' hardware stats brought in
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police index 1 action mirred egress redirect dev enp8s0f0_1
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower dst_ip 10.0.0.2 action police index 1 action mirred egress redirect dev enp8s0f0_1
      sleep 2
      emulate traffic 10 packets 1500 bytes
      sleep 1
      tc -s filter show dev enp8s0f0_0 ingress
      tc -s actions ls action police
      """
    Then it succeeds
    And the output contains "Sent 3000 bytes 20 pkt (dropped 0, overlimits 0 requeues 0)"
    And the output contains "Sent hardware 3000 bytes 20 pkt"

  Scenario: the action API may not delete an action a filter still binds
    Given I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police index 1 action mirred egress redirect dev enp8s0f0_1"
    When I run "tc actions delete action police index 1"
    Then it fails with "Error: Failed to delete TC action."
    And tcf_idr_delete_index returned -EPERM
    When I run "tc actions flush action police"
    Then it fails with "RTNETLINK answers: Operation not permitted"
    And it fails with "We have an error flushing"
    When I run "tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower"
    And I run "tc actions delete action police index 1"
    Then it succeeds
    When I run "tc actions ls action police"
    Then the output has 0 lines

  Scenario: a skip_sw filter may not bind a standalone action made without skip_sw
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action police index 1 action mirred egress redirect dev enp8s0f0_1"
    Then it fails with "Error: Mismatch between action and filter offload flags."
    And tcf_action_init returned -EINVAL

  Scenario: flush deletes every unbound action of the kind
    Given I run "tc actions add action police rate 2mbit burst 10k conform-exceed drop/pipe index 2"
    When I run "tc actions flush action police"
    Then it succeeds
    And the trace passes through tca_action_flush
    When I run "tc actions ls action police"
    Then the output has 0 lines

  Scenario: a flush that meets a bound action keeps it and says so
    Given I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police rate 1mbit burst 10k conform-exceed drop/pipe index 2 action mirred egress redirect dev enp8s0f0_1"
    When I run "tc actions flush action police"
    Then it succeeds with "Warning: Unable to flush all TC actions."
    When I run "tc actions ls action police"
    Then the output contains "police 0x2"
    And the output does not contain "police 0x1"
    And the output contains "ref 1 bind 1"

  Scenario: an unprivileged tc may list actions but not delete them
    When I run "emulate user nobody tc actions delete action police index 1"
    Then it fails with "RTNETLINK answers: Operation not permitted"
    And rtnetlink_rcv_msg returned -EPERM
    When I run "emulate user nobody tc actions ls action police"
    Then it succeeds
    And the output contains "police 0x1"

  Scenario: a standalone police is offered to mlx5 with TC_SETUP_ACT and holds a meter
    When I run "tc actions ls action police"
    Then the output contains "in_hw in_hw_count 1"
    And the output contains "used_hw_stats delayed"
    When I run "tc actions delete action police index 1"
    Then it succeeds
    And the trace passes through, in order:
      | hop                        | file                                                        |
      | tcf_action_offload_del     | net/sched/act_api.c                                         |
      | flow_indr_dev_setup_offload | net/core/flow_offload.c                                    |
      | mlx5e_rep_indr_destroy_act | drivers/net/ethernet/mellanox/mlx5/core/en/rep/tc.c         |
      | tc_act_police_destroy      | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/police.c  |
      | mlx5e_flow_meter_destroy_aso_obj | drivers/net/ethernet/mellanox/mlx5/core/en/tc/meter.c |

  Scenario: a filter bound to the offloaded police reuses its meter; delete after the filter frees it
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police index 1 action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace does not pass through mlx5e_flow_meter_create_aso_obj
    When I run "tc filter del dev enp8s0f0_0 ingress prio 1"
    And I run "tc actions delete action police index 1"
    Then it succeeds
    And the trace passes through, in order:
      | hop                              | file                                                   |
      | tc_act_police_destroy            | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/police.c |
      | mlx5e_flow_meter_destroy_aso_obj | drivers/net/ethernet/mellanox/mlx5/core/en/tc/meter.c  |

  Scenario: mlx5 offloads only police on its own: a standalone gact stays in software
    When I run "tc actions add action gact pass index 5"
    Then it succeeds
    When I run "tc actions ls action gact"
    Then the output contains "not_in_hw"

  Scenario: a skip_sw standalone action no driver takes is refused
    When I run "tc actions add action gact drop skip_sw index 6"
    Then it fails with "RTNETLINK answers: Invalid argument"
    And tcf_action_offload_add returned -EINVAL
