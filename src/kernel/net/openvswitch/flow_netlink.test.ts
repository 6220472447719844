import { describe, expect, it } from 'vitest';
import * as O from '../../include/uapi/linux/openvswitch';
import { nla_walk } from '../../../netlink/attr';
import { NlAttrBuf } from '../../../netlink/msgbuf';
import { ovs_exact_mask, ovs_nla_put_key, ovs_nla_put_mask } from './flow_netlink';

const types = (b: Uint8Array): number[] => {
  const w = nla_walk(b);
  return w.ok ? w.attrs.map((a) => a.type) : [];
};

// in_port(2),eth(...),eth_type(0x0800),ipv4(frag=no) as dpctl sends it (mask: in_port, eth, eth_type, ipv4.frag).
const KEY = new NlAttrBuf().u32(O.OVS_KEY_ATTR_IN_PORT, 2).attr(O.OVS_KEY_ATTR_ETHERNET, new Uint8Array(12))
  .be16(O.OVS_KEY_ATTR_ETHERTYPE, 0x0800).attr(O.OVS_KEY_ATTR_IPV4, new Uint8Array(12)).bytes();
const MASK = new NlAttrBuf().u32(O.OVS_KEY_ATTR_IN_PORT, 0xffffffff).attr(O.OVS_KEY_ATTR_ETHERNET, new Uint8Array(12).fill(0xff))
  .be16(O.OVS_KEY_ATTR_ETHERTYPE, 0xffff).attr(O.OVS_KEY_ATTR_IPV4, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff])).bytes();

describe('ovs_nla_put_key / ovs_nla_put_mask (net/openvswitch/flow_netlink.c)', () => {
  const META = [O.OVS_KEY_ATTR_RECIRC_ID, O.OVS_KEY_ATTR_DP_HASH, O.OVS_KEY_ATTR_PRIORITY, O.OVS_KEY_ATTR_IN_PORT, O.OVS_KEY_ATTR_SKB_MARK,
    O.OVS_KEY_ATTR_CT_STATE, O.OVS_KEY_ATTR_CT_ZONE, O.OVS_KEY_ATTR_CT_MARK, O.OVS_KEY_ATTR_CT_LABELS];
  const PKT = [O.OVS_KEY_ATTR_ETHERNET, O.OVS_KEY_ATTR_ETHERTYPE, O.OVS_KEY_ATTR_IPV4];

  it('writes the metadata always, in __ovs_nla_put_key order, then the packet attributes', () => {
    expect(types(ovs_nla_put_key(KEY))).toEqual([...META, ...PKT]);
    expect(types(ovs_nla_put_mask(KEY, MASK))).toEqual([...META, ...PKT]);
  });

  it('metadata the user did not mask is wildcarded (all-zero mask)', () => {
    const w = nla_walk(ovs_nla_put_mask(KEY, MASK));
    const recirc = w.ok ? w.attrs.find((a) => a.type === O.OVS_KEY_ATTR_RECIRC_ID) : undefined;
    expect(Array.from(recirc!.payload)).toEqual([0, 0, 0, 0]);
  });

  it('no in_port in the key: none in the output', () => {
    const key = new NlAttrBuf().be16(O.OVS_KEY_ATTR_ETHERTYPE, 0x0800).bytes();
    expect(types(ovs_nla_put_key(key))).not.toContain(O.OVS_KEY_ATTR_IN_PORT);
  });

  it('a flow put without a mask is an exact match over its key', () => {
    const w = nla_walk(ovs_exact_mask(KEY));
    expect(w.ok && w.attrs.every((a) => a.payload.every((b) => b === 0xff))).toBe(true);
  });
});
