// A bounded, seeded robustness fuzzer for Mock Google: raw requests over node:net with malformed
// request lines, targets, headers, bodies and tokens. After every batch the provider must still
// answer discovery with 200. The test suite runs it small (test/provider/fuzz.test.ts); run it
// larger by hand: `node bench/fuzz.mjs [requests] [seed]` starts the built provider itself.
//
//   fuzzProvider({ port, requests, seed }) → { counts: { '200': n, '400': n, …, none: n, timeout: n },
//                                              serverErrors: [{ status, request }], batches }

import { connect } from 'node:net';

const CALLBACK = 'http://127.0.0.1:8080/callback';
const PATHS = ['/', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks', '/authorize', '/token', '/userinfo', '/revoke', '/introspect', '/logout'];
const METHODS = ['GET', 'POST', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'get', 'CONNECT', 'TRACE', 'FOO', 'G\u0000T', ''];
const ODD_TEXT = ['', ' ', '\u0000', '\r\n', '\u001b[2J', '\u202e', '\u0100', '\u{1f600}', '\ud800', '"', '\\', "'", '<script>', '%', '%zz', '%e0%80', '+', '&', '=', '#', '?', '..', '../../etc/passwd', 'null', 'undefined', '__proto__', 'constructor', 'a'.repeat(2000)];
const BAD_TARGETS = ['http://a:b:c/', 'http://[/', 'http://x:99999/', 'http://%zz/', 'http://[::1:0/token', 'https://user:pass@host/token', 'ftp://x/token', 'javascript:alert(1)', '*', '//evil.example/token', 'http://', 'token', '/%', '/%zz', '/%00', '/\u00ff', '/..%2f..%2fetc', '/interaction/../token'];

/** mulberry32: a small, good-enough seeded generator, so a failing seed can be replayed. */
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max) => Math.floor(next() * max);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => next() < p;
  const text = (max = 40) => {
    if (chance(0.3)) return pick(ODD_TEXT);
    let out = '';
    const length = int(max);
    for (let i = 0; i < length; i++) {
      const kind = int(10);
      out += kind < 6 ? String.fromCharCode(0x20 + int(95)) : kind < 8 ? String.fromCharCode(int(0x100)) : String.fromCodePoint(int(0x110000));
    }
    return out;
  };
  return { next, int, pick, chance, text };
}

// encodeURIComponent throws on a lone surrogate, which the generator makes on purpose.
const encode = (text) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};
const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT-like string: crafted headers (crit, alg, kid, jku, unicode), random claims and signature. */
function fuzzToken(random, realTokens) {
  if (realTokens.length && random.chance(0.3)) {
    // A real token, mutated: one character flipped, a segment swapped, or its header replaced.
    const [header, payload, signature] = random.pick(realTokens).split('.');
    const choice = random.int(4);
    if (choice === 0) return `${header}.${payload}.${signature.slice(0, -2)}${random.pick(['AA', '__', '--'])}`;
    if (choice === 1) return `${b64({ ...JSON.parse(Buffer.from(header, 'base64url').toString()), alg: random.pick(['none', 'HS256', 'RS256', 'ES256']) })}.${payload}.${signature}`;
    if (choice === 2) return `${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: random.text(20), scope: random.text(20) })}.${signature}`;
    return `${header}.${payload}.`;
  }
  if (random.chance(0.15)) return random.text(200);
  const header = {};
  if (random.chance(0.9)) header.alg = random.pick(['none', 'None', 'nOnE', 'HS256', 'RS256', 'ES256', 'PS256', 'EdDSA', 'RSA-OAEP', '', 123, null, {}, random.text(10)]);
  if (random.chance(0.5)) header.typ = random.pick(['JWT', 'at+jwt', 'AT+JWT', 'application/at+jwt', random.text(10)]);
  if (random.chance(0.4)) header.crit = random.pick([[random.text(8)], ['\u0100'], ['b64'], ['exp'], [], 'x', [1], [random.text(300)]]);
  if (random.chance(0.4)) header.kid = random.pick([random.text(30), '../../../dev/null', 'a'.repeat(5000), 0, null]);
  if (random.chance(0.2)) header.jku = random.pick(['http://127.0.0.1:1/jwks', 'file:///etc/passwd', random.text(20)]);
  if (random.chance(0.1)) header.jwk = { kty: 'oct', k: b64(random.text(10)) };
  if (random.chance(0.1)) header.b64 = false;
  const payload = random.chance(0.1) ? random.text(50) : { sub: random.text(12), iss: random.pick(['http://127.0.0.1', random.text(10)]), aud: random.text(8), exp: random.pick([0, 1e20, -1, '1', Date.now() / 1000 + 60]), scope: random.pick(['openid', 'openid profile email', random.text(20)]) };
  const parts = [b64(header), typeof payload === 'string' ? payload : b64(payload), random.pick(['', 'c2ln', b64(random.text(64)), '!!!'])];
  if (random.chance(0.1)) parts.push('extra');
  if (random.chance(0.05)) parts.splice(1, 1);
  return parts.join('.');
}

