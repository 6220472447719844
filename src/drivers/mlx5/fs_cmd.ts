// core/fs_cmd.c: the DMFS backend (struct mlx5_flow_cmds mlx5_flow_cmds):
// every flow-steering object becomes a firmware command.
import { hop } from '../../trace/hop';
import { ENOSPC, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import {
  MLX5_CMD_OP_CREATE_FLOW_TABLE, MLX5_CMD_OP_DESTROY_FLOW_TABLE, MLX5_CMD_OP_CREATE_FLOW_GROUP,
  MLX5_CMD_OP_DESTROY_FLOW_GROUP, MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY,
  MLX5_FLOW_TABLE_MISS_ACTION_DEF, MLX5_FLOW_TABLE_MISS_ACTION_FWD, MLX5_FLOW_CONTEXT_ACTION_COUNT,
  MLX5_CMD_OP_ALLOC_FLOW_COUNTER, MLX5_CMD_OP_DEALLOC_FLOW_COUNTER, MLX5_CMD_OP_QUERY_FLOW_COUNTER,
  type Mlx5IfcDestination,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, MLX5_FLOW_DEST_VPORT_VHCA_ID,
  MLX5_FLOW_TABLE_TUNNEL_EN_DECAP, MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT, MLX5_FLOW_TABLE_TERMINATION,
} from '../../kernel/include/linux/mlx5/fs';
import { mlx5_cmd_exec } from './cmd';
import { mlx5_ft_pool_get_avail_sz, mlx5_ft_pool_put_sz } from './fs_ft_pool';
import type {
  Mlx5FlowRootNamespace, Mlx5FlowTable, Mlx5FlowTableAttr, Mlx5FlowGroup, FsFte,
  Mlx5FlowGroupIn,
} from './fs_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/fs_cmd.c';

/** struct mlx5_flow_cmds (core/fs_cmd.h): the backend a root namespace uses. */
export interface Mlx5FlowCmds {
  create_flow_table(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, ft_attr: Mlx5FlowTableAttr, next_ft: Mlx5FlowTable | null): 0 | NegErrno;
  destroy_flow_table(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable): 0 | NegErrno;
  create_flow_group(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg_in: Mlx5FlowGroupIn, fg: Mlx5FlowGroup): 0 | NegErrno;
  destroy_flow_group(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg: Mlx5FlowGroup): 0 | NegErrno;
  create_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg: Mlx5FlowGroup, fte: FsFte): 0 | NegErrno;
  update_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg: Mlx5FlowGroup, modify_mask: number, fte: FsFte): 0 | NegErrno;
  delete_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fte: FsFte): 0 | NegErrno;
}

/**
 * mlx5_cmd_create_flow_table (core/fs_cmd.c, v6.18): the size comes from the
 * table pool (none left → -ENOSPC); misses forward to next_ft when given.
 */
export const mlx5_cmd_create_flow_table = hop(FILE, function mlx5_cmd_create_flow_table(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, ft_attr: Mlx5FlowTableAttr, next_ft: Mlx5FlowTable | null): 0 | NegErrno {
  const dev = ns.dev;
  const size = mlx5_ft_pool_get_avail_sz(dev, ft.type, ft_attr.max_fte);
  if (!size) return -ENOSPC;
  const { err, out } = mlx5_cmd_exec(dev, {
    opcode: MLX5_CMD_OP_CREATE_FLOW_TABLE, op_mod: 0,
    table_type: ft.type, vport_number: 0, other_vport: false,
    level: ft.level, log_size: Math.log2(size),
    table_miss_action: next_ft ? MLX5_FLOW_TABLE_MISS_ACTION_FWD : MLX5_FLOW_TABLE_MISS_ACTION_DEF,
    table_miss_id: next_ft ? next_ft.id : 0,
    decap_en: (ft.flags & MLX5_FLOW_TABLE_TUNNEL_EN_DECAP) !== 0,
    reformat_en: (ft.flags & MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT) !== 0,
    termination_table: (ft.flags & MLX5_FLOW_TABLE_TERMINATION) !== 0,
  });
  if (err) {
    mlx5_ft_pool_put_sz(dev, size);
    return err;
  }
  ft.id = out.table_id!;
  ft.max_fte = size;
  return 0;
}, { input: (_ns, ft, a) => `level ${ft.level} max_fte ${a.max_fte}` });

