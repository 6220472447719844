// The tunnel parts of core/en_tc.c: parse_tunnel_attr (decap match),
// mlx5e_tc_set_attr_rx_tun, and the slow-path rule an encap flow waits on.
// Kept beside en_tc.ts, which calls them at the upstream call sites.
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../kernel/include/linux/netlink';
import { netdev_printk, type NetDevice } from '../../kernel/include/linux/netdevice';
import type { FlowClsOffload } from '../../kernel/include/net/flow_offload';
import type { Mlx5FlowSpec } from '../../kernel/include/linux/mlx5/fs';
import { MLX5_FLOW_CONTEXT_ACTION_DECAP, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_GET } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5ePriv } from './en';
import { MLX5_ATTR_FLAG_SLOW_PATH, type Mlx5eTcFlow, type Mlx5FlowAttr } from './en/tc_priv';
import { mlx5e_get_tc_tun, mlx5e_tc_tun_parse } from './en/tc_tun';
import type { Mlx5FlowHandle } from './fs_core';
import { mlx5e_tc_offload_fdb_rules, mlx5e_tc_unoffload_fdb_rules } from './en_tc';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en_tc.c';
const MOD = 'mlx5_core';

/** flow_requires_tunnel_mapping (core/en_tc.c, v6.18): chain 0 rules that goto or sample. */
function flow_requires_tunnel_mapping(chain: number, f: FlowClsOffload): boolean {
  if (chain) return false;
  return f.rule!.action.entries.some((a) => a.id === 'FLOW_ACTION_GOTO' || a.id === 'FLOW_ACTION_SAMPLE');
}

/**
 * mlx5e_tc_set_attr_rx_tun (core/en_tc.c, v6.18): remember the outer
 * addresses; only with both is the flow TUN_RX (and its route checked).
 */
function mlx5e_tc_set_attr_rx_tun(flow: Mlx5eTcFlow, spec: Mlx5FlowSpec): 0 {
  const esw_attr = flow.attr.esw_attr!;
  const ip_version = Number(MLX5_GET(spec.match_value, 'outer_headers.ethertype')) === 0x0800 ? 4 : 0;
  const dst_ip = Number(MLX5_GET(spec.match_value, 'outer_headers.dst_ipv4_dst_ipv6.ipv4_layout.ipv4'));
  const src_ip = Number(MLX5_GET(spec.match_value, 'outer_headers.src_ipv4_src_ipv6.ipv4_layout.ipv4'));
  esw_attr.rx_tun_attr = { dst_ip, src_ip };
  if (ip_version !== 4 || !dst_ip || !src_ip) return 0;
  flow.flags.add('TUN_RX');
  flow.attr.tun_ip_version = ip_version;
  return 0;
}

const tunnel_chain_mapping = declareBranch(FILE, 'parse_tunnel_attr', 'chain or goto needs tunnel mapping');

/**
 * parse_tunnel_attr (core/en_tc.c, v6.18): only eswitch flows may match a
 * tunnel; chain 0 matches the outer headers, adds DECAP, and the remaining
 * keys match the inner headers. Tunnel mapping for chains (reg_c1
 * loopback, tunnel ids) is not emulated: such rules get upstream's
 * no-register-loopback refusal.
 */
export const parse_tunnel_attr = hop(FILE, function parse_tunnel_attr(priv: Mlx5ePriv, flow: Mlx5eTcFlow, spec: Mlx5FlowSpec, f: FlowClsOffload,
  filter_dev: NetDevice, levels: { outer: number }): { err: 0 | NegErrno; match_inner: boolean } {
  const extack = f.common.extack;
  if (!flow.flags.has('ESWITCH')) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Match on tunnel is not supported');
    return { err: -EOPNOTSUPP, match_inner: false };
  }
  const needs_mapping = !!flow.attr.chain;
  const sets_mapping = flow_requires_tunnel_mapping(flow.attr.chain, f);
  if (tunnel_chain_mapping(needs_mapping || sets_mapping)) {
    // The tunnel mapping (mlx5e_get_flow_tunnel_id: tunnel and enc_opts ids
    // carried in reg_c1 through the register loopback) is not modelled, so
    // the emulated eswitch answers as one without register loopback.
    NL_SET_ERR_MSG_MOD(extack, MOD, "Chains on tunnel devices isn't supported without register loopback support");
    netdev_printk('warn', priv.netdev, "Chains on tunnel devices isn't supported without register loopback support");
    return { err: -EOPNOTSUPP, match_inner: !needs_mapping };
  }
  const err = mlx5e_tc_tun_parse(filter_dev, priv, spec, f, levels);
  if (err) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Failed to parse tunnel attributes');
    netdev_printk('warn', priv.netdev, 'Failed to parse tunnel attributes');
    return { err, match_inner: false };
  }
  flow.attr.action |= MLX5_FLOW_CONTEXT_ACTION_DECAP;
  mlx5e_tc_set_attr_rx_tun(flow, spec);
  return { err: 0, match_inner: true };
}, { input: (_p, _f, _s, _o, dev) => dev.name, errno: (r) => r.err });

/** Is filter_dev a tunnel device this driver offloads (the branch in __parse_cls_flower)? */
export function mlx5e_filter_dev_is_tunnel(filter_dev: NetDevice): boolean {
  return mlx5e_get_tc_tun(filter_dev) !== null;
}

const slow_path_chain = declareBranch(FILE, 'mlx5e_tc_offload_to_slow_path', 'flow on a chain other than 0');

/**
 * mlx5e_tc_offload_to_slow_path (core/en_tc.c, v6.18): the same match,
 * forwarding to the slow FDB table (so the packet reaches the
 * representor, and the kernel, unencapsulated). The chain-restore modify
 * header is not emulated (skip_restore for every chain).
 */
export const mlx5e_tc_offload_to_slow_path = hop(FILE, function mlx5e_tc_offload_to_slow_path(flow: Mlx5eTcFlow): Mlx5FlowHandle | NegErrno {
  const attr = flow.attr;
  const slow_attr: Mlx5FlowAttr = {
    ...attr, action: MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, flags: attr.flags | MLX5_ATTR_FLAG_SLOW_PATH, counter: null,
    esw_attr: { ...attr.esw_attr!, split_count: 0 },
  };
  // The chain-restore modify header (chain mapping in reg_c0, so software
  // resumes at this chain) is what upstream adds when the FDB can modify and
  // forward to a table; it is not modelled, so every chain takes upstream's
  // skip_restore path, as a device without fdb_modify_header_fwd_to_table.
  slow_path_chain(attr.chain !== 0);
  const rule = mlx5e_tc_offload_fdb_rules(flow, attr.parse_attr.spec, slow_attr);
  if (typeof rule === 'number') return rule;
  flow.slow_attr = slow_attr;
  flow.flags.add('SLOW');
  return rule;
}, { result: (r) => (typeof r === 'number' ? undefined : `fte ${r.fte.index}`) });

/** mlx5e_tc_unoffload_from_slow_path (core/en_tc.c, v6.18) */
export const mlx5e_tc_unoffload_from_slow_path = hop(FILE, function mlx5e_tc_unoffload_from_slow_path(flow: Mlx5eTcFlow): void {
  if (flow.slow_attr) mlx5e_tc_unoffload_fdb_rules(flow, flow.slow_attr);
  flow.slow_attr = undefined;
  flow.flags.delete('SLOW');
});
