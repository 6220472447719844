import { describe, it, expect } from 'vitest';
import { ovs_vsctl, type OvsdbNewPort, type OvsdbOtherConfig } from './ovs-vsctl';

function db(init: Record<string, string> = {}): OvsdbOtherConfig & { commits: [Record<string, string>, readonly string[]][] } {
  const data = { ...init };
  const commits: [Record<string, string>, readonly string[]][] = [];
  return {
    commits,
    get: () => data,
    commit(set, remove) {
      commits.push([set, remove]);
      Object.assign(data, set);
      for (const k of remove) delete data[k];
    },
  };
}

describe('ovs-vsctl other_config', () => {
  it('sets several keys in one transaction', () => {
    const d = db();
    expect(ovs_vsctl(['set', 'Open_vSwitch', '.', 'other_config:hw-offload=true', 'other_config:tc-policy=skip_sw'], d).exitCode).toBe(0);
    expect(d.commits).toEqual([[{ 'hw-offload': 'true', 'tc-policy': 'skip_sw' }, []]]);
  });

  it.each([
    [{ 'hw-offload': 'true' }, 'other_config:hw-offload', '"true"\n'],
    [{ 'tc-policy': 'skip_sw' }, 'other_config:tc-policy', 'skip_sw\n'],
    [{ 'max-idle': '10000' }, 'other_config:max-idle', '"10000"\n'],
    [{ 'x': 'a1' }, 'other_config:x', 'a1\n'], // digits after the first character print bare (v3.6.3)
    [{ 'x': '1a' }, 'other_config:x', '"1a"\n'],
    [{ 'tc-policy': 'none', 'hw-offload': 'true' }, 'other_config', '{hw-offload="true", tc-policy=none}\n'],
  ])('get prints OVSDB atoms (%j %s)', (init, arg, out) => {
    expect(ovs_vsctl(['get', 'Open_vSwitch', '.', arg], db(init))).toEqual({ exitCode: 0, stdout: out, stderr: '' });
  });

  it.each([
    [['get', 'Open_vSwitch', '.', 'other_config:tc-policy'], 'ovs-vsctl: no key "tc-policy" in Open_vSwitch record "." column other_config\n'],
    [['set', 'Bridge', '.', 'other_config:x=y'], 'ovs-vsctl: unknown table "Bridge"\n'],
    [['set', 'Open_vSwitch', '.', 'other_confg:x=y'], 'ovs-vsctl: Open_vSwitch does not contain a column whose name matches "other_confg"\n'],
    [['frobnicate'], "ovs-vsctl: unknown command 'frobnicate'; use --help for help\n"],
  ])('%j fails as ovs-vsctl does', (argv, stderr) => {
    expect(ovs_vsctl(argv, db())).toEqual({ exitCode: 1, stdout: '', stderr });
  });

  it('removes keys', () => {
    const d = db({ 'hw-offload': 'true' });
    ovs_vsctl(['remove', 'Open_vSwitch', '.', 'other_config', 'hw-offload'], d);
    expect(d.get()).toEqual({});
  });

  it.each([
    ['tc-policy=skip_hw', { 'tc-policy': 'skip_sw' }],
    ['tc-policy=skip_sw', {}],
    ['nosuch', { 'tc-policy': 'skip_sw' }],
  ])('remove %s removes only a matching pair (absent keys are no error)', (arg, want) => {
    const d = db({ 'tc-policy': 'skip_sw' });
    expect(ovs_vsctl(['remove', 'Open_vSwitch', '.', 'other_config', arg], d).exitCode).toBe(0);
    expect(d.get()).toEqual(want);
  });

  it('show prints the bridge tree with the internal bridge port and ovs_version', () => {
    const d = { ...db(), bridges: () => [{ name: 'br0', ports: [{ name: 'enp8s0f0', type: 'system' }, { name: 'enp8s0f0_0', type: 'system' }] }] };
    const r = ovs_vsctl(['show'], d);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lines[1]).toBe('    Bridge br0');
    expect(r.stdout).toContain('        Port br0\n            Interface br0\n                type: internal\n');
    expect(r.stdout).toContain('        Port enp8s0f0_0\n            Interface enp8s0f0_0\n');
    expect(r.stdout.endsWith('    ovs_version: "3.6.3"\n')).toBe(true);
    expect(ovs_vsctl(['show'], d).stdout).toBe(r.stdout); // reproducible
  });
});

