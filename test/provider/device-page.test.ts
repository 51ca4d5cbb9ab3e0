// The /device pages of Mock Google (RFC 8628 §3.3, §5.1, §5.4): typing the code any way a person
// would, the confirmation of a pre-filled code, sign-in and consent, escaping, forms that another
// site cannot post, the limit on wrong codes, and what the stores may hold.

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { formOf, UserAgent } from '../../src/oauth/user-agent.js';
import { DEFAULT_CLIENTS, type Client } from '../../src/provider/directory.js';
import { MAX_WRONG_USER_CODES, newUserCode, normalizeUserCode } from '../../src/provider/device.js';
import type { RequestEvent, RunningProvider } from '../../src/provider/server.js';
import { DEFAULT_LIMITS, randomToken } from '../../src/provider/state.js';
import { startTestProvider } from '../helpers/provider.js';
import { startProvider } from '../../src/provider/server.js';
import { approveAtDevicePage, deviceAuthorization, enterCode, formTokenOf, payloadOf, poll, submit, unusedPort } from './device-helpers.js';

const START = Date.UTC(2026, 0, 1);
let clock = START;
const log: RequestEvent[] = [];
const HOSTILE_NAME = '<script>alert("tv")</script> & "TV"';
const HOSTILE_CLIENT: Client = { client_id: 'hostile-tv', client_name: HOSTILE_NAME, redirect_uris: [] };
let provider: RunningProvider;

beforeAll(async () => {
  provider = await startTestProvider({ nowMs: () => clock, clients: [...DEFAULT_CLIENTS, HOSTILE_CLIENT], onRequest: (event) => log.push(event) });
});
afterAll(() => provider.close());
afterEach(() => {
  clock = START;
});

function later(seconds: number): void {
  clock += seconds * 1000;
}

/** The visible text of a page, tags dropped, entities as they read. */
function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('the code, typed as people type it', () => {
  test('normalizeUserCode: case, dashes and spaces do not matter', () => {
    expect(['bdwp-hqpk', 'BDWPHQPK', ' bdwp hqpk ', 'Bdwp-Hqpk', 'BDWP - HQPK'].map(normalizeUserCode)).toEqual(Array(5).fill('BDWPHQPK'));
    expect(newUserCode()).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
  });

  test.each([
    ['lower case', (code: string) => code.toLowerCase()],
    ['without the dash', (code: string) => code.replace('-', '')],
    ['lower case, spaces, no dash', (code: string) => ` ${code.slice(0, 4).toLowerCase()} ${code.slice(5).toLowerCase()} `],
  ])('%s: the sign-in page follows', async (_name, typeIt) => {
    const device = await deviceAuthorization(provider);
    const page = await enterCode(new UserAgent(), `${provider.issuer}/device`, typeIt(device.user_code));
    expect(page.response.status).toBe(200);
    expect(formOf(page.response.body, page.request.url)!.fields).toEqual(['email', 'password']);
    expect(textOf(page.response.body)).toContain('to continue to Swaad Food Delivery (demo-app)');
  });

  test('verification_uri_complete fills the code in, and the user still confirms it (§3.3.1)', async () => {
    const device = await deviceAuthorization(provider);
    const agent = new UserAgent();
    const page = await agent.request('GET', device.verification_uri_complete);
    expect(page.response.status).toBe(200);
    expect(page.response.body).toContain(`value="${device.user_code}"`);
    expect(textOf(page.response.body)).toContain('Check that this is the code your device shows, then continue.');
    // Opening the link decided nothing: the device still waits.
    later(5);
    expect((await poll(provider, device.device_code)).body.error).toBe('authorization_pending');
    const signIn = await enterCode(agent, device.verification_uri_complete, device.user_code);
    expect(formOf(signIn.response.body, signIn.request.url)!.fields).toEqual(['email', 'password']);
  });
});

