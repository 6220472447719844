// lib/dpif-netlink.c (v3.6.3): the "system" dpif class, i.e. the Linux
// kernel datapath over the ovs_* generic netlink families, with the tc
// offload detour of v2.12-v3.6 (dpif_netlink_operate -> try_send_to_netdev).
import { EAGAIN, EBUSY, EEXIST, EINVAL, ENOENT, ENOSPC, EOPNOTSUPP, EPROTO, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import {
  OVS_ACTION_ATTR_OUTPUT, OVS_DATAPATH_FAMILY, OVS_DATAPATH_VERSION, OVS_DP_ATTR_NAME, OVS_DP_ATTR_PER_CPU_PIDS, OVS_DP_ATTR_STATS, OVS_DP_CMD_GET,
  OVS_DP_ATTR_UPCALL_PID, OVS_DP_ATTR_USER_FEATURES, OVS_DP_CMD_NEW, OVS_DP_CMD_SET, OVS_DP_F_DISPATCH_UPCALL_PER_CPU,
  OVS_DP_F_TC_RECIRC_SHARING, OVS_DP_F_UNALIGNED, OVS_DP_F_VPORT_PIDS, OVS_FLOW_ATTR_ACTIONS, OVS_FLOW_ATTR_CLEAR,
  OVS_FLOW_ATTR_KEY, OVS_FLOW_ATTR_MASK, OVS_FLOW_ATTR_PROBE, OVS_FLOW_ATTR_STATS, OVS_FLOW_ATTR_TCP_FLAGS, OVS_FLOW_ATTR_UFID,
  OVS_FLOW_ATTR_UFID_FLAGS, OVS_FLOW_ATTR_USED, OVS_FLOW_CMD_DEL, OVS_FLOW_CMD_GET, OVS_FLOW_CMD_NEW, OVS_UFID_F_OMIT_ACTIONS,
  OVS_UFID_F_OMIT_KEY, OVS_UFID_F_OMIT_MASK,
  OVS_FLOW_CMD_SET, OVS_FLOW_FAMILY, OVS_FLOW_VERSION, OVS_KEY_ATTR_DP_HASH, OVS_KEY_ATTR_IN_PORT,
  OVS_KEY_ATTR_PACKET_TYPE, OVS_KEY_ATTR_PRIORITY, OVS_KEY_ATTR_RECIRC_ID, OVS_KEY_ATTR_SKB_MARK,
  OVS_PACKET_ATTR_ACTIONS, OVS_PACKET_ATTR_KEY, OVS_PACKET_ATTR_PACKET, OVS_PACKET_ATTR_USERDATA, OVS_PACKET_CMD_ACTION,
  OVS_PACKET_CMD_EXECUTE, OVS_PACKET_CMD_MISS, OVS_PACKET_FAMILY, OVS_PACKET_VERSION, OVS_VPORT_ATTR_NAME,
  OVS_VPORT_ATTR_PORT_NO, OVS_VPORT_ATTR_TYPE, OVS_VPORT_ATTR_UPCALL_PID, OVS_VPORT_CMD_NEW, OVS_VPORT_CMD_DEL, OVS_VPORT_FAMILY,
  OVS_VPORT_TYPE_INTERNAL, OVS_VPORT_TYPE_NETDEV, OVS_VPORT_VERSION,
} from '../../kernel/include/uapi/linux/openvswitch';
import { NETLINK_GENERIC, NLM_F_ACK, NLM_F_CREATE, NLM_F_ECHO, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { NlMsgBuilder, StructReader, StructWriter, nla_get_u32, nla_get_u8, type NlAttr } from '../../netlink/attr';
import { NlAttrBuf, nl_attr_get_u128, nl_attrs, u128_bytes } from '../../netlink/msgbuf';
import { nlmsg_split, type NlMsg } from '../../netlink/nlmsg';
import { GENL_HDRLEN, OVS_HEADER_LEN, genlmsghdr_decode, genlmsghdr_encode, ovs_header_decode, ovs_header_encode } from '../../netlink/structs';
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';

// Decisions counted by the hop coverage report.
const dpif_netlink_operate_fallback = declareBranch('lib/dpif-netlink.c', 'dpif_netlink_operate', 'fallback');
import { errno_text, type OvsProcess } from './ovs-process';
import {
  DPIF_FP_CREATE, DPIF_FP_MODIFY, DPIF_FP_PROBE, DPIF_FP_ZERO_STATS, dpif_flow_stats_zero, dpif_normalize_type, log_flow_put_message,
  type Dpif, type DpifClass, type DpifFlow, type DpifFlowDump, type DpifFlowDumpTypes, type DpifFlowGet, type DpifFlowPut,
  type DpifDpStats, type DpifFlowStats, type DpifOffloadType, type DpifOp,
} from './dpif';
import {
  odp_flow_key_from_flow, odp_flow_key_from_mask, odp_flow_key_hash, odp_flow_key_to_flow, odp_format_ufid, parse_key_and_mask_to_match,
  type OdpFlowKeyParms, type Ufid,
} from './odp-util';
import {
  netdev_flow_del, netdev_flow_dump_next, netdev_flow_put, netdev_is_flow_api_enabled, netdev_is_offload_rebalance_policy_enabled,
  netdev_ports_flow_del, netdev_ports_flow_dump_create, netdev_ports_flow_flush, netdev_ports_flow_get, netdev_ports_get,
  netdev_ports_get_n_flows, type NetdevFlow, type NetdevFlowDump, type OffloadInfo,
} from './netdev-offload';
import { nl_dump, nl_lookup_genl_family, nl_sock_create, nl_transact, nl_transact_multiple, type NlSock, type NlTransaction } from './netlink-socket';

const THIS_MODULE = 'dpif_netlink';
/** A feature bit no kernel knows: probes whether unknown features are rejected. */
const OVS_DP_F_UNSUPPORTED = 0x80000000;
const OPERATE_MAX_OPS = 50;
const ODPP_NONE = 0xffffffff;

/** The generic netlink family ids, resolved once per process. */
interface Families {
  ovs_datapath: number;
  ovs_vport: number;
  ovs_flow: number;
  ovs_packet: number;
}

/** struct dpif_netlink */
export interface DpifNetlink extends Dpif {
  dp_ifindex: number;
  user_features: number;
  families: Families;
  /** Per-cpu dispatch: one socket per handler; per-vport: one per port. */
  handlers: NlSock[];
  channels: NlSock[];
}

/** struct dpif_upcall */
export interface DpifUpcall {
  type: 'DPIF_UC_MISS' | 'DPIF_UC_ACTION';
  packet: Uint8Array;
  key: Uint8Array;
  ufid: Ufid;
  userdata?: Uint8Array;
}

function statics(p: OvsProcess): { families?: Families } {
  return p.static_of('lib/dpif-netlink.c', () => ({}));
}

/** dpif_netlink_init: look up the four ovs_* families (once per process). */
const dpif_netlink_init = hop('lib/dpif-netlink.c', function dpif_netlink_init(p: OvsProcess): { error: number; families?: Families } {
  const s = statics(p);
  if (s.families) return { error: 0, families: s.families };
  const ids: number[] = [];
  for (const name of [OVS_DATAPATH_FAMILY, OVS_VPORT_FAMILY, OVS_FLOW_FAMILY, OVS_PACKET_FAMILY]) {
    const r = nl_lookup_genl_family(p, name);
    if (r.error) {
      if (r.error === ENOENT) p.vlog.info(THIS_MODULE, 'Generic Netlink family \'' + name + '\' does not exist. The Open vSwitch kernel module is probably not loaded.');
      return { error: r.error };
    }
    ids.push(r.number!);
  }
  s.families = { ovs_datapath: ids[0]!, ovs_vport: ids[1]!, ovs_flow: ids[2]!, ovs_packet: ids[3]! };
  return { error: 0, families: s.families };
}, { errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : '0') });

/** nl_msg_put_genlmsghdr + struct ovs_header */
function genl_request(family: number, flags: number, cmd: number, version: number, dp_ifindex: number): NlMsgBuilder {
  return new NlMsgBuilder({ nlmsg_type: family, nlmsg_flags: flags, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(genlmsghdr_encode({ cmd, version }))
    .put(ovs_header_encode(dp_ifindex));
}

function reply_attrs(reply: NlMsg): { dp_ifindex: number; attrs: NlAttr[] } | null {
  const oh = ovs_header_decode(reply.payload.subarray(GENL_HDRLEN));
  const attrs = nl_attrs(reply.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN));
  return oh.ok && attrs ? { dp_ifindex: oh.value.dp_ifindex, attrs } : null;
}

interface DpRequest {
  cmd: number;
  dp_ifindex: number;
  name?: string;
  upcall_pid?: number;
  user_features: number;
  upcall_pids?: number[];
}

/**
 * dpif_netlink_dp_transact (+ dpif_netlink_dp_to_ofpbuf): an ovs_datapath
 * request with ECHO; the reply gives dp_ifindex and the user features.
 */
const dpif_netlink_dp_transact = hop('lib/dpif-netlink.c', function dpif_netlink_dp_transact(
  p: OvsProcess, fam: Families, req: DpRequest,
): { error: number; dp_ifindex?: number; user_features?: number } {
  const b = genl_request(fam.ovs_datapath, NLM_F_REQUEST | NLM_F_ECHO, req.cmd, OVS_DATAPATH_VERSION, req.dp_ifindex);
  if (req.name !== undefined) b.string(OVS_DP_ATTR_NAME, req.name);
  if (req.upcall_pid !== undefined) b.u32(OVS_DP_ATTR_UPCALL_PID, req.upcall_pid);
  if (req.user_features) b.u32(OVS_DP_ATTR_USER_FEATURES, req.user_features);
  if (req.upcall_pids) {
    const w = new StructWriter(4 * req.upcall_pids.length);
    req.upcall_pids.forEach((pid, i) => w.u32(4 * i, pid));
    b.attr(OVS_DP_ATTR_PER_CPU_PIDS, w.bytes);
  }
  const { error, reply } = nl_transact(p, NETLINK_GENERIC, b.finish(), true);
  if (error) return { error };
  const r = reply ? reply_attrs(reply) : null;
  if (!r) return { error: EPROTO };
  const uf = r.attrs.find((a) => a.type === OVS_DP_ATTR_USER_FEATURES);
  return { error: 0, dp_ifindex: r.dp_ifindex, user_features: uf ? nla_get_u32(uf) : 0 };
}, { input: (_p, _f, req) => `cmd=${req.cmd} features=0x${req.user_features.toString(16)}`, errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : `dp_ifindex ${r.dp_ifindex}`) });

/** dpif_netlink_upcall_per_cpu */
function dpif_netlink_upcall_per_cpu(dpif: DpifNetlink): boolean {
  return (dpif.user_features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) !== 0;
}

/** dpif_netlink_set_features: OVS_DP_CMD_SET with the features added. */
const dpif_netlink_set_features = hop('lib/dpif-netlink.c', function dpif_netlink_set_features(
  p: OvsProcess, dpif: DpifNetlink, new_features: number,
): number {
  const r = dpif_netlink_dp_transact(p, dpif.families, {
    cmd: OVS_DP_CMD_SET, dp_ifindex: dpif.dp_ifindex, name: dpif.base_name, user_features: (dpif.user_features | new_features) >>> 0,
  });
  if (r.error) return r.error;
  dpif.user_features = r.user_features!;
  return dpif.user_features & new_features ? 0 : -EOPNOTSUPP;
}, { errno: (e) => (e > 0 ? -e : e), result: errno_text });

/**
 * dpif_netlink_open: resolve the families, create the datapath probing
 * feature negotiation (an unknown bit must be refused), prefer per-cpu
 * upcall dispatch, then ask for tc recirc sharing.
 */
export const dpif_netlink_open = hop('lib/dpif-netlink.c', function dpif_netlink_open(
  p: OvsProcess, name: string, create: boolean,
): { error: number; dpif?: DpifNetlink } {
  const init = dpif_netlink_init(p);
  if (init.error) return { error: init.error };
  const fam = init.families!;
  const cmd = create ? OVS_DP_CMD_NEW : OVS_DP_CMD_SET;
  const req: DpRequest = { cmd, dp_ifindex: 0, name, upcall_pid: 0, user_features: OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS | OVS_DP_F_UNSUPPORTED };
  let r = dpif_netlink_dp_transact(p, fam, req);
  let dpif: DpifNetlink;
  if (r.error) {
    req.user_features = (req.user_features & ~OVS_DP_F_UNSUPPORTED & ~OVS_DP_F_VPORT_PIDS) | OVS_DP_F_DISPATCH_UPCALL_PER_CPU;
    r = dpif_netlink_dp_transact(p, fam, req);
    if (r.error === EOPNOTSUPP) {
      req.user_features = (req.user_features & ~OVS_DP_F_DISPATCH_UPCALL_PER_CPU) | OVS_DP_F_VPORT_PIDS;
      r = dpif_netlink_dp_transact(p, fam, req);
    }
    if (r.error) return { error: r.error };
    dpif = open_dpif(name, fam, r.dp_ifindex!, r.user_features!);
    dpif_netlink_set_features(p, dpif, OVS_DP_F_TC_RECIRC_SHARING);
  } else {
    p.vlog.info(THIS_MODULE, 'Kernel does not correctly support feature negotiation. Using standard features.');
    r = dpif_netlink_dp_transact(p, fam, { cmd: OVS_DP_CMD_SET, dp_ifindex: 0, name, upcall_pid: 0, user_features: OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS });
    if (r.error) return { error: r.error };
    dpif = open_dpif(name, fam, r.dp_ifindex!, r.user_features!);
  }
  if (create) p.vlog.info(THIS_MODULE, `Datapath dispatch mode: ${dpif_netlink_upcall_per_cpu(dpif) ? 'per-cpu' : 'per-vport'}`);
  return { error: 0, dpif };
}, { input: (_p, name) => name, errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : `system@${r.dpif!.base_name}`) });

