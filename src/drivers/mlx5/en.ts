// core/en.h and core/en_rep.h: the netdev private data of mlx5e netdevs
// (NIC / uplink representor / VF representor). Types only.
import type { NetDevice } from '../../kernel/include/linux/netdevice';
import type { Mlx5CoreDev } from './mlx5_core';
import type { Mlx5FlowTable } from './fs_core';
import type { Mlx5FsChains } from './lib/fs_chains';
import type { Mlx5EswitchRep } from './eswitch';
import type { Mlx5eTcFlow } from './en/tc_priv';
import type { ModHdrTbl } from './en/mod_hdr';
import type { MappingCtx } from './en/mapping';
import type { Mlx5ePostAct } from './en/tc/post_act';
import type { Mlx5TcCtPriv } from './en/tc_ct';
import type { NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { Mlx5eFlowMeters } from './en/tc/meter';
import type { Mlx5eRepUplinkPriv } from './en/rep/neigh';

/** struct mlx5e_tc_table (core/en/fs.h): NIC-mode TC state. */
export interface Mlx5eTcTable {
  /** Flows by tc cookie (tc->ht). */
  ht: Map<number, Mlx5eTcFlow>;
  /** The chain-0/prio-1 root table, taken with the first NIC filter. */
  t: Mlx5FlowTable | null;
  miss_t: Mlx5FlowTable | null;
  chains: Mlx5FsChains | null;
  /** tc->mod_hdr: the NIC flows' shared modify-header contexts (created on first use). */
  mod_hdr?: ModHdrTbl;
  /** tc->mapping: NIC action-miss objects; tc->post_act and tc->ct (undefined = not initialised yet). */
  mapping?: MappingCtx;
  post_act?: Mlx5ePostAct | NegErrno;
  ct?: Mlx5TcCtPriv | null;
}

/** struct mlx5e_rep_priv (core/en_rep.h) */
export interface Mlx5eRepPriv {
  rep: Mlx5EswitchRep;
  netdev: NetDevice;
  /** Per-representor flows by tc cookie. */
  tc_ht: Map<number, Mlx5eTcFlow>;
  /** uplink_priv.flow_meters (uplink representor): undefined = not tried yet, null = unavailable. */
  flow_meters?: Mlx5eFlowMeters | null;
  /** uplink_priv (uplink representor): indirect block privs, neighbour listener, encap entries. */
  uplink_priv?: Mlx5eRepUplinkPriv;
}

/** struct mlx5e_priv (core/en.h) */
export interface Mlx5ePriv {
  netdev: NetDevice;
  mdev: Mlx5CoreDev;
  /** Representor data; null for the NIC profile. */
  ppriv: Mlx5eRepPriv | null;
  /** Which mlx5e profile the netdev runs (nic / uplink rep / vf rep). */
  profile: 'mlx5e_nic_profile' | 'mlx5e_uplink_rep_profile' | 'mlx5e_rep_profile';
  fs: {
    tc: Mlx5eTcTable;
    /** The VLAN table of the normal RX pipeline (target of NIC accept). */
    vlan_ft: Mlx5FlowTable | null;
  };
  /** Hairpin TIR numbers handed out (en_tc.c mlx5e_hairpin_flow_add). */
  hairpin_next_tirn: number;
}
