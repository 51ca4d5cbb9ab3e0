// The provider's signing keys and the two kinds of JWT it issues: ID tokens (for the app: who
// signed in) and RFC 9068 access tokens (for the API: what the app may do).
//
// Each kind has its own key (RFC 8725 §3.12: different keys for different kinds of JWTs). That
// helps a verifier only if it pins the key (or the algorithm) for the kind it expects: both keys
// are published in the same JWKS, so a verifier that takes any key from /jwks accepts both kinds.
// What stops a cross-use then is typ (JWT vs at+jwt, RFC 8725 §3.11) and aud (the client_id vs the
// API); Mock Google's own checks (verifyOwnToken) pin all three: key, typ and, where given, aud.
// ID tokens are RS256, as OpenID Connect requires of every provider and as Google signs them.
// Access tokens are ES256 by default: RFC 9068 lets the server pick, an ES256 signature is a
// quarter of the size, and signing costs about a fifth of RS256 (measured in `npm run bench`).
// RS256 stays available for them (RFC 9068 §2.1 asks servers to support it).

import { createPrivateKey, createPublicKey, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { promisify } from 'node:util';
import { SignJWT } from 'jose/jwt/sign';
import type { JWTPayload } from 'jose';
import { jwtVerify } from 'jose/jwt/verify';
import { jwkWithThumbprint } from '../jwt/keys.js';

export const ID_TOKEN_ALGORITHM = 'RS256';
export const ACCESS_TOKEN_ALGORITHMS = ['ES256', 'RS256'] as const;
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];
export const DEFAULT_ACCESS_TOKEN_ALGORITHM: AccessTokenAlgorithm = 'ES256';

export interface SigningKey {
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  publicJwk: Record<string, unknown>;
}

export type TokenKind = 'idToken' | 'accessToken';

/**
 * The longest a token of each kind may live, whatever a run's settings: ID tokens an hour, access
 * tokens at most 24 h (--access-token-ttl's ceiling). A key kept in a file may have signed under
 * any earlier run's settings, so it is retired for this long, and a file asking more is refused.
 */
export const LONGEST_TOKEN_LIFETIMES: Record<TokenKind, number> = { idToken: 3600, accessToken: 24 * 3600 };

/** A key no longer signing, still published and trusted until the last token it signed expires. */
export interface RetiredKey extends SigningKey {
  kind: TokenKind;
  /** Seconds since 1970 when it goes: the rotation time plus that kind's token lifetime. */
  untilSeconds: number;
}

/**
 * One key for each kind of token the provider signs, and the keys rotated out that still verify
 * (OIDC Core §10.1.1: the old key stays published until its tokens have expired).
 */
export interface ProviderKeys {
  idToken: SigningKey;
  accessToken: SigningKey;
  retired: RetiredKey[];
}

const generate = promisify(generateKeyPair);

export async function createSigningKey(alg: SigningKey['alg']): Promise<SigningKey> {
  const { privateKey, publicKey } = alg === 'RS256'
    ? await generate('rsa', { modulusLength: 2048 })
    : await generate('ec', { namedCurve: 'P-256' });
  const publicJwk = await jwkWithThumbprint(publicKey, alg);
  return { alg, privateKey, publicKey, kid: publicJwk.kid, publicJwk: { ...publicJwk } };
}

/** A signing key from its private JWK (as a keys file keeps it); the public half and kid follow from it. */
export async function signingKeyFromJwk(alg: SigningKey['alg'], privateJwk: Record<string, unknown>): Promise<SigningKey> {
  const privateKey = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const publicJwk = await jwkWithThumbprint(publicKey, alg);
  return { alg, privateKey, publicKey, kid: publicJwk.kid, publicJwk: { ...publicJwk } };
}

export async function createProviderKeys(accessTokenAlgorithm: AccessTokenAlgorithm = DEFAULT_ACCESS_TOKEN_ALGORITHM): Promise<ProviderKeys> {
  const [idToken, accessToken] = await Promise.all([createSigningKey(ID_TOKEN_ALGORITHM), createSigningKey(accessTokenAlgorithm)]);
  return { idToken, accessToken, retired: [] };
}

/**
 * Key rotation: new keys sign from now on; the old ones stay in the JWKS, and verify, until
 * the tokens they signed have expired (`lifetimes`, seconds per kind). Changes `keys` in place.
 */
export async function rotateProviderKeys(keys: ProviderKeys, nowSeconds: number, lifetimes: Record<TokenKind, number>, kinds: TokenKind[] = ['idToken', 'accessToken'], accessTokenAlgorithm: AccessTokenAlgorithm = keys.accessToken.alg): Promise<void> {
  const fresh = await Promise.all(kinds.map((kind) => createSigningKey(kind === 'idToken' ? ID_TOKEN_ALGORITHM : accessTokenAlgorithm)));
  dropExpiredKeys(keys, nowSeconds);
  kinds.forEach((kind, index) => {
    keys.retired.push({ ...keys[kind], kind, untilSeconds: nowSeconds + lifetimes[kind] });
    keys[kind] = fresh[index]!;
  });
}

/** Forgets retired keys whose tokens have all expired. */
export function dropExpiredKeys(keys: ProviderKeys, nowSeconds: number): void {
  keys.retired = keys.retired.filter((key) => key.untilSeconds > nowSeconds);
}

/** The keys that verify tokens of one kind now: the current one first, then the retired ones still kept. */
export function verificationKeys(keys: ProviderKeys, kind: TokenKind, nowSeconds: number): SigningKey[] {
  return [keys[kind], ...keys.retired.filter((key) => key.kind === kind && key.untilSeconds > nowSeconds)];
}

/** What /jwks publishes: the two current keys, then the retired ones still kept. */
export function publishedKeys(keys: ProviderKeys, nowSeconds: number): SigningKey[] {
  return [keys.idToken, keys.accessToken, ...keys.retired.filter((key) => key.untilSeconds > nowSeconds)];
}

export async function signJwt(key: SigningKey, typ: 'JWT' | 'at+jwt', claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, typ, kid: key.kid }).sign(key.privateKey);
}

/**
 * Checks one of our own tokens: signature with the key for its kind named by its kid (the
 * current key or one kept after a rotation), pinned algorithm, typ, iss, and (optionally) exp.
 */
export async function verifyOwnToken(
  keys: SigningKey[],
  token: string,
  expected: { typ: 'JWT' | 'at+jwt'; issuer: string; audience?: string; nowSeconds: number; ignoreExpiry?: boolean },
): Promise<JWTPayload> {
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new Error('it is not a JWT');
  }
  // Without a kid (or an unknown one), the current key: its signature check says what is wrong.
  const key = keys.find((candidate) => candidate.kid === kid) ?? keys[0]!;
  const { payload } = await jwtVerify(token, key.publicKey, {
    algorithms: [key.alg],
    typ: expected.typ,
    issuer: expected.issuer,
    audience: expected.audience,
    currentDate: new Date(expected.nowSeconds * 1000),
    clockTolerance: expected.ignoreExpiry ? Number.MAX_SAFE_INTEGER : 0,
  });
  return payload;
}
