// include/linux/mlx5/fs.h: the flow-steering API types mlx5 users (en_tc,
// eswitch, fs_chains) hand to fs_core. Tables and counters are opaque here,
// as upstream; fs_core and fs_counters own their full shape.
import type { FsFlowTableType, FteMatchParam } from './mlx5_ifc';

export const MLX5_FS_DEFAULT_FLOW_TAG = 0x0;
/** fs.h: ask the pool for the largest free table size. */
export const MLX5_FS_MAX_POOL_SIZE = 1 << 30;

/** enum mlx5_flow_namespace_type (the two we model). */
export type Mlx5FlowNamespaceType = 'MLX5_FLOW_NAMESPACE_KERNEL' | 'MLX5_FLOW_NAMESPACE_FDB';

/** enum mlx5_flow_destination_type (software view; the ifc list differs). */
export type Mlx5FlowDestinationType =
  | 'MLX5_FLOW_DESTINATION_TYPE_VPORT'
  | 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE'
  | 'MLX5_FLOW_DESTINATION_TYPE_TIR'
  | 'MLX5_FLOW_DESTINATION_TYPE_COUNTER';

/** struct mlx5_flow_table, opaque to users. */
export interface Mlx5FlowTableRef {
  readonly id: number;
  readonly type: FsFlowTableType;
  readonly level: number;
  readonly max_fte: number;
}

/** MLX5_FLOW_TABLE_* flags (struct mlx5_flow_table_attr.flags) */
export const MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT = 1 << 0;
export const MLX5_FLOW_TABLE_TUNNEL_EN_DECAP = 1 << 1;
export const MLX5_FLOW_TABLE_TERMINATION = 1 << 2;
export const MLX5_FLOW_TABLE_UNMANAGED = 1 << 3;

/** struct mlx5_fc, opaque to users. */
export interface Mlx5FcRef {
  readonly id: number;
}

/** struct mlx5_flow_destination */
export interface Mlx5FlowDestination {
  type: Mlx5FlowDestinationType;
  ft?: Mlx5FlowTableRef;
  vport?: { num: number; vhca_id?: number; flags: number; pkt_reformat?: { id: number } };
  tir_num?: number;
  counter?: Mlx5FcRef;
}

/** enum mlx5_flow_context_flags */
export const FLOW_CONTEXT_HAS_TAG = 1 << 0;

/** struct mlx5_flow_context */
export interface Mlx5FlowContext {
  flags: number;
  flow_tag: number;
  flow_source: number;
}

/** struct mlx5_flow_spec */
export interface Mlx5FlowSpec {
  match_criteria_enable: number;
  match_criteria: FteMatchParam;
  match_value: FteMatchParam;
  flow_context: Mlx5FlowContext;
}

export function mlx5_flow_spec_zero(): Mlx5FlowSpec {
  return {
    match_criteria_enable: 0, match_criteria: {}, match_value: {},
    flow_context: { flags: 0, flow_tag: 0, flow_source: 0 },
  };
}

/** flow_act flags (fs.h) */
export const FLOW_ACT_NO_APPEND = 1 << 0;
export const FLOW_ACT_IGNORE_FLOW_LEVEL = 1 << 1;

/** struct mlx5_flow_act */
export interface Mlx5FlowAct {
  action: number;
  flags: number;
  /** struct mlx5_fs_vlan vlan[MLX5_FS_VLAN_DEPTH]: what VLAN_PUSH / VLAN_PUSH_2 push. */
  vlan?: { ethtype: number; vid: number; prio: number }[];
  /** Explicit group (not allowed on auto-grouped tables). */
  fg?: unknown;
  /** The modify-header context written with MOD_HDR. */
  modify_hdr?: Mlx5ModifyHdr;
  /** EXECUTE_ASO: the flow-meter ASO object (exe_aso). */
  exe_aso?: { type: 'MLX5_EXE_ASO_FLOW_METER'; object_id: number; offset: number };
  /** PACKET_REFORMAT: the reformat context (struct mlx5_pkt_reformat). */
  pkt_reformat?: { id: number };
}

/** MLX5_FLOW_DEST_VPORT_* flags */
export const MLX5_FLOW_DEST_VPORT_VHCA_ID = 1 << 0;

/** struct mlx5_modify_hdr (core/fs_core.h): a modify-header context, by firmware id. */
export interface Mlx5ModifyHdr {
  ns_type: Mlx5FlowNamespaceType;
  id: number;
  /** MLX5_FLOW_RESOURCE_OWNER_FW / _SW: which backend made it. */
  owner?: 'fw' | 'sw';
  /** fs_dr_action: the software-steering action behind a sw-owned rewrite. */
  fs_dr_action?: unknown;
}

// Appended: MLX5_FLOW_DEST_VPORT_REFORMAT_ID (include/linux/mlx5/fs.h)
export const MLX5_FLOW_DEST_VPORT_REFORMAT_ID = 1 << 1;
