// steering/sws/fs_dr.c: the software-managed steering backend (SMFS,
// struct mlx5_flow_cmds mlx5_flow_cmds_dr). Tables are sw-owned firmware
// tables, groups are matchers and FTEs are rules written as STEs into
// steering ICM; termination tables stay on the firmware backend.
import { hop } from '../../../../trace/hop';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import {
  MLX5_FLOW_CONTEXT_ACTION_COUNT, MLX5_FLOW_CONTEXT_ACTION_DROP, MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO,
  MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_FLOW_CONTEXT_ACTION_MOD_HDR, MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT,
  mlx5_flow_context_action_names,
  type Mlx5IfcModifyAction,
} from '../../../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, MLX5_FLOW_TABLE_TERMINATION, type Mlx5FlowNamespaceType, type Mlx5ModifyHdr,
} from '../../../../kernel/include/linux/mlx5/fs';
import type { SteRuleContent } from '../../../../hw/mlx5/icm';
import type { Mlx5CoreDev } from '../../mlx5_core';
import type { FsFte, Mlx5FlowGroup, Mlx5FlowGroupIn, Mlx5FlowRootNamespace, Mlx5FlowTable, Mlx5FlowTableAttr, Mlx5PktReformat } from '../../fs_core';
import { mlx5_flow_cmds, type Mlx5FlowCmds } from '../../fs_cmd';
import type { Mlx5drAction, Mlx5drDomain } from './dr_types';
import { mlx5dr_domain_create, mlx5dr_domain_destroy, mlx5dr_is_supported } from './dr_domain';
import { mlx5dr_table_create, mlx5dr_table_destroy, mlx5dr_table_set_miss_action } from './dr_table';
import { mlx5dr_matcher_create, mlx5dr_matcher_destroy } from './dr_matcher';
import { mlx5dr_rule_create, mlx5dr_rule_destroy } from './dr_rule';
import { mlx5dr_action_create_modify_header, mlx5dr_action_create_mult_dest_tbl, mlx5dr_action_destroy, mlx5dr_cmd_create_reformat_ctx } from './dr_action';
import type { Mlx5drCmdFlowDestinationHwInfo } from './dr_types';
import { mlx5_core_err, mlx5dr_err } from './dr_dbg';
import { declareBranch } from '../../../../trace/branch';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/fs_dr.c';

/** INT_MAX: a sw-owned table has no size of its own (mlx5_cmd_dr_create_flow_table). */
const INT_MAX = 0x7fffffff;

/** enum mlx5_reformat_ctx_type (mlx5_ifc.h): the encap kinds software steering builds as L2_TO_TNL_L2/L3. */
const MLX5_REFORMAT_TYPE_L2_TO_VXLAN = 0x0;
const MLX5_REFORMAT_TYPE_L2_TO_NVGRE = 0x1;
const MLX5_REFORMAT_TYPE_L2_TO_L2_TUNNEL = 0x2;
const MLX5_REFORMAT_TYPE_L2_TO_L3_TUNNEL = 0x4;

// Counted by the coverage report: a termination table on firmware commands; a FW-owned reformat in a SW rule.
const mlx5_cmd_dr_create_fte_fw_term = declareBranch(FILE, 'mlx5_cmd_dr_create_fte', 'fw_term_table');
const mlx5_cmd_dr_create_fte_fw_reformat = declareBranch(FILE, 'mlx5_cmd_dr_create_fte', 'fw_owned_reformat');

/** mlx5_fs_dr_is_supported (steering/sws/fs_dr.c, v6.18) */
export function mlx5_fs_dr_is_supported(dev: Mlx5CoreDev): boolean {
  return mlx5dr_is_supported(dev);
}

/** mlx5_fs_cmd_is_fw_term_table (core/fs_cmd.c, v6.18): termination tables stay firmware-owned. */
function mlx5_fs_cmd_is_fw_term_table(ft: Mlx5FlowTable): boolean {
  return (ft.flags & MLX5_FLOW_TABLE_TERMINATION) !== 0;
}

function domain(ns: Mlx5FlowRootNamespace): Mlx5drDomain {
  const d = ns.fs_dr_domain?.dr_domain;
  if (!d) throw new Error('fs_dr: namespace without a software-steering domain');
  return d;
}

