// Each of Mock Google's error pages says why the browser stays there, and what it says is true
// for its own case: only a request whose app or redirect address is not known good is told that
// nothing may redirect; an expired sign-in, a busy provider, a long form field and a logout each
// get their own reason.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UserAgent } from '../../src/oauth/user-agent.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { authorizeUrl, pkcePair, postForm, startTestProvider } from '../helpers/provider.js';

const NOT_SENT_BACK = 'For your safety Mock Google does not send you back to the app: until the app and its redirect address are known to be registered, it redirects nowhere (RFC 6749 §4.1.2.1).';
const SIGN_IN_UNKNOWN = 'Mock Google cannot send you back to the app: it does not know this sign-in (any more, or in this browser). Starting again from the app makes a new one.';
const BUSY = 'Nothing is wrong with your request: Mock Google is out of room for a moment, and has sent nothing to the app.';
const FORM_FIELD = 'Nothing was sent to the app. Go back and try again with a shorter value.';
const LOGOUT = 'After signing out, Mock Google sends you back only to an address registered for the app, named by client_id or by a valid id_token_hint.';

/** The page's note, as the browser shows it (the page escapes its text). */
function noteOf(html: string): string {
  const note = /<p class="note">([^<]*)<\/p>\s*<\/main>/.exec(html)?.[1] ?? '';
  return note.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)));
}

let pages: RunningProvider;
let busy: RunningProvider;
beforeAll(async () => {
  pages = await startTestProvider();
  busy = await startTestProvider({ autoApprove: true, limits: { codes: { maxEntries: 1 } } });
});
afterAll(async () => {
  await pages.close();
  await busy.close();
});

const pkce = () => ({ code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });

describe('every error page says what is true for its case', () => {
  test.each([
    ['an unknown app', () => fetch(authorizeUrl(pages, { ...pkce(), client_id: 'evil-app' }), { redirect: 'manual' })],
    ['an unregistered redirect_uri', () => fetch(authorizeUrl(pages, { ...pkce(), redirect_uri: 'https://evil.example/steal' }), { redirect: 'manual' })],
    ['a repeated parameter', () => fetch(`${authorizeUrl(pages, pkce())}&client_id=demo-app`, { redirect: 'manual' })],
  ])('%s: 400, nothing redirects until the app and its address are known good', async (_name, request) => {
    const response = await request();
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(noteOf(await response.text())).toBe(NOT_SENT_BACK);
  });

  test('a sign-in form posted without this browser\'s sign-in: the sign-in is unknown, not "unproven"', async () => {
    const page = await fetch(authorizeUrl(pages, pkce()));
    const action = /action="([^"]+)"/.exec(await page.text())![1]!;
    const response = await postForm(`${pages.issuer}${action}`, { email: 'asha@example.com', password: 'mango-lassi-42' });
    expect(response.status).toBe(400);
    expect(noteOf(response.body)).toBe(SIGN_IN_UNKNOWN);
  });

  test('codes full: 503, and the page says nothing is wrong with the request', async () => {
    const first = await fetch(authorizeUrl(busy, pkce()), { redirect: 'manual' });
    expect(first.status).toBe(302);
    const refused = await fetch(authorizeUrl(busy, pkce()), { redirect: 'manual' });
    expect(refused.status).toBe(503);
    expect(noteOf(await refused.text())).toBe(BUSY);
  });

  test('an oversize form field: go back and try again', async () => {
    const agent = new UserAgent();
    const page = (await agent.request('GET', authorizeUrl(pages, pkce()))).response;
    const action = /action="([^"]+)"/.exec(page.body)![1]!;
    const { response } = await agent.request('POST', new URL(action, pages.issuer).href, { form: { email: 'e'.repeat(2000), password: 'x' } });
    expect(response.status).toBe(400);
    expect(noteOf(response.body)).toBe(FORM_FIELD);
  });

  test('a logout to an unregistered address: only registered addresses', async () => {
    const response = await fetch(`${pages.issuer}/logout?client_id=demo-app&post_logout_redirect_uri=${encodeURIComponent('http://evil.example/')}`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(noteOf(await response.text())).toBe(LOGOUT);
  });
});
