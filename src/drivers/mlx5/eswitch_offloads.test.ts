// devlink eswitch ops of mlx5 driven as the devlink core calls them: the
// refusals of mlx5.md §7.1–7.3 / §10 E1–E4 and what a mode change does to
// netdevs, firmware tables and hw-tc-offload.
import { describe, expect, it } from 'vitest';
import { EBUSY, EINVAL, EOPNOTSUPP, errnoName } from '../../kernel/include/uapi/asm-generic/errno';
import type { NetlinkExtAck } from '../../kernel/include/linux/netlink';
import {
  DEVLINK_ESWITCH_ENCAP_MODE_NONE, DEVLINK_ESWITCH_INLINE_MODE_LINK, DEVLINK_ESWITCH_INLINE_MODE_NONE,
  DEVLINK_ESWITCH_MODE_LEGACY, DEVLINK_ESWITCH_MODE_SWITCHDEV, DEVLINK_PARAM_CMODE_RUNTIME,
} from '../../kernel/include/uapi/linux/devlink';
import { dev_get_by_name, __netdev_update_features } from '../../kernel/net/core/dev';
import { Rig, deviceSpec, ipv4 } from './mlx5.testlib';
import {
  mlx5_devlink_eswitch_encap_mode_set, mlx5_devlink_eswitch_inline_mode_set, mlx5_devlink_eswitch_mode_get,
  mlx5_devlink_eswitch_mode_set,
} from './eswitch_offloads';
import { MLX5_DEVLINK_PARAM_ID_FLOW_STEERING_MODE } from './fs_core';
import type { Mlx5ePriv } from './en';

function want(call: string, got: number, expected: number): void {
  expect(errnoName(got), `${call}: got ${errnoName(got)}, want ${errnoName(expected)}`).toBe(errnoName(expected));
}

function modeSet(r: Rig, mode: number): { err: number; extack: NetlinkExtAck } {
  const extack: NetlinkExtAck = {};
  const err = r.run(() => mlx5_devlink_eswitch_mode_set(r.core, mode, extack));
  return { err, extack };
}

/** flow_steering_mode through the parameter's validate + set, as devlink's param set does. */
function fsModeSet(r: Rig, value: string): { err: number; extack: NetlinkExtAck } {
  const extack: NetlinkExtAck = {};
  const devlink = r.core.devlink!;
  const p = devlink.params.get(MLX5_DEVLINK_PARAM_ID_FLOW_STEERING_MODE)!.param;
  const err = r.run(() => p.validate!(devlink, p.id, value, extack) || p.set!(devlink, p.id, { val: value, cmode: DEVLINK_PARAM_CMODE_RUNTIME }, extack));
  return { err, extack };
}

const tables = (r: Rig, type: 'FDB' | 'NIC_RX'): number => r.fw.flow_tables().filter((t) => t.table_type === type).length;

describe('mlx5_devlink_eswitch_mode_set decision table (mlx5.md §10 E1)', () => {
  it.each([
    { name: 'switchdev → switchdev is a no-op', from: 'switchdev' as const, mode: DEVLINK_ESWITCH_MODE_SWITCHDEV, flows: 0, err: 0, extack: undefined },
    { name: 'legacy → legacy is a no-op', from: 'legacy' as const, mode: DEVLINK_ESWITCH_MODE_LEGACY, flows: 0, err: 0, extack: undefined },
    { name: 'unknown mode', from: 'switchdev' as const, mode: 7, flows: 0, err: -EINVAL, extack: undefined },
    { name: 'E1: an FDB flow offloaded on a VF rep', from: 'switchdev' as const, mode: DEVLINK_ESWITCH_MODE_LEGACY, flows: 1, err: -EBUSY, extack: "mlx5_core: Can't change mode, E-Switch is busy" },
    { name: 'E1: a NIC flow offloaded in legacy', from: 'legacy' as const, mode: DEVLINK_ESWITCH_MODE_SWITCHDEV, flows: 1, err: -EBUSY, extack: "mlx5_core: Can't change mode, E-Switch is busy" },
  ])('$name', ({ from, mode, flows, err, extack }) => {
    const r = new Rig(deviceSpec({ eswitch_mode: from }));
    const dev = from === 'switchdev' ? 'enp8s0f0_0' : 'enp8s0f0';
    if (from === 'legacy') r.run(() => __netdev_update_features(r.dev(dev), { hw_tc: true }));
    for (let i = 0; i < flows; i++) want(`configure ${dev}`, r.call(dev, r.flower({ keys: ['FLOW_DISSECTOR_KEY_CONTROL', 'FLOW_DISSECTOR_KEY_BASIC'], match: ipv4() })), 0);
    const before = r.core.priv.eswitch!.mode;
    const got = modeSet(r, mode);
    want(`mlx5_devlink_eswitch_mode_set(${mode})`, got.err, err);
    expect(got.extack._msg).toBe(extack);
    expect(r.core.priv.eswitch!.mode, 'a refused or no-op change keeps the mode').toBe(before);
  });

  it('a deleted flow no longer holds the eswitch (user_count back to 0)', () => {
    const r = new Rig();
    const f = r.flower({ match: ipv4() });
    want('configure', r.call('enp8s0f0_0', f), 0);
    expect(r.core.priv.eswitch!.user_count).toBe(1);
    want('delete', r.call('enp8s0f0_0', r.destroy(f)), 0);
    expect(r.core.priv.eswitch!.user_count).toBe(0);
    want('mode legacy', modeSet(r, DEVLINK_ESWITCH_MODE_LEGACY).err, 0);
  });
});

