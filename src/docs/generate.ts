// `npm run docs`: writes docs/steps.md from the step definitions. With
// --check it writes nothing and fails when the file is stale or a step is
// unused, ambiguous, undefined or undocumented (the test runs this); with
// --lint it only reports those step problems (`npm run lint:features`).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectStepUsage } from './step-usage';
import { glossaryProblems, renderStepGlossary } from './step-glossary';

const GLOSSARY = join('docs', 'steps.md');

async function main(argv: readonly string[]): Promise<number> {
  const cwd = resolve(__dirname, '..', '..');
  const check = argv.includes('--check');
  const lint = argv.includes('--lint');
  const usage = await collectStepUsage(cwd);
  const read = (uri: string): string => readFileSync(join(cwd, uri), 'utf8');
  const text = renderStepGlossary(usage, read);
  const problems = glossaryProblems(usage, read);
  for (const p of problems) process.stderr.write(`${p}\n`);
  if (lint) {
    if (problems.length === 0) process.stdout.write(`${usage.definitions.length} step definitions, all used, documented and unambiguous\n`);
    return problems.length === 0 ? 0 : 1;
  }
  if (check) {
    let current = '';
    try { current = readFileSync(join(cwd, GLOSSARY), 'utf8'); } catch { /* missing counts as stale */ }
    if (current !== text) {
      process.stderr.write(`${GLOSSARY} is stale: run npm run docs\n`);
      return 1;
    }
    return problems.length === 0 ? 0 : 1;
  }
  mkdirSync(join(cwd, 'docs'), { recursive: true });
  writeFileSync(join(cwd, GLOSSARY), text);
  process.stdout.write(`wrote ${GLOSSARY} (${usage.definitions.length} steps)\n`);
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((s) => { process.exitCode = s; }, (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 2;
});
