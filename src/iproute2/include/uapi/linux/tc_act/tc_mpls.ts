// include/uapi/linux/tc_act/tc_mpls.h as iproute2 v6.1.0 ships it.
// struct tc_mpls = tc_gen (20 B) + s32 m_action (24 B).
export const TCA_MPLS_ACT_POP = 1;
export const TCA_MPLS_ACT_PUSH = 2;
export const TCA_MPLS_ACT_MODIFY = 3;
export const TCA_MPLS_ACT_DEC_TTL = 4;
export const TCA_MPLS_ACT_MAC_PUSH = 5;
export const TCA_MPLS_UNSPEC = 0;
export const TCA_MPLS_TM = 1;
export const TCA_MPLS_PARMS = 2;
export const TCA_MPLS_PAD = 3;
export const TCA_MPLS_PROTO = 4;
export const TCA_MPLS_LABEL = 5;
export const TCA_MPLS_TC = 6;
export const TCA_MPLS_TTL = 7;
export const TCA_MPLS_BOS = 8;
export const TCA_MPLS_MAX = TCA_MPLS_BOS;
export const TC_MPLS_PARMS_LEN = 24;
