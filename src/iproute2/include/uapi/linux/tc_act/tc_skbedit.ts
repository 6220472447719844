// include/uapi/linux/tc_act/tc_skbedit.h as vendored by iproute2 v6.1.0.
// struct tc_skbedit = tc_gen (20 B).
export const SKBEDIT_F_PRIORITY = 0x1;
export const SKBEDIT_F_QUEUE_MAPPING = 0x2;
export const SKBEDIT_F_MARK = 0x4;
export const SKBEDIT_F_PTYPE = 0x8;
export const SKBEDIT_F_MASK = 0x10;
export const SKBEDIT_F_INHERITDSFIELD = 0x20;
export const TCA_SKBEDIT_TM = 1;
export const TCA_SKBEDIT_PARMS = 2;
export const TCA_SKBEDIT_PRIORITY = 3;
export const TCA_SKBEDIT_QUEUE_MAPPING = 4;
export const TCA_SKBEDIT_MARK = 5;
export const TCA_SKBEDIT_PAD = 6;
export const TCA_SKBEDIT_PTYPE = 7;
export const TCA_SKBEDIT_MASK = 8;
export const TCA_SKBEDIT_FLAGS = 9;
export const TC_SKBEDIT_PARMS_LEN = 20;
