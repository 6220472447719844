// include/uapi/linux/tc_act/tc_pedit.h (v6.18).
// struct tc_pedit_sel = tc_gen (20 B) + u8 nkeys + u8 flags (+2 pad) = 24 B,
// followed by nkeys × struct tc_pedit_key {mask, val, off, at, offmask, shift} (24 B).
export const TCA_PEDIT_TM = 1;
export const TCA_PEDIT_PARMS = 2;
export const TCA_PEDIT_PAD = 3;
export const TCA_PEDIT_PARMS_EX = 4;
export const TCA_PEDIT_KEYS_EX = 5;
export const TCA_PEDIT_KEY_EX = 6;
export const TCA_PEDIT_KEY_EX_HTYPE = 1;
export const TCA_PEDIT_KEY_EX_CMD = 2;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK = 0;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_ETH = 1;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 = 2;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_IP6 = 3;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_TCP = 4;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_UDP = 5;
export const TCA_PEDIT_KEY_EX_CMD_SET = 0;
export const TCA_PEDIT_KEY_EX_CMD_ADD = 1;
export const TC_PEDIT_SEL_LEN = 24;
export const TC_PEDIT_KEY_LEN = 24;
export const TCA_PEDIT_MAX = TCA_PEDIT_KEY_EX;
export const TCA_PEDIT_KEY_EX_MAX = TCA_PEDIT_KEY_EX_CMD;
export const TCA_PEDIT_KEY_EX_HDR_TYPE_MAX = TCA_PEDIT_KEY_EX_HDR_TYPE_UDP;
export const TCA_PEDIT_KEY_EX_CMD_MAX = TCA_PEDIT_KEY_EX_CMD_ADD;
