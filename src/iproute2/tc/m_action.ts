// tc/m_action.c (iproute2 v6.1.0): the `action …` list inside a filter
// (parse_action) and its printer (tc_print_action). Action kinds are the
// ones linked into tc; an unknown kind falls back to gact (CONFIG_GACT).
import { hop } from '../../trace/hop';
import {
  TCA_ACT_COOKIE, TCA_ACT_FLAGS, TCA_ACT_FLAGS_NO_PERCPU_STATS, TCA_ACT_FLAGS_SKIP_HW, TCA_ACT_FLAGS_SKIP_SW,
  TCA_ACT_HW_STATS, TCA_ACT_HW_STATS_DELAYED, TCA_ACT_HW_STATS_IMMEDIATE, TCA_ACT_INDEX, TCA_ACT_IN_HW_COUNT,
  TCA_ACT_KIND, TCA_ACT_MAX, TCA_ACT_MAX_PRIO, TCA_ACT_OPTIONS, TCA_ACT_STATS, TCA_ACT_USED_HW_STATS,
  TC_COOKIE_MAX_SIZE,
} from '../../kernel/include/uapi/linux/pkt_cls';
import { NLA_F_NESTED, StructReader, StructWriter, nla_get_string, nla_get_u32, type NlAttr } from '../../netlink/attr';
import { NlAttrBuf } from '../../netlink/msgbuf';
import type { NlMsg } from '../../netlink/nlmsg';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST, NLM_F_ROOT } from '../../kernel/include/uapi/linux/netlink';
import {
  RTM_DELACTION, RTM_GETACTION, RTM_NEWACTION, TCAMSG_LEN, TCA_ACT_FLAG_LARGE_DUMP_ON, TCA_ACT_FLAG_TERSE_DUMP, TCA_ACT_TAB,
  TCA_ROOT_COUNT, TCA_ROOT_FLAGS, TCA_ROOT_MAX, TCA_ROOT_TIME_DELTA,
} from '../../kernel/include/uapi/linux/rtnetlink';
import { TCA_FCNT, TCA_KIND, TCA_MAX } from '../../kernel/include/uapi/linux/pkt_sched';
import { strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr, rtnl_dump_filter, rtnl_dump_request_n, rtnl_talk, type NlRequest } from '../lib/libnetlink';
import { Args, TcExit, get_u32, hex2mem, hexstring_n2a, invarg, matches } from '../lib/utils';
import { csum_action_util } from './m_csum';
import { ct_action_util } from './m_ct';
import { gact_action_util } from './m_gact';
import { mirred_action_util } from './m_mirred';
import { pedit_action_util } from './m_pedit';
import { police_action_util } from './m_police';
import { sample_action_util } from './m_sample';
import { skbedit_action_util } from './m_skbedit';
import { tunnel_key_action_util } from './m_tunnel_key';
import { vlan_action_util } from './m_vlan';
import { mpls_action_util } from './m_mpls';
import type { ActionUtil, TcProc } from './tc_common';
import { action_a2n, print_tcstats2_attr } from './tc_util';

/** The action kinds linked into this tc (tc/Makefile TCMODULES). */
const action_list: readonly ActionUtil[] = [
  gact_action_util, mirred_action_util, vlan_action_util, tunnel_key_action_util, pedit_action_util,
  csum_action_util, ct_action_util, skbedit_action_util, police_action_util, sample_action_util,
  mpls_action_util,
];

// tc/m_action.c get_action_kind: unknown kinds become gact (the name too).
function get_action_kind(k: string): { a: ActionUtil; kind: string } {
  const a = action_list.find((x) => x.id === k);
  return a ? { a, kind: k } : { a: gact_action_util, kind: 'gact' };
}

function new_cmd(c: string): boolean {
  return ['change', 'replace', 'delete', 'get', 'add'].some((w) => !matches(c, w));
}

const hw_stats_items: ReadonlyArray<readonly [string, number]> = [
  ['immediate', TCA_ACT_HW_STATS_IMMEDIATE], ['delayed', TCA_ACT_HW_STATS_DELAYED], ['disabled', 0],
];

// tc/m_action.c parse_hw_stats
function parse_hw_stats(str: string, n: NlAttrBuf): number {
  for (const [name, type] of hw_stats_items) {
    if (!matches(str, name)) {
      n.attr(TCA_ACT_HW_STATS, new StructWriter(8).u32(0, type).u32(4, type).bytes);
      return 0;
    }
  }
  return -1;
}

