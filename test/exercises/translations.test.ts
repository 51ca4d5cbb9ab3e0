// Exercise translations (issue #14, Authoring): NN-name.<lang>.json beside an exercise is its
// translation, picked from JWT_VS_OAUTH_LANG / LC_ALL / LANG like the tutorial's, English
// otherwise; not a second exercise with the same id. A translation is validated like an
// exercise, keeps everything but the words as its original has it, and needs its original.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadExercises } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runBin } from '../helpers/cli.js';
import { GOOD, packOf } from './pack-fixtures.js';

const PACKS = fileURLToPath(new URL('../fixtures/packs/', import.meta.url));
const TRANSLATED = join(PACKS, 'translated');
const BUILT_IN = join(lessonsFolder(), 'exercises');
const HINDI_TITLE = 'कक्षा पैक: इसे किसने जारी किया?';
const ENGLISH_TITLE = 'Class pack: who issued it?';
/** A learner's environment: a fresh home, so no one's progress shows, and these language variables. */
const learner = (language: Record<string, string>) => ({ JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-translations-')), ...language });
const run = (args: string[], language: Record<string, string>) => runBin(['exercises', '--seed', 'translations', '--pack', TRANSLATED, ...args], { env: learner(language) });

describe('a pack exercise with its .hi.json', () => {
  test.each([
    ['LANG=hi_IN.UTF-8', { LANG: 'hi_IN.UTF-8' }, HINDI_TITLE],
    ['JWT_VS_OAUTH_LANG=hi over LANG=en_US.UTF-8', { LANG: 'en_US.UTF-8', JWT_VS_OAUTH_LANG: 'hi' }, HINDI_TITLE],
    ['LANG=en_US.UTF-8', { LANG: 'en_US.UTF-8' }, ENGLISH_TITLE],
    ['no language set', {}, ENGLISH_TITLE],
    ['LANG=de_DE.UTF-8 (no German translation)', { LANG: 'de_DE.UTF-8' }, ENGLISH_TITLE],
  ])('list with %s shows it once, titled in that language; the untranslated one in English', (_what, language, title) => {
    const result = run(['list'], language);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => line.includes('class-read-issuer'))).toEqual([expect.stringMatching(new RegExp(`^ +class-read-issuer +${title.replace(/[?]/g, '\\?')}  \\(read-a-token\\)$`))]);
    expect(lines.filter((line) => line.includes('class-choose-storage'))).toEqual([expect.stringMatching(/^ +class-choose-storage +Class pack: where to keep the token {2}\(choose\)$/)]);
  });

  test('list --json has each id once, with the Hindi title in Hindi', () => {
    const result = run(['list', '--json'], { LANG: 'hi_IN.UTF-8' });
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text.split('"class-read-issuer"').length - 1).toBe(1);
    expect(text).toContain(HINDI_TITLE);
    expect(text).not.toContain(ENGLISH_TITLE);
  });

  test('show in Hindi shows the Hindi task around the same material; in English the English', () => {
    const hindi = run(['show', 'class-read-issuer'], { LANG: 'hi_IN.UTF-8' });
    const english = run(['show', 'class-read-issuer'], { LANG: 'en_US.UTF-8' });
    expect(hindi.code).toBe(0);
    expect(english.code).toBe(0);
    expect(hindi.stdout).toMatch(/^कक्षा पैक: इसे किसने जारी किया\?  \[class-read-issuer · read-a-token\]$/m);
    expect(hindi.stdout).toMatch(/^इसका iss क्लेम भेजें।$/m);
    expect(hindi.stdout).not.toContain('Send its iss claim.');
    expect(english.stdout).toMatch(/^Send its iss claim\.$/m);
    expect(english.stdout).not.toContain('इसका');
    // The material is the learner's, whatever the language: the same seed gives the same token.
    const token = (text: string) => /eyJ[\w-]+\.[\w-]+\.[\w-]+/.exec(text)?.[0];
    expect(token(hindi.stdout)).toBeDefined();
    expect(token(hindi.stdout)).toBe(token(english.stdout));
  });

  test('a failed check in Hindi says in Hindi what was expected', () => {
    const result = run(['check', 'class-read-issuer', 'nobody'], { LANG: 'hi_IN.UTF-8' });
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain('टोकन का जारीकर्ता (उसका iss क्लेम)');
  });
});

