// tc/tc_util.c (iproute2 v6.1.0): action verdict names, classid text,
// rate/size parsing, and the shared printers (masked values, stats, tm).
import {
  TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_JUMP, TC_ACT_OK, TC_ACT_PIPE, TC_ACT_RECLASSIFY, TC_ACT_SHOT,
  TC_ACT_STOLEN, TC_ACT_TRAP, TC_ACT_UNSPEC,
} from '../../kernel/include/uapi/linux/pkt_cls';
import { TC_H_MAJ, TC_H_MIN, TC_H_ROOT, TC_H_UNSPEC } from '../../kernel/include/uapi/linux/pkt_sched';
import { StructReader, nla_get_be16, nla_get_u16, nla_get_u32, nla_get_u8, type NlAttr } from '../../netlink/attr';
import {
  TCA_STATS_BASIC, TCA_STATS_BASIC_HW, TCA_STATS_PKT64, TCA_STATS_QUEUE, TCA_STATS_RATE_EST, TCA_STATS_RATE_EST64,
} from '../include/uapi/linux/gen_stats';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { Args, get_integer, get_u32, strtoul } from '../lib/utils';
import type { TcProc } from './tc_common';

const TC_ACT_EXT_OPCODE_MAX = 0xf0000000;
function TC_ACT_EXT_CMP(combined: number, opcode: number): boolean {
  return ((combined & TC_ACT_EXT_OPCODE_MAX) >>> 0) === opcode;
}

// tc/tc_util.c action_n2a
export function action_n2a(action: number): string {
  if (TC_ACT_EXT_CMP(action, TC_ACT_GOTO_CHAIN)) return 'goto';
  if (TC_ACT_EXT_CMP(action, TC_ACT_JUMP)) return 'jump';
  switch (action) {
    case TC_ACT_UNSPEC: return 'continue';
    case TC_ACT_OK: return 'pass';
    case TC_ACT_SHOT: return 'drop';
    case TC_ACT_RECLASSIFY: return 'reclassify';
    case TC_ACT_PIPE: return 'pipe';
    case TC_ACT_STOLEN: return 'stolen';
    case TC_ACT_TRAP: return 'trap';
    default: return String(action);
  }
}

const a2n: ReadonlyArray<readonly [string, number]> = [
  ['continue', TC_ACT_UNSPEC], ['drop', TC_ACT_SHOT], ['shot', TC_ACT_SHOT], ['pass', TC_ACT_OK],
  ['ok', TC_ACT_OK], ['reclassify', TC_ACT_RECLASSIFY], ['pipe', TC_ACT_PIPE], ['goto', TC_ACT_GOTO_CHAIN],
  ['jump', TC_ACT_JUMP], ['trap', TC_ACT_TRAP],
];

// tc/tc_util.c action_a2n: a verdict word (any prefix of it), or a number if allowed.
export function action_a2n(arg: string, allow_num: boolean): number | null {
  for (const [a, n] of a2n) if (a.startsWith(arg)) return n;
  if (!allow_num || !/^\s*[+-]?\d+$/.test(arg)) return null;
  return Number(arg) | 0;
}

// tc/tc_util.c __parse_action_control: consumes the verdict (and `chain N` /
// jump count) from args on success; leaves args untouched on failure.
function __parse_action_control(p: TcProc, args: Args, allow_num: boolean, ignore_a2n_miss: boolean): number | null {
  const a = args.clone();
  if (a.argc <= 0) return null;
  let result = action_a2n(a.cur!, allow_num);
  if (result === null) {
    if (!ignore_a2n_miss) p.io.stderr(`Bad action type ${a.cur!}\n`);
    return null;
  }
  if (result === TC_ACT_GOTO_CHAIN) {
    a.next(p.io);
    if (!'chain'.startsWith(a.cur!)) {
      p.io.stderr('"chain index" expected\n');
      return null;
    }
    a.next(p.io);
    const ci = get_u32(a.cur, 10);
    if (ci === null || ci > TC_ACT_EXT_VAL_MASK) {
      p.io.stderr('Illegal "chain index"\n');
      return null;
    }
    result = (result | ci) >>> 0;
  }
  if (result === TC_ACT_JUMP) {
    a.next(p.io);
    const jc = get_u32(a.cur, 10);
    if (jc === null || jc > TC_ACT_EXT_VAL_MASK) {
      p.io.stderr(`Invalid "jump count" (${a.cur!})\n`);
      return null;
    }
    result = (result | jc) >>> 0;
  }
  a.fwd();
  args.take(a);
  return result | 0;
}

