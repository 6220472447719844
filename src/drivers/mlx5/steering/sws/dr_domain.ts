// steering/sws/dr_domain.c: the software-steering domain of an FDB. Its
// send ring, ICM pools and the firmware objects behind them (QP, CQ, MKEY,
// SW ICM) are not modelled: the domain draws on the device's steering ICM.
import { hop } from '../../../../trace/hop';
import { EBUSY, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import type { Mlx5CoreDev } from '../../mlx5_core';
import type { Mlx5drDomain, Mlx5drIcmChunk, Mlx5drSteHtbl } from './dr_types';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/steering/sws/dr_domain.c';

/**
 * FDB max_ft_level the domain reads from the eswitch flow-table caps;
 * emulator-chosen, as the topology does not describe it.
 */
const ESW_FDB_MAX_FT_LEVEL = 64;

/** mlx5dr_is_supported (steering/sws/dr_domain.c, v6.18): the FDB sw_owner caps. */
export function mlx5dr_is_supported(dev: Mlx5CoreDev): boolean {
  return dev.caps.esw_flow_table_fdb.sw_owner;
}

/**
 * mlx5dr_domain_create (steering/sws/dr_domain.c, v6.18): refused (NULL)
 * when the device has no sw_owner steering.
 */
export const mlx5dr_domain_create = hop(FILE, function mlx5dr_domain_create(mdev: Mlx5CoreDev, type: 'MLX5DR_DOMAIN_TYPE_FDB'): Mlx5drDomain | null {
  if (!mlx5dr_is_supported(mdev)) return null;
  // The eswitch's drop addresses (caps esw_rx_drop_address / esw_tx_drop_address) end a miss.
  return {
    mdev, type, icm: mdev.fw.icm,
    info: { rx: { type: 'rx', default_icm_addr: 0 }, tx: { type: 'tx', default_icm_addr: 0 }, caps: { max_ft_level: ESW_FDB_MAX_FT_LEVEL } },
    tables: new Set(), fw_tables: new Set(), rules: new Set(), actions: new Set(),
  };
}, { input: (_d, t) => t, result: (d) => (d ? 'domain' : 'NULL') });

/** mlx5dr_domain_destroy (steering/sws/dr_domain.c, v6.18): -EBUSY while tables exist. */
export const mlx5dr_domain_destroy = hop(FILE, function mlx5dr_domain_destroy(dmn: Mlx5drDomain): 0 | NegErrno {
  if (dmn.tables.size > 0) return -EBUSY;
  return 0;
});

/**
 * Every ICM chunk the domain's live objects hold: table anchors, matcher tables, rule chains,
 * rewrites (what the dr_dbg dump walks upstream).
 */
export function mlx5dr_domain_icm_chunks(dmn: Mlx5drDomain): Mlx5drIcmChunk[] {
  const out: Mlx5drIcmChunk[] = [];
  const htbl = (h: Mlx5drSteHtbl | null): void => { if (h) out.push(h.chunk); };
  for (const t of dmn.tables) {
    htbl(t.rx.s_anchor);
    htbl(t.tx.s_anchor);
    for (const m of t.matchers) for (const n of [m.rx, m.tx]) { htbl(n.s_htbl); htbl(n.e_anchor); }
  }
  for (const r of dmn.rules) for (const n of [r.rx, r.tx]) if (n.chain) out.push(n.chain);
  for (const a of dmn.actions) if (a.chunk) out.push(a.chunk);
  return out;
}
