// The progress lock under real concurrency: writers in separate processes, each a read-modify-write
// under the lock, lose nothing; a lock left by a killed or hung process is taken over; a lock held
// for longer than the wait gives a clear message and leaves the file alone; an entry this tool never
// makes (a folder, a FIFO, a link) in the lock's place, or a `.break` left behind, never blocks for ever.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { openProgress } from '../../src/lessons/progress.js';

const progressModule = fileURLToPath(new URL('../../src/lessons/progress.ts', import.meta.url));
let workerScript = '';

// A worker process: `count <folder> <updates> <name>` makes that many changes, each one update();
// `hold <folder>` takes the lock, says "holding", and never lets go (until killed).
const workerSource = `
import { openProgress } from ${JSON.stringify(progressModule)};
const [mode, folder, updates, name] = process.argv.slice(2);
const store = openProgress(folder);
if (mode === 'hold') {
  store.update(() => {
    process.stdout.write('holding\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  });
}
for (let index = 0; index < Number(updates); index++) {
  const messages = store.update((progress) => {
    const attempts = progress.exercises.attempts;
    // "constructor" as the shared key: an exercise id that a plain object would inherit.
    attempts.constructor = (attempts.constructor ?? 0) + 1;
    attempts[name] = (attempts[name] ?? 0) + 1;
    if (index % 3 === 0) progress.tutorial.completed.push(Number(name.slice(1)) * 1000 + index);
  });
  if (messages.length) {
    console.error(messages.join('\\n'));
    process.exit(1);
  }
}
`;

