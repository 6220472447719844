Feature: Tunnel rules on chains and tunnel endpoints the emulated mlx5 does not map
  Upstream mlx5 carries a tunnel's identity across chains in a register
  (tunnel mapping through reg_c1 loopback) and restores the chain of a
  slow-path flow with a modify header. Neither mapping is emulated: a
  tunnel match that needs one gets upstream's refusal for an eswitch
  without register loopback, and a slow-path flow on a chain is installed
  as on a device that cannot modify and forward to a table.

  Background:
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      """

  Scenario Outline: A decap match that needs tunnel mapping stays in software: <what>
    When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip <where> flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 <actions>"
    Then it succeeds
    And no FTE is created
    And parse_tunnel_attr returned -EOPNOTSUPP
    When I run "dmesg"
    Then the output contains "Chains on tunnel devices isn't supported without register loopback support"
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "not_in_hw"

    Examples:
      | what                        | where   | actions                                                              |
      | a rule on chain 1           | chain 1 | action tunnel_key unset action mirred egress redirect dev enp8s0f0_0 |
      | a chain 0 rule that goes on | chain 0 | action goto chain 1                                                  |

  Scenario: A decap route through a VF representor is not a tunnel endpoint the uplink serves
    get_route_and_out_devs only accepts the uplink representor as the
    egress towards the remote endpoint, so the decap rule stays in software.
    When I run "ip addr add 10.1.0.1/24 dev enp8s0f0_1"
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip flower enc_dst_ip 10.1.0.1 enc_src_ip 10.1.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it succeeds
    And no FTE is created
    And mlx5e_route_lookup_ipv4_get returned -EOPNOTSUPP
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "not_in_hw"

  Scenario: An encap flow on chain 1 without a neighbour waits on the slow path
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip chain 1 flower action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789"
    Then it succeeds
    And the trace passes through mlx5e_tc_offload_to_slow_path
    And the trace does not pass through mlx5_cmd_packet_reformat_alloc
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "in_hw in_hw_count 1"
