// DPoP at Mock Google's token endpoint (RFC 9449 §5, §10): each proof rule refused with
// invalid_dpop_proof, access tokens bound with cnf.jkt and token_type DPoP for every grant, a
// public client's refresh token bound to its key, and a code bound with dpop_jkt.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningProvider } from '../../src/provider/server.js';
import { CALLBACK, startTestProvider } from '../helpers/provider.js';
import { deviceAuthorization, poll } from './device-helpers.js';
import { boundTokens, claimsOf, clientKey, freshCode, proofFor, proofWithHeader, redeemWith, tokenRequest, type ClientKey } from './dpop-helpers.js';

let provider: RunningProvider;
let key: ClientKey;
let otherKey: ClientKey;
const log: string[] = [];

beforeAll(async () => {
  [provider, key, otherKey] = await Promise.all([startTestProvider({ autoApprove: true, onRequest: (event) => log.push(event.message) }), clientKey(), clientKey()]);
});
afterAll(() => provider.close());

const refreshWith = async (clientId: 'demo-app' | 'demo-spa', refreshToken: string, with_?: ClientKey) => tokenRequest(provider, clientId, { grant_type: 'refresh_token', refresh_token: refreshToken }, with_ && (await proofFor(provider, with_, '/token')));

describe('tokens bound to the client\'s key (RFC 9449 §5, §6.1)', () => {
  test('the code flow with a proof: token_type DPoP, and the access token\'s cnf.jkt is the key\'s RFC 7638 thumbprint', async () => {
    const tokens = await boundTokens(provider, 'demo-spa', key);
    expect(tokens.token_type).toBe('DPoP');
    expect(claimsOf(tokens.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(log.at(-1)).toMatch(/tokens issued to demo-spa .*client auth none, DPoP-bound\)$/);
  });

  test('without a proof nothing changes: a Bearer token without cnf', async () => {
    const response = await redeemWith(provider, 'demo-spa', await freshCode(provider, 'demo-spa'));
    expect(response.body.token_type).toBe('Bearer');
    expect(claimsOf(response.body.access_token).cnf).toBeUndefined();
  });

  test('a public client\'s refresh token works only with the same key: none or another is invalid_grant, and the token still works after', async () => {
    const tokens = await boundTokens(provider, 'demo-spa', key);
    const withoutProof = await refreshWith('demo-spa', tokens.refresh_token);
    expect(withoutProof.status).toBe(400);
    expect(withoutProof.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('bound to a DPoP key (RFC 9449 section 5)') });
    const withOtherKey = await refreshWith('demo-spa', tokens.refresh_token, otherKey);
    expect(withOtherKey.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('signed by another key') });
    // Refused before rotation: the refresh token is not spent, nor its sign-in revoked.
    const refreshed = await refreshWith('demo-spa', tokens.refresh_token, key);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token_type).toBe('DPoP');
    expect(claimsOf(refreshed.body.access_token).cnf).toEqual({ jkt: key.jkt });
    // The binding goes on to the rotated refresh token.
    expect((await refreshWith('demo-spa', refreshed.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refreshWith('demo-spa', refreshed.body.refresh_token, key)).status).toBe(200);
  });

  test('a confidential client\'s refresh token is bound by its authentication, not to a key: a refresh without a proof gets a Bearer token', async () => {
    const tokens = await boundTokens(provider, 'demo-app', key);
    const refreshed = await refreshWith('demo-app', tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token_type).toBe('Bearer');
  });

  test('client_credentials with a proof: a bound token', async () => {
    const response = await tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials' }, await proofFor(provider, key, '/token'));
    expect(response.body.token_type).toBe('DPoP');
    expect(claimsOf(response.body.access_token)).toMatchObject({ sub: 'demo-app', cnf: { jkt: key.jkt } });
  });

  test('the device grant with a proof: a bound token and, for a public client, a bound refresh token', async () => {
    const device = await deviceAuthorization(provider, { client_id: 'demo-spa', scope: 'openid offline_access' }, {});
    const tokens = await poll(provider, device.device_code, { dpop: await proofFor(provider, key, '/token') }, { client_id: 'demo-spa' });
    expect(tokens.body.token_type).toBe('DPoP');
    expect(claimsOf(tokens.body.access_token).cnf).toEqual({ jkt: key.jkt });
    expect((await refreshWith('demo-spa', tokens.body.refresh_token, otherKey)).body.error).toBe('invalid_grant');
  });

  test('discovery advertises the proof algorithms (RFC 9449 §5.1)', async () => {
    const metadata = (await (await fetch(provider.discoveryUrl)).json()) as Record<string, unknown>;
    expect(metadata.dpop_signing_alg_values_supported).toEqual(['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519']);
  });
});

