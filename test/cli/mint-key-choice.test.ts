// Keys mint and verify cannot use say so plainly (secp256k1, an encrypted PEM), and mint takes
// its algorithm from a key that allows only one.

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const NOW = 1_800_000_000;
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-keys-'));

function file(name: string, content: string | object): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
}

const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const k1Pem = file('k1.pem', secp256k1.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
const k1Jwk = file('k1.json', secp256k1.privateKey.export({ format: 'jwk' }));
const k1PublicPem = file('k1.pub.pem', secp256k1.publicKey.export({ format: 'pem', type: 'spki' }).toString());

describe('a secp256k1 key is refused: JOSE ES algorithms use P-256/384/521, secp256k1 is ES256K', () => {
  test.each([
    ['PEM, no --alg', ['--key', k1Pem]],
    ['PEM, --alg ES256', ['--key', k1Pem, '--alg', 'ES256']],
    ['JWK, --alg ES256', ['--key', k1Jwk, '--alg', 'ES256']],
  ])('mint with a %s', async (_name, args) => {
    const result = await runCli(['mint', ...args], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('secp256k1');
    expect(result.stderr).toContain('ES256K (RFC 8812)');
    expect(result.stderr).not.toMatch(/fits ES256|bug|jose refused/i);
  });

  test('verify with the public key', async () => {
    const minted = await runCli(['mint', '--alg', 'ES256'], { now: NOW });
    const result = await runCli(['verify', minted.stdout.trim(), '--key', k1PublicPem], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ES256K (RFC 8812)');
    expect(result.stderr).not.toMatch(/fits ES256|bug/i);
  });

  test('in a JWK Set with a P-256 key beside it, the P-256 key still verifies', async () => {
    const keyPath = join(folder, 'p256.json');
    const minted = await runCli(['mint', '--alg', 'ES256', '--save-key', keyPath, '--json'], { now: NOW });
    const { token, publicJwk } = JSON.parse(minted.stdout);
    const k1Public = { ...secp256k1.publicKey.export({ format: 'jwk' }), kid: 'k1' };
    const set = file('set.json', { keys: [k1Public, publicJwk] });
    const result = await runCli(['verify', token, '--key', set, '--json'], { now: NOW });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).valid).toBe(true);
  });
});

describe('an encrypted PEM says it is encrypted and how to decrypt it', () => {
  const encrypted = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
  const path = file('encrypted.pem', encrypted);

  test.each([['mint'], ['verify']])('%s', async (command) => {
    const args = command === 'mint' ? ['mint', '--key', path] : ['verify', 'a.b.c', '--key', path];
    const result = await runCli(args, { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('encrypted with a passphrase');
    expect(result.stderr).toContain(`openssl pkey -in ${path} -out key-plain.pem`);
    expect(result.stderr).not.toMatch(/interrupted|cancelled/i);
  });

  test('a traditional encrypted PEM (Proc-Type: 4,ENCRYPTED) too', async () => {
    let legacy: string;
    try {
      legacy = execFileSync('openssl', ['ec', '-aes256', '-passout', 'pass:x'], { input: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }), stdio: ['pipe', 'pipe', 'ignore'] }).toString();
    } catch {
      legacy = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    }
    expect(legacy).toContain('ENCRYPTED');
    const result = await runCli(['mint', '--key', file('legacy.pem', legacy)], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('encrypted with a passphrase');
  });
});

describe('mint --key without --alg takes the algorithm the key allows', () => {
  test('the private JWK --save-key wrote ("alg": "ES384")', async () => {
    const keyPath = join(folder, 'me.json');
    const saved = await runCli(['mint', '--alg', 'ES384', '--save-key', keyPath], { now: NOW });
    expect(saved.code).toBe(0);
    const result = await runCli(['mint', '--key', keyPath, '--sub', 'asha'], { now: NOW });
    expect(result.code).toBe(0);
    expect(headerOf(result.stdout.trim()).alg).toBe('ES384');
    expect(result.stderr).toContain('--alg ES384 from the key');
    const verified = await runCli(['verify', result.stdout.trim(), '--key', join(folder, 'me.pub.json'), '--json'], { now: NOW });
    expect(JSON.parse(verified.stdout).valid).toBe(true);
  });

  test('an EC P-521 PEM without alg: ES512', async () => {
    const path = file('p521.pem', generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString());
    const result = await runCli(['mint', '--key', path], { now: NOW });
    expect(result.code).toBe(0);
    expect(headerOf(result.stdout.trim()).alg).toBe('ES512');
    expect(result.stderr).toContain('--alg ES512 from the key');
  });

  test('an Ed25519 PEM: EdDSA, naming Ed25519 as the newer name', async () => {
    const path = file('ed.pem', generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const result = await runCli(['mint', '--key', path], { now: NOW });
    expect(result.code).toBe(0);
    expect(headerOf(result.stdout.trim()).alg).toBe('EdDSA');
    expect(result.stderr).toContain('--alg EdDSA from the key');
    expect(result.stderr).toContain('Ed25519');
  });

  test('an RSA key fits six algorithms: mint asks for --alg and lists them', async () => {
    const path = file('rsa.pem', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const result = await runCli(['mint', '--key', path], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('RS256, RS384, RS512, PS256, PS384, PS512');
    expect(result.stderr).toContain('needs --alg');
    const chosen = await runCli(['mint', '--key', path, '--alg', 'PS256'], { now: NOW });
    expect(chosen.code).toBe(0);
    expect(headerOf(chosen.stdout.trim()).alg).toBe('PS256');
  });

  test('an explicit --alg still wins, and a mismatch is still refused', async () => {
    const path = file('p256.pem', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const result = await runCli(['mint', '--key', path, '--alg', 'ES384'], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('This key fits ES256');
    expect(result.stderr).not.toContain('from the key');
  });

  test('--secret and no key still default to HS256, saying nothing about the key', async () => {
    const secret = await runCli(['mint', '--secret', '8tJRQt9v9rJkKjTQMqut0S-M2DnMknOehQNtNRzAws-UuEfzwPVc3FJLGo2Dbkfo'], { now: NOW });
    expect(headerOf(secret.stdout.trim()).alg).toBe('HS256');
    expect(secret.stderr).not.toContain('from the key');
    const generated = await runCli(['mint'], { now: NOW });
    expect(headerOf(generated.stdout.trim()).alg).toBe('HS256');
  });
});
