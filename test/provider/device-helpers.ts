// Drives the device flow (RFC 8628) against Mock Google for the device-*.test.ts files: the
// device's requests, and a simulated user at /device over HTTP with cookies.

import { once } from 'node:events';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeEntities, formOf, UserAgent, type RecordedExchange } from '../../src/oauth/user-agent.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { basic, postForm } from '../helpers/provider.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const DEMO_APP = { authorization: basic('demo-app', 'demo-secret') };

export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** POST /device_authorization as demo-app (confidential) unless told otherwise. */
export async function startDevice(provider: RunningProvider, form: Record<string, string> = { scope: 'openid profile email' }, headers: Record<string, string> = DEMO_APP) {
  return postForm(`${provider.issuer}/device_authorization`, form, headers);
}

/** A device authorization that must succeed. */
export async function deviceAuthorization(provider: RunningProvider, form?: Record<string, string>, headers?: Record<string, string>): Promise<DeviceAuthorization> {
  const { status, body } = await startDevice(provider, form, headers);
  if (status !== 200) throw new Error(`device authorization failed: ${status} ${JSON.stringify(body)}`);
  return body as DeviceAuthorization;
}

/** One poll of /token with the device code. */
export async function poll(provider: RunningProvider, deviceCode: string, headers: Record<string, string> = DEMO_APP, extra: Record<string, string> = {}) {
  return postForm(`${provider.issuer}/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode, ...extra }, headers);
}

/** The hidden form token of a code page. */
export function formTokenOf(html: string): string | undefined {
  const found = /name="form_token" value="([^"]*)"/.exec(html)?.[1];
  return found === undefined ? undefined : decodeEntities(found);
}

/** Opens /device (or verification_uri_complete) and submits `typed` as the code, as a user would. */
export async function enterCode(agent: UserAgent, pageUrl: string, typed: string): Promise<RecordedExchange> {
  const page = await agent.request('GET', pageUrl);
  const form = formOf(page.response.body, pageUrl)!;
  return agent.request('POST', form.action, { form: { form_token: formTokenOf(page.response.body)!, user_code: typed } });
}

/** Posts the page's first form with these fields (sign-in or consent); returns the next page. */
export async function submit(agent: UserAgent, page: RecordedExchange, fields: Record<string, string>): Promise<RecordedExchange> {
  const form = formOf(page.response.body, page.request.url);
  if (!form) throw new Error(`no form on the page (${page.response.status}): ${page.response.body.slice(0, 300)}`);
  return agent.request('POST', form.action, { form: fields });
}

/** The whole user side: code, sign-in, consent. Returns every page seen. */
export async function approveAtDevicePage(provider: RunningProvider, userCode: string, options: { allow?: boolean; email?: string; password?: string; agent?: UserAgent } = {}) {
  const agent = options.agent ?? new UserAgent();
  const codePage = await enterCode(agent, `${provider.issuer}/device`, userCode);
  const consent = await submit(agent, codePage, { email: options.email ?? 'asha@example.com', password: options.password ?? 'mango-lassi-42' });
  const done = await submit(agent, consent, { decision: options.allow === false ? 'deny' : 'allow' });
  return { codePage, consent, done, agent };
}

/** The claims of a JWT, unverified (the tests check what was issued, not the signature). */
export function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
}

/** A loopback port nobody listens on now: for a provider whose issuer must name its port up front. */
export async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

/** One HTTP exchange sent from `localAddress` (any of 127.0.0.0/8 reaches a server on 127.0.0.1). */
export function sendFrom(localAddress: string, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, localAddress, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode!, headers: incoming.headers, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Opens /device from `localAddress` and types `userCode`, as a browser there would. */
export async function typeCodeFrom(provider: RunningProvider, localAddress: string, userCode: string) {
  const page = await sendFrom(localAddress, 'GET', `${provider.issuer}/device`);
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  const form = new URLSearchParams({ form_token: formTokenOf(page.body)!, user_code: userCode }).toString();
  return sendFrom(localAddress, 'POST', `${provider.issuer}/device`, { cookie, 'content-type': 'application/x-www-form-urlencoded' }, form);
}
