import { describe, expect, it } from 'vitest';
import * as O from '../../include/uapi/linux/openvswitch';
import { NLA_F_NESTED, nla_walk, type NlAttr } from '../../../netlink/attr';
import { NlAttrBuf } from '../../../netlink/msgbuf';
import { EINVAL } from '../../include/uapi/asm-generic/errno';
import { net_alloc } from '../core/dev';
import { ip_tun_from_nlattr, ovs_exact_mask, ovs_nla_put_key, ovs_nla_put_mask } from './flow_netlink';

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

describe('ip_tun_from_nlattr (net/openvswitch/flow_netlink.c)', () => {
  const tun = (f: (b: NlAttrBuf) => void): NlAttr => {
    const b = new NlAttrBuf();
    f(b);
    return { type: O.OVS_KEY_ATTR_TUNNEL, nested: true, payload: b.bytes(), offset: 0 } as NlAttr;
  };
  const dst = (b: NlAttrBuf): NlAttrBuf => b.be32(O.OVS_TUNNEL_KEY_ATTR_IPV4_DST, 0x0a000001);
  const ttl = (b: NlAttrBuf): NlAttrBuf => b.u8(O.OVS_TUNNEL_KEY_ATTR_TTL, 64);
  it.each([
    ['a key with a destination and a TTL', false, (b: NlAttrBuf) => ttl(dst(b)), 0, null],
    ['a mask needs neither', true, (b: NlAttrBuf) => b.u8(O.OVS_TUNNEL_KEY_ATTR_TOS, 0xff), 0, null],
    ['no address', false, (b: NlAttrBuf) => ttl(b), -EINVAL, 'IP tunnel dst address not specified'],
    ['a zero IPv4 destination', false, (b: NlAttrBuf) => ttl(b.be32(O.OVS_TUNNEL_KEY_ATTR_IPV4_SRC, 1)), -EINVAL, 'IPv4 tunnel dst address is zero'],
    ['no TTL', false, (b: NlAttrBuf) => dst(b), -EINVAL, 'IP tunnel TTL not specified.'],
    ['IPv4 mixed with IPv6', false, (b: NlAttrBuf) => ttl(dst(b)).attr(O.OVS_TUNNEL_KEY_ATTR_IPV6_DST, new Uint8Array(16).fill(1)), -EINVAL,
      'Mixed IPv4 and IPv6 tunnel attributes'],
    ['a short tunnel id', false, (b: NlAttrBuf) => ttl(dst(b)).u32(O.OVS_TUNNEL_KEY_ATTR_ID, 1), -EINVAL, 'Tunnel attr 0 has unexpected len 4 expected 8'],
    ['an attribute out of range', false, (b: NlAttrBuf) => ttl(dst(b)).u8(17, 0), -EINVAL, 'Tunnel attr 17 out of range max 16'],
    ['two options blocks', false, (b: NlAttrBuf) => ttl(dst(b)).attr(O.OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, new Uint8Array(8))
      .attr(O.OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, new Uint8Array(4)), -EINVAL, 'Multiple metadata blocks provided'],
  ])('%s', (_name, is_mask, build, want, log) => {
    const net = net_alloc();
    const got = ip_tun_from_nlattr(net, tun(build), is_mask);
    // 0 or more is the options type of an accepted nest.
    expect(want === 0 ? got >= 0 : got === want, `ip_tun_from_nlattr(${_name}): got ${got}, want ${want}`).toBe(true);
    if (log) expect(net.kmsg.map((l) => l.text)).toContain(`openvswitch: ${log}`);
  });

  it('the tunnel is written back between priority and in_port, ttl always', () => {
    const key = new NlAttrBuf().u32(O.OVS_KEY_ATTR_PRIORITY, 0)
      .attr(O.OVS_KEY_ATTR_TUNNEL | NLA_F_NESTED, ttl(dst(new NlAttrBuf())).bytes()).u32(O.OVS_KEY_ATTR_IN_PORT, 4).bytes();
    const t = types(ovs_nla_put_key(key));
    expect(t.indexOf(O.OVS_KEY_ATTR_TUNNEL)).toBe(t.indexOf(O.OVS_KEY_ATTR_PRIORITY) + 1);
    expect(t.indexOf(O.OVS_KEY_ATTR_IN_PORT)).toBe(t.indexOf(O.OVS_KEY_ATTR_TUNNEL) + 1);
  });
});
