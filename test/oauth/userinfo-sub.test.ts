// The demo app takes a userinfo answer only when its sub is the ID token's (OIDC Core §5.3.2).
// Mock Google never answers about another user, so a proxy in front of it plays a provider (or a
// man in the middle) that does: every request passes through unchanged, except userinfo's sub.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDemoApp, type AppEvent, type DemoApp } from '../../src/oauth/demo-app.js';
import { signInAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import { DEFAULT_USERS } from '../../src/provider/directory.js';
import { startProvider, type RunningProvider } from '../../src/provider/server.js';

const ASHA = { email: DEFAULT_USERS[0]!.email, password: DEFAULT_USERS[0]!.password, allow: true };
const RAVIS_SUB = DEFAULT_USERS[1]!.sub;

let proxy: Server;
let provider: RunningProvider;
let app: DemoApp;
let answerForRavi = false;
const events: AppEvent[] = [];

beforeAll(async () => {
  proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
      const upstream = await fetch(`http://127.0.0.1:${provider.port}${request.url}`, { method: request.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, redirect: 'manual' });
      let body = Buffer.from(await upstream.arrayBuffer());
      if (answerForRavi && request.url === '/userinfo' && upstream.status === 200) {
        body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString()), sub: RAVIS_SUB }));
      }
      const copied: Record<string, string | string[]> = {};
      upstream.headers.forEach((value, name) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'set-cookie', 'connection', 'keep-alive'].includes(name)) copied[name] = value;
      });
      if (upstream.headers.getSetCookie().length) copied['set-cookie'] = upstream.headers.getSetCookie();
      response.writeHead(upstream.status, copied);
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  provider = await startProvider({ port: 0, issuer });
  app = await startDemoApp({ issuer, clientId: 'demo-app', clientSecret: 'demo-secret', onEvent: (event) => events.push(event) });
});

afterAll(async () => {
  await app?.close();
  await provider?.close();
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

async function signIn(): Promise<{ status: number; body: string }> {
  events.length = 0;
  const agent = new UserAgent();
  const toApp = await agent.request('GET', `${app.url}/login`);
  const { callbackUrl } = await signInAtProvider(agent, toApp.response.headers.location!, ASHA);
  const { response } = await agent.request('GET', callbackUrl!);
  return { status: response.status, body: response.body };
}

describe('the demo app checks that userinfo is about the user the ID token names', () => {
  test('the same sub: signed in', async () => {
    answerForRavi = false;
    const { status, body } = await signIn();
    expect(status).toBe(200);
    expect(body).toContain('Welcome, Asha Rao!');
    expect(events.find((event) => event.kind === 'userinfo')).toMatchObject({ idTokenSub: DEFAULT_USERS[0]!.sub, userinfoSub: DEFAULT_USERS[0]!.sub });
  });

  test('another sub: the sign-in is refused, and says why', async () => {
    answerForRavi = true;
    const { status, body } = await signIn();
    expect(status).toBe(400);
    expect(body).toContain(`The userinfo answer is about sub &#34;${RAVIS_SUB}&#34;, but the ID token&#39;s sub is &#34;${DEFAULT_USERS[0]!.sub}&#34;.`);
    expect(events.some((event) => event.kind === 'signed-in')).toBe(false);
    expect(events.find((event) => event.kind === 'callback-rejected')).toEqual({
      kind: 'callback-rejected',
      reason: `The userinfo answer is about sub "${RAVIS_SUB}", but the ID token's sub is "${DEFAULT_USERS[0]!.sub}".`,
      defence: 'userinfo sub check: the answer must be about the user the ID token names',
      reference: 'OIDC Core §5.3.2',
    });
  });
});
