// One measurement in its own process (clean heap, own GC), started by run.ts
// with `--expose-gc`. It reads its task from argv, streams progress and
// the result to the parent over the IPC channel.
import { fdbFill, fullChain, hopsPerPut, tcPath, type WorkloadOptions } from './workloads';

export type Task =
  | { kind: 'chain'; n: number; tracing: boolean; budgetMs: number }
  | { kind: 'tc'; n: number; budgetMs: number }
  | { kind: 'fill'; n: number; budgetMs: number }
  | { kind: 'hops' };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: string };

function send(m: WorkerMessage): void {
  process.send?.(m);
}

function main(): void {
  const task = JSON.parse(process.argv[2] ?? '{}') as Task;
  const gcFn = (globalThis as { gc?: () => void }).gc;
  if (!gcFn) throw new Error('worker needs --expose-gc');
  const base = (n: number, tracing: boolean, budgetMs: number): WorkloadOptions => ({
    n, tracing, budgetMs, gc: gcFn, progress: (done, total) => send({ type: 'progress', done, total }),
  });
  let result: unknown;
  switch (task.kind) {
    case 'chain': result = fullChain(base(task.n, task.tracing, task.budgetMs)); break;
    case 'tc': result = tcPath(base(task.n, false, task.budgetMs)); break;
    case 'fill': result = fdbFill(base(task.n, false, task.budgetMs)); break;
    case 'hops': result = hopsPerPut(); break;
  }
  send({ type: 'result', result });
}

try {
  main();
} catch (e) {
  send({ type: 'error', error: e instanceof Error ? e.stack ?? e.message : String(e) });
}
// The IPC channel would keep the process alive.
process.disconnect?.();
