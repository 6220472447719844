Feature: Tour 5 — cls_flower keeps the filter and reads the skip flags
  tc_new_tfilter finds the block and chain and hands the request to the
  classifier named in it, here flower. fl_change parses the keys and masks,
  stores the filter for the software datapath and then, unless the filter
  says skip_hw, offers it to hardware (fl_hw_replace_filter). The flags
  decide what a refusal means: without flags a refused offload is fine and
  the filter stays in software ("not_in_hw"); with skip_sw there is no
  software copy, so a refusal fails the whole command; with skip_hw no
  driver is ever asked. OVS sets these flags from other_config:tc-policy.

  Scenario Outline: tc-policy <policy> decides whether the driver is asked
    Given hw-offload is enabled
    And tc-policy <policy>
    When a flow is put
    Then the trace passes through fl_change
    And the trace <asked> fl_hw_replace_filter
    And the tc filter is "<flags>"

    Examples:
      | policy  | asked                 | flags                       |
      | none    | passes through        | in_hw in_hw_count 1         |
      | skip_sw | passes through        | skip_sw in_hw in_hw_count 1 |
      | skip_hw | does not pass through | skip_hw not_in_hw           |

  Scenario: Without skip_sw a refused offload leaves the filter in software
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 3 flower ip_proto sctp dst_port 80 action drop
      """
    Then it succeeds
    And the tc filter is "not_in_hw"

  Scenario: With skip_sw the same refusal fails the command with the driver's message
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 3 flower skip_sw ip_proto sctp dst_port 80 action drop
      """
    Then it fails with "Error: mlx5_core: Only UDP and TCP transports are supported for L4 matching."
    And no tc filter exists
