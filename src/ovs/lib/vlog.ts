// lib/vlog.c (v3.6.3): per-module log levels and the log file's line format
// `%D{%Y-%m-%dT%H:%M:%S.###Z}|%05N|%c%T|%p|%m`. Only the file destination is
// modelled (ovs-vswitchd runs with -vfile:info by default); rate limiting is
// not, as the scenarios never log enough to hit it.

export type VlogLevel = 'EMER' | 'ERR' | 'WARN' | 'INFO' | 'DBG';
const LEVELS: readonly VlogLevel[] = ['EMER', 'ERR', 'WARN', 'INFO', 'DBG'];
const LEVEL_NAMES: Record<string, VlogLevel | 'OFF'> = {
  off: 'OFF', emer: 'EMER', err: 'ERR', warn: 'WARN', info: 'INFO', dbg: 'DBG', debug: 'DBG',
};

/** The modules this emulation logs from (VLOG_DEFINE_THIS_MODULE names). */
export const VLOG_MODULES = [
  'bridge', 'dpctl', 'dpif', 'dpif_netlink', 'netdev_linux', 'netdev_offload', 'netdev_offload_tc',
  'netlink_socket', 'odp_util', 'ofproto_dpif', 'ofproto_dpif_upcall', 'tc', 'vswitchd',
] as const;
export type VlogModule = (typeof VLOG_MODULES)[number];

export interface VlogLine {
  module: VlogModule;
  level: VlogLevel;
  msg: string;
  /** The line as written to ovs-vswitchd.log. */
  text: string;
}

function rank(l: VlogLevel | 'OFF'): number {
  return l === 'OFF' ? -1 : LEVELS.indexOf(l);
}

export class Vlog {
  private readonly file_level = new Map<VlogModule, VlogLevel | 'OFF'>();
  private msg_num = 0;
  readonly lines: VlogLine[] = [];

  constructor(private readonly clock: () => number) {
    for (const m of VLOG_MODULES) this.file_level.set(m, 'INFO');
  }

  /** vlog_is_enabled(module, level) for the file destination. */
  is_enabled(module: VlogModule, level: VlogLevel): boolean {
    return rank(level) <= rank(this.file_level.get(module) ?? 'INFO');
  }

  /** vlog(): formats and appends one line when the level is enabled. */
  log(module: VlogModule, level: VlogLevel, msg: string): void {
    if (!this.is_enabled(module, level)) return;
    this.msg_num++;
    const ts = new Date(this.clock()).toISOString(); // %Y-%m-%dT%H:%M:%S.###Z
    const text = `${ts}|${String(this.msg_num).padStart(5, '0')}|${module}|${level}|${msg}`;
    this.lines.push({ module, level, msg, text });
  }

  /**
   * A restarted daemon appends to the same log file: the earlier process's
   * lines stay in front of this one's (its message numbers restart at 1).
   */
  continue_file(earlier: readonly VlogLine[]): void {
    this.lines.unshift(...earlier);
  }

  dbg(module: VlogModule, msg: string): void { this.log(module, 'DBG', msg); }
  info(module: VlogModule, msg: string): void { this.log(module, 'INFO', msg); }
  warn(module: VlogModule, msg: string): void { this.log(module, 'WARN', msg); }
  err(module: VlogModule, msg: string): void { this.log(module, 'ERR', msg); }

  /**
   * `ovs-appctl vlog/set SPEC` (vlog_set_levels_from_string): SPEC is words
   * separated by ':' naming a module (or ANY), a destination (file, console,
   * syslog, ANY) and a level. Returns an error text or undefined.
   */
  set(spec: string): string | undefined {
    let module: VlogModule | undefined;
    let level: VlogLevel | 'OFF' | undefined;
    let dest: string | undefined;
    for (const word of spec.split(/[ ,:\t]+/).filter((w) => w.length > 0)) {
      const w = word.toLowerCase();
      if (w === 'any') continue;
      if (w === 'file' || w === 'console' || w === 'syslog') {
        if (dest !== undefined) return 'cannot specify multiple destinations';
        dest = w;
      } else if (LEVEL_NAMES[w] !== undefined) {
        if (level !== undefined) return 'cannot specify multiple levels';
        level = LEVEL_NAMES[w];
      } else if (VLOG_MODULES.some((m) => m === w)) {
        if (module !== undefined) return 'cannot specify multiple modules';
        module = w as VlogModule;
      } else {
        return `no destination, level, or module "${word}"`;
      }
    }
    level ??= 'DBG'; // lib/vlog.c vlog_set_levels_from_string: no level means dbg
    if (dest !== undefined && dest !== 'file') return undefined; // only the file is modelled
    for (const m of module !== undefined ? [module] : VLOG_MODULES) this.file_level.set(m, level);
    return undefined;
  }
}
