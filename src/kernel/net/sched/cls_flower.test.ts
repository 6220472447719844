import { describe, it, expect, beforeEach } from 'vitest';
import { start_kernel, type Kernel } from '../../init/main';
import {
  ack_of, fake_offload_dev, plain_dev, qdisc_req, rtnl_socket, tc_req, transact, type FakeDriver,
} from '../../testing/harness';
import * as F from '../../include/uapi/linux/pkt_cls';
import { RTM_DELTFILTER, RTM_GETTFILTER, RTM_NEWTFILTER } from '../../include/uapi/linux/rtnetlink';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_ECHO, NLM_F_EXCL, NLM_F_REQUEST, NLMSG_DONE } from '../../include/uapi/linux/netlink';
import { EEXIST, EINVAL, ENOENT, ENOSPC, EOPNOTSUPP, EPERM, errnoName } from '../../include/uapi/asm-generic/errno';
import { FLOW_CLS_DESTROY, FLOW_CLS_REPLACE, FLOW_CLS_STATS } from '../../include/net/flow_offload';
import { tc_blocks, tc_filters } from '../../query';
import { StructWriter, nla_walk, type NlMsgBuilder } from '../../../netlink/attr';
import { tcmsg_decode } from '../../../netlink/structs';
import { TCA_CHAIN, TCA_KIND, TCA_OPTIONS } from '../../include/uapi/linux/pkt_sched';
import { TCA_GACT_PARMS } from '../../include/uapi/linux/tc_act/tc_gact';
import { TCA_MIRRED_PARMS } from '../../include/uapi/linux/tc_act/tc_mirred';
import { Tracer, withTracer } from '../../../trace/hop';

const ADD = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;

/** One action nest as tc lays it out: kind, then options with NLA_F_NESTED. */
function action(b: NlMsgBuilder, order: number, kind: string, parms: (b: NlMsgBuilder) => void): void {
  const a = b.nestStart(order);
  b.string(F.TCA_ACT_KIND, kind);
  const o = b.nestStart(F.TCA_ACT_OPTIONS | 0x8000);
  parms(b);
  b.nestEnd(o);
  b.nestEnd(a);
}

function gact(verdict: number) {
  return (b: NlMsgBuilder): void => {
    const acts = b.nestStart(F.TCA_FLOWER_ACT);
    action(b, 1, 'gact', (x) => x.attr(TCA_GACT_PARMS, new StructWriter(20).s32(8, verdict).bytes));
    b.nestEnd(acts);
  };
}

function mirred(eaction: number, ifindex: number, verdict = F.TC_ACT_STOLEN) {
  return (b: NlMsgBuilder): void => {
    const acts = b.nestStart(F.TCA_FLOWER_ACT);
    action(b, 1, 'mirred', (x) => x.attr(TCA_MIRRED_PARMS, new StructWriter(28).s32(8, verdict).s32(20, eaction).u32(24, ifindex).bytes));
    b.nestEnd(acts);
  };
}

/** flower dst_ip 10.0.0.1 [flags] + actions, as tc 6.1 orders it (keys, act, FLAGS, ETH_TYPE). */
function flower(flags: number, acts = gact(F.TC_ACT_SHOT), dst = 0x0a000001) {
  return (b: NlMsgBuilder): void => {
    b.be32(F.TCA_FLOWER_KEY_IPV4_DST, dst);
    b.be32(F.TCA_FLOWER_KEY_IPV4_DST_MASK, 0xffffffff);
    acts(b);
    b.u32(F.TCA_FLOWER_FLAGS, flags);
    b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, 0x0800);
  };
}

interface Host {
  k: Kernel;
  tracer: Tracer;
  nic: FakeDriver;
  nic2: FakeDriver;
  veth: number;
}

function add_filter(h: Host, ifindex: number, flags: number, extra: Partial<Parameters<typeof tc_req>[0]> = {}) {
  const s = rtnl_socket(h.k);
  const msgs = withTracer(h.tracer, () => transact(s, tc_req({
    type: RTM_NEWTFILTER, flags: ADD, ifindex, prio: 1, protocol: 0x0800, kind: 'flower', options: flower(flags), ...extra,
  })));
  s.close();
  return { msgs, ack: ack_of(msgs)! };
}