describe('a translation that does not fit is refused (exit 2), naming the file', () => {
  test.each([['hi_IN.UTF-8'], ['en_US.UTF-8']])('a translation with another topic, with LANG=%s', (lang) => {
    const pack = join(PACKS, 'translation-mismatch');
    const result = runBin(['exercises', '--pack', pack, 'list'], { env: learner({ LANG: lang }) });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`error: ${join(pack, '01-class-read-issuer.hi.json')}: "topic": differs from ${join(pack, '01-class-read-issuer.json')}, which it translates; a translation changes only the words (title, task, hints, choices, choiceWhy, check.expectedInWords, check.mistakes[].why, solution.explain, solution.answers) and keeps everything else as the original has it\n`);
    expect(result.stderr).not.toContain('already used by');
  });

  test('a translation with no original', () => {
    const pack = join(PACKS, 'translation-orphan');
    const result = runBin(['exercises', '--pack', pack, 'list'], { env: learner({ LANG: 'hi_IN.UTF-8' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${join(pack, '02-class-read-expiry.hi.json')}: a translation of 02-class-read-expiry.json, which is not in this folder.\nA translation NN-name.<lang>.json sits beside the English exercise file NN-name.json it translates.\n`);
  });
});

describe('what a translation may change', () => {
  const CHOICE = { ...GOOD, id: 'pack-choose', topic: 'choose', task: ['Pick one.'], material: undefined, choices: ['one', 'two'], choiceWhy: ['not this', 'this'], check: { kind: 'choice', answer: 1 }, solution: { explain: ['two.'], answers: ['b'] } };
  const MISTAKES = { ...GOOD, check: { kind: 'answer', expected: '{{sub}}', expectedInWords: 'the sub', mistakes: [{ pattern: '^\\d+$', why: 'a number is not a name' }] } };
  const load = (original: object, translation: object, lang = 'hi') => loadExercises(BUILT_IN, packOf({ '01-x.json': original, '01-x.hi.json': translation }), lang).filter((exercise) => exercise.id === (original as { id: string }).id);

  test('every word a learner reads; the Hindi one is shown in Hindi, the English one in English', () => {
    const hindi = { ...MISTAKES, title: 'किसका टोकन?', task: ['आपका टोकन: {{token}}', 'इसका sub भेजें।'], hints: ['decode करें'], check: { ...MISTAKES.check, expectedInWords: 'टोकन का sub', mistakes: [{ pattern: '^\\d+$', why: 'संख्या नाम नहीं है' }] }, solution: { explain: ['sub उपयोगकर्ता का नाम है।'], answers: ['{{sub}}'] } };
    expect(load(MISTAKES, hindi).map((exercise) => [exercise.title, exercise.task[1], exercise.check])).toEqual([['किसका टोकन?', 'इसका sub भेजें।', hindi.check]]);
    expect(load(MISTAKES, hindi, 'en').map((exercise) => exercise.title)).toEqual([GOOD.title]);
    const choices = { ...CHOICE, title: 'एक चुनें', choices: ['एक', 'दो'], choiceWhy: ['यह नहीं', 'यह'], solution: { explain: ['दो।'], answers: ['(b) दो'] } };
    expect(load(CHOICE, choices).map((exercise) => exercise.choices)).toEqual([['एक', 'दो']]);
  });

  test.each([
    ['"id"', MISTAKES, { ...MISTAKES, id: 'pack-read-sub-hi' }],
    ['"material.kind"', MISTAKES, { ...MISTAKES, material: { kind: 'token-any-alg' } }],
    ['"check.kind"', CHOICE, { ...CHOICE, check: { kind: 'answer', expected: 'b' } }],
    ['"check.expected"', MISTAKES, { ...MISTAKES, check: { ...MISTAKES.check, expected: '{{aud}}' } }],
    ['"check.answer"', CHOICE, { ...CHOICE, check: { kind: 'choice', answer: 0 } }],
    ['"check.mistakes[…].pattern"', MISTAKES, { ...MISTAKES, check: { ...MISTAKES.check, mistakes: [{ pattern: '^\\d{2}$', why: 'x' }] } }],
    ['the number of "choices"', CHOICE, { ...CHOICE, choices: ['one', 'two', 'three'], choiceWhy: ['a', 'b', 'c'] }],
    ['"revealAfter"', MISTAKES, { ...MISTAKES, revealAfter: 0 }],
    ['"solution.commands"', MISTAKES, { ...MISTAKES, solution: { ...MISTAKES.solution, commands: ['jwt-vs-oauth decode {{token}}'] } }],
  ])('not %s', (field, original, translation) => {
    expect(() => load(original, translation)).toThrow(expect.objectContaining({ code: 'ERR_EXERCISE_FILE', message: expect.stringMatching(new RegExp(`/01-x\\.hi\\.json: ${field.replace(/[[\]().*…]/g, '\\$&')}: differs from .*/01-x\\.json, which it translates`)) }));
  });

  test('a translation is validated like an exercise, named by its own file', () => {
    expect(() => load(GOOD, { ...GOOD, task: [] }, 'en')).toThrow(expect.objectContaining({ code: 'ERR_EXERCISE_FILE', message: expect.stringMatching(/\/01-x\.hi\.json: "task": must be a non-empty list of paragraphs$/) }));
    expect(() => load(GOOD, { ...GOOD, hints: ['{{flaw}}'] })).toThrow(/\/01-x\.hi\.json: "hints\[0\]": "\{\{flaw\}\}" is not a name this exercise fills/);
  });
});

test('in-process, the language comes from the run\'s own environment, not the process\'s', async () => {
  const { runCli } = await import('../helpers/cli.js');
  const env = learner({ LANG: 'hi_IN.UTF-8' });
  const hindi = await runCli(['exercises', '--seed', 'translations', '--pack', TRANSLATED, 'show', 'class-read-issuer'], { env });
  expect(hindi.code, hindi.stderr).toBe(0);
  expect(hindi.stdout).toContain(HINDI_TITLE);
  const english = await runCli(['exercises', '--seed', 'translations', '--pack', TRANSLATED, 'show', 'class-read-issuer'], { env: { ...env, LANG: 'en_GB.UTF-8' } });
  expect(english.stdout).toContain(ENGLISH_TITLE);
});
