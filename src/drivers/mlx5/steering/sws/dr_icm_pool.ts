// steering/sws/dr_icm_pool.c: chunks of steering ICM for STE hash tables
// and modify-header actions. Upstream pools carve buddy blocks out of
// device memory (core/lib/dm.c); here a chunk is taken straight from the
// device's steering ICM, and exhaustion is the same: no chunk.
import { hop } from '../../../../trace/hop';
import type { Mlx5drDomain, Mlx5drIcmChunk, Mlx5drSteHtbl } from './dr_types';
import { mlx5dr_err } from './dr_dbg';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_icm_pool.c';

/**
 * mlx5dr_icm_alloc_chunk (steering/sws/dr_icm_pool.c, v6.18): null when the
 * memory is exhausted; the pool's failed growth is logged as upstream
 * (dr_icm_pool_mr_create: the SW ICM allocation of core/lib/dm.c gives
 * -ENOMEM; dr_icm_handle_buddies_get_mem: no buddy for the chunk's order).
 */
export const mlx5dr_icm_alloc_chunk = hop(FILE, function mlx5dr_icm_alloc_chunk(dmn: Mlx5drDomain, num_of_entries: number): Mlx5drIcmChunk | null {
  const icm_addr = dmn.icm.alloc(num_of_entries);
  if (icm_addr === null) {
    mlx5dr_err(dmn, 'dr_icm_pool_mr_create', 153, 'Failed to allocate SW ICM memory, err (-12)');
    mlx5dr_err(dmn, 'dr_icm_handle_buddies_get_mem', 415, `Failed creating buddy for order ${Math.ceil(Math.log2(num_of_entries))}`);
    return null;
  }
  return { icm_addr, num_of_entries };
}, { input: (_d, n) => `${n} entries`, result: (c) => (c ? `icm 0x${c.icm_addr.toString(16)}` : 'NULL (ICM exhausted)') });

/** mlx5dr_icm_free_chunk (steering/sws/dr_icm_pool.c, v6.18) */
export function mlx5dr_icm_free_chunk(dmn: Mlx5drDomain, chunk: Mlx5drIcmChunk): void {
  dmn.icm.free(chunk.icm_addr);
}

/** mlx5dr_ste_htbl_alloc (steering/sws/dr_ste.c, v6.18): a hash table of 2^chunk_size STEs. */
export function mlx5dr_ste_htbl_alloc(dmn: Mlx5drDomain, num_entries: number): Mlx5drSteHtbl | null {
  const chunk = mlx5dr_icm_alloc_chunk(dmn, num_entries);
  return chunk ? { chunk } : null;
}

/** mlx5dr_ste_htbl_free (steering/sws/dr_ste.c, v6.18) */
export function mlx5dr_ste_htbl_free(dmn: Mlx5drDomain, htbl: Mlx5drSteHtbl): void {
  mlx5dr_icm_free_chunk(dmn, htbl.chunk);
}
