// The learner's progress: one small JSON file. Every change is a read-modify-write under a lock
// file, so two terminals (or thirty) never lose each other's passes, and the write is atomic
// (temporary file, fsync, rename). A file that cannot be read (bad JSON, wrong types) is moved
// aside with a message, never a crash; a symlink, FIFO, folder or device in its place is refused;
// an unwritable folder gives a clear warning and the lesson still runs (progress then in memory only).

import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { readAtMost, writeAtomically } from './safe-files.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../jwt/untrusted-json.js';
import { hasControlCharacters, terminalSafe } from '../text/terminal-safe.js';

/**
 * `bytes` random bytes as hex, from the Web Crypto global: node:crypto is not loaded for it, which
 * costs a few milliseconds of start-up before the tutorial's first screen.
 */
const randomHex = (bytes: number): string => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');

export interface Progress {
  version: 1;
  tutorial: {
    /** Where to resume: lesson number and screen index. */
    position?: { lesson: number; screen: number };
    completed: number[];
  };
  exercises: {
    /** Keyed by exercise id; like the two maps below, it has no prototype, so an id such as `constructor` is an ordinary key. */
    passed: Record<string, { at: string }>;
    hintsShown: Record<string, number>;
    attempts: Record<string, number>;
    /**
     * When the learner first had the answer shown with `hint --reveal`, by exercise id: a teacher's
     * report shows who looked. Absent in files from before it was kept (and until a first reveal).
     */
    revealed?: Record<string, string>;
    firstActivity?: string;
    lastActivity?: string;
    /** The provider `exercises start` is running, so `check` can reach it. */
    provider?: { issuer: string; exercise: string };
  };
  /** Per-learner seed for generated exercise tokens. */
  seed: string;
  /** The learner's name, set with `exercises progress --name`: a class report's row, an export's file name. */
  name?: string;
}

/** A map keyed by outside text (exercise ids): no prototype, so `constructor` or `__proto__` is just a key. */
function idMap<Value>(): Record<string, Value> {
  return Object.create(null) as Record<string, Value>;
}

function emptyProgress(seed = randomHex(8)): Progress {
  return { version: 1, tutorial: { completed: [] }, exercises: { passed: idMap(), hintsShown: idMap(), attempts: idMap() }, seed };
}

/** How long to wait for the lock, and when a lock left behind counts as abandoned. */
export interface LockTimings {
  /** Give up (with a warning) after waiting this long. Longer than staleAfterMs, so a hung holder is always outwaited. */
  waitUpToMs: number;
  /** A lock this old (or dated this far in the future) is taken over even if its process seems alive (a hung process, or a pid reused). */
  staleAfterMs: number;
}

/** A change holds the lock for a few milliseconds; ten seconds is far beyond any real change. */
const DEFAULT_LOCK_TIMINGS: LockTimings = { waitUpToMs: 15_000, staleAfterMs: 10_000 };

export interface ProgressStore {
  file: string;
  /** What was on disk at the last read or change. Read it freely; change it only through update(). */
  progress: Progress;
  /**
   * Applies `change` to the progress on disk now (not to an old copy), under the lock, and saves
   * it. Returns messages for the learner (the file moved aside, a save that failed); when saving
   * fails, the change is still kept in memory so the lesson goes on.
   */
  update(change: (progress: Progress) => void): string[];
  /** Messages about the file (moved aside, not writable), to show the learner once. */
  notices: string[];
}

export interface ProgressOptions {
  now?: () => Date;
  lock?: LockTimings;
}

const MAX_PROGRESS_BYTES = 1024 * 1024;


