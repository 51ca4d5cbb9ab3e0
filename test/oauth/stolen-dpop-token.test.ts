// `jwt-vs-oauth oauth --attack stolen-dpop-token`: a copied DPoP-bound access token is refused,
// sent as Bearer and with the attacker's own key, while the app's proofs work (RFC 9449 §7.1).

import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const SUMMARY = 'Stopped: the token is bound to the app\'s key (cnf.jkt, RFC 9449 §6, §7.1); a copy is useless without it.';

describe('oauth --attack stolen-dpop-token', () => {
  test('the app\'s call works (200); the copy as Bearer (401) and with another key (401) do not', async () => {
    const result = await runCli(['oauth', '--attack', 'stolen-dpop-token', '--auto']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Attack: stolen-dpop-token (a DPoP-bound access token copied from a log, used without the app\'s key)');
    expect(result.stdout).toMatch(/App \(Swaad\) → Mock Google: POST \/token code \+ DPoP proof → 200 token_type DPoP/);
    expect(result.stdout).toContain('App (Swaad) → Mock Google: GET /userinfo DPoP token + proof → 200');
    expect(result.stdout).toContain('Attacker → Mock Google: GET /userinfo Bearer token → 401');
    expect(result.stdout).toContain('Attacker → Mock Google: GET /userinfo DPoP token + own proof → 401');
    // The token is bound to the app's key: cnf.jkt and the app key's thumbprint are the same value.
    const jkt = /cnf\.jkt\s+([\w-]{43})\s/.exec(result.stdout)?.[1];
    const appKey = /app key\s+([\w-]{43})\s+— the thumbprint of the app's key: the same/.exec(result.stdout)?.[1];
    expect(jkt).toBeDefined();
    expect(appKey).toBe(jkt);
    const attackerKey = /attacker key\s+([\w-]{43})\s/.exec(result.stdout)?.[1];
    expect(attackerKey).toBeDefined();
    expect(attackerKey).not.toBe(jkt);
    const flat = result.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('WWW-Authenticate: DPoP error="invalid_token", error_description="This access token is bound to a DPoP key (cnf.jkt)');
    expect(flat).toContain('WWW-Authenticate: DPoP error="invalid_token", error_description="Invalid DPoP key binding');
    expect(flat).toContain('whoever holds a bearer token can use it, no questions asked (RFC 6750 §1.2)');
    expect(result.stdout.trim().split('\n').at(-1)).toBe(`✓ ${SUMMARY}`);
  });

  test('--json: four steps on the app, provider and attacker lanes, their statuses, and the outcome', async () => {
    const result = await runCli(['oauth', '--attack', 'stolen-dpop-token', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.outcome).toEqual({ ok: true, summary: SUMMARY });
    expect(json.steps.map((step: { number: number; total: number }) => `${step.number}/${step.total}`)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const statuses = json.steps.map((step: { exchanges: Array<{ method: string; url: string; status: number }> }) => step.exchanges.map((exchange) => `${exchange.method} ${new URL(exchange.url).pathname} ${exchange.status}`));
    expect(statuses).toEqual([['POST /token 200'], ['GET /userinfo 200'], ['GET /userinfo 401'], ['GET /userinfo 401']]);
    expect(json.steps[0].lanes).toEqual([{ id: 'app', name: 'App (Swaad)' }, { id: 'provider', name: 'Mock Google' }, { id: 'attacker', name: 'Attacker' }]);
    const facts = Object.fromEntries(json.steps[0].facts.map((fact: { name: string; value: string }) => [fact.name, fact.value]));
    expect(facts.token_type).toBe('DPoP');
    expect(facts['cnf.jkt']).toMatch(/^[\w-]{43}$/);
    expect(facts['app key']).toBe(facts['cnf.jkt']);
  });

  test('--help names it', async () => {
    const result = await runCli(['oauth', '--help']);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('refresh-reuse, device-phishing, stolen-dpop-token');
  });
});
