// The device authorization grant (RFC 8628): the device asks for a device code and a user code,
// the user types the code at /device, signs in and consents, and the device polls /token.
// User codes are guessable by design (short, typed by hand), so wrong ones are rate-limited (§5.1).

import { randomInt, randomUUID } from 'node:crypto';
import type { Exchange } from './exchange.js';
import { HttpError, readClientForm, readForm, secretsEqual, sendHtml, sendJson } from './http.js';
import { consentPage, deviceCodePage, deviceDonePage, errorPage, loginPage, pagePolicy } from './pages.js';
import { SUPPORTED_SCOPES, type Client, type User } from './directory.js';
import { oversizeParameter, randomToken, type DeviceRecord, type ProviderState } from './state.js';
import { quoteUntrusted, quoteUntrustedList } from '../protocol/untrusted-quote.js';

export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** How long the device and user codes work: 10 minutes, time to find a phone and type a code. */
export const DEVICE_CODE_TTL = 10 * 60;
/** The polling interval the device starts with (RFC 8628 §3.2 default), and what slow_down adds (§3.5). */
export const DEVICE_POLL_INTERVAL = 5;
export const SLOW_DOWN_STEP = 5;
/** How long a device code is remembered after it expires or is used: to answer expired_token or "already used". */
const DEVICE_CODE_KEPT_AFTER = 10 * 60;
/** RFC 8628 §6.1: consonants only (no vowels, so no words; no 0/O or 1/I to confuse). 20^8 ≈ 2^34.6 codes. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;
/** Wrong user codes one address may type in a minute (RFC 8628 §5.1); then every code is refused until the minute ends. */
export const MAX_WRONG_USER_CODES = 5;
/**
 * Wrong user codes Mock Google takes in a minute from all addresses together; then it checks no
 * code from anyone until the minute ends. Without it, each new address starts again at 5 (IPv6
 * gives a host many /64s). RFC 8628 §5.1 weighs the code's entropy against the guessing rate over
 * its lifetime: at 1 000 a minute, a code's 10 minutes allow 10 000 guesses among 20^8 ≈ 2.6 × 10^10
 * codes, about 1 chance in 2.6 million (4 × 10^-7) for each live code. Set high so that locking
 * everyone out takes 200 addresses a minute, not a dozen. A classroom never comes near it: every
 * student on one machine shares one address, held to 5 a minute.
 */
export const MAX_WRONG_USER_CODES_EVERYWHERE = 1_000;
const GUESS_WINDOW_SECONDS = 60;
/** This machine, whichever loopback address it comes from: 127.0.0.0/8 and ::1 count as one. */
const LOOPBACK = 'loopback (127.0.0.0/8 and ::1)';

const DEVICE_AUTHORIZATION_PARAMETERS = ['client_id', 'client_secret', 'scope', 'login_hint', 'client_assertion_type', 'client_assertion'] as const;

