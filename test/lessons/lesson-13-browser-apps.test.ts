// Lesson 13 (browser apps, issue #15): the lesson loads through the validator; its BFF is real (a
// server on 127.0.0.1 that runs the code flow, keeps the tokens, sets a __Host-Http- cookie that is
// HttpOnly, Secure and SameSite=Strict (RFC 10017 §6.1.3.2), refuses a page call without its own
// header (§6.1.3.3.2), and adds the Bearer token itself), and no token ever reaches the browser's bytes; both hands-on steps run
// and show what the lesson says; the built bin prints the lesson with `tutorial 13 --plain`. The BFF also holds
// under races and hostile calls: one refresh for concurrent calls, no session back after logout, a bounded
// store of sign-ins, a state that a stranger cannot cancel, and a foreign Origin refused.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runLessonStep, type StepView } from '../../src/cli/lesson-step-view.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import { withDemoWorld } from '../../src/lessons/demo-parts.js';
import { PAGE_CALL, PENDING_LOGINS, SESSION_COOKIE, signInThroughBff, type BffSignIn } from '../../src/lessons/demos-browser-apps.js';
import { DEFAULT_USERS } from '../../src/provider/directory.js';
import { signInAtProvider, type UserAgent } from '../../src/oauth/user-agent.js';
import type { DemoWorld } from '../../src/oauth/world.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import type { RunScreen } from '../../src/lessons/schema.js';
import { displayWidth } from '../../src/text/layout.js';
import { runBin } from '../helpers/cli.js';

const lesson = loadLessons(join(lessonsFolder(), 'tutorial')).find((candidate) => candidate.number === 13)!;