/** mlx5_cmd_dr_create_ns (steering/sws/fs_dr.c, v6.18) */
export const mlx5_cmd_dr_create_ns = hop(FILE, function mlx5_cmd_dr_create_ns(ns: Mlx5FlowRootNamespace): 0 | NegErrno {
  const dr_domain = mlx5dr_domain_create(ns.dev, 'MLX5DR_DOMAIN_TYPE_FDB');
  if (!dr_domain) {
    mlx5_core_err(ns.dev, 'mlx5_cmd_dr_create_ns', 807, 'Failed to create dr flow namespace');
    return -EOPNOTSUPP;
  }
  ns.fs_dr_domain = { dr_domain };
  return 0;
});

/** mlx5_cmd_dr_destroy_ns (steering/sws/fs_dr.c, v6.18) */
export const mlx5_cmd_dr_destroy_ns = hop(FILE, function mlx5_cmd_dr_destroy_ns(ns: Mlx5FlowRootNamespace): 0 | NegErrno {
  const err = mlx5dr_domain_destroy(domain(ns));
  if (!err) ns.fs_dr_domain = { dr_domain: null };
  return err;
});

/** set_miss_action (steering/sws/fs_dr.c, v6.18): the next table's start, or the domain default. */
function set_miss_action(ft: Mlx5FlowTable, next_ft: Mlx5FlowTable | null): 0 | NegErrno {
  const next_tbl = next_ft?.fs_dr_table?.dr_table ?? null;
  const action: Mlx5drAction | null = next_tbl ? { action_type: 'DR_ACTION_TYP_FT', id: next_tbl.table_id } : null;
  const err = mlx5dr_table_set_miss_action(ft.fs_dr_table!.dr_table!, action);
  ft.fs_dr_table!.miss_action = err ? null : action;
  return err;
}

/**
 * mlx5_cmd_dr_create_flow_table (steering/sws/fs_dr.c, v6.18): no table
 * pool — the table has INT_MAX entries; a miss leads to next_ft.
 */
export const mlx5_cmd_dr_create_flow_table = hop(FILE, function mlx5_cmd_dr_create_flow_table(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, ft_attr: Mlx5FlowTableAttr, next_ft: Mlx5FlowTable | null): 0 | NegErrno {
  if (mlx5_fs_cmd_is_fw_term_table(ft)) return mlx5_flow_cmds.create_flow_table(ns, ft, ft_attr, next_ft);
  const tbl = mlx5dr_table_create(domain(ns), ft.level, ft.flags);
  if (!tbl) {
    mlx5_core_err(ns.dev, 'mlx5_cmd_dr_create_flow_table', 78, 'Failed creating dr flow_table');
    return -EINVAL;
  }
  ft.fs_dr_table = { dr_table: tbl, miss_action: null };
  ft.id = tbl.table_id;
  if (next_ft) {
    const err = set_miss_action(ft, next_ft);
    if (err) {
      mlx5dr_table_destroy(tbl);
      ft.fs_dr_table = { dr_table: null, miss_action: null };
      return err;
    }
  }
  ft.max_fte = INT_MAX;
  return 0;
}, { input: (_ns, ft, a) => `level ${ft.level} max_fte ${a.max_fte}` });

/** mlx5_cmd_dr_destroy_flow_table (steering/sws/fs_dr.c, v6.18) */
export const mlx5_cmd_dr_destroy_flow_table = hop(FILE, function mlx5_cmd_dr_destroy_flow_table(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable): 0 | NegErrno {
  if (mlx5_fs_cmd_is_fw_term_table(ft)) return mlx5_flow_cmds.destroy_flow_table(ns, ft);
  const err = mlx5dr_table_destroy(ft.fs_dr_table!.dr_table!);
  if (err) {
    mlx5_core_err(ns.dev, 'mlx5_cmd_dr_destroy_flow_table', 110, `Failed to destroy flow_table (${err})`);
    return err;
  }
  ft.fs_dr_table = { dr_table: null, miss_action: null };
  return 0;
}, { input: (_ns, ft) => `table_id ${ft.id}` });

