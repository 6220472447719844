// tc/m_vlan.c (iproute2 v6.1.0): VLAN push / pop / modify.
import { hop } from '../../trace/hop';
import { TC_ACT_PIPE } from '../../kernel/include/uapi/linux/pkt_cls';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import { ETH_ALEN, ETH_P_8021AD, ETH_P_8021Q } from '../include/uapi/linux/if_ether';
import {
  TCA_VLAN_ACT_MODIFY, TCA_VLAN_ACT_POP, TCA_VLAN_ACT_POP_ETH, TCA_VLAN_ACT_PUSH, TCA_VLAN_ACT_PUSH_ETH,
  TCA_VLAN_PARMS, TCA_VLAN_PUSH_ETH_DST, TCA_VLAN_PUSH_ETH_SRC, TCA_VLAN_PUSH_VLAN_ID, TCA_VLAN_PUSH_VLAN_PRIORITY,
  TCA_VLAN_PUSH_VLAN_PROTOCOL,
} from '../include/uapi/linux/tc_act/tc_vlan';
import { ll_proto_a2n } from '../lib/ll_proto';
import { Args, TcExit, get_u16, get_u32, get_u8, htons, invarg, ll_addr_a2n, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import type { NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm } from './tc_util';
import { StructReader, nla_get_u16, nla_get_u8 } from '../../netlink/attr';
import { ll_proto_n2a as ll_proto_n2a_print } from '../lib/ll_proto';
import { TCA_VLAN_MAX, TCA_VLAN_TM } from '../../kernel/include/uapi/linux/tc_act/tc_vlan';
import { parse_action_control_dflt } from './tc_util';

const action_names: Record<number, string> = {
  [TCA_VLAN_ACT_POP]: 'pop', [TCA_VLAN_ACT_PUSH]: 'push', [TCA_VLAN_ACT_MODIFY]: 'modify',
  [TCA_VLAN_ACT_POP_ETH]: 'pop_eth', [TCA_VLAN_ACT_PUSH_ETH]: 'push_eth',
};

function explain(p: TcProc): void {
  p.io.stderr('Usage: vlan pop [CONTROL]\n' +
    '       vlan push [ protocol VLANPROTO ] id VLANID [ priority VLANPRIO ] [CONTROL]\n' +
    '       vlan modify [ protocol VLANPROTO ] id VLANID [ priority VLANPRIO ] [CONTROL]\n' +
    '       vlan pop_eth [CONTROL]\n' +
    '       vlan push_eth dst_mac LLADDR src_mac LLADDR [CONTROL]\n' +
    '       VLANPROTO is one of 802.1Q or 802.1AD\n' +
    '            with default: 802.1Q\n' +
    '       CONTROL := reclassify | pipe | drop | continue | pass |\n' +
    '                  goto chain <CHAIN_INDEX>\n');
}

function has_push_attribs(action: number): boolean {
  return action === TCA_VLAN_ACT_PUSH || action === TCA_VLAN_ACT_MODIFY;
}

// tc/m_vlan.c parse_vlan
export const parse_vlan = hop('tc/m_vlan.c', function parse_vlan(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let action = 0;
  let id: number | undefined;
  let proto: number | undefined;
  let prio: number | undefined;
  let dst_mac: Uint8Array | undefined;
  let src_mac: Uint8Array | undefined;
  let index = 0;
  if (matches(args.cur!, 'vlan')) return -1;
  args.next(p.io);
  const unexpected = (arg: string): number => {
    p.io.stderr(`unexpected "${arg}" - action already specified\n`);
    explain(p);
    return -1;
  };
  while (args.argc > 0) {
    const c = args.cur!;
    const verbs: Array<[string, number]> = [
      ['pop', TCA_VLAN_ACT_POP], ['push', TCA_VLAN_ACT_PUSH], ['modify', TCA_VLAN_ACT_MODIFY],
      ['pop_eth', TCA_VLAN_ACT_POP_ETH], ['push_eth', TCA_VLAN_ACT_PUSH_ETH],
    ];
    const verb = verbs.find(([w]) => !matches(c, w));
    if (verb) {
      if (action) return unexpected(c);
      action = verb[1];
    } else if (!matches(c, 'id')) {
      if (!has_push_attribs(action)) invarg(p.io, 'only valid for push/modify', c);
      args.next(p.io);
      const v = get_u16(args.cur, 0);
      if (v === null) invarg(p.io, 'id is invalid', args.cur!);
      id = v;
    } else if (!matches(c, 'protocol')) {
      if (!has_push_attribs(action)) invarg(p.io, 'only valid for push/modify', c);
      args.next(p.io);
      const v = ll_proto_a2n(args.cur!);
      if (v === null) invarg(p.io, 'protocol is invalid', args.cur!);
      proto = v;
    } else if (!matches(c, 'priority')) {
      if (!has_push_attribs(action)) invarg(p.io, 'only valid for push/modify', c);
      args.next(p.io);
      const v = get_u8(args.cur, 0);
      if (v === null || v & ~0x7) invarg(p.io, 'prio is invalid', args.cur!);
      prio = v;
    } else if (!matches(c, 'dst_mac') || !matches(c, 'src_mac')) {
      const dst = !matches(c, 'dst_mac');
      if (action !== TCA_VLAN_ACT_PUSH_ETH) invarg(p.io, 'only valid for push_eth', c);
      args.next(p.io);
      const m = ll_addr_a2n(p.io, ETH_ALEN, args.cur!);
      if (!m) invarg(p.io, `${dst ? 'dst' : 'src'}_mac is invalid`, args.cur!);
      const full = new Uint8Array(ETH_ALEN);
      full.set(m);
      if (dst) dst_mac = full;
      else src_mac = full;
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
      p.io.stderr('vlan: Illegal "index"\n');
      return -1;
    }
    index = i;
    args.fwd();
  }
  if (has_push_attribs(action) && id === undefined) {
    p.io.stderr(`id needs to be set for ${action_names[action]}\n`);
    explain(p);
    return -1;
  }
  if (action === TCA_VLAN_ACT_PUSH_ETH && (!dst_mac || !src_mac)) {
    p.io.stderr(`${!dst_mac ? 'dst_mac' : 'src_mac'} needs to be set for ${action_names[action]}\n`);
    explain(p);
    return -1;
  }
  const tail = n.nestStart(tca_id);
  // struct tc_vlan: tc_gen + s32 v_action @20
  n.attr(TCA_VLAN_PARMS, new StructWriter(24).u32(0, index).s32(8, ctl).s32(20, action).bytes);
  if (id !== undefined) n.u16(TCA_VLAN_PUSH_VLAN_ID, id);
  if (proto !== undefined) {
    if (proto !== htons(ETH_P_8021Q) && proto !== htons(ETH_P_8021AD)) {
      p.io.stderr('protocol not supported\n');
      explain(p);
      return -1;
    }
    n.u16(TCA_VLAN_PUSH_VLAN_PROTOCOL, proto);
  }
  if (prio !== undefined) n.u8(TCA_VLAN_PUSH_VLAN_PRIORITY, prio);
  if (dst_mac) n.attr(TCA_VLAN_PUSH_ETH_DST, dst_mac);
  if (src_mac) n.attr(TCA_VLAN_PUSH_ETH_SRC, src_mac);
  n.nestEnd(tail);
  return 0;
});

// tc/m_vlan.c print_vlan
function print_vlan(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'vlan');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_VLAN_MAX, arg.payload);
  if (!tb[TCA_VLAN_PARMS]) {
    p.io.stderr('Missing vlan parameters\n');
    return -1;
  }
  const parm = new StructReader(tb[TCA_VLAN_PARMS].payload);
  const v_action = parm.s32(20);
  p.pr.print_string(PRINT_ANY, 'vlan_action', ' %s', action_names[v_action] ?? '(null)');
  if (v_action === TCA_VLAN_ACT_PUSH || v_action === TCA_VLAN_ACT_MODIFY) {
    if (tb[TCA_VLAN_PUSH_VLAN_ID]) p.pr.print_uint(PRINT_ANY, 'id', ' id %u', nla_get_u16(tb[TCA_VLAN_PUSH_VLAN_ID]));
    if (tb[TCA_VLAN_PUSH_VLAN_PROTOCOL]) {
      p.pr.print_string(PRINT_ANY, 'protocol', ' protocol %s', ll_proto_n2a_print(nla_get_u16(tb[TCA_VLAN_PUSH_VLAN_PROTOCOL])));
    }
    if (tb[TCA_VLAN_PUSH_VLAN_PRIORITY]) p.pr.print_uint(PRINT_ANY, 'priority', ' priority %u', nla_get_u8(tb[TCA_VLAN_PUSH_VLAN_PRIORITY]));
  } else if (v_action === TCA_VLAN_ACT_PUSH_ETH) {
    const mac = (a: NlAttr | undefined): string | null => (a && a.payload.byteLength === ETH_ALEN
      ? [...a.payload].map((x) => x.toString(16).padStart(2, '0')).join(':') : null);
    const d = mac(tb[TCA_VLAN_PUSH_ETH_DST]);
    if (d) p.pr.print_string(PRINT_ANY, 'dst_mac', ' dst_mac %s', d);
    const s = mac(tb[TCA_VLAN_PUSH_ETH_SRC]);
    if (s) p.pr.print_string(PRINT_ANY, 'src_mac', ' src_mac %s', s);
  }
  print_action_control(p, ' ', parm.s32(8), '');
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', parm.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', parm.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', parm.s32(16));
  if (p.show_stats && tb[TCA_VLAN_TM]) print_tm(p, tb[TCA_VLAN_TM].payload);
  p.pr.print_nl();
  return 0;
}
void PRINT_FP; void PRINT_JSON;

export const vlan_action_util: ActionUtil = { id: 'vlan', parse_aopt: parse_vlan, print_aopt: print_vlan };
