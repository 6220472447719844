// core/en/tc/act/mirred.c: FDB mirred/redirect to another eswitch port.
// Encap, MPLS, VLAN devices, bonds, macvlan and OVS internal ports are not
// emulated (their branches need devices the emulator does not have yet).
import { hop } from '../../../../../trace/hop';
import { EOPNOTSUPP, type NegErrno } from '../../../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../../../kernel/include/linux/netlink';
import { netdev_printk, type NetDevice } from '../../../../../kernel/include/linux/netdevice';
import { netdev_port_same_parent_id } from '../../../../../kernel/net/core/dev';
import { MLX5_FLOW_CONTEXT_ACTION_FWD_DEST } from '../../../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { FlowActionEntry } from '../../../../../kernel/include/net/flow_offload';
import type { Mlx5ePriv } from '../../../en';
import type { Mlx5eTcActParseState, Mlx5FlowAttr } from '../../tc_priv';
import { MLX5_MAX_FLOW_FWD_VPORTS } from '../../../eswitch';
import { mlx5e_eswitch_rep, mlx5e_eswitch_uplink_rep, mlx5e_eswitch_vf_rep, mlx5e_same_hw_devs } from '../../../en_rep';
import type { Mlx5eTcAct } from './act';
import { netif_is_bareudp } from './mpls';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc/act/mirred.c';

function same_vf_reps(priv: Mlx5ePriv, out_dev: NetDevice): boolean {
  return mlx5e_eswitch_vf_rep(priv.netdev) && priv.netdev === out_dev;
}

/**
 * verify_uplink_forwarding (mirred.c, v6.18): uplink to uplink needs
 * termination_table_raw_traffic, which the emulated device lacks.
 */
function verify_uplink_forwarding(attr: Mlx5FlowAttr, out_dev: NetDevice, extack: Mlx5eTcActParseState['extack']): 0 | NegErrno {
  const in_dev = attr.esw_attr!.in_rep.netdev;
  if (!(in_dev && mlx5e_eswitch_uplink_rep(in_dev) && mlx5e_eswitch_uplink_rep(out_dev))) return 0;
  NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "devices are both uplink, can't offload forwarding");
  return -EOPNOTSUPP;
}

function is_duplicated_output_device(dev: NetDevice, out_dev: NetDevice, ifindexes: number[], if_count: number, extack: Mlx5eTcActParseState['extack']): boolean {
  for (let i = 0; i < if_count; i++) {
    if (ifindexes[i] === out_dev.ifindex) {
      NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "can't duplicate output to same device");
      netdev_printk('err', dev, `can't duplicate output to same device: ${out_dev.name}`);
      return true;
    }
  }
  return false;
}

/** mlx5e_is_valid_eswitch_fwd_dev (core/en_tc.c, v6.18), without LAG/merged-eswitch cases. */
function mlx5e_is_valid_eswitch_fwd_dev(priv: Mlx5ePriv, out_dev: NetDevice): boolean {
  return mlx5e_eswitch_rep(out_dev) && mlx5e_same_hw_devs(priv, out_dev.priv as Mlx5ePriv);
}

/** tc_act_can_offload_mirred (core/en/tc/act/mirred.c, v6.18) */
const tc_act_can_offload_mirred = hop(FILE, function tc_act_can_offload_mirred(ps: Mlx5eTcActParseState, act: FlowActionEntry, _i: number, attr: Mlx5FlowAttr): boolean {
  const extack = ps.extack;
  const priv = ps.flow.priv;
  const out_dev = act.dev;
  const esw_attr = attr.esw_attr!;
  // NULL when a filter whose mirred device is gone is replayed to the driver.
  if (!out_dev) return false;
  if (esw_attr.out_count >= MLX5_MAX_FLOW_FWD_VPORTS) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "can't support more output ports, can't offload forwarding");
    netdev_printk('warn', priv.netdev, `can't support more than ${esw_attr.out_count} output ports, can't offload forwarding`);
    return false;
  }
  // core/en/tc/act/mirred.c (v6.18): an MPLS push must leave through a bareudp device.
  if (ps.mpls_push && !netif_is_bareudp(out_dev)) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'mpls is supported only through a bareudp device');
    return false;
  }
  if (ps.eth_pop && !ps.mpls_push) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', 'vlan pop eth is supported only with mpls push');
    return false;
  }
  if (ps.encap || netdev_port_same_parent_id(priv.netdev, out_dev)) return true;
  // Every mlx5 device is asked about filters on foreign devices; only the
  // owner of the filter device complains.
  if (attr.parse_attr.filter_dev !== priv.netdev) return false;
  NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "devices are not on same switch HW, can't offload forwarding");
  return false;
}, { input: (_ps, act) => act.dev?.name ?? 'NULL' });

