// core/en/tc_ct.c: connection-tracking offload. mlx5_tc_ct_init builds the
// ct and ct_nat tables (chains global tables) next to the post-action table;
// a rule with a ct action writes its zone (and an action-miss id) into
// registers and jumps to the ct table (chain 0) or to its zone's pre_ct
// table (other chains); the rest of the rule waits in the post-action
// table. ct_state/zone/mark/label matches become register matches.
// Not modelled: the conntrack entries themselves (nf_flowtable offload
// callbacks that fill the ct tables with tuples), so established traffic
// never hits in hardware here; the esw restore rule of the action-miss id.
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';
import { EOPNOTSUPP, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../kernel/include/linux/netlink';
import { netdev_printk, type NetDevice } from '../../../kernel/include/linux/netdevice';
import { flow_rule_match_ct, flow_rule_match_key, type FlowActionEntry, type FlowClsOffload } from '../../../kernel/include/net/flow_offload';
import {
  TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED, TCA_FLOWER_KEY_CT_FLAGS_INVALID, TCA_FLOWER_KEY_CT_FLAGS_NEW,
  TCA_FLOWER_KEY_CT_FLAGS_RELATED, TCA_FLOWER_KEY_CT_FLAGS_REPLY, TCA_FLOWER_KEY_CT_FLAGS_TRACKED,
} from '../../../kernel/include/uapi/linux/pkt_cls';
import { TCA_CT_ACT_CLEAR, TCA_CT_ACT_NAT } from '../../../kernel/include/uapi/linux/tc_act/tc_ct';
import { MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_FLOW_CONTEXT_ACTION_MOD_HDR } from '../../../kernel/include/linux/mlx5/mlx5_ifc';
import { MLX5_MATCH_MISC_PARAMETERS_2 } from '../../../kernel/include/linux/mlx5/device';
import {
  FLOW_ACT_IGNORE_FLOW_LEVEL, MLX5_FLOW_TABLE_UNMANAGED, mlx5_flow_spec_zero,
  type Mlx5FlowAct, type Mlx5FlowNamespaceType, type Mlx5FlowSpec, type Mlx5ModifyHdr,
} from '../../../kernel/include/linux/mlx5/fs';
import type { Mlx5CoreDev } from '../mlx5_core';
import type { Mlx5ePriv } from '../en';
import {
  mlx5_add_flow_rules, mlx5_create_flow_group, mlx5_create_flow_table, mlx5_del_flow_rules, mlx5_destroy_flow_group,
  mlx5_destroy_flow_table, mlx5_flow_table_attr, mlx5_get_flow_namespace, mlx5_modify_header_alloc, mlx5_modify_header_dealloc,
  type Mlx5FlowGroup, type Mlx5FlowHandle, type Mlx5FlowTable,
} from '../fs_core';
import { mlx5_chains_create_global_table, mlx5_chains_destroy_global_table, type Mlx5FsChains } from '../lib/fs_chains';
import { mlx5_eswitch_reg_c1_loopback_enabled } from '../eswitch_offloads';
import { mlx5e_reg_mapping_mask, mlx5e_tc_match_to_reg_match, mlx5e_tc_match_to_reg_set } from '../en_tc_reg';
import { mlx5e_tc_action_miss_mapping_get, mlx5e_tc_action_miss_mapping_put } from '../en_tc';
import { mapping_add, mapping_create_for_id, mapping_remove, type MappingCtx } from './mapping';
import { mlx5e_tc_post_act_get_ft, type Mlx5ePostAct } from './tc/post_act';
import type { ModHdrTbl } from './mod_hdr';
import type { Mlx5CtAttr, Mlx5FlowAttr, Mlx5ModHdrAction } from './tc_priv';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.c';
const MOD = 'mlx5_core';

// core/en/tc_ct.c (v6.18): the ct_state bits in CTSTATE_TO_REG.
export const MLX5_CT_STATE_ESTABLISHED_BIT = 1 << 1;
export const MLX5_CT_STATE_TRK_BIT = 1 << 2;
export const MLX5_CT_STATE_NAT_BIT = 1 << 3;
export const MLX5_CT_STATE_REPLY_BIT = 1 << 4;
export const MLX5_CT_STATE_RELATED_BIT = 1 << 5;
export const MLX5_CT_STATE_INVALID_BIT = 1 << 6;
const MLX5_CT_ZONE_MASK = mlx5e_reg_mapping_mask('ZONE_TO_REG');
const MLX5_CT_LABELS_MASK = mlx5e_reg_mapping_mask('LABELS_TO_REG');

/** struct mlx5_tc_ct_pre: a zone's pre_ct (or pre_ct_nat) table. */
export interface Mlx5TcCtPre {
  ft: Mlx5FlowTable;
  flow_grp: Mlx5FlowGroup;
  miss_grp: Mlx5FlowGroup;
  flow_rule: Mlx5FlowHandle | null;
  miss_rule: Mlx5FlowHandle | null;
  modify_hdr: Mlx5ModifyHdr | null;
}

/** struct mlx5_ct_ft: per zone, shared by the rules of that zone. */
export interface Mlx5CtFt {
  zone: number;
  zone_restore_id: number;
  refcount: number;
  nf_ft: { zone: number } | null;
  pre_ct: Mlx5TcCtPre | null;
  pre_ct_nat: Mlx5TcCtPre | null;
}

/** struct mlx5_tc_ct_priv */
export interface Mlx5TcCtPriv {
  dev: Mlx5CoreDev;
  netdev: NetDevice;
  priv: Mlx5ePriv;
  mod_hdr_tbl: ModHdrTbl;
  ct: Mlx5FlowTable;
  ct_nat: Mlx5FlowTable;
  post_act: Mlx5ePostAct;
  zone_mapping: MappingCtx;
  labels_mapping: MappingCtx;
  ns_type: Mlx5FlowNamespaceType;
  chains: Mlx5FsChains;
  zone_ht: Map<number, Mlx5CtFt>;
}

function ct_dbg(ct_priv: Mlx5TcCtPriv, msg: string): void {
  netdev_printk('dbg', ct_priv.netdev, `ct_debug: ${msg}`);
}

// Counted by the coverage report: why CT offload is not available.
const ct_support_no_post_act = declareBranch(FILE, 'mlx5_tc_ct_init_check_support', 'post_action_missing');
const ct_support_esw_refused = declareBranch(FILE, 'mlx5_tc_ct_init_check_esw_support', 'refused');

/** mlx5_tc_ct_init_check_esw_support (core/en/tc_ct.c, v6.18): the reason, or null. */
function mlx5_tc_ct_init_check_esw_support(dev: Mlx5CoreDev): string | null {
  // mlx5_eswitch_vlan_actions_supported(dev, 1): every modelled device pops and pushes VLANs.
  if (!(dev.spec.caps.fdb_modify_header_fwd_to_table ?? true)) return 'firmware fwd and modify support is missing';
  if (!mlx5_eswitch_reg_c1_loopback_enabled(dev.priv.eswitch!)) return "register loopback isn't supported";
  return null;
}

/** mlx5_tc_ct_init_check_support (core/en/tc_ct.c, v6.18): skb extensions are built in; reasons go to the debug log. */
function mlx5_tc_ct_init_check_support(priv: Mlx5ePriv, ns_type: Mlx5FlowNamespaceType, post_act: Mlx5ePostAct | NegErrno | null): 0 | NegErrno {
  let err_msg: string | null = null;
  let err: 0 | NegErrno = 0;
  if (ct_support_no_post_act(post_act === null || typeof post_act === 'number')) {
    err_msg = 'post action is missing';
    err = -EOPNOTSUPP;
  } else if (ns_type === 'MLX5_FLOW_NAMESPACE_FDB') {
    err_msg = mlx5_tc_ct_init_check_esw_support(priv.mdev);
    if (ct_support_esw_refused(err_msg !== null)) err = -EOPNOTSUPP;
  }
  if (err && err_msg) netdev_printk('dbg', priv.netdev, `tc ct offload not supported, ${err_msg}`);
  return err;
}

/**
 * mlx5_tc_ct_init (core/en/tc_ct.c, v6.18): the zone and label mappings,
 * then the ct and ct_nat global tables. NULL (here: null) means no CT
 * offload; every ct match or action then takes the "isn't available" refusal.
 */
export const mlx5_tc_ct_init = hop(FILE, function mlx5_tc_ct_init(priv: Mlx5ePriv, chains: Mlx5FsChains, mod_hdr: ModHdrTbl,
  ns_type: Mlx5FlowNamespaceType, post_act: Mlx5ePostAct | NegErrno | null): Mlx5TcCtPriv | null {
  if (mlx5_tc_ct_init_check_support(priv, ns_type, post_act)) return null;
  const zone_mapping = mapping_create_for_id('MAPPING_TYPE_ZONE', 0);
  const labels_mapping = mapping_create_for_id('MAPPING_TYPE_LABELS', 0);
  const ct = mlx5_chains_create_global_table(chains);
  if (typeof ct === 'number') return null;
  const ct_nat = mlx5_chains_create_global_table(chains);
  if (typeof ct_nat === 'number') {
    mlx5_chains_destroy_global_table(chains, ct);
    return null;
  }
  return {
    dev: priv.mdev, netdev: priv.netdev, priv, mod_hdr_tbl: mod_hdr, ct, ct_nat, post_act: post_act as Mlx5ePostAct,
    zone_mapping, labels_mapping, ns_type, chains, zone_ht: new Map(),
  };
}, { input: (p, _c, _m, ns) => `${p.netdev.name} ${ns.replace('MLX5_FLOW_NAMESPACE_', '')}`, result: (r) => (r ? `ct ft ${r.ct.id} ct_nat ft ${r.ct_nat.id}` : 'NULL') });

/** mlx5_tc_ct_clean (core/en/tc_ct.c, v6.18) */
export const mlx5_tc_ct_clean = hop(FILE, function mlx5_tc_ct_clean(ct_priv: Mlx5TcCtPriv | null): void {
  if (!ct_priv) return;
  mlx5_chains_destroy_global_table(ct_priv.chains, ct_priv.ct_nat);
  mlx5_chains_destroy_global_table(ct_priv.chains, ct_priv.ct);
});

/** mlx5_get_label_mapping (core/en/tc_ct.c, v6.18): all-zero labels are id 0. */
function mlx5_get_label_mapping(ct_priv: Mlx5TcCtPriv, labels: Uint8Array): { err: 0 | NegErrno; id: number } {
  if (labels.every((b) => b === 0)) return { err: 0, id: 0 };
  const r = mapping_add(ct_priv.labels_mapping, Buffer.from(labels).toString('hex'));
  return r.err ? { err: -EOPNOTSUPP, id: 0 } : r;
}

/** mlx5_tc_ct_match_del (core/en/tc_ct.c, v6.18) */
export function mlx5_tc_ct_match_del(priv: Mlx5TcCtPriv | null, ct_attr: Mlx5CtAttr | undefined): void {
  if (!priv || !ct_attr?.ct_labels_id) return;
  mapping_remove(priv.labels_mapping, ct_attr.ct_labels_id);
  ct_attr.ct_labels_id = 0;
}

/** A fresh struct mlx5_ct_attr. */
export function mlx5_ct_attr_zero(): Mlx5CtAttr {
  return { zone: 0, ct_action: 0, nf_ft: null, ct_labels_id: 0, act_miss_mapping: 0, act_miss_cookie: 0, ft: null, offloaded: false };
}

// Counted by the coverage report: ct_state bits the hardware cannot match.
const ct_match_unsupported_flag = declareBranch(FILE, 'mlx5_tc_ct_match_add', 'unsupported_ct_state_flag');

/**
 * mlx5_tc_ct_match_add (core/en/tc_ct.c, v6.18): ct_state (trk, est, rpl,
 * and -rel/-inv), ct_zone, ct_mark and ct_label as register matches.
 */
export const mlx5_tc_ct_match_add = hop(FILE, function mlx5_tc_ct_match_add(priv: Mlx5TcCtPriv | null, spec: Mlx5FlowSpec, f: FlowClsOffload,
  ct_attr: Mlx5CtAttr, extack: NetlinkExtAck | null): 0 | NegErrno {
  const rule = f.rule!;
  if (!flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_CT')) return 0;
  if (!priv) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "offload of ct matching isn't available");
    return -EOPNOTSUPP;
  }
  const match = flow_rule_match_ct(rule);
  if (!match) return 0;
  const { key, mask } = match;
  const ct_state = key.ct_state;
  const ct_state_mask = mask.ct_state;
  if (ct_match_unsupported_flag((ct_state_mask & ~(TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED
    | TCA_FLOWER_KEY_CT_FLAGS_NEW | TCA_FLOWER_KEY_CT_FLAGS_REPLY | TCA_FLOWER_KEY_CT_FLAGS_RELATED | TCA_FLOWER_KEY_CT_FLAGS_INVALID)) !== 0)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'only ct_state trk, est, new and rpl are supported for offload');
    return -EOPNOTSUPP;
  }
  const on = ct_state & ct_state_mask;
  const off = on ^ ct_state_mask;
  const has = (w: number, b: number): boolean => (w & b) !== 0;
  const trk = has(on, TCA_FLOWER_KEY_CT_FLAGS_TRACKED);
  const nw = has(on, TCA_FLOWER_KEY_CT_FLAGS_NEW);
  const est = has(on, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED);
  const rpl = has(on, TCA_FLOWER_KEY_CT_FLAGS_REPLY);
  const rel = has(on, TCA_FLOWER_KEY_CT_FLAGS_RELATED);
  const inv = has(on, TCA_FLOWER_KEY_CT_FLAGS_INVALID);
  const untrk = has(off, TCA_FLOWER_KEY_CT_FLAGS_TRACKED);
  const unest = has(off, TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED);
  const unrpl = has(off, TCA_FLOWER_KEY_CT_FLAGS_REPLY);
  const unrel = has(off, TCA_FLOWER_KEY_CT_FLAGS_RELATED);
  const uninv = has(off, TCA_FLOWER_KEY_CT_FLAGS_INVALID);
  let ctstate = 0;
  let ctstate_mask = 0;
  ctstate |= trk ? MLX5_CT_STATE_TRK_BIT : 0;
  ctstate |= est ? MLX5_CT_STATE_ESTABLISHED_BIT : 0;
  ctstate |= rpl ? MLX5_CT_STATE_REPLY_BIT : 0;
  ctstate_mask |= untrk || trk ? MLX5_CT_STATE_TRK_BIT : 0;
  ctstate_mask |= unest || est ? MLX5_CT_STATE_ESTABLISHED_BIT : 0;
  ctstate_mask |= unrpl || rpl ? MLX5_CT_STATE_REPLY_BIT : 0;
  ctstate_mask |= unrel ? MLX5_CT_STATE_RELATED_BIT : 0;
  ctstate_mask |= uninv ? MLX5_CT_STATE_INVALID_BIT : 0;
  if (rel) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "matching on ct_state +rel isn't supported");
    return -EOPNOTSUPP;
  }
  if (inv) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "matching on ct_state +inv isn't supported");
    return -EOPNOTSUPP;
  }
  if (nw) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "matching on ct_state +new isn't supported");
    return -EOPNOTSUPP;
  }
  if (mask.ct_zone) mlx5e_tc_match_to_reg_match(spec, 'ZONE_TO_REG', key.ct_zone, MLX5_CT_ZONE_MASK);
  if (ctstate_mask) mlx5e_tc_match_to_reg_match(spec, 'CTSTATE_TO_REG', ctstate, ctstate_mask);
  if (mask.ct_mark) mlx5e_tc_match_to_reg_match(spec, 'MARK_TO_REG', key.ct_mark, mask.ct_mark);
  if (mask.ct_labels.some((b) => b !== 0)) {
    const labels = key.ct_labels.map((b, i) => b & mask.ct_labels[i]!);
    const l = mlx5_get_label_mapping(priv, labels);
    if (l.err) return -EOPNOTSUPP;
    ct_attr.ct_labels_id = l.id;
    mlx5e_tc_match_to_reg_match(spec, 'LABELS_TO_REG', l.id, MLX5_CT_LABELS_MASK);
  }
  return 0;
}, { input: (_p, _s, f) => { const m = flow_rule_match_ct(f.rule!); return m ? `ct_state 0x${m.key.ct_state.toString(16)}/0x${m.mask.ct_state.toString(16)} zone ${m.key.ct_zone}/0x${m.mask.ct_zone.toString(16)}` : 'no ct match'; } });

