// net/core/rtnetlink.c: the NETLINK_ROUTE kernel socket, the per-family
// handler table, dispatch by message type, notifications, and the link
// messages (RTM_GETLINK) that tools send before anything else.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkCallback, NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG, NL_CFG_F_NONROOT_RECV } from '../../include/linux/netlink';
import {
  RTNL_FLAG_BULK_DEL_SUPPORTED, type RtnlLink, type RtnlLinkOps, type RtnlMsgHandler,
} from '../../include/net/rtnetlink';
import { EEXIST, EINVAL, ENODEV, EOPNOTSUPP, EPERM, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NETLINK_ROUTE, NLM_F_BULK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_ECHO, NLM_F_EXCL, NLM_F_MULTI } from '../../include/uapi/linux/netlink';
import {
  ARPHRD_ETHER, ARPHRD_LOOPBACK, IFF_BROADCAST, IFF_LOOPBACK, IFF_MULTICAST, IFF_RUNNING, IFF_UP,
  IFLA_ALT_IFNAME, IFLA_EXT_MASK, IFLA_IFNAME, IFLA_MAX, IFLA_MTU, PF_UNSPEC, RTM_BASE, RTM_GETLINK, RTM_MAX,
  RTM_NEWLINK, RTNL_KIND_DEL, RTNL_KIND_GET, IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_MAX,
} from '../../include/uapi/linux/rtnetlink';
import { IFNAMSIZ } from '../../include/uapi/linux/pkt_sched';
import type { NlMsg } from '../../../netlink/nlmsg';
import { NlMsgBuilder, nla_get_string, type NlAttr } from '../../../netlink/attr';
import { IFINFOMSG_LEN, ifinfomsg_decode, ifinfomsg_encode } from '../../../netlink/structs';
import {
  netlink_broadcast, netlink_dump_start, netlink_has_listeners, netlink_kernel_create, netlink_rcv_skb,
  netlink_unicast_reply,
} from '../netlink/af_netlink';
import { NLA_NESTED, NLA_STRING, NLA_U32, nla_parse_nested_deprecated, nlmsg_parse_deprecated, type NlaPolicy } from '../../lib/nlattr';
import { hop } from '../../../trace/hop';

/** include/uapi/linux/rtnetlink.h: __RTNLGRP_MAX - 1 */
export const RTNLGRP_MAX = 37;

/** rtnl_msg_handlers[family][msgtype - RTM_BASE], one table per host. */
function rtnl_msg_handlers(net: Net): Map<number, Map<number, RtnlLink>> {
  return net_generic(net, 'rtnl_msg_handlers', () => new Map<number, Map<number, RtnlLink>>());
}

function rtnl_get_link(net: Net, family: number, type: number): RtnlLink | undefined {
  return rtnl_msg_handlers(net).get(family)?.get(type);
}

/**
 * rtnl_register_internal (v6.18): creates or extends the entry; a second,
 * different doit/dumpit is an emulator bug (upstream WARNs).
 */
function rtnl_register_internal(net: Net, h: RtnlMsgHandler): 0 | NegErrno {
  const tab = rtnl_msg_handlers(net);
  let fam = tab.get(h.protocol);
  if (!fam) {
    fam = new Map();
    tab.set(h.protocol, fam);
  }
  const msgindex = h.msgtype - RTM_BASE;
  const cur = fam.get(msgindex) ?? { doit: null, dumpit: null, flags: 0 };
  if (h.doit && cur.doit && cur.doit !== h.doit) throw new Error(`rtnl_register: doit for ${h.msgtype} already registered`);
  if (h.dumpit && cur.dumpit && cur.dumpit !== h.dumpit) throw new Error(`rtnl_register: dumpit for ${h.msgtype} already registered`);
  fam.set(msgindex, {
    doit: h.doit ?? cur.doit,
    dumpit: h.dumpit ?? cur.dumpit,
    flags: cur.flags | (h.flags ?? 0),
  });
  return 0;
}

