// Loads exercises (built in, plus a teacher's pack), and works out each learner's material and
// progress summary. Pure: no printing; the CLI layer shows and asks.

import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { DEFAULT_REVEAL_AFTER, isRevealAfter, MAX_REVEAL_AFTER, TOPICS, validateExercise, validateTranslation, type Exercise } from './exercise-schema.js';
import { generateMaterial, type Material } from './material.js';
import { fillTemplate, templateNames } from './template.js';
import { originalOf, readJsonFile, TRANSLATION } from './loader.js';
import { localeFrom, translatedFile } from './language-tags.js';
import type { Progress } from './progress.js';
import { parseTeacherKey } from './teacher-key.js';
import { failFor, isObject, unknownKey } from './validation.js';

/** A pack's own settings file, beside its exercise files; not an exercise. */
export const PACK_SETTINGS_FILE = 'pack.json';

/** Each loaded exercise's other languages (the English original, the other translations): kept aside so they never show in --json. */
const OTHER_VERSIONS = new WeakMap<Exercise, Exercise[]>();

/** The same exercise in the languages the learner is not shown (English, the other translations), for `exercises selftest`. */
export function otherVersionsOf(exercise: Exercise): Exercise[] {
  return OTHER_VERSIONS.get(exercise) ?? [];
}

function readFolder(folder: string, label: string, lang: string): Exercise[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json') && name !== PACK_SETTINGS_FILE).sort();
  } catch (error) {
    const problem = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'not a folder' : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    throw new InputError('ERR_PACK_FOLDER', `${label} ${folder}: ${problem}.`, label === '--pack' ? 'A pack is a folder of exercise files (*.json), like lessons/example-pack/.' : undefined);
  }
  // A pack with nothing in it is a mistake (a wrong folder, files in a subfolder), not a pack that passes.
  if (names.length === 0) throw new InputError('ERR_PACK_FOLDER', `${label} ${folder}: no exercise files (*.json) in this folder.`, 'A pack is a folder of exercise files (*.json), like lessons/example-pack/.');
  const read = (name: string) => {
    const file = join(folder, name);
    return validateExercise(readJsonFile(file, 'ERR_EXERCISE_FILE'), file);
  };
  const translations = names.filter((name) => TRANSLATION.test(name));
  for (const name of translations) {
    if (!names.includes(originalOf(name))) throw new InputError('ERR_EXERCISE_FILE', `${terminalSafe(join(folder, name))}: a translation of ${terminalSafe(originalOf(name))}, which is not in this folder.`, 'A translation NN-name.<lang>.json sits beside the English exercise file NN-name.json it translates.');
  }
  return names.filter((name) => !TRANSLATION.test(name)).map((name) => {
    const original = read(name);
    const chosen = translatedFile(names, name, lang);
    const versions = [original];
    // Every translation is checked, whatever the language: a pack works the same for every learner.
    for (const each of translations.filter((translation) => originalOf(translation) === name)) {
      const translation = read(each);
      validateTranslation(translation, original);
      versions.push(translation);
    }
    const shown = versions.find((version) => version.file === join(folder, chosen)) ?? original;
    OTHER_VERSIONS.set(shown, versions.filter((version) => version !== shown));
    return shown;
  });
}

/**
 * The built-in exercises, then the pack's, each in the learner's language where it has a
 * translation (NN-name.<lang>-<REGION>.json, else NN-name.<lang>.json, beside NN-name.json), else in English; an id used twice is
 * refused, naming both files.
 */
export function loadExercises(builtInFolder: string, packFolder?: string, lang = localeFrom(process.env)): Exercise[] {
  const exercises = [...readFolder(builtInFolder, 'exercises', lang), ...(packFolder ? readFolder(packFolder, '--pack', lang) : [])];
  const seen = new Map<string, string>();
  for (const exercise of exercises) {
    if (seen.has(exercise.id)) throw new InputError('ERR_EXERCISE_FILE', `${exercise.file}: "id": "${exercise.id}" is already used by ${seen.get(exercise.id)}.`);
    seen.set(exercise.id, exercise.file);
  }
  return exercises;
}

/** What a pack's pack.json may set, for every exercise while the pack is in use. */
export interface PackSettings {
  /** Where pack.schema.json is, for a teacher's editor; kept so `teacher-key --write` keeps the line. */
  $schema?: string;
  /** A salted scrypt hash (teacher-key.ts): --teacher then asks for its passphrase. */
  teacherKey?: string;
  /** Failed attempts before `hint --reveal` shows the answer, for exercises that do not set their own; 0 = never. */
  revealAfter?: number;
}

const PACK_SETTING_NAMES = ['teacherKey', 'revealAfter'];
/** Keys pack.json may hold besides its settings: "$schema" points an editor at pack.schema.json. */
const PACK_EDITOR_KEYS = ['$schema'];

