// ofproto/ofproto-dpif-xlate.c (v3.6.3), reduced: there is no OpenFlow
// pipeline here. Translation looks the packet key up in a table of
// (key/mask -> ODP actions) rules that the owner of the udpif fills.
import { OVS_KEY_ATTR_ENCAP, OVS_KEY_ATTR_TUNNEL } from '../../kernel/include/uapi/linux/openvswitch';
import type { FlowTnl } from '../lib/match';
import { odp_tun_key_from_attr } from '../lib/odp-util';
import type { NlAttr } from '../../netlink/attr';
import { nl_attrs } from '../../netlink/msgbuf';
import { hop } from '../../trace/hop';

/** One translation rule: packets matching key/mask get these actions. */
export interface XlateEntry {
  key: Uint8Array;
  mask: Uint8Array;
  actions: Uint8Array;
}

function attr_map(bytes: Uint8Array): Map<number, NlAttr> {
  return new Map((nl_attrs(bytes) ?? []).map((a) => [a.type, a] as const));
}

/** Packet tunnel metadata against an entry's tunnel key/mask, field by field. */
function tnl_matches(have: Uint8Array, want: Uint8Array, mask: Uint8Array): boolean {
  const h = odp_tun_key_from_attr(have, false);
  const w = odp_tun_key_from_attr(want, false);
  const m = odp_tun_key_from_attr(mask, true);
  if (!h || !w || !m) return false;
  return (Object.keys(m) as (keyof FlowTnl)[]).every((f) => {
    if (f === 'tun_id') return (h.tun_id & m.tun_id) === (w.tun_id & m.tun_id);
    return ((h[f] as number) & (m[f] as number)) === ((w[f] as number) & (m[f] as number));
  });
}

/** Does `key` (a full packet key) match entry key/mask, attribute by attribute? */
function xlate_matches(key: Uint8Array, e: XlateEntry): boolean {
  const k = attr_map(key);
  const ek = attr_map(e.key);
  for (const [type, m] of attr_map(e.mask)) {
    const have = k.get(type);
    const want = ek.get(type);
    if (type === OVS_KEY_ATTR_ENCAP) {
      if (!have || !want || !xlate_matches(have.payload, { key: want.payload, mask: m.payload, actions: e.actions })) return false;
      continue;
    }
    if (type === OVS_KEY_ATTR_TUNNEL) {
      // A nested key: the datapath may order or size its attributes
      // differently, so compare the decoded fields under the mask.
      if (!have || !want || !tnl_matches(have.payload, want.payload, m.payload)) return false;
      continue;
    }
    if (m.payload.every((b) => b === 0)) continue;
    if (!have || !want || have.payload.byteLength !== m.payload.byteLength) return false;
    for (let i = 0; i < m.payload.byteLength; i++) {
      if ((have.payload[i]! & m.payload[i]!) !== (want.payload[i]! & m.payload[i]!)) return false;
    }
  }
  return true;
}

/**
 * xlate_actions: the first rule whose key/mask matches the packet key
 * stands for the OpenFlow tables' verdict; undefined means no rule (the
 * caller drops, as a table miss without a controller would).
 */
export const xlate_actions = hop('ofproto/ofproto-dpif-xlate.c', function xlate_actions(
  table: readonly XlateEntry[], key: Uint8Array,
): XlateEntry | undefined {
  return table.find((x) => xlate_matches(key, x));
}, { input: (t) => `${t.length} rules`, result: (e) => (e ? 'rule matched' : 'no rule: drop') });
