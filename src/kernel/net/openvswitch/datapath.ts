// net/openvswitch/datapath.c: the OVS kernel datapath as user space sees it
// over generic netlink (ovs_datapath, ovs_vport, ovs_flow, ovs_packet), and
// the upcall of a missed packet. Flows keep their key, mask and action
// attribute bytes as received; the key is decoded only far enough to
// validate it.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkCallback, NetlinkSkb } from '../../include/linux/netlink';
import {
  EAFNOSUPPORT, EBUSY, EEXIST, EFBIG, EINVAL, ENODEV, ENOENT, ENOTCONN, EOPNOTSUPP, type NegErrno,
} from '../../include/uapi/asm-generic/errno';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_MULTI } from '../../include/uapi/linux/netlink';
import { GENL_UNS_ADMIN_PERM } from '../../include/uapi/linux/genetlink';
import * as O from '../../include/uapi/linux/openvswitch';
import { StructWriter, nla_get_string, nla_get_u32, nla_walk, type NlAttr } from '../../../netlink/attr';
import { ovs_header_decode, ovs_header_encode } from '../../../netlink/structs';
import { NLA_BINARY, NLA_FLAG, NLA_NESTED, NLA_NUL_STRING, NLA_S32, NLA_U16, NLA_U32, NLA_U64, type NlaPolicy } from '../../lib/nlattr';
import {
  genl_notify, genl_register_family, genlmsg_put, genlmsg_reply, genlmsg_unicast, type GenlFamily, type GenlInfo,
} from '../netlink/genetlink';
import { register_netdevice } from '../core/dev';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';
import { ovs_flow_stats_update, type OvsSkb } from './flow';
import { ovs_exact_mask, ovs_nla_get_match_tunnel, ovs_nla_put_key, ovs_nla_put_mask } from './flow_netlink';

const IFNAMSIZ = 16;

/** struct vport */
export interface Vport {
  port_no: number;
  type: number;
  name: string;
  dev: NetDevice;
  upcall_portids: number[];
}

/** struct sw_flow: the emulated flow table entry. */
export interface SwFlow {
  ufid: Uint8Array | null;
  key: Uint8Array;
  mask: Uint8Array;
  actions: Uint8Array;
  packets: number;
  bytes: number;
  used: number;
}

/** struct datapath */
export interface Datapath {
  name: string;
  dp_ifindex: number;
  user_features: number;
  per_cpu_pids: number[];
  ports: Map<number, Vport>;
  /** Flows by identifier (ufid hex, else key hex). */
  flows: Map<string, SwFlow>;
  n_missed: number;
}

interface OvsNet {
  dps: Datapath[];
  families: { dp: GenlFamily; vport: GenlFamily; flow: GenlFamily; packet: GenlFamily } | null;
  kconfig: OvsKconfig;
}

/** Build options of the kernel this datapath runs on that change what it accepts. */
export interface OvsKconfig {
  /** CONFIG_NET_TC_SKB_EXT: tc can hand the chain it stopped in to OVS (skb extension). */
  NET_TC_SKB_EXT: boolean;
}

function ovs_net(net: Net): OvsNet {
  return net_generic(net, 'openvswitch', () => ({ dps: [] as Datapath[], families: null, kconfig: { NET_TC_SKB_EXT: true } } as OvsNet));
}

/** The build options the host's openvswitch module was compiled with (set before any datapath exists). */
export function ovs_kconfig(net: Net): OvsKconfig {
  return ovs_net(net).kconfig;
}

const no_tc_skb_ext = declareBranch('net/openvswitch/datapath.c', 'ovs_dp_change', 'TC_RECIRC_SHARING without CONFIG_NET_TC_SKB_EXT');

