// Filters of one mask share the mask's read-only key objects (masked-key
// identity, fl_set_masked_key): every filter still matches, dumps and
// offloads its own key, through adds, replaces and deletes.
import { describe, expect, it } from 'vitest';
import { Host } from '../../../host/host';
import { defaultTopology } from '../../../host/topology';
import { runCommand } from '../../../host/commands';

const DEV = 'enp8s0f0_0';
const add = (dst: string, extra = ''): string => `tc filter add dev ${DEV} ingress protocol ip prio 1 ${extra}flower skip_sw dst_ip ${dst} action drop`;

function host(): Host {
  const h = new Host(defaultTopology(), { tracing: false });
  expect(runCommand(h, `tc qdisc add dev ${DEV} ingress`).exitCode).toBe(0);
  return h;
}

/** The dst_ip of every filter in `tc filter show`, by handle. */
function shown(h: Host): Record<string, string> {
  const out = runCommand(h, `tc filter show dev ${DEV} ingress`).stdout;
  const r: Record<string, string> = {};
  let handle = '';
  for (const line of out.split('\n')) {
    const m = /handle (0x[0-9a-f]+)/.exec(line);
    if (m) handle = m[1]!;
    const d = /^\s+dst_ip (\S+)/.exec(line);
    if (d) r[handle] = d[1]!;
  }
  return r;
}

describe('cls_flower: filters of one mask keep their own keys', () => {
  const cases: { name: string; lines: string[]; fails: number[]; want: Record<string, string> }[] = [
    { name: 'two keys, one mask', lines: [add('10.0.0.1'), add('10.0.0.2')], fails: [], want: { '0x1': '10.0.0.1', '0x2': '10.0.0.2' } },
    { name: 'the same masked key twice is -EEXIST', lines: [add('10.0.0.1'), add('10.0.0.1')], fails: [1], want: { '0x1': '10.0.0.1' } },
    { name: 'a key equal to the mask (all ones)', lines: [add('255.255.255.255'), add('10.0.0.2')], fails: [], want: { '0x1': '255.255.255.255', '0x2': '10.0.0.2' } },
    {
      name: 'delete the first, the second is untouched; the first key comes back',
      lines: [add('10.0.0.1'), add('10.0.0.2'), `tc filter del dev ${DEV} ingress protocol ip prio 1 handle 1 flower`, add('10.0.0.1')],
      fails: [], want: { '0x1': '10.0.0.1', '0x2': '10.0.0.2' },
    },
    {
      name: 'replace moves a filter to another key of the same mask',
      lines: [add('10.0.0.1'), add('10.0.0.2'), `tc filter replace dev ${DEV} ingress protocol ip prio 1 handle 1 flower skip_sw dst_ip 10.0.0.3 action drop`, add('10.0.0.1', '')],
      fails: [], want: { '0x1': '10.0.0.3', '0x2': '10.0.0.2', '0x3': '10.0.0.1' },
    },
  ];
  it.each(cases)('$name', ({ lines, fails, want }) => {
    const h = host();
    lines.forEach((l, i) => {
      const r = runCommand(h, l);
      expect(r.exitCode !== 0, `${l}: exit ${r.exitCode} ${r.stderr}`).toBe(fails.includes(i));
    });
    expect(shown(h)).toEqual(want);
    // Every installed filter reached the hardware with its own key.
    expect(runCommand(h, `tc filter show dev ${DEV} ingress`).stdout.match(/in_hw_count 1/g)?.length).toBe(Object.keys(want).length);
  });
});
