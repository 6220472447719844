Feature: Tour 4 — the request crosses into the kernel as netlink bytes
  OVS and the tc tool talk to the kernel the same way: they write a netlink
  message (a header, a tcmsg naming the device, the parent and the priority,
  then nested attributes for the flower keys and the actions) to a
  NETLINK_ROUTE socket. netlink_sendmsg hands it to the rtnetlink receive
  path, which looks up the handler registered for the message type —
  tc_new_tfilter for RTM_NEWTFILTER — and runs it with the RTNL lock held.
  Whatever the handler returns comes back as an acknowledgement (netlink_ack),
  carrying an errno and, when the kernel set one, an extended-ack message.
  Only this byte boundary connects user space and the kernel here.

  Scenario: An OVS put reaches tc_new_tfilter through the rtnetlink dispatcher
    Given hw-offload is enabled
    When a flow is put
    Then the trace passes through, in order:
      | hop               | file                     |
      | tc_transact       | lib/tc.c                 |
      | nl_transact       | lib/netlink-socket.c     |
      | netlink_sendmsg   | net/netlink/af_netlink.c |
      | netlink_unicast   | net/netlink/af_netlink.c |
      | rtnetlink_rcv     | net/core/rtnetlink.c     |
      | netlink_rcv_skb   | net/netlink/af_netlink.c |
      | rtnetlink_rcv_msg | net/core/rtnetlink.c     |
      | tc_new_tfilter    | net/sched/cls_api.c      |

  Scenario: The tc tool sends the same kind of request
    When I run:
      """
      tc qdisc add dev enp8s0f0_0 ingress
      tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop
      """
    Then it succeeds
    And the trace passes through, in order:
      | hop               | file                 |
      | tc_filter_modify  | tc/tc_filter.c       |
      | flower_parse_opt  | tc/f_flower.c        |
      | rtnl_talk         | lib/libnetlink.c     |
      | rtnetlink_rcv_msg | net/core/rtnetlink.c |
      | tc_new_tfilter    | net/sched/cls_api.c  |

  Scenario: A refusal comes back as an acknowledgement with an errno and a message
    When I run "tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop"
    Then it fails with "Error: Parent Qdisc doesn't exists."
    And the trace passes through netlink_ack