describe('sign-in and consent', () => {
  test('the consent page names the client, the user, the scopes and the code, and warns against codes sent by others (§5.4)', async () => {
    const device = await deviceAuthorization(provider, { scope: 'openid email offline_access' });
    const agent = new UserAgent();
    const codePage = await enterCode(agent, `${provider.issuer}/device`, device.user_code);
    const wrong = await submit(agent, codePage, { email: 'asha@example.com', password: 'nope' });
    expect(wrong.response.status).toBe(401);
    expect(textOf(wrong.response.body)).toContain('Wrong email or password.');
    const consent = await submit(agent, wrong, { email: 'asha@example.com', password: 'mango-lassi-42' });
    const text = textOf(consent.response.body);
    expect(text).toContain('Swaad Food Delivery (demo-app) wants to access your Mock Google account from a device');
    expect(text).toContain('Signed in as asha@example.com');
    expect(text).toContain('See your email address email');
    expect(text).toContain('Stay connected when you are not using the app (a refresh token) offline_access');
    expect(text).toContain(`Only allow this if you started it yourself , on a device in front of you that shows the code ${device.user_code} . If someone sent you this code or this link (by message, email or phone), choose Deny: whoever holds the device would get into your account (RFC 8628 §5.4).`);
    expect(text).toContain('Local simulation.');
    expect(formOf(consent.response.body, consent.request.url)!.fields).toEqual(['decision', 'decision']);
    expect(log.at(-1)!.message).toBe(`asha@example.com signed in at /device; consent page shown for demo-app's device (user code ${device.user_code})`);
  });

  test('a code works once: typed again after a decision, it is refused (and not counted as a guess)', async () => {
    const device = await deviceAuthorization(provider);
    await approveAtDevicePage(provider, device.user_code);
    const wrongBefore = provider.state.userCodeGuesses.get('127.0.0.1')?.wrong ?? 0;
    const again = await enterCode(new UserAgent(), `${provider.issuer}/device`, device.user_code);
    expect(again.response.status).toBe(400);
    expect(textOf(again.response.body)).toContain(`This code was already used The code ${device.user_code} was already approved. A code works once; if the device is still waiting, ask it for a new code.`);
    expect(log.at(-1)!.message).toBe(`user code ${device.user_code} entered again, already approved: error page`);
    expect(provider.state.userCodeGuesses.get('127.0.0.1')?.wrong ?? 0).toBe(wrongBefore);
  });

  test('a code typed after 10 minutes is refused', async () => {
    const device = await deviceAuthorization(provider);
    later(600);
    const page = await enterCode(new UserAgent(), `${provider.issuer}/device`, device.user_code);
    expect(page.response.status).toBe(400);
    expect(textOf(page.response.body)).toContain('That code is not right, or it has expired.');
  });

  test('a second browser entering the code cannot take over the sign-in in progress: it is told so, and the first one finishes (§5.4)', async () => {
    const device = await deviceAuthorization(provider);
    const first = new UserAgent();
    const firstPage = await enterCode(first, `${provider.issuer}/device`, device.user_code);
    const second = await enterCode(new UserAgent(), `${provider.issuer}/device`, device.user_code);
    expect(second.response.status).toBe(409);
    expect(textOf(second.response.body)).toContain(`The code ${device.user_code} is already being used to sign in, in another browser or on an earlier page. Finish there; or, in 10 minutes, when the code expires, ask the device for a new one.`);
    expect(log.at(-1)?.message).toBe(`user code ${device.user_code} entered again while a sign-in with it is in progress: refused (409)`);
    const consent = await submit(first, firstPage, { email: 'asha@example.com', password: 'mango-lassi-42' });
    expect(consent.response.status).toBe(200);
    const done = await submit(first, consent, { decision: 'allow' });
    expect(done.response.status).toBe(200);
    later(5);
    expect((await poll(provider, device.device_code)).status).toBe(200);
  });
});

describe('the request log', () => {
  test('tells each step of the flow in words', async () => {
    const from = log.length;
    const device = await deviceAuthorization(provider, { client_id: 'demo-spa', scope: 'openid' }, {});
    later(5);
    await poll(provider, device.device_code, {}, { client_id: 'demo-spa' });
    await new UserAgent().request('GET', device.verification_uri_complete);
    await approveAtDevicePage(provider, device.user_code);
    later(5);
    await poll(provider, device.device_code, {}, { client_id: 'demo-spa' });
    expect(log.slice(from).map((event) => `${event.method} ${event.path} ${event.status}: ${event.message}`)).toEqual([
      `POST /device_authorization 200: device code issued to demo-spa (scope openid; user code ${device.user_code}; client auth none)`,
      `POST /token 400: device code polled by demo-spa: authorization_pending (user code ${device.user_code})`,
      `GET /device 200: device page shown with code ${device.user_code} filled in, to be confirmed`,
      'GET /device 200: device page shown',
      `POST /device 200: user code ${device.user_code} entered; sign-in page shown for demo-spa's device`,
      `POST /device/${device.user_code.replace('-', '')}/login 200: asha@example.com signed in at /device; consent page shown for demo-spa's device (user code ${device.user_code})`,
      `POST /device/${device.user_code.replace('-', '')}/consent 200: asha@example.com allowed demo-spa's device: its next poll gets the tokens`,
      'POST /token 200: tokens issued to demo-spa\'s device for asha@example.com (scope openid; client auth none); the device code is now used',
    ]);
  });
});