/**
 * mlx5_tc_ct_parse_action (core/en/tc_ct.c, v6.18): without ct_priv any
 * ct action (clear too) is refused; else the zone, the action bits (ORed,
 * so "ct clear; ct" keeps both) and the flow table of a non-clear ct.
 */
export const mlx5_tc_ct_parse_action = hop(FILE, function mlx5_tc_ct_parse_action(priv: Mlx5TcCtPriv | null, attr: Mlx5FlowAttr, act: FlowActionEntry,
  act_miss_cookie: number, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!priv) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "offload of ct action isn't available");
    return -EOPNOTSUPP;
  }
  const ct = act.ct ?? { zone: 0, action: 0 };
  const ct_attr = (attr.ct_attr ??= mlx5_ct_attr_zero());
  ct_attr.ct_action |= ct.action;
  ct_attr.zone = ct.zone;
  if (!(ct.action & TCA_CT_ACT_CLEAR)) ct_attr.nf_ft = ct.flow_table ?? { zone: ct.zone };
  ct_attr.act_miss_cookie = act_miss_cookie;
  return 0;
}, { input: (_p, _a, act) => `zone ${act.ct?.zone ?? 0} action 0x${(act.ct?.action ?? 0).toString(16)}` });

/** The firmware level of a CT pre table: one above the chains' base, as the chains' unmanaged tables. */
function pre_ct_level(ct_priv: Mlx5TcCtPriv): number {
  return ct_priv.chains.fs_base_level + 1;
}

