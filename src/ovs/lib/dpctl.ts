// lib/dpctl.c (v3.6.3): `ovs-appctl dpctl/add-flow` (inside ovs-vswitchd,
// is_appctl) and `ovs-dpctl add-flow` (its own process and dpif). Only the
// appctl form generates a UFID, so only it can be offloaded.
import { EINVAL, ENODEV, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { NETLINK_GENERIC, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import { OVS_VPORT_ATTR_NAME, OVS_VPORT_ATTR_PORT_NO, OVS_VPORT_CMD_GET, OVS_VPORT_VERSION } from '../../kernel/include/uapi/linux/openvswitch';
import { NlMsgBuilder, nla_get_string, nla_get_u32 } from '../../netlink/attr';
import { nl_attrs } from '../../netlink/msgbuf';
import { GENL_HDRLEN, OVS_HEADER_LEN, genlmsghdr_encode, ovs_header_encode } from '../../netlink/structs';
import { hop } from '../../trace/hop';
import { errno_text, type OvsProcess } from './ovs-process';
import { DPIF_FP_CREATE, dpif_flow_put, type DpifFlowPut } from './dpif';
import type { DpifNetlink } from './dpif-netlink';
import { nl_dump } from './netlink-socket';
import { odp_actions_from_string, odp_flow_from_string, odp_flow_key_hash, odp_ufid_from_string } from './odp-util';

/** struct dpctl_params, the parts used here. */
export interface DpctlParams {
  is_appctl: boolean;
  output: string[];
  errors: string[];
}

export interface DpctlResult {
  /** 0 or a positive errno. */
  error: number;
  output: string;
  errors: string;
}

/** dpctl_error: `<program>: <msg> (<strerror>)`. */
function dpctl_error(p: OvsProcess, d: DpctlParams, err_no: number, msg: string): void {
  d.errors.push(`${p.program_name}: ${msg}${err_no ? ` (${strerror(err_no)})` : ''}\n`);
}

/** DPIF_PORT_FOR_EACH: an OVS_VPORT_CMD_GET dump of the datapath's ports. */
function dpif_port_names(p: OvsProcess, dpif: DpifNetlink): Map<string, number> {
  const req = new NlMsgBuilder({ nlmsg_type: dpif.families.ovs_vport, nlmsg_flags: NLM_F_REQUEST, nlmsg_seq: 0, nlmsg_pid: 0 })
    .put(genlmsghdr_encode({ cmd: OVS_VPORT_CMD_GET, version: OVS_VPORT_VERSION }))
    .put(ovs_header_encode(dpif.dp_ifindex))
    .finish();
  const names = new Map<string, number>();
  const { msgs } = nl_dump(p, NETLINK_GENERIC, req);
  for (const m of msgs) {
    const attrs = nl_attrs(m.payload.subarray(GENL_HDRLEN + OVS_HEADER_LEN)) ?? [];
    const name = attrs.find((a) => a.type === OVS_VPORT_ATTR_NAME);
    const port = attrs.find((a) => a.type === OVS_VPORT_ATTR_PORT_NO);
    if (name && port) names.set(nla_get_string(name), nla_get_u32(port));
  }
  return names;
}

/**
 * dpctl_put_flow_dpif: optional ufid, key/mask, actions (port names are
 * not accepted there), a generated UFID for appctl only, then dpif_flow_put.
 */
export const dpctl_put_flow_dpif = hop('lib/dpctl.c', function dpctl_put_flow_dpif(
  p: OvsProcess, dpif: DpifNetlink, key_s: string, actions_s: string, flags: number, d: DpctlParams,
): number {
  const u = odp_ufid_from_string(key_s);
  if (u.n < 0) {
    dpctl_error(p, d, -u.n, 'parsing flow ufid');
    return -u.n;
  }
  const rest = key_s.slice(u.n);
  const port_names = dpif_port_names(p, dpif);
  const k = odp_flow_from_string(rest, port_names);
  if ('error' in k) {
    dpctl_error(p, d, EINVAL, `parsing flow key (${k.error})`);
    return EINVAL;
  }
  const a = odp_actions_from_string(actions_s);
  if ('error' in a) {
    dpctl_error(p, d, a.error, 'parsing actions');
    return a.error;
  }
  let ufid = u.ufid;
  // Only appctl hashes a UFID (ovs-dpctl's hash basis would differ per run).
  if (!ufid && d.is_appctl) ufid = odp_flow_key_hash(k.key);
  const put: DpifFlowPut = { flags, key: k.key, actions: a.actions };
  if (k.mask.byteLength) put.mask = k.mask;
  if (ufid) put.ufid = ufid;
  const error = dpif_flow_put(p, dpif, put);
  if (error) dpctl_error(p, d, error, 'updating flow table');
  return error;
}, { input: (_p, _d, key_s, actions_s) => `${key_s} ${actions_s}`, errno: (e) => -e, result: errno_text });

/** dpctl_put_flow: [dp] FLOW ACTIONS on the (only) datapath. */
const dpctl_put_flow = hop('lib/dpctl.c', function dpctl_put_flow(
  p: OvsProcess, argv: string[], flags: number, d: DpctlParams, dpif: DpifNetlink,
): number {
  if (argv.length === 4 && argv[1] !== dpif.full_name && argv[1] !== dpif.base_name) {
    dpctl_error(p, d, ENODEV, 'opening datapath');
    return ENODEV;
  }
  return dpctl_put_flow_dpif(p, dpif, argv[argv.length - 2]!, argv[argv.length - 1]!, flags, d);
}, { errno: (e) => -e, result: errno_text });

/** dpctl_add_flow */
export const dpctl_add_flow = hop('lib/dpctl.c', function dpctl_add_flow(
  p: OvsProcess, argv: string[], d: DpctlParams, dpif: DpifNetlink,
): number {
  return dpctl_put_flow(p, argv, DPIF_FP_CREATE, d, dpif);
}, { errno: (e) => -e, result: errno_text });

/**
 * dpctl_run_command: the commands modelled (add-flow). `argv[0]` is the
 * command name without the `dpctl/` prefix.
 */
export function dpctl_run_command(p: OvsProcess, argv: string[], is_appctl: boolean, dpif: DpifNetlink): DpctlResult {
  const d: DpctlParams = { is_appctl, output: [], errors: [] };
  let error = 0;
  if (argv[0] === 'add-flow') {
    if (argv.length < 3 || argv.length > 4) {
      d.errors.push(`'${argv[0]}' command requires at least 2 arguments\n`);
      error = EINVAL;
    } else {
      error = dpctl_add_flow(p, argv, d, dpif);
    }
  } else {
    d.errors.push(`unknown command '${argv[0] ?? ''}'; use --help for help\n`);
    error = EINVAL;
  }
  return { error, output: d.output.join(''), errors: d.errors.join('') };
}