function viewFor(width: number): StepView {
  const output = createOutput({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, NO_COLOURS);
  return { output, now: () => Math.floor(Date.now() / 1000), width, saved: new Map(), given: new Map(), pause: async () => undefined, interactive: true };
}

/** Runs `use` after Asha signed in through a fresh BFF at a fresh Mock Google, and closes both after. */
function afterBffSignIn(use: (run: BffSignIn, world: DemoWorld, flows: typeof import('../../src/oauth/token-flows.js')) => Promise<void>): Promise<void> {
  return withDemoWorld(async (world, flows) => {
    const run = await signInThroughBff(world, flows);
    try {
      await use(run, world, flows);
    } finally {
      await run.bff.close();
    }
  });
}

/** The statuses of the answers a demo shows ("← 200"), in order. */
const statuses = (text: string) => [...text.matchAll(/^ {2}← (\d{3})/gm)].map((match) => Number(match[1]));

describe('lesson 13: the lesson file', () => {
  test('passes the validator with two BFF steps and a question after each, every answer a choice it has', () => {
    expect(lesson).toMatchObject({ id: 'browser-apps', title: 'Browser apps' });
    const demos = lesson.screens.filter((screen): screen is RunScreen => screen.type === 'run').map((screen) => ('demo' in screen ? screen.demo : screen.command));
    expect(demos).toEqual(['bff-page', 'bff-injected-script']);
    const questions = lesson.screens.filter((screen) => screen.type === 'question');
    expect(questions.length).toBeGreaterThanOrEqual(3);
    for (const question of questions) {
      if (question.kind === 'choice') expect(question.choices[question.answer]).toBeDefined();
      expect(question.explanation.length).toBeGreaterThan(40);
    }
  });
});

describe('lesson 13: the BFF, for real', () => {
  test('the sign-in: /login sets a SameSite=Lax login cookie and redirects to Mock Google; /callback sets a __Host-Http- session cookie, HttpOnly, Secure, SameSite=Strict, and keeps the tokens on the server', async () => {
    await afterBffSignIn(async (run, world, flows) => {
    const [login, ...rest] = run.browserSignIn;
    expect(login!.request.url).toBe(`${run.bff.url}/login`);
    expect(login!.response.status).toBe(302);
    const authorize = new URL(login!.response.headers.location!);
    expect(authorize.origin + authorize.pathname).toBe(`${world.provider.issuer}/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${run.bff.url}/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(login!.response.headers['set-cookie']).toMatch(/^swaad_login=[\w-]{43}; HttpOnly; Secure; SameSite=Lax; Path=\/callback; Max-Age=600$/);
    expect(rest.at(-1)).toBe(run.callback);
    expect(run.callback.response.status).toBe(303);
    expect(run.callback.response.headers.location).toBe('/');
    const setCookie = run.callback.response.headers['set-cookie']!;
    // The prefix RFC 10017 §6.1.3.2 suggests, and Strict: the page's own calls are same-site.
    expect(setCookie).toMatch(/^__Host-Http-swaad_session=[\w-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/$/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const sessionId = /=([\w-]+);/.exec(setCookie)![1]!;
    // The server holds the tokens under that id: an access token (a JWT), a refresh token and an ID token.
    const session = run.bff.sessions.get(sessionId)!;
    expect(session.accessToken).toMatch(/^eyJ/);
    expect(session.refreshToken).toBeTruthy();
    expect(session.idToken).toMatch(/^eyJ/);
    // The BFF's token request went server to server, with its client secret and the PKCE verifier.
    const tokenRequest = run.backChannel.exchanges.find(({ request }) => request.url === `${world.provider.issuer}/token`)!;
    expect(tokenRequest.response.status).toBe(200);
    expect(tokenRequest.request.headers.authorization).toMatch(/^Basic /);
    expect(tokenRequest.request.body).toContain('code_verifier=');
    });
  }, 30_000);

  test('the page asks /api/me with the cookie and the Swaad-Request header, no token; the BFF calls userinfo with the Bearer token; no token is in any byte the BFF sent the browser', async () => {
    await afterBffSignIn(async (run, world, flows) => {
    const page = await run.browser.request('GET', `${run.bff.url}/`);
    expect(page.response.status).toBe(200);
    expect(page.response.body).toContain('headers: { \'Swaad-Request\': \'1\' }');
    const me = await run.browser.request('GET', `${run.bff.url}/api/me`, PAGE_CALL);
    expect(me.response.status).toBe(200);
    expect(JSON.parse(me.response.body)).toEqual({ name: 'Asha Rao', email: 'asha@example.com' });
    // The page's request: the session cookie and nothing else that could be a credential.
    const sessionId = /=([\w-]+);/.exec(run.callback.response.headers['set-cookie']!)![1]!;
    expect(me.request.headers.cookie).toBe(`${SESSION_COOKIE}=${sessionId}`);
    expect(me.request.headers['Swaad-Request']).toBe('1');
    expect(me.request.headers.authorization).toBeUndefined();
    // The BFF's call to the API: the access token it keeps, as a Bearer token.
    const session = run.bff.sessions.get(sessionId)!;
    const userinfo = run.backChannel.exchanges.at(-1)!;
    expect(userinfo.request.url).toBe(`${world.provider.issuer}/userinfo`);
    expect(userinfo.request.headers.authorization).toBe(`Bearer ${session.accessToken}`);
    expect(userinfo.response.status).toBe(200);

    const bytes = run.bff.sentBytes();
    // The capture holds the real answers (status lines, the cookie, the page's data)...
    expect(bytes).toContain('HTTP/1.1 302 Found');
    expect(bytes).toContain('HTTP/1.1 303 See Other');
    expect(bytes).toMatch(/Set-Cookie: __Host-Http-swaad_session=[\w-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/\r\n/i);
    expect(bytes).toContain('"email":"asha@example.com"');
    // ...and none of the tokens, nor the client secret.
    for (const token of [session.accessToken, session.refreshToken!, session.idToken, 'demo-secret']) expect(bytes).not.toContain(token);
    expect(bytes).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    });
  }, 30_000);

  test('a call with the cookie but without the Swaad-Request header is refused (403), on /api/me and on POST /logout, and the session lives on', async () => {
    await afterBffSignIn(async (run) => {
    const cookie = run.callback.response.headers['set-cookie']!.split(';')[0]!;
    // What a link, a form or an image (here: another host of the same site) would send: the cookie alone.
    const forged = await fetch(`${run.bff.url}/api/me`, { headers: { cookie } });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ error: 'no Swaad-Request header: not a call from Swaad\'s page' });
    const wrongValue = await fetch(`${run.bff.url}/api/me`, { headers: { cookie, 'swaad-request': '0' } });
    expect(wrongValue.status).toBe(403);
    const forgedLogout = await fetch(`${run.bff.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(forgedLogout.status).toBe(403);
    expect(run.bff.sessions.size).toBe(1);
    const fromPage = await fetch(`${run.bff.url}/api/me`, { headers: { cookie, ...PAGE_CALL.headers } });
    expect(fromPage.status).toBe(200);
    // The page itself needs no header: a page load is a navigation, which cannot carry one.
    expect((await fetch(`${run.bff.url}/`)).status).toBe(200);
    });
  }, 30_000);

  test('without the cookie /api/me is 401; after logout the old cookie is 401 too and the refresh token is revoked at Mock Google', async () => {
    await afterBffSignIn(async (run, world, flows) => {
    const anonymous = await fetch(`${run.bff.url}/api/me`, PAGE_CALL);
    expect(anonymous.status).toBe(401);
    const cookie = run.callback.response.headers['set-cookie']!.split(';')[0]!;
    const refreshToken = [...run.bff.sessions.values()][0]!.refreshToken!;
    const logout = await run.browser.request('POST', `${run.bff.url}/logout`, PAGE_CALL);
    expect(logout.response.status).toBe(200);
    expect(logout.response.headers['set-cookie']).toMatch(/^__Host-Http-swaad_session=; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=0$/);
    expect(run.bff.sessions.size).toBe(0);
    // A copy of the old cookie, sent on purpose: the session is gone on the server.
    const replayed = await fetch(`${run.bff.url}/api/me`, { headers: { cookie, ...PAGE_CALL.headers } });
    expect(replayed.status).toBe(401);
    const refreshed = await flows.tokenEndpoint(world, world.agent('test'), { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(refreshed.response.status).toBe(400);
    expect(JSON.parse(refreshed.response.body).error).toBe('invalid_grant');
    });
  }, 30_000);
});

/** The session cookie the callback set, as the browser sends it back ("name=id"). */
const sessionCookieOf = (run: BffSignIn) => run.callback.response.headers['set-cookie']!.split(';')[0]!;
/** A call as the page's script makes it: the session cookie and the Swaad-Request header, plus `headers`. */
const pageCall = (run: BffSignIn, path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${run.bff.url}${path}`, { method: init.method ?? 'GET', headers: { cookie: sessionCookieOf(run), ...PAGE_CALL.headers, ...init.headers } });

/** A second browser of Asha's starts a sign-in at the BFF and signs in at Mock Google; it stops before opening /callback. */
async function signInUpToCallback(run: BffSignIn, world: DemoWorld): Promise<{ browser: UserAgent; callbackUrl: string }> {
  const browser = world.agent('Asha\'s other browser');
  const start = await browser.request('GET', `${run.bff.url}/login`);
  const asha = DEFAULT_USERS[0]!;
  const { callbackUrl } = await signInAtProvider(browser, start.response.headers.location!, { email: asha.email, password: asha.password, allow: true });
  expect(callbackUrl).toMatch(new RegExp(`^${run.bff.url}/callback\\?`));
  return { browser, callbackUrl: callbackUrl! };
}

describe('lesson 13: the BFF under concurrent and hostile calls', () => {
  test('three /api/me at once after the access token ran out: the BFF refreshes once, all three get 200, and the session goes on', async () => {
    await afterBffSignIn(async (run, world) => {
      world.clock.skip(3600);
      const answers = await Promise.all([1, 2, 3].map(() => pageCall(run, '/api/me')));
      expect(await Promise.all(answers.map(async (answer) => `${answer.status} ${await answer.text()}`))).toEqual(Array(3).fill('200 {"name":"Asha Rao","email":"asha@example.com"}'));
      // One refresh: sending the rotated refresh token twice would have made Mock Google revoke the grant.
      const refreshes = run.backChannel.exchanges.filter(({ request }) => request.url.endsWith('/token') && request.body?.includes('grant_type=refresh_token'));
      expect(refreshes.map(({ response }) => response.status)).toEqual([200]);
      expect((await pageCall(run, '/api/me')).status).toBe(200);
    });
  }, 30_000);

  test('POST /logout while /api/me is refreshing: logout 200, the waiting /api/me 401, the session is not written back, and the refresh token that came back is revoked', async () => {
    await afterBffSignIn(async (run, world, flows) => {
      // Mock Google's answer to the refresh is held until Asha has signed out.
      const send = run.backChannel.request.bind(run.backChannel);
      let refreshAnswered!: () => void;
      const answered = new Promise<void>((resolve) => { refreshAnswered = resolve; });
      let release!: () => void;
      const released = new Promise<void>((resolve) => { release = resolve; });
      run.backChannel.request = async (method, url, options) => {
        const done = await send(method, url, options);
        if (options?.form?.grant_type === 'refresh_token') {
          refreshAnswered();
          await released;
        }
        return done;
      };
      world.clock.skip(3600);
      const waiting = pageCall(run, '/api/me');
      await answered;
      const logout = await pageCall(run, '/logout', { method: 'POST' });
      expect(logout.status).toBe(200);
      release();
      const me = await waiting;
      expect(`${me.status} ${await me.text()}`).toBe('401 {"error":"not signed in"}');
      expect(run.bff.sessions.size).toBe(0);
      const again = await pageCall(run, '/api/me');
      expect(`${again.status} ${await again.text()}`).toBe('401 {"error":"not signed in"}');
      const refresh = run.backChannel.exchanges.find(({ request }) => request.body?.includes('grant_type=refresh_token'))!;
      const renewed = String(JSON.parse(refresh.response.body).refresh_token);
      const tried = await flows.tokenEndpoint(world, world.agent('test'), { grant_type: 'refresh_token', refresh_token: renewed });
      expect(JSON.parse(tried.response.body).error).toBe('invalid_grant');
    });
  }, 30_000);

  test(`the BFF keeps at most ${PENDING_LOGINS.max} sign-ins waiting: one more /login drops the oldest, whose callback is then refused`, async () => {
    await afterBffSignIn(async (run, world) => {
      const flood = (count: number) => Promise.all(Array.from({ length: count }, () => fetch(`${run.bff.url}/login`, { redirect: 'manual' })));
      const kept = await signInUpToCallback(run, world);
      expect((await flood(PENDING_LOGINS.max - 1)).every((answer) => answer.status === 302)).toBe(true);
      expect((await kept.browser.request('GET', kept.callbackUrl)).response.status).toBe(303);
      const dropped = await signInUpToCallback(run, world);
      await flood(PENDING_LOGINS.max);
      const late = await dropped.browser.request('GET', dropped.callbackUrl);
      expect(`${late.response.status} ${late.response.body}`).toBe('400 {"error":"not a sign-in this browser started"}');
    });
  }, 60_000);

  test(`a sign-in older than ${PENDING_LOGINS.maxAgeSeconds / 60} minutes (the login cookie's Max-Age) is refused at /callback`, async () => {
    await afterBffSignIn(async (run, world) => {
      const slow = await signInUpToCallback(run, world);
      world.clock.skip(PENDING_LOGINS.maxAgeSeconds + 1);
      const late = await slow.browser.request('GET', slow.callbackUrl);
      expect(`${late.response.status} ${late.response.body}`).toBe('400 {"error":"the sign-in took too long: start again"}');
    });
  }, 30_000);

  test('someone who knows the state cannot cancel the sign-in: /callback without the login cookie, or with another, is refused and the browser\'s own callback still signs in; used once, it is refused', async () => {
    await afterBffSignIn(async (run, world) => {
      const { browser, callbackUrl } = await signInUpToCallback(run, world);
      for (const headers of [{}, { cookie: 'swaad_login=not-the-one' }] as Record<string, string>[]) {
        const forged = await fetch(callbackUrl, { headers, redirect: 'manual' });
        expect(`${forged.status} ${await forged.text()}`).toBe('400 {"error":"not a sign-in this browser started"}');
      }
      const own = await browser.request('GET', callbackUrl);
      expect(own.response.status).toBe(303);
      expect(own.response.headers['set-cookie']).toMatch(/^__Host-Http-swaad_session=[\w-]{43};/);
      expect((await browser.request('GET', callbackUrl)).response.status).toBe(400);
    });
  }, 30_000);

  test('POST /logout (and /api/me) with an Origin header that is not the BFF\'s own is refused (403) and the session lives on; Swaad\'s own origin signs out', async () => {
    await afterBffSignIn(async (run) => {
      for (const origin of ['https://evil.example', 'null']) {
        for (const [path, method] of [['/logout', 'POST'], ['/api/me', 'GET']] as const) {
          const forged = await pageCall(run, path, { method, headers: { origin } });
          expect(`${forged.status} ${await forged.text()}`).toBe('403 {"error":"a call from another origin: not Swaad\'s page"}');
        }
      }
      expect(run.bff.sessions.size).toBe(1);
      expect((await pageCall(run, '/logout', { method: 'POST', headers: { origin: run.bff.url } })).status).toBe(200);
      expect(run.bff.sessions.size).toBe(0);
    });
  }, 30_000);
});

describe('lesson 13: the hands-on steps, as the tutorial runs them', () => {
  async function stepText(title: string, width = 80): Promise<string> {
    const screen = lesson.screens.find((candidate): candidate is RunScreen => candidate.type === 'run' && candidate.title === title)!;
    const { text, commandFailed } = await runLessonStep(screen, viewFor(width));
    expect(commandFailed).toBe(false);
    return text;
  }

  test('"Lesson 9\'s page, with a BFF": the browser\'s requests, the cookie, the two calls, and "no" for every token', async () => {
    const text = await stepText('Lesson 9\'s page, with a BFF');
    expect(statuses(text)).toEqual([200, 200, 403]);
    expect(text).toMatch(/GET \/login +Swaad +302 to Mock Google, sets a cookie/);
    expect(text).toMatch(/POST \/interaction\/…\/consent +Mock Google +303 to Swaad/);
    expect(text).toMatch(/GET \/callback +Swaad +303 to Swaad, sets a cookie/);
    expect(text).toMatch(/GET \/api\/me +Swaad +200/);
    expect(text).toMatch(/set-cookie: __Host-Http-swaad_session=[\w-]{6}…; HttpOnly; Secure; SameSite=Strict;\s+Path=\//);
    expect(text).toMatch(/→ GET \/api\/me +\(from the page: Swaad-Request: 1 and the cookie, no token\)/);
    expect(text).toMatch(/→ GET \/api\/me +\(the cookie without the Swaad-Request header, as a link or\s+form\s+would\s+send\s+it\)\n {2}← 403 \{"error":"no Swaad-Request header: not a call from Swaad's page"\}/);
    expect(text).toContain('fetch(\'/api/me\', { headers: { \'Swaad-Request\': \'1\' } })');
    expect(text).toContain('→ GET /userinfo  (from the BFF: Authorization: Bearer <Asha\'s access token>)');
    for (const token of ['access token', 'refresh token', 'ID token']) expect(text).toMatch(new RegExp(`^ {2}${token} +no$`, 'm'));
    expect(text).toMatch(/In a browser this page shows: Hello, Asha Rao \| localStorage: null \|\s+document\.cookie: ""/);
    expect(text).toContain('does not run the script');
  }, 30_000);

  test('"An injected script, with a BFF": 200 for the script, a server-side refresh, logout, then 401', async () => {
    const text = await stepText('An injected script, with a BFF');
    // /api/me from the script, /api/me later (the BFF's refresh and userinfo), logout, revoke, /api/me again.
    expect(statuses(text)).toEqual([200, 200, 200, 200, 200, 200, 401]);
    expect(text).toMatch(/→ GET \/api\/me +\(from the injected script: it adds the header, the\s+browser\s+the\s+cookie\)/);
    expect(text).toMatch(/→ POST \/token \(from the BFF: grant_type=refresh_token/);
    expect(text).toContain('"scope": "openid profile email offline_access"');
    expect(text).toMatch(/"refresh_token": "[\w-]{20,}"/);
    expect(text).toMatch(/the refresh tokens, old and new, are in none of the\s+bytes\s+Swaad\s+sent\s+it\./);
    expect(text).toMatch(/→ POST \/revoke +\(from the BFF: the refresh token, to be revoked\)/);
    expect(text).toContain('← 401 {"error":"not signed in"}');
  }, 30_000);
});

test.each([60, 80])('the built bin prints lesson 13 with `tutorial 13 --plain` at %i columns: exit 0, nothing on stderr, every line fits, the answers at the end', (width) => {
  const result = runBin(['tutorial', '13', '--plain'], { env: { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-l13-')), COLUMNS: String(width), NO_COLOR: '1' } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Lesson 13: Browser apps');
  expect(result.stdout).toMatch(/set-cookie: __Host-Http-swaad_session=[\w-]{6}…; HttpOnly;\s+Secure;\s+SameSite=Strict;\s+Path=\//);
  expect(result.stdout).toContain('SameSite=Strict: the browser sends it only with');
  expect(result.stdout).toMatch(/stays\s+SameSite=Lax/);
  expect(result.stdout).not.toContain('draft-ietf-oauth-browser-based-apps');
  expect(result.stdout).toContain('Answers to lesson 13');
  // Paragraphs are laid out by the tutorial, so the width is checked here, on what it printed.
  expect(result.stdout.split('\n').filter((line) => displayWidth(line) > width)).toEqual([]);
}, 30_000);
