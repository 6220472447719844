Feature: OVS revalidators expire idle flows, in tc and in the NIC too
  ovs-vswitchd's revalidator wakes every MIN(max-idle, max-revalidator) ms
  (500 ms by default), dumps every datapath flow (tc's first, then the
  kernel datapath's) and deletes those unused for longer than
  other_config:max-idle (10000 ms by default). The "used" time of an
  offloaded flow is the last use tc reports for its actions, which the
  driver takes from the NIC's flow counters; so a flow that hardware traffic
  keeps hitting stays, and an idle one is deleted through dpif_operate,
  netdev_tc_flow_del, an RTM_DELTFILTER and the driver's FLOW_CLS_DESTROY.
  (ofproto/ofproto-dpif-upcall.c udpif_revalidator, revalidate,
  push_dp_ops; lib/netdev-offload-tc.c netdev_tc_flow_del.)

  Scenario: An offloaded flow nobody uses is gone after max-idle
    Given hw-offload is enabled
    And I run "emulate upcall 2 'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' '3'"
    When I run "sleep 9"
    Then the flow is in tc software and NIC hardware
    When I run "sleep 2"
    Then it succeeds
    And the trace passes through, in order:
      | hop                      |
      | udpif_revalidator        |
      | revalidate               |
      | push_dp_ops              |
      | netdev_tc_flow_del       |
      | tc_del_tfilter           |
      | mlx5e_delete_flower      |
      | DELETE_FLOW_TABLE_ENTRY  |
      | revalidator_sweep        |
    When I run "ovs-appctl dpctl/dump-flows"
    Then the output is:
      """
      """
    When I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output does not contain "flower"
    When I run "ovs-appctl upcall/show"
    Then the output contains "offloaded flows : 0"
    And the output contains "dump duration : 1ms"
    And the output contains "2: (keys 0)"

  Scenario: A flow that hardware traffic keeps hitting survives max-idle
    Given hw-offload is enabled
    And I run "emulate upcall 2 'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' '3'"
    When I run:
      """
      sleep 5
      emulate traffic 9 packets 756 bytes
      sleep 6
      ovs-appctl dpctl/dump-flows
      """
    Then the output is:
      """
      recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no), packets:9, bytes:756, used:5.000s, actions:3
      """
    When I run "ovs-appctl upcall/show"
    Then the output contains "offloaded flows : 1"
    And the output contains "2: (keys 1)"
    # Idle again since the counters last moved (t=6 s): gone 10 s later.
    When I run "sleep 6"
    Then it succeeds
    When I run "ovs-appctl dpctl/dump-flows"
    Then the output is:
      """
      """

  Scenario: other_config:max-idle shortens the idle time
    Given hw-offload is enabled
    And I run "emulate upcall 2 'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' '3'"
    When I run:
      """
      ovs-vsctl set Open_vSwitch . other_config:max-idle=2000
      sleep 1.5
      ovs-appctl dpctl/dump-flows
      """
    Then the output contains "actions:3"
    When I run:
      """
      sleep 1
      ovs-appctl dpctl/dump-flows
      """
    Then the output is:
      """
      """

  Scenario: A flow in the kernel datapath expires the same way
    Given hw-offload is disabled
    When I run:
      """
      emulate upcall 2 'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' '3'
      sleep 9
      ovs-appctl dpctl/dump-flows -m
      """
    Then the output contains "dp:ovs"
    And the OVS kernel datapath holds 1 flow
    When I run:
      """
      sleep 2
      ovs-appctl dpctl/dump-flows
      """
    Then the output is:
      """
      """
    And the OVS kernel datapath holds 0 flows

  Scenario: A flow added with ovs-appctl dpctl/add-flow gets a ukey from the revalidator and expires
    Given hw-offload is enabled
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(3),eth(src=02:00:00:00:00:02,dst=02:00:00:00:00:01),eth_type(0x0800),ipv4(frag=no)' 2
      sleep 0.5
      ovs-appctl upcall/show
      """
    Then the output contains "2: (keys 1)"
    # The ukey is created by the first pass that sees the flow (t=0.5 s).
    When I run:
      """
      sleep 10
      ovs-appctl dpctl/dump-flows
      """
    Then the output contains "actions:2"
    When I run:
      """
      sleep 0.5
      ovs-appctl dpctl/dump-flows
      """
    Then the output is:
      """
      """

  Scenario: The kernel datapath has no offload statistics
    Given hw-offload is enabled
    When I run "ovs-appctl dpctl/offload-stats-show"
    Then it fails with "ovs-vswitchd: retrieving offload statistics (Operation not supported)"
    When I run "ovs-dpctl offload-stats-show"
    Then it fails with "ovs-dpctl: retrieving offload statistics (Operation not supported)"
    When I run "ovs-appctl dpctl/offload-stats-show system@ovs-system"
    Then it fails with "retrieving offload statistics (Operation not supported)"

  # The OVS offloads testsuite clears flows this way between checks.
  Scenario: revalidator/purge deletes every flow OVS has a ukey for, offloaded ones through tc
    Given hw-offload is enabled
    When I run:
      """
      emulate upcall 2 'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' '3'
      ovs-appctl revalidator/purge
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop                   |
      | upcall_unixctl_purge  |
      | netdev_tc_flow_del    |
      | mlx5e_delete_flower   |
    When I run "ovs-appctl dpctl/dump-flows"
    Then the output is:
      """
      """
    When I run "ovs-appctl upcall/show"
    Then the output contains "2: (keys 0)"

  # The revalidator finds the ufid-less flow by its key: the kernel's exact
  # lookup compares parsed keys (flow_table.c ovs_flow_tbl_lookup_exact), so
  # the key OVS dumped and sends back finds the flow it came from.
  Scenario: A flow added with ovs-dpctl (no ufid) expires too, without a warning
    Given hw-offload is enabled
    When I run "ovs-dpctl add-flow 'in_port(1),eth(src=02:00:00:00:00:03,dst=02:00:00:00:00:01),eth_type(0x0800),ipv4(frag=no)' 2"
    And I run "sleep 1"
    Then the OVS kernel datapath holds 1 flow
    When I run "sleep 11"
    Then the OVS kernel datapath holds 0 flows
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output does not contain "WARN"
