// A tiny API with its own JWT login, for the lessons and exercises: the article's five-step JWT
// flow done for real. POST /login checks a password against a stored scrypt hash and mints an
// HS256 JWT; GET /profile needs it; GET /admin needs the admin role; POST /logout puts the
// token's jti on a deny list.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { mintToken } from '../jwt/mint.js';
import { secretKey } from '../jwt/keys.js';
import { verifyToken } from '../jwt/verify.js';

export const PRACTICE_API = {
  issuer: 'https://practice-api.jwt-vs-oauth.local',
  audience: 'practice-api',
  /**
   * A demo secret only: made with `openssl rand -base64 32` (32 random bytes, RFC 7518 §3.2 and
   * RFC 8725 §3.5: entropy, not length), and published in lesson 2, so anyone can mint tokens
   * this API accepts. A real server's secret is made the same way and never shown.
   */
  secret: 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=',
  /** The demo accounts with the passwords a learner types; the server itself keeps only their hashes. */
  users: [
    { email: 'asha@example.com', password: 'mango-lassi-42', sub: 'asha', role: 'customer' },
    { email: 'admin@example.com', password: 'idli-vada-3', sub: 'admin', role: 'admin' },
  ],
  tokenLifetime: 900,
};

export interface PracticeApi {
  url: string;
  close(): Promise<void>;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 16 * 1024) throw new Error('body too large');
  }
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

/** What a server stores instead of a password: a random salt and a slow hash (scrypt). */
async function hashPassword(password: string): Promise<{ salt: Buffer; hash: Buffer }> {
  const salt = randomBytes(16);
  return { salt, hash: await scryptAsync(password, salt, 32) };
}

async function passwordMatches(password: string, stored: { salt: Buffer; hash: Buffer }): Promise<boolean> {
  return timingSafeEqual(await scryptAsync(password, stored.salt, 32), stored.hash);
}

export async function startPracticeApi(now: () => number = () => Math.floor(Date.now() / 1000)): Promise<PracticeApi> {
  const denied = new Set<string>();
  const key = secretKey(PRACTICE_API.secret, 'the practice API secret');
  const accounts = await Promise.all(PRACTICE_API.users.map(async ({ password, ...user }) => ({ ...user, password: await hashPassword(password) })));

  async function authenticate(request: IncomingMessage, response: ServerResponse): Promise<Record<string, unknown> | undefined> {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) {
      json(response, 401, { error: 'no token: who are you? Send Authorization: Bearer <token>' }, { 'www-authenticate': 'Bearer realm="practice-api"' });
      return undefined;
    }
    try {
      const result = await verifyToken(token, { keys: [key], algorithms: ['HS256'], issuer: PRACTICE_API.issuer, audience: [PRACTICE_API.audience], requiredClaims: ['exp'], clockTolerance: 0, now: now() });
      if (!result.valid) {
        json(response, 401, { error: `invalid token: ${result.verdict.replace(/^invalid: /, '')}` }, { 'www-authenticate': 'Bearer realm="practice-api", error="invalid_token"' });
        return undefined;
      }
      const claims = result.payload as Record<string, unknown>;
      if (typeof claims.jti === 'string' && denied.has(claims.jti)) {
        json(response, 401, { error: 'invalid token: it was revoked (its jti is on the deny list)' }, { 'www-authenticate': 'Bearer realm="practice-api", error="invalid_token"' });
        return undefined;
      }
      return claims;
    } catch (error) {
      json(response, 401, { error: `invalid token: ${(error as Error).message}` });
      return undefined;
    }
  }

  const server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (request.method === 'POST' && path === '/login') {
        const body = await readJson(request);
        const account = accounts.find((candidate) => candidate.email === body.email);
        // An unknown email costs the same hash, so the answer's timing does not tell which emails exist.
        const matches = await passwordMatches(typeof body.password === 'string' ? body.password : '', (account ?? accounts[0]!).password);
        const user = account && matches ? account : undefined;
        if (!user) return json(response, 401, { error: 'wrong email or password' });
        const { token } = await mintToken({
          alg: 'HS256',
          key,
          sub: user.sub,
          iss: PRACTICE_API.issuer,
          aud: [PRACTICE_API.audience],
          claims: { role: user.role },
          expiresIn: PRACTICE_API.tokenLifetime,
          jti: randomUUID(),
          now: now(),
        });
        return json(response, 200, { token, token_type: 'Bearer', expires_in: PRACTICE_API.tokenLifetime });
      }
      if (request.method === 'GET' && path === '/profile') {
        const claims = await authenticate(request, response);
        if (claims) json(response, 200, { sub: claims.sub, role: claims.role, message: `Hello, ${String(claims.sub)}` });
        return;
      }
      if (request.method === 'GET' && path === '/admin') {
        const claims = await authenticate(request, response);
        if (!claims) return;
        if (claims.role !== 'admin') return json(response, 403, { error: `forbidden: we know you are ${String(claims.sub)}, but your role "${String(claims.role)}" may not see this` });
        return json(response, 200, { secretReport: 'Orders today: 1,204' });
      }
      if (request.method === 'POST' && path === '/logout') {
        const claims = await authenticate(request, response);
        if (!claims) return;
        denied.add(String(claims.jti));
        return json(response, 200, { message: 'logged out: this token\'s jti is now on the deny list' });
      }
      json(response, 404, { error: 'not found' });
    })().catch((error: Error) => json(response, 500, { error: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
