// Starts Mock Google in-process on a free loopback port, and builds what a client would send.

import { createHash, randomBytes } from 'node:crypto';
import { startProvider, type ProviderOptions, type RunningProvider } from '../../src/provider/server.js';

export async function startTestProvider(options: ProviderOptions = {}): Promise<RunningProvider> {
  return startProvider({ port: 0, ...options });
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const CALLBACK = 'http://127.0.0.1:8080/callback';

export function authorizeUrl(provider: RunningProvider, parameters: Record<string, string | undefined>): string {
  const url = new URL(`${provider.issuer}/authorize`);
  for (const [name, value] of Object.entries({ response_type: 'code', client_id: 'demo-app', redirect_uri: CALLBACK, scope: 'openid profile email', state: 'state-123', ...parameters })) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body, headers: response.headers };
}

/** Runs /authorize on an auto-approving provider and returns the redirect's parameters. */
export async function authorizeAtOnce(provider: RunningProvider, parameters: Record<string, string | undefined>): Promise<{ status: number; location?: URL; body: string }> {
  const response = await fetch(authorizeUrl(provider, parameters), { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : undefined, body: await response.text() };
}
