// The practice API the lessons log in to: its login checks a stored slow hash, its secret is a
// random one (labelled demo-only where a lesson shows it), and its tokens carry what lesson 2 says.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assessSecret } from '../../src/jwt/secret-strength.js';
import { PRACTICE_API, startPracticeApi, type PracticeApi } from '../../src/lessons/practice-api.js';
import { runCli } from '../helpers/cli.js';

const NOW = 1_795_000_000;
let api: PracticeApi;
beforeAll(async () => {
  api = await startPracticeApi(() => NOW);
});
afterAll(() => api.close());

async function login(email: string, password: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the practice API', () => {
  test('its secret is random, not human-made (RFC 8725 §3.5)', () => {
    expect(assessSecret(PRACTICE_API.secret)).toMatchObject({ weak: false, humanMade: false });
  });

  test('the right password gets a token that verify accepts with the published secret, issuer and audience', async () => {
    const { status, body } = await login('asha@example.com', 'mango-lassi-42');
    expect(status).toBe(200);
    const checked = await runCli(['verify', String(body.token), '--secret', PRACTICE_API.secret, '--alg', 'HS256', '--iss', PRACTICE_API.issuer, '--aud', 'practice-api', '--require', 'jti'], { now: NOW });
    expect(checked.code).toBe(0);
    expect(checked.stderr).toBe('');
  });

  test.each([
    ['a wrong password', 'asha@example.com', 'mango-lassi-43'],
    ['an unknown email', 'nobody@example.com', 'mango-lassi-42'],
    ['a password that is not a string', 'asha@example.com', 42],
  ])('%s: 401 "wrong email or password"', async (_name, email, password) => {
    expect(await login(email, password)).toEqual({ status: 401, body: { error: 'wrong email or password' } });
  });
});
