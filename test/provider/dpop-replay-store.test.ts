// DPoP's replay store at Mock Google (RFC 9449 §11.1): a jti is remembered exactly as long as its
// proof could be accepted, and only requests that succeed use room in it.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningProvider } from '../../src/provider/server.js';
import { startTestProvider } from '../helpers/provider.js';
import { clientKey, proofFor, tokenRequest, type ClientKey } from './dpop-helpers.js';

let provider: RunningProvider;
let key: ClientKey;
// Half a second into a second: the edge a whole-second age check and a millisecond store disagree on.
let clock = Date.UTC(2026, 0, 1, 12, 0, 0, 500);

beforeAll(async () => {
  [provider, key] = await Promise.all([startTestProvider({ nowMs: () => clock, limits: { dpopProofs: { maxEntries: 3 } } }), clientKey()]);
});
afterAll(() => provider.close());

const nowSeconds = () => Math.floor(clock / 1000);
const clientCredentials = (proof: string) => tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials' }, proof);

describe('a proof dated ahead is remembered until it is too old (§11.1)', () => {
  test('60 s ahead: accepted once; sent again at every moment it is still fresh enough, a replay; then too old', async () => {
    const iat = nowSeconds() + 60;
    const proof = await proofFor(provider, key, '/token', { iat });
    expect((await clientCredentials(proof)).status).toBe(200);
    // The last millisecond the age check still passes: floor(now) - iat = 300.
    clock = (iat + 300) * 1000 + 999;
    const replay = await clientCredentials(proof);
    expect(replay.status).toBe(400);
    expect(replay.body.error_description).toContain('jti was used before');
    clock += 1;
    const old = await clientCredentials(proof);
    expect(old.status).toBe(400);
    expect(old.body.error_description).toContain('accepts proofs up to 300 s old');
  });
});

describe('a failing request uses no room in the replay store', () => {
  test('public client asking for client_credentials, and unknown codes, each with a fresh proof: refused, the store stays empty, and a good request still gets a token', async () => {
    provider.state.dpopProofs.sweep();
    for (let i = 0; i < 5; i++) {
      const asPublic = await tokenRequest(provider, 'demo-spa', { grant_type: 'client_credentials' }, await proofFor(provider, key, '/token', { iat: nowSeconds() }));
      expect(asPublic.body.error).toBe('unauthorized_client');
      const badCode = await tokenRequest(provider, 'demo-app', { grant_type: 'authorization_code', code: `nope-${i}`, redirect_uri: 'http://127.0.0.1:8080/callback', code_verifier: 'x'.repeat(43) }, await proofFor(provider, key, '/token', { iat: nowSeconds() }));
      expect(badCode.body.error).toBe('invalid_grant');
    }
    expect(provider.state.sizes().dpopProofs.entries).toBe(0);
    const good = await clientCredentials(await proofFor(provider, key, '/token', { iat: nowSeconds() }));
    expect(good.status).toBe(200);
    expect(good.body.token_type).toBe('DPoP');
    expect(provider.state.sizes().dpopProofs.entries).toBe(1);
  });
});
