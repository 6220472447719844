// Hop tracing: every emulated upstream function is wrapped once, where it is
// defined, by hop(file, fn). The wrapper records a call tree on the tracer of
// the current call context (an AsyncLocalStorage entered by Host.run), so many
// hosts can trace side by side in one process and no module holds a global.
//
// Cost: with tracing off (no tracer, or a disabled one) a hop is one branch
// and a plain call; the emulator runs millions of them per benchmark.
import { AsyncLocalStorage } from 'node:async_hooks';
import { layerOf, type Layer } from './layers';
import { errnoName } from '../kernel/include/uapi/asm-generic/errno';

export interface Hop {
  /** Upstream function name (the wrapped function's `name`). */
  fn: string;
  /** Upstream source file, e.g. `net/sched/cls_flower.c`. */
  file: string;
  layer: Layer;
  /** Call depth in the tree, 0 for an entry point. */
  depth: number;
  /** Order of entry within the trace (0-based). */
  seq: number;
  /** Short summary of the input, if the hop declares one. */
  input?: string;
  /** Short rendering of the result: `0`, `-EOPNOTSUPP`, `void`, or a summary. */
  result?: string;
  /** Numeric errno-style result, when the hop returned 0 or a negative errno. */
  errno?: number;
  /** Set when the function threw (an emulator bug, never an upstream error path). */
  threw?: string;
  /** The extack message set while this hop was the innermost one, if any. */
  extack?: string;
  /** Decision branches declared with `declareBranch` and evaluated in this hop, in order. */
  branches?: { id: string; taken: boolean }[];
  children: Hop[];
}

export interface HopOptions<A extends unknown[], R> {
  /** Summarise the arguments for the trace (kept short: one line). */
  input?: (...args: A) => string | undefined;
  /** Summarise the result; the default renders numbers as errnos. */
  result?: (ret: R) => string | undefined;
  /** Extract an errno from a structured result (e.g. `{ err }`). */
  errno?: (ret: R) => number | undefined;
}

/** Collects the hops of one host. */
export class Tracer {
  /** False: the tracer records nothing (hops cost one branch). */
  enabled = true;
  readonly roots: Hop[] = [];
  private stack: Hop[] = [];
  private seq = 0;
  /** Every hop function ever declared and reached, for coverage views. */
  readonly reached = new Set<string>();

  /** A tracer that records nothing (tracing off for a whole host). */
  static off(): Tracer {
    const t = new Tracer();
    t.enabled = false;
    return t;
  }

  enter(fn: string, file: string, input?: string, layer: Layer = layerOf(file)): Hop {
    const parent = this.stack[this.stack.length - 1];
    const h: Hop = {
      fn, file, layer, depth: this.stack.length, seq: this.seq++,
      input, children: [],
    };
    if (parent) parent.children.push(h);
    else this.roots.push(h);
    this.stack.push(h);
    this.reached.add(fn);
    return h;
  }

  leave(h: Hop): void {
    // Unwind to h even if a nested hop threw past its own leave.
    const i = this.stack.lastIndexOf(h);
    if (i >= 0) this.stack.length = i;
  }

  /** Records a leaf hop that does not wrap a function (e.g. a firmware command). */
  event(fn: string, file: string, input?: string, result?: string, errno?: number): Hop {
    // Tracing off records nothing, as for wrapped hops: the hop is handed back unattached.
    if (!this.enabled) {
      return { fn, file, layer: layerOf(file), depth: this.stack.length, seq: this.seq, input, result, errno, children: [] };
    }
    const h = this.enter(fn, file, input);
    h.result = result;
    h.errno = errno;
    this.leave(h);
    return h;
  }

  /** Forgets the hops recorded so far (a new "When" starts a new trace). */
  reset(): void {
    this.roots.length = 0;
    this.stack.length = 0;
    this.seq = 0;
  }

  /** The innermost hop being executed, if any. */
  current(): Hop | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** All hops in entry order. */
  all(): Hop[] {
    const out: Hop[] = [];
    const walk = (hs: Hop[]): void => {
      for (const h of hs) { out.push(h); walk(h.children); }
    };
    walk(this.roots);
    return out;
  }
}

const context = new AsyncLocalStorage<Tracer>();

/**
 * The tracer of the synchronous section of the innermost withTracer, a
 * register saved and restored around it (so it never outlives the call).
 * Reading it is cheaper than AsyncLocalStorage's lookup; code resumed after
 * an await finds it unset and falls back to the async context.
 */
let syncTracer: Tracer | undefined;

/** Runs fn with `tracer` as the current call context's tracer. */
export function withTracer<T>(tracer: Tracer, fn: () => T): T {
  return context.run(tracer, () => {
    const saved = syncTracer;
    syncTracer = tracer;
    try {
      return fn();
    } finally {
      syncTracer = saved;
    }
  });
}

/** The tracer of the current call context, if any. */
export function currentTracer(): Tracer | undefined {
  return syncTracer ?? context.getStore();
}

function defaultResult(ret: unknown): { text?: string; errno?: number } {
  if (typeof ret === 'number') {
    if (ret < 0) return { text: errnoName(ret), errno: ret };
    return { text: String(ret), errno: ret === 0 ? 0 : undefined };
  }
  if (ret === undefined) return { text: 'void' };
  if (ret === null) return { text: 'NULL' };
  if (typeof ret === 'boolean') return { text: String(ret) };
  if (typeof ret === 'object' && ret !== null && 'err' in ret) {
    const err = (ret as { err: unknown }).err;
    if (typeof err === 'number') return { text: err < 0 ? errnoName(err) : String(err), errno: err };
  }
  return {};
}

/**
 * Declares `fn` as the emulation of the upstream function of the same name in
 * `file`. The returned function behaves exactly like fn; when a tracer is
 * current and enabled it also records a hop.
 */
export function hop<A extends unknown[], R>(
  file: string,
  fn: (...args: A) => R,
  opts: HopOptions<A, R> = {},
): (...args: A) => R {
  const name = fn.name;
  const layer = layerOf(file);
  const wrapped = function (this: unknown): R {
    // `arguments` rather than a rest parameter: no array is built on the
    // untraced path.
    const args = arguments as unknown as A;
    const t = syncTracer ?? context.getStore();
    if (t === undefined || !t.enabled) return fn.apply(this, args);
    const h = t.enter(name, file, opts.input?.(...args), layer);
    try {
      const ret = fn.apply(this, args);
      const d = defaultResult(ret);
      h.result = opts.result?.(ret) ?? d.text;
      h.errno = opts.errno?.(ret) ?? d.errno;
      return ret;
    } catch (e) {
      h.threw = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      t.leave(h);
    }
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  declared.set(name, file);
  return wrapped as unknown as (...args: A) => R;
}

/** Every hop declared by a loaded module: name → upstream file. */
const declared = new Map<string, string>();
export function declaredHops(): ReadonlyMap<string, string> {
  return declared;
}

/**
 * Notes an extack message on the innermost hop of the current call context
 * (called where the message is set, so the decisive hop can show it).
 */
export function traceExtack(msg: string): void {
  const h = currentTracer()?.current();
  if (h) h.extack = msg;
}
