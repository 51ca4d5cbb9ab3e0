// verify --typ: explicit typing (RFC 8725 §3.11, RFC 9068 §4), compared as RFC 7515 §4.1.9 says.

import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { base64url, runCli } from '../helpers/cli.js';

const NOW = 1_800_000_000;
// 48 random bytes in base64url: long enough for HS512 and random, so mint warns about nothing.
const SECRET = '8tJRQt9v9rJkKjTQMqut0S-M2DnMknOehQNtNRzAws-UuEfzwPVc3FJLGo2Dbkfo';

function signed(header: Record<string, unknown>): string {
  const head = base64url({ alg: 'HS256', ...header });
  const body = base64url({ sub: 'asha', iat: NOW, exp: NOW + 600 });
  return `${head}.${body}.${createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url')}`;
}

/** The text view's line for one check, its name padding collapsed: "✓ typ  …". */
function checkLine(text: string, name: string): string | undefined {
  return text.split('\n').map((line) => line.trim().replace(/^(\S+ \S+)\s+/, '$1  ')).find((line) => line.slice(2).startsWith(`${name} `));
}

async function verify(token: string, ...flags: string[]) {
  const json = await runCli(['verify', token, '--secret', SECRET, '--alg', 'HS256', ...flags, '--json'], { now: NOW });
  const text = await runCli(['verify', token, '--secret', SECRET, '--alg', 'HS256', ...flags], { now: NOW });
  const parsed = JSON.parse(json.stdout);
  return { code: json.code, textCode: text.code, json: parsed, typ: parsed.checks.find((check: { name: string }) => check.name === 'typ'), text: text.stdout };
}

