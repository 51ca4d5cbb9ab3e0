// verify's verdict names what was checked and what was not pinned (never "every check passed"),
// and the time checks say what they mean: exp "on or after" (RFC 7519 §4.1.4), the clock
// tolerance named when it decides, an exp in milliseconds called out. Unsecured JWTs are named so.

import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { base64url, runCli, RFC7515_UNSECURED_TOKEN, RFC_EXAMPLE_NOW } from '../helpers/cli.js';

const NOW = 1_800_000_000;
const SECRET = '/jWOlZoJcPlGybpNBfEX1byFSI0UVeduaQqrPOAgENs=';

function signed(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

async function verify(token: string, flags: string[] = [], now = NOW) {
  const args = ['verify', token, '--secret', SECRET, '--alg', 'HS256', ...flags];
  const text = await runCli(args, { now });
  const json = await runCli([...args, '--json'], { now });
  const parsed = JSON.parse(json.stdout);
  return { code: json.code, text: text.stdout, json: parsed, check: (name: string) => parsed.checks.find((check: { name: string }) => check.name === name) };
}

describe('the verdict says what was checked and what was not pinned', () => {
  test('a key that fits several algorithms leaves alg not pinned until --alg picks one (RFC 8725 §3.1)', async () => {
    const token = signed({ sub: 'asha', exp: NOW + 600 });
    const open = JSON.parse((await runCli(['verify', token, '--secret', SECRET, '--json'], { now: NOW })).stdout);
    expect(open.notPinned).toEqual(['alg', 'iss', 'aud', 'typ']);
    expect(open.verdict).toContain('not pinned: alg, iss, aud, typ (pass --alg, --iss, --aud, --typ)');
    const pinned = JSON.parse((await runCli(['verify', token, '--secret', SECRET, '--alg', 'HS256', '--json'], { now: NOW })).stdout);
    expect(pinned.notPinned).toEqual(['iss', 'aud', 'typ']);
  });

  test('a JWK Set offering RS256 and ES256 keys leaves alg open: warned, and named in the verdict until --alg', async () => {
    const { generateKeyPair, exportJWK, SignJWT } = await import('jose');
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ec = await generateKeyPair('ES256', { extractable: true });
    const keys = [{ ...(await exportJWK(rsa.publicKey)), alg: 'RS256', kid: 'id-tokens' }, { ...(await exportJWK(ec.publicKey)), alg: 'ES256', kid: 'access-tokens' }];
    const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-verdict-'));
    const file = join(folder, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys }));
    const idToken = await new SignJWT({ sub: 'asha' }).setProtectedHeader({ alg: 'RS256', kid: 'id-tokens' }).setExpirationTime(NOW + 600).sign(rsa.privateKey);
    const open = await runCli(['verify', idToken, '--key', file], { now: NOW });
    expect(open.code).toBe(0);
    expect(open.stderr).toContain('! warning (alg-not-pinned): The keys offer several algorithms (RS256 and ES256): this verifier takes a token signed with any of them, so a token meant for one key can pass with another. Pin the one you expect, e.g. --alg RS256 (RFC 8725 §3.1, §3.12).');
    expect(open.stdout).toContain('not pinned: alg, iss, aud, typ');
    const pinned = await runCli(['verify', idToken, '--key', file, '--alg', 'ES256'], { now: NOW });
    expect(pinned.code).toBe(1);
    expect(pinned.stderr).not.toContain('alg-not-pinned');
  });

  test('a kid is "matched" only when a trusted key carries it; a secret or PEM has none', async () => {
    const token = signed({ sub: 'asha', exp: NOW + 600 }, { alg: 'HS256', typ: 'JWT', kid: 'anything-at-all' });
    const result = await verify(token);
    expect(result.check('key').detail).toBe('an HMAC shared secret from --secret (the token\'s kid "anything-at-all" is not checked: this key has none)');
    expect(result.text).not.toContain('matched by kid');
  });

  test('nothing pinned: the verdict names iss, aud and typ, in text and JSON', async () => {
    const result = await verify(signed({ sub: 'asha', iat: NOW, exp: NOW + 900 }));
    expect(result.code).toBe(0);
    expect(result.json.verdict).toBe('valid: signature (HS256), exp, iat checked; not pinned: iss, aud, typ (pass --iss, --aud, --typ)');
    expect(result.json.checked).toEqual(['format', 'algorithm', 'key', 'signature', 'exp', 'iat']);
    expect(result.json.notPinned).toEqual(['iss', 'aud', 'typ']);
    expect(result.text).toContain('\n✓ VALID signature (HS256), exp, iat checked; not pinned: iss, aud, typ (pass --iss, --aud, --typ)\n');
    expect(result.text).not.toContain('every check passed');
  });

  test('everything pinned: no "not pinned" part', async () => {
    const token = signed({ iss: 'https://issuer.example', sub: 'asha', aud: 'food-api', iat: NOW, exp: NOW + 900 }, { alg: 'HS256', typ: 'at+jwt' });
    const result = await verify(token, ['--iss', 'https://issuer.example', '--aud', 'food-api', '--typ', 'at+jwt', '--sub', 'asha']);
    expect(result.code).toBe(0);
    expect(result.json.verdict).toBe('valid: signature (HS256), typ, exp, iat, iss, aud, sub checked');
    expect(result.json.notPinned).toEqual([]);
  });

  test('a token without exp: the verdict says it never expires', async () => {
    const result = await verify(signed({ sub: 'asha', aud: 'food-api', iat: NOW }), ['--aud', 'food-api']);
    expect(result.code).toBe(0);
    expect(result.json.verdict).toBe('valid: signature (HS256), iat, aud checked; no exp: it never expires; not pinned: iss, typ (pass --iss, --typ)');
    expect(result.check('exp')).toEqual({ name: 'exp', ok: true, skipped: true, detail: 'absent: this token never expires (accepted, but see the warning)' });
  });

  test('an invalid token keeps its verdict, and still lists what ran', async () => {
    const result = await verify(signed({ sub: 'asha', aud: 'food-api', iat: NOW, exp: NOW + 900 }), ['--aud', 'payments']);
    expect(result.code).toBe(1);
    expect(result.json.verdict).toBe('invalid: this token is for another audience ("food-api", expected "payments")');
    expect(result.json.checked).toEqual(['format', 'algorithm', 'key', 'signature', 'exp', 'iat', 'aud']);
    expect(result.json.notPinned).toEqual(['iss', 'typ']);
  });
});

