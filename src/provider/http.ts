// HTTP plumbing for the provider: capped bodies, JSON and HTML responses with security
// headers, OAuth error responses (RFC 6749 §5.2), and client authentication.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isConfidential, type Client } from './directory.js';
import { checkClientAssertion, CLIENT_ASSERTION_TYPE } from './client-assertion.js';
import { oversizeMessage, oversizeParameter, type ProviderState } from './state.js';
import { quoteUntrusted } from '../protocol/untrusted-quote.js';

// error_description's text lives with the protocol helpers, so the client's orders API shares it.
export { errorDescriptionText, headerParameterText } from '../protocol/error-description.js';

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/**
 * The request body bytes one server may hold at once, across all its requests. Each reader
 * reserves what it may buffer (the declared Content-Length, or 64 KiB for a chunked body)
 * before it reads a byte, and gives it back when done. Without this, every slow client holding
 * an unfinished 64 KiB body costs the provider about 85 KB of memory, with no limit but the
 * number of connections.
 */
export class BodyBudget {
  readonly #reading = new Map<symbol, { bytes: number; startedMs: number }>();
  #bytesReserved = 0;

  /**
   * @param maxBytes at least MAX_BODY_BYTES, so one body always fits.
   * @param cutOffMs how long a body may be read before the server cuts the connection off
   *   (its request timeout plus how often it checks): what the Retry-After is computed from.
   */
  constructor(
    readonly maxBytes: number,
    readonly cutOffMs: number,
    readonly nowMs: () => number = Date.now,
  ) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < MAX_BODY_BYTES) throw new TypeError(`maxBodyBytesInFlight must be an integer of at least ${MAX_BODY_BYTES}.`);
  }

  /** Reserves `bytes` and returns the function that gives them back; or, when they do not fit, the seconds until room is certain. */
  reserve(bytes: number): (() => void) | number {
    if (this.#bytesReserved + bytes > this.maxBytes) {
      // The Map keeps insertion order: the first entry is the oldest read, the first to be
      // finished or cut off.
      const oldest = this.#reading.values().next().value;
      return oldest ? Math.max(1, Math.ceil((oldest.startedMs + this.cutOffMs - this.nowMs()) / 1000)) : 1;
    }
    const key = Symbol('body');
    this.#reading.set(key, { bytes, startedMs: this.nowMs() });
    this.#bytesReserved += bytes;
    return () => {
      if (this.#reading.delete(key)) this.#bytesReserved -= bytes;
    };
  }
}

const bodyBudgets = new WeakMap<IncomingMessage, BodyBudget>();

/** Makes readBody count this request's body against `budget` (the server calls it for every request). */
export function readBodyWithin(request: IncomingMessage, budget: BodyBudget): void {
  bodyBudgets.set(request, budget);
}

/**
 * Reads the body, refusing more than 64 KiB with 413 before reading it all, and with 503 (and
 * Connection: close) before reading anything when the server's body budget is spent. The
 * server answers either at once and closes the connection without reading the rest
 * (closeAfterAnswer).
 */
export async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'invalid_request', 'The request body is larger than 64 KiB.');
  const budget = bodyBudgets.get(request);
  // Node's parser has checked the framing: a chunked body has no Content-Length, and may run to the limit.
  const mayBuffer = request.headers['transfer-encoding'] === undefined ? declared : MAX_BODY_BYTES;
  const release = budget ? budget.reserve(mayBuffer) : () => undefined;
  if (typeof release === 'number') {
    const megabytes = budget!.maxBytes / 1024 / 1024;
    // An estimate: the oldest read is finished or cut off by then, but others may take its room first.
    throw new HttpError(503, 'temporarily_unavailable', `Mock Google is already reading as many request bodies as it allows at once (${Number(megabytes.toFixed(2))} MiB together); try again in about ${release} s.`, { 'retry-after': String(release), connection: 'close' });
  }
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, 'invalid_request', 'The request body is larger than 64 KiB.');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    release();
  }
}

/**
 * For an answer that refuses a request before its body is read (413, 503): the connection
 * reads nothing more and is closed once the answer is handed to the OS. Reading the unread body
 * only to drop it would cost as much memory as serving it, and a flood of refused requests
 * would pile that up faster than the garbage collector frees it.
 */
export function closeAfterAnswer(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket;
  socket.pause();
  response.setHeader('connection', 'close');
  response.once('finish', () => socket.destroy());
}

/** Form parameters (application/x-www-form-urlencoded); a parameter sent twice is an error (RFC 6749 §3.1). */
export async function readForm(request: IncomingMessage): Promise<Map<string, string>> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  return uniqueParameters(new URLSearchParams(await readBody(request)));
}

export function uniqueParameters(search: URLSearchParams): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const [name, value] of search) {
    if (parameters.has(name)) throw new HttpError(400, 'invalid_request', `The parameter ${quoteUntrusted(name)} was sent more than once.`);
    parameters.set(name, value);
  }
  return parameters;
}

const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

// Header values may carry text from a request or a token (an error_description, a name): Node
// refuses a header with a control character or a character beyond Latin-1, and throws.
const NOT_HEADER_SAFE = /[^\t\x20-\x7e]/g;

/** A header value that is always writable: anything but printable ASCII and tab becomes "?". */
export function headerSafe(value: string): string {
  NOT_HEADER_SAFE.lastIndex = 0;
  return NOT_HEADER_SAFE.test(value) ? value.replace(NOT_HEADER_SAFE, '?') : value;
}

