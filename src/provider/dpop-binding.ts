// DPoP (RFC 9449) in Mock Google: proofs checked at the token endpoint (the key the tokens are
// bound to) and at /userinfo (the key a bound token must be used with). The rules themselves are
// in src/protocol/dpop.ts; here are the replay store, the errors and the challenges.

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { checkDpopProof, DPOP_ALGORITHMS, DPOP_MAX_AGE_SECONDS, DPOP_MAX_FUTURE_SECONDS, REPLAYED_JTI } from '../protocol/dpop.js';
import type { Exchange } from './exchange.js';
import { headerParameterText, HttpError } from './http.js';
import type { ProviderState } from './state.js';

/** What discovery advertises as `dpop_signing_alg_values_supported` and /userinfo as `algs`. */
export const DPOP_SIGNING_ALGORITHMS: readonly string[] = DPOP_ALGORITHMS;

/** The longest a jti is kept: a proof dated the furthest ahead, accepted until it is too old. */
const PROOF_KEPT_AT_MOST_SECONDS = DPOP_MAX_AGE_SECONDS + DPOP_MAX_FUTURE_SECONDS + 1;

/**
 * At most 1 000 accepted proofs per key (thumbprint) in a 5-minute window; the next get 429 until
 * the window ends. A real client sends one proof per request: 1 000 in 5 minutes is more than 3 a
 * second for 5 minutes, far beyond an app's token requests and API calls. The replay store holds
 * 20 000: one key takes at most 1 000 places a window (5 %), and, its proofs kept up to 361 s, at
 * most 2 000 at once (10 %). Filling it then takes at least 10 keys, each with a token bound to it.
 */
export const MAX_PROOFS_PER_KEY = 1_000;
export const PROOFS_PER_KEY_WINDOW_SECONDS = 300;

/** The key a jti is stored under: its SHA-256, so a store entry has one size whatever was sent. */
export function hashedKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url');
}

/**
 * Seconds from now until a proof with this iat is too old to be accepted: the age check compares
 * whole seconds (floor(now) - iat > 300), so it is accepted until (floor(iat) + 301) s, in ms here.
 * RFC 9449 §11.1: the jti is remembered that long, and no longer.
 */
export function proofKeptSeconds(iat: number, nowMs: number): number {
  const acceptedUntilMs = (Math.floor(iat) + DPOP_MAX_AGE_SECONDS + 1) * 1000;
  return Math.min(PROOF_KEPT_AT_MOST_SECONDS, Math.max(0, (acceptedUntilMs - nowMs) / 1000));
}

/** A checked proof: the key's thumbprint, and `record` to call once the request is sure to succeed. */
export interface AcceptedProof {
  jkt: string;
  /** Records the jti (sync, so nothing runs between this and the answer); throws on a replay (the refusal) or a full store (503). */
  record: () => void;
}

/** Whether a jti is in the replay store, without recording it: a request that fails later uses no room. */
function seenBefore(state: ProviderState): (jti: string) => boolean {
  return (jti) => state.dpopProofs.get(hashedKey(jti)) !== undefined;
}

/**
 * Records a proof's jti until the proof can no longer be accepted. A jti recorded meanwhile (two
 * requests with one proof at once) is a replay: `replayed()` is thrown. A key past its share
 * (MAX_PROOFS_PER_KEY) is refused with 429, for that key only; a full store refuses the request
 * (503) rather than forget a jti and let a replay through.
 */
function recordProof(exchange: Exchange, proof: { jkt: string; jti: string; iat: number }, replayed: () => Error): void {
  const { state } = exchange;
  const key = hashedKey(proof.jti);
  if (state.dpopProofs.get(key)) throw replayed();
  const counted = state.dpopProofsPerKey.get(proof.jkt);
  if (counted && counted.accepted >= MAX_PROOFS_PER_KEY) {
    const seconds = Math.max(1, Math.ceil((counted.untilMs - state.nowMs()) / 1000));
    exchange.say(`DPoP proof refused: ${counted.accepted} proofs by this key in the window, its limit (429, retry after ${seconds} s)`);
    throw new HttpError(429, 'temporarily_unavailable', `Too many DPoP proofs from this key: Mock Google accepted ${MAX_PROOFS_PER_KEY} proofs signed by it in the last ${PROOFS_PER_KEY_WINDOW_SECONDS / 60} minutes, the most it takes from one key. It remembers every proof's jti to refuse a replay, and one client must not fill that memory for everyone. Try again in ${seconds} seconds.`, { 'retry-after': String(seconds) });
  }
  const wait = state.dpopProofs.secondsUntilRoom(state.dpopProofs.entryBytes(key, true));
  if (wait > 0) {
    const seconds = Number.isFinite(wait) ? wait : PROOF_KEPT_AT_MOST_SECONDS;
    throw new HttpError(503, 'temporarily_unavailable', `Mock Google holds as many recent DPoP proofs as it may (${state.dpopProofs.limits.maxEntries}), to refuse a replayed one; try again in ${seconds} seconds.`, { 'retry-after': String(seconds) });
  }
  state.dpopProofs.set(key, true, proofKeptSeconds(proof.iat, state.nowMs()));
  if (counted) counted.accepted++;
  // Full, the counter store forgets the oldest key's count: that key starts again at 1, and the
  // replay store's own cap still holds. Refusing instead would let many keys lock out every key.
  else state.dpopProofsPerKey.setEvictingOldest(proof.jkt, { accepted: 1, untilMs: state.nowMs() + PROOFS_PER_KEY_WINDOW_SECONDS * 1000 }, PROOFS_PER_KEY_WINDOW_SECONDS);
}