describe('ovs-vsctl add-port / del-port (cmd_add_port, cmd_del_port)', () => {
  function portsDb(errors: Record<string, string> = {}): OvsdbOtherConfig & { txns: [readonly OvsdbNewPort[], readonly string[]][] } {
    const txns: [readonly OvsdbNewPort[], readonly string[]][] = [];
    return {
      txns,
      get: () => ({}),
      commit: () => undefined,
      bridges: () => [{ name: 'br0', ports: [{ name: 'p1', type: '' }, { name: 'p2', type: '' }] }, { name: 'br1', ports: [] }],
      commit_ports(add, del) {
        txns.push([add, del]);
        return new Map(Object.entries(errors));
      },
    };
  }

  it('add-port with -- set Interface is one transaction with the type and options', () => {
    const d = portsDb();
    const r = ovs_vsctl(['add-port', 'br0', 'vx', '--', 'set', 'Interface', 'vx', 'type=vxlan', 'options:key=flow', 'options:dst_port=4789'], d);
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(d.txns).toEqual([[[{ bridge: 'br0', name: 'vx', type: 'vxlan', options: { key: 'flow', dst_port: '4789' } }], []]]);
  });

  it.each([
    [['add-port', 'br9', 'x'], 'ovs-vsctl: no bridge named br9\n'],
    [['add-port', 'br9', 'p1'], 'ovs-vsctl: cannot create a port named p1 because a port named p1 already exists on bridge br0\n'],
    [['add-port', 'br0', 'br1'], 'ovs-vsctl: cannot create a port named br1 because a bridge named br1 already exists\n'],
    [['add-port', 'br0'], "ovs-vsctl: 'add-port' command requires at least 2 arguments\n"],
    [['--may-exist', 'add-port', 'br1', 'p1'], 'ovs-vsctl: "add-port br1 p1" but p1 is actually attached to bridge br0\n'],
    [['del-port', 'nope'], 'ovs-vsctl: no port named nope\n'],
    [['del-port', 'br1', 'p1'], 'ovs-vsctl: bridge br1 does not have a port p1\n'],
    [['del-port', 'br0'], 'ovs-vsctl: cannot delete port br0 because it is the local port for bridge br0 (deleting this port requires deleting the entire bridge)\n'],
    [['add-port', 'br0', 'x', '--', 'set', 'Interface', 'y', 'type=vxlan'], 'ovs-vsctl: no row "y" in table Interface\n'],
  ])('ovs-vsctl %j: exit 1, nothing committed', (argv, stderr) => {
    const d = portsDb();
    expect(ovs_vsctl(argv, d)).toEqual({ exitCode: 1, stdout: '', stderr });
    expect(d.txns).toEqual([]);
  });

  it('--may-exist / --if-exists commit nothing new', () => {
    const d = portsDb();
    expect(ovs_vsctl(['--may-exist', 'add-port', 'br0', 'p1'], d).exitCode).toBe(0);
    expect(ovs_vsctl(['--if-exists', 'del-port', 'nope'], d).exitCode).toBe(0);
    expect(d.txns).toEqual([[[], []], [[], []]]);
  });

  it('an interface ovs-vswitchd could not set up: post_db_reload_do_checks, exit 65', () => {
    const d = portsDb({ x: 'could not open network device x (No such device)' });
    expect(ovs_vsctl(['add-port', 'br0', 'x'], d)).toEqual({
      exitCode: 65, stdout: '',
      stderr: "ovs-vsctl: Error detected while setting up 'x': could not open network device x (No such device).  See ovs-vswitchd log for details.\n"
        + 'ovs-vsctl: The default log directory is "/var/log/openvswitch".\n',
    });
  });
});
