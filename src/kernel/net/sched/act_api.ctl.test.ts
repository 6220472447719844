// Standalone actions (net/sched/act_api.c tc_ctl_action, tcf_action_add,
// tca_action_gd, tca_action_flush, tc_dump_action): created, shown, shared
// by index with filters, and refused while a filter still binds them; plus
// the request shapes only a raw netlink sender can produce.
import { describe, expect, it } from 'vitest';
import { Host } from '../../../host/host';
import { defaultTopology } from '../../../host/topology';
import { runCommand } from '../../../host/commands';
import { NETLINK_EXT_ACK, NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP, SOL_NETLINK, NLM_F_ACK, NLM_F_REQUEST, NLM_F_ROOT } from '../../include/uapi/linux/netlink';
import { RTM_DELACTION, RTM_GETACTION, RTM_NEWACTION, TCA_ACT_TAB, TCA_ROOT_COUNT } from '../../include/uapi/linux/rtnetlink';
import { TCA_ACT_INDEX, TCA_ACT_KIND } from '../../include/uapi/linux/pkt_cls';
import { NlMsgBuilder, nla_get_u32, nla_walk } from '../../../netlink/attr';
import { nlmsg_split } from '../../../netlink/nlmsg';
import { nlmsgerr_decode } from '../../../netlink/structs';

const DEV = 'enp8s0f0_0';
const POLICE = 'tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 1';
const filter = (prio: number, extra = ''): string =>
  `tc filter add dev ${DEV} ingress protocol ip prio ${prio} flower ${extra}dst_ip 10.0.0.${prio} action police index 1 action mirred egress redirect dev enp8s0f0_1`;

function host(): Host {
  const h = new Host(defaultTopology(), { tracing: false });
  expect(runCommand(h, `tc qdisc add dev ${DEV} ingress`).exitCode).toBe(0);
  return h;
}

