// core/en_rep.c / en_rep.h: representor netdevs. VF representors run
// mlx5e_netdev_ops_rep; the uplink representor is the PF netdev with
// mlx5e_netdev_ops and the uplink-rep profile.
import { hop } from '../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { NetDevice, NetDeviceOps, NetdevFeatures, TcSetupType } from '../../kernel/include/linux/netdevice';
import { MLX5_VPORT_UPLINK } from '../../kernel/include/linux/mlx5/device';
import type { Mlx5ePriv } from './en';
import { mlx5e_netdev_ops, mlx5e_set_features } from './en_main';
import { mlx5e_rep_setup_tc, mlx5e_rep_tc_disable, mlx5e_rep_tc_enable } from './en/rep/tc';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en_rep.c';

/**
 * The switch id of a representor port (devlink port switch attrs /
 * ndo_get_port_parent_id): the device's system image GUID, in switchdev only.
 */
export const mlx5e_rep_get_port_parent_id = hop(FILE, function mlx5e_rep_get_port_parent_id(dev: NetDevice): string | NegErrno {
  const priv = dev.priv as Mlx5ePriv;
  const esw = priv.mdev.priv.eswitch;
  if (!esw || esw.mode !== 'MLX5_ESWITCH_OFFLOADS') return -EOPNOTSUPP;
  return priv.mdev.system_image_guid;
}, { result: (r) => (typeof r === 'string' ? r : undefined) });

/** mlx5e_netdev_ops_rep (core/en_rep.c, v6.18). Wrappers keep module load order free. */
export const mlx5e_netdev_ops_rep: NetDeviceOps = {
  ndo_setup_tc: (dev: NetDevice, type: TcSetupType, type_data: unknown) => mlx5e_rep_setup_tc(dev, type, type_data),
  ndo_set_features: (dev: NetDevice, features: NetdevFeatures) => mlx5e_set_features(dev, features),
  ndo_get_port_parent_id: (dev: NetDevice) => mlx5e_rep_get_port_parent_id(dev),
};

/** mlx5e_is_uplink_rep (core/en_rep.c) */
export function mlx5e_is_uplink_rep(priv: Mlx5ePriv): boolean {
  return priv.ppriv !== null && priv.ppriv.rep.vport === MLX5_VPORT_UPLINK;
}

/** mlx5e_eswitch_uplink_rep (core/en_rep.c): the PF netdev running the uplink-rep profile. */
export function mlx5e_eswitch_uplink_rep(netdev: NetDevice): boolean {
  return netdev.netdev_ops === mlx5e_netdev_ops && mlx5e_is_uplink_rep(netdev.priv as Mlx5ePriv);
}

/** mlx5e_eswitch_vf_rep (core/en_rep.h) */
export function mlx5e_eswitch_vf_rep(netdev: NetDevice): boolean {
  return netdev.netdev_ops === mlx5e_netdev_ops_rep;
}

/** mlx5e_eswitch_rep (core/en_rep.h) */
export function mlx5e_eswitch_rep(netdev: NetDevice): boolean {
  return mlx5e_eswitch_vf_rep(netdev) || mlx5e_eswitch_uplink_rep(netdev);
}

/** mlx5e_same_hw_devs (core/en_tc.c): same system image GUID. */
export function mlx5e_same_hw_devs(priv: Mlx5ePriv, peer_priv: Mlx5ePriv): boolean {
  return priv.mdev.system_image_guid === peer_priv.mdev.system_image_guid;
}

// ---------------------------------------------------------------------------
// representor load / unload (switchdev mode entry and exit)

import type { Mlx5CoreDev } from './mlx5_core';
import type { Mlx5EswitchRep } from './eswitch';
import { register_netdevice, unregister_netdevice } from '../../kernel/net/core/dev';
import { mlx5e_cleanup_nic_rx, mlx5e_create_netdev, mlx5e_netdev_attach_nic_profile } from './en_main';

/**
 * mlx5e_vport_uplink_rep_load (core/en_rep.c, v6.18): the PF netdev keeps
 * its ifindex, ops and bound blocks; it changes profile to the uplink
 * representor (mlx5e_netdev_attach_profile), dropping the NIC RX tables,
 * and mlx5e_uplink_rep_enable requests hw-tc-offload on (§7.4).
 */
