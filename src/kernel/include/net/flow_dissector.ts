// include/net/flow_dissector.h: the keys a classifier hands to drivers.
// Values are held as numbers/bytes in their natural order; the __be16/__be32
// of upstream matters only on the wire, which src/netlink/ owns.

export type FlowDissectorKeyId =
  | 'FLOW_DISSECTOR_KEY_CONTROL'
  | 'FLOW_DISSECTOR_KEY_BASIC'
  | 'FLOW_DISSECTOR_KEY_IPV4_ADDRS'
  | 'FLOW_DISSECTOR_KEY_IPV6_ADDRS'
  | 'FLOW_DISSECTOR_KEY_PORTS'
  | 'FLOW_DISSECTOR_KEY_PORTS_RANGE'
  | 'FLOW_DISSECTOR_KEY_ICMP'
  | 'FLOW_DISSECTOR_KEY_ETH_ADDRS'
  | 'FLOW_DISSECTOR_KEY_ARP'
  | 'FLOW_DISSECTOR_KEY_VLAN'
  | 'FLOW_DISSECTOR_KEY_ENC_KEYID'
  | 'FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS'
  | 'FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS'
  | 'FLOW_DISSECTOR_KEY_ENC_CONTROL'
  | 'FLOW_DISSECTOR_KEY_ENC_PORTS'
  | 'FLOW_DISSECTOR_KEY_MPLS'
  | 'FLOW_DISSECTOR_KEY_TCP'
  | 'FLOW_DISSECTOR_KEY_IP'
  | 'FLOW_DISSECTOR_KEY_CVLAN'
  | 'FLOW_DISSECTOR_KEY_ENC_IP'
  | 'FLOW_DISSECTOR_KEY_ENC_OPTS'
  | 'FLOW_DISSECTOR_KEY_META'
  | 'FLOW_DISSECTOR_KEY_CT'
  | 'FLOW_DISSECTOR_KEY_HASH'
  | 'FLOW_DISSECTOR_KEY_NUM_OF_VLANS'
  | 'FLOW_DISSECTOR_KEY_PPPOE'
  | 'FLOW_DISSECTOR_KEY_L2TPV3'
  | 'FLOW_DISSECTOR_KEY_CFM'
  | 'FLOW_DISSECTOR_KEY_IPSEC';

// control.flags
export const FLOW_DIS_IS_FRAGMENT = 1 << 0;
export const FLOW_DIS_FIRST_FRAG = 1 << 1;
// control.addr_type takes the key id numbers of the address keys
export const FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID = 2;
export const FLOW_DISSECTOR_KEY_IPV6_ADDRS_ID = 3;

export interface FlowDissectorKeyControl { thoff: number; addr_type: number; flags: number }
export interface FlowDissectorKeyBasic { n_proto: number; ip_proto: number }
export interface FlowDissectorKeyEthAddrs { dst: Uint8Array; src: Uint8Array }
export interface FlowDissectorKeyIpv4Addrs { src: number; dst: number }
export interface FlowDissectorKeyIpv6Addrs { src: Uint8Array; dst: Uint8Array }
export interface FlowDissectorKeyPorts { src: number; dst: number }
export interface FlowDissectorKeyIp { tos: number; ttl: number }
export interface FlowDissectorKeyVlan { vlan_id: number; vlan_priority: number; vlan_tpid: number; vlan_eth_type: number }
export interface FlowDissectorKeyTcp { flags: number }
export interface FlowDissectorKeyIcmp { type: number; code: number }
export interface FlowDissectorKeyArp { sip: number; tip: number; op: number; sha: Uint8Array; tha: Uint8Array }
export interface FlowDissectorKeyMeta { ingress_ifindex: number; l2_miss: number }

