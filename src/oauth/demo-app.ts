// "Swaad", a small food-ordering web app with a "Login with Google" button: the OAuth client of
// the demo. It makes state, nonce and a PKCE pair, checks state and iss on the way back, swaps the
// code for tokens, verifies the ID token with the same core as `verify`, calls userinfo, and checks
// that userinfo speaks of the same user as the ID token. With DPoP, its tokens are bound to a key it holds.

import { createHash, randomBytes, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoverIssuer } from '../jwt/remote-keys.js';
import { verifyToken, type VerifyResult } from '../jwt/verify.js';
import { newCodeVerifier, s256Challenge } from '../protocol/pkce.js';
import { escapeHtml } from '../text/html.js';
import { authorizationUrl, tokensIn } from './client-protocol.js';
import { dpopProof, newDpopKey, tokenHeaders } from './dpop-client.js';
import { UserAgent, type RecordedExchange } from './user-agent.js';

/** The app registered no other algorithm, so it accepts ID tokens signed RS256 and nothing else. */
const EXPECTED_ID_TOKEN_ALGORITHM = 'RS256';

export interface LoginStarted {
  state: string;
  nonce: string;
  codeVerifier: string;
  codeChallenge: string;
  authorizationUrl: string;
}

export type AppEvent =
  | { kind: 'login-started'; login: LoginStarted }
  | { kind: 'callback-received'; url: string }
  /** A callback this browser session did not ask for; refused, and the sign-in goes on waiting. */
  | { kind: 'callback-not-ours'; why: string; defence: string; reference: string; parameters: Array<[name: string, value: string]> }
  | { kind: 'callback-rejected'; reason: string; defence: string; reference: string }
  | { kind: 'denied'; error: string; description: string }
  | { kind: 'token-exchange'; exchange: RecordedExchange }
  | { kind: 'id-token-verified'; verification: VerifyResult; nonceMatches: boolean }
  /** idTokenSub and userinfoSub must be equal (OIDC Core §5.3.2); the app refuses the sign-in when not. */
  | { kind: 'userinfo'; exchange: RecordedExchange; idTokenSub: string; userinfoSub: unknown }
  | { kind: 'signed-in'; name: string; email: string }
  | { kind: 'failed'; message: string };

export interface DemoApp {
  url: string;
  redirectUri: string;
  /** With `dpop`: the public half of the key pair the app made at start (RFC 9449); the private key never leaves the app. */
  dpop?: { publicJwk: JsonWebKey; jkt: string };
  close(): Promise<void>;
}

