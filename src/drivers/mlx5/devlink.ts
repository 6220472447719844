// core/devlink.c: the mlx5 devlink instance of a PCI function — its ops
// table (eswitch mode, inline mode, encap mode) and registration with its
// parameters. The eswitch ops live in eswitch_offloads.ts as upstream.
import type { Devlink, DevlinkOps } from '../../kernel/include/net/devlink';
import type { NetlinkExtAck } from '../../kernel/include/linux/netlink';
import type { NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import { devlink_alloc, devl_register } from '../../kernel/net/devlink/core';
import { devl_params_register } from '../../kernel/net/devlink/param';
import type { Mlx5CoreDev } from './mlx5_core';
import {
  mlx5_devlink_eswitch_encap_mode_get, mlx5_devlink_eswitch_encap_mode_set, mlx5_devlink_eswitch_inline_mode_get,
  mlx5_devlink_eswitch_inline_mode_set, mlx5_devlink_eswitch_mode_get, mlx5_devlink_eswitch_mode_set,
} from './eswitch_offloads';
import { mlx5_fs_params } from './fs_core';
import { hop } from '../../trace/hop';

const mdev = (d: Devlink): Mlx5CoreDev => d.priv as Mlx5CoreDev;

/** mlx5_devlink_ops (core/devlink.c, v6.18): the eswitch members (reload, info, flash, traps… not modelled). */
export const mlx5_devlink_ops = {
  eswitch_mode_set: (d: Devlink, mode: number, extack: NetlinkExtAck): 0 | NegErrno => mlx5_devlink_eswitch_mode_set(mdev(d), mode, extack),
  eswitch_mode_get: (d: Devlink) => mlx5_devlink_eswitch_mode_get(mdev(d)),
  eswitch_inline_mode_set: (d: Devlink, mode: number, extack: NetlinkExtAck): 0 | NegErrno => mlx5_devlink_eswitch_inline_mode_set(mdev(d), mode, extack),
  eswitch_inline_mode_get: (d: Devlink) => mlx5_devlink_eswitch_inline_mode_get(mdev(d)),
  eswitch_encap_mode_set: (d: Devlink, encap: number, extack: NetlinkExtAck): 0 | NegErrno => mlx5_devlink_eswitch_encap_mode_set(mdev(d), encap, extack),
  eswitch_encap_mode_get: (d: Devlink) => mlx5_devlink_eswitch_encap_mode_get(mdev(d)),
} satisfies DevlinkOps;

/**
 * mlx5_devlink_alloc + mlx5_devlink_params_register + devl_register
 * (core/devlink.c, main.c, v6.18): the instance `pci/<address>` of this
 * function, with the flow steering parameter mlx5_fs_core_init registers.
 * Other mlx5 parameters (esw_port_metadata, large group num…) are not modelled.
 */
export const mlx5_devlink_register = hop('drivers/net/ethernet/mellanox/mlx5/core/devlink.c', function mlx5_devlink_register(dev: Mlx5CoreDev): 0 | NegErrno {
  const devlink = devlink_alloc(mlx5_devlink_ops, dev, dev.net, 'pci', dev.spec.pci);
  const err = devl_params_register(devlink, mlx5_fs_params);
  if (err) return err;
  dev.devlink = devlink;
  return devl_register(devlink);
}, { input: (d) => `pci/${d.spec.pci}` });
