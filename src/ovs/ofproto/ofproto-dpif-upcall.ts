// ofproto/ofproto-dpif-upcall.c (v3.6.3): the handler side of upcall
// processing — receive misses, translate them, install the megaflow and
// execute the packet in one dpif_operate(AUTO) batch. There is no OpenFlow
// pipeline: translation looks the packet up in a table of (key/mask ->
// ODP actions) entries that the owner of the udpif fills.
import { OVS_ACTION_ATTR_DROP, OVS_KEY_ATTR_ENCAP, OVS_KEY_ATTR_RECIRC_ID, OVS_KEY_ATTR_TUNNEL } from '../../kernel/include/uapi/linux/openvswitch';
import { NLA_F_NESTED, type NlAttr } from '../../netlink/attr';
import { NlAttrBuf, nl_attrs } from '../../netlink/msgbuf';
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { errno_text, type OvsProcess } from '../lib/ovs-process';
import { DPIF_FP_CREATE, dpif_get_dp_stats, dpif_get_n_offloaded_flows, dpif_operate, type DpifOp } from '../lib/dpif';
import { dpif_netlink_recv, type DpifNetlink, type DpifUpcall } from '../lib/dpif-netlink';
import { netdev_is_flow_api_enabled } from '../lib/netdev-offload';
import { xlate_actions, type XlateEntry } from './ofproto-dpif-xlate';
import { odp_flow_format, odp_flow_key_to_flow, odp_format_ufid, odp_tun_key_from_attr, tun_key_to_attr, type Ufid } from '../lib/odp-util';
import { tnl_wc_init } from './tunnel';

const UPCALL_MAX_BATCH = 64;

export type { XlateEntry } from './ofproto-dpif-xlate';

export type UkeyState = 'UKEY_CREATED' | 'UKEY_VISIBLE' | 'UKEY_OPERATIONAL' | 'UKEY_EVICTING' | 'UKEY_EVICTED' | 'UKEY_DELETED';

/** struct udpif_key */
export interface UdpifKey {
  ufid: Ufid;
  ufid_present: boolean;
  key: Uint8Array;
  mask: Uint8Array;
  actions: Uint8Array;
  state: UkeyState;
}

/** struct udpif */
export interface Udpif {
  dpif: DpifNetlink;
  n_handlers: number;
  n_revalidators: number;
  flow_limit: number;
  avg_n_flows: number;
  max_n_flows: number;
  /** ms of the last revalidator dump. */
  dump_duration: number;
  xlate_table: XlateEntry[];
  ukeys: Map<string, UdpifKey>;
}

/** struct upcall */
interface Upcall {
  type: 'MISS_UPCALL' | 'SLOW_PATH_UPCALL';
  dpif_upcall: DpifUpcall;
  odp_actions: Uint8Array;
  mask: Uint8Array;
  ukey?: UdpifKey;
}

// ofproto/ofproto.h OFPROTO_FLOW_LIMIT_DEFAULT
const OFPROTO_FLOW_LIMIT_DEFAULT = 200000;

export function udpif_create(dpif: DpifNetlink): Udpif {
  // udpif_create: flow_limit starts at MIN(ofproto_flow_limit, 10000).
  // udpif_set_threads with per-cpu dispatch: one handler per CPU (one
  // emulated CPU), revalidators = handlers / 4 + 1.
  return {
    dpif, n_handlers: 1, n_revalidators: 1, flow_limit: Math.min(OFPROTO_FLOW_LIMIT_DEFAULT, 10000),
    avg_n_flows: 0, max_n_flows: 0, dump_duration: 0, xlate_table: [], ukeys: new Map(),
  };
}

/** udpif_get_n_flows: the datapath's own flow count (kernel flows, not tc's). */
function udpif_get_n_flows(p: OvsProcess, udpif: Udpif): number {
  return dpif_get_dp_stats(p, udpif.dpif).n_flows;
}

/**
 * upcall_unixctl_show: per udpif its dpif name, the flow counts (avg/max
 * come from revalidator dumps, which this emulation does not run, so they
 * stay 0, as does the dump duration), tc-held flows when the dpif can tell,
 * ufid support, then one line per revalidator with its share of the ukeys.
 * Revalidator ids are ovsthread ids: the handlers' come first here.
 */
