// core/en/tc/act/tun.c: tunnel_key set (encap) and unset (decap). The
// encap itself is attached by the mirred that follows (parse_mirred_encap).
import { hop } from '../../../../../trace/hop';
import type { NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/tun.c';

/** tc_act_can_offload_tun_encap (v6.18) */
const tc_act_can_offload_tun_encap = hop(FILE, function tc_act_can_offload_tun_encap(ps: Mlx5eTcActParseState, act: FlowActionEntry): boolean {
  if (!act.tunnel) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'Zero tunnel attributes is not supported');
    return false;
  }
  return true;
});

/** tc_act_parse_tun_encap (v6.18) */
const tc_act_parse_tun_encap = hop(FILE, function tc_act_parse_tun_encap(ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, _attr: Mlx5FlowAttr): 0 | NegErrno {
  ps.tun_info = act.tunnel;
  ps.encap = true;
  return 0;
});

/** tc_act_parse_tun_decap (v6.18) */
const tc_act_parse_tun_decap = hop(FILE, function tc_act_parse_tun_decap(ps: Mlx5eTcActParseState): 0 | NegErrno {
  ps.decap = true;
  return 0;
});

export const mlx5e_tc_act_tun_encap: Mlx5eTcAct = {
  can_offload: (ps, act) => tc_act_can_offload_tun_encap(ps, act),
  parse_action: tc_act_parse_tun_encap,
  is_terminating_action: false,
};

export const mlx5e_tc_act_tun_decap: Mlx5eTcAct = {
  parse_action: (ps) => tc_act_parse_tun_decap(ps),
  is_terminating_action: false,
};
