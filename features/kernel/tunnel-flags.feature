Feature: Tunnel header flags (TCA_FLOWER_KEY_ENC_FLAGS) from OVS
  OVS 3.6 puts the tunnel flags it matches (df, csum, oam) in
  TCA_FLOWER_KEY_ENC_FLAGS with a mask. fl_set_key_flags keeps them in
  enc_control.flags (the policy allows only the four tunnel bits) and
  fl_dump_key_flags returns them, so OVS reads the flow back with its flags.
  mlx5 matches no tunnel header flag (flow_rule_has_enc_control_flags in
  mlx5e_tc_tun_parse), so such a decap flow stays in tc software. tc 6.1 has
  no word for these flags.

  Background:
    Given the topology "features/tunnels/ovs-vxlan.yaml"
    And hw-offload is enabled

  Scenario: a decap flow matching df and csum is taken by flower but not by mlx5
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key+df-csum)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 2
      """
    Then it succeeds
    And the trace passes through fl_set_key
    And mlx5e_tc_tun_parse returned -EOPNOTSUPP
    And no FTE is created
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "enc_key_id 42"
    And the output contains "not_in_hw"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "flags(+df-csum+key)"
    And the output contains "dp:tc, actions:enp8s0f0_0"

  Scenario: without tunnel flags the same decap flow is in hardware
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 2
      """
    Then it succeeds
    And the trace passes through mlx5e_tc_tun_parse
    And 1 FTE is created
