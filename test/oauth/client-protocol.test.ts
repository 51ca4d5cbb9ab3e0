// The client's messages, built in one place: the authorization request URL (the demo app, the
// attacks and the exercise self-test) and the tokens read from a token response (the flow, the
// attacks, the tutorial's hands-on steps).

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authorizationUrl, tokensIn } from '../../src/oauth/client-protocol.js';
import { issuedTokens, startDemoWorld, type DemoWorld } from '../../src/oauth/world.js';
import type { RecordedExchange } from '../../src/oauth/user-agent.js';
import { s256Challenge } from '../../src/protocol/pkce.js';

const REQUEST = { clientId: 'demo-app', redirectUri: 'http://127.0.0.1:8080/callback', scope: 'openid profile email', state: 's t&=', codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };

function tokenExchange(body: string): RecordedExchange {
  return { request: { method: 'POST', url: 'http://127.0.0.1:9400/token', headers: {}, body: '' }, response: { status: 200, headers: {}, body } };
}

describe('authorizationUrl', () => {
  test('the parameters of RFC 6749 §4.1.1 and RFC 7636 §4.3, in this order, encoded', () => {
    const url = authorizationUrl('http://127.0.0.1:9400/authorize', REQUEST);
    expect(url).toBe('http://127.0.0.1:9400/authorize?response_type=code&client_id=demo-app&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&scope=openid+profile+email&state=s+t%26%3D&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256');
  });

  test('a nonce goes between state and code_challenge', () => {
    const names = [...new URL(authorizationUrl('http://127.0.0.1:9400/authorize', { ...REQUEST, nonce: 'n-1' })).searchParams.keys()];
    expect(names).toEqual(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method']);
  });

  test('an endpoint\'s own query is kept (RFC 6749 §3.1)', () => {
    const url = new URL(authorizationUrl('https://login.example/tenant/authorize?tenant=a', REQUEST));
    expect([...url.searchParams.keys()].slice(0, 2)).toEqual(['tenant', 'response_type']);
  });
});

describe('tokens from a token exchange', () => {
  test('tokensIn reads the response body', () => {
    expect(tokensIn(tokenExchange('{"access_token":"at","id_token":"it","token_type":"Bearer"}'))).toMatchObject({ access_token: 'at', id_token: 'it' });
  });

  test('issuedTokens takes the last token exchange, and says so when there was none', () => {
    const events = [
      { kind: 'token-exchange', exchange: tokenExchange('{"access_token":"first","id_token":"one"}') },
      { kind: 'token-exchange', exchange: tokenExchange('{"access_token":"second","id_token":"two"}') },
    ];
    expect(issuedTokens({ appEvents: events } as unknown as DemoWorld)).toMatchObject({ access_token: 'second', id_token: 'two' });
    expect(() => issuedTokens({ appEvents: [] } as unknown as DemoWorld)).toThrow('The demo sign-in ended without a token exchange.');
  });
});

describe('the demo app\'s sign-in link', () => {
  let world: DemoWorld;
  beforeAll(async () => {
    world = await startDemoWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  test('/login redirects to Mock Google with every parameter in order, the challenge S256 of the verifier it keeps', async () => {
    const response = await fetch(`${world.app.url}/login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    const started = world.appEvents.find((event) => event.kind === 'login-started');
    if (started?.kind !== 'login-started') throw new Error('no login-started event');
    const { login } = started;
    expect(`${location.origin}${location.pathname}`).toBe(`${world.provider.issuer}/authorize`);
    expect([...location.searchParams]).toEqual([
      ['response_type', 'code'],
      ['client_id', 'demo-app'],
      ['redirect_uri', world.app.redirectUri],
      ['scope', 'openid profile email'],
      ['state', login.state],
      ['nonce', login.nonce],
      ['code_challenge', s256Challenge(login.codeVerifier)],
      ['code_challenge_method', 'S256'],
    ]);
    expect(login.authorizationUrl).toBe(location.href);
    expect(login.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
