Feature: A failed NIC profile attach during switchdev → legacy is rolled back
  Going back to legacy, the uplink representor's netdev changes back to the
  NIC profile (en_rep.c mlx5e_vport_uplink_rep_unload →
  mlx5e_netdev_attach_nic_profile). If building the NIC RX tables fails,
  mlx5e_init_nic_rx unwinds what it made, mlx5e_netdev_change_profile
  logs "new profile init failed" and attaches the original (uplink
  representor) profile again; the caller ignores the error, so the mode
  change itself succeeds. The netdev then has no NIC TC tables: upstream
  dereferences their NULL pointer on the next NIC filter (a kernel oops);
  the emulator logs the oops line and keeps the filter in software.

  Scenario: A firmware failure while building the NIC tables is rolled back and logged
    When I run:
      """
      emulate firmware fail CREATE_FLOW_TABLE status 0x3 syndrome 0x1f0001 count 1
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      """
    Then it succeeds
    And the trace passes through mlx5e_netdev_change_profile
    And dmesg contains "CREATE_FLOW_TABLE(0x930) op_mod(0x0) failed, status bad parameter(0x3)"
    And dmesg contains "enp8s0f0: mlx5e_netdev_change_profile: new profile init failed, -22"
    When I run "devlink dev eswitch show pci/0000:08:00.0"
    Then the output contains "mode legacy"

  Scenario: The next filter on the uplink stays in software; the oops is logged
    When I run:
      """
      emulate firmware fail CREATE_FLOW_TABLE status 0x3 syndrome 0x1f0001 count 1
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      tc qdisc add dev enp8s0f0 ingress
      ethtool -K enp8s0f0 hw-tc-offload on
      tc filter replace dev enp8s0f0 ingress protocol ip prio 101 handle 2 flower dst_ip 10.0.0.4 action pass
      """
    Then it succeeds
    And the tc filter is "not_in_hw"
    And no FTE is created
    And dmesg contains "BUG: kernel NULL pointer dereference"

  # Found by the soak: a goto or a redirect used to reach code that assumed
  # the NIC tables (or the eswitch's chains) exist.
  Scenario Outline: A skip_sw filter with <action> fails the same way
    When I run:
      """
      tc qdisc add dev enp8s0f0 ingress
      emulate firmware fail CREATE_FLOW_TABLE status 0x3 syndrome 0x1f0001 count 1
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      tc filter add dev enp8s0f0 ingress protocol ip prio 102 flower skip_sw dst_ip 10.0.0.4 action <action>
      """
    Then it fails with "RTNETLINK answers: Operation not supported"
    And the trace stops in mlx5e_add_nic_flow
    And dmesg contains "BUG: kernel NULL pointer dereference"

    Examples:
      | action                                     |
      | goto chain 1                               |
      | mirred egress redirect dev enp8s0f0        |
