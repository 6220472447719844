// ofproto/ofproto-dpif-upcall.c (v3.6.3): the handler side of upcall
// processing — receive misses, translate them, install the megaflow and
// execute the packet in one dpif_operate(AUTO) batch. There is no OpenFlow
// pipeline: translation looks the packet up in a table of (key/mask ->
// ODP actions) entries that the owner of the udpif fills.
import { OVS_ACTION_ATTR_DROP, OVS_ACTION_ATTR_RECIRC, OVS_KEY_ATTR_ENCAP, OVS_KEY_ATTR_RECIRC_ID, OVS_KEY_ATTR_TUNNEL } from '../../kernel/include/uapi/linux/openvswitch';
import { NLA_F_NESTED, nla_get_u32, type NlAttr } from '../../netlink/attr';
import { EBUSY, EINVAL, ENOENT, strerror } from '../../kernel/include/uapi/asm-generic/errno';
import { NlAttrBuf, nl_attrs } from '../../netlink/msgbuf';
import { hop } from '../../trace/hop';
import { declareBranch } from '../../trace/branch';
import { errno_text, type OvsProcess } from '../lib/ovs-process';
import {
  DPIF_FP_CREATE, dpif_flow_dump_create, dpif_flow_dump_destroy, dpif_flow_dump_next, dpif_flow_get, dpif_flow_stats_zero,
  dpif_get_dp_stats, dpif_get_n_offloaded_flows, dpif_operate, type DpifFlow, type DpifFlowStats, type DpifOp,
} from '../lib/dpif';
import { dpif_netlink_recv, type DpifNetlink, type DpifUpcall } from '../lib/dpif-netlink';
import { netdev_is_flow_api_enabled } from '../lib/netdev-offload';
import { xlate_actions, type XlateEntry } from './ofproto-dpif-xlate';
import { odp_flow_format, odp_flow_key_to_flow, odp_format_ufid, odp_tun_key_from_attr, tun_key_to_attr, type Ufid } from '../lib/odp-util';
import { tnl_wc_init } from './tunnel';

const UPCALL_MAX_BATCH = 64;

export type { XlateEntry } from './ofproto-dpif-xlate';

export type UkeyState = 'UKEY_CREATED' | 'UKEY_VISIBLE' | 'UKEY_OPERATIONAL' | 'UKEY_INCONSISTENT' | 'UKEY_EVICTING' | 'UKEY_EVICTED' | 'UKEY_DELETED';

