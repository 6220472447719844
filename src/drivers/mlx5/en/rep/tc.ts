// core/en/rep/tc.c: block binding and flower dispatch for VF/SF representors.
import { mlx5e_tc_ct_post_act_cleanup } from '../../en_tc';
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
  MLX5_TC_FLAG_EGRESS, MLX5_TC_FLAG_ESW_OFFLOAD, MLX5_TC_FLAG_INGRESS, mlx5e_configure_flower, mlx5e_delete_flower, mlx5e_stats_flower,
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

// ---------------------------------------------------------------------------
// Indirect blocks: filters on tunnel devices (vxlan…) offered to the uplink.

import {
  FLOW_BLOCK_BIND, FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS, FLOW_BLOCK_UNBIND,
} from '../../../../kernel/include/net/flow_offload';
import { EEXIST, ENOENT } from '../../../../kernel/include/uapi/asm-generic/errno';
import type { Qdisc } from '../../../../kernel/include/net/sch_generic';
import {
  flow_block_cb_alloc, flow_block_cb_lookup, flow_indr_dev_register, flow_indr_dev_unregister,
} from '../../../../kernel/net/core/flow_offload';
import { mlx5e_tc_tun_device_to_offload } from '../tc_tun';
import { mlx5e_rep_neigh_cleanup, mlx5e_rep_neigh_init, mlx5e_rep_uplink_priv, type Mlx5eRepIndrBlockPriv } from './neigh';
import { declareBranch } from '../../../../trace/branch';
import { TC_SETUP_ACT } from '../../../../kernel/include/linux/netdevice';
import {
  FLOW_ACT_DESTROY, FLOW_ACT_REPLACE, FLOW_ACT_STATS, flow_offload_has_one_action, type FlowOffloadAction,
} from '../../../../kernel/include/net/flow_offload';
import type { Mlx5FlowNamespaceType } from '../../../../kernel/include/linux/mlx5/fs';
import { mlx5e_tc_act_get } from '../tc/act/act';

/**
 * mlx5e_rep_indr_offload (core/en/rep/tc.c, v6.18): the flower command on
 * the foreign device, handled with the uplink's priv.
 */
const mlx5e_rep_indr_offload = hop(FILE, function mlx5e_rep_indr_offload(netdev: NetDevice, flower: FlowClsOffload, indr_priv: Mlx5eRepIndrBlockPriv, flags: number): 0 | NegErrno {
  const priv = indr_priv.rpriv;
  if (!priv.netdev.present) return -EOPNOTSUPP;
  switch (flower.command) {
    case FLOW_CLS_REPLACE: return mlx5e_configure_flower(netdev, priv, flower, flags);
    case FLOW_CLS_DESTROY: return mlx5e_delete_flower(netdev, priv, flower, flags);
    case FLOW_CLS_STATS: return mlx5e_stats_flower(netdev, priv, flower, flags);
    default: return -EOPNOTSUPP;
  }
}, { input: (dev, f) => `${dev.name} cmd ${f.command} cookie ${f.cookie}` });

/**
 * mlx5e_rep_indr_setup_tc_cb (core/en/rep/tc.c, v6.18): EGRESS here means
 * "a filter on a device that is not ours", not the tc egress hook.
 */
export const mlx5e_rep_indr_setup_tc_cb = hop(FILE, function mlx5e_rep_indr_setup_tc_cb(type: TcSetupType, type_data: unknown, indr_priv: unknown): 0 | NegErrno {
  const p = indr_priv as Mlx5eRepIndrBlockPriv;
  const flags = MLX5_TC_FLAG_EGRESS | MLX5_TC_FLAG_ESW_OFFLOAD;
  switch (type) {
    case TC_SETUP_CLSFLOWER: return mlx5e_rep_indr_offload(p.netdev, type_data as FlowClsOffload, p, flags);
    default: return -EOPNOTSUPP;
  }
}, { input: (type, _d, p) => `${(p as Mlx5eRepIndrBlockPriv).netdev.name} type ${type}` });

function mlx5e_rep_indr_block_priv_lookup(rpriv: Mlx5ePriv, netdev: NetDevice, binder_type: number): Mlx5eRepIndrBlockPriv | undefined {
  return mlx5e_rep_uplink_priv(rpriv).tc_indr_block_priv_list.find((p) => p.netdev === netdev && p.binder_type === binder_type);
}

const indr_supported = declareBranch(FILE, 'mlx5e_rep_check_indr_block_supported', 'offloadable tunnel device, clsact ingress');

/**
 * mlx5e_rep_check_indr_block_supported (core/en/rep/tc.c, v6.18): clsact
 * ingress on a tunnel device the device can offload. VLAN and macvlan
 * devices over the uplink are not emulated.
 */
