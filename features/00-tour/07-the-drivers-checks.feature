Feature: Tour 7 — mlx5 checks whether the hardware can do it
  The callback passes the filter, as a flow_rule (match keys plus a list of
  actions), to mlx5e_configure_flower. In switchdev mode the flow belongs to
  the eswitch's FDB (mlx5e_add_fdb_flow). parse_cls_flower translates each
  match key into the device's match format and refuses keys the hardware
  cannot match; parse_tc_fdb_actions does the same for actions (a redirect
  to another representor becomes a forward to that vport). Every refusal
  carries a message for the user — but the kernel only passes it back when
  the filter was skip_sw (or tc was run with verbose).

  Scenario: An accepted flow goes through match and action parsing
    Given hw-offload is enabled
    When a flow is put
    Then the trace passes through, in order:
      | hop                    | file                                                |
      | mlx5e_configure_flower | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c     |
      | mlx5e_tc_add_flow      | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c     |
      | mlx5e_add_fdb_flow     | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c     |
      | parse_cls_flower       | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c     |
      | parse_tc_fdb_actions   | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c     |
      | tc_act_parse_mirred    | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mirred.c |
      | mlx5e_tc_add_fdb_flow  | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c     |

  Scenario: A match the hardware cannot do is refused while parsing the keys
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 3 flower skip_sw ip_proto sctp dst_port 80 action drop
      """
    Then it fails with "Error: mlx5_core: Only UDP and TCP transports are supported for L4 matching."
    And the trace stops in parse_cls_flower
    And the trace does not pass through parse_tc_fdb_actions
    And no FTE is created
