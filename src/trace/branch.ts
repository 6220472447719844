// Decision branches, for coverage. A module declares each decision it wants
// counted once, at load time, next to the hop that takes it:
//
//   const skip_hw_branch = declareBranch('net/sched/cls_flower.c', 'fl_change', 'skip_hw');
//   …
//   if (skip_hw_branch(tc_skip_hw(flags))) { … }
//
// Evaluating the branch returns its argument unchanged and, when a tracer is
// current, records `{ id, taken }` on the innermost hop. Because
// declarations happen at module load, a branch that no scenario reaches is
// still listed (as never taken / never not taken) by the coverage report.
import { currentTracer } from './hop';

export interface BranchDecl {
  /** `fn:name`, unique across the emulator. */
  id: string;
  /** The hop (upstream function) the decision is made in. */
  fn: string;
  /** What is decided, e.g. `skip_hw`; `taken` means the condition held. */
  name: string;
  /** Upstream file of fn. */
  file: string;
}

const declared = new Map<string, BranchDecl>();

/**
 * Declares a decision of `fn` (in upstream `file`) and returns the function
 * that records its outcome. Declaring the same id twice is an emulator bug.
 */
export function declareBranch(file: string, fn: string, name: string): (taken: boolean) => boolean {
  const id = `${fn}:${name}`;
  const prev = declared.get(id);
  if (prev && prev.file !== file) throw new Error(`branch ${id} declared in ${prev.file} and ${file}`);
  declared.set(id, { id, fn, name, file });
  return (taken: boolean): boolean => {
    const t = currentTracer();
    if (t === undefined || !t.enabled) return taken;
    const h = t.current();
    if (h !== undefined) (h.branches ??= []).push({ id, taken });
    return taken;
  };
}

/** Every branch declared by a loaded module. */
export function declaredBranches(): ReadonlyMap<string, BranchDecl> {
  return declared;
}
