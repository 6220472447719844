// tc_main end to end against an in-memory socket: command-line errors with
// iproute2's own messages and exit codes, how kernel acks are printed, and
// the hop order of one `filter add`.
import { describe, expect, it } from 'vitest';
import { NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_CAPPED } from '../../kernel/include/uapi/linux/netlink';
import { RTM_NEWTFILTER } from '../../kernel/include/uapi/linux/rtnetlink';
import { NlMsgBuilder } from '../../netlink/attr';
import type { NlMsg } from '../../netlink/nlmsg';
import { nlmsgerr_encode } from '../../netlink/structs';
import { Tracer, withTracer } from '../../trace/hop';
import { RecordingSocket } from '../tc_encode';
import { tc_main } from './tc';

const links = { lo: 1, v1: 2, v0: 3 };

function run(argv: string[], reply?: (req: NlMsg, portid: number) => Uint8Array[] | undefined) {
  const socket = new RecordingSocket(links, reply);
  let stdout = '';
  let stderr = '';
  const code = tc_main(argv, { socket, stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
  return { code, stdout, stderr, sent: socket.sent };
}

/** The kernel's NLMSG_ERROR for `req`, with an optional extack message. */
function nlack(req: NlMsg, portid: number, error: number, ext_msg?: string): Uint8Array {
  const flags = (error === 0 ? NLM_F_CAPPED : 0) | (ext_msg !== undefined ? NLM_F_ACK_TLVS : 0);
  return new NlMsgBuilder({ nlmsg_type: NLMSG_ERROR, nlmsg_flags: flags, nlmsg_seq: req.hdr.nlmsg_seq, nlmsg_pid: portid })
    .put(nlmsgerr_encode({ error, msg: req.hdr, request_payload: req.payload, ext_msg }, error === 0))
    .finish();
}

const add = 'filter add dev v0 ingress protocol ip prio 1 flower dst_ip 10.0.0.1 action drop'.split(' ');

describe('tc_main command-line errors', () => {
  const cases: Array<{ name: string; argv: string; code: number; stderr: string | RegExp }> = [
    { name: 'unknown object', argv: 'frob', code: 255, stderr: 'Object "frob" is unknown, try "tc help".\n' },
    { name: 'unknown filter command', argv: 'filter frob', code: 255, stderr: 'Command "frob" is unknown, try "tc filter help".\n' },
    { name: 'unknown option', argv: '-z filter show', code: 255, stderr: 'Option "-z" is unknown, try "tc -help".\n' },
    { name: 'pref out of range', argv: 'filter add dev v0 ingress prio 70000 flower', code: 255,
      stderr: 'Error: argument "70000" is wrong: invalid priority value\n' },
    { name: 'missing value', argv: 'filter add dev v0 ingress prio', code: 255,
      stderr: 'Command line is not complete. Try option "help"\n' },
    { name: 'duplicate dev', argv: 'filter add dev v0 dev v1 ingress flower', code: 255,
      stderr: 'Error: duplicate "dev": "v1" is the second value.\n' },
    { name: 'duplicate parent', argv: 'filter add dev v0 ingress egress flower', code: 255,
      stderr: 'Error: "egress" is duplicate parent ID\n' },
    { name: 'dev and block', argv: 'filter add block 5 dev v0 flower', code: 255,
      stderr: 'Error: "dev" and "block" are mutually exclusive\n' },
    { name: 'unknown device', argv: 'filter add dev nope ingress protocol ip prio 1 flower', code: 1,
      stderr: 'Cannot find device "nope"\n' },
    { name: 'unsupported classifier', argv: 'filter add dev v0 ingress protocol ip prio 1 u32 match ip', code: 1,
      stderr: 'Unknown filter "u32", hence option "match" is unparsable\n' },
    { name: 'handle without kind', argv: 'filter add dev v0 ingress handle 1', code: 255,
      stderr: 'Must specify filter type when using "handle"\n' },
    { name: 'ip_proto on arp', argv: 'filter add dev v0 ingress protocol arp prio 1 flower ip_proto tcp', code: 1,
      stderr: 'Illegal "eth_type" for ip proto\nIllegal "ip_proto"\n' },
    { name: 'port without ip_proto', argv: 'filter add dev v0 ingress protocol ip prio 1 flower dst_port 80', code: 1,
      stderr: 'Illegal "dst_port"\n' },
    { name: 'vlan_id without 802.1Q', argv: 'filter add dev v0 ingress protocol ip prio 1 flower vlan_id 5', code: 1,
      stderr: 'Can\'t set "vlan_id" if ethertype isn\'t 802.1Q or 802.1AD and num_of_vlans is 0\n' },
    { name: 'bad address', argv: 'filter add dev v0 ingress protocol ip prio 1 flower dst_ip 2001::1', code: 1,
      stderr: 'Error: inet prefix is expected rather than "2001::1".\n' },
    { name: 'unknown flower key', argv: 'filter add dev v0 ingress protocol ip prio 1 flower bogus 1', code: 1,
      stderr: /^What is "bogus"\?\nUsage: \.\.\. flower\t\[ MATCH-LIST \] \[ verbose \]\n/ },
    { name: 'bad action verb', argv: 'filter add dev v0 ingress protocol ip prio 1 flower action frob', code: 255,
      stderr: /^Bad action type frob\nUsage: \.\.\. gact <ACTION> \[RAND\] \[INDEX\]\n/ },
    { name: 'goto without chain', argv: 'filter add dev v0 ingress protocol ip prio 1 flower action goto 5', code: 255,
      stderr: /^"chain index" expected\nUsage: \.\.\. gact/ },
    { name: 'get without protocol', argv: 'filter get dev v0 ingress prio 1 handle 1 flower', code: 255,
      stderr: 'Must specify filter protocol\n' },
    { name: 'get without handle', argv: 'filter get dev v0 ingress protocol ip prio 1 flower', code: 255,
      stderr: 'Must specify filter "handle"\n' },
    { name: 'show garbage', argv: 'filter show dev v0 frob', code: 255, stderr: ' What is "frob"? Try "tc filter help"\n' },
    { name: 'qdisc option after kind', argv: 'qdisc add dev v0 ingress ingress_block 5', code: 1,
      stderr: 'What is "ingress_block"?\nUsage: ... ingress\n' },
  ];
  it.each(cases)('$name', ({ argv, code, stderr }) => {
    const r = run(argv.split(' '));
    expect(r.code, `tc ${argv}: exit code`).toBe(code);
    if (typeof stderr === 'string') expect(r.stderr, `tc ${argv}: stderr`).toBe(stderr);
    else expect(r.stderr, `tc ${argv}: stderr`).toMatch(stderr);
  });

  it('sends nothing past the link dump when the command line is wrong', () => {
    const r = run('filter add dev v0 ingress protocol ip prio 1 flower dst_port 80'.split(' '));
    expect(r.sent.map((m) => m[4])).toEqual([18]); // RTM_GETLINK only
  });
});

describe('tc_main kernel replies', () => {
  const onFilter = (error: number, msg?: string) => (req: NlMsg, portid: number) =>
    req.hdr.nlmsg_type === RTM_NEWTFILTER ? [nlack(req, portid, error, msg)] : undefined;

  it.each([
    { name: 'extack error', error: -2, msg: 'TC classifier not found', code: 2,
      stderr: 'Error: TC classifier not found.\nWe have an error talking to the kernel\n' },
    { name: 'extack already ending in a dot', error: -22, msg: 'Bad thing.', code: 2,
      stderr: 'Error: Bad thing.\nWe have an error talking to the kernel\n' },
    { name: 'errno only', error: -95, msg: undefined, code: 2,
      stderr: 'RTNETLINK answers: Operation not supported\nWe have an error talking to the kernel\n' },
    { name: 'file exists', error: -17, msg: undefined, code: 2,
      stderr: 'RTNETLINK answers: File exists\nWe have an error talking to the kernel\n' },
    { name: 'success with a warning', error: 0, msg: 'mlx5_core: Unsupported action', code: 0,
      stderr: 'Warning: mlx5_core: Unsupported action.\n' },
    { name: 'plain success', error: 0, msg: undefined, code: 0, stderr: '' },
  ])('$name', ({ error, msg, code, stderr }) => {
    const r = run(add, onFilter(error, msg));
    expect(r.code, `tc ${add.join(' ')}: exit code`).toBe(code);
    expect(r.stderr).toBe(stderr);
  });

  it('qdisc errors print no "talking to the kernel" line', () => {
    const r = run('qdisc add dev v0 clsact'.split(' '), (req, portid) =>
      req.hdr.nlmsg_type === 36 ? [nlack(req, portid, -17, 'Exclusivity flag on, cannot modify')] : undefined);
    expect(r).toMatchObject({ code: 2, stderr: 'Error: Exclusivity flag on, cannot modify.\n' });
  });

  it('ignores replies to other sequence numbers', () => {
    const r = run(add, (req, portid) => {
      if (req.hdr.nlmsg_type !== RTM_NEWTFILTER) return undefined;
      const stale = { ...req, hdr: { ...req.hdr, nlmsg_seq: req.hdr.nlmsg_seq - 1 } };
      return [nlack(stale, portid, -22, 'stale'), nlack(req, portid, 0)];
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('tc_main hops', () => {
  it('records the user-space path of a filter add', () => {
    const t = new Tracer();
    const r = withTracer(t, () => run(add));
    expect(r.code).toBe(0);
    expect(t.all().map((h) => `${h.file}:${h.fn}`)).toEqual([
      'tc/tc.c:main',
      'tc/tc.c:do_cmd',
      'tc/tc_filter.c:tc_filter_modify',
      'lib/ll_map.c:ll_init_map',
      'lib/libnetlink.c:rtnl_linkdump_req',
      'lib/libnetlink.c:rtnl_dump_filter',
      'tc/f_flower.c:flower_parse_opt',
      'tc/m_action.c:parse_action',
      'tc/m_gact.c:parse_gact',
      'lib/libnetlink.c:rtnl_talk',
    ]);
    expect(t.all().every((h) => h.layer === 'user')).toBe(true);
  });
});
