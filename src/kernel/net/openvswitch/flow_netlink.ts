// net/openvswitch/flow_netlink.c (v6.18): how the kernel writes a flow's key
// and mask back to user space. The datapath keeps the attribute bytes it was
// given; ovs_nla_put_key / ovs_nla_put_mask re-emit them the way
// __ovs_nla_put_key does from struct sw_flow_key: the metadata attributes
// always and in fixed order, the packet attributes after them.
import * as O from '../../include/uapi/linux/openvswitch';
import type { Net } from '../../include/net/net_namespace';
import { EINVAL, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NLA_F_NESTED, StructReader, nla_walk, type NlAttr } from '../../../netlink/attr';
import { NlAttrBuf } from '../../../netlink/msgbuf';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const OVS_TUNNEL_KEY_ATTR_MAX = O.OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE;
const OVS_ATTR_NESTED = -1;
const OVS_ATTR_VARIABLE = -2;

// net/openvswitch/flow_netlink.c ovs_tunnel_key_lens (v6.18)
const ovs_tunnel_key_lens: Readonly<Record<number, number>> = {
  [O.OVS_TUNNEL_KEY_ATTR_ID]: 8,
  [O.OVS_TUNNEL_KEY_ATTR_IPV4_SRC]: 4,
  [O.OVS_TUNNEL_KEY_ATTR_IPV4_DST]: 4,
  [O.OVS_TUNNEL_KEY_ATTR_TOS]: 1,
  [O.OVS_TUNNEL_KEY_ATTR_TTL]: 1,
  [O.OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT]: 0,
  [O.OVS_TUNNEL_KEY_ATTR_CSUM]: 0,
  [O.OVS_TUNNEL_KEY_ATTR_TP_SRC]: 2,
  [O.OVS_TUNNEL_KEY_ATTR_TP_DST]: 2,
  [O.OVS_TUNNEL_KEY_ATTR_OAM]: 0,
  [O.OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS]: OVS_ATTR_VARIABLE,
  [O.OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS]: OVS_ATTR_NESTED,
  [O.OVS_TUNNEL_KEY_ATTR_IPV6_SRC]: 16,
  [O.OVS_TUNNEL_KEY_ATTR_IPV6_DST]: 16,
  [O.OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS]: OVS_ATTR_VARIABLE,
  [O.OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE]: 0,
};

/** OVS_NLERR: the datapath's rate-limited log line. */
function OVS_NLERR(net: Net, msg: string): void {
  net.printk('info', `openvswitch: ${msg}`);
}

/** check_attr_len */
function check_attr_len(actual: number, expected: number): boolean {
  return expected === OVS_ATTR_NESTED || expected === OVS_ATTR_VARIABLE || actual === expected;
}

/** The parts of struct ip_tunnel_key a user can set, as parsed. */
interface IpTunnelKey {
  /** The attributes in the order __ip_tun_to_nlattr writes them back. */
  attrs: Map<number, Uint8Array>;
  ipv4: boolean;
  ipv6: boolean;
}

const tun_mixed = declareBranch('net/openvswitch/flow_netlink.c', 'ip_tun_from_nlattr', 'mixed IPv4 and IPv6');
const tun_no_dst = declareBranch('net/openvswitch/flow_netlink.c', 'ip_tun_from_nlattr', 'no dst address');
const tun_no_ttl = declareBranch('net/openvswitch/flow_netlink.c', 'ip_tun_from_nlattr', 'no TTL');

/**
 * ip_tun_from_nlattr (v6.18): each tunnel attribute in range and of its
 * length; one options block at most; for a key (not a mask) an address
 * family, a non-zero destination and a TTL. Returns the options type (0
 * when none) or a negative errno with the OVS_NLERR line upstream logs.
 */
