Feature: Tour 9 — the whole put path, from the upcall to the flow table entry
  A packet misses in the OVS kernel datapath. The datapath sends an upcall to
  an ovs-vswitchd handler thread, which translates it into a datapath flow and
  puts it through dpif. With hw-offload on, dpif-netlink first offers the flow
  to the TC provider, which turns it into a flower filter and sends it to the
  kernel as an RTM_NEWTFILTER netlink message. cls_flower stores the filter and
  offers it to every driver callback bound to the port's ingress block; mlx5
  translates it into a flow steering rule, and fs_core writes a flow table
  entry (FTE) with a SET_FLOW_TABLE_ENTRY firmware command.

  Background:
    Given hw-offload is enabled

  Scenario: An upcall on a VF representor ends as an FTE in the eswitch's FDB
    When a flow is put
    Then the flow is in tc software and NIC hardware
    And 1 FTE is created
    And the tc filter is "in_hw in_hw_count 1"
    And the trace passes through, in order:
      | hop                             | file                                                       |
      | udpif_upcall_handler            | ofproto/ofproto-dpif-upcall.c                              |
      | recv_upcalls                    | ofproto/ofproto-dpif-upcall.c                              |
      | handle_upcalls                  | ofproto/ofproto-dpif-upcall.c                              |
      | dpif_operate                    | lib/dpif.c                                                 |
      | dpif_netlink_operate            | lib/dpif-netlink.c                                         |
      | try_send_to_netdev              | lib/dpif-netlink.c                                         |
      | parse_flow_put                  | lib/dpif-netlink.c                                         |
      | netdev_flow_put                 | lib/netdev-offload.c                                       |
      | netdev_tc_flow_put              | lib/netdev-offload-tc.c                                    |
      | tc_replace_flower               | lib/tc.c                                                   |
      | tc_transact                     | lib/tc.c                                                   |
      | nl_transact                     | lib/netlink-socket.c                                       |
      | netlink_sendmsg                 | net/netlink/af_netlink.c                                   |
      | rtnetlink_rcv_msg               | net/core/rtnetlink.c                                       |
      | tc_new_tfilter                  | net/sched/cls_api.c                                        |
      | fl_change                       | net/sched/cls_flower.c                                     |
      | fl_hw_replace_filter            | net/sched/cls_flower.c                                     |
      | tc_setup_cb_add                 | net/sched/cls_api.c                                        |
      | __tc_setup_cb_call              | net/sched/cls_api.c                                        |
      | mlx5e_rep_setup_tc_cb           | drivers/net/ethernet/mellanox/mlx5/core/en/rep/tc.c        |
      | mlx5e_configure_flower          | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c            |
      | mlx5e_tc_add_flow               | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c            |
      | mlx5e_add_fdb_flow              | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c            |
      | parse_cls_flower                | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c            |
      | parse_tc_fdb_actions            | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c            |
      | mlx5e_tc_add_fdb_flow           | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c            |
      | mlx5_eswitch_add_offloaded_rule | drivers/net/ethernet/mellanox/mlx5/core/eswitch_offloads.c |
      | mlx5_add_flow_rules             | drivers/net/ethernet/mellanox/mlx5/core/fs_core.c          |
      | mlx5_cmd_create_fte             | drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c           |
      | mlx5_cmd_exec                   | drivers/net/ethernet/mellanox/mlx5/core/cmd.c              |
      | SET_FLOW_TABLE_ENTRY            |                                                            |
    And the trace ends in SET_FLOW_TABLE_ENTRY

  Scenario: ovs-appctl dpctl/add-flow enters the same chain at dpif_operate
    When ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,frag=no),tcp(dst=80)" "1"
    Then 1 FTE is created
    And the trace passes through, in order:
      | hop                 |
      | dpctl_add_flow      |
      | dpctl_put_flow      |
      | dpctl_put_flow_dpif |
      | dpif_flow_put       |
      | dpif_operate        |
      | netdev_tc_flow_put  |
      | tc_new_tfilter      |
      | mlx5_cmd_create_fte |
