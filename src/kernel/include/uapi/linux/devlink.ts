// include/uapi/linux/devlink.h (v6.18): the generic-netlink family "devlink".
// Values printed by compiling the header.
export const DEVLINK_GENL_NAME = 'devlink';
export const DEVLINK_GENL_VERSION = 0x1;
export const DEVLINK_GENL_MCGRP_CONFIG_NAME = 'config';

export const DEVLINK_CMD_GET = 1;
export const DEVLINK_CMD_SET = 2;
export const DEVLINK_CMD_NEW = 3;
export const DEVLINK_CMD_DEL = 4;
export const DEVLINK_CMD_ESWITCH_GET = 29;
export const DEVLINK_CMD_ESWITCH_SET = 30;
export const DEVLINK_CMD_PARAM_GET = 38;
export const DEVLINK_CMD_PARAM_SET = 39;
export const DEVLINK_CMD_PARAM_NEW = 40;
export const DEVLINK_CMD_PARAM_DEL = 41;
export const DEVLINK_CMD_INFO_GET = 51;
export const DEVLINK_ESWITCH_MODE_LEGACY = 0;
export const DEVLINK_ESWITCH_MODE_SWITCHDEV = 1;
export const DEVLINK_ESWITCH_INLINE_MODE_NONE = 0;
export const DEVLINK_ESWITCH_INLINE_MODE_LINK = 1;
export const DEVLINK_ESWITCH_INLINE_MODE_NETWORK = 2;
export const DEVLINK_ESWITCH_INLINE_MODE_TRANSPORT = 3;
export const DEVLINK_ESWITCH_ENCAP_MODE_NONE = 0;
export const DEVLINK_ESWITCH_ENCAP_MODE_BASIC = 1;
export const DEVLINK_PARAM_CMODE_RUNTIME = 0;
export const DEVLINK_PARAM_CMODE_DRIVERINIT = 1;
export const DEVLINK_PARAM_CMODE_PERMANENT = 2;
export const DEVLINK_PARAM_CMODE_MAX = 2;
export const DEVLINK_VAR_ATTR_TYPE_U8 = 1;
export const DEVLINK_VAR_ATTR_TYPE_U16 = 2;
export const DEVLINK_VAR_ATTR_TYPE_U32 = 3;
export const DEVLINK_VAR_ATTR_TYPE_U64 = 4;
export const DEVLINK_VAR_ATTR_TYPE_STRING = 5;
export const DEVLINK_VAR_ATTR_TYPE_FLAG = 6;
export const DEVLINK_VAR_ATTR_TYPE_NUL_STRING = 10;
export const DEVLINK_VAR_ATTR_TYPE_BINARY = 11;
export const DEVLINK_ATTR_BUS_NAME = 1;
export const DEVLINK_ATTR_DEV_NAME = 2;
export const DEVLINK_ATTR_ESWITCH_MODE = 25;
export const DEVLINK_ATTR_ESWITCH_INLINE_MODE = 26;
export const DEVLINK_ATTR_ESWITCH_ENCAP_MODE = 62;
export const DEVLINK_ATTR_PARAM = 80;
export const DEVLINK_ATTR_PARAM_NAME = 81;
export const DEVLINK_ATTR_PARAM_GENERIC = 82;
export const DEVLINK_ATTR_PARAM_TYPE = 83;
export const DEVLINK_ATTR_PARAM_VALUES_LIST = 84;
export const DEVLINK_ATTR_PARAM_VALUE = 85;
export const DEVLINK_ATTR_PARAM_VALUE_DATA = 86;
export const DEVLINK_ATTR_PARAM_VALUE_CMODE = 87;
export const DEVLINK_ATTR_RELOAD_FAILED = 136;
export const DEVLINK_ATTR_DEV_STATS = 156;
export const DEVLINK_ATTR_NESTED_DEVLINK = 175;
export const DEVLINK_ATTR_MAX = 181;
/** include/net/devlink.h: longest string parameter value, NUL included. */
export const __DEVLINK_PARAM_MAX_STRING_VALUE = 32;

/** enum devlink_param_type (v6.18): aliases of the DEVLINK_VAR_ATTR_TYPE_* values. */
export const DEVLINK_PARAM_TYPE_U8 = DEVLINK_VAR_ATTR_TYPE_U8;
export const DEVLINK_PARAM_TYPE_U16 = DEVLINK_VAR_ATTR_TYPE_U16;
export const DEVLINK_PARAM_TYPE_U32 = DEVLINK_VAR_ATTR_TYPE_U32;
export const DEVLINK_PARAM_TYPE_U64 = DEVLINK_VAR_ATTR_TYPE_U64;
export const DEVLINK_PARAM_TYPE_STRING = DEVLINK_VAR_ATTR_TYPE_STRING;
export const DEVLINK_PARAM_TYPE_BOOL = DEVLINK_VAR_ATTR_TYPE_FLAG;