/** Every datapath of the namespace (for queries). */
export function ovs_datapaths(net: Net): readonly Datapath[] {
  return ovs_net(net).dps;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function OVS_NLERR(net: Net, msg: string): void {
  net.printk('info', `openvswitch: ${msg}`);
}

function get_dp(net: Net, dp_ifindex: number): Datapath | undefined {
  return ovs_net(net).dps.find((d) => d.dp_ifindex === dp_ifindex);
}

function dp_header(info: GenlInfo): number {
  const h = ovs_header_decode(info.userhdr);
  return h.ok ? h.value.dp_ifindex : 0;
}

/** ovs_vport_locate(): a vport by device name in this namespace. */
function ovs_vport_locate(net: Net, name: string): Vport | undefined {
  for (const dp of ovs_net(net).dps) for (const v of dp.ports.values()) if (v.name === name) return v;
  return undefined;
}

function dp_of_vport(net: Net, v: Vport): Datapath | undefined {
  return ovs_net(net).dps.find((d) => [...d.ports.values()].includes(v));
}

/** lookup_datapath(): by OVS_DP_ATTR_NAME (its local port) or by dp_ifindex. */
function lookup_datapath(net: Net, info: GenlInfo): Datapath | NegErrno {
  const name = info.attrs[O.OVS_DP_ATTR_NAME];
  let dp: Datapath | undefined;
  if (!name) dp = get_dp(net, dp_header(info));
  else {
    const v = ovs_vport_locate(net, nla_get_string(name));
    dp = v && v.port_no === O.OVSP_LOCAL ? dp_of_vport(net, v) : undefined;
  }
  return dp ?? -ENODEV;
}

function fams(net: Net): NonNullable<OvsNet['families']> {
  const f = ovs_net(net).families;
  if (!f) throw new Error('openvswitch families not registered');
  return f;
}

// ----------------------------------------------------------- datapath

// datapath.c datapath_policy (v6.18)
const datapath_policy: NlaPolicy = {
  [O.OVS_DP_ATTR_NAME]: { type: NLA_NUL_STRING, len: IFNAMSIZ - 1 },
  [O.OVS_DP_ATTR_UPCALL_PID]: { type: NLA_U32 },
  [O.OVS_DP_ATTR_USER_FEATURES]: { type: NLA_U32 },
  [O.OVS_DP_ATTR_MASKS_CACHE_SIZE]: { type: NLA_U32 },
  [O.OVS_DP_ATTR_PER_CPU_PIDS]: { type: NLA_BINARY },
  [O.OVS_DP_ATTR_IFINDEX]: { type: NLA_S32, min: 0 },
};

function ovs_dp_cmd_fill_info(net: Net, dp: Datapath, portid: number, seq: number, flags: number, cmd: number): Uint8Array {
  const b = genlmsg_put(portid, seq, fams(net).dp, flags, cmd, ovs_header_encode(dp.dp_ifindex));
  b.string(O.OVS_DP_ATTR_NAME, dp.name);
  b.attr(O.OVS_DP_ATTR_STATS, new StructWriter(O.OVS_DP_STATS_LEN)
    .u64(8, BigInt(dp.n_missed)).u64(24, BigInt(dp.flows.size)).bytes);
  b.attr(O.OVS_DP_ATTR_MEGAFLOW_STATS, new StructWriter(O.OVS_DP_MEGAFLOW_STATS_LEN).bytes);
  b.u32(O.OVS_DP_ATTR_USER_FEATURES, dp.user_features);
  b.u32(O.OVS_DP_ATTR_MASKS_CACHE_SIZE, 256);
  return b.finish();
}

/**
 * ovs_dp_change(): user features (unknown bits → -EOPNOTSUPP; tc recirc
 * sharing only on kernels with tc skb extensions) and per-CPU upcall pids.
 */
const ovs_dp_change = hop('net/openvswitch/datapath.c', function ovs_dp_change(dp: Datapath, info: GenlInfo): 0 | NegErrno {
  const uf = info.attrs[O.OVS_DP_ATTR_USER_FEATURES];
  if (uf) {
    const user_features = nla_get_u32(uf);
    const known = O.OVS_DP_F_VPORT_PIDS | O.OVS_DP_F_UNALIGNED | O.OVS_DP_F_TC_RECIRC_SHARING | O.OVS_DP_F_DISPATCH_UPCALL_PER_CPU;
    if (user_features & ~known) return -EOPNOTSUPP;
    // net/openvswitch/datapath.c ovs_dp_change (v6.18): without
    // CONFIG_NET_TC_SKB_EXT tc cannot tell OVS which chain a packet missed
    // in, so the datapath refuses to share recirc ids with tc.
    if (no_tc_skb_ext(!ovs_net(info.net).kconfig.NET_TC_SKB_EXT && (user_features & O.OVS_DP_F_TC_RECIRC_SHARING) !== 0)) return -EOPNOTSUPP;
    dp.user_features = user_features;
  }
  const pids = info.attrs[O.OVS_DP_ATTR_PER_CPU_PIDS];
  if (pids) {
    dp.per_cpu_pids = [];
    for (let i = 0; i + 4 <= pids.payload.byteLength; i += 4) {
      dp.per_cpu_pids.push(new DataView(pids.payload.buffer, pids.payload.byteOffset + i, 4).getUint32(0, true));
    }
  }
  return 0;
}, { input: (dp) => dp.name });

function internal_dev_create(net: Net, name: string): NetDevice | NegErrno {
  const dev: NetDevice = {
    name, ifindex: 0, features: { hw_tc: false }, hw_features: { hw_tc: false }, netdev_ops: {}, priv: null,
    nd_net: net, present: true, kind: 'openvswitch',
  };
  const err = register_netdevice(net, dev);
  return err < 0 ? err : dev;
}

/** ovs_dp_cmd_new (v6.18): name and upcall pid required; the local port is an internal device of that name. */
export const ovs_dp_cmd_new = hop('net/openvswitch/datapath.c', function ovs_dp_cmd_new(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const a = info.attrs;
  if (!a[O.OVS_DP_ATTR_NAME] || !a[O.OVS_DP_ATTR_UPCALL_PID]) return -EINVAL;
  const name = nla_get_string(a[O.OVS_DP_ATTR_NAME]!);
  const dp: Datapath = { name, dp_ifindex: 0, user_features: 0, per_cpu_pids: [], ports: new Map(), flows: new Map(), n_missed: 0 };
  const err = ovs_dp_change(dp, info);
  if (err) return err;
  const dev = internal_dev_create(net, name);
  if (typeof dev === 'number') return dev === -EBUSY ? -EEXIST : dev;
  dp.dp_ifindex = dev.ifindex;
  dp.ports.set(O.OVSP_LOCAL, { port_no: O.OVSP_LOCAL, type: O.OVS_VPORT_TYPE_INTERNAL, name, dev, upcall_portids: [nla_get_u32(a[O.OVS_DP_ATTR_UPCALL_PID]!)] });
  ovs_net(net).dps.push(dp);
  genl_notify(fams(net).dp, ovs_dp_cmd_fill_info(net, dp, info.snd_portid, info.snd_seq, 0, O.OVS_DP_CMD_NEW), info, 0);
  return 0;
}, { input: (_s, info) => (info.attrs[O.OVS_DP_ATTR_NAME] ? nla_get_string(info.attrs[O.OVS_DP_ATTR_NAME]!) : '-') });

/** ovs_dp_cmd_del(): detach every port (internal devices go away) and drop the flows. */
export const ovs_dp_cmd_del = hop('net/openvswitch/datapath.c', function ovs_dp_cmd_del(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const dp = lookup_datapath(net, info);
  if (typeof dp === 'number') return dp;
  const msg = ovs_dp_cmd_fill_info(net, dp, info.snd_portid, info.snd_seq, 0, O.OVS_DP_CMD_DEL);
  for (const v of dp.ports.values()) ovs_dp_detach_port(net, v);
  const s = ovs_net(net);
  s.dps.splice(s.dps.indexOf(dp), 1);
  genl_notify(fams(net).dp, msg, info, 0);
  return 0;
});

export const ovs_dp_cmd_set = hop('net/openvswitch/datapath.c', function ovs_dp_cmd_set(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const dp = lookup_datapath(net, info);
  if (typeof dp === 'number') return dp;
  const err = ovs_dp_change(dp, info);
  if (err) return err;
  genl_notify(fams(net).dp, ovs_dp_cmd_fill_info(net, dp, info.snd_portid, info.snd_seq, 0, O.OVS_DP_CMD_SET), info, 0);
  return 0;
});

export const ovs_dp_cmd_get = hop('net/openvswitch/datapath.c', function ovs_dp_cmd_get(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const dp = lookup_datapath(info.net, info);
  if (typeof dp === 'number') return dp;
  return genlmsg_reply(ovs_dp_cmd_fill_info(info.net, dp, info.snd_portid, info.snd_seq, 0, O.OVS_DP_CMD_GET), info);
});

function ovs_dp_cmd_dump(cb: NetlinkCallback, info: GenlInfo): 0 {
  for (const dp of ovs_net(info.net).dps) {
    cb.msgs.push(ovs_dp_cmd_fill_info(info.net, dp, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI, O.OVS_DP_CMD_GET));
  }
  return 0;
}

// ----------------------------------------------------------- vport

// datapath.c vport_policy (v6.18)
const vport_policy: NlaPolicy = {
  [O.OVS_VPORT_ATTR_NAME]: { type: NLA_NUL_STRING, len: IFNAMSIZ - 1 },
  [O.OVS_VPORT_ATTR_STATS]: { len: O.OVS_VPORT_STATS_LEN },
  [O.OVS_VPORT_ATTR_PORT_NO]: { type: NLA_U32 },
  [O.OVS_VPORT_ATTR_TYPE]: { type: NLA_U32 },
  [O.OVS_VPORT_ATTR_UPCALL_PID]: { len: 4 },
  [O.OVS_VPORT_ATTR_OPTIONS]: { type: NLA_NESTED },
  [O.OVS_VPORT_ATTR_IFINDEX]: { type: NLA_S32, min: 0 },
  [O.OVS_VPORT_ATTR_NETNSID]: { type: NLA_S32 },
};

function u32_array(a: NlAttr): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= a.payload.byteLength; i += 4) out.push(new DataView(a.payload.buffer, a.payload.byteOffset + i, 4).getUint32(0, true));
  return out;
}

