Feature: OVS puts VXLAN flows into tc: decap on vxlan_sys_4789, encap on the representor
  A bridge port of type vxlan is a kernel VXLAN device in metadata mode that
  ovs-vswitchd creates itself through rtnetlink (vxlan_sys_<dst_port>) and
  adds to the datapath as a netdev vport; like every system port it gets the
  linux_tc flow API and an ingress qdisc. A datapath flow from that vport
  with a tunnel(...) match becomes a flower filter on vxlan_sys_4789 with
  enc_* keys and a tunnel_key unset right before its first output; a flow that sets
  tunnel(...) and outputs to the vport becomes tunnel_key set + mirred
  redirect to vxlan_sys_4789 on the input port. Getting either into the NIC
  is the kernel's and mlx5's job (indirect block, encap neighbour).

  Background:
    Given the topology "features/tunnels/ovs-vxlan.yaml"
    And hw-offload is enabled

  Scenario: ovs-vswitchd creates vxlan_sys_4789 and gives it the tc flow API
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output contains "added ingress qdisc to vxlan0"
    And the output contains "vxlan0: Assigned flow API 'linux_tc'."
    And the output contains "bridge br0: added interface vxlan0 on port 4"
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then it succeeds
    When I run "ip link add vxlan_sys_4789 type vxlan dstport 4789 external"
    Then it fails with "RTNETLINK answers: File exists"
    When I run "ovs-vsctl show"
    Then the output contains "type: vxlan"
    And the output contains "options: {dst_port=\"4789\", key=flow, remote_ip=flow}"

  Scenario: A decap flow from the vxlan vport is in hardware
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 2
      """
    Then it succeeds
    And 1 FTE is created
    And the trace passes through, in order:
      | hop                        |
      | netdev_tc_flow_put         |
      | tc_replace_flower          |
      | mlx5e_rep_indr_setup_tc_cb |
      | mlx5e_tc_tun_parse_vxlan   |
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "enc_key_id 42"
    And the output contains "enc_dst_port 4789"
    And the output contains "in_hw in_hw_count 1"
    And the output contains "action order 1: tunnel_key  unset pipe"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=0/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789)"
    And the output contains "offloaded:yes, dp:tc, actions:enp8s0f0_0"
    When I run "ovs-appctl dpctl/dump-flows"
    Then the output contains "tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,tp_dst=4789,flags(+key))"

  Scenario: The tunnel UDP port is matched exactly whatever its mask
    OVS degrades a masked tp_dst to an exact match because mlx5 refuses
    masked tunnel ports.
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789/0xff00,flags(+key)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 2
      tc filter show dev vxlan_sys_4789 ingress
      """
    Then the output contains "enc_dst_port 4789"
    And the output does not contain "enc_dst_port 4789/"

  Scenario: An encap flow with a resolved neighbour is in hardware at once
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud permanent
      ovs-appctl dpctl/add-flow 'in_port(enp8s0f0_0),eth(),eth_type(0x0800),ipv4(frag=no)' 'set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_dst=4789,flags(key))),4'
      """
    Then it succeeds
    And 1 FTE is created
    And the trace passes through mlx5_cmd_packet_reformat_alloc
    And the trace does not pass through mlx5e_tc_offload_to_slow_path
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "tunnel_key  set"
    And the output contains "Egress Redirect to device vxlan_sys_4789"
    And the output contains "in_hw in_hw_count 1"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "offloaded:yes, dp:tc, actions:set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_dst=4789,flags(key))),vxlan_sys_4789"

  Scenario: An encap flow without a neighbour is in hardware on the slow path
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'in_port(enp8s0f0_0),eth(),eth_type(0x0800),ipv4(frag=no)' 'set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_dst=4789,flags(key))),4'
      """
    Then it succeeds
    And the trace passes through mlx5e_tc_offload_to_slow_path
    And the trace does not pass through mlx5_cmd_packet_reformat_alloc
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "offloaded:yes, dp:tc"

  Scenario: A tunnel source port has no tc equivalent: the flow stays in the OVS datapath
    Given ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    When I run "ovs-appctl dpctl/add-flow 'in_port(enp8s0f0_0),eth(),eth_type(0x0800),ipv4(frag=no)' 'set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_src=1000,tp_dst=4789,flags(key))),4'"
    Then it succeeds
    And the ovs-vswitchd log contains "unsupported tunnel key attribute TP_SRC"
    And the OVS kernel datapath holds 1 flow
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "dp:ovs, actions:set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_src=1000,tp_dst=4789,flags(key))),vxlan_sys_4789"

  Scenario: A restarted ovs-vswitchd finds vxlan_sys_4789 in the datapath and keeps it
    The old daemon leaves the device and the vport; the new one maps the
    vport back to vxlan0 by its dpif port name instead of adding it again.
    When I run:
      """
      cat /var/log/openvswitch/ovs-vswitchd.log
      emulate restart ovs-vswitchd
      cat /var/log/openvswitch/ovs-vswitchd.log
      """
    Then it succeeds
    And the output contains "bridge br0: added interface vxlan0 on port 4"
    And the output does not contain "failed to add vxlan0 as port"

  # lib/tc.c nl_msg_put_flower_acts (v3.6.3) puts tunnel_key unset right
  # before the first output or encap, not first: a decap flow that goes
  # through ct and recirculates keeps the tunnel metadata, so its chain-1
  # flow can still match enc_* keys, and unsets it there before the output.
  Scenario: Decap, ct and recirculation: the tunnel_key unset waits for the output in chain 1
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(proto=6,frag=no),tcp()' 'ct(zone=1),recirc(1)'
      ovs-appctl dpctl/add-flow 'recirc_id(1),tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789),ct_state(+trk+est),ct_zone(1),eth(),eth_type(0x0800),ipv4(proto=6,frag=no),tcp()' 2
      """
    Then it succeeds
    And the OVS kernel datapath holds 0 flows
    And the mlx5 CT zones are "1"
    When I run "tc filter show dev vxlan_sys_4789 ingress chain 0"
    Then the output contains "enc_key_id 42"
    And the output contains "in_hw in_hw_count 1"
    And the output contains "action order 1: ct zone 1 pipe"
    And the output contains "action order 2: gact action goto chain 1"
    And the output does not contain "tunnel_key"
    When I run "tc filter show dev vxlan_sys_4789 ingress chain 1"
    Then the output contains "enc_key_id 42"
    And the output contains "ct_state +trk+est"
    And the output contains "in_hw in_hw_count 1"
    And the output contains "action order 1: tunnel_key  unset pipe"
    And the output contains "action order 2: mirred (Egress Redirect to device enp8s0f0_0) stolen"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "offloaded:yes, dp:tc, actions:ct(zone=1),recirc(0x1)"
    And the output contains "offloaded:yes, dp:tc, actions:enp8s0f0_0"
    And the output does not contain "dp:ovs"

  Scenario: The same pipeline from upcalls: decap, ct(zone=1),recirc(1), then +trk+est to the VF
    When I run "ip addr add 10.0.0.1/24 dev enp8s0f0"
    And a miss upcall for "recirc_id(0),tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64,tp_src=51000,tp_dst=4789,flags(+key)),in_port(4),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.168.1.1,dst=192.168.1.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1000,dst=80)" is handled with actions "ct(zone=1),recirc(1)"
    And a miss upcall for "recirc_id(1),tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64,tp_src=51000,tp_dst=4789,flags(+key)),in_port(4),ct_state(+trk+est),ct_zone(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.168.1.1,dst=192.168.1.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1000,dst=80)" is handled with actions "2"
    Then the OVS kernel datapath holds 0 flows
    And the mlx5 CT zones are "1"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "offloaded:yes, dp:tc, actions:ct(zone=1),recirc(0x1)"
    And the output contains "offloaded:yes, dp:tc, actions:enp8s0f0_0"
    When I run "ovs-appctl upcall/show"
    Then the output contains "offloaded flows : 2"
    When I run "tc filter show dev vxlan_sys_4789 ingress chain 1"
    Then the output contains "ct_state +trk+est"
    And the output contains "in_hw in_hw_count 1"
    And the output contains "action order 1: tunnel_key  unset pipe"

  # The same rule refuses a goto after the unset (the next chain would match
  # metadata already gone). lib/tc.c returns it as -EOPNOTSUPP, which is not
  # EOPNOTSUPP to lib/dpif-netlink.c: the line is at ERR and ovs_strerror has
  # no text for a negative number.
  Scenario: Output then recirculation on a decap flow: "failed to offload flow: Unknown error -95"
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(proto=6,frag=no),tcp()' '2,recirc(1)'
      """
    Then it succeeds
    And the ovs-vswitchd log contains "dpif_netlink|ERR|failed to offload flow: Unknown error -95: vxlan0"
    And the OVS kernel datapath holds 1 flow
    And no tc filter exists
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "dp:ovs, actions:enp8s0f0_0,recirc(0x1)"

  # Tunnel header flags. OVS 3.6 probes TCA_FLOWER_KEY_ENC_FLAGS at start
  # (probe_enc_flags_support, "probe tc: enc flags are supported." on 6.18)
  # and then puts df/csum/oam into it whenever the datapath flow's mask has
  # them (netdev_tc_flow_put). Upcall flows do not: ofproto/tunnel.c
  # tnl_wc_init unwildcards only the key flag, so an ordinary decap flow
  # carries flags(+key) and no ENC_FLAGS. A flow that does match df or csum
  # (an OpenFlow tun_flags match, or a hand-written datapath flow) gets them
  # into enc_control.flags (net/sched/cls_flower.c, since 6.11), and mlx5
  # matches no tunnel header flag: en/tc_tun.c mlx5e_tc_tun_parse refuses any
  # enc_control.flags mask (flow_rule_has_enc_control_flags) with
  # "Unsupported match on enc_control.flags". The filter stays in tc software.
  Scenario: An ordinary decap upcall: the megaflow keeps only the key flag and goes to the NIC
    A VXLAN packet with a UDP checksum carries csum in its tunnel metadata,
    but tnl_wc_init leaves it wildcarded: no ENC_FLAGS, no mlx5 refusal.
    Given ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    When I run "ip addr add 10.0.0.1/24 dev enp8s0f0"
    And a miss upcall for "recirc_id(0),tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64,tp_src=51000,tp_dst=4789,flags(-df+csum+key)),in_port(4),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=192.168.1.1,dst=192.168.1.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1000,dst=80)" is handled with actions "2"
    Then the flow is in tc software and NIC hardware
    And the trace passes through, in order:
      | hop                 |
      | upcall_xlate        |
      | tnl_wc_init         |
      | netdev_tc_flow_put  |
      | mlx5e_tc_tun_parse  |
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=0/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789)"
    And the output contains "offloaded:yes, dp:tc, actions:enp8s0f0_0"
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "enc_key_id 42"
    And the output does not contain "enc_src_port"
    And the output contains "action order 1: tunnel_key  unset pipe"

  Scenario Outline: A decap flow matching tunnel flags <flags> is in <where>
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,<flags>),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 2
      """
    Then it succeeds
    And the flow is in <where>
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "tp_dst=4789,<flags>),in_port(4)"

    Examples:
      | flags             | where                        |
      | flags(+key)       | tc software and NIC hardware |
      | flags(-df+key)    | tc software                  |
      | flags(+csum+key)  | tc software                  |
      | flags(-df-csum+key) | tc software                |

  Scenario: Decap flows matching the df flag are "not_in_hw" on ConnectX with OVS 3.6 and Linux 6.18
    When I run:
      """
      cat /var/log/openvswitch/ovs-vswitchd.log
      """
    Then the output contains "probe tc: enc flags are supported."
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(-df+key)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 2
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                         |
      | netdev_tc_flow_put          |
      | tc_replace_flower           |
      | fl_set_key                  |
      | mlx5e_rep_indr_setup_tc_cb  |
      | mlx5e_tc_tun_parse          |
    And no FTE is created
    And dmesg contains "enp8s0f0: Failed to parse tunnel attributes"
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then the output contains "not_in_hw"
    When I run "ovs-appctl dpctl/dump-flows -m"
    Then the output contains "dp:tc, actions:enp8s0f0_0"
    And the output does not contain "offloaded:yes"
