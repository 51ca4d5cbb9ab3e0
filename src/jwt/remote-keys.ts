// Fetches a JWK Set from a URL, or finds it through OpenID discovery. Plain http is allowed only
// for loopback hosts. A hostile or broken server can neither stall, fill memory nor crash the
// process: one deadline covers every fetch of a command (headers and body, discovery and JWKS
// together), the body is read as a stream and dropped past 1 MB, a compressed body is refused,
// and redirects are never followed (a redirect could lead from https to plain http, or to another
// host than the one the user named).

import { keysFromJson, type LoadedKey } from './keys.js';
import { isPlainObject } from './compact.js';
import { FetchError, InputError, JwtVsOauthError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { isLoopbackHost } from '../protocol/loopback.js';
import type { IncomingMessage } from 'node:http';

export const DEFAULT_FETCH_TIMEOUT_MS = 5000;
/** The --timeout range: Node's timers overflow past 2^31 ms, and no key fetch needs a minute. */
const MIN_FETCH_TIMEOUT_MS = 1;
const MAX_FETCH_TIMEOUT_MS = 60_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export function checkedUrl(text: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError('ERR_BAD_URL', `${flag}: "${terminalSafe(text)}" is not a URL.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol !== 'http:') throw new InputError('ERR_INSECURE_URL', `${flag}: ${terminalSafe(url.protocol)} URLs are not fetched; give an https URL.`, 'For a key in a file, use --key <file>.');
  throw new InputError(
    'ERR_INSECURE_URL',
    `${flag}: plain http is allowed only for loopback hosts (127.0.0.1, localhost, ::1).`,
    'Keys fetched over plain http could be swapped by anyone on the network; use https.',
  );
}

/** "250 ms", "5 s": how a timeout is named in messages. */
function describeTimeout(timeoutMs: number): string {
  return timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
}

/** Throws InputError unless `timeoutMs` is a whole number of milliseconds within the allowed range. */
export function assertTimeoutInRange(timeoutMs: number, flag = '--timeout'): void {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < MIN_FETCH_TIMEOUT_MS || timeoutMs > MAX_FETCH_TIMEOUT_MS) {
    throw new InputError('ERR_BAD_TIMEOUT', `${flag} must be between ${describeTimeout(MIN_FETCH_TIMEOUT_MS)} and ${describeTimeout(MAX_FETCH_TIMEOUT_MS)}.`, 'Examples: --timeout 500ms, --timeout 5s, --timeout 1m.');
  }
}

/** One deadline shared by the fetches of one command. */
class Deadline {
  private readonly expiresAt: number;
  constructor(readonly timeoutMs: number) {
    assertTimeoutInRange(timeoutMs);
    this.expiresAt = performance.now() + timeoutMs;
  }
  remainingMs(): number {
    return Math.max(0, Math.ceil(this.expiresAt - performance.now()));
  }
}

// What to do next for the failures people meet. Codes starting HPE_ are node's HTTP parser
// refusing the answer.
const FETCH_FAILED_HINTS = new Map([
  ['ECONNREFUSED', 'Nothing is listening there: is the server running, on that port?'],
  ['ENOTFOUND', 'That host name does not resolve: check the spelling.'],
  ['ECONNRESET', 'The server closed the connection: is it an HTTP server?'],
  ['HPE_', 'The answer is not HTTP: is it an HTTP server, on that port?'],
]);

const TIMEOUT_HINT = 'Is the server running? Try again, give more time with --timeout, or give the key with --key.';

/** GETs `url` and parses its JSON body, within what is left of `deadline`, reading at most MAX_RESPONSE_BYTES. */
async function fetchJson(url: URL, what: string, deadline: Deadline): Promise<unknown> {
  const where = `The ${what} at ${terminalSafe(url.href)}`;
  const controller = new AbortController();
  const progress = { phase: 'answer' as 'answer' | 'body' };
  let timedOut = false;
  const remaining = deadline.remainingMs();
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, remaining);
  try {
    if (remaining === 0) throw new Error('no time left');
    const body = await getCapped(url, where, controller.signal, (response) => {
      checkAnswer(response, where, what);
      progress.phase = 'body';
    });
    try {
      return JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new FetchError('ERR_FETCH_NOT_JSON', `${where} is not JSON.`, 'Is it the right URL? A JWK Set and a discovery document are JSON objects.');
    }
  } catch (error) {
    if (timedOut || remaining === 0) {
      const late = progress.phase === 'answer' ? 'did not answer' : 'did not send its whole body';
      throw new FetchError('ERR_FETCH_TIMEOUT', `${where} ${late} within ${describeTimeout(deadline.timeoutMs)}.`, TIMEOUT_HINT);
    }
    if (error instanceof JwtVsOauthError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code?.startsWith('HPE_') ? `not an HTTP answer (${(error as Error).message})` : code ?? (error as Error).message;
    throw new FetchError('ERR_FETCH_FAILED', `Could not fetch the ${what} from ${terminalSafe(url.href)}: ${terminalSafe(reason)}.`, FETCH_FAILED_HINTS.get(code?.startsWith('HPE_') ? 'HPE_' : reason));
  } finally {
    clearTimeout(timer);
  }
}

const NOT_FOUND_HINTS = {
  discovery: 'Check the issuer URL: it is the iss of its tokens, and its discovery document is at <issuer>/.well-known/openid-configuration.',
  jwks: 'Check the URL: an issuer lists its JWKS as jwks_uri in <issuer>/.well-known/openid-configuration (or use --discover <issuer>).',
};

/** Throws unless the status and headers announce a body worth reading: no redirect, 2xx, not over the cap, not encoded. */
function checkAnswer(response: IncomingMessage, where: string, what: string): void {
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    throw new FetchError('ERR_FETCH_REDIRECT', `${where} answered with a redirect (HTTP ${status}${location ? ` to ${terminalSafe(location)}` : ''}); redirects are not followed.`, 'Give the final URL itself: keys are fetched only from the exact URL named.');
  }
  if (status < 200 || status >= 300) throw new FetchError('ERR_FETCH_STATUS', `${where} answered HTTP ${status}.`, status === 404 ? NOT_FOUND_HINTS[what === 'discovery document' ? 'discovery' : 'jwks'] : undefined);
  if (Number(response.headers['content-length'] ?? 0) > MAX_RESPONSE_BYTES) throw tooLarge(where);
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    // The request asks for identity; a body sent compressed anyway is refused rather than unpacked.
    throw new FetchError('ERR_FETCH_ENCODING', `${where} was sent compressed (content-encoding: ${terminalSafe(encoding)}); only an uncompressed body is read.`, 'A JWK Set is a few KB: have the server send it as is when asked for identity.');
  }
}

function tooLarge(where: string): FetchError {
  return new FetchError('ERR_FETCH_TOO_LARGE', `${where} is larger than ${MAX_RESPONSE_BYTES / (1024 * 1024)} MB; a JWK Set or discovery document is a few KB.`);
}

/**
 * One GET with node:http(s), its body read chunk by chunk and dropped past the cap, whatever
 * Content-Length claimed. Not fetch: Node 20's fetch leaves a stream with no 'error' listener
 * when it refuses an answer (more than 5 content-encodings), and dropping that connection then
 * ends the process with an unhandled error. Here every stream has an 'error' listener from the
 * moment it exists, and any failure destroys the request, which drops the connection.
 */
async function getCapped(url: URL, where: string, signal: AbortSignal, onAnswer: (response: IncomingMessage) => void): Promise<Buffer> {
  const client = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const request = client.get(url, { signal, agent: false, headers: { accept: 'application/json', 'accept-encoding': 'identity' } }, (response) => {
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete) fail(new Error('the connection closed before the whole body was sent'));
      });
      try {
        onAnswer(response);
      } catch (error) {
        return fail(error);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > MAX_RESPONSE_BYTES) fail(tooLarge(where));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks)));
    });
    // The first failure settles the promise; later ones (the destroyed response's own error) are heard and ignored.
    function fail(error: unknown) {
      reject(error);
      request.destroy();
    }
    request.on('error', fail);
  });
}

/** Fetches and loads the JWK Set at `urlText`; --timeout bounds the whole fetch. */
export async function fetchJwks(urlText: string, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS, flag = '--jwks'): Promise<LoadedKey[]> {
  const url = checkedUrl(urlText, flag);
  return fetchJwksWithin(url, new Deadline(timeoutMs));
}

async function fetchJwksWithin(url: URL, deadline: Deadline): Promise<LoadedKey[]> {
  return keysFromJson(await fetchJson(url, 'JWKS', deadline), `JWKS at ${terminalSafe(url.href)}`);
}

export interface DiscoveredIssuer {
  issuer: string;
  metadata: Record<string, unknown>;
  jwksUri: string;
  keys: LoadedKey[];
}

/** Reads `<issuer>/.well-known/openid-configuration`, checks its issuer, then fetches `jwks_uri`; one deadline covers both. */
export async function discoverIssuer(issuerText: string, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS): Promise<DiscoveredIssuer> {
  const deadline = new Deadline(timeoutMs);
  const issuerUrl = checkedUrl(issuerText, '--discover');
  if (/\/\.well-known\/(openid-configuration|oauth-authorization-server)\/?$/.test(issuerUrl.pathname)) {
    const issuerOnly = terminalSafe(issuerText.replace(/\/\.well-known\/.*$/, ''));
    throw new InputError('ERR_BAD_URL', '--discover takes the issuer URL, not its discovery document.', `Try: --discover ${issuerOnly}`);
  }
  const issuer = issuerText.replace(/\/$/, '');
  const discoveryUrl = new URL(`${issuerUrl.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`, issuerUrl);
  const metadata = await fetchJson(discoveryUrl, 'discovery document', deadline);
  if (!isPlainObject(metadata) || typeof metadata.jwks_uri !== 'string') {
    throw new FetchError('ERR_DISCOVERY_INVALID', `The discovery document at ${terminalSafe(discoveryUrl.href)} has no jwks_uri.`);
  }
  if (typeof metadata.issuer !== 'string' || metadata.issuer.replace(/\/$/, '') !== issuer) {
    // OIDC Discovery §4.3: the issuer in the document must be the one we asked for, or keys could be swapped.
    throw new FetchError('ERR_DISCOVERY_ISSUER_MISMATCH', `The discovery document names issuer ${terminalSafe(JSON.stringify(metadata.issuer) ?? 'nothing')}, not ${terminalSafe(issuer)}.`);
  }
  // jwks_uri passes the same https rule as a URL the user typed.
  const keys = await fetchJwksWithin(checkedUrl(metadata.jwks_uri, 'jwks_uri'), deadline);
  return { issuer: metadata.issuer, metadata, jwksUri: metadata.jwks_uri, keys };
}
