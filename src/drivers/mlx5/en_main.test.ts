// en_main.c: the NIC RX init and the profile change of the PF netdev when the
// eswitch leaves switchdev (mlx5e_netdev_change_profile and its rollback).
import { describe, expect, it } from 'vitest';
import { DEVLINK_ESWITCH_MODE_LEGACY } from '../../kernel/include/uapi/linux/devlink';
import type { NetlinkExtAck } from '../../kernel/include/linux/netlink';
import { EOPNOTSUPP, errnoName } from '../../kernel/include/uapi/asm-generic/errno';
import { FS_FT_NIC_RX, MLX5_CMD_OP_CREATE_FLOW_TABLE } from '../../kernel/include/linux/mlx5/mlx5_ifc';
import { Rig, ipv4 } from './mlx5.testlib';
import { mlx5_devlink_eswitch_mode_get, mlx5_devlink_eswitch_mode_set } from './eswitch_offloads';
import type { Mlx5ePriv } from './en';

describe('mlx5e_netdev_change_profile (en_main.c)', () => {
  it.each([
    { name: 'the VLAN table', fail: 1 },
    { name: 'the TC miss table', fail: 2 },
  ])('a failure creating $name unwinds, rolls back to the uplink profile, and the mode change succeeds', ({ fail }) => {
    const r = new Rig();
    const nicTables = (): number => r.fw.flow_tables().filter((t) => t.table_type === 'NIC_RX').length;
    const before = nicTables();
    // The first NIC RX table created is the VLAN table, the second the TC miss table: fail the fail-th.
    const orig = r.fw.exec.bind(r.fw);
    let creates = 0;
    r.fw.exec = (inbox) => {
      if (inbox.opcode === MLX5_CMD_OP_CREATE_FLOW_TABLE && inbox.table_type === FS_FT_NIC_RX && ++creates === fail) return { status: 0x3, syndrome: 0x1f0001 };
      return orig(inbox);
    };
    const extack: NetlinkExtAck = {};
    const err = r.run(() => mlx5_devlink_eswitch_mode_set(r.core, DEVLINK_ESWITCH_MODE_LEGACY, extack));
    expect(errnoName(err), 'mode set').toBe(errnoName(0));
    expect(mlx5_devlink_eswitch_mode_get(r.core).mode).toBe(DEVLINK_ESWITCH_MODE_LEGACY);
    expect(nicTables(), 'mlx5e_init_nic_rx left nothing behind').toBe(before);
    const priv = r.dev('enp8s0f0').priv as Mlx5ePriv;
    expect(priv.profile).toBe('mlx5e_uplink_rep_profile');
    expect(priv.fs.tc.chains).toBeNull();
    expect(r.kmsg()).toContain('mlx5_core 0000:08:00.0 enp8s0f0: mlx5e_netdev_change_profile: new profile init failed, -22');
    expect(r.hops()).toContain('mlx5e_netdev_change_profile');
  });

  it('the next filter on that netdev never throws: upstream oopses, the emulator logs it and refuses', () => {
    const r = new Rig();
    const orig = r.fw.exec.bind(r.fw);
    let failed = false;
    r.fw.exec = (inbox) => {
      if (!failed && inbox.opcode === MLX5_CMD_OP_CREATE_FLOW_TABLE && inbox.table_type === FS_FT_NIC_RX) { failed = true; return { status: 0x3, syndrome: 0x1f0001 }; }
      return orig(inbox);
    };
    r.run(() => mlx5_devlink_eswitch_mode_set(r.core, DEVLINK_ESWITCH_MODE_LEGACY, {}));
    r.bind('enp8s0f0');
    r.dev('enp8s0f0').features.hw_tc = true;
    const f = r.flower({ match: ipv4(), actions: [{ id: 'FLOW_ACTION_ACCEPT' }] });
    expect(errnoName(r.call('enp8s0f0', f))).toBe(errnoName(-EOPNOTSUPP));
    expect(r.kmsg()).toContain('BUG: kernel NULL pointer dereference, address: 0000000000000000');
  });
});