/** The union of keys flower knows (struct fl_flow_key, the parts we model). */
export interface FlowKeys {
  meta: FlowDissectorKeyMeta;
  control: FlowDissectorKeyControl;
  basic: FlowDissectorKeyBasic;
  eth: FlowDissectorKeyEthAddrs;
  vlan: FlowDissectorKeyVlan;
  cvlan: FlowDissectorKeyVlan;
  ipv4: FlowDissectorKeyIpv4Addrs;
  ipv6: FlowDissectorKeyIpv6Addrs;
  tp: FlowDissectorKeyPorts;
  tp_min: FlowDissectorKeyPorts;
  tp_max: FlowDissectorKeyPorts;
  ip: FlowDissectorKeyIp;
  tcp: FlowDissectorKeyTcp;
  icmp: FlowDissectorKeyIcmp;
  arp: FlowDissectorKeyArp;
}

export function flow_keys_zero(): FlowKeys {
  const vlan = (): FlowDissectorKeyVlan => ({ vlan_id: 0, vlan_priority: 0, vlan_tpid: 0, vlan_eth_type: 0 });
  return {
    meta: { ingress_ifindex: 0, l2_miss: 0 },
    control: { thoff: 0, addr_type: 0, flags: 0 },
    basic: { n_proto: 0, ip_proto: 0 },
    eth: { dst: new Uint8Array(6), src: new Uint8Array(6) },
    vlan: vlan(),
    cvlan: vlan(),
    ipv4: { src: 0, dst: 0 },
    ipv6: { src: new Uint8Array(16), dst: new Uint8Array(16) },
    tp: { src: 0, dst: 0 },
    tp_min: { src: 0, dst: 0 },
    tp_max: { src: 0, dst: 0 },
    ip: { tos: 0, ttl: 0 },
    tcp: { flags: 0 },
    icmp: { type: 0, code: 0 },
    arp: { sip: 0, tip: 0, op: 0, sha: new Uint8Array(6), tha: new Uint8Array(6) },
  };
}

export interface FlowDissector {
  used_keys: Set<FlowDissectorKeyId>;
}

// Appended: keys flower also fills (tunnel metadata, conntrack, vlan count,
// hash). Kept apart from FlowKeys so existing literals stay valid; flower
// hands them to drivers in FlowKeys.ext (see flow_offload.ts).
export interface FlowDissectorKeyKeyid { keyid: number }
export interface FlowDissectorKeyEncControl { addr_type: number; flags: number }
export interface FlowDissectorKeyCt { ct_state: number; ct_zone: number; ct_mark: number; ct_labels: Uint8Array }
export interface FlowDissectorKeyNumOfVlans { num_of_vlans: number }
export interface FlowDissectorKeyHash { hash: number }

export interface FlowKeysExt {
  enc_key_id: FlowDissectorKeyKeyid;
  enc_control: FlowDissectorKeyEncControl;
  enc_ipv4: FlowDissectorKeyIpv4Addrs;
  enc_ipv6: FlowDissectorKeyIpv6Addrs;
  enc_tp: FlowDissectorKeyPorts;
  enc_ip: FlowDissectorKeyIp;
  ct: FlowDissectorKeyCt;
  num_of_vlans: FlowDissectorKeyNumOfVlans;
  hash: FlowDissectorKeyHash;
}

export function flow_keys_ext_zero(): FlowKeysExt {
  return {
    enc_key_id: { keyid: 0 },
    enc_control: { addr_type: 0, flags: 0 },
    enc_ipv4: { src: 0, dst: 0 },
    enc_ipv6: { src: new Uint8Array(16), dst: new Uint8Array(16) },
    enc_tp: { src: 0, dst: 0 },
    enc_ip: { tos: 0, ttl: 0 },
    ct: { ct_state: 0, ct_zone: 0, ct_mark: 0, ct_labels: new Uint8Array(16) },
    num_of_vlans: { num_of_vlans: 0 },
    hash: { hash: 0 },
  };
}

