// Lesson 15 (issue #15, beyond the article: ending things): the lesson file passes the validator,
// and every hands-on step runs through the lesson engine as the tutorial runs it and shows what
// the lesson says: RP-initiated logout's redirect, introspection active until the refresh token is
// revoked while a local JWT check still says valid; key rotation with the JWKS fetched twice (the
// unknown kid once, forged kids never); Meera's order given to Asha by a scope-only API and refused
// with 403 by the fixed one. Each step's lines fit 80 and 60 columns, and so does `tutorial 15 --plain`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runLessonStep, type StepView } from '../../src/cli/lesson-step-view.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { validateLesson, type Lesson } from '../../src/lessons/schema.js';
import { displayWidth, layoutText } from '../../src/text/layout.js';
import { runCli } from '../helpers/cli.js';

const FILE = join(lessonsFolder(), 'tutorial', '15-ending-things.json');
const lesson: Lesson = loadLessons(join(lessonsFolder(), 'tutorial')).find((candidate) => candidate.number === 15)!;

function viewFor(width: number): StepView {
  const output = createOutput({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, NO_COLOURS);
  return { output, now: () => Math.floor(Date.now() / 1000), width, saved: new Map(), given: new Map(), pause: async () => undefined, interactive: true };
}

/** Runs one hands-on step, by title, as the tutorial does; its text laid out as the tutorial lays it out. */
async function step(title: string, width: number): Promise<string> {
  const screen = lesson.screens.find((candidate) => candidate.type === 'run' && candidate.title === title);
  if (screen?.type !== 'run') throw new Error(`lesson 15 has no hands-on step "${title}"`);
  const { text, commandFailed } = await runLessonStep(screen, viewFor(width));
  expect(commandFailed).toBe(false);
  return layoutText(text, width);
}

/** The statuses of the answers a step shows ("← 200"), in order. */
const statuses = (text: string) => [...text.matchAll(/^ {2}← (\d{3})/gm)].map((match) => Number(match[1]));
const tooWide = (text: string, width: number) => text.split('\n').filter((line) => displayWidth(line) > width);

test('the lesson file passes the validator: 8 screens, three demos, a question after each', () => {
  const checked = validateLesson(JSON.parse(readFileSync(FILE, 'utf8')), FILE);
  expect(checked.id).toBe('ending-things');
  const kinds = checked.screens.map((screen) => (screen.type === 'run' && 'demo' in screen ? screen.demo : screen.type));
  expect(kinds).toEqual(['text', 'text', 'logout-and-revoke', 'question', 'key-rotation', 'question', 'object-level-check', 'question']);
});

describe('lesson 15: ending things', () => {
  test('logout redirects back with the state; introspection stays active after logout and turns false after the refresh token is revoked; the local check stays valid', async () => {
    const text = await step('Log out, then revoke', 80);
    expect(statuses(text)).toEqual([200, 302, 200, 200, 200]);
    expect(text).toContain('← 302, Location: http://127.0.0.1/?state=bye-1');
    // After sign-in and after logout: active, with the token's claims; after the revocation: only active false.
    const [afterSignIn, afterLogout, revoke, afterRevoke] = text.split('→ POST').slice(1);
    expect(afterSignIn).toMatch(/^ \/introspect +\(the access token, right after sign-in/);
    expect(afterSignIn).toContain('"active": true');
    expect(afterLogout).toMatch(/^ \/introspect/);
    expect(afterLogout).toContain('"active": true');
    expect(afterLogout).toContain('"username": "asha@example.com"');
    expect(revoke).toMatch(/^ \/revoke .*\n {2}← 200 \{\}/);
    expect(afterRevoke).toMatch(/^ \/introspect .*\n {2}← 200 \{"active":false\}/);
    expect(text).toMatch(/after sign-in +active +valid/);
    expect(text).toMatch(/after logout +active +valid/);
    expect(text).toMatch(/after revocation +not active +valid, 1[45] more minutes/);
  }, 30_000);

  test('each row of the table comes from an introspection the demo shows: one shown request per row, the same answer, in order', async () => {
    const text = await step('Log out, then revoke', 80);
    const shown = text.split('→ POST').slice(1).filter((part) => part.startsWith(' /introspect'));
    const answers = shown.map((part) => (/"active": ?true/.test(part.split('\n  → ')[0]!) ? 'active' : 'not active'));
    const rows = [...text.matchAll(/^ {2}(after [a-z -]+?) {2,}(active|not active) {2,}/gm)].map((match) => [match[1], match[2]]);
    expect(rows.map((row) => row[0])).toEqual(['after sign-in', 'after logout', 'after revocation']);
    expect(answers).toEqual(rows.map((row) => row[1]));
    expect(shown.map((part) => /^ \/introspect +\(the access token, ([a-z -]+)/.exec(part)?.[1])).toEqual(['right after sign-in', 'after logout', 'after revocation']);
  }, 30_000);

  test('key rotation: fetch 1 for token 1, fetch 2 for token 2\'s unknown kid, token 1 still valid with no fetch, 20 forged kids refused with no fetch', async () => {
    const text = await step('Signing keys change', 80);
    const fetches = [...text.matchAll(/→ GET \/jwks {2}\(fetch (\d)/g)].map((match) => Number(match[1]));
    expect(fetches).toEqual([1, 2]);
    // Two keys before the rotation, four after (the old ones kept).
    const keyCounts = [...text.matchAll(/← 200, keys: (.*(?:\n {4}.*)*)/g)].map((match) => match[1]!.split(', ').length);
    expect(keyCounts).toEqual([2, 4]);
    expect(text).toMatch(/^ {2}token 1 +1 +valid, kid \S+…$/m);
    expect(text).toMatch(/^ {2}token 2 \(new key\) +2 +valid, kid \S+…$/m);
    expect(text).toMatch(/^ {2}token 1 again +2 +valid, kid \S+…$/m);
    expect(text).toMatch(/^ {2}20 forged tokens +2 +each refused: ERR_JWKS_NO_MATCHING_KEY$/m);
    expect(text).toContain('2 fetches of /jwks in all.');
  }, 30_000);

  test('object level: the scope-only API gives Asha Meera\'s order (200); the fixed API answers 403 for it and 200 for each user\'s own', async () => {
    const text = await step('Whose order is it?', 80);
    expect(statuses(text)).toEqual([200, 200, 200, 403, 200]);
    const answers = [...text.matchAll(/→ GET (\/orders\/\w+) {2}\(([^)]*)\)\n {2}← (\d{3}) (.*)/g)].map((match) => [match[1], match[2], match[3], match[4]]);
    // Ids as in exercise 21 (/orders/1042 is Asha's order there too).
    expect(answers[0]?.slice(0, 3)).toEqual(['/orders/1042', 'Asha\'s token; her order', '200']);
    expect(answers[1]).toEqual(['/orders/1077', 'Asha\'s token; Meera\'s order', '200', '{"id":"1077","dish":"Filter coffee","status":"preparing"}']);
    expect(answers[3]?.slice(0, 3)).toEqual(['/orders/1077', 'Asha\'s token; Meera\'s order', '403']);
    expect(answers[3]?.[3]).toBe('{"error":"forbidden","error_description":"order 1077 is another user\'s"}');
    expect(answers[4]?.slice(1, 3)).toEqual(['Meera\'s token; her own order', '200']);
  }, 30_000);

  test.each([80, 60])('every step fits %i columns', async (width) => {
    for (const screen of lesson.screens) {
      if (screen.type !== 'run') continue;
      expect(tooWide(await step(screen.title!, width), width), screen.title).toEqual([]);
    }
  }, 60_000);
});

test('tutorial 15 --plain: exit 0, the whole lesson with its answers within 60 columns', async () => {
  const { code, stdout, stderr } = await runCli(['tutorial', '15', '--plain'], { env: { COLUMNS: '60' } });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('Lesson 15: Ending things');
  expect(stdout).toContain('← 200 {"active":false}');
  // The tables keep their columns at 60 (stacked, they would add "label:" words the wide run has not).
  expect(stdout).toMatch(/^ {2}after revocation +not active +valid, 1[45] more/m);
  expect(stdout).toMatch(/^ {2}token 1 +1 +valid, kid \S+…$/m);
  expect(stdout).toContain('Answers to lesson 15');
  expect(tooWide(stdout, 60)).toEqual([]);
}, 30_000);

test('tutorial 15 --plain: OIDC Core §10.1.1 is cited for what it says; publishing first is what a careful provider does; logout asks first; Ravi (lesson 10\'s attacker) is not the other customer', async () => {
  const { code, stdout } = await runCli(['tutorial', '15', '--plain'], { env: { COLUMNS: '80' } });
  expect(code).toBe(0);
  const prose = stdout.replace(/\s+/g, ' ');
  // §10.1.1: new keys added, the signer starts using one at its discretion, old ones kept a reasonable time.
  expect(prose).toContain('OIDC Core §10.1.1 describes rotation: the provider adds new keys to its JWKS and may start signing with one whenever it chooses; keys it has just stopped using should stay there for a reasonable time.');
  expect(prose).toContain('A careful provider publishes a new key before it signs with it');
  expect(prose).toContain('Either way, Mock Google signs with the new key at once, which §10.1.1 allows');
  // How the demo rotates, said plainly: a flag at start for your own, a running one in the demo.
  expect(prose).toContain('To change the keys of your own Mock Google, start it with jwt-vs-oauth provider --rotate-keys. The demo below changes the keys of a Mock Google that is already running.');
  expect(prose).not.toContain('asks a running one');
  // No sentence that cites §10.1.1 makes it require publishing first or keeping keys until their tokens expire.
  const citing = prose.split(/(?<=\.) /).filter((sentence) => sentence.includes('§10.1.1'));
  expect(citing.length).toBeGreaterThanOrEqual(4);
  for (const sentence of citing) expect(sentence).not.toMatch(/before (signing|it signs)|until the tokens|rather than publishing/);
  expect(prose).toContain('The provider ends its session (a real provider first asks the user whether to log out there too, §2)');
  expect(prose).toContain('Asha asks for her order and for Meera\'s');
  expect(stdout).not.toContain('Ravi');
}, 30_000);

test('tutorial 15 --plain: what Mock Google keeps (no browser session; sid names the grant) and who may introspect (a real provider: a registered resource server; Mock Google: the token\'s client), said the same on screens 1, 2 and 4', async () => {
  const { code, stdout } = await runCli(['tutorial', '15', '--plain'], { env: { COLUMNS: '80' } });
  expect(code).toBe(0);
  const prose = stdout.replace(/\s+/g, ' ');
  expect(prose).not.toContain('keeps no session of its own');
  expect(prose).toContain('Mock Google keeps no browser session (no sign-in cookie), so every /authorize asks for the password again. The sid in its tokens names the sign-in (the grant) they came from, not a browser session.');
  expect(prose).toContain('A real provider lets a registered resource server introspect, with that server\'s own credentials (RFC 7662 §2.1). Mock Google, simpler, answers only the client the token was issued to');
  expect(prose).toContain('At a real provider the payments API, registered as a resource server, asks with its own credentials (§2.1). Mock Google, simpler, answers only the client the token was issued to, so there Swaad\'s server would ask for it.');
}, 30_000);
