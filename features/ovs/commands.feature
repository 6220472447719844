Feature: OVS commands run against the emulated host
  ovs-vsctl edits the database ovs-vswitchd reads; ovs-appctl talks to the
  running daemon; ovs-dpctl is a separate process with its own datapath handle.

  Scenario: Offload turned on with ovs-vsctl before the daemon starts
    When I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true other_config:tc-policy=skip_sw"
    And I run "ovs-vsctl get Open_vSwitch . other_config:hw-offload"
    Then the output is:
      """
      "true"
      """
    When I run "ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 1"
    Then it succeeds
    And the flow is in NIC hardware

  Scenario: Asking for a key that is not set
    When I run "ovs-vsctl get Open_vSwitch . other_config:tc-policy"
    Then it fails with "ovs-vsctl: no key \"tc-policy\" in Open_vSwitch record \".\" column other_config"

  Scenario: An unparsable flow is answered the way ovs-appctl answers it
    When I run "ovs-appctl dpctl/add-flow 'in_port(2),eth_type(0x0800),ipv4(source=1.1.1.1)' 1"
    Then it fails with "ovs-vswitchd: parsing flow key"

  # tc-policy is read once, when offload gets enabled (lib/netdev-offload.c
  # netdev_set_flow_api_enabled): changing it later needs a daemon restart.
  Scenario: A tc-policy set after offload is already on does not apply yet
    When I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    And I run "ovs-vsctl set Open_vSwitch . other_config:tc-policy=skip_hw"
    And I run "ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 1"
    Then the flow is in tc software and NIC hardware
    And the ovs-vswitchd log contains "tc: Using policy 'none'"
