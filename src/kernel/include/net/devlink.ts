// include/net/devlink.h: the devlink instance a driver registers, the ops the
// netlink handlers call and the parameter descriptors. Types only, plus the
// DEVLINK_PARAM_DRIVER-style constructor.
import type { NegErrno } from '../uapi/asm-generic/errno';
import type { NetlinkExtAck } from '../linux/netlink';
import type { Net } from './net_namespace';

/** union devlink_param_value (the members a modelled parameter uses). */
export type DevlinkParamValue = number | string | boolean;

/** struct devlink_param_gset_ctx */
export interface DevlinkParamGsetCtx {
  val: DevlinkParamValue;
  cmode: number;
}

/** struct devlink_param */
export interface DevlinkParam {
  id: number;
  name: string;
  generic: boolean;
  /** DEVLINK_PARAM_TYPE_* */
  type: number;
  /** Bit per DEVLINK_PARAM_CMODE_*. */
  supported_cmodes: number;
  get?: (devlink: Devlink, id: number, ctx: DevlinkParamGsetCtx) => 0 | NegErrno;
  set?: (devlink: Devlink, id: number, ctx: DevlinkParamGsetCtx, extack: NetlinkExtAck) => 0 | NegErrno;
  validate?: (devlink: Devlink, id: number, val: DevlinkParamValue, extack: NetlinkExtAck) => 0 | NegErrno;
}

/** struct devlink_param_item */
export interface DevlinkParamItem {
  param: DevlinkParam;
  driverinit_value?: DevlinkParamValue;
  driverinit_value_new?: DevlinkParamValue;
}

/** struct devlink_ops: the eswitch members (others are not modelled). */
export interface DevlinkOps {
  eswitch_mode_get?: (devlink: Devlink) => { err: 0 | NegErrno; mode: number };
  eswitch_mode_set?: (devlink: Devlink, mode: number, extack: NetlinkExtAck) => 0 | NegErrno;
  eswitch_inline_mode_get?: (devlink: Devlink) => { err: 0 | NegErrno; mode: number };
  eswitch_inline_mode_set?: (devlink: Devlink, mode: number, extack: NetlinkExtAck) => 0 | NegErrno;
  eswitch_encap_mode_get?: (devlink: Devlink) => { err: 0 | NegErrno; mode: number };
  eswitch_encap_mode_set?: (devlink: Devlink, mode: number, extack: NetlinkExtAck) => 0 | NegErrno;
}

/** struct devlink */
export interface Devlink {
  ops: DevlinkOps;
  /** devlink->dev->bus->name, e.g. "pci". */
  bus_name: string;
  /** dev_name(devlink->dev), e.g. "0000:08:00.0". */
  dev_name: string;
  net: Net;
  /** devlink_priv(): the driver's private data. */
  priv: unknown;
  /** Parameters by id (devlink->params). */
  params: Map<number, DevlinkParamItem>;
  registered: boolean;
  reload_failed: boolean;
}

/** BIT(cmode) */
export function DEVLINK_PARAM_CMODE_BIT(cmode: number): number {
  return 1 << cmode;
}

/** DEVLINK_PARAM_DRIVER(): a driver-specific parameter. */
export function DEVLINK_PARAM_DRIVER(p: Omit<DevlinkParam, 'generic'>): DevlinkParam {
  return { ...p, generic: false };
}
