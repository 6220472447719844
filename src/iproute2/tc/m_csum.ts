// tc/m_csum.c (iproute2 v6.1.0): checksum recalculation.
import { hop } from '../../trace/hop';
import { TC_ACT_OK } from '../../kernel/include/uapi/linux/pkt_cls';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import {
  TCA_CSUM_PARMS, TCA_CSUM_UPDATE_FLAG_ICMP, TCA_CSUM_UPDATE_FLAG_IGMP, TCA_CSUM_UPDATE_FLAG_IPV4HDR,
  TCA_CSUM_UPDATE_FLAG_SCTP, TCA_CSUM_UPDATE_FLAG_TCP, TCA_CSUM_UPDATE_FLAG_UDP, TCA_CSUM_UPDATE_FLAG_UDPLITE,
} from '../include/uapi/linux/tc_act/tc_csum';
import { Args, TcExit, get_u32, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import type { NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm } from './tc_util';
import { StructReader } from '../../netlink/attr';
import { TCA_CSUM_MAX, TCA_CSUM_TM } from '../../kernel/include/uapi/linux/tc_act/tc_csum';
import { parse_action_control_dflt } from './tc_util';

function explain(p: TcProc): void {
  p.io.stderr('Usage: ... csum <UPDATE>\n' +
    'Where: UPDATE := <TARGET> [<UPDATE>]\n' +
    '       TARGET := { ip4h | icmp | igmp | tcp | udp | udplite | sctp | <SWEETS> }\n' +
    '       SWEETS := { and | or | \'+\' }\n');
}

// tc/m_csum.c parse_csum_args: header words; "and"/"or"/"+" are ignored.
function parse_csum_args(args: Args): number {
  let flags = 0;
  while (args.argc > 0) {
    const c = args.cur!;
    if (!matches(c, 'iph') || !matches(c, 'ip4h') || !matches(c, 'ipv4h')) flags |= TCA_CSUM_UPDATE_FLAG_IPV4HDR;
    else if (!matches(c, 'icmp')) flags |= TCA_CSUM_UPDATE_FLAG_ICMP;
    else if (!matches(c, 'igmp')) flags |= TCA_CSUM_UPDATE_FLAG_IGMP;
    else if (!matches(c, 'tcp')) flags |= TCA_CSUM_UPDATE_FLAG_TCP;
    else if (!matches(c, 'udp')) flags |= TCA_CSUM_UPDATE_FLAG_UDP;
    else if (!matches(c, 'udplite')) flags |= TCA_CSUM_UPDATE_FLAG_UDPLITE;
    else if (!matches(c, 'sctp')) flags |= TCA_CSUM_UPDATE_FLAG_SCTP;
    else if (!matches(c, 'and') || !matches(c, 'or') || !matches(c, '+')) { /* ignored */ }
    else break;
    args.fwd();
  }
  return flags;
}

// tc/m_csum.c parse_csum
export const parse_csum = hop('tc/m_csum.c', function parse_csum(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let ok = 0;
  let update_flags = 0;
  let index = 0;
  while (args.argc > 0) {
    if (!matches(args.cur!, 'csum')) {
      args.next(p.io);
      update_flags |= parse_csum_args(args);
      ok++;
      continue;
    } else if (!matches(args.cur!, 'help')) {
      explain(p);
      throw new TcExit(-1);
    }
    break;
  }
  if (!ok) {
    explain(p);
    return -1;
  }
  if (update_flags === 0) {
    p.io.stderr('Illegal csum construct, empty <UPDATE> list\n');
    return -1;
  }
  const ctl = parse_action_control_dflt(p, args, false, TC_ACT_OK);
  if (args.argc > 0 && !matches(args.cur!, 'index')) {
    args.next(p.io);
    const i = get_u32(args.cur, 10);
    if (i === null) {
      p.io.stderr(`Illegal "index" (${args.cur!}) <csum>\n`);
      return -1;
    }
    index = i;
    args.fwd();
  }
  const tail = n.nestStart(tca_id);
  // struct tc_csum: tc_gen + u32 update_flags @20
  n.attr(TCA_CSUM_PARMS, new StructWriter(24).u32(0, index).s32(8, ctl).u32(20, update_flags).bytes);
  n.nestEnd(tail);
  return 0;
});

// tc/m_csum.c print_csum
function print_csum(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'csum');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_CSUM_MAX, arg.payload);
  if (!tb[TCA_CSUM_PARMS]) {
    p.io.stderr('Missing csum parameters\n');
    return -1;
  }
  const sel = new StructReader(tb[TCA_CSUM_PARMS].payload);
  const f = sel.u32(20);
  const names: Array<[number, string]> = [
    [TCA_CSUM_UPDATE_FLAG_IPV4HDR, 'iph'], [TCA_CSUM_UPDATE_FLAG_ICMP, 'icmp'], [TCA_CSUM_UPDATE_FLAG_IGMP, 'igmp'],
    [TCA_CSUM_UPDATE_FLAG_TCP, 'tcp'], [TCA_CSUM_UPDATE_FLAG_UDP, 'udp'], [TCA_CSUM_UPDATE_FLAG_UDPLITE, 'udplite'],
    [TCA_CSUM_UPDATE_FLAG_SCTP, 'sctp'],
  ];
  const set = names.filter(([bit]) => f & bit).map(([, n]) => n);
  p.pr.print_string(PRINT_ANY, 'csum', '(%s) ', set.length ? set.join(', ') : '?empty');
  print_action_control(p, 'action ', sel.s32(8), p.pr.sl);
  p.pr.print_uint(PRINT_ANY, 'index', '\tindex %u', sel.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', sel.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', sel.s32(16));
  if (p.show_stats && tb[TCA_CSUM_TM]) print_tm(p, tb[TCA_CSUM_TM].payload);
  p.pr.print_nl();
  return 0;
}
void PRINT_FP; void PRINT_JSON;

export const csum_action_util: ActionUtil = { id: 'csum', parse_aopt: parse_csum, print_aopt: print_csum };
