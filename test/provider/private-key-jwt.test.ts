// private_key_jwt client authentication at Mock Google (RFC 7523 §2.2 and §3, OIDC Core §9): a
// client registered with public keys signs an assertion per request; a wrong key, a replayed,
// mis-addressed, expired or long-lived assertion is 401 invalid_client.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadClients } from '../../src/provider/config-files.js';
import { DEFAULT_CLIENTS } from '../../src/provider/directory.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { CALLBACK, postForm, startTestProvider } from '../helpers/provider.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLIENT_ID = 'orders-backend';

let provider: RunningProvider;
let registered: { privateKey: CryptoKey; publicJwk: JWK };
let unregistered: { privateKey: CryptoKey; publicJwk: JWK };
const log: string[] = [];

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

const jwtClient = (publicJwk: JWK) => ({ client_id: CLIENT_ID, client_name: 'Orders back office (private_key_jwt)', redirect_uris: [CALLBACK], scopes: ['orders:read'], jwks: { keys: [publicJwk as Record<string, unknown>] } });

/** An assertion as RFC 7523 §3 wants it; `changes` break one rule. */
function assertion(changes: { key?: CryptoKey; kid?: string; iss?: string; sub?: string; aud?: string | string[]; exp?: number | null; jti?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: changes.kid ?? 'registered' })
    .setIssuer(changes.iss ?? CLIENT_ID)
    .setSubject(changes.sub ?? CLIENT_ID)
    .setAudience(changes.aud ?? provider.issuer)
    .setIssuedAt(now)
    .setJti(changes.jti ?? randomUUID());
  if (changes.exp !== null) jwt.setExpirationTime(changes.exp ?? now + 60);
  return jwt.sign(changes.key ?? registered.privateKey);
}

function tokenWith(clientAssertion: string, extra: Record<string, string> = {}) {
  return postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion, ...extra });
}

async function refusedWith(clientAssertion: string): Promise<string> {
  const response = await tokenWith(clientAssertion);
  expect(response.status).toBe(401);
  expect(response.body.error).toBe('invalid_client');
  return response.body.error_description as string;
}

beforeAll(async () => {
  [registered, unregistered] = await Promise.all([keyPair('registered'), keyPair('registered')]);
  provider = await startTestProvider({ autoApprove: true, clients: [...DEFAULT_CLIENTS, jwtClient(registered.publicJwk)], onRequest: (event) => log.push(event.message) });
});
afterAll(() => provider.close());

describe('a signed assertion authenticates the client', () => {
  test('aud the issuer, or the token endpoint: tokens, and the log names the method', async () => {
    expect((await tokenWith(await assertion())).status).toBe(200);
    expect(log.at(-1)).toContain('client auth private_key_jwt');
    expect((await tokenWith(await assertion({ aud: `${provider.issuer}/token` }))).status).toBe(200);
  });

  test('it works at /device_authorization, /introspect and /revoke too', async () => {
    const device = await postForm(`${provider.issuer}/device_authorization`, { scope: 'openid', client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion() });
    expect(device.status).toBe(200);
    const token = (await tokenWith(await assertion())).body.access_token as string;
    const introspected = await postForm(`${provider.issuer}/introspect`, { token, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion() });
    expect(introspected.body).toMatchObject({ active: true, client_id: CLIENT_ID });
    expect((await postForm(`${provider.issuer}/revoke`, { token, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion() })).status).toBe(200);
  });

  test('discovery lists private_key_jwt and the algorithms it takes', async () => {
    const metadata = (await (await fetch(provider.discoveryUrl)).json()) as Record<string, string[]>;
    expect(metadata.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toContain('ES256');
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).not.toContain('HS256');
  });
});

