// tc/m_tunnel_key.c (iproute2 v6.1.0): tunnel metadata set / unset.
import { hop } from '../../trace/hop';
import { TC_ACT_PIPE } from '../../kernel/include/uapi/linux/pkt_cls';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import {
  TCA_TUNNEL_KEY_ACT_RELEASE, TCA_TUNNEL_KEY_ACT_SET, TCA_TUNNEL_KEY_ENC_DST_PORT, TCA_TUNNEL_KEY_ENC_IPV4_DST,
  TCA_TUNNEL_KEY_ENC_IPV4_SRC, TCA_TUNNEL_KEY_ENC_IPV6_DST, TCA_TUNNEL_KEY_ENC_IPV6_SRC, TCA_TUNNEL_KEY_ENC_KEY_ID,
  TCA_TUNNEL_KEY_ENC_TOS, TCA_TUNNEL_KEY_ENC_TTL, TCA_TUNNEL_KEY_NO_CSUM, TCA_TUNNEL_KEY_PARMS,
} from '../include/uapi/linux/tc_act/tc_tunnel_key';
import { AF_INET, AF_UNSPEC, Args, TcExit, get_addr, get_be16, get_be32, get_u32, get_u8, hex2mem, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import type { NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm } from './tc_util';
import { NLA_F_NESTED, StructReader, nla_get_be16, nla_get_be32, nla_get_u32, nla_get_u8, nla_walk } from '../../netlink/attr';
import { inet_ntop4, inet_ntop6 } from '../lib/utils';
import {
  TCA_TUNNEL_KEY_ENC_OPTS_GENEVE, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA,
  TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE, TCA_TUNNEL_KEY_MAX, TCA_TUNNEL_KEY_TM, TCA_TUNNEL_KEY_ENC_OPTS,
  TCA_TUNNEL_KEY_ENC_OPTS_VXLAN, TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN, TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP,
  TCA_TUNNEL_KEY_ENC_OPT_VXLAN_MAX, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX,
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_MAX,
} from '../../kernel/include/uapi/linux/tc_act/tc_tunnel_key';
import { parse_action_control_dflt } from './tc_util';

function explain(p: TcProc): void {
  p.io.stderr('Usage: tunnel_key unset\n' +
    '       tunnel_key set <TUNNEL_KEY>\n' +
    'Where TUNNEL_KEY is a combination of:\n' +
    'id <TUNNELID>\n' +
    'src_ip <IP> (mandatory)\n' +
    'dst_ip <IP> (mandatory)\n' +
    'dst_port <UDP_PORT>\n' +
    'geneve_opts | vxlan_opts | erspan_opts <OPTIONS>\n' +
    'csum | nocsum (default is "csum")\n');
}

// tc/m_tunnel_key.c tunnel_key_parse_geneve_opt: CLASS:TYPE:DATA (hex) in one
// TCA_TUNNEL_KEY_ENC_OPTS_GENEVE nest (no NLA_F_NESTED; the kernel parses it liberally)
function tunnel_key_parse_geneve_opt(str: string, n: NlAttrBuf): number {
  const nest = n.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_GENEVE);
  const tokens = str.split(':').filter((t) => t !== '');
  for (let i = 1; i <= tokens.length; i++) {
    const tok = tokens[i - 1]!;
    if (i === TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS) {
      const v = get_be16(tok, 16);
      if (v === null) return -1;
      n.be16(i, v);
    } else if (i === TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE) {
      const v = get_u8(tok, 16);
      if (v === null) return -1;
      n.u8(i, v);
    } else if (i === TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA) {
      const data = hex2mem(tok, Math.floor(tok.length / 2));
      if (!data) return -1;
      n.attr(i, data);
    } else {
      return -1;
    }
  }
  n.nestEnd(nest);
  return 0;
}

// tc/m_tunnel_key.c tunnel_key_parse_geneve_opts: comma-separated options in one ENC_OPTS nest
function tunnel_key_parse_geneve_opts(str: string, n: NlAttrBuf): number {
  const nest = n.nestStart(TCA_TUNNEL_KEY_ENC_OPTS);
  for (const tok of str.split(',').filter((t) => t !== '')) {
    if (tunnel_key_parse_geneve_opt(tok, n)) return -1;
  }
  n.nestEnd(nest);
  return 0;
}

// tc/m_tunnel_key.c tunnel_key_parse_vxlan_opt: ENC_OPTS { VXLAN { GBP u32 } }, both nests NLA_F_NESTED
function tunnel_key_parse_vxlan_opt(str: string, n: NlAttrBuf): number {
  const gbp = get_u32(str, 0);
  if (gbp === null) return -1;
  const encap = n.nestStart(TCA_TUNNEL_KEY_ENC_OPTS | NLA_F_NESTED);
  const nest = n.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_VXLAN | NLA_F_NESTED);
  n.u32(TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP, gbp);
  n.nestEnd(nest);
  n.nestEnd(encap);
  return 0;
}

