// One table of check kinds: every kind the exercise JSON Schema lists has a runner (checks.ts)
// and a validator (exercise-schema.ts), and the validator's refusal names the table's kinds.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CHECK_RUNNERS } from '../../src/lessons/checks.js';
import { CHECK_KIND_NAMES, CHECK_KINDS, validateExercise } from '../../src/lessons/exercise-schema.js';

const schema = JSON.parse(readFileSync(new URL('../../lessons/schema/exercise.schema.json', import.meta.url), 'utf8')) as { $defs: { check: { properties: { kind: { enum: string[] } } } } };
const schemaKinds = schema.$defs.check.properties.kind.enum;

/** A valid exercise but for its check. */
const exerciseWith = (check: unknown) => ({
  id: 'kinds',
  title: 'Kinds',
  topic: 'choose',
  task: ['Pick one.'],
  choices: ['one', 'two'],
  hints: ['Think.'],
  check,
  solution: { explain: ['Because.'], answers: ['a'] },
});

describe('the check kinds are one table', () => {
  test('the schema\'s kinds, the validators\' and the runners\' are the same list', () => {
    expect(schemaKinds.length).toBeGreaterThan(0);
    expect(Object.keys(CHECK_KINDS)).toEqual(schemaKinds);
    expect(CHECK_KIND_NAMES).toEqual(schemaKinds);
    expect(Object.keys(CHECK_RUNNERS).sort()).toEqual([...schemaKinds].sort());
  });

  test('each kind has a function to run it and one to validate it', () => {
    for (const kind of schemaKinds) {
      expect(typeof CHECK_RUNNERS[kind as keyof typeof CHECK_RUNNERS], kind).toBe('function');
      expect(typeof CHECK_KINDS[kind as keyof typeof CHECK_KINDS].validate, kind).toBe('function');
      expect(CHECK_KINDS[kind as keyof typeof CHECK_KINDS].firstAnswer, kind).toMatch(/\w/);
    }
  });

  test.each(['nope', 'constructor', 'toString'])('a kind not in the table (%s) is refused, with the table\'s kinds listed as the schema lists them', (kind) => {
    expect(() => validateExercise(exerciseWith({ kind }), 'kinds.json')).toThrow(`kinds.json: "check.kind": must be one of ${schemaKinds.join(', ')}`);
  });
});
