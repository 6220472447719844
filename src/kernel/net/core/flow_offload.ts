// net/core/flow_offload.c: the block-binding helper drivers call from
// ndo_setup_tc(TC_SETUP_BLOCK).
import {
  FLOW_BLOCK_BIND, FLOW_BLOCK_UNBIND, FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS,
  type FlowBlock, type FlowBlockCb, type FlowBlockOffload, type FlowSetupCb,
} from '../../include/net/flow_offload';
import { EBUSY, ENOENT, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { hop } from '../../../trace/hop';

export function flow_block_cb_alloc(cb: FlowSetupCb, cb_ident: unknown, cb_priv: unknown): FlowBlockCb {
  return { cb, cb_ident, cb_priv, block: null };
}

/** flow_block_cb_is_busy(): the same (cb, ident) already bound on this driver list. */
export function flow_block_cb_is_busy(cb: FlowSetupCb, cb_ident: unknown, driver_list: FlowBlockCb[]): boolean {
  return driver_list.some((b) => b.cb === cb && b.cb_ident === cb_ident);
}

/**
 * flow_block_cb_setup_simple (net/core/flow_offload.c, v6.18): ingress-only
 * drivers refuse other binder types with -EOPNOTSUPP (so a clsact egress block
 * counts as a non-offload device); a second bind of the same (cb, ident) is -EBUSY.
 */
export const flow_block_cb_setup_simple = hop('net/core/flow_offload.c', function flow_block_cb_setup_simple(
  f: FlowBlockOffload,
  driver_block_list: FlowBlockCb[],
  cb: FlowSetupCb,
  cb_ident: unknown,
  cb_priv: unknown,
  ingress_only: boolean,
): 0 | NegErrno {
  if (ingress_only && f.binder_type !== FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS) return -EOPNOTSUPP;
  f.driver_block_list = driver_block_list;
  switch (f.command) {
    case FLOW_BLOCK_BIND: {
      if (flow_block_cb_is_busy(cb, cb_ident, driver_block_list)) return -EBUSY;
      const block_cb = flow_block_cb_alloc(cb, cb_ident, cb_priv);
      block_cb.block = f.block;
      f.cb_list.push(block_cb);
      driver_block_list.push(block_cb);
      return 0;
    }
    case FLOW_BLOCK_UNBIND: {
      const block_cb = f.block.cb_list.find((b) => b.cb === cb && b.cb_ident === cb_ident);
      if (!block_cb) return -ENOENT;
      f.cb_list.push(block_cb); // tcf_block_unbind removes what is listed here
      const i = driver_block_list.indexOf(block_cb);
      if (i >= 0) driver_block_list.splice(i, 1);
      return 0;
    }
    default:
      return -EOPNOTSUPP;
  }
}, { input: (f) => `${f.command === FLOW_BLOCK_BIND ? 'BIND' : 'UNBIND'} binder_type=${f.binder_type}` });

// ---------------------------------------------------------------- indirect blocks
// A device without ndo_setup_tc (vxlan, geneve, …) cannot bind a block by
// itself; drivers that can offload its filters (tunnel decap on a NIC)
// register an indirect callback, asked whenever such a device binds or
// unbinds a block — and, on registration, about the blocks already bound.

import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import { TC_SETUP_BLOCK } from '../../include/linux/netdevice';
import type { Qdisc } from '../../include/net/sch_generic';

/**
 * flow_indr_block_bind_cb_t: a block bind on a foreign device, or (dev and
 * bo null, `data` a FlowOffloadAction) a standalone action (TC_SETUP_ACT).
 */
export type FlowIndrBlockBindCb = (dev: NetDevice | null, sch: Qdisc | null, cb_priv: unknown, type: number, bo: FlowBlockOffload | null,
  data?: unknown) => 0 | NegErrno;

/** struct flow_indr_dev: one driver's registration. */
export interface FlowIndrDev {
  cb: FlowIndrBlockBindCb;
  cb_priv: unknown;
}

/** struct flow_indir_dev_info: a tunnel device's bound block, remembered for late drivers. */
interface FlowIndirDevInfo {
  dev: NetDevice;
  sch: Qdisc | null;
  type: number;
  binder_type: number;
  command: typeof FLOW_BLOCK_BIND | typeof FLOW_BLOCK_UNBIND;
  /** The block's callback list, where late registrations splice theirs. */
  block: FlowBlock;
}

/** The namespace's flow_block_indr_dev_list and flow_indir_dev_list (statics upstream). */
function flow_indr_state(net: Net): { devs: FlowIndrDev[]; infos: FlowIndirDevInfo[] } {
  return net_generic(net, 'flow_indr', () => ({ devs: [] as FlowIndrDev[], infos: [] as FlowIndirDevInfo[] }));
}

/**
 * existing_qdiscs_register (net/core/flow_offload.c, v6.18): a newly
 * registered driver is asked about every tunnel-device block already bound;
 * what it adds joins that block directly (no filter replay).
 */
function existing_qdiscs_register(net: Net, d: FlowIndrDev): void {
  for (const cur of flow_indr_state(net).infos) {
    const bo: FlowBlockOffload = {
      command: cur.command, binder_type: cur.binder_type, block_shared: false, unlocked_driver_cb: false,
      block: cur.block, cb_list: [], driver_block_list: null, extack: null,
    };
    d.cb(cur.dev, cur.sch, d.cb_priv, cur.type, bo);
    cur.block.cb_list.push(...bo.cb_list);
  }
}

/** flow_indr_dev_register (net/core/flow_offload.c, v6.18): a second registration of the same (cb, priv) only takes a reference. */
export const flow_indr_dev_register = hop('net/core/flow_offload.c', function flow_indr_dev_register(net: Net, cb: FlowIndrBlockBindCb,
  cb_priv: unknown): 0 | NegErrno {
  const st = flow_indr_state(net);
  if (st.devs.some((d) => d.cb === cb && d.cb_priv === cb_priv)) return 0;
  const d: FlowIndrDev = { cb, cb_priv };
  st.devs.push(d);
  existing_qdiscs_register(net, d);
  return 0;
});

/**
 * flow_indr_dev_unregister (net/core/flow_offload.c, v6.18): the driver's
 * callbacks leave every block they joined (the cleanup each one carries).
 */
export const flow_indr_dev_unregister = hop('net/core/flow_offload.c', function flow_indr_dev_unregister(net: Net, cb: FlowIndrBlockBindCb,
  cb_priv: unknown, driver_block_list: FlowBlockCb[]): void {
  const st = flow_indr_state(net);
  const i = st.devs.findIndex((d) => d.cb === cb && d.cb_priv === cb_priv);
  if (i < 0) return;
  st.devs.splice(i, 1);
  for (const block_cb of [...driver_block_list]) {
    const list = block_cb.block?.cb_list;
    const j = list ? list.indexOf(block_cb) : -1;
    if (list && j >= 0) list.splice(j, 1);
    driver_block_list.splice(driver_block_list.indexOf(block_cb), 1);
  }
});

/** indir_dev_add / indir_dev_remove: remember (or forget) a tunnel device's bound block. */
function indir_dev_track(net: Net, dev: NetDevice, sch: Qdisc | null, type: number, bo: FlowBlockOffload): void {
  const st = flow_indr_state(net);
  const i = st.infos.findIndex((x) => x.dev === dev && x.block === bo.block);
  if (bo.command === FLOW_BLOCK_BIND) {
    if (i < 0) st.infos.push({ dev, sch, type, binder_type: bo.binder_type, command: bo.command, block: bo.block });
  } else if (i >= 0) {
    st.infos.splice(i, 1);
  }
}

/**
 * flow_indr_dev_setup_offload (net/core/flow_offload.c, v6.18): with a
 * block, remember the device's block first; then ask every registered
 * driver. The answer is how many drivers took it (0 included), except that
 * a block nobody joined is -EOPNOTSUPP. Standalone actions come with no
 * device and no block (dev, bo null, type TC_SETUP_ACT, data the action),
 * so the namespace is passed explicitly.
 */
export const flow_indr_dev_setup_offload = hop('net/core/flow_offload.c', function flow_indr_dev_setup_offload(dev: NetDevice | null,
  sch: Qdisc | null, bo: FlowBlockOffload | null, type: number = TC_SETUP_BLOCK, data: unknown = null, net: Net = dev!.nd_net): number {
  if (bo && dev) indir_dev_track(net, dev, sch, type, bo);
  let count = 0;
  for (const d of [...flow_indr_state(net).devs]) {
    if (!d.cb(dev, sch, d.cb_priv, type, bo, data)) count++;
  }
  return bo && !bo.cb_list.length ? -EOPNOTSUPP : count;
}, { input: (...[dev, , bo, type]: [NetDevice | null, Qdisc | null, FlowBlockOffload | null, number?, unknown?, Net?]) =>
  (bo ? `${dev?.name} ${bo.command === FLOW_BLOCK_BIND ? 'BIND' : 'UNBIND'}` : `type ${type}`) });

/** flow_block_cb_lookup (net/core/flow_offload.c) */
export function flow_block_cb_lookup(block: FlowBlock, cb: FlowSetupCb, cb_ident: unknown): FlowBlockCb | null {
  return block.cb_list.find((b) => b.cb === cb && b.cb_ident === cb_ident) ?? null;
}
