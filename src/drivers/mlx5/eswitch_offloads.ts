// core/eswitch_offloads.c: switchdev-mode FDB. Every TC rule lands in a
// chains table, also matches its ingress vport, and is never merged with
// another rule (FLOW_ACT_NO_APPEND).
import { hop } from '../../trace/hop';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../kernel/include/linux/netlink';
import {
  DEVLINK_ESWITCH_ENCAP_MODE_BASIC, DEVLINK_ESWITCH_ENCAP_MODE_NONE, DEVLINK_ESWITCH_INLINE_MODE_NONE,
  DEVLINK_ESWITCH_MODE_LEGACY, DEVLINK_ESWITCH_MODE_SWITCHDEV,
} from '../../kernel/include/uapi/linux/devlink';
import {
  MLX5_FLOW_CONTEXT_ACTION_COUNT, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_SET, MLX5_SET_TO_ONES,
  MLX5_FLOW_CONTEXT_ACTION_MOD_HDR, MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  MLX5_MATCH_INNER_HEADERS, MLX5_MATCH_MISC_PARAMETERS, MLX5_MATCH_OUTER_HEADERS, MLX5_VPORT_UPLINK,
} from '../../kernel/include/linux/mlx5/device';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, FLOW_ACT_NO_APPEND, MLX5_FLOW_DEST_VPORT_VHCA_ID,
  type Mlx5FlowAct, type Mlx5FlowDestination, type Mlx5FlowSpec,
} from '../../kernel/include/linux/mlx5/fs';
import {
  mlx5_add_flow_rules, mlx5_create_flow_table, mlx5_del_flow_rules, mlx5_destroy_flow_table, mlx5_flow_table_attr, mlx5_get_flow_namespace,
  mlx5_flow_namespace_set_mode,
  type Mlx5FlowHandle, type Mlx5FlowTable,
} from './fs_core';
import {
  FDB_TC_LEVELS_PER_PRIO, FDB_TC_MAX_CHAIN, FDB_TC_MAX_PRIO, MLX5_CHAINS_AND_PRIOS_SUPPORTED,
  MLX5_CHAINS_FT_TUNNEL_SUPPORTED, MLX5_CHAINS_IGNORE_FLOW_LEVEL_SUPPORTED,
  mlx5_chains_create, mlx5_chains_get_nf_ft_chain, mlx5_chains_get_table, mlx5_chains_get_tc_end_ft,
  mlx5_chains_ignore_flow_level_supported, mlx5_chains_put_table, mlx5_chains_set_end_ft,
  type Mlx5FsChains,
} from './lib/fs_chains';
import { MLX5_MATCH_NONE, MLX5_ATTR_FLAG_ACCEPT, MLX5_ATTR_FLAG_NO_IN_PORT, type Mlx5FlowAttr } from './en/tc_priv';
import { MLX5_ATTR_FLAG_SLOW_PATH } from './en/tc_priv';
import { MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import { MLX5_FLOW_DEST_VPORT_REFORMAT_ID } from '../../kernel/include/linux/mlx5/fs';
import { MLX5_ESW_DEST_ENCAP_VALID } from './eswitch';
import {
  MLX5_INLINE_MODE_NONE, MLX5_INLINE_MODE_TCP_UDP, mlx5_esw_try_lock,
  type Mlx5Eswitch, type Mlx5EswitchMode, type Mlx5EswitchRep,
} from './eswitch';
import type { Mlx5CoreDev } from './mlx5_core';
import { mlx5_esw_vporttbl_get, mlx5_esw_vporttbl_put, type Mlx5VportTblAttr } from './esw/vporttbl';

const KBUILD_MODNAME = 'mlx5_core';
/** enum mlx5_inline_modes cap values (MLX5_CAP_ETH wqe_inline_mode) */
const MLX5_CAP_INLINE_MODE_NOT_REQUIRED = 2;

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/eswitch_offloads.c';

// eswitch_offloads.c (v6.18)
const MAX_PF_SQ = 256;
const MAX_SQ_NVPORTS = 32;
const MLX5_ESW_MISS_FLOWS = 2;
/** include/linux/mlx5/driver.h */
const MLX5_MAX_PORTS = 8;

// Firmware levels of the FDB tables (the fs_core FDB namespace, flattened):
// TC chains from 1 up, then the TC-miss table, then the slow path.
const FDB_TC_OFFLOAD_LEVEL = 1;
const FDB_TC_MISS_LEVEL = FDB_TC_OFFLOAD_LEVEL + (FDB_TC_MAX_CHAIN + 2) * FDB_TC_MAX_PRIO * FDB_TC_LEVELS_PER_PRIO;
const FDB_SLOW_PATH_LEVEL = FDB_TC_MISS_LEVEL + 1;

function esw_info(esw: Mlx5Eswitch, msg: string): void {
  esw.dev.net.printk('info', `${esw.dev.device}: E-Switch: ${msg}`);
}

function esw_warn(esw: Mlx5Eswitch, msg: string): void {
  esw.dev.net.printk('warn', `${esw.dev.device}: E-Switch: ${msg}`);
}

export function esw_chains(esw: Mlx5Eswitch): Mlx5FsChains {
  const c = esw.offloads.esw_chains_priv;
  if (!c) throw new Error('esw_chains: eswitch offloads not enabled');
  return c;
}

/**
 * mlx5_eswitch_reg_c1_loopback_enabled (eswitch_offloads.c, v6.18): upstream
 * sets the flag when switchdev starts passing vport metadata with REG_C_1
 * (fdb_to_vport_reg_c_id) and the FDB ignores flow levels
 * (mlx5_eswitch_reg_c1_loopback_supported). This model matches the source
 * port without metadata, so it answers from those caps directly.
 */
export function mlx5_eswitch_reg_c1_loopback_enabled(esw: Mlx5Eswitch): boolean {
  return esw.mode === 'MLX5_ESWITCH_OFFLOADS' && (esw.dev.spec.caps.reg_c1_loopback ?? true) && esw.dev.caps.esw_flow_table_fdb.ignore_flow_level;
}

export function mlx5_eswitch_get_slow_fdb(esw: Mlx5Eswitch): Mlx5FlowTable | null {
  return esw.offloads.slow_fdb;
}

/**
 * esw_init_chains_offload_flags (eswitch_offloads.c, v6.18). The emulated
 * device has multi_fdb_encap, reg_c1 loopback and modify-header-to-table,
 * so chains and prios are always supported.
 */
function esw_init_chains_offload_flags(esw: Mlx5Eswitch): number {
  let flags = 0;
  if (esw.dev.caps.esw_flow_table_fdb.ignore_flow_level) flags |= MLX5_CHAINS_IGNORE_FLOW_LEVEL_SUPPORTED;
  flags |= MLX5_CHAINS_AND_PRIOS_SUPPORTED;
  esw_info(esw, 'Supported tc chains and prios offload');
  if (esw.offloads.encap !== 'none') flags |= MLX5_CHAINS_FT_TUNNEL_SUPPORTED;
  return flags;
}

/** esw_chains_create (eswitch_offloads.c, v6.18): the nf_ft end table and the root are always open. */
const esw_chains_create = hop(FILE, function esw_chains_create(esw: Mlx5Eswitch, miss_fdb: Mlx5FlowTable): 0 | NegErrno {
  const chains = mlx5_chains_create(esw.dev, {
    ns: 'MLX5_FLOW_NAMESPACE_FDB',
    flags: esw_init_chains_offload_flags(esw),
    max_grp_num: esw.params.large_group_num,
    default_ft: miss_fdb,
    fs_base_level: FDB_TC_OFFLOAD_LEVEL,
  });
  esw.offloads.esw_chains_priv = chains;
  const nf_ft = mlx5_chains_get_table(chains, mlx5_chains_get_nf_ft_chain(chains), 1, 0);
  if (typeof nf_ft === 'number') {
    esw.offloads.esw_chains_priv = null;
    return nf_ft;
  }
  const ft = mlx5_chains_get_table(chains, 0, 1, 0);
  if (typeof ft === 'number') {
    mlx5_chains_put_table(chains, mlx5_chains_get_nf_ft_chain(chains), 1, 0);
    esw.offloads.esw_chains_priv = null;
    return ft;
  }
  mlx5_chains_set_end_ft(chains, nf_ft);
  return 0;
});

/**
 * esw_create_offloads_fdb_tables (eswitch_offloads.c, v6.18): slow-path FDB,
 * the empty TC-miss table, then the chains. The slow path's own groups and
 * rules (send-to-vport, peer miss, miss) are not modelled.
 */
const esw_create_offloads_fdb_tables = hop(FILE, function esw_create_offloads_fdb_tables(esw: Mlx5Eswitch): 0 | NegErrno {
  const root_ns = mlx5_get_flow_namespace(esw.dev, 'MLX5_FLOW_NAMESPACE_FDB');
  // eswitch_offloads.c esw_create_offloads_fdb_tables (v6.18): the FDB takes the devlink steering mode.
  const mode_err = mlx5_flow_namespace_set_mode(root_ns, esw.dev.priv.steering.mode);
  if (mode_err) {
    esw_warn(esw, 'Failed to set FDB namespace steering mode');
    return mode_err;
  }
  const table_size = MLX5_MAX_PORTS * (esw.total_vports * MAX_SQ_NVPORTS + MAX_PF_SQ)
    + esw.total_vports * MLX5_MAX_PORTS + MLX5_ESW_MISS_FLOWS;
  const fdb = mlx5_create_flow_table(root_ns, mlx5_flow_table_attr({ level: FDB_SLOW_PATH_LEVEL, max_fte: table_size }));
  if (typeof fdb === 'number') {
    esw_warn(esw, `Failed to create slow path FDB Table err ${fdb}`);
    // slow_fdb_err: back to the firmware backend
    mlx5_flow_namespace_set_mode(root_ns, 'dmfs');
    return fdb;
  }
  esw.offloads.slow_fdb = fdb;
  const miss = mlx5_create_flow_table(root_ns, mlx5_flow_table_attr({ level: FDB_TC_MISS_LEVEL, next_ft: fdb }));
  if (typeof miss === 'number') {
    esw_warn(esw, `Failed to create TC miss FDB Table err ${miss}`);
    // eswitch_offloads.c esw_create_offloads_fdb_tables tc_miss_table_err (v6.18): unwind the slow path table
    mlx5_destroy_flow_table(fdb);
    esw.offloads.slow_fdb = null;
    mlx5_flow_namespace_set_mode(root_ns, 'dmfs');
    return miss;
  }
  esw.offloads.tc_miss_table = miss;
  const err = esw_chains_create(esw, miss);
  if (err) {
    esw_warn(esw, `Failed to open fdb chains err(${err})`);
    // eswitch_offloads.c esw_create_offloads_fdb_tables fdb_chains_err (v6.18): unwind both tables
    mlx5_destroy_flow_table(miss);
    esw.offloads.tc_miss_table = null;
    mlx5_destroy_flow_table(fdb);
    esw.offloads.slow_fdb = null;
    mlx5_flow_namespace_set_mode(root_ns, 'dmfs');
  }
  return err;
});

/**
 * esw_destroy_offloads_fdb_tables (eswitch_offloads.c, v6.18): the chains'
 * always-open tables (root and nf_ft end table), then the TC-miss and
 * slow-path tables.
 */
const esw_destroy_offloads_fdb_tables = hop(FILE, function esw_destroy_offloads_fdb_tables(esw: Mlx5Eswitch): void {
  const chains = esw.offloads.esw_chains_priv;
  if (chains) {
    mlx5_chains_put_table(chains, 0, 1, 0);
    mlx5_chains_put_table(chains, mlx5_chains_get_nf_ft_chain(chains), 1, 0);
    esw.offloads.esw_chains_priv = null;
  }
  if (esw.offloads.tc_miss_table) mlx5_destroy_flow_table(esw.offloads.tc_miss_table);
  esw.offloads.tc_miss_table = null;
  if (esw.offloads.slow_fdb) mlx5_destroy_flow_table(esw.offloads.slow_fdb);
  esw.offloads.slow_fdb = null;
  // eswitch_offloads.c esw_destroy_offloads_fdb_tables (v6.18): the FDB returns to the firmware backend.
  mlx5_flow_namespace_set_mode(mlx5_get_flow_namespace(esw.dev, 'MLX5_FLOW_NAMESPACE_FDB'), 'dmfs');
});

/**
 * The vport numbers of the representors: uplink first, then VF vports 1…n.
 * Upstream loads one per enabled VF; the topology lists the VFs that have a
 * representor netdev, and only those are loaded.
 */
function esw_rep_vports(esw: Mlx5Eswitch): number[] {
  // One representor per enabled VF vport (mlx5_esw_for_each_vf_vport); the
  // topology only names them.
  const vfs = Array.from({ length: esw.dev.spec.num_vfs }, (_v, i) => i + 1);
  return [MLX5_VPORT_UPLINK, ...vfs];
}

/** mlx5_esw_offloads_rep_load (eswitch_offloads.c): REP_ETH load of one vport. */
function mlx5_esw_offloads_rep_load(esw: Mlx5Eswitch, vport: number): 0 | NegErrno {
  const rep: Mlx5EswitchRep = esw.offloads.vport_reps.get(vport) ?? { vport, netdev: null };
  esw.offloads.vport_reps.set(vport, rep);
  return esw.offloads.rep_ops ? esw.offloads.rep_ops.load(esw.dev, rep) : 0;
}

/** mlx5_esw_offloads_rep_unload (eswitch_offloads.c) */
function mlx5_esw_offloads_rep_unload(esw: Mlx5Eswitch, vport: number): void {
  const rep = esw.offloads.vport_reps.get(vport);
  if (rep && esw.offloads.rep_ops) esw.offloads.rep_ops.unload(esw.dev, rep);
  esw.offloads.vport_reps.delete(vport);
}

/**
 * esw_offloads_enable (eswitch_offloads.c, v6.18): the FDB tables, then the
 * representors (uplink first, then the VF vports). The mode is set by the
 * caller (mlx5_eswitch_enable_locked after esw_mode_change) before this.
 */
export const esw_offloads_enable = hop(FILE, function esw_offloads_enable(esw: Mlx5Eswitch): 0 | NegErrno {
  const err = esw_create_offloads_fdb_tables(esw);
  if (err) return err;
  esw.mode = 'MLX5_ESWITCH_OFFLOADS';
  for (const vport of esw_rep_vports(esw)) {
    const e = mlx5_esw_offloads_rep_load(esw, vport);
    if (e) return e;
  }
  return 0;
});

/**
 * esw_offloads_disable (eswitch_offloads.c, v6.18): VF representors first
 * (mlx5_eswitch_disable_pf_vf_vports), then the uplink's, then the FDB
 * steering. Vport metadata, RoCE and the legacy FDB are not modelled.
 */
export const esw_offloads_disable = hop(FILE, function esw_offloads_disable(esw: Mlx5Eswitch): void {
  for (const vport of esw_rep_vports(esw).slice(1).reverse()) mlx5_esw_offloads_rep_unload(esw, vport);
  mlx5_esw_offloads_rep_unload(esw, MLX5_VPORT_UPLINK);
  esw_destroy_offloads_fdb_tables(esw);
});

// ---------------------------------------------------------------------------
// devlink eswitch ops

/** esw_mode_from_devlink / esw_mode_to_devlink (eswitch_offloads.c, v6.18) */
function esw_mode_from_devlink(mode: number): Mlx5EswitchMode | null {
  if (mode === DEVLINK_ESWITCH_MODE_LEGACY) return 'MLX5_ESWITCH_LEGACY';
  if (mode === DEVLINK_ESWITCH_MODE_SWITCHDEV) return 'MLX5_ESWITCH_OFFLOADS';
  return null;
}

function esw_mode_to_devlink(mode: Mlx5EswitchMode): number {
  return mode === 'MLX5_ESWITCH_OFFLOADS' ? DEVLINK_ESWITCH_MODE_SWITCHDEV : DEVLINK_ESWITCH_MODE_LEGACY;
}

/** esw_inline_mode_from_devlink / _to_devlink: the enums coincide (none/L2/IP/TCP_UDP ↔ none/link/network/transport). */
function esw_inline_mode_from_devlink(mode: number): number | null {
  return mode >= MLX5_INLINE_MODE_NONE && mode <= MLX5_INLINE_MODE_TCP_UDP ? mode : null;
}

/**
 * mlx5_devlink_eswitch_get → mlx5_eswitch_check (core/eswitch.c, v6.18):
 * Ethernet port type and eswitch manager, else -EOPNOTSUPP. The emulated
 * functions are Ethernet PFs; one without an eswitch is not a manager.
 */
function mlx5_devlink_eswitch_get(dev: Mlx5CoreDev): Mlx5Eswitch | NegErrno {
  if (dev.caps.gen.vport_group_manager === false) return -EOPNOTSUPP;
  return dev.priv.eswitch ?? -EOPNOTSUPP;
}

/**
 * esw_offloads_start (eswitch_offloads.c, v6.18): enable in switchdev mode;
 * on failure back to legacy with "Failed setting eswitch to offloads". The
 * inline-mode query of the vports always agrees here (NOT_REQUIRED cap).
 */
const esw_offloads_start = hop(FILE, function esw_offloads_start(esw: Mlx5Eswitch, extack: NetlinkExtAck): 0 | NegErrno {
  esw.mode = 'MLX5_ESWITCH_OFFLOADS';
  const err = esw_offloads_enable(esw);
  if (err) {
    NL_SET_ERR_MSG_MOD(extack, KBUILD_MODNAME, 'Failed setting eswitch to offloads');
    esw.mode = 'MLX5_ESWITCH_LEGACY';
    return err;
  }
  return 0;
});

/**
 * esw_offloads_stop (eswitch_offloads.c, v6.18): legacy mode. The legacy
 * FDB that mlx5_eswitch_enable_locked builds with SR-IOV on is not modelled.
 */
const esw_offloads_stop = hop(FILE, function esw_offloads_stop(esw: Mlx5Eswitch, _extack: NetlinkExtAck): 0 | NegErrno {
  esw.mode = 'MLX5_ESWITCH_LEGACY';
  return 0;
});

/** mlx5_eswitch_disable_locked (core/eswitch.c): offloads mode tears down its reps and FDB. */
function mlx5_eswitch_disable_locked(esw: Mlx5Eswitch): void {
  if (esw.mode === 'MLX5_ESWITCH_OFFLOADS') esw_offloads_disable(esw);
}

/**
 * mlx5_devlink_eswitch_mode_set (eswitch_offloads.c, v6.18). Not modelled:
 * firmware reset in progress, Socket Direct, IPsec mode blocks, LAG, a
 * netdev moved to another namespace, devlink traps (all absent here).
 */
export const mlx5_devlink_eswitch_mode_set = hop(FILE, function mlx5_devlink_eswitch_mode_set(dev: Mlx5CoreDev, mode: number, extack: NetlinkExtAck): 0 | NegErrno {
  const esw = mlx5_devlink_eswitch_get(dev);
  if (typeof esw === 'number') return esw;
  const mlx5_mode = esw_mode_from_devlink(mode);
  if (!mlx5_mode) return -EINVAL;
  const lock = mlx5_esw_try_lock(esw);
  if (lock.err) {
    NL_SET_ERR_MSG_MOD(extack, KBUILD_MODNAME, "Can't change mode, E-Switch is busy");
    return lock.err;
  }
  if (lock.mode === mlx5_mode) return 0;
  esw.eswitch_operation_in_progress = true;
  mlx5_eswitch_disable_locked(esw);
  const err = mode === DEVLINK_ESWITCH_MODE_SWITCHDEV ? esw_offloads_start(esw, extack) : esw_offloads_stop(esw, extack);
  esw.eswitch_operation_in_progress = false;
  return err;
}, { input: (d, mode) => `${d.spec.pci} mode ${mode === DEVLINK_ESWITCH_MODE_SWITCHDEV ? 'switchdev' : mode === DEVLINK_ESWITCH_MODE_LEGACY ? 'legacy' : mode}` });

/** mlx5_devlink_eswitch_mode_get (eswitch_offloads.c, v6.18) */
export function mlx5_devlink_eswitch_mode_get(dev: Mlx5CoreDev): { err: 0 | NegErrno; mode: number } {
  const esw = mlx5_devlink_eswitch_get(dev);
  if (typeof esw === 'number') return { err: esw, mode: 0 };
  return { err: 0, mode: esw_mode_to_devlink(esw.mode) };
}

/**
 * mlx5_devlink_eswitch_inline_mode_set (eswitch_offloads.c, v6.18). The
 * emulated ConnectX-5+ reports wqe_inline_mode NOT_REQUIRED: "none" is
 * accepted as is, anything else "can't be set". The num_flows refusal
 * (E3) sits behind the VPORT_CONTEXT cap, which no modelled device has.
 */
export const mlx5_devlink_eswitch_inline_mode_set = hop(FILE, function mlx5_devlink_eswitch_inline_mode_set(dev: Mlx5CoreDev, mode: number, extack: NetlinkExtAck): 0 | NegErrno {
  const esw = mlx5_devlink_eswitch_get(dev);
  if (typeof esw === 'number') return esw;
  const wqe_inline_mode = MLX5_CAP_INLINE_MODE_NOT_REQUIRED;
  if (wqe_inline_mode === MLX5_CAP_INLINE_MODE_NOT_REQUIRED) {
    if (mode === DEVLINK_ESWITCH_INLINE_MODE_NONE) return 0;
    NL_SET_ERR_MSG_MOD(extack, KBUILD_MODNAME, "Inline mode can't be set");
    return -EOPNOTSUPP;
  }
  if (esw.offloads.num_flows > 0) {
    NL_SET_ERR_MSG_MOD(extack, KBUILD_MODNAME, "Can't set inline mode when flows are configured");
    return -EOPNOTSUPP;
  }
  const m = esw_inline_mode_from_devlink(mode);
  if (m === null) return -EINVAL;
  esw.offloads.inline_mode = m;
  return 0;
}, { input: (d, mode) => `${d.spec.pci} inline ${mode}` });

/** mlx5_devlink_eswitch_inline_mode_get (eswitch_offloads.c, v6.18) */
export function mlx5_devlink_eswitch_inline_mode_get(dev: Mlx5CoreDev): { err: 0 | NegErrno; mode: number } {
  const esw = mlx5_devlink_eswitch_get(dev);
  if (typeof esw === 'number') return { err: esw, mode: 0 };
  return { err: 0, mode: esw.offloads.inline_mode };
}

/**
 * mlx5_devlink_eswitch_encap_mode_set (eswitch_offloads.c, v6.18): the
 * emulated FDB has reformat and decap; legacy only stores; switchdev refuses
 * with FDB flows (E3) and otherwise rebuilds the FDB tables.
 */
export const mlx5_devlink_eswitch_encap_mode_set = hop(FILE, function mlx5_devlink_eswitch_encap_mode_set(dev: Mlx5CoreDev, encap: number, extack: NetlinkExtAck): 0 | NegErrno {
  const esw = mlx5_devlink_eswitch_get(dev);
  if (typeof esw === 'number') return esw;
  if (encap !== DEVLINK_ESWITCH_ENCAP_MODE_NONE && encap !== DEVLINK_ESWITCH_ENCAP_MODE_BASIC) return -EOPNOTSUPP;
  const want = encap === DEVLINK_ESWITCH_ENCAP_MODE_BASIC ? 'basic' : 'none';
  if (esw.mode === 'MLX5_ESWITCH_LEGACY') {
    esw.offloads.encap = want;
    return 0;
  }
  if (esw.offloads.encap === want) return 0;
  if (esw.offloads.num_flows > 0) {
    NL_SET_ERR_MSG_MOD(extack, KBUILD_MODNAME, "Can't set encapsulation when flows are configured");
    return -EOPNOTSUPP;
  }
  esw.eswitch_operation_in_progress = true;
  esw_destroy_offloads_fdb_tables(esw);
  esw.offloads.encap = want;
  let err = esw_create_offloads_fdb_tables(esw);
  if (err) {
    NL_SET_ERR_MSG_MOD(extack, KBUILD_MODNAME, 'Failed re-creating fast FDB table');
    esw.offloads.encap = want === 'basic' ? 'none' : 'basic';
    esw_create_offloads_fdb_tables(esw);
  } else {
    err = 0;
  }
  esw.eswitch_operation_in_progress = false;
  return err;
}, { input: (d, encap) => `${d.spec.pci} encap ${encap}` });

/** mlx5_devlink_eswitch_encap_mode_get (eswitch_offloads.c, v6.18) */
export function mlx5_devlink_eswitch_encap_mode_get(dev: Mlx5CoreDev): { err: 0 | NegErrno; mode: number } {
  const esw = mlx5_devlink_eswitch_get(dev);
  if (typeof esw === 'number') return { err: esw, mode: 0 };
  return { err: 0, mode: esw.offloads.encap === 'basic' ? DEVLINK_ESWITCH_ENCAP_MODE_BASIC : DEVLINK_ESWITCH_ENCAP_MODE_NONE };
}

/**
 * mlx5_eswitch_set_rule_source_port (eswitch_offloads.c, v6.18): the
 * misc.source_port variant. Upstream prefers reg_c_0 vport metadata when
 * enabled; the emulated device runs without vport match metadata.
 */
function mlx5_eswitch_set_rule_source_port(esw: Mlx5Eswitch, spec: Mlx5FlowSpec, vport: number): void {
  MLX5_SET(spec.match_value, 'misc_parameters.source_port', vport);
  MLX5_SET_TO_ONES(spec.match_criteria, 'misc_parameters.source_port');
  if (esw.dev.caps.esw.merged_eswitch) {
    MLX5_SET(spec.match_value, 'misc_parameters.source_eswitch_owner_vhca_id', esw.dev.caps.gen.vhca_id);
    MLX5_SET_TO_ONES(spec.match_criteria, 'misc_parameters.source_eswitch_owner_vhca_id');
  }
  spec.match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS;
}

/** esw_setup_dests (eswitch_offloads.c, v6.18): accept / vport outputs / table / goto chain. */
function esw_setup_dests(dest: Mlx5FlowDestination[], flow_act: Mlx5FlowAct, esw: Mlx5Eswitch, attr: Mlx5FlowAttr): 0 | NegErrno {
  const chains = esw_chains(esw);
  const esw_attr = attr.esw_attr!;
  // esw_setup_slow_path_dest: an encap flow waiting for its neighbour goes to the slow FDB
  if (attr.flags & MLX5_ATTR_FLAG_SLOW_PATH) {
    if (mlx5_chains_ignore_flow_level_supported(chains)) flow_act.flags |= FLOW_ACT_IGNORE_FLOW_LEVEL;
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: mlx5_eswitch_get_slow_fdb(esw)! });
    return 0;
  }
  if (attr.flags & MLX5_ATTR_FLAG_ACCEPT) {
    if (mlx5_chains_ignore_flow_level_supported(chains)) flow_act.flags |= FLOW_ACT_IGNORE_FLOW_LEVEL;
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: mlx5_chains_get_tc_end_ft(chains) });
    return 0;
  }
  for (let j = esw_attr.split_count; j < esw_attr.out_count; j++) {
    const d = esw_attr.dests[j]!;
    const merged = esw.dev.caps.esw.merged_eswitch;
    dest.push({
      type: 'MLX5_FLOW_DESTINATION_TYPE_VPORT',
      vport: merged ? { num: d.vport, vhca_id: d.mdev.caps.gen.vhca_id, flags: MLX5_FLOW_DEST_VPORT_VHCA_ID } : { num: d.vport, flags: 0 },
    });
    // esw_setup_vport_dest: a valid encap output carries its reformat
    if (d.flags & MLX5_ESW_DEST_ENCAP_VALID && d.pkt_reformat) {
      flow_act.action |= MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT;
      flow_act.pkt_reformat = d.pkt_reformat;
      const v = dest[dest.length - 1]!.vport!;
      v.flags |= MLX5_FLOW_DEST_VPORT_REFORMAT_ID;
      v.pkt_reformat = d.pkt_reformat;
    }
  }
  if (attr.dest_ft) {
    flow_act.flags |= FLOW_ACT_IGNORE_FLOW_LEVEL;
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: attr.dest_ft });
  } else if (attr.dest_chain) {
    flow_act.flags |= FLOW_ACT_IGNORE_FLOW_LEVEL;
    const ft = mlx5_chains_get_table(chains, attr.dest_chain, 1, 0);
    if (typeof ft === 'number') return ft;
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft });
  }
  return 0;
}

