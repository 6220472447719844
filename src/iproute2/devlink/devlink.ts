// devlink/devlink.c (iproute2 v6.1.0): the `devlink dev` commands — show,
// eswitch show/set and param show/set — over a generic-netlink socket. One
// call of devlink_main is one run of the program; it returns the exit status.
import type { NetlinkSocket } from '../../kernel/syscall';
import { hop } from '../../trace/hop';
import { EINVAL, ENOENT, EOPNOTSUPP } from '../../kernel/include/uapi/asm-generic/errno';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from '../../kernel/include/uapi/linux/netlink';
import {
  DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME, DEVLINK_ATTR_ESWITCH_ENCAP_MODE, DEVLINK_ATTR_ESWITCH_INLINE_MODE,
  DEVLINK_ATTR_ESWITCH_MODE, DEVLINK_ATTR_MAX, DEVLINK_ATTR_PARAM, DEVLINK_ATTR_PARAM_GENERIC, DEVLINK_ATTR_PARAM_NAME,
  DEVLINK_ATTR_PARAM_TYPE, DEVLINK_ATTR_PARAM_VALUE_CMODE, DEVLINK_ATTR_PARAM_VALUE_DATA, DEVLINK_ATTR_PARAM_VALUES_LIST,
  DEVLINK_ATTR_RELOAD_FAILED, DEVLINK_CMD_ESWITCH_GET, DEVLINK_CMD_ESWITCH_SET, DEVLINK_CMD_GET, DEVLINK_CMD_PARAM_GET,
  DEVLINK_CMD_PARAM_SET, DEVLINK_ESWITCH_ENCAP_MODE_BASIC, DEVLINK_ESWITCH_ENCAP_MODE_NONE,
  DEVLINK_ESWITCH_INLINE_MODE_LINK, DEVLINK_ESWITCH_INLINE_MODE_NETWORK, DEVLINK_ESWITCH_INLINE_MODE_NONE,
  DEVLINK_ESWITCH_INLINE_MODE_TRANSPORT, DEVLINK_ESWITCH_MODE_LEGACY, DEVLINK_ESWITCH_MODE_SWITCHDEV,
  DEVLINK_GENL_NAME, DEVLINK_GENL_VERSION, DEVLINK_PARAM_CMODE_DRIVERINIT, DEVLINK_PARAM_CMODE_PERMANENT,
  DEVLINK_PARAM_CMODE_RUNTIME, DEVLINK_VAR_ATTR_TYPE_FLAG, DEVLINK_VAR_ATTR_TYPE_STRING, DEVLINK_VAR_ATTR_TYPE_U16,
  DEVLINK_VAR_ATTR_TYPE_U32, DEVLINK_VAR_ATTR_TYPE_U8,
} from '../../kernel/include/uapi/linux/devlink';
import { nla_get_string, nla_get_u16, nla_get_u32, nla_get_u8, type NlAttr } from '../../netlink/attr';
import type { NlMsg } from '../../netlink/nlmsg';
import type { Stdio } from '../lib/utils';
import {
  MNL_CB_ERROR, MNL_CB_OK, mnl_attr_nested, mnl_attr_parse_genl, mnl_attr_parse_nested, mnlu_gen_socket_cmd_prepare,
  mnlu_gen_socket_open, mnlu_gen_socket_sndrcv, type MnluGenSocket, type MnluRequest,
} from '../lib/mnl_utils';

/** What a devlink process is given: its NETLINK_GENERIC socket and output streams. */
export interface DevlinkIo extends Stdio {
  socket: NetlinkSocket;
  /** Clock for nlmsg_seq (upstream: time(NULL)); 0 when absent. */
  now?: () => number;
}

// The MNL_TYPE_* values devlink.c compares PARAM_TYPE with coincide with DEVLINK_VAR_ATTR_TYPE_*.
const MNL_TYPE_U8 = DEVLINK_VAR_ATTR_TYPE_U8;
const MNL_TYPE_U16 = DEVLINK_VAR_ATTR_TYPE_U16;
const MNL_TYPE_U32 = DEVLINK_VAR_ATTR_TYPE_U32;
const MNL_TYPE_STRING = DEVLINK_VAR_ATTR_TYPE_STRING;
const MNL_TYPE_FLAG = DEVLINK_VAR_ATTR_TYPE_FLAG;

