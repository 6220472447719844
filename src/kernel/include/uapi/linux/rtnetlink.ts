// include/uapi/linux/rtnetlink.h (v6.18)
export const RTM_BASE = 16;
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_SETLINK = 19;
export const RTM_NEWQDISC = 36;
export const RTM_DELQDISC = 37;
export const RTM_GETQDISC = 38;
export const RTM_NEWTCLASS = 40;
export const RTM_NEWTFILTER = 44;
export const RTM_DELTFILTER = 45;
export const RTM_GETTFILTER = 46;
export const RTM_NEWACTION = 48;
export const RTM_DELACTION = 49;
export const RTM_GETACTION = 50;
export const RTM_NEWCHAIN = 100;
export const RTM_DELCHAIN = 101;
export const RTM_GETCHAIN = 102;
export const RTM_MAX = 123;

export const RTNLGRP_TC = 4;

// kinds: msgtype & 3 after subtracting RTM_BASE (include/net/rtnetlink.h)
export const RTNL_KIND_NEW = 0;
export const RTNL_KIND_DEL = 1;
export const RTNL_KIND_GET = 2;
export const RTNL_KIND_SET = 3;

// IFLA_* (include/uapi/linux/if_link.h), the ones tc's link lookup uses
export const IFLA_IFNAME = 3;
export const IFLA_EXT_MASK = 29;
export const RTEXT_FILTER_VF = 1 << 0;

// Appended (include/uapi/linux/rtnetlink.h, if_link.h v6.18)
export const IFLA_ADDRESS = 1;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_OPERSTATE = 16;
export const IFLA_ALT_IFNAME = 53;
export const IFLA_MAX = 66;
export const AF_UNSPEC = 0;
export const PF_UNSPEC = 0;
export const RTNLGRP_LINK = 1;
export const ARPHRD_ETHER = 1;
export const ARPHRD_LOOPBACK = 772;
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_MULTICAST = 0x1000;
// Appended: link creation (include/uapi/linux/if_link.h, veth.h v6.18)
export const IFLA_LINKINFO = 18;
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_INFO_MAX = 6;
export const VETH_INFO_PEER = 1;
export const VETH_INFO_MAX = 1;
// Appended: addresses, routes, neighbours (include/uapi/linux/rtnetlink.h,
// if_addr.h, neighbour.h v6.18)
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const RTM_NEWNEIGH = 28;
export const RTM_DELNEIGH = 29;
export const RTM_GETNEIGH = 30;
export const PF_INET = 2;
/** enum rtattr_type_t */
export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_IIF = 3;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_TABLE = 15;
export const RTA_MAX = 31;
/** rtm_type */
export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_UNREACHABLE = 7;
/** rtm_protocol / rtm_scope / rtm_table */
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;
/** IFA_* (if_addr.h) */
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_MAX = 12;
/** NDA_* and NUD_* (neighbour.h) */
export const NDA_DST = 1;
export const NDA_LLADDR = 2;
export const NDA_MAX = 15;
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;
export const NUD_NONE = 0x00;

// include/uapi/linux/rtnetlink.h: struct tcamsg (family, pad1, pad2) and its attributes.
export const TCAMSG_LEN = 4;
export const TCA_ROOT_UNSPEC = 0;
export const TCA_ROOT_TAB = 1;
export const TCA_ACT_TAB = TCA_ROOT_TAB;
export const TCA_ROOT_FLAGS = 2;
export const TCA_ROOT_COUNT = 3;
export const TCA_ROOT_TIME_DELTA = 4;
export const TCA_ROOT_EXT_WARN_MSG = 5;
export const TCA_ROOT_MAX = 5;
export const TCA_ACT_FLAG_LARGE_DUMP_ON = 1 << 0;
export const TCA_ACT_FLAG_TERSE_DUMP = 1 << 1;
