// tc/m_ct.c (iproute2 v6.1.0): connection tracking (zone, commit, nat, mark).
import { hop } from '../../trace/hop';
import { TC_ACT_PIPE } from '../../kernel/include/uapi/linux/pkt_cls';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import {
  TCA_CT_ACTION, TCA_CT_ACT_CLEAR, TCA_CT_ACT_COMMIT, TCA_CT_ACT_FORCE, TCA_CT_ACT_NAT, TCA_CT_ACT_NAT_DST,
  TCA_CT_ACT_NAT_SRC, TCA_CT_MARK, TCA_CT_MARK_MASK, TCA_CT_NAT_IPV4_MAX, TCA_CT_NAT_IPV4_MIN, TCA_CT_NAT_IPV6_MAX,
  TCA_CT_NAT_IPV6_MIN, TCA_CT_NAT_PORT_MAX, TCA_CT_NAT_PORT_MIN, TCA_CT_PARMS, TCA_CT_ZONE,
} from '../include/uapi/linux/tc_act/tc_ct';
import { AF_INET, AF_UNSPEC, Args, TcExit, get_addr, get_be16, get_u16, get_u32, hex2mem, invarg, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import type { NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm } from './tc_util';
import { StructReader, nla_get_be16, nla_get_u16 } from '../../netlink/attr';
import { inet_ntop4, inet_ntop6 } from '../lib/utils';
import { print_masked_u16, print_masked_u32 } from './tc_util';
import { TCA_CT_LABELS, TCA_CT_LABELS_MASK, TCA_CT_MAX, TCA_CT_TM } from '../../kernel/include/uapi/linux/tc_act/tc_ct';
import { parse_action_control_dflt } from './tc_util';

function usage(p: TcProc): never {
  p.io.stderr('Usage: ct clear\n' +
    '	ct commit [force] [zone ZONE] [mark MASKED_MARK] [label MASKED_LABEL] [nat NAT_SPEC]\n' +
    '	ct [nat] [zone ZONE]\n' +
    'Where: ZONE is the conntrack zone table number\n' +
    '	NAT_SPEC is {src|dst} addr addr1[-addr2] [port port1[-port2]]\n' +
    '\n');
  throw new TcExit(-1);
}

// tc/m_ct.c ct_parse_nat_addr_range: "a[-b]"; max defaults to min.
function ct_parse_nat_addr_range(p: TcProc, str: string, n: NlAttrBuf): void {
  const dash = str.indexOf('-');
  const a1 = get_addr(p.io, dash >= 0 ? str.slice(0, dash) : str, AF_UNSPEC);
  n.attr(a1.family === AF_INET ? TCA_CT_NAT_IPV4_MIN : TCA_CT_NAT_IPV6_MIN, a1.data.slice(0, a1.bytelen));
  const a2 = dash >= 0 ? get_addr(p.io, str.slice(dash + 1), a1.family) : a1;
  n.attr(a2.family === AF_INET ? TCA_CT_NAT_IPV4_MAX : TCA_CT_NAT_IPV6_MAX, a2.data.slice(0, a2.bytelen));
}

// tc/m_ct.c ct_parse_nat_port_range
function ct_parse_nat_port_range(str: string, n: NlAttrBuf): number {
  const dash = str.indexOf('-');
  const lo = get_be16(dash >= 0 ? str.slice(0, dash) : str, 10);
  const hi = dash >= 0 ? get_be16(str.slice(dash + 1), 10) : lo;
  if (lo === null || hi === null) return -1;
  n.be16(TCA_CT_NAT_PORT_MIN, lo);
  n.be16(TCA_CT_NAT_PORT_MAX, hi);
  return 0;
}

// tc/m_ct.c ct_parse_labels: hex LABEL[/MASK], at most 16 bytes; no mask = all ones
function ct_parse_labels(p: TcProc, str: string, n: NlAttrBuf): number {
  const slash = str.indexOf('/');
  const l = slash >= 0 ? str.slice(0, slash) : str;
  const m = slash >= 0 ? str.slice(slash + 1) : undefined;
  const slen = l.length;
  const slen_mask = m?.length ?? 0;
  if (slen > 32 || slen_mask > 32) invarg(p.io, `${slen} Max allowed size 32`, l);
  const labels = hex2mem(l, slen >> 1);
  if (!labels) invarg(p.io, 'ct: labels must be a hex string\n', l);
  n.attr(TCA_CT_LABELS, labels);
  let lmask: Uint8Array | null;
  if (m !== undefined) {
    lmask = hex2mem(m, slen_mask >> 1);
    if (!lmask) invarg(p.io, 'ct: labels mask must be a hex string\n', m);
  } else {
    lmask = new Uint8Array(16).fill(0xff);
  }
  n.attr(TCA_CT_LABELS_MASK, lmask);
  return 0;
}

// tc/m_ct.c parse_ct
export const parse_ct = hop('tc/m_ct.c', function parse_ct(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let index = 0;
  let ct_action = 0;
  const tail = n.nestStart(tca_id);
  if (args.argc > 0 && !matches(args.cur!, 'ct')) args.fwd();
  while (args.argc > 0) {
    const c = args.cur!;
    if (!matches(c, 'zone')) {
      args.next(p.io);
      const z = get_u16(args.cur, 0);
      if (z === null) {
        p.io.stderr('ct: Illegal "zone"\n');
        return -1;
      }
      n.u16(TCA_CT_ZONE, z);
    } else if (!matches(c, 'nat')) {
      ct_action |= TCA_CT_ACT_NAT;
      args.next(p.io);
      if (!matches(args.cur!, 'src')) ct_action |= TCA_CT_ACT_NAT_SRC;
      else if (!matches(args.cur!, 'dst')) ct_action |= TCA_CT_ACT_NAT_DST;
      else continue;
      args.next(p.io);
      if (matches(args.cur!, 'addr')) usage(p);
      args.next(p.io);
      ct_parse_nat_addr_range(p, args.cur!, n);
      args.next(p.io);
      if (matches(args.cur!, 'port')) continue;
      args.next(p.io);
      if (ct_parse_nat_port_range(args.cur!, n)) {
        p.io.stderr('ct: Illegal nat port range\n');
        return -1;
      }
    } else if (!matches(c, 'clear')) {
      ct_action |= TCA_CT_ACT_CLEAR;
    } else if (!matches(c, 'commit')) {
      ct_action |= TCA_CT_ACT_COMMIT;
    } else if (!matches(c, 'force')) {
      ct_action |= TCA_CT_ACT_FORCE;
    } else if (!matches(c, 'index')) {
      args.next(p.io);
      const i = get_u32(args.cur, 10);
      if (i === null) {
        p.io.stderr('ct: Illegal "index"\n');
        return -1;
      }
      index = i;
    } else if (!matches(c, 'mark')) {
      args.next(p.io);
      // ct_parse_u32: value[/mask]
      const [v, m] = args.cur!.split('/');
      const value = get_u32(v, 0);
      const mask = m === undefined ? 0xffffffff : get_u32(m, 0);
      if (value === null || mask === null) {
        p.io.stderr('ct: Illegal "mark"\n');
        return -1;
      }
      n.u32(TCA_CT_MARK, value);
      n.u32(TCA_CT_MARK_MASK, mask);
    } else if (!matches(c, 'label')) {
      args.next(p.io);
      if (ct_parse_labels(p, args.cur!, n)) {
        p.io.stderr('ct: Illegal "label"\n');
        return -1;
      }
    } else if (!matches(c, 'help')) {
      usage(p);
    } else {
      break;
    }
    args.fwd();
  }
  if (ct_action & TCA_CT_ACT_CLEAR && ct_action & ~TCA_CT_ACT_CLEAR) {
    p.io.stderr('ct: clear can only be used alone\n');
    return -1;
  }
  if (ct_action & TCA_CT_ACT_NAT_SRC && ct_action & TCA_CT_ACT_NAT_DST) {
    p.io.stderr("ct: src and dst nat can't be used together\n");
    return -1;
  }
  if (ct_action & TCA_CT_ACT_COMMIT && ct_action & TCA_CT_ACT_NAT &&
      !(ct_action & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST))) {
    p.io.stderr('ct: commit and nat must set src or dst\n');
    return -1;
  }
  if (!(ct_action & TCA_CT_ACT_COMMIT) && ct_action & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST)) {
    p.io.stderr('ct: src or dst is only valid if commit is set\n');
    return -1;
  }
  const ctl = parse_action_control_dflt(p, args, false, TC_ACT_PIPE);
  n.u16(TCA_CT_ACTION, ct_action);
  n.attr(TCA_CT_PARMS, new StructWriter(20).u32(0, index).s32(8, ctl).bytes);
  n.nestEnd(tail);
  return 0;
});

