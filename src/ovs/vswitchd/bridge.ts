// vswitchd/bridge.c (v3.6.3): applying the Open_vSwitch table to the
// running daemon — the hw-offload switch on every pass, and the datapath
// ports of each bridge (dpif_port_add -> netdev_ports_insert; ports gone
// from the database: dpif_port_del -> netdev_ports_remove).
import { hop } from '../../trace/hop';
import type { OvsBridgeSpec } from '../../host/topology';
import type { OvsProcess } from '../lib/ovs-process';
import { netdev_open, netdev_is_vport, netdev_vport_get_dpif_port } from '../lib/netdev';
import { dpif_netlink_rtnl_port_create } from '../lib/dpif-netlink-rtnl';
import { netdev_ports_insert, netdev_ports_remove, netdev_set_flow_api_enabled } from '../lib/netdev-offload';
import { dpif_netlink_port_add, dpif_netlink_port_del, type DpifNetlink } from '../lib/dpif-netlink';
import { ENODEV, strerror } from '../../kernel/include/uapi/asm-generic/errno';

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

/**
 * dpif_port_del (lib/dpif.c): OVS_VPORT_CMD_DEL, then the port leaves the
 * offload port map.
 */
export const dpif_port_del = hop('lib/dpif.c', function dpif_port_del(p: OvsProcess, dpif: DpifNetlink, port_no: number): number {
  const error = dpif_netlink_port_del(p, dpif, port_no);
  if (!error) {
    p.vlog.dbg('dpif', `${dpif.full_name}: port_del(${port_no})`);
    netdev_ports_remove(p, port_no, 'system');
  } else {
    p.vlog.warn('dpif', `${dpif.full_name}: failed to delete port ${port_no}: ${strerror(error)}`);
  }
  return error;
}, { input: (_p, _d, port_no) => `port ${port_no}`, errno: (e) => -e });

/**
 * bridge_delete_or_reconfigure_ports: a datapath port whose Interface row
 * is gone is deleted (no INFO line upstream, only dpif's DBG).
 */
function bridge_del_ports(p: OvsProcess, dpif: DpifNetlink, bridges: readonly OvsBridgeSpec[], have: BridgePort[]): void {
  for (const h of [...have]) {
    if (bridges.some((b) => b.name === h.bridge && b.ports.some((x) => x.name === h.name))) continue;
    if (!dpif_port_del(p, dpif, h.port_no)) have.splice(have.indexOf(h), 1);
  }
}

/**
 * bridge_add_ports (iface_do_create): every configured port not yet in the
 * datapath; a failure is WARNed and becomes the Interface row's error.
 */
function bridge_add_ports(p: OvsProcess, dpif: DpifNetlink, bridges: readonly OvsBridgeSpec[], have: BridgePort[],
  iface_errors?: Map<string, string>): void {
  for (const br of bridges) {
    for (const port of br.ports) {
      if (have.some((h) => h.name === port.name)) continue;
      const type = port.type ?? 'system';
      const r = dpif_port_add(p, dpif, port.name, type, port.port, port.options);
      if (!r.error) {
        iface_errors?.delete(port.name);
        have.push({ bridge: br.name, name: port.name, type, port_no: r.port_no! });
        p.vlog.info('bridge', `bridge ${br.name}: added interface ${port.name} on port ${r.port_no}`);
      } else if (r.error === ENODEV && type === 'system') {
        // Upstream netdev_open already fails here (netdev_linux_construct's
        // SIOCGIFFLAGS, an ioctl this model has no form for); the kernel's
        // ENODEV for the vport stands in for it, with upstream's text.
        const err = `could not open network device ${port.name} (${strerror(ENODEV)})`;
        p.vlog.warn('bridge', err);
        iface_errors?.set(port.name, err);
      } else {
        const err = `could not add network device ${port.name} to ofproto (${strerror(r.error)})`;
        p.vlog.warn('bridge', err);
        iface_errors?.set(port.name, err);
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
  bridges: readonly OvsBridgeSpec[], have: BridgePort[], iface_errors?: Map<string, string>,
): void {
  netdev_set_flow_api_enabled(p, other_config);
  if (dpif) {
    bridge_del_ports(p, dpif, bridges, have);
    bridge_add_ports(p, dpif, bridges, have, iface_errors);
  }
}, { input: (_p, cfg) => Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join(' ') });