function ovs_vport_cmd_fill_info(net: Net, dp: Datapath, v: Vport, portid: number, seq: number, flags: number, cmd: number): Uint8Array {
  const b = genlmsg_put(portid, seq, fams(net).vport, flags, cmd, ovs_header_encode(dp.dp_ifindex));
  b.u32(O.OVS_VPORT_ATTR_PORT_NO, v.port_no);
  b.u32(O.OVS_VPORT_ATTR_TYPE, v.type);
  b.string(O.OVS_VPORT_ATTR_NAME, v.name);
  b.s32(O.OVS_VPORT_ATTR_IFINDEX, v.dev.ifindex);
  const pids = new StructWriter(4 * Math.max(1, v.upcall_portids.length));
  v.upcall_portids.forEach((p, i) => pids.u32(4 * i, p));
  b.attr(O.OVS_VPORT_ATTR_UPCALL_PID, pids.bytes);
  b.attr(O.OVS_VPORT_ATTR_STATS, new StructWriter(O.OVS_VPORT_STATS_LEN).bytes);
  return b.finish();
}

function ovs_dp_detach_port(net: Net, v: Vport): void {
  if (v.type === O.OVS_VPORT_TYPE_INTERNAL) {
    net.dev_by_index.delete(v.dev.ifindex);
    net.dev_by_name.delete(v.dev.name);
  }
}

