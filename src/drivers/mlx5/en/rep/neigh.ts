// core/en/rep/neigh.c: the uplink representor listens for neighbour
// updates (netevent) and hands each change to the encap entries that use
// that neighbour. Also the uplink_priv state the tunnel path keeps.
import type { Mlx5ePostAct } from '../tc/post_act';
import type { Mlx5TcCtPriv } from '../tc_ct';
import type { MappingCtx } from '../mapping';
import type { NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import { hop } from '../../../../trace/hop';
import type { NetDevice } from '../../../../kernel/include/linux/netdevice';
import { NETEVENT_NEIGH_UPDATE, register_netevent_notifier, unregister_netevent_notifier, type NeteventNotifier } from '../../../../kernel/net/core/netevent';
import { NUD_VALID, ipv4_str, type Neighbour } from '../../../../kernel/net/core/neighbour';
import type { Mlx5ePriv } from '../../en';
import type { Mlx5CoreDev } from '../../mlx5_core';
import type { Mlx5eEncapEntry } from '../tc_tun_encap';
import { mlx5e_rep_update_flows } from '../tc_tun_encap';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/rep/neigh.c';

/** struct mlx5e_neigh_hash_entry: one neighbour and the encap entries using it. */
export interface Mlx5eNeighHashEntry {
  dev: NetDevice;
  dst_ip: number;
  encap_list: Mlx5eEncapEntry[];
}

/** struct mlx5e_rep_indr_block_priv (core/en/rep/tc.c) */
export interface Mlx5eRepIndrBlockPriv {
  netdev: NetDevice;
  binder_type: number;
  rpriv: Mlx5ePriv;
}

/** struct mlx5_rep_uplink_priv (core/en_rep.h), the tunnel parts; encap_tbl is esw->offloads.encap_tbl upstream. */
export interface Mlx5eRepUplinkPriv {
  tc_indr_block_priv_list: Mlx5eRepIndrBlockPriv[];
  neigh_list: Mlx5eNeighHashEntry[];
  netevent_nb: NeteventNotifier | null;
  encap_tbl: Map<string, Mlx5eEncapEntry>;
  /** post_act and ct_priv (mlx5e_tc_esw_init); undefined = not initialised yet. */
  post_act?: Mlx5ePostAct | NegErrno;
  ct_priv?: Mlx5TcCtPriv | null;
  /** tunnel_mapping / tunnel_enc_opts_mapping (mlx5e_tc_esw_init): the ids TUNNEL_TO_REG carries; created on first use. */
  tunnel_mapping?: MappingCtx;
  tunnel_enc_opts_mapping?: MappingCtx;
}

/** The uplink representor's uplink_priv (created with the representor). */
export function mlx5e_rep_uplink_priv(uplink_priv: Mlx5ePriv): Mlx5eRepUplinkPriv {
  return (uplink_priv.ppriv!.uplink_priv ??= { tc_indr_block_priv_list: [], neigh_list: [], netevent_nb: null, encap_tbl: new Map() });
}

/** The uplink_priv of a device's eswitch. */
export function mlx5e_esw_uplink_priv(mdev: Mlx5CoreDev): Mlx5eRepUplinkPriv {
  return mlx5e_rep_uplink_priv(mdev.uplink_netdev!.priv as Mlx5ePriv);
}

/** mlx5e_rep_encap_entry_attach (core/en/rep/neigh.c, v6.18): listen for the entry's neighbour. */
export function mlx5e_rep_encap_entry_attach(priv: Mlx5ePriv, e: Mlx5eEncapEntry): 0 {
  const up = mlx5e_rep_uplink_priv(priv);
  let nhe = up.neigh_list.find((x) => x.dev === e.m_neigh!.dev && x.dst_ip === e.m_neigh!.dst_ip);
  if (!nhe) {
    nhe = { dev: e.m_neigh!.dev, dst_ip: e.m_neigh!.dst_ip, encap_list: [] };
    up.neigh_list.push(nhe);
  }
  if (!nhe.encap_list.includes(e)) nhe.encap_list.push(e);
  return 0;
}

/** mlx5e_rep_encap_entry_detach (core/en/rep/neigh.c, v6.18) */
export function mlx5e_rep_encap_entry_detach(priv: Mlx5ePriv, e: Mlx5eEncapEntry): void {
  const up = mlx5e_rep_uplink_priv(priv);
  const i = up.neigh_list.findIndex((x) => x.encap_list.includes(e));
  if (i < 0) return;
  const nhe = up.neigh_list[i]!;
  nhe.encap_list.splice(nhe.encap_list.indexOf(e), 1);
  if (!nhe.encap_list.length) up.neigh_list.splice(i, 1);
}

/**
 * mlx5e_rep_neigh_update (core/en/rep/neigh.c, v6.18): the work queued by
 * the event — connected = valid state (the neighbour is never dead here).
 */
const mlx5e_rep_neigh_update = hop(FILE, function mlx5e_rep_neigh_update(priv: Mlx5ePriv, nhe: Mlx5eNeighHashEntry, n: Neighbour): void {
  const neigh_connected = (n.nud_state & NUD_VALID) !== 0;
  const ha = n.ha ?? new Uint8Array(6);
  for (const e of [...nhe.encap_list]) mlx5e_rep_update_flows(priv, e, neigh_connected, ha);
}, { input: (_p, nhe, n) => `${ipv4_str(nhe.dst_ip)} dev ${nhe.dev.name} nud_state 0x${n.nud_state.toString(16)}` });

/**
 * mlx5e_rep_netevent_event (core/en/rep/neigh.c, v6.18): a neighbour update
 * for an address some encap entry uses is handled (queued upstream; run at
 * once here, the user sees the result after the command).
 */
const mlx5e_rep_netevent_event = hop(FILE, function mlx5e_rep_netevent_event(priv: Mlx5ePriv, event: number, ptr: unknown): void {
  if (event !== NETEVENT_NEIGH_UPDATE) return;
  const n = ptr as Neighbour;
  const nhe = mlx5e_rep_uplink_priv(priv).neigh_list.find((x) => x.dev === n.dev && x.dst_ip === n.primary_key);
  if (!nhe) return;
  mlx5e_rep_neigh_update(priv, nhe, n);
}, { input: (_p, ev, ptr) => `event ${ev} ${ipv4_str((ptr as Neighbour).primary_key)}` });

/** mlx5e_rep_neigh_init (core/en/rep/neigh.c, v6.18): register the netevent listener. */
export function mlx5e_rep_neigh_init(rpriv: Mlx5ePriv): 0 {
  const up = mlx5e_rep_uplink_priv(rpriv);
  if (up.netevent_nb) return 0;
  up.netevent_nb = (event, ptr) => mlx5e_rep_netevent_event(rpriv, event, ptr);
  return register_netevent_notifier(rpriv.netdev.nd_net, up.netevent_nb);
}

/** mlx5e_rep_neigh_cleanup (core/en/rep/neigh.c, v6.18) */
export function mlx5e_rep_neigh_cleanup(rpriv: Mlx5ePriv): void {
  const up = mlx5e_rep_uplink_priv(rpriv);
  if (up.netevent_nb) unregister_netevent_notifier(rpriv.netdev.nd_net, up.netevent_nb);
  up.netevent_nb = null;
}
