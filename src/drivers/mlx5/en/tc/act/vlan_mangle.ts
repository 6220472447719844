// core/en/tc/act/vlan_mangle.c: VLAN id rewrite as a modify-header (pedit of the TCI).
import { hop } from '../../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../../../kernel/include/linux/netlink';
import { MLX5_FLOW_CONTEXT_ACTION_MOD_HDR, MLX5_GET } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5FlowNamespaceType } from '../../../../../kernel/include/linux/mlx5/fs';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import { TCA_PEDIT_KEY_EX_HDR_TYPE_ETH } from '../../../../../kernel/include/uapi/linux/tc_act/tc_pedit';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import { bswap32, mlx5e_tc_act_pedit_parse_action } from './pedit';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/vlan_mangle.c';

const VLAN_VID_MASK = 0x0fff;
/** offsetof(struct vlan_ethhdr, h_vlan_TCI) */
const VLAN_TCI_OFFSET = 14;

/** The 16-bit big-endian TCI field as it sits in a little-endian u32 pedit word (low two bytes). */
function be16InWord(v: number): number {
  return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
}

/**
 * mlx5e_tc_act_vlan_add_rewrite_action (core/en/tc/act/vlan_mangle.c, v6.18):
 * only with a VLAN match, and only the VID (the prio must stay what was matched).
 */
export const mlx5e_tc_act_vlan_add_rewrite_action = hop(FILE, function mlx5e_tc_act_vlan_add_rewrite_action(priv: Mlx5ePriv, ns: Mlx5FlowNamespaceType, act: FlowActionEntry, attr: Mlx5FlowAttr, ps: Mlx5eTcActParseState, extack: NetlinkExtAck | null): 0 | NegErrno {
  const spec = attr.parse_attr.spec;
  const vlan = act.vlan ?? { vid: 0, prio: 0, proto: 0 };
  if (!(MLX5_GET(spec.match_criteria, 'outer_headers.cvlan_tag') && MLX5_GET(spec.match_value, 'outer_headers.cvlan_tag'))) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'VLAN rewrite action must have VLAN protocol match');
    return -EOPNOTSUPP;
  }
  const prio_mask = Number(MLX5_GET(spec.match_criteria, 'outer_headers.first_prio'));
  const prio_val = Number(MLX5_GET(spec.match_value, 'outer_headers.first_prio'));
  if (vlan.prio !== (prio_val & prio_mask)) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'Changing VLAN prio is not supported');
    return -EOPNOTSUPP;
  }
  const pedit_act: FlowActionEntry = {
    id: 'FLOW_ACTION_MANGLE', hw_stats: act.hw_stats, hw_index: 0,
    mangle: {
      htype: TCA_PEDIT_KEY_EX_HDR_TYPE_ETH, offset: VLAN_TCI_OFFSET,
      // As act_pedit would hand the key over: the word's network-order value.
      mask: bswap32(~be16InWord(VLAN_VID_MASK) >>> 0), val: bswap32(be16InWord(vlan.vid & VLAN_VID_MASK)),
    },
  };
  const err = mlx5e_tc_act_pedit_parse_action(priv, pedit_act, ns, ps, extack);
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  return err;
}, { input: (_p, _ns, act) => `vid ${act.vlan?.vid ?? 0}` });

/** tc_act_parse_vlan_mangle (core/en/tc/act/vlan_mangle.c, v6.18) */
const tc_act_parse_vlan_mangle = hop(FILE, function tc_act_parse_vlan_mangle(ps: Mlx5eTcActParseState, act: FlowActionEntry, priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const ns: Mlx5FlowNamespaceType = ps.flow.flags.has('ESWITCH') ? 'MLX5_FLOW_NAMESPACE_FDB' : 'MLX5_FLOW_NAMESPACE_KERNEL';
  const err = mlx5e_tc_act_vlan_add_rewrite_action(priv, ns, act, attr, ps, ps.extack);
  if (err) return err;
  if (ns === 'MLX5_FLOW_NAMESPACE_FDB') attr.esw_attr!.split_count = attr.esw_attr!.out_count;
  return 0;
});

export const mlx5e_tc_act_vlan_mangle: Mlx5eTcAct = {
  can_offload: () => true,
  parse_action: tc_act_parse_vlan_mangle,
  is_terminating_action: false,
};
