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
