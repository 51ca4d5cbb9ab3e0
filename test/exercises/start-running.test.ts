// One Mock Google per progress file: `exercises check` asks the one that progress records. A
// second `exercises start` in the same home, while the first still answers, says where it runs
// and stops (exit 2, one line) instead of silently taking its place; --replace takes its place on
// purpose; a record left by one that is gone (no answer within half a second, or another program
// on its port) is taken over without a word. Run in-process; nothing sleeps but the 500 ms wait.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runCaptured } from '../../src/cli/main.js';

const T0 = 1_900_000_000;
const now = () => T0;
const home = () => ({ JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-running-')) });
const recorded = (env: { JWT_VS_OAUTH_HOME: string }) => JSON.parse(readFileSync(join(env.JWT_VS_OAUTH_HOME, 'progress.json'), 'utf8')).exercises.provider;

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A free loopback port; with `hold`, a server that accepts connections there and never answers. */
async function loopbackPort(hold = false): Promise<number> {
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  if (hold) servers.push(server);
  else await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForRecord(env: { JWT_VS_OAUTH_HOME: string }, issuer: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if (recorded(env)?.issuer === issuer && (await fetch(`${issuer}/.well-known/openid-configuration`)).ok) return;
    } catch {
      // Not yet written, or not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${issuer} never started`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A progress file that says Mock Google runs at this issuer. */
function recordRunning(env: { JWT_VS_OAUTH_HOME: string }, issuer: string): void {
  writeFileSync(join(env.JWT_VS_OAUTH_HOME, 'progress.json'), JSON.stringify({
    version: 1, seed: 'running-seed', tutorial: { completed: [] },
    exercises: { passed: {}, hintsShown: {}, attempts: {}, provider: { issuer, exercise: 'oauth-access-token' } },
  }));
}

describe('exercises start while Mock Google for the exercise already runs', () => {
  test('a second start: exit 2 and one line saying where it runs; the first keeps running and stays the one check uses', async () => {
    const env = home();
    const port = await loopbackPort();
    const issuer = `http://127.0.0.1:${port}`;
    const first = runCaptured(['exercises', 'start', 'oauth-access-token', '--port', String(port)], { env, now });
    try {
      await waitForRecord(env, issuer);
      const second = await runCaptured(['exercises', 'start', 'oauth-access-token'], { env, now });
      expect(second).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: Mock Google for oauth-access-token is already running at ${issuer} (another terminal); use it, or stop it first (--replace starts a new one in its place).\n`,
      });
      expect(recorded(env)).toEqual({ issuer, exercise: 'oauth-access-token' });
      expect((await fetch(`${issuer}/jwks`)).ok).toBe(true);
    } finally {
      process.emit('SIGINT', 'SIGINT');
    }
    expect((await first).code).toBe(130);
    expect(recorded(env)).toBeUndefined();
  }, 30_000);

  test('--replace starts a new one in its place: progress (what check asks) names the new one; when both stop, nothing is left recorded', async () => {
    const env = home();
    const oldPort = await loopbackPort();
    const oldIssuer = `http://127.0.0.1:${oldPort}`;
    const first = runCaptured(['exercises', 'start', 'oauth-access-token', '--port', String(oldPort)], { env, now });
    await waitForRecord(env, oldIssuer);
    const newPort = await loopbackPort();
    const newIssuer = `http://127.0.0.1:${newPort}`;
    const second = runCaptured(['exercises', 'start', 'oauth-access-token', '--port', String(newPort), '--replace'], { env, now });
    try {
      await waitForRecord(env, newIssuer);
      expect(recorded(env)).toEqual({ issuer: newIssuer, exercise: 'oauth-access-token' });
    } finally {
      process.emit('SIGINT', 'SIGINT');
    }
    const [one, two] = await Promise.all([first, second]);
    expect([one.code, two.code]).toEqual([130, 130]);
    expect(two.stdout).toContain(`Mock Google (a local simulation) is running at ${newIssuer}\n`);
    expect(recorded(env)).toBeUndefined();
  }, 30_000);

  test.each([
    ['nothing listens on its port', false],
    ['another program holds its port and never answers', true],
  ])('a record left behind (%s): start takes its place without a word', async (_case, hold) => {
    const env = home();
    const stale = `http://127.0.0.1:${await loopbackPort(hold)}`;
    recordRunning(env, stale);
    const port = await loopbackPort();
    const issuer = `http://127.0.0.1:${port}`;
    const started = runCaptured(['exercises', 'start', 'oauth-access-token', '--port', String(port)], { env, now });
    try {
      await waitForRecord(env, issuer);
    } finally {
      process.emit('SIGINT', 'SIGINT');
    }
    const result = await started;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('Stopped.\n');
    expect(result.stdout).toContain(`Mock Google (a local simulation) is running at ${issuer}\n`);
  }, 30_000);

  test('--replace on an exercise that runs nothing: exit 2, one line', async () => {
    const result = await runCaptured(['exercises', 'start', 'read-subject', '--replace'], { env: home(), now });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: --replace: read-subject runs nothing; --replace is for an exercise that runs Mock Google, such as oauth-access-token.\n' });
  });

  test('its help shows --replace with an example', async () => {
    const help = await runCaptured(['exercises', 'start', '--help']);
    expect(help.stdout).toContain('--replace');
    expect(help.stdout).toContain('jwt-vs-oauth exercises start oauth-access-token --replace');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('while one answers, another start says where it is and stops (exit 2), unless --replace');
  });
});
