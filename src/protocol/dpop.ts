// DPoP (RFC 9449), the pieces both sides compute: a client makes a proof (a JWT signed with the
// key it holds, the public half in the header); a provider or an API checks one, rule by rule
// (§4.3), and binds or matches an access token to the key's thumbprint (`cnf.jkt`, §6.1).

import { createHash, randomUUID, type JsonWebKey, type KeyObject, type webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, SignJWT, type JWK as JoseJwk } from 'jose';
import { quoteUntrusted } from './untrusted-quote.js';

// Node's own key types in what this module exports, not jose's: the provider's library entry
// reaches this file, and its published declarations may name no package the tarball lacks.
type JWK = JsonWebKey;

/** The proof's media type (RFC 9449 §4.2). */
export const DPOP_TYPE = 'dpop+jwt';

/** The asymmetric algorithms a proof may use here; never `none`, never an HMAC (§4.3 point 5). */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'] as const;

/** Members that only a private (or symmetric) JWK has: a proof's `jwk` must have none (§4.3 point 7). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** How old a proof may be, and how far ahead of our clock, in seconds (§4.3 point 11, §11.1). */
export const DPOP_MAX_AGE_SECONDS = 300;
export const DPOP_MAX_FUTURE_SECONDS = 60;

/** `ath`: BASE64URL(SHA-256(ASCII(access token))) (§4.2). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** The key's RFC 7638 SHA-256 thumbprint, what `cnf.jkt` holds (§6.1). */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk as JoseJwk, 'sha256');
}

/**
 * `htu` as it is compared: the URI without its query and fragment (§4.2, §4.3 point 9), normalised
 * as RFC 3986 §6.2.2 says (URL does case, default port and dot segments; here percent-encoded
 * unreserved characters are decoded and other escapes upper-cased), so `/%75serinfo` is `/userinfo`.
 */
export function htuOf(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/%([0-9a-fA-F]{2})/g, (escape, hex: string) => {
    const character = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9._~-]/.test(character) ? character : escape.toUpperCase();
  });
  return `${parsed.origin}${path}`;
}

// RFC 3986 §3: "http" or "https", "//", a non-empty authority, then only the characters a URI may
// hold, each "%" starting an escape. WHATWG URL parsing, used to compare, is more lenient: it drops
// tabs and newlines, trims spaces and controls, reads "\\" as "/" and "https:host" as "https://host";
// none of those is a URI, so none may stand for the request's URI (RFC 9449 §4.3 point 9).
const HTTP_URI = /^https?:\/\/[A-Za-z0-9\-._~:[\]@!$&'()*+,;=%]+(?:[/?#][A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*)?$/i;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
// Any "@" in the authority starts user information, an empty one too ("http://@host/", "http://:@host/").
const USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

/** Whether an http(s) URI names user information before its host, which RFC 9110 §4.2.4 forbids: any "@" in the authority. */
export function hasUserinfo(value: string): boolean {
  return USERINFO.test(value);
}

/** Whether `value` is an http(s) URI written as RFC 3986 says, without the user information RFC 9110 §4.2.4 forbids: no spaces, controls, backslashes or non-ASCII, and "//" then a host. */
export function isRfc3986HttpUri(value: string): boolean {
  return HTTP_URI.test(value) && !BAD_ESCAPE.test(value) && !hasUserinfo(value);
}

/**
 * A jti seen before. RFC 9449 §11.1 requires only the time window; remembering jti values is a
 * server's choice, so this says what this server does, not that every server refuses a second use.
 */
export const REPLAYED_JTI = 'the proof\'s jti was used before: this server takes each proof once (§11.1)';

/** How deep a proof's header or payload may nest arrays and objects: a real one nests 2 levels. */
const MAX_PROOF_DEPTH = 16;

/**
 * Whether JSON text nests arrays and objects deeper than `limit`, read as text (brackets inside
 * strings skipped), before it is parsed: whatever walks a parsed value (jose, printing) may
 * recurse, and a few thousand levels overflow the stack.
 */
function nestsDeeperThan(json: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const character = json[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '[' || character === '{') {
      if (++depth > limit) return true;
    } else if (character === ']' || character === '}') depth--;
  }
  return false;
}

/** The RSA modulus length of a JWK, in bits (0 when it has none). */
function rsaModulusBits(jwk: JWK): number {
  return typeof jwk.n === 'string' ? Buffer.from(jwk.n, 'base64url').length * 8 : 0;
}

