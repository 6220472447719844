// steering/sws/dr_types.h mlx5dr_err: mlx5_core_err on the domain's device,
// "<func>:<line>:(pid N): <text>"; callers give the line of the call in the
// pinned v6.18 file.
import type { Mlx5drDomain } from './dr_types';
import type { Mlx5CoreDev } from '../../mlx5_core';

/** mlx5_core_err (core/mlx5_core.h): dev_err with the function name and pid. */
export function mlx5_core_err(dev: Mlx5CoreDev, func: string, line: number, text: string): void {
  dev.net.printk('err', `${dev.device}: ${func}:${line}:(pid ${dev.drv.pid}): ${text}`);
}

/** mlx5dr_err (steering/sws/dr_types.h) */
export function mlx5dr_err(dmn: Mlx5drDomain, func: string, line: number, text: string): void {
  mlx5_core_err(dmn.mdev, func, line, text);
}
