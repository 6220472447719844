// Pure questions about an mlx5 driver instance's state, for invariants and
// reports. Nothing here is upstream code; nothing records hops or sends commands.
import type { Mlx5CoreDev } from './mlx5_core';
import type { Mlx5ePriv } from './en';
import type { Mlx5FlowTable } from './fs_core';
import { mlx5dr_domain_icm_chunks } from './steering/sws/dr_domain';
import type { NetDevice } from '../../kernel/include/linux/netdevice';
import type { Mlx5TcCtPriv } from './en/tc_ct';
import type { Mlx5ePostAct } from './en/tc/post_act';

export interface Mlx5FlowView {
  /** The netdev whose flow table (tc->ht or the representor's tc_ht) holds the flow. */
  netdev: string;
  cookie: number;
  /** The FTE the flow's handle points at, as fs_core knows it; null when not offloaded. */
  fte: { table_id: number; group_id: number; index: number; existing: boolean; steering: 'fw' | 'sw' } | null;
  /** fs_core's view of the FTE's group (start and size). */
  group: { start_index: number; max_ftes: number } | null;
  counter_id: number | null;
  /** Other FTEs and counters the flow holds: a mirror split's forward rule, a ct split's post-action rules. */
  extra_ftes?: { table_id: number; index: number }[];
  extra_counter_ids?: number[];
}

/** The mlx5e netdevs of a device: the PF / uplink representor, then the VF representors. */
export function mlx5_query_netdevs(dev: Mlx5CoreDev): NetDevice[] {
  const out: NetDevice[] = [];
  if (dev.uplink_netdev) out.push(dev.uplink_netdev);
  for (const n of dev.rep_netdevs.values()) if (!out.includes(n)) out.push(n);
  return out;
}

/** Every TC flow the driver holds, by netdev and cookie. */
export function mlx5_query_tc_flows(dev: Mlx5CoreDev): Mlx5FlowView[] {
  const out: Mlx5FlowView[] = [];
  for (const nd of mlx5_query_netdevs(dev)) {
    const priv = nd.priv as Mlx5ePriv;
    const tables = [priv.fs.tc.ht, ...(priv.ppriv ? [priv.ppriv.tc_ht] : [])];
    for (const ht of tables) {
      for (const [cookie, flow] of ht) {
        const fte = flow.rule?.fte ?? null;
        out.push({
          netdev: nd.name, cookie,
          fte: fte ? { table_id: fte.fg.ft.id, group_id: fte.fg.id, index: fte.index, existing: fte.existing, steering: fte.fs_dr_rule?.dr_rule ? 'sw' : 'fw' } : null,
          group: fte ? { start_index: fte.fg.start_index, max_ftes: fte.fg.max_ftes } : null,
          counter_id: flow.attr.counter?.id ?? null,
          extra_ftes: [
            ...(flow.rule1 ? [{ table_id: flow.rule1.fte.fg.ft.id, index: flow.rule1.fte.index }] : []),
            ...(flow.attrs ?? []).flatMap((a) => (a.post_act_handle?.rule ? [{ table_id: a.post_act_handle.rule.fte.fg.ft.id, index: a.post_act_handle.rule.fte.index }] : [])),
          ],
          extra_counter_ids: (flow.attrs ?? []).flatMap((a) => (a !== flow.attr && a.counter ? [a.counter.id] : [])),
        });
      }
    }
  }
  return out;
}

/** The flow tables the driver's TC state references (NIC tc tables, eswitch tables, chains). */
export function mlx5_query_tc_tables(dev: Mlx5CoreDev): Mlx5FlowTable[] {
  const out = new Set<Mlx5FlowTable>();
  const add = (t: Mlx5FlowTable | null | undefined): void => { if (t) out.add(t); };
  for (const nd of mlx5_query_netdevs(dev)) {
    const tc = (nd.priv as Mlx5ePriv).fs.tc;
    add(tc.t);
    add(tc.miss_t);
    for (const flow of tc.ht.values()) add(flow.rule?.fte.fg.ft);
    const rep = (nd.priv as Mlx5ePriv).ppriv;
    if (rep) for (const flow of rep.tc_ht.values()) add(flow.rule?.fte.fg.ft);
  }
  const esw = dev.priv.eswitch;
  if (esw) {
    add(esw.offloads.slow_fdb);
    add(esw.offloads.tc_miss_table);
  }
  return [...out];
}

/** Counters the driver's aging list (fc_stats) holds. */
export function mlx5_query_fc_ids(dev: Mlx5CoreDev): number[] {
  return [...dev.priv.fc_stats.counters.keys()];
}

/**
 * The CT offload state of a device (switchdev uplink or legacy NIC netdevs):
 * its device-lifetime tables (ct, ct_nat, post-action: they stay until the
 * representor or NIC profile goes), the per-zone pre_ct tables and their
 * rules, and how many zone/label/action-miss ids are mapped.
 */
