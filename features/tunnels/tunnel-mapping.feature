Feature: Tunnel rules across chains: the tunnel id in reg_c_1
  A decap rule on chain 0 that goes on to another chain, and a rule on a
  tunnel device in a chain above 0, cross chains with the packet already
  decapsulated. mlx5 maps the rule's tunnel match (outer addresses, ports,
  key id, the tunnel device) to a tunnel id (mlx5e_get_flow_tunnel_id):
  the chain 0 rule writes it into reg_c_1 by modify header, the chain > 0
  rule matches it there instead of the outer headers, and each rule gives
  its id back when deleted (mlx5e_put_flow_tunnel_id). This needs the
  eswitch's register loopback; a device without it keeps such rules in
  software.

  Rule: With register loopback, decap rules cross chains in hardware

    Background:
      When I run:
        """
        ip link add vxlan_sys_4789 type vxlan dstport 4789 external
        tc qdisc add dev vxlan_sys_4789 ingress
        ip addr add 10.0.0.1/24 dev enp8s0f0
        """

    Scenario: An OVS-style decap: chain 0 decapsulates and goes to chain 1, which matches the tunnel id
      The shape ovs-vswitchd gives a recirculating tunnel flow: OVS puts
      tunnel_key unset only before an output or encap action
      (lib/tc.c nl_msg_put_flower_acts), so the chain 0 rule is the
      tunnel match and goto, and the chain 1 rule matches the tunnel
      again, then unsets it and outputs.
      When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip chain 0 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action goto chain 1"
      Then it succeeds
      And the trace passes through, in order:
        | hop                          | file                                                  |
        | parse_tunnel_attr            | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c       |
        | mlx5e_tc_tun_parse           | drivers/net/ethernet/mellanox/mlx5/core/en/tc_tun.c   |
        | mlx5e_get_flow_tunnel_id     | drivers/net/ethernet/mellanox/mlx5/core/en_tc.c       |
        | mlx5_cmd_modify_header_alloc | drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c      |
      When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip chain 1 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 ip_proto tcp action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
      Then it succeeds
      And the trace passes through, in order:
        | hop                      |
        | parse_tunnel_attr        |
        | mlx5e_tc_tun_parse       |
        | mlx5e_get_flow_tunnel_id |
      And the trace does not pass through mlx5_cmd_modify_header_alloc
      And 2 FTEs are created
      And the mlx5 driver maps 1 tunnel id and 0 tunnel option ids
      When I run "tc filter show dev vxlan_sys_4789 ingress"
      Then the output contains "in_hw in_hw_count 1"
      And the output does not contain "not_in_hw"
      When I run "dmesg"
      Then the output does not contain "Chains on tunnel devices"

    Scenario: Each tunnel match gets its own id; equal matches share one
      When I run:
        """
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 0 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action goto chain 1
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 0 prio 2 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.3 enc_key_id 43 enc_dst_port 4789 action goto chain 1
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 1 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 1 prio 2 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.3 enc_key_id 43 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_1
        """
      Then it succeeds
      And 4 FTEs are created
      And the mlx5 driver maps 2 tunnel ids and 0 tunnel option ids

    Scenario: Deleting the rules gives the tunnel id back, with the last holder
      When I run:
        """
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 0 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action goto chain 1
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 1 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0
        """
      Then it succeeds
      When I run "tc filter del dev vxlan_sys_4789 ingress chain 0 prio 1"
      Then it succeeds
      And the trace passes through mlx5e_put_flow_tunnel_id
      And the mlx5 driver maps 1 tunnel id and 0 tunnel option ids
      When I run "tc filter del dev vxlan_sys_4789 ingress chain 1 prio 1"
      Then it succeeds
      And the mlx5 driver maps 0 tunnel ids and 0 tunnel option ids
      And nothing is left in tc or the firmware

    Scenario: Conntrack over VXLAN: the chain 0 rule carries the tunnel id beside the CT registers
      OVS sends a tunnelled packet through conntrack with ct and a goto on
      chain 0. The tunnel id goes to reg_c_1 above the zone-restore bits,
      so both survive into chain 1; the ids go with the rules.
      When I run:
        """
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 0 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action ct zone 1 action goto chain 1
        tc filter add dev vxlan_sys_4789 ingress protocol ip chain 1 prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 ct_state +trk+est action tunnel_key unset action mirred egress redirect dev enp8s0f0_0
        tc filter show dev vxlan_sys_4789 ingress
        """
      Then it succeeds
      And the output does not contain "not_in_hw"
      And the mlx5 CT zones are "1"
      And the mlx5 driver maps 1 tunnel id and 0 tunnel option ids
      When I run:
        """
        tc filter del dev vxlan_sys_4789 ingress chain 0
        tc filter del dev vxlan_sys_4789 ingress chain 1
        """
      Then it succeeds
      And the mlx5 driver maps 0 tunnel ids and 0 tunnel option ids
      And no mlx5 CT id is mapped
      And the mlx5 CT zones are "none"

    Scenario: A chain 1 rule still checks its tunnel match, on a copy it throws away
      The outer match is parsed as on chain 0 (so an unknown UDP port is
      refused the same way) although the rule then matches the tunnel id.
      When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip chain 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 8472 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
      Then it succeeds
      And no FTE is created
      And parse_tunnel_attr returned -EOPNOTSUPP
      And the trace does not pass through mlx5e_get_flow_tunnel_id
      And the mlx5 driver maps 0 tunnel ids and 0 tunnel option ids
      When I run "dmesg"
      Then the output contains "Failed to parse tunnel attributes"

    Scenario: A chain 0 rule that goes on still needs the route back to the sender
      Matching both outer addresses makes the rule a TUN_RX flow whatever
      its actions, so mlx5 looks up the route to the remote endpoint
      (mlx5e_attach_decap_route); without one the rule and its tunnel id go.
      When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip chain 0 flower enc_dst_ip 10.9.0.1 enc_src_ip 10.9.0.2 enc_key_id 42 enc_dst_port 4789 action goto chain 1"
      Then it succeeds
      And no FTE is created
      And the trace passes through, in order:
        | hop                       |
        | mlx5e_get_flow_tunnel_id  |
        | mlx5e_tc_tun_route_lookup |
        | mlx5e_put_flow_tunnel_id  |
      And the mlx5 driver maps 0 tunnel ids and 0 tunnel option ids
      When I run "tc filter show dev vxlan_sys_4789 ingress"
      Then the output contains "not_in_hw"

    Scenario: Decapsulating with tunnel_key unset and then going to a chain is still refused
      tunnel_key unset is the decap action; upstream refuses it with goto
      (the chain 0 rule decapsulates by its tunnel match alone). The id
      taken while parsing the match is given back.
      When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip chain 0 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action goto chain 1"
      Then it succeeds
      And no FTE is created
      And the trace passes through mlx5e_put_flow_tunnel_id
      And the mlx5 driver maps 0 tunnel ids and 0 tunnel option ids
      When I run "dmesg"
      Then the output contains "Decap with goto isn't supported"

  Rule: Without register loopback, a decap match that needs tunnel mapping stays in software

    Background:
      Given a NIC without reg_c1_loopback
      When I run:
        """
        ip link add vxlan_sys_4789 type vxlan dstport 4789 external
        tc qdisc add dev vxlan_sys_4789 ingress
        ip addr add 10.0.0.1/24 dev enp8s0f0
        """

    Scenario Outline: No register loopback: <what> stays in software
      When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip <where> flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 <actions>"
      Then it succeeds
      And no FTE is created
      And parse_tunnel_attr returned -EOPNOTSUPP
      And the trace does not pass through mlx5e_get_flow_tunnel_id
      When I run "dmesg"
      Then the output contains "Chains on tunnel devices isn't supported without register loopback support"
      When I run "tc filter show dev vxlan_sys_4789 ingress"
      Then the output contains "not_in_hw"

      Examples:
        | what                        | where   | actions                                                              |
        | a rule on chain 1           | chain 1 | action tunnel_key unset action mirred egress redirect dev enp8s0f0_0 |
        | a chain 0 rule that goes on | chain 0 | action goto chain 1                                                  |

    Scenario: No register loopback: a chain 0 decap that ends there is still offloaded
      When I run "tc filter add dev vxlan_sys_4789 ingress protocol ip flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
      Then it succeeds
      And 1 FTE is created
      And the trace does not pass through mlx5e_get_flow_tunnel_id
