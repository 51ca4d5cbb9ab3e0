// A teacher's view of a class: progress files (learners' exports, or progress.json files) read
// from files and folders, one row per learner, and the exercises the class fails most. Pure apart
// from reading the files: the CLI renders the table, JSON or CSV. What is not a progress file is
// skipped with a reason, never thrown over.

import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { TOPICS, type Exercise } from './exercise-schema.js';
import { ownEntry, summarise } from './exercises.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { continuesFrom, instantOf, nameLookAlikeKey, readCollectedProgress, type Progress } from './progress.js';

/** More files than any class has: a folder beyond this is a wrong folder (a home, a download folder). */
export const MAX_REPORT_FILES = 2000;

export { nameLookAlikeKey } from './progress.js';

export type Topic = (typeof TOPICS)[number];

export interface LearnerRow {
  /** The name the learner gave with `progress --name`; null when they gave none. */
  name: string | null;
  seed: string;
  file: string;
  passed: number;
  total: number;
  topics: Partial<Record<Topic, { passed: number; total: number }>>;
  /** `check` runs on the exercises of this report (a check run again after a pass counts too). */
  attempts: number;
  hintsShown: number;
  /** Exercises of this report whose answer the learner had shown with `hint --reveal`. */
  revealed: number;
  firstActivity: string | null;
  lastActivity: string | null;
  /** Every exercise of the report, by id: who is stuck where. */
  exercises: Record<string, LearnerExercise>;
}

export interface LearnerExercise {
  passed: boolean;
  passedAt: string | null;
  /** `check` runs (a check run again after a pass counts too). */
  attempts: number;
  hints: number;
  /** Whether the answer was shown with `hint --reveal`, and when first. */
  revealed: boolean;
  revealedAt: string | null;
}

export interface ExerciseRow {
  id: string;
  title: string;
  topic: Topic;
  /** Learners who ran check on it at least once. */
  tried: number;
  passed: number;
  /** Tried and not passed (yet). */
  notPassed: number;
  /** Attempts that did not pass: every attempt of a learner who has not passed, all but one of one who has. */
  failedAttempts: number;
  hintsShown: number;
  /** Learners who had the answer shown with `hint --reveal`. */
  revealed: number;
}

export interface ClassReport {
  exercises: number;
  learners: LearnerRow[];
  /** Exercises someone failed, the most failed first: most learners stuck, then most failed attempts. */
  mostFailed: ExerciseRow[];
  skipped: Array<{ file: string; reason: string }>;
  /** Things a teacher should know: a copied progress file, two learners with one name, exercises not in this set. */
  warnings: string[];
}

export type SortOrder = 'name' | 'passed' | 'last';

interface Found {
  file: string;
  progress: Progress;
  /** When the file was last written: which of two files with one history came later. */
  writtenAt?: number;
}

/**
 * The files named, and the entries of the folders named (not their subfolders; names starting with
 * a dot are left out). A folder named on the command line may be a link to one; a file may not.
 */
