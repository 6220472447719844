Feature: VXLAN encap offload waits for the neighbour
  A filter on a VF representor with tunnel_key set and a redirect to the
  vxlan device is an encap rule: mlx5e_attach_encap looks up the route to
  the remote endpoint and its neighbour, builds the outer headers, and asks
  the firmware for a packet reformat context. With no valid neighbour the
  driver still accepts the filter (in_hw) but installs it on the slow path;
  the netevent for the neighbour moves it to the encap rule.

  Background:
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      ip addr add 10.0.0.1/24 dev enp8s0f0
      tc qdisc add dev enp8s0f0_0 ingress
      """

  Scenario: With a resolved neighbour the encap rule is installed at once
    When I run:
      """
      ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud permanent
      """
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip flower action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789"
    Then it succeeds
    And 1 FTE is created
    And the trace passes through mlx5_cmd_packet_reformat_alloc
    And the trace does not pass through mlx5e_tc_offload_to_slow_path
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "in_hw in_hw_count 1"

  Scenario: Without a neighbour the flow is in hardware on the slow path, then moves to the encap rule
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip flower action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789"
    Then it succeeds
    And the trace passes through mlx5e_tc_offload_to_slow_path
    And the trace does not pass through mlx5_cmd_packet_reformat_alloc
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "in_hw in_hw_count 1"
    When I run "ip neigh replace 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud reachable"
    Then it succeeds
    And the trace passes through, in order:
      | hop                               |
      | mlx5e_rep_netevent_event          |
      | mlx5e_rep_update_flows            |
      | mlx5e_tc_encap_flows_add          |
      | mlx5_cmd_packet_reformat_alloc    |
      | mlx5e_tc_unoffload_from_slow_path |
    And 1 FTE is created

  Scenario: Without a route to the remote endpoint the filter stays in software
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip flower action tunnel_key set src_ip 10.0.0.1 dst_ip 192.168.7.2 id 42 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789"
    Then it succeeds
    And no FTE is created
    And ip_route_output_key returned -ENETUNREACH
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "not_in_hw"

  Scenario: A destination port the NIC does not parse as VXLAN is refused
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip flower skip_sw action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 8472 action mirred egress redirect dev vxlan_sys_4789"
    Then it fails with "Error: mlx5_core: vxlan udp dport was not registered with the HW."
    And no FTE is created

  Scenario: Routes and neighbours are set with ip
    When I run "ip route add 192.168.7.0/24 via 10.0.0.254"
    Then it succeeds
    When I run "ip route add 172.16.0.0/16 via 10.9.9.9"
    Then it fails with "Error: Nexthop has invalid gateway."
    When I run "ip neigh add 10.0.0.254 lladdr 0c:42:a1:00:00:fe dev enp8s0f0"
    Then it succeeds
    When I run "ip neigh add 10.0.0.254 lladdr 0c:42:a1:00:00:fe dev enp8s0f0"
    Then it fails with "RTNETLINK answers: File exists"