/** Reads the progress in `folder` (no lock: writes are atomic renames). Throws InputError when progress.json is not a regular file. */
export function openProgress(folder: string, options: ProgressOptions = {}): ProgressStore {
  const now = options.now ?? (() => new Date());
  const timings = options.lock ?? DEFAULT_LOCK_TIMINGS;
  const file = join(folder, 'progress.json');
  const notices: string[] = [];
  let warned = false;

  /** Under the lock: the file on disk as Progress; a bad file is moved aside (and said so). */
  const readForChange = (messages: string[], fallbackSeed: string): Progress => {
    const found = readProgressFile(file);
    if (found.kind === 'ok') return found.progress;
    if (found.kind === 'unreadable') messages.push(moveAside(file, found.reason, now));
    return emptyProgress(fallbackSeed);
  };

  let progress: Progress;
  refuseIfNotAPlainFile(file);
  const first = readProgressFile(file);
  if (first.kind === 'ok') progress = first.progress;
  else {
    progress = emptyProgress();
    if (first.kind === 'unreadable') {
      // Moved aside under the lock, after reading again: another process may have just written a good file.
      const outcome = withLock(file, timings, now, notices, () => readForChange(notices, progress.seed));
      if (outcome.ok) progress = outcome.value;
      else notices.push(`Your progress file ${terminalSafe(file)} could not be read (${first.reason}); starting afresh without changing it.`);
    }
  }

  const store: ProgressStore = {
    file,
    progress,
    notices,
    update(change) {
      const messages: string[] = [];
      // Looked at again: the learner may have moved things since the store was opened.
      refuseIfNotAPlainFile(file);
      const outcome = withLock(file, timings, now, messages, () => {
        const fresh = readForChange(messages, store.progress.seed);
        change(fresh);
        writeAtomically(file, `${JSON.stringify(fresh, null, 2)}\n`);
        return fresh;
      });
      if (outcome.ok) {
        store.progress = outcome.value;
        return messages;
      }
      // Not saved: keep the change in memory so the lesson goes on, and say so once.
      change(store.progress);
      if (!warned) {
        warned = true;
        messages.push(outcome.problem === 'busy'
          ? `Progress was not saved: ${outcome.detail}. If no other jwt-vs-oauth is running, delete ${terminalSafe(file)}.lock.`
          : `Progress cannot be saved in ${terminalSafe(folder)} (${terminalSafe(outcome.detail)}); the lesson goes on, but it will not be remembered. Set JWT_VS_OAUTH_HOME to a folder you can write.`);
      }
      return messages;
    },
  };
  return store;
}

// Every path in a message is escaped: JWT_VS_OAUTH_HOME is outside text, and a folder name may hold
// control characters that would otherwise reach the terminal.

type ReadResult = { kind: 'ok'; progress: Progress } | { kind: 'missing' } | { kind: 'unreadable'; reason: string };

/**
 * progress.json must be a plain file, or absent. A symlink is refused, not followed: whoever can
 * make the link (in a shared or world-writable home) would choose which file is read, moved aside
 * on a bad read, or rewritten, and where the lock and temporary files go. Progress kept elsewhere
 * (a synced folder) is JWT_VS_OAUTH_HOME pointing there. A FIFO would make the read wait for ever.
 */
function refuseIfNotAPlainFile(file: string): void {
  let stats: Stats;
  try {
    stats = lstatSync(file);
  } catch {
    return;
  }
  if (stats.isFile()) return;
  throw stats.isSymbolicLink() ? aSymbolicLink(file) : notARegularFile(file, stats);
}

function aSymbolicLink(file: string): InputError {
  return new InputError(
    'ERR_PROGRESS_NOT_A_FILE',
    `Your progress file ${terminalSafe(file)} is a symbolic link; progress is kept in a plain file, and a link is not followed (nothing was read or changed).`,
    `Remove the link. To keep progress in another folder, set JWT_VS_OAUTH_HOME to that folder.`,
  );
}

function notARegularFile(file: string, stats: Stats): InputError {
  const what = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
  return new InputError(
    'ERR_PROGRESS_NOT_A_FILE',
    `Your progress file ${terminalSafe(file)} is ${what}; progress is kept in a plain file.`,
    `Move it out of the way, or set JWT_VS_OAUTH_HOME to another folder.`,
  );
}

/**
 * Reads and validates. What was swapped in after the check is refused too: a link (O_NOFOLLOW
 * fails with ELOOP), a FIFO (O_NONBLOCK, then fstat), so the read never follows or waits.
 */
function readProgressFile(path: string): ReadResult {
  let descriptor: number;
  try {
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    // ENOTDIR: the folder is itself a file; the first save says so.
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return { kind: 'missing' };
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw aSymbolicLink(path);
    throw new InputError('ERR_PROGRESS_UNREADABLE', `Your progress file ${terminalSafe(path)} cannot be opened (${terminalSafe((error as NodeJS.ErrnoException).code ?? (error as Error).message)}).`, 'Check its permissions, or set JWT_VS_OAUTH_HOME to another folder.');
  }
  let text: string | undefined;
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw notARegularFile(path, stats);
    text = readAtMost(descriptor, MAX_PROGRESS_BYTES);
    if (text === undefined) return { kind: 'unreadable', reason: `it is larger than ${MAX_PROGRESS_BYTES / 1024} KiB` };
  } finally {
    closeSync(descriptor);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', reason: 'it is not valid JSON' };
  }
  try {
    return { kind: 'ok', progress: validateProgress(json) };
  } catch (error) {
    return { kind: 'unreadable', reason: (error as Error).message };
  }
}

