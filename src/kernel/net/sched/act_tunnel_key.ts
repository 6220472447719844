// net/sched/act_tunnel_key.c: set (encap metadata for a tunnel device) or
// unset (release) the packet's tunnel key, and its flow_action mapping.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG, NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_TUNNEL_KEY, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EEXIST, EINVAL, EOPNOTSUPP, ERANGE, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND } from '../../include/uapi/linux/pkt_cls';
import {
  TCA_TUNNEL_KEY_ACT_RELEASE, TCA_TUNNEL_KEY_ACT_SET, TCA_TUNNEL_KEY_ENC_DST_PORT, TCA_TUNNEL_KEY_ENC_IPV4_DST,
  TCA_TUNNEL_KEY_ENC_IPV4_SRC, TCA_TUNNEL_KEY_ENC_IPV6_DST, TCA_TUNNEL_KEY_ENC_IPV6_SRC, TCA_TUNNEL_KEY_ENC_KEY_ID,
  TCA_TUNNEL_KEY_ENC_OPTS, TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN, TCA_TUNNEL_KEY_ENC_OPTS_GENEVE, TCA_TUNNEL_KEY_ENC_OPTS_MAX,
  TCA_TUNNEL_KEY_ENC_OPTS_VXLAN, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA,
  TCA_TUNNEL_KEY_ENC_OPT_GENEVE_MAX, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE, TCA_TUNNEL_KEY_ENC_TOS, TCA_TUNNEL_KEY_ENC_TTL,
  TCA_TUNNEL_KEY_MAX, TCA_TUNNEL_KEY_NO_CSUM, TCA_TUNNEL_KEY_NO_FRAG, TCA_TUNNEL_KEY_PARMS, TCA_TUNNEL_KEY_TM,
  TC_TUNNEL_KEY_PARMS_LEN, TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP, TCA_TUNNEL_KEY_ENC_OPT_VXLAN_MAX, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER,
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID,
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_MAX,
} from '../../include/uapi/linux/tc_act/tc_tunnel_key';
import {
  StructReader, nla_get_be16, nla_get_be32, nla_get_u32, nla_get_u8, nla_walk, type NlAttr, type NlMsgBuilder,
} from '../../../netlink/attr';
import {
  NLA_BINARY, NLA_FLAG, NLA_NESTED, NLA_U16, NLA_U32, NLA_U8, nla_parse_nested, nla_parse_nested_deprecated,
  type NlaPolicy,
} from '../../lib/nlattr';
import {
  tcf_action_apply_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_register_action, tcf_tm_put,
} from './act_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const MODNAME = 'act_tunnel_key';

// Decisions counted by the hop coverage report.
const tk_set_branch = declareBranch('net/sched/act_tunnel_key.c', 'tcf_tunnel_key_offload_act_setup', 'set');
const erspan_v1_branch = declareBranch('net/sched/act_tunnel_key.c', 'tunnel_key_copy_erspan_opt', 'ver 1');

export interface GeneveOpt { opt_class: number; type: number; data: Uint8Array }

/** struct tcf_tunnel_key_params with the ip_tunnel_info parts we model. */
export interface TcfTunnelKeyParams {
  tcft_action: number;
  /** ip_tunnel_key, present for SET */
  key: null | {
    tun_id: number; has_key: boolean; ipv4_src: number; ipv4_dst: number; ipv6_src: Uint8Array | null;
    ipv6_dst: Uint8Array | null; tp_dst: number; tos: number; ttl: number; csum: boolean; dont_fragment: boolean;
    geneve_opts: GeneveOpt[];
    /** IP_TUNNEL_VXLAN_OPT_BIT options */
    vxlan_opt?: { gbp: number };
    /** IP_TUNNEL_ERSPAN_OPT_BIT options */
    erspan_opt?: { version: number; index: number; dir: number; hwid: number };
  };
}