function esw_cleanup_dests(esw: Mlx5Eswitch, attr: Mlx5FlowAttr): void {
  if (!attr.dest_ft && !(attr.flags & MLX5_ATTR_FLAG_ACCEPT) && attr.dest_chain) {
    mlx5_chains_put_table(esw_chains(esw), attr.dest_chain, 1, 0);
  }
}

/** The firmware level of the FDB_PER_VPORT priority (after the slow path). */
const FDB_PER_VPORT_LEVEL = FDB_SLOW_PATH_LEVEL + 1;

function fwd_attr_of(attr: Mlx5FlowAttr): Mlx5VportTblAttr {
  return { chain: attr.chain, prio: attr.prio, vport: attr.esw_attr!.in_rep.vport };
}

/**
 * mlx5_eswitch_add_offloaded_rule (eswitch_offloads.c, v6.18). A split rule
 * (outputs before a rewrite: split_count) lands in the ingress vport's mirror
 * table with the outputs after the split; mlx5_eswitch_add_fwd_rule adds the
 * chain rule that mirrors and jumps there. Termination tables are not modelled.
 */
export const mlx5_eswitch_add_offloaded_rule = hop(FILE, function mlx5_eswitch_add_offloaded_rule(esw: Mlx5Eswitch, spec: Mlx5FlowSpec, attr: Mlx5FlowAttr): Mlx5FlowHandle | NegErrno {
  if (esw.mode !== 'MLX5_ESWITCH_OFFLOADS') return -EOPNOTSUPP;
  const chains = esw_chains(esw);
  const esw_attr = attr.esw_attr!;
  const flow_act: Mlx5FlowAct = { action: attr.action, flags: FLOW_ACT_NO_APPEND };
  // VLAN push parameters per pushed header (eswitch_offloads.c, v6.18).
  const ea = attr.esw_attr!;
  if (ea.total_vlan && ea.vlan_vid) {
    flow_act.vlan = ea.vlan_vid.map((vid, i) => ({ ethtype: ea.vlan_proto![i]!, vid, prio: ea.vlan_prio![i]! }));
  }
  const dest: Mlx5FlowDestination[] = [];

  if (flow_act.action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST) {
    const err = esw_setup_dests(dest, flow_act, esw, attr);
    if (err) return err;
  }
  if (flow_act.action & MLX5_FLOW_CONTEXT_ACTION_COUNT) {
    dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_COUNTER', counter: attr.counter! });
  }
  if (attr.outer_match_level !== MLX5_MATCH_NONE) spec.match_criteria_enable |= MLX5_MATCH_OUTER_HEADERS;
  if (attr.inner_match_level !== MLX5_MATCH_NONE) spec.match_criteria_enable |= MLX5_MATCH_INNER_HEADERS;
  // The shared modify-header context and the flow meter (eswitch_offloads.c, v6.18).
  if (flow_act.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR && attr.modify_hdr) flow_act.modify_hdr = attr.modify_hdr;
  if (flow_act.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO && attr.meter_attr?.meter) {
    flow_act.exe_aso = { type: 'MLX5_EXE_ASO_FLOW_METER', object_id: attr.meter_attr.meter.obj_id, offset: attr.meter_attr.meter.idx };
  }

  const split = esw_attr.split_count > 0;
  let fdb: Mlx5FlowTable | NegErrno;
  if (split) fdb = mlx5_esw_vporttbl_get(esw, fwd_attr_of(attr), FDB_PER_VPORT_LEVEL);
  else if (attr.chain || attr.prio) fdb = mlx5_chains_get_table(chains, attr.chain, attr.prio, 0);
  else fdb = attr.ft!;
  if (!(attr.flags & MLX5_ATTR_FLAG_NO_IN_PORT)) mlx5_eswitch_set_rule_source_port(esw, spec, esw_attr.in_rep.vport);
  if (typeof fdb === 'number') {
    esw_cleanup_dests(esw, attr);
    return fdb;
  }

  const rule = mlx5_add_flow_rules(fdb, spec, flow_act, dest);
  if (typeof rule === 'number') {
    if (split) mlx5_esw_vporttbl_put(esw, fwd_attr_of(attr));
    else if (attr.chain || attr.prio) mlx5_chains_put_table(chains, attr.chain, attr.prio, 0);
    esw_cleanup_dests(esw, attr);
    return rule;
  }
  esw.offloads.num_flows++;
  return rule;
}, { input: (_e, _s, a) => `chain ${a.chain} prio ${a.prio} in_vport ${a.esw_attr?.in_rep.vport}${a.esw_attr?.split_count ? ` split ${a.esw_attr.split_count}` : ''}`, result: (r) => (typeof r === 'number' ? undefined : `fte ${r.fte.index} of ft ${r.fte.fg.ft.id}`) });

