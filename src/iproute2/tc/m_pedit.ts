// tc/m_pedit.c + tc/p_eth.c + tc/p_ip.c (iproute2 v6.1.0): packet edit,
// `pedit [ex] munge …`. Keys are 32-bit words: val/mask are kept as the
// network-order words upstream stores after htonl, and written big-endian.
import { hop } from '../../trace/hop';
import { TC_ACT_OK } from '../../kernel/include/uapi/linux/pkt_cls';
import { StructWriter } from '../../netlink/attr';
import type { NlAttrBuf } from '../../netlink/msgbuf';
import { NLA_F_NESTED } from '../../netlink/attr';
import {
  TCA_PEDIT_KEYS_EX, TCA_PEDIT_KEY_EX, TCA_PEDIT_KEY_EX_CMD, TCA_PEDIT_KEY_EX_CMD_ADD, TCA_PEDIT_KEY_EX_CMD_SET,
  TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, TCA_PEDIT_KEY_EX_HDR_TYPE_IP4, TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK, TCA_PEDIT_KEY_EX_HTYPE,
  TCA_PEDIT_PARMS, TCA_PEDIT_PARMS_EX, TC_PEDIT_KEY_LEN, TC_PEDIT_SEL_LEN,
} from '../include/uapi/linux/tc_act/tc_pedit';
import { AF_INET, Args, TcExit, get_integer, get_prefix_1, get_u32, ll_addr_a2n, matches } from '../lib/utils';
import type { ActionUtil, TcProc } from './tc_common';
import { StructReader, nla_get_u16, nla_walk, type NlAttr } from '../../netlink/attr';
import { PRINT_ANY, PRINT_FP, PRINT_JSON } from '../lib/json_print';
import { parse_rtattr } from '../lib/libnetlink';
import { print_action_control, print_tm } from './tc_util';
import { TCA_PEDIT_MAX, TCA_PEDIT_TM } from '../../kernel/include/uapi/linux/tc_act/tc_pedit';
import { parse_action_control_dflt } from './tc_util';

const MAX_OFFS = 128;
const TIPV4 = 1;
const TU32 = 4;
const TMAC = 5;
const RU32 = 0xffffffff;
const RU16 = 0xffff;
const RU8 = 0xff;
const PEDIT_ALLOW_DEC = 1;

interface PeditKey {
  mask: number;
  val: number;
  off: number;
  at: number;
  offmask: number;
  shift: number;
  htype: number;
  cmd: number;
}
interface PeditSel {
  extended: boolean;
  keys: PeditKey[];
}

function explain(p: TcProc): void {
  p.io.stderr('Usage: ... pedit munge [ex] <MUNGE> [CONTROL]\n' +
    'Where: MUNGE := <RAW>|<LAYERED>\n' +
    '\t<RAW>:= <OFFSETC>[ATC]<CMD>\n \t\tOFFSETC:= offset <offval> <u8|u16|u32>\n' +
    '\t\tATC:= at <atval> offmask <maskval> shift <shiftval>\n' +
    '\t\tNOTE: offval is byte offset, must be multiple of 4\n' +
    '\t\tNOTE: maskval is a 32 bit hex number\n \t\tNOTE: shiftval is a shift value\n' +
    '\t\tCMD:= clear | invert | set <setval> | add <addval> | decrement | retain\n' +
    '\t<LAYERED>:= ip <ipdata> | ip6 <ip6data>\n' +
    ' \t\t| udp <udpdata> | tcp <tcpdata> | icmp <icmpdata>\n' +
    '\tCONTROL:= reclassify | pipe | drop | continue | pass |\n' +
    '\t          goto chain <CHAIN_INDEX>\n' +
    "\tNOTE: if 'ex' is set, extended functionality will be supported (kernel >= 4.11)\n" +
    'For Example usage look at the examples directory\n');
}

const u32 = (x: number): number => x >>> 0;

