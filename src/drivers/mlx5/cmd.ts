// core/cmd.c: the command interface. mlx5_cmd_exec hands the inbox to the
// firmware and turns a non-OK outbox status into an errno, logging the
// mlx5_cmd_out_err line (rate limiting is not modelled).
import { hop } from '../../trace/hop';
import {
  EBUSY, EAGAIN, EINVAL, EIO, ENOMEM, type NegErrno,
} from '../../kernel/include/uapi/asm-generic/errno';
import {
  MLX5_CMD_STAT_OK, MLX5_CMD_STAT_INT_ERR, MLX5_CMD_STAT_BAD_OP_ERR, MLX5_CMD_STAT_BAD_PARAM_ERR,
  MLX5_CMD_STAT_BAD_SYS_STATE_ERR, MLX5_CMD_STAT_BAD_RES_ERR, MLX5_CMD_STAT_RES_BUSY, MLX5_CMD_STAT_NOT_READY,
  MLX5_CMD_STAT_LIM_ERR, MLX5_CMD_STAT_BAD_RES_STATE_ERR, MLX5_CMD_STAT_IX_ERR, MLX5_CMD_STAT_NO_RES_ERR,
  MLX5_CMD_STAT_BAD_QP_STATE_ERR, MLX5_CMD_STAT_BAD_PKT_ERR, MLX5_CMD_STAT_BAD_SIZE_OUTS_CQES_ERR,
  MLX5_CMD_STAT_BAD_INP_LEN_ERR, MLX5_CMD_STAT_BAD_OUTP_LEN_ERR,
} from '../../kernel/include/linux/mlx5/device';
import { mlx5_command_str, type Mlx5CmdIn, type Mlx5CmdOut } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5CoreDev } from './mlx5_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/cmd.c';

/** cmd_status_str() (core/cmd.c, v6.18) */
export function cmd_status_str(status: number): string {
  switch (status) {
    case MLX5_CMD_STAT_OK: return 'OK';
    case MLX5_CMD_STAT_INT_ERR: return 'internal error';
    case MLX5_CMD_STAT_BAD_OP_ERR: return 'bad operation';
    case MLX5_CMD_STAT_BAD_PARAM_ERR: return 'bad parameter';
    case MLX5_CMD_STAT_BAD_SYS_STATE_ERR: return 'bad system state';
    case MLX5_CMD_STAT_BAD_RES_ERR: return 'bad resource';
    case MLX5_CMD_STAT_RES_BUSY: return 'resource busy';
    case MLX5_CMD_STAT_NOT_READY: return 'FW not ready';
    case MLX5_CMD_STAT_LIM_ERR: return 'limits exceeded';
    case MLX5_CMD_STAT_BAD_RES_STATE_ERR: return 'bad resource state';
    case MLX5_CMD_STAT_IX_ERR: return 'bad index';
    case MLX5_CMD_STAT_NO_RES_ERR: return 'no resources';
    case MLX5_CMD_STAT_BAD_INP_LEN_ERR: return 'bad input length';
    case MLX5_CMD_STAT_BAD_OUTP_LEN_ERR: return 'bad output length';
    case MLX5_CMD_STAT_BAD_QP_STATE_ERR: return 'bad QP state';
    case MLX5_CMD_STAT_BAD_PKT_ERR: return 'bad packet (discarded)';
    case MLX5_CMD_STAT_BAD_SIZE_OUTS_CQES_ERR: return 'bad size too many outstanding CQEs';
    default: return 'unknown status';
  }
}

/** cmd_status_to_err() (core/cmd.c, v6.18) */
export function cmd_status_to_err(status: number): 0 | NegErrno {
  switch (status) {
    case MLX5_CMD_STAT_OK: return 0;
    case MLX5_CMD_STAT_INT_ERR: return -EIO;
    case MLX5_CMD_STAT_BAD_OP_ERR: return -EINVAL;
    case MLX5_CMD_STAT_BAD_PARAM_ERR: return -EINVAL;
    case MLX5_CMD_STAT_BAD_SYS_STATE_ERR: return -EIO;
    case MLX5_CMD_STAT_BAD_RES_ERR: return -EINVAL;
    case MLX5_CMD_STAT_RES_BUSY: return -EBUSY;
    case MLX5_CMD_STAT_NOT_READY: return -EAGAIN;
    case MLX5_CMD_STAT_LIM_ERR: return -ENOMEM;
    case MLX5_CMD_STAT_BAD_RES_STATE_ERR: return -EINVAL;
    case MLX5_CMD_STAT_IX_ERR: return -EINVAL;
    case MLX5_CMD_STAT_NO_RES_ERR: return -EAGAIN;
    case MLX5_CMD_STAT_BAD_INP_LEN_ERR: return -EIO;
    case MLX5_CMD_STAT_BAD_OUTP_LEN_ERR: return -EIO;
    case MLX5_CMD_STAT_BAD_QP_STATE_ERR: return -EINVAL;
    case MLX5_CMD_STAT_BAD_PKT_ERR: return -EINVAL;
    case MLX5_CMD_STAT_BAD_SIZE_OUTS_CQES_ERR: return -EINVAL;
    default: return -EIO;
  }
}

/**
 * mlx5_cmd_out_err (core/cmd.c, v6.18): logged via mlx5_core_err_rl, whose
 * prefix is "<func>:<line>:(pid N): " after the dev_err device prefix. The
 * line number is that of the call in the pinned cmd.c.
 */
export const mlx5_cmd_out_err = hop(FILE, function mlx5_cmd_out_err(dev: Mlx5CoreDev, opcode: number, op_mod: number, out: Mlx5CmdOut): void {
  dev.net.printk('err', `${dev.device}: mlx5_cmd_out_err:820:(pid ${dev.drv.pid}): `
    + `${mlx5_command_str(opcode)}(0x${opcode.toString(16)}) op_mod(0x${op_mod.toString(16)}) failed, `
    + `status ${cmd_status_str(out.status)}(0x${out.status.toString(16)}), syndrome (0x${out.syndrome.toString(16)}), `
    + `err(${cmd_status_to_err(out.status)})`);
});

/**
 * mlx5_cmd_check (core/cmd.c, v6.18): status → errno; the failure is printed
 * unless the command carries a uid, or the status is NOT_READY.
 */
export const mlx5_cmd_check = hop(FILE, function mlx5_cmd_check(dev: Mlx5CoreDev, inbox: Mlx5CmdIn, out: Mlx5CmdOut): 0 | NegErrno {
  const err = cmd_status_to_err(out.status);
  if (err && !inbox.uid && out.status !== MLX5_CMD_STAT_NOT_READY) mlx5_cmd_out_err(dev, inbox.opcode, inbox.op_mod, out);
  return err;
});

export interface Mlx5CmdResult {
  err: 0 | NegErrno;
  out: Mlx5CmdOut;
}

/** mlx5_cmd_exec (core/cmd.c, v6.18): deliver, then mlx5_cmd_check. */
export const mlx5_cmd_exec = hop(FILE, function mlx5_cmd_exec(dev: Mlx5CoreDev, inbox: Mlx5CmdIn): Mlx5CmdResult {
  const out = dev.fw.exec(inbox);
  return { err: mlx5_cmd_check(dev, inbox, out), out };
}, { input: (_d, i) => mlx5_command_str(i.opcode) });
