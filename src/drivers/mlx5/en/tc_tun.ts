// core/en/tc_tun.c: what tunnel offload shares between tunnel types —
// which devices are tunnels, the outer-header match of a decap rule, and the
// encapsulation header built from a route and a neighbour.
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';
import { EOPNOTSUPP, ENETUNREACH, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../kernel/include/linux/netlink';
import { netdev_printk, type NetDevice } from '../../../kernel/include/linux/netdevice';
import {
  flow_rule_match_enc_control, flow_rule_match_enc_ip, flow_rule_match_enc_ipv4_addrs, flow_rule_match_enc_ports,
  flow_rule_match_key, type FlowActionTunnel, type FlowClsOffload,
} from '../../../kernel/include/net/flow_offload';
import { FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID } from '../../../kernel/include/net/flow_dissector';
import type { Mlx5FlowSpec } from '../../../kernel/include/linux/mlx5/fs';
import { MLX5_SET } from '../../../kernel/include/linux/mlx5/mlx5_ifc';
import { RTN_UNICAST } from '../../../kernel/include/uapi/linux/rtnetlink';
import { ip_route_output_key, ip4_dst_hoplimit, dst_neigh_lookup } from '../../../kernel/net/ipv4/route';
import { neigh_event_send, ipv4_str, NUD_VALID, type Neighbour } from '../../../kernel/net/core/neighbour';
import { netdev_port_same_parent_id } from '../../../kernel/net/core/dev';
import type { Mlx5ePriv } from '../en';
import type { Mlx5FlowAttr } from './tc_priv';
import { mlx5e_eswitch_rep, mlx5e_eswitch_uplink_rep, mlx5e_same_hw_devs } from '../en_rep';
import { mlx5e_netdev_ops } from '../en_main';
import { vxlan_tunnel } from './tc_tun_vxlan';
import { mlx5_packet_reformat_alloc } from '../fs_core';
import type { Mlx5eEncapEntry } from './tc_tun_encap';
import { mlx5e_rep_encap_entry_attach } from './rep/neigh';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc_tun.c';
const MOD = 'mlx5_core';
const ETH_HLEN = 14;
const IPV4_HLEN = 20;
const ETH_P_IP = 0x0800;
const IPPROTO_UDP = 17;

/** struct mlx5e_tc_tunnel (core/en/tc_tun.h): one tunnel type's hooks. */
export interface Mlx5eTcTunnel {
  tunnel_type: number;
  match_level: number;
  can_offload: (priv: Mlx5ePriv) => boolean;
  calc_hlen: (e: Mlx5eEncapEntry) => number;
  init_encap_attr: (tunnel_dev: NetDevice, priv: Mlx5ePriv, e: Mlx5eEncapEntry, extack: FlowClsOffload['common']['extack']) => 0 | NegErrno;
  /** The tunnel protocol header after the outer IP header (UDP + VXLAN). */
  generate_ip_tun_hdr: (e: Mlx5eEncapEntry) => { ip_proto: number; hdr: Uint8Array };
  parse_udp_ports?: (priv: Mlx5ePriv, spec: Mlx5FlowSpec, f: FlowClsOffload) => 0 | NegErrno;
  parse_tunnel?: (priv: Mlx5ePriv, spec: Mlx5FlowSpec, f: FlowClsOffload) => 0 | NegErrno;
}

/** netif_is_vxlan (include/net/vxlan.h) */
export function netif_is_vxlan(dev: NetDevice): boolean {
  return dev.kind === 'vxlan';
}

/** mlx5e_get_tc_tun (core/en/tc_tun.c, v6.18): geneve, GRE, bareudp are not emulated. */
export function mlx5e_get_tc_tun(tunnel_dev: NetDevice): Mlx5eTcTunnel | null {
  if (netif_is_vxlan(tunnel_dev)) return vxlan_tunnel;
  return null;
}

/** mlx5e_tc_tun_device_to_offload (core/en/tc_tun.c, v6.18) */
export function mlx5e_tc_tun_device_to_offload(priv: Mlx5ePriv, netdev: NetDevice): boolean {
  const tunnel = mlx5e_get_tc_tun(netdev);
  return !!tunnel && tunnel.can_offload(priv);
}

/**
 * mlx5e_tc_tun_parse_udp_ports (core/en/tc_tun.c, v6.18): the full outer
 * UDP destination port must be matched; UDP protocol, dport and sport go to
 * the outer headers.
 */
export const mlx5e_tc_tun_parse_udp_ports = hop(FILE, function mlx5e_tc_tun_parse_udp_ports(priv: Mlx5ePriv, spec: Mlx5FlowSpec, f: FlowClsOffload): 0 | NegErrno {
  const rule = f.rule!;
  const extack = f.common.extack;
  if (!flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ENC_PORTS')) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'UDP tunnel decap filter must include enc_dst_port condition');
    netdev_printk('warn', priv.netdev, 'UDP tunnel decap filter must include enc_dst_port condition');
    return -EOPNOTSUPP;
  }
  const m = flow_rule_match_enc_ports(rule)!;
  if (m.mask.dst !== 0xffff) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'UDP tunnel decap filter must match enc_dst_port fully');
    netdev_printk('warn', priv.netdev, 'UDP tunnel decap filter must match enc_dst_port fully');
    return -EOPNOTSUPP;
  }
  MLX5_SET(spec.match_criteria, 'outer_headers.ip_protocol', 0xff);
  MLX5_SET(spec.match_value, 'outer_headers.ip_protocol', IPPROTO_UDP);
  MLX5_SET(spec.match_criteria, 'outer_headers.udp_dport', m.mask.dst);
  MLX5_SET(spec.match_value, 'outer_headers.udp_dport', m.key.dst);
  // The outer source port is chosen by the sender's hash; matching it is allowed.
  MLX5_SET(spec.match_criteria, 'outer_headers.udp_sport', m.mask.src);
  MLX5_SET(spec.match_value, 'outer_headers.udp_sport', m.key.src);
  return 0;
});

