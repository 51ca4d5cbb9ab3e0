// Exercise read-cnf-jkt's first hint says decode's JSON holds the whole cnf.jkt (the screen shortens
// it) and gives the command: the value that command reads is the thumbprint the task is about.

import { expect, test } from 'vitest';
import { findExercise, loadExercises } from '../../src/lessons/exercises.js';
import { generateMaterial } from '../../src/lessons/material.js';
import { join } from 'node:path';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { runCli } from '../helpers/cli.js';

test('the hint\'s decode --json command gives the whole cnf.jkt of the token the task shows', async () => {
  const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'read-cnf-jkt')!;
  const hint = exercise.hints[0]!;
  expect(hint).toContain('jwt-vs-oauth decode --json "$TOKEN" | jq -r .payload.cnf.jkt');
  const material = generateMaterial('dpop-bound-token', 'hint-seed', exercise.id);
  const result = await runCli(['decode', '--json', material.token!]);
  expect(result.code).toBe(0);
  const jkt = (JSON.parse(result.stdout) as { payload: { cnf: { jkt: string } } }).payload.cnf.jkt;
  expect(jkt).toBe(material.jkt);
  expect(jkt).toHaveLength(43);
});
