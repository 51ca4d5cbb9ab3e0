// The demos of lesson 15 (ending things: logout, revocation, introspection, key rotation, object-level checks), listed in demo-names-ending.ts.
// Each runs the project's real code in-process and returns data; src/cli lays it out.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoadedKey } from '../jwt/keys.js';
import type { DemoWorld } from '../oauth/world.js';
import type { RecordedExchange } from '../oauth/user-agent.js';
import { blank, call, exchange, opening, paragraph, recorded, showing, withDemoWorld, type Demo, type DemoPart } from './demo-parts.js';
import type { ENDING_DEMOS } from './demo-names-ending.js';

/** Where Swaad's browser is sent back after logout: registered for demo-app at Mock Google. */
const AFTER_LOGOUT = 'http://127.0.0.1/';

/** jose's default wait between two fetches of a JWKS is 30 s; the demo's verifier waits 1 s, so the lesson does not. */
const COOLDOWN_MS = 1000;
const FORGED_TOKENS = 20;

const seconds = (world: DemoWorld) => Math.floor(world.clock.nowMs() / 1000);

/** Swaad's own client credentials, as HTTP Basic: what introspection and revocation ask of it. */
async function swaadBasic(): Promise<string> {
  const { DEMO_CLIENT } = await import('../oauth/world.js');
  return `Basic ${Buffer.from(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).toString('base64')}`;
}

/** A request (its query a parameter a line) and its answer as lines, for an answer with no JSON body (a redirect) or one summed up. */
const requestLines = (request: string, answer: string, query: string[] = []): DemoPart => ({ kind: 'lines', lines: [`  → ${request}`, ...query.map((parameter, index) => `      ${index ? '&' : '?'}${parameter}`), `  ← ${answer}`] });

/** Asha's sign-in, then logout and revocation, each followed by what introspection and a local check of the JWT say. */
const logoutAndRevoke: Demo = async () => withDemoWorld(async (world, { tokenAnswer, signInWithRefreshToken }) => {
  const [{ discoverIssuer }, { verifyToken }, { decodeToken }] = await Promise.all([import('../jwt/remote-keys.js'), import('../jwt/verify.js'), import('../jwt/decode.js')]);
  const app = world.agent('app');
  const signIn = await signInWithRefreshToken(world, app);
  const tokens = tokenAnswer(signIn);
  if (signIn.response.status !== 200 || tokens.refresh_token === undefined || tokens.id_token === undefined) return showing([recorded('', signIn)], 'The sign-in gave no refresh token, so there is nothing to end.');
  const issuer = world.provider.issuer;
  const claims = decodeToken(tokens.access_token, seconds(world)).payload as Record<string, unknown>;
  // Swaad's orders API fetched Mock Google's keys once, at start, and checks each JWT with them alone.
  const { keys } = await discoverIssuer(issuer);
  const localCheck = async () => (await verifyToken(tokens.access_token, { keys, algorithms: ['ES256', 'RS256'], tokenType: 'at+jwt', issuer, audience: [String(claims.aud)], clockTolerance: 0, now: seconds(world) })).valid ? 'valid' : 'refused';
  const basic = await swaadBasic();
  const introspect = () => app.request('POST', `${issuer}/introspect`, { form: { token: tokens.access_token }, headers: { authorization: basic, accept: 'application/json' } });
  const activeIn = (answer: RecordedExchange) => ((JSON.parse(answer.response.body) as { active?: unknown }).active === true ? 'active' : 'not active');
  const afterSignIn = await introspect();
  const rows: string[][] = [['after sign-in', activeIn(afterSignIn), await localCheck()]];

  const logoutQuery = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: AFTER_LOGOUT, state: 'bye-1' });
  const logout = await world.agent('Asha\'s browser').request('GET', `${issuer}/logout?${logoutQuery}`);
  const afterLogout = await introspect();
  rows.push(['after logout', activeIn(afterLogout), await localCheck()]);

  const revoke = await app.request('POST', `${issuer}/revoke`, { form: { token: tokens.refresh_token, token_type_hint: 'refresh_token' }, headers: { authorization: basic, accept: 'application/json' } });
  const afterRevoke = await introspect();
  const minutesLeft = Math.round((Number(claims.exp) - seconds(world)) / 60);
  rows.push(['after revocation', activeIn(afterRevoke), `${await localCheck()}, ${minutesLeft} more minutes`]);

  return showing([
    paragraph(`Asha signed in to Swaad (without showing the steps: the code flow of lesson 5) and Swaad got an access token (a JWT for ${tokens.expires_in / 60} minutes), an ID token and a refresh token.`),
    blank,
    recorded('the access token, right after sign-in; Swaad\'s client credentials', afterSignIn),
    { kind: 'remark', lead: '', text: 'Active, with the token\'s claims.' },
    blank,
    requestLines('GET /logout', `${logout.response.status}, Location: ${logout.response.headers.location ?? '(none)'}`, ['id_token_hint=<the ID token>', `post_logout_redirect_uri=${AFTER_LOGOUT}`, 'state=bye-1']),
    { kind: 'remark', lead: '', text: 'RP-initiated logout: Mock Google checked that the ID token is one it issued, to demo-app, and sent Asha\'s browser back to an address demo-app registered, with its state.' },
    blank,
    recorded('the access token, after logout', afterLogout),
    { kind: 'remark', lead: '', text: 'Logout took back no token: the access token is still active.' },
    blank,
    recorded('the refresh token; Swaad\'s client credentials', revoke),
    recorded('the access token, after revocation', afterRevoke),
    { kind: 'remark', lead: '', text: 'Revoking the refresh token ended the whole sign-in at Mock Google, its access tokens too (RFC 7009 §2.1).' },
    blank,
    { kind: 'table', headings: ['', 'introspection', 'local JWT check'], rows },
  ], 'Introspection asks Mock Google, which knows about the revocation. The local check looks at the JWT alone (signature, typ, iss, aud, exp) and cannot know: for it the token stays valid until exp. An API that must see a revocation at once has to ask, on every request; the others rely on short-lived access tokens.');
});