/**
 * tc_ct_pre_ct_add_rules (core/en/tc_ct.c, v6.18): the flow rule (zone and
 * trk[+nat] already set: on to post_act) and the miss rule (into ct or
 * ct_nat), both writing the zone.
 */
const tc_ct_pre_ct_add_rules = hop(FILE, function tc_ct_pre_ct_add_rules(ct_priv: Mlx5TcCtPriv, ct_ft: Mlx5CtFt, pre_ct: Mlx5TcCtPre, nat: boolean): 0 | NegErrno {
  const zone = ct_ft.zone & MLX5_CT_ZONE_MASK;
  const pre_mod_acts: Mlx5ModHdrAction[] = [];
  mlx5e_tc_match_to_reg_set(pre_mod_acts, 'ZONE_TO_REG', zone);
  const mod_hdr = mlx5_modify_header_alloc(ct_priv.dev, ct_priv.ns_type, pre_mod_acts.length, pre_mod_acts);
  if (typeof mod_hdr === 'number') {
    ct_dbg(ct_priv, 'Failed to create pre ct mod hdr');
    return mod_hdr;
  }
  pre_ct.modify_hdr = mod_hdr;
  const flow_act: Mlx5FlowAct = {
    action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_MOD_HDR, flags: FLOW_ACT_IGNORE_FLOW_LEVEL, modify_hdr: mod_hdr,
  };
  const spec = mlx5_flow_spec_zero();
  mlx5e_tc_match_to_reg_match(spec, 'ZONE_TO_REG', zone, MLX5_CT_ZONE_MASK);
  const ctstate = MLX5_CT_STATE_TRK_BIT | (nat ? MLX5_CT_STATE_NAT_BIT : 0);
  mlx5e_tc_match_to_reg_match(spec, 'CTSTATE_TO_REG', ctstate, ctstate);
  const rule = mlx5_add_flow_rules(pre_ct.ft, spec, flow_act, [
    { type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: mlx5e_tc_post_act_get_ft(ct_priv.post_act) },
  ]);
  if (typeof rule === 'number') {
    ct_dbg(ct_priv, `Failed to add pre ct flow rule zone ${zone}`);
    mlx5_modify_header_dealloc(ct_priv.dev, mod_hdr);
    return rule;
  }
  pre_ct.flow_rule = rule;
  const miss = mlx5_add_flow_rules(pre_ct.ft, null, flow_act, [
    { type: 'MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE', ft: nat ? ct_priv.ct_nat : ct_priv.ct },
  ]);
  if (typeof miss === 'number') {
    ct_dbg(ct_priv, `Failed to add pre ct miss rule zone ${zone}`);
    mlx5_del_flow_rules(rule);
    mlx5_modify_header_dealloc(ct_priv.dev, mod_hdr);
    return miss;
  }
  pre_ct.miss_rule = miss;
  return 0;
}, { input: (_c, ft, _p, nat) => `zone ${ft.zone}${nat ? ' nat' : ''}` });