// DL_OPT_* bits used by the modelled commands (devlink.c)
const DL_OPT_HANDLE = 1 << 0;
const DL_OPT_ESWITCH_MODE = 1 << 11;
const DL_OPT_ESWITCH_INLINE_MODE = 1 << 12;
const DL_OPT_ESWITCH_ENCAP_MODE = 1 << 15;
const DL_OPT_PARAM_NAME = 1 << 18;
const DL_OPT_PARAM_VALUE = 1 << 19;
const DL_OPT_PARAM_CMODE = 1 << 20;

// devlink.c dl_args_required, in table order
const dl_args_required: [number, string][] = [
  [DL_OPT_HANDLE, 'Device handle expected.'],
  [DL_OPT_ESWITCH_MODE, 'E-Switch mode option expected.'],
  [DL_OPT_ESWITCH_INLINE_MODE, 'E-Switch inline-mode option expected.'],
  [DL_OPT_ESWITCH_ENCAP_MODE, 'E-Switch encapsulation option expected.'],
  [DL_OPT_PARAM_NAME, 'Parameter name expected.'],
  [DL_OPT_PARAM_VALUE, 'Value to set expected.'],
  [DL_OPT_PARAM_CMODE, 'Configuration mode expected.'],
];

interface DlOpts {
  present: number;
  bus_name: string;
  dev_name: string;
  eswitch_mode: number;
  eswitch_inline_mode: number;
  eswitch_encap_mode: number;
  param_name: string;
  param_value: string;
  cmode: number;
}

/** struct dl plus the file-static printing state (g_indent_*, g_new_line_count). */
class Dl {
  argv: string[];
  json = false;
  pretty = false;
  opts: DlOpts = {
    present: 0, bus_name: '', dev_name: '', eswitch_mode: 0, eswitch_inline_mode: 0, eswitch_encap_mode: 0,
    param_name: '', param_value: '', cmode: 0,
  };
  nlg!: MnluGenSocket;
  arr_last: { bus_name: string; dev_name: string } | null = null;
  /** JSON output under construction: section → handle → content. */
  jsonRoot: Record<string, Record<string, unknown>> = {};
  private indent = 0;
  private indent_newline = false;
  private new_line_count = 0;

  constructor(argv: string[], readonly io: DevlinkIo) {
    this.argv = argv;
  }

  argc(): number { return this.argv.length; }
  no_arg(): boolean { return this.argv.length === 0; }
  argv_match(p: string): boolean { return this.argv[0] === p; }
  arg_inc(): void { this.argv = this.argv.slice(1); }
  argv_next(): string | undefined {
    const a = this.argv[0];
    this.arg_inc();
    return a;
  }

  pr_err(s: string): void { this.io.stderr(s); }

  /** pr_out: pending indentation first. */
  pr_out(s: string): void {
    if (this.indent_newline) {
      this.io.stdout(' '.repeat(this.indent));
      this.indent_newline = false;
    }
    this.io.stdout(s);
    this.new_line_count = 0;
  }
  indent_inc(): void { if (this.indent + 2 <= 32) this.indent += 2; }
  indent_dec(): void { if (this.indent - 2 >= 0) this.indent -= 2; }
  newline(): void {
    if (this.new_line_count < 1) {
      this.pr_out('\n');
      this.indent_newline = true;
    }
    this.new_line_count++;
  }
  /** check_indent_newline: a separating space, or the indentation at a line start. */
  check_indent_newline(): void {
    if (!this.indent_newline) this.pr_out(' ');
    if (this.indent_newline) {
      this.io.stdout(' '.repeat(this.indent));
      this.indent_newline = false;
    }
    this.new_line_count = 0;
  }
  /** print_string(PRINT_FP, …): printf, no indentation logic. */
  print(s: string): void { this.io.stdout(s); }
}

const PARAM_CMODE_NAMES: Record<number, string> = {
  [DEVLINK_PARAM_CMODE_RUNTIME]: 'runtime',
  [DEVLINK_PARAM_CMODE_DRIVERINIT]: 'driverinit',
  [DEVLINK_PARAM_CMODE_PERMANENT]: 'permanent',
};
const ESWITCH_MODE_NAMES: Record<number, string> = {
  [DEVLINK_ESWITCH_MODE_LEGACY]: 'legacy',
  [DEVLINK_ESWITCH_MODE_SWITCHDEV]: 'switchdev',
};
const ESWITCH_INLINE_MODE_NAMES: Record<number, string> = {
  [DEVLINK_ESWITCH_INLINE_MODE_NONE]: 'none',
  [DEVLINK_ESWITCH_INLINE_MODE_LINK]: 'link',
  [DEVLINK_ESWITCH_INLINE_MODE_NETWORK]: 'network',
  [DEVLINK_ESWITCH_INLINE_MODE_TRANSPORT]: 'transport',
};
const ESWITCH_ENCAP_MODE_NAMES: Record<number, string> = {
  [DEVLINK_ESWITCH_ENCAP_MODE_NONE]: 'none',
  [DEVLINK_ESWITCH_ENCAP_MODE_BASIC]: 'basic',
};

