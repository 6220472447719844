import { describe, expect, it } from 'vitest';
import { toHex } from '../../netlink/nlmsg';
import {
  format_odp_actions, odp_actions_from_string, odp_flow_format, odp_flow_from_string, odp_flow_key_from_flow, odp_flow_key_from_mask,
  odp_flow_key_to_flow,
} from './odp-util';
import { FLOW_TNL_F_DONT_FRAGMENT, FLOW_TNL_F_KEY, match_init_catchall } from './match';

function parse(text: string): { key: Uint8Array; mask: Uint8Array } {
  const r = odp_flow_from_string(text);
  if ('error' in r) throw new Error(`odp_flow_from_string(${text}): got "${r.error}", want a key`);
  return r;
}

function actions(text: string): Uint8Array {
  const r = odp_actions_from_string(text);
  if ('error' in r) throw new Error(`odp_actions_from_string(${text}): got errno ${r.error}, want actions`);
  return r.actions;
}

describe('tunnel(...) keys (lib/odp-util.c)', () => {
  it('nests each field as an OVS_TUNNEL_KEY_ATTR_* in key and mask', () => {
    const r = parse('tunnel(tun_id=0x2a,dst=10.0.0.1,ttl=64)');
    // OVS_KEY_ATTR_TUNNEL(16) { ID(0) be64 0x2a, IPV4_DST(2) 10.0.0.1, TTL(4) 64 }
    expect(toHex(r.key)).toBe('20001000' + '0c000000000000000000002a' + '080002000a000001' + '0500040040000000');
    expect(toHex(r.mask)).toBe('20001000' + '0c000000ffffffffffffffff' + '08000200ffffffff' + '05000400ff000000');
  });

  it.each([
    ['flags(df|key) masks every flag', 'tunnel(tun_id=0x2a,dst=10.0.0.1,ttl=64,flags(df|key))', 'tunnel(tun_id=0x2a,dst=10.0.0.1,ttl=64,flags(df|key))'],
    ['flags(+key) masks only the key bit', 'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,ttl=64/0,tp_dst=4789,flags(+key))',
      'tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,tp_dst=4789,flags(+key))'],
    ['-df+csum names the masked flags', 'tunnel(tun_id=0x2a,dst=10.0.0.1,ttl=64,flags(-df+csum+key))',
      'tunnel(tun_id=0x2a,dst=10.0.0.1,ttl=64,flags(-df+csum+key))'],
    ['a partial mask is printed', 'tunnel(tun_id=0x2a/0xff,dst=10.0.0.0/255.0.0.0,ttl=64,tp_dst=4789/0xff00)',
      'tunnel(tun_id=0x2a/0xff,dst=10.0.0.0/255.0.0.0,ttl=64,tp_dst=4789/0xff00,flags(+key))'],
  ])('%s', (_name, text, want) => {
    const r = parse(text);
    expect(odp_flow_format(r.key, r.mask, undefined, false)).toBe(want);
  });

  it.each([
    ['an unknown field', 'tunnel(tun_id=1,vni=5)'],
    ['an unknown flag', 'tunnel(dst=1.1.1.1,flags(foo))'],
    ['a missing close', 'tunnel(dst=1.1.1.1'],
  ])('%s is a syntax error', (_name, text) => {
    const r = odp_flow_from_string(text);
    expect('error' in r ? r.error : 'no error').toBe(`syntax error at ${text}`);
  });

  it('a key without ttl does not fit (odp_tun_key_from_attr)', () => {
    expect(odp_flow_key_to_flow(parse('tunnel(tun_id=0x2a,dst=10.0.0.1)').key).fitness).toBe('error');
    const ok = odp_flow_key_to_flow(parse('tunnel(tun_id=0x2a,dst=10.0.0.1,ttl=64,flags(df|key))').key);
    expect(ok.fitness).toBe('perfect');
    expect(ok.flow.tunnel).toEqual({ tun_id: 0x2an, ip_src: 0, ip_dst: 0x0a000001, ip_tos: 0, ip_ttl: 64, tp_src: 0, tp_dst: 0, flags: FLOW_TNL_F_KEY | FLOW_TNL_F_DONT_FRAGMENT });
  });

  it('odp_flow_key_from_flow puts the tunnel before in_port, and odp_flow_format reads it back', () => {
    const m = match_init_catchall();
    m.flow.tunnel = { tun_id: 42n, ip_src: 0x0a000002, ip_dst: 0x0a000001, ip_tos: 0, ip_ttl: 64, tp_src: 0, tp_dst: 4789, flags: FLOW_TNL_F_KEY };
    m.wc.masks.tunnel = { tun_id: 0xffffffffffffffffn, ip_src: 0xffffffff, ip_dst: 0xffffffff, ip_tos: 0, ip_ttl: 0, tp_src: 0, tp_dst: 0xffff, flags: FLOW_TNL_F_KEY };
    m.flow.in_port = 4; m.wc.masks.in_port = 0xffffffff;
    const support = { recirc: true, ct_state: false, ct_zone: false, ct_mark: false, ct_label: false, max_vlan_headers: 1 };
    const key = odp_flow_key_from_flow({ flow: m.flow, mask: m.wc.masks, support });
    const mask = odp_flow_key_from_mask({ flow: m.flow, mask: m.wc.masks, support });
    expect(odp_flow_format(key, mask, new Map([[4, 'vxlan_sys_4789']]), false))
      .toContain('tunnel(tun_id=0x2a,src=10.0.0.2,dst=10.0.0.1,tp_dst=4789,flags(+key)),in_port(vxlan_sys_4789)');
  });
});

describe('set(tunnel(...)) actions (lib/odp-util.c)', () => {
  it.each([
    ['flags make the mask longer: a plain set', 'set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_dst=4789,flags(df|key))),4', '0300'],
    ['no flags: same size, not all-ones: set_masked', 'set(tunnel(tun_id=0x2a,dst=10.0.0.2,ttl=64)),4', '0b00'],
  ])('%s', (_name, text, type) => {
    const a = actions(text);
    // OVS_ACTION_ATTR_SET = 3, OVS_ACTION_ATTR_SET_MASKED = 11: the nla_type after nla_len.
    expect(toHex(a.subarray(2, 4))).toBe(type);
  });

  it('formats the set fields as given', () => {
    expect(format_odp_actions(actions('set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_dst=4789,flags(df|key))),4')))
      .toBe('set(tunnel(tun_id=0x2a,src=10.0.0.1,dst=10.0.0.2,ttl=64,tp_dst=4789,flags(df|key))),4');
  });
});