describe('cls_flower through rtnetlink (kernel.md §10)', () => {
  let h: Host;
  beforeEach(() => {
    const k = start_kernel();
    const nic = fake_offload_dev(k, 'eth0');
    const nic2 = fake_offload_dev(k, 'eth1');
    const veth = plain_dev(k, 'v0').ifindex;
    const s = rtnl_socket(k);
    for (const i of [nic.dev.ifindex, nic2.dev.ifindex, veth]) {
      const a = ack_of(transact(s, qdisc_req(i, 'ingress')));
      expect(a?.error, `qdisc add ingress on ${i}`).toBe(0);
    }
    s.close();
    h = { k, tracer: new Tracer(), nic, nic2, veth };
  });

  it('binds the ingress blocks: drivers get a callback, veth counts as non-offload', () => {
    const blocks = tc_blocks(h.k.net);
    expect(blocks.map((b) => [b.devices[0], b.cb_count, b.nooffloaddevcnt])).toEqual([
      ['eth0', 1, 0], ['eth1', 1, 0], ['v0', 0, 1],
    ]);
  });

  const rows: { row: string; flags: number; setup?: (h: Host) => void; dev?: 'nic' | 'veth'; err: number; msg?: string;
    final?: number; in_hw?: number; replaces: number; destroys: number }[] = [
    { row: '1 skip_hw|skip_sw', flags: 3, err: -EINVAL, replaces: 0, destroys: 0 },
    { row: '1 unknown flag bit', flags: F.TCA_CLS_FLAGS_IN_HW, err: -EINVAL, replaces: 0, destroys: 0 },
    { row: '2 skip_hw', flags: F.TCA_CLS_FLAGS_SKIP_HW, err: 0, final: 0x9, in_hw: 0, replaces: 0, destroys: 0 },
    { row: '6 all callbacks fail', flags: 0, setup: (x) => { x.nic.replace_result = { err: -EOPNOTSUPP, msg: 'nope' }; }, err: 0, final: 0x8, in_hw: 0, replaces: 1, destroys: 0 },
    { row: '8 skip_sw on a non-offload block', flags: F.TCA_CLS_FLAGS_SKIP_SW, dev: 'veth', err: -EOPNOTSUPP, replaces: 0, destroys: 0 },
    { row: '10 skip_sw, driver fails with extack', flags: F.TCA_CLS_FLAGS_SKIP_SW, setup: (x) => { x.nic.replace_result = { err: -EOPNOTSUPP, msg: 'mlx5_core: unsupported' }; }, err: -EOPNOTSUPP, msg: 'mlx5_core: unsupported', replaces: 1, destroys: 2 },
    { row: '11 skip_sw, callback ok', flags: F.TCA_CLS_FLAGS_SKIP_SW, err: 0, final: 0x6, in_hw: 1, replaces: 1, destroys: 0 },
  ];

  it.each(rows)('row $row', (r) => {
    r.setup?.(h);
    const ifindex = r.dev === 'veth' ? h.veth : h.nic.dev.ifindex;
    const { ack } = add_filter(h, ifindex, r.flags);
    expect(ack.error, `tc_new_tfilter(flags=${r.flags}): got ${errnoName(ack.error)}, want ${errnoName(r.err)}`).toBe(r.err);
    expect(ack.ext_msg).toBe(r.msg);
    const calls = h.nic.calls;
    expect(calls.filter((c) => c.command === FLOW_CLS_REPLACE).length, 'REPLACE calls').toBe(r.replaces);
    expect(calls.filter((c) => c.command === FLOW_CLS_DESTROY).length, 'DESTROY calls').toBe(r.destroys);
    const f = tc_filters(h.k.net);
    if (r.err) expect(f).toEqual([]);
    else {
      expect(f).toHaveLength(1);
      expect(f[0]).toMatchObject({ flags: r.final, in_hw_count: r.in_hw, handle: 1, prio: 1, protocol: 0x0800, kind: 'flower', chain: 0 });
    }
  });

  it('row 3: an action without HW mapping leaves the filter in software, no driver call, no message', () => {
    const { ack } = add_filter(h, h.nic.dev.ifindex, 0, { options: flower(0, gact(F.TC_ACT_PIPE)) });
    expect(ack.error).toBe(0);
    expect(ack.ext_msg).toBeUndefined();
    expect(h.nic.calls).toEqual([]);
    expect(tc_filters(h.k.net)[0]).toMatchObject({ flags: F.TCA_CLS_FLAGS_NOT_IN_HW, in_hw_count: 0 });
  });

  it('row 9: skip_sw with pipe fails with act_gact text and one DESTROY hop', () => {
    const { ack } = add_filter(h, h.nic.dev.ifindex, F.TCA_CLS_FLAGS_SKIP_SW, { options: flower(F.TCA_CLS_FLAGS_SKIP_SW, gact(F.TC_ACT_PIPE)) });
    expect(ack.error).toBe(-EOPNOTSUPP);
    expect(ack.ext_msg).toBe('act_gact: Offload of "pipe" action is not supported');
    expect(h.tracer.all().filter((x) => x.fn === 'fl_hw_destroy_filter')).toHaveLength(1);
  });

  it('row 6 with verbose: the driver message comes back as a warning on the success ack', () => {
    h.nic.replace_result = { err: -EOPNOTSUPP, msg: 'mlx5_core: unsupported' };
    const { ack } = add_filter(h, h.nic.dev.ifindex, F.TCA_CLS_FLAGS_VERBOSE);
    expect(ack.error).toBe(0);
    expect(ack.ext_msg).toBe('mlx5_core: unsupported');
    expect(h.nic.calls[0]!.has_extack).toBe(true);
  });

  it('row 12: skip_sw on a block where no callback is bound (and no non-offload device) → -EINVAL', () => {
    // Unbind the driver's callback behind the block's back: N = 0, noff = 0.
    const blk = h.k.net.gen.get('cls_api') as { all_blocks: Set<{ flow_block: { cb_list: unknown[] }; owner_list: { q: { dev: { name: string } } }[] }> };
    for (const b of blk.all_blocks) if (b.owner_list[0]!.q.dev.name === 'eth0') b.flow_block.cb_list.length = 0;
    const { ack } = add_filter(h, h.nic.dev.ifindex, F.TCA_CLS_FLAGS_SKIP_SW);
    expect(ack.error).toBe(-EINVAL);
    expect(ack.ext_msg).toBeUndefined();
    expect(tc_filters(h.k.net)).toEqual([]);
  });

  it('row 13: same prio, same mask, same key, new handle → -EEXIST without message', () => {
    expect(add_filter(h, h.nic.dev.ifindex, 0).ack.error).toBe(0);
    const { ack } = add_filter(h, h.nic.dev.ifindex, 0, { handle: 2 });
    expect(ack.error).toBe(-EEXIST);
    expect(ack.ext_msg).toBeUndefined();
  });

  it('row 14: NLM_F_EXCL on an existing handle → "Filter already exists"', () => {
    expect(add_filter(h, h.nic.dev.ifindex, 0).ack.error).toBe(0);
    const { ack } = add_filter(h, h.nic.dev.ifindex, 0, { handle: 1 });
    expect(ack.error).toBe(-EEXIST);
    expect(ack.ext_msg).toBe('Filter already exists');
  });

  it('replace (CREATE without EXCL) swaps the filter: REPLACE new cookie, then DESTROY old cookie', () => {
    expect(add_filter(h, h.nic.dev.ifindex, 0).ack.error).toBe(0);
    const first = h.nic.calls[0]!.cookie;
    const { ack } = add_filter(h, h.nic.dev.ifindex, 0, { handle: 1, flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE });
    expect(ack.error).toBe(0);
    const cmds = h.nic.calls.map((c) => [c.command, c.cookie === first ? 'old' : 'new']);
    expect(cmds).toEqual([[FLOW_CLS_REPLACE, 'old'], [FLOW_CLS_REPLACE, 'new'], [FLOW_CLS_DESTROY, 'old']]);
    expect(tc_filters(h.k.net)).toHaveLength(1);
  });

  it('a replace may not change the mask (row 15)', () => {
    expect(add_filter(h, h.nic.dev.ifindex, 0).ack.error).toBe(0);
    const opts = (b: NlMsgBuilder): void => {
      b.be32(F.TCA_FLOWER_KEY_IPV4_DST, 0x0a000000);
      b.be32(F.TCA_FLOWER_KEY_IPV4_DST_MASK, 0xff000000);
      b.u32(F.TCA_FLOWER_FLAGS, 0);
      b.be16(F.TCA_FLOWER_KEY_ETH_TYPE, 0x0800);
    };
    const { ack } = add_filter(h, h.nic.dev.ifindex, 0, { handle: 1, flags: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, options: opts });
    expect(ack.error).toBe(-EINVAL);
    expect(tc_filters(h.k.net)[0]!.keys).toBe('eth_type 0x0800 dst_ip 10.0.0.1');
  });

  it('the driver sees the FlowRule built from key and mask, with the action mapped', () => {
    add_filter(h, h.nic.dev.ifindex, F.TCA_CLS_FLAGS_SKIP_SW, { options: flower(F.TCA_CLS_FLAGS_SKIP_SW, mirred(1 /* TCA_EGRESS_REDIR */, h.nic2.dev.ifindex)) });
    const c = h.nic.calls[0]!;
    const rule = c.offload.rule!;
    expect(rule.match.key.ipv4.dst).toBe(0x0a000001);
    expect(rule.match.mask.basic.n_proto).toBe(0xffff);
    expect(rule.match.key.basic.n_proto).toBe(0x0800);
    expect([...rule.match.dissector.used_keys]).toEqual(['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_IPV4_ADDRS']);
    expect(rule.action.entries.map((e) => [e.id, e.dev?.name])).toEqual([['FLOW_ACTION_REDIRECT', 'eth1']]);
    expect(c.offload.common).toMatchObject({ chain_index: 0, protocol: 0x0800, prio: 1, skip_sw: true });
  });

  it('auto prio: 49152, then 49151', () => {
    expect(add_filter(h, h.nic.dev.ifindex, 0, { prio: 0 }).ack.error).toBe(0);
    expect(add_filter(h, h.nic.dev.ifindex, 0, { prio: 0, options: flower(0, gact(F.TC_ACT_SHOT), 0x0a000002) }).ack.error).toBe(0);
    expect(tc_filters(h.k.net).map((f) => f.prio).sort()).toEqual([49151, 49152]);
  });

  it.each([
    { name: 'prio 0 without CREATE', req: { prio: 0, flags: NLM_F_REQUEST | NLM_F_ACK }, err: -ENOENT, msg: 'Invalid filter command with priority of zero' },
    { name: 'unknown parent', req: { parent: 0x00010000 }, err: -EINVAL, msg: "Parent Qdisc doesn't exists" },
    { name: 'unknown classifier', req: { kind: 'u32' }, err: -ENOENT, msg: 'TC classifier not found' },
    { name: 'chain index too big', req: { chain: 0x10000000 }, err: -EINVAL, msg: 'Specified chain index exceeds upper limit' },
    { name: 'no protocol', req: { protocol: 0 }, err: -EINVAL, msg: 'Filter kind and protocol must be specified' },
  ])('tc_new_tfilter: $name', ({ req, err, msg }) => {
    const { ack } = add_filter(h, h.nic.dev.ifindex, 0, req);
    expect(ack.error).toBe(err);
    expect(ack.ext_msg).toBe(msg);
  });

  it('protocol mismatch and kind mismatch at an existing prio', () => {
    expect(add_filter(h, h.nic.dev.ifindex, 0).ack.error).toBe(0);
    const a = add_filter(h, h.nic.dev.ifindex, 0, { protocol: 0x86dd }).ack;
    expect([a.error, a.ext_msg]).toEqual([-EINVAL, 'Protocol mismatch for filter with specified priority']);
    expect(ENOSPC).toBe(28);
  });

  it('CAP_NET_ADMIN is required for NEW (-EPERM), not for GET', () => {
    const s = rtnl_socket(h.k, true, false);
    const a = ack_of(transact(s, tc_req({ type: RTM_NEWTFILTER, flags: ADD, ifindex: h.nic.dev.ifindex, prio: 1, protocol: 0x800, kind: 'flower', options: flower(0) })));
    expect(a?.error).toBe(-EPERM);
    const d = transact(s, tc_req({ type: RTM_GETTFILTER, flags: NLM_F_REQUEST | NLM_F_DUMP, ifindex: h.nic.dev.ifindex }));
    expect(d.at(-1)!.hdr.nlmsg_type).toBe(NLMSG_DONE);
  });

  it('OVS-style add (CREATE|ECHO, no ACK) gets the filter echoed back, built after one STATS call', () => {
    const s = rtnl_socket(h.k);
    const msgs = transact(s, tc_req({ type: RTM_NEWTFILTER, flags: NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ECHO, ifindex: h.nic.dev.ifindex, prio: 2, protocol: 0x800, kind: 'flower', options: flower(F.TCA_CLS_FLAGS_SKIP_SW) }));
    expect(msgs.map((m) => m.hdr.nlmsg_type)).toEqual([RTM_NEWTFILTER]);
    expect(msgs[0]!.hdr.nlmsg_flags).toBe(NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ECHO);
    const t = tcmsg_decode(msgs[0]!.payload);
    expect(t.ok && [t.value.tcm_handle, t.value.tcm_info >>> 16, t.value.tcm_ifindex]).toEqual([1, 2, h.nic.dev.ifindex]);
    const attrs = nla_walk(msgs[0]!.payload.subarray(20)).attrs;
    expect(attrs.map((a) => a.type)).toEqual([TCA_KIND, TCA_CHAIN, TCA_OPTIONS]);
    const opts = nla_walk(attrs[2]!.payload).attrs;
    const flags = opts.find((a) => a.type === F.TCA_FLOWER_FLAGS)!;
    expect(new DataView(flags.payload.buffer, flags.payload.byteOffset).getUint32(0, true)).toBe(0x6);
    expect(opts.some((a) => a.type === F.TCA_FLOWER_IN_HW_COUNT)).toBe(true);
    expect(h.nic.calls.map((c) => c.command)).toEqual([FLOW_CLS_REPLACE, FLOW_CLS_STATS]);
  });

  it('dump: a tp header then each filter, then NLMSG_DONE', () => {
    add_filter(h, h.nic.dev.ifindex, 0);
    const s = rtnl_socket(h.k);
    const msgs = transact(s, tc_req({ type: RTM_GETTFILTER, flags: NLM_F_REQUEST | NLM_F_DUMP, ifindex: h.nic.dev.ifindex }));
    expect(msgs.map((m) => m.hdr.nlmsg_type)).toEqual([RTM_NEWTFILTER, RTM_NEWTFILTER, NLMSG_DONE]);
    expect(msgs.map((m) => { const t = tcmsg_decode(m.payload); return t.ok ? t.value.tcm_handle : -1; }).slice(0, 2)).toEqual([0, 1]);
  });

  it('delete: DESTROY to the driver, filter and chain gone; deleting again is "Cannot find specified filter chain"', () => {
    add_filter(h, h.nic.dev.ifindex, 0);
    const s = rtnl_socket(h.k);
    const del = (): ReturnType<typeof ack_of> => ack_of(transact(s, tc_req({ type: RTM_DELTFILTER, ifindex: h.nic.dev.ifindex, prio: 1, protocol: 0x800, handle: 1, kind: 'flower' })));
    expect(del()?.error).toBe(0);
    expect(h.nic.calls.map((c) => c.command)).toEqual([FLOW_CLS_REPLACE, FLOW_CLS_DESTROY]);
    expect(tc_filters(h.k.net)).toEqual([]);
    const a = del();
    expect([a?.error, a?.ext_msg]).toEqual([-ENOENT, 'Cannot find specified filter chain']);
  });

  it('hop order of an offloaded add', () => {
    add_filter(h, h.nic.dev.ifindex, F.TCA_CLS_FLAGS_SKIP_SW);
    const order = h.tracer.all().map((x) => x.fn).filter((fn) => [
      'netlink_sendmsg', 'rtnetlink_rcv_msg', 'tc_new_tfilter', 'fl_change', 'tcf_action_init', 'fl_set_key',
      'fl_hw_replace_filter', 'tc_setup_cb_add', '__tc_setup_cb_call', 'netlink_ack',
    ].includes(fn));
    expect(order).toEqual(['netlink_sendmsg', 'rtnetlink_rcv_msg', 'tc_new_tfilter', 'fl_change', 'tcf_action_init', 'fl_set_key',
      'fl_hw_replace_filter', 'tc_setup_cb_add', '__tc_setup_cb_call', 'netlink_ack']);
  });

  it('deleting the qdisc unbinds the driver and destroys the offloaded filter', () => {
    add_filter(h, h.nic.dev.ifindex, 0);
    const s = rtnl_socket(h.k);
    const b = qdisc_req(h.nic.dev.ifindex, 'ingress', NLM_F_REQUEST | NLM_F_ACK);
    b[4] = 37; // RTM_DELQDISC
    expect(ack_of(transact(s, b))?.error).toBe(0);
    expect(h.nic.calls.map((c) => c.command)).toEqual([FLOW_CLS_REPLACE, FLOW_CLS_DESTROY]);
    expect(h.nic.block_cbs).toEqual([]);
    expect(tc_filters(h.k.net)).toEqual([]);
  });
});
