Feature: Flows OVS cannot translate go to the kernel datapath
  netdev_tc_flow_put refuses what it cannot express as a flower filter with
  EOPNOTSUPP, and dpif_netlink_operate hands any error other than EEXIST to the
  OVS kernel datapath. Nothing reaches the kernel's tc layer in that case.

  Background:
    Given hw-offload is enabled

  Scenario: An IPv4 match without a frag mask is not offloaded
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2)" is handled with actions "1"
    Then the flow is in the OVS kernel datapath
    And the trace stops in netdev_tc_flow_put
    And netdev_tc_flow_put returned EOPNOTSUPP
    And no tc filter exists

  Scenario: An action tc cannot express is not offloaded
    Given ovs-appctl vlog/set "netdev_offload_tc:file:dbg"
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "trunc(100),1"
    Then the flow is in the OVS kernel datapath
    And the ovs-vswitchd log contains "unsupported put action type: 13"

  # ovs-dpctl is a process of its own: it never enabled the flow API, and it
  # sends no ufid, so dpif_netlink_operate goes straight to the datapath.
  Scenario: ovs-dpctl add-flow never offloads
    When ovs-dpctl add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    Then the flow is in the OVS kernel datapath
    And the trace passes through dpif_netlink_operate_chunks
    And the trace does not pass through try_send_to_netdev
    And no tc filter exists

  Scenario: ovs-appctl dpctl/add-flow offloads like the handler does
    When ovs-appctl dpctl/add-flow "in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" "1"
    Then the flow is in tc software and NIC hardware
    And 1 FTE is created
    And the trace passes through dpctl_put_flow_dpif

  Scenario: A firmware failure leaves the filter in tc software and a line in dmesg
    Given the firmware fails the next SET_FLOW_TABLE_ENTRY with status 0x3 and syndrome 0x2a8f41
    When a flow is put
    Then the flow is in tc software
    And no FTE is created
    And the trace ends in SET_FLOW_TABLE_ENTRY
    And dmesg contains "SET_FLOW_TABLE_ENTRY(0x936) op_mod(0x0) failed, status bad parameter(0x3), syndrome (0x2a8f41), err(-22)"
