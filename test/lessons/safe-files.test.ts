// Reading a file a pack, a lesson folder or a class names: never more than the cap, whatever the
// size claims; never through a link; never waiting on a FIFO.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readPlainFileAtMost } from '../../src/lessons/safe-files.js';

const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-bounded-'));
if (!existsSync('/proc/self/status')) console.warn('safe-files: the /proc test is skipped because this machine has no /proc');

test('a plain file under the cap is read; over it, undefined', () => {
  writeFileSync(join(folder, 'small.json'), '{"a":1}');
  writeFileSync(join(folder, 'big.json'), 'x'.repeat(5000));
  expect(readPlainFileAtMost(join(folder, 'small.json'), 4096)).toBe('{"a":1}');
  expect(readPlainFileAtMost(join(folder, 'big.json'), 4096)).toBeUndefined();
});

test('a link, a FIFO and a folder are refused without being followed, waited on or read', () => {
  symlinkSync(join(folder, 'small.json'), join(folder, 'link.json'));
  execFileSync('mkfifo', [join(folder, 'pipe.json')]);
  expect(readPlainFileAtMost(join(folder, 'link.json'), 4096)).toBeUndefined();
  expect(readPlainFileAtMost(join(folder, 'pipe.json'), 4096)).toBeUndefined();
  expect(readPlainFileAtMost(folder, 4096)).toBeUndefined();
});

test.skipIf(!existsSync('/proc/self/status'))('a /proc file that claims 0 bytes is read only up to the cap', () => {
  // /proc/self/status says its size is 0 but holds about a kilobyte: a cap of 16 bytes must win.
  expect(readPlainFileAtMost('/proc/self/status', 16)).toBeUndefined();
  expect(readPlainFileAtMost('/proc/self/status', 1024 * 1024)).toMatch(/^Name:/);
});
