// The corpus: requests real iproute2 tc 6.1 sent, captured as the even
// 8-byte chunks of each message ([0,8), [16,24), …). Every case must encode
// to the same bytes on those chunks; nlmsg_seq/pid (bytes 8–15) never compare.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../netlink/nlmsg';
import { tc_encode } from './tc_encode';

interface Corpus {
  ifindex: Record<string, number>;
  cases: Array<{ args: string; requests: string[] }>;
}

// The corpus lives in the shared reference material checked out beside the repository.
const corpusPath = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'iproute2-tc-requests.json');
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8')) as Corpus;

/** The bytes the capture kept: chunks [16k, 16k+8), the last maybe shorter. */
function evenChunks(msg: Uint8Array): string {
  let out = '';
  for (let k = 0; 16 * k < msg.byteLength; k++) out += toHex(msg.subarray(16 * k, Math.min(16 * k + 8, msg.byteLength)));
  return out;
}

describe('tc_encode against the iproute2 6.1 corpus', () => {
  it('holds cases', () => {
    expect(corpus.cases.length).toBeGreaterThan(40);
  });

  it.each(corpus.cases.map((c) => ({ name: c.args, ...c })))('tc $name', ({ args, requests }) => {
    const r = tc_encode(args.split(' '), corpus.ifindex);
    if (!('requests' in r)) throw new Error(`tc_encode(${args}): exit ${r.exitCode}: ${r.stderr}`);
    expect(r.requests.length, `tc_encode(${args}): request count`).toBe(requests.length);
    requests.forEach((hex, i) => {
      const full = r.requests[i]!;
      // the capture pattern itself: a message of L bytes keeps this many
      const kept = Array.from({ length: Math.ceil(full.byteLength / 16) }, (_, k) =>
        Math.min(8, full.byteLength - 16 * k)).reduce((a, b) => a + b, 0);
      expect(hex.length / 2, `tc_encode(${args}): request ${i} captured length`).toBe(kept);
      expect(evenChunks(full), `tc_encode(${args}): request ${i}`).toBe(hex);
    });
  });

  it('zeroes nlmsg_seq and sends nlmsg_pid 0', () => {
    const r = tc_encode(['filter', 'show', 'dev', 'v0', 'ingress'], corpus.ifindex);
    if (!('requests' in r)) throw new Error(r.stderr);
    for (const m of r.requests) expect(toHex(m.subarray(8, 16))).toBe('0000000000000000');
  });

  it('reports a parse failure as exit code and stderr', () => {
    expect(tc_encode(['filter', 'add', 'dev', 'v0', 'ingress', 'prio', '70000', 'flower'], corpus.ifindex)).toEqual({
      exitCode: 255,
      stderr: 'Error: argument "70000" is wrong: invalid priority value\n',
    });
  });
});
