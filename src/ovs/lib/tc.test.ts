import { describe, expect, it } from 'vitest';
import { toHex, nlmsghdr_decode, nlmsg_split, type NlMsg } from '../../netlink/nlmsg';
import { NlMsgBuilder, StructWriter, nla_walk } from '../../netlink/attr';
import { TCMSG_LEN, tcmsg_decode, tcmsg_encode } from '../../netlink/structs';
import { EAGAIN, EINVAL, EPROTO } from '../../kernel/include/uapi/asm-generic/errno';
import { u128_bytes } from '../../netlink/msgbuf';
import { ScriptedKernel } from '../testing/scripted-kernel';
import { OvsProcess } from './ovs-process';
import {
  parse_netlink_to_tc_flower, tc_flower_init, tc_get_tc_cls_policy, tc_make_tcf_id_chain, tc_replace_flower, tc_replace_flower_request,
  tc_set_policy, type TcFlower, type TcfId,
} from './tc';

function ipv4TcpFlower(): TcFlower {
  const f = tc_flower_init();
  f.key.eth_type = 0x0800; f.mask.eth_type = 0xffff;
  f.key.ip_proto = 6; f.mask.ip_proto = 0xff;
  f.mask.flags = 1; // IS_FRAGMENT masked, key 0: frag=no
  f.key.tcp_dst = 80; f.mask.tcp_dst = 0xffff;
  f.key.ipv4.ipv4_dst = 0x0a000002; f.mask.ipv4.ipv4_dst = 0xffffffff;
  f.actions.push({ type: 'TC_ACT_OUTPUT', out: { ifindex_out: 4, ingress: false } });
  f.act_cookie = u128_bytes([0x11111111, 0x22222222, 0x33333333, 0x44444444]);
  return f;
}

// RTM_NEWTFILTER for ipv4(dst=10.0.0.2,proto=6,frag=no),tcp(dst=80) -> output
// ifindex 4, on ifindex 5, prio 2, chain 0, tc-policy none (seq/pid not yet set).
const EXPECTED = [
  'd4000000', '2c00', '0904', '00000000', '00000000', //   nlmsghdr: len 212, RTM_NEWTFILTER, REQUEST|ECHO|CREATE
  '00000000', '05000000', '00000000', 'f2ffffff', '08000200', // tcmsg: ifindex 5, handle 0, parent ffff:fff2, info prio 2 | htons(0x0800)
  '0b000100', '666c6f77657200', '00', //                   TCA_KIND "flower"
  'a4000200', //                                           TCA_OPTIONS (164, no NESTED flag)
  '58000300', //                                             TCA_FLOWER_ACT (88) comes first
  '54000100', //                                               action 1 (84)
  '0b000100', '6d697272656400', '00', //                         TCA_ACT_KIND "mirred"
  '24000200', '20000200', //                                     TCA_ACT_OPTIONS > TCA_MIRRED_PARMS (28 B)
  '00000000', '00000000', '04000000', '00000000', '00000000', '01000000', '04000000', // tc_gen{action STOLEN}, EGRESS_REDIR, ifindex 4
  '14000600', '11111111222222223333333344444444', //            TCA_ACT_COOKIE = ufid
  '0c000700', '01000000', '01000000', //                        TCA_ACT_FLAGS NO_PERCPU_STATS/NO_PERCPU_STATS
  '05000900', '06000000', //                                 KEY_IP_PROTO 6 (no mask attribute)
  '08002f00', '00000000', '08003000', '00000001', //         KEY_FLAGS 0, KEY_FLAGS_MASK IS_FRAGMENT (value first, be32)
  '06002400', 'ffff0000', '06001300', '00500000', //         KEY_TCP_DST_MASK, KEY_TCP_DST 80 (mask first)
  '08000d00', 'ffffffff', '08000c00', '0a000002', //         KEY_IPV4_DST_MASK, KEY_IPV4_DST 10.0.0.2
  '06000800', '08000000', //                                 KEY_ETH_TYPE 0x0800, always
  '08001600', '00000000', //                                 TCA_FLOWER_FLAGS 0 (policy none), always
].join('');

