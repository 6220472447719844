// core/en/tc_tun_vxlan.c: the VXLAN tunnel type — decap match on the UDP
// port and VNI, encap attributes and the UDP + VXLAN header.
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';
import { EINVAL, EOPNOTSUPP, type NegErrno } from '../../../kernel/include/uapi/asm-generic/errno';
import { NL_SET_ERR_MSG_MOD } from '../../../kernel/include/linux/netlink';
import { netdev_printk } from '../../../kernel/include/linux/netdevice';
import {
  flow_rule_match_enc_keyid, flow_rule_match_enc_opts, flow_rule_match_enc_ports, flow_rule_match_key, type FlowClsOffload,
} from '../../../kernel/include/net/flow_offload';
import type { Mlx5FlowSpec } from '../../../kernel/include/linux/mlx5/fs';
import { MLX5_SET } from '../../../kernel/include/linux/mlx5/mlx5_ifc';
import type { Mlx5ePriv } from '../en';
import { MLX5_MATCH_L4 } from './tc_priv';
import { mlx5_vxlan_lookup_port } from '../lib/vxlan';
import { mlx5e_tc_tun_parse_udp_ports, type Mlx5eTcTunnel } from './tc_tun';
import type { Mlx5eEncapEntry } from './tc_tun_encap';

const FILE = 'drivers/net/ethernet/mellanox/mlx5/core/en/tc_tun_vxlan.c';
const MOD = 'mlx5_core';
const VXLAN_HLEN = 16; // sizeof(struct udphdr) + sizeof(struct vxlanhdr)
const IPPROTO_UDP = 17;
/** enum mlx5e_tc_tunnel_type (core/en/tc_tun.h) */
export const MLX5E_TC_TUNNEL_TYPE_VXLAN = 1;
/** MLX5_REFORMAT_TYPE_L2_TO_VXLAN (mlx5_ifc.h) */
export const MLX5_REFORMAT_TYPE_L2_TO_VXLAN = 0x2;

/** mlx5e_tc_tun_can_offload_vxlan: MLX5_CAP_ESW(vxlan_encap_decap). */
function mlx5e_tc_tun_can_offload_vxlan(priv: Mlx5ePriv): boolean {
  return priv.mdev.spec.caps.vxlan_encap_decap ?? true;
}

function mlx5e_tc_tun_calc_hlen_vxlan(_e: Mlx5eEncapEntry): number {
  return VXLAN_HLEN;
}

