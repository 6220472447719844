// include/uapi/linux/pkt_cls.h (v6.18)

// TCA_CLS_FLAGS_*: flower's TCA_FLOWER_FLAGS bits
export const TCA_CLS_FLAGS_SKIP_HW = 1 << 0;
export const TCA_CLS_FLAGS_SKIP_SW = 1 << 1;
export const TCA_CLS_FLAGS_IN_HW = 1 << 2;
export const TCA_CLS_FLAGS_NOT_IN_HW = 1 << 3;
export const TCA_CLS_FLAGS_VERBOSE = 1 << 4;

// Actions inside a classifier (TCA_ACT_*)
export const TCA_ACT_MAX_PRIO = 32;
export const TCA_ACT_UNSPEC = 0;
export const TCA_ACT_KIND = 1;
export const TCA_ACT_OPTIONS = 2;
export const TCA_ACT_INDEX = 3;
export const TCA_ACT_STATS = 4;
export const TCA_ACT_PAD = 5;
export const TCA_ACT_COOKIE = 6;
export const TCA_ACT_FLAGS = 7;
export const TCA_ACT_HW_STATS = 8;
export const TCA_ACT_USED_HW_STATS = 9;
export const TCA_ACT_IN_HW_COUNT = 10;

export const TCA_ACT_FLAGS_NO_PERCPU_STATS = 1 << 0;
export const TCA_ACT_FLAGS_SKIP_HW = 1 << 1;
export const TCA_ACT_FLAGS_SKIP_SW = 1 << 2;
// kernel-internal flags handed to ->change (include/net/act_api.h)
export const TCA_ACT_FLAGS_POLICE = 1 << 16;
export const TCA_ACT_FLAGS_BIND = 1 << 17;
export const TCA_ACT_FLAGS_REPLACE = 1 << 18;
export const TCA_ACT_FLAGS_NO_RTNL = 1 << 19;
export const TCA_ACT_FLAGS_AT_INGRESS = 1 << 20;
export const TCA_ACT_FLAGS_AT_INGRESS_OR_CLSACT = 1 << 21;

export const TCA_ACT_HW_STATS_IMMEDIATE = 1 << 0;
export const TCA_ACT_HW_STATS_DELAYED = 1 << 1;

// Verdicts (include/uapi/linux/pkt_cls.h)
export const TC_ACT_UNSPEC = -1;
export const TC_ACT_OK = 0;
export const TC_ACT_RECLASSIFY = 1;
export const TC_ACT_SHOT = 2;
export const TC_ACT_PIPE = 3;
export const TC_ACT_STOLEN = 4;
export const TC_ACT_QUEUED = 5;
export const TC_ACT_REPEAT = 6;
export const TC_ACT_REDIRECT = 7;
export const TC_ACT_TRAP = 8;
export const TC_ACT_EXT_SHIFT = 28;
export const TC_ACT_EXT_VAL_MASK = 0x0fffffff;
export const TC_ACT_JUMP = 1 << TC_ACT_EXT_SHIFT;
export const TC_ACT_GOTO_CHAIN = 2 << TC_ACT_EXT_SHIFT;

