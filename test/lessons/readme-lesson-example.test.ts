// The README's lesson example and its demo step are what the validator accepts (the fixture the
// JSON Schema test uses is the same file), so the authoring section cannot drift from the format.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { validateLesson } from '../../src/lessons/schema.js';

const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('A lesson file with every kind of screen'));
const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);

test('the README\'s full lesson is the schema fixture, and the validator accepts it', () => {
  const example = JSON.parse(blocks[0]!) as unknown;
  expect(example).toEqual(JSON.parse(readFileSync(join(ROOT, 'test/fixtures/schema/lesson/good/readme-example.json'), 'utf8')));
  expect(validateLesson(example, 'README.md').screens.map((screen) => screen.type)).toEqual(['text', 'run', 'run', 'question', 'question']);
});

test('the README\'s demo step is accepted in a lesson whose earlier step saves the token it changes', () => {
  const lesson = JSON.parse(blocks[0]!) as { screens: unknown[] };
  lesson.screens.push(JSON.parse(blocks[1]!));
  expect(() => validateLesson(lesson, 'README.md')).not.toThrow();
});
