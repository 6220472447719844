// net/core/flow_offload.c: the block-binding helper drivers call from
// ndo_setup_tc(TC_SETUP_BLOCK).
import {
  FLOW_BLOCK_BIND, FLOW_BLOCK_UNBIND, FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS,
  type FlowBlockCb, type FlowBlockOffload, type FlowSetupCb,
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
