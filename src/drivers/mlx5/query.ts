// Pure questions about an mlx5 driver instance's state, for invariants and
// reports. Nothing here is upstream code; nothing records hops or sends commands.
import type { Mlx5CoreDev } from './mlx5_core';
import type { Mlx5ePriv } from './en';
import type { Mlx5FlowTable } from './fs_core';
import type { NetDevice } from '../../kernel/include/linux/netdevice';

export interface Mlx5FlowView {
  /** The netdev whose flow table (tc->ht or the representor's tc_ht) holds the flow. */
  netdev: string;
  cookie: number;
  /** The FTE the flow's handle points at, as fs_core knows it; null when not offloaded. */
  fte: { table_id: number; group_id: number; index: number; existing: boolean } | null;
  /** fs_core's view of the FTE's group (start and size). */
  group: { start_index: number; max_ftes: number } | null;
  counter_id: number | null;
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
          fte: fte ? { table_id: fte.fg.ft.id, group_id: fte.fg.id, index: fte.index, existing: fte.existing } : null,
          group: fte ? { start_index: fte.fg.start_index, max_ftes: fte.fg.max_ftes } : null,
          counter_id: flow.attr.counter?.id ?? null,
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