/** Renames the entry itself: were a link swapped in meanwhile, the link moves, never the file it names. */
function moveAside(path: string, reason: string, now: () => Date): string {
  const aside = `${path}.corrupt-${timeForAName(now)}`;
  try {
    renameSync(path, aside);
    return `Your progress file could not be read (${reason}), so it was moved aside to ${terminalSafe(aside)} and you start afresh.`;
  } catch {
    return `Your progress file ${terminalSafe(path)} could not be read (${reason}); starting afresh without changing it.`;
  }
}

/** The time as part of a file name: 2026-11-28T10-00-00-000Z. */
function timeForAName(now: () => Date): string {
  return now().toISOString().replace(/[:.]/g, '-');
}

// ---- Shape: a field that is absent gets its default; a field that is present must have the right
// type, else the whole file counts as unreadable. Unknown fields are kept (a newer version may add them).

class ShapeError extends Error {}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The seeds this tool makes are 16 hex digits; a learner may type one of their own. */
const MAX_SEED_LENGTH = 256;

/** Text that is safe to print as it is: not empty, not too long, no control character. */
function isPlainText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value !== '' && value.length <= maxLength && !hasControlCharacters(value);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** The first and last instants whose toISOString() has a four-digit year: 0000-01-01 and 9999-12-31 (UTC). */
const FIRST_INSTANT = new Date(0).setUTCFullYear(0, 0, 1);
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An ISO 8601 date and time with seconds and a zone, as toISOString() writes it (other offsets
 * too): a real calendar date (not February 31st, which Date.parse would roll into March), hours
 * to 23, an offset under a day, and an instant in the years 0000 to 9999 (never one shown as -000001).
 */
function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = DATE_TIME.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second, offsetHours = 0, offsetMinutes = 0] = parts.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1];
  if (daysInMonth === undefined || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 59 || offsetHours > 23 || offsetMinutes > 59) return false;
  const instant = Date.parse(value);
  return instant >= FIRST_INSTANT && instant <= LAST_INSTANT;
}

/** When `value` (a date and time that isDateTime accepted) was, in milliseconds: what "later" means, whatever the offset. */
export function instantOf(value: string | null | undefined): number {
  return value === null || value === undefined ? -Infinity : Date.parse(value);
}

/** The issuer `exercises start` wrote: an http(s) URL, which `check` fetches discovery from. */
function isHttpUrl(value: unknown): value is string {
  if (!isPlainText(value, 2048)) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** More attempts, hints or lessons than anyone makes: a larger number is a forged file, and would make a class's totals overflow. */
export const MAX_COUNT = 1_000_000;

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_COUNT;
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ShapeError(`${where} is not an object`);
  // Copied onto a prototype-free object: keys from the file are data, never inherited names.
  return Object.assign(idMap<unknown>(), value);
}

function mapOf<Value>(value: unknown, where: string, isValue: (entry: unknown) => boolean, expected: string): Record<string, Value> {
  const map = idMap<Value>();
  if (value === undefined) return map;
  for (const [key, entry] of Object.entries(objectAt(value, where))) {
    // The key is outside text, shown in a notice: escaped like any other.
    if (!isValue(entry)) throw new ShapeError(`${where}["${terminalSafe(key)}"] ${Number.isSafeInteger(entry) && (entry as number) > MAX_COUNT ? `is more than ${MAX_COUNT}` : `is not ${expected}`}`);
    map[key] = (isPlainObject(entry) ? Object.assign(idMap(), entry) : entry) as Value;
  }
  return map;
}

