// tc/f_flower.c (iproute2 v6.1.0): the tunnel option and PPPoE words as the
// attributes tc sends. No captured request in the corpus holds these keys, so
// the layout is checked attribute by attribute against flower_parse_enc_opts_*:
// geneve nests without NLA_F_NESTED, vxlan/erspan/gtp with it, and a mask
// always sent (all ones, or the key's version for erspan, when none is written).
import { describe, expect, it } from 'vitest';
import { tc_encode } from '../tc_encode';
import * as F from '../../kernel/include/uapi/linux/pkt_cls';
import { TCA_OPTIONS } from '../../kernel/include/uapi/linux/pkt_sched';
import { nla_get_be16, nla_get_be32, nla_get_u16, nla_get_u32, nla_get_u8, nla_walk, type NlAttr } from '../../netlink/attr';

const IFINDEX = { lo: 1, v1: 2, v0: 3 };

/** TCA_OPTIONS of the one request `tc filter add dev v0 ingress <rest>` sends. */
function options(rest: string): NlAttr[] {
  const r = tc_encode(['filter', 'add', 'dev', 'v0', 'ingress', ...rest.split(' ')], IFINDEX);
  if (!('requests' in r)) throw new Error(`tc filter add … ${rest}: exit ${r.exitCode}: ${r.stderr}`);
  const msg = r.requests[r.requests.length - 1]!;
  const tca = nla_walk(msg.subarray(16 + 20)).attrs; // nlmsghdr, tcmsg
  return nla_walk(tca.find((a) => a.type === TCA_OPTIONS)!.payload).attrs;
}
const find = (attrs: NlAttr[], type: number): NlAttr => {
  const a = attrs.find((x) => x.type === type);
  if (!a) throw new Error(`no attribute ${type} in [${attrs.map((x) => x.type).join(',')}]`);
  return a;
};
const inner = (a: NlAttr): NlAttr[] => nla_walk(a.payload).attrs;
/** One option nest: its type, NLA_F_NESTED, and its fields by type. */
function opt(a: NlAttr, get: (x: NlAttr) => number): { type: number; nested: boolean; fields: Record<number, number> } {
  return { type: a.type, nested: a.nested, fields: Object.fromEntries(inner(a).map((x) => [x.type, get(x)])) };
}

