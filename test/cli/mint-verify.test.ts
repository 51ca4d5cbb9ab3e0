// mint and verify through the CLI layer (in-process): round trips for every algorithm, checked
// again with node:crypto alone, and every attack the verifier must stop.

import { constants, createHmac, createPublicKey, generateKeyPairSync, verify as cryptoVerify, type JsonWebKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RFC7515_ES256_PUBLIC_JWK, RFC7515_ES256_TOKEN, RFC7515_HS256_JWK, RFC7515_HS256_TOKEN, RFC_EXAMPLE_NOW, base64url, runCli } from '../helpers/cli.js';

const NOW = 1_800_000_000;
// 48 random bytes in base64url: long enough for HS512 and random, so mint warns about nothing.
const SECRET = '8tJRQt9v9rJkKjTQMqut0S-M2DnMknOehQNtNRzAws-UuEfzwPVc3FJLGo2Dbkfo';
const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-test-'));

function file(name: string, content: string | object): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function verifyJson(args: string[], now = NOW) {
  const result = await runCli(['verify', ...args, '--json'], { now });
  const parsed = result.stdout ? JSON.parse(result.stdout) : undefined;
  return { ...result, json: parsed };
}

/** Checks a signature with node:crypto only, independent of jose and of our code. */
function independentCheck(token: string, alg: string, key: { secret?: string; publicJwk?: JsonWebKey }): boolean {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const data = Buffer.from(`${header}.${payload}`);
  const bytes = Buffer.from(signature, 'base64url');
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('HS')) return createHmac(hash, key.secret!).update(data).digest().equals(bytes);
  const publicKey = createPublicKey({ key: key.publicJwk!, format: 'jwk' });
  if (alg.startsWith('RS')) return cryptoVerify(hash, data, publicKey, bytes);
  if (alg.startsWith('PS')) return cryptoVerify(hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }, bytes);
  if (alg.startsWith('ES')) return cryptoVerify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, bytes);
  return cryptoVerify(null, data, publicKey, bytes);
}

describe('round trip for every algorithm: mint → verify → node:crypto', () => {
  test.each(['HS256', 'HS384', 'HS512'])('%s with --secret', async (alg) => {
    const minted = await runCli(['mint', '--alg', alg, '--secret', SECRET, '--sub', 'asha', '--aud', 'food-api'], { now: NOW });
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const verified = await verifyJson([token, '--secret', SECRET, '--aud', 'food-api', '--sub', 'asha']);
    expect(verified.code).toBe(0);
    expect(verified.json.valid).toBe(true);
    expect(independentCheck(token, alg, { secret: SECRET })).toBe(true);
    expect(independentCheck(token, alg, { secret: `${SECRET}x` })).toBe(false);
  });

  test.each(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'])('%s with a generated, saved key', async (alg) => {
    const keyPath = join(folder, `${alg}.json`);
    const minted = await runCli(['mint', '--alg', alg, '--save-key', keyPath, '--iss', 'https://issuer.example', '--json'], { now: NOW });
    expect(minted.code).toBe(0);
    const { token, header, publicJwk } = JSON.parse(minted.stdout);
    expect(header.alg).toBe(alg);
    expect(header.kid).toBe(publicJwk.kid);
    expect(minted.stderr).toContain(`public JWK to ${join(folder, `${alg}.pub.json`)}`);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const savedPublic = JSON.parse(readFileSync(join(folder, `${alg}.pub.json`), 'utf8'));
    expect(savedPublic.d).toBeUndefined();
    const verified = await verifyJson([token, '--key', join(folder, `${alg}.pub.json`), '--iss', 'https://issuer.example']);
    expect(verified.code).toBe(0);
    expect(verified.json.checks.map((check: { name: string }) => check.name)).toEqual(['format', 'algorithm', 'key', 'signature', 'typ', 'exp', 'nbf', 'iat', 'iss', 'aud', 'sub']);
    expect(independentCheck(token, alg, { publicJwk: savedPublic })).toBe(true);
    // The private key file also works: its public half is used.
    expect((await verifyJson([token, '--key', keyPath])).code).toBe(0);
  });

  test('PEM keys: PKCS#8, PKCS#1 RSA and SEC1 EC sign; SPKI public keys verify', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cases: Array<[string, string, string]> = [
      ['RS256', file('pkcs8.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), file('rsa-spki.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string)],
      ['RS256', file('pkcs1.pem', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string), file('rsa-spki.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string)],
      ['ES256', file('sec1.pem', ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string), file('ec-spki.pem', ec.publicKey.export({ type: 'spki', format: 'pem' }) as string)],
    ];
    for (const [alg, privatePath, publicPath] of cases) {
      const minted = await runCli(['mint', '--alg', alg, '--key', privatePath], { now: NOW });
      expect(minted.code).toBe(0);
      expect((await verifyJson([minted.stdout.trim(), '--key', publicPath])).code).toBe(0);
    }
  });
});

