// The jwt-vs-oauth commands that hints and solutions show run as shown (issue #11: "hints and the
// solution's commands must work when run"): each decode or verify line, with this learner's
// material filled in, exits 0 or 1 (a verdict), never 2 (a usage error). For every flaw a seed
// can give, since a flaw-finding hint must work whichever token the learner got.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { fillTemplate } from '../../src/lessons/template.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runCli } from '../helpers/cli.js';

const exercises = loadExercises(join(lessonsFolder(), 'exercises'));
const keyFolder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-hint-'));

/** `jwt-vs-oauth decode|verify <token> …` lines in a text, up to the end of their options. */
function shownCommands(text: string): string[] {
  const pattern = /jwt-vs-oauth (?:verify|decode) eyJ\S+(?: --[\w-]+(?: (?!--)[^\s(]+)?)*/g;
  return [...text.matchAll(pattern)].map((match) => match[0].replace(/[.,]$/, '')).filter((command) => !/[$<>…]/.test(command));
}

/** Seeds whose material covers every flaw in the exercise's pool (one seed when there is no pool). */
function seedsFor(exerciseId: string): string[] {
  const exercise = exercises.find((candidate) => candidate.id === exerciseId)!;
  const pool = exercise.material?.pool;
  if (!pool) return ['hint-seed'];
  const seeds = new Map<string, string>();
  for (let index = 0; seeds.size < pool.length && index < 500; index++) {
    const flaw = materialFor(exercise, `hint-seed-${index}`).flaw!;
    if (!seeds.has(flaw)) seeds.set(flaw, `hint-seed-${index}`);
  }
  expect([...seeds.keys()].sort()).toEqual([...pool].sort());
  return [...seeds.values()];
}

const cases = exercises.flatMap((exercise) => seedsFor(exercise.id).map((seed) => [exercise.id, seed] as const));

describe('commands shown in hints and solutions', () => {
  test('there are such commands to try', () => {
    const count = exercises.flatMap((exercise) => shownCommands(fillTemplate([...exercise.hints, ...exercise.solution.explain].join('\n'), materialFor(exercise, 'hint-seed')))).length;
    expect(count).toBeGreaterThanOrEqual(5);
  });

  test.each(cases)('%s (seed %s): each runs and gives a verdict', async (id, seed) => {
    const exercise = exercises.find((candidate) => candidate.id === id)!;
    const material = materialFor(exercise, seed);
    if (material.issuerKey) writeFileSync(join(keyFolder, 'issuer.pem'), material.issuerKey);
    const text = [...exercise.hints, ...exercise.solution.explain].map((paragraph) => fillTemplate(paragraph, material)).join('\n');
    for (const command of shownCommands(text)) {
      const words = command.split(' ').slice(1).map((word) => (word === 'issuer.pem' ? join(keyFolder, 'issuer.pem') : word));
      const result = await runCli(words);
      expect({ command, code: result.code, error: result.stderr.match(/^error: .*/m)?.[0] }).toEqual({ command, code: expect.toSatisfy((code: number) => code === 0 || code === 1), error: undefined });
    }
  });
});
