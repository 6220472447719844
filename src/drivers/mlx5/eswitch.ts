// core/eswitch.c: the eswitch object of a PF and its mode state. user_count
// counts offloaded TC flows (NIC or FDB) so a devlink mode change can refuse
// with "Can't change mode, E-Switch is busy".
import type { MappingCtx } from './en/mapping';
import type { ModHdrTbl } from './en/mod_hdr';
import { hop } from '../../trace/hop';
import { EBUSY, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { NetDevice } from '../../kernel/include/linux/netdevice';
import type { Mlx5CoreDev } from './mlx5_core';
import type { Mlx5FlowTable } from './fs_core';
import type { Mlx5FsChains } from './lib/fs_chains';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/eswitch.c';

export type Mlx5EswitchMode = 'MLX5_ESWITCH_LEGACY' | 'MLX5_ESWITCH_OFFLOADS';

/** enum mlx5_inline_modes (devlink none/link/network/transport) */
export const MLX5_INLINE_MODE_NONE = 0;
export const MLX5_INLINE_MODE_L2 = 1;
export const MLX5_INLINE_MODE_IP = 2;
export const MLX5_INLINE_MODE_TCP_UDP = 3;

/** eswitch.h (v6.18) */
export const ESW_OFFLOADS_DEFAULT_NUM_GROUPS = 15;
export const MLX5_MAX_FLOW_FWD_VPORTS = 32;
/** enum MLX5_ESW_DEST_* (core/eswitch.h): per-output flags */
export const MLX5_ESW_DEST_ENCAP = 1 << 0;
export const MLX5_ESW_DEST_ENCAP_VALID = 1 << 1;
export const MLX5_ESW_DEST_CHAIN_WITH_SRC_PORT_CHANGE = 1 << 2;

/** struct mlx5_eswitch_rep */
export interface Mlx5EswitchRep {
  vport: number;
  /** The representor netdev (REP_ETH proto dev). */
  netdev: NetDevice | null;
}

/** struct mlx5_eswitch (the parts the TC path uses). */
export interface Mlx5Eswitch {
  dev: Mlx5CoreDev;
  mode: Mlx5EswitchMode;
  /** Offloaded TC flows and other users; devlink mode changes need 0. */
  user_count: number;
  /** A mode change is running: mlx5_esw_hold fails. */
  eswitch_operation_in_progress: boolean;
  total_vports: number;
  params: { large_group_num: number };
  offloads: {
    num_flows: number;
    inline_mode: number;
    encap: 'none' | 'basic';
    vport_reps: Map<number, Mlx5EswitchRep>;
    slow_fdb: Mlx5FlowTable | null;
    tc_miss_table: Mlx5FlowTable | null;
    esw_chains_priv: Mlx5FsChains | null;
    /** The REP_ETH ops en_rep registered (mlx5_eswitch_register_vport_reps). */
    rep_ops: Mlx5EswitchRepOps | null;
    /** offloads.mod_hdr: the FDB flows' shared modify-header contexts (created on first use). */
    mod_hdr?: ModHdrTbl;
    /** reg_c0_obj_pool: mapped objects (action-miss ids) written to reg_c_0; created on first use. */
    reg_c0_obj_pool?: MappingCtx;
    /** vports.table: per (chain, prio, vport) mirror tables (esw/vporttbl.c), refcounted. */
    vport_tbls?: Map<string, { ft: Mlx5FlowTable; ref: number }>;
  };
}

/** struct mlx5_eswitch_rep_ops (REP_ETH): how the eswitch loads a vport's netdev. */
export interface Mlx5EswitchRepOps {
  load: (dev: Mlx5CoreDev, rep: Mlx5EswitchRep) => 0 | NegErrno;
  unload: (dev: Mlx5CoreDev, rep: Mlx5EswitchRep) => 0 | NegErrno;
}

/** mlx5_eswitch_init (core/eswitch.c): every PF that is an eswitch manager has one. */
export function mlx5_eswitch_init(dev: Mlx5CoreDev, num_vfs: number): Mlx5Eswitch {
  return {
    dev,
    mode: 'MLX5_ESWITCH_LEGACY',
    user_count: 0,
    eswitch_operation_in_progress: false,
    // PF + uplink + VFs (MLX5_SPECIAL_VPORTS + max VFs; no ECPF/SFs).
    total_vports: 2 + num_vfs,
    params: { large_group_num: ESW_OFFLOADS_DEFAULT_NUM_GROUPS },
    offloads: {
      num_flows: 0, inline_mode: MLX5_INLINE_MODE_NONE, encap: 'basic', vport_reps: new Map(),
      slow_fdb: null, tc_miss_table: null, esw_chains_priv: null, rep_ops: null,
    },
  };
}

/** mlx5_esw_hold (core/eswitch.c, v6.18): fails while a mode change is in progress. */
export const mlx5_esw_hold = hop(FILE, function mlx5_esw_hold(mdev: Mlx5CoreDev): boolean {
  const esw = mdev.priv.eswitch;
  if (!esw) return true;
  return !esw.eswitch_operation_in_progress;
});

/** mlx5_esw_release: the read lock is not modelled. */
export function mlx5_esw_release(_mdev: Mlx5CoreDev): void {
  // Nothing observable.
}

/** mlx5_esw_get (core/eswitch.c, v6.18) */
export function mlx5_esw_get(mdev: Mlx5CoreDev): void {
  const esw = mdev.priv.eswitch;
  if (esw) esw.user_count++;
}

/** mlx5_esw_put (core/eswitch.c, v6.18): atomic64_dec_if_positive. */
export function mlx5_esw_put(mdev: Mlx5CoreDev): void {
  const esw = mdev.priv.eswitch;
  if (esw && esw.user_count > 0) esw.user_count--;
}

/** mlx5_eswitch_register_vport_reps (core/eswitch_offloads.c): en_rep's REP_ETH ops. */
export function mlx5_eswitch_register_vport_reps(esw: Mlx5Eswitch, ops: Mlx5EswitchRepOps): void {
  esw.offloads.rep_ops = ops;
}

/** mlx5_eswitch_mode (core/eswitch.c) */
export function mlx5_eswitch_mode(dev: Mlx5CoreDev): Mlx5EswitchMode {
  return dev.priv.eswitch?.mode ?? 'MLX5_ESWITCH_LEGACY';
}

/**
 * mlx5_esw_try_lock (core/eswitch.c, v6.18): the mode lock is never
 * contended here (no concurrent writer is modelled, so the -EINVAL branch
 * cannot happen); a mode change in progress or any user (offloaded TC flow)
 * → -EBUSY; else the current mode.
 */
export const mlx5_esw_try_lock = hop(FILE, function mlx5_esw_try_lock(esw: Mlx5Eswitch): { err: 0 | NegErrno; mode: Mlx5EswitchMode } {
  if (esw.eswitch_operation_in_progress || esw.user_count > 0) return { err: -EBUSY, mode: esw.mode };
  return { err: 0, mode: esw.mode };
}, { input: (e) => `user_count ${e.user_count}${e.eswitch_operation_in_progress ? ' (mode change in progress)' : ''}`, errno: (r) => r.err, result: (r) => (r.err ? undefined : r.mode) });
