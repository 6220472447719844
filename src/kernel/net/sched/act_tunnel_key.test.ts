// net/sched/act_tunnel_key.c (v6.18) tunnel options: the vxlan (GBP) and
// erspan option nests real tc 6.1 sends, the checks tunnel_key_copy_opts and
// tunnel_key_opts_set make on hand-made lists, and the flow_action entry the
// driver receives.
import { describe, expect, it } from 'vitest';
import { start_kernel, type Kernel } from '../../init/main';
import { ack_of, fake_offload_dev, plain_dev, qdisc_req, rtnl_socket, transact, type FakeDriver } from '../../testing/harness';
import { FLOW_CLS_REPLACE, type FlowActionEntry } from '../../include/net/flow_offload';
import { tc_encode } from '../../../iproute2/tc_encode';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import type { NetlinkExtAck } from '../../include/linux/netlink';
import { NLA_F_NESTED, NlMsgBuilder, StructWriter, nla_walk } from '../../../netlink/attr';
import {
  TCA_TUNNEL_KEY_ACT_SET, TCA_TUNNEL_KEY_ENC_IPV4_DST, TCA_TUNNEL_KEY_ENC_IPV4_SRC, TCA_TUNNEL_KEY_ENC_OPTS,
  TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN, TCA_TUNNEL_KEY_ENC_OPTS_GENEVE, TCA_TUNNEL_KEY_ENC_OPTS_VXLAN,
  TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER, TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS,
  TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA, TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE, TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP,
  TCA_TUNNEL_KEY_PARMS,
} from '../../include/uapi/linux/tc_act/tc_tunnel_key';
import { tunnel_key_init } from './act_tunnel_key';

interface Bed { k: Kernel; drv: FakeDriver; ifindex: Record<string, number> }

function bed(): Bed {
  const k = start_kernel();
  const drv = fake_offload_dev(k, 'v0');
  const v1 = plain_dev(k, 'v1');
  const ack = ack_of(transact(rtnl_socket(k), qdisc_req(drv.dev.ifindex, 'ingress')));
  if (ack?.error) throw new Error(`qdisc add: ${ack.error}`);
  return { k, drv, ifindex: { v0: drv.dev.ifindex, v1: v1.ifindex } };
}

/** `tc filter add dev v0 ingress protocol ip prio 1 flower <rest>`: the ack and the entries the driver saw. */
function add(b: Bed, rest: string): { err: string; msg?: string; entries: FlowActionEntry[] | null } {
  const args = `filter add dev v0 ingress protocol ip prio 1 flower ${rest}`;
  const r = tc_encode(args.split(' '), b.ifindex);
  if (!('requests' in r)) throw new Error(`tc_encode(${args}): ${r.stderr}`);
  const req = r.requests.find((m) => m[4] === 44)!; // RTM_NEWTFILTER
  const ack = ack_of(transact(rtnl_socket(b.k), req));
  const call = b.drv.calls.find((c) => c.command === FLOW_CLS_REPLACE);
  const msg = ack?.ext_msg;
  return { err: errnoName(ack?.error ?? 0), ...(msg ? { msg } : {}), entries: call ? call.offload.rule!.action.entries : null };
}

const SET = 'dst_ip 10.0.0.1 action tunnel_key set src_ip 10.1.1.2 dst_ip 10.1.1.1 id 42 dst_port 4789';
const REDIR = 'action mirred egress redirect dev v1';

describe('tunnel_key set with vxlan/erspan options (tunnel_key_copy_vxlan_opt, tunnel_key_copy_erspan_opt)', () => {
  it.each([
    { name: 'vxlan GBP, masked to VXLAN_GBP_MASK', opts: 'vxlan_opts 0xffffffff', want: { vxlan_opt: { gbp: 0x0048ffff } } },
    { name: 'vxlan GBP 0 is still an option', opts: 'vxlan_opts 0', want: { vxlan_opt: { gbp: 0 } } },
    { name: 'erspan v1 index', opts: 'erspan_opts 1:12:0:0', want: { erspan_opt: { version: 1, index: 12, dir: 0, hwid: 0 } } },
    // tc's strtok skips the empty token: ":1:0:0" is VER 1, INDEX 0, DIR 0
    { name: 'erspan with a leading colon', opts: 'erspan_opts :1:0:0', want: { erspan_opt: { version: 1, index: 0, dir: 0, hwid: 0 } } },
    { name: 'erspan v2: dir is 1 bit, hwid 6 bits', opts: 'erspan_opts 2:0:3:255', want: { erspan_opt: { version: 2, index: 0, dir: 1, hwid: 63 } } },
  ])('$name', ({ opts, want }) => {
    const r = add(bed(), `${SET} ${opts} ${REDIR}`);
    expect(r.err, `tc filter add … ${opts}: ${r.msg ?? ''}`).toBe('0');
    expect(r.entries?.[0]?.id).toBe('FLOW_ACTION_TUNNEL_ENCAP');
    expect(r.entries?.[0]?.tunnel).toMatchObject({ key_id: 42, tp_dst: 4789, ...want });
  });

  it.each([
    { name: 'erspan version 3', opts: 'erspan_opts 3:1:0:0', msg: 'Tunnel key erspan option ver is incorrect' },
    { name: 'erspan v1 without index', opts: 'erspan_opts 1', msg: 'Missing tunnel key erspan option index' },
    { name: 'erspan v2 without hwid', opts: 'erspan_opts 2:0:1', msg: 'Missing tunnel key erspan option dir or hwid' },
  ])('$name → -EINVAL "$msg"', ({ opts, msg }) => {
    const r = add(bed(), `${SET} ${opts} ${REDIR}`);
    expect({ err: r.err, msg: r.msg }, `tc filter add … ${opts}`).toEqual({ err: '-EINVAL', msg });
    expect(r.entries, 'no driver call').toBeNull();
  });
});