/** tc_ct_pre_ct_del_rules (core/en/tc_ct.c, v6.18) */
function tc_ct_pre_ct_del_rules(ct_priv: Mlx5TcCtPriv, pre_ct: Mlx5TcCtPre): void {
  if (pre_ct.flow_rule) mlx5_del_flow_rules(pre_ct.flow_rule);
  if (pre_ct.miss_rule) mlx5_del_flow_rules(pre_ct.miss_rule);
  if (pre_ct.modify_hdr) mlx5_modify_header_dealloc(ct_priv.dev, pre_ct.modify_hdr);
}

/**
 * mlx5_tc_ct_alloc_pre_ct (core/en/tc_ct.c, v6.18): an unmanaged 2-entry
 * table: a group matching zone + trk (+nat) in reg_c_2, and a miss group.
 */
const mlx5_tc_ct_alloc_pre_ct = hop(FILE, function mlx5_tc_ct_alloc_pre_ct(ct_priv: Mlx5TcCtPriv, ct_ft: Mlx5CtFt, nat: boolean): Mlx5TcCtPre | NegErrno {
  const ns = mlx5_get_flow_namespace(ct_priv.dev, ct_priv.ns_type);
  const ft = mlx5_create_flow_table(ns, mlx5_flow_table_attr({ level: pre_ct_level(ct_priv), max_fte: 2, flags: MLX5_FLOW_TABLE_UNMANAGED }));
  if (typeof ft === 'number') {
    ct_dbg(ct_priv, 'Failed to create pre ct table');
    return ft;
  }
  const reg_c_2_mask = (MLX5_CT_ZONE_MASK | (MLX5_CT_STATE_TRK_BIT << 16) | (nat ? MLX5_CT_STATE_NAT_BIT << 16 : 0)) >>> 0;
  const flow_grp = mlx5_create_flow_group(ft, {
    start_flow_index: 0, end_flow_index: 0, match_criteria_enable: MLX5_MATCH_MISC_PARAMETERS_2,
    match_criteria: { 'misc_parameters_2.metadata_reg_c_2': reg_c_2_mask },
  });
  if (typeof flow_grp === 'number') {
    ct_dbg(ct_priv, 'Failed to create pre ct group');
    mlx5_destroy_flow_table(ft);
    return flow_grp;
  }
  const miss_grp = mlx5_create_flow_group(ft, { start_flow_index: 1, end_flow_index: 1, match_criteria_enable: 0, match_criteria: {} });
  if (typeof miss_grp === 'number') {
    ct_dbg(ct_priv, 'Failed to create pre ct miss group');
    mlx5_destroy_flow_group(flow_grp);
    mlx5_destroy_flow_table(ft);
    return miss_grp;
  }
  const pre_ct: Mlx5TcCtPre = { ft, flow_grp, miss_grp, flow_rule: null, miss_rule: null, modify_hdr: null };
  const err = tc_ct_pre_ct_add_rules(ct_priv, ct_ft, pre_ct, nat);
  if (err) {
    mlx5_destroy_flow_group(miss_grp);
    mlx5_destroy_flow_group(flow_grp);
    mlx5_destroy_flow_table(ft);
    return err;
  }
  return pre_ct;
}, { input: (_c, ft, nat) => `zone ${ft.zone}${nat ? ' nat' : ''}`, result: (r) => (typeof r === 'number' ? undefined : `ft ${r.ft.id}`) });

