// An exception escaping the emulator is reported as an emulator bug with the
// script line and the emulator frame, exit 70 — never a bare stack trace.
import { describe, it, expect, vi } from 'vitest';

vi.mock('../host/commands', async (importOriginal) => {
  const real = await importOriginal<typeof import('../host/commands')>();
  return {
    ...real,
    runCommand: (host: Parameters<typeof real.runCommand>[0], line: string) => {
      if (line === 'explode') throw new TypeError('cannot read properties of null (reading "chains")');
      return real.runCommand(host, line);
    },
  };
});

describe('an exception inside the emulator', () => {
  it('stops the script with the line, the command and exit status 70', async () => {
    const { OffloadCli } = await import('./offload-cli');
    let stdout = '';
    let stderr = '';
    const status = new OffloadCli({
      argv: ['run', 's.txt'], cwd: '/', stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; },
      readFile: () => 'ethtool -k enp8s0f0_0\nexplode\ndmesg\n', readStdin: () => '',
    }).main();
    expect(status).toBe(70);
    expect(stdout).toContain('hw-tc-offload: on');
    expect(stderr).toMatch(/^offload-spec: s\.txt:2: emulator bug while running "explode": cannot read properties of null \(reading "chains"\) \(at src\/cli\/offload-cli\.bug\.test\.ts:\d+:\d+\); please report it with this script\n$/);
  });
});
