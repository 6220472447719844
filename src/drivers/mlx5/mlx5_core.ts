// core/mlx5_core.h and include/linux/mlx5/driver.h: struct mlx5_core_dev and
// the per-host driver object that holds what upstream keeps in file statics.
// Types only.
import type { Net } from '../../kernel/include/net/net_namespace';
import type { NetDevice } from '../../kernel/include/linux/netdevice';
import type { FlowBlockCb } from '../../kernel/include/net/flow_offload';
import type { Mlx5DeviceSpec } from '../../host/topology';
import type { Mlx5Firmware } from '../../hw/mlx5/firmware';
import type { Mlx5FlowSteering } from './fs_core';
import type { Mlx5FtPool } from './fs_ft_pool';
import type { Mlx5FcStats } from './fs_counters';
import type { Mlx5Eswitch } from './eswitch';
import type { Devlink } from '../../kernel/include/net/devlink';

/** The capability bits the TC path reads (MLX5_CAP_GEN / _FLOWTABLE_NIC_RX / _ESW_FLOWTABLE_FDB). */
export interface Mlx5HcaCaps {
  gen: {
    flex_parser_protocols: number;
    vhca_id: number;
    /** vport_group_manager: this function manages the eswitch (MLX5_ESWITCH_MANAGER). Absent = true. */
    vport_group_manager?: boolean;
    /** general_obj_types: bit n = object type n can be created (MLX5_HCA_CAP_GENERAL_OBJECT_TYPES_*). */
    general_obj_types?: bigint;
  };
  /** max_modify_header_actions (NIC RX / FDB flow table caps); absent = 32. */
  max_modify_header_actions?: number;
  flow_table_nic_rx: {
    ignore_flow_level: boolean;
    log_max_ft_size: number;
    ft_field_support: { outer_ip_version: boolean; inner_ip_version: boolean };
  };
  esw_flow_table_fdb: {
    ignore_flow_level: boolean;
    log_max_ft_size: number;
    ft_field_support: { outer_ipv4_ttl: boolean; outer_second_vid: boolean };
    /** sw_owner / sw_owner_v2: software-managed steering (SMFS) possible. */
    sw_owner: boolean;
    /**
     * fdb_multi_path_to_table: a mirror before a rewrite can be split into a
     * forward rule plus a chain rule. Absent = the topology cap of that name.
     */
    fdb_multi_path_to_table?: boolean;
  };
  esw: { merged_eswitch: boolean };
}

/** struct mlx5_core_dev (the parts the offload path uses). */
export interface Mlx5CoreDev {
  drv: Mlx5Driver;
  /** Namespace the device's netdevs live in (its kernel log, too). */
  net: Net;
  fw: Mlx5Firmware;
  spec: Mlx5DeviceSpec;
  /** dev_name() with driver prefix, e.g. `mlx5_core 0000:08:00.0` (dev_err prefix). */
  device: string;
  caps: Mlx5HcaCaps;
  /** Identity of the physical switch (system_image_guid); equal ⇒ same HW. */
  system_image_guid: string;
  priv: {
    eswitch: Mlx5Eswitch | null;
    steering: Mlx5FlowSteering;
    ft_pool: Mlx5FtPool;
    fc_stats: Mlx5FcStats;
  };
  /** IPsec/TC mutual exclusion counters (en_tc.c mlx5e_tc_block_ipsec_offload). */
  num_block_tc: number;
  num_block_ipsec: number;
  /** The PF netdev (NIC profile in legacy, uplink representor in switchdev). */
  uplink_netdev: NetDevice | null;
  /** VF representor netdevs by vport number. */
  rep_netdevs: Map<number, NetDevice>;
  /** priv_to_devlink(): the devlink instance of this function. */
  devlink?: Devlink;
}

/**
 * What the mlx5 module keeps in file statics, one per emulated host:
 * mlx5e_block_cb_list (en_main.c), mlx5e_rep_block_tc_cb_list and
 * mlx5e_rep_block_ft_cb_list (en/rep/tc.c), plus the injected "current"
 * pid and clock used in log lines and counter lastuse.
 */
export interface Mlx5Driver {
  mlx5e_block_cb_list: FlowBlockCb[];
  mlx5e_rep_block_tc_cb_list: FlowBlockCb[];
  mlx5e_rep_block_ft_cb_list: FlowBlockCb[];
  devices: Mlx5CoreDev[];
  /** current->pid in mlx5_core_err_rl lines. */
  pid: number;
  /** jiffies, for counter lastuse. */
  jiffies: () => number;
}
