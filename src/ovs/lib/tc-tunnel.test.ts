import { describe, expect, it } from 'vitest';
import { nla_walk, nla_get_string, type NlAttr } from '../../netlink/attr';
import { TCMSG_LEN } from '../../netlink/structs';
import { ScriptedKernel } from '../testing/scripted-kernel';
import { OvsProcess } from './ovs-process';
import { tc_flower_init, tc_make_tcf_id_chain, tc_replace_flower_request, type TcFlower } from './tc';

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
  it('a tunnel match: tunnel_key unset first, enc_* keys after TCA_FLOWER_FLAGS', () => {
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
