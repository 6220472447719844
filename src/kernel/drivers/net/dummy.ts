// drivers/net/dummy.c: a device that drops what it is sent. It has no
// ndo_setup_tc, so a tc block it joins counts it in nooffloaddevcnt.
import type { Net } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import type { RtnlLinkOps } from '../../include/net/rtnetlink';
import { EEXIST, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { register_netdevice } from '../../net/core/dev';
import { rtnl_link_register } from '../../net/core/rtnetlink';
import { hop } from '../../../trace/hop';

/** A software net device of `kind` without TC offload (no ndo_setup_tc, hw-tc-offload fixed off). */
export function soft_netdev(net: Net, name: string, kind: string): NetDevice {
  return {
    name, ifindex: 0, features: { hw_tc: false }, hw_features: { hw_tc: false }, netdev_ops: {}, priv: null,
    nd_net: net, present: true, kind,
  };
}

/** Next free name for a pattern like "dummy%d" (dev_alloc_name). */
export function dev_alloc_name(net: Net, pattern: string): string {
  for (let i = 0; ; i++) {
    const name = pattern.replace('%d', String(i));
    if (!net.dev_by_name.has(name)) return name;
  }
}

/** dummy_setup + register_netdevice via rtnl_create_link (v6.18). */
export const dummy_newlink = hop('drivers/net/dummy.c', function dummy_newlink(net: Net, ifname: string, _data: unknown,
  _extack: NetlinkExtAck): 0 | NegErrno {
  const name = ifname || dev_alloc_name(net, 'dummy%d');
  if (net.dev_by_name.has(name)) return -EEXIST;
  return register_netdevice(net, soft_netdev(net, name, 'dummy'));
}, { input: (_n, ifname) => ifname });

export const dummy_link_ops = { kind: 'dummy', newlink: dummy_newlink } satisfies RtnlLinkOps;

/** dummy_init_module(): the kind becomes available on this host. */
export function dummy_init_module(net: Net): 0 | NegErrno {
  return rtnl_link_register(net, dummy_link_ops);
}
