// lib/ll_map.c (iproute2 v6.1.0): the interface name ↔ index cache, filled
// by one RTM_GETLINK dump (ll_init_map) and, for names the dump did not
// show, a single RTM_GETLINK lookup. Upstream's static hash tables live on
// the LlMap object of one tc process.
import { hop } from '../../trace/hop';
import { strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import {
  IFLA_ALT_IFNAME, IFLA_EXT_MASK, IFLA_IFNAME, RTEXT_FILTER_VF, RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK,
} from '../../kernel/include/uapi/linux/rtnetlink';
import { nla_get_string, nla_walk } from '../../netlink/attr';
import { NlAttrBuf } from '../../netlink/msgbuf';
import type { NlMsg } from '../../netlink/nlmsg';
import { ifinfomsg_decode, ifinfomsg_encode, IFINFOMSG_LEN } from '../../netlink/structs';
import {
  rtnl_dump_filter, rtnl_linkdump_req, rtnl_talk_suppress_rtnl_errmsg, type NlRequest, type RtnlHandle,
} from './libnetlink';
import { TcExit, check_ifname } from './utils';

const RTEXT_FILTER_SKIP_STATS = 1 << 3;

interface LlCache {
  index: number;
  type: number;
  flags: number;
  name: string;
}

export class LlMap {
  private readonly byIndex = new Map<number, LlCache>();
  private readonly byName = new Map<string, LlCache>();
  initialized = false;

  // lib/ll_map.c ll_remember_index: records RTM_NEWLINK, forgets RTM_DELLINK.
  ll_remember_index(n: NlMsg): number {
    if (n.hdr.nlmsg_type !== RTM_NEWLINK && n.hdr.nlmsg_type !== RTM_DELLINK) return 0;
    const ifi = ifinfomsg_decode(n.payload);
    if (!ifi.ok) return -1;
    const idx = ifi.value.ifi_index >>> 0;
    const old = this.byIndex.get(idx);
    if (old) this.byName.delete(old.name);
    if (n.hdr.nlmsg_type === RTM_DELLINK) {
      this.byIndex.delete(idx);
      return 0;
    }
    let name: string | undefined;
    for (const a of nla_walk(n.payload.subarray(IFINFOMSG_LEN)).attrs) {
      if (a.type === IFLA_IFNAME) name = nla_get_string(a);
    }
    if (name === undefined) return 0;
    const e: LlCache = { index: idx, type: ifi.value.ifi_type, flags: ifi.value.ifi_flags, name };
    this.byIndex.set(idx, e);
    this.byName.set(name, e);
    return 0;
  }

  // lib/ll_map.c ll_link_get: one RTM_GETLINK by name or index. Upstream
  // opens a second socket for it; this emulation reuses tc's socket.
  private ll_link_get(rth: RtnlHandle, name: string | null, index: number): number {
    const attrs = new NlAttrBuf().u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    if (name !== null) attrs.string(!check_ifname(name) ? IFLA_IFNAME : IFLA_ALT_IFNAME, name);
    const req: NlRequest<number> = {
      nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_REQUEST, nlmsg_seq: 0, nlmsg_pid: 0, hdr: index,
      encodeHdr: (i) => ifinfomsg_encode({ ifi_family: 0, ifi_type: 0, ifi_index: i, ifi_flags: 0, ifi_change: 0 }),
      attrs,
    };
    const r = rtnl_talk_suppress_rtnl_errmsg(rth, req);
    if (r.err < 0 || !r.answer) return 0;
    if (this.ll_remember_index(r.answer) !== 0) return 0;
    const ifi = ifinfomsg_decode(r.answer.payload);
    return ifi.ok ? ifi.value.ifi_index : 0;
  }

  // lib/ll_map.c ll_name_to_index: cache, then a lookup, then "ifN".
  ll_name_to_index(rth: RtnlHandle, name: string): number {
    const im = this.byName.get(name);
    if (im) return im.index;
    let idx = this.ll_link_get(rth, name, 0);
    if (idx === 0) {
      const m = /^if(\d+)/.exec(name);
      idx = m ? Number(m[1]) >>> 0 : 0;
    }
    return idx;
  }

  // lib/ll_map.c ll_index_to_name: 0 is "*", unknown ones "ifN".
  ll_index_to_name(rth: RtnlHandle, idx: number): string {
    if (idx === 0) return '*';
    const im = this.byIndex.get(idx);
    if (im) return im.name;
    if (this.ll_link_get(rth, null, idx) === idx) {
      const again = this.byIndex.get(idx);
      if (again) return again.name;
    }
    return `if${idx}`;
  }
}

// lib/ll_map.c ll_init_map: one link dump per process (static "initialized").
export const ll_init_map = hop('lib/ll_map.c', function ll_init_map(rth: RtnlHandle, map: LlMap): void {
  if (map.initialized) return;
  const sent = rtnl_linkdump_req(rth, 0);
  if (sent < 0) {
    rth.io.stderr(`Cannot send dump request: ${strerror(sent)}\n`);
    throw new TcExit(1);
  }
  if (rtnl_dump_filter(rth, (h) => map.ll_remember_index(h)) < 0) {
    rth.io.stderr('Dump terminated\n');
    throw new TcExit(1);
  }
  map.initialized = true;
});
