// The authorization endpoint and the sign-in and consent pages behind it (RFC 6749 §4.1,
// OIDC Core §3.1.2, RFC 7636, RFC 9207, RFC 9700 §2.1). Errors that cannot be trusted to go
// back to the app (unknown client, unregistered redirect_uri) get an error page, never a redirect.
// What a request leaves in memory is bounded: every parameter read has a size limit; a full
// store of waiting sign-ins forgets the oldest, and a full store of codes answers 503 with the
// real time until it has room.

import { randomUUID } from 'node:crypto';
import type { Exchange } from './exchange.js';
import { errorDescriptionText, HttpError, readForm, redirect, secretsEqual, sendHtml, uniqueParameters } from './http.js';
import { consentPage, errorPage, loginPage, pagePolicy } from './pages.js';
import { isWellFormedPkceValue } from '../protocol/pkce.js';
import { quoteUntrusted, quoteUntrustedList } from '../protocol/untrusted-quote.js';
import { isRegisteredRedirectUri } from './redirect-uri.js';
import { SUPPORTED_SCOPES, type Client, type User } from './directory.js';
import { oversizeMessage, oversizeParameter, randomToken, type CodeRecord, type Interaction, type ProviderState } from './state.js';
import { ownCopy } from './store.js';

/** Every parameter /authorize reads; each has a size limit (state.ts), unknown ones are ignored (RFC 6749 §3.1). */
const AUTHORIZATION_PARAMETERS = ['client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'login_hint', 'prompt', 'dpop_jkt'] as const;

/** An error for the app, sent back to its redirect_uri (RFC 6749 §4.1.2.1) with iss (RFC 9207). */
class RedirectableError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

export function authorizationRedirect(state: ProviderState, redirectUri: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined) url.searchParams.append(name, value);
  }
  url.searchParams.append('iss', state.config.issuer);
  return url.href;
}

function originOf(uri: string): string {
  return new URL(uri).origin;
}

