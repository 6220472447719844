// tc/tc_core.c (iproute2 v6.1.0): time/rate arithmetic for rate tables.
// tc_core_init reads /proc/net/psched; the kernel writes it from constants
// (net/sched/sch_api.c psched_show: NSEC_PER_USEC, PSCHED_TICKS2NS(1) = 64,
// 1000000, NSEC_PER_SEC / hrtimer resolution), so the values are pinned here.
import { LINKLAYER_ATM, TC_LINKLAYER_MASK } from '../include/uapi/linux/tc_act/tc_police';

const TIME_UNITS_PER_SEC = 1000000;
const PSCHED = { t2us: 0x3e8, us2t: 0x40, clock_res: 0x000f4240 };

// tc/tc_core.c tc_core_init
function tick_in_usec(): number {
  const t2us = PSCHED.clock_res === 1000000000 ? PSCHED.us2t : PSCHED.t2us;
  const clock_factor = PSCHED.clock_res / TIME_UNITS_PER_SEC;
  return (t2us / PSCHED.us2t) * clock_factor;
}

/** C conversion of a double to unsigned int (truncation, mod 2^32). */
function to_uint(x: number): number {
  return Number(BigInt.asUintN(32, BigInt(Math.trunc(x))));
}

// tc/tc_core.c tc_core_time2tick
function tc_core_time2tick(time: number): number {
  return to_uint(to_uint(time) * tick_in_usec());
}

// tc/tc_core.c tc_calc_xmittime
export function tc_calc_xmittime(rate: bigint, size: number): number {
  return tc_core_time2tick(TIME_UNITS_PER_SEC * (size / Number(rate)));
}

/** struct tc_ratespec */
export interface TcRatespec {
  cell_log: number;
  linklayer: number;
  overhead: number;
  cell_align: number;
  mpu: number;
  rate: number;
}

// tc/tc_core.c tc_adjust_size (ATM cells are 53 bytes carrying 48)
function tc_adjust_size(sz: number, mpu: number, linklayer: number): number {
  const s = sz < mpu ? mpu : sz;
  if (linklayer === LINKLAYER_ATM) return Math.ceil(s / 48) * 53;
  return s;
}

// tc/tc_core.c tc_calc_rtable_64: rtab[i] = xmit time of ((i+1) << cell_log) bytes.
export function tc_calc_rtable_64(
  r: TcRatespec, cell_log: number, mtu: number, linklayer: number, rate: bigint,
): { rtab: number[]; cell_log: number } {
  const m = mtu === 0 ? 2047 : mtu;
  let cl = cell_log;
  if (cl < 0) {
    cl = 0;
    while (m >> cl > 255) cl++;
  }
  const rtab: number[] = [];
  for (let i = 0; i < 256; i++) rtab.push(tc_calc_xmittime(rate, tc_adjust_size((i + 1) << cl, r.mpu, linklayer)));
  r.cell_align = -1;
  r.cell_log = cl;
  r.linklayer = linklayer & TC_LINKLAYER_MASK;
  return { rtab, cell_log: cl };
}

// tc/tc_core.c tc_core_tick2time
function tc_core_tick2time(tick: number): number {
  return to_uint(tick / tick_in_usec());
}

// tc/tc_core.c tc_calc_xmitsize: the bytes a rate sends in `ticks`
export function tc_calc_xmitsize(rate: bigint, ticks: number): number {
  return to_uint((Number(rate) * tc_core_tick2time(ticks)) / TIME_UNITS_PER_SEC);
}