function form(random, fields) {
  const pairs = Object.entries(fields).filter(() => random.chance(0.85));
  if (random.chance(0.2)) pairs.push([random.text(10), random.text(20)]);
  if (random.chance(0.1) && pairs.length) pairs.push(random.pick(pairs));
  let body = pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
  if (random.chance(0.1)) body += random.pick(['&%zz=1', '&=', '&&', '%', '&a=%e0%80']);
  return body;
}

/** Parameters for an endpoint: mostly plausible, sometimes wrong, sometimes hostile. */
function fieldsFor(path, random, realTokens) {
  const maybe = (good) => (random.chance(0.6) ? good : random.text());
  const token = () => fuzzToken(random, realTokens);
  switch (path) {
    case '/token':
      return {
        grant_type: maybe(random.pick(['authorization_code', 'refresh_token', 'client_credentials', 'password'])),
        code: maybe(b64(random.text(32))),
        code_verifier: maybe('a'.repeat(43 + random.int(100))),
        redirect_uri: maybe(CALLBACK),
        client_id: maybe(random.pick(['demo-app', 'demo-spa'])),
        client_secret: maybe('demo-secret'),
        refresh_token: maybe(b64(random.text(32))),
        scope: maybe(random.pick(['openid', 'admin root', ''])),
      };
    case '/userinfo':
      return { access_token: token() };
    case '/revoke':
    case '/introspect':
      return { token: token(), token_type_hint: maybe(random.pick(['access_token', 'refresh_token'])), client_id: maybe(random.pick(['demo-app', 'demo-spa'])), client_secret: maybe('demo-secret') };
    case '/authorize':
      return {
        response_type: maybe('code'),
        client_id: maybe(random.pick(['demo-app', 'demo-spa'])),
        redirect_uri: maybe(random.pick([CALLBACK, 'http://127.0.0.1:9/callback', 'https://evil.example/cb'])),
        scope: maybe(random.pick(['openid', 'openid profile email offline_access'])),
        state: random.text(60),
        nonce: random.text(60),
        code_challenge: maybe(b64(random.text(32)).padEnd(43, 'A').slice(0, 43)),
        code_challenge_method: maybe('S256'),
        login_hint: maybe(random.pick(['asha@example.com', 'ravi@example.com'])),
        prompt: maybe(random.pick(['login', 'consent', 'none'])),
        request: token(),
      };
    case '/logout':
      return { id_token_hint: token(), post_logout_redirect_uri: maybe('http://127.0.0.1:8080/'), client_id: maybe('demo-app'), state: random.text(20) };
    default:
      if (path.endsWith('/login')) return { email: maybe('asha@example.com'), password: maybe('mango-lassi-42') };
      if (path.endsWith('/consent')) return { decision: maybe(random.pick(['allow', 'deny'])) };
      return { [random.text(8)]: random.text(20) };
  }
}

function interactionPath(random) {
  const id = random.chance(0.8) ? b64(random.text(40)).padEnd(43, 'x').slice(0, 43) : random.text(43);
  return `/interaction/${id}/${random.pick(['login', 'consent', 'other'])}`;
}