/** mlx5_cmd_dr_create_flow_group (steering/sws/fs_dr.c, v6.18): a matcher whose priority is the group's start index. */
export const mlx5_cmd_dr_create_flow_group = hop(FILE, function mlx5_cmd_dr_create_flow_group(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg_in: Mlx5FlowGroupIn, fg: Mlx5FlowGroup): 0 | NegErrno {
  if (mlx5_fs_cmd_is_fw_term_table(ft)) return mlx5_flow_cmds.create_flow_group(ns, ft, fg_in, fg);
  const matcher = mlx5dr_matcher_create(ft.fs_dr_table!.dr_table!, fg_in.start_flow_index, fg_in.match_criteria_enable, fg_in.match_criteria);
  if (!matcher) {
    mlx5_core_err(ns.dev, 'mlx5_cmd_dr_create_flow_group', 162, 'Failed creating matcher');
    return -EINVAL;
  }
  fg.fs_dr_matcher = { dr_matcher: matcher };
  return 0;
}, { input: (_ns, ft, i) => `table_id ${ft.id} priority ${i.start_flow_index}` });

/** mlx5_cmd_dr_destroy_flow_group (steering/sws/fs_dr.c, v6.18) */
export const mlx5_cmd_dr_destroy_flow_group = hop(FILE, function mlx5_cmd_dr_destroy_flow_group(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg: Mlx5FlowGroup): 0 | NegErrno {
  if (mlx5_fs_cmd_is_fw_term_table(ft)) return mlx5_flow_cmds.destroy_flow_group(ns, ft, fg);
  const err = mlx5dr_matcher_destroy(fg.fs_dr_matcher!.dr_matcher!);
  if (!err) fg.fs_dr_matcher = { dr_matcher: null };
  return err;
}, { input: (_ns, ft, fg) => `table_id ${ft.id} priority ${fg.start_index}` });

/** The DR actions a rule owns, freed in reverse order (dependencies first). */
function dr_actions_destroy(dmn: Mlx5drDomain, actions: Mlx5drAction[]): void {
  for (let i = actions.length - 1; i >= 0; i--) mlx5dr_action_destroy(dmn, actions[i]!);
}

/**
 * mlx5_cmd_dr_create_fte (steering/sws/fs_dr.c, v6.18): the FTE's actions
 * become DR actions and the rule is written as STEs. A firmware-owned
 * reformat cannot serve a software rule; several forward destinations go
 * through a firmware multi-destination table (mlx5dr_action_create_mult_dest_tbl).
 */
export const mlx5_cmd_dr_create_fte = hop(FILE, function mlx5_cmd_dr_create_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, group: Mlx5FlowGroup, fte: FsFte): 0 | NegErrno {
  if (mlx5_cmd_dr_create_fte_fw_term(mlx5_fs_cmd_is_fw_term_table(ft))) return mlx5_flow_cmds.create_fte(ns, ft, group, fte);
  const dmn = domain(ns);
  const act = fte.action;
  const fail = (err: NegErrno): NegErrno => {
    mlx5_core_err(ns.dev, 'mlx5_cmd_dr_create_fte', 630, `Failed to create dr rule err(${err})`);
    return err;
  };
  const content: SteRuleContent = {
    priority: group.start_index, index: fte.index, match_criteria_enable: group.mask.match_criteria_enable,
    match_value: { ...fte.val }, action: mlx5_flow_context_action_names(act.action), destinations: [], flow_tag: fte.flow_context.flow_tag,
  };
  if (act.action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT) {
    const pr = act.pkt_reformat as Partial<Mlx5PktReformat> | undefined;
    if (mlx5_cmd_dr_create_fte_fw_reformat(pr?.owner !== 'sw')) {
      mlx5dr_err(dmn, 'mlx5_cmd_dr_create_fte', 339, "FW-owned reformat can't be used in SW rule");
      return fail(-EINVAL);
    }
    content.packet_reformat_id = pr!.id!;
  }
  if (act.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) content.modify_header_id = act.modify_hdr?.id ?? 0;
  const term: Mlx5drCmdFlowDestinationHwInfo[] = [];
  if (act.action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST) {
    for (const r of fte.rules) {
      const d = r.dest_attr;
      if (!d || d.type === 'MLX5_FLOW_DESTINATION_TYPE_COUNTER') continue;
      if (d.type === 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE') term.push({ type: 'FLOW_TABLE', id: d.ft!.id });
      else if (d.type === 'MLX5_FLOW_DESTINATION_TYPE_VPORT') term.push({ type: 'VPORT', id: d.vport!.num });
      // A TIR is not an FDB destination.
      else return fail(-EOPNOTSUPP);
    }
  }
  const dr_actions: Mlx5drAction[] = [];
  if (term.length === 1) content.destinations.push({ ...term[0]! });
  else if (term.length > 1) {
    const md = mlx5dr_action_create_mult_dest_tbl(dmn, term, (act.flags & FLOW_ACT_IGNORE_FLOW_LEVEL) !== 0, fte.flow_context.flow_source);
    if (!md) return fail(-EOPNOTSUPP);
    dr_actions.push(md);
    content.destinations.push({ type: 'FLOW_TABLE', id: md.id });
  }
  if (act.action & MLX5_FLOW_CONTEXT_ACTION_COUNT) {
    for (const r of fte.rules) {
      const d = r.dest_attr;
      if (d?.type === 'MLX5_FLOW_DESTINATION_TYPE_COUNTER') content.destinations.push({ type: 'COUNTER', id: d.counter!.id });
    }
  }
  if (act.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO) {
    if (act.exe_aso?.type !== 'MLX5_EXE_ASO_FLOW_METER') return fail(-EOPNOTSUPP);
    content.exe_aso_object_id = act.exe_aso.object_id;
  }
  const rule = mlx5dr_rule_create(group.fs_dr_matcher!.dr_matcher!, fte.val, content, fte.flow_context.flow_source);
  if (!rule) {
    dr_actions_destroy(dmn, dr_actions);
    return fail(-EINVAL);
  }
  fte.fs_dr_rule = { dr_rule: rule, dr_actions };
  return 0;
}, { input: (_ns, ft, _g, fte) => `table_id ${ft.id} index ${fte.index}` });

