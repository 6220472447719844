// core/fs_ft_pool.c: flow-table sizes come from fixed firmware pools, each
// backed by a 16M-entry budget; the driver tracks what is left per pool.
import { hop } from '../../trace/hop';
import { MLX5_FS_MAX_POOL_SIZE } from '../../kernel/include/linux/mlx5/fs';
import { FS_FT_FDB, type FsFlowTableType } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5CoreDev } from './mlx5_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/fs_ft_pool.c';

// core/fs_ft_pool.c (v6.18): FT_SIZE and FT_POOLS, largest first.
const FT_SIZE = 16 * 1024 * 1024;
export const FT_POOLS: readonly number[] = [4 * 1024 * 1024, 1 * 1024 * 1024, 64 * 1024, 128, 1];

/** struct mlx5_ft_pool */
export interface Mlx5FtPool {
  ft_left: number[];
}

export function mlx5_ft_pool_init(): Mlx5FtPool {
  return { ft_left: FT_POOLS.map((sz) => FT_SIZE / sz) };
}

/**
 * mlx5_ft_pool_get_avail_sz (core/fs_ft_pool.c, v6.18): the smallest pool
 * that fits, or — for MLX5_FS_MAX_POOL_SIZE — the largest one left; never
 * above the table type's log_max_ft_size. 0 means none (caller: -ENOSPC).
 */
export const mlx5_ft_pool_get_avail_sz = hop(FILE, function mlx5_ft_pool_get_avail_sz(dev: Mlx5CoreDev, table_type: FsFlowTableType, desired_size: number): number {
  const caps = table_type === FS_FT_FDB ? dev.caps.esw_flow_table_fdb : dev.caps.flow_table_nic_rx;
  const max_ft_size = 2 ** caps.log_max_ft_size;
  const pool = dev.priv.ft_pool;
  let found = -1;
  for (let i = FT_POOLS.length - 1; i >= 0; i--) {
    if (pool.ft_left[i]! > 0 && (FT_POOLS[i]! >= desired_size || desired_size === MLX5_FS_MAX_POOL_SIZE) && FT_POOLS[i]! <= max_ft_size) {
      found = i;
      if (desired_size !== MLX5_FS_MAX_POOL_SIZE) break;
    }
  }
  if (found < 0) return 0;
  pool.ft_left[found]!--;
  return FT_POOLS[found]!;
}, {
  input: (_d, _t, sz) => (sz === MLX5_FS_MAX_POOL_SIZE ? 'largest' : String(sz)),
  result: (n) => String(n),
  errno: () => undefined,
});

/** mlx5_ft_pool_put_sz (core/fs_ft_pool.c, v6.18) */
export function mlx5_ft_pool_put_sz(dev: Mlx5CoreDev, sz: number): void {
  if (!sz) return;
  const i = FT_POOLS.indexOf(sz);
  if (i < 0) throw new Error(`mlx5_ft_pool_put_sz: no pool of size ${sz}`);
  dev.priv.ft_pool.ft_left[i]!++;
}

/**
 * Not upstream — an emulation hook for scenarios: other users of the device
 * (another function's driver, RDMA, steering of other namespaces) hold every
 * table of the pools larger than `size`, so a new table gets at most `size`
 * entries, as mlx5_ft_pool_get_avail_sz would then answer.
 */
export function mlx5_ft_pool_exhaust_above(dev: Mlx5CoreDev, size: number): void {
  if (!FT_POOLS.includes(size)) throw new Error(`no flow table pool of ${size} entries (pools: ${FT_POOLS.join(', ')})`);
  FT_POOLS.forEach((sz, i) => {
    if (sz > size) dev.priv.ft_pool.ft_left[i] = 0;
  });
}
