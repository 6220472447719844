// steering/sws/dr_fw.c: firmware-owned tables software steering needs for
// what STEs cannot express; here the multi-destination table (mirror): a
// one-entry firmware table whose FTE forwards to every destination.
import { hop } from '../../../../trace/hop';
import type { NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import type { Mlx5drCmdFlowDestinationHwInfo, Mlx5drDomain } from './dr_types';
import {
  mlx5dr_cmd_create_empty_flow_group, mlx5dr_cmd_create_flow_table, mlx5dr_cmd_del_flow_table_entry,
  mlx5dr_cmd_destroy_flow_group, mlx5dr_cmd_destroy_flow_table, mlx5dr_cmd_set_fte,
} from './dr_cmd';
import { mlx5dr_err } from './dr_dbg';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_fw.c';

/** MLX5_FT_MAX_MULTIPATH_LEVEL (core/fs_core.h) */
const MLX5_FT_MAX_MULTIPATH_LEVEL = 63;

/**
 * mlx5dr_fw_create_md_tbl (steering/sws/dr_fw.c, v6.18): table (level
 * min(max_ft_level - 2, 63)), empty group, one forwarding FTE; unwound on
 * failure with the firmware's errno.
 */
export const mlx5dr_fw_create_md_tbl = hop(FILE, function mlx5dr_fw_create_md_tbl(dmn: Mlx5drDomain, dest: Mlx5drCmdFlowDestinationHwInfo[], reformat_req: boolean, ignore_flow_level: boolean, flow_source: number): { err: 0 | NegErrno; tbl_id: number; group_id: number } {
  const t = mlx5dr_cmd_create_flow_table(dmn.mdev, {
    level: Math.min(dmn.info.caps.max_ft_level - 2, MLX5_FT_MAX_MULTIPATH_LEVEL), sw_owner: false, icm_addr_rx: 0, icm_addr_tx: 0,
    decap_en: reformat_req, reformat_en: reformat_req,
  });
  if (t.err) {
    mlx5dr_err(dmn, 'mlx5dr_fw_create_md_tbl', 124, `Failed creating multi dest FW flow table ${t.err}`);
    return { err: t.err, tbl_id: 0, group_id: 0 };
  }
  const g = mlx5dr_cmd_create_empty_flow_group(dmn.mdev, t.table_id);
  if (g.err) {
    mlx5dr_err(dmn, 'mlx5dr_fw_create_md_tbl', 132, `Failed creating multi dest FW flow group ${g.err}`);
    mlx5dr_cmd_destroy_flow_table(dmn.mdev, t.table_id);
    return { err: g.err, tbl_id: 0, group_id: 0 };
  }
  const err = mlx5dr_cmd_set_fte(dmn.mdev, t.table_id, g.group_id, dest, ignore_flow_level, flow_source);
  if (err) {
    mlx5dr_err(dmn, 'mlx5dr_fw_create_md_tbl', 147, `Failed setting fte into table ${err}`);
    mlx5dr_cmd_destroy_flow_group(dmn.mdev, t.table_id, g.group_id);
    mlx5dr_cmd_destroy_flow_table(dmn.mdev, t.table_id);
    return { err, tbl_id: 0, group_id: 0 };
  }
  dmn.fw_tables.add(t.table_id);
  return { err: 0, tbl_id: t.table_id, group_id: g.group_id };
}, { input: (_d, dest) => `${dest.length} destinations` });

/** mlx5dr_fw_destroy_md_tbl (steering/sws/dr_fw.c, v6.18): entry, group, table. */
export const mlx5dr_fw_destroy_md_tbl = hop(FILE, function mlx5dr_fw_destroy_md_tbl(dmn: Mlx5drDomain, tbl_id: number, group_id: number): void {
  mlx5dr_cmd_del_flow_table_entry(dmn.mdev, tbl_id);
  mlx5dr_cmd_destroy_flow_group(dmn.mdev, tbl_id, group_id);
  mlx5dr_cmd_destroy_flow_table(dmn.mdev, tbl_id);
  dmn.fw_tables.delete(tbl_id);
}, { input: (_d, t) => `table_id ${t}` });
