// The attacker's findings on the exercise engine (issue #14): each verdict a learner or teacher
// sees, as the CLI prints it, where it was wrong before.

import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { LETTERS, MAX_CHOICES } from '../../src/lessons/choices.js';
import { localeFrom } from '../../src/lessons/language-tags.js';
import { runBin, runCli } from '../helpers/cli.js';
import { GOOD, packOf } from './pack-fixtures.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-findings-'));
const PRACTICE_SECRET = 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=';
const base64url = (text: string) => Buffer.from(text).toString('base64url');
/** An HS256 token signed with the practice secret, with exactly this header and these claims. */
function handMade(header: object, claims: object): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac('sha256', PRACTICE_SECRET).update(input).digest('base64url')}`;
}
/** The material a learner with seed r2 gets for a built-in exercise. */
const BUILT_IN = join(lessonsFolder(), 'exercises');
const material = (id: string) => materialFor(findExercise(loadExercises(BUILT_IN, undefined, 'en'), id), 'r2');
const NOW = 1_780_000_000;
const practiceClaims = (extra: object = {}) => ({ iss: 'https://practice-api.jwt-vs-oauth.local', aud: 'practice-api', role: 'customer', iat: NOW, exp: NOW + 600, ...extra });
async function checkJson(id: string, answers: string[], options: { now?: number; pack?: string; seed?: string } = {}) {
  const result = await runCli(['ex', ...(options.pack ? ['--pack', options.pack] : []), ...(options.seed ? ['--seed', options.seed] : []), 'check', id, ...answers, '--json'], { env: { JWT_VS_OAUTH_HOME: home() }, now: options.now });
  return { code: result.code, stderr: result.stderr, json: result.stdout ? JSON.parse(result.stdout) : undefined };
}

describe('finding 3: token-rules fails every token verify rejects, with why in words', () => {
  test('a hand-made token with every rule right passes (the control)', async () => {
    const { code, json } = await checkJson('make-practice-token', [handMade({ alg: 'HS256' }, practiceClaims())], { now: NOW });
    expect(code).toBe(0);
    expect(json.passed).toBe(true);
  });

  test('minted with --nbf 14m: fails on nbf, as verify says', async () => {
    const minted = await runCli(['mint', '--secret', PRACTICE_SECRET, '--iss', 'https://practice-api.jwt-vs-oauth.local', '--aud', 'practice-api', '--exp', '10m', '--nbf', '14m', '--claim', 'role=customer'], { now: NOW });
    const token = minted.stdout.trim();
    const verify = await runCli(['verify', token, '--secret', PRACTICE_SECRET], { now: NOW });
    expect(verify.code).not.toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/not valid yet/);
    const { code, json } = await checkJson('make-practice-token', [token], { now: NOW });
    expect(code).toBe(1);
    expect(json.passed).toBe(false);
    const line = json.checks.find((each: { label: string }) => each.label === 'nbf');
    expect(line).toMatchObject({ ok: false, expected: 'a token jwt-vs-oauth verify accepts' });
    expect(line.got).toMatch(/^not valid yet/);
    expect(line.why).toMatch(/not valid yet: its nbf \(not before\) is later than now/);
  });

  test('iat 500 s in the future: fails on iat', async () => {
    const { code, json } = await checkJson('make-practice-token', [handMade({ alg: 'HS256' }, practiceClaims({ iat: NOW + 500 }))], { now: NOW });
    expect(code).toBe(1);
    const line = json.checks.find((each: { label: string }) => each.label === 'iat');
    expect(line).toMatchObject({ ok: false, why: expect.stringMatching(/issued in the future/) });
    expect(line.got).toMatch(/issued in the future/);
  });

  test('header {"alg":"HS256","b64":false,"crit":["b64"]}: fails on crit', async () => {
    const { code, json } = await checkJson('make-practice-token', [handMade({ alg: 'HS256', b64: false, crit: ['b64'] }, practiceClaims())], { now: NOW });
    expect(code).toBe(1);
    const line = json.checks.find((each: { label: string }) => each.label === 'crit');
    expect(line).toMatchObject({ ok: false, why: expect.stringMatching(/critical extensions \(crit\).*RFC 7515 §4\.1\.11/) });
    // Never the expected value: no line's why holds the secret.
    for (const each of json.checks) expect(each.why ?? '').not.toContain(PRACTICE_SECRET);
  });
});

describe('finding 4: a date-time that does not exist, hour 24, or a fraction is not the NumericDate', () => {
  // read-expiry: the token's exp as a number or a date-time; find the seed's exp from the solution.
  const expiry = async () => Number(material('read-expiry').exp);

  test('the exact instant passes; with a non-zero fraction it fails', async () => {
    const exp = await expiry();
    const iso = new Date(exp * 1000).toISOString().replace('.000Z', 'Z');
    expect((await checkJson('read-expiry', [iso], { seed: 'r2' })).code).toBe(0);
    expect((await checkJson('read-expiry', [iso.replace('Z', '.000Z')], { seed: 'r2' })).code).toBe(0);
    const fraction = await checkJson('read-expiry', [iso.replace('Z', '.999Z')], { seed: 'r2' });
    expect(fraction.code).toBe(1);
    expect(fraction.json.passed).toBe(false);
  });
});

describe('finding 13: a space inside quotes is a spacing slip, not a case one', () => {
  test('read-subject \'" jiwoo"\' says the spacing differs', async () => {
    const sub = material('read-subject').sub!;
    const { code, json } = await checkJson('read-subject', [`" ${sub}"`], { seed: 'r2' });
    expect(code).toBe(1);
    expect(json.checks[0].why).toBe('right words, spaced differently: JWT values are compared exactly');
  });
});

/** A pack refused when it loads: exit 2, and the one line that names the file and the field. */
function refusal(files: Record<string, unknown>): { code: number; stderr: string } {
  const result = runBin(['exercises', '--pack', packOf(files), 'list'], { env: { JWT_VS_OAUTH_HOME: home(), LANG: 'en_US.UTF-8' } });
  return { code: result.code, stderr: result.stderr.trim() };
}
const CHOOSE = {
  id: 'pack-choose',
  title: 'Pick one',
  topic: 'choose',
  task: ['Which one?'],
  choices: ['an HttpOnly cookie', 'localStorage'],
  check: { kind: 'choice', answer: 0 },
  hints: ['Which can a script read?'],
  solution: { explain: ['Scripts cannot read an HttpOnly cookie.'], answers: ['a'] },
};

describe('finding 7: exercises selftest checks every translation', () => {
  const pack = () => packOf({ '01-x.json': GOOD, '01-x.hi.json': { ...GOOD, title: 'किसका टोकन?', solution: { explain: ['sub उपयोगकर्ता का नाम है।'], answers: ['{{aud}}'] } } });

  test('in English too, a translation whose solution fails is a failed selftest naming its file', () => {
    const result = runBin(['exercises', '--pack', pack(), 'selftest', '--json'], { env: { JWT_VS_OAUTH_HOME: home(), LANG: 'en_US.UTF-8' } });
    expect(result.code).toBe(1);
    const [outcome] = JSON.parse(result.stdout).exercises;
    expect(outcome).toMatchObject({ id: 'pack-read-sub', ok: false, solutionPasses: false, emptyAnswerFails: true });
    expect(outcome.problem).toMatch(/^01-x\.hi\.json: the solution fails its check \(answer: expected the value the task asks for, got /);
  });

  test('a pack whose translations all pass checks out, and the problem of the shown language is not prefixed when there is no other', () => {
    const good = packOf({ '01-x.json': GOOD, '01-x.hi.json': { ...GOOD, title: 'किसका टोकन?' } });
    const result = runBin(['exercises', '--pack', good, 'selftest', '--json'], { env: { JWT_VS_OAUTH_HOME: home(), LANG: 'hi_IN.UTF-8' } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).exercises[0]).toMatchObject({ ok: true, solutionPasses: true, emptyAnswerFails: true });
  });

  test('a translation that changes the choice answer is refused when the pack loads', () => {
    const { code, stderr } = refusal({ '01-x.json': CHOOSE, '01-x.hi.json': { ...CHOOSE, choices: ['localStorage', 'एक HttpOnly कुकी'], check: { kind: 'choice', answer: 1 } } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/01-x\.hi\.json: "check\.answer": differs from .*01-x\.json, which it translates/);
  });
});

describe('finding 8: at most 10 choices', () => {
  test('11 choices are refused, naming the field and the limit', () => {
    const choices = Array.from({ length: 11 }, (_unused, index) => `choice number ${index + 1}`);
    const { code, stderr } = refusal({ '01-x.json': { ...CHOOSE, choices } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/01-x\.json: "choices": lists 11 choices; at most 10 \(a to j\), one letter each$/);
  });

  test('10 choices load, and MAX_CHOICES is the number of letters', () => {
    const choices = Array.from({ length: 10 }, (_unused, index) => `choice number ${index + 1}`);
    expect(refusal({ '01-x.json': { ...CHOOSE, choices } }).code).toBe(0);
    expect(MAX_CHOICES).toBe(LETTERS.length);
  });
});

describe('finding 12: authoring oddities are refused, naming the field', () => {
  const TOKEN_RULES = {
    id: 'pack-mint',
    title: 'Mint one',
    topic: 'make-a-token',
    task: ['Mint an HS256 token with the secret PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=.'],
    check: { kind: 'token-rules', alg: 'HS256', secret: PRACTICE_SECRET },
    hints: ['mint takes --secret.'],
    solution: { explain: ['mint it.'], answers: ['{{output.1}}'], commands: [`jwt-vs-oauth mint --secret ${PRACTICE_SECRET}`] },
  };
  test.each<[string, Record<string, unknown>, string]>([
    ['check.iss', { ...TOKEN_RULES, material: { kind: 'token' }, check: { ...TOKEN_RULES.check, iss: '{{iss}}' } }, '"check.iss": "{{iss}}" is not a name this exercise fills; it is compared as written and nothing fills {{names}} there: write the value itself'],
    ['check.aud', { ...TOKEN_RULES, check: { ...TOKEN_RULES.check, aud: 'api-{{answer.2}}' } }, '"check.aud": "{{answer.2}}" is not a name this exercise fills; it is compared as written'],
    ['check.claims', { ...TOKEN_RULES, check: { ...TOKEN_RULES.check, claims: { role: ['x', '{{sub}}'] } } }, '"check.claims.role[1]": "{{sub}}" is not a name this exercise fills'],
    ['check.pattern', { ...GOOD, check: { kind: 'answer', pattern: '^{{answer.3}}$' } }, '"check.pattern": "{{answer.3}}" is not a name this exercise fills'],
    ['check.mistakes[0].pattern', { ...GOOD, check: { kind: 'answer', expected: '{{sub}}', mistakes: [{ pattern: '{{aud}}', why: 'that is the audience' }] } }, '"check.mistakes[0].pattern": "{{aud}}" is not a name this exercise fills'],
    ['check.scope', { ...GOOD, material: undefined, task: ['Get a token.'], needs: 'provider', check: { kind: 'provider-token', scope: '{{scope}}' }, solution: { explain: ['sign in.'], answers: ['x'] } }, '"check.scope": "{{scope}}" is not a name this exercise fills'],
    ['a number for check.expected beside a pattern', { ...GOOD, check: { kind: 'answer', pattern: '^5$', expected: 5 } }, '"check.expected": must be a non-empty string (the value as the learner types it, such as "5"); it is a number'],
    ['a choice text that is a number', { ...CHOOSE, choices: ['2', '1'] }, '"choices[0]": "2" reads as a choice\'s letter or number, so a learner typing it picks by position, not this text: write the choice out in words'],
    ['a choice text that is a marked letter', { ...CHOOSE, choices: ['an HttpOnly cookie', '(B)'] }, '"choices[1]": "(B)" reads as a choice\'s letter or number'],
  ])('%s', (_field, exercise, says) => {
    const { code, stderr } = refusal({ '01-x.json': exercise });
    expect(code).toBe(2);
    expect(stderr).toContain(`01-x.json: ${says}`);
  });

  test('a choice text that only starts with a number still loads', () => {
    expect(refusal({ '01-x.json': { ...CHOOSE, choices: ['2 minutes', '1 hour'] } }).code).toBe(0);
  });

  test.each([['U+200B zero-width space', '\u200b'], ['U+00AD soft hyphen', '\u00ad'], ['a tag character', '\u{e0041}'], ['U+FFF9 annotation anchor', '\ufff9'], ['U+3164 Hangul filler', '\u3164'], ['U+115F Hangul choseong filler', '\u115f']])('%s in a task is refused like a control character', (_name, character) => {
    const { code, stderr } = refusal({ '01-x.json': { ...GOOD, task: ['Your token: {{token}}', `Send its${character} sub.`] } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/01-x\.json: task\[1\]: holds a control (or invisible )?character/);
  });

  test('an emoji ZWJ sequence, a flag with tags and Hindi with ZWJ still load', () => {
    expect(refusal({ '01-x.json': { ...GOOD, task: ['Your token: {{token}}', 'Send its sub 👩‍💻 🏴󠁧󠁢󠁥󠁮󠁧󠁿 क्‍ष.'] } }).code).toBe(0);
  });

  test('a translation named 01-x.hi-IN.json is picked for LANG=hi_IN.UTF-8 before 01-x.hi.json, and 01-x.hi.json for hi_IN when there is no region file', () => {
    const both = packOf({ '01-x.json': GOOD, '01-x.hi.json': { ...GOOD, title: 'हिंदी' }, '01-x.hi-IN.json': { ...GOOD, title: 'हिंदी (भारत)' } });
    // selftest reads the language as loadExercises does by default; list, show and check take it from the CLI (see the report).
    const title = (pack: string, env: Record<string, string>) => JSON.parse(runBin(['exercises', '--pack', pack, 'selftest', '--json'], { env: { JWT_VS_OAUTH_HOME: home(), ...env } }).stdout).exercises[0].title;
    expect(title(both, { LANG: 'hi_IN.UTF-8' })).toBe('हिंदी (भारत)');
    expect(title(both, { JWT_VS_OAUTH_LANG: 'hi-IN' })).toBe('हिंदी (भारत)');
    expect(title(both, { LANG: 'hi' })).toBe('हिंदी');
    expect(title(both, { LANG: 'en_US.UTF-8' })).toBe('Whose token?');
    const regionOnly = packOf({ '01-x.json': GOOD, '01-x.hi-IN.json': { ...GOOD, title: 'हिंदी (भारत)' } });
    expect(title(regionOnly, { LANG: 'hi_IN.UTF-8' })).toBe('हिंदी (भारत)');
    expect(title(regionOnly, { LANG: 'hi' })).toBe('Whose token?');
    const languageOnly = packOf({ '01-x.json': GOOD, '01-x.hi.json': { ...GOOD, title: 'हिंदी' } });
    expect(title(languageOnly, { LANG: 'hi_IN.UTF-8' })).toBe('हिंदी');
    expect(loadExercises(BUILT_IN, both, 'hi-IN').at(-1)!.title).toBe('हिंदी (भारत)');
    expect(loadExercises(BUILT_IN, both, 'hi').at(-1)!.title).toBe('हिंदी');
  });

  test.each([['hi_IN.UTF-8', 'hi-IN'], ['hi', 'hi'], ['en_US.UTF-8', 'en-US'], ['C.UTF-8', 'en'], ['', 'en']])('LANG=%s is the language tag %s', (lang, tag) => {
    expect(localeFrom({ LANG: lang })).toBe(tag);
  });
});
