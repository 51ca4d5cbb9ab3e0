// mint and verify warn about a weak HMAC secret (RFC 8725 §3.5) and a key not pinned to one
// algorithm (RFC 8725 §3.1): on stderr in text mode, in the warnings array of --json, never a refusal.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assessSecret } from '../../src/jwt/secret-strength.js';
import { runCli } from '../helpers/cli.js';

/** The estimate's bits, as the messages quote them (tuning the method moves them; the wording must hold). */
const bits = (secret: string) => assessSecret(secret).estimatedBits;
const short = (bytes: number, extra = '') => `The secret is ${bytes} bytes; HS256 needs a key at least as long as its hash, 32 bytes (RFC 7518 §3.2)${extra}. Use 32 random bytes: openssl rand -base64 32.`;

const NOW = 1_800_000_000;
/** 32 and 48 random bytes in base64 (openssl rand -base64 32 / 48), fixed so the messages can be checked exactly. */
const RANDOM_32 = '/jWOlZoJcPlGybpNBfEX1byFSI0UVeduaQqrPOAgENs=';
const RANDOM_48 = 'jT5DNabOqqTv8pdqqvZq0u6HnWjiZnX3yaSAgAcVrenHf0OjClsIlFJ/ODvpC5Zy';
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-secret-warnings-'));

const FIX_32 = 'Use 32 random bytes: openssl rand -base64 32';

async function mintJson(secretFlags: string[], extra: string[] = []) {
  const result = await runCli(['mint', ...secretFlags, '--aud', 'food-api', ...extra, '--json'], { now: NOW });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { token: string; warnings: Array<{ code: string; message: string }> };
}

describe('mint warns about a weak secret, and mints anyway', () => {
  test.each([
    ['password', [
      { code: 'short-secret', message: short(8) },
      { code: 'famous-secret', message: `The secret is a famous example secret: whoever has seen it can sign tokens that pass. ${FIX_32} (RFC 8725 §3.5).` },
    ]],
    ['your-256-bit-secret', [
      { code: 'short-secret', message: short(19) },
      { code: 'famous-secret', message: `The secret is a famous example secret (jwt.io's): whoever has seen it can sign tokens that pass. ${FIX_32} (RFC 8725 §3.5).` },
    ]],
    ['a-32-byte-secret-for-the-lessons!', [
      { code: 'weak-secret', message: `The secret looks made of words (about ${bits('a-32-byte-secret-for-the-lessons!')} bits by our estimate): a secret a person chose can be guessed offline from any one token. ${FIX_32} (RFC 8725 §3.5).` },
    ]],
    ['correct horse battery staple', [
      { code: 'short-secret', message: short(28) },
      { code: 'weak-secret', message: `The secret looks made of words (about ${bits('correct horse battery staple')} bits by our estimate): a secret a person chose can be guessed offline from any one token. ${FIX_32} (RFC 8725 §3.5).` },
    ]],
    ['a'.repeat(32), [
      { code: 'weak-secret', message: `The secret is a pattern, a sequence or repeat (about ${bits('a'.repeat(32))} bits by our estimate): a secret a person chose can be guessed offline from any one token. ${FIX_32} (RFC 8725 §3.5).` },
    ]],
    ['Tr0ub4dor&3', [
      { code: 'short-secret', message: short(11, `, and it holds about ${bits('Tr0ub4dor&3')} bits by our estimate, under the 128 we ask for`) },
    ]],
  ])('--secret %j', async (secret, warnings) => {
    expect((await mintJson(['--secret', secret])).warnings).toEqual(warnings);
    const text = await runCli(['mint', '--secret', secret, '--aud', 'food-api'], { now: NOW });
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('.')).toHaveLength(3);
    expect(text.stderr).toBe(warnings.map((warning) => `! warning (${warning.code}): ${warning.message}\n`).join(''));
  });

  test('a random secret of the right length gets no warning; a generated one neither', async () => {
    expect((await mintJson(['--secret', RANDOM_32])).warnings).toEqual([]);
    expect((await mintJson([])).warnings).toEqual([]);
  });

  test('a random secret shorter than the hash: one line, for the length, with the fix', async () => {
    expect((await mintJson(['--secret', RANDOM_48], ['--alg', 'HS512'])).warnings).toEqual([]);
    expect((await mintJson(['--secret', RANDOM_32], ['--alg', 'HS512'])).warnings).toEqual([
      { code: 'short-secret', message: 'The secret is 44 bytes; HS512 needs a key at least as long as its hash, 64 bytes (RFC 7518 §3.2). Use 64 random bytes: openssl rand -base64 64.' },
    ]);
  });

  test('a random secret is never called guessable, even when short or under the bar', async () => {
    const { randomBytes } = await import('node:crypto');
    for (let index = 0; index < 20; index++) {
      for (const secret of [randomBytes(16).toString('base64'), randomBytes(16).toString('hex'), randomBytes(24).toString('base64url')]) {
        const warnings = (await mintJson(['--secret', secret])).warnings;
        expect(warnings.map((warning) => warning.message).join(' ')).not.toMatch(/guess/);
        expect(warnings.every((warning) => warning.code === 'short-secret' || warning.code === 'weak-secret')).toBe(true);
      }
    }
  });

  test('a JWK "oct" key is judged by its bytes', async () => {
    const famous = join(folder, 'famous-oct.json');
    writeFileSync(famous, JSON.stringify({ kty: 'oct', k: Buffer.from('your-256-bit-secret').toString('base64url') }));
    expect((await mintJson(['--key', famous])).warnings.map((warning) => warning.code)).toEqual(['short-secret', 'famous-secret']);
    // Text with a trailing CR (a secret pasted from a CRLF .env file) or tabs is still text.
    const crlf = join(folder, 'crlf-oct.json');
    writeFileSync(crlf, JSON.stringify({ kty: 'oct', k: Buffer.from('your-256-bit-secret\r').toString('base64url') }));
    expect((await mintJson(['--key', crlf])).warnings.map((warning) => warning.code)).toEqual(['short-secret', 'famous-secret']);
    const tabs = join(folder, 'tabs-oct.json');
    writeFileSync(tabs, JSON.stringify({ kty: 'oct', k: Buffer.from('my super secret password for jwt\t').toString('base64url') }));
    expect((await mintJson(['--key', tabs])).warnings).toEqual([
      { code: 'weak-secret', message: `The secret looks made of words (about ${bits('my super secret password for jwt\t')} bits by our estimate): a secret a person chose can be guessed offline from any one token. ${FIX_32} (RFC 8725 §3.5).` },
    ]);
    const random = join(folder, 'random-oct.json');
    writeFileSync(random, JSON.stringify({ kty: 'oct', k: Buffer.from(RANDOM_32, 'base64').toString('base64url') }));
    expect((await mintJson(['--key', random])).warnings).toEqual([]);
  });
});

