// Memory benchmark: fills every store of Mock Google to its real default cap over HTTP, with the
// largest inputs the limits allow, and reports the provider's peak RSS against its budget.
// The provider (the built dist/provider.js) runs in a child process, so the RSS is its own.
//
//   node bench/memory.mjs            prints a Markdown table
//   import { measureMemory } from './memory.mjs'; const result = await measureMemory();
//     → { budgetMb, peakRssMb, rssMb, heapUsedMb, baselineRssMb, withinBudget, seconds, stores: [...] }
//
// The phases, each until the store answers "full" (503) or holds its cap:
//  1. grants and refresh tokens: complete code flows (auto-approve, scope offline_access), each
//     a recorded grant and a refresh token (that store evicts its oldest past its cap);
//  2. revoked access tokens: the access tokens of phase 1 revoked one by one;
//  3. revoked grants: the provider's clock moves 61 s on (the used codes of phase 1 expire),
//     then code flows whose code is replayed, each revoking its grant;
//  4. codes: codes with a 1 KiB nonce and state, never redeemed;
//  5. sign-ins: auto-approve off, sign-ins waiting at the page with state, nonce and login_hint at
//     1 KiB each, until the store is at its cap (then it forgets the oldest: never a 503);
//  6. device codes and user codes (RFC 8628): device authorizations for every scope, each taken
//     through the pages at /device (code entered, sign-in, consent allowed), so each record holds
//     the browser, the user and the grant too; as many as the store holds (it forgets the oldest);
//  7. DPoP proofs seen: client_credentials at /token, each with a proof whose jti is as long as
//     the 16 KiB header limit allows (about 11.5 KiB), until 503; each proof by a new key (one
//     key may have only 1 000 proofs accepted in 5 minutes), so the per-key counts fill too;
//  8. client assertions seen: client_credentials by a private_key_jwt client (registered through
//     the provider's clients option), each assertion's jti as long as the 8 KiB limit allows
//     (about 5.8 KiB) and its exp the 5 minutes allowed, until 503. Both stores keep a SHA-256
//     of the jti, so the long jti costs only while its request is read and checked;
//  9. wrong user codes: 1 KiB wrong codes up to the per-address limit (5 a minute; the whole
//     loopback block 127.0.0.0/8 counts as one address), then one more, answered 429. The store
//     cannot be filled from one machine any more: the provider-wide ceiling (60 wrong codes a
//     minute from every address together) lets at most 60 new addresses in a minute.
// Then, with every store full, what a flood of slow clients can add (raw sockets, never finished):
// 10. slow headers: the connection cap plus 100, each with 16 KiB of headers and no end to
//     them; Node closes those over the cap. Then as many are let go as bodies fit the budget,
//     and 32 more;
// 11. unfinished bodies: 8 000 connections one after the other (the security review's flood),
//     each POST /token with 16 KiB of headers, Content-Length 65 536 and one byte short of it;
//     the provider reads as many as its body budget holds, and answers the rest 503 at once,
//     their bodies unread, and closes them.
// So at the end every place is taken, the costliest way. Both are measured within seconds,
// inside the provider's 10 s headers limit. Then, with those let go:
// 12. pipelined requests never read: the connection cap, each sending 256 KiB of pipelined
//     GET /jwks in one write and reading nothing (the second review's attack); the provider
//     closes each past 16 unanswered requests.
// Each 1 KiB value has one character beyond Latin-1, so V8 keeps it at two bytes a character:
// the costliest form a value within the limit can take.

import { fork } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { Client } from './http-client.mjs';

