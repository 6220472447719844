Feature: ethtool, dmesg, logs and the emulate harness
  Commands with no OVS or tc in them still reach the emulated host the way
  the real tools do; `emulate` stands for what only a packet or a broken
  firmware could do.

  Scenario: hw-tc-offload as ethtool shows it
    When I run "ethtool -k enp8s0f0_0"
    Then the output contains "hw-tc-offload: on"
    When I run "ethtool -K enp8s0f0_0 hw-tc-offload off"
    And I run "ethtool -k enp8s0f0_0"
    Then the output contains "hw-tc-offload: off"

  Scenario: A miss upcall and a firmware failure, from the harness
    When I run "ovs-vsctl set Open_vSwitch . other_config:hw-offload=true"
    And I run "emulate firmware fail SET_FLOW_TABLE_ENTRY status 0x3 syndrome 0x1f0001"
    And I run "emulate upcall 2 'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' '1'"
    Then the flow is in tc software
    When I run "dmesg"
    Then the output contains "SET_FLOW_TABLE_ENTRY(0x936) op_mod(0x0) failed, status bad parameter(0x3), syndrome (0x1f0001), err(-22)"
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output contains "netdev: Flow API Enabled"

  Scenario: Several commands at once, as in a runbook
    When I run:
      """
      # offload with hardware only, then a flow from VF 0 to the uplink
      ovs-vsctl set Open_vSwitch . other_config:hw-offload=true other_config:tc-policy=skip_sw
      ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 1
      tc filter show dev enp8s0f0_0 ingress
      """
    Then it succeeds
    And the output contains "skip_sw"
    And the output contains "in_hw in_hw_count 1"
    And the flow is in NIC hardware
