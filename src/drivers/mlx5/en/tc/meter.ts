// core/en/tc/meter.c: flow meters for police actions (switchdev). Meters
// live in flow-meter ASO general objects, each a bulk of
// 1 << log_granularity meters; a police action's meter is found by its tc
// index and shared by the flows that use it.
//
// Simplified: the ASO send queue and the WQE that writes a meter's rate and
// burst (mlx5e_tc_meter_modify) are not modelled — the parameters are kept
// on the handle; the protection domain (mlx5_core_alloc_pd) is not modelled.
import { hop } from '../../../../trace/hop';
import { declareBranch } from '../../../../trace/branch';
import { ENOENT, EOPNOTSUPP, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import { netdev_printk } from '../../../../kernel/include/linux/netdevice';
import {
  MLX5_CMD_OP_CREATE_GENERAL_OBJECT, MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO,
} from '../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5FlowNamespaceType } from '../../../../kernel/include/linux/mlx5/fs';
import { mlx5_cmd_exec } from '../../cmd';
import type { Mlx5CoreDev } from '../../mlx5_core';
import type { Mlx5ePriv } from '../../en';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/meter.c';

/** enum mlx5e_flow_meter_mode (core/en/tc/meter.h) */
export type Mlx5RateLimitMode = 'MLX5_RATE_LIMIT_BPS' | 'MLX5_RATE_LIMIT_PPS';

/** struct mlx5e_flow_meter_params (core/en/tc/meter.h) */
export interface Mlx5eFlowMeterParams {
  mode: Mlx5RateLimitMode;
  /** The police action's index (act->hw_index). */
  index: number;
  /** bits/s (BPS) or packets/s (PPS) */
  rate: number;
  burst: number;
  mtu: number;
}

/** struct mlx5e_flow_meter_aso_obj */
interface Mlx5eFlowMeterAsoObj {
  base_id: number;
  total_meters: number;
  /** Which meters of the bulk are in use. */
  used: boolean[];
}

/** struct mlx5e_flow_meter_handle */
export interface Mlx5eFlowMeterHandle {
  flow_meters: Mlx5eFlowMeters;
  meters_obj: Mlx5eFlowMeterAsoObj;
  obj_id: number;
  idx: number;
  refcnt: number;
  params: Mlx5eFlowMeterParams;
  /** What the act counter has already reported (mlx5_fc_query_cached deltas). */
  act_counter_last?: { bytes: number; packets: number };
}

/** struct mlx5e_flow_meters */
export interface Mlx5eFlowMeters {
  ns_type: Mlx5FlowNamespaceType;
  log_granularity: number;
  partial_list: Mlx5eFlowMeterAsoObj[];
  full_list: Mlx5eFlowMeterAsoObj[];
  /** Meters by police index (hashtbl). */
  hashtbl: Map<number, Mlx5eFlowMeterHandle>;
  mdev: Mlx5CoreDev;
}

/** MLX5_HCA_CAP_GENERAL_OBJECT_TYPES_FLOW_METER_ASO (include/linux/mlx5/device.h) */
const FLOW_METER_ASO_BIT = 1n << BigInt(MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO);
/** mlx5e_flow_meters_init: min(6, log_meter_aso_granularity); ConnectX-6 Dx reports more than 6. */
const LOG_GRANULARITY = 6;

/**
 * mlx5e_flow_meters_init (core/en/tc/meter.c, v6.18): needs the flow-meter
 * ASO object type. (The post-action table it also needs is taken as present.)
 */
export const mlx5e_flow_meters_init = hop(FILE, function mlx5e_flow_meters_init(priv: Mlx5ePriv, ns_type: Mlx5FlowNamespaceType): Mlx5eFlowMeters | NegErrno {
  const mdev = priv.mdev;
  if (!((mdev.caps.gen.general_obj_types ?? 0n) & FLOW_METER_ASO_BIT)) return -EOPNOTSUPP;
  return { ns_type, log_granularity: LOG_GRANULARITY, partial_list: [], full_list: [], hashtbl: new Map(), mdev };
}, { result: (r) => (typeof r === 'number' ? undefined : 'flow_meters') });

/** mlx5e_flow_meter_create_aso_obj (core/en/tc/meter.c, v6.18): one CREATE_GENERAL_OBJECT per bulk. */
const mlx5e_flow_meter_create_aso_obj = hop(FILE, function mlx5e_flow_meter_create_aso_obj(dev: Mlx5CoreDev, log_obj_range: number): { err: 0 | NegErrno; obj_id: number } {
  const { err, out } = mlx5_cmd_exec(dev, {
    opcode: MLX5_CMD_OP_CREATE_GENERAL_OBJECT, op_mod: 0, obj_type: MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO, log_obj_range,
  });
  return { err, obj_id: err ? 0 : out.obj_id! };
}, { input: (_d, r) => `log_obj_range ${r}` });

/** mlx5e_flow_meter_destroy_aso_obj (core/en/tc/meter.c, v6.18) */
const mlx5e_flow_meter_destroy_aso_obj = hop(FILE, function mlx5e_flow_meter_destroy_aso_obj(dev: Mlx5CoreDev, obj_id: number): void {
  mlx5_cmd_exec(dev, { opcode: MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, op_mod: 0, obj_type: MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO, obj_id });
}, { input: (_d, id) => `obj_id ${id}` });

// Counted by the coverage report: a new ASO bulk object was needed.
const alloc_new_obj = declareBranch(FILE, '__mlx5e_flow_meter_alloc', 'new_aso_object');

/**
 * __mlx5e_flow_meter_alloc (core/en/tc/meter.c, v6.18): the first free
 * meter of a partially used bulk, or a new bulk object.
 */
const __mlx5e_flow_meter_alloc = hop(FILE, function __mlx5e_flow_meter_alloc(flow_meters: Mlx5eFlowMeters, params: Mlx5eFlowMeterParams): Mlx5eFlowMeterHandle | NegErrno {
  const mdev = flow_meters.mdev;
  let obj = flow_meters.partial_list[0];
  if (alloc_new_obj(!obj)) {
    const { err, obj_id } = mlx5e_flow_meter_create_aso_obj(mdev, flow_meters.log_granularity);
    if (err) {
      mdev.net.printk('err', `${mdev.device}: __mlx5e_flow_meter_alloc: Failed to create flow meter ASO object`);
      return err;
    }
    const total = 1 << flow_meters.log_granularity;
    obj = { base_id: obj_id, total_meters: total, used: new Array<boolean>(total).fill(false) };
    flow_meters.partial_list.unshift(obj);
  }
  const idx = obj!.used.indexOf(false);
  obj!.used[idx] = true;
  if (!obj!.used.includes(false)) {
    flow_meters.partial_list.splice(flow_meters.partial_list.indexOf(obj!), 1);
    flow_meters.full_list.push(obj!);
  }
  return { flow_meters, meters_obj: obj!, obj_id: obj!.base_id, idx, refcnt: 1, params: { ...params } };
}, { result: (r) => (typeof r === 'number' ? undefined : `obj_id ${r.obj_id} idx ${r.idx}`) });

/** __mlx5e_flow_meter_free (core/en/tc/meter.c, v6.18): an emptied bulk is destroyed. */
const __mlx5e_flow_meter_free = hop(FILE, function __mlx5e_flow_meter_free(meter: Mlx5eFlowMeterHandle): void {
  const fm = meter.flow_meters;
  const obj = meter.meters_obj;
  obj.used[meter.idx] = false;
  const full = fm.full_list.indexOf(obj);
  if (full >= 0) {
    fm.full_list.splice(full, 1);
    fm.partial_list.push(obj);
  }
  if (obj.used.includes(true)) return;
  fm.partial_list.splice(fm.partial_list.indexOf(obj), 1);
  mlx5e_flow_meter_destroy_aso_obj(fm.mdev, obj.base_id);
}, { input: (m) => `obj_id ${m.obj_id} idx ${m.idx}` });

/** mlx5e_tc_meter_modify (core/en/tc/meter.c, v6.18): rate and burst by ASO WQE (kept on the handle here). */
const mlx5e_tc_meter_modify = hop(FILE, function mlx5e_tc_meter_modify(_mdev: Mlx5CoreDev, meter: Mlx5eFlowMeterHandle, params: Mlx5eFlowMeterParams): 0 | NegErrno {
  meter.params = { ...params, index: meter.params.index };
  return 0;
}, { input: (_d, m, p) => `obj_id ${m.obj_id} idx ${m.idx} ${p.mode === 'MLX5_RATE_LIMIT_BPS' ? 'bps' : 'pps'} ${p.rate} burst ${p.burst}` });

function flow_meters_of(mdev: Mlx5CoreDev): Mlx5eFlowMeters | null {
  const priv = mdev.uplink_netdev?.priv as Mlx5ePriv | undefined;
  return priv?.ppriv?.flow_meters ?? null;
}

/** mlx5e_tc_meter_get (core/en/tc/meter.c, v6.18): the meter of a police index, one more user. */
export const mlx5e_tc_meter_get = hop(FILE, function mlx5e_tc_meter_get(mdev: Mlx5CoreDev, params: Mlx5eFlowMeterParams): Mlx5eFlowMeterHandle | NegErrno {
  // meter.c (v6.18): the meters are created on first use
  const flow_meters = mlx5e_get_flow_meters(mdev);
  if (!flow_meters) return -EOPNOTSUPP;
  const meter = flow_meters.hashtbl.get(params.index);
  if (!meter) return -ENOENT;
  meter.refcnt++;
  return meter;
}, { input: (_d, p) => `index ${p.index}`, result: (r) => (typeof r === 'number' ? undefined : `obj_id ${r.obj_id} idx ${r.idx}`) });

/** mlx5e_tc_meter_put (core/en/tc/meter.c, v6.18): the last user frees the meter. */
export const mlx5e_tc_meter_put = hop(FILE, function mlx5e_tc_meter_put(meter: Mlx5eFlowMeterHandle): void {
  if (--meter.refcnt > 0) return;
  meter.flow_meters.hashtbl.delete(meter.params.index);
  __mlx5e_flow_meter_free(meter);
}, { input: (m) => `index ${m.params.index} refcnt ${m.refcnt}` });

/** mlx5e_tc_meter_update (core/en/tc/meter.c, v6.18): new rate or burst for a meter in use. */
export const mlx5e_tc_meter_update = hop(FILE, function mlx5e_tc_meter_update(meter: Mlx5eFlowMeterHandle, params: Mlx5eFlowMeterParams): 0 | NegErrno {
  const p = meter.params;
  // __mlx5e_tc_meter_update: only a change is written to the device
  if (p.mode === params.mode && p.rate === params.rate && p.burst === params.burst) return 0;
  return mlx5e_tc_meter_modify(meter.flow_meters.mdev, meter, params);
}, { input: (m, p) => `index ${m.params.index} rate ${p.rate} burst ${p.burst}` });

/**
 * mlx5e_tc_meter_replace (core/en/tc/meter.c, v6.18): get the index's
 * meter or allocate it, then write the parameters.
 */
export const mlx5e_tc_meter_replace = hop(FILE, function mlx5e_tc_meter_replace(mdev: Mlx5CoreDev, params: Mlx5eFlowMeterParams): Mlx5eFlowMeterHandle | NegErrno {
  // meter.c (v6.18): the meters are created on first use
  const flow_meters = mlx5e_get_flow_meters(mdev);
  if (!flow_meters) return -EOPNOTSUPP;
  let meter = mlx5e_tc_meter_get(mdev, params);
  if (typeof meter === 'number') {
    if (meter !== -ENOENT) return meter;
    meter = __mlx5e_flow_meter_alloc(flow_meters, params);
    if (typeof meter === 'number') return meter;
    flow_meters.hashtbl.set(params.index, meter);
  }
  const err = mlx5e_tc_meter_modify(mdev, meter, params);
  if (err) {
    mlx5e_tc_meter_put(meter);
    return err;
  }
  return meter;
}, { input: (_d, p) => `index ${p.index}`, result: (r) => (typeof r === 'number' ? undefined : `obj_id ${r.obj_id} idx ${r.idx}`) });

/**
 * mlx5e_get_flow_meters (core/en_tc.c, v6.18): switchdev only, created on
 * first use on the uplink representor; NULL when they cannot be.
 */
export const mlx5e_get_flow_meters = hop('drivers/net/ethernet/mellanox/mlx5/core/en_tc.c', function mlx5e_get_flow_meters(dev: Mlx5CoreDev): Mlx5eFlowMeters | null {
  if (dev.priv.eswitch?.mode !== 'MLX5_ESWITCH_OFFLOADS') return null;
  const priv = dev.uplink_netdev?.priv as Mlx5ePriv | undefined;
  const uplink_priv = priv?.ppriv;
  if (!priv || !uplink_priv) return null;
  if (uplink_priv.flow_meters === undefined) {
    const fm = mlx5e_flow_meters_init(priv, 'MLX5_FLOW_NAMESPACE_FDB');
    if (typeof fm === 'number') netdev_printk('dbg', priv.netdev, `Failed to init flow meters, ${fm}`);
    uplink_priv.flow_meters = typeof fm === 'number' ? null : fm;
  }
  return uplink_priv.flow_meters;
}, { result: (r) => (r ? 'flow_meters' : 'NULL') });

/** All meters of a device (for state views and invariants). */
export function mlx5e_flow_meters_query(mdev: Mlx5CoreDev): Mlx5eFlowMeterHandle[] {
  const fm = flow_meters_of(mdev);
  return fm ? [...fm.hashtbl.values()] : [];
}

/**
 * mlx5e_tc_meter_get_stats (core/en/tc/meter.c, v6.18): the meter's act
 * and drop counters, as deltas since the last read. Simplified: the
 * post-meter table that owns those counters is not modelled, so the act
 * counter is the sum of the cached counters of the rules executing this
 * meter, and nothing is dropped (rates are not enforced).
 */
export const mlx5e_tc_meter_get_stats = hop(FILE, function mlx5e_tc_meter_get_stats(meter: Mlx5eFlowMeterHandle):
  { bytes: number; packets: number; drops: number; lastuse: number } {
  const mdev = meter.flow_meters.mdev;
  let bytes = 0;
  let packets = 0;
  let lastuse = 0;
  const netdevs = [...(mdev.uplink_netdev ? [mdev.uplink_netdev] : []), ...mdev.rep_netdevs.values()];
  for (const nd of new Set(netdevs)) {
    const priv = nd.priv as Mlx5ePriv;
    for (const ht of [priv.fs.tc.ht, ...(priv.ppriv ? [priv.ppriv.tc_ht] : [])]) {
      for (const flow of ht.values()) {
        const c = flow.attr.counter;
        if (flow.attr.meter_attr?.meter !== meter || !c) continue;
        bytes += c.cache.bytes;
        packets += c.cache.packets;
        lastuse = Math.max(lastuse, c.cache.lastuse);
      }
    }
  }
  const last = meter.act_counter_last ?? { bytes: 0, packets: 0 };
  // a rule that went took its counts with it: start again from what is left
  const r = packets >= last.packets ? { bytes: bytes - last.bytes, packets: packets - last.packets, drops: 0, lastuse } : { bytes: 0, packets: 0, drops: 0, lastuse };
  meter.act_counter_last = { bytes, packets };
  return r;
}, { input: (m) => `index ${m.params.index}`, result: (r) => `${r.packets} pkts ${r.bytes} bytes` });
