Feature: What netdev_tc_flow_put can translate into a flower filter
  lib/netdev-offload-tc.c netdev_tc_flow_put copies each match field it
  knows into the flower key and clears its mask; test_key_and_mask refuses
  whatever is left with EOPNOTSUPP, and netdev_tc_parse_nl_actions refuses
  actions TC cannot express. Every refusal is a DBG line (seen only with
  vlog/set netdev_offload_tc:file:dbg) and the flow goes to the OVS kernel
  datapath; errors other than EOPNOTSUPP/ENOSPC are logged at ERR.

  # skip_hw keeps the NIC out of it: this feature is about what OVS asks of tc.
  Background:
    Given hw-offload is enabled
    And tc-policy skip_hw
    And ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"

  Scenario Outline: A leftover <field> match is refused by test_key_and_mask
    When a miss upcall for "<key>" is handled with actions "1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "netdev_offload_tc|DBG|<reason>"
    And the ovs-vswitchd log contains "dpif_netlink|DBG|failed to offload flow: Operation not supported: enp8s0f0_0"
    And test_key_and_mask returned EOPNOTSUPP

    Examples:
      | field        | key                                                                                                                             | reason                                                 |
      | skb_mark     | recirc_id(0),in_port(2),skb_mark(0x7),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)         | offloading attribute pkt_mark isn't supported          |
      | dp_hash      | recirc_id(0),in_port(2),dp_hash(0x1/0xf),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)      | offloading attribute dp_hash isn't supported           |
      | skb_priority | recirc_id(0),in_port(2),skb_priority(0x1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)     | offloading attribute skb_priority isn't supported      |
      | ipv6 label   | recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x86dd),ipv6(label=5,frag=no)               | offloading isn't supported, unknown attribute          |
      | ND target    | recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x86dd),ipv6(proto=58,frag=no),icmpv6(type=135,code=0),nd(target=fd00::1) | offloading isn't supported, unknown attribute |

  # §4.2 step 9: an IP match must say which fragments it takes; without a
  # frag mask the put is refused with no log line at all.
  Scenario: An IPv4 match without frag= is refused silently
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1)" is handled with actions "1"
    Then the flow is in the OVS kernel datapath
    And netdev_tc_flow_put returned EOPNOTSUPP
    And the trace does not pass through test_key_and_mask

  Scenario: A partial VLAN TCI mask is refused silently
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8100),vlan(vid=10/0xf,pcp=0),encap(eth_type(0x0800),ipv4(frag=no))" is handled with actions "1"
    Then the flow is in the OVS kernel datapath
    And netdev_tc_flow_put returned EOPNOTSUPP

  Scenario: A recirculated flow whose chain no tc flow jumps to stays in the kernel datapath
    When a miss upcall for "recirc_id(0x5),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "netdev_offload_tc|DBG|match for chain 5 failed due to non-existing goto chain action"

  Scenario Outline: The <action> action is refused by netdev_tc_parse_nl_actions
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "<actions>"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "<log>"

    Examples:
      | action              | actions                       | log                                                                  |
      | trunc               | trunc(100),1                  | netdev_offload_tc\|DBG\|unsupported put action type: 13             |
      | userspace           | userspace(pid=7),1            | netdev_offload_tc\|DBG\|unsupported put action type: 2              |
      | add_mpls            | add_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),1 | netdev_offload_tc\|DBG\|unsupported put action type: 22 |
      | set of TCP flags    | set(tcp_flags(0x2)),1         | netdev_offload_tc\|DBG\|unsupported set action type: 18             |
      | set of ipv4 proto   | set(ipv4(proto=17/0xff)),1    | netdev_offload_tc\|DBG\|unsupported sub attribute of set action type 7 |
      | meter not offloaded | meter(0),1                    | dpif_netlink\|DBG\|failed to offload flow: Operation not supported: enp8s0f0_0 |

  # lib/dpif-netlink.c parse_flow_put: an output port missing from the port
  # map ends the attempt before netdev_flow_put, with no log line.
  Scenario: An output to a port OVS does not map falls back silently
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "9"
    Then the flow is in the OVS kernel datapath
    And parse_flow_put returned EOPNOTSUPP
    And the trace does not pass through netdev_flow_put

  # "Can only support %d actions": the 17th tc action is one too many.
  Scenario: More than 16 actions are not offloaded
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "netdev_offload_tc|DBG|Can only support 16 actions"

  # Whether the NIC takes sixteen outputs is the driver's business; OVS sends them.
  Scenario: Sixteen actions are still sent to tc
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,1"
    Then the flow is in tc software

  # set/set_masked become pedit keys, one per rewritten 32-bit word, and a
  # csum action when an IP or L4 checksum must follow (lib/tc.c).
  Scenario Outline: A rewrite of <what> is sent to tc as pedit
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "<actions>"
    Then the flow is in tc software
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output does not contain "Kernel flower acknowledgment does not match request"
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "<key>"
    And the output contains "<csum>"
    # parse_tc_flower_to_actions turns the pedit back into a set action.
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "actions:<dumped>"

    Examples:
      | what         | actions                           | key                                           | csum                        | dumped                            |
      | the IPv4 ttl | set(ipv4(ttl=63/0xff)),1          | key #0  at ipv4+8: val 3f000000 mask 00ffffff | csum (iph, tcp) action pipe | set(ipv4(ttl=63)),1               |
      | the eth src  | set(eth(src=02:00:00:00:00:09)),1 | key #1  at eth+8: val 00000009 mask 00000000  | mirred                      | set(eth(src=02:00:00:00:00:09)),1 |
      | a TCP port   | set(tcp(dst=8080/0xffff)),1       | key #0  at tcp+0: val 00001f90 mask ffff0000  | csum (tcp) action pipe      | set(tcp(dst=8080)),1              |

  Scenario: ct_clear and ct are sent as tc ct actions and dump back as such
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct_clear,ct,1"
    Then the flow is in tc software
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "actions:ct_clear,ct,1"

  # lib/tc.c csum_update_flag: an IP rewrite needs a checksum fix-up tc can
  # only do for known protocols.
  Scenario: An IP rewrite on an unknown ip_proto is WARNed and not offloaded
    Given ovs-appctl vlog/set "tc:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=99,frag=no)" is handled with actions "set(ipv4(ttl=63/0xff)),1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "tc|WARN|can't offload rewrite of IP/IPV6 with ip_proto: 99"
    And the trace does not pass through tc_transact

  Scenario: An empty action list is offloaded as a gact drop
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions ""
    Then the flow is in tc software
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "gact action drop"
