// steering/sws/dr_table.c: a sw-owned table. Each side (RX, TX) of an FDB
// table starts at a one-STE anchor in ICM; the firmware only learns the
// table exists (CREATE_FLOW_TABLE sw_owner) and where its anchors are.
import { hop } from '../../../../trace/hop';
import { EOPNOTSUPP, ENOMEM, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import { MLX5_FLOW_TABLE_TUNNEL_EN_DECAP, MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT } from '../../../../kernel/include/linux/mlx5/fs';
import type { Mlx5drAction, Mlx5drDomain, Mlx5drSteHtbl, Mlx5drTable, Mlx5drTableRxTx } from './dr_types';
import { mlx5dr_ste_htbl_alloc, mlx5dr_ste_htbl_free } from './dr_icm_pool';
import { mlx5dr_send_postsend_formatted_htbl } from './dr_send';
import { mlx5dr_cmd_create_flow_table, mlx5dr_cmd_destroy_flow_table } from './dr_cmd';
import { mlx5dr_err } from './dr_dbg';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_table.c';

/** mlx5dr_ste_htbl_init_and_postsend (steering/sws/dr_ste.c, v6.18): an anchor or end table, written whole. */
export function mlx5dr_ste_htbl_init_and_postsend(tbl: Mlx5drTable, nic_tbl: Mlx5drTableRxTx, htbl: Mlx5drSteHtbl): 0 {
  return mlx5dr_send_postsend_formatted_htbl(tbl.dmn, htbl, { table_id: tbl.table_id, nic: nic_tbl.nic_dmn.type, kind: 'anchor' });
}

/** dr_table_init_nic (steering/sws/dr_table.c, v6.18): the start anchor of one side. */
const dr_table_init_nic = hop(FILE, function dr_table_init_nic(tbl: Mlx5drTable, nic_tbl: Mlx5drTableRxTx): 0 | NegErrno {
  const s_anchor = mlx5dr_ste_htbl_alloc(tbl.dmn, 1);
  if (!s_anchor) {
    mlx5dr_err(tbl.dmn, 'dr_table_init_nic', 136, 'Failed allocating htbl');
    return -ENOMEM;
  }
  nic_tbl.s_anchor = s_anchor;
  return mlx5dr_ste_htbl_init_and_postsend(tbl, nic_tbl, s_anchor);
}, { input: (_t, n) => n.nic_dmn.type });

function dr_table_uninit_nic(tbl: Mlx5drTable, nic_tbl: Mlx5drTableRxTx): void {
  if (nic_tbl.s_anchor) mlx5dr_ste_htbl_free(tbl.dmn, nic_tbl.s_anchor);
  nic_tbl.s_anchor = null;
}

/**
 * mlx5dr_table_create (steering/sws/dr_table.c, v6.18): both anchors of the
 * FDB (RX, then TX), then the sw-owned firmware table at level
 * max_ft_level - 1 pointing at them. NULL on failure.
 */
export const mlx5dr_table_create = hop(FILE, function mlx5dr_table_create(dmn: Mlx5drDomain, level: number, flags: number): Mlx5drTable | null {
  const nic = (t: 'rx' | 'tx'): Mlx5drTableRxTx => ({ nic_dmn: dmn.info[t], s_anchor: null, default_icm_addr: dmn.info[t].default_icm_addr, nic_matcher_list: [] });
  const tbl: Mlx5drTable = { dmn, level, flags, table_id: 0, rx: nic('rx'), tx: nic('tx'), matchers: new Set(), miss_action: null };
  // dr_table_init_fdb: RX then TX; the anchors are written before the table id exists.
  if (dr_table_init_nic(tbl, tbl.rx)) return null;
  if (dr_table_init_nic(tbl, tbl.tx)) {
    dr_table_uninit_nic(tbl, tbl.rx);
    return null;
  }
  // dr_table_create_sw_owned_tbl
  const { err, table_id } = mlx5dr_cmd_create_flow_table(dmn.mdev, {
    level: dmn.info.caps.max_ft_level - 1, sw_owner: true,
    icm_addr_rx: tbl.rx.s_anchor!.chunk.icm_addr, icm_addr_tx: tbl.tx.s_anchor!.chunk.icm_addr,
    decap_en: (flags & MLX5_FLOW_TABLE_TUNNEL_EN_DECAP) !== 0, reformat_en: (flags & MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT) !== 0,
  });
  if (err) {
    dr_table_uninit_nic(tbl, tbl.rx);
    dr_table_uninit_nic(tbl, tbl.tx);
    return null;
  }
  tbl.table_id = table_id;
  // Views name the anchors' table once it has an id.
  for (const n of [tbl.rx, tbl.tx]) dmn.icm.set_table(n.s_anchor!.chunk.icm_addr, table_id);
  dmn.tables.add(tbl);
  return tbl;
}, { input: (_d, level, flags) => `level ${level} flags 0x${flags.toString(16)}`, result: (t) => (t ? `table_id ${t.table_id}` : 'NULL') });

/** mlx5dr_table_destroy (steering/sws/dr_table.c, v6.18): the firmware table, then the anchors. */
export const mlx5dr_table_destroy = hop(FILE, function mlx5dr_table_destroy(tbl: Mlx5drTable): 0 | NegErrno {
  const ret = mlx5dr_cmd_destroy_flow_table(tbl.dmn.mdev, tbl.table_id);
  if (ret) mlx5dr_err(tbl.dmn, 'mlx5dr_table_destroy', 298, 'Failed to destroy sw owned table');
  dr_table_uninit_nic(tbl, tbl.rx);
  dr_table_uninit_nic(tbl, tbl.tx);
  tbl.dmn.tables.delete(tbl);
  return ret;
}, { input: (t) => `table_id ${t.table_id}` });

/**
 * mlx5dr_table_set_miss_action (steering/sws/dr_table.c, v6.18): only a
 * table action; each side's last anchor (the last matcher's end anchor, or
 * the start anchor) is rewritten to miss to the next table's start.
 */
export const mlx5dr_table_set_miss_action = hop(FILE, function mlx5dr_table_set_miss_action(tbl: Mlx5drTable, action: Mlx5drAction | null): 0 | NegErrno {
  if (action && action.action_type !== 'DR_ACTION_TYP_FT') return -EOPNOTSUPP;
  for (const nic_tbl of [tbl.rx, tbl.tx]) {
    const last = nic_tbl.nic_matcher_list[nic_tbl.nic_matcher_list.length - 1];
    const last_htbl = last ? last.e_anchor! : nic_tbl.s_anchor!;
    nic_tbl.default_icm_addr = action ? action.id : nic_tbl.nic_dmn.default_icm_addr;
    mlx5dr_ste_htbl_init_and_postsend(tbl, nic_tbl, last_htbl);
  }
  tbl.miss_action = action;
  return 0;
}, { input: (t, a) => `table_id ${t.table_id} miss ${a ? `table ${a.id}` : 'default'}` });
