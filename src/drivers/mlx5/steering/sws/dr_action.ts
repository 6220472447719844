// steering/sws/dr_action.c: the actions software steering attaches to a
// rule's last STE. Most are values inside the STE; a header rewrite is a
// list of actions written into action ICM; an encap header is a firmware
// packet-reformat context.
import { hop } from '../../../../trace/hop';
import type { NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import {
  FS_FT_FDB, MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT, MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT,
} from '../../../../kernel/include/linux/mlx5/mlx5_ifc';
import { mlx5_cmd_exec } from '../../cmd';
import type { Mlx5drAction, Mlx5drCmdFlowDestinationHwInfo, Mlx5drDomain } from './dr_types';
import { mlx5dr_fw_create_md_tbl, mlx5dr_fw_destroy_md_tbl } from './dr_fw';
import { mlx5dr_icm_alloc_chunk, mlx5dr_icm_free_chunk } from './dr_icm_pool';
import { mlx5dr_send_postsend_action } from './dr_send';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_action.c';

/**
 * mlx5dr_action_create_modify_header (steering/sws/dr_action.c, v6.18):
 * the rewrite actions go to action ICM through the send ring (the
 * pattern/argument objects of newer devices and the single-action inline
 * form are not modelled). NULL when action ICM is exhausted.
 */
export const mlx5dr_action_create_modify_header = hop(FILE, function mlx5dr_action_create_modify_header(dmn: Mlx5drDomain, num_actions: number): Mlx5drAction | null {
  const chunk = mlx5dr_icm_alloc_chunk(dmn, num_actions);
  if (!chunk) return null;
  mlx5dr_send_postsend_action(dmn, chunk);
  const action: Mlx5drAction = { action_type: 'DR_ACTION_TYP_MODIFY_HDR', id: chunk.icm_addr, chunk };
  dmn.actions.add(action);
  return action;
}, { input: (_d, n) => `${n} actions`, result: (a) => (a ? `icm 0x${a.id.toString(16)}` : 'NULL') });

/**
 * mlx5dr_cmd_create_reformat_ctx (steering/sws/dr_cmd.c, v6.18): an encap
 * header for software steering is still a firmware context.
 */
export const mlx5dr_cmd_create_reformat_ctx = hop('drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_cmd.c', function mlx5dr_cmd_create_reformat_ctx(dmn: Mlx5drDomain, reformat_type: number, param_0: number, data: Uint8Array): { err: 0 | NegErrno; id: number } {
  const { err, out } = mlx5_cmd_exec(dmn.mdev, {
    opcode: MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT, op_mod: 0, table_type: FS_FT_FDB, reformat_type, reformat_param_0: param_0,
    reformat_data_size: data.length, reformat_data: [...data].map((b) => b.toString(16).padStart(2, '0')).join(''),
  });
  return { err, id: err ? 0 : out.packet_reformat_id! };
}, { input: (_d, t, _p, data) => `type ${t} size ${data.length}` });

/**
 * mlx5dr_action_create_mult_dest_tbl (steering/sws/dr_action.c, v6.18):
 * several forward destinations become one table action whose table is a
 * firmware multi-destination table. NULL when the firmware refuses. (The
 * vport's vhca_id and per-destination reformats are not modelled.)
 */
export const mlx5dr_action_create_mult_dest_tbl = hop(FILE, function mlx5dr_action_create_mult_dest_tbl(dmn: Mlx5drDomain, dests: Mlx5drCmdFlowDestinationHwInfo[], ignore_flow_level: boolean, flow_source: number): Mlx5drAction | null {
  const { err, tbl_id, group_id } = mlx5dr_fw_create_md_tbl(dmn, dests, false, ignore_flow_level, flow_source);
  if (err) return null;
  return { action_type: 'DR_ACTION_TYP_FT', id: tbl_id, md: { tbl_id, group_id } };
}, { input: (_d, dests) => dests.map((d) => `${d.type.toLowerCase()} ${d.id}`).join(', '), result: (a) => (a ? `fw table ${a.id}` : 'NULL') });

/** mlx5dr_action_destroy (steering/sws/dr_action.c, v6.18): frees what the action holds. */
export const mlx5dr_action_destroy = hop(FILE, function mlx5dr_action_destroy(dmn: Mlx5drDomain, action: Mlx5drAction): 0 | NegErrno {
  if (action.action_type === 'DR_ACTION_TYP_MODIFY_HDR' && action.chunk) mlx5dr_icm_free_chunk(dmn, action.chunk);
  dmn.actions.delete(action);
  if (action.md) mlx5dr_fw_destroy_md_tbl(dmn, action.md.tbl_id, action.md.group_id);
  if (action.action_type === 'DR_ACTION_TYP_L2_TO_TNL_L2') {
    return mlx5_cmd_exec(dmn.mdev, { opcode: MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT, op_mod: 0, packet_reformat_id: action.id }).err;
  }
  return 0;
}, { input: (_d, a) => `${a.action_type} ${a.id}` });
