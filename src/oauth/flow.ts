// The step-through "Login with Google": eight steps from the click to the recap, each tied to
// the real HTTP exchanges. The terminal can play the browser (UserAgent), or a real browser can.

import type { JSONWebKeySet } from 'jose';
import { decodeToken } from '../jwt/decode.js';
import { spanInWords } from '../jwt/time.js';
import { SCOPE_DESCRIPTIONS } from '../provider/directory.js';
import { jsonBodyOf, type AnyTokenResponse } from './client-protocol.js';
import { idTokenAtTheApi } from './cross-use.js';
import { bindingFacts, DPOP_KEY_ALGORITHM } from './dpop-client.js';
import type { CheckTable, Narrator, Outcome, ShownExchange, Step } from './steps.js';
import { formOf, type RecordedExchange, type UserAgent } from './user-agent.js';
import type { AppEvent } from './demo-app.js';
import { issuedTokens, lastEvent, WaitTimedOut, type DemoWorld } from './world.js';

export const TOTAL_STEPS = 8;

export function shorten(value: string, keep = 10): string {
  return value.length <= keep * 2 + 3 ? value : `${value.slice(0, keep)}…${value.slice(-keep)}`;
}

function step(number: number, title: string, parts: Partial<Step>): Step {
  return { number, total: TOTAL_STEPS, title, text: [], arrows: [], exchanges: [], ...parts };
}

const browser = (exchange: RecordedExchange): ShownExchange => ({ who: 'the browser', exchange });
const backChannel = (exchange: RecordedExchange): ShownExchange => ({ who: 'the app, server to server (back channel)', exchange });

export function stepOne(world: DemoWorld, exchange?: RecordedExchange): Step {
  const login = lastEvent(world, 'login-started')!.login;
  const dpop = world.app.dpop;
  return step(1, 'You click "Login with Google"', {
    text: [
      'The app does not ask for your password. It makes three random values, keeps them in its own session on its server (your browser holds only a cookie that names that session), and sends your browser to the provider with an authorization request.',
      ...(dpop ? [`With DPoP (RFC 9449), Swaad's server also holds a key pair, made when it started (${DPOP_KEY_ALGORITHM}, a P-256 key). The private key stays on the server and is never sent; the public key goes out in each proof the app signs. Its thumbprint, below as "DPoP key", is what the tokens will name in step 5.`] : []),
    ],
    facts: [
      { name: 'client_id', value: 'demo-app', meaning: 'which app is asking' },
      { name: 'redirect_uri', value: world.app.redirectUri, meaning: 'where the answer must go; the provider compares it with the addresses registered for this app (Mock Google lets a loopback port vary so the demo runs on any free port: RFC 8252 §7.3 allows that for native apps only; a real web app registers its exact https URI, port included)' },
      { name: 'scope', value: 'openid profile email', meaning: '"openid" makes this OpenID Connect (sign-in); profile and email ask for those claims' },
      { name: 'state', value: shorten(login.state), meaning: 'random, used once; must come back unchanged: the answer belongs to this sign-in. The CSRF defence of a client without PKCE (RFC 9700 §4.7.1); it can also carry the app\'s own context' },
      { name: 'nonce', value: shorten(login.nonce), meaning: 'random; must appear inside the ID token, tying it to this request: a replayed or injected ID token fails (OIDC Core §3.1.2.1)' },
      { name: 'code_verifier', value: shorten(login.codeVerifier), meaning: 'random secret the app keeps on its server; never sent through the browser' },
      { name: 'code_challenge', value: shorten(login.codeChallenge), meaning: 'BASE64URL(SHA-256(code_verifier)), with code_challenge_method=S256 (PKCE, RFC 7636): binds the code to this sign-in, so a code injected from another one fails (RFC 9700 §4.5)' },
      ...(dpop ? [{ name: 'DPoP key', value: shorten(dpop.jkt), meaning: 'the RFC 7638 thumbprint of the app\'s public key; the private key never leaves its server' }] : []),
    ],
    arrows: [
      ...(dpop ? [{ from: 'app' as const, to: 'app' as const, label: 'DPoP key pair' }] : []),
      { from: 'browser', to: 'app', label: 'GET /login' },
      { from: 'app', to: 'browser', label: '302 → provider /authorize' },
    ],
    exchanges: exchange ? [browser(exchange)] : [],
  });
}

