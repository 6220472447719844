// net/sched/sch_api.c: qdisc kinds per host, RTM_NEWQDISC / RTM_DELQDISC
// for the ingress queue (ingress, clsact), and qdisc lookup by handle. Root
// qdiscs are not modelled: every device's root is the builtin noqueue.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG } from '../../include/linux/netlink';
import type { Qdisc, QdiscOps } from '../../include/net/sch_generic';
import { EEXIST, EINVAL, ENODEV, ENOENT, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REPLACE } from '../../include/uapi/linux/netlink';
import {
  RTM_DELQDISC, RTM_GETQDISC, RTM_NEWQDISC, RTNLGRP_TC,
} from '../../include/uapi/linux/rtnetlink';
import {
  IFNAMSIZ, TCA_CHAIN, TCA_DUMP_INVISIBLE, TCA_EGRESS_BLOCK, TCA_INGRESS_BLOCK, TCA_KIND, TCA_MAX, TCA_OPTIONS,
  TCA_RATE, TCA_STAB, TCQ_F_INGRESS, TC_H_INGRESS, TC_H_MAJ, TC_H_MIN, TC_H_ROOT,
} from '../../include/uapi/linux/pkt_sched';
import type { NlMsg } from '../../../netlink/nlmsg';
import { NlMsgBuilder, nla_get_u32 } from '../../../netlink/attr';
import { TCMSG_LEN, tcmsg_decode, tcmsg_encode } from '../../../netlink/structs';
import {
  NLA_FLAG, NLA_NESTED, NLA_STRING, NLA_U32, nla_strcmp, nla_strscpy, nlmsg_parse_deprecated, type NlaPolicy,
  type NlaTb,
} from '../../lib/nlattr';
import { rtnetlink_send, rtnl_notify_needed, rtnl_register_many } from '../core/rtnetlink';
import { hop } from '../../../trace/hop';

// net/sched/sch_api.c rtm_tca_policy (v6.18); TCA_RATE is struct tc_estimator (2 bytes)
export const rtm_tca_policy: NlaPolicy = {
  [TCA_KIND]: { type: NLA_STRING },
  [TCA_RATE]: { type: 'NLA_BINARY', len: 2 },
  [TCA_STAB]: { type: NLA_NESTED },
  [TCA_DUMP_INVISIBLE]: { type: NLA_FLAG },
  [TCA_CHAIN]: { type: NLA_U32 },
  [TCA_INGRESS_BLOCK]: { type: NLA_U32 },
  [TCA_EGRESS_BLOCK]: { type: NLA_U32 },
};

/** Per-device scheduler state: the builtin root and the ingress queue's qdisc. */
export interface DevSched {
  root: Qdisc;
  ingress: Qdisc | null;
}

const noqueue_qdisc_ops: QdiscOps = {
  id: 'noqueue', cl_ops: null, init: () => 0, destroy: () => undefined,
};

export function dev_sched(dev: NetDevice): DevSched {
  let s = dev.qdisc_state as DevSched | undefined;
  if (!s) {
    s = { root: { ops: noqueue_qdisc_ops, dev, handle: 0, parent: TC_H_ROOT, flags: 0, priv: null }, ingress: null };
    dev.qdisc_state = s;
  }
  return s;
}

function qdisc_base(net: Net): Map<string, QdiscOps> {
  return net_generic(net, 'qdisc_base', () => new Map<string, QdiscOps>());
}

/** register_qdisc(): a qdisc kind becomes available on this host. */
export function register_qdisc(net: Net, ops: QdiscOps): 0 | NegErrno {
  const base = qdisc_base(net);
  if (base.has(ops.id)) return -EEXIST;
  base.set(ops.id, ops);
  return 0;
}

/** qdisc_lookup(): by major handle among the device's qdiscs (root tree and ingress). */
export function qdisc_lookup(dev: NetDevice, handle: number): Qdisc | null {
  const s = dev_sched(dev);
  if (s.ingress && TC_H_MAJ(s.ingress.handle) === TC_H_MAJ(handle)) return s.ingress;
  if (s.root.handle && TC_H_MAJ(s.root.handle) === TC_H_MAJ(handle)) return s.root;
  return null;
}

/** The device's root qdisc (dev->qdisc). */
export function dev_root_qdisc(dev: NetDevice): Qdisc {
  return dev_sched(dev).root;
}