describe('tc_replace_flower request bytes (lib/tc.c)', () => {
  it('matches the hand-annotated RTM_NEWTFILTER of lib/tc.c (v3.6.3)', () => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const r = tc_replace_flower_request(p, tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS'), ipv4TcpFlower());
    if ('error' in r) throw new Error(`tc_replace_flower_request: got error ${r.error}, want bytes`);
    expect(toHex(r.request)).toBe(EXPECTED);
  });

  it('decodes with src/netlink in the upstream order', () => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const r = tc_replace_flower_request(p, tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS'), ipv4TcpFlower());
    if ('error' in r) throw new Error('unexpected error');
    const h = nlmsghdr_decode(r.request);
    expect(h).toMatchObject({ nlmsg_len: 212, nlmsg_type: 44, nlmsg_flags: 0x409 });
    const t = tcmsg_decode(r.request.subarray(16));
    expect(t.ok && t.value).toMatchObject({ tcm_ifindex: 5, tcm_parent: 0xfffffff2, tcm_info: 0x00020008 });
    const top = nla_walk(r.request.subarray(16 + TCMSG_LEN));
    expect(top.ok && top.attrs.map((a) => a.type)).toEqual([1, 2]);
    const opts = top.ok ? nla_walk(top.attrs[1]!.payload) : null;
    expect(opts?.ok && opts.attrs.map((a) => a.type)).toEqual([3, 9, 47, 48, 36, 19, 13, 12, 8, 22]);
  });

  it('puts TCA_CHAIN before TCA_KIND only when the chain is not 0', () => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const r = tc_replace_flower_request(p, tc_make_tcf_id_chain(5, 0, 7, 2, 'TC_INGRESS'), ipv4TcpFlower());
    if ('error' in r) throw new Error('unexpected error');
    const top = nla_walk(r.request.subarray(16 + TCMSG_LEN));
    expect(top.ok && top.attrs.map((a) => a.type)).toEqual([11, 1, 2]);
  });

  it('an empty action list is one gact shot with cookie and flags', () => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    const f = ipv4TcpFlower();
    f.actions = [];
    const r = tc_replace_flower_request(p, tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS'), f);
    if ('error' in r) throw new Error('unexpected error');
    expect(toHex(r.request)).toContain(`09000100${Buffer.from('gact\0').toString('hex')}000000` + '1c000200' + '18000200' + '0000000000000000' + '02000000');
    expect(toHex(r.request)).toContain('0c000700' + '01000000' + '01000000');
  });
});

describe('tc policy (lib/tc.c)', () => {
  it.each([
    ['none', 0, "tc: Using policy 'none'"],
    ['skip_sw', 2, "tc: Using policy 'skip_sw'"],
    ['skip_hw', 1, "tc: Using policy 'skip_hw'"],
  ])('tc_set_policy(%s) -> TCA_FLOWER_FLAGS %d', (policy, flags, line) => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    tc_set_policy(p, policy);
    const r = tc_replace_flower_request(p, tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS'), ipv4TcpFlower());
    if ('error' in r) throw new Error('unexpected error');
    expect(toHex(r.request).endsWith(`08001600${toHex(new Uint8Array([flags, 0, 0, 0]))}`)).toBe(true);
    expect(p.vlog.lines.map((l) => `${l.level}|${l.msg}`)).toEqual([`INFO|${line}`]);
  });

  it('an invalid policy is WARNed and ignored', () => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd');
    tc_set_policy(p, 'skip_sw');
    tc_set_policy(p, 'bogus');
    expect(p.vlog.lines.map((l) => `${l.level}|${l.msg}`)).toEqual(["INFO|tc: Using policy 'skip_sw'", "WARN|tc: Invalid policy 'bogus'"]);
    expect(tc_get_tc_cls_policy('TC_POLICY_SKIP_SW')).toBe(2);
  });
});