/** parse_mirred (core/en/tc/act/mirred.c, v6.18) */
const parse_mirred = hop(FILE, function parse_mirred(ps: Mlx5eTcActParseState, act: FlowActionEntry, priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  const extack = ps.extack;
  const esw_attr = attr.esw_attr!;
  const out_dev = act.dev!;
  if (is_duplicated_output_device(priv.netdev, out_dev, ps.ifindexes, ps.if_count, extack)) return -EOPNOTSUPP;
  ps.ifindexes[ps.if_count] = out_dev.ifindex;
  ps.if_count++;

  const err = verify_uplink_forwarding(attr, out_dev, extack);
  if (err) return err;
  if (!mlx5e_is_valid_eswitch_fwd_dev(priv, out_dev)) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "devices are not on same switch HW, can't offload forwarding");
    return -EOPNOTSUPP;
  }
  if (same_vf_reps(priv, out_dev)) {
    NL_SET_ERR_MSG_MOD(extack, 'mlx5_core', "can't forward from a VF to itself");
    return -EOPNOTSUPP;
  }
  const out_priv = out_dev.priv as Mlx5ePriv;
  esw_attr.dests[esw_attr.out_count] = { vport_valid: true, vport: out_priv.ppriv!.rep.vport, mdev: out_priv.mdev, flags: 0 };
  esw_attr.out_count++;
  return 0;
}, { input: (_ps, act) => act.dev?.name ?? 'NULL' });

/** tc_act_parse_mirred (core/en/tc/act/mirred.c, v6.18) */
const tc_act_parse_mirred = hop(FILE, function tc_act_parse_mirred(ps: Mlx5eTcActParseState, act: FlowActionEntry, priv: Mlx5ePriv, attr: Mlx5FlowAttr): 0 | NegErrno {
  let err: 0 | NegErrno = -EOPNOTSUPP;
  if (netdev_port_same_parent_id(priv.netdev, act.dev!)) err = parse_mirred(ps, act, priv, attr);
  else if (ps.encap) err = parse_mirred_encap(ps, act, attr);
  if (err) return err;
  attr.action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
  return 0;
}, { input: (_ps, act) => act.dev?.name ?? 'NULL' });

export const mlx5e_tc_act_mirred: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_mirred,
  parse_action: tc_act_parse_mirred,
  is_terminating_action: false,
};

export const mlx5e_tc_act_redirect: Mlx5eTcAct = {
  can_offload: tc_act_can_offload_mirred,
  parse_action: tc_act_parse_mirred,
  is_terminating_action: true,
};

/**
 * parse_mirred_encap (core/en/tc/act/mirred.c, v6.18): an output to a
 * tunnel device after tunnel_key set — remember the device and the tunnel
 * key; the vport is resolved when the encap is attached.
 */
const parse_mirred_encap = hop(FILE, function parse_mirred_encap(ps: Mlx5eTcActParseState, act: FlowActionEntry, attr: Mlx5FlowAttr): 0 | NegErrno {
  const parse_attr = attr.parse_attr;
  const esw_attr = attr.esw_attr!;
  const out_dev = act.dev!;
  parse_attr.mirred_ifindex[esw_attr.out_count] = out_dev.ifindex;
  (parse_attr.tun_info ??= [])[esw_attr.out_count] = { ...ps.tun_info! };
  ps.encap = false;
  esw_attr.dests[esw_attr.out_count] = { vport: 0, vport_valid: false, mdev: ps.flow.priv.mdev, flags: MLX5_ESW_DEST_ENCAP };
  esw_attr.out_count++;
  return 0;
}, { input: (_ps, act) => act.dev?.name ?? 'NULL' });

import { MLX5_ESW_DEST_ENCAP } from '../../../eswitch';