function open_dpif(name: string, families: Families, dp_ifindex: number, user_features: number): DpifNetlink {
  return {
    full_name: `system@${name}`, base_name: name, dpif_class: dpif_netlink_class,
    dp_ifindex, user_features, families, handlers: [], channels: [],
  };
}

/**
 * dpif_netlink_handlers_set: create the handler sockets. Per-cpu dispatch
 * tells the kernel their pids with OVS_DP_ATTR_PER_CPU_PIDS (one handler
 * per emulated CPU, `n_handlers` of them).
 */
export const dpif_netlink_handlers_set = hop('lib/dpif-netlink.c', function dpif_netlink_handlers_set(
  p: OvsProcess, dpif: DpifNetlink, n_handlers: number,
): number {
  if (!dpif_netlink_upcall_per_cpu(dpif) || dpif.handlers.length === n_handlers) return 0;
  p.vlog.dbg(THIS_MODULE, `Dispatch mode(per-cpu): initializing ${n_handlers} handlers`);
  const pids: number[] = [];
  for (let i = 0; i < n_handlers; i++) {
    const s = nl_sock_create(p, NETLINK_GENERIC);
    if ('error' in s) {
      p.vlog.err(THIS_MODULE, `Dispatch mode(per-cpu): Cannot create socket forhandler ${i}`);
      continue;
    }
    dpif.handlers.push(s.sock);
    pids.push(s.sock.pid);
    p.vlog.dbg(THIS_MODULE, `Dispatch mode(per-cpu): handler ${i} has Netlink PID of ${s.sock.pid}`);
  }
  // dpif_netlink_set_handler_pids
  return dpif_netlink_dp_transact(p, dpif.families, {
    cmd: OVS_DP_CMD_SET, dp_ifindex: dpif.dp_ifindex, name: dpif.base_name, user_features: dpif.user_features, upcall_pids: pids,
  }).error;
}, { errno: (e) => -e, result: errno_text });

