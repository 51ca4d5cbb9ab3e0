// The lessons' named demos (listed in demo-names.ts): the hands-on steps that are not a CLI command.
// Each runs the project's real code in-process (the practice API, Mock Google, the demo flow) and
// returns data (HTTP exchanges, table rows, paragraphs, tokens to save); src/cli lays it out.
// Lessons 13–15 keep theirs in demos-*.ts files beside this one (the parts all share: demo-parts.ts).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoName } from './demo-names.js';
import { decodeToken } from '../jwt/decode.js';
import { BROWSER_APP_DEMOS_RUN } from './demos-browser-apps.js';
import { DPOP_DEMOS_RUN } from './demos-dpop.js';
import { ENDING_DEMOS_RUN } from './demos-ending.js';
import { asha, blank, call, exchange, loginAsAsha, opening, pageRow, paragraph, recorded, showing, signInSaved, signInTokens, withDemoWorld, withPracticeApi, withSignIn, type Demo, type DemoPart } from './demo-parts.js';

export { signInTokens, withSignIn } from './demo-parts.js';
export type { DemoContext, DemoPart, DemoResult, Exchange, FlowCallbacks, SignInTokens } from './demo-parts.js';

/** What the TV's access token says, beside a service token: a user's sub, the device's client_id. */
function tvTokenClaims(claims: Record<string, unknown>): DemoPart {
  return { kind: 'table', rows: [
    ['sub (in the token)', `${JSON.stringify(claims.sub)}: Asha, a user this time`],
    ['client_id', `${JSON.stringify(claims.client_id)}: the app on the TV`],
    ['scope', String(claims.scope)],
  ] };
}

