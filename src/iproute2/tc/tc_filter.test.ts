// `tc filter show` printing from hand-built kernel dump messages (the
// RTM_NEWTFILTER layout tcf_fill_node/fl_dump produce): text, -s and -j.
import { describe, expect, it } from 'vitest';
import { NLMSG_DONE, NLM_F_MULTI } from '../../kernel/include/uapi/linux/netlink';
import { RTM_GETTFILTER, RTM_NEWTFILTER } from '../../kernel/include/uapi/linux/rtnetlink';
import * as C from '../../kernel/include/uapi/linux/pkt_cls';
import { TCA_CHAIN, TCA_KIND, TCA_OPTIONS } from '../../kernel/include/uapi/linux/pkt_sched';
import { TCA_GACT_PARMS } from '../../kernel/include/uapi/linux/tc_act/tc_gact';
import { TCA_EGRESS_REDIR, TCA_MIRRED_PARMS } from '../../kernel/include/uapi/linux/tc_act/tc_mirred';
import { NlMsgBuilder, StructWriter } from '../../netlink/attr';
import type { NlMsg } from '../../netlink/nlmsg';
import { tcmsg_encode, type TcMsg } from '../../netlink/structs';
import { RecordingSocket } from '../tc_encode';
import { tc_main } from './tc';

type Hdr = { nlmsg_type: number; nlmsg_flags: number; nlmsg_seq: number; nlmsg_pid: number };
type Action = { kind: 'gact'; verdict: number } | { kind: 'mirred'; ifindex: number };

interface FilterSpec {
  handle: number;
  flags: number;
  in_hw_count: number;
  actions: Action[];
  stats?: { bytes: bigint; packets: number; hw_bytes: bigint; hw_packets: number };
}

const tp: TcMsg = { tcm_family: 0, tcm_ifindex: 3, tcm_handle: 0, tcm_parent: 0xfffffff2, tcm_info: 0x00010008 };

/** tcf_fill_node for the tp header (no options). */
function tpHeader(h: Hdr): Uint8Array {
  return new NlMsgBuilder(h).put(tcmsg_encode(tp)).string(TCA_KIND, 'flower').u32(TCA_CHAIN, 0).finish();
}

/** tcf_fill_node + fl_dump for `eth_type ipv4 ip_proto tcp dst_ip 10.0.0.1 dst_port 80`. */
function filterMsg(h: Hdr, f: FilterSpec): Uint8Array {
  const b = new NlMsgBuilder(h).put(tcmsg_encode({ ...tp, tcm_handle: f.handle })).string(TCA_KIND, 'flower').u32(TCA_CHAIN, 0);
  const o = b.nestStart(TCA_OPTIONS);
  b.be16(C.TCA_FLOWER_KEY_ETH_TYPE, 0x0800)
    .u8(C.TCA_FLOWER_KEY_IP_PROTO, 6)
    .be32(C.TCA_FLOWER_KEY_IPV4_DST, 0x0a000001).be32(C.TCA_FLOWER_KEY_IPV4_DST_MASK, 0xffffffff)
    .be16(C.TCA_FLOWER_KEY_TCP_DST, 80).be16(C.TCA_FLOWER_KEY_TCP_DST_MASK, 0xffff)
    .u32(C.TCA_FLOWER_FLAGS, f.flags)
    .u32(C.TCA_FLOWER_IN_HW_COUNT, f.in_hw_count);
  const acts = b.nestStart(C.TCA_FLOWER_ACT);
  f.actions.forEach((a, i) => {
    const n = b.nestStart(i + 1);
    b.string(C.TCA_ACT_KIND, a.kind);
    const opt = b.nestStart(C.TCA_ACT_OPTIONS);
    if (a.kind === 'gact') {
      b.attr(TCA_GACT_PARMS, new StructWriter(20).u32(0, 1).s32(8, a.verdict).s32(12, 1).s32(16, 1).bytes);
    } else {
      b.attr(TCA_MIRRED_PARMS, new StructWriter(28).u32(0, 2).s32(8, C.TC_ACT_STOLEN).s32(12, 1).s32(16, 1)
        .s32(20, TCA_EGRESS_REDIR).u32(24, a.ifindex).bytes);
    }
    b.nestEnd(opt);
    if (f.stats) {
      const st = b.nestStart(C.TCA_ACT_STATS);
      b.attr(1, new StructWriter(16).u64(0, f.stats.bytes).u32(8, f.stats.packets).bytes); // TCA_STATS_BASIC
      b.attr(7, new StructWriter(16).u64(0, f.stats.hw_bytes).u32(8, f.stats.hw_packets).bytes); // TCA_STATS_BASIC_HW
      b.attr(3, new StructWriter(20).bytes); // TCA_STATS_QUEUE
      b.nestEnd(st);
    }
    b.nestEnd(n);
  });
  b.nestEnd(acts);
  b.nestEnd(o);
  return b.finish();
}

/** A socket whose kernel answers the filter dump with `filters` under one tp. */
function dumping(filters: FilterSpec[]) {
  return (req: NlMsg, portid: number): Uint8Array[] | undefined => {
    if (req.hdr.nlmsg_type !== RTM_GETTFILTER) return undefined;
    const h: Hdr = { nlmsg_type: RTM_NEWTFILTER, nlmsg_flags: NLM_F_MULTI, nlmsg_seq: req.hdr.nlmsg_seq, nlmsg_pid: portid };
    const done = new NlMsgBuilder({ ...h, nlmsg_type: NLMSG_DONE }).put(new StructWriter(4).bytes).finish();
    return [tpHeader(h), ...filters.map((f) => filterMsg(h, f)), done];
  };
}