/**
 * dpif_netlink_port_add: OVS_VPORT_CMD_NEW for the requested port number.
 * Per-vport dispatch gives each vport its own upcall socket; per-cpu sends 0.
 */
export const dpif_netlink_port_add = hop('lib/dpif-netlink.c', function dpif_netlink_port_add(
  p: OvsProcess, dpif: DpifNetlink, name: string, type: string, port_no: number,
): { error: number; port_no?: number } {
  let upcall_pid = 0;
  let sock: NlSock | undefined;
  if (!dpif_netlink_upcall_per_cpu(dpif)) {
    const s = nl_sock_create(p, NETLINK_GENERIC);
    if ('error' in s) return { error: s.error };
    sock = s.sock;
    upcall_pid = sock.pid;
  }
  const b = genl_request(dpif.families.ovs_vport, NLM_F_REQUEST | NLM_F_ECHO, OVS_VPORT_CMD_NEW, OVS_VPORT_VERSION, dpif.dp_ifindex);
  if (port_no !== ODPP_NONE) b.u32(OVS_VPORT_ATTR_PORT_NO, port_no);
  b.u32(OVS_VPORT_ATTR_TYPE, type === 'internal' ? OVS_VPORT_TYPE_INTERNAL : OVS_VPORT_TYPE_NETDEV);
  b.string(OVS_VPORT_ATTR_NAME, name);
  b.attr(OVS_VPORT_ATTR_UPCALL_PID, new StructWriter(4).u32(0, upcall_pid).bytes);
  const { error, reply } = nl_transact(p, NETLINK_GENERIC, b.finish(), true);
  if (error) {
    if (error === EBUSY && port_no !== ODPP_NONE) p.vlog.info(THIS_MODULE, `${dpif.full_name}: requested port ${port_no} is in use`);
    sock?.sock.close();
    return { error };
  }
  if (sock) dpif.channels.push(sock);
  const r = reply ? reply_attrs(reply) : null;
  const pn = r?.attrs.find((a) => a.type === OVS_VPORT_ATTR_PORT_NO);
  return { error: 0, port_no: pn ? nla_get_u32(pn) : port_no };
}, { input: (_p, _d, name, type, port_no) => `${name} (${type}) port ${port_no}`, errno: (r) => -r.error, result: (r) => (r.error ? strerror(r.error) : `port ${r.port_no}`) });

