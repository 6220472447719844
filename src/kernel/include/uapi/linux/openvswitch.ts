// include/uapi/linux/openvswitch.h (v6.18; same ABI as OVS 3.6's
// datapath/linux/compat copy). Shared by OVS userspace and the kernel datapath.

export const OVS_DATAPATH_FAMILY = 'ovs_datapath';
export const OVS_VPORT_FAMILY = 'ovs_vport';
export const OVS_FLOW_FAMILY = 'ovs_flow';
export const OVS_PACKET_FAMILY = 'ovs_packet';
export const OVS_DATAPATH_VERSION = 2;
export const OVS_VPORT_VERSION = 1;
export const OVS_FLOW_VERSION = 1;
export const OVS_PACKET_VERSION = 1;

// ovs_datapath_cmd / attrs
export const OVS_DP_CMD_NEW = 1;
export const OVS_DP_CMD_DEL = 2;
export const OVS_DP_CMD_GET = 3;
export const OVS_DP_CMD_SET = 4;
export const OVS_DP_ATTR_NAME = 1;
export const OVS_DP_ATTR_UPCALL_PID = 2;
export const OVS_DP_ATTR_STATS = 3;
export const OVS_DP_ATTR_MEGAFLOW_STATS = 4;
export const OVS_DP_ATTR_USER_FEATURES = 5;
export const OVS_DP_F_UNALIGNED = 1 << 0;
export const OVS_DP_F_VPORT_PIDS = 1 << 1;
export const OVS_DP_F_TC_RECIRC_SHARING = 1 << 2;
export const OVS_DP_F_DISPATCH_UPCALL_PER_CPU = 1 << 3;

// ovs_packet_cmd / attrs
export const OVS_PACKET_CMD_MISS = 1;
export const OVS_PACKET_CMD_ACTION = 2;
export const OVS_PACKET_CMD_EXECUTE = 3;
export const OVS_PACKET_ATTR_PACKET = 1;
export const OVS_PACKET_ATTR_KEY = 2;
export const OVS_PACKET_ATTR_ACTIONS = 3;
export const OVS_PACKET_ATTR_USERDATA = 4;

// ovs_flow_cmd / attrs
export const OVS_FLOW_CMD_NEW = 1;
export const OVS_FLOW_CMD_DEL = 2;
export const OVS_FLOW_CMD_GET = 3;
export const OVS_FLOW_CMD_SET = 4;
export const OVS_FLOW_ATTR_KEY = 1;
export const OVS_FLOW_ATTR_ACTIONS = 2;
export const OVS_FLOW_ATTR_STATS = 3;
export const OVS_FLOW_ATTR_TCP_FLAGS = 4;
export const OVS_FLOW_ATTR_USED = 5;
export const OVS_FLOW_ATTR_CLEAR = 6;
export const OVS_FLOW_ATTR_MASK = 7;
export const OVS_FLOW_ATTR_PROBE = 8;
export const OVS_FLOW_ATTR_UFID = 9;
export const OVS_FLOW_ATTR_UFID_FLAGS = 10;

// enum ovs_key_attr
export const OVS_KEY_ATTR_UNSPEC = 0;
export const OVS_KEY_ATTR_ENCAP = 1;
export const OVS_KEY_ATTR_PRIORITY = 2;
export const OVS_KEY_ATTR_IN_PORT = 3;
export const OVS_KEY_ATTR_ETHERNET = 4;
export const OVS_KEY_ATTR_VLAN = 5;
export const OVS_KEY_ATTR_ETHERTYPE = 6;
export const OVS_KEY_ATTR_IPV4 = 7;
export const OVS_KEY_ATTR_IPV6 = 8;
export const OVS_KEY_ATTR_TCP = 9;
export const OVS_KEY_ATTR_UDP = 10;
export const OVS_KEY_ATTR_ICMP = 11;
export const OVS_KEY_ATTR_ICMPV6 = 12;
export const OVS_KEY_ATTR_ARP = 13;
export const OVS_KEY_ATTR_ND = 14;
export const OVS_KEY_ATTR_SKB_MARK = 15;
export const OVS_KEY_ATTR_TUNNEL = 16;
export const OVS_KEY_ATTR_SCTP = 17;
export const OVS_KEY_ATTR_TCP_FLAGS = 18;
export const OVS_KEY_ATTR_DP_HASH = 19;
export const OVS_KEY_ATTR_RECIRC_ID = 20;
export const OVS_KEY_ATTR_MPLS = 21;
export const OVS_KEY_ATTR_CT_STATE = 22;
export const OVS_KEY_ATTR_CT_ZONE = 23;
export const OVS_KEY_ATTR_CT_MARK = 24;
export const OVS_KEY_ATTR_CT_LABELS = 25;
export const OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4 = 26;
export const OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6 = 27;
export const OVS_KEY_ATTR_NSH = 28;
export const OVS_KEY_ATTR_PACKET_TYPE = 29;
export const OVS_KEY_ATTR_ND_EXTENSIONS = 30;

