// core/main.c: probing one ConnectX function. Brings up flow steering, the
// eswitch, the PF netdev (NIC profile in legacy, uplink representor in
// switchdev) and one representor per VF, and registers them with the kernel.
import { hop } from '../../trace/hop';
import type { NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { Net } from '../../kernel/include/net/net_namespace';
import type { NetDevice, NetDeviceOps } from '../../kernel/include/linux/netdevice';
import { register_netdevice } from '../../kernel/net/core/dev';
import { MLX5_FLEX_PROTO_ICMP, MLX5_FLEX_PROTO_ICMPV6, MLX5_VPORT_UPLINK } from '../../kernel/include/linux/mlx5/device';
import type { Mlx5DeviceSpec } from '../../host/topology';
import type { Mlx5Firmware } from '../../hw/mlx5/firmware';
import type { Mlx5CoreDev, Mlx5Driver, Mlx5HcaCaps } from './mlx5_core';
import type { Mlx5ePriv } from './en';
import { mlx5_init_fs, mlx5_create_flow_table, mlx5_flow_table_attr, mlx5_get_flow_namespace } from './fs_core';
import { mlx5_ft_pool_init } from './fs_ft_pool';
import { mlx5_init_fc_stats } from './fs_counters';
import { mlx5_eswitch_init, type Mlx5EswitchRep } from './eswitch';
import { esw_offloads_enable } from './eswitch_offloads';
import { mlx5e_netdev_ops } from './en_main';
import { mlx5e_netdev_ops_rep } from './en_rep';
import { mlx5e_tc_nic_init } from './en_tc';

export type { Mlx5CoreDev, Mlx5Driver } from './mlx5_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/main.c';

// Firmware levels of the NIC RX tables TC uses (kernel namespace, flattened):
// TC chains from 1, the TC miss table above them, the VLAN table after.
const NIC_TC_BASE_LEVEL = 1;
const NIC_TC_MISS_LEVEL = 161;
const NIC_VLAN_LEVEL = 170;
/** core/en_fs.c: the VLAN table's size (MLX5E_VLAN_TABLE_SIZE). */
const MLX5E_VLAN_TABLE_SIZE = 4096 + 2 + 1 + 2;

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
    gen: { flex_parser_protocols: c.flex_parser_icmp ? MLX5_FLEX_PROTO_ICMP | MLX5_FLEX_PROTO_ICMPV6 : 0, vhca_id },
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
    },
    esw: { merged_eswitch: false },
  };
}

function alloc_mlx5e_netdev(mdev: Mlx5CoreDev, name: string, ops: NetDeviceOps, kind: string, hw_tc: boolean, profile: Mlx5ePriv['profile']): NetDevice {
  const dev: NetDevice = {
    name, ifindex: 0, features: { hw_tc }, hw_features: { hw_tc: true }, netdev_ops: ops, priv: null,
    nd_net: mdev.net, dev_name: mdev.device, present: true, kind,
  };
  const priv: Mlx5ePriv = {
    netdev: dev, mdev, ppriv: null, profile,
    fs: { tc: { ht: new Map(), t: null, miss_t: null, chains: null }, vlan_ft: null },
    hairpin_next_tirn: 0x100,
  };
  dev.priv = priv;
  return dev;
}

/**
 * mlx5e_build_nic_netdev + mlx5e_create_flow_steering + mlx5e_tc_nic_init
 * (core/en_main.c, en_fs.c, en_tc.c): hw-tc-offload is offered but off.
 */
const mlx5e_nic_enable = hop('drivers/net/ethernet/mellanox/mlx5/core/en_main.c', function mlx5e_nic_enable(mdev: Mlx5CoreDev, name: string): NetDevice | NegErrno {
  const dev = alloc_mlx5e_netdev(mdev, name, mlx5e_netdev_ops, 'mlx5e', false, 'mlx5e_nic_profile');
  const priv = dev.priv as Mlx5ePriv;
  const vlan = mlx5_create_flow_table(mlx5_get_flow_namespace(mdev, 'MLX5_FLOW_NAMESPACE_KERNEL'),
    mlx5_flow_table_attr({ level: NIC_VLAN_LEVEL, max_fte: MLX5E_VLAN_TABLE_SIZE }));
  if (typeof vlan === 'number') return vlan;
  priv.fs.vlan_ft = vlan;
  const err = mlx5e_tc_nic_init(priv, { tc_base: NIC_TC_BASE_LEVEL, miss: NIC_TC_MISS_LEVEL });
  return err || dev;
}, { input: (_m, name) => name, result: (r) => (typeof r === 'number' ? undefined : r.name) });

/**
 * mlx5e_vport_rep_load (core/en_rep.c): a representor netdev per vport; the
 * uplink's is the PF netdev with mlx5e_netdev_ops (hw-tc-offload requested
 * on by mlx5e_uplink_rep_enable), VF ones run mlx5e_netdev_ops_rep with
 * hw-tc-offload on by default.
 */
const mlx5e_vport_rep_load = hop('drivers/net/ethernet/mellanox/mlx5/core/en_rep.c', function mlx5e_vport_rep_load(mdev: Mlx5CoreDev, rep: Mlx5EswitchRep, name: string): NetDevice {
  const uplink = rep.vport === MLX5_VPORT_UPLINK;
  const dev = uplink
    ? alloc_mlx5e_netdev(mdev, name, mlx5e_netdev_ops, 'mlx5e', true, 'mlx5e_uplink_rep_profile')
    : alloc_mlx5e_netdev(mdev, name, mlx5e_netdev_ops_rep, 'mlx5e_rep', true, 'mlx5e_rep_profile');
  const priv = dev.priv as Mlx5ePriv;
  priv.ppriv = { rep, netdev: dev, tc_ht: new Map() };
  rep.netdev = dev;
  return dev;
}, { input: (_m, rep, name) => `${name} vport ${rep.vport === MLX5_VPORT_UPLINK ? 'uplink' : rep.vport}` });

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

  const netdevs: NetDevice[] = [];
  if (spec.eswitch_mode === 'switchdev') {
    const err = esw_offloads_enable(esw);
    if (err) return err;
    const uplink_rep: Mlx5EswitchRep = { vport: MLX5_VPORT_UPLINK, netdev: null };
    esw.offloads.vport_reps.set(MLX5_VPORT_UPLINK, uplink_rep);
    dev.uplink_netdev = mlx5e_vport_rep_load(dev, uplink_rep, spec.uplink);
    netdevs.push(dev.uplink_netdev);
    spec.representors.forEach((name, i) => {
      const rep: Mlx5EswitchRep = { vport: i + 1, netdev: null };
      esw.offloads.vport_reps.set(rep.vport, rep);
      const nd = mlx5e_vport_rep_load(dev, rep, name);
      dev.rep_netdevs.set(rep.vport, nd);
      netdevs.push(nd);
    });
  } else {
    const nd = mlx5e_nic_enable(dev, spec.uplink);
    if (typeof nd === 'number') return nd;
    dev.uplink_netdev = nd;
    netdevs.push(nd);
  }
  for (const nd of netdevs) {
    const err = register_netdevice(net, nd);
    if (err) return err;
  }
  return dev;
}, { input: (_n, _d, spec) => `${spec.pci} ${spec.eswitch_mode}`, result: (r) => (typeof r === 'number' ? undefined : r.device) });
