Feature: Tour 3 — the TC provider turns a datapath flow into a flower filter
  netdev-offload-tc is OVS's bridge to Linux tc. netdev_tc_flow_put checks
  that every matched field and every action has a flower equivalent (a flow
  with anything it cannot express is refused with EOPNOTSUPP), picks a tc
  priority per (ethertype, mask) combination, and builds one RTM_NEWTFILTER
  request (tc_replace_flower) with the tc-policy flags. It remembers which tc
  filter holds which ufid, so later dumps and deletes can find it. The filter
  it creates is an ordinary tc filter: `tc filter show` prints it.

  Background:
    Given hw-offload is enabled

  Scenario: The provider checks the match and actions, picks a priority and sends one request
    When a flow is put
    Then the trace passes through, in order:
      | hop                        | file                    |
      | netdev_tc_flow_put         | lib/netdev-offload-tc.c |
      | test_key_and_mask          | lib/netdev-offload-tc.c |
      | netdev_tc_parse_nl_actions | lib/netdev-offload-tc.c |
      | get_prio_for_tc_flower     | lib/netdev-offload-tc.c |
      | tc_replace_flower          | lib/tc.c                |
      | tc_transact                | lib/tc.c                |
      | add_ufid_tc_mapping        | lib/netdev-offload-tc.c |

  Scenario: The filter OVS made is visible to tc
    When a flow is put
    And I run "tc filter show dev enp8s0f0_0 ingress"
    Then it succeeds
    And the output contains "dst_mac 02:00:00:00:00:02"
    And the output contains "in_hw in_hw_count 1"
    And the output contains "action order 1: mirred (Egress Redirect to device enp8s0f0)"

  Scenario: An action with no tc equivalent stops the provider before any request
    Given ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "trunc(100),1"
    Then the trace does not pass through tc_replace_flower
    And the ovs-vswitchd log contains "unsupported put action type: 13"
