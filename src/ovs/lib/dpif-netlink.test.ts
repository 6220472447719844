import { describe, expect, it } from 'vitest';
import { TCP_FLOW, handler_pid, start } from '../testing/ovs-fixture';

describe('dpif_netlink_operate fallback (lib/dpif-netlink.c v3.6.3)', () => {
  it.each([
    {
      name: 'tc accepts: no datapath message',
      answer: { ok: true as const }, exit: 0, tc: 1, dp: 0, stderr: '',
      log: ['DBG|dpif_netlink|added flow'],
    },
    {
      name: 'NAK EOPNOTSUPP: kernel datapath gets OVS_FLOW_CMD_NEW, DBG line',
      answer: { ok: false as const, errno: 95, extack: 'mlx5_core: Unsupported key' }, exit: 0, tc: 1, dp: 1, stderr: '',
      log: ['DBG|netlink_socket|received NAK error=95 - mlx5_core: Unsupported key', 'DBG|dpif_netlink|failed to offload flow: Operation not supported: enp8s0f0_0'],
    },
    {
      name: 'NAK EINVAL: kernel datapath gets it, ERR line',
      answer: { ok: false as const, errno: 22 }, exit: 0, tc: 1, dp: 1, stderr: '',
      log: ['DBG|netlink_socket|received NAK error=22 - Invalid argument', 'ERR|dpif_netlink|failed to offload flow: Invalid argument: enp8s0f0_0'],
    },
    {
      name: 'EEXIST: nothing sent to the datapath, the put fails',
      answer: { ok: false as const, errno: 17 }, exit: 2, tc: 1, dp: 0,
      stderr: 'ovs-vswitchd: updating flow table (File exists)\novs-appctl: ovs-vswitchd: server returned an error\n',
      log: ['DBG|netlink_socket|received NAK error=17 - File exists'],
    },
  ])('$name', ({ answer, exit, tc, dp, stderr, log }) => {
    const f = start({ 'hw-offload': 'true' });
    f.k.filter_answers = [answer];
    f.mark();
    const r = f.v.dpctl(['add-flow', TCP_FLOW, '1'], true);
    expect(r.exitCode).toBe(exit);
    expect(r.stderr).toBe(stderr);
    const o = f.since();
    expect({ tc: o.tc_filters, dp: o.dp_flow_new }).toEqual({ tc, dp });
    for (const l of log) expect(o.log).toContain(l);
    const failed = o.log.filter((l) => l.includes('failed to offload'));
    expect(failed.length).toBe(log.filter((l) => l.includes('failed to offload')).length);
    expect(f.v.ufid_tc_mappings()).toHaveLength(answer.ok ? 1 : 0);
  });

  it('the final result is logged by dpif: WARN on failure other than EEXIST', () => {
    const f = start({ 'hw-offload': 'true' });
    f.k.filter_answers = [{ ok: false, errno: 95 }];
    f.k.flow_errno = 22;
    f.mark();
    expect(f.v.dpctl(['add-flow', TCP_FLOW, '1'], true).exitCode).toBe(2);
    expect(f.since().log.filter((l) => l.startsWith('WARN|dpif|'))).toEqual([
      expect.stringMatching(/^WARN\|dpif\|system@ovs-system: failed to put\[create\] \(Invalid argument\) ufid:[0-9a-f-]{36} recirc_id\(0\),in_port\(2\),/),
    ]);
  });

  it('hw-offload=false: kernel datapath only', () => {
    const f = start({});
    f.mark();
    expect(f.v.dpctl(['add-flow', TCP_FLOW, '1'], true).exitCode).toBe(0);
    const o = f.since();
    expect({ tc: o.tc_filters, dp: o.dp_flow_new, ufid: o.dp_flow_new_has_ufid }).toEqual({ tc: 0, dp: 1, ufid: [true] });
  });

  it('ovs-dpctl add-flow: its own process, no ufid, kernel datapath only', () => {
    const f = start({ 'hw-offload': 'true' });
    f.mark();
    const r = f.v.dpctl(['add-flow', TCP_FLOW, '1'], false);
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const o = f.since();
    expect({ tc: o.tc_filters, dp: o.dp_flow_new, ufid: o.dp_flow_new_has_ufid }).toEqual({ tc: 0, dp: 1, ufid: [false] });
    expect(o.log).toEqual([]); // ovs-dpctl logs to its own process, not ovs-vswitchd's
  });

  it('ovs-dpctl reports errors as ovs-dpctl with exit 1', () => {
    const f = start({});
    f.k.flow_errno = 17;
    expect(f.v.dpctl(['add-flow', TCP_FLOW, '1'], false)).toEqual({ exitCode: 1, stdout: '', stderr: 'ovs-dpctl: updating flow table (File exists)\n' });
  });

  it('parse errors are reported as dpctl_error does', () => {
    const f = start({});
    expect(f.v.dpctl(['add-flow', 'in_port(1),bogus(2)', '1'], true).stderr)
      .toBe('ovs-vswitchd: parsing flow key (syntax error at bogus(2)) (Invalid argument)\novs-appctl: ovs-vswitchd: server returned an error\n');
    expect(f.v.dpctl(['add-flow', 'in_port(1)', 'recirc(0x1)'], true).stderr)
      .toBe('ovs-vswitchd: parsing actions (Invalid argument)\novs-appctl: ovs-vswitchd: server returned an error\n');
  });
});