/** mlx5_cmd_destroy_flow_table (core/fs_cmd.c, v6.18): the size goes back to its pool on success. */
export const mlx5_cmd_destroy_flow_table = hop(FILE, function mlx5_cmd_destroy_flow_table(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable): 0 | NegErrno {
  const { err } = mlx5_cmd_exec(ns.dev, {
    opcode: MLX5_CMD_OP_DESTROY_FLOW_TABLE, op_mod: 0, table_type: ft.type, table_id: ft.id, vport_number: 0,
  });
  if (!err) mlx5_ft_pool_put_sz(ns.dev, ft.max_fte);
  return err;
}, { input: (_ns, ft) => `table_id ${ft.id}` });

/** mlx5_cmd_create_flow_group (core/fs_cmd.c) */
export const mlx5_cmd_create_flow_group = hop(FILE, function mlx5_cmd_create_flow_group(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg_in: Mlx5FlowGroupIn, fg: Mlx5FlowGroup): 0 | NegErrno {
  const { err, out } = mlx5_cmd_exec(ns.dev, {
    opcode: MLX5_CMD_OP_CREATE_FLOW_GROUP, op_mod: 0, table_type: ft.type, table_id: ft.id, vport_number: 0,
    start_flow_index: fg_in.start_flow_index, end_flow_index: fg_in.end_flow_index,
    match_criteria_enable: fg_in.match_criteria_enable, match_criteria: { ...fg_in.match_criteria },
  });
  if (!err) fg.id = out.group_id!;
  return err;
}, { input: (_ns, ft, i) => `table_id ${ft.id} [${i.start_flow_index}..${i.end_flow_index}]` });

/** mlx5_cmd_destroy_flow_group (core/fs_cmd.c) */
export const mlx5_cmd_destroy_flow_group = hop(FILE, function mlx5_cmd_destroy_flow_group(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg: Mlx5FlowGroup): 0 | NegErrno {
  return mlx5_cmd_exec(ns.dev, {
    opcode: MLX5_CMD_OP_DESTROY_FLOW_GROUP, op_mod: 0, table_type: ft.type, table_id: ft.id, group_id: fg.id, vport_number: 0,
  }).err;
}, { input: (_ns, ft, fg) => `table_id ${ft.id} group_id ${fg.id}` });

/**
 * mlx5_cmd_set_fte (core/fs_cmd.c, v6.18): flow_index = fte->index, the
 * destination list without counters, then the counter list.
 * Extended destinations (encap with several outputs) are not modelled.
 */
export const mlx5_cmd_set_fte = hop(FILE, function mlx5_cmd_set_fte(ns: Mlx5FlowRootNamespace, opmod: 0 | 1, modify_mask: number, ft: Mlx5FlowTable, group_id: number, fte: FsFte): 0 | NegErrno {
  const destination: Mlx5IfcDestination[] = [];
  const counters: number[] = [];
  for (const r of fte.rules) {
    const d = r.dest_attr;
    if (!d) continue;
    switch (d.type) {
      case 'MLX5_FLOW_DESTINATION_TYPE_COUNTER':
        counters.push(d.counter!.id);
        break;
      case 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE':
        destination.push({ destination_type: 'FLOW_TABLE', destination_id: d.ft!.id });
        break;
      case 'MLX5_FLOW_DESTINATION_TYPE_VPORT': {
        const v = d.vport!;
        destination.push(v.flags & MLX5_FLOW_DEST_VPORT_VHCA_ID
          ? { destination_type: 'VPORT', destination_id: v.num, destination_eswitch_owner_vhca_id: v.vhca_id }
          : { destination_type: 'VPORT', destination_id: v.num });
        break;
      }
      case 'MLX5_FLOW_DESTINATION_TYPE_TIR':
        destination.push({ destination_type: 'TIR', destination_id: d.tir_num! });
        break;
    }
  }
  return mlx5_cmd_exec(ns.dev, {
    opcode: MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, op_mod: opmod, modify_enable_mask: modify_mask,
    table_type: ft.type, table_id: ft.id, vport_number: 0,
    ignore_flow_level: (fte.action.flags & FLOW_ACT_IGNORE_FLOW_LEVEL) !== 0,
    flow_index: fte.index,
    flow_context: {
      group_id, flow_tag: fte.flow_context.flow_tag, flow_source: fte.flow_context.flow_source,
      action: fte.action.action, modify_header_id: 0, packet_reformat_id: 0,
      destination,
      flow_counter_id: fte.action.action & MLX5_FLOW_CONTEXT_ACTION_COUNT ? counters : [],
      match_value: { ...fte.val },
      ...(fte.action.vlan?.length ? { push_vlan: fte.action.vlan.map((v) => ({ vlan_ethtype: v.ethtype, vid: v.vid, prio: v.prio })) } : {}),
    },
  }).err;
}, { input: (_ns, opmod, _m, ft, g, fte) => `op_mod ${opmod} table_id ${ft.id} group_id ${g} index ${fte.index}` });

