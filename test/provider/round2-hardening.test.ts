// The second attack review's findings: a provider-wide guessing ceiling a dozen addresses cannot
// reach, ::1 counted with the loopback block, hostile text cut short, userinfo refused in a DPoP htu.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { startOrdersApi } from '../../src/oauth/orders-api.js';
import { countWrongUserCode, guessingAddress, MAX_WRONG_USER_CODES, MAX_WRONG_USER_CODES_EVERYWHERE } from '../../src/provider/device.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { isRfc3986HttpUri } from '../../src/protocol/dpop.js';
import { runBin } from '../helpers/cli.js';
import { startTestProvider } from '../helpers/provider.js';
import { deviceAuthorization, typeCodeFrom } from './device-helpers.js';
import { clientKey, freshCode, tokenRequest, type ClientKey } from './dpop-helpers.js';
import { CALLBACK } from '../helpers/provider.js';

const START = Date.UTC(2026, 0, 1);
let clock = START;
let provider: RunningProvider;

beforeEach(async () => {
  clock = START;
  provider = await startTestProvider({ nowMs: () => clock });
});
afterEach(() => provider.close());

describe('wrong user codes (RFC 8628 §5.1)', () => {
  test('the provider-wide ceiling is 1 000 a minute: twelve addresses at their limit do not lock the real user out', async () => {
    expect(MAX_WRONG_USER_CODES_EVERYWHERE).toBe(1_000);
    const device = await deviceAuthorization(provider);
    for (let other = 1; other <= 12; other++) for (let wrong = 0; wrong < MAX_WRONG_USER_CODES; wrong++) countWrongUserCode(provider.state, `2001:db8:${other}::/64`);
    const right = await typeCodeFrom(provider, '127.0.0.1', device.user_code);
    expect(right.status).toBe(200);
  });

  test('::1 is the same machine as 127.0.0.1: 5 wrong codes a minute between them, not 10', async () => {
    for (let wrong = 0; wrong < MAX_WRONG_USER_CODES; wrong++) countWrongUserCode(provider.state, guessingAddress('::1'));
    const fromIpv4 = await typeCodeFrom(provider, '127.0.0.1', 'BCDF-GHJK');
    expect(fromIpv4.status).toBe(429);
    expect(fromIpv4.body).toContain(`${MAX_WRONG_USER_CODES} codes typed here in the last minute were not right.`);
  });
});

/** A token whose header names a hostile kid: a right-to-left override, a quote, a backslash, 3 000 K's. */
function tokenWithHostileKid(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256', typ: 'at+jwt', kid: '\u202e"\\' + 'K'.repeat(3000) })}.${part({ sub: 'x' })}.AAAA`;
}

describe('the orders API refuses a hostile kid without repeating it', () => {
  test('401 with an error_description of at most 200 allowed characters, in the JSON and in WWW-Authenticate', async () => {
    const api = await startOrdersApi({ issuer: provider.issuer, audience: 'orders', now: () => clock });
    try {
      const answer = await fetch(`${api.url}/orders`, { headers: { authorization: `Bearer ${tokenWithHostileKid()}` } });
      expect(answer.status).toBe(401);
      const { error, error_description: description } = (await answer.json()) as { error: string; error_description: string };
      expect(error).toBe('invalid_token');
      expect(description.length).toBeLessThanOrEqual(200);
      expect(description).toMatch(/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
      expect(description).toContain('U+202E');
      expect(description.endsWith('...')).toBe(true);
      expect(answer.headers.get('www-authenticate')).toBe(`Bearer realm="orders", error="invalid_token", error_description="${description}"`);
    } finally {
      await api.close();
    }
  });
});

describe('hostile names and paths are repeated short', () => {
  test('a parameter sent twice, its name 3 000 × U+202E: 400, the name quoted in 40 characters', async () => {
    const name = encodeURIComponent('\u202e'.repeat(3000));
    const answer = await fetch(`${provider.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${name}=1&${name}=2` });
    expect(answer.status).toBe(400);
    const { error_description: description } = (await answer.json()) as { error_description: string };
    expect(description).toBe(`The parameter '${'U+202E'.repeat(40)}'... was sent more than once.`);
  });

  test('a 404 for a 7 000-character path repeats its first 100 characters', async () => {
    const answer = await fetch(`${provider.issuer}/${'a'.repeat(7000)}`);
    expect(answer.status).toBe(404);
    const { error_description: description } = (await answer.json()) as { error_description: string };
    expect(description).toBe(`Nothing at /${'a'.repeat(99)}.... Start from ${provider.issuer}/.well-known/openid-configuration.`);
  });
});

/** A proof for POST `htu` written as given (createDpopProof normalises htu, dropping an empty user name). */
function proofForHtu(key: ClientKey, htu: string): Promise<string> {
  return new SignJWT({ htm: 'POST', htu }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk }).setJti(crypto.randomUUID()).setIssuedAt().sign(key.privateKey);
}

describe('a DPoP htu with user information, even empty, is refused (RFC 9110 §4.2.4)', () => {
  test.each(['http://@[::]:9471/token', 'https://@host/x', 'http://:@host/x', 'http://u@host/x'])('%s is not an http(s) URI a proof may name', (htu) => {
    expect(isRfc3986HttpUri(htu)).toBe(false);
    expect(isRfc3986HttpUri(htu.replace(/\/\/[^/]*@/, '//'))).toBe(true);
  });

  test('a real proof for /token whose htu has an empty user name: 400 invalid_dpop_proof', async () => {
    const autoApproving = await startTestProvider({ autoApprove: true });
    try {
      const key = await clientKey();
      const code = await freshCode(autoApproving, 'demo-spa');
      const htu = `${autoApproving.issuer.replace('http://', 'http://@')}/token`;
      const proof = await proofForHtu(key, htu);
      const answer = await tokenRequest(autoApproving, 'demo-spa', { grant_type: 'authorization_code', code: code.code, redirect_uri: CALLBACK, code_verifier: code.verifier }, proof);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_dpop_proof', error_description: expect.stringContaining("the proof's htu holds a user name or password; an http(s) URI must not (RFC 9110 section 4.2.4)") });
    } finally {
      await autoApproving.close();
    }
  });

  test('exercises check dpop-proof-by-hand on a proof whose htu is "https://@…": the htu line fails, exit 1', async () => {
    const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'dpop-proof-by-hand');
    const material = materialFor(exercise, 'round2-seed');
    const key = await clientKey();
    const proof = await proofForHtu(key, material.url!.replace('https://', 'https://@'));
    const check = runBin(['exercises', '--seed', 'round2-seed', 'check', 'dpop-proof-by-hand', proof], { env: { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'round2-')) } });
    expect(check.stdout.match(/^ {2}[✓✗] \S+/gm)).toEqual(['  ✓ typ', '  ✓ alg', '  ✓ jwk', '  ✓ signature', '  ✓ jti', '  ✓ htm', '  ✗ htu', '  ✓ iat']);
    expect(check.code).toBe(1);
  });
});