/** Swaad's orders API's verifier: jose's cached remote JWK Set, with every fetch of Mock Google's /jwks it makes counted. */
async function cachingVerifier(world: DemoWorld) {
  const { createRemoteJWKSet, customFetch, jwtVerify } = await import('jose');
  // Each fetch as the API saw it: the status, and each key by its kid's opening and its alg.
  const fetches: Array<{ status: number; keys: string[] }> = [];
  const countingFetch = async (url: string, options: RequestInit) => {
    const response = await fetch(url, options);
    const body = (await response.clone().json()) as { keys?: Array<{ kid: string; alg: string }> };
    fetches.push({ status: response.status, keys: (body.keys ?? []).map((key) => `${opening(key.kid)} ${key.alg}`) });
    return response;
  };
  const keySet = createRemoteJWKSet(new URL(`${world.provider.issuer}/jwks`), { cooldownDuration: COOLDOWN_MS, [customFetch]: countingFetch });
  const audience = `${world.provider.issuer}/userinfo`;
  const verify = async (token: string): Promise<string> => {
    try {
      await jwtVerify(token, keySet, { issuer: world.provider.issuer, audience, typ: 'at+jwt', algorithms: ['ES256'] });
      return 'valid';
    } catch (error) {
      return `refused: ${(error as { code?: string }).code ?? (error as Error).message}`;
    }
  };
  return { verify, fetches };
}

