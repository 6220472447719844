// net/devlink/netlink.c: the devlink generic-netlink plumbing shared by every
// command — finding the instance a request names (pre_doit), the handle
// attributes every reply starts with, and the dump loop over instances.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { Devlink } from '../../include/net/devlink';
import type { NetlinkCallback } from '../../include/linux/netlink';
import { EINVAL, ENODEV, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME } from '../../include/uapi/linux/devlink';
import { GENL_HDRLEN } from '../../include/uapi/linux/genetlink';
import { NLMSG_ALIGN, NLMSG_HDRLEN } from '../../../netlink/nlmsg';
import { nla_get_string, type NlMsgBuilder } from '../../../netlink/attr';
import { __nla_validate_parse, type NlaPolicy, type NlaTb } from '../../lib/nlattr';
import type { GenlFamily, GenlInfo } from '../netlink/genetlink';
import { hop } from '../../../trace/hop';

const FILE = 'net/devlink/netlink.c';

/** What devlink keeps per namespace: the registered instances and the family. */
export interface DevlinkNet {
  devlinks: Devlink[];
  family: GenlFamily | null;
}

export function devlink_net(net: Net): DevlinkNet {
  return net_generic(net, 'devlink', () => ({ devlinks: [] as Devlink[], family: null as GenlFamily | null }));
}

/** devlink_nl_family: the registered family of this host. */
export function devlink_nl_family(net: Net): GenlFamily {
  const f = devlink_net(net).family;
  if (!f) throw new Error('devlink: family not registered (devlink_init not run)');
  return f;
}

/** devlink_nl_put_handle (net/devlink/devl_internal.h, v6.18) */
export function devlink_nl_put_handle(msg: NlMsgBuilder, devlink: Devlink): void {
  msg.string(DEVLINK_ATTR_BUS_NAME, devlink.bus_name);
  msg.string(DEVLINK_ATTR_DEV_NAME, devlink.dev_name);
}

/**
 * A split op's own policy (netlink_gen.c): maxattr, entries, and the
 * validation mode (doit ops carry GENL_DONT_VALIDATE_STRICT → liberal).
 * A null policy means the op's attributes are not parsed at all.
 */
export interface DevlinkOpPolicy {
  maxattr: number;
  policy: NlaPolicy | null;
  validate: number;
}

/**
 * Validation against the op's own policy, as genetlink does for split ops
 * (net/netlink/genetlink.c genl_family_rcv_msg_attrs_parse, v6.18).
 */
export function devlink_nl_validate(info: GenlInfo, p: DevlinkOpPolicy): { err: 0 | NegErrno; tb: NlaTb } {
  if (!p.policy) return { err: 0, tb: [] };
  const hdrlen = NLMSG_ALIGN(GENL_HDRLEN + info.family.hdrsize);
  const attrs = info.nlhdr.payload.subarray(Math.min(hdrlen, info.nlhdr.payload.byteLength));
  return __nla_validate_parse(attrs, NLMSG_HDRLEN + hdrlen, p.maxattr, p.policy, p.validate, info.extack);
}

/**
 * devlink_get_from_attrs_lock (net/devlink/netlink.c, v6.18): both handle
 * attributes are required (-EINVAL); no registered instance with that bus
 * and device name → -ENODEV.
 */
export function devlink_get_from_attrs_lock(net: Net, attrs: NlaTb): Devlink | NegErrno {
  const bus = attrs[DEVLINK_ATTR_BUS_NAME];
  const dev = attrs[DEVLINK_ATTR_DEV_NAME];
  if (!bus || !dev) return -EINVAL;
  const busname = nla_get_string(bus);
  const devname = nla_get_string(dev);
  for (const d of devlink_net(net).devlinks) {
    if (d.registered && d.bus_name === busname && d.dev_name === devname) return d;
  }
  return -ENODEV;
}

/**
 * devlink_nl_pre_doit (net/devlink/netlink.c, v6.18): the op's policy first
 * (genetlink validates before pre_doit), then the instance.
 */
export const devlink_nl_pre_doit = hop(FILE, function devlink_nl_pre_doit(info: GenlInfo, p: DevlinkOpPolicy): { err: 0 | NegErrno; devlink: Devlink | null; tb: NlaTb } {
  const v = devlink_nl_validate(info, p);
  if (v.err) return { err: v.err, devlink: null, tb: v.tb };
  const d = devlink_get_from_attrs_lock(info.net, v.tb);
  if (typeof d === 'number') return { err: d, devlink: null, tb: v.tb };
  return { err: 0, devlink: d, tb: v.tb };
}, { errno: (r) => r.err, result: (r) => (r.devlink ? `${r.devlink.bus_name}/${r.devlink.dev_name}` : undefined) });

/** The per-instance step of a dump: appends messages to cb.msgs. */
export type DevlinkNlDumpOne = (cb: NetlinkCallback, devlink: Devlink, info: GenlInfo) => 0 | NegErrno;

/**
 * devlink_nl_dumpit (net/devlink/netlink.c, v6.18): a dump naming an
 * instance (either handle attribute) covers only it
 * (devlink_nl_inst_single_dumpit); otherwise every registered instance of
 * the namespace, in registration order.
 */
export function devlink_nl_dumpit(cb: NetlinkCallback, info: GenlInfo, p: DevlinkOpPolicy, dump_one: DevlinkNlDumpOne): 0 | NegErrno {
  const v = devlink_nl_validate(info, p);
  if (v.err) return v.err;
  if (v.tb[DEVLINK_ATTR_BUS_NAME] || v.tb[DEVLINK_ATTR_DEV_NAME]) {
    const d = devlink_get_from_attrs_lock(info.net, v.tb);
    if (typeof d === 'number') return d;
    return dump_one(cb, d, info);
  }
  for (const d of devlink_net(info.net).devlinks) {
    if (!d.registered) continue;
    const err = dump_one(cb, d, info);
    if (err) return err;
  }
  return 0;
}