// tc/m_ct.c ct_print_labels
function ct_print_labels(p: TcProc, attr: NlAttr | undefined, mask_attr: NlAttr | undefined): void {
  if (!attr) return;
  const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  let out = hex(attr.payload);
  const len = attr.payload.byteLength;
  const m = mask_attr?.payload ?? new Uint8Array(len);
  if (len !== 16 || [...m.subarray(0, len)].some((x) => x !== 0xff)) out += `/${hex(m.subarray(0, len))}`;
  p.pr.print_string(PRINT_ANY, 'label', ' label %s', out);
}

// tc/m_ct.c ct_print_nat
function ct_print_nat(p: TcProc, ct_action: number, tb: Array<NlAttr | undefined>): void {
  if (!(ct_action & TCA_CT_ACT_NAT)) return;
  let out = '';
  let nat = false;
  if (ct_action & TCA_CT_ACT_NAT_SRC) { nat = true; out += 'src'; } else if (ct_action & TCA_CT_ACT_NAT_DST) { nat = true; out += 'dst'; }
  if (nat) {
    const addr = (pfx: string, a: NlAttr | undefined): string => (!a ? '' : pfx + (a.payload.byteLength === 4 ? inet_ntop4(a.payload) : inet_ntop6(a.payload)));
    out += addr(' addr ', tb[TCA_CT_NAT_IPV4_MIN]);
    out += addr(' addr ', tb[TCA_CT_NAT_IPV6_MIN]);
    const differs = (a?: NlAttr, b?: NlAttr): boolean => !!a && !!b && Buffer.compare(Buffer.from(a.payload), Buffer.from(b.payload)) !== 0;
    if (tb[TCA_CT_NAT_IPV4_MAX] && differs(tb[TCA_CT_NAT_IPV4_MIN], tb[TCA_CT_NAT_IPV4_MAX])) out += addr('-', tb[TCA_CT_NAT_IPV4_MAX]);
    else if (tb[TCA_CT_NAT_IPV6_MAX] && differs(tb[TCA_CT_NAT_IPV6_MIN], tb[TCA_CT_NAT_IPV6_MAX])) out += addr('-', tb[TCA_CT_NAT_IPV6_MAX]);
    if (tb[TCA_CT_NAT_PORT_MIN]) {
      out += ` port ${nla_get_be16(tb[TCA_CT_NAT_PORT_MIN])}`;
      if (tb[TCA_CT_NAT_PORT_MAX] && nla_get_be16(tb[TCA_CT_NAT_PORT_MIN]) !== nla_get_be16(tb[TCA_CT_NAT_PORT_MAX])) {
        out += `-${nla_get_be16(tb[TCA_CT_NAT_PORT_MAX])}`;
      }
    }
  }
  p.pr.print_string(PRINT_ANY, 'nat', ' nat %s', out);
}

