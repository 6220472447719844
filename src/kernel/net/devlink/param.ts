// net/devlink/param.c: device parameters — registration by drivers, and the
// PARAM_GET (show / dump) and PARAM_SET commands.
import type { Devlink, DevlinkParam, DevlinkParamGsetCtx, DevlinkParamItem, DevlinkParamValue } from '../../include/net/devlink';
import type { NetlinkCallback, NetlinkExtAck } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG_ATTR } from '../../include/linux/netlink';
import { EEXIST, EINVAL, EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NLM_F_MULTI } from '../../include/uapi/linux/netlink';
import {
  DEVLINK_ATTR_PARAM, DEVLINK_ATTR_PARAM_GENERIC, DEVLINK_ATTR_PARAM_NAME, DEVLINK_ATTR_PARAM_TYPE,
  DEVLINK_ATTR_PARAM_VALUE, DEVLINK_ATTR_PARAM_VALUE_CMODE, DEVLINK_ATTR_PARAM_VALUE_DATA,
  DEVLINK_ATTR_PARAM_VALUES_LIST, DEVLINK_CMD_PARAM_GET, DEVLINK_PARAM_CMODE_DRIVERINIT, DEVLINK_PARAM_CMODE_MAX,
  DEVLINK_PARAM_TYPE_BOOL, DEVLINK_PARAM_TYPE_STRING, DEVLINK_PARAM_TYPE_U16, DEVLINK_PARAM_TYPE_U32,
  DEVLINK_PARAM_TYPE_U8, DEVLINK_VAR_ATTR_TYPE_BINARY, DEVLINK_VAR_ATTR_TYPE_NUL_STRING, __DEVLINK_PARAM_MAX_STRING_VALUE,
} from '../../include/uapi/linux/devlink';
import { nla_get_string, nla_get_u16, nla_get_u32, nla_get_u8, nla_len, type NlAttr, type NlMsgBuilder } from '../../../netlink/attr';
import type { NlaTb } from '../../lib/nlattr';
import { genlmsg_put, genlmsg_reply, type GenlInfo } from '../netlink/genetlink';
import { devlink_nl_family, devlink_nl_put_handle } from './netlink';
import { hop } from '../../../trace/hop';

const FILE = 'net/devlink/param.c';

function devlink_param_cmode_is_supported(param: DevlinkParam, cmode: number): boolean {
  return (param.supported_cmodes & (1 << cmode)) !== 0;
}

/**
 * devl_params_register (net/devlink/param.c, v6.18): a driver parameter
 * needs a name and get/set unless it is driverinit-only; ids and names are
 * unique (-EEXIST).
 */
export function devl_params_register(devlink: Devlink, params: readonly DevlinkParam[]): 0 | NegErrno {
  for (const p of params) {
    if (!p.name || !p.supported_cmodes) return -EINVAL;
    if (devlink.params.has(p.id)) return -EEXIST;
    for (const it of devlink.params.values()) if (it.param.name === p.name) return -EEXIST;
    devlink.params.set(p.id, { param: p });
  }
  return 0;
}

/** devl_params_unregister */
export function devl_params_unregister(devlink: Devlink, params: readonly DevlinkParam[]): void {
  for (const p of params) devlink.params.delete(p.id);
}

function devlink_param_get(devlink: Devlink, param: DevlinkParam, ctx: DevlinkParamGsetCtx): 0 | NegErrno {
  if (!param.get) return -EOPNOTSUPP;
  return param.get(devlink, param.id, ctx);
}

function devlink_param_set(devlink: Devlink, param: DevlinkParam, ctx: DevlinkParamGsetCtx, extack: NetlinkExtAck): 0 | NegErrno {
  if (!param.set) return -EOPNOTSUPP;
  return param.set(devlink, param.id, ctx, extack);
}

