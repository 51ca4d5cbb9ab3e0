// A real standards client, openid-client v6, drives Mock Google through the whole flow: discovery,
// the authorization code flow with PKCE, state and nonce, ID token validation with signature
// checks against /jwks, userinfo, refresh, revocation and introspection.

import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signInAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { CALLBACK, startTestProvider } from '../helpers/provider.js';

let provider: RunningProvider;

async function discover(clientId: string, secret?: string): Promise<client.Configuration> {
  const config = await client.discovery(new URL(provider.issuer), clientId, secret, secret ? client.ClientSecretBasic(secret) : client.None(), { execute: [client.allowInsecureRequests] });
  client.enableNonRepudiationChecks(config);
  return config;
}

beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(() => provider.close());

describe('openid-client v6 against Mock Google', () => {
  test('discovery: the metadata advertises exactly what is supported', async () => {
    const config = await discover('demo-app', 'demo-secret');
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(provider.issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    const rfc8414 = await (await fetch(`${provider.issuer}/.well-known/oauth-authorization-server`)).json();
    expect(rfc8414).toEqual(await (await fetch(provider.discoveryUrl)).json());
  });

  test.each([
    ['demo-app', 'demo-secret', 'confidential, client_secret_basic'],
    ['demo-spa', undefined, 'public, PKCE only'],
  ] as Array<[string, string | undefined, string]>)('the whole flow for %s', async (clientId, secret) => {
    const config = await discover(clientId, secret);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile email offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });

    const signedIn = await signInAtProvider(new UserAgent(), authorizationUrl.href, { email: 'asha@example.com', password: 'mango-lassi-42', allow: true });
    expect(signedIn.callbackUrl).toBeDefined();
    const callback = new URL(signedIn.callbackUrl!);
    expect(callback.searchParams.get('iss')).toBe(provider.issuer);
    expect(callback.searchParams.get('state')).toBe(state);

    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: provider.issuer, aud: clientId, azp: clientId, sub: '104392857361829475620', nonce, email: 'asha@example.com', name: 'Asha Rao' });
    expect(typeof claims.auth_time).toBe('number');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.refresh_token).toBeDefined();

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: claims.sub, email: 'asha@example.com', email_verified: true, name: 'Asha Rao', locale: 'en-IN' });

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(claims.sub);

    if (secret) {
      const introspected = await client.tokenIntrospection(config, refreshed.access_token);
      expect(introspected).toMatchObject({ active: true, client_id: clientId, sub: claims.sub, scope: 'openid profile email offline_access' });
    }
    await client.tokenRevocation(config, refreshed.refresh_token!);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // Revoking the refresh token ended the access tokens of the same sign-in too (RFC 7009 §2.1).
    await expect(client.fetchUserInfo(config, refreshed.access_token, claims.sub)).rejects.toThrow();
    if (secret) expect(await client.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
  });

  test('client_credentials for a confidential client', async () => {
    const config = await client.discovery(new URL(provider.issuer), 'demo-app', 'demo-secret', client.ClientSecretPost('demo-secret'), { execute: [client.allowInsecureRequests] });
    const tokens = await client.clientCredentialsGrant(config, {});
    expect(tokens.id_token).toBeUndefined();
    const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'demo-app', client_id: 'demo-app', iss: provider.issuer });
  });

  test('a wrong nonce is caught by the client: the ID token is bound to the request', async () => {
    const config = await discover('demo-app', 'demo-secret');
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's', nonce: 'the-real-nonce' });
    const signedIn = await signInAtProvider(new UserAgent(), url.href, { email: 'ravi@example.com', password: 'filter-coffee-7', allow: true });
    const failure = await client.authorizationCodeGrant(config, new URL(signedIn.callbackUrl!), { pkceCodeVerifier: verifier, expectedState: 's', expectedNonce: 'another-nonce' }).catch((error: Error) => error);
    expect((failure as Error & { cause: Error }).cause.message).toBe('unexpected ID Token "nonce" claim value');
  });
});

