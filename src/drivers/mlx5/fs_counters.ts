// core/fs_counters.c: flow counters. Aging counters (every TC flow's) are
// read by a periodic work item (MLX5_FC_STATS_PERIOD, 1 s) into a cache;
// tc stats return deltas of that cache. Here the work runs when the host's
// clock is advanced (mlx5_fc_stats_work), not on a timer.
import { hop } from '../../trace/hop';
import type { NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { Mlx5FcRef } from '../../kernel/include/linux/mlx5/fs';
import type { Mlx5CoreDev } from './mlx5_core';
import { mlx5_cmd_fc_alloc, mlx5_cmd_fc_free, mlx5_cmd_fc_query } from './fs_cmd';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/fs_counters.c';

/** fs_counters.c (v6.18) */
export const MLX5_FC_STATS_PERIOD = 1000;

/** struct mlx5_fc */
export interface Mlx5Fc extends Mlx5FcRef {
  id: number;
  aging: boolean;
  cache: { packets: number; bytes: number; lastuse: number };
  lastpackets: number;
  lastbytes: number;
}

/** struct mlx5_fc_stats: the aging counters the stats work polls. */
export interface Mlx5FcStats {
  counters: Map<number, Mlx5Fc>;
}

export function mlx5_init_fc_stats(): Mlx5FcStats {
  return { counters: new Map() };
}

/**
 * mlx5_fc_create (core/fs_counters.c, v6.18). Counters are allocated one by
 * one (the flow_counter_bulk_alloc pool is not modelled).
 */
export const mlx5_fc_create = hop(FILE, function mlx5_fc_create(dev: Mlx5CoreDev, aging: boolean): Mlx5Fc | NegErrno {
  const { err, id } = mlx5_cmd_fc_alloc(dev);
  if (err) return err;
  const counter: Mlx5Fc = { id, aging, cache: { packets: 0, bytes: 0, lastuse: 0 }, lastpackets: 0, lastbytes: 0 };
  if (aging) {
    counter.cache.lastuse = dev.drv.jiffies();
    dev.priv.fc_stats.counters.set(id, counter);
  }
  return counter;
}, { result: (r) => (typeof r === 'number' ? undefined : `counter ${r.id}`) });

/** mlx5_fc_destroy (core/fs_counters.c, v6.18) */
export const mlx5_fc_destroy = hop(FILE, function mlx5_fc_destroy(dev: Mlx5CoreDev, counter: Mlx5Fc | null): void {
  if (!counter) return;
  if (counter.aging) dev.priv.fc_stats.counters.delete(counter.id);
  mlx5_cmd_fc_free(dev, counter.id);
}, { input: (_d, c) => (c ? `counter ${c.id}` : 'NULL') });

/** mlx5_fc_query_cached (core/fs_counters.c, v6.18): deltas since the previous call, absolute lastuse. */
export const mlx5_fc_query_cached = hop(FILE, function mlx5_fc_query_cached(counter: Mlx5Fc): { bytes: number; packets: number; lastuse: number } {
  const c = counter.cache;
  const r = { bytes: c.bytes - counter.lastbytes, packets: c.packets - counter.lastpackets, lastuse: c.lastuse };
  counter.lastbytes = c.bytes;
  counter.lastpackets = c.packets;
  return r;
}, { input: (c) => `counter ${c.id}`, result: (r) => `${r.packets} pkts ${r.bytes} bytes lastuse ${r.lastuse}` });

/**
 * mlx5_fc_stats_work (core/fs_counters.c, v6.18): refresh the cache of every
 * aging counter; a counter that moved gets lastuse = now. Upstream queries in
 * bulks; here one QUERY_FLOW_COUNTER per counter.
 */
export const mlx5_fc_stats_work = hop(FILE, function mlx5_fc_stats_work(dev: Mlx5CoreDev): void {
  for (const counter of dev.priv.fc_stats.counters.values()) {
    const q = mlx5_cmd_fc_query(dev, counter.id);
    if (q.err) continue;
    if (q.packets === counter.cache.packets) continue;
    counter.cache = { packets: q.packets, bytes: q.bytes, lastuse: dev.drv.jiffies() };
  }
});
