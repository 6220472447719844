// The tunnel parts of core/en_tc.c: parse_tunnel_attr (decap match), the
// tunnel mapping of chain rules (mlx5e_get_flow_tunnel_id /
// mlx5e_put_flow_tunnel_id), mlx5e_tc_set_attr_rx_tun, and the slow-path
// rule an encap flow waits on. Kept beside en_tc.ts, which calls them at
// the upstream call sites.
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { EOPNOTSUPP, type NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD, type NetlinkExtAck } from '../../kernel/include/linux/netlink';
import { netdev_printk, type NetDevice } from '../../kernel/include/linux/netdevice';
import {
  flow_rule_match_enc_control, flow_rule_match_enc_ip, flow_rule_match_enc_ipv4_addrs, flow_rule_match_enc_ipv6_addrs,
  flow_rule_match_enc_keyid, flow_rule_match_enc_opts, flow_rule_match_enc_ports, type FlowClsOffload,
} from '../../kernel/include/net/flow_offload';
import { FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID, type FlowDissectorKeyEncOpts } from '../../kernel/include/net/flow_dissector';
import type { Mlx5FlowSpec } from '../../kernel/include/linux/mlx5/fs';
import {
  MLX5_FLOW_CONTEXT_ACTION_DECAP, MLX5_FLOW_CONTEXT_ACTION_FWD_DEST, MLX5_FLOW_CONTEXT_ACTION_MOD_HDR, MLX5_GET,
} from '../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5ePriv } from './en';
import { MLX5_ATTR_FLAG_SLOW_PATH, type Mlx5eTcFlow, type Mlx5FlowAttr } from './en/tc_priv';
import { mlx5e_get_tc_tun, mlx5e_tc_tun_parse } from './en/tc_tun';
import type { Mlx5FlowHandle } from './fs_core';
import { mlx5e_tc_offload_fdb_rules, mlx5e_tc_unoffload_fdb_rules } from './en_tc';
import { mlx5e_tc_match_to_reg_match, mlx5e_tc_match_to_reg_set } from './en_tc_reg';
import { mlx5_eswitch_reg_c1_loopback_enabled } from './eswitch_offloads';
import { mapping_add, mapping_create_for_id, mapping_remove, type MappingCtx } from './en/mapping';
import { mlx5e_esw_uplink_priv, type Mlx5eRepUplinkPriv } from './en/rep/neigh';
import type { Mlx5CoreDev } from './mlx5_core';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en_tc.c';
const MOD = 'mlx5_core';

// core/en_tc.h (v6.18): a tunnel id is 12 bits of tunnel key id above 11 bits of enc_opts id.
export const TUNNEL_INFO_BITS = 12;
export const TUNNEL_INFO_BITS_MASK = (1 << TUNNEL_INFO_BITS) - 1;
export const ENC_OPTS_BITS = 11;
export const ENC_OPTS_BITS_MASK = (1 << ENC_OPTS_BITS) - 1;
export const TUNNEL_ID_BITS = TUNNEL_INFO_BITS + ENC_OPTS_BITS;
export const TUNNEL_ID_MASK = (1 << TUNNEL_ID_BITS) - 1;

/**
 * The uplink_priv tunnel mappings, as mlx5e_tc_esw_init creates them
 * (core/en_tc.c, v6.18): tunnel keys up to TUNNEL_INFO_BITS_MASK; enc_opts
 * up to ENC_OPTS_BITS_MASK - 2, the last two values being reserved marks
 * (slow-table goto vport, bridge ingress push vlan). Built on first use.
 */
function mlx5e_tc_tunnel_mappings(mdev: Mlx5CoreDev): { tunnel_mapping: MappingCtx; tunnel_enc_opts_mapping: MappingCtx } {
  const up: Mlx5eRepUplinkPriv = mlx5e_esw_uplink_priv(mdev);
  const tunnel_mapping = (up.tunnel_mapping ??= mapping_create_for_id('MAPPING_TYPE_TUNNEL', TUNNEL_INFO_BITS_MASK));
  const tunnel_enc_opts_mapping = (up.tunnel_enc_opts_mapping ??= mapping_create_for_id('MAPPING_TYPE_TUNNEL_ENC_OPTS', ENC_OPTS_BITS_MASK - 2));
  return { tunnel_mapping, tunnel_enc_opts_mapping };
}

/** flow_requires_tunnel_mapping (core/en_tc.c, v6.18): chain 0 rules that goto or sample. */
function flow_requires_tunnel_mapping(chain: number, f: FlowClsOffload): boolean {
  if (chain) return false;
  return f.rule!.action.entries.some((a) => a.id === 'FLOW_ACTION_GOTO' || a.id === 'FLOW_ACTION_SAMPLE');
}

/**
 * mlx5e_tc_set_attr_rx_tun (core/en/tc_tun_encap.c, v6.18): remember the
 * outer addresses; only with both is the flow TUN_RX (and its route checked).
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

const enc_opts_partial = declareBranch(FILE, 'mlx5e_get_flow_tunnel_id', 'enc_opts partial match (enc_opts_is_dont_care_or_full_match)');

/**
 * enc_opts_is_dont_care_or_full_match (core/en_tc.c, v6.18): walk the
 * option mask as geneve_opt records (class be16, type, 5-bit length in
 * words, data); options may be ignored entirely or matched in full (class
 * 0xffff and type 0xff), nothing in between.
 */
