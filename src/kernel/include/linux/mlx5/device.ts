// include/linux/mlx5/device.h: command status codes and the match-criteria
// enable bits shared by the mlx5 driver and the (emulated) firmware.

/** Command outbox status byte (enum MLX5_CMD_STAT_*). */
export const MLX5_CMD_STAT_OK = 0x0;
export const MLX5_CMD_STAT_INT_ERR = 0x1;
export const MLX5_CMD_STAT_BAD_OP_ERR = 0x2;
export const MLX5_CMD_STAT_BAD_PARAM_ERR = 0x3;
export const MLX5_CMD_STAT_BAD_SYS_STATE_ERR = 0x4;
export const MLX5_CMD_STAT_BAD_RES_ERR = 0x5;
export const MLX5_CMD_STAT_RES_BUSY = 0x6;
export const MLX5_CMD_STAT_NOT_READY = 0x7;
export const MLX5_CMD_STAT_LIM_ERR = 0x8;
export const MLX5_CMD_STAT_BAD_RES_STATE_ERR = 0x9;
export const MLX5_CMD_STAT_IX_ERR = 0xa;
export const MLX5_CMD_STAT_NO_RES_ERR = 0xf;
export const MLX5_CMD_STAT_BAD_QP_STATE_ERR = 0x10;
export const MLX5_CMD_STAT_BAD_PKT_ERR = 0x30;
export const MLX5_CMD_STAT_BAD_SIZE_OUTS_CQES_ERR = 0x40;
export const MLX5_CMD_STAT_BAD_INP_LEN_ERR = 0x50;
export const MLX5_CMD_STAT_BAD_OUTP_LEN_ERR = 0x51;

/** match_criteria_enable bits (enum MLX5_MATCH_*). */
export const MLX5_MATCH_OUTER_HEADERS = 1 << 0;
export const MLX5_MATCH_MISC_PARAMETERS = 1 << 1;
export const MLX5_MATCH_INNER_HEADERS = 1 << 2;
export const MLX5_MATCH_MISC_PARAMETERS_2 = 1 << 3;
export const MLX5_MATCH_MISC_PARAMETERS_3 = 1 << 4;

/** include/linux/mlx5/vport.h: the uplink's vport number. */
export const MLX5_VPORT_PF = 0x0;
export const MLX5_VPORT_UPLINK = 0xffff;

/** enum mlx5_flex_parser_protos (flex_parser_protocols cap bits). */
export const MLX5_FLEX_PROTO_ICMP = 1 << 8;
export const MLX5_FLEX_PROTO_ICMPV6 = 1 << 9;