describe('verify warns about its own key on stderr (text) or in warnings (--json)', () => {
  test('a weak secret: stderr in text mode, stdout keeps the checklist; --json lists it after the token warnings', async () => {
    const token = (await mintJson(['--secret', 'a-32-byte-secret-for-the-lessons!'])).token;
    const weak = `! warning (weak-secret): The secret looks made of words (about ${bits('a-32-byte-secret-for-the-lessons!')} bits by our estimate): a secret a person chose can be guessed offline from any one token. ${FIX_32} (RFC 8725 §3.5).\n`;
    const text = await runCli(['verify', token, '--secret', 'a-32-byte-secret-for-the-lessons!', '--alg', 'HS256'], { now: NOW });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe(weak);
    expect(text.stdout).not.toContain('weak-secret');
    const json = await runCli(['verify', token, '--secret', 'a-32-byte-secret-for-the-lessons!', '--alg', 'HS256', '--json'], { now: NOW });
    expect(json.stderr).toBe('');
    const parsed = JSON.parse(json.stdout);
    expect(parsed.valid).toBe(true);
    expect(parsed.warnings.map((warning: { code: string }) => warning.code)).toEqual(['weak-secret']);
    expect(parsed.keyWarnings).toBeUndefined();
  });

  test('a random secret with --alg: no warning at all', async () => {
    const token = (await mintJson(['--secret', RANDOM_32])).token;
    const text = await runCli(['verify', token, '--secret', RANDOM_32, '--alg', 'HS256'], { now: NOW });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
  });
});