/** struct udpif_key */
export interface UdpifKey {
  ufid: Ufid;
  ufid_present: boolean;
  key: Uint8Array;
  mask: Uint8Array;
  actions: Uint8Array;
  state: UkeyState;
  /** time_msec() when the ukey was created. */
  created: number;
  /** The datapath stats last seen by a revalidator (used: 0 = never). */
  stats: DpifFlowStats;
  /** The dump that last saw the flow (0: not yet dumped). */
  dump_seq: number;
  /** reval_seq when the actions were last validated. */
  reval_seq: number;
  /** Sweeps in a row that did not find the flow in the dump. */
  missed_dumps: number;
  /** "ovs" or "tc" as the last dump reported ('' before the first). */
  dp_layer: string;
  offloaded: boolean;
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
  /** seq udpif->dump_seq: bumped after each revalidator dump. */
  dump_seq: number;
  /** seq udpif->reval_seq: bumped when every flow must be revalidated. */
  reval_seq: number;
  /** ofproto_max_idle (other_config:max-idle), ms. */
  max_idle: number;
  /** ofproto_max_revalidator (other_config:max-revalidator), ms. */
  max_revalidator: number;
  /** time_msec() at which the leader revalidator wakes next. */
  next_revalidate: number;
  /** The rate limit of the "unexpected flow" warning. */
  rl_unexpected: { tokens: number; last: number };
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

// ofproto/ofproto.h OFPROTO_MAX_IDLE_DEFAULT, OFPROTO_MAX_REVALIDATOR_DEFAULT
export const OFPROTO_MAX_IDLE_DEFAULT = 10000;
export const OFPROTO_MAX_REVALIDATOR_DEFAULT = 500;

export function udpif_create(dpif: DpifNetlink, now = 0, other_config: Readonly<Record<string, string>> = {}): Udpif {
  // udpif_create: flow_limit starts at MIN(ofproto_flow_limit, 10000).
  // udpif_set_threads with per-cpu dispatch: one handler per CPU (one
  // emulated CPU), revalidators = handlers / 4 + 1.
  const udpif: Udpif = {
    dpif, n_handlers: 1, n_revalidators: 1, flow_limit: Math.min(OFPROTO_FLOW_LIMIT_DEFAULT, 10000),
    avg_n_flows: 0, max_n_flows: 0, dump_duration: 0, xlate_table: [], ukeys: new Map(),
    dump_seq: 1, reval_seq: 1, max_idle: OFPROTO_MAX_IDLE_DEFAULT, max_revalidator: OFPROTO_MAX_REVALIDATOR_DEFAULT,
    next_revalidate: now,
    rl_unexpected: { tokens: 60, last: now },
  };
  // bridge_reconfigure sets max-idle before the revalidator starts; its
  // first dump (at start, nothing installed yet) is not run here: it sleeps
  // until start + MIN(max_idle, max_revalidator).
  ofproto_set_revalidator_config(udpif, other_config);
  udpif.next_revalidate = now + Math.max(1, Math.min(udpif.max_idle, udpif.max_revalidator));
  return udpif;
}

/** udpif_get_n_flows: the datapath's own flow count (kernel flows, not tc's). */
function udpif_get_n_flows(p: OvsProcess, udpif: Udpif): number {
  return dpif_get_dp_stats(p, udpif.dpif).n_flows;
}

/**
 * upcall_unixctl_show: per udpif its dpif name, the flow counts (avg/max
 * and the dump duration come from revalidator passes, 0 before the
 * first), tc-held flows when the dpif can tell,
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
export const ukey_create_from_upcall = hop('ofproto/ofproto-dpif-upcall.c', function ukey_create_from_upcall(p: OvsProcess, udpif: Udpif, upcall: Upcall): UdpifKey {
  return {
    ufid: upcall.dpif_upcall.ufid, ufid_present: true, key: upcall.dpif_upcall.key,
    mask: upcall.mask, actions: upcall.odp_actions, state: 'UKEY_CREATED',
    ...ukey_fresh(p.time_msec(), udpif.reval_seq, 0),
  };
}, { input: (_p, _u, up) => odp_format_ufid(up.dpif_upcall.ufid), result: (u) => u.state });

/** The bookkeeping part of ukey_create__: not dumped yet, no stats seen. */
function ukey_fresh(now: number, reval_seq: number, used: number): Pick<UdpifKey, 'created' | 'stats' | 'dump_seq' | 'reval_seq' | 'missed_dumps' | 'dp_layer' | 'offloaded'> {
  return {
    created: now, stats: { ...dpif_flow_stats_zero(), used }, dump_seq: 0, reval_seq, missed_dumps: 0, dp_layer: '', offloaded: false,
  };
}

/** process_upcall: MISS -> translate and build the ukey. */
const process_upcall = hop('ofproto/ofproto-dpif-upcall.c', function process_upcall(p: OvsProcess, udpif: Udpif, upcall: Upcall): number {
  if (upcall.type !== 'MISS_UPCALL') return 0;
  upcall_xlate(p, udpif, upcall);
  upcall.ukey = ukey_create_from_upcall(p, udpif, upcall);
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

// ---------------------------------------------------------------------------
// Revalidation: the leader revalidator's periodic pass (one revalidator).

const REVALIDATE_MAX_BATCH = 50;

/** smap_get_uint: the value when it is an unsigned number, else the default. */
function smap_get_uint(cfg: Readonly<Record<string, string>>, key: string, def: number): number {
  const v = cfg[key];
  return v !== undefined && /^\s*\+?\d+$/.test(v) ? Number(v) : def;
}

/**
 * vswitchd/bridge.c bridge_reconfigure -> ofproto_set_max_idle and
 * ofproto_set_max_revalidator (v3.6.3): max-idle is taken as given;
 * max-revalidator below 100 ms is ignored (ofproto/ofproto.c).
 */
export function ofproto_set_revalidator_config(udpif: Udpif, other_config: Readonly<Record<string, string>>): void {
  udpif.max_idle = smap_get_uint(other_config, 'max-idle', OFPROTO_MAX_IDLE_DEFAULT);
  const max_revalidator = smap_get_uint(other_config, 'max-revalidator', OFPROTO_MAX_REVALIDATOR_DEFAULT);
  if (max_revalidator >= 100) udpif.max_revalidator = max_revalidator;
}

type RevalResult = 'UKEY_KEEP' | 'UKEY_DELETE' | 'UKEY_MODIFY';

/** struct ukey_op: a datapath op and the ukey it is for (none: an unknown flow). */
interface UkeyOp {
  op: DpifOp;
  ukey?: UdpifKey;
  stats: DpifFlowStats;
}

/** delete_op_init / delete_op_init__: a FLOW_DEL by key and UFID, stats wanted back. */
function delete_op_init(key: Uint8Array, ufid: Ufid | undefined, ukey?: UdpifKey): UkeyOp {
  const stats = dpif_flow_stats_zero();
  return { op: { type: 'DPIF_OP_FLOW_DEL', error: 0, flow_del: { key, ...(ufid ? { ufid } : {}), stats } }, stats, ...(ukey ? { ukey } : {}) };
}

/** reval_op_init: DELETE -> a FLOW_DEL and the ukey is EVICTING. */
function reval_op_init(result: RevalResult, ukey: UdpifKey): UkeyOp | undefined {
  if (result !== 'UKEY_DELETE') return undefined; // MODIFY is never decided here (see revalidate_ukey)
  ukey.state = 'UKEY_EVICTING';
  return delete_op_init(ukey.key, ukey.ufid_present ? ukey.ufid : undefined, ukey);
}

/**
 * ukey_create_from_dpif_flow: a flow the datapath holds without a ukey
 * (added by dpctl, or left from before a restart). A terse dump carries no
 * key, so the whole flow is fetched; a flow that recirculates, or matches a
 * non-zero recirc_id, depends on state this process does not have: EINVAL.
 * The ukey's reval_seq is one behind so that it is revalidated.
 */
const ukey_create_from_dpif_flow = hop('ofproto/ofproto-dpif-upcall.c', function ukey_create_from_dpif_flow(
  p: OvsProcess, udpif: Udpif, flow_in: DpifFlow,
): { error: number; ukey?: UdpifKey } {
  let flow = flow_in;
  if (!flow.key.byteLength || !flow.actions.byteLength) {
    const r = dpif_flow_get(p, udpif.dpif, flow.key, flow.ufid_present ? flow.ufid : undefined);
    if (r.error || !r.flow) return { error: r.error };
    flow = r.flow;
  }
  for (const a of nl_attrs(flow.key) ?? []) {
    if (a.type === OVS_KEY_ATTR_RECIRC_ID && nla_get_u32(a) !== 0) return { error: EINVAL };
  }
  for (const a of nl_attrs(flow.actions) ?? []) {
    if (a.type === OVS_ACTION_ATTR_RECIRC) return { error: EINVAL };
  }
  return {
    error: 0,
    ukey: {
      ufid: flow.ufid, ufid_present: flow.ufid_present, key: flow.key, mask: flow.mask, actions: flow.actions, state: 'UKEY_CREATED',
      ...ukey_fresh(p.time_msec(), udpif.reval_seq - 1, flow.stats.used),
    },
  };
}, { input: (_p, _u, f) => odp_format_ufid(f.ufid), errno: (r) => -r.error, result: (r) => (r.ukey ? r.ukey.state : errno_text(r.error)) });

/**
 * ukey_acquire: the flow's ukey, or one created from the flow and
 * installed (EBUSY when another ukey won the race).
 */
function ukey_acquire(p: OvsProcess, udpif: Udpif, f: DpifFlow): { error: number; ukey?: UdpifKey } {
  const ukey = udpif.ukeys.get(ufid_str(f.ufid));
  if (ukey) return { error: 0, ukey };
  const c = ukey_create_from_dpif_flow(p, udpif, f);
  if (c.error || !c.ukey) return { error: c.error };
  return ukey_install(p, udpif, c.ukey) ? { error: 0, ukey: c.ukey } : { error: EBUSY };
}

/**
 * VLOG_RATE_LIMIT_INIT(10, 60) (lib/vlog.c vlog_should_drop): a token
 * bucket of 60 messages refilled at 10 per minute. The "Dropped N log
 * messages" summary upstream prints later is not modelled.
 */
function vlog_rate_limit_ok(udpif: Udpif, now: number): boolean {
  const rl = udpif.rl_unexpected;
  const BURST = 60;
  const PER_MS = 10 / 60000;
  rl.tokens = Math.min(BURST, rl.tokens + (now - rl.last) * PER_MS);
  rl.last = now;
  if (rl.tokens < 1) return false;
  rl.tokens -= 1;
  return true;
}

/** log_unexpected_flow (rate limited as upstream's rll). */
function log_unexpected_flow(p: OvsProcess, udpif: Udpif, f: DpifFlow, error: number): void {
  if (!vlog_rate_limit_ok(udpif, p.time_msec())) return;
  p.vlog.warn('ofproto_dpif_upcall', `Failed to acquire udpif_key corresponding to unexpected flow (${strerror(error)}): ${odp_format_ufid(f.ufid)}`);
}

/**
 * udpif_update_used: a terse dump gives no usable `used` for a flow that
 * reports none; take "now" when its packet count grew, else the last use
 * seen, else the ukey's creation time.
 */
function udpif_update_used(now: number, ukey: UdpifKey, stats: DpifFlowStats): number {
  if (stats.n_packets > ukey.stats.n_packets) stats.used = now;
  else if (ukey.stats.used) stats.used = ukey.stats.used;
  else stats.used = ukey.created;
  return stats.used;
}

const revalidate_ukey_need = declareBranch('ofproto/ofproto-dpif-upcall.c', 'revalidate_ukey', 'need_revalidate');

/**
 * revalidate_ukey: with the reval_seq unchanged the flow is kept (its
 * actions were validated when it was translated) and the new stats are
 * remembered. A stale reval_seq asks for a full re-translation
 * (revalidate_ukey__), which needs the OpenFlow tables this emulation does
 * not have: such flows are kept too, so manually added flows only expire.
 */
const revalidate_ukey = hop('ofproto/ofproto-dpif-upcall.c', function revalidate_ukey(
  p: OvsProcess, udpif: Udpif, ukey: UdpifKey, stats: DpifFlowStats,
): RevalResult {
  if (stats.n_packets < ukey.stats.n_packets) p.coverage_inc('ukey_invalid_stat_reset');
  revalidate_ukey_need(ukey.reval_seq !== udpif.reval_seq);
  ukey.stats = { ...stats };
  ukey.reval_seq = udpif.reval_seq;
  return 'UKEY_KEEP';
}, { input: (_p, _u, ukey) => odp_format_ufid(ukey.ufid), result: (r) => r });

/**
 * push_dp_ops: one dpif_operate(AUTO) for the batch; a failed delete
 * leaves the ukey EVICTED all the same (the flow is gone or will be
 * found again), a successful one is EVICTED with its final stats pushed.
 */
const push_dp_ops = hop('ofproto/ofproto-dpif-upcall.c', function push_dp_ops(p: OvsProcess, udpif: Udpif, ops: UkeyOp[]): void {
  dpif_operate(p, udpif.dpif, ops.map((o) => o.op), 'DPIF_OFFLOAD_AUTO');
  for (const o of ops) {
    if (!o.ukey) continue;
    if (o.op.error) {
      o.ukey.state = o.op.type === 'DPIF_OP_FLOW_DEL' ? 'UKEY_EVICTED' : 'UKEY_INCONSISTENT';
      continue;
    }
    if (o.op.type !== 'DPIF_OP_FLOW_DEL') continue;
    o.ukey.state = 'UKEY_EVICTED';
    if (o.stats.n_packets < o.ukey.stats.n_packets) p.coverage_inc('ukey_invalid_stat_reset');
  }
}, { input: (_p, _u, ops) => `${ops.length} ops` });

const revalidate_idle = declareBranch('ofproto/ofproto-dpif-upcall.c', 'revalidate', 'flow_idle');
const revalidate_unexpected = declareBranch('ofproto/ofproto-dpif-upcall.c', 'revalidate', 'unexpected_flow');

/**
 * revalidate: every flow of the dump, in batches of REVALIDATE_MAX_BATCH.
 * Over the flow limit the idle time drops to 100 ms; over twice the limit
 * every flow is deleted. A flow idle longer than max-idle is deleted
 * (FDR_FLOW_IDLE); the others go through revalidate_ukey.
 */
export const revalidate = hop('ofproto/ofproto-dpif-upcall.c', function revalidate(p: OvsProcess, udpif: Udpif): number {
  const dump = dpif_flow_dump_create(p, udpif.dpif, true, undefined); // udpif_use_ufid: terse
  const dump_seq = udpif.dump_seq;
  let kill_warn_print = true;
  let n_deleted = 0;
  let f = dpif_flow_dump_next(p, dump);
  while (f) {
    const flows: DpifFlow[] = [];
    for (; f && flows.length < REVALIDATE_MAX_BATCH; f = dpif_flow_dump_next(p, dump)) flows.push(f);
    const n_dp_flows = udpif_get_n_flows(p, udpif);
    if (n_dp_flows >= udpif.flow_limit) p.coverage_inc('upcall_flow_limit_hit');
    const kill_all_limit = udpif.flow_limit * 2;
    const kill_them_all = n_dp_flows > kill_all_limit;
    if (kill_them_all) {
      p.coverage_inc('upcall_flow_limit_kill');
      if (kill_warn_print) {
        kill_warn_print = false;
        p.vlog.warn('ofproto_dpif_upcall', `Number of datapath flows (${n_dp_flows}) twice as high as current dynamic flow limit (${kill_all_limit}).  `
          + 'Starting to delete flows unconditionally as an emergency measure.');
      }
    }
    const max_idle = n_dp_flows > udpif.flow_limit ? 100 : udpif.max_idle;
    const now = p.time_msec();
    const ops: UkeyOp[] = [];
    for (const flow of flows) {
      const stats = { ...flow.stats };
      const acq = ukey_acquire(p, udpif, flow);
      if (revalidate_unexpected(!acq.ukey)) {
        if (acq.error === EBUSY) {
          p.coverage_inc('upcall_ukey_contention');
        } else {
          log_unexpected_flow(p, udpif, flow, acq.error);
          if (acq.error !== ENOENT) ops.push(delete_op_init(flow.key, flow.ufid_present ? flow.ufid : undefined));
        }
        continue;
      }
      const ukey = acq.ukey!;
      ukey.offloaded = flow.attrs.offloaded;
      // dpif-netlink does not keep its layers in sync: a flow that moved
      // between tc and the kernel starts its stats afresh.
      if (!ukey.dp_layer || ukey.dp_layer !== flow.attrs.dp_layer) {
        if (ukey.dp_layer) {
          p.coverage_inc('ukey_dp_change');
          ukey.stats = dpif_flow_stats_zero();
        }
        ukey.dp_layer = flow.attrs.dp_layer;
      }
      if (ukey.dump_seq === dump_seq) {
        p.coverage_inc('dumped_duplicate_flow');
        continue;
      }
      if (ukey.state === 'UKEY_INCONSISTENT') {
        ukey.dump_seq = dump_seq;
        ops.push(reval_op_init('UKEY_DELETE', ukey)!);
        p.coverage_inc('dumped_inconsistent_flow');
        continue;
      }
      // A ukey past OPERATIONAL is being deleted by someone else: skipped.
      if (ukey.state !== 'UKEY_CREATED' && ukey.state !== 'UKEY_VISIBLE' && ukey.state !== 'UKEY_OPERATIONAL') continue;
      ukey.state = 'UKEY_OPERATIONAL';
      let used = stats.used;
      // `used` 0 means "unknown" upstream; after udpif_update_used it is a
      // real time, which on this clock (0 at boot) may itself be 0.
      let used_known = used !== 0;
      if (!used) {
        used = udpif_update_used(now, ukey, stats);
        used_known = true;
      }
      const result: RevalResult = revalidate_idle(kill_them_all || (used_known && used < now - max_idle))
        ? 'UKEY_DELETE'
        : revalidate_ukey(p, udpif, ukey, stats);
      ukey.dump_seq = dump_seq;
      const op = reval_op_init(result, ukey);
      if (op) ops.push(op);
    }
    if (ops.length) {
      push_dp_ops(p, udpif, ops);
      n_deleted += ops.length;
    }
  }
  dpif_flow_dump_destroy(p, dump);
  return n_deleted;
}, { result: (n) => `${n} deleted` });

/**
 * revalidator_sweep__: ukeys whose flow was deleted (EVICTED) go; an
 * OPERATIONAL ukey whose flow was missing from 4 dumps in a row is deleted
 * with its flow (revalidate_missing_dp_flow); INCONSISTENT ones likewise.
 * With `purge` every OPERATIONAL, INCONSISTENT or VISIBLE ukey's flow is
 * deleted.
 */
function revalidator_sweep__(p: OvsProcess, udpif: Udpif, purge: boolean): number {
  const dump_seq = udpif.dump_seq;
  const ops: UkeyOp[] = [];
  for (const [k, ukey] of [...udpif.ukeys]) {
    const state = ukey.state;
    if (state === 'UKEY_OPERATIONAL' || state === 'UKEY_INCONSISTENT' || (state === 'UKEY_VISIBLE' && purge)) {
      const seq_mismatch = ukey.dump_seq !== dump_seq && ukey.reval_seq !== udpif.reval_seq;
      let result: RevalResult;
      if (purge || state === 'UKEY_INCONSISTENT') result = 'UKEY_DELETE';
      else if (!seq_mismatch) result = 'UKEY_KEEP';
      else {
        p.coverage_inc('revalidate_missed_dp_flow');
        result = revalidate_ukey(p, udpif, ukey, { ...ukey.stats });
      }
      if (ukey.dump_seq !== dump_seq) {
        ukey.missed_dumps++;
        if (ukey.missed_dumps >= 4) {
          p.coverage_inc('revalidate_missing_dp_flow');
          result = 'UKEY_DELETE';
        }
      } else {
        ukey.missed_dumps = 0;
      }
      const op = reval_op_init(result, ukey);
      if (op) ops.push(op);
    }
    if (state === 'UKEY_EVICTED') {
      ukey.state = 'UKEY_DELETED'; // ukey_delete
      udpif.ukeys.delete(k);
    }
  }
  if (ops.length) {
    // push_ukey_ops: the ops, then the ukeys of the deleted flows go.
    push_dp_ops(p, udpif, ops);
    for (const o of ops) {
      if (o.ukey) {
        o.ukey.state = 'UKEY_DELETED';
        udpif.ukeys.delete(ufid_str(o.ukey.ufid));
      }
    }
  }
  return ops.length;
}

/** revalidator_sweep: after each dump. */
export const revalidator_sweep = hop('ofproto/ofproto-dpif-upcall.c', function revalidator_sweep(p: OvsProcess, udpif: Udpif): number {
  return revalidator_sweep__(p, udpif, false);
}, { result: (n) => `${n} ops` });

/**
 * upcall_unixctl_purge (`ovs-appctl revalidator/purge`): revalidator_purge
 * on every revalidator, which deletes every flow that has a ukey.
 */
export const upcall_unixctl_purge = hop('ofproto/ofproto-dpif-upcall.c', function upcall_unixctl_purge(p: OvsProcess, udpifs: readonly Udpif[]): number {
  let n = 0;
  for (const udpif of udpifs) n += revalidator_purge(p, udpif);
  return n;
}, { result: (n) => `${n} ops` });

/** revalidator_purge */
const revalidator_purge = hop('ofproto/ofproto-dpif-upcall.c', function revalidator_purge(p: OvsProcess, udpif: Udpif): number {
  return revalidator_sweep__(p, udpif, true);
}, { result: (n) => `${n} ops` });

/**
 * udpif_revalidator: one pass of the leader — flow counts for upcall/show,
 * the dump and its revalidation, the sweep, the dynamic flow limit from
 * the dump duration, then sleep until start + MIN(max_idle,
 * max_revalidator). The emulated dump takes no time (1 ms, the minimum).
 */
export const udpif_revalidator = hop('ofproto/ofproto-dpif-upcall.c', function udpif_revalidator(p: OvsProcess, udpif: Udpif): number {
  // ofproto/ofproto-dpif-upcall.c udpif_revalidator (v3.6.3)
  const n_flows = udpif_get_n_flows(p, udpif);
  udpif.max_n_flows = Math.max(n_flows, udpif.max_n_flows);
  udpif.avg_n_flows = Math.floor((udpif.avg_n_flows + n_flows) / 2);
  const start_time = p.time_msec();
  const n = revalidate(p, udpif);
  revalidator_sweep(p, udpif);
  udpif.dump_seq++;
  const duration = Math.max(p.time_msec() - start_time, 1);
  udpif.dump_duration = duration;
  let flow_limit = udpif.flow_limit;
  if (duration > 2000) {
    flow_limit = Math.floor(flow_limit / Math.floor(duration / 1000));
    p.coverage_inc('upcall_flow_limit_scaled');
  } else if (duration > 1300) {
    flow_limit = Math.floor((flow_limit * 3) / 4);
    p.coverage_inc('upcall_flow_limit_reduced');
  } else if (duration < 1000 && flow_limit < Math.floor((n_flows * 1000) / duration)) {
    flow_limit += 1000;
    p.coverage_inc('upcall_flow_limit_grew');
  }
  udpif.flow_limit = Math.min(OFPROTO_FLOW_LIMIT_DEFAULT, Math.max(flow_limit, 1000));
  // max-idle=0 would make the thread spin; time has to move between passes here.
  udpif.next_revalidate = start_time + Math.max(1, Math.min(udpif.max_idle, udpif.max_revalidator));
  return n;
}, { result: (n) => `${n} deleted` });
