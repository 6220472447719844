// core/en/tc_tun_encap.c: encapsulation entries shared by flows with the
// same tunnel key, attached per output of an eswitch flow; an entry whose
// neighbour is unresolved keeps its flows on the slow path until the
// neighbour-update event makes it valid (mlx5e_tc_encap_flows_add).
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';
import { ENODEV, EOPNOTSUPP, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../kernel/include/linux/netlink';
import { netdev_printk, type NetDevice } from '../../../kernel/include/linux/netdevice';
import type { FlowActionTunnel } from '../../../kernel/include/net/flow_offload';
import { dev_get_by_index } from '../../../kernel/net/core/dev';
import { ipv4_str } from '../../../kernel/net/core/neighbour';
import type { Mlx5ePriv } from '../en';
import type { Mlx5eTcFlow, Mlx5FlowAttr } from './tc_priv';
import { MLX5_ESW_DEST_ENCAP, MLX5_ESW_DEST_ENCAP_VALID, MLX5_MAX_FLOW_FWD_VPORTS } from '../eswitch';
import { MLX5_ENCAP_ENTRY_VALID, mlx5e_encap_header_refresh, mlx5e_get_tc_tun, mlx5e_tc_tun_create_header_ipv4, type Mlx5eTcTunnel } from './tc_tun';
import { mlx5_packet_reformat_alloc, mlx5_packet_reformat_dealloc, type Mlx5PktReformat } from '../fs_core';
import { mlx5e_esw_uplink_priv, mlx5e_rep_encap_entry_detach } from './rep/neigh';
import { mlx5e_tc_offload_fdb_rules, mlx5e_tc_unoffload_fdb_rules } from '../en_tc';
import { mlx5e_tc_offload_to_slow_path, mlx5e_tc_unoffload_from_slow_path } from '../en_tc_tunnel';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc_tun_encap.c';
const MOD = 'mlx5_core';

/** struct mlx5e_encap_entry (core/en/tc_tun_encap.h), the parts observed. */
export interface Mlx5eEncapEntry {
  /** The hash key: tunnel type and ip_tunnel_key. */
  key: string;
  tun_info: FlowActionTunnel;
  tunnel: Mlx5eTcTunnel;
  reformat_type: number;
  out_dev: NetDevice | null;
  route_dev_ifindex: number;
  m_neigh: { dev: NetDevice; dst_ip: number } | null;
  h_dest: Uint8Array;
  saddr: number;
  ttl: number;
  encap_header: Uint8Array | null;
  encap_size: number;
  pkt_reformat: Mlx5PktReformat | null;
  flags: number;
  /** (flow, output index) pairs using this entry. */
  flows: Array<{ flow: Mlx5eTcFlow; index: number }>;
}

/** One output's attachment (struct encap_flow_item). */
export interface Mlx5eEncapFlowItem {
  e: Mlx5eEncapEntry;
  index: number;
}

function encap_key(tunnel: Mlx5eTcTunnel, t: FlowActionTunnel): string {
  // mlx5e_tc_tun_encap_info_equal_options (v6.18): entries with different tunnel options are distinct
  const opts = t.vxlan_opt ? `vxlan:${t.vxlan_opt.gbp}` : t.erspan_opt ? `erspan:${JSON.stringify(t.erspan_opt)}` : '';
  return [tunnel.tunnel_type, t.key_id, t.ipv4_src, t.ipv4_dst, t.tp_dst, t.tos, t.ttl, t.no_csum ? 1 : 0, opts].join('/');
}

const attach_reuse = declareBranch(FILE, 'mlx5e_attach_encap', 'entry with the same key exists');

/**
 * mlx5e_attach_encap (core/en/tc_tun_encap.c, v6.18): find or create the
 * entry for this tunnel key, attach the output to it; a valid entry gives the
 * output its reformat, an invalid one sends the flow to the slow path.
 */
export const mlx5e_attach_encap = hop(FILE, function mlx5e_attach_encap(priv: Mlx5ePriv, flow: Mlx5eTcFlow, attr: Mlx5FlowAttr, mirred_dev: NetDevice,
  out_index: number, extack: NetlinkExtAck | null): { err: 0 | NegErrno; encap_dev: NetDevice | null } {
  const tun_info = attr.parse_attr.tun_info![out_index]!;
  const tunnel = mlx5e_get_tc_tun(mirred_dev);
  if (!tunnel) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Unsupported tunnel');
    return { err: -EOPNOTSUPP, encap_dev: null };
  }
  const up = mlx5e_esw_uplink_priv(priv.mdev);
  const key = encap_key(tunnel, tun_info);
  let e: Mlx5eEncapEntry | undefined = up.encap_tbl.get(key);
  if (attach_reuse(e !== undefined)) {
    if (e!.flows.some((x) => x.flow === flow)) {
      // is_duplicated_encap_entry
      NL_SET_ERR_MSG_MOD(extack, MOD, 'can\'t duplicate encap action');
      netdev_printk('err', priv.netdev, 'can\'t duplicate encap action');
      return { err: -EOPNOTSUPP, encap_dev: null };
    }
  } else {
    const ne: Mlx5eEncapEntry = {
      key, tun_info, tunnel, reformat_type: 0, out_dev: null, route_dev_ifindex: 0, m_neigh: null, h_dest: new Uint8Array(6),
      saddr: 0, ttl: 0, encap_header: null, encap_size: 0, pkt_reformat: null, flags: 0, flows: [],
    };
    e = ne;
    let err = tunnel.init_encap_attr(mirred_dev, priv, ne, extack);
    if (err) return { err, encap_dev: null };
    if (tun_info.ipv6_dst) {
      netdev_printk('warn', priv.netdev, 'IPv6 tunnel encapsulation is not emulated');
      return { err: -EOPNOTSUPP, encap_dev: null };
    }
    err = mlx5e_tc_tun_create_header_ipv4(priv, mirred_dev, ne);
    if (err) {
      if (ne.m_neigh && ne.out_dev) mlx5e_rep_encap_entry_detach(ne.out_dev.priv as Mlx5ePriv, ne);
      return { err, encap_dev: null };
    }
    up.encap_tbl.set(key, ne);
  }
  const entry: Mlx5eEncapEntry = e!;
  (flow.encaps ??= [])[out_index] = { e: entry, index: out_index };
  entry.flows.push({ flow, index: out_index });
  const dest = attr.esw_attr!.dests[out_index]!;
  if (entry.flags & MLX5_ENCAP_ENTRY_VALID) {
    dest.pkt_reformat = entry.pkt_reformat!;
    dest.flags |= MLX5_ESW_DEST_ENCAP_VALID;
  } else {
    flow.flags.add('SLOW');
  }
  return { err: 0, encap_dev: entry.out_dev };
}, { input: (_p, _f, attr, dev, i) => `${dev.name} out ${i} dst ${ipv4_str(attr.parse_attr.tun_info![i]!.ipv4_dst)}`, errno: (r) => r.err });

