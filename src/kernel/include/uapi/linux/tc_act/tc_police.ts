// include/uapi/linux/tc_act/tc_police.h (v6.18).
// as vendored by iproute2 v6.1.0.
// struct tc_ratespec (12 B): u8 cell_log, u8 linklayer, u16 overhead, s16 cell_align, u16 mpu, u32 rate.
// struct tc_police (56 B): u32 index, s32 action, u32 limit, u32 burst, u32 mtu,
//   tc_ratespec rate @20, tc_ratespec peakrate @32, s32 refcnt @44, s32 bindcnt @48, u32 capab @52.
export const TCA_POLICE_TBF = 1;
export const TCA_POLICE_RATE = 2;
export const TCA_POLICE_PEAKRATE = 3;
export const TCA_POLICE_AVRATE = 4;
export const TCA_POLICE_RESULT = 5;
export const TCA_POLICE_TM = 6;
export const TCA_POLICE_PAD = 7;
export const TCA_POLICE_RATE64 = 8;
export const TCA_POLICE_PEAKRATE64 = 9;
export const TCA_POLICE_PKTRATE64 = 10;
export const TCA_POLICE_PKTBURST64 = 11;
export const TC_POLICE_RECLASSIFY = 1;
export const TC_POLICE_LEN = 56;
export const TC_LINKLAYER_MASK = 0x0f;
export const LINKLAYER_UNSPEC = 0;
export const LINKLAYER_ETHERNET = 1;
export const LINKLAYER_ATM = 2;
export const TCA_POLICE_MAX = TCA_POLICE_PKTBURST64;
