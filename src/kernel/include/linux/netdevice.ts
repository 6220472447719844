// include/linux/netdevice.h: the parts of struct net_device and
// net_device_ops the offload path reads. Drivers fill netdev_ops and priv.
import type { NegErrno } from '../uapi/asm-generic/errno';
import type { Net } from '../net/net_namespace';

/** enum tc_setup_type (include/net/pkt_sched.h / netdevice.h) */
export const TC_SETUP_QDISC_MQPRIO = 1;
export const TC_SETUP_CLSU32 = 2;
export const TC_SETUP_CLSFLOWER = 3;
export const TC_SETUP_CLSMATCHALL = 4;
export const TC_SETUP_CLSBPF = 5;
export const TC_SETUP_BLOCK = 6;
export const TC_SETUP_FT = 15;
/** appended: standalone actions offered to indirect callbacks (tcf_action_offload_cmd) */
export const TC_SETUP_ACT = 20;
export type TcSetupType = number;

/** netdev_features_t bits we model. */
export interface NetdevFeatures {
  /** NETIF_F_HW_TC: "hw-tc-offload" in ethtool -k. */
  hw_tc: boolean;
}

export interface NetDeviceOps {
  /** Absent on devices without TC offload (veth, vxlan, dummy…). */
  ndo_setup_tc?: (dev: NetDevice, type: TcSetupType, type_data: unknown) => 0 | NegErrno;
  /** Called by __netdev_update_features; a non-zero return keeps the old features. */
  ndo_set_features?: (dev: NetDevice, features: NetdevFeatures) => 0 | NegErrno;
}

export interface NetDevice {
  name: string;
  ifindex: number;
  /** Enabled features (dev->features). */
  features: NetdevFeatures;
  /** Features the user may toggle (dev->hw_features). */
  hw_features: NetdevFeatures;
  netdev_ops: NetDeviceOps;
  /** Driver private data (netdev_priv). */
  priv: unknown;
  /** The device's namespace. */
  nd_net: Net;
  /** Parent device name for log prefixes, e.g. `mlx5_core 0000:08:00.0`. */
  dev_name?: string;
  /** netif_device_present() */
  present: boolean;
  /** Kind for `ip -d link` style output: 'mlx5e', 'mlx5e_rep', 'veth', 'vxlan'… */
  kind: string;
  /** Root/ingress qdiscs and blocks, owned by net/sched. */
  qdisc_state?: unknown;
}

/** tc_can_offload (include/net/pkt_cls.h): NETIF_F_HW_TC set? */
export function tc_can_offload(dev: NetDevice): boolean {
  return dev.features.hw_tc;
}

/** netdev_err/netdev_warn/netdev_info: the kernel log line with the device prefix. */
export function netdev_printk(level: 'err' | 'warn' | 'info' | 'dbg', dev: NetDevice, msg: string): void {
  const prefix = dev.dev_name ? `${dev.dev_name} ${dev.name}` : dev.name;
  dev.nd_net.printk(level, `${prefix}: ${msg}`);
}

// Appended (mlx5): switchdev port identity, read by drivers deciding whether a
// mirred target sits on the same hardware switch (netdev_port_same_parent_id).
export interface NetDeviceOps {
  /** ndo_get_port_parent_id: the switch id (hex) of the port, or -EOPNOTSUPP. */
  ndo_get_port_parent_id?: (dev: NetDevice) => string | NegErrno;
}
