// steering/sws/dr_send.c: the driver's send ring. STEs and rewrite actions
// reach steering ICM as RDMA writes posted on a QP, not as firmware commands.
import { hop } from '../../../../trace/hop';
import type { SteWrite } from '../../../../hw/mlx5/icm';
import type { Mlx5drDomain, Mlx5drIcmChunk, Mlx5drSteHtbl } from './dr_types';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_send.c';

/** mlx5dr_send_postsend_ste (steering/sws/dr_send.c, v6.18): one STE written into ICM. */
export const mlx5dr_send_postsend_ste = hop(FILE, function mlx5dr_send_postsend_ste(dmn: Mlx5drDomain, chunk: Mlx5drIcmChunk, offset: number, ste: SteWrite): 0 {
  dmn.icm.write_ste(chunk.icm_addr, offset, ste);
  return 0;
}, { input: (_d, c, o, s) => `icm 0x${(c.icm_addr + o).toString(16)} ${s.nic} ${s.kind}${s.rule ? ' (last: actions)' : ''}` });

/**
 * mlx5dr_send_postsend_htbl / mlx5dr_send_postsend_formatted_htbl
 * (steering/sws/dr_send.c, v6.18): a hash table's entries written at once;
 * an anchor is a one-entry table whose miss leads on.
 */
export const mlx5dr_send_postsend_formatted_htbl = hop(FILE, function mlx5dr_send_postsend_formatted_htbl(dmn: Mlx5drDomain, htbl: Mlx5drSteHtbl, ste: SteWrite): 0 {
  for (let i = 0; i < htbl.chunk.num_of_entries; i++) dmn.icm.write_ste(htbl.chunk.icm_addr, i, ste);
  return 0;
}, { input: (_d, h, s) => `icm 0x${h.chunk.icm_addr.toString(16)} ${h.chunk.num_of_entries} ${s.nic} ${s.kind}` });

/** mlx5dr_send_postsend_action (steering/sws/dr_send.c, v6.18): rewrite actions into action ICM. */
export const mlx5dr_send_postsend_action = hop(FILE, function mlx5dr_send_postsend_action(_dmn: Mlx5drDomain, chunk: Mlx5drIcmChunk): 0 {
  return 0;
}, { input: (_d, c) => `icm 0x${c.icm_addr.toString(16)} ${c.num_of_entries} actions` });