// tc/m_pedit.c pack_key
function pack_key(p: TcProc, sel: PeditSel, k: PeditKey): number {
  if (sel.keys.length >= MAX_OFFS) return -1;
  if (k.off % 4) {
    p.io.stderr('offsets MUST be in 32 bit boundaries\n');
    return -1;
  }
  if (!sel.extended && (k.htype !== TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK || k.cmd !== TCA_PEDIT_KEY_EX_CMD_SET)) {
    p.io.stderr("Munge parameters not supported. Use 'pedit ex munge ...'.\n");
    return -1;
  }
  sel.keys.push({ ...k });
  return 0;
}

// tc/m_pedit.c pack_key32 / pack_key16 / pack_key8
function pack_key32(p: TcProc, retain: number, sel: PeditSel, k: PeditKey): number {
  if (k.off > (k.off & ~3)) {
    p.io.stderr('pack_key32: 32 bit offsets must begin in 32bit boundaries\n');
    return -1;
  }
  k.val = u32(k.val & retain);
  k.mask = u32(k.mask | ~retain);
  return pack_key(p, sel, k);
}
function pack_key16(p: TcProc, retain: number, sel: PeditSel, k: PeditKey): number {
  const m = [0x0000ffff, 0xff0000ff, 0xffff0000];
  if (k.val > 0xffff || k.mask > 0xffff) {
    p.io.stderr('pack_key16 bad value\n');
    return -1;
  }
  const ind = k.off & 3;
  if (ind === 3) {
    p.io.stderr(`pack_key16 bad index value ${ind}\n`);
    return -1;
  }
  const stride = 8 * (2 - ind);
  k.val = u32((k.val & retain) << stride);
  k.mask = u32(((k.mask | ~retain) << stride) | m[ind]!);
  k.off &= ~3;
  return pack_key(p, sel, k);
}
function pack_key8(p: TcProc, retain: number, sel: PeditSel, k: PeditKey): number {
  const m = [0x00ffffff, 0xff00ffff, 0xffff00ff, 0xffffff00];
  if (k.val > 0xff || k.mask > 0xff) {
    p.io.stderr(`pack_key8 bad value (val ${k.val.toString(16)} mask ${k.mask.toString(16)}\n`);
    return -1;
  }
  const ind = k.off & 3;
  const stride = 8 * (3 - ind);
  k.val = u32((k.val & retain) << stride);
  k.mask = u32(((k.mask | ~retain) << stride) | m[ind]!);
  k.off &= ~3;
  return pack_key(p, sel, k);
}