export function mlx5_query_ct(dev: Mlx5CoreDev): { global_tables: number[]; zone_tables: number[]; ftes: { table_id: number; index: number }[]; zones: number[]; mapped_ids: number } {
  const out = { global_tables: [] as number[], zone_tables: [] as number[], ftes: [] as { table_id: number; index: number }[], zones: [] as number[], mapped_ids: 0 };
  const states: { ct: Mlx5TcCtPriv | null | undefined; post_act: Mlx5ePostAct | number | undefined }[] = [];
  for (const nd of mlx5_query_netdevs(dev)) {
    const priv = nd.priv as Mlx5ePriv;
    states.push({ ct: priv.fs.tc.ct, post_act: priv.fs.tc.post_act });
    const up = priv.ppriv?.uplink_priv;
    if (up) states.push({ ct: up.ct_priv, post_act: up.post_act });
    out.mapped_ids += priv.fs.tc.mapping?.by_id.size ?? 0;
  }
  out.mapped_ids += dev.priv.eswitch?.offloads.reg_c0_obj_pool?.by_id.size ?? 0;
  for (const st of states) {
    if (st.post_act !== undefined && typeof st.post_act !== 'number') out.global_tables.push(st.post_act.ft.id);
    const ct = st.ct;
    if (!ct) continue;
    out.global_tables.push(ct.ct.id, ct.ct_nat.id);
    out.mapped_ids += ct.zone_mapping.by_id.size + ct.labels_mapping.by_id.size;
    for (const z of ct.zone_ht.values()) {
      out.zones.push(z.zone);
      for (const pre of [z.pre_ct, z.pre_ct_nat]) {
        if (!pre) continue;
        out.zone_tables.push(pre.ft.id);
        for (const r of [pre.flow_rule, pre.miss_rule]) if (r) out.ftes.push({ table_id: r.fte.fg.ft.id, index: r.fte.index });
      }
    }
  }
  return out;
}

/**
 * Firmware tables software steering holds for its own actions (the
 * multi-destination tables of mirror rules); empty unless the FDB runs smfs.
 */
export function mlx5_query_dr_fw_tables(dev: Mlx5CoreDev): number[] {
  return [...(dev.priv.steering.fdb_root_ns.fs_dr_domain?.dr_domain?.fw_tables ?? [])];
}

/** The backend of each root the TC path uses (root->mode) and the steering ICM in use. */
export function mlx5_query_steering(dev: Mlx5CoreDev): { mode: string; nic: string; fdb: string; icm_used: number; icm_capacity: number } {
  const s = dev.priv.steering;
  return { mode: s.mode, nic: s.root_ns.mode, fdb: s.fdb_root_ns.mode, icm_used: dev.fw.icm.used_entries(), icm_capacity: dev.fw.icm.capacity };
}

/** ICM addresses of the chunks software steering's live objects hold (empty unless the FDB runs smfs). */
export function mlx5_query_dr_icm_chunks(dev: Mlx5CoreDev): number[] {
  const dmn = dev.priv.steering.fdb_root_ns.fs_dr_domain?.dr_domain;
  return dmn ? mlx5dr_domain_icm_chunks(dmn).map((c) => c.icm_addr) : [];
}

/**
 * The tunnel mapping of a switchdev device (uplink_priv tunnel_mapping and
 * tunnel_enc_opts_mapping): the ids mapped, and the (tunnel id, enc_opts id)
 * pair each live flow holds (attr->tunnel_id split at ENC_OPTS_BITS = 11).
 */
export function mlx5_query_tunnel_mapping(dev: Mlx5CoreDev): { tunnel_ids: number[]; enc_opts_ids: number[]; held: { netdev: string; cookie: number; tun_id: number; enc_opts_id: number }[] } {
  const up = (dev.uplink_netdev?.priv as Mlx5ePriv | undefined)?.ppriv?.uplink_priv;
  const held: { netdev: string; cookie: number; tun_id: number; enc_opts_id: number }[] = [];
  for (const nd of mlx5_query_netdevs(dev)) {
    const priv = nd.priv as Mlx5ePriv;
    for (const ht of [priv.fs.tc.ht, ...(priv.ppriv ? [priv.ppriv.tc_ht] : [])]) {
      for (const [cookie, flow] of ht) {
        const id = flow.attr.tunnel_id ?? 0;
        if (id) held.push({ netdev: nd.name, cookie, tun_id: id >>> 11, enc_opts_id: id & 0x7ff });
      }
    }
  }
  return { tunnel_ids: [...(up?.tunnel_mapping?.by_id.keys() ?? [])], enc_opts_ids: [...(up?.tunnel_enc_opts_mapping?.by_id.keys() ?? [])], held };
}
