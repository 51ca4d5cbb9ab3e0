// Two flows at the token endpoint, step by step: client credentials (a backend service gets a
// token for itself, RFC 6749 §4.4) and refresh (a refresh token used and rotated, RFC 6749 §6,
// RFC 9700 §4.14.2), each with every HTTP exchange.

import { randomBytes } from 'node:crypto';
import { decodeToken } from '../jwt/decode.js';
import { DEFAULT_USERS } from '../provider/directory.js';
import { newCodeVerifier, s256Challenge } from '../protocol/pkce.js';
import { authorizationUrl, jsonBodyOf, type AnyTokenResponse } from './client-protocol.js';
import { tokenHeaders, type DpopKey } from './dpop-client.js';
import { shorten } from './flow.js';
import { startOrdersApi } from './orders-api.js';
import { stepsOf, type CheckTable, type Narrator, type Outcome, type Party, type ShownExchange, type Step } from './steps.js';
import { signInAtProvider, type RecordedExchange, type UserAgent } from './user-agent.js';
import { DEMO_CLIENT, type DemoWorld } from './world.js';

const CLIENT_BASIC = `Basic ${Buffer.from(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).toString('base64')}`;
const JSON_ACCEPT = { accept: 'application/json' };

type TokenAnswer = AnyTokenResponse;

/** The token endpoint's answer, read as JSON (refresh_token and id_token only when issued). */
export function tokenAnswer(exchange: RecordedExchange): TokenAnswer {
  return jsonBodyOf<TokenAnswer>(exchange);
}

/** A POST to the token endpoint as Swaad's server (client_secret_basic). */
export function tokenEndpoint(world: DemoWorld, agent: UserAgent, form: Record<string, string>): Promise<RecordedExchange> {
  return agent.request('POST', `${world.provider.issuer}/token`, { form, headers: { authorization: CLIENT_BASIC, ...JSON_ACCEPT } });
}

/** A GET of userinfo with `accessToken` as a Bearer token; with `dpopKey`, as a DPoP token with a proof by that key carrying the token's hash (ath). */
export async function callUserinfo(world: DemoWorld, agent: UserAgent, accessToken: string, dpopKey?: DpopKey): Promise<RecordedExchange> {
  const url = `${world.provider.issuer}/userinfo`;
  return agent.request('GET', url, { headers: { ...(await tokenHeaders(accessToken, dpopKey, 'GET', url)), ...JSON_ACCEPT } });
}

/**
 * Asha signs in to Swaad with offline_access, quietly: the code flow of `--flow code`, played by a
 * browser that is not shown (its exchanges are in the transcript); the app's token exchange is returned, with the refresh token in it.
 */
export async function signInWithRefreshToken(world: DemoWorld, app: UserAgent): Promise<RecordedExchange> {
  const verifier = newCodeVerifier();
  const url = authorizationUrl(`${world.provider.issuer}/authorize`, { clientId: DEMO_CLIENT.id, redirectUri: world.app.redirectUri, scope: 'openid profile email offline_access', state: randomBytes(16).toString('base64url'), nonce: randomBytes(16).toString('base64url'), codeChallenge: s256Challenge(verifier) });
  const asha = DEFAULT_USERS[0]!;
  const signedIn = await signInAtProvider(world.agent('the browser (quiet sign-in)'), url, { email: asha.email, password: asha.password, allow: true });
  const code = signedIn.callbackUrl ? new URL(signedIn.callbackUrl).searchParams.get('code') : null;
  if (!code) throw new Error(`The quiet sign-in did not come back with a code (${signedIn.errorPage?.status ?? 'no answer'}).`);
  return tokenEndpoint(world, app, { grant_type: 'authorization_code', code, redirect_uri: world.app.redirectUri, code_verifier: verifier });
}

function decodedTokens(label: string, token: string, now: number): NonNullable<Step['tokens']>[number] {
  const decoded = decodeToken(token, now);
  return { label, token, claims: decoded.payload as Record<string, unknown>, header: decoded.header ?? {} };
}

// ---- Client credentials -----------------------------------------------------------------------

