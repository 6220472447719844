Feature: OVS puts VXLAN flows into tc: decap on vxlan_sys_4789, encap on the representor
  A bridge port of type vxlan is a kernel VXLAN device in metadata mode that
  ovs-vswitchd creates itself through rtnetlink (vxlan_sys_<dst_port>) and
  adds to the datapath as a netdev vport; like every system port it gets the
  linux_tc flow API and an ingress qdisc. A datapath flow from that vport
  with a tunnel(...) match becomes a flower filter on vxlan_sys_4789 with
  enc_* keys whose first action is tunnel_key unset; a flow that sets
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
