// tc/tc_qdisc.c + tc/q_ingress.c + tc/q_clsact.c (iproute2 v6.1.0):
// `tc qdisc add|del|change|replace dev D ingress|clsact` with
// `ingress_block N` / `egress_block N` (which must come before the kind word).
import { hop } from '../../trace/hop';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { RTM_DELQDISC, RTM_NEWQDISC } from '../../kernel/include/uapi/linux/rtnetlink';
import {
  TCA_EGRESS_BLOCK, TCA_INGRESS_BLOCK, TCA_KIND, TC_H_CLSACT, TC_H_INGRESS, TC_H_MAKE, TC_H_ROOT,
} from '../../kernel/include/uapi/linux/pkt_sched';
import { NlAttrBuf } from '../../netlink/msgbuf';
import { tcmsg_encode, type TcMsg } from '../../netlink/structs';
import { rtnl_talk, type NlRequest } from '../lib/libnetlink';
import { ll_init_map } from '../lib/ll_map';
import { Args, duparg, get_u32, invarg, matches, nodev } from '../lib/utils';
import type { TcProc } from './tc_common';
import { get_tc_classid } from './tc_util';

function usage(p: TcProc): number {
  p.io.stderr('Usage: tc qdisc [ add | del | replace | change | show ] dev STRING\n' +
    '       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]\n' +
    '       [ estimator INTERVAL TIME_CONSTANT ]\n' +
    '       [ stab [ help | STAB_OPTIONS] ]\n' +
    '       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]\n' +
    '       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n' +
    '\n' +
    '       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]\n' +
    'Where:\n' +
    'QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }\n' +
    'OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help\n' +
    'STAB_OPTIONS := ... try tc qdisc add stab help\n' +
    'QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }\n');
  return -1;
}

/** struct qdisc_util, reduced to the option parser. */
type QdiscParse = (p: TcProc, args: Args) => number;

// tc/q_ingress.c ingress_parse_opt: only "handle X" is accepted (and ignored)
function ingress_parse_opt(p: TcProc, args: Args): number {
  while (args.argc > 0) {
    if (args.cur === 'handle') {
      args.next(p.io);
      args.fwd();
    } else {
      p.io.stderr(`What is "${args.cur!}"?\n`);
      p.io.stderr('Usage: ... ingress\n');
      return -1;
    }
  }
  return 0;
}

// tc/q_clsact.c clsact_parse_opt: no options
function clsact_parse_opt(p: TcProc, args: Args): number {
  if (args.argc > 0) {
    p.io.stderr(`What is "${args.cur!}"?\n`);
    p.io.stderr('Usage: ... clsact\n');
    return -1;
  }
  return 0;
}

function get_qdisc_kind(k: string): QdiscParse | null {
  if (k === 'ingress') return ingress_parse_opt;
  if (k === 'clsact') return clsact_parse_opt;
  return null; // other kinds are not emulated
}

