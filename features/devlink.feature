Feature: devlink eswitch mode and flow steering mode
  `devlink` (iproute2 6.1) talks to the kernel's devlink generic-netlink
  family, which calls the mlx5 driver's devlink ops. Changing the eswitch mode
  tears down or re-creates the representors and the FDB tables; it is refused
  while any TC flow is offloaded.

  Scenario: The eswitch mode as devlink shows it
    When I run "devlink dev eswitch show pci/0000:08:00.0"
    Then the output is:
      """
      pci/0000:08:00.0: mode switchdev inline-mode none encap-mode basic
      """
    When I run "devlink dev show"
    Then the output is:
      """
      pci/0000:08:00.0
      """

  Scenario: To legacy the representors go away, back to switchdev they return
    When I run:
      """
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      devlink dev eswitch show pci/0000:08:00.0
      """
    Then it succeeds
    And the output contains "mode legacy"
    When I run "tc qdisc add dev enp8s0f0_0 ingress"
    Then it fails with "Cannot find device \"enp8s0f0_0\""
    When I run "ethtool -k enp8s0f0"
    Then the output contains "hw-tc-offload: off"
    When I run:
      """
      devlink dev eswitch set pci/0000:08:00.0 mode switchdev
      tc qdisc add dev enp8s0f0_0 ingress
      ethtool -k enp8s0f0_0
      """
    Then it succeeds
    And the output contains "hw-tc-offload: on"

  Scenario: A mode change is refused while a skip_sw filter is offloaded
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      """
    Then it fails with "Error: mlx5_core: Can't change mode, E-Switch is busy."
    And it fails with "kernel answers: Device or resource busy"
    When I run:
      """
      tc filter del dev enp8s0f0_0 ingress protocol ip prio 1 handle 1 flower
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      """
    Then it succeeds

  Scenario: In legacy mode a filter on the PF takes the NIC path
    When I run:
      """
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      ethtool -K enp8s0f0 hw-tc-offload on
      tc qdisc add dev enp8s0f0 ingress
      tc filter add dev enp8s0f0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the trace passes through mlx5e_add_nic_flow
    And 1 FTE is created

  Scenario: flow_steering_mode can only change outside switchdev
    When I run "devlink dev param show pci/0000:08:00.0 name flow_steering_mode"
    Then the output is:
      """
      pci/0000:08:00.0:
        name flow_steering_mode type driver-specific
          values:
            cmode runtime value dmfs
      """
    When I run "devlink dev param set pci/0000:08:00.0 name flow_steering_mode value smfs cmode runtime"
    Then it fails with "Error: mlx5_core: Changing fs mode is not supported when eswitch offloads enabled."
    When I run:
      """
      devlink dev eswitch set pci/0000:08:00.0 mode legacy
      devlink dev param set pci/0000:08:00.0 name flow_steering_mode value smfs cmode runtime
      devlink dev param show pci/0000:08:00.0 name flow_steering_mode
      """
    Then it succeeds
    And the output contains "cmode runtime value smfs"

  Scenario: Usage errors are devlink's own
    When I run "devlink dev eswitch set pci/0000:08:00.0 mode bogus"
    Then it fails with "Unknown eswitch mode \"bogus\""
    When I run "devlink dev eswitch set pci/0000:08:00.0"
    Then it fails with "Need to set at least one option"
    When I run "devlink dev eswitch show pci/0000:09:00.0"
    Then it fails with "kernel answers: No such device"

  Scenario: A function that does not manage an eswitch has no eswitch mode to show or set
    Given the topology "features/topologies/no-eswitch.yaml"
    When I run "devlink dev eswitch show pci/0000:08:00.0"
    Then it fails with "kernel answers: Operation not supported"
    When I run "devlink dev eswitch set pci/0000:08:00.0 mode switchdev"
    Then it fails with "kernel answers: Operation not supported"
