// Exercise read-cnf-jkt's first hint says decode's JSON holds the whole cnf.jkt (the screen shortens
// it), sets $TOKEN with the material command (the screen breaks the token) and gives the decode
// command: run as the learner would, through the CLI in one home, the material command prints the
// task's token whole, the decode command reads its cnf.jkt, one of the task's keys (keyA/keyB/keyC,
// whole with --material too) has that thumbprint, and its kid passes the check.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findExercise, loadExercises } from '../../src/lessons/exercises.js';
import { generateMaterial } from '../../src/lessons/material.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { jwkThumbprint } from '../../src/protocol/dpop.js';
import { runCli } from '../helpers/cli.js';

const exercise = findExercise(loadExercises(join(lessonsFolder(), 'exercises')), 'read-cnf-jkt')!;
const SET_TOKEN = 'TOKEN=$(jwt-vs-oauth exercises show read-cnf-jkt --material token)';
const READ_JKT = 'jwt-vs-oauth decode --json "$TOKEN" | jq -r .payload.cnf.jkt';

test('the hint\'s decode --json command gives the whole cnf.jkt of the token the task shows', async () => {
  const hint = exercise.hints[0]!;
  expect(hint).toContain(READ_JKT);
  const material = generateMaterial('dpop-bound-token', 'hint-seed', exercise.id);
  const result = await runCli(['decode', '--json', material.token!]);
  expect(result.code).toBe(0);
  const jkt = (JSON.parse(result.stdout) as { payload: { cnf: { jkt: string } } }).payload.cnf.jkt;
  expect(jkt).toBe(material.jkt);
  expect(jkt).toHaveLength(43);
});

test('the hint sets $TOKEN before using it, with the material command; run through the CLI, token and keys come whole and lead to the kid the check takes', async () => {
  const hint = exercise.hints[0]!;
  expect(hint.indexOf(SET_TOKEN)).toBeGreaterThan(-1);
  expect(hint.indexOf(SET_TOKEN)).toBeLessThan(hint.indexOf(READ_JKT));
  expect(hint.endsWith(READ_JKT)).toBe(true);
  // The task names the material command and every name it takes.
  expect(exercise.task.at(-1)).toBe('The screen breaks long values. To get one whole, for a shell variable or a file, name it (token, keyA, keyB or keyC) with: jwt-vs-oauth exercises show read-cnf-jkt --material token');

  const home = mkdtempSync(join(tmpdir(), 'cnf-jkt-hint-'));
  const env = { JWT_VS_OAUTH_HOME: home, HOME: home, COLUMNS: '60' };
  const cli = (words: string[]) => runCli(words, { env });
  // The names the task gives are the ones show --material takes.
  const wrong = await cli(['exercises', 'show', exercise.id, '--material', 'nope']);
  expect(wrong.stderr).toContain('It shows: token, keyA, keyB, keyC.');

  const shown = await cli(SET_TOKEN.slice('TOKEN=$('.length, -1).split(' ').slice(1));
  expect(shown.code).toBe(0);
  const token = shown.stdout.trim();
  expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  // The same token the task shows, broken there with "\".
  const task = await cli(['exercises', 'show', exercise.id]);
  expect(task.stdout.replace(/\\\n/g, '')).toContain(token);

  const decoded = await cli(['decode', '--json', token]);
  expect(decoded.code).toBe(0);
  const jkt = (JSON.parse(decoded.stdout) as { payload: { cnf: { jkt: string } } }).payload.cnf.jkt;
  const keys = await Promise.all(['keyA', 'keyB', 'keyC'].map(async (name) => {
    const key = await cli(['exercises', 'show', exercise.id, '--material', name]);
    expect(key.code, name).toBe(0);
    return JSON.parse(key.stdout) as Record<string, string>;
  }));
  const thumbprints = await Promise.all(keys.map((key) => jwkThumbprint(key)));
  const bound = keys.filter((_, index) => thumbprints[index] === jkt);
  expect(bound).toHaveLength(1);
  const checked = await cli(['exercises', 'check', exercise.id, bound[0]!.kid!]);
  expect(checked.code, checked.stdout + checked.stderr).toBe(0);
}, 30_000);