/** rtnl_register_many (6.12+): registers every entry of a table. */
export const rtnl_register_many = hop('net/core/rtnetlink.c', function rtnl_register_many(net: Net, handlers: readonly RtnlMsgHandler[]): 0 | NegErrno {
  for (const h of handlers) {
    const err = rtnl_register_internal(net, h);
    if (err) return err;
  }
  return 0;
}, { input: (_n, hs) => hs.map((h) => h.msgtype).join(',') });

/**
 * rtnetlink_rcv_msg (net/core/rtnetlink.c v6.18): type range, kind, the
 * CAP_NET_ADMIN rule for everything but GET, then dumpit or doit looked up
 * for the family with a PF_UNSPEC fallback.
 */
export const rtnetlink_rcv_msg = hop('net/core/rtnetlink.c', function rtnetlink_rcv_msg(skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck): number {
  const net = skb.net;
  let type = nlh.hdr.nlmsg_type;
  if (type > RTM_MAX) return -EOPNOTSUPP;
  type -= RTM_BASE;
  // All the messages must have at least 1 byte length (struct rtgenmsg).
  if (nlh.payload.byteLength < 1) return 0;
  const family = nlh.payload[0]!;
  const kind = type & 3;
  if (kind !== RTNL_KIND_GET && !skb.cap_net_admin) return -EPERM;

  if (kind === RTNL_KIND_GET && (nlh.hdr.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP) {
    let link = rtnl_get_link(net, family, type);
    if (!link?.dumpit) link = rtnl_get_link(net, PF_UNSPEC, type);
    const dumpit = link?.dumpit;
    if (!dumpit) return -EOPNOTSUPP;
    // rtnetlink_dump_start: unless DUMP_UNLOCKED the dump runs under rtnl_dumpit.
    return netlink_dump_start(skb, nlh, { dump: dumpit }, extack);
  }

  let link = rtnl_get_link(net, family, type);
  if (!link?.doit) link = rtnl_get_link(net, PF_UNSPEC, type);
  const doit = link?.doit;
  const flags = link?.flags ?? 0;
  if (!doit) return -EOPNOTSUPP;
  if (kind === RTNL_KIND_DEL && (nlh.hdr.nlmsg_flags & NLM_F_BULK) && !(flags & RTNL_FLAG_BULK_DEL_SUPPORTED)) {
    NL_SET_ERR_MSG(extack, 'Bulk delete is not supported');
    return -EOPNOTSUPP;
  }
  // RTNL_FLAG_DOIT_UNLOCKED decides only locking, which is not modelled.
  return doit(skb, nlh, extack);
}, { input: (_s, nlh) => `type=${nlh.hdr.nlmsg_type} flags=0x${nlh.hdr.nlmsg_flags.toString(16)} seq=${nlh.hdr.nlmsg_seq}` });

/** rtnetlink_rcv(): the NETLINK_ROUTE kernel socket's input. */
export const rtnetlink_rcv = hop('net/core/rtnetlink.c', function rtnetlink_rcv(skb: NetlinkSkb): void {
  netlink_rcv_skb(skb, rtnetlink_rcv_msg);
}, { input: (skb) => `portid=${skb.portid} len=${skb.data.byteLength}` });

/** rtnl_unicast(): a reply queued on the requester's socket. */
export function rtnl_unicast(data: Uint8Array, net: Net, portid: number): number | NegErrno {
  return netlink_unicast_reply(net, NETLINK_ROUTE, data, portid);
}

/** rtnl_has_listeners() */
export function rtnl_has_listeners(net: Net, group: number): boolean {
  return netlink_has_listeners(net, NETLINK_ROUTE, group);
}

/** rtnl_notify_needed() (6.x): a listener on `group`, or the request asked for an echo. */
export function rtnl_notify_needed(net: Net, nlflags: number, group: number): boolean {
  return (nlflags & NLM_F_ECHO) !== 0 || rtnl_has_listeners(net, group);
}

/**
 * rtnetlink_send → nlmsg_notify: multicast to `group` (excluding the
 * requester when it also gets the unicast echo), then the echo itself.
 */
export const rtnetlink_send = hop('net/core/rtnetlink.c', function rtnetlink_send(data: Uint8Array, net: Net, pid: number, group: number, echo: boolean): 0 | NegErrno {
  let err: 0 | NegErrno = 0;
  if (group) netlink_broadcast(net, NETLINK_ROUTE, data, echo ? pid : 0, group);
  if (echo) {
    const r = rtnl_unicast(data, net, pid);
    if (r < 0) err = r;
  }
  return err;
}, { input: (d, _n, pid, group, echo) => `pid=${pid} group=${group} echo=${echo} len=${d.byteLength}` });

// ifla_policy, the entries the link messages use (net/core/rtnetlink.c v6.18)
const ifla_policy: NlaPolicy = {
  [IFLA_IFNAME]: { type: NLA_STRING, len: IFNAMSIZ - 1 },
  [IFLA_MTU]: { type: NLA_U32 },
  [IFLA_EXT_MASK]: { type: NLA_U32 },
  [IFLA_ALT_IFNAME]: { type: NLA_STRING, len: 128 - 1 },
  [IFLA_LINKINFO]: { type: NLA_NESTED },
  [IFLA_MAX]: { type: NLA_NESTED },
};

// net/core/rtnetlink.c ifla_info_policy (v6.18), the entries modelled
const ifla_info_policy: NlaPolicy = {
  [IFLA_INFO_KIND]: { type: NLA_STRING },
  [IFLA_INFO_DATA]: { type: NLA_NESTED },
};

/** link_ops: the kinds rtnl_link_register made available on this host. */
function rtnl_link_ops_list(net: Net): Map<string, RtnlLinkOps> {
  return net_generic(net, 'rtnl_link_ops', () => new Map<string, RtnlLinkOps>());
}

/** rtnl_link_register(): a link kind (dummy, veth, …) becomes creatable. */
export function rtnl_link_register(net: Net, ops: RtnlLinkOps): 0 | NegErrno {
  const list = rtnl_link_ops_list(net);
  if (list.has(ops.kind)) return -EEXIST;
  list.set(ops.kind, ops);
  return 0;
}

/**
 * rtnl_newlink → __rtnl_newlink (v6.18), creation only: an existing device
 * with NLM_F_EXCL is -EEXIST (changing a link is not modelled: -EOPNOTSUPP);
 * a new one needs NLM_F_CREATE (-ENODEV) and a registered kind ("Unknown
 * device type" -EOPNOTSUPP; no module can be loaded on the emulated host).
 */
export const rtnl_newlink = hop('net/core/rtnetlink.c', function rtnl_newlink(skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const { err, tb } = nlmsg_parse_deprecated(nlh, IFINFOMSG_LEN, IFLA_MAX, ifla_policy, extack);
  if (err < 0) return err;
  const ifm = ifinfomsg_decode(nlh.payload);
  if (!ifm.ok) return -EINVAL;
  const ifname = tb[IFLA_IFNAME] ? nla_get_string(tb[IFLA_IFNAME]!) : '';
  let dev: NetDevice | undefined;
  if (ifm.value.ifi_index > 0) dev = skb.net.dev_by_index.get(ifm.value.ifi_index);
  else if (ifname) dev = skb.net.dev_by_name.get(ifname);
  let kind = '';
  let data: NlAttr | undefined;
  if (tb[IFLA_LINKINFO]) {
    const li = nla_parse_nested_deprecated(IFLA_INFO_MAX, tb[IFLA_LINKINFO]!, ifla_info_policy, extack);
    if (li.err < 0) return li.err;
    if (li.tb[IFLA_INFO_KIND]) kind = nla_get_string(li.tb[IFLA_INFO_KIND]!);
    data = li.tb[IFLA_INFO_DATA];
  }
  const ops = kind ? rtnl_link_ops_list(skb.net).get(kind) : undefined;
  if (dev) {
    if (nlh.hdr.nlmsg_flags & NLM_F_EXCL) return -EEXIST;
    return -EOPNOTSUPP;
  }
  if (ifm.value.ifi_index > 0 || !(nlh.hdr.nlmsg_flags & NLM_F_CREATE)) return -ENODEV;
  if (!ops) {
    NL_SET_ERR_MSG(extack, 'Unknown device type');
    return -EOPNOTSUPP;
  }
  return ops.newlink(skb.net, ifname, data, extack);
}, { input: (_s, nlh) => `flags=0x${nlh.hdr.nlmsg_flags.toString(16)}` });

function dev_type(dev: NetDevice): number {
  return dev.kind === 'loopback' ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
}

/** rtnl_fill_ifinfo(): RTM_NEWLINK with the link's index, flags, name and MTU. */
function rtnl_fill_ifinfo(dev: NetDevice, type: number, pid: number, seq: number, flags: number): Uint8Array {
  const lo = dev.kind === 'loopback';
  const b = new NlMsgBuilder({ nlmsg_type: type, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: pid });
  b.put(ifinfomsg_encode({
    ifi_family: 0, ifi_type: dev_type(dev), ifi_index: dev.ifindex,
    ifi_flags: IFF_UP | IFF_RUNNING | (lo ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST), ifi_change: 0,
  }));
  b.string(IFLA_IFNAME, dev.name);
  b.u32(IFLA_MTU, lo ? 65536 : 1500);
  return b.finish();
}

/**
 * rtnl_getlink (v6.18): by ifi_index when positive, else by IFLA_IFNAME /
 * IFLA_ALT_IFNAME, else -EINVAL; unknown → -ENODEV; reply RTM_NEWLINK.
 */
export const rtnl_getlink = hop('net/core/rtnetlink.c', function rtnl_getlink(skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const { err, tb } = nlmsg_parse_deprecated(nlh, IFINFOMSG_LEN, IFLA_MAX, ifla_policy, extack);
  if (err < 0) return err;
  const ifm = ifinfomsg_decode(nlh.payload);
  if (!ifm.ok) return -EINVAL;
  let dev: NetDevice | undefined;
  if (ifm.value.ifi_index > 0) dev = skb.net.dev_by_index.get(ifm.value.ifi_index);
  else if (tb[IFLA_IFNAME] || tb[IFLA_ALT_IFNAME]) {
    const name = nla_get_string((tb[IFLA_IFNAME] ?? tb[IFLA_ALT_IFNAME])!);
    dev = skb.net.dev_by_name.get(name);
  } else return -EINVAL;
  if (!dev) return -ENODEV;
  const r = rtnl_unicast(rtnl_fill_ifinfo(dev, RTM_NEWLINK, skb.portid, nlh.hdr.nlmsg_seq, 0), skb.net, skb.portid);
  return r < 0 ? r : 0;
}, { input: (_s, nlh) => `seq=${nlh.hdr.nlmsg_seq}` });

/** rtnl_dump_ifinfo(): one RTM_NEWLINK per device, in ifindex order. */
export const rtnl_dump_ifinfo = hop('net/core/rtnetlink.c', function rtnl_dump_ifinfo(cb: NetlinkCallback): 0 | NegErrno {
  const devs = [...cb.skb.net.dev_by_index.values()].sort((a, b) => a.ifindex - b.ifindex);
  for (const dev of devs) cb.msgs.push(rtnl_fill_ifinfo(dev, RTM_NEWLINK, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI));
  return 0;
});

/** rtnetlink_net_init(): the namespace's NETLINK_ROUTE kernel socket. */
export function rtnetlink_net_init(net: Net): void {
  netlink_kernel_create(net, NETLINK_ROUTE, { groups: RTNLGRP_MAX, input: rtnetlink_rcv, flags: NL_CFG_F_NONROOT_RECV });
}

/** rtnetlink_init(): the link handlers registered at boot. */
export function rtnetlink_init(net: Net): void {
  rtnetlink_net_init(net);
  rtnl_register_many(net, [
    { protocol: PF_UNSPEC, msgtype: RTM_GETLINK, doit: rtnl_getlink, dumpit: rtnl_dump_ifinfo },
    { protocol: PF_UNSPEC, msgtype: RTM_NEWLINK, doit: rtnl_newlink },
  ]);
}