export const upcall_unixctl_show = hop('ofproto/ofproto-dpif-upcall.c', function upcall_unixctl_show(p: OvsProcess, udpifs: readonly Udpif[]): string {
  let ds = '';
  for (const udpif of udpifs) {
    ds += `${udpif.dpif.full_name}:\n`;
    ds += `  flows         : (current ${udpif_get_n_flows(p, udpif)}) (avg ${udpif.avg_n_flows}) (max ${udpif.max_n_flows}) (limit ${udpif.flow_limit})\n`;
    const off = dpif_get_n_offloaded_flows(p, udpif.dpif);
    if (!off.error) ds += `  offloaded flows : ${off.n}\n`;
    ds += `  dump duration : ${udpif.dump_duration}ms\n`;
    ds += '  ufid enabled : true\n'; // the kernel datapath supports UFIDs
    ds += '\n';
    for (let i = 0; i < udpif.n_revalidators; i++) {
      ds += `  ${1 + udpif.n_handlers + i}: (keys ${i === 0 ? udpif.ukeys.size : 0})\n`;
    }
  }
  return ds;
}, { result: () => undefined });

function attr_map(bytes: Uint8Array): Map<number, NlAttr> {
  return new Map((nl_attrs(bytes) ?? []).map((a) => [a.type, a] as const));
}

/**
 * The megaflow mask for `key`: the entry's mask bits for the attributes it
 * names, zero for the rest (odp_flow_key_from_mask), recirc_id always exact,
 * the tunnel as tnl_wc_init leaves it (there are no OpenFlow tun_flags
 * matches here to unwildcard more).
 */
function megaflow_mask(key: Uint8Array, mask: Uint8Array | undefined): Uint8Array {
  const m = mask ? attr_map(mask) : new Map<number, NlAttr>();
  const out = new NlAttrBuf();
  for (const a of nl_attrs(key) ?? []) {
    const have = m.get(a.type);
    const tnl = a.type === OVS_KEY_ATTR_TUNNEL ? odp_tun_key_from_attr(a.payload, false) : null;
    const tnl_mask = tnl ? tnl_wc_init(tnl) : null;
    if (a.type === OVS_KEY_ATTR_ENCAP) {
      out.attr(a.type | (a.nested ? NLA_F_NESTED : 0), megaflow_mask(a.payload, have?.payload));
    } else if (tnl_mask) {
      // ofproto/ofproto-dpif-xlate.c xlate_wc_init -> ofproto/tunnel.c tnl_wc_init (v3.6.3):
      // a nested tunnel key is masked field by field, not byte by byte.
      tun_key_to_attr(out, tnl_mask);
    } else if (a.type === OVS_KEY_ATTR_RECIRC_ID || !mask) {
      out.attr(a.type, new Uint8Array(a.payload.byteLength).fill(0xff));
    } else if (have && have.payload.byteLength === a.payload.byteLength) {
      out.attr(a.type, have.payload);
    } else {
      out.attr(a.type, new Uint8Array(a.payload.byteLength));
    }
  }
  return out.bytes();
}

/**
 * upcall_xlate: the first table entry matching the packet gives the actions
 * and the megaflow mask. No entry: drop, exact match. With hw-offload on,
 * the explicit drop action is not used (TC cannot offload it).
 */
const upcall_xlate = hop('ofproto/ofproto-dpif-upcall.c', function upcall_xlate(p: OvsProcess, udpif: Udpif, upcall: Upcall): void {
  const key = upcall.dpif_upcall.key;
  const e = xlate_actions(udpif.xlate_table, key);
  let actions = e ? e.actions : new Uint8Array(0);
  const acts = nl_attrs(actions) ?? [];
  if (netdev_is_flow_api_enabled(p) && acts.length === 1 && acts[0]!.type === OVS_ACTION_ATTR_DROP) {
    actions = new Uint8Array(0); // dpif_may_support_explicit_drop_action() is false
  }
  upcall.odp_actions = actions;
  upcall.mask = megaflow_mask(key, e?.mask);
}, { input: (_p, _u, up) => odp_format_ufid(up.dpif_upcall.ufid) });

/** ukey_create_from_upcall: the ukey always carries the hash UFID (ufid_present). */
export const ukey_create_from_upcall = hop('ofproto/ofproto-dpif-upcall.c', function ukey_create_from_upcall(upcall: Upcall): UdpifKey {
  return {
    ufid: upcall.dpif_upcall.ufid, ufid_present: true, key: upcall.dpif_upcall.key,
    mask: upcall.mask, actions: upcall.odp_actions, state: 'UKEY_CREATED',
  };
}, { input: (up) => odp_format_ufid(up.dpif_upcall.ufid), result: (u) => u.state });