/** Checks every field's type; throws ShapeError naming the first one that is wrong. */
export function validateProgress(json: unknown): Progress {
  // Before anything else: a file nested thousands of levels deep would overflow the stack when saved (JSON.stringify recurses).
  if (jsonDepth(json) > MAX_JSON_DEPTH) throw new ShapeError(`it nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  const top = objectAt(json, 'the file');
  if (top.version !== 1) throw new ShapeError(top.version === undefined ? 'it has no "version": 1' : typeof top.version === 'number' ? `its version ${top.version} is not 1` : 'its "version" is not 1');
  if (top.seed !== undefined && !isPlainText(top.seed, MAX_SEED_LENGTH)) throw new ShapeError(`seed is not a non-empty string of at most ${MAX_SEED_LENGTH} characters without control characters`);
  if (top.name !== undefined && (typeof top.name !== 'string' || nameProblem(top.name) !== undefined || normaliseName(top.name) !== top.name)) throw new ShapeError(`name is not a name of 1 to ${MAX_NAME_LENGTH} characters, with a letter or digit and no control or invisible characters`);
  const tutorial = top.tutorial === undefined ? idMap<unknown>() : objectAt(top.tutorial, 'tutorial');
  if (tutorial.completed === undefined) tutorial.completed = [];
  if (!Array.isArray(tutorial.completed) || !tutorial.completed.every(isCount)) throw new ShapeError('tutorial.completed is not a list of lesson numbers');
  if (tutorial.position !== undefined) {
    const position = objectAt(tutorial.position, 'tutorial.position');
    if (!isCount(position.lesson) || !isCount(position.screen)) throw new ShapeError('tutorial.position is not {lesson, screen} with two numbers');
    tutorial.position = position;
  }
  const exercises = top.exercises === undefined ? idMap<unknown>() : objectAt(top.exercises, 'exercises');
  exercises.passed = mapOf(exercises.passed, 'exercises.passed', (entry) => isPlainObject(entry) && isDateTime(entry.at), 'an object {at: "date and time"}');
  exercises.hintsShown = mapOf(exercises.hintsShown, 'exercises.hintsShown', isCount, 'a count');
  exercises.attempts = mapOf(exercises.attempts, 'exercises.attempts', isCount, 'a count');
  if (exercises.revealed !== undefined) exercises.revealed = mapOf(exercises.revealed, 'exercises.revealed', isDateTime, 'a date and time (such as 2026-01-31T09:30:00.000Z)');
  for (const name of ['firstActivity', 'lastActivity'] as const) {
    if (exercises[name] !== undefined && !isDateTime(exercises[name])) throw new ShapeError(`exercises.${name} is not a date and time (such as 2026-01-31T09:30:00.000Z)`);
  }
  if (exercises.provider !== undefined) {
    const provider = objectAt(exercises.provider, 'exercises.provider');
    if (!isHttpUrl(provider.issuer) || typeof provider.exercise !== 'string' || !/^[a-z0-9-]+$/.test(provider.exercise)) throw new ShapeError('exercises.provider is not {issuer: an http URL, exercise: an exercise id}');
    exercises.provider = provider;
  }
  return { ...top, version: 1, seed: (top.seed as string | undefined) ?? randomHex(8), tutorial, exercises } as unknown as Progress;
}

/**
 * Records that the answer to exercise `id` was shown (`hint --reveal`) at `nowIso`, for the
 * teacher's report. The first time is kept: a second look changes nothing. It does not touch
 * lastActivity (the caller does, as for a hint) and does not save: call it inside store.update().
 */
export function recordReveal(progress: Progress, id: string, nowIso: string): void {
  if (!isDateTime(nowIso)) throw new TypeError(`recordReveal: ${nowIso} is not an ISO date and time`);
  const revealed = progress.exercises.revealed ?? idMap<string>();
  progress.exercises.revealed = revealed;
  if (!Object.hasOwn(revealed, id)) revealed[id] = nowIso;
}


// ---- The lock: `<target>.lock`, created with O_EXCL ('wx') so exactly one process makes it.
// It holds {pid, host, at, token}. A lock whose process is gone (same host), or older than
// staleAfterMs, is abandoned: it is removed by whoever first holds `<target>.lock.break`, the
// one place two waiters could otherwise both remove it and both go ahead. This tool only ever
// makes plain files there, so anything else in either place (a folder, a FIFO, a link) is cleared
// at once, and a `.break` left by a crash once it is old; neither can block every command for ever.

type LockOutcome<Value> = { ok: true; value: Value } | { ok: false; problem: 'busy' | 'unwritable'; detail: string };

interface LockContent {
  pid?: unknown;
  host?: unknown;
  at?: unknown;
  token?: unknown;
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(milliseconds: number): void {
  // The changes are synchronous and last milliseconds; a synchronous wait keeps every caller simple.
  Atomics.wait(pause, 0, 0, milliseconds);
}

/** Runs `critical` holding the lock; what was cleared from the lock's place on the way is said in `notes`. */
function withLock<Value>(target: string, timings: LockTimings, now: () => Date, notes: string[], critical: () => Value): LockOutcome<Value> {
  const lockPath = `${target}.lock`;
  const token = `${process.pid}-${randomHex(6)}`;
  const started = Date.now();
  const waitedTooLong = () => Date.now() - started > timings.waitUpToMs;
  let delay = 2;
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    return { ok: false, problem: 'unwritable', detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  for (;;) {
    try {
      const descriptor = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(descriptor, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), token }));
      } finally {
        closeSync(descriptor);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return { ok: false, problem: 'unwritable', detail: code ?? (error as Error).message };
      // Retried at once after a break, but never past the deadline: something that keeps coming back still ends the wait.
      if (breakIfAbandoned(lockPath, timings, now, notes) && !waitedTooLong()) continue;
      if (waitedTooLong()) {
        return { ok: false, problem: 'busy', detail: `another jwt-vs-oauth (${describeHolder(lockPath)}) held its lock file for more than ${timings.waitUpToMs / 1000} s` };
      }
      // Jitter, so a crowd of waiters does not retry in step.
      sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 50);
      continue;
    }
    try {
      return { ok: true, value: critical() };
    } catch (error) {
      // A file system refusal (ENOSPC, EACCES, …) is the folder's problem; anything else is not ours to hide.
      if (typeof (error as NodeJS.ErrnoException).errno !== 'number') throw error;
      return { ok: false, problem: 'unwritable', detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
    } finally {
      releaseLock(lockPath, token);
    }
  }
}

/** The entry at `lockPath` as lstat sees it, and what a plain file there says; undefined when there is none. */
function readLock(lockPath: string): { content: LockContent; stats: Stats } | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(lockPath);
  } catch {
    return undefined;
  }
  let content: LockContent = {};
  // Only a plain file is opened: a FIFO, a device or a folder is never a lock this tool made, and opening one can block or have effects.
  if (!stats.isFile()) return { content, stats };
  try {
    // Never through a link, never waiting on a FIFO, in case one was swapped in since the lstat.
    const descriptor = openSync(lockPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const opened = fstatSync(descriptor);
      const text = opened.isFile() && opened.ino === stats.ino ? readAtMost(descriptor, 4096) : undefined;
      if (text !== undefined) {
        const parsed: unknown = JSON.parse(text);
        if (isPlainObject(parsed)) content = parsed;
      }
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // Empty or half-written (its maker died between create and write), or gone: judged by its age alone.
  }
  return { content, stats };
}

function describeHolder(lockPath: string): string {
  const lock = readLock(lockPath);
  return typeof lock?.content.pid === 'number' ? `process ${lock.content.pid}` : 'a process';
}

/**
 * When the lock was made: its "at", unless that is missing or in the future (a forged lock, or
 * another machine's clock), then the file's own modification time.
 */
function lockTime(content: LockContent, stats: Stats): number {
  const at = content.at;
  return typeof at === 'number' && Number.isFinite(at) && at <= Date.now() ? at : stats.mtimeMs;
}

/** Further than staleAfterMs from now, either way: a time far in the future is a clock that moved, or a forgery. */
function isOld(time: number, timings: LockTimings): boolean {
  return Math.abs(Date.now() - time) > timings.staleAfterMs;
}

function isAbandoned(content: LockContent, stats: Stats, timings: LockTimings): boolean {
  if (!stats.isFile()) return true; // Never one of ours: nobody holds it.
  if (isOld(lockTime(content, stats), timings)) return true;
  if (typeof content.pid !== 'number' || content.host !== hostname()) return false;
  try {
    process.kill(content.pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes an abandoned lock; returns whether the caller should try to take the lock at once. */
function breakIfAbandoned(lockPath: string, timings: LockTimings, now: () => Date, notes: string[]): boolean {
  try {
    return breakAbandonedLock(lockPath, timings, now, notes);
  } catch {
    // Something in the lock's place that cannot be cleared (not ours to remove, say): wait, and in the end say the lock is busy.
    return false;
  }
}

function breakAbandonedLock(lockPath: string, timings: LockTimings, now: () => Date, notes: string[]): boolean {
  const seen = readLock(lockPath);
  if (!seen) return true; // Released meanwhile.
  if (!isAbandoned(seen.content, seen.stats, timings)) return false;
  const breakPath = `${lockPath}.break`;
  let descriptor: number;
  try {
    descriptor = openSync(breakPath, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another waiter is breaking it (for a moment). A break file left by a crash is cleared once it
    // is old, and anything but a plain file at once: this tool never makes one.
    const other = readLock(breakPath);
    if (!other) return true;
    if (other.stats.isFile() && !isOld(other.stats.mtimeMs, timings)) return false;
    clearEntry(breakPath, other.stats, now, notes);
    return true;
  }
  try {
    closeSync(descriptor);
    // Still the same abandoned entry (not a fresh lock made since)? Then it goes.
    clearEntry(lockPath, seen.stats, now, notes);
    return true;
  } finally {
    rmSync(breakPath, { force: true });
  }
}

/**
 * Clears the entry at `path` if it is still the one seen (same file, same time), and only that
 * entry: a file, FIFO or link is unlinked (what a link names is untouched); a folder is removed
 * only when empty, and one with anything in it is renamed aside, never deleted, and said so.
 */
function clearEntry(path: string, seen: Stats, now: () => Date, notes: string[]): void {
  let current: Stats;
  try {
    current = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (current.dev !== seen.dev || current.ino !== seen.ino || current.mtimeMs !== seen.mtimeMs) return;
  try {
    if (current.isDirectory()) rmdirSync(path);
    else unlinkSync(path);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (!current.isDirectory() || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw error;
  }
  // A name no folder has yet: renaming onto an empty folder would silently replace it.
  let aside = `${path}.stale-${timeForAName(now)}`;
  if (readLock(aside)) aside = `${aside}-${randomHex(4)}`;
  renameSync(path, aside);
  notes.push(`A folder was in the place of the progress lock ${terminalSafe(path)} (this tool makes only plain lock files); it was moved aside to ${terminalSafe(aside)}, with everything in it.`);
}

function releaseLock(lockPath: string, token: string): void {
  // Only our own: if ours was taken over as abandoned, the lock there now is someone else's.
  const lock = readLock(lockPath);
  if (lock?.content.token === token) {
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  }
}

// ---- The learner's name (`exercises progress --name`), kept in progress.json. It is shown in a
// teacher's report and names the learner's export, so it is plain text: trimmed, one space between
// words, NFC, 1 to 64 characters with at least one letter or digit, and nothing that does not show
// as itself: a bidirectional override could make one name read as another in a class list, and an
// invisible character (tag characters, a Hangul filler, a variation selector) makes a second
// "Asha Rao" that looks like the first.

export const MAX_NAME_LENGTH = 64;

/**
 * Characters a name may not hold: controls and format characters (bidi controls, zero-width
 * characters, tag characters U+E0000…, the soft hyphen, U+180E, U+2062), every default-ignorable
 * code point (variation selectors, the combining grapheme joiner, the Hangul fillers U+115F,
 * U+1160, U+3164, U+FFA0), the blank Braille pattern U+2800, lone surrogates, private-use and
 * unassigned code points.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/u;
/** More combining marks on one letter than any script writes: a tower of marks drawn over the next rows. */
const MAX_MARKS_IN_A_ROW = 4;
const MARK_TOWER = new RegExp(`\\p{M}{${MAX_MARKS_IN_A_ROW + 1},}`, 'u');

/**
 * What two names are compared by when a report looks for learners with one name: NFKC (a
 * fullwidth Ａ is A, a ligature ﬁ is fi), without any character a name may not hold (for names
 * from before the rule), spaces as one, case aside.
 */
export function nameLookAlikeKey(name: string): string {
  return name.normalize('NFKC').replace(new RegExp(INVISIBLE.source, 'gu'), '').replace(/\s+/gu, ' ').trim().normalize('NFKC').toLocaleLowerCase('en');
}

function normaliseName(raw: string): string {
  return raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** Why `name` (already normalised) is not a usable name; undefined when it is one. */
function nameProblem(name: string): string | undefined {
  const normalised = normaliseName(name);
  if (hasControlCharacters(name.trim()) || INVISIBLE.test(name.trim()) || INVISIBLE.test(normalised)) return 'it holds a control or invisible character';
  if (MARK_TOWER.test(normalised)) return `it stacks more than ${MAX_MARKS_IN_A_ROW} combining marks on one letter`;
  if (normalised === '') return 'it is empty';
  if ([...normalised].length > MAX_NAME_LENGTH) return `it is longer than ${MAX_NAME_LENGTH} characters`;
  if (!/[\p{L}\p{N}]/u.test(normalised)) return 'it has no letter or digit';
  return undefined;
}

/** The name as it is stored: trimmed, one space between words, NFC. Throws ERR_BAD_NAME (exit 2) for one that cannot be used. */
export function learnerName(raw: string): string {
  const problem = nameProblem(raw.replace(/[\t\n\r]/g, ' '));
  if (problem) throw new InputError('ERR_BAD_NAME', `--name cannot be used: ${problem}.`, `A name as your teacher knows you, such as --name "Asha Rao" (at most ${MAX_NAME_LENGTH} characters).`);
  return normaliseName(raw);
}

/** The file an export is saved as: progress-asha-rao.json for "Asha Rao"; accents dropped, letters of any script kept. */
export function exportFileName(name: string): string {
  const slug = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return `progress-${[...slug].slice(0, 48).join('').replace(/-+$/, '')}.json`;
}

// ---- Progress files collected by a teacher: read without following links, waiting on FIFOs or
// opening devices, and never thrown over: whatever is not a progress file comes back as a reason.

export type CollectedFile = { kind: 'ok'; progress: Progress } | { kind: 'skip'; reason: string };

function kindOfEntry(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link (links are not followed)';
  if (stats.isDirectory()) return 'a folder (folders inside a folder are not read)';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Reads one collected file: a progress.json or an export. A `progress --json` summary is named as such. */
export function readCollectedProgress(path: string): CollectedFile {
  let seen: Stats;
  try {
    seen = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'skip', reason: code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? 'error'})` };
  }
  if (!seen.isFile()) return { kind: 'skip', reason: kindOfEntry(seen) };
  let text: string | undefined;
  try {
    const descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const stats = fstatSync(descriptor);
      if (!stats.isFile() || stats.ino !== seen.ino) return { kind: 'skip', reason: 'it changed while it was read' };
      text = readAtMost(descriptor, MAX_PROGRESS_BYTES);
      if (text === undefined) return { kind: 'skip', reason: `larger than ${MAX_PROGRESS_BYTES / 1024} KiB, so not a progress file` };
    } finally {
      closeSync(descriptor);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { kind: 'skip', reason: code === 'ELOOP' ? 'a symbolic link (links are not followed)' : `cannot be read (${code ?? 'error'})` };
  }
  if (text.trim() === '') return { kind: 'skip', reason: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'skip', reason: 'not valid JSON' };
  }
  if (isPlainObject(json) && json.version === undefined && typeof json.total === 'number' && Array.isArray(json.exercises)) {
    return { kind: 'skip', reason: 'the output of `exercises progress --json`, not a progress file: ask for `exercises progress --export` instead' };
  }
  if (isPlainObject(json) && json.version === 1 && json.seed === undefined) return { kind: 'skip', reason: 'JSON, but not a progress file (it has no seed)' };
  try {
    return { kind: 'ok', progress: validateProgress(json) };
  } catch (error) {
    return { kind: 'skip', reason: `JSON, but not a progress file (${(error as Error).message})` };
  }
}