// enum TCA_FLOWER_* (flower classifier attributes)
export const TCA_FLOWER_UNSPEC = 0;
export const TCA_FLOWER_CLASSID = 1;
export const TCA_FLOWER_INDEV = 2;
export const TCA_FLOWER_ACT = 3;
export const TCA_FLOWER_KEY_ETH_DST = 4;
export const TCA_FLOWER_KEY_ETH_DST_MASK = 5;
export const TCA_FLOWER_KEY_ETH_SRC = 6;
export const TCA_FLOWER_KEY_ETH_SRC_MASK = 7;
export const TCA_FLOWER_KEY_ETH_TYPE = 8;
export const TCA_FLOWER_KEY_IP_PROTO = 9;
export const TCA_FLOWER_KEY_IPV4_SRC = 10;
export const TCA_FLOWER_KEY_IPV4_SRC_MASK = 11;
export const TCA_FLOWER_KEY_IPV4_DST = 12;
export const TCA_FLOWER_KEY_IPV4_DST_MASK = 13;
export const TCA_FLOWER_KEY_IPV6_SRC = 14;
export const TCA_FLOWER_KEY_IPV6_SRC_MASK = 15;
export const TCA_FLOWER_KEY_IPV6_DST = 16;
export const TCA_FLOWER_KEY_IPV6_DST_MASK = 17;
export const TCA_FLOWER_KEY_TCP_SRC = 18;
export const TCA_FLOWER_KEY_TCP_DST = 19;
export const TCA_FLOWER_KEY_UDP_SRC = 20;
export const TCA_FLOWER_KEY_UDP_DST = 21;
export const TCA_FLOWER_FLAGS = 22;
export const TCA_FLOWER_KEY_VLAN_ID = 23;
export const TCA_FLOWER_KEY_VLAN_PRIO = 24;
export const TCA_FLOWER_KEY_VLAN_ETH_TYPE = 25;
export const TCA_FLOWER_KEY_ENC_KEY_ID = 26;
export const TCA_FLOWER_KEY_ENC_IPV4_SRC = 27;
export const TCA_FLOWER_KEY_ENC_IPV4_SRC_MASK = 28;
export const TCA_FLOWER_KEY_ENC_IPV4_DST = 29;
export const TCA_FLOWER_KEY_ENC_IPV4_DST_MASK = 30;
export const TCA_FLOWER_KEY_ENC_IPV6_SRC = 31;
export const TCA_FLOWER_KEY_ENC_IPV6_SRC_MASK = 32;
export const TCA_FLOWER_KEY_ENC_IPV6_DST = 33;
export const TCA_FLOWER_KEY_ENC_IPV6_DST_MASK = 34;
export const TCA_FLOWER_KEY_TCP_SRC_MASK = 35;
export const TCA_FLOWER_KEY_TCP_DST_MASK = 36;
export const TCA_FLOWER_KEY_UDP_SRC_MASK = 37;
export const TCA_FLOWER_KEY_UDP_DST_MASK = 38;
export const TCA_FLOWER_KEY_SCTP_SRC_MASK = 39;
export const TCA_FLOWER_KEY_SCTP_DST_MASK = 40;
export const TCA_FLOWER_KEY_SCTP_SRC = 41;
export const TCA_FLOWER_KEY_SCTP_DST = 42;
export const TCA_FLOWER_KEY_ENC_UDP_SRC_PORT = 43;
export const TCA_FLOWER_KEY_ENC_UDP_SRC_PORT_MASK = 44;
export const TCA_FLOWER_KEY_ENC_UDP_DST_PORT = 45;
export const TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK = 46;
export const TCA_FLOWER_KEY_FLAGS = 47;
export const TCA_FLOWER_KEY_FLAGS_MASK = 48;
export const TCA_FLOWER_KEY_ICMPV4_CODE = 49;
export const TCA_FLOWER_KEY_ICMPV4_CODE_MASK = 50;
export const TCA_FLOWER_KEY_ICMPV4_TYPE = 51;
export const TCA_FLOWER_KEY_ICMPV4_TYPE_MASK = 52;
export const TCA_FLOWER_KEY_ICMPV6_CODE = 53;
export const TCA_FLOWER_KEY_ICMPV6_CODE_MASK = 54;
export const TCA_FLOWER_KEY_ICMPV6_TYPE = 55;
export const TCA_FLOWER_KEY_ICMPV6_TYPE_MASK = 56;
export const TCA_FLOWER_KEY_ARP_SIP = 57;
export const TCA_FLOWER_KEY_ARP_SIP_MASK = 58;
export const TCA_FLOWER_KEY_ARP_TIP = 59;
export const TCA_FLOWER_KEY_ARP_TIP_MASK = 60;
export const TCA_FLOWER_KEY_ARP_OP = 61;
export const TCA_FLOWER_KEY_ARP_OP_MASK = 62;
export const TCA_FLOWER_KEY_ARP_SHA = 63;
export const TCA_FLOWER_KEY_ARP_SHA_MASK = 64;
export const TCA_FLOWER_KEY_ARP_THA = 65;
export const TCA_FLOWER_KEY_ARP_THA_MASK = 66;
export const TCA_FLOWER_KEY_MPLS_TTL = 67;
export const TCA_FLOWER_KEY_MPLS_BOS = 68;
export const TCA_FLOWER_KEY_MPLS_TC = 69;
export const TCA_FLOWER_KEY_MPLS_LABEL = 70;
export const TCA_FLOWER_KEY_TCP_FLAGS = 71;
export const TCA_FLOWER_KEY_TCP_FLAGS_MASK = 72;
export const TCA_FLOWER_KEY_IP_TOS = 73;
export const TCA_FLOWER_KEY_IP_TOS_MASK = 74;
export const TCA_FLOWER_KEY_IP_TTL = 75;
export const TCA_FLOWER_KEY_IP_TTL_MASK = 76;
export const TCA_FLOWER_KEY_CVLAN_ID = 77;
export const TCA_FLOWER_KEY_CVLAN_PRIO = 78;
export const TCA_FLOWER_KEY_CVLAN_ETH_TYPE = 79;
export const TCA_FLOWER_KEY_ENC_IP_TOS = 80;
export const TCA_FLOWER_KEY_ENC_IP_TOS_MASK = 81;
export const TCA_FLOWER_KEY_ENC_IP_TTL = 82;
export const TCA_FLOWER_KEY_ENC_IP_TTL_MASK = 83;
export const TCA_FLOWER_KEY_ENC_OPTS = 84;
export const TCA_FLOWER_KEY_ENC_OPTS_MASK = 85;
export const TCA_FLOWER_IN_HW_COUNT = 86;
export const TCA_FLOWER_KEY_PORT_SRC_MIN = 87;
export const TCA_FLOWER_KEY_PORT_SRC_MAX = 88;
export const TCA_FLOWER_KEY_PORT_DST_MIN = 89;
export const TCA_FLOWER_KEY_PORT_DST_MAX = 90;
export const TCA_FLOWER_KEY_CT_STATE = 91;
export const TCA_FLOWER_KEY_CT_STATE_MASK = 92;
export const TCA_FLOWER_KEY_CT_ZONE = 93;
export const TCA_FLOWER_KEY_CT_ZONE_MASK = 94;
export const TCA_FLOWER_KEY_CT_MARK = 95;
export const TCA_FLOWER_KEY_CT_MARK_MASK = 96;
export const TCA_FLOWER_KEY_CT_LABELS = 97;
export const TCA_FLOWER_KEY_CT_LABELS_MASK = 98;
export const TCA_FLOWER_KEY_MPLS_OPTS = 99;
export const TCA_FLOWER_KEY_HASH = 100;
export const TCA_FLOWER_KEY_HASH_MASK = 101;
export const TCA_FLOWER_KEY_NUM_OF_VLANS = 102;
export const TCA_FLOWER_KEY_PPPOE_SID = 103;
export const TCA_FLOWER_KEY_PPP_PROTO = 104;
export const TCA_FLOWER_KEY_L2TPV3_SID = 105;
export const TCA_FLOWER_L2_MISS = 106;
export const TCA_FLOWER_KEY_CFM = 107;
export const TCA_FLOWER_KEY_SPI = 108;
export const TCA_FLOWER_KEY_SPI_MASK = 109;
export const TCA_FLOWER_KEY_ENC_FLAGS = 110;
export const TCA_FLOWER_KEY_ENC_FLAGS_MASK = 111;
export const TCA_FLOWER_MAX = 111;

