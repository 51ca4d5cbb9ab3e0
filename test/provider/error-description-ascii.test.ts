// What Mock Google's errors repeat of a request (RFC 6749 §5.2: error_description is printable
// ASCII without " and \): every echoed value quoted, cut short and, in a JSON error, written with
// U+XXXX (U+202E) and single quotes; and the redirect error page of a device client, which has no
// redirect URIs to list.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CLIENTS } from '../../src/provider/directory.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { TV_CLIENT } from '../../src/oauth/world.js';
import { authorizeAtOnce, authorizeUrl, pkcePair, postForm, startTestProvider } from '../helpers/provider.js';
import { DEMO_APP } from './device-helpers.js';
import { boundTokens, clientKey, tokenRequest } from './dpop-helpers.js';

let provider: RunningProvider;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const HOSTILE = '\u202eadmin\u009b';
const HOSTILE_QUOTED = '"\\u202eadmin\\u009b"';
/** The same value in a JSON error's error_description, where " and \ may not appear. */
const HOSTILE_IN_JSON = "'U+202EadminU+009B'";

beforeAll(async () => {
  provider = await startTestProvider({ autoApprove: true, clients: [...DEFAULT_CLIENTS, TV_CLIENT] });
});
afterAll(() => provider.close());

describe('/token', () => {
  test('an unknown grant_type: quoted escaped, cut at 40 characters', async () => {
    const answer = await tokenRequest(provider, 'demo-app', { grant_type: `${HOSTILE}${'x'.repeat(500)}` });
    expect(answer.body).toEqual({ error: 'unsupported_grant_type', error_description: `grant_type 'U+202EadminU+009B${'x'.repeat(33)}'... is not supported here.` });
  });

  test('client_credentials with unregistered scopes: the first three quoted, then how many more', async () => {
    const answer = await tokenRequest(provider, 'demo-app', { grant_type: 'client_credentials', scope: `${HOSTILE} b c d e` });
    expect(answer.body.error_description).toBe(`${HOSTILE_IN_JSON}, 'b', 'c' and 2 more are not registered for demo-app; with client_credentials it may ask for orders:read orders:write.`);
    expect(answer.body.error_description).toMatch(PRINTABLE_ASCII);
  });

  test('a refresh that widens the scope: the extra scope quoted escaped', async () => {
    const tokens = await boundTokens(provider, 'demo-app', await clientKey());
    const answer = await tokenRequest(provider, 'demo-app', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, scope: `openid ${HOSTILE}` });
    expect(answer.body).toEqual({ error: 'invalid_scope', error_description: `A refresh can narrow the scope, never widen it: ${HOSTILE_IN_JSON} was not granted.` });
  });
});

describe('/device_authorization', () => {
  test('unknown scopes: quoted escaped', async () => {
    const answer = await postForm(`${provider.issuer}/device_authorization`, { scope: `openid ${HOSTILE}` }, DEMO_APP);
    expect(answer.body).toEqual({ error: 'invalid_scope', error_description: `Unknown scope ${HOSTILE_IN_JSON}. Supported: openid profile email offline_access.` });
  });

  test('--auto-approve with an unknown login_hint: quoted escaped', async () => {
    const answer = await postForm(`${provider.issuer}/device_authorization`, { scope: 'openid', login_hint: HOSTILE }, DEMO_APP);
    expect(answer.body).toEqual({ error: 'invalid_request', error_description: `--auto-approve: no user matches login_hint ${HOSTILE_IN_JSON}.` });
  });
});

describe('/authorize, errors sent back to the app', () => {
  test.each([
    ['response_type', { response_type: HOSTILE }, `response_type ${HOSTILE_IN_JSON} is not supported: only the authorization code flow (code) is.`],
    ['response_mode', { response_mode: HOSTILE }, `response_mode ${HOSTILE_IN_JSON} is not supported; only query.`],
    ['scope', { scope: `openid ${HOSTILE}` }, `Unknown scope ${HOSTILE_IN_JSON}. Supported: openid profile email offline_access.`],
    ['code_challenge_method', { code_challenge_method: HOSTILE }, `code_challenge_method must be S256, not ${HOSTILE_IN_JSON}.`],
  ])('%s: quoted escaped in error_description', async (_name, parameters, description) => {
    const { location } = await authorizeAtOnce(provider, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ...parameters });
    const sent = location!.searchParams.get('error_description')!;
    expect(sent.startsWith(description)).toBe(true);
    // The fixed text may cite "RFC 9700 §2.1.2"; what came from the request is escaped.
    expect(sent).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
  });
});

describe('/authorize for a device client', () => {
  test('swaad-tv has no redirect URIs: the page says it is a device client, not "Registered: ."', async () => {
    const response = await fetch(authorizeUrl(provider, { client_id: 'swaad-tv', redirect_uri: 'http://127.0.0.1/callback' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('The redirect_uri &#34;http://127.0.0.1/callback&#34; is not registered for swaad-tv. swaad-tv has no redirect URIs: it is a device client, which signs its user in with the device flow (RFC 8628), not through /authorize.');
    expect(page).not.toContain('Registered: .');
  });
});