// tc/m_action.c parse_action: a `tca_id` nest holding one nest per action,
// numbered 1, 2, … (the action order), each with TCA_ACT_KIND and the
// kind's TCA_ACT_OPTIONS (sent with NLA_F_NESTED).
export const parse_action = hop('tc/m_action.c', function parse_action(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let ok = 0;
  let eap = 0;
  let prio = 0;
  const bad_val = (): number => {
    p.io.stderr(`parse_action: bad value (${args.argc}:${args.cur ?? '(null)'})!\n`);
    return -1;
  };
  if (args.argc <= 0) return -1;
  const tail2 = n.nestStart(tca_id);
  while (args.argc > 0) {
    const c = args.cur!;
    if (c === 'action') {
      args.fwd();
      eap = 1;
      continue;
    } else if (c === 'flowid' || c === 'classid') {
      break;
    } else if (c === 'help') {
      return -1;
    } else if (new_cmd(c)) {
      if (ok) break;
      n.nestEnd(tail2); // upstream leaves the empty nest as added: length 4, same bytes
      return 0;
    }
    const k = action_a2n(c, false) !== null ? 'gact' : c.slice(0, 15);
    eap = 0;
    const { a, kind } = get_action_kind(k);
    const tail = n.nestStart(++prio);
    n.string(TCA_ACT_KIND, kind);
    if (a.parse_aopt(p, args, TCA_ACT_OPTIONS | NLA_F_NESTED, n) < 0) {
      p.io.stderr('bad action parsing\n');
      return bad_val();
    }
    if (args.cur === 'cookie') {
      args.next(p.io);
      const s = args.cur!;
      if (s.length > TC_COOKIE_MAX_SIZE * 2) invarg(p.io, `${s.length} Max allowed size ${TC_COOKIE_MAX_SIZE * 2}`, s);
      const ck = s.length % 2 ? null : hex2mem(s, s.length / 2);
      if (!ck) invarg(p.io, 'cookie must be a hex string\n', s);
      args.fwd();
      n.attr(TCA_ACT_COOKIE, ck);
    }
    if (args.cur !== undefined && !matches(args.cur, 'hw_stats')) {
      args.next(p.io);
      if (parse_hw_stats(args.cur!, n) < 0) invarg(p.io, 'value is invalid\n', args.cur!);
      args.fwd();
    }
    let flag = 0;
    if (args.cur === 'no_percpu') {
      flag |= TCA_ACT_FLAGS_NO_PERCPU_STATS;
      args.fwd();
    }
    // twice, so skip_sw/skip_hw may come in either order
    for (let i = 0; i < 2; i++) {
      if (args.cur === 'skip_sw') {
        flag |= TCA_ACT_FLAGS_SKIP_SW;
        args.fwd();
      } else if (args.cur === 'skip_hw') {
        flag |= TCA_ACT_FLAGS_SKIP_HW;
        args.fwd();
      }
    }
    if (flag) n.attr(TCA_ACT_FLAGS, new StructWriter(8).u32(0, flag).u32(4, flag).bytes);
    n.nestEnd(tail);
    ok++;
  }
  if (eap > 0) {
    p.io.stderr(`bad action empty ${eap}\n`);
    return bad_val();
  }
  n.nestEnd(tail2);
  return 0;
}, { input: (_p, args) => args.v.slice(args.i).join(' ') });

// tc/m_action.c print_hw_stats
function print_hw_stats(p: TcProc, arg: NlAttr, print_used: boolean): void {
  const r = new StructReader(arg.payload);
  const hw_stats = r.u32(0) & r.u32(4) & 0xff;
  p.pr.print_string(PRINT_FP, null, '\t', null);
  p.pr.open_json_array(PRINT_ANY, print_used ? 'used_hw_stats' : 'hw_stats');
  for (const [name, type] of hw_stats_items) {
    if ((!hw_stats && !type) || hw_stats & type) p.pr.print_string(PRINT_ANY, null, ' %s', name);
  }
  p.pr.close_json_array(PRINT_JSON, null);
  p.pr.print_nl();
}

