// ip link add (ip/iplink.c) against the emulated kernel (rtnl_newlink,
// drivers/net/dummy.c, veth.c): what a tc user needs to build a block with a
// device that has no TC offload.
import { describe, expect, it } from 'vitest';
import { start_kernel, type Kernel } from '../../kernel/init/main';
import { NETLINK_ROUTE } from '../../kernel/include/uapi/linux/netlink';
import { ip_main } from './iplink';

function ip(k: Kernel, line: string): { code: number; out: string; err: string } {
  const sock = k.syscalls.netlink_socket(NETLINK_ROUTE);
  if (typeof sock === 'number') throw new Error(`netlink_socket: ${sock}`);
  let out = '';
  let err = '';
  try {
    const code = ip_main(line.split(' ').slice(1), { socket: sock, stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
    return { code, out, err };
  } finally {
    sock.close();
  }
}

describe('ip link add', () => {
  it.each([
    { name: 'dummy', cmds: ['ip link add dummy0 type dummy'], want: { code: 0, err: '' }, devs: ['dummy0'] },
    { name: 'veth pair', cmds: ['ip link add veth0 type veth peer name veth1'], want: { code: 0, err: '' }, devs: ['veth0', 'veth1'] },
    { name: 'veth without peer name', cmds: ['ip link add v0 type veth'], want: { code: 0, err: '' }, devs: ['v0', 'veth0'] },
    { name: 'duplicate', cmds: ['ip link add d0 type dummy', 'ip link add d0 type dummy'], want: { code: 2, err: 'RTNETLINK answers: File exists\n' }, devs: ['d0'] },
    { name: 'peer name taken', cmds: ['ip link add d0 type dummy', 'ip link add v0 type veth peer name d0'], want: { code: 2, err: 'RTNETLINK answers: File exists\n' }, devs: ['d0'] },
    { name: 'unknown kind', cmds: ['ip link add x0 type bogus'], want: { code: 2, err: 'Error: Unknown device type.\n' }, devs: [] },
  ])('$name', ({ cmds, want, devs }) => {
    const k = start_kernel();
    let r = { code: 0, out: '', err: '' };
    for (const c of cmds) r = ip(k, c);
    expect({ code: r.code, err: r.err }, `${cmds.at(-1)}`).toEqual(want);
    for (const d of devs) {
      const dev = k.net.dev_by_name.get(d);
      expect(dev, `${d} registered`).toBeDefined();
      // Software devices: no ndo_setup_tc, so tc blocks count them as non-offload.
      expect(dev!.netdev_ops.ndo_setup_tc, `${d}.ndo_setup_tc`).toBeUndefined();
    }
  });
});
