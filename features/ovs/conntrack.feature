Feature: Conntrack actions and matches as OVS puts them into tc
  lib/odp-util.c parse_conntrack_action reads ct(commit, zone=N, mark=V/M,
  label=V/M, nat(...)) into OVS_CT_ATTR_* nests; lib/netdev-offload-tc.c
  parse_put_flow_ct_action and parse_put_flow_nat_action turn them into one
  tc ct action, which lib/tc.c nl_msg_put_act_ct puts on the wire (NAT range
  max only when it differs from the min). The echo of the kernel is parsed
  back by nl_parse_act_ct and must compare equal, else a WARN. ct_state,
  ct_zone, ct_mark and ct_label matches go to flower by
  parse_match_ct_state_to_flower; ct_state bits tc cannot match (snat, dnat)
  stay in the mask and test_key_and_mask refuses them.

  # With the default tc-policy every filter is also offered to mlx5, which
  # offloads the ct action and the ct matches through its CT tables
  # (core/en/tc_ct.c); conntrack-offload.feature follows the recirculation.
  Background:
    Given hw-offload is enabled
    And ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"

  Scenario Outline: The ct action <what> goes to tc and dumps back as OVS wrote it
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "<actions>"
    Then the flow is in tc software and NIC hardware
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output does not contain "Kernel flower acknowledgment does not match request"
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "<tc>"
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "actions:<dumped>"

    Examples:
      | what              | actions                                                     | tc                                                    | dumped                                                      |
      | commit in a zone  | ct(commit,zone=5),1                                         | ct commit zone 5 pipe                                 | ct(commit,zone=5),1                                         |
      | force_commit      | ct(force_commit),1                                          | ct commit force zone 0 pipe                           | ct(force_commit),1                                          |
      | with a mark       | ct(commit,mark=0x1/0xff),1                                  | ct commit mark 1/0xff zone 0 pipe                     | ct(commit,mark=0x1/0xff),1                                  |
      | with an exact mark | ct(commit,mark=0x2a),1                                     | ct commit mark 42 zone 0 pipe                         | ct(commit,mark=0x2a/0xffffffff),1                           |
      | with a label      | ct(commit,label=0x1234/0xffff),1                            | label 34120000000000000000000000000000/ffff0000000000000000000000000000 | ct(commit,label=0x1234/0xffff),1       |
      | source NAT range  | ct(commit,nat(src=10.0.0.1-10.0.0.5:1000-2000)),1           | nat src addr 10.0.0.1-10.0.0.5 port 1000-2000         | ct(commit,nat(src=10.0.0.1-10.0.0.5:1000-2000)),1           |
      | one-address DNAT  | ct(commit,zone=2,nat(dst=192.168.1.10:8080)),1              | nat dst addr 192.168.1.10 port 8080                   | ct(commit,zone=2,nat(dst=192.168.1.10:8080)),1              |
      | NAT restore       | ct(zone=2,nat),1                                            | ct zone 2 nat                                         | ct(zone=2,nat),1                                            |

  # The NAT flags persistent/hash/random have no tc ct attribute: they are
  # dropped on the way in, and the dump no longer shows them.
  Scenario: NAT flags tc ct cannot carry are lost in the dump
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(commit,nat(src=10.0.0.1,persistent,random)),1"
    Then the flow is in tc software and NIC hardware
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "actions:ct(commit,nat(src=10.0.0.1)),1"
    When I run "ovs-appctl dpctl/dump-flows type=ovs"
    Then the output does not contain "persistent"

  Scenario: An IPv6 DNAT with a port is printed with brackets
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x86dd),ipv6(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(commit,nat(dst=[fd00::10]:80)),1"
    Then the flow is in tc software and NIC hardware
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "actions:ct(commit,nat(dst=[fd00::10]:80)),1"

  # tc ct has no ALG helpers: parse_put_flow_ct_action answers EOPNOTSUPP
  # with no log line of its own.
  Scenario: A ct action with an ALG helper stays in the kernel datapath
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=21)" is handled with actions "ct(commit,helper=ftp),1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "dpif_netlink|DBG|failed to offload flow: Operation not supported: enp8s0f0_0"
    When I run "ovs-appctl dpctl/dump-flows type=ovs"
    Then the output contains "actions:ct(commit,helper=ftp),1"

  Scenario Outline: An unparsable ct action is refused by ovs-appctl: <why>
    When I run "ovs-appctl dpctl/add-flow 'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' '<actions>'"
    Then it fails with "ovs-vswitchd: parsing actions (Invalid argument)"

    Examples:
      | why                       | actions                              |
      | commit and force_commit   | ct(commit,force_commit),1            |
      | both src and dst NAT      | ct(commit,nat(src=1.1.1.1,dst=2.2.2.2)),1 |
      | an inverted address range | ct(commit,nat(src=10.0.0.9-10.0.0.1)),1 |
      | hash with random          | ct(commit,nat(src=1.1.1.1,hash,random)),1 |
      | an unknown option         | ct(commit,bogus),1                   |
      | a helper name too long    | ct(helper=abcdefghijklmnop),1        |

  Scenario: ct_state, ct_zone, ct_mark and ct_label matches become flower ct keys
    When a miss upcall for "recirc_id(0),in_port(2),ct_state(+trk+est),ct_zone(5),ct_mark(0x1/0xff),ct_label(0x5),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "1"
    Then the flow is in tc software and NIC hardware
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "ct_state +trk+est"
    And the output contains "ct_zone 5"
    And the output contains "ct_mark 1/0xff"
    And the output contains "ct_label 05000000000000000000000000000000"

  # +est clears any new bit and any state implies +trk
  # (parse_match_ct_state_to_flower).
  Scenario: A ct_state match on +est alone is sent as +trk+est
    When a miss upcall for "recirc_id(0),in_port(2),ct_state(+est),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "1"
    Then the flow is in tc software and NIC hardware
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "ct_state +trk+est"

  Scenario Outline: A ct_state match on <bit> is not offloaded
    When a miss upcall for "recirc_id(0),in_port(2),ct_state(<state>),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "netdev_offload_tc|DBG|offloading isn't supported, unknown attribute"

    Examples:
      | bit  | state      |
      | snat | +trk+snat  |
      | dnat | +trk-dnat  |
