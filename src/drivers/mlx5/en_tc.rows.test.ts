// The rows of the mlx5 decision table (mlx5.md §10) not covered by
// en_tc.test.ts, driven as the kernel drives the driver: ndo_setup_tc for
// binds, then the block callback with flower requests.
import { describe, expect, it } from 'vitest';
import { EBUSY, EINVAL, ENODEV, ENOENT, EOPNOTSUPP, errnoName } from '../../kernel/include/uapi/asm-generic/errno';
import { TC_SETUP_BLOCK, TC_SETUP_CLSMATCHALL } from '../../kernel/include/linux/netdevice';
import {
  FLOW_ACTION_HW_STATS_DISABLED, FLOW_ACTION_HW_STATS_IMMEDIATE, FLOW_BLOCK_UNBIND, FLOW_CLS_TMPLT_CREATE,
} from '../../kernel/include/net/flow_offload';
import { register_netdevice } from '../../kernel/net/core/dev';
import { soft_netdev } from '../../kernel/drivers/net/dummy';
import { MLX5_INLINE_MODE_L2 } from './eswitch';
import { Rig, deviceSpec, drop, ipv4, mirror, redirect, type ActionOpt, type FlowerOpts } from './mlx5.testlib';

function want(call: string, got: number, expected: number): void {
  expect(errnoName(got), `${call}: got ${errnoName(got)}, want ${errnoName(expected)}`).toBe(errnoName(expected));
}

function legacy(over: Parameters<typeof deviceSpec>[0] = {}): Rig {
  const r = new Rig(deviceSpec({ eswitch_mode: 'legacy', ...over }));
  r.dev('enp8s0f0').features.hw_tc = true;
  return r;
}

describe('binding and callbacks (mlx5.md §10 B3–B7)', () => {
  it('B3: unbinding a block the driver never bound is -ENOENT', () => {
    const r = new Rig();
    const dev = r.dev('enp8s0f0_0');
    const bo = { ...r.blockOffload(), command: FLOW_BLOCK_UNBIND };
    want('ndo_setup_tc(UNBIND)', r.run(() => dev.netdev_ops.ndo_setup_tc!(dev, TC_SETUP_BLOCK, bo)), -ENOENT);
  });

  it('B4: mlx5e_setup_tc on a detached netdev is -ENODEV, but unbind still goes through', () => {
    const r = legacy();
    const dev = r.dev('enp8s0f0');
    dev.present = false;
    want('ndo_setup_tc(BIND)', r.bind('enp8s0f0'), -ENODEV);
    const bo = { ...r.blockOffload(), command: FLOW_BLOCK_UNBIND };
    want('ndo_setup_tc(UNBIND)', r.run(() => dev.netdev_ops.ndo_setup_tc!(dev, TC_SETUP_BLOCK, bo)), -ENOENT);
  });

  it('B5: the NIC/uplink block callback refuses matchall (only flower)', () => {
    const r = new Rig();
    want('bind', r.bind('enp8s0f0'), 0);
    const cb = r.drv.mlx5e_block_cb_list[0]!;
    want('cb(CLSMATCHALL)', r.run(() => cb.cb(TC_SETUP_CLSMATCHALL, {}, cb.cb_priv)), -EOPNOTSUPP);
  });

  it.each(['enp8s0f0', 'enp8s0f0_0'])('B6: %s no longer present: the block callback is -EOPNOTSUPP', (name) => {
    const r = new Rig();
    want('bind', r.bind(name), 0);
    r.dev(name).present = false;
    want('REPLACE', r.call(name, r.flower({ match: ipv4() })), -EOPNOTSUPP);
    expect(r.fw.ftes().filter((f) => f.match_criteria_enable)).toEqual([]);
  });

  it.each(['enp8s0f0', 'enp8s0f0_0'])('B7: FLOW_CLS_TMPLT_CREATE on %s is -EOPNOTSUPP', (name) => {
    const r = new Rig();
    const f = { ...r.flower({ match: ipv4() }), command: FLOW_CLS_TMPLT_CREATE as 3 };
    want('TMPLT_CREATE', r.call(name, f), -EOPNOTSUPP);
  });
});

