// tc/m_mpls.c (iproute2 v6.1.0): MPLS push / pop / modify / dec_ttl / mac_push.
import { hop } from '../../trace/hop';
import { TC_ACT_PIPE } from '../../kernel/include/uapi/linux/pkt_cls';
import { NLA_F_NESTED, StructReader, StructWriter, nla_get_u16, nla_get_u32, nla_get_u8, type NlAttr } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import { ETH_P_MPLS_MC, ETH_P_MPLS_UC } from '../include/uapi/linux/if_ether';
import {
  TCA_MPLS_ACT_DEC_TTL, TCA_MPLS_ACT_MAC_PUSH, TCA_MPLS_ACT_MODIFY, TCA_MPLS_ACT_POP, TCA_MPLS_ACT_PUSH, TCA_MPLS_BOS,
  TCA_MPLS_LABEL, TCA_MPLS_MAX, TCA_MPLS_PARMS, TCA_MPLS_PROTO, TCA_MPLS_TC, TCA_MPLS_TM, TCA_MPLS_TTL,
} from '../include/uapi/linux/tc_act/tc_mpls';
import { ll_proto_a2n, ll_proto_n2a } from '../lib/ll_proto';
import { Args, TcExit, get_u32, get_u8, htons, incomplete_command, invarg, matches, type Stdio } from '../lib/utils';
import { PRINT_ANY } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import type { ActionUtil, TcProc } from './tc_common';
import { parse_action_control_dflt, print_action_control, print_tm } from './tc_util';

const action_names: Record<number, string> = {
  [TCA_MPLS_ACT_POP]: 'pop', [TCA_MPLS_ACT_PUSH]: 'push', [TCA_MPLS_ACT_MODIFY]: 'modify',
  [TCA_MPLS_ACT_DEC_TTL]: 'dec_ttl', [TCA_MPLS_ACT_MAC_PUSH]: 'mac_push',
};

function explain(p: TcProc): void {
  p.io.stderr('Usage: mpls pop [ protocol MPLS_PROTO ] [CONTROL]\n' +
    '       mpls push [ protocol MPLS_PROTO ] [ label MPLS_LABEL ] [ tc MPLS_TC ]\n' +
    '                 [ ttl MPLS_TTL ] [ bos MPLS_BOS ] [CONTROL]\n' +
    '       mpls mac_push [ protocol MPLS_PROTO ] [ label MPLS_LABEL ] [ tc MPLS_TC ]\n' +
    '                     [ ttl MPLS_TTL ] [ bos MPLS_BOS ] [CONTROL]\n' +
    '       mpls modify [ label MPLS_LABEL ] [ tc MPLS_TC ] [ ttl MPLS_TTL ]\n' +
    '                   [ bos MPLS_BOS ] [CONTROL]\n' +
    '           for pop, MPLS_PROTO is next header of packet - e.g. ip or mpls_uc\n' +
    '           for push and mac_push, MPLS_PROTO is one of mpls_uc or mpls_mc\n' +
    '               with default: mpls_uc\n' +
    '       CONTROL := reclassify | pipe | drop | continue | pass |\n' +
    '                  goto chain <CHAIN_INDEX>\n');
}

// lib/utils.c missarg
function missarg(io: Stdio, key: string): never {
  io.stderr(`Error: argument "${key}" is required\n`);
  throw new TcExit(-1);
}

const can_modify_mpls_fields = (a: number): boolean =>
  a === TCA_MPLS_ACT_PUSH || a === TCA_MPLS_ACT_MAC_PUSH || a === TCA_MPLS_ACT_MODIFY;
const can_set_ethtype = (a: number): boolean => a === TCA_MPLS_ACT_PUSH || a === TCA_MPLS_ACT_MAC_PUSH || a === TCA_MPLS_ACT_POP;

