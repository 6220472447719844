Feature: What users reported about OVS offload, replayed
  Real reports (OVN, ovn-kubernetes, kube-ovn, the OVS docs), each named
  after the symptom the user saw. The cause is what OVS v3.6.3 does.

  Background:
    Given hw-offload is enabled
    And ovs-appctl vlog/set "dpif_netlink:file:dbg"
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
