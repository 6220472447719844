// net/sched/act_ct.c: send the packet through conntrack (zone, commit, mark,
// labels, nat, helper); offloaded as FLOW_ACTION_CT unless a helper is set.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_CT, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND } from '../../include/uapi/linux/pkt_cls';
import {
  TCA_CT_ACTION, TCA_CT_ACT_CLEAR, TCA_CT_ACT_NAT, TCA_CT_ACT_NAT_DST, TCA_CT_ACT_NAT_SRC, TCA_CT_HELPER_FAMILY,
  TCA_CT_HELPER_NAME, TCA_CT_HELPER_PROTO, TCA_CT_LABELS, TCA_CT_LABELS_MASK, TCA_CT_MARK, TCA_CT_MARK_MASK, TCA_CT_MAX,
  TCA_CT_NAT_IPV4_MAX, TCA_CT_NAT_IPV4_MIN, TCA_CT_NAT_IPV6_MAX, TCA_CT_NAT_IPV6_MIN, TCA_CT_NAT_PORT_MAX,
  TCA_CT_NAT_PORT_MIN, TCA_CT_PARMS, TCA_CT_TM, TCA_CT_ZONE, TC_CT_PARMS_LEN,
} from '../../include/uapi/linux/tc_act/tc_ct';
import { StructReader, nla_get_be16, nla_get_be32, nla_get_u16, nla_get_u32, nla_get_u8, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { NLA_BINARY, NLA_STRING, NLA_U16, NLA_U32, NLA_U8, nla_parse_nested, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_check_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_idr_release, tcf_register_action, tcf_tm_put,
} from './act_api';
import { tcf_chain_put_by_act } from './cls_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const MODNAME = 'act_ct';
const NF_CT_DEFAULT_ZONE_ID = 0;
const NF_CT_HELPER_NAME_LEN = 16;
const AF_INET = 2;
const IPPROTO_TCP = 6;

// Decisions counted by the hop coverage report.
const ct_helper_branch = declareBranch('net/sched/act_ct.c', 'tcf_ct_offload_act_setup', 'helper');

/** struct tcf_ct_params (the user-visible parts) */
export interface TcfCtParams {
  ct_action: number;
  zone: number;
  mark: number;
  mark_mask: number;
  labels: Uint8Array;
  labels_mask: Uint8Array;
  nat: null | { ipv4_min?: number; ipv4_max?: number; ipv6_min?: Uint8Array; ipv6_max?: Uint8Array; port_min?: number; port_max?: number };
  helper: null | { name: string; family: number; proto: number };
  /** The zone's flow table (tcf_ct_flow_table_get); null for clear. */
  nf_ft: null | { zone: number };
}

// net/sched/act_ct.c ct_policy (v6.18); NLA_POLICY_EXACT_LEN is a binary length range
const ct_policy: NlaPolicy = {
  [TCA_CT_ACTION]: { type: NLA_U16 },
  [TCA_CT_PARMS]: { type: NLA_BINARY, min: TC_CT_PARMS_LEN, max: TC_CT_PARMS_LEN },
  [TCA_CT_ZONE]: { type: NLA_U16 },
  [TCA_CT_MARK]: { type: NLA_U32 },
  [TCA_CT_MARK_MASK]: { type: NLA_U32 },
  [TCA_CT_LABELS]: { type: NLA_BINARY, len: 16 },
  [TCA_CT_LABELS_MASK]: { type: NLA_BINARY, len: 16 },
  [TCA_CT_NAT_IPV4_MIN]: { type: NLA_U32 },
  [TCA_CT_NAT_IPV4_MAX]: { type: NLA_U32 },
  [TCA_CT_NAT_IPV6_MIN]: { type: NLA_BINARY, min: 16, max: 16 },
  [TCA_CT_NAT_IPV6_MAX]: { type: NLA_BINARY, min: 16, max: 16 },
  [TCA_CT_NAT_PORT_MIN]: { type: NLA_U16 },
  [TCA_CT_NAT_PORT_MAX]: { type: NLA_U16 },
  [TCA_CT_HELPER_NAME]: { type: NLA_STRING, len: NF_CT_HELPER_NAME_LEN },
  [TCA_CT_HELPER_FAMILY]: { type: NLA_U8 },
  [TCA_CT_HELPER_PROTO]: { type: NLA_U8 },
};

/** tcf_ct_fill_params_nat (v6.18): snat and dnat are exclusive. */
function tcf_ct_fill_params_nat(p: TcfCtParams, tb: (NlAttr | undefined)[], extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!(p.ct_action & TCA_CT_ACT_NAT)) return 0;
  p.nat = {};
  if (!(p.ct_action & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST))) return 0;
  if ((p.ct_action & TCA_CT_ACT_NAT_SRC) && (p.ct_action & TCA_CT_ACT_NAT_DST)) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, "dnat and snat can't be enabled at the same time");
    return -EOPNOTSUPP;
  }
  if (tb[TCA_CT_NAT_IPV4_MIN]) {
    p.nat.ipv4_min = nla_get_be32(tb[TCA_CT_NAT_IPV4_MIN]!);
    p.nat.ipv4_max = tb[TCA_CT_NAT_IPV4_MAX] ? nla_get_be32(tb[TCA_CT_NAT_IPV4_MAX]!) : p.nat.ipv4_min;
  } else if (tb[TCA_CT_NAT_IPV6_MIN]) {
    p.nat.ipv6_min = tb[TCA_CT_NAT_IPV6_MIN]!.payload.slice(0, 16);
    p.nat.ipv6_max = tb[TCA_CT_NAT_IPV6_MAX] ? tb[TCA_CT_NAT_IPV6_MAX]!.payload.slice(0, 16) : p.nat.ipv6_min.slice();
  }
  if (tb[TCA_CT_NAT_PORT_MIN]) {
    p.nat.port_min = nla_get_be16(tb[TCA_CT_NAT_PORT_MIN]!);
    p.nat.port_max = tb[TCA_CT_NAT_PORT_MAX] ? nla_get_be16(tb[TCA_CT_NAT_PORT_MAX]!) : p.nat.port_min;
  }
  return 0;
}