export function collectFiles(paths: string[]): { found: Found[]; skipped: ClassReport['skipped'] } {
  const found: Found[] = [];
  const skipped: ClassReport['skipped'] = [];
  /** By device and inode: the first path each file was read under. */
  const seenFiles = new Map<string, string>();
  const candidates: string[] = [];
  for (const path of paths) {
    let stats: Stats | undefined;
    try {
      stats = statSync(path);
    } catch {
      // Judged below, as a file: a missing path or a dangling link is reported there.
    }
    if (!stats?.isDirectory()) {
      candidates.push(path);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(path).filter((name) => !name.startsWith('.')).sort();
    } catch (error) {
      skipped.push({ file: path, reason: `a folder that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    candidates.push(...names.map((name) => join(path, name)));
  }
  for (const [index, file] of candidates.entries()) {
    if (index >= MAX_REPORT_FILES) {
      skipped.push({ file: candidates.slice(index).length === 1 ? file : `${file} and ${candidates.length - index - 1} more`, reason: `more than ${MAX_REPORT_FILES} files, so the rest were not read` });
      break;
    }
    // The same file named twice (as itself and through its folder) is read once. lstat: a link
    // to a learner's file is skipped as a link, and must not hide the file itself.
    let identity = file;
    let writtenAt: number | undefined;
    try {
      const stats = lstatSync(file);
      identity = `${stats.dev}:${stats.ino}`;
      writtenAt = stats.mtimeMs;
    } catch {
      // Unreadable: reported by readCollectedProgress.
    }
    const first = seenFiles.get(identity);
    if (first !== undefined) {
      // One file under a second name (a hard link) is said; the same name twice is not.
      if (realLocation(first) !== realLocation(file)) skipped.push({ file, reason: `the same file as ${first} (a hard link to it), so it is read once` });
      continue;
    }
    seenFiles.set(identity, file);
    const read = readCollectedProgress(file);
    if (read.kind === 'ok') found.push({ file, progress: read.progress, writtenAt });
    else skipped.push({ file, reason: read.reason });
  }
  return { found, skipped };
}

/** Where `file` is, its folder's links resolved: class/a.json and ./class/a.json, or a linked folder's a.json, are one place. */
function realLocation(file: string): string {
  try {
    return join(realpathSync(dirname(file)), basename(file));
  } catch {
    return resolve(file);
  }
}

/** Compares names as a class list does: case and accents aside, then exactly. */
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function buildReport(exercises: Exercise[], found: Found[], skippedIn: ClassReport['skipped'], sort: SortOrder = 'name'): ClassReport {
  const skipped = [...skippedIn];
  const warnings: string[] = [];
  const known = new Set(exercises.map((exercise) => exercise.id));

  // One learner collected twice (same seed, same name): the copy with the later activity counts.
  const byLearner = new Map<string, Found>();
  for (const entry of found) {
    const key = `${entry.progress.seed}\u0000${entry.progress.name ?? ''}`;
    const earlier = byLearner.get(key);
    if (!earlier) {
      byLearner.set(key, entry);
      continue;
    }
    // Compared as instants: 10:00+09:00 is before 02:00Z on the same day.
    const [kept, dropped] = instantOf(entry.progress.exercises.lastActivity) > instantOf(earlier.progress.exercises.lastActivity) ? [entry, earlier] : [earlier, entry];
    byLearner.set(key, kept);
    skipped.push({ file: dropped.file, reason: `the same learner as ${kept.file} (same seed and name); the one with the later activity, ${kept.file}, is counted` });
  }
  let learners = [...byLearner.values()];

  // A rename: two names with one seed, where the later file holds all of the earlier's history
  // (continuesFrom: every pass at the same time, no count lower). One learner, counted once under
  // the later name; said, in case two people share a copy nobody has worked on since.
  const renamedAway = new Set<Found>();
  for (const group of groupBy(learners, (entry) => entry.progress.seed).values()) {
    const inOrder = [...group].sort(byActivityThenWritten);
    for (const [index, earlier] of inOrder.entries()) {
      const later = inOrder.slice(index + 1).reverse().find((candidate) => !renamedAway.has(candidate) && continuesFrom(candidate.progress, earlier.progress));
      if (!later) continue;
      renamedAway.add(earlier);
      warnings.push(`${describe(earlier)} and ${describe(later)} are counted as one learner who changed name: same seed, and the later file holds all of the earlier's progress. If they are two people, one copied the other's file.`);
    }
  }
  learners = learners.filter((entry) => !renamedAway.has(entry));

  // The seed is made at random for each learner: two names with one seed means a copied file.
  const bySeed = groupBy(learners, (entry) => entry.progress.seed);
  for (const [seed, group] of bySeed) {
    if (group.length > 1) warnings.push(`${group.map(describe).join(' and ')} have the same seed (${shorten(seed, 16)}): one started from a copy of another's progress file, since each learner's seed is made at random.`);
  }
  // Names that look alike count as one name here: case aside, NFKC (a fullwidth Ａ is an A).
  const byLookAlike = groupBy(learners.filter((entry) => entry.progress.name), (entry) => nameLookAlikeKey(entry.progress.name!));
  for (const group of byLookAlike.values()) {
    if (group.length < 2) continue;
    const names = [...new Set(group.map((entry) => entry.progress.name!))];
    const called = names.length === 1 ? `are called ${names[0]}` : `have names that look alike (${names.join(', ')})`;
    warnings.push(`${group.length} learners ${called} (${group.map((entry) => entry.file).join(', ')}); their rows show their seeds.`);
  }
  const unknown = new Set<string>();
  for (const entry of learners) {
    for (const id of [...Object.keys(entry.progress.exercises.passed), ...Object.keys(entry.progress.exercises.attempts)]) if (!known.has(id)) unknown.add(id);
  }
  if (unknown.size) {
    const listed = [...unknown].sort().slice(0, 5).map((id) => shorten(id, 40));
    warnings.push(`Progress on ${unknown.size} exercise${unknown.size === 1 ? '' : 's'} not in this set (${listed.join(', ')}${unknown.size > 5 ? ', …' : ''}) is not counted: add the pack they come from with --pack.`);
  }

  const rows = learners.map(({ file, progress }): LearnerRow => {
    const summary = summarise(exercises, progress.exercises);
    const topics: LearnerRow['topics'] = {};
    for (const topic of TOPICS) if (summary.topics[topic]!.total) topics[topic] = summary.topics[topic]!;
    const revealed = progress.exercises.revealed ?? {};
    const perExercise: LearnerRow['exercises'] = Object.create(null) as LearnerRow['exercises'];
    for (const row of summary.exercises) {
      const revealedAt = ownEntry(revealed, row.id) ?? null;
      perExercise[row.id] = { passed: row.passed, passedAt: row.passedAt, attempts: row.attempts, hints: row.hintsShown, revealed: revealedAt !== null, revealedAt };
    }
    return {
      name: progress.name ?? null,
      seed: progress.seed,
      file,
      passed: summary.passed,
      total: summary.total,
      topics,
      attempts: summary.exercises.reduce((sum, row) => sum + row.attempts, 0),
      hintsShown: summary.exercises.reduce((sum, row) => sum + row.hintsShown, 0),
      revealed: Object.values(perExercise).filter((entry) => entry.revealed).length,
      firstActivity: summary.firstActivity,
      lastActivity: summary.lastActivity,
      exercises: perExercise,
    };
  });
  rows.sort(ORDERS[sort]);

  const exerciseRows = exercises.map((exercise): ExerciseRow => {
    const row: ExerciseRow = { id: exercise.id, title: exercise.title, topic: exercise.topic, tried: 0, passed: 0, notPassed: 0, failedAttempts: 0, hintsShown: 0, revealed: 0 };
    for (const { progress } of learners) {
      const attempts = ownEntry(progress.exercises.attempts, exercise.id) ?? 0;
      const passed = Boolean(ownEntry(progress.exercises.passed, exercise.id));
      row.hintsShown += ownEntry(progress.exercises.hintsShown, exercise.id) ?? 0;
      if (ownEntry(progress.exercises.revealed ?? {}, exercise.id)) row.revealed++;
      if (attempts > 0) row.tried++;
      if (passed) row.passed++;
      if (attempts > 0 && !passed) row.notPassed++;
      row.failedAttempts += Math.max(attempts - (passed ? 1 : 0), 0);
    }
    return row;
  });
  const mostFailed = exerciseRows
    .filter((row) => row.notPassed > 0 || row.failedAttempts > 0 || row.revealed > 0)
    .sort((one, other) => other.notPassed - one.notPassed || other.failedAttempts - one.failedAttempts || other.revealed - one.revealed);
  return { exercises: exercises.length, learners: rows, mostFailed, skipped, warnings };
}

const byName = (one: LearnerRow, other: LearnerRow) =>
  one.name !== null && other.name !== null ? collator.compare(one.name, other.name) || one.seed.localeCompare(other.seed)
    : one.name !== null ? -1 : other.name !== null ? 1 : one.seed.localeCompare(other.seed);

/** name: A to Z, unnamed last; passed: fewest first (who needs help); last: longest inactive first. */
const ORDERS: Record<SortOrder, (one: LearnerRow, other: LearnerRow) => number> = {
  name: byName,
  passed: (one, other) => one.passed - other.passed || byName(one, other),
  last: (one, other) => byInstant(one.lastActivity, other.lastActivity) || byName(one, other),
};

/** Earlier first, as instants (whatever the offsets); never first. */
function byInstant(one: string | null | undefined, other: string | null | undefined): number {
  const [a, b] = [instantOf(one), instantOf(other)];
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Earliest first: by last activity, then by when the file was written (a rename alone changes no activity). */
function byActivityThenWritten(one: Found, other: Found): number {
  return byInstant(one.progress.exercises.lastActivity, other.progress.exercises.lastActivity) || (one.writtenAt ?? 0) - (other.writtenAt ?? 0);
}

function groupBy<Item>(items: Item[], key: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function describe(entry: Found): string {
  return `${entry.file} (${entry.progress.name ?? 'no name'})`;
}

export function shorten(text: string, length: number): string {
  const characters = [...text];
  return characters.length <= length ? text : `${characters.slice(0, length - 1).join('')}…`;
}

// ---- CSV (RFC 4180): one row per learner. Every control and bidirectional character in a cell
// is shown escaped (\x1b, \u202e), as on a terminal: a file name is the learner's choice, and a
// CSV is often looked at with cat before a spreadsheet opens it. A cell that a spreadsheet would
// run as a formula (starting with = + - @) gets a leading apostrophe (OWASP's advice on CSV injection). Per topic, the count passed, with the topic's total in the header:
// a cell such as 4/4 would be read as a date.

export function reportCsv(report: ClassReport): string {
  const topics = TOPICS.filter((topic) => report.learners.some((row) => row.topics[topic]));
  const totals = (topic: Topic) => report.learners.find((row) => row.topics[topic])!.topics[topic]!.total;
  const header = ['name', 'seed', 'file', 'passed', 'total', ...topics.map((topic) => `${topic} (of ${totals(topic)})`), 'attempts', 'hints shown', 'answers revealed', 'first activity', 'last activity'];
  const rows = report.learners.map((row) => [row.name ?? '', row.seed, row.file, row.passed, row.total, ...topics.map((topic) => row.topics[topic]?.passed ?? 0), row.attempts, row.hintsShown, row.revealed, row.firstActivity ?? '', row.lastActivity ?? '']);
  return [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One exercise, one row per learner (`report --exercise <id>`): who passed, who is stuck, who looked at the answer. */
export interface ExerciseDetailRow extends LearnerExercise {
  name: string | null;
  seed: string;
  file: string;
  lastActivity: string | null;
}

export function exerciseDetail(report: ClassReport, id: string): ExerciseDetailRow[] {
  return report.learners.map((row) => ({ name: row.name, seed: row.seed, file: row.file, ...row.exercises[id]!, lastActivity: row.lastActivity }));
}

export function exerciseDetailCsv(rows: ExerciseDetailRow[]): string {
  const header = ['name', 'seed', 'file', 'passed', 'passed at', 'attempts', 'hints shown', 'answer revealed at', 'last activity'];
  const lines = rows.map((row) => [row.name ?? '', row.seed, row.file, row.passed ? 'yes' : 'no', row.passedAt ?? '', row.attempts, row.hints, row.revealedAt ?? '', row.lastActivity ?? '']);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const escaped = terminalSafe(value);
  const guarded = /^[=+\-@]/.test(escaped) ? `'${escaped}` : escaped;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
