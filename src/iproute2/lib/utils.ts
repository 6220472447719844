// lib/utils.c (iproute2 v6.1.0): argument cursor, number/address parsers and
// the exit-on-error helpers (invarg, duparg, incomplete_command) every tc
// parser uses. exit(3) is modelled by throwing TcExit, which only tc_main
// catches: it ends the emulated process exactly where the C one would end.

/** Where a tc process writes (its stdout / stderr). */
export interface Stdio {
  stdout(s: string): void;
  stderr(s: string): void;
}

/** exit(code) of the emulated tc process; the message renders like the call. */
export class TcExit extends Error {
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}

/** Process exit status as the shell sees it (exit(-1) → 255). */
export function exit_status(code: number): number {
  return code & 0xff;
}

/**
 * The C idiom `int argc; char **argv` as one cursor. `cur` is `*argv`
 * (undefined past the end, like argv[argc] == NULL).
 */
export class Args {
  constructor(readonly v: readonly string[], public i = 0) {}
  get argc(): number {
    return this.v.length - this.i;
  }
  get cur(): string | undefined {
    return this.v[this.i];
  }
  /** A copy to parse ahead on, committed with `take` only on success. */
  clone(): Args {
    return new Args(this.v, this.i);
  }
  take(other: Args): void {
    this.i = other.i;
  }
  /** NEXT_ARG(): step, and exit if nothing is left. */
  next(io: Stdio): string {
    this.i++;
    if (this.argc <= 0) incomplete_command(io);
    return this.v[this.i]!;
  }
  /** NEXT_ARG_FWD() */
  fwd(): void {
    this.i++;
  }
}

// lib/utils.c incomplete_command
export function incomplete_command(io: Stdio): never {
  io.stderr('Command line is not complete. Try option "help"\n');
  throw new TcExit(-1);
}

// lib/utils.c invarg
export function invarg(io: Stdio, msg: string, arg: string): never {
  io.stderr(`Error: argument "${arg}" is wrong: ${msg}\n`);
  throw new TcExit(-1);
}

// lib/utils.c duparg
export function duparg(io: Stdio, key: string, arg: string): never {
  io.stderr(`Error: duplicate "${key}": "${arg}" is the second value.\n`);
  throw new TcExit(-1);
}

// lib/utils.c nodev
export function nodev(io: Stdio, dev: string): number {
  io.stderr(`Cannot find device "${dev}"\n`);
  return -1;
}

/**
 * lib/utils.c matches: true when `prefix` is NOT a prefix of `string`
 * (C returns 0 on a match). An empty prefix matches everything.
 */
export function matches(prefix: string, string: string): boolean {
  return !string.startsWith(prefix);
}

// lib/utils.c check_ifname: no empty names, '/' or whitespace, ≤ IFNAMSIZ-1.
export function check_ifname(name: string): number {
  if (name.length === 0 || name.length >= 16) return -1;
  return /[/\s]/.test(name) ? -1 : 0;
}

/**
 * strtoul(3) on the whole string: optional whitespace and sign, base 0
 * auto-detection (0x → 16, leading 0 → 8). Returns the value (as a bigint so
 * negative inputs wrap as glibc does on 64-bit) and how many chars it used.
 */
export function strtoul(s: string, base: number): { value: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let b = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    i += 2;
    b = 16;
  } else if (b === 0) {
    b = s[i] === '0' ? 8 : 10;
  }
  const start = i;
  let v = 0n;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, 36);
    if (Number.isNaN(d) || d >= b) break;
    v = v * BigInt(b) + BigInt(d);
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  const max = (1n << 64n) - 1n;
  const overflow = v > max;
  if (overflow) v = max;
  else if (neg) v = ((1n << 64n) - v) & max;
  return { value: v, end: i, overflow };
}

function get_unsigned_max(arg: string | undefined, base: number, max: bigint): number | null {
  if (arg === undefined || arg === '') return null;
  const r = strtoul(arg, base);
  if (r.end === 0 || r.end !== arg.length || r.overflow || r.value > max) return null;
  return Number(r.value);
}