function enc_opts_is_dont_care_or_full_match(priv: Mlx5ePriv, opts: FlowDissectorKeyEncOpts, extack: NetlinkExtAck | null): { err: 0 | NegErrno; dont_care: boolean } {
  let dont_care = true;
  let off = 0;
  while (opts.len > off) {
    const d = opts.data;
    const opt_class = ((d[off] ?? 0) << 8) | (d[off + 1] ?? 0);
    const type = d[off + 2] ?? 0;
    const length = (d[off + 3] ?? 0) & 0x1f;
    const data_set = d.subarray(off + 4, off + 4 + length * 4).some((b) => b !== 0);
    if (!dont_care || opt_class || type || data_set) {
      dont_care = false;
      if (enc_opts_partial(opt_class !== 0xffff || type !== 0xff)) {
        NL_SET_ERR_MSG_MOD(extack, MOD, "Partial match of tunnel options in chain > 0 isn't supported");
        netdev_printk('warn', priv.netdev, "Partial match of tunnel options in chain > 0 isn't supported");
        return { err: -EOPNOTSUPP, dont_care };
      }
    }
    off += 4 + length * 4;
  }
  return { err: 0, dont_care };
}

function encOptsText(o: FlowDissectorKeyEncOpts): string {
  return `${o.dst_opt_type}/${o.len}/${Buffer.from(o.data.subarray(0, o.len)).toString('hex')}`;
}

const tunnel_id_on_chain = declareBranch(FILE, 'mlx5e_get_flow_tunnel_id', 'chain > 0 matches the id (chain 0 sets it)');

/**
 * mlx5e_get_flow_tunnel_id (core/en_tc.c, v6.18): map the rule's tunnel
 * match (enc_control, outer addresses, enc_ip, enc ports, key id and the
 * filter device; keys only, as COPY_DISSECTOR copies them) to a tunnel id
 * and any fully matched options to an enc_opts id. A chain 0 rule writes
 * the pair into reg_c_1 by modify header (TUNNEL_TO_REG); a chain > 0 rule
 * matches it there instead of the outer headers.
 */