export function stepTwo(exchange?: RecordedExchange): Step {
  return step(2, 'The provider\'s sign-in page', {
    text: [
      'Your browser is now at Mock Google, not at the app. The password is typed here, at the provider, and is never sent to the app. That is why a native app must open the system browser or an in-app browser tab (SFSafariViewController, Android Custom Tabs), never an embedded web view it could read (RFC 8252 §8.12).',
    ],
    arrows: [
      { from: 'browser', to: 'provider', label: 'GET /authorize?client_id&redirect_uri&…' },
      { from: 'provider', to: 'browser', label: '200 sign-in page' },
    ],
    exchanges: exchange ? [browser(exchange)] : [],
  });
}

export function stepThree(exchanges: RecordedExchange[], allowed: boolean, scopes: string[]): Step {
  return step(3, allowed ? 'Consent: you allow it' : 'Consent: you deny it', {
    text: [
      'Signed in, the provider asks whether this app may have what it asked for, in plain words:',
      ...scopeLines(scopes),
      allowed ? 'You chose Allow.' : 'You chose Deny.',
    ],
    arrows: signInAndConsentArrows('browser', '200 consent page', allowed),
    exchanges: exchanges.map(browser),
  });
}

/** The scopes a consent page asks about, one line each, in words and by name. */
export const scopeLines = (scopes: string[]): string[] => scopes.map((scope) => `  • ${SCOPE_DESCRIPTIONS[scope] ?? scope} (${scope})`);

/** Signing in and deciding at the provider's pages, from whoever plays the browser (the browser, or a phone). */
export function signInAndConsentArrows(who: 'browser' | 'phone', consentPage: string, allowed: boolean): Step['arrows'] {
  return [
    { from: who, to: 'provider', label: 'POST email + password' },
    { from: 'provider', to: who, label: consentPage },
    { from: who, to: 'provider', label: `POST decision=${allowed ? 'allow' : 'deny'}` },
  ];
}

export function stepFour(world: DemoWorld, callbackUrl: string, exchange?: RecordedExchange): Step {
  const parameters = new URL(callbackUrl).searchParams;
  const denied = parameters.has('error');
  const state = lastEvent(world, 'login-started')!.login.state;
  return step(4, denied ? 'Back to the app with an error' : 'Back to the app with a code, not a token', {
    text: denied
      ? ['The provider sends the browser back with error=access_denied, and still with state and iss, so the app can tell whose answer this is.']
      : [
          'Fact check: the article\'s step 4 says the provider "sends an access token". In the authorization code flow it sends the browser back with a short-lived, single-use authorization code. A code in a URL can leak (history, logs), so it is worth nothing without the app\'s PKCE verifier and credentials.',
        ],
    facts: [
      ...(denied
        ? [{ name: 'error', value: parameters.get('error')!, meaning: parameters.get('error_description') ?? '' }]
        : [{ name: 'code', value: shorten(parameters.get('code') ?? ''), meaning: 'one-time, valid 60 s, bound to this client, redirect_uri and PKCE challenge' }]),
      { name: 'state', value: shorten(parameters.get('state') ?? ''), meaning: parameters.get('state') === state ? 'unchanged: the app will check it matches its session' : 'does NOT match' },
      { name: 'iss', value: parameters.get('iss') ?? '', meaning: 'names the provider that answered (RFC 9207), against mix-up attacks' },
    ],
    arrows: [
      { from: 'provider', to: 'browser', label: `303 → app /callback?${denied ? 'error' : 'code'}&state&iss` },
      { from: 'browser', to: 'app', label: `GET /callback?${denied ? 'error' : 'code'}=…` },
    ],
    exchanges: exchange ? [browser(exchange)] : [],
  });
}

