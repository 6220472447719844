// vswitchd/bridge.c (v3.6.3): applying the Open_vSwitch table to the
// running daemon — the hw-offload switch on every pass, and the datapath
// ports of each bridge (dpif_port_add -> netdev_ports_insert).
import { hop } from '../../trace/hop';
import type { OvsBridgeSpec } from '../../host/topology';
import type { OvsProcess } from '../lib/ovs-process';
import { netdev_open, netdev_is_vport, netdev_vport_get_dpif_port } from '../lib/netdev';
import { dpif_netlink_rtnl_port_create } from '../lib/dpif-netlink-rtnl';
import { netdev_ports_insert, netdev_set_flow_api_enabled } from '../lib/netdev-offload';
import { dpif_netlink_port_add, type DpifNetlink } from '../lib/dpif-netlink';
import { strerror } from '../../kernel/include/uapi/asm-generic/errno';

/** One datapath port as the bridge knows it. */
export interface BridgePort {
  bridge: string;
  name: string;
  type: string;
  port_no: number;
}

/**
 * dpif_port_add (lib/dpif.c): add the vport, then map it for offload
 * (tap ports never are; none are modelled). A tunnel netdev first gets its
 * kernel device through rtnetlink (dpif_netlink_port_create_and_add) and
 * joins the datapath as a netdev vport under its dpif port name.
 */
export const dpif_port_add = hop('lib/dpif.c', function dpif_port_add(
  p: OvsProcess, dpif: DpifNetlink, name: string, type: string, port_no: number, options: Readonly<Record<string, string>> | undefined,
): { error: number; port_no?: number } {
  const netdev = netdev_open(name, type, 'system', options);
  let dp_name = name;
  let dp_type = type;
  if (netdev_is_vport(netdev)) {
    const err = dpif_netlink_rtnl_port_create(p, netdev);
    if (err) {
      p.vlog.warn('dpif', `${dpif.full_name}: failed to add ${name} as port: ${strerror(err)}`);
      return { error: err };
    }
    dp_name = netdev_vport_get_dpif_port(netdev);
    dp_type = 'system';
  }
  const r = dpif_netlink_port_add(p, dpif, dp_name, dp_type, port_no);
  if (r.error) {
    p.vlog.warn('dpif', `${dpif.full_name}: failed to add ${name} as port: ${strerror(r.error)}`);
    return r;
  }
  p.vlog.dbg('dpif', `${dpif.full_name}: added ${name} as port ${r.port_no}`);
  netdev_ports_insert(p, netdev, r.port_no!);
  return r;
}, { input: (_p, _d, name, _t, port_no) => `${name} port ${port_no}`, errno: (r) => -r.error });

/** bridge_add_ports: every configured port not yet in the datapath. */
function bridge_add_ports(p: OvsProcess, dpif: DpifNetlink, bridges: readonly OvsBridgeSpec[], have: BridgePort[]): void {
  for (const br of bridges) {
    for (const port of br.ports) {
      if (have.some((h) => h.name === port.name)) continue;
      const type = port.type ?? 'system';
      const r = dpif_port_add(p, dpif, port.name, type, port.port, port.options);
      if (!r.error) {
        have.push({ bridge: br.name, name: port.name, type, port_no: r.port_no! });
        p.vlog.info('bridge', `bridge ${br.name}: added interface ${port.name} on port ${r.port_no}`);
      }
    }
  }
}

/**
 * bridge_reconfigure: the Open_vSwitch other_config first (hw-offload can
 * only be switched on; tc-policy is read when it is), then the ports.
 */
export const bridge_reconfigure = hop('vswitchd/bridge.c', function bridge_reconfigure(
  p: OvsProcess, other_config: Readonly<Record<string, string>>, dpif: DpifNetlink | undefined,
  bridges: readonly OvsBridgeSpec[], have: BridgePort[],
): void {
  netdev_set_flow_api_enabled(p, other_config);
  if (dpif) bridge_add_ports(p, dpif, bridges, have);
}, { input: (_p, cfg) => Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join(' ') });