function name_to_value(names: Record<number, string>, s: string): number | undefined {
  for (const [k, v] of Object.entries(names)) if (v === s) return Number(k);
  return undefined;
}

function cmd_dev_help(dl: Dl): void {
  dl.pr_err('Usage: devlink dev show [ DEV ]\n' +
    '       devlink dev eswitch set DEV [ mode { legacy | switchdev } ]\n' +
    '                               [ inline-mode { none | link | network | transport } ]\n' +
    '                               [ encap-mode { none | basic } ]\n' +
    '       devlink dev eswitch show DEV\n' +
    '       devlink dev param set DEV name PARAMETER value VALUE cmode { permanent | driverinit | runtime }\n' +
    '       devlink dev param show [DEV name PARAMETER]\n' +
    '       devlink dev reload DEV [ netns { PID | NAME | ID } ]\n' +
    '                              [ action { driver_reinit | fw_activate } ] [ limit no_reset ]\n' +
    '       devlink dev info [ DEV ]\n' +
    '       devlink dev flash DEV file PATH [ component NAME ] [ overwrite SECTION ]\n' +
    '       devlink dev selftests show [DEV]\n' +
    '       devlink dev selftests run DEV [id TESTNAME ]\n');
}

function help(dl: Dl): void {
  dl.pr_err('Usage: devlink [ OPTIONS ] OBJECT { COMMAND | help }\n' +
    '       devlink [ -f[orce] ] -b[atch] filename -N[etns] netnsname\n' +
    'where  OBJECT := { dev | port | lc | sb | monitor | dpipe | resource | region | health | trap }\n' +
    '       OPTIONS := { -V[ersion] | -n[o-nice-names] | -j[son] | -p[retty] | -v[erbose] -s[tatistics] -[he]x }\n');
}

/** dl_argv_handle (devlink.c): exactly one '/' in "bus_name/dev_name". */
function dl_argv_handle(dl: Dl): number {
  const str = dl.argv_next();
  if (str === undefined || str.split('/').length - 1 !== 1) {
    if (str !== undefined) dl.pr_err('Wrong identification string format.\n');
    dl.pr_err('Devlink identification ("bus_name/dev_name") expected\n');
    return -EINVAL;
  }
  const [bus, dev] = str.split('/') as [string, string];
  dl.opts.bus_name = bus;
  dl.opts.dev_name = dev;
  return 0;
}

function dl_argv_str(dl: Dl): string | undefined {
  const s = dl.argv_next();
  if (s === undefined) dl.pr_err('String parameter expected\n');
  return s;
}

/**
 * dl_argv_parse (devlink.c): the handle first when required, then keyword
 * options the command allows; an unknown word fails; required options must
 * all be found (first missing one reported, in table order).
 */
