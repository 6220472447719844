// Things a scenario does to a host, expressed once here so steps stay thin.
import { Host, HostError } from './host';
import { ovs_datapaths, ovs_dp_process_packet, ovs_dp_upcall, ovs_kconfig } from '../kernel/net/openvswitch/datapath';
import { __netdev_update_features } from '../kernel/net/core/dev';
import { strerror } from '../kernel/include/uapi/asm-generic/errno';

/** The flow `When a flow is put` uses: TCP to port 80 from VF 0 to the uplink. */
export const DEFAULT_FLOW = {
  key: 'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,frag=no),tcp(dst=80)',
  actions: '1',
} as const;

/** What a tool run printed and returned. */
export interface ToolOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function inPortOf(host: Host, keyText: string): number {
  const m = /(?:^|[,\s])in_port\(([^)]*)\)/.exec(keyText);
  if (!m) throw new HostError(`flow "${keyText}" has no in_port(...): an upcall needs the port it arrived on`);
  const p = m[1]!.trim();
  if (/^\d+$/.test(p)) return Number(p);
  const n = host.ovs.port_no(p);
  if (n === undefined) throw new HostError(`in_port(${p}): no such port in the OVS bridges`);
  return n;
}

/**
 * A miss upcall: the kernel datapath sends the packet's key to the handler,
 * which translates it with `actionsText` (standing in for the OpenFlow
 * pipeline) and puts the resulting megaflow.
 */
export function emulateUpcall(host: Host, keyText: string, actionsText: string): void {
  const ovs = host.ovs;
  const parsed = ovs.odp_flow_from_string(keyText);
  if ('error' in parsed) throw new HostError(`ovs-vswitchd: parsing flow key (${parsed.error}): "${keyText}"`);
  const xerr = ovs.ofproto_dpif_add_xlate(keyText, actionsText);
  if (xerr !== undefined) throw new HostError(`${xerr}: "${actionsText}"`);
  const port = inPortOf(host, keyText);
  host.run(() => {
    const err = ovs_dp_upcall(host.kernel.net, 'ovs-system', port, parsed.key);
    if (err < 0) throw new HostError(`the datapath could not deliver an upcall on port ${port}: ${strerror(err)}`);
    ovs.udpif_upcall_handler_run();
  });
}

/** `ovs-appctl dpctl/add-flow FLOW ACTIONS` (appctl) or `ovs-dpctl add-flow` (not). */
export function dpctlAddFlow(host: Host, keyText: string, actionsText: string, appctl: boolean): ToolOutput {
  const ovs = host.ovs;
  return host.run(() => ovs.dpctl(['add-flow', keyText, actionsText], appctl));
}

/** `ethtool -K DEV hw-tc-offload on|off`: 0 or the driver's refusal. */
export function ethtoolSetHwTcOffload(host: Host, devName: string, on: boolean): number {
  const dev = host.netdev(devName);
  return host.run(() => __netdev_update_features(dev, { ...dev.features, hw_tc: on }));
}

/** `ovs-appctl vlog/set SPEC` */
export function vlogSet(host: Host, spec: string): void {
  const err = host.ovs.vlog_set(spec);
  if (err !== undefined) throw new HostError(`ovs-appctl vlog/set ${spec}: ${err}`);
}

export interface FirmwareFault {
  opcode: string;
  status: number;
  syndrome: number;
  count: number;
  pci?: string;
}

export function injectFirmwareFault(host: Host, f: FirmwareFault): void {
  const nic = host.nic(f.pci);
  if (!/^[A-Z_]+$/.test(f.opcode)) throw new HostError(`"${f.opcode}" is not a firmware command name (e.g. SET_FLOW_TABLE_ENTRY)`);
  try {
    nic.fw.inject_fault({ opcode: f.opcode, status: f.status, syndrome: f.syndrome, count: f.count });
  } catch (e) {
    throw new HostError(`firmware fault: ${(e as Error).message}`);
  }
}

/**
 * The host's kernel was built without this option (only CONFIG_NET_TC_SKB_EXT
 * is modelled). A build option cannot change under a running ovs-vswitchd.
 */
export function kernelBuiltWithout(host: Host, option: string): void {
  if (option !== 'CONFIG_NET_TC_SKB_EXT') throw new HostError(`kernel option ${option} is not modelled (only CONFIG_NET_TC_SKB_EXT)`);
  if (host.started) throw new HostError(`the kernel's build options must be chosen before ovs-vswitchd starts (put "a kernel built without ${option}" before any step that starts it)`);
  ovs_kconfig(host.kernel.net).NET_TC_SKB_EXT = false;
}

/**
 * `frames` untagged frames of `frame_len` wire bytes (Ethernet header
 * included, no FCS) reach the OVS kernel datapath and hit each of its flows
 * (with one flow in the datapath, that flow).
 */
export function emulateDatapathTraffic(host: Host, frames: number, frame_len: number): void {
  if (frame_len < 14) throw new HostError(`a ${frame_len}-byte frame is shorter than its Ethernet header`);
  host.run(() => {
    for (const dp of ovs_datapaths(host.kernel.net)) {
      for (const flow of dp.flows.values()) {
        for (let i = 0; i < frames; i++) ovs_dp_process_packet(host.kernel.net, flow, { len: frame_len, vlan_tag_present: false });
      }
    }
  });
}

