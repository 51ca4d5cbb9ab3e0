// The provider's request boundary: no request ends the process. Malformed request targets,
// header values built from hostile input, internal errors and unwritable answers each get an
// answer (or a closed connection), and the next request is served. Also the --issuer checks,
// and an issuer with a path served under that path.

import { connect, createServer } from 'node:net';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { signInAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import { HttpError, headerParameterText, headerSafe } from '../../src/provider/http.js';
import { normalizeIssuer, startProvider, type RequestEvent, type RunningProvider } from '../../src/provider/server.js';
import { authorizeAtOnce, CALLBACK, pkcePair, postForm, startTestProvider } from '../helpers/provider.js';
import { runCli, rawToken } from '../helpers/cli.js';

let provider: RunningProvider;
const events: RequestEvent[] = [];

beforeAll(async () => {
  provider = await startTestProvider({ autoApprove: true, onRequest: (event) => events.push(event) });
});
afterAll(() => provider.close());

/** Sends raw bytes and returns everything the server answered before closing the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

async function discoveryStatus(target: RunningProvider = provider): Promise<number> {
  return (await fetch(target.discoveryUrl)).status;
}

describe('a request target that is not a URL is a 400, and the provider serves on', () => {
  test.each(['http://a:b:c/', 'http://[/', 'http://x:99999/', 'http://%zz/', 'ftp://host/token', '*'])('%s', async (target) => {
    const answer = await rawExchange(provider.port, `GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('"error":"invalid_request"');
    expect(answer).toContain('The request target is neither a path such as /token nor an absolute http URL');
    expect(await discoveryStatus()).toBe(200);
  });

  test('a valid absolute-form target is served like its path', async () => {
    const answer = await rawExchange(provider.port, 'GET http://elsewhere.example/.well-known/openid-configuration HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(statusOf(answer)).toBe(200);
  });

  test('"//host/path" is a path at this provider, not another host', async () => {
    const answer = await rawExchange(provider.port, 'GET //elsewhere.example/token HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(statusOf(answer)).toBe(404);
    expect(answer).toContain('Nothing at //elsewhere.example/token.');
  });

  test.each([
    ['a request line Node cannot parse', 400, 'GARBAGE\r\n\r\n'],
    ['a header over 16 KiB', 431, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(17 * 1024)}\r\n\r\n`],
    ['a bad content-length', 400, 'POST /token HTTP/1.1\r\nhost: x\r\ncontent-length: 12abc\r\n\r\n'],
    ['chunked garbage', 400, 'POST /token HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-type: application/x-www-form-urlencoded\r\n\r\nzz\r\nnope\r\n0\r\n\r\n'],
    ['CONNECT (a proxy tunnel)', 405, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nhost: 127.0.0.1:22\r\n\r\n'],
  ])('%s: the fitting 4xx (%s), and the provider serves on', async (_name, status, bytes) => {
    expect(statusOf(await rawExchange(provider.port, bytes))).toBe(status);
    expect(await discoveryStatus()).toBe(200);
  });
});

describe('header values built from input are always writable', () => {
  test.each([
    ['a name beyond Latin-1', ['\u0100']],
    ['CR LF (a header injection)', ['a\r\nset-cookie: x=1']],
    ['an escape sequence', ['\u001b[31mred']],
    ['quotes and a backslash', ['say "hi" \\ there']],
    ['a long name', ['n'.repeat(5000)]],
  ])('a token whose crit holds %s, posted as a form to /userinfo: 401 with an RFC 6750 error_description', async (_name, crit) => {
    const token = rawToken({ alg: 'ES256', typ: 'at+jwt', crit }, { sub: 'x' });
    const answer = await postForm(`${provider.issuer}/userinfo`, { access_token: token });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_token');
    const challenge = answer.headers.get('www-authenticate')!;
    expect(answer.headers.get('set-cookie')).toBeNull();
    const description = /error_description="([^"]*)"$/.exec(challenge)![1]!;
    // RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E.
    expect(description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
    expect(description.length).toBeLessThanOrEqual(200);
    expect(description).toContain('Extension Header Parameter');
    // The JSON body has the same character set (RFC 6749 §5.2), and is not cut.
    expect(answer.body.error_description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
    expect(answer.body.error_description).toContain('Extension Header Parameter');
    expect(await discoveryStatus()).toBe(200);
  });

  test('the helpers alone', () => {
    expect(headerParameterText('crit "\u0100" and \\ \r\n')).toBe("crit 'U+0100' and / U+000DU+000A");
    expect(headerParameterText('😀')).toBe('U+1F600');
    expect(headerSafe('a\u0100b\r\nc\td')).toBe('a?b??c\td');
    expect(headerSafe('plain')).toBe('plain');
  });
});

describe('an internal error', () => {
  test('answers 500 server_error with a request id in the body and x-request-id, logged once, and the provider serves on', async () => {
    const original = provider.state.userBySub;
    const { code, verifier } = await codeFor(provider);
    const tokens = await postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CALLBACK, client_id: 'demo-spa' });
    expect(tokens.status).toBe(200);
    provider.state.userBySub = () => {
      throw new TypeError('the user directory broke');
    };
    const before = events.length;
    try {
      const response = await fetch(`${provider.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
      expect(response.status).toBe(500);
      const body = (await response.json()) as Record<string, string>;
      const requestId = response.headers.get('x-request-id')!;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body).toEqual({ error: 'server_error', error_description: `Something went wrong inside Mock Google. The provider's log names this request ${requestId}.`, request_id: requestId });
      const logged = events.slice(before).filter((event) => event.path === '/userinfo');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ status: 500, message: `internal error (request id ${requestId}): the user directory broke` });
    } finally {
      provider.state.userBySub = original;
    }
    expect(await discoveryStatus()).toBe(200);
  });

  test('an answer that cannot be written (a header Node refuses) becomes a bare 500, and the provider serves on', async () => {
    const original = provider.state.userBySub;
    const { code, verifier } = await codeFor(provider);
    const tokens = await postForm(`${provider.issuer}/token`, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CALLBACK, client_id: 'demo-spa' });
    provider.state.userBySub = () => {
      throw new HttpError(401, 'invalid_token', 'refused', { 'a bad header name': 'x' });
    };
    try {
      const response = await fetch(`${provider.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
      expect(response.status).toBe(500);
      expect(((await response.json()) as Record<string, string>).error).toBe('server_error');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      provider.state.userBySub = original;
    }
    expect(await discoveryStatus()).toBe(200);
  });

  test('a log that throws does not stop the provider', async () => {
    const throwing = await startTestProvider({ onRequest: () => {
      throw new Error('stdout is gone');
    } });
    try {
      expect(await discoveryStatus(throwing)).toBe(200);
      expect(await discoveryStatus(throwing)).toBe(200);
    } finally {
      await throwing.close();
    }
  });
});

async function codeFor(target: RunningProvider): Promise<{ code: string; verifier: string }> {
  const pkce = pkcePair();
  const { location } = await authorizeAtOnce(target, { client_id: 'demo-spa', code_challenge: pkce.challenge, code_challenge_method: 'S256' });
  return { code: location!.searchParams.get('code')!, verifier: pkce.verifier };
}

describe('--issuer', () => {
  test.each([
    ['not a url', 'is not an http:// or https:// URL.'],
    ['ftp://127.0.0.1:9400', 'is not an http:// or https:// URL.'],
    ['javascript:alert(1)', 'is not an http:// or https:// URL.'],
    ['http://127.0.0.1:9400/?tenant=1', 'has a query, a fragment or a user name'],
    ['http://127.0.0.1:9400/#x', 'has a query, a fragment or a user name'],
    ['http://127.0.0.1:9400?', 'has a query, a fragment or a user name'],
    ['http://user:pass@127.0.0.1:9400', 'has a query, a fragment or a user name'],
  ])('%s: refused with ERR_BAD_ISSUER', async (issuer, reason) => {
    expect(() => normalizeIssuer(issuer)).toThrow(InputError);
    expect(() => normalizeIssuer(issuer)).toThrow(reason);
    await expect(startProvider({ port: 0, issuer })).rejects.toMatchObject({ code: 'ERR_BAD_ISSUER' });
  });

  test('the CLI: exit 2 with a clear message, before anything listens', async () => {
    const result = await runCli(['provider', '--port', '0', '--issuer', 'not a url']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --issuer: "not a url" is not an http:// or https:// URL.\nAn issuer looks like http://127.0.0.1:9400 or https://login.example.com/tenant.\n');
  });

  test('control characters in a refused issuer are shown escaped', async () => {
    const result = await runCli(['provider', '--port', '0', '--issuer', 'x\u001b[2J']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"x\\u001b[2J"');
    expect(result.stderr).not.toContain('\u001b');
  });

  test.each([
    ['HTTP://127.0.0.1:9400/', 'http://127.0.0.1:9400'],
    ['https://login.example.com/tenant/', 'https://login.example.com/tenant'],
    ['http://[::1]:9400/base', 'http://[::1]:9400/base'],
  ])('%s is used as %s', (given, used) => {
    expect(normalizeIssuer(given)).toBe(used);
  });
});

// A path that is also an endpoint's name must not confuse the routing: under /interaction the
// sign-in page is /interaction/interaction/<id>/login, under /token the token endpoint is
// /token/token, and under /.well-known the RFC 8414 metadata is still at
// /.well-known/oauth-authorization-server/.well-known.
describe.each(['/base/', '/interaction', '/token', '/.well-known'])('an issuer with the path %s: the endpoints are served under it', (givenPath) => {
  const basePath = givenPath.replace(/\/$/, '');
  let based: RunningProvider;
  beforeAll(async () => {
    const port = await freePort();
    based = await startProvider({ port, issuer: `http://127.0.0.1:${port}${givenPath}` });
  });
  afterAll(() => based?.close());

  test('every endpoint discovery advertises answers (not 404), and the old root paths do not', async () => {
    const metadata = (await (await fetch(`${based.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(metadata.issuer).toBe(`http://127.0.0.1:${based.port}${basePath}`);
    const endpoints = ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'revocation_endpoint', 'introspection_endpoint', 'end_session_endpoint'];
    for (const name of endpoints) {
      expect(metadata[name], name).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${based.port}${basePath}/`));
      const response = await fetch(metadata[name]!, { method: name === 'jwks_uri' || name === 'authorization_endpoint' || name === 'end_session_endpoint' ? 'GET' : 'POST', redirect: 'manual' });
      expect(response.status, `${name} ${metadata[name]}`).not.toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${based.port}/.well-known/oauth-authorization-server${basePath}`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${based.port}/jwks`)).status).toBe(404);
  });

  test('openid-client v6 runs the whole flow, through the sign-in pages', async () => {
    const config = await client.discovery(new URL(based.issuer), 'demo-spa', undefined, client.None(), { execute: [client.allowInsecureRequests] });
    client.enableNonRepudiationChecks(config);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid email', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce });
    const signedIn = await signInAtProvider(new UserAgent(), url.href, { email: 'asha@example.com', password: 'mango-lassi-42', allow: true });
    expect(signedIn.callbackUrl).toBeDefined();
    const tokens = await client.authorizationCodeGrant(config, new URL(signedIn.callbackUrl!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    expect(tokens.claims()).toMatchObject({ iss: based.issuer, aud: 'demo-spa', email: 'asha@example.com' });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo).toMatchObject({ email: 'asha@example.com' });
    await client.tokenRevocation(config, tokens.access_token);
    await expect(client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).rejects.toThrow();
  });
});

// The issuer names its port, so the test needs a free one before the provider starts: the
// port a throwaway listener on port 0 was given.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
