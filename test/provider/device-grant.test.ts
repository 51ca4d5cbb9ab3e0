// The device authorization grant (RFC 8628) at Mock Google, rule by rule: the device
// authorization request, every polling answer, single use, and the tokens. Time is injected.

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RequestEvent, RunningProvider } from '../../src/provider/server.js';
import { basic, postForm, startTestProvider } from '../helpers/provider.js';
import { approveAtDevicePage, DEMO_APP, DEVICE_GRANT, deviceAuthorization, payloadOf, poll, startDevice } from './device-helpers.js';

const START = Date.UTC(2026, 0, 1);
let clock = START;
const log: RequestEvent[] = [];
let provider: RunningProvider;
let auto: RunningProvider;

beforeAll(async () => {
  [provider, auto] = await Promise.all([
    startTestProvider({ nowMs: () => clock, onRequest: (event) => log.push(event) }),
    startTestProvider({ autoApprove: true, nowMs: () => clock }),
  ]);
});
afterAll(async () => {
  await Promise.all([provider.close(), auto.close()]);
});
afterEach(() => {
  clock = START;
});

/** Moves the provider's clock on; nothing waits. */
function later(seconds: number): void {
  clock += seconds * 1000;
}

/** The log line of the last request to this path. */
function lastLogFor(path: string): string | undefined {
  return log.filter((event) => event.path === path).at(-1)?.message;
}

