// core/en/rep/tc.c: block binding and flower dispatch for VF/SF representors.
import { hop } from '../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import {
  TC_SETUP_BLOCK, TC_SETUP_CLSFLOWER, TC_SETUP_CLSMATCHALL, TC_SETUP_FT, type NetDevice, type TcSetupType,
} from '../../../../kernel/include/linux/netdevice';
import {
  FLOW_CLS_DESTROY, FLOW_CLS_REPLACE, FLOW_CLS_STATS, type FlowBlockOffload, type FlowClsOffload,
} from '../../../../kernel/include/net/flow_offload';
import { flow_block_cb_setup_simple } from '../../../../kernel/net/core/flow_offload';
import type { Mlx5ePriv } from '../../en';
import {
  MLX5_TC_FLAG_ESW_OFFLOAD, MLX5_TC_FLAG_INGRESS, mlx5e_configure_flower, mlx5e_delete_flower, mlx5e_stats_flower,
} from '../../en_tc';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/rep/tc.c';

/** mlx5e_rep_setup_tc_cls_flower (core/en/rep/tc.c, v6.18) */
export const mlx5e_rep_setup_tc_cls_flower = hop(FILE, function mlx5e_rep_setup_tc_cls_flower(priv: Mlx5ePriv, cls_flower: FlowClsOffload, flags: number): 0 | NegErrno {
  switch (cls_flower.command) {
    case FLOW_CLS_REPLACE: return mlx5e_configure_flower(priv.netdev, priv, cls_flower, flags);
    case FLOW_CLS_DESTROY: return mlx5e_delete_flower(priv.netdev, priv, cls_flower, flags);
    case FLOW_CLS_STATS: return mlx5e_stats_flower(priv.netdev, priv, cls_flower, flags);
    default: return -EOPNOTSUPP;
  }
}, { input: (p, f) => `${p.netdev.name} cmd ${f.command} cookie ${f.cookie}` });

/**
 * mlx5e_rep_setup_tc_cb (core/en/rep/tc.c, v6.18). Matchall (VF rate
 * limiting) is not emulated yet and answers -EOPNOTSUPP.
 */
export const mlx5e_rep_setup_tc_cb = hop(FILE, function mlx5e_rep_setup_tc_cb(type: TcSetupType, type_data: unknown, cb_priv: unknown): 0 | NegErrno {
  const flags = MLX5_TC_FLAG_INGRESS | MLX5_TC_FLAG_ESW_OFFLOAD;
  const priv = cb_priv as Mlx5ePriv;
  if (!priv.netdev || !priv.netdev.present) return -EOPNOTSUPP;
  switch (type) {
    case TC_SETUP_CLSFLOWER: return mlx5e_rep_setup_tc_cls_flower(priv, type_data as FlowClsOffload, flags);
    case TC_SETUP_CLSMATCHALL: return -EOPNOTSUPP;
    default: return -EOPNOTSUPP;
  }
}, { input: (type, _d, p) => `${(p as Mlx5ePriv).netdev.name} type ${type}` });

/** mlx5e_rep_setup_ft_cb: nf_flowtable offload is not emulated. */
function mlx5e_rep_setup_ft_cb(): 0 | NegErrno {
  return -EOPNOTSUPP;
}

/** mlx5e_rep_setup_tc (core/en/rep/tc.c, v6.18): no device-present check here. */
export const mlx5e_rep_setup_tc = hop(FILE, function mlx5e_rep_setup_tc(dev: NetDevice, type: TcSetupType, type_data: unknown): 0 | NegErrno {
  const priv = dev.priv as Mlx5ePriv;
  const f = type_data as FlowBlockOffload;
  f.unlocked_driver_cb = true;
  const drv = priv.mdev.drv;
  switch (type) {
    case TC_SETUP_BLOCK:
      return flow_block_cb_setup_simple(f, drv.mlx5e_rep_block_tc_cb_list, mlx5e_rep_setup_tc_cb, priv, priv, true);
    case TC_SETUP_FT:
      return flow_block_cb_setup_simple(f, drv.mlx5e_rep_block_ft_cb_list, mlx5e_rep_setup_ft_cb, priv, priv, true);
    default:
      return -EOPNOTSUPP;
  }
}, { input: (dev, type) => `${dev.name} type ${type}` });
