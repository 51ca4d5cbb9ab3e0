// Mock Google's memory has a ceiling: every parameter it keeps has a size limit, every store a
// cap in entries and estimated bytes, and a full store answers 503 with the real wait, or
// forgets its oldest entry where that locks nobody out (waiting sign-ins, grants, retired refresh
// tokens). And it is fair: one client cannot block everyone's sign-ins nor evict another user's
// refresh token.
// Small caps here keep the tests fast; bench/memory.mjs fills the real ones.

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { UserAgent, type RecordedExchange } from '../../src/oauth/user-agent.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { DEFAULT_LIMITS, MAX_PARAMETER_BYTES, MAX_REDIRECT_URI_BYTES, randomToken } from '../../src/provider/state.js';
import { ENTRY_OVERHEAD_BYTES, ExpiringStore, ownCopy, stringBytes } from '../../src/provider/store.js';
import { hashedKey } from '../../src/provider/dpop-binding.js';
import { authorizeAtOnce, authorizeUrl, basic, CALLBACK, pkcePair, postForm, startTestProvider } from '../helpers/provider.js';

const DEMO_APP = basic('demo-app', 'demo-secret');
const started: RunningProvider[] = [];
let clock = 1_800_000_000_000;

async function providerWith(options: Parameters<typeof startTestProvider>[0] = {}): Promise<RunningProvider> {
  clock = 1_800_000_000_000;
  const provider = await startTestProvider({ nowMs: () => clock, ...options });
  started.push(provider);
  return provider;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((provider) => provider.close()));
});

function pkceParameters() {
  const pkce = pkcePair();
  return { pkce, parameters: { code_challenge: pkce.challenge, code_challenge_method: 'S256' } };
}

async function codeFrom(provider: RunningProvider, extra: Record<string, string> = {}) {
  const { pkce, parameters } = pkceParameters();
  const { status, location, body } = await authorizeAtOnce(provider, { ...parameters, ...extra });
  return { status, body, code: location?.searchParams.get('code') ?? undefined, verifier: pkce.verifier };
}

function redeem(provider: RunningProvider, code: string, verifier: string) {
  return postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }, { authorization: DEMO_APP });
}

/** A full code flow by demo-app, the victim's app. */
async function signIn(provider: RunningProvider, scope = 'openid offline_access') {
  const { code, verifier } = await codeFrom(provider, { scope });
  const response = await redeem(provider, code!, verifier);
  expect(response.status).toBe(200);
  return { ...response.body, code: code! } as { access_token: string; refresh_token: string; code: string };
}

/** A full code flow by demo-spa: public, so anyone can run it, as often as they like. */
async function spaSignIn(provider: RunningProvider, scope = 'openid') {
  const { code, verifier } = await codeFrom(provider, { client_id: 'demo-spa', scope });
  return postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code: code!, redirect_uri: CALLBACK, code_verifier: verifier, client_id: 'demo-spa' });
}

/** A refresh by demo-app (client_secret_basic) or demo-spa (public, client_id in the form). */
function refresh(provider: RunningProvider, refreshToken: string, client: 'demo-app' | 'demo-spa' = 'demo-app') {
  const form = { grant_type: 'refresh_token', refresh_token: refreshToken };
  return client === 'demo-app' ? postForm(`${provider.issuer}/token`, form, { authorization: DEMO_APP }) : postForm(`${provider.issuer}/token`, { ...form, client_id: 'demo-spa' });
}

function revoke(provider: RunningProvider, token: string, client: 'demo-app' | 'demo-spa' = 'demo-app') {
  return client === 'demo-app' ? postForm(`${provider.issuer}/revoke`, { token }, { authorization: DEMO_APP }) : postForm(`${provider.issuer}/revoke`, { token, client_id: 'demo-spa' });
}

