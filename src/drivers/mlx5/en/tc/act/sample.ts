// core/en/tc/act/sample.c: sample (psample) — the rule is marked SAMPLE
// and installed by mlx5e_tc_sample_offload (en/tc/sample.ts).
import { hop } from '../../../../../trace/hop';
import type { NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import { MLX5_ATTR_FLAG_SAMPLE, type Mlx5eTcActParseState, type Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/sample.c';

/** tc_act_can_offload_sample (core/en/tc/act/sample.c, v6.18) */
const tc_act_can_offload_sample = hop(FILE, function tc_act_can_offload_sample(ps: Mlx5eTcActParseState, _act: FlowActionEntry, _i: number, _attr: Mlx5FlowAttr): boolean {
  if (ps.flow.flags.has('CT')) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'Sample action with connection tracking is not supported');
    return false;
  }
  return true;
});

/** tc_act_parse_sample (core/en/tc/act/sample.c, v6.18) */
const tc_act_parse_sample = hop(FILE, function tc_act_parse_sample(ps: Mlx5eTcActParseState, act: FlowActionEntry, _priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const s = act.sample ?? { rate: 0, group: 0, trunc_size: 0 };
  attr.sample_attr = { rate: s.rate, group_num: s.group, trunc_size: s.trunc_size };
  attr.flags |= MLX5_ATTR_FLAG_SAMPLE;
  ps.flow.flags.add('SAMPLE');
  return 0;
}, { input: (_ps, act) => `rate ${act.sample?.rate ?? 0} group ${act.sample?.group ?? 0}` });

export const mlx5e_tc_act_sample: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_sample,
  parse_action: tc_act_parse_sample,
  is_terminating_action: false,
};