// lib/utils.c get_u32 / get_u16 / get_u8 / get_unsigned: null = the -1 return.
export function get_u32(arg: string | undefined, base: number): number | null {
  return get_unsigned_max(arg, base, 0xffffffffn);
}
export function get_u16(arg: string | undefined, base: number): number | null {
  return get_unsigned_max(arg, base, 0xffffn);
}
export function get_u8(arg: string | undefined, base: number): number | null {
  return get_unsigned_max(arg, base, 0xffn);
}
export function get_u64(arg: string | undefined, base: number): bigint | null {
  if (arg === undefined || arg === '') return null;
  const r = strtoul(arg, base);
  if (r.end === 0 || r.end !== arg.length || r.overflow) return null;
  return r.value;
}
export function get_unsigned(arg: string | undefined, base: number): number | null {
  return get_u32(arg, base);
}
// get_be16/get_be32 parse the same way; the caller writes the result big-endian.
export const get_be16 = get_u16;
export const get_be32 = get_u32;

// lib/utils.c get_integer (strtol into int)
export function get_integer(arg: string | undefined, base: number): number | null {
  if (arg === undefined || arg === '') return null;
  const neg = /^\s*-/.test(arg);
  const r = strtoul(arg.replace(/^(\s*)-/, '$1'), base);
  if (r.end === 0 || r.end !== arg.replace(/^(\s*)-/, '$1').length || r.value > 0x7fffffffn + (neg ? 1n : 0n)) return null;
  return neg ? -Number(r.value) : Number(r.value);
}

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** inet_prefix: address bytes, family, byte and bit length. */
export interface InetPrefix {
  family: number;
  bytelen: number;
  bitlen: number;
  data: Uint8Array;
}

// lib/utils.c get_addr_ipv4: up to four dot-separated parts, missing ones 0.
function get_addr_ipv4(s: string): Uint8Array | null {
  const out = new Uint8Array(4);
  let cp = s;
  for (let i = 0; i < 4; i++) {
    const r = strtoul(cp, 0);
    if (r.end === 0 || r.value > 255n) return null;
    out[i] = Number(r.value);
    const rest = cp.slice(r.end);
    if (rest === '') return out;
    if (i === 3 || rest[0] !== '.') return null;
    cp = rest.slice(1);
  }
  return out;
}