function dl_argv_parse(dl: Dl, o_required: number, o_optional: number): number {
  const opts = dl.opts;
  const o_all = o_required | o_optional;
  let o_found = 0;
  if (o_required & DL_OPT_HANDLE) {
    const err = dl_argv_handle(dl);
    if (err) return err;
    o_found |= DL_OPT_HANDLE;
  }
  while (dl.argc()) {
    const kw = dl.argv[0]!;
    if (kw === 'mode' && (o_all & DL_OPT_ESWITCH_MODE)) {
      dl.arg_inc();
      const s = dl_argv_str(dl);
      if (s === undefined) return -EINVAL;
      const v = name_to_value(ESWITCH_MODE_NAMES, s);
      if (v === undefined) {
        dl.pr_err(`Unknown eswitch mode "${s}"\n`);
        return -EINVAL;
      }
      opts.eswitch_mode = v;
      o_found |= DL_OPT_ESWITCH_MODE;
    } else if (kw === 'inline-mode' && (o_all & DL_OPT_ESWITCH_INLINE_MODE)) {
      dl.arg_inc();
      const s = dl_argv_str(dl);
      if (s === undefined) return -EINVAL;
      const v = name_to_value(ESWITCH_INLINE_MODE_NAMES, s);
      if (v === undefined) {
        dl.pr_err(`Unknown eswitch inline mode "${s}"\n`);
        return -EINVAL;
      }
      opts.eswitch_inline_mode = v;
      o_found |= DL_OPT_ESWITCH_INLINE_MODE;
    } else if ((kw === 'encap' || kw === 'encap-mode') && (o_all & DL_OPT_ESWITCH_ENCAP_MODE)) {
      dl.arg_inc();
      const s = dl_argv_str(dl);
      if (s === undefined) return -EINVAL;
      // devlink.c eswitch_encap_mode_get: "enable"/"disable" are the old spellings.
      const v = s === 'enable' ? DEVLINK_ESWITCH_ENCAP_MODE_BASIC : s === 'disable' ? DEVLINK_ESWITCH_ENCAP_MODE_NONE
        : name_to_value(ESWITCH_ENCAP_MODE_NAMES, s);
      if (v === undefined) {
        dl.pr_err(`Unknown eswitch encap mode "${s}"\n`);
        return -EINVAL;
      }
      opts.eswitch_encap_mode = v;
      o_found |= DL_OPT_ESWITCH_ENCAP_MODE;
    } else if (kw === 'name' && (o_all & DL_OPT_PARAM_NAME)) {
      dl.arg_inc();
      const s = dl_argv_str(dl);
      if (s === undefined) return -EINVAL;
      opts.param_name = s;
      o_found |= DL_OPT_PARAM_NAME;
    } else if (kw === 'value' && (o_all & DL_OPT_PARAM_VALUE)) {
      dl.arg_inc();
      const s = dl_argv_str(dl);
      if (s === undefined) return -EINVAL;
      opts.param_value = s;
      o_found |= DL_OPT_PARAM_VALUE;
    } else if (kw === 'cmode' && (o_all & DL_OPT_PARAM_CMODE)) {
      dl.arg_inc();
      const s = dl_argv_str(dl);
      if (s === undefined) return -EINVAL;
      const v = name_to_value(PARAM_CMODE_NAMES, s);
      if (v === undefined) {
        dl.pr_err(`Unknown configuration mode "${s}"\n`);
        return -EINVAL;
      }
      opts.cmode = v;
      o_found |= DL_OPT_PARAM_CMODE;
    } else {
      dl.pr_err(`Unknown option "${kw}"\n`);
      return -EINVAL;
    }
  }
  opts.present = o_found;
  for (const [flag, msg] of dl_args_required) {
    if ((o_required & flag) && !(o_found & flag)) {
      dl.pr_err(`${msg}\n`);
      return -EINVAL;
    }
  }
  return 0;
}

/** dl_opts_put (devlink.c): the present options as attributes, in upstream order. */
function dl_opts_put(req: MnluRequest, dl: Dl): void {
  const o = dl.opts;
  if (o.present & DL_OPT_HANDLE) {
    req.string(DEVLINK_ATTR_BUS_NAME, o.bus_name);
    req.string(DEVLINK_ATTR_DEV_NAME, o.dev_name);
  }
  if (o.present & DL_OPT_ESWITCH_MODE) req.u16(DEVLINK_ATTR_ESWITCH_MODE, o.eswitch_mode);
  if (o.present & DL_OPT_ESWITCH_INLINE_MODE) req.u8(DEVLINK_ATTR_ESWITCH_INLINE_MODE, o.eswitch_inline_mode);
  if (o.present & DL_OPT_ESWITCH_ENCAP_MODE) req.u8(DEVLINK_ATTR_ESWITCH_ENCAP_MODE, o.eswitch_encap_mode);
  if (o.present & DL_OPT_PARAM_NAME) req.string(DEVLINK_ATTR_PARAM_NAME, o.param_name);
  if (o.present & DL_OPT_PARAM_CMODE) req.u8(DEVLINK_ATTR_PARAM_VALUE_CMODE, o.cmode);
}

function handle_of(tb: (NlAttr | undefined)[]): { bus: string; dev: string; name: string } {
  const bus = nla_get_string(tb[DEVLINK_ATTR_BUS_NAME]!);
  const dev = nla_get_string(tb[DEVLINK_ATTR_DEV_NAME]!);
  return { bus, dev, name: `${bus}/${dev}` };
}

/** __pr_out_handle_start (devlink.c), text mode. */
function pr_out_handle_start(dl: Dl, tb: (NlAttr | undefined)[], content: boolean, array: boolean): void {
  const h = handle_of(tb);
  if (!array) {
    dl.pr_out(`${h.name}${content ? ':' : ''}`);
    return;
  }
  const same = dl.arr_last !== null && dl.arr_last.bus_name === h.bus && dl.arr_last.dev_name === h.dev;
  if (dl.arr_last !== null && !same) dl.indent_dec();
  if (!same) {
    dl.pr_out(`${h.name}${content ? ':' : ''}`);
    dl.newline();
    dl.indent_inc();
    dl.arr_last = { bus_name: h.bus, dev_name: h.dev };
  }
}

