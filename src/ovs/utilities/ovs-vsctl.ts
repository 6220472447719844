// utilities/ovs-vsctl.c (v3.6.3): the Open_vSwitch table's other_config
// column, the part of the database offload depends on, and the Port and
// Interface rows add-port / del-port edit. ovs-vsctl edits the
// database; ovs-vswitchd reacts on its next bridge_run (done by the host). `show` prints the Bridge/Port/Interface tree.
import { createHash } from 'node:crypto';

export interface OvsdbOtherConfig {
  get(): Readonly<Record<string, string>>;
  /** Commits one transaction: every key set and removed by one command. */
  commit(set: Record<string, string>, remove: readonly string[]): void;
  /** The Bridge/Port/Interface rows, for `show` (absent: no bridges). */
  bridges?(): readonly OvsdbBridge[];
  /**
   * Commits Port/Interface row changes (add-port, del-port) in one
   * transaction and waits for ovs-vswitchd to apply it, as ovs-vsctl does;
   * returns the Interface error column of the added interfaces.
   */
  commit_ports?(add: readonly OvsdbNewPort[], del: readonly string[]): ReadonlyMap<string, string>;
}

/** A Port row with its one Interface, as add-port [-- set Interface …] makes it. */
export interface OvsdbNewPort {
  bridge: string;
  name: string;
  type: string;
  options: Record<string, string>;
}

/** A Bridge row with its Port rows (one Interface each, of the same name). */
export interface OvsdbBridge {
  name: string;
  /** Interface type: "" / "system" print nothing, "internal" prints `type: internal`. */
  ports: readonly { name: string; type: string; options?: Readonly<Record<string, string>> }[];
}

/** The ovs_version column ovs-vswitchd writes (vswitchd/bridge.c). */
const OVS_VERSION = '3.6.3';

export interface VsctlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// lib/ovsdb-data.c string_needs_quotes (v3.6.3): a letter or '_' first, then
// letters, digits, '_', '-' and '.' prints bare; anything else, the words
// true/false and UUID-shaped strings are quoted.
function ovsdb_atom_to_string(s: string): string {
  const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s);
  const bare = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && s !== 'true' && s !== 'false' && !uuid;
  return bare ? s : JSON.stringify(s);
}

/**
 * A row's UUID. OVSDB assigns random ones; here they are derived from the
 * row so output is reproducible (and, as upstream, sets of references are
 * listed in UUID order).
 */