// tc/m_tunnel_key.c tunnel_key_parse_erspan_opt: VER:INDEX:DIR:HWID, the i-th
// ':'-token becomes attribute i (empty tokens are skipped, as strtok does)
function tunnel_key_parse_erspan_opt(str: string, n: NlAttrBuf): number {
  const tokens = str.split(':').filter((t) => t !== '');
  if (tokens.length > TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID) return -1;
  const vals: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const type = i + 1;
    const v = type === TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX ? get_be32(tokens[i], 0) : get_u8(tokens[i], 0);
    if (v === null) return -1;
    vals.push(v);
  }
  const encap = n.nestStart(TCA_TUNNEL_KEY_ENC_OPTS | NLA_F_NESTED);
  const nest = n.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN | NLA_F_NESTED);
  vals.forEach((v, i) => {
    if (i + 1 === TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX) n.be32(i + 1, v);
    else n.u8(i + 1, v);
  });
  n.nestEnd(nest);
  n.nestEnd(encap);
  return 0;
}

// tc/m_tunnel_key.c parse_tunnel_key (with geneve, vxlan and erspan options)
export const parse_tunnel_key = hop('tc/m_tunnel_key.c', function parse_tunnel_key(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  let action = 0;
  let has_src_ip = false;
  let has_dst_ip = false;
  let csum = 1;
  let index = 0;
  if (matches(args.cur!, 'tunnel_key')) return -1;
  const tail = n.nestStart(tca_id);
  args.next(p.io);
  const ip = (a4: number, a6: number): void => {
    const addr = get_addr(p.io, args.cur!, AF_UNSPEC);
    n.attr(addr.family === AF_INET ? a4 : a6, addr.data.slice(0, addr.bytelen));
  };
  while (args.argc > 0) {
    const c = args.cur!;
    if (!matches(c, 'unset') || !matches(c, 'set')) {
      if (action) {
        p.io.stderr(`unexpected "${c}" - action already specified\n`);
        explain(p);
        return -1;
      }
      action = !matches(c, 'unset') ? TCA_TUNNEL_KEY_ACT_RELEASE : TCA_TUNNEL_KEY_ACT_SET;
    } else if (!matches(c, 'src_ip')) {
      args.next(p.io);
      ip(TCA_TUNNEL_KEY_ENC_IPV4_SRC, TCA_TUNNEL_KEY_ENC_IPV6_SRC);
      has_src_ip = true;
    } else if (!matches(c, 'dst_ip')) {
      args.next(p.io);
      ip(TCA_TUNNEL_KEY_ENC_IPV4_DST, TCA_TUNNEL_KEY_ENC_IPV6_DST);
      has_dst_ip = true;
    } else if (!matches(c, 'id')) {
      args.next(p.io);
      const v = get_be32(args.cur, 10);
      if (v === null) {
        p.io.stderr('Illegal "id"\n');
        return -1;
      }
      n.be32(TCA_TUNNEL_KEY_ENC_KEY_ID, v);
    } else if (!matches(c, 'dst_port')) {
      args.next(p.io);
      const v = get_be16(args.cur, 10);
      if (v === null) {
        p.io.stderr('Illegal "dst port"\n');
        return -1;
      }
      n.be16(TCA_TUNNEL_KEY_ENC_DST_PORT, v);
    } else if (!matches(c, 'geneve_opts')) {
      args.next(p.io);
      if (tunnel_key_parse_geneve_opts(args.cur!, n)) {
        p.io.stderr('Illegal "geneve_opts"\n');
        return -1;
      }
    } else if (!matches(c, 'vxlan_opts')) {
      args.next(p.io);
      if (tunnel_key_parse_vxlan_opt(args.cur!, n)) {
        p.io.stderr('Illegal "vxlan_opts"\n');
        return -1;
      }
    } else if (!matches(c, 'erspan_opts')) {
      args.next(p.io);
      if (tunnel_key_parse_erspan_opt(args.cur!, n)) {
        p.io.stderr('Illegal "erspan_opts"\n');
        return -1;
      }
    } else if (!matches(c, 'tos') || !matches(c, 'ttl')) {
      const tos = !matches(c, 'tos');
      args.next(p.io);
      // tunnel_key_parse_tos_ttl: decimal, then hex
      const v = get_u8(args.cur, 10) ?? get_u8(args.cur, 16);
      if (v === null) {
        p.io.stderr(`Illegal "${tos ? 'tos' : 'ttl'}"\n`);
        return -1;
      }
      n.u8(tos ? TCA_TUNNEL_KEY_ENC_TOS : TCA_TUNNEL_KEY_ENC_TTL, v);
    } else if (!matches(c, 'csum')) {
      csum = 1;
    } else if (!matches(c, 'nocsum')) {
      csum = 0;
    } else if (!matches(c, 'help')) {
      explain(p);
      throw new TcExit(-1);
    } else {
      break;
    }
    args.fwd();
  }
  n.u8(TCA_TUNNEL_KEY_NO_CSUM, csum ? 0 : 1);
  const ctl = parse_action_control_dflt(p, args, false, TC_ACT_PIPE);
  if (args.argc > 0 && !matches(args.cur!, 'index')) {
    args.next(p.io);
    const i = get_u32(args.cur, 10);
    if (i === null) {
      p.io.stderr('tunnel_key: Illegal "index"\n');
      return -1;
    }
    index = i;
    args.fwd();
  }
  if (action === TCA_TUNNEL_KEY_ACT_SET && (!has_src_ip || !has_dst_ip)) {
    p.io.stderr('set needs tunnel_key parameters\n');
    explain(p);
    return -1;
  }
  // struct tc_tunnel_key: tc_gen + s32 t_action @20
  n.attr(TCA_TUNNEL_KEY_PARMS, new StructWriter(24).u32(0, index).s32(8, ctl).s32(20, action).bytes);
  n.nestEnd(tail);
  return 0;
});