export async function handleAuthorize(exchange: Exchange): Promise<void> {
  const { request, response, state, url } = exchange;
  let parameters: Map<string, string>;
  try {
    parameters = request.method === 'POST' ? await readForm(request) : uniqueParameters(url.searchParams);
  } catch (error) {
    // Too large, or the server's body budget spent: the server's own answer (413, or 503 with
    // Retry-After), and the connection is closed. Only a malformed request is a 400 page.
    if (error instanceof HttpError && (error.status === 413 || error.status === 503)) throw error;
    exchange.say(`bad authorization request: ${(error as Error).message}`);
    return sendHtml(response, 400, errorPage('Bad request', (error as Error).message, 'not-sent-back'), pagePolicy());
  }

  // 1. Who is asking, and where would the answer go? Until both are known good, nothing redirects.
  const untrusted = oversizeParameter(parameters, ['client_id', 'redirect_uri']);
  if (untrusted) {
    exchange.say(`${untrusted.name} over ${untrusted.limit} bytes: error page, no redirect`);
    return sendHtml(response, 400, errorPage('Bad request', `invalid_request: ${oversizeMessage(untrusted)}`, 'not-sent-back'), pagePolicy());
  }
  const clientId = parameters.get('client_id');
  const client = clientId === undefined ? undefined : state.clients.get(clientId);
  if (!client) {
    exchange.say(`unknown client ${JSON.stringify(clientId ?? '')}: error page, no redirect`);
    return sendHtml(response, 400, errorPage('Unknown app', `No app is registered here with client_id ${JSON.stringify(clientId ?? '')}.`, 'not-sent-back'), pagePolicy());
  }
  const redirectUri = parameters.get('redirect_uri');
  if (redirectUri === undefined || !isRegisteredRedirectUri(client.redirect_uris, redirectUri)) {
    exchange.say(`redirect_uri ${JSON.stringify(redirectUri ?? '')} is not registered for ${client.client_id}: error page, no redirect`);
    return sendHtml(
      response,
      400,
      errorPage('Wrong redirect address', `${redirectUri === undefined ? 'The request has no redirect_uri' : `The redirect_uri ${JSON.stringify(redirectUri)} is not registered`} for ${client.client_id}. ${registeredRedirects(client)}`, 'not-sent-back'),
      pagePolicy(),
    );
  }

  // 2. Everything else is the app's problem, and goes back to it.
  const oversize = oversizeParameter(parameters, AUTHORIZATION_PARAMETERS);
  // An oversize state is the thing refused: it is not sent back.
  const appState = oversize?.name === 'state' ? undefined : parameters.get('state');
  try {
    if (oversize) throw new RedirectableError('invalid_request', oversizeMessage(oversize));
    const interaction = validateRequest(parameters, client.client_id, redirectUri);
    if (parameters.get('prompt')?.split(' ').includes('none') && !state.config.autoApprove) {
      throw new RedirectableError('login_required', 'prompt=none, but nobody is signed in at Mock Google.');
    }
    // 3. Memory has a ceiling. Codes (here when auto-approving, else at consent): a full store
    //    answers 503 with the time until its oldest code expires, at most 60 s; only a completed
    //    sign-in makes one. Waiting sign-ins: anyone can start one, so a full store forgets the
    //    oldest (its user is told to start again) rather than refuse everyone for 10 minutes.
    if (state.config.autoApprove) {
      const user = interaction.loginHint !== undefined ? state.findUser(interaction.loginHint) : state.config.users[0];
      if (!user) throw new RedirectableError('login_required', `--auto-approve: no user matches login_hint ${quoteUntrusted(interaction.loginHint)}.`);
      interaction.sub = user.sub;
      interaction.authTime = state.nowSeconds();
      const location = issueCode(state, interaction);
      if (typeof location === 'number') return codesBusyPage(exchange, location);
      exchange.say(`code issued to ${client.client_id} for ${user.email} (auto-approved)`);
      return redirect(response, location);
    }
    const forgotten = state.interactions.setEvictingOldest(interaction.id, interaction, state.config.interactionTtl);
    exchange.say(`sign-in page shown for ${client.client_id}${forgotten ? `; the oldest waiting sign-in${forgotten > 1 ? `s (${forgotten})` : ''} forgotten to make room` : ''}`);
    // The cookie binds the sign-in to this browser; it is sent only to this interaction's paths.
    return sendHtml(response, 200, loginPage({ action: interactionPath(state, interaction.id, 'login'), client, users: state.config.users, loginHint: interaction.loginHint }), pagePolicy(), {
      'set-cookie': interactionCookie(state, interaction.id, state.config.interactionTtl),
    });
  } catch (error) {
    if (!(error instanceof RedirectableError)) throw error;
    exchange.say(`${error.error} for ${client.client_id}: ${error.description}`);
    return redirect(response, authorizationRedirect(state, redirectUri, { error: error.error, error_description: errorDescriptionText(error.description), state: appState }));
  }
}

/** The redirect URIs a client has; a client without any is a device client, and says so. */
function registeredRedirects(client: Client): string {
  if (client.redirect_uris.length === 0) return `${client.client_id} has no redirect URIs: it is a device client, which signs its user in with the device flow (RFC 8628), not through /authorize.`;
  return `Registered: ${client.redirect_uris.join(', ')}.`;
}

