// core/lib/vxlan.c: the UDP ports the device parses as VXLAN. The IANA port
// is added when the table is created (mlx5_vxlan_create); ports of other
// VXLAN devices would come through udp_tunnel_nic, which is not emulated.
import type { Mlx5CoreDev } from '../mlx5_core';

/** MLX5_VXLAN_UDP_PORT / IANA_VXLAN_UDP_PORT */
export const IANA_VXLAN_UDP_PORT = 4789;

/** mlx5_vxlan_lookup_port (core/lib/vxlan.c, v6.18) */
export function mlx5_vxlan_lookup_port(_mdev: Mlx5CoreDev, port: number): boolean {
  return port === IANA_VXLAN_UDP_PORT;
}