describe('each rule: 401 invalid_client', () => {
  test('signed by a key that is not registered (§3 point 9)', async () => {
    expect(await refusedWith(await assertion({ key: unregistered.privateKey }))).toContain('not signed by a key registered for this client');
  });

  test('replayed: the same assertion twice (§3 point 7)', async () => {
    const once = await assertion();
    expect((await tokenWith(once)).status).toBe(200);
    expect(await refusedWith(once)).toContain('was used before');
  });

  test('aud another server (§3 point 3)', async () => {
    expect(await refusedWith(await assertion({ aud: 'https://elsewhere.example' }))).toContain(`aud must be ${provider.issuer} or ${provider.issuer}/token`);
  });

  test('expired (§3 point 4)', async () => {
    expect(await refusedWith(await assertion({ exp: Math.floor(Date.now() / 1000) - 10 }))).toContain('expired');
  });

  test('no exp, or one more than 5 minutes away', async () => {
    expect(await refusedWith(await assertion({ exp: null }))).toContain('no exp');
    expect(await refusedWith(await assertion({ exp: Math.floor(Date.now() / 1000) + 3600 }))).toMatch(/expires in 3\d{3} s; Mock Google accepts assertions that expire within 300 s/);
  });

  test('sub other than the client (§3 point 2), iss of an unknown client', async () => {
    expect(await refusedWith(await assertion({ sub: 'someone-else' }))).toContain('sub must be the client_id');
    expect(await refusedWith(await assertion({ iss: 'nobody' }))).toContain('Unknown client');
  });

  test('a client without registered keys cannot use it', async () => {
    expect(await refusedWith(await assertion({ iss: 'demo-app', sub: 'demo-app' }))).toContain('demo-app has no registered keys');
  });

  test('another client_assertion_type, or client_id not the assertion\'s iss', async () => {
    const wrongType = await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials', client_assertion_type: 'urn:example', client_assertion: await assertion() });
    expect(wrongType).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await tokenWith(await assertion(), { client_id: 'demo-spa' })).body.error).toBe('invalid_client');
  });

  test('an assertion and a secret together: 400 invalid_request, one method only', async () => {
    expect((await tokenWith(await assertion(), { client_secret: 'x' })).body.error).toBe('invalid_request');
  });

  test('the client with only keys, naming itself without an assertion, is refused', async () => {
    const response = await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials', client_id: CLIENT_ID });
    expect(response.status).toBe(401);
    expect(response.body.error_description).toContain('a client_assertion signed with its key (private_key_jwt)');
  });

  test('full, the store of seen assertions refuses with 503 rather than forget one', async () => {
    const small = await startTestProvider({ clients: [jwtClient(registered.publicJwk)], limits: { clientAssertions: { maxEntries: 1 } } });
    try {
      const send = async () => postForm(`${small.issuer}/token`, { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(CLIENT_ID).setSubject(CLIENT_ID).setAudience(small.issuer).setExpirationTime('1m').setJti(randomUUID()).sign(registered.privateKey) });
      expect((await send()).status).toBe(200);
      const full = await send();
      expect(full.status).toBe(503);
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});

describe('the clients file: "jwks" for private_key_jwt', () => {
  async function load(client: Record<string, unknown>) {
    const directory = mkdtempSync(join(tmpdir(), 'clients-jwks-'));
    const path = join(directory, 'clients.json');
    writeFileSync(path, JSON.stringify({ clients: [{ client_id: 'api-job', redirect_uris: ['http://127.0.0.1/cb'], ...client }] }));
    try {
      return await loadClients(path);
    } finally {
      rmSync(directory, { recursive: true });
    }
  }

  test('public keys load, and make the client confidential: it may have scopes without a secret', async () => {
    const [client] = await load({ jwks: { keys: [registered.publicJwk] }, scopes: ['orders:read'] });
    expect(client!.jwks!.keys[0]).toMatchObject({ kty: 'EC', kid: 'registered' });
  });

  test('a private key, a symmetric key, a broken key or no keys are refused, naming the entry', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    await expect(load({ jwks: { keys: [await exportJWK(privateKey)] } })).rejects.toThrow('"jwks".keys[0] holds private key material');
    await expect(load({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } })).rejects.toThrow('kty "oct"; private_key_jwt needs an asymmetric key');
    await expect(load({ jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }] } })).rejects.toThrow('"jwks".keys[0] is not a usable public key');
    await expect(load({ jwks: { keys: [] } })).rejects.toThrow('"jwks" must be {"keys": [ … ]} with 1 to 10 public keys');
  });
});
