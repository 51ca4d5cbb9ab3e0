// DPoP proofs (RFC 9449 §4.3), each rule on its own: one proof made right, then each made wrong
// in one way, and the reason names the rule. The last test checks a proof openid-client made.

import { generateKeyPairSync, sign } from 'node:crypto';
import { generateKeyPair, exportJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { accessTokenHash, checkDpopProof, createDpopProof, jwkThumbprint, type ProofExpectations } from '../../src/protocol/dpop.js';

const NOW = 1_800_000_000;
const HTU = 'http://127.0.0.1:4000/token';
let pair: Awaited<ReturnType<typeof generateKeyPair>>;
let publicJwk: JWK;

beforeAll(async () => {
  pair = await generateKeyPair('ES256', { extractable: true });
  publicJwk = await exportJWK(pair.publicKey);
});

const proof = (overrides: Partial<Parameters<typeof createDpopProof>[0]> = {}) => createDpopProof({ privateKey: pair.privateKey, publicJwk, alg: 'ES256', htm: 'POST', htu: HTU, iat: NOW, ...overrides });
const expecting = (overrides: Partial<ProofExpectations> = {}): ProofExpectations => ({ htm: 'POST', htu: HTU, now: NOW, isReplay: () => false, ...overrides });

/** A proof signed as given, header and claims as written (for the malformed cases createDpopProof will not make). */
async function handMade(header: Record<string, unknown>, claims: Record<string, unknown>, key: Parameters<SignJWT['sign']>[0] = pair.privateKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as never).sign(key);
}

describe('a well-made proof', () => {
  test('passes, gives the key\'s RFC 7638 thumbprint and its jti', async () => {
    const checked = await checkDpopProof(await proof({ jti: 'one' }), expecting());
    expect(checked).toMatchObject({ ok: true, jti: 'one', jkt: await jwkThumbprint(publicJwk) });
  });

  test('htu is compared without query and fragment (§4.3 point 9)', async () => {
    expect((await checkDpopProof(await proof(), expecting({ htu: `${HTU}?x=1#y` }))).ok).toBe(true);
  });

  test('a proof never carries private members, even if the caller passes a private JWK', async () => {
    const privateJwk = await exportJWK(pair.privateKey);
    const made = await createDpopProof({ privateKey: pair.privateKey, publicJwk: privateJwk, alg: 'ES256', htm: 'POST', htu: HTU, iat: NOW });
    const header = JSON.parse(Buffer.from(made.split('.')[0]!, 'base64url').toString()) as { jwk: JWK };
    expect(header.jwk.d).toBeUndefined();
    expect((await checkDpopProof(made, expecting())).ok).toBe(true);
  });
});

describe('each rule of RFC 9449 §4.3 refuses on its own', () => {
  test.each([
    ['no header', async () => undefined, 'point 1'],
    ['not a JWT', async () => 'not-a-jwt', 'point 2'],
    ['typ JWT', async () => handMade({ typ: 'JWT', alg: 'ES256', jwk: publicJwk }, { jti: 'a', htm: 'POST', htu: HTU, iat: NOW }), 'point 4'],
    ['no jwk', async () => handMade({ typ: 'dpop+jwt', alg: 'ES256' }, { jti: 'a', htm: 'POST', htu: HTU, iat: NOW }), 'point 3'],
    ['an HMAC alg', async () => handMade({ typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: 'c2VjcmV0' } }, { jti: 'a', htm: 'POST', htu: HTU, iat: NOW }, new TextEncoder().encode('secret-secret-secret-secret-secret!')), 'point 5'],
    ['a private jwk', async () => handMade({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(pair.privateKey) }, { jti: 'a', htm: 'POST', htu: HTU, iat: NOW }), 'point 7'],
    ['signed by another key', async () => handMade({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk }, { jti: 'a', htm: 'POST', htu: HTU, iat: NOW }, (await generateKeyPair('ES256')).privateKey), 'point 6'],
    ['no jti', async () => handMade({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk }, { htm: 'POST', htu: HTU, iat: NOW }), 'no jti claim'],
    ['no iat', async () => handMade({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk }, { jti: 'a', htm: 'POST', htu: HTU }), 'no iat claim'],
    ['another method', async () => proof({ htm: 'GET' }), 'point 8'],
    ['another URI', async () => proof({ htu: 'http://127.0.0.1:4000/userinfo' }), 'point 9'],
    ['too old', async () => proof({ iat: NOW - 301 }), 'point 11'],
    ['from the future', async () => proof({ iat: NOW + 61 }), 'point 11'],
  ])('%s', async (_name, make, rule) => {
    const checked = await checkDpopProof(await make(), expecting());
    expect(checked.ok).toBe(false);
    expect(checked.ok === false && checked.reason).toContain(rule);
    expect(checked.ok === false && checked.error).toBe('invalid_dpop_proof');
  });

  test('a replayed jti is refused, and only a proof that passed everything else is recorded', async () => {
    const seen = new Set<string>();
    const isReplay = (jti: string) => (seen.has(jti) ? true : (seen.add(jti), false));
    await checkDpopProof(await proof({ jti: 'x', htm: 'GET' }), expecting({ isReplay }));
    expect(seen.size).toBe(0);
    const made = await proof({ jti: 'x' });
    expect((await checkDpopProof(made, expecting({ isReplay }))).ok).toBe(true);
    const again = await checkDpopProof(made, expecting({ isReplay }));
    expect(again.ok === false && again.reason).toContain('used before');
  });

  test('at an API: ath must be the access token\'s hash, and the key the token is bound to', async () => {
    const withAth = await proof({ accessToken: 'token-a' });
    expect((await checkDpopProof(withAth, expecting({ accessToken: 'token-a', boundTo: await jwkThumbprint(publicJwk) }))).ok).toBe(true);
    const otherToken = await checkDpopProof(withAth, expecting({ accessToken: 'token-b' }));
    expect(otherToken.ok === false && otherToken.reason).toContain('hash of another access token');
    const noAth = await checkDpopProof(await proof(), expecting({ accessToken: 'token-a' }));
    expect(noAth.ok === false && noAth.reason).toContain('no ath');
    const otherKey = await checkDpopProof(withAth, expecting({ accessToken: 'token-a', boundTo: 'someone-elses-thumbprint' }));
    expect(otherKey.ok === false && otherKey.reason).toContain('cnf.jkt');
    expect(accessTokenHash('token-a')).toMatch(/^[\w-]{43}$/);
  });

  test('a server nonce not carried is use_dpop_nonce (§8)', async () => {
    const checked = await checkDpopProof(await proof(), expecting({ nonce: 'n-1' }));
    expect(checked).toMatchObject({ ok: false, error: 'use_dpop_nonce' });
    expect((await checkDpopProof(await proof({ nonce: 'n-1' }), expecting({ nonce: 'n-1' }))).ok).toBe(true);
  });
});