/** mlx5_tc_ct_free_pre_ct (core/en/tc_ct.c, v6.18) */
const mlx5_tc_ct_free_pre_ct = hop(FILE, function mlx5_tc_ct_free_pre_ct(ct_priv: Mlx5TcCtPriv, pre_ct: Mlx5TcCtPre): void {
  tc_ct_pre_ct_del_rules(ct_priv, pre_ct);
  mlx5_destroy_flow_group(pre_ct.miss_grp);
  mlx5_destroy_flow_group(pre_ct.flow_grp);
  mlx5_destroy_flow_table(pre_ct.ft);
}, { input: (_c, p) => `ft ${p.ft.id}` });

/**
 * mlx5_tc_ct_add_ft_cb (core/en/tc_ct.c, v6.18): the zone's entry, shared
 * by refcount; a new zone gets a restore id and its pre_ct and pre_ct_nat
 * tables. Registering for the flow table's conntrack-entry offload
 * (nf_flow_table_offload_add_cb) is not modelled.
 */
const mlx5_tc_ct_add_ft_cb = hop(FILE, function mlx5_tc_ct_add_ft_cb(ct_priv: Mlx5TcCtPriv, zone: number, nf_ft: { zone: number } | null): Mlx5CtFt | NegErrno {
  const found = ct_priv.zone_ht.get(zone);
  if (found) {
    found.refcount++;
    return found;
  }
  const m = mapping_add(ct_priv.zone_mapping, String(zone));
  if (m.err) return m.err;
  const ft: Mlx5CtFt = { zone, zone_restore_id: m.id, refcount: 1, nf_ft, pre_ct: null, pre_ct_nat: null };
  const pre_ct = mlx5_tc_ct_alloc_pre_ct(ct_priv, ft, false);
  if (typeof pre_ct === 'number') {
    mapping_remove(ct_priv.zone_mapping, m.id);
    return pre_ct;
  }
  const pre_ct_nat = mlx5_tc_ct_alloc_pre_ct(ct_priv, ft, true);
  if (typeof pre_ct_nat === 'number') {
    mlx5_tc_ct_free_pre_ct(ct_priv, pre_ct);
    mapping_remove(ct_priv.zone_mapping, m.id);
    return pre_ct_nat;
  }
  ft.pre_ct = pre_ct;
  ft.pre_ct_nat = pre_ct_nat;
  ct_priv.zone_ht.set(zone, ft);
  return ft;
}, { input: (_c, zone) => `zone ${zone}`, result: (r) => (typeof r === 'number' ? undefined : `zone_restore_id ${r.zone_restore_id} refcount ${r.refcount}`) });

