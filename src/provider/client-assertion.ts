// private_key_jwt client authentication (RFC 7523 §2.2 and §3, OIDC Core §9): the client signs a
// short-lived JWT about itself with a key it registered; only its public key is at Mock Google,
// so there is no shared secret to leak (RFC 9700 §2.5 recommends this over client secrets).

import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Client } from './directory.js';
import { hashedKey } from './dpop-binding.js';
import { HttpError, INVALID_CLIENT_HEADERS } from './http.js';
import type { ProviderState } from './state.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Asymmetric algorithms only: an HMAC would need a shared secret again (client_secret_jwt is not offered). */
export const CLIENT_ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
/**
 * The longest an assertion may live, from now to its exp: 5 minutes. RFC 7523 §3 point 4 lets
 * the server refuse a far-off exp; a short one bounds the replay store and a stolen assertion.
 */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** How far ahead of our clock an assertion's iat may be (a client's clock a little fast). */
export const MAX_ASSERTION_IAT_AHEAD_SECONDS = 60;

function refused(description: string): HttpError {
  return new HttpError(401, 'invalid_client', description, INVALID_CLIENT_HEADERS);
}

/**
 * Checks a client assertion and returns the client it authenticates, or throws 401
 * invalid_client: iss = sub = client_id (§3 points 1-2), aud this issuer or its token endpoint
 * and nothing else (§3 point 3, OIDC Core §9, rfc7523bis), exp present and near (§3 point 4), iat
 * not over 60 s ahead, a kid when the client has several keys (OIDC Core §10.1), a signature by
 * one of the client's registered keys (§3 point 9), and a jti never seen before (§3 point 7).
 */
export async function checkClientAssertion(state: ProviderState, assertion: string, formClientId: string | undefined): Promise<Client> {
  let claimed: Record<string, unknown>;
  try {
    claimed = decodeJwt(assertion);
  } catch {
    throw refused('client_assertion is not a JWT (RFC 7523 §2.2).');
  }
  const clientId = typeof claimed.iss === 'string' ? claimed.iss : undefined;
  if (clientId === undefined) throw refused('The client assertion has no iss: it must be the client_id (RFC 7523 §3 point 1).');
  if (formClientId !== undefined && formClientId !== clientId) throw refused('client_id in the body is not the client assertion\'s iss.');
  const client = state.clients.get(clientId);
  if (!client?.jwks) throw refused(`${client ? `${clientId} has no registered keys` : 'Unknown client'}: private_key_jwt needs a client registered with a jwks.`);
  const registered = (client.jwks as JSONWebKeySet).keys?.length ?? 0;
  let kid: unknown;
  try {
    ({ kid } = decodeProtectedHeader(assertion));
  } catch {
    throw refused('client_assertion is not a JWT (RFC 7523 §2.2).');
  }
  // OIDC Core §10.1: with several keys in the set, the header must say which signed.
  if (kid === undefined && registered > 1) throw refused(`The client assertion's header has no kid, and ${clientId} has ${registered} registered keys: with several keys, a kid must name the one that signed (OpenID Connect Core §10.1).`);
  const issuer = state.config.issuer;
  const now = state.nowSeconds();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks as JSONWebKeySet), {
      algorithms: CLIENT_ASSERTION_ALGORITHMS,
      issuer: clientId,
      subject: clientId,
      audience: [issuer, `${issuer}/token`],
      requiredClaims: ['exp', 'jti'],
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    throw refused(`The client assertion is not valid: ${assertionFailure(error as Error & { code?: string; claim?: string }, issuer)}.`);
  }
  // One audience, this server (draft-ietf-oauth-rfc7523bis): an assertion naming other audiences
  // too could be replayed by any of them here.
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.length !== 1) throw refused(`The client assertion is not valid: its aud must be ${issuer} or ${issuer}/token alone, not a list of ${audiences.length} audiences (draft-ietf-oauth-rfc7523bis: the issuer as the single audience).`);
  if (typeof payload.iat === 'number' && payload.iat - now > MAX_ASSERTION_IAT_AHEAD_SECONDS) throw refused(`The client assertion's iat is ${payload.iat - now} s in the future; Mock Google accepts clocks up to ${MAX_ASSERTION_IAT_AHEAD_SECONDS} s ahead (RFC 7523 §3 point 6).`);
  const exp = payload.exp as number;
  if (exp - now > MAX_ASSERTION_LIFETIME_SECONDS) throw refused(`The client assertion expires in ${exp - now} s; Mock Google accepts assertions that expire within ${MAX_ASSERTION_LIFETIME_SECONDS} s (RFC 7523 §3 point 4).`);
  if (typeof payload.jti !== 'string' || payload.jti === '') throw refused('The client assertion has no jti (RFC 7523 §3 point 7).');
  // Single use: the jti is kept until the assertion expires (§3 point 7).
  const key = hashedKey(clientId, payload.jti);
  if (state.clientAssertions.get(key)) throw refused('This client assertion was used before: its jti is spent; sign a new one for each request (RFC 7523 §3 point 7).');
  const wait = state.clientAssertions.secondsUntilRoom(state.clientAssertions.entryBytes(key, true));
  if (wait > 0) {
    const seconds = Number.isFinite(wait) ? wait : MAX_ASSERTION_LIFETIME_SECONDS;
    throw new HttpError(503, 'temporarily_unavailable', `Mock Google holds as many recent client assertions as it may (${state.clientAssertions.limits.maxEntries}), to refuse a replayed one; try again in ${seconds} seconds.`, { 'retry-after': String(seconds) });
  }
  state.clientAssertions.set(key, true, Math.max(1, exp - now));
  return client;
}

/** jose's reason, in the words of the rule it broke. */
function assertionFailure(error: Error & { code?: string; claim?: string }, issuer: string): string {
  switch (error.code) {
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'it is not signed by a key registered for this client (RFC 7523 §3 point 9)';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return `its alg is not one Mock Google accepts (${CLIENT_ASSERTION_ALGORITHMS.join(', ')}: asymmetric only)`;
    case 'ERR_JWT_EXPIRED':
      return 'it has expired (exp is past; RFC 7523 §3 point 4)';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (error.claim === 'aud') return `its aud must be ${issuer} or ${issuer}/token (RFC 7523 §3 point 3)`;
      if (error.claim === 'sub') return 'its sub must be the client_id (RFC 7523 §3 point 2)';
      if (error.claim === 'exp') return 'it has no exp (RFC 7523 §3 point 4)';
      if (error.claim === 'jti') return 'it has no jti (RFC 7523 §3 point 7)';
      return `its ${error.claim ?? 'claims'} claim is not valid (${error.message})`;
    default:
      return error.message;
  }
}
