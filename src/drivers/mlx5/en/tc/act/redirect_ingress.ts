// core/en/tc/act/redirect_ingress.c: mirred ingress redirect, offloaded only
// towards an OVS internal port (the int_port machinery).
import { hop } from '../../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import type { NetDevice } from '../../../../../kernel/include/linux/netdevice';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import type { Mlx5eTcAct } from './act';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/redirect_ingress.c';

/** netif_is_ovs_master (include/linux/netdevice.h): an OVS datapath internal port. */
function netif_is_ovs_master(dev: NetDevice): boolean {
  return dev.kind === 'openvswitch';
}

/** tc_act_can_offload_redirect_ingress (core/en/tc/act/redirect_ingress.c, v6.18) */
const tc_act_can_offload_redirect_ingress = hop(FILE, function tc_act_can_offload_redirect_ingress(ps: Mlx5eTcActParseState, act: FlowActionEntry, _i: number, _attr: Mlx5FlowAttr): boolean {
  const out_dev = act.dev;
  ps.if_count = 0;
  if (!out_dev) return false;
  if (!netif_is_ovs_master(out_dev)) {
    NL_SET_ERR_MSG_MOD(ps.extack, 'mlx5_core', 'redirect to ingress is supported only for OVS internal ports');
    return false;
  }
  return true;
}, { input: (_ps, act) => act.dev?.name ?? '(none)' });

/**
 * tc_act_parse_redirect_ingress (core/en/tc/act/redirect_ingress.c, v6.18).
 * The internal-port forwarding (mlx5e_set_fwd_to_int_port_actions, vport
 * metadata and the int_port table) is not modelled: the rule is refused.
 */
const tc_act_parse_redirect_ingress = hop(FILE, function tc_act_parse_redirect_ingress(_ps: Mlx5eTcActParseState, _act: FlowActionEntry, _priv: Mlx5ePriv, _attr: Mlx5FlowAttr): 0 | NegErrno {
  return -EOPNOTSUPP;
});

export const mlx5e_tc_act_redirect_ingress: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_redirect_ingress,
  parse_action: tc_act_parse_redirect_ingress,
  is_terminating_action: true,
};