// Appended: struct flow_dissector_key_mpls, first label stack entry only
// (the flat TCA_FLOWER_KEY_MPLS_* form); used_lses bit 0 marks it used.
export interface FlowDissectorKeyMpls {
  used_lses: number; mpls_ttl: number; mpls_bos: number; mpls_tc: number; mpls_label: number;
  /**
   * Appended: label stack entries ls[1..FLOW_DIS_MPLS_MAX-1] (depth 2..7, the
   * TCA_FLOWER_KEY_MPLS_OPTS form); ls[0] is the flat fields above. Indexed
   * by lse index, never iterated as an array (masking copies it as an object).
   */
  ls?: Record<number, FlowDissectorMplsLse>;
}
/** struct flow_dissector_mpls_lse */
export interface FlowDissectorMplsLse { mpls_ttl: number; mpls_bos: number; mpls_tc: number; mpls_label: number }
/** include/net/flow_dissector.h FLOW_DIS_MPLS_MAX */
export const FLOW_DIS_MPLS_MAX = 7;
export interface FlowKeysExt {
  /** FLOW_DISSECTOR_KEY_MPLS (flower always sets it). */
  mpls?: FlowDissectorKeyMpls;
}
export function flow_key_mpls_zero(): FlowDissectorKeyMpls {
  const ls: Record<number, FlowDissectorMplsLse> = {};
  for (let i = 1; i < FLOW_DIS_MPLS_MAX; i++) ls[i] = { mpls_ttl: 0, mpls_bos: 0, mpls_tc: 0, mpls_label: 0 };
  return { used_lses: 0, mpls_ttl: 0, mpls_bos: 0, mpls_tc: 0, mpls_label: 0, ls };
}

// Appended: struct flow_dissector_key_enc_opts (FLOW_DIS_TUN_OPTS_MAX bytes of
// struct geneve_opt records: be16 class, u8 type, u8 length in 4-byte words, data).
export const FLOW_DIS_TUN_OPTS_MAX = 255;
export interface FlowDissectorKeyEncOpts { data: Uint8Array; len: number; dst_opt_type: number }
export interface FlowKeysExt {
  /** FLOW_DISSECTOR_KEY_ENC_OPTS (flower always sets it). */
  enc_opts?: FlowDissectorKeyEncOpts;
}
export function flow_key_enc_opts_zero(): FlowDissectorKeyEncOpts {
  return { data: new Uint8Array(FLOW_DIS_TUN_OPTS_MAX), len: 0, dst_opt_type: 0 };
}

// Appended: struct flow_dissector_key_pppoe (session id, PPP protocol, and the
// PPPoE ethertype kept in `type` since basic.n_proto may be rewritten) and
// struct flow_dissector_key_l2tpv3; flower always sets both.
export interface FlowDissectorKeyPppoe { session_id: number; ppp_proto: number; type: number }
export interface FlowDissectorKeyL2tpv3 { session_id: number }
export interface FlowKeysExt {
  /** FLOW_DISSECTOR_KEY_PPPOE */
  pppoe?: FlowDissectorKeyPppoe;
  /** FLOW_DISSECTOR_KEY_L2TPV3 */
  l2tpv3?: FlowDissectorKeyL2tpv3;
}
export function flow_key_pppoe_zero(): FlowDissectorKeyPppoe {
  return { session_id: 0, ppp_proto: 0, type: 0 };
}
export function flow_key_l2tpv3_zero(): FlowDissectorKeyL2tpv3 {
  return { session_id: 0 };
}

// Appended: the tunnel bits of control.flags / enc_control.flags (enum
// flow_dissector_ctrl_flags, equal to the TCA_FLOWER_KEY_FLAGS_TUNNEL_* bits).
export const FLOW_DIS_F_TUNNEL_CSUM = 1 << 2;
export const FLOW_DIS_F_TUNNEL_DONT_FRAGMENT = 1 << 3;
export const FLOW_DIS_F_TUNNEL_OAM = 1 << 4;
export const FLOW_DIS_F_TUNNEL_CRIT_OPT = 1 << 5;
