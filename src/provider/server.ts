// Starts "Mock Google" on node:http: routes, limits, the request log, and a clean stop. The
// same function serves `jwt-vs-oauth provider`, the OAuth demo, the tutorial and the tests.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { InputError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { handleAuthorize, handleConsent, handleLogin } from './authorize.js';
import { DEFAULT_CLIENTS, DEFAULT_USERS, type Client, type User } from './directory.js';
import { handleDeviceAuthorization, handleDeviceConsent, handleDeviceLogin, handleDevicePage, USER_CODE_ALPHABET } from './device.js';
import { handleDiscovery, handleIntrospect, handleJwks, handleLogout, handleRevoke, handleUserinfo } from './endpoints.js';
import type { Exchange, Handler } from './exchange.js';
import { BodyBudget, closeAfterAnswer, errorDescriptionText, HttpError, readBodyWithin, sendEmpty, sendHtml, sendJson } from './http.js';
import { errorPage, pagePolicy } from './pages.js';
import { loadOrCreateKeys, saveKeysFile } from './keys-file.js';
import { createProviderKeys, LONGEST_TOKEN_LIFETIMES, rotateProviderKeys, type AccessTokenAlgorithm, type ProviderKeys, type TokenKind } from './signing.js';
import { ProviderState, type ProviderConfig } from './state.js';
import { handleToken } from './token.js';

/** Access tokens live minutes, not hours: a leaked bearer token works only until it expires. */
export const DEFAULT_ACCESS_TOKEN_TTL = 15 * 60;
/** Authorization codes are redeemed by software within seconds, so a minute is plenty. */
export const DEFAULT_CODE_TTL = 60;
/**
 * The longest code lifetime RFC 6749 §4.1.2 recommends ("a maximum authorization code lifetime
 * of 10 minutes"): for a learner copying a code from a browser into curl by hand.
 */
export const LONGEST_CODE_TTL = 10 * 60;

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
  /** Seconds; default DEFAULT_ACCESS_TOKEN_TTL (15 minutes). */
  accessTokenTtl?: number;
  /** How access tokens are signed: ES256 (default) or RS256; always with a key of their own. */
  accessTokenAlgorithm?: AccessTokenAlgorithm;
  /** Seconds; default DEFAULT_CODE_TTL (60 s). Each code still works once. */
  codeTtl?: number;
  /** Seconds; default 86 400. */
  refreshTokenTtl?: number;
  /** Sign-ins waiting at the pages; default 10 000 (the oldest is forgotten past it). */
  maxPendingSignIns?: number;
  /** Entry and byte ceilings per store, over the defaults in state.ts (tests shrink them). */
  limits?: ProviderConfig['limits'];
  /**
   * The provider's clock, in milliseconds since 1970 (default Date.now): what codes, tokens and
   * sign-ins expire by, and the time each request is logged at. A CLI command passes its own
   * clock, so a test can move time on without waiting.
   */
  nowMs?: () => number;
  /**
   * Slow-client limits in milliseconds (defaults: headers 10 s, whole request 30 s); tests shorten
   * them. A connection with no traffic either way for the request limit plus one check is closed:
   * that is how a client that stopped taking its answers lets its place go.
   */
  timeouts?: { headersMs?: number; requestMs?: number };
  /** Open connections at most (default MAX_CONNECTIONS); Node closes any more at once. */
  maxConnections?: number;
  /** Request body bytes being read at once, all requests together (default MAX_BODY_BYTES_IN_FLIGHT, at least 64 KiB). */
  maxBodyBytesInFlight?: number;
  /** Called once per request, after the response is sent. */
  onRequest?: (event: RequestEvent) => void;
  /**
   * Keep the signing keys in this file (made 0600 if missing), so tokens of one run verify after a
   * restart. Without it, new keys each start. A link, a file others may read or write, or one
   * that is not a keys file is refused (InputError ERR_KEYS_FILE) before the port is opened.
   */
  keysFile?: string;
  /** Rotate the keys at start: new ones sign, the old ones stay in /jwks until their tokens expire (saved to keysFile). */
  rotateKeys?: boolean;
}

