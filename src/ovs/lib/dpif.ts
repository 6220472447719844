// lib/dpif.c + lib/dpif.h + lib/dpif-provider.h (v3.6.3): the datapath
// interface every dpif class implements, batch operations, and the per-op
// result log line.
import { EEXIST, EINVAL, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { hop } from '../../trace/hop';
import { errno_text, type OvsProcess } from './ovs-process';
import type { VlogModule } from './vlog';
import { format_odp_actions, odp_flow_format, odp_format_ufid, type Ufid } from './odp-util';
import { netdev_is_flow_api_enabled } from './netdev-offload';

// enum dpif_flow_put_flags
export const DPIF_FP_CREATE = 1 << 0;
export const DPIF_FP_MODIFY = 1 << 1;
export const DPIF_FP_ZERO_STATS = 1 << 2;
export const DPIF_FP_PROBE = 1 << 3;

/** enum dpif_offload_type */
export type DpifOffloadType = 'DPIF_OFFLOAD_AUTO' | 'DPIF_OFFLOAD_NEVER' | 'DPIF_OFFLOAD_ALWAYS';

/** struct dpif_flow_put */
export interface DpifFlowPut {
  flags: number;
  key: Uint8Array;
  /** Absent: an exact-match flow. */
  mask?: Uint8Array;
  actions: Uint8Array;
  /** Absent: the flow has no UFID (it cannot be offloaded). */
  ufid?: Ufid;
}

/** struct dpif_flow_del */
export interface DpifFlowDel {
  key: Uint8Array;
  ufid?: Ufid;
}

/** struct dpif_execute */
export interface DpifExecute {
  packet: Uint8Array;
  /** The packet's metadata key (in_port, priority, mark, ...). */
  key: Uint8Array;
  actions: Uint8Array;
}

/** struct dpif_op */
export type DpifOp =
  | { type: 'DPIF_OP_FLOW_PUT'; flow_put: DpifFlowPut; error: number }
  | { type: 'DPIF_OP_FLOW_DEL'; flow_del: DpifFlowDel; error: number }
  | { type: 'DPIF_OP_EXECUTE'; execute: DpifExecute; error: number };

/** struct dpif_class, the members this emulation uses. */
export interface DpifClass<D extends Dpif = Dpif> {
  readonly type: string;
  operate(p: OvsProcess, dpif: D, ops: DpifOp[], offload_type: DpifOffloadType): void;
}

/** struct dpif */
export interface Dpif {
  /** dpif_name(): `<type>@<name>`, e.g. `system@ovs-system`. */
  readonly full_name: string;
  readonly base_name: string;
  readonly dpif_class: DpifClass<never>;
}

/** dpif_normalize_type */
export function dpif_normalize_type(type: string): string {
  return type === '' ? 'system' : type;
}

/**
 * log_flow_put_message: `<dp>: [failed to ]put[create] [(<err>) ]ufid:...
 * <flow>, actions:<actions>`; WARN on an error other than EEXIST, else DBG.
 */
export function log_flow_put_message(p: OvsProcess, dpif: Dpif, module: VlogModule, put: DpifFlowPut, error: number): void {
  if (put.flags & DPIF_FP_PROBE) return;
  const level = error && error !== EEXIST ? 'WARN' : 'DBG';
  if (!p.vlog.is_enabled(module, level)) return;
  let op = 'put';
  if (put.flags & DPIF_FP_CREATE) op += '[create]';
  if (put.flags & DPIF_FP_MODIFY) op += '[modify]';
  if (put.flags & DPIF_FP_ZERO_STATS) op += '[zero]';
  let s = `${dpif.full_name}: ${error ? 'failed to ' : ''}${op} `;
  if (error) s += `(${strerror(error)}) `;
  if (put.ufid) s += `${odp_format_ufid(put.ufid)} `;
  s += odp_flow_format(put.key, put.mask, undefined, true);
  s += `, actions:${format_odp_actions(put.actions)}`;
  p.vlog.log(module, level, s);
}

/**
 * dpif_operate: ALWAYS without a flow API fails every op with EINVAL;
 * otherwise the class operates the batch (no execute here needs help), then
 * each op's final result is counted and logged.
 */
export const dpif_operate = hop('lib/dpif.c', function dpif_operate(
  p: OvsProcess, dpif: Dpif, ops: DpifOp[], offload_type: DpifOffloadType,
): void {
  if (offload_type === 'DPIF_OFFLOAD_ALWAYS' && !netdev_is_flow_api_enabled(p)) {
    for (const op of ops) op.error = EINVAL;
    return;
  }
  if (ops.length === 0) return;
  (dpif.dpif_class as DpifClass).operate(p, dpif, ops, offload_type);
  for (const op of ops) {
    if (op.type === 'DPIF_OP_FLOW_PUT') {
      p.coverage_inc('dpif_flow_put');
      log_flow_put_message(p, dpif, 'dpif', op.flow_put, op.error);
      if (op.error) p.coverage_inc('dpif_flow_put_error');
    } else if (op.type === 'DPIF_OP_FLOW_DEL') {
      p.coverage_inc('dpif_flow_del');
      if (op.error) p.coverage_inc('dpif_flow_del_error');
    } else {
      p.coverage_inc('dpif_execute');
      if (op.error) {
        p.coverage_inc('dpif_execute_error');
        p.vlog.warn('dpif', `${dpif.full_name}: failed to execute on packet (${strerror(op.error)})`);
      }
    }
  }
}, {
  input: (_p, _d, ops, t) => `${ops.map((o) => o.type.replace('DPIF_OP_', '')).join(',')} ${t}`,
  result: (_r) => undefined,
});

/** dpif_flow_put: one FLOW_PUT op through dpif_operate(AUTO). */
export const dpif_flow_put = hop('lib/dpif.c', function dpif_flow_put(p: OvsProcess, dpif: Dpif, put: DpifFlowPut): number {
  const op: DpifOp = { type: 'DPIF_OP_FLOW_PUT', flow_put: put, error: 0 };
  dpif_operate(p, dpif, [op], 'DPIF_OFFLOAD_AUTO');
  return op.error;
}, { errno: (e) => -e, result: errno_text });
