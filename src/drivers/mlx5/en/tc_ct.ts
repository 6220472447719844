// core/en/tc_ct.c: conntrack offload. The emulated driver never builds the
// CT tables (mlx5_tc_ct_init, its pre-ct/ct/post-ct tables and nf flowtable
// callbacks are not modelled), so its ct_priv is NULL — the state upstream is
// in when mlx5_tc_ct_init fails — and every ct match or ct action takes the
// "isn't available" refusal.
import { hop } from '../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../../kernel/include/linux/netlink';
import { flow_rule_match_key, type FlowActionEntry, type FlowClsOffload } from '../../../kernel/include/net/flow_offload';
import type { Mlx5FlowAttr } from './tc_priv';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.c';

/** struct mlx5_tc_ct_priv: never created in this model (see above). */
export type Mlx5TcCtPriv = never;

/** mlx5_tc_ct_match_add (core/en/tc_ct.c, v6.18): without ct_priv a ct match is refused. */
export const mlx5_tc_ct_match_add = hop(FILE, function mlx5_tc_ct_match_add(priv: Mlx5TcCtPriv | null, f: FlowClsOffload, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!flow_rule_match_key(f.rule!, 'FLOW_DISSECTOR_KEY_CT')) return 0;
  if (!priv) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "offload of ct matching isn't available");
    return -EOPNOTSUPP;
  }
  return 0;
});

/** mlx5_tc_ct_parse_action (core/en/tc_ct.c, v6.18): without ct_priv any ct action (clear too) is refused. */
export const mlx5_tc_ct_parse_action = hop(FILE, function mlx5_tc_ct_parse_action(priv: Mlx5TcCtPriv | null, _attr: Mlx5FlowAttr, act: FlowActionEntry, extack: NetlinkExtAck | null): 0 | NegErrno {
  if (!priv) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "offload of ct action isn't available");
    return -EOPNOTSUPP;
  }
  void act;
  return 0;
}, { input: (_p, _a, act) => `zone ${act.ct?.zone ?? 0} action 0x${(act.ct?.action ?? 0).toString(16)}` });
