// One answer normaliser (lessons/answers.ts): a value typed in the tutorial and the same value
// sent to an exercise's answer check get the same verdict and the same words: a case-only or
// spacing-only miss, decode's quotes, an ISO time with or without its zone for a NumericDate.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CASE_AND_SPACING_WHY, CASE_ONLY_WHY, isoAcceptedNote, NO_TIME_ZONE_WHY, SPACING_ONLY_WHY } from '../../src/lessons/answers.js';
import { runCheck } from '../../src/lessons/checks.js';
import { validateExercise } from '../../src/lessons/exercise-schema.js';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runLesson, type LessonUI } from '../../src/lessons/runner.js';
import type { Lesson } from '../../src/lessons/schema.js';
import { runCli } from '../helpers/cli.js';

/** What a learner is told: right or not, and the words beside it (why it missed, or what was accepted). */
interface Told {
  ok: boolean;
  words?: string;
}

/** The tutorial's verdict on a value question whose value is `expected`, for the first answer `typed`. */
async function tutorialVerdict(typed: string, expected: string): Promise<Told> {
  const lesson: Lesson = {
    id: 'same-verdict',
    number: 1,
    title: 'Same verdict',
    summary: 'One value question.',
    file: 'same-verdict.json',
    screens: [{ type: 'question', kind: 'value', prompt: 'Type the value', answerFrom: 'token:t.payload.v', explanation: 'Because.' }],
  };
  const told: Told[] = [];
  const ui: LessonUI = {
    show: () => undefined,
    run: async () => undefined,
    ask: async () => typed,
    expectedValue: () => expected,
    feedback: (correct, _question, _expected, _final, why) => void told.push({ ok: correct, ...(why !== undefined && { words: why }) }),
    recall: () => undefined,
    navigate: async () => 'next',
  };
  await runLesson(lesson, 0, ui, () => undefined);
  return told[0]!;
}

/** An exercise's verdict on the same answer, from an answer check with `expected` (or a `pattern`). */
async function exerciseVerdict(typed: string, check: { expected: string } | { pattern: string }): Promise<Told> {
  const exercise = validateExercise({
    id: 'same-verdict',
    title: 'Same verdict',
    topic: 'read-a-token',
    task: ['Send the value.'],
    hints: ['Read it.'],
    check: { kind: 'answer', ...check },
    solution: { explain: ['Because.'], answers: ['x'] },
  }, 'same-verdict.json');
  const result = await runCheck(exercise, [typed], { material: {}, now: 0 });
  const [line] = result.lines;
  // A plain miss is told "that is not …" by an exercise and nothing by the tutorial: only a named slip or a note is compared.
  const words = line!.ok ? line!.note : line!.why?.startsWith('that is not ') ? undefined : line!.why;
  return { ok: result.passed, ...(words !== undefined && { words }) };
}

const EXP = '1795938424';
const EXP_ISO = '2026-11-29T07:47:04Z';
const MARCH_3 = '1772496000';

