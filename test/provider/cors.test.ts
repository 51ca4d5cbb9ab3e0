// CORS for the public client: a browser app on another origin can read discovery and the keys,
// redeem a code, call userinfo and revoke, never with credentials; the pages, introspection and
// logout stay closed to other origins. Checked at the HTTP level, then from a real Chromium page.

import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningProvider } from '../../src/provider/server.js';
import { authorizeAtOnce, basic, CALLBACK, pkcePair, startTestProvider } from '../helpers/provider.js';

const APP_ORIGIN_PLACEHOLDER = 'http://127.0.0.1:1';
let provider: RunningProvider;

beforeAll(async () => {
  provider = await startTestProvider({ autoApprove: true });
});
afterAll(() => provider.close());

function preflight(path: string, method: string) {
  return fetch(`${provider.issuer}${path}`, {
    method: 'OPTIONS',
    headers: { origin: APP_ORIGIN_PLACEHOLDER, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
  });
}

describe('CORS headers', () => {
  test.each([
    ['/.well-known/openid-configuration', 'GET'],
    ['/jwks', 'GET'],
    ['/token', 'POST'],
    ['/userinfo', 'GET, POST'],
    ['/revoke', 'POST'],
  ])('%s: preflight 204, any origin, no credentials', async (path, methods) => {
    const response = await preflight(path, methods.split(', ').at(-1)!);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe(methods);
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type, dpop');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await response.text()).toBe('');
  });

  test.each([
    ['/.well-known/openid-configuration', 'GET', 200],
    ['/jwks', 'GET', 200],
    ['/token', 'POST', 400],
    ['/userinfo', 'GET', 401],
    ['/revoke', 'POST', 400],
  ])('%s: the answer (also an error) is readable from another origin and exposes WWW-Authenticate', async (path, method, status) => {
    const response = await fetch(`${provider.issuer}${path}`, { method, headers: { origin: APP_ORIGIN_PLACEHOLDER } });
    expect(response.status).toBe(status);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toBe('www-authenticate');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test.each([
    ['/introspect', 'POST'],
    ['/authorize', 'GET'],
    ['/logout', 'GET'],
  ])('%s: no CORS; a preflight is refused', async (path, method) => {
    const refused = await preflight(path, method);
    expect(refused.status).toBe(405);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const response = await fetch(`${provider.issuer}${path}`, { method, headers: { origin: APP_ORIGIN_PLACEHOLDER }, redirect: 'manual' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('introspection by a confidential client still works, without CORS headers', async () => {
    const response = await fetch(`${provider.issuer}/introspect`, {
      method: 'POST',
      headers: { authorization: basic('demo-app', 'demo-secret'), 'content-type': 'application/x-www-form-urlencoded', origin: APP_ORIGIN_PLACEHOLDER },
      body: 'token=nope',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping the CORS browser test: no chromium at ${CHROMIUM} (.ci/run installs Debian's chromium).`);

describe.skipIf(!hasChromium)('from a real Chromium page on another origin', () => {
  let browser: Browser;
  let app: Server;
  let appOrigin: string;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    // The browser app: one empty page on a loopback origin of its own (another port).
    app = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>SPA</title>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
  });

  test('the public client demo-spa: discovery, code for tokens with PKCE, userinfo with a bearer token, revocation', async () => {
    const pkce = pkcePair();
    const { location } = await authorizeAtOnce(provider, { client_id: 'demo-spa', code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const code = location!.searchParams.get('code')!;

    const page = await browser.newPage();
    await page.goto(appOrigin);
    const seen = await page.evaluate(async ({ discoveryUrl, code, verifier, callback }) => {
      const statusOr = (promise: Promise<Response>) => promise.then((response) => response.status, (error: Error) => `blocked: ${error.name}`);
      const discovery = (await (await fetch(discoveryUrl)).json()) as { issuer: string; jwks_uri: string; token_endpoint: string; userinfo_endpoint: string; revocation_endpoint: string; introspection_endpoint: string };
      const jwks = await statusOr(fetch(discovery.jwks_uri));
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: callback, client_id: 'demo-spa' });
      const tokenResponse = await fetch(discovery.token_endpoint, { method: 'POST', body: form });
      const tokens = (await tokenResponse.json()) as { access_token: string; token_type: string };
      const userinfoResponse = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const userinfo = (await userinfoResponse.json()) as { email?: string };
      const revoke = await statusOr(fetch(discovery.revocation_endpoint, { method: 'POST', body: new URLSearchParams({ token: tokens.access_token, client_id: 'demo-spa' }) }));
      const afterRevoke = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const introspect = await statusOr(fetch(discovery.introspection_endpoint, { method: 'POST', body: new URLSearchParams({ token: tokens.access_token }) }));
      return {
        issuer: discovery.issuer,
        jwks,
        token: tokenResponse.status,
        tokenType: tokens.token_type,
        userinfo: userinfoResponse.status,
        email: userinfo.email,
        revoke,
        afterRevoke: afterRevoke.status,
        challenge: afterRevoke.headers.get('www-authenticate'),
        introspect,
      };
    }, { discoveryUrl: provider.discoveryUrl, code, verifier: pkce.verifier, callback: CALLBACK });

    expect(seen).toMatchObject({ issuer: provider.issuer, jwks: 200, token: 200, tokenType: 'Bearer', userinfo: 200, email: 'asha@example.com', revoke: 200, afterRevoke: 401, introspect: 'blocked: TypeError' });
    expect(seen.challenge).toMatch(/^Bearer realm="Mock Google", error="invalid_token"/);
    await page.close();
  });
});