function show(argv: string, filters: FilterSpec[]) {
  const socket = new RecordingSocket({ lo: 1, v1: 2, v0: 3 }, dumping(filters));
  let stdout = '';
  let stderr = '';
  const code = tc_main(argv.split(' '), { socket, stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
  return { code, stdout, stderr };
}

const dropInHw: FilterSpec = {
  handle: 1, flags: C.TCA_CLS_FLAGS_SKIP_SW | C.TCA_CLS_FLAGS_IN_HW, in_hw_count: 1,
  actions: [{ kind: 'gact', verdict: C.TC_ACT_SHOT }],
};

describe('tc filter show', () => {
  it('prints the tp header, keys in iproute2 order, flags and actions', () => {
    const r = show('filter show dev v0 ingress', [dropInHw]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe([
      'filter protocol ip pref 1 flower chain 0 ',
      'filter protocol ip pref 1 flower chain 0 handle 0x1 ',
      '  eth_type ipv4',
      '  ip_proto tcp',
      '  dst_ip 10.0.0.1',
      '  dst_port 80',
      '  skip_sw',
      '  in_hw in_hw_count 1',
      '\taction order 1: gact action drop',
      '\t random type none pass val 0',
      '\t index 1 ref 1 bind 1',
      '',
      '',
    ].join('\n'));
  });

  it('prints not_in_hw and the mirred line', () => {
    const r = show('filter show dev v0 ingress', [{
      handle: 2, flags: C.TCA_CLS_FLAGS_SKIP_HW | C.TCA_CLS_FLAGS_NOT_IN_HW, in_hw_count: 0,
      actions: [{ kind: 'mirred', ifindex: 2 }],
    }]);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      'filter protocol ip pref 1 flower chain 0 handle 0x2 ',
      '  eth_type ipv4',
      '  ip_proto tcp',
      '  dst_ip 10.0.0.1',
      '  dst_port 80',
      '  skip_hw',
      '  not_in_hw',
      '\taction order 1: mirred (Egress Redirect to device v1) stolen',
      '\tindex 2 ref 1 bind 1',
      '',
      '',
    ]);
  });

  it('names the device and parent when the dump was not filtered on them', () => {
    const r = show('filter show', [dropInHw]);
    expect(r.stdout.split('\n')[0]).toBe('filter dev v0 ingress protocol ip pref 1 flower chain 0 ');
  });

  it('-s adds action statistics with the software/hardware split', () => {
    const r = show('-s filter show dev v0 ingress', [{
      ...dropInHw, stats: { bytes: 1000n, packets: 10, hw_bytes: 600n, hw_packets: 6 },
    }]);
    expect(r.stdout.split('\n').slice(10)).toEqual([
      '\t index 1 ref 1 bind 1',
      '\tAction statistics:',
      '\tSent 1000 bytes 10 pkt (dropped 0, overlimits 0 requeues 0) ',
      '\tSent software 400 bytes 4 pkt',
      '\tSent hardware 600 bytes 6 pkt',
      '\tbacklog 0b 0p requeues 0',
      '',
      '',
    ]);
  });

  it('-j prints one JSON object per message', () => {
    const r = show('-j filter show dev v0 ingress', [dropInHw, {
      handle: 2, flags: C.TCA_CLS_FLAGS_NOT_IN_HW, in_hw_count: 0, actions: [{ kind: 'mirred', ifindex: 2 }],
    }]);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toEqual([
      { protocol: 'ip', pref: 1, kind: 'flower', chain: 0 },
      {
        protocol: 'ip', pref: 1, kind: 'flower', chain: 0,
        options: {
          handle: 1,
          keys: { eth_type: 'ipv4', ip_proto: 'tcp', dst_ip: '10.0.0.1', dst_port: 80 },
          skip_sw: true, in_hw: true, in_hw_count: 1,
          actions: [{
            order: 1, kind: 'gact', control_action: { type: 'drop' },
            prob: { random_type: 'none', control_action: { type: 'pass' }, val: 0 }, index: 1, ref: 1, bind: 1,
          }],
        },
      },
      {
        protocol: 'ip', pref: 1, kind: 'flower', chain: 0,
        options: {
          handle: 2,
          keys: { eth_type: 'ipv4', ip_proto: 'tcp', dst_ip: '10.0.0.1', dst_port: 80 },
          not_in_hw: true,
          actions: [{
            order: 1, kind: 'mirred', mirred_action: 'redirect', direction: 'egress', to_dev: 'v1',
            control_action: { type: 'stolen' }, index: 2, ref: 1, bind: 1,
          }],
        },
      },
    ]);
  });

  it('-s -j puts statistics under "stats"', () => {
    const r = show('-s -j filter show dev v0 ingress', [{
      ...dropInHw, stats: { bytes: 1000n, packets: 10, hw_bytes: 600n, hw_packets: 6 },
    }]);
    const f = (JSON.parse(r.stdout) as Array<{ options?: { actions: Array<{ stats: unknown }> } }>)[1]!;
    expect(f.options!.actions[0]!.stats).toEqual({
      bytes: 1000, packets: 10, drops: 0, overlimits: 0, requeues: 0,
      sw_bytes: 400, sw_packets: 4, hw_bytes: 600, hw_packets: 6, backlog: 0, qlen: 0,
    });
  });

  it('a prio without filters prints only its header', () => {
    expect(show('filter show dev v0 ingress', [])).toMatchObject({ code: 0, stdout: 'filter protocol ip pref 1 flower chain 0 \n' });
  });
});
