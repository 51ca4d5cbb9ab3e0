// Would the API take the ID token instead of the access token? Four real verifications with jose,
// against the provider's published keys: one by an API that takes any key from /jwks, then one for
// each check that stops the cross-use (typ, aud, a key pinned per kind). RFC 8725 §3.11, §3.12;
// RFC 9068 §4.

import { createLocalJWKSet } from 'jose/jwks/local';
import { jwtVerify, type JWTVerifyOptions } from 'jose/jwt/verify';
import type { JSONWebKeySet } from 'jose';
import type { CheckTable } from './steps.js';

export interface CrossUseSetting {
  /** The provider's JWK Set, as /jwks serves it. */
  jwks: JSONWebKeySet;
  issuer: string;
  /** The API's own identifier: the `aud` of the access tokens it accepts. */
  apiAudience: string;
  /** The key the provider signs access tokens with, which an API may pin. */
  accessTokenKid: string;
}

type Outcome = { accepted: true } | { accepted: false; message: string };

async function tryVerify(token: string, jwks: JSONWebKeySet, options: JWTVerifyOptions): Promise<Outcome> {
  try {
    await jwtVerify(token, createLocalJWKSet(jwks), options);
    return { accepted: true };
  } catch (error) {
    return { accepted: false, message: (error as Error).message };
  }
}

function row(outcome: Outcome, who: string, why: string): CheckTable['rows'][number] {
  return outcome.accepted
    ? { ok: false, result: 'accepted', detail: who }
    : { ok: true, result: 'rejected', detail: `${who}: ${why} (jose: ${outcome.message})` };
}

/** Verifies an ID token as four different APIs would, and says which of them would let it in. */
export async function idTokenAtTheApi(idToken: string, setting: CrossUseSetting): Promise<CheckTable> {
  const { jwks, issuer, apiAudience, accessTokenKid } = setting;
  const header = JSON.parse(Buffer.from(idToken.split('.')[0]!, 'base64url').toString()) as { typ?: string };
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as { aud?: unknown };
  const pinned = { keys: jwks.keys.filter((key) => key.kid === accessTokenKid) };
  const [anyKey, typ, aud, key] = await Promise.all([
    tryVerify(idToken, jwks, { issuer }),
    tryVerify(idToken, jwks, { issuer, typ: 'at+jwt' }),
    tryVerify(idToken, jwks, { issuer, audience: apiAudience }),
    tryVerify(idToken, pinned, { issuer }),
  ]);
  return {
    heading: 'Could the ID token be used at the API instead of the access token? Checked with jose against /jwks:',
    rows: [
      anyKey.accepted
        ? { ok: false, result: 'accepted', detail: 'by an API that takes any key from /jwks and checks only signature, iss and exp: one of the keys fits, so the separate keys did not stop it' }
        : row(anyKey, 'by an API that takes any key from /jwks', 'the token does not verify at all'),
      row(typ, 'by an API that requires typ at+jwt (RFC 9068 §4)', `typ is ${JSON.stringify(header.typ)}, not "at+jwt"`),
      row(aud, 'by an API that requires its own aud', `aud is ${JSON.stringify(payload.aud)}, not ${JSON.stringify(apiAudience)}`),
      row(key, `by an API that pins the access-token key (kid ${accessTokenKid.slice(0, 12)}…)`, 'the ID token is signed with another key'),
    ],
  };
}
