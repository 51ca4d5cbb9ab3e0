// What a flood of connections can make Mock Google hold: request bodies count against a budget
// of bytes being read at once (over it, a request with a body gets 503 with Retry-After before a
// byte of it is buffered, and its connection is closed; requests without a body are served as
// usual), connections over the cap are closed by Node at once, and a client that does not take
// its answers cannot make them pile up. Small limits stand in for the defaults.

import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/provider/http.js';
import { MAX_BODY_BYTES_IN_FLIGHT, MAX_CONNECTIONS, MAX_UNANSWERED_PER_CONNECTION, startProvider, type RequestEvent, type RunningProvider } from '../../src/provider/server.js';
import { startTestProvider } from '../helpers/provider.js';

interface Answer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** One raw keep-alive connection: send bytes, read whole answers (Content-Length framed), see it close. */
class RawConnection {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #received = '';
  #waiting: (() => void) | undefined;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setEncoding('latin1');
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: string) => {
      this.#received += chunk;
      this.#waiting?.();
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => {
      this.#waiting?.();
      resolve();
    }));
  }

  get received(): string {
    return this.#received;
  }

  send(bytes: string): void {
    this.socket.write(bytes);
  }

  /** The next whole answer; rejects when the connection closes first, or after 5 s without one (a guard, not a measurement). */
  async answer(): Promise<Answer> {
    const givenUp = performance.now() + 5_000;
    for (;;) {
      const parsed = this.#takeAnswer();
      if (parsed) return parsed;
      if (this.socket.destroyed) throw new Error(`the connection closed; received ${JSON.stringify(this.#received)}`);
      if (performance.now() > givenUp) throw new Error(`no answer in 5 s; received ${JSON.stringify(this.#received)}`);
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
        setTimeout(resolve, 500);
      });
    }
  }

  #takeAnswer(): Answer | undefined {
    const end = this.#received.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...lines] = this.#received.slice(0, end).split('\r\n');
    const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers.get('content-length') ?? 0);
    if (this.#received.length < end + 4 + length) return undefined;
    const body = this.#received.slice(end + 4, end + 4 + length);
    this.#received = this.#received.slice(end + 4 + length);
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  }
}

const running: RunningProvider[] = [];
const connections: RawConnection[] = [];
const rawSockets: Socket[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.socket.destroy();
  for (const socket of rawSockets.splice(0)) socket.destroy();
  for (const provider of running.splice(0)) await provider.close();
});

async function start(options: Parameters<typeof startProvider>[0]): Promise<{ provider: RunningProvider; events: RequestEvent[] }> {
  const events: RequestEvent[] = [];
  const provider = await startTestProvider({ ...options, onRequest: (event) => events.push(event) });
  running.push(provider);
  return { provider, events };
}

function open(provider: RunningProvider): RawConnection {
  const connection = new RawConnection(provider.port);
  connections.push(connection);
  return connection;
}

const tokenHead = (contentLength: number) => `POST /token HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${contentLength}\r\n\r\n`;
const CHUNKED_TOKEN_HEAD = 'POST /token HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\n\r\n';
const DISCOVERY = 'GET /.well-known/openid-configuration HTTP/1.1\r\nhost: x\r\n\r\n';

/** Waits (bounded) until `count` requests to `path` have been logged. */
async function logged(events: RequestEvent[], path: string, count: number): Promise<RequestEvent[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = events.filter((event) => event.path === path);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${count} requests to ${path} were not logged; the log has ${JSON.stringify(events)}`);
}

/** Waits (bounded) until a logged request matches. */
async function loggedWhere(events: RequestEvent[], matches: (event: RequestEvent) => boolean): Promise<RequestEvent[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const found = events.filter(matches);
    if (found.length) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no such request was logged; the log has ${events.length} requests`);
}

