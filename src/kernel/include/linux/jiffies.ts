// include/linux/jiffies.h: the tick counter. Each emulated host injects its
// own clock (milliseconds since boot), so with HZ = 1000 one jiffy is one
// millisecond and every dump is reproducible.
import type { Net } from '../net/net_namespace';

/** CONFIG_HZ of the emulated kernel. */
export const HZ = 1000;
/** include/uapi/asm-generic/param.h USER_HZ: the unit of clock_t in dumps. */
export const USER_HZ = 100;

/** jiffies, read from the namespace's host clock. */
export function jiffies(net: Net): number {
  return Math.floor(net.jiffies());
}

/** jiffies_to_clock_t() (kernel/time/time.c): ticks in USER_HZ units. */
export function jiffies_to_clock_t(x: number): number {
  return Math.floor(x / (HZ / USER_HZ));
}
