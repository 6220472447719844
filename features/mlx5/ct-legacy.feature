Feature: A legacy NIC offloads conntrack in its NIC RX tables
  In legacy mode the NIC netdev's TC tables get CT tables of their own
  (core/en_tc.c mlx5e_tc_nic_init → en/tc/post_act.c and en/tc_ct.c, in the
  NIC RX namespace, which has ignore_flow_level on a ConnectX-6 Dx). ct
  clear additionally copies the zone restore id into reg_b there, since the
  NIC does not copy reg_c_1 to the CQE on a miss.

  Scenario: A legacy NIC has CT tables of its own, in the NIC RX namespace
    Given a NIC in legacy mode
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 chain 0 handle 1 flower skip_sw dst_ip 10.0.0.1 action ct zone 3 action goto chain 1
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 chain 1 handle 2 flower skip_sw ct_state +trk+est action pass
      """
    Then it succeeds
    And the trace passes through mlx5_tc_ct_match_add
    And the mlx5 CT zones are "3"
    When I run:
      """
      tc filter del dev enp8s0f0 ingress protocol ip prio 1 chain 0 handle 1 flower
      tc filter del dev enp8s0f0 ingress protocol ip prio 1 chain 1 handle 2 flower
      """
    Then it succeeds
    And no FTE is created
    And the mlx5 CT zones are "none"
