// Relations that hold in every state the real stack can reach, checked over
// pure views of one host (tc, OVS, the mlx5 driver and its firmware). They
// are emulator checks, not upstream code: a violation means the emulator (or
// something injected into it) did what real code cannot.
import { Host, fteKey } from './host';
import { tcFilters, createdFtes } from './query';
import { ovs_dp_flows, type TcFilterState } from '../kernel/query';
import { TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_NOT_IN_HW } from '../kernel/include/uapi/linux/pkt_cls';
import { mlx5_query_ct, mlx5_query_dr_fw_tables, mlx5_query_dr_icm_chunks, mlx5_query_tc_flows, mlx5_query_tc_tables, type Mlx5FlowView } from '../drivers/mlx5/query';
import { mlx5e_flow_meters_query } from '../drivers/mlx5/en/tc/meter';
import { mlx5_query_tunnel_mapping } from '../drivers/mlx5/query';
import { MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO } from '../kernel/include/linux/mlx5/mlx5_ifc';
import { tcf_action_query } from '../kernel/net/sched/act_api';

/** A broken relation between layers; its message names the relation and the objects. */
export class InvariantError extends Error {
  constructor(readonly violations: readonly string[], context?: string) {
    super(`${context ? `${context}: ` : ''}invariant broken:\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    this.name = 'InvariantError';
  }
}

function filterName(f: TcFilterState): string {
  const where = f.dev !== null ? `dev ${f.dev}` : `block ${f.block_index}`;
  return `tc filter ${where} chain ${f.chain} prio ${f.prio} handle 0x${f.handle.toString(16)}`;
}

/** The UUID form OVS prints for a 16-byte ufid (four u32 words, host order = LE). */
function ufidText(hex: string): string {
  const w = [0, 1, 2, 3].map((i) => {
    const b = hex.slice(i * 8, i * 8 + 8).match(/../g)!.reverse().join('');
    return parseInt(b, 16);
  });
  const x = (v: number, n: number): string => v.toString(16).padStart(n, '0');
  return `${x(w[0]!, 8)}-${x(w[1]! >>> 16, 4)}-${x(w[1]! & 0xffff, 4)}-${x(w[2]! >>> 16, 4)}-${x(w[2]! & 0xffff, 4)}${x(w[3]!, 8)}`;
}

function tcInvariants(host: Host, flows: readonly (Mlx5FlowView & { pci: string })[], out: string[]): void {
  const filters = tcFilters(host).filter((f) => f.cookie !== null);
  const byCookie = new Map<number, TcFilterState>(filters.map((f) => [f.cookie!, f]));
  // Driver flows by cookie, so the check stays linear at scale.
  const holdersOf = new Map<number, (Mlx5FlowView & { pci: string })[]>();
  for (const x of flows) {
    const l = holdersOf.get(x.cookie);
    if (l) l.push(x); else holdersOf.set(x.cookie, [x]);
  }
  for (const f of filters) {
    const inHw = (f.flags & TCA_CLS_FLAGS_IN_HW) !== 0;
    const notInHw = (f.flags & TCA_CLS_FLAGS_NOT_IN_HW) !== 0;
    // net/sched/cls_flower.c fl_change (v6.18): exactly one of in_hw / not_in_hw after a change.
    if (inHw === notInHw) out.push(`${filterName(f)}: flags 0x${f.flags.toString(16)} must carry exactly one of IN_HW and NOT_IN_HW`);
    if (inHw !== f.in_hw_count > 0) out.push(`${filterName(f)}: IN_HW=${inHw} but in_hw_count=${f.in_hw_count} (IN_HW ⇔ in_hw_count > 0)`);
    const holders = holdersOf.get(f.cookie!) ?? [];
    if (holders.length !== f.in_hw_count) {
      out.push(`${filterName(f)}: in_hw_count=${f.in_hw_count} but ${holders.length} driver flows hold cookie ${f.cookie}`
        + (holders.length ? ` (${holders.map((h) => `${h.pci} ${h.netdev}`).join(', ')})` : ''));
    }
  }
  for (const x of flows) {
    if (!byCookie.has(x.cookie)) out.push(`mlx5 ${x.pci} ${x.netdev}: driver flow cookie ${x.cookie} has no tc filter`);
  }
}

function nicInvariants(host: Host, out: string[]): (Mlx5FlowView & { pci: string })[] {
  const all: (Mlx5FlowView & { pci: string })[] = [];
  const created = createdFtes(host);
  for (const nic of host.nics) {
    const pci = nic.spec.pci;
    const flows = mlx5_query_tc_flows(nic.core).map((f) => ({ ...f, pci }));
    all.push(...flows);
    const fwFtes = new Map(nic.fw.ftes().map((f) => [fteKey(f), f]));
    const fwGroups = new Map(nic.fw.flow_groups().map((g) => [`${g.table_id}/${g.group_id}`, g]));
    const fwTables = new Set(nic.fw.flow_tables().map((t) => t.table_id));
    const fwCounters = new Set(nic.fw.counters().map((c) => c.id));
    const heldFtes = new Set<string>();
    const heldCounters = new Set<number>();
    // fs_core's objects agree with the firmware's.
    for (const f of flows) {
      if (f.counter_id !== null) {
        heldCounters.add(f.counter_id);
        if (!fwCounters.has(f.counter_id)) out.push(`mlx5 ${pci} ${f.netdev} cookie ${f.cookie}: flow counter ${f.counter_id} is not in the firmware`);
      }
      if (!f.fte) continue;
      const key = fteKey(f.fte);
      heldFtes.add(key);
      const fw = fwFtes.get(key);
      if (!f.fte.existing) out.push(`mlx5 ${pci} ${f.netdev} cookie ${f.cookie}: fs_core FTE ${key} is not marked written to hardware`);
      if (!fw) out.push(`mlx5 ${pci} ${f.netdev} cookie ${f.cookie}: fs_core holds FTE table ${f.fte.table_id} index ${f.fte.index}, the firmware does not`);
      // A software-steering rule's group is a matcher: the device knows its STEs, not a firmware group.
      if (f.fte.steering === 'sw') {
        if (fw && fw.steering !== 'sw') out.push(`mlx5 ${pci} FTE ${key}: fs_core wrote it as STEs, the firmware holds it as an FTE`);
        continue;
      }
      if (fw?.steering === 'sw') out.push(`mlx5 ${pci} FTE ${key}: fs_core wrote it with firmware commands, the device holds it as STEs`);
      else if (fw && fw.group_id !== f.fte.group_id) out.push(`mlx5 ${pci} FTE ${key}: fs_core says group ${f.fte.group_id}, the firmware says group ${fw.group_id}`);
      const g = fwGroups.get(`${f.fte.table_id}/${f.fte.group_id}`);
      if (!g) out.push(`mlx5 ${pci}: fs_core group ${f.fte.group_id} of table ${f.fte.table_id} is not in the firmware`);
      else if (f.group && (g.start_flow_index !== f.group.start_index || g.end_flow_index !== f.group.start_index + f.group.max_ftes - 1)) {
        out.push(`mlx5 ${pci}: group ${g.group_id} spans ${g.start_flow_index}..${g.end_flow_index} in the firmware, ${f.group.start_index}..${f.group.start_index + f.group.max_ftes - 1} in fs_core`);
      }
    }
    // A split rule's later parts (post-action table) and the CT zones' pre_ct rules are held too.
    const ct = mlx5_query_ct(nic.core);
    for (const f of flows) {
      for (const x of f.extra_ftes ?? []) {
        heldFtes.add(fteKey(x));
        if (!fwFtes.has(fteKey(x))) out.push(`mlx5 ${pci} ${f.netdev} cookie ${f.cookie}: post-action FTE ${fteKey(x)} is not in the firmware`);
      }
      for (const c of f.extra_counter_ids ?? []) heldCounters.add(c);
    }
    for (const x of ct.ftes) heldFtes.add(fteKey(x));
    // Software steering: every STE in ICM serves a table the firmware still holds,
    // and each firmware table it keeps for an action is the target of a live rule.
    const stes = nic.fw.icm.stes();
    for (const s of stes) {
      if (!fwTables.has(s.table_id)) out.push(`mlx5 ${pci}: STE at icm 0x${s.addr.toString(16)} (${s.nic} ${s.kind}) serves table ${s.table_id}, which the firmware no longer holds`);
    }
    // Steering ICM in use is exactly what the driver's live steering objects hold (no leak, no dangling write).
    const held = new Set(mlx5_query_dr_icm_chunks(nic.core));
    for (const c of nic.fw.icm.chunk_states()) {
      if (!held.has(c.addr)) out.push(`mlx5 ${pci}: ICM chunk 0x${c.addr.toString(16)} (${c.num_entries} entries) belongs to no live software-steering object`);
    }
    if (held.size !== nic.fw.icm.chunk_states().length) out.push(`mlx5 ${pci}: software steering holds ${held.size} ICM chunks, the device has ${nic.fw.icm.chunk_states().length}`);
    const drFwTables = new Set(mlx5_query_dr_fw_tables(nic.core));
    for (const t of drFwTables) {
      if (!stes.some((s) => s.rule?.destinations.some((d) => d.type === 'FLOW_TABLE' && d.id === t))) {
        out.push(`mlx5 ${pci}: software steering holds firmware table ${t} for an action, but no rule STE forwards to it`);
      }
    }
    for (const t of mlx5_query_tc_tables(nic.core)) {
      if (!fwTables.has(t.id)) out.push(`mlx5 ${pci}: fs_core table ${t.id} (level ${t.level}) is not in the firmware`);
    }
    // Every rule-holding FTE the scenario made belongs to a live offloaded flow.
    for (const f of created.filter((x) => x.pci === pci && !drFwTables.has(x.table_id))) {
      if (!heldFtes.has(fteKey(f))) out.push(`mlx5 ${pci}: firmware FTE table ${f.table_id} index ${f.index} (${f.action.join(',')}) belongs to no live driver flow`);
    }
    for (const id of fwCounters) {
      if (!nic.boot_counters?.has(id) && !heldCounters.has(id)) out.push(`mlx5 ${pci}: firmware flow counter ${id} belongs to no live driver flow`);
    }
    // Nothing remains once every flow is gone.
    if (flows.length === 0) {
      // Per table, as many FTEs as at baseline: fs_chains moves a table's miss
      // rule between the two slots of its miss group, so indexes may differ.
      const bootCount = new Map<number, number>();
      for (const k of nic.boot_ftes) { const t = Number(k.split('/')[0]); bootCount.set(t, (bootCount.get(t) ?? 0) + 1); }
      const nowCount = new Map<number, number>();
      for (const f of nic.fw.ftes()) nowCount.set(f.table_id, (nowCount.get(f.table_id) ?? 0) + 1);
      const leftFtes = nic.fw.ftes().filter((f) => !nic.boot_ftes.has(fteKey(f)) && (nowCount.get(f.table_id) ?? 0) > (bootCount.get(f.table_id) ?? 0));
      const leftTables = nic.fw.flow_tables().filter((t) => nic.boot_tables && !nic.boot_tables.has(t.table_id) && !ct.global_tables.includes(t.table_id));
      // CT zones (pre_ct tables) and mapped ids go with their last rule.
      if (ct.zones.length) out.push(`mlx5 ${pci}: no driver flow is left, but CT zones ${ct.zones.join(', ')} still hold pre_ct tables`);
      if (ct.mapped_ids) out.push(`mlx5 ${pci}: no driver flow is left, but ${ct.mapped_ids} CT/action-miss ids are still mapped`);
      if (leftFtes.length) out.push(`mlx5 ${pci}: no driver flow is left, but the firmware still holds FTEs ${leftFtes.map(fteKey).join(', ')}`);
      if (leftTables.length) out.push(`mlx5 ${pci}: no driver flow is left, but the firmware still holds tables ${leftTables.map((t) => `${t.table_id} (level ${t.level})`).join(', ')}`);
    }
  }
  return all;
}

function ovsInvariants(host: Host, out: string[]): void {
  if (!host.started) return;
  const maps = host.ovs.ufid_tc_mappings();
  const filters = tcFilters(host);
  const filterAt = new Set(filters.map((f) => `${f.dev}/${f.chain}/${f.prio}/${f.handle}`));
  const seenUfid = new Set<string>();
  const seenFilter = new Set<string>();
  for (const m of maps) {
    const where = `${m.dev} chain ${m.chain} prio ${m.prio} handle 0x${m.handle.toString(16)}`;
    if (seenUfid.has(m.ufid)) out.push(`OVS maps ufid ${m.ufid} to more than one tc filter`);
    if (seenFilter.has(where)) out.push(`OVS maps more than one ufid to tc filter ${where}`);
    seenUfid.add(m.ufid);
    seenFilter.add(where);
    if (!filterAt.has(`${m.dev}/${m.chain}/${m.prio}/${m.handle}`)) {
      out.push(`OVS maps ufid ${m.ufid} to tc filter ${where}, which does not exist`);
    }
  }
  // Each datapath flow lives in exactly one place: tc or the kernel datapath.
  for (const d of ovs_dp_flows(host.kernel.net)) {
    if (d.ufid === null) continue;
    const u = ufidText(d.ufid);
    if (seenUfid.has(u)) out.push(`datapath flow ufid ${u} is both in tc and in the kernel datapath ${d.dp}`);
  }
  // ukey_delete takes a ukey out of the map as it becomes DELETED.
  for (const k of host.ovs.ukeys()) {
    if (k.state === 'UKEY_DELETED') out.push(`ovs-vswitchd still holds a DELETED ukey ${k.ufid.map((w) => w.toString(16)).join(':')}`);
  }
}

/**
 * Shared objects the rules use: every modify-header context and every
 * flow-meter ASO object is used by at least one FTE (the last user frees
 * it), and every meter the driver holds sits in a live object.
 */
function sharedObjectInvariants(host: Host, out: string[]): void {
  for (const nic of host.nics) {
    const pci = nic.spec.pci;
    const ftes = nic.fw.ftes();
    for (const m of nic.fw.modify_header_contexts()) {
      if (!ftes.some((f) => f.modify_header_id === m.modify_header_id)) out.push(`mlx5 ${pci}: modify-header context ${m.modify_header_id} (${m.actions.length} actions) is used by no FTE`);
    }
    const objs = nic.fw.general_objects().filter((o) => o.obj_type === MLX5_GENERAL_OBJECT_TYPES_FLOW_METER_ASO);
    // a standalone police in hardware holds its meter without any FTE (tc_act_police_offload)
    const meters = mlx5e_flow_meters_query(nic.core);
    const hwPolice = new Set(tcf_action_query(host.kernel.net).filter((a) => a.kind === 'police' && a.in_hw_count > 0).map((a) => a.index));
    for (const o of objs) {
      const heldByAction = meters.some((m) => m.obj_id === o.obj_id && hwPolice.has(m.params.index));
      if (!heldByAction && !ftes.some((f) => f.exe_aso_object_id === o.obj_id)) out.push(`mlx5 ${pci}: flow-meter ASO object ${o.obj_id} is used by no FTE`);
    }
    for (const m of mlx5e_flow_meters_query(nic.core)) {
      if (!objs.some((o) => o.obj_id === m.obj_id)) out.push(`mlx5 ${pci}: police index ${m.params.index} holds meter ${m.obj_id}/${m.idx}, which the firmware does not have`);
    }
  }
}

/**
 * Tunnel ids (mlx5e_get_flow_tunnel_id): every id the uplink maps is held
 * by a live flow, and every id a live flow holds is mapped.
 */
function tunnelMappingInvariants(host: Host, out: string[]): void {
  for (const nic of host.nics) {
    const pci = nic.spec.pci;
    const m = mlx5_query_tunnel_mapping(nic.core);
    for (const [kind, mapped, heldIds] of [
      ['tunnel', m.tunnel_ids, m.held.map((h) => h.tun_id)],
      ['enc_opts', m.enc_opts_ids, m.held.map((h) => h.enc_opts_id).filter((x) => x !== 0)],
    ] as const) {
      for (const id of mapped) if (!heldIds.includes(id)) out.push(`mlx5 ${pci}: ${kind} id ${id} is mapped, but no live flow holds it`);
      for (const h of m.held) {
        const id = kind === 'tunnel' ? h.tun_id : h.enc_opts_id;
        if (id && !mapped.includes(id)) out.push(`mlx5 ${pci} ${h.netdev} cookie ${h.cookie}: holds ${kind} id ${id}, which is not mapped`);
      }
    }
  }
}

/** Every broken relation of the host's current state (empty when all hold). */
/**
 * tc actions (net/sched/act_api.c): every action sits at its own index with
 * 0 ≤ bindcnt ≤ refcnt and refcnt ≥ 1; a meter mlx5 keeps for a police
 * index belongs to a police action that still exists.
 */
function actionInvariants(host: Host, out: string[]): void {
  const acts = tcf_action_query(host.kernel.net);
  for (const a of acts) {
    const name = `tc action ${a.kind} index ${a.index}`;
    if (a.in_table_at !== a.index) out.push(`${name}: kept at index ${a.in_table_at}`);
    if (a.refcnt < 1 || a.bindcnt < 0 || a.bindcnt > a.refcnt) out.push(`${name}: ref ${a.refcnt} bind ${a.bindcnt} (want 0 ≤ bind ≤ ref, ref ≥ 1)`);
  }
  for (const nic of host.nics) {
    for (const m of mlx5e_flow_meters_query(nic.core)) {
      if (!acts.some((a) => a.kind === 'police' && a.index === m.params.index)) {
        out.push(`mlx5 ${nic.spec.pci}: meter for police index ${m.params.index} outlives its police action`);
      }
    }
  }
}

export function invariantViolations(host: Host): string[] {
  const out: string[] = [];
  const flows = nicInvariants(host, out);
  tcInvariants(host, flows, out);
  ovsInvariants(host, out);
  sharedObjectInvariants(host, out);
  tunnelMappingInvariants(host, out);
  actionInvariants(host, out);
  return out;
}

/** Throws an InvariantError naming every broken relation. */
export function checkInvariants(host: Host, context?: string): void {
  const v = invariantViolations(host);
  if (v.length > 0) throw new InvariantError(v, context);
}
