Feature: MPLS from OVS through tc act_mpls to mlx5
  lib/netdev-offload-tc.c turns push_mpls, pop_mpls and set(mpls(...)) into
  tc mpls push / pop / modify actions (lib/tc.c nl_msg_put_act_*_mpls) and
  an outer-label match into the flower mpls_* keys (values only: flower has
  no masks for them). net/sched/act_mpls.c validates each mode; mlx5
  (en/tc/act/mpls.c) offloads an MPLS push only as MPLS over UDP, through a
  bareudp device, and a pop only on a bareudp filter device; an MPLS match
  only for MPLS over UDP. push_mpls/pop_mpls come from translation:
  ovs-appctl dpctl/add-flow cannot parse them (parse_odp_action__ has no
  branch for their text).

  # The tc-policy is read when ovs-vswitchd starts, so each scenario sets
  # it before the log levels (which start the daemon).
  Background:
    Given hw-offload is enabled

  Scenario Outline: <action> is sent to tc as mpls <mode> and dumps back unchanged
    Given tc-policy skip_hw
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"
    When a miss upcall for "<key>" is handled with actions "<actions>"
    Then the flow is in tc software
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output does not contain "Kernel flower acknowledgment does not match request"
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "<tc>"
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "actions:<actions>"

    Examples:
      | action     | mode   | key                                                                                                                            | actions                                                      | tc                                                   |
      | push_mpls  | push   | recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80) | push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),1     | mpls  push protocol mpls_uc label 100 tc 0 bos 1 ttl 64 pipe |
      | pop_mpls   | pop    | recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)  | pop_mpls(eth_type=0x800),1                                   | mpls  pop protocol ip pipe                           |
      | set(mpls)  | modify | recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)  | set(mpls(label=200,tc=1,ttl=63,bos=1)),1                     | mpls  modify label 200 tc 1 bos 1 ttl 63 pipe        |

  Scenario: An outer-label match becomes the flower mpls_* keys
    Given tc-policy skip_hw
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)" is handled with actions "1"
    Then the flow is in tc software
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "filter protocol mpls_uc pref"
    And the output contains "mpls_label 100"
    And the output contains "mpls_ttl 64"
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1), packets:0"

  # flower has only exact MPLS keys: a partial label mask is sent as an
  # exact label, and the echo no longer compares equal.
  Scenario: A masked MPLS label is matched exactly by tc and OVS warns
    Given tc-policy skip_hw
    And ovs-appctl vlog/set "tc:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=100/0xff)" is handled with actions "1"
    Then the flow is in tc software
    And the ovs-vswitchd log contains "tc|WARN|Kernel flower acknowledgment does not match request!"

  # A set of an MPLS field with a mask is a set_masked, and MPLS is not in
  # set_flower_map.
  Scenario: A masked MPLS rewrite stays in the kernel datapath
    Given ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)" is handled with actions "set(mpls(ttl=63)),1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "netdev_offload_tc|DBG|unsupported set action type: 21"

  Scenario: ovs-appctl dpctl/add-flow does not parse push_mpls
    When I run "ovs-appctl dpctl/add-flow 'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 'push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),1'"
    Then it fails with "ovs-vswitchd: parsing actions (Invalid argument)"

  # With tc-policy none the filter stays in tc software, not in hardware:
  # mlx5 wants the push to leave through a bareudp device.
  Scenario: An MPLS push to the uplink is not offloaded to the NIC
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),1"
    Then the flow is in tc software

  Scenario: With skip_sw an MPLS push falls back to the kernel datapath
    Given tc-policy skip_sw
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "dpif_netlink|DBG|failed to offload flow: Operation not supported: enp8s0f0_0"

  Scenario: With skip_sw an MPLS match falls back to the kernel datapath
    Given tc-policy skip_sw
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)" is handled with actions "1"
    Then the flow is in the OVS kernel datapath
    When I run "dmesg"
    Then the output contains "enp8s0f0_0: Matching on MPLS is supported only for MPLS over UDP"

  Scenario Outline: tc action mpls <what> is refused: <error>
    When I run "tc filter add dev enp8s0f0_0 ingress protocol <proto> flower <flags> action mpls <args>"
    Then it fails with "<error>"

    Examples:
      | what                   | proto   | flags   | args                                                          | error                                                        |
      | push to the uplink     | ip      | skip_sw | push label 100 action mirred egress redirect dev enp8s0f0     | Error: mlx5_core: mpls is supported only through a bareudp device. |
      | push of mpls_mc        | ip      | skip_sw | push protocol mpls_mc label 100 action mirred egress redirect dev enp8s0f0 | Error: mlx5_core: mpls push is supported only for mpls_uc protocol. |
      | pop on a representor   | mpls_uc | skip_sw | pop protocol ip action mirred egress redirect dev enp8s0f0    | Error: mlx5_core: mpls pop supported only on bareudp devices. |
      | dec_ttl in hardware    | ip      | skip_sw | dec_ttl action mirred egress redirect dev enp8s0f0            | Error: act_mpls: Offload not supported when                  |
      | the implicit-null label | ip     | skip_hw | push label 3                                                  | Error: act_mpls: MPLS label out of range.                    |
      | pop to a length        | ip      | skip_hw | pop protocol 0x0001                                           | Error: act_mpls: Invalid protocol type for MPLS pop.         |
      | push without a label   | ip      | skip_hw | push ttl 5                                                    | is required                                                  |
      | ttl 0                  | ip      | skip_hw | push label 100 ttl 0                                          | ttl must be >0 and <=255                                     |

  Scenario: tc action mpls push without a ttl gets the default 255
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip flower skip_hw action mpls push label 100"
    And I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "mpls  push protocol mpls_uc label 100 ttl 255 pipe"