describe('mode change: teardown and re-creation', () => {
  it('switchdev → legacy unregisters the VF reps, drops the FDB tables and makes the PF a NIC netdev', () => {
    const r = new Rig();
    const pf = r.dev('enp8s0f0');
    const ifindex = pf.ifindex;
    expect(tables(r, 'FDB')).toBeGreaterThan(0);
    want('mode legacy', modeSet(r, DEVLINK_ESWITCH_MODE_LEGACY).err, 0);
    expect(dev_get_by_name(r.net, 'enp8s0f0_0')).toBeUndefined();
    expect(dev_get_by_name(r.net, 'enp8s0f0_1')).toBeUndefined();
    expect(r.core.rep_netdevs.size).toBe(0);
    expect(tables(r, 'FDB'), 'FDB tables destroyed in firmware').toBe(0);
    expect(tables(r, 'NIC_RX'), 'NIC RX tables (VLAN + TC miss) created').toBe(2);
    const same = r.dev('enp8s0f0');
    expect(same, 'the PF netdev is the same device').toBe(pf);
    expect(same.ifindex).toBe(ifindex);
    expect((same.priv as Mlx5ePriv).profile).toBe('mlx5e_nic_profile');
    expect(same.features.hw_tc, 'hw-tc-offload defaults off on the NIC netdev (§7.4)').toBe(false);
    expect(mlx5_devlink_eswitch_mode_get(r.core)).toEqual({ err: 0, mode: DEVLINK_ESWITCH_MODE_LEGACY });
    expect(r.hops()).toEqual(expect.arrayContaining(['mlx5_esw_try_lock', 'esw_offloads_disable', 'mlx5e_vport_rep_unload', 'unregister_netdevice', 'esw_destroy_offloads_fdb_tables', 'mlx5e_init_nic_rx']));
  });

  it('legacy → switchdev re-creates the reps (hw-tc-offload on), the uplink profile and the FDB tables', () => {
    const r = new Rig();
    want('mode legacy', modeSet(r, DEVLINK_ESWITCH_MODE_LEGACY).err, 0);
    want('mode switchdev', modeSet(r, DEVLINK_ESWITCH_MODE_SWITCHDEV).err, 0);
    for (const n of ['enp8s0f0_0', 'enp8s0f0_1']) {
      const d = r.dev(n);
      expect(d.features.hw_tc, `${n} hw-tc-offload`).toBe(true);
      expect((d.priv as Mlx5ePriv).profile).toBe('mlx5e_rep_profile');
    }
    const pf = r.dev('enp8s0f0');
    expect((pf.priv as Mlx5ePriv).profile).toBe('mlx5e_uplink_rep_profile');
    expect(pf.features.hw_tc).toBe(true);
    expect(tables(r, 'NIC_RX'), 'NIC RX tables dropped with the NIC profile').toBe(0);
    expect(tables(r, 'FDB')).toBeGreaterThan(0);
    // The FDB path works again on a re-created rep.
    want('configure on the new rep', r.call('enp8s0f0_0', r.flower({ match: ipv4() })), 0);
    expect(r.core.priv.eswitch!.offloads.num_flows).toBe(1);
  });
});

