// core/fs_core.c: the flow-steering core. Tables, groups and FTEs are
// software objects mirrored to hardware through the root's backend command
// table (root->cmds; DMFS = firmware commands, fs_cmd.ts).
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { EINVAL, ENOENT, ENOSPC, EOPNOTSUPP, EPERM, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import {
  FS_FT_FDB, FS_FT_NIC_RX, FS_FT_NIC_TX, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_FLOW_CONTEXT_ACTION_DROP,
  MLX5_FLOW_CONTEXT_ACTION_ALLOW, MLX5_FLOW_CONTEXT_ACTION_COUNT, mlx5_flow_context_action_names,
  fte_match_value_outside_criteria, fte_match_param_key,
  type FsFlowTableType, type FteMatchParam,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, mlx5_flow_spec_zero,
  type Mlx5FlowAct, type Mlx5FlowContext, type Mlx5FlowDestination, type Mlx5FlowSpec, type Mlx5FlowTableRef,
  type Mlx5FlowNamespaceType,
} from '../../kernel/include/linux/mlx5/fs';
import type { Mlx5CoreDev } from './mlx5_core';
import { mlx5_flow_cmds, type Mlx5FlowCmds } from './fs_cmd';
import type { Mlx5drAction, Mlx5drDomain, Mlx5drMatcher, Mlx5drRule, Mlx5drTable } from './steering/sws/dr_types';
import { mlx5_fs_cmd_get_dr_cmds, mlx5_fs_dr_is_supported } from './steering/sws/fs_dr';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/fs_core.c';

// core/fs_core.c (v6.18)
const MAX_FLOW_GROUP_SIZE = 1 << 24;

/** enum mlx5_flow_steering_mode (hmfs: no modelled device has hardware steering). */
export type Mlx5FlowSteeringMode = 'dmfs' | 'smfs';

/** struct mlx5_flow_root_namespace */
export interface Mlx5FlowRootNamespace {
  dev: Mlx5CoreDev;
  table_type: FsFlowTableType;
  cmds: Mlx5FlowCmds;
  /** The backend cmds belongs to (root->mode). */
  mode: Mlx5FlowSteeringMode;
  /** fs_dr_domain: the software-steering domain while mode is smfs. */
  fs_dr_domain?: { dr_domain: Mlx5drDomain | null };
}

/** struct mlx5_flow_steering */
export interface Mlx5FlowSteering {
  /**
   * The devlink flow_steering_mode value: the backend the FDB root takes
   * when the eswitch enters switchdev (esw_create_offloads_fdb_tables);
   * NIC tables always use firmware commands.
   */
  mode: Mlx5FlowSteeringMode;
  root_ns: Mlx5FlowRootNamespace;
  fdb_root_ns: Mlx5FlowRootNamespace;
}

/**
 * struct mlx5_flow_table_attr. The fs_core namespace/priority tree is not
 * modelled: callers give the absolute firmware level, and the table a
 * managed table would be chained to (find_next_chained_ft) as next_ft.
 */
export interface Mlx5FlowTableAttr {
  level: number;
  max_fte: number;
  flags: number;
  next_ft: Mlx5FlowTable | null;
  autogroup: { max_num_groups: number; num_reserved_entries: number };
}

export function mlx5_flow_table_attr(a: Partial<Mlx5FlowTableAttr> & { level: number }): Mlx5FlowTableAttr {
  return { max_fte: 0, flags: 0, next_ft: null, autogroup: { max_num_groups: 0, num_reserved_entries: 0 }, ...a };
}

/** struct mlx5_flow_table */
export interface Mlx5FlowTable extends Mlx5FlowTableRef {
  id: number;
  type: FsFlowTableType;
  level: number;
  max_fte: number;
  flags: number;
  root: Mlx5FlowRootNamespace;
  autogroup: { active: boolean; required_groups: number; max_fte: number; group_size: number; num_groups: number };
  /** Groups, sorted by start_index. */
  fgs: Mlx5FlowGroup[];
  /** fgs_hash: groups by mask, each list in start_index order (made by the first group). */
  fgs_hash?: Map<string, Mlx5FlowGroup[]>;
  /**
   * Where alloc_auto_flow_group's first-fit walk may resume: every gap below
   * fgs[i] is smaller than `size`, and `candidate` is the end of fgs[i - 1].
   */
  fg_fit_hint?: { i: number; candidate: number; size: number };
  /** fs_dr_table: the software-steering table behind a smfs table. */
  fs_dr_table?: { dr_table: Mlx5drTable | null; miss_action: Mlx5drAction | null };
}

/** struct mlx5_flow_group */
export interface Mlx5FlowGroup {
  id: number;
  ft: Mlx5FlowTable;
  start_index: number;
  max_ftes: number;
  mask: { match_criteria_enable: number; match_criteria: FteMatchParam };
  ftes: Map<number, FsFte>;
  /** Created by alloc_auto_flow_group: destroyed with its last FTE. */
  auto: boolean;
  /** ida_alloc_max's lowest free index may not be below this (offset in the group). */
  ida_hint: number;
  active: boolean;
  /** fs_dr_matcher: the software-steering matcher behind a smfs group. */
  fs_dr_matcher?: { dr_matcher: Mlx5drMatcher | null };
}

/** struct mlx5_flow_rule: one destination of an FTE. */
export interface Mlx5FlowRule {
  dest_attr: Mlx5FlowDestination | null;
}

/** struct fs_fte */
export interface FsFte {
  index: number;
  fg: Mlx5FlowGroup;
  val: FteMatchParam;
  action: Mlx5FlowAct;
  flow_context: Mlx5FlowContext;
  rules: Mlx5FlowRule[];
  /** FS_FTE_STATUS_EXISTING: written to hardware. */
  existing: boolean;
  /** fs_dr_rule: the STE-written rule and its actions under smfs. */
  fs_dr_rule?: { dr_rule: Mlx5drRule | null; dr_actions: Mlx5drAction[] };
}

/** struct mlx5_flow_handle */
export interface Mlx5FlowHandle {
  fte: FsFte;
  rule: Mlx5FlowRule[];
}

/**
 * mlx5_core_warn (core/mlx5_core.h): dev_warn with "<func>:<line>:(pid N): ".
 * The line numbers are those of fs_core.c in a v6.x tree; not checked
 * against the pinned v6.18 file.
 */
const FS_CORE_LINE: Record<string, number> = { del_hw_flow_table: 507, del_hw_flow_group: 644, del_hw_fte: 663, modify_fte: 572 };
function mlx5_core_warn(dev: Mlx5CoreDev, func: keyof typeof FS_CORE_LINE, text: string): void {
  dev.net.printk('warn', `${dev.device}: ${func}:${FS_CORE_LINE[func]}:(pid ${dev.drv.pid}): ${text}`);
}

function is_err<T>(x: T | NegErrno): x is NegErrno {
  return typeof x === 'number';
}

function ftSummary(ft: Mlx5FlowTable): string {
  return `ft ${ft.id} ${ft.type === FS_FT_FDB ? 'FDB' : 'NIC_RX'} level ${ft.level}`;
}

const objResult = <T>(summ: (v: T) => string) => (r: T | NegErrno): string | undefined => (is_err(r) ? undefined : summ(r));

/**
 * mlx5_fs_core_alloc + mlx5_init_fs (core/fs_core.c, v6.18): the roots of
 * the two namespaces the TC path uses, both on the firmware backend; the
 * steering mode defaults to smfs when the device supports it, else dmfs.
 */
export function mlx5_init_fs(dev: Mlx5CoreDev): Mlx5FlowSteering {
  return {
    mode: mlx5_fs_dr_is_supported(dev) ? 'smfs' : 'dmfs',
    root_ns: { dev, table_type: FS_FT_NIC_RX, cmds: mlx5_flow_cmds, mode: 'dmfs' },
    fdb_root_ns: { dev, table_type: FS_FT_FDB, cmds: mlx5_flow_cmds, mode: 'dmfs' },
  };
}

/**
 * mlx5_flow_namespace_set_mode (core/fs_core.c, v6.18): only the FDB root
 * switches backend, and only while it holds nothing (namespace init). The
 * new backend's namespace is created before the old one is destroyed.
 */
// Counted by the coverage report: a root other than the FDB; a backend switch actually made.
const mlx5_flow_namespace_set_mode_not_fdb = declareBranch(FILE, 'mlx5_flow_namespace_set_mode', 'not_fdb');
const mlx5_flow_namespace_set_mode_switch = declareBranch(FILE, 'mlx5_flow_namespace_set_mode', 'backend_switch');

export const mlx5_flow_namespace_set_mode = hop(FILE, function mlx5_flow_namespace_set_mode(root: Mlx5FlowRootNamespace, mode: Mlx5FlowSteeringMode): 0 | NegErrno {
  if (mlx5_flow_namespace_set_mode_not_fdb(root.table_type !== FS_FT_FDB)) return -EOPNOTSUPP;
  if (!mlx5_flow_namespace_set_mode_switch(root.mode !== mode)) return 0;
  const cmds = mode === 'smfs' ? mlx5_fs_cmd_get_dr_cmds() : mlx5_flow_cmds;
  const err = cmds.create_ns(root);
  if (err) {
    fs_core_err(root.dev, 'mlx5_flow_namespace_set_mode', 4243, `Failed to create flow namespace (${err})`);
    return err;
  }
  root.cmds.destroy_ns(root);
  root.cmds = cmds;
  root.mode = mode;
  return 0;
}, { input: (root, mode) => `${root.table_type === FS_FT_FDB ? 'FDB' : 'NIC_RX'} ${root.mode} -> ${mode}` });

/** mlx5_core_err (core/mlx5_core.h) from fs_core.c, with the line of the call in the v6.18 file. */
function fs_core_err(dev: Mlx5CoreDev, func: string, line: number, text: string): void {
  dev.net.printk('err', `${dev.device}: ${func}:${line}:(pid ${dev.drv.pid}): ${text}`);
}

/** mlx5_get_flow_namespace(): the root of a namespace type. */
export function mlx5_get_flow_namespace(dev: Mlx5CoreDev, type: Mlx5FlowNamespaceType): Mlx5FlowRootNamespace {
  return type === 'MLX5_FLOW_NAMESPACE_FDB' ? dev.priv.steering.fdb_root_ns : dev.priv.steering.root_ns;
}

/** mlx5_create_flow_table → __mlx5_create_flow_table (core/fs_core.c, v6.18) */
export const mlx5_create_flow_table = hop(FILE, function mlx5_create_flow_table(ns: Mlx5FlowRootNamespace, ft_attr: Mlx5FlowTableAttr): Mlx5FlowTable | NegErrno {
  const ft: Mlx5FlowTable = {
    id: 0, type: ns.table_type, level: ft_attr.level, max_fte: ft_attr.max_fte, flags: ft_attr.flags, root: ns,
    autogroup: { active: false, required_groups: 0, max_fte: 0, group_size: 0, num_groups: 0 }, fgs: [],
  };
  // The backend sets id and the pool-rounded max_fte.
  const err = ns.cmds.create_flow_table(ns, ft, ft_attr, ft_attr.next_ft);
  if (err) return err;
  return ft;
}, { input: (_ns, a) => `level ${a.level} max_fte ${a.max_fte}`, result: objResult(ftSummary) });

/** mlx5_create_auto_grouped_flow_table (core/fs_core.c, v6.18): group sizing for autogroups. */
export const mlx5_create_auto_grouped_flow_table = hop(FILE, function mlx5_create_auto_grouped_flow_table(ns: Mlx5FlowRootNamespace, ft_attr: Mlx5FlowTableAttr): Mlx5FlowTable | NegErrno {
  const num_reserved_entries = ft_attr.autogroup.num_reserved_entries;
  let max_num_groups = ft_attr.autogroup.max_num_groups;
  const ft = mlx5_create_flow_table(ns, ft_attr);
  if (is_err(ft)) return ft;
  const autogroups_max_fte = ft.max_fte - num_reserved_entries;
  if (max_num_groups > autogroups_max_fte || num_reserved_entries > ft.max_fte) {
    mlx5_destroy_flow_table(ft);
    return -ENOSPC;
  }
  // Align the number of groups to the largest group size allowed.
  if (Math.floor(autogroups_max_fte / (max_num_groups + 1)) > MAX_FLOW_GROUP_SIZE) {
    max_num_groups = Math.floor(autogroups_max_fte / MAX_FLOW_GROUP_SIZE) - 1;
  }
  ft.autogroup = {
    active: true,
    required_groups: max_num_groups,
    max_fte: autogroups_max_fte,
    // One group's worth is kept back for masks beyond max_num_groups.
    group_size: Math.floor(autogroups_max_fte / (max_num_groups + 1)),
    num_groups: 0,
  };
  return ft;
}, { input: (_ns, a) => `max_fte ${a.max_fte} groups ${a.autogroup.max_num_groups} reserved ${a.autogroup.num_reserved_entries}`, result: objResult((ft) => `${ftSummary(ft)} size ${ft.max_fte} group_size ${ft.autogroup.group_size}`) });

/** mlx5_destroy_flow_table (core/fs_core.c): errors are only logged. */
export const mlx5_destroy_flow_table = hop(FILE, function mlx5_destroy_flow_table(ft: Mlx5FlowTable): 0 | NegErrno {
  // del_hw_flow_table (core/fs_core.c, v6.18): the error is only logged.
  const err = ft.root.cmds.destroy_flow_table(ft.root, ft);
  if (err) mlx5_core_warn(ft.root.dev, 'del_hw_flow_table', "flow steering can't destroy ft");
  return err;
}, { input: (ft) => ftSummary(ft) });

function fg_hash_key(match_criteria_enable: number, match_criteria: FteMatchParam): string {
  return `${match_criteria_enable}|${fte_match_param_key(match_criteria)}`;
}

/** The position of the first group starting at or after `start`. */
function fg_position(ft: Mlx5FlowTable, start: number): number {
  let lo = 0;
  let hi = ft.fgs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ft.fgs[mid]!.start_index < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function alloc_insert_flow_group(ft: Mlx5FlowTable, match_criteria_enable: number, match_criteria: FteMatchParam, start: number, end: number, auto: boolean): Mlx5FlowGroup {
  const fg: Mlx5FlowGroup = {
    id: 0, ft, start_index: start, max_ftes: end - start + 1, mask: { match_criteria_enable, match_criteria: { ...match_criteria } },
    ftes: new Map(), auto, active: false, ida_hint: 0,
  };
  // Kept sorted by start index (alloc_auto_flow_group walks the gaps in order).
  let at = ft.fgs.length;
  if (at > 0 && ft.fgs[at - 1]!.start_index > start) at = fg_position(ft, start + 1);
  ft.fgs.splice(at, 0, fg);
  // A group placed below the hint only splits a gap the walk already passed.
  if (ft.fg_fit_hint && at < ft.fg_fit_hint.i) ft.fg_fit_hint.i++;
  const hash = (ft.fgs_hash ??= new Map<string, Mlx5FlowGroup[]>());
  const k = fg_hash_key(match_criteria_enable, fg.mask.match_criteria);
  const list = hash.get(k);
  if (!list) hash.set(k, [fg]);
  else if (list[list.length - 1]!.start_index < start) list.push(fg);
  else list.splice(list.findIndex((g) => g.start_index > start), 0, fg);
  return fg;
}

function del_sw_flow_group(fg: Mlx5FlowGroup): void {
  const ft = fg.ft;
  if (ft.autogroup.active && fg.max_ftes === ft.autogroup.group_size && fg.start_index < ft.autogroup.max_fte) {
    ft.autogroup.num_groups--;
  }
  let at = fg_position(ft, fg.start_index);
  if (ft.fgs[at] !== fg) at = ft.fgs.indexOf(fg);
  ft.fgs.splice(at, 1);
  // Gaps below the hint may have merged into one that fits.
  if (ft.fg_fit_hint && at < ft.fg_fit_hint.i) ft.fg_fit_hint = undefined;
  const k = fg_hash_key(fg.mask.match_criteria_enable, fg.mask.match_criteria);
  const list = ft.fgs_hash?.get(k);
  if (list) {
    list.splice(list.indexOf(fg), 1);
    if (list.length === 0) ft.fgs_hash!.delete(k);
  }
}

export interface Mlx5FlowGroupIn {
  start_flow_index: number;
  end_flow_index: number;
  match_criteria_enable: number;
  match_criteria: FteMatchParam;
}

/** mlx5_create_flow_group (core/fs_core.c, v6.18): explicit groups stay clear of the autogroup area. */
export const mlx5_create_flow_group = hop(FILE, function mlx5_create_flow_group(ft: Mlx5FlowTable, fg_in: Mlx5FlowGroupIn): Mlx5FlowGroup | NegErrno {
  if (ft.autogroup.active && fg_in.start_flow_index < ft.autogroup.max_fte) return -EPERM;
  const fg = alloc_insert_flow_group(ft, fg_in.match_criteria_enable, fg_in.match_criteria, fg_in.start_flow_index, fg_in.end_flow_index, false);
  const err = ft.root.cmds.create_flow_group(ft.root, ft, fg_in, fg);
  if (err) {
    del_sw_flow_group(fg);
    return err;
  }
  fg.active = true;
  return fg;
}, { input: (ft, i) => `${ftSummary(ft)} [${i.start_flow_index}..${i.end_flow_index}]`, result: objResult((g) => `fg ${g.id}`) });

/** del_hw_flow_group (core/fs_core.c): failure only logged. */
export const del_hw_flow_group = hop(FILE, function del_hw_flow_group(fg: Mlx5FlowGroup): void {
  const ft = fg.ft;
  if (fg.active && ft.root.cmds.destroy_flow_group(ft.root, ft, fg)) {
    mlx5_core_warn(ft.root.dev, 'del_hw_flow_group', `flow steering can't destroy fg ${fg.id} of ft ${ft.id}`);
  }
  del_sw_flow_group(fg);
}, { input: (fg) => `fg ${fg.id} of ft ${fg.ft.id}` });

/** mlx5_destroy_flow_group (core/fs_core.c) */
export const mlx5_destroy_flow_group = hop(FILE, function mlx5_destroy_flow_group(fg: Mlx5FlowGroup): void {
  del_hw_flow_group(fg);
}, { input: (fg) => `fg ${fg.id}` });

/** check_valid_spec (core/fs_core.c, v6.18) */
function check_valid_spec(dev: Mlx5CoreDev, spec: Mlx5FlowSpec): boolean {
  if (fte_match_value_outside_criteria(spec.match_value, spec.match_criteria).length > 0) {
    dev.net.printk('warn', 'mlx5_core: match_value differs from match_criteria');
    return false;
  }
  return true;
}

/** counter_is_valid / dest_is_valid (core/fs_core.c, v6.18) */
function dest_is_valid(dest: Mlx5FlowDestination | null, flow_act: Mlx5FlowAct, ft: Mlx5FlowTable): boolean {
  const ignore_level = (flow_act.flags & FLOW_ACT_IGNORE_FLOW_LEVEL) !== 0;
  const action = flow_act.action;
  if (dest && dest.type === 'MLX5_FLOW_DESTINATION_TYPE_COUNTER') {
    return (action & (MLX5_FLOW_CONTEXT_ACTION_DROP | MLX5_FLOW_CONTEXT_ACTION_ALLOW | MLX5_FLOW_CONTEXT_ACTION_FWD_DEST)) !== 0;
  }
  if (!(action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST)) return true;
  if (ignore_level) {
    if (ft.type !== FS_FT_FDB && ft.type !== FS_FT_NIC_RX && ft.type !== FS_FT_NIC_TX) return false;
    if (dest?.type === 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE' && dest.ft!.type !== ft.type) return false;
  }
  if (!dest || (dest.type === 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE' && dest.ft!.level <= ft.level && !ignore_level)) return false;
  return true;
}

function alloc_fte(spec: Mlx5FlowSpec, flow_act: Mlx5FlowAct, fg: Mlx5FlowGroup): FsFte {
  return {
    index: -1, fg, val: { ...spec.match_value }, action: { ...flow_act }, flow_context: { ...spec.flow_context },
    rules: [], existing: false,
  };
}

/** insert_fte (core/fs_core.c, v6.18): lowest free index of the group, -ENOSPC when full. */
export const insert_fte = hop(FILE, function insert_fte(fg: Mlx5FlowGroup, fte: FsFte): 0 | NegErrno {
  // ida_alloc_max(&fg->fte_allocator, fg->max_ftes - 1): the lowest free index.
  let index = -1;
  for (let i = fg.ida_hint; i < fg.max_ftes; i++) {
    if (!fg.ftes.has(fg.start_index + i)) { index = i; break; }
  }
  if (index < 0) {
    fg.ida_hint = fg.max_ftes;
    return -ENOSPC;
  }
  fg.ida_hint = index + 1;
  fte.index = fg.start_index + index;
  fte.fg = fg;
  fg.ftes.set(fte.index, fte);
  return 0;
}, { input: (fg) => `fg ${fg.id} [${fg.start_index}..${fg.start_index + fg.max_ftes - 1}]` });

/** add_rule_fte (core/fs_core.c, v6.18): one rule per destination; new FTE → create_fte, else update_fte. */
export const add_rule_fte = hop(FILE, function add_rule_fte(fte: FsFte, fg: Mlx5FlowGroup, dest: Mlx5FlowDestination[]): Mlx5FlowHandle | NegErrno {
  const rules: Mlx5FlowRule[] = dest.length > 0 ? dest.map((d) => ({ dest_attr: { ...d } })) : [{ dest_attr: null }];
  fte.rules.push(...rules);
  const root = fg.ft.root;
  const err = !fte.existing
    ? root.cmds.create_fte(root, fg.ft, fg, fte)
    : root.cmds.update_fte(root, fg.ft, fg, 0, fte);
  if (err) {
    fte.rules = fte.rules.filter((r) => !rules.includes(r));
    return err;
  }
  fte.existing = true;
  return { fte, rule: rules };
}, { input: (fte) => `index ${fte.index}`, result: objResult((h) => `fte ${h.fte.index}`) });

/**
 * add_rule_fg (core/fs_core.c, v6.18): merges action bits into the FTE. The
 * conflicting-actions check only matters when merging into an existing FTE,
 * which FLOW_ACT_NO_APPEND users on DMFS never do.
 */
export const add_rule_fg = hop(FILE, function add_rule_fg(fg: Mlx5FlowGroup, flow_act: Mlx5FlowAct, dest: Mlx5FlowDestination[], fte: FsFte): Mlx5FlowHandle | NegErrno {
  const old_action = fte.action.action;
  fte.action = { ...fte.action, action: fte.action.action | flow_act.action };
  const handle = add_rule_fte(fte, fg, dest);
  if (is_err(handle)) fte.action.action = old_action;
  return handle;
}, { input: (fg) => `fg ${fg.id}`, result: objResult((h) => `fte ${h.fte.index}`) });

function free_fte(fte: FsFte): void {
  fte.fg.ftes.delete(fte.index);
  // ida_free: the freed index is the lowest candidate again.
  fte.fg.ida_hint = Math.min(fte.fg.ida_hint, fte.index - fte.fg.start_index);
}

/**
 * try_add_to_existing_fg (core/fs_core.c, v6.18). The DMFS backend reports
 * MLX5_FLOW_STEERING_CAP_DUPLICATE_MATCH, so with FLOW_ACT_NO_APPEND the
 * identical-match search is skipped: the rule gets a new FTE in the first
 * matching group with room (-ENOSPC from a full group → next group).
 */
export const try_add_to_existing_fg = hop(FILE, function try_add_to_existing_fg(ft: Mlx5FlowTable, match_head: Mlx5FlowGroup[], spec: Mlx5FlowSpec, flow_act: Mlx5FlowAct, dest: Mlx5FlowDestination[]): Mlx5FlowHandle | NegErrno {
  // One FTE for the whole walk, allocated before it (insert_fte gives it its
  // group); a full group leaves it untouched. With no group to try, upstream
  // frees it unused: nothing to allocate here.
  if (match_head.length === 0) return -ENOENT;
  const fte = alloc_fte(spec, flow_act, match_head[0]!);
  for (const g of match_head) {
    if (!g.active) continue;
    const err = insert_fte(g, fte);
    if (err === -ENOSPC) continue;
    if (err) return err;
    const rule = add_rule_fg(g, flow_act, dest, fte);
    if (is_err(rule)) free_fte(fte);
    return rule;
  }
  return -ENOENT;
}, { input: (ft, mh) => `${ftSummary(ft)} matching groups ${mh.length}`, result: objResult((h) => `fte ${h.fte.index}`) });

/**
 * alloc_auto_flow_group (core/fs_core.c, v6.18): full-size groups for the
 * first required_groups masks, then 1-entry groups; first gap that fits,
 * groups sorted by start index; none below autogroup.max_fte → -ENOSPC.
 */
// Counted by the coverage report: a full-size autogroup (taken) or a 1-entry group; no gap left.
const alloc_auto_flow_group_full_size = declareBranch(FILE, 'alloc_auto_flow_group', 'full_size_group');
const alloc_auto_flow_group_table_full = declareBranch(FILE, 'alloc_auto_flow_group', 'table_full');

export const alloc_auto_flow_group = hop(FILE, function alloc_auto_flow_group(ft: Mlx5FlowTable, spec: Mlx5FlowSpec): Mlx5FlowGroup | NegErrno {
  if (!ft.autogroup.active) return -ENOENT;
  let group_size = 0;
  if (alloc_auto_flow_group_full_size(ft.autogroup.num_groups < ft.autogroup.required_groups)) group_size = ft.autogroup.group_size;
  if (group_size === 0) group_size = 1;
  // First fit, resumed where an earlier walk for a size no larger stopped.
  const h = ft.fg_fit_hint;
  let i = h && h.size <= group_size ? h.i : 0;
  let candidate_index = h && h.size <= group_size ? h.candidate : 0;
  for (; i < ft.fgs.length; i++) {
    const fg = ft.fgs[i]!;
    if (candidate_index + group_size > fg.start_index) candidate_index = fg.start_index + fg.max_ftes;
    else break;
  }
  ft.fg_fit_hint = { i, candidate: candidate_index, size: group_size };
  if (alloc_auto_flow_group_table_full(candidate_index + group_size > ft.autogroup.max_fte)) return -ENOSPC;
  const fg = alloc_insert_flow_group(ft, spec.match_criteria_enable, spec.match_criteria, candidate_index, candidate_index + group_size - 1, true);
  if (group_size === ft.autogroup.group_size) ft.autogroup.num_groups++;
  return fg;
}, { input: (ft) => `${ftSummary(ft)} groups ${ft.autogroup.num_groups}/${ft.autogroup.required_groups} size ${ft.autogroup.group_size}`, result: objResult((g) => `[${g.start_index}..${g.start_index + g.max_ftes - 1}]`) });

/** create_auto_flow_group (core/fs_core.c, v6.18): CREATE_FLOW_GROUP for the new autogroup. */
export const create_auto_flow_group = hop(FILE, function create_auto_flow_group(ft: Mlx5FlowTable, fg: Mlx5FlowGroup): 0 | NegErrno {
  const err = ft.root.cmds.create_flow_group(ft.root, ft, {
    start_flow_index: fg.start_index,
    end_flow_index: fg.start_index + fg.max_ftes - 1,
    match_criteria_enable: fg.mask.match_criteria_enable,
    match_criteria: fg.mask.match_criteria,
  }, fg);
  if (!err) fg.active = true;
  return err;
}, { input: (_ft, fg) => `[${fg.start_index}..${fg.start_index + fg.max_ftes - 1}] criteria_enable 0x${fg.mask.match_criteria_enable.toString(16)}` });

function build_match_list(ft: Mlx5FlowTable, spec: Mlx5FlowSpec): Mlx5FlowGroup[] {
  // fgs_hash lookup by mask (rhltable_lookup upstream).
  return ft.fgs_hash?.get(fg_hash_key(spec.match_criteria_enable, spec.match_criteria)) ?? [];
}

/** _mlx5_add_flow_rules (core/fs_core.c, v6.18) */
export const _mlx5_add_flow_rules = hop(FILE, function _mlx5_add_flow_rules(ft: Mlx5FlowTable, spec: Mlx5FlowSpec, flow_act: Mlx5FlowAct, dest: Mlx5FlowDestination[]): Mlx5FlowHandle | NegErrno {
  if (!check_valid_spec(ft.root.dev, spec)) return -EINVAL;
  if (flow_act.fg && ft.autogroup.active) return -EINVAL;
  for (const d of dest) if (!dest_is_valid(d, flow_act, ft)) return -EINVAL;
  if (dest.length === 0 && !dest_is_valid(null, flow_act, ft)) return -EINVAL;

  const rule = try_add_to_existing_fg(ft, build_match_list(ft, spec), spec, flow_act, dest);
  if (!is_err(rule) || (rule !== -ENOENT)) return rule;

  const g = alloc_auto_flow_group(ft, spec);
  if (is_err(g)) return g;
  let err = create_auto_flow_group(ft, g);
  if (err) {
    del_sw_flow_group(g);
    return err;
  }
  const fte = alloc_fte(spec, flow_act, g);
  err = insert_fte(g, fte);
  if (err) {
    del_hw_flow_group(g);
    return err;
  }
  const handle = add_rule_fg(g, flow_act, dest, fte);
  if (is_err(handle)) {
    free_fte(fte);
    // The new group's only reference was this FTE.
    del_hw_flow_group(g);
  }
  return handle;
}, { input: (ft, _s, a) => `${ftSummary(ft)} action ${mlx5_flow_context_action_names(a.action).join('|')}`, result: objResult((h) => `fte ${h.fte.index} fg ${h.fte.fg.id}`) });

/**
 * mlx5_add_flow_rules (core/fs_core.c, v6.18): TC never uses the
 * FWD_NEXT_PRIO/NS actions, so this always lands in _mlx5_add_flow_rules.
 */
export const mlx5_add_flow_rules = hop(FILE, function mlx5_add_flow_rules(ft: Mlx5FlowTable, spec: Mlx5FlowSpec | null, flow_act: Mlx5FlowAct, dest: Mlx5FlowDestination[]): Mlx5FlowHandle | NegErrno {
  return _mlx5_add_flow_rules(ft, spec ?? mlx5_flow_spec_zero(), flow_act, dest);
}, { input: (ft, _s, a, d) => `${ftSummary(ft)} action ${mlx5_flow_context_action_names(a.action).join('|')} dests ${d.length}`, result: objResult((h) => `fte ${h.fte.index}`) });

/** del_hw_fte (core/fs_core.c, v6.18): DELETE via the backend; failure only logged. */
export const del_hw_fte = hop(FILE, function del_hw_fte(fte: FsFte): void {
  const ft = fte.fg.ft;
  if (fte.existing) {
    const err = ft.root.cmds.delete_fte(ft.root, ft, fte);
    if (err) {
      mlx5_core_warn(ft.root.dev, 'del_hw_fte', `flow steering can't delete fte in index ${fte.index} of flow group id ${fte.fg.id}`);
    }
    fte.existing = false;
  }
}, { input: (fte) => `index ${fte.index} fg ${fte.fg.id}` });

/**
 * mlx5_del_flow_rules (core/fs_core.c, v6.18): drop the handle's rules; an
 * FTE left without rules is deleted in hardware and frees its index, and an
 * autogroup left without FTEs is destroyed. Otherwise the FTE is modified.
 */
export const mlx5_del_flow_rules = hop(FILE, function mlx5_del_flow_rules(handle: Mlx5FlowHandle): void {
  const fte = handle.fte;
  fte.rules = fte.rules.filter((r) => !handle.rule.includes(r));
  if (fte.rules.length === 0) {
    del_hw_fte(fte);
    const fg = fte.fg;
    free_fte(fte);
    if (fg.auto && fg.ftes.size === 0) del_hw_flow_group(fg);
    return;
  }
  // Remaining destinations: drop the removed bits and rewrite the FTE.
  if (!fte.rules.some((r) => r.dest_attr?.type === 'MLX5_FLOW_DESTINATION_TYPE_COUNTER')) {
    fte.action.action &= ~MLX5_FLOW_CONTEXT_ACTION_COUNT;
  }
  const root = fte.fg.ft.root;
  if (root.cmds.update_fte(root, fte.fg.ft, fte.fg, 0, fte)) {
    mlx5_core_warn(root.dev, 'modify_fte', `mlx5_del_flow_rules can't del rule fg id=${fte.fg.id} fte_index=${fte.index}`);
  }
}, { input: (h) => `fte ${h.fte.index} of ft ${h.fte.fg.ft.id}` });

// ---------------------------------------------------------------------------
// devlink parameter flow_steering_mode (core/fs_core.c, v6.18)

import type { Devlink, DevlinkParam, DevlinkParamGsetCtx, DevlinkParamValue } from '../../kernel/include/net/devlink';
import { DEVLINK_PARAM_CMODE_BIT, DEVLINK_PARAM_DRIVER } from '../../kernel/include/net/devlink';
import { DEVLINK_PARAM_CMODE_RUNTIME, DEVLINK_PARAM_TYPE_STRING } from '../../kernel/include/uapi/linux/devlink';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../kernel/include/linux/netlink';
import { EINVAL as FS_EINVAL, EOPNOTSUPP as FS_EOPNOTSUPP } from '../../kernel/include/uapi/asm-generic/errno';

/** enum mlx5_devlink_param_id (core/devlink.h): DEVLINK_PARAM_GENERIC_ID_MAX + 1; only its order among ids matters here. */
export const MLX5_DEVLINK_PARAM_ID_FLOW_STEERING_MODE = 1000 + 1;

/**
 * mlx5_fs_mode_validate (core/fs_core.c, v6.18): refused while the eswitch
 * is in switchdev (whatever the flows); smfs needs sw_owner; hmfs needs
 * hardware steering, which no modelled device has.
 */
const mlx5_fs_mode_validate = hop(FILE, function mlx5_fs_mode_validate(devlink: Devlink, _id: number, val: DevlinkParamValue, extack: NetlinkExtAck): 0 | NegErrno {
  const dev = devlink.priv as Mlx5CoreDev;
  const value = String(val);
  if (dev.priv.eswitch?.mode === 'MLX5_ESWITCH_OFFLOADS') {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Changing fs mode is not supported when eswitch offloads enabled.');
    return -FS_EOPNOTSUPP;
  }
  if (value === 'dmfs') return 0;
  if (value === 'smfs') {
    if (!mlx5_fs_dr_is_supported(dev)) {
      NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Software managed steering is not supported by current device');
      return -FS_EOPNOTSUPP;
    }
  } else if (value === 'hmfs') {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Hardware steering is not supported by current device');
    return -FS_EOPNOTSUPP;
  } else {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Bad parameter: supported values are ["dmfs", "smfs", "hmfs"]');
    return -FS_EINVAL;
  }
  return 0;
}, { input: (_d, _i, v) => String(v) });

/**
 * mlx5_fs_mode_set (core/fs_core.c, v6.18): only the stored mode changes;
 * the FDB takes it at the next switchdev entry (mlx5_flow_namespace_set_mode).
 */
const mlx5_fs_mode_set = hop(FILE, function mlx5_fs_mode_set(devlink: Devlink, _id: number, ctx: DevlinkParamGsetCtx, _extack: NetlinkExtAck): 0 | NegErrno {
  const dev = devlink.priv as Mlx5CoreDev;
  dev.priv.steering.mode = ctx.val === 'smfs' ? 'smfs' : 'dmfs';
  return 0;
}, { input: (_d, _i, ctx) => String(ctx.val) });

/** mlx5_fs_mode_get (core/fs_core.c, v6.18) */
function mlx5_fs_mode_get(devlink: Devlink, _id: number, ctx: DevlinkParamGsetCtx): 0 | NegErrno {
  ctx.val = (devlink.priv as Mlx5CoreDev).priv.steering.mode;
  return 0;
}

/** mlx5_fs_params (core/fs_core.c, v6.18), registered by mlx5_fs_core_init. */
export const mlx5_fs_params: readonly DevlinkParam[] = [
  DEVLINK_PARAM_DRIVER({
    id: MLX5_DEVLINK_PARAM_ID_FLOW_STEERING_MODE, name: 'flow_steering_mode', type: DEVLINK_PARAM_TYPE_STRING,
    supported_cmodes: DEVLINK_PARAM_CMODE_BIT(DEVLINK_PARAM_CMODE_RUNTIME),
    get: mlx5_fs_mode_get, set: mlx5_fs_mode_set, validate: mlx5_fs_mode_validate,
  }),
];

// ---------------------------------------------------------------------------
// modify header (core/fs_core.c, v6.18)

import type { Mlx5IfcModifyAction } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5ModifyHdr } from '../../kernel/include/linux/mlx5/fs';

/**
 * mlx5_modify_header_alloc (core/fs_core.c, v6.18): through the namespace
 * root's backend; the context records its namespace for the dealloc.
 */
export const mlx5_modify_header_alloc = hop(FILE, function mlx5_modify_header_alloc(dev: Mlx5CoreDev, ns_type: Mlx5FlowNamespaceType, num_actions: number, modify_actions: Mlx5IfcModifyAction[]): Mlx5ModifyHdr | NegErrno {
  const root = mlx5_get_flow_namespace(dev, ns_type);
  const modify_hdr: Mlx5ModifyHdr = { ns_type, id: 0 };
  const err = root.cmds.modify_header_alloc(root, ns_type, num_actions, modify_actions, modify_hdr);
  if (err) return err;
  return modify_hdr;
}, { input: (_d, ns, n) => `${ns.replace('MLX5_FLOW_NAMESPACE_', '')} num_actions ${n}`, result: objResult((m) => `modify_header_id ${m.id}`) });

/** mlx5_modify_header_dealloc (core/fs_core.c, v6.18) */
export const mlx5_modify_header_dealloc = hop(FILE, function mlx5_modify_header_dealloc(dev: Mlx5CoreDev, modify_hdr: Mlx5ModifyHdr): void {
  const root = mlx5_get_flow_namespace(dev, modify_hdr.ns_type);
  root.cmds.modify_header_dealloc(root, modify_hdr);
}, { input: (_d, m) => `modify_header_id ${m.id}` });

// ---------------------------------------------------------------------------
// Packet reformat contexts (encapsulation headers)


/** struct mlx5_pkt_reformat */
export interface Mlx5PktReformat {
  ns_type: Mlx5FlowNamespaceType;
  reformat_type: number;
  id: number;
  /** MLX5_FLOW_RESOURCE_OWNER_FW / _SW: which backend made it. */
  owner?: 'fw' | 'sw';
}

/**
 * mlx5_packet_reformat_alloc (core/fs_core.c, v6.18): owned by the firmware
 * unless the namespace's backend (software steering) takes it over.
 */
export const mlx5_packet_reformat_alloc = hop(FILE, function mlx5_packet_reformat_alloc(dev: Mlx5CoreDev,
  params: { type: number; size: number; data: Uint8Array }, ns_type: Mlx5FlowNamespaceType): Mlx5PktReformat | NegErrno {
  const root = mlx5_get_flow_namespace(dev, ns_type);
  const pkt_reformat: Mlx5PktReformat = { ns_type, reformat_type: params.type, id: 0, owner: 'fw' };
  const err = root.cmds.packet_reformat_alloc(root, params, ns_type, pkt_reformat);
  if (err) return err;
  return pkt_reformat;
}, { input: (_d, p) => `type ${p.type} size ${p.size}`, result: objResult((r) => `packet_reformat_id ${r.id}`) });

/** mlx5_packet_reformat_dealloc (core/fs_core.c, v6.18) */
export const mlx5_packet_reformat_dealloc = hop(FILE, function mlx5_packet_reformat_dealloc(dev: Mlx5CoreDev, pkt_reformat: Mlx5PktReformat): void {
  const root = mlx5_get_flow_namespace(dev, pkt_reformat.ns_type);
  root.cmds.packet_reformat_dealloc(root, pkt_reformat);
}, { input: (_d, r) => `packet_reformat_id ${r.id}` });