describe('forms another site cannot post', () => {
  test('the code form needs its cookie and token: a cross-site post is refused', async () => {
    const device = await deviceAuthorization(provider);
    const agent = new UserAgent();
    const noCookie = await agent.request('POST', `${provider.issuer}/device`, { form: { user_code: device.user_code, form_token: 'forged' } });
    expect(noCookie.response.status).toBe(403);
    expect(textOf(noCookie.response.body)).toContain('This form is out of date or was not sent from this page.');
    const page = await agent.request('GET', `${provider.issuer}/device`);
    expect(page.response.headers['set-cookie']).toMatch(/^mg_device_form=[\w-]{43}; Path=\/device; Max-Age=600; HttpOnly; SameSite=Lax$/);
    const wrongToken = await agent.request('POST', `${provider.issuer}/device`, { form: { user_code: device.user_code, form_token: randomToken() } });
    expect(wrongToken.response.status).toBe(403);
  });

  test('sign-in and consent need the browser cookie of that code', async () => {
    const device = await deviceAuthorization(provider);
    const agent = new UserAgent();
    const codePage = await enterCode(agent, `${provider.issuer}/device`, device.user_code);
    expect(codePage.response.headers['set-cookie']).toMatch(new RegExp(`^mg_device=[\\w-]{43}; Path=/device/${device.user_code.replace('-', '')}; Max-Age=600; HttpOnly; SameSite=Lax$`));
    const action = formOf(codePage.response.body, codePage.request.url)!.action;
    const forged = await new UserAgent().request('POST', action, { form: { email: 'asha@example.com', password: 'mango-lassi-42' } });
    expect(forged.response.status).toBe(400);
    const consentAction = action.replace(/login$/, 'consent');
    const skipped = await agent.request('POST', consentAction, { form: { decision: 'allow' } });
    expect(skipped.response.status).toBe(400);
    later(5);
    expect((await poll(provider, device.device_code)).body.error).toBe('authorization_pending');
  });

  test('every page has the strict policy: no scripts, forms only to Mock Google, no framing', async () => {
    const page = await new UserAgent().request('GET', `${provider.issuer}/device`);
    expect(page.response.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/);
    expect(page.response.headers['x-frame-options']).toBe('DENY');
  });
});

describe('escaping', () => {
  test('a client name with markup is shown as text on the sign-in, consent and result pages', async () => {
    const device = await deviceAuthorization(provider, { client_id: 'hostile-tv', scope: 'openid' }, {});
    const { codePage, consent, done } = await approveAtDevicePage(provider, device.user_code);
    for (const page of [codePage, consent, done]) {
      expect(page.response.status).toBe(200);
      expect(page.response.body).not.toContain('<script>');
      expect(page.response.body).toContain('&#60;script&#62;alert(&#34;tv&#34;)&#60;/script&#62; &#38; &#34;TV&#34;');
      expect(textOf(page.response.body)).toContain(HOSTILE_NAME);
    }
  });

  test('a user_code in the link that is not a code is not echoed; a typed one is never shown back', async () => {
    const agent = new UserAgent();
    const link = await agent.request('GET', `${provider.issuer}/device?user_code=${encodeURIComponent('"><script>x</script>')}`);
    expect(link.response.status).toBe(200);
    expect(link.response.body).not.toContain('script>x');
    expect(link.response.body).toContain('value=""');
    const typed = await enterCode(agent, `${provider.issuer}/device`, '"><img src=x onerror=alert(1)>');
    expect(typed.response.status).toBe(400);
    expect(typed.response.body).not.toContain('<img');
    expect(formTokenOf(typed.response.body)).toMatch(/^[\w-]{43}$/);
  });
});

