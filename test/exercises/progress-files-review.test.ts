// Progress files from outside, as a learner or a teacher meets them after a security review: a
// file nested thousands of levels deep, a /proc file whose size says 0, names that look like
// another learner's, control characters in a CSV, unknown fields in an export, dates with
// offsets, a copied file, the live progress file, `--export -`, absurd counts and hard links.

import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';

/** 2030-03-17T17:46:40Z. */
const NOW = 1_900_000_000;
const fresh = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-review-'));
const teacher = () => ({ env: { JWT_VS_OAUTH_HOME: fresh() } });

/** A progress file as this tool writes it, with `extra` fields merged in at the top and in exercises. */
function progressFile(seed: string, name: string | undefined, exercises: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    version: 1,
    seed,
    ...(name === undefined ? {} : { name }),
    tutorial: { completed: [] },
    exercises: { passed: { 'choose-own-api': { at: '2030-03-17T17:46:40.000Z' } }, attempts: { 'choose-own-api': 1 }, hintsShown: {}, lastActivity: '2030-03-17T17:46:40.000Z', ...exercises },
    ...extra,
  });
}

/** `{"version":1,"seed":"deep","x":[[[…]]]}`, `depth` arrays deep. */
const deepFile = (depth: number) => `{"version":1,"seed":"deep","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('a progress file nested deeper than 64 levels (F1)', () => {
  test('on the learner\'s machine it is the wrong shape: moved aside with a message, and the check is saved', async () => {
    const home = fresh();
    writeFileSync(join(home, 'progress.json'), deepFile(5000));
    const result = await runCli(['ex', 'check', 'choose-own-api', 'a'], { env: { JWT_VS_OAUTH_HOME: home }, now: NOW });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^! Your progress file could not be read \(it nests arrays or objects more than 64 levels deep\), so it was moved aside to .*progress\.json\.corrupt-[-\dTZ]+ and you start afresh\.\n/);
    expect(result.stderr).not.toMatch(/call stack|bug/);
    const saved = JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8'));
    expect(saved.exercises.passed).toEqual({ 'choose-own-api': { at: '2030-03-17T17:46:40.000Z' } });
    expect(readdirSync(home).filter((name) => name.includes('.corrupt-'))).toHaveLength(1);
  });

  test('64 levels are a progress file; 65 are not, and a report skips it', async () => {
    const folder = fresh();
    // The top object is level 1 and "x" holds the rest: 63 arrays make 64 levels.
    writeFileSync(join(folder, 'a.json'), deepFile(63).replace('"deep"', '"ok"'));
    writeFileSync(join(folder, 'b.json'), deepFile(64));
    writeFileSync(join(folder, 'c.json'), deepFile(5000));
    const result = await runCli(['ex', 'report', folder, '--json'], teacher());
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.learners.map((row: { seed: string }) => row.seed)).toEqual(['ok']);
    expect(report.skipped).toEqual([
      { file: join(folder, 'b.json'), reason: 'JSON, but not a progress file (it nests arrays or objects more than 64 levels deep)' },
      { file: join(folder, 'c.json'), reason: 'JSON, but not a progress file (it nests arrays or objects more than 64 levels deep)' },
    ]);
  });
});

// The size fstat gives a /proc file is 0; what it holds may be gigabytes.
describe.runIf(existsSync('/proc/self/pagemap'))('a file larger than its size says (F2)', () => {
  test('report /proc/self/pagemap reads at most 1 MiB and skips it as too large', async () => {
    const started = Date.now();
    const result = await runCli(['ex', 'report', '/proc/self/pagemap'], teacher());
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('! skipped /proc/self/pagemap: larger than 1024 KiB, so not a progress file');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('report /proc/self: every entry read is bounded, and nothing is a progress file', async () => {
    const result = await runCli(['ex', 'report', '/proc/self'], teacher());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('! skipped /proc/self/pagemap: larger than 1024 KiB, so not a progress file\n');
    expect(result.stderr).toContain('error: No progress file among /proc/self.\n');
  });

  test('progress --export /proc/self/pagemap is refused as not a progress file, after reading at most 1 MiB', async () => {
    const home = fresh();
    const result = await runCli(['ex', 'progress', '--name', 'Asha', '--export', '/proc/self/pagemap'], { env: { JWT_VS_OAUTH_HOME: home }, now: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Your name is saved as Asha.\nerror: /proc/self/pagemap already exists and is not a progress file; nothing was written.\nChoose another file, or add --force to replace it.\n');
  });
});

describe('names that look like another learner\'s (F4)', () => {
  test.each([
    ['tag characters', 'Asha Rao\u{E0041}\u{E0042}'],
    ['a Hangul filler U+3164', 'Asha Rao\u3164'],
    ['a Hangul choseong filler U+115F', 'Asha\u115fRao'],
    ['a Hangul jungseong filler U+1160', 'Asha Rao\u1160'],
    ['a halfwidth Hangul filler U+FFA0', 'Asha Rao\uffa0'],
    ['the Braille blank U+2800', 'Asha Rao\u2800'],
    ['a soft hyphen', 'As\u00adha Rao'],
    ['the Mongolian vowel separator U+180E', 'Asha\u180e Rao'],
    ['an invisible times U+2062', 'Asha\u2062 Rao'],
    ['the combining grapheme joiner U+034F', 'Asha Rao\u034f'],
    ['a variation selector U+FE0F', 'Asha Rao\ufe0f'],
    ['a private-use character', 'Asha Rao\ue000'],
  ])('--name with %s is refused, and nothing is saved', async (_what, name) => {
    const home = fresh();
    const result = await runCli(['ex', 'progress', '--name', name], { env: { JWT_VS_OAUTH_HOME: home }, now: NOW });
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toBe('error: --name cannot be used: it holds a control or invisible character.\nA name as your teacher knows you, such as --name "Asha Rao" (at most 64 characters).\n');
    expect(existsSync(join(home, 'progress.json'))).toBe(false);
  });

  test('a tower of combining marks is refused; names with a few marks per letter, in any script, are kept', async () => {
    const tower = await runCli(['ex', 'progress', '--name', `Asha${'\u0301'.repeat(60)}`], { env: { JWT_VS_OAUTH_HOME: fresh() }, now: NOW });
    expect([tower.code, tower.stderr.split('\n')[0]]).toEqual([2, 'error: --name cannot be used: it stacks more than 4 combining marks on one letter.']);
    for (const name of ['Nguyễn Thị Minh Khai', 'བསྒྲུབས', 'अक्षिता', 'Zoë Ó Briain']) {
      const kept = await runCli(['ex', 'progress', '--name', name], { env: { JWT_VS_OAUTH_HOME: fresh() }, now: NOW });
      expect([kept.code, kept.stderr], name).toEqual([0, `Your name is saved as ${name}.\n`]);
    }
  });

  test('in a report, a name with an invisible character is not a progress file; names alike after NFKC and case are flagged, with their seeds shown', async () => {
    const folder = fresh();
    writeFileSync(join(folder, 'progress-asha-rao.json'), progressFile('1111111111111111', 'Asha Rao'));
    writeFileSync(join(folder, 'progress-tagged.json'), progressFile('2222222222222222', 'Asha Rao\u{E0041}'));
    // Fullwidth letters: NFKC makes them Asha Rao.
    writeFileSync(join(folder, 'progress-wide.json'), progressFile('3333333333333333', '\uff21sha Rao'));
    const result = await runCli(['ex', 'report', folder], teacher());
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `! skipped ${folder}/progress-tagged.json: JSON, but not a progress file (name is not a name of 1 to 64 characters, with a letter or digit and no control or invisible characters)`,
      `! 2 learners have names that look alike (Asha Rao, \uff21sha Rao) (${folder}/progress-asha-rao.json, ${folder}/progress-wide.json); their rows show their seeds.`,
    ]);
    expect(result.stdout).toContain('\nAsha Rao (1111111…)  ');
    expect(result.stdout).toContain('\n\uff21sha Rao (3333333…)  ');
  });
});

describe('report --csv and file names (F5)', () => {
  test('control and bidirectional characters in a file name are escaped in the CSV, always', async () => {
    const folder = fresh();
    const name = 'progress-\u001b]0;owned\u0007\u202egpj.json';
    writeFileSync(join(folder, name), progressFile('5555555555555555', 'Asha Rao'));
    const result = await runCli(['ex', 'report', folder, '--csv'], teacher());
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u202e]/);
    expect(result.stdout.split('\r\n')[1]).toBe(`Asha Rao,5555555555555555,${folder}/progress-\\x1b]0;owned\\x07\\u202egpj.json,1,26,0,0,0,0,1,0,1,0,0,,2030-03-17T17:46:40.000Z`);
    const detail = await runCli(['ex', 'report', folder, '--csv', '--exercise', 'choose-own-api'], teacher());
    expect(detail.stdout.split('\r\n')[1]).toContain(`${folder}/progress-\\x1b]0;owned\\x07\\u202egpj.json,yes,`);
  });
});

describe('an export (F8, F10, F11)', () => {
  function learner(progress?: string) {
    const home = fresh();
    const out = fresh();
    if (progress !== undefined) writeFileSync(join(home, 'progress.json'), progress);
    const run = (words: string[]) => runCli(['ex', ...words], { env: { JWT_VS_OAUTH_HOME: home }, now: NOW });
    return { home, out, run };
  }

  test('holds the known fields only: unknown fields of progress.json stay on the learner\'s machine; others may read it (0644)', async () => {
    const { home, out, run } = learner(progressFile('6666666666666666', 'Asha Rao', { diary: 'stuck again', provider: { issuer: 'http://127.0.0.1:1', exercise: 'oauth-access-token' } }, { privateNotes: 'my password is hunter2' }));
    const result = await run(['progress', '--export', out]);
    expect(result.code).toBe(0);
    const file = join(out, 'progress-asha-rao.json');
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(exported)).toEqual(['version', 'name', 'seed', 'tutorial', 'exercises']);
    expect(Object.keys(exported.exercises)).toEqual(['passed', 'hintsShown', 'attempts', 'lastActivity']);
    expect(readFileSync(file, 'utf8')).not.toMatch(/hunter2|stuck again|127\.0\.0\.1/);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    // Still on the learner's machine, for a newer version that knows them.
    expect(JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')).privateNotes).toBe('my password is hunter2');
  });

  test('a same-seed file under another name that the learner\'s history does not continue (a copy) is not "your earlier export": refused without --force', async () => {
    const { out, run } = learner(progressFile('7777777777777777', 'Asha Rao'));
    const ravi = join(out, 'progress-ravi.json');
    const copy = progressFile('7777777777777777', 'Ravi', { passed: { 'choose-own-api': { at: '2030-03-17T17:46:40.000Z' }, 'read-subject': { at: '2030-03-18T09:00:00.000Z' } } });
    writeFileSync(ravi, copy);
    const refused = await run(['progress', '--export', ravi]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`error: ${ravi} already exists and is a progress file with your seed that is not your earlier export (Ravi): a copy of your progress someone else went on with, or one from before a reset; nothing was written.\nChoose another file, or add --force to replace it.\n`);
    expect(readFileSync(ravi, 'utf8')).toBe(copy);
  });

  test('a same-seed file under the learner\'s old name that their history continues (a rename) is their earlier export', async () => {
    const { out, run } = learner(progressFile('8888888888888888', 'Asha R.', { attempts: { 'choose-own-api': 2 } }));
    const old = join(out, 'mine.json');
    writeFileSync(old, progressFile('8888888888888888', 'Asha Rao'));
    const result = await run(['progress', '--export', old]);
    expect([result.code, result.stderr]).toEqual([0, `Replaced your earlier export with your progress now. Hand ${old} to your teacher.\n`]);
    expect(JSON.parse(readFileSync(old, 'utf8')).name).toBe('Asha R.');
  });

  test('exporting onto the live progress file is refused, even with --force', async () => {
    const { home, run } = learner(progressFile('9999999999999999', 'Asha Rao'));
    const live = join(home, 'progress.json');
    chmodSync(live, 0o600);
    const before = readFileSync(live, 'utf8');
    for (const words of [['progress', '--export', live], ['progress', '--export', live, '--force']]) {
      const result = await run(words);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`error: ${live} is your progress file itself; an export is a copy of it for your teacher, written elsewhere (nothing was written).\nExport to another folder: jwt-vs-oauth exercises progress --export ~/Desktop\n`);
    }
    expect(readFileSync(live, 'utf8')).toBe(before);
    expect(statSync(live).mode & 0o777).toBe(0o600);
  });

  test('--export - writes the export to stdout and no file named -; with --json or --force it is a usage error', async () => {
    const home = fresh();
    const cwd = fresh();
    writeFileSync(join(home, 'progress.json'), progressFile('aaaaaaaaaaaaaaaa', 'Asha Rao', {}, { privateNotes: 'x' }));
    const result = runBin(['ex', 'progress', '--export', '-'], { env: { JWT_VS_OAUTH_HOME: home }, cwd });
    expect([result.code, result.stderr]).toEqual([0, '']);
    const exported = JSON.parse(result.stdout);
    expect(exported).toMatchObject({ version: 1, name: 'Asha Rao', seed: 'aaaaaaaaaaaaaaaa', exercises: { attempts: { 'choose-own-api': 1 } } });
    expect(exported.privateNotes).toBeUndefined();
    expect(readdirSync(cwd)).toEqual([]);
    const withJson = runBin(['ex', 'progress', '--export', '-', '--json'], { env: { JWT_VS_OAUTH_HOME: home }, cwd });
    expect([withJson.code, withJson.stderr]).toEqual([2, 'error: --export - writes the export itself to stdout, which is JSON already; leave out --json.\nExample: jwt-vs-oauth exercises progress --export - > mine.json\n']);
    // stdout holds the error as one JSON line, and no export.
    expect(withJson.stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(withJson.stdout)).toEqual({ error: { code: 'ERR_USAGE', message: '--export - writes the export itself to stdout, which is JSON already; leave out --json.', hint: 'Example: jwt-vs-oauth exercises progress --export - > mine.json', exitCode: 2 } });
    const withForce = runBin(['ex', 'progress', '--export', '-', '--force'], { env: { JWT_VS_OAUTH_HOME: home }, cwd });
    expect([withForce.code, withForce.stderr]).toEqual([2, 'error: --export - replaces no file; leave out --force.\n']);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('dates with offsets, impossible dates (F9)', () => {
  // 10:00 at +09:00 is 01:00 UTC: an hour before 02:00 UTC, though later as text.
  const early = '2026-06-01T10:00:00+09:00';
  const late = '2026-06-01T02:00:00Z';

  test('of one learner\'s two copies, the one with the later instant is counted', async () => {
    const folder = fresh();
    writeFileSync(join(folder, 'a.json'), progressFile('bbbbbbbbbbbbbbbb', 'Asha Rao', { lastActivity: early }));
    writeFileSync(join(folder, 'b.json'), progressFile('bbbbbbbbbbbbbbbb', 'Asha Rao', { lastActivity: late }));
    const result = await runCli(['ex', 'report', folder, '--json'], teacher());
    expect(JSON.parse(result.stdout).learners.map((row: { file: string }) => row.file)).toEqual([join(folder, 'b.json')]);
    expect(result.stderr).toBe(`! skipped ${folder}/a.json: the same learner as ${folder}/b.json (same seed and name); the one with the later activity, ${folder}/b.json, is counted\n`);
  });

  test('--sort last puts the longest inactive first, by instant', async () => {
    const folder = fresh();
    writeFileSync(join(folder, 'a.json'), progressFile('cccccccccccccccc', 'Bo', { lastActivity: late }));
    writeFileSync(join(folder, 'b.json'), progressFile('dddddddddddddddd', 'Chen', { lastActivity: early }));
    const result = await runCli(['ex', 'report', folder, '--json', '--sort', 'last'], teacher());
    expect(JSON.parse(result.stdout).learners.map((row: { name: string }) => row.name)).toEqual(['Chen', 'Bo']);
  });

  test.each([
    ['February 31st', '2026-02-31T10:00:00Z'],
    ['February 29th in a common year', '2026-02-29T10:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['an offset of a day or more', '2026-01-01T10:00:00+24:00'],
    ['a year shown as -000001', '0000-01-01T00:00:00+01:00'],
  ])('%s is not a date: the file is skipped', async (_what, date) => {
    const folder = fresh();
    writeFileSync(join(folder, 'a.json'), progressFile('eeeeeeeeeeeeeeee', 'Asha Rao', { lastActivity: date }));
    const result = await runCli(['ex', 'report', folder], teacher());
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`! skipped ${folder}/a.json: JSON, but not a progress file (exercises.lastActivity is not a date and time (such as 2026-01-31T09:30:00.000Z))`);
  });

  test('February 29th in a leap year, and the first instant of year 0000, are dates', async () => {
    const folder = fresh();
    writeFileSync(join(folder, 'a.json'), progressFile('ffffffffffffffff', 'Asha Rao', { lastActivity: '2028-02-29T23:59:59.999+00:00', firstActivity: '0000-01-01T00:00:00Z' }));
    const result = await runCli(['ex', 'report', folder], teacher());
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('2028-02-29 23:59');
  });
});

describe('absurd counts, hard links (F12)', () => {
  test('a count above 1 000 000 is the wrong shape, so a class\'s totals stay exact', async () => {
    const folder = fresh();
    writeFileSync(join(folder, 'a.json'), progressFile('1212121212121212', 'Asha Rao', { attempts: { 'choose-own-api': Number.MAX_SAFE_INTEGER } }));
    writeFileSync(join(folder, 'b.json'), progressFile('3434343434343434', 'Bo', { attempts: { 'choose-own-api': 1_000_000 } }));
    const result = await runCli(['ex', 'report', folder, '--json'], teacher());
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.skipped).toEqual([{ file: join(folder, 'a.json'), reason: 'JSON, but not a progress file (exercises.attempts["choose-own-api"] is more than 1000000)' }]);
    expect(report.learners.map((row: { attempts: number }) => row.attempts)).toEqual([1_000_000]);
  });

  test('a file hard-linked twice in a folder is read once, and the second name is said; a file named twice is read once, silently', async () => {
    const folder = fresh();
    writeFileSync(join(folder, 'a.json'), progressFile('5656565656565656', 'Asha Rao'));
    linkSync(join(folder, 'a.json'), join(folder, 'b.json'));
    const result = await runCli(['ex', 'report', folder, join(folder, 'a.json'), `${folder}/./a.json`], teacher());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`! skipped ${folder}/b.json: the same file as ${folder}/a.json (a hard link to it), so it is read once\n`);
    expect(result.stdout).toMatch(/^Class report: 1 learner, 26 exercises\./);
  });
});

test('a subfolder named on the command line beside its parent is still read once per file', async () => {
  const folder = fresh();
  mkdirSync(join(folder, 'class'));
  writeFileSync(join(folder, 'class', 'a.json'), progressFile('7878787878787878', 'Asha Rao'));
  const result = await runCli(['ex', 'report', join(folder, 'class'), join(folder, 'class', 'a.json')], teacher());
  expect([result.code, result.stderr]).toEqual([0, '']);
});