/**
 * tcf_ct_fill_params (v6.18): clear ignores everything else; conntrack
 * mark, labels and zones are built in on the modelled kernel.
 */
function tcf_ct_fill_params(p: TcfCtParams, tb: (NlAttr | undefined)[], extack: NetlinkExtAck | null): 0 | NegErrno {
  if (tb[TCA_CT_ACTION]) p.ct_action = nla_get_u16(tb[TCA_CT_ACTION]!);
  if (p.ct_action & TCA_CT_ACT_CLEAR) return 0;
  const err = tcf_ct_fill_params_nat(p, tb, extack);
  if (err) return err;
  if (tb[TCA_CT_MARK]) {
    p.mark = nla_get_u32(tb[TCA_CT_MARK]!);
    p.mark_mask = tb[TCA_CT_MARK_MASK] ? nla_get_u32(tb[TCA_CT_MARK_MASK]!) : 0xffffffff;
  }
  if (tb[TCA_CT_LABELS]) {
    // tcf_ct_set_key_val → nla_memcpy: at most 16 bytes, the rest zero-padded
    const pad16 = (b: Uint8Array): Uint8Array => { const o = new Uint8Array(16); o.set(b.subarray(0, 16)); return o; };
    p.labels = pad16(tb[TCA_CT_LABELS]!.payload);
    p.labels_mask = tb[TCA_CT_LABELS_MASK] ? pad16(tb[TCA_CT_LABELS_MASK]!.payload) : new Uint8Array(16).fill(0xff);
  }
  if (tb[TCA_CT_ZONE]) p.zone = nla_get_u16(tb[TCA_CT_ZONE]!);
  const h = tb[TCA_CT_HELPER_NAME];
  if (h) {
    const len = h.payload.byteLength;
    if (len > NF_CT_HELPER_NAME_LEN || h.payload[len - 1] !== 0) {
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Failed to parse helper name.');
      return -EINVAL;
    }
    // nf_ct_add_helper: the emulated host has every conntrack helper loaded
    p.helper = {
      name: Buffer.from(h.payload.subarray(0, len - 1)).toString('latin1'),
      family: tb[TCA_CT_HELPER_FAMILY] ? nla_get_u8(tb[TCA_CT_HELPER_FAMILY]!) : AF_INET,
      proto: tb[TCA_CT_HELPER_PROTO] ? nla_get_u8(tb[TCA_CT_HELPER_PROTO]!) : IPPROTO_TCP,
    };
  }
  return 0;
}