/** dpif_netlink_port_del: OVS_VPORT_CMD_DEL by port number. */
export const dpif_netlink_port_del = hop('lib/dpif-netlink.c', function dpif_netlink_port_del(
  p: OvsProcess, dpif: DpifNetlink, port_no: number,
): number {
  const b = genl_request(dpif.families.ovs_vport, NLM_F_REQUEST | NLM_F_ACK, OVS_VPORT_CMD_DEL, OVS_VPORT_VERSION, dpif.dp_ifindex);
  b.u32(OVS_VPORT_ATTR_PORT_NO, port_no);
  return nl_transact(p, NETLINK_GENERIC, b.finish(), false).error;
}, { input: (_p, _d, port_no) => `port ${port_no}`, errno: (e) => -e, result: (e) => (e ? strerror(e) : 'deleted') });

/** put_exclude_packet_type: the key without OVS_KEY_ATTR_PACKET_TYPE. */
function put_exclude_packet_type(b: NlMsgBuilder, type: number, key: Uint8Array): void {
  const out = new NlAttrBuf();
  for (const a of nl_attrs(key) ?? []) {
    if (a.type !== OVS_KEY_ATTR_PACKET_TYPE) out.attr(a.type | (a.nested ? 0x8000 : 0), a.payload);
  }
  b.attr(type, out.bytes());
}

/** dpif_netlink_flow_to_ofpbuf for a put (dpif_netlink_init_flow_put) or a del. */
function dpif_netlink_flow_request(
  dpif: DpifNetlink, cmd: number, nlmsg_flags: number, f: { key: Uint8Array; mask?: Uint8Array; actions?: Uint8Array; ufid?: Ufid; clear?: boolean; probe?: boolean },
): Uint8Array {
  const b = genl_request(dpif.families.ovs_flow, NLM_F_REQUEST | nlmsg_flags, cmd, OVS_FLOW_VERSION, dpif.dp_ifindex);
  if (f.ufid) b.attr(OVS_FLOW_ATTR_UFID, u128_bytes(f.ufid));
  if (f.key.byteLength) put_exclude_packet_type(b, OVS_FLOW_ATTR_KEY, f.key);
  if (f.mask && f.mask.byteLength) put_exclude_packet_type(b, OVS_FLOW_ATTR_MASK, f.mask);
  // A put always carries OVS_FLOW_ATTR_ACTIONS, even an empty one (drop).
  if (f.actions) b.attr(OVS_FLOW_ATTR_ACTIONS, f.actions);
  if (f.clear) b.flag(OVS_FLOW_ATTR_CLEAR);
  if (f.probe) b.flag(OVS_FLOW_ATTR_PROBE);
  return b.finish();
}

/** dpif_netlink_init_flow_put: NEW for CREATE else SET; NLM_F_CREATE unless MODIFY. */
const dpif_netlink_init_flow_put = hop('lib/dpif-netlink.c', function dpif_netlink_init_flow_put(
  dpif: DpifNetlink, put: DpifFlowPut,
): Uint8Array {
  const cmd = put.flags & DPIF_FP_CREATE ? OVS_FLOW_CMD_NEW : OVS_FLOW_CMD_SET;
  return dpif_netlink_flow_request(dpif, cmd, put.flags & DPIF_FP_MODIFY ? 0 : NLM_F_CREATE, {
    key: put.key, mask: put.mask, actions: put.actions, ufid: put.ufid,
    clear: (put.flags & DPIF_FP_ZERO_STATS) !== 0, probe: (put.flags & DPIF_FP_PROBE) !== 0,
  });
}, { input: (_d, put) => (put.flags & DPIF_FP_CREATE ? 'OVS_FLOW_CMD_NEW' : 'OVS_FLOW_CMD_SET'), result: (b) => `${b.byteLength}B` });

/** odp_key_from_dp_packet: the packet metadata key of an execute. */
function odp_key_from_dp_packet(key: Uint8Array): Uint8Array {
  const { flow } = odp_flow_key_to_flow(key);
  const out = new NlAttrBuf();
  out.u32(OVS_KEY_ATTR_PRIORITY, flow.skb_priority);
  if (flow.dp_hash) out.u32(OVS_KEY_ATTR_DP_HASH, flow.dp_hash);
  out.u32(OVS_KEY_ATTR_SKB_MARK, flow.pkt_mark);
  if (flow.recirc_id) out.u32(OVS_KEY_ATTR_RECIRC_ID, flow.recirc_id);
  if (flow.in_port !== ODPP_NONE) out.u32(OVS_KEY_ATTR_IN_PORT, flow.in_port);
  return out.bytes();
}

/** dpif_netlink_encode_execute: OVS_PACKET_CMD_EXECUTE. */
function dpif_netlink_encode_execute(dpif: DpifNetlink, exec: { packet: Uint8Array; key: Uint8Array; actions: Uint8Array }): Uint8Array {
  return genl_request(dpif.families.ovs_packet, NLM_F_REQUEST, OVS_PACKET_CMD_EXECUTE, OVS_PACKET_VERSION, dpif.dp_ifindex)
    .attr(OVS_PACKET_ATTR_PACKET, exec.packet)
    .attr(OVS_PACKET_ATTR_KEY, odp_key_from_dp_packet(exec.key))
    .attr(OVS_PACKET_ATTR_ACTIONS, exec.actions)
    .finish();
}

/**
 * dpif_netlink_operate__: up to OPERATE_MAX_OPS ops to the kernel datapath
 * in one nl_transact_multiple(NETLINK_GENERIC). Returns how many it did.
 */