/** Every demo demo-names.ts lists, and no other: tsc refuses a missing or an extra one. */
export const DEMOS_RUN: { [Name in DemoName]: Demo } = {
  'practice-requests': async (context) => withPracticeApi(context.now, async (url) => {
    const anonymous = await call(`${url}/profile`, 'GET');
    const { token } = await loginAsAsha(url);
    const admin = await call(`${url}/admin`, 'GET', { token });
    const profile = await call(`${url}/profile`, 'GET', { token });
    return showing([
      exchange('GET', '/profile', 'no credentials', anonymous),
      exchange('GET', '/profile', 'with Asha\'s token', profile),
      exchange('GET', '/admin', 'with Asha\'s token', admin),
    ], '401 means "who are you?": authentication failed or was missing. 403 means "we know who you are, and you may not": authorization said no.');
  }),

  'practice-login': async (context) => withPracticeApi(context.now, async (url) => {
    const { login, token } = await loginAsAsha(url);
    const withToken = await call(`${url}/profile`, 'GET', { token });
    const without = await call(`${url}/profile`, 'GET');
    return {
      parts: [
        exchange('POST', '/login', `{"email":"${asha.email}","password":"…"}`, login),
        { kind: 'remark', lead: '1-4: ', text: 'the server checked the password, minted a JWT (HS256, 15 minutes) and sent it back.' },
        exchange('GET', '/profile', 'Authorization: Bearer <the JWT>', withToken),
        { kind: 'remark', lead: '5: ', text: 'the client sends the token with each request; the server checks it with its secret, no session lookup (it keeps only a deny list of logged-out tokens: lesson 4).' },
        exchange('GET', '/profile', 'no Authorization header', without),
        blank,
        { kind: 'value', label: 'The token the server sent back (the client sends it with every request):', value: token },
      ],
      saved: { [context.args.save ?? 'loginToken']: token },
    };
  }),

  'practice-logout': async (context) => withPracticeApi(context.now, async (url) => {
    const { token } = await loginAsAsha(url);
    const before = await call(`${url}/profile`, 'GET', { token });
    const logout = await call(`${url}/logout`, 'POST', { token });
    const after = await call(`${url}/profile`, 'GET', { token });
    return showing([
      exchange('GET', '/profile', 'a fresh token', before),
      exchange('POST', '/logout', 'the server writes the jti on a deny list', logout),
      exchange('GET', '/profile', 'the same token again', after),
    ], 'Taking the token back needed the server to remember something (the deny list) and to look it up on every request: state again. Without that list, the token would have kept working for its remaining 15 minutes.');
  }),

  async tamper(context) {
    const { token: name, claim, value, save } = context.args as Record<string, string>;
    // The engine checks first that the token was made and is one (lesson-steps.ts: runDemoStep).
    const [header, payload, signature] = context.saved.get(name!)!.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    // A computed key defines an own claim, even one named "__proto__" (the validator refuses such names).
    const changedClaims = { ...claims, [claim!]: value };
    const changed = `${header}.${Buffer.from(JSON.stringify(changedClaims)).toString('base64url')}.${signature}`;
    return { parts: [{ kind: 'value', label: `Changed ${claim} to ${JSON.stringify(value)} in the payload and kept the old signature:`, value: changed }], saved: { [save!]: changed } };
  },

  'oauth-flow': async (context) => withSignIn(async (tokens, _world, outcome) => ({
    // Kept in memory only: the lessons that follow in this run use them; a later run signs in again.
    parts: [paragraph(`${outcome.ok ? '✓' : '✗'} ${outcome.summary} The tokens are kept for the next lessons while this tutorial runs (in memory only: if you quit, a later lesson that needs them signs in again).`)],
    saved: signInSaved(tokens),
    ok: outcome.ok,
  }), context.flow),

  async 'compare-tokens'(context) {
    const { tokens, fresh } = await signInTokens(context.saved);
    const now = context.now();
    const id = decodeToken(tokens.idToken, now).payload as Record<string, unknown>;
    const access = decodeToken(tokens.accessToken, now).payload as Record<string, unknown>;
    const rows: Array<[string, unknown, unknown]> = [
      ['typ (header)', decodeToken(tokens.idToken, now).header.typ, decodeToken(tokens.accessToken, now).header.typ],
      ['aud', id.aud, access.aud],
      ['scope', id.scope ?? '(none)', access.scope],
      ['nonce', id.nonce ? 'yes' : '(none)', access.nonce ?? '(none)'],
      ['email', id.email ?? '(none)', access.email ?? '(none)'],
    ];
    return {
      parts: [
        { kind: 'table', headings: ['', 'ID token', 'access token'], rows: rows.map(([name, left, right]) => [name, String(left), String(right)]) },
        blank,
        paragraph('The ID token is addressed to the app (aud = its client_id) and says who signed in. The access token is addressed to the API and says what the app may do (scope); its typ, at+jwt, is what an API requires (RFC 9068 §4), so an ID token sent in its place is refused.'),
      ],
      saved: fresh ? signInSaved(tokens) : {},
    };
  },

  async discovery() {
    const { startProvider } = await import('../provider/server.js');
    const provider = await startProvider({ port: 0 });
    try {
      const metadata = (await (await fetch(provider.discoveryUrl)).json()) as Record<string, unknown>;
      const shown = ['issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'code_challenge_methods_supported', 'id_token_signing_alg_values_supported'];
      return showing([
        { kind: 'lines', lines: [`GET ${provider.discoveryUrl}`] },
        { kind: 'table', rows: shown.map((name) => [name, JSON.stringify(metadata[name])]) },
      ], 'Integrating "Login with Google" means talking to all of these, with redirects, codes, PKCE and key rotation. In return the provider carries what a login you run yourself must carry on its own: password storage with a slow hash, account recovery, multi-factor sign-in, rate limits against guessing, and the care of signing keys.');
    } finally {
      await provider.close();
    }
  },

  'userinfo-with-both-tokens': async () => withSignIn(async (tokens, world) => {
    const userinfo = `${world.provider.issuer}/userinfo`;
    const withId = await call(userinfo, 'GET', { token: tokens.idToken });
    const withAccess = await call(userinfo, 'GET', { token: tokens.accessToken });
    return {
      parts: [
        exchange('GET', '/userinfo', 'Bearer <the ID token>', withId),
        exchange('GET', '/userinfo', 'Bearer <the access token>', withAccess),
      ],
      saved: {},
    };
  }),

  async 'storage-page'() {
    // Short lines, so the script reads whole on a narrow terminal too.
    const page = `<!doctype html><title>Where is the token?</title><script>
localStorage.setItem('access_token', 'eyJhbGciOi…');
const token = localStorage.getItem('access_token');
const cookies = JSON.stringify(document.cookie);
document.body.textContent = 'localStorage: ' + token
  + ' | document.cookie: ' + cookies;
</script>`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html', 'set-cookie': 'session=opaque-session-id; HttpOnly; SameSite=Lax; Path=/' });
      response.end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const response = await fetch(url);
      const body = await response.text();
      return {
        parts: [
          { kind: 'lines', lines: [`GET ${url}`, `  set-cookie: ${response.headers.get('set-cookie')}`] },
          { kind: 'code', heading: '  the page\'s script:', lines: body.split('\n').slice(1, -1) },
          blank,
          paragraph('In a browser this page shows: localStorage: eyJhbGciOi… | document.cookie: ""'),
          paragraph('Any script on the page (including one an attacker injected through an XSS bug) can read localStorage and send the token away. The HttpOnly cookie is sent with requests but is invisible to scripts. (XSS can still make requests with it, and a cookie needs CSRF protection: SameSite helps.)'),
        ],
        saved: {},
      };
    } finally {
      server.close();
      server.closeAllConnections();
    }
  },

  'client-credentials': async (context) => withDemoWorld(async (world, { tokenAnswer, tokenEndpoint, callUserinfo }) => {
    const service = world.agent('the backend service');
    const asked = await tokenEndpoint(world, service, { grant_type: 'client_credentials', scope: 'orders:read orders:write' });
    if (asked.response.status !== 200) return showing([recorded('', asked)], 'The token endpoint refused, so there is no token to look at.');
    const tokens = tokenAnswer(asked);
    const claims = decodeToken(tokens.access_token, context.now()).payload as Record<string, unknown>;
    const userinfo = await callUserinfo(world, service, tokens.access_token);
    return {
      parts: [
        recorded('Authorization: Basic <demo-app:secret>; grant_type=client_credentials, scope=orders:read orders:write', asked),
        { kind: 'remark', lead: '', text: 'No user signed in and no browser was involved: the service proved who it is with its own client secret.' },
        blank,
        { kind: 'table', rows: [
          ['sub (in the token)', `${JSON.stringify(claims.sub)}: the client_id, the app itself`],
          ['scope', String(tokens.scope)],
          ['refresh_token', tokens.refresh_token === undefined ? '(none): it can ask again' : 'present'],
          ['id_token', tokens.id_token === undefined ? '(none): nobody signed in' : 'present'],
        ] },
        blank,
        recorded('Authorization: Bearer <the service\'s token>', userinfo),
        { kind: 'remark', lead: '', text: 'userinfo answers questions about a user, and this token has none: 403.' },
        blank,
        { kind: 'value', label: 'The access token, saved for the next steps:', value: tokens.access_token },
      ],
      saved: { [context.args.save ?? 'serviceToken']: tokens.access_token },
    };
  }),

  'device-flow': async (context) => withDemoWorld(async (world, { tokenAnswer }) => {
    const [{ requestDeviceCodes, pollToken, pollError }, { approveDeviceAtProvider }, { DEFAULT_USERS }] = await Promise.all([import('../oauth/device-flow.js'), import('../oauth/user-agent.js'), import('../provider/directory.js')]);
    const tv = world.agent('the TV app');
    const codes = await requestDeviceCodes(world, tv);
    // The demo does not wait out the interval: it moves Mock Google's clock on instead.
    world.clock.skip(codes.interval);
    const pending = await pollToken(world, tv, codes.device_code);
    const tooSoon = await pollToken(world, tv, codes.device_code);
    const asha = DEFAULT_USERS[0]!;
    const phone = await approveDeviceAtProvider(world.agent('Asha\'s phone'), codes.verification_uri, codes.user_code, { email: asha.email, password: asha.password, allow: true });
    const interval = codes.interval + (pollError(tooSoon) === 'slow_down' ? 5 : 0);
    world.clock.skip(interval);
    const done = await pollToken(world, tv, codes.device_code);
    const accessToken = done.response.status === 200 ? tokenAnswer(done).access_token : undefined;
    return {
      parts: [
        recorded('client_id=swaad-tv, scope=openid profile email; a public client: no secret', codes.exchange),
        { kind: 'remark', lead: 'The TV shows: ', text: `on your phone, go to ${codes.verification_uri} and enter ${codes.user_code}` },
        blank,
        recorded(`the device code grant type and the device_code; ${codes.interval} s later`, pending),
        recorded('the same, again at once', tooSoon),
        { kind: 'remark', lead: '', text: `Polled faster than the interval: slow_down, and this device code's interval is now ${interval} seconds, for good.` },
        blank,
        paragraph(`Asha's phone (the terminal plays it): she opens ${codes.verification_uri}, types the code, signs in at Mock Google and allows.`),
        { kind: 'table', headings: ['request', 'answer'], rows: phone.map(pageRow) },
        blank,
        recorded(`the same, ${interval} s later`, done),
        ...(accessToken === undefined ? [] : [blank, tvTokenClaims(decodeToken(accessToken, context.now()).payload as Record<string, unknown>)]),
        blank,
        paragraph('The demo moved Mock Google\'s clock on instead of waiting out the interval. The password was typed on the phone, at Mock Google: the TV never saw it.'),
      ],
      saved: accessToken === undefined ? {} : { [context.args.save ?? 'tvToken']: accessToken },
      ok: accessToken !== undefined,
    };
  }),

  'refresh-rotation': async () => withDemoWorld(async (world, { tokenAnswer, tokenEndpoint, signInWithRefreshToken }) => {
    const app = world.agent('app');
    const signIn = await signInWithRefreshToken(world, app);
    const first = tokenAnswer(signIn).refresh_token;
    if (signIn.response.status !== 200 || first === undefined) return showing([recorded('', signIn)], 'The sign-in gave no refresh token, so there is nothing to rotate.');
    const refresh = (token: string) => tokenEndpoint(world, app, { grant_type: 'refresh_token', refresh_token: token });
    const rotated = await refresh(first);
    const second = tokenAnswer(rotated).refresh_token ?? '';
    const reused = await refresh(first);
    const afterReuse = await refresh(second);
    return showing([
      recorded('grant_type=authorization_code, the code, its code_verifier; the scope had offline_access', signIn),
      { kind: 'remark', lead: '', text: `Asha signed in once (quietly, the code flow of lesson 5). Refresh token 1: ${opening(first)}` },
      blank,
      recorded(`grant_type=refresh_token, refresh token 1 (${opening(first)})`, rotated),
      { kind: 'remark', lead: '', text: `A new access token, and refresh token 2 (${opening(second)}): token 1 is retired.` },
      blank,
      recorded(`refresh token 1 again (${opening(first)})`, reused),
      { kind: 'remark', lead: '', text: 'A retired refresh token came back: two parties hold it, the app and perhaps a thief.' },
      blank,
      recorded(`refresh token 2 (${opening(second)}), the newest`, afterReuse),
      { kind: 'remark', lead: '', text: 'Refused too: the whole family of this sign-in was revoked.' },
    ], 'Mock Google cannot tell who sent the old token, so it ends the whole sign-in: the thief is locked out, and Asha signs in again (RFC 9700 §4.14.2). Each call above carried the app\'s client secret (HTTP Basic), so a thief needs that too. A browser or mobile app has no secret, which is why rotation (or DPoP) matters most there.');
  }),
  ...BROWSER_APP_DEMOS_RUN,
  ...DPOP_DEMOS_RUN,
  ...ENDING_DEMOS_RUN,
};
