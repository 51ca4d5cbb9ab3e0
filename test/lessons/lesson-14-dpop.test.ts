// Lesson 14 (issue #15, beyond the article): DPoP step by step. The lesson loads with the
// validator; every hands-on step runs through the lesson engine as the tutorial runs it and shows
// what the lesson says: a refresh with a proof answers token_type DPoP, the token's cnf.jkt is the
// key's thumbprint, userinfo takes it with a proof (200); a stolen bearer token works, the stolen
// DPoP token does not (as Bearer, with the thief's key, with a replayed proof: 401 each).
// `tutorial 14 --plain` reads within 80 and 60 columns.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runLessonStep, type StepView } from '../../src/cli/lesson-step-view.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import { decodeToken } from '../../src/jwt/decode.js';
import { valueFromReference } from '../../src/lessons/lesson-steps.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { validateLesson, type Lesson, type RunScreen, type ValueQuestion } from '../../src/lessons/schema.js';
import { displayWidth } from '../../src/text/layout.js';
import { BIN, runCli } from '../helpers/cli.js';

const file = join(lessonsFolder(), 'tutorial', '14-sender-constrained-tokens.json');
const lesson: Lesson = validateLesson(JSON.parse(readFileSync(file, 'utf8')), file);
const now = () => Math.floor(Date.now() / 1000);

