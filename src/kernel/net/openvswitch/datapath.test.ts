import { describe, it, expect } from 'vitest';
import { start_kernel } from '../../init/main';
import { ack_of, plain_dev, transact } from '../../testing/harness';
import { NETLINK_GENERIC, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_ECHO, NLM_F_REQUEST, NLMSG_DONE } from '../../include/uapi/linux/netlink';
import { CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY, GENL_ID_CTRL, GENL_START_ALLOC } from '../../include/uapi/linux/genetlink';
import * as O from '../../include/uapi/linux/openvswitch';
import { EEXIST, EINVAL, ENOENT, EOPNOTSUPP, EPERM } from '../../include/uapi/asm-generic/errno';
import { NlMsgBuilder, nla_get_u16, nla_walk } from '../../../netlink/attr';
import { genlmsghdr_encode, ovs_header_encode } from '../../../netlink/structs';
import type { NetlinkSocket } from '../../syscall';
import type { Kernel } from '../../init/main';
import { ovs_dp_upcall, ovs_kconfig } from './datapath';
import { ovs_dp_flows } from '../../query';

function genl_socket(k: Kernel, cap_net_admin = true): NetlinkSocket {
  const s = k.syscalls.netlink_socket(NETLINK_GENERIC, { cap_net_admin });
  if (typeof s === 'number') throw new Error(`socket ${s}`);
  return s;
}

function genl_req(type: number, cmd: number, flags: number, dp_ifindex: number | null, attrs: (b: NlMsgBuilder) => void): Uint8Array {
  const b = new NlMsgBuilder({ nlmsg_type: type, nlmsg_flags: flags, nlmsg_seq: 1, nlmsg_pid: 0 });
  b.put(genlmsghdr_encode({ cmd, version: 1 }));
  if (dp_ifindex !== null) b.put(ovs_header_encode(dp_ifindex));
  attrs(b);
  return b.finish();
}

function family_id(k: Kernel, s: NetlinkSocket, name: string): number {
  const msgs = transact(s, genl_req(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_REQUEST, null, (b) => b.string(CTRL_ATTR_FAMILY_NAME, name)));
  const id = nla_walk(msgs[0]!.payload.subarray(4)).attrs.find((a) => a.type === CTRL_ATTR_FAMILY_ID)!;
  return nla_get_u16(id);
}