export const dpif_netlink_operate__ = hop('lib/dpif-netlink.c', function dpif_netlink_operate__(
  p: OvsProcess, dpif: DpifNetlink, ops: DpifOp[],
): number {
  const batch = ops.slice(0, OPERATE_MAX_OPS);
  const txns: NlTransaction[] = batch.map((op) => {
    let request: Uint8Array;
    let want_reply = false;
    if (op.type === 'DPIF_OP_FLOW_PUT') request = dpif_netlink_init_flow_put(dpif, op.flow_put);
    else if (op.type === 'DPIF_OP_FLOW_DEL') {
      // dpif_netlink_init_flow_del: ufid and key (a non-terse delete names both).
      request = dpif_netlink_flow_request(dpif, OVS_FLOW_CMD_DEL, 0, { key: op.flow_del.key, ufid: op.flow_del.ufid });
      want_reply = op.flow_del.stats !== undefined;
    } else if (op.type === 'DPIF_OP_FLOW_GET') {
      request = dpif_netlink_flow_request(dpif, OVS_FLOW_CMD_GET, 0, { key: op.flow_get.key, ufid: op.flow_get.ufid });
      want_reply = true;
    } else request = dpif_netlink_encode_execute(dpif, op.execute);
    return { request, want_reply, error: 0 };
  });
  nl_transact_multiple(p, NETLINK_GENERIC, txns);
  batch.forEach((op, i) => {
    const t = txns[i]!;
    op.error = t.error;
    if (t.error || !t.reply) return;
    if (op.type === 'DPIF_OP_FLOW_GET') {
      const f = dpif_netlink_flow_from_ofpbuf(t.reply);
      if (f) op.flow_get.flow = dpif_netlink_flow_to_dpif_flow(f);
      else op.error = EINVAL;
    } else if (op.type === 'DPIF_OP_FLOW_DEL' && op.flow_del.stats) {
      const f = dpif_netlink_flow_from_ofpbuf(t.reply);
      if (f) Object.assign(op.flow_del.stats, f.stats);
    }
  });
  return batch.length;
}, { input: (_p, _d, ops) => ops.map((o) => o.type.replace('DPIF_OP_', '')).join(','), result: (n) => `${n} ops` });

/** dpif_netlink_operate_chunks: the kernel datapath path, in chunks. */
export const dpif_netlink_operate_chunks = hop('lib/dpif-netlink.c', function dpif_netlink_operate_chunks(
  p: OvsProcess, dpif: DpifNetlink, ops: DpifOp[],
): void {
  let rest = ops;
  while (rest.length > 0) rest = rest.slice(dpif_netlink_operate__(p, dpif, rest));
}, { input: (_p, _d, ops) => `${ops.length} ops` });

/**
 * parse_flow_put: PROBE -> EOPNOTSUPP; key/mask -> match; in_port and every
 * output port must be mapped netdevs; then netdev_flow_put. On failure the
 * MODIFY cleanup of lib/dpif-netlink.c applies.
 */
export const parse_flow_put = hop('lib/dpif-netlink.c', function parse_flow_put(
  p: OvsProcess, dpif: DpifNetlink, put: DpifFlowPut,
): number {
  const dpif_type = dpif_normalize_type('system');
  const info: OffloadInfo = { recirc_id_shared_with_tc: false, tc_modify_flow_deleted: false };
  if (put.flags & DPIF_FP_PROBE) return EOPNOTSUPP;
  const m = parse_key_and_mask_to_match(p, put.key, put.mask ?? new Uint8Array(0));
  if (!m.match) return m.error;
  const match = m.match;
  const dev = netdev_ports_get(p, match.flow.in_port, dpif_type);
  if (!dev) return EOPNOTSUPP;

  let err = 0;
  for (const nla of nl_attrs(put.actions) ?? []) {
    if (nla.type === OVS_ACTION_ATTR_OUTPUT && !netdev_ports_get(p, nla_get_u32(nla), dpif_type)) {
      err = EOPNOTSUPP;
      break;
    }
  }
  if (!err) {
    info.recirc_id_shared_with_tc = (dpif.user_features & OVS_DP_F_TC_RECIRC_SHARING) !== 0;
    err = netdev_flow_put(p, dev, match, put.actions, put.ufid!, info);
    if (!err) {
      if (put.flags & DPIF_FP_MODIFY) {
        // The flow moved from the kernel datapath into tc: delete it there.
        const del: DpifOp = { type: 'DPIF_OP_FLOW_DEL', flow_del: { key: put.key, ufid: put.ufid }, error: 0 };
        dpif_netlink_operate__(p, dpif, [del]);
      }
      p.vlog.dbg(THIS_MODULE, 'added flow');
    } else if (err !== EEXIST) {
      if (err === ENOSPC && netdev_is_offload_rebalance_policy_enabled(p)) {
        // netdev_set_hw_info(OOR): out-of-resources marking is not modelled.
      }
      // DBG for ENOSPC / EOPNOTSUPP, ERR for anything else (negative errnos too).
      const level = err === ENOSPC || err === EOPNOTSUPP ? 'DBG' : 'ERR';
      // lib/util.c ovs_strerror (v3.6.3): a negative errno (lib/tc.c refusing a
      // goto after a tunnel_key release) has no text of its own.
      const text = err < 0 ? `Unknown error ${err}` : strerror(err);
      p.vlog.log(THIS_MODULE, level, `failed to offload flow: ${text}: ${dev.name}`);
    }
  }
  if (err && err !== EEXIST && put.flags & DPIF_FP_MODIFY) {
    const del_err = info.tc_modify_flow_deleted ? 0 : netdev_flow_del(p, dev, put.ufid!);
    if (!del_err) {
      // The old flow was offloaded and is gone: create it in the kernel.
      put.flags = (put.flags & ~DPIF_FP_MODIFY) | DPIF_FP_CREATE;
    } else if (del_err !== ENOENT) {
      p.vlog.err(THIS_MODULE, `failed to delete offloaded flow: ${strerror(del_err)}`);
      err = 0; // stop processing the flow in the kernel
    }
  }
  return err;
}, { errno: (e) => (e > 0 ? -e : e), result: errno_text });

