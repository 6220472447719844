Feature: Tour 1 — a packet misses and ovs-vswitchd hears about it
  The OVS kernel datapath (the openvswitch module) looks every packet up in
  its own flow table. When nothing matches, it cannot decide by itself: it
  sends the packet and its parsed key up to user space as an upcall, a
  generic-netlink message on the socket of one of ovs-vswitchd's handler
  threads. The handler reads it (dpif_recv), turns the netlink key back into
  a flow (parse_odp_packet, which also derives the flow's unique id, the
  ufid, from the key), runs it through the OpenFlow tables (upcall_xlate) and
  then installs the resulting datapath flow so the next packets stay in the
  kernel (handle_upcalls). Everything after that is the "put" the rest of the
  tour follows.

  Background:
    Given hw-offload is enabled

  Scenario: A miss upcall is read, translated and handed on by a handler thread
    When a flow is put
    Then the trace passes through, in order:
      | hop                  | file                          |
      | ovs_dp_upcall        | net/openvswitch/datapath.c    |
      | udpif_upcall_handler | ofproto/ofproto-dpif-upcall.c |
      | recv_upcalls         | ofproto/ofproto-dpif-upcall.c |
      | dpif_recv            | lib/dpif.c                    |
      | dpif_netlink_recv    | lib/dpif-netlink.c            |
      | parse_odp_packet     | lib/dpif-netlink.c            |
      | odp_flow_key_hash    | lib/odp-util.c                |
      | upcall_receive       | ofproto/ofproto-dpif-upcall.c |
      | process_upcall       | ofproto/ofproto-dpif-upcall.c |
      | upcall_xlate         | ofproto/ofproto-dpif-upcall.c |
      | handle_upcalls       | ofproto/ofproto-dpif-upcall.c |
      | dpif_operate         | lib/dpif.c                    |

  # The handler keeps reading until its socket is empty: the last dpif_recv
  # of the batch answers EAGAIN, which is how recv_upcalls knows to stop.
  Scenario: The handler drains its socket before installing
    When a flow is put
    Then dpif_recv returned EAGAIN