/**
 * ovs_vport_cmd_new (v6.18): name, type and upcall pid required; a given port
 * number must be free (-EBUSY) and below DP_MAX_PORTS (-EFBIG); netdev ports
 * attach an existing Ethernet device (-ENODEV / -EINVAL).
 */
export const ovs_vport_cmd_new = hop('net/openvswitch/datapath.c', function ovs_vport_cmd_new(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const a = info.attrs;
  if (!a[O.OVS_VPORT_ATTR_NAME] || !a[O.OVS_VPORT_ATTR_TYPE] || !a[O.OVS_VPORT_ATTR_UPCALL_PID]) return -EINVAL;
  const type = nla_get_u32(a[O.OVS_VPORT_ATTR_TYPE]!);
  if (a[O.OVS_VPORT_ATTR_IFINDEX] && type !== O.OVS_VPORT_TYPE_INTERNAL) return -EOPNOTSUPP;
  const dp = get_dp(net, dp_header(info));
  if (!dp) return -ENODEV;
  let port_no: number;
  if (a[O.OVS_VPORT_ATTR_PORT_NO]) {
    port_no = nla_get_u32(a[O.OVS_VPORT_ATTR_PORT_NO]!);
    if (port_no >= O.DP_MAX_PORTS) return -EFBIG;
    if (dp.ports.has(port_no)) return -EBUSY;
  } else {
    for (port_no = 1; dp.ports.has(port_no); port_no++) if (port_no >= O.DP_MAX_PORTS) return -EFBIG;
  }
  const name = nla_get_string(a[O.OVS_VPORT_ATTR_NAME]!);
  let dev: NetDevice | NegErrno;
  if (type === O.OVS_VPORT_TYPE_NETDEV) {
    // ovs_netdev_link: an existing Ethernet device, not loopback, not another datapath's port.
    const d = net.dev_by_name.get(name);
    if (!d) return -ENODEV;
    if (d.kind === 'loopback' || d.kind === 'openvswitch') return -EINVAL;
    if (ovs_vport_locate(net, name)) return -EBUSY;
    dev = d;
  } else if (type === O.OVS_VPORT_TYPE_INTERNAL) {
    dev = internal_dev_create(net, name);
    if (typeof dev === 'number') return dev === -EBUSY ? -EEXIST : dev;
  } else {
    // Tunnel vport kinds are modules this host does not have.
    return -EAFNOSUPPORT;
  }
  const v: Vport = { port_no, type, name, dev, upcall_portids: u32_array(a[O.OVS_VPORT_ATTR_UPCALL_PID]!) };
  dp.ports.set(port_no, v);
  genl_notify(fams(net).vport, ovs_vport_cmd_fill_info(net, dp, v, info.snd_portid, info.snd_seq, 0, O.OVS_VPORT_CMD_NEW), info, 0);
  return 0;
}, { input: (_s, info) => (info.attrs[O.OVS_VPORT_ATTR_NAME] ? nla_get_string(info.attrs[O.OVS_VPORT_ATTR_NAME]!) : '-') });

/** lookup_vport(): by name (checking the datapath) or by dp_ifindex + port number. */
function lookup_vport(net: Net, info: GenlInfo): { dp: Datapath; v: Vport } | NegErrno {
  const a = info.attrs;
  const dp_ifindex = dp_header(info);
  if (a[O.OVS_VPORT_ATTR_NAME]) {
    const v = ovs_vport_locate(net, nla_get_string(a[O.OVS_VPORT_ATTR_NAME]!));
    if (!v) return -ENODEV;
    const dp = dp_of_vport(net, v)!;
    if (dp_ifindex && dp_ifindex !== dp.dp_ifindex) return -ENODEV;
    return { dp, v };
  }
  if (a[O.OVS_VPORT_ATTR_PORT_NO]) {
    const port_no = nla_get_u32(a[O.OVS_VPORT_ATTR_PORT_NO]!);
    if (port_no >= O.DP_MAX_PORTS) return -EFBIG;
    const dp = get_dp(net, dp_ifindex);
    if (!dp) return -ENODEV;
    const v = dp.ports.get(port_no);
    if (!v) return -ENODEV;
    return { dp, v };
  }
  return -EINVAL;
}

export const ovs_vport_cmd_del = hop('net/openvswitch/datapath.c', function ovs_vport_cmd_del(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const r = lookup_vport(net, info);
  if (typeof r === 'number') return r;
  if (r.v.port_no === O.OVSP_LOCAL) return -EINVAL;
  const msg = ovs_vport_cmd_fill_info(net, r.dp, r.v, info.snd_portid, info.snd_seq, 0, O.OVS_VPORT_CMD_DEL);
  r.dp.ports.delete(r.v.port_no);
  ovs_dp_detach_port(net, r.v);
  genl_notify(fams(net).vport, msg, info, 0);
  return 0;
});