// tc/m_action.c tc_print_one_action
function tc_print_one_action(p: TcProc, arg: NlAttr, bind: boolean): number {
  const tb = parse_rtattr(TCA_ACT_MAX, arg.payload);
  if (!tb[TCA_ACT_KIND]) {
    p.io.stderr('NULL Action!\n');
    return -1;
  }
  const { a } = get_action_kind(nla_get_string(tb[TCA_ACT_KIND]));
  const err = a.print_aopt(p, tb[TCA_ACT_OPTIONS]);
  if (err < 0) return err;
  if (p.brief && tb[TCA_ACT_INDEX]) {
    p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', nla_get_u32(tb[TCA_ACT_INDEX]));
    p.pr.print_nl();
  }
  if (p.show_stats && tb[TCA_ACT_STATS]) {
    p.pr.print_string(PRINT_FP, null, '\tAction statistics:', null);
    p.pr.print_nl();
    p.pr.open_json_object('stats');
    print_tcstats2_attr(p, tb[TCA_ACT_STATS], '\t');
    p.pr.close_json_object();
    p.pr.print_nl();
  }
  if (tb[TCA_ACT_COOKIE]) {
    p.pr.print_string(PRINT_ANY, 'cookie', '\tcookie %s', hexstring_n2a(tb[TCA_ACT_COOKIE].payload));
    p.pr.print_nl();
  }
  if (tb[TCA_ACT_FLAGS] || tb[TCA_ACT_IN_HW_COUNT]) {
    let skip_hw = false;
    let newline = false;
    if (tb[TCA_ACT_FLAGS]) {
      const r = new StructReader(tb[TCA_ACT_FLAGS].payload);
      const value = r.u32(0);
      const selector = r.u32(4);
      if (selector & TCA_ACT_FLAGS_NO_PERCPU_STATS) {
        newline = true;
        p.pr.print_bool(PRINT_ANY, 'no_percpu', '\tno_percpu', !!(value & TCA_ACT_FLAGS_NO_PERCPU_STATS));
      }
      if (!bind) {
        if (selector & TCA_ACT_FLAGS_SKIP_HW) {
          newline = true;
          p.pr.print_bool(PRINT_ANY, 'skip_hw', '\tskip_hw', !!(value & TCA_ACT_FLAGS_SKIP_HW));
          skip_hw = !!(value & TCA_ACT_FLAGS_SKIP_HW);
        }
        if (selector & TCA_ACT_FLAGS_SKIP_SW) {
          newline = true;
          p.pr.print_bool(PRINT_ANY, 'skip_sw', '\tskip_sw', !!(value & TCA_ACT_FLAGS_SKIP_SW));
        }
      }
    }
    if (tb[TCA_ACT_IN_HW_COUNT] && !bind && !skip_hw) {
      const count = nla_get_u32(tb[TCA_ACT_IN_HW_COUNT]);
      newline = true;
      if (count) {
        p.pr.print_bool(PRINT_ANY, 'in_hw', '\tin_hw', true);
        p.pr.print_uint(PRINT_ANY, 'in_hw_count', ' in_hw_count %u', count);
      } else {
        p.pr.print_bool(PRINT_ANY, 'not_in_hw', '\tnot_in_hw', true);
      }
    }
    if (newline) p.pr.print_nl();
  }
  if (tb[TCA_ACT_HW_STATS]) print_hw_stats(p, tb[TCA_ACT_HW_STATS], false);
  if (tb[TCA_ACT_USED_HW_STATS]) print_hw_stats(p, tb[TCA_ACT_USED_HW_STATS], true);
  return 0;
}

// tc/m_action.c tc_print_action (→ tc_dump_action with bind = true)
export function tc_print_action(p: TcProc, arg: NlAttr, tot_acts = 0): number {
  const max = tot_acts || TCA_ACT_MAX_PRIO;
  const tb = parse_rtattr(max, arg.payload);
  p.pr.open_json_array(PRINT_JSON, 'actions');
  for (let i = 0; i <= max; i++) {
    const a = tb[i];
    if (!a) continue;
    p.pr.open_json_object(null);
    p.pr.print_nl();
    p.pr.print_uint(PRINT_ANY, 'order', '\taction order %u: ', i);
    if (tc_print_one_action(p, a, true) < 0) p.io.stderr('Error printing action\n');
    p.pr.close_json_object();
  }
  p.pr.close_json_array(PRINT_JSON, null);
  return 0;
}

// ------------------------------------------------------------------
// `tc actions …`: standalone actions (tc/m_action.c do_action and friends).