/** Where the keys came from at start, for the banner. */
export interface KeysReport {
  /** The keys file, if one is used. */
  file?: string;
  /** new: made this start (and written to the file, if any); loaded: read from the file. */
  origin: 'new' | 'loaded';
  /** Rotated at start (rotateKeys, or the file's access-token key had another algorithm than asked). */
  rotated: boolean;
  /** kids: what signs now, and the retired ones still published. */
  idTokenKid: string;
  accessTokenKid: string;
  retiredKids: string[];
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
  /** What a flood of clients may hold at once (the defaults unless options changed them). */
  connectionLimits: { maxConnections: number; maxBodyBytesInFlight: number };
  /** Connections open now (for the benchmark). */
  openConnections(): Promise<number>;
  /** Where the signing keys came from, and which sign now. */
  keys: KeysReport;
  /**
   * Key rotation (OIDC Core §10.1.1): new keys sign from now on, the old ones stay in /jwks and
   * verify until their tokens have expired; saved to keysFile if there is one. Returns the new report.
   */
  rotateKeys(): Promise<KeysReport>;
  close(): Promise<void>;
}

interface Route {
  path: RegExp;
  methods: string[];
  /** Called from a browser app on another origin (the public client): CORS, never with credentials. */
  cors?: boolean;
  handler: (exchange: Exchange, match: RegExpExecArray) => Promise<void>;
}

const ROUTES: Route[] = [
  { path: /^\/\.well-known\/(openid-configuration|oauth-authorization-server)$/, methods: ['GET'], cors: true, handler: handleDiscovery },
  { path: /^\/jwks$/, methods: ['GET'], cors: true, handler: handleJwks },
  { path: /^\/authorize$/, methods: ['GET', 'POST'], handler: handleAuthorize },
  { path: /^\/interaction\/([\w-]{43})\/login$/, methods: ['POST'], handler: (exchange, match) => handleLogin(exchange, match[1]!) },
  { path: /^\/interaction\/([\w-]{43})\/consent$/, methods: ['POST'], handler: (exchange, match) => handleConsent(exchange, match[1]!) },
  { path: /^\/token$/, methods: ['POST'], cors: true, handler: handleToken },
  { path: /^\/device_authorization$/, methods: ['POST'], cors: true, handler: handleDeviceAuthorization },
  { path: /^\/device$/, methods: ['GET', 'POST'], handler: handleDevicePage },
  { path: new RegExp(`^/device/([${USER_CODE_ALPHABET}]{8})/login$`), methods: ['POST'], handler: (exchange, match) => handleDeviceLogin(exchange, match[1]!) },
  { path: new RegExp(`^/device/([${USER_CODE_ALPHABET}]{8})/consent$`), methods: ['POST'], handler: (exchange, match) => handleDeviceConsent(exchange, match[1]!) },
  { path: /^\/userinfo$/, methods: ['GET', 'POST'], cors: true, handler: handleUserinfo },
  { path: /^\/revoke$/, methods: ['POST'], cors: true, handler: handleRevoke },
  { path: /^\/introspect$/, methods: ['POST'], handler: handleIntrospect },
  { path: /^\/logout$/, methods: ['GET', 'POST'], handler: handleLogout },
  { path: /^\/$/, methods: ['GET'], handler: handleIndex },
];

// Any origin may call these endpoints, but never with cookies: `*` cannot be combined with
// credentials, and Access-Control-Allow-Credentials is never sent. The bearer token or the
// PKCE verifier is what proves the caller, not the browser's ambient authority.
const CORS_HEADERS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'www-authenticate' };
const PREFLIGHT_MAX_AGE_SECONDS = 600;

async function handleIndex(exchange: Exchange): Promise<void> {
  exchange.say('index');
  sendJson(exchange.response, 200, {
    name: 'Mock Google: a local OpenID Connect provider for learning (a simulation, not Google)',
    discovery: `${exchange.state.config.issuer}/.well-known/openid-configuration`,
  });
}

