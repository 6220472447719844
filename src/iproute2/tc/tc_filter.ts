// tc/tc_filter.c (iproute2 v6.1.0): `tc filter add|change|replace|del|get|show`
// and `tc chain …` (do_chain lives in the same file upstream).
import { parse_estimator, tc_estimator_bytes, type TcEstimator } from './m_estimator';
import { hop } from '../../trace/hop';
import { strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import {
  RTM_DELCHAIN, RTM_DELTFILTER, RTM_GETCHAIN, RTM_GETTFILTER, RTM_NEWCHAIN, RTM_NEWTFILTER,
} from '../../kernel/include/uapi/linux/rtnetlink';
import {
  TCA_CHAIN, TCA_DUMP_FLAGS, TCA_DUMP_FLAGS_TERSE, TCA_KIND, TCA_MAX, TCA_OPTIONS, TCA_RATE, TCA_STATS, TCA_STATS2,
  TCM_IFINDEX_MAGIC_BLOCK, TC_H_CLSACT, TC_H_MAJ, TC_H_MAKE, TC_H_MIN, TC_H_MIN_EGRESS, TC_H_MIN_INGRESS, TC_H_ROOT,
  TC_H_UNSPEC,
} from '../../kernel/include/uapi/linux/pkt_sched';
import { StructWriter, nla_get_string, nla_get_u32, type NlAttr } from '../../netlink/attr';
import { NlAttrBuf } from '../../netlink/msgbuf';
import type { NlMsg } from '../../netlink/nlmsg';
import { TCMSG_LEN, tcmsg_decode, tcmsg_encode, type TcMsg } from '../../netlink/structs';
import { ETH_P_ALL } from '../include/uapi/linux/if_ether';
import { PRINT_ANY, PRINT_FP } from '../lib/json_print';
import { parse_rtattr, rtnl_dump_filter, rtnl_dump_request_n, rtnl_talk, type NlRequest } from '../lib/libnetlink';
import { ll_init_map } from '../lib/ll_map';
import { ll_proto_a2n, ll_proto_n2a } from '../lib/ll_proto';
import { Args, duparg, get_u32, htons, invarg, matches, nodev } from '../lib/utils';
import { flower_filter_util } from './f_flower';
import type { TcProc } from './tc_common';
import { get_tc_classid, print_devname, print_tcstats2_attr, sprint_tc_classid } from './tc_util';

/** struct filter_util (tc/tc_util.h) */
interface FilterUtil {
  id: string;
  parse_fopt(p: TcProc, handle: string | null, args: Args, t: TcMsg, n: NlAttrBuf): number;
  print_fopt(p: TcProc, opt: NlAttr | undefined, handle: number): number;
}

// tc/tc.c get_filter_kind: compiled-in classifiers; others get the
// "unknown filter" parser, whose message users see for unsupported kinds.
function get_filter_kind(str: string): FilterUtil {
  if (str === 'flower') return flower_filter_util;
  return {
    id: str,
    parse_fopt(p, _handle, args) {
      // tc/tc.c parse_nofopt
      if (args.argc) {
        p.io.stderr(`Unknown filter "${str}", hence option "${args.cur!}" is unparsable\n`);
        return -1;
      }
      return 0;
    },
    print_fopt(p, opt) {
      // tc/tc.c print_nofopt
      if (opt && opt.payload.byteLength) p.pr.fp(`[Unknown filter, optlen=${opt.payload.byteLength}] `);
      return 0;
    },
  };
}

function usage(p: TcProc): void {
  p.io.stderr('Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]\n' +
    '       tc filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]\n' +
    '       tc filter get dev STRING parent CLASSID protocol PROTO handle FILTERID pref PRIO FILTER_TYPE\n' +
    '       tc filter get block BLOCK_INDEX protocol PROTO handle FILTERID pref PRIO FILTER_TYPE\n' +
    '       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]\n' +
    '       [ estimator INTERVAL TIME_CONSTANT ]\n' +
    '       [ root | ingress | egress | parent CLASSID ]\n' +
    '       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]\n' +
    '\n' +
    '       tc filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]\n' +
    '       tc filter show [ block BLOCK_INDEX ]\n' +
    'Where:\n' +
    'FILTER_TYPE := { rsvp | u32 | bpf | fw | route | etc. }\n' +
    'FILTERID := ... format depends on classifier, see there\n' +
    'OPTIONS := ... try tc filter add <desired FILTER_KIND> help\n');
}

function chain_usage(p: TcProc): void {
  p.io.stderr('Usage: tc chain [ add | del | get | show ] [ dev STRING ]\n' +
    '       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]\n');
}

function newReq(type: number, flags: number): NlRequest<TcMsg> {
  return {
    nlmsg_type: type, nlmsg_flags: flags, nlmsg_seq: 0, nlmsg_pid: 0,
    hdr: { tcm_family: 0, tcm_ifindex: 0, tcm_handle: 0, tcm_parent: 0, tcm_info: 0 },
    encodeHdr: tcmsg_encode, attrs: new NlAttrBuf(),
  };
}

/** The dev/block/parent/handle/pref/protocol/chain words all three commands share. */
interface Common {
  d: string;
  block_index: number;
  fhandle: string | null;
  prio: number;
  protocol: number;
  protocol_set: boolean;
  chain_index?: number;
  k: string;
  q?: FilterUtil;
  /** struct tc_estimator from "estimator INTERVAL TIME_CONSTANT" */
  est?: TcEstimator;
}

/** Parses the shared words; returns null after printing an error (C returns -1). */
function parse_common(p: TcProc, args: Args, t: TcMsg, c: Common, mode: 'modify' | 'get' | 'list'): number | null {
  while (args.argc > 0) {
    const w = args.cur!;
    if (w === 'dev') {
      args.next(p.io);
      if (c.d) duparg(p.io, 'dev', args.cur!);
      if (c.block_index) {
        p.io.stderr(mode === 'list' ? 'Error: "dev" cannot be used in the same time as "block"\n'
          : 'Error: "dev" and "block" are mutually exclusive\n');
        return null;
      }
      c.d = args.cur!.slice(0, 15);
    } else if (!matches(w, 'block')) {
      args.next(p.io);
      if (c.block_index) duparg(p.io, 'block', args.cur!);
      if (c.d) {
        p.io.stderr(mode === 'list' ? 'Error: "block" cannot be used in the same time as "dev"\n'
          : 'Error: "dev" and "block" are mutually exclusive\n');
        return null;
      }
      const b = get_u32(args.cur, 0);
      if (b === null || !b) invarg(p.io, 'invalid block index value', args.cur!);
      c.block_index = b;
    } else if (w === 'root' || w === 'ingress' || w === 'egress') {
      if (t.tcm_parent) {
        p.io.stderr(`Error: "${w}" is duplicate parent ID\n`);
        return null;
      }
      t.tcm_parent = w === 'root' ? TC_H_ROOT : TC_H_MAKE(TC_H_CLSACT, w === 'ingress' ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
      if (mode === 'list') p.filter_parent = t.tcm_parent;
    } else if (w === 'parent') {
      args.next(p.io);
      if (t.tcm_parent) duparg(p.io, 'parent', args.cur!);
      const h = get_tc_classid(args.cur!);
      if (h === null) invarg(p.io, mode === 'list' ? 'invalid parent ID' : 'Invalid parent ID', args.cur!);
      t.tcm_parent = h;
      if (mode === 'list') p.filter_parent = h;
    } else if (w === 'handle') {
      args.next(p.io);
      if (c.fhandle !== null) duparg(p.io, 'handle', args.cur!);
      c.fhandle = args.cur!;
    } else if (!matches(w, 'preference') || !matches(w, 'priority')) {
      args.next(p.io);
      if (c.prio) duparg(p.io, 'priority', args.cur!);
      const v = get_u32(args.cur, 0);
      if (mode === 'list') {
        if (v === null) invarg(p.io, 'invalid preference', args.cur!);
        p.filter_prio = v;
      } else if (v === null || v > 0xffff) {
        invarg(p.io, 'invalid priority value', args.cur!);
      }
      c.prio = v;
    } else if (!matches(w, 'protocol')) {
      args.next(p.io);
      if (mode === 'list' ? c.protocol : c.protocol_set) duparg(p.io, 'protocol', args.cur!);
      const id = ll_proto_a2n(args.cur!);
      if (id === null) invarg(p.io, 'invalid protocol', args.cur!);
      c.protocol = id;
      c.protocol_set = true;
      if (mode === 'list') p.filter_protocol = id;
    } else if (!matches(w, 'chain')) {
      args.next(p.io);
      if (mode === 'list' ? p.filter_chain_index_set : c.chain_index !== undefined) duparg(p.io, 'chain', args.cur!);
      const ci = get_u32(args.cur, 0);
      if (ci === null) invarg(p.io, 'invalid chain index value', args.cur!);
      c.chain_index = ci;
      if (mode === 'list') {
        p.filter_chain_index_set = true;
        p.filter_chain_index = ci;
      }
    } else if (mode === 'modify' && !matches(w, 'estimator')) {
      // tc/tc_filter.c tc_filter_modify: sent as TCA_RATE, each action's rate estimator
      const e = parse_estimator(p, args, c.est ?? { interval: 0, ewma_log: 0 });
      if (!e) return null;
      c.est = e;
    } else if (!matches(w, 'help')) {
      usage(p);
      if (mode !== 'list') return 0;
    } else if (mode === 'list') {
      p.io.stderr(` What is "${w}"? Try "tc filter help"\n`);
      return null;
    } else {
      if (mode === 'get' && w === '') invarg(p.io, 'invalid filter name', w);
      c.k = w.slice(0, 15);
      c.q = get_filter_kind(c.k);
      args.fwd();
      break;
    }
    args.fwd();
  }
  return 1;
}

// tc/tc_filter.c tc_filter_modify: builds and sends RTM_NEWTFILTER /
// RTM_DELTFILTER / RTM_NEWCHAIN / RTM_DELCHAIN.
export const tc_filter_modify = hop('tc/tc_filter.c', function tc_filter_modify(
  p: TcProc, cmd: number, flags: number, args: Args,
): number {
  const req = newReq(cmd, NLM_F_REQUEST | flags);
  const t = req.hdr;
  const c: Common = { d: '', block_index: 0, fhandle: null, prio: 0, protocol: 0, protocol_set: false, k: '' };
  // protocol defaults to "all" only when creating a filter
  if (cmd === RTM_NEWTFILTER && flags & NLM_F_CREATE) c.protocol = htons(ETH_P_ALL);
  const r = parse_common(p, args, t, c, 'modify');
  if (r === null) return -1;
  if (r === 0) return 0;
  t.tcm_info = TC_H_MAKE(c.prio << 16, c.protocol);
  if (c.chain_index !== undefined) req.attrs.u32(TCA_CHAIN, c.chain_index);
  if (c.k) req.attrs.string(TCA_KIND, c.k);
  if (c.d) {
    ll_init_map(p.rth, p.ll);
    t.tcm_ifindex = p.ll.ll_name_to_index(p.rth, c.d);
    if (t.tcm_ifindex === 0) {
      p.io.stderr(`Cannot find device "${c.d}"\n`);
      return 1;
    }
  } else if (c.block_index) {
    t.tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
    t.tcm_parent = c.block_index; // tcm_block_index aliases tcm_parent
  }
  if (c.q) {
    if (c.q.parse_fopt(p, c.fhandle, args, t, req.attrs)) return 1;
  } else {
    if (c.fhandle !== null) {
      p.io.stderr('Must specify filter type when using "handle"\n');
      return -1;
    }
    if (args.argc) {
      if (!matches(args.cur!, 'help')) usage(p);
      p.io.stderr(`Garbage instead of arguments "${args.cur!} ...". Try "tc filter help".\n`);
      return -1;
    }
  }
  if (c.est?.ewma_log) req.attrs.attr(TCA_RATE, tc_estimator_bytes(c.est));
  if (rtnl_talk(p.rth, req, false).err < 0) {
    p.io.stderr('We have an error talking to the kernel\n');
    return 2;
  }
  return 0;
}, { input: (_p, cmd, flags) => `cmd=${cmd} flags=0x${flags.toString(16)}` });

// tc/tc_filter.c print_filter: one dump/echo message as iproute2 shows it.
export const print_filter = hop('tc/tc_filter.c', function print_filter(p: TcProc, n: NlMsg): number {
  const type = n.hdr.nlmsg_type;
  const isFilter = type === RTM_NEWTFILTER || type === RTM_GETTFILTER || type === RTM_DELTFILTER;
  if (!isFilter && type !== RTM_NEWCHAIN && type !== RTM_GETCHAIN && type !== RTM_DELCHAIN) {
    p.io.stderr(`Not a filter(cmd ${type})\n`);
    return 0;
  }
  const d = tcmsg_decode(n.payload);
  if (!d.ok) {
    p.io.stderr(`Wrong len ${n.hdr.nlmsg_len - 16 - TCMSG_LEN}\n`);
    return -1;
  }
  const t = d.value;
  const tb = parse_rtattr(TCA_MAX, n.payload.subarray(TCMSG_LEN));
  if (!tb[TCA_KIND] && isFilter) {
    p.io.stderr('print_filter: NULL kind\n');
    return -1;
  }
  const pr = p.pr;
  pr.open_json_object(null);
  const f = n.hdr.nlmsg_flags;
  if (type === RTM_DELTFILTER || type === RTM_DELCHAIN) pr.print_bool(PRINT_ANY, 'deleted', 'deleted ', true);
  if ((type === RTM_NEWTFILTER || type === RTM_NEWCHAIN) && f & NLM_F_CREATE && !(f & NLM_F_EXCL)) {
    pr.print_bool(PRINT_ANY, 'replaced', 'replaced ', true);
  }
  if ((type === RTM_NEWTFILTER || type === RTM_NEWCHAIN) && f & NLM_F_CREATE && f & NLM_F_EXCL) {
    pr.print_bool(PRINT_ANY, 'added', 'added ', true);
  }
  pr.print_string(PRINT_FP, null, isFilter ? 'filter ' : 'chain ', null);
  if (t.tcm_ifindex >>> 0 === TCM_IFINDEX_MAGIC_BLOCK) {
    const block_index = t.tcm_parent;
    if (!p.filter_block_index || p.filter_block_index !== block_index) {
      pr.print_uint(PRINT_ANY, 'block', 'block %u ', block_index);
    }
  } else {
    if (!p.filter_ifindex || p.filter_ifindex !== t.tcm_ifindex) print_devname(p, t.tcm_ifindex);
    if (!p.filter_parent || p.filter_parent !== t.tcm_parent) {
      if (t.tcm_parent === TC_H_ROOT) pr.print_bool(PRINT_ANY, 'root', 'root ', true);
      else if (t.tcm_parent === TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)) pr.print_bool(PRINT_ANY, 'ingress', 'ingress ', true);
      else if (t.tcm_parent === TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)) pr.print_bool(PRINT_ANY, 'egress', 'egress ', true);
      else pr.print_string(PRINT_ANY, 'parent', 'parent %s ', sprint_tc_classid(t.tcm_parent));
    }
  }
  if (t.tcm_info && isFilter) {
    p.f_proto = TC_H_MIN(t.tcm_info);
    const prio = TC_H_MAJ(t.tcm_info) >>> 16;
    if (!p.filter_protocol || p.filter_protocol !== p.f_proto) {
      if (p.f_proto) pr.print_string(PRINT_ANY, 'protocol', 'protocol %s ', ll_proto_n2a(p.f_proto, !!p.numeric));
    }
    if (!p.filter_prio || p.filter_prio !== prio) {
      if (prio) pr.print_uint(PRINT_ANY, 'pref', 'pref %u ', prio);
    }
  }
  if (tb[TCA_KIND]) pr.print_string(PRINT_ANY, 'kind', '%s ', nla_get_string(tb[TCA_KIND]));
  if (tb[TCA_CHAIN]) {
    const ci = nla_get_u32(tb[TCA_CHAIN]);
    if (!p.filter_chain_index_set || p.filter_chain_index !== ci) pr.print_uint(PRINT_ANY, 'chain', 'chain %u ', ci);
  }
  if (tb[TCA_KIND] && tb[TCA_OPTIONS]) {
    const q = get_filter_kind(nla_get_string(tb[TCA_KIND]));
    pr.open_json_object('options');
    q.print_fopt(p, tb[TCA_OPTIONS], t.tcm_handle);
    pr.close_json_object();
  }
  pr.print_nl();
  if (p.show_stats && (tb[TCA_STATS] || tb[TCA_STATS2])) {
    if (tb[TCA_STATS2]) print_tcstats2_attr(p, tb[TCA_STATS2], ' ');
    pr.print_nl();
  }
  pr.close_json_object();
  return 0;
});