// struct sizes
export const OVS_KEY_ETHERNET_LEN = 12; // eth_src[6], eth_dst[6]
export const OVS_KEY_IPV4_LEN = 12; // src, dst (be32), proto, tos, ttl, frag
export const OVS_KEY_IPV6_LEN = 40; // src[16], dst[16], label (be32), proto, tclass, hlimit, frag
export const OVS_KEY_TCP_LEN = 4; // src, dst (be16); same for udp/sctp
export const OVS_KEY_ICMP_LEN = 2; // type, code
export const OVS_KEY_ARP_LEN = 24; // sip, tip (be32), op (be16), sha[6], tha[6]

// enum ovs_frag_type
export const OVS_FRAG_TYPE_NONE = 0;
export const OVS_FRAG_TYPE_FIRST = 1;
export const OVS_FRAG_TYPE_LATER = 2;

// enum ovs_action_attr
export const OVS_ACTION_ATTR_UNSPEC = 0;
export const OVS_ACTION_ATTR_OUTPUT = 1;
export const OVS_ACTION_ATTR_USERSPACE = 2;
export const OVS_ACTION_ATTR_SET = 3;
export const OVS_ACTION_ATTR_PUSH_VLAN = 4;
export const OVS_ACTION_ATTR_POP_VLAN = 5;
export const OVS_ACTION_ATTR_SAMPLE = 6;
export const OVS_ACTION_ATTR_RECIRC = 7;
export const OVS_ACTION_ATTR_HASH = 8;
export const OVS_ACTION_ATTR_PUSH_MPLS = 9;
export const OVS_ACTION_ATTR_POP_MPLS = 10;
export const OVS_ACTION_ATTR_SET_MASKED = 11;
export const OVS_ACTION_ATTR_CT = 12;
export const OVS_ACTION_ATTR_TRUNC = 13;
export const OVS_ACTION_ATTR_PUSH_ETH = 14;
export const OVS_ACTION_ATTR_POP_ETH = 15;
export const OVS_ACTION_ATTR_CT_CLEAR = 16;
export const OVS_ACTION_ATTR_PUSH_NSH = 17;
export const OVS_ACTION_ATTR_POP_NSH = 18;
export const OVS_ACTION_ATTR_METER = 19;
export const OVS_ACTION_ATTR_CLONE = 20;
export const OVS_ACTION_ATTR_CHECK_PKT_LEN = 21;
export const OVS_ACTION_ATTR_ADD_MPLS = 22;
export const OVS_ACTION_ATTR_DEC_TTL = 23;
export const OVS_ACTION_ATTR_DROP = 24;
export const OVS_ACTION_ATTR_PSAMPLE = 25;

export const OVS_UFID_F_OMIT_KEY = 1 << 0;
export const OVS_UFID_F_OMIT_MASK = 1 << 1;
export const OVS_UFID_F_OMIT_ACTIONS = 1 << 2;

// ovs_vport_cmd / attrs / types
export const OVS_VPORT_CMD_NEW = 1;
export const OVS_VPORT_CMD_DEL = 2;
export const OVS_VPORT_CMD_GET = 3;
export const OVS_VPORT_CMD_SET = 4;
export const OVS_VPORT_ATTR_PORT_NO = 1;
export const OVS_VPORT_ATTR_TYPE = 2;
export const OVS_VPORT_ATTR_NAME = 3;
export const OVS_VPORT_ATTR_OPTIONS = 4;
export const OVS_VPORT_ATTR_UPCALL_PID = 5;
export const OVS_VPORT_ATTR_STATS = 6;
export const OVS_VPORT_ATTR_IFINDEX = 8;
export const OVS_VPORT_ATTR_NETNSID = 9;
export const OVS_VPORT_TYPE_UNSPEC = 0;
export const OVS_VPORT_TYPE_NETDEV = 1;
export const OVS_VPORT_TYPE_INTERNAL = 2;
export const OVS_VPORT_TYPE_GRE = 3;
export const OVS_VPORT_TYPE_VXLAN = 4;
export const OVS_VPORT_TYPE_GENEVE = 5;

