// net/core/neighbour.c (with the ARP table of net/ipv4/arp.c): IPv4
// neighbours a user sees with `ip neigh` and drivers resolve for tunnel
// encapsulation. No ARP traffic is emulated: a neighbour asked for stays
// INCOMPLETE until a user sets its link-layer address.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetDevice } from '../../include/linux/netdevice';
import type { NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_SET_ERR_MSG } from '../../include/linux/netlink';
import { EAFNOSUPPORT, EEXIST, EINVAL, ENODEV, ENOENT, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../include/uapi/linux/netlink';
import {
  NDA_DST, NDA_LLADDR, NDA_MAX, NUD_DELAY, NUD_INCOMPLETE, NUD_NOARP, NUD_NONE, NUD_PERMANENT, NUD_PROBE, NUD_REACHABLE,
  NUD_STALE, PF_INET, PF_UNSPEC, RTM_NEWNEIGH,
} from '../../include/uapi/linux/rtnetlink';
import type { NlMsg } from '../../../netlink/nlmsg';
import { nla_get_be32 } from '../../../netlink/attr';
import { NDMSG_LEN, ndmsg_decode } from '../../../netlink/structs';
import { NLA_BINARY, nlmsg_parse_deprecated, type NlaPolicy } from '../../lib/nlattr';
import { rtnl_register_many } from './rtnetlink';
import { NETEVENT_NEIGH_UPDATE, call_netevent_notifiers } from './netevent';
import { hop } from '../../../trace/hop';
import { declareBranch } from '../../../trace/branch';

const FILE = 'net/core/neighbour.c';

/** include/net/neighbour.h */
export const NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
export const NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

/** struct neighbour: the parts a user and a driver observe. */
export interface Neighbour {
  dev: NetDevice;
  /** The IPv4 address (host order). */
  primary_key: number;
  /** Link-layer address (6 bytes) once known. */
  ha: Uint8Array | null;
  nud_state: number;
}

/** The namespace's arp_tbl entries. */
function arp_tbl(net: Net): Neighbour[] {
  return net_generic(net, 'arp_tbl', () => [] as Neighbour[]);
}

/** neigh_lookup(arp_tbl, key, dev) */
export function neigh_lookup(dev: NetDevice, key: number): Neighbour | null {
  return arp_tbl(dev.nd_net).find((n) => n.dev === dev && n.primary_key === key) ?? null;
}

/** __neigh_create(): a new entry in NUD_NONE. */
export function __neigh_create(dev: NetDevice, key: number): Neighbour {
  const n: Neighbour = { dev, primary_key: key, ha: null, nud_state: NUD_NONE };
  arp_tbl(dev.nd_net).push(n);
  return n;
}

/** Every neighbour of the host (what `ip neigh show` lists). */
export function neigh_entries(net: Net): readonly Neighbour[] {
  return arp_tbl(net);
}

/**
 * neigh_event_send (include/net/neighbour.h → __neigh_event_send, v6.18): a
 * neighbour without a valid state starts resolution (INCOMPLETE). Returns
 * true while the packet cannot be sent yet.
 */
export const neigh_event_send = hop(FILE, function neigh_event_send(neigh: Neighbour): boolean {
  if (neigh.nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) return false;
  if (!(neigh.nud_state & (NUD_STALE | NUD_INCOMPLETE))) neigh.nud_state = NUD_INCOMPLETE;
  return neigh.nud_state === NUD_INCOMPLETE;
}, { input: (n) => `${ipv4_str(n.primary_key)} dev ${n.dev.name}`, result: (r) => (r ? 'resolving' : 'ready') });

const neigh_update_notify_branch = declareBranch(FILE, '__neigh_update', 'state or lladdr changed: notify');

/**
 * __neigh_update (v6.18), as reached from neigh_add with OVERRIDE: a valid
 * state needs a link-layer address ("No link layer address given"); a change
 * of state or address goes to netevent listeners (neigh_update_notify).
 */
export const __neigh_update = hop(FILE, function __neigh_update(neigh: Neighbour, lladdr: Uint8Array | null, new_state: number,
  extack: NetlinkExtAck | null): 0 | NegErrno {
  const old = neigh.nud_state;
  let ha = lladdr;
  if (!(new_state & NUD_VALID)) {
    neigh.nud_state = new_state;
    if (neigh_update_notify_branch(old !== new_state)) call_netevent_notifiers(neigh.dev.nd_net, NETEVENT_NEIGH_UPDATE, neigh);
    return 0;
  }
  if (!ha) {
    if (!(old & NUD_VALID) || !neigh.ha) {
      NL_SET_ERR_MSG(extack, 'No link layer address given');
      return -EINVAL;
    }
    ha = neigh.ha;
  }
  const lladdr_changed = !neigh.ha || neigh.ha.some((b, i) => b !== ha![i]);
  neigh.ha = ha.slice(0, 6);
  neigh.nud_state = new_state;
  if (neigh_update_notify_branch(old !== new_state || lladdr_changed)) call_netevent_notifiers(neigh.dev.nd_net, NETEVENT_NEIGH_UPDATE, neigh);
  return 0;
}, { input: (n, _l, st) => `${ipv4_str(n.primary_key)} dev ${n.dev.name} state 0x${st.toString(16)}` });

// neighbour.c nda_policy (v6.18), the entries modelled
const nda_policy: NlaPolicy = {
  [NDA_DST]: { type: NLA_BINARY, len: 16 },
  [NDA_LLADDR]: { type: NLA_BINARY, len: 32 },
};

const ETH_ALEN = 6;

/**
 * neigh_add (net/core/neighbour.c, v6.18): RTM_NEWNEIGH. Only the IPv4 ARP
 * table exists here; proxy entries are not modelled.
 */
export const neigh_add = hop(FILE, function neigh_add(skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck): 0 | NegErrno {
  const { err, tb } = nlmsg_parse_deprecated(nlh, NDMSG_LEN, NDA_MAX, nda_policy, extack);
  if (err < 0) return err;
  const ndm = ndmsg_decode(nlh.payload);
  if (!ndm.ok) return -EINVAL;
  if (!tb[NDA_DST]) {
    NL_SET_ERR_MSG(extack, 'Network address not specified');
    return -EINVAL;
  }
  let dev: NetDevice | undefined;
  if (ndm.value.ndm_ifindex) {
    dev = skb.net.dev_by_index.get(ndm.value.ndm_ifindex);
    if (!dev) return -ENODEV;
    if (tb[NDA_LLADDR] && tb[NDA_LLADDR]!.payload.byteLength < ETH_ALEN) {
      NL_SET_ERR_MSG(extack, 'Invalid link address');
      return -EINVAL;
    }
  }
  // neigh_find_table: only arp_tbl (AF_INET) is emulated
  if (ndm.value.ndm_family !== PF_INET) return -EAFNOSUPPORT;
  if (tb[NDA_DST]!.payload.byteLength < 4) {
    NL_SET_ERR_MSG(extack, 'Invalid network address');
    return -EINVAL;
  }
  const dst = nla_get_be32(tb[NDA_DST]!);
  const lladdr = tb[NDA_LLADDR] ? tb[NDA_LLADDR]!.payload : null;
  if (!dev) {
    NL_SET_ERR_MSG(extack, 'Device not specified');
    return -EINVAL;
  }
  let neigh = neigh_lookup(dev, dst);
  if (!neigh) {
    if (!(nlh.hdr.nlmsg_flags & NLM_F_CREATE)) return -ENOENT;
    neigh = __neigh_create(dev, dst);
  } else if (nlh.hdr.nlmsg_flags & NLM_F_EXCL) {
    return -EEXIST;
  }
  // Without NLM_F_REPLACE an existing address is not overridden (flags lose OVERRIDE).
  const keep_ha = !(nlh.hdr.nlmsg_flags & NLM_F_REPLACE) && neigh.ha !== null && (neigh.nud_state & NUD_VALID) !== 0;
  return __neigh_update(neigh, keep_ha ? neigh.ha : lladdr, ndm.value.ndm_state, extack);
}, { input: (_s, nlh) => `flags=0x${nlh.hdr.nlmsg_flags.toString(16)}` });

/** neigh_init(): the RTM_NEWNEIGH handler. */
export function neigh_init(net: Net): void {
  rtnl_register_many(net, [{ protocol: PF_UNSPEC, msgtype: RTM_NEWNEIGH, doit: neigh_add }]);
}

/** Dotted quad of a host-order IPv4 address. */
export function ipv4_str(a: number): string {
  return [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff].join('.');
}
