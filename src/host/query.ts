// Pure questions about a host's state, for Then steps and reports.
import { Host, HostError, fteKey } from './host';
import { tc_filters, ovs_dp_flows, type TcFilterState } from '../kernel/query';
import {
  TCA_CLS_FLAGS_IN_HW, TCA_CLS_FLAGS_NOT_IN_HW, TCA_CLS_FLAGS_SKIP_HW, TCA_CLS_FLAGS_SKIP_SW,
} from '../kernel/include/uapi/linux/pkt_cls';
import type { FteState } from '../hw/mlx5/firmware';
import { mlx5_query_dr_fw_tables } from '../drivers/mlx5/query';

export const PLACEMENTS = ['NIC hardware', 'tc software and NIC hardware', 'tc software', 'the OVS kernel datapath', 'nowhere'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export function ftes(host: Host): (FteState & { pci: string })[] {
  return host.nics.flatMap((n) => n.fw.ftes().map((f) => ({ ...f, pci: n.spec.pci })));
}

/** fs_chains reserves the last two entries of every chain table for its miss group (lib/fs_chains.c mlx5_chains_create_table, v6.18). */
const CHAINS_RESERVED_ENTRIES = 2;

/**
 * FTEs the scenario's actions made that hold a rule: entries the firmware
 * holds now and did not hold once the driver had probed, leaving out the
 * miss rules fs_chains writes into the reserved end of each new chain table.
 */
export function createdFtes(host: Host): (FteState & { pci: string })[] {
  return host.nics.flatMap((n) => {
    // A sw-owned (SMFS) table has INT_MAX entries as fs_core sees it (steering/sws/fs_dr.c mlx5_cmd_dr_create_flow_table).
    const size = new Map(n.fw.flow_tables().map((t) => [t.table_id, t.sw_owner ? 0x7fffffff : t.size]));
    // The forwarding entry of a software-steering action's own table (mirror) is part of the rule, not another one.
    const actionTables = new Set(mlx5_query_dr_fw_tables(n.core));
    return n.fw.ftes()
      .filter((f) => !actionTables.has(f.table_id))
      .filter((f) => !n.boot_ftes.has(fteKey(f)))
      .filter((f) => f.index < (size.get(f.table_id) ?? Infinity) - CHAINS_RESERVED_ENTRIES)
      .map((f) => ({ ...f, pci: n.spec.pci }));
  });
}

/**
 * STEs in the devices' steering ICM (SMFS): the match steps of the rules the
 * scenario made (as createdFtes counts them), and anchors of tables and matchers.
 */
export function steeringIcmStes(host: Host): { rule_stes: number; anchors: number; writes: number } {
  const created = new Set(createdFtes(host).filter((f) => f.steering === 'sw').map((f) => `${f.pci}/${fteKey(f)}`));
  const stes = host.nics.flatMap((n) => n.fw.icm.stes().map((s) => ({ ...s, pci: n.spec.pci })));
  return {
    rule_stes: stes.filter((s) => s.kind === 'match' && created.has(`${s.pci}/${s.table_id}/${s.owner_index}`)).length,
    anchors: stes.filter((s) => s.kind === 'anchor').length,
    writes: host.nics.reduce((a, n) => a + n.fw.icm.ste_writes, 0),
  };
}

export function tcFilters(host: Host): TcFilterState[] {
  return tc_filters(host.kernel.net).filter((f) => f.handle !== 0);
}

/** The flags words `tc filter show` prints for a flower filter. */
export function tcFlagsText(flags: number, in_hw_count: number): string {
  const w: string[] = [];
  if (flags & TCA_CLS_FLAGS_SKIP_HW) w.push('skip_hw');
  if (flags & TCA_CLS_FLAGS_SKIP_SW) w.push('skip_sw');
  if (flags & TCA_CLS_FLAGS_IN_HW) w.push('in_hw', 'in_hw_count', String(in_hw_count));
  else if (flags & TCA_CLS_FLAGS_NOT_IN_HW) w.push('not_in_hw');
  return w.join(' ');
}

/** What `tc filter show` would say of the only filter: its flags words, or `(none)`. */
export function tcFilterSummary(host: Host): string {
  const fs = tcFilters(host);
  if (fs.length === 0) return '(none)';
  if (fs.length > 1) throw new HostError(`${fs.length} tc filters exist: say which one`);
  return tcFlagsText(fs[0]!.flags, fs[0]!.in_hw_count);
}

function placementOf(f: TcFilterState): Placement {
  if (f.flags & TCA_CLS_FLAGS_IN_HW) return f.flags & TCA_CLS_FLAGS_SKIP_SW ? 'NIC hardware' : 'tc software and NIC hardware';
  return 'tc software';
}

/**
 * Where the scenario's flow lives. OVS's ufid↔tc map says whether tc holds it;
 * otherwise the kernel datapath may. With several flows, name one by ufid.
 */
export function flowPlacement(host: Host, ufid?: string): Placement {
  const maps = host.started ? host.ovs.ufid_tc_mappings() : [];
  const filters = tcFilters(host);
  const dp = ovs_dp_flows(host.kernel.net);
  const mine = ufid ? maps.filter((m) => m.ufid === ufid) : maps;
  const dpMine = ufid ? dp.filter((d) => d.ufid === ufid) : dp;
  if (!ufid && mine.length + dpMine.length > 1) {
    throw new HostError(`${mine.length} flows in tc and ${dpMine.length} in the kernel datapath: say which flow`);
  }
  const m = mine[0];
  if (m) {
    const f = filters.find((x) => x.handle === m.handle && x.prio === m.prio && x.chain === m.chain && x.dev === m.dev);
    if (!f) throw new HostError(`OVS maps ufid ${m.ufid} to ${m.dev} prio ${m.prio} handle ${m.handle}, but tc has no such filter`);
    return placementOf(f);
  }
  if (dpMine.length > 0) return 'the OVS kernel datapath';
  return 'nowhere';
}

/** The sizes (entries) of every flow table the devices' firmware holds now. */
export function flowTableSizes(host: Host): number[] {
  return host.nics.flatMap((n) => n.fw.flow_tables().map((t) => t.size));
}
