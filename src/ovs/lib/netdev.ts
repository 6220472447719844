// lib/netdev.c + lib/netdev-provider.h (v3.6.3): struct netdev as the offload
// layer sees it (name, type, dpif type, cached ifindex, flow API), and the
// Linux ifindex lookup of lib/netdev-linux.c (RTM_GETLINK by name).
import { NETLINK_ROUTE, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { IFLA_EXT_MASK, IFLA_IFNAME, RTM_GETLINK, RTM_NEWLINK } from '../../kernel/include/uapi/linux/rtnetlink';
import { EPROTO } from '../../kernel/include/uapi/asm-generic/errno';
import { NlMsgBuilder } from '../../netlink/attr';
import { ifinfomsg_decode, ifinfomsg_encode } from '../../netlink/structs';
import { hop } from '../../trace/hop';
import type { OvsProcess } from './ovs-process';
import { nl_transact } from './netlink-socket';
import type { NetdevFlowApi } from './netdev-offload';

// include/uapi/linux/rtnetlink.h
const RTEXT_FILTER_SKIP_STATS = 1 << 3;

/** struct netdev */
export interface Netdev {
  readonly name: string;
  /** netdev_get_type(): "system", "internal", ... */
  readonly type: string;
  /** netdev_get_dpif_type(): the datapath class it was added to. */
  readonly dpif_type: string;
  /** Cached ifindex, or a negative errno once a lookup failed. */
  ifindex?: number;
  /** The flow API assigned at port insertion (netdev->flow_api). */
  flow_api?: NetdevFlowApi;
  /** Interface options (tunnel vports: remote_ip, key, dst_port, ...). */
  readonly options?: Readonly<Record<string, string>>;
}

export function netdev_open(name: string, type: string, dpif_type = 'system', options?: Readonly<Record<string, string>>): Netdev {
  return options ? { name, type, dpif_type, options } : { name, type, dpif_type };
}

// lib/netdev-vport.c: the tunnel classes modelled, with their dpif port
// prefix and default UDP port (VXLAN_DST_PORT).
const VPORT_CLASSES: Readonly<Record<string, { dpif_port: string; default_dst_port: number }>> = {
  vxlan: { dpif_port: 'vxlan_sys', default_dst_port: 4789 },
};

/** is_vport_class: a tunnel netdev (its kernel device has another name). */
export function netdev_is_vport(netdev: Netdev): boolean {
  return netdev.type in VPORT_CLASSES;
}

/** tnl_cfg.dst_port: options:dst_port, else the class default. */
export function netdev_vport_dst_port(netdev: Netdev): number {
  const v = netdev.options?.['dst_port'];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) & 0xffff : VPORT_CLASSES[netdev.type]?.default_dst_port ?? 0;
}

/**
 * netdev_vport_get_dpif_port: a tunnel with a UDP port is `<prefix>_<port>`
 * in the datapath (vxlan_sys_4789); other netdevs keep their name.
 */
export function netdev_vport_get_dpif_port(netdev: Netdev): string {
  const c = VPORT_CLASSES[netdev.type];
  return c ? `${c.dpif_port}_${netdev_vport_dst_port(netdev)}` : netdev.name;
}

/**
 * netdev_linux_update_via_netlink: RTM_GETLINK for the device name; the
 * reply's ifinfomsg carries the ifindex.
 */
const netdev_linux_update_via_netlink = hop('lib/netdev-linux.c', function netdev_linux_update_via_netlink(
  p: OvsProcess, netdev: Netdev,
): number {
  const req = new NlMsgBuilder({ nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_REQUEST, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(ifinfomsg_encode({ ifi_family: 0, ifi_type: 0, ifi_index: 0, ifi_flags: 0, ifi_change: 0 }))
    // netdev_vport_get_ifindex: a tunnel vport's ifindex is its dpif port's.
    .string(IFLA_IFNAME, netdev_vport_get_dpif_port(netdev))
    .u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
    .finish();
  const { error, reply } = nl_transact(p, NETLINK_ROUTE, req, true);
  if (error) return -error;
  if (!reply || reply.hdr.nlmsg_type !== RTM_NEWLINK) return -EPROTO;
  const ifi = ifinfomsg_decode(reply.payload);
  return ifi.ok ? ifi.value.ifi_index : -EPROTO;
}, { input: (_p, netdev) => netdev.name });

/** netdev_get_ifindex: positive ifindex or a negative errno (cached). */
export function netdev_get_ifindex(p: OvsProcess, netdev: Netdev): number {
  if (netdev.ifindex === undefined) netdev.ifindex = netdev_linux_update_via_netlink(p, netdev);
  return netdev.ifindex;
}

/** is_internal_port(): internal ports are reached on their ingress. */
export function is_internal_port(type: string): boolean {
  return type === 'internal';
}