/** mlx5_cmd_dr_delete_fte (steering/sws/fs_dr.c, v6.18) */
export const mlx5_cmd_dr_delete_fte = hop(FILE, function mlx5_cmd_dr_delete_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fte: FsFte): 0 | NegErrno {
  if (mlx5_fs_cmd_is_fw_term_table(ft)) return mlx5_flow_cmds.delete_fte(ns, ft, fte);
  const rule = fte.fs_dr_rule?.dr_rule;
  if (!rule) return 0;
  const err = mlx5dr_rule_destroy(rule);
  if (err) return err;
  dr_actions_destroy(domain(ns), fte.fs_dr_rule!.dr_actions);
  fte.fs_dr_rule = { dr_rule: null, dr_actions: [] };
  return 0;
}, { input: (_ns, ft, fte) => `table_id ${ft.id} index ${fte.index}` });

/** mlx5_cmd_dr_update_fte (steering/sws/fs_dr.c, v6.18): the new rule first, then the old one goes. */
export const mlx5_cmd_dr_update_fte = hop(FILE, function mlx5_cmd_dr_update_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, group: Mlx5FlowGroup, modify_mask: number, fte: FsFte): 0 | NegErrno {
  if (mlx5_fs_cmd_is_fw_term_table(ft)) return mlx5_flow_cmds.update_fte(ns, ft, group, modify_mask, fte);
  const old = fte.fs_dr_rule;
  const ret = mlx5_cmd_dr_create_fte(ns, ft, group, fte);
  if (ret) {
    fte.fs_dr_rule = old;
    return ret;
  }
  if (!old?.dr_rule) return 0;
  const err = mlx5dr_rule_destroy(old.dr_rule);
  if (!err) dr_actions_destroy(domain(ns), old.dr_actions);
  return err;
}, { input: (_ns, ft, _g, _m, fte) => `table_id ${ft.id} index ${fte.index}` });

/** mlx5_cmd_dr_modify_header_alloc (steering/sws/fs_dr.c, v6.18): a software-owned rewrite in action ICM. */
export const mlx5_cmd_dr_modify_header_alloc = hop(FILE, function mlx5_cmd_dr_modify_header_alloc(ns: Mlx5FlowRootNamespace, _namespace: Mlx5FlowNamespaceType, num_actions: number, _modify_actions: Mlx5IfcModifyAction[], modify_hdr: Mlx5ModifyHdr): 0 | NegErrno {
  const action = mlx5dr_action_create_modify_header(domain(ns), num_actions);
  if (!action) {
    mlx5_core_err(ns.dev, 'mlx5_cmd_dr_modify_header_alloc', 705, 'Failed allocating modify-header action');
    return -EINVAL;
  }
  modify_hdr.id = action.id;
  modify_hdr.owner = 'sw';
  modify_hdr.fs_dr_action = action;
  return 0;
}, { input: (_ns, namespace, n) => `${namespace.replace('MLX5_FLOW_NAMESPACE_', '')} num_actions ${n}` });

