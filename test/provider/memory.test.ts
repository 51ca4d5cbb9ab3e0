// Mock Google's memory has a ceiling: every parameter it keeps has a size limit, every store a
// cap in entries and estimated bytes, and a full store answers 503 with the real wait (or, for
// refresh tokens, forgets the oldest). Small caps here keep the tests fast; bench/memory.mjs
// fills the real ones.

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { UserAgent } from '../../src/oauth/user-agent.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { DEFAULT_LIMITS, MAX_PARAMETER_BYTES, MAX_REDIRECT_URI_BYTES } from '../../src/provider/state.js';
import { ENTRY_OVERHEAD_BYTES, ExpiringStore, ownCopy, stringBytes } from '../../src/provider/store.js';
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

  test('ownCopy keeps the characters and drops the request text a parsed value can keep alive', () => {
    const parsed = new URLSearchParams(`state=${'s'.repeat(50)}&padding=${'p'.repeat(10_000)}`).get('state')!;
    expect(ownCopy(parsed)).toBe(parsed);
    expect(ownCopy('ünïcödé 日本')).toBe('ünïcödé 日本');
  });

  test('the default caps add up to the budget the README states', () => {
    const total = Object.values(DEFAULT_LIMITS).reduce((sum, limits) => sum + limits.maxBytes, 0);
    expect(total).toBe(80 * 1024 * 1024);
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
  test('sign-ins: Retry-After is the time until the oldest sign-in expires (10 minutes), not a guess', async () => {
    const provider = await providerWith({ maxPendingSignIns: 2 });
    const statuses: number[] = [];
    for (let index = 0; index < 2; index++) {
      statuses.push((await fetch(authorizeUrl(provider, pkceParameters().parameters))).status);
      clock += 100_000;
    }
    const refused = await fetch(authorizeUrl(provider, pkceParameters().parameters));
    expect([...statuses, refused.status]).toEqual([200, 200, 503]);
    expect(refused.headers.get('retry-after')).toBe('400');
    expect(await refused.text()).toContain('It holds as many sign-ins in progress as it may (temporarily_unavailable). Try again in 400 seconds.');
    clock += 400_000;
    expect((await fetch(authorizeUrl(provider, pkceParameters().parameters))).status).toBe(200);
    expect(provider.state.interactions.size).toBe(2);
  });

  test('sign-ins: the byte cap binds too, so large parameters fill it sooner', async () => {
    const provider = await providerWith({ limits: { interactions: { maxEntries: 100, maxBytes: 12_000 } } });
    const large = { state: 's'.repeat(MAX_PARAMETER_BYTES), nonce: 'n'.repeat(MAX_PARAMETER_BYTES), login_hint: 'l'.repeat(MAX_PARAMETER_BYTES) };
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await fetch(authorizeUrl(provider, { ...pkceParameters().parameters, ...large }))).status);
    expect(statuses).toEqual([200, 503, 503]);
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

  test('refresh tokens: a full store forgets the oldest; that app gets invalid_grant, the newest works', async () => {
    const provider = await providerWith({ autoApprove: true });
    provider.state.refreshTokens.limits = { maxEntries: 2, maxBytes: 1_000_000 };
    const refreshTokens: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { code, verifier } = await codeFrom(provider, { scope: 'openid offline_access' });
      refreshTokens.push((await redeem(provider, code!, verifier)).body.refresh_token);
    }
    expect(provider.state.refreshTokens.size).toBe(2);
    const refresh = (token: string) => postForm(`${provider.issuer}/token`, { grant_type: 'refresh_token', refresh_token: token }, { authorization: DEMO_APP });
    const oldest = await refresh(refreshTokens[0]!);
    expect(oldest.status).toBe(400);
    expect(oldest.body).toEqual({ error: 'invalid_grant', error_description: 'The refresh token is unknown, expired, was issued to another client, or was dropped as the oldest of the 2 Mock Google keeps.' });
    expect((await refresh(refreshTokens[2]!)).status).toBe(200);
  });

  test('grants: when the provider holds its most sign-ins with live tokens, /token answers 503 and the code stays good', async () => {
    const provider = await providerWith({ autoApprove: true, codeTtl: 86_400 * 2 });
    provider.state.grants.limits = { maxEntries: 1, maxBytes: 1_000_000 };
    const first = await codeFrom(provider);
    expect((await redeem(provider, first.code!, first.verifier)).status).toBe(200);
    const second = await codeFrom(provider);
    const refused = await redeem(provider, second.code!, second.verifier);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: 'temporarily_unavailable', error_description: 'Mock Google holds as many sign-ins with live tokens as it may (1); try again in 86400 seconds.' });
    expect(refused.headers.get('retry-after')).toBe('86400');
    clock += 86_400_000;
    expect((await redeem(provider, second.code!, second.verifier)).status).toBe(200);
  });

  test('grants: a revocation never needs room, so it is never refused nor forgotten', async () => {
    const provider = await providerWith({ autoApprove: true });
    provider.state.grants.limits = { maxEntries: 1, maxBytes: 1_000_000 };
    const { code, verifier } = await codeFrom(provider, { scope: 'openid offline_access' });
    const tokens = (await redeem(provider, code!, verifier)).body;
    expect((await postForm(`${provider.issuer}/revoke`, { token: tokens.refresh_token }, { authorization: DEMO_APP })).status).toBe(200);
    const userinfo = await fetch(`${provider.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(401);
    expect(provider.state.grants.size).toBe(1);
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
    expect(refused.headers.get('retry-after')).toBe('3000');
    expect([await introspect(first), await introspect(second)]).toEqual([false, true]);
    clock += 3_000_000;
    expect((await revoke(second)).status).toBe(200);
    expect(await introspect(second)).toBe(false);
  });
});