/** A tunnel_key SET request with a hand-made TCA_TUNNEL_KEY_ENC_OPTS list. */
function init_with_opts(fill: (b: NlMsgBuilder) => void): { err: string; msg?: string } {
  const b = new NlMsgBuilder({ nlmsg_type: 0, nlmsg_flags: 0, nlmsg_seq: 0, nlmsg_pid: 0 });
  const top = b.nestStart(2 | NLA_F_NESTED); // TCA_ACT_OPTIONS
  b.attr(TCA_TUNNEL_KEY_PARMS, new StructWriter(24).s32(20, TCA_TUNNEL_KEY_ACT_SET).bytes);
  b.be32(TCA_TUNNEL_KEY_ENC_IPV4_SRC, 0x0a010102);
  b.be32(TCA_TUNNEL_KEY_ENC_IPV4_DST, 0x0a010101);
  const opts = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS | NLA_F_NESTED);
  fill(b);
  b.nestEnd(opts);
  b.nestEnd(top);
  const msg = b.finish();
  const nla = nla_walk(msg.subarray(16), 16).attrs[0]!;
  const extack: NetlinkExtAck = {};
  const r = tunnel_key_init(start_kernel().net, nla, null, 0, extack);
  return { err: errnoName(r.err < 0 ? r.err : 0), ...(extack._msg ? { msg: extack._msg } : {}) };
}
const vxlan = (b: NlMsgBuilder): void => {
  const n = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_VXLAN | NLA_F_NESTED);
  b.u32(TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP, 16);
  b.nestEnd(n);
};
const erspan = (b: NlMsgBuilder): void => {
  const n = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN | NLA_F_NESTED);
  b.u8(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER, 1);
  b.be32(TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX, 7);
  b.nestEnd(n);
};
const geneve = (b: NlMsgBuilder): void => {
  const n = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_GENEVE | NLA_F_NESTED);
  b.be16(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS, 0x102);
  b.u8(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE, 0x80);
  b.attr(TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA, new Uint8Array([1, 2, 3, 4]));
  b.nestEnd(n);
};

describe('tunnel_key_copy_opts / tunnel_key_opts_set on hand-made lists (v6.18)', () => {
  it.each([
    { name: 'vxlan alone', fill: [vxlan], want: { err: '0' } },
    { name: 'two vxlan nests', fill: [vxlan, vxlan], want: { err: '-EINVAL', msg: 'Duplicate type for vxlan options' } },
    { name: 'geneve then vxlan', fill: [geneve, vxlan], want: { err: '-EINVAL', msg: 'Duplicate type for vxlan options' } },
    { name: 'vxlan then erspan', fill: [vxlan, erspan], want: { err: '-EINVAL', msg: 'Duplicate type for erspan options' } },
    { name: 'erspan then geneve', fill: [erspan, geneve], want: { err: '-EINVAL', msg: 'Duplicate type for geneve options' } },
    { name: 'geneve twice is a list', fill: [geneve, geneve], want: { err: '0' } },
    { name: 'vxlan nest without GBP', fill: [(b: NlMsgBuilder) => b.nestEnd(b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_VXLAN | NLA_F_NESTED))],
      want: { err: '-EINVAL', msg: 'Missing tunnel key vxlan option gbp' } },
    { name: 'erspan nest without ver', fill: [(b: NlMsgBuilder) => b.nestEnd(b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN | NLA_F_NESTED))],
      want: { err: '-EINVAL', msg: 'Missing tunnel key erspan option ver' } },
    { name: 'vxlan nest without NLA_F_NESTED (strict parse)', fill: [(b: NlMsgBuilder) => {
      const n = b.nestStart(TCA_TUNNEL_KEY_ENC_OPTS_VXLAN); b.u32(TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP, 1); b.nestEnd(n);
    }], want: { err: '-EINVAL', msg: 'NLA_F_NESTED is missing' } },
    { name: 'only an unknown type', fill: [(b: NlMsgBuilder) => b.u32(7, 1)], want: { err: '-EINVAL', msg: 'Empty list of tunnel options' } },
    { name: 'an unknown type first, then vxlan', fill: [(b: NlMsgBuilder) => b.u32(7, 1), vxlan],
      want: { err: '-EINVAL', msg: 'Cannot set tunnel options for unknown tunnel type' } },
  ])('$name', ({ fill, want }) => {
    expect(init_with_opts((b) => fill.forEach((f) => f(b)))).toEqual(want);
  });
});