const tun_parse_no_tunnel = declareBranch(FILE, 'mlx5e_tc_tun_parse', 'not an offloadable tunnel device');

/**
 * mlx5e_tc_tun_parse (core/en/tc_tun.c, v6.18): tunnel ports and key, the
 * outer IPv4 addresses (IPv6 outer headers are not emulated), outer tos/ttl,
 * and "let software handle IP fragments".
 */
export const mlx5e_tc_tun_parse = hop(FILE, function mlx5e_tc_tun_parse(filter_dev: NetDevice, priv: Mlx5ePriv, spec: Mlx5FlowSpec,
  f: FlowClsOffload, levels: { outer: number }): 0 | NegErrno {
  const tunnel = mlx5e_get_tc_tun(filter_dev);
  const rule = f.rule!;
  if (tun_parse_no_tunnel(!tunnel)) {
    netdev_printk('warn', priv.netdev, `decapsulation offload is not supported for ${filter_dev.kind} net device`);
    return -EOPNOTSUPP;
  }
  levels.outer = tunnel!.match_level;
  let err: 0 | NegErrno = 0;
  if (tunnel!.parse_udp_ports) {
    err = tunnel!.parse_udp_ports(priv, spec, f);
    if (err) return err;
  }
  if (tunnel!.parse_tunnel) {
    err = tunnel!.parse_tunnel(priv, spec, f);
    if (err) return err;
  }
  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ENC_CONTROL')) {
    const c = flow_rule_match_enc_control(rule)!;
    // include/net/flow_offload.h flow_rule_has_enc_control_flags (v6.18): mlx5 matches no tunnel header flag
    if (c.mask.flags) {
      NL_SET_ERR_MSG_MOD(f.common.extack, MOD, `Unsupported match on enc_control.flags 0x${c.mask.flags.toString(16)}`);
      return -EOPNOTSUPP;
    }
    if (c.key.addr_type === FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID) {
      const m = flow_rule_match_enc_ipv4_addrs(rule)!;
      MLX5_SET(spec.match_criteria, 'outer_headers.src_ipv4_src_ipv6.ipv4_layout.ipv4', m.mask.src >>> 0);
      MLX5_SET(spec.match_value, 'outer_headers.src_ipv4_src_ipv6.ipv4_layout.ipv4', m.key.src >>> 0);
      MLX5_SET(spec.match_criteria, 'outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4', m.mask.dst >>> 0);
      MLX5_SET(spec.match_value, 'outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4', m.key.dst >>> 0);
      // mlx5e_tc_set_ethertype on a full ETH_P_IP match: the outer ethertype
      MLX5_SET(spec.match_criteria, 'outer_headers.ethertype', 0xffff);
      MLX5_SET(spec.match_value, 'outer_headers.ethertype', ETH_P_IP);
    } else if (c.key.addr_type) {
      netdev_printk('warn', priv.netdev, 'IPv6 tunnel endpoints are not emulated');
      return -EOPNOTSUPP;
    }
  }
  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ENC_IP')) {
    const m = flow_rule_match_enc_ip(rule)!;
    const ecn_mask = m.mask.tos & 0x3;
    if (ecn_mask && ecn_mask !== 0x3) {
      NL_SET_ERR_MSG_MOD(f.common.extack, MOD, "Partial match on enc_tos ecn bits isn't supported");
      netdev_printk('warn', priv.netdev, "Partial match on enc_tos ecn bits isn't supported");
      return -EOPNOTSUPP;
    }
    MLX5_SET(spec.match_criteria, 'outer_headers.ip_ecn', ecn_mask);
    MLX5_SET(spec.match_value, 'outer_headers.ip_ecn', m.key.tos & 0x3);
    MLX5_SET(spec.match_criteria, 'outer_headers.ip_dscp', m.mask.tos >> 2);
    MLX5_SET(spec.match_value, 'outer_headers.ip_dscp', m.key.tos >> 2);
    if (m.mask.ttl && !priv.mdev.caps.esw_flow_table_fdb.ft_field_support.outer_ipv4_ttl) {
      NL_SET_ERR_MSG_MOD(f.common.extack, MOD, 'Matching on TTL is not supported');
      return -EOPNOTSUPP;
    }
    MLX5_SET(spec.match_criteria, 'outer_headers.ttl_hoplimit', m.mask.ttl);
    MLX5_SET(spec.match_value, 'outer_headers.ttl_hoplimit', m.key.ttl);
  }
  // Let software handle IP fragments.
  MLX5_SET(spec.match_criteria, 'outer_headers.frag', 1);
  MLX5_SET(spec.match_value, 'outer_headers.frag', 0);
  return 0;
}, { input: (dev) => dev.name });

