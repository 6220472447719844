// Small numeric helpers for the benchmark: medians and readable figures.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** 1234567 → "1,234,567"; NaN → "-". */
export function fmtInt(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-';
}

export function fmtBytes(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 1 << 30) return `${(x / (1 << 30)).toFixed(2)} GiB`;
  if (Math.abs(x) >= 1 << 20) return `${(x / (1 << 20)).toFixed(1)} MiB`;
  if (Math.abs(x) >= 1024) return `${(x / 1024).toFixed(2)} KiB`;
  return `${x.toFixed(0)} B`;
}

/** The i-th distinct IPv4 destination of a workload: 10.x.y.z, i < 2^24. */
export function nthDst(i: number): string {
  if (i < 0 || i >= 1 << 24) throw new RangeError(`flow ${i}: only 2^24 distinct 10.0.0.0/8 addresses`);
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}