export const TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT = 1 << 0;
export const TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST = 1 << 1;

// Appended (include/uapi/linux/pkt_cls.h v6.18)
export const TCA_ACT_MAX = 10;
export const TCA_ACT_HW_STATS_ANY = TCA_ACT_HW_STATS_IMMEDIATE | TCA_ACT_HW_STATS_DELAYED;
export const TC_COOKIE_MAX_SIZE = 16;
export const TCA_FLOWER_KEY_FLAGS_TUNNEL_CSUM = 1 << 2;
export const TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT = 1 << 3;
export const TCA_FLOWER_KEY_FLAGS_TUNNEL_OAM = 1 << 4;
export const TCA_FLOWER_KEY_FLAGS_TUNNEL_CRIT_OPT = 1 << 5;
export const TCA_FLOWER_KEY_FLAGS_POLICY_MASK = TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT | TCA_FLOWER_KEY_FLAGS_FRAG_IS_FIRST;
export const TCA_FLOWER_KEY_ENC_FLAGS_POLICY_MASK = TCA_FLOWER_KEY_FLAGS_TUNNEL_CSUM | TCA_FLOWER_KEY_FLAGS_TUNNEL_DONT_FRAGMENT |
  TCA_FLOWER_KEY_FLAGS_TUNNEL_OAM | TCA_FLOWER_KEY_FLAGS_TUNNEL_CRIT_OPT;
