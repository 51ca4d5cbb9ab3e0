// Remote keys against hostile and broken servers on loopback: bodies that never end, bodies that
// trickle, answers that never come, redirects, and --timeout values Node's timers cannot hold.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { discoverIssuer, fetchJwks, MAX_RESPONSE_BYTES } from '../../src/jwt/remote-keys.js';
import { BIN, RFC7515_ES256_PUBLIC_JWK, RFC7515_ES256_TOKEN, RFC_EXAMPLE_NOW, runCli } from '../helpers/cli.js';

const JWKS = JSON.stringify({ keys: [{ ...RFC7515_ES256_PUBLIC_JWK, kid: 'rfc' }] });
const CHUNK = Buffer.alloc(64 * 1024, 'x');

let server: Server;
let base: string;
/** Bytes the endless body wrote before the client hung up: proves the client stopped reading. */
let endlessBytesWritten = 0;
let endlessClosed: Promise<void> = Promise.resolve();
const trickles = new Set<NodeJS.Timeout>();

/** Writes 64 KB chunks for as long as the client reads them (respecting back-pressure). */
function endlessBody(request: IncomingMessage, response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('{"keys":["');
  endlessBytesWritten = 0;
  let closed = false;
  endlessClosed = new Promise((resolve) => response.on('close', () => ((closed = true), resolve())));
  const pump = () => {
    while (!closed) {
      endlessBytesWritten += CHUNK.length;
      if (!response.write(CHUNK)) return void response.once('drain', pump);
    }
  };
  pump();
}

/** Sends the headers, then one byte every 20 ms, forever. */
function tricklingBody(response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'application/json' });
  const timer = setInterval(() => response.write(' '), 20);
  trickles.add(timer);
  response.on('close', () => (clearInterval(timer), trickles.delete(timer)));
}

/**
 * Announces 64 KiB under more content-encodings than fetch accepts, sends 1 KiB, and keeps the rest
 * coming: fetch refused such an answer and left a stream with no 'error' listener, so dropping the
 * connection ended the process with an unhandled error.
 */
function manyEncodings(response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip, gzip, gzip, gzip, gzip', 'content-length': String(CHUNK.length) });
  response.write(CHUNK.subarray(0, 1024));
  later(500, () => response.end(CHUNK.subarray(1024)));
}

function later(ms: number, then: () => void) {
  const timer = setTimeout(then, ms);
  trickles.add(timer);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/jwks') return void response.end(JWKS);
    if (path === '/empty-jwks') return void response.end('{"keys":[]}');
    if (path === '/html') return void response.end('<html>not keys</html>');
    if (path === '/enc-only-jwks') return void response.end(JSON.stringify({ keys: [{ ...RFC7515_ES256_PUBLIC_JWK, use: 'enc' }] }));
    if (path === '/endless') return endlessBody(request, response);
    if (path === '/trickle') return tricklingBody(response);
    if (path === '/silent') return; // never answers: no status line, no headers
    if (path === '/declared-huge') return void response.writeHead(200, { 'content-length': String(MAX_RESPONSE_BYTES + 1) }).write('{');
    if (path === '/exactly-at-cap') return void response.end(JWKS.padEnd(MAX_RESPONSE_BYTES, ' '));
    if (path === '/redirect-away') return void response.writeHead(302, { location: 'http://keys.example/jwks' }).end();
    if (path === '/redirect-same-origin') return void response.writeHead(301, { location: '/jwks' }).end();
    if (path === '/slow-jwks') return later(200, () => response.end(JWKS));
    if (path === '/many-encodings') return manyEncodings(response);
    if (path === '/gzip-jwks') return void response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(JWKS));
    if (path === '/closes-early') return void response.writeHead(200, { 'content-length': '1000' }).end('{"keys":', () => response.socket?.destroy());
    const issuer = `${base}${path.replace(/\/\.well-known\/openid-configuration$/, '')}`;
    const jwksFor: Record<string, string> = { '/huge': '/endless', '/slow': '/trickle', '/insecure': 'http://keys.example/jwks', '/encoded': '/many-encodings' };
    const name = path.replace(/\/\.well-known\/openid-configuration$/, '');
    if (name === '/both-slow') return later(200, () => response.end(JSON.stringify({ issuer, jwks_uri: `${base}/slow-jwks` })));
    if (name in jwksFor) {
      const target = jwksFor[name]!;
      return void response.end(JSON.stringify({ issuer, jwks_uri: target.startsWith('/') ? `${base}${target}` : target }));
    }
    response.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  for (const timer of trickles) clearTimeout(timer);
  server.closeAllConnections();
  server.close();
});