describe('request bodies being read at once have a budget', () => {
  // 100 000 bytes: two 40 000-byte bodies fit, a third does not, a small one still does.
  const BUDGET = 100_000;

  /** Connections the server has surely accepted: each has had a request answered. */
  async function accepted(provider: RunningProvider, count: number): Promise<RawConnection[]> {
    const opened = Array.from({ length: count }, () => open(provider));
    for (const connection of opened) {
      connection.send(DISCOVERY);
      expect((await connection.answer()).status).toBe(200);
    }
    return opened;
  }

  test('over it: 503 temporarily_unavailable with Retry-After and Connection: close, before the body is read; room again once bodies complete or close', async () => {
    const { provider, events } = await start({ maxBodyBytesInFlight: BUDGET });
    const [slowOne, slowTwo, small, refused, chunked] = await accepted(provider, 5);
    // Two slow clients, each having declared 40 000 bytes and sent 1 000.
    slowOne!.send(tokenHead(40_000) + 'a'.repeat(1_000));
    slowTwo!.send(tokenHead(40_000) + 'a'.repeat(1_000));
    // A small body still fits beside them: the budget counts bytes, not requests.
    small!.send(tokenHead(18) + 'grant_type=nothing');
    expect(JSON.parse((await small!.answer()).body).error).toBe('invalid_client');

    refused!.send(tokenHead(40_000));
    const answer = await refused!.answer();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('connection')).toBe('close');
    const retryAfter = Number(answer.headers.get('retry-after'));
    // Room is certain when the oldest body is finished or cut off: 30 s request limit plus one check.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(33);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'temporarily_unavailable',
      error_description: `Mock Google is already reading as many request bodies as it allows at once (0.1 MiB together); try again in about ${retryAfter} s.`,
    });
    await refused!.closed;

    // A chunked body may run to 64 KiB, so that is what it reserves.
    chunked!.send(CHUNKED_TOKEN_HEAD);
    expect((await chunked!.answer()).status).toBe(503);

    // One slow body completes and is answered; the other client goes away.
    slowOne!.send('a'.repeat(39_000));
    expect(JSON.parse((await slowOne!.answer()).body).error).toBe('invalid_client');
    slowTwo!.socket.destroy();
    const log = await logged(events, '/token', 5);
    expect(log[4]).toMatchObject({ status: 0, message: 'the client closed the connection before it was answered (aborted)' });

    // The room is back: on a new connection, the same request is read and answered as usual.
    const [after] = await accepted(provider, 1);
    after!.send(tokenHead(40_000) + 'a'.repeat(40_000));
    const served = await after!.answer();
    expect(served.status).toBe(401);
    expect(JSON.parse(served.body).error).toBe('invalid_client');
  });

  test('while it is spent, new connections are served when they carry no body (discovery, /jwks, the sign-in page); one with a body gets 503 at once and is closed, its body unread', async () => {
    const { provider } = await start({ maxBodyBytesInFlight: BUDGET });
    const [slowOne, slowTwo, probe] = await accepted(provider, 3);
    // All 100 000 bytes reserved: no body fits; the 503 shows they are reserved.
    slowOne!.send(tokenHead(50_000) + 'a');
    slowTwo!.send(tokenHead(50_000) + 'a');
    probe!.send(tokenHead(1));
    expect((await probe!.answer()).status).toBe(503);

    const signInPage = `GET /authorize?client_id=demo-spa&redirect_uri=${encodeURIComponent('http://localhost:5173/callback')}&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256 HTTP/1.1\r\nhost: x\r\n\r\n`;
    for (const request of [DISCOVERY, 'GET /jwks HTTP/1.1\r\nhost: x\r\n\r\n', signInPage]) {
      const fresh = open(provider);
      fresh.send(request);
      const answer = await fresh.answer();
      expect(answer.status).toBe(200);
      expect(answer.headers.get('connection')).toBe('keep-alive');
    }

    // A body of 40 000 bytes, 1 000 sent: answered without waiting for the rest, then closed.
    const refused = open(provider);
    refused.send(tokenHead(40_000) + 'a'.repeat(1_000));
    const answer = await refused.answer();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('connection')).toBe('close');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await refused.closed;
  });

  test('POST /authorize while it is spent: the same 503 with Retry-After and Connection: close, not a 400 page', async () => {
    const { provider } = await start({ maxBodyBytesInFlight: BUDGET });
    const [slowOne, slowTwo, probe, authorize] = await accepted(provider, 4);
    // All 100 000 bytes reserved: not even a small form fits; the 503 shows they are reserved.
    slowOne!.send(tokenHead(50_000) + 'a');
    slowTwo!.send(tokenHead(50_000) + 'a');
    probe!.send(tokenHead(1));
    expect((await probe!.answer()).status).toBe(503);
    const form = `client_id=demo-spa&redirect_uri=${encodeURIComponent('http://localhost:5173/callback')}&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`;
    authorize!.send(`POST /authorize HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${form.length}\r\n\r\n${form}`);
    const answer = await authorize!.answer();
    expect(answer.status).toBe(503);
    expect(answer.headers.get('connection')).toBe('close');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(answer.body).error).toBe('temporarily_unavailable');
    await authorize!.closed;
  });

  test('a body declared over 64 KiB is still 413, not 503, when the budget is spent', async () => {
    const { provider } = await start({ maxBodyBytesInFlight: BUDGET });
    const [slow, refused, tooLarge] = await accepted(provider, 3);
    slow!.send(tokenHead(60_000) + 'a');
    // Answered 503: the budget is spent.
    refused!.send(tokenHead(60_000));
    expect((await refused!.answer()).status).toBe(503);
    tooLarge!.send(tokenHead(MAX_BODY_BYTES + 1));
    expect((await tooLarge!.answer()).status).toBe(413);
  });

  test('a budget smaller than one largest body is a programming error', async () => {
    await expect(startProvider({ port: 0, maxBodyBytesInFlight: MAX_BODY_BYTES - 1 })).rejects.toThrow(TypeError);
    await expect(startProvider({ port: 0, maxConnections: 0 })).rejects.toThrow(TypeError);
  });
});

