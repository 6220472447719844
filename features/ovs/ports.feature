Feature: Adding and deleting bridge ports with ovs-vsctl
  ovs-vsctl add-port / del-port edit the Port and Interface rows
  (utilities/ovs-vsctl.c cmd_add_port, cmd_del_port: conflicts and unknown
  bridges are refused before anything is committed) and wait for
  ovs-vswitchd's bridge_reconfigure: a new interface is opened
  (iface_do_create), added to the datapath (dpif_port_add ->
  OVS_VPORT_CMD_NEW, the kernel picks the lowest free port number) and,
  with hw-offload on, gets the linux_tc flow API and its ingress qdisc
  (netdev_ports_insert -> netdev_tc_init_flow_api). A removed port leaves
  the datapath (dpif_port_del -> OVS_VPORT_CMD_DEL) and the offload port
  map. An interface that cannot be set up is reported by ovs-vsctl with
  exit status 65 (post_db_reload_do_checks).

  Background:
    Given hw-offload is enabled

  Scenario: A veth added to br0 gets the tc flow API and an ingress qdisc
    When I run "ip link add veth0 type veth peer name veth1"
    And I run "ovs-vsctl add-port br0 veth0"
    Then it succeeds
    And the trace passes through, in order:
      | hop                     |
      | bridge_reconfigure      |
      | dpif_port_add           |
      | dpif_netlink_port_add   |
      | ovs_vport_cmd_new       |
      | netdev_ports_insert     |
      | netdev_tc_init_flow_api |
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output contains "netdev_offload_tc|INFO|added ingress qdisc to veth0"
    And the output contains "netdev_offload|INFO|veth0: Assigned flow API 'linux_tc'."
    And the output contains "bridge|INFO|bridge br0: added interface veth0 on port 4"
    When I run "ovs-vsctl show"
    Then the output contains "Port veth0"

  Scenario: A flow from an added port is offloaded to tc
    When I run "ip link add veth0 type veth peer name veth1"
    And I run "ovs-vsctl add-port br0 veth0"
    And I run "ovs-appctl dpctl/add-flow 'in_port(veth0),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)' 1"
    Then it succeeds
    When I run "ovs-appctl dpctl/dump-flows type=tc"
    Then the output contains "in_port(4),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)"

  Scenario: A tunnel port added with its Interface settings creates vxlan_sys_4789
    When I run "ovs-vsctl add-port br0 vxlan0 -- set Interface vxlan0 type=vxlan options:remote_ip=flow options:key=flow options:dst_port=4789"
    Then it succeeds
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output contains "bridge|INFO|bridge br0: added interface vxlan0 on port 4"
    When I run "tc filter show dev vxlan_sys_4789 ingress"
    Then it succeeds

  Scenario: A port whose device does not exist is reported by ovs-vsctl
    When I run "ovs-vsctl add-port br0 nosuchdev"
    Then it fails with "ovs-vsctl: Error detected while setting up 'nosuchdev': could not open network device nosuchdev (No such device).  See ovs-vswitchd log for details."
    And it fails with "ovs-vsctl: The default log directory is"
    When I run "cat /var/log/openvswitch/ovs-vswitchd.log"
    Then the output contains "bridge|WARN|could not open network device nosuchdev (No such device)"

  Scenario: A deleted port leaves the datapath and the offload port map
    When I run "ip link add veth0 type veth peer name veth1"
    And I run "ovs-vsctl add-port br0 veth0"
    And I run "ovs-vsctl del-port br0 veth0"
    Then it succeeds
    And the trace passes through, in order:
      | hop                   |
      | dpif_port_del         |
      | dpif_netlink_port_del |
      | ovs_vport_cmd_del     |
      | netdev_ports_remove   |
    When I run "ovs-vsctl show"
    Then the output does not contain "veth0"
    When I run "ovs-appctl dpctl/add-flow 'in_port(veth0),eth(),eth_type(0x0800),ipv4(frag=no)' 1"
    Then it fails with "ovs-vswitchd: parsing flow key (syntax error at in_port(veth0),eth(),eth_type(0x0800),ipv4(frag=no))"

  Scenario Outline: ovs-vsctl refuses <what>
    When I run "ovs-vsctl <command>"
    Then it fails with "<error>"

    Examples:
      | what                         | command                             | error                                                                                                               |
      | an unknown bridge            | add-port br9 veth0                  | ovs-vsctl: no bridge named br9                                                                                      |
      | a port that exists           | add-port br0 enp8s0f0_0             | ovs-vsctl: cannot create a port named enp8s0f0_0 because a port named enp8s0f0_0 already exists on bridge br0       |
      | a port named like the bridge | add-port br0 br0                    | ovs-vsctl: cannot create a port named br0 because a bridge named br0 already exists                                 |
      | deleting an unknown port     | del-port br0 nope                   | ovs-vsctl: no port named nope                                                                                       |
      | deleting the local port      | del-port br0                        | ovs-vsctl: cannot delete port br0 because it is the local port for bridge br0 (deleting this port requires deleting the entire bridge) |
      | a port on another bridge     | --may-exist add-port br1 enp8s0f0_0 | but enp8s0f0_0 is actually attached to bridge br0                                                                   |

  Scenario: --may-exist and --if-exists make add-port and del-port idempotent
    When I run "ovs-vsctl --may-exist add-port br0 enp8s0f0_0"
    Then it succeeds
    When I run "ovs-vsctl --if-exists del-port nope"
    Then it succeeds
