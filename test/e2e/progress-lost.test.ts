// No progress is lost, through the built bin: parallel checks all count, a pass made while
// `exercises start` or the tutorial runs survives them, a bad file is moved aside with a message, a FIFO is
// refused instead of hanging, a symlink is refused without touching what it points to, a date
// that is not a date never reaches the terminal, and an exercise called `constructor` is an ordinary exercise;
// a folder left where the lock goes never blocks a command, and a home folder's name is shown escaped.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { BIN, runBin, type CliResult } from '../helpers/cli.js';
import { TerminalSession } from '../helpers/terminal.js';

const freshHome = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-progress-'));
const readProgress = (home: string) => JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8'));

/** The bin as a subprocess that runs alongside others; killed (and the test fails) if it outlives 20 s. */
function runBinConcurrently(args: string[], home: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1', JWT_VS_OAUTH_HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

test('30 parallel `exercises check` runs record 30 attempts, and the pass among them is kept', async () => {
  const home = freshHome();
  const solution = runBin(['ex', 'solution', 'read-subject', '--teacher', '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
  const rightAnswer = JSON.parse(solution.stdout).answers[0] as string;
  const answers = Array.from({ length: 30 }, (_, index) => (index === 14 ? rightAnswer : `wrong-${index}`));
  const results = await Promise.all(answers.map((answer) => runBinConcurrently(['ex', 'check', 'read-subject', answer], home)));
  expect(results.map((result) => result.code)).toEqual(answers.map((answer) => (answer === rightAnswer ? 0 : 1)));
  expect(results.map((result) => result.stderr).join('')).toBe('');
  const saved = readProgress(home);
  expect(saved.exercises.attempts).toEqual({ 'read-subject': 30 });
  expect(Object.keys(saved.exercises.passed)).toEqual(['read-subject']);
  expect(readdirSync(home)).toEqual(['progress.json']);
}, 60_000);

test('a pass made in a second terminal while `exercises start` runs is still there after its Ctrl-C', async () => {
  const home = freshHome();
  const start = spawn(process.execPath, [BIN, 'exercises', 'start', 'oauth-access-token'], { env: { PATH: process.env.PATH, NO_COLOR: '1', JWT_VS_OAUTH_HOME: home } });
  try {
    let stdout = '';
    start.stdout.on('data', (chunk) => (stdout += chunk));
    const deadline = Date.now() + 15_000;
    while (!stdout.includes('Ctrl-C stops it.') && Date.now() < deadline && start.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stdout).toMatch(/Mock Google \(a local simulation\) is running at http:\/\/127\.0\.0\.1:\d+/);
    expect(readProgress(home).exercises.provider.exercise).toBe('oauth-access-token');

    // The second terminal: a pass, and a hint, in other processes.
    const rightAnswer = JSON.parse(runBin(['ex', 'solution', 'read-subject', '--teacher', '--json'], { env: { JWT_VS_OAUTH_HOME: home } }).stdout).answers[0] as string;
    expect((await runBinConcurrently(['ex', 'check', 'read-subject', rightAnswer], home)).code).toBe(0);
    expect((await runBinConcurrently(['ex', 'hint', 'read-expiry'], home)).code).toBe(0);

    const exited = new Promise<number | null>((resolve) => start.on('exit', resolve));
    start.kill('SIGINT');
    expect(await exited).toBe(130);
  } finally {
    start.kill('SIGKILL');
  }
  const saved = readProgress(home);
  expect(Object.keys(saved.exercises.passed)).toEqual(['read-subject']);
  expect(saved.exercises.attempts).toEqual({ 'read-subject': 1 });
  expect(saved.exercises.hintsShown).toEqual({ 'read-expiry': 1 });
  expect(saved.exercises.provider).toBeUndefined();
}, 60_000);

test('a pass made while the tutorial runs in another terminal is still there after the next screen and q', async () => {
  const home = freshHome();
  const session = new TerminalSession(`node ${BIN} tutorial`, { env: { JWT_VS_OAUTH_HOME: home } });
  try {
    await session.waitFor('(screen 1 of 5)');
    const rightAnswer = JSON.parse(runBin(['ex', 'solution', 'read-subject', '--teacher', '--json'], { env: { JWT_VS_OAUTH_HOME: home } }).stdout).answers[0] as string;
    expect((await runBinConcurrently(['ex', 'check', 'read-subject', rightAnswer], home)).code).toBe(0);
    session.press('Enter');
    await session.waitFor('(screen 2 of 5)');
    session.type('q');
    expect(await session.exitCode()).toBe(0);
  } finally {
    session.close();
  }
  const saved = readProgress(home);
  expect(Object.keys(saved.exercises.passed)).toEqual(['read-subject']);
  // q on screen 2 keeps screen 2 (index 1): resume shows the screen that was on view.
  expect(saved.tutorial.position).toEqual({ lesson: 1, screen: 1 });
}, 60_000);

test.each([
  ['{"exercises": 5}', 'it has no "version": 1'],
  ['{"lessons": "x"}', 'it has no "version": 1'],
  ['[]', 'the file is not an object'],
  ['null', 'the file is not an object'],
  ['{"version": 1, "exercises": 5}', 'exercises is not an object'],
  ['{"version": 1, "exercises": {"attempts": {"read-subject": "3"}}}', 'exercises.attempts["read-subject"] is not a count'],
  ['{"version": 1, "tutorial": {"completed": "all"}}', 'tutorial.completed is not a list of lesson numbers'],
])('a progress file of valid JSON with wrong types (%s) is moved aside with a message; the command goes on', (text, reason) => {
  const home = freshHome();
  writeFileSync(join(home, 'progress.json'), text);
  const checked = runBin(['ex', 'check', 'read-subject', 'wrong'], { env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
  // Exit 1 is the check's own "not yet"; the file problem is a warning, not a failure.
  expect(checked.code).toBe(1);
  expect(checked.stdout).toContain('✗ Not yet.');
  const [aside] = readdirSync(home).filter((name) => name.startsWith('progress.json.corrupt-'));
  expect(checked.stderr).toBe(`! Your progress file could not be read (${reason}), so it was moved aside to ${join(home, aside!)} and you start afresh.\n`);
  expect(readFileSync(join(home, aside!), 'utf8')).toBe(text);
  expect(readProgress(home).exercises.attempts).toEqual({ 'read-subject': 1 });

  writeFileSync(join(home, 'progress.json'), text);
  const listed = runBin(['tutorial', '--list', '--json'], { env: { JWT_VS_OAUTH_HOME: home } });
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout).resume).toBeNull();
  expect(listed.stderr).toMatch(/^! Your progress file could not be read .*, so it was moved aside to .* and you start afresh\.\n$/);
});

test('the menu says so when it moves a bad progress file aside', async () => {
  const home = freshHome();
  writeFileSync(join(home, 'progress.json'), '{"version": 1, "exercises": []}');
  const session = new TerminalSession(`node ${BIN}`, { env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
  try {
    await session.waitFor('What would you like to do?');
    expect(session.screen()).toMatch(/! Your progress file could not be read \(exercises is not an object\), so it was moved aside to .*progress\.json\.corrupt-/);
    session.press('C-c');
    expect(await session.exitCode()).toBe(130);
  } finally {
    session.close();
  }
}, 30_000);

test('a FIFO, a folder or a link to a FIFO named progress.json is refused with exit 2, never a hang', () => {
  const home = freshHome();
  const file = join(home, 'progress.json');
  expect(spawnSync('mkfifo', [file]).status).toBe(0);
  const hint = 'Move it out of the way, or set JWT_VS_OAUTH_HOME to another folder.\n';
  for (const args of [['ex', 'list'], ['ex', 'check', 'read-subject', 'wrong'], ['tutorial', '--list']]) {
    // runBin kills a run after 20 s; a hang would show as code -1.
    const result = runBin(args, { env: { JWT_VS_OAUTH_HOME: home } });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: `error: Your progress file ${file} is a named pipe (FIFO); progress is kept in a plain file.\n${hint}` });
  }

  const linked = freshHome();
  symlinkSync(file, join(linked, 'progress.json'));
  const viaLink = runBin(['ex', 'list'], { env: { JWT_VS_OAUTH_HOME: linked } });
  expect({ code: viaLink.code, stderr: viaLink.stderr }).toEqual({ code: 2, stderr: `error: Your progress file ${join(linked, 'progress.json')} is a symbolic link; progress is kept in a plain file, and a link is not followed (nothing was read or changed).\nRemove the link. To keep progress in another folder, set JWT_VS_OAUTH_HOME to that folder.\n` });

  const folder = freshHome();
  mkdirSync(join(folder, 'progress.json'));
  const asFolder = runBin(['ex', 'hint', 'read-subject'], { env: { JWT_VS_OAUTH_HOME: folder } });
  expect({ code: asFolder.code, stderr: asFolder.stderr }).toEqual({ code: 2, stderr: `error: Your progress file ${join(folder, 'progress.json')} is a folder; progress is kept in a plain file.\n${hint}` });
});

test('a progress.json linked to another file (a shell profile) is refused with exit 2; the file is neither moved nor changed', () => {
  const home = freshHome();
  const victimFolder = freshHome();
  const victim = join(victimFolder, 'bashrc');
  writeFileSync(victim, 'export PATH=/usr/bin\n');
  symlinkSync(victim, join(home, 'progress.json'));
  for (const args of [['ex', 'check', 'read-subject', 'asha'], ['ex', 'progress'], ['tutorial', '--reset']]) {
    const result = runBin(args, { env: { JWT_VS_OAUTH_HOME: home } });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 2, stdout: '', stderr: `error: Your progress file ${join(home, 'progress.json')} is a symbolic link; progress is kept in a plain file, and a link is not followed (nothing was read or changed).\nRemove the link. To keep progress in another folder, set JWT_VS_OAUTH_HOME to that folder.\n` });
  }
  expect(readFileSync(victim, 'utf8')).toBe('export PATH=/usr/bin\n');
  expect(readdirSync(victimFolder)).toEqual(['bashrc']);
  expect(readdirSync(home)).toEqual(['progress.json']);
  expect(readlinkSync(join(home, 'progress.json'))).toBe(victim);
});

test.each([
  ['firstActivity', '\u001b]0;x\u0007'],
  ['lastActivity', '\u001b[2J\u001b[HFAKE\r\u202e'],
])('`exercises progress` never prints a %s that is not a date: the file is moved aside as corrupt', (field, value) => {
  const home = freshHome();
  const text = JSON.stringify({ version: 1, seed: 'abc', exercises: { [field]: value } });
  writeFileSync(join(home, 'progress.json'), text);
  const result = runBin(['ex', 'progress'], { env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
  expect(result.code).toBe(0);
  const [aside] = readdirSync(home).filter((name) => name.startsWith('progress.json.corrupt-'));
  expect(result.stderr).toBe(`! Your progress file could not be read (exercises.${field} is not a date and time (such as 2026-01-31T09:30:00.000Z)), so it was moved aside to ${join(home, aside!)} and you start afresh.\n`);
  expect(readFileSync(join(home, aside!), 'utf8')).toBe(text);
  // Nothing but newlines among the control characters: no escape, no CR, no bidi override.
  expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  expect(result.stdout).toMatch(/^First activity: none yet; last: none yet\.$/m);
});

test('an exercise with the id constructor is an ordinary exercise: not passed until it passes', () => {
  const home = freshHome();
  const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pack-'));
  const example = JSON.parse(readFileSync(new URL('../../lessons/example-pack/01-pack-read-issuer.json', import.meta.url), 'utf8'));
  writeFileSync(join(pack, 'constructor.json'), JSON.stringify({ ...example, id: 'constructor' }));
  const env = { JWT_VS_OAUTH_HOME: home, JWT_VS_OAUTH_PACK: pack };

  const listed = JSON.parse(runBin(['ex', 'list', '--json'], { env }).stdout);
  expect(listed.exercises.find((row: { id: string }) => row.id === 'constructor')).toMatchObject({ done: false });
  const solution = runBin(['ex', 'solution', 'constructor'], { env });
  expect(solution.code).toBe(1);
  expect(solution.stdout).toBe('The worked solution opens once constructor passes. The answer opens after 3 failed attempts: 3 more to go. A hint: jwt-vs-oauth exercises hint constructor\n');

  expect(runBin(['ex', 'check', 'constructor', 'wrong'], { env }).code).toBe(1);
  expect(runBin(['ex', 'hint', 'constructor'], { env }).code).toBe(0);
  const saved = readProgress(home);
  expect(saved.exercises.attempts).toEqual({ constructor: 1 });
  expect(saved.exercises.hintsShown).toEqual({ constructor: 1 });
  expect(saved.exercises.passed).toEqual({});
  expect(JSON.parse(runBin(['ex', 'progress', '--json'], { env }).stdout).passed).toBe(0);
});

test('an old folder where the lock goes, and an old folder as its .break, no longer make every command wait and lose its progress', () => {
  const home = freshHome();
  const hourAgo = new Date(Date.now() - 3_600_000);
  mkdirSync(join(home, 'progress.json.lock'));
  utimesSync(join(home, 'progress.json.lock'), hourAgo, hourAgo);
  const checked = runBin(['ex', 'check', 'read-subject', 'nobody'], { env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
  expect({ code: checked.code, stderr: checked.stderr }).toEqual({ code: 1, stderr: '' });
  expect(readProgress(home).exercises.attempts).toEqual({ 'read-subject': 1 });

  writeFileSync(join(home, 'progress.json.lock'), '{}');
  mkdirSync(join(home, 'progress.json.lock.break'));
  utimesSync(join(home, 'progress.json.lock'), hourAgo, hourAgo);
  utimesSync(join(home, 'progress.json.lock.break'), hourAgo, hourAgo);
  const again = runBin(['ex', 'check', 'read-subject', 'nobody'], { env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 1, stderr: '' });
  expect(readProgress(home).exercises.attempts).toEqual({ 'read-subject': 2 });
  expect(readdirSync(home)).toEqual(['progress.json']);
});

test('a home folder with an escape sequence in its name is shown escaped when a bad file is moved aside', () => {
  const home = join(freshHome(), 'x\u001b[31mRED\u001b]0;t\u0007');
  mkdirSync(home);
  writeFileSync(join(home, 'progress.json'), 'not json');
  const checked = runBin(['ex', 'check', 'read-subject', 'nobody'], { env: { JWT_VS_OAUTH_HOME: home, NO_COLOR: '1' } });
  expect(checked.code).toBe(1);
  const [aside] = readdirSync(home).filter((name) => name.startsWith('progress.json.corrupt-'));
  const shown = join(home, aside!).replace('\u001b[31m', '\\x1b[31m').replace('\u001b]0;t\u0007', '\\x1b]0;t\\x07');
  expect(checked.stderr).toBe(`! Your progress file could not be read (it is not valid JSON), so it was moved aside to ${shown} and you start afresh.\n`);
  expect(checked.stderr + checked.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
});