describe('verify --typ', () => {
  test.each([
    ['at+jwt', 'at+jwt', '"at+jwt" as expected'],
    ['application/at+jwt', 'at+jwt', '"application/at+jwt" matches "at+jwt" (case and an "application/" prefix do not matter, RFC 7515 §4.1.9)'],
    ['AT+JWT', 'at+jwt', '"AT+JWT" matches "at+jwt" (case and an "application/" prefix do not matter, RFC 7515 §4.1.9)'],
    ['at+jwt', 'Application/AT+JWT', '"at+jwt" matches "Application/AT+JWT" (case and an "application/" prefix do not matter, RFC 7515 §4.1.9)'],
  ])('typ %s passes --typ %s', async (typ, expected, detail) => {
    const result = await verify(signed({ typ }), '--typ', expected);
    expect(result.code).toBe(0);
    expect(result.typ).toEqual({ name: 'typ', ok: true, detail });
    expect(checkLine(result.text, 'typ')).toBe(`✓ typ  ${detail}`);
  });

  test.each([
    [{ typ: 'JWT' }, 'at+jwt', '"JWT", expected "at+jwt": this is not an access token (RFC 9068 §4)'],
    [{}, 'at+jwt', 'missing, expected "at+jwt": this is not an access token (RFC 9068 §4)'],
    [{ typ: 'at+jwt' }, 'dpop+jwt', '"at+jwt", expected "dpop+jwt": this is not a DPoP proof (RFC 9449 §4.3)'],
    [{ typ: 'JWT' }, 'example+jwt', '"JWT", expected "example+jwt": a token of another kind must not pass for this one (RFC 8725 §3.11)'],
    [{ typ: 42 }, 'at+jwt', '42 (not a string), expected "at+jwt": this is not an access token (RFC 9068 §4)'],
    [{ typ: 'at+jwt-not' }, 'at+jwt', '"at+jwt-not", expected "at+jwt": this is not an access token (RFC 9068 §4)'],
  ])('header %j fails --typ %s, in the checks, the verdict and the text view', async (header, expected, detail) => {
    const result = await verify(signed(header), '--typ', expected);
    expect(result.code).toBe(1);
    expect(result.textCode).toBe(1);
    expect(result.typ).toEqual({ name: 'typ', ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', detail });
    expect(result.json.valid).toBe(false);
    expect(result.json.verdict).toBe(`invalid: typ is ${detail}`);
    expect(checkLine(result.text, 'typ')).toBe(`✗ typ  ${detail} [ERR_JWT_CLAIM_VALIDATION_FAILED]`);
    expect(result.text).toContain(`✗ INVALID typ is ${detail}`);
  });

  test('without --typ the check is listed as not pinned, quoting the header', async () => {
    const result = await verify(signed({ typ: 'JWT' }));
    expect(result.code).toBe(0);
    expect(result.typ).toEqual({ name: 'typ', ok: true, skipped: true, detail: 'not checked (pass --typ to pin it); the header says "JWT"' });
  });

  test('an ID token from mint (typ JWT) fails --typ at+jwt; an access token minted with --typ at+jwt passes', async () => {
    const idToken = (await runCli(['mint', '--secret', SECRET, '--sub', 'asha'], { now: NOW })).stdout.trim();
    const accessToken = (await runCli(['mint', '--secret', SECRET, '--sub', 'asha', '--typ', 'at+jwt'], { now: NOW })).stdout.trim();
    expect((await runCli(['verify', idToken, '--secret', SECRET, '--typ', 'at+jwt'], { now: NOW })).code).toBe(1);
    expect((await runCli(['verify', accessToken, '--secret', SECRET, '--typ', 'at+jwt'], { now: NOW })).code).toBe(0);
  });

  test('an empty --typ is a usage error', async () => {
    const result = await runCli(['verify', signed({}), '--secret', SECRET, '--typ', ' '], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --typ needs a value; it was empty.\nExample: --typ at+jwt (an OAuth access token, RFC 9068 §4).\n');
  });

  test.each([
    ['application/', '--typ "application/" names no type: nothing follows the "/".'],
    ['Application/', '--typ "Application/" names no type: nothing follows the "/".'],
    [' application/ ', '--typ " application/ " names no type: nothing follows the "/".'],
    ['text/', '--typ "text/" names no type: nothing follows the "/".'],
  ])('--typ %j names no type: a usage error (it would pin a typ of "")', async (typ, message) => {
    for (const header of [{ typ: '' }, {}]) {
      const result = await runCli(['verify', signed(header), '--secret', SECRET, '--typ', typ], { now: NOW });
      expect(result).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nExample: --typ at+jwt (an OAuth access token, RFC 9068 §4).\n` });
    }
  });

  test('media types compare ASCII case only: a typ with the Kelvin sign (U+212A) is not kb+jwt, and is shown escaped', async () => {
    const detail = '"\\u212Ab+jwt" (it has characters outside ASCII, which media type names never have: not the same type, RFC 6838 §4.2), expected "kb+jwt": a token of another kind must not pass for this one (RFC 8725 §3.11)';
    for (const expected of ['kb+jwt', 'KB+JWT', 'application/kb+jwt']) {
      const result = await verify(signed({ typ: '\u212Ab+jwt' }), '--typ', expected);
      expect(result.code).toBe(1);
      expect(result.typ).toMatchObject({ ok: false, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
      if (expected === 'kb+jwt') expect(result.typ.detail).toBe(detail);
    }
    // Other folds outside ASCII (the long s, U+017F, upper-cases to S) do not match either; an exact match still does.
    expect((await verify(signed({ typ: 'dpop+j\u017Fwt' }), '--typ', 'dpop+jSwt')).code).toBe(1);
    expect((await verify(signed({ typ: '\u212Ab+jwt' }), '--typ', '\u212Ab+jwt')).code).toBe(0);
    expect((await verify(signed({ typ: 'KB+JWT' }), '--typ', 'kb+jwt')).code).toBe(0);
  });

  test('--help lists --typ with an example', async () => {
    const result = await runCli(['verify', '--help']);
    expect(result.stdout).toMatch(/--typ <type>\s+require this header typ, e\.g\. at\+jwt/);
    expect(result.stdout).toContain('$ jwt-vs-oauth verify "$TOKEN" --discover http://127.0.0.1:9400 --typ at+jwt');
  });
});

describe('mint --typ names a type too', () => {
  test.each([['application/'], [' '], ['APPLICATION/']])('mint --typ %j: exit 2, ERR_EMPTY_TYP, no token', async (typ) => {
    const result = await runCli(['mint', '--typ', typ, '--json']);
    expect(result.code).toBe(2);
    // No token: with --json, only the error, as JSON.
    expect(JSON.parse(result.stdout)).toEqual({ error: expect.objectContaining({ code: 'ERR_EMPTY_TYP', exitCode: 2 }) });
    expect(result.stderr).toMatch(/^error: --typ (needs a value|"[^"]*" names no type)/);
  });
});