/** The JSON object of a handle in a section (array sections hold a list). */
function json_handle(dl: Dl, section: string, tb: (NlAttr | undefined)[], array: boolean): Record<string, unknown> {
  const sec = (dl.jsonRoot[section] ??= {});
  const name = handle_of(tb).name;
  const o: Record<string, unknown> = {};
  if (array) ((sec[name] ??= []) as unknown[]).push(o);
  else sec[name] = o;
  return o;
}

// ---------------------------------------------------------------- dev show

function cmd_dev_show_cb(dl: Dl, nlh: NlMsg): number {
  const tb = mnl_attr_parse_genl(nlh, DEVLINK_ATTR_MAX);
  if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME]) return MNL_CB_ERROR;
  if (dl.json) {
    json_handle(dl, 'dev', tb, false);
    return MNL_CB_OK;
  }
  // pr_out_dev: reload data only when a reload failed (or with -s, not modelled).
  const failed = tb[DEVLINK_ATTR_RELOAD_FAILED] !== undefined && nla_get_u8(tb[DEVLINK_ATTR_RELOAD_FAILED]) !== 0;
  pr_out_handle_start(dl, tb, failed, false);
  dl.newline();
  return MNL_CB_OK;
}

/** cmd_dev_show (devlink.c): a dump without a handle. */
function cmd_dev_show(dl: Dl): number {
  let flags = NLM_F_REQUEST | NLM_F_ACK;
  if (dl.no_arg()) flags |= NLM_F_DUMP;
  else {
    const err = dl_argv_parse(dl, DL_OPT_HANDLE, 0);
    if (err) return err;
  }
  const req = mnlu_gen_socket_cmd_prepare(dl.nlg, DEVLINK_CMD_GET, flags);
  dl_opts_put(req, dl);
  return mnlu_gen_socket_sndrcv(dl.nlg, req, (nlh) => cmd_dev_show_cb(dl, nlh));
}

// ---------------------------------------------------------------- eswitch

/** pr_out_eswitch (devlink.c) */
function cmd_dev_eswitch_show_cb(dl: Dl, nlh: NlMsg): number {
  const tb = mnl_attr_parse_genl(nlh, DEVLINK_ATTR_MAX);
  if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME]) return MNL_CB_ERROR;
  const fields: [string, string][] = [];
  if (tb[DEVLINK_ATTR_ESWITCH_MODE]) fields.push(['mode', ESWITCH_MODE_NAMES[nla_get_u16(tb[DEVLINK_ATTR_ESWITCH_MODE])] ?? '<unknown mode>']);
  if (tb[DEVLINK_ATTR_ESWITCH_INLINE_MODE]) fields.push(['inline-mode', ESWITCH_INLINE_MODE_NAMES[nla_get_u8(tb[DEVLINK_ATTR_ESWITCH_INLINE_MODE])] ?? '<unknown mode>']);
  if (tb[DEVLINK_ATTR_ESWITCH_ENCAP_MODE]) fields.push(['encap-mode', ESWITCH_ENCAP_MODE_NAMES[nla_get_u8(tb[DEVLINK_ATTR_ESWITCH_ENCAP_MODE])] ?? '<unknown mode>']);
  if (dl.json) {
    const o = json_handle(dl, 'dev', tb, false);
    for (const [k, v] of fields) o[k] = v;
    return MNL_CB_OK;
  }
  pr_out_handle_start(dl, tb, true, false);
  for (const [k, v] of fields) {
    dl.check_indent_newline();
    dl.print(`${k} ${v}`);
  }
  dl.newline();
  return MNL_CB_OK;
}

function cmd_dev_eswitch_show(dl: Dl): number {
  const err = dl_argv_parse(dl, DL_OPT_HANDLE, 0);
  if (err) return err;
  const req = mnlu_gen_socket_cmd_prepare(dl.nlg, DEVLINK_CMD_ESWITCH_GET, NLM_F_REQUEST | NLM_F_ACK);
  dl_opts_put(req, dl);
  return mnlu_gen_socket_sndrcv(dl.nlg, req, (nlh) => cmd_dev_eswitch_show_cb(dl, nlh));
}

