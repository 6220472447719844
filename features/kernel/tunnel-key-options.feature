Feature: tunnel_key set with geneve, vxlan and erspan options
  tc 6.1 sends "vxlan_opts GBP" and "erspan_opts VER:INDEX:DIR:HWID" as a
  TCA_TUNNEL_KEY_ENC_OPTS nest holding one strict (NLA_F_NESTED) option nest.
  tunnel_key_copy_opts walks the list once to size it and once to copy it:
  geneve options may repeat, a vxlan or an erspan option stands alone. The
  vxlan GBP is kept masked to the GBP bits the VXLAN header carries; an erspan
  v1 option needs its index, a v2 option its direction and hardware id, and
  only the bits the header has room for are kept. The dump gives the options
  back and tc prints them as it parsed them. mlx5 builds the VXLAN GBP bits
  into the encap header it asks the firmware to prepend.

  Background:
    Given I run "ip link add v0 type veth peer name v1"
    And I run "tc qdisc add dev v0 ingress"

  Scenario Outline: <what> is kept and printed back
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower action tunnel_key set src_ip 10.1.1.2 dst_ip 10.1.1.1 id 42 <opts>"
    Then it succeeds
    And the trace passes through tunnel_key_copy_opts
    When I run "tc filter show dev v0 ingress"
    Then the output contains "<printed>"

    Examples:
      | what                                                 | opts                               | printed                            |
      | a VXLAN GBP                                          | vxlan_opts 16                      | vxlan_opts 16                      |
      | a VXLAN GBP beyond the GBP bits (masked to 0x48ffff) | vxlan_opts 0xffffffff              | vxlan_opts 4784127                 |
      | an ERSPAN v1 index                                   | erspan_opts 1:12:0:0               | erspan_opts 1:12:0:0               |
      | an ERSPAN v2 direction and hardware id               | erspan_opts 2:0:1:7                | erspan_opts 2:0:1:7                |
      | an ERSPAN v2 hardware id beyond 6 bits (kept 0x3f)   | erspan_opts 2:0:1:255              | erspan_opts 2:0:1:63               |
      | two geneve options                                   | geneve_opts 0102:80:00001111,0103:81:22222222 | geneve_opts 0102:80:00001111,0103:81:22222222 |

  Scenario: tc -j prints the options as an array of fields
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower action tunnel_key set src_ip 10.1.1.2 dst_ip 10.1.1.1 vxlan_opts 16"
    And I run "tc filter add dev v0 ingress protocol ip prio 2 flower action tunnel_key set src_ip 10.1.1.2 dst_ip 10.1.1.1 erspan_opts 2:0:1:7"
    And I run "tc -j filter show dev v0 ingress"
    Then the output contains "\"vxlan_opts\":[{\"gbp\":16}]"
    And the output contains "\"erspan_opts\":[{\"ver\":2,\"index\":0,\"dir\":1,\"hwid\":7}]"

  Scenario Outline: the kernel refuses <why>
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower action tunnel_key set src_ip 10.1.1.2 dst_ip 10.1.1.1 <opts>"
    Then it fails with "<error>"
    And tunnel_key_copy_opts returned -EINVAL
    And tunnel_key_init returned -EINVAL

    Examples:
      | why                                   | opts                | error                                                  |
      | an ERSPAN version other than 1 or 2   | erspan_opts 3:1:0:0 | Error: Tunnel key erspan option ver is incorrect.      |
      | an ERSPAN v1 option without its index | erspan_opts 1       | Error: Missing tunnel key erspan option index.         |
      | an ERSPAN v2 option without its hwid  | erspan_opts 2:0:1   | Error: Missing tunnel key erspan option dir or hwid.   |

  Scenario Outline: tc 6.1 refuses <why> before sending anything
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower action tunnel_key set src_ip 10.1.1.2 dst_ip 10.1.1.1 <opts>"
    Then it fails with "<error>"
    And the trace does not pass through tunnel_key_init

    Examples:
      | why                                 | opts                  | error                  |
      | a VXLAN GBP that is not a number    | vxlan_opts gbp        | Illegal \"vxlan_opts\"   |
      | an ERSPAN option with five fields   | erspan_opts 1:2:0:0:9 | Illegal \"erspan_opts\"  |
      | an ERSPAN index beyond 32 bits      | erspan_opts 1:4294967296 | Illegal \"erspan_opts\" |

  Scenario: an encap with a VXLAN GBP is offloaded with its own reformat context
    # core/en/tc_tun_vxlan.c mlx5e_gen_ip_tunnel_header_vxlan builds the GBP header;
    # mlx5e_tc_tun_encap_info_equal_options keeps encaps with different options apart
    Given I run:
      """
      ip link add vxlan_sys_4789 type vxlan dstport 4789 external
      ip addr add 10.0.0.1/24 dev enp8s0f0
      ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud permanent
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 action mirred egress redirect dev vxlan_sys_4789
      """
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower skip_sw action tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 vxlan_opts 16 action mirred egress redirect dev vxlan_sys_4789"
    Then it succeeds
    And the trace passes through mlx5_cmd_packet_reformat_alloc
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "vxlan_opts 16"
