Feature: hw-offload and tc-policy take effect the way ovs-vswitchd applies them
  lib/netdev-offload.c netdev_set_flow_api_enabled runs on every bridge_run,
  but its work is done once per process: hw-offload=true applied at runtime
  gives every port its flow API and ingress qdisc at once; going back to
  false, and any tc-policy change, only take effect when the daemon restarts.
  A restart leaves the kernel state alone; the new daemon flushes the flows it
  finds (ofproto-dpif.c open_dpif_backer) and re-initialises each port.

  Background:
    # Any appctl command starts the daemon with hw-offload off.
    Given I run "ovs-appctl upcall/show"

  Scenario: hw-offload=true at runtime gives each port the tc flow API, no restart needed
    When I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    Then the ovs-vswitchd log contains "netdev_offload|INFO|netdev: Flow API Enabled"
    And the ovs-vswitchd log contains "tc|INFO|tc: Using policy 'none'"
    And the ovs-vswitchd log contains "netdev_offload_tc|INFO|probe tc: block offload is supported."
    And the ovs-vswitchd log contains "netdev_offload_tc|INFO|probe tc: multiple masks on single tc prio is supported."
    And the ovs-vswitchd log contains "netdev_offload_tc|INFO|probe tc: supported ovs ct_state bits: 0x3f"
    And the ovs-vswitchd log contains "netdev_offload_tc|INFO|added ingress qdisc to enp8s0f0_0"
    And the ovs-vswitchd log contains "netdev_offload|INFO|enp8s0f0_0: Assigned flow API 'linux_tc'."
    And the trace passes through, in order:
      | hop                         |
      | netdev_set_flow_api_enabled |
      | tc_set_policy               |
      | netdev_init_flow_api        |
      | netdev_assign_flow_api      |
      | netdev_tc_init_flow_api     |
      | tc_add_del_qdisc            |
    When ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    Then the flow is in tc software and NIC hardware

  Scenario: hw-offload=false at runtime changes nothing until the daemon restarts
    Given I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    When I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=false"
    And ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    Then the flow is in tc software and NIC hardware
    When ovs-vswitchd restarts
    And ovs-appctl dpctl/add-flow "in_port(3),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    Then the flow is in the OVS kernel datapath

  # dpif_netlink_flow_flush flushes tc only when the flow API is enabled, and
  # a new daemon has no ufid mapping anyway: without offload nothing removes
  # the old daemon's filters, which keep switching packets in the NIC.
  Scenario: Filters of a daemon that had offload on outlive a restart with hw-offload=false
    Given I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    And ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    When I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=false"
    And ovs-vswitchd restarts
    And I run "tc filter show dev enp8s0f0_0 ingress"
    Then the output contains "in_hw"
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output is:
      """
      """

  Scenario Outline: tc-policy <policy> set while offload is on applies after a restart
    Given I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    When I run "ovs-vsctl set Open_vSwitch . other_config:tc-policy=<policy>"
    And ovs-vswitchd restarts
    And ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    Then the flow is in <where>
    And the ovs-vswitchd log contains "tc|INFO|tc: Using policy '<policy>'"

    Examples:
      | policy  | where                        |
      | skip_hw | tc software                  |
      | skip_sw | NIC hardware                 |
      | none    | tc software and NIC hardware |

  # lib/tc.c tc_set_policy: an unknown value is WARNed and the policy stays.
  Scenario: An invalid tc-policy is warned about and the default stays
    When I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true other_config:tc-policy=skip_everything"
    Then the ovs-vswitchd log contains "tc|WARN|tc: Invalid policy 'skip_everything'"
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output does not contain "Using policy"
    When ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    Then the flow is in tc software and NIC hardware

  Scenario: A restart flushes the previous daemon's flows, in tc and in the kernel datapath
    Given I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    And ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    And ovs-dpctl add-flow "in_port(3),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    When ovs-vswitchd restarts
    Then no tc filter exists
    And no FTE is created
    And the OVS kernel datapath holds 0 flows
    And the trace passes through dpif_create_and_open
    And the trace passes through dpif_flow_flush
    And the trace passes through netdev_tc_init_flow_api

  # Offloads test "re-probe drop action": with offload on, TC cannot offload
  # the explicit drop action, so drop flows carry an empty action list.
  Scenario: With hw-offload on, a drop flow has no explicit drop action and is offloaded
    Given I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "drop"
    Then the flow is in tc software and NIC hardware
    When I run "ovs-appctl dpctl/dump-flows"
    Then the output contains "actions:drop"
