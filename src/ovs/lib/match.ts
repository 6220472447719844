// lib/flow.h + lib/match.h (v3.6.3): struct flow, struct flow_wildcards and
// struct match, reduced to the fields the kernel datapath key can carry.
// Multi-byte numbers hold the value (0x0800 for IPv4), not its wire bytes.

/** struct flow_tnl, the part a tunnel match uses. */
export interface FlowTnl {
  tun_id: bigint;
  ip_src: number;
  ip_dst: number;
  ip_tos: number;
  ip_ttl: number;
  tp_src: number;
  tp_dst: number;
  flags: number;
}

/** struct vlan_hdr as kept in struct flow (tpid, tci). */
export interface FlowVlan {
  tpid: number;
  tci: number;
}

/** struct flow */
export interface Flow {
  tunnel: FlowTnl;
  metadata: bigint;
  regs: number[];
  skb_priority: number;
  pkt_mark: number;
  dp_hash: number;
  in_port: number;
  recirc_id: number;
  ct_state: number;
  ct_zone: number;
  ct_mark: number;
  ct_label: Uint8Array;
  conj_id: number;
  actset_output: number;
  packet_type: number;
  dl_dst: Uint8Array;
  dl_src: Uint8Array;
  dl_type: number;
  vlans: [FlowVlan, FlowVlan];
  mpls_lse: number[];
  nw_src: number;
  nw_dst: number;
  ipv6_src: Uint8Array;
  ipv6_dst: Uint8Array;
  ipv6_label: number;
  nw_frag: number;
  nw_tos: number;
  nw_ttl: number;
  nw_proto: number;
  arp_sha: Uint8Array;
  arp_tha: Uint8Array;
  nd_target: Uint8Array;
  tcp_flags: number;
  tp_src: number;
  tp_dst: number;
}

/** struct flow_wildcards: a flow whose 1-bits are the matched bits. */
export interface FlowWildcards {
  masks: Flow;
}

/** struct match */
export interface Match {
  flow: Flow;
  wc: FlowWildcards;
}

// lib/flow.h
// lib/packets.h: struct flow_tnl flags (OAM is the public one).
export const FLOW_TNL_F_OAM = 1 << 0;
export const FLOW_TNL_F_DONT_FRAGMENT = 1 << 1;
export const FLOW_TNL_F_CSUM = 1 << 2;
export const FLOW_TNL_F_KEY = 1 << 3;
export const FLOW_TNL_F_MASK = (1 << 4) - 1;
export const FLOW_NW_FRAG_ANY = 1 << 0;
export const FLOW_NW_FRAG_LATER = 1 << 1;
export const FLOW_NW_FRAG_MASK = FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER;
export const FLOW_DL_TYPE_NONE = 0x5ff;
export const FLOW_N_REGS = 16;
export const FLOW_MAX_MPLS_LABELS = 3;
export const ODPP_NONE = 0xffffffff;
/** PT_ETH: packet_type (OFPHTN_ONF, ETH) = 0. */
export const PT_ETH = 0;

export function flow_zero(): Flow {
  return {
    tunnel: { tun_id: 0n, ip_src: 0, ip_dst: 0, ip_tos: 0, ip_ttl: 0, tp_src: 0, tp_dst: 0, flags: 0 },
    metadata: 0n,
    regs: new Array<number>(FLOW_N_REGS).fill(0),
    skb_priority: 0, pkt_mark: 0, dp_hash: 0, in_port: 0, recirc_id: 0,
    ct_state: 0, ct_zone: 0, ct_mark: 0, ct_label: new Uint8Array(16),
    conj_id: 0, actset_output: 0, packet_type: 0,
    dl_dst: new Uint8Array(6), dl_src: new Uint8Array(6), dl_type: 0,
    vlans: [{ tpid: 0, tci: 0 }, { tpid: 0, tci: 0 }],
    mpls_lse: new Array<number>(FLOW_MAX_MPLS_LABELS).fill(0),
    nw_src: 0, nw_dst: 0, ipv6_src: new Uint8Array(16), ipv6_dst: new Uint8Array(16), ipv6_label: 0,
    nw_frag: 0, nw_tos: 0, nw_ttl: 0, nw_proto: 0,
    arp_sha: new Uint8Array(6), arp_tha: new Uint8Array(6), nd_target: new Uint8Array(16),
    tcp_flags: 0, tp_src: 0, tp_dst: 0,
  };
}

export function match_init_catchall(): Match {
  return { flow: flow_zero(), wc: { masks: flow_zero() } };
}

export function is_all_zeros(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/**
 * The names of the mask fields that still have bits set: what
 * test_key_and_mask's "Unused mask bits" dump would show.
 */
export function flow_nonzero_fields(mask: Flow): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(mask) as [string, unknown][]) {
    if (typeof v === 'number' && v !== 0) out.push(k);
    else if (typeof v === 'bigint' && v !== 0n) out.push(k);
    else if (v instanceof Uint8Array && !is_all_zeros(v)) out.push(k);
    else if (Array.isArray(v) && v.some((x) => (typeof x === 'number' ? x !== 0 : (x as FlowVlan).tpid !== 0 || (x as FlowVlan).tci !== 0))) out.push(k);
    else if (k === 'tunnel' && Object.values(v as FlowTnl).some((x) => x !== 0 && x !== 0n)) out.push(k);
  }
  return out;
}

/** is_ip_any(flow) */
export function is_ip_any(flow: Flow): boolean {
  return flow.dl_type === 0x0800 || flow.dl_type === 0x86dd;
}

/** eth_type_vlan(): 802.1Q or 802.1ad. */
export function eth_type_vlan(t: number): boolean {
  return t === 0x8100 || t === 0x88a8;
}
