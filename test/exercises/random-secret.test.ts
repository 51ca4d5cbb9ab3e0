// fix-short-secret (issue #11, item 4): an HMAC secret needs entropy, not just length (RFC 8725
// §3.5). The check refuses a secret assessSecret() calls weak and says why in words; the old
// model answer, a 42-byte pattern, now fails; a random 32-byte secret passes.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CLASSROOM_SECRETS } from '../../src/lessons/material.js';
import { PRACTICE_API } from '../../src/lessons/practice-api.js';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const temporary = (prefix: string) => mkdtempSync(join(tmpdir(), `jwt-vs-oauth-${prefix}-`));
const home = () => ({ JWT_VS_OAUTH_HOME: temporary('home') });

interface Line { label: string; expected: string; got: string; ok: boolean; why?: string }

async function checkWith(secret: string, pack?: string): Promise<{ code: number; passed: boolean; lines: Record<string, Line> }> {
  const token = (await runCli(['mint', '--secret', secret, '--sub', 'asha'])).stdout.trim();
  const result = await runCli(['ex', ...(pack ? ['--pack', pack] : []), 'check', 'fix-short-secret', token, secret, '--json'], { env: home() });
  const json = JSON.parse(result.stdout) as { passed: boolean; checks: Line[] };
  return { code: result.code, passed: json.passed, lines: Object.fromEntries(json.checks.map((line) => [line.label, line])) };
}

