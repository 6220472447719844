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