// net/sched/act_tunnel_key.c policies (v6.18)
const geneve_opt_policy: NlaPolicy = {
  [TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS]: { type: NLA_U16 },
  [TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE]: { type: NLA_U8 },
  [TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA]: { type: NLA_BINARY, len: 128 },
};
const enc_opts_policy: NlaPolicy = {
  [TCA_TUNNEL_KEY_ENC_OPTS_GENEVE]: { type: NLA_NESTED },
  [TCA_TUNNEL_KEY_ENC_OPTS_VXLAN]: { type: NLA_NESTED },
  [TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN]: { type: NLA_NESTED },
};
const tunnel_key_policy: NlaPolicy = {
  [TCA_TUNNEL_KEY_PARMS]: { len: TC_TUNNEL_KEY_PARMS_LEN },
  [TCA_TUNNEL_KEY_ENC_IPV4_SRC]: { type: NLA_U32 },
  [TCA_TUNNEL_KEY_ENC_IPV4_DST]: { type: NLA_U32 },
  [TCA_TUNNEL_KEY_ENC_IPV6_SRC]: { len: 16 },
  [TCA_TUNNEL_KEY_ENC_IPV6_DST]: { len: 16 },
  [TCA_TUNNEL_KEY_ENC_KEY_ID]: { type: NLA_U32 },
  [TCA_TUNNEL_KEY_ENC_DST_PORT]: { type: NLA_U16 },
  [TCA_TUNNEL_KEY_NO_CSUM]: { type: NLA_U8 },
  [TCA_TUNNEL_KEY_ENC_OPTS]: { type: NLA_NESTED },
  [TCA_TUNNEL_KEY_ENC_TOS]: { type: NLA_U8 },
  [TCA_TUNNEL_KEY_ENC_TTL]: { type: NLA_U8 },
  [TCA_TUNNEL_KEY_NO_FRAG]: { type: NLA_FLAG },
};

/** tunnel_key_copy_geneve_opt (v6.18): class, type and data are all required; data in 4-byte words. */
function tunnel_key_copy_geneve_opt(nla: NlAttr, extack: NetlinkExtAck | null): { err: 0 | NegErrno; opt: GeneveOpt | null } {
  const { err, tb } = nla_parse_nested_deprecated(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_MAX, nla, geneve_opt_policy, extack);
  if (err < 0) return { err, opt: null };
  const c = tb[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS];
  const t = tb[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE];
  const d = tb[TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA];
  if (!c || !t || !d) {
    NL_SET_ERR_MSG(extack, 'Missing tunnel key geneve option class, type or data');
    return { err: -EINVAL, opt: null };
  }
  const data_len = d.payload.byteLength;
  if (data_len < 4) {
    NL_SET_ERR_MSG(extack, 'Tunnel key geneve option data is less than 4 bytes long');
    return { err: -ERANGE, opt: null };
  }
  if (data_len % 4) {
    NL_SET_ERR_MSG(extack, 'Tunnel key geneve option data is not a multiple of 4 bytes long');
    return { err: -ERANGE, opt: null };
  }
  return { err: 0, opt: { opt_class: nla_get_be16(c), type: nla_get_u8(t), data: d.payload.slice() } };
}

/** The parsed option list: one tunnel type per list (ip_tunnel_info options + its *_OPT_BIT). */
export interface TunnelKeyOpts {
  geneve: GeneveOpt[];
  vxlan: { gbp: number } | null;
  erspan: { version: number; index: number; dir: number; hwid: number } | null;
}

// net/sched/act_tunnel_key.c vxlan_opt_policy / erspan_opt_policy (v6.18)
const vxlan_opt_policy: NlaPolicy = { [TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP]: { type: NLA_U32 } };
const erspan_opt_policy: NlaPolicy = {
  [TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER]: { type: NLA_U8 },
  [TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX]: { type: NLA_U32 },
  [TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR]: { type: NLA_U8 },
  [TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID]: { type: NLA_U8 },
};
// include/net/vxlan.h VXLAN_GBP_MASK: DONT_LEARN | POLICY_APPLIED | ID_MASK
const VXLAN_GBP_MASK = 0x00400000 | 0x00080000 | 0xffff;
/** sizeof(struct vxlan_metadata), sizeof(struct erspan_metadata) */
const VXLAN_MD_LEN = 4;
const ERSPAN_MD_LEN = 8;