// Appended (include/uapi/linux/openvswitch.h v6.18)
export const OVS_DP_ATTR_PAD = 6;
export const OVS_DP_ATTR_MASKS_CACHE_SIZE = 7;
export const OVS_DP_ATTR_PER_CPU_PIDS = 8;
export const OVS_DP_ATTR_IFINDEX = 9;
export const OVS_DP_ATTR_MAX = 9;
export const OVS_VPORT_ATTR_PAD = 7;
export const OVS_VPORT_ATTR_MAX = 10;
export const OVS_FLOW_ATTR_PAD = 11;
export const OVS_FLOW_ATTR_MAX = 11;
export const OVS_PACKET_ATTR_MAX = 12;
export const OVS_KEY_ATTR_MAX = 32;
export const OVS_VPORT_MCGROUP = 'ovs_vport';
/** struct ovs_dp_stats: n_hit, n_missed, n_lost, n_flows (u64 each) */
export const OVS_DP_STATS_LEN = 32;
/** struct ovs_dp_megaflow_stats: n_mask_hit u64, n_masks u32, pad u32, n_cache_hit u64, pad u64 */
export const OVS_DP_MEGAFLOW_STATS_LEN = 32;
/** struct ovs_vport_stats: 8 x u64 */
export const OVS_VPORT_STATS_LEN = 64;
/** struct ovs_flow_stats: n_packets, n_bytes (u64) */
export const OVS_FLOW_STATS_LEN = 16;
export const MAX_UFID_LENGTH = 16;
/** net/openvswitch/datapath.h */
export const DP_MAX_PORTS = 0xffff;

// enum ovs_packet_attr continues: 6 and 7 are retired (UNUSED1/2).
export const OVS_PACKET_ATTR_EGRESS_TUN_KEY = 5;
export const OVS_PACKET_ATTR_PROBE = 8;
export const OVS_PACKET_ATTR_MRU = 9;
export const OVS_PACKET_ATTR_LEN = 10;
export const OVS_PACKET_ATTR_HASH = 11;
export const OVS_PACKET_ATTR_UPCALL_PID = 12;
export const OVSP_LOCAL = 0;

// Appended: enum ovs_tunnel_key_attr (v6.18), the nest of OVS_KEY_ATTR_TUNNEL.
export const OVS_TUNNEL_KEY_ATTR_ID = 0;
export const OVS_TUNNEL_KEY_ATTR_IPV4_SRC = 1;
export const OVS_TUNNEL_KEY_ATTR_IPV4_DST = 2;
export const OVS_TUNNEL_KEY_ATTR_TOS = 3;
export const OVS_TUNNEL_KEY_ATTR_TTL = 4;
export const OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT = 5;
export const OVS_TUNNEL_KEY_ATTR_CSUM = 6;
export const OVS_TUNNEL_KEY_ATTR_OAM = 7;
export const OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS = 8;
export const OVS_TUNNEL_KEY_ATTR_TP_SRC = 9;
export const OVS_TUNNEL_KEY_ATTR_TP_DST = 10;
export const OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS = 11;
export const OVS_TUNNEL_KEY_ATTR_IPV6_SRC = 12;
export const OVS_TUNNEL_KEY_ATTR_IPV6_DST = 13;
export const OVS_TUNNEL_KEY_ATTR_PAD = 14;
export const OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS = 15;
export const OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE = 16;

// enum ovs_ct_attr
export const OVS_CT_ATTR_UNSPEC = 0;
export const OVS_CT_ATTR_COMMIT = 1;
export const OVS_CT_ATTR_ZONE = 2;
export const OVS_CT_ATTR_MARK = 3;
export const OVS_CT_ATTR_LABELS = 4;
export const OVS_CT_ATTR_HELPER = 5;
export const OVS_CT_ATTR_NAT = 6;
export const OVS_CT_ATTR_FORCE_COMMIT = 7;
export const OVS_CT_ATTR_EVENTMASK = 8;
export const OVS_CT_ATTR_TIMEOUT = 9;

// enum ovs_nat_attr
export const OVS_NAT_ATTR_UNSPEC = 0;
export const OVS_NAT_ATTR_SRC = 1;
export const OVS_NAT_ATTR_DST = 2;
export const OVS_NAT_ATTR_IP_MIN = 3;
export const OVS_NAT_ATTR_IP_MAX = 4;
export const OVS_NAT_ATTR_PROTO_MIN = 5;
export const OVS_NAT_ATTR_PROTO_MAX = 6;
export const OVS_NAT_ATTR_PERSISTENT = 7;
export const OVS_NAT_ATTR_PROTO_HASH = 8;
export const OVS_NAT_ATTR_PROTO_RANDOM = 9;

/** sizeof(struct ovs_action_push_mpls): be32 mpls_lse, be16 mpls_ethertype, padded. */
export const OVS_ACTION_PUSH_MPLS_LEN = 8;