test('a proof made by openid-client (a real DPoP client) passes', async () => {
  const client = await import('openid-client');
  const keys = await client.randomDPoPKeyPair('ES256');
  const handle = client.getDPoPHandle(new client.Configuration({ issuer: 'http://127.0.0.1:4000', token_endpoint: HTU }, 'demo-app'), keys);
  // The handle adds a DPoP header to a request it is given; read it back from a request to nowhere.
  const headers = new Headers();
  await (handle as unknown as { addProof(url: URL, headers: Headers, method: string): Promise<void> }).addProof(new URL(HTU), headers, 'POST');
  const checked = await checkDpopProof(headers.get('dpop') ?? undefined, expecting({ now: Math.floor(Date.now() / 1000) }));
  expect(checked.ok).toBe(true);
});

describe('htu, alg none and small RSA keys: each refused or matched for the right reason', () => {
  const claims = { jti: 'a', htm: 'POST', iat: NOW };
  const header = () => ({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk });

  test('a user name and password in htu are refused (RFC 9110 §4.2.4)', async () => {
    const checked = await checkDpopProof(await handMade(header(), { ...claims, htu: 'http://evil:pw@127.0.0.1:4000/token' }), expecting());
    expect(checked).toMatchObject({ ok: false, reason: expect.stringContaining('htu holds a user name or password; an http(s) URI must not (RFC 9110 §4.2.4)') });
  });

  test('percent-encoded unreserved characters are the same URI (RFC 3986 §6.2.2): /%74oken is /token; an encoded slash is not', async () => {
    expect((await checkDpopProof(await handMade(header(), { ...claims, htu: 'http://127.0.0.1:4000/%74oken' }), expecting())).ok).toBe(true);
    expect((await checkDpopProof(await handMade(header(), { ...claims, htu: 'HTTP://127.0.0.1:4000/%74%6F%6b%65%6E' }), expecting())).ok).toBe(true);
    expect((await checkDpopProof(await handMade(header(), { ...claims, htu: 'http://127.0.0.1:4000/x%2ftoken' }), expecting({ htu: 'http://127.0.0.1:4000/x/token' }))).ok).toBe(false);
  });

  test('alg none is refused as alg none (§4.3 point 5), not as a malformed JWT', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ typ: 'dpop+jwt', alg: 'none', jwk: publicJwk })}.${part({ ...claims, htu: HTU })}.`;
    expect(await checkDpopProof(unsigned, expecting())).toMatchObject({ ok: false, reason: 'the proof\'s alg is "none": an unsigned proof is refused; it must be signed with an asymmetric algorithm (§4.3 point 5)' });
  });

  test('an RSA key under 2048 bits is refused as too small, not as a bad signature', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${part({ typ: 'dpop+jwt', alg: 'RS256', jwk: publicKey.export({ format: 'jwk' }) })}.${part({ ...claims, htu: HTU })}`;
    const small = `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
    expect(await checkDpopProof(small, expecting())).toMatchObject({ ok: false, reason: 'the proof\'s RSA key is 1024 bits; at least 2048 are needed (RFC 7518 §3.3)' });
  });
});