describe('guessing user codes is limited (RFC 8628 §5.1)', () => {
  test(`${MAX_WRONG_USER_CODES} wrong codes a minute from one address; then 429 for every code, the right one too, until the minute ends`, async () => {
    // A provider of its own: the count is per address, and every test here comes from 127.0.0.1.
    let ownClock = START;
    const guarded = await startTestProvider({ nowMs: () => ownClock });
    try {
      const device = await deviceAuthorization(guarded);
      const agent = new UserAgent();
      const messages: string[] = [];
      for (let attempt = 1; attempt <= MAX_WRONG_USER_CODES; attempt++) {
        const page = await enterCode(agent, `${guarded.issuer}/device`, 'BCDF-GHJK');
        expect(page.response.status).toBe(400);
        messages.push(textOf(page.response.body).match(/That code is not right[^.]*\.[^.]*\./)![0]);
      }
      expect(messages[0]).toBe('That code is not right, or it has expired. Check the code on your device and type it again (4 more tries this minute).');
      expect(messages[3]).toBe('That code is not right, or it has expired. Check the code on your device and type it again (1 more try this minute).');
      expect(messages[4]).toBe('That code is not right, or it has expired. Check the code on your device and type it again.');
      ownClock += 20_000;
      const blocked = await enterCode(agent, `${guarded.issuer}/device`, device.user_code);
      expect(blocked.response.status).toBe(429);
      expect(blocked.response.headers['retry-after']).toBe('40');
      expect(textOf(blocked.response.body)).toContain(`Too many wrong codes ${MAX_WRONG_USER_CODES} codes typed here in the last minute were not right. So that nobody can find a code by guessing, Mock Google checks no more codes from this computer for 40 seconds.`);
      ownClock += 40_000;
      const allowed = await enterCode(agent, `${guarded.issuer}/device`, device.user_code);
      expect(allowed.response.status).toBe(200);
      expect(formOf(allowed.response.body, allowed.request.url)!.fields).toEqual(['email', 'password']);
    } finally {
      await guarded.close();
    }
  });
});

describe('under an issuer with a path', () => {
  test('the endpoints, the pages and their cookies are all under it, and the flow completes', async () => {
    const port = await unusedPort();
    let ownClock = START;
    const based = await startProvider({ port, issuer: `http://127.0.0.1:${port}/tenant`, nowMs: () => ownClock });
    try {
      const metadata = (await (await fetch(based.discoveryUrl)).json()) as Record<string, string>;
      expect(metadata.device_authorization_endpoint).toBe(`http://127.0.0.1:${port}/tenant/device_authorization`);
      const device = await deviceAuthorization(based);
      expect(device.verification_uri).toBe(`http://127.0.0.1:${port}/tenant/device`);
      const { codePage, done } = await approveAtDevicePage(based, device.user_code);
      expect(codePage.response.headers['set-cookie']).toContain(`Path=/tenant/device/${device.user_code.replace('-', '')};`);
      expect(formOf(codePage.response.body, codePage.request.url)!.action).toBe(`http://127.0.0.1:${port}/tenant/device/${device.user_code.replace('-', '')}/login`);
      expect(done.response.body).toContain('You are all set');
      ownClock += 5_000;
      expect(payloadOf((await poll(based, device.device_code)).body.id_token).iss).toBe(`http://127.0.0.1:${port}/tenant`);
    } finally {
      await based.close();
    }
  });
});

describe('memory stays bounded', () => {
  test('each new store holds its entries at their largest within its bytes, and the total is the budget', () => {
    const { state } = provider;
    const record = { clientId: 'demo-app', scopes: ['openid', 'profile', 'email', 'offline_access'], userCode: newUserCode(), expiresAtMs: 0, interval: 5, lastPollMs: 0, status: 'pending' as const };
    const largest = {
      deviceCodes: state.deviceCodes.entryBytes(randomToken(), record),
      userCodes: state.userCodes.entryBytes(newUserCode(), randomToken()),
      // An IPv6 address with a zone, the longest remoteAddress.
      userCodeGuesses: state.userCodeGuesses.entryBytes('ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%eth0', { wrong: 1, untilMs: 0 }),
    };
    expect(largest).toEqual({ deviceCodes: 756, userCodes: 208, userCodeGuesses: 332 });
    for (const [name, bytes] of Object.entries(largest) as Array<[keyof typeof largest, number]>) {
      expect(DEFAULT_LIMITS[name].maxEntries * bytes).toBeLessThanOrEqual(DEFAULT_LIMITS[name].maxBytes);
    }
    expect(Object.values(DEFAULT_LIMITS).reduce((sum, limits) => sum + limits.maxBytes, 0)).toBe(88.75 * 1024 * 1024);
  });

  test('a full store of device codes forgets the oldest: its poll and its user code stop working', async () => {
    const small = await startTestProvider({ limits: { deviceCodes: { maxEntries: 2 } } });
    try {
      const [oldest, middle] = [await deviceAuthorization(small), await deviceAuthorization(small)];
      const newest = await deviceAuthorization(small);
      expect(small.state.sizes().deviceCodes.entries).toBe(2);
      expect((await poll(small, oldest.device_code)).body.error).toBe('invalid_grant');
      expect((await enterCode(new UserAgent(), `${small.issuer}/device`, oldest.user_code)).response.status).toBe(400);
      expect(small.state.sizes().userCodes.entries).toBe(2);
      for (const device of [middle, newest]) expect((await poll(small, device.device_code)).body.error).toBe('slow_down');
    } finally {
      await small.close();
    }
  });
});
