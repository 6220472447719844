// core/en/tc/post_act.c: the post-action table. A rule split by a
// multi-table action (ct) continues here: the part before the split writes
// an id (fte_id) into reg_c_5 and jumps to this table, whose rule for that
// id carries the rest of the filter's actions.
import { hop } from '../../../../trace/hop';
import { EOPNOTSUPP, ENOSPC, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import { mlx5_flow_spec_zero, type Mlx5FlowNamespaceType } from '../../../../kernel/include/linux/mlx5/fs';
import { netdev_printk } from '../../../../kernel/include/linux/netdevice';
import type { Mlx5ePriv } from '../../en';
import type { Mlx5FlowHandle, Mlx5FlowTable } from '../../fs_core';
import { mlx5_chains_create_global_table, mlx5_chains_destroy_global_table, type Mlx5FsChains } from '../../lib/fs_chains';
import { mlx5e_reg_mapping_mask, mlx5e_tc_match_to_reg_match, mlx5e_tc_match_to_reg_set } from '../../en_tc_reg';
import { mlx5e_tc_rule_offload, mlx5e_tc_rule_unoffload } from '../../en_tc';
import { MLX5_MATCH_NONE, type Mlx5FlowAttr, type Mlx5ModHdrAction } from '../tc_priv';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/post_act.c';

/** struct mlx5e_post_act */
export interface Mlx5ePostAct {
  ns_type: Mlx5FlowNamespaceType;
  chains: Mlx5FsChains;
  ft: Mlx5FlowTable;
  priv: Mlx5ePriv;
  /** ids: fte_id → post attr (XA_FLAGS_ALLOC1). */
  ids: Map<number, Mlx5FlowAttr>;
}

/** struct mlx5e_post_act_handle */
export interface Mlx5ePostActHandle {
  ns_type: Mlx5FlowNamespaceType;
  attr: Mlx5FlowAttr;
  rule: Mlx5FlowHandle | null;
  id: number;
}

/**
 * mlx5e_tc_post_act_init (core/en/tc/post_act.c, v6.18): needs
 * ignore_flow_level on the namespace's table type; the table is a chains
 * global table.
 */
export const mlx5e_tc_post_act_init = hop(FILE, function mlx5e_tc_post_act_init(priv: Mlx5ePriv, chains: Mlx5FsChains, ns_type: Mlx5FlowNamespaceType): Mlx5ePostAct | NegErrno {
  const caps = priv.mdev.caps;
  const ignore_flow_level = ns_type === 'MLX5_FLOW_NAMESPACE_FDB' ? caps.esw_flow_table_fdb.ignore_flow_level : caps.flow_table_nic_rx.ignore_flow_level;
  if (!ignore_flow_level) {
    priv.mdev.net.printk('warn', `${priv.mdev.device}: mlx5e_tc_post_act_init:40:(pid ${priv.mdev.drv.pid}): firmware level support is missing`);
    return -EOPNOTSUPP;
  }
  const ft = mlx5_chains_create_global_table(chains);
  if (typeof ft === 'number') {
    priv.mdev.net.printk('warn', `${priv.mdev.device}: mlx5e_tc_post_act_init:53:(pid ${priv.mdev.drv.pid}): failed to create post action table, err: ${ft}`);
    return ft;
  }
  return { ns_type, chains, ft, priv, ids: new Map() };
}, { input: (p, _c, ns) => `${p.netdev.name} ${ns.replace('MLX5_FLOW_NAMESPACE_', '')}`, result: (r) => (typeof r === 'number' ? undefined : `ft ${r.ft.id}`) });

/** mlx5e_tc_post_act_destroy (core/en/tc/post_act.c, v6.18) */
export const mlx5e_tc_post_act_destroy = hop(FILE, function mlx5e_tc_post_act_destroy(post_act: Mlx5ePostAct): void {
  post_act.ids.clear();
  mlx5_chains_destroy_global_table(post_act.chains, post_act.ft);
}, { input: (pa) => `ft ${pa.ft.id}` });

/** MLX5_POST_ACTION_MAX: the largest fte_id reg_c_5 carries. */
const MLX5_POST_ACTION_MAX = mlx5e_reg_mapping_mask('FTEID_TO_REG');

/**
 * mlx5e_tc_post_act_add (core/en/tc/post_act.c, v6.18): a copy of the
 * attr for the post-action table (chain 0, prio 0, no match levels, no
 * split) and the lowest free fte_id.
 */
export const mlx5e_tc_post_act_add = hop(FILE, function mlx5e_tc_post_act_add(post_act: Mlx5ePostAct, attr: Mlx5FlowAttr): Mlx5ePostActHandle | NegErrno {
  const post_attr: Mlx5FlowAttr = {
    ...attr, chain: 0, prio: 0, ft: post_act.ft, inner_match_level: MLX5_MATCH_NONE, outer_match_level: MLX5_MATCH_NONE,
    // Splits were handled before post action.
    esw_attr: attr.esw_attr ? { ...attr.esw_attr, split_count: 0 } : null,
  };
  let id = 1;
  while (post_act.ids.has(id)) id++;
  if (id > MLX5_POST_ACTION_MAX) return -ENOSPC;
  post_act.ids.set(id, post_attr);
  return { ns_type: post_act.ns_type, attr: post_attr, rule: null, id };
}, { result: (r) => (typeof r === 'number' ? undefined : `fte_id ${r.id}`) });

/** mlx5e_tc_post_act_offload (core/en/tc/post_act.c, v6.18): the rule matches its fte_id. */
export const mlx5e_tc_post_act_offload = hop(FILE, function mlx5e_tc_post_act_offload(post_act: Mlx5ePostAct, handle: Mlx5ePostActHandle): 0 | NegErrno {
  const spec = mlx5_flow_spec_zero();
  // Post action rule matches on fte_id and executes original rule's tc rule action.
  mlx5e_tc_match_to_reg_match(spec, 'FTEID_TO_REG', handle.id, MLX5_POST_ACTION_MAX);
  const rule = mlx5e_tc_rule_offload(post_act.priv, spec, handle.attr);
  if (typeof rule === 'number') {
    netdev_printk('warn', post_act.priv.netdev, 'Failed to add post action rule');
    return rule;
  }
  handle.rule = rule;
  return 0;
}, { input: (_pa, h) => `fte_id ${h.id}` });

/** mlx5e_tc_post_act_unoffload (core/en/tc/post_act.c, v6.18) */
export const mlx5e_tc_post_act_unoffload = hop(FILE, function mlx5e_tc_post_act_unoffload(post_act: Mlx5ePostAct, handle: Mlx5ePostActHandle): void {
  if (handle.rule) mlx5e_tc_rule_unoffload(post_act.priv, handle.rule, handle.attr);
  handle.rule = null;
}, { input: (_pa, h) => `fte_id ${h.id}` });

/** mlx5e_tc_post_act_del (core/en/tc/post_act.c, v6.18): the rule if offloaded, then the id. */
export const mlx5e_tc_post_act_del = hop(FILE, function mlx5e_tc_post_act_del(post_act: Mlx5ePostAct, handle: Mlx5ePostActHandle): void {
  if (handle.rule) mlx5e_tc_post_act_unoffload(post_act, handle);
  post_act.ids.delete(handle.id);
}, { input: (_pa, h) => `fte_id ${h.id}` });

/** mlx5e_tc_post_act_get_ft (core/en/tc/post_act.c) */
export function mlx5e_tc_post_act_get_ft(post_act: Mlx5ePostAct): Mlx5FlowTable {
  return post_act.ft;
}

/** mlx5e_tc_post_act_set_handle (core/en/tc/post_act.c, v6.18): write the handle's fte_id into reg_c_5. */
export function mlx5e_tc_post_act_set_handle(handle: Mlx5ePostActHandle, acts: Mlx5ModHdrAction[]): 0 | NegErrno {
  return mlx5e_tc_match_to_reg_set(acts, 'FTEID_TO_REG', handle.id);
}
