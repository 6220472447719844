// net/core/dev.c: device registration, lookup and feature updates.
import type { NetDevice, NetdevFeatures } from '../../include/linux/netdevice';
import type { Net, KmsgLine } from '../../include/net/net_namespace';
import { EEXIST, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { hop } from '../../../trace/hop';

/** A fresh namespace (net/core/net_namespace.c setup_net). */
export function net_alloc(jiffies: () => number = () => 0): Net {
  const kmsg: KmsgLine[] = [];
  return {
    dev_by_index: new Map(),
    dev_by_name: new Map(),
    // ifindex 1 is lo, created at boot like the real init_net.
    ifindex_next: 1,
    kmsg,
    printk(level, text) {
      kmsg.push({ level, text });
    },
    gen: new Map(),
    jiffies,
  };
}

/** register_netdevice(): assigns an ifindex and publishes the device. */
export const register_netdevice = hop('net/core/dev.c', function register_netdevice(net: Net, dev: NetDevice): 0 | NegErrno {
  if (net.dev_by_name.has(dev.name)) return -EEXIST;
  if (!dev.ifindex) dev.ifindex = net.ifindex_next++;
  else net.ifindex_next = Math.max(net.ifindex_next, dev.ifindex + 1);
  dev.nd_net = net;
  net.dev_by_index.set(dev.ifindex, dev);
  net.dev_by_name.set(dev.name, dev);
  return 0;
}, { input: (_n, dev) => dev.name });

export function dev_get_by_index(net: Net, ifindex: number): NetDevice | undefined {
  return net.dev_by_index.get(ifindex);
}

export function dev_get_by_name(net: Net, name: string): NetDevice | undefined {
  return net.dev_by_name.get(name);
}

/**
 * __netdev_update_features(): core has no TC-specific check; it asks the
 * driver, and on refusal logs and keeps the old features (net/core/dev.c
 * __netdev_update_features, v6.18).
 */
export const __netdev_update_features = hop('net/core/dev.c', function __netdev_update_features(dev: NetDevice, wanted: NetdevFeatures): 0 | NegErrno {
  const ops = dev.netdev_ops;
  if (ops.ndo_set_features && wanted.hw_tc !== dev.features.hw_tc) {
    const err = ops.ndo_set_features(dev, wanted);
    if (err < 0) {
      const fmt = (f: NetdevFeatures): string => (f.hw_tc ? 'hw-tc-offload' : '-');
      dev.nd_net.printk('err', `${dev.name}: set_features() failed (${err}); wanted ${fmt(wanted)}, left ${fmt(dev.features)}`);
      return err;
    }
  }
  dev.features = { ...wanted };
  return 0;
}, { input: (dev, w) => `${dev.name} hw_tc=${w.hw_tc ? 'on' : 'off'}` });

// Appended (mlx5): switchdev parent ids.
import { EOPNOTSUPP } from '../../include/uapi/asm-generic/errno';

/** dev_get_port_parent_id (net/core/dev.c): the port's switch id, or a negative errno. */
export function dev_get_port_parent_id(dev: NetDevice): string | NegErrno {
  const op = dev.netdev_ops.ndo_get_port_parent_id;
  if (!op) return -EOPNOTSUPP;
  return op(dev);
}

/** netdev_port_same_parent_id (net/core/dev.c, v6.18): both ports report the same switch id. */
export function netdev_port_same_parent_id(a: NetDevice, b: NetDevice): boolean {
  const ia = dev_get_port_parent_id(a);
  const ib = dev_get_port_parent_id(b);
  return typeof ia === 'string' && typeof ib === 'string' && ia === ib;
}

// Appended (devlink mode changes): device removal.
import { dev_shutdown } from '../sched/sch_generic';

/**
 * unregister_netdevice (net/core/dev.c, v6.18 unregister_netdevice_many_notify):
 * qdiscs go first (dev_shutdown), then the device leaves the namespace's
 * name and index lists; later lookups fail as for any missing device.
 */
export const unregister_netdevice = hop('net/core/dev.c', function unregister_netdevice(dev: NetDevice): void {
  const net = dev.nd_net;
  dev_shutdown(dev);
  net.dev_by_index.delete(dev.ifindex);
  net.dev_by_name.delete(dev.name);
}, { input: (dev) => dev.name });