/** mlx5_cmd_dr_modify_header_dealloc (steering/sws/fs_dr.c, v6.18) */
export const mlx5_cmd_dr_modify_header_dealloc = hop(FILE, function mlx5_cmd_dr_modify_header_dealloc(ns: Mlx5FlowRootNamespace, modify_hdr: Mlx5ModifyHdr): void {
  const a = modify_hdr.fs_dr_action as Mlx5drAction | undefined;
  if (a) mlx5dr_action_destroy(domain(ns), a);
}, { input: (_ns, m) => `modify_header_id ${m.id}` });

/**
 * mlx5_cmd_dr_packet_reformat_alloc (steering/sws/fs_dr.c, v6.18): encap
 * kinds become an L2-to-tunnel DR action (a firmware reformat context);
 * other kinds are not modelled here.
 */
export const mlx5_cmd_dr_packet_reformat_alloc = hop(FILE, function mlx5_cmd_dr_packet_reformat_alloc(ns: Mlx5FlowRootNamespace,
  params: { type: number; param_0?: number; size: number; data: Uint8Array }, _namespace: Mlx5FlowNamespaceType, pkt_reformat: Mlx5PktReformat): 0 | NegErrno {
  switch (params.type) {
    case MLX5_REFORMAT_TYPE_L2_TO_VXLAN:
    case MLX5_REFORMAT_TYPE_L2_TO_NVGRE:
    case MLX5_REFORMAT_TYPE_L2_TO_L2_TUNNEL:
    case MLX5_REFORMAT_TYPE_L2_TO_L3_TUNNEL:
      break;
    default:
      mlx5_core_err(ns.dev, 'mlx5_cmd_dr_packet_reformat_alloc', 662, `Packet-reformat not supported(${params.type})`);
      return -EOPNOTSUPP;
  }
  // mlx5dr_action_create_packet_reformat → dr_action_create_reformat_action
  const { err, id } = mlx5dr_cmd_create_reformat_ctx(domain(ns), params.type, params.param_0 ?? 0, params.data);
  if (err) {
    mlx5_core_err(ns.dev, 'mlx5_cmd_dr_packet_reformat_alloc', 674, 'Failed allocating packet-reformat action');
    return -EINVAL;
  }
  pkt_reformat.id = id;
  pkt_reformat.owner = 'sw';
  return 0;
}, { input: (_ns, p) => `type ${p.type} size ${p.size}` });

/** mlx5_cmd_dr_packet_reformat_dealloc (steering/sws/fs_dr.c, v6.18) */
export const mlx5_cmd_dr_packet_reformat_dealloc = hop(FILE, function mlx5_cmd_dr_packet_reformat_dealloc(ns: Mlx5FlowRootNamespace, pkt_reformat: Mlx5PktReformat): void {
  mlx5dr_action_destroy(domain(ns), { action_type: 'DR_ACTION_TYP_L2_TO_TNL_L2', id: pkt_reformat.id });
}, { input: (_ns, r) => `packet_reformat_id ${r.id}` });

/** mlx5_flow_cmds_dr (steering/sws/fs_dr.c, v6.18) */
const mlx5_flow_cmds_dr = {
  create_flow_table: mlx5_cmd_dr_create_flow_table,
  destroy_flow_table: mlx5_cmd_dr_destroy_flow_table,
  create_flow_group: mlx5_cmd_dr_create_flow_group,
  destroy_flow_group: mlx5_cmd_dr_destroy_flow_group,
  create_fte: mlx5_cmd_dr_create_fte,
  update_fte: mlx5_cmd_dr_update_fte,
  delete_fte: mlx5_cmd_dr_delete_fte,
  modify_header_alloc: mlx5_cmd_dr_modify_header_alloc,
  modify_header_dealloc: mlx5_cmd_dr_modify_header_dealloc,
  packet_reformat_alloc: mlx5_cmd_dr_packet_reformat_alloc,
  packet_reformat_dealloc: mlx5_cmd_dr_packet_reformat_dealloc,
  create_ns: mlx5_cmd_dr_create_ns,
  destroy_ns: mlx5_cmd_dr_destroy_ns,
} satisfies Mlx5FlowCmds;

/** mlx5_fs_cmd_get_dr_cmds (steering/sws/fs_dr.c, v6.18) */
export function mlx5_fs_cmd_get_dr_cmds(): Mlx5FlowCmds {
  return mlx5_flow_cmds_dr;
}
