// net/ipv4/devinet.c: IPv4 addresses on devices (RTM_NEWADDR).
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG } from '../../include/linux/netlink';
import { EEXIST, EINVAL, ENODEV, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NLM_F_EXCL, NLM_F_REPLACE } from '../../include/uapi/linux/netlink';
import { IFA_ADDRESS, IFA_LABEL, IFA_LOCAL, IFA_MAX, PF_INET, RTM_NEWADDR } from '../../include/uapi/linux/rtnetlink';
import type { NlMsg } from '../../../netlink/nlmsg';
import { nla_get_be32 } from '../../../netlink/attr';
import { IFADDRMSG_LEN, ifaddrmsg_decode } from '../../../netlink/structs';
import { NLA_STRING, NLA_U32, nlmsg_parse_deprecated, type NlaPolicy } from '../../lib/nlattr';
import { rtnl_register_many } from '../core/rtnetlink';
import { fib_add_ifaddr } from './fib_frontend';
import { hop } from '../../../trace/hop';

/** struct in_ifaddr, the parts modelled. */
export interface InIfaddr {
  dev: NetDevice;
  ifa_local: number;
  ifa_prefixlen: number;
}

export function inet_addrs(net: Net): InIfaddr[] {
  return net_generic(net, 'in_ifaddr', () => [] as InIfaddr[]);
}

/** __ip_dev_find(): the device owning a local address. */
export function __ip_dev_find(net: Net, addr: number): NetDevice | null {
  return inet_addrs(net).find((a) => a.ifa_local === addr)?.dev ?? null;
}

// devinet.c ifa_ipv4_policy (v6.18), the entries modelled
const ifa_ipv4_policy: NlaPolicy = {
  [IFA_LOCAL]: { type: NLA_U32 },
  [IFA_ADDRESS]: { type: NLA_U32 },
  [IFA_LABEL]: { type: NLA_STRING, len: 15 },
};

/**
 * inet_rtm_newaddr → rtm_to_ifaddr (v6.18): prefix length, local address
 * and device checked in that order; an existing address with NLM_F_EXCL
 * (or without NLM_F_REPLACE) is -EEXIST.
 */
export const inet_rtm_newaddr = hop('net/ipv4/devinet.c', function inet_rtm_newaddr(skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const { err, tb } = nlmsg_parse_deprecated(nlh, IFADDRMSG_LEN, IFA_MAX, ifa_ipv4_policy, extack);
  if (err < 0) return err;
  const ifm = ifaddrmsg_decode(nlh.payload);
  if (!ifm.ok) return -EINVAL;
  if (ifm.value.ifa_prefixlen > 32) {
    NL_SET_ERR_MSG(extack, 'ipv4: Invalid prefix length');
    return -EINVAL;
  }
  if (!tb[IFA_LOCAL]) {
    NL_SET_ERR_MSG(extack, 'ipv4: Local address is not supplied');
    return -EINVAL;
  }
  const dev = skb.net.dev_by_index.get(ifm.value.ifa_index);
  if (!dev) {
    NL_SET_ERR_MSG(extack, 'ipv4: Device not found');
    return -ENODEV;
  }
  const local = nla_get_be32(tb[IFA_LOCAL]!);
  const list = inet_addrs(skb.net);
  const old = list.find((a) => a.dev === dev && a.ifa_local === local && a.ifa_prefixlen === ifm.value.ifa_prefixlen);
  if (old) {
    if ((nlh.hdr.nlmsg_flags & NLM_F_EXCL) || !(nlh.hdr.nlmsg_flags & NLM_F_REPLACE)) return -EEXIST;
    return 0;
  }
  list.push({ dev, ifa_local: local, ifa_prefixlen: ifm.value.ifa_prefixlen });
  // __inet_insert_ifa → NETDEV_UP on the inetaddr chain → fib_inetaddr_event
  fib_add_ifaddr(dev, local, ifm.value.ifa_prefixlen);
  return 0;
}, { input: (_s, nlh) => `flags=0x${nlh.hdr.nlmsg_flags.toString(16)}` });

/** devinet_init(): the RTM_NEWADDR handler. */
export function devinet_init(net: Net): void {
  rtnl_register_many(net, [{ protocol: PF_INET, msgtype: RTM_NEWADDR, doit: inet_rtm_newaddr }]);
}
