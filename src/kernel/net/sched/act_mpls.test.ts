// net/sched/act_mpls.c: the requests tc 6.1 sends for `action mpls …` are
// validated per mode as the kernel does, and offload_act_setup hands the
// driver MPLS_PUSH / MPLS_POP / MPLS_MANGLE (dec_ttl has no flow action).
import { describe, expect, it } from 'vitest';
import { start_kernel } from '../../init/main';
import { ack_of, fake_offload_dev, plain_dev, qdisc_req, rtnl_socket, transact, type FakeDriver } from '../../testing/harness';
import { FLOW_CLS_REPLACE, type FlowActionEntry } from '../../include/net/flow_offload';
import { tc_encode } from '../../../iproute2/tc_encode';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import type { Kernel } from '../../init/main';

interface Bed { k: Kernel; drv: FakeDriver; ifindex: Record<string, number> }

function bed(): Bed {
  const k = start_kernel();
  const drv = fake_offload_dev(k, 'v0');
  const v1 = plain_dev(k, 'v1');
  const ack = ack_of(transact(rtnl_socket(k), qdisc_req(drv.dev.ifindex, 'ingress')));
  if (ack?.error) throw new Error(`qdisc add: ${ack.error}`);
  return { k, drv, ifindex: { v0: drv.dev.ifindex, v1: v1.ifindex } };
}

/** `tc filter add dev v0 ingress protocol P prio 1 flower <rest>`: the ack and the entries the driver saw. */
function add(b: Bed, proto: string, rest: string): { err: string; msg?: string; entries: FlowActionEntry[] | null } {
  const args = `filter add dev v0 ingress protocol ${proto} prio 1 flower ${rest}`;
  const r = tc_encode(args.split(' '), b.ifindex);
  if (!('requests' in r)) throw new Error(`tc_encode(${args}): ${r.stderr}`);
  const req = r.requests.find((m) => m[4] === 44)!; // RTM_NEWTFILTER
  const ack = ack_of(transact(rtnl_socket(b.k), req));
  const call = b.drv.calls.find((c) => c.command === FLOW_CLS_REPLACE);
  const msg = ack?.ext_msg;
  return { err: errnoName(ack?.error ?? 0), ...(msg ? { msg } : {}), entries: call ? call.offload.rule!.action.entries : null };
}

describe('tcf_mpls_offload_act_setup (v6.18)', () => {
  it.each([
    { name: 'push with every field', proto: 'ip', cmd: 'action mpls push protocol mpls_uc label 100 tc 3 ttl 64 bos 1',
      want: { id: 'FLOW_ACTION_MPLS_PUSH', mpls_push: { proto: 0x8847, label: 100, tc: 3, ttl: 64, bos: 1 } } },
    { name: 'push: default ttl 255, tc/bos not set', proto: 'ip', cmd: 'action mpls push label 100',
      want: { id: 'FLOW_ACTION_MPLS_PUSH', mpls_push: { proto: 0x8847, label: 100, tc: 0xff, ttl: 255, bos: 0xff } } },
    { name: 'pop', proto: 'mpls_uc', cmd: 'action mpls pop protocol ip', want: { id: 'FLOW_ACTION_MPLS_POP', mpls_pop: { proto: 0x0800 } } },
    { name: 'modify', proto: 'mpls_uc', cmd: 'action mpls modify label 5 ttl 9',
      want: { id: 'FLOW_ACTION_MPLS_MANGLE', mpls_mangle: { label: 5, tc: 0xff, ttl: 9, bos: 0xff } } },
  ])('$name', ({ proto, cmd, want }) => {
    const r = add(bed(), proto, cmd);
    expect(r.err, `tc filter add … ${cmd}: got ${r.err} ${r.msg ?? ''}, want 0`).toBe('0');
    expect(r.entries?.[0]).toMatchObject(want);
  });
});

describe('tcf_mpls_init validation (v6.18)', () => {
  it.each([
    { name: 'the implicit-null label', proto: 'ip', cmd: 'skip_hw action mpls push label 3', err: '-EINVAL', msg: 'act_mpls: MPLS label out of range' },
    { name: 'pop to a non-802.3 protocol', proto: 'mpls_uc', cmd: 'skip_hw action mpls pop protocol 0x0001', err: '-EINVAL',
      msg: 'act_mpls: Invalid protocol type for MPLS pop' },
    { name: 'dec_ttl offloaded', proto: 'ip', cmd: 'skip_sw action mpls dec_ttl', err: '-EOPNOTSUPP',
      msg: 'act_mpls: Offload not supported when "dec_ttl" option is used' },
  ])('$name', ({ proto, cmd, err, msg }) => {
    const r = add(bed(), proto, cmd);
    expect(r.err, `tc filter add … ${cmd}`).toBe(err);
    expect(r.msg).toBe(msg);
  });
});