/**
 * mlx5e_detach_encap (core/en/tc_tun_encap.c, v6.18): the last flow of an
 * entry frees its reformat context and its neighbour listening.
 */
export const mlx5e_detach_encap = hop(FILE, function mlx5e_detach_encap(priv: Mlx5ePriv, flow: Mlx5eTcFlow, out_index: number): void {
  const item = flow.encaps?.[out_index];
  if (!item) return;
  const e = item.e;
  flow.encaps![out_index] = undefined;
  e.flows = e.flows.filter((x) => !(x.flow === flow && x.index === out_index));
  if (e.flows.length) return;
  if (e.out_dev) mlx5e_rep_encap_entry_detach(e.out_dev.priv as Mlx5ePriv, e);
  if (e.flags & MLX5_ENCAP_ENTRY_VALID) mlx5_packet_reformat_dealloc(priv.mdev, e.pkt_reformat!);
  e.pkt_reformat = null;
  mlx5e_esw_uplink_priv(priv.mdev).encap_tbl.delete(e.key);
}, { input: (_p, _f, i) => `out ${i}` });

/** Every encap output of a deleted flow (mlx5_free_flow_attr_actions's loop). */
export function mlx5e_detach_encaps(priv: Mlx5ePriv, flow: Mlx5eTcFlow): void {
  const esw_attr = flow.attr.esw_attr;
  if (!esw_attr) return;
  for (let i = 0; i < esw_attr.out_count; i++) {
    if (esw_attr.dests[i]!.flags & MLX5_ESW_DEST_ENCAP) mlx5e_detach_encap(priv, flow, i);
  }
}

/**
 * mlx5e_tc_tun_encap_dests_set (core/en/tc_tun_encap.c, v6.18): attach every
 * encap output; the output then goes to the vport of the encap device (the
 * uplink).
 */
export const mlx5e_tc_tun_encap_dests_set = hop(FILE, function mlx5e_tc_tun_encap_dests_set(priv: Mlx5ePriv, flow: Mlx5eTcFlow, attr: Mlx5FlowAttr,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const esw_attr = attr.esw_attr!;
  for (let out_index = 0; out_index < MLX5_MAX_FLOW_FWD_VPORTS && out_index < esw_attr.out_count; out_index++) {
    const dest = esw_attr.dests[out_index]!;
    if (!(dest.flags & MLX5_ESW_DEST_ENCAP)) continue;
    const out_dev = dev_get_by_index(priv.mdev.net, attr.parse_attr.mirred_ifindex[out_index]!);
    if (!out_dev) {
      NL_SET_ERR_MSG_MOD(extack, MOD, 'Requested mirred device not found');
      return -ENODEV;
    }
    const r = mlx5e_attach_encap(priv, flow, attr, out_dev, out_index, extack);
    if (r.err) return r.err;
    const out_priv = r.encap_dev!.priv as Mlx5ePriv;
    dest.vport_valid = true;
    dest.vport = out_priv.ppriv!.rep.vport;
    dest.mdev = out_priv.mdev;
  }
  return 0;
});