// ---- An export: the learner's progress as a file for the teacher, named for the learner.

export interface ExportOutcome {
  file: string;
  /** What was in the file's place: nothing, the learner's own earlier export (same seed), or another file replaced with --force. */
  replaced: 'nothing' | 'earlier-export' | 'other-file';
  /** The learner's own earlier exports under another name, in the same folder, removed once the new file was written (see ownEarlierExports). */
  removed: Array<{ file: string; name: string | null }>;
  /** Files in the folder with the learner's seed that were left alone: their history is not part of the learner's now. */
  keptSameSeed: string[];
}

/**
 * Whether `later` is `earlier` continued: one learner's history, kept on: the same seed, every pass
 * in `earlier` still there with the same time, no count (attempts, hints) gone down, the same first
 * activity, and any reveal still there. A rename keeps all of that; a file copied to someone else
 * and worked on by both does not (each has passes the other lacks), and neither does a reset.
 */
export function continuesFrom(later: Progress, earlier: Progress): boolean {
  if (later.seed !== earlier.seed) return false;
  const [now, then] = [later.exercises, earlier.exercises];
  if (then.firstActivity !== undefined && now.firstActivity !== then.firstActivity) return false;
  for (const [id, record] of Object.entries(then.passed)) if (!Object.hasOwn(now.passed, id) || now.passed[id]!.at !== record.at) return false;
  for (const key of ['attempts', 'hintsShown'] as const) {
    for (const [id, count] of Object.entries(then[key])) if ((Object.hasOwn(now[key], id) ? now[key][id]! : 0) < count) return false;
  }
  for (const [id, at] of Object.entries(then.revealed ?? {})) if (!Object.hasOwn(now.revealed ?? {}, id) || now.revealed![id] !== at) return false;
  return true;
}