const here = fileURLToPath(import.meta.url);
export const BUDGET_MB = 256;
// The heap limit the provider runs with here, as in a 256 MB container (NODE_OPTIONS=
// --max-old-space-size=192): the rest of the budget is code, stacks and socket buffers. Without a
// limit, Node's is about 4 GB and V8 collects late: the same floods then peak around 260 MB of RSS
// with 56 MB live after a GC. With it, V8 collects before it grows, and a store that outgrew its
// cap would end the child (an out-of-memory exit), which the driver reports.
export const HEAP_LIMIT_MB = 192;
const REDIRECT_URI = 'http://127.0.0.1:65535/callback';
const BASIC = `Basic ${Buffer.from('demo-app:demo-secret').toString('base64')}`;
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const FORM = { authorization: BASIC, ...FORM_TYPE };
// The private_key_jwt client of phase 8: only its public key is given to the provider.
const KEY_CLIENT_ID = 'bench-key-client';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_CLIENT_ASSERTION_BYTES = 8192;
const MAX_HEADER_BYTES = 16 * 1024;
const PARALLEL = 32;
const megabytes = (bytes) => Number((bytes / 1024 / 1024).toFixed(1));

/** A value of exactly 1 024 UTF-8 bytes that V8 must store two bytes a character. */
function largest(tag) {
  const head = `${tag}-${randomBytes(6).toString('hex')}-`;
  return head + 'x'.repeat(1024 - head.length - 3) + '日';
}

// ---- the child: one provider with the default limits, a clock the parent can move ----

async function serveProvider(clientJwk) {
  const { startProvider, DEFAULT_CLIENTS } = await import('../dist/provider.js');
  let offsetMs = 0;
  const keyClient = { client_id: KEY_CLIENT_ID, redirect_uris: [REDIRECT_URI], jwks: { keys: [clientJwk] }, scopes: ['orders:read', 'orders:write'] };
  const provider = await startProvider({ port: 0, autoApprove: true, nowMs: () => Date.now() + offsetMs, clients: [...DEFAULT_CLIENTS, keyClient] });
  const baselineRss = process.memoryUsage().rss;
  // Each store's fullest moment: grants and revoked grants share their room, so they are full one after the other.
  const fullest = {};
  const noteFullest = () => {
    for (const [name, size] of Object.entries(provider.state.sizes())) {
      if (!fullest[name] || size.bytes > fullest[name].bytes || size.entries > fullest[name].entries) fullest[name] = size;
    }
  };
  process.on('message', (message) => {
    noteFullest();
    if (message.type === 'stop') process.exit(0);
    if (message.type === 'advance') offsetMs += message.seconds * 1000;
    if (message.type === 'autoApprove') provider.state.config.autoApprove = message.value;
    if (message.type === 'connections') {
      provider.openConnections().then((count) => process.send({ type: 'connections', count }));
    } else if (message.type === 'sizes') {
      process.send({ type: 'sizes', sizes: provider.state.sizes() });
    } else if (message.type === 'peak') {
      process.send({ type: 'peak', maxRss: process.resourceUsage().maxRSS * 1024 });
    } else if (message.type === 'report') {
      globalThis.gc?.();
      const memory = process.memoryUsage();
      // maxRSS is the kernel's high-water mark for this process, in KiB.
      process.send({ type: 'report', baselineRss, rss: memory.rss, heapUsed: memory.heapUsed, maxRss: process.resourceUsage().maxRSS * 1024, sizes: fullest });
    } else {
      process.send({ type: 'done' });
    }
  });
  process.send({ type: 'ready', issuer: provider.issuer, port: provider.port, connectionLimits: provider.connectionLimits, storeCaps: Object.fromEntries(Object.entries(provider.state.sizes()).map(([name, size]) => [name, size.maxEntries])) });
}

// ---- the parent: the driver ----

