// lib/json_print.c + lib/json_writer.c (iproute2 v6.1.0): one printing API
// that writes either text (PRINT_FP) or JSON (PRINT_JSON), PRINT_ANY picking
// by context. Upstream keeps the writer in a static; here it lives on the
// process's JsonPrint object so many tc runs can coexist.

export const PRINT_FP = 1;
export const PRINT_JSON = 2;
export const PRINT_ANY = 4;
export type OutputType = typeof PRINT_FP | typeof PRINT_JSON | typeof PRINT_ANY;

/** Formats one printf conversion (the only kind tc's print_* formats use). */
export function fmt1(fmt: string, value: string | number | bigint | boolean): string {
  return fmt.replace(/%(#?)(0?)(\d*)(?:ll|l|hh|h)?([sudxi%])/, (_m, alt: string, zero: string, width: string, conv: string) => {
    let s: string;
    if (conv === '%') return '%';
    if (conv === 's') s = String(value);
    else if (conv === 'x') s = (alt ? '0x' : '') + BigInt(value as number | bigint).toString(16);
    else s = BigInt(value as number | bigint).toString(10);
    const w = width ? Number(width) : 0;
    return s.length < w ? (zero ? '0' : ' ').repeat(w - s.length) + s : s;
  });
}

// lib/json_writer.c: compact JSON unless pretty.
class JsonWriter {
  private depth = 0;
  private sep = '';
  constructor(private readonly out: (s: string) => void, readonly pretty: boolean) {}
  private eol(): void {
    if (this.pretty) this.out('\n' + '    '.repeat(this.depth));
  }
  private eor(): void {
    if (this.sep) this.out(this.sep);
    this.sep = ',';
  }
  private puts(str: string): void {
    const esc = str.replace(/[\t\n\r\f\b\\"]/g, (c) =>
      ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\b': '\\b', '\\': '\\\\', '"': '\\"' })[c]!);
    this.out(`"${esc}"`);
  }
  begin(c: string): void {
    this.eor();
    this.out(c);
    this.depth++;
    this.sep = '';
  }
  end(c: string): void {
    this.depth--;
    if (this.sep) this.eol();
    this.out(c);
    this.sep = ',';
  }
  name(n: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    this.puts(n);
    this.out(':');
    if (this.pretty) this.out(' ');
  }
  value(raw: string): void {
    this.eor();
    this.out(raw);
  }
  string(s: string): void {
    this.eor();
    this.puts(s);
  }
  startArray(): void {
    this.begin('[');
    if (this.pretty) this.out(' ');
  }
  endArray(): void {
    if (this.pretty && this.sep) this.out(' ');
    this.sep = '';
    this.end(']');
  }
  destroy(): void {
    this.out('\n');
  }
}

/** The per-process printer (upstream: the static _jw plus stdout). */
export class JsonPrint {
  private jw: JsonWriter | null = null;
  /** `_SL_`: line separator, "\\" in oneline mode. */
  sl = '\n';
  constructor(private readonly out: (s: string) => void, private readonly pretty = false) {}

  is_json_context(): boolean {
    return this.jw !== null;
  }
  private isJson(t: OutputType): boolean {
    return this.jw !== null && (t === PRINT_JSON || t === PRINT_ANY);
  }
  private isFp(t: OutputType): boolean {
    return this.jw === null && (t === PRINT_FP || t === PRINT_ANY);
  }

  /** new_json_obj: opens the top-level array when json is on. */
  new_json_obj(json: boolean): void {
    if (!json) return;
    this.jw = new JsonWriter(this.out, this.pretty);
    this.jw.startArray();
  }
  delete_json_obj(): void {
    if (!this.jw) return;
    this.jw.endArray();
    this.jw.destroy();
    this.jw = null;
  }
  open_json_object(name: string | null): void {
    if (!this.jw) return;
    if (name) this.jw.name(name);
    this.jw.begin('{');
  }
  close_json_object(): void {
    if (this.jw) this.jw.end('}');
  }
  open_json_array(t: OutputType, name: string | null): void {
    if (this.isJson(t)) {
      if (name) this.jw!.name(name);
      this.jw!.startArray();
    } else if (this.isFp(t) && name) {
      this.out(name);
    }
  }
  close_json_array(t: OutputType, str: string | null): void {
    if (this.isJson(t)) this.jw!.endArray();
    else if (this.isFp(t) && str) this.out(str);
  }
  print_nl(): void {
    if (!this.jw) this.out(this.sl);
  }
  /** Raw text regardless of mode (fprintf(fp, …) in print paths). */
  fp(s: string): void {
    this.out(s);
  }

  print_string(t: OutputType, key: string | null, fmt: string | null, value: string | null): void {
    if (this.isJson(t)) {
      if (key && value === null) this.jw!.name(key);
      else if (!key && value !== null) this.jw!.string(value);
      else if (key && value !== null) {
        this.jw!.name(key);
        this.jw!.string(value);
      }
    } else if (this.isFp(t) && fmt !== null) {
      this.out(value === null ? fmt.replace('%s', '') : fmt1(fmt, value));
    }
  }
  private num(t: OutputType, key: string | null, fmt: string | null, v: number | bigint): void {
    if (this.isJson(t)) {
      if (key) this.jw!.name(key);
      this.jw!.value(String(v));
    } else if (this.isFp(t) && fmt !== null) {
      this.out(fmt1(fmt, v));
    }
  }
  print_uint(t: OutputType, key: string | null, fmt: string | null, v: number): void {
    this.num(t, key, fmt, v >>> 0);
  }
  print_int(t: OutputType, key: string | null, fmt: string | null, v: number): void {
    this.num(t, key, fmt, v | 0);
  }
  print_u64(t: OutputType, key: string | null, fmt: string | null, v: bigint): void {
    this.num(t, key, fmt, v);
  }
  print_bool(t: OutputType, key: string | null, fmt: string | null, v: boolean): void {
    if (this.isJson(t)) {
      if (key) this.jw!.name(key);
      this.jw!.value(v ? 'true' : 'false');
    } else if (this.isFp(t) && fmt !== null) {
      this.out(fmt1(fmt, v ? 'true' : 'false'));
    }
  }
  /** print_hex: JSON gets the hex digits as a string. */
  print_hex(t: OutputType, key: string | null, fmt: string | null, v: number): void {
    if (this.isJson(t)) {
      if (key) this.jw!.name(key);
      this.jw!.string((v >>> 0).toString(16));
    } else if (this.isFp(t) && fmt !== null) {
      this.out(fmt1(fmt, v >>> 0));
    }
  }
  /** print_size (lib/json_print_math.c): JSON gets the number, text a size. */
  print_size(t: OutputType, key: string | null, fmt: string | null, sz: number): void {
    if (this.isJson(t)) return this.print_uint(t, key, '%u', sz);
    this.print_string(t, key, fmt, sprint_size(sz));
  }
  /** lib/json_print.c print_*_name_value: "name value" with the name as JSON key. */
  print_string_name_value(name: string, value: string): void {
    this.print_string(PRINT_ANY, name, `${name} %s`, value);
  }
  print_uint_name_value(name: string, value: number): void {
    this.print_uint(PRINT_ANY, name, `${name} %u`, value);
  }
}

// lib/json_print_math.c sprint_size
export function sprint_size(sz: number): string {
  const kilo = 1024;
  const mega = kilo * kilo;
  const g = (x: number): string => String(x);
  if (sz >= mega && Math.abs(mega * Math.round(sz / mega) - sz) < 1024) return `${g(Math.round(sz / mega))}Mb`;
  if (sz >= kilo && Math.abs(kilo * Math.round(sz / kilo) - sz) < 16) return `${g(Math.round(sz / kilo))}Kb`;
  return `${sz}b`;
}