describe('each proof rule, at the token endpoint: 400 invalid_dpop_proof, and the code is not spent', () => {
  const refusedWith = async (proof: string | string[]) => {
    const code = await freshCode(provider, 'demo-spa');
    const response = await tokenRequest(provider, 'demo-spa', { grant_type: 'authorization_code', code: code.code, redirect_uri: CALLBACK, code_verifier: code.verifier }, proof);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_dpop_proof');
    // The proof is checked before the code is used: with a good proof, the same code still works.
    expect((await redeemWith(provider, 'demo-spa', code, key)).status).toBe(200);
    return response.body.error_description as string;
  };

  test('typ other than dpop+jwt (§4.3 point 4)', async () => {
    expect(await refusedWith(await proofWithHeader(provider, key, { typ: 'JWT' }))).toContain("typ is 'JWT', not 'dpop+jwt'");
  });

  test('no jwk in the header (§4.3 point 3)', async () => {
    expect(await refusedWith(await proofWithHeader(provider, key, { typ: 'dpop+jwt', jwk: undefined }))).toContain('no jwk');
  });

  test('a jwk of another key than the one that signed (§4.3 point 6)', async () => {
    expect(await refusedWith(await proofWithHeader(provider, key, { typ: 'dpop+jwt', jwk: otherKey.publicJwk }))).toContain('signature does not verify');
  });

  test('htu of another endpoint (§4.3 point 9)', async () => {
    expect(await refusedWith(await proofFor(provider, key, '/token', { htu: `${provider.issuer}/userinfo` }))).toContain('htu');
  });

  test('htm of another method (§4.3 point 8)', async () => {
    expect(await refusedWith(await proofFor(provider, key, '/token', { htm: 'GET' }))).toContain("htm is 'GET', but the request is POST");
  });

  test('iat too old (§4.3 point 11)', async () => {
    expect(await refusedWith(await proofFor(provider, key, '/token', { iat: Math.floor(Date.now() / 1000) - 600 }))).toContain('accepts proofs up to 300 s old');
  });

  test('a replayed jti (§11.1): the same proof twice', async () => {
    const proof = await proofFor(provider, key, '/token');
    const first = await tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials' }, proof);
    expect(first.status).toBe(200);
    expect(await refusedWith(proof)).toContain('jti was used before');
  });

  test('two proofs in one DPoP header, as a proxy joins two headers (§4.3 point 1)', async () => {
    const proofs = [await proofFor(provider, key, '/token'), await proofFor(provider, key, '/token')];
    expect(await refusedWith(proofs)).toMatch(/more than one DPoP header|not one JWT/);
  });

  test('not a JWT at all', async () => {
    expect(await refusedWith('not-a-proof')).toContain('not one JWT in compact form');
  });
});

describe('a code bound to a key with dpop_jkt (RFC 9449 §10)', () => {
  test('redeemed without a proof, or with another key: invalid_grant; with the key: bound tokens', async () => {
    const code = await freshCode(provider, 'demo-spa', { dpop_jkt: key.jkt });
    const without = await redeemWith(provider, 'demo-spa', code);
    expect(without.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('dpop_jkt') });
    expect((await redeemWith(provider, 'demo-spa', code, otherKey)).body.error).toBe('invalid_grant');
    const redeemed = await redeemWith(provider, 'demo-spa', code, key);
    expect(redeemed.status).toBe(200);
    expect(claimsOf(redeemed.body.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  test('a dpop_jkt that is not a thumbprint is refused at /authorize', async () => {
    await expect(freshCode(provider, 'demo-spa', { dpop_jkt: 'short' })).rejects.toThrow(/no code: .*error=invalid_request.*dpop_jkt/);
  });
});

describe('the replay store has a ceiling', () => {
  test('full, a new proof is refused with 503 and Retry-After rather than a replay let in', async () => {
    const small = await startTestProvider({ limits: { dpopProofs: { maxEntries: 1 } } });
    try {
      const first = await tokenRequest(small, 'demo-app', { grant_type: 'client_credentials' }, await proofFor(small, key, '/token'));
      expect(first.status).toBe(200);
      const second = await tokenRequest(small, 'demo-app', { grant_type: 'client_credentials' }, await proofFor(small, key, '/token'));
      expect(second.status).toBe(503);
      expect(second.body.error).toBe('temporarily_unavailable');
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(300);
      expect(small.state.sizes().dpopProofs).toMatchObject({ entries: 1, bytes: 270 });
    } finally {
      await small.close();
    }
  });
});
