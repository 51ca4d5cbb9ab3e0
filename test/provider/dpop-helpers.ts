// DPoP (RFC 9449) against Mock Google for the dpop-*.test.ts files: a client's key pair, proofs
// for the token endpoint and /userinfo, and a code flow whose tokens are bound to a key.

import { generateKeyPair, exportJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createDpopProof, jwkThumbprint } from '../../src/protocol/dpop.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { authorizeAtOnce, basic, CALLBACK, pkcePair, postForm } from '../helpers/provider.js';

export interface ClientKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  jkt: string;
}

/** A fresh ES256 key pair, as a DPoP client makes one, and its thumbprint. */
export async function clientKey(): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, jkt: await jwkThumbprint(publicJwk) };
}

/** A proof by `key` for a request to the provider; `changes` make it wrong on purpose. */
export function proofFor(provider: RunningProvider, key: ClientKey, path: '/token' | '/userinfo', changes: { htm?: string; htu?: string; accessToken?: string; iat?: number; jti?: string } = {}): Promise<string> {
  return createDpopProof({ privateKey: key.privateKey, publicJwk: key.publicJwk, alg: 'ES256', htm: changes.htm ?? (path === '/token' ? 'POST' : 'GET'), htu: changes.htu ?? `${provider.issuer}${path}`, accessToken: changes.accessToken, iat: changes.iat, jti: changes.jti });
}

/** A proof made by hand, with whatever header it is given (to break one rule). */
export function proofWithHeader(provider: RunningProvider, key: ClientKey, header: Record<string, unknown>): Promise<string> {
  return new SignJWT({ htm: 'POST', htu: `${provider.issuer}/token` }).setProtectedHeader({ alg: 'ES256', jwk: key.publicJwk, ...header } as never).setJti(crypto.randomUUID()).setIssuedAt(Math.floor(provider.state.nowMs() / 1000)).sign(key.privateKey);
}

export const DEMO_APP = basic('demo-app', 'demo-secret');

/** The client's authentication, as a form field (public demo-spa) or a header (confidential demo-app). */
export function asClient(clientId: 'demo-app' | 'demo-spa'): { form: Record<string, string>; headers: Record<string, string> } {
  return clientId === 'demo-app' ? { form: {}, headers: { authorization: DEMO_APP } } : { form: { client_id: 'demo-spa' }, headers: {} };
}

/** A code from an auto-approving provider, with its PKCE verifier. */
export async function freshCode(provider: RunningProvider, clientId: 'demo-app' | 'demo-spa', extra: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const pkce = pkcePair();
  const { location } = await authorizeAtOnce(provider, { client_id: clientId, scope: 'openid email offline_access', code_challenge: pkce.challenge, code_challenge_method: 'S256', ...extra });
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${location?.href}`);
  return { code, verifier: pkce.verifier };
}

/** POST /token with an optional DPoP proof header. */
export function tokenRequest(provider: RunningProvider, clientId: 'demo-app' | 'demo-spa', form: Record<string, string>, dpop?: string | string[]) {
  const { form: auth, headers } = asClient(clientId);
  return postForm(`${provider.issuer}/token`, { ...form, ...auth }, { ...headers, ...(dpop !== undefined && { dpop: Array.isArray(dpop) ? dpop.join(', ') : dpop }) });
}

/** Redeems a code, with a proof by `key` when given. */
export async function redeemWith(provider: RunningProvider, clientId: 'demo-app' | 'demo-spa', code: { code: string; verifier: string }, key?: ClientKey) {
  return tokenRequest(provider, clientId, { grant_type: 'authorization_code', code: code.code, redirect_uri: CALLBACK, code_verifier: code.verifier }, key && (await proofFor(provider, key, '/token')));
}

/** The code flow with DPoP: tokens bound to `key`. */
export async function boundTokens(provider: RunningProvider, clientId: 'demo-app' | 'demo-spa', key: ClientKey): Promise<{ access_token: string; refresh_token: string; token_type: string }> {
  const response = await redeemWith(provider, clientId, await freshCode(provider, clientId), key);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The claims of a JWT, unverified. */
export function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
}

/** GET /userinfo with the given Authorization and DPoP headers. */
export async function userinfoWith(provider: RunningProvider, authorization: string, dpop?: string) {
  const response = await fetch(`${provider.issuer}/userinfo`, { headers: { authorization, ...(dpop !== undefined && { dpop }) } });
  return { status: response.status, challenge: response.headers.get('www-authenticate') ?? '', body: (await response.json()) as Record<string, unknown> };
}