/** devlink_nl_param_value_fill_one (v6.18): a BOOL false is an absent flag. */
function devlink_nl_param_value_fill_one(msg: NlMsgBuilder, type: number, cmode: number, val: DevlinkParamValue): void {
  const nest = msg.nestStart(DEVLINK_ATTR_PARAM_VALUE);
  msg.u8(DEVLINK_ATTR_PARAM_VALUE_CMODE, cmode);
  switch (type) {
    case DEVLINK_PARAM_TYPE_U8: msg.u8(DEVLINK_ATTR_PARAM_VALUE_DATA, val as number); break;
    case DEVLINK_PARAM_TYPE_U16: msg.u16(DEVLINK_ATTR_PARAM_VALUE_DATA, val as number); break;
    case DEVLINK_PARAM_TYPE_U32: msg.u32(DEVLINK_ATTR_PARAM_VALUE_DATA, val as number); break;
    case DEVLINK_PARAM_TYPE_STRING: msg.string(DEVLINK_ATTR_PARAM_VALUE_DATA, val as string); break;
    case DEVLINK_PARAM_TYPE_BOOL: if (val) msg.flag(DEVLINK_ATTR_PARAM_VALUE_DATA); break;
    default: throw new Error(`devlink: parameter type ${type} not modelled`);
  }
  msg.nestEnd(nest);
}

/**
 * devlink_nl_param_fill (net/devlink/param.c, v6.18): the value of every
 * supported cmode (driverinit from the stored value), then name, generic
 * flag, type and the values list. A failing get fails the whole fill.
 */
function devlink_nl_param_fill(devlink: Devlink, item: DevlinkParamItem, cmd: number, portid: number, seq: number, flags: number): Uint8Array | NegErrno {
  const param = item.param;
  const values: [number, DevlinkParamValue][] = [];
  for (let i = 0; i <= DEVLINK_PARAM_CMODE_MAX; i++) {
    if (!devlink_param_cmode_is_supported(param, i)) continue;
    if (i === DEVLINK_PARAM_CMODE_DRIVERINIT) {
      const v = item.driverinit_value_new ?? item.driverinit_value;
      if (v === undefined) return -EOPNOTSUPP;
      values.push([i, v]);
    } else {
      const ctx: DevlinkParamGsetCtx = { val: 0, cmode: i };
      const err = devlink_param_get(devlink, param, ctx);
      if (err) return err;
      values.push([i, ctx.val]);
    }
  }
  const msg = genlmsg_put(portid, seq, devlink_nl_family(devlink.net), flags, cmd);
  devlink_nl_put_handle(msg, devlink);
  const p = msg.nestStart(DEVLINK_ATTR_PARAM);
  msg.string(DEVLINK_ATTR_PARAM_NAME, param.name);
  if (param.generic) msg.flag(DEVLINK_ATTR_PARAM_GENERIC);
  msg.u8(DEVLINK_ATTR_PARAM_TYPE, param.type);
  const list = msg.nestStart(DEVLINK_ATTR_PARAM_VALUES_LIST);
  for (const [cmode, v] of values) devlink_nl_param_value_fill_one(msg, param.type, cmode, v);
  msg.nestEnd(list);
  msg.nestEnd(p);
  return msg.finish();
}

/** devlink_nl_param_get_dump_one (v6.18): parameters that cannot be read are skipped. */
export function devlink_nl_param_get_dump_one(cb: NetlinkCallback, devlink: Devlink): 0 | NegErrno {
  for (const item of devlink.params.values()) {
    const m = devlink_nl_param_fill(devlink, item, DEVLINK_CMD_PARAM_GET, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI);
    if (m === -EOPNOTSUPP) continue;
    if (typeof m === 'number') return m;
    cb.msgs.push(m);
  }
  return 0;
}

/** devlink_param_get_from_info: by DEVLINK_ATTR_PARAM_NAME (missing → none). */
function devlink_param_get_from_info(devlink: Devlink, tb: NlaTb): DevlinkParamItem | undefined {
  const a = tb[DEVLINK_ATTR_PARAM_NAME];
  if (!a) return undefined;
  const name = nla_get_string(a);
  for (const it of devlink.params.values()) if (it.param.name === name) return it;
  return undefined;
}

/** devlink_nl_param_get_doit (net/devlink/param.c, v6.18): unknown name → -EINVAL. */
export const devlink_nl_param_get_doit = hop(FILE, function devlink_nl_param_get_doit(devlink: Devlink, tb: NlaTb, info: GenlInfo): 0 | NegErrno {
  const item = devlink_param_get_from_info(devlink, tb);
  if (!item) return -EINVAL;
  const msg = devlink_nl_param_fill(devlink, item, DEVLINK_CMD_PARAM_GET, info.snd_portid, info.snd_seq, 0);
  if (typeof msg === 'number') return msg;
  return genlmsg_reply(msg, info);
}, { input: (_d, tb) => (tb[DEVLINK_ATTR_PARAM_NAME] ? nla_get_string(tb[DEVLINK_ATTR_PARAM_NAME]!) : '(no name)') });

