Feature: Tunnel flows in the OVS kernel datapath
  A tunnel flow tc refuses falls back to the kernel datapath, which parses
  OVS_KEY_ATTR_TUNNEL itself (net/openvswitch/flow_netlink.c
  ip_tun_from_nlattr): every attribute in range and of its length, at most
  one options block, no IPv4/IPv6 mix, and for a key a non-zero destination
  and a TTL. __ovs_nla_put_key writes the tunnel back (between priority and
  in_port), so dumps of kernel-datapath flows show tunnel(...). Failures are
  an "openvswitch: ..." kernel log line and EINVAL, which ovs-dpctl and
  ovs-appctl report as "updating flow table (Invalid argument)".

  Background:
    Given the topology "features/tunnels/ovs-vxlan.yaml"
    And hw-offload is enabled

  Scenario: A decap flow tc refuses installs in the kernel datapath with its tunnel match
    When I run:
      """
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 'trunc(100),2'
      """
    Then it succeeds
    When I run "ovs-appctl dpctl/dump-flows type=ovs"
    Then the output contains "tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,tp_dst=4789,flags(+key)),in_port(4)"
    When I run "ovs-appctl dpctl/dump-flows -m type=ovs"
    Then the output contains "tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789)"
    And the output contains "dp:ovs, actions:trunc(100),enp8s0f0_0"

  Scenario Outline: The kernel datapath refuses a tunnel key <what>
    When I run "ovs-dpctl add-flow '<key>,in_port(4),eth(),eth_type(0x0800),ipv4(frag=no)' 2"
    Then it fails with "ovs-dpctl: updating flow table (Invalid argument)"
    When I run "dmesg"
    Then the output contains "openvswitch: <log>"

    Examples:
      | what                           | key                                    | log                                  |
      | with a source but no destination | tunnel(tun_id=0x2a,src=10.0.0.2,ttl=64) | IPv4 tunnel dst address is zero      |
      | without any address            | tunnel(tun_id=0x2a,ttl=64)             | IP tunnel dst address not specified  |

  Scenario: ovs-vswitchd reports the kernel's refusal of a tunnel key after tc refused it too
    When I run "ovs-appctl dpctl/add-flow 'tunnel(tun_id=0x2b,ttl=64),in_port(vxlan_sys_4789),eth(),eth_type(0x0800),ipv4(frag=no)' 'trunc(100),2'"
    Then it fails with "ovs-vswitchd: updating flow table (Invalid argument)"
    When I run "dmesg"
    Then the output contains "openvswitch: IP tunnel dst address not specified"
