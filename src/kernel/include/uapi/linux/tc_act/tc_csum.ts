// include/uapi/linux/tc_act/tc_csum.h (v6.18).
// struct tc_csum = tc_gen (20 B) + u32 update_flags (24 B). Note PARMS is 1.
export const TCA_CSUM_PARMS = 1;
export const TCA_CSUM_TM = 2;
export const TCA_CSUM_PAD = 3;
export const TCA_CSUM_UPDATE_FLAG_IPV4HDR = 1;
export const TCA_CSUM_UPDATE_FLAG_ICMP = 2;
export const TCA_CSUM_UPDATE_FLAG_IGMP = 4;
export const TCA_CSUM_UPDATE_FLAG_TCP = 8;
export const TCA_CSUM_UPDATE_FLAG_UDP = 16;
export const TCA_CSUM_UPDATE_FLAG_UDPLITE = 32;
export const TCA_CSUM_UPDATE_FLAG_SCTP = 64;
export const TC_CSUM_PARMS_LEN = 24;
export const TCA_CSUM_MAX = TCA_CSUM_PAD;
