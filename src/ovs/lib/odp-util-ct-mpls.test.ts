import { describe, expect, it } from 'vitest';
import { toHex } from '../../netlink/nlmsg';
import { format_odp_actions, odp_actions_from_string, odp_flow_format, odp_flow_from_string } from './odp-util';

function actions(text: string, xlate = false): Uint8Array {
  const r = odp_actions_from_string(text, undefined, xlate);
  if ('error' in r) throw new Error(`odp_actions_from_string(${text}): got error ${r.error}, want actions`);
  return r.actions;
}

describe('parse_conntrack_action / format_odp_conntrack_action (lib/odp-util.c)', () => {
  // Text that OVS prints back exactly as it was written.
  it.each([
    'ct',
    'ct(commit)',
    'ct(force_commit)',
    'ct(commit,zone=5)',
    'ct(commit,mark=0x1/0xff)',
    'ct(commit,label=0x1234/0xffff)',
    'ct(commit,helper=ftp)',
    'ct(commit,timeout=t1)',
    'ct(nat)',
    'ct(commit,nat(src=10.0.0.1))',
    'ct(commit,nat(src=10.0.0.1-10.0.0.5:1000-2000))',
    'ct(commit,zone=2,nat(dst=192.168.1.10:8080))',
    'ct(commit,nat(src=10.0.0.1,persistent,random))',
    'ct(commit,nat(dst=fd00::10))',
    'ct(commit,nat(dst=[fd00::10]:80))',
    'ct(commit,nat(dst=[fd00::1]-[fd00::9]:80-90))',
  ])('%s round-trips', (text) => {
    expect(format_odp_actions(actions(`${text},1`))).toBe(`${text},1`);
  });

  it.each([
    ['an exact mark gets its all-ones mask', 'ct(mark=0x2a)', 'ct(mark=0x2a/0xffffffff)'],
    ['a mark without 0x is hex', 'ct(mark=10/f)', 'ct(mark=0x10/0xf)'],
    ['an exact label prints no mask', 'ct(label=0x5)', 'ct(label=0x5)'],
    ['a one-address range prints one address', 'ct(nat(src=1.1.1.1-1.1.1.1))', 'ct(nat(src=1.1.1.1))'],
    ['options in any order print in OVS order', 'ct(zone=3,commit)', 'ct(commit,zone=3)'],
  ])('%s', (_name, text, want) => {
    expect(format_odp_actions(actions(text))).toBe(want);
  });

  it.each([
    ['commit with force_commit', 'ct(commit,force_commit)'],
    ['snat with dnat', 'ct(nat(src=1.1.1.1,dst=2.2.2.2))'],
    ['an inverted address range', 'ct(nat(src=10.0.0.9-10.0.0.1))'],
    ['an inverted port range', 'ct(nat(src=10.0.0.1:20-10))'],
    ['hash with random', 'ct(nat(src=1.1.1.1,hash,random))'],
    ['an unknown word', 'ct(bogus)'],
    ['a helper name of 16 characters', 'ct(helper=abcdefghijklmnop)'],
    ['no closing parenthesis', 'ct(commit'],
  ])('refuses %s with EINVAL', (_name, text) => {
    expect(odp_actions_from_string(text)).toEqual({ error: 22 });
  });

  it('puts commit, zone, mark and NAT as OVS_CT_ATTR_* nests', () => {
    // ct nest (12) { COMMIT, ZONE=5, MARK {1, 0xff}, NAT { SRC, IP_MIN } }
    expect(toHex(actions('ct(commit,zone=5,mark=0x1/0xff,nat(src=10.0.0.1))'))).toBe(
      '2c000c00' + '04000100' + '0600020005000000' + '0c000300' + '01000000' + 'ff000000' + '10000600' + '04000100' + '080003000a000001',
    );
  });
});

describe('MPLS in ODP text (lib/odp-util.c)', () => {
  it.each([
    ['mpls(label=100,tc=0,ttl=64,bos=1)', '0800150000064140', '08001500ffffffff'],
    ['mpls(label=100/0xfffff)', '0800150000064000', '08001500fffff000'],
    ['mpls(ttl=64)', '0800150000000040', '08001500000000ff'],
  ])('key %s', (text, key, mask) => {
    const r = odp_flow_from_string(`eth_type(0x8847),${text}`);
    if ('error' in r) throw new Error(r.error);
    expect(toHex(r.key).slice(16)).toBe(key);
    expect(toHex(r.mask).slice(16)).toBe(mask);
  });

  it.each(['mpls(label=1048576)', 'mpls(tc=8)', 'mpls(bos=2)', 'mpls(ttl=256)', 'mpls(exp=1)'])('refuses the key %s', (text) => {
    expect(odp_flow_from_string(text)).toEqual({ error: `syntax error at ${text}` });
  });

  it('formats an exact LSE plainly and a masked one field by field', () => {
    const exact = odp_flow_from_string('mpls(label=100,tc=0,ttl=64,bos=1)');
    const masked = odp_flow_from_string('mpls(label=100/0xfffff)');
    if ('error' in exact || 'error' in masked) throw new Error('parse');
    expect(odp_flow_format(exact.key, exact.mask, undefined, false)).toBe('mpls(label=100,tc=0,ttl=64,bos=1)');
    expect(odp_flow_format(masked.key, masked.mask, undefined, false)).toBe('mpls(label=100/0xfffff,tc=0/0,ttl=0/0x0,bos=0/0)');
  });

  it('push_mpls and pop_mpls are read only as translation output', () => {
    expect(odp_actions_from_string('push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847)')).toEqual({ error: 22 });
    expect(odp_actions_from_string('pop_mpls(eth_type=0x800)')).toEqual({ error: 22 });
    const a = actions('push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),pop_mpls(eth_type=0x800)', true);
    expect(toHex(a)).toBe('0c000900' + '00064140' + '88470000' + '06000a00' + '08000000');
    expect(format_odp_actions(a)).toBe('push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),pop_mpls(eth_type=0x800)');
  });

  it('add_mpls is parsed from text (unlike push_mpls) and prints back', () => {
    const a = actions('add_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847)');
    expect(toHex(a)).toBe('0c001600' + '00064140' + '88470000');
    expect(format_odp_actions(a)).toBe('add_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847)');
  });

  it('set(mpls(...)) with every field is a plain set', () => {
    const a = actions('set(mpls(label=200,tc=1,ttl=63,bos=1))');
    expect(format_odp_actions(a)).toBe('set(mpls(label=200,tc=1,ttl=63,bos=1))');
  });
});

describe('ND in ODP text (lib/odp-util.c)', () => {
  it('nd(target=...) parses as OVS_KEY_ATTR_ND and prints back with the wildcarded link-layer addresses', () => {
    const r = odp_flow_from_string('eth_type(0x86dd),ipv6(proto=58,frag=no),icmpv6(type=135,code=0),nd(target=fd00::1)');
    if ('error' in r) throw new Error(r.error);
    const text = odp_flow_format(r.key, r.mask, undefined, false);
    expect(text).toContain('nd(target=fd00::1)');
    expect(odp_flow_format(r.key, r.mask, undefined, true)).toContain('nd(target=fd00::1,sll=00:00:00:00:00:00/00:00:00:00:00:00,tll=00:00:00:00:00:00/00:00:00:00:00:00)');
  });
});
