// The token endpoint (RFC 6749 §3.2, §4.1.3, §6, §4.4; RFC 8628 §3.4): codes, refresh tokens,
// client credentials and device codes, each with the checks current practice requires.

import type { Exchange } from './exchange.js';
import { HttpError, readClientForm, sendJson } from './http.js';
import { isConfidential, SUPPORTED_SCOPES, type Client } from './directory.js';
import { isWellFormedPkceValue, s256Challenge } from '../protocol/pkce.js';
import { type CodeRecord, type IssuedTokens, type ProviderState } from './state.js';
import { checkDevicePoll, DEVICE_CODE_GRANT_TYPE, spentDeviceCode } from './device.js';
import { proofAtTokenEndpoint } from './dpop-binding.js';
import { quoteUntrusted, quoteUntrustedList } from '../protocol/untrusted-quote.js';

const TOKEN_HEADERS = { pragma: 'no-cache' };

/** Every parameter /token reads; each has a size limit (state.ts). */
const TOKEN_PARAMETERS = ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'client_id', 'client_secret', 'device_code', 'client_assertion_type', 'client_assertion'] as const;

function invalidGrant(description: string): HttpError {
  return new HttpError(400, 'invalid_grant', description);
}

/**
 * 503 when revoked grants alone fill the room kept for revocations: no tokens, rather than a
 * revocation forgotten later. They expire within the access-token lifetime.
 */
function revokedGrantsFull(state: ProviderState, seconds: number): HttpError {
  return new HttpError(503, 'temporarily_unavailable', `Mock Google holds as many revoked sign-ins as it may (${state.revokedGrants.limits.maxEntries}), each until its access tokens expire (at most ${state.config.accessTokenTtl} seconds); try again in ${seconds} seconds.`, { 'retry-after': String(seconds) });
}

/** A refresh token that works for nobody: unknown, expired, another client's, or its grant forgotten. */
function unknownRefreshToken(state: ProviderState): HttpError {
  return invalidGrant(`The refresh token is unknown or expired, or was issued to another client, or Mock Google forgot its sign-in (when it holds its most, ${state.grants.limits.maxEntries}, it forgets the oldest). Sign in again.`);
}

/** A scope parameter that is present must name at least one scope (RFC 6749 §3.3). */
function scopeList(value: string, whenAbsent: string): string[] {
  const scopes = value.split(' ').filter(Boolean);
  if (scopes.length === 0) throw new HttpError(400, 'invalid_scope', `scope is present but empty; leave it out ${whenAbsent}, or name the scopes you want.`);
  return scopes;
}

