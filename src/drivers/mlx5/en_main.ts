// core/en_main.c: the mlx5e netdev ops (NIC profile and uplink representor),
// TC block binding and the hw-tc-offload feature handler.
import { mlx5e_tc_ct_post_act_cleanup } from './en_tc';
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { EINVAL, ENODEV, EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import {
  TC_SETUP_BLOCK, netdev_printk,
  type NetDevice, type NetDeviceOps, type NetdevFeatures, type TcSetupType,
} from '../../kernel/include/linux/netdevice';
import { FLOW_BLOCK_UNBIND, type FlowBlockOffload } from '../../kernel/include/net/flow_offload';
import { flow_block_cb_setup_simple } from '../../kernel/net/core/flow_offload';
import type { Mlx5ePriv } from './en';
import {
  MLX5_TC_FLAG_ESW_OFFLOAD, MLX5_TC_FLAG_NIC_OFFLOAD, mlx5e_setup_tc_block_cb, mlx5e_tc_num_filters,
} from './en_tc';
import { mlx5e_is_uplink_rep, mlx5e_rep_get_port_parent_id } from './en_rep';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en_main.c';

/** NETIF_F_HW_TC as printed by %pNF (bit 49 of netdev_features_t, v6.18). */
const NETIF_F_HW_TC_PNF = '0x0002000000000000';

/**
 * mlx5e_setup_tc (core/en_main.c, v6.18): -ENODEV on a detached netdev
 * unless unbinding; blocks bind mlx5e_setup_tc_block_cb, ingress only.
 * MQPRIO/HTB qdisc offloads are not emulated.
 */
export const mlx5e_setup_tc = hop(FILE, function mlx5e_setup_tc(dev: NetDevice, type: TcSetupType, type_data: unknown): 0 | NegErrno {
  const priv = dev.priv as Mlx5ePriv;
  const tc_unbind = type === TC_SETUP_BLOCK && (type_data as FlowBlockOffload).command === FLOW_BLOCK_UNBIND;
  if (!dev.present && !tc_unbind) return -ENODEV;
  switch (type) {
    case TC_SETUP_BLOCK: {
      const f = type_data as FlowBlockOffload;
      f.unlocked_driver_cb = true;
      return flow_block_cb_setup_simple(f, priv.mdev.drv.mlx5e_block_cb_list, mlx5e_setup_tc_block_cb, priv, priv, true);
    }
    default:
      return -EOPNOTSUPP;
  }
}, { input: (dev, type) => `${dev.name} type ${type}` });

/** set_feature_hw_tc (core/en_main.c, v6.18): refuses to turn off with offloaded filters. */
const set_feature_hw_tc = hop(FILE, function set_feature_hw_tc(netdev: NetDevice, enable: boolean): 0 | NegErrno {
  const priv = netdev.priv as Mlx5ePriv;
  // A VF representor counts its NIC table (always empty), not its own flows.
  const tc_flag = mlx5e_is_uplink_rep(priv) ? MLX5_TC_FLAG_ESW_OFFLOAD : MLX5_TC_FLAG_NIC_OFFLOAD;
  if (!enable && mlx5e_tc_num_filters(priv, tc_flag)) {
    netdev_printk('err', netdev, "Active offloaded tc filters, can't turn hw_tc_offload off");
    return -EINVAL;
  }
  return 0;
}, { input: (dev, en) => `${dev.name} ${en ? 'on' : 'off'}` });

/**
 * mlx5e_set_features → mlx5e_handle_feature (core/en_main.c, v6.18): only
 * NETIF_F_HW_TC is modelled; a refused change logs and fails with -EINVAL.
 */
export const mlx5e_set_features = hop(FILE, function mlx5e_set_features(netdev: NetDevice, features: NetdevFeatures): 0 | NegErrno {
  if (features.hw_tc === netdev.features.hw_tc) return 0;
  const enable = features.hw_tc;
  const err = set_feature_hw_tc(netdev, enable);
  if (err) {
    netdev_printk('err', netdev, `${enable ? 'Enable' : 'Disable'} feature ${NETIF_F_HW_TC_PNF} failed, err ${err}`);
    return -EINVAL;
  }
  return 0;
}, { input: (dev, f) => `${dev.name} hw_tc=${f.hw_tc ? 'on' : 'off'}` });

/**
 * mlx5e_netdev_ops (core/en_main.c, v6.18). The uplink representor's switch
 * id comes from its devlink port; it is answered here for both profiles.
 * Wrappers keep module load order free.
 */
export const mlx5e_netdev_ops: NetDeviceOps = {
  ndo_setup_tc: (dev: NetDevice, type: TcSetupType, type_data: unknown) => mlx5e_setup_tc(dev, type, type_data),
  ndo_set_features: (dev: NetDevice, features: NetdevFeatures) => mlx5e_set_features(dev, features),
  ndo_get_port_parent_id: (dev: NetDevice) => mlx5e_rep_get_port_parent_id(dev),
};

// ---------------------------------------------------------------------------
// netdev creation and the NIC profile's receive side

import type { Mlx5CoreDev } from './mlx5_core';
import { mlx5_create_flow_table, mlx5_destroy_flow_table, mlx5_flow_table_attr, mlx5_get_flow_namespace } from './fs_core';
import { mlx5e_tc_nic_init } from './en_tc';

// Firmware levels of the NIC RX tables TC uses (kernel namespace, flattened):
// TC chains from 1, the TC miss table above them, the VLAN table after.
const NIC_TC_BASE_LEVEL = 1;
const NIC_TC_MISS_LEVEL = 161;
const NIC_VLAN_LEVEL = 170;
/** core/en_fs.c: the VLAN table's size (MLX5E_VLAN_TABLE_SIZE). */
const MLX5E_VLAN_TABLE_SIZE = 4096 + 2 + 1 + 2;

/**
 * mlx5e_create_netdev (core/en_main.c): a netdev whose priv runs `profile`.
 * `hw_tc` is the initial NETIF_F_HW_TC state.
 */
export function mlx5e_create_netdev(mdev: Mlx5CoreDev, name: string, ops: NetDeviceOps, kind: string, hw_tc: boolean, profile: Mlx5ePriv['profile']): NetDevice {
  const dev: NetDevice = {
    name, ifindex: 0, features: { hw_tc }, hw_features: { hw_tc: true }, netdev_ops: ops, priv: null,
    nd_net: mdev.net, dev_name: mdev.device, present: true, kind,
  };
  const priv: Mlx5ePriv = {
    netdev: dev, mdev, ppriv: null, profile,
    fs: { tc: { ht: new Map(), t: null, miss_t: null, chains: null }, vlan_ft: null },
    hairpin_next_tirn: 0x100,
  };
  dev.priv = priv;
  return dev;
}

/**
 * mlx5e_init_nic_rx (core/en_main.c, v6.18), the parts TC needs: the VLAN
 * table of the RX pipeline (en_fs.c) and the NIC TC tables (mlx5e_tc_nic_init).
 */
export const mlx5e_init_nic_rx = hop(FILE, function mlx5e_init_nic_rx(priv: Mlx5ePriv): 0 | NegErrno {
  const vlan = mlx5_create_flow_table(mlx5_get_flow_namespace(priv.mdev, 'MLX5_FLOW_NAMESPACE_KERNEL'),
    mlx5_flow_table_attr({ level: NIC_VLAN_LEVEL, max_fte: MLX5E_VLAN_TABLE_SIZE }));
  if (typeof vlan === 'number') return vlan;
  priv.fs.vlan_ft = vlan;
  const err = mlx5e_tc_nic_init(priv, { tc_base: NIC_TC_BASE_LEVEL, miss: NIC_TC_MISS_LEVEL });
  if (err) {
    // err_destroy_flow_steering: nothing of the RX pipeline stays behind.
    mlx5_destroy_flow_table(vlan);
    priv.fs.vlan_ft = null;
  }
  return err;
}, { input: (p) => p.netdev.name });

/**
 * mlx5e_cleanup_nic_rx (core/en_main.c, v6.18): mlx5e_tc_nic_cleanup's miss
 * table and the VLAN table. The TC root table went with the last NIC filter
 * (a profile change needs none: the eswitch would be busy).
 */
export const mlx5e_cleanup_nic_rx = hop(FILE, function mlx5e_cleanup_nic_rx(priv: Mlx5ePriv): void {
  const tc = priv.fs.tc;
  // mlx5e_tc_nic_cleanup: the CT and post-action tables, if a ct rule built them.
  if (tc.ct !== undefined || tc.post_act !== undefined) mlx5e_tc_ct_post_act_cleanup(tc);
  if (tc.miss_t) mlx5_destroy_flow_table(tc.miss_t);
  tc.miss_t = null;
  tc.chains = null;
  if (priv.fs.vlan_ft) mlx5_destroy_flow_table(priv.fs.vlan_ft);
  priv.fs.vlan_ft = null;
}, { input: (p) => p.netdev.name });

/**
 * mlx5e_nic_enable: the PF netdev with the NIC profile (legacy mode):
 * mlx5e_build_nic_netdev offers hw-tc-offload but leaves it off (§7.4).
 */
export const mlx5e_nic_enable = hop(FILE, function mlx5e_nic_enable(mdev: Mlx5CoreDev, name: string): NetDevice | NegErrno {
  const dev = mlx5e_create_netdev(mdev, name, mlx5e_netdev_ops, 'mlx5e', false, 'mlx5e_nic_profile');
  const err = mlx5e_init_nic_rx(dev.priv as Mlx5ePriv);
  return err || dev;
}, { input: (_m, name) => name, result: (r) => (typeof r === 'number' ? undefined : r.name) });

/**
 * mlx5e_netdev_attach_profile (core/en_main.c, v6.18), the parts modelled:
 * the profile's RX init (NIC: mlx5e_init_nic_rx; the uplink representor's
 * needs no tables here) and its hw-tc-offload default (§7.4).
 */
function mlx5e_netdev_attach_profile(priv: Mlx5ePriv, profile: Mlx5ePriv['profile'], ppriv: Mlx5ePriv['ppriv']): 0 | NegErrno {
  priv.profile = profile;
  priv.ppriv = ppriv;
  priv.netdev.features = { ...priv.netdev.features, hw_tc: profile !== 'mlx5e_nic_profile' };
  return profile === 'mlx5e_nic_profile' ? mlx5e_init_nic_rx(priv) : 0;
}

// Counted by the coverage report: the new profile failed and the old one came back.
const change_profile_rollback = declareBranch(FILE, 'mlx5e_netdev_change_profile', 'rollback');

/**
 * mlx5e_netdev_change_profile (core/en_main.c, v6.18): clean the old
 * profile up, attach the new one; if that fails, warn and attach the
 * original profile again. The caller on the eswitch mode change
 * (mlx5e_vport_uplink_rep_unload) ignores the result, so the mode change
 * itself succeeds with the netdev back in its old profile.
 */
export const mlx5e_netdev_change_profile = hop(FILE, function mlx5e_netdev_change_profile(priv: Mlx5ePriv, new_profile: Mlx5ePriv['profile'], new_ppriv: Mlx5ePriv['ppriv']): 0 | NegErrno {
  const orig_profile = priv.profile;
  const orig_ppriv = priv.ppriv;
  if (orig_profile === 'mlx5e_nic_profile') mlx5e_cleanup_nic_rx(priv);
  const err = mlx5e_netdev_attach_profile(priv, new_profile, new_ppriv);
  if (!change_profile_rollback(err !== 0)) return 0;
  netdev_printk('warn', priv.netdev, `mlx5e_netdev_change_profile: new profile init failed, ${err}`);
  const rollback_err = mlx5e_netdev_attach_profile(priv, orig_profile, orig_ppriv);
  if (rollback_err) netdev_printk('err', priv.netdev, `mlx5e_netdev_change_profile: failed to rollback to orig profile, ${rollback_err}`);
  return err;
}, { input: (p, np) => `${p.netdev.name} ${p.profile} -> ${np}` });

/** mlx5e_netdev_attach_nic_profile (core/en_main.c, v6.18) */
export function mlx5e_netdev_attach_nic_profile(priv: Mlx5ePriv): 0 | NegErrno {
  return mlx5e_netdev_change_profile(priv, 'mlx5e_nic_profile', null);
}