/** inet_pton(AF_INET6, …) */
export function inet_pton6(s: string): Uint8Array | null {
  let head = s;
  let v4: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const q = s.slice(lastColon + 1).split('.');
    if (q.length !== 4 || q.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return null;
    v4 = Uint8Array.from(q.map(Number));
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return null;
  const part = (p: string): number[] | null => {
    if (p === '') return [];
    const g = p.split(':');
    if (g.some((x) => !/^[0-9a-fA-F]{1,4}$/.test(x))) return null;
    return g.map((x) => parseInt(x, 16));
  };
  const a = part(dbl[0]!);
  const b = dbl.length === 2 ? part(dbl[1]!) : [];
  if (!a || !b) return null;
  const groups = dbl.length === 2 ? [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b] : a;
  if (groups.length !== 8 || (dbl.length === 2 && a.length + b.length > 7)) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  if (v4) out.set(v4, 12);
  return out;
}

/** inet_ntop(AF_INET6, …): RFC 5952 text as glibc prints it. */
export function inet_ntop6(a: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((a[2 * i]! << 8) | a[2 * i + 1]!);
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  // An IPv4-mapped/compatible tail prints in dotted form, as glibc does.
  if (bestAt === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
    const pre = bestLen === 5 ? '::ffff:' : '::';
    return pre + Array.from(a.subarray(12)).join('.');
  }
  const hex = (x: number[]): string => x.map((v) => v.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

export function inet_ntop4(a: Uint8Array): string {
  return Array.from(a.subarray(0, 4)).join('.');
}

// lib/utils.c __get_addr_1
function get_addr_1(name: string, family: number): InetPrefix | null {
  if (name === 'default') {
    const bytelen = family === AF_INET ? 4 : family === AF_INET6 ? 16 : 0;
    return { family, bytelen, bitlen: -2, data: new Uint8Array(16) };
  }
  if (name === 'all' || name === 'any') return { family, bytelen: 0, bitlen: -2, data: new Uint8Array(16) };
  if (name.includes(':')) {
    if (family !== AF_UNSPEC && family !== AF_INET6) return null;
    const d = inet_pton6(name);
    if (!d) return null;
    return { family: AF_INET6, bytelen: 16, bitlen: -1, data: d };
  }
  if (family !== AF_UNSPEC && family !== AF_INET) return null;
  const d = get_addr_ipv4(name);
  if (!d) return null;
  return { family: AF_INET, bytelen: 4, bitlen: -1, data: d };
}

// lib/utils.c get_netmask: a prefix length, or a dotted IPv4 mask.
function get_netmask(arg: string): number | null {
  const n = get_unsigned(arg, 0);
  if (n !== null) return n;
  const m = get_addr_1(arg, AF_INET);
  if (!m || m.family !== AF_INET) return null;
  const v = ((m.data[0]! << 24) | (m.data[1]! << 16) | (m.data[2]! << 8) | m.data[3]!) >>> 0;
  const host = ~v >>> 0;
  if (host & (host + 1)) return null;
  return 32 - Math.log2(host + 1);
}

// lib/utils.c get_prefix_1
export function get_prefix_1(arg: string, family: number): InetPrefix | null {
  const slash = arg.indexOf('/');
  const dst = get_addr_1(slash >= 0 ? arg.slice(0, slash) : arg, family);
  if (!dst) return null;
  let bitlen = dst.family === AF_INET ? 32 : dst.family === AF_INET6 ? 128 : 0;
  if (slash >= 0) {
    if (dst.bitlen === -2) return null;
    const plen = get_netmask(arg.slice(slash + 1));
    if (plen === null || plen > bitlen) return null;
    bitlen = plen;
  } else if (dst.bitlen === -2) {
    bitlen = 0;
  }
  dst.bitlen = bitlen;
  return dst;
}

function family_name_verbose(family: number): string {
  if (family === AF_INET) return 'inet';
  if (family === AF_INET6) return 'inet6';
  return 'any valid';
}

// lib/utils.c get_prefix: exits(1) when the text is no prefix of that family.
export function get_prefix(io: Stdio, arg: string, family: number): InetPrefix {
  const p = get_prefix_1(arg, family);
  if (!p) {
    io.stderr(`Error: ${family_name_verbose(family)} prefix is expected rather than "${arg}".\n`);
    throw new TcExit(1);
  }
  return p;
}

// lib/utils.c get_addr: exits(1) when the text is no address of that family.
export function get_addr(io: Stdio, arg: string, family: number): InetPrefix {
  const p = get_addr_1(arg, family);
  if (!p) {
    io.stderr(`Error: ${family_name_verbose(family)} address is expected rather than "${arg}".\n`);
    throw new TcExit(1);
  }
  return p;
}

// lib/ll_addr.c ll_addr_a2n: "aa:bb:…" hex octets (or a dotted IPv4).
export function ll_addr_a2n(io: Stdio, len: number, arg: string): Uint8Array | null {
  if (arg.includes('.')) {
    const p = get_addr_1(arg, AF_INET);
    if (!p) {
      io.stderr(`"${arg}" is invalid lladdr.\n`);
      return null;
    }
    return len < 4 ? null : p.data.slice(0, 4);
  }
  const out: number[] = [];
  let rest: string | null = arg;
  for (let i = 0; i < len && rest !== null; i++) {
    const colon: number = rest.indexOf(':');
    const part: string = colon >= 0 ? rest.slice(0, colon) : rest;
    const m = /^\s*([0-9a-fA-F]+)/.exec(part);
    if (!m || parseInt(m[1]!, 16) > 255) {
      io.stderr(`"${part}" is invalid lladdr.\n`);
      return null;
    }
    out.push(parseInt(m[1]!, 16));
    rest = colon >= 0 ? rest.slice(colon + 1) : null;
  }
  const b = new Uint8Array(len);
  b.set(out);
  return b.subarray(0, out.length);
}

// lib/ll_addr.c ll_addr_n2a for Ethernet-like addresses.
export function ll_addr_n2a(a: Uint8Array): string {
  return Array.from(a, (x) => x.toString(16).padStart(2, '0')).join(':');
}

// lib/utils.c hex2mem
export function hex2mem(s: string, len: number): Uint8Array | null {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const h = s.slice(2 * i, 2 * i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
    out[i] = parseInt(h, 16);
  }
  return out;
}

// lib/utils.c hexstring_n2a
export function hexstring_n2a(a: Uint8Array): string {
  return Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** htons/ntohs on a little-endian host: swap the two bytes. */
export function htons(x: number): number {
  return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
}
export const ntohs = htons;