/** mlx5_tc_ct_del_ft_cb (core/en/tc_ct.c, v6.18): the last rule of a zone frees its tables and restore id. */
const mlx5_tc_ct_del_ft_cb = hop(FILE, function mlx5_tc_ct_del_ft_cb(ct_priv: Mlx5TcCtPriv, ft: Mlx5CtFt): void {
  if (--ft.refcount > 0) return;
  ct_priv.zone_ht.delete(ft.zone);
  if (ft.pre_ct_nat) mlx5_tc_ct_free_pre_ct(ct_priv, ft.pre_ct_nat);
  if (ft.pre_ct) mlx5_tc_ct_free_pre_ct(ct_priv, ft.pre_ct);
  mapping_remove(ct_priv.zone_mapping, ft.zone_restore_id);
}, { input: (_c, ft) => `zone ${ft.zone} refcount ${ft.refcount}` });

/**
 * __mlx5_tc_ct_flow_offload (core/en/tc_ct.c, v6.18): the attr before the
 * split writes the action-miss id and (chain 0) the zone, and goes to the
 * ct table (chain 0) or the zone's pre_ct table.
 */
const __mlx5_tc_ct_flow_offload = hop(FILE, function __mlx5_tc_ct_flow_offload(ct_priv: Mlx5TcCtPriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const ct_attr = attr.ct_attr!;
  const nat = (ct_attr.ct_action & TCA_CT_ACT_NAT) !== 0;
  const warn = (err: NegErrno): NegErrno => {
    netdev_printk('warn', ct_priv.netdev, `Failed to offload ct flow, err ${err}`);
    return err;
  };
  // Register for CT established events.
  const ft = mlx5_tc_ct_add_ft_cb(ct_priv, ct_attr.zone, ct_attr.nf_ft);
  if (typeof ft === 'number') {
    ct_dbg(ct_priv, 'Failed to register to ft callback');
    return warn(ft);
  }
  ct_attr.ft = ft;
  const miss = mlx5e_tc_action_miss_mapping_get(ct_priv.priv, attr, ct_attr.act_miss_cookie);
  if (miss.err) {
    ct_dbg(ct_priv, 'Failed to get register mapping for act miss');
    mlx5_tc_ct_del_ft_cb(ct_priv, ft);
    ct_attr.ft = null;
    return warn(miss.err);
  }
  const acts = (attr.parse_attr.mod_hdr_acts ??= []);
  mlx5e_tc_match_to_reg_set(acts, 'MAPPED_OBJ_TO_REG', miss.id);
  // Chain 0 sets the zone and jumps to the ct table; other chains jump to pre_ct.
  if (!attr.chain) {
    mlx5e_tc_match_to_reg_set(acts, 'ZONE_TO_REG', ft.zone & MLX5_CT_ZONE_MASK);
    attr.dest_ft = nat ? ct_priv.ct_nat : ct_priv.ct;
  } else {
    attr.dest_ft = nat ? ft.pre_ct_nat!.ft : ft.pre_ct!.ft;
  }
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  ct_attr.act_miss_mapping = miss.id;
  return 0;
}, { input: (_c, a) => `zone ${a.ct_attr?.zone} chain ${a.chain}${(a.ct_attr?.ct_action ?? 0) & TCA_CT_ACT_NAT ? ' nat' : ''}` });

