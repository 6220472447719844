// drivers/net/vxlan/vxlan_core.c: a VXLAN tunnel device. It has no
// ndo_setup_tc (tunnel decap offload goes through indirect blocks, which are
// not modelled), so a tc block it joins counts it in nooffloaddevcnt.
import type { Net } from '../../../include/net/net_namespace';
import { net_generic } from '../../../include/net/net_namespace';
import type { NetlinkExtAck } from '../../../include/linux/netlink';
import { NL_SET_ERR_MSG, NL_SET_ERR_MSG_ATTR } from '../../../include/linux/netlink';
import type { RtnlLinkOps } from '../../../include/net/rtnetlink';
import { EEXIST, ERANGE, type NegErrno } from '../../../include/uapi/asm-generic/errno';
import {
  IFLA_VXLAN_COLLECT_METADATA, IFLA_VXLAN_GROUP, IFLA_VXLAN_LEARNING, IFLA_VXLAN_LOCAL, IFLA_VXLAN_MAX, IFLA_VXLAN_PORT,
  IFLA_VXLAN_TOS, IFLA_VXLAN_TTL, IFLA_VXLAN_ID,
} from '../../../include/uapi/linux/if_link';
import { nla_get_be16, nla_get_be32, nla_get_u32, nla_get_u8, type NlAttr } from '../../../../netlink/attr';
import { NLA_U16, NLA_U32, NLA_U8, nla_parse_nested_deprecated, type NlaPolicy } from '../../../lib/nlattr';
import { register_netdevice } from '../../../net/core/dev';
import { rtnl_link_register } from '../../../net/core/rtnetlink';
import { dev_alloc_name, soft_netdev } from '../dummy';
import { hop } from '../../../../trace/hop';
import { declareBranch } from '../../../../trace/branch';

// include/net/vxlan.h
const VXLAN_N_VID = 1 << 24;
/** The kernel's default destination port (IANA's is 4789; iproute2 warns). */
const IANA_VXLAN_UDP_PORT_LINUX_DEFAULT = 8472;

// Decisions counted by the hop coverage report.
const vxlan_dup_branch = declareBranch('drivers/net/vxlan/vxlan_core.c', 'vxlan_newlink', 'VNI and port in use');

/** struct vxlan_config, the parts a user sets with ip link. */
export interface VxlanConfig {
  vni: number;
  dst_port: number;
  collect_metadata: boolean;
  learning: boolean;
  saddr: number;
  remote_ip: number;
  ttl: number;
  tos: number;
}

// vxlan_core.c vxlan_policy (v6.18), the entries modelled
const vxlan_policy: NlaPolicy = {
  [IFLA_VXLAN_ID]: { type: NLA_U32 },
  [IFLA_VXLAN_GROUP]: { len: 4 },
  [IFLA_VXLAN_LOCAL]: { len: 4 },
  [IFLA_VXLAN_TTL]: { type: NLA_U8 },
  [IFLA_VXLAN_TOS]: { type: NLA_U8 },
  [IFLA_VXLAN_LEARNING]: { type: NLA_U8 },
  [IFLA_VXLAN_PORT]: { type: NLA_U16 },
  [IFLA_VXLAN_COLLECT_METADATA]: { type: NLA_U8 },
};

/** struct vxlan_net: the VXLAN devices of a namespace. */
function vxlan_net(net: Net): { vxlan_list: Array<{ name: string; cfg: VxlanConfig }> } {
  return net_generic(net, 'vxlan', () => ({ vxlan_list: [] as Array<{ name: string; cfg: VxlanConfig }> }));
}

/**
 * vxlan_newlink (v6.18): vxlan_validate (VNI range), vxlan_nl2conf, then
 * vxlan_config_validate (no two devices on the same VNI and port).
 */
export const vxlan_newlink = hop('drivers/net/vxlan/vxlan_core.c', function vxlan_newlink(net: Net, ifname: string,
  data: NlAttr | undefined, extack: NetlinkExtAck): 0 | NegErrno {
  const cfg: VxlanConfig = {
    vni: 0, dst_port: IANA_VXLAN_UDP_PORT_LINUX_DEFAULT, collect_metadata: false, learning: true, saddr: 0, remote_ip: 0, ttl: 0, tos: 0,
  };
  if (data) {
    const { err, tb } = nla_parse_nested_deprecated(IFLA_VXLAN_MAX, data, vxlan_policy, extack);
    if (err < 0) return err;
    if (tb[IFLA_VXLAN_ID]) {
      const id = nla_get_u32(tb[IFLA_VXLAN_ID]!);
      // vxlan_validate
      if (id >= VXLAN_N_VID) {
        NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_VXLAN_ID]!.offset, 'VXLAN ID must be lower than 16777216');
        return -ERANGE;
      }
      cfg.vni = id;
    }
    if (tb[IFLA_VXLAN_PORT]) cfg.dst_port = nla_get_be16(tb[IFLA_VXLAN_PORT]!);
    if (tb[IFLA_VXLAN_COLLECT_METADATA]) cfg.collect_metadata = nla_get_u8(tb[IFLA_VXLAN_COLLECT_METADATA]!) !== 0;
    if (tb[IFLA_VXLAN_LEARNING]) cfg.learning = nla_get_u8(tb[IFLA_VXLAN_LEARNING]!) !== 0;
    if (tb[IFLA_VXLAN_LOCAL]) cfg.saddr = nla_get_be32(tb[IFLA_VXLAN_LOCAL]!);
    if (tb[IFLA_VXLAN_GROUP]) cfg.remote_ip = nla_get_be32(tb[IFLA_VXLAN_GROUP]!);
    if (tb[IFLA_VXLAN_TTL]) cfg.ttl = nla_get_u8(tb[IFLA_VXLAN_TTL]!);
    if (tb[IFLA_VXLAN_TOS]) cfg.tos = nla_get_u8(tb[IFLA_VXLAN_TOS]!);
  }
  const vn = vxlan_net(net);
  // vxlan_config_validate: one device per (VNI, destination port, receive flags)
  if (vxlan_dup_branch(vn.vxlan_list.some((v) => v.cfg.vni === cfg.vni && v.cfg.dst_port === cfg.dst_port && v.cfg.collect_metadata === cfg.collect_metadata))) {
    NL_SET_ERR_MSG(extack, 'A VXLAN device with the specified VNI already exists');
    return -EEXIST;
  }
  const name = ifname || dev_alloc_name(net, 'vxlan%d');
  if (net.dev_by_name.has(name)) return -EEXIST;
  const dev = soft_netdev(net, name, 'vxlan');
  dev.priv = cfg;
  const err = register_netdevice(net, dev);
  if (err) return err;
  vn.vxlan_list.push({ name, cfg });
  return 0;
}, { input: (_n, ifname) => ifname });

export const vxlan_link_ops = { kind: 'vxlan', newlink: vxlan_newlink } satisfies RtnlLinkOps;

/** vxlan_init_module(): the kind becomes available on this host. */
export function vxlan_init_module(net: Net): 0 | NegErrno {
  return rtnl_link_register(net, vxlan_link_ops);
}