/** try_send_to_netdev: only flow put/del with a UFID can go to a netdev. */
export const try_send_to_netdev = hop('lib/dpif-netlink.c', function try_send_to_netdev(
  p: OvsProcess, dpif: DpifNetlink, op: DpifOp,
): number {
  if (op.type === 'DPIF_OP_FLOW_PUT') {
    if (!op.flow_put.ufid) return EOPNOTSUPP;
    const err = parse_flow_put(p, dpif, op.flow_put);
    log_flow_put_message(p, dpif, THIS_MODULE, op.flow_put, 0);
    return err;
  }
  if (op.type === 'DPIF_OP_FLOW_DEL') {
    if (!op.flow_del.ufid) return EOPNOTSUPP;
    return netdev_ports_flow_del(p, dpif_normalize_type('system'), op.flow_del.ufid, op.flow_del.stats);
  }
  if (op.type === 'DPIF_OP_FLOW_GET') {
    if (!op.flow_get.ufid) return EOPNOTSUPP;
    return parse_flow_get(p, dpif, op.flow_get);
  }
  return EOPNOTSUPP; // executes always go to the kernel datapath
}, { input: (_p, _d, op) => op.type, errno: (e) => (e > 0 ? -e : e), result: errno_text });

/**
 * dpif_netlink_operate: with the flow API enabled and not NEVER, try tc
 * first; an op whose error is neither 0 nor EEXIST goes to the kernel
 * datapath (AUTO) or fails the rest of the batch (ALWAYS).
 */
export const dpif_netlink_operate = hop('lib/dpif-netlink.c', function dpif_netlink_operate(
  p: OvsProcess, dpif: DpifNetlink, ops: DpifOp[], offload_type: DpifOffloadType,
): void {
  const enabled = netdev_is_flow_api_enabled(p);
  if (offload_type === 'DPIF_OFFLOAD_ALWAYS' && !enabled) {
    p.vlog.dbg(THIS_MODULE, 'Invalid offload_type: 2'); // DPIF_OFFLOAD_ALWAYS
    return;
  }
  if (offload_type !== 'DPIF_OFFLOAD_NEVER' && enabled) {
    let i = 0;
    while (i < ops.length) {
      const new_ops: DpifOp[] = [];
      for (let count = 0; i < ops.length && count < OPERATE_MAX_OPS; count++) {
        const op = ops[i++]!;
        const err = try_send_to_netdev(p, dpif, op);
        if (dpif_netlink_operate_fallback(err !== 0 && err !== EEXIST)) {
          if (offload_type === 'DPIF_OFFLOAD_ALWAYS') {
            op.error = err;
            for (const rest of ops.slice(i)) rest.error = err;
            return;
          }
          new_ops.push(op);
        } else {
          op.error = err;
        }
      }
      dpif_netlink_operate_chunks(p, dpif, new_ops);
    }
  } else if (offload_type !== 'DPIF_OFFLOAD_ALWAYS') {
    dpif_netlink_operate_chunks(p, dpif, ops);
  }
}, { input: (_p, _d, ops, t) => `${ops.length} ops ${t}` });

/** parse_odp_packet: an upcall message; ufid = odp_flow_key_hash(key). */
export const parse_odp_packet = hop('lib/dpif-netlink.c', function parse_odp_packet(
  dpif: DpifNetlink, msg: NlMsg,
): { error: number; upcall?: DpifUpcall } {
  const g = genlmsghdr_decode(msg.payload);
  const oh = ovs_header_decode(msg.payload.subarray(GENL_HDRLEN));
  const attrs = nl_attrs(msg.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN));
  if (!g.ok || !oh.ok || !attrs || msg.hdr.nlmsg_type !== dpif.families.ovs_packet) return { error: EINVAL };
  const packet = attrs.find((a) => a.type === OVS_PACKET_ATTR_PACKET);
  const key = attrs.find((a) => a.type === OVS_PACKET_ATTR_KEY);
  if (!packet || packet.payload.byteLength < 14 || !key) return { error: EINVAL }; // shorter than ETH_HEADER_LEN
  const type = g.value.cmd === OVS_PACKET_CMD_MISS ? 'DPIF_UC_MISS' : g.value.cmd === OVS_PACKET_CMD_ACTION ? 'DPIF_UC_ACTION' : undefined;
  if (!type) return { error: EINVAL };
  const userdata = attrs.find((a) => a.type === OVS_PACKET_ATTR_USERDATA);
  const upcall: DpifUpcall = { type, packet: packet.payload.slice(), key: key.payload.slice(), ufid: odp_flow_key_hash(key.payload.slice()) };
  if (userdata) upcall.userdata = userdata.payload.slice();
  return { error: 0, upcall };
}, { errno: (r) => -r.error, result: (r) => (r.upcall ? r.upcall.type : `error ${r.error}`) });

/**
 * dpif_netlink_recv: the next upcall of handler `handler_id` (per-cpu) or of
 * any vport channel (per-vport); EAGAIN when nothing is queued. Messages
 * that do not parse, or belong to another datapath, are skipped.
 */
export const dpif_netlink_recv = hop('lib/dpif-netlink.c', function dpif_netlink_recv(
  _p: OvsProcess, dpif: DpifNetlink, handler_id: number,
): { error: number; upcall?: DpifUpcall } {
  const socks = dpif_netlink_upcall_per_cpu(dpif) ? dpif.handlers.slice(handler_id, handler_id + 1) : dpif.channels;
  for (const s of socks) {
    for (let buf = s.sock.recvmsg(); buf !== null; buf = s.sock.recvmsg()) {
      const { msgs } = nlmsg_split(buf);
      for (const m of msgs) {
        const r = parse_odp_packet(dpif, m);
        if (r.upcall) return r;
      }
    }
  }
  return { error: EAGAIN };
}, { errno: (r) => -r.error, result: (r) => (r.upcall ? r.upcall.type : 'EAGAIN') });