describe('verify: the RFC examples', () => {
  test('RFC 7515 A.1 verifies with its JWK, as of a minute before its exp', async () => {
    const result = await verifyJson([RFC7515_HS256_TOKEN, '--key', file('a1.json', RFC7515_HS256_JWK), '--iss', 'joe'], RFC_EXAMPLE_NOW);
    expect(result.code).toBe(0);
    expect(result.json.verdict).toBe('valid: signature (HS256), exp, iss checked; not pinned: alg, aud, typ (pass --alg, --aud, --typ)');
    expect(result.json.checked).toEqual(['format', 'algorithm', 'key', 'signature', 'exp', 'iss']);
    expect(result.json.notPinned).toEqual(['alg', 'aud', 'typ']);
  });

  test('RFC 7515 A.3 verifies with its public JWK, and is expired today', async () => {
    const key = file('a3.json', RFC7515_ES256_PUBLIC_JWK);
    expect((await verifyJson([RFC7515_ES256_TOKEN, '--key', key], RFC_EXAMPLE_NOW)).code).toBe(0);
    const today = await verifyJson([RFC7515_ES256_TOKEN, '--key', key], NOW);
    expect(today.code).toBe(1);
    expect(today.json.verdict).toBe('invalid: this token has expired (expired 15 years ago, at 2011-03-22T18:43:00Z)');
  });
});