// tc/tc_filter.c tc_filter_get: one filter (RTM_GETTFILTER doit, NLM_F_ECHO).
export const tc_filter_get = hop('tc/tc_filter.c', function tc_filter_get(
  p: TcProc, cmd: number, flags: number, args: Args,
): number {
  const req = newReq(cmd, NLM_F_REQUEST | NLM_F_ECHO | flags);
  const t = req.hdr;
  const c: Common = { d: '', block_index: 0, fhandle: null, prio: 0, protocol: 0, protocol_set: false, k: '' };
  const r = parse_common(p, args, t, c, 'get');
  if (r === null) return -1;
  if (r === 0) return 0;
  if (cmd === RTM_GETTFILTER) {
    if (!c.protocol_set) {
      p.io.stderr('Must specify filter protocol\n');
      return -1;
    }
    if (!c.prio) {
      p.io.stderr('Must specify filter priority\n');
      return -1;
    }
    t.tcm_info = TC_H_MAKE(c.prio << 16, c.protocol);
  }
  if (c.chain_index !== undefined) req.attrs.u32(TCA_CHAIN, c.chain_index);
  if (t.tcm_parent === TC_H_UNSPEC) {
    p.io.stderr('Must specify filter parent\n');
    return -1;
  }
  if (cmd === RTM_GETTFILTER) {
    if (!c.k) {
      p.io.stderr('Must specify filter type\n');
      return -1;
    }
    req.attrs.string(TCA_KIND, c.k);
  }
  if (c.d) {
    ll_init_map(p.rth, p.ll);
    t.tcm_ifindex = p.ll.ll_name_to_index(p.rth, c.d);
    if (!t.tcm_ifindex) return -nodev(p.io, c.d);
    p.filter_ifindex = t.tcm_ifindex;
  } else if (c.block_index) {
    t.tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
    t.tcm_parent = c.block_index;
    p.filter_block_index = c.block_index;
  } else {
    p.io.stderr('Must specify netdevice "dev" or block index "block"\n');
    return -1;
  }
  if (cmd === RTM_GETTFILTER && c.q!.parse_fopt(p, c.fhandle, args, t, req.attrs)) return 1;
  if (c.fhandle === null && cmd === RTM_GETTFILTER) {
    p.io.stderr('Must specify filter "handle"\n');
    return -1;
  }
  if (args.argc) {
    if (!matches(args.cur!, 'help')) usage(p);
    p.io.stderr(`Garbage instead of arguments "${args.cur!} ...". Try "tc filter help".\n`);
    return -1;
  }
  const res = rtnl_talk(p.rth, req, true);
  if (res.err < 0) {
    p.io.stderr('We have an error talking to the kernel\n');
    return 2;
  }
  p.pr.new_json_obj(!!p.json);
  if (res.answer) print_filter(p, res.answer);
  p.pr.delete_json_obj();
  return 0;
});