// tc/m_action.c act_usage: prints and exits.
function act_usage(p: TcProc): never {
  p.io.stderr('usage: tc actions <ACTSPECOP>*\n' +
    'Where: \tACTSPECOP := ACR | GD | FL\n' +
    '\tACR := add | change | replace <ACTSPEC>*\n' +
    '\tGD := get | delete | <ACTISPEC>*\n' +
    '\tFL := ls | list | flush | <ACTNAMESPEC>\n' +
    '\tACTNAMESPEC :=  action <ACTNAME>\n' +
    '\tACTISPEC := <ACTNAMESPEC> <INDEXSPEC>\n' +
    '\tACTSPEC := action <ACTDETAIL> [INDEXSPEC] [HWSTATSSPEC] [SKIPSPEC]\n' +
    '\tINDEXSPEC := index <32 bit indexvalue>\n' +
    '\tHWSTATSSPEC := hw_stats [ immediate | delayed | disabled ]\n' +
    '\tSKIPSPEC := [ skip_sw | skip_hw ]\n' +
    '\tACTDETAIL := <ACTNAME> <ACTPARAMS>\n' +
    '\t\tExample ACTNAME is gact, mirred, bpf, etc\n' +
    '\t\tEach action has its own parameters (ACTPARAMS)\n' +
    '\n');
  throw new TcExit(-1);
}

/** A request with struct tcamsg (AF_UNSPEC, no padding set) as its family header. */
function newActReq(type: number, flags: number): NlRequest<number> {
  return {
    nlmsg_type: type, nlmsg_flags: flags, nlmsg_seq: 0, nlmsg_pid: 0, hdr: 0,
    encodeHdr: (family) => new StructWriter(TCAMSG_LEN).u8(0, family).bytes, attrs: new NlAttrBuf(),
  };
}

// tc/m_action.c tc_print_action_flush: "<kind> (<n> entries)".
function tc_print_action_flush(p: TcProc, arg: NlAttr): number {
  const tb = parse_rtattr(TCA_MAX, arg.payload);
  if (!tb[TCA_KIND]) {
    p.io.stderr('NULL Action!\n');
    return -1;
  }
  const { a } = get_action_kind(nla_get_string(tb[TCA_KIND]));
  const count = tb[TCA_FCNT] ? nla_get_u32(tb[TCA_FCNT]) : 0;
  p.io.stdout(` ${a.id} (${count} entries)\n`);
  return 0;
}

// tc/m_action.c tc_dump_action: the entries of TCA_ACT_TAB (numbered from 0
// in a table dump, from 1 in a reply); a flush reply is one entry 0.
function tc_dump_action(p: TcProc, arg: NlAttr | undefined, tot_acts: number, bind: boolean, tab_flush: boolean): number {
  if (!arg) return 0;
  const max = tot_acts || TCA_ACT_MAX_PRIO;
  const tb = parse_rtattr(max, arg.payload);
  if (tab_flush && tb[0] && !tb[1]) return tc_print_action_flush(p, tb[0]);
  p.pr.open_json_array(PRINT_JSON, 'actions');
  for (let i = 0; i <= max; i++) {
    const a = tb[i];
    if (!a) continue;
    p.pr.open_json_object(null);
    p.pr.print_nl();
    p.pr.print_uint(PRINT_ANY, 'order', '\taction order %u: ', i);
    if (tc_print_one_action(p, a, bind) < 0) p.io.stderr('Error printing action\n');
    p.pr.close_json_object();
  }
  p.pr.close_json_array(PRINT_JSON, null);
  return 0;
}

