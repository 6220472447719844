Feature: act_police: average rate and its estimator, peak rate, packet rate
  tcf_police_init accepts an average rate (avrate) only when the action has a
  rate estimator: a filter's "estimator INTERVAL TIME_CONSTANT" (TCA_RATE) is
  handed to every action it creates, and gen_new_estimator checks it. tc 6.1
  checks the combinations of rate, peakrate, mtu and pkts_rate before sending.
  For offload, tcf_police_offload_act_setup hands the driver the rates, the
  bucket sizes and both verdicts ("continue" included); mlx5 refuses avrate,
  peakrate and overhead, and verdicts other than pipe, ok, jump and drop.

  Background:
    Given I run "ip link add v0 type veth peer name v1"
    And I run "tc qdisc add dev v0 ingress"

  Scenario: avrate without an estimator has nothing to compare with
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police avrate 1mbit conform-exceed drop/pipe"
    Then it fails with "RTNETLINK answers: Invalid argument"
    And tcf_police_init returned -EINVAL

  Scenario: avrate with the filter's estimator is accepted and printed
    When I run "tc filter add dev v0 ingress protocol ip prio 1 estimator 1sec 8sec flower dst_ip 10.0.0.1 action police avrate 1mbit conform-exceed drop/pipe"
    Then it succeeds
    And the trace passes through tcf_police_init
    When I run "tc filter show dev v0 ingress"
    Then the output contains "avrate 1Mbit action drop/pipe"

  Scenario: an estimator interval above 8 seconds is refused by tc 6.1
    # tc/tc_estimator.c tc_setup_estimator: intervals are 250ms·2^n, n ≤ 5 before the -2 shift
    When I run "tc filter add dev v0 ingress protocol ip prio 1 estimator 10sec 8sec flower dst_ip 10.0.0.1 action police avrate 1mbit"
    Then it fails with "Error: estimator parameters are out of range."
    And the trace does not pass through tc_new_tfilter

  Scenario Outline: police <what> is accepted and printed
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police <police>"
    Then it succeeds
    When I run "tc filter show dev v0 ingress"
    Then the output contains "<printed>"

    Examples:
      | what                       | police                                                     | printed                                                     |
      | a packet rate and burst    | pkts_rate 1000 pkts_burst 100 conform-exceed drop/pipe      | rate 0bit burst 0b mtu 4096Mb pkts_rate 1000 pkts_burst 100 |
      | a peak rate with its mtu   | rate 1mbit burst 10k peakrate 2mbit mtu 2k conform-exceed drop/pipe | mtu 2Kb peakrate 2Mbit action drop/pipe               |
      | an ATM link layer          | rate 1mbit burst 10k linklayer atm conform-exceed drop/pipe | overhead 0b linklayer atm                                  |

  Scenario Outline: tc 6.1 refuses <why>
    When I run "tc filter add dev v0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action police <police>"
    Then it fails with "<error>"
    And the trace does not pass through tc_new_tfilter

    Examples:
      | why                                  | police                                           | error                                                  |
      | a packet rate without its burst      | pkts_rate 1000                                   | 'pkts_burst' requires 'pkts_rate'.                     |
      | a byte rate and a packet rate        | rate 1mbit burst 10k pkts_rate 1000 pkts_burst 10 | 'rate' and 'pkts_rate' are not allowed in same action. |
      | a peak rate without mtu              | rate 1mbit burst 10k peakrate 2mbit              | 'mtu' is required, if 'peakrate' is requested.         |
      | a peak rate without a rate           | peakrate 2mbit mtu 2k                            | 'peakrate' requires 'rate'.                            |

  Scenario Outline: mlx5 refuses police with <why> (skip_sw)
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 <est> skip_sw dst_ip 10.0.0.1 action police <police> action mirred egress redirect dev enp8s0f0_1"
    Then it fails with "<error>"
    And the trace passes through tcf_police_offload_act_setup
    And the trace passes through police_act_validate

    Examples:
      | why                      | est                        | police                                                              | error                                                                                                   |
      | an average rate          | estimator 1sec 8sec flower | avrate 1mbit conform-exceed drop/pipe                               | Error: mlx5_core: Offload not supported when peakrate/avrate/overhead is configured.                    |
      | a peak rate              | flower                     | rate 1mbit burst 10k peakrate 2mbit mtu 2k conform-exceed drop/pipe | Error: mlx5_core: Offload not supported when peakrate/avrate/overhead is configured.                    |
      | an overhead              | flower                     | rate 1mbit burst 10k overhead 4 conform-exceed drop/pipe            | Error: mlx5_core: Offload not supported when peakrate/avrate/overhead is configured.                    |
      | exceed "continue"        | flower                     | rate 1mbit burst 10k conform-exceed continue/pipe                   | Error: mlx5_core: Offload not supported when conform-exceed action is not pipe, ok, jump or drop.       |

  Scenario: a packet-rate police becomes a packets-per-second meter in mlx5
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    And I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action police pkts_rate 1000 pkts_burst 100 conform-exceed drop/pipe action mirred egress redirect dev enp8s0f0_1"
    Then it succeeds
    And the trace passes through, in order:
      | hop                           |
      | tcf_police_offload_act_setup  |
      | tc_act_parse_police           |
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "in_hw in_hw_count 1"
