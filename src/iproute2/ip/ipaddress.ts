// ip/ipaddress.c (iproute2 v6.1): `ip addr add PREFIX dev NAME` — the local
// address a tunnel endpoint needs. Other address commands are not emulated.
import { hop } from '../../trace/hop';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { IFA_ADDRESS, IFA_LOCAL, RTM_NEWADDR } from '../../kernel/include/uapi/linux/rtnetlink';
import { NlAttrBuf } from '../../netlink/msgbuf';
import { ifaddrmsg_encode, type IfAddrMsg } from '../../netlink/structs';
import { rtnl_open, rtnl_talk, type NlRequest, type RtnlHandle } from '../lib/libnetlink';
import { LlMap } from '../lib/ll_map';
import { AF_INET, Args, TcExit, exit_status, get_prefix, matches, nodev, type Stdio } from '../lib/utils';
import type { IpIo } from './iplink';

/** Host-order u32 of an inet_prefix's first four bytes. */
export function prefix_u32(d: Uint8Array): number {
  return ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
}

/** ip/ipaddress.c ipaddr_modify (v6.1), `add`: [local] PREFIX dev NAME. */
export const ipaddr_modify = hop('ip/ipaddress.c', function ipaddr_modify(rth: RtnlHandle, io: Stdio, args: Args): number {
  const req: NlRequest<IfAddrMsg> = {
    nlmsg_type: RTM_NEWADDR, nlmsg_flags: NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL, nlmsg_seq: 0, nlmsg_pid: 0,
    hdr: { ifa_family: AF_INET, ifa_prefixlen: 0, ifa_flags: 0, ifa_scope: 0, ifa_index: 0 }, encodeHdr: ifaddrmsg_encode, attrs: new NlAttrBuf(),
  };
  let d = '';
  let have_local = false;
  while (args.cur !== undefined) {
    const w = args.cur;
    if (w === 'dev') {
      d = args.next(io);
    } else {
      const v = matches(w, 'local') ? w : args.next(io);
      const lcl = get_prefix(io, v, AF_INET);
      if (have_local) {
        io.stderr(`Error: either "local" is duplicate, or "${v}" is a garbage.\n`);
        return -1;
      }
      have_local = true;
      req.hdr.ifa_family = lcl.family;
      req.hdr.ifa_prefixlen = lcl.bitlen < 0 ? 32 : lcl.bitlen;
      req.attrs.be32(IFA_LOCAL, prefix_u32(lcl.data));
      req.attrs.be32(IFA_ADDRESS, prefix_u32(lcl.data));
    }
    args.fwd();
  }
  if (!d) {
    io.stderr('Not enough information: "dev" argument is required.\n');
    return -1;
  }
  const idx = new LlMap().ll_name_to_index(rth, d);
  if (!idx) return nodev(io, d);
  req.hdr.ifa_index = idx;
  if (rtnl_talk(rth, req, false).err < 0) return -2;
  return 0;
}, { input: (_r, _io, args) => args.v.slice(args.i).join(' ') });

/** ip/ipaddress.c do_ipaddr: only `add` is emulated. */
export function do_ipaddr(argv: readonly string[], io: IpIo): number {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || matches(cmd, 'add')) {
    io.stderr(`Command "${cmd ?? ''}" is not emulated (ip addr add PREFIX dev NAME is)\n`);
    return exit_status(-1);
  }
  return run(io, (rth) => ipaddr_modify(rth, io, new Args(rest)));
}

/** ip/ip.c do_cmd: -(func()); argument errors exit 255, kernel refusals 2. */
export function run(io: IpIo, fn: (rth: RtnlHandle) => number): number {
  const rth = rtnl_open(io.socket, io);
  try {
    const r = fn(rth);
    return exit_status(r === -1 ? -1 : -r);
  } catch (e) {
    if (e instanceof TcExit) return exit_status(e.code);
    throw e;
  }
}