export function stepFive(world: DemoWorld): Step {
  const tokenExchange = lastEvent(world, 'token-exchange')!.exchange;
  const dpop = world.app.dpop;
  const tokens = dpop && tokenExchange.response.status === 200 ? jsonBodyOf<AnyTokenResponse>(tokenExchange) : undefined;
  return step(5, dpop ? 'The app swaps the code for tokens bound to its key' : 'The app swaps the code for tokens', {
    text: [
      'Server to server, out of the browser\'s sight, the app sends the code, its redirect_uri and the PKCE code_verifier to the token endpoint. It is a confidential client (a server that can keep a secret), so it also proves who it is with its client secret (HTTP Basic). A shared secret keeps the demo simple; RFC 9700 §2.5 recommends asymmetric client authentication instead (private_key_jwt, or mTLS), so that the provider holds no secret that could sign in as the app. A public client, such as a single-page app, has no secret at all.',
      'The provider checks that the code is fresh and unused, was issued to this client for this redirect_uri, and that SHA-256 of the verifier equals the challenge from step 1: proof that the code is redeemed for the same sign-in that asked for it. Only then does it answer with tokens.',
      ...(dpop ? [
        'New with DPoP: the request carries a DPoP header, a proof. It is a small JWT the app signed with its private key for this one request (htm POST, htu the token endpoint, iat, a fresh jti), with the public key in its header (RFC 9449 §4.2). It is not a secret: it is good for this one request, once.',
        'Mock Google checks the proof and binds the access token to that key: the token names the key\'s thumbprint in its cnf.jkt claim, and the answer says token_type DPoP (§5, §6.1). From now on the token works only with a fresh proof signed by the app\'s key.',
      ] : []),
    ],
    ...(dpop && tokens && { facts: bindingFacts(tokens.token_type, tokens.access_token, dpop, 'app') }),
    arrows: [
      { from: 'app', to: 'provider', label: dpop ? 'POST /token code, verifier, secret + DPoP proof' : 'POST /token code + code_verifier + secret' },
      { from: 'provider', to: 'app', label: dpop ? '200 {access_token, id_token} DPoP-bound' : '200 {access_token, id_token}' },
    ],
    exchanges: [backChannel(tokenExchange)],
  });
}

/** Step 6's demonstration: the ID token offered to the API, checked by APIs careless and careful. */
export async function crossUseChecks(world: DemoWorld): Promise<CheckTable> {
  const tokens = issuedTokens(world);
  const accessToken = decodeToken(tokens.access_token, Math.floor(Date.now() / 1000));
  const response = await fetch(`${world.provider.issuer}/jwks`, { signal: AbortSignal.timeout(10_000) });
  return idTokenAtTheApi(tokens.id_token, {
    jwks: (await response.json()) as JSONWebKeySet,
    issuer: world.provider.issuer,
    apiAudience: String((accessToken.payload as Record<string, unknown>).aud),
    accessTokenKid: String(accessToken.header?.kid),
  });
}

export function stepSix(world: DemoWorld, crossUse: CheckTable): Step {
  const tokens = issuedTokens(world);
  const verified = lastEvent(world, 'id-token-verified')!;
  const now = Math.floor(Date.now() / 1000);
  const decode = (token: string) => decodeToken(token, now);
  const idToken = decode(tokens.id_token);
  const accessToken = decode(tokens.access_token);
  return step(6, 'Two tokens, two jobs', {
    text: [
      'The ID token is a JWT for the app: who signed in (sub, unique at this issuer), when, and for which app (aud is the app\'s client_id). It is what makes this OpenID Connect, the sign-in layer on top of OAuth 2.0.',
      'The access token is for the API: what the app may do (scope) and for which API (aud). Here it is a JWT too (RFC 9068, typ at+jwt), but an app must treat access tokens as opaque, and must never send the ID token to an API.',
      'The app checks the ID token with the provider\'s public keys from /jwks: the same checks as `jwt-vs-oauth verify`, plus the nonce from step 1. It pins the algorithm it expects, RS256, rather than taking the header\'s word.',
      ...(world.app.dpop ? ['The access token has one claim more: cnf (confirmation), whose jkt is the thumbprint of the app\'s DPoP key (RFC 9449 §6.1). An API takes this token only with a proof signed by that key.'] : []),
      `Mock Google signs each kind of token with a key of its own (here ${String(idToken.header?.alg)} and ${String(accessToken.header?.alg)}, both at /jwks). That helps only a verifier that pins the key, or the algorithm, for each kind (RFC 8725 §3.12): both keys are in the same JWKS, so an API that takes any key from /jwks accepts an ID token. What stops the cross-use then is typ (at+jwt for an access token, RFC 8725 §3.11) and aud (the API, not the app\'s client_id). The checks at the end of this step show it.`,
    ],
    tokens: [
      { label: 'ID token (for the app)', token: tokens.id_token, claims: idToken.payload as Record<string, unknown>, header: idToken.header },
      { label: 'Access token (for the API)', token: tokens.access_token, claims: accessToken.payload as Record<string, unknown>, header: accessToken.header },
    ],
    verification: { result: verified.verification, nonceMatches: verified.nonceMatches },
    checks: [crossUse],
    arrows: [{ from: 'app', to: 'app', label: 'verify the ID token with /jwks' }],
  });
}