/** tunnel_key_copy_vxlan_opt (v6.18): strict nest, the gbp is required and masked to VXLAN_GBP_MASK. */
function tunnel_key_copy_vxlan_opt(nla: NlAttr, extack: NetlinkExtAck | null): { err: 0 | NegErrno; md: { gbp: number } | null } {
  const { err, tb } = nla_parse_nested(TCA_TUNNEL_KEY_ENC_OPT_VXLAN_MAX, nla, vxlan_opt_policy, extack);
  if (err < 0) return { err, md: null };
  const g = tb[TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP];
  if (!g) {
    NL_SET_ERR_MSG(extack, 'Missing tunnel key vxlan option gbp');
    return { err: -EINVAL, md: null };
  }
  return { err: 0, md: { gbp: (nla_get_u32(g) & VXLAN_GBP_MASK) >>> 0 } };
}

/** tunnel_key_copy_erspan_opt (v6.18): ver 1 needs index, ver 2 needs dir and hwid; dir is 1 bit, hwid 6 bits. */
function tunnel_key_copy_erspan_opt(nla: NlAttr, extack: NetlinkExtAck | null): { err: 0 | NegErrno; md: TunnelKeyOpts['erspan'] } {
  const { err, tb } = nla_parse_nested(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_MAX, nla, erspan_opt_policy, extack);
  if (err < 0) return { err, md: null };
  const v = tb[TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER];
  if (!v) {
    NL_SET_ERR_MSG(extack, 'Missing tunnel key erspan option ver');
    return { err: -EINVAL, md: null };
  }
  const ver = nla_get_u8(v);
  const idx = tb[TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX];
  const dir = tb[TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR];
  const hwid = tb[TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID];
  if (erspan_v1_branch(ver === 1)) {
    if (!idx) {
      NL_SET_ERR_MSG(extack, 'Missing tunnel key erspan option index');
      return { err: -EINVAL, md: null };
    }
    return { err: 0, md: { version: 1, index: nla_get_be32(idx), dir: 0, hwid: 0 } };
  }
  if (ver === 2) {
    if (!dir || !hwid) {
      NL_SET_ERR_MSG(extack, 'Missing tunnel key erspan option dir or hwid');
      return { err: -EINVAL, md: null };
    }
    // include/net/erspan.h: md2.dir is a 1-bit field; set_hwid keeps 6 bits (hwid + hwid_upper)
    return { err: 0, md: { version: 2, index: 0, dir: nla_get_u8(dir) & 1, hwid: nla_get_u8(hwid) & 0x3f } };
  }
  NL_SET_ERR_MSG(extack, 'Tunnel key erspan option ver is incorrect');
  return { err: -EINVAL, md: null };
}

/**
 * tunnel_key_copy_opts (v6.18), as tunnel_key_get_opts_len and
 * tunnel_key_opts_set use it: geneve options may repeat, vxlan and erspan
 * stand alone; unknown types are skipped (liberal validation).
 */
