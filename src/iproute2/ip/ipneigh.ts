// ip/ipneigh.c (iproute2 v6.1): `ip neigh add|replace|change ADDR lladdr
// MAC dev NAME [nud STATE]` — the neighbour a tunnel encapsulation resolves.
import { hop } from '../../trace/hop';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import {
  NDA_DST, NDA_LLADDR, NUD_DELAY, NUD_FAILED, NUD_INCOMPLETE, NUD_NOARP, NUD_NONE, NUD_PERMANENT, NUD_PROBE, NUD_REACHABLE,
  NUD_STALE, RTM_NEWNEIGH,
} from '../../kernel/include/uapi/linux/rtnetlink';
import { NlAttrBuf } from '../../netlink/msgbuf';
import { ndmsg_encode, type NdMsg } from '../../netlink/structs';
import type { NlRequest, RtnlHandle } from '../lib/libnetlink';
import { rtnl_talk } from '../lib/libnetlink';
import { LlMap } from '../lib/ll_map';
import { AF_INET, Args, exit_status, get_addr, invarg, ll_addr_a2n, matches, nodev, type Stdio } from '../lib/utils';
import type { IpIo } from './iplink';
import { prefix_u32, run } from './ipaddress';

// ip/ipneigh.c nud_state_a2n
const NUD_NAMES: Record<string, number> = {
  permanent: NUD_PERMANENT, reachable: NUD_REACHABLE, noarp: NUD_NOARP, none: NUD_NONE, stale: NUD_STALE,
  incomplete: NUD_INCOMPLETE, delay: NUD_DELAY, probe: NUD_PROBE, failed: NUD_FAILED,
};

/** ip/ipneigh.c ipneigh_modify (v6.1): default state permanent; dev is required. */
export const ipneigh_modify = hop('ip/ipneigh.c', function ipneigh_modify(rth: RtnlHandle, io: Stdio, flags: number, args: Args): number {
  const req: NlRequest<NdMsg> = {
    nlmsg_type: RTM_NEWNEIGH, nlmsg_flags: NLM_F_REQUEST | flags, nlmsg_seq: 0, nlmsg_pid: 0,
    hdr: { ndm_family: AF_INET, ndm_ifindex: 0, ndm_state: NUD_PERMANENT, ndm_flags: 0, ndm_type: 0 }, encodeHdr: ndmsg_encode, attrs: new NlAttrBuf(),
  };
  let d = '';
  let dst_ok = false;
  let lla: Uint8Array | null = null;
  while (args.cur !== undefined) {
    const w = args.cur;
    if (matches(w, 'lladdr') === false) {
      const v = args.next(io);
      if (lla) {
        io.stderr(`Error: duplicate "lladdr": "${v}" is the second value.\n`);
        return -1;
      }
      lla = ll_addr_a2n(io, 6, v);
      if (!lla) return -1;
    } else if (w === 'nud') {
      const v = args.next(io);
      const st = NUD_NAMES[v];
      if (st === undefined) invarg(io, 'nud state is bad', v);
      req.hdr.ndm_state = st;
    } else if (w === 'dev') {
      d = args.next(io);
    } else {
      const v = w === 'to' ? args.next(io) : w;
      if (dst_ok) {
        io.stderr(`Error: duplicate "to": "${v}" is the second value.\n`);
        return -1;
      }
      const dst = get_addr(io, v, AF_INET);
      req.attrs.be32(NDA_DST, prefix_u32(dst.data));
      dst_ok = true;
    }
    args.fwd();
  }
  if (!d || !dst_ok) {
    io.stderr('Device and destination are required arguments.\n');
    return -1;
  }
  if (lla) req.attrs.attr(NDA_LLADDR, lla);
  const idx = new LlMap().ll_name_to_index(rth, d);
  if (!idx) return nodev(io, d);
  req.hdr.ndm_ifindex = idx;
  if (rtnl_talk(rth, req, false).err < 0) return -2;
  return 0;
}, { input: (_r, _io, _f, args) => args.v.slice(args.i).join(' ') });

/** ip/ipneigh.c do_ipneigh: add (CREATE|EXCL), change (REPLACE), replace (CREATE|REPLACE). */
export function do_ipneigh(argv: readonly string[], io: IpIo): number {
  const [cmd, ...rest] = argv;
  let flags = -1;
  if (cmd !== undefined) {
    if (!matches(cmd, 'add')) flags = NLM_F_CREATE | NLM_F_EXCL;
    else if (!matches(cmd, 'replace')) flags = NLM_F_CREATE | NLM_F_REPLACE;
    else if (!matches(cmd, 'change') || cmd === 'chg') flags = NLM_F_REPLACE;
  }
  if (flags < 0) {
    io.stderr(`Command "${cmd ?? ''}" is not emulated (ip neigh add|replace|change ADDR lladdr MAC dev NAME [nud STATE] is)\n`);
    return exit_status(-1);
  }
  return run(io, (rth) => ipneigh_modify(rth, io, flags, new Args(rest)));
}
