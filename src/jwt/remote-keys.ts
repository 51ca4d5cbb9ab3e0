// Fetches a JWK Set from a URL, or finds it through OpenID discovery. Plain http is allowed only
// for loopback hosts. A hostile or broken server can neither stall nor fill memory: one deadline
// covers every fetch of a command (headers and body, discovery and JWKS together), the body is
// read as a stream and dropped past 1 MB, and redirects are never followed (a redirect could lead
// from https to plain http, or to another host than the one the user named).

import { keysFromJson, type LoadedKey } from './keys.js';
import { isPlainObject } from './compact.js';
import { FetchError, InputError, JwtVsOauthError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';

export const DEFAULT_FETCH_TIMEOUT_MS = 5000;
/** The --timeout range: Node's timers overflow past 2^31 ms, and no key fetch needs a minute. */
export const MIN_FETCH_TIMEOUT_MS = 1;
export const MAX_FETCH_TIMEOUT_MS = 60_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

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
export function describeTimeout(timeoutMs: number): string {
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

// What to do next for the failures people meet; "bad port" is fetch refusing a port browsers block (such as 6000).
const FETCH_FAILED_HINTS = new Map([
  ['ECONNREFUSED', 'Nothing is listening there: is the server running, on that port?'],
  ['ENOTFOUND', 'That host name does not resolve: check the spelling.'],
  ['bad port', 'fetch refuses this port, as browsers do (it is used by another protocol); run the server on another port.'],
  ['ECONNRESET', 'The server closed the connection: is it an HTTP server?'],
]);

const TIMEOUT_HINT = 'Is the server running? Try again, give more time with --timeout, or give the key with --key.';

/** GETs `url` and parses its JSON body, within what is left of `deadline`, reading at most MAX_RESPONSE_BYTES. */
async function fetchJson(url: URL, what: string, deadline: Deadline): Promise<unknown> {
  const where = `The ${what} at ${terminalSafe(url.href)}`;
  const controller = new AbortController();
  let phase: 'answer' | 'body' = 'answer';
  let timedOut = false;
  const remaining = deadline.remainingMs();
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, remaining);
  try {
    if (remaining === 0) throw new Error('no time left');
    const response = await fetch(url, { signal: controller.signal, redirect: 'manual', headers: { accept: 'application/json' } });
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      throw new FetchError('ERR_FETCH_REDIRECT', `${where} answered with a redirect (HTTP ${response.status}${location ? ` to ${terminalSafe(location)}` : ''}); redirects are not followed.`, 'Give the final URL itself: keys are fetched only from the exact URL named.');
    }
    if (!response.ok) throw new FetchError('ERR_FETCH_STATUS', `${where} answered HTTP ${response.status}.`, response.status === 404 ? 'Check the URL: an issuer lists its JWKS as jwks_uri in <issuer>/.well-known/openid-configuration (or use --discover <issuer>).' : undefined);
    phase = 'body';
    const text = await readCappedBody(response, where);
    try {
      return JSON.parse(text);
    } catch {
      throw new FetchError('ERR_FETCH_NOT_JSON', `${where} is not JSON.`, 'Is it the right URL? A JWK Set and a discovery document are JSON objects.');
    }
  } catch (error) {
    if (timedOut || remaining === 0) {
      const late = phase === 'answer' ? 'did not answer' : 'did not send its whole body';
      throw new FetchError('ERR_FETCH_TIMEOUT', `${where} ${late} within ${describeTimeout(deadline.timeoutMs)}.`, TIMEOUT_HINT);
    }
    if (error instanceof JwtVsOauthError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new FetchError('ERR_FETCH_FAILED', `Could not fetch the ${what} from ${terminalSafe(url.href)}: ${terminalSafe(reason)}.`, FETCH_FAILED_HINTS.get(reason));
  } finally {
    clearTimeout(timer);
    // Drops the connection of a body left unread (an error, a redirect, a body over the cap).
    controller.abort();
  }
}

/** Reads the body chunk by chunk and stops as soon as it passes the cap, whatever Content-Length claimed. */
async function readCappedBody(response: Response, where: string): Promise<string> {
  const tooLarge = () => new FetchError('ERR_FETCH_TOO_LARGE', `${where} is larger than ${MAX_RESPONSE_BYTES / (1024 * 1024)} MB; a JWK Set or discovery document is a few KB.`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_RESPONSE_BYTES) throw tooLarge();
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
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