// ------------------------------------------------------------ dump / get / flush

/** struct dpif_netlink_flow, the parts of a kernel flow reply OVS reads. */
interface DpifNetlinkFlow {
  ufid?: Ufid;
  key: Uint8Array;
  mask: Uint8Array;
  actions?: Uint8Array;
  stats: DpifFlowStats;
}

/** dpif_netlink_flow_from_ofpbuf: an ovs_flow reply; null when it does not parse. */
function dpif_netlink_flow_from_ofpbuf(msg: NlMsg): DpifNetlinkFlow | null {
  const r = reply_attrs(msg);
  if (!r) return null;
  const get = (t: number): NlAttr | undefined => r.attrs.find((a) => a.type === t);
  const ufid = get(OVS_FLOW_ATTR_UFID);
  const key = get(OVS_FLOW_ATTR_KEY);
  if (!ufid && !key) return null; // neither identifier
  const mask = get(OVS_FLOW_ATTR_MASK);
  const actions = get(OVS_FLOW_ATTR_ACTIONS);
  const st = get(OVS_FLOW_ATTR_STATS);
  const used = get(OVS_FLOW_ATTR_USED);
  const tcp = get(OVS_FLOW_ATTR_TCP_FLAGS);
  const stats = dpif_flow_stats_zero();
  // dpif_netlink_flow_get_stats
  if (st && st.payload.byteLength >= 16) {
    const rd = new StructReader(st.payload);
    stats.n_packets = Number(rd.u64(0));
    stats.n_bytes = Number(rd.u64(8));
  }
  if (used && used.payload.byteLength >= 8) stats.used = Number(new StructReader(used.payload).u64(0));
  if (tcp) stats.tcp_flags = nla_get_u8(tcp);
  const f: DpifNetlinkFlow = {
    key: key ? key.payload.slice() : new Uint8Array(0), mask: mask ? mask.payload.slice() : new Uint8Array(0), stats,
  };
  if (ufid && ufid.payload.byteLength === 16) f.ufid = nl_attr_get_u128(ufid);
  if (actions) f.actions = actions.payload.slice();
  return f;
}

/** dpif_netlink_flow_to_dpif_flow: a kernel flow is dp_layer "ovs", never offloaded. */
function dpif_netlink_flow_to_dpif_flow(f: DpifNetlinkFlow): DpifFlow {
  return {
    key: f.key, mask: f.mask, actions: f.actions ?? new Uint8Array(0),
    ufid_present: f.ufid !== undefined, ufid: f.ufid ?? odp_flow_key_hash(f.key),
    stats: f.stats, attrs: { offloaded: false, dp_layer: 'ovs' },
  };
}

/**
 * dpif_netlink_netdev_match_to_dpif_flow: a provider's match back to ODP
 * key and mask (recirc, ct_* and VLANs supported), its actions, stats and
 * attrs; the ufid is always present.
 */
const dpif_netlink_netdev_match_to_dpif_flow = hop('lib/dpif-netlink.c', function dpif_netlink_netdev_match_to_dpif_flow(
  nf: NetdevFlow, terse: boolean,
): DpifFlow {
  const f: DpifFlow = {
    key: new Uint8Array(0), mask: new Uint8Array(0), actions: new Uint8Array(0),
    ufid_present: true, ufid: nf.ufid, stats: nf.stats, attrs: nf.attrs,
  };
  if (!terse) {
    const parms: OdpFlowKeyParms = {
      flow: nf.match.flow, mask: nf.match.wc.masks,
      support: { max_vlan_headers: 2, recirc: true, ct_state: true, ct_zone: true, ct_mark: true, ct_label: true },
    };
    f.key = odp_flow_key_from_flow(parms);
    f.mask = odp_flow_key_from_mask(parms);
    f.actions = nf.actions;
  }
  return f;
}, { input: (nf) => odp_format_ufid(nf.ufid), result: (f) => `${f.key.byteLength}B key` });

/**
 * parse_flow_get: ask the ports' providers (netdev_ports_flow_get); a hit
 * is translated to a dpif flow, ENOENT sends the get on to the kernel.
 */
const parse_flow_get = hop('lib/dpif-netlink.c', function parse_flow_get(p: OvsProcess, _dpif: DpifNetlink, get: DpifFlowGet): number {
  const r = netdev_ports_flow_get(p, dpif_normalize_type('system'), get.ufid!);
  if (!r.flow) return r.error;
  p.vlog.dbg(THIS_MODULE, 'found flow from netdev, translating to dpif flow');
  get.flow = dpif_netlink_netdev_match_to_dpif_flow(r.flow, false);
  return 0;
}, { errno: (e) => -e, result: errno_text });

/**
 * dpif_netlink_flow_flush: with offload on, every port's provider
 * flushes; then one OVS_FLOW_CMD_DEL without key or ufid empties the
 * kernel table.
 */
export const dpif_netlink_flow_flush = hop('lib/dpif-netlink.c', function dpif_netlink_flow_flush(p: OvsProcess, dpif: DpifNetlink): number {
  if (netdev_is_flow_api_enabled(p)) netdev_ports_flow_flush(p, dpif_normalize_type('system'));
  const req = dpif_netlink_flow_request(dpif, OVS_FLOW_CMD_DEL, 0, { key: new Uint8Array(0) });
  return nl_transact(p, NETLINK_GENERIC, req, false).error;
}, { errno: (e) => -e, result: errno_text });

/** struct dpif_netlink_flow_dump (one thread): netdev dumps, then the kernel's. */
class DpifNetlinkFlowDump implements DpifFlowDump {
  private netdev_idx = 0;
  private nl_msgs: NlMsg[] = [];
  private nl_next = 0;
  private status = 0;
  private nl_status = 0;

