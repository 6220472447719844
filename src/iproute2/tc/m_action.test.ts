// `tc actions …` (tc/m_action.c do_action): the RTM_*ACTION requests tc 6.1
// builds, byte for byte as its code lays them out (tcamsg, TCA_ACT_TAB with
// one nest per action, no NLA_F_NESTED), and its command-line errors.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../netlink/nlmsg';
import { RecordingSocket } from '../tc_encode';
import { tc_main } from './tc';

function run(line: string): { code: number; stderr: string; sent: string[] } {
  const socket = new RecordingSocket({ lo: 1 });
  let stderr = '';
  const code = tc_main(line.split(' '), { socket, stdout: () => undefined, stderr: (s) => { stderr += s; } });
  return { code, stderr, sent: socket.sent.map((b) => toHex(b)) };
}

// nlmsghdr (len, type, flags, seq 1, pid 0) + struct tcamsg (4 zero bytes)
const hdr = (len: number, type: number, flags: number): string =>
  toHex(new Uint8Array([len, 0, 0, 0, type, 0, flags & 0xff, flags >> 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
// TCA_ACT_TAB { 1 { TCA_ACT_KIND "police" [TCA_ACT_INDEX 1] } }
const police_1 = '1c000100' + '18000100' + '0b000100' + '706f6c6963650000' + '08000300' + '01000000';
const police_kind = '14000100' + '10000100' + '0b000100' + '706f6c6963650000';
// TCA_ROOT_FLAGS bitfield32 {LARGE_DUMP_ON, LARGE_DUMP_ON}
const root_flags = '0c000200' + '01000000' + '01000000';

describe('tc actions requests', () => {
  const cases: Array<{ name: string; line: string; want: string }> = [
    { name: 'get: RTM_GETACTION, no ACK (tc reads the answer)', line: 'actions get action police index 1', want: hdr(48, 50, 0x1) + police_1 },
    { name: 'delete: RTM_DELACTION with ACK', line: 'actions delete action police index 1', want: hdr(48, 49, 0x5) + police_1 },
    { name: 'list: a dump of the kind, LARGE_DUMP_ON', line: 'actions list action police', want: hdr(52, 50, 0x301) + police_kind + root_flags },
    { name: 'flush: RTM_DELACTION with NLM_F_ROOT', line: 'actions flush action police', want: hdr(52, 49, 0x105) + police_kind + root_flags },
  ];
  it.each(cases)('$name', ({ line, want }) => {
    const r = run(line);
    expect(r.sent.at(-1), `tc ${line}`).toBe(want);
  });

  it('add: NLM_F_EXCL|NLM_F_CREATE, the action list as parse_action builds it', () => {
    const r = run('actions add action gact drop index 5');
    const sent = r.sent.at(-1)!;
    // type 48, flags REQUEST|ACK|EXCL|CREATE
    expect(sent.slice(8, 16), 'type and flags').toBe('30000506');
    // TCA_ACT_TAB { 1 { KIND "gact" OPTIONS|NESTED { TCA_GACT_PARMS index 5, action drop } } }
    expect(sent.slice(40), 'attributes').toBe(
      '30000100' + '2c000100' + '09000100' + '67616374' + '00000000' + '1c000280' + '18000200' + '05000000' + '00000000' + '02000000' + '00000000' + '00000000');
  });

  it('replace and change send NLM_F_CREATE|NLM_F_REPLACE', () => {
    for (const w of ['replace', 'change']) {
      const sent = run(`actions ${w} action gact drop index 5`).sent.at(-1)!;
      expect(sent.slice(8, 16), `tc actions ${w}`).toBe('30000505');
    }
  });
});

describe('tc actions command-line errors', () => {
  const cases: Array<{ name: string; line: string; code: number; stderr: string | RegExp }> = [
    { name: 'unknown command', line: 'actions frob', code: 255, stderr: 'Command "frob" is unknown, try "tc actions help".\n' },
    { name: 'get without index', line: 'actions get action police', code: 255, stderr: 'Error: no index specified action: police\n' },
    { name: 'get with another word', line: 'actions get action police handle 1', code: 255, stderr: 'Error: no index specified action: police\n' },
    { name: 'bad index', line: 'actions get action police index x', code: 255, stderr: 'Illegal "index"\n' },
    { name: 'list without a kind prints the usage', line: 'actions list action', code: 255, stderr: /^usage: tc actions <ACTSPECOP>\*/ },
    { name: 'bad since', line: 'actions list action police since x', code: 255, stderr: 'Error: argument "x" is wrong: dump time "since" is invalid\n' },
    { name: 'add with nothing to add', line: 'actions add', code: 255, stderr: 'Illegal "action"\n' },
  ];
  it.each(cases)('$name', ({ line, code, stderr }) => {
    const r = run(line);
    expect(r.code, `tc ${line}: exit`).toBe(code);
    if (typeof stderr === 'string') expect(r.stderr).toBe(stderr);
    else expect(r.stderr).toMatch(stderr);
  });
});
