Feature: Dumps and statistics
  Every dump of a filter that is not skip_hw asks the drivers for its counters
  (FLOW_CLS_STATS → mlx5e_stats_flower) and folds them into the actions'
  statistics; `tc -s` shows them, split into software and hardware once the
  hardware has counted something. Action ages come from the host's clock.

  Background:
    Given I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 ip_proto tcp dst_port 80 action drop
      """

  Scenario: A dump queries the driver's counters for each filter
    When I run "tc -s filter show dev enp8s0f0_0 ingress"
    Then it succeeds
    And the trace passes through, in order:
      | hop                 |
      | tc_dump_tfilter     |
      | fl_hw_update_stats  |
      | mlx5e_stats_flower  |
      | tcf_action_dump     |
    And the output contains "Action statistics:"
    And the output contains "Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0)"
    And the output contains "used_hw_stats delayed"
    And the output does not contain "Sent hardware"

  Scenario: Hardware counters are merged into the action and shown as hardware
    When I run:
      """
      sleep 2
      emulate traffic 10 packets 1500 bytes
      sleep 3
      tc -s filter show dev enp8s0f0_0 ingress
      """
    Then the output contains "index 1 ref 1 bind 1 installed 5 sec used 2 sec"
    And the output contains "Sent 1500 bytes 10 pkt (dropped 10, overlimits 0 requeues 0)"
    And the output contains "Sent software 0 bytes 0 pkt"
    And the output contains "Sent hardware 1500 bytes 10 pkt"

  Scenario: The same counters in JSON; an age of 0 (used this tick) is left out, as print_tm does
    When I run:
      """
      sleep 2
      emulate traffic 4 packets 256 bytes
      sleep 1
      tc -s -j filter show dev enp8s0f0_0 ingress
      """
    Then the output contains '"installed":3,"stats"'
    And the output contains '"hw_bytes":256,"hw_packets":4'

  Scenario: A skip_hw filter is never asked for hardware counters
    When I run:
      """
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 2 flower skip_hw dst_ip 10.0.0.2 action drop
      tc filter show dev enp8s0f0_0 ingress pref 2
      """
    Then the output contains "skip_hw"
    And the trace does not pass through fl_hw_update_stats

  Scenario: tc filter get asks for the counters of one filter
    When I run "tc filter get dev enp8s0f0_0 ingress protocol ip pref 1 handle 1 flower"
    Then it succeeds
    And the trace passes through tc_get_tfilter
    And the trace passes through mlx5e_stats_flower
    And the output contains "dst_port 80"

  Scenario: tc filter get of a missing handle
    When I run "tc filter get dev enp8s0f0_0 ingress protocol ip pref 1 handle 5 flower"
    Then it fails with "Error: Specified filter handle not found."
