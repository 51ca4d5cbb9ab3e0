// Choices as every view letters them and as a learner may name one: (a), 2, b., or the choice's text.

import { normaliseAnswer } from './answers.js';

/** The letters choices are listed under, everywhere: tutorial questions, exercises, worksheets. */
export const LETTERS = 'abcdefghij';
/** The most choices a question or exercise may list: one letter each. */
export const MAX_CHOICES = LETTERS.length;

/** A choice's marker as a learner may type it: a letter a–j or a number, bare or with (), ) or a dot. */
const MARKER = /^\(?([a-j]|\d+)\)?\.?$/;

/** Whether a choice's own text reads as a marker ("2", "(b)", "c."): a learner typing it would pick by position instead. */
export function looksLikeMarker(choice: string): boolean {
  return MARKER.test(normaliseAnswer(choice));
}

/** How a choice may be given, for messages: "a letter (a to c), its number (1 to 3), or the choice's text". */
export function choiceForms(choices: string[]): string {
  return `a letter (a to ${LETTERS[choices.length - 1]}), its number (1 to ${choices.length}), or the choice's text`;
}

/**
 * The choice a learner means, or undefined: a letter or number as the task lists them, bare or
 * marked (b, B, 2, (b), b), b.), the choice's text, or the whole line as shown ("(b) The text").
 */
export function choiceIndex(choices: string[], given: string): number | undefined {
  // normaliseAnswer drops decode's JSON quotes; a choice's text may come in single quotes too.
  const text = normaliseAnswer(given).replace(/^["'](.*)["']$/, '$1');
  const position = (marker: string) => {
    const index = /^\d+$/.test(marker) ? Number(marker) - 1 : LETTERS.indexOf(marker);
    return index >= 0 && index < choices.length ? index : undefined;
  };
  const marker = /^\(?([a-j]|\d{1,2})\)?\.?$/.exec(text);
  if (marker) return position(marker[1]!);
  const byText = choices.findIndex((choice) => normaliseAnswer(choice) === text);
  if (byText >= 0) return byText;
  // "(b) An HttpOnly… cookie", copied from the task: the letter and the text must agree.
  const line = /^\(?([a-j]|\d{1,2})[).]\s*(.+)$/.exec(text);
  const index = line ? position(line[1]!) : undefined;
  return index !== undefined && normaliseAnswer(choices[index]!) === line![2] ? index : undefined;
}

