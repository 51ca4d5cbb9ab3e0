// A key file is read only up to 1 MiB: /dev/zero or a huge file is one line and exit 2, never
// hundreds of megabytes read (mint, verify and dpop share the reader).

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'key-file-cap-'));
const big = join(folder, 'big.pem');
writeFileSync(big, `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(2 * 1024 * 1024)}\n-----END PUBLIC KEY-----\n`);
if (!existsSync('/dev/zero')) console.warn('key-file-cap: the /dev/zero case is skipped because this machine has no /dev/zero');

test.each([
  ['verify', ['verify', 'a.b.c', '--key', big]],
  ['mint', ['mint', '--key', big]],
  ['dpop', ['dpop', '--key', big, '--htm', 'POST', '--htu', 'http://127.0.0.1:9400/token']],
])('%s --key with a 2 MiB file: exit 2, "larger than 1024 KiB"', async (_name, argv) => {
  const result = await runCli(argv);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('is larger than 1024 KiB; a key file is a few kilobytes.');
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test.skipIf(!existsSync('/dev/zero'))('verify --key /dev/zero: exit 2 at once, the read stops at the cap', async () => {
  const before = process.memoryUsage().rss;
  const result = await runCli(['verify', 'a.b.c', '--key', '/dev/zero']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('/dev/zero is larger than 1024 KiB');
  expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
});
