// Fetches a JWK Set from a URL, or finds it through OpenID discovery. Plain http is allowed only
// for loopback hosts, and every fetch is bounded by a timeout and a size cap.

import { keysFromJson, type LoadedKey } from './keys.js';
import { isPlainObject } from './compact.js';
import { FetchError, InputError } from '../errors.js';

export const DEFAULT_FETCH_TIMEOUT_MS = 5000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function checkedUrl(text: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError('ERR_BAD_URL', `${flag}: "${text}" is not a URL.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new InputError(
    'ERR_INSECURE_URL',
    `${flag}: ${url.protocol === 'http:' ? 'plain http is allowed only for loopback hosts (127.0.0.1, localhost, ::1)' : `unsupported scheme ${url.protocol}`}.`,
    'Keys fetched over plain http could be swapped by anyone on the network; use https.',
  );
}

export async function fetchJson(url: URL, timeoutMs: number, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new FetchError('ERR_FETCH_TIMEOUT', `The ${what} at ${url.href} did not answer within ${timeoutMs / 1000} s.`, 'Is the server running? Try again, or give the key with --key.');
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchError('ERR_FETCH_FAILED', `Could not fetch the ${what} from ${url.href}: ${cause?.code ?? cause?.message ?? (error as Error).message}.`);
  }
  if (!response.ok) {
    throw new FetchError('ERR_FETCH_STATUS', `The ${what} at ${url.href} answered HTTP ${response.status}.`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  const text = declared > MAX_RESPONSE_BYTES ? '' : await response.text();
  if (declared > MAX_RESPONSE_BYTES || text.length > MAX_RESPONSE_BYTES) {
    throw new FetchError('ERR_FETCH_TOO_LARGE', `The ${what} at ${url.href} is larger than 1 MB.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchError('ERR_FETCH_NOT_JSON', `The ${what} at ${url.href} is not JSON.`);
  }
}

export async function fetchJwks(urlText: string, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS, flag = '--jwks'): Promise<LoadedKey[]> {
  const url = checkedUrl(urlText, flag);
  return keysFromJson(await fetchJson(url, timeoutMs, 'JWKS'), `JWKS at ${url.href}`);
}

export interface DiscoveredIssuer {
  issuer: string;
  metadata: Record<string, unknown>;
  jwksUri: string;
  keys: LoadedKey[];
}

/** Reads `<issuer>/.well-known/openid-configuration`, checks its issuer, then fetches `jwks_uri`. */
export async function discoverIssuer(issuerText: string, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS): Promise<DiscoveredIssuer> {
  const issuerUrl = checkedUrl(issuerText, '--discover');
  const issuer = issuerText.replace(/\/$/, '');
  const discoveryUrl = new URL(`${issuerUrl.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`, issuerUrl);
  const metadata = await fetchJson(discoveryUrl, timeoutMs, 'discovery document');
  if (!isPlainObject(metadata) || typeof metadata.jwks_uri !== 'string') {
    throw new FetchError('ERR_DISCOVERY_INVALID', `The discovery document at ${discoveryUrl.href} has no jwks_uri.`);
  }
  if (typeof metadata.issuer !== 'string' || metadata.issuer.replace(/\/$/, '') !== issuer) {
    // OIDC Discovery §4.3: the issuer in the document must be the one we asked for, or keys could be swapped.
    throw new FetchError('ERR_DISCOVERY_ISSUER_MISMATCH', `The discovery document names issuer ${JSON.stringify(metadata.issuer)}, not ${issuer}.`);
  }
  const keys = await fetchJwks(metadata.jwks_uri, timeoutMs, 'jwks_uri');
  return { issuer: metadata.issuer, metadata, jwksUri: metadata.jwks_uri, keys };
}
