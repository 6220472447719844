// net/sched/act_vlan.c: push, pop or modify an 802.1Q/802.1AD tag (and the
// MPLS-over-Ethernet push_eth/pop_eth), and its flow_action mapping.
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_MOD } from '../../include/linux/netlink';
import { ACT_P_CREATED, TCA_ID_VLAN, type TcAction, type TcActionInitResult, type TcActionOps } from '../../include/net/act_api';
import type { FlowActionEntry } from '../../include/net/flow_offload';
import type { TcfProto } from '../../include/net/sch_generic';
import { EINVAL, EOPNOTSUPP, EPROTONOSUPPORT, ERANGE, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TCA_ACT_FLAGS_BIND } from '../../include/uapi/linux/pkt_cls';
import {
  TCA_VLAN_ACT_MODIFY, TCA_VLAN_ACT_POP, TCA_VLAN_ACT_POP_ETH, TCA_VLAN_ACT_PUSH, TCA_VLAN_ACT_PUSH_ETH, TCA_VLAN_MAX,
  TCA_VLAN_PARMS, TCA_VLAN_PUSH_ETH_DST, TCA_VLAN_PUSH_ETH_SRC, TCA_VLAN_PUSH_VLAN_ID, TCA_VLAN_PUSH_VLAN_PRIORITY,
  TCA_VLAN_PUSH_VLAN_PROTOCOL, TCA_VLAN_TM, TC_VLAN_PARMS_LEN,
} from '../../include/uapi/linux/tc_act/tc_vlan';
import { StructReader, nla_get_be16, nla_get_u16, nla_get_u8, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import { NLA_U16, NLA_U8, nla_parse_nested_deprecated, type NlaPolicy } from '../../lib/nlattr';
import {
  tcf_action_apply_ctrlact, tcf_gen_dump, tcf_generic_stats_update, tcf_idr_bind_existing, tcf_idr_check_alloc,
  tcf_idr_create_or_replace, tcf_register_action, tcf_tm_put,
} from './act_api';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const MODNAME = 'act_vlan';
const ETH_ALEN = 6;
const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;
const VLAN_VID_MASK = 0x0fff;

// Decisions counted by the hop coverage report.
const vlan_reserved_vid = declareBranch('net/sched/act_vlan.c', 'tcf_vlan_init', 'reserved vid');

/** struct tcf_vlan_params */
export interface TcfVlanParams {
  tcfv_action: number;
  tcfv_push_vid: number;
  tcfv_push_proto: number;
  tcfv_push_prio: number;
  tcfv_push_prio_exists: boolean;
  tcfv_push_dst: Uint8Array;
  tcfv_push_src: Uint8Array;
}

// net/sched/act_vlan.c vlan_policy (v6.18)
const vlan_policy: NlaPolicy = {
  [TCA_VLAN_PARMS]: { len: TC_VLAN_PARMS_LEN },
  [TCA_VLAN_PUSH_VLAN_ID]: { type: NLA_U16 },
  [TCA_VLAN_PUSH_VLAN_PROTOCOL]: { type: NLA_U16 },
  [TCA_VLAN_PUSH_VLAN_PRIORITY]: { type: NLA_U8 },
  [TCA_VLAN_PUSH_ETH_DST]: { len: ETH_ALEN },
  [TCA_VLAN_PUSH_ETH_SRC]: { len: ETH_ALEN },
};

/** tcf_vlan_init (v6.18): the tag's attributes are checked per v_action. */
export const tcf_vlan_init = hop('net/sched/act_vlan.c', function tcf_vlan_init(net: Net, nla: NlAttr | undefined, tp: TcfProto | null,
  flags: number, extack: NetlinkExtAck | null): TcActionInitResult {
  const bind = (flags & TCA_ACT_FLAGS_BIND) !== 0;
  if (!nla) return { err: -EINVAL, a: null };
  const { err: perr, tb } = nla_parse_nested_deprecated(TCA_VLAN_MAX, nla, vlan_policy, null);
  if (perr < 0) return { err: perr, a: null };
  if (!tb[TCA_VLAN_PARMS]) return { err: -EINVAL, a: null };
  const parm = new StructReader(tb[TCA_VLAN_PARMS]!.payload);
  const { exists, index } = tcf_idr_check_alloc(net, act_vlan_ops, parm.u32(0));
  if (exists && bind) return tcf_idr_bind_existing(exists);
  const v_action = parm.s32(20);
  const p: TcfVlanParams = {
    tcfv_action: v_action, tcfv_push_vid: 0, tcfv_push_proto: 0, tcfv_push_prio: 0, tcfv_push_prio_exists: false,
    tcfv_push_dst: new Uint8Array(ETH_ALEN), tcfv_push_src: new Uint8Array(ETH_ALEN),
  };
  switch (v_action) {
    case TCA_VLAN_ACT_POP:
    case TCA_VLAN_ACT_POP_ETH:
      break;
    case TCA_VLAN_ACT_PUSH:
    case TCA_VLAN_ACT_MODIFY: {
      if (!tb[TCA_VLAN_PUSH_VLAN_ID]) return { err: -EINVAL, a: null };
      p.tcfv_push_vid = nla_get_u16(tb[TCA_VLAN_PUSH_VLAN_ID]!);
      // act_vlan.c tcf_vlan_init: 4095 is reserved
      if (vlan_reserved_vid(p.tcfv_push_vid >= VLAN_VID_MASK)) return { err: -ERANGE, a: null };
      if (tb[TCA_VLAN_PUSH_VLAN_PROTOCOL]) {
        p.tcfv_push_proto = nla_get_be16(tb[TCA_VLAN_PUSH_VLAN_PROTOCOL]!);
        if (p.tcfv_push_proto !== ETH_P_8021Q && p.tcfv_push_proto !== ETH_P_8021AD) return { err: -EPROTONOSUPPORT, a: null };
      } else {
        p.tcfv_push_proto = ETH_P_8021Q;
      }
      p.tcfv_push_prio_exists = !!tb[TCA_VLAN_PUSH_VLAN_PRIORITY];
      if (p.tcfv_push_prio_exists) p.tcfv_push_prio = nla_get_u8(tb[TCA_VLAN_PUSH_VLAN_PRIORITY]!);
      break;
    }
    case TCA_VLAN_ACT_PUSH_ETH:
      if (!tb[TCA_VLAN_PUSH_ETH_DST] || !tb[TCA_VLAN_PUSH_ETH_SRC]) {
        NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Missing either ETH_DST or ETH_SRC');
        return { err: -EINVAL, a: null };
      }
      p.tcfv_push_dst = tb[TCA_VLAN_PUSH_ETH_DST]!.payload.slice(0, ETH_ALEN);
      p.tcfv_push_src = tb[TCA_VLAN_PUSH_ETH_SRC]!.payload.slice(0, ETH_ALEN);
      break;
    default:
      return { err: -EINVAL, a: null };
  }
  const c = tcf_idr_create_or_replace(net, act_vlan_ops, exists, index, flags, p);
  if (c.err < 0 || !c.a) return { err: c.err, a: null };
  const err = tcf_action_apply_ctrlact(net, c.a, c.created, parm.s32(8), tp, flags, extack);
  if (err < 0) return { err, a: null };
  c.a.priv = p;
  return { err: c.created ? ACT_P_CREATED : 0, a: c.a };
}, { input: (_n, nla) => (nla ? `len=${nla.payload.byteLength}` : 'no options'), errno: (r) => (r.err < 0 ? r.err : 0) });

/** tcf_vlan_dump (v6.18): the push attributes only for push/modify, priority only if given. */
function tcf_vlan_dump(b: NlMsgBuilder, a: TcAction, bind: number, ref: number): number {
  const p = a.priv as TcfVlanParams;
  b.attr(TCA_VLAN_PARMS, tcf_gen_dump(a, bind, ref, TC_VLAN_PARMS_LEN).s32(20, p.tcfv_action).bytes);
  if (p.tcfv_action === TCA_VLAN_ACT_PUSH || p.tcfv_action === TCA_VLAN_ACT_MODIFY) {
    b.u16(TCA_VLAN_PUSH_VLAN_ID, p.tcfv_push_vid);
    b.be16(TCA_VLAN_PUSH_VLAN_PROTOCOL, p.tcfv_push_proto);
    if (p.tcfv_push_prio_exists) b.u8(TCA_VLAN_PUSH_VLAN_PRIORITY, p.tcfv_push_prio);
  }
  if (p.tcfv_action === TCA_VLAN_ACT_PUSH_ETH) {
    b.attr(TCA_VLAN_PUSH_ETH_DST, p.tcfv_push_dst);
    b.attr(TCA_VLAN_PUSH_ETH_SRC, p.tcfv_push_src);
  }
  tcf_tm_put(b, TCA_VLAN_TM, a);
  return 0;
}

/** tcf_vlan_offload_act_setup (v6.18) */
export const tcf_vlan_offload_act_setup = hop('net/sched/act_vlan.c', function tcf_vlan_offload_act_setup(a: TcAction,
  entry: FlowActionEntry, bind: boolean, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!bind) return 0;
  const p = a.priv as TcfVlanParams;
  const tag = { vid: p.tcfv_push_vid, proto: p.tcfv_push_proto, prio: p.tcfv_push_prio };
  switch (p.tcfv_action) {
    case TCA_VLAN_ACT_PUSH: entry.id = 'FLOW_ACTION_VLAN_PUSH'; entry.vlan = tag; break;
    case TCA_VLAN_ACT_POP: entry.id = 'FLOW_ACTION_VLAN_POP'; break;
    case TCA_VLAN_ACT_MODIFY: entry.id = 'FLOW_ACTION_VLAN_MANGLE'; entry.vlan = tag; break;
    case TCA_VLAN_ACT_POP_ETH: entry.id = 'FLOW_ACTION_VLAN_POP_ETH'; break;
    case TCA_VLAN_ACT_PUSH_ETH:
      entry.id = 'FLOW_ACTION_VLAN_PUSH_ETH';
      entry.vlan_push_eth = { dst: p.tcfv_push_dst.slice(), src: p.tcfv_push_src.slice() };
      break;
    default:
      NL_SET_ERR_MSG_MOD(extack, MODNAME, 'Unsupported vlan action mode offload');
      return -EOPNOTSUPP;
  }
  return 0;
}, { input: (a) => `v_action=${(a.priv as TcfVlanParams).tcfv_action}` });

export const act_vlan_ops = {
  kind: 'vlan',
  id: TCA_ID_VLAN,
  init: tcf_vlan_init,
  dump: tcf_vlan_dump,
  stats_update: tcf_generic_stats_update,
  offload_act_setup: tcf_vlan_offload_act_setup,
} satisfies TcActionOps;

/** vlan_init_module() */
export function vlan_init_module(net: Net): 0 | NegErrno {
  return tcf_register_action(net, act_vlan_ops);
}