describe('inline and encap modes (mlx5.md §7.2, §7.3, §10 E3)', () => {
  it.each([
    { name: 'inline none on a NOT_REQUIRED device', set: 'inline' as const, v: DEVLINK_ESWITCH_INLINE_MODE_NONE, flows: 0, err: 0, extack: undefined },
    { name: 'inline link cannot be set', set: 'inline' as const, v: DEVLINK_ESWITCH_INLINE_MODE_LINK, flows: 0, err: -EOPNOTSUPP, extack: "mlx5_core: Inline mode can't be set" },
    { name: 'E3: encap none with an FDB flow', set: 'encap' as const, v: DEVLINK_ESWITCH_ENCAP_MODE_NONE, flows: 1, err: -EOPNOTSUPP, extack: "mlx5_core: Can't set encapsulation when flows are configured" },
    { name: 'encap none without flows rebuilds the FDB', set: 'encap' as const, v: DEVLINK_ESWITCH_ENCAP_MODE_NONE, flows: 0, err: 0, extack: undefined },
  ])('$name', ({ set, v, flows, err, extack }) => {
    const r = new Rig();
    for (let i = 0; i < flows; i++) want('configure', r.call('enp8s0f0_0', r.flower({ match: ipv4() })), 0);
    const ex: NetlinkExtAck = {};
    const got = r.run(() => (set === 'inline' ? mlx5_devlink_eswitch_inline_mode_set(r.core, v, ex) : mlx5_devlink_eswitch_encap_mode_set(r.core, v, ex)));
    want(`${set} ${v}`, got, err);
    expect(ex._msg).toBe(extack);
  });
});

describe('flow_steering_mode (mlx5.md §10 E4)', () => {
  it.each([
    { name: 'E4: any change while switchdev', mode: 'switchdev' as const, value: 'smfs', sw_owner: true, err: -EOPNOTSUPP, extack: 'mlx5_core: Changing fs mode is not supported when eswitch offloads enabled.', stored: 'dmfs' },
    { name: 'smfs in legacy with sw_owner', mode: 'legacy' as const, value: 'smfs', sw_owner: true, err: 0, extack: undefined, stored: 'smfs' },
    { name: 'smfs without sw_owner', mode: 'legacy' as const, value: 'smfs', sw_owner: false, err: -EOPNOTSUPP, extack: 'mlx5_core: Software managed steering is not supported by current device', stored: 'dmfs' },
    { name: 'hmfs on a device without hardware steering', mode: 'legacy' as const, value: 'hmfs', sw_owner: true, err: -EOPNOTSUPP, extack: 'mlx5_core: Hardware steering is not supported by current device', stored: 'dmfs' },
    { name: 'an unknown value', mode: 'legacy' as const, value: 'xyz', sw_owner: true, err: -EINVAL, extack: 'mlx5_core: Bad parameter: supported values are ["dmfs", "smfs", "hmfs"]', stored: 'dmfs' },
  ])('$name', ({ mode, value, sw_owner, err, extack, stored }) => {
    const r = new Rig(deviceSpec({ eswitch_mode: mode, caps: { sw_owner } }));
    const got = fsModeSet(r, value);
    want(`flow_steering_mode ${value}`, got.err, err);
    expect(got.extack._msg).toBe(extack);
    expect(r.core.priv.steering.mode).toBe(stored);
  });
});

describe('mirror split (mlx5_eswitch_add_fwd_rule, esw/vporttbl.c)', () => {
  const ttl10 = { id: 'FLOW_ACTION_MANGLE' as const, mangle: { htype: 2, offset: 8, mask: 0x00ffffff, val: 0x0a000000 } };

  it.each([
    { name: 'with fdb_multi_path_to_table: forward rule + rule in the vport mirror table', cap: true, err: 0, ftes: 2 },
    { name: 'without: refused', cap: false, err: -EOPNOTSUPP, ftes: 0 },
  ])('$name', ({ cap, err, ftes }) => {
    const r = new Rig(deviceSpec({ caps: { fdb_multi_path_to_table: cap } }));
    const boot = { ftes: r.fw.ftes().length, tables: tables(r, 'FDB') };
    const f = r.flower({
      match: ipv4(),
      actions: [{ id: 'FLOW_ACTION_MIRRED', dev: r.dev('enp8s0f0_1') }, ttl10, { id: 'FLOW_ACTION_REDIRECT', dev: r.dev('enp8s0f0') }],
    });
    want('REPLACE', r.call('enp8s0f0_0', f), err);
    expect(r.fw.ftes().length - boot.ftes).toBe(ftes);
    if (!cap) {
      expect(f.common.extack?._msg).toBe("mlx5_core: current firmware doesn't support split rule for port mirroring");
      return;
    }
    const fwd = r.fw.ftes().find((x) => x.destinations.some((d) => d.type === 'VPORT') && x.destinations.some((d) => d.type === 'FLOW_TABLE'))!;
    expect(fwd, 'the forward rule mirrors and jumps to the vport table').toBeDefined();
    const tbl = fwd.destinations.find((d) => d.type === 'FLOW_TABLE')!.id;
    const rule = r.fw.ftes().find((x) => x.table_id === tbl)!;
    expect(rule.action).toContain('MOD_HDR');
    want('DESTROY', r.call('enp8s0f0_0', r.destroy(f)), 0);
    expect(r.fw.ftes().length).toBe(boot.ftes);
    expect(tables(r, 'FDB')).toBe(boot.tables);
  });
});