describe('verify holds against the attacks', () => {
  let rsaPublicPem: string;
  let token: string;
  let esKeyPath: string;
  beforeAll(async () => {
    rsaPublicPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    esKeyPath = join(folder, 'attack-es.json');
    token = (await runCli(['mint', '--alg', 'ES256', '--save-key', esKeyPath, '--sub', 'asha', '--aud', 'food-api', '--iss', 'https://issuer.example'], { now: NOW })).stdout.trim();
  });
  const publicKeyPath = () => join(folder, 'attack-es.pub.json');

  test('alg none is never accepted', async () => {
    const unsigned = `${base64url({ alg: 'none' })}.${base64url({ sub: 'admin', exp: NOW + 60 })}.`;
    const result = await verifyJson([unsigned, '--secret', SECRET]);
    expect(result.code).toBe(1);
    expect(result.json.checks[1]).toMatchObject({ name: 'algorithm', ok: false, code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
    expect(result.json.verdict).toBe('invalid: alg "none": an unsigned token proves nothing and is never accepted (RFC 8725 §3.2)');
  });

  test('RS256 → HS256 key confusion: the public key used as the HMAC secret', async () => {
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const payload = base64url({ sub: 'admin', exp: NOW + 60 });
    const forged = `${header}.${payload}.${createHmac('sha256', rsaPublicPem).update(`${header}.${payload}`).digest('base64url')}`;
    const withPem = await verifyJson([forged, '--key', file('victim.pem', rsaPublicPem)]);
    expect(withPem.code).toBe(1);
    expect(withPem.json.verdict).toContain('key confusion: the token asks for HS256, but the key is a public key; an RS256 public key must never be used as an HMAC secret');
    const asSecret = await verifyJson([forged, '--secret', rsaPublicPem]);
    expect(asSecret.code).toBe(1);
    expect(asSecret.json.verdict).toContain('key confusion');
  });

  test('a tampered payload', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = `${header}.${base64url({ ...claims, sub: 'admin' })}.${signature}`;
    const result = await verifyJson([tampered, '--key', publicKeyPath()]);
    expect(result.code).toBe(1);
    expect(result.json.checks.find((check: { name: string }) => check.name === 'signature')).toMatchObject({ ok: false, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    expect(result.json.verdict).toBe('invalid: the payload (or header) was changed after signing: the key named by kid does not match the signature');
  });

  test('a tampered header', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const changed = { ...JSON.parse(Buffer.from(header, 'base64url').toString()), typ: 'at+jwt' };
    const result = await verifyJson([`${base64url(changed)}.${payload}.${signature}`, '--key', publicKeyPath()]);
    expect(result.code).toBe(1);
    expect(result.json.verdict).toContain('was changed after signing');
  });

  test('signed with a different secret', async () => {
    const other = (await runCli(['mint', '--secret', 'another secret that is long enough!!'], { now: NOW })).stdout.trim();
    const result = await verifyJson([other, '--secret', SECRET]);
    expect(result.code).toBe(1);
    expect(result.json.verdict).toBe('invalid: the signature does not match: the payload was changed after signing, or it was signed with a different secret');
  });

  test.each([
    ['expired', [], NOW + 16 * 60, 'invalid: this token has expired (expired 1 minute ago, at 2027-01-15T08:15:00Z)'],
    ['not yet valid', [], NOW - 60, 'invalid: issued in the future: in 1 minute (no token is issued after now: check the clock, or whether iat is in milliseconds)'],
    ['wrong iss', ['--iss', 'https://evil.example'], NOW, 'invalid: this token comes from another issuer ("https://issuer.example", expected "https://evil.example")'],
    ['wrong aud', ['--aud', 'payments-api'], NOW, 'invalid: this token is for another audience ("food-api", expected "payments-api")'],
    ['wrong sub', ['--sub', 'ravi'], NOW, 'invalid: this token is about another subject ("asha", expected "ravi")'],
    ['a required claim missing', ['--require', 'scope'], NOW, 'invalid: the scope claim is required but missing'],
    ['too old for --max-age', ['--max-age', '5m'], NOW + 600, 'invalid: this token is too old (issued 10 minutes ago, older than --max-age 5 minutes)'],
  ])('%s', async (_name, flags, now, verdict) => {
    const result = await verifyJson([token, '--key', publicKeyPath(), ...flags], now);
    expect(result.code).toBe(1);
    expect(result.json.verdict).toBe(verdict);
  });

  test('nbf in the future, and --clock-tolerance lets a slightly early token through', async () => {
    const early = (await runCli(['mint', '--secret', SECRET, '--nbf', '30s'], { now: NOW })).stdout.trim();
    const strict = await verifyJson([early, '--secret', SECRET]);
    expect(strict.code).toBe(1);
    expect(strict.json.verdict).toBe('invalid: this token is not valid yet (not valid yet: it starts in 30 seconds, at 2027-01-15T08:00:30Z)');
    expect((await verifyJson([early, '--secret', SECRET, '--clock-tolerance', '1m'])).code).toBe(0);
  });

  test('a token without exp is still accepted a year later: the mistake, shown with --at', async () => {
    const forever = (await runCli(['mint', '--secret', SECRET, '--no-exp'], { now: NOW })).stdout.trim();
    const result = await verifyJson([forever, '--secret', SECRET, '--at', '2028-01-15T08:00:00Z']);
    expect(result.code).toBe(0);
    expect(result.json.warnings.map((warning: { code: string }) => warning.code)).toContain('no-exp');
  });

  describe('with keys served over HTTP on loopback', () => {
    let server: Server;
    let base: string;
    let silent: Server;
    let silentBase: string;
    beforeAll(async () => {
      const publicJwk = JSON.parse(readFileSync(publicKeyPath(), 'utf8'));
      server = createServer((request, response) => {
        response.setHeader('content-type', 'application/json');
        if (request.url === '/jwks') response.end(JSON.stringify({ keys: [publicJwk] }));
        else if (request.url === '/other-jwks') response.end(JSON.stringify({ keys: [{ ...publicJwk, kid: 'some-other-key' }] }));
        else if (request.url === '/.well-known/openid-configuration') response.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
        else response.writeHead(404).end('{}');
      });
      // Accepts connections and never answers: the JWKS URL that hangs.
      silent = createServer(() => undefined);
      await Promise.all([new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)), new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))]);
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      silentBase = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server.close();
      silent.closeAllConnections();
      silent.close();
    });

    test('--jwks picks the key by kid', async () => {
      expect((await verifyJson([token, '--jwks', `${base}/jwks`])).code).toBe(0);
    });

    test('a kid missing from the JWKS', async () => {
      const result = await verifyJson([token, '--jwks', `${base}/other-jwks`]);
      expect(result.code).toBe(1);
      expect(result.json.checks[2]).toMatchObject({ name: 'key', ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' });
      expect(result.json.verdict).toMatch(/^invalid: no trusted key has kid ".+" \(the keys offered: "some-other-key"\): the token was signed with a key this verifier does not trust\.$/);
    });

    test('a JWKS URL that never answers times out with a clear error', async () => {
      const result = await runCli(['verify', token, '--jwks', `${silentBase}/jwks`, '--timeout', '200ms'], { now: NOW });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`error: The JWKS at ${silentBase}/jwks did not answer within 200 ms.\nIs the server running? Try again, give more time with --timeout, or give the key with --key.\n`);
    });

    test('--discover reads the discovery document and pins iss to it', async () => {
      const result = await verifyJson([token, '--discover', base]);
      expect(result.code).toBe(1);
      expect(result.json.verdict).toBe(`invalid: this token comes from another issuer ("https://issuer.example", expected "${base}")`);
    });

    test('plain http to a non-loopback host is refused', async () => {
      const result = await runCli(['verify', token, '--jwks', 'http://keys.example/jwks'], { now: NOW });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('plain http is allowed only for loopback hosts');
    });
  });
});

