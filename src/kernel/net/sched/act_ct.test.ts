// net/sched/act_ct.c: the requests tc 6.1 sends for ct (zone, commit, nat,
// mark, label, clear) are accepted, and tcf_ct_offload_act_setup hands the
// driver the zone, the action bits and the zone's flow table (none for clear).
import { describe, expect, it } from 'vitest';
import { start_kernel } from '../../init/main';
import { ack_of, fake_offload_dev, plain_dev, qdisc_req, rtnl_socket, transact, type FakeDriver } from '../../testing/harness';
import { FLOW_CLS_REPLACE, type FlowActionEntry } from '../../include/net/flow_offload';
import { tc_encode } from '../../../iproute2/tc_encode';
import { errnoName } from '../../include/uapi/asm-generic/errno';
import {
  TCA_CT_ACT_CLEAR, TCA_CT_ACT_COMMIT, TCA_CT_ACT_FORCE, TCA_CT_ACT_NAT, TCA_CT_ACT_NAT_DST, TCA_CT_ACT_NAT_SRC,
} from '../../include/uapi/linux/tc_act/tc_ct';

function bed(): { add: (rest: string) => { err: string; entries: FlowActionEntry[] | null } } {
  const k = start_kernel();
  const drv: FakeDriver = fake_offload_dev(k, 'v0');
  const v1 = plain_dev(k, 'v1');
  const ack = ack_of(transact(rtnl_socket(k), qdisc_req(drv.dev.ifindex, 'ingress')));
  if (ack?.error) throw new Error(`qdisc add: ${ack.error}`);
  return {
    add(rest) {
      const args = `filter add dev v0 ingress protocol ip prio 1 flower ${rest}`;
      const r = tc_encode(args.split(' '), { v0: drv.dev.ifindex, v1: v1.ifindex });
      if (!('requests' in r)) throw new Error(`tc_encode(${args}): ${r.stderr}`);
      const req = r.requests.find((m) => m[4] === 44)!; // RTM_NEWTFILTER
      const a = ack_of(transact(rtnl_socket(k), req));
      const call = drv.calls.find((c) => c.command === FLOW_CLS_REPLACE);
      return { err: errnoName(a?.error ?? 0), entries: call ? call.offload.rule!.action.entries : null };
    },
  };
}

describe('tcf_ct_offload_act_setup (act_ct.c v6.18)', () => {
  it.each([
    { name: 'ct zone 5', act: 'ct zone 5', ct: { zone: 5, action: 0, flow_table: { zone: 5 } } },
    { name: 'ct commit force zone 2', act: 'ct commit force zone 2', ct: { zone: 2, action: TCA_CT_ACT_COMMIT | TCA_CT_ACT_FORCE, flow_table: { zone: 2 } } },
    { name: 'ct nat (restore)', act: 'ct nat zone 3', ct: { zone: 3, action: TCA_CT_ACT_NAT, flow_table: { zone: 3 } } },
    { name: 'ct commit nat src', act: 'ct commit nat src addr 192.168.0.1 port 1000-2000', ct: { zone: 0, action: TCA_CT_ACT_COMMIT | TCA_CT_ACT_NAT | TCA_CT_ACT_NAT_SRC, flow_table: { zone: 0 } } },
    { name: 'ct commit nat dst', act: 'ct commit nat dst addr 10.1.1.1-10.1.1.9', ct: { zone: 0, action: TCA_CT_ACT_COMMIT | TCA_CT_ACT_NAT | TCA_CT_ACT_NAT_DST, flow_table: { zone: 0 } } },
    { name: 'ct commit mark and label', act: 'ct commit mark 7/0xff label 01/ff', ct: { zone: 0, action: TCA_CT_ACT_COMMIT, flow_table: { zone: 0 } } },
    { name: 'ct clear: no flow table', act: 'ct clear', ct: { zone: 0, action: TCA_CT_ACT_CLEAR, flow_table: null } },
  ])('$name', ({ act, ct }) => {
    const r = bed().add(`dst_ip 10.0.0.1 action ${act} action mirred egress redirect dev v1`);
    expect(r.err, `add ${act}: got ${r.err}, want 0`).toBe('0');
    expect(r.entries?.[0]).toMatchObject({ id: 'FLOW_ACTION_CT', ct });
  });
});
