// The attacker's findings on the exercise engine (issue #14): each verdict a learner or teacher
// sees, as the CLI prints it, where it was wrong before.

import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runCli } from '../helpers/cli.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-findings-'));
const PRACTICE_SECRET = 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=';
const base64url = (text: string) => Buffer.from(text).toString('base64url');
/** An HS256 token signed with the practice secret, with exactly this header and these claims. */
function handMade(header: object, claims: object): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac('sha256', PRACTICE_SECRET).update(input).digest('base64url')}`;
}
/** The material a learner with seed r2 gets for a built-in exercise. */
const material = (id: string) => materialFor(findExercise(loadExercises(join(lessonsFolder(), 'exercises'), undefined, 'en'), id), 'r2');
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
