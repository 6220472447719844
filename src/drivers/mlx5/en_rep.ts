// core/en_rep.c / en_rep.h: representor netdevs. VF representors run
// mlx5e_netdev_ops_rep; the uplink representor is the PF netdev with
// mlx5e_netdev_ops and the uplink-rep profile.
import { hop } from '../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { NetDevice, NetDeviceOps, NetdevFeatures, TcSetupType } from '../../kernel/include/linux/netdevice';
import { MLX5_VPORT_UPLINK } from '../../kernel/include/linux/mlx5/device';
import type { Mlx5ePriv } from './en';
import { mlx5e_netdev_ops, mlx5e_set_features } from './en_main';
import { mlx5e_rep_setup_tc } from './en/rep/tc';

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