// tc/m_mpls.c parse_mpls
export const parse_mpls = hop('tc/m_mpls.c', function parse_mpls(p: TcProc, args: Args, tca_id: number, n: NlAttrBuf): number {
  let label = 0xffffffff;
  let action = 0;
  let proto = 0;
  let bos = 0xff;
  let tc = 0xff;
  let ttl = 0;
  let index = 0;
  if (matches(args.cur!, 'mpls')) return -1;
  args.next(p.io);
  const verbs: Array<[string, number]> = [
    ['pop', TCA_MPLS_ACT_POP], ['push', TCA_MPLS_ACT_PUSH], ['modify', TCA_MPLS_ACT_MODIFY],
    ['mac_push', TCA_MPLS_ACT_MAC_PUSH], ['dec_ttl', TCA_MPLS_ACT_DEC_TTL],
  ];
  while (args.argc > 0) {
    const c = args.cur!;
    const verb = verbs.find(([w]) => !matches(c, w));
    if (verb) {
      // check_double_action
      if (action) {
        p.io.stderr(`Error: got "${c}" but action already set to "${action_names[action]}"\n`);
        explain(p);
        return -1;
      }
      action = verb[1];
    } else if (!matches(c, 'label')) {
      if (!can_modify_mpls_fields(action)) invarg(p.io, 'only valid for push, mac_push and modify', c);
      args.next(p.io);
      const v = get_u32(args.cur, 0);
      if (v === null || v > 0xfffff) invarg(p.io, 'label must be <=0xFFFFF', args.cur!);
      label = v;
    } else if (!matches(c, 'tc')) {
      if (!can_modify_mpls_fields(action)) invarg(p.io, 'only valid for push, mac_push and modify', c);
      args.next(p.io);
      const v = get_u8(args.cur, 0);
      if (v === null || v & ~0x7) invarg(p.io, 'tc field is 3 bits max', args.cur!);
      tc = v;
    } else if (!matches(c, 'ttl')) {
      if (!can_modify_mpls_fields(action)) invarg(p.io, 'only valid for push, mac_push and modify', c);
      args.next(p.io);
      const v = get_u8(args.cur, 0);
      if (v === null || !v) invarg(p.io, 'ttl must be >0 and <=255', args.cur!);
      ttl = v;
    } else if (!matches(c, 'bos')) {
      if (!can_modify_mpls_fields(action)) invarg(p.io, 'only valid for push, mac_push and modify', c);
      args.next(p.io);
      const v = get_u8(args.cur, 0);
      if (v === null || v & ~0x1) invarg(p.io, 'bos must be 0 or 1', args.cur!);
      bos = v;
    } else if (!matches(c, 'protocol')) {
      if (!can_set_ethtype(action)) invarg(p.io, 'only valid for push, mac_push and pop', c);
      args.next(p.io);
      const v = ll_proto_a2n(args.cur!);
      if (v === null) invarg(p.io, 'protocol is invalid', args.cur!);
      proto = v;
    } else if (!matches(c, 'help')) {
      explain(p);
      throw new TcExit(-1);
    } else {
      break;
    }
    args.fwd();
  }
  if (!action) incomplete_command(p.io);
  const ctl = parse_action_control_dflt(p, args, false, TC_ACT_PIPE);
  if (args.argc > 0 && !matches(args.cur!, 'index')) {
    args.next(p.io);
    const i = get_u32(args.cur, 10);
    if (i === null) invarg(p.io, 'illegal index', args.cur!);
    index = i;
    args.fwd();
  }
  if (action === TCA_MPLS_ACT_PUSH && label === 0xffffffff) missarg(p.io, 'label');
  if ((action === TCA_MPLS_ACT_PUSH || action === TCA_MPLS_ACT_MAC_PUSH) && proto
    && proto !== htons(ETH_P_MPLS_UC) && proto !== htons(ETH_P_MPLS_MC)) {
    const h = htons(proto);
    p.io.stderr(`invalid ${action === TCA_MPLS_ACT_MAC_PUSH ? 'mac_' : ''}push protocol "0x${h.toString(16).padStart(4, '0')}" - use mpls_(uc|mc)\n`);
    return -1;
  }
  if (action === TCA_MPLS_ACT_POP && !proto) missarg(p.io, 'protocol');
  const tail = n.nestStart(tca_id | NLA_F_NESTED);
  // struct tc_mpls: tc_gen + s32 m_action @20
  n.attr(TCA_MPLS_PARMS, new StructWriter(24).u32(0, index).s32(8, ctl).s32(20, action).bytes);
  if (label !== 0xffffffff) n.u32(TCA_MPLS_LABEL, label);
  if (proto) n.u16(TCA_MPLS_PROTO, proto);
  if (tc !== 0xff) n.u8(TCA_MPLS_TC, tc);
  if (ttl) n.u8(TCA_MPLS_TTL, ttl);
  if (bos !== 0xff) n.u8(TCA_MPLS_BOS, bos);
  n.nestEnd(tail);
  return 0;
});

// tc/m_mpls.c print_mpls
function print_mpls(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'mpls');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_MPLS_MAX, arg.payload);
  if (!tb[TCA_MPLS_PARMS]) {
    p.io.stderr('[NULL mpls parameters]\n');
    return -1;
  }
  const parm = new StructReader(tb[TCA_MPLS_PARMS].payload);
  const m_action = parm.s32(20);
  p.pr.print_string(PRINT_ANY, 'mpls_action', ' %s', action_names[m_action] ?? '(null)');
  const fields = (): void => {
    if (tb[TCA_MPLS_LABEL]) p.pr.print_uint(PRINT_ANY, 'label', ' label %u', nla_get_u32(tb[TCA_MPLS_LABEL]));
    if (tb[TCA_MPLS_TC]) p.pr.print_uint(PRINT_ANY, 'tc', ' tc %u', nla_get_u8(tb[TCA_MPLS_TC]));
    if (tb[TCA_MPLS_BOS]) p.pr.print_uint(PRINT_ANY, 'bos', ' bos %u', nla_get_u8(tb[TCA_MPLS_BOS]));
    if (tb[TCA_MPLS_TTL]) p.pr.print_uint(PRINT_ANY, 'ttl', ' ttl %u', nla_get_u8(tb[TCA_MPLS_TTL]));
  };
  const protocol = (): void => {
    if (tb[TCA_MPLS_PROTO]) p.pr.print_string(PRINT_ANY, 'protocol', ' protocol %s', ll_proto_n2a(nla_get_u16(tb[TCA_MPLS_PROTO])));
  };
  switch (m_action) {
    case TCA_MPLS_ACT_POP: protocol(); break;
    case TCA_MPLS_ACT_PUSH:
    case TCA_MPLS_ACT_MAC_PUSH: protocol(); fields(); break;
    case TCA_MPLS_ACT_MODIFY: fields(); break;
    default: break;
  }
  print_action_control(p, ' ', parm.s32(8), '');
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', parm.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', parm.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', parm.s32(16));
  if (p.show_stats && tb[TCA_MPLS_TM]) print_tm(p, tb[TCA_MPLS_TM].payload);
  p.pr.print_nl();
  return 0;
}

export const mpls_action_util: ActionUtil = { id: 'mpls', parse_aopt: parse_mpls, print_aopt: print_mpls };