function startChild(clientJwk) {
  const child = fork(here, ['--provider-child', JSON.stringify(clientJwk)], { execArgv: ['--expose-gc', `--max-old-space-size=${HEAP_LIMIT_MB}`], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = (type) => new Promise((resolve, reject) => {
    const exited = (code) => reject(new Error(`the provider exited (${code})`));
    const listener = (message) => {
      if (message.type !== type) return;
      child.off('message', listener);
      child.off('exit', exited);
      resolve(message);
    };
    child.on('message', listener);
    child.once('exit', exited);
  });
  const ask = (message, reply = 'done') => {
    const answer = next(reply);
    child.send(message);
    return answer;
  };
  return { child, ready: next('ready'), ask };
}

/** Runs `task` on PARALLEL keep-alive connections until each has seen "full" or `limit` tasks ran. */
async function fillUntilFull(clients, task, limit) {
  let started = 0;
  let done = 0;
  let full = false;
  await Promise.all(clients.map(async (client) => {
    while (!full && started < limit) {
      const index = started++;
      if ((await task(client, index)) === 'full') full = true;
      else done++;
    }
  }));
  return done;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizePath(issuer, parameters) {
  const url = new URL(`${issuer}/authorize`);
  for (const [name, value] of Object.entries({ response_type: 'code', client_id: 'demo-app', redirect_uri: REDIRECT_URI, code_challenge_method: 'S256', ...parameters })) url.searchParams.set(name, value);
  return url.href;
}

// ---- phases 10 to 12: raw connections that never finish their request ----

const FLOOD = 8_000;
const PIPELINED_BYTES = 256 * 1024;
const MAX_UNANSWERED = 16;
const REFUSAL_PLACES = 32;
const OVER_THE_CAP = 100;
const SETTLE_MS = 500;
const SETTLE_AT_MOST_MS = 2_000;
// Just under Node's 16 KiB limit for the request line and headers together.
const LARGEST_HEADERS = (path) => {
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\n`;
  return `${head}x-padding: ${'h'.repeat(16 * 1024 - head.length - 200)}\r\n`;
};

/** Opens a connection, writes `bytes` and never finishes; records whether it was answered or closed. */
async function holdConnection(port, bytes) {
  const socket = connect(port, '127.0.0.1');
  const held = { socket, answer: '', closed: false };
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => (held.answer += chunk));
  socket.on('error', () => undefined);
  socket.on('close', () => (held.closed = true));
  await new Promise((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  if (!held.closed) socket.write(bytes);
  return held;
}

/** Opens a connection, writes `bytes` in one go and reads nothing (no data listener: paused). */
async function neverReading(port, bytes) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  if (!socket.destroyed) socket.write(bytes);
  return socket;
}

/** Waits until no connection changed for SETTLE_MS (at most SETTLE_AT_MOST_MS), then counts them. */
async function settle(connections) {
  const count = () => {
    const counts = { open: 0, answered503: 0, closedUnanswered: 0, other: 0 };
    for (const connection of connections) {
      if (connection.answer.startsWith('HTTP/1.1 503')) counts.answered503++;
      else if (connection.answer) counts.other++;
      else if (connection.closed) counts.closedUnanswered++;
      else counts.open++;
    }
    return counts;
  };
  const deadline = performance.now() + SETTLE_AT_MOST_MS;
  let last = JSON.stringify(count());
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const now = JSON.stringify(count());
    if (now === last) break;
    last = now;
  }
  return count();
}

function expectStatus(response, statuses, what) {
  if (!statuses.includes(response.status)) throw new Error(`${what} answered ${response.status}: ${response.body.slice(0, 200)}`);
}

export async function measureMemory() {
  // The key of phase 8's client: ES256, as a client would choose.
  const clientKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const provider = startChild(clientKey.publicKey.export({ format: 'jwk' }));
  try {
    return await measureWith(provider, clientKey);
  } finally {
    // Whatever went wrong, no provider is left running behind the benchmark.
    if (provider.child.exitCode === null) provider.child.kill();
  }
}

/** A jti of exactly `length` characters, unique: a counter, then padding. */
const paddedJti = (index, length) => `${index}-${randomBytes(6).toString('hex')}-`.padEnd(length, 'j');

/** The longest jti with which `sign(jti)` stays within `limit` characters (base64url: 4 for each 3 more). */
async function longestJti(sign, limit) {
  const probe = 64;
  let length = probe + Math.floor(((limit - (await sign('j'.repeat(probe))).length) * 3) / 4);
  while ((await sign('j'.repeat(length))).length > limit) length--;
  return length;
}

/** The browser cookie of a set-cookie list, as name=value. */
const cookieNamed = (response, name) => (response.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]).find((pair) => pair.startsWith(`${name}=`));

async function measureWith(provider, clientKey) {
  const began = performance.now();
  const { issuer, port, connectionLimits, storeCaps } = await provider.ready;
  // The provider's clock, which phase 3 moves on: proofs and assertions are dated by it.
  let clockOffsetMs = 0;
  const providerSeconds = () => Math.floor((Date.now() + clockOffsetMs) / 1000);
  const clients = Array.from({ length: PARALLEL }, () => new Client());
  const phases = [];
  const phase = async (name, run) => {
    const t0 = performance.now();
    const requests = await run();
    const { maxRss } = await provider.ask({ type: 'peak' }, 'peak');
    phases.push({ name, requests, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)), peakRssMb: megabytes(maxRss) });
  };

  // 1. Grants and refresh tokens.
  const accessTokens = [];
  await phase('grants and refresh tokens (code flows)', async () => {
    const flows = await fillUntilFull(clients, async (client) => {
      const { verifier, challenge } = pkce();
      const authorize = await client.send('GET', authorizePath(issuer, { scope: 'profile email offline_access', code_challenge: challenge, state: 's' }));
      if (authorize.status === 503) return 'full';
      expectStatus(authorize, [302], 'authorize');
      const code = new URL(authorize.headers.location).searchParams.get('code');
      const token = await client.send('POST', `${issuer}/token`, { headers: FORM, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString() });
      if (token.status === 503) return 'full';
      expectStatus(token, [200], 'token');
      accessTokens.push(JSON.parse(token.body).access_token);
      return 'ok';
    }, Number.POSITIVE_INFINITY);
    return flows * 2;
  });

  // 2. Revoked access tokens.
  await phase('revoked access tokens', () => fillUntilFull(clients, async (client, index) => {
    const response = await client.send('POST', `${issuer}/revoke`, { headers: FORM, body: `token=${accessTokens[index]}` });
    if (response.status === 503) return 'full';
    expectStatus(response, [200], 'revoke');
    return 'ok';
  }, accessTokens.length));

  // 3. Revoked grants: the provider's clock moves 61 s on (the used codes of phase 1 expire), then
  // flows whose code is replayed, which revokes the grant (RFC 6749 §4.1.2).
  await provider.ask({ type: 'advance', seconds: 61 });
  clockOffsetMs += 61_000;
  await phase('revoked grants (codes replayed)', async () => {
    const flows = await fillUntilFull(clients, async (client) => {
      const { verifier, challenge } = pkce();
      const authorize = await client.send('GET', authorizePath(issuer, { scope: 'profile email offline_access', code_challenge: challenge, state: 's' }));
      if (authorize.status === 503) return 'full';
      expectStatus(authorize, [302], 'authorize');
      const redeem = new URLSearchParams({ grant_type: 'authorization_code', code: new URL(authorize.headers.location).searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString();
      const token = await client.send('POST', `${issuer}/token`, { headers: FORM, body: redeem });
      if (token.status === 503) return 'full';
      expectStatus(token, [200], 'token');
      const replay = await client.send('POST', `${issuer}/token`, { headers: FORM, body: redeem });
      expectStatus(replay, [400], 'replayed code');
      return 'ok';
    }, storeCaps.revokedGrants);
    return flows * 3;
  });

  // 4. Codes with a 1 KiB nonce.
  await phase('codes (1 KiB nonce and state)', () => fillUntilFull(clients, async (client) => {
    const response = await client.send('GET', authorizePath(issuer, { scope: 'openid profile email offline_access', code_challenge: pkce().challenge, state: largest('state'), nonce: largest('nonce') }));
    if (response.status === 503) return 'full';
    expectStatus(response, [302], 'authorize');
    return 'ok';
  }, Number.POSITIVE_INFINITY));

  // 5. Sign-ins waiting at the page.
  await provider.ask({ type: 'autoApprove', value: false });
  // A full store forgets its oldest sign-in rather than answer 503: filled in rounds until one more
  // entry of the size so far would not fit, at most as many requests as it has entries.
  await phase('sign-ins (state, nonce, login_hint at 1 KiB)', async () => {
    let sent = 0;
    for (;;) {
      const { sizes: { interactions } } = await provider.ask({ type: 'sizes' }, 'sizes');
      const full = interactions.entries >= interactions.maxEntries || (interactions.entries > 0 && interactions.bytes + interactions.bytes / interactions.entries > interactions.maxBytes);
      if (full || sent >= storeCaps.interactions) return sent;
      const round = Math.min(PARALLEL * 16, storeCaps.interactions - sent);
      sent += await fillUntilFull(clients, async (client) => {
        const response = await client.send('GET', authorizePath(issuer, { scope: 'openid profile email offline_access', code_challenge: pkce().challenge, state: largest('state'), nonce: largest('nonce'), login_hint: largest('hint') }));
        expectStatus(response, [200], 'authorize');
        return 'ok';
      }, round);
    }
  });

  // 6. Device codes, each taken through the pages to consent (auto-approve is off since phase 5).
  const { DEFAULT_USERS } = await import('../dist/provider.js');
  const signIn = new URLSearchParams({ email: DEFAULT_USERS[0].email, password: DEFAULT_USERS[0].password }).toString();
  // The code form's token is double-submitted (page and cookie): any value, the same in both.
  const formToken = randomBytes(32).toString('base64url');
  await phase('device codes and user codes (every scope, each entered, signed in and allowed at /device)', async () => {
    const flows = await fillUntilFull(clients, async (client) => {
      const started = await client.send('POST', `${issuer}/device_authorization`, { headers: FORM, body: 'scope=openid+profile+email+offline_access' });
      expectStatus(started, [200], 'device authorization');
      const userCode = JSON.parse(started.body).user_code;
      const entered = await client.send('POST', `${issuer}/device`, { headers: { ...FORM_TYPE, cookie: `mg_device_form=${formToken}` }, body: new URLSearchParams({ form_token: formToken, user_code: userCode }).toString() });
      expectStatus(entered, [200], 'user code');
      const browser = { ...FORM_TYPE, cookie: cookieNamed(entered, 'mg_device') };
      const codePath = `${issuer}/device/${userCode.replace('-', '')}`;
      expectStatus(await client.send('POST', `${codePath}/login`, { headers: browser, body: signIn }), [200], 'device sign-in');
      expectStatus(await client.send('POST', `${codePath}/consent`, { headers: browser, body: 'decision=allow' }), [200], 'device consent');
      return 'ok';
    }, storeCaps.deviceCodes);
    return flows * 4;
  });

  // 7. DPoP proofs, each with the longest jti the header limit lets through.
  // A new P-256 key for each proof (about 0.1 ms): every P-256 JWK has the same length.
  const dpopProof = (jti) => {
    const dpopKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const dpopJwk = dpopKey.publicKey.export({ format: 'jwk' });
    return new SignJWT({ htm: 'POST', htu: `${issuer}/token` }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: dpopJwk }).setJti(jti).setIssuedAt(providerSeconds()).sign(dpopKey.privateKey);
  };
  const dpopBody = 'grant_type=client_credentials';
  // Everything of the request but the proof, with room to spare for the port's and the date's digits.
  const dpopRest = `POST /token HTTP/1.1\r\nhost: ${new URL(issuer).host}\r\n${Object.entries(FORM).map(([name, value]) => `${name}: ${value}\r\n`).join('')}dpop: \r\ncontent-length: ${dpopBody.length}\r\n\r\n`;
  const dpopJtiLength = await longestJti(dpopProof, MAX_HEADER_BYTES - dpopRest.length - 64);
  await phase(`DPoP proofs (client_credentials, a ${dpopJtiLength}-character jti in each proof)`, () => fillUntilFull(clients, async (client, index) => {
    const response = await client.send('POST', `${issuer}/token`, { headers: { ...FORM, dpop: await dpopProof(paddedJti(index, dpopJtiLength)) }, body: dpopBody });
    if (response.status === 503) return 'full';
    expectStatus(response, [200], 'token with a DPoP proof');
    return 'ok';
  }, Number.POSITIVE_INFINITY));

  // 8. Client assertions, each as long as the limit allows and living the 5 minutes allowed.
  const assertion = (jti) => new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer(KEY_CLIENT_ID).setSubject(KEY_CLIENT_ID).setAudience(`${issuer}/token`).setJti(jti).setExpirationTime(providerSeconds() + 300).sign(clientKey.privateKey);
  const assertionJtiLength = await longestJti(assertion, MAX_CLIENT_ASSERTION_BYTES);
  await phase(`client assertions (private_key_jwt, client_credentials, a ${assertionJtiLength}-character jti in each)`, () => fillUntilFull(clients, async (client, index) => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await assertion(paddedJti(index, assertionJtiLength)) }).toString();
    const response = await client.send('POST', `${issuer}/token`, { headers: FORM_TYPE, body });
    if (response.status === 503) return 'full';
    expectStatus(response, [200], 'token with a client assertion');
    return 'ok';
  }, Number.POSITIVE_INFINITY));

  // 9. Wrong user codes, up to the per-address limit, then one more (kept a minute: measured last of the stores).
  const GUESSES_PER_ADDRESS = 5;
  await phase(`wrong user codes (1 KiB each, ${GUESSES_PER_ADDRESS} from one address, then one refused)`, async () => {
    const send = async (localAddress) => {
      const from = new Client({ localAddress });
      const response = await from.send('POST', `${issuer}/device`, { headers: { ...FORM_TYPE, cookie: `mg_device_form=${formToken}` }, body: new URLSearchParams({ form_token: formToken, user_code: largest('code') }).toString() });
      from.close();
      return response;
    };
    for (let index = 0; index < GUESSES_PER_ADDRESS; index++) expectStatus(await send('127.200.100.100'), [400], 'wrong user code');
    // Another loopback address is the same machine: its first wrong code is over the limit already.
    expectStatus(await send('127.200.100.101'), [429], 'wrong user code over the limit');
    return GUESSES_PER_ADDRESS + 1;
  });

  // The keep-alive connections of phases 1 to 8 would take places under the connection cap.
  for (const client of clients) client.close();
  await new Promise((resolve) => setTimeout(resolve, 200));

  // 10. Slow headers, over the connection cap; then room for the bodies.
  const { maxConnections, maxBodyBytesInFlight } = connectionLimits;
  const bodiesThatFit = Math.floor(maxBodyBytesInFlight / (64 * 1024));
  const slow = [];
  const connectionPhases = [];
  await phase(`slow 16 KiB headers (${maxConnections + OVER_THE_CAP} connections)`, async () => {
    for (let index = 0; index < maxConnections + OVER_THE_CAP; index++) slow.push(await holdConnection(port, LARGEST_HEADERS('/token')));
    const counts = await settle(slow);
    if (counts.other || counts.answered503) throw new Error(`slow headers: ${counts.other + counts.answered503} were answered before their headers ended`);
    connectionPhases.push({ name: 'connections sending 16 KiB of headers slowly', held: counts.open, cap: maxConnections, ...counts });
    return slow.length;
  });
  // Room for the bodies, and a few places more, through which the rest of the flood is refused 503.
  const letGo = bodiesThatFit + REFUSAL_PLACES;
  for (const connection of slow.filter((connection) => !connection.closed).slice(0, letGo)) connection.socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));

  // 11. Unfinished bodies, a flood of them.
  const held = [];
  await phase(`unfinished 64 KiB bodies (${FLOOD} connections)`, async () => {
    const request = `${LARGEST_HEADERS('/token')}content-length: 65536\r\n\r\n${'a'.repeat(65_535)}`;
    for (let index = 0; index < FLOOD; index++) held.push(await holdConnection(port, request));
    const counts = await settle(held);
    if (counts.other) throw new Error(`unfinished bodies: ${counts.other} answered something other than 503`);
    const slowStill = slow.filter((connection) => !connection.closed).length;
    connectionPhases.push({ name: `then ${letGo} of them let go, and ${FLOOD} connections each with 16 KiB of headers and an unfinished 64 KiB body`, held: counts.open + slowStill, cap: maxConnections, ...counts, inFlightMb: megabytes(maxBodyBytesInFlight) });
    return held.length;
  });
  for (const connection of [...held, ...slow]) connection.socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));

  // 12. Pipelined requests never read.
  await phase(`pipelined GET /jwks never read (${maxConnections} connections, 256 KiB each)`, async () => {
    const burst = 'GET /jwks HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'.repeat(Math.floor(PIPELINED_BYTES / 40));
    const greedy = [];
    for (let index = 0; index < maxConnections; index++) greedy.push(await neverReading(port, burst));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_AT_MOST_MS));
    // Asked of the provider: the clients read nothing, so they cannot see a close.
    const { count: open } = await provider.ask({ type: 'connections' }, 'connections');
    for (const connection of greedy) connection.destroy();
    connectionPhases.push({ name: `then ${maxConnections} connections each sending ${PIPELINED_BYTES / 1024} KiB of pipelined GET /jwks in one write and reading nothing`, note: `${maxConnections - open} closed by the provider past ${MAX_UNANSWERED} unanswered requests, the rest stalled with at most ${MAX_UNANSWERED} answers each until idle for the request limit`, held: open, cap: maxConnections });
    return greedy.length * Math.floor(PIPELINED_BYTES / 40);
  });

  const report = await provider.ask({ type: 'report' }, 'report');
  provider.child.send({ type: 'stop' });
  await new Promise((resolve) => provider.child.once('exit', resolve));
  return {
    budgetMb: BUDGET_MB,
    baselineRssMb: megabytes(report.baselineRss),
    peakRssMb: megabytes(report.maxRss),
    rssMb: megabytes(report.rss),
    heapUsedMb: megabytes(report.heapUsed),
    withinBudget: report.maxRss <= BUDGET_MB * 1024 * 1024,
    seconds: Number(((performance.now() - began) / 1000).toFixed(1)),
    phases,
    connections: connectionPhases,
    stores: Object.entries(report.sizes).map(([name, size]) => ({ name, entries: size.entries, maxEntries: size.maxEntries, estimatedMb: megabytes(size.bytes), maxMb: megabytes(size.maxBytes) })),
  };
}

/** The result as Markdown, for bench/run.mjs and the README. */
export function memoryTable(result) {
  return [
    `| Provider memory: every store pushed to its default cap, largest inputs | entries / cap at its fullest | estimate / cap |`,
    '| --- | ---: | ---: |',
    ...result.stores.map((store) => `| ${store.name} | ${store.entries} / ${store.maxEntries} | ${store.estimatedMb} / ${store.maxMb} MB |`),
    ...result.connections.map((row) => `| ${row.name} (${row.note ?? `${row.answered503} more answered 503, ${row.closedUnanswered} closed unanswered`}) | ${row.held} / ${row.cap} open | ${row.inFlightMb === undefined ? '' : `bodies in flight ≤ ${row.inFlightMb} MB`} |`),
    `| **provider RSS**: at start → peak (budget ${result.budgetMb} MB, heap limit ${HEAP_LIMIT_MB} MB) | ${result.baselineRssMb} → **${result.peakRssMb} MB** ${result.withinBudget ? '✓' : '✗ over budget'} | heap after GC ${result.heapUsedMb} MB |`,
  ].join('\n');
}

if (process.argv.includes('--provider-child')) {
  await serveProvider(JSON.parse(process.argv[process.argv.indexOf('--provider-child') + 1]));
} else if (process.argv[1] === here) {
  const result = await measureMemory();
  for (const phase of result.phases) console.error(`${phase.name}: ${phase.requests} requests in ${phase.seconds} s; peak RSS so far ${phase.peakRssMb} MB`);
  console.error(`RSS at the end: ${result.rssMb} MB`);
  console.error(`whole benchmark: ${result.seconds} s`);
  console.log(memoryTable(result));
  if (!result.withinBudget) process.exitCode = 1;
}