describe('discovery', () => {
  test('advertises the device authorization endpoint and the device_code grant type', async () => {
    const metadata = (await (await fetch(provider.discoveryUrl)).json()) as Record<string, unknown>;
    expect(metadata.device_authorization_endpoint).toBe(`${provider.issuer}/device_authorization`);
    expect(metadata.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:device_code');
  });
});

describe('POST /device_authorization (RFC 8628 §3.1, §3.2)', () => {
  test('answers a high-entropy device code, a user code from the §6.1 alphabet, the verification URIs, 10 minutes and 5 s', async () => {
    const { status, body, headers } = await startDevice(provider);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
    expect(body.device_code).toMatch(/^[\w-]{43}$/);
    expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body.verification_uri).toBe(`${provider.issuer}/device`);
    expect(body.verification_uri_complete).toBe(`${provider.issuer}/device?user_code=${body.user_code}`);
    expect(body.expires_in).toBe(600);
    expect(body.interval).toBe(5);
    expect(lastLogFor('/device_authorization')).toBe(`device code issued to demo-app (scope openid profile email; user code ${body.user_code}; client auth client_secret_basic)`);
  });

  test('a public client names itself with client_id alone', async () => {
    const { status, body } = await startDevice(provider, { client_id: 'demo-spa', scope: 'openid' }, {});
    expect(status).toBe(200);
    expect(body.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  });

  test.each([
    ['a confidential client without its secret', { client_id: 'demo-app', scope: 'openid' }, {}, 401, 'invalid_client', 'demo-app is a confidential client: it must authenticate with its secret.'],
    ['a wrong secret', { scope: 'openid' }, { authorization: basic('demo-app', 'wrong') }, 401, 'invalid_client', 'Client authentication failed.'],
    ['an unknown client', { client_id: 'nobody', scope: 'openid' }, {}, 401, 'invalid_client', 'Unknown client.'],
    ['an unknown scope', { scope: 'openid orders:read' }, DEMO_APP, 400, 'invalid_scope', "Unknown scope 'orders:read'. Supported: openid profile email offline_access."],
    ['no scope', {}, DEMO_APP, 400, 'invalid_scope', "No scope was asked for; ask for at least 'openid'."],
  ] as Array<[string, Record<string, string>, Record<string, string>, number, string, string]>)('%s is refused', async (_name, form, headers, status, error, description) => {
    const answer = await startDevice(provider, form, headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error, error_description: description });
  });

  test('answers CORS like /token (any origin, never with credentials); the /device page does not', async () => {
    const preflight = await fetch(`${provider.issuer}/device_authorization`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await startDevice(provider)).headers.get('access-control-allow-origin')).toBe('*');
    const page = await fetch(`${provider.issuer}/device`, { method: 'OPTIONS' });
    expect(page.status).toBe(405);
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('user codes differ and device codes differ', async () => {
    const codes = await Promise.all(Array.from({ length: 20 }, () => deviceAuthorization(provider)));
    expect(new Set(codes.map((code) => code.user_code)).size).toBe(20);
    expect(new Set(codes.map((code) => code.device_code)).size).toBe(20);
  });
});

describe('polling the token endpoint (RFC 8628 §3.4, §3.5)', () => {
  test('authorization_pending while the user has not finished', async () => {
    const device = await deviceAuthorization(provider);
    later(5);
    const answer = await poll(provider, device.device_code);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'authorization_pending', error_description: `The user has not finished at ${provider.issuer}/device yet; poll again in 5 seconds.` });
    expect(lastLogFor('/token')).toBe(`device code polled by demo-app: authorization_pending (user code ${device.user_code})`);
  });

  test('slow_down makes the interval of that device code grow by 5 s each time: 5 → 10 → 15', async () => {
    const device = await deviceAuthorization(provider);
    const other = await deviceAuthorization(provider);
    later(1);
    expect((await poll(provider, device.device_code)).body).toEqual({ error: 'slow_down', error_description: 'Polling too fast: wait the interval (now 10 seconds) after the device authorization response before the first poll, and between polls (RFC 8628 section 3.5).' });
    expect(lastLogFor('/token')).toBe('device code polled too fast by demo-app (its first poll): slow_down, interval now 10 s');
    later(9);
    expect((await poll(provider, device.device_code)).body).toMatchObject({ error: 'slow_down', error_description: 'Polling too fast: wait at least 15 seconds between requests for this device code (RFC 8628 section 3.5).' });
    later(14);
    expect((await poll(provider, device.device_code)).body.error).toBe('slow_down');
    // Now waiting the full 20 s is on time again, and the interval stays where it grew to.
    later(20);
    expect((await poll(provider, device.device_code)).body).toMatchObject({ error: 'authorization_pending', error_description: expect.stringContaining('poll again in 20 seconds') });
    // Another device code keeps its own interval.
    later(5);
    expect((await poll(provider, other.device_code)).body).toMatchObject({ error: 'authorization_pending', error_description: expect.stringContaining('poll again in 5 seconds') });
  });

  test('access_denied once the user denies, on every poll after', async () => {
    const device = await deviceAuthorization(provider);
    const { done } = await approveAtDevicePage(provider, device.user_code, { allow: false });
    expect(done.response.body).toContain('Access denied');
    later(5);
    expect((await poll(provider, device.device_code)).body).toEqual({ error: 'access_denied', error_description: 'The user denied the request.' });
    later(5);
    expect((await poll(provider, device.device_code)).body.error).toBe('access_denied');
  });

  test('expired_token after 10 minutes, approved or not', async () => {
    const pending = await deviceAuthorization(provider);
    const approved = await deviceAuthorization(provider);
    await approveAtDevicePage(provider, approved.user_code);
    later(599);
    expect((await poll(provider, pending.device_code)).body.error).toBe('authorization_pending');
    later(1);
    for (const device of [pending, approved]) {
      expect((await poll(provider, device.device_code)).body).toEqual({ error: 'expired_token', error_description: 'The device_code has expired (device codes live 10 minutes); start again with a new device authorization request.' });
    }
    expect(lastLogFor('/token')).toBe('expired device code polled by demo-app: expired_token');
  });

  test('an unknown device code, another client\'s, or none at all: invalid_grant / invalid_request', async () => {
    const device = await deviceAuthorization(provider, { client_id: 'demo-spa', scope: 'openid' }, {});
    later(5);
    expect((await poll(provider, 'not-a-device-code')).body).toEqual({ error: 'invalid_grant', error_description: 'The device_code is unknown, or so old that Mock Google forgot it.' });
    expect((await poll(provider, device.device_code)).body).toEqual({ error: 'invalid_grant', error_description: 'The device_code was issued to another client.' });
    expect((await postForm(`${provider.issuer}/token`, { grant_type: DEVICE_GRANT }, DEMO_APP)).body).toEqual({ error: 'invalid_request', error_description: 'device_code is missing.' });
    // The rightful client still gets its answer: the other client's poll changed nothing.
    expect((await poll(provider, device.device_code, {}, { client_id: 'demo-spa' })).body.error).toBe('authorization_pending');
  });

  test('the device authenticates at /token as at /device_authorization: a confidential client needs its secret', async () => {
    const device = await deviceAuthorization(provider);
    later(5);
    expect((await poll(provider, device.device_code, {}, { client_id: 'demo-app' })).body.error).toBe('invalid_client');
  });
});

