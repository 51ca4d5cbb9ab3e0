// `jwt-vs-oauth provider` as a user runs it: the start banner, the request log, Ctrl-C,
// and bad files or ports refused with a clear error.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
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
  // A home of its own each start: the keys file goes there, never into the real home.
  child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-provider-home-')) } });
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
    expect(started.clients.find((client: { client_id: string }) => client.client_id === 'demo-app').scopes).toEqual(['orders:read', 'orders:write']);
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

  test('access tokens live 15 minutes unless --access-token-ttl says otherwise', async () => {
    for (const [args, expected] of [[[], 900], [['--access-token-ttl', '2m'], 120]] as const) {
      const run = startBin(['provider', '--port', '0', '--json', ...args]);
      const started = JSON.parse(await run.nextLine());
      const response = await fetch(`${started.issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('demo-app:demo-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=orders:read',
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { expires_in: number }).expires_in).toBe(expected);
      run.process.kill('SIGKILL');
    }
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
    expect(text).toContain('A loopback redirect URI (127.0.0.1, [::1], localhost) accepts any port here, a local-demo\n  convenience: RFC 8252 §7.3 allows it for native apps only; a web app registers its exact URI.');
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
    const result = runBin(['provider', '--port', String(port)], { env: { JWT_VS_OAUTH_HOME: folder } });
    blocker.close();
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: Port ${port} on 127.0.0.1 is already in use.\nStop the other program, or pick another port: --port 0 chooses a free one.\n`);
  });

  test.each([
    ['not JSON', ['--users', file('broken.json', '{ nope')], /^error: --users .*broken\.json: not valid JSON at line 1, column 3\.$/m],
    ['no users list', ['--users', file('empty.json', { people: [] })], /^error: --users .*empty\.json: expected \{"users": \[ … \]\} with at least one entry\.$/m],
    ['a user without a password', ['--users', file('nopass.json', { users: [{ sub: '1', email: 'a@b', name: 'A' }] })], /^error: --users .*nopass\.json: users\[0\]: "password" must be a non-empty string\.$/m],
    ['two users with one sub', ['--users', file('dup.json', { users: [{ sub: '1', email: 'a@b', name: 'A', password: 'p' }, { sub: '1', email: 'c@d', name: 'C', password: 'p' }] })], /users\[1\]: "sub" "1" is used twice/],
    ['a client without redirect_uris', ['--clients', file('noredirect.json', { clients: [{ client_id: 'x' }] })], /^error: --clients .*noredirect\.json: clients\[0\]: "redirect_uris" must be a non-empty list of URLs\.$/m],
    ['a redirect URI with a fragment', ['--clients', file('fragment.json', { clients: [{ client_id: 'x', redirect_uris: ['http://127.0.0.1/cb#x'] }] })], /clients\[0\]: "redirect_uris" holds "http:\/\/127\.0\.0\.1\/cb#x"; a redirect URI must not have a fragment/],
    ['a missing file', ['--clients', join(folder, 'nope.json')], /^error: --clients .*nope\.json: cannot read it \(no such file\)\.$/m],
    ['a bad port', ['--port', 'eighty'], /^error: --port: "eighty" is not a port number/],
    ['an access-token algorithm it does not sign with', ['--access-token-alg', 'HS256'], /^error: --access-token-alg: "HS256" is not one the provider signs access tokens with \(ES256 or RS256\)\.\n$/],
  ])('%s: exit 2, naming the file, the entry and the field', async (_name, args, message) => {
    const result = await runCli(['provider', '--port', '0', ...args], { env: { JWT_VS_OAUTH_HOME: folder } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  // A duplicated parameter's name is quoted in the log message; this one holds CR LF, a fake
  // log line, and an escape sequence that would clear the screen.
  const HOSTILE_NAME = 'x\r\n12:00:00 POST /token                 200  tokens issued\u001b[2J\u202e';
  const hostileAuthorize = (issuer: string, name = HOSTILE_NAME) => `${issuer}/authorize?${encodeURIComponent(name)}=1&${encodeURIComponent(name)}=2`;
  // What JSON.stringify leaves raw: line separators, C1 controls, DEL, bidi isolates.
  const JSON_HOSTILE_NAME = `${HOSTILE_NAME}\u2028\u2029\u0085\u009b\u007f\u2066`;

  test('the human log shows control characters from a request escaped: no fake line, no escape sequence', async () => {
    const run = startBin(['provider', '--port', '0']);
    let line = await run.nextLine();
    let issuer = '';
    for (; !line.startsWith('Press Ctrl-C'); line = await run.nextLine()) issuer ||= /issuer +(\S+)/.exec(line)?.[1] ?? '';
    await run.nextLine();
    expect((await fetch(hostileAuthorize(issuer))).status).toBe(400);
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
    const logged = await run.nextLine();
    expect(logged).toMatch(/^\d\d:\d\d:\d\d GET  \/authorize +400  /);
    expect(logged).toContain('The parameter "x\\u000d\\u000a12:00:00 POST /token                 "... was sent more than once.');
    expect(logged).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    // The very next line is the discovery request: nothing was injected in between.
    expect(await run.nextLine()).toMatch(/^\d\d:\d\d:\d\d GET  \/\.well-known\/openid-configuration 200  discovery document served$/);
    run.process.kill('SIGTERM');
    await once(run.process, 'exit');
  });

  test('--json: the log keeps the exact text, as JSON with no raw control character', async () => {
    const run = startBin(['provider', '--port', '0', '--json']);
    const started = JSON.parse(await run.nextLine());
    expect((await fetch(hostileAuthorize(started.issuer, JSON_HOSTILE_NAME))).status).toBe(400);
    const line = await run.nextLine();
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e\u2066]/);
    expect(JSON.parse(line).message).toContain('The parameter "x\\u000d\\u000a12:00:00 POST /token                 "... was sent more than once.');
    run.process.kill('SIGTERM');
    await once(run.process, 'exit');
  });

  test('requests that once ended the process are answered, and the provider serves on', async () => {
    const run = startBin(['provider', '--port', '0', '--json']);
    const started = JSON.parse(await run.nextLine());
    const port = Number(new URL(started.issuer).port);
    for (const target of ['http://a:b:c/', 'http://[/', 'http://x:99999/', 'http://%zz/']) {
      const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(await run.nextLine())).toMatchObject({ event: 'request', method: 'GET', path: target, status: 400 });
    }
    const crit = `${Buffer.from(JSON.stringify({ alg: 'ES256', crit: ['\u0100'] })).toString('base64url')}.e30.c2ln`;
    const userinfo = await fetch(`${started.issuer}/userinfo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_token=${crit}` });
    expect(userinfo.status).toBe(401);
    expect((await fetch(started.discovery)).status).toBe(200);
    expect(run.process.exitCode).toBeNull();
    expect(run.stderr()).toBe('');
    run.process.kill('SIGTERM');
    const [code] = await once(run.process, 'exit');
    expect(code).toBe(0);
  });

  test('--issuer that is not an http(s) URL: exit 2 with a clear message', () => {
    const result = runBin(['provider', '--port', '0', '--issuer', 'not a url'], { env: { JWT_VS_OAUTH_HOME: folder } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --issuer: "not a url" is not an http:// or https:// URL.\nAn issuer looks like http://127.0.0.1:9400 or https://login.example.com/tenant.\n');
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
    expect(started.clients).toEqual([{ client_id: 'class-app', client_secret: 's3cret', type: 'confidential', authentication: ['client_secret'], redirect_uris: ['http://127.0.0.1/cb'], scopes: [] }]);
    run.process.kill('SIGTERM');
    await once(run.process, 'exit');
  });
});

/** Raw bytes to the provider (a request fetch cannot send); resolves with the whole answer. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