/** process_upcall: MISS -> translate and build the ukey. */
const process_upcall = hop('ofproto/ofproto-dpif-upcall.c', function process_upcall(p: OvsProcess, udpif: Udpif, upcall: Upcall): number {
  if (upcall.type !== 'MISS_UPCALL') return 0;
  upcall_xlate(p, udpif, upcall);
  upcall.ukey = ukey_create_from_upcall(upcall);
  return 0;
}, { errno: (e) => -e, result: errno_text });

/** upcall_receive: classify the datapath upcall. */
const upcall_receive = hop('ofproto/ofproto-dpif-upcall.c', function upcall_receive(dupcall: DpifUpcall): Upcall {
  return {
    type: dupcall.type === 'DPIF_UC_MISS' ? 'MISS_UPCALL' : 'SLOW_PATH_UPCALL',
    dpif_upcall: dupcall, odp_actions: new Uint8Array(0), mask: new Uint8Array(0),
  };
}, { result: (u) => u.type });

const should_install_flow_miss = declareBranch('ofproto/ofproto-dpif-upcall.c', 'should_install_flow', 'miss_upcall');
const should_install_flow_limit = declareBranch('ofproto/ofproto-dpif-upcall.c', 'should_install_flow', 'flow_limit_hit');

/**
 * should_install_flow: only misses, and only while the datapath holds fewer
 * flows than the dynamic limit. Recirculation references always exist here
 * (no OpenFlow pipeline frees them), so that check never refuses.
 */
export const should_install_flow = hop('ofproto/ofproto-dpif-upcall.c', function should_install_flow(p: OvsProcess, udpif: Udpif, upcall: Upcall): boolean {
  // ofproto/ofproto-dpif-upcall.c should_install_flow (v3.6.3)
  if (!should_install_flow_miss(upcall.type === 'MISS_UPCALL')) return false;
  if (should_install_flow_limit(udpif_get_n_flows(p, udpif) >= udpif.flow_limit)) {
    p.coverage_inc('upcall_flow_limit_hit');
    p.vlog.warn('ofproto_dpif_upcall', `upcall: datapath reached the dynamic limit of ${udpif.flow_limit} flows.`);
    return false;
  }
  return true;
}, { input: (_p, _u, up) => up.type, result: (b) => String(b) });

const ufid_str = (u: Ufid): string => u.join(':');

const ukey_install_duplicate = declareBranch('ofproto/ofproto-dpif-upcall.c', 'ukey_install', 'duplicate_ufid');

/**
 * ukey_install (ukey_install__ + try_ukey_replace): a new UFID becomes
 * VISIBLE; an existing one with the same key is replaced only when it was
 * EVICTED (upcall_ukey_replace), else the upcall is a duplicate
 * (handler_duplicate_upcall); a different key under the same UFID is WARNed.
 */
export const ukey_install = hop('ofproto/ofproto-dpif-upcall.c', function ukey_install(p: OvsProcess, udpif: Udpif, ukey: UdpifKey): boolean {
  const k = ufid_str(ukey.ufid);
  const old = udpif.ukeys.get(k);
  if (ukey_install_duplicate(old !== undefined)) {
    const same = old!.key.byteLength === ukey.key.byteLength && old!.key.every((b, i) => b === ukey.key[i]);
    if (!same) {
      p.vlog.warn('ofproto_dpif_upcall', `Conflicting ukey for flows:\n${odp_format_ufid(old!.ufid)} ${odp_flow_format(old!.key, undefined, undefined, false)}\n`
        + `${odp_format_ufid(ukey.ufid)} ${odp_flow_format(ukey.key, undefined, undefined, false)}`);
      return false;
    }
    if (old!.state === 'UKEY_EVICTED') {
      old!.state = 'UKEY_DELETED';
      ukey.state = 'UKEY_VISIBLE';
      udpif.ukeys.set(k, ukey);
      p.coverage_inc('upcall_ukey_replace');
      return true;
    }
    p.coverage_inc('handler_duplicate_upcall');
    return false;
  }
  ukey.state = 'UKEY_VISIBLE';
  udpif.ukeys.set(k, ukey);
  return true;
}, { input: (_p, _u, ukey) => odp_format_ufid(ukey.ufid), result: (b) => (b ? 'installed' : 'not installed') });

