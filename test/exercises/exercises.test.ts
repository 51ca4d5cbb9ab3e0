// Every exercise: its reference solution passes and its untouched starting state fails. Plus the
// check output for wrong answers, teacher packs, progress and reset, and per-learner seeds.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MATERIAL_NAMES } from '../../src/lessons/exercise-schema.js';
import { loadExercises } from '../../src/lessons/exercises.js';
import { generateMaterial } from '../../src/lessons/material.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { selftestExercise } from '../../src/lessons/selftest.js';
import type { RunningProvider } from '../../src/provider/server.js';
import { runCli } from '../helpers/cli.js';
import { GOOD, packOf } from './pack-fixtures.js';
import { startTestProvider } from '../helpers/provider.js';
import { exerciseClients } from '../../src/cli/commands/exercises-start.js';

const builtIn = join(lessonsFolder(), 'exercises');
const examplePack = join(lessonsFolder(), 'example-pack');
const exercises = loadExercises(builtIn, examplePack);
const SEED = 'classroom-seed-1';
let provider: RunningProvider;

beforeAll(async () => {
  // The clients `exercises start` registers: the device-flow exercise's swaad-tv too.
  provider = await startTestProvider({ clients: await exerciseClients() });
});
afterAll(() => provider.close());

describe('every exercise', () => {
  test('at least 16 built-in exercises, of every kind', () => {
    const builtInOnly = loadExercises(builtIn);
    expect(builtInOnly.length).toBeGreaterThanOrEqual(16);
    expect(new Set(builtInOnly.map((exercise) => exercise.topic))).toEqual(new Set(['read-a-token', 'make-a-token', 'find-the-flaw', 'oauth-by-hand', 'choose', 'fix-a-mistake']));
    expect(new Set(builtInOnly.map((exercise) => exercise.check.kind))).toEqual(new Set(['answer', 'choice', 'token-rules', 'provider-token', 'pkce-pair', 'dpop-proof']));
  });

  test.each(exercises.map((exercise) => [exercise.id] as const))('%s: the reference solution passes, the untouched start fails', async (id) => {
    const exercise = exercises.find((candidate) => candidate.id === id)!;
    const outcome = await selftestExercise(exercise, {
      seed: SEED,
      now: () => Math.floor(Date.now() / 1000),
      runCommand: (words) => runCli(words),
      provider: { issuer: provider.issuer, user: { email: 'asha@example.com', password: 'mango-lassi-42' } },
    });
    expect(outcome).toEqual({ id, title: exercise.title, ok: true, solutionPasses: true, emptyAnswerFails: true });
  });
});

