// Exercise 24's second hint, as `exercises hint` prints it at 60 and 80 columns: its command comes
// last (no prose after it), names the token endpoint by "$ISSUER" (no <placeholder>), and pasted
// into bash, with ISSUER set to a running Mock Google, gets a token the exercise's check passes,
// the whole JSON answer as the hint says.

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exerciseClients } from '../../src/cli/commands/exercises-start.js';
import { runCheck } from '../../src/lessons/checks.js';
import { findExercise, loadExercises } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { runCli } from '../helpers/cli.js';
import { startTestProvider } from '../helpers/provider.js';

const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'oauth-client-credentials')!;
const COMMAND = 'curl -u demo-app:demo-secret -d grant_type=client_credentials -d scope=orders:read "$ISSUER/token" | jwt-vs-oauth exercises check oauth-client-credentials -';
let provider: RunningProvider;
beforeAll(async () => {
  provider = await startTestProvider({ clients: await exerciseClients() });
});
afterAll(() => provider.close());

/** Hint 2 as printed at `columns`, its lines joined as a shell joins them (a "\" at a line's end goes on). */
async function secondHint(columns: number): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'client-credentials-hint-'));
  const env = { JWT_VS_OAUTH_HOME: home, HOME: home, COLUMNS: String(columns) };
  expect((await runCli(['exercises', 'hint', exercise.id], { env })).code).toBe(0);
  const { code, stdout } = await runCli(['exercises', 'hint', exercise.id], { env });
  expect(code).toBe(0);
  const hint = stdout.slice(stdout.indexOf('Hint 2 of 2:'), stdout.indexOf('That was the last hint.'));
  return hint.replace(/ \\\n */g, ' ').replace(/\n */g, ' ').trim();
}

test.each([60, 80])('at %i columns the hint ends with the whole command, after a colon, with no placeholder', async (columns) => {
  const hint = await secondHint(columns);
  expect(hint.endsWith(`: ${COMMAND}`)).toBe(true);
  expect(hint).not.toMatch(/<issuer>|curl …/);
  expect(hint).toContain('set the shell variable ISSUER to the address that exercises start printed');
}, 30_000);

test('pasted into bash with ISSUER set, the curl part gets the JSON answer, which the check passes', async () => {
  const curl = COMMAND.slice(0, COMMAND.indexOf(' | '));
  const { stdout } = await promisify(execFile)('bash', ['-c', curl + ' --silent --show-error'], { env: { PATH: process.env.PATH, ISSUER: provider.issuer } });
  const answer = JSON.parse(stdout) as { access_token: string; scope: string };
  expect(answer.scope).toBe('orders:read');
  const result = await runCheck(exercise, [stdout], { material: {}, providerIssuer: provider.issuer, now: Math.floor(Date.now() / 1000) });
  expect(result.lines.filter((line) => !line.ok)).toEqual([]);
  expect(result.passed).toBe(true);
}, 30_000);

test('the solution says why aud names Mock Google\'s userinfo, not the orders API (RFC 8707)', () => {
  expect(exercise.solution.explain.join(' ')).toContain('The token\'s aud is Mock Google\'s userinfo, not the orders API: Mock Google gives every access token that one audience. A real provider would name the orders API in aud when the app asks for it with a resource indicator (RFC 8707)');
});
