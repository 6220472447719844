import { describe, expect, it } from 'vitest';
import { toHex } from '../../netlink/nlmsg';
import { ScriptedKernel } from '../testing/scripted-kernel';
import { OvsProcess } from './ovs-process';
import {
  format_odp_actions, odp_actions_from_string, odp_flow_format, odp_flow_from_string, odp_flow_key_from_flow, odp_flow_key_from_mask,
  odp_flow_key_hash, odp_flow_key_to_flow, odp_format_ufid, odp_ufid_from_string, parse_key_and_mask_to_match, type OdpFlowKeyParms,
} from './odp-util';

function parse(text: string, names?: Map<string, number>): { key: Uint8Array; mask: Uint8Array } {
  const r = odp_flow_from_string(text, names);
  if ('error' in r) throw new Error(`odp_flow_from_string(${text}): got "${r.error}", want a key`);
  return r;
}

describe('odp_flow_from_string (lib/odp-util.c)', () => {
  it.each([
    ['in_port(2)', '0800030002000000', '08000300ffffffff'],
    ['recirc_id(0)', '0800140000000000', '08001400ffffffff'],
    ['skb_mark(0x10/0xf0)', '08000f0010000000', '08000f00f0000000'],
    ['eth_type(0x0800)', '0600060008000000', '06000600ffff0000'],
    ['skb_priority(010)', '0800020008000000', '08000200ffffffff'], // %i: leading 0 is octal
    ['eth(src=02:00:00:00:00:01)', '10000400020000000001000000000000', '10000400ffffffffffff000000000000'],
    ['ipv4(dst=10.0.0.0/255.0.0.0,frag=no)', '10000700' + '00000000' + '0a000000' + '00000000', '10000700' + '00000000' + 'ff000000' + '000000ff'],
    ['tcp(dst=80)', '0800090000000050', '080009000000ffff'],
    ['vlan(vid=10,pcp=3)', '06000500700a0000', '06000500ffff0000'],
  ])('%s', (text, key, mask) => {
    const r = parse(text);
    expect(toHex(r.key)).toBe(key);
    expect(toHex(r.mask)).toBe(mask);
  });

  it('maps port names in in_port()', () => {
    expect(toHex(parse('in_port(enp8s0f0_0)', new Map([['enp8s0f0_0', 2]])).key)).toBe('0800030002000000');
  });

  it('skips a leading ufid', () => {
    expect(toHex(parse('ufid:11111111-2222-3333-4444-555555555555 in_port(1)').key)).toBe('0800030001000000');
  });

  it.each([
    ['in_port(2),bogus(1)', 'syntax error at bogus(1)'],
    ['ipv4(src=1.2.3.4,foo=1)', 'syntax error at ipv4(src=1.2.3.4,foo=1)'],
    ['recirc_id(1/0xff)', 'syntax error at recirc_id(1/0xff)'], // always exact
    ['ipv4(frag=maybe)', 'syntax error at ipv4(frag=maybe)'],
    ['in_port(nosuchport)', 'syntax error at in_port(nosuchport)'],
    ['ufid:zzz in_port(1)', 'syntax error at ufid:zzz in_port(1)'],
  ])('%s -> "%s"', (text, error) => {
    expect(odp_flow_from_string(text)).toEqual({ error });
  });

  it('round-trips through odp_flow_format (non-verbose omits wildcarded fields)', () => {
    const text = 'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.0/255.255.255.0,proto=6,tos=0x4/0xfc,frag=no),tcp(dst=80)';
    const r = parse(text);
    expect(odp_flow_format(r.key, r.mask, undefined, false)).toBe(text);
    const again = parse(odp_flow_format(r.key, r.mask, undefined, false));
    expect(toHex(again.key)).toBe(toHex(r.key));
    expect(toHex(again.mask)).toBe(toHex(r.mask));
  });

  it('verbose format prints zero masks', () => {
    const r = parse('ipv4(src=1.1.1.1,frag=no)');
    expect(odp_flow_format(r.key, r.mask, undefined, true)).toBe('ipv4(src=1.1.1.1,dst=0.0.0.0/0.0.0.0,proto=0/0,tos=0/0,ttl=0/0,frag=no)');
  });
});