function validateRequest(parameters: Map<string, string>, clientId: string, redirectUri: string): Interaction {
  if (parameters.has('request') || parameters.has('request_uri')) {
    throw new RedirectableError(parameters.has('request') ? 'request_not_supported' : 'request_uri_not_supported', 'Request objects are not supported here.');
  }
  const responseType = parameters.get('response_type');
  if (responseType === undefined) throw new RedirectableError('invalid_request', 'response_type is missing; use response_type=code.');
  if (responseType !== 'code') {
    throw new RedirectableError('unsupported_response_type', `response_type ${quoteUntrusted(responseType)} is not supported: only the authorization code flow (code) is. Tokens in the redirect (the implicit flow) should no longer be used (RFC 9700 §2.1.2).`);
  }
  const responseMode = parameters.get('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') throw new RedirectableError('invalid_request', `response_mode ${quoteUntrusted(responseMode)} is not supported; only query.`);

  const asked = (parameters.get('scope') ?? '').split(' ').filter(Boolean);
  const unknown = asked.filter((scope) => !SUPPORTED_SCOPES.includes(scope));
  if (unknown.length) throw new RedirectableError('invalid_scope', `Unknown scope ${quoteUntrustedList(unknown)}. Supported: ${SUPPORTED_SCOPES.join(' ')}.`);
  if (asked.length === 0) throw new RedirectableError('invalid_scope', 'No scope was asked for; ask for at least "openid".');
  // The shared strings, each once: what is kept does not grow with what was sent.
  const scopes = SUPPORTED_SCOPES.filter((scope) => asked.includes(scope));

  // PKCE with S256 for every client: RFC 9700 §2.1.1 requires it of public clients and recommends it
  // for confidential ones; Mock Google requires it of all. "plain" protects nothing if the request leaks.
  const challenge = parameters.get('code_challenge');
  const method = parameters.get('code_challenge_method');
  if (challenge === undefined) throw new RedirectableError('invalid_request', 'Mock Google requires PKCE of every client: send code_challenge and code_challenge_method=S256 (RFC 7636; RFC 9700 §2.1.1 requires it of public clients and recommends it for confidential ones).');
  if (method !== 'S256') throw new RedirectableError('invalid_request', `code_challenge_method must be S256${method === undefined ? ' (when it is missing, RFC 7636 means plain)' : `, not ${quoteUntrusted(method)}`}.`);
  if (!isWellFormedPkceValue(challenge)) throw new RedirectableError('invalid_request', 'code_challenge must be 43 base64url characters: BASE64URL(SHA256(code_verifier)).');

  // Own copies: a value parsed from the request can keep the whole request text alive (store.ts).
  const interaction: Interaction = { id: randomToken(), clientId, redirectUri: ownCopy(redirectUri), scopes, codeChallenge: ownCopy(challenge) };
  const state = parameters.get('state');
  const nonce = parameters.get('nonce');
  const loginHint = parameters.get('login_hint');
  if (state !== undefined) interaction.state = ownCopy(state);
  if (nonce !== undefined) interaction.nonce = ownCopy(nonce);
  if (loginHint !== undefined) interaction.loginHint = ownCopy(loginHint);
  // RFC 9449 §10: the code will be redeemable only with a DPoP proof by this key.
  const dpopJkt = parameters.get('dpop_jkt');
  if (dpopJkt !== undefined) {
    if (!/^[\w-]{43}$/.test(dpopJkt)) throw new RedirectableError('invalid_request', 'dpop_jkt must be a JWK SHA-256 thumbprint: 43 base64url characters (RFC 9449 §10, RFC 7638).');
    interaction.dpopJkt = ownCopy(dpopJkt);
  }
  return interaction;
}

/** Where one sign-in's pages post: under the issuer's path, like every other endpoint. */
function interactionPath(state: ProviderState, id: string, step?: 'login' | 'consent'): string {
  return `${state.basePath}/interaction/${id}${step ? `/${step}` : ''}`;
}

function interactionCookie(state: ProviderState, id: string, ttl: number): string {
  return `mg_interaction=${id}; Path=${interactionPath(state, id)}; Max-Age=${ttl}; HttpOnly; SameSite=Lax`;
}

function clearInteractionCookie(state: ProviderState, id: string): string {
  return `mg_interaction=; Path=${interactionPath(state, id)}; Max-Age=0; HttpOnly; SameSite=Lax`;
}

/**
 * Makes a single-use code bound to the client, the redirect_uri and the PKCE challenge, and
 * returns the redirect that carries it; or, when the codes are at their ceiling, the seconds
 * until the oldest one expires.
 */
function issueCode(state: ProviderState, interaction: Interaction): string | number {
  const code = randomToken();
  const record: CodeRecord = {
    clientId: interaction.clientId,
    redirectUri: interaction.redirectUri,
    scopes: interaction.scopes,
    sub: interaction.sub!,
    authTime: interaction.authTime!,
    nonce: interaction.nonce,
    codeChallenge: interaction.codeChallenge,
    ...(interaction.dpopJkt !== undefined && { dpopJkt: interaction.dpopJkt }),
    grantId: randomUUID(),
    used: false,
  };
  const wait = state.codes.secondsUntilRoom(state.codes.entryBytes(code, record));
  if (wait > 0) return wait;
  state.codes.set(code, record, state.config.codeTtl);
  return authorizationRedirect(state, interaction.redirectUri, { code, state: interaction.state });
}

/**
 * 503 for codes at their ceiling (RFC 6749 §4.1.2.1 temporarily_unavailable), as a page: the
 * browser is the one waiting, and a redirect could not carry Retry-After.
 */
