// include/uapi/linux/tc_act/tc_tunnel_key.h as vendored by iproute2 v6.1.0.
// struct tc_tunnel_key = tc_gen (20 B) + s32 t_action (24 B).
export const TCA_TUNNEL_KEY_ACT_SET = 1;
export const TCA_TUNNEL_KEY_ACT_RELEASE = 2;
export const TCA_TUNNEL_KEY_TM = 1;
export const TCA_TUNNEL_KEY_PARMS = 2;
export const TCA_TUNNEL_KEY_ENC_IPV4_SRC = 3;
export const TCA_TUNNEL_KEY_ENC_IPV4_DST = 4;
export const TCA_TUNNEL_KEY_ENC_IPV6_SRC = 5;
export const TCA_TUNNEL_KEY_ENC_IPV6_DST = 6;
export const TCA_TUNNEL_KEY_ENC_KEY_ID = 7;
export const TCA_TUNNEL_KEY_PAD = 8;
export const TCA_TUNNEL_KEY_ENC_DST_PORT = 9;
export const TCA_TUNNEL_KEY_NO_CSUM = 10;
export const TCA_TUNNEL_KEY_ENC_OPTS = 11;
export const TCA_TUNNEL_KEY_ENC_TOS = 12;
export const TCA_TUNNEL_KEY_ENC_TTL = 13;
export const TC_TUNNEL_KEY_PARMS_LEN = 24;
