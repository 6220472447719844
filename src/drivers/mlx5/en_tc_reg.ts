// core/en_tc.h mlx5e_tc_attr_to_reg_mappings and the two core/en_tc.c
// helpers that use them: which metadata register (and bits) carries each
// piece of TC state between tables, written by a modify-header action and
// matched in misc_parameters_2. Kept apart from en_tc.ts so en/ modules
// (tc_ct, post_act) use it without an import cycle.
import type { FteMatchParam } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import { MLX5_MATCH_MISC_PARAMETERS_2 } from '../../kernel/include/linux/mlx5/device';
import type { Mlx5FlowSpec } from '../../kernel/include/linux/mlx5/fs';
import type { Mlx5ModHdrAction } from './en/tc_priv';

/** enum mlx5e_tc_attr_to_reg (core/en_tc.h, the entries this model uses) */
export type Mlx5eTcAttrToReg =
  | 'MAPPED_OBJ_TO_REG' | 'ZONE_TO_REG' | 'ZONE_RESTORE_TO_REG' | 'CTSTATE_TO_REG' | 'MARK_TO_REG'
  | 'LABELS_TO_REG' | 'FTEID_TO_REG' | 'NIC_ZONE_RESTORE_TO_REG' | 'TUNNEL_TO_REG';

/** struct mlx5e_tc_attr_to_reg_mapping: the modify-header field, bit offset and length; the match field (none for reg_b). */
export interface Mlx5eTcAttrToRegMapping {
  mfield: string;
  moffset: number;
  mlen: number;
  match: string | null;
}

/** core/eswitch.h ESW_ZONE_ID_BITS */
export const ESW_ZONE_ID_BITS = 8;
/** include/linux/mlx5/eswitch.h ESW_TUN_OPTS_BITS / ESW_TUN_ID_BITS: enc_opts id and tunnel id widths in reg_c_1. */
export const ESW_TUN_OPTS_BITS = 11;
export const ESW_TUN_ID_BITS = 12;

const reg = (mfield: string, moffset: number, mlen: number, match: string | null): Mlx5eTcAttrToRegMapping => ({ mfield, moffset, mlen, match });

// core/en_tc.c mlx5e_tc_attr_to_reg_mappings and core/en/tc_ct.h *_to_reg_ct (v6.18)
export const mlx5e_tc_attr_to_reg_mappings: Record<Mlx5eTcAttrToReg, Mlx5eTcAttrToRegMapping> = {
  MAPPED_OBJ_TO_REG: reg('METADATA_REG_C_0', 0, 16, 'misc_parameters_2.metadata_reg_c_0'),
  ZONE_TO_REG: reg('METADATA_REG_C_2', 0, 16, 'misc_parameters_2.metadata_reg_c_2'),
  CTSTATE_TO_REG: reg('METADATA_REG_C_2', 16, 16, 'misc_parameters_2.metadata_reg_c_2'),
  ZONE_RESTORE_TO_REG: reg('METADATA_REG_C_1', 0, ESW_ZONE_ID_BITS, 'misc_parameters_2.metadata_reg_c_1'),
  MARK_TO_REG: reg('METADATA_REG_C_3', 0, 32, 'misc_parameters_2.metadata_reg_c_3'),
  LABELS_TO_REG: reg('METADATA_REG_C_4', 0, 32, 'misc_parameters_2.metadata_reg_c_4'),
  // 8 LSB of reg_c_5 are the packet color.
  FTEID_TO_REG: reg('METADATA_REG_C_5', 8, 24, 'misc_parameters_2.metadata_reg_c_5'),
  NIC_ZONE_RESTORE_TO_REG: reg('METADATA_REG_B', 16, ESW_ZONE_ID_BITS, null),
  // Above the zone-restore bits of reg_c_1 (ESW_TUN_OPTS_OFFSET): tunnel id, then enc_opts id.
  TUNNEL_TO_REG: reg('METADATA_REG_C_1', ESW_ZONE_ID_BITS, ESW_TUN_OPTS_BITS + ESW_TUN_ID_BITS, 'misc_parameters_2.metadata_reg_c_1'),
};

/** MLX5_REG_MAPPING_MASK(type): the value bits of a mapping. */
export function mlx5e_reg_mapping_mask(type: Mlx5eTcAttrToReg): number {
  const m = mlx5e_tc_attr_to_reg_mappings[type].mlen;
  return m >= 32 ? 0xffffffff : (2 ** m) - 1;
}

/**
 * mlx5e_tc_match_to_reg_set (core/en_tc.c, v6.18): one set_action_in that
 * writes `data` into the mapping's register bits.
 */
export function mlx5e_tc_match_to_reg_set(mod_acts: Mlx5ModHdrAction[], type: Mlx5eTcAttrToReg, data: number): 0 {
  const m = mlx5e_tc_attr_to_reg_mappings[type];
  mod_acts.push({ action_type: 'SET', field: m.mfield, data: (data & mlx5e_reg_mapping_mask(type)) >>> 0, offset: m.moffset, length: m.mlen });
  return 0;
}

function get32(p: FteMatchParam, path: string): number {
  const v = p[path];
  return typeof v === 'number' ? v >>> 0 : 0;
}

function set32(p: FteMatchParam, path: string, v: number): void {
  if (v) p[path] = v >>> 0;
  else delete p[path];
}

/**
 * mlx5e_tc_match_to_reg_match (core/en_tc.c, v6.18): match `data` under
 * `mask` in the mapping's register bits, keeping the register's other bits.
 */
export function mlx5e_tc_match_to_reg_match(spec: Mlx5FlowSpec, type: Mlx5eTcAttrToReg, data: number, mask: number): void {
  const m = mlx5e_tc_attr_to_reg_mappings[type];
  if (!m.match) throw new Error(`mlx5e_tc_match_to_reg_match: ${type} has no match field`);
  const max = mlx5e_reg_mapping_mask(type);
  const field = m.match;
  const shift = (x: number): number => (m.moffset ? ((x & max) * 2 ** m.moffset) >>> 0 : (x & max) >>> 0);
  const keep = ~shift(max) >>> 0;
  set32(spec.match_criteria, field, ((get32(spec.match_criteria, field) & keep) | shift(mask)) >>> 0);
  set32(spec.match_value, field, ((get32(spec.match_value, field) & keep) | shift(data & mask)) >>> 0);
  spec.match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS_2;
}

/** mlx5e_tc_match_to_reg_get_match (core/en_tc.c, v6.18): the data and mask matched in a mapping's bits. */
export function mlx5e_tc_match_to_reg_get_match(spec: Mlx5FlowSpec, type: Mlx5eTcAttrToReg): { data: number; mask: number } {
  const m = mlx5e_tc_attr_to_reg_mappings[type];
  if (!m.match) return { data: 0, mask: 0 };
  const max = mlx5e_reg_mapping_mask(type);
  const down = (x: number): number => Math.floor(x / 2 ** m.moffset) & max;
  return { data: down(get32(spec.match_value, m.match)) >>> 0, mask: down(get32(spec.match_criteria, m.match)) >>> 0 };
}
