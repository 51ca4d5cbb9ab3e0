// Exercises 25 and 26: a DPoP proof made with the real bin, exactly as the solution shows it,
// passes the dpop-proof check; each rule of that check (RFC 9449 §4.3) fails alone, in the
// learner's words; the cnf.jkt exercise's material is bound to one of its keys, and the hint's
// openssl pipeline computes that key's RFC 7638 thumbprint.

import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, test } from 'vitest';
import { runCheck } from '../../src/lessons/checks.js';
import { validateExercise } from '../../src/lessons/exercise-schema.js';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { generateMaterial } from '../../src/lessons/material.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { fillTemplate } from '../../src/lessons/template.js';
import { base64url, runBin } from '../helpers/cli.js';

const exercises = loadExercises(join(lessonsFolder(), 'exercises'));
const SEED = 'dpop-exercise-seed';
const dpopExercise = findExercise(exercises, 'dpop-proof-by-hand');
const material = materialFor(dpopExercise, SEED);
const NOW = Math.floor(Date.now() / 1000);

describe('dpop-proof-by-hand with the real bin', () => {
  test('the commands the solution shows, run in a folder of their own, make a proof that exercises check passes (exit 0)', () => {
    // A command ends its paragraph, after a colon (so the layout keeps it whole).
    const shown = dpopExercise.solution.explain.flatMap((paragraph) => /: (jwt-vs-oauth .+)$/.exec(fillTemplate(paragraph, material))?.[1] ?? []);
    expect(shown).toEqual(['jwt-vs-oauth mint --alg ES256 --save-key dpop-key.json', `jwt-vs-oauth dpop --key dpop-key.json --htm POST --htu ${material.url}`]);
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-dpop-exercise-'));
    const env = { JWT_VS_OAUTH_HOME: folder };
    const outputs = shown.map((command) => {
      const result = runBin(command.split(' ').slice(1), { cwd: folder, env });
      expect(result.code, `${command}: ${result.stderr}`).toBe(0);
      return result.stdout.trim();
    });
    const check = runBin(['exercises', '--seed', SEED, 'check', 'dpop-proof-by-hand', outputs[1]!], { cwd: folder, env });
    expect(check.stdout).toMatch(/^Checking dpop-proof-by-hand: DPoP by hand: make a proof\n/);
    expect(check.stdout.match(/^ {2}[✓✗] .+$/gm)).toEqual(['  ✓ typ', '  ✓ alg', '  ✓ jwk', '  ✓ signature', '  ✓ jti', '  ✓ htm', '  ✓ htu', '  ✓ iat']);
    expect(check.code).toBe(0);
    // Piped, as the hint says: … | jwt-vs-oauth exercises check dpop-proof-by-hand -
    expect(runBin(['exercises', '--seed', SEED, 'check', 'dpop-proof-by-hand', '-'], { cwd: folder, env, input: `${outputs[1]}\n` }).code).toBe(0);
  });

  test('two learners get different URLs; a seed keeps its own', () => {
    expect(material.method).toBe('POST');
    expect(material.url).toMatch(/^https:\/\/auth\.[a-z]+\.example\/(?:token|oauth\/token|oauth2\/token|v1\/token)$/);
    expect(generateMaterial('dpop-request', SEED, 'dpop-proof-by-hand')).toEqual(material);
    const urls = new Set(Array.from({ length: 20 }, (_unused, index) => generateMaterial('dpop-request', `learner-${index}`, 'dpop-proof-by-hand').url));
    expect(urls.size).toBeGreaterThan(10);
  });
});