// tc/m_tunnel_key.c tunnel_key_print_ip_addr
function tunnel_key_print_ip_addr(p: TcProc, name: string, attr: NlAttr | undefined): void {
  if (!attr) return;
  const len = attr.payload.byteLength;
  if (len !== 4 && len !== 16) return;
  p.pr.print_nl();
  const s = len === 4 ? inet_ntop4(attr.payload) : inet_ntop6(attr.payload);
  p.pr.print_string(PRINT_ANY, name, `\t${name} %s`, s);
}

// tc/m_tunnel_key.c tunnel_key_print_geneve_options (class:type:data, comma separated)
// tc/m_tunnel_key.c tunnel_key_print_vxlan_options: "\tvxlan_opts GBP", JSON [{gbp}]
function tunnel_key_print_vxlan_options(p: TcProc, attr: NlAttr): void {
  const tb = parse_rtattr(TCA_TUNNEL_KEY_ENC_OPT_VXLAN_MAX, attr.payload);
  const g = tb[TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP];
  const gbp = g ? nla_get_u32(g) : 0;
  p.pr.print_nl();
  p.pr.print_string(PRINT_FP, 'vxlan_opts', '\t%s ', 'vxlan_opts');
  p.pr.open_json_array(PRINT_JSON, 'vxlan_opts');
  p.pr.open_json_object(null);
  p.pr.print_uint(PRINT_ANY, 'gbp', '%u', gbp);
  p.pr.close_json_object();
  p.pr.close_json_array(PRINT_JSON, 'vxlan_opts');
}

// tc/m_tunnel_key.c tunnel_key_print_erspan_options: "\terspan_opts VER:INDEX:DIR:HWID"
function tunnel_key_print_erspan_options(p: TcProc, attr: NlAttr): void {
  const tb = parse_rtattr(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_MAX, attr.payload);
  const u8 = (t: number): number => (tb[t] ? nla_get_u8(tb[t]!) : 0);
  const ver = u8(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER);
  const idxa = tb[TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX];
  const idx = ver === 1 && idxa ? nla_get_be32(idxa) : 0;
  const dir = ver === 1 ? 0 : u8(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR);
  const hwid = ver === 1 ? 0 : u8(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID);
  p.pr.print_nl();
  p.pr.print_string(PRINT_FP, 'erspan_opts', '\t%s ', 'erspan_opts');
  p.pr.open_json_array(PRINT_JSON, 'erspan_opts');
  p.pr.open_json_object(null);
  p.pr.print_uint(PRINT_ANY, 'ver', '%u', ver);
  p.pr.print_uint(PRINT_ANY, 'index', ':%u', idx);
  p.pr.print_uint(PRINT_ANY, 'dir', ':%u', dir);
  p.pr.print_uint(PRINT_ANY, 'hwid', ':%u', hwid);
  p.pr.close_json_object();
  p.pr.close_json_array(PRINT_JSON, 'erspan_opts');
}