describe('odp_actions_from_string (lib/odp-util.c)', () => {
  it.each([
    ['1', '0800010001000000', '1'],
    ['drop', '0800180000000000', 'drop'],
    ['', '', 'drop'],
    ['recirc(1)', '0800070001000000', 'recirc(0x1)'],
    ['trunc(100)', '08000d0064000000', 'trunc(100)'],
    ['pop_vlan,2', '040005000800010002000000', 'pop_vlan,2'],
    ['push_vlan(vid=10,pcp=0),3', '080004008100100a0800010003000000', 'push_vlan(vid=10,pcp=0),3'],
    ['set(ipv4(tos=0x4/0xfc))', '20000b00' + '1c000700' + '000000000000000000040000' + '000000000000000000fc0000', 'set(ipv4(tos=0x4/0xfc))'],
  ])('%s', (text, hex, back) => {
    const r = odp_actions_from_string(text);
    if ('error' in r) throw new Error(`odp_actions_from_string(${text}): got error ${r.error}`);
    expect(toHex(r.actions)).toBe(hex);
    expect(format_odp_actions(r.actions)).toBe(back);
  });

  it.each(['recirc(0x1)', 'push_vlan(vid=4096,pcp=0)', 'push_mpls(label=1)', '1;2', 'enp8s0f0'])('%s is EINVAL', (text) => {
    expect(odp_actions_from_string(text)).toEqual({ error: 22 });
  });

  it('accepts port names only when given', () => {
    const r = odp_actions_from_string('enp8s0f0', new Map([['enp8s0f0', 1]]));
    expect('actions' in r && toHex(r.actions)).toBe('0800010001000000');
  });
});

describe('ufid', () => {
  it('odp_flow_key_hash is deterministic and a v4 UUID', () => {
    const k = parse('in_port(1),eth_type(0x0800)').key;
    const a = odp_format_ufid(odp_flow_key_hash(k));
    expect(odp_format_ufid(odp_flow_key_hash(k))).toBe(a);
    expect(a).toMatch(/^ufid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(odp_format_ufid(odp_flow_key_hash(parse('in_port(2),eth_type(0x0800)').key))).not.toBe(a);
  });

  it('odp_ufid_from_string / odp_format_ufid round trip', () => {
    const s = 'ufid:5b7e6f0a-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
    const u = odp_ufid_from_string(s);
    expect(u.n).toBe(s.length);
    expect(odp_format_ufid(u.ufid!)).toBe(s);
  });
});

describe('parse_key_and_mask_to_match', () => {
  it('builds the match of a TCP flow', () => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const r = parse('recirc_id(0),in_port(2),eth_type(0x0800),ipv4(dst=10.0.0.2,proto=6,frag=no),tcp(dst=80)');
    const m = parse_key_and_mask_to_match(p, r.key, r.mask);
    expect(m.error).toBe(0);
    expect(m.match!.flow).toMatchObject({ in_port: 2, dl_type: 0x0800, nw_dst: 0x0a000002, nw_proto: 6, tp_dst: 80 });
    expect(m.match!.wc.masks).toMatchObject({ in_port: 0xffffffff, dl_type: 0xffff, nw_dst: 0xffffffff, nw_frag: 3 /* odp_to_ovs_frag(mask): FLOW_NW_FRAG_MASK */, tp_dst: 0xffff, tp_src: 0 });
  });

  it.each([
    ['eth_type(0x0800),ipv4(proto=6,frag=no)', 'internal error parsing flow key eth_type(0x0800),ipv4(src=0.0.0.0,dst=0.0.0.0,proto=6,tos=0,ttl=0,frag=no) (too_little)'],
    ['in_port(1),eth(src=02:00:00:00:00:01)', 'internal error parsing flow mask in_port(1),eth(src=02:00:00:00:00:01,dst=00:00:00:00:00:00/00:00:00:00:00:00) (error)'],
  ])('%s is EINVAL with an ERR line', (text, line) => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const r = parse(text);
    expect(parse_key_and_mask_to_match(p, r.key, r.mask).error).toBe(22);
    expect(p.vlog.lines.map((l) => `${l.level}|${l.msg}`)).toEqual([`ERR|${line}`]);
  });
});