export const ovs_vport_cmd_set = hop('net/openvswitch/datapath.c', function ovs_vport_cmd_set(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const r = lookup_vport(net, info);
  if (typeof r === 'number') return r;
  const t = info.attrs[O.OVS_VPORT_ATTR_TYPE];
  if (t && nla_get_u32(t) !== r.v.type) return -EINVAL;
  const pids = info.attrs[O.OVS_VPORT_ATTR_UPCALL_PID];
  if (pids) r.v.upcall_portids = u32_array(pids);
  genl_notify(fams(net).vport, ovs_vport_cmd_fill_info(net, r.dp, r.v, info.snd_portid, info.snd_seq, 0, O.OVS_VPORT_CMD_SET), info, 0);
  return 0;
});

export const ovs_vport_cmd_get = hop('net/openvswitch/datapath.c', function ovs_vport_cmd_get(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const r = lookup_vport(info.net, info);
  if (typeof r === 'number') return r;
  return genlmsg_reply(ovs_vport_cmd_fill_info(info.net, r.dp, r.v, info.snd_portid, info.snd_seq, 0, O.OVS_VPORT_CMD_GET), info);
});

function ovs_vport_cmd_dump(cb: NetlinkCallback, info: GenlInfo): 0 | NegErrno {
  const dp = get_dp(info.net, dp_header(info));
  if (!dp) return -ENODEV;
  for (const v of [...dp.ports.values()].sort((x, y) => x.port_no - y.port_no)) {
    cb.msgs.push(ovs_vport_cmd_fill_info(info.net, dp, v, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI, O.OVS_VPORT_CMD_GET));
  }
  return 0;
}

// ----------------------------------------------------------- flow

// datapath.c flow_policy (v6.18)
const flow_policy: NlaPolicy = {
  [O.OVS_FLOW_ATTR_KEY]: { type: NLA_NESTED },
  [O.OVS_FLOW_ATTR_MASK]: { type: NLA_NESTED },
  [O.OVS_FLOW_ATTR_ACTIONS]: { type: NLA_NESTED },
  [O.OVS_FLOW_ATTR_CLEAR]: { type: NLA_FLAG },
  [O.OVS_FLOW_ATTR_PROBE]: { type: NLA_FLAG },
  [O.OVS_FLOW_ATTR_UFID]: { len: 1 },
  [O.OVS_FLOW_ATTR_UFID_FLAGS]: { type: NLA_U32 },
};

/** ovs_nla_get_ufid(): 1..16 bytes, else none. */
function ovs_nla_get_ufid(net: Net, a: NlAttr | undefined): Uint8Array | null {
  if (!a) return null;
  const len = a.payload.byteLength;
  if (len < 1 || len > O.MAX_UFID_LENGTH) {
    OVS_NLERR(net, `ufid size ${len} bytes exceeds the range (1, ${O.MAX_UFID_LENGTH})`);
    return null;
  }
  return a.payload.slice();
}

/** A key stream must walk cleanly and carry only known key types (ovs_nla_get_match's first checks). */
function ovs_key_valid(net: Net, a: NlAttr): boolean {
  const w = nla_walk(a.payload);
  if (!w.ok) {
    OVS_NLERR(net, 'Message has 4 unknown bytes.');
    return false;
  }
  for (const k of w.attrs) {
    if (k.type > O.OVS_KEY_ATTR_MAX) {
      OVS_NLERR(net, `Key type ${k.type} is out of range max ${O.OVS_KEY_ATTR_MAX}`);
      return false;
    }
  }
  return true;
}

function flow_id(ufid: Uint8Array | null, key: Uint8Array): string {
  return ufid ? `ufid:${hex(ufid)}` : `key:${hex(key)}`;
}

function ovs_flow_cmd_fill_info(net: Net, dp: Datapath, f: SwFlow, portid: number, seq: number, flags: number, cmd: number,
  ufid_flags: number): Uint8Array {
  const b = genlmsg_put(portid, seq, fams(net).flow, flags, cmd, ovs_header_encode(dp.dp_ifindex));
  // ovs_nla_put_identifier: the ufid, or the key when there is none
  if (f.ufid) b.attr(O.OVS_FLOW_ATTR_UFID, f.ufid);
  else b.attr(O.OVS_FLOW_ATTR_KEY, ovs_nla_put_key(f.key));
  if (f.ufid && !(ufid_flags & O.OVS_UFID_F_OMIT_KEY)) b.attr(O.OVS_FLOW_ATTR_KEY, ovs_nla_put_key(f.key));
  if (!(ufid_flags & O.OVS_UFID_F_OMIT_MASK)) b.attr(O.OVS_FLOW_ATTR_MASK, ovs_nla_put_mask(f.key, f.mask));
  if (f.packets) b.attr(O.OVS_FLOW_ATTR_STATS, new StructWriter(O.OVS_FLOW_STATS_LEN).u64(0, BigInt(f.packets)).u64(8, BigInt(f.bytes)).bytes);
  if (f.used) b.u64(O.OVS_FLOW_ATTR_USED, BigInt(f.used));
  if (!(ufid_flags & O.OVS_UFID_F_OMIT_ACTIONS)) b.attr(O.OVS_FLOW_ATTR_ACTIONS, f.actions);
  return b.finish();
}