// tc/m_action.c print_action: one RTM_*ACTION message (dump entry, get
// reply, or a notification).
export function print_action(p: TcProc, h: NlMsg): number {
  const len = h.payload.byteLength - TCAMSG_LEN;
  if (len < 0) {
    p.io.stderr(`Wrong len ${len}\n`);
    return -1;
  }
  const tb = parse_rtattr(TCA_ROOT_MAX, h.payload.subarray(TCAMSG_LEN));
  const tot_acts = tb[TCA_ROOT_COUNT] ? nla_get_u32(tb[TCA_ROOT_COUNT]) : 0;
  p.pr.open_json_object(null);
  p.pr.print_uint(PRINT_ANY, 'total acts', 'total acts %u', tot_acts);
  p.pr.print_nl();
  p.pr.close_json_object();
  if (!tb[TCA_ACT_TAB]) {
    if (h.hdr.nlmsg_type !== RTM_GETACTION) p.io.stderr('print_action: NULL kind\n');
    return -1;
  }
  let tab_flush = false;
  if (h.hdr.nlmsg_type === RTM_DELACTION) {
    if (h.hdr.nlmsg_flags & NLM_F_ROOT) {
      p.io.stdout('Flushed table ');
      tab_flush = true;
    } else {
      p.io.stdout('Deleted action ');
    }
  }
  if (h.hdr.nlmsg_type === RTM_NEWACTION) {
    if (h.hdr.nlmsg_flags & NLM_F_CREATE && !(h.hdr.nlmsg_flags & NLM_F_REPLACE)) p.io.stdout('Added action ');
    else if (h.hdr.nlmsg_flags & NLM_F_REPLACE) p.io.stdout('Replaced action ');
  }
  p.pr.open_json_object(null);
  tc_dump_action(p, tb[TCA_ACT_TAB], tot_acts, false, tab_flush);
  p.pr.close_json_object();
  return 0;
}

// tc/m_action.c tc_action_gd: `get|delete action KIND index N …`, one nest
// per action with its kind and (when not 0) its index.
const tc_action_gd = hop('tc/m_action.c', function tc_action_gd(p: TcProc, cmd: number, flags: number, argv_p: Args): number {
  // upstream walks a copy and writes the position back only on success, so
  // after a kernel error do_action sees the same words again
  const args = argv_p.clone();
  const req = newActReq(cmd, NLM_F_REQUEST | flags);
  let prio = 0;
  args.fwd();
  const tail = req.attrs.nestStart(TCA_ACT_TAB);
  while (args.argc > 0) {
    if (args.cur === 'action') {
      args.fwd();
      continue;
    } else if (args.cur === 'help') {
      return -1;
    }
    const given = args.cur!.slice(0, 15);
    // get_action_kind: an unknown kind falls back to gact, renaming it
    const { a, kind: k } = get_action_kind(given);
    if (a.id !== k) {
      p.io.stderr(`Error: non existent action: ${k}\n`);
      return -1;
    }
    args.fwd();
    if (args.argc <= 0) {
      p.io.stderr(`Error: no index specified action: ${k}\n`);
      return -1;
    }
    let i = 0;
    if (!matches(args.cur!, 'index')) {
      args.next(p.io);
      const v = get_u32(args.cur, 10);
      if (v === null) {
        p.io.stderr('Illegal "index"\n');
        return -1;
      }
      i = v;
      args.fwd();
    } else {
      p.io.stderr(`Error: no index specified action: ${k}\n`);
      return -1;
    }
    const tail2 = req.attrs.nestStart(++prio);
    req.attrs.string(TCA_ACT_KIND, k);
    if (i > 0) req.attrs.u32(TCA_ACT_INDEX, i);
    req.attrs.nestEnd(tail2);
  }
  req.attrs.nestEnd(tail);
  const r = rtnl_talk(p.rth, req, cmd !== RTM_DELACTION);
  if (r.err < 0) {
    p.io.stderr('We have an error talking to the kernel\n');
    return 1;
  }
  if (cmd === RTM_GETACTION && r.answer) {
    p.pr.new_json_obj(!!p.json);
    if (print_action(p, r.answer) < 0) {
      p.io.stderr('Dump terminated\n');
      p.pr.delete_json_obj();
      return 1;
    }
    p.pr.delete_json_obj();
  }
  argv_p.take(args);
  return 0;
}, { input: (_p, cmd, _f, args) => `cmd=${cmd} ${args.v.slice(args.i).join(' ')}` });

// tc/m_action.c tc_action_modify: `add|change|replace action …` as one
// RTM_NEWACTION whose TCA_ACT_TAB is parse_action's list.
const tc_action_modify = hop('tc/m_action.c', function tc_action_modify(p: TcProc, cmd: number, flags: number, args: Args): number {
  const req = newActReq(cmd, NLM_F_REQUEST | flags);
  args.fwd();
  if (parse_action(p, args, TCA_ACT_TAB, req.attrs)) {
    p.io.stderr('Illegal "action"\n');
    return -1;
  }
  if (rtnl_talk(p.rth, req, false).err < 0) {
    p.io.stderr('We have an error talking to the kernel\n');
    return -1;
  }
  return 0;
}, { input: (_p, cmd, flags, args) => `cmd=${cmd} flags=0x${flags.toString(16)} ${args.v.slice(args.i).join(' ')}` });

