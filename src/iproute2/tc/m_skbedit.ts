// tc/m_skbedit.c (iproute2 v6.1.0): skb metadata edits (mark, priority, …).
import { hop } from '../../trace/hop';
import { TC_ACT_PIPE } from '../../kernel/include/uapi/linux/pkt_cls';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import {
  SKBEDIT_F_INHERITDSFIELD, TCA_SKBEDIT_FLAGS, TCA_SKBEDIT_MARK, TCA_SKBEDIT_MASK, TCA_SKBEDIT_PARMS,
  TCA_SKBEDIT_PRIORITY, TCA_SKBEDIT_PTYPE, TCA_SKBEDIT_QUEUE_MAPPING,
} from '../include/uapi/linux/tc_act/tc_skbedit';
import { Args, TcExit, get_u32, get_unsigned, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import type { NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm } from './tc_util';
import { StructReader, nla_get_u16, nla_get_u32 } from '../../netlink/attr';
import { TCA_SKBEDIT_MAX, TCA_SKBEDIT_TM } from '../../kernel/include/uapi/linux/tc_act/tc_skbedit';
import { sprint_tc_classid } from './tc_util';
import { get_tc_classid, parse_action_control_dflt } from './tc_util';

function explain(p: TcProc): void {
  p.io.stderr('Usage: ... skbedit <[QM] [PM] [MM] [PT] [IF]>\n' +
    'QM = queue_mapping QUEUE_MAPPING\n' +
    'PM = priority PRIORITY\n' +
    'MM = mark MARK[/MASK]\n' +
    'PT = ptype PACKETYPE\n' +
    'IF = inheritdsfield\n' +
    'PACKETYPE = is one of:\n' +
    '  host, otherhost, broadcast, multicast\n' +
    'QUEUE_MAPPING = device transmit queue to use\n' +
    'PRIORITY = classID to assign to priority field\n' +
    'MARK = firewall mark to set\n' +
    'MASK = mask applied to firewall mark (0xffffffff by default)\n' +
    'note: inheritdsfield maps DS field to skb->priority\n');
}

// tc/m_skbedit.c parse_skbedit
export const parse_skbedit = hop('tc/m_skbedit.c', function parse_skbedit(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let ok = 0;
  let queue_mapping: number | undefined;
  let priority: number | undefined;
  let mark: number | undefined;
  let mask: number | undefined;
  let ptype: number | undefined;
  let pure_flags = 0n;
  let index = 0;
  if (matches(args.cur!, 'skbedit')) return -1;
  args.next(p.io);
  while (args.argc > 0) {
    const c = args.cur!;
    if (!matches(c, 'queue_mapping')) {
      args.next(p.io);
      const v = get_unsigned(args.cur, 10);
      if (v === null || v > 65535) {
        p.io.stderr('Illegal queue_mapping\n');
        return -1;
      }
      queue_mapping = v;
      ok++;
    } else if (!matches(c, 'priority')) {
      args.next(p.io);
      const v = get_tc_classid(args.cur!);
      if (v === null) {
        p.io.stderr('Illegal priority\n');
        return -1;
      }
      priority = v;
      ok++;
    } else if (!matches(c, 'mark')) {
      args.next(p.io);
      const [m, k] = args.cur!.split('/');
      const v = get_u32(m, 0);
      if (v === null) {
        p.io.stderr('Illegal mark\n');
        return -1;
      }
      mark = v;
      if (k !== undefined) {
        const mk = get_u32(k, 0);
        if (mk === null) {
          p.io.stderr('Illegal mask\n');
          return -1;
        }
        mask = mk;
      }
      ok++;
    } else if (!matches(c, 'ptype')) {
      args.next(p.io);
      const t = args.cur!;
      // PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3 (linux/if_packet.h)
      if (!matches(t, 'host')) ptype = 0;
      else if (!matches(t, 'broadcast')) ptype = 1;
      else if (!matches(t, 'multicast')) ptype = 2;
      else if (!matches(t, 'otherhost')) ptype = 3;
      else {
        p.io.stderr(`Illegal ptype (${t})\n`);
        return -1;
      }
      ok++;
    } else if (!matches(c, 'inheritdsfield')) {
      pure_flags |= BigInt(SKBEDIT_F_INHERITDSFIELD);
      ok++;
    } else if (!matches(c, 'help')) {
      explain(p);
      throw new TcExit(-1);
    } else {
      break;
    }
    args.fwd();
  }
  const ctl = parse_action_control_dflt(p, args, false, TC_ACT_PIPE);
  if (args.argc > 0 && !matches(args.cur!, 'index')) {
    args.next(p.io);
    const i = get_u32(args.cur, 10);
    if (i === null) {
      p.io.stderr('skbedit: Illegal "index"\n');
      return -1;
    }
    index = i;
    args.fwd();
    ok++;
  }
  if (!ok) {
    explain(p);
    return -1;
  }
  const tail = n.nestStart(tca_id);
  n.attr(TCA_SKBEDIT_PARMS, new StructWriter(20).u32(0, index).s32(8, ctl).bytes);
  if (queue_mapping !== undefined) n.u16(TCA_SKBEDIT_QUEUE_MAPPING, queue_mapping);
  if (priority !== undefined) n.u32(TCA_SKBEDIT_PRIORITY, priority);
  if (mark !== undefined) n.u32(TCA_SKBEDIT_MARK, mark);
  if (mask !== undefined) n.u32(TCA_SKBEDIT_MASK, mask);
  if (ptype !== undefined) n.u16(TCA_SKBEDIT_PTYPE, ptype);
  if (pure_flags !== 0n) n.attr(TCA_SKBEDIT_FLAGS, new StructWriter(8).u64(0, pure_flags).bytes);
  n.nestEnd(tail);
  return 0;
});

// tc/m_skbedit.c print_skbedit
function print_skbedit(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'skbedit');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_SKBEDIT_MAX, arg.payload);
  if (!tb[TCA_SKBEDIT_PARMS]) {
    p.io.stderr('Missing skbedit parameters\n');
    return -1;
  }
  const parm = new StructReader(tb[TCA_SKBEDIT_PARMS].payload);
  if (tb[TCA_SKBEDIT_QUEUE_MAPPING]) p.pr.print_uint(PRINT_ANY, 'queue_mapping', 'queue_mapping %u', nla_get_u16(tb[TCA_SKBEDIT_QUEUE_MAPPING]));
  if (tb[TCA_SKBEDIT_PRIORITY]) p.pr.print_string(PRINT_ANY, 'priority', ' priority %s', sprint_tc_classid(nla_get_u32(tb[TCA_SKBEDIT_PRIORITY])));
  if (tb[TCA_SKBEDIT_MARK]) p.pr.print_uint(PRINT_ANY, 'mark', ' mark %u', nla_get_u32(tb[TCA_SKBEDIT_MARK]));
  if (tb[TCA_SKBEDIT_MASK]) p.pr.print_hex(PRINT_ANY, 'mask', '/%#x', nla_get_u32(tb[TCA_SKBEDIT_MASK]));
  if (tb[TCA_SKBEDIT_PTYPE]) {
    const ptype = nla_get_u16(tb[TCA_SKBEDIT_PTYPE]);
    const names = ['host', 'broadcast', 'multicast', 'otherhost'];
    if (ptype < names.length) p.pr.print_string(PRINT_ANY, 'ptype', ' ptype %s', names[ptype]!);
    else p.pr.print_uint(PRINT_ANY, 'ptype', ' ptype %u', ptype);
  }
  if (tb[TCA_SKBEDIT_FLAGS] && (new StructReader(tb[TCA_SKBEDIT_FLAGS].payload).u32(0) & SKBEDIT_F_INHERITDSFIELD)) {
    p.pr.print_string(PRINT_FP, null, ' %s', 'inheritdsfield');
    p.pr.print_bool(PRINT_JSON, 'inheritdsfield', null, true);
  }
  print_action_control(p, ' ', parm.s32(8), '');
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', parm.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', parm.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', parm.s32(16));
  if (p.show_stats && tb[TCA_SKBEDIT_TM]) print_tm(p, tb[TCA_SKBEDIT_TM].payload);
  p.pr.print_nl();
  return 0;
}

export const skbedit_action_util: ActionUtil = {
  id: 'skbedit', parse_aopt: parse_skbedit, print_aopt: print_skbedit,
};