/** struct mlx5e_tc_tun_route_attr */
export interface Mlx5eTcTunRouteAttr {
  fl4: { daddr: number; saddr: number; flowi4_tos: number };
  ttl: number;
  route_dev: NetDevice | null;
  out_dev: NetDevice | null;
  n: Neighbour | null;
}

/**
 * get_route_and_out_devs (core/en/tc_tun.c, v6.18): the egress must be the
 * uplink representor of this eswitch (directly, or because the route's
 * device is not on this switch). LAG and VLAN route devices are not emulated.
 */
function get_route_and_out_devs(priv: Mlx5ePriv, dev: NetDevice): { route_dev: NetDevice; out_dev: NetDevice } | NegErrno {
  const uplink_dev = priv.mdev.uplink_netdev!;
  const route_dev = dev;
  let out_dev: NetDevice;
  if (!netdev_port_same_parent_id(priv.netdev, dev)) out_dev = uplink_dev;
  else if (mlx5e_eswitch_rep(dev) && mlx5e_same_hw_devs(priv, dev.priv as Mlx5ePriv)) out_dev = route_dev;
  else return -EOPNOTSUPP;
  if (!mlx5e_eswitch_uplink_rep(out_dev)) return -EOPNOTSUPP;
  if (mlx5e_eswitch_uplink_rep(priv.netdev) && out_dev !== priv.netdev) return -EOPNOTSUPP;
  return { route_dev, out_dev };
}

const route_not_unicast = declareBranch(FILE, 'mlx5e_route_lookup_ipv4_get', 'route type not unicast');

/**
 * mlx5e_route_lookup_ipv4_get (core/en/tc_tun.c, v6.18): ip_route_output_key,
 * a unicast route, the egress devices, the TTL default, and the next hop's
 * neighbour (created if missing).
 */
export const mlx5e_route_lookup_ipv4_get = hop(FILE, function mlx5e_route_lookup_ipv4_get(priv: Mlx5ePriv, dev: NetDevice, attr: Mlx5eTcTunRouteAttr): 0 | NegErrno {
  const rt = ip_route_output_key(dev.nd_net, attr.fl4);
  if (typeof rt === 'number') return rt;
  if (route_not_unicast(rt.rt_type !== RTN_UNICAST)) return -ENETUNREACH;
  const devs = get_route_and_out_devs(priv, rt.dev);
  if (typeof devs === 'number') return devs;
  if (!attr.ttl) attr.ttl = ip4_dst_hoplimit(rt);
  attr.n = dst_neigh_lookup(rt, attr.fl4.daddr);
  attr.route_dev = devs.route_dev;
  attr.out_dev = devs.out_dev;
  return 0;
}, { input: (_p, dev, a) => `${dev.name} daddr ${ipv4_str(a.fl4.daddr)} saddr ${ipv4_str(a.fl4.saddr)}` });