describe('configure_flower preconditions (mlx5.md §10 C1, C2)', () => {
  it('C1: while an eswitch mode change is in progress, REPLACE is -EBUSY without extack', () => {
    const r = new Rig();
    r.core.priv.eswitch!.eswitch_operation_in_progress = true;
    const f = r.flower({ match: ipv4() });
    want('REPLACE', r.call('enp8s0f0_0', f), -EBUSY);
    expect(f.common.extack?._msg).toBeUndefined();
    expect(r.core.priv.eswitch!.user_count).toBe(0);
  });

  it('C2: IPsec offload blocking TC refuses filters on the PF netdev only (-EBUSY), not on VF reps', () => {
    const r = new Rig();
    r.core.num_block_tc = 1;
    const f = r.flower({ match: ipv4() });
    want('REPLACE on the uplink', r.call('enp8s0f0', f), -EBUSY);
    expect(f.common.extack?._msg).toBeUndefined();
    want('REPLACE on a VF rep', r.call('enp8s0f0_0', r.flower({ match: ipv4() })), 0);
    expect(r.core.num_block_ipsec).toBe(0);
  });

  it('C2: a TC flow on the PF blocks IPsec (num_block_ipsec) until it is deleted', () => {
    const r = legacy();
    const f = r.flower({ match: ipv4() });
    want('REPLACE', r.call('enp8s0f0', f), 0);
    expect(r.core.num_block_ipsec).toBe(1);
    want('DESTROY', r.call('enp8s0f0', r.destroy(f)), 0);
    expect(r.core.num_block_ipsec).toBe(0);
  });
});