/** mlx5e_tc_tun_check_udp_dport_vxlan (v6.18): the matched port must be one the device parses as VXLAN. */
const mlx5e_tc_tun_check_udp_dport_vxlan = hop(FILE, function mlx5e_tc_tun_check_udp_dport_vxlan(priv: Mlx5ePriv, f: FlowClsOffload): 0 | NegErrno {
  const rule = f.rule!;
  if (!flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ENC_PORTS')) return -EOPNOTSUPP;
  const m = flow_rule_match_enc_ports(rule)!;
  if (!mlx5_vxlan_lookup_port(priv.mdev, m.key.dst)) {
    NL_SET_ERR_MSG_MOD(f.common.extack, MOD, 'Matched UDP dst port is not registered as a VXLAN port');
    netdev_printk('warn', priv.netdev, `UDP port ${m.key.dst} is not registered as a VXLAN port`);
    return -EOPNOTSUPP;
  }
  return 0;
});

/** mlx5e_tc_tun_parse_udp_ports_vxlan (v6.18) */
function mlx5e_tc_tun_parse_udp_ports_vxlan(priv: Mlx5ePriv, spec: Mlx5FlowSpec, f: FlowClsOffload): 0 | NegErrno {
  const err = mlx5e_tc_tun_check_udp_dport_vxlan(priv, f);
  if (err) return err;
  return mlx5e_tc_tun_parse_udp_ports(priv, spec, f);
}

// include/uapi/linux/if_tunnel.h IP_TUNNEL_VXLAN_OPT_BIT; include/net/vxlan.h VXLAN_GBP_MASK
const IP_TUNNEL_VXLAN_OPT_BIT = 12;
const VXLAN_GBP_MASK = 0x00400000 | 0x00080000 | 0xffff;
const vxlan_gbp_branch = declareBranch(FILE, 'mlx5e_gen_ip_tunnel_header_vxlan', 'VXLAN GBP option');

/**
 * MLX5_CAP_ESW_FT_FIELD_SUPPORT_2(tunnel_header_0_1): matching on the custom
 * tunnel header words of misc_parameters_5. The emulated firmware has no
 * misc_parameters_5 match fields, so the device reports it absent.
 */
function mlx5_cap_tunnel_header_0_1(_priv: Mlx5ePriv): boolean {
  return false;
}

/**
 * mlx5e_tc_tun_parse_vxlan_gbp_option (v6.18): a GBP match needs the custom
 * tunnel header fields, exactly one vxlan option of 32 bits and a mask
 * within VXLAN_GBP_MASK.
 */
const mlx5e_tc_tun_parse_vxlan_gbp_option = hop(FILE, function mlx5e_tc_tun_parse_vxlan_gbp_option(priv: Mlx5ePriv, _spec: Mlx5FlowSpec,
  f: FlowClsOffload): 0 | NegErrno {
  const extack = f.common.extack;
  const m = flow_rule_match_enc_opts(f.rule!);
  if (!m) return 0;
  if (m.mask.data.some((b) => b !== 0) && !mlx5_cap_tunnel_header_0_1(priv)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Matching on VxLAN GBP is not supported');
    return -EOPNOTSUPP;
  }
  if (m.key.dst_opt_type !== IP_TUNNEL_VXLAN_OPT_BIT) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'Wrong VxLAN option type: not GBP');
    return -EOPNOTSUPP;
  }
  if (m.key.len !== 4 || m.mask.len !== 4) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'VxLAN GBP option/mask len is not 32 bits');
    return -EINVAL;
  }
  // the u32 gbp as the kernel stores it (host order, little-endian)
  const gbp_mask = (m.mask.data[0]! | (m.mask.data[1]! << 8) | (m.mask.data[2]! << 16) | (m.mask.data[3]! << 24)) >>> 0;
  if ((gbp_mask & ~VXLAN_GBP_MASK) >>> 0) {
    NL_SET_ERR_MSG_MOD(extack, MOD, `Wrong VxLAN GBP mask(0x${gbp_mask.toString(16).toUpperCase().padStart(8, '0')})`);
    return -EINVAL;
  }
  // Upstream now matches GBP and the VNI in misc_parameters_5.tunnel_header_0/1
  // and skips the misc vxlan_vni match; only an all-zero GBP mask gets here
  // without the cap, and the emulation keeps the VNI in misc vxlan_vni instead.
  return 0;
}, { input: (_p, _s, f) => `dst_opt_type ${flow_rule_match_enc_opts(f.rule!)?.key.dst_opt_type ?? 0}` });

/**
 * mlx5e_tc_tun_parse_vxlan (v6.18): an unmasked key id matches any VNI (and
 * leaves any tunnel option unchecked); otherwise the FDB must be able to
 * match the VNI (misc vxlan_vni), and options must be a GBP match.
 */