export const CLIENT_CREDENTIALS_STEPS = 4;
const SERVICE_LANES: Party[] = ['service', 'provider', 'orders'];

const serviceStep = stepsOf(CLIENT_CREDENTIALS_STEPS, SERVICE_LANES);

const service = (exchange: RecordedExchange): ShownExchange => ({ who: 'the backend service (Swaad\'s back office)', exchange });

/** The client-credentials flow: a token for the service itself, what it lacks and why, the orders API, userinfo. */
export async function runClientCredentialsFlow(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const agent = world.agent('the backend service');
  const asked = await tokenEndpoint(world, agent, { grant_type: 'client_credentials', scope: 'orders:read orders:write' });
  narrator.show(serviceStep(1, 'The service asks for a token for itself', {
    text: [
      'Swaad\'s back office, a server job that updates orders, calls another API with no user involved: nobody signs in and nothing goes through a browser. It asks the token endpoint with grant_type=client_credentials for the scopes registered for it (RFC 6749 §4.4).',
      'Only a confidential client may do this: it proves who it is with its client secret (HTTP Basic). A shared secret keeps the demo simple; RFC 9700 §2.5 recommends asymmetric client authentication (private_key_jwt, or mTLS).',
    ],
    arrows: [
      { from: 'service', to: 'provider', label: 'POST /token client_credentials' },
      { from: 'provider', to: 'service', label: `${asked.response.status} {access_token}` },
    ],
    exchanges: [service(asked)],
  }));
  await narrator.pause();
  if (asked.response.status !== 200) return { ok: false, summary: `The token endpoint refused: ${asked.response.status} ${asked.response.body}` };
  const tokens = tokenAnswer(asked);
  const now = Math.floor(world.clock.nowMs() / 1000);
  const decoded = decodedTokens('Access token (for the orders API)', tokens.access_token, now);
  const lacks: CheckTable = {
    heading: 'What the answer has, and has not:',
    rows: [
      { ok: decoded.claims.sub === DEMO_CLIENT.id, result: decoded.claims.sub === DEMO_CLIENT.id ? 'sub = client_id' : 'another sub', detail: `sub is ${JSON.stringify(decoded.claims.sub)}: the token speaks for the app itself` },
      { ok: tokens.refresh_token === undefined, result: tokens.refresh_token === undefined ? 'no refresh token' : 'a refresh token', detail: 'RFC 6749 §4.4.3: a refresh token SHOULD NOT be included' },
      { ok: tokens.id_token === undefined, result: tokens.id_token === undefined ? 'no ID token' : 'an ID token', detail: 'an ID token says who signed in, and nobody did' },
    ],
  };
  narrator.show(serviceStep(2, 'No user, no refresh token, no ID token', {
    text: [
      'The access token\'s sub is the client_id, demo-app: the token speaks for the app, not for a person. It has no auth_time and no sid, since nobody signed in (RFC 9068 §2.2).',
      'There is no refresh token (RFC 6749 §4.4.3): the service can ask for a new token whenever this one runs out, with the same credentials, so a long-lived refresh token would only be one more secret to lose. And there is no ID token: an ID token tells an app who signed in (OpenID Connect), and no one did.',
    ],
    tokens: [decoded],
    checks: [lacks],
    arrows: [{ from: 'service', to: 'service', label: 'read the token response' }],
  }));
  await narrator.pause();

  const audience = String(decoded.claims.aud);
  const api = await startOrdersApi({ issuer: world.provider.issuer, audience, now: world.clock.nowMs });
  let orders: RecordedExchange;
  try {
    orders = await agent.request('GET', `${api.url}/orders`, { headers: { authorization: `Bearer ${tokens.access_token}`, ...JSON_ACCEPT } });
  } finally {
    await api.close();
  }
  narrator.show(serviceStep(3, 'The orders API checks the token and answers', {
    text: [
      'The service sends the access token as a Bearer token to the orders API, a small resource server the demo runs beside Mock Google. The API verifies the JWT itself, with the keys at /jwks: signature, typ at+jwt, iss, aud, exp; then it requires the scope orders:read.',
      `One thing is simplified: Mock Google gives every access token one audience, its own API (${audience}); it cannot name other APIs in aud (RFC 8707 resource indicators would). So this orders API accepts that audience and relies on the scope. A real orders API requires its own identifier in aud (RFC 9068 §4), so that a token meant for another API fails there.`,
    ],
    checks: api.lastChecks() ? [api.lastChecks()!] : [],
    arrows: [
      { from: 'service', to: 'orders', label: 'GET /orders Bearer <access token>' },
      { from: 'orders', to: 'service', label: `${orders.response.status} {orders}` },
    ],
    exchanges: [service(orders)],
  }));
  await narrator.pause();

  const userinfo = await callUserinfo(world, agent, tokens.access_token);
  narrator.show(serviceStep(4, 'The same token at userinfo: there is no user', {
    text: [
      'userinfo answers questions about a user, and this token has none: client_credentials cannot be granted openid, so Mock Google answers 403 insufficient_scope. An API that must know which user is asking needs a token from a user\'s sign-in (the code flow, or the device flow).',
      'To learn what such a token stands for without reading the JWT, a resource server can ask the provider (introspection, RFC 7662): active, sub, scope, client_id.',
    ],
    arrows: [
      { from: 'service', to: 'provider', label: 'GET /userinfo Bearer <access token>' },
      { from: 'provider', to: 'service', label: `${userinfo.response.status} insufficient_scope` },
    ],
    exchanges: [service(userinfo)],
  }));
  const ok = lacks.rows.every((row) => row.ok) && orders.response.status === 200 && userinfo.response.status === 403;
  return { ok, summary: ok ? `The back office got a token for itself (sub ${DEMO_CLIENT.id}, scope ${tokens.scope}), with no refresh token and no ID token; the orders API accepted it, userinfo did not.` : 'The client-credentials flow did not go as shown.' };
}