/** cmd_dev_eswitch_set (devlink.c): at least one of mode / inline-mode / encap-mode. */
function cmd_dev_eswitch_set(dl: Dl): number {
  const err = dl_argv_parse(dl, DL_OPT_HANDLE, DL_OPT_ESWITCH_MODE | DL_OPT_ESWITCH_INLINE_MODE | DL_OPT_ESWITCH_ENCAP_MODE);
  if (err) return err;
  const req = mnlu_gen_socket_cmd_prepare(dl.nlg, DEVLINK_CMD_ESWITCH_SET, NLM_F_REQUEST | NLM_F_ACK);
  dl_opts_put(req, dl);
  if (dl.opts.present === DL_OPT_HANDLE) {
    dl.pr_err('Need to set at least one option\n');
    return -ENOENT;
  }
  return mnlu_gen_socket_sndrcv(dl.nlg, req, null);
}

function cmd_dev_eswitch(dl: Dl): number {
  if (dl.argv_match('help') || dl.no_arg()) {
    cmd_dev_help(dl);
    return 0;
  } else if (dl.argv_match('set')) {
    dl.arg_inc();
    return cmd_dev_eswitch_set(dl);
  } else if (dl.argv_match('show')) {
    dl.arg_inc();
    return cmd_dev_eswitch_show(dl);
  }
  dl.pr_err(`Command "${dl.argv[0]}" not found\n`);
  return -ENOENT;
}

// ---------------------------------------------------------------- params

/** pr_out_param_value (devlink.c); value-name conversions (param_val_conv) cover no modelled parameter. */
function pr_out_param_value(dl: Dl, nla_type: number, nl: NlAttr, json: Record<string, unknown>[] | null): void {
  const v = mnl_attr_parse_nested(nl, DEVLINK_ATTR_MAX);
  const cm = v[DEVLINK_ATTR_PARAM_VALUE_CMODE];
  const data = v[DEVLINK_ATTR_PARAM_VALUE_DATA];
  if (!cm || (nla_type !== MNL_TYPE_FLAG && !data)) return;
  const cmode = PARAM_CMODE_NAMES[nla_get_u8(cm)] ?? '<unknown type>';
  let value: string | number | boolean;
  switch (nla_type) {
    case MNL_TYPE_U8: value = nla_get_u8(data!); break;
    case MNL_TYPE_U16: value = nla_get_u16(data!); break;
    case MNL_TYPE_U32: value = nla_get_u32(data!); break;
    case MNL_TYPE_STRING: value = nla_get_string(data!); break;
    case MNL_TYPE_FLAG: value = data !== undefined; break;
    default: value = '';
  }
  if (json) {
    json.push({ cmode, value });
    return;
  }
  dl.check_indent_newline();
  dl.print(`cmode ${cmode}`);
  dl.print(` value ${String(value)}`);
}

/** pr_out_param (devlink.c), device parameters as an array per handle. */
function cmd_dev_param_show_cb(dl: Dl, nlh: NlMsg): number {
  const tb = mnl_attr_parse_genl(nlh, DEVLINK_ATTR_MAX);
  if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME] || !tb[DEVLINK_ATTR_PARAM]) return MNL_CB_ERROR;
  const p = mnl_attr_parse_nested(tb[DEVLINK_ATTR_PARAM]!, DEVLINK_ATTR_MAX);
  if (!p[DEVLINK_ATTR_PARAM_NAME] || !p[DEVLINK_ATTR_PARAM_TYPE] || !p[DEVLINK_ATTR_PARAM_VALUES_LIST]) return MNL_CB_OK;
  const nla_type = nla_get_u8(p[DEVLINK_ATTR_PARAM_TYPE]!);
  const name = nla_get_string(p[DEVLINK_ATTR_PARAM_NAME]!);
  const type = p[DEVLINK_ATTR_PARAM_GENERIC] ? 'generic' : 'driver-specific';
  if (dl.json) {
    const values: Record<string, unknown>[] = [];
    const o = json_handle(dl, 'param', tb, true);
    o.name = name;
    o.type = type;
    o.values = values;
    for (const a of mnl_attr_nested(p[DEVLINK_ATTR_PARAM_VALUES_LIST]!)) pr_out_param_value(dl, nla_type, a, values);
    return MNL_CB_OK;
  }
  pr_out_handle_start(dl, tb, true, true);
  dl.check_indent_newline();
  dl.print(`name ${name} `);
  dl.print(`type ${type}`);
  // pr_out_array_start / pr_out_entry_end / pr_out_array_end, text mode
  dl.indent_inc();
  dl.newline();
  dl.pr_out('values:');
  dl.indent_inc();
  dl.newline();
  for (const a of mnl_attr_nested(p[DEVLINK_ATTR_PARAM_VALUES_LIST]!)) {
    pr_out_param_value(dl, nla_type, a, null);
    dl.newline();
  }
  dl.indent_dec();
  dl.indent_dec();
  dl.newline();
  return MNL_CB_OK;
}

