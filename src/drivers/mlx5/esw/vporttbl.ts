// core/esw/vporttbl.c: per (chain, prio, vport) FDB tables. A mirror split
// puts the rest of the rule (rewrite and later outputs) in the ingress
// vport's mirror table, which the forward rule jumps to after the mirrors.
import { hop } from '../../../trace/hop';
import type { NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { mlx5_create_auto_grouped_flow_table, mlx5_destroy_flow_table, mlx5_flow_table_attr, mlx5_get_flow_namespace, type Mlx5FlowTable } from '../fs_core';
import type { Mlx5Eswitch } from '../eswitch';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/esw/vporttbl.c';

/** struct esw_vport_tbl_namespace mlx5_esw_vport_tbl_mirror_ns (eswitch_offloads.c, v6.18) */
export const mlx5_esw_vport_tbl_mirror_ns = { max_fte: 128 /* MLX5_ESW_VPORT_TBL_SIZE */, max_num_groups: 4 /* MLX5_ESW_VPORT_TBL_NUM_GROUPS */, flags: 0 };

/** struct mlx5_vport_tbl_attr */
export interface Mlx5VportTblAttr {
  chain: number;
  prio: number;
  vport: number;
}

function vport_tbl_key(attr: Mlx5VportTblAttr): string {
  return `${attr.chain}/${attr.prio}/${attr.vport}/mirror`;
}

/**
 * mlx5_esw_vporttbl_get (core/esw/vporttbl.c, v6.18): the table of this
 * (chain, prio, vport), created with its first user in the FDB_PER_VPORT
 * priority (after the slow path; `level` is that firmware level here).
 */
export const mlx5_esw_vporttbl_get = hop(FILE, function mlx5_esw_vporttbl_get(esw: Mlx5Eswitch, attr: Mlx5VportTblAttr, level: number): Mlx5FlowTable | NegErrno {
  const tbls = (esw.offloads.vport_tbls ??= new Map());
  const key = vport_tbl_key(attr);
  const e = tbls.get(key);
  if (e) {
    e.ref++;
    return e.ft;
  }
  const ns = mlx5_get_flow_namespace(esw.dev, 'MLX5_FLOW_NAMESPACE_FDB');
  const ft = mlx5_create_auto_grouped_flow_table(ns, mlx5_flow_table_attr({
    level, max_fte: mlx5_esw_vport_tbl_mirror_ns.max_fte, flags: mlx5_esw_vport_tbl_mirror_ns.flags,
    autogroup: { max_num_groups: mlx5_esw_vport_tbl_mirror_ns.max_num_groups, num_reserved_entries: 0 },
  }));
  if (typeof ft === 'number') {
    esw.dev.net.printk('warn', `${esw.dev.device}: E-Switch: Failed to create per vport FDB Table err ${ft}`);
    return ft;
  }
  tbls.set(key, { ft, ref: 1 });
  return ft;
}, { input: (_e, a) => `chain ${a.chain} prio ${a.prio} vport ${a.vport}`, result: (r) => (typeof r === 'number' ? undefined : `ft ${r.id}`) });

/** mlx5_esw_vporttbl_put (core/esw/vporttbl.c, v6.18): the last user destroys the table. */
export const mlx5_esw_vporttbl_put = hop(FILE, function mlx5_esw_vporttbl_put(esw: Mlx5Eswitch, attr: Mlx5VportTblAttr): void {
  const tbls = esw.offloads.vport_tbls;
  const key = vport_tbl_key(attr);
  const e = tbls?.get(key);
  if (!e || --e.ref > 0) return;
  tbls!.delete(key);
  mlx5_destroy_flow_table(e.ft);
}, { input: (_e, a) => `chain ${a.chain} prio ${a.prio} vport ${a.vport}` });
