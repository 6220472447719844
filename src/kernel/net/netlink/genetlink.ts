// net/netlink/genetlink.c: generic netlink. Families register per host and
// get ids from GENL_START_ALLOC on; nlctrl (GENL_ID_CTRL) resolves names.
import type { Net } from '../../include/net/net_namespace';
import { net_generic } from '../../include/net/net_namespace';
import type { NetlinkCallback, NetlinkExtAck, NetlinkSkb } from '../../include/linux/netlink';
import { NL_CFG_F_NONROOT_RECV } from '../../include/linux/netlink';
import { EEXIST, EINVAL, ENOENT, EOPNOTSUPP, EPERM, type NegErrno } from '../../include/uapi/asm-generic/errno';
import { NETLINK_GENERIC, NLM_F_DUMP, NLM_F_ECHO, NLM_F_MULTI } from '../../include/uapi/linux/netlink';
import {
  CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR, CTRL_ATTR_MCAST_GROUPS,
  CTRL_ATTR_MCAST_GRP_ID, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_OPS, CTRL_ATTR_OP_FLAGS, CTRL_ATTR_OP_ID,
  CTRL_ATTR_VERSION, CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, GENL_ADMIN_PERM, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP,
  GENL_HDRLEN, GENL_ID_CTRL, GENL_NAMSIZ, GENL_START_ALLOC, GENL_UNS_ADMIN_PERM,
} from '../../include/uapi/linux/genetlink';
import { NLMSG_ALIGN, NLMSG_HDRLEN, type NlMsg } from '../../../netlink/nlmsg';
import { NlMsgBuilder, nla_get_string, nla_get_u16 } from '../../../netlink/attr';
import { genlmsghdr_decode, genlmsghdr_encode } from '../../../netlink/structs';
import {
  NLA_NUL_STRING, NLA_U16, __nla_validate_parse, NL_VALIDATE_LIBERAL, type NlaPolicy, type NlaTb,
} from '../../lib/nlattr';
import {
  netlink_broadcast, netlink_dump_start, netlink_kernel_create, netlink_rcv_skb, netlink_unicast_reply,
} from './af_netlink';
import { hop } from '../../../trace/hop';

/** struct genl_info */
export interface GenlInfo {
  net: Net;
  snd_seq: number;
  snd_portid: number;
  nlhdr: NlMsg;
  genlhdr: { cmd: number; version: number };
  /** The family's fixed header (family->hdrsize bytes). */
  userhdr: Uint8Array;
  attrs: NlaTb;
  extack: NetlinkExtAck;
  family: GenlFamily;
  cap_net_admin: boolean;
}

/** struct genl_ops (the fields used) */
export interface GenlOps {
  cmd: number;
  flags: number;
  doit?: (skb: NetlinkSkb, info: GenlInfo) => 0 | NegErrno;
  dumpit?: (cb: NetlinkCallback, info: GenlInfo) => 0 | NegErrno;
}

/** struct genl_family */
export interface GenlFamily {
  name: string;
  version: number;
  hdrsize: number;
  maxattr: number;
  policy: NlaPolicy | null;
  ops: GenlOps[];
  mcgrps: string[];
  /** Assigned at registration. */
  id: number;
  /** First multicast group id (mcgrp_offset). */
  mcgrp_offset: number;
}

interface GenlNet {
  by_id: Map<number, GenlFamily>;
  next_id: number;
  next_group: number;
}

function genl_net(net: Net): GenlNet {
  return net_generic(net, 'genetlink', () => ({ by_id: new Map<number, GenlFamily>(), next_id: GENL_START_ALLOC, next_group: 2 }));
}

export function genl_family_find_byname(net: Net, name: string): GenlFamily | undefined {
  for (const f of genl_net(net).by_id.values()) if (f.name === name) return f;
  return undefined;
}

/** genl_register_family(): dynamic id (nlctrl keeps GENL_ID_CTRL) and multicast groups. */
export function genl_register_family(net: Net, family: Omit<GenlFamily, 'id' | 'mcgrp_offset'>): GenlFamily | NegErrno {
  const gn = genl_net(net);
  if (genl_family_find_byname(net, family.name)) return -EEXIST;
  const id = family.name === 'nlctrl' ? GENL_ID_CTRL : gn.next_id++;
  let mcgrp_offset = 0;
  if (family.mcgrps.length) {
    // nlctrl's "notify" group is GENL_ID_CTRL; other families take the next free ids.
    mcgrp_offset = family.name === 'nlctrl' ? GENL_ID_CTRL : gn.next_group;
    if (family.name !== 'nlctrl') gn.next_group += family.mcgrps.length;
  }
  const f: GenlFamily = { ...family, id, mcgrp_offset };
  gn.by_id.set(id, f);
  return f;
}

