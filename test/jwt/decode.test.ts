import { describe, expect, test } from 'vitest';
import { decodeToken } from '../../src/jwt/decode.js';
import type { InputError } from '../../src/errors.js';
import { RFC7515_ES256_TOKEN, RFC7515_HS256_TOKEN, RFC7515_UNSECURED_TOKEN, RFC_EXAMPLE_NOW, base64url, rawToken } from '../helpers/cli.js';

const NOW = 1_800_000_000;

function codesOf(token: string, now = NOW): string[] {
  return decodeToken(token, now).warnings.map((warning) => warning.code);
}

function errorOf(pasted: string): { code: string; message: string } {
  try {
    decodeToken(pasted, NOW);
  } catch (error) {
    return { code: (error as InputError).code, message: (error as Error).message };
  }
  throw new Error('expected decodeToken to throw');
}

describe('decode: the RFC examples', () => {
  test('RFC 7515 A.1 / RFC 7519 §3.1 (HS256)', () => {
    const decoded = decodeToken(RFC7515_HS256_TOKEN, RFC_EXAMPLE_NOW);
    expect(decoded.type).toBe('JWT');
    expect(decoded.header).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(decoded.payload).toEqual({ iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
    expect(decoded.signatureBytes).toBe(32);
    expect(decoded.algorithm.family).toBe('secret');
    const exp = decoded.payloadFields.find((field) => field.name === 'exp');
    expect(exp?.time).toEqual({ iso: '2011-03-22T18:43:00Z', relative: 'in 1 minute' });
    expect(exp?.meaning).toMatch(/^Expires at/);
    expect(decoded.warnings.map((warning) => warning.code)).toEqual(['no-aud']);
  });

  test('RFC 7515 A.3 (ES256) is expired today and still decodes', () => {
    const decoded = decodeToken(RFC7515_ES256_TOKEN, NOW);
    expect(decoded.signatureBytes).toBe(64);
    expect(decoded.warnings.map((warning) => warning.code)).toContain('expired');
    expect(decoded.warnings.find((warning) => warning.code === 'expired')?.message).toBe('Expired 15 years ago: a verifier must reject it.');
  });

  test('RFC 7515 A.5 (alg none) warns', () => {
    expect(codesOf(RFC7515_UNSECURED_TOKEN, RFC_EXAMPLE_NOW)).toEqual(['alg-none', 'no-aud']);
  });
});

describe('decode: warnings, each with a stable code', () => {
  test.each([
    ['alg-none', { alg: 'none' }, { aud: 'a', exp: NOW + 60 }],
    ['no-exp', { alg: 'HS256' }, { aud: 'a' }],
    ['expired', { alg: 'HS256' }, { aud: 'a', exp: NOW - 1 }],
    ['not-yet-valid', { alg: 'HS256' }, { aud: 'a', exp: NOW + 600, nbf: NOW + 60 }],
    ['long-lifetime', { alg: 'HS256' }, { aud: 'a', iat: NOW, exp: NOW + 86_401 }],
    ['no-aud', { alg: 'HS256' }, { exp: NOW + 60 }],
    ['sensitive-claim', { alg: 'HS256' }, { aud: 'a', exp: NOW + 60, password: 'hunter2' }],
    ['sensitive-claim', { alg: 'HS256' }, { aud: 'a', exp: NOW + 60, note: '4111 1111 1111 1111' }],
    ['time-in-milliseconds', { alg: 'HS256' }, { aud: 'a', exp: (NOW + 60) * 1000 }],
  ])('%s', (code, header, payload) => {
    expect(codesOf(rawToken(header, payload))).toContain(code);
  });

  test.each(['HS999', 'HSfoo', 'HS256x', 'RS1', 'ES', 'HS__proto__', 'ES256K'])('%s is an unknown algorithm, never described as a real one', (alg) => {
    const decoded = decodeToken(rawToken({ alg }, { aud: 'a', exp: NOW + 60 }), NOW);
    expect(decoded.algorithm.family).toBe('none');
    expect(decoded.algorithm.description).toBe(`"${alg}" is not a JWS algorithm this tool knows`);
    expect(decoded.warnings.map((warning) => warning.code)).toContain('unknown-alg');
  });

  test('a short-lived token with an audience has no warnings', () => {
    expect(codesOf(rawToken({ alg: 'HS256' }, { aud: 'api', iat: NOW, exp: NOW + 900 }))).toEqual([]);
  });

  test('exactly 24 hours is not a long lifetime', () => {
    expect(codesOf(rawToken({ alg: 'HS256' }, { aud: 'a', iat: NOW, exp: NOW + 86_400 }))).toEqual([]);
  });
});

describe('decode: JWS that is not a JWT, and JWE', () => {
  test('a text payload is shown as text', () => {
    const decoded = decodeToken(rawToken({ alg: 'HS256' }, 'hello, world'), NOW);
    expect(decoded.type).toBe('JWS');
    expect(decoded.payload).toBe('hello, world');
  });

  test('a five-part JWE shows its protected header only', () => {
    const jwe = `${base64url({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })}.ZW5j.aXY.Y2lwaGVy.dGFn`;
    const decoded = decodeToken(jwe, NOW);
    expect(decoded.type).toBe('JWE');
    expect(decoded.header).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    expect(decoded.payload).toBeNull();
  });
});

describe('decode: bad input names the segment and the problem', () => {
  test.each([
    ['one segment', 'notatoken', 'ERR_TOKEN_SEGMENTS', 'A compact token has 3 dot-separated segments (header.payload.signature), or 5 for an encrypted JWE; this one has 1.'],
    ['four segments', 'a.b.c.d', 'ERR_TOKEN_SEGMENTS', 'A compact token has 3 dot-separated segments (header.payload.signature), or 5 for an encrypted JWE; this one has 4.'],
    ['base64 padding in the payload', `${base64url({ alg: 'HS256' })}.eyJzdWIiOiJhIn0=.c2ln`, 'ERR_TOKEN_BASE64URL', 'The payload segment is not base64url: "=" at position 16 ("=" belongs to plain base64; base64url uses "-" and "_" and no "=" padding).'],
    ['a star in the signature', `${base64url({ alg: 'HS256' })}.${base64url({})}.ab*cd`, 'ERR_TOKEN_BASE64URL', 'The signature segment is not base64url: "*" at position 3.'],
    ['a header that is not JSON', `${base64url('not json')}.${base64url({})}.c2ln`, 'ERR_TOKEN_HEADER_JSON', 'The header is not JSON: it decodes to "not json".'],
    ['a header that is an array', `${base64url([1, 2])}.${base64url({})}.c2ln`, 'ERR_TOKEN_HEADER_JSON', 'The header must be a JSON object; it is an array.'],
    ['an impossible segment length', `${base64url({ alg: 'HS256' })}.abcde.c2ln`, 'ERR_TOKEN_BASE64URL', 'The payload segment is not base64url: its length (5) is impossible.'],
  ])('%s', (_name, pasted, code, message) => {
    expect(errorOf(pasted)).toEqual({ code, message });
  });
});
