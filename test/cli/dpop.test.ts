// `jwt-vs-oauth dpop`: a proof made with a saved key passes the RFC 9449 checks for the request
// it names; bad input is one clear line and exit 2.

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { accessTokenHash, checkDpopProof } from '../../src/protocol/dpop.js';

const NOW = 1_800_000_000;
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-dpop-'));
const keyFile = join(folder, 'dpop-key.json');
const URL_TOKEN = 'http://127.0.0.1:9400/token';

beforeAll(async () => {
  const made = await runCli(['mint', '--alg', 'ES256', '--save-key', keyFile], { now: NOW });
  expect(made.code).toBe(0);
});

describe('dpop makes a proof the checks accept', () => {
  test('stdout is the proof alone; it passes for its request, and stderr names the thumbprint', async () => {
    const result = await runCli(['dpop', '--key', keyFile, '--htm', 'POST', '--htu', `${URL_TOKEN}?x=1`], { now: NOW });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const checked = await checkDpopProof(result.stdout.trim(), { htm: 'POST', htu: URL_TOKEN, now: NOW, isReplay: () => false });
    expect(checked.ok).toBe(true);
    const publicJwk = JSON.parse(readFileSync(join(folder, 'dpop-key.pub.json'), 'utf8')) as JWK;
    const jkt = await calculateJwkThumbprint(publicJwk, 'sha256');
    expect(checked.ok && checked.jkt).toBe(jkt);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain(`cnf.jkt = ${jkt}`);
  });

  test('--json: header typ dpop+jwt with the public key only, claims htm, htu (no query), iat, jti, ath', async () => {
    const result = await runCli(['dpop', '--key', keyFile, '--htm', 'GET', '--htu', 'http://127.0.0.1:9400/userinfo?a=b#c', '--ath', 'the-token', '--jti', 'j-1', '--json'], { now: NOW });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { header: Record<string, unknown> & { jwk: JWK }; payload: Record<string, unknown>; jkt: string; proof: string };
    expect(json.header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(json.header.jwk.d).toBeUndefined();
    expect(json.payload).toEqual({ htm: 'GET', htu: 'http://127.0.0.1:9400/userinfo', ath: accessTokenHash('the-token'), jti: 'j-1', iat: NOW });
  });
});

describe('bad input: one line, exit 2', () => {
  const secretFile = join(folder, 'secret.json');
  beforeAll(() => writeFileSync(secretFile, JSON.stringify({ kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' })));
  test.each([
    ['no key', ['--htm', 'POST', '--htu', URL_TOKEN], 'dpop needs --key'],
    ['a secret as key', ['--key', 'SECRET', '--htm', 'POST', '--htu', URL_TOKEN], 'never a shared secret'],
    ['a public key', ['--key', 'PUBLIC', '--htm', 'POST', '--htu', URL_TOKEN], 'the private half of a key pair'],
    ['lower-case method', ['--key', 'KEY', '--htm', 'post', '--htu', URL_TOKEN], '--htm needs'],
    ['no URL', ['--key', 'KEY', '--htm', 'POST'], '--htu needs'],
    ['not http', ['--key', 'KEY', '--htm', 'POST', '--htu', 'file:///etc/passwd'], '--htu needs'],
  ])('%s', async (_name, args, message) => {
    const files: Record<string, string> = { KEY: keyFile, SECRET: secretFile, PUBLIC: join(folder, 'dpop-key.pub.json') };
    const result = await runCli(['dpop', ...args.map((arg) => files[arg] ?? arg)], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('help', () => {
  test('the examples and the --htu hint use port 9400, the provider\'s default, as the README does', async () => {
    const help = await runCli(['dpop', '--help'], { env: { COLUMNS: '200' } });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--htu http://127.0.0.1:9400/token');
    expect(help.stdout).toContain('--htu http://127.0.0.1:9400/userinfo');
    expect(help.stdout).not.toContain(':4000');
    const noUrl = await runCli(['dpop', '--key', keyFile, '--htm', 'POST'], { now: NOW });
    expect(noUrl.stderr).toContain('Example: --htu http://127.0.0.1:9400/token');
  });
});

describe('keys and flags that cannot make a proof: one line, exit 2, never a crash', () => {
  const pem = (name: string, type: 'rsa' | 'ed448', options: { modulusLength?: number } = {}) => {
    const path = join(folder, name);
    const { privateKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 }) : generateKeyPairSync('ed448');
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }));
    return path;
  };
  const ht = ['--htm', 'POST', '--htu', URL_TOKEN];
  test.each([
    ['an RSA key with --alg ES256', () => ['--key', pem('rsa.pem', 'rsa'), '--alg', 'ES256', ...ht], 'does not fit'],
    ['an EC key with --alg RS256', () => ['--key', keyFile, '--alg', 'RS256', ...ht], 'does not fit'],
    ['an Ed448 key', () => ['--key', pem('ed448.pem', 'ed448'), ...ht], 'which no JOSE algorithm here signs with'],
    ['an RSA key of 1024 bits', () => ['--key', pem('rsa1024.pem', 'rsa', { modulusLength: 1024 }), '--alg', 'RS256', ...ht], 'which jose will not sign RS256 with'],
    ['an empty --jti', () => ['--key', keyFile, '--jti', '', ...ht], '--jti is empty'],
    ['an empty --ath', () => ['--key', keyFile, '--ath', '', ...ht], '--ath is empty'],
    ['credentials in --htu', () => ['--key', keyFile, '--htm', 'POST', '--htu', 'http://user:secret@127.0.0.1:9400/token'], 'user name or password'],
  ])('%s', async (_name, args, message) => {
    const result = await runCli(['dpop', ...args()], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('secret@');
    expect(result.stderr).not.toMatch(/unexpected|\n\s+at /);
  });

  test('a public key: the private half is needed, not "a shared secret"', async () => {
    const result = await runCli(['dpop', '--key', join(folder, 'dpop-key.pub.json'), ...ht], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the private half of a key pair');
    expect(result.stderr).not.toContain('shared secret');
  });
});
