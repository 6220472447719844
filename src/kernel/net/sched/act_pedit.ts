// net/sched/act_pedit.c: packet editing by 32-bit keys (offset, mask, value),
// optionally typed by header (eth/ip4/ip6/tcp/udp) and command (set/add).
// Offloaded as one FLOW_ACTION_MANGLE/ADD entry per key.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_ATTR, NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_PEDIT, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND } from '../../include/uapi/linux/pkt_cls';
import {
  TCA_PEDIT_KEYS_EX, TCA_PEDIT_KEY_EX, TCA_PEDIT_KEY_EX_CMD, TCA_PEDIT_KEY_EX_CMD_ADD, TCA_PEDIT_KEY_EX_CMD_MAX,
  TCA_PEDIT_KEY_EX_CMD_SET, TCA_PEDIT_KEY_EX_HDR_TYPE_MAX, TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK, TCA_PEDIT_KEY_EX_HTYPE,
  TCA_PEDIT_KEY_EX_MAX, TCA_PEDIT_MAX, TCA_PEDIT_PARMS, TCA_PEDIT_PARMS_EX, TCA_PEDIT_TM, TC_PEDIT_KEY_LEN,
  TC_PEDIT_SEL_LEN,
} from '../../include/uapi/linux/tc_act/tc_pedit';
import { StructReader, nla_get_u16, nla_walk, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { NLA_NESTED, NLA_U16, nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_apply_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_register_action, tcf_tm_put,
} from './act_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const MODNAME = 'act_pedit';

// Decisions counted by the hop coverage report.
const pedit_typed_keys = declareBranch('net/sched/act_pedit.c', 'tcf_pedit_init', 'typed keys (PARMS_EX)');

/** struct tc_pedit_key; mask and val are __be32, held as their network-order value (0x02000000 = bytes 02 00 00 00). */
export interface TcPeditKey { mask: number; val: number; off: number; at: number; offmask: number; shift: number }
/** struct tcf_pedit_key_ex */
export interface TcfPeditKeyEx { htype: number; cmd: number }

/** struct tcf_pedit_parms */
export interface TcfPeditParms {
  tcfp_keys: TcPeditKey[];
  tcfp_keys_ex: TcfPeditKeyEx[] | null;
  tcfp_flags: number;
}

// net/sched/act_pedit.c pedit_policy / pedit_key_ex_policy (v6.18)
const pedit_policy: NlaPolicy = {
  [TCA_PEDIT_PARMS]: { len: TC_PEDIT_SEL_LEN },
  [TCA_PEDIT_PARMS_EX]: { len: TC_PEDIT_SEL_LEN },
  [TCA_PEDIT_KEYS_EX]: { type: NLA_NESTED },
};
const pedit_key_ex_policy: NlaPolicy = {
  [TCA_PEDIT_KEY_EX_HTYPE]: { type: NLA_U16, max: TCA_PEDIT_KEY_EX_HDR_TYPE_MAX },
  [TCA_PEDIT_KEY_EX_CMD]: { type: NLA_U16, max: TCA_PEDIT_KEY_EX_CMD_MAX },
};

/** tcf_pedit_keys_ex_parse (v6.18): exactly n KEY_EX nests, each with htype and cmd. */
function tcf_pedit_keys_ex_parse(nla: NlAttr | undefined, n: number): { err: 0 | NegErrno; keys_ex: TcfPeditKeyEx[] | null } {
  if (!nla) return { err: 0, keys_ex: null };
  const keys_ex: TcfPeditKeyEx[] = [];
  const w = nla_walk(nla.payload, nla.offset + 4);
  for (const ka of w.attrs) {
    if (!n) return { err: -EINVAL, keys_ex: null };
    n--;
    if (ka.type !== TCA_PEDIT_KEY_EX) return { err: -EINVAL, keys_ex: null };
    const { err, tb } = nla_parse_nested_deprecated(TCA_PEDIT_KEY_EX_MAX, ka, pedit_key_ex_policy, null);
    if (err < 0) return { err, keys_ex: null };
    if (!tb[TCA_PEDIT_KEY_EX_HTYPE] || !tb[TCA_PEDIT_KEY_EX_CMD]) return { err: -EINVAL, keys_ex: null };
    keys_ex.push({ htype: nla_get_u16(tb[TCA_PEDIT_KEY_EX_HTYPE]!), cmd: nla_get_u16(tb[TCA_PEDIT_KEY_EX_CMD]!) });
  }
  if (n) return { err: -EINVAL, keys_ex: null };
  return { err: 0, keys_ex };
}

/** tcf_pedit_init (v6.18) */
export const tcf_pedit_init = hop('net/sched/act_pedit.c', function tcf_pedit_init(net: Net, nla: NlAttr | undefined, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Pedit requires attributes to be passed');
    return { err: -EINVAL, a: null };
  }
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_PEDIT_MAX, nla, pedit_policy, null);
  if (perr < 0) return { err: perr, a: null };
  const pattr = tb[TCA_PEDIT_PARMS] ?? tb[TCA_PEDIT_PARMS_EX];
  if (!pattr) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Missing required TCA_PEDIT_PARMS or TCA_PEDIT_PARMS_EX pedit attribute');
    return { err: -EINVAL, a: null };
  }
  const sel = new StructReader(pattr.payload);
  const nkeys = sel.u8(20);
  if (!nkeys) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Pedit requires keys to be passed');
    return { err: -EINVAL, a: null };
  }
  if (pattr.payload.byteLength < TC_PEDIT_SEL_LEN + nkeys * TC_PEDIT_KEY_LEN) {
    NL_SET_ERR_MSG_ATTR(extack, pattr.offset, 'Length of TCA_PEDIT_PARMS or TCA_PEDIT_PARMS_EX pedit attribute is invalid');
    return { err: -EINVAL, a: null };
  }
  pedit_typed_keys(!!tb[TCA_PEDIT_KEYS_EX]);
  const ex = tcf_pedit_keys_ex_parse(tb[TCA_PEDIT_KEYS_EX], nkeys);
  if (ex.err < 0) return { err: ex.err, a: null };
  const { exists, index } = tcf_idr_check_alloc(net, act_pedit_ops, sel.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const keys: TcPeditKey[] = [];
  for (let i = 0; i < nkeys; i++) {
    const o = TC_PEDIT_SEL_LEN + i * TC_PEDIT_KEY_LEN;
    keys.push({ mask: sel.be32(o), val: sel.be32(o + 4), off: sel.s32(o + 8), at: sel.u32(o + 12), offmask: sel.u32(o + 16), shift: sel.u32(o + 20) });
  }
  const p: TcfPeditParms = { tcfp_keys: keys, tcfp_keys_ex: ex.keys_ex, tcfp_flags: sel.u8(21) };
  const c = tcf_idr_create_or_replace(net, act_pedit_ops, exists, index, flags, p);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const err = tcf_action_apply_ctrlact(net, c.a, c.created, sel.s32(8), tp, flags, extack);
  if (err < 0) return { err, a: null };
  c.a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a: c.a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_pedit_dump (v6.18): PARMS_EX + KEYS_EX when keys are typed, else PARMS. */
function tcf_pedit_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfPeditParms;
  const w = tcf_gen_dump(a, bind, ref, TC_PEDIT_SEL_LEN + p.tcfp_keys.length * TC_PEDIT_KEY_LEN);
  w.u8(20, p.tcfp_keys.length).u8(21, p.tcfp_flags);
  p.tcfp_keys.forEach((k, i) => {
    const o = TC_PEDIT_SEL_LEN + i * TC_PEDIT_KEY_LEN;
    w.be32(o, k.mask).be32(o + 4, k.val).s32(o + 8, k.off).u32(o + 12, k.at).u32(o + 16, k.offmask).u32(o + 20, k.shift);
  });
  if (p.tcfp_keys_ex) {
    b.attr(TCA_PEDIT_PARMS_EX, w.bytes);
    const keys = b.nestStart(TCA_PEDIT_KEYS_EX);
    for (const k of p.tcfp_keys_ex) {
      const n = b.nestStart(TCA_PEDIT_KEY_EX);
      b.u16(TCA_PEDIT_KEY_EX_HTYPE, k.htype);
      b.u16(TCA_PEDIT_KEY_EX_CMD, k.cmd);
      b.nestEnd(n);
    }
    b.nestEnd(keys);
  } else {
    b.attr(TCA_PEDIT_PARMS, w.bytes);
  }
  tcf_tm_put(b, TCA_PEDIT_TM, a);
  return 0;
}

