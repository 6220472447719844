// core/en/tc/act/mpls.c (v6.18): MPLS push is offloaded only as MPLS over
// UDP (the push is later merged into a bareudp encap by the mirred to a
// bareudp device); MPLS pop only as the first action (or after decap) of a
// filter on a bareudp device. This model has no bareudp devices, so a pop
// is always refused here and a push is refused by the mirred that follows.
import { hop } from '../../../../../trace/hop';
import { declareBranch } from '../../../../../trace/branch';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { NetDevice } from '../../../../../kernel/include/linux/netdevice';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mpls.c';
const ETH_P_MPLS_UC = 0x8847;

const push_not_uc = declareBranch(FILE, 'tc_act_can_offload_mpls_push', 'not mpls_uc');
const pop_not_first = declareBranch(FILE, 'tc_act_can_offload_mpls_pop', 'not first action');
const pop_not_bareudp = declareBranch(FILE, 'tc_act_can_offload_mpls_pop', 'not bareudp');

/** netif_is_bareudp (include/net/bareudp.h) */
export function netif_is_bareudp(dev: NetDevice): boolean {
  return dev.kind === 'bareudp';
}

/**
 * tc_act_can_offload_mpls_push (v6.18). The FDB's reformat_l2_to_l3_tunnel
 * capability is taken as present (ConnectX-6 Dx and later have it).
 */
const tc_act_can_offload_mpls_push = hop(FILE, function tc_act_can_offload_mpls_push(ps: Mlx5eTcActParseState, act: FlowActionEntry,
  _i: number, _attr: Mlx5FlowAttr): boolean {
  if (push_not_uc(act.mpls_push?.proto !== ETH_P_MPLS_UC)) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'mpls push is supported only for mpls_uc protocol');
    return false;
  }
  return true;
}, { input: (_ps, act) => `proto=0x${(act.mpls_push?.proto ?? 0).toString(16)}` });

/** tc_act_parse_mpls_push (v6.18): remembered for the mirred that must follow. */
const tc_act_parse_mpls_push = hop(FILE, function tc_act_parse_mpls_push(ps: Mlx5eTcActParseState, _act: FlowActionEntry,
  _priv: Mlx5ePriv, _attr: Mlx5FlowAttr): 0 {
  ps.mpls_push = true;
  return 0;
});

/** tc_act_can_offload_mpls_pop (v6.18): first action (or second after decap), on a bareudp filter device. */
const tc_act_can_offload_mpls_pop = hop(FILE, function tc_act_can_offload_mpls_pop(ps: Mlx5eTcActParseState, _act: FlowActionEntry,
  act_index: number, attr: Mlx5FlowAttr): boolean {
  if (pop_not_first((act_index === 1 && !ps.decap) || act_index > 1)) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'mpls pop supported only as first action or with decap');
    return false;
  }
  if (pop_not_bareudp(!netif_is_bareudp(attr.parse_attr.filter_dev))) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'mpls pop supported only on bareudp devices');
    return false;
  }
  return true;
}, { input: (_ps, _act, i) => `act_index=${i}` });

export const mlx5e_tc_act_mpls_push: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_mpls_push,
  parse_action: tc_act_parse_mpls_push,
  is_terminating_action: false,
};

// A pop is never accepted above (no bareudp devices), so its parse (the
// L3-to-L2 decap reformat) is never reached.
export const mlx5e_tc_act_mpls_pop: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_mpls_pop,
  parse_action: () => 0,
  is_terminating_action: false,
};
