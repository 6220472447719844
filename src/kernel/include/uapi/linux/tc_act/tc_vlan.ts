// include/uapi/linux/tc_act/tc_vlan.h (v6.18).
// struct tc_vlan = tc_gen (20 B) + s32 v_action (24 B).
export const TCA_VLAN_ACT_POP = 1;
export const TCA_VLAN_ACT_PUSH = 2;
export const TCA_VLAN_ACT_MODIFY = 3;
export const TCA_VLAN_ACT_POP_ETH = 4;
export const TCA_VLAN_ACT_PUSH_ETH = 5;
export const TCA_VLAN_TM = 1;
export const TCA_VLAN_PARMS = 2;
export const TCA_VLAN_PUSH_VLAN_ID = 3;
export const TCA_VLAN_PUSH_VLAN_PROTOCOL = 4;
export const TCA_VLAN_PAD = 5;
export const TCA_VLAN_PUSH_VLAN_PRIORITY = 6;
export const TCA_VLAN_PUSH_ETH_DST = 7;
export const TCA_VLAN_PUSH_ETH_SRC = 8;
export const TC_VLAN_PARMS_LEN = 24;
export const TCA_VLAN_MAX = TCA_VLAN_PUSH_ETH_SRC;
