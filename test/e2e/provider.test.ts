// `jwt-vs-oauth provider` as a user runs it: the start banner, the request log, Ctrl-C,
// and bad files or ports refused with a clear error.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, runBin, runCli } from '../helpers/cli.js';

const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-provider-'));
function file(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function startBin(args: string[]) {
  child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  lines.on('line', (line) => (waiters.length ? waiters.shift()!(line) : queue.push(line)));
  const nextLine = () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiters.push(resolve)));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return { process: child, nextLine, stderr: () => stderr };
}

describe('jwt-vs-oauth provider', () => {
  test('--json: a "started" line, one line per request, and Ctrl-C (SIGINT) stops it with 130', async () => {
    const run = startBin(['provider', '--port', '0', '--json']);
    const started = JSON.parse(await run.nextLine());
    expect(started).toMatchObject({ event: 'started', autoApprove: false });
    expect(started.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.clients.map((client: { client_id: string }) => client.client_id)).toEqual(['demo-app', 'demo-spa']);
    expect(started.users[0]).toEqual({ sub: '104392857361829475620', email: 'asha@example.com', password: 'mango-lassi-42', name: 'Asha Rao' });
    expect(started.keys.map(({ signs, alg }: { signs: string; alg: string }) => `${signs} ${alg}`)).toEqual(['ID tokens RS256', 'access tokens ES256']);
    const discovery = await fetch(started.discovery);
    expect(discovery.status).toBe(200);
    const logged = JSON.parse(await run.nextLine());
    expect(logged).toMatchObject({ event: 'request', method: 'GET', path: '/.well-known/openid-configuration', status: 200, message: 'discovery document served' });
    run.process.kill('SIGINT');
    const [code] = await once(run.process, 'exit');
    expect(code).toBe(130);
  });

  test('the human banner lists issuer, discovery, clients and users with their demo passwords', async () => {
    const run = startBin(['provider', '--port', '0', '--auto-approve']);
    const banner: string[] = [];
    for (let line = await run.nextLine(); !line.startsWith('Press Ctrl-C'); line = await run.nextLine()) banner.push(line);
    const text = banner.join('\n');
    expect(text).toContain('Mock Google is running (a local simulation of an OpenID Connect provider, not Google)');
    expect(text).toMatch(/discovery {2}http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration/);
    expect(text).toContain('auto-approve');
    expect(text).toContain('demo-app     confidential, secret demo-secret');
    expect(text).toMatch(/asha@example\.com +mango-lassi-42 +Asha Rao/);
    expect(text).toContain('keys       ID tokens RS256, access tokens ES256 (a key for each, both at /jwks)');
    run.process.kill('SIGTERM');
    const [code] = await once(run.process, 'exit');
    expect(code).toBe(0);
    expect(run.stderr()).toBe('Stopped.\n');
  });

  test('a host beyond loopback only when asked, with a warning', async () => {
    const run = startBin(['provider', '--port', '0', '--host', '0.0.0.0', '--json']);
    await run.nextLine();
    expect(run.stderr()).toContain('warning: listening on 0.0.0.0, beyond this computer. Mock Google is a teaching provider');
    run.process.kill('SIGTERM');
    await once(run.process, 'exit');
  });

  test('a port in use exits 2 with what to do', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const result = runBin(['provider', '--port', String(port)]);
    blocker.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: Port ${port} on 127.0.0.1 is already in use.\nStop the other program, or pick another port: --port 0 chooses a free one.\n`);
  });

  test.each([
    ['not JSON', ['--users', file('broken.json', '{ nope')], /^error: --users .*broken\.json: not valid JSON/],
    ['no users list', ['--users', file('empty.json', { people: [] })], /^error: --users .*empty\.json: expected \{"users": \[ … \]\} with at least one entry\.$/m],
    ['a user without a password', ['--users', file('nopass.json', { users: [{ sub: '1', email: 'a@b', name: 'A' }] })], /^error: --users .*nopass\.json: users\[0\]: "password" must be a non-empty string\.$/m],
    ['two users with one sub', ['--users', file('dup.json', { users: [{ sub: '1', email: 'a@b', name: 'A', password: 'p' }, { sub: '1', email: 'c@d', name: 'C', password: 'p' }] })], /users\[1\]: "sub" "1" is used twice/],
    ['a client without redirect_uris', ['--clients', file('noredirect.json', { clients: [{ client_id: 'x' }] })], /^error: --clients .*noredirect\.json: clients\[0\]: "redirect_uris" must be a non-empty list of URLs\.$/m],
    ['a redirect URI with a fragment', ['--clients', file('fragment.json', { clients: [{ client_id: 'x', redirect_uris: ['http://127.0.0.1/cb#x'] }] })], /clients\[0\]: "redirect_uris" holds "http:\/\/127\.0\.0\.1\/cb#x"; a redirect URI must not have a fragment/],
    ['a missing file', ['--clients', join(folder, 'nope.json')], /^error: --clients .*nope\.json: cannot read it \(no such file\)\.$/m],
    ['a bad port', ['--port', 'eighty'], /^error: --port: "eighty" is not a port number/],
    ['an access-token algorithm it does not sign with', ['--access-token-alg', 'HS256'], /^error: --access-token-alg: "HS256" is not one the provider signs access tokens with \(ES256 or RS256\)\.\n$/],
  ])('%s: exit 2, naming the file, the entry and the field', async (_name, args, message) => {
    const result = await runCli(['provider', '--port', '0', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('--access-token-alg RS256: access tokens signed RS256, still with a key of their own', async () => {
    const run = startBin(['provider', '--port', '0', '--json', '--access-token-alg', 'rs256']);
    const started = JSON.parse(await run.nextLine());
    const [idKey, accessKey] = started.keys;
    expect([idKey.alg, accessKey.alg]).toEqual(['RS256', 'RS256']);
    expect(accessKey.kid).not.toBe(idKey.kid);
    run.process.kill('SIGTERM');
    await once(run.process, 'exit');
  });

  test('--users and --clients files are used', async () => {
    const users = file('class.json', { users: [{ sub: 'stu-1', email: 'meera@school.example', password: 'chai', name: 'Meera', house: 'Blue' }] });
    const clients = file('apps.json', { clients: [{ client_id: 'class-app', client_secret: 's3cret', redirect_uris: ['http://127.0.0.1/cb'] }] });
    const run = startBin(['provider', '--port', '0', '--json', '--users', users, '--clients', clients]);
    const started = JSON.parse(await run.nextLine());
    expect(started.users).toEqual([{ sub: 'stu-1', email: 'meera@school.example', password: 'chai', name: 'Meera' }]);
    expect(started.clients).toEqual([{ client_id: 'class-app', client_secret: 's3cret', type: 'confidential', redirect_uris: ['http://127.0.0.1/cb'] }]);
    run.process.kill('SIGTERM');
    await once(run.process, 'exit');
  });
});
