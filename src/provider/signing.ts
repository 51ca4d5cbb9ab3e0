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

import { generateKeyPair, type KeyObject } from 'node:crypto';
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

/** One key for each kind of token the provider signs. */
export interface ProviderKeys {
  idToken: SigningKey;
  accessToken: SigningKey;
}

const generate = promisify(generateKeyPair);

export async function createSigningKey(alg: SigningKey['alg']): Promise<SigningKey> {
  const { privateKey, publicKey } = alg === 'RS256'
    ? await generate('rsa', { modulusLength: 2048 })
    : await generate('ec', { namedCurve: 'P-256' });
  const publicJwk = await jwkWithThumbprint(publicKey, alg);
  return { alg, privateKey, publicKey, kid: publicJwk.kid, publicJwk: { ...publicJwk } };
}

export async function createProviderKeys(accessTokenAlgorithm: AccessTokenAlgorithm = DEFAULT_ACCESS_TOKEN_ALGORITHM): Promise<ProviderKeys> {
  const [idToken, accessToken] = await Promise.all([createSigningKey(ID_TOKEN_ALGORITHM), createSigningKey(accessTokenAlgorithm)]);
  return { idToken, accessToken };
}

export async function signJwt(key: SigningKey, typ: 'JWT' | 'at+jwt', claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, typ, kid: key.kid }).sign(key.privateKey);
}

/** Checks one of our own tokens: signature with the key for its kind, pinned algorithm, typ, iss, and (optionally) exp. */
export async function verifyOwnToken(
  key: SigningKey,
  token: string,
  expected: { typ: 'JWT' | 'at+jwt'; issuer: string; audience?: string; nowSeconds: number; ignoreExpiry?: boolean },
): Promise<JWTPayload> {
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
