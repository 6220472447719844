// devlink (iproute2 6.1) against an emulated host: the request bytes it
// sends and what it prints, as the program would.
import { describe, expect, it } from 'vitest';
import { Host } from '../../host/host';
import { defaultTopology } from '../../host/topology';
import { NETLINK_GENERIC, NLM_F_ACK, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { GENL_ID_CTRL } from '../../kernel/include/uapi/linux/genetlink';
import {
  DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME, DEVLINK_ATTR_ESWITCH_MODE, DEVLINK_CMD_ESWITCH_SET,
  DEVLINK_ESWITCH_MODE_LEGACY,
} from '../../kernel/include/uapi/linux/devlink';
import { nla_get_string, nla_get_u16, nla_walk } from '../../netlink/attr';
import { nlmsg_split } from '../../netlink/nlmsg';
import { genlmsghdr_decode, GENL_HDRLEN } from '../../netlink/structs';
import { devlink_main } from './devlink';

function run(host: Host, line: string): { exitCode: number; stdout: string; stderr: string; sent: Uint8Array[] } {
  let stdout = '';
  let stderr = '';
  const sent: Uint8Array[] = [];
  const exitCode = host.run(() => {
    const sock = host.kernel.syscalls.netlink_socket(NETLINK_GENERIC);
    if (typeof sock === 'number') throw new Error(`socket: ${sock}`);
    const recording = Object.assign(Object.create(sock) as typeof sock, {
      sendmsg: (b: Uint8Array) => { sent.push(b.slice()); return sock.sendmsg(b); },
      recvmsg: () => sock.recvmsg(),
      setsockopt: (l: number, o: number, v: number) => sock.setsockopt(l, o, v),
    });
    try {
      return devlink_main(line.split(' '), { socket: recording, stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    } finally {
      sock.close();
    }
  });
  return { exitCode, stdout, stderr, sent };
}

describe('devlink dev eswitch', () => {
  it('set mode legacy: CTRL_CMD_GETFAMILY, then one ESWITCH_SET with the handle and a u16 mode', () => {
    const host = new Host(defaultTopology());
    const r = run(host, 'dev eswitch set pci/0000:08:00.0 mode legacy');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.sent).toHaveLength(2);
    expect(nlmsg_split(r.sent[0]!).msgs[0]!.hdr.nlmsg_type).toBe(GENL_ID_CTRL);
    const m = nlmsg_split(r.sent[1]!).msgs[0]!;
    expect(m.hdr.nlmsg_flags).toBe(NLM_F_REQUEST | NLM_F_ACK);
    const g = genlmsghdr_decode(m.payload);
    expect(g.ok && g.value).toEqual({ cmd: DEVLINK_CMD_ESWITCH_SET, version: 1 });
    const attrs = nla_walk(m.payload.subarray(GENL_HDRLEN)).attrs;
    expect(attrs.map((a) => a.type)).toEqual([DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME, DEVLINK_ATTR_ESWITCH_MODE]);
    expect(nla_get_string(attrs[0]!)).toBe('pci');
    expect(attrs[0]!.payload.at(-1), 'strings go with their NUL (mnl_attr_put_strz)').toBe(0);
    expect(nla_get_string(attrs[1]!)).toBe('0000:08:00.0');
    expect(nla_get_u16(attrs[2]!)).toBe(DEVLINK_ESWITCH_MODE_LEGACY);
    expect(run(host, 'dev eswitch show pci/0000:08:00.0').stdout).toBe('pci/0000:08:00.0: mode legacy inline-mode none encap-mode basic\n');
  });

  it.each([
    { name: 'busy', setup: ['tc qdisc add dev enp8s0f0_0 ingress', 'tc filter add dev enp8s0f0_0 ingress protocol ip prio 1 flower skip_sw dst_ip 10.0.0.1 action drop'], line: 'dev eswitch set pci/0000:08:00.0 mode legacy', exit: 1, stderr: "Error: mlx5_core: Can't change mode, E-Switch is busy.\nkernel answers: Device or resource busy\n" },
    { name: 'unknown mode', setup: [], line: 'dev eswitch set pci/0000:08:00.0 mode foo', exit: 1, stderr: 'Unknown eswitch mode "foo"\n' },
    { name: 'no option', setup: [], line: 'dev eswitch set pci/0000:08:00.0', exit: 1, stderr: 'Need to set at least one option\n' },
    { name: 'bad handle', setup: [], line: 'dev eswitch show 0000:08:00.0', exit: 1, stderr: 'Wrong identification string format.\nDevlink identification ("bus_name/dev_name") expected\n' },
    { name: 'unknown device', setup: [], line: 'dev eswitch show pci/0000:09:00.0', exit: 1, stderr: 'kernel answers: No such device\n' },
    { name: 'unknown object', setup: [], line: 'foo', exit: 1, stderr: 'Object "foo" not found\n' },
    { name: 'unknown cmode', setup: [], line: 'dev param set pci/0000:08:00.0 name flow_steering_mode value smfs cmode now', exit: 1, stderr: 'Unknown configuration mode "now"\n' },
    { name: 'unchanged value sends no PARAM_SET', setup: [], line: 'dev param set pci/0000:08:00.0 name flow_steering_mode value dmfs cmode runtime', exit: 0, stderr: '' },
  ])('$name', async ({ setup, line, exit, stderr }) => {
    const host = new Host(defaultTopology());
    const { runCommand } = await import('../../host/commands');
    for (const s of setup) expect(runCommand(host, s).exitCode, s).toBe(0);
    const r = run(host, line);
    expect(r.exitCode, `devlink ${line}`).toBe(exit);
    expect(r.stderr).toBe(stderr);
  });

  it('param show -j', () => {
    const host = new Host(defaultTopology());
    const r = run(host, '-j dev param show pci/0000:08:00.0 name flow_steering_mode');
    expect(JSON.parse(r.stdout)).toEqual({
      param: { 'pci/0000:08:00.0': [{ name: 'flow_steering_mode', type: 'driver-specific', values: [{ cmode: 'runtime', value: 'dmfs' }] }] },
    });
  });
});
