// A terminal progress bar with rate and ETA for long operations (the bench,
// scale scenarios, fuzz and soak). It draws only on an interactive terminal
// and stays silent in CI logs (CI set, or output not a TTY).

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface Progress {
  /** `done` of `total` items finished so far. */
  update(done: number, total: number): void;
  /** Clears the bar (the caller then prints its result line). */
  done(): void;
}

export function progressEnabled(sink: ProgressSink, env: NodeJS.ProcessEnv): boolean {
  return sink.isTTY === true && !env.CI;
}

function si(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

function secs(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${s.toFixed(0)}s`;
}

/** Formats one bar line, e.g. `chain 100k off [#####.....]  50% 50k/100k 210k/s ETA 0s`. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number, width = 20): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const fill = Math.round(frac * width);
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return `${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${si(done)}/${si(total)} ${si(rate)}/s ETA ${secs(eta)}`;
}

/** A bar for `label`, redrawn at most every 100 ms; a no-op when disabled. */
export function createProgress(label: string, sink: ProgressSink, enabled: boolean, now: () => number = () => performance.now()): Progress {
  if (!enabled) return { update() {}, done() {} };
  const start = now();
  let last = -Infinity;
  return {
    update(done, total) {
      const t = now();
      if (t - last < 100 && done < total) return;
      last = t;
      const line = progressLine(label, done, total, t - start).slice(0, (sink.columns ?? 100) - 1);
      sink.write(`\r${line}\x1b[K`);
    },
    done() {
      sink.write('\r\x1b[K');
    },
  };
}
