Feature: Tour 2 — dpif decides whether to try hardware first
  The handler puts the flow through the dpif layer, which for the Linux
  kernel datapath is dpif-netlink. dpif_netlink_operate makes the one
  decision that matters for offload: when other_config:hw-offload is true it
  first offers every put to the port's flow API (try_send_to_netdev, which
  ends in the TC provider). Only if that fails with anything but EEXIST does
  the flow go to the OVS kernel datapath instead (dpif_netlink_operate_chunks
  and an OVS_FLOW_CMD_NEW message). With hw-offload false, tc is never asked.

  Scenario: With hw-offload on, the flow is offered to tc first
    Given hw-offload is enabled
    When a flow is put
    Then the trace passes through, in order:
      | hop                  | file               |
      | dpif_operate         | lib/dpif.c         |
      | dpif_netlink_operate | lib/dpif-netlink.c |
      | try_send_to_netdev   | lib/dpif-netlink.c |
      | parse_flow_put       | lib/dpif-netlink.c |
      | netdev_flow_put      | lib/netdev-offload.c |
    And the flow is in tc software and NIC hardware
    And the OVS kernel datapath holds 0 flows

  Scenario: With hw-offload off, the flow goes straight to the kernel datapath
    Given hw-offload is disabled
    When a flow is put
    Then the trace does not pass through try_send_to_netdev
    And the trace passes through dpif_netlink_operate_chunks
    And the flow is in the OVS kernel datapath
    And no tc filter exists

  Scenario: A flow the TC provider refuses falls back to the kernel datapath
    Given hw-offload is enabled
    When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2)" is handled with actions "1"
    Then netdev_tc_flow_put returned EOPNOTSUPP
    And the trace passes through dpif_netlink_operate_chunks
    And the flow is in the OVS kernel datapath