/** mlx5_tc_ct_entry_set_registers (core/en/tc_ct.c, v6.18) */
function mlx5_tc_ct_entry_set_registers(ct_priv: Mlx5TcCtPriv, mod_acts: Mlx5ModHdrAction[], ct_state: number, mark: number, labels_id: number, zone_restore_id: number): 0 {
  mlx5e_tc_match_to_reg_set(mod_acts, 'CTSTATE_TO_REG', ct_state);
  mlx5e_tc_match_to_reg_set(mod_acts, 'MARK_TO_REG', mark);
  mlx5e_tc_match_to_reg_set(mod_acts, 'LABELS_TO_REG', labels_id);
  mlx5e_tc_match_to_reg_set(mod_acts, 'ZONE_RESTORE_TO_REG', zone_restore_id);
  // NIC RX flows keep another copy of the zone in reg_b: reg_c_1 is not copied on a miss.
  if (ct_priv.ns_type !== 'MLX5_FLOW_NAMESPACE_FDB') mlx5e_tc_match_to_reg_set(mod_acts, 'NIC_ZONE_RESTORE_TO_REG', zone_restore_id);
  return 0;
}

/**
 * mlx5_tc_ct_flow_offload (core/en/tc_ct.c, v6.18): run by the ct action's
 * post_parse. ct clear zeroes the CT registers; a ct with a flow table
 * points the attr at the CT tables.
 */