// The device flow's tests, added below the others (ES imports are hoisted, so this one works here).
import type { RecordedExchange } from '../../src/oauth/user-agent.js';
import { enterCode, submit } from './device-helpers.js';

describe('openid-client v6: the device authorization grant (RFC 8628)', () => {
  // The provider's clock moves 5 s on after each request of the device, so every poll is on time;
  // the client is told to wait 20 ms instead of 5 s. Nothing sleeps for a real interval.
  let clock = Date.now();
  let devices: RunningProvider;
  let onPending: (() => void) | undefined;
  beforeAll(async () => {
    devices = await startTestProvider({
      nowMs: () => clock,
      onRequest: (event) => {
        if (event.path === '/token' || event.path === '/device_authorization') clock += 5_000;
        if (event.message.includes('authorization_pending')) onPending?.();
      },
    });
  });
  afterAll(() => devices.close());

  async function discoverDevices(clientId: string, secret?: string): Promise<client.Configuration> {
    const config = await client.discovery(new URL(devices.issuer), clientId, secret, secret ? client.ClientSecretBasic(secret) : client.None(), { execute: [client.allowInsecureRequests] });
    client.enableNonRepudiationChecks(config);
    return config;
  }

  /** A simulated user who opens verification_uri_complete once the device is waiting, confirms the code, signs in, and decides. */
  function userAtDevicePage(authorization: client.DeviceAuthorizationResponse, allow: boolean): Promise<RecordedExchange> {
    return new Promise<void>((resolve) => (onPending = resolve)).then(async () => {
      onPending = undefined;
      const agent = new UserAgent();
      // The code arrives filled in; the user still confirms it (RFC 8628 §3.3.1).
      const signIn = await enterCode(agent, authorization.verification_uri_complete!, authorization.user_code);
      const consent = await submit(agent, signIn, { email: 'asha@example.com', password: 'mango-lassi-42' });
      return submit(agent, consent, { decision: allow ? 'allow' : 'deny' });
    });
  }

  test('initiateDeviceAuthorization, the user at /device, pollDeviceAuthorizationGrant: tokens that verify', async () => {
    const config = await discoverDevices('demo-app', 'demo-secret');
    expect(config.serverMetadata().device_authorization_endpoint).toBe(`${devices.issuer}/device_authorization`);
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid email offline_access' });
    expect(authorization).toMatchObject({ user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/), verification_uri: `${devices.issuer}/device`, expires_in: 600, interval: 5 });

    const user = userAtDevicePage(authorization, true);
    const tokens = await client.pollDeviceAuthorizationGrant(config, { ...authorization, interval: 0.02 });
    expect((await user).response.body).toContain('You are all set');
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: devices.issuer, aud: 'demo-app', sub: '104392857361829475620', email: 'asha@example.com' });
    expect(tokens.refresh_token).toBeDefined();
    expect(await client.fetchUserInfo(config, tokens.access_token, claims.sub)).toMatchObject({ sub: claims.sub, email: 'asha@example.com' });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(claims.sub);
    // The device code worked once.
    await expect(client.pollDeviceAuthorizationGrant(config, { ...authorization, interval: 0 })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a public client, and a user who denies: the client stops with access_denied', async () => {
    const config = await discoverDevices('demo-spa');
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    const user = userAtDevicePage(authorization, false);
    await expect(client.pollDeviceAuthorizationGrant(config, { ...authorization, interval: 0.02 })).rejects.toMatchObject({ error: 'access_denied' });
    expect((await user).response.body).toContain('Access denied');
  });
});

// DPoP and private_key_jwt, added below the others (ES imports are hoisted, so these work here).
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { DEFAULT_CLIENTS } from '../../src/provider/directory.js';