function mlx5e_tc_flow_all_encaps_valid(attr: Mlx5FlowAttr): boolean {
  const esw_attr = attr.esw_attr!;
  for (let i = 0; i < esw_attr.out_count; i++) {
    const d = esw_attr.dests[i]!;
    if ((d.flags & MLX5_ESW_DEST_ENCAP) && !(d.flags & MLX5_ESW_DEST_ENCAP_VALID)) return false;
  }
  return true;
}

/**
 * mlx5e_tc_encap_flows_add (core/en/tc_tun_encap.c, v6.18): the neighbour
 * is resolved — allocate the reformat context, then move each slow-path flow
 * whose encaps are all valid to its encap rule.
 */
export const mlx5e_tc_encap_flows_add = hop(FILE, function mlx5e_tc_encap_flows_add(priv: Mlx5ePriv, e: Mlx5eEncapEntry): void {
  const pr = mlx5_packet_reformat_alloc(priv.mdev, { type: e.reformat_type, size: e.encap_size, data: e.encap_header! }, 'MLX5_FLOW_NAMESPACE_FDB');
  if (typeof pr === 'number') {
    netdev_printk('warn', priv.netdev, `Failed to offload cached encapsulation header, ${pr}`);
    return;
  }
  e.pkt_reformat = pr;
  e.flags |= MLX5_ENCAP_ENTRY_VALID;
  for (const { flow, index } of [...e.flows]) {
    if (!flow.flags.has('OFFLOADED') || !flow.flags.has('SLOW')) continue;
    const dest = flow.attr.esw_attr!.dests[index]!;
    dest.pkt_reformat = pr;
    dest.flags |= MLX5_ESW_DEST_ENCAP_VALID;
    // Do not offload flows with unresolved neighbours.
    if (!mlx5e_tc_flow_all_encaps_valid(flow.attr)) continue;
    const rule = mlx5e_tc_offload_fdb_rules(flow, flow.attr.parse_attr.spec, flow.attr);
    if (typeof rule === 'number') {
      netdev_printk('warn', priv.netdev, `Failed to update cached encapsulation flow, ${rule}`);
      continue;
    }
    mlx5e_tc_unoffload_from_slow_path(flow);
    flow.rule = rule;
    flow.flags.add('OFFLOADED');
  }
}, { input: (_p, e) => `dst ${ipv4_str(e.tun_info.ipv4_dst)} flows ${e.flows.length}` });

/**
 * mlx5e_tc_encap_flows_del (core/en/tc_tun_encap.c, v6.18): the neighbour
 * is gone — each encap flow back to the slow path, then the reformat freed.
 */
export const mlx5e_tc_encap_flows_del = hop(FILE, function mlx5e_tc_encap_flows_del(priv: Mlx5ePriv, e: Mlx5eEncapEntry): void {
  for (const { flow, index } of [...e.flows]) {
    if (!flow.flags.has('OFFLOADED') || flow.flags.has('SLOW')) continue;
    const rule = mlx5e_tc_offload_to_slow_path(flow);
    const dest = flow.attr.esw_attr!.dests[index]!;
    dest.flags &= ~MLX5_ESW_DEST_ENCAP_VALID;
    dest.pkt_reformat = undefined;
    if (typeof rule === 'number') {
      netdev_printk('warn', priv.netdev, `Failed to update slow path (encap) flow, ${rule}`);
      continue;
    }
    mlx5e_tc_unoffload_fdb_rules(flow, flow.attr);
    flow.rule = rule;
    flow.flags.add('OFFLOADED');
  }
  e.flags &= ~MLX5_ENCAP_ENTRY_VALID;
  if (e.pkt_reformat) mlx5_packet_reformat_dealloc(priv.mdev, e.pkt_reformat);
  e.pkt_reformat = null;
}, { input: (_p, e) => `dst ${ipv4_str(e.tun_info.ipv4_dst)} flows ${e.flows.length}` });

/**
 * mlx5e_rep_update_flows (core/en/rep/tc.c, v6.18): a neighbour change for
 * an entry — invalidate if it lost the neighbour or the MAC changed, make it
 * valid (with the new MAC) if it is connected now.
 */
export const mlx5e_rep_update_flows = hop('drivers/net/ethernet/mellanox/mlx5/core/en/rep/tc.c', function mlx5e_rep_update_flows(priv: Mlx5ePriv,
  e: Mlx5eEncapEntry, neigh_connected: boolean, ha: Uint8Array): void {
  const encap_connected = (e.flags & MLX5_ENCAP_ENTRY_VALID) !== 0;
  const same_mac = e.h_dest.every((b, i) => b === ha[i]);
  if (encap_connected === neigh_connected && same_mac) return;
  if ((e.flags & MLX5_ENCAP_ENTRY_VALID) && (!neigh_connected || !same_mac)) mlx5e_tc_encap_flows_del(priv, e);
  if (neigh_connected && !(e.flags & MLX5_ENCAP_ENTRY_VALID)) {
    mlx5e_encap_header_refresh(e, ha);
    mlx5e_tc_encap_flows_add(priv, e);
  }
}, { input: (_p, e, c) => `dst ${ipv4_str(e.tun_info.ipv4_dst)} neigh_connected ${c}` });