export interface ProofRequest {
  /** The private key that signs, and its public JWK (put in the header). */
  privateKey: webcrypto.CryptoKey | KeyObject;
  publicJwk: JWK;
  alg: string;
  htm: string;
  htu: string;
  /** The access token the proof goes with, at a resource server (adds `ath`). */
  accessToken?: string;
  nonce?: string;
  /** Seconds since 1970; now if left out. */
  iat?: number;
  jti?: string;
}

/** A DPoP proof for one request: header typ/alg/jwk, claims jti, htm, htu, iat (and ath, nonce). It does not send anything. */
export function createDpopProof(request: ProofRequest): Promise<string> {
  const { kty, crv, x, y, n, e } = request.publicJwk;
  // Only the public members, whatever the caller passed: a proof must never carry the private key.
  const jwk = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined)) as JWK;
  return new SignJWT({
    htm: request.htm,
    htu: htuOf(request.htu),
    ...(request.accessToken !== undefined && { ath: accessTokenHash(request.accessToken) }),
    ...(request.nonce !== undefined && { nonce: request.nonce }),
  })
    .setProtectedHeader({ typ: DPOP_TYPE, alg: request.alg, jwk: jwk as JoseJwk })
    .setJti(request.jti ?? randomUUID())
    .setIssuedAt(request.iat ?? Math.floor(Date.now() / 1000))
    .sign(request.privateKey);
}

export interface ProofExpectations {
  /** The request's method and full URI. */
  htm: string;
  htu: string;
  /** Seconds since 1970. */
  now: number;
  /** At a resource server: the access token sent with the proof (its hash must be the proof's `ath`). */
  accessToken?: string;
  /** A token bound with `cnf.jkt`: the proof's key must be that key. */
  boundTo?: string;
  /** The nonce the server gave, if it gives one. */
  nonce?: string;
  /** Says whether a jti was seen before (a replay); the caller keeps the store, and may record the jti here or later. */
  isReplay: (jti: string, iat: number) => boolean;
}

export type ProofCheck =
  | { ok: true; jkt: string; jti: string; iat: number; jwk: JWK }
  | { ok: false; error: 'invalid_dpop_proof' | 'use_dpop_nonce'; reason: string };

const refuse = (reason: string, error: 'invalid_dpop_proof' | 'use_dpop_nonce' = 'invalid_dpop_proof'): ProofCheck => ({ ok: false, error, reason });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a DPoP proof the way RFC 9449 §4.3 lists the steps, stopping at the first that fails and
 * saying which (each reason names its rule). Returns the key's thumbprint for binding. The jti is
 * recorded (through `isReplay`) only once everything else has passed, so a bad proof uses no room.
 */
