// core/fs_cmd.c: the DMFS backend (struct mlx5_flow_cmds mlx5_flow_cmds):
// every flow-steering object becomes a firmware command.
import { hop } from '../../trace/hop';
import { ENOSPC, EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import {
  MLX5_CMD_OP_CREATE_FLOW_TABLE, MLX5_CMD_OP_DESTROY_FLOW_TABLE, MLX5_CMD_OP_CREATE_FLOW_GROUP,
  MLX5_CMD_OP_DESTROY_FLOW_GROUP, MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY, MLX5_CMD_OP_DELETE_FLOW_TABLE_ENTRY,
  MLX5_FLOW_TABLE_MISS_ACTION_DEF, MLX5_FLOW_TABLE_MISS_ACTION_FWD, MLX5_FLOW_CONTEXT_ACTION_COUNT,
  MLX5_CMD_OP_ALLOC_FLOW_COUNTER, MLX5_CMD_OP_DEALLOC_FLOW_COUNTER, MLX5_CMD_OP_QUERY_FLOW_COUNTER,
  MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT, MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT, MLX5_FLOW_CONTEXT_ACTION_MOD_HDR,
  MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO,
  FS_FT_FDB, FS_FT_NIC_RX,
  type Mlx5IfcDestination, type Mlx5IfcModifyAction,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, MLX5_FLOW_DEST_VPORT_VHCA_ID,
  MLX5_FLOW_TABLE_TUNNEL_EN_DECAP, MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT, MLX5_FLOW_TABLE_TERMINATION,
  type Mlx5FlowNamespaceType, type Mlx5ModifyHdr,
} from '../../kernel/include/linux/mlx5/fs';
import { mlx5_cmd_exec } from './cmd';
import { mlx5_ft_pool_get_avail_sz, mlx5_ft_pool_put_sz } from './fs_ft_pool';
import type {
  Mlx5FlowRootNamespace, Mlx5FlowTable, Mlx5FlowTableAttr, Mlx5FlowGroup, FsFte,
  Mlx5FlowGroupIn, Mlx5PktReformat,
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
  modify_header_alloc(ns: Mlx5FlowRootNamespace, namespace: Mlx5FlowNamespaceType, num_actions: number, modify_actions: Mlx5IfcModifyAction[], modify_hdr: Mlx5ModifyHdr): 0 | NegErrno;
  modify_header_dealloc(ns: Mlx5FlowRootNamespace, modify_hdr: Mlx5ModifyHdr): void;
  packet_reformat_alloc(ns: Mlx5FlowRootNamespace, params: { type: number; param_0?: number; size: number; data: Uint8Array }, namespace: Mlx5FlowNamespaceType, pkt_reformat: Mlx5PktReformat): 0 | NegErrno;
  packet_reformat_dealloc(ns: Mlx5FlowRootNamespace, pkt_reformat: Mlx5PktReformat): void;
  /** create_ns / destroy_ns: the backend's per-namespace state (a software-steering domain). */
  create_ns(ns: Mlx5FlowRootNamespace): 0 | NegErrno;
  destroy_ns(ns: Mlx5FlowRootNamespace): 0 | NegErrno;
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
      action: fte.action.action,
      modify_header_id: fte.action.action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR ? fte.action.modify_hdr?.id ?? 0 : 0,
      packet_reformat_id: fte.action.action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT ? fte.action.pkt_reformat?.id ?? 0 : 0,
      ...(fte.action.action & MLX5_FLOW_CONTEXT_ACTION_EXECUTE_ASO ? { exe_aso_object_id: fte.action.exe_aso?.object_id ?? 0 } : {}),
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

/**
 * mlx5_core_warn (core/mlx5_core.h) from fs_cmd.c: dev_warn with
 * "<func>:<line>:(pid N): ". The line number is that of a v6.x fs_cmd.c, not
 * checked against the pinned file.
 */
function fs_cmd_warn(dev: Mlx5FlowRootNamespace['dev'], func: string, line: number, text: string): void {
  dev.net.printk('warn', `${dev.device}: ${func}:${line}:(pid ${dev.drv.pid}): ${text}`);
}

/**
 * mlx5_cmd_modify_header_alloc (core/fs_cmd.c, v6.18): the namespace gives
 * the table type and the max_modify_header_actions cap; more actions than
 * the cap is refused before any command.
 */
export const mlx5_cmd_modify_header_alloc = hop(FILE, function mlx5_cmd_modify_header_alloc(ns: Mlx5FlowRootNamespace, namespace: Mlx5FlowNamespaceType, num_actions: number, modify_actions: Mlx5IfcModifyAction[], modify_hdr: Mlx5ModifyHdr): 0 | NegErrno {
  const dev = ns.dev;
  let table_type: typeof FS_FT_FDB | typeof FS_FT_NIC_RX;
  switch (namespace) {
    case 'MLX5_FLOW_NAMESPACE_FDB': table_type = FS_FT_FDB; break;
    case 'MLX5_FLOW_NAMESPACE_KERNEL': table_type = FS_FT_NIC_RX; break;
    default: return -EOPNOTSUPP;
  }
  // Both caps (NIC RX and FDB) come from the same device field here.
  const max_actions = dev.caps.max_modify_header_actions ?? 32;
  if (num_actions > max_actions) {
    fs_cmd_warn(dev, 'mlx5_cmd_modify_header_alloc', 1013, `too many modify header actions ${num_actions}, max supported ${max_actions}`);
    return -EOPNOTSUPP;
  }
  const { err, out } = mlx5_cmd_exec(dev, {
    opcode: MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT, op_mod: 0, table_type, num_of_actions: num_actions,
    actions: modify_actions.map((a) => ({ ...a })),
  });
  if (!err) modify_hdr.id = out.modify_header_id!;
  return err;
}, { input: (_ns, namespace, n) => `${namespace.replace('MLX5_FLOW_NAMESPACE_', '')} num_actions ${n}` });

/** mlx5_cmd_modify_header_dealloc (core/fs_cmd.c, v6.18): the status is not checked by callers. */
export const mlx5_cmd_modify_header_dealloc = hop(FILE, function mlx5_cmd_modify_header_dealloc(ns: Mlx5FlowRootNamespace, modify_hdr: Mlx5ModifyHdr): void {
  mlx5_cmd_exec(ns.dev, { opcode: MLX5_CMD_OP_DEALLOC_MODIFY_HEADER_CONTEXT, op_mod: 0, modify_header_id: modify_hdr.id });
}, { input: (_ns, m) => `modify_header_id ${m.id}` });

/** mlx5_cmd_stub_create_ns / mlx5_cmd_stub_destroy_ns (core/fs_cmd.c, v6.18): the firmware keeps no namespace state. */
function mlx5_cmd_stub_create_ns(_ns: Mlx5FlowRootNamespace): 0 {
  return 0;
}
function mlx5_cmd_stub_destroy_ns(_ns: Mlx5FlowRootNamespace): 0 {
  return 0;
}

/** mlx5_flow_cmds (core/fs_cmd.c): the firmware (DMFS) backend. */
export const mlx5_flow_cmds = {
  create_flow_table: mlx5_cmd_create_flow_table,
  destroy_flow_table: mlx5_cmd_destroy_flow_table,
  create_flow_group: mlx5_cmd_create_flow_group,
  destroy_flow_group: mlx5_cmd_destroy_flow_group,
  create_fte: mlx5_cmd_create_fte,
  update_fte: mlx5_cmd_update_fte,
  delete_fte: mlx5_cmd_delete_fte,
  modify_header_alloc: mlx5_cmd_modify_header_alloc,
  modify_header_dealloc: mlx5_cmd_modify_header_dealloc,
  // mlx5_cmd_packet_reformat_alloc / _dealloc take the namespace's device.
  packet_reformat_alloc: (ns: Mlx5FlowRootNamespace, params: { type: number; param_0?: number; size: number; data: Uint8Array }, namespace: Mlx5FlowNamespaceType, pkt_reformat: Mlx5PktReformat): 0 | NegErrno => {
    const { err, id } = mlx5_cmd_packet_reformat_alloc(ns.dev, params, namespace);
    if (!err) pkt_reformat.id = id;
    return err;
  },
  packet_reformat_dealloc: (ns: Mlx5FlowRootNamespace, pkt_reformat: Mlx5PktReformat): void => {
    mlx5_cmd_packet_reformat_dealloc(ns.dev, pkt_reformat.id);
  },
  create_ns: mlx5_cmd_stub_create_ns,
  destroy_ns: mlx5_cmd_stub_destroy_ns,
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


// ---- packet reformat (core/fs_cmd.c mlx5_cmd_packet_reformat_*) -----------

import { MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT, MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT, MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT } from '../../kernel/include/linux/mlx5/mlx5_ifc';

/**
 * mlx5_cmd_packet_reformat_alloc (core/fs_cmd.c, v6.18): the namespace gives
 * the table type; the header goes to the firmware as reformat_data.
 */
export const mlx5_cmd_packet_reformat_alloc = hop(FILE, function mlx5_cmd_packet_reformat_alloc(ns_dev: Mlx5FlowRootNamespace['dev'],
  params: { type: number; param_0?: number; size: number; data: Uint8Array }, namespace: Mlx5FlowNamespaceType): { err: 0 | NegErrno; id: number } {
  let table_type: typeof FS_FT_FDB | typeof FS_FT_NIC_RX;
  switch (namespace) {
    case 'MLX5_FLOW_NAMESPACE_FDB': table_type = FS_FT_FDB; break;
    case 'MLX5_FLOW_NAMESPACE_KERNEL': table_type = FS_FT_NIC_RX; break;
    default: return { err: -EOPNOTSUPP, id: 0 };
  }
  const { err, out } = mlx5_cmd_exec(ns_dev, {
    opcode: MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT, op_mod: 0, table_type, reformat_type: params.type, reformat_param_0: params.param_0 ?? 0,
    reformat_data_size: params.size, reformat_data: [...params.data].map((b) => b.toString(16).padStart(2, '0')).join(''),
  });
  return { err, id: err ? 0 : out.packet_reformat_id! };
}, { input: (_d, p) => `type ${p.type} size ${p.size}` });

/** mlx5_cmd_packet_reformat_dealloc (core/fs_cmd.c, v6.18) */
export const mlx5_cmd_packet_reformat_dealloc = hop(FILE, function mlx5_cmd_packet_reformat_dealloc(ns_dev: Mlx5FlowRootNamespace['dev'], id: number): 0 | NegErrno {
  return mlx5_cmd_exec(ns_dev, { opcode: MLX5_CMD_OP_DEALLOC_PACKET_REFORMAT_CONTEXT, op_mod: 0, packet_reformat_id: id }).err;
}, { input: (_d, id) => `packet_reformat_id ${id}` });
