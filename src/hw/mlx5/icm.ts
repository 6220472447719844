// The device memory software-managed steering (SMFS) writes into: steering
// ICM holding steering table entries (STEs). The driver allocates chunks of
// it and writes STEs through its send ring (RDMA writes); the ASIC walks them
// from the anchors of sw-owned flow tables. Nothing here is a firmware
// command. The bit layout of an STE is not modelled: an STE records the
// table and side (RX/TX) it serves, whether it is an anchor or a match step,
// and, on the last match step of a rule, the rule's match tag and actions.
import type { FteMatchParam } from '../../kernel/include/linux/mlx5/mlx5_ifc';

/** DR_STE_SIZE (steering/sws/dr_types.h): bytes per STE. */
export const DR_STE_SIZE = 64;

/** What the last STE of a rule's chain steers by: its match tag and its actions. */
export interface SteRuleContent {
  /** The matcher's priority (upstream: the flow group's start index). */
  priority: number;
  /**
   * The fs_core FTE index of the rule. Emulator annotation, not STE bits:
   * it lets views pair a rule's STEs with the driver's FTE.
   */
  index: number;
  match_criteria_enable: number;
  match_value: FteMatchParam;
  /** e.g. ['FWD_DEST', 'COUNT'] */
  action: string[];
  destinations: { type: 'VPORT' | 'FLOW_TABLE' | 'COUNTER' | 'TIR' | 'FLOW_SAMPLER' | 'UPLINK'; id: number }[];
  flow_tag: number;
  /** With MOD_HDR: the ICM address of the rewrite actions. */
  modify_header_id?: number;
  packet_reformat_id?: number;
  exe_aso_object_id?: number;
}

export interface SteState {
  /** ICM address in STEs (chunk address + offset). */
  addr: number;
  table_id: number;
  nic: 'rx' | 'tx';
  kind: 'anchor' | 'match';
  /** Match steps: the fs_core FTE index of the rule they belong to (emulator annotation, as rule.index). */
  owner_index?: number;
  rule?: SteRuleContent;
}

/** One allocated chunk of steering ICM. */
export interface IcmChunkState {
  addr: number;
  num_entries: number;
  /** STEs written into the chunk so far. */
  written: number;
}

/** What an STE write carries (the address is the chunk's plus the offset). */
export type SteWrite = Omit<SteState, 'addr'>;

/**
 * Steering ICM of one device. Capacity is in STEs (the device's
 * log_steering_sw_icm_size over DR_STE_SIZE). Chunks are handed out from
 * increasing addresses (deterministic, never reused within a run).
 */
export class Mlx5SwIcm {
  private readonly chunks = new Map<number, { n: number; stes: (SteWrite | null)[] }>();
  private nextAddr = 0x1000;
  private used = 0;
  /** Counter actions in written STEs of live chunks, per counter id (DEALLOC_FLOW_COUNTER checks it). */
  private readonly counterUses = new Map<number, number>();
  /** STEs written through the send ring since the device came up. */
  ste_writes = 0;

  constructor(readonly capacity: number) {}

  /** Entries of steering ICM in use (STE chunks and modify-header action chunks). */
  used_entries(): number {
    return this.used;
  }

  /** Takes `n` entries of ICM; null when the memory is exhausted. */
  alloc(n: number): number | null {
    if (this.used + n > this.capacity) return null;
    const addr = this.nextAddr;
    this.nextAddr += n;
    this.used += n;
    this.chunks.set(addr, { n, stes: Array.from({ length: n }, () => null) });
    return addr;
  }

  /** Gives a chunk back; what it held no longer steers anything. */
  free(addr: number): void {
    const c = this.chunks.get(addr);
    if (!c) throw new Error(`icm free: no chunk at 0x${addr.toString(16)}`);
    this.used -= c.n;
    for (const s of c.stes) if (s) this.count_counters(s, -1);
    this.chunks.delete(addr);
  }

  /** An RDMA write of one STE into an allocated chunk. */
  write_ste(addr: number, offset: number, ste: SteWrite): void {
    const c = this.chunks.get(addr);
    if (!c || offset >= c.n) throw new Error(`icm write: no chunk entry at 0x${addr.toString(16)}+${offset}`);
    const old = c.stes[offset];
    if (old) this.count_counters(old, -1);
    const written: SteWrite = { ...ste, ...(ste.rule ? { rule: { ...ste.rule, match_value: { ...ste.rule.match_value }, destinations: ste.rule.destinations.map((d) => ({ ...d })) } } : {}) };
    c.stes[offset] = written;
    this.count_counters(written, 1);
    this.ste_writes++;
  }

  /** Whether a written STE of a live chunk counts into this flow counter. */
  counter_in_use(id: number): boolean {
    return this.counterUses.has(id);
  }

  private count_counters(s: SteWrite, delta: 1 | -1): void {
    if (!s.rule) return;
    for (const d of s.rule.destinations) {
      if (d.type !== 'COUNTER') continue;
      const n = (this.counterUses.get(d.id) ?? 0) + delta;
      if (n > 0) this.counterUses.set(d.id, n);
      else this.counterUses.delete(d.id);
    }
  }

  /**
   * Emulator bookkeeping, not a write: names the table a chunk's STEs serve
   * once the firmware has given the table its id.
   */
  set_table(addr: number, table_id: number): void {
    const c = this.chunks.get(addr);
    if (!c) throw new Error(`icm set_table: no chunk at 0x${addr.toString(16)}`);
    for (const s of c.stes) if (s) s.table_id = table_id;
  }

  // ---- pure views -----------------------------------------------------------

  chunk_states(): IcmChunkState[] {
    return [...this.chunks.entries()].map(([addr, c]) => ({ addr, num_entries: c.n, written: c.stes.filter((s) => s !== null).length }));
  }

  /** Every written STE of a live chunk, by address. */
  stes(): SteState[] {
    const out: SteState[] = [];
    for (const [addr, c] of this.chunks) {
      c.stes.forEach((s, i) => { if (s) out.push({ addr: addr + i, ...s }); });
    }
    return out;
  }
}