/** writeHead with every header value made writable, so no input can make it throw. */
function writeHeadSafely(response: ServerResponse, status: number, headers: Record<string, string | number>): void {
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value === 'string') headers[name] = headerSafe(value);
  }
  response.writeHead(status, headers);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  writeHeadSafely(response, status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** An answer without a body: a CORS preflight (204). */
export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  writeHeadSafely(response, status, { ...COMMON_HEADERS, 'content-length': 0, ...headers });
  response.end();
}

export function sendHtml(response: ServerResponse, status: number, html: string, contentSecurityPolicy: string, headers: Record<string, string> = {}): void {
  writeHeadSafely(response, status, {
    ...COMMON_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'content-security-policy': contentSecurityPolicy,
    'x-frame-options': 'DENY',
    ...headers,
  });
  response.end(html);
}

export function redirect(response: ServerResponse, location: string, status = 302, headers: Record<string, string> = {}): void {
  writeHeadSafely(response, status, { ...COMMON_HEADERS, location, 'content-length': 0, ...headers });
  response.end();
}

/** Compares secrets in constant time: hashing first makes the lengths equal too. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export const INVALID_CLIENT_HEADERS = { 'www-authenticate': 'Basic realm="Mock Google", charset="UTF-8"' };

export interface AuthenticatedClient {
  client: Client;
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
}

/**
 * Client authentication at the token, device authorization, revocation and introspection
 * endpoints: a secret (RFC 6749 §2.3.1) or a signed assertion (private_key_jwt, RFC 7523 §2.2,
 * OIDC Core §9). Confidential clients must authenticate; public clients identify themselves with
 * client_id only, and only where `allowPublic` is true.
 */
export async function authenticateClient(
  request: IncomingMessage,
  form: Map<string, string>,
  state: ProviderState,
  allowPublic: boolean,
): Promise<AuthenticatedClient> {
  const clients = state.clients;
  const header = request.headers.authorization;
  const basic = header?.match(/^Basic\s+(.+)$/i);
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  const assertionType = form.get('client_assertion_type');
  const assertion = form.get('client_assertion');
  const usesAssertion = assertionType !== undefined || assertion !== undefined;
  if ([Boolean(basic), bodySecret !== undefined, usesAssertion].filter(Boolean).length > 1) {
    throw new HttpError(400, 'invalid_request', 'Use one client authentication method: Basic, client_secret in the body, or client_assertion, not two (RFC 6749 §2.3).');
  }
  if (usesAssertion) {
    if (assertionType !== CLIENT_ASSERTION_TYPE) throw new HttpError(401, 'invalid_client', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE} (RFC 7523 §2.2).`, INVALID_CLIENT_HEADERS);
    if (!assertion) throw new HttpError(401, 'invalid_client', 'client_assertion is missing: a JWT signed with one of the client\'s registered keys (RFC 7523 §2.2).', INVALID_CLIENT_HEADERS);
    return { client: await checkClientAssertion(state, assertion, bodyId), method: 'private_key_jwt' };
  }
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) throw new HttpError(401, 'invalid_client', 'Malformed Basic credentials.', INVALID_CLIENT_HEADERS);
    let id: string;
    let secret: string;
    try {
      // RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding.
      id = decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(separator + 1).replace(/\+/g, ' '));
    } catch {
      throw new HttpError(401, 'invalid_client', 'Malformed Basic credentials.', INVALID_CLIENT_HEADERS);
    }
    if (bodyId !== undefined && bodyId !== id) throw new HttpError(400, 'invalid_request', 'client_id in the body does not match the Basic credentials.');
    return { client: checkSecret(clients.get(id), secret), method: 'client_secret_basic' };
  }
  if (bodyId === undefined) throw new HttpError(401, 'invalid_client', 'No client authentication: send client_id (and client_secret for a confidential client).', INVALID_CLIENT_HEADERS);
  const client = clients.get(bodyId);
  if (bodySecret !== undefined) return { client: checkSecret(client, bodySecret), method: 'client_secret_post' };
  if (!client) throw new HttpError(401, 'invalid_client', 'Unknown client.', INVALID_CLIENT_HEADERS);
  if (isConfidential(client)) throw new HttpError(401, 'invalid_client', `${client.client_id} is a confidential client: it must authenticate with ${client.client_secret === undefined ? 'a client_assertion signed with its key (private_key_jwt)' : 'its secret'}.`, INVALID_CLIENT_HEADERS);
  if (!allowPublic) throw new HttpError(401, 'invalid_client', 'This endpoint needs an authenticated (confidential) client.', INVALID_CLIENT_HEADERS);
  return { client, method: 'none' };
}

/**
 * The start of a request to the token or device authorization endpoint: the form, every
 * parameter it reads within its size limit, and the client it authenticates (public ones too).
 */
export async function readClientForm(exchange: { request: IncomingMessage; state: ProviderState }, parameters: readonly string[]): Promise<AuthenticatedClient & { form: Map<string, string> }> {
  const form = await readForm(exchange.request);
  const oversize = oversizeParameter(form, parameters);
  if (oversize) throw new HttpError(400, 'invalid_request', oversizeMessage(oversize));
  return { form, ...(await authenticateClient(exchange.request, form, exchange.state, true)) };
}

function checkSecret(client: Client | undefined, secret: string): Client {
  // Compare even for an unknown client, so timing does not reveal which client ids exist.
  const ok = secretsEqual(secret, client?.client_secret ?? '\u0000no-secret') && client?.client_secret !== undefined;
  if (!ok) throw new HttpError(401, 'invalid_client', 'Client authentication failed.', INVALID_CLIENT_HEADERS);
  return client!;
}
