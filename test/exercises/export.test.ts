// `exercises progress --name … --export`: the learner's file for the teacher, named for the
// learner, written atomically, and never over another file without saying so.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runBin, runCli } from '../helpers/cli.js';

const NOW = 1_900_000_000;
const fresh = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-export-'));

function learner() {
  const home = fresh();
  const out = fresh();
  const run = (words: string[]) => runCli(['ex', ...words], { env: { JWT_VS_OAUTH_HOME: home }, now: NOW });
  const progress = () => JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8'));
  return { home, out, run, progress };
}

describe('progress --export', () => {
  test('needs a name; --name is remembered, shown, and names the file; the file holds name, seed and progress', async () => {
    const { out, run, progress } = learner();
    await run(['check', 'choose-own-api', 'a']);
    const nameless = await run(['progress', '--export', out]);
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toBe('error: An export is named for you, and no name is saved yet.\nAdd your name once: jwt-vs-oauth exercises progress --name "Asha Rao" --export\n');
    expect(readdirSync(out)).toEqual([]);

    const saved = await run(['progress', '--name', '  Asha \t Rao ', '--export', out]);
    expect(saved.code).toBe(0);
    const file = join(out, 'progress-asha-rao.json');
    expect(saved.stdout).toBe(`${file}\n`);
    expect(saved.stderr).toBe(`Your name is saved as Asha Rao.\nSaved your progress, with your name and seed, as ${file}. Hand it to your teacher.\n`);
    expect(readdirSync(out)).toEqual(['progress-asha-rao.json']);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({ version: 1, name: 'Asha Rao', seed: progress().seed, exercises: { passed: { 'choose-own-api': { at: '2030-03-17T17:46:40.000Z' } }, attempts: { 'choose-own-api': 1 } } });
    expect(progress().name).toBe('Asha Rao');
    expect((await run(['progress'])).stdout.split('\n')[0]).toBe('Asha Rao: 1 of 26 exercises passed.');
    expect(JSON.parse((await run(['progress', '--json'])).stdout)).toMatchObject({ name: 'Asha Rao', seed: progress().seed, passed: 1 });
  });

  test('the learner\'s own earlier export is replaced, and it says so; another learner\'s file only with --force', async () => {
    const asha = learner();
    const bo = learner();
    await asha.run(['progress', '--name', 'Asha', '--export', asha.out]);
    await asha.run(['check', 'choose-own-api', 'a']);
    const again = await asha.run(['progress', '--export', asha.out]);
    const file = join(asha.out, 'progress-asha.json');
    expect([again.code, again.stderr]).toEqual([0, `Replaced your earlier export with your progress now. Hand ${file} to your teacher.\n`]);
    expect(JSON.parse(readFileSync(file, 'utf8')).exercises.attempts).toEqual({ 'choose-own-api': 1 });

    // Another Asha exports into the same folder: refused, the first file untouched.
    const before = readFileSync(file, 'utf8');
    const other = await bo.run(['progress', '--name', 'Asha', '--export', asha.out]);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(`Your name is saved as Asha.\nerror: ${file} already exists and is another learner's progress (Asha); nothing was written.\nChoose another file, or add --force to replace it.\n`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(asha.out)).toEqual(['progress-asha.json']);
    const forced = await bo.run(['progress', '--export', asha.out, '--force']);
    expect([forced.code, forced.stderr]).toEqual([0, `Replaced ${file} (it was not your earlier export; --force). Hand it to your teacher.\n`]);
    expect(JSON.parse(readFileSync(file, 'utf8')).seed).toBe(bo.progress().seed);
  });

  test('a rename: the export under the new name replaces the one under the old name, and says so; the report counts one learner', async () => {
    const { out, run } = learner();
    await run(['check', 'choose-own-api', 'a']);
    await run(['progress', '--name', 'Asha Rao', '--export', out]);
    const renamed = await run(['progress', '--name', 'Asha R.', '--export', out]);
    expect(renamed.code).toBe(0);
    const [oldFile, newFile] = [join(out, 'progress-asha-rao.json'), join(out, 'progress-asha-r.json')];
    expect(renamed.stdout).toBe(`${newFile}\n`);
    expect(renamed.stderr).toBe([
      'Your name is saved as Asha R.',
      `Removed your earlier export ${oldFile} (as Asha Rao): this one replaces it, so your teacher counts you once.`,
      `Saved your progress, with your name and seed, as ${newFile}. Hand it to your teacher.`,
      '',
    ].join('\n'));
    expect(readdirSync(out)).toEqual(['progress-asha-r.json']);
    const report = await runCli(['ex', 'report', out], { env: { JWT_VS_OAUTH_HOME: fresh() } });
    expect([report.code, report.stderr]).toEqual([0, '']);
    expect(report.stdout).toMatch(/^Class report: 1 learner, 26 exercises\.\n/);
    expect(report.stdout).toContain('\nAsha R. ');
  });

  test('a same-seed export whose progress is not all in the learner\'s now (a copy worked on by someone else) is left alone, with a warning', async () => {
    const { out, run, progress } = learner();
    await run(['progress', '--name', 'Asha Rao']);
    await run(['check', 'choose-own-api', 'a']);
    const copy = { ...progress(), name: 'Chen', exercises: { ...progress().exercises, passed: { ...progress().exercises.passed, 'choose-delegated': { at: '2030-03-18T10:00:00.000Z' } } } };
    writeFileSync(join(out, 'progress-chen.json'), JSON.stringify(copy));
    const result = await run(['progress', '--export', out, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file: join(out, 'progress-asha-rao.json'), replaced: 'nothing', removed: [] });
    expect(result.stderr).toBe(`! ${join(out, 'progress-chen.json')} has your seed but not all of your progress now (a reset, or someone else's copy), so it was left as it is; if it is yours, remove it.\n`);
    expect(readdirSync(out).sort()).toEqual(['progress-asha-rao.json', 'progress-chen.json']);
  });

  test('a file that is not a progress file is not replaced; a link, never (nor what it names)', async () => {
    const { out, run } = learner();
    await run(['progress', '--name', 'Asha']);
    const notes = join(out, 'notes.txt');
    writeFileSync(notes, 'my notes');
    const refused = await run(['progress', '--export', notes]);
    expect([refused.code, refused.stderr]).toEqual([2, `error: ${notes} already exists and is not a progress file; nothing was written.\nChoose another file, or add --force to replace it.\n`]);
    expect(readFileSync(notes, 'utf8')).toBe('my notes');
    const link = join(out, 'link.json');
    symlinkSync(notes, link);
    const linked = await run(['progress', '--export', link, '--force']);
    expect([linked.code, linked.stderr]).toEqual([2, `error: ${link} is a symbolic link; an export never replaces one (nothing was written).\nChoose another file name.\n`]);
    expect(readFileSync(notes, 'utf8')).toBe('my notes');
    expect(readdirSync(out).sort()).toEqual(['link.json', 'notes.txt']);
  });

  test('a folder that cannot be written: a clear error, no temporary file left behind', async () => {
    const { run } = learner();
    await run(['progress', '--name', 'Asha']);
    const missing = join(fresh(), 'no-such-folder', 'mine.json');
    const result = await run(['progress', '--export', missing]);
    expect([result.code, result.stderr]).toEqual([2, `error: Cannot write ${missing} (ENOENT).\nChoose a folder you can write, for example: --export ~/Desktop\n`]);
  });

  test.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['---', 'it has no letter or digit'],
    ['a'.repeat(65), 'it is longer than 64 characters'],
    ['Eve\u202eoaR', 'it holds a control or invisible character'],
    ['Eve\u001b[2J', 'it holds a control or invisible character'],
    ['Eve\u200b', 'it holds a control or invisible character'],
  ])('--name %j is refused (%s), and nothing is saved', async (name, problem) => {
    const { home, run } = learner();
    const result = await run(['progress', '--name', name]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: --name cannot be used: ${problem}.\nA name as your teacher knows you, such as --name "Asha Rao" (at most 64 characters).\n`);
    expect(existsSync(join(home, 'progress.json'))).toBe(false);
  });

  test('--force without --export, and an empty --export, are usage errors', async () => {
    const { run } = learner();
    expect((await run(['progress', '--force'])).stderr).toBe('error: --force goes with --export.\nExample: jwt-vs-oauth exercises progress --export --force\n');
    expect((await run(['progress', '--export', ''])).code).toBe(2);
  });

  test('the built bin: --export alone writes progress-<name>.json in the current folder, accents dropped', () => {
    const home = fresh();
    const cwd = fresh();
    mkdirSync(join(cwd, 'inside'));
    const result = runBin(['ex', 'progress', '--name', 'José Núñez', '--export'], { env: { JWT_VS_OAUTH_HOME: home }, cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('progress-jose-nunez.json\n');
    expect(readdirSync(cwd).sort()).toEqual(['inside', 'progress-jose-nunez.json']);
    expect(JSON.parse(readFileSync(join(cwd, 'progress-jose-nunez.json'), 'utf8')).name).toBe('José Núñez');
  });
});
