// Test fixture: an ovs-vswitchd on the scripted kernel with the default
// topology's bridge (ports 1, 2, 3), and helpers to read what it sent.
import { defaultTopology } from '../../host/topology';
import { nla_walk } from '../../netlink/attr';
import { nl_attrs } from '../../netlink/msgbuf';
import { GENL_HDRLEN, OVS_HEADER_LEN, TCMSG_LEN } from '../../netlink/structs';
import { RTM_NEWTFILTER } from '../../kernel/include/uapi/linux/rtnetlink';
import { OVS_DP_ATTR_PER_CPU_PIDS, OVS_DP_CMD_SET, OVS_FLOW_ATTR_UFID, OVS_FLOW_CMD_NEW, OVS_PACKET_CMD_EXECUTE } from '../../kernel/include/uapi/linux/openvswitch';
import { nla_get_u32 } from '../../netlink/attr';
import { ovs_vswitchd_start, type Vswitchd } from '../vswitchd/ovs-vswitchd';
import { ScriptedKernel } from './scripted-kernel';

export const TCP_FLOW = 'recirc_id(0),in_port(2),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,frag=no),tcp(dst=80)';

export interface Fixture {
  k: ScriptedKernel;
  v: Vswitchd;
  /** What the last command sent, from the mark on. */
  since(): Observed;
  mark(): void;
}

export interface Observed {
  tc_filters: number;
  /** TCA_OPTIONS attribute types of each RTM_NEWTFILTER, in order. */
  tc_options: number[][];
  tc_info: number[];
  dp_flow_new: number;
  dp_flow_new_has_ufid: boolean[];
  dp_execute: number;
  /** vlog lines as LEVEL|module|msg. */
  log: string[];
}

export function start(other_config: Record<string, string>, dbg = true, prepare?: (k: ScriptedKernel) => void): Fixture {
  const k = new ScriptedKernel();
  prepare?.(k);
  const v = ovs_vswitchd_start(k, { other_config, bridges: defaultTopology().ovs.bridges });
  if (dbg) v.vlog_set('ANY:file:dbg');
  let sent = k.sent.length;
  let lines = v.vlog_lines().length;
  return {
    k, v,
    mark() { sent = k.sent.length; lines = v.vlog_lines().length; },
    since(): Observed {
      const s = k.sent.slice(sent);
      const filters = s.filter((x) => x.protocol === 0 && x.msg.hdr.nlmsg_type === RTM_NEWTFILTER);
      const flows = s.filter((x) => x.msg.hdr.nlmsg_type === 0x1c && x.msg.payload[0] === OVS_FLOW_CMD_NEW);
      return {
        tc_filters: filters.length,
        tc_options: filters.map((f) => {
          const top = nla_walk(f.msg.payload.subarray(TCMSG_LEN));
          const opts = top.ok ? top.attrs.find((a) => a.type === 2) : undefined;
          const w = opts ? nla_walk(opts.payload) : undefined;
          return w?.ok ? w.attrs.map((a) => a.type) : [];
        }),
        tc_info: filters.map((f) => new DataView(f.msg.payload.buffer, f.msg.payload.byteOffset + 16, 4).getUint32(0, true)),
        dp_flow_new: flows.length,
        dp_flow_new_has_ufid: flows.map((f) => (nl_attrs(f.msg.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN)) ?? []).some((a) => a.type === OVS_FLOW_ATTR_UFID)),
        dp_execute: s.filter((x) => x.msg.hdr.nlmsg_type === 0x1d && x.msg.payload[0] === OVS_PACKET_CMD_EXECUTE).length,
        log: v.vlog_lines().slice(lines).map((l) => l.split('|').slice(2).join('|').replace(/^([a-z_]+)\|([A-Z]+)\|/, '$2|$1|')),
      };
    },
  };
}

/** The handler socket pid ovs-vswitchd gave the datapath (OVS_DP_ATTR_PER_CPU_PIDS). */
export function handler_pid(k: ScriptedKernel): number {
  const set = k.sent.filter((s) => s.msg.hdr.nlmsg_type === 0x1a && s.msg.payload[0] === OVS_DP_CMD_SET)
    .map((s) => (nl_attrs(s.msg.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN)) ?? []).find((a) => a.type === OVS_DP_ATTR_PER_CPU_PIDS))
    .filter((a) => a !== undefined);
  return nla_get_u32(set[set.length - 1]!);
}
