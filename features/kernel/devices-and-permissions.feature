Feature: Devices without offload, and who may change tc state
  A VXLAN device has no ndo_setup_tc: a block it joins counts it in
  nooffloaddevcnt, so skip_sw filters on that block are refused before any
  driver is asked; other filters reach drivers that registered an indirect
  block callback (mlx5's uplink representor, for tunnel decap). Changing tc state
  needs CAP_NET_ADMIN, checked once in rtnetlink_rcv_msg for every request
  that is not a GET.

  Scenario: ip 6.1 creates the OVS-style VXLAN device, but not with "id 0 external"
    When I run "ip link add vxlan_sys_4789 type vxlan id 0 dstport 4789 external"
    Then it fails with "vxlan: both 'external' and vni cannot be specified"
    When I run "ip link add vxlan_sys_4789 type vxlan dstport 4789 external"
    Then it succeeds
    And the trace passes through vxlan_newlink
    When I run "ip link add vx1 type vxlan dstport 4789 external"
    Then it fails with "Error: A VXLAN device with the specified VNI already exists."

  Scenario: a tunnel-decap filter on the VXLAN device reaches mlx5 through the indirect block; with skip_sw it is refused
    Given I run "ip link add vxlan_sys_4789 type vxlan dstport 4789 external"
    And I run "tc qdisc add dev vxlan_sys_4789 ingress"
    When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip prio 1 flower enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it succeeds
    And the trace passes through mlx5e_rep_indr_setup_tc_cb
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "in_hw in_hw_count 1"
    When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip prio 2 flower skip_sw enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it fails with "RTNETLINK answers: Operation not supported"
    And tc_setup_cb_add returned -EOPNOTSUPP

  Scenario: the VXLAN device shares a block with the uplink: the NIC still gets the filter, skip_sw cannot
    Given I run "ip link add vxlan_sys_4789 type vxlan dstport 4789 external"
    And I run "tc qdisc add dev enp8s0f0 ingress_block 22 ingress"
    And I run "tc qdisc add dev vxlan_sys_4789 ingress_block 22 ingress"
    When I run "tc filter add block 22 protocol ip prio 1 flower dst_ip 10.0.0.1 action drop"
    Then it succeeds
    When I run "tc filter show block 22"
    Then the output contains "in_hw in_hw_count 1"
    When I run "tc filter add block 22 protocol ip prio 2 flower skip_sw dst_ip 10.0.0.2 action drop"
    Then it fails with "RTNETLINK answers: Operation not supported"

  Scenario Outline: an unprivileged tc may read but not <change>
    Given I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop"
    When I run "emulate user nobody tc <command>"
    Then it fails with "RTNETLINK answers: Operation not permitted"
    And rtnetlink_rcv_msg returned -EPERM
    When I run "emulate user nobody tc filter show dev enp8s0f0_0 ingress"
    Then it succeeds
    And the output contains "handle 0x1"

    Examples:
      | change          | command                                                                                 |
      | add a filter    | filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower dst_ip 10.0.0.2 action drop |
      | delete a filter | filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower                    |
      | add a chain     | chain add dev enp8s0f0_0 ingress chain 3                                                |
      | delete a qdisc  | qdisc del dev enp8s0f0_0 ingress                                                        |