function row_uuid(table: string, name: string): string {
  const h = createHash('sha256').update(`${table}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * cmd_show (lib/db-ctl-base.c cmd_show_row over vsctl's cmd_show_tables):
 * the Open_vSwitch row by UUID, its bridges, their ports and interfaces by
 * name, each reference set in UUID order, non-default columns as
 * `name: value`, then ovs_version.
 */
function cmd_show(bridges: readonly OvsdbBridge[]): string {
  const by_uuid = <T>(rows: readonly T[], uuid: (r: T) => string): T[] => [...rows].sort((a, b) => uuid(a).localeCompare(uuid(b)));
  let out = `${row_uuid('Open_vSwitch', '.')}\n`;
  for (const br of by_uuid(bridges, (b) => row_uuid('Bridge', b.name))) {
    out += `    Bridge ${ovsdb_atom_to_string(br.name)}\n`;
    // add-br creates the bridge's own internal port.
    const ports = br.ports.some((p) => p.name === br.name) ? br.ports : [...br.ports, { name: br.name, type: 'internal' }];
    for (const port of by_uuid(ports, (p) => row_uuid('Port', p.name))) {
      out += `        Port ${ovsdb_atom_to_string(port.name)}\n`;
      out += `            Interface ${ovsdb_atom_to_string(port.name)}\n`;
      const type = port.type === 'system' ? '' : port.type;
      if (type) out += `                type: ${ovsdb_atom_to_string(type)}\n`;
      // An Interface's options map, keys in order, as ovsdb prints maps.
      const opts = 'options' in port && port.options ? Object.entries(port.options).sort(([a], [b]) => a.localeCompare(b)) : [];
      if (opts.length) out += `                options: {${opts.map(([k, v]) => `${ovsdb_atom_to_string(k)}=${ovsdb_atom_to_string(v)}`).join(', ')}}\n`;
    }
  }
  out += `    ovs_version: ${ovsdb_atom_to_string(OVS_VERSION)}\n`;
  return out;
}

function fail(msg: string): VsctlResult {
  return { exitCode: 1, stdout: '', stderr: `ovs-vsctl: ${msg}\n` };
}

function checkRecord(table: string | undefined, record: string | undefined): string | undefined {
  if (table === undefined) return 'missing table name';
  if (table !== 'Open_vSwitch') return `unknown table "${table}"`;
  if (record !== '.') return `no row "${record ?? ''}" in table Open_vSwitch`;
  return undefined;
}

// ovs-vsctl.c EXIT_POSTDB_ERROR (EX_DATAERR): the database took the change
// but ovs-vswitchd could not apply it.
const EXIT_POSTDB_ERROR = 65;

/**
 * The port commands (add-port, del-port, set Interface) of one ovs-vsctl
 * invocation: checked against the rows as cmd_add_port / cmd_del_port do,
 * committed together, then post_db_reload_do_checks reports interfaces
 * ovs-vswitchd could not set up.
 */
function vsctl_port_txn(cmds: readonly string[][], db: OvsdbOtherConfig): VsctlResult {
  const bridges = db.bridges?.() ?? [];
  const ports = new Map<string, string>(); // port -> bridge
  for (const b of bridges) for (const x of b.ports) ports.set(x.name, b.name);
  const add: OvsdbNewPort[] = [];
  const del: string[] = [];
  for (const argv of cmds) {
    const opts = new Set(argv.filter((a) => a.startsWith('--')));
    const [cmd, ...args] = argv.filter((a) => !a.startsWith('--'));
    if (cmd === 'add-port') {
      if (args.length < 2) return fail("'add-port' command requires at least 2 arguments");
      const [br, name] = args as [string, string];
      if (!name) return fail('port name must not be empty string');
      const at = ports.get(name);
      // vsctl add_port: --may-exist accepts the same port on the same bridge.
      if (at !== undefined && opts.has('--may-exist')) {
        if (at !== br) return fail(`"add-port ${br} ${name}" but ${name} is actually attached to bridge ${at}`);
        continue;
      }
      // check_conflicts, then find_bridge (must exist)
      if (bridges.some((b) => b.name === name)) return fail(`cannot create a port named ${name} because a bridge named ${name} already exists`);
      if (at !== undefined) return fail(`cannot create a port named ${name} because a port named ${name} already exists on bridge ${at}`);
      if (!bridges.some((b) => b.name === br)) return fail(`no bridge named ${br}`);
      add.push({ bridge: br, name, type: '', options: {} });
      ports.set(name, br);
    } else if (cmd === 'del-port') {
      if (args.length < 1) return fail("'del-port' command requires at least 1 arguments");
      if (args.length > 2) return fail("'del-port' command takes at most 2 arguments");
      const name = args[args.length - 1]!;
      if (bridges.some((b) => b.name === name)) {
        if (!opts.has('--if-exists')) {
          return fail(`cannot delete port ${name} because it is the local port for bridge ${name} (deleting this port requires deleting the entire bridge)`);
        }
        continue;
      }
      const at = ports.get(name);
      if (at === undefined) {
        if (opts.has('--if-exists')) continue;
        return fail(`no port named ${name}`);
      }
      if (args.length === 2) {
        if (!bridges.some((b) => b.name === args[0])) return fail(`no bridge named ${args[0]}`);
        if (at !== args[0]) return fail(`bridge ${args[0]} does not have a port ${name}`);
      }
      const i = add.findIndex((x) => x.name === name);
      if (i >= 0) add.splice(i, 1);
      else del.push(name);
      ports.delete(name);
    } else if (cmd === 'set' && args[0] === 'Interface') {
      const [, record, ...sets] = args;
      const row = add.find((x) => x.name === record);
      if (!row) {
        if (record !== undefined && ports.has(record)) return fail('changing an existing Interface is not modelled');
        return fail(`no row "${record ?? ''}" in table Interface`);
      }
      for (const kv of sets) {
        const m = /^(type|options:[^=]+)=(.*)$/.exec(kv);
        if (!m) return fail(`Interface does not contain a column whose name matches "${kv.split(/[:=]/)[0]}"`);
        const v = m[2]!.replace(/^"(.*)"$/, '$1');
        if (m[1] === 'type') row.type = v;
        else row.options[m[1]!.slice('options:'.length)] = v;
      }
    } else {
      return fail(`unknown command '${cmd ?? ''}'; use --help for help`);
    }
  }
  if (!db.commit_ports) return fail('database connection failed (No such file or directory)');
  const errors = db.commit_ports(add, del);
  let stderr = '';
  for (const a of add) {
    const e = errors.get(a.name);
    if (e !== undefined) stderr += `ovs-vsctl: Error detected while setting up '${a.name}': ${e}.  See ovs-vswitchd log for details.\n`;
  }
  if (stderr) {
    stderr += 'ovs-vsctl: The default log directory is "/var/log/openvswitch".\n';
    return { exitCode: EXIT_POSTDB_ERROR, stdout: '', stderr };
  }
  return { exitCode: 0, stdout: '', stderr: '' };
}

/** `ovs-vsctl set|get|remove Open_vSwitch . other_config…`, add-port, del-port. */
export function ovs_vsctl(argv: readonly string[], db: OvsdbOtherConfig): VsctlResult {
  // Commands separated by `--` run in one transaction (port commands only here).
  const cmds: string[][] = [[]];
  for (const a of argv) {
    if (a === '--') cmds.push([]);
    else cmds[cmds.length - 1]!.push(a);
  }
  const verb = (c: string[]): string | undefined => c.find((a) => !a.startsWith('--'));
  if (cmds.some((c) => verb(c) === 'add-port' || verb(c) === 'del-port')) return vsctl_port_txn(cmds.filter((c) => c.length > 0), db);
  const [cmd, table, record, ...rest] = argv;
  switch (cmd) {
    case 'set': {
      const bad = checkRecord(table, record);
      if (bad) return fail(bad);
      if (rest.length === 0) return fail("'set' command requires at least 3 arguments");
      const pairs: [string, string][] = [];
      for (const arg of rest) {
        const m = /^other_config:([^=]+)=(.*)$/.exec(arg);
        if (!m) {
          const col = arg.split(/[:=]/)[0];
          return fail(col === 'other_config' ? `${arg}: missing value` : `Open_vSwitch does not contain a column whose name matches "${col}"`);
        }
        pairs.push([m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]);
      }
      db.commit(Object.fromEntries(pairs), []);
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    case 'get': {
      const bad = checkRecord(table, record);
      if (bad) return fail(bad);
      const out: string[] = [];
      for (const arg of rest) {
        const m = /^other_config:(.+)$/.exec(arg);
        if (!m) {
          if (arg === 'other_config') {
            const entries = Object.entries(db.get()).sort(([a], [b]) => a.localeCompare(b));
            out.push(`{${entries.map(([k, v]) => `${ovsdb_atom_to_string(k)}=${ovsdb_atom_to_string(v)}`).join(', ')}}`);
            continue;
          }
          return fail(`Open_vSwitch does not contain a column whose name matches "${arg}"`);
        }
        const v = db.get()[m[1]!];
        if (v === undefined) return fail(`no key "${m[1]}" in Open_vSwitch record "." column other_config`);
        out.push(ovsdb_atom_to_string(v));
      }
      return { exitCode: 0, stdout: out.map((l) => `${l}\n`).join(''), stderr: '' };
    }
    case 'remove': {
      const bad = checkRecord(table, record);
      if (bad) return fail(bad);
      const [col, ...keys] = rest;
      if (col !== 'other_config') return fail(`Open_vSwitch does not contain a column whose name matches "${col ?? ''}"`);
      if (keys.length === 0) return fail("'remove' command requires at least 4 arguments");
      // lib/db-ctl-base.c cmd_remove: KEY removes the key whatever its value;
      // KEY=VALUE removes it only when the value matches; absent keys are no error.
      const cur = db.get();
      const gone = keys.flatMap((k) => {
        const eq = k.indexOf('=');
        if (eq < 0) return [k];
        const key = k.slice(0, eq);
        const value = k.slice(eq + 1).replace(/^"(.*)"$/, '$1');
        return cur[key] === value ? [key] : [];
      });
      db.commit({}, gone);
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    case 'show':
      if (argv.length > 2) return fail("'show' command takes at most 1 arguments");
      return { exitCode: 0, stdout: cmd_show(db.bridges?.() ?? []), stderr: '' };
    default:
      return fail(`unknown command '${cmd ?? ''}'; use --help for help`);
  }
}
