// steering/sws/dr_types.h and mlx5dr.h: the software-steering (SMFS) objects
// the driver keeps for a sw-owned FDB: domain, tables, matchers, rules and
// actions. Types only. ICM chunks are addresses in the device's steering ICM.
import type { Mlx5CoreDev } from '../../mlx5_core';
import type { Mlx5SwIcm, SteRuleContent } from '../../../../hw/mlx5/icm';
import type { FteMatchParam } from '../../../../kernel/include/linux/mlx5/mlx5_ifc';

/** struct mlx5dr_icm_chunk: a run of STEs (or actions) in steering ICM. */
export interface Mlx5drIcmChunk {
  icm_addr: number;
  num_of_entries: number;
}

/** struct mlx5dr_ste_htbl: a hash table of STEs (chunk-backed). */
export interface Mlx5drSteHtbl {
  chunk: Mlx5drIcmChunk;
}

export type Mlx5drNicType = 'rx' | 'tx';

/** struct mlx5dr_domain_rx_tx */
export interface Mlx5drDomainRxTx {
  type: Mlx5drNicType;
  /** Where a miss goes when no table says otherwise (the eswitch's drop address). */
  default_icm_addr: number;
}

/** struct mlx5dr_domain (MLX5DR_DOMAIN_TYPE_FDB is the only one fs_dr creates). */
export interface Mlx5drDomain {
  mdev: Mlx5CoreDev;
  type: 'MLX5DR_DOMAIN_TYPE_FDB';
  /** The device memory the ste/action ICM pools draw from. */
  icm: Mlx5SwIcm;
  info: { rx: Mlx5drDomainRxTx; tx: Mlx5drDomainRxTx; caps: { max_ft_level: number } };
  tables: Set<Mlx5drTable>;
  /** Firmware tables the domain holds for its own actions (multi-destination tables). */
  fw_tables: Set<number>;
  /** Live rules and rewrite actions (dr_dbg's lists upstream), so views can account for every ICM chunk. */
  rules: Set<Mlx5drRule>;
  actions: Set<Mlx5drAction>;
}

/** struct mlx5dr_table_rx_tx */
export interface Mlx5drTableRxTx {
  nic_dmn: Mlx5drDomainRxTx;
  s_anchor: Mlx5drSteHtbl | null;
  default_icm_addr: number;
  /** Matchers connected to the table, by priority (nic_matcher_list). */
  nic_matcher_list: Mlx5drMatcherRxTx[];
}

/** struct mlx5dr_table */
export interface Mlx5drTable {
  dmn: Mlx5drDomain;
  level: number;
  flags: number;
  table_id: number;
  rx: Mlx5drTableRxTx;
  tx: Mlx5drTableRxTx;
  matchers: Set<Mlx5drMatcher>;
  miss_action: Mlx5drAction | null;
}

/** struct mlx5dr_matcher_rx_tx */
export interface Mlx5drMatcherRxTx {
  nic_tbl: Mlx5drTableRxTx;
  prio: number;
  s_htbl: Mlx5drSteHtbl | null;
  e_anchor: Mlx5drSteHtbl | null;
  num_of_builders: number;
  rules: number;
}

/** struct mlx5dr_matcher */
export interface Mlx5drMatcher {
  tbl: Mlx5drTable;
  prio: number;
  match_criteria: number;
  mask: FteMatchParam;
  rx: Mlx5drMatcherRxTx;
  tx: Mlx5drMatcherRxTx;
  rules: number;
}

/** struct mlx5dr_rule_rx_tx: the STE chain written for one side. */
export interface Mlx5drRuleRxTx {
  nic_matcher: Mlx5drMatcherRxTx;
  /** The chunk holding the rule's STEs; null when the side was skipped. */
  chain: Mlx5drIcmChunk | null;
}

/** struct mlx5dr_rule */
export interface Mlx5drRule {
  matcher: Mlx5drMatcher;
  flow_source: number;
  rx: Mlx5drRuleRxTx;
  tx: Mlx5drRuleRxTx;
  content: SteRuleContent;
}

/** enum mlx5dr_action_type (the ones the TC path produces). */
export type Mlx5drActionType =
  | 'DR_ACTION_TYP_FT' | 'DR_ACTION_TYP_VPORT' | 'DR_ACTION_TYP_DROP' | 'DR_ACTION_TYP_CTR' | 'DR_ACTION_TYP_TAG'
  | 'DR_ACTION_TYP_MODIFY_HDR' | 'DR_ACTION_TYP_L2_TO_TNL_L2' | 'DR_ACTION_TYP_PUSH_VLAN' | 'DR_ACTION_TYP_POP_VLAN'
  | 'DR_ACTION_TYP_ASO_FLOW_METER' | 'DR_ACTION_TYP_SAMPLER' | 'DR_ACTION_TYP_TNL_L2_TO_L2';

/** struct mlx5dr_action */
export interface Mlx5drAction {
  action_type: Mlx5drActionType;
  /** Table id, vport number, counter id, tag, ICM address… by type. */
  id: number;
  /** DR_ACTION_TYP_MODIFY_HDR: the action ICM chunk (null for a rewrite kept inline). */
  chunk?: Mlx5drIcmChunk | null;
  /** A multi-destination action: the firmware table and group holding its one FTE. */
  md?: { tbl_id: number; group_id: number };
}

/** struct mlx5dr_cmd_flow_destination_hw_info (the vport and table kinds). */
export interface Mlx5drCmdFlowDestinationHwInfo {
  type: 'VPORT' | 'FLOW_TABLE';
  id: number;
  vhca_id?: number;
}
