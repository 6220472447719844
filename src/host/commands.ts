// Commands as users type them, run against one host. Each tool reaches the
// emulated system the way the real one does (tc through a netlink socket).
import { parse as shellParse } from 'shell-quote';
import { Host, HostError } from './host';
import { tc_main } from '../iproute2/tc/tc';
import { NETLINK_GENERIC, NETLINK_ROUTE } from '../kernel/include/uapi/linux/netlink';
import { devlink_main } from '../iproute2/devlink/devlink';
import { ovs_vsctl, type OvsdbNewPort } from '../ovs/utilities/ovs-vsctl';
import type { OvsPortSpec } from './topology';
import { ip_main } from '../iproute2/ip/iplink';
import { do_ipaddr } from '../iproute2/ip/ipaddress';
import { do_iproute } from '../iproute2/ip/iproute';
import { do_ipneigh } from '../iproute2/ip/ipneigh';
import { emulateDatapathTraffic, emulateUpcall, ethtoolSetHwTcOffload, injectFirmwareFault, type ToolOutput } from './tasks';

export interface CommandResult extends ToolOutput {
  command: string;
}

/** Splits a command line as a POSIX shell would (quotes, escapes); no expansion. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  for (const t of shellParse(line, (name) => `$${name}`)) {
    if (typeof t !== 'string') {
      const op = 'op' in t ? t.op : 'comment' in t ? '#' : '?';
      throw new HostError(`shell syntax "${op}" is not supported in "${line}": one command per line`);
    }
    words.push(t);
  }
  return words;
}

function runTc(host: Host, argv: string[], cred?: { cap_net_admin: boolean }): ToolOutput {
  let stdout = '';
  let stderr = '';
  const exitCode = host.run(() => {
    const sock = host.kernel.syscalls.netlink_socket(NETLINK_ROUTE, cred);
    if (typeof sock === 'number') throw new HostError(`socket(AF_NETLINK, NETLINK_ROUTE) failed: ${sock}`);
    try {
      return tc_main(argv, { socket: sock, stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    } finally {
      sock.close();
    }
  });
  return { exitCode, stdout, stderr };
}

/** `ip link add NAME type dummy|veth …` through a NETLINK_ROUTE socket, as iproute2's ip. */
function runIp(host: Host, argv: string[]): ToolOutput {
  let stdout = '';
  let stderr = '';
  const exitCode = host.run(() => {
    const sock = host.kernel.syscalls.netlink_socket(NETLINK_ROUTE);
    if (typeof sock === 'number') throw new HostError(`socket(AF_NETLINK, NETLINK_ROUTE) failed: ${sock}`);
    try {
      const io = { socket: sock, stdout: (s: string) => { stdout += s; }, stderr: (s: string) => { stderr += s; } };
      // ip/ip.c cmds[]: the objects emulated besides link
      const obj = argv[0] ?? '';
      if (obj.length && 'address'.startsWith(obj)) return do_ipaddr(argv.slice(1), io);
      if (obj.length && 'route'.startsWith(obj)) return do_iproute(argv.slice(1), io);
      if (obj.length && 'neighbor'.startsWith(obj) || obj === 'neighbour') return do_ipneigh(argv.slice(1), io);
      return ip_main(argv, io);
    } finally {
      sock.close();
    }
  });
  return { exitCode, stdout, stderr };
}

/**
 * `devlink …` over a NETLINK_GENERIC socket. An eswitch mode change rebuilds
 * the NIC's tables, which then become its FTE baseline.
 */
