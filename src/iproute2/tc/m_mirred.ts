// tc/m_mirred.c (iproute2 v6.1.0): redirect / mirror to a device.
import { hop } from '../../trace/hop';
import { TC_ACT_PIPE, TC_ACT_STOLEN } from '../../kernel/include/uapi/linux/pkt_cls';
import {
  TCA_EGRESS_MIRROR, TCA_EGRESS_REDIR, TCA_INGRESS_MIRROR, TCA_INGRESS_REDIR, TCA_MIRRED_PARMS, TCA_MIRRED_TM,
} from '../../kernel/include/uapi/linux/tc_act/tc_mirred';
import { StructReader, StructWriter, type NlAttr } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { ll_init_map } from '../lib/ll_map';
import { Args, TcExit, duparg, get_u32, matches, nodev } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import { parse_action_control_dflt, print_action_control, print_tm } from './tc_util';

function mirred_n2a(a: number): string {
  switch (a) {
    case TCA_EGRESS_REDIR: return 'Egress Redirect';
    case TCA_INGRESS_REDIR: return 'Ingress Redirect';
    case TCA_EGRESS_MIRROR: return 'Egress Mirror';
    case TCA_INGRESS_MIRROR: return 'Ingress Mirror';
    default: return 'unknown';
  }
}
function mirred_direction(a: number): string {
  if (a === TCA_EGRESS_REDIR || a === TCA_EGRESS_MIRROR) return 'egress';
  if (a === TCA_INGRESS_REDIR || a === TCA_INGRESS_MIRROR) return 'ingress';
  return 'unknown';
}
function mirred_action(a: number): string {
  if (a === TCA_EGRESS_REDIR || a === TCA_INGRESS_REDIR) return 'redirect';
  if (a === TCA_EGRESS_MIRROR || a === TCA_INGRESS_MIRROR) return 'mirror';
  return 'unknown';
}

function usage(p: TcProc): never {
  p.io.stderr('Usage: mirred <DIRECTION> <ACTION> [index INDEX] <dev DEVICENAME>\n' +
    'where:\n' +
    '\tDIRECTION := <ingress | egress>\n' +
    '\tACTION := <mirror | redirect>\n' +
    '\tINDEX  is the specific policy instance id\n' +
    '\tDEVICENAME is the devicename\n');
  throw new TcExit(-1);
}