/** An export's file name as exportFileName makes it. */
const EXPORT_NAME = /^progress-[^/\\]+\.json$/u;

/**
 * The learner's own earlier exports in `folder` under another file name: plain files named as
 * exports are (progress-<name>.json), holding a valid progress file with the same seed whose
 * history `progress` continues (continuesFrom). A same-seed file that does not qualify is listed
 * in `keptSameSeed` and never touched.
 */
function ownEarlierExports(progress: Progress, folder: string, except: string): { own: ExportOutcome['removed']; keptSameSeed: string[] } {
  const own: ExportOutcome['removed'] = [];
  const keptSameSeed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return { own, keptSameSeed };
  }
  for (const name of names.sort()) {
    const file = join(folder, name);
    if (!EXPORT_NAME.test(name) || name === basename(except)) continue;
    const found = readCollectedProgress(file);
    if (found.kind !== 'ok' || found.progress.seed !== progress.seed) continue;
    if (continuesFrom(progress, found.progress)) own.push({ file, name: found.progress.name ?? null });
    else keptSameSeed.push(file);
  }
  return { own, keptSameSeed };
}

/**
 * The text of an export: the learner's name, seed and progress, nothing else. Fields this version
 * does not know (kept in progress.json for a newer version) stay on the learner's machine, and so
 * does the running provider: it means nothing on the teacher's.
 */