// tc/m_pedit.c pack_mac: a 6-byte address as a 32-bit and a 16-bit key.
function pack_mac(p: TcProc, sel: PeditSel, k: PeditKey, mac: Uint8Array): number {
  let ret = 0;
  if (!(k.off & 3)) {
    k.mask = 0;
    k.val = u32((mac[0]! << 24) | (mac[1]! << 16) | (mac[2]! << 8) | mac[3]!);
    ret |= pack_key32(p, RU32, sel, k);
    k.off += 4;
    k.mask = 0;
    k.val = (mac[4]! << 8) | mac[5]!;
    ret |= pack_key16(p, RU32, sel, k);
  } else if (!(k.off & 1)) {
    k.mask = 0;
    k.val = (mac[0]! << 8) | mac[1]!;
    ret |= pack_key16(p, RU32, sel, k);
    k.off += 4;
    k.mask = 0;
    k.val = u32((mac[2]! << 24) | (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!);
    ret |= pack_key32(p, RU32, sel, k);
  } else {
    p.io.stderr('pack_mac: mac offsets must begin in 32bit or 16bit boundaries\n');
    return -1;
  }
  return ret;
}

// tc/m_pedit.c parse_cmd: invert | set/add VAL | decrement | preserve | clear [retain R]
function parse_cmd(
  p: TcProc, args: Args, len: number, type: number, retain0: number, sel: PeditSel, k: PeditKey, flags: number,
): number {
  let retain = retain0;
  let v = 0;
  let m = 0;
  let mac: Uint8Array | undefined;
  if (args.argc <= 0) return -1;
  const o = len === 2 ? 0xffff : len === 4 ? 0xffffffff : 0xff;
  const c = args.cur!;
  if (!matches(c, 'invert')) {
    v = m = o;
  } else if (!matches(c, 'set') || !matches(c, 'add')) {
    if (!matches(c, 'add')) k.cmd = TCA_PEDIT_KEY_EX_CMD_ADD;
    if (!sel.extended && k.cmd) {
      p.io.stderr("Non extended mode. only 'set' command is supported\n");
      return -1;
    }
    args.next(p.io);
    // tc/m_pedit.c parse_val
    if (type === TU32) {
      const x = get_u32(args.cur, 0);
      if (x === null) return -1;
      v = x;
    } else if (type === TIPV4) {
      const a = get_prefix_1(args.cur!, AF_INET);
      if (!a) return -1;
      v = u32((a.data[0]! << 24) | (a.data[1]! << 16) | (a.data[2]! << 8) | a.data[3]!);
    } else if (type === TMAC) {
      const a = ll_addr_a2n(p.io, 6, args.cur!);
      if (!a || a.length !== 6) return -1;
      mac = a;
    } else {
      return -1;
    }
  } else if (!matches(c, 'decrement')) {
    if ((flags & PEDIT_ALLOW_DEC) === 0) {
      p.io.stderr('decrement command is not supported for this field\n');
      return -1;
    }
    if (!sel.extended) {
      p.io.stderr("Non extended mode. only 'set' command is supported\n");
      return -1;
    }
    k.cmd = TCA_PEDIT_KEY_EX_CMD_ADD;
    v = retain; // decrement by overflow
  } else if (!matches(c, 'preserve')) {
    retain = 0;
  } else if (matches(c, 'clear')) {
    return -1;
  }
  args.fwd();
  if (args.argc > 0 && !matches(args.cur!, 'retain')) {
    args.next(p.io);
    const r = get_u32(args.cur, 0);
    if (r === null) return -1;
    retain = r;
    args.fwd();
  }
  if (len > 4 && retain !== RU32) {
    p.io.stderr('retain is not supported for fields longer the 32 bits\n');
    return -1;
  }
  if (type === TMAC) return pack_mac(p, sel, k, mac ?? new Uint8Array(6));
  k.val = v;
  k.mask = m;
  if (len === 1) return pack_key8(p, retain, sel, k);
  if (len === 2) return pack_key16(p, retain, sel, k);
  if (len === 4) return pack_key32(p, retain, sel, k);
  return -1;
}

// tc/p_eth.c parse_eth
function parse_eth(p: TcProc, args: Args, sel: PeditSel, k: PeditKey): number {
  if (args.argc < 2 || !sel.extended) return -1;
  k.htype = TCA_PEDIT_KEY_EX_HDR_TYPE_ETH;
  const c = args.cur!;
  if (c === 'type') {
    args.next(p.io);
    k.off = 12;
    return parse_cmd(p, args, 2, TU32, RU16, sel, k, 0);
  }
  if (c === 'dst' || c === 'src') {
    args.next(p.io);
    k.off = c === 'dst' ? 0 : 6;
    return parse_cmd(p, args, 6, TMAC, RU32, sel, k, 0);
  }
  return -1;
}

// tc/p_ip.c parse_ip (IPv4 header fields)
function parse_ip(p: TcProc, args: Args, sel: PeditSel, k: PeditKey): number {
  if (args.argc < 2) return -1;
  k.htype = sel.extended ? TCA_PEDIT_KEY_EX_HDR_TYPE_IP4 : TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK;
  const c = args.cur!;
  const field = (off: number, len: number, type: number, retain: number, flags = 0): number => {
    args.next(p.io);
    k.off = off;
    return parse_cmd(p, args, len, type, retain, sel, k, flags);
  };
  if (c === 'src') return field(12, 4, TIPV4, RU32);
  if (c === 'dst') return field(16, 4, TIPV4, RU32);
  if (c === 'tos' || !matches(c, 'dsfield')) return field(1, 1, TU32, RU8);
  if (c === 'ihl') return field(0, 1, TU32, 0x0f);
  if (c === 'ttl') return field(8, 1, TU32, RU8, PEDIT_ALLOW_DEC);
  if (c === 'protocol') return field(9, 1, TU32, RU8);
  if (!matches(c, 'precedence')) return field(1, 1, TU32, RU8);
  if (c === 'nofrag') return field(6, 1, TU32, 0x3f);
  if (c === 'firstfrag') return field(6, 1, TU32, 0x1f);
  if (c === 'ce') return field(6, 1, TU32, 0x80);
  if (c === 'df') return field(6, 1, TU32, 0x40);
  if (c === 'mf') return field(6, 1, TU32, 0x20);
  if (sel.extended) return -1; // outside the IP header: use the L4 header types
  if (c === 'dport') return field(22, 2, TU32, RU16);
  if (c === 'sport') return field(20, 2, TU32, RU16);
  if (c === 'icmp_type' || c === 'icmp_code') return field(20, 1, TU32, RU8);
  return -1;
}

// tc/m_pedit.c parse_offset: "offset OFF u8|u16|u32 [at A offmask M shift S] CMD"
function parse_offset(p: TcProc, args: Args, sel: PeditSel, k: PeditKey): number {
  if (args.argc <= 0) return -1;
  const off = get_integer(args.cur, 0);
  if (off === null) return -1;
  k.off = off;
  args.fwd();
  if (args.argc <= 0) return -1;
  const c = args.cur!;
  const lr = !matches(c, 'u32') ? [4, 0xffffffff] : !matches(c, 'u16') ? [2, 0xffff] : !matches(c, 'u8') ? [1, 0xff] : null;
  if (!lr) return -1;
  args.next(p.io);
  if (!matches(args.cur!, 'at')) {
    args.next(p.io);
    const at = get_u32(args.cur, 0);
    if (at === null) return -1;
    args.next(p.io);
    const om = get_u32(args.cur, 16);
    if (om === null) return -1;
    args.next(p.io);
    const sh = get_u32(args.cur, 0);
    if (sh === null) return -1;
    k.at = at;
    k.offmask = om;
    k.shift = sh;
    args.next(p.io);
  }
  return parse_cmd(p, args, lr[0]!, TU32, lr[1]!, sel, k, 0);
}

// tc/m_pedit.c parse_munge: "offset …" or a header kind (eth, ip).
function parse_munge(p: TcProc, args: Args, sel: PeditSel): number {
  const k: PeditKey = { mask: 0, val: 0, off: 0, at: 0, offmask: 0, shift: 0, htype: 0, cmd: 0 };
  if (args.argc <= 0) return -1;
  if (!matches(args.cur!, 'offset')) {
    args.next(p.io);
    return parse_offset(p, args, sel, k);
  }
  const kind = args.cur!;
  args.next(p.io);
  let res: number;
  if (kind === 'eth') res = parse_eth(p, args, sel, k);
  else if (kind === 'ip') res = parse_ip(p, args, sel, k);
  else {
    // tc/m_pedit.c pedit_parse_nopopt: a header kind with no parser
    if (args.argc) p.io.stderr(`Unknown action  hence option "${args.cur!}" is unparsable\n`);
    res = -1;
  }
  if (res < 0) p.io.stderr('bad pedit parsing\n');
  return res;
}

// tc/m_pedit.c parse_pedit
export const parse_pedit = hop('tc/m_pedit.c', function parse_pedit(
  p: TcProc, args: Args, tca_id: number, n: NlAttrBuf,
): number {
  const sel: PeditSel = { extended: false, keys: [] };
  let ok = 0;
  let index = 0;
  while (args.argc > 0) {
    const c = args.cur!;
    if (!matches(c, 'pedit')) {
      args.next(p.io);
      ok++;
      if (!matches(args.cur!, 'ex')) {
        if (ok > 1) {
          p.io.stderr("'ex' must be before first 'munge'\n");
          explain(p);
          return -1;
        }
        sel.extended = true;
        args.next(p.io);
      }
      continue;
    } else if (!matches(c, 'help')) {
      explain(p);
      throw new TcExit(-1);
    } else if (!matches(c, 'munge')) {
      if (!ok) {
        p.io.stderr(`Bad pedit construct (${c})\n`);
        explain(p);
        return -1;
      }
      args.next(p.io);
      if (parse_munge(p, args, sel)) {
        p.io.stderr(`Bad pedit construct (${args.cur ?? '(null)'})\n`);
        explain(p);
        return -1;
      }
      ok++;
    } else {
      break;
    }
  }
  if (!ok) {
    explain(p);
    return -1;
  }
  const ctl = parse_action_control_dflt(p, args, false, TC_ACT_OK);
  if (args.argc > 0 && !matches(args.cur!, 'index')) {
    args.next(p.io);
    const i = get_u32(args.cur, 10);
    if (i === null) {
      p.io.stderr('Pedit: Illegal "index"\n');
      return -1;
    }
    index = i;
    args.fwd();
  }
  const w = new StructWriter(TC_PEDIT_SEL_LEN + sel.keys.length * TC_PEDIT_KEY_LEN)
    .u32(0, index).s32(8, ctl).u8(20, sel.keys.length);
  sel.keys.forEach((k, i) => {
    const o = TC_PEDIT_SEL_LEN + i * TC_PEDIT_KEY_LEN;
    w.be32(o, k.mask).be32(o + 4, k.val).u32(o + 8, k.off).u32(o + 12, k.at).u32(o + 16, k.offmask).u32(o + 20, k.shift);
  });
  const tail = n.nestStart(tca_id);
  if (!sel.extended) {
    n.attr(TCA_PEDIT_PARMS, w.bytes);
  } else {
    n.attr(TCA_PEDIT_PARMS_EX, w.bytes);
    // tc/m_pedit.c pedit_keys_ex_addattr
    const ks = n.nestStart(TCA_PEDIT_KEYS_EX | NLA_F_NESTED);
    for (const k of sel.keys) {
      const kn = n.nestStart(TCA_PEDIT_KEY_EX | NLA_F_NESTED);
      n.u16(TCA_PEDIT_KEY_EX_HTYPE, k.htype);
      n.u16(TCA_PEDIT_KEY_EX_CMD, k.cmd);
      n.nestEnd(kn);
    }
    n.nestEnd(ks);
  }
  n.nestEnd(tail);
  return 0;
});

// tc/m_pedit.c pedit_htype_str
const pedit_htype_str = ['', 'eth', 'ipv4', 'ipv6', 'tcp', 'udp'];

// tc/m_pedit.c pedit_keys_ex_getattr: exactly n KEY_EX nests with htype and cmd
function pedit_keys_ex_getattr(attr: NlAttr, n: number): Array<{ htype: number; cmd: number }> | null {
  const out: Array<{ htype: number; cmd: number }> = [];
  for (const a of nla_walk(attr.payload).attrs) {
    if (!n || a.type !== TCA_PEDIT_KEY_EX) return null;
    const tb = parse_rtattr(2, a.payload);
    if (!tb[TCA_PEDIT_KEY_EX_HTYPE] || !tb[TCA_PEDIT_KEY_EX_CMD]) return null;
    out.push({ htype: nla_get_u16(tb[TCA_PEDIT_KEY_EX_HTYPE]), cmd: nla_get_u16(tb[TCA_PEDIT_KEY_EX_CMD]) });
    n--;
  }
  return n ? null : out;
}

// tc/m_pedit.c print_pedit_location
function print_pedit_location(p: TcProc, htype: number, off: number): void {
  if (htype !== TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK) {
    p.pr.print_string(PRINT_ANY, 'htype', '%s', htype < pedit_htype_str.length ? pedit_htype_str[htype]! : `unknown(${htype})`);
    // "%+d"
    p.pr.print_int(PRINT_JSON, 'offset', null, off);
    p.pr.print_string(PRINT_FP, null, '%s', off >= 0 ? `+${off}` : String(off));
  } else {
    p.pr.print_string(PRINT_JSON, 'htype', null, 'network');
    p.pr.print_int(PRINT_ANY, 'offset', '%d', off);
  }
}

// tc/m_pedit.c print_pedit
function print_pedit(p: TcProc, arg: NlAttr | undefined): number {
  p.pr.print_string(PRINT_ANY, 'kind', ' %s ', 'pedit');
  if (!arg) return 0;
  const tb = parse_rtattr(TCA_PEDIT_MAX, arg.payload);
  if (!tb[TCA_PEDIT_PARMS] && !tb[TCA_PEDIT_PARMS_EX]) {
    p.io.stderr('Missing pedit parameters\n');
    return -1;
  }
  let keys_ex: Array<{ htype: number; cmd: number }> | null = null;
  let sel: StructReader;
  if (tb[TCA_PEDIT_PARMS]) {
    sel = new StructReader(tb[TCA_PEDIT_PARMS].payload);
  } else {
    sel = new StructReader(tb[TCA_PEDIT_PARMS_EX]!.payload);
    if (!tb[TCA_PEDIT_KEYS_EX]) {
      p.io.stdout('Netlink error\n');
      return -1;
    }
    keys_ex = pedit_keys_ex_getattr(tb[TCA_PEDIT_KEYS_EX], sel.u8(20));
    if (!keys_ex) {
      p.io.stdout('Netlink error\n');
      return -1;
    }
  }
  const nkeys = sel.u8(20);
  print_action_control(p, 'action ', sel.s32(8), ' ');
  p.pr.print_uint(PRINT_ANY, 'nkeys', 'keys %d\n', nkeys);
  p.pr.print_uint(PRINT_ANY, 'index', ' \t index %u', sel.u32(0));
  p.pr.print_int(PRINT_ANY, 'ref', ' ref %d', sel.s32(12));
  p.pr.print_int(PRINT_ANY, 'bind', ' bind %d', sel.s32(16));
  if (p.show_stats && tb[TCA_PEDIT_TM]) print_tm(p, tb[TCA_PEDIT_TM].payload);
  p.pr.open_json_array(PRINT_JSON, 'keys');
  if (nkeys) {
    for (let i = 0; i < nkeys; i++) {
      const o = TC_PEDIT_SEL_LEN + i * TC_PEDIT_KEY_LEN;
      const htype = keys_ex ? keys_ex[i]!.htype : TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK;
      const cmd = keys_ex ? keys_ex[i]!.cmd : TCA_PEDIT_KEY_EX_CMD_SET;
      p.pr.open_json_object(null);
      p.pr.print_uint(PRINT_FP, null, '\n\t key #%d  at ', i);
      print_pedit_location(p, htype, sel.s32(o + 8));
      // FP says "val" for set, for backward compatibility; JSON names the command.
      p.pr.print_string(PRINT_FP, null, ': %s', cmd ? 'add' : 'val');
      p.pr.print_string(PRINT_JSON, 'cmd', null, cmd ? 'add' : 'set');
      p.pr.print_hex(PRINT_ANY, 'val', ' %08x', sel.be32(o + 4));
      p.pr.print_hex(PRINT_ANY, 'mask', ' mask %08x', sel.be32(o));
      p.pr.close_json_object();
    }
  } else {
    p.io.stdout(`\npedit ${sel.u32(0).toString(16)} keys ${nkeys} is not LEGIT`);
  }
  p.pr.close_json_array(PRINT_JSON, ' ');
  p.pr.print_nl();
  return 0;
}

export const pedit_action_util: ActionUtil = { id: 'pedit', parse_aopt: parse_pedit, print_aopt: print_pedit };
