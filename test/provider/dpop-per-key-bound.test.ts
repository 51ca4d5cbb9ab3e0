// The per-key bound on DPoP proofs at Mock Google: one key's proofs may fill only a small share of
// the replay store, so one token holder spamming fresh proofs cannot lock DPoP out for everyone.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_PROOFS_PER_KEY, PROOFS_PER_KEY_WINDOW_SECONDS } from '../../src/provider/dpop-binding.js';
import { DEFAULT_LIMITS } from '../../src/provider/state.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { startTestProvider } from '../helpers/provider.js';
import { boundTokens, clientKey, proofFor, tokenRequest, type ClientKey } from './dpop-helpers.js';

let provider: RunningProvider;
let spammer: ClientKey;
let other: ClientKey;
let spammerToken: string;
let otherToken: string;
// Real time at first: boundTokens dates its proof by the real clock; moved on later.
let clock = Date.now();
const nowSeconds = () => Math.floor(clock / 1000);

beforeAll(async () => {
  [provider, spammer, other] = await Promise.all([startTestProvider({ autoApprove: true, nowMs: () => clock }), clientKey(), clientKey()]);
  // Each token request with a proof is one accepted proof of its key.
  spammerToken = (await boundTokens(provider, 'demo-spa', spammer)).access_token;
  otherToken = (await boundTokens(provider, 'demo-spa', other)).access_token;
});
afterAll(() => provider.close());

/** GET /userinfo with a fresh proof by `key`: the status, body, Retry-After and challenge. */
async function userinfo(key: ClientKey, token: string) {
  const dpop = await proofFor(provider, key, '/userinfo', { accessToken: token, iat: nowSeconds() });
  const response = await fetch(`${provider.issuer}/userinfo`, { headers: { authorization: `DPoP ${token}`, dpop } });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), challenge: response.headers.get('www-authenticate'), body: (await response.json()) as Record<string, unknown> };
}
const clientCredentials = async (key: ClientKey) => tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials' }, await proofFor(provider, key, '/token', { iat: nowSeconds() }));

describe(`at most ${MAX_PROOFS_PER_KEY} accepted proofs per key in ${PROOFS_PER_KEY_WINDOW_SECONDS / 60} minutes`, () => {
  test('the bound is a small share of the replay store, and its counter store holds one entry per key at its cap', () => {
    expect(MAX_PROOFS_PER_KEY / DEFAULT_LIMITS.dpopProofs.maxEntries).toBe(0.05);
    const { state } = provider;
    expect(state.dpopProofsPerKey.entryBytes(spammer.jkt, { accepted: 1, untilMs: 0 })).toBe(318);
    expect(DEFAULT_LIMITS.dpopProofsPerKey.maxEntries * 318).toBeLessThanOrEqual(DEFAULT_LIMITS.dpopProofsPerKey.maxBytes);
  });

  test(`one key: the proofs up to ${MAX_PROOFS_PER_KEY} work, the next is refused with 429 at /userinfo and at /token; another key still works; after the window, the first works again`, async () => {
    // The token request was the first; the rest at /userinfo, a few at a time.
    for (let sent = 1; sent < MAX_PROOFS_PER_KEY; sent += 25) {
      const batch = Math.min(25, MAX_PROOFS_PER_KEY - sent);
      const answers = await Promise.all(Array.from({ length: batch }, () => userinfo(spammer, spammerToken)));
      expect(answers.map((answer) => answer.status)).toEqual(Array(batch).fill(200));
    }

    const refused = await userinfo(spammer, spammerToken);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('temporarily_unavailable');
    // The token and the proof are good: not an authentication failure, so no challenge (RFC 6750 §3).
    expect(refused.challenge).toBeNull();
    expect(refused.body.error_description).toContain(`accepted ${MAX_PROOFS_PER_KEY} proofs signed by it in the last 5 minutes`);
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(PROOFS_PER_KEY_WINDOW_SECONDS);

    const atToken = await clientCredentials(spammer);
    expect(atToken.status).toBe(429);
    expect(atToken.body.error).toBe('temporarily_unavailable');
    expect(atToken.headers.get('retry-after')).toBe(String(retryAfter));

    // Refused proofs take no room: the replay store holds the spammer's 1 000 and the other key's one.
    expect(provider.state.sizes().dpopProofs.entries).toBe(MAX_PROOFS_PER_KEY + 1);
    expect((await userinfo(other, otherToken)).status).toBe(200);
    expect((await clientCredentials(other)).status).toBe(200);
    expect(provider.state.sizes().dpopProofsPerKey).toMatchObject({ entries: 2, bytes: 2 * 318 });

    clock += (retryAfter - 1) * 1000;
    expect((await userinfo(spammer, spammerToken)).status).toBe(429);
    clock += 1000;
    expect((await userinfo(spammer, spammerToken)).status).toBe(200);
    expect((await clientCredentials(spammer)).status).toBe(200);
  });
});

describe('the counter store is bounded', () => {
  test('full, it forgets the oldest key’s count and refuses nobody: entries and bytes stay at its cap', async () => {
    const small = await startTestProvider({ nowMs: () => clock, limits: { dpopProofsPerKey: { maxEntries: 2 } } });
    try {
      const keys = await Promise.all([clientKey(), clientKey(), clientKey()]);
      for (const key of keys) {
        const answer = await tokenRequest(small, 'demo-app', { grant_type: 'client_credentials' }, await proofFor(small, key, '/token', { iat: nowSeconds() }));
        expect(answer.status).toBe(200);
      }
      expect(small.state.sizes().dpopProofsPerKey).toMatchObject({ entries: 2, bytes: 2 * 318, maxEntries: 2 });
      expect(small.state.sizes().dpopProofs.entries).toBe(3);
    } finally {
      await small.close();
    }
  });
});