async function userinfoStatus(provider: RunningProvider, accessToken: string): Promise<number> {
  return (await fetch(`${provider.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

describe('ExpiringStore counts entries and estimated bytes', () => {
  test('set, replace, delete, expiry and sweep keep the byte count exact', () => {
    let now = 0;
    const store = new ExpiringStore<string>(() => now, { maxEntries: 10, maxBytes: 10_000 }, (value) => stringBytes(value));
    const cost = (key: string, value: string) => ENTRY_OVERHEAD_BYTES + stringBytes(key) + stringBytes(value);
    store.set('a', 'x'.repeat(100), 10);
    store.set('b', 'y', 20);
    expect(store.bytes).toBe(cost('a', 'x'.repeat(100)) + cost('b', 'y'));
    expect(store.replace('a', 'short')).toBe(true);
    expect(store.bytes).toBe(cost('a', 'short') + cost('b', 'y'));
    store.set('b', 'zz', 20);
    expect(store.size).toBe(2);
    expect(store.bytes).toBe(cost('a', 'short') + cost('b', 'zz'));
    store.delete('a');
    expect(store.bytes).toBe(cost('b', 'zz'));
    now = 20_000;
    expect(store.get('b')).toBeUndefined();
    expect(store.bytes).toBe(0);
    store.set('c', 'v', 1);
    now = 21_000;
    expect(store.sweep()).toBe(1);
    expect([store.size, store.bytes]).toEqual([0, 0]);
  });

  test('a string counts two bytes a character plus a header, whatever its characters', () => {
    expect(stringBytes('abc')).toBe(30);
    expect(stringBytes('日本')).toBe(28);
    expect(stringBytes(undefined)).toBe(0);
  });

  test('full: room is the time until the oldest entry expires; expired entries at the front make room', () => {
    let now = 0;
    const store = new ExpiringStore<string>(() => now, { maxEntries: 2, maxBytes: 10_000 });
    store.set('first', 'a', 60);
    now = 10_000;
    store.set('second', 'b', 60);
    expect(store.secondsUntilRoom(store.entryBytes('third', 'c'))).toBe(50);
    expect(() => store.set('third', 'c', 60)).toThrow(RangeError);
    now = 60_000;
    expect(store.secondsUntilRoom(store.entryBytes('third', 'c'))).toBe(0);
    store.set('third', 'c', 60);
    expect(store.get('first')).toBeUndefined();
    expect(store.get('second')).toBe('b');
  });

  test('the byte cap binds as well as the entry cap', () => {
    const store = new ExpiringStore<string>(() => 0, { maxEntries: 100, maxBytes: 2 * ENTRY_OVERHEAD_BYTES + 500 }, (value) => stringBytes(value));
    store.set('k1', 'x'.repeat(100), 60);
    expect(store.secondsUntilRoom(store.entryBytes('k2', 'x'.repeat(200)))).toBe(60);
    expect(store.secondsUntilRoom(store.entryBytes('k2', 'x'))).toBe(0);
  });

  test('evicting the oldest: entries go in insertion order, and a re-set key moves to the end', () => {
    const store = new ExpiringStore<number>(() => 0, { maxEntries: 3, maxBytes: 1_000_000 });
    store.set('one', 1, 60);
    store.set('two', 2, 60);
    store.set('three', 3, 60);
    store.set('one', 1, 60);
    expect(store.setEvictingOldest('four', 4, 60)).toBe(1);
    expect([store.get('one'), store.get('two'), store.get('three'), store.get('four')]).toEqual([1, undefined, 3, 4]);
  });

  test('room for an entry and others promised: reserved entries of the same size must fit too', () => {
    const store = new ExpiringStore<true>(() => 0, { maxEntries: 4, maxBytes: 1_000_000 });
    store.set('a', true, 60);
    const bytes = store.entryBytes('b', true);
    expect([store.secondsUntilRoom(bytes, 2), store.secondsUntilRoom(bytes, 3)]).toEqual([0, 60]);
    const small = new ExpiringStore<true>(() => 0, { maxEntries: 100, maxBytes: 3 * bytes });
    expect([small.secondsUntilRoom(bytes, 2), small.secondsUntilRoom(bytes, 3)]).toEqual([0, Number.POSITIVE_INFINITY]);
  });

  test('evicting the oldest hands each live entry evicted to onEvict; evictOldest takes the front entry', () => {
    let now = 0;
    const store = new ExpiringStore<number>(() => now, { maxEntries: 2, maxBytes: 1_000_000 });
    store.set('expired', 0, 1);
    store.set('one', 1, 60);
    now = 2_000;
    const evicted: Array<[string, number]> = [];
    expect(store.setEvictingOldest('two', 2, 60, (key, value) => evicted.push([key, value]))).toBe(0);
    expect(store.setEvictingOldest('three', 3, 60, (key, value) => evicted.push([key, value]))).toBe(1);
    expect(evicted).toEqual([['one', 1]]);
    expect(store.evictOldest()).toEqual({ key: 'two', value: 2, live: true });
    expect(store.evictOldest()).toEqual({ key: 'three', value: 3, live: true });
    expect(store.evictOldest()).toBeUndefined();
  });

  test('ownCopy keeps the characters and drops the request text a parsed value can keep alive', () => {
    const parsed = new URLSearchParams(`state=${'s'.repeat(50)}&padding=${'p'.repeat(10_000)}`).get('state')!;
    expect(ownCopy(parsed)).toBe(parsed);
    expect(ownCopy('ünïcödé 日本')).toBe('ünïcödé 日本');
  });

  test('the default caps add up to the budget the README states', () => {
    const total = Object.values(DEFAULT_LIMITS).reduce((sum, limits) => sum + limits.maxBytes, 0);
    expect(total).toBe(88.75 * 1024 * 1024);
  });
});

describe('every parameter kept has a size limit', () => {
  const big = 'a'.repeat(MAX_PARAMETER_BYTES + 1);
  // Shared by these tests: none of them fills a store.
  let auto: RunningProvider;
  let pages: RunningProvider;
  beforeAll(async () => {
    [auto, pages] = await Promise.all([startTestProvider({ autoApprove: true }), startTestProvider()]);
  });
  afterAll(async () => {
    await Promise.all([auto.close(), pages.close()]);
  });

  test.each(['state', 'nonce', 'login_hint', 'scope', 'prompt', 'response_mode', 'code_challenge'])('/authorize: an oversize %s goes back to the app as invalid_request', async (name) => {
    const codesBefore = auto.state.codes.size;
    const { parameters } = pkceParameters();
    const { status, location } = await authorizeAtOnce(auto, { ...parameters, [name]: big });
    expect(status).toBe(302);
    expect(location!.origin + location!.pathname).toBe(CALLBACK);
    expect(location!.searchParams.get('error')).toBe('invalid_request');
    expect(location!.searchParams.get('error_description')).toBe(`${name} is longer than 1024 bytes (1 KiB), the most Mock Google accepts for it.`);
    // An oversize state is not echoed back; any other keeps the app's state.
    expect(location!.searchParams.get('state')).toBe(name === 'state' ? null : 'state-123');
    expect(auto.state.codes.size).toBe(codesBefore);
  });

  test('the limit is in UTF-8 bytes: 1 024 bytes pass, 342 three-byte characters (1 026 bytes) do not', async () => {
    expect((await codeFrom(auto, { state: 'a'.repeat(MAX_PARAMETER_BYTES) })).code).toBeDefined();
    expect((await codeFrom(auto, { state: '日'.repeat(341) })).code).toBeDefined();
    expect((await codeFrom(auto, { nonce: '日'.repeat(342) })).code).toBeUndefined();
  });

  test.each([
    ['client_id', { client_id: 'c'.repeat(MAX_PARAMETER_BYTES + 1) }, 'client_id is longer than 1024 bytes (1 KiB)'],
    ['redirect_uri', { redirect_uri: `${CALLBACK}?${'r'.repeat(MAX_REDIRECT_URI_BYTES)}` }, 'redirect_uri is longer than 2048 bytes (2 KiB)'],
  ])('/authorize: an oversize %s gets an error page, never a redirect', async (_name, parameters, message) => {
    const response = await fetch(authorizeUrl(auto, { ...pkceParameters().parameters, ...parameters }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain(`invalid_request: ${message}, the most Mock Google accepts for it.`);
  });

  test.each(['code', 'code_verifier', 'scope', 'refresh_token', 'grant_type'])('/token: an oversize %s is invalid_request', async (name) => {
    const response = await postForm(`${auto.issuer}/token`, { grant_type: 'authorization_code', [name]: big }, { authorization: DEMO_APP });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_request', error_description: `${name} is longer than 1024 bytes (1 KiB), the most Mock Google accepts for it.` });
  });

  test('the sign-in form: an oversize email gets an error page', async () => {
    const agent = new UserAgent();
    const page = (await agent.request('GET', authorizeUrl(pages, pkceParameters().parameters))).response;
    const action = /action="([^"]+)"/.exec(page.body)![1]!;
    const { response } = await agent.request('POST', new URL(action, pages.issuer).href, { form: { email: big, password: 'x' } });
    expect(response.status).toBe(400);
    expect(response.body).toContain('invalid_request: email is longer than 1024 bytes (1 KiB)');
  });
});

describe('a full store answers 503 temporarily_unavailable with the real wait, or evicts', () => {
  test('sign-ins: a full store forgets the oldest waiting sign-in; its form then says to start again from the app, and the newer ones sign in', async () => {
    const provider = await providerWith({ maxPendingSignIns: 2 });
    const agents = [new UserAgent(), new UserAgent(), new UserAgent()];
    const pages: RecordedExchange[] = [];
    for (const agent of agents) pages.push(await agent.request('GET', authorizeUrl(provider, pkceParameters().parameters)));
    expect(pages.map((page) => page.response.status)).toEqual([200, 200, 200]);
    expect(provider.state.interactions.size).toBe(2);
    const signIn = (index: number) => agents[index]!.request('POST', `${provider.issuer}${/action="([^"]+)"/.exec(pages[index]!.response.body)![1]!}`, { form: { email: 'asha@example.com', password: 'mango-lassi-42' } });
    const forgotten = await signIn(0);
    expect(forgotten.response.status).toBe(400);
    expect(forgotten.response.body).toContain('This sign-in has expired');
    expect(forgotten.response.body).toContain('Start again from the app: this sign-in is unknown, expired (a sign-in waits 10 minutes, and the oldest are forgotten when too many wait at once), or was started in another browser.');
    for (const index of [1, 2]) expect((await signIn(index)).response.body).toContain('value="allow">Allow</button>');
  });

  test('sign-ins: the byte cap binds too, so large parameters make room sooner; never a 503', async () => {
    const provider = await providerWith({ limits: { interactions: { maxEntries: 100, maxBytes: 12_000 } } });
    const large = { state: 's'.repeat(MAX_PARAMETER_BYTES), nonce: 'n'.repeat(MAX_PARAMETER_BYTES), login_hint: 'l'.repeat(MAX_PARAMETER_BYTES) };
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await fetch(authorizeUrl(provider, { ...pkceParameters().parameters, ...large }))).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(provider.state.interactions.size).toBe(1);
    expect(provider.state.interactions.bytes).toBeLessThanOrEqual(12_000);
  });

  test('codes (auto-approve): 503 with Retry-After until the oldest code expires', async () => {
    const provider = await providerWith({ autoApprove: true, limits: { codes: { maxEntries: 2 } } });
    await codeFrom(provider);
    clock += 15_000;
    await codeFrom(provider);
    const refused = await fetch(authorizeUrl(provider, pkceParameters().parameters), { redirect: 'manual' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('location')).toBeNull();
    clock += 45_000;
    expect((await codeFrom(provider)).code).toBeDefined();
  });

  test('codes at consent: 503, and the sign-in stays so that allowing after the wait works', async () => {
    const provider = await providerWith();
    // One code held, issued 10 seconds before the sign-in's consent.
    provider.state.codes.limits = { maxEntries: 1, maxBytes: 1_000_000 };
    provider.state.codes.set('held', { clientId: 'demo-app', redirectUri: CALLBACK, scopes: ['openid'], sub: 's', authTime: 0, grantId: 'g', used: false }, 60);
    clock += 10_000;
    const agent = new UserAgent();
    const login = (await agent.request('GET', authorizeUrl(provider, pkceParameters().parameters))).response;
    const loginAction = /action="([^"]+)"/.exec(login.body)![1]!;
    const consent = (await agent.request('POST', new URL(loginAction, provider.issuer).href, { form: { email: 'asha@example.com', password: 'mango-lassi-42' } })).response;
    const consentAction = new URL(/action="([^"]+)"/.exec(consent.body)![1]!, provider.issuer).href;
    const refused = (await agent.request('POST', consentAction, { form: { decision: 'allow' } })).response;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('50');
    expect(refused.body).toContain('It holds as many codes as it may (temporarily_unavailable). Try again in 50 seconds.');
    provider.state.codes.limits = { maxEntries: 10, maxBytes: 1_000_000 };
    const allowed = (await agent.request('POST', consentAction, { form: { decision: 'allow' } })).response;
    expect(allowed.status).toBe(303);
    expect(new URL(allowed.headers.location!).searchParams.get('code')).toBeTruthy();
  });

  test('revoked access tokens: a full list refuses the revocation with 503 (the token is NOT revoked), never drops one', async () => {
    const provider = await providerWith();
    provider.state.revokedAccessTokens.limits = { maxEntries: 1, maxBytes: 1_000_000 };
    const token = async () => (await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: DEMO_APP })).body.access_token as string;
    const revoke = (accessToken: string) => postForm(`${provider.issuer}/revoke`, { token: accessToken }, { authorization: DEMO_APP });
    const introspect = async (accessToken: string) => (await postForm(`${provider.issuer}/introspect`, { token: accessToken }, { authorization: DEMO_APP })).body.active;
    const first = await token();
    clock += 600_000;
    const second = await token();
    expect((await revoke(first)).status).toBe(200);
    expect((await revoke(first)).status).toBe(200);
    const refused = await revoke(second);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBe('temporarily_unavailable');
    expect(refused.body.error_description).toContain('this one is NOT revoked');
    expect(refused.headers.get('retry-after')).toBe('300');
    expect([await introspect(first), await introspect(second)]).toEqual([false, true]);
    clock += 300_000;
    expect((await revoke(second)).status).toBe(200);
    expect(await introspect(second)).toBe(false);
  });
});

