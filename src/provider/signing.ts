// The provider's signing key and the two kinds of JWT it issues: ID tokens (for the app: who
// signed in) and RFC 9068 access tokens (for the API: what the app may do). Both RS256.

import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT } from 'jose/jwt/sign';
import type { JWTPayload } from 'jose';
import { jwtVerify } from 'jose/jwt/verify';
import { jwkWithThumbprint } from '../jwt/keys.js';

export const SIGNING_ALGORITHM = 'RS256';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  publicJwk: Record<string, unknown>;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const publicJwk = await jwkWithThumbprint(publicKey, SIGNING_ALGORITHM);
  return { privateKey, publicKey, kid: publicJwk.kid, publicJwk: { ...publicJwk } };
}

export async function signJwt(key: SigningKey, typ: 'JWT' | 'at+jwt', claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALGORITHM, typ, kid: key.kid }).sign(key.privateKey);
}

/** Checks one of our own tokens: signature, pinned algorithm, typ, iss, and (optionally) exp. */
export async function verifyOwnToken(
  key: SigningKey,
  token: string,
  expected: { typ: 'JWT' | 'at+jwt'; issuer: string; audience?: string; nowSeconds: number; ignoreExpiry?: boolean },
): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key.publicKey, {
    algorithms: [SIGNING_ALGORITHM],
    typ: expected.typ,
    issuer: expected.issuer,
    audience: expected.audience,
    currentDate: new Date(expected.nowSeconds * 1000),
    clockTolerance: expected.ignoreExpiry ? Number.MAX_SAFE_INTEGER : 0,
  });
  return payload;
}
