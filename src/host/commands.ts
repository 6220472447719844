// Commands as users type them, run against one host. Each tool reaches the
// emulated system the way the real one does (tc through a netlink socket).
import { parse as shellParse } from 'shell-quote';
import { Host, HostError } from './host';
import { tc_main } from '../iproute2/tc/tc';
import { NETLINK_ROUTE } from '../kernel/include/uapi/linux/netlink';
import { ovs_vsctl } from '../ovs/utilities/ovs-vsctl';

export interface CommandResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
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

function runTc(host: Host, argv: string[]): Omit<CommandResult, 'command'> {
  let stdout = '';
  let stderr = '';
  const exitCode = host.run(() => {
    const sock = host.kernel.syscalls.netlink_socket(NETLINK_ROUTE);
    if (typeof sock === 'number') throw new HostError(`socket(AF_NETLINK, NETLINK_ROUTE) failed: ${sock}`);
    try {
      return tc_main(argv, { socket: sock, stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    } finally {
      sock.close();
    }
  });
  return { exitCode, stdout, stderr };
}

/** `ovs-appctl TARGET-COMMAND ARGS…` sent to ovs-vswitchd's unixctl server. */
function runAppctl(host: Host, args: string[]): Omit<CommandResult, 'command'> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return { exitCode: 2, stdout: '', stderr: 'ovs-appctl: at least one non-option argument is required (use --help for help)\n' };
  if (cmd.startsWith('dpctl/')) {
    const r = host.run(() => host.ovs.dpctl([cmd.slice('dpctl/'.length), ...rest], true));
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
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

/** Runs one command line; unknown programs are an input mistake, not an emulated error. */
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
        }),
      };
    case 'ovs-appctl':
      return { command: line, ...runAppctl(host, args) };
    case 'ovs-dpctl': {
      const r = host.run(() => host.ovs.dpctl(args, false));
      return { command: line, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    }
    default:
      throw new HostError(`"${prog}" is not a command offload-spec knows (known: tc, ovs-vsctl, ovs-appctl, ovs-dpctl)`);
  }
}