function mlx5e_rep_check_indr_block_supported(rpriv: Mlx5ePriv, netdev: NetDevice, f: FlowBlockOffload): boolean {
  if (f.binder_type !== FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS) return false;
  return mlx5e_tc_tun_device_to_offload(rpriv, netdev);
}

/**
 * mlx5e_rep_indr_setup_block (core/en/rep/tc.c, v6.18): one callback per
 * (device, binder type); a second BIND is -EEXIST, an unknown UNBIND -ENOENT.
 */
export const mlx5e_rep_indr_setup_block = hop(FILE, function mlx5e_rep_indr_setup_block(netdev: NetDevice, _sch: Qdisc | null, rpriv: Mlx5ePriv,
  f: FlowBlockOffload): 0 | NegErrno {
  if (!indr_supported(mlx5e_rep_check_indr_block_supported(rpriv, netdev, f))) return -EOPNOTSUPP;
  f.unlocked_driver_cb = true;
  const drv = rpriv.mdev.drv;
  f.driver_block_list = drv.mlx5e_block_cb_list;
  const up = mlx5e_rep_uplink_priv(rpriv);
  switch (f.command) {
    case FLOW_BLOCK_BIND: {
      if (mlx5e_rep_indr_block_priv_lookup(rpriv, netdev, f.binder_type)) return -EEXIST;
      const indr_priv: Mlx5eRepIndrBlockPriv = { netdev, binder_type: f.binder_type, rpriv };
      up.tc_indr_block_priv_list.push(indr_priv);
      const block_cb = flow_block_cb_alloc(mlx5e_rep_indr_setup_tc_cb, indr_priv, indr_priv);
      block_cb.block = f.block;
      f.cb_list.push(block_cb);
      drv.mlx5e_block_cb_list.push(block_cb);
      return 0;
    }
    case FLOW_BLOCK_UNBIND: {
      const indr_priv = mlx5e_rep_indr_block_priv_lookup(rpriv, netdev, f.binder_type);
      if (!indr_priv) return -ENOENT;
      const block_cb = flow_block_cb_lookup(f.block, mlx5e_rep_indr_setup_tc_cb, indr_priv);
      if (!block_cb) return -ENOENT;
      f.cb_list.push(block_cb);
      const i = drv.mlx5e_block_cb_list.indexOf(block_cb);
      if (i >= 0) drv.mlx5e_block_cb_list.splice(i, 1);
      up.tc_indr_block_priv_list.splice(up.tc_indr_block_priv_list.indexOf(indr_priv), 1);
      return 0;
    }
    default:
      return -EOPNOTSUPP;
  }
}, { input: (dev, _s, _r, f) => `${dev.name} ${f.command === FLOW_BLOCK_BIND ? 'BIND' : 'UNBIND'} binder_type=${f.binder_type}` });

function rep_ns_type(priv: Mlx5ePriv): Mlx5FlowNamespaceType {
  return priv.mdev.priv.eswitch?.mode === 'MLX5_ESWITCH_OFFLOADS' ? 'MLX5_FLOW_NAMESPACE_FDB' : 'MLX5_FLOW_NAMESPACE_KERNEL';
}

/**
 * mlx5e_rep_indr_replace_act (core/en/rep/tc.c, v6.18): one action only;
 * taken when some action implementation with offload_action accepted it
 * (in mlx5 that is police alone), else -EOPNOTSUPP.
 */
const mlx5e_rep_indr_replace_act = hop(FILE, function mlx5e_rep_indr_replace_act(rpriv: Mlx5ePriv, fl_act: FlowOffloadAction): 0 | NegErrno {
  if (!flow_offload_has_one_action(fl_act.action)) return -EOPNOTSUPP;
  const ns_type = rep_ns_type(rpriv);
  let add = false;
  for (const action of fl_act.action.entries) {
    const act = mlx5e_tc_act_get(action.id, ns_type);
    if (!act?.offload_action) continue;
    if (!act.offload_action(rpriv, fl_act, action)) add = true;
  }
  return act_taken(add) ? 0 : -EOPNOTSUPP;
}, { input: (_r, fl) => `${fl.id ?? '?'} index ${fl.index}` });

const act_taken = declareBranch(FILE, 'mlx5e_rep_indr_replace_act', 'an action implementation took the standalone action');

/** mlx5e_rep_indr_destroy_act (core/en/rep/tc.c, v6.18) */
const mlx5e_rep_indr_destroy_act = hop(FILE, function mlx5e_rep_indr_destroy_act(rpriv: Mlx5ePriv, fl_act: FlowOffloadAction): 0 | NegErrno {
  const act = fl_act.id ? mlx5e_tc_act_get(fl_act.id, rep_ns_type(rpriv)) : undefined;
  if (!act?.destroy_action) return -EOPNOTSUPP;
  return act.destroy_action(rpriv, fl_act);
}, { input: (_r, fl) => `${fl.id ?? '?'} index ${fl.index}` });