/** tc_fill_qdisc(): the RTM_NEWQDISC/RTM_DELQDISC notification. */
function tc_fill_qdisc(q: Qdisc, clid: number, portid: number, seq: number, flags: number, event: number): Uint8Array {
  const b = new NlMsgBuilder({ nlmsg_type: event, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: portid });
  b.put(tcmsg_encode({ tcm_family: 0, tcm_ifindex: q.dev.ifindex, tcm_handle: q.handle, tcm_parent: clid, tcm_info: 1 }));
  b.string(TCA_KIND, q.ops.id);
  const ib = q.ops.ingress_block_get?.(q) ?? 0;
  if (ib) b.u32(TCA_INGRESS_BLOCK, ib);
  const eb = q.ops.egress_block_get?.(q) ?? 0;
  if (eb) b.u32(TCA_EGRESS_BLOCK, eb);
  return b.finish();
}

function qdisc_notify(net: Net, skb: NetlinkSkb, n: NlMsg, clid: number, old: Qdisc | null, nq: Qdisc | null): void {
  if (!rtnl_notify_needed(net, n.hdr.nlmsg_flags, RTNLGRP_TC)) return;
  const echo = (n.hdr.nlmsg_flags & NLM_F_ECHO) !== 0;
  if (old) rtnetlink_send(tc_fill_qdisc(old, clid, skb.portid, n.hdr.nlmsg_seq, 0, RTM_DELQDISC), net, skb.portid, RTNLGRP_TC, echo);
  if (nq) rtnetlink_send(tc_fill_qdisc(nq, clid, skb.portid, n.hdr.nlmsg_seq, n.hdr.nlmsg_flags, RTM_NEWQDISC), net, skb.portid, RTNLGRP_TC, echo);
}

/**
 * qdisc_create (v6.18): kind lookup, TCA_INGRESS_BLOCK/TCA_EGRESS_BLOCK
 * (index 0 refused, kinds without block sharing refused), then ops->init;
 * an init failure runs ops->destroy.
 */
export const qdisc_create = hop('net/sched/sch_api.c', function qdisc_create(dev: NetDevice, parent: number, handle: number, tca: NlaTb,
  extack: NetlinkExtAck): { err: 0 | NegErrno; q: Qdisc | null } {
  const kind = tca[TCA_KIND];
  const ops = kind ? qdisc_base(dev.nd_net).get(nla_strscpy(kind, IFNAMSIZ).value) : undefined;
  if (!ops) {
    NL_SET_ERR_MSG(extack, 'Specified qdisc kind is unknown');
    return { err: -ENOENT, q: null };
  }
  const q: Qdisc = { ops, dev, handle, parent, flags: 0, priv: null };
  if (handle === TC_H_INGRESS) {
    q.flags |= TCQ_F_INGRESS;
    q.handle = TC_H_MAJ(TC_H_INGRESS);
  }
  if (tca[TCA_INGRESS_BLOCK]) {
    if (!ops.ingress_block_set) {
      NL_SET_ERR_MSG(extack, 'Ingress block sharing is not supported');
      return { err: -EOPNOTSUPP, q: null };
    }
    const idx = nla_get_u32(tca[TCA_INGRESS_BLOCK]!);
    if (!idx) {
      NL_SET_ERR_MSG(extack, 'Ingress block index cannot be 0');
      return { err: -EINVAL, q: null };
    }
    ops.ingress_block_set(q, idx);
  }
  if (tca[TCA_EGRESS_BLOCK]) {
    if (!ops.egress_block_set) {
      NL_SET_ERR_MSG(extack, 'Egress block sharing is not supported');
      return { err: -EOPNOTSUPP, q: null };
    }
    const idx = nla_get_u32(tca[TCA_EGRESS_BLOCK]!);
    if (!idx) {
      NL_SET_ERR_MSG(extack, 'Egress block index cannot be 0');
      return { err: -EINVAL, q: null };
    }
    ops.egress_block_set(q, idx);
  }
  const err = ops.init(q, tca[TCA_OPTIONS], extack);
  if (err) {
    ops.destroy(q);
    return { err, q: null };
  }
  return { err: 0, q };
}, { input: (dev, _p, handle) => `${dev.name} handle=0x${handle.toString(16)}`, errno: (r) => r.err });

