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
import { AF_INET, Args, TcExit, check_ifname, duparg, exit_status, get_addr, get_u16, get_u32, invarg, matches, type Stdio } from '../lib/utils';
import {
  IFLA_VXLAN_COLLECT_METADATA, IFLA_VXLAN_GROUP, IFLA_VXLAN_ID, IFLA_VXLAN_LEARNING, IFLA_VXLAN_LOCAL, IFLA_VXLAN_PORT, IFLA_VXLAN_TTL,
} from '../../kernel/include/uapi/linux/if_link';

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

/**
 * ip/iplink_vxlan.c vxlan_parse_opt (v6.1), the options modelled: id|vni,
 * dstport, [no]external, [no]learning, local, remote, ttl. Note that 6.1
 * refuses `id` together with `external`.
 */
function vxlan_parse_opt(io: Stdio, args: Args, n: NlAttrBuf): number {
  let vni = 0;
  let have_id = false;
  let learning = 1;
  let dstport = 0;
  let have_port = false;
  let metadata = 0;
  let have_metadata = false;
  let have_learning = false;
  let saddr: Uint8Array | null = null;
  let daddr: Uint8Array | null = null;
  while (args.cur !== undefined) {
    const w = args.cur;
    if (!matches(w, 'id') || !matches(w, 'vni')) {
      const v = args.next(io);
      if (have_id) duparg(io, 'id', v);
      have_id = true;
      const x = get_u32(v, 0);
      if (x === null || x >= 1 << 24) invarg(io, 'invalid id', v);
      vni = x;
    } else if (!matches(w, 'remote')) {
      const v = args.next(io);
      daddr = get_addr(io, v, AF_INET).data.slice(0, 4);
    } else if (!matches(w, 'local')) {
      const v = args.next(io);
      saddr = get_addr(io, v, AF_INET).data.slice(0, 4);
    } else if (!matches(w, 'ttl') || !matches(w, 'hoplimit')) {
      const v = args.next(io);
      const x = v === 'inherit' || v === 'auto' ? 0 : get_u32(v, 0);
      if (x === null || x > 255) invarg(io, 'invalid TTL', v);
      n.u8(IFLA_VXLAN_TTL, x);
    } else if (!matches(w, 'dstport')) {
      const v = args.next(io);
      if (have_port) duparg(io, 'dstport', v);
      have_port = true;
      const x = get_u16(v, 0);
      if (x === null) invarg(io, 'dst port', v);
      dstport = x;
    } else if (!matches(w, 'nolearning')) {
      if (have_learning) duparg(io, w, w);
      have_learning = true;
      learning = 0;
    } else if (!matches(w, 'learning')) {
      if (have_learning) duparg(io, w, w);
      have_learning = true;
    } else if (!matches(w, 'external')) {
      if (have_metadata) duparg(io, w, w);
      have_metadata = true;
      metadata = 1;
      learning = 0;
      n.u8(IFLA_VXLAN_COLLECT_METADATA, metadata);
    } else if (!matches(w, 'noexternal')) {
      if (have_metadata) duparg(io, w, w);
      have_metadata = true;
      metadata = 0;
      n.u8(IFLA_VXLAN_COLLECT_METADATA, metadata);
    } else {
      io.stderr(`vxlan: unknown command "${w}"?\n`);
      return -1;
    }
    args.fwd();
  }
  if (metadata && have_id) {
    io.stderr("vxlan: both 'external' and vni cannot be specified\n");
    return -1;
  }
  if (!metadata && !have_id) {
    io.stderr('vxlan: missing virtual network identifier\n');
    return -1;
  }
  if (!have_port) {
    io.stderr('vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n');
    io.stderr("Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
  }
  if (have_id) n.u32(IFLA_VXLAN_ID, vni);
  if (saddr) n.attr(IFLA_VXLAN_LOCAL, saddr);
  if (daddr) n.attr(IFLA_VXLAN_GROUP, daddr);
  n.u8(IFLA_VXLAN_LEARNING, learning);
  if (dstport) n.be16(IFLA_VXLAN_PORT, dstport);
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
    if (p.type === 'vxlan') {
      // ip/iplink.c: the link_util's parse_opt always runs for a known kind
      const data = req.attrs.nestStart(IFLA_INFO_DATA);
      if (vxlan_parse_opt(io, rest, req.attrs) < 0) return -1;
      req.attrs.nestEnd(data);
    } else if (rest.cur !== undefined) {
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
    io.stderr(`Object "${obj ?? ''}" is not emulated (ip link add … type dummy|veth|vxlan is)\n`);
    return exit_status(-1);
  }
  if (cmd === undefined || matches(cmd, 'add')) {
    io.stderr(`Command "${cmd ?? ''}" is not emulated (ip link add … type dummy|veth|vxlan is)\n`);
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
