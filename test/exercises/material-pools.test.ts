// Read-a-token material is made from a learner's seed, and the README promises that neighbours'
// answers differ: across a class of 30, the subject, audience, issuer and algorithm come from
// pools wide enough that few learners share one. token material is signed with HMAC (it gives a
// {{secret}} a pack may mint or verify with); token-any-alg with any of eight algorithms that
// sign the same way every time, and gives the {{key}} that verifies it. Every token verifies
// through the real CLI, and one seed always gives the same material.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CLASSROOM_SECRETS, generateMaterial } from '../../src/lessons/material.js';
import { runCli } from '../helpers/cli.js';

const CLASS = Array.from({ length: 30 }, (_unused, index) => `seed-${index}`);
const answers = (exercise: string, name: string, kind = 'token') => CLASS.map((seed) => generateMaterial(kind, seed, exercise)[name]!);
const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519'];

describe('a class of 30 seeds rarely shares an answer', () => {
  test.each([
    ['read-subject', 'sub', 20],
    ['read-audience', 'aud', 18],
    ['pack-read-issuer', 'iss', 18],
  ])('%s: its %s has at least %i distinct values in 30', (exercise, name, least) => {
    expect(new Set(answers(exercise, name)).size).toBeGreaterThanOrEqual(least);
  });

  test('token-any-alg: all eight algorithms that sign the same way every time appear; token: the three HMAC ones', () => {
    expect(new Set(answers('read-algorithm', 'alg', 'token-any-alg'))).toEqual(new Set(ALGORITHMS));
    expect(new Set(answers('read-algorithm', 'alg'))).toEqual(new Set(['HS256', 'HS384', 'HS512']));
  });

  test.each(['sub', 'aud', 'iss'])('token-any-alg: its %s comes from the same wide pool', (name) => {
    expect(new Set(answers('read-subject', name, 'token-any-alg')).size).toBeGreaterThanOrEqual(18);
  });

  test('issuers are https://auth.<company>.example', () => {
    for (const iss of answers('pack-read-issuer', 'iss')) expect(iss).toMatch(/^https:\/\/auth\.[a-z]+\.example$/);
  });
});

describe('every algorithm\'s token', () => {
  const home = { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-pools-')) };
  const seedFor = (alg: string) => CLASS.find((seed) => generateMaterial('token-any-alg', seed, 'read-algorithm').alg === alg)!;

  test.each(ALGORITHMS)('token-any-alg, %s: verifies with {{key}} (a secret, or a public key in PEM), and one seed gives the same token again', async (alg) => {
    const seed = seedFor(alg);
    const material = generateMaterial('token-any-alg', seed, 'read-algorithm');
    expect(generateMaterial('token-any-alg', seed, 'read-algorithm')).toEqual(material);
    expect(material).not.toHaveProperty('secret');
    const at = new Date((Number(material.exp) - 60) * 1000).toISOString();
    let keyFlags: string[];
    if (alg.startsWith('HS')) {
      expect(material.key).toBe(CLASSROOM_SECRETS[alg as keyof typeof CLASSROOM_SECRETS]);
      keyFlags = ['--secret', material.key!];
    } else {
      expect(material.key).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      const file = join(home.JWT_VS_OAUTH_HOME, `${alg}.pem`);
      writeFileSync(file, material.key!);
      keyFlags = ['--key', file];
    }
    const verified = await runCli(['verify', material.token!, ...keyFlags, '--alg', alg, '--iss', material.iss!, '--aud', material.aud!, '--at', at, '--json'], { env: home });
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, header: { alg } });
    const decoded = JSON.parse((await runCli(['decode', material.token!, '--json'], { env: home })).stdout);
    expect(decoded.payload).toMatchObject({ sub: material.sub, aud: material.aud, iss: material.iss });
  });

  test.each(CLASS.slice(0, 6))('token, %s: an HMAC token that verifies with its {{secret}}, as a pack may mint or verify with {{alg}} and {{secret}}', async (seed) => {
    const material = generateMaterial('token', seed, 'read-subject');
    expect(material).not.toHaveProperty('key');
    const at = new Date((Number(material.exp) - 60) * 1000).toISOString();
    const verified = await runCli(['verify', material.token!, '--secret', material.secret!, '--alg', material.alg!, '--iss', material.iss!, '--aud', material.aud!, '--at', at, '--json'], { env: home });
    expect(verified.code).toBe(0);
  });

  test('the learner sees a token with the subject from the wide pool, and is graded on it through the CLI', async () => {
    const seed = CLASS.find((each) => !['asha', 'ravi', 'priya', 'meera', 'arjun', 'kavya', 'rahul', 'divya', 'vikram', 'ananya'].includes(generateMaterial('token', each, 'read-subject').sub!))!;
    const { token, sub } = generateMaterial('token', seed, 'read-subject');
    const shown = JSON.parse((await runCli(['exercises', '--seed', seed, 'show', 'read-subject', '--json'], { env: home })).stdout);
    expect(shown.task.join(' ')).toContain(token);
    const passed = await runCli(['exercises', '--seed', seed, 'check', 'read-subject', sub!], { env: home });
    expect(passed.code).toBe(0);
  });
});

describe('read-algorithm uses tokens of any algorithm', () => {
  test('the built-in exercise draws from token-any-alg, so a class sees asymmetric algorithms too, and its check passes each', async () => {
    const { loadExercises } = await import('../../src/lessons/exercises.js');
    const { lessonsFolder } = await import('../../src/lessons/paths.js');
    const exercise = loadExercises(join(lessonsFolder(), 'exercises')).find((candidate) => candidate.id === 'read-algorithm')!;
    expect(exercise.material?.kind).toBe('token-any-alg');
    const seen = new Set(answers('read-algorithm', 'alg', 'token-any-alg'));
    expect([...seen].some((alg) => alg.startsWith('RS'))).toBe(true);
    expect([...seen].some((alg) => alg.startsWith('Ed'))).toBe(true);
    const home = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-any-alg-'));
    for (const seed of CLASS.slice(0, 6)) {
      const alg = generateMaterial('token-any-alg', seed, 'read-algorithm').alg!;
      const result = await runCli(['exercises', '--seed', seed, 'check', 'read-algorithm', alg], { env: { JWT_VS_OAUTH_HOME: home } });
      expect(result.code).toBe(0);
    }
  });
});
