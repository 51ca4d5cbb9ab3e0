// `provider` at 60 and 80 columns (COLUMNS; a tmux pane in test/e2e/fixes-terminal.test.ts):
// the banner's lines, its clients and users tables and every request log line fit the width,
// URLs broken only at their separators; --json and a pipe without COLUMNS are unchanged.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, test } from 'vitest';
import { requestLogger } from '../../src/cli/commands/provider.js';
import { NO_COLOURS, createOutput } from '../../src/cli/output.js';
import { displayWidth, joinBrokenLines } from '../../src/text/layout.js';
import { BIN } from '../helpers/cli.js';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function startProvider(env: Record<string, string>) {
  // The keys file goes into a home of its own, never the real one.
  child = spawn(process.execPath, [BIN, 'provider', '--port', '0'], { env: { PATH: process.env.PATH, NO_COLOR: '1', JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-provider-width-')), ...env } });
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  lines.on('line', (line) => (waiters.length ? waiters.shift()!(line) : queue.push(line)));
  const nextLine = () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiters.push(resolve)));
  return { process: child, nextLine };
}

/** The banner up to "Press Ctrl-C", then the log lines of three requests (a long, refused one among them). */
async function bannerAndLog(env: Record<string, string>): Promise<{ banner: string[]; log: string[]; issuer: string }> {
  const run = startProvider(env);
  const banner: string[] = [];
  for (let line = await run.nextLine(); !line.startsWith('Press Ctrl-C'); line = await run.nextLine()) banner.push(line);
  await run.nextLine();
  const issuer = /http:\/\/127\.0\.0\.1:\d+/.exec(banner.join('\n'))![0];
  await fetch(`${issuer}/.well-known/openid-configuration`);
  await fetch(`${issuer}/authorize?client_id=nobody-registered-this-client&redirect_uri=http://127.0.0.1/cb&response_type=code&scope=openid`, { redirect: 'manual' });
  await fetch(`${issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=nope' });
  // Every log line so far: wait a moment for the last one to be written.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const log: string[] = [];
  while (true) {
    const next = await Promise.race([run.nextLine(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))]);
    if (next === undefined) break;
    log.push(next);
  }
  run.process.kill('SIGTERM');
  await once(run.process, 'exit');
  return { banner, log, issuer };
}

describe.each([60, 80])('provider at COLUMNS=%i', (width) => {
  test('no banner or log line wider than the width; the discovery URL joins back whole', async () => {
    const { banner, log, issuer } = await bannerAndLog({ COLUMNS: String(width) });
    const tooWide = [...banner, ...log].filter((line) => displayWidth(line) > width);
    expect(tooWide, [...banner, ...log].join('\n')).toEqual([]);
    expect(joinBrokenLines(banner.join('\n'))).toContain(`${issuer}/.well-known/openid-configuration`);
    // Every client and user is still there, with its secret and password.
    const text = banner.join('\n');
    for (const expected of ['demo-app', 'confidential, secret demo-secret', 'demo-spa', 'public (no secret; PKCE protects it)', 'http://localhost/callback', 'orders:read orders:write', 'mango-lassi-42', 'Priya Sharma']) {
      expect(text).toContain(expected);
    }
    // Three requests, each starting with its time and method; the later lines of one hang under its path.
    const starts = log.filter((line) => /^\d\d:\d\d:\d\d (GET|POST) /.test(line));
    expect(starts).toHaveLength(3);
    expect(log.filter((line) => !/^\d\d:\d\d:\d\d /.test(line)).every((line) => line.startsWith(' '.repeat(14)))).toBe(true);
  });
});

test('at 60 columns the clients table is stacked: each client on a line, its kind and URIs under it', async () => {
  const { banner } = await bannerAndLog({ COLUMNS: '60' });
  const text = banner.join('\n');
  expect(text).toContain('  demo-app\n    confidential, secret demo-secret\n    http://127.0.0.1/callback http://localhost/callback\n    client_credentials scopes: orders:read orders:write\n');
  expect(text).toMatch(/\n {2}asha@example\.com {2,}mango-lassi-42 {2,}Asha Rao\n/);
});

describe('the request log', () => {
  const logAt = (width: number) => {
    const lines: string[] = [];
    const output = { ...createOutput({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {} }, NO_COLOURS), result: (text: string) => void lines.push(...text.split('\n')) };
    const log = requestLogger(output, { width });
    log({ time: '2026-11-29T08:00:01.000Z', method: 'POST', path: '/token', status: 400, message: 'invalid_grant: the authorization code is unknown, used already or expired (codes work once, for 60 s)', durationMs: 3 });
    log({ time: '2026-11-29T08:00:02.000Z', method: 'GET', path: '/authorize?client_id=a-very-long-client-id-nobody-registered&state=xyz', status: 400, message: 'unknown client_id', durationMs: 1 });
    log({ time: '2026-11-29T08:00:03.000Z', method: 'GET', path: '/jwks', status: 200, message: 'keys served', durationMs: 1 });
    return lines;
  };

  test('at 60 columns a long message wraps under the path, a long path breaks at its separators', () => {
    const lines = logAt(60);
    expect(lines.filter((line) => displayWidth(line) > 60), lines.join('\n')).toEqual([]);
    // "invalid_grant:" does not fit beside the status: the message goes under the path, whole words.
    expect(lines[0]).toBe(`08:00:01 POST ${'/token'.padEnd(28)} 400`);
    expect(lines[1]).toMatch(/^ {14}invalid_grant: the authorization code/);
    expect(joinBrokenLines(lines.join('\n'))).toContain('/authorize?client_id=a-very-long-client-id-nobody-registered&state=xyz 400');
    expect(lines.at(-1)).toBe(`08:00:03 GET  ${'/jwks'.padEnd(28)} 200  keys served`);
  });

  test('without a width (a pipe) each request stays one line, as before', () => {
    const lines = logAt(Infinity);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`08:00:01 POST ${'/token'.padEnd(28)} 400  invalid_grant: the authorization code is unknown, used already or expired (codes work once, for 60 s)`);
  });
});
