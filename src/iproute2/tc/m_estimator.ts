// tc/m_estimator.c and tc/tc_estimator.c (iproute2 v6.1.0): "estimator
// INTERVAL TIME_CONSTANT" → struct tc_estimator for TCA_RATE.
import type { Args } from '../lib/utils';
import { duparg, invarg, matches } from '../lib/utils';
import type { TcProc } from './tc_common';

const TIME_UNITS_PER_SEC = 1000000;

/** struct tc_estimator: log2 of the interval (in seconds, -2..3) and of the EWMA weight. */
export interface TcEstimator { interval: number; ewma_log: number }

/** The two bytes of struct tc_estimator as TCA_RATE carries them (signed char, unsigned char). */
export function tc_estimator_bytes(est: TcEstimator): Uint8Array {
  return Uint8Array.of(est.interval & 0xff, est.ewma_log & 0xff);
}

/** lib/utils.c get_time: a number with s/sec/secs, ms/msec/msecs or us/usec/usecs, in microseconds. */
export function get_time(str: string): number | null {
  const m = /^\s*[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(str);
  if (!m) return null;
  let t = Number(m[0]);
  const rest = str.slice(m[0].length).toLowerCase();
  if (rest) {
    if (['s', 'sec', 'secs'].includes(rest)) t *= TIME_UNITS_PER_SEC;
    else if (['ms', 'msec', 'msecs'].includes(rest)) t *= TIME_UNITS_PER_SEC / 1000;
    else if (['us', 'usec', 'usecs'].includes(rest)) t *= TIME_UNITS_PER_SEC / 1000000;
    else return null;
  }
  return Math.trunc(t) >>> 0;
}

/** tc/tc_estimator.c tc_setup_estimator: the smallest interval covering A, the weight for the time constant. */
export function tc_setup_estimator(A: number, time_const: number): TcEstimator | null {
  let interval = 0;
  for (; interval <= 5; interval++) if (A <= (1 << interval) * (TIME_UNITS_PER_SEC / 4)) break;
  if (interval > 5) return null;
  interval -= 2;
  let ewma_log = 1;
  for (; ewma_log < 32; ewma_log++) {
    const w = 1.0 - 1.0 / 2 ** ewma_log;
    if (A / -Math.log(w) > time_const) break;
  }
  ewma_log--;
  if (ewma_log === 0 || ewma_log >= 31) return null;
  return { interval, ewma_log };
}

function est_help(p: TcProc): void {
  p.io.stderr('Usage: ... estimator INTERVAL TIME-CONST\n' +
    '  INTERVAL is interval between measurements\n' +
    '  TIME-CONST is averaging time constant\n' +
    'Example: ... est 1sec 8sec\n');
}

/** tc/m_estimator.c parse_estimator: leaves `args` on the time constant; null after printing an error. */
export function parse_estimator(p: TcProc, args: Args, est: TcEstimator): TcEstimator | null {
  args.next(p.io);
  if (est.ewma_log) duparg(p.io, 'estimator', args.cur!);
  if (!matches(args.cur!, 'help')) est_help(p);
  const A = get_time(args.cur!);
  if (A === null) invarg(p.io, 'estimator', 'invalid estimator interval');
  args.next(p.io);
  if (!matches(args.cur!, 'help')) est_help(p);
  const time_const = get_time(args.cur!);
  if (time_const === null) invarg(p.io, 'estimator', 'invalid estimator time constant');
  const r = tc_setup_estimator(A, time_const);
  if (!r) {
    p.io.stderr('Error: estimator parameters are out of range.\n');
    return null;
  }
  return r;
}
