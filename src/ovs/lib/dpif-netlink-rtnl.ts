// lib/dpif-netlink-rtnl.c (v3.6.3): tunnel vports of the system datapath are
// plain kernel devices that OVS creates through rtnetlink (a VXLAN device in
// metadata mode, "external") and then adds to the datapath as netdev vports.
import { NETLINK_ROUTE, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MTU, RTM_NEWLINK } from '../../kernel/include/uapi/linux/rtnetlink';
import { IFLA_VXLAN_COLLECT_METADATA, IFLA_VXLAN_LEARNING, IFLA_VXLAN_PORT } from '../../kernel/include/uapi/linux/if_link';
import { EEXIST, EOPNOTSUPP } from '../../kernel/include/uapi/asm-generic/errno';
import { NlMsgBuilder } from '../../netlink/attr';
import { ifinfomsg_encode } from '../../netlink/structs';
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { errno_text, type OvsProcess } from './ovs-process';
import { nl_transact } from './netlink-socket';
import { netdev_vport_get_dpif_port, netdev_vport_dst_port, type Netdev } from './netdev';

// lib/dpif-netlink-rtnl.c: tunnel devices get the largest MTU a tunnel allows.
const MAX_MTU = 65000;

const rtnl_create_exists = declareBranch('lib/dpif-netlink-rtnl.c', 'dpif_netlink_rtnl_port_create', 'device exists');

/**
 * dpif_netlink_rtnl_create: RTM_NEWLINK (CREATE|EXCL|ACK) for the dpif port
 * name with kind "vxlan": no learning, collect_metadata, the UDP port.
 */
const dpif_netlink_rtnl_create = hop('lib/dpif-netlink-rtnl.c', function dpif_netlink_rtnl_create(
  p: OvsProcess, name: string, kind: string, dst_port: number,
): number {
  const b = new NlMsgBuilder({ nlmsg_type: RTM_NEWLINK, nlmsg_flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(ifinfomsg_encode({ ifi_family: 0, ifi_type: 0, ifi_index: 0, ifi_flags: 0, ifi_change: 0 }))
    .string(IFLA_IFNAME, name)
    .u32(IFLA_MTU, MAX_MTU);
  const li = b.nestStart(IFLA_LINKINFO);
  b.string(IFLA_INFO_KIND, kind);
  const data = b.nestStart(IFLA_INFO_DATA);
  b.u8(IFLA_VXLAN_LEARNING, 0);
  b.u8(IFLA_VXLAN_COLLECT_METADATA, 1);
  b.be16(IFLA_VXLAN_PORT, dst_port);
  b.nestEnd(data);
  b.nestEnd(li);
  return nl_transact(p, NETLINK_ROUTE, b.finish(), false).error;
}, { input: (_p, name, kind, dst_port) => `${name} kind ${kind} dstport ${dst_port}`, errno: (e) => -e, result: errno_text });

/**
 * dpif_netlink_rtnl_port_create: the kernel device of a tunnel netdev.
 * Only VXLAN is modelled (other kinds: EOPNOTSUPP, upstream's cue to try
 * the compat vport). A device that already exists is reused (upstream
 * verifies its kind and flags first; not modelled).
 */
export const dpif_netlink_rtnl_port_create = hop('lib/dpif-netlink-rtnl.c', function dpif_netlink_rtnl_port_create(
  p: OvsProcess, netdev: Netdev,
): number {
  if (netdev.type !== 'vxlan') return EOPNOTSUPP;
  const name = netdev_vport_get_dpif_port(netdev);
  const err = dpif_netlink_rtnl_create(p, name, 'vxlan', netdev_vport_dst_port(netdev));
  if (rtnl_create_exists(err === EEXIST)) return 0;
  return err;
}, { input: (_p, netdev) => `${netdev.name} (${netdev.type})`, errno: (e) => -e, result: errno_text });