describe('fix-short-secret: the secret must look random, not only be long', () => {
  test('the reference solution passes selftest, and its secret is made fresh each time it is shown: one shown secret passes, the old published one is refused', async () => {
    const env = home();
    const selftest = await runCli(['ex', 'selftest', 'fix-short-secret', '--json'], { env });
    expect(selftest.code).toBe(0);
    expect(JSON.parse(selftest.stdout).exercises).toEqual([{ id: 'fix-short-secret', title: 'Fix: a guessable secret', ok: true, solutionPasses: true, emptyAnswerFails: true }]);
    const solution = JSON.parse((await runCli(['ex', 'solution', 'fix-short-secret', '--teacher', '--json'], { env })).stdout);
    expect(solution.explain.join(' ')).toContain('32 random bytes made fresh each time this solution is shown');
    const again = JSON.parse((await runCli(['ex', 'solution', 'fix-short-secret', '--teacher', '--json'], { env })).stdout);
    expect(again.answers[1]).not.toBe(solution.answers[1]);
    expect((await checkWith(solution.answers[1])).code).toBe(0);
    // A secret printed for everyone (here the practice API's) is still refused.
    const { code, lines } = await checkWith(PRACTICE_API.secret);
    expect(code).toBe(1);
    expect(lines['secret strength']).toMatchObject({ ok: true });
    expect(lines['secret is your own']).toMatchObject({ label: 'secret is your own', expected: 'a secret printed nowhere', ok: false, why: 'that secret is printed in these lessons for everyone to read: make your own with openssl rand -base64 32' });
  });

  test.each([
    ['the tutorial\'s', 'awXVDNBCj23Lg9BeZ8VYeDpgWgbLqykaAgbOV5h2xBo=', /^printed in lessons\/tutorial\/\d\d-[a-z-]+\.json$/],
    ['the practice API\'s', PRACTICE_API.secret, 'the practice API\'s demo secret, printed in the lessons'],
    ['the HS256 classroom secret', CLASSROOM_SECRETS.HS256, 'a classroom demo secret, printed in the tasks'],
    ['the HS512 classroom secret', CLASSROOM_SECRETS.HS512, 'a classroom demo secret, printed in the tasks'],
  ])('%s secret, printed for everyone, is refused', async (_name, secret, got) => {
    const { code, lines } = await checkWith(secret);
    expect(code).toBe(1);
    expect(lines['secret is your own']).toMatchObject({ ok: false, got, why: 'that secret is printed in these lessons for everyone to read: make your own with openssl rand -base64 32' });
  });

  test('a secret printed only in the pack in use is refused with that pack, and passes without it', async () => {
    const secret = randomBytes(32).toString('base64');
    const pack = temporary('pack');
    writeFileSync(join(pack, '01-notes.json'), JSON.stringify({ ...JSON.parse(readFileSync(new URL('../../lessons/exercises/01-read-subject.json', import.meta.url), 'utf8')), id: 'pack-notes', hints: [`An example secret: ${secret}`] }));
    const withPack = await checkWith(secret, pack);
    expect(withPack.code).toBe(1);
    expect(withPack.lines['secret is your own']).toMatchObject({ ok: false, got: `printed in ${basename(pack)}/01-notes.json` });
    const without = await checkWith(secret);
    expect(without.code).toBe(0);
    expect(without.lines['secret is your own']).toEqual({ label: 'secret is your own', expected: 'a secret printed nowhere', got: 'not printed in these lessons', ok: true });
  });

  test('the old model answer, 0123456789abcdef0123456789abcdef-classroom (42 bytes), now fails for its entropy', async () => {
    const { code, lines } = await checkWith('0123456789abcdef0123456789abcdef-classroom');
    expect(code).toBe(1);
    expect(lines['secret length']).toMatchObject({ ok: true, got: '42 bytes' });
    expect(lines['secret strength']).toMatchObject({ ok: false, got: expect.stringMatching(/^a pattern \(sequence or repeat\): about \d+ bits by our estimate$/) });
    expect(lines['secret strength']!.why).toMatch(/^that secret looks human-made: about \d+ bits by our estimate, and an attacker guesses such secrets offline from one token; use 32 random bytes: openssl rand -base64 32$/);
  });

  test('jwt.io\'s your-256-bit-secret fails as a famous example', async () => {
    const { code, lines } = await checkWith('your-256-bit-secret');
    expect(code).toBe(1);
    expect(lines['secret strength']!.why).toBe('that secret is a famous example secret (jwt.io\'s): the first one an attacker tries; use 32 random bytes: openssl rand -base64 32');
  });

  test('a phrase of 35 bytes passes the length rule and fails as human-made', async () => {
    const { code, lines } = await checkWith('swaad-food-delivery-secret-key-2024');
    expect(code).toBe(1);
    expect(lines['secret length']).toMatchObject({ ok: true });
    expect(lines['secret strength']).toMatchObject({ ok: false, got: expect.stringMatching(/^looks made of words/), why: expect.stringMatching(/^that secret looks human-made/) });
  });

  test('a passphrase that scores above the bar still fails: the exercise asks for a random secret', async () => {
    const { code, lines } = await checkWith('my-super-secret-key-that-nobody-will-ever-guess-2024');
    expect(code).toBe(1);
    expect(lines['secret strength']).toMatchObject({ ok: false, got: 'looks made of words: about 135 bits by our estimate', why: expect.stringMatching(/^that secret looks human-made/) });
  });

  test.each([
    ['base64', () => randomBytes(32).toString('base64')],
    ['hex', () => randomBytes(32).toString('hex')],
  ])('random 32-byte secrets in %s pass', async (_encoding, make) => {
    for (let round = 0; round < 5; round++) {
      const { code, lines } = await checkWith(make());
      expect(lines['secret strength']).toMatchObject({ ok: true, got: expect.stringMatching(/^about \d+ bits by our estimate$/) });
      expect(lines['secret strength']).not.toHaveProperty('why');
      expect(code).toBe(0);
    }
  });

  test('the human output shows why under got', async () => {
    const secret = '0123456789abcdef0123456789abcdef-classroom';
    const token = (await runCli(['mint', '--secret', secret, '--sub', 'asha'])).stdout.trim();
    const result = await runCli(['ex', 'check', 'fix-short-secret', token, secret], { env: home() });
    expect(result.stdout).toMatch(/ {2}✗ secret strength\n {6}expected: random: at least 128 bits by our estimate \(RFC 8725 §3\.5\)\n {6}got: {6}a pattern \(sequence or repeat\): about \d+ bits by our estimate\n {6}why: {6}that secret looks human-made/);
  });

  test('check.requireRandomSecret must be true or false in a pack', async () => {
    const example = JSON.parse(readFileSync(new URL('../../lessons/exercises/16-fix-short-secret.json', import.meta.url), 'utf8'));
    const pack = temporary('pack');
    writeFileSync(join(pack, '01.json'), JSON.stringify({ ...example, id: 'pack-secret', check: { ...example.check, requireRandomSecret: 'yes' } }));
    const result = await runCli(['ex', '--pack', pack, 'list'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${join(pack, '01.json')}: "check.requireRandomSecret": must be true or false\n`);
  });
});