export const ip_tun_from_nlattr = hop('net/openvswitch/flow_netlink.c', function ip_tun_from_nlattr(
  net: Net, attr: NlAttr, is_mask: boolean, out?: IpTunnelKey,
): number {
  let ttl = false;
  let ipv4 = false;
  let ipv6 = false;
  let info_bridge_mode = false;
  let opts_type = 0;
  let dst4 = 0;
  let dst6_zero = true;
  const w = nla_walk(attr.payload);
  const key = out ?? { attrs: new Map<number, Uint8Array>(), ipv4: false, ipv6: false };
  for (const a of w.attrs) {
    const type = a.type;
    if (type > OVS_TUNNEL_KEY_ATTR_MAX) {
      OVS_NLERR(net, `Tunnel attr ${type} out of range max ${OVS_TUNNEL_KEY_ATTR_MAX}`);
      return -EINVAL;
    }
    const want = ovs_tunnel_key_lens[type] ?? 0;
    if (!check_attr_len(a.payload.byteLength, want)) {
      OVS_NLERR(net, `Tunnel attr ${type} has unexpected len ${a.payload.byteLength} expected ${want}`);
      return -EINVAL;
    }
    switch (type) {
      case O.OVS_TUNNEL_KEY_ATTR_IPV4_SRC: ipv4 = true; break;
      case O.OVS_TUNNEL_KEY_ATTR_IPV4_DST: ipv4 = true; dst4 = new StructReader(a.payload).be32(0); break;
      case O.OVS_TUNNEL_KEY_ATTR_IPV6_SRC: ipv6 = true; break;
      case O.OVS_TUNNEL_KEY_ATTR_IPV6_DST: ipv6 = true; dst6_zero = a.payload.every((b) => b === 0); break;
      case O.OVS_TUNNEL_KEY_ATTR_TTL: ttl = true; break;
      case O.OVS_TUNNEL_KEY_ATTR_ID: case O.OVS_TUNNEL_KEY_ATTR_TOS: case O.OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
      case O.OVS_TUNNEL_KEY_ATTR_CSUM: case O.OVS_TUNNEL_KEY_ATTR_TP_SRC: case O.OVS_TUNNEL_KEY_ATTR_TP_DST:
      case O.OVS_TUNNEL_KEY_ATTR_OAM: case O.OVS_TUNNEL_KEY_ATTR_PAD:
        break;
      case O.OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
      case O.OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
      case O.OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS:
        if (opts_type) {
          OVS_NLERR(net, 'Multiple metadata blocks provided');
          return -EINVAL;
        }
        // The option contents (genev_tun_opt_from_nlattr & co.) are kept as given.
        opts_type = type;
        break;
      case O.OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE: info_bridge_mode = true; ipv4 = true; break;
      default:
        OVS_NLERR(net, `Unknown IP tunnel attribute ${type}`);
        return -EINVAL;
    }
    if (type !== O.OVS_TUNNEL_KEY_ATTR_PAD) key.attrs.set(type, a.payload.slice());
  }
  if (!w.ok) {
    OVS_NLERR(net, `IP tunnel attribute has ${attr.payload.byteLength - w.offset} unknown bytes.`);
    return -EINVAL;
  }
  if (tun_mixed(ipv4 && ipv6)) {
    OVS_NLERR(net, 'Mixed IPv4 and IPv6 tunnel attributes');
    return -EINVAL;
  }
  if (!is_mask) {
    if (tun_no_dst(!ipv4 && !ipv6)) {
      OVS_NLERR(net, 'IP tunnel dst address not specified');
      return -EINVAL;
    }
    if (ipv4) {
      if (info_bridge_mode) {
        const set = [...key.attrs.keys()].filter((t) => t !== O.OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE && t !== O.OVS_TUNNEL_KEY_ATTR_ID);
        if (set.some((t) => key.attrs.get(t)!.some((b) => b !== 0) || ovs_tunnel_key_lens[t] === 0)) {
          OVS_NLERR(net, 'IPv4 tun info is not correct');
          return -EINVAL;
        }
      } else if (!dst4) {
        OVS_NLERR(net, 'IPv4 tunnel dst address is zero');
        return -EINVAL;
      }
    }
    if (ipv6 && dst6_zero) {
      OVS_NLERR(net, 'IPv6 tunnel dst address is zero');
      return -EINVAL;
    }
    if (tun_no_ttl(!ttl && !info_bridge_mode)) {
      OVS_NLERR(net, 'IP tunnel TTL not specified.');
      return -EINVAL;
    }
  }
  key.ipv4 = ipv4;
  key.ipv6 = ipv6;
  return opts_type;
}, { input: (_n, attr, is_mask) => `${is_mask ? 'mask' : 'key'} len=${attr.payload.byteLength}`, errno: (r) => (r < 0 ? r : 0) });

