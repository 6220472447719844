// include/uapi/linux/genetlink.h (v6.18)
export const GENL_ID_CTRL = 0x10; // NLMSG_MIN_TYPE
export const GENL_START_ALLOC = GENL_ID_CTRL + 3; // first dynamically allocated family id
export const CTRL_CMD_UNSPEC = 0;
export const CTRL_CMD_NEWFAMILY = 1;
export const CTRL_CMD_DELFAMILY = 2;
export const CTRL_CMD_GETFAMILY = 3;
export const CTRL_ATTR_UNSPEC = 0;
export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
export const CTRL_ATTR_VERSION = 3;