function viewFor(width: number): StepView {
  const output = createOutput({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, NO_COLOURS);
  return { output, now, width, saved: new Map(), given: new Map(), pause: async () => undefined, interactive: true };
}

/** The hands-on steps, in order: the tests below run each, by its title. */
const RUN_TITLES = ['Ask for a DPoP token', 'Read the proof', 'Steal both tokens'];

/** Runs one hands-on step through the lesson engine, as the tutorial does, and returns what it showed. */
async function runStep(title: string, view: StepView): Promise<string> {
  const screen = lesson.screens.find((candidate): candidate is RunScreen => candidate.type === 'run' && candidate.title === title)!;
  const { text, commandFailed } = await runLessonStep(screen, view);
  expect(commandFailed, title).toBe(false);
  return text;
}

/** The statuses of the answers a demo shows ("← 401"), in order. */
const statuses = (text: string) => [...text.matchAll(/^ {2}← (\d{3})/gm)].map((match) => Number(match[1]));
/** The text with its lines joined, so a value wrapped across lines reads whole. */
const joined = (text: string) => text.replace(/\n\s*/g, ' ');

describe('lesson 14: sender-constrained tokens', () => {
  test('it loads as lesson 14, with hands-on steps and questions that explain their answers', () => {
    expect(lesson.number).toBe(14);
    expect(lesson.title).toBe('Sender-constrained tokens');
    expect(lesson.screens.filter((screen) => screen.type === 'run').map((screen) => screen.title)).toEqual(RUN_TITLES);
    const questions = lesson.screens.filter((screen) => screen.type === 'question');
    expect(questions.length).toBeGreaterThanOrEqual(3);
  });

  test('the token request with a proof: token_type DPoP, cnf.jkt equal to the key\'s thumbprint, userinfo 200 with a proof; decode reads the proof; the value question reads POST', async () => {
    const view = viewFor(80);
    const request = await runStep('Ask for a DPoP token', view);
    // The sign-in (Bearer), the refresh with the proof, userinfo with the DPoP token.
    expect(statuses(request)).toEqual([200, 200, 200]);
    expect(request).toContain('"token_type": "Bearer"');
    expect(request).toContain('"token_type": "DPoP"');
    expect(request).toMatch(/typ +"dpop\+jwt": a DPoP proof/);
    expect(request).toMatch(/htm +"POST": the request's method/);

    const proof = view.saved.get('proof')!;
    const { header, payload } = decodeToken(proof, now()) as { header: Record<string, unknown>; payload: Record<string, unknown> };
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(header.jwk).not.toHaveProperty('d');
    expect(payload).toMatchObject({ htm: 'POST', htu: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/token$/) });
    expect(typeof payload.jti).toBe('string');
    // The key's thumbprint, computed from the proof's jwk, is the token's cnf.jkt, and both are on screen as the same.
    const { jwkThumbprint } = await import('../../src/protocol/dpop.js');
    const thumbprint = await jwkThumbprint(header.jwk as Record<string, string>);
    // Only the proof is kept: the next step decodes it, and no step reads the token.
    expect([...view.saved.keys()].filter((name) => name !== 'accessToken' && name !== 'idToken')).toEqual(['proof']);
    const flat = joined(request);
    expect(request).toMatch(new RegExp(`^ {2}cnf\\.jkt +${thumbprint}$`, 'm'));
    expect(request).toMatch(new RegExp(`^ {2}app's key +${thumbprint}$`, 'm'));
    expect(flat).toMatch(/the same\? +yes: the token is bound to this key/);
    expect(flat).toMatch(/GET \/userinfo +\(Authorization: DPoP <token>; DPoP: a new proof, GET \/userinfo, with ath\) ← 200/);

    const read = await runStep('Read the proof', view);
    expect(read).toMatch(/typ +"dpop\+jwt" +Type of token: dpop\+jwt, a DPoP proof/);
    expect(read).toMatch(/htm +"POST"/);
    expect(joined(read)).toContain(thumbprint);

    const question = lesson.screens.find((screen): screen is ValueQuestion => screen.type === 'question' && screen.kind === 'value')!;
    expect(valueFromReference(question.answerFrom, view)).toBe('POST');
  }, 60_000);

  test('stolen: the bearer token works for the thief (200); the DPoP token as Bearer, with his own key, and with a replayed proof does not (401, WWW-Authenticate shown)', async () => {
    const stolen = await runStep('Steal both tokens', viewFor(100));
    // The app's own call, then the thief's four.
    expect(statuses(stolen)).toEqual([200, 200, 401, 401, 401]);
    const flat = joined(stolen);
    expect(flat).toMatch(/GET \/userinfo +\(the thief: the bearer token, as Bearer\) ← 200/);
    expect(flat).toMatch(/GET \/userinfo +\(the thief: the DPoP token, as Bearer\) ← 401 .*WWW-Authenticate: DPoP error="invalid_token", error_description="This access token is bound to a DPoP key/);
    expect(flat).toMatch(/a proof by his own key\) ← 401 .*WWW-Authenticate: DPoP error="invalid_token", error_description="Invalid DPoP key binding/);
    expect(flat).toMatch(/the app's proof, copied\) ← 401 .*WWW-Authenticate: DPoP error="invalid_dpop_proof", error_description="The DPoP proof is not valid: the proof's jti was used before/);
    expect(stolen).toMatch(/the bearer token +200/);
    expect(stolen).toMatch(/the DPoP token, as Bearer +401/);
    expect(stolen).toMatch(/the DPoP token, his own key +401/);
    expect(stolen).toMatch(/the DPoP token, a copied proof +401/);
    // What is refused where: Mock Google supports DPoP (RFC 9449 §7.2); jti memory is its choice (§11.1), a fresh proof per request the client's duty (§4.2).
    expect(flat).toContain('Mock Google supports DPoP, so it refuses a DPoP-bound token sent as Bearer (RFC 9449 §7.2). An API that knows only Bearer would likely take it.');
    expect(flat).toContain('Mock Google remembers the jti values it has seen and refuses a repeat (§11.1). The app makes a fresh proof for each request (§4.2).');
  }, 60_000);
});

describe('tutorial 14 --plain', () => {
  test.each([80, 60])('reads within %i columns, exits 0, its answers at the end', async (columns) => {
    const { code, stdout, stderr } = await runCli(['tutorial', '14', '--plain'], { env: { COLUMNS: String(columns), NO_COLOR: '1' } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Lesson 14: Sender-constrained tokens');
    expect(stdout).toContain('Answers to lesson 14');
    expect(stdout).toContain('"token_type": "DPoP"');
    expect(stdout.split('\n').filter((line) => displayWidth(line) > columns)).toEqual([]);
    // The facts as RFC 9449 states them: jti memory is a server's choice (§11.1), the client's duty a fresh proof (§4.2);
    // nonces at the provider (§8) and at an API (§9); code in the app can get tokens bound to its own key (§11.4).
    const flat = joined(stdout);
    expect(flat).toContain('The client makes a fresh proof for each request (§4.2); a server can also remember the jti values it has seen and refuse a repeat, as Mock Google does (§11.1).');
    expect(flat).not.toContain('so a proof works once');
    expect(flat).toContain('the provider at its token endpoint, an API at its own (§8, §9; §11.2).');
    expect(flat).toContain('get new tokens bound to a key of its own: those work from the attacker\'s machine, even after Asha closes the app. RFC 9449 says the security of DPoP is then no longer guaranteed (§11.4)');
    // "It" no longer reads as the key, §11.4 is cited once in that sentence, and "silent" names the iframe attack (the demo's sign-ins are "without showing the steps").
    expect(flat).toContain('but the attacker\'s code can still use it there. That code can also start a silent sign-in (the provider answers without asking, as the user is still signed in there) in a hidden iframe');
    expect(flat).not.toMatch(/quiet sign-in (of its own )?in a hidden iframe/);
    expect(flat).toContain('Asha signs in to Swaad with offline_access, without showing the steps');
    expect(flat).not.toContain('while the app runs');
    expect(flat).toContain('which keep working from anywhere after the app is closed (§11.4).');
  }, 60_000);
});

describe('the summary and exercise 25, as RFC 9449 states them', () => {
  test('the summary, as tutorial 14 shows it, says where a stolen DPoP token fails (§7.2); exercise 25\'s solution: a fresh proof per request (§4.2), jti memory a server\'s choice (§11.1)', async () => {
    const { code, stdout } = await runCli(['tutorial', '14', '--plain'], { env: { COLUMNS: '80', NO_COLOR: '1' } });
    expect(code).toBe(0);
    expect(joined(stdout)).toContain('A stolen bearer token works; a stolen DPoP token does not, at an API that supports DPoP (§7.2).');
    const exercise = JSON.parse(readFileSync(join(lessonsFolder(), 'exercises', '25-dpop-proof-by-hand.json'), 'utf8')) as { solution: { explain: string[] } };
    const solution = exercise.solution.explain.join(' ');
    expect(solution).toContain('A client makes a fresh proof for each request (RFC 9449 §4.2); a server can also remember the jti values it has seen and refuse a copy (§11.1).');
    expect(solution).not.toContain('a server remembers the jti values it has seen and refuses a copy');
  }, 60_000);
});

describe('the commands after "Read the proof" paste and run', () => {
  const CURL = 'curl -H "DPoP: $(jwt-vs-oauth dpop --key dpop-key.json --htm POST --htu http://127.0.0.1:9400/token)" -u demo-app:demo-secret -d grant_type=client_credentials -d scope=orders:read http://127.0.0.1:9400/token';

  /** The command that starts a line with `start`, its lines joined as a shell joins them; a blank line before it, so no prose leads into it. */
  function commandAt(lines: string[], start: string): string {
    const first = lines.findIndex((line) => line.startsWith(start));
    expect(first, start).toBeGreaterThan(-1);
    expect(lines[first - 1], 'a blank line before it: not the end of a prose line').toBe('');
    let end = first;
    while (lines[end]!.endsWith(' \\')) end++;
    return lines.slice(first, end + 1).map((line) => line.replace(/ \\$/, '')).join(' ');
  }

  test.each([60, 80])('at %i columns each is on lines of its own and names the real token endpoint of jwt-vs-oauth provider', async (columns) => {
    const { code, stdout } = await runCli(['tutorial', '14', '--plain'], { env: { COLUMNS: String(columns), NO_COLOR: '1' } });
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(commandAt(lines, 'jwt-vs-oauth mint --alg ES256')).toBe('jwt-vs-oauth mint --alg ES256 --save-key dpop-key.json');
    expect(commandAt(lines, 'curl -H "DPoP: $(jwt-vs-oauth dpop')).toBe(CURL);
    expect(stdout).not.toContain('<the token endpoint>');
    expect(joined(stdout)).toContain('started with jwt-vs-oauth provider, listens on http://127.0.0.1:9400, and its token endpoint is http://127.0.0.1:9400/token.');
    // No line of prose sets a shell name: the step's $PROOF is set once, by its set-up.
    expect(stdout.match(/^[A-Z_]+=/gm)).toEqual(['PROOF=']);
  }, 60_000);

  test('pasted into bash, against a running Mock Google: the key pair, then the token request with its proof answers token_type DPoP', async () => {
    const { startTestProvider } = await import('../helpers/provider.js');
    const provider = await startTestProvider();
    try {
      const folder = mkdtempSync(join(tmpdir(), 'lesson-14-dpop-'));
      // jwt-vs-oauth on the PATH: this build.
      writeFileSync(join(folder, 'jwt-vs-oauth'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
      const run = promisify(execFile);
      const env = { PATH: `${folder}:${process.env.PATH}`, HOME: folder };
      await run('bash', ['-c', 'jwt-vs-oauth mint --alg ES256 --save-key dpop-key.json'], { cwd: folder, env });
      // The same command, at this provider's address instead of port 9400.
      const { stdout } = await run('bash', ['-c', `${CURL.replaceAll('http://127.0.0.1:9400', provider.issuer)} --silent --show-error`], { cwd: folder, env });
      const answer = JSON.parse(stdout) as { token_type: string; access_token: string };
      expect(answer.token_type).toBe('DPoP');
      const { payload } = decodeToken(answer.access_token, now()) as { payload: { cnf?: { jkt?: string } } };
      expect(payload.cnf?.jkt).toHaveLength(43);
    } finally {
      await provider.close();
    }
  }, 60_000);
});