/** mlx5_eswitch_del_offloaded_rule → __mlx5_eswitch_del_rule (eswitch_offloads.c, v6.18) */
export const mlx5_eswitch_del_offloaded_rule = hop(FILE, function mlx5_eswitch_del_offloaded_rule(esw: Mlx5Eswitch, rule: Mlx5FlowHandle, attr: Mlx5FlowAttr): void {
  mlx5_del_flow_rules(rule);
  esw.offloads.num_flows--;
  if (attr.esw_attr?.split_count) mlx5_esw_vporttbl_put(esw, fwd_attr_of(attr));
  else if (attr.chain || attr.prio) mlx5_chains_put_table(esw_chains(esw), attr.chain, attr.prio, 0);
  esw_cleanup_dests(esw, attr);
}, { input: (_e, r) => `fte ${r.fte.index}` });

/**
 * mlx5_eswitch_add_fwd_rule (eswitch_offloads.c, v6.18): in the chain's
 * table, the rule that sends to the outputs before the split (the mirrors)
 * and to the ingress vport's mirror table, where the rest of the rule is.
 */
export const mlx5_eswitch_add_fwd_rule = hop(FILE, function mlx5_eswitch_add_fwd_rule(esw: Mlx5Eswitch, spec: Mlx5FlowSpec, attr: Mlx5FlowAttr): Mlx5FlowHandle | NegErrno {
  const chains = esw_chains(esw);
  const esw_attr = attr.esw_attr!;
  const fast_fdb = mlx5_chains_get_table(chains, attr.chain, attr.prio, 0);
  if (typeof fast_fdb === 'number') return fast_fdb;
  const fwd_fdb = mlx5_esw_vporttbl_get(esw, fwd_attr_of(attr), FDB_PER_VPORT_LEVEL);
  if (typeof fwd_fdb === 'number') {
    mlx5_chains_put_table(chains, attr.chain, attr.prio, 0);
    return fwd_fdb;
  }
  const flow_act: Mlx5FlowAct = { action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, flags: FLOW_ACT_NO_APPEND | FLOW_ACT_IGNORE_FLOW_LEVEL };
  const dest: Mlx5FlowDestination[] = [];
  const merged = esw.dev.caps.esw.merged_eswitch;
  for (let i = 0; i < esw_attr.split_count; i++) {
    const d = esw_attr.dests[i]!;
    dest.push({
      type: 'MLX5_FLOW_DESTINATION_TYPE_VPORT',
      vport: merged ? { num: d.vport, vhca_id: d.mdev.caps.gen.vhca_id, flags: MLX5_FLOW_DEST_VPORT_VHCA_ID } : { num: d.vport, flags: 0 },
    });
  }
  dest.push({ type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: fwd_fdb });
  mlx5_eswitch_set_rule_source_port(esw, spec, esw_attr.in_rep.vport);
  if (attr.outer_match_level !== MLX5_MATCH_NONE) spec.match_criteria_enable |= MLX5_MATCH_OUTER_HEADERS;
  const rule = mlx5_add_flow_rules(fast_fdb, spec, flow_act, dest);
  if (typeof rule === 'number') {
    mlx5_esw_vporttbl_put(esw, fwd_attr_of(attr));
    mlx5_chains_put_table(chains, attr.chain, attr.prio, 0);
    return rule;
  }
  esw.offloads.num_flows++;
  return rule;
}, { input: (_e, _s, a) => `chain ${a.chain} prio ${a.prio} mirrors ${a.esw_attr?.split_count}`, result: (r) => (typeof r === 'number' ? undefined : `fte ${r.fte.index} of ft ${r.fte.fg.ft.id}`) });

/** mlx5_eswitch_del_fwd_rule → __mlx5_eswitch_del_rule(fwd_rule) (eswitch_offloads.c, v6.18) */
export const mlx5_eswitch_del_fwd_rule = hop(FILE, function mlx5_eswitch_del_fwd_rule(esw: Mlx5Eswitch, rule: Mlx5FlowHandle, attr: Mlx5FlowAttr): void {
  mlx5_del_flow_rules(rule);
  esw.offloads.num_flows--;
  mlx5_esw_vporttbl_put(esw, fwd_attr_of(attr));
  mlx5_chains_put_table(esw_chains(esw), attr.chain, attr.prio, 0);
}, { input: (_e, r) => `fte ${r.fte.index}` });
