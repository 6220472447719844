// net/devlink/dev.c: the device object — DEVLINK_CMD_GET (show) and the
// eswitch get/set commands, which hand the request to the driver's ops.
import type { Devlink } from '../../include/net/devlink';
import type { NetlinkCallback } from '../../include/linux/netlink';
import { EOPNOTSUPP, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NLM_F_MULTI } from '../../include/uapi/linux/netlink';
import {
  DEVLINK_ATTR_DEV_STATS, DEVLINK_ATTR_ESWITCH_ENCAP_MODE, DEVLINK_ATTR_ESWITCH_INLINE_MODE, DEVLINK_ATTR_ESWITCH_MODE,
  DEVLINK_ATTR_RELOAD_FAILED, DEVLINK_CMD_ESWITCH_GET, DEVLINK_CMD_GET,
} from '../../include/uapi/linux/devlink';
import { nla_get_u16, nla_get_u8 } from '../../../netlink/attr';
import type { NlaTb } from '../../lib/nlattr';
import { genlmsg_put, genlmsg_reply, type GenlInfo } from '../netlink/genetlink';
import { devlink_nl_family, devlink_nl_put_handle } from './netlink';
import { hop } from '../../../trace/hop';

const FILE = 'net/devlink/dev.c';

const handle = (d: Devlink): string => `${d.bus_name}/${d.dev_name}`;

/**
 * devlink_nl_fill (net/devlink/dev.c, v6.18): handle, reload_failed and the
 * dev-stats nest. Reload statistics are not modelled, so the nest is empty.
 */
function devlink_nl_fill(devlink: Devlink, cmd: number, portid: number, seq: number, flags: number): Uint8Array {
  const msg = genlmsg_put(portid, seq, devlink_nl_family(devlink.net), flags, cmd);
  devlink_nl_put_handle(msg, devlink);
  msg.u8(DEVLINK_ATTR_RELOAD_FAILED, devlink.reload_failed ? 1 : 0);
  msg.nestEnd(msg.nestStart(DEVLINK_ATTR_DEV_STATS));
  return msg.finish();
}

/** devlink_nl_get_doit (net/devlink/dev.c, v6.18) */
export const devlink_nl_get_doit = hop(FILE, function devlink_nl_get_doit(devlink: Devlink, info: GenlInfo): 0 | NegErrno {
  return genlmsg_reply(devlink_nl_fill(devlink, DEVLINK_CMD_GET, info.snd_portid, info.snd_seq, 0), info);
}, { input: (d) => handle(d) });

/** devlink_nl_get_dump_one (net/devlink/dev.c, v6.18) */
export function devlink_nl_get_dump_one(cb: NetlinkCallback, devlink: Devlink): 0 {
  cb.msgs.push(devlink_nl_fill(devlink, DEVLINK_CMD_GET, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI));
  return 0;
}

/**
 * devlink_nl_eswitch_fill (net/devlink/dev.c, v6.18): each mode the driver
 * can report; a driver error cancels the whole message.
 */
function devlink_nl_eswitch_fill(devlink: Devlink, cmd: number, portid: number, seq: number, flags: number): Uint8Array | NegErrno {
  const ops = devlink.ops;
  const msg = genlmsg_put(portid, seq, devlink_nl_family(devlink.net), flags, cmd);
  devlink_nl_put_handle(msg, devlink);
  if (ops.eswitch_mode_get) {
    const r = ops.eswitch_mode_get(devlink);
    if (r.err) return r.err;
    msg.u16(DEVLINK_ATTR_ESWITCH_MODE, r.mode);
  }
  if (ops.eswitch_inline_mode_get) {
    const r = ops.eswitch_inline_mode_get(devlink);
    if (r.err) return r.err;
    msg.u8(DEVLINK_ATTR_ESWITCH_INLINE_MODE, r.mode);
  }
  if (ops.eswitch_encap_mode_get) {
    const r = ops.eswitch_encap_mode_get(devlink);
    if (r.err) return r.err;
    msg.u8(DEVLINK_ATTR_ESWITCH_ENCAP_MODE, r.mode);
  }
  return msg.finish();
}

/** devlink_nl_eswitch_get_doit (net/devlink/dev.c, v6.18) */
export const devlink_nl_eswitch_get_doit = hop(FILE, function devlink_nl_eswitch_get_doit(devlink: Devlink, info: GenlInfo): 0 | NegErrno {
  const msg = devlink_nl_eswitch_fill(devlink, DEVLINK_CMD_ESWITCH_GET, info.snd_portid, info.snd_seq, 0);
  if (typeof msg === 'number') return msg;
  return genlmsg_reply(msg, info);
}, { input: (d) => handle(d) });

/**
 * devlink_nl_eswitch_set_doit (net/devlink/dev.c, v6.18): mode, then inline
 * mode, then encap mode, each only when present and stopping at the first
 * error; a missing op is -EOPNOTSUPP. devlink_rate_nodes_check passes: rate
 * nodes are not modelled.
 */
export const devlink_nl_eswitch_set_doit = hop(FILE, function devlink_nl_eswitch_set_doit(devlink: Devlink, tb: NlaTb, info: GenlInfo): 0 | NegErrno {
  const ops = devlink.ops;
  const mode = tb[DEVLINK_ATTR_ESWITCH_MODE];
  if (mode) {
    if (!ops.eswitch_mode_set) return -EOPNOTSUPP;
    const err = ops.eswitch_mode_set(devlink, nla_get_u16(mode), info.extack);
    if (err) return err;
  }
  const inline = tb[DEVLINK_ATTR_ESWITCH_INLINE_MODE];
  if (inline) {
    if (!ops.eswitch_inline_mode_set) return -EOPNOTSUPP;
    const err = ops.eswitch_inline_mode_set(devlink, nla_get_u8(inline), info.extack);
    if (err) return err;
  }
  const encap = tb[DEVLINK_ATTR_ESWITCH_ENCAP_MODE];
  if (encap) {
    if (!ops.eswitch_encap_mode_set) return -EOPNOTSUPP;
    const err = ops.eswitch_encap_mode_set(devlink, nla_get_u8(encap), info.extack);
    if (err) return err;
  }
  return 0;
}, {
  input: (d, tb) => [handle(d),
    tb[DEVLINK_ATTR_ESWITCH_MODE] ? `mode ${nla_get_u16(tb[DEVLINK_ATTR_ESWITCH_MODE])}` : '',
    tb[DEVLINK_ATTR_ESWITCH_INLINE_MODE] ? `inline ${nla_get_u8(tb[DEVLINK_ATTR_ESWITCH_INLINE_MODE])}` : '',
    tb[DEVLINK_ATTR_ESWITCH_ENCAP_MODE] ? `encap ${nla_get_u8(tb[DEVLINK_ATTR_ESWITCH_ENCAP_MODE])}` : ''].filter(Boolean).join(' '),
});