describe('fair stores: one client can neither block every sign-in nor evict another user\'s refresh token', () => {
  const forgotten = (grants: number) => ({ error: 'invalid_grant', error_description: `The refresh token is unknown or expired, or was issued to another client, or Mock Google forgot its sign-in (when it holds its most, ${grants}, it forgets the oldest). Sign in again.` });

  test('grants: a full store forgets the least recently used grant instead of answering 503; its refresh token gets invalid_grant', async () => {
    const provider = await providerWith({ autoApprove: true, limits: { grants: { maxEntries: 3 } } });
    const steady = await signIn(provider);
    const victim = await signIn(provider);
    // A refresh renews a grant: steady's is now the newest.
    const renewed = await refresh(provider, steady.refresh_token);
    expect(renewed.status).toBe(200);
    const flood: number[] = [];
    for (let index = 0; index < 2; index++) flood.push((await spaSignIn(provider)).status);
    expect(flood).toEqual([200, 200]);
    expect(await refresh(provider, victim.refresh_token)).toMatchObject({ status: 400, body: forgotten(3) });
    expect((await refresh(provider, renewed.body.refresh_token)).status).toBe(200);
    // One client cannot block code redemptions: it only pushes out the oldest grants.
    for (let index = 0; index < 5; index++) flood.push((await spaSignIn(provider)).status);
    expect(flood).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(provider.state.sizes().grants.entries).toBe(3);
    // Forgotten is not revoked: the access token lives out its 15 minutes, until the app revokes the grant.
    expect(await userinfoStatus(provider, victim.access_token)).toBe(200);
    expect((await revoke(provider, victim.refresh_token)).status).toBe(200);
    expect(await userinfoStatus(provider, victim.access_token)).toBe(401);
  });

  test('revoked grants are never forgotten while their access tokens may live; only when they alone fill the room does /token answer 503 (Retry-After at most the access-token lifetime, 15 minutes)', async () => {
    const provider = await providerWith({ autoApprove: true, codeTtl: 86_400, limits: { grants: { maxEntries: 3 }, revokedGrants: { maxEntries: 5 } } });
    const victim = await signIn(provider);
    expect((await revoke(provider, victim.refresh_token)).status).toBe(200);
    expect(await userinfoStatus(provider, victim.access_token)).toBe(401);
    for (let index = 0; index < 10; index++) expect((await spaSignIn(provider)).status).toBe(200);
    expect(await userinfoStatus(provider, victim.access_token)).toBe(401);
    expect(await refresh(provider, victim.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'The refresh token was revoked.' } });
    clock += 600_000;
    for (let index = 0; index < 4; index++) {
      const tokens = (await spaSignIn(provider, 'openid offline_access')).body;
      expect((await revoke(provider, tokens.refresh_token, 'demo-spa')).status).toBe(200);
    }
    expect(provider.state.sizes().revokedGrants.entries).toBe(5);
    const { code, verifier } = await codeFrom(provider);
    const refused = await redeem(provider, code!, verifier);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('300');
    expect(refused.body).toEqual({ error: 'temporarily_unavailable', error_description: 'Mock Google holds as many revoked sign-ins as it may (5), each until its access tokens expire (at most 900 seconds); try again in 300 seconds.' });
    clock += 300_000;
    expect((await redeem(provider, code!, verifier)).status).toBe(200);
  });

  test('a code replayed after its grant was forgotten, while revoked grants fill the room: refused, and says its tokens could NOT be revoked', async () => {
    const provider = await providerWith({ autoApprove: true, limits: { grants: { maxEntries: 1 }, revokedGrants: { maxEntries: 1 } } });
    const first = await signIn(provider, 'openid');
    const second = await signIn(provider, 'openid');
    const replay = (code: string) => postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: 'x'.repeat(43) }, { authorization: DEMO_APP });
    // The second sign-in pushed the first out; revoking the second fills the room for revoked grants.
    expect((await replay(second.code)).body.error_description).toBe('The authorization code was already used. Codes are single use; every token issued from it is now revoked (RFC 6749 section 4.1.2).');
    const refused = await replay(first.code);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'invalid_grant', error_description: 'The authorization code was already used. Codes are single use; Mock Google holds as many revoked sign-ins as it may, so the tokens issued from it could NOT be revoked: they expire within 900 seconds.' });
    expect([await userinfoStatus(provider, first.access_token), await userinfoStatus(provider, second.access_token)]).toEqual([200, 401]);
  });

  test('refreshing one chain more often than the retired-token store holds leaves every other refresh token working', async () => {
    const provider = await providerWith({ autoApprove: true, limits: { refreshTokens: { maxEntries: 3 }, retiredRefreshTokens: { maxEntries: 3 } } });
    const victim = await signIn(provider);
    const firstOfChain = (await spaSignIn(provider, 'openid offline_access')).body.refresh_token as string;
    let chain = firstOfChain;
    for (let index = 0; index < 10; index++) {
      const rotated = await refresh(provider, chain, 'demo-spa');
      expect(rotated.status).toBe(200);
      chain = rotated.body.refresh_token;
    }
    const sizes = provider.state.sizes();
    expect([sizes.refreshTokens.entries, sizes.retiredRefreshTokens.entries]).toEqual([2, 3]);
    expect((await refresh(provider, victim.refresh_token)).status).toBe(200);
    // A rotated token the small store forgot: its reuse is refused, but cannot revoke its chain.
    expect(await refresh(provider, firstOfChain, 'demo-spa')).toMatchObject({ status: 400, body: forgotten(DEFAULT_LIMITS.grants.maxEntries) });
    expect((await refresh(provider, chain, 'demo-spa')).status).toBe(200);
  });

  test('a grant is kept as long as its tokens can live: 15 minutes (the default access-token lifetime) without a refresh token, 24 hours after its last refresh with one', async () => {
    const provider = await providerWith({ autoApprove: true });
    await signIn(provider, 'openid');
    const withRefresh = await signIn(provider, 'openid offline_access');
    const held = () => {
      provider.state.sweep();
      return provider.state.sizes().grants.entries;
    };
    clock += 899_000;
    expect(held()).toBe(2);
    clock += 1_000;
    expect(held()).toBe(1);
    expect((await refresh(provider, withRefresh.refresh_token)).status).toBe(200);
    clock += 86_399_000;
    expect(held()).toBe(1);
    clock += 1_000;
    expect(held()).toBe(0);
  });

  test('the default caps hold their entries at the largest entry, and keep room for every active grant', async () => {
    const { state } = await providerWith();
    const grantId = randomUUID();
    const largest = {
      grants: state.grants.entryBytes(grantId, { refreshToken: randomToken() }),
      revokedGrants: state.revokedGrants.entryBytes(grantId, true),
      // A public client's, bound to a DPoP key (counted with the thumbprint whether or not it has one).
      refreshTokens: state.refreshTokens.entryBytes(randomToken(), { clientId: 'demo-app', sub: 'sub', scopes: ['openid', 'profile', 'email', 'offline_access'], authTime: 0, grantId, jkt: randomToken() }),
      retiredRefreshTokens: state.retiredRefreshTokens.entryBytes(randomToken(), { clientId: 'demo-app', grantId }),
      // Kept by the SHA-256 of the jti, whatever its length.
      dpopProofs: state.dpopProofs.entryBytes(hashedKey('j'.repeat(8000)), true),
      clientAssertions: state.clientAssertions.entryBytes(hashedKey('demo-app', 'j'.repeat(8000)), true),
      // Kept by the key's SHA-256 thumbprint, whatever the key.
      dpopProofsPerKey: state.dpopProofsPerKey.entryBytes('k'.repeat(43), { accepted: 1, untilMs: 0 }),
    };
    expect(largest).toEqual({ grants: 406, revokedGrants: 256, refreshTokens: 628, retiredRefreshTokens: 414, dpopProofs: 270, clientAssertions: 270, dpopProofsPerKey: 318 });
    for (const [name, bytes] of Object.entries(largest) as Array<[keyof typeof largest, number]>) {
      expect(DEFAULT_LIMITS[name].maxEntries * bytes).toBeLessThanOrEqual(DEFAULT_LIMITS[name].maxBytes);
    }
    expect(DEFAULT_LIMITS.refreshTokens.maxEntries).toBe(DEFAULT_LIMITS.grants.maxEntries);
    expect(DEFAULT_LIMITS.revokedGrants.maxEntries).toBeGreaterThan(DEFAULT_LIMITS.grants.maxEntries);
  });
});