// tc/m_ct.c print_ct
function print_ct(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s', 'ct');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_CT_MAX, arg.payload);
  if (!tb[TCA_CT_PARMS]) {
    p.pr.print_string(PRINT_FP, null, '%s', '[NULL ct parameters]');
    return -1;
  }
  const parm = new StructReader(tb[TCA_CT_PARMS].payload);
  const ct_action = tb[TCA_CT_ACTION] ? nla_get_u16(tb[TCA_CT_ACTION]) : 0;
  if (ct_action & TCA_CT_ACT_COMMIT) {
    p.pr.print_string(PRINT_ANY, 'action', ' %s', ct_action & TCA_CT_ACT_FORCE ? 'commit force' : 'commit');
  } else if (ct_action & TCA_CT_ACT_CLEAR) {
    p.pr.print_string(PRINT_ANY, 'action', ' %s', 'clear');
  }
  print_masked_u32(p, 'mark', tb[TCA_CT_MARK], tb[TCA_CT_MARK_MASK], false);
  print_masked_u16(p, 'zone', tb[TCA_CT_ZONE], undefined, false);
  ct_print_labels(p, tb[TCA_CT_LABELS], tb[TCA_CT_LABELS_MASK]);
  ct_print_nat(p, ct_action, tb);
  print_action_control(p, ' ', parm.s32(8), '');
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', parm.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', parm.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', parm.s32(16));
  if (p.show_stats && tb[TCA_CT_TM]) print_tm(p, tb[TCA_CT_TM].payload);
  p.pr.print_nl();
  return 0;
}
void PRINT_JSON;

export const ct_action_util: ActionUtil = { id: 'ct', parse_aopt: parse_ct, print_aopt: print_ct };