// tc/m_action.c tc_act_list_or_flush: `list|flush action KIND [since MSECS]`:
// a dump of the kind's table (large dump, terse with -br) or a flush.
const tc_act_list_or_flush = hop('tc/m_action.c', function tc_act_list_or_flush(p: TcProc, args: Args, event: number): number {
  const req = newActReq(event, 0);
  const tail = req.attrs.nestStart(TCA_ACT_TAB);
  const given = args.cur!.slice(0, 15);
  const { a, kind } = get_action_kind(given);
  if (a.id !== kind) {
    p.io.stderr(`bad action ${kind}\n`);
    return 0;
  }
  // upstream copies the name again after the lookup: the kind sent is the one typed
  args.fwd();
  let msec_since = 0;
  if (args.argc && args.cur === 'since') {
    args.next(p.io);
    const v = get_u32(args.cur, 0);
    if (v === null) invarg(p.io, 'dump time "since" is invalid', args.cur!);
    msec_since = v;
  }
  const entry = req.attrs.nestStart(1);
  req.attrs.string(TCA_ACT_KIND, given);
  req.attrs.nestEnd(entry);
  req.attrs.nestEnd(tail);
  let flags = TCA_ACT_FLAG_LARGE_DUMP_ON;
  if (p.brief) flags |= TCA_ACT_FLAG_TERSE_DUMP;
  req.attrs.attr(TCA_ROOT_FLAGS, new StructWriter(8).u32(0, flags).u32(4, flags).bytes);
  if (msec_since) req.attrs.u32(TCA_ROOT_TIME_DELTA, msec_since);
  if (event === RTM_GETACTION) {
    const sent = rtnl_dump_request_n(p.rth, req);
    if (sent < 0) {
      p.io.stderr(`Cannot send dump request: ${strerror(sent)}\n`);
      return 1;
    }
    p.pr.new_json_obj(!!p.json);
    const ret = rtnl_dump_filter(p.rth, (h) => print_action(p, h));
    p.pr.delete_json_obj();
    return ret;
  }
  req.nlmsg_flags |= NLM_F_ROOT | NLM_F_REQUEST;
  if (rtnl_talk(p.rth, req, false).err < 0) {
    p.io.stderr('We have an error flushing\n');
    return 1;
  }
  return 0;
}, { input: (_p, args, event) => `event=${event} ${args.v.slice(args.i).join(' ')}` });

// tc/m_action.c do_action: `tc actions COMMAND …`, commands in sequence.
export const do_action = hop('tc/m_action.c', function do_action(p: TcProc, args: Args): number {
  let ret = 0;
  while (args.argc > 0) {
    const w = args.cur!;
    if (!matches(w, 'add')) {
      ret = tc_action_modify(p, RTM_NEWACTION, NLM_F_EXCL | NLM_F_CREATE, args);
    } else if (!matches(w, 'change') || !matches(w, 'replace')) {
      ret = tc_action_modify(p, RTM_NEWACTION, NLM_F_CREATE | NLM_F_REPLACE, args);
    } else if (!matches(w, 'delete')) {
      args.fwd();
      ret = tc_action_gd(p, RTM_DELACTION, 0, args);
    } else if (!matches(w, 'get')) {
      args.fwd();
      ret = tc_action_gd(p, RTM_GETACTION, 0, args);
    } else if (!matches(w, 'list') || !matches(w, 'show') || !matches(w, 'lst')) {
      if (args.argc <= 2) act_usage(p);
      args.i += 2;
      return tc_act_list_or_flush(p, args, RTM_GETACTION);
    } else if (!matches(w, 'flush')) {
      if (args.argc <= 2) act_usage(p);
      args.i += 2;
      return tc_act_list_or_flush(p, args, RTM_DELACTION);
    } else if (!matches(w, 'help')) {
      act_usage(p);
    } else {
      p.io.stderr(`Command "${w}" is unknown, try "tc actions help".\n`);
      return -1;
    }
    if (ret < 0) return -1;
  }
  return 0;
}, { input: (_p, args) => args.v.slice(args.i).join(' ') });
