// Every rule Mock Google follows, each with a test, including the attacks it must stop.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, createRemoteJWKSet, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signInAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { checkCode } from '../../src/provider/token.js';
import { loadClients } from '../../src/provider/config-files.js';
import { DEFAULT_CLIENTS } from '../../src/provider/directory.js';
import { secretsEqual } from '../../src/provider/http.js';
import { redirectUriMatches } from '../../src/provider/redirect-uri.js';
import { authorizeAtOnce, authorizeUrl, basic, CALLBACK, pkcePair, postForm, startTestProvider } from '../helpers/provider.js';

const ASHA = { email: 'asha@example.com', password: 'mango-lassi-42', allow: true };
let provider: RunningProvider;
let auto: RunningProvider;
let clock = Date.now();

beforeAll(async () => {
  provider = await startTestProvider();
  auto = await startTestProvider({ autoApprove: true, nowMs: () => clock });
});
afterAll(async () => {
  await provider.close();
  await auto.close();
});
afterEach(() => {
  clock = Date.now();
});

/** A code from the auto-approving provider, with the PKCE pair it was bound to. */
async function freshCode(parameters: Record<string, string | undefined> = {}) {
  const pkce = pkcePair();
  const { location } = await authorizeAtOnce(auto, { code_challenge: pkce.challenge, code_challenge_method: 'S256', ...parameters });
  return { code: location!.searchParams.get('code')!, ...pkce, location: location! };
}

async function redeem(code: string, verifier: string | undefined, extra: Record<string, string> = {}, client = basic('demo-app', 'demo-secret')) {
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...extra };
  if (verifier !== undefined) form.code_verifier = verifier;
  return postForm(`${auto.issuer}/token`, form, client ? { authorization: client } : {});
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
}

function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString());
}

async function publicKeys(issuer: string): Promise<Array<Record<string, unknown> & { kid: string; alg: string; d?: string }>> {
  return ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown> & { kid: string; alg: string }> }).keys;
}

async function userinfo(issuer: string, token: string) {
  const response = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as any, wwwAuthenticate: response.headers.get('www-authenticate') };
}

describe('PKCE with S256 is required for every client', () => {
  test.each([
    ['no code_challenge', {}, 'Mock Google requires PKCE of every client: send code_challenge and code_challenge_method=S256 (RFC 7636; RFC 9700 section 2.1.1 requires it of public clients and recommends it for confidential ones).'],
    ['plain', { code_challenge: pkcePair().challenge, code_challenge_method: 'plain' }, "code_challenge_method must be S256, not 'plain'."],
    ['no method (means plain)', { code_challenge: pkcePair().challenge }, 'code_challenge_method must be S256 (when it is missing, RFC 7636 means plain).'],
    ['a malformed challenge', { code_challenge: 'short', code_challenge_method: 'S256' }, 'code_challenge must be 43 base64url characters: BASE64URL(SHA256(code_verifier)).'],
  ])('%s: invalid_request back to the app, with state and iss', async (_name, parameters, description) => {
    const { status, location } = await authorizeAtOnce(auto, parameters);
    expect(status).toBe(302);
    expect(location!.origin + location!.pathname).toBe(CALLBACK);
    expect(Object.fromEntries(location!.searchParams)).toEqual({ error: 'invalid_request', error_description: description, state: 'state-123', iss: auto.issuer });
  });

  test('a wrong verifier is refused', async () => {
    const { code } = await freshCode();
    const response = await redeem(code, pkcePair().verifier);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge: this code belongs to another authorization request (RFC 7636 section 4.6).' });
  });

  test('a missing verifier is refused', async () => {
    const { code } = await freshCode();
    expect((await redeem(code, undefined)).body.error_description).toBe('code_verifier is missing: this code was issued with a PKCE challenge (RFC 7636 section 4.5).');
  });

  test('the downgrade: a verifier for a code issued without a challenge is refused', () => {
    const record = { clientId: 'demo-app', redirectUri: CALLBACK, scopes: ['openid'], sub: 's', authTime: 0, grantId: 'g', used: false };
    const form = new Map([['redirect_uri', CALLBACK], ['code_verifier', pkcePair().verifier]]);
    expect(() => checkCode(auto.state, record, 'demo-app', form, { say: () => undefined })).toThrow('A code_verifier was sent, but this code was issued without a code_challenge: PKCE downgrade refused.');
  });

  test('the RFC 7636 Appendix B example pair works', async () => {
    const { location } = await authorizeAtOnce(auto, { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const response = await redeem(location!.searchParams.get('code')!, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(response.status).toBe(200);
  });
});

describe('authorization codes', () => {
  test('single use: a replay fails with invalid_grant and revokes every token issued from the code', async () => {
    const { code, verifier } = await freshCode();
    const first = await redeem(code, verifier);
    expect(first.status).toBe(200);
    expect((await userinfo(auto.issuer, first.body.access_token)).status).toBe(200);
    const replay = await redeem(code, verifier);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(replay.body.error_description).toContain('already used');
    const after = await userinfo(auto.issuer, first.body.access_token);
    expect(after.status).toBe(401);
    expect(after.body.error_description).toBe('The access token is not valid: the token was revoked.');
  });

  test('bound to the client: another client cannot redeem it', async () => {
    const { code, verifier } = await freshCode();
    const response = await postForm(`${auto.issuer}/token`, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: 'demo-spa' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'The authorization code was issued to another client.' });
  });

  test('bound to the redirect_uri', async () => {
    const { code, verifier } = await freshCode();
    const response = await redeem(code, verifier, { redirect_uri: 'http://127.0.0.1:9999/callback' });
    expect(response.body.error_description).toBe('redirect_uri must be exactly the one sent in the authorization request.');
  });

  test('valid 60 seconds', async () => {
    const { code, verifier } = await freshCode();
    clock += 61_000;
    const response = await redeem(code, verifier);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'The authorization code is unknown or expired (codes live 60 seconds).' });
  });

  test('expired codes are dropped from memory', async () => {
    for (let index = 0; index < 20; index++) await freshCode();
    expect(auto.state.codes.size).toBeGreaterThanOrEqual(20);
    clock += 61_000;
    auto.state.sweep();
    expect(auto.state.codes.size).toBe(0);
  });
});

