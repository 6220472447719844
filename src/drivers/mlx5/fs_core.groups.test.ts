// fs_core's group bookkeeping (fgs_hash by mask, the first-fit resume hint)
// against the plain definitions: a random walk of adds and deletes on a small
// auto-grouped table, checked after every step.
import { describe, expect, it } from 'vitest';
import { errnoName } from '../../kernel/include/uapi/asm-generic/errno';
import { MLX5_MATCH_OUTER_HEADERS } from '../../kernel/include/linux/mlx5/device';
import { MLX5_FLOW_CONTEXT_ACTION_DROP, MLX5_SET, fte_match_param_equal } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import { FLOW_ACT_NO_APPEND, mlx5_flow_spec_zero, type Mlx5FlowSpec } from '../../kernel/include/linux/mlx5/fs';
import {
  mlx5_add_flow_rules, mlx5_create_auto_grouped_flow_table, mlx5_del_flow_rules, mlx5_flow_table_attr,
  mlx5_get_flow_namespace, type Mlx5FlowHandle, type Mlx5FlowTable,
} from './fs_core';
import { Rig, deviceSpec } from './mlx5.testlib';

function maskSpec(n: number, value: number): Mlx5FlowSpec {
  const s = mlx5_flow_spec_zero();
  s.match_criteria_enable = MLX5_MATCH_OUTER_HEADERS;
  MLX5_SET(s.match_criteria, 'outer_headers.tcp_dport', n);
  MLX5_SET(s.match_value, 'outer_headers.tcp_dport', value & n);
  return s;
}

/** The first gap of `size` entries below autogroup.max_fte, walking groups in start order (no hint). */
function firstFit(ft: Mlx5FlowTable, size: number): number {
  let c = 0;
  for (const g of ft.fgs) {
    if (c + size > g.start_index) c = g.start_index + g.max_ftes;
    else break;
  }
  return c;
}

/** A small deterministic generator, so a failure replays. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

describe('fs_core group bookkeeping', () => {
  it.each([1, 2, 3])('random adds and deletes (seed %i): match lists and new groups as the plain walk', (seed) => {
    const r = new Rig(deviceSpec({ eswitch_mode: 'legacy' }));
    const ft = r.run(() => mlx5_create_auto_grouped_flow_table(mlx5_get_flow_namespace(r.core, 'MLX5_FLOW_NAMESPACE_KERNEL'),
      mlx5_flow_table_attr({ level: 1, max_fte: 128, autogroup: { max_num_groups: 4, num_reserved_entries: 2 } })));
    if (typeof ft === 'number') throw new Error(`mlx5_create_auto_grouped_flow_table: got ${errnoName(ft)}`);
    const rand = lcg(seed);
    const live: Mlx5FlowHandle[] = [];
    for (let step = 0; step < 600; step++) {
      if (live.length > 0 && rand() < 0.4) {
        const h = live.splice(Math.floor(rand() * live.length), 1)[0]!;
        r.run(() => mlx5_del_flow_rules(h));
      } else {
        const spec = maskSpec(1 + Math.floor(rand() * 12), step);
        const groupsBefore = new Set(ft.fgs);
        const full = ft.autogroup.num_groups < ft.autogroup.required_groups ? ft.autogroup.group_size : 1;
        const want = firstFit(ft, full);
        const h = r.run(() => mlx5_add_flow_rules(ft, spec, { action: MLX5_FLOW_CONTEXT_ACTION_DROP, flags: FLOW_ACT_NO_APPEND }, []));
        if (typeof h !== 'number') {
          live.push(h);
          const made = ft.fgs.filter((g) => !groupsBefore.has(g));
          if (made.length === 1) expect(made[0]!.start_index, `step ${step}: new group start`).toBe(want);
        }
      }
      // fgs sorted; every mask's hash list is the groups with that mask, in order.
      expect(ft.fgs.map((g) => g.start_index)).toEqual([...ft.fgs.map((g) => g.start_index)].sort((a, b) => a - b));
      for (const g of ft.fgs) {
        const plain = ft.fgs.filter((x) => x.mask.match_criteria_enable === g.mask.match_criteria_enable
          && fte_match_param_equal(x.mask.match_criteria, g.mask.match_criteria));
        const hashed = [...ft.fgs_hash!.values()].find((l) => l.includes(g));
        expect(hashed, `step ${step}: group at ${g.start_index}`).toEqual(plain);
      }
    }
  });
});
