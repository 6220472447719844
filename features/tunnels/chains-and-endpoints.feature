Feature: Tunnel endpoints the emulated mlx5 does not serve, and slow-path flows on chains
  Upstream mlx5 restores the chain of a slow-path flow with a modify
  header; that restore is not emulated, so a slow-path flow on a chain is
  installed as on a device that cannot modify and forward to a table.
  Tunnel rules that cross chains (the tunnel id in reg_c_1) are specified
  in tunnel-mapping.feature.

  Background:
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      """

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
