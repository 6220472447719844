// Command lines repeated at scale: one template, many numbered instances,
// each a real command through runCommand. Only the last command's trace is
// kept (the tracer restarts before each one), so a failing command at the
// end of a long run is traced like any single command.
import type { Host } from './host';
import { runCommand, type CommandResult } from './commands';
import type { Progress } from './progress';
import { createdFtes, tcFilters } from './query';
import { ovs_dp_flows } from '../kernel/query';

/** The i-th address after 10.0.0.0 (i < 2^24): 1 → 10.0.0.1, 256 → 10.0.1.0. */
export function nthIpv4(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= 1 << 24) throw new RangeError(`$ip: ${i} is outside 0..${(1 << 24) - 1} (10.0.0.0/8)`);
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}

/** The i-th MAC address after 02:00:00:00:00:00 (i < 2^32). */
export function nthMac(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i > 0xffffffff) throw new RangeError(`$mac: ${i} is outside 0..2^32-1`);
  const h = i.toString(16).padStart(8, '0');
  return `02:00:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}`;
}

/**
 * A line with its placeholders filled in for number i: `$ip` the i-th IPv4
 * address after 10.0.0.0, `$mac` the i-th MAC after 02:00:00:00:00:00, `$i`
 * the number itself.
 */
export function expandLine(line: string, i: number): string {
  let out = line;
  if (out.includes('$ip')) out = out.replaceAll('$ip', nthIpv4(i));
  if (out.includes('$mac')) out = out.replaceAll('$mac', nthMac(i));
  return out.replaceAll('$i', String(i));
}

export interface RepeatOptions {
  from: number;
  /** Last number (inclusive). */
  to: number;
  /** Stop at the first failing command (it stays the last one run). */
  stopOnFailure: boolean;
  progress?: Progress;
}

export interface RepeatResult {
  /** Commands that exited 0. */
  succeeded: number;
  /** The number of the first failing command, if one failed. */
  failedAt?: number;
  /** The last command run (the failing one, when stopped by a failure). */
  last: CommandResult | undefined;
  /** Wall time of the whole run, for rate reports. */
  ms: number;
}

/**
 * Runs `line` for i = from..to. The host's tracer starts afresh before each
 * command, so afterwards it holds the last command's trace only.
 */
export function runRepeated(host: Host, line: string, o: RepeatOptions, now: () => number = () => performance.now()): RepeatResult {
  const t0 = now();
  const total = o.to - o.from + 1;
  let succeeded = 0;
  let failedAt: number | undefined;
  let last: CommandResult | undefined;
  for (let i = o.from; i <= o.to; i++) {
    host.tracer.reset();
    last = runCommand(host, expandLine(line, i));
    if (last.exitCode === 0) succeeded++;
    else {
      failedAt ??= i;
      if (o.stopOnFailure) break;
    }
    if (o.progress && (i - o.from) % 256 === 255) o.progress.update(i - o.from + 1, total);
  }
  o.progress?.done();
  return { succeeded, failedAt, last, ms: now() - t0 };
}

/** Counts of what the host holds, for scale assertions that must not list every object. */
export interface HostCounts {
  tcFilters: number;
  createdFtes: number;
  datapathFlows: number;
  /** Firmware objects beyond what the NICs held at probe: tables and flow counters. */
  extraTables: number;
  extraCounters: number;
}

export function hostCounts(host: Host): HostCounts {
  let extraTables = 0;
  let extraCounters = 0;
  for (const nic of host.nics) {
    extraTables += nic.fw.flow_tables().filter((t) => !(nic.boot_tables?.has(t.table_id) ?? false)).length;
    extraCounters += nic.fw.counters().filter((c) => !(nic.boot_counters?.has(c.id) ?? false)).length;
  }
  return {
    tcFilters: tcFilters(host).length,
    createdFtes: createdFtes(host).length,
    datapathFlows: ovs_dp_flows(host.kernel.net).length,
    extraTables,
    extraCounters,
  };
}