/** qdisc_destroy(): the qdisc's ops->destroy (which releases its blocks). */
const qdisc_destroy = hop('net/sched/sch_api.c', function qdisc_destroy(q: Qdisc): void {
  q.ops.destroy(q);
}, { input: (q) => `${q.dev.name} ${q.ops.id}` });

/**
 * tc_modify_qdisc (v6.18), the ingress-queue part: parent TC_H_INGRESS
 * addresses the ingress queue; other parents would need a root hierarchy,
 * which the emulated devices do not have.
 */
export const tc_modify_qdisc = hop('net/sched/sch_api.c', function tc_modify_qdisc(skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const net = skb.net;
  const { err, tb: tca } = nlmsg_parse_deprecated(n, TCMSG_LEN, TCA_MAX, rtm_tca_policy, extack);
  if (err < 0) return err;
  const t = tcmsg_decode(n.payload);
  if (!t.ok) return -EINVAL;
  const tcm = t.value;
  const dev = net.dev_by_index.get(tcm.tcm_ifindex | 0);
  if (!dev) return -ENODEV;
  const clid = tcm.tcm_parent;
  const flags = n.hdr.nlmsg_flags;
  let q: Qdisc | null = null;
  if (clid) {
    if (clid !== TC_H_ROOT) {
      if (clid !== TC_H_INGRESS) {
        NL_SET_ERR_MSG(extack, 'Failed to find specified qdisc');
        return -ENOENT;
      }
      q = dev_sched(dev).ingress;
    } else {
      q = dev_root_qdisc(dev);
    }
    // It may be default qdisc, ignore it
    if (q && q.handle === 0) q = null;
    if (!q || !tcm.tcm_handle || q.handle !== tcm.tcm_handle) {
      if (tcm.tcm_handle) {
        if (q && !(flags & NLM_F_REPLACE)) {
          NL_SET_ERR_MSG(extack, 'NLM_F_REPLACE needed to override');
          return -EEXIST;
        }
        if (TC_H_MIN(tcm.tcm_handle)) {
          NL_SET_ERR_MSG(extack, 'Invalid minor handle');
          return -EINVAL;
        }
        const found = qdisc_lookup(dev, tcm.tcm_handle);
        if (found) {
          if (found.parent !== tcm.tcm_parent) {
            NL_SET_ERR_MSG(extack, 'Cannot move an existing qdisc to a different parent');
            return -EINVAL;
          }
          if (flags & NLM_F_EXCL) {
            NL_SET_ERR_MSG(extack, 'Exclusivity flag on, cannot override');
            return -EEXIST;
          }
          if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND]!, found.ops.id)) {
            NL_SET_ERR_MSG(extack, 'Invalid qdisc name: must match existing qdisc');
            return -EINVAL;
          }
          if (found.flags & TCQ_F_INGRESS) {
            NL_SET_ERR_MSG(extack, 'Cannot regraft ingress or clsact Qdiscs');
            return -EINVAL;
          }
          return -EOPNOTSUPP;
        }
        return create_n_graft();
      }
      if (!q) return create_n_graft();
    }
  } else {
    if (!tcm.tcm_handle) {
      NL_SET_ERR_MSG(extack, 'Handle cannot be zero');
      return -EINVAL;
    }
    q = qdisc_lookup(dev, tcm.tcm_handle);
  }
  // Change qdisc parameters
  if (!q) {
    NL_SET_ERR_MSG(extack, 'Specified qdisc not found');
    return -ENOENT;
  }
  if (flags & NLM_F_EXCL) {
    NL_SET_ERR_MSG(extack, 'Exclusivity flag on, cannot modify');
    return -EEXIST;
  }
  if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND]!, q.ops.id)) {
    NL_SET_ERR_MSG(extack, 'Invalid qdisc name: must match existing qdisc');
    return -EINVAL;
  }
  // ingress/clsact have no change op
  NL_SET_ERR_MSG(extack, 'Change operation not supported by specified qdisc');
  return -EINVAL;

  function create_n_graft(): 0 | NegErrno {
    if (!(flags & NLM_F_CREATE)) {
      NL_SET_ERR_MSG(extack, 'Qdisc not found. To create specify NLM_F_CREATE flag');
      return -ENOENT;
    }
    if (clid !== TC_H_INGRESS) {
      NL_SET_ERR_MSG(extack, 'Failed to find specified qdisc');
      return -ENOENT;
    }
    // qdisc_create(dev, dev_ingress_queue(dev), tcm_parent, tcm_parent, ...)
    const r = qdisc_create(dev!, tcm.tcm_parent, tcm.tcm_parent, tca, extack);
    if (r.err || !r.q) return r.err || -EINVAL;
    // qdisc_graft on the ingress queue: the old qdisc (none here) is replaced.
    const s = dev_sched(dev!);
    const old = s.ingress;
    s.ingress = r.q;
    qdisc_notify(net, skb, n, clid, old, r.q);
    if (old) qdisc_destroy(old);
    return 0;
  }
}, { input: (_s, n) => `flags=0x${n.hdr.nlmsg_flags.toString(16)}` });