describe('flower_parse_enc_opts_* (tc 6.1)', () => {
  it('vxlan_opts: nested key and mask, the mask 0xffffffff by default', () => {
    const o = options('protocol ip prio 1 flower vxlan_opts 16 action drop');
    const k = find(o, F.TCA_FLOWER_KEY_ENC_OPTS);
    const m = find(o, F.TCA_FLOWER_KEY_ENC_OPTS_MASK);
    expect([k.nested, m.nested]).toEqual([true, true]);
    expect(opt(inner(k)[0]!, nla_get_u32)).toEqual({ type: F.TCA_FLOWER_KEY_ENC_OPTS_VXLAN, nested: true, fields: { 1: 16 } });
    expect(opt(inner(m)[0]!, nla_get_u32).fields).toEqual({ 1: 0xffffffff });
  });

  it('erspan_opts: empty fields left out, the default mask keeps the key version', () => {
    const o = options('protocol ip prio 1 flower erspan_opts 2::1:7 action drop');
    const k = opt(inner(find(o, F.TCA_FLOWER_KEY_ENC_OPTS))[0]!, (x) => (x.type === 2 ? nla_get_be32(x) : nla_get_u8(x)));
    const m = opt(inner(find(o, F.TCA_FLOWER_KEY_ENC_OPTS_MASK))[0]!, (x) => (x.type === 2 ? nla_get_be32(x) : nla_get_u8(x)));
    expect(k).toEqual({ type: F.TCA_FLOWER_KEY_ENC_OPTS_ERSPAN, nested: true, fields: { 1: 2, 3: 1, 4: 7 } });
    expect(m.fields).toEqual({ 1: 2, 2: 0xffffffff, 3: 0xff, 4: 0xff });
  });

  it('gtp_opts: hex fields, mask ff:ff', () => {
    const o = options('protocol ip prio 1 flower gtp_opts 1:a action drop');
    expect(opt(inner(find(o, F.TCA_FLOWER_KEY_ENC_OPTS))[0]!, nla_get_u8)).toEqual({ type: F.TCA_FLOWER_KEY_ENC_OPTS_GTP, nested: true, fields: { 1: 1, 2: 10 } });
    expect(opt(inner(find(o, F.TCA_FLOWER_KEY_ENC_OPTS_MASK))[0]!, nla_get_u8).fields).toEqual({ 1: 0xff, 2: 0xff });
  });

  it('geneve_opts: one nest per option, without NLA_F_NESTED, masks padded to the data length', () => {
    const o = options('protocol ip prio 1 flower geneve_opts 0102:80:00112233,0103:81:44556677/ffff:ff:ffff0000 action drop');
    const k = find(o, F.TCA_FLOWER_KEY_ENC_OPTS);
    const m = find(o, F.TCA_FLOWER_KEY_ENC_OPTS_MASK);
    expect([k.nested, m.nested]).toEqual([false, false]);
    const data = (a: NlAttr): string => Buffer.from(find(inner(a), F.TCA_FLOWER_KEY_ENC_OPT_GENEVE_DATA).payload).toString('hex');
    expect(inner(k).map((a) => [a.type, a.nested, nla_get_be16(find(inner(a), 1)), data(a)])).toEqual([
      [F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE, false, 0x0102, '00112233'], [F.TCA_FLOWER_KEY_ENC_OPTS_GENEVE, false, 0x0103, '44556677']]);
    expect(inner(m).map(data)).toEqual(['ffffffff', 'ffff0000']);
  });

  it('pppoe_sid and ppp_proto: be16 values, and ppp_proto ip lets dst_ip through', () => {
    const o = options('protocol ppp_ses prio 1 flower pppoe_sid 1234 ppp_proto ip dst_ip 10.0.0.2 action drop');
    expect(nla_get_be16(find(o, F.TCA_FLOWER_KEY_PPPOE_SID))).toBe(1234);
    expect(nla_get_be16(find(o, F.TCA_FLOWER_KEY_PPP_PROTO))).toBe(0x21);
    expect(nla_get_be32(find(o, F.TCA_FLOWER_KEY_IPV4_DST))).toBe(0x0a000002);
    expect(nla_get_u16(find(o, F.TCA_FLOWER_KEY_ETH_TYPE))).toBe(0x6488); // tc_proto as sent: ppp_ses, network order
  });

  it.each([
    // a parse_fopt failure makes tc_filter_modify return 1; invarg() exits with -1
    { args: 'protocol ip prio 1 flower gtp_opts 1 action drop', exitCode: 1, stderr: 'Illegal "gtp_opts"\n' },
    { args: 'protocol ip prio 1 flower erspan_opts 1 action drop', exitCode: 1, stderr: 'Illegal "erspan_opts"\n' },
    { args: 'protocol ip prio 1 flower erspan_opts 1:2:3:4:5 action drop', exitCode: 1, stderr: 'Unknown "geneve_opts" type\nIllegal "erspan_opts"\n' },
    { args: 'protocol ip prio 1 flower geneve_opts 0102::11223344 action drop', exitCode: 1, stderr: 'Illegal "geneve_opts"\n' },
    { args: 'protocol ppp_ses prio 1 flower ppp_proto 0x10000 action drop', exitCode: 255, stderr: 'Error: argument "0x10000" is wrong: invalid ppp_proto\n' },
  ])('refuses: $args', ({ args, exitCode, stderr }) => {
    expect(tc_encode(['filter', 'add', 'dev', 'v0', 'ingress', ...args.split(' ')], IFINDEX)).toEqual({ exitCode, stderr });
  });
});