/** genlmsg_put(): a message of `family`/`cmd` with the family header. */
export function genlmsg_put(portid: number, seq: number, family: GenlFamily, flags: number, cmd: number, userhdr?: Uint8Array): NlMsgBuilder {
  const b = new NlMsgBuilder({ nlmsg_type: family.id, nlmsg_flags: flags, nlmsg_seq: seq, nlmsg_pid: portid });
  b.put(genlmsghdr_encode({ cmd, version: family.version }));
  if (family.hdrsize) b.put(userhdr ?? new Uint8Array(family.hdrsize));
  return b;
}

/** genlmsg_reply(): unicast to the requester. */
export function genlmsg_reply(msg: Uint8Array, info: GenlInfo): 0 | NegErrno {
  const r = netlink_unicast_reply(info.net, NETLINK_GENERIC, msg, info.snd_portid);
  return r < 0 ? r : 0;
}

/** genlmsg_unicast(): to any port id (e.g. an upcall socket). */
export function genlmsg_unicast(net: Net, msg: Uint8Array, portid: number): 0 | NegErrno {
  const r = netlink_unicast_reply(net, NETLINK_GENERIC, msg, portid);
  return r < 0 ? r : 0;
}

/** genl_notify(): multicast to the family's group and, with NLM_F_ECHO, the requester. */
export function genl_notify(family: GenlFamily, msg: Uint8Array, info: GenlInfo, group: number): void {
  const echo = (info.nlhdr.hdr.nlmsg_flags & NLM_F_ECHO) !== 0;
  if (family.mcgrps.length) netlink_broadcast(info.net, NETLINK_GENERIC, msg, echo ? info.snd_portid : 0, family.mcgrp_offset + group);
  if (echo) genlmsg_reply(msg, info);
}

/** genl_has_listeners(): anyone on the family's group? */
export function genl_info_wants_reply(info: GenlInfo): boolean {
  return (info.nlhdr.hdr.nlmsg_flags & NLM_F_ECHO) !== 0;
}

function genl_parse(family: GenlFamily, nlh: NlMsg, extack: NetlinkExtAck): { err: 0 | NegErrno; tb: NlaTb } {
  const hdrlen = NLMSG_ALIGN(GENL_HDRLEN + family.hdrsize);
  const attrs = nlh.payload.subarray(Math.min(hdrlen, nlh.payload.byteLength));
  return __nla_validate_parse(attrs, NLMSG_HDRLEN + hdrlen, family.maxattr, family.policy, NL_VALIDATE_LIBERAL, extack);
}

/**
 * genl_rcv_msg (net/netlink/genetlink.c v6.18): family by nlmsg_type
 * (-ENOENT), header length (-EINVAL), op by cmd (-EOPNOTSUPP), admin
 * permission (-EPERM), then dump or doit with the family's attributes.
 */
export const genl_rcv_msg = hop('net/netlink/genetlink.c', function genl_rcv_msg(skb: NetlinkSkb, nlh: NlMsg, extack: NetlinkExtAck): number {
  const family = genl_net(skb.net).by_id.get(nlh.hdr.nlmsg_type);
  if (!family) return -ENOENT;
  if (nlh.hdr.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN + family.hdrsize) return -EINVAL;
  const hdr = genlmsghdr_decode(nlh.payload);
  if (!hdr.ok) return -EINVAL;
  const op = family.ops.find((o) => o.cmd === hdr.value.cmd);
  if (!op) return -EOPNOTSUPP;
  if ((op.flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM)) && !skb.cap_net_admin) return -EPERM;
  const mkinfo = (attrs: NlaTb, ext: NetlinkExtAck): GenlInfo => ({
    net: skb.net, snd_seq: nlh.hdr.nlmsg_seq, snd_portid: skb.portid, nlhdr: nlh, genlhdr: hdr.value,
    userhdr: nlh.payload.subarray(GENL_HDRLEN, GENL_HDRLEN + family.hdrsize), attrs, extack: ext, family,
    cap_net_admin: skb.cap_net_admin,
  });
  if ((nlh.hdr.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP) {
    const dumpit = op.dumpit;
    if (!dumpit) return -EOPNOTSUPP;
    return netlink_dump_start(skb, nlh, {
      dump: (cb) => {
        const { err, tb } = genl_parse(family, nlh, cb.extack);
        if (err < 0) return err;
        return dumpit(cb, mkinfo(tb, cb.extack));
      },
    }, extack);
  }
  if (!op.doit) return -EOPNOTSUPP;
  const { err, tb } = genl_parse(family, nlh, extack);
  if (err < 0) return err;
  return op.doit(skb, mkinfo(tb, extack));
}, { input: (_s, nlh) => `type=${nlh.hdr.nlmsg_type} flags=0x${nlh.hdr.nlmsg_flags.toString(16)} seq=${nlh.hdr.nlmsg_seq}` });

