Feature: OVS's view of its datapath flow table
  `ovs-appctl dpctl/dump-flows` asks the tc flow API first (an RTM_GETTFILTER
  dump per port, each filter turned back into an ODP match by its UFID
  cookie), then the kernel datapath (an OVS_FLOW_CMD_GET dump). With -m each
  line says where the flow lives (dp:tc or dp:ovs) and whether tc reported
  it in hardware (offloaded:yes). get-flow, del-flow and mod-flow go through
  dpif_operate, so tc is tried first and the kernel datapath after.

  Background:
    Given hw-offload is enabled

  Scenario: A flow the NIC took dumps as dp:tc, offloaded:yes
    When I run:
      """
      ovs-appctl dpctl/add-flow 'ufid:11111111-2222-4333-8444-555555555555,in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/dump-flows -m
      """
    Then it succeeds
    And the output contains "ufid:11111111-2222-4333-8444-555555555555, recirc_id(0),dp_hash(0/0),skb_priority(0/0),in_port(enp8s0f0_0),"
    And the output contains "eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4("
    And the output contains ", offloaded:yes, dp:tc, actions:enp8s0f0_1"
    # tc's counters (software + hardware) and the actions' last use come back in the dump.
    When I run:
      """
      sleep 2
      emulate traffic 9 packets 756 bytes
      sleep 1.5
      ovs-appctl dpctl/dump-flows
      """
    Then the output is:
      """
      recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no), packets:9, bytes:756, used:0.500s, actions:3
      """
    When I run "ovs-appctl dpctl/dump-flows type=offloaded"
    Then the output contains "actions:3"
    When I run "ovs-appctl dpctl/dump-flows type=ovs"
    Then the output is:
      """
      """

  Scenario: A skip_hw flow is in tc but not offloaded
    Given tc-policy skip_hw
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/dump-flows -m
      """
    Then the output contains ", dp:tc, actions:enp8s0f0_1"
    And the output does not contain "offloaded:yes"
    When I run "ovs-appctl dpctl/dump-flows type=offloaded"
    Then the output is:
      """
      """
    When I run "ovs-appctl dpctl/dump-flows type=non-offloaded"
    Then the output contains "actions:3"

  Scenario: A flow tc cannot take falls back and dumps as dp:ovs
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 'trunc(100),3'
      ovs-appctl dpctl/dump-flows -m
      """
    Then the output contains ", dp:ovs, actions:trunc(100),enp8s0f0_1"
    And the output does not contain "dp:tc"
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output is:
      """
      """

  Scenario: Dump types combine as OR, and an unknown one is refused
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:03),eth_type(0x0800),ipv4(frag=no)' 'trunc(100),3'
      ovs-appctl dpctl/dump-flows type=tc,ovs
      """
    Then the output contains "actions:3"
    And the output contains "actions:trunc(100),3"
    When I run "ovs-appctl dpctl/dump-flows type=hardware"
    Then it fails with "ovs-vswitchd: Failed to parse type (hardware) (Invalid argument)"
    When I run "ovs-dpctl dump-flows type=tc"
    Then it fails with "ovs-dpctl: Invalid argument 'type'. Use 'ovs-appctl dpctl/dump-flows' instead."

  Scenario: get-flow prints one flow by UFID, wherever it lives
    When I run:
      """
      ovs-appctl dpctl/add-flow 'ufid:11111111-2222-4333-8444-555555555555,in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/get-flow -m ufid:11111111-2222-4333-8444-555555555555
      """
    Then the output contains "offloaded:yes, dp:tc, actions:enp8s0f0_1"
    When I run "ovs-appctl dpctl/get-flow ufid:11111111-2222-4333-8444-000000000000"
    Then it fails with "ovs-vswitchd: getting flow (No such file or directory)"

  Scenario: del-flow removes the tc filter, the FTE and OVS's mapping
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/del-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)'
      """
    Then it succeeds
    And no tc filter exists
    And no FTE is created
    And the flow is in nowhere
    When I run "ovs-appctl dpctl/del-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)'"
    Then it fails with "ovs-vswitchd: deleting flow (No such file or directory)"
    And it fails with "Perhaps you need to specify a UFID?"

  Scenario: mod-flow replaces the tc rule, and moves the flow out of tc when the new actions cannot be offloaded
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/mod-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 1
      ovs-appctl dpctl/dump-flows -m
      """
    Then the output contains "offloaded:yes, dp:tc, actions:enp8s0f0"
    And the output does not contain "actions:enp8s0f0_1"
    When I run:
      """
      ovs-appctl dpctl/mod-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 'trunc(64),1'
      ovs-appctl dpctl/dump-flows -m
      """
    Then the output contains "dp:ovs, actions:trunc(64),enp8s0f0"
    And no tc filter exists
    And the OVS kernel datapath holds 1 flow

  Scenario: del-flows empties tc and the kernel datapath
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:03),eth_type(0x0800),ipv4(frag=no)' 'trunc(100),3'
      ovs-appctl dpctl/del-flows
      ovs-appctl dpctl/dump-flows
      """
    Then the output is:
      """
      """
    And no tc filter exists
    And the OVS kernel datapath holds 0 flows

  Scenario: upcall/show counts kernel flows and, apart, the flows tc holds
    When I run:
      """
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:03),eth_type(0x0800),ipv4(frag=no)' 'trunc(100),3'
      ovs-appctl upcall/show
      """
    Then the output is:
      """
      system@ovs-system:
        flows         : (current 1) (avg 0) (max 0) (limit 10000)
        offloaded flows : 1
        dump duration : 0ms
        ufid enabled : true

        2: (keys 0)
      """

  Scenario: ovs-vsctl show lists the bridge, its ports and the version
    When I run "ovs-vsctl show"
    Then it succeeds
    And the output contains "    Bridge br0"
    And the output contains "        Port enp8s0f0_0"
    And the output contains "            Interface enp8s0f0_0"
    And the output contains "ovs_version: \"3.6.3\""

  # ovs-dpctl never makes a UFID, so its flow is named by key alone; the
  # appctl del-flow hashes one from the key, and the kernel looks that up only.
  Scenario: A flow put by ovs-dpctl is deleted by key, not by a generated UFID
    When I run:
      """
      ovs-dpctl add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
      ovs-appctl dpctl/dump-flows -m
      """
    Then the output contains ", dp:ovs, actions:enp8s0f0_1"
    And the output does not contain "ufid:"
    When I run "ovs-appctl dpctl/del-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)'"
    Then it fails with "Perhaps you need to specify a UFID?"
    When I run "ovs-dpctl del-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)'"
    Then it succeeds
    And the OVS kernel datapath holds 0 flows