// ---- Refresh ----------------------------------------------------------------------------------

export const REFRESH_STEPS = 4;
export const REFRESH_LANES: Party[] = ['app', 'provider', 'api'];

const refreshStep = stepsOf(REFRESH_STEPS, REFRESH_LANES);

const app = (exchange: RecordedExchange): ShownExchange => ({ who: 'the app, server to server (back channel)', exchange });

/** The facts of a token answer that carries a refresh token. */
export function refreshFacts(tokens: TokenAnswer): Step['facts'] {
  return [
    { name: 'access_token', value: shorten(tokens.access_token), meaning: `for the API; lives ${tokens.expires_in} seconds` },
    { name: 'refresh_token', value: shorten(tokens.refresh_token ?? '(none)'), meaning: 'for the app alone: sent only to the token endpoint, never to an API' },
    { name: 'scope', value: tokens.scope, meaning: 'offline_access granted: a refresh token (OIDC Core §11)' },
  ];
}

/** The refresh flow: sign in with offline_access, refresh (rotation), use the new access token, the old refresh token no longer active. */
export async function runRefreshFlow(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const agent = world.agent('app');
  const first = await signInWithRefreshToken(world, agent);
  if (first.response.status !== 200) return { ok: false, summary: `The sign-in failed: ${first.response.status} ${first.response.body}` };
  const signedIn = tokenAnswer(first);
  narrator.show(refreshStep(1, 'Asha signs in once, with offline_access', {
    text: [
      'Asha signs in to Swaad with the code flow (`oauth --flow code` shows it step by step; here it runs quietly). This time the app also asks for offline_access, and gets a refresh token beside the access token: a credential for the app alone, kept on its server, sent only to the token endpoint and never to an API (RFC 6749 §1.5).',
    ],
    facts: refreshFacts(signedIn),
    arrows: [
      { from: 'app', to: 'provider', label: 'POST /token code + code_verifier + secret' },
      { from: 'provider', to: 'app', label: '200 {access_token, refresh_token, …}' },
    ],
    exchanges: [app(first)],
  }));
  await narrator.pause();

  const refreshed = await tokenEndpoint(world, agent, { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token! });
  if (refreshed.response.status !== 200) return { ok: false, summary: `The refresh failed: ${refreshed.response.status} ${refreshed.response.body}` };
  const renewed = tokenAnswer(refreshed);
  const rotated = renewed.refresh_token !== undefined && renewed.refresh_token !== signedIn.refresh_token;
  narrator.show(refreshStep(2, 'Later: the app refreshes, and the refresh token rotates', {
    text: [
      `Access tokens here live ${signedIn.expires_in / 60} minutes. When one runs out (the demo does not wait), the app sends its refresh token to the token endpoint, with its client credentials (RFC 6749 §6), and Asha does not have to sign in again.`,
      'The answer has a new access token, and a new refresh token too: Mock Google rotates the refresh token on every use. The app keeps the new one and forgets the old; if the old one ever comes back, two parties hold it, and Mock Google ends the whole sign-in (RFC 9700 §4.14.2).',
    ],
    facts: refreshFacts(renewed),
    checks: [{
      heading: 'What changed:',
      rows: [
        { ok: renewed.access_token !== signedIn.access_token, result: 'new access token', detail: 'issued now, with the scope of the sign-in' },
        { ok: rotated, result: rotated ? 'new refresh token' : 'same refresh token', detail: rotated ? 'rotated: the one sent is retired' : 'not rotated' },
      ],
    }],
    arrows: [
      { from: 'app', to: 'provider', label: 'POST /token refresh_token + secret' },
      { from: 'provider', to: 'app', label: '200 {access_token, refresh_token}' },
    ],
    exchanges: [app(refreshed)],
  }));
  await narrator.pause();

  const userinfo = await callUserinfo(world, agent, renewed.access_token);
  narrator.show(refreshStep(3, 'The new access token works at the API', {
    text: ['The app calls the API (userinfo, which Mock Google hosts, drawn here as an API of its own) with the new access token. The refresh token stays on the app\'s server.'],
    arrows: [
      { from: 'app', to: 'api', label: 'GET /userinfo Bearer <new access token>' },
      { from: 'api', to: 'app', label: `${userinfo.response.status} {sub, name, email}` },
    ],
    exchanges: [app(userinfo)],
  }));
  await narrator.pause();

  const introspect = (token: string) => agent.request('POST', `${world.provider.issuer}/introspect`, { form: { token, token_type_hint: 'refresh_token' }, headers: { authorization: CLIENT_BASIC, ...JSON_ACCEPT } });
  const oldOne = await introspect(signedIn.refresh_token!);
  const newOne = await introspect(renewed.refresh_token!);
  const active = (exchange: RecordedExchange) => exchange.response.status === 200 && jsonBodyOf<{ active?: boolean }>(exchange).active === true;
  narrator.show(refreshStep(4, 'The old refresh token is no longer good', {
    text: [
      'The app asks Mock Google about both refresh tokens (introspection, RFC 7662): the old one is no longer active, the new one is.',
      'The demo asks rather than sending the old one to the token endpoint: that would be a reuse, and Mock Google would refuse it with invalid_grant and revoke the whole sign-in, the new refresh token included. `oauth --attack refresh-reuse` shows that.',
    ],
    checks: [{
      heading: 'Introspection says:',
      rows: [
        { ok: !active(oldOne), result: active(oldOne) ? 'old: active' : 'old: not active', detail: `the refresh token from step 1 (${shorten(signedIn.refresh_token!, 6)})` },
        { ok: active(newOne), result: active(newOne) ? 'new: active' : 'new: not active', detail: `the refresh token from step 2 (${shorten(renewed.refresh_token!, 6)})` },
      ],
    }],
    arrows: [
      { from: 'app', to: 'provider', label: 'POST /introspect old, then new' },
      { from: 'provider', to: 'app', label: '200 {active: false}, {active: true}' },
    ],
    exchanges: [app(oldOne), app(newOne)],
  }));
  const ok = rotated && userinfo.response.status === 200 && !active(oldOne) && active(newOne);
  return { ok, summary: ok ? 'Refreshed: a new access token and a new refresh token (rotation); the old refresh token is no longer active.' : 'The refresh did not go as shown.' };
}
