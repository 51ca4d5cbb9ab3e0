// Load benchmark on loopback: complete flows (authorize, then token, then userinfo) at a fixed
// concurrency against each provider in its own process, with p50/p99 latency and the provider's
// heap before the flows, right after them, and once codes have expired. Three kinds of flow: the
// code flow with Bearer tokens, the same with DPoP proofs (RFC 9449) at token and userinfo, and
// the device flow (RFC 8628: device authorization, then one poll, approved at once).

import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from './http-client.mjs';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const here = dirname(fileURLToPath(import.meta.url));
const REDIRECT_URI = 'http://127.0.0.1:8080/callback';
const BASIC = `Basic ${Buffer.from('demo-app:demo-secret').toString('base64')}`;

/** A DPoP proof for one request (RFC 9449 §4.2), made as a client does: a fresh jti each time. */
async function dpopProof(holder, method, url, accessToken) {
  const claims = { htm: method, htu: url, ...(accessToken && { ath: createHash('sha256').update(accessToken).digest('base64url') }) };
  return new SignJWT(claims).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: holder.publicJwk }).setJti(randomBytes(12).toString('base64url')).setIssuedAt().sign(holder.privateKey);
}

/** The key a DPoP client holds: one per client connection, as an app keeps one key. */
async function dpopHolder() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

/** One device flow: the device asks for codes, the user (auto-approved) allows, the device redeems and calls userinfo. */
async function deviceFlow(metadata, client) {
  const started = await client.send('POST', metadata.device_authorization_endpoint, {
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ scope: 'openid email profile' }).toString(),
  });
  if (started.status !== 200) throw new Error(`device_authorization answered ${started.status}: ${started.body}`);
  const { device_code: deviceCode } = JSON.parse(started.body);
  const token = await client.send('POST', metadata.token_endpoint, {
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode }).toString(),
  });
  if (token.status !== 200) throw new Error(`token answered ${token.status}: ${token.body}`);
  const { access_token: accessToken } = JSON.parse(token.body);
  const userinfo = await client.send('GET', metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  if (userinfo.status !== 200) throw new Error(`userinfo answered ${userinfo.status}: ${userinfo.body}`);
}

/** One complete flow, as a browser and an app would do it (with DPoP when `holder` is given); throws on any unexpected answer. */
async function flow(metadata, client, holder) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(metadata.authorization_endpoint);
  const parameters = { response_type: 'code', client_id: 'demo-app', redirect_uri: REDIRECT_URI, scope: 'openid email profile', state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex'), code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' };
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);

  // The browser: follow redirects, with cookies, until the provider sends it to the app.
  const cookies = new Map();
  let next = url.href;
  let code;
  for (let hop = 0; hop < 8 && !code; hop++) {
    const cookieHeader = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await client.send('GET', next, { headers: cookieHeader ? { cookie: cookieHeader } : {} });
    for (const line of [response.headers['set-cookie'] ?? []].flat()) {
      const [pair] = line.split(';');
      const separator = pair.indexOf('=');
      cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
    if (response.status < 300 || response.status >= 400) throw new Error(`authorize answered ${response.status}: ${response.body.slice(0, 200)}`);
    next = new URL(response.headers.location, next).href;
    if (next.startsWith(REDIRECT_URI)) code = new URL(next).searchParams.get('code');
  }
  if (!code) throw new Error('no code came back');

  const token = await client.send('POST', metadata.token_endpoint, {
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded', ...(holder && { dpop: await dpopProof(holder, 'POST', metadata.token_endpoint) }) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
  });
  if (token.status !== 200) throw new Error(`token answered ${token.status}: ${token.body}`);
  const { access_token: accessToken, token_type: tokenType } = JSON.parse(token.body);
  if (holder && tokenType !== 'DPoP') throw new Error(`token_type ${tokenType}, not DPoP`);
  const userinfo = await client.send('GET', metadata.userinfo_endpoint, {
    headers: holder ? { authorization: `DPoP ${accessToken}`, dpop: await dpopProof(holder, 'GET', metadata.userinfo_endpoint, accessToken) } : { authorization: `Bearer ${accessToken}` },
  });
  if (userinfo.status !== 200) throw new Error(`userinfo answered ${userinfo.status}: ${userinfo.body}`);
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function startServer(name) {
  const child = fork(join(here, 'servers.mjs'), [name], { execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [])], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ask = (type) => new Promise((resolve) => {
    const listener = (message) => {
      if (message.type === type) {
        child.off('message', listener);
        resolve(message);
      }
    };
    child.on('message', listener);
    if (type !== 'ready') child.send({ type });
  });
  return { child, ready: ask('ready'), memory: () => ask('memory') };
}

const megabytes = (bytes) => Number((bytes / 1024 / 1024).toFixed(1));

/** `kind`: 'code' (Bearer), 'dpop' (the code flow with DPoP proofs) or 'device'. */
export async function measureLoad(name, { flows, concurrency, settleSeconds, kind = 'code' }) {
  const server = startServer(name);
  const { issuer } = await server.ready;
  const clients = Array.from({ length: concurrency }, () => new Client());
  const holders = kind === 'dpop' ? await Promise.all(clients.map(() => dpopHolder())) : [];
  const one = (index) => (kind === 'device' ? deviceFlow(metadata, clients[index]) : flow(metadata, clients[index], holders[index]));
  const metadata = JSON.parse((await clients[0].send('GET', `${issuer}/.well-known/openid-configuration`)).body);
  for (let index = 0; index < 200; index++) await one(index % concurrency);
  const before = await server.memory();

  const latencies = [];
  let started = 0;
  let errors = 0;
  let firstError;
  const began = performance.now();
  const driverCpuBefore = process.cpuUsage();
  await Promise.all(clients.map(async (_client, index) => {
    while (started < flows) {
      started++;
      const t0 = performance.now();
      try {
        await one(index);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error.message;
      }
    }
  }));
  const seconds = (performance.now() - began) / 1000;
  const driverCpu = process.cpuUsage(driverCpuBefore);
  for (const client of clients) client.close();
  const after = await server.memory();
  await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
  const settled = await server.memory();
  server.child.send({ type: 'stop' });
  await new Promise((resolve) => server.child.once('exit', resolve));
  latencies.sort((a, b) => a - b);
  return {
    name,
    kind,
    flows: latencies.length,
    errors,
    firstError,
    flowsPerSecond: Number((latencies.length / seconds).toFixed(0)),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(1)),
    heapBeforeMb: megabytes(before.heapUsed),
    heapAfterMb: megabytes(after.heapUsed),
    heapSettledMb: megabytes(settled.heapUsed),
    driverCpuMsPerFlow: Number(((driverCpu.user + driverCpu.system) / 1000 / latencies.length).toFixed(3)),
    cpuMsPerFlow: Number((((after.cpu.user + after.cpu.system) - (before.cpu.user + before.cpu.system)) / 1000 / latencies.length).toFixed(3)),
  };
}
