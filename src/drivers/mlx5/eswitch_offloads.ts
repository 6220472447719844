// core/eswitch_offloads.c: switchdev-mode FDB. Every TC rule lands in a
// chains table, also matches its ingress vport, and is never merged with
// another rule (FLOW_ACT_NO_APPEND).
import { hop } from '../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import {
  MLX5_FLOW_CONTEXT_ACTION_COUNT, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_SET, MLX5_SET_TO_ONES,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  MLX5_MATCH_INNER_HEADERS, MLX5_MATCH_MISC_PARAMETERS, MLX5_MATCH_OUTER_HEADERS,
} from '../../kernel/include/linux/mlx5/device';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, FLOW_ACT_NO_APPEND, MLX5_FLOW_DEST_VPORT_VHCA_ID,
  type Mlx5FlowAct, type Mlx5FlowDestination, type Mlx5FlowSpec,
} from '../../kernel/include/linux/mlx5/fs';
import {
  mlx5_add_flow_rules, mlx5_create_flow_table, mlx5_del_flow_rules, mlx5_flow_table_attr, mlx5_get_flow_namespace,
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
import type { Mlx5Eswitch } from './eswitch';

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
  const table_size = MLX5_MAX_PORTS * (esw.total_vports * MAX_SQ_NVPORTS + MAX_PF_SQ)
    + esw.total_vports * MLX5_MAX_PORTS + MLX5_ESW_MISS_FLOWS;
  const fdb = mlx5_create_flow_table(root_ns, mlx5_flow_table_attr({ level: FDB_SLOW_PATH_LEVEL, max_fte: table_size }));
  if (typeof fdb === 'number') {
    esw_warn(esw, `Failed to create slow path FDB Table err ${fdb}`);
    return fdb;
  }
  esw.offloads.slow_fdb = fdb;
  const miss = mlx5_create_flow_table(root_ns, mlx5_flow_table_attr({ level: FDB_TC_MISS_LEVEL, next_ft: fdb }));
  if (typeof miss === 'number') {
    esw_warn(esw, `Failed to create TC miss FDB Table err ${miss}`);
    return miss;
  }
  esw.offloads.tc_miss_table = miss;
  const err = esw_chains_create(esw, miss);
  if (err) esw_warn(esw, `Failed to open fdb chains err(${err})`);
  return err;
});

/** esw_offloads_enable (eswitch_offloads.c): switch the eswitch to switchdev. */
export const esw_offloads_enable = hop(FILE, function esw_offloads_enable(esw: Mlx5Eswitch): 0 | NegErrno {
  const err = esw_create_offloads_fdb_tables(esw);
  if (err) return err;
  esw.mode = 'MLX5_ESWITCH_OFFLOADS';
  return 0;
});

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

/**
 * mlx5_eswitch_add_offloaded_rule (eswitch_offloads.c, v6.18). Split
 * (mirror) rules, termination tables, VLAN push and meters are not modelled.
 */
export const mlx5_eswitch_add_offloaded_rule = hop(FILE, function mlx5_eswitch_add_offloaded_rule(esw: Mlx5Eswitch, spec: Mlx5FlowSpec, attr: Mlx5FlowAttr): Mlx5FlowHandle | NegErrno {
  if (esw.mode !== 'MLX5_ESWITCH_OFFLOADS') return -EOPNOTSUPP;
  const chains = esw_chains(esw);
  const esw_attr = attr.esw_attr!;
  const flow_act: Mlx5FlowAct = { action: attr.action, flags: FLOW_ACT_NO_APPEND };
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

  let fdb: Mlx5FlowTable | NegErrno;
  if (attr.chain || attr.prio) fdb = mlx5_chains_get_table(chains, attr.chain, attr.prio, 0);
  else fdb = attr.ft!;
  if (!(attr.flags & MLX5_ATTR_FLAG_NO_IN_PORT)) mlx5_eswitch_set_rule_source_port(esw, spec, esw_attr.in_rep.vport);
  if (typeof fdb === 'number') {
    esw_cleanup_dests(esw, attr);
    return fdb;
  }

  const rule = mlx5_add_flow_rules(fdb, spec, flow_act, dest);
  if (typeof rule === 'number') {
    if (attr.chain || attr.prio) mlx5_chains_put_table(chains, attr.chain, attr.prio, 0);
    esw_cleanup_dests(esw, attr);
    return rule;
  }
  esw.offloads.num_flows++;
  return rule;
}, { input: (_e, _s, a) => `chain ${a.chain} prio ${a.prio} in_vport ${a.esw_attr?.in_rep.vport}`, result: (r) => (typeof r === 'number' ? undefined : `fte ${r.fte.index} of ft ${r.fte.fg.ft.id}`) });

/** mlx5_eswitch_del_offloaded_rule → __mlx5_eswitch_del_rule (eswitch_offloads.c, v6.18) */
export const mlx5_eswitch_del_offloaded_rule = hop(FILE, function mlx5_eswitch_del_offloaded_rule(esw: Mlx5Eswitch, rule: Mlx5FlowHandle, attr: Mlx5FlowAttr): void {
  mlx5_del_flow_rules(rule);
  esw.offloads.num_flows--;
  if (attr.chain || attr.prio) mlx5_chains_put_table(esw_chains(esw), attr.chain, attr.prio, 0);
  esw_cleanup_dests(esw, attr);
}, { input: (_e, r) => `fte ${r.fte.index}` });
