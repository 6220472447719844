// include/uapi/linux/tc_act/tc_sample.h (v6.18).
// struct tc_sample = tc_gen (20 B).
export const TCA_SAMPLE_TM = 1;
export const TCA_SAMPLE_PARMS = 2;
export const TCA_SAMPLE_RATE = 3;
export const TCA_SAMPLE_TRUNC_SIZE = 4;
export const TCA_SAMPLE_PSAMPLE_GROUP = 5;
export const TCA_SAMPLE_PAD = 6;
export const TC_SAMPLE_PARMS_LEN = 20;
export const TCA_SAMPLE_MAX = TCA_SAMPLE_PAD;