describe('redirect_uri is matched exactly; only a loopback port may vary', () => {
  test.each([
    'http://127.0.0.1/callback',
    'http://127.0.0.1:1234/callback',
    'http://localhost:5555/callback',
  ])('accepted: %s', async (redirectUri) => {
    const { status, location } = await authorizeAtOnce(auto, { redirect_uri: redirectUri, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    expect(status).toBe(302);
    expect(location!.href.startsWith(`${redirectUri}?code=`)).toBe(true);
  });

  test.each([
    ['another path', 'http://127.0.0.1:8080/callback/../admin'],
    ['a longer path', 'http://127.0.0.1:8080/callback/evil'],
    ['a trailing slash', 'http://127.0.0.1/callback/'],
    ['another host', 'http://evil.example/callback'],
    ['a look-alike host', 'http://127.0.0.1.evil.example/callback'],
    ['userinfo in the URL', 'http://evil.example@127.0.0.1/callback'],
    ['percent-encoded path', 'http://127.0.0.1/%63allback'],
    ['percent-encoded slash', 'http://127.0.0.1/callback%2F..%2Fevil'],
    ['percent-encoded host', 'http://127.0.0.1%2Eevil.example/callback'],
    ['a fragment', 'http://127.0.0.1/callback#fragment'],
    ['https instead of http', 'https://127.0.0.1/callback'],
    ['upper-case scheme', 'HTTP://127.0.0.1/callback'],
    ['a port with leading zeros', 'http://127.0.0.1:080/callback'],
    ['an extra query', 'http://127.0.0.1/callback?next=http://evil.example'],
  ])('refused with an error page, never a redirect: %s', async (_name, redirectUri) => {
    const response = await fetch(authorizeUrl(auto, { redirect_uri: redirectUri, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('is not registered for demo-app');
  });

  test('the matcher alone', () => {
    expect(redirectUriMatches('https://app.example/cb', 'https://app.example/cb')).toBe(true);
    expect(redirectUriMatches('https://app.example/cb', 'https://app.example:8443/cb')).toBe(false);
  });

  test('an unknown client gets an error page, never a redirect', async () => {
    const response = await fetch(authorizeUrl(auto, { client_id: 'evil-app' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('No app is registered here with client_id &#34;evil-app&#34;.');
  });

  test.each([
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['an unknown scope', { scope: 'openid admin' }, 'invalid_scope'],
    ['no scope', { scope: '' }, 'invalid_scope'],
    ['a request object', { request: 'eyJ...' }, 'request_not_supported'],
  ])('other errors go back to the app: %s', async (_name, parameters, error) => {
    const { location } = await authorizeAtOnce(auto, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ...parameters });
    expect(location!.searchParams.get('error')).toBe(error);
    expect(location!.searchParams.get('state')).toBe('state-123');
    expect(location!.searchParams.get('iss')).toBe(auto.issuer);
  });
});

describe('the sign-in and consent pages', () => {
  test('sign-in, consent, code: state comes back unchanged and iss is added (RFC 9207)', async () => {
    const agent = new UserAgent();
    const pkce = pkcePair();
    const result = await signInAtProvider(agent, authorizeUrl(provider, { code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 'a b&c=d' }), ASHA);
    const callback = new URL(result.callbackUrl!);
    expect(callback.searchParams.get('state')).toBe('a b&c=d');
    expect(callback.searchParams.get('iss')).toBe(provider.issuer);
    const [loginPage, consentPage, final] = result.exchanges;
    expect(loginPage!.response.body).toContain('<label for="email">Email</label>');
    expect(loginPage!.response.body).toContain('<label for="password">Password</label>');
    expect(loginPage!.response.body).toContain('Local simulation.');
    expect(consentPage!.response.body).toContain('See your email address');
    expect(consentPage!.response.body).toContain('value="allow">Allow</button>');
    expect(consentPage!.response.body).toContain('value="deny">Deny</button>');
    expect(final!.response.status).toBe(303);
    // The password went to the provider's own form, never into a URL.
    expect(result.exchanges.every((exchange) => !exchange.request.url.includes('mango-lassi-42'))).toBe(true);
  });

  test('deny: access_denied goes back with state and iss', async () => {
    const result = await signInAtProvider(new UserAgent(), authorizeUrl(provider, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }), { ...ASHA, allow: false });
    expect(Object.fromEntries(new URL(result.callbackUrl!).searchParams)).toEqual({ error: 'access_denied', error_description: 'The user denied the request.', state: 'state-123', iss: provider.issuer });
  });

  test('a wrong password shows the page again with an error, and no code', async () => {
    const result = await signInAtProvider(new UserAgent(), authorizeUrl(provider, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }), { ...ASHA, password: 'wrong' });
    expect(result.callbackUrl).toBeUndefined();
    expect(result.errorPage!.status).toBe(401);
    expect(result.errorPage!.body).toContain('Wrong email or password.');
  });

  test('a sign-in form posted without the browser cookie is refused (login CSRF)', async () => {
    const page = await fetch(authorizeUrl(provider, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }));
    const action = /action="([^"]+)"/.exec(await page.text())![1]!;
    const response = await postForm(`${provider.issuer}${action}`, { email: ASHA.email, password: ASHA.password });
    expect(response.status).toBe(400);
    expect(response.body).toContain('This sign-in has expired');
  });

  test('pages carry a strict CSP with frame-ancestors none, and the cookie is HttpOnly and SameSite', async () => {
    const page = await fetch(authorizeUrl(provider, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }));
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('script-src');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(await page.text()).not.toContain('<script');
  });

  test('every string from the request is escaped in HTML', async () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const page = await fetch(authorizeUrl(provider, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256', login_hint: hostile }));
    const html = await page.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    const errorPage = await (await fetch(authorizeUrl(provider, { client_id: hostile }), { redirect: 'manual' })).text();
    expect(errorPage).not.toContain('<script>alert(1)');
    const redirectPage = await (await fetch(authorizeUrl(provider, { redirect_uri: hostile }), { redirect: 'manual' })).text();
    expect(redirectPage).not.toContain('<script>alert(1)');
  });

  test('control and bidi-override characters from a request are shown escaped in HTML, never obeyed', async () => {
    const spoof = 'demo-app\u202Eppa-live\u001b[8m';
    const errorPage = await (await fetch(authorizeUrl(provider, { client_id: spoof }), { redirect: 'manual' })).text();
    expect(errorPage).not.toMatch(/[\u202e\u001b]/);
    expect(errorPage).toContain('demo-app\\u202Eppa-live\\u001b[8m');
    const signIn = await (await fetch(authorizeUrl(provider, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256', login_hint: 'asha\u2066@example.com' }))).text();
    expect(signIn).not.toContain('\u2066');
    expect(signIn).toContain('asha\\u2066@example.com');
  });

  test('--auto-approve signs in the user named by login_hint', async () => {
    const { code, verifier } = await freshCode({ login_hint: 'ravi@example.com' });
    const tokens = (await redeem(code, verifier)).body;
    expect(payloadOf(tokens.id_token).email).toBe('ravi@example.com');
  });
});

describe('tokens', () => {
  test('the ID token: RS256, a kid published at /jwks, and the claims the scopes allow', async () => {
    const { code, verifier } = await freshCode({ nonce: 'n-0S6_WzA2Mj', scope: 'openid email' });
    const tokens = (await redeem(code, verifier)).body;
    const header = headerOf(tokens.id_token);
    expect(header.alg).toBe('RS256');
    const jwks = await publicKeys(auto.issuer);
    expect(jwks.find((key) => key.kid === header.kid)).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    for (const key of jwks) expect(key.d).toBeUndefined();
    const claims = payloadOf(tokens.id_token);
    expect(Object.keys(claims).sort()).toEqual(['at_hash', 'aud', 'auth_time', 'azp', 'email', 'email_verified', 'exp', 'iat', 'iss', 'nonce', 'sid', 'sub'].sort());
    expect(claims).toMatchObject({ iss: auto.issuer, aud: 'demo-app', azp: 'demo-app', nonce: 'n-0S6_WzA2Mj', email: 'asha@example.com' });
  });

  test('the access token is an RFC 9068 JWT, ES256 by default, with its key at /jwks', async () => {
    const { code, verifier } = await freshCode();
    const tokens = (await redeem(code, verifier)).body;
    const header = headerOf(tokens.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect((await publicKeys(auto.issuer)).find((key) => key.kid === header.kid)).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    // What any resource server would do: check it against the provider's published keys.
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${auto.issuer}/jwks`)), { typ: 'at+jwt', issuer: auto.issuer, audience: `${auto.issuer}/userinfo`, currentDate: new Date(clock) });
    for (const name of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope']) expect(payload[name]).toBeDefined();
    // 15 minutes by default: access tokens live minutes, not hours.
    expect(payload.exp).toBe((payload.iat as number) + 900);
    expect(tokens.expires_in).toBe(900);
    expect(tokens.refresh_token).toBeUndefined();
  });

  test('one key per kind of token (RFC 8725 §3.12): neither kind verifies with the other kind\'s key', async () => {
    const { code, verifier } = await freshCode();
    const tokens = (await redeem(code, verifier)).body;
    const jwks = await publicKeys(auto.issuer);
    const keyOf = async (token: string) => importJWK(jwks.find((key) => key.kid === headerOf(token).kid)! as JWK);
    const idKey = await keyOf(tokens.id_token);
    const accessKey = await keyOf(tokens.access_token);
    expect(headerOf(tokens.id_token).kid).not.toBe(headerOf(tokens.access_token).kid);
    await expect(compactVerify(tokens.id_token, idKey)).resolves.toBeDefined();
    await expect(compactVerify(tokens.access_token, accessKey)).resolves.toBeDefined();
    await expect(compactVerify(tokens.id_token, accessKey)).rejects.toThrow();
    await expect(compactVerify(tokens.access_token, idKey)).rejects.toThrow();
  });

  test('accessTokenAlgorithm RS256: access tokens signed RS256 with a second RSA key, accepted at userinfo', async () => {
    const rsa = await startTestProvider({ autoApprove: true, accessTokenAlgorithm: 'RS256' });
    try {
      const pkce = pkcePair();
      const { location } = await authorizeAtOnce(rsa, { code_challenge: pkce.challenge, code_challenge_method: 'S256' });
      const form = { grant_type: 'authorization_code', code: location!.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier };
      const tokens = (await postForm(`${rsa.issuer}/token`, form, { authorization: basic('demo-app', 'demo-secret') })).body;
      expect(headerOf(tokens.access_token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      expect(headerOf(tokens.access_token).kid).not.toBe(headerOf(tokens.id_token).kid);
      expect((await publicKeys(rsa.issuer)).map((key) => key.alg)).toEqual(['RS256', 'RS256']);
      expect((await userinfo(rsa.issuer, tokens.access_token)).status).toBe(200);
      expect((await userinfo(rsa.issuer, tokens.id_token)).status).toBe(401);
    } finally {
      await rsa.close();
    }
  });

  test('userinfo refuses an ID token', async () => {
    const { code, verifier } = await freshCode();
    const tokens = (await redeem(code, verifier)).body;
    const response = await userinfo(auto.issuer, tokens.id_token);
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_token');
    expect(response.body.error_description).toContain('this is an ID token, not an access token');
    expect(response.wwwAuthenticate).toMatch(/^Bearer realm="Mock Google", error="invalid_token"/);
  });

  test('userinfo answers per scope, by GET or POST, and asks for a token when none is sent', async () => {
    const { code, verifier } = await freshCode({ scope: 'openid' });
    const tokens = (await redeem(code, verifier)).body;
    expect((await userinfo(auto.issuer, tokens.access_token)).body).toEqual({ sub: '104392857361829475620' });
    const posted = await postForm(`${auto.issuer}/userinfo`, { access_token: tokens.access_token });
    expect(posted.body).toEqual({ sub: '104392857361829475620' });
    const none = await fetch(`${auto.issuer}/userinfo`);
    expect(none.status).toBe(401);
    // Either scheme works here: both challenges, DPoP's with the algorithms it accepts (RFC 9449 §7.1).
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="Mock Google", DPoP algs="ES256 ES384 ES512 RS256 RS384 RS512 PS256 PS384 PS512 EdDSA Ed25519"');
  });

  test('a client_credentials token (no openid) gets 403 insufficient_scope at userinfo', async () => {
    const tokens = (await postForm(`${auto.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic('demo-app', 'demo-secret') })).body;
    const response = await userinfo(auto.issuer, tokens.access_token);
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('insufficient_scope');
  });

  test('refresh tokens only with offline_access; rotated; reusing an old one revokes the chain', async () => {
    const { code, verifier } = await freshCode({ scope: 'openid offline_access' });
    const first = (await redeem(code, verifier)).body;
    expect(first.refresh_token).toBeDefined();
    const refresh = (token: string) => postForm(`${auto.issuer}/token`, { grant_type: 'refresh_token', refresh_token: token }, { authorization: basic('demo-app', 'demo-secret') });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    expect(reuse.body.error_description).toContain('already used');
    // The whole chain is gone: the newest refresh token and the newest access token too.
    expect((await refresh(second.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await userinfo(auto.issuer, second.body.access_token)).status).toBe(401);
  });

  test('the same refresh token sent twice at once: one rotation, the other is a reuse that revokes the chain', async () => {
    const { code, verifier } = await freshCode({ scope: 'openid offline_access' });
    const first = (await redeem(code, verifier)).body;
    const refresh = (token: string) => postForm(`${auto.issuer}/token`, { grant_type: 'refresh_token', refresh_token: token }, { authorization: basic('demo-app', 'demo-secret') });
    const answers = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    const rotated = answers.find((answer) => answer.status === 200)!.body;
    // The rotation was recorded before its tokens were signed: the revocation reaches them too.
    expect(await refresh(rotated.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'The refresh token was revoked.' } });
    expect((await userinfo(auto.issuer, rotated.access_token)).status).toBe(401);
  });

  test('a rotated refresh token introspects as inactive, and revoking it still ends its sign-in (RFC 7009 §2.1)', async () => {
    const { code, verifier } = await freshCode({ scope: 'openid offline_access' });
    const first = (await redeem(code, verifier)).body;
    const app = { authorization: basic('demo-app', 'demo-secret') };
    const second = (await postForm(`${auto.issuer}/token`, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, app)).body;
    const introspect = async (token: string) => (await postForm(`${auto.issuer}/introspect`, { token }, app)).body.active;
    expect([await introspect(first.refresh_token), await introspect(second.refresh_token)]).toEqual([false, true]);
    expect((await postForm(`${auto.issuer}/revoke`, { token: first.refresh_token }, app)).status).toBe(200);
    expect(await introspect(second.refresh_token)).toBe(false);
    expect((await userinfo(auto.issuer, second.access_token)).status).toBe(401);
  });

  test('introspection needs client authentication and says whether a token is active', async () => {
    const { code, verifier } = await freshCode();
    const tokens = (await redeem(code, verifier)).body;
    const anonymous = await postForm(`${auto.issuer}/introspect`, { token: tokens.access_token });
    expect(anonymous.status).toBe(401);
    const publicClient = await postForm(`${auto.issuer}/introspect`, { token: tokens.access_token, client_id: 'demo-spa' });
    expect(publicClient.status).toBe(401);
    const active = await postForm(`${auto.issuer}/introspect`, { token: tokens.access_token }, { authorization: basic('demo-app', 'demo-secret') });
    expect(active.body).toMatchObject({ active: true, client_id: 'demo-app', token_type: 'Bearer', username: 'asha@example.com' });
    const inactive = await postForm(`${auto.issuer}/introspect`, { token: 'not-a-token' }, { authorization: basic('demo-app', 'demo-secret') });
    expect(inactive.body).toEqual({ active: false });
  });

  test('revocation: an access token stops working; an unknown token is not an error; another client cannot revoke', async () => {
    const { code, verifier } = await freshCode();
    const tokens = (await redeem(code, verifier)).body;
    const byOther = await postForm(`${auto.issuer}/revoke`, { token: tokens.access_token, client_id: 'demo-spa' });
    expect(byOther.status).toBe(400);
    expect(byOther.body.error).toBe('unauthorized_client');
    const revoked = await postForm(`${auto.issuer}/revoke`, { token: tokens.access_token }, { authorization: basic('demo-app', 'demo-secret') });
    expect(revoked.status).toBe(200);
    expect((await userinfo(auto.issuer, tokens.access_token)).status).toBe(401);
    expect((await postForm(`${auto.issuer}/revoke`, { token: 'nonsense' }, { authorization: basic('demo-app', 'demo-secret') })).status).toBe(200);
  });
});

describe('client authentication and errors (RFC 6749 §5.2)', () => {
  test.each([
    ['a wrong secret', { authorization: basic('demo-app', 'wrong') }, {}],
    ['an unknown client', { authorization: basic('nobody', 'x') }, {}],
    ['no authentication at all', {}, {}],
    ['a confidential client without its secret', {}, { client_id: 'demo-app' }],
    ['a wrong secret in the body', {}, { client_id: 'demo-app', client_secret: 'nope' }],
  ])('%s: 401 invalid_client with WWW-Authenticate', async (_name, headers, form) => {
    const response = await postForm(`${auto.issuer}/token`, { grant_type: 'client_credentials', ...form }, headers);
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Mock Google", charset="UTF-8"');
  });

  test('client_secret_post works', async () => {
    const response = await postForm(`${auto.issuer}/token`, { grant_type: 'client_credentials', client_id: 'demo-app', client_secret: 'demo-secret' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  test.each([
    [{ grant_type: 'password', username: 'a', password: 'b' }, 'unsupported_grant_type'],
    [{ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }, 'unsupported_grant_type'],
    [{}, 'invalid_request'],
  ])('%j → %s', async (form, error) => {
    const response = await postForm(`${auto.issuer}/token`, form, { authorization: basic('demo-app', 'demo-secret') });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body)).toEqual(['error', 'error_description']);
    expect(response.body.error).toBe(error);
  });

  test('secrets are compared in constant time (hash, then timingSafeEqual)', () => {
    expect(secretsEqual('demo-secret', 'demo-secret')).toBe(true);
    expect(secretsEqual('demo-secre', 'demo-secret')).toBe(false);
    expect(secretsEqual('', 'demo-secret')).toBe(false);
  });

  test('a parameter sent twice is invalid_request', async () => {
    const response = await fetch(`${auto.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('demo-app', 'demo-secret') }, body: 'grant_type=client_credentials&grant_type=client_credentials' });
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  test('unknown paths are 404 and wrong methods 405, as JSON', async () => {
    expect((await fetch(`${auto.issuer}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${auto.issuer}/token`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('limits', () => {
  test('a body over 64 KiB is refused with 413', async () => {
    const response = await postForm(`${auto.issuer}/token`, { grant_type: 'client_credentials', padding: 'x'.repeat(70_000) }, { authorization: basic('demo-app', 'demo-secret') });
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('invalid_request');
  });

  test('pending sign-ins have a ceiling: past it, the oldest is forgotten instead of growing memory or refusing', async () => {
    const small = await startTestProvider({ maxPendingSignIns: 3 });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 5; index++) statuses.push((await fetch(authorizeUrl(small, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(small.state.interactions.size).toBe(3);
    } finally {
      await small.close();
    }
  });

  test('a client that never finishes its headers is cut off', async () => {
    const slow = await startTestProvider({ timeouts: { headersMs: 300 } });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(slow.port, '127.0.0.1', () => socket.write('GET /jwks HTTP/1.1\r\nHost: x\r\n'));
        let received = '';
        socket.on('data', (chunk) => (received += chunk));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
        setTimeout(() => reject(new Error('the server kept the connection open')), 5_000);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await slow.close();
    }
  });
});

describe('logout (RP-initiated)', () => {
  test('back to a registered post_logout_redirect_uri with state; an unregistered one gets an error page', async () => {
    const { code, verifier } = await freshCode();
    const tokens = (await redeem(code, verifier)).body;
    const ok = await fetch(`${auto.issuer}/logout?id_token_hint=${tokens.id_token}&post_logout_redirect_uri=${encodeURIComponent('http://127.0.0.1:3000/')}&state=bye`, { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('http://127.0.0.1:3000/?state=bye');
    const evil = await fetch(`${auto.issuer}/logout?client_id=demo-app&post_logout_redirect_uri=${encodeURIComponent('http://evil.example/')}`, { redirect: 'manual' });
    expect(evil.status).toBe(400);
    expect(evil.headers.get('location')).toBeNull();
  });
});

describe('OAuth rules of issue #10', () => {
  test('client_credentials grants only the scopes registered for the client; without scope, all of them', async () => {
    const ask = (scope?: string) => postForm(`${auto.issuer}/token`, { grant_type: 'client_credentials', ...(scope !== undefined ? { scope } : {}) }, { authorization: basic('demo-app', 'demo-secret') });
    const refused = await ask('admin root');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'invalid_scope', error_description: "'admin', 'root' are not registered for demo-app; with client_credentials it may ask for orders:read orders:write." });
    expect((await ask('orders:read')).body.scope).toBe('orders:read');
    expect((await ask()).body.scope).toBe('orders:read orders:write');
    expect((await ask('')).body.error).toBe('invalid_scope');
    expect((await ask('openid')).body.error_description).toBe('client_credentials acts for the app itself, with no user: openid cannot be granted.');
  });

  test('a client_credentials token names the app and carries no user sign-in (no auth_time, no sid)', async () => {
    const tokens = (await postForm(`${auto.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic('demo-app', 'demo-secret') })).body;
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: 'demo-app', client_id: 'demo-app', scope: 'orders:read orders:write' });
    expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
    const revoked = await postForm(`${auto.issuer}/revoke`, { token: tokens.access_token }, { authorization: basic('demo-app', 'demo-secret') });
    expect(revoked.status).toBe(200);
    const introspected = await postForm(`${auto.issuer}/introspect`, { token: tokens.access_token }, { authorization: basic('demo-app', 'demo-secret') });
    expect(introspected.body).toEqual({ active: false });
  });

  test('a code replayed by another client revokes the tokens of its first redemption', async () => {
    const { code, verifier } = await freshCode();
    const first = await redeem(code, verifier);
    expect(first.status).toBe(200);
    const replay = await postForm(`${auto.issuer}/token`, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: 'demo-spa' });
    expect(replay.status).toBe(400);
    expect(replay.body.error_description).toBe('The authorization code was already used. Codes are single use; every token issued from it is now revoked (RFC 6749 section 4.1.2).');
    expect((await userinfo(auto.issuer, first.body.access_token)).status).toBe(401);
  });

  test("introspection answers active: false for another client's tokens", async () => {
    const clients = [DEFAULT_CLIENTS[0]!, { client_id: 'other-app', client_secret: 'other-secret', redirect_uris: ['http://127.0.0.1/callback'] }];
    const withTwo = await startTestProvider({ autoApprove: true, clients });
    try {
      const pkce = pkcePair();
      const { location } = await authorizeAtOnce(withTwo, { code_challenge: pkce.challenge, code_challenge_method: 'S256', scope: 'openid offline_access' });
      const form = { grant_type: 'authorization_code', code: location!.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier };
      const tokens = (await postForm(`${withTwo.issuer}/token`, form, { authorization: basic('demo-app', 'demo-secret') })).body;
      const introspect = async (token: string, client: string) => (await postForm(`${withTwo.issuer}/introspect`, { token }, { authorization: client })).body;
      expect(await introspect(tokens.access_token, basic('other-app', 'other-secret'))).toEqual({ active: false });
      expect(await introspect(tokens.refresh_token, basic('other-app', 'other-secret'))).toEqual({ active: false });
      expect((await introspect(tokens.access_token, basic('demo-app', 'demo-secret'))).active).toBe(true);
      expect((await introspect(tokens.refresh_token, basic('demo-app', 'demo-secret'))).active).toBe(true);
    } finally {
      await withTwo.close();
    }
  });

  test('a refresh with an empty scope is refused with invalid_scope, not granted an empty scope', async () => {
    const { code, verifier } = await freshCode({ scope: 'openid email offline_access' });
    const first = (await redeem(code, verifier)).body;
    const refresh = (form: Record<string, string>) => postForm(`${auto.issuer}/token`, { grant_type: 'refresh_token', refresh_token: first.refresh_token, ...form }, { authorization: basic('demo-app', 'demo-secret') });
    const empty = await refresh({ scope: '' });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ error: 'invalid_scope', error_description: 'scope is present but empty; leave it out to keep the scope granted, or name the scopes you want.' });
    const kept = await refresh({});
    expect(kept.body.scope).toBe('openid email offline_access');
  });
});

