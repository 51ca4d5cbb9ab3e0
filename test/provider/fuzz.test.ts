// The robustness fuzzer (bench/fuzz.mjs) against the real `jwt-vs-oauth provider` process:
// 3 000 seeded random requests (malformed request lines, targets, headers, bodies, tokens).
// After every batch the process is still running and answers discovery with 200; no answer is
// a 5xx; every log line is JSON with no raw control character; nothing is written to stderr.
// `node bench/fuzz.mjs 40000 <seed>` runs it larger.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from 'vitest';
import { fuzzProvider } from '../../bench/fuzz.mjs';
import { BIN } from '../helpers/cli.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_129);
const REQUESTS = 3_000;

test(`${REQUESTS} fuzzed requests (seed ${SEED}): the provider answers every batch, never with a 5xx`, async () => {
  const child = spawn(process.execPath, [BIN, 'provider', '--port', '0', '--json', '--auto-approve'], { env: { PATH: process.env.PATH, NO_COLOR: '1', JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-fuzz-')) } });
  try {
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout });
    const logLines: string[] = [];
    const started = new Promise<{ issuer: string }>((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
    lines.on('line', (line) => logLines.push(line));
    const port = Number(new URL((await started).issuer).port);

    const result = await fuzzProvider({
      port,
      requests: REQUESTS,
      seed: SEED,
      afterBatch: () => {
        expect(child.exitCode, `the provider exited; stderr:\n${stderr}`).toBeNull();
      },
    });

    expect(result.serverErrors).toEqual([]);
    expect(result.realTokens).toBe(2);
    const answered = Object.entries(result.counts).filter(([status]) => /^\d{3}$/.test(status)).reduce((sum, [, count]) => sum + count, 0);
    // Nearly every request gets an answer with a status (a few may be cut off by their own half-close).
    expect(answered).toBeGreaterThan(REQUESTS * 0.9);
    expect(Object.keys(result.counts).filter((status) => status.startsWith('5'))).toEqual([]);
    expect(stderr).toBe('');

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const requests = logLines.slice(1);
    expect(requests.length).toBeGreaterThan(REQUESTS * 0.5);
    for (const line of requests) {
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(JSON.parse(line)).toMatchObject({ event: 'request' });
    }
    console.log(`fuzz seed ${SEED}: ${JSON.stringify(result.counts)}`);
  } finally {
    child.kill('SIGKILL');
  }
});
