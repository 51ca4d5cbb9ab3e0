// DPoP (RFC 9449) on the client's side, as the demo's apps use it: a key pair that stays with the
// app, a fresh proof for each request, and the access token sent with the DPoP scheme.

import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createDpopProof, jwkThumbprint } from '../protocol/dpop.js';
import type { Step } from './steps.js';

/** The algorithm of the demo's DPoP keys: ES256, a P-256 key (small and fast to sign with). */
export const DPOP_KEY_ALGORITHM = 'ES256';

/** An app's DPoP key: the private key signs proofs and never leaves the app; the public JWK goes in each proof. */
export interface DpopKey {
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
  /** The public key's RFC 7638 thumbprint: what a bound token names as `cnf.jkt`. */
  jkt: string;
}

/** A fresh P-256 key pair for ES256 proofs, with its public JWK and that JWK's thumbprint. */
export async function newDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = publicKey.export({ format: 'jwk' });
  return { privateKey, publicJwk, jkt: await jwkThumbprint(publicJwk) };
}

/** A proof by `key` for one request (`method`, `url`); with `accessToken`, for an API: it carries the token's hash (ath). */
export function dpopProof(key: DpopKey, method: string, url: string, accessToken?: string): Promise<string> {
  return createDpopProof({ privateKey: key.privateKey, publicJwk: key.publicJwk, alg: DPOP_KEY_ALGORITHM, htm: method, htu: url, ...(accessToken !== undefined && { accessToken }) });
}

/**
 * The headers that send `accessToken` to an API: `Authorization: DPoP` with a proof for this
 * request when there is a key (RFC 9449 §7.1), else `Authorization: Bearer` (RFC 6750 §2.1).
 */
export async function tokenHeaders(accessToken: string, key: DpopKey | undefined, method: string, url: string): Promise<Record<string, string>> {
  if (!key) return { authorization: `Bearer ${accessToken}` };
  return { authorization: `DPoP ${accessToken}`, dpop: await dpopProof(key, method, url, accessToken) };
}

/** The `cnf.jkt` in a JWT access token's payload (the thumbprint of the key it is bound to), or undefined. */
export function boundThumbprint(accessToken: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { cnf?: { jkt?: unknown } };
    return typeof payload.cnf?.jkt === 'string' ? payload.cnf.jkt : undefined;
  } catch {
    return undefined;
  }
}

/** What a token answer says about DPoP, as a step's facts: token_type, the token's cnf.jkt, and `whose` key's thumbprint beside it. */
export function bindingFacts(tokenType: unknown, accessToken: string, key: Pick<DpopKey, 'jkt'>, whose: string): NonNullable<Step['facts']> {
  const jkt = boundThumbprint(accessToken);
  return [
    { name: 'token_type', value: String(tokenType), meaning: 'DPoP: the token must be sent with a proof, not as Bearer' },
    { name: 'cnf.jkt', value: jkt ?? '(none)', meaning: 'the thumbprint of the key the token is bound to (RFC 7638)' },
    { name: `${whose} key`, value: key.jkt, meaning: jkt === key.jkt ? `the thumbprint of the ${whose}'s key: the same` : `the thumbprint of the ${whose}'s key: NOT the same` },
  ];
}
