import { describe, expect, it } from 'vitest';
import { nl_attrs } from '../../netlink/msgbuf';
import { nla_get_string, nla_get_u32 } from '../../netlink/attr';
import { GENL_HDRLEN, OVS_HEADER_LEN } from '../../netlink/structs';
import {
  OVS_DP_ATTR_PER_CPU_PIDS, OVS_DP_ATTR_USER_FEATURES, OVS_VPORT_ATTR_NAME, OVS_VPORT_ATTR_PORT_NO,
} from '../../kernel/include/uapi/linux/openvswitch';
import { RTM_DELQDISC, RTM_DELTFILTER, RTM_GETCHAIN, RTM_GETLINK, RTM_NEWQDISC, RTM_NEWTFILTER } from '../../kernel/include/uapi/linux/rtnetlink';
import { FAMILY_IDS } from '../testing/scripted-kernel';
import { start } from '../testing/ovs-fixture';

function describeSent(s: { protocol: number; msg: { hdr: { nlmsg_type: number; nlmsg_flags: number }; payload: Uint8Array } }): string {
  const t = s.msg.hdr.nlmsg_type;
  if (s.protocol === 0) {
    return { [RTM_GETLINK]: 'RTM_GETLINK', [RTM_GETCHAIN]: 'RTM_GETCHAIN', [RTM_DELQDISC]: 'RTM_DELQDISC', [RTM_NEWQDISC]: 'RTM_NEWQDISC',
      [RTM_NEWTFILTER]: 'RTM_NEWTFILTER', [RTM_DELTFILTER]: 'RTM_DELTFILTER' }[t] ?? `rtm ${t}`;
  }
  if (t === 0x10) return 'CTRL_CMD_GETFAMILY';
  const fam = Object.entries(FAMILY_IDS).find(([, id]) => id === t)?.[0] ?? String(t);
  const attrs = nl_attrs(s.msg.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN)) ?? [];
  const cmd = s.msg.payload[0];
  if (fam === 'ovs_datapath') {
    const f = attrs.find((a) => a.type === OVS_DP_ATTR_USER_FEATURES);
    const pids = attrs.some((a) => a.type === OVS_DP_ATTR_PER_CPU_PIDS);
    return `ovs_datapath ${cmd === 1 ? 'NEW' : 'SET'} features=0x${(f ? nla_get_u32(f) : 0).toString(16)}${pids ? ' +PER_CPU_PIDS' : ''}`;
  }
  if (fam === 'ovs_vport') {
    const n = attrs.find((a) => a.type === OVS_VPORT_ATTR_NAME);
    const p = attrs.find((a) => a.type === OVS_VPORT_ATTR_PORT_NO);
    return `ovs_vport NEW ${n ? nla_get_string(n) : '?'} port ${p ? nla_get_u32(p) : '?'}`;
  }
  return `${fam} cmd ${cmd}`;
}

describe('ovs_vswitchd_start', () => {
  it('opens the datapath as dpif_netlink_open does, then adds the ports with their numbers', () => {
    const { k } = start({});
    expect(k.sent.map(describeSent)).toEqual([
      'CTRL_CMD_GETFAMILY', 'CTRL_CMD_GETFAMILY', 'CTRL_CMD_GETFAMILY', 'CTRL_CMD_GETFAMILY',
      'ovs_datapath NEW features=0x80000003', // UNALIGNED|VPORT_PIDS|an unknown bit: must be refused
      'ovs_datapath NEW features=0x9', //         UNALIGNED|DISPATCH_UPCALL_PER_CPU
      'ovs_datapath SET features=0xd', //         + TC_RECIRC_SHARING
      'ovs_datapath SET features=0xd +PER_CPU_PIDS',
      'ovs_vport NEW enp8s0f0 port 1', 'RTM_GETLINK',
      'ovs_vport NEW enp8s0f0_0 port 2', 'RTM_GETLINK',
      'ovs_vport NEW enp8s0f0_1 port 3', 'RTM_GETLINK',
    ]);
  });

  it('with hw-offload=true each port also gets its ingress qdisc re-created', () => {
    const { k, v } = start({ 'hw-offload': 'true' }, false);
    const tc = k.sent.filter((s) => s.protocol === 0).map(describeSent);
    const port = ['RTM_GETLINK', 'RTM_GETCHAIN', 'RTM_DELQDISC', 'RTM_NEWQDISC'];
    // The first port also carries probe_enc_flags_support: its own qdisc, the
    // probe filter (refused here: the scripted echo is not a kernel dump, so
    // the probe's echo compare fails), then that qdisc removed.
    const probe = ['RTM_NEWQDISC', 'RTM_NEWTFILTER', 'RTM_DELQDISC'];
    expect(tc).toEqual([...port.slice(0, 3), ...probe, ...port.slice(3), ...port, ...port]);
    expect(v.vlog_lines().slice(0, 4)).toEqual([
      '2026-01-01T00:00:00.000Z|00001|netdev_offload|INFO|netdev: Flow API Enabled',
      "2026-01-01T00:00:00.000Z|00002|tc|INFO|tc: Using policy 'none'",
      '2026-01-01T00:00:00.000Z|00003|dpif_netlink|INFO|Datapath dispatch mode: per-cpu',
      '2026-01-01T00:00:00.000Z|00004|netdev_offload_tc|INFO|probe tc: block offload is supported.',
    ]);
    expect(v.vlog_lines().filter((l) => l.includes('added ingress qdisc'))).toHaveLength(3);
    expect(v.port_no('enp8s0f0_1')).toBe(3);
  });

  it('a kernel that refuses the enc flags probe: no "enc flags are supported" line', () => {
    const { k, v } = start({ 'hw-offload': 'true' }, false, (kk) => { kk.probe_answer = { ok: false, errno: 22 }; });
    const sent = k.sent.filter((s) => s.protocol === 0).map(describeSent);
    expect(sent.filter((t) => t === 'RTM_NEWTFILTER'), 'probe filters sent at start').toHaveLength(1);
    expect(sent, 'a refused probe leaves no filter to delete').not.toContain('RTM_DELTFILTER');
    expect(v.vlog_lines().some((l) => l.includes('probe tc: enc flags are supported.'))).toBe(false);
  });

  it('DBG lines appear only once enabled', () => {
    const { v } = start({ 'hw-offload': 'true' }, false);
    expect(v.vlog_lines().some((l) => l.includes('|DBG|'))).toBe(false);
    expect(v.vlog_set('netdev_offload:file:dbg')).toBeUndefined();
    expect(v.vlog_set('nosuch:dbg')).toBe('no destination, level, or module "nosuch"');
  });
});