/** One request as raw bytes (latin1: every char below 256 is one byte, others are cut to a byte). */
function fuzzRequest(random, realTokens) {
  const kind = random.int(10);
  let path = random.chance(0.8) ? random.pick(PATHS) : interactionPath(random);
  let method = random.pick(['GET', 'POST', 'POST', 'OPTIONS']);
  let target = path;
  let version = 'HTTP/1.1';
  const headers = [['host', '127.0.0.1']];
  let body = '';

  const fields = fieldsFor(path.startsWith('/interaction/') ? path : path, random, realTokens);
  if (method === 'GET' && random.chance(0.7)) target += `?${form(random, fields)}`;
  if (method === 'POST') {
    body = form(random, fields);
    headers.push(['content-type', random.pick(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'text/plain', '', random.text(20)])]);
  }
  if (random.chance(0.3)) headers.push(['authorization', random.pick([`Bearer ${fuzzToken(random, realTokens)}`, `Basic ${Buffer.from(`${random.text(10)}:${random.text(10)}`).toString('base64')}`, `Basic ${random.text(20)}`, 'Basic ZGVtby1hcHA6ZGVtby1zZWNyZXQ=', `DPoP ${random.text(30)}`, random.text(40)])]);
  if (random.chance(0.15)) headers.push(['origin', random.pick(['http://127.0.0.1:3000', 'null', random.text(20)])]);
  if (random.chance(0.1)) headers.push(['cookie', `mg_interaction=${random.text(43)}`]);

  switch (kind) {
    case 0: // the request line itself
      method = random.pick(METHODS);
      version = random.pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', 'http/1.1', '', random.text(8)]);
      if (random.chance(0.3)) target = random.text(30);
      break;
    case 1: // the target: absolute-form, bad percent-encoding, control characters, huge
      target = random.chance(0.5) ? random.pick(BAD_TARGETS) : random.pick([
        `http://127.0.0.1${path}`,
        `${path}?${random.text(30)}`,
        `${path}%${random.text(2)}`,
        `${path}?state=${'%'.repeat(random.int(50))}`,
        `${path}?x=${'y'.repeat(1000 + random.int(20_000))}`,
        `${path}\u0001\u007f`,
        `${path}?a=\u001b[31m`,
        `/${random.text(200)}`,
      ]);
      break;
    case 2: // headers: duplicates, oversize, bad names and values
      for (let i = random.int(4); i >= 0; i--) {
        headers.push(random.pick([
          ['content-length', random.pick(['0', '5', '-1', '1e3', '99999999999999999999', ' 3', '3, 4', random.text(5)])],
          ['host', random.text(20)],
          ['x-big', 'a'.repeat(random.int(20_000))],
          [random.text(10), random.text(10)],
          ['authorization', 'Bearer a'], ['authorization', 'Bearer b'],
          ['content-type', 'application/x-www-form-urlencoded'],
          ['transfer-encoding', random.pick(['chunked', 'gzip, chunked', 'identity', 'chunked, chunked', random.text(8)])],
          ['expect', '100-continue'],
          ['connection', random.pick(['upgrade', 'keep-alive, close', random.text(8)])],
          ['upgrade', 'websocket'],
          [' folded', 'x'],
          ['x-folded', 'a\r\n b'],
          ['x-nul', 'a\u0000b'],
        ]));
      }
      if (random.chance(0.2)) for (let i = 0; i < 120; i++) headers.push([`x-many-${i}`, 'v']);
      break;
    case 3: // chunked bodies, good and garbage
      method = 'POST';
      headers.push(['transfer-encoding', 'chunked']);
      body = random.pick([
        `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
        `zz\r\n${body}\r\n0\r\n\r\n`,
        `ffffffffffffffff\r\n${body}`,
        `3;${'e'.repeat(random.int(20_000))}\r\nabc\r\n0\r\n\r\n`,
        `${random.text(20)}\r\n`,
        '0\r\nx-trailer: \u0000\r\n\r\n',
      ]);
      break;
    case 4: // a content-length that does not match the body
      method = 'POST';
      headers.push(['content-length', String(random.pick([0, 1, body.length + 10, 70_000, body.length]))]);
      break;
    case 5: // a body over 64 KiB, or a huge form
      method = 'POST';
      body = `${form(random, fields)}&pad=${'p'.repeat(60_000 + random.int(20_000))}`;
      break;
    default: // plausible requests with hostile values (kinds 6–9)
      break;
  }
  if (method === 'POST' && kind !== 3 && kind !== 4 && random.chance(0.95)) headers.push(['content-length', String(Buffer.byteLength(body, 'latin1'))]);
  if (random.chance(0.5)) headers.push(['connection', 'close']);
  const head = `${method} ${target} ${version}`.trimEnd() + '\r\n' + headers.map(([name, value]) => `${name}: ${value}`).join('\r\n') + '\r\n\r\n';
  return head + body;
}

/** Sends raw bytes and reads the answer's status line; 'none' when the server closed without one. */
function send(port, host, bytes, timeoutMs, halfCloseAfterMs) {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let answer = '';
    let settled = false;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    // Node aborts a request whose client half-closes at once, so the end of the request is
    // signalled a little later: long enough for an answer, short enough for an incomplete body.
    socket.on('connect', () => {
      socket.write(Buffer.from(bytes, 'latin1'));
      setTimeout(() => socket.end(), halfCloseAfterMs).unref();
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      // The status line is all that is needed; the rest of the answer is not waited for.
      // 100 Continue comes before the real answer: skip it.
      while (/^HTTP\/1\.[01] 100 /.test(answer) && answer.includes('\r\n\r\n')) answer = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(answer);
      if (status && status[1] !== '100') finish(status[1]);
      else if (answer.length > 256 || (answer.length >= 8 && !answer.startsWith('HTTP/'))) finish('unparsable');
    });
    socket.on('error', () => finish(answer ? 'unparsable' : 'none'));
    socket.on('close', () => finish('none'));
  });
}

async function discoveryStatus(port, host) {
  const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();
  return response.status;
}

/** A real access token and ID token, when the provider auto-approves, so mutations of real tokens are tried too. */
async function realTokensFrom(port, host) {
  try {
    const base = `http://${host}:${port}`;
    const verifier = 'v'.repeat(43);
    const { createHash } = await import('node:crypto');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = await fetch(`${base}/authorize?response_type=code&client_id=demo-spa&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=openid%20profile%20offline_access&code_challenge=${challenge}&code_challenge_method=S256&state=s&nonce=n`, { redirect: 'manual' });
    const code = new URL(authorize.headers.get('location') ?? 'http://x/').searchParams.get('code');
    if (!code) return [];
    const tokens = await (await fetch(`${base}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CALLBACK, client_id: 'demo-spa' }) })).json();
    return [tokens.access_token, tokens.id_token].filter((token) => typeof token === 'string');
  } catch {
    return [];
  }
}

/**
 * Sends `requests` fuzzed requests (batches of `batchSize`, `concurrency` at a time) to the
 * provider on `port`, and after each batch checks that discovery still answers 200; throws if
 * it does not. Returns how many answers had each status, and every 5xx with its request.
 */
export async function fuzzProvider({ port, host = '127.0.0.1', requests = 3000, seed = 1, batchSize = 250, concurrency = 16, timeoutMs = 5_000, halfCloseAfterMs = 250, afterBatch } = {}) {
  const random = generator(seed);
  const realTokens = await realTokensFrom(port, host);
  const counts = {};
  const serverErrors = [];
  let sent = 0;
  let batches = 0;
  while (sent < requests) {
    const batch = [];
    for (let i = 0; i < Math.min(batchSize, requests - sent); i++) batch.push(fuzzRequest(random, realTokens));
    sent += batch.length;
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < batch.length) {
        const bytes = batch[next++];
        const outcome = await send(port, host, bytes, timeoutMs, halfCloseAfterMs);
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        if (/^5/.test(outcome)) serverErrors.push({ status: Number(outcome), request: bytes.slice(0, 2000) });
      }
    }));
    batches++;
    const alive = await discoveryStatus(port, host).catch((error) => `no answer (${error.message})`);
    if (alive !== 200) throw new Error(`After batch ${batches} (seed ${seed}, ${sent} requests) the provider does not answer discovery: ${alive}.`);
    await afterBatch?.({ batch: batches, sent });
  }
  return { counts, serverErrors, batches, requests: sent, realTokens: realTokens.length };
}

// `node bench/fuzz.mjs [requests] [seed]`: starts the built provider (dist/) in this process and fuzzes it.
if (import.meta.url === `file://${process.argv[1]}`) {
  const requests = Number(process.argv[2] ?? 40_000);
  const seed = Number(process.argv[3] ?? Date.now() % 100_000);
  const { startProvider } = await import('../dist/provider.js');
  const provider = await startProvider({ port: 0, autoApprove: true });
  const started = performance.now();
  const result = await fuzzProvider({ port: provider.port, requests, seed });
  const seconds = (performance.now() - started) / 1000;
  await provider.close();
  console.log(JSON.stringify({ seed, requests: result.requests, seconds: Number(seconds.toFixed(1)), counts: result.counts, serverErrors: result.serverErrors.length }));
  if (result.serverErrors.length) {
    console.error(result.serverErrors.slice(0, 5));
    process.exitCode = 1;
  }
}