  constructor(
    readonly dpif: DpifNetlink,
    private readonly terse: boolean,
    private readonly types: DpifFlowDumpTypes,
    private readonly netdev_dumps: NetdevFlowDump[],
    nl: { error: number; msgs: NlMsg[] } | null,
  ) {
    if (nl) {
      this.nl_msgs = nl.msgs;
      this.nl_status = nl.error;
    }
  }

  next(p: OvsProcess): DpifFlow | null {
    return dpif_netlink_flow_dump_next(p, this);
  }

  /** netdev flows first, port after port. */
  next_netdev(p: OvsProcess): DpifFlow | null {
    while (this.netdev_idx < this.netdev_dumps.length) {
      const nf = netdev_flow_dump_next(p, this.netdev_dumps[this.netdev_idx]!);
      if (nf) return dpif_netlink_netdev_match_to_dpif_flow(nf, this.terse);
      this.netdev_idx++; // dpif_netlink_advance_netdev_dump
    }
    return null;
  }

  /** Then the kernel datapath's flows (if ovs flows were asked for). */
  next_kernel(): DpifFlow | null {
    if (!this.types.ovs_flows || this.status) return null;
    while (this.nl_next < this.nl_msgs.length) {
      const f = dpif_netlink_flow_from_ofpbuf(this.nl_msgs[this.nl_next++]!);
      if (!f) {
        this.status = EINVAL;
        return null;
      }
      return dpif_netlink_flow_to_dpif_flow(f);
    }
    return null;
  }

  destroy(_p: OvsProcess): number {
    return this.status ? this.status : this.nl_status;
  }
}

/**
 * dpif_netlink_flow_dump_create: an OVS_FLOW_CMD_GET dump of the kernel
 * datapath when ovs flows are wanted, and the ports' netdev dumps
 * (start_netdev_dump) when netdev flows are.
 */
export const dpif_netlink_flow_dump_create = hop('lib/dpif-netlink.c', function dpif_netlink_flow_dump_create(
  p: OvsProcess, dpif: DpifNetlink, terse: boolean, types: DpifFlowDumpTypes | undefined,
): DpifFlowDump {
  const t = types ?? { ovs_flows: true, netdev_flows: true }; // dpif_netlink_populate_flow_dump_types
  let nl: { error: number; msgs: NlMsg[] } | null = null;
  if (t.ovs_flows) {
    const b = genl_request(dpif.families.ovs_flow, NLM_F_REQUEST, OVS_FLOW_CMD_GET, OVS_FLOW_VERSION, dpif.dp_ifindex);
    if (terse) b.u32(OVS_FLOW_ATTR_UFID_FLAGS, OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_MASK | OVS_UFID_F_OMIT_ACTIONS);
    nl = nl_dump(p, NETLINK_GENERIC, b.finish());
  }
  // start_netdev_dump
  const netdev_dumps = t.netdev_flows ? netdev_ports_flow_dump_create(p, dpif_normalize_type('system'), terse) : [];
  return new DpifNetlinkFlowDump(dpif, terse, t, netdev_dumps, nl);
}, { input: (_p, _d, terse, types) => `${terse ? 'terse ' : ''}ovs=${types?.ovs_flows ?? true} netdev=${types?.netdev_flows ?? true}`, result: () => undefined });

/** dpif_netlink_flow_dump_next: netdev (tc) flows first, then kernel flows. */
const dpif_netlink_flow_dump_next = hop('lib/dpif-netlink.c', function dpif_netlink_flow_dump_next(
  p: OvsProcess, dump: DpifNetlinkFlowDump,
): DpifFlow | null {
  return dump.next_netdev(p) ?? dump.next_kernel();
}, { result: (f) => (f ? `dp:${f.attrs.dp_layer}` : 'end') });

/** dpif_netlink_get_n_offloaded_flows (dpif_get_n_offloaded_flows): tc-held flows. */
function dpif_netlink_get_n_offloaded_flows(p: OvsProcess, _dpif: DpifNetlink): { error: number; n?: number } {
  return netdev_ports_get_n_flows(p, dpif_normalize_type('system'));
}

/**
 * dpif_netlink_get_stats: OVS_DP_CMD_GET of this datapath; the counters of
 * OVS_DP_ATTR_STATS (struct ovs_dp_stats: hit, missed, lost, flows).
 */
export const dpif_netlink_get_stats = hop('lib/dpif-netlink.c', function dpif_netlink_get_stats(
  p: OvsProcess, dpif: DpifNetlink,
): { error: number; stats?: DpifDpStats } {
  const b = genl_request(dpif.families.ovs_datapath, NLM_F_REQUEST | NLM_F_ECHO, OVS_DP_CMD_GET, OVS_DATAPATH_VERSION, dpif.dp_ifindex);
  const { error, reply } = nl_transact(p, NETLINK_GENERIC, b.finish(), true);
  if (error) return { error };
  const r = reply ? reply_attrs(reply) : null;
  if (!r) return { error: EPROTO };
  const st = r.attrs.find((a) => a.type === OVS_DP_ATTR_STATS);
  const stats: DpifDpStats = { n_hit: 0, n_missed: 0, n_lost: 0, n_flows: 0 };
  if (st && st.payload.byteLength >= 32) {
    const rd = new StructReader(st.payload);
    stats.n_hit = Number(rd.u64(0)); stats.n_missed = Number(rd.u64(8)); stats.n_lost = Number(rd.u64(16)); stats.n_flows = Number(rd.u64(24));
  }
  return { error: 0, stats };
}, { errno: (r) => -r.error, result: (r) => (r.stats ? `flows ${r.stats.n_flows}` : errno_text(r.error)) });

/** const struct dpif_class dpif_netlink_class */
export const dpif_netlink_class = {
  type: 'system',
  get_stats: dpif_netlink_get_stats,
  flow_flush: dpif_netlink_flow_flush,
  flow_dump_create: dpif_netlink_flow_dump_create,
  operate: dpif_netlink_operate,
  get_n_offloaded_flows: dpif_netlink_get_n_offloaded_flows,
} satisfies DpifClass<DpifNetlink>;