/** tcf_pedit_offload_act_setup (v6.18): one MANGLE (set) or ADD (add) entry per key. */
export const tcf_pedit_offload_act_setup = hop('net/sched/act_pedit.c', function tcf_pedit_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null, entries?: FlowActionEntry[]): 0 | NegErrno {
  if (!bind) return 0;
  const p = a.priv as TcfPeditParms;
  for (let k = 0; k < p.tcfp_keys.length; k++) {
    const e: FlowActionEntry = k === 0 ? entry : { id: 'FLOW_ACTION_MANGLE', hw_stats: 0, hw_index: 0 };
    const ex = p.tcfp_keys_ex ? p.tcfp_keys_ex[k]! : { htype: TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK, cmd: TCA_PEDIT_KEY_EX_CMD_SET };
    if (ex.cmd === TCA_PEDIT_KEY_EX_CMD_SET) e.id = 'FLOW_ACTION_MANGLE';
    else if (ex.cmd === TCA_PEDIT_KEY_EX_CMD_ADD) e.id = 'FLOW_ACTION_ADD';
    else {
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported pedit command offload');
      return -EOPNOTSUPP;
    }
    const key = p.tcfp_keys[k]!;
    e.mangle = { htype: ex.htype, offset: key.off, mask: key.mask, val: key.val };
    if (k > 0) entries?.push(e);
  }
  return 0;
}, { input: (a) => `nkeys=${(a.priv as TcfPeditParms).tcfp_keys.length}` });

export const act_pedit_ops = {
  kind: 'pedit',
  id: TCA_ID_PEDIT,
  init: tcf_pedit_init,
  dump: tcf_pedit_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_pedit_offload_act_setup,
} satisfies TcActionOps;

/** pedit_init_module() */
export function pedit_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_pedit_ops);
}
