// selftest reads the clock when each check runs, after the solution's commands made the answer:
// a token minted a second after selftest started (its iat that second) must not count as "issued
// in the future" (the token-rules check refuses what verify refuses, iat in the future included).

import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadExercises } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { selftestExercise } from '../../src/lessons/selftest.js';
import { runCli } from '../helpers/cli.js';

const exercises = loadExercises(join(lessonsFolder(), 'exercises'));

test.each(['make-practice-token', 'make-short-lived', 'fix-short-secret'])('%s: a command run a second after selftest started still passes', async (id) => {
  let clock = 1_800_000_000;
  const exercise = exercises.find((candidate) => candidate.id === id)!;
  const outcome = await selftestExercise(exercise, {
    seed: 'clock-test',
    now: () => clock,
    // Each command runs a second later than the one before, as on a slow machine at a second's edge.
    runCommand: (words) => {
      clock += 1;
      return runCli(words, { now: clock });
    },
  });
  expect(outcome).toEqual({ id, title: exercise.title, ok: true, solutionPasses: true, emptyAnswerFails: true });
});