/**
 * The pack's pack.json, or no settings when there is no pack or no such file. Read like an
 * exercise file (a plain file, at most 256 KiB, no control characters) and refused, naming the
 * field, when it does not fit.
 */
export function loadPackSettings(packFolder?: string): PackSettings {
  if (!packFolder) return {};
  const file = join(packFolder, PACK_SETTINGS_FILE);
  try {
    lstatSync(file);
  } catch {
    return {};
  }
  const json = readJsonFile(file, 'ERR_PACK_SETTINGS');
  const refuse = failFor('ERR_PACK_SETTINGS', file);
  const fail = (field: string, problem: string): never => refuse(field, `${problem}.`, `pack.json may set ${PACK_SETTING_NAMES.join(' and ')}, such as {"revealAfter": 3}.`);
  if (!isObject(json)) return fail('the file', 'must hold one JSON object');
  const settings = json;
  const unknown = unknownKey(settings, [...PACK_SETTING_NAMES, ...PACK_EDITOR_KEYS]);
  if (unknown !== undefined) fail(`"${terminalSafe(unknown)}"`, 'is not a pack setting');
  if (settings.$schema !== undefined && typeof settings.$schema !== 'string') fail('"$schema"', 'must be a string: where pack.schema.json is, such as "../schema/pack.schema.json"');
  if (settings.revealAfter !== undefined && !isRevealAfter(settings.revealAfter)) fail('"revealAfter"', `must be a whole number of failed attempts from 0 (never reveal the answer) to ${MAX_REVEAL_AFTER}`);
  if (settings.teacherKey !== undefined) {
    const problem = typeof settings.teacherKey === 'string' ? parseTeacherKey(settings.teacherKey) : 'is not a teacher key: make one with jwt-vs-oauth exercises teacher-key';
    if (typeof problem === 'string') fail('"teacherKey"', problem);
  }
  return { ...(settings.$schema !== undefined && { $schema: settings.$schema as string }), ...(settings.teacherKey !== undefined && { teacherKey: settings.teacherKey as string }), ...(settings.revealAfter !== undefined && { revealAfter: settings.revealAfter as number }) };
}

/** After how many failed attempts the learner may see this exercise's answer; 0 = never. */
export function revealAfterFor(exercise: Exercise, settings: PackSettings): number {
  return exercise.revealAfter ?? settings.revealAfter ?? DEFAULT_REVEAL_AFTER;
}

export function findExercise(exercises: Exercise[], id: string): Exercise {
  const exercise = exercises.find((candidate) => candidate.id === id);
  if (!exercise) throw new InputError('ERR_NO_SUCH_EXERCISE', `There is no exercise "${id}".`, 'List them with: jwt-vs-oauth exercises list');
  return exercise;
}

export function materialFor(exercise: Exercise, seed: string): Material {
  return exercise.material ? generateMaterial(exercise.material.kind, seed, exercise.id, exercise.material.pool) : {};
}

/** The names of the material the task shows, in order: a learner may print these on their own. */
export function taskMaterialNames(exercise: Exercise): string[] {
  if (!exercise.material) return [];
  const names = exercise.task.flatMap((paragraph) => templateNames(paragraph));
  return [...new Set(names)];
}

export function taskText(exercise: Exercise, material: Material): string[] {
  return exercise.task.map((paragraph) => fillTemplate(paragraph, material));
}

export interface ProgressSummary {
  total: number;
  passed: number;
  topics: Record<string, { total: number; passed: number }>;
  firstActivity: string | null;
  lastActivity: string | null;
  exercises: Array<{ id: string; topic: string; passed: boolean; passedAt: string | null; attempts: number; hintsShown: number }>;
}

/** A record's own entry for an id: an exercise called "constructor" must not find Object.prototype's. */
export function ownEntry<Value>(record: Record<string, Value>, id: string): Value | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

export function summarise(exercises: Exercise[], progress: Progress['exercises']): ProgressSummary {
  const topics: ProgressSummary['topics'] = {};
  for (const topic of TOPICS) topics[topic] = { total: 0, passed: 0 };
  const rows = exercises.map((exercise) => {
    const passedRecord = ownEntry(progress.passed, exercise.id);
    const passed = Boolean(passedRecord);
    topics[exercise.topic]!.total++;
    if (passed) topics[exercise.topic]!.passed++;
    return { id: exercise.id, topic: exercise.topic, passed, passedAt: passedRecord?.at ?? null, attempts: ownEntry(progress.attempts, exercise.id) ?? 0, hintsShown: ownEntry(progress.hintsShown, exercise.id) ?? 0 };
  });
  return { total: rows.length, passed: rows.filter((row) => row.passed).length, topics, firstActivity: progress.firstActivity ?? null, lastActivity: progress.lastActivity ?? null, exercises: rows };
}