// tc/m_mirred.c parse_direction
function parse_direction(p: TcProc, args: Args, tca_id: number, n: NlAttrBuf): number {
  let ok = 0;
  let iok = 0;
  let mirror = false;
  let redir = false;
  let ingress = false;
  let egress = false;
  let index = 0;
  let eaction = 0;
  let action = 0;
  let ifindex = 0;
  let d = '';
  while (args.argc > 0) {
    const c = args.cur!;
    if (!matches(c, 'action')) {
      args.next(p.io);
      break;
    } else if (!egress && !matches(c, 'egress')) {
      egress = true;
      if (ingress) {
        p.io.stderr("Can't have both egress and ingress\n");
        return -1;
      }
      args.next(p.io);
      ok++;
      continue;
    } else if (!ingress && !matches(c, 'ingress')) {
      ingress = true;
      if (egress) {
        p.io.stderr("Can't have both ingress and egress\n");
        return -1;
      }
      args.next(p.io);
      ok++;
      continue;
    } else if (!matches(c, 'index')) {
      args.next(p.io);
      const i = get_u32(args.cur, 10);
      if (i === null) {
        p.io.stderr('Illegal "index"\n');
        return -1;
      }
      index = i;
      iok++;
      if (!ok) {
        args.fwd();
        break;
      }
    } else if (!ok) {
      p.io.stderr(`was expecting egress or ingress (${c})\n`);
      break;
    } else if (!mirror && !matches(c, 'mirror')) {
      mirror = true;
      if (redir) {
        p.io.stderr("Can't have both mirror and redir\n");
        return -1;
      }
      eaction = egress ? TCA_EGRESS_MIRROR : TCA_INGRESS_MIRROR;
      action = TC_ACT_PIPE;
      ok++;
    } else if (!redir && !matches(c, 'redirect')) {
      redir = true;
      if (mirror) {
        p.io.stderr("Can't have both mirror and redir\n");
        return -1;
      }
      eaction = egress ? TCA_EGRESS_REDIR : TCA_INGRESS_REDIR;
      action = TC_ACT_STOLEN;
      ok++;
    } else if ((redir || mirror) && !matches(c, 'dev')) {
      args.next(p.io);
      if (d) duparg(p.io, 'dev', args.cur!);
      d = args.cur!.slice(0, 15);
      args.fwd();
      break;
    }
    args.next(p.io);
  }
  if (!ok && !iok) return -1;
  if (d) {
    ll_init_map(p.rth, p.ll);
    const idx = p.ll.ll_name_to_index(p.rth, d);
    if (!idx) return nodev(p.io, d);
    ifindex = idx;
  }
  if (eaction === TCA_EGRESS_MIRROR || eaction === TCA_INGRESS_MIRROR) {
    action = parse_action_control_dflt(p, args, false, TC_ACT_PIPE);
  }
  if (args.argc > 0) {
    if (iok && !matches(args.cur!, 'index')) {
      p.io.stderr('mirred: Illegal double index\n');
      return -1;
    }
    if (!matches(args.cur!, 'index')) {
      args.next(p.io);
      const i = get_u32(args.cur, 10);
      if (i === null) {
        p.io.stderr('mirred: Illegal "index"\n');
        return -1;
      }
      index = i;
      args.fwd();
    }
  }
  const tail = n.nestStart(tca_id);
  // struct tc_mirred: tc_gen + s32 eaction @20 + u32 ifindex @24
  n.attr(TCA_MIRRED_PARMS, new StructWriter(28).u32(0, index).s32(8, action).s32(20, eaction).u32(24, ifindex).bytes);
  n.nestEnd(tail);
  return 0;
}

// tc/m_mirred.c parse_mirred
export const parse_mirred = hop('tc/m_mirred.c', function parse_mirred(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  if (args.argc < 0) {
    p.io.stderr(`mirred bad argument count ${args.argc}\n`);
    return -1;
  }
  if (!matches(args.cur!, 'mirred')) args.next(p.io);
  else {
    p.io.stderr(`mirred bad argument ${args.cur!}\n`);
    return -1;
  }
  const c = args.cur!;
  if (!matches(c, 'egress') || !matches(c, 'ingress') || !matches(c, 'index')) {
    const a = args.clone();
    if (parse_direction(p, a, tca_id, n) === 0) {
      args.take(a);
      return 0;
    }
  } else if (!matches(c, 'help')) {
    usage(p);
  } else {
    p.io.stderr(`mirred option not supported ${c}\n`);
  }
  return -1;
});

// tc/m_mirred.c print_mirred
function print_mirred(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'mirred');
  if (!arg) return 0;
  const tb = parse_rtattr(4, arg.payload);
  const parms = tb[TCA_MIRRED_PARMS];
  if (!parms) {
    p.io.stderr('Missing mirred parameters\n');
    return -1;
  }
  const r = new StructReader(parms.payload);
  const eaction = r.s32(20);
  const dev = p.ll.ll_index_to_name(p.rth, r.u32(24));
  p.pr.print_string(PRINT_FP, null, '(%s', mirred_n2a(eaction));
  p.pr.print_string(PRINT_JSON, 'mirred_action', null, mirred_action(eaction));
  p.pr.print_string(PRINT_JSON, 'direction', null, mirred_direction(eaction));
  p.pr.print_string(PRINT_ANY, 'to_dev', ' to device %s)', dev);
  print_action_control(p, ' ', r.s32(8), '');
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\tindex %u', r.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', r.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', r.s32(16));
  if (p.show_stats && tb[TCA_MIRRED_TM]) print_tm(p, tb[TCA_MIRRED_TM].payload);
  p.pr.print_nl();
  return 0;
}

export const mirred_action_util: ActionUtil = { id: 'mirred', parse_aopt: parse_mirred, print_aopt: print_mirred };
