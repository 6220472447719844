Feature: VXLAN decap offload through the indirect block of the tunnel device
  A vxlan device has no ndo_setup_tc: when its ingress block is bound the
  kernel asks every registered indirect driver (flow_indr_dev_setup_offload).
  The mlx5 uplink representor registers one in switchdev mode and takes
  blocks of tunnel devices it can offload (mlx5e_rep_indr_setup_block).
  A decap filter then becomes one FDB rule matching the outer headers and
  VNI, with DECAP, forwarding to the VF. The kernel still counts the vxlan
  device as a non-offloading device, so skip_sw is refused on that block.

  Scenario: The vxlan device's block is bound through the indirect path
    When I run "ip link add vxlan_sys_4789 type vxlan dstport 4789 external"
    And I run "tc qdisc add dev vxlan_sys_4789 ingress"
    Then it succeeds
    And the trace passes through, in order:
      | hop                         |
      | tcf_block_offload_cmd       |
      | flow_indr_dev_setup_offload |
      | mlx5e_rep_indr_setup_block  |

  Scenario: A decap filter with the local tunnel address configured is in hardware
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      """
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it succeeds
    And 1 FTE is created
    And the trace passes through, in order:
      | hop                        |
      | mlx5e_rep_indr_setup_tc_cb |
      | parse_tunnel_attr          |
      | mlx5e_tc_tun_parse_vxlan   |
      | mlx5e_tc_tun_route_lookup  |
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "in_hw in_hw_count 1"

  Scenario: Without the local tunnel address there is no route back to the sender
    mlx5e_tc_tun_route_lookup looks up the route from enc_dst_ip to
    enc_src_ip; that source address is not local, so -ENETUNREACH and the
    filter stays in software.
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      """
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it succeeds
    And no FTE is created
    And ip_route_output_key returned -ENETUNREACH
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "not_in_hw"

  Scenario Outline: A decap match the driver refuses stays in software: <what>
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      tc filter add dev vxlan_sys_4789 ingress protocol ip flower enc_dst_ip 10.0.0.1 enc_key_id 42 <port> action tunnel_key unset action mirred egress redirect dev enp8s0f0_0
      """
    Then it succeeds
    And no FTE is created
    When I run "dmesg"
    Then the output contains "<log>"
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "not_in_hw"

    Examples:
      | what                       | port              | log                                             |
      | a port that is not VXLAN's | enc_dst_port 8472 | UDP port 8472 is not registered as a VXLAN port |
      | no destination port        |                   | Failed to parse tunnel attributes               |

  Scenario: skip_sw on a tunnel device's block is refused by the kernel
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      """
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip flower skip_sw enc_dst_ip 10.0.0.1 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it fails with "Operation not supported"
    And no FTE is created

  Scenario: A NIC without vxlan_encap_decap does not take the block
    Given a NIC without vxlan_encap_decap
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      """
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip flower enc_dst_ip 10.0.0.1 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it succeeds
    And no FTE is created
    And the trace does not pass through mlx5e_rep_indr_setup_tc_cb

  # mlx5.md row A5: the filter is on a device mlx5 does not own, so the
  # mirred check fails without a message (only the filter device's own
  # driver would explain); even verbose gets no warning.
  Scenario: A decap filter redirecting to another driver's device stays in software without a word
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      ip link add dummy0 type dummy
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      """
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip flower verbose enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev dummy0"
    Then it succeeds
    And the output does not contain "Warning"
    And no FTE is created
    And the trace stops in tc_act_can_offload_mirred
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "not_in_hw"