// What a flood of slow clients can make the process hold, on top of the stores (88.75 MiB
// estimated; 177 to 198 MB of RSS measured with all of them full and the heap limited to 192 MB), within the 256 MB budget:
//  - each connection: at most 16 KiB of headers, about 23 KB of RSS for one sending them
//    slowly (for 10 s at most);
//  - request bodies: reserved before they are read (BodyBudget in http.ts), 4 MiB together,
//    that is 64 unfinished 64 KiB bodies at about 95 KB each with their headers;
//  - answers the client does not take: at most MAX_UNANSWERED_PER_CONNECTION per connection
//    (pipelined requests are parsed ahead, one read of up to 64 KiB at a time, and each gets an
//    answer queued behind the one being written); past it the connection is closed, and a
//    connection whose client takes nothing for the request limit is closed too.
// Worst case 64 × 95 KB + 192 × 23 KB, about 11 MB; bench/memory.mjs measures 5 to 8 MB over
// the stores, with 8 000 connections sending bodies. A classroom needs far less: a browser opens
// at most 6 connections to a host, and a form body is under 4 KiB (a thousand fit in 4 MiB).
export const MAX_CONNECTIONS = 256;
export const MAX_BODY_BYTES_IN_FLIGHT = 4 * 1024 * 1024;
// Browsers never pipeline; a client that does may have this many requests waiting for their
// answers. One more, and the connection is closed (RFC 9112 §9.3.2: such a client retries).
export const MAX_UNANSWERED_PER_CONNECTION = 16;

const isHtmlRoute = (path: string) => path === '/authorize' || path.startsWith('/interaction/') || path === '/logout' || path === '/device' || path.startsWith('/device/');

/**
 * Checks an issuer given by the user and returns it in the form tokens carry: an http(s) URL
 * without credentials, query or fragment (OIDC Discovery §3), no trailing slash. A path is
 * allowed: the endpoints are then served under it.
 */
export function normalizeIssuer(value: string, label = 'issuer'): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Not a URL at all: the message below says what is expected.
  }
  const shown = terminalSafe(JSON.stringify(value));
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InputError('ERR_BAD_ISSUER', `${label}: ${shown} is not an http:// or https:// URL.`, 'An issuer looks like http://127.0.0.1:9400 or https://login.example.com/tenant.');
  }
  if (url.search || url.hash || /[?#]/.test(value) || url.username || url.password) {
    throw new InputError('ERR_BAD_ISSUER', `${label}: ${shown} has a query, a fragment or a user name; an issuer has none (OpenID Connect Discovery §3).`);
  }
  return url.href.replace(/\/+$/, '');
}

/** ID tokens live an hour. */
const ID_TOKEN_TTL = 3600;

/**
 * The keys to sign with: new ones, or those kept in options.keysFile (made there if missing);
 * rotated when asked, or when the file's access-token key has another algorithm than asked for.
 */
async function startingKeys(options: ProviderOptions, lifetimes: Record<TokenKind, number>, nowSeconds: number): Promise<{ keys: ProviderKeys; origin: KeysReport['origin']; rotated: boolean }> {
  // New keys have signed nothing: rotating them would only retire keys no token needs.
  if (options.keysFile === undefined) return { keys: await createProviderKeys(options.accessTokenAlgorithm), origin: 'new', rotated: false };
  const { keys, created } = await loadOrCreateKeys(options.keysFile, options.accessTokenAlgorithm, nowSeconds);
  if (created) return { keys, origin: 'new', rotated: false };
  const otherAlgorithm = options.accessTokenAlgorithm !== undefined && options.accessTokenAlgorithm !== keys.accessToken.alg;
  if (options.rotateKeys || otherAlgorithm) {
    await rotateProviderKeys(keys, nowSeconds, lifetimes, options.rotateKeys ? ['idToken', 'accessToken'] : ['accessToken'], options.accessTokenAlgorithm);
    await saveKeysFile(options.keysFile, keys);
  }
  return { keys, origin: 'loaded', rotated: options.rotateKeys === true || otherAlgorithm };
}