function runDevlink(host: Host, argv: string[]): ToolOutput {
  let stdout = '';
  let stderr = '';
  const modes = host.nics.map((n) => n.core.priv.eswitch?.mode);
  const exitCode = host.run(() => {
    const sock = host.kernel.syscalls.netlink_socket(NETLINK_GENERIC);
    if (typeof sock === 'number') throw new HostError(`socket(AF_NETLINK, NETLINK_GENERIC) failed: ${sock}`);
    try {
      return devlink_main(argv, { socket: sock, now: () => Math.floor(host.clock() / 1000), stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    } finally {
      sock.close();
    }
  });
  host.nics.forEach((n, i) => {
    if (n.core.priv.eswitch?.mode !== modes[i]) host.rebaselineFtes(n);
  });
  return { exitCode, stdout, stderr };
}

/** `ovs-appctl TARGET-COMMAND ARGS…` sent to ovs-vswitchd's unixctl server. */
function runAppctl(host: Host, args: string[]): ToolOutput {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return { exitCode: 2, stdout: '', stderr: 'ovs-appctl: at least one non-option argument is required (use --help for help)\n' };
  if (cmd.startsWith('dpctl/')) {
    const r = host.run(() => host.ovs.dpctl([cmd.slice('dpctl/'.length), ...rest], true));
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  }
  if (cmd === 'upcall/show') {
    if (rest.length > 0) return { exitCode: 2, stdout: '', stderr: '"upcall/show" command takes at most 0 arguments\novs-appctl: ovs-vswitchd: server returned an error\n' };
    return { exitCode: 0, stdout: host.run(() => host.ovs.upcall_show()), stderr: '' };
  }
  if (cmd === 'revalidator/purge') {
    // ofproto/ofproto-dpif-upcall.c: registered with 0..0 arguments; the reply is empty.
    if (rest.length > 0) return { exitCode: 2, stdout: '', stderr: '"revalidator/purge" command takes at most 0 arguments\novs-appctl: ovs-vswitchd: server returned an error\n' };
    host.run(() => host.ovs.revalidator_purge());
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  if (cmd === 'coverage/show') {
    if (rest.length > 0) return { exitCode: 2, stdout: '', stderr: '"coverage/show" command takes at most 0 arguments\novs-appctl: ovs-vswitchd: server returned an error\n' };
    return { exitCode: 0, stdout: host.ovs.coverage_show(), stderr: '' };
  }
  if (cmd === 'vlog/set') {
    for (const spec of rest) {
      const err = host.ovs.vlog_set(spec);
      if (err !== undefined) return { exitCode: 2, stdout: '', stderr: `${err}\novs-appctl: ovs-vswitchd: server returned an error\n` };
    }
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  // lib/unixctl.c: an unregistered command
  return { exitCode: 2, stdout: '', stderr: `"${cmd}" is not a valid command (use list-commands to see a list of valid commands)\novs-appctl: ovs-vswitchd: server returned an error\n` };
}

type Output = ToolOutput;
const ok = (stdout = ''): Output => ({ exitCode: 0, stdout, stderr: '' });

/**
 * `ethtool -k DEV` / `ethtool -K DEV hw-tc-offload on|off`. Only the one
 * feature offload depends on is modelled, so -k lists only that line.
 */
function runEthtool(host: Host, args: string[]): Output {
  const [flag, devName, ...rest] = args;
  if ((flag !== '-k' && flag !== '-K') || devName === undefined) {
    return { exitCode: 1, stdout: '', stderr: 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n' };
  }
  const dev = host.netdev(devName);
  if (flag === '-k') {
    const fixed = dev.hw_features.hw_tc ? '' : ' [fixed]';
    return ok(`Features for ${dev.name}:\nhw-tc-offload: ${dev.features.hw_tc ? 'on' : 'off'}${fixed}\n`);
  }
  if (rest.length !== 2 || rest[0] !== 'hw-tc-offload' || (rest[1] !== 'on' && rest[1] !== 'off')) {
    return { exitCode: 1, stdout: '', stderr: `ethtool: only "hw-tc-offload on|off" is modelled, got "${rest.join(' ')}"\n` };
  }
  const want = rest[1] === 'on';
  const err = ethtoolSetHwTcOffload(host, devName, want);
  if (err === 0) return ok();
  // The ethtool-netlink SET reply carries wanted vs active; the tool reports
  // what did not change.
  return {
    exitCode: 1,
    stdout: `Actual changes:\nhw-tc-offload: ${dev.features.hw_tc ? 'on' : 'off'} [requested ${rest[1]}]\n`,
    stderr: 'Could not change any device features\n',
  };
}

function runEmulate(host: Host, args: string[]): Output {
  const [what, ...rest] = args;
  if (what === 'upcall') {
    const [port, key, actions] = rest;
    if (port === undefined || key === undefined || actions === undefined || rest.length !== 3) {
      throw new HostError("usage: emulate upcall PORT 'ODP-KEY[/MASK]' 'ODP-ACTIONS'");
    }
    const withPort = /(^|[,\s])in_port\(/.test(key) ? key : `in_port(${port}),${key}`;
    emulateUpcall(host, withPort, actions);
    return ok();
  }
  if (what === 'firmware' && rest[0] === 'fail') {
    const m = /^fail (\w+) status (0x[0-9a-fA-F]+) syndrome (0x[0-9a-fA-F]+)(?: count (\d+))?$/.exec(rest.join(' '));
    if (!m) throw new HostError('usage: emulate firmware fail OPCODE status 0xS syndrome 0xY [count N]');
    injectFirmwareFault(host, { opcode: m[1]!, status: parseInt(m[2]!, 16), syndrome: parseInt(m[3]!, 16), count: m[4] ? Number(m[4]) : 1 });
    return ok();
  }
  if (what === 'traffic') {
    // Packets the NIC switched in hardware: every live flow counter of every
    // NIC counts them (with one offloaded filter, that filter's counter).
    const m = /^(\d+) packets (\d+) bytes$/.exec(rest.join(' '));
    if (!m) throw new HostError('usage: emulate traffic N packets B bytes');
    for (const nic of host.nics) for (const c of nic.fw.counters()) nic.fw.counter_add(c.id, Number(m[1]), Number(m[2]));
    return ok();
  }
  if (what === 'user') {
    // `emulate user NAME tc …`: tc run by a user; only root holds CAP_NET_ADMIN.
    const [name, prog, ...argv] = rest;
    if (name === undefined || prog !== 'tc') throw new HostError('usage: emulate user NAME tc ARGS…');
    return runTc(host, argv, { cap_net_admin: name === 'root' });
  }
  if (what === 'restart') {
    if (rest.length !== 1 || rest[0] !== 'ovs-vswitchd') throw new HostError('usage: emulate restart ovs-vswitchd');
    host.restartOvs();
    return ok();
  }
  if (what === 'datapath') {
    // `emulate datapath traffic N frames of L bytes`: frames of wire length L
    // (Ethernet header included) that every OVS kernel datapath flow matched.
    const m = /^traffic (\d+) frames of (\d+) bytes$/.exec(rest.join(' '));
    if (!m) throw new HostError('usage: emulate datapath traffic N frames of L bytes');
    emulateDatapathTraffic(host, Number(m[1]), Number(m[2]));
    return ok();
  }
  throw new HostError('emulate knows: upcall PORT KEY ACTIONS, firmware fail OPCODE status S syndrome Y [count N], traffic N packets B bytes, datapath traffic N frames of L bytes, restart ovs-vswitchd, user NAME tc ARGS');
}

const OVS_LOG = '/var/log/openvswitch/ovs-vswitchd.log';

/** Runs one command line; unknown programs are an input mistake, not an emulated error. */
/**
 * add-port / del-port rows: the database is the host's bridge list. A new
 * port asks for no datapath port number (ODPP_NONE), so the kernel gives it
 * the lowest free one. ovs-vsctl waits for ovs-vswitchd to apply the
 * change (starting it here if it never ran) and reads Interface errors.
 */
function ovsdb_commit_ports(host: Host, add: readonly OvsdbNewPort[], del: readonly string[]): ReadonlyMap<string, string> {
  const bridges = host.topology.ovs.bridges;
  for (const b of bridges) b.ports = b.ports.filter((x) => !del.includes(x.name));
  for (const a of add) {
    const type = a.type === '' ? undefined : (a.type as OvsPortSpec['type']);
    const port = 0xffffffff; // ODPP_NONE
    bridges.find((b) => b.name === a.bridge)!.ports.push({ name: a.name, port, ...(type ? { type } : {}), ...(Object.keys(a.options).length ? { options: a.options } : {}) });
  }
  if (host.started) host.updateOtherConfig({}, []);
  const errors = new Map<string, string>();
  for (const a of add) {
    const e = host.ovs.iface_error(a.name);
    if (e !== undefined) errors.set(a.name, e);
  }
  return errors;
}

export function runCommand(host: Host, line: string): CommandResult {
  const argv = splitCommandLine(line);
  if (argv.length === 0) throw new HostError('empty command');
  const [prog, ...args] = argv;
  switch (prog) {
    case 'tc':
      return { command: line, ...runTc(host, args) };
    case 'ovs-vsctl':
      return {
        command: line,
        ...ovs_vsctl(args, {
          get: () => host.ovsdb_other_config,
          commit: (set, remove) => host.updateOtherConfig(set, remove),
          bridges: () => host.topology.ovs.bridges.map((b) => ({ name: b.name, ports: b.ports.map((x) => ({ name: x.name, type: x.type ?? 'system', ...(x.options ? { options: x.options } : {}) })) })),
          commit_ports: (add, del) => ovsdb_commit_ports(host, add, del),
        }),
      };
    case 'ovs-appctl':
      return { command: line, ...runAppctl(host, args) };
    case 'ovs-dpctl': {
      const r = host.run(() => host.ovs.dpctl(args, false));
      return { command: line, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    }
    case 'ethtool':
      return { command: line, ...runEthtool(host, args) };
    case 'devlink':
      return { command: line, ...runDevlink(host, args) };
    case 'dmesg':
      // The emulated clock starts at boot; every line carries its timestamp slot.
      return { command: line, ...ok(host.kernel.net.kmsg.map((l) => `[${(host.clock() / 1000).toFixed(6).padStart(12)}] ${l.text}\n`).join('')) };
    case 'cat':
      if (args.length === 1 && args[0] === OVS_LOG) return { command: line, ...ok(host.ovs.vlog_lines().map((l) => `${l}\n`).join('')) };
      return { command: line, exitCode: 1, stdout: '', stderr: `cat: ${args.join(' ')}: No such file or directory\n` };
    case 'emulate':
      return { command: line, ...runEmulate(host, args) };
    case 'ip':
      return { command: line, ...runIp(host, args) };
    case 'sleep': {
      // Time passes only on the host's emulated clock (action ages, counter lastuse).
      const secs = args.length === 1 ? Number(args[0]) : NaN;
      if (!Number.isFinite(secs) || secs < 0) throw new HostError('usage: sleep SECONDS');
      host.advance(Math.round(secs * 1000));
      return { command: line, ...ok() };
    }
    default:
      throw new HostError(`"${prog}" is not a command offload-spec knows (known: tc, ip, devlink, ovs-vsctl, ovs-appctl, ovs-dpctl, ethtool, dmesg, cat ${OVS_LOG}, emulate)`);
  }
}