// tc/tc_util.c parse_action_control
export function parse_action_control(p: TcProc, args: Args, allow_num: boolean): number | null {
  return __parse_action_control(p, args, allow_num, false);
}

// tc/tc_util.c parse_action_control_dflt: silently falls back to `dflt`.
export function parse_action_control_dflt(p: TcProc, args: Args, allow_num: boolean, dflt: number): number {
  return __parse_action_control(p, args, allow_num, true) ?? dflt;
}

// tc/tc_util.c parse_action_control_slash: "a/b" or "a / b" → [a, b?].
export function parse_action_control_slash(
  p: TcProc, args: Args, allow_num: boolean,
): { r1: number; r2?: number } | null {
  const cur = args.cur!;
  const slash = cur.indexOf('/');
  if (slash < 0) {
    const a = args.clone();
    let r1 = -1;
    let r2: number | undefined;
    let ok = 0;
    while (a.argc > 0) {
      if (ok === 1) {
        if (a.cur !== '/') break;
        a.next(p.io);
      } else if (ok > 1) {
        break;
      }
      const r = parse_action_control(p, a, allow_num);
      if (r === null) return null;
      if (ok === 0) r1 = r;
      else r2 = r;
      ok++;
    }
    args.take(a);
    return { r1, r2 };
  }
  const r1 = action_a2n(cur.slice(0, slash), allow_num);
  if (r1 === null) return null;
  const r2 = action_a2n(cur.slice(slash + 1), allow_num);
  if (r2 === null) return null;
  args.fwd();
  return { r1, r2 };
}

// tc/tc_util.c print_action_control
export function print_action_control(p: TcProc, prefix: string, action: number, suffix: string): void {
  p.pr.print_string(PRINT_FP, null, '%s', prefix);
  p.pr.open_json_object('control_action');
  p.pr.print_string(PRINT_ANY, 'type', '%s', action_n2a(action));
  if (TC_ACT_EXT_CMP(action, TC_ACT_GOTO_CHAIN)) {
    p.pr.print_uint(PRINT_ANY, 'chain', ' chain %u', action & TC_ACT_EXT_VAL_MASK);
  }
  if (TC_ACT_EXT_CMP(action, TC_ACT_JUMP)) p.pr.print_uint(PRINT_ANY, 'jump', ' %u', action & TC_ACT_EXT_VAL_MASK);
  p.pr.close_json_object();
  p.pr.print_string(PRINT_FP, null, '%s', suffix);
}

// tc/tc_util.c get_tc_classid: "root", "none", "maj:min" in hex.
export function get_tc_classid(str: string): number | null {
  if (str === 'root') return TC_H_ROOT;
  if (str === 'none') return TC_H_UNSPEC;
  let r = strtoul(str, 16);
  let maj = Number(r.value);
  let rest = str.slice(r.end);
  if (r.end === 0) {
    maj = 0;
    if (str[0] !== ':') return null;
    rest = str;
  }
  if (rest[0] === ':') {
    if (maj >= 1 << 16) return null;
    const tail = rest.slice(1);
    r = strtoul(tail, 16);
    if (r.end !== tail.length) return null;
    const min = Number(r.value);
    if (min >= 1 << 16) return null;
    return ((maj << 16) | min) >>> 0;
  }
  if (rest !== '') return null;
  return maj >>> 0;
}