const tunnel_key_copy_opts = hop('net/sched/act_tunnel_key.c', function tunnel_key_copy_opts(nla: NlAttr,
  extack: NetlinkExtAck | null): { err: 0 | NegErrno; opts: TunnelKeyOpts; opts_len: number } {
  const opts: TunnelKeyOpts = { geneve: [], vxlan: null, erspan: null };
  const fail = (err: NegErrno): { err: NegErrno; opts: TunnelKeyOpts; opts_len: number } => ({ err, opts, opts_len: 0 });
  const { err } = nla_parse_nested_deprecated(TCA_TUNNEL_KEY_ENC_OPTS_MAX, nla, enc_opts_policy, extack);
  if (err < 0) return fail(err);
  const w = nla_walk(nla.payload, nla.offset + 4);
  let type: 0 | 'geneve' | 'vxlan' | 'erspan' = 0;
  let opts_len = 0;
  for (const a of w.attrs) {
    if (a.type === TCA_TUNNEL_KEY_ENC_OPTS_GENEVE) {
      if (type && type !== 'geneve') {
        NL_SET_ERR_MSG(extack, 'Duplicate type for geneve options');
        return fail(-EINVAL);
      }
      const r = tunnel_key_copy_geneve_opt(a, extack);
      if (r.err < 0) return fail(r.err);
      opts.geneve.push(r.opt!);
      opts_len += 4 + r.opt!.data.byteLength;
      // IP_TUNNEL_OPTS_MAX
      if (opts_len > 255) {
        NL_SET_ERR_MSG(extack, 'Tunnel options exceeds max size');
        return fail(-EINVAL);
      }
      type = 'geneve';
    } else if (a.type === TCA_TUNNEL_KEY_ENC_OPTS_VXLAN) {
      if (type) {
        NL_SET_ERR_MSG(extack, 'Duplicate type for vxlan options');
        return fail(-EINVAL);
      }
      const r = tunnel_key_copy_vxlan_opt(a, extack);
      if (r.err < 0) return fail(r.err);
      opts.vxlan = r.md;
      opts_len += VXLAN_MD_LEN;
      type = 'vxlan';
    } else if (a.type === TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN) {
      if (type) {
        NL_SET_ERR_MSG(extack, 'Duplicate type for erspan options');
        return fail(-EINVAL);
      }
      const r = tunnel_key_copy_erspan_opt(a, extack);
      if (r.err < 0) return fail(r.err);
      opts.erspan = r.md;
      opts_len += ERSPAN_MD_LEN;
      type = 'erspan';
    }
  }
  if (!opts_len) {
    NL_SET_ERR_MSG(extack, 'Empty list of tunnel options');
    return fail(-EINVAL);
  }
  if (!w.ok) {
    NL_SET_ERR_MSG(extack, 'Trailing data after parsing tunnel key options attributes');
    return fail(-EINVAL);
  }
  return { err: 0, opts, opts_len };
}, { input: (nla) => `len=${nla.payload.byteLength}`, errno: (r) => r.err });

/**
 * tunnel_key_opts_set (v6.18): the tunnel type comes from the FIRST attribute
 * of the list; a skipped unknown type there has no tunnel type.
 */
const tunnel_key_opts_set = hop('net/sched/act_tunnel_key.c', function tunnel_key_opts_set(nla: NlAttr,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const first = nla_walk(nla.payload, nla.offset + 4).attrs[0];
  const t = first?.type;
  if (t === TCA_TUNNEL_KEY_ENC_OPTS_GENEVE || t === TCA_TUNNEL_KEY_ENC_OPTS_VXLAN || t === TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN) return 0;
  NL_SET_ERR_MSG(extack, 'Cannot set tunnel options for unknown tunnel type');
  return -EINVAL;
}, { input: (nla) => `first=${nla_walk(nla.payload, nla.offset + 4).attrs[0]?.type ?? 'none'}` });