/** mlx5_cmd_create_fte (core/fs_cmd.c): SET_FLOW_TABLE_ENTRY with op_mod 0. */
export const mlx5_cmd_create_fte = hop(FILE, function mlx5_cmd_create_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg: Mlx5FlowGroup, fte: FsFte): 0 | NegErrno {
  return mlx5_cmd_set_fte(ns, 0, 0, ft, fg.id, fte);
}, { input: (_ns, ft, _g, fte) => `table_id ${ft.id} index ${fte.index}` });

/** mlx5_cmd_update_fte (core/fs_cmd.c): op_mod 1 (flow_modify_en is assumed present). */
export const mlx5_cmd_update_fte = hop(FILE, function mlx5_cmd_update_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fg: Mlx5FlowGroup, modify_mask: number, fte: FsFte): 0 | NegErrno {
  return mlx5_cmd_set_fte(ns, 1, modify_mask, ft, fg.id, fte);
}, { input: (_ns, ft, _g, _m, fte) => `table_id ${ft.id} index ${fte.index}` });

/** mlx5_cmd_delete_fte (core/fs_cmd.c) */
export const mlx5_cmd_delete_fte = hop(FILE, function mlx5_cmd_delete_fte(ns: Mlx5FlowRootNamespace, ft: Mlx5FlowTable, fte: FsFte): 0 | NegErrno {
  return mlx5_cmd_exec(ns.dev, {
    opcode: MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY, op_mod: 0, table_type: ft.type, table_id: ft.id, vport_number: 0, flow_index: fte.index,
  }).err;
}, { input: (_ns, ft, fte) => `table_id ${ft.id} index ${fte.index}` });

/** mlx5_flow_cmds (core/fs_cmd.c): the firmware (DMFS) backend. */
export const mlx5_flow_cmds = {
  create_flow_table: mlx5_cmd_create_flow_table,
  destroy_flow_table: mlx5_cmd_destroy_flow_table,
  create_flow_group: mlx5_cmd_create_flow_group,
  destroy_flow_group: mlx5_cmd_destroy_flow_group,
  create_fte: mlx5_cmd_create_fte,
  update_fte: mlx5_cmd_update_fte,
  delete_fte: mlx5_cmd_delete_fte,
} satisfies Mlx5FlowCmds;

// ---- flow counters (core/fs_cmd.c mlx5_cmd_fc_*) ---------------------------

/** mlx5_cmd_fc_alloc (core/fs_cmd.c): one counter (bulk allocation is not modelled). */
export const mlx5_cmd_fc_alloc = hop(FILE, function mlx5_cmd_fc_alloc(ns_dev: Mlx5FlowRootNamespace['dev']): { err: 0 | NegErrno; id: number } {
  const { err, out } = mlx5_cmd_exec(ns_dev, { opcode: MLX5_CMD_OP_ALLOC_FLOW_COUNTER, op_mod: 0, flow_counter_bulk: 0 });
  return { err, id: err ? 0 : out.flow_counter_id! };
});

/** mlx5_cmd_fc_free (core/fs_cmd.c) */
export const mlx5_cmd_fc_free = hop(FILE, function mlx5_cmd_fc_free(ns_dev: Mlx5FlowRootNamespace['dev'], id: number): 0 | NegErrno {
  return mlx5_cmd_exec(ns_dev, { opcode: MLX5_CMD_OP_DEALLOC_FLOW_COUNTER, op_mod: 0, flow_counter_id: id }).err;
}, { input: (_d, id) => `flow_counter_id ${id}` });

/** mlx5_cmd_fc_query (core/fs_cmd.c) */
export const mlx5_cmd_fc_query = hop(FILE, function mlx5_cmd_fc_query(ns_dev: Mlx5FlowRootNamespace['dev'], id: number): { err: 0 | NegErrno; packets: number; bytes: number } {
  const { err, out } = mlx5_cmd_exec(ns_dev, { opcode: MLX5_CMD_OP_QUERY_FLOW_COUNTER, op_mod: 0, flow_counter_id: id, num_of_counters: 0, clear: false });
  const s = out.flow_statistics?.[0];
  return { err, packets: s?.packets ?? 0, bytes: s?.octets ?? 0 };
}, { input: (_d, id) => `flow_counter_id ${id}` });
