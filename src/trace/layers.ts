// The lanes of a hop diagram, top (user space) to bottom (hardware). A hop's
// lane follows from its upstream file, so a new hop needs no list edited.

export const LAYERS = [
  { id: 'user', title: 'user space: OVS, tc' },
  { id: 'netlink', title: 'kernel netlink / rtnetlink' },
  { id: 'tc', title: 'cls_api / cls_flower' },
  { id: 'ovs_dp', title: 'OVS kernel datapath' },
  { id: 'mlx5_en', title: 'mlx5 en_tc' },
  { id: 'mlx5_fs', title: 'mlx5 eswitch / fs_core / fs_cmd' },
  { id: 'firmware', title: 'firmware' },
] as const;

export type Layer = (typeof LAYERS)[number]['id'];

export function layerRank(l: Layer): number {
  return LAYERS.findIndex((x) => x.id === l);
}

/** Maps an upstream file path to its lane. */
export function layerOf(file: string): Layer {
  if (file.startsWith('firmware')) return 'firmware';
  if (file.startsWith('net/openvswitch/')) return 'ovs_dp';
  if (file.startsWith('net/netlink/') || file === 'net/core/rtnetlink.c' || file === 'lib/nlattr.c') {
    return 'netlink';
  }
  if (file.startsWith('net/') || file.startsWith('include/net/')) return 'tc';
  if (file.startsWith('drivers/')) {
    if (/\/(fs_core|fs_cmd|fs_ft_pool|cmd|fs_counters|eswitch_offloads|eswitch)\.c$/.test(file)) return 'mlx5_fs';
    if (/\/lib\/fs_chains\.c$/.test(file) || /\/steering\//.test(file)) return 'mlx5_fs';
    return 'mlx5_en';
  }
  // OVS (ofproto/, lib/, vswitchd/, utilities/) and iproute2 (tc/, lib/)
  return 'user';
}