function ufid_flags_of(info: GenlInfo): number {
  const a = info.attrs[O.OVS_FLOW_ATTR_UFID_FLAGS];
  return a ? nla_get_u32(a) : 0;
}

/**
 * The flow named by ufid, else by key. NEW looks by key too when the ufid is
 * unknown (overlap check); SET/GET/DEL use the ufid alone when one is given
 * (ovs_flow_tbl_lookup_ufid vs ovs_flow_tbl_lookup_exact, v6.18).
 */
function ovs_flow_lookup(dp: Datapath, ufid: Uint8Array | null, key: Uint8Array | null, ufid_only = false): SwFlow | undefined {
  if (ufid) {
    const f = dp.flows.get(flow_id(ufid, new Uint8Array(0)));
    if (f || ufid_only) return f;
  }
  if (key) {
    // ovs_flow_tbl_lookup_exact compares parsed keys, not the bytes user
    // space sent: compare both in the kernel's own encoding.
    const want = hex(ovs_nla_put_key(key));
    for (const f of dp.flows.values()) if (hex(ovs_nla_put_key(f.key)) === want) return f;
  }
  return undefined;
}

/**
 * ovs_flow_cmd_new (v6.18): key and actions required; an existing flow (by
 * ufid, else key) with NLM_F_CREATE or NLM_F_EXCL is -EEXIST, otherwise its
 * actions are replaced.
 */
export const ovs_flow_cmd_new = hop('net/openvswitch/datapath.c', function ovs_flow_cmd_new(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const a = info.attrs;
  if (!a[O.OVS_FLOW_ATTR_KEY]) {
    OVS_NLERR(net, 'Flow key attr not present in new flow.');
    return -EINVAL;
  }
  if (!a[O.OVS_FLOW_ATTR_ACTIONS]) {
    OVS_NLERR(net, 'Flow actions attr not present in new flow.');
    return -EINVAL;
  }
  if (!ovs_key_valid(net, a[O.OVS_FLOW_ATTR_KEY]!) || (a[O.OVS_FLOW_ATTR_MASK] && !ovs_key_valid(net, a[O.OVS_FLOW_ATTR_MASK]!))) return -EINVAL;
  const terr = ovs_nla_get_match_tunnel(net, a[O.OVS_FLOW_ATTR_KEY]!.payload, a[O.OVS_FLOW_ATTR_MASK]?.payload ?? null);
  if (terr < 0) return terr;
  const ufid = ovs_nla_get_ufid(net, a[O.OVS_FLOW_ATTR_UFID]);
  const key = a[O.OVS_FLOW_ATTR_KEY]!.payload.slice();
  const dp = get_dp(net, dp_header(info));
  if (!dp) return -ENODEV;
  const ufid_flags = ufid_flags_of(info);
  const actions = a[O.OVS_FLOW_ATTR_ACTIONS]!.payload.slice();
  let flow = ovs_flow_lookup(dp, ufid, key);
  if (!flow) {
    flow = { ufid, key, mask: a[O.OVS_FLOW_ATTR_MASK]?.payload.slice() ?? ovs_exact_mask(key), actions, packets: 0, bytes: 0, used: 0 };
    dp.flows.set(flow_id(ufid, key), flow);
    genl_notify(fams(net).flow, ovs_flow_cmd_fill_info(net, dp, flow, info.snd_portid, info.snd_seq, 0, O.OVS_FLOW_CMD_NEW, ufid_flags), info, 0);
    return 0;
  }
  // Generic netlink treats NLM_F_EXCL as a dump request, so CREATE stands in for it.
  if (info.nlhdr.hdr.nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) return -EEXIST;
  flow.actions = actions;
  genl_notify(fams(net).flow, ovs_flow_cmd_fill_info(net, dp, flow, info.snd_portid, info.snd_seq, 0, O.OVS_FLOW_CMD_NEW, ufid_flags), info, 0);
  return 0;
}, { input: (_s, info) => (info.attrs[O.OVS_FLOW_ATTR_UFID] ? `ufid=${hex(info.attrs[O.OVS_FLOW_ATTR_UFID]!.payload)}` : 'no ufid') });

export const ovs_flow_cmd_set = hop('net/openvswitch/datapath.c', function ovs_flow_cmd_set(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const a = info.attrs;
  const ufid = ovs_nla_get_ufid(net, a[O.OVS_FLOW_ATTR_UFID]);
  if (!a[O.OVS_FLOW_ATTR_KEY] && !ufid) {
    OVS_NLERR(net, 'Flow set message rejected, Key attribute missing.');
    return -EINVAL;
  }
  const dp = get_dp(net, dp_header(info));
  if (!dp) return -ENODEV;
  const flow = ovs_flow_lookup(dp, ufid, a[O.OVS_FLOW_ATTR_KEY]?.payload ?? null, true);
  if (!flow) return -ENOENT;
  if (a[O.OVS_FLOW_ATTR_ACTIONS]) flow.actions = a[O.OVS_FLOW_ATTR_ACTIONS]!.payload.slice();
  if (a[O.OVS_FLOW_ATTR_CLEAR]) {
    flow.packets = 0;
    flow.bytes = 0;
    flow.used = 0;
  }
  genl_notify(fams(net).flow, ovs_flow_cmd_fill_info(net, dp, flow, info.snd_portid, info.snd_seq, 0, O.OVS_FLOW_CMD_SET, ufid_flags_of(info)), info, 0);
  return 0;
});

