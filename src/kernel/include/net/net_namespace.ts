// include/net/net_namespace.h: struct net. One emulated host has one network
// namespace; everything the real kernel keeps in statics or per-netns lives
// here, so two hosts in one process never share state.
import type { NetDevice } from '../linux/netdevice';

export interface KmsgLine {
  level: 'emerg' | 'err' | 'warn' | 'info' | 'dbg';
  text: string;
}

export interface Net {
  /** Devices by ifindex and by name (net/core/dev.c lists). */
  dev_by_index: Map<number, NetDevice>;
  dev_by_name: Map<string, NetDevice>;
  /** Next ifindex dev_new_index hands out. */
  ifindex_next: number;
  /** The kernel log ring (what dmesg prints). */
  kmsg: KmsgLine[];
  printk(level: KmsgLine['level'], text: string): void;
  /** Per-subsystem state, keyed by subsystem (net_generic()). */
  gen: Map<string, unknown>;
  /** The host's tick counter (include/linux/jiffies.h), injected so dumps are reproducible. */
  jiffies: () => number;
}

/** net_generic(): a subsystem's per-netns state, created on first use. */
export function net_generic<T>(net: Net, id: string, init: () => T): T {
  let v = net.gen.get(id) as T | undefined;
  if (v === undefined) {
    v = init();
    net.gen.set(id, v);
  }
  return v;
}