export async function handleToken(exchange: Exchange): Promise<void> {
  const { request, response, state } = exchange;
  const { form, client, method } = await readClientForm(exchange, TOKEN_PARAMETERS);
  const grantType = form.get('grant_type');
  // A DPoP proof binds the access token to the client's key (RFC 9449 §5); without one, Bearer.
  // Its jti is recorded (`recordProof`) only once the grant and the client have passed their checks,
  // just before issuing: a request that fails uses no room in the replay store.
  const proof = await proofAtTokenEndpoint(exchange);
  const dpopJkt = proof?.jkt;
  const recordProof = () => proof?.record();
  const bound = dpopJkt === undefined ? '' : ', DPoP-bound';

  if (grantType === 'authorization_code') {
    const code = form.get('code');
    if (!code) throw new HttpError(400, 'invalid_request', 'code is missing.');
    const record = state.codes.get(code);
    checkCode(state, record, client.client_id, form, exchange);
    // RFC 9449 §10: a code asked for with dpop_jkt is redeemed only with a proof by that key.
    if (record!.dpopJkt !== undefined && record!.dpopJkt !== dpopJkt) {
      exchange.say(`code bound to a DPoP key (dpop_jkt) redeemed by ${client.client_id} ${dpopJkt === undefined ? 'without a proof' : 'with another key'}: refused`);
      throw invalidGrant(`This code was asked for with dpop_jkt: redeem it with a DPoP proof signed by that key (RFC 9449 §10)${dpopJkt === undefined ? '; the request has no DPoP header' : '; this proof is signed by another key'}.`);
    }
    recordProof();
    // A used code keeps only what replay detection needs.
    const tokens = await tokensForSignIn(state, client, { ...record!, dpopJkt }, () => state.codes.replace(code, spentCode(record!)));
    exchange.say(`tokens issued to ${client.client_id} for ${state.userBySub(record!.sub)?.email ?? record!.sub} (scope ${tokens.scope}${tokens.refresh_token ? ', with a refresh token' : ''}; client auth ${method}${bound})`);
    return sendJson(response, 200, tokens, TOKEN_HEADERS);
  }

  if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) throw new HttpError(400, 'invalid_request', 'refresh_token is missing.');
    const known = state.findRefreshToken(refreshToken);
    if (!known || known.record.clientId !== client.client_id) throw unknownRefreshToken(state);
    const { grantId } = known.record;
    if (state.isGrantRevoked(grantId)) throw invalidGrant('The refresh token was revoked.');
    // A grant forgotten to make room fails closed: its refresh tokens are no longer honoured.
    if (!state.isGrantActive(grantId)) throw unknownRefreshToken(state);
    if (!known.live) {
      // Rotation (RFC 9700 §4.14.2): an old refresh token coming back means two parties hold it.
      state.revokeGrant(grantId);
      exchange.say(`refresh token reused by ${client.client_id}: the whole chain is revoked`);
      throw invalidGrant('This refresh token was already used (it rotates on every use); as a precaution every token of this sign-in is now revoked.');
    }
    const { record } = known;
    // RFC 9449 §5: a public client's refresh token works only with a proof by the key it is bound to.
    if (record.jkt !== undefined && record.jkt !== dpopJkt) {
      exchange.say(`refresh token bound to a DPoP key used by ${client.client_id} ${dpopJkt === undefined ? 'without a proof' : 'with another key'}: refused`);
      throw invalidGrant(`This refresh token is bound to a DPoP key (RFC 9449 §5): send a DPoP proof signed by that key${dpopJkt === undefined ? '; the request has no DPoP header' : '; this proof is signed by another key'}.`);
    }
    const scopes = narrowScopes(form.get('scope'), record.scopes);
    recordProof();
    // Rotated at once, before any await: the same token sent twice at once is a reuse. The new
    // refresh token keeps the scope of the grant, even when this access token was narrowed.
    const newRefreshToken = state.rotateRefreshToken(refreshToken, record);
    const tokens = await state.issueTokens({ client, sub: record.sub, scopes, authTime: record.authTime, grantId, refreshToken: newRefreshToken, withIdToken: scopes.includes('openid'), dpopJkt });
    exchange.say(`refresh token rotated for ${client.client_id}; new access token (scope ${tokens.scope}${bound})`);
    return sendJson(response, 200, tokens, TOKEN_HEADERS);
  }

  if (grantType === 'client_credentials') {
    if (!isConfidential(client)) throw new HttpError(400, 'unauthorized_client', 'client_credentials needs a confidential client: a public client has no secret to prove who it is.');
    // Only the scopes registered for the client (RFC 6749 §3.3); without a scope, all of them.
    const registered = client.scopes ?? [];
    const asked = form.get('scope');
    const wanted = asked === undefined ? registered : scopeList(asked, 'to get every scope registered for the client');
    const userScopes = wanted.filter((scope) => SUPPORTED_SCOPES.includes(scope));
    if (userScopes.length) throw new HttpError(400, 'invalid_scope', `client_credentials acts for the app itself, with no user: ${userScopes.join(', ')} cannot be granted.`);
    const unregistered = wanted.filter((scope) => !registered.includes(scope));
    if (unregistered.length) {
      throw new HttpError(400, 'invalid_scope', `${quoteUntrustedList(unregistered)} ${unregistered.length === 1 ? 'is' : 'are'} not registered for ${client.client_id}; with client_credentials it may ask for ${registered.length ? registered.join(' ') : 'no scope'}.`);
    }
    const scopes = registered.filter((scope) => wanted.includes(scope));
    recordProof();
    const tokens = await state.issueTokens({ client, sub: client.client_id, scopes, withIdToken: false, dpopJkt });
    exchange.say(`access token issued to ${client.client_id} for itself (client_credentials; client auth ${method}${bound})`);
    return sendJson(response, 200, tokens, TOKEN_HEADERS);
  }

  if (grantType === DEVICE_CODE_GRANT_TYPE) {
    const deviceCode = form.get('device_code');
    if (!deviceCode) throw new HttpError(400, 'invalid_request', 'device_code is missing.');
    const record = checkDevicePoll(state, state.deviceCodes.get(deviceCode), client.client_id, exchange);
    const signIn = { sub: record.sub!, scopes: record.scopes, authTime: record.authTime!, grantId: record.grantId!, dpopJkt };
    recordProof();
    // Single use: marked before any await, so two polls at once cannot both get tokens.
    const tokens = await tokensForSignIn(state, client, signIn, () => state.deviceCodes.replace(deviceCode, spentDeviceCode(record)));
    exchange.say(`tokens issued to ${client.client_id}'s device for ${state.userBySub(signIn.sub)?.email ?? signIn.sub} (scope ${tokens.scope}${tokens.refresh_token ? ', with a refresh token' : ''}; client auth ${method}${bound}); the device code is now used`);
    return sendJson(response, 200, tokens, TOKEN_HEADERS);
  }

  if (grantType === undefined) throw new HttpError(400, 'invalid_request', 'grant_type is missing.');
  if (grantType === 'password') {
    throw new HttpError(400, 'unsupported_grant_type', 'The password grant must not be used: the app would see the password (RFC 9700 §2.4).');
  }
  throw new HttpError(400, 'unsupported_grant_type', `grant_type ${quoteUntrusted(grantType)} is not supported here.`);
}

