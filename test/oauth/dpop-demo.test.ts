// `jwt-vs-oauth oauth --dpop` (the code flow) and `--flow device --dpop`: the app makes a key pair,
// sends a proof with its token requests and its userinfo call, and gets a token bound to that key
// (token_type DPoP, cnf.jkt); the exchange view shows each request's DPoP header; the flows that
// have no use for --dpop, and --attack, refuse it (exit 2).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';
import { DEFAULT_USERS } from '../../src/provider/directory.js';
import { runBrowserFlow } from '../../src/oauth/flow.js';
import type { Narrator, Step } from '../../src/oauth/steps.js';
import { signInAtProvider, UserAgent } from '../../src/oauth/user-agent.js';
import { issuedTokens, startDemoWorld } from '../../src/oauth/world.js';

interface JsonExchange { who: string; method: string; url: string; status: number; dpop?: string }
interface JsonStep { number: number; total: number; title: string; text: string[]; facts: Array<{ name: string; value: string }>; exchanges: JsonExchange[] }
interface JsonRun { outcome: { ok: boolean; summary: string }; steps: JsonStep[] }

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-dpop-demo-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The built bin's --json run, parsed; it must exit 0. */
function jsonRun(args: string[]): JsonRun {
  const result = runBin([...args, '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as JsonRun;
}

const pathOf = (exchange: JsonExchange) => new URL(exchange.url).pathname;
const factsOf = (step: JsonStep) => Object.fromEntries(step.facts.map((fact) => [fact.name, fact.value]));
/** The thumbprint of the public key in a proof's header: the key that signed it. */
const proofKey = (proof: string) => calculateJwkThumbprint(decodeProtectedHeader(proof).jwk as JWK, 'sha256');
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** What a bound run must show: token_type DPoP, cnf.jkt = the key of every proof sent, userinfo 200 with a proof carrying ath. */
async function expectBoundRun(run: JsonRun, tokenStep: number, keyName: string): Promise<void> {
  expect(run.outcome.ok).toBe(true);
  const facts = factsOf(run.steps.find((step) => step.number === tokenStep)!);
  expect(facts.token_type).toBe('DPoP');
  expect(facts['cnf.jkt']).toMatch(/^[\w-]{43}$/);
  expect(facts[keyName]).toBe(facts['cnf.jkt']);
  const exchanges = run.steps.flatMap((step) => step.exchanges);
  const tokenRequests = exchanges.filter((exchange) => pathOf(exchange) === '/token');
  expect(tokenRequests.length).toBeGreaterThan(0);
  const userinfo = exchanges.filter((exchange) => pathOf(exchange) === '/userinfo');
  expect(userinfo.map((exchange) => exchange.status)).toEqual([200]);
  // Every proof the app sent is signed by the key the token names, each for its own request.
  for (const exchange of [...tokenRequests, ...userinfo]) {
    expect(exchange.dpop, `${exchange.method} ${pathOf(exchange)}`).toBeDefined();
    expect(await proofKey(exchange.dpop!)).toBe(facts['cnf.jkt']);
    expect(decodeProtectedHeader(exchange.dpop!)).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(decodeJwt(exchange.dpop!)).toMatchObject({ htm: exchange.method, htu: exchange.url });
  }
  expect(decodeJwt(userinfo[0]!.dpop!).ath).toMatch(/^[\w-]{43}$/);
  expect(tokenRequests.every((exchange) => decodeJwt(exchange.dpop!).ath === undefined)).toBe(true);
  expect(new Set(exchanges.flatMap((exchange) => (exchange.dpop ? [decodeJwt(exchange.dpop).jti] : [])).values()).size).toBe(tokenRequests.length + 1);
}

describe('oauth --dpop (the code flow), the built bin', () => {
  test('--auto --json: token_type DPoP, cnf.jkt is the thumbprint of the key of the app\'s proofs, userinfo 200 with a proof', async () => {
    const run = jsonRun(['oauth', '--dpop', '--auto']);
    expect(run.steps.map((step) => `${step.number}/${step.total} ${step.title}`)).toEqual([
      '1/8 You click "Login with Google"',
      '2/8 The provider\'s sign-in page',
      '3/8 Consent: you allow it',
      '4/8 Back to the app with a code, not a token',
      '5/8 The app swaps the code for tokens bound to its key',
      '6/8 Two tokens, two jobs',
      '7/8 The app calls the API with the access token and a proof',
      '8/8 Recap',
    ]);
    await expectBoundRun(run, 5, 'app key');
    // Step 1 names the key's thumbprint (shortened, like state and nonce) as the app's own.
    const dpopKey = factsOf(run.steps[0]!)['DPoP key'];
    const jkt = factsOf(run.steps[4]!)['cnf.jkt']!;
    expect(dpopKey).toBe(`${jkt.slice(0, 10)}…${jkt.slice(-10)}`);
    expect(flat(run.steps[0]!.text.join(' '))).toContain('The private key stays on the server and is never sent');
    expect(flat(run.steps[6]!.text.join(' '))).toContain('Authorization: DPoP <token>, not Bearer');
    expect(flat(run.steps[7]!.text.join(' '))).toContain('a copy without the private key is refused (RFC 9449 §7.1). Try: --attack stolen-dpop-token');
  });

  test('--auto --json: the token request still carries the client secret; "sent as Bearer it is refused" is said of an API that supports DPoP (RFC 9449 §7.2)', () => {
    const run = jsonRun(['oauth', '--dpop', '--auto']) as { steps: { text: string[]; arrows?: { label: string }[] }[] };
    expect(run.steps[4]!.arrows?.[0]?.label).toBe('POST /token code, verifier, secret + DPoP proof');
    expect(flat(run.steps[6]!.text.join(' '))).toContain('and sent as Bearer it is refused by an API that supports DPoP, as Mock Google does (RFC 9449 §7.2).');
  });

  test('the terminal view shows each request\'s DPoP header, shortened; --verbose whole; --transcript as sent, Authorization still masked', () => {
    const transcript = join(home, 'code-dpop.jsonl');
    const result = runBin(['oauth', '--dpop', '--auto', '--verbose', '--transcript', transcript], { env: { JWT_VS_OAUTH_HOME: home } });
    expect(result.code, result.stderr).toBe(0);
    const exchanges = readFileSync(transcript, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { who: string; request: { url: string; headers: Record<string, string> } });
    const sent = exchanges.filter((exchange) => exchange.request.headers.dpop !== undefined);
    expect(sent.map((exchange) => `${exchange.who} ${new URL(exchange.request.url).pathname}`)).toEqual(['app /token', 'app /userinfo']);
    expect(sent[1]!.request.headers.authorization).toBe('DPoP ••••');
    for (const exchange of sent) {
      expect(exchange.request.headers.dpop).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      // --verbose: the whole proof, broken over lines where it does not fit.
      expect(result.stdout.replace(/\\\n/g, '')).toContain(`dpop: ${exchange.request.headers.dpop}`);
    }
    const normal = runBin(['oauth', '--dpop', '--auto'], { env: { JWT_VS_OAUTH_HOME: home, COLUMNS: '80' } });
    expect(normal.code, normal.stderr).toBe(0);
    const shown = [...normal.stdout.matchAll(/^ {6}dpop: (eyJ[\w-]{17}…\(\d+ chars\)…[\w-]{10})$/gm)].map((match) => match[1]);
    expect(shown).toHaveLength(2);
    expect(normal.stdout).toMatch(/authorization: DPoP ••••\n {6}dpop: eyJ/);
  });
});

describe('oauth --flow device --dpop, the built bin', () => {
  test('--auto --json: every poll carries a proof by the TV\'s key; token_type DPoP, cnf.jkt that key; userinfo 200 with a proof', async () => {
    const run = jsonRun(['oauth', '--flow', 'device', '--dpop', '--auto']);
    expect(run.steps.map((step) => `${step.number}/${step.total}`)).toEqual(['1/7', '2/7', '3/7', '4/7', '5/7', '6/7', '7/7']);
    await expectBoundRun(run, 5, 'TV key');
    const polls = run.steps.flatMap((step) => step.exchanges).filter((exchange) => pathOf(exchange) === '/token');
    expect(polls.map((poll) => poll.status)).toEqual([400, 200]);
    expect(run.steps[0]!.exchanges.map((exchange) => [pathOf(exchange), exchange.dpop])).toEqual([['/device_authorization', undefined]]);
    expect(flat(run.steps[0]!.text.join(' '))).toContain('the TV app first makes a key pair of its own (ES256, a P-256 key). The private key stays on the TV');
    expect(flat(run.steps[1]!.text.join(' '))).toContain('every poll carries a DPoP header');
  });

  test('the terminal view shows the DPoP header of each poll and of the userinfo call', () => {
    const result = runBin(['oauth', '--flow', 'device', '--dpop', '--auto'], { env: { JWT_VS_OAUTH_HOME: home, COLUMNS: '80' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/^ {6}dpop: eyJ[\w-]{17}…\(\d+ chars\)…[\w-]{10}$/gm)).toHaveLength(3);
    expect(result.stdout).toMatch(/→ GET http:\/\/127\.0\.0\.1:\d+\/userinfo\n {6}authorization: DPoP ••••\n {6}dpop: eyJ/);
    expect(result.stdout).toMatch(/TV key +([\w-]{43}) +— the thumbprint of\s+the TV's key: the same/);
    expect(flat(result.stdout)).toContain('✓ The TV is signed in to Swaad as Asha Rao (asha@example.com)');
  });
});

describe('oauth --attack stolen-dpop-token shows the DPoP headers', () => {
  test('the app\'s requests show the proof it sent; the attacker\'s Bearer request has none, his own proof is shown', async () => {
    const result = await runCli(['oauth', '--attack', 'stolen-dpop-token', '--auto'], { env: { COLUMNS: '100' } });
    expect(result.code).toBe(0);
    const steps = result.stdout.split(/^Step \d of 4: /m).slice(1);
    const proofs = steps.map((step) => (step.match(/^ {6}dpop: eyJ/gm) ?? []).length);
    expect(proofs).toEqual([1, 1, 0, 1]);
    expect(steps[2]).toContain('authorization: Bearer ••••');
  });
});

describe('--dpop where it has no use: a usage error (exit 2)', () => {
  test.each([
    [['--flow', 'client-credentials'], 'This demo binds tokens with DPoP in --flow code and device only (RFC 9449 §5 allows it for any grant).'],
    [['--flow', 'refresh'], 'This demo binds tokens with DPoP in --flow code and device only (RFC 9449 §5 allows it for any grant).'],
    [['--attack', 'stolen-code'], '--attack runs a scene of its own: leave out --dpop (--attack stolen-dpop-token is the one with DPoP).'],
  ])('oauth %j --dpop', async (args, message) => {
    const result = await runCli(['oauth', ...args, '--dpop']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(flat(result.stderr)).toContain(message);
  });

  test('--help names --dpop and shows it in an example', async () => {
    const result = await runCli(['oauth', '--help']);
    expect(result.code).toBe(0);
    expect(flat(result.stdout)).toContain('--dpop with --flow code (the default) or device: the app binds its tokens to a key pair it holds (DPoP, RFC 9449)');
    expect(flat(result.stdout)).toContain('$ jwt-vs-oauth oauth --dpop # tokens bound to the app\'s key: a copy is useless');
  });
});

describe('the code flow in browser mode, with DPoP', () => {
  test('the app the browser signs in to binds its tokens: step 5 shows token_type DPoP, step 7 the proof', async () => {
    const world = await startDemoWorld({ dpop: true });
    const shown: Step[] = [];
    const narrator: Narrator = {
      show: (step) => void shown.push(step),
      pause: async () => undefined,
      credentials: async () => ({ email: DEFAULT_USERS[0]!.email, password: DEFAULT_USERS[0]!.password }),
      consent: async () => true,
      note: () => undefined,
    };
    try {
      const outcome = await runBrowserFlow(world, narrator, async (url) => {
        // The "browser": the project's UserAgent, going on by itself as a real one would.
        const browser = new UserAgent();
        void (async () => {
          const login = await browser.request('GET', url);
          const signedIn = await signInAtProvider(browser, login.response.headers.location!, { email: DEFAULT_USERS[0]!.email, password: DEFAULT_USERS[0]!.password, allow: true });
          await browser.request('GET', signedIn.callbackUrl!);
        })();
      });
      expect(outcome.ok, outcome.summary).toBe(true);
      const tokens = issuedTokens(world) as { access_token: string; token_type?: string };
      expect(tokens.token_type).toBe('DPoP');
      expect((decodeJwt(tokens.access_token).cnf as { jkt?: string }).jkt).toBe(world.app.dpop!.jkt);
      const fifth = shown.find((step) => step.number === 5)!;
      expect(Object.fromEntries(fifth.facts!.map((fact) => [fact.name, fact.value]))).toMatchObject({ token_type: 'DPoP', 'cnf.jkt': world.app.dpop!.jkt, 'app key': world.app.dpop!.jkt });
      const seventh = shown.find((step) => step.number === 7)!;
      expect(seventh.arrows[0]!.label).toBe('GET /userinfo DPoP <access token> + proof');
      const userinfo = seventh.exchanges[0]!.exchange;
      expect(userinfo.response.status).toBe(200);
      expect(await proofKey(userinfo.request.headers.dpop!)).toBe(world.app.dpop!.jkt);
    } finally {
      await world.close();
    }
  });
});
