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
import type { NlAttrBuf } from '../../netlink/msgbuf';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { Args, hex2mem, hexstring_n2a, invarg, matches } from '../lib/utils';
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
