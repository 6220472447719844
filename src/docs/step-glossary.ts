// Renders docs/steps.md: every step a scenario writer can use, what it does
// (the comment above its definition), its parameter types and one real
// example from a feature. Pure: the caller supplies usage and file contents.
import type { ParameterTypeInfo, StepDefinitionInfo, StepUsage } from './step-usage';

export type ReadSource = (uri: string) => string;

/** The `//` comment block directly above `line` (1-based), joined into one paragraph. */
export function commentAbove(source: string, line: number): string {
  const lines = source.split('\n');
  const out: string[] = [];
  for (let i = line - 2; i >= 0; i--) {
    const m = /^\s*\/\/ ?(.*)$/.exec(lines[i]!);
    if (!m) break;
    out.unshift(m[1]!);
  }
  return out.join(' ').replace(/\s+/g, ' ').trim();
}

/** The comment that opens a file (its first `//` block), used as a section title. */
export function fileHeading(source: string): string {
  const out: string[] = [];
  for (const l of source.split('\n')) {
    const m = /^\s*\/\/ ?(.*)$/.exec(l);
    if (!m) break;
    out.push(m[1]!);
  }
  return out.join(' ').replace(/\s+/g, ' ').trim();
}

const BUILT_IN: Record<string, string> = {
  int: 'an integer, e.g. `2`',
  float: 'a decimal number',
  word: 'one word without spaces',
  string: 'text in double or single quotes',
  '': 'anything (anonymous)',
  bigdecimal: 'a decimal number',
  biginteger: 'an integer',
  byte: 'an integer',
  short: 'an integer',
  long: 'an integer',
  double: 'a decimal number',
};

function parameterNames(pattern: string): string[] {
  return [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function renderDefinition(d: StepDefinitionInfo, read: ReadSource): string[] {
  const what = commentAbove(read(d.uri), d.line);
  const out = [`### ${d.keyword} \`${d.pattern}\``, ''];
  out.push(what === '' ? '(no description)' : what, '');
  const params = parameterNames(d.pattern);
  if (params.length > 0) out.push(`Parameters: ${params.map((p) => `\`{${p}}\``).join(', ')}`, '');
  const ex = d.uses[0];
  if (ex) {
    // No use count: it would make the file stale with every new scenario.
    out.push(`Example (${ex.uri}:${ex.line}):`, '', '```gherkin', `${d.keyword} ${ex.text}`, '```', '');
  }
  out.push(`Defined in ${d.uri}:${d.line}.`, '');
  return out;
}

function renderParameterTypes(types: readonly ParameterTypeInfo[], used: ReadonlySet<string>, read: ReadSource): string[] {
  const out = ['## Parameter types', '', '| type | matches | meaning |', '| --- | --- | --- |'];
  const sorted = [...types].filter((t) => t.uri !== undefined || used.has(t.name)).sort((a, b) => a.name.localeCompare(b.name));
  for (const t of sorted) {
    const meaning = t.uri !== undefined && t.line !== undefined ? commentAbove(read(t.uri), t.line) : (BUILT_IN[t.name] ?? 'built in');
    out.push(`| \`{${t.name}}\` | \`${escapeCell(t.regexps.join(' or '))}\` | ${escapeCell(meaning || '(no description)')} |`);
  }
  out.push('');
  return out;
}

/** The whole glossary as Markdown. Deterministic for a given usage and sources. */
export function renderStepGlossary(usage: StepUsage, read: ReadSource): string {
  const out = [
    '# Step glossary',
    '',
    'Every step a scenario can use, grouped by the step file that defines it, with the parameter',
    'types it takes and an example from a real feature. Generated from the step definitions by',
    '`npm run docs`; a test fails when this file is stale, so do not edit it by hand.',
    '',
  ];
  const used = new Set(usage.definitions.flatMap((d) => parameterNames(d.pattern)));
  out.push(...renderParameterTypes(usage.parameterTypes, used, read));
  const files = [...new Set(usage.definitions.map((d) => d.uri))].sort();
  for (const uri of files) {
    const heading = fileHeading(read(uri));
    out.push(`## ${heading === '' ? uri : heading.replace(/\.$/, '')}`, '', `From ${uri}.`, '');
    const defs = usage.definitions.filter((d) => d.uri === uri).sort((a, b) => a.line - b.line);
    for (const d of defs) out.push(...renderDefinition(d, read));
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

/** Problems that make the glossary (or the suite) misleading: unused, ambiguous, undefined, undocumented steps. */
export function glossaryProblems(usage: StepUsage, read: ReadSource): string[] {
  const out: string[] = [];
  for (const d of usage.definitions) {
    if (d.uses.length === 0) out.push(`${d.uri}:${d.line}: step "${d.pattern}" is used by no feature`);
    if (commentAbove(read(d.uri), d.line) === '') out.push(`${d.uri}:${d.line}: step "${d.pattern}" has no comment saying what it does`);
  }
  for (const u of usage.ambiguous) out.push(`${u.uri}:${u.line}: step "${u.text}" matches more than one definition`);
  for (const u of usage.undefinedSteps) out.push(`${u.uri}:${u.line}: step "${u.text}" matches no definition`);
  return out;
}