export const ovs_flow_cmd_del = hop('net/openvswitch/datapath.c', function ovs_flow_cmd_del(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const a = info.attrs;
  const ufid = ovs_nla_get_ufid(net, a[O.OVS_FLOW_ATTR_UFID]);
  const dp = get_dp(net, dp_header(info));
  if (!dp) return -ENODEV;
  if (!a[O.OVS_FLOW_ATTR_KEY] && !ufid) {
    dp.flows.clear();
    return 0;
  }
  const flow = ovs_flow_lookup(dp, ufid, a[O.OVS_FLOW_ATTR_KEY]?.payload ?? null, true);
  if (!flow) return -ENOENT;
  for (const [id, f] of dp.flows) if (f === flow) dp.flows.delete(id);
  genl_notify(fams(net).flow, ovs_flow_cmd_fill_info(net, dp, flow, info.snd_portid, info.snd_seq, 0, O.OVS_FLOW_CMD_DEL, ufid_flags_of(info)), info, 0);
  return 0;
});

export const ovs_flow_cmd_get = hop('net/openvswitch/datapath.c', function ovs_flow_cmd_get(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const net = info.net;
  const a = info.attrs;
  const ufid = ovs_nla_get_ufid(net, a[O.OVS_FLOW_ATTR_UFID]);
  if (!a[O.OVS_FLOW_ATTR_KEY] && !ufid) {
    OVS_NLERR(net, 'Flow get message rejected, Key attribute missing.');
    return -EINVAL;
  }
  const dp = get_dp(net, dp_header(info));
  if (!dp) return -ENODEV;
  const flow = ovs_flow_lookup(dp, ufid, a[O.OVS_FLOW_ATTR_KEY]?.payload ?? null, true);
  if (!flow) return -ENOENT;
  return genlmsg_reply(ovs_flow_cmd_fill_info(net, dp, flow, info.snd_portid, info.snd_seq, 0, O.OVS_FLOW_CMD_GET, ufid_flags_of(info)), info);
});

/** ovs_flow_cmd_dump (v6.18): every flow of the datapath, with OVS_FLOW_ATTR_UFID_FLAGS honoured. */
export const ovs_flow_cmd_dump = hop('net/openvswitch/datapath.c', function ovs_flow_cmd_dump(cb: NetlinkCallback, info: GenlInfo): 0 | NegErrno {
  const dp = get_dp(info.net, dp_header(info));
  if (!dp) return -ENODEV;
  for (const f of dp.flows.values()) {
    cb.msgs.push(ovs_flow_cmd_fill_info(info.net, dp, f, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI, O.OVS_FLOW_CMD_GET, ufid_flags_of(info)));
  }
  return 0;
}, { input: (_cb, info) => `dp_ifindex=${dp_header(info)}`, result: (r) => String(r) });

// ----------------------------------------------------------- packet

// datapath.c packet_policy (v6.18)
const packet_policy: NlaPolicy = {
  [O.OVS_PACKET_ATTR_PACKET]: { len: 14 },
  [O.OVS_PACKET_ATTR_KEY]: { type: NLA_NESTED },
  [O.OVS_PACKET_ATTR_ACTIONS]: { type: NLA_NESTED },
  [O.OVS_PACKET_ATTR_PROBE]: { type: NLA_FLAG },
  [O.OVS_PACKET_ATTR_MRU]: { type: NLA_U16 },
  [O.OVS_PACKET_ATTR_HASH]: { type: NLA_U64 },
  [O.OVS_PACKET_ATTR_UPCALL_PID]: { type: NLA_U32 },
};

/** ovs_packet_cmd_execute(): packet, key and actions required; the packet is consumed. */
export const ovs_packet_cmd_execute = hop('net/openvswitch/datapath.c', function ovs_packet_cmd_execute(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  const a = info.attrs;
  if (!a[O.OVS_PACKET_ATTR_PACKET] || !a[O.OVS_PACKET_ATTR_KEY] || !a[O.OVS_PACKET_ATTR_ACTIONS]) return -EINVAL;
  const dp = get_dp(info.net, dp_header(info));
  if (!dp) return -ENODEV;
  return 0;
});

/**
 * ovs_dp_upcall → queue_userspace_packet (v6.18): OVS_PACKET_CMD_MISS with
 * the flow key then the packet, to the per-CPU pid (per-CPU dispatch) or the
 * input port's pid; no pid → -ENOTCONN.
 */
