import { describe, it, expect } from 'vitest';
import { hop, Tracer, withTracer, currentTracer } from './hop';
import { declareBranch } from './branch';
import { formatFunctionGraph } from './ftrace';
import { stopsIn, inOrder, closest, unknownHop } from './query';
import { renderHopSvg, decisiveHop } from '../report/svg';

const leaf = hop('drivers/net/ethernet/mellanox/mlx5/core/en_tc.c', function mlx5e_tc_add_flow(refuse: boolean): number {
  return refuse ? -95 : 0;
});
const mid = hop('net/sched/cls_flower.c', function fl_change(refuse: boolean): number {
  return leaf(refuse);
}, { input: (r) => (r ? 'skip_sw' : 'none') });
const top = hop('lib/netdev-offload-tc.c', function netdev_tc_flow_put(refuse: boolean): number {
  return -mid(refuse);
});

describe('hop tracing', () => {
  it('records a call tree with layers, inputs and errnos', () => {
    const t = new Tracer();
    withTracer(t, () => top(true));
    const [root] = t.roots;
    expect(root).toMatchObject({ fn: 'netdev_tc_flow_put', layer: 'user', depth: 0, result: '95' });
    expect(root!.children[0]).toMatchObject({ fn: 'fl_change', layer: 'tc', input: 'skip_sw', errno: -95, result: '-EOPNOTSUPP' });
    expect(root!.children[0]!.children[0]).toMatchObject({ fn: 'mlx5e_tc_add_flow', layer: 'mlx5_en', depth: 2 });
  });

  it('costs nothing observable without a tracer, and can be switched off', () => {
    expect(top(false)).toBe(-0);
    const t = new Tracer();
    t.enabled = false;
    withTracer(t, () => top(false));
    expect(t.roots).toHaveLength(0);
  });

  it('keeps hosts apart: two tracers never see each other\'s hops', () => {
    const a = new Tracer();
    const b = new Tracer();
    withTracer(a, () => { top(false); withTracer(b, () => leaf(true)); });
    expect(a.all().map((h) => h.fn)).toEqual(['netdev_tc_flow_put', 'fl_change', 'mlx5e_tc_add_flow']);
    expect(b.all().map((h) => h.fn)).toEqual(['mlx5e_tc_add_flow']);
  });

  it('prints an ftrace function_graph tree with return values', () => {
    const t = new Tracer();
    withTracer(t, () => top(true));
    const text = formatFunctionGraph(t.roots);
    expect(text).toContain(' user     | netdev_tc_flow_put() {');
    expect(text).toContain(' tc       |   fl_change(skip_sw) {');
    expect(text).toContain(' mlx5_en  |     mlx5e_tc_add_flow(); /* = -95 EOPNOTSUPP */');
  });

  it('answers "stops in" by lane depth and checks hop order', () => {
    const t = new Tracer();
    withTracer(t, () => top(true));
    expect(stopsIn(t.roots, 'mlx5e_tc_add_flow').ok).toBe(true);
    expect(stopsIn(t.roots, 'fl_change')).toEqual({ ok: false, why: 'fl_change went on to mlx5e_tc_add_flow (mlx5_en)' });
    expect(inOrder(t.roots, [{ fn: 'netdev_tc_flow_put' }, { fn: 'mlx5e_tc_add_flow' }]).ok).toBe(true);
    expect(inOrder(t.roots, [{ fn: 'mlx5e_tc_add_flow' }, { fn: 'fl_change' }])).toMatchObject({ ok: false, missing: { fn: 'fl_change' } });
    expect(closest('fl_chnage', ['fl_change', 'fl_delete', 'tc_new_tfilter'])).toEqual(['fl_change']);
    expect(unknownHop('fl_change', [], t.roots)).toBeUndefined();
    expect(unknownHop('SET_FLOW_TABLE_ENTRY', ['SET_FLOW_TABLE_ENTRY'], [])).toBeUndefined();
    expect(unknownHop('fl_chnage', ['fl_delete'], t.roots)).toBe('"fl_chnage" is not a hop the emulator knows (did you mean fl_change?)');
  });

  it('draws one lane per layer, highlights the decisive hop and escapes text', () => {
    const t = new Tracer();
    withTracer(t, () => top(true));
    expect(decisiveHop(t.all())!.fn).toBe('mlx5e_tc_add_flow');
    const svg = renderHopSvg(t.roots, '<img src=x onerror=alert(1)>');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('class="hop decisive" data-fn="mlx5e_tc_add_flow"');
    expect(svg.match(/<g class="hop/g)).toHaveLength(3);
  });
});

describe('decisive hop', () => {
  const recv = hop('lib/dpif-netlink.c', function dpif_netlink_recv(): number { return -11; });
  const refuse = hop('drivers/net/ethernet/mellanox/mlx5/core/en_tc.c', function mlx5e_tc_add_flow(): number { return -95; });
  const cb = hop('net/sched/cls_api.c', function __tc_setup_cb_call(): number { refuse(); return 0; });
  const handler = hop('ofproto/ofproto-dpif-upcall.c', function recv_upcalls(): number { recv(); cb(); return 0; });

  it('is the deepest origin of an error, not the first one', () => {
    const t = new Tracer();
    withTracer(t, () => handler());
    expect(decisiveHop(t.all())?.fn).toBe('mlx5e_tc_add_flow');
  });

  it('prefers, within a lane, the error that travelled furthest up', () => {
    const leafA = hop('lib/tc.c', function a(): number { return -2; });
    const leafB = hop('lib/tc.c', function b(): number { return -95; });
    const up = hop('lib/tc.c', function c(): number { return leafB(); });
    const t = new Tracer();
    withTracer(t, () => { leafA(); up(); });
    expect(decisiveHop(t.all())?.fn).toBe('b');
  });
});

describe('tracing off and the call context', () => {
  const inner = hop('net/sched/cls_flower.c', function fl_get(x: number): number { return x; });
  const outer = hop('net/sched/cls_api.c', function tc_new_tfilter(x: number): number { return inner(x) + 1; });

  it('Tracer.off() records nothing, branches included, and the functions still run', () => {
    const t = Tracer.off();
    const b = declareBranch('net/sched/cls_flower.c', 'fl_get', 'off_test');
    expect(withTracer(t, () => { b(true); return outer(4); })).toBe(5);
    expect(t.roots).toHaveLength(0);
    expect(t.reached.size).toBe(0);
  });

  it('passes every argument and this through, traced or not', () => {
    const f = hop('lib/tc.c', function tc_args(this: { k: number } | undefined, ...xs: number[]): number { return (this?.k ?? 0) + xs.length; });
    const o = { k: 10, f };
    expect(o.f(1, 2, 3)).toBe(13);
    expect(withTracer(new Tracer(), () => o.f(1, 2))).toBe(12);
  });

  it('finds the tracer after an await, from the async context', async () => {
    const t = new Tracer();
    await withTracer(t, async () => {
      await Promise.resolve();
      expect(currentTracer()).toBe(t);
      outer(1);
    });
    expect(t.all().map((h) => h.fn)).toEqual(['tc_new_tfilter', 'fl_get']);
    expect(currentTracer()).toBeUndefined();
  });

  it('restores the outer tracer when an inner one throws', () => {
    const a = new Tracer();
    const b = new Tracer();
    withTracer(a, () => {
      expect(() => withTracer(b, () => { throw new Error('bug'); })).toThrow('bug');
      inner(1);
    });
    expect(a.all().map((h) => h.fn)).toEqual(['fl_get']);
    expect(b.roots).toHaveLength(0);
  });
});
