// `exercises check` takes input the way the workbench does: "-" reads stdin, a token pasted in any
// form `decode` accepts, a choice in any usual form, and an exercise that takes two answers asks
// for the missing one by name (exit 2, no attempt counted).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runCli } from '../helpers/cli.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-input-'));
const attempts = (folder: string) => JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8')).exercises.attempts;
const PRACTICE_SECRET = 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=';
/** A random secret, published here as a test value only. */
const RANDOM_SECRET = 'q1Z3mF0vX8yT5kL2nB7wR4eH9jC6uA0sD3gK8pQ1tY4=';
let practiceToken: string;
let ownSecretToken: string;

beforeAll(async () => {
  practiceToken = (await runCli(['mint', '--secret', PRACTICE_SECRET, '--iss', 'https://practice-api.jwt-vs-oauth.local', '--aud', 'practice-api', '--exp', '10m', '--claim', 'role=customer', '--sub', 'asha'])).stdout.trim();
  ownSecretToken = (await runCli(['mint', '--secret', RANDOM_SECRET, '--sub', 'asha'])).stdout.trim();
});

describe('a token in every form decode accepts, as an argument or on stdin ("-")', () => {
  const forms: Array<[string, (token: string) => string]> = [
    ['bare, with echo\'s newline', (token) => `${token}\n`],
    ['with stray whitespace', (token) => `\n   ${token}  \t\n`],
    ['Bearer …', (token) => `Bearer ${token}`],
    ['an Authorization header line', (token) => `Authorization: Bearer ${token}\n`],
    ['a callback URL with the token in its fragment', (token) => `https://app.example/callback#access_token=${token}&token_type=Bearer`],
    ['a JSON token response', (token) => JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 900 })],
    ['in quotes', (token) => `"${token}"`],
  ];

  test.each(forms)('%s, on stdin: passes', async (_name, form) => {
    const result = await runCli(['ex', 'check', 'make-practice-token', '-'], { stdin: form(practiceToken), env: { JWT_VS_OAUTH_HOME: home() } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test.each(forms)('%s, as the argument: passes', async (_name, form) => {
    expect((await runCli(['ex', 'check', 'make-practice-token', form(practiceToken)], { env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(0);
  });

  test('"Bearer" and the token as two words (no quotes) are one answer', async () => {
    expect((await runCli(['ex', 'check', 'make-practice-token', 'Bearer', practiceToken], { env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(0);
  });

  test('an answer that is not a token fails, saying so in words', async () => {
    const result = await runCli(['ex', 'check', 'make-practice-token', 'hello', '--json'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).checks).toEqual([{ label: 'a token', expected: 'a signed JWT: three base64url parts joined by dots', got: 'hello', ok: false, why: expect.stringMatching(/^that is not a token the check can read: /) }]);
  });

  test.each([
    ['make-practice-token', 'jwt-vs-oauth mint … | jwt-vs-oauth exercises check make-practice-token -'],
    ['read-subject', 'echo <answer> | jwt-vs-oauth exercises check read-subject -'],
  ])('%s: more than 1 MB on stdin is refused as an answer that big (exit 2), not counted', async (id, piped) => {
    const folder = home();
    const result = await runCli(['ex', 'check', id, '-'], { stdin: 'x'.repeat(1024 * 1024 + 1), env: { JWT_VS_OAUTH_HOME: folder } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: The answer is larger than 1 MB; no answer to ${id} is that big.\nPipe in only the answer: ${piped}\n`);
    expect(attempts(folder)).toEqual({});
  });

  test('an answer and a choice come from stdin too', async () => {
    expect((await runCli(['ex', 'check', 'choose-delegated', '-'], { stdin: 'b\n', env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(0);
    const material = materialFor(findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'flaw-one'), 's');
    const otherFlaw = ['alg-none', 'expired', 'wrong-audience'].find((flaw) => flaw !== material.flaw)!;
    expect((await runCli(['ex', '--seed', 's', 'check', 'flaw-one', '-'], { stdin: `${otherFlaw}\n`, env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(1);
    expect((await runCli(['ex', '--seed', 's', 'check', 'flaw-one', '-'], { stdin: `${material.flaw}\n`, env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(0);
  });

  test('empty stdin, or "-" twice, is a usage mistake (exit 2), not an attempt', async () => {
    const folder = home();
    const empty = await runCli(['ex', 'check', 'make-practice-token', '-'], { stdin: '', env: { JWT_VS_OAUTH_HOME: folder } });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('error: stdin was empty: no answer for make-practice-token.\nPipe the answer in: jwt-vs-oauth mint … | jwt-vs-oauth exercises check make-practice-token -\n');
    const twice = await runCli(['ex', 'check', 'fix-short-secret', '-', '-'], { stdin: 'x', env: { JWT_VS_OAUTH_HOME: folder } });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('error: Only one answer can come from stdin ("-").\nExample: jwt-vs-oauth exercises check fix-short-secret "$TOKEN" "$SECRET"\n');
    expect(attempts(folder)['make-practice-token']).toBeUndefined();
  });
});

describe('a choice in every usual form', () => {
  // choose-delegated: (b) is right, of three; TEXT stands for the choice's text as the task shows it.
  test.each(['b', 'B', '2', '(b)', 'b)', '(B)', '2)', 'b.', ' b ', 'TEXT', 'text in lower case', 'TEXT in quotes'])('%j passes', async (form) => {
    const choices = JSON.parse((await runCli(['ex', 'show', 'choose-delegated', '--json'], { env: { JWT_VS_OAUTH_HOME: home() } })).stdout).choices as string[];
    const given = form === 'TEXT' ? choices[1]! : form === 'text in lower case' ? choices[1]!.toLowerCase() : form === 'TEXT in quotes' ? `"${choices[1]}"` : form;
    const result = await runCli(['ex', 'check', 'choose-delegated', given], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ choice\n      expected: the choice that fits the situation best\n      got:      (b) ${choices[1]}\n`);
  });

  test('the choice\'s text as separate words, and the whole line as the task shows it, pass', async () => {
    const choices = JSON.parse((await runCli(['ex', 'show', 'choose-delegated', '--json'], { env: { JWT_VS_OAUTH_HOME: home() } })).stdout).choices as string[];
    expect((await runCli(['ex', 'check', 'choose-delegated', ...choices[1]!.split(' ')], { env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(0);
    expect((await runCli(['ex', 'check', 'choose-delegated', `(b) ${choices[1]}`], { env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(0);
    // The letter and the text must agree.
    expect((await runCli(['ex', 'check', 'choose-delegated', `(a) ${choices[1]}`], { env: { JWT_VS_OAUTH_HOME: home() } })).code).toBe(2);
  });

  test('a wrong choice fails (exit 1) without naming the right one', async () => {
    const result = await runCli(['ex', 'check', 'choose-delegated', 'a', '--json'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(result.code).toBe(1);
    const [line] = JSON.parse(result.stdout).checks;
    expect(line).toMatchObject({ label: 'choice', expected: 'the choice that fits the situation best', ok: false, why: '(a) does not fit: a stored password gives the tool all of the user\'s access, not a limited part, and the user can take it back only by changing the password' });
    expect(result.stdout).not.toMatch(/\(b\)/);
  });

  test.each(['d', '4', '(z)', '0', 'a cookie'])('%j is not one of the choices: exit 2, the forms said, no attempt counted', async (answer) => {
    const folder = home();
    const result = await runCli(['ex', 'check', 'choose-delegated', answer], { env: { JWT_VS_OAUTH_HOME: folder } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: "${answer}" is not one of the choices of choose-delegated; this try was not counted.\nAnswer with a letter (a to c), its number (1 to 3), or the choice's text; see them with: jwt-vs-oauth exercises show choose-delegated\n`);
    expect(attempts(folder)['choose-delegated']).toBeUndefined();
  });
});

describe('an exercise that takes two answers asks for the missing one by name', () => {
  test('fix-short-secret given only the token: exit 2 naming the secret, not a graded attempt', async () => {
    const folder = home();
    for (const words of [[ownSecretToken], [ownSecretToken, ''], [ownSecretToken, '   ']]) {
      const result = await runCli(['ex', 'check', 'fix-short-secret', ...words], { env: { JWT_VS_OAUTH_HOME: folder } });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('error: fix-short-secret takes 2 answers: the token, then the secret; the secret is missing.\nExample: jwt-vs-oauth exercises check fix-short-secret "$TOKEN" "$SECRET"\n');
    }
    expect(attempts(folder)['fix-short-secret']).toBeUndefined();
  });

  test('no answer at all, or three, is refused by name too', async () => {
    const none = await runCli(['ex', 'check', 'fix-short-secret'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('error: No answer given for fix-short-secret: it takes 2 answers: the token, then the secret.\nExample: jwt-vs-oauth exercises check fix-short-secret "$TOKEN" "$SECRET"\n');
    const three = await runCli(['ex', 'check', 'fix-short-secret', ownSecretToken, RANDOM_SECRET, 'extra'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(three.code).toBe(2);
    expect(three.stderr).toBe('error: fix-short-secret takes 2 answers: the token, then the secret; 3 were given.\nPut quotes around an answer that holds spaces. Example: jwt-vs-oauth exercises check fix-short-secret "$TOKEN" "$SECRET"\n');
    const single = await runCli(['ex', 'check', 'read-subject'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(single.stderr).toBe('error: No answer given for read-subject: it takes one answer.\nExample: jwt-vs-oauth exercises check read-subject <answer>\n');
  });

  test('both answers pass: as arguments, the token from stdin, or "Bearer" split off by the shell', async () => {
    const env = () => ({ JWT_VS_OAUTH_HOME: home() });
    expect((await runCli(['ex', 'check', 'fix-short-secret', ownSecretToken, RANDOM_SECRET], { env: env() })).code).toBe(0);
    expect((await runCli(['ex', 'check', 'fix-short-secret', '-', RANDOM_SECRET], { stdin: `${ownSecretToken}\n`, env: env() })).code).toBe(0);
    expect((await runCli(['ex', 'check', 'fix-short-secret', 'Bearer', ownSecretToken, RANDOM_SECRET], { env: env() })).code).toBe(0);
  });

  test('show names both answers in its "Answer with" line', async () => {
    const shown = await runCli(['ex', 'show', 'fix-short-secret'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(shown.stdout).toContain('Answer with: jwt-vs-oauth exercises check fix-short-secret <token> <secret>');
    expect((await runCli(['ex', 'show', 'choose-delegated'], { env: { JWT_VS_OAUTH_HOME: home() } })).stdout).toContain('Answer with: jwt-vs-oauth exercises check choose-delegated <choice>');
  });
});
