// The hands-on steps of the lessons: each runs the project's real code in-process (the JWT
// core, Mock Google, the demo flow, the practice API) and returns what a learner should see.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderDecoded } from './commands/decode.js';
import { renderStep, type DrawnArrow } from './flow-view.js';
import type { Output } from './output.js';
import { renderVerification } from './verification-view.js';
import { decodeToken } from '../jwt/decode.js';
import { secretKey } from '../jwt/keys.js';
import { mintToken } from '../jwt/mint.js';
import { parseDuration, parseInstant } from '../jwt/time.js';
import { verifyToken } from '../jwt/verify.js';
import { runTerminalFlow } from '../oauth/flow.js';
import type { Narrator } from '../oauth/steps.js';
import { startDemoWorld } from '../oauth/world.js';
import { PRACTICE_API, startPracticeApi } from '../lessons/practice-api.js';

export interface HandsOnContext {
  output: Output;
  now(): number;
  width: number;
  /** Tokens saved by earlier steps, by name. */
  saved: Map<string, string>;
  /** Waits between the demo's steps on a terminal; a no-op in plain text. */
  pause(): Promise<void>;
}

type Action = (args: Record<string, unknown>, context: HandsOnContext) => Promise<string>;

const string = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

async function call(url: string, method: string, options: { token?: string; json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function line(output: Output, method: string, path: string, note: string, status: number, body: unknown): string {
  const c = output.colour;
  const shownBody = JSON.stringify(body).replace(/eyJ[\w-]{20,}\.[\w-]+\.[\w-]+/g, (token) => `${token.slice(0, 16)}…`);
  return `  ${c.bold('→')} ${method} ${path}${note ? c.dim(`  (${note})`) : ''}\n  ${c.bold('←')} ${status >= 400 ? c.red(String(status)) : c.green(String(status))} ${shownBody}`;
}

async function withPracticeApi<T>(context: HandsOnContext, run: (url: string) => Promise<T>): Promise<T> {
  const api = await startPracticeApi(context.now);
  try {
    return await run(api.url);
  } finally {
    await api.close();
  }
}

const asha = PRACTICE_API.users[0]!;

async function loginAsAsha(url: string): Promise<{ login: Awaited<ReturnType<typeof call>>; token: string }> {
  const login = await call(`${url}/login`, 'POST', { json: { email: asha.email, password: asha.password } });
  return { login, token: String(login.body.token) };
}

/** Plays the demo flow with no output: the first user, consent given. */
const silentNarrator: Narrator = {
  show: () => undefined,
  pause: async () => undefined,
  credentials: async (_hint, users) => ({ email: users[0]!.email, password: users[0]!.password }),
  consent: async () => true,
  note: () => undefined,
};

/** Runs the demo flow without pauses or output, to get real tokens from Mock Google. */
async function quietOAuthTokens(context: HandsOnContext): Promise<void> {
  if (context.saved.has('oauthAccess')) return;
  const world = await startDemoWorld();
  try {
    await runTerminalFlow(world, silentNarrator, { deny: false });
    saveTokensFrom(world, context);
  } finally {
    await world.close();
  }
}

function saveTokensFrom(world: Awaited<ReturnType<typeof startDemoWorld>>, context: HandsOnContext): void {
  const exchange = [...world.appEvents].reverse().find((event) => event.kind === 'token-exchange');
  if (exchange?.kind !== 'token-exchange') return;
  const tokens = JSON.parse(exchange.exchange.response.body) as { access_token: string; id_token: string };
  context.saved.set('oauthAccess', tokens.access_token);
  context.saved.set('oauthId', tokens.id_token);
}

export const ACTIONS: Record<string, Action> = {
  async 'practice-requests'(_args, context) {
    return withPracticeApi(context, async (url) => {
      const anonymous = await call(`${url}/profile`, 'GET');
      const { token } = await loginAsAsha(url);
      const admin = await call(`${url}/admin`, 'GET', { token });
      const profile = await call(`${url}/profile`, 'GET', { token });
      return [
        line(context.output, 'GET', '/profile', 'no credentials', anonymous.status, anonymous.body),
        line(context.output, 'GET', '/profile', 'with Asha\'s token', profile.status, profile.body),
        line(context.output, 'GET', '/admin', 'with Asha\'s token', admin.status, admin.body),
        '',
        '401 means "who are you?": authentication failed or was missing. 403 means "we know who you are, and you may not": authorization said no.',
      ].join('\n');
    });
  },

  async 'practice-login'(args, context) {
    return withPracticeApi(context, async (url) => {
      const { login, token } = await loginAsAsha(url);
      context.saved.set(string(args.save, 'loginToken'), token);
      const withToken = await call(`${url}/profile`, 'GET', { token });
      const without = await call(`${url}/profile`, 'GET');
      return [
        line(context.output, 'POST', '/login', `{"email":"${asha.email}","password":"…"}`, login.status, login.body),
        '     1-4: the server checked the password, minted a JWT (HS256, 15 minutes) and sent it back.',
        line(context.output, 'GET', '/profile', 'Authorization: Bearer <the JWT>', withToken.status, withToken.body),
        '     5: the client sends the token with each request; the server checks it with its secret, no session lookup.',
        line(context.output, 'GET', '/profile', 'no Authorization header', without.status, without.body),
        '',
        `The token, saved for the next steps:\n  ${token}`,
      ].join('\n');
    });
  },

  async 'practice-logout'(_args, context) {
    return withPracticeApi(context, async (url) => {
      const { token } = await loginAsAsha(url);
      const before = await call(`${url}/profile`, 'GET', { token });
      const logout = await call(`${url}/logout`, 'POST', { token });
      const after = await call(`${url}/profile`, 'GET', { token });
      return [
        line(context.output, 'GET', '/profile', 'a fresh token', before.status, before.body),
        line(context.output, 'POST', '/logout', 'the server writes the jti on a deny list', logout.status, logout.body),
        line(context.output, 'GET', '/profile', 'the same token again', after.status, after.body),
        '',
        'Taking the token back needed the server to remember something (the deny list) and to look it up on every request: state again. Without that list, the token would have kept working for its remaining 15 minutes.',
      ].join('\n');
    });
  },

  async mint(args, context) {
    const secret = string(args.secret, 'a-32-byte-secret-for-the-lessons!');
    const result = await mintToken({
      alg: string(args.alg, 'HS256'),
      key: secretKey(secret),
      sub: string(args.sub, 'asha'),
      iss: typeof args.iss === 'string' ? args.iss : undefined,
      aud: typeof args.aud === 'string' ? [args.aud] : undefined,
      claims: (args.claims as Record<string, unknown>) ?? {},
      expiresIn: args.noExp ? null : parseDuration(string(args.exp, '15m')),
      now: context.now(),
    });
    context.saved.set(string(args.save, 'token'), result.token);
    return [`Minted with the secret "${secret}":`, `  ${result.token}`, ...result.warnings.map((warning) => `  ! ${warning.code}: ${warning.message}`)].join('\n');
  },

  async decode(args, context) {
    if (args.ensure === 'oauth-flow') await quietOAuthTokens(context);
    const token = context.saved.get(string(args.token, 'token'));
    if (!token) throw new Error(`No token named "${string(args.token)}" was saved before this step.`);
    return renderDecoded(decodeToken(token, context.now()), context.output);
  },

  async verify(args, context) {
    const token = context.saved.get(string(args.token, 'token'))!;
    // `after` judges the token as of a time after now ("365d": a year later), so lessons stay true in any year.
    const now = typeof args.at === 'string' ? parseInstant(args.at) : context.now() + (typeof args.after === 'string' ? parseDuration(args.after) : 0);
    const result = await verifyToken(token, {
      keys: [secretKey(string(args.secret, 'a-32-byte-secret-for-the-lessons!'))],
      audience: typeof args.aud === 'string' ? [args.aud] : undefined,
      clockTolerance: 0,
      now,
    });
    return renderVerification(result, context.output, { now, clockTolerance: 0, at: typeof args.at === 'string' || typeof args.after === 'string' });
  },

  async tamper(args, context) {
    const token = context.saved.get(string(args.token, 'token'))!;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    claims[string(args.claim, 'sub')] = args.value;
    const changed = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    context.saved.set(string(args.save, 'tampered'), changed);
    return [`Changed ${string(args.claim, 'sub')} to ${JSON.stringify(args.value)} in the payload and kept the old signature:`, `  ${changed}`].join('\n');
  },

  async 'oauth-flow'(_args, context) {
    const world = await startDemoWorld();
    const history: DrawnArrow[] = [];
    try {
      const narrator: Narrator = {
        show: (step) => {
          history.push(...step.arrows.map((arrow) => ({ ...arrow, step: step.number })));
          const text = renderStep(step, history, context.output, { verbose: false, width: context.width });
          context.output.result(text);
        },
        pause: context.pause,
        credentials: async (_hint, users) => ({ email: users[0]!.email, password: users[0]!.password }),
        consent: async () => true,
        note: () => undefined,
      };
      const outcome = await runTerminalFlow(world, narrator, { deny: false });
      saveTokensFrom(world, context);
      return `${outcome.ok ? '✓' : '✗'} ${outcome.summary} The tokens are saved for the next lessons.`;
    } finally {
      await world.close();
    }
  },

  async 'compare-tokens'(_args, context) {
    await quietOAuthTokens(context);
    const now = context.now();
    const id = decodeToken(context.saved.get('oauthId')!, now);
    const access = decodeToken(context.saved.get('oauthAccess')!, now);
    const rows: Array<[string, unknown, unknown]> = [
      ['typ (header)', id.header.typ, access.header.typ],
      ['aud', (id.payload as Record<string, unknown>).aud, (access.payload as Record<string, unknown>).aud],
      ['scope', (id.payload as Record<string, unknown>).scope ?? '(none)', (access.payload as Record<string, unknown>).scope],
      ['nonce', (id.payload as Record<string, unknown>).nonce ? 'yes' : '(none)', (access.payload as Record<string, unknown>).nonce ?? '(none)'],
      ['email', (id.payload as Record<string, unknown>).email ?? '(none)', (access.payload as Record<string, unknown>).email ?? '(none)'],
    ];
    const c = context.output.colour;
    return [
      `  ${''.padEnd(14)} ${c.bold('ID token'.padEnd(30))} ${c.bold('access token')}`,
      ...rows.map(([name, left, right]) => `  ${name.padEnd(14)} ${String(left).padEnd(30)} ${String(right)}`),
      '',
      'The ID token is addressed to the app (aud = its client_id) and says who signed in. The access token is addressed to the API and says what the app may do (scope).',
    ].join('\n');
  },

  async discovery(_args, context) {
    const { startProvider } = await import('../provider/server.js');
    const provider = await startProvider({ port: 0 });
    try {
      const metadata = (await (await fetch(provider.discoveryUrl)).json()) as Record<string, unknown>;
      const shown = ['issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'code_challenge_methods_supported', 'id_token_signing_alg_values_supported'];
      return [`GET ${provider.discoveryUrl}`, ...shown.map((name) => `  ${name.padEnd(38)} ${JSON.stringify(metadata[name])}`), '', 'Integrating "Login with Google" means talking to all of these, with redirects, codes, PKCE and key rotation; a login you run yourself needs one endpoint and one secret.'].join('\n');
    } finally {
      await provider.close();
    }
  },

  async 'id-token-to-api'(_args, context) {
    const world = await startDemoWorld();
    try {
      await runTerminalFlow(world, silentNarrator, { deny: false });
      saveTokensFrom(world, context);
      const userinfo = `${world.provider.issuer}/userinfo`;
      const withId = await call(userinfo, 'GET', { token: context.saved.get('oauthId') });
      const withAccess = await call(userinfo, 'GET', { token: context.saved.get('oauthAccess') });
      return [line(context.output, 'GET', '/userinfo', 'Bearer <the ID token>', withId.status, withId.body), line(context.output, 'GET', '/userinfo', 'Bearer <the access token>', withAccess.status, withAccess.body)].join('\n');
    } finally {
      await world.close();
    }
  },

  async 'storage-page'(_args, context) {
    const page = `<!doctype html><title>Where is the token?</title><script>
localStorage.setItem('access_token', 'eyJhbGciOi…');
document.body.textContent = 'localStorage: ' + localStorage.getItem('access_token') + ' | document.cookie: ' + JSON.stringify(document.cookie);
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
      return [
        `GET ${url}`,
        `  set-cookie: ${response.headers.get('set-cookie')}`,
        '  the page\'s script:',
        ...body.split('\n').slice(1, 3).map((text) => `    ${text}`),
        '',
        'In a browser this page shows: localStorage: eyJhbGciOi… | document.cookie: ""',
        'Any script on the page (including one an attacker injected through an XSS bug) can read localStorage and send the token away. The HttpOnly cookie is sent with requests but is invisible to scripts. (XSS can still make requests with it, and a cookie needs CSRF protection: SameSite helps.)',
      ].join('\n');
    } finally {
      server.close();
      server.closeAllConnections();
    }
  },
};

export async function runHandsOn(action: string, args: Record<string, unknown>, context: HandsOnContext): Promise<string> {
  const run = ACTIONS[action];
  if (!run) throw new Error(`Unknown hands-on action "${action}".`);
  return run(args, context);
}

/** Reads a value a question asks about: "token:oauthAccess.payload.scope". */
export function valueFromReference(reference: string, context: HandsOnContext): string | undefined {
  const match = /^token:([A-Za-z]+)\.(payload|header)\.([\w.]+)$/.exec(reference);
  if (!match) return undefined;
  const token = context.saved.get(match[1]!);
  if (!token) return undefined;
  const decoded = decodeToken(token, context.now());
  const source = (match[2] === 'header' ? decoded.header : decoded.payload) as Record<string, unknown>;
  const value = source?.[match[3]!];
  return value === undefined ? undefined : Array.isArray(value) ? value.join(' ') : String(value);
}