describe('openid-client v6: DPoP (RFC 9449) and private_key_jwt (RFC 7523)', () => {
  let keyed: RunningProvider;
  let clientKeys: { privateKey: CryptoKey; publicJwk: Record<string, unknown> };
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    clientKeys = { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: 'backend-2026', alg: 'ES256', use: 'sig' } };
    keyed = await startTestProvider({ clients: [...DEFAULT_CLIENTS, { client_id: 'orders-backend', client_name: 'Orders back office', redirect_uris: [CALLBACK], scopes: ['orders:read'], jwks: { keys: [clientKeys.publicJwk] } }] });
  });
  afterAll(() => keyed.close());

  async function discoverKeyed(clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
    const config = await client.discovery(new URL(keyed.issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
    client.enableNonRepudiationChecks(config);
    return config;
  }

  /** The code flow in the browser, up to the callback. */
  async function callbackFor(config: client.Configuration, extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email offline_access', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'dpop-state', ...extra });
    const signedIn = await signInAtProvider(new UserAgent(), url.href, { email: 'asha@example.com', password: 'mango-lassi-42', allow: true });
    return { callback: new URL(signedIn.callbackUrl!), checks: { pkceCodeVerifier: verifier, expectedState: 'dpop-state', idTokenExpected: true } };
  }

  test('getDPoPHandle on the code flow (with dpop_jkt), refresh and userinfo: bound tokens a stolen copy cannot use', async () => {
    const config = await discoverKeyed('demo-spa', client.None());
    expect(config.serverMetadata().dpop_signing_alg_values_supported).toContain('ES256');
    const keyPair = await client.randomDPoPKeyPair('ES256');
    const DPoP = client.getDPoPHandle(config, keyPair);
    const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
    const { callback, checks } = await callbackFor(config, { dpop_jkt: jkt });
    const tokens = await client.authorizationCodeGrant(config, callback, checks, undefined, { DPoP });
    expect(tokens.token_type).toBe('dpop');
    expect(JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()).cnf).toEqual({ jkt });
    const sub = tokens.claims()!.sub;

    expect(await client.fetchUserInfo(config, tokens.access_token, sub, { DPoP })).toMatchObject({ sub, email: 'asha@example.com' });
    // The same token without the key: as Bearer, refused.
    await expect(client.fetchUserInfo(config, tokens.access_token, sub)).rejects.toMatchObject({ status: 401 });

    // The refresh token of a public client is bound to the key too: another key gets nothing.
    const otherHandle = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: otherHandle })).rejects.toMatchObject({ error: 'invalid_grant' });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect(refreshed.token_type).toBe('dpop');
    expect(await client.fetchUserInfo(config, refreshed.access_token, sub, { DPoP })).toMatchObject({ sub });
  });

  test('PrivateKeyJwt client authentication: client credentials, the code flow and introspection, with no secret anywhere', async () => {
    const config = await discoverKeyed('orders-backend', client.PrivateKeyJwt({ key: clientKeys.privateKey, kid: 'backend-2026' }));
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    const machine = await client.clientCredentialsGrant(config, { scope: 'orders:read' });
    expect(machine.scope).toBe('orders:read');
    const { callback, checks } = await callbackFor(config);
    const tokens = await client.authorizationCodeGrant(config, callback, checks);
    expect(tokens.claims()).toMatchObject({ aud: 'orders-backend', email: 'asha@example.com' });
    expect(await client.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, client_id: 'orders-backend' });
  });

  test('PrivateKeyJwt with a key the provider does not know: 401 invalid_client', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const config = await discoverKeyed('orders-backend', client.PrivateKeyJwt({ key: privateKey, kid: 'backend-2026' }));
    // openid-client reports a 401 with a challenge as WWWAuthenticateChallengeError; the body says invalid_client.
    const failure = (await client.clientCredentialsGrant(config, { scope: 'orders:read' }).catch((error: unknown) => error)) as { status: number; response: Response };
    expect(failure.status).toBe(401);
    expect(await failure.response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
