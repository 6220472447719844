Feature: tc actions beyond drop and redirect: accepted, shown, and mapped for offload
  Each action kind parses its own attributes in tcf_<kind>_init (with the
  kernel's validation and messages), dumps them back so tc 6.1 prints them,
  and maps itself to flow_action entries in its offload_act_setup. A kind
  that cannot be expressed for hardware keeps a filter in software, silently,
  unless the filter says skip_sw. These scenarios use a veth pair, so the
  kernel's own decisions are what is observed.

  Background:
    Given I run "ip link add v0 type veth peer name v1"
    And I run "tc qdisc add dev v0 ingress"

  Scenario Outline: <kind> is accepted and printed as tc 6.1 prints it
    When I run "tc filter add dev v0 ingress protocol <proto> prio 1 flower <match> action <action>"
    Then it succeeds
    And the trace passes through <init>
    When I run "tc filter show dev v0 ingress"
    Then the output contains "<shown>"
    And the output contains "not_in_hw"

    Examples:
      | kind           | proto  | match                                         | action                                                                          | init              | shown                                                          |
      | vlan push      | ip     | dst_ip 10.0.0.1                               | vlan push id 100 action mirred egress redirect dev v1                           | tcf_vlan_init     | action order 1: vlan  push id 100 protocol 802.1Q pipe         |
      | vlan pop       | 802.1q | vlan_id 100                                   | vlan pop action mirred egress redirect dev v1                                   | tcf_vlan_init     | action order 1: vlan  pop pipe                                 |
      | tunnel_key set | ip     | dst_ip 10.0.0.1                               | tunnel_key set id 42 src_ip 10.1.1.2 dst_ip 10.1.1.1 dst_port 4789              | tunnel_key_init   | dst_port 4789                                                  |
      | tunnel_key unset | ip   | enc_key_id 42 enc_dst_ip 10.1.1.1 enc_src_ip 10.1.1.2 enc_dst_port 4789 | tunnel_key unset action mirred egress redirect dev v1 | tunnel_key_init | action order 1: tunnel_key  unset pipe                 |
      | pedit          | ip     | dst_ip 10.0.0.1                               | pedit ex munge eth dst set 02:00:00:00:00:09 pipe                               | tcf_pedit_init    | key #1  at eth+4: val 00090000 mask 0000ffff                   |
      | pedit add      | ip     | dst_ip 10.0.0.1                               | pedit ex munge ip ttl dec pipe action csum ip pipe                              | tcf_pedit_init    | key #0  at ipv4+8: add ff000000 mask 00ffffff                  |
      | csum           | ip     | dst_ip 10.0.0.1                               | csum ip pipe                                                                    | tcf_csum_init     | action order 1: csum (iph) action pipe                         |
      | skbedit        | ip     | dst_ip 10.0.0.1                               | skbedit mark 7 action pass                                                      | tcf_skbedit_init  | action order 1: skbedit  mark 7 pipe                           |
      | police         | ip     | dst_ip 10.0.0.1                               | police rate 1mbit burst 10k conform-exceed drop/pipe action pass                | tcf_police_init   | police 0x1 rate 1Mbit burst 10Kb mtu 2Kb action drop/pipe overhead 0b |
      | sample         | ip     | dst_ip 10.0.0.1                               | sample rate 100 group 5                                                         | tcf_sample_init   | action order 1: sample rate 1/100 group 5 pipe                 |
      | ct             | ip     | ct_state -trk                                 | ct zone 1 pipe action goto chain 1                                              | tcf_ct_init       | action order 1: ct zone 1 pipe                                 |
      | ct commit      | ip     | ct_state +trk+new                             | ct commit zone 1 action mirred egress redirect dev v1                           | tcf_ct_init       | action order 1: ct commit zone 1 pipe                          |

  Scenario: an action the hardware cannot express keeps the filter in software without a word
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action skbedit mark 7/0xff action pass"
    Then it succeeds
    And tcf_skbedit_offload_act_setup returned -EOPNOTSUPP
    And the trace does not pass through tc_setup_cb_add

  Scenario Outline: with skip_sw the action's refusal is the answer: <why>
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action <action>"
    Then it fails with "<error>"
    And the trace does not pass through tc_setup_cb_add

    Examples:
      | why                          | action                                                             | error                                                                                   |
      | skbedit mark with a mask     | skbedit mark 7/0xff action pass                                    | Error: act_skbedit: Unsupported skbedit option offload.                                 |
      | police conform reclassify    | police rate 1mbit burst 10k conform-exceed reclassify/pipe         | Error: act_police: Offload not supported when conform/exceed action is \"reclassify\".    |
      | police exceed trap           | police rate 1mbit burst 10k conform-exceed trap/pipe               | Error: act_police: Unsupported conform/exceed action offload.                           |

  Scenario: an offloadable action with skip_sw on a veth stops at the block's non-offload device
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action vlan push id 10"
    Then it fails with "RTNETLINK answers: Operation not supported"
    And the trace passes through tcf_vlan_offload_act_setup
    And tc_setup_cb_add returned -EOPNOTSUPP

  Scenario Outline: tcf_<kind>_init refuses <why>
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action <action>"
    Then it fails with "<error>"

    Examples:
      | kind   | why                    | action                          | error                                            |
      | vlan   | the reserved VLAN 4095 | vlan push id 4095               | RTNETLINK answers: Numerical result out of range |
      | sample | a rate of 0            | sample rate 0 group 5           | Error: invalid sample rate.                      |