export const mlx5e_get_flow_tunnel_id = hop(FILE, function mlx5e_get_flow_tunnel_id(priv: Mlx5ePriv, flow: Mlx5eTcFlow, f: FlowClsOffload, filter_dev: NetDevice): 0 | NegErrno {
  const rule = f.rule!;
  const extack = f.common.extack;
  const attr = flow.attr;
  const { tunnel_mapping, tunnel_enc_opts_mapping } = mlx5e_tc_tunnel_mappings(priv.mdev);

  const enc_control = flow_rule_match_enc_control(rule)?.key;
  const tunnel_key = {
    enc_control,
    enc_ip4: enc_control?.addr_type === FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID ? flow_rule_match_enc_ipv4_addrs(rule)?.key : undefined,
    enc_ip6: enc_control?.addr_type === FLOW_DISSECTOR_KEY_IPV4_ADDRS_ID ? undefined : flow_rule_match_enc_ipv6_addrs(rule)?.key,
    enc_ip: flow_rule_match_enc_ip(rule)?.key,
    enc_tp: flow_rule_match_enc_ports(rule)?.key,
    enc_key_id: flow_rule_match_enc_keyid(rule)?.key,
    filter_ifindex: filter_dev.ifindex,
  };
  const tun = mapping_add(tunnel_mapping, JSON.stringify(tunnel_key, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
  if (tun.err) return tun.err;
  const tun_id = tun.id;

  let enc_opts_id = 0;
  const enc_opts = flow_rule_match_enc_opts(rule);
  if (enc_opts) {
    const r = enc_opts_is_dont_care_or_full_match(priv, enc_opts.mask, extack);
    if (r.err) {
      mapping_remove(tunnel_mapping, tun_id);
      return r.err;
    }
    if (!r.dont_care) {
      const o = mapping_add(tunnel_enc_opts_mapping, `${encOptsText(enc_opts.key)} mask ${encOptsText(enc_opts.mask)}`);
      if (o.err) {
        mapping_remove(tunnel_mapping, tun_id);
        return o.err;
      }
      enc_opts_id = o.id;
    }
  }

  const value = ((tun_id << ENC_OPTS_BITS) | enc_opts_id) >>> 0;
  // Without options, the options bits are not matched at all.
  const mask = enc_opts_id ? TUNNEL_ID_MASK : (TUNNEL_ID_MASK & ~ENC_OPTS_BITS_MASK) >>> 0;
  if (tunnel_id_on_chain(attr.chain !== 0)) {
    mlx5e_tc_match_to_reg_match(attr.parse_attr.spec, 'TUNNEL_TO_REG', value, mask);
  } else {
    mlx5e_tc_match_to_reg_set((attr.parse_attr.mod_hdr_acts ??= []), 'TUNNEL_TO_REG', value);
    attr.action |= MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
  }
  attr.tunnel_id = value;
  return 0;
}, { input: (_p, flow, _f, dev) => `${dev.name} chain ${flow.attr.chain}` });

/**
 * mlx5e_put_flow_tunnel_id (core/en_tc.c, v6.18): give back the tunnel and
 * enc_opts ids the flow holds (the last holder frees them).
 */
export const mlx5e_put_flow_tunnel_id = hop(FILE, function mlx5e_put_flow_tunnel_id(flow: Mlx5eTcFlow): void {
  const tunnel_id = flow.attr.tunnel_id ?? 0;
  const enc_opts_id = tunnel_id & ENC_OPTS_BITS_MASK;
  const tun_id = tunnel_id >>> ENC_OPTS_BITS;
  if (!tun_id && !enc_opts_id) return;
  const { tunnel_mapping, tunnel_enc_opts_mapping } = mlx5e_tc_tunnel_mappings(flow.priv.mdev);
  if (tun_id) mapping_remove(tunnel_mapping, tun_id);
  if (enc_opts_id) mapping_remove(tunnel_enc_opts_mapping, enc_opts_id);
  flow.attr.tunnel_id = 0;
}, { input: (flow) => `tunnel_id 0x${(flow.attr.tunnel_id ?? 0).toString(16)}` });

const tunnel_chain_mapping = declareBranch(FILE, 'parse_tunnel_attr', 'chain or goto needs tunnel mapping');
const tunnel_no_loopback = declareBranch(FILE, 'parse_tunnel_attr', 'no register loopback');

/**
 * parse_tunnel_attr (core/en_tc.c, v6.18): only eswitch flows may match a
 * tunnel. Chain 0 matches the outer headers and adds DECAP, and the
 * remaining keys match the inner headers; a chain > 0 rule only checks
 * the tunnel match (on a scratch spec) since the packet was decapsulated
 * on chain 0, and its remaining keys match the outer headers. Either one
 * that crosses chains carries the tunnel through reg_c_1, which needs the
 * eswitch's register loopback.
 */
export const parse_tunnel_attr = hop(FILE, function parse_tunnel_attr(priv: Mlx5ePriv, flow: Mlx5eTcFlow, spec: Mlx5FlowSpec, f: FlowClsOffload,
  filter_dev: NetDevice, levels: { outer: number }): { err: 0 | NegErrno; match_inner: boolean } {
  const extack = f.common.extack;
  const esw = priv.mdev.priv.eswitch;
  if (!flow.flags.has('ESWITCH') || !esw) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Match on tunnel is not supported');
    return { err: -EOPNOTSUPP, match_inner: false };
  }
  const needs_mapping = !!flow.attr.chain;
  const sets_mapping = flow_requires_tunnel_mapping(flow.attr.chain, f);
  const match_inner = !needs_mapping;
  if (tunnel_no_loopback((needs_mapping || sets_mapping) && !mlx5_eswitch_reg_c1_loopback_enabled(esw))) {
    NL_SET_ERR_MSG_MOD(extack, MOD, "Chains on tunnel devices isn't supported without register loopback support");
    netdev_printk('warn', priv.netdev, "Chains on tunnel devices isn't supported without register loopback support");
    return { err: -EOPNOTSUPP, match_inner };
  }
  if (!flow.attr.chain) {
    const err = mlx5e_tc_tun_parse(filter_dev, priv, spec, f, levels);
    if (err) {
      NL_SET_ERR_MSG_MOD(extack, MOD, 'Failed to parse tunnel attributes');
      netdev_printk('warn', priv.netdev, 'Failed to parse tunnel attributes');
      return { err, match_inner };
    }
    // Only bareudp (MPLS over UDP) decapsulates by reformat; it is not emulated.
    flow.attr.action |= MLX5_FLOW_CONTEXT_ACTION_DECAP;
    mlx5e_tc_set_attr_rx_tun(flow, spec);
  } else if (mlx5e_get_tc_tun(filter_dev)) {
    // The outer match is parsed (and checked) on a copy that is thrown
    // away: this rule matches the mapped tunnel id instead. Geneve TLV
    // options (the copy's option object to release) are not emulated.
    const tmp_spec: Mlx5FlowSpec = {
      ...spec, match_criteria: { ...spec.match_criteria }, match_value: { ...spec.match_value }, flow_context: { ...spec.flow_context },
    };
    const err = mlx5e_tc_tun_parse(filter_dev, priv, tmp_spec, f, levels);
    if (err) {
      NL_SET_ERR_MSG_MOD(extack, MOD, 'Failed to parse tunnel attributes');
      netdev_printk('warn', priv.netdev, 'Failed to parse tunnel attributes');
      return { err, match_inner };
    }
    mlx5e_tc_set_attr_rx_tun(flow, tmp_spec);
  }
  if (!tunnel_chain_mapping(needs_mapping || sets_mapping)) return { err: 0, match_inner };
  return { err: mlx5e_get_flow_tunnel_id(priv, flow, f, filter_dev), match_inner };
}, { input: (_p, flow, _s, _o, dev) => `${dev.name} chain ${flow.attr.chain}`, errno: (r) => r.err });

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
