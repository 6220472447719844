// ip/ip.c and ip/iplink.c (iproute2 v6.1): `ip link add [name] NAME type
// dummy|veth [peer name PEER]` — the one `ip` command a tc user needs to make
// a device without TC offload. Other `ip` objects and link commands are
// reported as not emulated.
import type { NetlinkSocket } from '../../kernel/syscall';
import { hop } from '../../trace/hop';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import {
  IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINKINFO, RTM_NEWLINK, VETH_INFO_PEER,
} from '../../kernel/include/uapi/linux/rtnetlink';
import { NlAttrBuf } from '../../netlink/msgbuf';
import { ifinfomsg_encode, type IfInfoMsg } from '../../netlink/structs';
import { rtnl_open, rtnl_talk, type NlRequest, type RtnlHandle } from '../lib/libnetlink';
import { Args, TcExit, check_ifname, duparg, exit_status, matches, type Stdio } from '../lib/utils';

export interface IpIo extends Stdio {
  socket: NetlinkSocket;
}

const IFINFOMSG_ZERO: IfInfoMsg = { ifi_family: 0, ifi_type: 0, ifi_index: 0, ifi_flags: 0, ifi_change: 0 };

/** ip/iplink.c iplink_parse, the words modelled: [name|dev] NAME, type KIND and the KIND's options. */
function iplink_parse(io: Stdio, args: Args, attrs: NlAttrBuf): { name: string; type: string } | null {
  let name = '';
  while (args.cur !== undefined) {
    const w = args.cur;
    if (w === 'type') {
      const type = args.next(io);
      args.fwd();
      return { name, type };
    }
    if (!matches(w, 'help')) {
      io.stderr('Usage: ip link add [ name ] NAME type TYPE [ ARGS ]\n');
      return null;
    }
    const v = w === 'name' || w === 'dev' ? args.next(io) : w;
    if (name) duparg(io, 'dev', v);
    if (check_ifname(v)) {
      io.stderr(`Error: argument "${v}" is wrong: "name" not a valid ifname\n`);
      return null;
    }
    name = v;
    attrs.string(IFLA_IFNAME, name);
    args.fwd();
  }
  return { name, type: '' };
}

/** ip/link_veth.c veth_parse_opt: `peer [name] NAME` as a VETH_INFO_PEER ifinfomsg + IFLA_IFNAME. */
function veth_parse_opt(io: Stdio, args: Args, data: NlAttrBuf): number {
  if (args.cur === undefined) return 0;
  if (args.cur !== 'peer') {
    io.stderr(`Error: argument "${args.cur}" is wrong: unknown veth option\n`);
    return -1;
  }
  args.fwd();
  const peer = data.nestStart(VETH_INFO_PEER);
  data.put(ifinfomsg_encode(IFINFOMSG_ZERO));
  const p = iplink_parse(io, args, data);
  if (!p) return -1;
  data.nestEnd(peer);
  return 0;
}

/** ip/iplink.c iplink_modify (RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL for "add"). */
export const iplink_modify = hop('ip/iplink.c', function iplink_modify(rth: RtnlHandle, io: Stdio, args: Args): number {
  const req: NlRequest<IfInfoMsg> = {
    nlmsg_type: RTM_NEWLINK, nlmsg_flags: NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL, nlmsg_seq: 0, nlmsg_pid: 0,
    hdr: { ...IFINFOMSG_ZERO }, encodeHdr: ifinfomsg_encode, attrs: new NlAttrBuf(),
  };
  const p = iplink_parse(io, args, req.attrs);
  if (!p) return -1;
  const rest = args;
  if (p.type) {
    const linkinfo = req.attrs.nestStart(IFLA_LINKINFO);
    req.attrs.string(IFLA_INFO_KIND, p.type);
    if (rest.cur !== undefined) {
      if (p.type !== 'veth') {
        io.stderr(`Error: argument "${rest.cur}" is wrong: options of link type "${p.type}" are not emulated\n`);
        return -1;
      }
      const data = req.attrs.nestStart(IFLA_INFO_DATA);
      if (veth_parse_opt(io, rest, req.attrs) < 0) return -1;
      req.attrs.nestEnd(data);
    }
    req.attrs.nestEnd(linkinfo);
  } else if (!p.name) {
    io.stderr('Not enough information: "dev" argument is required.\n');
    return -1;
  }
  if (rtnl_talk(rth, req, false).err < 0) return -2;
  return 0;
}, { input: (_r, _io, args) => args.v.slice(args.i).join(' ') });

/** ip/ip.c main → do_iplink: `ip link add …`. */
export const ip_main = hop('ip/ip.c', function main(argv: readonly string[], io: IpIo): number {
  const rth = rtnl_open(io.socket, io);
  const [obj, cmd, ...rest] = argv;
  if (obj === undefined || matches(obj, 'link')) {
    io.stderr(`Object "${obj ?? ''}" is not emulated (ip link add … type dummy|veth is)\n`);
    return exit_status(-1);
  }
  if (cmd === undefined || matches(cmd, 'add')) {
    io.stderr(`Command "${cmd ?? ''}" is not emulated (ip link add … type dummy|veth is)\n`);
    return exit_status(-1);
  }
  try {
    // ip/ip.c do_cmd returns -(func()): a kernel refusal (-2) exits 2; our
    // argument errors stand for upstream's exit(-1) paths (255).
    const r = iplink_modify(rth, io, new Args(rest));
    return exit_status(r === -1 ? -1 : -r);
  } catch (e) {
    if (e instanceof TcExit) return exit_status(e.code);
    throw e;
  }
});