/** genl_rcv(): the NETLINK_GENERIC kernel socket's input. */
export const genl_rcv = hop('net/netlink/genetlink.c', function genl_rcv(skb: NetlinkSkb): void {
  netlink_rcv_skb(skb, genl_rcv_msg);
}, { input: (skb) => `portid=${skb.portid} len=${skb.data.byteLength}` });

// ----------------------------------------------------------- nlctrl

const CTRL_ATTR_MAX = 10;
// genetlink.c ctrl_policy_family (v6.18)
const ctrl_policy_family: NlaPolicy = {
  [CTRL_ATTR_FAMILY_ID]: { type: NLA_U16 },
  [CTRL_ATTR_FAMILY_NAME]: { type: NLA_NUL_STRING, len: GENL_NAMSIZ - 1 },
};

/** ctrl_fill_info(): name, id, version, header size, max attribute, ops and groups. */
function ctrl_fill_info(ctrl: GenlFamily, family: GenlFamily, portid: number, seq: number, flags: number, cmd: number): Uint8Array {
  const b = genlmsg_put(portid, seq, ctrl, flags, cmd);
  b.string(CTRL_ATTR_FAMILY_NAME, family.name);
  b.u16(CTRL_ATTR_FAMILY_ID, family.id);
  b.u32(CTRL_ATTR_VERSION, family.version);
  b.u32(CTRL_ATTR_HDRSIZE, family.hdrsize);
  b.u32(CTRL_ATTR_MAXATTR, family.maxattr);
  if (family.ops.length) {
    const nest = b.nestStart(CTRL_ATTR_OPS);
    family.ops.forEach((op, i) => {
      const n = b.nestStart(i + 1);
      b.u32(CTRL_ATTR_OP_ID, op.cmd);
      b.u32(CTRL_ATTR_OP_FLAGS, op.flags | (op.doit ? GENL_CMD_CAP_DO : 0) | (op.dumpit ? GENL_CMD_CAP_DUMP : 0));
      b.nestEnd(n);
    });
    b.nestEnd(nest);
  }
  if (family.mcgrps.length) {
    const nest = b.nestStart(CTRL_ATTR_MCAST_GROUPS);
    family.mcgrps.forEach((name, i) => {
      const n = b.nestStart(i + 1);
      b.u32(CTRL_ATTR_MCAST_GRP_ID, family.mcgrp_offset + i);
      b.string(CTRL_ATTR_MCAST_GRP_NAME, name);
      b.nestEnd(n);
    });
    b.nestEnd(nest);
  }
  return b.finish();
}

/** ctrl_getfamily (v6.18): by CTRL_ATTR_FAMILY_ID or CTRL_ATTR_FAMILY_NAME. */
export const ctrl_getfamily = hop('net/netlink/genetlink.c', function ctrl_getfamily(_skb: NetlinkSkb, info: GenlInfo): 0 | NegErrno {
  let res: GenlFamily | undefined;
  let err: NegErrno = -EINVAL;
  if (info.attrs[CTRL_ATTR_FAMILY_ID]) {
    res = genl_net(info.net).by_id.get(nla_get_u16(info.attrs[CTRL_ATTR_FAMILY_ID]!));
    err = -ENOENT;
  }
  if (info.attrs[CTRL_ATTR_FAMILY_NAME]) {
    res = genl_family_find_byname(info.net, nla_get_string(info.attrs[CTRL_ATTR_FAMILY_NAME]!));
    err = -ENOENT;
  }
  if (!res) return err;
  return genlmsg_reply(ctrl_fill_info(info.family, res, info.snd_portid, info.snd_seq, 0, CTRL_CMD_NEWFAMILY), info);
}, { input: (_s, info) => (info.attrs[CTRL_ATTR_FAMILY_NAME] ? nla_get_string(info.attrs[CTRL_ATTR_FAMILY_NAME]!) : 'by id') });

/** ctrl_dumpfamily(): every family. */
function ctrl_dumpfamily(cb: NetlinkCallback, info: GenlInfo): 0 {
  for (const f of genl_net(info.net).by_id.values()) {
    cb.msgs.push(ctrl_fill_info(info.family, f, cb.skb.portid, cb.nlh.hdr.nlmsg_seq, NLM_F_MULTI, CTRL_CMD_NEWFAMILY));
  }
  return 0;
}

/** genl_init(): the NETLINK_GENERIC kernel socket and the nlctrl family. */
export function genl_init(net: Net): void {
  netlink_kernel_create(net, NETLINK_GENERIC, { groups: 64, input: genl_rcv, flags: NL_CFG_F_NONROOT_RECV });
  genl_register_family(net, {
    name: 'nlctrl', version: 0x2, hdrsize: 0, maxattr: CTRL_ATTR_MAX, policy: ctrl_policy_family,
    ops: [{ cmd: CTRL_CMD_GETFAMILY, flags: 0, doit: ctrl_getfamily, dumpit: ctrl_dumpfamily }],
    mcgrps: ['notify'],
  });
}