describe('tc actions against the kernel', () => {
  const cases: Array<{ name: string; lines: string[]; code: number; stderr: string; show?: RegExp }> = [
    { name: 'add then list', lines: [POLICE, 'tc actions ls action police'], code: 0, stderr: '',
      show: /total acts 1\n\n\taction order 0:  police 0x1 rate 1Mbit burst 10Kb mtu 2Kb action drop\/pipe overhead 0b \n\tref 1 bind 0 \n/ },
    { name: 'add twice: -EEXIST without a message', lines: [POLICE, POLICE], code: 255, stderr: 'RTNETLINK answers: File exists\nWe have an error talking to the kernel\n' },
    { name: 'replace changes the rate in place', lines: [POLICE, 'tc actions replace action police rate 2mbit burst 10k index 1', 'tc actions get action police index 1'],
      code: 0, stderr: '', show: /total acts 0\n\n\taction order 1:  police 0x1 rate 2Mbit/ },
    { name: 'get of a missing index; tc then reads "action" as a command', lines: ['tc actions get action police index 9'], code: 255,
      stderr: 'Error: TC action with specified index not found.\nWe have an error talking to the kernel\nCommand "action" is unknown, try "tc actions help".\n' },
    { name: 'get of index 0 sends no index', lines: ['tc actions get action police index 0'], code: 255,
      stderr: 'Error: Invalid TC action index value.\nWe have an error talking to the kernel\nCommand "action" is unknown, try "tc actions help".\n' },
    { name: 'two filters bind the same police', lines: [POLICE, filter(1), filter(2), 'tc actions ls action police'], code: 0, stderr: '', show: /ref 3 bind 2/ },
    { name: 'delete while bound: -EPERM', lines: [POLICE, filter(1), 'tc actions delete action police index 1'], code: 255,
      stderr: 'Error: Failed to delete TC action.\nWe have an error talking to the kernel\nCommand "action" is unknown, try "tc actions help".\n' },
    { name: 'flush while bound: -EPERM, no message', lines: [POLICE, filter(1), 'tc actions flush action police'], code: 1,
      stderr: 'RTNETLINK answers: Operation not permitted\nWe have an error flushing\n' },
    { name: 'delete after the filter is gone', lines: [POLICE, filter(1), `tc filter del dev ${DEV} ingress`, 'tc actions delete action police index 1', 'tc actions ls action police'],
      code: 0, stderr: '', show: /^$/ },
    { name: 'a filter-created police cannot be deleted either', lines: [filter(1).replace('police index 1', 'police rate 1mbit burst 10k index 1'), 'tc actions delete action police index 1'],
      code: 255, stderr: 'Error: Failed to delete TC action.\nWe have an error talking to the kernel\nCommand "action" is unknown, try "tc actions help".\n' },
    { name: 'skip_sw filter and a standalone action without skip_sw', lines: [POLICE, filter(1, 'skip_sw ')], code: 2,
      stderr: 'Error: Mismatch between action and filter offload flags.\nWe have an error talking to the kernel\n' },
    { name: 'flush removes every unbound action', lines: [POLICE, POLICE.replace('index 1', 'index 2'), 'tc actions flush action police', 'tc actions ls action police'],
      code: 0, stderr: '', show: /^$/ },
    { name: 'flush stopped by a bound action: a warning, the rest is gone', lines: [POLICE,
      filter(1).replace('police index 1', 'police rate 1mbit burst 10k index 2'), 'tc actions flush action police'],
      code: 0, stderr: 'Warning: Unable to flush all TC actions.\n' },
    { name: 'flush of an unknown kind', lines: ['tc actions flush action frob'], code: 1,
      stderr: 'Error: Cannot flush unknown TC action.\nWe have an error flushing\n' },
  ];
  it.each(cases)('$name', ({ lines, code, stderr, show }) => {
    const h = host();
    let r = { exitCode: 0, stdout: '', stderr: '' };
    for (const l of lines) r = runCommand(h, l);
    expect({ code: r.exitCode, stderr: r.stderr }, lines.at(-1)).toEqual({ code, stderr });
    if (show) expect(r.stdout, lines.at(-1)).toMatch(show);
  });

  it('flush reports how many actions went', () => {
    const h = host();
    runCommand(h, POLICE);
    runCommand(h, POLICE.replace('index 1', 'index 2'));
    // the flush notification, as tc monitor would print it, is not requested here: only the count matters
    const r = runCommand(h, 'tc actions flush action police');
    expect(r.exitCode).toBe(0);
    expect(runCommand(h, 'tc actions ls action police').stdout).toBe('');
  });
});