export function tc_tun_route_attr_init(): Mlx5eTcTunRouteAttr {
  return { fl4: { daddr: 0, saddr: 0, flowi4_tos: 0 }, ttl: 0, route_dev: null, out_dev: null, n: null };
}

/**
 * mlx5e_tc_tun_route_lookup (core/en/tc_tun.c, v6.18): for a decap rule that
 * matches both outer addresses, the route back to the sender (addresses
 * swapped) must exist. A route through a representor or the uplink changes
 * nothing else; VF-function endpoints and OVS internal ports are not emulated.
 */
const route_vf_tunnel = declareBranch(FILE, 'mlx5e_tc_tun_route_lookup', 'route through a VF tunnel endpoint');

export const mlx5e_tc_tun_route_lookup = hop(FILE, function mlx5e_tc_tun_route_lookup(priv: Mlx5ePriv, attr: Mlx5FlowAttr, filter_dev: NetDevice): 0 | NegErrno {
  const rx = attr.esw_attr?.rx_tun_attr;
  if (!rx || attr.tun_ip_version !== 4) return 0;
  const r = tc_tun_route_attr_init();
  r.fl4.saddr = rx.dst_ip;
  r.fl4.daddr = rx.src_ip;
  const err = mlx5e_route_lookup_ipv4_get(priv, filter_dev, r);
  if (err) return err;
  // Only a route through a VF/SF function's own mlx5e netdev is a VF tunnel
  // endpoint (decap_vport); a representor or the uplink is not.
  if (route_vf_tunnel(!!r.route_dev && r.route_dev.netdev_ops === mlx5e_netdev_ops && mlx5e_tc_is_vf_tunnel(r.out_dev, r.route_dev))) {
    // mlx5e_tc_query_route_vport + decap_vport: unreachable while no VF/SF
    // function is probed in the host (see mlx5e_tc_is_vf_tunnel).
    return -EOPNOTSUPP;
  }
  return 0;
});

/**
 * mlx5e_tc_is_vf_tunnel (core/en_tc.c, v6.18): out_dev on a PF and route_dev
 * the netdev of a VF or SF function of the same hardware. Every emulated
 * mlx5 core device is a PF function (VFs live in guests, not in the host),
 * so the route device is never a VF/SF function here.
 */
function mlx5e_tc_is_vf_tunnel(out_dev: NetDevice | null, route_dev: NetDevice): boolean {
  const route_coredev_is_vf_or_sf = false;
  if (!out_dev || !route_coredev_is_vf_or_sf) return false;
  return mlx5e_same_hw_devs(out_dev.priv as Mlx5ePriv, route_dev.priv as Mlx5ePriv);
}

/** gen_eth_tnl_hdr + the IPv4 header + the tunnel header: the bytes the NIC prepends. */
function build_ipv4_encap_header(e: Mlx5eEncapEntry, h_source: Uint8Array, saddr: number, ttl: number, tos: number): Uint8Array {
  const tun = e.tunnel.generate_ip_tun_hdr(e);
  const hdr = new Uint8Array(ETH_HLEN + IPV4_HLEN + tun.hdr.byteLength);
  hdr.set(e.h_dest, 0);
  hdr.set(h_source, 6);
  hdr[12] = ETH_P_IP >> 8;
  hdr[13] = ETH_P_IP & 0xff;
  const ip = ETH_HLEN;
  hdr[ip] = 0x45;
  hdr[ip + 1] = tos;
  hdr[ip + 6] = 0x40; // DF unless the tunnel key says otherwise (ip_tunnel_info flags not modelled)
  hdr[ip + 8] = ttl;
  hdr[ip + 9] = tun.ip_proto;
  const put32 = (off: number, v: number): void => { hdr[off] = v >>> 24; hdr[off + 1] = (v >>> 16) & 0xff; hdr[off + 2] = (v >>> 8) & 0xff; hdr[off + 3] = v & 0xff; };
  put32(ip + 12, saddr);
  put32(ip + 16, e.tun_info.ipv4_dst);
  hdr.set(tun.hdr, ETH_HLEN + IPV4_HLEN);
  return hdr;
}