describe('match rows (mlx5.md §10 M3, M7, M9, M10, M11)', () => {
  const cases: { name: string; opts: FlowerOpts; err: number; msg?: string }[] = [
    {
      name: 'M3: ICMP type with ip_proto tcp',
      opts: { keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_ICMP'], match: (k, m) => { ipv4(6)(k, m); k.icmp.type = 8; m.icmp.type = 0xff; } },
      err: -EINVAL, msg: 'mlx5_core: Code and type matching only with ICMP and ICMPv6',
    },
    {
      name: 'M7: MPLS on a device that is not bareudp',
      opts: { keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC', 'FLOW_DISSECTOR_KEY_MPLS'] },
      err: -EOPNOTSUPP, msg: 'mlx5_core: Matching on MPLS is supported only for MPLS over UDP',
    },
    {
      name: 'M9: l2_miss',
      opts: { keys: ['FLOW_DISSECTOR_KEY_META', 'FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC'], match: (k, m) => { k.meta.l2_miss = 1; m.meta.l2_miss = 1; } },
      err: -EOPNOTSUPP, msg: 'mlx5_core: Can\'t match on "l2_miss"',
    },
    {
      name: 'M9: partial ingress_ifindex mask',
      opts: { keys: ['FLOW_DISSECTOR_KEY_META', 'FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC'], match: (k, m) => { k.meta.ingress_ifindex = 3; m.meta.ingress_ifindex = 0xff; } },
      err: -EOPNOTSUPP, msg: 'mlx5_core: Unsupported ingress ifindex mask',
    },
    {
      name: 'M9: unknown ingress ifindex',
      opts: { keys: ['FLOW_DISSECTOR_KEY_META', 'FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC'], match: (k, m) => { k.meta.ingress_ifindex = 999; m.meta.ingress_ifindex = 0xffffffff; } },
      err: -ENOENT, msg: "mlx5_core: Can't find the ingress port to match on",
    },
  ];
  it.each(cases)('$name', ({ opts, err, msg }) => {
    const r = new Rig();
    const f = r.flower(opts);
    want('REPLACE', r.call('enp8s0f0_0', f), err);
    expect(f.common.extack?._msg).toBe(msg);
  });

  it('M9: ingress_ifindex of another port is refused; of the filter port it is accepted', () => {
    const r = new Rig();
    const meta = (ifindex: number): FlowerOpts => ({
      keys: ['FLOW_DISSECTOR_KEY_META', 'FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC'],
      match: (k, m) => { k.meta.ingress_ifindex = ifindex; m.meta.ingress_ifindex = 0xffffffff; },
    });
    const f = r.flower(meta(r.dev('enp8s0f0_1').ifindex));
    want('REPLACE other port', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: Can't match on the ingress filter port");
    want('REPLACE own port', r.call('enp8s0f0_0', r.flower(meta(r.dev('enp8s0f0_0').ifindex))), 0);
  });

  it('M10: min inline L2 on a VF rep refuses an L3 match; the uplink is exempt', () => {
    const r = new Rig();
    r.core.priv.eswitch!.offloads.inline_mode = MLX5_INLINE_MODE_L2;
    const f = r.flower({ match: ipv4() });
    want('REPLACE on VF rep', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Flow is not offloaded due to min inline setting');
    expect(r.kmsg().join('\n')).toContain('Flow is not offloaded due to min inline setting, required 2 actual 1');
    want('REPLACE on uplink', r.call('enp8s0f0', r.flower({ match: ipv4() })), 0);
    // An L2-only match fits.
    want('REPLACE L2 on VF rep', r.call('enp8s0f0_0', r.flower({ match: (k, m) => { k.basic.n_proto = 0x0800; m.basic.n_proto = 0xffff; } })), 0);
  });

  it('M11: ip_proto without eth_type is accepted by the driver', () => {
    const r = new Rig();
    const f = r.flower({ match: (k, m) => { k.basic.ip_proto = 17; m.basic.ip_proto = 0xff; } });
    want('REPLACE', r.call('enp8s0f0_0', f), 0);
    const fte = r.fw.ftes().find((x) => x.match_criteria_enable)!;
    expect(fte.match_value['outer_headers.ip_protocol']).toBe(17);
    expect(fte.match_value['outer_headers.ethertype']).toBeUndefined();
  });
});

describe('action rows (mlx5.md §10 A2, A4, A6, A7, A8, A13, A14)', () => {
  it.each([
    { name: 'immediate', hw_stats: FLOW_ACTION_HW_STATS_IMMEDIATE },
    { name: 'disabled', hw_stats: FLOW_ACTION_HW_STATS_DISABLED },
  ])('A2: hw_stats $name is -EOPNOTSUPP', ({ hw_stats }) => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [{ ...drop(), hw_stats }] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe('mlx5_core: Flow action HW stats type is not supported');
  });

  function withDummy(r: Rig): ReturnType<Rig['dev']> {
    const d = soft_netdev(r.net, 'dummy0', 'dummy');
    expect(register_netdevice(r.net, d)).toBe(0);
    return d;
  }

  it('A4: FDB redirect to a device on other HW, filter on the mlx5 netdev', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [redirect(withDummy(r))] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: devices are not on same switch HW, can't offload forwarding");
  });

  it('A6: FDB mirred whose device vanished (act->dev NULL) is refused silently', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4(), actions: [redirect(null)] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBeUndefined();
  });

  it('A7: NIC redirect to a non-mlx5e device', () => {
    const r = legacy();
    const f = r.flower({ match: ipv4(), actions: [redirect(withDummy(r))] });
    want('REPLACE', r.call('enp8s0f0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: devices are not on same switch HW, can't offload forwarding");
  });

  it('A8: the 33rd output is refused (MLX5_MAX_FLOW_FWD_VPORTS = 32)', () => {
    const r = new Rig(deviceSpec({ num_vfs: 40 }));
    const outs = (n: number): ActionOpt[] => Array.from({ length: n }, (_, i) => mirror(r.dev(`enp8s0f0_${i + 1}`)));
    want('REPLACE 32 outputs', r.call('enp8s0f0_0', r.flower({ match: ipv4(), actions: outs(32) })), 0);
    const f = r.flower({ match: ipv4(), actions: outs(33) });
    want('REPLACE 33 outputs', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe("mlx5_core: can't support more output ports, can't offload forwarding");
  });

  it.each([
    { name: 'A13: goto a lower chain without backwards support', chain: 2, dest: 1, msg: "mlx5_core: Goto lower numbered chain isn't supported" },
    { name: 'A13: goto the same chain', chain: 2, dest: 2, msg: "mlx5_core: Goto lower numbered chain isn't supported" },
    { name: 'A14: goto beyond FDB_TC_MAX_CHAIN', chain: 0, dest: 4, msg: 'mlx5_core: Requested destination chain is out of supported range' },
  ])('$name', ({ chain, dest, msg }) => {
    const r = new Rig(deviceSpec({ caps: { ignore_flow_level: false } }));
    const f = r.flower({ chain, match: ipv4(), actions: [{ id: 'FLOW_ACTION_GOTO', chain_index: dest }] });
    want('REPLACE', r.call('enp8s0f0_0', f), -EOPNOTSUPP);
    expect(f.common.extack?._msg).toBe(msg);
  });

  it('goto forward with ignore_flow_level: backwards goto is allowed', () => {
    const r = new Rig();
    want('REPLACE', r.call('enp8s0f0_0', r.flower({ chain: 2, match: ipv4(), actions: [{ id: 'FLOW_ACTION_GOTO', chain_index: 1 }] })), 0);
  });
});