// tc/tc_filter.c tc_filter_list: RTM_GETTFILTER / RTM_GETCHAIN dump.
export const tc_filter_list = hop('tc/tc_filter.c', function tc_filter_list(p: TcProc, cmd: number, args: Args): number {
  const req = newReq(cmd, 0);
  const t = req.hdr;
  const c: Common = { d: '', block_index: 0, fhandle: null, prio: 0, protocol: 0, protocol_set: false, k: '' };
  const r = parse_common(p, args, t, c, 'list');
  if (r === null) return -1;
  t.tcm_info = TC_H_MAKE(c.prio << 16, c.protocol);
  ll_init_map(p.rth, p.ll);
  if (c.d) {
    t.tcm_ifindex = p.ll.ll_name_to_index(p.rth, c.d);
    if (!t.tcm_ifindex) return -nodev(p.io, c.d);
    p.filter_ifindex = t.tcm_ifindex;
  } else if (c.block_index) {
    // upstream first checks the block exists with a qdisc dump (not emulated)
    t.tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
    t.tcm_parent = c.block_index;
    p.filter_block_index = c.block_index;
  }
  if (p.filter_chain_index_set) req.attrs.u32(TCA_CHAIN, p.filter_chain_index);
  if (p.brief) {
    req.attrs.attr(TCA_DUMP_FLAGS, new StructWriter(8).u32(0, TCA_DUMP_FLAGS_TERSE).u32(4, TCA_DUMP_FLAGS_TERSE).bytes);
  }
  const sent = rtnl_dump_request_n(p.rth, req);
  if (sent < 0) {
    p.io.stderr(`Cannot send dump request: ${strerror(sent)}\n`);
    return 1;
  }
  p.pr.new_json_obj(!!p.json);
  if (rtnl_dump_filter(p.rth, (h) => print_filter(p, h)) < 0) {
    p.io.stderr('Dump terminated\n');
    return 1;
  }
  p.pr.delete_json_obj();
  return 0;
});