export function stepSeven(world: DemoWorld): Step {
  const userinfo = lastEvent(world, 'userinfo')!;
  const same = userinfo.userinfoSub === userinfo.idTokenSub;
  const dpop = Boolean(world.app.dpop);
  return step(7, dpop ? 'The app calls the API with the access token and a proof' : 'The app calls the API with the access token', {
    text: [
      dpop
        ? 'The app sends the access token to the userinfo endpoint, the API here, with the DPoP scheme (Authorization: DPoP <token>, not Bearer) and a new proof made for this request: htm GET, htu /userinfo, and ath, the hash of the access token (RFC 9449 §4.2, §7.1). The API checks the proof, that its key is the one the token names in cnf.jkt, then the token itself (signature, typ, iss, its own aud, exp, scope), and answers with the claims the scopes allow.'
        : 'The app sends the access token as a Bearer token to the userinfo endpoint, the API here. The API checks it (signature, typ, iss, its own aud, exp, scope) and answers with the claims the scopes allow.',
      ...(dpop ? ['Someone who copies this token from a log gets nothing: without the app\'s private key they cannot sign a proof that matches cnf.jkt, and sent as Bearer it is refused by an API that supports DPoP, as Mock Google does (RFC 9449 §7.2). `oauth --attack stolen-dpop-token` shows both.'] : []),
      'The app takes the answer only if it is about the user who signed in: its sub must equal the ID token\'s sub (OIDC Core §5.3.2). Otherwise the app refuses the sign-in.',
    ],
    arrows: [
      { from: 'app', to: 'provider', label: dpop ? 'GET /userinfo DPoP <access token> + proof' : 'GET /userinfo Bearer <access token>' },
      { from: 'provider', to: 'app', label: '200 {sub, name, email}' },
    ],
    exchanges: [backChannel(userinfo.exchange)],
    checks: [{
      heading: 'The app checks the answer:',
      rows: [{ ok: same, result: same ? 'same sub' : 'another sub', detail: `userinfo sub ${JSON.stringify(userinfo.userinfoSub)}, ID token sub ${JSON.stringify(userinfo.idTokenSub)}` }],
    }],
  });
}

/** Proof from the exchanges themselves: nothing the app sent or received contained the password. */
export function appNeverSawPassword(world: DemoWorld, browserExchanges: RecordedExchange[], password: string): boolean {
  const appOrigin = new URL(world.app.url).origin;
  const appSide = [
    ...browserExchanges.filter((exchange) => new URL(exchange.request.url).origin === appOrigin),
    ...world.appEvents.flatMap((event) => ('exchange' in event ? [event.exchange] : [])),
  ];
  return !appSide.some((exchange) => JSON.stringify(exchange).includes(password));
}