/** tcf_ct_init (v6.18): strict nested parse, so the options nest must carry NLA_F_NESTED. */
export const tcf_ct_init = hop('net/sched/act_ct.c', function tcf_ct_init(net: Net, nla: NlAttr | undefined, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Ct requires attributes to be passed');
    return { err: -EINVAL, a: null };
  }
  const { err: perr, tb } = nla_parse_nested(TCA_CT_MAX, nla, ct_policy, extack);
  if (perr < 0) return { err: perr, a: null };
  if (!tb[TCA_CT_PARMS]) {
    NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Missing required ct parameters');
    return { err: -EINVAL, a: null };
  }
  const parm = new StructReader(tb[TCA_CT_PARMS]!.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_ct_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const c = tcf_idr_create_or_replace(net, act_ct_ops, exists, index, flags, null);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const a = c.a;
  const ctrl = tcf_action_check_ctrlact(parm.s32(8), tp, extack);
  const release = (err: NegErrno): TcActionInitResult => {
    if (c.created) tcf_idr_release(net, a, bind);
    return { err, a: null };
  };
  if (ctrl.err < 0) return release(ctrl.err);
  const p: TcfCtParams = {
    ct_action: 0, zone: NF_CT_DEFAULT_ZONE_ID, mark: 0, mark_mask: 0, labels: new Uint8Array(16), labels_mask: new Uint8Array(16),
    nat: null, helper: null, nf_ft: null,
  };
  const err = tcf_ct_fill_params(p, tb, extack);
  if (err) {
    if (ctrl.goto_chain) tcf_chain_put_by_act(ctrl.goto_chain);
    return release(err);
  }
  // net/sched/act_ct.c tcf_ct_init → tcf_ct_flow_table_get (v6.18): one flow table per zone, none for clear.
  if (!(p.ct_action & TCA_CT_ACT_CLEAR)) p.nf_ft = { zone: p.zone };
  if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
  a.tcfa_action = parm.s32(8);
  a.goto_chain = ctrl.goto_chain;
  a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_ct_dump (v6.18): action and zone always; mark/labels when their mask is non-zero; clear dumps no more. */
function tcf_ct_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfCtParams;
  b.attr(TCA_CT_PARMS, tcf_gen_dump(a, bind, ref, TC_CT_PARMS_LEN).bytes);
  b.u16(TCA_CT_ACTION, p.ct_action);
  if (!(p.ct_action & TCA_CT_ACT_CLEAR)) {
    if (p.mark_mask) {
      b.u32(TCA_CT_MARK, p.mark);
      b.u32(TCA_CT_MARK_MASK, p.mark_mask);
    }
    if (p.labels_mask.some((x) => x)) {
      b.attr(TCA_CT_LABELS, p.labels);
      b.attr(TCA_CT_LABELS_MASK, p.labels_mask);
    }
    b.u16(TCA_CT_ZONE, p.zone);
    // tcf_ct_dump_nat
    if (p.nat && (p.ct_action & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST))) {
      if (p.nat.ipv4_min !== undefined) {
        b.be32(TCA_CT_NAT_IPV4_MIN, p.nat.ipv4_min);
        b.be32(TCA_CT_NAT_IPV4_MAX, p.nat.ipv4_max!);
      } else if (p.nat.ipv6_min) {
        b.attr(TCA_CT_NAT_IPV6_MIN, p.nat.ipv6_min);
        b.attr(TCA_CT_NAT_IPV6_MAX, p.nat.ipv6_max!);
      }
      if (p.nat.port_min !== undefined) {
        b.be16(TCA_CT_NAT_PORT_MIN, p.nat.port_min);
        b.be16(TCA_CT_NAT_PORT_MAX, p.nat.port_max!);
      }
    }
    // tcf_ct_dump_helper
    if (p.helper) {
      b.string(TCA_CT_HELPER_NAME, p.helper.name);
      b.u8(TCA_CT_HELPER_FAMILY, p.helper.family);
      b.u8(TCA_CT_HELPER_PROTO, p.helper.proto);
    }
  }
  tcf_tm_put(b, TCA_CT_TM, a);
  return 0;
}

/** tcf_ct_offload_act_setup (v6.18): a helper cannot be offloaded (no message). */
export const tcf_ct_offload_act_setup = hop('net/sched/act_ct.c', function tcf_ct_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean): 0 | NegErrno {
  if (!bind) return 0;
  const p = a.priv as TcfCtParams;
  if (ct_helper_branch(p.helper !== null)) return -EOPNOTSUPP;
  entry.id = 'FLOW_ACTION_CT';
  entry.ct = { zone: p.zone, action: p.ct_action, flow_table: p.nf_ft };
  return 0;
}, { input: (a) => `ct_action=0x${(a.priv as TcfCtParams).ct_action.toString(16)} zone=${(a.priv as TcfCtParams).zone}` });

export const act_ct_ops = {
  kind: 'ct',
  id: TCA_ID_CT,
  init: tcf_ct_init,
  dump: tcf_ct_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_ct_offload_act_setup,
} satisfies TcActionOps;

/** ct_init_module() */
export function ct_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_ct_ops);
}
