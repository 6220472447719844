import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { commentAbove, fileHeading } from '../src/docs/step-glossary';

const ROOT = join(__dirname, '..');

describe('docs/steps.md', () => {
  it('is up to date, and every step is used, documented and unambiguous', () => {
    const r = spawnSync(process.execPath, ['-r', join(ROOT, 'src', 'cli', 'ts-register-cached.js'), join(ROOT, 'src', 'docs', 'generate.ts'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, `npm run docs --check said:\n${r.stderr}`).toBe(0);
  }, 60_000);
});

describe('glossary text from step sources', () => {
  const src = ['// Steps about X.', '// Second line.', "import x from 'y';", '', '// Runs it', '// and checks.', "When('a', () => {});", "Then('b', () => {});"].join('\n');
  it('reads the comment block directly above a definition', () => {
    expect(commentAbove(src, 7)).toBe('Runs it and checks.');
    expect(commentAbove(src, 8)).toBe('');
  });
  it('takes the opening comment of a file as its heading', () => {
    expect(fileHeading(src)).toBe('Steps about X. Second line.');
  });
});