/** Step 8: the article's five steps mapped onto the run, then what each defence stops. */
export function stepEight(world: DemoWorld, signedIn: boolean, passwordStayedAtProvider: boolean): Step {
  const { accessTokenTtl, codeTtl } = world.provider.state.config;
  const mapping = signedIn
    ? [
        '  3 "User approves"                  → step 3 (Allow)',
        '  4 "Google sends an access token"   → steps 4 and 5: first a one-time code, then tokens over the back channel',
        '  5 "App uses token"                 → steps 6 and 7 (the ID token for the app, the access token for the API)',
      ]
    : [
        '  3 "User approves"                  → did not happen: you chose Deny in step 3',
        '  4 "Google sends an access token"   → step 4 brought back error=access_denied: no code, so no tokens were ever issued',
        '  5 "App uses token"                 → nothing to use: steps 5 to 7 did not happen, and the app shows "not signed in"',
      ];
  return step(8, 'Recap', {
    text: [
      'The article\'s five steps, mapped onto what you just saw:',
      '  1 "User clicks Login with Google"  → step 1 (state, nonce, PKCE made by the app)',
      '  2 "Google asks permission"         → steps 2 and 3 (sign-in at the provider, then consent)',
      ...mapping,
      passwordStayedAtProvider
        ? '✓ The app never saw the password: it appears in none of the requests the app received or made.'
        : '✗ The password appeared in a request the app handled.',
      signedIn
        ? 'JWT and OAuth together: OAuth 2.0 (with OpenID Connect on top) decided who gets which token; the tokens themselves were JWTs, checked like any JWT.'
        : 'OAuth did its job: you said no, and the app got nothing but access_denied.',
      'What each defence stops, and what would go wrong without it:',
      '  • PKCE binds the code to the sign-in that made the verifier: a stolen code, or the attacker\'s own code injected into your browser\'s callback, fails at the token endpoint (RFC 9700 §4.5). Try: --attack no-pkce',
      '  • nonce ties the ID token to this request: a replayed or injected ID token fails (OIDC Core §3.1.2.1).',
      '  • state: for a client without PKCE, the defence against login CSRF (your browser finishing a sign-in the attacker started); with PKCE, a second check that also carries the app\'s own context (RFC 9700 §4.7.1). Try: --attack csrf',
      '  • iss in the response: an app that uses several providers learns which one answered, against mix-up (RFC 9207). Try: --attack mix-up',
      `  • short-lived tokens: a leaked bearer token works for whoever holds it until it expires; access tokens here live ${spanInWords(accessTokenTtl)}, codes ${spanInWords(codeTtl)}.`,
      ...(world.app.dpop && signedIn ? ['  • DPoP binds the access token to the app\'s key (cnf.jkt): a copy without the private key is refused (RFC 9449 §7.1). Try: --attack stolen-dpop-token'] : []),
    ],
  });
}

const SCOPES = ['openid', 'profile', 'email'];

/** The terminal plays the browser: the same HTTP requests a browser would make. */
export async function runTerminalFlow(world: DemoWorld, narrator: Narrator, options: { deny: boolean }): Promise<Outcome> {
  const agent = world.agent('browser');
  const toApp = await agent.request('GET', `${world.app.url}/login`);
  narrator.show(stepOne(world, toApp));
  await narrator.pause();

  const authorizationUrl = toApp.response.headers.location!;
  const loginPage = await agent.request('GET', authorizationUrl);
  narrator.show(stepTwo(loginPage));
  const { consentPage, loginExchanges, password } = await signInWithTries(world, narrator, agent, loginPage, authorizationUrl);
  if (!consentPage) return { ok: false, summary: 'Three wrong passwords: the sign-in stopped.' };

  const allow = options.deny ? false : await narrator.consent('Swaad (demo-app)', SCOPES);
  const decision = await agent.request('POST', formOf(consentPage.response.body, authorizationUrl)!.action, { form: { decision: allow ? 'allow' : 'deny' } });
  narrator.show(stepThree([...loginExchanges, decision], allow, SCOPES));
  await narrator.pause();

  const callbackUrl = decision.response.headers.location!;
  const callback = await agent.request('GET', callbackUrl);
  narrator.show(stepFour(world, callbackUrl, callback));
  await narrator.pause();
  const browserExchanges = agent.exchanges;

  if (!allow) {
    const denied = lastEvent(world, 'denied');
    narrator.show(stepEight(world, false, appNeverSawPassword(world, browserExchanges, password)));
    return { ok: Boolean(denied), summary: denied ? `Denied: the app received ${denied.error} and showed "not signed in".` : 'The app did not handle the denial.' };
  }
  if (!lastEvent(world, 'signed-in')) {
    const rejected = lastEvent(world, 'callback-rejected');
    return { ok: false, summary: `The sign-in failed: ${rejected?.reason ?? lastEvent(world, 'failed')?.message ?? 'unknown reason'}` };
  }
  return showTokenSteps(world, narrator, appNeverSawPassword(world, browserExchanges, password));
}

/**
 * The terminal answers the provider's sign-in page: the email and password asked, up to three
 * tries; the consent page when one was accepted, every answer, and the last password typed.
 */
export async function signInWithTries(world: DemoWorld, narrator: Narrator, agent: UserAgent, loginPage: RecordedExchange, pageUrl: string): Promise<{ consentPage?: RecordedExchange; loginExchanges: RecordedExchange[]; password: string }> {
  const users = world.provider.state.config.users;
  let consentPage: RecordedExchange | undefined;
  const loginExchanges: RecordedExchange[] = [];
  let password = '';
  for (let attempt = 0; attempt < 3 && !consentPage; attempt++) {
    // A refused sign-in answers with the sign-in form again; the first page's form otherwise.
    const form = formOf(loginExchanges.at(-1)?.response.body ?? '', pageUrl) ?? formOf(loginPage.response.body, pageUrl)!;
    const credentials = await narrator.credentials(users[0]!.email, users);
    password = credentials.password;
    const answer = await agent.request('POST', form.action, { form: credentials });
    loginExchanges.push(answer);
    if (answer.response.status === 200) consentPage = answer;
    else narrator.note('Mock Google says: wrong email or password. The demo accounts are shown above.');
  }
  return { consentPage, loginExchanges, password };
}

