// Starts "Mock Google" on node:http: routes, limits, the request log, and a clean stop. The
// same function serves `jwt-vs-oauth provider`, the OAuth demo, the tutorial and the tests.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAuthorize, handleConsent, handleLogin } from './authorize.js';
import { DEFAULT_CLIENTS, DEFAULT_USERS, type Client, type User } from './directory.js';
import { handleDiscovery, handleIntrospect, handleJwks, handleLogout, handleRevoke, handleUserinfo } from './endpoints.js';
import type { Exchange, Handler } from './exchange.js';
import { HttpError, sendHtml, sendJson, sendOAuthError } from './http.js';
import { errorPage, pagePolicy } from './pages.js';
import { createProviderKeys, type AccessTokenAlgorithm } from './signing.js';
import { ProviderState, type ProviderConfig } from './state.js';
import { handleToken } from './token.js';

export interface ProviderOptions {
  /** Default 9400; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default http://<host>:<port>. */
  issuer?: string;
  users?: User[];
  clients?: Client[];
  autoApprove?: boolean;
  /** Seconds; default 3600. */
  accessTokenTtl?: number;
  /** How access tokens are signed: ES256 (default) or RS256; always with a key of their own. */
  accessTokenAlgorithm?: AccessTokenAlgorithm;
  /** Seconds; default 60. */
  codeTtl?: number;
  /** Seconds; default 86 400. */
  refreshTokenTtl?: number;
  /** Default 10 000. */
  maxPendingSignIns?: number;
  nowMs?: () => number;
  /** Slow-client limits in milliseconds (defaults: headers 10 s, whole request 30 s); tests shorten them. */
  timeouts?: { headersMs?: number; requestMs?: number };
  /** Called once per request, after the response is sent. */
  onRequest?: (event: RequestEvent) => void;
}

export interface RequestEvent {
  time: string;
  method: string;
  path: string;
  status: number;
  message: string;
  durationMs: number;
}

export interface RunningProvider {
  issuer: string;
  port: number;
  host: string;
  discoveryUrl: string;
  state: ProviderState;
  close(): Promise<void>;
}

const ROUTES: Array<{ path: RegExp; methods: string[]; handler: (exchange: Exchange, match: RegExpExecArray) => Promise<void> }> = [
  { path: /^\/\.well-known\/(openid-configuration|oauth-authorization-server)$/, methods: ['GET'], handler: handleDiscovery },
  { path: /^\/jwks$/, methods: ['GET'], handler: handleJwks },
  { path: /^\/authorize$/, methods: ['GET', 'POST'], handler: handleAuthorize },
  { path: /^\/interaction\/([\w-]{43})\/login$/, methods: ['POST'], handler: (exchange, match) => handleLogin(exchange, match[1]!) },
  { path: /^\/interaction\/([\w-]{43})\/consent$/, methods: ['POST'], handler: (exchange, match) => handleConsent(exchange, match[1]!) },
  { path: /^\/token$/, methods: ['POST'], handler: handleToken },
  { path: /^\/userinfo$/, methods: ['GET', 'POST'], handler: handleUserinfo },
  { path: /^\/revoke$/, methods: ['POST'], handler: handleRevoke },
  { path: /^\/introspect$/, methods: ['POST'], handler: handleIntrospect },
  { path: /^\/logout$/, methods: ['GET', 'POST'], handler: handleLogout },
  { path: /^\/$/, methods: ['GET'], handler: handleIndex },
];

async function handleIndex(exchange: Exchange): Promise<void> {
  exchange.say('index');
  sendJson(exchange.response, 200, {
    name: 'Mock Google: a local OpenID Connect provider for learning (a simulation, not Google)',
    discovery: `${exchange.state.config.issuer}/.well-known/openid-configuration`,
  });
}

const isHtmlRoute = (path: string) => path === '/authorize' || path.startsWith('/interaction/') || path === '/logout';

export async function startProvider(options: ProviderOptions = {}): Promise<RunningProvider> {
  const host = options.host ?? '127.0.0.1';
  const nowMs = options.nowMs ?? Date.now;
  const keys = await createProviderKeys(options.accessTokenAlgorithm);
  let state: ProviderState | undefined;

  const headersTimeout = options.timeouts?.headersMs ?? 10_000;
  const server: Server = createServer({
    maxHeaderSize: 16 * 1024,
    headersTimeout,
    requestTimeout: Math.max(options.timeouts?.requestMs ?? 30_000, headersTimeout),
    keepAliveTimeout: 5_000,
    // How often Node looks for slow clients; never slower than a quarter of the headers limit.
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, headersTimeout / 4)),
  }, (request, response) => {
    void route(state!, request, response, options.onRequest);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9400, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const config: ProviderConfig = {
    issuer: (options.issuer ?? `http://${urlHost}:${port}`).replace(/\/$/, ''),
    users: options.users ?? DEFAULT_USERS,
    clients: options.clients ?? DEFAULT_CLIENTS,
    autoApprove: options.autoApprove ?? false,
    accessTokenTtl: options.accessTokenTtl ?? 3600,
    idTokenTtl: 3600,
    codeTtl: options.codeTtl ?? 60,
    refreshTokenTtl: options.refreshTokenTtl ?? 86_400,
    interactionTtl: 600,
    maxPendingSignIns: options.maxPendingSignIns ?? 10_000,
  };
  state = new ProviderState(config, keys, nowMs);
  const sweeper = setInterval(() => state!.sweep(), 5_000);
  sweeper.unref();

  return {
    issuer: config.issuer,
    port,
    host,
    discoveryUrl: `${config.issuer}/.well-known/openid-configuration`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(state: ProviderState, request: IncomingMessage, response: ServerResponse, onRequest: ProviderOptions['onRequest']): Promise<void> {
  const started = performance.now();
  const url = new URL(request.url ?? '/', state.config.issuer);
  let message = '';
  const exchange: Exchange = { request, response, url, state, say: (text) => (message = text) };
  response.once('finish', () => {
    onRequest?.({
      time: new Date().toISOString(),
      method: request.method ?? '',
      path: url.pathname,
      status: response.statusCode,
      message: message || (response.statusCode >= 400 ? 'refused' : 'ok'),
      durationMs: Number((performance.now() - started).toFixed(2)),
    });
  });
  try {
    const found = ROUTES.map((candidate) => ({ candidate, match: candidate.path.exec(url.pathname) })).find((entry) => entry.match);
    if (!found) throw new HttpError(404, 'not_found', `Nothing at ${url.pathname}. Start from ${state.config.issuer}/.well-known/openid-configuration.`);
    if (!found.candidate.methods.includes(request.method ?? '')) {
      throw new HttpError(405, 'invalid_request', `${request.method} is not allowed here; use ${found.candidate.methods.join(' or ')}.`, { allow: found.candidate.methods.join(', ') });
    }
    await found.candidate.handler(exchange, found.match!);
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const httpError = error instanceof HttpError ? error : new HttpError(500, 'server_error', 'Something went wrong inside Mock Google.');
    if (!(error instanceof HttpError)) message = `internal error: ${(error as Error).message}`;
    else if (!message) message = `${httpError.error}: ${httpError.description}`;
    if (httpError.status === 413) response.setHeader('connection', 'close');
    if (isHtmlRoute(url.pathname) && request.method === 'GET' && httpError.status !== 413) {
      sendHtml(response, httpError.status, errorPage('Something is wrong with this request', httpError.description), pagePolicy(), httpError.headers);
    } else {
      sendOAuthError(response, httpError);
    }
  }
}