const encap_neigh_not_valid = declareBranch(FILE, 'mlx5e_tc_tun_create_header_ipv4', 'neighbour not valid: entry stays invalid');

/** MLX5_CAP_ESW(max_encap_header_size) of the emulated ConnectX. */
const MAX_ENCAP_HEADER_SIZE = 128;

/**
 * mlx5e_tc_tun_create_header_ipv4 (core/en/tc_tun.c, v6.18): route and
 * neighbour, the header (its destination MAC from the neighbour), then —
 * only if the neighbour is valid — the firmware packet-reformat context and
 * MLX5_ENCAP_ENTRY_VALID. Otherwise resolution is started and the entry is
 * made valid by the neighbour-update event.
 */
export const mlx5e_tc_tun_create_header_ipv4 = hop(FILE, function mlx5e_tc_tun_create_header_ipv4(priv: Mlx5ePriv, mirred_dev: NetDevice, e: Mlx5eEncapEntry): 0 | NegErrno {
  const tun_key = e.tun_info;
  const attr = tc_tun_route_attr_init();
  attr.fl4.flowi4_tos = tun_key.tos & ~0x3;
  attr.fl4.daddr = tun_key.ipv4_dst;
  attr.fl4.saddr = tun_key.ipv4_src;
  attr.ttl = tun_key.ttl;
  const err = mlx5e_route_lookup_ipv4_get(priv, mirred_dev, attr);
  if (err) return err;
  const ipv4_encap_size = ETH_HLEN + IPV4_HLEN + e.tunnel.calc_hlen(e);
  if (MAX_ENCAP_HEADER_SIZE < ipv4_encap_size) {
    netdev_printk('warn', priv.netdev, `encap size ${ipv4_encap_size} too big, max supported is ${MAX_ENCAP_HEADER_SIZE}`);
    return -EOPNOTSUPP;
  }
  const n = attr.n!;
  e.route_dev_ifindex = attr.route_dev!.ifindex;
  e.m_neigh = { dev: n.dev, dst_ip: n.primary_key };
  e.out_dev = attr.out_dev;
  // The entry listens for this neighbour before its state is read.
  mlx5e_rep_encap_entry_attach(attr.out_dev!.priv as Mlx5ePriv, e);
  const nud_state = n.nud_state;
  e.h_dest = n.ha ? n.ha.slice() : new Uint8Array(6);
  e.encap_header = build_ipv4_encap_header(e, new Uint8Array(6), attr.fl4.saddr, attr.ttl, tun_key.tos);
  e.encap_size = ipv4_encap_size;
  e.ttl = attr.ttl;
  e.saddr = attr.fl4.saddr;
  if (encap_neigh_not_valid(!(nud_state & NUD_VALID))) {
    neigh_event_send(n);
    return 0;
  }
  const pr = mlx5_packet_reformat_alloc(priv.mdev, { type: e.reformat_type, size: e.encap_size, data: e.encap_header }, 'MLX5_FLOW_NAMESPACE_FDB');
  if (typeof pr === 'number') return pr;
  e.pkt_reformat = pr;
  e.flags |= MLX5_ENCAP_ENTRY_VALID;
  return 0;
}, { input: (_p, dev, e) => `${dev.name} dst ${ipv4_str(e.tun_info.ipv4_dst)}` });

/** Rebuilds the header with a now-known MAC (mlx5e_rep_update_flows → mlx5e_tc_encap_flows_add). */
export function mlx5e_encap_header_refresh(e: Mlx5eEncapEntry, ha: Uint8Array): void {
  e.h_dest = ha.slice();
  e.encap_header = build_ipv4_encap_header(e, new Uint8Array(6), e.saddr, e.ttl, e.tun_info.tos);
}

/** enum mlx5e_encap_entry flags (core/en/tc_tun_encap.h) */
export const MLX5_ENCAP_ENTRY_VALID = 1 << 0;
export const MLX5_REFORMAT_DECAP = 1 << 1;
export const MLX5_ENCAP_ENTRY_NO_ROUTE = 1 << 2;

export type { FlowActionTunnel };