describe('approved: tokens, once', () => {
  test('the same ID and access token shapes as the code flow; the device code then works no more', async () => {
    const device = await deviceAuthorization(provider, { scope: 'openid profile email' });
    const { done } = await approveAtDevicePage(provider, device.user_code);
    expect(done.response.body).toContain('You are all set');
    later(5);
    const first = await poll(provider, device.device_code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'openid profile email' });
    expect(first.body.refresh_token).toBeUndefined();
    const idToken = payloadOf(first.body.id_token);
    expect(idToken).toMatchObject({ iss: provider.issuer, aud: 'demo-app', azp: 'demo-app', sub: '104392857361829475620', email: 'asha@example.com', name: 'Asha Rao', auth_time: START / 1000 });
    const accessToken = payloadOf(first.body.access_token);
    expect(accessToken).toMatchObject({ iss: provider.issuer, aud: `${provider.issuer}/userinfo`, sub: '104392857361829475620', client_id: 'demo-app', scope: 'openid profile email', sid: idToken.sid });
    expect(lastLogFor('/token')).toBe('tokens issued to demo-app\'s device for asha@example.com (scope openid profile email; client auth client_secret_basic); the device code is now used');
    const userinfo = await fetch(`${provider.issuer}/userinfo`, { headers: { authorization: `Bearer ${first.body.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: '104392857361829475620', email: 'asha@example.com' });

    later(5);
    const second = await poll(provider, device.device_code);
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ error: 'invalid_grant', error_description: 'The device_code was already used: its tokens were issued on an earlier poll, and a device code works once.' });
  });

  test('a refresh token only with offline_access, as in the code flow, and it rotates', async () => {
    const device = await deviceAuthorization(provider, { client_id: 'demo-spa', scope: 'openid offline_access' }, {});
    await approveAtDevicePage(provider, device.user_code, { email: 'ravi@example.com', password: 'filter-coffee-7' });
    later(5);
    const tokens = (await poll(provider, device.device_code, {}, { client_id: 'demo-spa' })).body;
    expect(tokens.refresh_token).toMatch(/^[\w-]{43}$/);
    expect(payloadOf(tokens.id_token)).toMatchObject({ sub: '118273645501928374651', aud: 'demo-spa' });
    const refreshed = await postForm(`${provider.issuer}/token`, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'demo-spa' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
  });

  test('two polls at once after approval: one gets the tokens, the other invalid_grant', async () => {
    const device = await deviceAuthorization(provider);
    await approveAtDevicePage(provider, device.user_code);
    later(5);
    const answers = await Promise.all([poll(provider, device.device_code), poll(provider, device.device_code)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
  });
});

describe('--auto-approve (login_hint, as at /authorize)', () => {
  test('the device code is approved at once for the login_hint user; the first poll on time gets the tokens', async () => {
    const device = await deviceAuthorization(auto, { scope: 'openid email', login_hint: 'priya@example.com' });
    const answer = await poll(auto, device.device_code);
    later(5);
    const tokens = await poll(auto, device.device_code);
    // An approved code is not held back for polling early: only a pending one is slowed down.
    expect(answer.status).toBe(200);
    expect(payloadOf(answer.body.id_token)).toMatchObject({ sub: '109876543210123456789', email: 'priya@example.com' });
    expect(tokens.body.error).toBe('invalid_grant');
  });

  test('without login_hint the first user; an unknown login_hint is refused', async () => {
    const device = await deviceAuthorization(auto, { scope: 'openid' });
    expect(payloadOf((await poll(auto, device.device_code)).body.id_token).sub).toBe('104392857361829475620');
    expect((await startDevice(auto, { scope: 'openid', login_hint: 'nobody@example.com' })).body).toEqual({ error: 'invalid_request', error_description: "--auto-approve: no user matches login_hint 'nobody@example.com'." });
  });
});
