// A pack's teacherKey whose scrypt costs OpenSSL refuses, or that would make every --teacher wait
// for seconds, is refused when the pack is loaded (exit 2, ERR_PACK_SETTINGS), never a crash; and
// whatever scrypt itself refuses is a one-line ERR_TEACHER_KEY, never "a bug".

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { makeTeacherKey, parseTeacherKey, passphraseMatches } from '../../src/lessons/teacher-key.js';
import { runCli } from '../helpers/cli.js';
import { GOOD, packOf } from './pack-fixtures.js';

const PASSPHRASE = 'correct horse battery staple';
/** A key of these costs, with a made-up salt and hash (the form is all the pack load checks). */
const keyOf = (costs: string) => `$scrypt$${costs}$${'A'.repeat(22)}$${'B'.repeat(43)}`;
const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-key-costs-'));

describe('scrypt costs in a pack\'s teacherKey', () => {
  test.each([
    ['ln=16,r=1,p=1', 'asks for scrypt costs ln=16, r=1, which scrypt does not allow: N = 2^ln must be below 2^(16·r) (RFC 7914 §2), so with r=1 ln is at most 15: make a new one with jwt-vs-oauth exercises teacher-key'],
    ['ln=17,r=1,p=1', 'asks for scrypt costs ln=17, r=1, which scrypt does not allow: N = 2^ln must be below 2^(16·r) (RFC 7914 §2), so with r=1 ln is at most 15: make a new one with jwt-vs-oauth exercises teacher-key'],
    ['ln=21,r=1,p=1', 'asks for scrypt costs ln=21, r=1, which scrypt does not allow: N = 2^ln must be below 2^(16·r) (RFC 7914 §2), so with r=1 ln is at most 15: make a new one with jwt-vs-oauth exercises teacher-key'],
    ['ln=20,r=2,p=4', 'asks for scrypt costs ln=20, r=2, p=4, 8 times the work of a key teacher-key makes (ln=17, r=8, p=1); at most twice that is accepted, since every --teacher waits for it: make a new one with jwt-vs-oauth exercises teacher-key'],
    ['ln=14,r=99,p=4', 'asks for scrypt costs ln=14, r=99, p=4, 6.2 times the work of a key teacher-key makes (ln=17, r=8, p=1); at most twice that is accepted, since every --teacher waits for it: make a new one with jwt-vs-oauth exercises teacher-key'],
    ['ln=17,r=9,p=2', 'asks for scrypt costs ln=17, r=9, p=2, 2.3 times the work of a key teacher-key makes (ln=17, r=8, p=1); at most twice that is accepted, since every --teacher waits for it: make a new one with jwt-vs-oauth exercises teacher-key'],
  ])('%s is refused when the pack is loaded (exit 2), naming the rule', async (costs, problem) => {
    const pack = packOf({ 'pack.json': { teacherKey: keyOf(costs) }, 'a.json': GOOD });
    const result = await runCli(['ex', '--pack', pack, 'solution', 'pack-read-sub', '--teacher'], { env: { JWT_VS_OAUTH_HOME: home(), JWT_VS_OAUTH_TEACHER_KEY: PASSPHRASE } });
    expect(result.stderr).toBe(`error: ${join(pack, 'pack.json')}: "teacherKey": ${problem}.\npack.json may set teacherKey and revealAfter, such as {"revealAfter": 3}.\n`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  test.each(['ln=17,r=8,p=1', 'ln=18,r=8,p=1', 'ln=17,r=8,p=2', 'ln=15,r=1,p=1', 'ln=14,r=64,p=2'])('%s (at most twice the work of a new key, within what scrypt allows) is accepted', (costs) => {
    expect(parseTeacherKey(keyOf(costs))).toMatchObject({ salt: expect.any(Buffer) });
  });

  test('the key teacher-key makes opens --teacher', async () => {
    const pack = packOf({ 'pack.json': { teacherKey: await makeTeacherKey(PASSPHRASE) }, 'a.json': GOOD });
    const result = await runCli(['ex', '--pack', pack, 'solution', 'pack-read-sub', '--teacher', '--json'], { env: { JWT_VS_OAUTH_HOME: home(), JWT_VS_OAUTH_TEACHER_KEY: PASSPHRASE } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).id).toBe('pack-read-sub');
  });
});