describe('connections over the cap', () => {
  test('are closed at once, unanswered, while the open ones are served; a place frees when one closes', async () => {
    const { provider } = await start({ maxConnections: 3 });
    // Three keep-alive connections, each answered once, so the server has surely accepted them.
    const kept = [open(provider), open(provider), open(provider)];
    for (const connection of kept) {
      connection.send(DISCOVERY);
      expect((await connection.answer()).status).toBe(200);
    }

    const excess = open(provider);
    excess.send(DISCOVERY);
    await excess.closed;
    expect(excess.received).toBe('');

    // The open connections are served as before.
    for (const connection of kept) {
      connection.send(DISCOVERY);
      expect((await connection.answer()).status).toBe(200);
    }

    // Once one goes away, a new connection is served (the server learns of the close a moment later).
    kept[0]!.socket.destroy();
    await kept[0]!.closed;
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const next = open(provider);
      next.send(DISCOVERY);
      status = await next.answer().then((answer) => answer.status, () => 0);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
  });

  test('the defaults and what the provider reports', async () => {
    const { provider } = await start({});
    expect(provider.connectionLimits).toEqual({ maxConnections: MAX_CONNECTIONS, maxBodyBytesInFlight: MAX_BODY_BYTES_IN_FLIGHT });
    expect(MAX_CONNECTIONS).toBe(256);
    expect(MAX_BODY_BYTES_IN_FLIGHT).toBe(4 * 1024 * 1024);
  });
});

describe('answers a client does not take', () => {
  /** A raw connection that reads nothing until `readAll` is called. */
  async function neverReading(provider: RunningProvider): Promise<Socket> {
    const socket = connect(provider.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    rawSockets.push(socket);
    return socket;
  }

  /** Reads whatever is left and resolves with it once the server has closed the connection (at most 5 s). */
  function readAll(socket: Socket): Promise<string> {
    return new Promise((resolve, reject) => {
      let received = '';
      const guard = setTimeout(() => reject(new Error(`the connection is still open after 5 s of reading; received ${received.length} characters`)), 5_000);
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.once('close', () => {
        clearTimeout(guard);
        resolve(received);
      });
    });
  }

  const JWKS = 'GET /jwks HTTP/1.1\r\nhost: x\r\n\r\n';

  test('a client that pipelines more requests than it takes answers for is closed at once; the others are served, and a client within the limit gets every answer', async () => {
    const { provider, events } = await start({});
    const greedy = await neverReading(provider);
    // 2 000 requests in one write, about 58 KB: Node parses them all from one read.
    greedy.write(JWKS.repeat(2_000));
    const [closed] = await loggedWhere(events, (event) => event.status === 0);
    expect(closed).toMatchObject({ method: 'GET', path: '/jwks', status: 0, message: `the client sent more than ${MAX_UNANSWERED_PER_CONNECTION} requests without taking their answers: connection closed` });
    // When it reads at last: the answers already handed to the OS at most, then the end.
    const received = await readAll(greedy);
    expect(received.split('HTTP/1.1 200 OK').length - 1).toBeLessThanOrEqual(MAX_UNANSWERED_PER_CONNECTION);

    const other = open(provider);
    other.send(DISCOVERY);
    expect((await other.answer()).status).toBe(200);

    const pipelining = open(provider);
    pipelining.send(JWKS.repeat(MAX_UNANSWERED_PER_CONNECTION));
    for (let index = 0; index < MAX_UNANSWERED_PER_CONNECTION; index++) expect((await pipelining.answer()).status).toBe(200);
    expect(MAX_UNANSWERED_PER_CONNECTION).toBe(16);
  });

  test('a client that stops taking its answers gives its place back once nothing moved for the request limit', async () => {
    // 4 500 demo accounts make each sign-in page about 600 KB: 16 of them fill the kernel's buffers.
    const users = Array.from({ length: 4_500 }, (_, index) => ({ sub: `sub-${index}`, email: `user-${index}@example.com`, password: `password-${index}`, name: `User ${index}` }));
    const { provider } = await start({ maxConnections: 1, users, timeouts: { headersMs: 200, requestMs: 400 } });
    const stalled = await neverReading(provider);
    const signInPage = `GET /authorize?client_id=demo-spa&redirect_uri=${encodeURIComponent('http://localhost:5173/callback')}&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256 HTTP/1.1\r\nhost: x\r\n\r\n`;
    stalled.write(signInPage.repeat(MAX_UNANSWERED_PER_CONNECTION));

    // While it holds the only place, a new connection is closed unanswered; once the server lets it go, one is served.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 200 && statuses.at(-1) !== 200; attempt++) {
      const next = open(provider);
      next.send(DISCOVERY);
      statuses.push(await next.answer().then((answer) => answer.status, () => 0));
      if (statuses.at(-1) !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(statuses[0]).toBe(0);
    expect(statuses.at(-1)).toBe(200);
    // What the stalled client gets when it reads at last: less than its 16 pages, then the end.
    const received = await readAll(stalled);
    expect(received.length).toBeLessThan(MAX_UNANSWERED_PER_CONNECTION * 600_000);
  });
});