describe('the clients file: an optional "scopes" list for client_credentials', () => {
  async function load(client: Record<string, unknown>) {
    const directory = mkdtempSync(join(tmpdir(), 'clients-'));
    const path = join(directory, 'clients.json');
    writeFileSync(path, JSON.stringify({ clients: [{ client_id: 'api-job', client_secret: 's', redirect_uris: ['http://127.0.0.1/cb'], ...client }] }));
    try {
      return await loadClients(path);
    } finally {
      rmSync(directory, { recursive: true });
    }
  }

  test('read when present, absent otherwise', async () => {
    expect((await load({ scopes: ['orders:read', 'https://api.example/write'] }))[0]!.scopes).toEqual(['orders:read', 'https://api.example/write']);
    expect((await load({}))[0]!.scopes).toBeUndefined();
  });

  test.each([
    ['not a list', 'orders:read', '"scopes" must be a list of scope names, such as ["orders:read"].'],
    ['a space inside', ['orders read'], '"scopes" holds "orders read"; a scope is a non-empty word of printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3).'],
    ['not a string', [42], '"scopes" holds 42; a scope is a non-empty word'],
    ['a user scope', ['openid'], '"scopes" holds "openid", a user\'s scope;'],
    ['twice', ['a', 'a'], '"scopes" holds "a" twice.'],
  ])('refused with a clear error: %s', async (_name, scopes, message) => {
    await expect(load({ scopes })).rejects.toThrow(message);
    await expect(load({ scopes })).rejects.toMatchObject({ code: 'ERR_CONFIG_FILE' });
  });

  test('a misspelt field is refused, with the field it looks like', async () => {
    await expect(load({ scope: ['orders:read'] })).rejects.toThrow('clients[0]: "scope" is not a client field; did you mean "scopes"?');
    await expect(load({ colour: 'blue' })).rejects.toThrow('"colour" is not a client field. A client has client_id, client_secret');
  });

  test('a public client cannot have scopes: client_credentials needs a secret or keys', async () => {
    await expect(load({ client_secret: undefined, scopes: ['orders:read'] })).rejects.toThrow('"scopes" are for client_credentials, which only a confidential client (one with a client_secret or a jwks) may use.');
  });
});