describe('upcall handler (ofproto/ofproto-dpif-upcall.c)', () => {
  function upcall(offload: boolean, answer: { ok: true } | { ok: false; errno: number }, flow_errno = 0) {
    const f = start(offload ? { 'hw-offload': 'true' } : {});
    f.k.filter_answers = [answer];
    f.k.flow_errno = flow_errno;
    expect(f.v.ofproto_dpif_add_xlate(TCP_FLOW, '1')).toBeUndefined();
    const key = f.v.odp_flow_from_string(TCP_FLOW);
    if ('error' in key) throw new Error(key.error);
    f.mark();
    f.k.queue_upcall(handler_pid(f.k), key.key);
    expect(f.v.udpif_upcall_handler_run()).toBe(1);
    return { f, o: f.since(), ukeys: f.v.ukeys() };
  }

  it('offloaded: tc filter + execute, ukey operational', () => {
    const { o, ukeys } = upcall(true, { ok: true });
    expect({ tc: o.tc_filters, dp: o.dp_flow_new, exec: o.dp_execute }).toEqual({ tc: 1, dp: 0, exec: 1 });
    expect(ukeys.map((u) => u.state)).toEqual(['UKEY_OPERATIONAL']);
  });

  it('tc refuses: kernel flow + execute in one batch, ukey operational', () => {
    const { o, ukeys } = upcall(true, { ok: false, errno: 95 });
    expect({ tc: o.tc_filters, dp: o.dp_flow_new, exec: o.dp_execute }).toEqual({ tc: 1, dp: 1, exec: 1 });
    expect(ukeys.map((u) => u.state)).toEqual(['UKEY_OPERATIONAL']);
  });

  it('the kernel datapath refuses too: ukey evicted', () => {
    const { ukeys } = upcall(false, { ok: true }, 17);
    expect(ukeys.map((u) => u.state)).toEqual(['UKEY_EVICTED']);
  });

  it('the ufid is the hash of the upcall key, as the tc mapping shows', () => {
    const { f, ukeys } = upcall(true, { ok: true });
    expect(f.v.ufid_tc_mappings().map((m) => m.ufid)).toEqual(ukeys.map((u) => u.ufid.map((w) => w.toString(16).padStart(8, '0')).join('')).map(
      (h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 24)}${h.slice(24)}`,
    ));
  });
});