describe('mint: flags and warnings', () => {
  test('a short secret is accepted with a warning naming RFC 7518 §3.2', async () => {
    const result = await runCli(['mint', '--secret', 'password'], { now: NOW });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('! warning (short-secret): The secret is 8 bytes; HS256 needs a key at least as long as its hash, 32 bytes (RFC 7518 §3.2)');
  });

  test('--no-exp warns that the token never expires', async () => {
    const result = await runCli(['mint', '--secret', SECRET, '--no-exp', '--json'], { now: NOW });
    const json = JSON.parse(result.stdout);
    expect(json.payload.exp).toBeUndefined();
    expect(json.warnings[0].code).toBe('no-exp');
  });

  test('claims, headers, payload, jti', async () => {
    const payloadFile = file('payload.json', { scope: 'read:orders', sub: 'from-file' });
    const result = await runCli(['mint', '--secret', SECRET, '--payload', `@${payloadFile}`, '--sub', 'asha', '--claim', 'admin=true', '--claim', 'name=Asha Rao',
      '--jti', 'abc', '--kid', 'k1', '--typ', 'at+jwt', '--header', 'x-demo=1', '--exp', '2h', '--nbf', '10s', '--aud', 'a', '--aud', 'b', '--json'], { now: NOW });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.header).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'k1', 'x-demo': 1 });
    expect(json.payload).toEqual({ sub: 'asha', aud: ['a', 'b'], scope: 'read:orders', admin: true, name: 'Asha Rao', iat: NOW, nbf: NOW + 10, exp: NOW + 7200, jti: 'abc' });
  });

  test.each([
    [['mint', '--alg', 'none'], 'error: This tool does not mint unsigned tokens (alg "none"): nothing should accept them.'],
    [['mint', '--alg', 'HS999'], 'error: Unknown algorithm "HS999".'],
    [['mint', '--exp', 'soon'], 'error: --exp: "soon" is not a duration.'],
    [['mint', '--claim', 'novalue'], 'error: --claim "novalue" is not key=value.'],
    [['mint', '--secret', 'a', '--key', 'b.pem'], 'error: Give either --secret or --key, not both.'],
    [['mint', '--key', '/no/such/key.pem'], 'error: Cannot read key file /no/such/key.pem: no such file.'],
    [['mint', '--alg', 'RS256', '--secret', SECRET], 'error: RS256 needs an RSA key, but --secret holds an HMAC shared secret.'],
    [['mint', '--payload', '[1]'], 'error: --payload must be a JSON object ({…}).'],
  ])('%j exits 2 with a clear error', async (argv, message) => {
    const result = await runCli(argv, { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    ['exp=5', 'error: --claim cannot set "exp": exp is set with --exp <duration> (default 15m), or left out with --no-exp.\nExample: --exp 5m\n'],
    ['nbf=1800000000', 'error: --claim cannot set "nbf": nbf is set with --nbf <duration>.\nExample: --nbf 30s\n'],
    ['iat=0', 'error: --claim cannot set "iat": iat is always the time of minting.\nTo judge a token as of another time, use verify --at <time>.\n'],
  ])('--claim %s is refused with exit 2, naming the flag that sets it, instead of being dropped', async (claim, stderr) => {
    const result = await runCli(['mint', '--secret', SECRET, '--claim', 'role=admin', '--claim', claim], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(stderr);
  });

  test('--payload keeps its nbf; its iat and exp are replaced, with a warning for each', async () => {
    const result = await runCli(['mint', '--secret', SECRET, '--payload', JSON.stringify({ sub: 'asha', iat: 1, exp: 5, nbf: NOW + 60 }), '--json'], { now: NOW });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.payload).toEqual({ sub: 'asha', iat: NOW, nbf: NOW + 60, exp: NOW + 900 });
    expect(json.warnings).toEqual([
      { code: 'payload-time-replaced', message: 'The iat given with --payload was replaced: iat is always the time of minting.' },
      { code: 'payload-time-replaced', message: 'The exp given with --payload was replaced: exp is set with --exp <duration> (default 15m), or left out with --no-exp.' },
    ]);
    expect(result.stderr).toContain('! warning (payload-time-replaced): The exp given with --payload was replaced');
  });

  test('a --payload whose times already match what mint sets warns about nothing', async () => {
    const result = await runCli(['mint', '--secret', SECRET, '--payload', JSON.stringify({ iat: NOW, exp: NOW + 900 }), '--json'], { now: NOW });
    expect(JSON.parse(result.stdout).warnings).toEqual([]);
  });

  test('--save-key never overwrites a file', async () => {
    const existing = file('existing.json', '{"keep": true}');
    const result = await runCli(['mint', '--alg', 'ES256', '--save-key', existing], { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('already exists');
    expect(readFileSync(existing, 'utf8')).toBe('{"keep": true}');
  });
});

describe('verify: more key forms and a JWS that is not a JWT', () => {
  test('a JWK Set file: the key is picked by kid', async () => {
    const keyPath = join(folder, 'set-member.json');
    const minted = JSON.parse((await runCli(['mint', '--alg', 'ES256', '--save-key', keyPath, '--json'], { now: NOW })).stdout);
    const other = JSON.parse((await runCli(['mint', '--alg', 'ES256', '--json'], { now: NOW })).stdout).publicJwk;
    const jwks = file('set.json', { keys: [other, minted.publicJwk] });
    const result = await verifyJson([minted.token, '--key', jwks]);
    expect(result.code).toBe(0);
    expect(result.json.keyUsed).toBe(`${jwks} (key 2)`);
    const withoutIt = await verifyJson([minted.token, '--key', file('set-without.json', { keys: [other] })]);
    expect(withoutIt.code).toBe(1);
    expect(withoutIt.json.checks[2].name).toBe('key');
  });

  test('a key that names its algorithm allows only that one; a key that does not, every one that fits it', async () => {
    const keyPath = join(folder, 'named-alg.json');
    const ec = JSON.parse((await runCli(['mint', '--alg', 'ES256', '--save-key', keyPath, '--json'], { now: NOW })).stdout);
    const rsa = JSON.parse((await runCli(['mint', '--alg', 'RS256', '--json'], { now: NOW })).stdout).publicJwk;
    const named = await verifyJson([ec.token, '--key', file('named.json', { keys: [rsa, ec.publicJwk] })]);
    expect(named.code).toBe(0);
    expect(named.json.checks.find((check: { name: string }) => check.name === 'algorithm').detail).toBe('ES256 is allowed (allowed: RS256, ES256)');
    const { alg: _dropped, ...rsaWithoutAlg } = rsa;
    const unnamed = await verifyJson([ec.token, '--key', file('unnamed.json', { keys: [rsaWithoutAlg, ec.publicJwk] })]);
    expect(unnamed.json.checks.find((check: { name: string }) => check.name === 'algorithm').detail).toBe('ES256 is allowed (allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256)');
  });

  const openssl = spawnSync('openssl', ['version']).status === 0;
  if (!openssl) console.warn('Skipping the X.509 certificate test: openssl is not installed.');
  test.skipIf(!openssl)('an X.509 certificate (PEM) verifies with its public key', async () => {
    const keyPath = join(folder, 'cert-key.pem');
    const certPath = join(folder, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyPath, '-out', certPath, '-subj', '/CN=issuer.example', '-days', '1']);
    expect(made.status).toBe(0);
    const token = (await runCli(['mint', '--alg', 'ES256', '--key', keyPath], { now: NOW })).stdout.trim();
    const result = await verifyJson([token, '--key', certPath]);
    expect(result.code).toBe(0);
    expect(result.json.checks[2].detail).toContain('an EC P-256 public key');
  });

  test('a JWS whose payload is not JSON: the signature is checked, the claims skipped with a note', async () => {
    const header = base64url({ alg: 'HS256' });
    const payload = base64url('hello, world');
    const jws = `${header}.${payload}.${createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url')}`;
    const result = await verifyJson([jws, '--secret', SECRET]);
    expect(result.code).toBe(0);
    expect(result.json.type).toBe('JWS');
    expect(result.json.payload).toBe('hello, world');
    expect(result.json.checks.at(-1)).toEqual({ name: 'claims', ok: true, skipped: true, detail: 'skipped: the payload is not a JSON object, so there are no claims to check' });
  });
});

describe('verify: usage errors exit 2', () => {
  test.each([
    [['verify', 'a.b.c'], 'error: verify needs a key: --secret, --key, --jwks or --discover.'],
    [['verify', 'a.b.c', '--secret', 'x', '--key', 'y'], 'error: Give only one of --secret, --key, --jwks, --discover.'],
    [['verify', 'not-a-token', '--secret', 'x'], 'error: A compact token has 3 dot-separated segments (header.payload.signature), or 5 for an encrypted JWE; this one has 1.'],
    [['verify', 'x.y.z', '--secret', 'x', '--alg', 'none'], 'error: --alg cannot allow "none": an unsigned token proves nothing.'],
    [['verify', 'x.y.z', '--secret', 'x', '--at', 'tomorrow'], 'error: --at: "tomorrow" is neither an ISO 8601 date-time nor unix seconds.'],
  ])('%j', async (argv, message) => {
    const result = await runCli(argv, { now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });
});