export function exportText(progress: Progress): string {
  const { passed, hintsShown, attempts, revealed, firstActivity, lastActivity } = progress.exercises;
  const { completed, position } = progress.tutorial;
  const known = {
    version: 1,
    ...(progress.name === undefined ? {} : { name: progress.name }),
    seed: progress.seed,
    tutorial: { completed, ...(position ? { position: { lesson: position.lesson, screen: position.screen } } : {}) },
    exercises: {
      passed: Object.fromEntries(Object.entries(passed).map(([id, record]) => [id, { at: record.at }])),
      hintsShown,
      attempts,
      ...(revealed === undefined ? {} : { revealed }),
      ...(firstActivity === undefined ? {} : { firstActivity }),
      ...(lastActivity === undefined ? {} : { lastActivity }),
    },
  };
  return `${JSON.stringify(known, null, 2)}\n`;
}

/** Whether `entry` is the same file as `other` (device and inode); false when either is missing. */
function isSameFile(entry: Stats, other: string): boolean {
  try {
    const stats = lstatSync(other);
    return stats.dev === entry.dev && stats.ino === entry.ino;
  } catch {
    return false;
  }
}

/**
 * Writes `progress` to `file` atomically (temporary file, fsync, then a hard link or rename into
 * place), readable by others (0644: it is made to be handed over). The learner's own earlier
 * export is replaced: a progress file with the same seed and the same name, or one whose history
 * the learner's continues (a rename, see continuesFrom). Any other file only with `force`; a link,
 * folder or FIFO never, nor the learner's live progress file (`options.liveFile`), which only
 * its lock may change.
 */
