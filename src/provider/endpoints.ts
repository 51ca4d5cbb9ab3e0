// The endpoints around the flow: discovery (OIDC Discovery 1.0, RFC 8414), the key set
// (RFC 7517), userinfo (OIDC Core §5.3, RFC 6750), revocation (RFC 7009), introspection
// (RFC 7662), and RP-initiated logout. The device flow's endpoints are in device.ts.

import { decodeProtectedHeader } from 'jose/decode/protected_header';
import type { JWTPayload } from 'jose';
import type { Exchange } from './exchange.js';
import { authenticateClient, headerParameterText, HttpError, readForm, redirect, sendHtml, sendJson, uniqueParameters } from './http.js';
import { DEVICE_CODE_GRANT_TYPE } from './device.js';
import { claimsForScopes, SUPPORTED_SCOPES, SCOPE_CLAIMS } from './directory.js';
import { errorPage, pagePolicy, signedOutPage } from './pages.js';
import { isRegisteredRedirectUri } from './redirect-uri.js';
import { ID_TOKEN_ALGORITHM, publishedKeys, verificationKeys, verifyOwnToken } from './signing.js';
import { CLIENT_ASSERTION_ALGORITHMS } from './client-assertion.js';
import { BOTH_CHALLENGES, checkProofWithToken, dpopChallenge, DPOP_SIGNING_ALGORITHMS } from './dpop-binding.js';
import type { ProviderState } from './state.js';

export function metadata(state: ProviderState): Record<string, unknown> {
  const issuer = state.config.issuer;
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    end_session_endpoint: `${issuer}/logout`,
    device_authorization_endpoint: `${issuer}/device_authorization`,
    scopes_supported: SUPPORTED_SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT_TYPE],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ID_TOKEN_ALGORITHM],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    dpop_signing_alg_values_supported: DPOP_SIGNING_ALGORITHMS,
    code_challenge_methods_supported: ['S256'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'azp', 'sid', 'at_hash', ...SCOPE_CLAIMS.profile!, ...SCOPE_CLAIMS.email!],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
  };
}

