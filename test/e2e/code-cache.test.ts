// The bin's code cache (src/cli/code-cache.ts): written after a first run into the user's own
// private folder, used by the next run, ignored when it does not fit, never taken from a folder
// others could write to, and off when asked.

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runBin } from '../helpers/cli.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function cacheHome(): string {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-cache-'));
  folders.push(folder);
  return folder;
}
const versionFolder = (home: string) => join(home, 'jwt-vs-oauth', 'code-cache', `${process.version}-${process.arch}`);
const run = (home: string, env: Record<string, string> = {}) => runBin(['--help'], { env: { XDG_CACHE_HOME: home, ...env } });

test('a first run writes each file\'s compiled code (0600 in a 0700 folder); the next run uses it and writes nothing', () => {
  const home = cacheHome();
  const first = run(home);
  expect(first.code).toBe(0);
  const folder = versionFolder(home);
  const files = readdirSync(folder);
  expect(files.length).toBeGreaterThan(0); // main's file at least (the bin itself is compiled before the cache is on)
  expect(files.every((name) => name.endsWith('.v8'))).toBe(true);
  expect(statSync(folder).mode & 0o777).toBe(0o700);
  for (const name of files) expect(statSync(join(folder, name)).mode & 0o777).toBe(0o600);
  const written = Object.fromEntries(files.map((name) => [name, statSync(join(folder, name)).mtimeMs]));

  const second = run(home);
  expect(second.stdout).toBe(first.stdout);
  // A cache V8 accepted is not written again.
  for (const name of files) expect(statSync(join(folder, name)).mtimeMs, name).toBe(written[name]);
});

test('a cache that does not fit (garbage, or from another build) is ignored and replaced; the output is the same', () => {
  const home = cacheHome();
  const expected = run(home).stdout;
  const folder = versionFolder(home);
  for (const name of readdirSync(folder)) writeFileSync(join(folder, name), 'not a code cache');
  const again = run(home);
  expect(again.code).toBe(0);
  expect(again.stdout).toBe(expected);
  for (const name of readdirSync(folder)) expect(readFileSync(join(folder, name), 'utf8')).not.toBe('not a code cache');
});

test('a folder others can write to is neither read nor written', () => {
  const home = cacheHome();
  const folder = versionFolder(home);
  mkdirSync(folder, { recursive: true });
  chmodSync(folder, 0o777);
  const planted = join(folder, 'planted.v8');
  writeFileSync(planted, 'x');
  const result = run(home);
  expect(result.code).toBe(0);
  expect(readdirSync(folder)).toEqual(['planted.v8']);
});

test('JWT_VS_OAUTH_NO_CODE_CACHE=1 and NODE_DISABLE_COMPILE_CACHE=1 turn it off', () => {
  for (const name of ['JWT_VS_OAUTH_NO_CODE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']) {
    const home = cacheHome();
    expect(run(home, { [name]: '1' }).code).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  }
});
