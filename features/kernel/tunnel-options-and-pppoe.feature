Feature: Flower tunnel options beyond geneve, and the PPPoE keys
  fl_set_enc_opt parses TCA_FLOWER_KEY_ENC_OPTS one format at a time: geneve
  records may repeat, a vxlan (GBP), erspan (version, index or direction and
  hardware id) or gtp (PDU type, QFI) option stands alone, and the mask is
  parsed beside the key so both have the same length. tc 6.1 always sends a
  mask (all ones when none is written). fl_set_key_pppoe keys on the PPPoE
  session ethertype and, for IPv4, IPv6 and MPLS, makes the PPP protocol the
  ethertype later keys parse against. mlx5 has no PPPoE dissector key, and
  matches a VXLAN GBP option only with the custom tunnel header fields that
  the emulated device lacks.

  Background:
    Given I run "ip link add v0 type veth peer name v1"
    And I run "tc qdisc add dev v0 ingress"

  Scenario Outline: <what> are dumped back as tc 6.1 prints them
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower enc_dst_ip 10.1.1.1 <opts> action drop"
    Then it succeeds
    And the trace passes through fl_set_enc_opt
    When I run "tc filter show dev v0 ingress"
    Then the output contains "<printed>"

    Examples:
      | what                                          | opts                                                         | printed                                                                      |
      | a VXLAN GBP (mask: the GBP bits of all ones)  | vxlan_opts 16                                                | vxlan_opts 16/4784127                                                        |
      | a VXLAN GBP with its own mask                 | vxlan_opts 0x400010/0x40ffff                                 | vxlan_opts 4194320/4259839                                                   |
      | an ERSPAN v1 index                            | erspan_opts 1:12:0:0                                         | erspan_opts 1:12:0:0/1:4294967295:0:0                                        |
      | an ERSPAN v2 direction and hardware id        | erspan_opts 2:0:1:7                                          | erspan_opts 2:0:1:7/2:0:1:63                                                 |
      | a GTP PDU type and QFI                        | gtp_opts 1:8                                                 | gtp_opts 01:08/ff:ff                                                         |
      | two geneve options, the second one masked     | geneve_opts 0102:80:00001111,0103:81:22222222/ffff:ff:ffff0000 | geneve_opts 0102:80:00001111/ffff:ff:ffffffff,0103:81:22222222/ffff:ff:ffff0000 |

  Scenario: tc -j prints the options as arrays of fields, gtp_opts not at all
    # tc/f_flower.c flower_print_*_opts: JSON arrays <kind>_opt_key / _mask; the KEY/MASK text is for the terminal only
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower vxlan_opts 16 action drop"
    And I run "tc filter add dev v0 ingress protocol ip prio 2 flower gtp_opts 1:8 action drop"
    And I run "tc -j filter show dev v0 ingress"
    Then the output contains "\"vxlan_opt_key\":[{\"gbp\":16}],\"vxlan_opt_mask\":[{\"gbp\":4784127}]"
    And the output does not contain "gtp_opt"

  Scenario Outline: the kernel refuses <why>
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower enc_dst_ip 10.1.1.1 <opts> action drop"
    Then it fails with "<error>"
    And the trace passes through fl_set_enc_opt
    And fl_change returned <errno>

    Examples:
      | why                                      | opts                    | error                                                        | errno   |
      | an ERSPAN version other than 1 or 2      | erspan_opts 3:1:0:0     | Error: Tunnel key erspan option ver is incorrect.            | -EINVAL |
      | an ERSPAN key without its version        | erspan_opts :1:0:0      | Error: Missing tunnel key erspan option ver.                 | -EINVAL |
      | an ERSPAN v1 key without its index       | erspan_opts 1::0:0      | Error: Missing tunnel key erspan option index.               | -EINVAL |
      | an ERSPAN v2 key without its hardware id | erspan_opts 2:0:1:      | Error: Missing tunnel key erspan option dir or hwid.         | -EINVAL |
      | a GTP key without its PDU type           | gtp_opts :8             | Error: cls_flower: Missing tunnel key gtp option pdu type or qfi. | -EINVAL |
      | a geneve option shorter than 4 bytes     | geneve_opts 0102:80:11  | Error: Tunnel key geneve option data is less than 4 bytes long. | -ERANGE |

  Scenario Outline: tc 6.1 refuses <why> before sending anything
    When I run "tc filter add dev v0 ingress protocol <proto> prio 1 flower <keys> action drop"
    Then it fails with "<error>"
    And the trace does not pass through fl_change

    Examples:
      | why                                    | proto   | keys                        | error                                                    |
      | a GTP option with one field            | ip      | gtp_opts 1                  | Illegal \"gtp_opts\"                                     |
      | a geneve option with two fields        | ip      | geneve_opts 0102:80         | Illegal \"geneve_opts\"                                  |
      | a geneve mask with four fields         | ip      | geneve_opts 0102:80:11/1:2:3:4 | Unknown \"geneve_opts\" type                          |
      | a VXLAN GBP that is not a number       | ip      | vxlan_opts gbp              | Illegal \"vxlan_opts\"                                   |
      | a PPPoE session id outside PPPoE       | ip      | pppoe_sid 12                | Can't set \"pppoe_sid\" if ethertype isn't PPPoE session |
      | a PPP protocol outside PPPoE           | ip      | ppp_proto ip                | Can't set \"ppp_proto\" if ethertype isn't PPPoE session |
      | a PPP protocol tc has no name for      | ppp_ses | ppp_proto foo               | Error: argument \"foo\" is wrong: invalid ppp_proto      |

  Scenario Outline: PPPoE <what>
    When I run "tc filter add dev v0 ingress protocol ppp_ses prio 1 flower <keys> action drop"
    Then it succeeds
    And the trace passes through fl_set_key
    When I run "tc filter show dev v0 ingress"
    Then the output contains "<line1>"
    And the output contains "<line2>"

    Examples:
      | what                                                       | keys                                    | line1          | line2            |
      | with ppp_proto ip matches the inner IPv4 header too        | pppoe_sid 1234 ppp_proto ip dst_ip 10.0.0.2 | eth_type ipv4  | dst_ip 10.0.0.2  |
      | with ppp_proto ip dumps the PPP protocol after the session | pppoe_sid 1234 ppp_proto ip             | pppoe_sid 1234 | ppp_proto ip     |
      | with a control protocol keeps the session ethertype        | pppoe_sid 12 ppp_proto lcp              | eth_type 8864  | ppp_proto lcp    |

  Scenario: a PPPoE session id alone leaves no ethertype to match
    # fl_set_key_pppoe clears basic.n_proto when no ppp_proto is given; pppoe.type keeps the session ethertype
    When I run "tc filter add dev v0 ingress protocol ppp_ses prio 1 flower pppoe_sid 13 action drop"
    Then it succeeds
    When I run "tc filter show dev v0 ingress"
    Then the output contains "pppoe_sid 13"
    And the output does not contain "eth_type"

  Scenario: mlx5 has no PPPoE key: "Unsupported key" with skip_sw
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ppp_ses prio 1 flower skip_sw pppoe_sid 12 ppp_proto ip action drop"
    Then it fails with "Error: mlx5_core: Unsupported key."
    And the trace stops in __parse_cls_flower

  Scenario: mlx5 cannot match a VXLAN GBP option: the device lacks the custom tunnel header fields
    # en/tc_tun_vxlan.c mlx5e_tc_tun_parse_vxlan_gbp_option; parse_tunnel_attr then overwrites the message
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      """
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip prio 1 flower verbose enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_key_id 42 enc_dst_port 4789 vxlan_opts 16 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it succeeds with "Warning: mlx5_core: Failed to parse tunnel attributes."
    And mlx5e_tc_tun_parse_vxlan_gbp_option returned -EOPNOTSUPP
    And no FTE is created

  Scenario: without a VNI match mlx5 never looks at the VXLAN option
    # mlx5e_tc_tun_parse_vxlan returns before the GBP check when enc_key_id is not matched
    When I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      tc qdisc add dev vxlan_sys_4789 ingress
      ip addr add 10.0.0.1/24 dev enp8s0f0
      """
    And I run "tc filter add dev vxlan_sys_4789 ingress protocol ip prio 1 flower enc_dst_ip 10.0.0.1 enc_src_ip 10.0.0.2 enc_dst_port 4789 vxlan_opts 16 action tunnel_key unset action mirred egress redirect dev enp8s0f0_0"
    Then it succeeds
    And the trace does not pass through mlx5e_tc_tun_parse_vxlan_gbp_option
    And 1 FTE is created
