import { describe, expect, it } from 'vitest';
import { nla_walk, nla_get_string, type NlAttr } from '../../netlink/attr';
import { TCMSG_LEN } from '../../netlink/structs';
import { ScriptedKernel } from '../testing/scripted-kernel';
import { OvsProcess } from './ovs-process';
import { EOPNOTSUPP } from '../../kernel/include/uapi/asm-generic/errno';
import { tc_ct_zero, tc_flower_init, tc_make_tcf_id_chain, tc_replace_flower_request, type TcAction, type TcFlower } from './tc';

function options(f: TcFlower): NlAttr[] {
  const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
  const r = tc_replace_flower_request(p, tc_make_tcf_id_chain(7, 0, 0, 2, 'TC_INGRESS'), f);
  if ('error' in r) throw new Error(`tc_replace_flower_request: got error ${r.error}, want bytes`);
  const top = nla_walk(r.request.subarray(16 + TCMSG_LEN));
  if (!top.ok) throw new Error('request attributes do not walk');
  const o = nla_walk(top.attrs.find((a) => a.type === 2)!.payload);
  if (!o.ok) throw new Error('TCA_OPTIONS does not walk');
  return o.attrs;
}

/** The TCA_ACT_KIND of each action of TCA_FLOWER_ACT, in order. */
function kinds(opts: NlAttr[]): string[] {
  const acts = nla_walk(opts.find((a) => a.type === 3)!.payload);
  if (!acts.ok) throw new Error('TCA_FLOWER_ACT does not walk');
  return acts.attrs.map((a) => {
    const w = nla_walk(a.payload);
    return w.ok ? nla_get_string(w.attrs.find((x) => x.type === 1)!) : '?';
  });
}

function ipv4(): TcFlower {
  const f = tc_flower_init();
  f.key.eth_type = 0x0800; f.mask.eth_type = 0xffff;
  f.mask.flags = 1;
  return f;
}

describe('tunnel flower requests (lib/tc.c)', () => {
  it('a tunnel match with an output: tunnel_key unset before the redirect, enc_* keys after TCA_FLOWER_FLAGS', () => {
    const f = ipv4();
    f.tunnel = true;
    f.key.tunnel = { id: 42n, ipv4: { ipv4_src: 0x0a000002, ipv4_dst: 0x0a000001 }, tos: 0, ttl: 0, tp_src: 0, tp_dst: 4789, tc_enc_flags: 0 };
    f.mask.tunnel = { id: 0xffffffffffffffffn, ipv4: { ipv4_src: 0xffffffff, ipv4_dst: 0xffffffff }, tos: 0, ttl: 0, tp_src: 0, tp_dst: 0xffff, tc_enc_flags: 0 };
    f.actions.push({ type: 'TC_ACT_OUTPUT', out: { ifindex_out: 4, ingress: false } });
    const o = options(f);
    expect(kinds(o)).toEqual(['tunnel_key', 'mirred']);
    // ... ETH_TYPE(8), FLOWER_FLAGS(22), ENC_IPV4_DST_MASK(30), ENC_IPV4_SRC_MASK(28), ENC_IPV4_DST(29),
    // ENC_IPV4_SRC(27), ENC_UDP_DST_PORT(45), _MASK(46), ENC_KEY_ID(26)
    expect(o.map((a) => a.type).slice(-9)).toEqual([8, 22, 30, 28, 29, 27, 45, 46, 26]);
  });

  it('an encap: tunnel_key set before the redirect, no unset', () => {
    const f = ipv4();
    f.actions.push({ type: 'TC_ACT_ENCAP', encap: {
      id: 42n, id_present: true, ipv4: { ipv4_src: 0x0a000001, ipv4_dst: 0x0a000002 }, tos: 0, ttl: 64, tp_dst: 4789, no_csum: true, dont_fragment: false,
    } });
    f.actions.push({ type: 'TC_ACT_OUTPUT', out: { ifindex_out: 9, ingress: false } });
    const o = options(f);
    expect(kinds(o)).toEqual(['tunnel_key', 'mirred']);
    expect(o.map((a) => a.type)).not.toContain(26);
  });
});

function tunnel_flower(actions: TcAction[]): TcFlower {
  const f = ipv4();
  f.tunnel = true;
  f.key.tunnel = { id: 42n, ipv4: { ipv4_src: 0x0a000002, ipv4_dst: 0x0a000001 }, tos: 0, ttl: 0, tp_src: 0, tp_dst: 4789, tc_enc_flags: 0 };
  f.mask.tunnel = { id: 0xffffffffffffffffn, ipv4: { ipv4_src: 0xffffffff, ipv4_dst: 0xffffffff }, tos: 0, ttl: 0, tp_src: 0, tp_dst: 0xffff, tc_enc_flags: 0 };
  f.actions.push(...actions);
  return f;
}

const output: TcAction = { type: 'TC_ACT_OUTPUT', out: { ifindex_out: 4, ingress: false } };
const goto1: TcAction = { type: 'TC_ACT_GOTO', chain: 1 };
const ct: TcAction = { type: 'TC_ACT_CT', ct: { ...tc_ct_zero(), zone: 1 } };
const encap: TcAction = { type: 'TC_ACT_ENCAP', encap: {
  id: 7n, id_present: true, ipv4: { ipv4_src: 0x0a000001, ipv4_dst: 0x0a000003 }, tos: 0, ttl: 64, tp_dst: 4789, no_csum: false, dont_fragment: false,
} };

// lib/tc.c nl_msg_put_flower_acts (v3.6.3): the unset goes right before the first output/encap.
describe('tunnel_key unset placement (lib/tc.c nl_msg_put_flower_acts)', () => {
  it.each([
    { name: 'output alone', actions: [output], want: ['tunnel_key', 'mirred'] },
    { name: 'ct then goto: no unset at all', actions: [ct, goto1], want: ['ct', 'gact'] },
    { name: 'ct then output: unset after the ct', actions: [ct, output], want: ['ct', 'tunnel_key', 'mirred'] },
    { name: 'two outputs: one unset', actions: [output, output], want: ['tunnel_key', 'mirred', 'mirred'] },
    { name: 're-encap: unset, set, redirect', actions: [encap, output], want: ['tunnel_key', 'tunnel_key', 'mirred'] },
    { name: 'no action: a drop, no unset', actions: [], want: ['gact'] },
  ])('$name', ({ actions, want }) => {
    expect(kinds(options(tunnel_flower(actions)))).toEqual(want);
  });

  it('refuses a goto after the unset with a negative EOPNOTSUPP', () => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const r = tc_replace_flower_request(p, tc_make_tcf_id_chain(7, 0, 0, 2, 'TC_INGRESS'), tunnel_flower([output, goto1]));
    expect('error' in r ? r.error : 0, 'tc_replace_flower_request(output, goto chain 1)').toBe(-EOPNOTSUPP);
  });

  it('a goto without a tunnel match after an output is fine', () => {
    const f = ipv4();
    f.actions.push(output, goto1);
    expect(kinds(options(f))).toEqual(['mirred', 'gact']);
  });
});
