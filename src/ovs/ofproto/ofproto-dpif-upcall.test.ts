import { describe, expect, it } from 'vitest';
import { Host } from '../../host/host';
import { defaultTopology } from '../../host/topology';
import { runCommand } from '../../host/commands';
import { flatten } from '../../trace/query';

const KEY = "'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)'";

function host(offload: boolean): Host {
  const h = new Host(defaultTopology());
  if (offload) h.setOtherConfig('hw-offload', 'true');
  return h;
}

function run(h: Host, line: string): string {
  const r = runCommand(h, line);
  expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('handle_upcalls (ofproto/ofproto-dpif-upcall.c v3.6.3)', () => {
  it('installs a miss as OPERATIONAL through should_install_flow, ukey_install, put_op_init', () => {
    const h = host(true);
    void h.ovs;
    h.tracer.reset();
    run(h, `emulate upcall 2 ${KEY} 1`);
    expect(h.ovs.ukeys().map((u) => u.state)).toEqual(['UKEY_OPERATIONAL']);
    const hops = flatten(h.tracer.all()).map((x) => x.fn);
    const order = ['should_install_flow', 'ukey_install', 'put_op_init', 'dpif_operate'].map((fn) => hops.indexOf(fn));
    expect(order.every((i) => i >= 0), `hops: ${hops.join(' ')}`).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('a second miss for the same UFID is a duplicate (handler_duplicate_upcall), not a second put', () => {
    const h = host(false);
    run(h, `emulate upcall 2 ${KEY} 1`);
    run(h, `emulate upcall 2 ${KEY} 1`);
    expect(h.ovs.coverage().get('handler_duplicate_upcall')).toBe(1);
    expect(h.ovs.coverage().get('dpif_flow_put')).toBe(1);
    expect(run(h, 'ovs-appctl coverage/show')).toMatch(/^handler_duplicate_upcall\s+0\.0\/sec\s+0\.000\/sec\s+0\.0000\/sec {3}total: 1$/m);
  });
});

describe('coverage/show (lib/coverage.c v3.6.3)', () => {
  it('prints the header, the counters hit and how many never were', () => {
    const out = run(host(false), 'ovs-appctl coverage/show').split('\n');
    expect(out[0]).toMatch(/^Event coverage, avg rate over last: 5 seconds, last minute, last hour, {2}hash=[0-9a-f]{8}:$/);
    expect(out.at(-2)).toMatch(/^\d+ events never hit$/);
  });
});

describe('ovs-vswitchd restart', () => {
  it('applies a tc-policy change made while running only after the restart', () => {
    const h = host(true);
    run(h, `emulate upcall 2 ${KEY} 1`);
    h.setOtherConfig('tc-policy', 'skip_hw');
    expect(h.ovs.vlog_lines().some((l) => l.includes("Using policy 'skip_hw'"))).toBe(false);
    run(h, 'emulate restart ovs-vswitchd');
    const log = h.ovs.vlog_lines();
    expect(log.filter((l) => l.includes('netdev: Flow API Enabled'))).toHaveLength(2); // the old file goes on
    expect(log.at(-1)).toMatch(/bridge br0: added interface|Assigned flow API/);
    expect(log.some((l) => l.endsWith("tc|INFO|tc: Using policy 'skip_hw'"))).toBe(true);
    expect(h.ovs.ufid_tc_mappings()).toEqual([]); // flushed, and the new process starts empty
  });
});
