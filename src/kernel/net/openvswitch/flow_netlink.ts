// net/openvswitch/flow_netlink.c (v6.18): how the kernel writes a flow's key
// and mask back to user space. The datapath keeps the attribute bytes it was
// given; ovs_nla_put_key / ovs_nla_put_mask re-emit them the way
// __ovs_nla_put_key does from struct sw_flow_key: the metadata attributes
// always and in fixed order, the packet attributes after them.
import * as O from '../../include/uapi/linux/openvswitch';
import { NLA_F_NESTED, nla_walk, type NlAttr } from '../../../netlink/attr';
import { NlAttrBuf } from '../../../netlink/msgbuf';

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
