// Whatever scrypt refuses, thrown at once or passed to the callback (parameters, memory), is a
// one-line ERR_TEACHER_KEY (exit 2), never "something unexpected went wrong … a bug".

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { GOOD, packOf } from './pack-fixtures.js';

const failure = vi.hoisted(() => ({ mode: 'throw' as 'throw' | 'callback' }));

vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const scrypt = (_password: unknown, _salt: unknown, _length: unknown, _options: unknown, callback: (error: Error | null, key?: Buffer) => void) => {
    const error = Object.assign(new Error('Invalid scrypt params: error:030000E8:digital envelope routines::memory limit exceeded'), { code: 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS' });
    if (failure.mode === 'throw') throw error;
    setImmediate(() => callback(error));
  };
  return { ...crypto, default: { ...crypto, scrypt }, scrypt };
});

const KEY = `$scrypt$ln=17,r=8,p=1$${'A'.repeat(22)}$${'B'.repeat(43)}`;

describe('an error from scrypt while checking the teacher passphrase', () => {
  test.each(['throw', 'callback'] as const)('scrypt refusing the costs (%s): exit 2, one line naming the key, a way on', async (mode) => {
    failure.mode = mode;
    const pack = packOf({ 'pack.json': { teacherKey: KEY }, 'a.json': GOOD });
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-scrypt-error-'));
    const result = await runCli(['ex', '--pack', pack, 'solution', 'pack-read-sub', '--teacher'], { env: { JWT_VS_OAUTH_HOME: home, JWT_VS_OAUTH_TEACHER_KEY: 'correct horse battery staple' } });
    expect(result.stderr).toBe('error: scrypt cannot use the teacher key\'s costs ln=17, r=8, p=1 here (Invalid scrypt params: error:030000E8:digital envelope routines::memory limit exceeded).\nMake a new key with: jwt-vs-oauth exercises teacher-key\n');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  test('making a key: the same one line (exit 2), no key printed', async () => {
    failure.mode = 'callback';
    const result = await runCli(['ex', 'teacher-key'], { stdin: 'correct horse battery staple\n' });
    expect(result.stderr).toBe('error: scrypt could not make the teacher key (Invalid scrypt params: error:030000E8:digital envelope routines::memory limit exceeded); no key was made.\nIt needs 128 MiB of memory: close something and run it again.\n');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
