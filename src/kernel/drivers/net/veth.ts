// drivers/net/veth.c: a pair of devices created together. Neither has
// ndo_setup_tc, so tc blocks on them are software-only (nooffloaddevcnt).
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import type { RtnlLinkOps } from '../../include/net/rtnetlink';
import { EEXIST, EINVAL, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { IFLA_IFNAME, IFLA_MAX, VETH_INFO_MAX, VETH_INFO_PEER } from '../../include/uapi/linux/rtnetlink';
import { nla_get_string, type NlAttr } from '../../../netlink/attr';
import { IFINFOMSG_LEN } from '../../../netlink/structs';
import { NLA_STRING, nla_parse_deprecated, nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import { register_netdevice } from '../../net/core/dev';
import { rtnl_link_register } from '../../net/core/rtnetlink';
import { dev_alloc_name, soft_netdev } from './dummy';
import { hop } from '../../../trace/hop';

// the IFLA_* entries of the peer's attributes that are read here
const peer_policy: NlaPolicy = {
  [IFLA_IFNAME]: { type: NLA_STRING, len: 15 },
};

/**
 * veth_newlink (v6.18): the peer's name comes from VETH_INFO_PEER (an
 * ifinfomsg followed by IFLA_* attributes) or "veth%d"; both names must be
 * free; the peer is registered first.
 */
export const veth_newlink = hop('drivers/net/veth.c', function veth_newlink(net: Net, ifname: string, data: NlAttr | undefined,
  extack: NetlinkExtAck): 0 | NegErrno {
  let peer_name = '';
  if (data) {
    const { err, tb } = nla_parse_nested_deprecated(VETH_INFO_MAX, data, null, extack);
    if (err < 0) return err;
    const peer = tb[VETH_INFO_PEER];
    if (peer) {
      if (peer.payload.byteLength < IFINFOMSG_LEN) return -EINVAL;
      const p = nla_parse_deprecated(IFLA_MAX, peer.payload.subarray(IFINFOMSG_LEN), peer.offset + 4 + IFINFOMSG_LEN, peer_policy, extack);
      if (p.err < 0) return p.err;
      if (p.tb[IFLA_IFNAME]) peer_name = nla_get_string(p.tb[IFLA_IFNAME]!);
    }
  }
  if (!peer_name) peer_name = dev_alloc_name(net, 'veth%d');
  if (net.dev_by_name.has(peer_name)) return -EEXIST;
  const err = register_netdevice(net, soft_netdev(net, peer_name, 'veth'));
  if (err) return err;
  const name = ifname || dev_alloc_name(net, 'veth%d');
  const err2 = register_netdevice(net, soft_netdev(net, name, 'veth'));
  if (err2) {
    // unregister the peer again, as veth_newlink's error path does
    const peer = net.dev_by_name.get(peer_name)!;
    net.dev_by_name.delete(peer_name);
    net.dev_by_index.delete(peer.ifindex);
  }
  return err2;
}, { input: (_n, ifname) => ifname });

export const veth_link_ops = { kind: 'veth', newlink: veth_newlink } satisfies RtnlLinkOps;

/** veth_init(): the kind becomes available on this host. */
export function veth_init(net: Net): 0 | NegErrno {
  return rtnl_link_register(net, veth_link_ops);
}
