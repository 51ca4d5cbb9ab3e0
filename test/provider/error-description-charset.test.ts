// Every error_description Mock Google sends, in a JSON error (RFC 6749 §5.2) or a WWW-Authenticate
// challenge (RFC 6750 §3), holds only %x20-21 / %x23-5B / %x5D-7E: no "§", no '"', no "\", nothing
// beyond ASCII. The texts stay readable: "§4.3" is "section 4.3", a quoted value is in single quotes.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CLIENTS } from '../../src/provider/directory.js';
import { errorDescriptionText, headerParameterText } from '../../src/provider/http.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { TV_CLIENT } from '../../src/oauth/world.js';
import { rawToken } from '../helpers/cli.js';
import { postForm, startTestProvider } from '../helpers/provider.js';
import { DEMO_APP } from './device-helpers.js';
import { boundTokens, clientKey, freshCode, proofFor, proofWithHeader, redeemWith, tokenRequest, userinfoWith, type ClientKey } from './dpop-helpers.js';

const RFC_6749_ERROR_DESCRIPTION = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
let provider: RunningProvider;
let key: ClientKey;

beforeAll(async () => {
  provider = await startTestProvider({ autoApprove: true, clients: [...DEFAULT_CLIENTS, TV_CLIENT] });
  key = await clientKey();
});
afterAll(() => provider.close());

/** The challenge's error_description, read up to its closing quote. */
const challengeDescription = (challenge: string) => /error_description="([^"]*)"/.exec(challenge)?.[1];

describe('JSON errors from several endpoints: the RFC 6749 §5.2 character set, readable', () => {
  test.each([
    ['a DPoP proof with typ JWT (its typ quoted)', async () => tokenRequest(provider, 'demo-spa', { grant_type: 'client_credentials' }, await proofWithHeader(provider, key, { typ: 'JWT' })), 'invalid_dpop_proof',
      "The DPoP proof is not valid: the proof's typ is 'JWT', not 'dpop+jwt' (section 4.3 point 4)."],
    ['an unsupported grant_type with a quote and a backslash in it', async () => tokenRequest(provider, 'demo-app', { grant_type: 'say"hi\\there' }), 'unsupported_grant_type',
      "grant_type 'say'hi/there' is not supported here."],
    ['an unknown scope at /device_authorization', async () => postForm(`${provider.issuer}/device_authorization`, { scope: 'openid orders:"all"' }, DEMO_APP), 'invalid_scope',
      "Unknown scope 'orders:'all''. Supported: openid profile email offline_access."],
    ['client_credentials with a user\'s scope', async () => tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials', scope: 'openid' }), 'invalid_scope',
      'client_credentials acts for the app itself, with no user: openid cannot be granted.'],
    ['a code redeemed with the wrong verifier (a § in the text)', async () => {
      const code = await freshCode(provider, 'demo-app');
      return redeemWith(provider, 'demo-app', { code: code.code, verifier: 'x'.repeat(43) });
    }, 'invalid_grant', 'code_verifier does not match the code_challenge: this code belongs to another authorization request (RFC 7636 section 4.6).'],
  ])('%s', async (_name, send, error, description) => {
    const answer = await send();
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body).toEqual({ error, error_description: description });
    expect(answer.body.error_description).toMatch(RFC_6749_ERROR_DESCRIPTION);
  });

  test('a replayed DPoP proof: "this server takes each proof once (section 11.1)"', async () => {
    const proof = await proofFor(provider, key, '/token');
    expect((await tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials' }, proof)).status).toBe(200);
    const replay = await tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials' }, proof);
    expect(replay.body).toEqual({ error: 'invalid_dpop_proof', error_description: "The DPoP proof is not valid: the proof's jti was used before: this server takes each proof once (section 11.1)." });
    expect(replay.body.error_description).toMatch(RFC_6749_ERROR_DESCRIPTION);
  });
});

describe('WWW-Authenticate at /userinfo: the RFC 6750 §3 character set, in the challenge and the JSON body', () => {
  test('a DPoP-bound token with a proof for another method: both say the same, quotes made single', async () => {
    const tokens = await boundTokens(provider, 'demo-app', key);
    const answer = await userinfoWith(provider, `DPoP ${tokens.access_token}`, await proofFor(provider, key, '/userinfo', { htm: 'POST', accessToken: tokens.access_token }));
    expect(answer.status).toBe(401);
    const description = "The DPoP proof is not valid: the proof's htm is 'POST', but the request is GET (section 4.3 point 8).";
    expect(challengeDescription(answer.challenge)).toBe(description);
    expect(answer.body).toEqual({ error: 'invalid_dpop_proof', error_description: description });
  });

  test('a Bearer token whose crit names a parameter with quotes and a backslash', async () => {
    const answer = await userinfoWith(provider, `Bearer ${rawToken({ alg: 'ES256', typ: 'at+jwt', crit: ['say "hi" \\ there'] }, { sub: 'x' })}`);
    expect(answer.status).toBe(401);
    expect(challengeDescription(answer.challenge)).toBe("Extension Header Parameter 'say 'hi' / there' is not recognized");
    expect(answer.body).toEqual({ error: 'invalid_token', error_description: "The access token is not valid: Extension Header Parameter 'say 'hi' / there' is not recognized." });
  });
});

describe('errorDescriptionText and headerParameterText', () => {
  test('§, quotes, backslashes, arrows and escapes become readable ASCII', () => {
    expect(errorDescriptionText('RFC 9449 §4.3 point 9; § 11.1')).toBe('RFC 9449 section 4.3 point 9; section 11.1');
    expect(errorDescriptionText('typ "JWT" \\ path → next… — ×2')).toBe("typ 'JWT' / path -> next... - x2");
    // What quoteUntrusted writes: \u202e and \" escapes, the character each stands for.
    expect(errorDescriptionText('"\\u202eadmin\\"x\\\\y"')).toBe("'U+202Eadmin'x/y'");
    expect(errorDescriptionText('raw \u202e\u0000 and 😀')).toBe('raw U+202EU+0000 and U+1F600');
  });

  test('a header parameter is the same text, cut at 200 characters', () => {
    expect(headerParameterText('§5.2 "x"')).toBe("section 5.2 'x'");
    expect(headerParameterText('y'.repeat(300))).toBe(`${'y'.repeat(197)}...`);
  });
});