/** tunnel_key_init (v6.18) */
export const tunnel_key_init = hop('net/sched/act_tunnel_key.c', function tunnel_key_init(net: Net, nla: NlAttr | undefined,
  tp: TcfProto | null, flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) {
    NL_SET_ERR_MSG(extack, 'Tunnel requires attributes to be passed');
    return { err: -EINVAL, a: null };
  }
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_TUNNEL_KEY_MAX, nla, tunnel_key_policy, extack);
  if (perr < 0) {
    NL_SET_ERR_MSG(extack, 'Failed to parse nested tunnel key attributes');
    return { err: perr, a: null };
  }
  if (!tb[TCA_TUNNEL_KEY_PARMS]) {
    NL_SET_ERR_MSG(extack, 'Missing tunnel key parameters');
    return { err: -EINVAL, a: null };
  }
  const parm = new StructReader(tb[TCA_TUNNEL_KEY_PARMS]!.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_tunnel_key_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const t_action = parm.s32(20);
  const p: TcfTunnelKeyParams = { tcft_action: t_action, key: null };
  switch (t_action) {
    case TCA_TUNNEL_KEY_ACT_RELEASE:
      break;
    case TCA_TUNNEL_KEY_ACT_SET: {
      const k: NonNullable<TcfTunnelKeyParams['key']> = {
        tun_id: 0, has_key: false, ipv4_src: 0, ipv4_dst: 0, ipv6_src: null, ipv6_dst: null, tp_dst: 0, tos: 0, ttl: 0,
        csum: true, dont_fragment: false, geneve_opts: [],
      };
      if (tb[TCA_TUNNEL_KEY_ENC_KEY_ID]) {
        k.tun_id = nla_get_be32(tb[TCA_TUNNEL_KEY_ENC_KEY_ID]!);
        k.has_key = true;
      }
      if (tb[TCA_TUNNEL_KEY_NO_CSUM] && nla_get_u8(tb[TCA_TUNNEL_KEY_NO_CSUM]!)) k.csum = false;
      if (tb[TCA_TUNNEL_KEY_NO_FRAG]) k.dont_fragment = true;
      if (tb[TCA_TUNNEL_KEY_ENC_DST_PORT]) k.tp_dst = nla_get_be16(tb[TCA_TUNNEL_KEY_ENC_DST_PORT]!);
      let opts_len = 0;
      if (tb[TCA_TUNNEL_KEY_ENC_OPTS]) {
        // tunnel_key_get_opts_len: the whole list is validated before the metadata exists
        const o = tunnel_key_copy_opts(tb[TCA_TUNNEL_KEY_ENC_OPTS]!, extack);
        if (o.err < 0) return { err: o.err, a: null };
        opts_len = o.opts_len;
        k.geneve_opts = o.opts.geneve;
        if (o.opts.vxlan) k.vxlan_opt = o.opts.vxlan;
        if (o.opts.erspan) k.erspan_opt = o.opts.erspan;
      }
      if (tb[TCA_TUNNEL_KEY_ENC_TOS]) k.tos = nla_get_u8(tb[TCA_TUNNEL_KEY_ENC_TOS]!);
      if (tb[TCA_TUNNEL_KEY_ENC_TTL]) k.ttl = nla_get_u8(tb[TCA_TUNNEL_KEY_ENC_TTL]!);
      if (tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC] && tb[TCA_TUNNEL_KEY_ENC_IPV4_DST]) {
        k.ipv4_src = nla_get_be32(tb[TCA_TUNNEL_KEY_ENC_IPV4_SRC]!);
        k.ipv4_dst = nla_get_be32(tb[TCA_TUNNEL_KEY_ENC_IPV4_DST]!);
      } else if (tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC] && tb[TCA_TUNNEL_KEY_ENC_IPV6_DST]) {
        k.ipv6_src = tb[TCA_TUNNEL_KEY_ENC_IPV6_SRC]!.payload.slice(0, 16);
        k.ipv6_dst = tb[TCA_TUNNEL_KEY_ENC_IPV6_DST]!.payload.slice(0, 16);
      } else {
        NL_SET_ERR_MSG(extack, 'Missing either ipv4 or ipv6 src and dst');
        return { err: -EINVAL, a: null };
      }
      if (opts_len) {
        const e = tunnel_key_opts_set(tb[TCA_TUNNEL_KEY_ENC_OPTS]!, extack);
        if (e < 0) return { err: e, a: null };
      }
      p.key = k;
      break;
    }
    default:
      NL_SET_ERR_MSG(extack, 'Unknown tunnel key action');
      return { err: -EINVAL, a: null };
  }
  const c = tcf_idr_create_or_replace(net, act_tunnel_key_ops, exists, index, flags, p);
  if (c.err === -EEXIST) NL_SET_ERR_MSG(extack, 'TC IDR already exists');
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const err = tcf_action_apply_ctrlact(net, c.a, c.created, parm.s32(8), tp, flags, extack);
  if (err < 0) return { err, a: null };
  c.a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a: c.a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tunnel_key_dump (v6.18): SET dumps key id, addresses, port, no_csum, options, tos/ttl when set. */
