// init/main.c start_kernel(): one emulated host's kernel — a fresh network
// namespace with lo, and every subsystem's init run against it (the
// registries they fill hang off that namespace, never off the process).
import type { Net } from '../include/net/net_namespace';
import type { NetDevice } from '../include/linux/netdevice';
import type { Syscalls } from '../syscall';
import { net_alloc, register_netdevice } from '../net/core/dev';
import { rtnetlink_init } from '../net/core/rtnetlink';
import { netlink_syscalls } from '../net/netlink/af_netlink';
import { genl_init } from '../net/netlink/genetlink';
import { pktsched_init } from '../net/sched/sch_api';
import { ingress_module_init } from '../net/sched/sch_ingress';
import { tc_filter_init } from '../net/sched/cls_api';
import { tc_action_init } from '../net/sched/act_api';
import { cls_fl_init } from '../net/sched/cls_flower';
import { gact_init_module } from '../net/sched/act_gact';
import { mirred_init_module } from '../net/sched/act_mirred';
import { vlan_init_module } from '../net/sched/act_vlan';
import { mpls_init_module } from '../net/sched/act_mpls';
import { tunnel_key_init_module } from '../net/sched/act_tunnel_key';
import { pedit_init_module } from '../net/sched/act_pedit';
import { csum_init_module } from '../net/sched/act_csum';
import { skbedit_init_module } from '../net/sched/act_skbedit';
import { police_init_module } from '../net/sched/act_police';
import { sample_init_module } from '../net/sched/act_sample';
import { ct_init_module } from '../net/sched/act_ct';
import { dp_init } from '../net/openvswitch/datapath';
import { devlink_init } from '../net/devlink/core';
import { dummy_init_module } from '../drivers/net/dummy';
import { veth_init } from '../drivers/net/veth';
import { vxlan_init_module } from '../drivers/net/vxlan/vxlan_core';
import { devinet_init } from '../net/ipv4/devinet';
import { ip_fib_init } from '../net/ipv4/fib_frontend';
import { neigh_init } from '../net/core/neighbour';

export interface Kernel {
  net: Net;
  syscalls: Syscalls;
}

/** loopback_net_init(): lo at ifindex 1, without ndo_setup_tc. */
function loopback_net_init(net: Net): void {
  const lo: NetDevice = {
    name: 'lo', ifindex: 1, features: { hw_tc: false }, hw_features: { hw_tc: false }, netdev_ops: {}, priv: null,
    nd_net: net, present: true, kind: 'loopback',
  };
  register_netdevice(net, lo);
}

export interface KernelOptions {
  /** The host clock in milliseconds (jiffies at HZ = 1000). */
  jiffies?: () => number;
}

export function start_kernel(opts: KernelOptions = {}): Kernel {
  const net = net_alloc(opts.jiffies);
  loopback_net_init(net);
  rtnetlink_init(net);
  devinet_init(net);
  ip_fib_init(net);
  neigh_init(net);
  genl_init(net);
  pktsched_init(net);
  ingress_module_init(net);
  tc_filter_init(net);
  tc_action_init(net);
  cls_fl_init(net);
  gact_init_module(net);
  mirred_init_module(net);
  vlan_init_module(net);
  mpls_init_module(net);
  tunnel_key_init_module(net);
  pedit_init_module(net);
  csum_init_module(net);
  skbedit_init_module(net);
  police_init_module(net);
  sample_init_module(net);
  ct_init_module(net);
  dp_init(net);
  devlink_init(net);
  dummy_init_module(net);
  veth_init(net);
  vxlan_init_module(net);
  return { net, syscalls: netlink_syscalls(net) };
}
