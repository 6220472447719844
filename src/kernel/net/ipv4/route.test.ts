import { describe, expect, it } from 'vitest';
import { Host } from '../../../host/host';
import { defaultTopology } from '../../../host/topology';
import { runCommand } from '../../../host/commands';
import { ip_route_output_key } from './route';
import { neigh_entries, NUD_VALID } from '../core/neighbour';
import { ENETUNREACH, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NETEVENT_NEIGH_UPDATE, register_netevent_notifier } from '../core/netevent';

const a = (s: string): number => s.split('.').reduce((acc, x) => ((acc << 8) | Number(x)) >>> 0, 0);

function host(...lines: string[]): Host {
  const h = new Host(defaultTopology(), { tracing: false });
  for (const l of lines) {
    const r = runCommand(h, l);
    expect(r.exitCode, `${l}: ${r.stderr}`).toBe(0);
  }
  return h;
}

describe('ip_route_output_key (net/ipv4/route.c v6.18)', () => {
  const cases = [
    { name: 'connected prefix', daddr: '10.0.0.2', saddr: '0.0.0.0', want: 'enp8s0f0' },
    { name: 'via a gateway', daddr: '192.168.7.9', saddr: '10.0.0.1', want: 'enp8s0f0 via 10.0.0.254' },
    { name: 'no route', daddr: '172.16.0.1', saddr: '0.0.0.0', want: -ENETUNREACH },
    { name: 'source not local', daddr: '10.0.0.2', saddr: '10.0.0.9', want: -ENETUNREACH },
  ];
  it.each(cases)('$name', ({ daddr, saddr, want }) => {
    const h = host('ip addr add 10.0.0.1/24 dev enp8s0f0', 'ip route add 192.168.7.0/24 via 10.0.0.254');
    const rt = h.run(() => ip_route_output_key(h.kernel.net, { daddr: a(daddr), saddr: a(saddr), flowi4_tos: 0 }));
    const got = typeof rt === 'number' ? (rt as NegErrno) : `${rt.dev.name}${rt.rt_gw4 ? ` via ${[rt.rt_gw4 >>> 24, (rt.rt_gw4 >>> 16) & 255, (rt.rt_gw4 >>> 8) & 255, rt.rt_gw4 & 255].join('.')}` : ''}`;
    expect(got, `ip_route_output_key(${daddr}, ${saddr})`).toEqual(want);
  });
});

describe('neigh_add (net/core/neighbour.c v6.18)', () => {
  const cases = [
    { name: 'add twice', lines: ['ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0'], line: 'ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0', err: 'RTNETLINK answers: File exists' },
    { name: 'change a missing entry', lines: [], line: 'ip neigh change 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0', err: 'RTNETLINK answers: No such file or directory' },
    { name: 'valid state without lladdr', lines: [], line: 'ip neigh add 10.0.0.2 dev enp8s0f0 nud reachable', err: 'Error: No link layer address given.' },
  ];
  it.each(cases)('$name', ({ lines, line, err }) => {
    const h = host(...lines);
    const r = runCommand(h, line);
    expect(r.exitCode, line).not.toBe(0);
    expect(r.stderr).toContain(err);
  });

  it('a state or address change is a NETEVENT_NEIGH_UPDATE', () => {
    const h = host();
    const events: number[] = [];
    register_netevent_notifier(h.kernel.net, (ev) => events.push(ev));
    runCommand(h, 'ip neigh add 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud reachable');
    runCommand(h, 'ip neigh replace 10.0.0.2 lladdr 0c:42:a1:00:00:02 dev enp8s0f0 nud reachable');
    runCommand(h, 'ip neigh replace 10.0.0.2 lladdr 0c:42:a1:00:00:03 dev enp8s0f0 nud reachable');
    expect(events).toEqual([NETEVENT_NEIGH_UPDATE, NETEVENT_NEIGH_UPDATE]);
    const [n] = neigh_entries(h.kernel.net);
    expect(n!.nud_state & NUD_VALID).not.toBe(0);
  });
});
