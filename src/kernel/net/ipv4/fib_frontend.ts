// net/ipv4/fib_frontend.c: RTM_NEWROUTE and the routes an address brings
// (fib_add_ifaddr).
import type { Net } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG } from '../../include/linux/netlink';
import { EINVAL, ENODEV, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NLM_F_EXCL } from '../../include/uapi/linux/netlink';
import {
  PF_INET, RTA_DST, RTA_GATEWAY, RTA_MAX, RTA_OIF, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE, RTM_NEWROUTE, RTN_LOCAL, RTN_UNICAST,
  RTPROT_KERNEL, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_LOCAL, RT_TABLE_MAIN,
} from '../../include/uapi/linux/rtnetlink';
import type { NlMsg } from '../../../netlink/nlmsg';
import { nla_get_be32, nla_get_u32 } from '../../../netlink/attr';
import { RTMSG_LEN, rtmsg_decode } from '../../../netlink/structs';
import { NLA_U32, nlmsg_parse_deprecated, type NlaPolicy } from '../../lib/nlattr';
import { rtnl_register_many } from '../core/rtnetlink';
import { fib_lookup, fib_table_insert, inet_mask } from './fib_trie';
import { hop } from '../../../trace/hop';

const FILE = 'net/ipv4/fib_frontend.c';

// fib_frontend.c rtm_ipv4_policy (v6.18), the entries modelled
const rtm_ipv4_policy: NlaPolicy = {
  [RTA_DST]: { type: NLA_U32 },
  [RTA_OIF]: { type: NLA_U32 },
  [RTA_GATEWAY]: { type: NLA_U32 },
  [RTA_PRIORITY]: { type: NLA_U32 },
  [RTA_PREFSRC]: { type: NLA_U32 },
  [RTA_TABLE]: { type: NLA_U32 },
};

/**
 * fib_check_nh_v4_gw (net/ipv4/fib_semantics.c, v6.18): a gateway must be
 * reachable through a link-scope (connected) route of a unicast or local type.
 */
const fib_check_nh_v4_gw = hop('net/ipv4/fib_semantics.c', function fib_check_nh_v4_gw(net: Net, gw4: number, extack: NetlinkExtAck): { err: 0 | NegErrno; dev: NetDevice | null } {
  const res = fib_lookup(net, gw4, RT_SCOPE_LINK);
  if (typeof res === 'number') {
    NL_SET_ERR_MSG(extack, 'Nexthop has invalid gateway');
    return { err: res, dev: null };
  }
  if (res.entry.type !== RTN_UNICAST && res.entry.type !== RTN_LOCAL) {
    NL_SET_ERR_MSG(extack, 'Nexthop has invalid gateway');
    return { err: -EINVAL, dev: null };
  }
  return { err: 0, dev: res.entry.dev };
}, { errno: (r) => r.err });

/**
 * inet_rtm_newroute → rtm_to_fib_config + fib_table_insert (v6.18): a
 * device by RTA_OIF, or the gateway's; one of them is required.
 */
export const inet_rtm_newroute = hop(FILE, function inet_rtm_newroute(skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const { err, tb } = nlmsg_parse_deprecated(nlh, RTMSG_LEN, RTA_MAX, rtm_ipv4_policy, extack);
  if (err < 0) return err;
  const rtm = rtmsg_decode(nlh.payload);
  if (!rtm.ok) return -EINVAL;
  const r = rtm.value;
  if (r.rtm_dst_len > 32) {
    NL_SET_ERR_MSG(extack, 'Invalid prefix length');
    return -EINVAL;
  }
  const dst = tb[RTA_DST] ? nla_get_be32(tb[RTA_DST]!) : 0;
  let dev: NetDevice | null = null;
  if (tb[RTA_OIF]) {
    dev = skb.net.dev_by_index.get(nla_get_u32(tb[RTA_OIF]!)) ?? null;
    if (!dev) {
      NL_SET_ERR_MSG(extack, 'Nexthop device not found');
      return -ENODEV;
    }
  }
  const gw4 = tb[RTA_GATEWAY] ? nla_get_be32(tb[RTA_GATEWAY]!) : 0;
  if (gw4) {
    const nh = fib_check_nh_v4_gw(skb.net, gw4, extack);
    if (nh.err) return nh.err;
    dev = dev ?? nh.dev;
  }
  if (!dev) {
    NL_SET_ERR_MSG(extack, 'Nexthop device required for onlink');
    return -ENODEV;
  }
  if ((dst & ~inet_mask(r.rtm_dst_len)) >>> 0) {
    NL_SET_ERR_MSG(extack, 'Invalid prefix for given prefix length');
    return -EINVAL;
  }
  return fib_table_insert(skb.net, {
    table: tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]!) : r.rtm_table || RT_TABLE_MAIN, dst, dst_len: r.rtm_dst_len,
    type: r.rtm_type || RTN_UNICAST, scope: r.rtm_scope, protocol: r.rtm_protocol, gw4, dev,
    prefsrc: tb[RTA_PREFSRC] ? nla_get_be32(tb[RTA_PREFSRC]!) : 0,
  }, (nlh.hdr.nlmsg_flags & NLM_F_EXCL) !== 0);
}, { input: (_s, nlh) => `flags=0x${nlh.hdr.nlmsg_flags.toString(16)}` });

/**
 * fib_add_ifaddr (v6.18): an address brings its local /32 route (local
 * table, host scope) and its connected prefix route (main table, link scope).
 */
export const fib_add_ifaddr = hop(FILE, function fib_add_ifaddr(dev: NetDevice, local: number, prefixlen: number): void {
  const net = dev.nd_net;
  fib_table_insert(net, { table: RT_TABLE_LOCAL, dst: local, dst_len: 32, type: RTN_LOCAL, scope: RT_SCOPE_HOST, protocol: RTPROT_KERNEL, gw4: 0, dev, prefsrc: local }, false);
  if (prefixlen < 32) {
    const prefix = (local & inet_mask(prefixlen)) >>> 0;
    fib_table_insert(net, { table: RT_TABLE_MAIN, dst: prefix, dst_len: prefixlen, type: RTN_UNICAST, scope: RT_SCOPE_LINK, protocol: RTPROT_KERNEL, gw4: 0, dev, prefsrc: local }, false);
  }
});

/** ip_fib_init(): the RTM_NEWROUTE handler. */
export function ip_fib_init(net: Net): void {
  rtnl_register_many(net, [{ protocol: PF_INET, msgtype: RTM_NEWROUTE, doit: inet_rtm_newroute }]);
}
