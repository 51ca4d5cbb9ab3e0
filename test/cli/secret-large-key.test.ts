// A huge JWK "oct" key that holds text (issue #11 review): mint and verify read only its start to
// judge it, so they finish and warn in a few words instead of running out of memory.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const NOW = 1_800_000_000;

test('mint --key and verify --key with a 600 KiB text "oct" key (near the 1 MiB key-file cap): exit 0, one warning, a pattern of a few bits', async () => {
  const size = 600 * 1024;
  const text = 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(size / 26)).slice(0, size);
  const file = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-large-key-')), 'large-oct.json');
  writeFileSync(file, JSON.stringify({ kty: 'oct', k: Buffer.from(text).toString('base64url') }));

  const minted = await runCli(['mint', '--key', file, '--sub', 'asha', '--json'], { now: NOW });
  expect(minted.code).toBe(0);
  const { token, warnings } = JSON.parse(minted.stdout) as { token: string; warnings: Array<{ code: string; message: string }> };
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.code).toBe('weak-secret');
  const bits = Number(/^The secret is a pattern, a sequence or repeat \(about (\d+) bits by our estimate\)/.exec(warnings[0]!.message)?.[1]);
  // A repeat costs a few bits however long it runs (it once said "about 359 bits").
  expect(bits).toBeLessThan(64);

  const verified = await runCli(['verify', token, '--key', file, '--alg', 'HS256'], { now: NOW });
  expect(verified.code).toBe(0);
  expect(verified.stderr).toBe(`! warning (weak-secret): ${warnings[0]!.message}\n`);
}, 30_000);
