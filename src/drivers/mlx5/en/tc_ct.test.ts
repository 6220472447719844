// core/en/tc_ct.c + en/tc/post_act.c + the split in en_tc.c parse_tc_actions:
// what a ct rule leaves in the firmware, and that deleting it frees it all.
import { describe, expect, it } from 'vitest';
import { EOPNOTSUPP, errnoName } from '../../../kernel/include/uapi/asm-generic/errno';
import { TCA_CT_ACT_CLEAR, TCA_CT_ACT_NAT } from '../../../kernel/include/uapi/linux/tc_act/tc_ct';
import {
  TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED, TCA_FLOWER_KEY_CT_FLAGS_INVALID, TCA_FLOWER_KEY_CT_FLAGS_NEW,
  TCA_FLOWER_KEY_CT_FLAGS_RELATED, TCA_FLOWER_KEY_CT_FLAGS_REPLY, TCA_FLOWER_KEY_CT_FLAGS_TRACKED,
} from '../../../kernel/include/uapi/linux/pkt_cls';
import { flow_keys_ext_zero, type FlowKeysExt } from '../../../kernel/include/net/flow_dissector';
import type { FlowClsOffload } from '../../../kernel/include/net/flow_offload';
import { Rig, deviceSpec, ipv4, redirect, type ActionOpt, type FlowerOpts } from '../mlx5.testlib';
import { mlx5_query_ct } from '../query';

function want(call: string, got: number, expected: number): void {
  expect(errnoName(got), `${call}: got ${errnoName(got)}, want ${errnoName(expected)}`).toBe(errnoName(expected));
}

const ct = (zone: number, action = 0): ActionOpt => ({
  id: 'FLOW_ACTION_CT', ct: { zone, action, flow_table: action & TCA_CT_ACT_CLEAR ? null : { zone } },
});
const gotoChain = (chain_index: number): ActionOpt => ({ id: 'FLOW_ACTION_GOTO', chain_index });

const TRK = TCA_FLOWER_KEY_CT_FLAGS_TRACKED;
const EST = TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED;
const RPL = TCA_FLOWER_KEY_CT_FLAGS_REPLY;

/** A flower request matching ct_state (and what `extra` adds) in the rule's extended match. */
function ctFlower(r: Rig, opts: FlowerOpts, state: number, mask: number, extra: (k: FlowKeysExt, m: FlowKeysExt) => void = () => {}): FlowClsOffload {
  const f = r.flower({ ...opts, keys: [...CT_KEYS], match: ipv4() });
  const key = flow_keys_ext_zero();
  const msk = flow_keys_ext_zero();
  key.ct.ct_state = state;
  msk.ct.ct_state = mask;
  extra(key, msk);
  f.rule!.match.ext = { key, mask: msk };
  return f;
}
const CT_KEYS = ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_CT'] as const;

