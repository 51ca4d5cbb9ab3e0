// A lesson's translation (NN-name.<lang>.json) checked against the English lesson it translates:
// it changes only the words, so a learner in any language runs the same steps and gets the same
// answers (the same approach as exercise-schema.ts's validateTranslation for exercises).

import { isDeepStrictEqual } from 'node:util';
import type { Lesson, Screen } from './schema.js';
import { failFor } from './validation.js';

/** The fields a lesson's translation words anew; every other part stays as the original has it. */
export const LESSON_TRANSLATED_FIELDS = ['title', 'summary', 'screens[…].title', 'body', 'after', 'prompt', 'choices (their words)', 'explanation'];

/** What a screen keeps in any language: its kind, what it runs and saves, where its answer is. */
function screenFixedParts(screen: Screen, where: string): Array<[string, unknown]> {
  const fields = screen as unknown as Record<string, unknown>;
  const choices = fields.choices as unknown[] | undefined;
  return [
    [`${where}.type`, fields.type],
    [`${where}.kind`, fields.kind],
    [`${where}.command`, fields.command],
    [`${where}.save`, fields.save],
    [`${where}.with`, fields.with],
    [`${where}.demo`, fields.demo],
    [`${where}.args`, fields.args],
    [`the number of ${where}.choices`, choices?.length],
    [`${where}.answer`, fields.answer],
    [`${where}.answerFrom`, fields.answerFrom],
  ];
}

function fixedParts(lesson: Lesson): Array<[string, unknown]> {
  return [
    ['"id"', lesson.id],
    ['"number"', lesson.number],
    ['the number of "screens"', lesson.screens.length],
    ...lesson.screens.flatMap((screen, index) => screenFixedParts(screen, `screens[${index}]`)),
  ];
}

/**
 * Refuses a translation (already validated as a lesson) that differs from its original in
 * anything but the words, naming the file and the field (the first that differs).
 */
export function validateLessonTranslation(translation: Lesson, original: Lesson): void {
  const expected = fixedParts(original);
  const given = fixedParts(translation);
  // The screen count comes before any screen's parts, so a screen is compared only with its own.
  for (const [index, [field, value]] of given.entries()) {
    if (index < expected.length && isDeepStrictEqual(value, expected[index]![1])) continue;
    failFor('ERR_LESSON_FILE', translation.file)(field, `differs from ${original.file}, which it translates; a translation changes only the words (${LESSON_TRANSLATED_FIELDS.join(', ')}) and keeps everything else as the original has it`);
  }
}
