// net/sched/sch_ingress.c: the ingress and clsact qdiscs, which exist only
// to own filter blocks (ingress: one; clsact: ingress + egress).
import type { Net } from '../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import type { Qdisc, QdiscClassOps, QdiscOps, TcfBlock } from '../../include/net/sch_generic';
import { QDISC_CLASS_OPS_DOIT_UNLOCKED } from '../../include/net/sch_generic';
import { FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS, FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS } from '../../include/net/flow_offload';
import { EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { TC_H_CLSACT, TC_H_INGRESS, TC_H_MIN, TC_H_MIN_EGRESS, TC_H_MIN_INGRESS } from '../../include/uapi/linux/pkt_sched';
import type { NlAttr } from '../../../netlink/attr';
import { tcf_block_get_ext, tcf_block_put_ext, type TcfBlockExtInfo } from './cls_api';
import { register_qdisc } from './sch_api';
import { hop } from '../../../trace/hop';

/** struct ingress_sched_data */
interface IngressSchedData {
  block: TcfBlock | null;
  block_info: TcfBlockExtInfo;
}

/** struct clsact_sched_data */
interface ClsactSchedData {
  ingress_block: TcfBlock | null;
  egress_block: TcfBlock | null;
  ingress_block_info: TcfBlockExtInfo;
  egress_block_info: TcfBlockExtInfo;
}

function ingress_priv(q: Qdisc): IngressSchedData {
  if (!q.priv) q.priv = { block: null, block_info: { binder_type: FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS, block_index: 0 } };
  return q.priv as IngressSchedData;
}

function clsact_priv(q: Qdisc): ClsactSchedData {
  if (!q.priv) {
    q.priv = {
      ingress_block: null, egress_block: null,
      ingress_block_info: { binder_type: FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS, block_index: 0 },
      egress_block_info: { binder_type: FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS, block_index: 0 },
    };
  }
  return q.priv as ClsactSchedData;
}

/** ingress_find(): every minor is a class (minor + 1). */
function ingress_find(_q: Qdisc, classid: number): number {
  return TC_H_MIN(classid) + 1;
}

function ingress_tcf_block(q: Qdisc, _cl: number, _extack: NetlinkExtAck | null): TcfBlock | null {
  return ingress_priv(q).block;
}

/** ingress_init (v6.18): only under TC_H_INGRESS; binds the block as CLSACT_INGRESS. */
export const ingress_init = hop('net/sched/sch_ingress.c', function ingress_init(q: Qdisc, _opt: NlAttr | undefined, extack: NetlinkExtAck): 0 | NegErrno {
  if (q.parent !== TC_H_INGRESS) return -EOPNOTSUPP;
  const p = ingress_priv(q);
  const r = tcf_block_get_ext(q, p.block_info, extack);
  if (r.err) return r.err;
  p.block = r.block;
  return 0;
}, { input: (q) => q.dev.name });

const ingress_destroy = hop('net/sched/sch_ingress.c', function ingress_destroy(q: Qdisc): void {
  const p = ingress_priv(q);
  if (p.block) tcf_block_put_ext(p.block, q, p.block_info);
  p.block = null;
}, { input: (q) => q.dev.name });

const ingress_class_ops: QdiscClassOps = {
  flags: QDISC_CLASS_OPS_DOIT_UNLOCKED,
  find: ingress_find,
  tcf_block: ingress_tcf_block,
};

export const ingress_qdisc_ops = {
  id: 'ingress',
  cl_ops: ingress_class_ops,
  init: ingress_init,
  destroy: ingress_destroy,
  ingress_block_set: (q: Qdisc, idx: number) => { ingress_priv(q).block_info.block_index = idx; },
  ingress_block_get: (q: Qdisc) => ingress_priv(q).block_info.block_index,
} satisfies QdiscOps;

/** clsact_find(): only the ingress and egress minors exist. */
function clsact_find(_q: Qdisc, classid: number): number {
  switch (TC_H_MIN(classid)) {
    case TC_H_MIN(TC_H_MIN_INGRESS):
    case TC_H_MIN(TC_H_MIN_EGRESS):
      return TC_H_MIN(classid);
    default:
      return 0;
  }
}

function clsact_tcf_block(q: Qdisc, cl: number, _extack: NetlinkExtAck | null): TcfBlock | null {
  const p = clsact_priv(q);
  switch (cl) {
    case TC_H_MIN(TC_H_MIN_INGRESS): return p.ingress_block;
    case TC_H_MIN(TC_H_MIN_EGRESS): return p.egress_block;
    default: return null;
  }
}

/** clsact_init (v6.18): ingress block as CLSACT_INGRESS, egress block as CLSACT_EGRESS. */
export const clsact_init = hop('net/sched/sch_ingress.c', function clsact_init(q: Qdisc, _opt: NlAttr | undefined, extack: NetlinkExtAck): 0 | NegErrno {
  if (q.parent !== TC_H_CLSACT) return -EOPNOTSUPP;
  const p = clsact_priv(q);
  const ri = tcf_block_get_ext(q, p.ingress_block_info, extack);
  if (ri.err) return ri.err;
  p.ingress_block = ri.block;
  const re = tcf_block_get_ext(q, p.egress_block_info, extack);
  if (re.err) return re.err;
  p.egress_block = re.block;
  return 0;
}, { input: (q) => q.dev.name });

const clsact_destroy = hop('net/sched/sch_ingress.c', function clsact_destroy(q: Qdisc): void {
  const p = clsact_priv(q);
  if (p.egress_block) tcf_block_put_ext(p.egress_block, q, p.egress_block_info);
  if (p.ingress_block) tcf_block_put_ext(p.ingress_block, q, p.ingress_block_info);
  p.egress_block = null;
  p.ingress_block = null;
}, { input: (q) => q.dev.name });

const clsact_class_ops: QdiscClassOps = {
  flags: QDISC_CLASS_OPS_DOIT_UNLOCKED,
  find: clsact_find,
  tcf_block: clsact_tcf_block,
};

export const clsact_qdisc_ops = {
  id: 'clsact',
  cl_ops: clsact_class_ops,
  init: clsact_init,
  destroy: clsact_destroy,
  ingress_block_set: (q: Qdisc, idx: number) => { clsact_priv(q).ingress_block_info.block_index = idx; },
  egress_block_set: (q: Qdisc, idx: number) => { clsact_priv(q).egress_block_info.block_index = idx; },
  ingress_block_get: (q: Qdisc) => clsact_priv(q).ingress_block_info.block_index,
  egress_block_get: (q: Qdisc) => clsact_priv(q).egress_block_info.block_index,
} satisfies QdiscOps;

/** ingress_module_init(): both kinds on this host. */
export function ingress_module_init(net: Net): void {
  register_qdisc(net, ingress_qdisc_ops);
  register_qdisc(net, clsact_qdisc_ops);
}

/** The blocks a qdisc owns (ingress first), for queries. */
export function qdisc_blocks(q: Qdisc): TcfBlock[] {
  if (q.ops.id === 'ingress') {
    const b = ingress_priv(q).block;
    return b ? [b] : [];
  }
  if (q.ops.id === 'clsact') {
    const p = clsact_priv(q);
    return [p.ingress_block, p.egress_block].filter((b): b is TcfBlock => b !== null);
  }
  return [];
}
