// ip/iproute.c (iproute2 v6.1): `ip route add PREFIX [via GW] [dev NAME]`.
import { hop } from '../../trace/hop';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import {
  RTA_DST, RTA_GATEWAY, RTA_OIF, RTM_NEWROUTE, RTN_UNICAST, RTPROT_BOOT, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN,
} from '../../kernel/include/uapi/linux/rtnetlink';
import { NlAttrBuf } from '../../netlink/msgbuf';
import { rtmsg_encode, type RtMsg } from '../../netlink/structs';
import type { NlRequest, RtnlHandle } from '../lib/libnetlink';
import { rtnl_talk } from '../lib/libnetlink';
import { LlMap } from '../lib/ll_map';
import { AF_INET, Args, exit_status, get_addr, get_prefix, matches, nodev, type Stdio } from '../lib/utils';
import type { IpIo } from './iplink';
import { prefix_u32, run } from './ipaddress';

/** ip/iproute.c iproute_modify (v6.1), `add`: scope link without a gateway, universe with one. */
export const iproute_modify = hop('ip/iproute.c', function iproute_modify(rth: RtnlHandle, io: Stdio, args: Args): number {
  const req: NlRequest<RtMsg> = {
    nlmsg_type: RTM_NEWROUTE, nlmsg_flags: NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL, nlmsg_seq: 0, nlmsg_pid: 0,
    hdr: { rtm_family: AF_INET, rtm_dst_len: 0, rtm_src_len: 0, rtm_tos: 0, rtm_table: RT_TABLE_MAIN, rtm_protocol: RTPROT_BOOT, rtm_scope: RT_SCOPE_UNIVERSE, rtm_type: RTN_UNICAST, rtm_flags: 0 },
    encodeHdr: rtmsg_encode, attrs: new NlAttrBuf(),
  };
  let d = '';
  let gw_ok = false;
  let dst_ok = false;
  while (args.cur !== undefined) {
    const w = args.cur;
    if (w === 'via') {
      const gw = get_addr(io, args.next(io), AF_INET);
      req.attrs.be32(RTA_GATEWAY, prefix_u32(gw.data));
      gw_ok = true;
    } else if (w === 'dev' || matches(w, 'oif') === false) {
      d = args.next(io);
    } else {
      if (dst_ok) {
        io.stderr(`Error: either "to" is duplicate, or "${w}" is a garbage.\n`);
        return -1;
      }
      const v = w === 'to' ? args.next(io) : w;
      if (v === 'default') {
        req.hdr.rtm_dst_len = 0;
      } else {
        const dst = get_prefix(io, v, AF_INET);
        req.hdr.rtm_dst_len = dst.bitlen < 0 ? 32 : dst.bitlen;
        req.attrs.be32(RTA_DST, prefix_u32(dst.data));
      }
      dst_ok = true;
    }
    args.fwd();
  }
  if (!dst_ok) {
    io.stderr('Error: either "to" is duplicate, or "" is a garbage.\n');
    return -1;
  }
  if (d) {
    const idx = new LlMap().ll_name_to_index(rth, d);
    if (!idx) return nodev(io, d);
    req.attrs.u32(RTA_OIF, idx);
  }
  // iproute_modify: a route without a gateway to a unicast prefix is link scope
  if (!gw_ok) req.hdr.rtm_scope = RT_SCOPE_LINK;
  if (rtnl_talk(rth, req, false).err < 0) return -2;
  return 0;
}, { input: (_r, _io, args) => args.v.slice(args.i).join(' ') });

/** ip/iproute.c do_iproute: only `add` is emulated. */
export function do_iproute(argv: readonly string[], io: IpIo): number {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || matches(cmd, 'add')) {
    io.stderr(`Command "${cmd ?? ''}" is not emulated (ip route add PREFIX [via GW] [dev NAME] is)\n`);
    return exit_status(-1);
  }
  return run(io, (rth) => iproute_modify(rth, io, new Args(rest)));
}