function cmd_dev_param_show(dl: Dl): number {
  let flags = NLM_F_REQUEST | NLM_F_ACK;
  if (dl.no_arg()) flags |= NLM_F_DUMP;
  else {
    const err = dl_argv_parse(dl, DL_OPT_HANDLE | DL_OPT_PARAM_NAME, 0);
    if (err) return err;
  }
  const req = mnlu_gen_socket_cmd_prepare(dl.nlg, DEVLINK_CMD_PARAM_GET, flags);
  dl_opts_put(req, dl);
  return mnlu_gen_socket_sndrcv(dl.nlg, req, (nlh) => cmd_dev_param_show_cb(dl, nlh));
}

/**
 * cmd_dev_param_set (devlink.c): PARAM_GET first for the type and the
 * current value of the cmode (an unchanged value sends nothing), then
 * PARAM_SET with the type, the value and the cmode.
 */
function cmd_dev_param_set(dl: Dl): number {
  let err = dl_argv_parse(dl, DL_OPT_HANDLE | DL_OPT_PARAM_NAME | DL_OPT_PARAM_VALUE | DL_OPT_PARAM_CMODE, 0);
  if (err) return err;
  const get = mnlu_gen_socket_cmd_prepare(dl.nlg, DEVLINK_CMD_PARAM_GET, NLM_F_REQUEST | NLM_F_ACK);
  dl_opts_put(get, dl);
  const ctx: { nla_type: number; cmode_found: boolean; value: string | number | boolean } = { nla_type: 0, cmode_found: false, value: 0 };
  err = mnlu_gen_socket_sndrcv(dl.nlg, get, (nlh) => {
    const tb = mnl_attr_parse_genl(nlh, DEVLINK_ATTR_MAX);
    if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME] || !tb[DEVLINK_ATTR_PARAM]) return MNL_CB_ERROR;
    const p = mnl_attr_parse_nested(tb[DEVLINK_ATTR_PARAM]!, DEVLINK_ATTR_MAX);
    if (!p[DEVLINK_ATTR_PARAM_TYPE] || !p[DEVLINK_ATTR_PARAM_VALUES_LIST]) return MNL_CB_ERROR;
    const nla_type = nla_get_u8(p[DEVLINK_ATTR_PARAM_TYPE]!);
    for (const a of mnl_attr_nested(p[DEVLINK_ATTR_PARAM_VALUES_LIST]!)) {
      const v = mnl_attr_parse_nested(a, DEVLINK_ATTR_MAX);
      const cm = v[DEVLINK_ATTR_PARAM_VALUE_CMODE];
      const data = v[DEVLINK_ATTR_PARAM_VALUE_DATA];
      if (!cm || (nla_type !== MNL_TYPE_FLAG && !data)) return MNL_CB_ERROR;
      if (nla_get_u8(cm) === dl.opts.cmode) {
        ctx.cmode_found = true;
        ctx.value = nla_type === MNL_TYPE_STRING ? nla_get_string(data!) : nla_type === MNL_TYPE_FLAG ? data !== undefined
          : nla_type === MNL_TYPE_U8 ? nla_get_u8(data!) : nla_type === MNL_TYPE_U16 ? nla_get_u16(data!) : nla_get_u32(data!);
        break;
      }
    }
    ctx.nla_type = nla_type;
    return MNL_CB_OK;
  });
  if (err) return err;
  if (!ctx.cmode_found) {
    dl.pr_err('Configuration mode not supported\n');
    return -EOPNOTSUPP;
  }
  const set = mnlu_gen_socket_cmd_prepare(dl.nlg, DEVLINK_CMD_PARAM_SET, NLM_F_REQUEST | NLM_F_ACK);
  dl_opts_put(set, dl);
  set.u8(DEVLINK_ATTR_PARAM_TYPE, ctx.nla_type);
  const sv = dl.opts.param_value;
  const num = (max: number): number | undefined => (/^\d+$/.test(sv) && Number(sv) <= max ? Number(sv) : undefined);
  switch (ctx.nla_type) {
    case MNL_TYPE_U8: case MNL_TYPE_U16: case MNL_TYPE_U32: {
      const max = ctx.nla_type === MNL_TYPE_U8 ? 0xff : ctx.nla_type === MNL_TYPE_U16 ? 0xffff : 0xffffffff;
      const n = num(max);
      if (n === undefined) {
        dl.pr_err(`Value "${sv}" is not a number or not within range\n`);
        return -EINVAL;
      }
      if (n === ctx.value) return 0;
      if (ctx.nla_type === MNL_TYPE_U8) set.u8(DEVLINK_ATTR_PARAM_VALUE_DATA, n);
      else if (ctx.nla_type === MNL_TYPE_U16) set.u16(DEVLINK_ATTR_PARAM_VALUE_DATA, n);
      else set.u32(DEVLINK_ATTR_PARAM_VALUE_DATA, n);
      break;
    }
    case MNL_TYPE_FLAG: {
      const b = sv === 'true' ? true : sv === 'false' ? false : undefined;
      if (b === undefined) {
        dl.pr_err(`Value "${sv}" is not a number or not within range\n`);
        return -EINVAL;
      }
      if (b === ctx.value) return 0;
      if (b) set.flag(DEVLINK_ATTR_PARAM_VALUE_DATA);
      break;
    }
    case MNL_TYPE_STRING:
      set.string(DEVLINK_ATTR_PARAM_VALUE_DATA, sv);
      if (sv === ctx.value) return 0;
      break;
    default:
      dl.print('Value type not supported\n');
      return -EOPNOTSUPP;
  }
  return mnlu_gen_socket_sndrcv(dl.nlg, set, null);
}

