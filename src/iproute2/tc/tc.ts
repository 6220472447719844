// tc/tc.c (iproute2 v6.1.0): option parsing and object dispatch. One call
// of tc_main is one run of the `tc` program: its state is a fresh TcProc, it
// talks to the kernel only through io.socket, and it returns the exit status.
import type { NetlinkSocket } from '../../kernel/syscall';
import { hop } from '../../trace/hop';
import { JsonPrint } from '../lib/json_print';
import { rtnl_open } from '../lib/libnetlink';
import { LlMap } from '../lib/ll_map';
import { Args, TcExit, exit_status, matches, type Stdio } from '../lib/utils';
import type { TcProc } from './tc_common';
import { do_action } from './m_action';
import { do_chain, do_filter } from './tc_filter';
import { do_qdisc } from './tc_qdisc';

/** What a tc process is given: its netlink socket and its output streams. */
export interface TcIo extends Stdio {
  socket: NetlinkSocket;
  /** Clock for the initial nlmsg_seq (upstream: time(NULL)); 0 when absent. */
  now?: () => number;
}

function usage(io: Stdio): void {
  io.stderr('Usage:	tc [ OPTIONS ] OBJECT { COMMAND | help }\n' +
    '	tc [-force] -batch filename\n' +
    'where  OBJECT := { qdisc | class | filter | chain |\n' +
    '		    action | monitor | exec }\n' +
    '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |\n' +
    '		    -o[neline] | -j[son] | -p[retty] | -c[olor]\n' +
    '		    -b[atch] [filename] | -n[etns] name | -N[umeric] |\n' +
    '		     -nm | -nam[es] | { -cf | -conf } path\n' +
    '		     -br[ief] }\n');
}

// tc/tc.c do_cmd
export const do_cmd = hop('tc/tc.c', function do_cmd(p: TcProc, args: Args): number {
  const w = args.cur!;
  const rest = new Args(args.v, args.i + 1);
  if (!matches(w, 'qdisc')) return do_qdisc(p, rest);
  if (!matches(w, 'class')) {
    p.io.stderr(`Object "${w}" is not emulated\n`);
    return -1;
  }
  if (!matches(w, 'actions')) return do_action(p, rest);
  if (!matches(w, 'monitor') || !matches(w, 'exec')) {
    p.io.stderr(`Object "${w}" is not emulated\n`);
    return -1;
  }
  if (!matches(w, 'filter')) return do_filter(p, rest);
  if (!matches(w, 'chain')) return do_chain(p, rest);
  if (!matches(w, 'help')) {
    usage(p.io);
    return 0;
  }
  p.io.stderr(`Object "${w}" is unknown, try "tc help".\n`);
  return -1;
}, { input: (_p, args) => args.v.slice(args.i).join(' ') });

// tc/tc.c main: global options, then the object command. `argv` is the
// command line without the program name.
const main = hop('tc/tc.c', function main(argv: readonly string[], io: TcIo): number {
  const pr = new JsonPrint((s) => io.stdout(s));
  const p: TcProc = {
    io, pr, rth: rtnl_open(io.socket, io, io.now?.() ?? 0), ll: new LlMap(),
    show_stats: 0, show_details: 0, show_raw: 0, json: 0, pretty: 0, brief: 0, oneline: 0, numeric: 0,
    filter_parent: 0, filter_ifindex: 0, filter_prio: 0, filter_protocol: 0, filter_chain_index: 0,
    filter_chain_index_set: false, filter_block_index: 0, f_proto: 0,
  };
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a[0] !== '-') break;
    const opt = (w: string): boolean => !matches(a, w);
    if (opt('-stats') || opt('-statistics')) p.show_stats++;
    else if (opt('-details')) p.show_details++;
    else if (opt('-raw')) p.show_raw++;
    else if (opt('-pretty')) p.pretty++;
    else if (opt('-graph')) { /* only changes class output */ }
    else if (opt('-Version')) {
      io.stdout('tc utility, iproute2-6.1.0\n');
      return 0;
    } else if (opt('-iec')) { /* rates in IEC units: no emulated output uses them */ }
    else if (opt('-help')) {
      usage(io);
      return 0;
    } else if (opt('-force')) { /* batch only */ }
    else if (opt('-batch') || opt('-netns')) {
      io.stderr(`Option "${a}" is not emulated\n`);
      return exit_status(-1);
    } else if (opt('-Numeric')) p.numeric++;
    else if (opt('-names') || opt('-nm')) { /* class names file: not emulated */ }
    else if (opt('-cf') || opt('-conf')) i++;
    else if (opt('-color')) { /* no colour on a captured stream */ }
    else if (opt('-timestamp') || opt('-tshort')) { /* monitor only */ }
    else if (opt('-json')) p.json++;
    else if (opt('-oneline')) p.oneline++;
    else if (opt('-brief')) p.brief++;
    else {
      io.stderr(`Option "${a}" is unknown, try "tc -help".\n`);
      return exit_status(-1);
    }
    i++;
  }
  pr.sl = p.oneline ? '\\' : '\n';
  if (p.pretty) Object.assign(p, { pr: new JsonPrint((s) => io.stdout(s), true) });
  p.pr.sl = pr.sl;
  if (i >= argv.length) {
    usage(io);
    return 0;
  }
  try {
    return exit_status(do_cmd(p, new Args(argv, i)));
  } catch (e) {
    if (e instanceof TcExit) return exit_status(e.code);
    throw e;
  }
});

/** Runs `tc <argv…>` against io.socket; returns the process exit status. */
export function tc_main(argv: readonly string[], io: TcIo): number {
  return main(argv, io);
}
