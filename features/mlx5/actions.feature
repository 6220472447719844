Feature: mlx5 action support differs between the FDB (switchdev) and the NIC (legacy)
  parse_tc_actions looks every action up in the namespace's table
  (en/tc/act/act.c): the eswitch FDB knows vlan, pedit, csum, mirror, ct,
  police, sample…; the NIC RX tables know far fewer (no vlan, no mirror, no
  police) but add skbedit mark as the flow tag. An action missing from the
  table is "Not implemented offload action"; a known one can still refuse
  through its handler. These texts reach tc only with skip_sw (or verbose).

  Scenario Outline: On a VF representor (FDB), <what> is refused: "<extack>"
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 <actions>
      """
    Then it fails with "Error: mlx5_core: <extack>."
    And no FTE is created

    Examples:
      | what                     | actions                                                                  | extack                                            |
      | skbedit mark             | action skbedit mark 5 action drop                                        | Not implemented offload action                     |
      | csum without pedit       | action csum iph action drop                                              | TC csum action is only offloaded with pedit        |
      | a second ct (A17)        | action ct zone 1 action ct zone 2 action drop                            | Multiple CT actions are not supported              |
      | three vlan pops          | action vlan pop action vlan pop action vlan pop action drop              | Total vlans used is greater than supported         |
      | pop+push without a VLAN match | action vlan pop action vlan push id 7 action mirred egress redirect dev enp8s0f0 | VLAN rewrite action must have VLAN protocol match |
      | redirect to itself       | action mirred egress redirect dev enp8s0f0_0                             | can't forward from a VF to itself                  |
      | the same output twice    | action mirred egress mirror dev enp8s0f0 action mirred egress redirect dev enp8s0f0 | can't duplicate output to same device   |
      | a redirect to ingress    | action mirred ingress redirect dev enp8s0f0_1                            | redirect to ingress is supported only for OVS internal ports |

  Scenario Outline: On a legacy NIC, <what> is refused: "<extack>"
    Given a NIC in legacy mode
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 <actions>
      """
    Then it fails with "Error: mlx5_core: <extack>."
    And no FTE is created

    Examples:
      | what         | actions                                        | extack                         |
      | vlan push    | action vlan push id 10 action drop             | Not implemented offload action |
      | trap         | action trap                                    | Not implemented offload action |
      | a mirror     | action mirred egress mirror dev enp8s0f0       | Not implemented offload action |
      | a second ct  | action ct zone 1 action ct zone 2 action drop  | Multiple CT actions are not supported |

  Scenario: A legacy NIC offloads skbedit mark as the flow tag
    Given a NIC in legacy mode
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action skbedit mark 5 action pass
      """
    Then it succeeds
    And 1 FTE is created
    And the trace passes through tc_act_parse_mark

  Scenario: vlan push then redirect on a VF representor is one FTE with VLAN_PUSH
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action vlan push id 10 action mirred egress redirect dev enp8s0f0
      """
    Then it succeeds
    And 1 FTE is created
    And the trace passes through parse_tc_vlan_action
    And the trace passes through mlx5_eswitch_add_offloaded_rule

  Scenario: Mirror to the uplink and redirect to another VF: one FTE, two vport destinations
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action mirred egress mirror dev enp8s0f0 action mirred egress redirect dev enp8s0f0_1
      """
    Then it succeeds
    And 1 FTE is created
    And the trace passes through, in order:
      | hop                       | file                                                       |
      | tc_act_can_offload_mirred | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mirred.c |
      | parse_mirred              | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mirred.c |
      | tc_act_can_offload_mirred | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mirred.c |
      | parse_mirred              | drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mirred.c |
