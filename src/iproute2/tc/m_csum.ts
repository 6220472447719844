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
import { print_kind_only } from './m_action_print';
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

export const csum_action_util: ActionUtil = { id: 'csum', parse_aopt: parse_csum, print_aopt: print_kind_only('csum') };