export function exportProgress(progress: Progress, file: string, force = false, options: { replaceOwnIn?: string; liveFile?: string } = {}): ExportOutcome {
  const text = exportText(progress);
  const shown = terminalSafe(file);
  let replaced: ExportOutcome['replaced'] = 'nothing';
  let existing: Stats | undefined;
  try {
    existing = lstatSync(file);
  } catch {
    // Nothing there: the usual case.
  }
  if (existing && !existing.isFile()) {
    throw new InputError('ERR_FILE_EXISTS', `${shown} is ${kindOfEntry(existing).replace(/ \(.*\)$/, '')}; an export never replaces one (nothing was written).`, 'Choose another file name.');
  }
  if (existing && options.liveFile !== undefined && isSameFile(existing, options.liveFile)) {
    throw new InputError('ERR_FILE_EXISTS', `${shown} is your progress file itself; an export is a copy of it for your teacher, written elsewhere (nothing was written).`, 'Export to another folder: jwt-vs-oauth exercises progress --export ~/Desktop');
  }
  if (existing) {
    const found = readCollectedProgress(file);
    const own = found.kind === 'ok' && found.progress.seed === progress.seed && (found.progress.name === progress.name || continuesFrom(progress, found.progress));
    if (own) replaced = 'earlier-export';
    else if (force) replaced = 'other-file';
    else {
      const what = found.kind !== 'ok' ? 'not a progress file'
        : found.progress.seed === progress.seed ? `a progress file with your seed that is not your earlier export${found.progress.name ? ` (${terminalSafe(found.progress.name)})` : ''}: a copy of your progress someone else went on with, or one from before a reset`
          : `another learner's progress${found.progress.name ? ` (${terminalSafe(found.progress.name)})` : ''}`;
      throw new InputError('ERR_FILE_EXISTS', `${shown} already exists and is ${what}; nothing was written.`, 'Choose another file, or add --force to replace it.');
    }
  }
  try {
    writeAtomically(file, text, { mode: 0o644, noClobber: replaced === 'nothing' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new InputError('ERR_FILE_EXISTS', `${shown} appeared while the export was written; nothing was replaced.`, 'Run the export again.');
    throw new InputError('ERR_WRITE_FILE', `Cannot write ${shown} (${terminalSafe(code ?? (error as Error).message)}).`, 'Choose a folder you can write, for example: --export ~/Desktop');
  }
  // Only after the new file is in place: the learner's earlier export under their old name goes.
  const { own, keptSameSeed } = options.replaceOwnIn === undefined ? { own: [], keptSameSeed: [] } : ownEarlierExports(progress, options.replaceOwnIn, file);
  const removed: ExportOutcome['removed'] = [];
  for (const earlier of own) {
    try {
      // Looked at again just before: still a plain file (a link swapped in is left alone).
      if (!lstatSync(earlier.file).isFile()) continue;
      unlinkSync(earlier.file);
      removed.push(earlier);
    } catch {
      keptSameSeed.push(earlier.file);
    }
  }
  return { file, replaced, removed, keptSameSeed };
}