describe('generic netlink and the OVS kernel datapath', () => {
  it('nlctrl resolves family names to dynamic ids; unknown is -ENOENT', () => {
    const k = start_kernel();
    const s = genl_socket(k);
    const ids = [O.OVS_DATAPATH_FAMILY, O.OVS_VPORT_FAMILY, O.OVS_FLOW_FAMILY, O.OVS_PACKET_FAMILY].map((n) => family_id(k, s, n));
    expect(ids).toEqual([GENL_START_ALLOC, GENL_START_ALLOC + 1, GENL_START_ALLOC + 2, GENL_START_ALLOC + 3]);
    const a = ack_of(transact(s, genl_req(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_REQUEST, null, (b) => b.string(CTRL_ATTR_FAMILY_NAME, 'nope'))));
    expect(a?.error).toBe(-ENOENT);
  });

  it('datapath, vports, flows, upcall', () => {
    const k = start_kernel();
    const eth = plain_dev(k, 'enp8s0f0');
    const s = genl_socket(k);
    const [dpf, vpf, flf, pkf] = [O.OVS_DATAPATH_FAMILY, O.OVS_VPORT_FAMILY, O.OVS_FLOW_FAMILY, O.OVS_PACKET_FAMILY].map((n) => family_id(k, s, n)) as [number, number, number, number];

    const unpriv = genl_socket(k, false);
    expect(ack_of(transact(unpriv, genl_req(dpf, O.OVS_DP_CMD_NEW, NLM_F_REQUEST | NLM_F_ACK, 0, (b) => b.string(O.OVS_DP_ATTR_NAME, 'ovs-system'))))?.error).toBe(-EPERM);

    const missing = ack_of(transact(s, genl_req(dpf, O.OVS_DP_CMD_NEW, NLM_F_REQUEST | NLM_F_ECHO, 0, (b) => b.string(O.OVS_DP_ATTR_NAME, 'ovs-system'))));
    expect(missing?.error).toBe(-EINVAL);
    const created = transact(s, genl_req(dpf, O.OVS_DP_CMD_NEW, NLM_F_REQUEST | NLM_F_ECHO, 0, (b) => {
      b.string(O.OVS_DP_ATTR_NAME, 'ovs-system');
      b.u32(O.OVS_DP_ATTR_UPCALL_PID, s.portid);
      b.u32(O.OVS_DP_ATTR_USER_FEATURES, O.OVS_DP_F_UNALIGNED | O.OVS_DP_F_TC_RECIRC_SHARING);
    }));
    expect(created.map((m) => m.hdr.nlmsg_type)).toEqual([dpf]);
    const dp_ifindex = new DataView(created[0]!.payload.buffer, created[0]!.payload.byteOffset + 4).getInt32(0, true);
    expect(k.net.dev_by_index.get(dp_ifindex)?.name).toBe('ovs-system');
    const feat = nla_walk(created[0]!.payload.subarray(8)).attrs.find((a) => a.type === O.OVS_DP_ATTR_USER_FEATURES)!;
    expect(new DataView(feat.payload.buffer, feat.payload.byteOffset).getUint32(0, true)).toBe(O.OVS_DP_F_UNALIGNED | O.OVS_DP_F_TC_RECIRC_SHARING);

    const vport = ack_of(transact(s, genl_req(vpf, O.OVS_VPORT_CMD_NEW, NLM_F_REQUEST | NLM_F_ACK, dp_ifindex, (b) => {
      b.string(O.OVS_VPORT_ATTR_NAME, 'enp8s0f0');
      b.u32(O.OVS_VPORT_ATTR_TYPE, O.OVS_VPORT_TYPE_NETDEV);
      b.u32(O.OVS_VPORT_ATTR_PORT_NO, 1);
      b.u32(O.OVS_VPORT_ATTR_UPCALL_PID, s.portid);
    })));
    expect(vport?.error).toBe(0);
    expect(eth.ifindex).toBeGreaterThan(1);

    const key = new NlMsgBuilder({ nlmsg_type: 0, nlmsg_flags: 0, nlmsg_seq: 0, nlmsg_pid: 0 });
    key.u32(O.OVS_KEY_ATTR_IN_PORT, 1);
    key.be16(O.OVS_KEY_ATTR_ETHERTYPE, 0x0800);
    const keyBytes = key.finish().subarray(16);
    const ufid = new Uint8Array(16).fill(0xab);
    const put = (flags: number): ReturnType<typeof ack_of> => ack_of(transact(s, genl_req(flf, O.OVS_FLOW_CMD_NEW, flags, dp_ifindex, (b) => {
      b.attr(O.OVS_FLOW_ATTR_KEY, keyBytes);
      b.attr(O.OVS_FLOW_ATTR_MASK, keyBytes);
      b.attr(O.OVS_FLOW_ATTR_UFID, ufid);
      b.attr(O.OVS_FLOW_ATTR_ACTIONS, new Uint8Array(0));
    })));
    expect(put(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE)?.error).toBe(0);
    expect(put(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE)?.error).toBe(-EEXIST);
    const nokey = ack_of(transact(s, genl_req(flf, O.OVS_FLOW_CMD_NEW, NLM_F_REQUEST | NLM_F_ACK, dp_ifindex, (b) => b.attr(O.OVS_FLOW_ATTR_ACTIONS, new Uint8Array(0)))));
    expect(nokey?.error).toBe(-EINVAL);
    expect(ovs_dp_flows(k.net)).toEqual([{ dp: 'ovs-system', ufid: 'ab'.repeat(16), key: keyBytes, mask: keyBytes, actions: new Uint8Array(0) }]);

    const dump = transact(s, genl_req(flf, O.OVS_FLOW_CMD_GET, NLM_F_REQUEST | NLM_F_DUMP, dp_ifindex, () => undefined));
    expect(dump.map((m) => m.hdr.nlmsg_type)).toEqual([flf, NLMSG_DONE]);

    expect(ovs_dp_upcall(k.net, 'ovs-system', 1, keyBytes)).toBe(0);
    const up = s.recvmsg()!;
    expect(new DataView(up.buffer, up.byteOffset).getUint16(4, true)).toBe(pkf);
    expect(up[16]).toBe(O.OVS_PACKET_CMD_MISS);
    const attrs = nla_walk(up.subarray(24)).attrs.map((a) => a.type);
    expect(attrs).toEqual([O.OVS_PACKET_ATTR_KEY, O.OVS_PACKET_ATTR_PACKET]);
  });
});

describe('OVS_DP_F_TC_RECIRC_SHARING and CONFIG_NET_TC_SKB_EXT', () => {
  const cases = [
    { name: 'with tc skb extensions: granted', skb_ext: true, features: O.OVS_DP_F_UNALIGNED | O.OVS_DP_F_TC_RECIRC_SHARING, want: 0 },
    { name: 'without: refused', skb_ext: false, features: O.OVS_DP_F_UNALIGNED | O.OVS_DP_F_TC_RECIRC_SHARING, want: -EOPNOTSUPP },
    { name: 'without, not asked: granted', skb_ext: false, features: O.OVS_DP_F_UNALIGNED, want: 0 },
  ];
  it.each(cases)('$name', ({ skb_ext, features, want }) => {
    const k = start_kernel();
    ovs_kconfig(k.net).NET_TC_SKB_EXT = skb_ext;
    const s = genl_socket(k);
    const dpf = family_id(k, s, O.OVS_DATAPATH_FAMILY);
    const a = ack_of(transact(s, genl_req(dpf, O.OVS_DP_CMD_NEW, NLM_F_REQUEST | NLM_F_ACK, 0, (b) => {
      b.string(O.OVS_DP_ATTR_NAME, 'ovs-system');
      b.u32(O.OVS_DP_ATTR_UPCALL_PID, s.portid);
      b.u32(O.OVS_DP_ATTR_USER_FEATURES, features);
    })));
    expect(a?.error, `OVS_DP_CMD_NEW(features=0x${features.toString(16)}) with NET_TC_SKB_EXT=${skb_ext}`).toBe(want);
  });
});
