// include/uapi/linux/tc_act/tc_gact.h (v6.18). struct tc_gact = tc_gen (20 B).
export const TCA_GACT_UNSPEC = 0;
export const TCA_GACT_TM = 1;
export const TCA_GACT_PARMS = 2;
export const TCA_GACT_PROB = 3;
export const TCA_GACT_PAD = 4;
export const TC_GACT_PARMS_LEN = 20;
export const TCA_GACT_MAX = TCA_GACT_PAD;