// tc/tc_util.c print_tc_classid (sprint_tc_classid)
export function sprint_tc_classid(h: number): string {
  if (h === TC_H_ROOT) return 'root';
  if (h === TC_H_UNSPEC) return 'none';
  if (TC_H_MAJ(h) === 0) return `:${TC_H_MIN(h).toString(16)}`;
  if (TC_H_MIN(h) === 0) return `${(TC_H_MAJ(h) >>> 16).toString(16)}:`;
  return `${(TC_H_MAJ(h) >>> 16).toString(16)}:${TC_H_MIN(h).toString(16)}`;
}

// tc/tc_util.c print_devname
export function print_devname(p: TcProc, ifindex: number): void {
  const ifname = p.ll.ll_index_to_name(p.rth, ifindex);
  if (!p.pr.is_json_context()) p.pr.fp('dev ');
  p.pr.print_string(PRINT_ANY, 'dev', '%s ', ifname);
}

const rate_suffixes: ReadonlyArray<readonly [string, number]> = [
  ['bit', 1], ['Kibit', 1024], ['kbit', 1000], ['mibit', 1024 * 1024], ['mbit', 1e6],
  ['gibit', 1024 ** 3], ['gbit', 1e9], ['tibit', 1024 ** 4], ['tbit', 1e12], ['Bps', 8],
  ['KiBps', 8 * 1024], ['KBps', 8000], ['MiBps', 8 * 1024 * 1024], ['MBps', 8e6],
  ['GiBps', 8 * 1024 ** 3], ['GBps', 8e9], ['TiBps', 8 * 1024 ** 4], ['TBps', 8e12],
];

