import { describe, it, expect } from 'vitest';
import { createProgress, progressEnabled, progressLine } from '../src/host/progress';
import { median, nthDst, fmtBytes } from './stats';
import { TcRequests, chainFlow, decisive, fullChain, tcPath } from './workloads';
import { Tracer, hop, withTracer } from '../src/trace/hop';
import { nla_walk } from '../src/netlink/attr';
import { scaleFeature, STEPS_PER_SCENARIO } from './reports';
import { runSoak } from '../src/soak/soak';
import { runFuzz } from '../src/fuzz/fuzz';
import { NLMSG_HDRLEN, nlmsghdr_decode } from '../src/netlink/nlmsg';

describe('bench helpers', () => {
  it('takes medians and numbers distinct destinations', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect([nthDst(0), nthDst(256), nthDst((1 << 24) - 1)]).toEqual(['10.0.0.0', '10.0.1.0', '10.255.255.255']);
    expect(() => nthDst(1 << 24)).toThrow(RangeError);
    expect(fmtBytes(1536)).toBe('1.50 KiB');
  });

  it('draws a bar with rate and ETA on a terminal only', () => {
    expect(progressLine('fill', 50_000, 100_000, 2_000, 10)).toBe('fill [#####.....]  50% 50k/100k 25k/s ETA 2s');
    expect(progressEnabled({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(progressEnabled({ isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(progressEnabled({ isTTY: false, write: () => true }, {})).toBe(false);
    const out: string[] = [];
    const p = createProgress('x', { isTTY: false, write: (s: string) => out.push(s) }, false);
    p.update(1, 2);
    p.done();
    expect(out).toEqual([]);
  });
});

describe('bench workloads (small N)', () => {
  const opts = { tracing: false, budgetMs: 60_000, progress: () => {}, gc: () => {} };

  it('tc requests differ only in the destination address and seq', () => {
    const r = new TcRequests({ enp8s0f0_0: 5, enp8s0f0_1: 6 }, { skip_sw: true });
    const a = r.request(1, 7, 99);
    const b = r.request(0x010203, 8, 99);
    expect(nlmsghdr_decode(a)).toMatchObject({ nlmsg_type: 44, nlmsg_seq: 7, nlmsg_pid: 99 });
    const diff = [...a].flatMap((x, i) => (x !== b[i] ? [i] : []));
    expect(diff.filter((i) => i >= NLMSG_HDRLEN)).toHaveLength(3);
    expect(nla_walk(a.subarray(NLMSG_HDRLEN + 20)).ok).toBe(true);
  });

  it('puts N flows through the full chain and through tc', () => {
    expect(chainFlow(1)[0]).toContain('ipv4(dst=10.0.0.1,frag=no)');
    const c = fullChain({ ...opts, n: 20 });
    expect(c).toMatchObject({ n: 20, installed: 20, stopped: undefined });
    const t = tcPath({ ...opts, n: 20 });
    expect(t).toMatchObject({ n: 20, installed: 20, stopped: undefined });
  });

  it('runs traced, keeping one put\'s trace at a time', () => {
    const traced = fullChain({ ...opts, n: 3, tracing: true });
    expect(traced.installed).toBe(3);
  });

  it('names the deepest hop that returned the error as where a put was refused', () => {
    const t = new Tracer();
    const fw = hop('drivers/net/ethernet/mellanox/mlx5/core/fs_core.c', function alloc_auto_flow_group(): number { return -28; });
    const mid = hop('drivers/net/ethernet/mellanox/mlx5/core/fs_core.c', function _mlx5_add_flow_rules(): number { return fw(); });
    const top = hop('net/sched/cls_flower.c', function fl_change(): number { return mid(); });
    withTracer(t, () => top());
    const d = decisive(t.roots)!;
    expect(d.hop.fn).toBe('alloc_auto_flow_group');
    expect(d.path).toEqual(['fl_change', '_mlx5_add_flow_rules', 'alloc_auto_flow_group']);
  });
});

describe('reports at scale', () => {
  it('generates one Scenario Outline with a row per scenario over real steps', () => {
    const f = scaleFeature(3);
    expect(f).toContain('Scenario Outline: skip_sw flow <n> is offloaded');
    expect(f.split('\n').filter((l) => /^\s+\| \d+ \| 10\./.test(l))).toEqual(['      | 1 | 10.0.0.1 |', '      | 2 | 10.0.0.2 |', '      | 3 | 10.0.0.3 |']);
    expect(f.split('\n').filter((l) => /^\s+(When|And|Then) /.test(l))).toHaveLength(STEPS_PER_SCENARIO - 1);
  });
});

describe('progress of long runs', () => {
  it('soak and fuzz report inputs done out of inputs asked for', () => {
    const soak: [number, number][] = [];
    runSoak({ seed: 1, ops: 20, progress: (d, t) => soak.push([d, t]) });
    expect(soak.at(-1)).toEqual([20, 20]);
    const fuzz: [number, number][] = [];
    runFuzz({ seed: 1, counts: { 'tc-cmdline': 5, odp: 5 }, progress: (d, t) => fuzz.push([d, t]) });
    expect(fuzz.map(([d]) => d)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(fuzz.map(([, t]) => t))).toEqual(new Set([10]));
  });
});