function codesBusyPage(exchange: Exchange, seconds: number): void {
  // Infinite only for an entry larger than a whole (misconfigured) store: waiting will not help.
  const retryAfter = Number.isFinite(seconds) ? seconds : exchange.state.config.codeTtl;
  exchange.say(`too many codes held: 503, retry after ${retryAfter} s`);
  sendHtml(exchange.response, 503, errorPage('Mock Google is busy', `It holds as many codes as it may (temporarily_unavailable). Try again in ${retryAfter} seconds.`, 'busy'), pagePolicy(), { 'retry-after': String(retryAfter) });
}

/** The interaction named in the path, if this browser holds its cookie. */
function interactionFor(exchange: Exchange, id: string): Interaction | undefined {
  const interaction = exchange.state.interactions.get(id);
  const cookies = exchange.request.headers.cookie ?? '';
  const held = cookies.split(';').some((cookie) => cookie.trim() === `mg_interaction=${id}`);
  return interaction && held ? interaction : undefined;
}

/** The sign-in pages' forms have size limits too: an error page names the field. */
function oversizeFormPage(exchange: Exchange, form: Map<string, string>, names: readonly string[]): boolean {
  const oversize = oversizeParameter(form, names);
  if (!oversize) return false;
  exchange.say(`${oversize.name} over ${oversize.limit} bytes: error page`);
  sendHtml(exchange.response, 400, errorPage('Bad request', `invalid_request: ${oversizeMessage(oversize)}`, 'form-field'), pagePolicy());
  return true;
}

function expiredPage(exchange: Exchange): void {
  exchange.say('sign-in expired or not started in this browser: error page');
  sendHtml(exchange.response, 400, errorPage('This sign-in has expired', `Start again from the app: this sign-in is unknown, expired (a sign-in waits ${exchange.state.config.interactionTtl / 60} minutes, and the oldest are forgotten when too many wait at once), or was started in another browser.`, 'sign-in-unknown'), pagePolicy());
}

export async function handleLogin(exchange: Exchange, id: string): Promise<void> {
  const { state, response } = exchange;
  const interaction = interactionFor(exchange, id);
  if (!interaction) return expiredPage(exchange);
  const form = await readForm(exchange.request);
  if (oversizeFormPage(exchange, form, ['email', 'password'])) return;
  const client = state.clients.get(interaction.clientId)!;
  const user: User | undefined = state.findUser(form.get('email') ?? '');
  if (!user || !secretsEqual(form.get('password') ?? '', user.password)) {
    exchange.say(`wrong email or password for ${client.client_id}'s sign-in`);
    return sendHtml(response, 401, loginPage({ action: interactionPath(state, id, 'login'), client, users: state.config.users, loginHint: form.get('email'), error: 'Wrong email or password. The demo accounts are listed below.' }), pagePolicy());
  }
  interaction.sub = user.sub;
  interaction.authTime = state.nowSeconds();
  exchange.say(`${user.email} signed in; consent page shown for ${client.client_id}`);
  sendHtml(response, 200, consentPage({ action: interactionPath(state, id, 'consent'), client, user, scopes: interaction.scopes }), pagePolicy([originOf(interaction.redirectUri)]));
}

export async function handleConsent(exchange: Exchange, id: string): Promise<void> {
  const { state, response } = exchange;
  const interaction = interactionFor(exchange, id);
  if (!interaction?.sub) return expiredPage(exchange);
  const form = await readForm(exchange.request);
  if (oversizeFormPage(exchange, form, ['decision'])) return;
  const user = state.userBySub(interaction.sub)!;
  const cookie = { 'set-cookie': clearInteractionCookie(state, id) };
  if (form.get('decision') !== 'allow') {
    state.interactions.delete(id);
    exchange.say(`${user.email} denied ${interaction.clientId}: access_denied sent back`);
    return redirect(response, authorizationRedirect(state, interaction.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: interaction.state }), 303, cookie);
  }
  const location = issueCode(state, interaction);
  // The sign-in stays while the codes are full: allowing again after the wait works.
  if (typeof location === 'number') return codesBusyPage(exchange, location);
  state.interactions.delete(id);
  exchange.say(`code issued to ${interaction.clientId} for ${user.email}`);
  redirect(response, location, 303, cookie);
}