/** tc_get_qdisc (v6.18), RTM_DELQDISC: find by parent/handle, then graft NULL. */
export const tc_get_qdisc = hop('net/sched/sch_api.c', function tc_get_qdisc(skb: NetlinkSkb, n: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const net = skb.net;
  const { err, tb: tca } = nlmsg_parse_deprecated(n, TCMSG_LEN, TCA_MAX, rtm_tca_policy, extack);
  if (err < 0) return err;
  const t = tcmsg_decode(n.payload);
  if (!t.ok) return -EINVAL;
  const tcm = t.value;
  const dev = net.dev_by_index.get(tcm.tcm_ifindex | 0);
  if (!dev) return -ENODEV;
  const clid = tcm.tcm_parent;
  let q: Qdisc | null = null;
  if (clid) {
    if (clid !== TC_H_ROOT) {
      if (TC_H_MAJ(clid) !== TC_H_MAJ(TC_H_INGRESS)) {
        NL_SET_ERR_MSG(extack, 'Failed to find qdisc with specified classid');
        return -ENOENT;
      }
      q = dev_sched(dev).ingress;
    } else {
      q = dev_root_qdisc(dev);
    }
    if (!q) {
      NL_SET_ERR_MSG(extack, 'Cannot find specified qdisc on specified device');
      return -ENOENT;
    }
    if (tcm.tcm_handle && q.handle !== tcm.tcm_handle) {
      NL_SET_ERR_MSG(extack, 'Invalid handle');
      return -EINVAL;
    }
  } else {
    q = qdisc_lookup(dev, tcm.tcm_handle);
    if (!q) {
      NL_SET_ERR_MSG(extack, 'Failed to find qdisc with specified handle');
      return -ENOENT;
    }
  }
  if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND]!, q.ops.id)) {
    NL_SET_ERR_MSG(extack, 'Invalid qdisc name: must match existing qdisc');
    return -EINVAL;
  }
  if (n.hdr.nlmsg_type === RTM_DELQDISC) {
    if (!clid) {
      NL_SET_ERR_MSG(extack, 'Classid cannot be zero');
      return -EINVAL;
    }
    if (q.handle === 0) {
      NL_SET_ERR_MSG(extack, 'Cannot delete qdisc with handle of zero');
      return -ENOENT;
    }
    const s = dev_sched(dev);
    if (s.ingress === q) s.ingress = null;
    qdisc_notify(net, skb, n, clid, q, null);
    qdisc_destroy(q);
    return 0;
  }
  qdisc_notify_unicast(net, skb, n, clid, q);
  return 0;
}, { input: (_s, n) => `type=${n.hdr.nlmsg_type}` });

function qdisc_notify_unicast(net: Net, skb: NetlinkSkb, n: NlMsg, clid: number, q: Qdisc): void {
  rtnetlink_send(tc_fill_qdisc(q, clid, skb.portid, n.hdr.nlmsg_seq, 0, RTM_NEWQDISC), net, skb.portid, 0, true);
}

/** pktsched_init(): the qdisc message handlers. */
export function pktsched_init(net: Net): void {
  rtnl_register_many(net, [
    { protocol: 0, msgtype: RTM_NEWQDISC, doit: tc_modify_qdisc },
    { protocol: 0, msgtype: RTM_DELQDISC, doit: tc_get_qdisc },
    { protocol: 0, msgtype: RTM_GETQDISC, doit: tc_get_qdisc },
  ]);
}

/** Every device's ingress-queue qdisc, for queries. */
export function qdiscs_of(net: Net): Qdisc[] {
  const out: Qdisc[] = [];
  for (const dev of net.dev_by_index.values()) {
    const s = dev.qdisc_state as DevSched | undefined;
    if (s?.ingress) out.push(s.ingress);
  }
  return out;
}
