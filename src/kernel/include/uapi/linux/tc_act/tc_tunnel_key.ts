// include/uapi/linux/tc_act/tc_tunnel_key.h (v6.18).
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
export const TCA_TUNNEL_KEY_NO_FRAG = 14;
export const TCA_TUNNEL_KEY_MAX = TCA_TUNNEL_KEY_NO_FRAG;
// TCA_TUNNEL_KEY_ENC_OPTS nest types
export const TCA_TUNNEL_KEY_ENC_OPTS_GENEVE = 1;
export const TCA_TUNNEL_KEY_ENC_OPTS_VXLAN = 2;
export const TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN = 3;
export const TCA_TUNNEL_KEY_ENC_OPTS_MAX = TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN;
export const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS = 1;
export const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE = 2;
export const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA = 3;
export const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_MAX = TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA;
// Appended: the vxlan and erspan option nests of TCA_TUNNEL_KEY_ENC_OPTS (v6.18)
export const TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP = 1;
export const TCA_TUNNEL_KEY_ENC_OPT_VXLAN_MAX = TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP;
export const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER = 1;
export const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX = 2;
export const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR = 3;
export const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID = 4;
export const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_MAX = TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID;