export const TCA_FLOWER_KEY_CT_FLAGS_NEW = 1 << 0;
export const TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED = 1 << 1;
export const TCA_FLOWER_KEY_CT_FLAGS_RELATED = 1 << 2;
export const TCA_FLOWER_KEY_CT_FLAGS_TRACKED = 1 << 3;
export const TCA_FLOWER_KEY_CT_FLAGS_INVALID = 1 << 4;
export const TCA_FLOWER_KEY_CT_FLAGS_REPLY = 1 << 5;
export const TCA_FLOWER_KEY_CT_FLAGS_MASK = (1 << 6) - 1;
// struct tc_gen offsets (index, capab, action, refcnt, bindcnt)
export const TC_GEN_LEN = 20;

// Appended: TCA_FLOWER_KEY_ENC_OPTS nest types and the geneve option attributes (v6.18)
export const TCA_FLOWER_KEY_ENC_OPTS_GENEVE = 1;
export const TCA_FLOWER_KEY_ENC_OPTS_VXLAN = 2;
export const TCA_FLOWER_KEY_ENC_OPTS_ERSPAN = 3;
export const TCA_FLOWER_KEY_ENC_OPTS_GTP = 4;
export const TCA_FLOWER_KEY_ENC_OPTS_PFCP = 5;
export const TCA_FLOWER_KEY_ENC_OPTS_MAX = TCA_FLOWER_KEY_ENC_OPTS_PFCP;
export const TCA_FLOWER_KEY_ENC_OPT_GENEVE_CLASS = 1;
export const TCA_FLOWER_KEY_ENC_OPT_GENEVE_TYPE = 2;
export const TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA = 3;
export const TCA_FLOWER_KEY_ENC_OPT_GENEVE_MAX = TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA;

// Appended: TCA_FLOWER_KEY_MPLS_OPTS nest (include/uapi/linux/pkt_cls.h)
export const TCA_FLOWER_KEY_MPLS_OPTS_LSE = 1;
export const TCA_FLOWER_KEY_MPLS_OPTS_MAX = 1;
export const TCA_FLOWER_KEY_MPLS_OPT_LSE_DEPTH = 1;
export const TCA_FLOWER_KEY_MPLS_OPT_LSE_TTL = 2;
export const TCA_FLOWER_KEY_MPLS_OPT_LSE_BOS = 3;
export const TCA_FLOWER_KEY_MPLS_OPT_LSE_TC = 4;
export const TCA_FLOWER_KEY_MPLS_OPT_LSE_LABEL = 5;
export const TCA_FLOWER_KEY_MPLS_OPT_LSE_MAX = 5;

// Appended: the vxlan / erspan / gtp / pfcp option nests of TCA_FLOWER_KEY_ENC_OPTS (v6.18)
export const TCA_FLOWER_KEY_ENC_OPTS_UNSPEC = 0;
export const TCA_FLOWER_KEY_ENC_OPT_VXLAN_GBP = 1;
export const TCA_FLOWER_KEY_ENC_OPT_VXLAN_MAX = 1;
export const TCA_FLOWER_KEY_ENC_OPT_ERSPAN_VER = 1;
export const TCA_FLOWER_KEY_ENC_OPT_ERSPAN_INDEX = 2;
export const TCA_FLOWER_KEY_ENC_OPT_ERSPAN_DIR = 3;
export const TCA_FLOWER_KEY_ENC_OPT_ERSPAN_HWID = 4;
export const TCA_FLOWER_KEY_ENC_OPT_ERSPAN_MAX = 4;
export const TCA_FLOWER_KEY_ENC_OPT_GTP_PDU_TYPE = 1;
export const TCA_FLOWER_KEY_ENC_OPT_GTP_QFI = 2;
export const TCA_FLOWER_KEY_ENC_OPT_GTP_MAX = 2;
export const TCA_FLOWER_KEY_ENC_OPT_PFCP_TYPE = 1;
export const TCA_FLOWER_KEY_ENC_OPT_PFCP_SEID = 2;
export const TCA_FLOWER_KEY_ENC_OPT_PFCP_MAX = 2;
