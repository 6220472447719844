// core/main.c: probing one ConnectX function. Brings up flow steering, the
// eswitch, the PF netdev (NIC profile in legacy, uplink representor in
// switchdev) and one representor per VF, registers them with the kernel, and
// registers the function's devlink instance (pci/<address>).
import { MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO, MLX5_GENERAL_OBJECT_TYPES_SAMPLER } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import { hop } from '../../trace/hop';
import type { NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { Net } from '../../kernel/include/net/net_namespace';
import { register_netdevice } from '../../kernel/net/core/dev';
import { MLX5_FLEX_PROTO_ICMP, MLX5_FLEX_PROTO_ICMPV6, MLX5_VPORT_UPLINK } from '../../kernel/include/linux/mlx5/device';
import type { Mlx5DeviceSpec } from '../../host/topology';
import type { Mlx5Firmware } from '../../hw/mlx5/firmware';
import type { Mlx5CoreDev, Mlx5Driver, Mlx5HcaCaps } from './mlx5_core';
import { mlx5_init_fs } from './fs_core';
import { mlx5_ft_pool_init } from './fs_ft_pool';
import { mlx5_init_fc_stats } from './fs_counters';
import { mlx5_eswitch_init, mlx5_eswitch_register_vport_reps, type Mlx5EswitchRep } from './eswitch';
import { esw_offloads_enable } from './eswitch_offloads';
import { mlx5e_create_netdev, mlx5e_netdev_ops, mlx5e_nic_enable } from './en_main';
import { mlx5e_vport_rep_load, mlx5e_vport_rep_unload } from './en_rep';
import { mlx5_devlink_register } from './devlink';

/**
 * The netdev name a representor gets: what udev's naming rules make of the
 * uplink and VF index (the topology lists them); unlisted VFs get
 * `<uplink>_<vf>`.
 */
function mlx5e_rep_netdev_name(spec: Mlx5DeviceSpec, vport: number): string {
  if (vport === MLX5_VPORT_UPLINK) return spec.uplink;
  return spec.representors[vport - 1] ?? `${spec.uplink}_${vport - 1}`;
}

/** The REP_ETH load op (en_rep.c mlx5e_vport_rep_load) with the netdev's name. */
function mlx5e_rep_load(dev: Mlx5CoreDev, rep: Mlx5EswitchRep): 0 | NegErrno {
  return mlx5e_vport_rep_load(dev, rep, mlx5e_rep_netdev_name(dev.spec, rep.vport));
}

export type { Mlx5CoreDev, Mlx5Driver } from './mlx5_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/main.c';

export interface Mlx5DriverOptions {
  /** current->pid printed in mlx5_core_err_rl lines. */
  pid?: number;
  /** jiffies source for counter lastuse. */
  jiffies?: () => number;
}

/** What the mlx5_core module keeps in statics, created once per emulated host. */
export function mlx5_driver_create(opts: Mlx5DriverOptions = {}): Mlx5Driver {
  return {
    mlx5e_block_cb_list: [],
    mlx5e_rep_block_tc_cb_list: [],
    mlx5e_rep_block_ft_cb_list: [],
    devices: [],
    pid: opts.pid ?? 1,
    jiffies: opts.jiffies ?? (() => 0),
  };
}

/** The capabilities the TC path reads, from the topology's device caps. */
function mlx5_hca_caps(spec: Mlx5DeviceSpec, vhca_id: number): Mlx5HcaCaps {
  const c = spec.caps;
  return {
    gen: {
      flex_parser_protocols: c.flex_parser_icmp ? MLX5_FLEX_PROTO_ICMP | MLX5_FLEX_PROTO_ICMPV6 : 0, vhca_id,
      vport_group_manager: c.eswitch_manager ?? true,
      // ConnectX-6 Dx and later: flow-meter ASO and sampler objects.
      general_obj_types: (1n << BigInt(MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO)) | (1n << BigInt(MLX5_GENERAL_OBJECT_TYPES_SAMPLER)),
    },
    flow_table_nic_rx: {
      ignore_flow_level: c.ignore_flow_level,
      log_max_ft_size: c.log_max_ft_size,
      // ConnectX-5 and later match ip_version in the outer and inner headers.
      ft_field_support: { outer_ip_version: true, inner_ip_version: true },
    },
    esw_flow_table_fdb: {
      ignore_flow_level: c.ignore_flow_level,
      log_max_ft_size: c.log_max_ft_size,
      ft_field_support: { outer_ipv4_ttl: c.outer_ipv4_ttl, outer_second_vid: c.outer_second_vid },
      sw_owner: c.sw_owner ?? true,
    },
    esw: { merged_eswitch: false },
  };
}

/**
 * mlx5_init_one (core/main.c): one PCI function of the topology, driven by
 * `fw`. Returns the core device, or a negative errno if bring-up failed.
 */
export const mlx5_init_one = hop(FILE, function mlx5_init_one(net: Net, drv: Mlx5Driver, spec: Mlx5DeviceSpec, fw: Mlx5Firmware): Mlx5CoreDev | NegErrno {
  const [domain, bus, devfn] = spec.pci.split(':');
  const dev: Mlx5CoreDev = {
    drv, net, fw, spec,
    device: `mlx5_core ${spec.pci}`,
    caps: mlx5_hca_caps(spec, drv.devices.length),
    system_image_guid: `b8cef603${domain}${bus}${devfn!.replace('.', '')}`.slice(0, 16),
    priv: { eswitch: null, steering: null!, ft_pool: mlx5_ft_pool_init(), fc_stats: mlx5_init_fc_stats() },
    num_block_tc: 0, num_block_ipsec: 0, uplink_netdev: null, rep_netdevs: new Map(),
  };
  dev.priv.steering = mlx5_init_fs(dev);
  const esw = mlx5_eswitch_init(dev, spec.num_vfs);
  dev.priv.eswitch = esw;
  drv.devices.push(dev);

  // A mode the topology gives was set through devlink before switchdev; else mlx5_fs_core_alloc's default.
  if (spec.flow_steering_mode) dev.priv.steering.mode = spec.flow_steering_mode;
  mlx5_eswitch_register_vport_reps(esw, { load: mlx5e_rep_load, unload: mlx5e_vport_rep_unload });

  // The PF netdev exists in both modes; switchdev probes it straight into
  // the uplink-representor profile (no NIC tables to build and drop).
  if (spec.eswitch_mode === 'switchdev') {
    dev.uplink_netdev = mlx5e_create_netdev(dev, spec.uplink, mlx5e_netdev_ops, 'mlx5e', true, 'mlx5e_uplink_rep_profile');
    const err = register_netdevice(net, dev.uplink_netdev);
    if (err) return err;
    const e = esw_offloads_enable(esw);
    if (e) return e;
  } else {
    const nd = mlx5e_nic_enable(dev, spec.uplink);
    if (typeof nd === 'number') return nd;
    dev.uplink_netdev = nd;
    const err = register_netdevice(net, nd);
    if (err) return err;
  }
  const err = mlx5_devlink_register(dev);
  if (err) return err;
  return dev;
}, { input: (_n, _d, spec) => `${spec.pci} ${spec.eswitch_mode}`, result: (r) => (typeof r === 'number' ? undefined : r.device) });