export async function startProvider(options: ProviderOptions = {}): Promise<RunningProvider> {
  const host = options.host ?? '127.0.0.1';
  const nowMs = options.nowMs ?? Date.now;
  // Checked before listening, so a bad issuer never leaves a port open.
  const givenIssuer = options.issuer === undefined ? undefined : normalizeIssuer(options.issuer);
  const accessTokenTtl = options.accessTokenTtl ?? DEFAULT_ACCESS_TOKEN_TTL;
  // How long a retired key stays: until the last token it signed has expired. A key from a keys
  // file may have signed in an earlier run with a longer lifetime: the longest one then.
  const lifetimes: Record<TokenKind, number> = options.keysFile === undefined
    ? { idToken: ID_TOKEN_TTL, accessToken: accessTokenTtl }
    : { idToken: Math.max(ID_TOKEN_TTL, LONGEST_TOKEN_LIFETIMES.idToken), accessToken: Math.max(accessTokenTtl, LONGEST_TOKEN_LIFETIMES.accessToken) };
  const { keys, origin, rotated } = await startingKeys(options, lifetimes, Math.floor(nowMs() / 1000));
  let state: ProviderState | undefined;

  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  if (!Number.isSafeInteger(maxConnections) || maxConnections < 1) throw new TypeError('maxConnections must be a positive integer.');
  const headersTimeout = options.timeouts?.headersMs ?? 10_000;
  const requestTimeout = Math.max(options.timeouts?.requestMs ?? 30_000, headersTimeout);
  // How often Node looks for slow clients; never slower than a quarter of the headers limit.
  const connectionsCheckingInterval = Math.min(30_000, Math.max(50, headersTimeout / 4));
  // A body being read is cut off at the latest one check after the request limit.
  const bodyBudget = new BodyBudget(options.maxBodyBytesInFlight ?? MAX_BODY_BYTES_IN_FLIGHT, requestTimeout + connectionsCheckingInterval);
  const server: Server = createServer({
    maxHeaderSize: 16 * 1024,
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval,
  }, (request, response) => {
    if (!admitPipelined(request, response, options.onRequest, nowMs)) return;
    readBodyWithin(request, bodyBudget);
    void route(state!, request, response, options.onRequest);
  });
  // Beyond this, Node closes a new connection as soon as it is accepted, before reading a byte.
  server.maxConnections = maxConnections;
  // Node's idle timer for each connection, reset by every byte read or written: a client that
  // stopped reading leaves its answers unwritten and no traffic, and is closed after this long.
  // Later than the request limit, so a slow request still gets its 408.
  server.timeout = requestTimeout + connectionsCheckingInterval;
  server.on('clientError', answerUnparsableRequest);
  server.on('connect', refuseTunnel);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9400, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, a server error is a failed accept (EMFILE under a flood of connections): the
  // server keeps listening, and an unheard 'error' event would end the process.
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const config: ProviderConfig = {
    issuer: givenIssuer ?? `http://${urlHost}:${port}`,
    users: options.users ?? DEFAULT_USERS,
    clients: options.clients ?? DEFAULT_CLIENTS,
    autoApprove: options.autoApprove ?? false,
    accessTokenTtl,
    idTokenTtl: ID_TOKEN_TTL,
    codeTtl: options.codeTtl ?? DEFAULT_CODE_TTL,
    refreshTokenTtl: options.refreshTokenTtl ?? 86_400,
    interactionTtl: 600,
    maxPendingSignIns: options.maxPendingSignIns ?? 10_000,
    limits: options.limits,
  };
  state = new ProviderState(config, keys, nowMs);
  const sweeper = setInterval(() => state!.sweep(), 5_000);
  sweeper.unref();
  const report = (wasRotated: boolean, from: KeysReport['origin']): KeysReport => ({
    ...(options.keysFile !== undefined && { file: options.keysFile }),
    origin: from,
    rotated: wasRotated,
    idTokenKid: keys.idToken.kid,
    accessTokenKid: keys.accessToken.kid,
    retiredKids: keys.retired.map((key) => key.kid),
  });

  return {
    keys: report(rotated, origin),
    rotateKeys: async () => {
      await rotateProviderKeys(keys, state!.nowSeconds(), lifetimes);
      if (options.keysFile !== undefined) await saveKeysFile(options.keysFile, keys);
      return report(true, origin);
    },
    issuer: config.issuer,
    port,
    host,
    discoveryUrl: `${config.issuer}/.well-known/openid-configuration`,
    state,
    connectionLimits: { maxConnections, maxBodyBytesInFlight: bodyBudget.maxBytes },
    openConnections: () => new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count ?? 0))),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Per connection, the answers Node has been asked for and has not yet handed to the OS.
const unanswered = new WeakMap<object, number>();

/**
 * Node parses pipelined requests ahead of their answers: a client that sends thousands in one
 * write and never reads would make it queue an answer for each (gigabytes, measured). Past
 * MAX_UNANSWERED_PER_CONNECTION the connection is closed; the requests parsed from the same
 * read after that are dropped unanswered. Returns whether to answer this request.
 */