function tunnel_key_print_key_opt(p: TcProc, attr: NlAttr | undefined): void {
  if (!attr) return;
  const tb = parse_rtattr(3, attr.payload);
  const g = tb[TCA_TUNNEL_KEY_ENC_OPTS_GENEVE];
  // tunnel_key_print_key_opt: geneve, else vxlan, else erspan
  if (!g) {
    if (tb[TCA_TUNNEL_KEY_ENC_OPTS_VXLAN]) tunnel_key_print_vxlan_options(p, tb[TCA_TUNNEL_KEY_ENC_OPTS_VXLAN]!);
    else if (tb[TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN]) tunnel_key_print_erspan_options(p, tb[TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN]!);
    return;
  }
  const parts: string[] = [];
  let cur: { c?: number; t?: number } = {};
  p.pr.open_json_array(PRINT_JSON, 'geneve_opts');
  for (const a of nla_walk(g.payload).attrs) {
    if (a.type === TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS) cur = { c: nla_get_be16(a) };
    else if (a.type === TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE) cur.t = nla_get_u8(a);
    else if (a.type === TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA) {
      const data = [...a.payload].map((x) => x.toString(16).padStart(2, '0')).join('');
      p.pr.open_json_object(null);
      p.pr.print_uint(PRINT_JSON, 'class', null, cur.c ?? 0);
      p.pr.print_uint(PRINT_JSON, 'type', null, cur.t ?? 0);
      p.pr.print_string(PRINT_JSON, 'data', null, data);
      p.pr.close_json_object();
      parts.push(`${(cur.c ?? 0).toString(16).padStart(4, '0')}:${(cur.t ?? 0).toString(16).padStart(2, '0')}:${data}`);
    }
  }
  p.pr.close_json_array(PRINT_JSON, null);
  p.pr.print_nl();
  p.pr.print_string(PRINT_FP, null, '\tgeneve_opts %s', parts.join(','));
}

// tc/m_tunnel_key.c print_tunnel_key
function print_tunnel_key(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', '%s ', 'tunnel_key');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_TUNNEL_KEY_MAX, arg.payload);
  if (!tb[TCA_TUNNEL_KEY_PARMS]) {
    p.io.stderr('Missing tunnel_key parameters\n');
    return -1;
  }
  const parm = new StructReader(tb[TCA_TUNNEL_KEY_PARMS].payload);
  const t_action = parm.s32(20);
  if (t_action === TCA_TUNNEL_KEY_ACT_RELEASE) {
    p.pr.print_string(PRINT_ANY, 'mode', ' %s', 'unset');
  } else if (t_action === TCA_TUNNEL_KEY_ACT_SET) {
    p.pr.print_string(PRINT_ANY, 'mode', ' %s', 'set');
    tunnel_key_print_ip_addr(p, 'src_ip', tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC]);
    tunnel_key_print_ip_addr(p, 'dst_ip', tb[TCA_TUNNEL_KEY_ENC_IPV4_DST]);
    tunnel_key_print_ip_addr(p, 'src_ip', tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC]);
    tunnel_key_print_ip_addr(p, 'dst_ip', tb[TCA_TUNNEL_KEY_ENC_IPV6_DST]);
    if (tb[TCA_TUNNEL_KEY_ENC_KEY_ID]) {
      p.pr.print_nl();
      p.pr.print_uint(PRINT_ANY, 'key_id', '\tkey_id %u', nla_get_be32(tb[TCA_TUNNEL_KEY_ENC_KEY_ID]));
    }
    if (tb[TCA_TUNNEL_KEY_ENC_DST_PORT]) {
      p.pr.print_nl();
      p.pr.print_uint(PRINT_ANY, 'dst_port', '\tdst_port %u', nla_get_be16(tb[TCA_TUNNEL_KEY_ENC_DST_PORT]));
    }
    tunnel_key_print_key_opt(p, tb[TCA_TUNNEL_KEY_ENC_OPTS]);
    if (tb[TCA_TUNNEL_KEY_NO_CSUM]) {
      p.pr.print_nl();
      p.pr.print_string(PRINT_ANY, 'flag', '\t%s', nla_get_u8(tb[TCA_TUNNEL_KEY_NO_CSUM]) ? 'nocsum' : 'csum');
    }
    const tos = tb[TCA_TUNNEL_KEY_ENC_TOS];
    if (tos && nla_get_u8(tos)) {
      p.pr.print_nl();
      p.pr.print_uint(PRINT_ANY, 'tos', '\ttos 0x%x', nla_get_u8(tos));
    }
    const ttl = tb[TCA_TUNNEL_KEY_ENC_TTL];
    if (ttl && nla_get_u8(ttl)) {
      p.pr.print_nl();
      p.pr.print_uint(PRINT_ANY, 'ttl', '\tttl %u', nla_get_u8(ttl));
    }
  }
  print_action_control(p, ' ', parm.s32(8), '');
  p.pr.print_nl();
  p.pr.print_uint(PRINT_ANY, 'index', '\t index %u', parm.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', parm.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', parm.s32(16));
  if (p.show_stats && tb[TCA_TUNNEL_KEY_TM]) print_tm(p, tb[TCA_TUNNEL_KEY_TM].payload);
  p.pr.print_nl();
  return 0;
}

export const tunnel_key_action_util: ActionUtil = {
  id: 'tunnel_key', parse_aopt: parse_tunnel_key, print_aopt: print_tunnel_key,
};