// tc/tc_filter.c do_filter
export function do_filter(p: TcProc, args: Args): number {
  if (args.argc < 1) return tc_filter_list(p, RTM_GETTFILTER, new Args([]));
  const w = args.cur!;
  const rest = new Args(args.v, args.i + 1);
  if (!matches(w, 'add')) return tc_filter_modify(p, RTM_NEWTFILTER, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (!matches(w, 'change')) return tc_filter_modify(p, RTM_NEWTFILTER, 0, rest);
  if (!matches(w, 'replace')) return tc_filter_modify(p, RTM_NEWTFILTER, NLM_F_CREATE, rest);
  if (!matches(w, 'delete')) return tc_filter_modify(p, RTM_DELTFILTER, 0, rest);
  if (!matches(w, 'get')) return tc_filter_get(p, RTM_GETTFILTER, 0, rest);
  if (!matches(w, 'list') || !matches(w, 'show') || !matches(w, 'lst')) return tc_filter_list(p, RTM_GETTFILTER, rest);
  if (!matches(w, 'help')) {
    usage(p);
    return 0;
  }
  p.io.stderr(`Command "${w}" is unknown, try "tc filter help".\n`);
  return -1;
}

// tc/tc_filter.c do_chain
export function do_chain(p: TcProc, args: Args): number {
  if (args.argc < 1) return tc_filter_list(p, RTM_GETCHAIN, new Args([]));
  const w = args.cur!;
  const rest = new Args(args.v, args.i + 1);
  if (!matches(w, 'add')) return tc_filter_modify(p, RTM_NEWCHAIN, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (!matches(w, 'delete')) return tc_filter_modify(p, RTM_DELCHAIN, 0, rest);
  if (!matches(w, 'get')) return tc_filter_get(p, RTM_GETCHAIN, 0, rest);
  if (!matches(w, 'list') || !matches(w, 'show') || !matches(w, 'lst')) return tc_filter_list(p, RTM_GETCHAIN, rest);
  if (!matches(w, 'help')) {
    chain_usage(p);
    return 0;
  }
  p.io.stderr(`Command "${w}" is unknown, try "tc chain help".\n`);
  return -1;
}