function admitPipelined(request: IncomingMessage, response: ServerResponse, onRequest: ProviderOptions['onRequest'], nowMs: () => number): boolean {
  const socket = request.socket;
  if (socket.destroyed) return false;
  const waiting = (unanswered.get(socket) ?? 0) + 1;
  if (waiting > MAX_UNANSWERED_PER_CONNECTION) {
    dropRequestsStillToParse(socket);
    socket.destroy();
    try {
      onRequest?.({ time: new Date(nowMs()).toISOString(), method: request.method ?? '', path: request.url ?? '', status: 0, message: `the client sent more than ${MAX_UNANSWERED_PER_CONNECTION} requests without taking their answers: connection closed`, durationMs: 0 });
    } catch {
      // A log line that cannot be written must not stop the provider.
    }
    return false;
  }
  unanswered.set(socket, waiting);
  response.once('finish', () => unanswered.set(socket, (unanswered.get(socket) ?? 1) - 1));
  return true;
}

/**
 * Node goes on parsing the rest of the read it is in (up to 64 KiB, some 2 000 requests) after
 * the connection is closed, and makes a request and a response object for each, held until the
 * connection's close event: about 4 MB of heap for one read, and +107 MB of RSS measured for 256
 * connections at once. From here each request is dropped as soon as its headers are parsed
 * (+10 MB of RSS for the same 256).
 * Node's parser is internal: should it change, admitPipelined still drops them, at that cost.
 */
function dropRequestsStillToParse(socket: object): void {
  const parser = (socket as { parser?: { onIncoming?: unknown } }).parser;
  if (parser && typeof parser.onIncoming === 'function') parser.onIncoming = () => 0;
}

/**
 * Answers one request. Everything, from reading the request target to the last header, runs
 * inside one error boundary: a bad request gets a 4xx, an internal error a 500 with a request
 * id, an answer that cannot be written closes the connection; nothing reaches the process.
 */
async function route(state: ProviderState, request: IncomingMessage, response: ServerResponse, onRequest: ProviderOptions['onRequest']): Promise<void> {
  const started = performance.now();
  const method = request.method ?? '';
  let path = request.url ?? '';
  let routedPath = '';
  let message = '';
  let logged = false;
  const log = (status = response.statusCode) => {
    if (logged) return;
    logged = true;
    try {
      onRequest?.({ time: new Date(state.nowMs()).toISOString(), method, path, status, message: message || (status >= 400 ? 'refused' : 'ok'), durationMs: Number((performance.now() - started).toFixed(2)) });
    } catch {
      // A log line that cannot be written must not stop the provider.
    }
  };
  response.once('finish', () => log());
  try {
    const url = parseRequestTarget(request.url ?? '', state.origin);
    path = url.pathname;
    routedPath = pathUnderIssuer(url.pathname, state.basePath);
    const exchange: Exchange = { request, response, url, state, say: (text) => (message = text) };
    const found = findRoute(routedPath);
    if (!found) throw new HttpError(404, 'not_found', `Nothing at ${shortPath(url.pathname)}. Start from ${state.config.issuer}/.well-known/openid-configuration.`);
    const { route: target, match } = found;
    if (method === 'OPTIONS' && target.cors) {
      message = 'CORS preflight: any origin, no credentials';
      return sendEmpty(response, 204, {
        ...CORS_HEADERS,
        'access-control-allow-methods': target.methods.join(', '),
        'access-control-allow-headers': 'authorization, content-type, dpop',
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      });
    }
    if (target.cors) for (const [name, value] of Object.entries(CORS_HEADERS)) response.setHeader(name, value);
    if (!target.methods.includes(method)) {
      throw new HttpError(405, 'invalid_request', `${method} is not allowed here; use ${target.methods.join(' or ')}.`, { allow: target.methods.join(', ') });
    }
    await target.handler(exchange, match);
  } catch (error) {
    if (response.destroyed && !response.headersSent) {
      // The client went away, say in the middle of its body: nobody to answer, but the log says so.
      message = `the client closed the connection before it was answered (${(error as Error)?.message ?? String(error)})`;
      return log(0);
    }
    message = answerError(request, response, routedPath, error, message);
    if (!response.writableFinished && response.destroyed) log(response.headersSent ? response.statusCode : 0);
  }
}

/** The request target as a URL: origin-form (/token?…) or absolute-form (RFC 9112 §3.2); anything else is a 400. */
function parseRequestTarget(target: string, origin: string): URL {
  try {
    // Origin-form is joined to the origin as text: "//x" is a path here, not another host.
    if (target.startsWith('/')) return new URL(origin + target);
    const url = new URL(target);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // Not a URL: the 400 below.
  }
  throw new HttpError(400, 'invalid_request', 'The request target is neither a path such as /token nor an absolute http URL (RFC 9112 §3.2).');
}