/** Steps 5 to 8, the same whoever played the browser: the app's back channel, then the recap. */
async function showTokenSteps(world: DemoWorld, narrator: Narrator, passwordStayedAtProvider: boolean): Promise<Outcome> {
  narrator.show(stepFive(world));
  await narrator.pause();
  narrator.show(stepSix(world, await crossUseChecks(world)));
  await narrator.pause();
  narrator.show(stepSeven(world));
  await narrator.pause();
  narrator.show(stepEight(world, true, passwordStayedAtProvider));
  const signedIn = lastEvent(world, 'signed-in')!;
  return { ok: true, summary: `Signed in to Swaad as ${signedIn.name} (${signedIn.email}).` };
}

/** How many refused callbacks the narration shows, one line each; then one line says more keep coming. */
const NOT_OURS_SHOWN = 5;

/** One line on a callback the app refused as not belonging to this browser's sign-in, with what it carried (as sent: the view escapes it). */
function notOursLine(event: Extract<AppEvent, { kind: 'callback-not-ours' }>): string {
  const carried = event.parameters.length ? event.parameters.map(([name, value]) => `${shorten(name, 20)}="${shorten(value, 30)}"`).join(', ') : 'no parameters';
  return `! A callback that is not ours was refused: ${event.why}; it carried ${carried}. Still waiting for yours.`;
}

/** A real browser drives; the terminal narrates from what the app and provider report. */
export async function runBrowserFlow(world: DemoWorld, narrator: Narrator, openBrowser: (url: string) => Promise<void>): Promise<Outcome> {
  // Any web page or local process can send a request to the callback; the app refuses those that
  // are not this browser's, and the wait goes on. They are told here, so the learner sees them.
  let refused = 0;
  const stopWatching = world.watchAppEvents((event) => {
    if (event.kind !== 'callback-not-ours') return;
    refused++;
    if (refused <= NOT_OURS_SHOWN) narrator.note(notOursLine(event));
    else if (refused === NOT_OURS_SHOWN + 1) narrator.note('! More callbacks that are not ours keep coming: each is refused, and no longer shown here.');
  });
  let ending;
  try {
    const started = world.nextAppEvent(['login-started']);
    await openBrowser(`${world.app.url}/login`);
    await started;
    narrator.show(stepOne(world));
    narrator.show(stepTwo());
    narrator.note('Sign in and answer the consent page in your browser; this terminal waits for the browser to come back.');
    // Only an answer that passed the app's state check ends the wait.
    ending = await world.nextAppEvent(['signed-in', 'denied', 'callback-rejected', 'failed']);
  } catch (error) {
    if (!(error instanceof WaitTimedOut)) throw error;
    return { ok: false, summary: 'The browser did not come back to the app within 10 minutes. Run it again, or use --no-browser.' };
  } finally {
    stopWatching();
  }
  const callbackUrl = lastEvent(world, 'callback-received')?.url;
  if (ending.kind === 'denied') {
    narrator.show(stepThree([], false, SCOPES));
    if (callbackUrl) narrator.show(stepFour(world, callbackUrl));
    narrator.show(stepEight(world, false, true));
    return { ok: true, summary: `Denied: the app received ${ending.error} and showed "not signed in".` };
  }
  if (ending.kind !== 'signed-in') return { ok: false, summary: `The sign-in failed: ${'reason' in ending ? ending.reason : 'message' in ending ? ending.message : ''}` };
  narrator.show(stepThree([], true, SCOPES));
  if (callbackUrl) narrator.show(stepFour(world, callbackUrl));
  await narrator.pause();
  // The browser's own requests are not visible here; what the app received and sent is.
  const passwords = world.provider.state.config.users.map((user) => user.password);
  return showTokenSteps(world, narrator, passwords.every((secret) => appNeverSawPassword(world, [], secret)));
}

