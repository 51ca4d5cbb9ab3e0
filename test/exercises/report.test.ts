// `exercises report` over a class made the real way: each learner runs `exercises check` in their
// own JWT_VS_OAUTH_HOME and exports with `progress --name … --export`; beside their files lie a
// broken file, JSON that is not progress, a `progress --json` summary, a folder, a link, a FIFO, a
// file too big and hostile names. The table, --json and --csv are what a teacher sees.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { csvCell } from '../../src/lessons/class-report.js';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runCli } from '../helpers/cli.js';
import { joinBrokenLines } from '../../src/text/layout.js';

/** 2030-03-17T17:46:40Z, then a minute later for each later step. */
const NOW = 1_900_000_000;
const root = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-report-'));
const classFolder = join(root, 'class');
const home = (learner: string) => join(root, `home-${learner}`);

/** The flaw the learner's seed put in flaw-one, and one it did not. */
function flawOne(learner: string): { right: string; wrong: string } {
  const seed = JSON.parse(readFileSync(join(home(learner), 'progress.json'), 'utf8')).seed as string;
  const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'flaw-one');
  const right = materialFor(exercise, seed).flaw!;
  return { right, wrong: exercise.material!.pool!.find((flaw) => flaw !== right)! };
}

async function as(learner: string, words: string[], minute: number) {
  const result = await runCli(['ex', ...words], { env: { JWT_VS_OAUTH_HOME: home(learner) }, now: NOW + minute * 60 });
  expect(result.stderr).not.toMatch(/error/);
  return result;
}

beforeAll(async () => {
  mkdirSync(classFolder);
  // Each learner's seed is made (at random) by their first command.
  for (const learner of ['asha', 'bo', 'nameless']) await as(learner, ['list'], 0);
  // Asha: passes a choice, fails flaw-one once, takes a hint.
  await as('asha', ['check', 'choose-own-api', 'a'], 0);
  await as('asha', ['check', 'flaw-one', flawOne('asha').wrong], 1);
  await as('asha', ['hint', 'flaw-one'], 2);
  // Bo: fails flaw-one twice, then passes it; fails choose-delegated.
  await as('bo', ['check', 'flaw-one', flawOne('bo').wrong], 3);
  await as('bo', ['check', 'flaw-one', flawOne('bo').wrong], 4);
  await as('bo', ['check', 'flaw-one', flawOne('bo').right], 5);
  await as('bo', ['check', 'choose-delegated', 'a'], 6);
  // A learner who gave no name: the teacher got their progress.json as it is.
  await as('nameless', ['check', 'read-subject', 'nobody'], 7);
  // Asha had flaw-one's answer shown (hint --reveal records it in progress.json, as recordReveal does).
  const ashaFile = join(home('asha'), 'progress.json');
  const ashaProgress = JSON.parse(readFileSync(ashaFile, 'utf8'));
  writeFileSync(ashaFile, JSON.stringify({ ...ashaProgress, exercises: { ...ashaProgress.exercises, revealed: { 'flaw-one': '2030-03-17T17:48:50.000Z' } } }));
  await as('asha', ['progress', '--name', 'Asha Rao', '--export', classFolder], 8);
  await as('bo', ['progress', '--name', '=1+2, Bo', '--export', classFolder], 9);
  copyFileSync(join(home('nameless'), 'progress.json'), join(classFolder, 'nameless-progress.json'));

  writeFileSync(join(classFolder, 'broken.json'), '{"version": 1, "seed": ');
  writeFileSync(join(classFolder, 'notes.json'), JSON.stringify({ hello: 'world' }));
  writeFileSync(join(classFolder, 'summary.json'), (await as('asha', ['progress', '--json'], 10)).stdout);
  writeFileSync(join(classFolder, 'huge.json'), `{"version": 1, "seed": "x", "padding": "${'a'.repeat(1024 * 1024)}"}`);
  writeFileSync(join(classFolder, 'bidi.json'), JSON.stringify({ version: 1, seed: 'b1d1', name: 'Eve\u202eoaR ahsA' }));
  writeFileSync(join(classFolder, 'evil\u001b[2J.json'), 'not json');
  writeFileSync(join(classFolder, '.DS_Store'), 'ignored');
  mkdirSync(join(classFolder, 'sub'));
  symlinkSync(join(classFolder, 'progress-asha-rao.json'), join(classFolder, 'link.json'));
  execFileSync('mkfifo', [join(classFolder, 'pipe.json')]);
});