const MAX_ECHOED_PATH = 100;

/** A requested path as a 404 repeats it: the first 100 characters, then "…" (a path may be kilobytes long). */
function shortPath(pathname: string): string {
  return pathname.length > MAX_ECHOED_PATH ? `${pathname.slice(0, MAX_ECHOED_PATH)}…` : pathname;
}

/**
 * The path an endpoint is matched on. With an issuer such as http://127.0.0.1:9400/base the
 * endpoints are under /base (as discovery advertises), the sign-in pages too; RFC 8414 §3.1
 * puts the metadata at /.well-known/oauth-authorization-server/base, so it is found there too.
 */
function pathUnderIssuer(pathname: string, basePath: string): string {
  if (!basePath) return pathname;
  // Checked first: under a base path of /.well-known, this path also starts with the base.
  if (pathname === `/.well-known/oauth-authorization-server${basePath}`) return '/.well-known/oauth-authorization-server';
  if (pathname === basePath) return '/';
  if (pathname.startsWith(`${basePath}/`)) return pathname.slice(basePath.length);
  return '';
}

function findRoute(path: string): { route: Route; match: RegExpExecArray } | undefined {
  for (const candidate of ROUTES) {
    const match = candidate.path.exec(path);
    if (match) return { route: candidate, match };
  }
  return undefined;
}

/** Sends the error answer and returns the log message. Never throws. */
function answerError(request: IncomingMessage, response: ServerResponse, routedPath: string, error: unknown, said: string): string {
  if (response.headersSent) {
    response.destroy();
    return `failed after the answer began, connection closed: ${(error as Error)?.message ?? String(error)}`;
  }
  let message = said;
  let httpError: HttpError;
  if (error instanceof HttpError) {
    httpError = error;
    if (!message) message = `${error.error}: ${error.description}`;
  } else {
    const requestId = randomUUID();
    message = `internal error (request id ${requestId}): ${(error as Error)?.message ?? String(error)}`;
    httpError = new HttpError(500, 'server_error', `Something went wrong inside Mock Google. The provider's log names this request ${requestId}.`, { 'x-request-id': requestId });
  }
  try {
    // Refused before its body was read: the rest of the body is never read.
    if (httpError.status === 413 || httpError.headers.connection === 'close') closeAfterAnswer(request, response);
    if (isHtmlRoute(routedPath) && request.method === 'GET' && httpError.status !== 413) {
      sendHtml(response, httpError.status, errorPage('Something is wrong with this request', httpError.description, httpError.status === 503 ? 'busy' : 'other'), pagePolicy(), httpError.headers);
    } else {
      // Every error_description leaves here, so the character set of RFC 6749 §5.2 holds at one place.
      sendJson(response, httpError.status, { error: httpError.error, error_description: errorDescriptionText(httpError.description), ...(httpError.status === 500 ? { request_id: httpError.headers['x-request-id'] } : {}) }, httpError.headers);
    }
    return message;
  } catch (writeError) {
    return answerUnwritable(response, `${message}; the answer could not be written: ${(writeError as Error)?.message ?? String(writeError)}`);
  }
}

/** The last resort when an answer cannot be written: a bare 500, else the connection is closed. */
function answerUnwritable(response: ServerResponse, message: string): string {
  const requestId = randomUUID();
  try {
    for (const name of response.getHeaderNames()) response.removeHeader(name);
    sendJson(response, 500, { error: 'server_error', error_description: `Something went wrong inside Mock Google. The provider's log names this request ${requestId}.`, request_id: requestId }, { 'x-request-id': requestId });
    return `internal error (request id ${requestId}): ${message}`;
  } catch {
    response.destroy();
    return `internal error, connection closed: ${message}`;
  }
}

/**
 * A request Node cannot parse (bad request line, header too large, bad chunking) or a slow
 * client: the fitting status when nothing was answered yet, then the connection is closed.
 */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (socket.writable && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0 && error.code !== 'ECONNRESET') {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }
  socket.destroy();
}

/** CONNECT (a proxy tunnel) is not something a provider does: 405, then the connection is closed. */
function refuseTunnel(_request: IncomingMessage, socket: Duplex): void {
  // Node hands over the bare socket without its error listener; a reset must not reach the process.
  socket.on('error', () => socket.destroy());
  socket.end('HTTP/1.1 405 Method Not Allowed\r\nallow: GET, POST, OPTIONS\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
}