/** put_op_init: a FLOW_PUT carrying the ukey's key, mask, actions and (if present) UFID. */
export const put_op_init = hop('ofproto/ofproto-dpif-upcall.c', function put_op_init(ukey: UdpifKey, flags: number): DpifOp {
  return {
    type: 'DPIF_OP_FLOW_PUT', error: 0,
    flow_put: { flags, key: ukey.key, mask: ukey.mask, actions: ukey.actions, ...(ukey.ufid_present ? { ufid: ukey.ufid } : {}) },
  };
}, { input: (ukey, flags) => `${odp_format_ufid(ukey.ufid)} flags=${flags === DPIF_FP_CREATE ? 'CREATE' : flags}`, result: () => 'DPIF_OP_FLOW_PUT' });

/**
 * handle_upcalls: per upcall a FLOW_PUT(CREATE) when it should be
 * installed and an EXECUTE when there are actions; one dpif_operate(AUTO);
 * then each installed ukey becomes OPERATIONAL, or EVICTED on error.
 */
const handle_upcalls = hop('ofproto/ofproto-dpif-upcall.c', function handle_upcalls(p: OvsProcess, udpif: Udpif, upcalls: Upcall[]): void {
  const ops: { op: DpifOp; ukey?: UdpifKey }[] = [];
  for (const upcall of upcalls) {
    if (should_install_flow(p, udpif, upcall) && upcall.ukey && ukey_install(p, udpif, upcall.ukey)) {
      ops.push({ op: put_op_init(upcall.ukey, DPIF_FP_CREATE), ukey: upcall.ukey });
    }
    if (upcall.odp_actions.byteLength) {
      ops.push({
        op: { type: 'DPIF_OP_EXECUTE', error: 0, execute: { packet: upcall.dpif_upcall.packet, key: upcall.dpif_upcall.key, actions: upcall.odp_actions } },
      });
    }
  }
  dpif_operate(p, udpif.dpif, ops.map((o) => o.op), 'DPIF_OFFLOAD_AUTO');
  for (const { op, ukey } of ops) {
    if (!ukey) continue;
    if (op.error) ukey.state = 'UKEY_EVICTED';
    else if (ukey.state === 'UKEY_CREATED' || ukey.state === 'UKEY_VISIBLE') ukey.state = 'UKEY_OPERATIONAL';
  }
}, { input: (_p, _u, ups) => `${ups.length} upcalls` });

/** dpif_recv (lib/dpif.c) */
const dpif_recv = hop('lib/dpif.c', function dpif_recv(p: OvsProcess, dpif: DpifNetlink, handler_id: number) {
  return dpif_netlink_recv(p, dpif, handler_id);
}, { errno: (r) => -r.error, result: (r) => (r.upcall ? r.upcall.type : 'EAGAIN') });

/**
 * recv_upcalls: up to UPCALL_MAX_BATCH upcalls; keys that do not parse are
 * dropped. Returns how many were received.
 */
const recv_upcalls = hop('ofproto/ofproto-dpif-upcall.c', function recv_upcalls(p: OvsProcess, udpif: Udpif, handler_id: number): number {
  const upcalls: Upcall[] = [];
  while (upcalls.length < UPCALL_MAX_BATCH) {
    const r = dpif_recv(p, udpif.dpif, handler_id);
    if (!r.upcall) break;
    if (odp_flow_key_to_flow(r.upcall.key).fitness === 'error') {
      continue; // ODP_FIT_ERROR: the upcall is dropped
    }
    const upcall = upcall_receive(r.upcall);
    process_upcall(p, udpif, upcall);
    upcalls.push(upcall);
  }
  if (upcalls.length > 0) handle_upcalls(p, udpif, upcalls);
  return upcalls.length;
}, { result: (n) => `${n}` });

/**
 * udpif_upcall_handler: the handler loop, run until the sockets are dry
 * (where the thread would block in poll). Returns the upcalls handled.
 */
export const udpif_upcall_handler = hop('ofproto/ofproto-dpif-upcall.c', function udpif_upcall_handler(p: OvsProcess, udpif: Udpif): number {
  let total = 0;
  for (let handler_id = 0; handler_id < udpif.n_handlers; handler_id++) {
    for (let n = recv_upcalls(p, udpif, handler_id); n > 0; n = recv_upcalls(p, udpif, handler_id)) total += n;
  }
  return total;
}, { result: (n) => `${n} upcalls` });
