// The messages an OAuth client writes and reads in the authorization code flow: the
// authorization request URL and the tokens in a token response. Client-side, so here in
// src/oauth; the demo app, the attacks and the exercise self-test all build them the same way.

import type { RecordedExchange } from './user-agent.js';

/** What goes into an authorization request; response_type is code and the challenge method S256, always. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  /** OpenID Connect's nonce, when an ID token is asked for and will be checked (OIDC Core §3.1.2.1). */
  nonce?: string;
  /** BASE64URL(SHA256(code_verifier)) (RFC 7636 §4.2). */
  codeChallenge: string;
}

/** The authorization request URL (RFC 6749 §4.1.1, RFC 7636 §4.3): the endpoint with its parameters, always in the same order. */
export function authorizationUrl(endpoint: string, request: AuthorizationRequest): string {
  const url = new URL(endpoint);
  const parameters: Array<[string, string | undefined]> = [
    ['response_type', 'code'],
    ['client_id', request.clientId],
    ['redirect_uri', request.redirectUri],
    ['scope', request.scope],
    ['state', request.state],
    ['nonce', request.nonce],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', 'S256'],
  ];
  for (const [name, value] of parameters) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

/** The tokens of a successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string;
  id_token: string;
}

/** The tokens in a recorded token-endpoint answer, read as JSON; it does not check them (verify does). */
export function tokensIn(exchange: RecordedExchange): TokenResponse {
  return jsonBodyOf<TokenResponse>(exchange);
}

/** A token endpoint's answer to any grant (RFC 6749 §5.1): refresh_token and id_token only when issued. */
export interface AnyTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** A recorded answer's JSON body (tokens, a device authorization, an OAuth error), as the caller says it is; throws when it is not JSON. */
export function jsonBodyOf<Body>(exchange: RecordedExchange): Body {
  return JSON.parse(exchange.response.body) as Body;
}