/**
 * mlx5e_rep_indr_stats_act (core/en/rep/tc.c, v6.18). Without stats_action
 * upstream reads the counters of the filters using the action
 * (mlx5e_tc_fill_action_stats), not emulated: -EOPNOTSUPP here.
 */
const mlx5e_rep_indr_stats_act = hop(FILE, function mlx5e_rep_indr_stats_act(rpriv: Mlx5ePriv, fl_act: FlowOffloadAction): 0 | NegErrno {
  const act = fl_act.id ? mlx5e_tc_act_get(fl_act.id, rep_ns_type(rpriv)) : undefined;
  if (!act?.stats_action) return -EOPNOTSUPP;
  return act.stats_action(rpriv, fl_act);
}, { input: (_r, fl) => `${fl.id ?? '?'} index ${fl.index}` });

/** mlx5e_rep_indr_setup_act (core/en/rep/tc.c, v6.18) */
const mlx5e_rep_indr_setup_act = hop(FILE, function mlx5e_rep_indr_setup_act(rpriv: Mlx5ePriv, fl_act: FlowOffloadAction): 0 | NegErrno {
  switch (fl_act.command) {
    case FLOW_ACT_REPLACE: return mlx5e_rep_indr_replace_act(rpriv, fl_act);
    case FLOW_ACT_DESTROY: return mlx5e_rep_indr_destroy_act(rpriv, fl_act);
    case FLOW_ACT_STATS: return mlx5e_rep_indr_stats_act(rpriv, fl_act);
    default: return -EOPNOTSUPP;
  }
}, { input: (_r, fl) => `command ${fl.command} index ${fl.index}` });

/** mlx5e_rep_indr_no_dev_setup (core/en/rep/tc.c, v6.18): standalone actions only. */
function mlx5e_rep_indr_no_dev_setup(rpriv: Mlx5ePriv, type: number, data: unknown): 0 | NegErrno {
  if (!data) return -EOPNOTSUPP;
  if (type === TC_SETUP_ACT) return mlx5e_rep_indr_setup_act(rpriv, data as FlowOffloadAction);
  return -EOPNOTSUPP;
}

/**
 * mlx5e_rep_indr_setup_cb (core/en/rep/tc.c, v6.18): no device means a
 * standalone action; else blocks only (nf_flowtable indirect offload is not emulated).
 */
export const mlx5e_rep_indr_setup_cb = hop(FILE, function mlx5e_rep_indr_setup_cb(netdev: NetDevice | null, sch: Qdisc | null, cb_priv: unknown,
  type: number, bo: FlowBlockOffload | null, data?: unknown): 0 | NegErrno {
  if (!netdev) return mlx5e_rep_indr_no_dev_setup(cb_priv as Mlx5ePriv, type, data);
  switch (type) {
    case TC_SETUP_BLOCK: return bo ? mlx5e_rep_indr_setup_block(netdev, sch, cb_priv as Mlx5ePriv, bo) : -EOPNOTSUPP;
    default: return -EOPNOTSUPP;
  }
}, { input: (dev, _s, _p, type) => `${dev?.name ?? '(no device)'} type ${type}` });

/**
 * mlx5e_rep_tc_netdevice_event_register + mlx5e_rep_neigh_init (called from
 * mlx5e_uplink_rep_enable → mlx5e_rep_tc_enable, v6.18): the uplink
 * representor starts offering tunnel devices' filters and listening for
 * neighbour updates.
 */
export function mlx5e_rep_tc_enable(rpriv: Mlx5ePriv): 0 | NegErrno {
  mlx5e_rep_neigh_init(rpriv);
  return flow_indr_dev_register(rpriv.netdev.nd_net, mlx5e_rep_indr_setup_cb, rpriv);
}

/** mlx5e_rep_tc_disable (v6.18): the reverse, on leaving switchdev. */
export function mlx5e_rep_tc_disable(rpriv: Mlx5ePriv): void {
  // mlx5e_tc_esw_cleanup: the CT and post-action tables, if a ct rule built them.
  const up = mlx5e_rep_uplink_priv(rpriv);
  if (up.ct_priv !== undefined || up.post_act !== undefined) mlx5e_tc_ct_post_act_cleanup(up);
  flow_indr_dev_unregister(rpriv.netdev.nd_net, mlx5e_rep_indr_setup_cb, rpriv, rpriv.mdev.drv.mlx5e_block_cb_list.filter((b) => b.cb === mlx5e_rep_indr_setup_tc_cb));
  mlx5e_rep_uplink_priv(rpriv).tc_indr_block_priv_list.length = 0;
  mlx5e_rep_neigh_cleanup(rpriv);
}
