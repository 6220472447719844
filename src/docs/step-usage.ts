// What the suite's step definitions are and where features use them, read
// from Cucumber itself: the support library (for keywords) and a dry run's
// message stream (for parameter types and which pickle step matched which
// definition). Nothing is parsed by hand, so the glossary cannot drift from
// what Cucumber sees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import type { Envelope, GherkinDocument } from '@cucumber/messages';

export interface StepUse {
  uri: string;
  line: number;
  text: string;
}

export interface StepDefinitionInfo {
  keyword: string;
  pattern: string;
  uri: string;
  line: number;
  uses: StepUse[];
}

export interface ParameterTypeInfo {
  name: string;
  regexps: string[];
  uri?: string;
  line?: number;
}

export interface StepUsage {
  definitions: StepDefinitionInfo[];
  parameterTypes: ParameterTypeInfo[];
  /** Feature steps that matched more than one definition. */
  ambiguous: StepUse[];
  /** Feature steps that matched none. */
  undefinedSteps: StepUse[];
}

function stepLines(doc: GherkinDocument): Map<string, number> {
  const lines = new Map<string, number>();
  type Child = { background?: { steps: readonly { id: string; location: { line: number } }[] }; scenario?: { steps: readonly { id: string; location: { line: number } }[] }; rule?: { children: readonly Child[] } };
  const visit = (children: readonly Child[]): void => {
    for (const c of children) {
      for (const s of c.background?.steps ?? []) lines.set(s.id, s.location.line);
      for (const s of c.scenario?.steps ?? []) lines.set(s.id, s.location.line);
      if (c.rule) visit(c.rule.children);
    }
  };
  visit((doc.feature?.children ?? []) as readonly Child[]);
  return lines;
}

// The message stream does not say which of Given/When/Then defined a step;
// the definition's own line does.
function keywordAt(cwd: string, uri: string, line: number): string {
  const text = readFileSync(join(cwd, uri), 'utf8').split('\n')[line - 1] ?? '';
  return /\b(Given|When|Then)\s*\(/.exec(text)?.[1] ?? 'Step';
}

/** Dry-runs the suite in `cwd` with its default profile (no tag filter) and collects step usage. */
export async function collectStepUsage(cwd: string): Promise<StepUsage> {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  // Every feature counts, the @scale ones too (the default profile leaves those out).
  const { runConfiguration } = await loadConfiguration({ provided: { tags: '' } }, { cwd });
  const support = await loadSupport(runConfiguration, { cwd, stdout: sink, stderr: sink });
  const envelopes: Envelope[] = [];
  await runCucumber(
    { ...runConfiguration, support, formats: { stdout: 'summary', files: {}, publish: false, options: {} }, runtime: { ...runConfiguration.runtime, dryRun: true } },
    { cwd, stdout: sink, stderr: sink },
    (e) => envelopes.push(e),
  );

  const byId = new Map<string, StepDefinitionInfo>();
  const definitions: StepDefinitionInfo[] = [];
  for (const e of envelopes) {
    const sd = e.stepDefinition;
    if (!sd) continue;
    const uri = sd.sourceReference.uri ?? '';
    const line = sd.sourceReference.location?.line ?? 0;
    const info: StepDefinitionInfo = { keyword: keywordAt(cwd, uri, line), pattern: sd.pattern.source, uri, line, uses: [] };
    byId.set(sd.id, info);
    definitions.push(info);
  }
  const parameterTypes: ParameterTypeInfo[] = [];
  const lineOfStep = new Map<string, number>();
  const pickleSteps = new Map<string, StepUse>();
  for (const e of envelopes) {
    if (e.parameterType) {
      const p = e.parameterType;
      parameterTypes.push({ name: p.name, regexps: [...p.regularExpressions], uri: p.sourceReference?.uri, line: p.sourceReference?.location?.line });
    }
    if (e.gherkinDocument) for (const [id, line] of stepLines(e.gherkinDocument)) lineOfStep.set(id, line);
  }
  for (const e of envelopes) {
    if (!e.pickle) continue;
    for (const s of e.pickle.steps) pickleSteps.set(s.id, { uri: e.pickle.uri, line: lineOfStep.get(s.astNodeIds[0] ?? '') ?? 0, text: s.text });
  }
  const ambiguous: StepUse[] = [];
  const undefinedSteps: StepUse[] = [];
  for (const e of envelopes) {
    if (!e.testCase) continue;
    for (const ts of e.testCase.testSteps) {
      if (!ts.pickleStepId) continue; // a hook
      const use = pickleSteps.get(ts.pickleStepId);
      if (!use) continue;
      const ids = ts.stepDefinitionIds ?? [];
      if (ids.length === 0) undefinedSteps.push(use);
      else if (ids.length > 1) ambiguous.push(use);
      else byId.get(ids[0]!)?.uses.push(use);
    }
  }
  // The same outline step runs once per example row; keep one use per line.
  for (const d of definitions) {
    const seen = new Set<string>();
    d.uses = d.uses.filter((u) => {
      const k = `${u.uri}:${u.line}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }).sort((a, b) => a.uri.localeCompare(b.uri) || a.line - b.line);
  }
  return { definitions, parameterTypes, ambiguous, undefinedSteps };
}