export const mlx5_tc_ct_flow_offload = hop(FILE, function mlx5_tc_ct_flow_offload(priv: Mlx5TcCtPriv | null, attr: Mlx5FlowAttr): 0 | NegErrno {
  if (!priv) return -EOPNOTSUPP;
  const ct_attr = attr.ct_attr!;
  if (ct_attr.offloaded) return 0;
  if (ct_attr.ct_action & TCA_CT_ACT_CLEAR) {
    mlx5_tc_ct_entry_set_registers(priv, (attr.parse_attr.mod_hdr_acts ??= []), 0, 0, 0, 0);
    attr.action |= MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  }
  // Only ct clear (not "ct clear; ct(...)").
  if (!ct_attr.nf_ft) {
    ct_attr.offloaded = true;
    return 0;
  }
  const err = __mlx5_tc_ct_flow_offload(priv, attr);
  if (!err) ct_attr.offloaded = true;
  return err;
}, { input: (_p, a) => `zone ${a.ct_attr?.zone ?? 0} action 0x${(a.ct_attr?.ct_action ?? 0).toString(16)}` });

/** mlx5_tc_ct_delete_flow (core/en/tc_ct.c, v6.18): the action-miss id, then the zone's reference. */
export const mlx5_tc_ct_delete_flow = hop(FILE, function mlx5_tc_ct_delete_flow(priv: Mlx5TcCtPriv | null, attr: Mlx5FlowAttr): void {
  const ct_attr = attr.ct_attr;
  if (!priv || !ct_attr?.ft) return;
  mlx5e_tc_action_miss_mapping_put(priv.priv, attr, ct_attr.act_miss_mapping);
  mlx5_tc_ct_del_ft_cb(priv, ct_attr.ft);
  ct_attr.ft = null;
  ct_attr.offloaded = false;
}, { input: (_p, a) => `zone ${a.ct_attr?.zone ?? 0}` });

/** The zones with pre_ct tables and the mapping sizes (for invariants and tests). */
export function mlx5_tc_ct_query(priv: Mlx5TcCtPriv): { zones: number[]; tables: Mlx5FlowTable[]; zone_ids: number; label_ids: number } {
  const tables = [priv.ct, priv.ct_nat, priv.post_act.ft];
  for (const z of priv.zone_ht.values()) {
    if (z.pre_ct) tables.push(z.pre_ct.ft);
    if (z.pre_ct_nat) tables.push(z.pre_ct_nat.ft);
  }
  return { zones: [...priv.zone_ht.keys()], tables, zone_ids: priv.zone_mapping.by_id.size, label_ids: priv.labels_mapping.by_id.size };
}