function tunnel_key_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfTunnelKeyParams;
  b.attr(TCA_TUNNEL_KEY_PARMS, tcf_gen_dump(a, bind, ref, TC_TUNNEL_KEY_PARMS_LEN).s32(20, p.tcft_action).bytes);
  const k = p.key;
  if (p.tcft_action === TCA_TUNNEL_KEY_ACT_SET && k) {
    if (k.has_key) b.be32(TCA_TUNNEL_KEY_ENC_KEY_ID, k.tun_id);
    if (k.ipv6_src && k.ipv6_dst) {
      b.attr(TCA_TUNNEL_KEY_ENC_IPV6_SRC, k.ipv6_src);
      b.attr(TCA_TUNNEL_KEY_ENC_IPV6_DST, k.ipv6_dst);
    } else {
      b.be32(TCA_TUNNEL_KEY_ENC_IPV4_SRC, k.ipv4_src);
      b.be32(TCA_TUNNEL_KEY_ENC_IPV4_DST, k.ipv4_dst);
    }
    if (k.tp_dst) b.be16(TCA_TUNNEL_KEY_ENC_DST_PORT, k.tp_dst);
    b.u8(TCA_TUNNEL_KEY_NO_CSUM, k.csum ? 0 : 1);
    if (k.dont_fragment) b.attr(TCA_TUNNEL_KEY_NO_FRAG, new Uint8Array(0));
    if (k.geneve_opts.length) {
      const opts = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS);
      const gen = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_GENEVE);
      for (const o of k.geneve_opts) {
        b.be16(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS, o.opt_class);
        b.u8(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE, o.type);
        b.attr(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA, o.data);
      }
      b.nestEnd(gen);
      b.nestEnd(opts);
    } else if (k.vxlan_opt) {
      // tunnel_key_vxlan_opts_dump
      const opts = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS);
      const vx = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_VXLAN);
      b.u32(TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP, k.vxlan_opt.gbp);
      b.nestEnd(vx);
      b.nestEnd(opts);
    } else if (k.erspan_opt) {
      // tunnel_key_erspan_opts_dump: ver, then index (v1) or dir + hwid (v2)
      const md = k.erspan_opt;
      const opts = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS);
      const er = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN);
      b.u8(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER, md.version);
      if (md.version === 1) b.be32(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX, md.index);
      if (md.version === 2) {
        b.u8(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR, md.dir);
        b.u8(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID, md.hwid);
      }
      b.nestEnd(er);
      b.nestEnd(opts);
    }
    if (k.tos) b.u8(TCA_TUNNEL_KEY_ENC_TOS, k.tos);
    if (k.ttl) b.u8(TCA_TUNNEL_KEY_ENC_TTL, k.ttl);
  }
  tcf_tm_put(b, TCA_TUNNEL_KEY_TM, a);
  return 0;
}

/** tcf_tunnel_key_offload_act_setup (v6.18): set → TUNNEL_ENCAP with the tunnel info, unset → TUNNEL_DECAP. */
export const tcf_tunnel_key_offload_act_setup = hop('net/sched/act_tunnel_key.c', function tcf_tunnel_key_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!bind) return 0;
  const p = a.priv as TcfTunnelKeyParams;
  if (tk_set_branch(p.tcft_action === TCA_TUNNEL_KEY_ACT_SET) && p.key) {
    const k = p.key;
    entry.id = 'FLOW_ACTION_TUNNEL_ENCAP';
    // tcf_tunnel_encap_get_tunnel: a copy of the ip_tunnel_info
    entry.tunnel = {
      key_id: k.tun_id, ipv4_src: k.ipv4_src, ipv4_dst: k.ipv4_dst, tp_dst: k.tp_dst, tos: k.tos, ttl: k.ttl, no_csum: !k.csum,
      ...(k.ipv6_src ? { ipv6_src: k.ipv6_src.slice() } : {}), ...(k.ipv6_dst ? { ipv6_dst: k.ipv6_dst.slice() } : {}),
    };
    if (k.vxlan_opt) entry.tunnel.vxlan_opt = { ...k.vxlan_opt };
    if (k.erspan_opt) entry.tunnel.erspan_opt = { ...k.erspan_opt };
    if (k.geneve_opts.length) entry.tunnel_opts = k.geneve_opts.map((o) => ({ ...o, data: o.data.slice() }));
  } else if (p.tcft_action === TCA_TUNNEL_KEY_ACT_RELEASE) {
    entry.id = 'FLOW_ACTION_TUNNEL_DECAP';
  } else {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported tunnel key mode offload');
    return -EOPNOTSUPP;
  }
  return 0;
}, { input: (a) => `t_action=${(a.priv as TcfTunnelKeyParams).tcft_action}` });

export const act_tunnel_key_ops = {
  kind: 'tunnel_key',
  id: TCA_ID_TUNNEL_KEY,
  init: tunnel_key_init,
  dump: tunnel_key_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_tunnel_key_offload_act_setup,
} satisfies TcActionOps;

/** tunnel_key_init_module() */
export function tunnel_key_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_tunnel_key_ops);
}
