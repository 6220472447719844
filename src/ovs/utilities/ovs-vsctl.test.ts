import { describe, it, expect } from 'vitest';
import { ovs_vsctl, type OvsdbOtherConfig } from './ovs-vsctl';

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
    [{ 'x': 'a1' }, 'other_config:x', '"a1"\n'],
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
});
