// steering/sws/dr_cmd.c: the few firmware commands software steering sends
// for its tables: a sw-owned flow table whose entries start at ICM anchors.
import { hop } from '../../../../trace/hop';
import type { NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import {
  FS_FT_FDB, MLX5_CMD_OP_CREATE_FLOW_TABLE, MLX5_CMD_OP_DESTROY_FLOW_TABLE, MLX5_FLOW_TABLE_MISS_ACTION_DEF,
  MLX5_CMD_OP_CREATE_FLOW_GROUP, MLX5_CMD_OP_DESTROY_FLOW_GROUP, MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY,
  MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST,
} from '../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5drCmdFlowDestinationHwInfo } from './dr_types';
import { mlx5_cmd_exec } from '../../cmd';
import type { Mlx5CoreDev } from '../../mlx5_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_cmd.c';

/** struct mlx5dr_cmd_create_flow_table_attr (the fields the FDB tables set). */
export interface Mlx5drCmdCreateFlowTableAttr {
  level: number;
  sw_owner: boolean;
  icm_addr_rx: number;
  icm_addr_tx: number;
  decap_en: boolean;
  reformat_en: boolean;
}

/** mlx5dr_cmd_create_flow_table (steering/sws/dr_cmd.c, v6.18): CREATE_FLOW_TABLE with sw_owner and the anchors. */
export const mlx5dr_cmd_create_flow_table = hop(FILE, function mlx5dr_cmd_create_flow_table(mdev: Mlx5CoreDev, attr: Mlx5drCmdCreateFlowTableAttr): { err: 0 | NegErrno; table_id: number } {
  const { err, out } = mlx5_cmd_exec(mdev, {
    opcode: MLX5_CMD_OP_CREATE_FLOW_TABLE, op_mod: 0, table_type: FS_FT_FDB, vport_number: 0, other_vport: false,
    level: attr.level, log_size: 0, table_miss_action: MLX5_FLOW_TABLE_MISS_ACTION_DEF, table_miss_id: 0,
    decap_en: attr.decap_en, reformat_en: attr.reformat_en, termination_table: false,
    sw_owner: attr.sw_owner, icm_address_rx: attr.icm_addr_rx, icm_address_tx: attr.icm_addr_tx,
  });
  return { err, table_id: err ? 0 : out.table_id! };
}, { input: (_d, a) => `level ${a.level} sw_owner ${a.sw_owner ? 1 : 0}` });

/** mlx5dr_cmd_destroy_flow_table (steering/sws/dr_cmd.c, v6.18) */
export const mlx5dr_cmd_destroy_flow_table = hop(FILE, function mlx5dr_cmd_destroy_flow_table(mdev: Mlx5CoreDev, table_id: number): 0 | NegErrno {
  return mlx5_cmd_exec(mdev, { opcode: MLX5_CMD_OP_DESTROY_FLOW_TABLE, op_mod: 0, table_type: FS_FT_FDB, table_id, vport_number: 0 }).err;
}, { input: (_d, id) => `table_id ${id}` });

/** mlx5dr_cmd_create_empty_flow_group (steering/sws/dr_cmd.c, v6.18): a catch-all group at index 0. */
export const mlx5dr_cmd_create_empty_flow_group = hop(FILE, function mlx5dr_cmd_create_empty_flow_group(mdev: Mlx5CoreDev, table_id: number): { err: 0 | NegErrno; group_id: number } {
  const { err, out } = mlx5_cmd_exec(mdev, {
    opcode: MLX5_CMD_OP_CREATE_FLOW_GROUP, op_mod: 0, table_type: FS_FT_FDB, table_id, vport_number: 0,
    start_flow_index: 0, end_flow_index: 0, match_criteria_enable: 0, match_criteria: {},
  });
  return { err, group_id: err ? 0 : out.group_id! };
}, { input: (_d, id) => `table_id ${id}` });

/** mlx5dr_cmd_destroy_flow_group (steering/sws/dr_cmd.c, v6.18) */
export const mlx5dr_cmd_destroy_flow_group = hop(FILE, function mlx5dr_cmd_destroy_flow_group(mdev: Mlx5CoreDev, table_id: number, group_id: number): 0 | NegErrno {
  return mlx5_cmd_exec(mdev, { opcode: MLX5_CMD_OP_DESTROY_FLOW_GROUP, op_mod: 0, table_type: FS_FT_FDB, table_id, group_id, vport_number: 0 }).err;
}, { input: (_d, t, g) => `table_id ${t} group_id ${g}` });

/** mlx5dr_cmd_set_fte (steering/sws/dr_cmd.c, v6.18): a forward-only entry at index 0 of the group. */
export const mlx5dr_cmd_set_fte = hop(FILE, function mlx5dr_cmd_set_fte(mdev: Mlx5CoreDev, table_id: number, group_id: number, dests: Mlx5drCmdFlowDestinationHwInfo[], ignore_flow_level: boolean, flow_source: number): 0 | NegErrno {
  return mlx5_cmd_exec(mdev, {
    opcode: MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, op_mod: 0, modify_enable_mask: 0, table_type: FS_FT_FDB, table_id, vport_number: 0,
    ignore_flow_level, flow_index: 0,
    flow_context: {
      group_id, flow_tag: 0, flow_source, action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, modify_header_id: 0, packet_reformat_id: 0,
      destination: dests.map((d) => (d.type === 'VPORT'
        ? { destination_type: 'VPORT' as const, destination_id: d.id, ...(d.vhca_id !== undefined ? { destination_eswitch_owner_vhca_id: d.vhca_id } : {}) }
        : { destination_type: 'FLOW_TABLE' as const, destination_id: d.id })),
      flow_counter_id: [], match_value: {},
    },
  }).err;
}, { input: (_d, t, g, dests) => `table_id ${t} group_id ${g} dests ${dests.length}` });

/** mlx5dr_cmd_del_flow_table_entry (steering/sws/dr_cmd.c, v6.18): index 0. */
export const mlx5dr_cmd_del_flow_table_entry = hop(FILE, function mlx5dr_cmd_del_flow_table_entry(mdev: Mlx5CoreDev, table_id: number): 0 | NegErrno {
  return mlx5_cmd_exec(mdev, { opcode: MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY, op_mod: 0, table_type: FS_FT_FDB, table_id, vport_number: 0, flow_index: 0 }).err;
}, { input: (_d, t) => `table_id ${t}` });
