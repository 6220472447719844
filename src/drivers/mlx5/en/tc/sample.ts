// core/en/tc/sample.c: offload of rules with a sample action. Upstream
// builds, at eswitch init, a sampler termination table towards the uplink
// and per rule a sampler object, a sample table and a restore context.
// None of that is modelled: this driver's tc_psample is NULL — the state
// upstream is in when mlx5e_tc_sample_init failed — so a sample rule is
// refused at install with -EOPNOTSUPP (no extack, as upstream).
import { hop } from '../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../kernel/include/uapi/asm-generic/errno';
import type { Mlx5FlowSpec } from '../../../../kernel/include/linux/mlx5/fs';
import type { Mlx5FlowHandle } from '../../fs_core';
import type { Mlx5FlowAttr } from '../tc_priv';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/sample.c';

/** struct mlx5e_tc_psample: never created in this model. */
export type Mlx5eTcPsample = never;

/** mlx5e_tc_sample_offload (core/en/tc/sample.c, v6.18) */
export const mlx5e_tc_sample_offload = hop(FILE, function mlx5e_tc_sample_offload(tc_psample: Mlx5eTcPsample | null, _spec: Mlx5FlowSpec, attr: Mlx5FlowAttr): Mlx5FlowHandle | NegErrno {
  if (!tc_psample) return -EOPNOTSUPP;
  void attr;
  return -EOPNOTSUPP;
}, { input: (_t, _s, attr) => `rate ${attr.sample_attr?.rate ?? 0} group ${attr.sample_attr?.group_num ?? 0}` });