const mlx5e_vport_uplink_rep_load = hop(FILE, function mlx5e_vport_uplink_rep_load(mdev: Mlx5CoreDev, rep: Mlx5EswitchRep): 0 | NegErrno {
  const dev = mdev.uplink_netdev;
  if (!dev) return -EOPNOTSUPP;
  const priv = dev.priv as Mlx5ePriv;
  if (priv.profile === 'mlx5e_nic_profile') mlx5e_cleanup_nic_rx(priv);
  priv.profile = 'mlx5e_uplink_rep_profile';
  priv.ppriv = { rep, netdev: dev, tc_ht: new Map() };
  dev.features = { ...dev.features, hw_tc: true };
  rep.netdev = dev;
  // mlx5e_uplink_rep_enable → mlx5e_rep_tc_enable: indirect blocks and neighbour updates
  return mlx5e_rep_tc_enable(priv);
}, { input: (m) => m.uplink_netdev?.name ?? '(none)' });

/**
 * mlx5e_vport_uplink_rep_unload (core/en_rep.c, v6.18): back to the NIC
 * profile (mlx5e_netdev_attach_nic_profile); the NIC netdev starts with
 * hw-tc-offload off (mlx5e_build_nic_netdev, §7.4).
 */
const mlx5e_vport_uplink_rep_unload = hop(FILE, function mlx5e_vport_uplink_rep_unload(mdev: Mlx5CoreDev, rep: Mlx5EswitchRep): 0 | NegErrno {
  const dev = mdev.uplink_netdev;
  if (!dev) return 0;
  const priv = dev.priv as Mlx5ePriv;
  // mlx5e_uplink_rep_disable → mlx5e_rep_tc_disable
  if (priv.ppriv) mlx5e_rep_tc_disable(priv);
  rep.netdev = null;
  // void upstream: a failed NIC profile attach is rolled back and only logged.
  mlx5e_netdev_attach_nic_profile(priv);
  return 0;
}, { input: (m) => m.uplink_netdev?.name ?? '(none)' });

/**
 * mlx5e_vport_rep_load (core/en_rep.c, v6.18): the uplink's is the PF
 * netdev re-profiled; a VF's is a new netdev with mlx5e_netdev_ops_rep and
 * hw-tc-offload on (mlx5e_build_rep_netdev), registered with the kernel.
 */
export const mlx5e_vport_rep_load = hop(FILE, function mlx5e_vport_rep_load(mdev: Mlx5CoreDev, rep: Mlx5EswitchRep, name: string): 0 | NegErrno {
  if (rep.vport === MLX5_VPORT_UPLINK) return mlx5e_vport_uplink_rep_load(mdev, rep);
  const dev = mlx5e_create_netdev(mdev, name, mlx5e_netdev_ops_rep, 'mlx5e_rep', true, 'mlx5e_rep_profile');
  const priv = dev.priv as Mlx5ePriv;
  priv.ppriv = { rep, netdev: dev, tc_ht: new Map() };
  rep.netdev = dev;
  const err = register_netdevice(mdev.net, dev);
  if (err) {
    rep.netdev = null;
    return err;
  }
  mdev.rep_netdevs.set(rep.vport, dev);
  return 0;
}, { input: (_m, rep, name) => `${name} vport ${rep.vport === MLX5_VPORT_UPLINK ? 'uplink' : rep.vport}` });

/**
 * mlx5e_vport_rep_unload (core/en_rep.c, v6.18): a VF representor's netdev
 * is unregistered (its qdiscs and blocks go with it); the uplink's returns
 * to the NIC profile.
 */
export const mlx5e_vport_rep_unload = hop(FILE, function mlx5e_vport_rep_unload(mdev: Mlx5CoreDev, rep: Mlx5EswitchRep): 0 | NegErrno {
  if (rep.vport === MLX5_VPORT_UPLINK) return mlx5e_vport_uplink_rep_unload(mdev, rep);
  const dev = rep.netdev;
  if (!dev) return 0;
  unregister_netdevice(dev);
  dev.present = false;
  mdev.rep_netdevs.delete(rep.vport);
  rep.netdev = null;
  return 0;
}, { input: (_m, rep) => `${rep.netdev?.name ?? '(none)'} vport ${rep.vport === MLX5_VPORT_UPLINK ? 'uplink' : rep.vport}` });