/** A hand-made proof: header and claims as given, signed with `key` unless a signature is given. */
function proof(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject, signature?: string): string {
  const input = `${base64url(header)}.${base64url(claims)}`;
  return `${input}.${signature ?? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

describe('the dpop-proof check, rule by rule: each rule that fails alone is one line, in words', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk };
  const claims = { jti: 'b8e2a1f0-7d1c-4e55-9a0b-1f2e3d4c5b6a', htm: 'POST', htu: material.url, iat: NOW };
  const failing = async (sent: string) => {
    const result = await runCheck(dpopExercise, [sent], { material, now: NOW });
    expect(result.passed).toBe(result.lines.every((line) => line.ok));
    return result.lines.filter((line) => !line.ok).map((line) => [line.label, line.got, line.why]);
  };

  test('a good proof passes every line; as sent in a header ("DPoP: …") too', async () => {
    expect(await failing(proof(header, claims, privateKey))).toEqual([]);
    expect(await failing(`DPoP: ${proof(header, claims, privateKey)}`)).toEqual([]);
    // RFC 9449 §4.3 compares htu without its query and fragment.
    expect(await failing(proof(header, { ...claims, htu: `${material.url}?tenant=7#top` }, privateKey))).toEqual([]);
  });

  test.each([
    ['typ JWT', { ...header, typ: 'JWT' }, claims, ['typ', 'JWT', /^that is an ordinary JWT token, not a proof: a DPoP proof's header says typ dpop\+jwt/]],
    ['typ missing', { alg: 'ES256', jwk }, claims, ['typ', '(missing)', /^a DPoP proof's header says typ dpop\+jwt \(RFC 9449 §4\.2\)/]],
    ['an HMAC alg', { ...header, alg: 'HS256' }, claims, ['alg', 'HS256', /^HS256 is an HMAC, signed with a secret the server would have to know too/]],
    ['alg none', { ...header, alg: 'none' }, claims, ['alg', 'none', /^an unsigned proof proves nothing/]],
    ['no jwk', { typ: 'dpop+jwt', alg: 'ES256' }, claims, ['jwk', '(missing)', /^the proof carries no jwk in its header/]],
    ['a private jwk', { ...header, jwk: privateKey.export({ format: 'jwk' }) }, claims, ['jwk', 'a private key (it has "d")', /^the jwk holds "d", a member of the private key: anyone who sees the proof can now sign as you/]],
    ['a symmetric jwk', { ...header, jwk: { kty: 'oct', k: 'c2VjcmV0' } }, claims, ['jwk', 'a symmetric key (kty oct)', /^the jwk is a symmetric key/]],
    ['no jti', header, { ...claims, jti: undefined }, ['jti', '(missing)', /^without a jti the server cannot tell a proof replayed/]],
    ['another method', header, { ...claims, htm: 'GET' }, ['htm', 'GET', /^this proof is for a GET request, and the task's request is POST/]],
    ['the method in lower case', header, { ...claims, htm: 'post' }, ['htm', 'post', /^htm is compared exactly, and methods are written in capitals: --htm POST$/]],
    ['another URL', header, { ...claims, htu: 'https://api.example/token' }, ['htu', 'https://api.example/token', /^this proof is for another URL/]],
    ['the URL with a full stop copied after it', header, { ...claims, htu: `${material.url}.` }, ['htu', `${material.url}.`, /copy the task's URL exactly into --htu$/]],
    ['no htu', header, { ...claims, htu: undefined }, ['htu', '(missing)', /^the proof has no htu/]],
    ['made 10 minutes ago', header, { ...claims, iat: NOW - 600 }, ['iat', '600 s ago', /^the proof is 10 minutes old: a server takes a proof only for a few minutes/]],
    ['made 5 minutes in the future', header, { ...claims, iat: NOW + 300 }, ['iat', '300 s in the future', /^the proof says it was made in the future/]],
    ['no iat', header, { ...claims, iat: undefined }, ['iat', '(missing)', /^the proof has no iat/]],
  ] as const)('%s', async (_name, badHeader, badClaims, [label, got, why]) => {
    const lines = await failing(proof(badHeader, JSON.parse(JSON.stringify(badClaims)), privateKey));
    expect(lines).toEqual([[label, got, expect.stringMatching(why)]]);
  });

  test('a signature that does not verify with the proof\'s own jwk (a claim changed after signing)', async () => {
    const signed = proof(header, claims, privateKey);
    const changed = `${base64url(header)}.${base64url({ ...claims, jti: 'another-id' })}.${signed.split('.')[2]}`;
    expect(await failing(changed)).toEqual([['signature', 'does not verify', expect.stringMatching(/^the signature does not verify with the public key in the proof: it was changed after signing, or signed with another key/)]]);
  });

  test.each(['asha:secret@', '@', ':@'])('user information in htu (%s before the host), refused by RFC 9110 §4.2.4, fails the htu line', async (userinfo) => {
    const withUserinfo = material.url!.replace('https://', `https://${userinfo}`);
    expect(await failing(proof(header, { ...claims, htu: withUserinfo }, privateKey))).toEqual([['htu', withUserinfo, expect.stringMatching(/^the proof's htu has an "@" before its host, a user name or password \(even an empty one\), which an http\(s\) URL must not hold \(RFC 9110 §4\.2\.4\)/)]]);
  });

  test('nothing, or not a JWT: one line saying so', async () => {
    expect(await failing('')).toEqual([['a DPoP proof', '(nothing)', 'no proof was given']]);
    expect(await failing('not-a-proof')).toEqual([['a DPoP proof', 'not-a-proof', expect.stringMatching(/^that is not a JWT the check can read: make it with jwt-vs-oauth dpop/)]]);
  });
});

describe('read-cnf-jkt: the token is bound to one of the keys, and the hint finds which', () => {
  const exercise = findExercise(exercises, 'read-cnf-jkt');

  test.each(['learner-1', 'learner-2', 'learner-3'])('seed %s: cnf.jkt is the RFC 7638 thumbprint (as jose computes it) of exactly the key whose kid is the answer', async (seed) => {
    const values = materialFor(exercise, seed);
    const payload = JSON.parse(Buffer.from(values.token!.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.cnf.jkt).toBe(values.jkt);
    const keys = [values.keyA, values.keyB, values.keyC].map((text) => JSON.parse(text!) as Record<string, string>);
    const thumbprints = await Promise.all(keys.map((key) => calculateJwkThumbprint(key as never, 'sha256')));
    expect(keys.filter((_key, index) => thumbprints[index] === values.jkt).map((key) => key.kid)).toEqual([values.kid]);
    expect(new Set(keys.map((key) => key.kid)).size).toBe(3);
  });

  test('the hint\'s openssl pipeline, run in a shell for each key, gives cnf.jkt for the answer\'s key only', () => {
    const values = materialFor(exercise, 'learner-1');
    const pipeline = exercise.hints[1]!.slice(exercise.hints[1]!.indexOf('printf %s'));
    const found = [values.keyA, values.keyB, values.keyC].map((text) => {
      const key = JSON.parse(text!) as Record<string, string>;
      const command = pipeline.replace('<x>', key.x!).replace('<y>', key.y!);
      return [key.kid, execFileSync('sh', ['-c', command], { encoding: 'utf8' }).trim()];
    });
    expect(found.filter(([, jkt]) => jkt === values.jkt).map(([kid]) => kid)).toEqual([values.kid]);
  });

  test('known slips: the thumbprint itself, or the kid of the issuer\'s key, are told why', async () => {
    const values = materialFor(exercise, 'learner-1');
    const why = async (answer: string) => (await runCheck(exercise, [answer], { material: values, now: NOW })).lines[0]!.why;
    expect(await why(values.jkt!)).toBe('that looks like a thumbprint: send the kid of the key whose thumbprint equals the token\'s cnf.jkt');
    expect(await why('swaad-2031')).toMatch(/^that is the kid in the token's header: the issuer's key that signed the token/);
    expect((await runCheck(exercise, [values.kid!], { material: values, now: NOW })).passed).toBe(true);
  });
});

describe('the format of the new check fields', () => {
  const base = { id: 'x', title: 'T', topic: 'oauth-by-hand', task: ['t'], hints: ['h'], solution: { explain: ['e'], answers: ['a'] } };
  test.each([
    ['provider-token clientId not text', { kind: 'provider-token', scope: 'email', clientId: 7 }, '"check.clientId": must name the client the token must be issued to, such as swaad-tv'],
    ['provider-token withoutUser not true or false', { kind: 'provider-token', scope: 'email', withoutUser: 'yes' }, '"check.withoutUser": must be true'],
    ['dpop-proof without htm', { kind: 'dpop-proof', htu: 'https://a.example/token' }, '"check.htm": must give the request\'s HTTP method the proof is for'],
    ['dpop-proof without htu', { kind: 'dpop-proof', htm: 'POST' }, '"check.htu": must give the request\'s URL the proof is for'],
    ['dpop-proof htu with a name the material does not fill', { kind: 'dpop-proof', htm: 'POST', htu: '{{uri}}' }, '"check.htu": "{{uri}}" is not a name this exercise fills'],
  ])('%s is refused, naming the field', (_name, check, message) => {
    expect(() => validateExercise({ ...base, check }, 'bad.json')).toThrow(message);
  });
});