describe('verify with a JWK Set of many weak "oct" keys', () => {
  test('each key\'s warnings name it (kid, else its place in the file); after 3 keys, one line counts the rest', async () => {
    const file = join(folder, 'many-weak-oct.json');
    const keys = Array.from({ length: 2000 }, (_unused, index) => ({ kty: 'oct', k: Buffer.from(`password-${index}`).toString('base64url'), ...(index === 0 ? {} : { kid: `k-${index}` }) }));
    writeFileSync(file, JSON.stringify({ keys }));
    // Signed with a key not in the set, so no key is the one used and every key is looked at.
    const token = (await mintJson(['--secret', RANDOM_32])).token;
    const result = await runCli(['verify', token, '--key', file, '--alg', 'HS256'], { now: NOW });
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    const named = lines.slice(0, -1).map((line) => /^! warning \((short|weak)-secret\): The secret of (the key from .* \(key 1\)|the key with kid "k-\d+") (is|looks|holds|has) /.exec(line)?.[2]);
    expect([...new Set(named)]).toEqual([`the key from ${file} (key 1)`, 'the key with kid "k-1"', 'the key with kid "k-2"']);
    expect(lines.at(-1)).toBe('! warning (weak-secret): …and 1997 more keys with weak or short secrets, not listed one by one (RFC 8725 §3.5).');
    expect(lines[named.indexOf('the key with kid "k-1"')]).toBe(`! warning (short-secret): The secret of the key with kid "k-1" is 10 bytes; HS256 needs a key at least as long as its hash, 32 bytes (RFC 7518 §3.2), and it holds about ${bits('password-1')} bits by our estimate, under the 128 we ask for. ${FIX_32}.`);
    const json = JSON.parse((await runCli(['verify', token, '--key', file, '--alg', 'HS256', '--json'], { now: NOW })).stdout);
    expect(json.warnings).toHaveLength(lines.length);
  });

  test('the key of a set that signed the token is named in its warning', async () => {
    const file = join(folder, 'two-oct.json');
    writeFileSync(file, JSON.stringify({ keys: [{ kty: 'oct', kid: 'weak', k: Buffer.from('a-32-byte-secret-for-the-lessons!').toString('base64url') }, { kty: 'oct', kid: 'random', k: Buffer.from(RANDOM_32, 'base64').toString('base64url') }] }));
    const token = (await mintJson(['--secret', 'a-32-byte-secret-for-the-lessons!'], ['--kid', 'weak'])).token;
    const result = await runCli(['verify', token, '--key', file, '--alg', 'HS256'], { now: NOW });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^! warning \(weak-secret\): The secret of the key with kid "weak" looks made of words \(about \d+ bits by our estimate\)/);
  });
});

describe('verify: one key, one algorithm (RFC 8725 §3.1)', () => {
  const unpinnedSecret = '! warning (alg-not-pinned): The key is not pinned to one algorithm: this verifier accepts HS256, HS384 and HS512 with it, whichever the token\'s alg names. One key, one algorithm (RFC 8725 §3.1): pin it with --alg HS384.\n';

  test('--secret without --alg: warned (naming the token\'s alg as the one to pin), and still valid', async () => {
    const token = (await mintJson(['--secret', RANDOM_48], ['--alg', 'HS384'])).token;
    const text = await runCli(['verify', token, '--secret', RANDOM_48], { now: NOW });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe(unpinnedSecret);
    const json = JSON.parse((await runCli(['verify', token, '--secret', RANDOM_48, '--json'], { now: NOW })).stdout);
    expect(json.warnings.map((warning: { code: string }) => warning.code)).toEqual(['alg-not-pinned']);
    expect((await runCli(['verify', token, '--secret', RANDOM_48, '--alg', 'HS384'], { now: NOW })).stderr).toBe('');
  });

  test('an RSA public key without --alg is warned about; an EC key fits one algorithm and is not', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaPrivate = join(folder, 'rsa.pem');
    const rsaPublic = join(folder, 'rsa.pub.pem');
    writeFileSync(rsaPrivate, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    writeFileSync(rsaPublic, rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const rsaToken = (await runCli(['mint', '--alg', 'PS256', '--key', rsaPrivate], { now: NOW })).stdout.trim();
    expect((await runCli(['verify', rsaToken, '--key', rsaPublic], { now: NOW })).stderr).toBe(
      '! warning (alg-not-pinned): The key is not pinned to one algorithm: this verifier accepts RS256, RS384, RS512, PS256, PS384 and PS512 with it, whichever the token\'s alg names. One key, one algorithm (RFC 8725 §3.1): pin it with --alg PS256.\n',
    );
    const ecKey = join(folder, 'ec.json');
    const ecToken = (await runCli(['mint', '--alg', 'ES256', '--save-key', ecKey], { now: NOW })).stdout.trim();
    expect((await runCli(['verify', ecToken, '--key', join(folder, 'ec.pub.json')], { now: NOW })).stderr).toBe('');
  });

  test('a JWK that names its alg is pinned', async () => {
    const keyPath = join(folder, 'named-oct.json');
    const token = (await runCli(['mint', '--alg', 'HS256', '--save-key', keyPath], { now: NOW })).stdout.trim();
    const result = await runCli(['verify', token, '--key', keyPath], { now: NOW });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});

test('verify --help says where key warnings go, and pins the algorithm in its HS256 example', async () => {
  const help = (await runCli(['verify', '--help'])).stdout;
  expect(help).toContain('$ jwt-vs-oauth verify "$TOKEN" --secret "$SECRET" --alg HS256');
  // The notes are laid out to the help's width: compared with the line breaks taken out.
  expect(help.replace(/\s+/g, ' ')).toContain('(weak-secret, famous-secret, short-secret, alg-not-pinned) go to stderr; --json lists them in warnings.');
});