describe('the tutorial and the exercises judge a typed value alike', () => {
  test.each<[string, string, string, Told]>([
    ['a case-only miss', 'Asha', 'asha', { ok: false, words: CASE_ONLY_WHY }],
    ['a spacing-only miss', 'read  the   token', 'read the token', { ok: false, words: SPACING_ONLY_WHY }],
    ['decode\'s quotes around the value', '"asha"', 'asha', { ok: true }],
    ['spaces around the value', '  asha ', 'asha', { ok: true }],
    ['another value', 'vikram', 'asha', { ok: false }],
    ['the NumericDate as its number', EXP, EXP, { ok: true }],
    ['the NumericDate as an ISO time with Z', EXP_ISO, EXP, { ok: true, words: isoAcceptedNote(EXP_ISO, EXP) }],
    ['the NumericDate as an ISO time with t and z in lower case', '2026-11-29t07:47:04z', EXP, { ok: true, words: expect.stringContaining('lower case') as unknown as string }],
    ['the NumericDate as an ISO time with an offset', '2026-11-29T13:17:04+05:30', EXP, { ok: true, words: isoAcceptedNote('2026-11-29T13:17:04+05:30', EXP) }],
    ['the NumericDate as an ISO time without a zone', '2026-11-29T07:47:04', EXP, { ok: false, words: NO_TIME_ZONE_WHY }],
    ['the NumericDate as another ISO time', '2026-11-29T07:47:05Z', EXP, { ok: false }],
    // Issue #14: a day or an hour that does not exist is no time, and a fraction is not the whole second.
    ['February 31st, which Date.parse rolls over to March 3rd', '2026-02-31T00:00:00Z', MARCH_3, { ok: false }],
    ['hour 24 of March 2nd, which Date.parse reads as March 3rd 00:00', '2026-03-02T24:00:00Z', MARCH_3, { ok: false }],
    ['minute 60', '2026-03-02T23:60:00Z', MARCH_3, { ok: false }],
    ['the right second with a fraction', '2026-11-29T07:47:04.999Z', EXP, { ok: false }],
    ['the right second with a zero fraction', '2026-11-29T07:47:04.000Z', EXP, { ok: true, words: isoAcceptedNote('2026-11-29T07:47:04.000Z', EXP) }],
    ['a space inside decode\'s quotes', '" asha"', 'asha', { ok: false, words: SPACING_ONLY_WHY }],
    ['a space inside decode\'s quotes and another case', '" Asha"', 'asha', { ok: false, words: CASE_AND_SPACING_WHY }],
  ])('%s', async (_case, typed, expected, told) => {
    const tutorial = await tutorialVerdict(typed, expected);
    expect(tutorial).toEqual(told);
    expect(await exerciseVerdict(typed, { expected })).toEqual(tutorial);
  });

  test('a pattern check reads the value as the tutorial does: decode\'s quotes dropped', async () => {
    const uri = 'https://app.swaad.example:8443/auth/callback';
    const pattern = '^https://app\\.swaad\\.example:8443/auth/callback$';
    const quoted = JSON.stringify(uri);
    expect(await tutorialVerdict(quoted, uri)).toEqual({ ok: true });
    expect(await exerciseVerdict(quoted, { pattern })).toEqual({ ok: true });
    // And a known mistake's pattern reads it the same way: the why is the mistake's.
    const exercises = loadExercises(join(lessonsFolder(), 'exercises'));
    const result = await runCheck(findExercise(exercises, 'fix-redirect-uri'), [JSON.stringify(`${uri}?x=1`)], { material: {}, now: 0 });
    expect(result.lines[0]!.why).toMatch(/^the right scheme, host, port and path, then a query/);
  });
});

describe('through the CLI', () => {
  const SEED = 'same-verdict-seed';
  const learnerHome = () => {
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-answers-'));
    writeFileSync(join(home, 'progress.json'), JSON.stringify({ version: 1, seed: SEED, exercises: {} }));
    return home;
  };

  test('exercises check passes a redirect URI pasted with decode\'s quotes, as the tutorial would', async () => {
    const result = await runCli(['ex', 'check', 'fix-redirect-uri', '"https://app.swaad.example:8443/auth/callback"', '--json'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).passed).toBe(true);
  });

  test('exercises check --json gives the tutorial\'s note when the expiry is typed as a time', async () => {
    const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'read-expiry');
    const material = materialFor(exercise, SEED);
    const result = await runCli(['ex', 'check', 'read-expiry', material.expIso!, '--json'], { env: { JWT_VS_OAUTH_HOME: learnerHome() } });
    expect(result.code).toBe(0);
    const line = JSON.parse(result.stdout).checks[0] as { ok: boolean; note?: string; why?: string };
    expect(line).toMatchObject({ ok: true, note: isoAcceptedNote(material.expIso!, material.exp!) });
    expect(line.why).toBeUndefined();
  });
});