// tc/tc_qdisc.c tc_qdisc_modify
export const tc_qdisc_modify = hop('tc/tc_qdisc.c', function tc_qdisc_modify(
  p: TcProc, cmd: number, flags: number, args: Args,
): number {
  const req: NlRequest<TcMsg> = {
    nlmsg_type: cmd, nlmsg_flags: NLM_F_REQUEST | flags, nlmsg_seq: 0, nlmsg_pid: 0,
    hdr: { tcm_family: 0, tcm_ifindex: 0, tcm_handle: 0, tcm_parent: 0, tcm_info: 0 },
    encodeHdr: tcmsg_encode, attrs: new NlAttrBuf(),
  };
  const t = req.hdr;
  let d = '';
  let k = '';
  let q: QdiscParse | null = null;
  let kindSeen = false;
  let ingress_block = 0;
  let egress_block = 0;
  while (args.argc > 0) {
    const w = args.cur!;
    if (w === 'dev') {
      args.next(p.io);
      if (d) duparg(p.io, 'dev', args.cur!);
      d = args.cur!.slice(0, 15);
    } else if (w === 'handle') {
      if (t.tcm_handle) duparg(p.io, 'handle', args.cur!);
      args.next(p.io);
      // get_qdisc_handle: "MAJ:" in hex
      const m = /^([0-9a-fA-F]+):?$/.exec(args.cur!);
      if (!m || parseInt(m[1]!, 16) >= 1 << 16) invarg(p.io, 'invalid qdisc ID', args.cur!);
      t.tcm_handle = (parseInt(m[1]!, 16) << 16) >>> 0;
    } else if (w === 'root') {
      if (t.tcm_parent) {
        p.io.stderr('Error: "root" is duplicate parent ID\n');
        return -1;
      }
      t.tcm_parent = TC_H_ROOT;
    } else if (w === 'clsact' || w === 'ingress') {
      if (t.tcm_parent) {
        p.io.stderr(`Error: "${w}" is a duplicate parent ID\n`);
        return -1;
      }
      t.tcm_parent = w === 'clsact' ? TC_H_CLSACT : TC_H_INGRESS;
      k = w;
      q = get_qdisc_kind(k);
      kindSeen = true;
      t.tcm_handle = TC_H_MAKE(t.tcm_parent, 0);
      args.fwd();
      break;
    } else if (w === 'parent') {
      args.next(p.io);
      if (t.tcm_parent) duparg(p.io, 'parent', args.cur!);
      const h = get_tc_classid(args.cur!);
      if (h === null) invarg(p.io, 'invalid parent ID', args.cur!);
      t.tcm_parent = h;
    } else if (!matches(w, 'ingress_block') || !matches(w, 'egress_block')) {
      const ing = !matches(w, 'ingress_block');
      args.next(p.io);
      const b = get_u32(args.cur, 0);
      if (b === null || !b) invarg(p.io, `invalid ${ing ? 'ingress' : 'egress'} block index value`, args.cur!);
      if (ing) ingress_block = b;
      else egress_block = b;
    } else if (!matches(w, 'help')) {
      return usage(p);
    } else {
      k = w.slice(0, 15);
      q = get_qdisc_kind(k);
      kindSeen = true;
      args.fwd();
      break;
    }
    args.fwd();
  }
  if (k) req.attrs.string(TCA_KIND, k);
  if (ingress_block) req.attrs.u32(TCA_INGRESS_BLOCK, ingress_block);
  if (egress_block) req.attrs.u32(TCA_EGRESS_BLOCK, egress_block);
  if (q) {
    if (q(p, args)) return 1;
  } else if (kindSeen && args.argc) {
    // an unknown kind gets upstream's "no option parser" answer
    p.io.stderr(`qdisc '${k}' does not support option parsing\n`);
    return -1;
  } else if (args.argc) {
    if (!matches(args.cur!, 'help')) usage(p);
    p.io.stderr(`Garbage instead of arguments "${args.cur!} ...". Try "tc qdisc help".\n`);
    return -1;
  }
  if (d) {
    ll_init_map(p.rth, p.ll);
    const idx = p.ll.ll_name_to_index(p.rth, d);
    if (!idx) return -nodev(p.io, d);
    t.tcm_ifindex = idx;
  }
  if (rtnl_talk(p.rth, req, false).err < 0) return 2;
  return 0;
});

// tc/tc_qdisc.c do_qdisc (listing qdiscs is not emulated)
export function do_qdisc(p: TcProc, args: Args): number {
  if (args.argc < 1) {
    p.io.stderr('"tc qdisc show" is not emulated\n');
    return -1;
  }
  const w = args.cur!;
  const rest = new Args(args.v, args.i + 1);
  if (!matches(w, 'add')) return tc_qdisc_modify(p, RTM_NEWQDISC, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (!matches(w, 'change')) return tc_qdisc_modify(p, RTM_NEWQDISC, 0, rest);
  if (!matches(w, 'replace')) return tc_qdisc_modify(p, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE, rest);
  if (!matches(w, 'link')) return tc_qdisc_modify(p, RTM_NEWQDISC, NLM_F_REPLACE, rest);
  if (!matches(w, 'delete')) return tc_qdisc_modify(p, RTM_DELQDISC, 0, rest);
  if (!matches(w, 'list') || !matches(w, 'show') || !matches(w, 'lst')) {
    p.io.stderr('"tc qdisc show" is not emulated\n');
    return -1;
  }
  if (!matches(w, 'help')) {
    usage(p);
    return 0;
  }
  p.io.stderr(`Command "${w}" is unknown, try "tc qdisc help".\n`);
  return -1;
}