describe('tc_replace_flower reply handling', () => {
  it('reads prio and handle from the echo', () => {
    const k = new ScriptedKernel();
    const p = new OvsProcess(k, 'ovs-vswitchd');
    const id = tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS');
    expect(tc_replace_flower(p, id, ipv4TcpFlower())).toBe(0);
    expect(id).toMatchObject({ prio: 2, handle: 1 });
  });

  it('a NAK is a positive errno and a DBG line with the extack', () => {
    const k = new ScriptedKernel();
    k.filter_answers = [{ ok: false, errno: 95, extack: 'mlx5_core: Unsupported key' }];
    const p = new OvsProcess(k, 'ovs-vswitchd');
    p.vlog.set('netlink_socket:dbg');
    expect(tc_replace_flower(p, tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS'), ipv4TcpFlower())).toBe(95);
    expect(p.vlog.lines.map((l) => l.text)).toEqual(['2026-01-01T00:00:00.000Z|00001|netlink_socket|DBG|received NAK error=95 - mlx5_core: Unsupported key']);
  });

  it('seq numbers count from 1 per socket and carry the socket pid', () => {
    const k = new ScriptedKernel();
    const p = new OvsProcess(k, 'ovs-vswitchd');
    tc_replace_flower(p, tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS'), ipv4TcpFlower());
    tc_replace_flower(p, tc_make_tcf_id_chain(5, 0, 0, 2, 'TC_INGRESS'), ipv4TcpFlower());
    expect(k.sent.map((s) => [s.msg.hdr.nlmsg_seq, s.msg.hdr.nlmsg_pid === s.portid])).toEqual([[1, true], [2, true]]);
  });
});


// A filter as cls_flower dumps it (RTM_NEWTFILTER, NLM_F_MULTI): tcmsg with
// prio|htons(proto), TCA_KIND, TCA_CHAIN, TCA_OPTIONS {keys, FLAGS, ACT}.
interface ReplySpec {
  handle?: number;
  kind?: string;
  chain?: number;
  flags?: number;
  cookie?: boolean;
  sw?: [number, number];
  hw?: [number, number];
  gact?: number;
}

function dumpReply(s: ReplySpec = {}): NlMsg {
  const b = new NlMsgBuilder({ nlmsg_type: 44, nlmsg_flags: 2, nlmsg_seq: 1, nlmsg_pid: 1 })
    .put(tcmsg_encode({ tcm_family: 0, tcm_ifindex: 5, tcm_handle: s.handle ?? 1, tcm_parent: 0xfffffff2, tcm_info: 0x00020008 }))
    .string(1, s.kind ?? 'flower')
    .u32(11, s.chain ?? 0);
  const o = b.nestStart(2);
  b.attr(5, new Uint8Array(6).fill(0xff)).attr(4, new Uint8Array([2, 0, 0, 0, 0, 2])); // ETH_DST_MASK, ETH_DST
  b.u8(9, 6); // IP_PROTO tcp
  b.be32(47, 0).be32(48, 1); // KEY_FLAGS frag=no, mask IS_FRAGMENT
  b.be16(36, 0xffff).be16(19, 80); // TCP_DST_MASK, TCP_DST
  if (s.flags !== undefined) b.u32(22, s.flags);
  const acts = b.nestStart(3);
  const a1 = b.nestStart(1);
  const gact = s.gact !== undefined;
  b.string(1, gact ? 'gact' : 'mirred');
  const st = b.nestStart(4);
  const basic = (x: [number, number]): Uint8Array => new StructWriter(16).u64(0, BigInt(x[1])).u32(8, x[0]).bytes;
  b.attr(1, basic(s.sw ?? [0, 0]));
  if (s.hw) b.attr(7, basic(s.hw));
  b.nestEnd(st);
  if (s.cookie !== false) b.attr(6, u128_bytes([0x11111111, 0x22222222, 0x33333333, 0x44444444]));
  const ao = b.nestStart(2);
  if (gact) b.attr(2, new StructWriter(20).s32(8, s.gact!).bytes);
  else b.attr(2, new StructWriter(28).s32(8, 4).s32(20, 1).u32(24, 6).bytes); // STOLEN, EGRESS_REDIR, ifindex 6
  b.attr(1, new StructWriter(32).bytes); // TCA_*_TM, lastuse 0
  b.nestEnd(ao);
  b.nestEnd(a1);
  b.nestEnd(acts);
  b.nestEnd(o);
  return nlmsg_split(b.finish()).msgs[0]!;
}

describe('parse_netlink_to_tc_flower (lib/tc.c)', () => {
  const parse = (s: ReplySpec): ReturnType<typeof parse_netlink_to_tc_flower> & { id: TcfId } => {
    const p = new OvsProcess(new ScriptedKernel(), 'ovs-vswitchd', () => 5000);
    const id = tc_make_tcf_id_chain(5, 0, 0, 0, 'TC_INGRESS');
    return { ...parse_netlink_to_tc_flower(p, dumpReply(s), id, false), id };
  };

  it('reads protocol and prio from tcm_info, the keys, the mirred output and the cookie', () => {
    const r = parse({ chain: 3 });
    expect(r.error).toBe(0);
    expect(r.id).toMatchObject({ prio: 2, handle: 1, chain: 3 });
    const f = r.flower!;
    expect(f.key).toMatchObject({ eth_type: 0x0800, ip_proto: 6, tcp_dst: 80, flags: 0 });
    expect(f.mask).toMatchObject({ eth_type: 0xffff, ip_proto: 0xff, tcp_dst: 0xffff, flags: 1 });
    expect(Array.from(f.key.dst_mac)).toEqual([2, 0, 0, 0, 0, 2]);
    expect(f.actions).toEqual([{ type: 'TC_ACT_OUTPUT', out: { ifindex_out: 6, ingress: false } }]);
    expect(f.act_cookie && toHex(f.act_cookie)).toBe('11111111222222223333333344444444');
    expect(f.lastused).toBe(5000); // tcf_t.lastuse 0 ticks ago: now
  });

  it.each([
    [undefined, 'TC_OFFLOADED_STATE_UNDEFINED'],
    [0, 'TC_OFFLOADED_STATE_UNDEFINED'],
    [4, 'TC_OFFLOADED_STATE_IN_HW'],
    [1 | 8, 'TC_OFFLOADED_STATE_NOT_IN_HW'],
  ])('TCA_FLOWER_FLAGS %s -> %s', (flags, state) => {
    expect(parse(flags === undefined ? {} : { flags }).flower!.offloaded_state).toBe(state);
  });

  it('hardware counters are taken out of the software total', () => {
    const f = parse({ sw: [10, 1000], hw: [7, 700] }).flower!;
    expect(f.stats_sw).toEqual({ n_packets: 3, n_bytes: 300 });
    expect(f.stats_hw).toEqual({ n_packets: 7, n_bytes: 700 });
  });

  it.each<[ReplySpec, number, string]>([
    [{ handle: 0 }, EAGAIN, 'a prio header without a handle'],
    [{ kind: 'u32' }, EPROTO, 'another classifier kind'],
    [{ gact: 1 }, EINVAL, 'a gact that is neither shot nor goto'],
  ])('%j is %s (%s)', (spec, errno, _why) => {
    expect(parse(spec).error).toBe(errno);
  });

  it('gact shot adds no action; goto chain N is a TC_ACT_GOTO', () => {
    expect(parse({ gact: 2 }).flower!.actions).toEqual([]);
    expect(parse({ gact: 0x20000000 | 5 }).flower!.actions).toEqual([{ type: 'TC_ACT_GOTO', chain: 5 }]);
  });
});
