// utilities/ovs-vsctl.c (v3.6.3): the Open_vSwitch table's other_config
// column, the part of the database offload depends on. ovs-vsctl edits the
// database; ovs-vswitchd reacts on its next bridge_run (done by the host).

export interface OvsdbOtherConfig {
  get(): Readonly<Record<string, string>>;
  /** Commits one transaction: every key set and removed by one command. */
  commit(set: Record<string, string>, remove: readonly string[]): void;
}

export interface VsctlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// lib/ovsdb-data.c string_needs_quotes: a word of letters, '_', '-' and '.'
// (starting with a letter or '_') prints bare; anything else — digits
// included — and the words true/false are quoted. (A UUID-shaped string is
// quoted too; other_config values never look like one here.)
function ovsdb_atom_to_string(s: string): string {
  const bare = /^[A-Za-z_][A-Za-z_.-]*$/.test(s) && s !== 'true' && s !== 'false';
  return bare ? s : JSON.stringify(s);
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

/** `ovs-vsctl set|get|remove Open_vSwitch . other_config…` */
export function ovs_vsctl(argv: readonly string[], db: OvsdbOtherConfig): VsctlResult {
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
      db.commit({}, keys.map((k) => k.split('=')[0]!));
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    default:
      return fail(`unknown command '${cmd ?? ''}'; use --help for help`);
  }
}
