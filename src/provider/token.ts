// The token endpoint (RFC 6749 §3.2, §4.1.3, §6, §4.4): codes, refresh tokens and client
// credentials, each with the checks current practice requires.

import { randomUUID } from 'node:crypto';
import type { Exchange } from './exchange.js';
import { authenticateClient, HttpError, readForm, sendJson } from './http.js';
import { isConfidential } from './directory.js';
import { isWellFormedPkceValue, s256Challenge } from './pkce.js';
import type { CodeRecord, ProviderState } from './state.js';

const TOKEN_HEADERS = { pragma: 'no-cache' };

function invalidGrant(description: string): HttpError {
  return new HttpError(400, 'invalid_grant', description);
}

export async function handleToken(exchange: Exchange): Promise<void> {
  const { request, response, state } = exchange;
  const form = await readForm(request);
  const { client, method } = authenticateClient(request, form, state.clients, true);
  const grantType = form.get('grant_type');

  if (grantType === 'authorization_code') {
    const code = form.get('code');
    if (!code) throw new HttpError(400, 'invalid_request', 'code is missing.');
    const record = state.codes.get(code);
    checkCode(state, record, client.client_id, form, exchange);
    record!.used = true;
    const tokens = await state.issueTokens({
      client,
      sub: record!.sub,
      scopes: record!.scopes,
      authTime: record!.authTime,
      grantId: record!.grantId,
      nonce: record!.nonce,
      withIdToken: record!.scopes.includes('openid'),
      withRefreshToken: record!.scopes.includes('offline_access'),
    });
    exchange.say(`tokens issued to ${client.client_id} for ${state.userBySub(record!.sub)?.email ?? record!.sub} (scope ${tokens.scope}${tokens.refresh_token ? ', with a refresh token' : ''}; client auth ${method})`);
    return sendJson(response, 200, tokens, TOKEN_HEADERS);
  }

  if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) throw new HttpError(400, 'invalid_request', 'refresh_token is missing.');
    const record = state.refreshTokens.get(refreshToken);
    if (!record || record.clientId !== client.client_id) throw invalidGrant('The refresh token is unknown, expired, or was issued to another client.');
    if (state.isGrantRevoked(record.grantId)) throw invalidGrant('The refresh token was revoked.');
    if (record.used) {
      // Rotation (RFC 9700 §4.14.2): an old refresh token coming back means two parties hold it.
      state.revokeGrant(record.grantId);
      exchange.say(`refresh token reused by ${client.client_id}: the whole chain is revoked`);
      throw invalidGrant('This refresh token was already used (it rotates on every use); as a precaution every token of this sign-in is now revoked.');
    }
    const scopes = narrowScopes(form.get('scope'), record.scopes);
    record.used = true;
    const tokens = await state.issueTokens({ client, sub: record.sub, scopes, authTime: record.authTime, grantId: record.grantId, withIdToken: scopes.includes('openid'), withRefreshToken: true });
    // The new refresh token keeps the scope of the grant, even when this access token was narrowed.
    state.refreshTokens.get(tokens.refresh_token!)!.scopes = record.scopes;
    exchange.say(`refresh token rotated for ${client.client_id}; new access token (scope ${tokens.scope})`);
    return sendJson(response, 200, tokens, TOKEN_HEADERS);
  }

  if (grantType === 'client_credentials') {
    if (!isConfidential(client)) throw new HttpError(400, 'unauthorized_client', 'client_credentials needs a confidential client: a public client has no secret to prove who it is.');
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const userScopes = scopes.filter((scope) => ['openid', 'profile', 'email', 'offline_access'].includes(scope));
    if (userScopes.length) throw new HttpError(400, 'invalid_scope', `client_credentials acts for the app itself, with no user: ${userScopes.join(', ')} cannot be granted.`);
    const tokens = await state.issueTokens({ client, sub: client.client_id, scopes, authTime: state.nowSeconds(), grantId: randomUUID(), withIdToken: false, withRefreshToken: false });
    exchange.say(`access token issued to ${client.client_id} for itself (client_credentials)`);
    return sendJson(response, 200, tokens, TOKEN_HEADERS);
  }

  if (grantType === undefined) throw new HttpError(400, 'invalid_request', 'grant_type is missing.');
  if (grantType === 'password') {
    throw new HttpError(400, 'unsupported_grant_type', 'The password grant must not be used: the app would see the password (RFC 9700 §2.4).');
  }
  throw new HttpError(400, 'unsupported_grant_type', `grant_type ${JSON.stringify(grantType)} is not supported here.`);
}

/**
 * The code rules: it exists and is fresh, belongs to this client, was not used before (a
 * replay revokes every token issued from it, RFC 6749 §4.1.2), was sent back with the same
 * redirect_uri, and comes with the PKCE verifier that matches its challenge.
 */
export function checkCode(state: ProviderState, record: CodeRecord | undefined, clientId: string, form: Map<string, string>, exchange: Pick<Exchange, 'say'>): void {
  if (!record) throw invalidGrant('The authorization code is unknown or expired (codes live 60 seconds).');
  if (record.clientId !== clientId) throw invalidGrant('The authorization code was issued to another client.');
  if (record.used) {
    state.revokeGrant(record.grantId);
    exchange.say(`code replayed by ${clientId}: refused, and every token issued from it is revoked`);
    throw invalidGrant('The authorization code was already used. Codes are single use; every token issued from it is now revoked (RFC 6749 §4.1.2).');
  }
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
  if (s256Challenge(verifier) !== record.codeChallenge) throw invalidGrant('code_verifier does not match the code_challenge: whoever redeems the code did not start the flow.');
}

function narrowScopes(requested: string | undefined, granted: string[]): string[] {
  if (requested === undefined) return granted;
  const scopes = requested.split(' ').filter(Boolean);
  const extra = scopes.filter((scope) => !granted.includes(scope));
  if (extra.length) throw new HttpError(400, 'invalid_scope', `A refresh can narrow the scope, never widen it: ${extra.join(', ')} was not granted.`);
  return scopes;
}