/**
 * The tokens of a user's sign-in, from a code or a device code: the grant is recorded (with a
 * refresh token only for offline_access, bound to the DPoP key for a public client) and
 * `markUsed` called at once, before any await; then the tokens are signed. Nothing is marked
 * when revoked grants fill the room (503).
 */
async function tokensForSignIn(state: ProviderState, client: Client, signIn: { sub: string; scopes: string[]; authTime: number; grantId: string; nonce?: string; dpopJkt?: string }, markUsed: () => void): Promise<IssuedTokens> {
  const { sub, scopes, authTime, grantId, nonce, dpopJkt } = signIn;
  // RFC 9449 §5: a confidential client's refresh token is bound by its authentication instead.
  const jkt = isConfidential(client) ? undefined : dpopJkt;
  const refresh = scopes.includes('offline_access') ? { clientId: client.client_id, sub, scopes, authTime, grantId, ...(jkt !== undefined && { jkt }) } : undefined;
  const { retryAfter, refreshToken } = state.startGrant(grantId, refresh);
  if (retryAfter > 0) throw revokedGrantsFull(state, retryAfter);
  markUsed();
  return state.issueTokens({ client, sub, scopes, authTime, grantId, nonce, refreshToken, withIdToken: scopes.includes('openid'), dpopJkt });
}

/** 60 → "60 seconds", 600 → "10 minutes": the code lifetime as the error description says it. */
function codeLifetime(seconds: number): string {
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

/**
 * The code rules: it exists and is fresh, belongs to this client, was not used before (a
 * replay revokes every token issued from it, RFC 6749 §4.1.2), was sent back with the same
 * redirect_uri, and comes with the PKCE verifier that matches its challenge.
 */
export function checkCode(state: ProviderState, record: CodeRecord | undefined, clientId: string, form: Map<string, string>, exchange: Pick<Exchange, 'say'>): void {
  if (!record) throw invalidGrant(`The authorization code is unknown or expired (codes live ${codeLifetime(state.config.codeTtl)}).`);
  // A replay by any client, not only the one it was issued to: the code leaked (RFC 9700 §4.5).
  if (record.used) {
    const replayedBy = `code replayed by ${clientId}${clientId === record.clientId ? '' : ` (issued to ${record.clientId})`}`;
    if (state.revokeGrant(record.grantId) > 0) {
      // Only when revoked grants alone fill the room and this grant was already forgotten.
      exchange.say(`${replayedBy}: refused; its tokens could NOT be revoked (too many revoked sign-ins held)`);
      throw invalidGrant(`The authorization code was already used. Codes are single use; Mock Google holds as many revoked sign-ins as it may, so the tokens issued from it could NOT be revoked: they expire within ${state.config.accessTokenTtl} seconds.`);
    }
    exchange.say(`${replayedBy}: refused, and every token issued from it is revoked`);
    throw invalidGrant('The authorization code was already used. Codes are single use; every token issued from it is now revoked (RFC 6749 §4.1.2).');
  }
  if (record.clientId !== clientId) throw invalidGrant('The authorization code was issued to another client.');
  if (form.get('redirect_uri') !== record.redirectUri) {
    throw invalidGrant('redirect_uri must be exactly the one sent in the authorization request.');
  }
  const verifier = form.get('code_verifier');
  if (record.codeChallenge === undefined) {
    // A verifier for a code issued without a challenge is a downgrade attempt (RFC 9700 §4.8.2).
    if (verifier !== undefined) throw invalidGrant('A code_verifier was sent, but this code was issued without a code_challenge: PKCE downgrade refused.');
    return;
  }
  if (verifier === undefined) throw invalidGrant('code_verifier is missing: this code was issued with a PKCE challenge (RFC 7636 §4.5).');
  if (!isWellFormedPkceValue(verifier)) throw invalidGrant('code_verifier must be 43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (RFC 7636 §4.1).');
  if (s256Challenge(verifier) !== record.codeChallenge) throw invalidGrant('code_verifier does not match the code_challenge: this code belongs to another authorization request (RFC 7636 §4.6).');
}

/** What a used code keeps until it expires: enough to know it was used and which grant to revoke. */
function spentCode(record: CodeRecord): CodeRecord {
  return { clientId: record.clientId, redirectUri: '', scopes: [], sub: record.sub, authTime: record.authTime, grantId: record.grantId, used: true };
}

/** RFC 6749 §6: without scope, the scope granted; an empty scope is malformed, not "no scope". */
function narrowScopes(requested: string | undefined, granted: string[]): string[] {
  if (requested === undefined) return granted;
  const scopes = scopeList(requested, 'to keep the scope granted');
  const extra = scopes.filter((scope) => !granted.includes(scope));
  if (extra.length) throw new HttpError(400, 'invalid_scope', `A refresh can narrow the scope, never widen it: ${quoteUntrustedList(extra)} ${extra.length === 1 ? 'was' : 'were'} not granted.`);
  return granted.filter((scope) => scopes.includes(scope));
}