/** A fresh user code, eight letters of the §6.1 alphabet, without the dash. */
export function newUserCode(): string {
  let code = '';
  for (let index = 0; index < USER_CODE_LENGTH; index++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** BDWPHQPK → BDWP-HQPK: how the code is shown. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What the user typed, as the code is stored: upper case, without dashes or spaces. */
export function normalizeUserCode(typed: string): string {
  return typed.replace(/[\s-]+/g, '').toUpperCase();
}

/** POST /device_authorization (RFC 8628 §3.1, §3.2). */
export async function handleDeviceAuthorization(exchange: Exchange): Promise<void> {
  const { request, response, state } = exchange;
  const { form, client, method } = await readClientForm(exchange, DEVICE_AUTHORIZATION_PARAMETERS);
  const scopes = deviceScopes(form.get('scope'));
  // --auto-approve: the user named by login_hint (else the first) approves at once, as at /authorize.
  let approvedBy: User | undefined;
  if (state.config.autoApprove) {
    const hint = form.get('login_hint');
    approvedBy = hint !== undefined ? state.findUser(hint) : state.config.users[0];
    if (!approvedBy) throw new HttpError(400, 'invalid_request', `--auto-approve: no user matches login_hint ${quoteUntrusted(hint)}.`);
  }

  const deviceCode = randomToken();
  let userCode = newUserCode();
  while (state.userCodes.get(userCode) !== undefined) userCode = newUserCode();
  const now = state.nowMs();
  const record: DeviceRecord = { clientId: client.client_id, scopes, userCode, expiresAtMs: now + DEVICE_CODE_TTL * 1000, interval: DEVICE_POLL_INTERVAL, lastPollMs: now, status: 'pending' };
  if (approvedBy) approve(record, approvedBy.sub, state.nowSeconds());
  // Anyone can start one, as anyone can open /authorize: a full store forgets the oldest.
  const forgotten = state.deviceCodes.setEvictingOldest(deviceCode, record, DEVICE_CODE_TTL + DEVICE_CODE_KEPT_AFTER, (evictedCode, evicted) => {
    if (state.userCodes.get(evicted.userCode) === evictedCode) state.userCodes.delete(evicted.userCode);
  });
  state.userCodes.setEvictingOldest(userCode, deviceCode, DEVICE_CODE_TTL);

  const shown = formatUserCode(userCode);
  const verificationUri = `${state.config.issuer}/device`;
  exchange.say(`device code issued to ${client.client_id} (scope ${scopes.join(' ')}; user code ${shown}; client auth ${method})${approvedBy ? `, auto-approved for ${approvedBy.email}` : ''}${forgotten ? `; the oldest device code${forgotten > 1 ? `s (${forgotten})` : ''} forgotten to make room` : ''}`);
  sendJson(response, 200, {
    device_code: deviceCode,
    user_code: shown,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?user_code=${shown}`,
    expires_in: DEVICE_CODE_TTL,
    interval: DEVICE_POLL_INTERVAL,
  });
}

/** The scopes of a device request: the user scopes, as at /authorize; at least one. */
function deviceScopes(value: string | undefined): string[] {
  const asked = (value ?? '').split(' ').filter(Boolean);
  const unknown = asked.filter((scope) => !SUPPORTED_SCOPES.includes(scope));
  if (unknown.length) throw new HttpError(400, 'invalid_scope', `Unknown scope ${quoteUntrustedList(unknown)}. Supported: ${SUPPORTED_SCOPES.join(' ')}.`);
  if (asked.length === 0) throw new HttpError(400, 'invalid_scope', 'No scope was asked for; ask for at least "openid".');
  // The shared strings, each once: what is kept does not grow with what was sent.
  return SUPPORTED_SCOPES.filter((scope) => asked.includes(scope));
}

/** The user's yes: the next poll on time gets the tokens. The user code stays known, to say it was used. */
function approve(record: DeviceRecord, sub: string, authTime: number): void {
  record.status = 'approved';
  record.sub = sub;
  record.authTime = authTime;
  record.grantId = randomUUID();
}

function tokenError(exchange: Pick<Exchange, 'say'>, error: string, description: string, said: string): HttpError {
  exchange.say(said);
  return new HttpError(400, error, description);
}

/**
 * One poll of the token endpoint with a device code (RFC 8628 §3.4, §3.5). Returns the record
 * when the user approved it; otherwise throws the error the device should see:
 * authorization_pending, slow_down (and the interval for this device code grows by 5 s),
 * access_denied, expired_token, or invalid_grant (unknown, another client's, already used).
 */
export function checkDevicePoll(state: ProviderState, record: DeviceRecord | undefined, clientId: string, exchange: Pick<Exchange, 'say'>): DeviceRecord {
  if (!record) throw tokenError(exchange, 'invalid_grant', 'The device_code is unknown, or so old that Mock Google forgot it.', `unknown device code polled by ${clientId}`);
  if (record.clientId !== clientId) throw tokenError(exchange, 'invalid_grant', 'The device_code was issued to another client.', `device code of ${record.clientId} polled by ${clientId}: refused`);
  if (record.status === 'used') throw tokenError(exchange, 'invalid_grant', 'The device_code was already used: its tokens were issued on an earlier poll, and a device code works once.', `device code polled again by ${clientId} after its tokens were issued: refused`);
  const now = state.nowMs();
  if (now >= record.expiresAtMs) throw tokenError(exchange, 'expired_token', `The device_code has expired (device codes live ${DEVICE_CODE_TTL / 60} minutes); start again with a new device authorization request.`, `expired device code polled by ${clientId}: expired_token`);
  if (record.status === 'denied') throw tokenError(exchange, 'access_denied', 'The user denied the request.', `device code polled by ${clientId}: the user denied it (access_denied)`);
  if (record.status === 'approved') return record;
  // The interval counts from the device authorization response too: a device waits it before its
  // first poll as before each later one (§3.5's "wait ... between requests", issue time included).
  const firstPoll = record.lastPollMs === record.expiresAtMs - DEVICE_CODE_TTL * 1000;
  const tooSoon = now - record.lastPollMs < record.interval * 1000;
  record.lastPollMs = now;
  if (tooSoon) {
    // §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests".
    record.interval += SLOW_DOWN_STEP;
    const wait = firstPoll ? `wait the interval (now ${record.interval} seconds) after the device authorization response before the first poll, and between polls` : `wait at least ${record.interval} seconds between requests for this device code`;
    throw tokenError(exchange, 'slow_down', `Polling too fast: ${wait} (RFC 8628 §3.5).`, `device code polled too fast by ${clientId}${firstPoll ? ' (its first poll)' : ''}: slow_down, interval now ${record.interval} s`);
  }
  throw tokenError(exchange, 'authorization_pending', `The user has not finished at ${state.config.issuer}/device yet; poll again in ${record.interval} seconds.`, `device code polled by ${clientId}: authorization_pending (user code ${formatUserCode(record.userCode)})`);
}

/** What a redeemed device code keeps until it is forgotten: enough to say it was used. */
export function spentDeviceCode(record: DeviceRecord): DeviceRecord {
  return { clientId: record.clientId, scopes: [], userCode: record.userCode, expiresAtMs: record.expiresAtMs, interval: record.interval, lastPollMs: record.lastPollMs, status: 'used' };
}

// ---- The pages at /device -------------------------------------------------------------------

/** The code-entry form's cookie: double-submitted with the form, so another site cannot post it. */
const FORM_COOKIE = 'mg_device_form';
/** The browser going through one code's pages; sent only to that code's paths. */
const BROWSER_COOKIE = 'mg_device';

function devicePath(state: ProviderState, userCode?: string, step?: 'login' | 'consent'): string {
  return `${state.basePath}/device${userCode ? `/${userCode}` : ''}${step ? `/${step}` : ''}`;
}

function cookieValue(exchange: Exchange, name: string): string | undefined {
  for (const cookie of (exchange.request.headers.cookie ?? '').split(';')) {
    const separator = cookie.indexOf('=');
    if (separator > 0 && cookie.slice(0, separator).trim() === name) return cookie.slice(separator + 1).trim();
  }
  return undefined;
}

function showDevicePage(exchange: Exchange, status: number, html: string, headers: Record<string, string> = {}): void {
  sendHtml(exchange.response, status, html, pagePolicy(), headers);
}

function deviceErrorPage(exchange: Exchange, status: number, title: string, message: string, headers: Record<string, string> = {}): void {
  showDevicePage(exchange, status, errorPage(title, message, 'device'), headers);
}

/** The code form, with a fresh form token in the page and in a cookie. */
function codeForm(exchange: Exchange, status: number, userCode: string | undefined, error?: string): void {
  const { state } = exchange;
  const formToken = randomToken();
  showDevicePage(exchange, status, deviceCodePage({ action: devicePath(state), formToken, userCode, error }), {
    'set-cookie': `${FORM_COOKIE}=${formToken}; Path=${devicePath(state)}; Max-Age=${state.config.interactionTtl}; HttpOnly; SameSite=Lax`,
  });
}

/** GET /device shows the code form (filled in from verification_uri_complete); POST /device checks the code. */
export async function handleDevicePage(exchange: Exchange): Promise<void> {
  const { request, state, url } = exchange;
  if (request.method === 'GET') {
    const given = url.searchParams.get('user_code') ?? undefined;
    // Only a value that could be a code is filled in; anything else is dropped, not echoed.
    const prefill = given !== undefined && /^[A-Za-z]{4}-?[A-Za-z]{4}$/.test(given) ? formatUserCode(normalizeUserCode(given)) : undefined;
    exchange.say(prefill ? `device page shown with code ${prefill} filled in, to be confirmed` : 'device page shown');
    return codeForm(exchange, 200, prefill);
  }

  const form = await readForm(request);
  if (oversizeParameter(form, ['user_code', 'form_token'])) {
    exchange.say('device code form with an oversize field: form shown again');
    return codeForm(exchange, 400, undefined, 'That is not a code: a code is eight letters, like BDWP-HQPK.');
  }
  const cookieToken = cookieValue(exchange, FORM_COOKIE);
  if (!cookieToken || !secretsEqual(form.get('form_token') ?? '', cookieToken)) {
    exchange.say('device code form without its cookie (another site, or an old page): refused');
    return codeForm(exchange, 403, undefined, 'This form is out of date or was not sent from this page. Type the code again.');
  }

  // 1. Too many wrong codes from this address, or from everyone, this minute: nothing is checked until it ends (§5.1).
  const address = guessingAddress(request.socket.remoteAddress);
  const everywhere = wrongCodesEverywhere(state);
  if (everywhere.wrong >= MAX_WRONG_USER_CODES_EVERYWHERE) {
    const seconds = Math.max(1, Math.ceil((everywhere.untilMs - state.nowMs()) / 1000));
    exchange.say(`user code refused unchecked: ${everywhere.wrong} wrong codes from all addresses this minute, the provider-wide limit (429, retry after ${seconds} s)`);
    return deviceErrorPage(exchange, 429, 'Too many wrong codes', `${MAX_WRONG_USER_CODES_EVERYWHERE} codes typed at Mock Google in the last minute, from every computer together, were not right: that is its provider-wide limit. So that nobody can find a code by guessing, Mock Google checks no more codes from anyone for ${seconds} seconds. Then type the code your device shows.`, { 'retry-after': String(seconds) });
  }
  const guesses = state.userCodeGuesses.get(address);
  if (guesses && guesses.wrong >= MAX_WRONG_USER_CODES) {
    const seconds = Math.max(1, Math.ceil((guesses.untilMs - state.nowMs()) / 1000));
    exchange.say(`user code refused unchecked: ${guesses.wrong} wrong codes from ${address} this minute (429, retry after ${seconds} s)`);
    return deviceErrorPage(exchange, 429, 'Too many wrong codes', `${MAX_WRONG_USER_CODES} codes typed here in the last minute were not right. So that nobody can find a code by guessing, Mock Google checks no more codes from this computer for ${seconds} seconds. Then type the code your device shows.`, { 'retry-after': String(seconds) });
  }

  // 2. A live, pending code, whatever the case, dashes or spaces.
  const typed = normalizeUserCode(form.get('user_code') ?? '');
  const deviceCode = /^[A-Z]{8}$/.test(typed) ? state.userCodes.get(typed) : undefined;
  const record = deviceCode === undefined ? undefined : state.deviceCodes.get(deviceCode);
  if (!record || record.expiresAtMs <= state.nowMs()) {
    const wrong = countWrongUserCode(state, address);
    exchange.say(`wrong or expired user code typed (${wrong} of ${MAX_WRONG_USER_CODES} this minute from ${address})`);
    const left = MAX_WRONG_USER_CODES - wrong;
    return codeForm(exchange, 400, undefined, `That code is not right, or it has expired. Check the code on your device and type it again${left > 0 ? ` (${left} more ${left === 1 ? 'try' : 'tries'} this minute)` : ''}.`);
  }
  if (record.status !== 'pending') return alreadyDecidedPage(exchange, record);

  // 3. The first browser to enter the code takes it through sign-in and consent, and keeps it until
  // it decides or the code expires: a second one cannot take over a sign-in in progress (§5.4).
  const seconds = Math.ceil((record.expiresAtMs - state.nowMs()) / 1000);
  if (record.browser) {
    exchange.say(`user code ${formatUserCode(record.userCode)} entered again while a sign-in with it is in progress: refused (409)`);
    return deviceErrorPage(exchange, 409, 'This code is being used', `The code ${formatUserCode(record.userCode)} is already being used to sign in, in another browser or on an earlier page. Finish there; or, in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}, when the code expires, ask the device for a new one.`);
  }
  const client = state.clients.get(record.clientId)!;
  record.browser = { id: randomToken() };
  exchange.say(`user code ${formatUserCode(record.userCode)} entered; sign-in page shown for ${client.client_id}'s device`);
  return showDevicePage(exchange, 200, deviceLoginPage(state, record, client), {
    'set-cookie': `${BROWSER_COOKIE}=${record.browser.id}; Path=${devicePath(state, record.userCode)}; Max-Age=${seconds}; HttpOnly; SameSite=Lax`,
  });
}

/**
 * Whom wrong codes are counted against (§5.1): an IPv4 address, also when it comes IPv4-mapped
 * (::ffff:10.0.0.7 is 10.0.0.7), and an IPv6 address by its /64, the block one host usually holds.
 * Loopback counts as one: all 16 million of 127.0.0.0/8 and ::1 are this one machine, and its real
 * users all come from 127.0.0.1 or ::1, so none is held back by it.
 */
export function guessingAddress(remote: string | undefined): string {
  if (remote === undefined) return 'unknown';
  const ipv4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(remote)?.[1];
  if (ipv4 !== undefined) return ipv4.startsWith('127.') ? LOOPBACK : ipv4;
  if (!remote.includes(':')) return remote;
  const [head = '', tail = ''] = remote.split('%')[0]!.toLowerCase().split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  // An IPv4 tail (::1.2.3.4 forms) lies beyond the /64: drop it before filling the zeros.
  const groups = (remote.includes('::') ? [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back] : front).map((group) => group.replace(/^0+(?=.)/, ''));
  if (groups.join(':') === '0:0:0:0:0:0:0:1') return LOOPBACK;
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The wrong codes of this minute from all addresses, per provider; a new minute starts at the first wrong code after one ends. */
const wrongEverywhere = new WeakMap<ProviderState, { wrong: number; untilMs: number }>();

function wrongCodesEverywhere(state: ProviderState): { wrong: number; untilMs: number } {
  const current = wrongEverywhere.get(state);
  if (current && current.untilMs > state.nowMs()) return current;
  // No wrong code yet: the minute starts at the first one (countWrongUserCode).
  const fresh = { wrong: 0, untilMs: 0 };
  wrongEverywhere.set(state, fresh);
  return fresh;
}

/** Counts one wrong code for this address and for all addresses together; each minute starts at its first one. Returns this address's count. */
export function countWrongUserCode(state: ProviderState, address: string): number {
  const everywhere = wrongCodesEverywhere(state);
  if (everywhere.wrong++ === 0) everywhere.untilMs = state.nowMs() + GUESS_WINDOW_SECONDS * 1000;
  const guesses = state.userCodeGuesses.get(address);
  if (guesses) {
    guesses.wrong++;
    return guesses.wrong;
  }
  state.userCodeGuesses.setEvictingOldest(address, { wrong: 1, untilMs: state.nowMs() + GUESS_WINDOW_SECONDS * 1000 }, GUESS_WINDOW_SECONDS);
  return 1;
}

function deviceLoginPage(state: ProviderState, record: DeviceRecord, client: Client, error?: string, email?: string): string {
  return loginPage({ action: devicePath(state, record.userCode, 'login'), client, users: state.config.users, loginHint: email, error, note: `You type your password here, at the provider, not on the device. ${client.client_name ?? client.client_id} never sees it: once you allow it, the device collects its tokens from Mock Google.` });
}

function alreadyDecidedPage(exchange: Exchange, record: DeviceRecord): void {
  const decided = record.status === 'denied' ? 'denied' : 'approved';
  exchange.say(`user code ${formatUserCode(record.userCode)} entered again, already ${decided}: error page`);
  deviceErrorPage(exchange, 400, 'This code was already used', `The code ${formatUserCode(record.userCode)} was already ${decided}. A code works once; if the device is still waiting, ask it for a new code.`);
}

/** The device record of the code in the path, if this browser is the one taking it through the pages. */
function recordForBrowser(exchange: Exchange, userCode: string): DeviceRecord | undefined {
  const { state } = exchange;
  const deviceCode = state.userCodes.get(userCode);
  const record = deviceCode === undefined ? undefined : state.deviceCodes.get(deviceCode);
  const held = cookieValue(exchange, BROWSER_COOKIE);
  if (!record?.browser || held === undefined || !secretsEqual(held, record.browser.id)) return undefined;
  return record.expiresAtMs > state.nowMs() && record.status === 'pending' ? record : undefined;
}

function deviceExpiredPage(exchange: Exchange): void {
  exchange.say('device sign-in unknown, expired, decided or not this browser\'s: error page');
  deviceErrorPage(exchange, 400, 'This code has expired', 'This code is unknown, expired or already used, or this browser is not the one that entered it. Type the code your device shows now.');
}

/** POST /device/<code>/login: the user signs in, then sees the consent page for the device. */
export async function handleDeviceLogin(exchange: Exchange, userCode: string): Promise<void> {
  const { state } = exchange;
  const record = recordForBrowser(exchange, userCode);
  if (!record) return deviceExpiredPage(exchange);
  const form = await readForm(exchange.request);
  const client = state.clients.get(record.clientId)!;
  const oversize = oversizeParameter(form, ['email', 'password']);
  const user = oversize ? undefined : state.findUser(form.get('email') ?? '');
  if (!user || !secretsEqual(form.get('password') ?? '', user.password)) {
    exchange.say(`wrong email or password at the device sign-in for ${client.client_id}`);
    return showDevicePage(exchange, 401, deviceLoginPage(state, record, client, 'Wrong email or password. The demo accounts are listed below.', oversize ? undefined : form.get('email')));
  }
  record.browser = { id: record.browser!.id, sub: user.sub, authTime: state.nowSeconds() };
  exchange.say(`${user.email} signed in at /device; consent page shown for ${client.client_id}'s device (user code ${formatUserCode(userCode)})`);
  showDevicePage(exchange, 200, consentPage({ action: devicePath(state, userCode, 'consent'), client, user, scopes: record.scopes, deviceUserCode: formatUserCode(userCode) }));
}

/** POST /device/<code>/consent: allow or deny; the device learns it at its next poll. */
export async function handleDeviceConsent(exchange: Exchange, userCode: string): Promise<void> {
  const { state } = exchange;
  const record = recordForBrowser(exchange, userCode);
  const signedIn = record?.browser;
  if (!record || signedIn?.sub === undefined) return deviceExpiredPage(exchange);
  const form = await readForm(exchange.request);
  const client = state.clients.get(record.clientId)!;
  const user = state.userBySub(signedIn.sub)!;
  const clearCookie = { 'set-cookie': `${BROWSER_COOKIE}=; Path=${devicePath(state, userCode)}; Max-Age=0; HttpOnly; SameSite=Lax` };
  if (form.get('decision') !== 'allow') {
    record.status = 'denied';
    exchange.say(`${user.email} denied ${client.client_id}'s device: its next poll gets access_denied`);
    return showDevicePage(exchange, 200, deviceDonePage(client, false), clearCookie);
  }
  approve(record, signedIn.sub, signedIn.authTime!);
  exchange.say(`${user.email} allowed ${client.client_id}'s device: its next poll gets the tokens`);
  showDevicePage(exchange, 200, deviceDonePage(client, true), clearCookie);
}
