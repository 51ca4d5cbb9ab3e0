// DPoP at /userinfo (RFC 9449 §7): a bound token is used as `Authorization: DPoP` with a proof
// carrying its hash (ath) and signed by its key; anything else gets a 401 with the DPoP
// challenge of §7.1. Unbound tokens go on working as Bearer. Introspection shows the binding.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningProvider } from '../../src/provider/server.js';
import { postForm, startTestProvider } from '../helpers/provider.js';
import { boundTokens, clientKey, DEMO_APP, freshCode, proofFor, redeemWith, userinfoWith, type ClientKey } from './dpop-helpers.js';

let provider: RunningProvider;
let key: ClientKey;
let otherKey: ClientKey;
let token: string;
const ALGS = 'algs="ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512 EdDSA Ed25519"';

beforeAll(async () => {
  [provider, key, otherKey] = await Promise.all([startTestProvider({ autoApprove: true }), clientKey(), clientKey()]);
  token = (await boundTokens(provider, 'demo-spa', key)).access_token;
});
afterAll(() => provider.close());

describe('a DPoP-bound access token at /userinfo', () => {
  test('Authorization: DPoP with a proof by its key carrying ath: the user\'s claims', async () => {
    const answer = await userinfoWith(provider, `DPoP ${token}`, await proofFor(provider, key, '/userinfo', { accessToken: token }));
    expect(answer).toMatchObject({ status: 200, body: { sub: '104392857361829475620', email: 'asha@example.com' } });
  });

  test('sent as a Bearer token: 401 with the DPoP challenge, error invalid_token (§7.1)', async () => {
    const answer = await userinfoWith(provider, `Bearer ${token}`);
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(/^DPoP error="invalid_token", error_description="This access token is bound to a DPoP key/);
    expect(answer.challenge).toContain(ALGS);
  });

  test('a proof by another key: 401 invalid_token, "Invalid DPoP key binding" (§7.1)', async () => {
    const answer = await userinfoWith(provider, `DPoP ${token}`, await proofFor(provider, otherKey, '/userinfo', { accessToken: token }));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(/^DPoP error="invalid_token", error_description="Invalid DPoP key binding/);
  });

  test('a proof without ath: 401 invalid_dpop_proof (§4.3 point 12)', async () => {
    const answer = await userinfoWith(provider, `DPoP ${token}`, await proofFor(provider, key, '/userinfo'));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(/^DPoP error="invalid_dpop_proof", error_description="The DPoP proof is not valid: the proof has no ath/);
    expect(answer.challenge).toContain(ALGS);
  });

  test('a proof whose ath is another token\'s hash: 401 invalid_dpop_proof', async () => {
    const answer = await userinfoWith(provider, `DPoP ${token}`, await proofFor(provider, key, '/userinfo', { accessToken: `${token}x` }));
    expect(answer.challenge).toMatch(/error="invalid_dpop_proof", error_description="The DPoP proof is not valid: the proof's ath is the hash of another access token/);
  });

  test('no proof at all, a proof made for /token, and a proof used twice: 401 invalid_dpop_proof', async () => {
    expect((await userinfoWith(provider, `DPoP ${token}`)).challenge).toContain('no DPoP header');
    expect((await userinfoWith(provider, `DPoP ${token}`, await proofFor(provider, key, '/userinfo', { accessToken: token, htm: 'POST' }))).challenge).toContain('htm is');
    const proof = await proofFor(provider, key, '/userinfo', { accessToken: token });
    expect((await userinfoWith(provider, `DPoP ${token}`, proof)).status).toBe(200);
    expect((await userinfoWith(provider, `DPoP ${token}`, proof)).challenge).toContain('jti was used before');
  });

  test('an expired or forged token with the DPoP scheme gets the DPoP challenge', async () => {
    const answer = await userinfoWith(provider, 'DPoP not.a.token', await proofFor(provider, key, '/userinfo', { accessToken: 'not.a.token' }));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(/^DPoP error="invalid_token"/);
  });
});

describe('unbound tokens and introspection', () => {
  test('a Bearer token goes on working as Bearer, and is refused with the DPoP scheme', async () => {
    const bearer = (await redeemWith(provider, 'demo-spa', await freshCode(provider, 'demo-spa'))).body.access_token as string;
    expect((await userinfoWith(provider, `Bearer ${bearer}`)).status).toBe(200);
    const asDpop = await userinfoWith(provider, `DPoP ${bearer}`, await proofFor(provider, key, '/userinfo', { accessToken: bearer }));
    expect(asDpop.status).toBe(401);
    expect(asDpop.challenge).toContain('not bound to a DPoP key');
  });

  test('introspection says token_type DPoP and the cnf.jkt a resource server checks (RFC 9449 §6.2)', async () => {
    const bound = (await boundTokens(provider, 'demo-app', key)).access_token;
    const answer = await postForm(`${provider.issuer}/introspect`, { token: bound }, { authorization: DEMO_APP });
    expect(answer.body).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: key.jkt } });
    const bearer = (await redeemWith(provider, 'demo-app', await freshCode(provider, 'demo-app'))).body.access_token as string;
    const plain = await postForm(`${provider.issuer}/introspect`, { token: bearer }, { authorization: DEMO_APP });
    expect(plain.body.token_type).toBe('Bearer');
    expect(plain.body.cnf).toBeUndefined();
  });
});