export const ovs_dp_upcall = hop('net/openvswitch/datapath.c', function ovs_dp_upcall(net: Net, dp_ref: number | string, port_no: number,
  key: Uint8Array): 0 | NegErrno {
  const dp = ovs_net(net).dps.find((d) => (typeof dp_ref === 'number' ? d.dp_ifindex === dp_ref : d.name === dp_ref));
  if (!dp) return -ENODEV;
  const vport = dp.ports.get(port_no);
  if (!vport) return -ENODEV;
  const portid = dp.user_features & O.OVS_DP_F_DISPATCH_UPCALL_PER_CPU && dp.per_cpu_pids.length
    ? dp.per_cpu_pids[0]! : (vport.upcall_portids[0] ?? 0);
  dp.n_missed++;
  if (!portid) return -ENOTCONN;
  const b = genlmsg_put(0, 0, fams(net).packet, 0, O.OVS_PACKET_CMD_MISS, ovs_header_encode(dp.dp_ifindex));
  b.attr(O.OVS_PACKET_ATTR_KEY, key);
  b.attr(O.OVS_PACKET_ATTR_PACKET, new Uint8Array(60));
  return genlmsg_unicast(net, b.finish(), portid);
}, { input: (_n, dp, port_no) => `dp=${dp} port=${port_no}` });

/**
 * ovs_dp_process_packet: a received packet whose flow lookup hit `flow`
 * (the emulator names the flow instead of extracting a key from packet
 * bytes): the flow counts it. Executing the flow's actions is not modelled.
 */
export const ovs_dp_process_packet = hop('net/openvswitch/datapath.c', function ovs_dp_process_packet(
  net: Net, flow: SwFlow, skb: OvsSkb,
): void {
  // net/openvswitch/datapath.c ovs_dp_process_packet (v6.18): a hit updates
  // the flow's stats before ovs_execute_actions.
  ovs_flow_stats_update(flow, skb, net.jiffies());
}, { input: (_n, f, skb) => `${f.ufid ? `ufid ${Buffer.from(f.ufid).toString('hex')}` : 'flow'} len=${skb.len}` });

/** dp_init(): the four families on this host. */
export function dp_init(net: Net): void {
  const reg = (f: Omit<GenlFamily, 'id' | 'mcgrp_offset'>): GenlFamily => {
    const r = genl_register_family(net, f);
    if (typeof r === 'number') throw new Error(`genl_register_family(${f.name}) = ${r}`);
    return r;
  };
  const P = GENL_UNS_ADMIN_PERM;
  const dp = reg({
    name: O.OVS_DATAPATH_FAMILY, version: O.OVS_DATAPATH_VERSION, hdrsize: 4, maxattr: O.OVS_DP_ATTR_MAX, policy: datapath_policy,
    mcgrps: [O.OVS_DATAPATH_FAMILY], ops: [
      { cmd: O.OVS_DP_CMD_NEW, flags: P, doit: ovs_dp_cmd_new },
      { cmd: O.OVS_DP_CMD_DEL, flags: P, doit: ovs_dp_cmd_del },
      { cmd: O.OVS_DP_CMD_GET, flags: 0, doit: ovs_dp_cmd_get, dumpit: ovs_dp_cmd_dump },
      { cmd: O.OVS_DP_CMD_SET, flags: P, doit: ovs_dp_cmd_set },
    ],
  });
  const vport = reg({
    name: O.OVS_VPORT_FAMILY, version: O.OVS_VPORT_VERSION, hdrsize: 4, maxattr: O.OVS_VPORT_ATTR_MAX, policy: vport_policy,
    mcgrps: [O.OVS_VPORT_MCGROUP], ops: [
      { cmd: O.OVS_VPORT_CMD_NEW, flags: P, doit: ovs_vport_cmd_new },
      { cmd: O.OVS_VPORT_CMD_DEL, flags: P, doit: ovs_vport_cmd_del },
      { cmd: O.OVS_VPORT_CMD_GET, flags: 0, doit: ovs_vport_cmd_get, dumpit: ovs_vport_cmd_dump },
      { cmd: O.OVS_VPORT_CMD_SET, flags: P, doit: ovs_vport_cmd_set },
    ],
  });
  const flow = reg({
    name: O.OVS_FLOW_FAMILY, version: O.OVS_FLOW_VERSION, hdrsize: 4, maxattr: O.OVS_FLOW_ATTR_MAX, policy: flow_policy,
    mcgrps: [O.OVS_FLOW_FAMILY], ops: [
      { cmd: O.OVS_FLOW_CMD_NEW, flags: P, doit: ovs_flow_cmd_new },
      { cmd: O.OVS_FLOW_CMD_DEL, flags: P, doit: ovs_flow_cmd_del },
      { cmd: O.OVS_FLOW_CMD_GET, flags: 0, doit: ovs_flow_cmd_get, dumpit: ovs_flow_cmd_dump },
      { cmd: O.OVS_FLOW_CMD_SET, flags: P, doit: ovs_flow_cmd_set },
    ],
  });
  const packet = reg({
    name: O.OVS_PACKET_FAMILY, version: O.OVS_PACKET_VERSION, hdrsize: 4, maxattr: O.OVS_PACKET_ATTR_MAX, policy: packet_policy,
    mcgrps: [], ops: [{ cmd: O.OVS_PACKET_CMD_EXECUTE, flags: P, doit: ovs_packet_cmd_execute }],
  });
  ovs_net(net).families = { dp, vport, flow, packet };
}