const mlx5e_tc_tun_parse_vxlan = hop(FILE, function mlx5e_tc_tun_parse_vxlan(priv: Mlx5ePriv, spec: Mlx5FlowSpec, f: FlowClsOffload): 0 | NegErrno {
  const rule = f.rule!;
  if (!flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ENC_KEYID')) return 0;
  const m = flow_rule_match_enc_keyid(rule)!;
  if (!m.mask.keyid) return 0;
  if (flow_rule_match_key(rule, 'FLOW_DISSECTOR_KEY_ENC_OPTS')) {
    const err = mlx5e_tc_tun_parse_vxlan_gbp_option(priv, spec, f);
    if (err) return err;
  }
  if (!(priv.mdev.spec.caps.outer_vxlan_vni ?? true)) {
    NL_SET_ERR_MSG_MOD(f.common.extack, MOD, 'Matching on VXLAN VNI is not supported');
    netdev_printk('warn', priv.netdev, 'Matching on VXLAN VNI is not supported');
    return -EOPNOTSUPP;
  }
  MLX5_SET(spec.match_criteria, 'misc_parameters.vxlan_vni', m.mask.keyid >>> 0 & 0xffffff);
  MLX5_SET(spec.match_value, 'misc_parameters.vxlan_vni', m.key.keyid >>> 0 & 0xffffff);
  return 0;
});

/** mlx5e_tc_tun_init_encap_attr_vxlan (v6.18): the destination port must be a device VXLAN port. */
const mlx5e_tc_tun_init_encap_attr_vxlan = hop(FILE, function mlx5e_tc_tun_init_encap_attr_vxlan(_tunnel_dev: unknown, priv: Mlx5ePriv, e: Mlx5eEncapEntry,
  extack: FlowClsOffload['common']['extack']): 0 | NegErrno {
  const dst_port = e.tun_info.tp_dst;
  e.tunnel = vxlan_tunnel;
  if (!mlx5_vxlan_lookup_port(priv.mdev, dst_port)) {
    NL_SET_ERR_MSG_MOD(extack, MOD, 'vxlan udp dport was not registered with the HW');
    netdev_printk('warn', priv.netdev, `${dst_port} isn't an offloaded vxlan udp dport`);
    return -EOPNOTSUPP;
  }
  e.reformat_type = MLX5_REFORMAT_TYPE_L2_TO_VXLAN;
  return 0;
});

/** mlx5e_gen_ip_tunnel_header_vxlan (v6.18): UDP (destination port) + VXLAN (I flag, VNI). */
function mlx5e_gen_ip_tunnel_header_vxlan(e: Mlx5eEncapEntry): { ip_proto: number; hdr: Uint8Array } {
  const h = new Uint8Array(VXLAN_HLEN);
  h[2] = e.tun_info.tp_dst >> 8;
  h[3] = e.tun_info.tp_dst & 0xff;
  h[8] = 0x08; // VXLAN_HF_VNI
  const vni = e.tun_info.key_id & 0xffffff;
  h[12] = vni >> 16;
  h[13] = (vni >> 8) & 0xff;
  h[14] = vni & 0xff;
  // IP_TUNNEL_VXLAN_OPT_BIT: include/net/vxlan.h vxlan_build_gbp_hdr — a zero gbp leaves the header alone
  const gbp = e.tun_info.vxlan_opt?.gbp ?? 0;
  if (vxlan_gbp_branch(gbp !== 0)) {
    h[8] |= 0x80; // VXLAN_HF_GBP
    if (gbp & 0x00400000) h[9] |= 0x40; // VXLAN_GBP_DONT_LEARN → dont_learn
    if (gbp & 0x00080000) h[9] |= 0x08; // VXLAN_GBP_POLICY_APPLIED → policy_applied
    h[10] = (gbp >> 8) & 0xff; // policy_id, network order
    h[11] = gbp & 0xff;
  }
  return { ip_proto: IPPROTO_UDP, hdr: h };
}

/** vxlan_tunnel (core/en/tc_tun_vxlan.c) */
export const vxlan_tunnel: Mlx5eTcTunnel = {
  tunnel_type: MLX5E_TC_TUNNEL_TYPE_VXLAN,
  match_level: MLX5_MATCH_L4,
  can_offload: (priv) => mlx5e_tc_tun_can_offload_vxlan(priv),
  calc_hlen: (e) => mlx5e_tc_tun_calc_hlen_vxlan(e),
  init_encap_attr: (dev, priv, e, extack) => mlx5e_tc_tun_init_encap_attr_vxlan(dev, priv, e, extack),
  generate_ip_tun_hdr: (e) => mlx5e_gen_ip_tunnel_header_vxlan(e),
  parse_udp_ports: (priv, spec, f) => mlx5e_tc_tun_parse_udp_ports_vxlan(priv, spec, f),
  parse_tunnel: (priv, spec, f) => mlx5e_tc_tun_parse_vxlan(priv, spec, f),
};
