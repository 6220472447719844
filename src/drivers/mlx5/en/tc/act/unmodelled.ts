// Handlers that exist upstream (so the action is NOT "Not implemented
// offload action") but whose offload this model cannot build. They refuse
// with -EOPNOTSUPP and the text upstream gives when that offload is
// unavailable on the device, never with an exception: a user can reach them.
import { EOPNOTSUPP } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { Mlx5eTcAct } from './act';

export function unmodelled(name: string, extack_text: string | null = null): Mlx5eTcAct {
  return {
    parse_action: (ps) => {
      if (extack_text) NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', extack_text);
      void name;
      return -EOPNOTSUPP;
    },
    is_terminating_action: false,
  };
}