async function verifyWith(args: string[]) {
  const result = await runCli(['verify', RFC7515_ES256_TOKEN, ...args], { now: RFC_EXAMPLE_NOW });
  expect(result.stderr).not.toContain('This is a bug');
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return result;
}

describe('a failed fetch says what to do next', () => {
  test('nothing listening: ECONNREFUSED, and is the server running?', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await verifyWith(['--jwks', `http://127.0.0.1:${port}/jwks`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: Could not fetch the JWKS from http://127.0.0.1:${port}/jwks: ECONNREFUSED.\nNothing is listening there: is the server running, on that port?\n`);
  });

  test.each([
    [['--jwks', 'file:///etc/passwd'], 'error: --jwks: file: URLs are not fetched; give an https URL.\nFor a key in a file, use --key <file>.\n'],
    [['--discover', 'http://127.0.0.1:9400/.well-known/openid-configuration'], 'error: --discover takes the issuer URL, not its discovery document.\nTry: --discover http://127.0.0.1:9400\n'],
  ])('%j', async (args, stderr) => {
    const result = await verifyWith(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(stderr);
  });

  test('404 and a body that is not JSON each get a next step', async () => {
    const missing = await verifyWith(['--jwks', `${base}/nothing-here`]);
    expect(missing.stderr).toBe(`error: The JWKS at ${base}/nothing-here answered HTTP 404.\nCheck the URL: an issuer lists its JWKS as jwks_uri in <issuer>/.well-known/openid-configuration (or use --discover <issuer>).\n`);
    const html = await verifyWith(['--jwks', `${base}/html`]);
    expect(html.stderr).toBe(`error: The JWKS at ${base}/html is not JSON.\nIs it the right URL? A JWK Set and a discovery document are JSON objects.\n`);
  });

  test('a discovery document that is not there: check the issuer URL', async () => {
    const missing = await verifyWith(['--discover', `${base}/no-issuer`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: The discovery document at ${base}/no-issuer/.well-known/openid-configuration answered HTTP 404.\nCheck the issuer URL: it is the iss of its tokens, and its discovery document is at <issuer>/.well-known/openid-configuration.\n`);
  });
});

describe('a JWK Set without a signing key', () => {
  test.each([
    ['/empty-jwks', '"keys" is empty'],
    ['/enc-only-jwks', 'only encryption keys or entries that are not JWKs'],
  ])('%s says the set has no signing key, not that no key was given', async (path, why) => {
    const result = await verifyWith(['--jwks', `${base}${path}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: JWKS at ${base}${path} is a JWK Set with no signing key in it (${why}).\nCheck that it is the right JWK Set; a provider publishes its signing keys at its jwks_uri.\n`);
  });
});

describe('the body is streamed and capped at 1 MB', () => {
  test('an endless chunked body is refused at the cap, and the connection is dropped', async () => {
    const result = await verifyWith(['--jwks', `${base}/endless`, '--timeout', '20s']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: The JWKS at ${base}/endless is larger than 1 MB; a JWK Set or discovery document is a few KB.\n`);
    await endlessClosed;
    // The client stopped reading near the cap: what the server wrote is the cap plus socket buffers, not gigabytes.
    expect(endlessBytesWritten).toBeLessThan(MAX_RESPONSE_BYTES + 16 * 1024 * 1024);
  });

  test('a Content-Length over the cap is refused before reading', async () => {
    await expect(fetchJwks(`${base}/declared-huge`, 5000)).rejects.toMatchObject({ code: 'ERR_FETCH_TOO_LARGE' });
  });

  test('a body of exactly 1 MB is read', async () => {
    const keys = await fetchJwks(`${base}/exactly-at-cap`, 5000);
    expect(keys.map((key) => key.kid)).toEqual(['rfc']);
  });
});

describe('one deadline for the whole fetch', () => {
  test('headers never sent: ERR_FETCH_TIMEOUT, exit 2', async () => {
    await expect(fetchJwks(`${base}/silent`, 100)).rejects.toMatchObject({ code: 'ERR_FETCH_TIMEOUT' });
    const result = await verifyWith(['--jwks', `${base}/silent`, '--timeout', '100ms']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: The JWKS at ${base}/silent did not answer within 100 ms.`);
  });

  test('a body that trickles past the timeout: ERR_FETCH_TIMEOUT, exit 2, not "This is a bug"', async () => {
    await expect(fetchJwks(`${base}/trickle`, 150)).rejects.toMatchObject({ code: 'ERR_FETCH_TIMEOUT' });
    const result = await verifyWith(['--jwks', `${base}/trickle`, '--timeout', '150ms']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`error: The JWKS at ${base}/trickle did not send its whole body within 150 ms.`);
  });

  test('discovery and the JWKS share one deadline', async () => {
    // Each answers after 200 ms: within 300 ms alone, not together.
    await expect(discoverIssuer(`${base}/both-slow`, 300)).rejects.toMatchObject({ code: 'ERR_FETCH_TIMEOUT' });
  });
});

describe('--timeout is range-checked', () => {
  test.each([
    ['30d', 'error: --timeout 30d must be between 1 ms and 60 s.'],
    ['61s', 'error: --timeout 61s must be between 1 ms and 60 s.'],
    ['0ms', 'error: --timeout 0ms must be between 1 ms and 60 s.'],
    ['0', 'error: --timeout 0 must be between 1 ms and 60 s.'],
    ['soon', 'error: --timeout: "soon" is not a duration.'],
  ])('--timeout %s is refused with exit 2', async (value, message) => {
    const result = await verifyWith(['--jwks', `${base}/jwks`, '--timeout', value]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });

  test.each(['500ms', '5s', '1m', '60'])('--timeout %s is accepted', async (value) => {
    const result = await verifyWith(['--jwks', `${base}/jwks`, '--timeout', value, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).valid).toBe(true);
  });
});

describe('redirects are never followed', () => {
  test.each([
    ['/redirect-away', 'HTTP 302 to http://keys.example/jwks'],
    ['/redirect-same-origin', 'HTTP 301 to /jwks'],
  ])('%s is refused, naming where it pointed', async (path, shown) => {
    const result = await verifyWith(['--jwks', `${base}${path}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: The JWKS at ${base}${path} answered with a redirect (${shown}); redirects are not followed.`);
  });
});

describe('discovery whose jwks_uri is hostile', () => {
  test('a jwks_uri with an endless body is refused at the cap', async () => {
    const result = await verifyWith(['--discover', `${base}/huge`, '--timeout', '20s']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: The JWKS at ${base}/endless is larger than 1 MB`);
  });

  test('a jwks_uri that trickles times out', async () => {
    const result = await verifyWith(['--discover', `${base}/slow`, '--timeout', '150ms']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: The JWKS at ${base}/trickle did not send its whole body within 150 ms.`);
  });

  test('a jwks_uri on plain http to another host is refused', async () => {
    const result = await verifyWith(['--discover', `${base}/insecure`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: jwks_uri: plain http is allowed only for loopback hosts');
  });
});

describe('a compressed answer is refused, never a crash', () => {
  const encodedMessage = (path: string) => `error: The JWKS at ${base}${path} was sent compressed (content-encoding: gzip, gzip, gzip, gzip, gzip, gzip); only an uncompressed body is read.\nA JWK Set is a few KB: have the server send it as is when asked for identity.\n`;

  // The built bin as a subprocess, since an unhandled 'error' event ends a whole process; not
  // spawnSync, which would block this process's server.
  async function verifyBin(args: string[]) {
    const child = spawn(process.execPath, [BIN, 'verify', RFC7515_ES256_TOKEN, ...args], { env: { PATH: process.env.PATH } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  }

  test.each([
    ['--jwks', '/many-encodings'],
    ['--discover', '/encoded'],
  ])('%s with six content-encodings and a body still coming: exit 2, one message, no unhandled error', async (flag, path) => {
    const result = await verifyBin([flag, `${base}${path}`]);
    expect(result.stderr).toBe(encodedMessage('/many-encodings'));
    expect(result.stderr).not.toContain('node:events');
    expect(result.stderr).not.toContain('Unhandled');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  test('a single gzip is refused too: the request asks for identity', async () => {
    await expect(fetchJwks(`${base}/gzip-jwks`, 5000)).rejects.toMatchObject({ code: 'ERR_FETCH_ENCODING', message: `The JWKS at ${base}/gzip-jwks was sent compressed (content-encoding: gzip); only an uncompressed body is read.` });
  });

  test('a connection closed in the middle of the body is ERR_FETCH_FAILED, exit 2', async () => {
    const result = await verifyWith(['--jwks', `${base}/closes-early`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: Could not fetch the JWKS from ${base}/closes-early: ECONNRESET.\nThe server closed the connection: is it an HTTP server?\n`);
  });

  test('an answer that is not HTTP says so', async () => {
    const notHttp = createNetServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    await new Promise<void>((resolve) => notHttp.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(notHttp.address() as AddressInfo).port}/jwks`;
    try {
      const result = await verifyWith(['--jwks', url]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^error: Could not fetch the JWKS from ${url}: not an HTTP answer \\(Parse Error: .+\\)\\.\nThe answer is not HTTP: is it an HTTP server, on that port\\?\n$`));
    } finally {
      notHttp.close();
    }
  });
});
