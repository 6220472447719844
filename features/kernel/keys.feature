Feature: Flower keys: parsed as fl_set_key parses them, dumped back as tc shows them
  fl_set_key reads each TCA_FLOWER_KEY_* only where the filter's protocol
  allows it (ports for the ip_proto, ICMP for the family, ARP for ARP, MPLS
  for the MPLS ethertypes), a missing mask means an exact match, and fl_dump
  returns value and mask so tc 6.1 prints them back. A veth pair keeps the
  kernel's own decisions in view.

  Background:
    Given I run "ip link add v0 type veth peer name v1"
    And I run "tc qdisc add dev v0 ingress"

  Scenario Outline: <what>
    When I run "tc filter add dev v0 ingress protocol <proto> prio 1 flower <keys> action drop"
    Then it succeeds
    When I run "tc filter show dev v0 ingress"
    Then the output contains "<line1>"
    And the output contains "<line2>"

    Examples:
      | what                                   | proto   | keys                                                                                  | line1                 | line2                |
      | VLAN id, priority and inner ethertype  | 802.1q  | vlan_id 100 vlan_prio 3 vlan_ethtype ip                                               | vlan_prio 3           | vlan_ethtype ip      |
      | QinQ: outer and customer VLAN          | 802.1ad | vlan_id 10 vlan_ethtype 802.1q cvlan_id 20 cvlan_ethtype ip                           | vlan_ethtype 802.1Q   | cvlan_id 20          |
      | ARP sender and opcode                  | arp     | arp_sip 10.0.0.1 arp_op request                                                       | arp_sip 10.0.0.1      | arp_op request       |
      | TCP flags with a mask                  | ip      | ip_proto tcp tcp_flags 0x2/0x3f                                                       | ip_proto tcp          | tcp_flags 0x2/3f     |
      | ICMP type and code                     | ip      | ip_proto icmp type 8 code 0                                                           | icmp_type 8           | icmp_code 0          |
      | IP TOS with a mask and an exact TTL    | ip      | ip_tos 0x10/0xfc ip_ttl 64                                                            | ip_tos 16/0xfc        | ip_ttl 64            |
      | fragment flags                         | ip      | ip_flags frag/firstfrag                                                               | ip_flags frag/firstfrag | eth_type ipv4      |
      | UDP port and port range                | ip      | ip_proto udp src_port 53 dst_port 1000-2000                                           | src_port 53           | dst_port 1000-2000   |
      | conntrack state, zone and masked mark  | ip      | ct_state +trk+est ct_zone 1 ct_mark 5/0xff                                            | ct_state +trk+est     | ct_mark 5/0xff       |
      | MPLS label stack entry                 | mpls_uc | mpls_label 100 mpls_tc 3 mpls_bos 1 mpls_ttl 64                                       | mpls_label 100        | mpls_ttl 64          |
      | tunnel metadata                        | ip      | enc_key_id 42 enc_dst_ip 10.1.1.1 enc_src_ip 10.1.1.2 enc_dst_port 4789 enc_tos 0x10 enc_ttl 64 | enc_key_id 42 | enc_tos 16         |
      | IPv6 addresses with a prefix           | ipv6    | src_ip 2001:db8::1 dst_ip 2001:db8::/64 ip_proto tcp dst_port 443                     | dst_ip 2001:db8::/64  | dst_port 443         |

  Scenario: a key outside its protocol context is not matched on
    # fl_set_key reads TCP ports only when ip_proto is tcp; tc 6.1 refuses to send them otherwise
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower dst_port 80 action drop"
    Then it fails with "Illegal \"dst_port\""
    And the trace does not pass through fl_change

  Scenario: the same masked key twice at one priority is refused, a different mask is a new mask
    When I run "tc filter add dev v0 ingress protocol mpls_uc prio 1 flower mpls_label 100 action drop"
    And I run "tc filter add dev v0 ingress protocol mpls_uc prio 1 flower mpls_label 100 action pass"
    Then it fails with "RTNETLINK answers: File exists"
    When I run "tc filter add dev v0 ingress protocol mpls_uc prio 1 flower mpls_label 100 mpls_tc 3 action pass"
    Then it succeeds

  Scenario: an MPLS label stack list is sent nested and dumped back entry by entry
    # fl_set_key_mpls_opts; fl_dump_key_mpls uses the nested form once a deeper entry is used
    When I run "tc filter add dev v0 ingress protocol mpls_uc prio 1 flower mpls lse depth 1 label 100 tc 3 bos 0 ttl 64 lse depth 2 label 200 bos 1 action drop"
    Then it succeeds
    And the trace passes through, in order:
      | hop                  |
      | fl_set_key_mpls_opts |
      | fl_set_key_mpls_lse  |
      | fl_set_key_mpls_lse  |
    When I run "tc filter show dev v0 ingress"
    Then the output contains "lse depth 1 label 100 tc 3 bos 0 ttl 64"
    And the output contains "lse depth 2 label 200 bos 1"

  Scenario: a label stack entry deeper than the dissector keeps is refused by the kernel
    When I run "tc filter add dev v0 ingress protocol mpls_uc prio 1 flower mpls lse depth 8 label 1 action drop"
    Then it fails with "Error: Invalid MPLS depth."

  Scenario Outline: tc refuses an MPLS label stack list it cannot send: <what>
    When I run "tc filter add dev v0 ingress protocol <proto> prio 1 flower <keys> action drop"
    Then it fails with "<message>"
    And the trace does not pass through fl_change

    Examples:
      | what                        | proto   | keys                                     | message                                                                              |
      | an entry without a depth    | mpls_uc | mpls lse label 1                         | Error: argument \"depth\" is required                                                |
      | the flat keys first         | mpls_uc | mpls_label 1 mpls lse depth 1            | Can't set \"mpls\" if \"mpls_label\", \"mpls_tc\", \"mpls_bos\" or \"mpls_ttl\" is set |
      | the flat keys after it      | mpls_uc | mpls lse depth 1 mpls_tc 1               | Can't set \"mpls_tc\" if \"mpls\" is set                                             |
      | a non-MPLS ethertype        | ip      | mpls lse depth 1                         | Can't set \"mpls\" if ethertype isn't MPLS                                           |
      | a label over 20 bits        | mpls_uc | mpls lse depth 1 label 1048576           | Illegal \"label\"                                                                    |

  Scenario: mlx5 refuses to match on MPLS outside MPLS over UDP
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol mpls_uc flower skip_sw mpls lse depth 1 label 100 lse depth 2 label 200 action drop"
    Then it fails with "Error: mlx5_core: Matching on MPLS is supported only for MPLS over UDP."