/** The one DPoP header of a request; two are an error (RFC 9449 §4.3 point 1). Undefined when absent. */
function dpopHeader(request: IncomingMessage): string | undefined | { twice: true } {
  const values = request.headersDistinct?.dpop;
  const value = request.headers.dpop;
  if ((values && values.length > 1) || Array.isArray(value)) return { twice: true };
  return value;
}

/**
 * At the token endpoint: the thumbprint of the key in a valid DPoP proof, undefined when the
 * request has no DPoP header (a Bearer token then), or 400 invalid_dpop_proof (RFC 9449 §5).
 */
export async function proofAtTokenEndpoint(exchange: Exchange): Promise<AcceptedProof | undefined> {
  const { request, state } = exchange;
  const header = dpopHeader(request);
  if (header === undefined) return undefined;
  const refused = (reason: string) => {
    exchange.say(`DPoP proof refused at the token endpoint: ${reason}`);
    return new HttpError(400, 'invalid_dpop_proof', `The DPoP proof is not valid: ${reason}.`);
  };
  if (typeof header !== 'string') throw refused('the request has more than one DPoP header (RFC 9449 §4.3 point 1)');
  const check = await checkDpopProof(header, { htm: request.method ?? 'POST', htu: `${state.config.issuer}/token`, now: state.nowSeconds(), isReplay: seenBefore(state) });
  if (!check.ok) throw refused(check.reason);
  return { jkt: check.jkt, record: () => recordProof(exchange, check, () => refused(REPLAYED_JTI)) };
}

/** A 401 with the DPoP challenge of RFC 9449 §7.1: the error, what went wrong, and the algorithms accepted. */
export function dpopChallenge(error: 'invalid_token' | 'invalid_dpop_proof', description: string): HttpError {
  return new HttpError(401, error, description, {
    'www-authenticate': `DPoP error="${error}", error_description="${headerParameterText(description)}", algs="${DPOP_SIGNING_ALGORITHMS.join(' ')}"`,
  });
}

/** The challenge when no token was sent: either scheme works here (RFC 9449 §7.1, RFC 6750 §3). */
export const BOTH_CHALLENGES = `Bearer realm="Mock Google", DPoP algs="${DPOP_SIGNING_ALGORITHMS.join(' ')}"`;

/**
 * At /userinfo: the token came as `Authorization: DPoP`; the proof must carry its hash (`ath`)
 * and be signed with the key it is bound to (`cnf.jkt`), RFC 9449 §7.1 and §4.3 point 12.
 */
export async function checkProofWithToken(exchange: Exchange, token: string, boundTo: string | undefined): Promise<void> {
  const { request, state } = exchange;
  if (boundTo === undefined) {
    exchange.say('userinfo: a Bearer token sent with the DPoP scheme: 401');
    throw dpopChallenge('invalid_token', 'This access token is not bound to a DPoP key: send it as Authorization: Bearer.');
  }
  const header = dpopHeader(request);
  const refused = (reason: string) => {
    exchange.say(`userinfo: DPoP proof refused: ${reason}`);
    return dpopChallenge('invalid_dpop_proof', `The DPoP proof is not valid: ${reason}.`);
  };
  if (header !== undefined && typeof header !== 'string') throw refused('the request has more than one DPoP header (RFC 9449 §4.3 point 1)');
  const check = await checkDpopProof(header, { htm: request.method ?? 'GET', htu: `${state.config.issuer}/userinfo`, now: state.nowSeconds(), accessToken: token, isReplay: seenBefore(state) });
  if (!check.ok) throw refused(check.reason);
  // A good proof, by another key: the token is not this client's to use (RFC 9449 §7.1's example).
  if (check.jkt !== boundTo) {
    exchange.say('userinfo: the DPoP proof is signed with another key than the token is bound to (cnf.jkt): 401');
    throw dpopChallenge('invalid_token', 'Invalid DPoP key binding: the proof is signed with another key than the one this access token is bound to (cnf.jkt).');
  }
  // Recorded only now, the token and the key checked: a proof sent with a stolen token uses no room.
  recordProof(exchange, check, () => refused(REPLAYED_JTI));
}
