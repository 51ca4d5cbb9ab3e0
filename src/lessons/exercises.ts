// Loads exercises (built in, plus a teacher's pack), and works out each learner's material and
// progress summary. Pure: no printing; the CLI layer shows and asks.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { TOPICS, validateExercise, type Exercise } from './exercise-schema.js';
import { fillTemplate, generateMaterial, type Material } from './material.js';
import { readJsonFile } from './loader.js';
import type { Progress } from './progress.js';

function readFolder(folder: string, label: string): Exercise[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    const problem = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'not a folder' : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    throw new InputError('ERR_PACK_FOLDER', `${label} ${folder}: ${problem}.`, label === '--pack' ? 'A pack is a folder of exercise files (*.json), like lessons/example-pack/.' : undefined);
  }
  // A pack with nothing in it is a mistake (a wrong folder, files in a subfolder), not a pack that passes.
  if (names.length === 0) throw new InputError('ERR_PACK_FOLDER', `${label} ${folder}: no exercise files (*.json) in this folder.`, 'A pack is a folder of exercise files (*.json), like lessons/example-pack/.');
  return names.map((name) => {
    const file = join(folder, name);
    return validateExercise(readJsonFile(file, 'ERR_EXERCISE_FILE'), file);
  });
}

/** The built-in exercises, then the pack's; an id used twice is refused, naming both files. */
export function loadExercises(builtInFolder: string, packFolder?: string): Exercise[] {
  const exercises = [...readFolder(builtInFolder, 'exercises'), ...(packFolder ? readFolder(packFolder, '--pack') : [])];
  const seen = new Map<string, string>();
  for (const exercise of exercises) {
    if (seen.has(exercise.id)) throw new InputError('ERR_EXERCISE_FILE', `${exercise.file}: "id": "${exercise.id}" is already used by ${seen.get(exercise.id)}.`);
    seen.set(exercise.id, exercise.file);
  }
  return exercises;
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
  const names = exercise.task.flatMap((paragraph) => [...paragraph.matchAll(/\{\{([\w.]+)\}\}/g)].map((match) => match[1]!));
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
