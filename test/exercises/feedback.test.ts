// Feedback without the answer, through the real CLI: a first failed attempt at any exercise in
// lessons/ shows no value that solves it; the answer opens after revealAfter failed attempts;
// --teacher needs the pack's teacher passphrase.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Exercise } from '../../src/lessons/exercise-schema.js';
import { loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { fillTemplate } from '../../src/lessons/template.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { referenceAnswers } from '../../src/lessons/selftest.js';
import { makeTeacherKey, passphraseMatches } from '../../src/lessons/teacher-key.js';
import { s256Challenge } from '../../src/protocol/pkce.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { runCli } from '../helpers/cli.js';
import { GOOD, packOf } from './pack-fixtures.js';
import { startTestProvider } from '../helpers/provider.js';
import { exerciseClients } from '../../src/cli/commands/exercises-start.js';

const builtIn = join(lessonsFolder(), 'exercises');
const examplePack = join(lessonsFolder(), 'example-pack');
const exercises = loadExercises(builtIn, examplePack);
const SEED = 'feedback-seed';
import { LETTERS } from '../../src/lessons/choices.js';
let provider: RunningProvider;

beforeAll(async () => {
  // The clients `exercises start` registers: the device-flow exercise's swaad-tv too.
  provider = await startTestProvider({ clients: await exerciseClients() });
});
afterAll(() => provider.close());

/** A learner's home with a progress file holding the seed (and the running provider, as `exercises start` records it). */
function learnerHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-feedback-'));
  writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, seed: SEED, exercises: { provider: { issuer: provider.issuer, exercise: 'oauth-access-token' } } }));
  return home;
}

const attemptsIn = (home: string, id: string) => JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).exercises.attempts?.[id] ?? 0;

/** A wrong answer of the kind a learner sends: another flaw from the list, another choice, a token that breaks the rules. */
async function wrongAnswers(exercise: Exercise): Promise<string[]> {
  const check = exercise.check;
  const material = materialFor(exercise, SEED);
  switch (check.kind) {
    case 'answer': {
      const pool = exercise.material?.pool;
      return [pool ? pool.find((flaw) => flaw !== material.flaw)! : 'not-the-answer'];
    }
    case 'choice':
      return [LETTERS[(check.answer + 1) % exercise.choices!.length]!];
    case 'pkce-pair':
      return ['A'.repeat(43)];
    case 'token-rules':
    case 'provider-token':
    case 'dpop-proof': {
      const token = (await runCli(['mint', '--secret', 'TOdme/5cWHh4k0oO0tzMmmGnxpdRUOJZnz3B/xY763M=', '--sub', 'someone', '--aud', 'somewhere', '--exp', '2h'])).stdout.trim();
      return exercise.answerNames.length === 2 ? [token, 'swaad123'] : [token];
    }
  }
}

/** Every value that would solve the exercise: the reference answers, the expected value, the right choice, the challenge. */
async function solvingValues(exercise: Exercise): Promise<string[]> {
  const check = exercise.check;
  const material = materialFor(exercise, SEED);
  const values = await referenceAnswers(exercise, SEED, (words) => runCli(words), { issuer: provider.issuer, user: { email: 'asha@example.com', password: 'mango-lassi-42' } });
  if (check.kind === 'answer' && check.expected) values.push(fillTemplate(check.expected, material));
  if (check.kind === 'answer' && material.expIso) values.push(material.expIso);
  if (check.kind === 'choice') values.push(exercise.choices![check.answer]!, `(${LETTERS[check.answer]})`);
  if (check.kind === 'pkce-pair') values.push(s256Challenge(fillTemplate(check.verifier, material)));
  return values.filter((value) => value.length >= 2);
}

