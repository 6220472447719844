// core/en/tc/act/pedit.c: header rewrites (tc pedit → MANGLE/ADD entries).
// Keys are collected per command (set, add) and header type, and turned into
// modify-header actions by offload_pedit_fields (en_tc.c) once all actions
// are parsed.
import { hop } from '../../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../../../kernel/include/linux/netlink';
import { MLX5_FLOW_CONTEXT_ACTION_MOD_HDR } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5FlowNamespaceType } from '../../../../../kernel/include/linux/mlx5/fs';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import { TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK } from '../../../../../kernel/include/uapi/linux/tc_act/tc_pedit';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr, PeditHeaders } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/pedit.c';

/** TCA_PEDIT_KEY_EX_CMD_SET / _ADD: the index into hdrs[]. */
export const PEDIT_CMD_SET = 0;
export const PEDIT_CMD_ADD = 1;
/** sizeof(struct pedit_headers) per header type is at most an IPv6 header (40 bytes) plus slack. */
const PEDIT_HDR_BYTES = 64;

export function pedit_headers_zero(): [PeditHeaders, PeditHeaders] {
  const one = (): PeditHeaders => ({ masks: new Map(), vals: new Map(), pedits: 0 });
  return [one(), one()];
}

/** The u32 as it sits in little-endian memory, from its network-order value (and back). */
export function bswap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

function hdrBytes(m: Map<number, Uint8Array>, htype: number): Uint8Array {
  let b = m.get(htype);
  if (!b) m.set(htype, (b = new Uint8Array(PEDIT_HDR_BYTES)));
  return b;
}

/**
 * mlx5e_mod_hdr_max_actions (core/en/mod_hdr.c): the namespace's
 * max_modify_header_actions cap; ConnectX-6 Dx reports a non-zero value for
 * both NIC RX and FDB.
 */
export function mlx5e_mod_hdr_max_actions(priv: Mlx5ePriv, _ns: Mlx5FlowNamespaceType): number {
  return priv.mdev.caps.max_modify_header_actions ?? 32;
}

/**
 * set_pedit_val (core/en/tc/act/pedit.c, v6.18): the u32 word at `offset`
 * of the header, as it sits in memory (little-endian host); acting twice on
 * the same bits is refused.
 */
function set_pedit_val(htype: number, mask: number, val: number, offset: number, hdrs: PeditHeaders, extack: NetlinkExtAck | null): 0 | NegErrno {
  const m = hdrBytes(hdrs.masks, htype);
  const v = hdrBytes(hdrs.vals, htype);
  if (offset < 0 || offset + 4 > PEDIT_HDR_BYTES) return -EOPNOTSUPP;
  const mb = [0, 1, 2, 3].map((i) => (mask >>> (8 * i)) & 0xff);
  const vb = [0, 1, 2, 3].map((i) => (val >>> (8 * i)) & 0xff);
  if (mb.some((b, i) => b & m[offset + i]!)) {
    // [text from memory of v6.x pedit.c; not checked against v6.18]
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'curr_pmask and new mask same. Acting twice on same location');
    return -EOPNOTSUPP;
  }
  mb.forEach((b, i) => {
    m[offset + i]! |= b;
    v[offset + i]! |= vb[i]! & b;
  });
  return 0;
}

/** mlx5e_tc_act_pedit_parse_action (core/en/tc/act/pedit.c, v6.18) */
export const mlx5e_tc_act_pedit_parse_action = hop(FILE, function mlx5e_tc_act_pedit_parse_action(priv: Mlx5ePriv, act: FlowActionEntry, ns: Mlx5FlowNamespaceType, ps: Mlx5eTcActParseState, extack: NetlinkExtAck | null): 0 | NegErrno {
  const cmd = act.id === 'FLOW_ACTION_MANGLE' ? PEDIT_CMD_SET : PEDIT_CMD_ADD;
  const mangle = act.mangle ?? { htype: TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK, offset: 0, mask: 0xffffffff, val: 0 };
  if (mangle.htype === TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "legacy pedit isn't offloaded");
    return -EOPNOTSUPP;
  }
  if (!mlx5e_mod_hdr_max_actions(priv, ns)) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'The pedit offload action is not supported');
    return -EOPNOTSUPP;
  }
  ps.hdrs ??= pedit_headers_zero();
  // act_pedit hands each key word over as its network-order value; upstream
  // reads it as the u32 it is in memory, which on the pinned little-endian
  // host is the byte-swapped value.
  const mask = bswap32(mangle.mask);
  const val = bswap32(mangle.val);
  // The key's mask says which bits to keep; the rewrite mask is its complement.
  const err = set_pedit_val(mangle.htype, ~mask >>> 0, val, mangle.offset, ps.hdrs[cmd]!, extack);
  if (err) return err;
  ps.hdrs[cmd]!.pedits++;
  return 0;
}, { input: (_p, act) => `${act.id === 'FLOW_ACTION_MANGLE' ? 'set' : 'add'} htype ${act.mangle?.htype} off ${act.mangle?.offset} mask 0x${((act.mangle?.mask ?? 0) >>> 0).toString(16)}` });

/** tc_act_parse_pedit (core/en/tc/act/pedit.c, v6.18): no L3-to-L2 decap emulated, so MOD_HDR. */
const tc_act_parse_pedit = hop(FILE, function tc_act_parse_pedit(ps: Mlx5eTcActParseState, act: FlowActionEntry, priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const ns: Mlx5FlowNamespaceType = ps.flow.flags.has('ESWITCH') ? 'MLX5_FLOW_NAMESPACE_FDB' : 'MLX5_FLOW_NAMESPACE_KERNEL';
  const err = mlx5e_tc_act_pedit_parse_action(priv, act, ns, ps, ps.extack);
  if (err) return err;
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  if (ns === 'MLX5_FLOW_NAMESPACE_FDB') attr.esw_attr!.split_count = attr.esw_attr!.out_count;
  return 0;
});

export const mlx5e_tc_act_pedit: Mlx5eTcAct = {
  can_offload: () => true,
  parse_action: tc_act_parse_pedit,
  is_terminating_action: false,
};
