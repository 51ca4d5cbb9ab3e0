// Exercise 24 teaches least privilege (RFC 9700 §2.3): its check (onlyScope) refuses a token that
// carries more than orders:read, such as the one Mock Google gives demo-app when the request leaves
// scope out (its default, every registered scope: RFC 6749 §3.3). Tokens got over plain HTTP, as curl gets them.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exerciseClients } from '../../src/cli/commands/exercises-start.js';
import { runCheck } from '../../src/lessons/checks.js';
import { validateExercise } from '../../src/lessons/exercise-schema.js';
import { findExercise, loadExercises } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { basic, postForm, startTestProvider } from '../helpers/provider.js';

const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'oauth-client-credentials');
let provider: RunningProvider;
beforeAll(async () => {
  provider = await startTestProvider({ clients: await exerciseClients() });
});
afterAll(() => provider.close());

/** The access token demo-app gets with client_credentials and this form's scope (none when undefined). */
async function appToken(scope?: string): Promise<{ access_token: string; scope: string }> {
  const answer = await postForm(`${provider.issuer}/token`, { grant_type: 'client_credentials', ...(scope !== undefined && { scope }) }, { authorization: basic('demo-app', 'demo-secret') });
  expect(answer.status).toBe(200);
  return answer.body;
}

const checked = (token: string) => runCheck(exercise, [token], { material: {}, providerIssuer: provider.issuer, now: Math.floor(Date.now() / 1000) });

describe('oauth-client-credentials: the token may carry orders:read and nothing more', () => {
  test('scope left out: Mock Google grants orders:read orders:write, and the scope line fails in words', async () => {
    const tokens = await appToken();
    expect(tokens.scope).toBe('orders:read orders:write');
    const result = await checked(tokens.access_token);
    expect(result.passed).toBe(false);
    expect(result.lines.filter((line) => !line.ok)).toEqual([{
      label: 'scope',
      expected: 'orders:read and nothing more',
      got: 'orders:read orders:write',
      ok: false,
      why: 'the token also carries orders:write, which the task does not need: ask only for what the service needs (scope=orders:read), so a leaked token can do less; a request that leaves scope out gets the provider\'s default, which may be more (RFC 9700 §2.3, RFC 6749 §3.3)',
    }]);
  });

  test('both scopes asked for: the same refusal', async () => {
    const result = await checked((await appToken('orders:write orders:read')).access_token);
    expect(result.lines.filter((line) => !line.ok).map((line) => [line.label, line.why])).toEqual([['scope', expect.stringMatching(/^the token also carries orders:write, which the task does not need/)]]);
  });

  test('scope=orders:read, as the hint shows: every line passes', async () => {
    const result = await checked((await appToken('orders:read')).access_token);
    expect(result.lines.find((line) => line.label === 'scope')).toEqual({ label: 'scope', expected: 'orders:read and nothing more', got: 'orders:read', ok: true });
    expect(result.passed).toBe(true);
  });

  test('only orders:write: the scope the task asks for is missing, as before', async () => {
    const result = await checked((await appToken('orders:write')).access_token);
    expect(result.lines.filter((line) => !line.ok).map((line) => [line.label, line.why])).toEqual([['scope', 'the token does not carry the scope the task asks for: ask for it with scope in the client_credentials request to the token endpoint']]);
  });

  test('the task asks for orders:read and nothing more', () => {
    expect(exercise.task.join(' ')).toContain('it needs the scope orders:read and nothing more');
  });
});

describe('check.onlyScope', () => {
  const base = { id: 'x', title: 'T', topic: 'oauth-by-hand', task: ['t'], hints: ['h'], solution: { explain: ['e'], answers: ['a'] } };
  test('anything but true or false is refused, naming the field', () => {
    expect(() => validateExercise({ ...base, check: { kind: 'provider-token', scope: 'orders:read', onlyScope: 'yes' } }, 'bad.json')).toThrow('"check.onlyScope": must be true (the token may carry no scope beyond "scope": least privilege) or false');
  });
});