interface Session {
  state: string;
  nonce: string;
  codeVerifier: string;
}

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:560px;margin:48px auto;padding:0 16px;color:#222}h1{color:#b3261e}a.button{display:inline-block;background:#fff;border:1px solid #999;border-radius:4px;padding:10px 18px;color:#222;text-decoration:none;font-weight:600}.note{color:#555;font-size:14px}.ok{background:#e6f4ea;padding:12px;border-radius:8px}.bad{background:#fce8e6;padding:12px;border-radius:8px}';

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – Swaad (demo app)</title><style>${STYLE}</style></head><body><h1>Swaad</h1><p class="note">A demo food-ordering app on your computer: the OAuth client in this lesson.</p>${body}</body></html>`;
}

const random = () => randomBytes(32).toString('base64url');

/** Anyone can send /login and /callback requests here; these keep what the app remembers of them small. */
const MAX_SESSIONS = 1000;
const MAX_PARAMETERS_KEPT = 8;
const MAX_PARAMETER_LENGTH_KEPT = 200;

/** Swaad uses PKCE too, so a foreign code would fail at the token endpoint anyway; the state check refuses it first. */
const STATE_DEFENCE = { defence: 'state check: an answer to a sign-in this browser did not start is refused before its code is used; PKCE would make a code from another sign-in fail too (CSRF)', reference: 'RFC 9700 §4.7.1, §4.5' };

/** Why a callback does not belong to a sign-in this browser started, or undefined when it does. */
function whyNotOurs(session: Session | undefined, state: string | null): string | undefined {
  if (!session) return state === null ? 'no state, and this browser never started a sign-in here' : 'this browser never started a sign-in here';
  if (state === null) return 'no state, but this browser\'s sign-in sent one';
  return state === session.state ? undefined : 'its state is not the one this browser\'s sign-in sent';
}

/** Starts Swaad on a loopback port; with `dpop`, it makes a key pair first and binds its tokens to it (RFC 9449). */
export async function startDemoApp(options: { issuer: string; clientId: string; clientSecret: string; onEvent: (event: AppEvent) => void; onBackChannel?: (exchange: RecordedExchange) => void; dpop?: boolean }): Promise<DemoApp> {
  const sessions = new Map<string, Session>();
  // The key pair is made once, as the server starts; only its public half is ever sent (in each proof).
  const dpopKey = options.dpop ? await newDpopKey() : undefined;
  const backChannel = new UserAgent(options.onBackChannel);
  const discovered = await discoverIssuer(options.issuer);
  const metadata = discovered.metadata as Record<string, string>;
  let redirectUri = '';
  const emit = options.onEvent;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: Error) => {
      // A callback reports its own failures, once it is known to be ours; this is for / and /login.
      emit({ kind: 'failed', message: error.message });
      if (!response.headersSent) send(response, 500, page('Something went wrong', `<p class="bad">${escapeHtml(error.message)}</p>`));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A request target that is not a URL (`//a:b:c/`, `http://[/`) is nobody's sign-in.
    if (!URL.canParse(request.url ?? '/', redirectUri)) return send(response, 400, page('Bad request', '<p>That is not an address this app serves.</p>'));
    const url = new URL(request.url ?? '/', redirectUri);
    if (url.pathname === '/') {
      return send(response, 200, page('Welcome', '<p>Hungry? Sign in to order.</p><p><a class="button" href="/login">Login with Google</a></p><p class="note">"Google" here is Mock Google, a local simulation.</p>'));
    }
    if (url.pathname === '/login') {
      // Step 1: a fresh one-time state (ties the answer to this sign-in), nonce (ties the ID token to
      // it) and PKCE pair (binds the code to it), kept here on the server, in a session the cookie names.
      const session: Session = { state: random(), nonce: random(), codeVerifier: newCodeVerifier() };
      const sessionId = random();
      sessions.set(sessionId, session);
      // The oldest unfinished sign-in makes room; its browser gets "not ours" and can start again.
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      const codeChallenge = s256Challenge(session.codeVerifier);
      const location = authorizationUrl(metadata.authorization_endpoint!, { clientId: options.clientId, redirectUri, scope: 'openid profile email', state: session.state, nonce: session.nonce, codeChallenge });
      emit({ kind: 'login-started', login: { state: session.state, nonce: session.nonce, codeVerifier: session.codeVerifier, codeChallenge, authorizationUrl: location } });
      response.writeHead(302, { location, 'set-cookie': `swaad_session=${sessionId}; Path=/; HttpOnly; SameSite=Lax`, 'cache-control': 'no-store' });
      return void response.end();
    }
    if (url.pathname === '/callback') return callback(request, response, url);
    send(response, 404, page('Not found', '<p>Nothing here.</p>'));
  }

  function reject(response: ServerResponse, reason: string, defence: string, reference: string): void {
    emit({ kind: 'callback-rejected', reason, defence, reference });
    send(response, 400, page('Sign-in refused', `<p class="bad">${escapeHtml(reason)}</p><p class="note">${escapeHtml(defence)} (${escapeHtml(reference)}). You can return to the terminal.</p>`));
  }

  async function callback(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const sessionId = /(?:^|;\s*)swaad_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    const session = sessionId ? sessions.get(sessionId) : undefined;
    const parameters = url.searchParams;
    // State ties the response to this browser's own sign-in. Anyone can send a request here,
    // so one that does not carry this session's state is refused for that request alone: the
    // sign-in it would have spoiled goes on, and its real answer still counts.
    const notOurs = whyNotOurs(session, parameters.get('state'));
    if (notOurs) {
      const kept = [...parameters].slice(0, MAX_PARAMETERS_KEPT).map(([name, value]): [string, string] => [name.slice(0, MAX_PARAMETER_LENGTH_KEPT), value.slice(0, MAX_PARAMETER_LENGTH_KEPT)]);
      emit({ kind: 'callback-not-ours', why: notOurs, ...STATE_DEFENCE, parameters: kept });
      return send(response, 400, page('Sign-in refused', `<p class="bad">This answer does not belong to a sign-in started in this browser: ${escapeHtml(notOurs)}.</p><p class="note">${escapeHtml(STATE_DEFENCE.defence)} (${escapeHtml(STATE_DEFENCE.reference)}).</p>`));
    }
    // The state is used once: from here on, this answer ends this browser's sign-in.
    sessions.delete(sessionId!);
    emit({ kind: 'callback-received', url: url.href });
    try {
      await finishSignIn(response, parameters, session!);
    } catch (error) {
      emit({ kind: 'failed', message: (error as Error).message });
      if (!response.headersSent) send(response, 500, page('Something went wrong', `<p class="bad">${escapeHtml((error as Error).message)}</p>`));
    }
  }

  async function finishSignIn(response: ServerResponse, parameters: URLSearchParams, session: Session): Promise<void> {
    // RFC 9207: the response must come from the provider this login was started with (mix-up attacks).
    if (parameters.get('iss') !== options.issuer) {
      return reject(response, `The response names issuer ${JSON.stringify(parameters.get('iss'))}, but this login was started with ${options.issuer}.`, 'iss check: a response from another provider is refused, the mix-up defence', 'RFC 9207, RFC 9700 §4.4');
    }
    const error = parameters.get('error');
    if (error) {
      emit({ kind: 'denied', error, description: parameters.get('error_description') ?? '' });
      return send(response, 200, page('Not signed in', `<p class="bad">You did not allow Swaad to sign you in (${escapeHtml(error)}).</p><p>You can return to the terminal.</p>`));
    }
    const code = parameters.get('code') ?? '';
    // Step 5: the back channel. The code, the redirect_uri and the PKCE verifier go to the token endpoint, with the app's own
    // credentials: a shared secret (client_secret_basic) for simplicity, where RFC 9700 §2.5 recommends private_key_jwt or mTLS.
    // With DPoP, a proof made for this request goes along: the tokens are bound to the app's key (RFC 9449 §5).
    const tokenExchange = await backChannel.request('POST', metadata.token_endpoint!, {
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: session.codeVerifier },
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`,
        accept: 'application/json',
        ...(dpopKey && { dpop: await dpopProof(dpopKey, 'POST', metadata.token_endpoint!) }),
      },
    });
    emit({ kind: 'token-exchange', exchange: tokenExchange });
    if (tokenExchange.response.status !== 200) {
      return reject(response, `The token endpoint refused the code: ${tokenExchange.response.body}`, 'the provider checks the code, the client, the redirect_uri and PKCE', 'RFC 6749 §4.1.3, RFC 7636 §4.6');
    }
    const tokens = tokensIn(tokenExchange);
    // Step 6: the ID token is checked like any JWT (signature with the provider's keys, iss, aud, exp), plus the nonce.
    // The algorithm is pinned to RS256, the one an app expects unless it registered another (OIDC Core §3.1.3.7),
    // and typ to the JWT that Mock Google's ID tokens carry, so an access token (at+jwt) never passes for one.
    const verification = await verifyToken(tokens.id_token, { keys: discovered.keys, algorithms: [EXPECTED_ID_TOKEN_ALGORITHM], tokenType: 'JWT', issuer: options.issuer, audience: [options.clientId], clockTolerance: 0, now: Math.floor(Date.now() / 1000) });
    const idClaims = typeof verification.payload === 'object' ? verification.payload : {};
    const nonceMatches = idClaims.nonce === session.nonce;
    emit({ kind: 'id-token-verified', verification, nonceMatches });
    if (!verification.valid || !nonceMatches) {
      return reject(response, verification.valid ? 'The ID token carries another nonce.' : `The ID token is not valid: ${verification.verdict}`, 'ID token validation', 'OIDC Core §3.1.3.7');
    }
    // Step 7: the access token is for the API (userinfo), not for the app to read.
    const userinfo = await backChannel.request('GET', metadata.userinfo_endpoint!, { headers: { ...(await tokenHeaders(tokens.access_token, dpopKey, 'GET', metadata.userinfo_endpoint!)), accept: 'application/json' } });
    const idTokenSub = String(idClaims.sub);
    const profile = (userinfo.response.status === 200 ? JSON.parse(userinfo.response.body) : {}) as { sub?: unknown; name?: string; email?: string };
    emit({ kind: 'userinfo', exchange: userinfo, idTokenSub, userinfoSub: profile.sub });
    if (userinfo.response.status !== 200) {
      return reject(response, `The userinfo endpoint refused the access token: ${userinfo.response.status} ${userinfo.response.body}`, 'the API checks the access token', 'RFC 6750 §3.1');
    }
    // The answer must be about the user who signed in: userinfo's sub is the ID token's (OIDC Core §5.3.2).
    if (profile.sub !== idTokenSub) {
      return reject(response, `The userinfo answer is about sub ${JSON.stringify(profile.sub)}, but the ID token's sub is ${JSON.stringify(idTokenSub)}.`, 'userinfo sub check: the answer must be about the user the ID token names', 'OIDC Core §5.3.2');
    }
    emit({ kind: 'signed-in', name: profile.name ?? idTokenSub, email: profile.email ?? '' });
    send(response, 200, page('Signed in', `<p class="ok">Welcome, ${escapeHtml(profile.name ?? 'friend')}! You are signed in to Swaad as ${escapeHtml(profile.email ?? '')}.</p><p><strong>You can return to the terminal.</strong></p><p class="note">Swaad never saw your password: it got a one-time code, then tokens.</p>`));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redirectUri = `${base}/callback`;
  return {
    url: base,
    redirectUri,
    ...(dpopKey && { dpop: { publicJwk: dpopKey.publicJwk, jkt: dpopKey.jkt } }),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; frame-ancestors 'none'`,
    'cache-control': 'no-store',
  });
  response.end(html);
}
