// Test harness for the mlx5 driver: brings up one device the way the host
// does, binds a clsact-ingress block through ndo_setup_tc as cls_api would,
// and offers flower requests built like cls_flower builds them.
import { Tracer, withTracer, type Hop } from '../../trace/hop';
import { net_alloc, dev_get_by_name } from '../../kernel/net/core/dev';
import type { Net } from '../../kernel/include/net/net_namespace';
import { TC_SETUP_BLOCK, TC_SETUP_CLSFLOWER, type NetDevice } from '../../kernel/include/linux/netdevice';
import {
  FLOW_ACTION_HW_STATS_ANY, FLOW_BLOCK_BIND, FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS, FLOW_CLS_DESTROY,
  FLOW_CLS_REPLACE, FLOW_CLS_STATS, flow_stats_zero,
  type FlowActionEntry, type FlowBlockCb, type FlowBlockOffload, type FlowClsOffload,
} from '../../kernel/include/net/flow_offload';
import { flow_keys_zero, type FlowDissectorKeyId, type FlowKeys } from '../../kernel/include/net/flow_dissector';
import type { NetlinkExtAck } from '../../kernel/include/linux/netlink';
import type { NegErrno } from '../../kernel/include/uapi/asm-generic/errno';
import type { Mlx5Caps, Mlx5DeviceSpec } from '../../host/topology';
import { Mlx5Firmware } from '../../hw/mlx5/firmware';
import { mlx5_driver_create, mlx5_init_one, type Mlx5CoreDev, type Mlx5Driver } from './main';

export const DEFAULT_CAPS: Mlx5Caps = {
  ignore_flow_level: true, outer_ipv4_ttl: true, outer_second_vid: true, flex_parser_icmp: true, log_max_ft_size: 23,
};

export function deviceSpec(over: Partial<Omit<Mlx5DeviceSpec, 'caps'>> & { caps?: Partial<Mlx5Caps> } = {}): Mlx5DeviceSpec {
  const mode = over.eswitch_mode ?? 'switchdev';
  return {
    pci: '0000:08:00.0', model: 'ConnectX-6 Dx', eswitch_mode: mode, flow_steering_mode: 'dmfs',
    num_vfs: mode === 'switchdev' ? 2 : 0, uplink: 'enp8s0f0',
    representors: mode === 'switchdev' ? ['enp8s0f0_0', 'enp8s0f0_1'] : [],
    ...over,
    caps: { ...DEFAULT_CAPS, ...over.caps },
  };
}

export class Rig {
  readonly tracer = new Tracer();
  readonly net: Net = net_alloc();
  readonly drv: Mlx5Driver;
  readonly fw: Mlx5Firmware;
  readonly core: Mlx5CoreDev;
  private cookie = 0x1000;
  private readonly bound = new Map<string, FlowBlockCb>();

  constructor(readonly spec: Mlx5DeviceSpec = deviceSpec()) {
    this.drv = mlx5_driver_create({ pid: 4242 });
    this.fw = new Mlx5Firmware(spec);
    const core = this.run(() => mlx5_init_one(this.net, this.drv, spec, this.fw));
    if (typeof core === 'number') throw new Error(`mlx5_init_one: got ${core}, want a device`);
    this.core = core;
    this.tracer.reset();
  }

  run<T>(fn: () => T): T {
    return withTracer(this.tracer, fn);
  }

  dev(name: string): NetDevice {
    const d = dev_get_by_name(this.net, name);
    if (!d) throw new Error(`no netdev ${name}`);
    return d;
  }

  blockOffload(binder_type = FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS): FlowBlockOffload {
    return {
      command: FLOW_BLOCK_BIND, binder_type, block_shared: false, unlocked_driver_cb: false,
      block: { cb_list: [] }, cb_list: [], driver_block_list: null, extack: null,
    };
  }

  /** ndo_setup_tc(TC_SETUP_BLOCK) as tcf_block_offload_bind does it. */
  bind(name: string, bo = this.blockOffload()): NegErrno | 0 {
    const dev = this.dev(name);
    const err = this.run(() => dev.netdev_ops.ndo_setup_tc!(dev, TC_SETUP_BLOCK, bo));
    if (!err) {
      bo.block.cb_list.push(...bo.cb_list);
      this.bound.set(name, bo.cb_list[0]!);
    }
    return err;
  }

  /** The block callback call __tc_setup_cb_call makes. */
  call(name: string, cls: FlowClsOffload): 0 | NegErrno {
    let cb = this.bound.get(name);
    if (!cb) {
      const err = this.bind(name);
      if (err) throw new Error(`bind ${name}: got ${err}`);
      cb = this.bound.get(name)!;
    }
    return this.run(() => cb.cb(TC_SETUP_CLSFLOWER, cls, cb.cb_priv));
  }

  flower(opts: FlowerOpts = {}): FlowClsOffload {
    const key = flow_keys_zero();
    const mask = flow_keys_zero();
    opts.match?.(key, mask);
    const extack: NetlinkExtAck = {};
    return {
      common: { chain_index: opts.chain ?? 0, protocol: 0x0800, prio: opts.prio ?? 1, skip_sw: false, extack },
      command: FLOW_CLS_REPLACE,
      use_act_stats: false,
      cookie: opts.cookie ?? this.cookie++,
      rule: {
        match: { dissector: { used_keys: new Set(opts.keys ?? ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC']) }, key, mask },
        action: { entries: (opts.actions ?? [drop()]).map((a) => ({ hw_stats: FLOW_ACTION_HW_STATS_ANY, hw_index: 0, ...a })) },
      },
      stats: flow_stats_zero(),
      classid: 0,
    };
  }

  destroy(f: FlowClsOffload): FlowClsOffload {
    return { ...f, command: FLOW_CLS_DESTROY, rule: null, common: { ...f.common, extack: {} } };
  }

  stats(f: FlowClsOffload): FlowClsOffload {
    return { ...f, command: FLOW_CLS_STATS, rule: null, stats: flow_stats_zero(), common: { ...f.common, extack: {} } };
  }

  /** Hop names in entry order, optionally only those of one lane. */
  hops(layer?: Hop['layer']): string[] {
    return this.tracer.all().filter((h) => !layer || h.layer === layer).map((h) => h.fn);
  }

  kmsg(): string[] {
    return this.net.kmsg.map((l) => l.text);
  }
}

export interface FlowerOpts {
  chain?: number;
  prio?: number;
  cookie?: number;
  keys?: FlowDissectorKeyId[];
  match?: (key: FlowKeys, mask: FlowKeys) => void;
  actions?: ActionOpt[];
}

/** An action entry as a test writes it: the id, plus whatever it needs. */
export type ActionOpt = Partial<FlowActionEntry> & Pick<FlowActionEntry, 'id'>;

export const drop = (): ActionOpt => ({ id: 'FLOW_ACTION_DROP' });
export const redirect = (dev: NetDevice | null): ActionOpt => ({ id: 'FLOW_ACTION_REDIRECT', dev });
export const mirror = (dev: NetDevice | null): ActionOpt => ({ id: 'FLOW_ACTION_MIRRED', dev });

/** eth_type ipv4 + ip_proto (tcp by default) as flower sets them. */
export function ipv4(ip_proto = 6): (k: FlowKeys, m: FlowKeys) => void {
  return (k, m) => {
    k.basic.n_proto = 0x0800; m.basic.n_proto = 0xffff;
    k.basic.ip_proto = ip_proto; m.basic.ip_proto = 0xff;
  };
}
