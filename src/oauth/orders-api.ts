// A small orders API on a loopback port, the resource server of the client-credentials flow: it
// checks a Bearer access token as RFC 9068 §4 asks (signature by /jwks, typ at+jwt, iss, aud, exp)
// and the scope orders:read, then lists Swaad's open orders.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoverIssuer } from '../jwt/remote-keys.js';
import { verifyToken } from '../jwt/verify.js';
import { headerParameterText } from '../protocol/error-description.js';
import type { CheckTable } from './steps.js';

export interface OrdersApi {
  url: string;
  /** The checks of the last request, as a table for the narration. */
  lastChecks(): CheckTable | undefined;
  close(): Promise<void>;
}

const ORDERS = [
  { id: 'ord_1042', dish: 'Masala dosa', status: 'out for delivery' },
  { id: 'ord_1043', dish: 'Mango lassi', status: 'preparing' },
];

/**
 * Starts the orders API for `issuer`. Mock Google gives every access token one audience, its own
 * API (`audience`); this API accepts that one and relies on the scope, as the step says.
 */
export async function startOrdersApi(options: { issuer: string; audience: string; now: () => number }): Promise<OrdersApi> {
  const { keys } = await discoverIssuer(options.issuer);
  let checks: CheckTable | undefined;
  const server = createServer((request, response) => {
    void (async () => {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
        response.end(JSON.stringify(body));
      };
      if (!token) return answer(401, { error: 'invalid_request' }, { 'www-authenticate': 'Bearer realm="orders"' });
      const result = await verifyToken(token, { keys, algorithms: ['ES256', 'RS256'], tokenType: 'at+jwt', issuer: options.issuer, audience: [options.audience], clockTolerance: 0, now: Math.floor(options.now() / 1000) });
      const payload = typeof result.payload === 'object' ? result.payload : {};
      const scopes = String(payload.scope ?? '').split(' ');
      const hasScope = scopes.includes('orders:read');
      checks = {
        heading: 'The orders API checks the token (RFC 9068 §4), then the scope:',
        rows: [
          ...result.checks.filter((check) => !check.skipped).map((check) => ({ ok: check.ok, result: check.ok ? 'passed' : 'failed', detail: `${check.name}: ${check.detail}` })),
          { ok: hasScope, result: hasScope ? 'passed' : 'failed', detail: `scope: ${hasScope ? 'orders:read is granted' : 'orders:read is missing'} (${payload.scope === undefined ? 'no scope' : `"${String(payload.scope)}"`})` },
        ],
      };
      if (!result.valid) {
        // The verdict may repeat the token's own header (a kid): allowed characters only, and short.
        const description = headerParameterText(result.verdict);
        return answer(401, { error: 'invalid_token', error_description: description }, { 'www-authenticate': `Bearer realm="orders", error="invalid_token", error_description="${description}"` });
      }
      if (!hasScope) return answer(403, { error: 'insufficient_scope' }, { 'www-authenticate': 'Bearer realm="orders", error="insufficient_scope", scope="orders:read"' });
      answer(200, { caller: payload.sub, orders: ORDERS });
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lastChecks: () => checks,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
