import { describe, expect, it } from 'vitest';
import { Host } from '../../host/host';
import { defaultTopology } from '../../host/topology';
import { runCommand } from '../../host/commands';
import { flatten } from '../../trace/query';

const KEY = "'eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no)'";

function host(offload: boolean, extra: Record<string, string> = {}): Host {
  const h = new Host(defaultTopology());
  if (offload) h.setOtherConfig('hw-offload', 'true');
  for (const [k, v] of Object.entries(extra)) h.setOtherConfig(k, v);
  return h;
}

function run(h: Host, line: string): { stdout: string; stderr: string; exitCode: number } {
  return runCommand(h, line);
}

function ok(h: Host, line: string): string {
  const r = run(h, line);
  expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const passes = (h: Host): number => flatten(h.tracer.all()).filter((x) => x.fn === 'udpif_revalidator').length;

describe('udpif_revalidator timing (ofproto/ofproto-dpif-upcall.c v3.6.3)', () => {
  it.each([
    // [other_config, ms slept, passes expected]: one pass every MIN(max-idle, max-revalidator) ms
    [{}, 2000, 4],
    [{ 'max-revalidator': '1000' }, 2000, 2],
    [{ 'max-idle': '200' }, 1000, 5],
    [{ 'max-revalidator': '50' }, 1000, 2], // below 100 ms is ignored: stays 500
  ])('with %j, sleeping %d ms runs %d passes', (cfg, ms, n) => {
    const h = host(false, cfg);
    void h.ovs;
    h.tracer.reset();
    h.advance(ms);
    expect(passes(h)).toBe(n);
  });
});

describe('revalidate: idle expiry', () => {
  it.each([
    // [hw-offload, sleep before check (s), flow still there]
    [true, 10.0, true],
    [true, 10.5, false],
    [false, 10.0, true],
    [false, 10.5, false],
  ])('hw-offload=%s: after %ds the flow is there: %s', (offload, secs, there) => {
    const h = host(offload);
    ok(h, `emulate upcall 2 ${KEY} 3`);
    ok(h, `sleep ${secs}`);
    expect(ok(h, 'ovs-appctl dpctl/dump-flows').includes('actions:3')).toBe(there);
    expect(h.ovs.ukeys()).toHaveLength(there ? 1 : 0);
  });

  it('deletes an idle offloaded flow through netdev_tc_flow_del and the driver, and counts the delete', () => {
    const h = host(true);
    ok(h, `emulate upcall 2 ${KEY} 3`);
    ok(h, 'sleep 11');
    const hops = flatten(h.tracer.all()).map((x) => x.fn);
    for (const fn of ['push_dp_ops', 'netdev_tc_flow_del', 'tc_del_tfilter', 'mlx5e_delete_flower']) expect(hops, fn).toContain(fn);
    expect(h.ovs.coverage().get('dpif_flow_del')).toBe(1);
    expect(h.ovs.coverage().get('dpif_flow_del_error')).toBeUndefined();
    expect(ok(h, 'tc filter show dev enp8s0f0_0 ingress')).not.toContain('flower');
  });

  it('keeps a flow whose hardware counters moved, until it is idle again', () => {
    const h = host(true);
    ok(h, `emulate upcall 2 ${KEY} 3`);
    ok(h, 'sleep 8');
    ok(h, 'emulate traffic 1 packets 84 bytes');
    ok(h, 'sleep 10'); // counters seen at t=9 s (the driver's stats work); idle from then on
    expect(ok(h, 'ovs-appctl dpctl/dump-flows')).toContain('packets:1');
    ok(h, 'sleep 1.5'); // the pass at t=19.5 s finds it idle for more than 10 s
    expect(ok(h, 'ovs-appctl dpctl/dump-flows')).toBe('');
  });

  it('a flow the datapath lost is forgotten after 4 sweeps that missed it (revalidate_missing_dp_flow)', () => {
    const h = host(false);
    ok(h, `emulate upcall 2 ${KEY} 3`);
    ok(h, `ovs-dpctl del-flows`);
    ok(h, 'sleep 1.5');
    expect(h.ovs.ukeys()).toHaveLength(1);
    ok(h, 'sleep 0.5');
    expect(h.ovs.ukeys()).toHaveLength(0);
    expect(h.ovs.coverage().get('revalidate_missing_dp_flow')).toBe(1);
    // Its delete finds nothing: upstream logs the failed flow_del at WARN.
    expect(h.ovs.vlog_lines().some((l) => l.includes('failed to flow_del (No such file or directory)'))).toBe(true);
  });

  it('upcall/show reports the flow counts the leader saw and a 1 ms dump', () => {
    const h = host(false);
    ok(h, `emulate upcall 2 ${KEY} 3`);
    ok(h, 'sleep 0.5');
    const out = ok(h, 'ovs-appctl upcall/show');
    expect(out).toContain('flows         : (current 1) (avg 0) (max 1) (limit 10000)');
    expect(out).toContain('dump duration : 1ms');
  });
});

describe('dpctl/offload-stats-show (lib/dpctl.c v3.6.3)', () => {
  it.each([
    ['ovs-appctl dpctl/offload-stats-show', 2, 'ovs-vswitchd: retrieving offload statistics (Operation not supported)\novs-appctl: ovs-vswitchd: server returned an error\n'],
    ['ovs-appctl dpctl/offload-stats-show system@ovs-system', 2, 'ovs-vswitchd: retrieving offload statistics (Operation not supported)\novs-appctl: ovs-vswitchd: server returned an error\n'],
    ['ovs-dpctl offload-stats-show', 1, 'ovs-dpctl: retrieving offload statistics (Operation not supported)\n'],
    ['ovs-appctl dpctl/offload-stats-show a b', 2, '"dpctl/offload-stats-show" command takes at most 1 arguments\novs-appctl: ovs-vswitchd: server returned an error\n'],
  ])('%s exits %d', (line, code, stderr) => {
    const h = host(true);
    const r = run(h, line);
    expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ exitCode: code, stdout: '', stderr });
  });
});

describe('revalidator/purge (upcall_unixctl_purge)', () => {
  it('deletes the flows with ukeys and leaves a ukey-less kernel flow alone', () => {
    const h = host(false);
    ok(h, `emulate upcall 2 ${KEY} 3`);
    ok(h, "ovs-dpctl add-flow 'in_port(1),eth(src=02:00:00:00:00:03,dst=02:00:00:00:00:01),eth_type(0x0800),ipv4(frag=no)' 2");
    expect(ok(h, 'ovs-appctl revalidator/purge')).toBe('');
    expect(ok(h, 'ovs-appctl dpctl/dump-flows')).toMatch(/^in_port\(1\),.*actions:2\n$/);
    expect(h.ovs.ukeys()).toHaveLength(0);
    expect(run(h, 'ovs-appctl revalidator/purge x').exitCode).toBe(2);
  });
});