describe('time checks say what they mean', () => {
  const token = signed({ sub: 'asha', iat: NOW, exp: NOW + 900, nbf: NOW });

  test('a token is expired at exp itself (on or after, RFC 7519 §4.1.4)', async () => {
    const result = await verify(token, [], NOW + 900);
    expect(result.code).toBe(1);
    expect(result.json.verdict).toBe('invalid: this token has expired (expired now, at 2027-01-15T08:15:00Z)');
  });

  test('expired but within the clock tolerance: accepted, and the line says why', async () => {
    const result = await verify(token, ['--clock-tolerance', '5s'], NOW + 902);
    expect(result.code).toBe(0);
    expect(result.check('exp')).toEqual({ name: 'exp', ok: true, detail: 'expired 2 seconds ago, at 2027-01-15T08:15:00Z, within the 5 s clock tolerance' });
  });

  test('expired beyond the tolerance: the line says the tolerance was not enough', async () => {
    const result = await verify(token, ['--clock-tolerance', '5s'], NOW + 910);
    expect(result.code).toBe(1);
    expect(result.json.verdict).toBe('invalid: this token has expired (expired 10 seconds ago, at 2027-01-15T08:15:00Z, beyond the 5 s clock tolerance)');
  });

  test('not valid yet, and issued in the future, within the tolerance', async () => {
    const result = await verify(token, ['--clock-tolerance', '5s'], NOW - 3);
    expect(result.code).toBe(0);
    expect(result.check('nbf')).toEqual({ name: 'nbf', ok: true, detail: 'not valid yet: it starts in 3 seconds, at 2027-01-15T08:00:00Z, within the 5 s clock tolerance' });
    expect(result.check('iat')).toEqual({ name: 'iat', ok: true, detail: 'issued 3 seconds in the future, within the 5 s clock tolerance' });
  });

  test('an exp in milliseconds: the exp line and a warning say so, once, with the year it means', async () => {
    const result = await verify(signed({ sub: 'asha', iat: NOW, exp: (NOW + 900) * 1000 }));
    expect(result.code).toBe(0);
    expect(result.check('exp').detail).toMatch(/^expires in \d+ years, at .+; this looks like milliseconds, but JWT times are seconds \(RFC 7519 §2\)$/);
    const codes = result.json.warnings.map((warning: { code: string }) => warning.code);
    expect(codes).toContain('time-in-milliseconds');
    expect(codes).not.toContain('long-lifetime');
    expect(result.json.warnings.find((warning: { code: string }) => warning.code === 'time-in-milliseconds').message)
      .toBe('exp looks like milliseconds; JWT times are seconds since 1970 (RFC 7519 §2), so this one means the year 59009. Divide by 1000.');
  });
});

describe('an alg "none" token is an Unsecured JWT (RFC 7519 §6)', () => {
  test('verify names it so, and rejects it', async () => {
    const result = await runCli(['verify', RFC7515_UNSECURED_TOKEN, '--secret', SECRET, '--alg', 'HS256'], { now: RFC_EXAMPLE_NOW });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe('Verifying an Unsecured JWT (alg "none": no signature, RFC 7519 §6)  (time: 2011-03-22T18:42:00Z, clock tolerance 0 s)');
  });

  test('decode names it so, and its warning too', async () => {
    const result = await runCli(['decode', RFC7515_UNSECURED_TOKEN], { now: RFC_EXAMPLE_NOW });
    expect(result.stdout.split('\n')[0]).toBe('An Unsecured JWT (alg "none", RFC 7519 §6: header.payload. with no signature)');
    expect(result.stdout).toContain('alg is "none": an Unsecured JWT (RFC 7519 §6) with no signature, so anyone could have written it.');
    expect(result.stdout).not.toContain('signed JWT');
  });
});

test('decode explains exp as "on or after" and amr with its registered values', async () => {
  const json = JSON.parse((await runCli(['decode', signed({ exp: NOW + 60, amr: ['pwd', 'otp'] }), '--json'], { now: NOW })).stdout);
  const meaning = (name: string) => json.claims.find((claim: { name: string }) => claim.name === name).meaning;
  expect(meaning('exp')).toBe('Expires at: on or after this time the token must be rejected (RFC 7519 §4.1.4)');
  expect(meaning('amr')).toBe('Authentication methods: how the user signed in; registered values include pwd, otp, mfa, hwk, face (RFC 8176)');
});