describe('odp_flow_key_from_flow / _from_mask (lib/odp-util.c)', () => {
  const parms = (text: string): OdpFlowKeyParms => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const r = odp_flow_from_string(text);
    if ('error' in r) throw new Error(`odp_flow_from_string(${text}): ${r.error}`);
    const m = parse_key_and_mask_to_match(p, r.key, r.mask);
    if (!m.match) throw new Error(`parse_key_and_mask_to_match(${text}): ${m.error}`);
    // As a match rebuilt from tc has it (parse_tc_flower_to_match starts
    // from a catch-all): packet_type wildcarded, so it is not printed.
    m.match.wc.masks.packet_type = 0;
    return { flow: m.match.flow, mask: m.match.wc.masks, support: { recirc: true, ct_state: true, ct_zone: true, ct_mark: true, ct_label: true, max_vlan_headers: 2 } };
  };

  it.each([
    ['recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)',
      'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)'],
    ['recirc_id(0),in_port(2),eth_type(0x0800),ipv4(dst=10.0.0.2,proto=6,frag=no),tcp(dst=80)',
      'recirc_id(0),in_port(2),eth(),eth_type(0x0800),ipv4(dst=10.0.0.2,proto=6,frag=no),tcp(dst=80)'],
    ['recirc_id(0),in_port(2),eth(dst=02:00:00:00:00:02),eth_type(0x8100),vlan(vid=10,pcp=0),encap(eth_type(0x0800),ipv4(frag=no))',
      'recirc_id(0),in_port(2),eth(dst=02:00:00:00:00:02),eth_type(0x8100),vlan(vid=10,pcp=0),encap(eth_type(0x0800),ipv4(frag=no))'],
  ])('%s prints back as a dump line: %s', (text, want) => {
    const pr = parms(text);
    expect(odp_flow_format(odp_flow_key_from_flow(pr), odp_flow_key_from_mask(pr), undefined, false)).toBe(want);
  });

  it('verbose prints every attribute of the key, wildcarded ones as 0/0, in odp_flow_key_from_flow__ order', () => {
    const pr = parms('recirc_id(0),in_port(2),eth_type(0x0800),ipv4(frag=no)');
    expect(odp_flow_format(odp_flow_key_from_flow(pr), odp_flow_key_from_mask(pr), new Map([[2, 'p0']]), true)).toBe(
      'recirc_id(0),dp_hash(0/0),skb_priority(0/0),in_port(p0),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),'
      + 'packet_type(ns=0/0,id=0/0),eth(src=00:00:00:00:00:00/00:00:00:00:00:00,dst=00:00:00:00:00:00/00:00:00:00:00:00),eth_type(0x0800),'
      + 'ipv4(src=0.0.0.0/0.0.0.0,dst=0.0.0.0/0.0.0.0,proto=0/0,tos=0/0,ttl=0/0,frag=no)');
  });

  it('the key parses back to the same flow', () => {
    const pr = parms('recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01),eth_type(0x0800),ipv4(src=10.0.0.1,proto=17,frag=no),udp(src=53)');
    const back = odp_flow_key_to_flow(odp_flow_key_from_flow(pr));
    expect(back.fitness).toBe('perfect');
    expect(back.flow).toMatchObject({ in_port: 2, dl_type: 0x0800, nw_src: 0x0a000001, nw_proto: 17, tp_src: 53 });
  });
});
