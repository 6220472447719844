// net/devlink/core.c: devlink instances — allocation and registration by
// drivers — and the subsystem init that registers the generic-netlink family.
import type { Net } from '../../include/net/net_namespace';
import type { Devlink, DevlinkOps } from '../../include/net/devlink';
import type { NegErrno } from '../../include/uapi/asm-generic/errno';
import { DEVLINK_ATTR_MAX, DEVLINK_GENL_MCGRP_CONFIG_NAME, DEVLINK_GENL_NAME, DEVLINK_GENL_VERSION } from '../../include/uapi/linux/devlink';
import { genl_register_family } from '../netlink/genetlink';
import { devlink_net } from './netlink';
import { devlink_nl_ops } from './netlink_gen';
import { hop } from '../../../trace/hop';

const FILE = 'net/devlink/core.c';

/**
 * devlink_alloc_ns (net/devlink/core.c): an unregistered instance for the
 * device `bus_name`/`dev_name` whose private data is the driver's.
 */
export function devlink_alloc(ops: DevlinkOps, priv: unknown, net: Net, bus_name: string, dev_name: string): Devlink {
  return { ops, priv, net, bus_name, dev_name, params: new Map(), registered: false, reload_failed: false };
}

/** devl_register (net/devlink/core.c): visible to user space from now on. */
export const devl_register = hop(FILE, function devl_register(devlink: Devlink): 0 | NegErrno {
  const dn = devlink_net(devlink.net);
  if (!dn.devlinks.includes(devlink)) dn.devlinks.push(devlink);
  devlink.registered = true;
  return 0;
}, { input: (d) => `${d.bus_name}/${d.dev_name}` });

/** devl_unregister (net/devlink/core.c) */
export function devl_unregister(devlink: Devlink): void {
  const dn = devlink_net(devlink.net);
  dn.devlinks = dn.devlinks.filter((d) => d !== devlink);
  devlink.registered = false;
}

/** devlink_init (net/devlink/core.c): registers the "devlink" family with its "config" group. */
export function devlink_init(net: Net): 0 | NegErrno {
  const f = genl_register_family(net, {
    name: DEVLINK_GENL_NAME, version: DEVLINK_GENL_VERSION, hdrsize: 0, maxattr: DEVLINK_ATTR_MAX, policy: null,
    ops: devlink_nl_ops, mcgrps: [DEVLINK_GENL_MCGRP_CONFIG_NAME],
  });
  if (typeof f === 'number') return f;
  devlink_net(net).family = f;
  return 0;
}