/**
 * devlink_param_value_get_from_info (v6.18): the data must have the exact
 * size of the type; a string must be NUL-terminated inside the attribute
 * and shorter than __DEVLINK_PARAM_MAX_STRING_VALUE.
 */
function devlink_param_value_get_from_info(param: DevlinkParam, data: NlAttr | undefined): { err: 0 | NegErrno; value: DevlinkParamValue } {
  const bad = { err: -EINVAL as NegErrno, value: 0 };
  if (param.type !== DEVLINK_PARAM_TYPE_BOOL && !data) return bad;
  switch (param.type) {
    case DEVLINK_PARAM_TYPE_U8: return nla_len(data!) !== 1 ? bad : { err: 0, value: nla_get_u8(data!) };
    case DEVLINK_PARAM_TYPE_U16: return nla_len(data!) !== 2 ? bad : { err: 0, value: nla_get_u16(data!) };
    case DEVLINK_PARAM_TYPE_U32: return nla_len(data!) !== 4 ? bad : { err: 0, value: nla_get_u32(data!) };
    case DEVLINK_PARAM_TYPE_STRING: {
      const nul = data!.payload.indexOf(0);
      if (nul < 0 || nul >= __DEVLINK_PARAM_MAX_STRING_VALUE) return bad;
      return { err: 0, value: nla_get_string(data!) };
    }
    case DEVLINK_PARAM_TYPE_BOOL:
      if (data && nla_len(data)) return bad;
      return { err: 0, value: data !== undefined };
    default:
      return bad;
  }
}

/** devlink_attr_param_type_validate (net/devlink/netlink_gen.c, v6.18): the policy's validate callback. */
function devlink_attr_param_type_validate(a: NlAttr, extack: NetlinkExtAck): 0 | NegErrno {
  const t = nla_get_u8(a);
  if ((t >= DEVLINK_PARAM_TYPE_U8 && t <= DEVLINK_PARAM_TYPE_BOOL) || t === DEVLINK_VAR_ATTR_TYPE_NUL_STRING || t === DEVLINK_VAR_ATTR_TYPE_BINARY) return 0;
  NL_SET_ERR_MSG_ATTR(extack, a.offset, 'invalid enum value');
  return -EINVAL;
}

/**
 * __devlink_nl_cmd_param_set_doit (net/devlink/param.c, v6.18): name
 * (-EINVAL), type given and equal to the parameter's (-EINVAL), value,
 * the driver's validate (its extack), cmode given (-EINVAL) and supported
 * (-EOPNOTSUPP); driverinit only stores, other cmodes call the driver's set.
 */
export const devlink_nl_param_set_doit = hop(FILE, function devlink_nl_param_set_doit(devlink: Devlink, tb: NlaTb, info: GenlInfo): 0 | NegErrno {
  const ta = tb[DEVLINK_ATTR_PARAM_TYPE];
  if (ta) {
    const err = devlink_attr_param_type_validate(ta, info.extack);
    if (err) return err;
  }
  const item = devlink_param_get_from_info(devlink, tb);
  if (!item) return -EINVAL;
  const param = item.param;
  if (!ta) return -EINVAL;
  if (nla_get_u8(ta) !== param.type) return -EINVAL;
  const v = devlink_param_value_get_from_info(param, tb[DEVLINK_ATTR_PARAM_VALUE_DATA]);
  if (v.err) return v.err;
  if (param.validate) {
    const err = param.validate(devlink, param.id, v.value, info.extack);
    if (err) return err;
  }
  const ca = tb[DEVLINK_ATTR_PARAM_VALUE_CMODE];
  if (!ca) return -EINVAL;
  const cmode = nla_get_u8(ca);
  if (!devlink_param_cmode_is_supported(param, cmode)) return -EOPNOTSUPP;
  if (cmode === DEVLINK_PARAM_CMODE_DRIVERINIT) {
    item.driverinit_value_new = v.value;
    return 0;
  }
  return devlink_param_set(devlink, param, { val: v.value, cmode }, info.extack);
}, { input: (_d, tb) => (tb[DEVLINK_ATTR_PARAM_NAME] ? nla_get_string(tb[DEVLINK_ATTR_PARAM_NAME]!) : '(no name)') });
