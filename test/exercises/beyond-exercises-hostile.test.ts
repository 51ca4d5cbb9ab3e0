// The dpop-proof check against hostile or odd answers and packs: deep JSON is refused in one line
// (no crash), a pack's htu must be an http(s) URL, a key a server refuses is named as such, an age
// just past the limit is said exactly, a huge answer is not echoed whole, "DPoP:" split off works.

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gatherAnswers, runCheck } from '../../src/lessons/checks.js';
import { validateExercise, type Exercise } from '../../src/lessons/exercise-schema.js';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { base64url, runCli } from '../helpers/cli.js';
import { packOf } from './pack-fixtures.js';

const exercises = loadExercises(join(lessonsFolder(), 'exercises'));
const SEED = 'hostile-dpop-seed';
const dpopExercise = findExercise(exercises, 'dpop-proof-by-hand');
const material = materialFor(dpopExercise, SEED);
const NOW = 1_800_000_000;
const home = () => ({ JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-hostile-')) });
const check = (args: string[], stdin?: string) => runCli(['exercises', '--seed', SEED, 'check', ...args], { env: home(), now: NOW, stdin });

/** A proof signed with `key` (ECDSA in the JWS form, else as Node signs with that key type). */
function proof(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${base64url(header)}.${base64url(claims)}`;
  const digest = key.asymmetricKeyType === 'ed448' || key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return `${input}.${sign(digest, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const ecJwk = ec.export({ format: 'jwk' });
const { d: _d, ...ecPublic } = ecJwk;
const CLAIMS = { jti: 'c1d2e3f4-hostile', htm: 'POST', htu: material.url, iat: NOW };
const goodProof = proof({ typ: 'dpop+jwt', alg: 'ES256', jwk: ecPublic }, CLAIMS, ec);

describe('deeply nested JSON in a proof: one line saying so, exit 1, never a crash', () => {
  const deep = '['.repeat(4000) + ']'.repeat(4000);
  const payload = base64url(CLAIMS);
  const encoded = (json: string) => Buffer.from(json).toString('base64url');
  test.each([
    ['typ', `${encoded(`{"typ":${deep},"alg":"ES256","jwk":{"kty":"EC"}}`)}.${payload}.AAAA`, 'header'],
    ['jwk.kty', `${encoded(`{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":${deep}}}`)}.${payload}.AAAA`, 'header'],
    ['alg', `${encoded(`{"typ":"dpop+jwt","alg":${deep},"jwk":{"kty":"EC"}}`)}.${payload}.AAAA`, 'header'],
    ['a claim', `${encoded('{"typ":"dpop+jwt","alg":"ES256"}')}.${encoded(`{"jti":${deep}}`)}.AAAA`, 'payload'],
  ])('4000 levels in %s', async (_where, sent, part) => {
    const result = await check(['dpop-proof-by-hand', '-'], `${sent}\n`);
    expect(result.stderr).not.toContain('something unexpected went wrong');
    expect(result.code).toBe(1);
    expect(result.stdout.match(/^ {2}[✓✗] .+$/gm)).toEqual(['  ✗ a DPoP proof']);
    expect(result.stdout).toContain(`that is not a JWT the check can read: its ${part} nests arrays or objects more than 64 levels deep, which no real token does; make it with jwt-vs-oauth dpop`);
  });
});

describe('a pack\'s dpop-proof check: htu an http(s) URL or {{url}}, htm a method', () => {
  const exercise = (check: Record<string, unknown>) => ({
    id: 'pack-dpop', title: 'A proof', topic: 'oauth-by-hand', material: { kind: 'dpop-request' },
    task: ['Make a proof for {{method}} {{url}}.'], check: { kind: 'dpop-proof', htm: '{{method}}', htu: '{{url}}', ...check },
    hints: ['use dpop'], solution: { explain: ['jwt-vs-oauth dpop makes one.'], answers: ['{{url}}'] },
  });
  test.each(['not a url', '{{answer.1}}', 'file:///etc/passwd', 'https:no-slashes', 'ftp://files.example/x'])('htu %j is refused, naming the field', (htu) => {
    expect(() => validateExercise(exercise({ htu }), 'pack-dpop.json')).toThrow(/"check\.htu"/);
  });
  test.each(['PO ST', '{{answer.1}}', '{{url}}'])('htm %j is refused', (htm) => {
    expect(() => validateExercise(exercise({ htm }), 'pack-dpop.json')).toThrow(/"check\.htm"/);
  });
  test('an absolute https URL, and {{url}}, {{method}}, PUT are taken', () => {
    expect(() => validateExercise(exercise({ htm: 'PUT', htu: 'https://api.swaad.example/orders' }), 'pack-dpop.json')).not.toThrow();
    expect(() => validateExercise(exercise({}), 'pack-dpop.json')).not.toThrow();
  });

  test('selftest of such a pack: exit 2 naming check.htu, not a crash', async () => {
    const pack = packOf({ '01-dpop.json': exercise({ htu: 'not a url' }) });
    const result = await runCli(['exercises', '--pack', pack, 'selftest'], { env: home(), now: NOW });
    expect(result.stderr).not.toContain('something unexpected went wrong');
    expect(result.stderr).toContain('"check.htu": must give the request\'s URL the proof is for: an absolute http(s) URL');
    expect(result.code).toBe(2);
  });

  test('a filled htu that is no URL (a check made in code, past the validator) is an error about the exercise, not a crash', async () => {
    const broken = { ...dpopExercise, check: { kind: 'dpop-proof', htm: '{{method}}', htu: '{{url}}' } } as Exercise;
    await expect(runCheck(broken, [goodProof], { material: { ...material, url: 'file:///etc/passwd' }, now: NOW })).rejects.toMatchObject({ code: 'ERR_EXERCISE_FILE', message: expect.stringContaining('its check.htu is "file:///etc/passwd", which is not an absolute http(s) URL') });
  });
});

describe('a key a server refuses is named on the jwk line, not as a signature that does not verify', () => {
  const lines = async (sent: string) => (await runCheck(dpopExercise, [sent], { material, now: NOW })).lines.filter((line) => !line.ok).map((line) => [line.label, line.got, line.why]);

  test('a correctly signed proof with a 1024-bit RSA key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const { n, e } = rsa.export({ format: 'jwk' });
    expect(await lines(proof({ typ: 'dpop+jwt', alg: 'RS256', jwk: { kty: 'RSA', n, e } }, CLAIMS, rsa))).toEqual([
      ['jwk', 'a public RSA key of 1024 bits', expect.stringMatching(/^an RSA key that signs has at least 2048 bits \(RFC 7518 §3\.3\), and this one has 1024/)],
    ]);
  });

  test('a correctly signed proof with an Ed448 key', async () => {
    const ed448 = generateKeyPairSync('ed448').privateKey;
    const { d: _private, ...jwk } = ed448.export({ format: 'jwk' });
    expect(await lines(proof({ typ: 'dpop+jwt', alg: 'EdDSA', jwk }, CLAIMS, ed448))).toEqual([
      ['jwk', 'a public OKP key on curve Ed448', expect.stringMatching(/^a proof with an OKP key is signed on Ed25519 .*this key is on curve Ed448/)],
    ]);
  });

  test('a jwk of kty XYZ is not "a public XYZ key"', async () => {
    expect(await lines(proof({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'XYZ', x: 'AA' } }, CLAIMS, ec))).toEqual([
      ['jwk', 'a key of kty XYZ', expect.stringMatching(/^a proof's key is an EC, RSA or OKP public key.*: XYZ is none of them/)],
    ]);
  });

  test('an ES256 proof carrying an RSA key says the two do not go together', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const { n, e } = rsa.export({ format: 'jwk' });
    expect(await lines(proof({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'RSA', n, e } }, CLAIMS, ec))).toEqual([
      ['jwk', 'a public RSA key of 2048 bits', expect.stringMatching(/^the header says alg ES256, which signs with an EC P-256 key, and the jwk is an RSA key/)],
    ]);
  });

  test('a good ES256 proof passes, its key named with its curve', async () => {
    const result = await runCheck(dpopExercise, [goodProof], { material, now: NOW });
    expect(result.passed).toBe(true);
    expect(result.lines.find((line) => line.label === 'jwk')?.got).toBe('a public EC P-256 key');
  });
});

test('a proof 321 s old: its age is said exactly, not as the 5 minutes it may be', async () => {
  const old = proof({ typ: 'dpop+jwt', alg: 'ES256', jwk: ecPublic }, { ...CLAIMS, iat: NOW - 321 }, ec);
  const result = await runCheck(dpopExercise, [old], { material, now: NOW });
  expect(result.lines.filter((line) => !line.ok).map((line) => [line.label, line.got, line.why])).toEqual([
    ['iat', '321 s ago', expect.stringMatching(/^the proof is 5 minutes 21 seconds old: /)],
  ]);
  const justOver = await runCheck(dpopExercise, [proof({ typ: 'dpop+jwt', alg: 'ES256', jwk: ecPublic }, { ...CLAIMS, iat: NOW - 300.4 }, ec)], { material, now: NOW });
  expect(justOver.lines.find((line) => line.label === 'iat')).toMatchObject({ got: '301 s ago', why: expect.stringMatching(/^the proof is 5 minutes 1 second old/) });
});

describe('a huge answer is not echoed whole on the got: line (--json keeps it)', () => {
  const huge = 'x'.repeat(1_000_000);
  test.each(['dpop-proof-by-hand', 'make-practice-token'])('%s', async (id) => {
    const result = await check([id, '-'], huge);
    expect(result.code).toBe(1);
    const got = result.stdout.split('\n').filter((line) => /^ +got: /.test(line));
    expect(got.length).toBeGreaterThan(0);
    expect(got.join('\n')).toContain('…(1000000 chars)…');
    expect(result.stdout.length).toBeLessThan(5000);
    const json = await check([id, '-', '--json'], huge);
    expect((JSON.parse(json.stdout) as { checks: Array<{ got: string }> }).checks[0]!.got).toBe(huge);
  });
});

describe('"DPoP: eyJ…" unquoted, as two words: one answer, as "DPoP eyJ…" is', () => {
  test('gatherAnswers joins DPoP: to the proof', () => {
    expect(gatherAnswers(dpopExercise, ['DPoP:', goodProof])).toEqual({ answers: [`DPoP: ${goodProof}`] });
  });
  test('exercises check passes it, exit 0', async () => {
    const result = await check(['dpop-proof-by-hand', 'DPoP:', goodProof]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
