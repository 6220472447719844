// tc/m_gact.c (iproute2 v6.1.0, built with CONFIG_GACT_PROB): the generic
// verdict action (drop, pass, trap, goto chain N, …).
import { hop } from '../../trace/hop';
import { TCA_GACT_PARMS, TCA_GACT_PROB, TCA_GACT_TM } from '../../kernel/include/uapi/linux/tc_act/tc_gact';
import { StructReader, StructWriter, type NlAttr } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import { PRINT_ANY } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { Args, TcExit, get_u16, get_u32, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import { parse_action_control, print_action_control, print_tm } from './tc_util';

const PGACT_NONE = 0;
const PGACT_NETRAND = 1;
const PGACT_DETERM = 2;

function prob_n2a(p: number): string {
  if (p === PGACT_NETRAND) return 'netrand';
  if (p === PGACT_DETERM) return 'determ';
  return 'none';
}

function usage(p: TcProc): never {
  p.io.stderr('Usage: ... gact <ACTION> [RAND] [INDEX]\n' +
    'Where: \tACTION := reclassify | drop | continue | pass | pipe |\n' +
    '       \t          goto chain <CHAIN_INDEX> | jump <JUMP_COUNT>\n' +
    '\tRAND := random <RANDTYPE> <ACTION> <VAL>\n' +
    '\tRANDTYPE := netrand | determ\n' +
    '\tVAL : = value not exceeding 10000\n' +
    '\tJUMP_COUNT := Absolute jump from start of action list\n' +
    '\tINDEX := index value used\n' +
    '\n');
  throw new TcExit(-1);
}

/** struct tc_gact = tc_gen: index, capab, action, refcnt, bindcnt. */
function tc_gen(index: number, action: number): Uint8Array {
  return new StructWriter(20).u32(0, index).s32(8, action).bytes;
}

// tc/m_gact.c parse_gact
export const parse_gact = hop('tc/m_gact.c', function parse_gact(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let action = 0;
  let index = 0;
  let rd: { ptype: number; paction: number; pval: number } | undefined;
  if (args.argc < 0) return -1;
  if (!matches(args.cur!, 'gact')) args.next(p.io);
  let skip_args = !matches(args.cur!, 'index');
  if (!skip_args) {
    const a = parse_action_control(p, args, false);
    if (a === null) usage(p);
    action = a;
    if (args.argc > 0) {
      if (!matches(args.cur!, 'random')) {
        args.next(p.io);
        let ptype: number;
        if (!matches(args.cur!, 'netrand')) ptype = PGACT_NETRAND;
        else if (!matches(args.cur!, 'determ')) ptype = PGACT_DETERM;
        else {
          p.io.stderr('Illegal "random type"\n');
          return -1;
        }
        args.next(p.io);
        const pa = parse_action_control(p, args, false);
        if (pa === null) usage(p);
        const pval = get_u16(args.cur, 10);
        if (pval === null || pval > 10000) {
          p.io.stderr(`Illegal probability val ${pval === null ? '' : ' '}0x${(pval ?? 0).toString(16)}\n`);
          return -1;
        }
        rd = { ptype, paction: pa, pval };
        args.fwd();
      } else if (!matches(args.cur!, 'help')) {
        usage(p);
      }
    }
    if (args.argc > 0) {
      if (!matches(args.cur!, 'index')) skip_args = true;
      else if (!matches(args.cur!, 'help')) usage(p);
    }
  }
  if (skip_args) {
    args.next(p.io);
    const i = get_u32(args.cur, 10);
    if (i === null) {
      p.io.stderr('Illegal "index"\n');
      return -1;
    }
    index = i;
    args.fwd();
  }
  const tail = n.nestStart(tca_id);
  n.attr(TCA_GACT_PARMS, tc_gen(index, action));
  if (rd) {
    // struct tc_gact_p { u16 ptype; u16 pval; s32 paction; }
    n.attr(TCA_GACT_PROB, new StructWriter(8).u16(0, rd.ptype).u16(2, rd.pval).s32(4, rd.paction).bytes);
  }
  n.nestEnd(tail);
  return 0;
});

// tc/m_gact.c print_gact
function print_gact(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'gact');
  if (!arg) return 0;
  const tb = parse_rtattr(4, arg.payload);
  const parms = tb[TCA_GACT_PARMS];
  if (!parms) {
    p.io.stderr('Missing gact parameters\n');
    return -1;
  }
  const r = new StructReader(parms.payload);
  print_action_control(p, 'action ', r.s32(8), '');
  const prob = tb[TCA_GACT_PROB];
  const pr = prob ? new StructReader(prob.payload) : undefined;
  p.pr.open_json_object('prob');
  p.pr.print_nl();
  p.pr.print_string(PRINT_ANY, 'random_type', '\t random type %s', prob_n2a(pr ? pr.u16(0) : PGACT_NONE));
  print_action_control(p, ' ', pr ? pr.s32(4) : 0, ' ');
  p.pr.print_int(PRINT_ANY, 'val', 'val %d', pr ? pr.u16(2) : 0);
  p.pr.close_json_object();
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', r.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', r.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', r.s32(16));
  if (p.show_stats && tb[TCA_GACT_TM]) print_tm(p, tb[TCA_GACT_TM].payload);
  p.pr.print_nl();
  return 0;
}

export const gact_action_util: ActionUtil = { id: 'gact', parse_aopt: parse_gact, print_aopt: print_gact };
