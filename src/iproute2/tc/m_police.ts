// tc/m_police.c (iproute2 v6.1.0): token-bucket policer (rate/burst form).
import { hop } from '../../trace/hop';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import {
  LINKLAYER_ATM, LINKLAYER_ETHERNET, TCA_POLICE_AVRATE, TCA_POLICE_PEAKRATE, TCA_POLICE_RATE, TCA_POLICE_RATE64, TCA_POLICE_RESULT, TCA_POLICE_TBF,
  TC_POLICE_LEN, TC_POLICE_RECLASSIFY,
} from '../include/uapi/linux/tc_act/tc_police';
import { Args, TcExit, duparg, get_u16, get_u32, get_u64, invarg, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import { StructReader, nla_get_u32, type NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm, tc_print_rate } from './tc_util';
import { tc_calc_xmitsize } from './tc_core';
import {
  TCA_POLICE_MAX, TCA_POLICE_PEAKRATE64, TCA_POLICE_PKTBURST64, TCA_POLICE_PKTRATE64, TCA_POLICE_TM, TC_LINKLAYER_MASK,
} from '../../kernel/include/uapi/linux/tc_act/tc_police';
import { tc_calc_rtable_64, tc_calc_xmittime, type TcRatespec } from './tc_core';
import { get_rate64, get_size, get_size_and_cell, parse_action_control, parse_action_control_slash } from './tc_util';

function usage(p: TcProc): never {
  p.io.stderr('Usage: ... police [ rate BPS burst BYTES[/BYTES] ] \n' +
    '\t\t[ pkts_rate RATE pkts_burst PACKETS ] [ mtu BYTES[/BYTES] ]\n' +
    '\t\t[ peakrate BPS ] [ avrate BPS ] [ overhead BYTES ]\n' +
    '\t\t[ linklayer TYPE ] [ CONTROL ]\n' +
    'Where: CONTROL := conform-exceed <EXCEEDACT>[/NOTEXCEEDACT]\n' +
    '\t\t  Define how to handle packets which exceed (<EXCEEDACT>)\n' +
    '\t\t  or conform (<NOTEXCEEDACT>) the configured bandwidth limit.\n' +
    '       EXCEEDACT/NOTEXCEEDACT := { pipe | ok | reclassify | drop | continue |\n' +
    '\t\t\t\t   goto chain <CHAIN_INDEX> }\n');
  throw new TcExit(-1);
}

function ratespec(w: StructWriter, off: number, r: TcRatespec): void {
  w.u8(off, r.cell_log).u8(off + 1, r.linklayer).u16(off + 2, r.overhead).u16(off + 4, r.cell_align & 0xffff)
    .u16(off + 6, r.mpu).u32(off + 8, r.rate);
}

/** lib/utils_math.c get_rate: get_rate64 into 32 bits, refusing what does not fit. */
function get_rate(str: string): bigint | null {
  const r = get_rate64(str);
  return r === null || r > 0xffffffffn ? null : r;
}

/** tc/tc_util.c get_linklayer */
function get_linklayer(arg: string): number | null {
  if (!matches(arg, 'ethernet')) return LINKLAYER_ETHERNET;
  if (!matches(arg, 'atm') || !matches(arg, 'adsl')) return LINKLAYER_ATM;
  return null;
}

// tc/m_police.c act_parse_police
export const act_parse_police = hop('tc/m_police.c', function act_parse_police(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let ok = 0;
  let index = 0;
  let action = TC_POLICE_RECLASSIFY;
  let presult = 0;
  let buffer = 0;
  let mtu = 0;
  let mpu = 0;
  let overhead = 0;
  let Rcell_log = -1;
  let Pcell_log = -1;
  let rate64 = 0n;
  let prate64 = 0n;
  let avrate = 0n;
  let linklayer = LINKLAYER_ETHERNET;
  let pps64 = 0n;
  let ppsburst64 = 0n;
  args.next(p.io);
  if (args.argc <= 0) return -1;
  while (args.argc > 0) {
    const c = args.cur!;
    let advanced = false;
    if (!matches(c, 'index')) {
      args.next(p.io);
      const i = get_u32(args.cur, 10);
      if (i === null) invarg(p.io, 'index', args.cur!);
      index = i;
    } else if (!matches(c, 'burst') || c === 'buffer' || c === 'maxburst') {
      args.next(p.io);
      if (buffer) duparg(p.io, 'buffer/burst', args.cur!);
      const sc = get_size_and_cell(args.cur!);
      if (!sc) invarg(p.io, 'buffer', args.cur!);
      buffer = sc.size;
      if (sc.cell_log !== undefined) Rcell_log = sc.cell_log;
    } else if (c === 'mtu' || c === 'minburst') {
      args.next(p.io);
      if (mtu) duparg(p.io, 'mtu/minburst', args.cur!);
      const sc = get_size_and_cell(args.cur!);
      if (!sc) invarg(p.io, 'mtu', args.cur!);
      mtu = sc.size;
      if (sc.cell_log !== undefined) Pcell_log = sc.cell_log;
    } else if (c === 'mpu') {
      args.next(p.io);
      if (mpu) duparg(p.io, 'mpu', args.cur!);
      const v = get_size(args.cur!);
      if (v === null) invarg(p.io, 'mpu', args.cur!);
      mpu = v;
    } else if (c === 'rate') {
      args.next(p.io);
      if (rate64) duparg(p.io, 'rate', args.cur!);
      const r = get_rate64(args.cur!);
      if (r === null) invarg(p.io, 'rate', args.cur!);
      rate64 = r;
    } else if (c === 'avrate') {
      args.next(p.io);
      if (avrate) duparg(p.io, 'avrate', args.cur!);
      const r = get_rate(args.cur!);
      if (r === null) invarg(p.io, 'avrate', args.cur!);
      avrate = r;
    } else if (!matches(c, 'peakrate')) {
      args.next(p.io);
      if (prate64) duparg(p.io, 'peakrate', args.cur!);
      const r = get_rate64(args.cur!);
      if (r === null) invarg(p.io, 'peakrate', args.cur!);
      prate64 = r;
    } else if (['reclassify', 'drop', 'shot', 'continue', 'pass', 'ok', 'pipe', 'goto'].some((w) => !matches(c, w))) {
      const r = parse_action_control(p, args, false);
      if (r === null) return -1;
      action = r;
      advanced = true;
    } else if (c === 'conform-exceed') {
      args.next(p.io);
      const r = parse_action_control_slash(p, args, true);
      if (!r) return -1;
      action = r.r1;
      if (r.r2 !== undefined) presult = r.r2;
      advanced = true;
    } else if (!matches(c, 'overhead')) {
      args.next(p.io);
      const v = get_u16(args.cur, 10);
      if (v === null) invarg(p.io, 'overhead', args.cur!);
      overhead = v;
    } else if (!matches(c, 'linklayer')) {
      args.next(p.io);
      const v = get_linklayer(args.cur!);
      if (v === null) invarg(p.io, 'linklayer', args.cur!);
      linklayer = v;
    } else if (!matches(c, 'pkts_rate')) {
      args.next(p.io);
      if (pps64) duparg(p.io, 'pkts_rate', args.cur!);
      const v = get_u64(args.cur, 10);
      if (v === null) invarg(p.io, 'pkts_rate', args.cur!);
      pps64 = v;
    } else if (!matches(c, 'pkts_burst')) {
      args.next(p.io);
      if (ppsburst64) duparg(p.io, 'pkts_burst', args.cur!);
      const v = get_u64(args.cur, 10);
      if (v === null) invarg(p.io, 'pkts_burst', args.cur!);
      ppsburst64 = v;
    } else if (c === 'help') {
      usage(p);
    } else {
      break;
    }
    if (!advanced) args.fwd();
    ok++;
  }
  if (!ok) return -1;
  if (rate64 && avrate) return -1;
  if (!rate64 && !avrate && !index && !mtu && !pps64) {
    p.io.stderr("'rate' or 'avrate' or 'mtu' or 'pkts_rate' MUST be specified.\n");
    return -1;
  }
  if (rate64 && !buffer && !avrate) {
    p.io.stderr("'burst' requires 'rate'.\n");
    return -1;
  }
  if (pps64 && !ppsburst64) {
    p.io.stderr("'pkts_burst' requires 'pkts_rate'.\n");
    return -1;
  }
  if (pps64 && rate64) {
    p.io.stderr("'rate' and 'pkts_rate' are not allowed in same action.\n");
    return -1;
  }
  if (prate64) {
    if (!rate64) {
      p.io.stderr("'peakrate' requires 'rate'.\n");
      return -1;
    }
    if (!mtu) {
      p.io.stderr("'mtu' is required, if 'peakrate' is requested.\n");
      return -1;
    }
  }
  const rate: TcRatespec = { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
  const peak: TcRatespec = { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
  let rtab: number[] | undefined;
  let burst = 0;
  if (rate64) {
    rate.rate = rate64 >= 1n << 32n ? 0xffffffff : Number(rate64);
    rate.mpu = mpu;
    rate.overhead = overhead;
    rtab = tc_calc_rtable_64(rate, Rcell_log, mtu, linklayer, rate64).rtab;
    burst = tc_calc_xmittime(rate64, buffer);
  }
  let ptab: number[] | undefined;
  if (prate64) {
    peak.rate = prate64 >= 1n << 32n ? 0xffffffff : Number(prate64);
    peak.mpu = mpu;
    peak.overhead = overhead;
    ptab = tc_calc_rtable_64(peak, Pcell_log, mtu, linklayer, prate64).rtab;
  }
  const w = new StructWriter(TC_POLICE_LEN).u32(0, index).s32(4, action).u32(12, burst).u32(16, mtu);
  ratespec(w, 20, rate);
  ratespec(w, 32, peak);
  const tail = n.nestStart(tca_id);
  n.attr(TCA_POLICE_TBF, w.bytes);
  if (rtab) {
    const t = new StructWriter(1024);
    rtab.forEach((v, i) => t.u32(4 * i, v));
    n.attr(TCA_POLICE_RATE, t.bytes);
    if (rate64 >= 1n << 32n) n.attr(TCA_POLICE_RATE64, new StructWriter(8).u64(0, rate64).bytes);
  }
  if (ptab) {
    const t = new StructWriter(1024);
    ptab.forEach((v, i) => t.u32(4 * i, v));
    n.attr(TCA_POLICE_PEAKRATE, t.bytes);
    if (prate64 >= 1n << 32n) n.attr(TCA_POLICE_PEAKRATE64, new StructWriter(8).u64(0, prate64).bytes);
  }
  if (avrate) n.u32(TCA_POLICE_AVRATE, Number(avrate));
  if (presult) n.u32(TCA_POLICE_RESULT, presult);
  if (pps64) {
    n.attr(TCA_POLICE_PKTRATE64, new StructWriter(8).u64(0, pps64).bytes);
    // the burst travels as the time the packet rate takes to send it
    n.attr(TCA_POLICE_PKTBURST64, new StructWriter(8).u64(0, BigInt(tc_calc_xmittime(pps64, Number(ppsburst64)))).bytes);
  }
  n.nestEnd(tail);
  return 0;
});

// tc/m_police.c print_police
function print_police(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_JSON, 'kind', '%s', 'police');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_POLICE_MAX, arg.payload);
  const tbf = tb[TCA_POLICE_TBF];
  if (!tbf) {
    p.io.stderr('[NULL police tbf]');
    return -1;
  }
  if (tbf.payload.byteLength < TC_POLICE_LEN) {
    p.io.stderr('[truncated police tbf]');
    return -1;
  }
  const r = new StructReader(tbf.payload);
  const u64 = (a: NlAttr | undefined): bigint | null => (a && a.payload.byteLength >= 8 ? new StructReader(a.payload).u64(0) : null);
  const rate64 = u64(tb[TCA_POLICE_RATE64]) ?? BigInt(r.u32(28));
  p.pr.print_hex(PRINT_FP, null, ' police 0x%x ', r.u32(0));
  p.pr.print_uint(PRINT_JSON, 'index', null, r.u32(0));
  tc_print_rate(p, PRINT_FP, null, 'rate %s ', rate64);
  p.pr.print_size(PRINT_FP, null, 'burst %s ', tc_calc_xmitsize(rate64, r.u32(12)));
  p.pr.print_size(PRINT_FP, null, 'mtu %s ', r.u32(16));
  const prate64 = u64(tb[TCA_POLICE_PEAKRATE64]) ?? BigInt(r.u32(40));
  if (prate64) tc_print_rate(p, PRINT_FP, null, 'peakrate %s ', prate64);
  if (tb[TCA_POLICE_AVRATE]) tc_print_rate(p, PRINT_FP, null, 'avrate %s ', BigInt(nla_get_u32(tb[TCA_POLICE_AVRATE])));
  const pps = u64(tb[TCA_POLICE_PKTRATE64]);
  const ppsburst = u64(tb[TCA_POLICE_PKTBURST64]);
  if (pps !== null && ppsburst !== null) {
    p.pr.print_u64(PRINT_ANY, 'pkts_rate', 'pkts_rate %llu ', pps);
    p.pr.print_u64(PRINT_ANY, 'pkts_burst', 'pkts_burst %llu ', BigInt(tc_calc_xmitsize(pps, Number(ppsburst))));
  }
  print_action_control(p, 'action ', r.s32(4), '');
  if (tb[TCA_POLICE_RESULT]) print_action_control(p, '/', nla_get_u32(tb[TCA_POLICE_RESULT]) | 0, ' ');
  else p.pr.print_string(PRINT_FP, null, ' ', null);
  p.pr.print_size(PRINT_ANY, 'overhead', 'overhead %s ', r.u16(22));
  const linklayer = r.u8(21) & TC_LINKLAYER_MASK;
  if (linklayer > LINKLAYER_ETHERNET || p.show_details) {
    p.pr.print_string(PRINT_ANY, 'linklayer', 'linklayer %s ', ['unspec', 'ethernet', 'atm'][linklayer] ?? 'unknown');
  }
  p.pr.print_nl();
  p.pr.print_int(PRINT_ANY, 'ref', '\tref %d ', r.s32(44));
  p.pr.print_int(PRINT_ANY, 'bind', 'bind %d ', r.s32(48));
  if (p.show_stats && tb[TCA_POLICE_TM]) print_tm(p, tb[TCA_POLICE_TM].payload);
  p.pr.print_nl();
  return 0;
}

export const police_action_util: ActionUtil = {
  id: 'police', parse_aopt: act_parse_police, print_aopt: print_police,
};