function cmd_dev_param(dl: Dl): number {
  if (dl.argv_match('help')) {
    cmd_dev_help(dl);
    return 0;
  } else if (dl.argv_match('show') || dl.argv_match('list') || dl.no_arg()) {
    dl.arg_inc();
    return cmd_dev_param_show(dl);
  } else if (dl.argv_match('set')) {
    dl.arg_inc();
    return cmd_dev_param_set(dl);
  }
  dl.pr_err(`Command "${dl.argv[0]}" not found\n`);
  return -ENOENT;
}

function cmd_dev(dl: Dl): number {
  if (dl.argv_match('help')) {
    cmd_dev_help(dl);
    return 0;
  } else if (dl.argv_match('show') || dl.argv_match('list') || dl.no_arg()) {
    dl.arg_inc();
    return cmd_dev_show(dl);
  } else if (dl.argv_match('eswitch')) {
    dl.arg_inc();
    return cmd_dev_eswitch(dl);
  } else if (dl.argv_match('param')) {
    dl.arg_inc();
    return cmd_dev_param(dl);
  }
  dl.pr_err(`Command "${dl.argv[0]}" not found\n`);
  return -ENOENT;
}

/** dl_cmd (devlink.c): only the `dev` object is modelled. */
function dl_cmd(dl: Dl): number {
  if (dl.argv_match('help') || dl.no_arg()) {
    help(dl);
    return 0;
  } else if (dl.argv_match('dev')) {
    dl.arg_inc();
    return cmd_dev(dl);
  }
  dl.pr_err(`Object "${dl.argv[0]}" not found\n`);
  return -ENOENT;
}

/**
 * main (devlink/devlink.c): options -j/--json and -p/--pretty; connect to
 * the devlink family ("Failed to connect to devlink Netlink"); any command
 * error is exit status 1. JSON output is one object of sections printed at
 * the end (new_json_obj_plain).
 */
export const devlink_main = hop('devlink/devlink.c', function devlink_main(argv: string[], io: DevlinkIo): number {
  const args = [...argv];
  let json = false;
  let pretty = false;
  while (args.length && args[0]!.startsWith('-')) {
    const o = args.shift()!;
    if (o === '-j' || o === '--json') json = true;
    else if (o === '-p' || o === '--pretty') pretty = true;
    else {
      io.stderr('Unknown option.\n');
      help(new Dl([], io));
      return 1;
    }
  }
  const dl = new Dl(args, io);
  dl.json = json;
  dl.pretty = pretty;
  const open = mnlu_gen_socket_open(io.socket, io, DEVLINK_GENL_NAME, DEVLINK_GENL_VERSION, io.now?.() ?? 0);
  if (open.err) {
    io.stderr('Failed to connect to devlink Netlink\n');
    return 1;
  }
  dl.nlg = open.nlg;
  const err = dl_cmd(dl);
  if (json && Object.keys(dl.jsonRoot).length) {
    io.stdout(`${pretty ? JSON.stringify(dl.jsonRoot, null, 4) : JSON.stringify(dl.jsonRoot)}\n`);
  }
  return err ? 1 : 0;
}, { input: (argv) => argv.join(' '), result: (r) => `exit ${r}` });