const skippedLines = () => [
  `! skipped ${classFolder}/bidi.json: JSON, but not a progress file (name is not a name of 1 to 64 characters, with a letter or digit and no control or invisible characters)`,
  `! skipped ${classFolder}/broken.json: not valid JSON`,
  `! skipped ${classFolder}/evil\\x1b[2J.json: not valid JSON`,
  `! skipped ${classFolder}/huge.json: larger than 1024 KiB, so not a progress file`,
  `! skipped ${classFolder}/link.json: a symbolic link (links are not followed)`,
  `! skipped ${classFolder}/notes.json: JSON, but not a progress file (it has no "version": 1)`,
  `! skipped ${classFolder}/pipe.json: a named pipe (FIFO)`,
  `! skipped ${classFolder}/sub: a folder (folders inside a folder are not read)`,
  `! skipped ${classFolder}/summary.json: the output of \`exercises progress --json\`, not a progress file: ask for \`exercises progress --export\` instead`,
];

describe('exercises report', () => {
  test('a table: one row per learner, A to Z with the unnamed last, and the most failed exercises; every other file skipped in one line', async () => {
    const nameless = JSON.parse(readFileSync(join(home('nameless'), 'progress.json'), 'utf8')).seed as string;
    const result = await runCli(['ex', 'report', classFolder], { env: { JWT_VS_OAUTH_HOME: home('teacher') } });
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual(skippedLines());
    const learnerWidth = Math.max('=1+2, Bo'.length, `(seed ${nameless.slice(0, 11)}…)`.length);
    const row = (learner: string, rest: string) => `${learner.padEnd(learnerWidth)}  ${rest}`;
    expect(result.stdout).toBe([
      'Class report: 3 learners, 26 exercises.',
      '',
      row('learner', 'passed  read  make  flaw  oauth  choose  fix  attempts  hints  revealed  last activity (UTC)'),
      row('=1+2, Bo', '  1/26   0/5   0/2   1/4    0/5     0/5  0/5         4      0         0  2030-03-17 17:52'),
      row('Asha Rao', '  1/26   0/5   0/2   0/4    0/5     1/5  0/5         2      1         1  2030-03-17 17:48'),
      row(`(seed ${nameless.slice(0, 11)}…)`, '  0/26   0/5   0/2   0/4    0/5     0/5  0/5         1      0         0  2030-03-17 17:53'),
      '',
      'Topic columns, passed of total: read-a-token, make-a-token, find-the-flaw, oauth-by-hand, choose, fix-a-mistake.',
      'Attempts and hints: every check and hint on these exercises; revealed: answers shown with hint --reveal.',
      '',
      'Most failed (most learners stuck first, then most failed attempts):',
      // A tie keeps the exercises' own order.
      '  flaw-one          1 of 2 who tried have not passed · 3 failed attempts · 1 hint · 1 saw the answer',
      '  read-subject      1 of 1 who tried have not passed · 1 failed attempt · 0 hints · 0 saw the answer',
      '  choose-delegated  1 of 1 who tried have not passed · 1 failed attempt · 0 hints · 0 saw the answer',
      '',
      'Learner by learner on one of them: add --exercise <id>',
      '',
    ].join('\n'));
  });

  test('--json: the rows, the exercises most failed, what was skipped and why', async () => {
    const result = await runCli(['ex', 'report', classFolder, '--json', '--sort', 'passed'], { env: { JWT_VS_OAUTH_HOME: home('teacher') } });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.exercises).toBe(26);
    expect(report.learners.map((row: { name: string | null; passed: number }) => [row.name, row.passed])).toEqual([[null, 0], ['=1+2, Bo', 1], ['Asha Rao', 1]]);
    expect(report.learners[2]).toEqual({
      name: 'Asha Rao',
      seed: JSON.parse(readFileSync(join(home('asha'), 'progress.json'), 'utf8')).seed,
      file: join(classFolder, 'progress-asha-rao.json'),
      passed: 1,
      total: 26,
      topics: { 'read-a-token': { total: 5, passed: 0 }, 'make-a-token': { total: 2, passed: 0 }, 'find-the-flaw': { total: 4, passed: 0 }, 'oauth-by-hand': { total: 5, passed: 0 }, choose: { total: 5, passed: 1 }, 'fix-a-mistake': { total: 5, passed: 0 } },
      attempts: 2,
      hintsShown: 1,
      revealed: 1,
      firstActivity: '2030-03-17T17:46:40.000Z',
      lastActivity: '2030-03-17T17:48:40.000Z',
      exercises: expect.any(Object),
    });
    // Per learner, per exercise: who is stuck where, and who saw the answer.
    expect(Object.keys(report.learners[2].exercises)).toHaveLength(26);
    expect(report.learners[2].exercises['flaw-one']).toEqual({ passed: false, passedAt: null, attempts: 1, hints: 1, revealed: true, revealedAt: '2030-03-17T17:48:50.000Z' });
    expect(report.learners[2].exercises['choose-own-api']).toEqual({ passed: true, passedAt: '2030-03-17T17:46:40.000Z', attempts: 1, hints: 0, revealed: false, revealedAt: null });
    expect(report.learners[1].exercises['flaw-one']).toEqual({ passed: true, passedAt: '2030-03-17T17:51:40.000Z', attempts: 3, hints: 0, revealed: false, revealedAt: null });
    expect(report.learners[1].revealed).toBe(0);
    expect(report.mostFailed[0]).toEqual({ id: 'flaw-one', title: expect.any(String), topic: 'find-the-flaw', tried: 2, passed: 1, notPassed: 1, failedAttempts: 3, hintsShown: 1, revealed: 1 });
    expect(report.skipped).toHaveLength(9);
    expect(report.skipped).toContainEqual({ file: join(classFolder, 'broken.json'), reason: 'not valid JSON' });
    expect(report.warnings).toEqual([]);
  });

  test('--csv: RFC 4180 quoting, a formula-looking name made inert, per-topic counts a spreadsheet cannot take for dates', async () => {
    const result = await runCli(['ex', 'report', classFolder, '--csv'], { env: { JWT_VS_OAUTH_HOME: home('teacher') } });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\r\n');
    expect(lines[0]).toBe('name,seed,file,passed,total,read-a-token (of 5),make-a-token (of 2),find-the-flaw (of 4),oauth-by-hand (of 5),choose (of 5),fix-a-mistake (of 5),attempts,hints shown,answers revealed,first activity,last activity');
    const boSeed = JSON.parse(readFileSync(join(home('bo'), 'progress.json'), 'utf8')).seed;
    expect(lines[1]).toBe(`"'=1+2, Bo",${boSeed},${join(classFolder, 'progress-1-2-bo.json')},1,26,0,0,1,0,0,0,4,0,0,2030-03-17T17:49:40.000Z,2030-03-17T17:52:40.000Z`);
    expect(lines[2]).toMatch(/^Asha Rao,.*,2,1,1,2030-03-17T17:46:40\.000Z,2030-03-17T17:48:40\.000Z$/);
    expect(lines[3]!.startsWith(',')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
  });

  test.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    // Control characters are shown escaped, never written as they are: no raw tab, newline or escape reaches a terminal that shows the file.
    ['\tx', '\\tx'],
    ['=\u001b[2J', "'=\\x1b[2J"],
    ['a\u202eb', 'a\\u202eb'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', 'two\\nlines'],
    ['Asha', 'Asha'],
  ])('a CSV cell %j is written %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  test('a narrow terminal: the per-topic columns go first, and it says so', async () => {
    const result = await runCli(['ex', 'report', classFolder], { env: { JWT_VS_OAUTH_HOME: home('teacher'), COLUMNS: '64' } });
    const table = result.stdout.split('\n').slice(2, 6);
    expect(table[0]).toMatch(/^learner +passed {2}attempts {2}hints {2}revealed {2}last \(UTC\)$/);
    expect(table[1]).toMatch(/^=1\+2, Bo +1\/26 +4 +0 +0 {2}2030-03-17 17:52$/);
    expect(result.stdout).toContain('Per-topic columns were left out to fit the terminal: --json and\n--csv have them.');
    // Narrower still: a learner takes a line or two of their own.
    const narrow = await runCli(['ex', 'report', classFolder], { env: { JWT_VS_OAUTH_HOME: home('teacher'), COLUMNS: '40' } });
    expect(narrow.stdout).toContain('\nAsha Rao: 1/26 passed, 2 attempts,\n  1 hint, 1 revealed, last activity\n  2030-03-17 17:48 UTC\n');
  });

  test.each([40, 64, 80, 120])('at %i columns every line of the report, stdout and stderr, fits, broken only between words', async (columns) => {
    const result = await runCli(['ex', 'report', classFolder], { env: { JWT_VS_OAUTH_HOME: home('teacher'), COLUMNS: String(columns) } });
    expect(result.code).toBe(0);
    const lines = [...result.stdout.split('\n'), ...result.stderr.split('\n')];
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
    // Phrases kept whole: no line ends inside "hint --reveal", none starts with a lone separator.
    expect(result.stdout).toMatch(/hint --reveal\./);
    for (const line of lines) expect(line).not.toMatch(/^\s*·/);
    // The same words as on a wide terminal, only broken differently.
    const wide = await runCli(['ex', 'report', classFolder], { env: { JWT_VS_OAUTH_HOME: home('teacher'), COLUMNS: '400' } });
    const words = (text: string) => text.replace(/ · /g, ' ').split(/\s+/).filter(Boolean);
    if (columns >= 120) expect(words(result.stdout)).toEqual(words(wide.stdout));
    // A path longer than the line is the one thing broken inside a word: at its separators, marked with "\".
    expect(joinBrokenLines(result.stderr).replace(/\s+/g, '')).toBe(wide.stderr.replace(/\s+/g, ''));
    if (columns >= 64) expect(words(result.stderr)).toEqual(words(wide.stderr));
  });

  test('at 80 columns: the topic note, the most failed heading and each most failed exercise break at word or item boundaries', async () => {
    const result = await runCli(['ex', 'report', classFolder], { env: { JWT_VS_OAUTH_HOME: home('teacher'), COLUMNS: '80' } });
    expect(result.stdout).toContain([
      'Attempts and hints: every check and hint on these exercises; revealed: answers',
      'shown with hint --reveal.',
      '',
      'Most failed (most learners stuck first, then most failed attempts):',
      '  flaw-one          1 of 2 who tried have not passed · 3 failed attempts ·',
      '                    1 hint · 1 saw the answer',
    ].join('\n'));
    const at120 = await runCli(['ex', 'report', classFolder], { env: { JWT_VS_OAUTH_HOME: home('teacher'), COLUMNS: '120' } });
    expect(at120.stdout).toContain('\nTopic columns, passed of total: read-a-token, make-a-token, find-the-flaw, oauth-by-hand, choose, fix-a-mistake.\n');
  });

  test('--exercise <id>: one row per learner for that exercise, as a table, --json and --csv; an unknown id is exit 2', async () => {
    const env = { JWT_VS_OAUTH_HOME: home('teacher') };
    const table = await runCli(['ex', 'report', classFolder, '--exercise', 'flaw-one', '--sort', 'passed'], { env });
    expect(table.code).toBe(0);
    const nameless = JSON.parse(readFileSync(join(home('nameless'), 'progress.json'), 'utf8')).seed as string;
    const learner = `(seed ${nameless.slice(0, 11)}…)`;
    const row = (name: string, rest: string) => `${name.padEnd(learner.length)}  ${rest}`.trimEnd();
    expect(table.stdout).toBe([
      'flaw-one: Find the flaw: three suspects (find-the-flaw)',
      '3 learners: 1 passed, 1 tried and not passed yet, 1 saw the answer. Times in UTC.',
      '',
      row('learner', 'passed            attempts  hints  saw the answer    last activity'),
      // Not passed first, the most attempts first among them.
      row('Asha Rao', 'no                       1      1  2030-03-17 17:48  2030-03-17 17:48'),
      row(learner, 'no                       0      0  no                2030-03-17 17:53'),
      row('=1+2, Bo', '2030-03-17 17:51         3      0  no                2030-03-17 17:52'),
      '',
    ].join('\n'));
    const json = JSON.parse((await runCli(['ex', 'report', classFolder, '--exercise', 'flaw-one', '--json'], { env })).stdout);
    expect(json.exercise).toEqual({ id: 'flaw-one', title: 'Find the flaw: three suspects', topic: 'find-the-flaw' });
    expect(json.learners[1]).toEqual({ name: 'Asha Rao', seed: expect.any(String), file: join(classFolder, 'progress-asha-rao.json'), passed: false, passedAt: null, attempts: 1, hints: 1, revealed: true, revealedAt: '2030-03-17T17:48:50.000Z', lastActivity: '2030-03-17T17:48:40.000Z' });
    const csv = (await runCli(['ex', 'report', classFolder, '--exercise', 'flaw-one', '--csv'], { env })).stdout.split('\r\n');
    expect(csv[0]).toBe('name,seed,file,passed,passed at,attempts,hints shown,answer revealed at,last activity');
    expect(csv[2]).toMatch(/^Asha Rao,\w+,.*progress-asha-rao\.json,no,,1,1,2030-03-17T17:48:50\.000Z,2030-03-17T17:48:40\.000Z$/);
    const unknown = await runCli(['ex', 'report', classFolder, '--exercise', 'nope'], { env });
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([2, '', 'error: There is no exercise "nope".\nList them with: jwt-vs-oauth exercises list\n']);
  });

  test('one learner collected twice is counted once; two names with one seed are a copied file; exercises outside the set are named', async () => {
    const second = join(root, 'second');
    mkdirSync(second);
    copyFileSync(join(classFolder, 'progress-asha-rao.json'), join(second, 'asha-again.json'));
    const copied = JSON.parse(readFileSync(join(classFolder, 'progress-asha-rao.json'), 'utf8'));
    // Chen's copy went its own way: a pass Asha's file lacks, and without Asha's pass (so neither continues the other).
    writeFileSync(join(second, 'copied.json'), JSON.stringify({ ...copied, name: 'Chen', exercises: { ...copied.exercises, passed: { 'read-subject': { at: '2030-03-18T10:00:00.000Z' } }, attempts: { ...copied.exercises.attempts, 'pack-extra': 2 } } }));
    const result = await runCli(['ex', 'report', join(classFolder, 'progress-asha-rao.json'), second, join(classFolder, 'progress-asha-rao.json')], { env: { JWT_VS_OAUTH_HOME: home('teacher') } });
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `! skipped ${second}/asha-again.json: the same learner as ${classFolder}/progress-asha-rao.json (same seed and name); the one with the later activity, ${classFolder}/progress-asha-rao.json, is counted`,
      `! ${classFolder}/progress-asha-rao.json (Asha Rao) and ${second}/copied.json (Chen) have the same seed (${copied.seed}): one started from a copy of another's progress file, since each learner's seed is made at random.`,
      '! Progress on 1 exercise not in this set (pack-extra) is not counted: add the pack they come from with --pack.',
    ]);
    expect(result.stdout).toMatch(/^Class report: 2 learners, 26 exercises\./);
  });

  test('a rename: two names with one seed, the later file holding all of the earlier\'s progress, are one learner, counted once under the later name', async () => {
    const folder = join(root, 'renamed');
    mkdirSync(folder);
    const earlier = JSON.parse(readFileSync(join(classFolder, 'progress-asha-rao.json'), 'utf8'));
    writeFileSync(join(folder, 'progress-asha-rao.json'), JSON.stringify(earlier));
    const later = { ...earlier, name: 'Asha R.', exercises: { ...earlier.exercises, attempts: { ...earlier.exercises.attempts, 'read-subject': 1 }, lastActivity: '2030-03-18T09:00:00.000Z' } };
    writeFileSync(join(folder, 'progress-asha-r.json'), JSON.stringify(later));
    const result = await runCli(['ex', 'report', folder, '--json'], { env: { JWT_VS_OAUTH_HOME: home('teacher') } });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.learners.map((row: { name: string }) => row.name)).toEqual(['Asha R.']);
    expect(report.warnings).toEqual([`${folder}/progress-asha-rao.json (Asha Rao) and ${folder}/progress-asha-r.json (Asha R.) are counted as one learner who changed name: same seed, and the later file holds all of the earlier's progress. If they are two people, one copied the other's file.`]);
    expect(result.stderr).not.toContain('copy of another');
  });

  test('nothing that is a progress file: exit 2 with what to ask the learners for', async () => {
    const result = await runCli(['ex', 'report', join(classFolder, 'notes.json'), join(root, 'missing')], { env: { JWT_VS_OAUTH_HOME: home('teacher') } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe([
      `! skipped ${classFolder}/notes.json: JSON, but not a progress file (it has no "version": 1)`,
      `! skipped ${root}/missing: no such file or folder`,
      'error: No progress file among the 2 paths given.',
      'Ask each learner for: jwt-vs-oauth exercises progress --name "Their Name" --export',
      '',
    ].join('\n'));
  });

  test('bad usage: --json with --csv, an unknown --sort', async () => {
    const env = { JWT_VS_OAUTH_HOME: home('teacher') };
    const both = await runCli(['ex', 'report', classFolder, '--json', '--csv'], { env });
    expect([both.code, both.stderr]).toEqual([2, 'error: Choose one of --json and --csv.\n']);
    const sort = await runCli(['ex', 'report', classFolder, '--sort', 'grade'], { env });
    expect(sort.code).toBe(2);
    expect(sort.stderr).toBe('error: --sort takes name, passed, last; not "grade".\nExample: --sort passed\n');
  });
});