describe('tc_ctl_action: raw requests', () => {
  function send(h: Host, type: number, flags: number, build: (b: NlMsgBuilder) => void, cap = true): { error: number; ext_msg?: string } {
    const sock = h.kernel.syscalls.netlink_socket(NETLINK_ROUTE, { cap_net_admin: cap });
    if (typeof sock === 'number') throw new Error(`netlink_socket: ${sock}`);
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
    try {
      const b = new NlMsgBuilder({ nlmsg_type: type, nlmsg_flags: NLM_F_REQUEST | NLM_F_ACK | flags, nlmsg_seq: 1, nlmsg_pid: 0 });
      b.put(new Uint8Array(4));
      build(b);
      sock.sendmsg(b.finish());
      for (let buf = sock.recvmsg(); buf; buf = sock.recvmsg()) {
        for (const m of nlmsg_split(buf).msgs) {
          if (m.hdr.nlmsg_type !== NLMSG_ERROR) continue;
          const d = nlmsgerr_decode(m.payload, m.hdr.nlmsg_flags);
          if (!d.ok) throw new Error(d.error);
          return { error: d.value.error, ext_msg: d.value.ext_msg };
        }
      }
      throw new Error('no ack');
    } finally {
      sock.close();
    }
  }
  const tab = (inner: (b: NlMsgBuilder) => void) => (b: NlMsgBuilder): void => {
    const n = b.nestStart(TCA_ACT_TAB);
    inner(b);
    b.nestEnd(n);
  };
  const entry = (kind: string | null, index: number | null) => (b: NlMsgBuilder): void => {
    const n = b.nestStart(1);
    if (kind !== null) b.string(TCA_ACT_KIND, kind);
    if (index !== null) b.u32(TCA_ACT_INDEX, index);
    b.nestEnd(n);
  };
  const cases: Array<{ name: string; type: number; flags: number; build: (b: NlMsgBuilder) => void; cap?: boolean; want: { error: number; ext_msg?: string } }> = [
    { name: 'no TCA_ACT_TAB', type: RTM_GETACTION, flags: 0, build: () => undefined, want: { error: -22, ext_msg: 'Netlink action attributes missing' } },
    { name: 'flush without an entry', type: RTM_DELACTION, flags: NLM_F_ROOT, build: tab(() => undefined),
      want: { error: -22, ext_msg: 'Invalid netlink attributes while flushing TC action' } },
    { name: 'get without a kind', type: RTM_GETACTION, flags: 0, build: tab(entry(null, 1)), want: { error: -22, ext_msg: 'Specified TC action kind not found' } },
    { name: 'get of an unknown kind', type: RTM_GETACTION, flags: 0, build: tab(entry('frob', 1)), want: { error: -22, ext_msg: 'Specified TC action kind not found' } },
    { name: 'delete without CAP_NET_ADMIN', type: RTM_DELACTION, flags: 0, build: tab(entry('police', 1)), cap: false, want: { error: -1 } },
    { name: 'add without CAP_NET_ADMIN', type: RTM_NEWACTION, flags: 0, build: tab(entry('gact', 1)), cap: false, want: { error: -1 } },
    { name: 'add without a kind', type: RTM_NEWACTION, flags: 0, build: tab(entry(null, 1)), want: { error: -22, ext_msg: 'TC action kind must be specified' } },
  ];
  it.each(cases)('$name', ({ type, flags, build, cap, want }) => {
    const h = host();
    const got = send(h, type, flags, build, cap ?? true);
    expect({ error: got.error, ext_msg: got.ext_msg }, `tc_ctl_action(type=${type})`).toEqual({ ext_msg: undefined, ...want });
  });
});

describe('tc_dump_action without LARGE_DUMP_ON', () => {
  it('sends 32 actions a message, entries nested from 0, and no count', () => {
    const h = host();
    for (let i = 1; i <= 33; i++) expect(runCommand(h, `tc actions add action gact drop index ${i}`).exitCode, `gact index ${i}`).toBe(0);
    const sock = h.kernel.syscalls.netlink_socket(NETLINK_ROUTE);
    if (typeof sock === 'number') throw new Error(`netlink_socket: ${sock}`);
    const b = new NlMsgBuilder({ nlmsg_type: RTM_GETACTION, nlmsg_flags: NLM_F_REQUEST | NLM_F_DUMP, nlmsg_seq: 7, nlmsg_pid: 0 });
    b.put(new Uint8Array(4));
    const t = b.nestStart(TCA_ACT_TAB);
    const e = b.nestStart(1);
    b.string(TCA_ACT_KIND, 'gact');
    b.nestEnd(e);
    b.nestEnd(t);
    sock.sendmsg(b.finish());
    const got: Array<{ count: number; entries: number[] }> = [];
    let done = false;
    for (let buf = sock.recvmsg(); buf; buf = sock.recvmsg()) {
      for (const m of nlmsg_split(buf).msgs) {
        if (m.hdr.nlmsg_type === NLMSG_DONE) done = true;
        if (m.hdr.nlmsg_type !== RTM_GETACTION) continue;
        const top = nla_walk(m.payload.subarray(4)).attrs;
        const count = top.find((a) => a.type === TCA_ROOT_COUNT);
        const tab = top.find((a) => a.type === TCA_ACT_TAB)!;
        got.push({ count: count ? nla_get_u32(count) : -1, entries: nla_walk(tab.payload).attrs.map((a) => a.type) });
      }
    }
    sock.close();
    expect(done, 'NLMSG_DONE').toBe(true);
    expect(got.map((g) => ({ count: g.count, n: g.entries.length, first: g.entries[0], last: g.entries.at(-1) }))).toEqual([
      { count: 0, n: 32, first: 0, last: 31 },
      { count: 0, n: 1, first: 0, last: 0 },
    ]);
  });
});