export async function checkDpopProof(proof: string | undefined, expected: ProofExpectations): Promise<ProofCheck> {
  // 1-2: one header holding one well-formed JWT.
  if (proof === undefined || proof === '') return refuse('the request has no DPoP header (RFC 9449 §4.3 point 1)');
  // An unsigned JWT (alg none) has an empty signature: name the rule it breaks, not its shape.
  if (/^[\w-]+\.[\w-]+\.$/.test(proof)) {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(proof).alg;
    } catch {
      alg = undefined;
    }
    if (alg === 'none') return refuse('the proof\'s alg is "none": an unsigned proof is refused; it must be signed with an asymmetric algorithm (§4.3 point 5)');
  }
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(proof)) return refuse('the DPoP header is not one JWT in compact form (§4.3 point 2)');
  const [headerPart = '', payloadPart = ''] = proof.split('.');
  for (const [part, name] of [[headerPart, 'header'], [payloadPart, 'payload']] as const) {
    if (nestsDeeperThan(Buffer.from(part, 'base64url').toString(), MAX_PROOF_DEPTH)) return refuse(`the proof's ${name} nests arrays or objects more than ${MAX_PROOF_DEPTH} levels deep (§4.3 point 2)`);
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
  } catch {
    return refuse('the DPoP proof\'s header is not base64url-encoded JSON (§4.3 point 2)');
  }
  // 4: typ; 5: an asymmetric algorithm; 7: a public key.
  if (header.typ !== DPOP_TYPE) return refuse(`the proof's typ is ${quoteUntrusted(header.typ)}, not "${DPOP_TYPE}" (§4.3 point 4)`);
  if (typeof header.alg !== 'string' || !(DPOP_ALGORITHMS as readonly string[]).includes(header.alg)) return refuse(`the proof's alg ${quoteUntrusted(header.alg)} is not an asymmetric algorithm this server accepts (${DPOP_ALGORITHMS.join(', ')}; §4.3 point 5)`);
  if (!isObject(header.jwk)) return refuse('the proof\'s header has no jwk, the public key it is signed with (§4.3 point 3)');
  const jwk = header.jwk as JWK;
  if (jwk.kty === 'oct' || PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) return refuse('the proof\'s jwk holds a private or symmetric key: it must be the public key only (§4.3 point 7)');
  // RFC 7518 §3.3: an RSA key of 2048 bits or more; a smaller one is refused as such, not as a bad signature.
  if (jwk.kty === 'RSA' && rsaModulusBits(jwk) < 2048) return refuse(`the proof's RSA key is ${rsaModulusBits(jwk)} bits; at least 2048 are needed (RFC 7518 §3.3)`);
  // 6: the signature, with the key in the header.
  let claims: Record<string, unknown>;
  try {
    const key = await importJWK(jwk as JoseJwk, header.alg);
    const { payload } = await compactVerify(proof, key, { algorithms: [header.alg] });
    claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    return refuse('the proof\'s signature does not verify with the jwk in its header (§4.3 point 6)');
  }
  if (!isObject(claims)) return refuse('the proof\'s payload is not a JSON object (§4.3 point 2)');
  // 3: the claims every proof has.
  for (const name of ['jti', 'htm', 'htu'] as const) if (typeof claims[name] !== 'string' || claims[name] === '') return refuse(`the proof has no ${name} claim (§4.3 point 3)`);
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return refuse('the proof has no iat claim (§4.3 point 3)');
  // 8-9: made for this request.
  if (claims.htm !== expected.htm) return refuse(`the proof's htm is ${quoteUntrusted(claims.htm)}, but the request is ${expected.htm} (§4.3 point 8)`);
  // RFC 9110 §4.2.4: user information in an http(s) URI is not to be sent, nor accepted, an empty one too.
  if (hasUserinfo(claims.htu as string)) return refuse('the proof\'s htu holds a user name or password; an http(s) URI must not (RFC 9110 §4.2.4)');
  if (!isRfc3986HttpUri(claims.htu as string)) return refuse(`the proof's htu ${quoteUntrusted(claims.htu)} is not an http(s) URI as RFC 3986 writes one: "http://" or "https://" and a host, no spaces, control characters, backslashes or non-ASCII letters (§4.3 point 9)`);
  let htu: string;
  try {
    htu = htuOf(claims.htu as string);
  } catch {
    return refuse('the proof\'s htu is not a URI (§4.3 point 9)');
  }
  if (htu !== htuOf(expected.htu)) return refuse(`the proof's htu is ${quoteUntrusted(claims.htu)}, but the request went to ${htuOf(expected.htu)} (§4.3 point 9)`);
  // 10: the server's nonce, when it gives one.
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce) return refuse('the proof does not carry the nonce this server gave (§4.3 point 10, §8)', 'use_dpop_nonce');
  // 11: recent.
  const age = expected.now - claims.iat;
  if (age > DPOP_MAX_AGE_SECONDS) return refuse(`the proof was made ${Math.round(age)} s ago; this server accepts proofs up to ${DPOP_MAX_AGE_SECONDS} s old (§4.3 point 11)`);
  if (-age > DPOP_MAX_FUTURE_SECONDS) return refuse(`the proof's iat is ${Math.round(-age)} s in the future (§4.3 point 11)`);
  // 12: with an access token, at a resource server: its hash, and the key it is bound to.
  if (expected.accessToken !== undefined) {
    if (typeof claims.ath !== 'string') return refuse('the proof has no ath, the hash of the access token it goes with (§4.3 point 12)');
    if (claims.ath !== accessTokenHash(expected.accessToken)) return refuse('the proof\'s ath is the hash of another access token (§4.3 point 12)');
  }
  const jkt = await jwkThumbprint(jwk);
  if (expected.boundTo !== undefined && jkt !== expected.boundTo) return refuse('the proof is signed with another key than the one the access token is bound to (cnf.jkt; §4.3 point 12, §6.1)');
  // Last: a jti seen before is a replay (§11.1).
  if (expected.isReplay(claims.jti as string, claims.iat)) return refuse(REPLAYED_JTI);
  return { ok: true, jkt, jti: claims.jti as string, iat: claims.iat, jwk };
}