/**
 * __ip_tun_to_nlattr (v6.18): id (when keyed), addresses and tos when
 * non-zero, ttl always, the flags, ports when non-zero, then options.
 */
function ip_tun_to_nlattr(out: NlAttrBuf, t: IpTunnelKey): void {
  const nz = (b: Uint8Array | undefined): b is Uint8Array => !!b && b.some((x) => x !== 0);
  const put = (type: number, always = false): void => {
    const v = t.attrs.get(type);
    if (v && (always || nz(v))) out.attr(type, v);
  };
  const flag = (type: number): void => { if (t.attrs.has(type)) out.attr(type, new Uint8Array(0)); };
  if (t.attrs.has(O.OVS_TUNNEL_KEY_ATTR_ID)) out.attr(O.OVS_TUNNEL_KEY_ATTR_ID, t.attrs.get(O.OVS_TUNNEL_KEY_ATTR_ID)!);
  if (t.attrs.has(O.OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE)) { flag(O.OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE); return; }
  if (t.ipv6) { put(O.OVS_TUNNEL_KEY_ATTR_IPV6_SRC); put(O.OVS_TUNNEL_KEY_ATTR_IPV6_DST); }
  else { put(O.OVS_TUNNEL_KEY_ATTR_IPV4_SRC); put(O.OVS_TUNNEL_KEY_ATTR_IPV4_DST); }
  put(O.OVS_TUNNEL_KEY_ATTR_TOS);
  out.attr(O.OVS_TUNNEL_KEY_ATTR_TTL, t.attrs.get(O.OVS_TUNNEL_KEY_ATTR_TTL) ?? new Uint8Array(1));
  flag(O.OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
  flag(O.OVS_TUNNEL_KEY_ATTR_CSUM);
  put(O.OVS_TUNNEL_KEY_ATTR_TP_SRC);
  put(O.OVS_TUNNEL_KEY_ATTR_TP_DST);
  flag(O.OVS_TUNNEL_KEY_ATTR_OAM);
  for (const o of [O.OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, O.OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS, O.OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS]) {
    const v = t.attrs.get(o);
    if (v && v.byteLength) out.attr(o | (o === O.OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS ? NLA_F_NESTED : 0), v);
  }
}

/**
 * ovs_nla_get_match, the tunnel part (v6.18): the key's and the mask's
 * OVS_KEY_ATTR_TUNNEL go through ip_tun_from_nlattr. Other key attributes
 * are kept as given.
 */
export function ovs_nla_get_match_tunnel(net: Net, key: Uint8Array, mask: Uint8Array | null): 0 | NegErrno {
  for (const [bytes, is_mask] of [[key, false], [mask, true]] as const) {
    if (!bytes) continue;
    const t = attrs(bytes).find((a) => a.type === O.OVS_KEY_ATTR_TUNNEL);
    if (!t) continue;
    const r = ip_tun_from_nlattr(net, t, is_mask);
    if (r < 0) return r as NegErrno;
  }
  return 0;
}

/** The metadata __ovs_nla_put_key always writes, in its order, with their sizes. */
const METADATA: readonly [number, number][] = [
  [O.OVS_KEY_ATTR_RECIRC_ID, 4],
  [O.OVS_KEY_ATTR_DP_HASH, 4],
  [O.OVS_KEY_ATTR_PRIORITY, 4],
  [O.OVS_KEY_ATTR_IN_PORT, 4],
  [O.OVS_KEY_ATTR_SKB_MARK, 4],
  [O.OVS_KEY_ATTR_CT_STATE, 4],
  [O.OVS_KEY_ATTR_CT_ZONE, 2],
  [O.OVS_KEY_ATTR_CT_MARK, 4],
  [O.OVS_KEY_ATTR_CT_LABELS, 16],
];

function attrs(bytes: Uint8Array): NlAttr[] {
  const w = nla_walk(bytes);
  return w.ok ? w.attrs : [];
}

/** A mask attribute of all zeros shaped like `a` (nested ones recursively). */
function zero_like(out: NlAttrBuf, a: NlAttr): void {
  if (a.type === O.OVS_KEY_ATTR_ENCAP) {
    const inner = new NlAttrBuf();
    for (const x of attrs(a.payload)) zero_like(inner, x);
    out.attr(a.type | NLA_F_NESTED, inner.bytes());
  } else {
    out.attr(a.type, new Uint8Array(a.payload.byteLength));
  }
}

/**
 * __ovs_nla_put_key for the key (is_mask false) or the mask. in_port is
 * written only when the key has one (else the kernel's DP_MAX_PORTS means
 * "none"); PACKET_TYPE never is (the kernel infers it from ETHERNET).
 */
function ovs_nla_put(key: Uint8Array, mask: Uint8Array | null, is_mask: boolean): Uint8Array {
  const k = attrs(key);
  const m = mask ? attrs(mask) : [];
  const src = is_mask ? m : k;
  const out = new NlAttrBuf();
  const meta = new Set(METADATA.map(([t]) => t));
  for (const [type, size] of METADATA) {
    const have = src.find((a) => a.type === type);
    if (type === O.OVS_KEY_ATTR_IN_PORT) {
      // __ovs_nla_put_key: the tunnel (when the flow has one) sits between priority and in_port.
      const tun = src.find((a) => a.type === O.OVS_KEY_ATTR_TUNNEL);
      if (tun && k.some((a) => a.type === O.OVS_KEY_ATTR_TUNNEL)) {
        const t: IpTunnelKey = { attrs: new Map(), ipv4: false, ipv6: false };
        for (const a of attrs(tun.payload)) t.attrs.set(a.type, a.payload);
        t.ipv6 = t.attrs.has(O.OVS_TUNNEL_KEY_ATTR_IPV6_DST) || t.attrs.has(O.OVS_TUNNEL_KEY_ATTR_IPV6_SRC);
        const nest = new NlAttrBuf();
        ip_tun_to_nlattr(nest, t);
        out.attr(O.OVS_KEY_ATTR_TUNNEL | NLA_F_NESTED, nest.bytes());
      }
    }
    if (type === O.OVS_KEY_ATTR_IN_PORT && !k.some((a) => a.type === type)) continue;
    out.attr(type, have && have.payload.byteLength === size ? have.payload : new Uint8Array(size));
  }
  for (const a of k) {
    if (meta.has(a.type) || a.type === O.OVS_KEY_ATTR_PACKET_TYPE || a.type === O.OVS_KEY_ATTR_TUNNEL) continue;
    if (!is_mask) {
      out.attr(a.type | (a.nested ? NLA_F_NESTED : 0), a.payload);
      continue;
    }
    const ma = m.find((x) => x.type === a.type);
    if (ma) out.attr(ma.type | (ma.nested ? NLA_F_NESTED : 0), ma.payload);
    else zero_like(out, a);
  }
  return out.bytes();
}

/** ovs_nla_put_key: OVS_FLOW_ATTR_KEY's payload. */
export function ovs_nla_put_key(key: Uint8Array): Uint8Array {
  return ovs_nla_put(key, null, false);
}

/** ovs_nla_put_mask: OVS_FLOW_ATTR_MASK's payload. */
export function ovs_nla_put_mask(key: Uint8Array, mask: Uint8Array): Uint8Array {
  return ovs_nla_put(key, mask, true);
}

/**
 * The mask of a flow put without OVS_FLOW_ATTR_MASK: an exact match
 * (ovs_nla_get_match's sw_flow_mask_set(..., 0xff)) over the key given.
 */
export function ovs_exact_mask(key: Uint8Array): Uint8Array {
  const out = new NlAttrBuf();
  for (const a of attrs(key)) {
    if (a.type === O.OVS_KEY_ATTR_ENCAP) out.attr(a.type | NLA_F_NESTED, ovs_exact_mask(a.payload));
    else out.attr(a.type, new Uint8Array(a.payload.byteLength).fill(0xff));
  }
  return out.bytes();
}
