Feature: Device capabilities decide what mlx5 offloads
  The topology describes the device's firmware caps; the driver reads them
  where upstream does (MLX5_CAP_*): flex-parser ICMP, the FDB ft_field_support
  bits outer_ipv4_ttl and outer_second_vid (read even for NIC flows), and
  ignore_flow_level, which gives chains and prios beyond FDB_TC_MAX_CHAIN (3)
  and FDB_TC_MAX_PRIO (16) — and any chain at all on a NIC in legacy mode.
  The driver's refusals reach tc as an extack only with skip_sw (or verbose).

  Scenario Outline: Without <cap>, <what> is refused with "<extack>"
    Given a NIC without <cap>
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress <filter>
      """
    Then it fails with "Error: mlx5_core: <extack>."
    And no FTE is created

    Examples:
      | cap               | what               | filter                                                                                      | extack                                              |
      | flex_parser_icmp  | ICMP type          | protocol ip prio 1 flower skip_sw ip_proto icmp type 8 action drop                           | Match on Flex protocols for ICMP is not supported   |
      | flex_parser_icmp  | ICMPv6 type        | protocol ipv6 prio 1 flower skip_sw ip_proto icmpv6 type 128 action drop                     | Match on Flex protocols for ICMPV6 is not supported |
      | outer_ipv4_ttl    | a TTL match        | protocol ip prio 1 flower skip_sw ip_ttl 5 action drop                                       | Matching on TTL is not supported                    |
      | outer_second_vid  | a CVLAN match      | protocol 802.1ad prio 1 flower skip_sw vlan_id 5 vlan_ethtype 802.1q cvlan_id 6 action drop  | Matching on CVLAN is not supported                  |
      | ignore_flow_level | chain 4            | protocol ip chain 4 prio 1 flower skip_sw dst_ip 10.0.0.1 action drop                        | Requested chain is out of supported range           |
      | ignore_flow_level | prio 17            | protocol ip prio 17 flower skip_sw dst_ip 10.0.0.1 action drop                               | Requested priority is out of supported range        |

  Scenario Outline: With the default caps, <what> is offloaded
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress <filter>
      """
    Then it succeeds
    And 1 FTE is created

    Examples:
      | what        | filter                                                                                      |
      | ICMP type   | protocol ip prio 1 flower skip_sw ip_proto icmp type 8 action drop                           |
      | a TTL match | protocol ip prio 1 flower skip_sw ip_ttl 5 action drop                                       |
      | a CVLAN     | protocol 802.1ad prio 1 flower skip_sw vlan_id 5 vlan_ethtype 802.1q cvlan_id 6 action drop  |
      | chain 4     | protocol ip chain 4 prio 1 flower skip_sw dst_ip 10.0.0.1 action drop                        |
      | prio 17     | protocol ip prio 17 flower skip_sw dst_ip 10.0.0.1 action drop                               |

  Scenario: Without ignore_flow_level, chain 3 and prio 16 are the last in range
    Given a NIC without ignore_flow_level
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip chain 3 prio 16 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And 1 FTE is created

  Scenario: A legacy NIC without ignore_flow_level offloads chain 0 only, with the generic helper's text
    Given a NIC in legacy mode
    And a NIC without ignore_flow_level
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip chain 1 prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it fails with "Error: Driver supports only offload of chain 0."
    And mlx5e_add_nic_flow returned -EOPNOTSUPP
    And the trace does not pass through parse_cls_flower

  Scenario: A legacy NIC without ignore_flow_level has one prio: prio 2 fails in mlx5_chains_get_table, no extack
    Given a NIC in legacy mode
    And a NIC without ignore_flow_level
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      tc filter add dev enp8s0f0 ingress protocol ip prio 2 flower skip_sw dst_ip 10.0.0.2 action drop
      """
    Then it fails with "Operation not supported"
    And the output does not contain "mlx5_core"
    And mlx5_chains_get_table returned -EOPNOTSUPP

  Scenario: A legacy NIC with ignore_flow_level takes chains and prios
    Given a NIC in legacy mode
    When I run:
      """
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip chain 7 prio 3 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And 1 FTE is created

  Scenario: A NIC with 1 VF has one representor
    Given a NIC with 1 VF
    When I run "ethtool -k enp8s0f0_0"
    Then it succeeds
    When I run "tc qdisc add dev enp8s0f0_1 ingress"
    Then it fails with "Cannot find device \"enp8s0f0_1\""

  Scenario: smfs needs the sw_owner cap
    Given a NIC in legacy mode
    And a NIC without sw_owner
    When I run "devlink dev param set pci/0000:08:00.0 name flow_steering_mode value smfs cmode runtime"
    Then it fails with "Software managed steering is not supported by current device"

  Scenario: log_max_ft_size caps the chain tables: 2^20 entries instead of 4M
    Given a NIC with log_max_ft_size 20
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the firmware holds a 1048576-entry flow table
    And the firmware lacks a 4194304-entry flow table