/** Token 1, a rotation, token 2 after the cooldown, token 1 again, then a flood of unknown kids: what each cost in JWKS fetches. */
const keyRotation: Demo = async () => withDemoWorld(async (world, { tokenAnswer, tokenEndpoint, signInWithRefreshToken }) => {
  const [{ decodeToken }, { mintToken }, { generateKeyFor }] = await Promise.all([import('../jwt/decode.js'), import('../jwt/mint.js'), import('../jwt/keys.js')]);
  const { verify, fetches } = await cachingVerifier(world);
  const kidOf = (token: string) => opening(String(decodeToken(token, seconds(world)).header.kid));
  const app = world.agent('app');
  const signIn = await signInWithRefreshToken(world, app);
  const first = tokenAnswer(signIn);
  if (signIn.response.status !== 200 || first.refresh_token === undefined) return showing([recorded('', signIn)], 'The sign-in failed, so there is no token to check.');
  const rows: string[][] = [];
  const check = async (label: string, token: string) => {
    const verdict = await verify(token);
    rows.push([label, String(fetches.length), `${verdict}, kid ${kidOf(token)}`]);
  };
  await check('token 1', first.access_token);

  const rotated = await world.provider.rotateKeys();
  const refreshed = await tokenEndpoint(world, app, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
  if (refreshed.response.status !== 200) return showing([recorded('', refreshed)], 'The refresh failed, so there is no token signed with the new key.');
  const second = tokenAnswer(refreshed);
  // Tokens an attacker signed with a key of their own, each naming a kid nobody published; made
  // now, so that after fetch 2 only checks run, well within its cooldown.
  const forgerKey = await generateKeyFor('ES256');
  const forged = await Promise.all(Array.from({ length: FORGED_TOKENS }, (_unused, index) => mintToken({ alg: 'ES256', key: forgerKey, kid: `forged-${index + 1}`, typ: 'at+jwt', iss: world.provider.issuer, sub: 'admin', aud: [`${world.provider.issuer}/userinfo`], expiresIn: 900, now: seconds(world) })));
  // The verifier fetched a moment ago: it would not fetch again yet. Real time passes, as it would between two requests.
  await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
  await check('token 2 (new key)', second.access_token);
  await check('token 1 again', first.access_token);
  const verdicts = await Promise.all(forged.map((made) => verify(made.token)));
  const refusedAll = verdicts.every((verdict) => verdict.startsWith('refused'));
  rows.push([`${FORGED_TOKENS} forged tokens`, String(fetches.length), refusedAll ? `each ${verdicts[0]}` : 'not all refused']);

  return showing([
    paragraph(`Swaad's orders API checks access tokens with jose's createRemoteJWKSet: it caches Mock Google's JWKS and fetches it again when a token names a kid it does not know, but at most once per cooldown (jose's default is 30 seconds; ${COOLDOWN_MS / 1000} here, so the lesson is quick).`),
    blank,
    ...fetches.slice(0, 1).map((fetched) => requestLines('GET /jwks  (fetch 1: token 1, nothing cached yet)', `${fetched.status}, keys: ${fetched.keys.join(', ')}`)),
    blank,
    paragraph(`Mock Google rotates its keys: new ones sign from now on (access tokens: kid ${opening(rotated.accessTokenKid)}), and the old ones stay in /jwks until the tokens they signed expire. Swaad refreshes and gets token 2. A second later, the API checks it:`),
    blank,
    ...fetches.slice(1).map((fetched, index) => requestLines(`GET /jwks  (fetch ${index + 2}: token 2's kid ${kidOf(second.access_token)} is not in the cache)`, `${fetched.status}, keys: ${fetched.keys.join(', ')}`)),
    blank,
    { kind: 'table', headings: ['', 'JWKS fetches', 'result'], rows },
  ], `${fetches.length} fetches of /jwks in all. Token 1 still verifies, from the cache: its key stays published until its tokens expire. The ${FORGED_TOKENS} forged tokens named kids nobody published, within the cooldown: each was refused with no fetch, so a flood of made-up kids cannot make the API hammer Mock Google.`);
});

interface Order {
  id: string;
  dish: string;
  status: string;
  /** Whose it is: a user is iss and sub together (sub alone is unique only within one issuer). */
  owner: { iss: string; sub: string };
}

/** What the orders API trusts: the key that signs its access tokens, their issuer and its own audience. */
interface Trust {
  keys: LoadedKey[];
  issuer: string;
  audience: string;
}

/**
 * A small orders API on a loopback port: GET /orders/{id} for an access token with scope
 * orders:read. With `checkOwner` it also requires the order to be the token's user's.
 */
async function startOrderLookup(trust: Trust, orders: Order[], checkOwner: boolean, nowSeconds: () => number): Promise<{ url: string; close(): void }> {
  const { verifyToken } = await import('../jwt/verify.js');
  const server = createServer((request, response) => {
    const send = (status: number, body: unknown, challenge?: string) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...(challenge && { 'www-authenticate': challenge }) });
      response.end(JSON.stringify(body));
    };
    void (async () => {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const result = await verifyToken(token, { keys: trust.keys, algorithms: ['ES256'], tokenType: 'at+jwt', issuer: trust.issuer, audience: [trust.audience], clockTolerance: 0, now: nowSeconds() });
      if (!result.valid || typeof result.payload !== 'object') return send(401, { error: 'invalid_token' }, 'Bearer error="invalid_token"');
      const { iss, sub, scope } = result.payload;
      if (!String(scope ?? '').split(' ').includes('orders:read')) return send(403, { error: 'insufficient_scope' }, 'Bearer error="insufficient_scope", scope="orders:read"');
      const order = orders.find((candidate) => request.url === `/orders/${candidate.id}`);
      if (!order) return send(404, { error: 'not_found' });
      if (checkOwner && (order.owner.iss !== iss || order.owner.sub !== sub)) return send(403, { error: 'forbidden', error_description: `order ${order.id} is another user's` });
      send(200, { id: order.id, dish: order.dish, status: order.status });
    })().catch(() => {
      if (!response.headersSent) send(500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

/** Meera's sub: another Swaad customer, a user of Swaad's own authorization server in this demo, not a Mock Google demo user. */
const MEERA_SUB = '120394857610293847562';

/** Asha's and Meera's orders read through the API without and with the owner check. */
const objectLevelCheck: Demo = async (context) => {
  const [{ mintToken }, { generateKeyFor, publicHalf }, { DEFAULT_USERS }] = await Promise.all([import('../jwt/mint.js'), import('../jwt/keys.js'), import('../provider/directory.js')]);
  const asha = DEFAULT_USERS[0]!;
  // Swaad's own authorization server: Mock Google grants a user's sign-in only the sign-in scopes.
  const signingKey = await generateKeyFor('ES256');
  const trust: Trust = { issuer: 'https://login.swaad.example', audience: 'https://orders.swaad.example', keys: [publicHalf(signingKey)] };
  const accessToken = async (sub: string) => (await mintToken({ alg: 'ES256', key: signingKey, typ: 'at+jwt', iss: trust.issuer, sub, aud: [trust.audience], claims: { client_id: 'demo-app', scope: 'orders:read' }, expiresIn: 900, jti: true, now: context.now() })).token;
  const [ashaToken, meeraToken] = [await accessToken(asha.sub), await accessToken(MEERA_SUB)];
  const orders: Order[] = [
    { id: '1042', dish: 'Masala dosa', status: 'delivered', owner: { iss: trust.issuer, sub: asha.sub } },
    { id: '1077', dish: 'Filter coffee', status: 'preparing', owner: { iss: trust.issuer, sub: MEERA_SUB } },
  ];
  const ask = async (api: { url: string }, id: string, token: string, note: string) => exchange('GET', `/orders/${id}`, note, await call(`${api.url}/orders/${id}`, 'GET', { token }));
  const scopeOnly = await startOrderLookup(trust, orders, false, context.now);
  let before: DemoPart[];
  try {
    before = [await ask(scopeOnly, '1042', ashaToken, 'Asha\'s token; her order'), await ask(scopeOnly, '1077', ashaToken, 'Asha\'s token; Meera\'s order')];
  } finally {
    scopeOnly.close();
  }
  const fixed = await startOrderLookup(trust, orders, true, context.now);
  let after: DemoPart[];
  try {
    after = [await ask(fixed, '1042', ashaToken, 'Asha\'s token; her order'), await ask(fixed, '1077', ashaToken, 'Asha\'s token; Meera\'s order'), await ask(fixed, '1077', meeraToken, 'Meera\'s token; her own order')];
  } finally {
    fixed.close();
  }
  return showing([
    paragraph('Swaad\'s own authorization server signs two access tokens with scope orders:read: one for Asha, one for Meera, another customer. (Mock Google grants a user\'s sign-in only the sign-in scopes, so the demo plays that server.)'),
    blank,
    paragraph('The orders API as first written: it verifies the token, then requires orders:read.'),
    ...before,
    { kind: 'remark', lead: '', text: 'Asha\'s token is genuine and has the scope, so Meera\'s order came back too.' },
    blank,
    paragraph('The fix: it also checks that the order\'s owner is the token\'s user (iss and sub).'),
    ...after,
  ], 'The scope said what Swaad may do for Asha: read orders. Only the API knows whose order 1077 is, so only the API can refuse it: Broken Object Level Authorization, API1 of the OWASP API Security Top 10 (2023). The check runs on every request that names an object.');
};

/** Every demo demo-names-ending.ts lists, and no other. */
export const ENDING_DEMOS_RUN: { [Name in keyof typeof ENDING_DEMOS]: Demo } = {
  'logout-and-revoke': logoutAndRevoke,
  'key-rotation': keyRotation,
  'object-level-check': objectLevelCheck,
};
