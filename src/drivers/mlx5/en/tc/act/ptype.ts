// core/en/tc/act/ptype.c: skbedit ptype, only "host" (used with OVS internal ports).
import { hop } from '../../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/ptype.c';
/** include/uapi/linux/if_packet.h */
const PACKET_HOST = 0;

const tc_act_parse_ptype = hop(FILE, function tc_act_parse_ptype(ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, _attr: Mlx5FlowAttr): 0 | NegErrno {
  if ((act.ptype ?? PACKET_HOST) !== PACKET_HOST) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'skbedit ptype is only supported with type host');
    return -EOPNOTSUPP;
  }
  ps.ptype_host = true;
  return 0;
}, { input: (_ps, act) => `ptype ${act.ptype ?? PACKET_HOST}` });

export const mlx5e_tc_act_ptype: Mlx5eTcAct = {
  can_offload: () => true,
  parse_action: tc_act_parse_ptype,
  is_terminating_action: false,
};