describe('ct action (tc_ct.c __mlx5_tc_ct_flow_offload, post_act.c)', () => {
  it('chain 0: zone and miss id in registers, jump to the ct table; the rest in the post-action table', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [ct(5), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    const q = mlx5_query_ct(r.core);
    expect(q.zones).toEqual([5]);
    const [post_ft, ct_ft] = [q.global_tables[0]!, q.global_tables[1]!];
    const ftes = r.fw.ftes().filter((x) => x.action.includes('COUNT'));
    const pre = ftes.find((x) => x.destinations.some((d) => d.type === 'FLOW_TABLE' && d.id === ct_ft))!;
    expect(pre, 'the chain-0 rule goes to the ct table').toBeDefined();
    const mh = r.fw.modify_header_contexts().find((m) => m.modify_header_id === pre.modify_header_id)!;
    expect(mh.actions.map((a) => `${a.field}@${a.offset}=${a.data}`)).toEqual(['METADATA_REG_C_0@0=1', 'METADATA_REG_C_2@0=5', 'METADATA_REG_C_5@8=1']);
    const post = ftes.find((x) => x.table_id === post_ft)!;
    expect(post.match_value['misc_parameters_2.metadata_reg_c_5']).toBe(1 << 8);
    expect(post.destinations.map((d) => d.type)).toEqual(['VPORT', 'COUNTER']);
  });

  it.each([
    { name: 'ct', action: 0, table: 'pre_ct' },
    { name: 'ct nat', action: TCA_CT_ACT_NAT, table: 'pre_ct_nat' },
  ])('chain 1, $name: jump to the zone\'s $table table, zone not rewritten', ({ action }) => {
    const r = new Rig();
    const f = r.flower({ chain: 1, match: ipv4(), actions: [ct(9, action), gotoChain(2)] });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    const q = mlx5_query_ct(r.core);
    const [pre_ct, pre_ct_nat] = q.zone_tables;
    const first = r.fw.ftes().find((x) => x.modify_header_id !== undefined && x.destinations.some((d) => d.id === (action ? pre_ct_nat : pre_ct)))!;
    expect(first).toBeDefined();
    const mh = r.fw.modify_header_contexts().find((m) => m.modify_header_id === first.modify_header_id)!;
    expect(mh.actions.map((a) => a.field)).toEqual(['METADATA_REG_C_0', 'METADATA_REG_C_5']);
  });

  it('ct clear alone: zeroes ct_state, mark, labels and zone restore in the rule itself', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [ct(0, TCA_CT_ACT_CLEAR), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    expect(mlx5_query_ct(r.core).zones).toEqual([]);
    const mh = r.fw.modify_header_contexts();
    expect(mh).toHaveLength(1);
    expect(mh[0]!.actions.map((a) => `${a.field}@${a.offset}`)).toEqual(['METADATA_REG_C_2@16', 'METADATA_REG_C_3@0', 'METADATA_REG_C_4@0', 'METADATA_REG_C_1@0']);
  });

  it('two rules of a zone share its pre_ct tables; the last delete frees everything', () => {
    const r = new Rig();
    const boot = { ftes: r.fw.ftes().length, mh: r.fw.modify_header_contexts().length };
    const f1 = r.flower({ match: ipv4(), actions: [ct(3), gotoChain(1)] });
    const f2 = r.flower({ chain: 1, match: ipv4(), actions: [ct(3, TCA_CT_ACT_NAT), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE f1', r.call('enp8s0f0_0', f1), 0);
    const tables = r.fw.flow_tables().length;
    want('REPLACE f2', r.call('enp8s0f0_0', f2), 0);
    expect(r.fw.flow_tables().length - tables, 'no new table: same zone, chain 1 already taken by the goto').toBe(0);
    want('DESTROY f1', r.call('enp8s0f0_0', r.destroy(f1)), 0);
    expect(mlx5_query_ct(r.core).zones).toEqual([3]);
    want('DESTROY f2', r.call('enp8s0f0_0', r.destroy(f2)), 0);
    const q = mlx5_query_ct(r.core);
    expect(q.zones).toEqual([]);
    expect(q.mapped_ids).toBe(0);
    expect(r.fw.ftes().length).toBe(boot.ftes);
    expect(r.fw.modify_header_contexts().length).toBe(boot.mh);
    expect(r.fw.counters()).toHaveLength(0);
  });
});

describe('ct matches (tc_ct.c mlx5_tc_ct_match_add)', () => {
  it.each([
    { name: '+trk+est', state: TRK | EST, mask: TRK | EST, c2: (0b110 << 16) >>> 0, v2: (0b110 << 16) >>> 0 },
    { name: '+trk-est', state: TRK, mask: TRK | EST, c2: (0b110 << 16) >>> 0, v2: (0b100 << 16) >>> 0 },
    { name: '+trk+est+rpl', state: TRK | EST | RPL, mask: TRK | EST | RPL, c2: (0b10110 << 16) >>> 0, v2: (0b10110 << 16) >>> 0 },
    { name: '-trk', state: 0, mask: TRK, c2: (0b100 << 16) >>> 0, v2: 0 },
    { name: '+trk-rel-inv', state: TRK, mask: TRK | TCA_FLOWER_KEY_CT_FLAGS_RELATED | TCA_FLOWER_KEY_CT_FLAGS_INVALID, c2: (0b1100100 << 16) >>> 0, v2: (0b100 << 16) >>> 0 },
  ])('ct_state $name → reg_c_2 high half', ({ state, mask, c2, v2 }) => {
    const r = new Rig();
    const f = ctFlower(r, { chain: 1, actions: [redirect(r.dev('enp8s0f0_1'))] }, state, mask);
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    const fte = r.fw.ftes().find((x) => x.action.includes('COUNT'))!;
    expect(fte.match_value['misc_parameters_2.metadata_reg_c_2'] ?? 0).toBe(v2);
    const g = r.fw.flow_groups().find((x) => x.group_id === fte.group_id && x.table_id === fte.table_id)!;
    expect(g.match_criteria['misc_parameters_2.metadata_reg_c_2']).toBe(c2);
  });

  it.each([
    { flag: TCA_FLOWER_KEY_CT_FLAGS_NEW, msg: "matching on ct_state +new isn't supported" },
    { flag: TCA_FLOWER_KEY_CT_FLAGS_RELATED, msg: "matching on ct_state +rel isn't supported" },
    { flag: TCA_FLOWER_KEY_CT_FLAGS_INVALID, msg: "matching on ct_state +inv isn't supported" },
    { flag: 1 << 6, msg: 'only ct_state trk, est, new and rpl are supported for offload' },
  ])('ct_state +0x$flag is refused: $msg', ({ flag, msg }) => {
    const r = new Rig();
    const f = ctFlower(r, { chain: 1, actions: [redirect(r.dev('enp8s0f0_1'))] }, TRK | flag, TRK | flag);
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe(`mlx5_core: ${msg}`);
  });

  it('ct_zone, ct_mark and ct_label: zone in reg_c_2, mark in reg_c_3, a label id in reg_c_4 freed with the rule', () => {
    const r = new Rig();
    const f = ctFlower(r, { chain: 1, actions: [redirect(r.dev('enp8s0f0_1'))] }, TRK | EST, TRK | EST, (k, m) => {
      k.ct.ct_zone = 5; m.ct.ct_zone = 0xffff;
      k.ct.ct_mark = 7; m.ct.ct_mark = 0xff;
      k.ct.ct_labels[0] = 1; m.ct.ct_labels.fill(0xff);
    });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    const fte = r.fw.ftes().find((x) => x.action.includes('COUNT'))!;
    expect(fte.match_value['misc_parameters_2.metadata_reg_c_2']).toBe(((0b110 << 16) | 5) >>> 0);
    expect(fte.match_value['misc_parameters_2.metadata_reg_c_3']).toBe(7);
    expect(fte.match_value['misc_parameters_2.metadata_reg_c_4']).toBe(1);
    expect(mlx5_query_ct(r.core).mapped_ids).toBe(1);
    want('DESTROY', r.call('enp8s0f0_0', r.destroy(f)), 0);
    expect(mlx5_query_ct(r.core).mapped_ids).toBe(0);
  });
});

describe('CT availability (tc_ct.c mlx5_tc_ct_init_check_support)', () => {
  it.each([
    { cap: 'reg_c1_loopback', dbg: "tc ct offload not supported, register loopback isn't supported" },
    { cap: 'fdb_modify_header_fwd_to_table', dbg: 'tc ct offload not supported, firmware fwd and modify support is missing' },
  ])('without $cap: ct_priv NULL, no CT table', ({ cap, dbg }) => {
    const r = new Rig(deviceSpec({ caps: { [cap]: false } }));
    const f = r.flower({ match: ipv4(), actions: [ct(1), redirect(r.dev('enp8s0f0_1'))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: offload of ct action isn't available");
    expect(mlx5_query_ct(r.core).global_tables).toHaveLength(1);
    expect(r.kmsg().some((l) => l.includes(dbg)), r.kmsg().join('\n')).toBe(true);
  });
});
