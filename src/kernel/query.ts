// Pure questions about a kernel's state, for specs and reports. Nothing here
// is upstream code and nothing here records hops or reaches a driver.
import type { Net } from './include/net/net_namespace';
import type { TcfBlock } from './include/net/sch_generic';
import { tcf_blocks } from './net/sched/cls_api';
import { ovs_datapaths } from './net/openvswitch/datapath';

export interface TcFilterState {
  /** Device of a private block; null for a shared block. */
  dev: string | null;
  block_index: number;
  /** The parent the block was last addressed with (e.g. 0xfffffff2 for ingress). */
  parent: number;
  chain: number;
  /** User-visible pref. */
  prio: number;
  /** Ethertype value (0x0800 for ip, 0x0003 for all). */
  protocol: number;
  kind: string;
  handle: number;
  /** TCA_CLS_FLAGS_* */
  flags: number;
  in_hw_count: number;
  /** A short `tc filter show`-style summary of the keys. */
  keys: string;
  /** The cookie of offload requests for this filter; null if the classifier does not say. */
  cookie: number | null;
}

export interface TcBlockState {
  index: number;
  /** Bound driver callbacks (flow_block.cb_list). */
  cb_count: number;
  nooffloaddevcnt: number;
  offloadcnt: number;
  /** Devices whose qdiscs own the block. */
  devices: string[];
}

export interface DpFlowState {
  dp: string;
  ufid: string | null;
  key: Uint8Array;
  mask: Uint8Array;
  actions: Uint8Array;
}

function block_dev(block: TcfBlock): string | null {
  if (block.index !== 0) return null;
  return block.owner_list[0]?.q.dev.name ?? null;
}

export function tc_filters(net: Net): TcFilterState[] {
  const out: TcFilterState[] = [];
  for (const block of tcf_blocks(net)) {
    for (const chain of block.chain_list) {
      for (const tp of chain.filter_chain) {
        const show = tp.ops.show;
        if (!show) continue;
        tp.ops.walk(tp, {
          stop: false, skip: 0, count: 0, cookie: 0,
          fn: (_tp, fh) => {
            const v = show(tp, fh);
            out.push({
              dev: block_dev(block), block_index: block.index, parent: block.classid, chain: chain.index,
              prio: tp.prio >>> 16, protocol: tp.protocol, kind: tp.ops.kind, handle: v.handle, flags: v.flags,
              in_hw_count: v.in_hw_count, keys: v.keys, cookie: v.cookie ?? null,
            });
            return 0;
          },
        });
      }
    }
  }
  return out;
}

export function tc_blocks(net: Net): TcBlockState[] {
  return tcf_blocks(net).map((b) => ({
    index: b.index,
    cb_count: b.flow_block.cb_list.length,
    nooffloaddevcnt: b.nooffloaddevcnt,
    offloadcnt: b.offloadcnt,
    devices: b.owner_list.map((o) => o.q.dev.name),
  }));
}

export function ovs_dp_flows(net: Net): DpFlowState[] {
  const out: DpFlowState[] = [];
  for (const dp of ovs_datapaths(net)) {
    for (const f of dp.flows.values()) {
      out.push({
        dp: dp.name, ufid: f.ufid ? Buffer.from(f.ufid).toString('hex') : null,
        key: f.key.slice(), mask: f.mask.slice(), actions: f.actions.slice(),
      });
    }
  }
  return out;
}
