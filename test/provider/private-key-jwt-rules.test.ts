// private_key_jwt rules beyond RFC 7523's first list: one audience, this server
// (draft-ietf-oauth-rfc7523bis); an iat not far in the future; and a kid when the client has
// several keys (OpenID Connect Core §10.1).

import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CLIENTS } from '../../src/provider/directory.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { CALLBACK, postForm, startTestProvider } from '../helpers/provider.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let provider: RunningProvider;
let one: { privateKey: CryptoKey; publicJwk: JWK };
let two: { privateKey: CryptoKey; publicJwk: JWK };

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

const client = (clientId: string, keys: JWK[]) => ({ client_id: clientId, redirect_uris: [CALLBACK], scopes: ['orders:read'], jwks: { keys: keys as Record<string, unknown>[] } });

function assertion(clientId: string, changes: { kid?: string | null; aud?: string | string[]; iat?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header = changes.kid === null ? { alg: 'ES256' } : { alg: 'ES256', kid: changes.kid ?? 'one' };
  return new SignJWT({}).setProtectedHeader(header).setIssuer(clientId).setSubject(clientId).setAudience(changes.aud ?? provider.issuer)
    .setIssuedAt(changes.iat ?? now).setJti(randomUUID()).setExpirationTime(now + 60).sign(one.privateKey);
}

async function answer(clientAssertion: string) {
  return postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion });
}

beforeAll(async () => {
  [one, two] = await Promise.all([keyPair('one'), keyPair('two')]);
  provider = await startTestProvider({ clients: [...DEFAULT_CLIENTS, client('one-key', [one.publicJwk]), client('two-keys', [one.publicJwk, two.publicJwk])] });
});
afterAll(() => provider.close());

describe('aud: this server, alone', () => {
  test('a list holding the issuer and another audience is refused', async () => {
    const response = await answer(await assertion('one-key', { aud: [provider.issuer, 'https://elsewhere.example'] }));
    expect(response.status).toBe(401);
    expect(response.body.error_description).toContain(`its aud must be ${provider.issuer} or ${provider.issuer}/token alone, not a list of 2 audiences`);
  });

  test('a list of exactly the issuer, or the token endpoint as a string: tokens', async () => {
    expect((await answer(await assertion('one-key', { aud: [provider.issuer] }))).status).toBe(200);
    expect((await answer(await assertion('one-key', { aud: `${provider.issuer}/token` }))).status).toBe(200);
  });
});

describe('iat', () => {
  test('more than 60 s ahead is refused; 30 s ahead (a fast clock) is accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = await answer(await assertion('one-key', { iat: now + 3600 }));
    expect(ahead.status).toBe(401);
    expect(ahead.body.error_description).toMatch(/^The client assertion's iat is 36\d\d s in the future; Mock Google accepts clocks up to 60 s ahead/);
    expect((await answer(await assertion('one-key', { iat: now + 30 }))).status).toBe(200);
  });
});

describe('kid (OpenID Connect Core §10.1)', () => {
  test('no kid, the client having two keys: refused, saying a kid must name the key', async () => {
    const response = await answer(await assertion('two-keys', { kid: null }));
    expect(response.status).toBe(401);
    expect(response.body.error_description).toBe('The client assertion\'s header has no kid, and two-keys has 2 registered keys: with several keys, a kid must name the one that signed (OpenID Connect Core section 10.1).');
  });

  test('no kid, the client having one key: tokens', async () => {
    expect((await answer(await assertion('one-key', { kid: null }))).status).toBe(200);
  });
});