beforeAll(async () => {
  // The workers run the real module, bundled once for plain node.
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-worker-'));
  workerScript = join(folder, 'worker.mjs');
  await build({ stdin: { contents: workerSource, resolveDir: folder, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: workerScript, logLevel: 'warning' });
});

function startWorker(args: string[]): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [workerScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return Object.assign(child, { output: () => output });
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

async function holding(child: ChildProcess & { output: () => string }): Promise<void> {
  while (!child.output().includes('holding')) {
    if (child.exitCode !== null) throw new Error(`the holder ended: ${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('property: N writer processes doing K updates each record exactly N×K', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 15 }), async (writers, updates) => {
      const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
      const children = Array.from({ length: writers }, (_, index) => startWorker(['count', folder, String(updates), `w${index}`]));
      const codes = await Promise.all(children.map(exitOf));
      expect(codes, children.map((child) => child.output()).join('')).toEqual(children.map(() => 0));
      const saved = JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8'));
      expect(saved.exercises.attempts.constructor).toBe(writers * updates);
      for (let index = 0; index < writers; index++) expect(saved.exercises.attempts[`w${index}`]).toBe(updates);
      expect(new Set(saved.tutorial.completed).size).toBe(writers * Math.ceil(updates / 3));
      // No lock, break or temporary file is left behind.
      expect(readdirSync(folder)).toEqual(['progress.json']);
    }),
    // Each run starts up to 12 processes: a few runs, plus the corners, keep it short on two cores.
    { numRuns: 3, examples: [[12, 15], [2, 1]] },
  );
}, 60_000);

test('a lock left by a killed process is taken over at once', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  const holder = startWorker(['hold', folder]);
  await holding(holder);
  holder.kill('SIGKILL');
  await exitOf(holder);
  expect(existsSync(join(folder, 'progress.json.lock'))).toBe(true);
  // Waiting up to a minute is allowed, and an hour would pass before age alone made it stale: only the dead pid frees it.
  const store = openProgress(folder, { lock: { waitUpToMs: 60_000, staleAfterMs: 3_600_000 } });
  expect(store.update((progress) => void (progress.exercises.attempts['read-subject'] = 1))).toEqual([]);
  expect(JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8')).exercises.attempts).toEqual({ 'read-subject': 1 });
  expect(readdirSync(folder)).toEqual(['progress.json']);
});

test('a lock held by a hung process is taken over once it is older than staleAfterMs', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  const holder = startWorker(['hold', folder]);
  try {
    await holding(holder);
    holder.kill('SIGSTOP');
    const store = openProgress(folder, { lock: { waitUpToMs: 60_000, staleAfterMs: 500 } });
    expect(store.update((progress) => void (progress.exercises.attempts['read-subject'] = 1))).toEqual([]);
    expect(JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8')).exercises.attempts).toEqual({ 'read-subject': 1 });
  } finally {
    holder.kill('SIGKILL');
    await exitOf(holder);
  }
});

test('a lock still held after the wait: a clear message, the file untouched, the change kept in memory', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  writeFileSync(join(folder, 'progress.json'), JSON.stringify({ version: 1, seed: 'abc' }));
  const before = readFileSync(join(folder, 'progress.json'), 'utf8');
  const holder = startWorker(['hold', folder]);
  try {
    await holding(holder);
    const store = openProgress(folder, { lock: { waitUpToMs: 300, staleAfterMs: 3_600_000 } });
    const messages = store.update((progress) => void (progress.exercises.attempts['read-subject'] = 1));
    expect(messages).toEqual([`Progress was not saved: another jwt-vs-oauth (process ${holder.pid}) held its lock file for more than 0.3 s. If no other jwt-vs-oauth is running, delete ${join(folder, 'progress.json')}.lock.`]);
    expect(readFileSync(join(folder, 'progress.json'), 'utf8')).toBe(before);
    expect(store.progress.exercises.attempts['read-subject']).toBe(1);
  } finally {
    holder.kill('SIGKILL');
    await exitOf(holder);
  }
});

test('a half-made lock (empty, its maker gone before writing) is judged by its age', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  writeFileSync(join(folder, 'progress.json.lock'), '');
  const young = openProgress(folder, { lock: { waitUpToMs: 200, staleAfterMs: 3_600_000 } });
  expect(young.update(() => undefined)[0]).toMatch(/^Progress was not saved: another jwt-vs-oauth \(a process\) held its lock file/);
  const store = openProgress(folder, { lock: { waitUpToMs: 60_000, staleAfterMs: 100 } });
  expect(store.update((progress) => progress.tutorial.completed.push(1))).toEqual([]);
  expect(JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8')).tutorial.completed).toEqual([1]);
});

// ---- Entries this tool never makes, in the lock's place. The timings would make each of these
// tests wait two seconds and fail with "Progress was not saved" if the entry were not cleared.

const HOUR_AGO = new Date(Date.now() - 3_600_000);
const FAST_GIVE_UP = { waitUpToMs: 2_000, staleAfterMs: 10_000 };
const FROZEN_NOW = () => new Date('2026-11-28T10:00:00Z');

/** One change through a fresh store: the messages it gave and what was saved. */
function oneAttempt(folder: string) {
  const store = openProgress(folder, { lock: FAST_GIVE_UP, now: FROZEN_NOW });
  const messages = store.update((progress) => void (progress.exercises.attempts['read-subject'] = 1));
  return { messages, attempts: JSON.parse(readFileSync(join(folder, 'progress.json'), 'utf8')).exercises.attempts };
}

test.each([
  ['an empty folder', (lock: string) => mkdirSync(lock)],
  ['an empty folder, an hour old', (lock: string) => (mkdirSync(lock), utimesSync(lock, HOUR_AGO, HOUR_AGO))],
  ['a FIFO', (lock: string) => expect(spawnSync('mkfifo', [lock]).status).toBe(0)],
  ['a dangling symbolic link', (lock: string) => symlinkSync(join(lock, 'nowhere'), lock)],
])('%s in the lock\'s place is cleared at once (this tool only makes plain lock files)', (_, make) => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  make(join(folder, 'progress.json.lock'));
  expect(oneAttempt(folder)).toEqual({ messages: [], attempts: { 'read-subject': 1 } });
  expect(readdirSync(folder)).toEqual(['progress.json']);
});

test('a link in the lock\'s place is removed, and the file it names is neither read nor changed', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  const victim = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-victim-')), 'notes.txt');
  writeFileSync(victim, 'keep me\n');
  symlinkSync(victim, join(folder, 'progress.json.lock'));
  expect(oneAttempt(folder)).toEqual({ messages: [], attempts: { 'read-subject': 1 } });
  expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  expect(readdirSync(folder)).toEqual(['progress.json']);
});

test('a folder with files in the lock\'s place is renamed aside, never deleted, and the learner is told', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  const lock = join(folder, 'progress.json.lock');
  mkdirSync(lock);
  writeFileSync(join(lock, 'thesis.txt'), 'years of work\n');
  const { messages, attempts } = oneAttempt(folder);
  const aside = `${lock}.stale-2026-11-28T10-00-00-000Z`;
  expect(messages).toEqual([`A folder was in the place of the progress lock ${lock} (this tool makes only plain lock files); it was moved aside to ${aside}, with everything in it.`]);
  expect(attempts).toEqual({ 'read-subject': 1 });
  expect(readFileSync(join(aside, 'thesis.txt'), 'utf8')).toBe('years of work\n');
  expect(readdirSync(folder).sort()).toEqual(['progress.json', 'progress.json.lock.stale-2026-11-28T10-00-00-000Z']);
});

test.each([
  ['an old empty folder', (breakPath: string) => mkdirSync(breakPath), []],
  ['an old folder with a file in it', (breakPath: string) => (mkdirSync(breakPath), writeFileSync(join(breakPath, 'x'), 'x')), ['progress.json.lock.break.stale-2026-11-28T10-00-00-000Z']],
  ['an old plain file', (breakPath: string) => writeFileSync(breakPath, ''), []],
])('an abandoned lock with %s as its .break is still taken over', (_, make, asideNames) => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  const lock = join(folder, 'progress.json.lock');
  const breakPath = `${lock}.break`;
  writeFileSync(lock, '{}');
  make(breakPath);
  utimesSync(lock, HOUR_AGO, HOUR_AGO);
  utimesSync(breakPath, HOUR_AGO, HOUR_AGO);
  const { messages, attempts } = oneAttempt(folder);
  expect(messages).toEqual(asideNames.map((name) => `A folder was in the place of the progress lock ${breakPath} (this tool makes only plain lock files); it was moved aside to ${join(folder, name)}, with everything in it.`));
  expect(attempts).toEqual({ 'read-subject': 1 });
  expect(readdirSync(folder).sort()).toEqual(['progress.json', ...asideNames]);
});

test('a lock whose "at" is in the future is judged by the file\'s own time: taken over once that is old', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  const lock = join(folder, 'progress.json.lock');
  writeFileSync(lock, JSON.stringify({ at: 99_999_999_999_999 }));
  // Just written: not yet stale, so a short wait gives up.
  const young = openProgress(folder, { lock: { waitUpToMs: 100, staleAfterMs: 10_000 } });
  expect(young.update(() => undefined)[0]).toMatch(/^Progress was not saved: another jwt-vs-oauth \(a process\) held its lock file/);
  utimesSync(lock, HOUR_AGO, HOUR_AGO);
  expect(oneAttempt(folder)).toEqual({ messages: [], attempts: { 'read-subject': 1 } });
  expect(readdirSync(folder)).toEqual(['progress.json']);
});

test('a lock whose own time is far in the future (a clock that moved, or a forgery) counts as stale', () => {
  const folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-lock-'));
  const lock = join(folder, 'progress.json.lock');
  const tomorrow = new Date(Date.now() + 86_400_000);
  writeFileSync(lock, JSON.stringify({ at: tomorrow.getTime() }));
  utimesSync(lock, tomorrow, tomorrow);
  expect(oneAttempt(folder)).toEqual({ messages: [], attempts: { 'read-subject': 1 } });
  expect(lstatSync(join(folder, 'progress.json')).isFile()).toBe(true);
  expect(readdirSync(folder)).toEqual(['progress.json']);
});
