// verify --jwks / --discover to a slow host says what it waits for on a terminal (a spinner on
// stderr after 300 ms, erased when done), and nothing at all in a pipe, in --json, or when the
// answer is quick. The host is a real server on 127.0.0.1 that answers after a delay.

import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { withSpinner } from '../../src/cli/spinner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake terminal stream that records what is written. */
function terminalStream(columns = 80) {
  const written: string[] = [];
  return { written, stream: { isTTY: true, columns, write: (text: string) => written.push(text) } };
}

describe('withSpinner', () => {
  test('a slow wait on a terminal: the label after the delay, erased at the end, the result passed through', async () => {
    const { written, stream } = terminalStream();
    const result = await withSpinner('Fetching keys from http://127.0.0.1:1/jwks', stream, sleep(450).then(() => 42), { intervalMs: 50 });
    expect(result).toBe(42);
    expect(written[0]).toBe('\r\x1b[2K| Fetching keys from http://127.0.0.1:1/jwks ');
    expect(written.length).toBeGreaterThan(2);
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  test('a quick answer, a pipe, or enabled: false write nothing', async () => {
    const quick = terminalStream();
    await withSpinner('x', quick.stream, sleep(20));
    const pipe = { written: [] as string[] };
    await withSpinner('x', { isTTY: false, write: (text: string) => pipe.written.push(text) }, sleep(400));
    const disabled = terminalStream();
    await withSpinner('x', disabled.stream, sleep(400), { enabled: false });
    expect([quick.written, pipe.written, disabled.written]).toEqual([[], [], []]);
  });

  test('a failure still erases the line and is passed on', async () => {
    const { written, stream } = terminalStream();
    await expect(withSpinner('x', stream, sleep(350).then(() => Promise.reject(new Error('timed out'))))).rejects.toThrow('timed out');
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  test('the label is terminal-safe and cut to the terminal\'s width, so it stays one erasable line', async () => {
    const { written, stream } = terminalStream(40);
    await withSpinner(`Fetching \x1b[31mkeys from http://127.0.0.1/${'a'.repeat(80)}`, stream, sleep(350));
    const drawn = written[0]!.slice('\r\x1b[2K'.length);
    expect(drawn).not.toContain('\x1b');
    expect(drawn).toContain('\\x1b[31m');
    expect(drawn.length).toBeLessThan(40);
    expect(drawn.endsWith('…')).toBe(true);
  });
});

let slow: Server;
let fast: Server;
let token: string;
const issuerOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const urlOf = (server: Server) => `${issuerOf(server)}/jwks`;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
  // Each server is its own issuer: a discovery document naming its JWKS, and the JWKS, both after the delay.
  const serve = (delayMs: number) => {
    const server: Server = createServer((request, response) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const body = request.url === '/.well-known/openid-configuration' ? JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }) : jwks;
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(body), delayMs);
    });
    return server;
  };
  slow = serve(1000);
  fast = serve(0);
  await Promise.all([slow, fast].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  token = await new SignJWT({ sub: 'asha' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuerOf(slow)).setIssuedAt().setExpirationTime('1h').sign(privateKey);
});

afterAll(async () => {
  await Promise.all([slow, fast].map((server) => new Promise((resolve) => server.close(resolve))));
});

/** The bin under a pseudo-terminal (script(1)), everything it wrote as raw bytes: a spinner erased later still shows here. */
function runInPty(args: string[]): Promise<{ code: number; raw: string }> {
  const command = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', NO_COLOR: '1' } });
    let raw = '';
    child.stdout.on('data', (chunk) => (raw += chunk));
    child.on('close', (code) => resolve({ code: code ?? -1, raw }));
  });
}

const scriptAvailable = spawnSync('script', ['-V']).status === 0;

describe.skipIf(!scriptAvailable)('verify --jwks through a pseudo-terminal: the bytes it wrote', () => {
  test('a slow host: the spinner names the URL it waits for, then is erased before the result', async () => {
    const { code, raw } = await runInPty(['verify', token, '--jwks', urlOf(slow)]);
    expect(code).toBe(0);
    expect(raw).toContain(`Fetching keys from ${urlOf(slow)}`);
    expect(raw.indexOf('\r\x1b[2K', raw.lastIndexOf('Fetching keys'))).toBeGreaterThan(0);
    expect(raw).toContain('VALID');
  }, 20_000);

  test('--discover, a slow issuer: the spinner names the issuer it is discovering', async () => {
    const { code, raw } = await runInPty(['verify', token, '--discover', issuerOf(slow)]);
    expect(code).toBe(0);
    expect(raw).toContain(`Discovering ${issuerOf(slow)} (its openid-configuration, then its keys)`);
    expect(raw).toContain('VALID');
  }, 20_000);

  test('a fast host: no spinner at all', async () => {
    const { code, raw } = await runInPty(['verify', token, '--jwks', urlOf(fast)]);
    expect(code).toBe(0);
    expect(raw).toContain('VALID');
    expect(raw).not.toContain('Fetching keys');
  }, 20_000);

  test('--json on a terminal: no spinner, the JSON alone', async () => {
    const { code, raw } = await runInPty(['verify', '--json', token, '--jwks', urlOf(slow)]);
    expect(code).toBe(0);
    expect(raw).not.toContain('Fetching keys');
    expect(JSON.parse(raw.trim()).valid).toBe(true);
  }, 20_000);
});

describe('verify --jwks without a terminal', () => {
  test('a slow host: nothing about the wait on stderr', async () => {
    const result = await runCli(['verify', token, '--jwks', urlOf(slow)]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('VALID');
  }, 20_000);
});

describe.skipIf(!tmuxAvailable())('verify --jwks in a terminal (tmux)', () => {
  test('a slow host: the spinner line is on the screen while it waits, gone after', async () => {
    const session = new TerminalSession(`${process.execPath} ${BIN} verify ${token} --jwks ${urlOf(slow)}`, { width: 100, height: 20 });
    try {
      await session.waitFor(`Fetching keys from ${urlOf(slow)}`, 5000);
      expect(await session.exitCode()).toBe(0);
      const screen = session.screen();
      expect(screen).toContain('VALID');
      expect(screen).not.toContain('Fetching keys');
    } finally {
      session.close();
    }
  }, 20_000);
});