export async function handleDiscovery(exchange: Exchange): Promise<void> {
  exchange.say('discovery document served');
  sendJson(exchange.response, 200, metadata(exchange.state), { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' });
}

export async function handleJwks(exchange: Exchange): Promise<void> {
  const { idToken, accessToken } = exchange.state.keys;
  const keys = publishedKeys(exchange.state.keys, exchange.state.nowSeconds());
  const older = keys.length - 2;
  exchange.say(`public keys served: one for ID tokens (${idToken.alg}), one for access tokens (${accessToken.alg})${older ? `, and ${older} older one${older > 1 ? 's' : ''} kept until the tokens signed with ${older > 1 ? 'them' : 'it'} expire` : ''}`);
  sendJson(exchange.response, 200, { keys: keys.map((key) => key.publicJwk) }, { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' });
}

/** Checks one of our access tokens: signature, typ at+jwt, iss, aud, exp, and not revoked. */
export async function verifyAccessToken(state: ProviderState, token: string): Promise<JWTPayload> {
  try {
    const payload = await verifyOwnToken(verificationKeys(state.keys, 'accessToken', state.nowSeconds()), token, { typ: 'at+jwt', issuer: state.config.issuer, audience: state.accessTokenAudience, nowSeconds: state.nowSeconds() });
    if (state.revokedAccessTokens.get(String(payload.jti)) || state.isGrantRevoked(payload.sid)) throw new Error('the token was revoked');
    return payload;
  } catch (error) {
    let header: { typ?: string } = {};
    try {
      header = decodeProtectedHeader(token);
    } catch {
      // Not even a JWT: the generic message below fits.
    }
    const reason = header.typ === 'JWT'
      ? 'this is an ID token, not an access token: its aud is the client and its typ is JWT; send the access token (RFC 9068 §4)'
      : (error as Error).message;
    throw new HttpError(401, 'invalid_token', `The access token is not valid: ${reason}.`, {
      'www-authenticate': `Bearer realm="Mock Google", error="invalid_token", error_description="${headerParameterText(reason)}"`,
    });
  }
}

export async function handleUserinfo(exchange: Exchange): Promise<void> {
  const { request, response, state } = exchange;
  const authorization = request.headers.authorization ?? '';
  const dpopToken = /^DPoP\s+(\S+)$/i.exec(authorization)?.[1];
  let token = dpopToken ?? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (request.method === 'POST' && (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const bodyToken = (await readForm(request)).get('access_token');
    if (bodyToken !== undefined && token !== undefined) throw new HttpError(400, 'invalid_request', 'Send the access token once: in the Authorization header or the body, not both (RFC 6750 §2).');
    token ??= bodyToken;
  }
  if (!token) {
    exchange.say('userinfo without an access token: 401');
    throw new HttpError(401, 'invalid_request', 'An access token is required: Authorization: Bearer <access token>, or DPoP <access token> with a DPoP proof for a DPoP-bound one.', { 'www-authenticate': BOTH_CHALLENGES });
  }
  const payload = await verifyAccessToken(state, token).catch((error: unknown) => {
    // Sent with the DPoP scheme, the challenge is DPoP's (RFC 9449 §7.1).
    if (dpopToken !== undefined && error instanceof HttpError) throw dpopChallenge('invalid_token', error.description);
    throw error;
  });
  const boundTo = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
  const jkt = typeof boundTo === 'string' ? boundTo : undefined;
  if (dpopToken !== undefined) await checkProofWithToken(exchange, token, jkt);
  else if (jkt !== undefined) {
    // RFC 9449 §7.1: a bound token is not a bearer token; whoever holds only the token gets nothing.
    exchange.say('userinfo: a DPoP-bound access token sent as a Bearer token: 401');
    throw dpopChallenge('invalid_token', 'This access token is bound to a DPoP key (cnf.jkt): send it as Authorization: DPoP <token> with a DPoP proof signed by that key (RFC 9449 §7.1).');
  }
  const scopes = String(payload.scope ?? '').split(' ');
  if (!scopes.includes('openid')) {
    throw new HttpError(403, 'insufficient_scope', 'userinfo needs an access token with the openid scope.', { 'www-authenticate': jkt === undefined ? 'Bearer realm="Mock Google", error="insufficient_scope", scope="openid"' : `DPoP error="insufficient_scope", scope="openid", algs="${DPOP_SIGNING_ALGORITHMS.join(' ')}"` });
  }
  const user = state.userBySub(String(payload.sub));
  if (!user) throw new HttpError(401, 'invalid_token', 'The user of this token no longer exists.');
  exchange.say(`userinfo for ${user.email} (scope ${scopes.join(' ')}${jkt === undefined ? '' : '; DPoP-bound token, proof by its key'})`);
  sendJson(response, 200, { sub: user.sub, ...claimsForScopes(user, scopes) });
}

/** The shared start of introspection and revocation: an authenticated client and the token it names. */
async function tokenRequest(exchange: Exchange, allowPublicClients: boolean) {
  const form = await readForm(exchange.request);
  const { client } = await authenticateClient(exchange.request, form, exchange.state, allowPublicClients);
  const token = form.get('token');
  if (!token) throw new HttpError(400, 'invalid_request', 'token is missing.');
  return { client, token };
}

export async function handleIntrospect(exchange: Exchange): Promise<void> {
  const { response, state } = exchange;
  const { client, token } = await tokenRequest(exchange, false);
  const known = state.findRefreshToken(token);
  if (known) {
    const refresh = known.record;
    // Only the client a token was issued to learns about it (RFC 7662 §4 lets us answer inactive).
    const active = known.live && refresh.clientId === client.client_id && state.isGrantActive(refresh.grantId);
    exchange.say(`introspection by ${client.client_id}: refresh token is ${active ? 'active' : refresh.clientId === client.client_id ? 'not active' : 'another client\'s: not active'}`);
    return sendJson(response, 200, active ? { active, token_type: 'refresh_token', client_id: refresh.clientId, sub: known.record.sub, scope: known.record.scopes.join(' '), iss: state.config.issuer } : { active: false });
  }
  try {
    const payload = await verifyAccessToken(state, token);
    if (payload.client_id !== client.client_id) {
      exchange.say(`introspection by ${client.client_id} of another client's access token: not active`);
      return sendJson(response, 200, { active: false });
    }
    exchange.say(`introspection by ${client.client_id}: access token is active`);
    const { iss, sub, aud, exp, iat, jti, scope, client_id, cnf } = payload;
    // A bound token says so, and which key: what a resource server needs to check the proof (RFC 9449 §6.2).
    sendJson(response, 200, { active: true, token_type: cnf === undefined ? 'Bearer' : 'DPoP', iss, sub, aud, exp, iat, jti, scope, client_id, username: state.userBySub(String(sub))?.email, ...(cnf !== undefined && { cnf }) });
  } catch {
    exchange.say(`introspection by ${client.client_id}: token is not active`);
    sendJson(response, 200, { active: false });
  }
}

export async function handleRevoke(exchange: Exchange): Promise<void> {
  const { response, state } = exchange;
  const { client, token } = await tokenRequest(exchange, true);
  const refresh = state.findRefreshToken(token)?.record;
  if (refresh) {
    if (refresh.clientId !== client.client_id) throw new HttpError(400, 'unauthorized_client', 'This token was issued to another client.');
    // RFC 7009 §2.1: revoking a refresh token also ends the access tokens of the same grant.
    const wait = state.revokeGrant(refresh.grantId);
    // Only for a grant already forgotten while revoked grants alone fill the room: refused out loud.
    if (wait > 0) throw new HttpError(503, 'temporarily_unavailable', `Mock Google holds as many revoked sign-ins as it may (${state.revokedGrants.limits.maxEntries}); this sign-in is NOT revoked. Try again in ${wait} seconds.`, { 'retry-after': String(wait) });
    exchange.say(`refresh token revoked by ${client.client_id}, with every token of its sign-in`);
    return sendJson(response, 200, {});
  }
  try {
    const payload = await verifyOwnToken(verificationKeys(state.keys, 'accessToken', state.nowSeconds()), token, { typ: 'at+jwt', issuer: state.config.issuer, nowSeconds: state.nowSeconds(), ignoreExpiry: true });
    if (payload.client_id !== client.client_id) throw new HttpError(400, 'unauthorized_client', 'This token was issued to another client.');
    const jti = String(payload.jti);
    const remaining = Number(payload.exp) - state.nowSeconds();
    // An expired token needs no entry, and a token already revoked no second one.
    if (remaining > 0 && !state.revokedAccessTokens.get(jti)) {
      const revoked = state.revokedAccessTokens;
      const wait = revoked.secondsUntilRoom(revoked.entryBytes(jti, true));
      // Full: refuse out loud rather than forget a revocation (the caller sees it did not happen).
      if (wait > 0) throw new HttpError(503, 'temporarily_unavailable', `Mock Google holds as many revoked access tokens as it may (${revoked.limits.maxEntries}); this one is NOT revoked. Try again in ${wait} seconds.`, { 'retry-after': String(wait) });
      revoked.set(jti, true, remaining);
    }
    exchange.say(`access token revoked by ${client.client_id}`);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    // RFC 7009 §2.2: an invalid or unknown token is not an error; the answer is the same.
    exchange.say(`revocation by ${client.client_id} of an unknown token: nothing to do`);
  }
  sendJson(response, 200, {});
}

export async function handleLogout(exchange: Exchange): Promise<void> {
  const { request, response, state, url } = exchange;
  const parameters = request.method === 'POST' ? await readForm(request) : uniqueParameters(url.searchParams);
  const postLogoutUri = parameters.get('post_logout_redirect_uri');
  let clientId = parameters.get('client_id');
  const hint = parameters.get('id_token_hint');
  if (hint !== undefined) {
    try {
      const payload = await verifyOwnToken(verificationKeys(state.keys, 'idToken', state.nowSeconds()), hint, { typ: 'JWT', issuer: state.config.issuer, nowSeconds: state.nowSeconds(), ignoreExpiry: true });
      const audience = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
      if (clientId !== undefined && clientId !== audience) throw new Error('client_id does not match the id_token_hint');
      clientId = audience;
    } catch (error) {
      exchange.say(`logout with a bad id_token_hint: error page`);
      return sendHtml(response, 400, errorPage('Cannot sign out', `The id_token_hint is not an ID token from this provider (${(error as Error).message}).`, 'logout'), pagePolicy());
    }
  }
  if (postLogoutUri === undefined) {
    exchange.say('signed out (no redirect asked for)');
    return sendHtml(response, 200, signedOutPage(), pagePolicy());
  }
  const client = clientId === undefined ? undefined : state.clients.get(clientId);
  if (!client || !isRegisteredRedirectUri(client.post_logout_redirect_uris ?? [], postLogoutUri)) {
    exchange.say(`post_logout_redirect_uri ${JSON.stringify(postLogoutUri)} not registered${client ? ` for ${client.client_id}` : ' (no client named)'}: error page, no redirect`);
    return sendHtml(response, 400, errorPage('Cannot send you back', `${JSON.stringify(postLogoutUri)} is not a registered post-logout address${client ? ` of ${client.client_id}` : '; name the app with client_id or id_token_hint'}.`, 'logout'), pagePolicy());
  }
  const target = new URL(postLogoutUri);
  const appState = parameters.get('state');
  if (appState !== undefined) target.searchParams.append('state', appState);
  exchange.say(`signed out; back to ${client.client_id} (tokens already issued stay valid until they expire: logout is not revocation)`);
  redirect(response, target.href);
}