describe('exercises through the CLI', () => {
  const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-ex-'));

  test('a wrong answer: labelled input, the rule in words (not the value), got and why, ✗, exit 1; a right one exits 0', async () => {
    const env = { JWT_VS_OAUTH_HOME: home() };
    const wrong = await runCli(['exercises', '--seed', SEED, 'check', 'read-audience', 'nobody-api'], { env });
    expect(wrong.code).toBe(1);
    const audience = generateMaterial('token', SEED, 'read-audience').aud!;
    expect(wrong.stdout).toBe('Checking read-audience: Who is it for?\n  input: nobody-api\n  ✗ answer\n      expected: the token\'s audience (its aud claim)\n      got:      nobody-api\n      why:      that is not the token\'s aud: decode the token and read its aud claim\n✗ Not yet. A hint: jwt-vs-oauth exercises hint read-audience\n');
    const right = await runCli(['exercises', '--seed', SEED, 'check', 'read-audience', audience, '--json'], { env });
    expect(right.code).toBe(0);
    expect(JSON.parse(right.stdout)).toEqual({ id: 'read-audience', passed: true, input: [audience], checks: [{ label: 'answer', expected: 'the token\'s audience (its aud claim)', got: audience, ok: true }] });
  });

  test('an answer with control characters is shown escaped, and kept exact in --json', async () => {
    const env = { JWT_VS_OAUTH_HOME: home() };
    const answer = '\u001b[8mx\r\u001b]0;title\u0007';
    const shown = await runCli(['exercises', '--seed', SEED, 'check', 'read-audience', answer], { env });
    expect(shown.code).toBe(1);
    expect(shown.stdout).not.toMatch(/[\u001b\r\u0007]/);
    expect(shown.stdout).toContain('input: \\x1b[8mx\\r\\x1b]0;title\\x07');
    const json = await runCli(['exercises', '--seed', SEED, 'check', 'read-audience', answer, '--json'], { env });
    expect(JSON.parse(json.stdout).input).toEqual([answer]);
  });

  test('a token that breaks several rules says which', async () => {
    const token = (await runCli(['mint', '--secret', 'PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI=', '--aud', 'other-api', '--exp', '2h'])).stdout.trim();
    const result = await runCli(['ex', 'check', 'make-practice-token', token, '--json'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(result.code).toBe(1);
    const failed = JSON.parse(result.stdout).checks.filter((line: { ok: boolean }) => !line.ok).map((line: { label: string; got: string }) => `${line.label}: ${line.got}`);
    expect(failed).toEqual(['iss: (missing)', 'aud: "other-api"', 'exp: 120 minutes away', 'claim role: (missing)']);
  });

  test('hints one at a time; the solution only after a pass or with --teacher', async () => {
    const env = { JWT_VS_OAUTH_HOME: home() };
    expect((await runCli(['ex', 'hint', 'pkce-challenge'], { env })).stdout).toMatch(/^Hint 1 of 2: code_challenge = BASE64URL/);
    expect((await runCli(['ex', 'hint', 'pkce-challenge'], { env })).stdout.split('\n').filter((line) => line.startsWith('Hint')).length).toBe(2);
    const locked = await runCli(['ex', 'solution', 'choose-delegated'], { env });
    expect(locked.code).toBe(1);
    expect(locked.stdout).toBe('The worked solution opens once choose-delegated passes. The answer opens after 3 failed attempts: 3 more to go. A hint: jwt-vs-oauth exercises hint choose-delegated\n');
    const teacher = await runCli(['ex', 'solution', 'choose-delegated', '--teacher'], { env });
    expect(teacher.stdout).toContain('Answer: b');
    expect(teacher.stderr).toBe('No teacher key is set (no pack with a teacherKey in its pack.json), so --teacher is open to anyone.\n');
    await runCli(['ex', 'check', 'choose-delegated', 'b'], { env });
    expect((await runCli(['ex', 'solution', 'choose-delegated'], { env })).code).toBe(0);
  });

  test('progress and reset', async () => {
    const env = { JWT_VS_OAUTH_HOME: home() };
    await runCli(['ex', 'check', 'choose-own-api', 'a'], { env });
    await runCli(['ex', 'check', 'choose-social-login', 'b'], { env });
    await runCli(['ex', 'check', 'choose-delegated', 'a'], { env });
    const progress = JSON.parse((await runCli(['ex', 'progress', '--json'], { env })).stdout);
    expect(progress).toMatchObject({ total: 26, passed: 2, topics: { choose: { total: 5, passed: 2 } } });
    expect(progress.exercises.find((row: { id: string }) => row.id === 'choose-delegated')).toMatchObject({ passed: false, attempts: 1 });
    expect(progress.firstActivity).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await runCli(['ex', 'reset', 'choose-own-api'], { env })).stderr).toBe('Reset choose-own-api.\n');
    expect(JSON.parse((await runCli(['ex', 'progress', '--json'], { env })).stdout).passed).toBe(1);
    const refused = await runCli(['ex', 'reset', '--all'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('without a terminal to ask, add --yes');
    await runCli(['ex', 'reset', '--all', '--yes'], { env });
    expect(JSON.parse((await runCli(['ex', 'progress', '--json'], { env })).stdout).passed).toBe(0);
  });

  test('list --json and an unknown exercise', async () => {
    const list = JSON.parse((await runCli(['ex', 'list', '--json'], { env: { JWT_VS_OAUTH_HOME: home() } })).stdout);
    expect(list.exercises[0]).toEqual({ id: 'read-subject', title: 'Who is this token about?', topic: 'read-a-token', done: false });
    const unknown = await runCli(['ex', 'show', 'nope'], { env: { JWT_VS_OAUTH_HOME: home() } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('error: There is no exercise "nope".\nList them with: jwt-vs-oauth exercises list\n');
  });
});

describe('material', () => {
  test.each([...MATERIAL_NAMES])('the {{names}} a pack may use with %s material are the names it fills', (kind, names) => {
    expect(Object.keys(generateMaterial(kind, 'seed-one', 'any-exercise', ['expired'])).sort()).toEqual([...names].sort());
  });
});

describe('seeds', () => {
  test('two seeds give different tokens; one seed always the same', () => {
    const one = generateMaterial('token', 'seed-one', 'read-subject');
    expect(generateMaterial('token', 'seed-one', 'read-subject')).toEqual(one);
    expect(generateMaterial('token', 'seed-two', 'read-subject').token).not.toBe(one.token);
    const flawed = generateMaterial('flawed-token-rs256', 'seed-one', 'flaw-two', ['tampered', 'key-confusion']);
    expect(generateMaterial('flawed-token-rs256', 'seed-one', 'flaw-two', ['tampered', 'key-confusion'])).toEqual(flawed);
  });

  test('a learner keeps their seed between commands; --seed overrides it', async () => {
    const env = { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-ex-')) };
    const first = (await runCli(['ex', 'show', 'read-subject', '--json'], { env })).stdout;
    expect((await runCli(['ex', 'show', 'read-subject', '--json'], { env })).stdout).toBe(first);
    const seed = JSON.parse(readFileSync(join(env.JWT_VS_OAUTH_HOME, 'progress.json'), 'utf8')).seed;
    expect(seed).toMatch(/^[0-9a-f]{16}$/);
    expect((await runCli(['ex', '--seed', 'another', 'show', 'read-subject', '--json'], { env })).stdout).not.toBe(first);
  });
});

describe('teacher packs', () => {
  test('the example pack adds its exercises (with --pack or JWT_VS_OAUTH_PACK)', async () => {
    const env = { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-ex-')) };
    const withFlag = JSON.parse((await runCli(['ex', '--pack', examplePack, 'list', '--json'], { env })).stdout);
    expect(withFlag.exercises.map((row: { id: string }) => row.id).slice(-2)).toEqual(['pack-read-issuer', 'pack-choose-storage']);
    const withEnv = JSON.parse((await runCli(['ex', 'list', '--json'], { env: { ...env, JWT_VS_OAUTH_PACK: examplePack } })).stdout);
    expect(withEnv.exercises.length).toBe(28);
  });

  test.each([
    ['not JSON', '{', /bad\.json: not valid JSON/],
    ['a missing check', { id: 'x', title: 'T', topic: 'choose', task: ['t'], hints: ['h'], solution: { explain: ['e'], answers: ['a'] } }, /bad\.json: "check": must be an object with a "kind"/],
    ['an unknown topic', { id: 'x', title: 'T', topic: 'cooking', task: ['t'], hints: ['h'], solution: { explain: ['e'], answers: [] }, check: { kind: 'answer', expected: 'a' } }, /bad\.json: "topic": must be one of read-a-token/],
    ['a choice out of range', { id: 'x', title: 'T', topic: 'choose', task: ['t'], hints: ['h'], choices: ['one', 'two'], solution: { explain: ['e'], answers: [] }, check: { kind: 'choice', answer: 5 } }, /bad\.json: "check\.answer": must be the index of one of the choices/],
    ['an id the built-in exercises use', { id: 'read-subject', title: 'T', topic: 'choose', task: ['t'], hints: ['h'], solution: { explain: ['e'], answers: [] }, check: { kind: 'answer', expected: 'a' } }, /bad\.json: "id": "read-subject" is already used by .*01-read-subject\.json\./],
  ])('a bad pack file is refused, naming the file and the field: %s', async (_name, content, message) => {
    const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-'));
    mkdirSync(pack, { recursive: true });
    writeFileSync(join(pack, 'bad.json'), typeof content === 'string' ? content : JSON.stringify(content));
    const result = await runCli(['ex', '--pack', pack, 'list'], { env: { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-ex-')) } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('a solution command other than decode, mint or verify is refused when the pack loads', async () => {
    const pack = packOf({ 'shell.json': { ...GOOD, solution: { ...GOOD.solution, commands: ['rm -rf ~'] } } });
    const result = await runCli(['ex', '--pack', pack, 'selftest']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/shell\.json: exercise "pack-read-sub": solution command 1 \("rm -rf ~"\) is not a jwt-vs-oauth decode, mint or verify command\.\nA solution command may use only: /);
  });

  test('selftest: the example pack checks out (exit 0), and only the pack is tried', async () => {
    const result = await runCli(['ex', '--pack', examplePack, 'selftest', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      seed: 'selftest',
      exercises: [
        { id: 'pack-read-issuer', title: 'Class pack: who issued it?', ok: true, solutionPasses: true, emptyAnswerFails: true },
        { id: 'pack-choose-storage', title: expect.any(String), ok: true, solutionPasses: true, emptyAnswerFails: true },
      ],
    });
    const human = await runCli(['ex', '--pack', examplePack, 'selftest']);
    expect(human.stdout).toBe('✓ pack-read-issuer     the solution passes; an empty answer fails\n✓ pack-choose-storage  the solution passes; an empty answer fails\n✓ All 2 check out.\n');
    expect(human.stderr).toBe('Trying the reference solution of 2 exercises (seed "selftest")…\n');
  });

  test('selftest of an exercise that needs Mock Google starts one for the run', async () => {
    const result = await runCli(['ex', 'selftest', 'oauth-access-token', 'read-subject']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Trying the reference solution of 2 exercises \(seed "selftest"\), with Mock Google at http:\/\/127\.0\.0\.1:\d+…\n$/);
    expect(result.stdout).toMatch(/^✓ oauth-access-token  the solution passes; an empty answer fails\n✓ read-subject {8}the solution passes; an empty answer fails\n✓ All 2 check out\.\n$/);
  });

  test('selftest names what is wrong with a pack: a wrong solution, a check that takes anything, a command that fails', async () => {
    const pack = packOf({
      'wrong.json': { ...GOOD, id: 'wrong-solution', solution: { ...GOOD.solution, answers: ['someone-else'] } },
      'lax.json': { ...GOOD, id: 'takes-anything', check: { kind: 'answer', pattern: '.*' } },
      'broken.json': { ...GOOD, id: 'broken-command', solution: { ...GOOD.solution, commands: ['jwt-vs-oauth decode not-a-token'], answers: ['{{output.1}}'] } },
    });
    const result = await runCli(['ex', '--pack', pack, 'selftest']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^✗ wrong-solution +the solution fails its check \(answer: expected the value the task asks for, got someone-else\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^✗ takes-anything +an empty answer passes: the check accepts anything$/));
    expect(lines).toContainEqual(expect.stringMatching(/^✗ broken-command +the solution cannot be made: solution command 1 exited 2: error: /));
    expect(lines.at(-1)).toBe('✗ 3 of 3 do not check out.');
  });
});