describe('no exercise in lessons/ shows its expected value on a first failed attempt', () => {
  test('the walk covers every built-in and example-pack exercise, of every check kind', () => {
    expect(exercises.length).toBe(28);
    expect(exercises.map((exercise) => exercise.id).slice(18, 26)).toEqual(['choose-browser-app-tokens', 'choose-what-logout-ends', 'fix-object-level-check', 'flaw-refresh-reuse', 'oauth-device-flow', 'oauth-client-credentials', 'dpop-proof-by-hand', 'read-cnf-jkt']);
    expect(new Set(exercises.map((exercise) => exercise.check.kind))).toEqual(new Set(['answer', 'choice', 'token-rules', 'provider-token', 'pkce-pair', 'dpop-proof']));
  });

  test.each(exercises.map((exercise) => [exercise.id, exercise] as const))('%s: a wrong answer fails (exit 1), says why, and shows no solving value, as text or --json', async (id, exercise) => {
    const answers = await wrongAnswers(exercise);
    const forbidden = await solvingValues(exercise);
    expect(forbidden.length).toBeGreaterThan(0);
    const words = ['ex', '--pack', examplePack, 'check', id, ...answers];
    const text = await runCli(words, { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    const json = await runCli([...words, '--json'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(text.code).toBe(1);
    expect(json.code).toBe(1);
    for (const value of forbidden) {
      expect(text.stdout + text.stderr).not.toContain(value);
      expect(json.stdout + json.stderr).not.toContain(value);
    }
    const checks = JSON.parse(json.stdout).checks as Array<{ label: string; expected: string; ok: boolean; why?: string }>;
    // Which check failed, and why in words: every failed line says why.
    for (const line of checks.filter((each) => !each.ok)) expect(line.why, line.label).toMatch(/\w{3,}/);
    expect(text.stdout).toMatch(/\n {6}why: {6}\S/);
    // A token's required iss, aud and claims are shown as values: values the task itself states.
    const task = exercise.task.map((paragraph) => fillTemplate(paragraph, materialFor(exercise, SEED))).join('\n');
    const statedRules = exercise.check.kind === 'token-rules' ? checks.filter((each) => ['iss', 'aud'].includes(each.label) || each.label.startsWith('claim ')) : [];
    for (const line of statedRules) {
      const value = line.expected.startsWith('"') ? JSON.parse(line.expected) as string : line.expected;
      expect(task, line.label).toContain(value);
    }
  });
});

describe('the usual PKCE slips are named, never the challenge', () => {
  const exercise = exercises.find((each) => each.id === 'pkce-challenge')!;
  const verifier = materialFor(exercise, SEED).verifier!;
  const hash = createHash('sha256').update(verifier).digest();
  test.each([
    ['the verifier itself', verifier, /^that is the verifier itself \(the plain method\)/],
    ['the hash in hex', hash.toString('hex'), /^that is the hash in hex: base64url-encode the 32 bytes/],
    ['base64 with padding', hash.toString('base64'), /^that is base64, not base64url: write - for \+, _ for \/, and drop the = padding/],
    ['echo without -n', createHash('sha256').update(`${verifier}\n`).digest('base64url'), /^that is the hash of the verifier followed by a newline/],
    ['too short', 'abc', /^an S256 code_challenge is 43 characters .*; that is 3$/],
    ['43 characters, wrong', 'B'.repeat(43), /^the challenge does not match the verifier: did you hash the ASCII bytes/],
  ])('%s', async (_name, answer, why) => {
    const result = await runCli(['ex', 'check', 'pkce-challenge', answer, '--json'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(1);
    const [line] = JSON.parse(result.stdout).checks;
    expect(line).toMatchObject({ expected: 'BASE64URL(SHA-256(ASCII(code_verifier))): 43 characters, no padding (RFC 7636 §4.2)', ok: false });
    expect(line.why).toMatch(why);
    expect(result.stdout).not.toContain(s256Challenge(verifier));
  });
});

describe('the answer after revealAfter failed attempts', () => {
  test('default 3: hint --reveal is refused with the attempts left (exit 1), then shows the answer; check says when it opens', async () => {
    const home = learnerHome();
    const env = { JWT_VS_OAUTH_HOME: home };
    const sub = materialFor(exercises.find((each) => each.id === 'read-subject')!, SEED).sub!;
    const refused = await runCli(['ex', 'hint', 'read-subject', '--reveal'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('The answer opens after 3 failed attempts: 3 more to go. A hint: jwt-vs-oauth exercises hint read-subject\n');
    for (const attempt of [1, 2]) {
      const wrong = await runCli(['ex', 'check', 'read-subject', `nobody-${attempt}`], { env });
      expect(wrong.stdout).not.toContain('--reveal');
    }
    const locked = await runCli(['ex', 'solution', 'read-subject'], { env });
    expect(locked.stdout).toBe('The worked solution opens once read-subject passes. The answer opens after 3 failed attempts: 1 more to go. A hint: jwt-vs-oauth exercises hint read-subject\n');
    const third = await runCli(['ex', 'check', 'read-subject', 'nobody-3'], { env });
    expect(third.stdout.trim().split('\n').at(-1)).toBe('✗ Not yet. A hint: jwt-vs-oauth exercises hint read-subject; the answer: jwt-vs-oauth exercises hint read-subject --reveal');
    expect(third.stdout).not.toContain(sub);
    const revealed = await runCli(['ex', 'hint', 'read-subject', '--reveal'], { env });
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toContain('The answer to read-subject, after 3 failed attempts:\n  $ jwt-vs-oauth decode ');
    expect(revealed.stdout).toContain(`\nAnswer: ${sub}\n`);
    expect(JSON.parse((await runCli(['ex', 'hint', 'read-subject', '--reveal', '--json'], { env })).stdout)).toMatchObject({ id: 'read-subject', revealed: true, answers: [sub] });
    // The worked solution still waits for a pass.
    expect((await runCli(['ex', 'solution', 'read-subject'], { env })).code).toBe(1);
    expect((await runCli(['ex', 'check', 'read-subject', sub], { env })).code).toBe(0);
    expect((await runCli(['ex', 'solution', 'read-subject'], { env })).code).toBe(0);
  });

  test('the last hint says how far the answer is; hint --json carries the reveal state', async () => {
    const env = { JWT_VS_OAUTH_HOME: learnerHome() };
    await runCli(['ex', 'check', 'choose-delegated', 'a'], { env });
    const hint = await runCli(['ex', 'hint', 'choose-delegated'], { env });
    expect(hint.stdout.trim().split('\n').at(-1)).toBe('That was the last hint. The answer opens after 3 failed attempts: 2 more to go.');
    expect(JSON.parse((await runCli(['ex', 'hint', 'choose-delegated', '--json'], { env })).stdout).reveal).toEqual({ after: 3, failedAttempts: 1, open: false });
  });

  test('a pack sets it in pack.json (the example pack: 2), an exercise for itself; 0 means never', async () => {
    const env = { JWT_VS_OAUTH_HOME: learnerHome() };
    for (const answer of ['x', 'y']) await runCli(['ex', '--pack', examplePack, 'check', 'pack-read-issuer', answer], { env });
    expect((await runCli(['ex', '--pack', examplePack, 'hint', 'pack-read-issuer', '--reveal'], { env })).code).toBe(0);
    const pack = packOf({ 'pack.json': { revealAfter: 1 }, 'never.json': { ...GOOD, id: 'never-told', revealAfter: 0 }, 'once.json': { ...GOOD, id: 'told-once' } });
    for (let attempt = 0; attempt < 4; attempt++) await runCli(['ex', '--pack', pack, 'check', 'never-told', 'x'], { env });
    const never = await runCli(['ex', '--pack', pack, 'hint', 'never-told', '--reveal', '--json'], { env });
    expect(never.code).toBe(1);
    expect(JSON.parse(never.stdout)).toEqual({ id: 'never-told', revealed: false, reason: 'The answer to never-told is not revealed (revealAfter is 0 for it): ask your teacher.' });
    await runCli(['ex', '--pack', pack, 'check', 'told-once', 'x'], { env });
    expect((await runCli(['ex', '--pack', pack, 'hint', 'told-once', '--reveal'], { env })).code).toBe(0);
  });

  test.each([
    ['revealAfter -1 in an exercise', { 'a.json': { ...GOOD, revealAfter: -1 } }, /a\.json: "revealAfter": must be a whole number of failed attempts from 0 \(never reveal the answer\) to 100/],
    ['revealAfter "3" in pack.json', { 'pack.json': { revealAfter: '3' }, 'a.json': GOOD }, /pack\.json: "revealAfter": must be a whole number/],
    ['an unknown setting in pack.json', { 'pack.json': { revealAfer: 3 }, 'a.json': GOOD }, /pack\.json: "revealAfer": is not a pack setting\.\npack\.json may set teacherKey and revealAfter/],
    ['a teacherKey that is a fast hash', { 'pack.json': { teacherKey: 'sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' }, 'a.json': GOOD }, /pack\.json: "teacherKey": is not a teacher key: make one with jwt-vs-oauth exercises teacher-key/],
    ['a teacherKey with a cheap scrypt cost', { 'pack.json': { teacherKey: `$scrypt$ln=10,r=8,p=1$${'A'.repeat(22)}$${'B'.repeat(43)}` }, 'a.json': GOOD }, /"teacherKey": asks for scrypt costs ln=10, r=8, p=1, outside what is accepted/],
    ['pack.json that is an array', { 'pack.json': [], 'a.json': GOOD }, /pack\.json: the file: must hold one JSON object/],
  ])('a pack setting that does not fit is refused, naming the file and the field (exit 2): %s', async (_name, files, message) => {
    const result = await runCli(['ex', '--pack', packOf(files), 'list'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('the teacher key', () => {
  const PASSPHRASE = 'correct horse battery staple';
  const TOO_LARGE_PASSPHRASE = 'error: The passphrase is larger than 1 KiB (1024 bytes); a passphrase is a few words, and no key was made.\nPipe in only the passphrase: printf %s "$PASSPHRASE" | jwt-vs-oauth exercises teacher-key\n';

  test('a passphrase of 1024 bytes on stdin (with echo\'s newline) is taken', async () => {
    const passphrase = 'x'.repeat(1024);
    const result = await runCli(['ex', 'teacher-key'], { stdin: `${passphrase}\n` });
    expect(result.code).toBe(0);
    expect(await passphraseMatches(passphrase, JSON.parse(result.stdout).teacherKey)).toBe(true);
  });

  test('teacher-key prints a pack.json with a salted scrypt key (a new salt each time); the passphrase from stdin or the variable', async () => {
    const fromStdin = await runCli(['ex', 'teacher-key'], { stdin: `${PASSPHRASE}\n` });
    expect(fromStdin.code).toBe(0);
    const { teacherKey } = JSON.parse(fromStdin.stdout);
    expect(teacherKey).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(fromStdin.stderr).toMatch(/^Save that as pack\.json in the pack's folder/);
    const fromEnv = JSON.parse((await runCli(['ex', 'teacher-key'], { env: { JWT_VS_OAUTH_TEACHER_KEY: PASSPHRASE } })).stdout).teacherKey;
    expect(fromEnv).not.toBe(teacherKey);
    expect(await passphraseMatches(PASSPHRASE, teacherKey)).toBe(true);
    expect(await passphraseMatches(PASSPHRASE, fromEnv)).toBe(true);
    expect(await passphraseMatches(`${PASSPHRASE}!`, teacherKey)).toBe(false);
  });

  test.each([
    ['a short passphrase', { stdin: 'short-one\n' }, 'error: A teacher passphrase needs at least 12 characters; that one has 9.\nFour or five random words, or: openssl rand -base64 12\n'],
    ['none at all', { stdin: '' }, 'error: No passphrase: stdin was empty.\nRun it on a terminal to be asked, pipe the passphrase in, or set JWT_VS_OAUTH_TEACHER_KEY.\n'],
    ['a passphrase over 1 KiB on stdin', { stdin: `${'x'.repeat(1025)}\n` }, TOO_LARGE_PASSPHRASE],
    ['a passphrase over 1 KiB in UTF-8 (513 two-byte letters)', { stdin: 'é'.repeat(513) }, TOO_LARGE_PASSPHRASE],
    ['a file over 1 MB on stdin', { stdin: 'x'.repeat(1024 * 1024 + 1) }, TOO_LARGE_PASSPHRASE],
    ['a passphrase over 1 KiB in JWT_VS_OAUTH_TEACHER_KEY', { env: { JWT_VS_OAUTH_TEACHER_KEY: 'x'.repeat(1025) } }, TOO_LARGE_PASSPHRASE],
  ])('teacher-key refuses %s (exit 2)', async (_name, options, stderr) => {
    const result = await runCli(['ex', 'teacher-key'], options);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(stderr);
  });

  test('with a teacherKey in pack.json, --teacher needs the passphrase: none or a wrong one is refused (exit 2), the right one opens', async () => {
    const pack = packOf({ 'pack.json': { teacherKey: await makeTeacherKey(PASSPHRASE) }, 'a.json': GOOD });
    const home = learnerHome();
    const solution = (env: NodeJS.ProcessEnv) => runCli(['ex', '--pack', pack, 'solution', 'pack-read-sub', '--teacher'], { env: { JWT_VS_OAUTH_HOME: home, ...env } });
    const none = await solution({});
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('error: This pack sets a teacher key: --teacher needs its passphrase.\nSet JWT_VS_OAUTH_TEACHER_KEY, or run the command on a terminal to be asked.\n');
    const wrong = await solution({ JWT_VS_OAUTH_TEACHER_KEY: 'not the passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toBe('error: That is not the teacher passphrase of this pack (the teacherKey in its pack.json).\nCheck JWT_VS_OAUTH_TEACHER_KEY or what you typed; a new key is made with: jwt-vs-oauth exercises teacher-key\n');
    const right = await solution({ JWT_VS_OAUTH_TEACHER_KEY: PASSPHRASE });
    expect(right.code).toBe(0);
    expect(right.stdout).toMatch(/^Solution: Whose token\?\nsub names the user\.\nAnswer: \w+\n$/);
    expect(right.stderr).toBe('');
  });

  test('a pack.json that is a symbolic link is refused like any pack file', async () => {
    const pack = packOf({ 'a.json': GOOD });
    const { symlinkSync } = await import('node:fs');
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-elsewhere-')), 'pack.json');
    writeFileSync(elsewhere, JSON.stringify({ revealAfter: 1 }));
    symlinkSync(elsewhere, join(pack, 'pack.json'));
    const result = await runCli(['ex', '--pack', pack, 'list'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/pack\.json: a symbolic link, which is not followed/);
  });
});
