// The small slips of issue #11 in the exercises and the example pack: state is a one-time value,
// exp is "on or after", shared-secret client authentication is not the recommendation, secrets
// the exercises print are random demo secrets, one per algorithm, and labelled as such.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assessSecret } from '../../src/jwt/secret-strength.js';
import { loadExercises } from '../../src/lessons/exercises.js';
import { CLASSROOM_SECRETS, generateMaterial } from '../../src/lessons/material.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { PRACTICE_API } from '../../src/lessons/practice-api.js';

const exercises = loadExercises(join(lessonsFolder(), 'exercises'), join(lessonsFolder(), 'example-pack'));
const byId = (id: string) => exercises.find((exercise) => exercise.id === id)!;
const allText = (id: string) => { const exercise = byId(id); return [...exercise.task, ...exercise.hints, ...exercise.solution.explain, ...(exercise.choices ?? [])].join('\n'); };

describe('OAuth slips', () => {
  test('oauth-access-token: state is a fresh random value, never a fixed xyz; PKCE is what stops CSRF here', () => {
    const text = allText('oauth-access-token');
    expect(text).not.toContain('state=xyz');
    expect(text).toContain('state=<state>');
    expect(text).toContain('openssl rand -hex 16');
    expect(text).toContain('RFC 9700 §4.7.1');
    expect(text).toContain('Here PKCE is what stops a forged callback (CSRF)');
  });

  test('oauth-access-token: client_secret_basic is named, and asymmetric client authentication recommended (RFC 9700 §2.5)', () => {
    expect(allText('oauth-access-token')).toMatch(/RFC 9700 §2\.5 recommends asymmetric client authentication.*private_key_jwt/);
  });

  test('PKCE binds the code to its authorization request (RFC 9700 §4.5)', () => {
    expect(allText('oauth-access-token')).toContain('ties the code to the one authorization request that sent its challenge');
  });

  test('choose-own-api: your own login is named as real work, not as free', () => {
    expect(allText('choose-own-api')).not.toContain('without benefit');
    expect(allText('choose-own-api')).toContain('recovery, MFA, rate limits');
  });

  test('the example pack: an HttpOnly cookie stops reading, not requests; CSRF still needs care', () => {
    const text = allText('pack-choose-storage');
    expect(text).toContain('an XSS bug can still make requests with it');
    expect(text).toContain('CSRF protection');
  });
});

describe('JWT slips', () => {
  test('exp: rejected on or after it (RFC 7519 §4.1.4)', () => {
    expect(allText('read-expiry')).toContain('on or after which the token must be rejected');
    for (const exercise of exercises) expect(allText(exercise.id)).not.toMatch(/(?<!on or )after which the token must be rejected/i);
  });

  test('no "a HS256": it is "an HS256"', () => {
    for (const exercise of exercises) expect(allText(exercise.id)).not.toMatch(/\ba HS\d/);
  });

  test('the classroom secrets are random (assessSecret calls none weak), one per algorithm, each as long as its hash', () => {
    for (const [alg, secret] of Object.entries(CLASSROOM_SECRETS)) {
      expect(assessSecret(secret)).toMatchObject({ weak: false, humanMade: false });
      expect(Buffer.from(secret, 'base64').length).toBe(Number(alg.slice(2)) / 8);
    }
    expect(new Set(Object.values(CLASSROOM_SECRETS)).size).toBe(3);
    for (let index = 0; index < 30; index++) {
      const material = generateMaterial('token', `seed-${index}`, 'read-algorithm');
      expect(material.secret).toBe(CLASSROOM_SECRETS[material.alg as keyof typeof CLASSROOM_SECRETS]);
    }
  });

  test('a task that prints a secret says it is a demo secret', () => {
    const printed = [...Object.values(CLASSROOM_SECRETS), '{{secret}}', PRACTICE_API.secret];
    const printing = exercises.filter((exercise) => exercise.task.some((paragraph) => printed.some((secret) => paragraph.includes(secret))));
    expect(printing.map((exercise) => exercise.id).sort()).toEqual(['fix-no-exp', 'flaw-one', 'make-practice-token', 'make-short-lived']);
    for (const exercise of printing) expect(exercise.task.join(' ')).toMatch(/demo secret/);
  });

  test('make-practice-token uses the practice API secret, the one the tutorial API accepts', () => {
    const exercise = exercises.find((candidate) => candidate.id === 'make-practice-token')!;
    expect(exercise.task.join(' ')).toContain(PRACTICE_API.secret);
    expect(JSON.stringify(exercise.check)).toContain(PRACTICE_API.secret);
  });

  test('no exercise file still uses the old human-made classroom secret', () => {
    for (const exercise of exercises) expect(readFileSync(exercise.file, 'utf8')).not.toContain('exercise-secret-for-the-classroom');
  });
});
