Feature: What users reported about OVS offload, replayed
  Real reports (OVN, ovn-kubernetes, kube-ovn, the OVS docs), each named
  after the symptom the user saw. The cause is what OVS v3.6.3 does.

  Background:
    Given hw-offload is enabled

  Rule: On a stock Linux 6.18 kernel

    Background:
      Given ovs-appctl vlog/set "dpif_netlink:file:dbg"
      And ovs-appctl vlog/set "netdev_offload_tc:file:dbg"

    # ovn-kubernetes#839: slow-path (userspace) actions cannot go to tc. In
    # v3.6.3 EOPNOTSUPP is logged at DBG, so without vlog/set nothing shows.
    Scenario: "failed to offload flow: Operation not supported" for flows with a userspace action
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "userspace(pid=7),1"
      Then the flow is in the OVS kernel datapath
      And the ovs-vswitchd log contains "dpif_netlink|DBG|failed to offload flow: Operation not supported: enp8s0f0_0"
      And the trace does not pass through tc_replace_flower

    # ovn#160: the port's ingress qdisc was gone (removed behind OVS's back);
    # the kernel refuses the filter and OVS logs it at ERR.
    Scenario: "failed to offload flow" at ERR when a port lost its ingress qdisc
      Given ovs-appctl vlog/set "netlink_socket:file:dbg"
      And I run "tc qdisc del dev enp8s0f0_1 ingress"
      When a miss upcall for "recirc_id(0),in_port(3),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "1"
      Then the flow is in the OVS kernel datapath
      And the ovs-vswitchd log contains "netlink_socket|DBG|received NAK error=22 - Parent Qdisc doesn't exists"
      And the ovs-vswitchd log contains "dpif_netlink|ERR|failed to offload flow: Invalid argument: enp8s0f0_1"

    # kube-ovn offload guide: OVN load balancers select backends with
    # dp_hash, which tc cannot match, so the whole recirculation chain stays
    # in the kernel datapath (offloads test "split kernel vs offload datapath rules").
    Scenario: Load-balancer flows matching dp_hash are never offloaded
      When a miss upcall for "recirc_id(0),in_port(2),dp_hash(0x1/0xf),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "1"
      Then the flow is in the OVS kernel datapath
      And the ovs-vswitchd log contains "netdev_offload_tc|DBG|offloading attribute dp_hash isn't supported"

    # The next stage of a chain whose first stage is not in tc has no goto
    # to reach it: it is refused too.
    Scenario: The recirculated half of a load-balancer chain stays in the kernel datapath
      When a miss upcall for "recirc_id(0x2),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "1"
      Then the flow is in the OVS kernel datapath
      And the ovs-vswitchd log contains "netdev_offload_tc|DBG|match for chain 2 failed due to non-existing goto chain action"

    # real-time-edge-linux#1 (and every tc-policy=none setup): a filter the
    # driver refuses stays in tc software; OVS logs nothing, and the flow
    # dumps as dp:tc without offloaded:yes.
    Scenario: A flow silently stays in tc software when the driver refuses it
      Given the driver refuses flows on enp8s0f0_0
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "1"
      Then the flow is in tc software
      When I run "ovs-appctl dpctl/dump-flows -m"
      Then the output contains "dp:tc"
      And the output does not contain "offloaded:yes"
      When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
      Then the output does not contain "failed to offload flow"

    # ovn#207: OVN SNAT puts two conntrack commits (one with NAT) in one
    # flow. OVS sends both ct actions to tc and the flow dumps as dp:tc, yet
    # its counters can stay at zero: "offloaded" is not "hit". mlx5 refuses
    # the second ct (en/tc/act/ct.c: "Multiple CT actions are not supported"),
    # so the filter is not_in_hw and the dump shows no "offloaded:yes".
    Scenario: SNAT flows with two ct commits show dp:tc with packets:0 and used:never
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(commit,zone=1,nat(src=172.16.0.1)),ct(commit,zone=2),1"
      Then the trace passes through tc_replace_flower
      When I run "ovs-appctl dpctl/dump-flows type=tc"
      Then the output contains "packets:0, bytes:0, used:never, actions:ct(commit,zone=1,nat(src=172.16.0.1)),ct(commit,zone=2),1"
      When I run "tc filter show dev enp8s0f0_0 ingress"
      Then the output contains "action order 1: ct commit zone 1 nat src addr 172.16.0.1 pipe"
      And the output contains "action order 2: ct commit zone 2 pipe"
      And the output contains "not_in_hw"
      When I run "ovs-appctl dpctl/dump-flows -m"
      Then the output does not contain "offloaded:yes"

    # sriov-network-operator#38: with tc-policy skip_sw a ct flow has no tc
    # software copy. Hardware conntrack offload learns connections from the
    # software path (act_ct in software establishes them and offloads its
    # flow table), so with skip_sw connections are never offloaded and the
    # operator reverted the default. OVS's side: the ct filter goes out with
    # skip_sw; mlx5 takes the rule itself (in_hw), but with no software copy
    # nothing ever establishes the connections its CT table waits for.
    # tc-policy is read at start: the daemon the Background started restarts.
    Scenario: With tc-policy skip_sw a conntrack flow has no tc software copy
      Given tc-policy skip_sw
      When ovs-vswitchd restarts
      And a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(zone=5,nat),recirc(1)"
      Then the trace passes through tc_replace_flower
      When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
      Then the output contains "tc|INFO|tc: Using policy 'skip_sw'"
      When I run "tc filter show dev enp8s0f0_0 ingress"
      Then the output does not contain "not_in_hw"
      And the output contains "skip_sw"
      And the output contains "in_hw in_hw_count 1"

    # kube-ovn#1880: with LS_DNAT_MOD_DL_DST kube-ovn added logical flows
    # matching `!ct.dnat` to rewrite eth.dst after DNAT, and no tc flow was
    # left for that traffic. ct.dnat becomes a ct_state dnat bit in the
    # datapath flow's mask; OVS's tc ct_state mapping only knows new, est,
    # rel, rpl, inv and trk (the bits its start-up probe found), so the
    # mapping is skipped and the leftover ct_state mask fails
    # test_key_and_mask. The fix (kube-ovn#1881) matched reg0[2] instead:
    # registers never reach the datapath flow, so the same rewrite offloads.
    Scenario: No tc flow for DNAT traffic once LS_DNAT_MOD_DL_DST matches ct.dnat
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "ct(zone=1,nat),recirc(3)"
      And a miss upcall for "ct_state(-new+est-rel-rpl-inv+trk+dnat),recirc_id(0x3),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(dst=10.16.0.6,frag=no)" is handled with actions "set(eth(dst=00:00:00:d0:09:05)),1"
      Then the ovs-vswitchd log contains "netdev_offload_tc|DBG|offloading isn't supported, unknown attribute"
      And the ovs-vswitchd log contains "dpif_netlink|DBG|failed to offload flow: Operation not supported: enp8s0f0_0"
      When I run "ovs-appctl dpctl/dump-flows -m"
      Then the output contains "ct_state(-new+est-rel-rpl-inv+trk+dnat),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=0.0.0.0/0.0.0.0,dst=10.16.0.6,proto=0/0,tos=0/0,ttl=0/0,frag=no), packets:0, bytes:0, used:never, dp:ovs, actions:set(eth(dst=00:00:00:d0:09:05)),enp8s0f0"

    Scenario: The same eth.dst rewrite offloads when it does not match ct.dnat
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "ct(zone=1,nat),recirc(3)"
      And a miss upcall for "ct_state(-new+est-rel-rpl-inv+trk),recirc_id(0x3),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(dst=10.16.0.6,frag=no)" is handled with actions "set(eth(dst=00:00:00:d0:09:05)),1"
      Then the trace passes through tc_replace_flower
      When I run "ovs-appctl dpctl/dump-flows type=offloaded"
      Then the output contains "recirc_id(0x3),in_port(2),ct_state(+est-rel-rpl-inv+trk),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(dst=10.16.0.6,frag=no), packets:0, bytes:0, used:never, actions:set(eth(dst=00:00:00:d0:09:05)),1"

    # ovn-kubernetes#3835/#3861: ping through an OVN ACL. Both datapath
    # flows dump as offloaded:yes, dp:tc (the rules are in the NIC), yet
    # their counters stayed at 0 and every ICMP packet reached the VF
    # representor. The rules are not the problem: hardware conntrack only
    # knows the connections act_ct puts in its flow table, and
    # net/sched/act_ct.c tcf_ct_flow_table_process_conn (v6.18) adds only
    # TCP, UDP and GRE ones, so no ICMP connection is ever offered to mlx5's
    # CT table, each ICMP packet misses it and tc software handles it. This
    # emulator has no conntrack entries: what it specifies is the rule level
    # (both filters in_hw); "every packet in software" is not modelled.
    Scenario: ICMP flows through conntrack dump as offloaded:yes, dp:tc
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=1,frag=no),icmp(type=8,code=0)" is handled with actions "ct(zone=1),recirc(1)"
      And a miss upcall for "recirc_id(1),in_port(2),ct_state(+trk+est),ct_zone(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=1,frag=no),icmp(type=8,code=0)" is handled with actions "1"
      Then the OVS kernel datapath holds 0 flows
      When I run "ovs-appctl dpctl/dump-flows -m"
      Then the output contains "packets:0, bytes:0, used:never, offloaded:yes, dp:tc, actions:ct(zone=1),recirc(0x1)"
      And the output contains "packets:0, bytes:0, used:never, offloaded:yes, dp:tc, actions:enp8s0f0"
      When I run "tc filter show dev enp8s0f0_0 ingress chain 1"
      Then the output contains "ip_proto icmp"
      And the output contains "ct_state +trk+est"
      And the output contains "in_hw in_hw_count 1"

    # OVS docs, "Flow bytes count" (howto/tc-offload.rst) and the offloads
    # test "ping between two ports": the same pings count 14 bytes less per
    # packet on a tc flow than on a kernel datapath flow (756 vs 882 bytes
    # for 9 pings of 98-byte frames). The kernel datapath counts the whole
    # frame: vport-netdev pushes the Ethernet header back before the flow
    # lookup and ovs_flow_stats_update adds skb->len. tc reports bytes from
    # the network header on (84 per ping); the hardware counter side is
    # given here as tc reports it (`emulate traffic` takes the reported
    # bytes), the kernel datapath side is computed from the frame length.
    Scenario: Offloaded flows count 14 bytes less per packet than kernel datapath flows
      When I run:
        """
        ovs-appctl dpctl/add-flow 'in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 3
        ovs-dpctl add-flow 'in_port(3),eth(src=02:00:00:00:00:02,dst=02:00:00:00:00:01),eth_type(0x0800),ipv4(frag=no)' 2
        sleep 2
        emulate traffic 9 packets 756 bytes
        """
      And I run "emulate datapath traffic 9 frames of 98 bytes"
      Then the trace passes through ovs_flow_stats_update
      When I run:
        """
        sleep 1
        ovs-appctl dpctl/dump-flows
        """
      Then the output is:
        """
        recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no), packets:9, bytes:756, used:0.000s, actions:3
        in_port(3),eth(src=02:00:00:00:00:02,dst=02:00:00:00:00:01),eth_type(0x0800),ipv4(frag=no), packets:9, bytes:882, used:1.000s, actions:2
        """

  # ovn#173: with OVN NAT or allow-related ACLs every flow that goes through
  # conntrack recirculates (ct(...),recirc(N)) and the next stage matches
  # recirc_id(N), i.e. tc chain N. tc can only continue such a chain in OVS
  # if the kernel tells OVS the chain a packet missed in (tc skb
  # extensions). A kernel built without CONFIG_NET_TC_SKB_EXT refuses the
  # OVS_DP_F_TC_RECIRC_SHARING feature ovs-vswitchd asks for at start, and
  # from then on every recirculating flow stays in the kernel datapath. The
  # reporter saw the line at ERR; since OVS 2.17 (so in v3.6.3) it is DBG.
  Rule: On a kernel built without tc skb extensions

    Background:
      Given a kernel built without CONFIG_NET_TC_SKB_EXT
      And ovs-appctl vlog/set "dpif_netlink:file:dbg"
      And ovs-appctl vlog/set "netdev_offload_tc:file:dbg"

    Scenario: "flow_put: recirc_id sharing not supported" for OVN NAT flows
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "ct(zone=1,nat),recirc(2)"
      Then the flow is in the OVS kernel datapath
      And the ovs-vswitchd log contains "netdev_offload_tc|DBG|flow_put: recirc_id sharing not supported"
      And the ovs-vswitchd log contains "dpif_netlink|DBG|failed to offload flow: Operation not supported: enp8s0f0_0"
      And the trace does not pass through tc_replace_flower

    # netdev_tc_flow_put checks the goto-chain precondition before recirc
    # sharing: with no first stage in tc, no goto reaches chain 2, and that
    # is the line the next stage logs.
    Scenario: The recirculated stage of a conntrack flow is not offloaded either
      When a miss upcall for "ct_state(+trk+est),recirc_id(0x2),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(proto=6,frag=no),tcp(dst=80)" is handled with actions "1"
      Then the flow is in the OVS kernel datapath
      And the ovs-vswitchd log contains "netdev_offload_tc|DBG|match for chain 2 failed due to non-existing goto chain action"

    Scenario: Flows that do not recirculate are still offloaded on that kernel
      When a miss upcall for "recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)" is handled with actions "1"
      Then the flow is in tc software and NIC hardware
      When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
      Then the output does not contain "recirc_id sharing"