function strtod(s: string): { v: number; end: number } {
  const m = /^\s*[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(s);
  return m ? { v: Number(m[0]), end: m[0].length } : { v: 0, end: 0 };
}

// lib/utils_math.c get_rate64: bits/s text → bytes/s.
export function get_rate64(str: string): bigint | null {
  const d = strtod(str);
  if (d.end === 0) return null;
  let bps = d.v;
  let rest = str.slice(d.end);
  for (const [name, scale] of rate_suffixes) {
    if (name.toLowerCase() === rest.toLowerCase()) {
      bps *= scale;
      rest = '';
      break;
    }
  }
  if (rest !== '') return null;
  return BigInt(Math.trunc(bps / 8));
}

// lib/utils_math.c get_size: bytes with b/k/kb/m/mb/g/gb/kbit/mbit/gbit.
export function get_size(str: string): number | null {
  const d = strtod(str);
  if (d.end === 0) return null;
  let sz = d.v;
  const p = str.slice(d.end).toLowerCase();
  if (p !== '') {
    if (p === 'kb' || p === 'k') sz *= 1024;
    else if (p === 'gb' || p === 'g') sz *= 1024 * 1024 * 1024;
    else if (p === 'gbit') sz *= (1024 * 1024 * 1024) / 8;
    else if (p === 'mb' || p === 'm') sz *= 1024 * 1024;
    else if (p === 'mbit') sz *= (1024 * 1024) / 8;
    else if (p === 'kbit') sz *= 1024 / 8;
    else if (p !== 'b') return null;
  }
  const size = Math.trunc(sz) >>> 0;
  if (size !== Math.floor(sz)) return null;
  return size;
}

// tc/tc_util.c get_size_and_cell: "SIZE[/CELL]".
export function get_size_and_cell(str: string): { size: number; cell_log?: number } | null {
  const slash = str.indexOf('/');
  const size = get_size(slash >= 0 ? str.slice(0, slash) : str);
  if (size === null) return null;
  if (slash < 0) return { size };
  const cell = get_integer(str.slice(slash + 1), 0);
  if (cell === null) return null;
  for (let i = 0; i < 32; i++) if (2 ** i === cell) return { size, cell_log: i };
  return null;
}

// tc/tc_util.c print_tm: times are in USER_HZ ticks (100 per second).
export function print_tm(p: TcProc, tm: Uint8Array): void {
  const r = new StructReader(tm);
  const hz = 100;
  const install = Number(r.u64(0));
  const lastuse = Number(r.u64(8));
  const expires = Number(r.u64(16));
  const firstuse = tm.byteLength >= 32 ? Number(r.u64(24)) : 0;
  if (install !== 0) p.pr.print_uint(PRINT_ANY, 'installed', ' installed %u sec', Math.trunc(install / hz));
  if (lastuse !== 0) p.pr.print_uint(PRINT_ANY, 'last_used', ' used %u sec', Math.trunc(lastuse / hz));
  if (firstuse !== 0) p.pr.print_uint(PRINT_ANY, 'first_used', ' firstused %u sec', Math.trunc(firstuse / hz));
  if (expires !== 0) p.pr.print_uint(PRINT_ANY, 'expires', ' expires %u sec', Math.trunc(expires / hz));
}

function basic(a: NlAttr): { bytes: bigint; packets: number } {
  const b = new Uint8Array(16);
  b.set(a.payload.subarray(0, 16));
  const r = new StructReader(b);
  return { bytes: r.u64(0), packets: r.u32(8) };
}

// tc/tc_util.c print_tcstats_basic_hw
function print_tcstats_basic_hw(p: TcProc, tbs: Array<NlAttr | undefined>, prefix: string): void {
  const hwa = tbs[TCA_STATS_BASIC_HW];
  if (!hwa) return;
  const hw = basic(hwa);
  if (hw.bytes === 0n && hw.packets === 0) return;
  const ba = tbs[TCA_STATS_BASIC];
  if (ba) {
    const bs = basic(ba);
    if (bs.bytes >= hw.bytes && bs.packets >= hw.packets) {
      p.pr.print_nl();
      p.pr.print_string(PRINT_FP, null, '%s', prefix);
      p.pr.print_u64(PRINT_ANY, 'sw_bytes', 'Sent software %llu bytes', bs.bytes - hw.bytes);
      p.pr.print_uint(PRINT_ANY, 'sw_packets', ' %u pkt', bs.packets - hw.packets);
    }
  }
  p.pr.print_nl();
  p.pr.print_string(PRINT_FP, null, '%s', prefix);
  p.pr.print_u64(PRINT_ANY, 'hw_bytes', 'Sent hardware %llu bytes', hw.bytes);
  p.pr.print_uint(PRINT_ANY, 'hw_packets', ' %u pkt', hw.packets);
}

// tc/tc_util.c print_tcstats2_attr (rate estimators printed as bare numbers)
export function print_tcstats2_attr(p: TcProc, rta: NlAttr, prefix: string): void {
  const tbs = parse_rtattr(8, rta.payload);
  const queue = (): number[] => {
    const b = new Uint8Array(20);
    b.set(tbs[TCA_STATS_QUEUE]!.payload.subarray(0, 20));
    const r = new StructReader(b);
    return [r.u32(0), r.u32(4), r.u32(8), r.u32(12), r.u32(16)];
  };
  if (tbs[TCA_STATS_BASIC]) {
    const bs = basic(tbs[TCA_STATS_BASIC]);
    const pkt64 = tbs[TCA_STATS_PKT64] ? new StructReader(tbs[TCA_STATS_PKT64].payload).u64(0) : 0n;
    p.pr.print_string(PRINT_FP, null, '%s', prefix);
    p.pr.print_u64(PRINT_ANY, 'bytes', 'Sent %llu bytes', bs.bytes);
    if (pkt64) p.pr.print_u64(PRINT_ANY, 'packets', ' %llu pkt', pkt64);
    else p.pr.print_uint(PRINT_ANY, 'packets', ' %u pkt', bs.packets);
  }
  if (tbs[TCA_STATS_QUEUE]) {
    const [, , drops, requeues, overlimits] = queue();
    p.pr.print_uint(PRINT_ANY, 'drops', ' (dropped %u', drops!);
    p.pr.print_uint(PRINT_ANY, 'overlimits', ', overlimits %u', overlimits!);
    p.pr.print_uint(PRINT_ANY, 'requeues', ' requeues %u) ', requeues!);
  }
  if (tbs[TCA_STATS_BASIC_HW]) print_tcstats_basic_hw(p, tbs, prefix);
  if (tbs[TCA_STATS_RATE_EST64] || tbs[TCA_STATS_RATE_EST]) {
    const r = new StructReader(tbs[TCA_STATS_RATE_EST64]?.payload ?? tbs[TCA_STATS_RATE_EST]!.payload);
    const is64 = !!tbs[TCA_STATS_RATE_EST64];
    const bps = is64 ? r.u64(0) : BigInt(r.u32(0));
    const pps = is64 ? r.u64(8) : BigInt(r.u32(4));
    p.pr.print_string(PRINT_FP, null, '\n%s', prefix);
    p.pr.print_u64(PRINT_JSON, 'rate', null, bps);
    p.pr.print_string(PRINT_FP, null, 'rate %s', `${bps * 8n}bit`);
    p.pr.print_u64(PRINT_ANY, 'pps', ' %llupps', pps);
  }
  if (tbs[TCA_STATS_QUEUE]) {
    const [qlen, backlog, , requeues] = queue();
    if (!tbs[TCA_STATS_RATE_EST]) p.pr.print_nl();
    p.pr.print_string(PRINT_FP, null, '%s', prefix);
    p.pr.print_size(PRINT_ANY, 'backlog', 'backlog %s', backlog!);
    p.pr.print_uint(PRINT_ANY, 'qlen', ' %up', qlen!);
    p.pr.print_uint(PRINT_FP, null, ' requeues %u', requeues!);
  }
}

// tc/tc_util.c print_masked_type: "name value" then "/0xmask" when partial.
function print_masked_type(
  p: TcProc, type_max: number, get: (a: NlAttr) => number, name: string,
  attr: NlAttr | undefined, mask_attr: NlAttr | undefined, newline: boolean,
): void {
  if (!attr) return;
  const value = get(attr);
  const mask = mask_attr ? get(mask_attr) : type_max;
  p.pr.print_string(PRINT_FP, null, newline ? `${p.pr.sl}  ` : ' ', null);
  p.pr.print_uint_name_value(name, value);
  if (mask !== type_max) p.pr.print_hex(PRINT_ANY, `${name}_mask`, '/0x%x', mask);
}

export function print_masked_u32(p: TcProc, name: string, a?: NlAttr, m?: NlAttr, nl = true): void {
  print_masked_type(p, 0xffffffff, nla_get_u32, name, a, m, nl);
}
export function print_masked_u16(p: TcProc, name: string, a?: NlAttr, m?: NlAttr, nl = true): void {
  print_masked_type(p, 0xffff, nla_get_u16, name, a, m, nl);
}
export function print_masked_u8(p: TcProc, name: string, a?: NlAttr, m?: NlAttr, nl = true): void {
  print_masked_type(p, 0xff, nla_get_u8, name, a, m, nl);
}
export function print_masked_be16(p: TcProc, name: string, a?: NlAttr, m?: NlAttr, nl = true): void {
  print_masked_type(p, 0xffff, nla_get_be16, name, a, m, nl);
}

// lib/json_print_math.c print_color_rate via tc/tc_util.c tc_print_rate (use_iec off):
// bytes/s printed as bits with a decimal unit once it divides evenly.
export function tc_print_rate(p: TcProc, t: typeof PRINT_ANY | typeof PRINT_FP | typeof PRINT_JSON, key: string | null, fmt: string, rate: bigint): void {
  if (p.pr.is_json_context()) {
    p.pr.print_u64(t, key, '%llu', rate);
    return;
  }
  const kilo = 1000n;
  const units = ['', 'K', 'M', 'G', 'T'];
  let r = rate << 3n;
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (r < kilo) break;
    if (r % kilo !== 0n && r < 1000n * kilo) break;
    r /= kilo;
  }
  p.pr.print_string(t, key, fmt, `${r}${units[i]}bit`);
}
